//! `steward retention run [--dry-run] [--json]`: the retention sweep (RET-01, RET-02, RET-03): vault items
//! past their deadline erased, usage events older than their retention deleted, log-in
//! security records purged after 90 days, USPS scans anonymized — legal holds respected and
//! reported, holds past their review date flagged. A dry run changes nothing and reports
//! exactly what a run would do.
//!
//! `steward retention record-event <subject> <event> [--at T]` records a lifecycle event
//! (account closed or reopened, last activity, contract end) that starts the retention clocks
//! of the subject's account data (RET-01); `steward retention events <subject>` lists them.

use std::process::ExitCode;

use std::str::FromStr;

use clap::{Subcommand, ValueEnum};
use steward_core::Caller;
use steward_core::retention::{RetentionOptions, RetentionReport};
use steward_store::ids::SubjectId;
use steward_store::model::lifecycle::LifecycleKind;

use crate::error::CliError;
use crate::runtime::{StoreArgs, start};

/// A lifecycle event that starts retention clocks.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum EventArg {
    /// The account was closed.
    AccountClosed,
    /// The account was reopened (clears what the closure set).
    AccountReopened,
    /// The subject was active.
    LastActivity,
    /// The subject's contract ended.
    ContractEnd,
}

impl From<EventArg> for LifecycleKind {
    fn from(e: EventArg) -> Self {
        match e {
            EventArg::AccountClosed => LifecycleKind::AccountClosed,
            EventArg::AccountReopened => LifecycleKind::AccountReopened,
            EventArg::LastActivity => LifecycleKind::LastActivity,
            EventArg::ContractEnd => LifecycleKind::ContractEnd,
        }
    }
}

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
    /// Record a lifecycle event of a subject; sets the retention deadlines it starts.
    RecordEvent {
        #[command(flatten)]
        store: StoreArgs,
        /// The subject id.
        subject: String,
        /// What happened.
        #[arg(value_enum)]
        event: EventArg,
        /// When (RFC 3339; default: now).
        #[arg(long)]
        at: Option<String>,
        /// Print the answer as JSON.
        #[arg(long)]
        json: bool,
    },
    /// List the lifecycle events recorded for a subject.
    Events {
        #[command(flatten)]
        store: StoreArgs,
        /// The subject id.
        subject: String,
    },
}

fn subject_arg(s: &str) -> Result<SubjectId, CliError> {
    SubjectId::from_str(s).map_err(|_| CliError::usage(format!("`{s}` is not a subject id")))
}

fn json_out<T: serde::Serialize>(v: &T) -> Result<(), CliError> {
    println!(
        "{}",
        serde_json::to_string_pretty(v)
            .map_err(|e| CliError::runtime("cannot render the answer as JSON", e))?
    );
    Ok(())
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
        RetentionCommand::RecordEvent {
            store,
            subject,
            event,
            at,
            json,
        } => {
            let subject = subject_arg(&subject)?;
            let at =
                match at {
                    Some(t) => Some(t.parse::<jiff::Timestamp>().map_err(|_| {
                        CliError::usage(format!("`--at {t}` is not an RFC 3339 time"))
                    })?),
                    None => None,
                };
            let rt = start(&store).await?;
            let at = at.unwrap_or_else(|| rt.steward.clock().now());
            let out = rt
                .steward
                .record_lifecycle(
                    &Caller::Service("cli:retention".into()),
                    subject,
                    event.into(),
                    at,
                )
                .await
                .map_err(|e| CliError::core("cannot record the event", e));
            rt.steward.shutdown().await;
            let out = out?;
            if json {
                json_out(&steward_api::lifecycle::LifecycleRecorded::from(&out))?;
            } else {
                println!(
                    "recorded {} of subject {} at {}; {} item deadline(s) changed",
                    out.event.kind,
                    out.event.subject,
                    out.event.at,
                    out.items.len()
                );
                for (id, until) in &out.items {
                    match until {
                        Some(t) => println!("  item {id} kept until {t}"),
                        None => println!("  item {id}: deadline cleared"),
                    }
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        RetentionCommand::Events { store, subject } => {
            let subject = subject_arg(&subject)?;
            let rt = start(&store).await?;
            let events = rt
                .steward
                .lifecycle_events(subject)
                .await
                .map_err(|e| CliError::core("cannot list the events", e));
            rt.steward.shutdown().await;
            json_out(&steward_api::lifecycle::LifecycleEvents {
                events: events?.iter().map(Into::into).collect(),
            })?;
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
    if r.dry_run && !r.due.is_empty() {
        let _ = writeln!(s, "items (rule, clock started, deadline; hold):");
        for d in &r.due {
            let started = d
                .clock_at
                .map_or_else(|| "date unknown".to_string(), |t| t.to_string());
            let why = match &d.derived_from {
                Some(src) => format!("derived from item {src}, which goes (RET-06)"),
                None => format!(
                    "{} after {} ({started}), due {}",
                    d.rule,
                    d.clock,
                    d.retain_until
                        .map_or_else(|| "-".to_string(), |t| t.to_string())
                ),
            };
            let fate = match &d.held_by {
                Some((hold, reason)) => format!("KEPT: legal hold {hold} ({reason})"),
                None => "would be erased".to_string(),
            };
            let _ = writeln!(
                s,
                "  {} {} [{}]: {why}; {fate}",
                d.category, d.item, d.subject
            );
        }
        if r.due_truncated {
            let _ = writeln!(s, "  … (list cut; the counts above are complete)");
        }
    }
    for h in &r.overdue_holds {
        let _ = writeln!(
            s,
            "  {}: hold {} of subject {} was due for review at {}",
            h.alert, h.hold, h.subject, h.review_at
        );
    }
    s
}
