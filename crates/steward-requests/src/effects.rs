//! The outside effects of the workflow, each behind a small trait the workflow owns: messages
//! to data subjects ([`Mailer`]), signed webhooks to processors and partners
//! ([`WebhookTransport`]), the company's own databases ([`DatasetConnector`]), and secrets
//! kept outside Steward ([`Secrets`], the `env:` connector secrets). The traits take and
//! return domain types; their errors are enums with stable codes, stored with the message,
//! delivery or system they concern.
//!
//! The adapters (SMTP and the file outbox, the HTTPS client, the SQLite and PostgreSQL
//! connectors, the process environment) live in `steward-adapters`, which only the binary
//! wires in through [`Effects`]. In-memory fakes for tests are in `crate::fakes` (feature
//! `testing`).
//!
//! SECURITY: an error never carries the content of a message or a value of a row: codes, and
//! for connectors the database's message with values redacted (the workflow also removes
//! the subject's identities before storing it).

use std::fmt;
use std::sync::Arc;

use async_trait::async_trait;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use steward_store::ids::MessageId;
use steward_store::model::request::ConnectorKind;
use steward_vault::{SecretString, Sensitive};

use crate::connectors::{Dataset, DatasetOutcome, DatasetRows, Identities};

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

/// Why a mailer did not take a message (a stable code, no content).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("outbox delivery failed: {}", self.code())]
pub enum MailError {
    /// An address does not parse.
    BadAddress,
    /// The relay refused the message or could not be reached.
    Relay,
    /// The message could not be written where the operator reads it.
    Spool,
}

impl MailError {
    /// The stable code stored with the message (`BAD_ADDRESS`, `SMTP_SEND`, `FILE_WRITE`).
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            MailError::BadAddress => "BAD_ADDRESS",
            MailError::Relay => "SMTP_SEND",
            MailError::Spool => "FILE_WRITE",
        }
    }
}

/// Hands messages to data subjects to a transport (SMTP, a file outbox …). The workflow
/// stores each message sealed before it calls [`Mailer::send`], and retries refused ones.
#[async_trait]
pub trait Mailer: Send + Sync + fmt::Debug {
    /// Sends one message. `id` and `at` identify it (message id, date).
    ///
    /// # Errors
    /// A [`MailError`]: the message stays queued and is tried again later.
    async fn send(&self, id: MessageId, at: Timestamp, email: &Email) -> Result<(), MailError>;
}

/// A webhook endpoint: an `http://` or `https://` URL, validated when registered.
#[derive(Clone, PartialEq, Eq)]
pub struct WebhookUrl {
    text: String,
    https: bool,
    host: String,
    port: u16,
    path: String,
}

impl fmt::Debug for WebhookUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The query may carry a token: only scheme, host and port are shown.
        write!(
            f,
            "WebhookUrl({}://{}:{})",
            if self.https { "https" } else { "http" },
            self.host,
            self.port
        )
    }
}

/// Why a URL was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid webhook url: {0}")]
pub struct BadUrl(pub &'static str);

impl std::str::FromStr for WebhookUrl {
    type Err = BadUrl;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (https, rest) = if let Some(r) = s.strip_prefix("https://") {
            (true, r)
        } else if let Some(r) = s.strip_prefix("http://") {
            (false, r)
        } else {
            return Err(BadUrl("the scheme must be http or https"));
        };
        let (authority, path) = match rest.find(['/', '?']) {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, "/"),
        };
        if authority.contains('@') {
            return Err(BadUrl("credentials in the url are not supported"));
        }
        let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
            let end = v6.find(']').ok_or(BadUrl("unclosed ipv6 address"))?;
            let host = &v6[..end];
            let port = match &v6[end + 1..] {
                "" => None,
                p => Some(p.strip_prefix(':').ok_or(BadUrl("bad port"))?),
            };
            (host.to_string(), port)
        } else {
            match authority.rsplit_once(':') {
                Some((h, p)) => (h.to_string(), Some(p)),
                None => (authority.to_string(), None),
            }
        };
        if host.is_empty()
            || !host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':'))
        {
            return Err(BadUrl("bad host"));
        }
        let port = match port {
            Some(p) => p.parse().map_err(|_| BadUrl("bad port"))?,
            None if https => 443,
            None => 80,
        };
        let path = if path.starts_with('?') {
            format!("/{path}")
        } else {
            path.to_string()
        };
        if path.chars().any(|c| c.is_ascii_control() || c == ' ') {
            return Err(BadUrl("bad path"));
        }
        Ok(WebhookUrl {
            text: s.to_string(),
            https,
            host,
            port,
            path,
        })
    }
}

