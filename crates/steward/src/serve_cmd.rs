//! `steward serve`: the service. On a fresh machine it starts with SQLite in
//! `./steward-data`, the shipped policy, and listens on 127.0.0.1:8080; `--store
//! postgres://…` runs the same service on PostgreSQL (several replicas may share it).
//!
//! Settings are layered like every command (defaults → `[server]` of the config file →
//! `STEWARD_*` environment → flags) and validated once. On first start, when no API key is
//! active, a bootstrap admin key is printed once to stdout (never logged). `--demo` seeds a
//! synthetic customer base through the core and a request queue through the workflow, so a
//! newcomer sees a living system.
//!
//! Besides the listener it runs: the request workflow (`[requests]`), the usage-data path
//! when the IP pseudonymization key is configured (without it `/v1/events` answers 503 and
//! no raw address is ever stored), and a background worker that delivers due outbox messages
//! and webhooks and refreshes the request gauges of `/metrics`, stopped before the audit log
//! is flushed at shutdown.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use clap::Args;
use steward_server::{AppState, PolicySource, ServerConfig, ServerSettings};

use crate::error::CliError;
use crate::runtime::{StoreArgs, redact_url, start};

/// Flags of `steward serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub store: StoreArgs,
    /// Address to listen on (default 127.0.0.1:8080; env STEWARD_LISTEN).
    #[arg(long)]
    pub listen: Option<String>,
    /// Seed a synthetic customer base (accounts, administrators, recipients, choices,
    /// disclosures) and a living request queue (requests in every state, partner
    /// notifications, a dead letter) on start; idempotent.
    #[arg(long)]
    pub demo: bool,
    /// Log format: json (default) or text (env STEWARD_LOG_FORMAT; filter with STEWARD_LOG).
    #[arg(long)]
    pub log_format: Option<String>,
    /// A MaxMind-format database for coarse regions of usage events (GeoIP2/GeoLite2 City or
    /// Country).
    #[arg(long, env = "STEWARD_GEOIP_DB")]
    pub geoip: Option<PathBuf>,
    /// Seconds between background delivery passes (outbox, webhooks, request gauges).
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub deliver_every: u64,
    /// Seconds between reads of the policy file (`--policy`): a rewritten file that compiles
    /// is put in force without a restart; 0 turns following off (env STEWARD_POLICY_POLL).
    #[arg(long, env = "STEWARD_POLICY_POLL", default_value_t = 2, value_parser = clap::value_parser!(u64).range(0..=86_400))]
    pub policy_poll: u64,
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// Run the service until Ctrl-C or SIGTERM.
pub async fn run(args: ServeArgs) -> Result<ExitCode, CliError> {
    let rt = start(&args.store).await?;
    let file: ServerSettings = toml::Value::Table(rt.config.server.clone())
        .try_into()
        .map_err(|e| CliError::Usage(format!("config `[server]`: {e}")))?;
    let from_env = ServerSettings::from_env(env).map_err(|e| CliError::Usage(e.to_string()))?;
    let flags = ServerSettings {
        listen: args.listen.clone(),
        log_format: args.log_format.clone(),
        ..ServerSettings::default()
    };
    let config = ServerConfig::from_settings(&file.merge(from_env).merge(flags))
        .map_err(|e| CliError::Usage(e.to_string()))?;
    steward_server::logging::init(config.log_format);

    let policy = match &rt.config.policy {
        Some(path) => PolicySource {
            name: path.display().to_string(),
            text: crate::error::read(path)?,
        },
        None => PolicySource::shipped(),
    };
    // CHG-01: the text is recorded in the policy history; a future-dated one waits.
    let file_text = policy.text.clone();
    let (policy, pending) = crate::policy_watch::at_start(&rt.steward, policy).await?;
    let followed = rt
        .config
        .policy
        .clone()
        .filter(|_| args.policy_poll > 0)
        .map(|path| (path, file_text, pending));
    let listen = config.listen;
    let state = AppState::new(rt.steward.clone(), config, policy);
    // The demo's partner webhook is this server's own loopback `http://` address.
    state.set_requests(crate::wiring::requests_with(&rt, args.demo)?);

    let geo = match &args.geoip {
        Some(p) => Some(crate::wiring::geo(p)?),
        None => None,
    };
    // SECURITY: without the IP pseudonymization key the usage path is not built, and the
    // event routes answer 503 `IP_KEY_MISSING` instead of storing raw addresses (IPPS-02).
    match steward_core::ingest::Ingestor::new(
        rt.steward.clone(),
        rt.keys.ip_pseudonymizer(),
        steward_core::ingest::IngestConfig {
            geo,
            ..steward_core::ingest::IngestConfig::default()
        },
    ) {
        Ok(i) => {
            state.set_ingestor(Arc::new(i));
        }
        Err(e) => {
            tracing::warn!(reason = %e, "usage events are not ingested");
            eprintln!("warning: usage events are not ingested: {e}");
        }
    }

    match state.keys().bootstrap().await {
        Ok(Some(m)) => {
            // SECURITY: printed once to stdout for the operator; never logged, never stored.
            println!(
                "bootstrap admin API key (shown once; store it now): {}",
                m.secret.expose()
            );
            println!(
                "  use it as `Authorization: Bearer <key>`; mint more with `steward keys create`"
            );
        }
        Ok(None) => {}
        Err(e) => {
            return Err(CliError::core("cannot mint the bootstrap key", e));
        }
    }
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .map_err(|e| CliError::runtime(format!("cannot listen on {listen}"), e))?;
    let addr = listener.local_addr().map_err(CliError::Stdio)?;
    if args.demo {
        let report = steward_server::demo::seed(state.steward())
            .await
            .map_err(|e| CliError::core("demo seeding failed", e))?;
        println!("{report}");
        // The queue is seeded once, with the customers; the partner webhook of the demo
        // points at this very listener (bound above, so its port is known).
        if let (false, Some(requests)) = (report.already_seeded, state.requests()) {
            let workflow =
                steward_server::demo::seed_requests(requests, Some(&format!("http://{addr}")))
                    .await
                    .map_err(|e| CliError::core("demo seeding failed", e))?;
            println!("{workflow}");
        }
    }
    let engine = state.steward().engine();
    tracing::info!(
        listen = %addr,
        store = %redact_url(&rt.config.store),
        store_read = %rt.config.store_read.as_deref().map(redact_url).unwrap_or_default(),
        policy_version = %engine.meta.version,
        "steward serving"
    );
    println!("steward serving on http://{addr} (API docs: http://{addr}/docs)");
    let (stop, stopped) = tokio::sync::watch::channel(false);
    if let Some((path, text, pending)) = followed {
        tokio::spawn(crate::policy_watch::follow(
            state.clone(),
            path,
            text,
            pending,
            Duration::from_secs(args.policy_poll),
            stopped.clone(),
        ));
    }
    let worker = tokio::spawn(steward_server::api::requests::background(
        state.clone(),
        Duration::from_secs(args.deliver_every),
        stopped,
    ));
    let shutdown = async move {
        steward_server::shutdown_signal().await;
        // The worker finishes its pass before the audit log is flushed.
        let _ = stop.send(true);
        if let Err(e) = worker.await {
            tracing::error!(error = %e, "the background worker ended abnormally");
        }
    };
    steward_server::serve(listener, state, shutdown)
        .await
        .map_err(CliError::Stdio)?;
    Ok(ExitCode::SUCCESS)
}
