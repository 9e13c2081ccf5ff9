//! Mailers for messages to data subjects ([`steward_requests::Mailer`]): SMTP through lettre
//! (rustls on ring) when `[requests.smtp]` is configured, otherwise a file outbox the
//! operator reads (one `.eml` file per message, mode 0600, in `<data-dir>/outbox`).
//!
//! SECURITY: addresses and codes are never logged; errors carry codes, not message content.

use std::path::{Path, PathBuf};

use async_trait::async_trait;
use jiff::Timestamp;
use steward_requests::config::SmtpTls;
use steward_requests::{Email, MailError, Mailer};
use steward_store::ids::MessageId;
use steward_vault::SecretString;

/// A mailer cannot be built from its settings.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MailSetupError {
    /// The sender address does not parse.
    #[error("`requests.from` is not an e-mail address")]
    BadFrom,
    /// The SMTP host is not usable.
    #[error("the SMTP host is not usable")]
    BadHost,
}

impl MailSetupError {
    /// The stable code (`BAD_FROM_ADDRESS`, `BAD_SMTP`).
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            MailSetupError::BadFrom => "BAD_FROM_ADDRESS",
            MailSetupError::BadHost => "BAD_SMTP",
        }
    }
}

fn check_from(from: &str) -> Result<(), MailSetupError> {
    from.parse::<lettre::message::Mailbox>()
        .map(|_| ())
        .map_err(|_| MailSetupError::BadFrom)
}

/// One `.eml` file per message in a directory (created 0700; files 0600).
#[derive(Debug, Clone)]
pub struct FileOutbox {
    dir: PathBuf,
    from: String,
}

impl FileOutbox {
    /// A file outbox in `dir`, sending from `from`.
    ///
    /// # Errors
    /// `BadFrom` when `from` is not an e-mail address.
    pub fn new(dir: impl Into<PathBuf>, from: &str) -> Result<FileOutbox, MailSetupError> {
        check_from(from)?;
        Ok(FileOutbox {
            dir: dir.into(),
            from: from.to_string(),
        })
    }

    /// The directory messages are written to.
    #[must_use]
    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

#[async_trait]
impl Mailer for FileOutbox {
    async fn send(&self, id: MessageId, at: Timestamp, email: &Email) -> Result<(), MailError> {
        let dir = self.dir.clone();
        let text = render_eml(&self.from, id, at, email);
        tokio::task::spawn_blocking(move || write_eml(&dir, id, at, &text))
            .await
            .map_err(|_| MailError::Spool)?
    }
}

/// SMTP settings, with the password already read by the binary (never from the file).
#[derive(Clone)]
pub struct SmtpSettings {
    /// Host.
    pub host: String,
    /// Port (default by `tls`: 587, 465 or 25).
    pub port: Option<u16>,
    /// User name for AUTH, if any.
    pub user: Option<String>,
    /// Password.
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

type Smtp = lettre::AsyncSmtpTransport<lettre::Tokio1Executor>;

/// An SMTP relay through lettre.
pub struct SmtpMailer {
    from: String,
    transport: Smtp,
}

impl std::fmt::Debug for SmtpMailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpMailer").finish_non_exhaustive()
    }
}

impl SmtpMailer {
    /// A mailer for the relay `settings`, sending from `from`.
    ///
    /// # Errors
    /// `BadFrom` for a sender that does not parse, `BadHost` for a host lettre refuses.
    pub fn new(settings: &SmtpSettings, from: &str) -> Result<SmtpMailer, MailSetupError> {
        check_from(from)?;
        let bad = |_| MailSetupError::BadHost;
        let mut b = match settings.tls {
            SmtpTls::Starttls => Smtp::starttls_relay(&settings.host).map_err(bad)?,
            SmtpTls::Tls => Smtp::relay(&settings.host).map_err(bad)?,
            SmtpTls::None => Smtp::builder_dangerous(&settings.host),
        };
        if let Some(p) = settings.port {
            b = b.port(p);
        }
        if let (Some(u), Some(p)) = (&settings.user, &settings.password) {
            b = b.credentials(lettre::transport::smtp::authentication::Credentials::new(
                u.clone(),
                p.expose().to_string(),
            ));
        }
        Ok(SmtpMailer {
            from: from.to_string(),
            transport: b.build(),
        })
    }
}

#[async_trait]
impl Mailer for SmtpMailer {
    async fn send(&self, id: MessageId, _at: Timestamp, email: &Email) -> Result<(), MailError> {
        use lettre::AsyncTransport;
        let to: lettre::message::Mailbox = email
            .to
            .expose()
            .parse()
            .map_err(|_| MailError::BadAddress)?;
        let from: lettre::message::Mailbox =
            self.from.parse().map_err(|_| MailError::BadAddress)?;
        let msg = lettre::Message::builder()
            .from(from)
            .to(to)
            .subject(email.subject.clone())
            .message_id(Some(format!("<{id}@steward>")))
            .header(lettre::message::header::ContentType::TEXT_PLAIN)
            .body(email.body.expose().clone())
            .map_err(|_| MailError::BadAddress)?;
        self.transport.send(msg).await.map(|_| ()).map_err(|e| {
            // The error may echo addresses: log its kind only.
            tracing::warn!(message = %id, permanent = e.is_permanent(), "smtp send failed");
            MailError::Relay
        })
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

fn write_eml(dir: &Path, id: MessageId, at: Timestamp, text: &str) -> Result<(), MailError> {
    use std::io::Write;
    #[cfg(unix)]
    use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
    let fail = |_| MailError::Spool;
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
pub fn read_file_outbox(dir: &Path) -> std::io::Result<Vec<(String, String)>> {
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
    use steward_vault::Sensitive;

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
    #[tokio::test]
    async fn file_outbox_writes_private_files() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("outbox");
        let mailer = FileOutbox::new(&out, "privacy@example.com").unwrap();
        mailer
            .send(
                MessageId::generate(),
                Timestamp::UNIX_EPOCH,
                &Email {
                    to: Sensitive::new("jane@example.com".into()),
                    subject: "Hello".into(),
                    body: Sensitive::new("x".into()),
                },
            )
            .await
            .unwrap();
        let files = read_file_outbox(&out).unwrap();
        assert_eq!(files.len(), 1);
        assert!(files[0].1.contains("To: jane@example.com\r\n"));
        let meta = std::fs::metadata(out.join(&files[0].0)).unwrap();
        assert_eq!(meta.permissions().mode() & 0o777, 0o600);
        let dmeta = std::fs::metadata(&out).unwrap();
        assert_eq!(dmeta.permissions().mode() & 0o777, 0o700);
    }

    #[test]
    fn a_bad_sender_is_refused_with_a_code() {
        let e = FileOutbox::new("/tmp/x", "not an address").unwrap_err();
        assert_eq!(e.code(), "BAD_FROM_ADDRESS");
    }
}
