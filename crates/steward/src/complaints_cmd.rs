//! `steward complaints …`: complaints from the command line (CONTACT-01, CONTACT-03,
//! CONTACT-04, DPF-05) — file one (taken by staff, or from the privacy mailbox), list them by
//! the first response due, show one (with `--text`, what the person lodged with it: their
//! address, name and words, an audited read of personal data), record the response, close it
//! resolved or unresolved (the independent recourse is offered free of charge, and e-mailed
//! to a complainant who lodged it themselves, through the outbox, as the API does), escalate.
//! The same use cases as `/v1/complaints`, audited as `cli:complaints`; `--json` prints the
//! API's shapes.

use std::process::ExitCode;
use std::str::FromStr;

use clap::{Subcommand, ValueEnum};
use steward_api::complaints::{ComplaintOut, ComplaintTextOut, complaint_out};
use steward_core::complaints::{Complaint, ComplaintChannel, ComplaintInput, Resolution};
use steward_core::{Caller, CoreError};
use steward_store::ids::{CaseId, SubjectId};

use crate::error::CliError;
use crate::runtime::{StoreArgs, start};

/// Where a complaint arrived.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Channel {
    /// The privacy e-mail address.
    EmailPrivacy,
    /// The privacy center.
    PrivacyCenter,
    /// Taken by staff (a call, a letter).
    Console,
}

/// How it ended.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Outcome {
    /// Resolved.
    Resolved,
    /// Not resolved: the independent recourse is offered.
    Unresolved,
}

