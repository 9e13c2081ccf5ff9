//! `steward legal …`: the register of legal requests from the command line (LEGALREQ-01, LEGALREQ-02, LEGALREQ-03, LEGALREQ-04, LEGALREQ-05, LEGALREQ-06)
//! — list it, show one, register one, review it (as someone other than who registered it:
//! `--as` names the reviewer in the audit log), disclose under it (decided against the record
//! like `POST /v1/legal-requests/{id}/disclose`, recorded in the disclosure register, the
//! subject notified through the outbox unless a gag order or a prohibition of notice
//! suppresses it: LEGALREQ-05), and the report of requests and disclosures per instrument in
//! a period (LEGALREQ-04).

use std::process::ExitCode;
use std::str::FromStr;

use clap::{Subcommand, ValueEnum};
use steward_api::legal::{LegalReportOut, LegalRequestOut};
use steward_core::legal::{Basis, Instrument, LegalRequestInput, ReviewDecision};
use steward_core::{Caller, CoreError};
use steward_store::ids::{CaseId, SubjectId};

use crate::accounts_cmd::json;
use crate::error::CliError;
use crate::runtime::{StoreArgs, start};

/// The instrument.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum InstrumentArg {
    /// A court order.
    CourtOrder,
    /// A subpoena.
    Subpoena,
    /// A search warrant.
    SearchWarrant,
    /// A national-security request.
    NationalSecurity,
    /// Another law-enforcement request.
    OtherLawEnforcementRequest,
    /// On the company's own initiative.
    SelfInitiatedProtection,
}

/// The basis.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum BasisArg {
    /// Compelled.
    RequiredByLaw,
    /// Permitted.
    PermittedByLaw,
}

/// The review's decision.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum DecisionArg {
    /// Disclose within scope.
    Approve,
    /// Do not disclose.
    Reject,
}

