//! Configuration of the workflow: [`RequestsSettings`] is the `[requests]` table of the
//! configuration file as written (serde, unknown keys refused); [`RequestsSettings::resolve`]
//! validates it once into the workflow's [`RequestsConfig`] and the settings of the adapters
//! the binary builds around it ([`AdapterSettings`]: where messages go, the webhook
//! deadline).
//!
//! This crate reads no environment: a secret named in the file (`smtp.password_env`) stays a
//! name here, and the binary's configuration layer reads it.

use std::path::{Path, PathBuf};
use std::time::Duration;

use jiff::SignedDuration;
use serde::Deserialize;
use steward_core::partner_signals::SignalConfig;
use steward_deadlines::{Calendar, RequestKind};

/// Webhook delivery settings of the workflow.
#[derive(Debug, Clone, Copy)]
pub struct WebhookSettings {
    /// Attempts before a delivery goes to the dead-letter list.
    pub max_attempts: u32,
    /// First retry delay; each retry doubles it.
    pub backoff: SignedDuration,
    /// Longest retry delay.
    pub max_backoff: SignedDuration,
    /// How long a claimed delivery is reserved for its worker.
    pub lease: SignedDuration,
    /// Accepted clock skew of a confirmation's signature timestamp.
    pub confirm_tolerance: SignedDuration,
}

impl Default for WebhookSettings {
    fn default() -> Self {
        WebhookSettings {
            max_attempts: 8,
            backoff: SignedDuration::from_secs(30),
            max_backoff: SignedDuration::from_hours(6),
            lease: SignedDuration::from_secs(120),
            confirm_tolerance: SignedDuration::from_mins(5),
        }
    }
}

/// Configuration of the request workflow, validated.
#[derive(Debug, Clone)]
pub struct RequestsConfig {
    /// The controller calendar: time zone, holidays, policy periods (DL-01, DL-02).
    pub calendar: Calendar,
    /// The company name used in messages. `None`: the controller the policy file declares
    /// (its legal name, up to the first comma).
    pub company: Option<String>,
    /// Where subjects download reports (privacy center), if any.
    pub privacy_center_url: Option<String>,
    /// How long a one-time code is valid.
    pub code_ttl: SignedDuration,
    /// Attempts per code.
    pub code_attempts: u32,
    /// Codes per request (a new one supersedes the previous).
    pub max_codes: u32,
    /// Whether verified requests wait for the privacy team's approval.
    pub require_approval: bool,
    /// Kinds that are approved automatically once verified.
    pub auto_approve: Vec<RequestKind>,
    /// Webhook deliveries.
    pub webhooks: WebhookSettings,
    /// How long an outbox message claimed by a worker (or held by the replica that queued it
    /// and sends it at once) is reserved for it; another replica may send it after that.
    /// Longer than one transport attempt (the SMTP deadline).
    pub message_lease: SignedDuration,
    /// A deadline is at risk this many days before it (DL-04).
    pub at_risk_days: i64,
    /// A processor's confirmation is overdue this many days after delivery (RET-07).
    pub processor_followup_days: i64,
    /// How the signals sent with partner opt-out notifications are encoded (GPP-07, USP-03).
    pub signals: SignalConfig,
    /// Accept plain (non-TLS) webhook and dataset connections to loopback (tests, the demo);
    /// anything else that carries personal data must use TLS (SEC-02). Default false.
    pub allow_insecure_loopback: bool,
    /// The company's words in breach notices to the people (GDPR-31, CCPA-35, NV-08).
    pub breach_notices: BreachNoticeSettings,
}

/// The company's words in breach notices to the people (`[requests.breach_notices]`): who to
/// contact, the data protection officer, a telephone number. Nothing here is written into the
/// engine: every notice names what the configuration (or the policy file) says.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BreachNoticeSettings {
    /// Where people ask about the breach (default: the policy file's `privacy_contact`).
    pub contact: Option<String>,
    /// The data protection officer's name and contact details, when there is one (GDPR Art.
    /// 34(2) with 33(3)(b): the DPO, or another contact point).
    pub dpo: Option<String>,
    /// A telephone number for questions (a toll-free one, where a state asks for it).
    pub phone: Option<String>,
}

impl Default for RequestsConfig {
    /// Codes valid 30 minutes with 5 attempts, approval required, `America/Los_Angeles`
    /// without holidays, the company named by the policy file.
    fn default() -> Self {
        RequestsConfig {
            calendar: Calendar::default(),
            company: None,
            privacy_center_url: None,
            code_ttl: SignedDuration::from_mins(30),
            code_attempts: 5,
            max_codes: 5,
            require_approval: true,
            auto_approve: Vec::new(),
            webhooks: WebhookSettings::default(),
            message_lease: SignedDuration::from_secs(120),
            at_risk_days: 7,
            processor_followup_days: 30,
            signals: SignalConfig::default(),
            allow_insecure_loopback: false,
            breach_notices: BreachNoticeSettings::default(),
        }
    }
}

