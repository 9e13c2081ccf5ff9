//! Where the adapters meet the use cases: the binary is the only place that builds the
//! outside effects (`steward-adapters`) and hands them to the workflow and the core. The
//! `[requests]` table is validated once (`steward_requests::RequestsSettings`); secrets it
//! names (`smtp.password_env`) are read from the environment here, and `env:` connector
//! secrets are read from the process environment when a connector is used.

use std::path::Path;
use std::sync::Arc;

use steward_adapters::{
    FileOutbox, GeoDb, HttpsTransport, PostgresConnector, ProcessEnv, SmtpMailer, SmtpSettings,
    SqliteConnector,
};
use steward_core::ingest::GeoLookup;
use steward_requests::config::{AdapterSettings, MailTransport};
use steward_requests::{Effects, Mailer, Requests, RequestsSettings};
use steward_vault::SecretString;

use crate::error::CliError;
use crate::runtime::Runtime;

/// The request workflow over the running core, with the real adapters.
///
/// # Errors
/// A `[requests]` setting that is not acceptable, an SMTP password variable that is not
/// set, a mailer or TLS configuration that cannot be built.
pub fn requests(rt: &Runtime) -> Result<Arc<Requests>, CliError> {
    requests_with(rt, false)
}

/// [`requests`], with plain connections to loopback allowed when `insecure_loopback` (the
/// demo: its partner webhook is this server's own `http://` address; SEC-02 otherwise).
///
/// # Errors
/// As [`requests`].
pub fn requests_with(rt: &Runtime, insecure_loopback: bool) -> Result<Arc<Requests>, CliError> {
    let mut settings = RequestsSettings::from_table(&rt.config.requests)
        .and_then(|s| s.resolve(&rt.config.data_dir))
        .map_err(|e| CliError::Usage(format!("config: {e}")))?;
    settings.workflow.allow_insecure_loopback |= insecure_loopback;
    let effects = effects(&settings.adapters)?;
    Ok(Requests::new(
        rt.steward.clone(),
        settings.workflow,
        effects,
    ))
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// Builds the adapters named by the settings.
fn effects(a: &AdapterSettings) -> Result<Effects, CliError> {
    let mailer: Arc<dyn Mailer> = match &a.mail {
        MailTransport::File(dir) => Arc::new(
            FileOutbox::new(dir, &a.from)
                .map_err(|e| CliError::Usage(format!("config: {e} ({})", e.code())))?,
        ),
        MailTransport::Smtp(s) => {
            // SECURITY: the password itself never sits in the configuration file.
            let password = match &s.password_env {
                Some(name) => Some(SecretString::from(env(name).ok_or_else(|| {
                    CliError::Usage(format!(
                        "config: `requests.smtp.password_env`: the environment variable `{name}` is not set"
                    ))
                })?)),
                None => None,
            };
            let settings = SmtpSettings {
                host: s.host.clone(),
                port: s.port,
                user: s.user.clone(),
                password,
                tls: s.tls,
            };
            Arc::new(
                SmtpMailer::new(&settings, &a.from)
                    .map_err(|e| CliError::Usage(format!("config: {e} ({})", e.code())))?,
            )
        }
    };
    let webhooks = HttpsTransport::new(a.webhook_timeout)
        .map_err(|e| CliError::runtime("cannot start the request workflow", e))?;
    Ok(Effects {
        mailer,
        webhooks: Arc::new(webhooks),
        datasets: vec![
            Arc::new(SqliteConnector),
            Arc::new(PostgresConnector::new()),
        ],
        secrets: Arc::new(ProcessEnv),
    })
}

/// The MaxMind-format database at `path`, as the core's region lookup.
///
/// # Errors
/// When the file cannot be read or is not a MaxMind database.
pub fn geo(path: &Path) -> Result<Arc<dyn GeoLookup>, CliError> {
    let db = GeoDb::open(path).map_err(|e| {
        CliError::runtime(
            format!("cannot open the GeoIP database `{}`", path.display()),
            e,
        )
    })?;
    Ok(Arc::new(db))
}
