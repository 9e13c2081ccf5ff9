//! The outbox: messages to data subjects (verification codes, acknowledgements, extension
//! notices, answers, denials) are stored sealed under the request's key, then handed to a
//! transport — SMTP through lettre when `[requests.smtp]` is configured, otherwise a file
//! outbox the operator reads (one `.eml` file per message, mode 0600, in `<data-dir>/outbox`).
//! A message the transport refuses stays queued and is retried by
//! [`Requests::deliver_due`](super::service::Requests::deliver_due).
//!
//! SECURITY: addresses and codes are never logged; errors carry codes, not message content.

use std::path::PathBuf;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use steward_store::ids::MessageId;
use steward_vault::{SecretString, Sensitive};

/// A message to a data subject.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Email {
    /// The recipient's address.
    pub to: Sensitive<String>,
    /// The subject line (no personal data).
    pub subject: String,
    /// The text (may hold a code or personal data).
    pub body: Sensitive<String>,
}

/// How SMTP connections are secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SmtpTls {
    /// STARTTLS on the submission port (587), required.
    Starttls,
    /// Implicit TLS (465).
    Tls,
    /// No TLS (a local relay only).
    None,
}

/// SMTP settings (`[requests.smtp]`).
#[derive(Clone)]
pub struct SmtpSettings {
    /// Host.
    pub host: String,
    /// Port (default by `tls`: 587, 465 or 25).
    pub port: Option<u16>,
    /// User name for AUTH, if any.
    pub user: Option<String>,
    /// Password (read from the environment variable named in the config).
    pub password: Option<SecretString>,
    /// TLS mode.
    pub tls: SmtpTls,
}

impl std::fmt::Debug for SmtpSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // SECURITY: the password is never printed.
        f.debug_struct("SmtpSettings")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("user", &self.user)
            .field("password", &self.password.as_ref().map(|_| "[redacted]"))
            .field("tls", &self.tls)
            .finish()
    }
}

/// Where messages go.
#[derive(Debug, Clone)]
pub enum OutboxConfig {
    /// One `.eml` file per message in this directory.
    File(PathBuf),
    /// An SMTP relay.
    Smtp(SmtpSettings),
}

/// Why a transport refused a message (a stable code, no content).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("outbox delivery failed: {0}")]
pub struct OutboxError(pub &'static str);

type Smtp = lettre::AsyncSmtpTransport<lettre::Tokio1Executor>;

/// The transport.
pub struct Outbox {
    from: String,
    kind: Transport,
}

enum Transport {
    File(PathBuf),
    Smtp(Box<Smtp>),
}

impl std::fmt::Debug for Outbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.kind {
            Transport::File(dir) => f.debug_struct("Outbox").field("file", dir).finish(),
            Transport::Smtp(_) => f.debug_struct("Outbox").field("smtp", &true).finish(),
        }
    }
}

impl Outbox {
    /// A transport for `config`, sending from `from`.
    ///
    /// # Errors
    /// An SMTP host lettre refuses, or a `from` address that does not parse.
    pub fn new(config: &OutboxConfig, from: &str) -> Result<Outbox, steward_core::CoreError> {
        from.parse::<lettre::message::Mailbox>().map_err(|_| {
            steward_core::CoreError::invalid(
                "BAD_FROM_ADDRESS",
                "`requests.from` is not an e-mail address",
            )
        })?;
        let kind = match config {
            OutboxConfig::File(dir) => Transport::File(dir.clone()),
            OutboxConfig::Smtp(s) => {
                let bad =
                    |_| steward_core::CoreError::invalid("BAD_SMTP", "the SMTP host is not usable");
                let mut b = match s.tls {
                    SmtpTls::Starttls => Smtp::starttls_relay(&s.host).map_err(bad)?,
                    SmtpTls::Tls => Smtp::relay(&s.host).map_err(bad)?,
                    SmtpTls::None => Smtp::builder_dangerous(&s.host),
                };
                if let Some(p) = s.port {
                    b = b.port(p);
                }
                if let (Some(u), Some(p)) = (&s.user, &s.password) {
                    b = b.credentials(lettre::transport::smtp::authentication::Credentials::new(
                        u.clone(),
                        p.expose().to_string(),
                    ));
                }
                Transport::Smtp(Box::new(b.build()))
            }
        };
        Ok(Outbox {
            from: from.to_string(),
            kind,
        })
    }

