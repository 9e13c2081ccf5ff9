//! `steward audit verify`: recompute the hash chain and check every signed
//! checkpoint (AUD-02); name the first entry that was altered, removed or
//! reordered.

use std::process::ExitCode;

use clap::Subcommand;

use crate::error::CliError;
use crate::runtime::{StoreArgs, start};

/// Audit subcommands.
#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Verify the whole audit chain and its signed checkpoints.
    Verify {
        #[command(flatten)]
        store: StoreArgs,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

/// Run an audit subcommand.
pub async fn run(cmd: AuditCommand) -> Result<ExitCode, CliError> {
    match cmd {
        AuditCommand::Verify { store, json } => {
            let rt = start(&store).await?;
            let started = std::time::Instant::now();
            let result = rt
                .steward
                .verify_audit()
                .await
                .map_err(|e| CliError::Input(e.to_string()))?;
            let secs = started.elapsed().as_secs_f64();
            match result {
                Ok(report) => {
                    if json {
                        println!(
                            "{}",
                            serde_json::json!({"ok": true, "entries": report.entries, "checkpoints": report.checkpoints,
                                "head": report.head.map(|h| h.seq.get()), "seconds": secs})
                        );
                    } else {
                        println!(
                            "audit log ok: {} entries, {} signed checkpoints verified, head at {} ({secs:.2} s)",
                            report.entries,
                            report.checkpoints,
                            report.head.map_or_else(
                                || "—".to_string(),
                                |h| format!("#{} {}", h.seq.get(), h.hash.to_hex())
                            )
                        );
                    }
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => {
                    if json {
                        println!(
                            "{}",
                            serde_json::json!({"ok": false, "error": e.to_string()})
                        );
                    } else {
                        println!("AUDIT LOG BROKEN: {e}");
                    }
                    Ok(ExitCode::from(1))
                }
            }
        }
    }
}
