//! The `steward` command line: one binary for the service and the operator tools.
//!
//! Each command group lives in its own module; `main` parses the arguments,
//! dispatches, and turns a [`CliError`] into a message on stderr and an exit
//! code (1 for failures the user should act on, 2 for usage errors).

mod accounts_cmd;
mod audit_cmd;
mod complaints_cmd;
mod control_cmd;
mod data_cmd;
mod dsr_cmd;
mod error;
mod events_cmd;
mod incidents_cmd;
mod keys_cmd;
mod legal_cmd;
mod pg;
mod policy_cmd;
mod policy_watch;
mod retention_cmd;
mod runtime;
mod serve_cmd;
mod wiring;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// Steward makes a privacy policy enforceable by software.
#[derive(Debug, Parser)]
#[command(name = "steward", version, about, long_about = None, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check, evaluate, explain, test, render and diff policies.
    #[command(subcommand)]
    Policy(policy_cmd::PolicyCommand),
    /// Run the service: JSON API, privacy center and console (SQLite in ./steward-data by default).
    Serve(serve_cmd::ServeArgs),
    /// Bulk-load subjects, items and choices from JSON lines or CSV.
    Import(data_cmd::ImportArgs),
    /// Write a consistent snapshot of the store (SQLite; ciphertext only).
    Export(data_cmd::ExportArgs),
    /// Data subject requests: submit, list, show, verify, approve, run, receipt, report …
    #[command(subcommand)]
    Dsr(dsr_cmd::DsrCommand),
    /// Verify the tamper-evident audit log.
    #[command(subcommand)]
    Audit(audit_cmd::AuditCommand),
    /// Manage keys: status, KEK rotation with re-wrapping, signing-key rotation.
    #[command(subcommand)]
    Keys(keys_cmd::KeysCommand),
    /// Import usage events through the consent gate and IP pseudonymization; show ingest counters.
    #[command(subcommand)]
    Events(events_cmd::EventsCommand),
    /// Complaints: file, respond, resolve, escalate to the independent recourse.
    #[command(subcommand)]
    Complaints(complaints_cmd::ComplaintsCommand),
    /// The register of legal requests: register, review, report per instrument.
    #[command(subcommand)]
    Legal(legal_cmd::LegalCommand),
    /// Security incidents and breaches: record, assess, notices with due times, close.
    #[command(subcommand)]
    Incidents(incidents_cmd::IncidentsCommand),
    /// Accounts, the agreements the policy declares (undertaking, USPS PAS, carrier notice) and selected carriers.
    #[command(subcommand)]
    Accounts(accounts_cmd::AccountsCommand),
    /// Change of control: the notice owed to each affected person and their answer to "stop
    /// promotions?" (BIZ-02, BIZ-03).
    #[command(subcommand)]
    ChangeOfControl(control_cmd::ControlCommand),
    /// Run the retention sweep (erase or anonymize what is past its retention; legal holds respected).
    #[command(subcommand)]
    Retention(retention_cmd::RetentionCommand),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if !matches!(cli.command, Command::Serve(_)) {
        // A one-shot command piped into `head` ends quietly when the reader leaves, as other
        // Unix tools do, instead of panicking on a closed stdout. The server keeps Rust's
        // default (SIGPIPE ignored): a peer closing a socket must never end it.
        sigpipe::reset();
    }
    let result = match cli.command {
        Command::Policy(cmd) => policy_cmd::run(cmd),
        Command::Serve(args) => with_runtime(serve_cmd::run(args)),
        Command::Import(args) => with_runtime(data_cmd::import(args)),
        Command::Export(args) => with_runtime(data_cmd::export(args)),
        Command::Dsr(cmd) => with_runtime(dsr_cmd::run(cmd)),
        Command::Audit(cmd) => with_runtime(audit_cmd::run(cmd)),
        Command::Keys(cmd) => with_runtime(keys_cmd::run(cmd)),
        Command::Events(cmd) => with_runtime(events_cmd::run(cmd)),
        Command::Retention(cmd) => with_runtime(retention_cmd::run(cmd)),
        Command::Accounts(cmd) => with_runtime(accounts_cmd::run(cmd)),
        Command::Incidents(cmd) => with_runtime(incidents_cmd::run(cmd)),
        Command::Complaints(cmd) => with_runtime(complaints_cmd::run(cmd)),
        Command::Legal(cmd) => with_runtime(legal_cmd::run(cmd)),
        Command::ChangeOfControl(cmd) => with_runtime(control_cmd::run(cmd)),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("{}", e.report());
            ExitCode::from(e.exit_code())
        }
    }
}

/// Run an async command on a multi-threaded tokio runtime.
fn with_runtime<F: std::future::Future<Output = Result<ExitCode, error::CliError>>>(
    f: F,
) -> Result<ExitCode, error::CliError> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(error::CliError::Stdio)?
        .block_on(f)
}