/// Legal request subcommands.
#[derive(Debug, Subcommand)]
pub enum LegalCommand {
    /// The register (open requests, or all), as JSON.
    List {
        #[command(flatten)]
        store: StoreArgs,
        /// Include closed (rejected) requests.
        #[arg(long)]
        closed: bool,
    },
    /// One request, as JSON.
    Show {
        #[command(flatten)]
        store: StoreArgs,
        /// The request id.
        id: String,
    },
    /// Register a request; prints its id.
    Register {
        #[command(flatten)]
        store: StoreArgs,
        /// The authority.
        #[arg(long)]
        authority: String,
        /// The instrument.
        #[arg(long, value_enum)]
        instrument: InstrumentArg,
        /// The legal basis.
        #[arg(long, value_enum)]
        basis: BasisArg,
        /// A category in scope (repeatable).
        #[arg(long = "scope")]
        scope: Vec<String>,
        /// A subject it concerns (repeatable; subject ids).
        #[arg(long = "subject")]
        subjects: Vec<String>,
        /// A non-disclosure order (the subjects are not told: LEGALREQ-05).
        #[arg(long)]
        gag_order: bool,
        /// Notice to the subjects is legally prohibited, for this reason (the statute or order).
        #[arg(long, value_name = "REASON")]
        notice_prohibited: Option<String>,
        /// Where the instrument is kept.
        #[arg(long)]
        reference: Option<String>,
    },
    /// Review a request (LEGALREQ-02).
    Review {
        #[command(flatten)]
        store: StoreArgs,
        /// The request id.
        id: String,
        /// Approve or reject.
        #[arg(value_enum)]
        decision: DecisionArg,
        /// Why.
        #[arg(long)]
        rationale: String,
        /// Who reviews (recorded as `cli:<name>`; not the one who registered it).
        #[arg(long = "as", value_name = "NAME")]
        reviewer: String,
    },
    /// Disclose a subject's categories under an approved request, as JSON: decided against
    /// the record (scope, review), recorded in the disclosure register, the subject notified
    /// by e-mail unless a gag order or a prohibition of notice suppresses it (LEGALREQ-05).
    Disclose {
        #[command(flatten)]
        store: StoreArgs,
        /// The request id.
        id: String,
        /// The subject (named by the request).
        #[arg(long)]
        subject: String,
        /// The authority's recipient id in the policy (`LE1` …).
        #[arg(long)]
        recipient: String,
        /// The purpose.
        #[arg(long, default_value = "legal_compliance")]
        purpose: String,
        /// A category to send (repeatable; within the request's scope).
        #[arg(long = "category", required = true)]
        categories: Vec<String>,
    },
    /// Requests and disclosures per instrument in a period (LEGALREQ-04), as JSON.
    Report {
        #[command(flatten)]
        store: StoreArgs,
        /// From (RFC 3339, inclusive).
        #[arg(long)]
        from: Option<String>,
        /// Until (RFC 3339, exclusive).
        #[arg(long)]
        until: Option<String>,
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
    CaseId::from_str(raw).map_err(|_| usage(format!("`{raw}` is not a legal request id")))
}

/// Run a legal subcommand.
pub async fn run(cmd: LegalCommand) -> Result<ExitCode, CliError> {
    let intake = Caller::Service("cli:legal".into());
    match cmd {
        LegalCommand::List { store, closed } => {
            let rt = start(&store).await?;
            let r = rt.steward.legal_requests(closed, 1000).await;
            rt.steward.shutdown().await;
            let out: Vec<LegalRequestOut> = r
                .map_err(failed)?
                .iter()
                .map(LegalRequestOut::from)
                .collect();
            json(&out)?;
        }
        LegalCommand::Show { store, id } => {
            let id = case_id(&id)?;
            let rt = start(&store).await?;
            let r = rt.steward.legal_request(id).await;
            rt.steward.shutdown().await;
            json(&LegalRequestOut::from(&r.map_err(failed)?))?;
        }
        LegalCommand::Register {
            store,
            authority,
            instrument,
            basis,
            scope,
            subjects,
            gag_order,
            notice_prohibited,
            reference,
        } => {
            let subjects = subjects
                .iter()
                .map(|s| {
                    SubjectId::from_str(s).map_err(|_| usage(format!("`{s}` is not a subject id")))
                })
                .collect::<Result<Vec<_>, _>>()?;
            let input = LegalRequestInput {
                authority,
                instrument: match instrument {
                    InstrumentArg::CourtOrder => Instrument::CourtOrder,
                    InstrumentArg::Subpoena => Instrument::Subpoena,
                    InstrumentArg::SearchWarrant => Instrument::SearchWarrant,
                    InstrumentArg::NationalSecurity => Instrument::NationalSecurity,
                    InstrumentArg::OtherLawEnforcementRequest => {
                        Instrument::OtherLawEnforcementRequest
                    }
                    InstrumentArg::SelfInitiatedProtection => Instrument::SelfInitiatedProtection,
                },
                basis: match basis {
                    BasisArg::RequiredByLaw => Basis::RequiredByLaw,
                    BasisArg::PermittedByLaw => Basis::PermittedByLaw,
                },
                scope,
                subjects,
                received_at: None,
                gag_order,
                reference,
                notice_prohibited,
            };
            let rt = start(&store).await?;
            let r = rt.steward.register_legal_request(&intake, input).await;
            rt.steward.shutdown().await;
            println!("{}", r.map_err(failed)?.case.id);
        }
        LegalCommand::Review {
            store,
            id,
            decision,
            rationale,
            reviewer,
        } => {
            let id = case_id(&id)?;
            let caller = Caller::Service(format!("cli:{reviewer}"));
            let decision = match decision {
                DecisionArg::Approve => ReviewDecision::Approve,
                DecisionArg::Reject => ReviewDecision::Reject,
            };
            let rt = start(&store).await?;
            let r = rt
                .steward
                .review_legal_request(&caller, id, decision, &rationale)
                .await;
            rt.steward.shutdown().await;
            json(&LegalRequestOut::from(&r.map_err(failed)?))?;
        }
        LegalCommand::Disclose {
            store,
            id,
            subject,
            recipient,
            purpose,
            categories,
        } => {
            let id = case_id(&id)?;
            let subject = SubjectId::from_str(&subject)
                .map_err(|_| usage(format!("`{subject}` is not a subject id")))?;
            let rt = start(&store).await?;
            let r = match crate::wiring::requests(&rt) {
                Ok(r) => {
                    r.disclose_under_legal_request(
                        &intake, id, subject, &recipient, &purpose, categories,
                    )
                    .await
                }
                Err(e) => {
                    rt.steward.shutdown().await;
                    return Err(e);
                }
            };
            rt.steward.shutdown().await;
            json(&LegalRequestOut::from(&r.map_err(failed)?.0))?;
        }
        LegalCommand::Report { store, from, until } => {
            let from = from.as_deref().map(|t| time(t, "from")).transpose()?;
            let until = until.as_deref().map(|t| time(t, "until")).transpose()?;
            let rt = start(&store).await?;
            let r = rt.steward.legal_report(from, until).await;
            rt.steward.shutdown().await;
            json(&LegalReportOut::from(&r.map_err(failed)?))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
