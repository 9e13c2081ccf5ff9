//! Opening the PostgreSQL store from a `postgres://` URL.

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