/// How SMTP connections are secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SmtpTls {
    /// STARTTLS on the submission port (587), required.
    #[default]
    Starttls,
    /// Implicit TLS (465).
    Tls,
    /// No TLS (a local relay only).
    None,
}

/// `[requests.smtp]` as written.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmtpSection {
    /// The relay's host.
    pub host: String,
    /// Its port (default by `tls`: 587, 465 or 25).
    pub port: Option<u16>,
    /// User name for AUTH, if any.
    pub user: Option<String>,
    /// The environment variable holding the password (read by the binary).
    pub password_env: Option<String>,
    /// Refused: the password never sits in the file (only here to say so clearly).
    #[serde(default)]
    password: Option<toml::Value>,
    /// `starttls` (default), `tls` or `none`.
    #[serde(default)]
    pub tls: SmtpTls,
}

/// `[requests.webhooks]` as written.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WebhookSection {
    /// Attempts before the dead-letter list (1 to 50; default 8).
    pub max_attempts: Option<i64>,
    /// First retry delay in seconds (default 30).
    pub backoff_seconds: Option<i64>,
    /// Longest retry delay in seconds (default 21 600).
    pub max_backoff_seconds: Option<i64>,
    /// Deadline of one HTTP exchange in seconds (default 10).
    pub timeout_seconds: Option<i64>,
    /// Seconds a claimed delivery is reserved for the worker (replica) that claimed it
    /// (10 to 3600; default 120; longer than `timeout_seconds`).
    pub lease_seconds: Option<i64>,
}

/// The `[requests]` table of the configuration file as written. Every key is optional;
/// unknown keys are refused.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequestsSettings {
    /// The sender of messages to subjects (default `privacy@localhost.localdomain`).
    pub from: Option<String>,
    /// The company name used in messages (default: the controller of the policy file).
    pub company: Option<String>,
    /// Where subjects download reports.
    pub privacy_center_url: Option<String>,
    /// The file outbox's directory (default `<data-dir>/outbox`).
    pub outbox_dir: Option<PathBuf>,
    /// Minutes a one-time code is valid (1 to 1440; default 30).
    pub code_ttl_minutes: Option<i64>,
    /// Attempts per code (1 to 20; default 5).
    pub code_attempts: Option<i64>,
    /// Verified requests wait for the privacy team (default true).
    pub require_approval: Option<bool>,
    /// Kinds approved automatically once verified.
    pub auto_approve: Option<Vec<String>>,
    /// Days before a deadline it is at risk (0 to 60; default 7).
    pub at_risk_days: Option<i64>,
    /// Days after delivery a processor's confirmation is overdue (1 to 365; default 30).
    pub processor_followup_days: Option<i64>,
    /// Seconds a claimed outbox message is reserved for the worker (replica) that claimed
    /// it (10 to 3600; default 120).
    pub message_lease_seconds: Option<i64>,
    /// The controller signed the IAB LSPA (USP-03).
    pub lspa_signatory: Option<bool>,
    /// The controller calendar (`steward-deadlines` keys).
    pub calendar: Option<toml::Table>,
    /// SMTP instead of the file outbox.
    pub smtp: Option<SmtpSection>,
    /// Webhook deliveries.
    pub webhooks: Option<WebhookSection>,
    /// Accept plain `http://` webhooks and non-TLS PostgreSQL datasets on loopback only
    /// (tests, demos; default false: everything else must use TLS, SEC-02).
    pub allow_insecure_loopback: Option<bool>,
    /// The company's words in breach notices to the people.
    pub breach_notices: Option<BreachNoticeSettings>,
}

/// Where messages to subjects go.
#[derive(Debug, Clone, PartialEq)]
pub enum MailTransport {
    /// One `.eml` file per message in this directory.
    File(PathBuf),
    /// An SMTP relay (the password is still only the name of its variable).
    Smtp(SmtpSection),
}

/// What the binary needs to build the adapters around the workflow.
#[derive(Debug, Clone, PartialEq)]
pub struct AdapterSettings {
    /// The sender of messages to subjects.
    pub from: String,
    /// Where messages go.
    pub mail: MailTransport,
    /// Deadline of one webhook exchange.
    pub webhook_timeout: Duration,
}

/// The settings, validated.
#[derive(Debug, Clone)]
pub struct ResolvedSettings {
    /// The workflow's configuration.
    pub workflow: RequestsConfig,
    /// The adapters' settings.
    pub adapters: AdapterSettings,
}