impl WebhookUrl {
    /// Whether TLS is used.
    #[must_use]
    pub fn is_https(&self) -> bool {
        self.https
    }

    /// The host (an IPv6 address without brackets).
    #[must_use]
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The port (443 or 80 when the URL gives none).
    #[must_use]
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The path and query (`/` at least).
    #[must_use]
    pub fn path_and_query(&self) -> &str {
        &self.path
    }

    /// The URL as registered. SECURITY: may carry a token in its query; never log it.
    #[must_use]
    pub fn expose(&self) -> &str {
        &self.text
    }
}

/// An endpoint's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookResponse {
    /// The status code.
    pub status: u16,
    /// The body, cut at [`WebhookResponse::MAX_BODY`] bytes (only a confirmation flag in it
    /// matters).
    pub body: Vec<u8>,
}

impl WebhookResponse {
    /// The most of a response body a transport reads.
    pub const MAX_BODY: usize = 64 * 1024;
}

/// Why an exchange with an endpoint failed, as a stable code stored with the delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TransportError {
    /// No connection (refused, unreachable, DNS).
    #[error("CONNECT")]
    Connect,
    /// The TLS handshake failed (certificate, protocol).
    #[error("TLS")]
    Tls,
    /// The deadline passed.
    #[error("TIMEOUT")]
    Timeout,
    /// The connection broke mid-exchange.
    #[error("IO")]
    Io,
    /// The answer was not HTTP.
    #[error("BAD_RESPONSE")]
    BadResponse,
}

impl TransportError {
    /// The stable code.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            TransportError::Connect => "CONNECT",
            TransportError::Tls => "TLS",
            TransportError::Timeout => "TIMEOUT",
            TransportError::Io => "IO",
            TransportError::BadResponse => "BAD_RESPONSE",
        }
    }
}

/// POSTs signed JSON bodies to webhook endpoints. A transport follows no redirect (a signed
/// body must not travel elsewhere) and finishes each exchange within its deadline.
#[async_trait]
pub trait WebhookTransport: Send + Sync + fmt::Debug {
    /// `POST url` with `Content-Type: application/json`, the given `headers` (names and
    /// values generated by Steward) and `body`.
    ///
    /// # Errors
    /// A [`TransportError`]; any HTTP status is an answer, not an error.
    async fn post_json(
        &self,
        url: &WebhookUrl,
        headers: &[(&'static str, String)],
        body: &[u8],
    ) -> Result<WebhookResponse, TransportError>;
}

/// The stable codes of a connector failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ConnectorErrorCode {
    /// The database could not be reached or opened.
    Connect,
    /// A statement failed (nothing was changed: the transaction rolled back).
    Sql,
    /// Rows still hold the subject's data after the erasure.
    Verify,
    /// The connector is misconfigured (its secret is missing, no adapter for its kind).
    Config,
}

impl ConnectorErrorCode {
    /// The code as stored (`CONNECT`, `SQL`, `VERIFY`, `CONFIG`).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            ConnectorErrorCode::Connect => "CONNECT",
            ConnectorErrorCode::Sql => "SQL",
            ConnectorErrorCode::Verify => "VERIFY",
            ConnectorErrorCode::Config => "CONFIG",
        }
    }
}

impl fmt::Display for ConnectorErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a dataset could not be erased or read (no personal data in it).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{code}: {message}")]
pub struct ConnectorError {
    /// The stable code.
    pub code: ConnectorErrorCode,
    /// The database's message with quoted values redacted, or the adapter's own.
    pub message: String,
}

