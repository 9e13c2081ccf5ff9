//! `steward audit verify`: recompute the hash chain and check every signed
//! checkpoint (AUD-02), and the latest signed head kept outside the database
//! (the key ring directory's `audit-head.json`, and witness files); name the
//! first entry that was altered, removed or reordered, or the first checkpoint
//! that is malformed or missing.
//!
//! Exit status: 0 the log verifies; 1 it does not (tampering, named); 2 it could
//! not be read.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;
use steward_store::verify::{BreakKind, VerifyError, VerifyReport};

use crate::error::CliError;
use crate::runtime::{StoreArgs, start};

/// Audit subcommands.
#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Verify the whole audit chain, its signed checkpoints and the signed head kept outside
    /// the database.
    Verify {
        #[command(flatten)]
        store: StoreArgs,
        /// Print JSON.
        #[arg(long)]
        json: bool,
        /// A witness file (JSON lines of signed heads, see `[audit] witness`): the log must
        /// reach and agree with its last line too. Repeatable.
        #[arg(long = "witness", value_name = "FILE")]
        witnesses: Vec<PathBuf>,
        /// Refuse a log with more entries than this and no signed checkpoint at all
        /// (default: `[audit] max_unsigned`, 10 000).
        #[arg(long, value_name = "N")]
        max_unsigned: Option<u64>,
    },
}

/// The stable name of a break kind (JSON `break.kind`).
fn kind_name(kind: BreakKind) -> &'static str {
    match kind {
        BreakKind::Altered => "altered",
        BreakKind::Removed => "removed",
        BreakKind::Reordered => "reordered",
        BreakKind::Malformed => "malformed",
        BreakKind::CheckpointMismatch { .. } => "checkpoint_mismatch",
        BreakKind::BadSignature => "bad_signature",
        BreakKind::UnknownKey => "unknown_key",
        BreakKind::CheckpointOrder => "checkpoint_order",
        BreakKind::MalformedCheckpoint { .. } => "malformed_checkpoint",
        BreakKind::CheckpointRemoved => "checkpoint_removed",
        BreakKind::Unsigned { .. } => "unsigned",
    }
}

fn ok_json(report: &VerifyReport, secs: f64) -> serde_json::Value {
    serde_json::json!({
        "ok": true,
        "entries": report.entries,
        "checkpoints": report.checkpoints,
        "head": report.head.map(|h| h.seq.get()),
        "head_hash": report.head.map(|h| h.hash.to_hex()),
        "last_checkpoint": report.last_checkpoint.map(|s| s.get()),
        "signed_head": report.signed_head.map(|s| s.get()),
        "unsigned": report.unsigned,
        "pending_intents": report.pending_intents,
        "seconds": secs,
    })
}

fn ok_text(report: &VerifyReport, secs: f64) -> String {
    let head = report.head.map_or_else(
        || "—".to_string(),
        |h| format!("#{} {}", h.seq.get(), h.hash.to_hex()),
    );
    let outside = report.signed_head.map_or_else(
        || "no signed head outside the database yet".to_string(),
        |s| {
            format!(
                "the signed head outside the database (#{}) matches",
                s.get()
            )
        },
    );
    let mut line = format!(
        "audit log ok: {} entries, {} signed checkpoints verified, head at {head} ({secs:.2} s); {outside}; {} entries after the last signed checkpoint",
        report.entries, report.checkpoints, report.unsigned
    );
    if report.pending_intents > 0 {
        line.push_str(&format!(
            "; {} audit entries of committed writes wait to be chained",
            report.pending_intents
        ));
    }
    line
}

/// Run an audit subcommand.
pub async fn run(cmd: AuditCommand) -> Result<ExitCode, CliError> {
    match cmd {
        AuditCommand::Verify {
            store,
            json,
            witnesses,
            max_unsigned,
        } => {
            let rt = start(&store).await?;
            #[expect(
                clippy::disallowed_methods,
                reason = "the duration printed for the operator is monotonic time"
            )]
            let started = std::time::Instant::now();
            let limit = max_unsigned.or(rt.config.audit.max_unsigned);
            let (result, _) = rt
                .steward
                .verify_audit_with(&witnesses, limit)
                .await
                .map_err(|e| CliError::AuditUnreadable(e.into()))?;
            let secs = started.elapsed().as_secs_f64();
            match result {
                Ok(report) => {
                    if json {
                        println!("{}", ok_json(&report, secs));
                    } else {
                        println!("{}", ok_text(&report, secs));
                    }
                    Ok(ExitCode::SUCCESS)
                }
                Err(VerifyError::Broken(b)) => {
                    if json {
                        println!(
                            "{}",
                            serde_json::json!({
                                "ok": false,
                                "error": b.to_string(),
                                "break": {
                                    "seq": b.seq.get(),
                                    "kind": kind_name(b.kind),
                                    "message": b.to_string(),
                                },
                            })
                        );
                    } else {
                        println!("AUDIT LOG BROKEN: {b}");
                    }
                    Ok(ExitCode::from(1))
                }
                // Read failures are returned as `Err` by the core; this arm is for completeness.
                Err(VerifyError::Store(e)) => Err(CliError::AuditUnreadable(e.into())),
            }
        }
    }
}
