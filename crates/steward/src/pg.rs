//! Opening the PostgreSQL store from a `postgres://` URL, with an optional read connection to
//! a streaming standby (`--store-read`).

use std::sync::Arc;

use steward_store::Store;
use steward_store_postgres::{PgOptions, PgStore};

use crate::error::CliError;

/// Connect, apply migrations, and refuse a database newer than this binary.
///
/// # Errors
/// Connection or schema failures, with the URL's password redacted.
pub async fn open(url: &str) -> Result<Arc<dyn Store>, CliError> {
    let store = PgStore::connect(url, PgOptions::default())
        .await
        .map_err(|e| {
            CliError::runtime(
                format!(
                    "cannot open the PostgreSQL store at `{}`",
                    crate::runtime::redact_url(url)
                ),
                e,
            )
        })?;
    Ok(Arc::new(store))
}

/// How stale a read served by the standby may be: beyond it, reads go to the primary.
pub const READ_MAX_LAG: std::time::Duration = std::time::Duration::from_secs(1);

/// [`open`], with reads of facts, reports and console pages served by the streaming standby
/// at `read_url` while it lags by less than [`READ_MAX_LAG`].
///
/// # Errors
/// As [`open`]; a read URL that is not a reachable standby of this store.
pub async fn open_with_standby(url: &str, read_url: &str) -> Result<Arc<dyn Store>, CliError> {
    let options = PgOptions::default();
    let store = PgStore::connect(url, options.clone())
        .await
        .map_err(|e| {
            CliError::runtime(
                format!(
                    "cannot open the PostgreSQL store at `{}`",
                    crate::runtime::redact_url(url)
                ),
                e,
            )
        })?
        .with_standby(read_url, &options, READ_MAX_LAG)
        .await
        .map_err(|e| {
            CliError::runtime(
                format!(
                    "cannot open the read connection at `{}`",
                    crate::runtime::redact_url(read_url)
                ),
                e,
            )
        })?;
    Ok(Arc::new(store))
}
