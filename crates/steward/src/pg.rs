//! Opening the PostgreSQL store from a `postgres://` URL.

use std::sync::Arc;

use steward_store::Store;

use crate::error::CliError;

/// Connect, apply migrations, and refuse a database newer than this binary.
///
/// # Errors
/// Connection or schema failures, with the URL's password redacted.
pub async fn open(url: &str) -> Result<Arc<dyn Store>, CliError> {
    Err(CliError::Input(format!(
        "the PostgreSQL store is not available in this build (`{}`)",
        crate::runtime::redact_url(url)
    )))
}