    /// Hands one message to the transport.
    ///
    /// # Errors
    /// A stable code: `BAD_ADDRESS`, `SMTP_SEND`, `FILE_WRITE`.
    pub async fn send(
        &self,
        id: MessageId,
        at: Timestamp,
        email: &Email,
    ) -> Result<(), OutboxError> {
        match &self.kind {
            Transport::File(dir) => {
                let dir = dir.clone();
                let text = render_eml(&self.from, id, at, email);
                tokio::task::spawn_blocking(move || write_eml(&dir, id, at, &text))
                    .await
                    .map_err(|_| OutboxError("FILE_WRITE"))?
            }
            Transport::Smtp(t) => {
                use lettre::AsyncTransport;
                let to: lettre::message::Mailbox = email
                    .to
                    .expose()
                    .parse()
                    .map_err(|_| OutboxError("BAD_ADDRESS"))?;
                let from: lettre::message::Mailbox =
                    self.from.parse().map_err(|_| OutboxError("BAD_ADDRESS"))?;
                let msg = lettre::Message::builder()
                    .from(from)
                    .to(to)
                    .subject(email.subject.clone())
                    .message_id(Some(format!("<{id}@steward>")))
                    .header(lettre::message::header::ContentType::TEXT_PLAIN)
                    .body(email.body.expose().clone())
                    .map_err(|_| OutboxError("BAD_ADDRESS"))?;
                t.send(msg).await.map(|_| ()).map_err(|e| {
                    // The error may echo addresses: log its kind only.
                    tracing::warn!(message = %id, permanent = e.is_permanent(), "smtp send failed");
                    OutboxError("SMTP_SEND")
                })
            }
        }
    }
}

fn header_safe(s: &str) -> String {
    s.chars().filter(|c| *c != '\r' && *c != '\n').collect()
}

fn render_eml(from: &str, id: MessageId, at: Timestamp, email: &Email) -> String {
    let date = at
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .strftime("%a, %d %b %Y %H:%M:%S +0000")
        .to_string();
    format!(
        "From: {}\r\nTo: {}\r\nSubject: {}\r\nDate: {date}\r\nMessage-ID: <{id}@steward>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n{}\r\n",
        header_safe(from),
        header_safe(email.to.expose()),
        header_safe(&email.subject),
        email.body.expose().replace('\n', "\r\n")
    )
}

fn write_eml(
    dir: &std::path::Path,
    id: MessageId,
    at: Timestamp,
    text: &str,
) -> Result<(), OutboxError> {
    use std::io::Write;
    #[cfg(unix)]
    use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
    let fail = |_| OutboxError("FILE_WRITE");
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    b.mode(0o700);
    b.create(dir).map_err(fail)?;
    let name = format!("{}-{id}.eml", at.as_microsecond());
    let tmp = dir.join(format!(".{name}.tmp"));
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create(true).truncate(true);
    // SECURITY: messages hold codes and addresses: readable by the operator account only.
    #[cfg(unix)]
    o.mode(0o600);
    let mut f = o.open(&tmp).map_err(fail)?;
    f.write_all(text.as_bytes()).map_err(fail)?;
    f.sync_all().map_err(fail)?;
    drop(f);
    std::fs::rename(&tmp, dir.join(name)).map_err(fail)
}

/// Reads the messages of a file outbox, oldest first, as `(file name, text)` — for operators
/// and tests.
///
/// # Errors
/// When the directory cannot be read.
pub fn read_file_outbox(dir: &std::path::Path) -> std::io::Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    if !dir.exists() {
        return Ok(out);
    }
    for e in std::fs::read_dir(dir)? {
        let e = e?;
        let name = e.file_name().to_string_lossy().to_string();
        if name.ends_with(".eml") && !name.starts_with('.') {
            out.push((name, std::fs::read_to_string(e.path())?));
        }
    }
    out.sort();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eml_has_headers_and_no_header_injection() {
        let e = Email {
            to: Sensitive::new("jane@example.com\r\nBcc: evil@example.com".into()),
            subject: "Your code".into(),
            body: Sensitive::new("Code: 123456\nBye".into()),
        };
        let t = render_eml(
            "privacy@example.com",
            MessageId::generate(),
            "2024-03-04T17:00:00Z".parse().unwrap(),
            &e,
        );
        assert!(t.contains("Date: Mon, 04 Mar 2024 17:00:00 +0000\r\n"));
        assert!(!t.contains("\r\nBcc:"), "{t}");
        assert!(t.ends_with("Code: 123456\r\nBye\r\n"));
    }

    #[cfg(unix)]
    #[test]
    fn file_outbox_writes_private_files() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("outbox");
        write_eml(&out, MessageId::generate(), Timestamp::UNIX_EPOCH, "x").unwrap();
        let files = read_file_outbox(&out).unwrap();
        assert_eq!(files.len(), 1);
        let meta = std::fs::metadata(out.join(&files[0].0)).unwrap();
        assert_eq!(meta.permissions().mode() & 0o777, 0o600);
    }
}