/// A setting of `[requests]` is not acceptable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RequestsConfigError {
    /// The table does not have the expected shape (an unknown key, a wrong type): serde's
    /// message names the key.
    #[error("`[requests]`: {0}")]
    Shape(String),
    /// A value is out of range or unknown.
    #[error("`requests.{key}`: {message}")]
    Value {
        /// The key at fault (`code_ttl_minutes`, `webhooks.max_attempts` …).
        key: &'static str,
        /// What is wrong.
        message: String,
    },
}

impl RequestsConfigError {
    /// The stable code of every configuration error.
    pub const CODE: &'static str = "BAD_REQUESTS_CONFIG";
}

fn bad(key: &'static str, message: impl Into<String>) -> RequestsConfigError {
    RequestsConfigError::Value {
        key,
        message: message.into(),
    }
}

fn in_range<T: TryFrom<i64>>(
    key: &'static str,
    v: Option<i64>,
    range: std::ops::RangeInclusive<i64>,
    default: T,
) -> Result<T, RequestsConfigError> {
    let Some(n) = v else { return Ok(default) };
    range
        .contains(&n)
        .then(|| T::try_from(n).ok())
        .flatten()
        .ok_or_else(|| bad(key, format!("{} to {}", range.start(), range.end())))
}

impl RequestsSettings {
    /// Parses the `[requests]` table (as TOML text: the binary passes the table it read).
    ///
    /// # Errors
    /// A [`RequestsConfigError`] naming the key (serde's message for unknown keys and types).
    pub fn from_table(table: &toml::Table) -> Result<RequestsSettings, RequestsConfigError> {
        toml::Value::Table(table.clone())
            .try_into()
            .map_err(|e: toml::de::Error| {
                RequestsConfigError::Shape(e.message().trim().to_string())
            })
    }

