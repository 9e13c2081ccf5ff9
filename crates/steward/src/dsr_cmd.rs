//! `steward dsr …`: data subject requests from the command line — submit on someone's
//! behalf, list the queue by due date, show, verify a code, approve, run (with a progress
//! bar when a request fans out to many systems), read the receipt and the report, extend,
//! deny, send what is due, manage connectors and dead letters, print metrics.
//!
//! Secrets (connection strings, webhook secrets) are never taken as arguments (they would
//! show in the process list and shell history): they come from an environment variable,
//! either sealed now (`--from-env`) or read when used (`--env-ref`).

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Args, Subcommand, ValueEnum};
use steward_core::Caller;
use steward_deadlines::{ExtensionLength, Lookback, RequestKind};
use steward_requests::{
    AgentInput, ApproveInput, ConnectionSource, ConnectorKind, CorrectionInput,
    DatasetRegistration, DenyReason, ListQuery, ReportFormat, RequestState, Requester, Requests,
    RunProgress, SubmitRequest, WebhookRegistration,
};
use steward_store::ids::{DeliveryId, RequestId, SubjectId};
use steward_vault::{SecretString, Sensitive};

use crate::error::{CliError, read};
use crate::runtime::{Runtime, StoreArgs, start};

/// Request subcommands.
#[derive(Debug, Subcommand)]
pub enum DsrCommand {
    /// Submit a request on someone's behalf (support call, letter, e-mail to the privacy team).
    Submit(Box<SubmitArgs>),
    /// The queue of open requests by due date (with `--all`, closed ones too).
    List {
        #[command(flatten)]
        store: StoreArgs,
        /// Include closed requests.
        #[arg(long)]
        all: bool,
        /// Only this state (`awaiting_verification`, `verified`, `failed` ...).
        #[arg(long)]
        state: Option<String>,
        /// At most this many.
        #[arg(long, default_value_t = 100)]
        limit: u32,
        /// JSON lines instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// A request in full: clocks per regime, verification, plan, steps, messages, deliveries.
    Show {
        #[command(flatten)]
        store: StoreArgs,
        /// The request id.
        id: RequestId,
        /// JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Enter the one-time code the subject received (e.g. read out on a support call).
    Verify {
        #[command(flatten)]
        store: StoreArgs,
        /// The request id.
        id: RequestId,
        /// The code.
        code: String,
    },
    /// Approve a verified request.
    Approve {
        #[command(flatten)]
        store: StoreArgs,
        /// The request id.
        id: RequestId,
        /// Data points matched beyond the e-mail code (CCPA-24, non-account holders).
        #[arg(long, default_value_t = 0)]
        data_points: u8,
        /// A signed declaration under penalty of perjury was received.
        #[arg(long)]
        declaration: bool,
    },
    /// Run an approved (or failed) request across every system, with a progress bar.
    Run {
        #[command(flatten)]
        store: StoreArgs,
        /// The request id.
        id: RequestId,
        /// JSON outcome instead of text.
        #[arg(long)]
        json: bool,
    },
    /// The receipt: every system touched and its result.
    Receipt {
        #[command(flatten)]
        store: StoreArgs,
        /// The request id.
        id: RequestId,
        /// JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Write the report of a completed access, know or portability request.
    Report {
        #[command(flatten)]
        store: StoreArgs,
        /// The request id.
        id: RequestId,
        /// `json`, `csv`, `html`, `portable-json`, `portable-csv`.
        #[arg(long, default_value = "json")]
        format: String,
        /// Write here (mode 0600) instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Extend the deadline once, with the reason the subject is told.
    Extend {
        #[command(flatten)]
        store: StoreArgs,
        /// The request id.
        id: RequestId,
        /// Why (sent to the subject).
        #[arg(long)]
        reason: String,
        /// Calendar days (default: as long as the law allows).
        #[arg(long, conflicts_with = "months")]
        days: Option<u32>,
        /// Months.
        #[arg(long)]
        months: Option<u32>,
    },
    /// Deny a request with its basis (the subject is told, with how to complain).
    Deny {
        #[command(flatten)]
        store: StoreArgs,
        /// The request id.
        id: RequestId,
        /// `cannot_identify`, `unverified`, `manifestly_unfounded`, `excessive`,
        /// `repeat_know_request`, `fraudulent`, `other`.
        #[arg(long)]
        reason: String,
        /// The justification (required for unfounded, excessive, fraudulent).
        #[arg(long)]
        justification: Option<String>,
    },
    /// Send what is due: queued messages and webhook deliveries (retries).
    Deliver {
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Connectors: external datasets and processors' webhooks.
    #[command(subcommand)]
    Connector(ConnectorCommand),
    /// The webhook dead-letter list.
    DeadLetters {
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Put a dead letter back in the delivery queue.
    Requeue {
        #[command(flatten)]
        store: StoreArgs,
        /// The delivery id.
        id: DeliveryId,
    },
    /// Open, overdue and at-risk requests, dead letters, unconfirmed processor notices.
    Metrics {
        #[command(flatten)]
        store: StoreArgs,
    },
}

/// Connector subcommands.
#[derive(Debug, Subcommand)]
pub enum ConnectorCommand {
    /// Register (or replace) a dataset: an annotation file and a connection string.
    AddDataset {
        #[command(flatten)]
        store: StoreArgs,
        /// A unique name.
        #[arg(long)]
        name: String,
        /// `sqlite` or `postgres`.
        #[arg(long, value_enum)]
        kind: DatasetKind,
        /// The annotation (TOML or JSON); see docs/requests.md.
        #[arg(long)]
        annotation: PathBuf,
        #[command(flatten)]
        secret: SecretArgs,
    },
    /// Register (or replace) a recipient's webhook endpoint.
    AddWebhook {
        #[command(flatten)]
        store: StoreArgs,
        /// A unique name.
        #[arg(long)]
        name: String,
        /// The policy's recipient id (`SP_EMAIL` ...).
        #[arg(long)]
        recipient: String,
        /// The endpoint URL.
        #[arg(long)]
        url: String,
        #[command(flatten)]
        secret: SecretArgs,
    },
    /// The registered connectors (no secrets).
    List {
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Disable a connector by name.
    Disable {
        #[command(flatten)]
        store: StoreArgs,
        /// The name.
        name: String,
    },
}

/// Which database a dataset is in.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum DatasetKind {
    /// An SQLite file (the connection string is its path).
    Sqlite,
    /// PostgreSQL (`postgres://…`).
    Postgres,
}

/// Where a connector's secret comes from.
#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
pub struct SecretArgs {
    /// Read the secret from this environment variable now and store it sealed.
    #[arg(long)]
    from_env: Option<String>,
    /// Keep only this environment variable's name; read it each time it is used.
    #[arg(long)]
    env_ref: Option<String>,
}

impl SecretArgs {
    fn source(&self) -> Result<ConnectionSource, CliError> {
        match (&self.from_env, &self.env_ref) {
            (Some(var), _) => std::env::var(var)
                .ok()
                .filter(|v| !v.is_empty())
                .map(|v| ConnectionSource::Secret(SecretString::from(v)))
                .ok_or_else(|| {
                    CliError::Usage(format!("the environment variable `{var}` is not set"))
                }),
            (None, Some(var)) => Ok(ConnectionSource::Env(var.clone())),
            (None, None) => Err(CliError::Usage(
                "give `--from-env VAR` or `--env-ref VAR`".into(),
            )),
        }
    }
}

/// `steward dsr submit` arguments.
#[derive(Debug, Args)]
pub struct SubmitArgs {
    #[command(flatten)]
    store: StoreArgs,
    /// `access`, `know_categories`, `know_specific_pieces`, `portability`, `deletion`,
    /// `correction`, `opt_out_sale_share`, `limit_spi`, `object_direct_marketing`,
    /// `objection`, `restriction`, `withdraw_consent`, `nevada_no_sale`.
    #[arg(long)]
    kind: String,
    /// The subject's e-mail address (how they are found, where answers go).
    #[arg(long)]
    email: Option<String>,
    /// The subject's id, when known.
    #[arg(long)]
    subject: Option<SubjectId>,
    /// Declared residency (`US-CA`, `DE` ...).
    #[arg(long)]
    jurisdiction: Option<String>,
    /// The channel it came through.
    #[arg(long, default_value = "support")]
    channel: String,
    /// Staff verified the subject already: the method (e.g. `support_call_kba`).
    #[arg(long)]
    preverified: Option<String>,
    /// When it was received, if earlier (RFC 3339).
    #[arg(long)]
    received_at: Option<jiff::Timestamp>,
    /// The purpose of an objection or consent withdrawal.
    #[arg(long)]
    purpose: Option<String>,
    /// CCPA-06: `all` for everything since 2022 (default: the last 12 months).
    #[arg(long)]
    lookback: Option<String>,
    /// Correction: the category.
    #[arg(long, requires = "correct_value_env")]
    correct_category: Option<String>,
    /// Correction: the environment variable holding the new value.
    #[arg(long)]
    correct_value_env: Option<String>,
    /// Submitted by an authorized agent with this e-mail address.
    #[arg(long)]
    agent_email: Option<String>,
    /// SHA-256 of the consumer's signed permission for the agent.
    #[arg(long)]
    agent_permission: Option<String>,
}

fn cli() -> Caller {
    Caller::Service("cli".into())
}

fn core_err(e: steward_core::CoreError) -> CliError {
    CliError::core("", e)
}

async fn requests(store: &StoreArgs) -> Result<(Runtime, Arc<Requests>), CliError> {
    let rt = start(store).await?;
    let r = crate::wiring::requests(&rt)?;
    Ok((rt, r))
}

fn print_json<T: serde::Serialize>(v: &T) -> Result<(), CliError> {
    println!(
        "{}",
        serde_json::to_string_pretty(v)
            .map_err(|e| CliError::runtime("cannot render the answer as JSON", e))?
    );
    Ok(())
}

/// A value as one line of JSON.
fn compact<T: serde::Serialize>(v: &T) -> Result<String, CliError> {
    serde_json::to_string(v).map_err(|e| CliError::runtime("cannot render the answer as JSON", e))
}

fn day(t: jiff::Timestamp, r: &Requests) -> String {
    r.config().calendar.civil_date(t).to_string()
}

/// Run a `dsr` subcommand.
pub async fn run(cmd: DsrCommand) -> Result<ExitCode, CliError> {
    match cmd {
        DsrCommand::Submit(a) => submit(*a).await,
        DsrCommand::List {
            store,
            all,
            state,
            limit,
            json,
        } => {
            let (rt, r) = requests(&store).await?;
            let state = match state {
                Some(s) => Some(
                    s.parse::<RequestState>()
                        .map_err(|_| CliError::Usage(format!("unknown state `{s}`")))?,
                ),
                None => None,
            };
            let rows = r
                .list(&ListQuery {
                    include_closed: all,
                    state,
                    limit: Some(limit),
                    ..ListQuery::default()
                })
                .await
                .map_err(core_err)?;
            if json {
                for row in &rows {
                    println!(
                        "{}",
                        serde_json::to_string(row).map_err(|e| CliError::runtime(
                            "cannot render the answer as JSON",
                            e
                        ))?
                    );
                }
            } else {
                println!(
                    "{:<36}  {:<22}  {:<26}  {:<10}  {:<9}  {:>5}",
                    "ID", "KIND", "STATE", "DUE", "STATUS", "DAYS"
                );
                for row in &rows {
                    println!(
                        "{:<36}  {:<22}  {:<26}  {:<10}  {:<9}  {:>5}",
                        row.id,
                        row.kind,
                        row.state,
                        day(row.due, &r),
                        row.status,
                        row.days_left
                    );
                }
                eprintln!("{} request(s)", rows.len());
            }
            rt.steward.shutdown().await;
            Ok(ExitCode::SUCCESS)
        }
        DsrCommand::Show { store, id, json } => {
            let (rt, r) = requests(&store).await?;
            let v = r.show(id).await.map_err(core_err)?;
            if json {
                print_json(&v)?;
            } else {
                let s = &v.summary;
                println!("request   {}", s.id);
                println!(
                    "kind      {} (by {}, via {})",
                    s.kind, s.requester, s.channel
                );
                println!("state     {}", s.state);
                println!(
                    "subject   {}",
                    s.subject
                        .map_or_else(|| "— (no match)".to_string(), |x| x.to_string())
                );
                println!("received  {}", s.received_at);
                if let Some(a) = s.ack_due {
                    println!("ack due   {}", day(a, &r));
                }
                println!(
                    "due       {} ({}, {} day(s))",
                    day(s.due, &r),
                    s.status,
                    s.days_left
                );
                println!("max due   {}", day(s.max_due, &r));
                for c in &v.regimes {
                    println!("  {:<8} due {}  ({})", c.regime, day(c.due, &r), c.citation);
                }
                println!("verification {}", compact(&v.verification)?);
                if let Some(f) = &v.failure {
                    println!("FAILED    {} — {}", f.system, f.reason);
                }
                if let Some(p) = &v.plan {
                    println!(
                        "plan      delete {} item(s), keep {}, notify {}, datasets {}",
                        p.delete.len(),
                        p.retain.len(),
                        p.notify.len(),
                        p.datasets.len()
                    );
                }
                println!("steps:");
                for st in &v.steps {
                    println!(
                        "  {}  {:<24} → {}  ({})",
                        st.at, st.action, st.state, st.actor
                    );
                }
            }
            rt.steward.shutdown().await;
            Ok(ExitCode::SUCCESS)
        }
        DsrCommand::Verify { store, id, code } => {
            let (rt, r) = requests(&store).await?;
            let v = r.verify_code(id, &code).await.map_err(core_err)?;
            println!("request {} is {}", v.request_id, v.state);
            rt.steward.shutdown().await;
            Ok(ExitCode::SUCCESS)
        }
        DsrCommand::Approve {
            store,
            id,
            data_points,
            declaration,
        } => {
            let (rt, r) = requests(&store).await?;
            let v = r
                .approve(
                    &cli(),
                    id,
                    ApproveInput {
                        data_points,
                        signed_declaration: declaration,
                    },
                )
                .await
                .map_err(core_err)?;
            println!("request {} is {}", v.summary.id, v.summary.state);
            rt.steward.shutdown().await;
            Ok(ExitCode::SUCCESS)
        }
        DsrCommand::Run { store, id, json } => {
            let (rt, r) = requests(&store).await?;
            let bar = indicatif::ProgressBar::new(0);
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{spinner} [{bar:30}] {pos}/{len} systems  {msg}",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
                .progress_chars("=> "),
            );
            let progress = |p: RunProgress| {
                bar.set_length(p.total as u64);
                bar.set_position(p.done as u64);
                bar.set_message(p.system);
            };
            let out = r.run(&cli(), id, &progress).await.map_err(core_err)?;
            bar.finish_and_clear();
            if json {
                print_json(&out)?;
            } else {
                for s in &out.systems {
                    println!(
                        "{:<8} {:<32} {}",
                        s.status,
                        s.system,
                        s.error.as_deref().unwrap_or("")
                    );
                }
            }
            rt.steward.shutdown().await;
            if out.state == RequestState::Failed {
                eprintln!(
                    "error: {} failed: {}",
                    out.failed_system.unwrap_or_default(),
                    out.reason.unwrap_or_default()
                );
                eprintln!(
                    "  help: fix the system and run `steward dsr run {id}` again; what was done is not done twice"
                );
                return Ok(ExitCode::from(1));
            }
            println!(
                "request {id} completed; `steward dsr receipt {id}` lists every system touched"
            );
            Ok(ExitCode::SUCCESS)
        }
        DsrCommand::Receipt { store, id, json } => {
            let (rt, r) = requests(&store).await?;
            let rc = r.receipt(id).await.map_err(core_err)?;
            if json {
                print_json(&rc)?;
            } else {
                println!("receipt of {} ({}, {})", rc.request_id, rc.kind, rc.state);
                for s in &rc.systems {
                    println!(
                        "  {:<12} {:<32} {}",
                        s.status,
                        s.system,
                        compact(&s.detail)?
                    );
                }
                for k in &rc.retained {
                    println!("  kept   {} — {}", k.category, k.citations.join("; "));
                }
                println!("  {}", rc.record_keeping);
                println!("  sha256 {}", rc.sha256);
            }
            rt.steward.shutdown().await;
            Ok(ExitCode::SUCCESS)
        }
        DsrCommand::Report {
            store,
            id,
            format,
            out,
        } => {
            let (rt, r) = requests(&store).await?;
            let fmt: ReportFormat = format.parse().map_err(core_err)?;
            let rep = r.report(&cli(), id, fmt).await.map_err(core_err)?;
            match out {
                Some(path) => write_private(&path, rep.body.expose())?,
                None => {
                    use std::io::Write;
                    std::io::stdout().write_all(rep.body.expose())?;
                }
            }
            rt.steward.shutdown().await;
            Ok(ExitCode::SUCCESS)
        }
        DsrCommand::Extend {
            store,
            id,
            reason,
            days,
            months,
        } => {
            let (rt, r) = requests(&store).await?;
            let length = match (days, months) {
                (Some(d), _) => ExtensionLength::Days(d),
                (None, Some(m)) => ExtensionLength::Months(m),
                (None, None) => ExtensionLength::Maximum,
            };
            let v = r
                .extend(&cli(), id, Some(&reason), length)
                .await
                .map_err(core_err)?;
            println!("request {} is now due {}", id, day(v.summary.due, &r));
            rt.steward.shutdown().await;
            Ok(ExitCode::SUCCESS)
        }
        DsrCommand::Deny {
            store,
            id,
            reason,
            justification,
        } => {
            let (rt, r) = requests(&store).await?;
            let reason: DenyReason = reason.parse().map_err(core_err)?;
            r.deny(&cli(), id, reason, justification.as_deref())
                .await
                .map_err(core_err)?;
            println!("request {id} denied; the subject was told");
            rt.steward.shutdown().await;
            Ok(ExitCode::SUCCESS)
        }
        DsrCommand::Deliver { store } => {
            let (rt, r) = requests(&store).await?;
            let rep = r.deliver_due().await.map_err(core_err)?;
            print_json(&rep)?;
            rt.steward.shutdown().await;
            Ok(ExitCode::SUCCESS)
        }
        DsrCommand::Connector(c) => connector(c).await,
        DsrCommand::DeadLetters { store } => {
            let (rt, r) = requests(&store).await?;
            print_json(&r.dead_letters().await.map_err(core_err)?)?;
            rt.steward.shutdown().await;
            Ok(ExitCode::SUCCESS)
        }
        DsrCommand::Requeue { store, id } => {
            let (rt, r) = requests(&store).await?;
            print_json(&r.requeue(&cli(), id).await.map_err(core_err)?)?;
            rt.steward.shutdown().await;
            Ok(ExitCode::SUCCESS)
        }
        DsrCommand::Metrics { store } => {
            let (rt, r) = requests(&store).await?;
            print_json(&r.metrics().await.map_err(core_err)?)?;
            rt.steward.shutdown().await;
            Ok(ExitCode::SUCCESS)
        }
    }
}

async fn submit(a: SubmitArgs) -> Result<ExitCode, CliError> {
    let kind: RequestKind = a
        .kind
        .parse()
        .map_err(|e: steward_deadlines::UnknownName| CliError::Usage(e.to_string()))?;
    let lookback = match a.lookback.as_deref() {
        None | Some("default") => None,
        Some("all") => Some(Lookback::All),
        Some(other) => {
            return Err(CliError::Usage(format!(
                "unknown look-back `{other}` (default or all)"
            )));
        }
    };
    let correction = match (&a.correct_category, &a.correct_value_env) {
        (Some(category), Some(var)) => Some(CorrectionInput {
            category: category.clone(),
            item: None,
            value: Sensitive::new(std::env::var(var).map_err(|_| {
                CliError::Usage(format!("the environment variable `{var}` is not set"))
            })?),
        }),
        _ => None,
    };
    let agent = a.agent_email.as_ref().map(|e| AgentInput {
        email: Some(Sensitive::new(e.clone())),
        permission_sha256: a.agent_permission.clone(),
        ..AgentInput::default()
    });
    let input = SubmitRequest {
        kind,
        requester: if agent.is_some() {
            Requester::Agent
        } else {
            Requester::Admin
        },
        channel: a.channel.clone(),
        subject_id: a.subject,
        email: a.email.clone().map(Sensitive::new),
        jurisdiction: a.jurisdiction.clone(),
        agent,
        lookback,
        purpose: a.purpose.clone(),
        correction,
        preverified: a.preverified.clone(),
        received_at: a.received_at,
    };
    let (rt, r) = requests(&a.store).await?;
    let answer = r.submit(&cli(), input).await.map_err(core_err)?;
    let view = r.show(answer.request_id).await.map_err(core_err)?;
    println!("request   {}", answer.request_id);
    println!("state     {}", answer.state);
    println!("verify    {}", answer.verification);
    if let Some(ack) = view.summary.ack_due {
        println!("ack due   {}", day(ack, &r));
    }
    println!("due       {}", day(view.summary.due, &r));
    println!("max due   {}", day(view.summary.max_due, &r));
    rt.steward.shutdown().await;
    Ok(ExitCode::SUCCESS)
}

async fn connector(c: ConnectorCommand) -> Result<ExitCode, CliError> {
    match c {
        ConnectorCommand::AddDataset {
            store,
            name,
            kind,
            annotation,
            secret,
        } => {
            let text = read(&annotation)?;
            let source = secret.source()?;
            let (rt, r) = requests(&store).await?;
            let v = r
                .register_dataset(
                    &cli(),
                    DatasetRegistration {
                        name,
                        kind: match kind {
                            DatasetKind::Sqlite => ConnectorKind::SqliteDataset,
                            DatasetKind::Postgres => ConnectorKind::PostgresDataset,
                        },
                        annotation: text,
                        connection: source,
                    },
                )
                .await
                .map_err(|e| CliError::core(&annotation.display().to_string(), e))?;
            println!("dataset `{}` registered; erasure order:", v.name);
            for (t, action) in &v.tables {
                println!("  {t:<30} {action}");
            }
            rt.steward.shutdown().await;
            Ok(ExitCode::SUCCESS)
        }
        ConnectorCommand::AddWebhook {
            store,
            name,
            recipient,
            url,
            secret,
        } => {
            let source = secret.source()?;
            let (rt, r) = requests(&store).await?;
            let v = r
                .register_webhook(
                    &cli(),
                    WebhookRegistration {
                        name,
                        recipient,
                        url,
                        secret: source,
                    },
                )
                .await
                .map_err(core_err)?;
            println!(
                "webhook `{}` registered for {}",
                v.name,
                v.recipient.unwrap_or_default()
            );
            rt.steward.shutdown().await;
            Ok(ExitCode::SUCCESS)
        }
        ConnectorCommand::List { store } => {
            let (rt, r) = requests(&store).await?;
            for v in r.connectors().await.map_err(core_err)? {
                println!(
                    "{:<20} {:<9} {:<12} secret:{:<20} {}{}",
                    v.name,
                    v.kind,
                    v.recipient.as_deref().unwrap_or("-"),
                    v.secret,
                    v.tables
                        .iter()
                        .map(|(t, a)| format!("{t}:{a}"))
                        .collect::<Vec<_>>()
                        .join(" "),
                    if v.disabled { " (disabled)" } else { "" }
                );
            }
            rt.steward.shutdown().await;
            Ok(ExitCode::SUCCESS)
        }
        ConnectorCommand::Disable { store, name } => {
            let (rt, r) = requests(&store).await?;
            r.disable_connector(&cli(), &name).await.map_err(core_err)?;
            println!("connector `{name}` disabled");
            rt.steward.shutdown().await;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Writes a report readable by the operator only (it holds personal data).
fn write_private(path: &std::path::Path, bytes: &[u8]) -> Result<(), CliError> {
    use std::io::Write;
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    let io = |source| CliError::Io {
        action: "write",
        path: path.to_path_buf(),
        source,
    };
    let mut f = o.open(path).map_err(io)?;
    f.write_all(bytes).map_err(io)?;
    Ok(())
}
