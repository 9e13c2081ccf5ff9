//! `steward events import` and `steward events counts`: usage events from JSON lines through
//! the same door as `POST /v1/events` (consent gating, stripping, IP pseudonyms, counters),
//! and the ingest counters per day.
//!
//! Without the IP pseudonymization key the import stops before reading a line: no raw
//! address is ever stored.

use std::io::BufRead;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;
use steward_core::Caller;
use steward_core::ingest::{BatchReport, EventSlot, IngestConfig, Ingestor};

use crate::error::CliError;
use crate::runtime::{StoreArgs, start};

/// Usage-event subcommands.
#[derive(Debug, Subcommand)]
pub enum EventsCommand {
    /// Import usage events from JSON lines (one event per line, `-` for stdin).
    Import {
        #[command(flatten)]
        store: StoreArgs,
        /// The file (`-`: standard input).
        file: PathBuf,
        /// Events per batch.
        #[arg(long, default_value_t = 5000)]
        batch: usize,
        /// A MaxMind-format database for coarse regions (GeoIP2/GeoLite2 City or Country).
        #[arg(long, env = "STEWARD_GEOIP_DB")]
        geoip: Option<PathBuf>,
        /// Print the summary as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Show the ingest counters (accepted, stripped, dropped, rejected by reason) per day.
    Counts {
        #[command(flatten)]
        store: StoreArgs,
        /// First day (YYYY-MM-DD, UTC). Default: 30 days ago.
        #[arg(long)]
        from: Option<String>,
        /// Last day (YYYY-MM-DD, UTC). Default: today.
        #[arg(long)]
        until: Option<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

/// Run an events subcommand.
pub async fn run(cmd: EventsCommand) -> Result<ExitCode, CliError> {
    match cmd {
        EventsCommand::Import {
            store,
            file,
            batch,
            geoip,
            json,
        } => import(store, file, batch, geoip, json).await,
        EventsCommand::Counts {
            store,
            from,
            until,
            json,
        } => counts(store, from, until, json).await,
    }
}

/// One problem, by input line.
struct Problem {
    line: usize,
    outcome: &'static str,
    reason: String,
}

async fn import(
    store: StoreArgs,
    file: PathBuf,
    batch: usize,
    geoip: Option<PathBuf>,
    json: bool,
) -> Result<ExitCode, CliError> {
    let rt = start(&store).await?;
    let geo = match &geoip {
        Some(p) => Some(crate::wiring::geo(p)?),
        None => None,
    };
    let ingest = Ingestor::new(
        rt.steward.clone(),
        rt.keys.ip_pseudonymizer(),
        IngestConfig {
            geo,
            max_batch: batch.max(1),
            ..IngestConfig::default()
        },
    )
    .map_err(|e| CliError::core("usage events are not imported", e))?;
    let reader: Box<dyn BufRead> = if file.as_os_str() == "-" {
        Box::new(std::io::BufReader::new(std::io::stdin()))
    } else {
        Box::new(std::io::BufReader::new(
            std::fs::File::open(&file).map_err(|source| CliError::Io {
                action: "read",
                path: file.clone(),
                source,
            })?,
        ))
    };
    let bar = if json {
        indicatif::ProgressBar::hidden()
    } else {
        indicatif::ProgressBar::new_spinner()
    };
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {pos} events {per_sec}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
    );
    let caller = Caller::Service("cli:events-import".into());
    let mut total = BatchReport::default();
    let mut problems: Vec<Problem> = Vec::new();
    let mut slots: Vec<EventSlot> = Vec::with_capacity(batch);
    let mut lines: Vec<usize> = Vec::with_capacity(batch);
    #[expect(
        clippy::disallowed_methods,
        reason = "the duration printed for the operator is monotonic time"
    )]
    let started = std::time::Instant::now();
    for (n, line) in reader.lines().enumerate() {
        let line = line.map_err(CliError::Stdio)?;
        if line.trim().is_empty() {
            continue;
        }
        // Each line is one event in the API's shape (`UsageEvent`); a line that does not
        // decode is rejected with why, and the rest is kept.
        slots.push(steward_api::events::event_slot(&line));
        lines.push(n + 1);
        if slots.len() >= batch {
            flush(
                &ingest,
                &caller,
                &mut slots,
                &mut lines,
                &mut total,
                &mut problems,
            )
            .await?;
            bar.set_position(total.accepted + total.stripped + total.dropped + total.rejected);
        }
    }
    flush(
        &ingest,
        &caller,
        &mut slots,
        &mut lines,
        &mut total,
        &mut problems,
    )
    .await?;
    bar.finish_and_clear();
    let secs = started.elapsed().as_secs_f64();
    rt.steward.shutdown().await;
    let n = total.accepted + total.stripped + total.dropped + total.rejected;
    if json {
        println!(
            "{}",
            serde_json::json!({
                "events": n,
                "accepted": total.accepted,
                "stripped": total.stripped,
                "dropped": total.dropped,
                "rejected": total.rejected,
                "seconds": secs,
                "problems": problems.iter().take(1000).map(|p| serde_json::json!({
                    "line": p.line, "outcome": p.outcome, "reason": p.reason})).collect::<Vec<_>>(),
            })
        );
    } else {
        println!(
            "{n} events in {secs:.2} s: {} accepted, {} stripped, {} dropped by policy, {} rejected",
            total.accepted, total.stripped, total.dropped, total.rejected
        );
        for p in problems.iter().filter(|p| p.outcome == "rejected").take(20) {
            println!("  line {}: rejected, {}", p.line, p.reason);
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn flush(
    ingest: &Ingestor,
    caller: &Caller,
    slots: &mut Vec<EventSlot>,
    lines: &mut Vec<usize>,
    total: &mut BatchReport,
    problems: &mut Vec<Problem>,
) -> Result<(), CliError> {
    if slots.is_empty() {
        return Ok(());
    }
    let r = ingest
        .ingest_events(caller, std::mem::take(slots))
        .await
        .map_err(|e| CliError::core("usage events are not imported", e))?;
    total.accepted += r.accepted;
    total.stripped += r.stripped;
    total.dropped += r.dropped;
    total.rejected += r.rejected;
    for x in r.results {
        problems.push(Problem {
            line: lines.get(x.index).copied().unwrap_or(0),
            outcome: match x.outcome {
                steward_core::ingest::EventOutcome::Accepted => "accepted",
                steward_core::ingest::EventOutcome::Stripped => "stripped",
                steward_core::ingest::EventOutcome::Dropped => "dropped",
                steward_core::ingest::EventOutcome::Rejected => "rejected",
            },
            reason: match x.message {
                Some(m) => format!("{}: {m}", x.reason),
                None => x.reason,
            },
        });
    }
    lines.clear();
    Ok(())
}

fn day(s: &str) -> Result<jiff::civil::Date, CliError> {
    s.parse()
        .map_err(|_| CliError::Usage(format!("`{s}` is not a date (YYYY-MM-DD)")))
}

async fn counts(
    store: StoreArgs,
    from: Option<String>,
    until: Option<String>,
    json: bool,
) -> Result<ExitCode, CliError> {
    let rt = start(&store).await?;
    let today = steward_store::model::event::utc_day(rt.steward.clock().now());
    let until = match until {
        Some(u) => day(&u)?,
        None => today,
    };
    let from = match from {
        Some(f) => day(&f)?,
        None => until
            .checked_sub(jiff::Span::new().days(30))
            .map_err(|e| CliError::Usage(e.to_string()))?,
    };
    let rows = rt
        .steward
        .store()
        .ingest_counts(from, until)
        .await
        .map_err(|e| CliError::runtime("cannot read the ingest counts", e))?;
    if json {
        let out: Vec<_> = rows
            .iter()
            .map(|c| {
                serde_json::json!({"day": c.day.to_string(), "stream": c.stream.as_str(),
                    "outcome": c.outcome.as_str(), "reason": c.reason.as_str(), "count": c.count})
            })
            .collect();
        println!("{}", serde_json::Value::Array(out));
    } else if rows.is_empty() {
        println!("no events counted between {from} and {until}");
    } else {
        println!(
            "{:<10}  {:<9}  {:<8}  {:<24}  {:>10}",
            "day", "stream", "outcome", "reason", "count"
        );
        for c in &rows {
            println!(
                "{:<10}  {:<9}  {:<8}  {:<24}  {:>10}",
                c.day.to_string(),
                c.stream.as_str(),
                c.outcome.as_str(),
                c.reason.as_str(),
                c.count
            );
        }
    }
    rt.steward.shutdown().await;
    Ok(ExitCode::SUCCESS)
}
