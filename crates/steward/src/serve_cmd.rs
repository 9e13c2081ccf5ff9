//! `steward serve`: the service (HTTP API, privacy center, console) — wired up by the service work.

use std::process::ExitCode;

use clap::Args;

use crate::error::CliError;
use crate::runtime::StoreArgs;

/// Flags of `steward serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub store: StoreArgs,
}

/// Run the service.
#[allow(clippy::unused_async)]
pub async fn run(args: ServeArgs) -> Result<ExitCode, CliError> {
    let _ = args;
    Err(CliError::Input("`steward serve` is being built".into()))
}