impl ConnectorError {
    /// An error with `code` and `message`.
    #[must_use]
    pub fn new(code: ConnectorErrorCode, message: impl Into<String>) -> ConnectorError {
        ConnectorError {
            code,
            message: message.into(),
        }
    }
}

/// A company database reached through a dataset annotation ([`Dataset`]): SQLite,
/// PostgreSQL, or anything else that can find a subject's rows by the annotation.
#[async_trait]
pub trait DatasetConnector: Send + Sync + fmt::Debug {
    /// The connector kind this adapter serves (a registered connector of that kind uses it).
    fn kind(&self) -> ConnectorKind;

    /// Erases the subject's rows: the tables in [`Dataset::order`], each row matched through
    /// `ids` as the annotation says, with the table's action (`delete`, `mask`, `nullify`),
    /// all in one transaction, each table verified afterwards. Running it again finds only
    /// what is still there. `connection` is the connection string (a file path for SQLite).
    ///
    /// # Errors
    /// A [`ConnectorError`]; the dataset is then unchanged.
    async fn erase(
        &self,
        connection: &Sensitive<String>,
        dataset: &Dataset,
        ids: &Identities,
    ) -> Result<DatasetOutcome, ConnectorError>;

    /// Reads the subject's rows for an access report: for each table of
    /// [`Dataset::readable`], the annotated columns of the rows matched through `ids` (by an
    /// identity column or any `via` path), values as text. Read-only: an adapter opens the
    /// database read-only or reads inside a read-only transaction, so no write can reach it.
    ///
    /// # Errors
    /// A [`ConnectorError`].
    async fn read(
        &self,
        connection: &Sensitive<String>,
        dataset: &Dataset,
        ids: &Identities,
    ) -> Result<DatasetRows, ConnectorError>;
}

/// Secrets kept outside Steward, by name: a connector registered with `env:<NAME>` reads its
/// connection string or signing secret from here when it is used. The binary backs it with
/// the process environment.
pub trait Secrets: Send + Sync + fmt::Debug {
    /// The secret named `name`, if it is set.
    fn get(&self, name: &str) -> Option<SecretString>;
}

/// The effects the workflow performs, injected by whoever builds it (the binary wires the
/// real adapters; tests the fakes).
#[derive(Debug, Clone)]
pub struct Effects {
    /// Messages to data subjects.
    pub mailer: Arc<dyn Mailer>,
    /// Webhooks to processors, third parties and partners.
    pub webhooks: Arc<dyn WebhookTransport>,
    /// One adapter per dataset connector kind (a kind without one fails with `CONFIG`).
    pub datasets: Vec<Arc<dyn DatasetConnector>>,
    /// Where `env:` connector secrets are read.
    pub secrets: Arc<dyn Secrets>,
}

impl Effects {
    /// The dataset adapter for `kind`, if one was installed.
    #[must_use]
    pub fn dataset(&self, kind: ConnectorKind) -> Option<&Arc<dyn DatasetConnector>> {
        self.datasets.iter().find(|d| d.kind() == kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_parse() {
        let u: WebhookUrl = "https://hooks.example.com/steward?token=abc"
            .parse()
            .unwrap();
        assert!(u.is_https());
        assert_eq!((u.host(), u.port()), ("hooks.example.com", 443));
        assert_eq!(u.path_and_query(), "/steward?token=abc");
        assert!(
            !format!("{u:?}").contains("abc"),
            "the query is not printed"
        );
        let u: WebhookUrl = "http://127.0.0.1:8081".parse().unwrap();
        assert_eq!((u.port(), u.path_and_query()), (8081, "/"));
        let u: WebhookUrl = "http://[::1]:9000/x".parse().unwrap();
        assert_eq!((u.host(), u.port()), ("::1", 9000));
        assert!("ftp://x".parse::<WebhookUrl>().is_err());
        assert!("http://user:pw@x/".parse::<WebhookUrl>().is_err());
        assert!("http://x y/".parse::<WebhookUrl>().is_err());
    }
}
