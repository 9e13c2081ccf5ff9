//! `steward retention run [--dry-run] [--json]`: the retention sweep (RET-01, RET-02, RET-03): vault items
//! past their deadline erased, usage events older than their retention deleted, log-in
//! security records purged after 90 days, USPS scans anonymized — legal holds respected and
//! reported, holds past their review date flagged. A dry run changes nothing and reports
//! exactly what a run would do.

use std::process::ExitCode;

use clap::Subcommand;
use steward_core::Caller;
use steward_core::retention::{RetentionOptions, RetentionReport};

use crate::error::CliError;
use crate::runtime::{StoreArgs, start};

/// Retention subcommands.
#[derive(Debug, Subcommand)]
pub enum RetentionCommand {
    /// Run the sweep now.
    Run {
        #[command(flatten)]
        store: StoreArgs,
        /// Count only; change nothing.
        #[arg(long)]
        dry_run: bool,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
        /// Rows per store call.
        #[arg(long, default_value_t = 1000)]
        batch: u32,
    },
}

/// Run a retention subcommand. Exits 0 after a sweep, also when holds are overdue (they are
/// reported); store failures exit 1.
pub async fn run(cmd: RetentionCommand) -> Result<ExitCode, CliError> {
    match cmd {
        RetentionCommand::Run {
            store,
            dry_run,
            json,
            batch,
        } => {
            let rt = start(&store).await?;
            let report = rt
                .steward
                .run_retention(
                    &Caller::Service("cli:retention".into()),
                    RetentionOptions { dry_run, batch },
                )
                .await
                .map_err(|e| CliError::core("retention sweep failed", e))?;
            rt.steward.shutdown().await;
            if json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&steward_api::usage::RetentionReport::from(
                        &report
                    ))
                    .map_err(|e| CliError::runtime("cannot render the answer as JSON", e))?
                );
            } else {
                print!("{}", render(&report));
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn render(r: &RetentionReport) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    let verb = if r.dry_run { "would be" } else { "were" };
    let _ = writeln!(
        s,
        "retention sweep at {}{}",
        r.at,
        if r.dry_run {
            " (dry run: nothing changed)"
        } else {
            ""
        }
    );
    let _ = writeln!(s, "  {:<28} {:>10} {:>8}", "", "done", "held");
    for (cat, c) in &r.items {
        let _ = writeln!(
            s,
            "  {:<28} {:>10} {:>8}",
            format!("item {cat}"),
            c.done,
            c.held
        );
    }
    for (name, c) in [
        ("usage events", r.usage_events),
        ("log-in security records", r.logins),
        ("USPS scans (anonymized)", r.usps_scans),
    ] {
        let _ = writeln!(s, "  {:<28} {:>10} {:>8}", name, c.done, c.held);
    }
    let _ = writeln!(
        s,
        "{} item(s) and row(s) {verb} erased, deleted or anonymized; {} kept under legal holds",
        r.total_done(),
        r.total_held()
    );
    for h in &r.overdue_holds {
        let _ = writeln!(
            s,
            "  {}: hold {} of subject {} was due for review at {}",
            h.alert, h.hold, h.subject, h.review_at
        );
    }
    s
}