/// Complaint subcommands.
#[derive(Debug, Subcommand)]
pub enum ComplaintsCommand {
    /// Open complaints (or all), the soonest first response due first.
    List {
        #[command(flatten)]
        store: StoreArgs,
        /// Include closed complaints.
        #[arg(long)]
        closed: bool,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// One complaint.
    Show {
        #[command(flatten)]
        store: StoreArgs,
        /// The complaint id.
        id: String,
        /// Also print what the person lodged with it (their address, name and words): a read
        /// of personal data, audited.
        #[arg(long)]
        text: bool,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// File a complaint; prints its id.
    File {
        #[command(flatten)]
        store: StoreArgs,
        /// Where it arrived.
        #[arg(long, value_enum, default_value = "console")]
        channel: Channel,
        /// What it is about (`access_request`, `marketing`, `other` …).
        #[arg(long)]
        topic: String,
        /// When it arrived (RFC 3339; default now).
        #[arg(long)]
        received_at: Option<String>,
        /// The complainant's subject id.
        #[arg(long)]
        subject: Option<String>,
        /// The complainant's jurisdiction, when not a stored subject.
        #[arg(long)]
        jurisdiction: Option<String>,
        /// Raised under the Data Privacy Framework.
        #[arg(long)]
        dpf: bool,
        /// Where its words are (mailbox message id, ticket).
        #[arg(long)]
        reference: Option<String>,
    },
    /// Record the first response.
    Respond {
        #[command(flatten)]
        store: StoreArgs,
        /// The complaint id.
        id: String,
        /// What was answered (a reference).
        #[arg(long)]
        response: String,
        /// When (RFC 3339; default now).
        #[arg(long)]
        responded_at: Option<String>,
    },
    /// Close with the resolution.
    Resolve {
        #[command(flatten)]
        store: StoreArgs,
        /// The complaint id.
        id: String,
        /// Resolved or not.
        #[arg(value_enum)]
        outcome: Outcome,
    },
    /// Record the escalation of an unresolved complaint to the dispute-resolution provider.
    Escalate {
        #[command(flatten)]
        store: StoreArgs,
        /// The complaint id.
        id: String,
    },
}

fn usage(msg: String) -> CliError {
    CliError::Usage(msg)
}

fn failed(e: CoreError) -> CliError {
    match e {
        CoreError::Invalid { code, message } => usage(format!("{code}: {message}")),
        other => CliError::core("", other),
    }
}

fn time(raw: &str, name: &str) -> Result<jiff::Timestamp, CliError> {
    raw.parse()
        .map_err(|_| usage(format!("--{name}: `{raw}` is not an RFC 3339 time")))
}

fn case_id(raw: &str) -> Result<CaseId, CliError> {
    CaseId::from_str(raw).map_err(|_| usage(format!("`{raw}` is not a complaint id")))
}

fn render(c: &ComplaintOut) -> String {
    let mut s = format!(
        "complaint {}  [{}]  {}  received {}  first response due {} ({}){}\n",
        c.id,
        c.state,
        c.topic,
        c.received_at,
        c.first_response_due,
        c.response_status,
        if c.eu_or_dpf { "  EU/DPF" } else { "" }
    );
    match (c.words.as_str(), &c.words_erased_at) {
        ("lodged", _) => s.push_str("  lodged by the person: `show --text` reads their words\n"),
        ("erased", Some(at)) => s.push_str(&format!(
            "  the complainant was erased {at}: what they lodged is gone, the record remains\n"
        )),
        _ => {}
    }
    if let Some(r) = &c.recourse {
        s.push_str(&format!(
            "  recourse offered: {} <{}>, free of charge{}\n",
            r.provider,
            r.url,
            c.escalated_at
                .as_deref()
                .map(|at| format!("; escalated {at}"))
                .unwrap_or_default()
        ));
    }
    s
}

/// `show --text`: the complaint and what the person lodged with it, read through the request
/// workflow (which holds the seal), audited as `complaint.read_words`.
async fn show_text(store: &StoreArgs, id: CaseId, json: bool) -> Result<ExitCode, CliError> {
    let caller = Caller::Service("cli:complaints".into());
    let rt = start(store).await?;
    let r = match crate::wiring::requests(&rt) {
        Ok(r) => r,
        Err(e) => {
            rt.steward.shutdown().await;
            return Err(e);
        }
    };
    let s = &rt.steward;
    let now = s.clock().now();
    let result = async {
        let c = s.complaint(id).await?;
        let w = r.complaint_words(&caller, id).await?;
        Ok::<_, CoreError>((c, w))
    }
    .await;
    s.shutdown().await;
    let (c, w) = result.map_err(failed)?;
    let out = complaint_out(&c, now);
    if json {
        let text = ComplaintTextOut {
            complaint_id: id.to_string(),
            email: w.email.expose().clone(),
            name: w.name.map(|n| n.expose().clone()),
            text: w.text.expose().clone(),
        };
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({"complaint": out, "lodged": text}))
                .map_err(|e| CliError::runtime("cannot write JSON", e))?
        );
    } else {
        print!("{}", render(&out));
        println!("  from: {}", w.email.expose());
        if let Some(n) = &w.name {
            println!("  name: {}", n.expose());
        }
        println!("  text:");
        for line in w.text.expose().lines() {
            println!("    {line}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Run a complaints subcommand.
pub async fn run(cmd: ComplaintsCommand) -> Result<ExitCode, CliError> {
    let caller = Caller::Service("cli:complaints".into());
    let (store, work) = match cmd {
        ComplaintsCommand::List {
            store,
            closed,
            json,
        } => (store, Work::List(closed, json)),
        ComplaintsCommand::Show {
            store,
            id,
            text,
            json,
        } => {
            let id = case_id(&id)?;
            if text {
                return show_text(&store, id, json).await;
            }
            (store, Work::Show(id, json))
        }
        ComplaintsCommand::File {
            store,
            channel,
            topic,
            received_at,
            subject,
            jurisdiction,
            dpf,
            reference,
        } => (
            store,
            Work::File(ComplaintInput {
                channel: match channel {
                    Channel::EmailPrivacy => ComplaintChannel::EmailPrivacy,
                    Channel::PrivacyCenter => ComplaintChannel::PrivacyCenter,
                    Channel::Console => ComplaintChannel::Console,
                },
                received_at: received_at
                    .as_deref()
                    .map(|t| time(t, "received-at"))
                    .transpose()?,
                subject: subject
                    .as_deref()
                    .map(|s| {
                        SubjectId::from_str(s)
                            .map_err(|_| usage(format!("`{s}` is not a subject id")))
                    })
                    .transpose()?,
                jurisdiction,
                dpf,
                topic,
                reference,
                id: None,
                sealed: None,
            }),
        ),
        ComplaintsCommand::Respond {
            store,
            id,
            response,
            responded_at,
        } => (
            store,
            Work::Respond(
                case_id(&id)?,
                responded_at
                    .as_deref()
                    .map(|t| time(t, "responded-at"))
                    .transpose()?,
                response,
            ),
        ),
        ComplaintsCommand::Resolve { store, id, outcome } => (
            store,
            Work::Resolve(
                case_id(&id)?,
                match outcome {
                    Outcome::Resolved => Resolution::Resolved,
                    Outcome::Unresolved => Resolution::Unresolved,
                },
            ),
        ),
        ComplaintsCommand::Escalate { store, id } => (store, Work::Escalate(case_id(&id)?)),
    };
    let (is_file, json) = match &work {
        Work::File(_) => (true, false),
        Work::List(_, json) | Work::Show(_, json) => (false, *json),
        _ => (false, false),
    };
    let rt = start(&store).await?;
    // Closing unresolved e-mails the recourse through the outbox: the request workflow's use
    // case, the same as the API's (CONTACT-03, DPF-05).
    let workflow = match &work {
        Work::Resolve(..) => match crate::wiring::requests(&rt) {
            Ok(r) => Some(r),
            Err(e) => {
                rt.steward.shutdown().await;
                return Err(e);
            }
        },
        _ => None,
    };
    let s = &rt.steward;
    let now = s.clock().now();
    let result: Result<Vec<Complaint>, CoreError> = async {
        Ok(match work {
            Work::List(closed, _) => s.complaints(closed, 1000).await?,
            Work::Show(id, _) => vec![s.complaint(id).await?],
            Work::File(input) => vec![s.file_complaint(&caller, input).await?],
            Work::Respond(id, at, r) => vec![s.respond_to_complaint(&caller, id, at, &r).await?],
            Work::Resolve(id, r) => match &workflow {
                Some(w) => vec![w.resolve_complaint(&caller, id, r).await?],
                None => vec![s.resolve_complaint(&caller, id, r).await?],
            },
            Work::Escalate(id) => vec![s.escalate_complaint(&caller, id).await?],
        })
    }
    .await;
    s.shutdown().await;
    let list = result.map_err(failed)?;
    let out: Vec<ComplaintOut> = list.iter().map(|c| complaint_out(c, now)).collect();
    if is_file {
        if let Some(c) = out.first() {
            println!("{}", c.id);
        }
    } else if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&out)
                .map_err(|e| CliError::runtime("cannot write JSON", e))?
        );
    } else if out.is_empty() {
        println!("no complaints");
    } else {
        for c in &out {
            print!("{}", render(c));
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// What to do once the store is open.
#[derive(Debug)]
enum Work {
    List(bool, bool),
    Show(CaseId, bool),
    File(ComplaintInput),
    Respond(CaseId, Option<jiff::Timestamp>, String),
    Resolve(CaseId, Resolution),
    Escalate(CaseId),
}
