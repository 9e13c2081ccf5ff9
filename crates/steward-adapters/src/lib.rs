//! The adapters between Steward's use cases and the outside world, each implementing a trait
//! the use-case side owns. Only the binary depends on this crate and wires them in; the core
//! (`steward-core`) and the request workflow (`steward-requests`) depend on no driver, SMTP,
//! TLS or GeoIP crate (a test of `steward-requests` checks it).
//!
//! - [`mail`]: messages to data subjects — SMTP through lettre, or a file outbox
//!   ([`steward_requests::Mailer`]).
//! - [`webhook`]: signed webhooks over HTTPS with hyper and rustls on ring
//!   ([`steward_requests::WebhookTransport`]).
//! - [`sql`]: the company's SQLite and PostgreSQL databases through dataset annotations
//!   ([`steward_requests::DatasetConnector`]).
//! - [`geoip`]: coarse regions from a MaxMind-format database
//!   ([`steward_core::ingest::GeoLookup`]).
//! - [`mod@env`]: `env:` connector secrets from the process environment
//!   ([`steward_requests::Secrets`]).

pub mod env;
pub mod geoip;
pub mod mail;
pub mod sql;
pub mod webhook;

pub use env::ProcessEnv;
pub use geoip::{GeoDb, GeoDbError};
pub use mail::{FileOutbox, MailSetupError, SmtpMailer, SmtpSettings, read_file_outbox};
pub use sql::{PostgresConnector, SqliteConnector};
pub use webhook::{HttpsTransport, TlsSetupError};