    /// Validates the settings over the defaults; the file outbox defaults to
    /// `<data_dir>/outbox`.
    ///
    /// # Errors
    /// A [`RequestsConfigError`] naming the key at fault.
    pub fn resolve(self, data_dir: &Path) -> Result<ResolvedSettings, RequestsConfigError> {
        let d = RequestsConfig::default();
        let code_ttl = SignedDuration::from_mins(in_range(
            "code_ttl_minutes",
            self.code_ttl_minutes,
            1..=1440,
            30i64,
        )?);
        let auto_approve = self
            .auto_approve
            .unwrap_or_default()
            .iter()
            .map(|k| {
                k.parse::<RequestKind>()
                    .map_err(|_| bad("auto_approve", format!("unknown request kind `{k}`")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let calendar = match &self.calendar {
            None => d.calendar.clone(),
            Some(t) => {
                let text = toml::to_string(t).map_err(|_| bad("calendar", "cannot be read"))?;
                Calendar::from_toml_str(&text).map_err(|e| bad("calendar", e.to_string()))?
            }
        };
        let hooks = self.webhooks.unwrap_or_default();
        let webhooks = WebhookSettings {
            max_attempts: in_range(
                "webhooks.max_attempts",
                hooks.max_attempts,
                1..=50,
                d.webhooks.max_attempts,
            )?,
            backoff: hooks
                .backoff_seconds
                .map_or(d.webhooks.backoff, |n| SignedDuration::from_secs(n.max(1))),
            max_backoff: hooks
                .max_backoff_seconds
                .map_or(d.webhooks.max_backoff, |n| {
                    SignedDuration::from_secs(n.max(1))
                }),
            lease: SignedDuration::from_secs(in_range(
                "webhooks.lease_seconds",
                hooks.lease_seconds,
                10..=3600,
                d.webhooks.lease.as_secs(),
            )?),
            ..d.webhooks
        };
        let webhook_timeout = Duration::from_secs(
            hooks
                .timeout_seconds
                .map_or(10, |n| u64::try_from(n.max(1)).unwrap_or(10)),
        );
        if webhooks.lease.as_secs() <= i64::try_from(webhook_timeout.as_secs()).unwrap_or(i64::MAX)
        {
            return Err(bad(
                "webhooks.lease_seconds",
                "must be longer than `timeout_seconds`",
            ));
        }
        let message_lease = SignedDuration::from_secs(in_range(
            "message_lease_seconds",
            self.message_lease_seconds,
            10..=3600,
            d.message_lease.as_secs(),
        )?);
        let mail = match self.smtp {
            Some(s) => {
                if s.password.is_some() {
                    return Err(bad(
                        "smtp.password",
                        "put the password in an environment variable and name it in `password_env`",
                    ));
                }
                MailTransport::Smtp(s)
            }
            None => MailTransport::File(self.outbox_dir.unwrap_or_else(|| data_dir.join("outbox"))),
        };
        let workflow = RequestsConfig {
            calendar,
            company: self.company,
            privacy_center_url: self.privacy_center_url,
            code_ttl,
            code_attempts: in_range("code_attempts", self.code_attempts, 1..=20, 5u32)?,
            max_codes: d.max_codes,
            require_approval: self.require_approval.unwrap_or(d.require_approval),
            auto_approve,
            webhooks,
            message_lease,
            at_risk_days: in_range("at_risk_days", self.at_risk_days, 0..=60, d.at_risk_days)?,
            processor_followup_days: in_range(
                "processor_followup_days",
                self.processor_followup_days,
                1..=365,
                d.processor_followup_days,
            )?,
            signals: SignalConfig {
                lspa_signatory: self.lspa_signatory.unwrap_or(false),
                ..SignalConfig::default()
            },
            allow_insecure_loopback: self.allow_insecure_loopback.unwrap_or(false),
            breach_notices: self.breach_notices.unwrap_or_default(),
        };
        Ok(ResolvedSettings {
            workflow,
            adapters: AdapterSettings {
                from: self
                    .from
                    .unwrap_or_else(|| "privacy@localhost.localdomain".to_string()),
                mail,
                webhook_timeout,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<ResolvedSettings, RequestsConfigError> {
        RequestsSettings::from_table(&toml::from_str(text).unwrap())?
            .resolve(Path::new("/tmp/steward-data"))
    }

    #[test]
    fn settings_are_validated_over_the_defaults() {
        let c = parse(
            r#"
            from = "privacy@stamps.example"
            code_ttl_minutes = 15
            auto_approve = ["access", "portability"]
            message_lease_seconds = 300
            [calendar]
            time_zone = "America/New_York"
            holidays = ["2024-07-04"]
            [webhooks]
            max_attempts = 3
            timeout_seconds = 4
            lease_seconds = 60
            "#,
        )
        .unwrap();
        assert_eq!(c.workflow.message_lease, SignedDuration::from_secs(300));
        assert_eq!(c.workflow.webhooks.lease, SignedDuration::from_secs(60));
        let d = parse("").unwrap();
        assert_eq!(d.workflow.message_lease, SignedDuration::from_secs(120));
        assert_eq!(d.workflow.webhooks.lease, SignedDuration::from_secs(120));
        assert_eq!(c.workflow.code_ttl, SignedDuration::from_mins(15));
        assert_eq!(c.workflow.auto_approve.len(), 2);
        assert_eq!(c.workflow.webhooks.max_attempts, 3);
        assert_eq!(c.workflow.calendar.time_zone_name(), "America/New_York");
        assert_eq!(c.workflow.company, None, "the policy names the company");
        assert_eq!(c.adapters.from, "privacy@stamps.example");
        assert_eq!(c.adapters.webhook_timeout, Duration::from_secs(4));
        assert_eq!(
            c.adapters.mail,
            MailTransport::File(PathBuf::from("/tmp/steward-data/outbox"))
        );
        let smtp = parse(
            "[smtp]\nhost = \"smtp.example.com\"\nuser = \"steward\"\npassword_env = \"X\"\ntls = \"tls\"",
        )
        .unwrap();
        match smtp.adapters.mail {
            MailTransport::Smtp(s) => {
                assert_eq!(s.host, "smtp.example.com");
                assert_eq!(s.password_env.as_deref(), Some("X"));
                assert_eq!(s.tls, SmtpTls::Tls);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn bad_settings_name_the_key_and_never_echo_a_password() {
        for (text, key) in [
            ("code_ttl_minutes = 0", "code_ttl_minutes"),
            ("auto_approve = [\"teleport\"]", "auto_approve"),
            ("colour = \"blue\"", "colour"),
            ("at_risk_days = 61", "at_risk_days"),
            ("message_lease_seconds = 5", "message_lease_seconds"),
            ("[webhooks]\nlease_seconds = 4000", "webhooks.lease_seconds"),
            (
                "[webhooks]\ntimeout_seconds = 30\nlease_seconds = 20",
                "webhooks.lease_seconds",
            ),
            (
                "[smtp]\nhost = \"h\"\npassword = \"hunter2\"",
                "smtp.password",
            ),
            ("[smtp]\nhost = \"h\"\ntls = \"maybe\"", "maybe"),
            ("[webhooks]\nretries = 3", "retries"),
            ("[webhooks]\nmax_attempts = 99", "webhooks.max_attempts"),
            ("[calendar]\ntime_zone = \"Mars/Olympus\"", "calendar"),
        ] {
            match parse(text) {
                Err(e) => {
                    let m = e.to_string();
                    assert!(m.contains(key), "{text}: {m}");
                    assert!(!m.contains("hunter2"), "{m}");
                }
                Ok(c) => panic!("{text}: accepted {c:?}"),
            }
        }
    }
}
