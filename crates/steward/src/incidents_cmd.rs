//! `steward incidents …`: the privacy team's incident register from the command line
//! (SEC-06, GDPR-30, GDPR-31, CCPA-35, NV-08) — record an incident, assess it, see the notices owed
//! with their due times (soonest first), mark them sent, close; compute who is affected from
//! the store (`compute-affected`, `affected`) and notify those people through the outbox
//! (`notify-people`, once per person). The same use cases as `/v1/incidents`, audited as
//! `cli:incidents`; `--json` prints the API's shapes.

use std::collections::BTreeMap;
use std::process::ExitCode;
use std::str::FromStr;

use clap::{Subcommand, ValueEnum};
use steward_api::incidents::{IncidentOut, incident_out};
use steward_core::incidents::{
    AssessmentInput, ComputeAffected, Incident, IncidentInput, NoticeSent,
};
use steward_core::{Caller, CoreError};
use steward_deadlines::BreachRisk;
use steward_requests::PeopleNoticeText;
use steward_store::ids::{CaseId, CaseTaskId};

use crate::error::CliError;
use crate::runtime::{StoreArgs, start};

/// The risk of a breach.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum RiskArg {
    /// Unlikely to result in a risk (documented, not notified).
    Unlikely,
    /// A risk: the supervisory authority within 72 hours.
    Risk,
    /// A high risk: the people too.
    High,
}

impl From<RiskArg> for BreachRisk {
    fn from(r: RiskArg) -> Self {
        match r {
            RiskArg::Unlikely => BreachRisk::Unlikely,
            RiskArg::Risk => BreachRisk::Risk,
            RiskArg::High => BreachRisk::High,
        }
    }
}

/// Incident subcommands.
#[derive(Debug, Subcommand)]
pub enum IncidentsCommand {
    /// The incidents, the soonest notice due first.
    List {
        #[command(flatten)]
        store: StoreArgs,
        /// Include closed incidents.
        #[arg(long)]
        closed: bool,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// One incident with its notices.
    Show {
        #[command(flatten)]
        store: StoreArgs,
        /// The incident id.
        id: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Record an incident; prints its id.
    Record {
        #[command(flatten)]
        store: StoreArgs,
        /// What happened (systems and numbers, never people's data).
        #[arg(long)]
        summary: String,
        /// When it was discovered (RFC 3339).
        #[arg(long)]
        discovered_at: String,
        /// When the controller became aware (RFC 3339; default: discovered).
        #[arg(long)]
        aware_at: Option<String>,
        /// A system involved (repeatable).
        #[arg(long = "system")]
        systems: Vec<String>,
        /// A data category involved (repeatable; the policy's ids).
        #[arg(long = "category")]
        categories: Vec<String>,
        /// People affected in a jurisdiction, `JURISDICTION=COUNT` (repeatable: `US-CA=120`).
        #[arg(long = "affected", value_name = "JURISDICTION=COUNT")]
        affected: Vec<String>,
        /// Records affected.
        #[arg(long)]
        records: Option<u64>,
        /// The data was encrypted.
        #[arg(long)]
        encrypted: bool,
        /// Its key was compromised too.
        #[arg(long)]
        key_compromised: bool,
        /// Held as a processor for a controller.
        #[arg(long)]
        processor: bool,
        /// A recipient whose systems were breached (repeatable; the policy's ids): the people
        /// disclosed to it are affected.
        #[arg(long = "recipient")]
        recipients: Vec<String>,
        /// Compute who is affected from the store instead of `--affected`.
        #[arg(long, conflicts_with = "affected")]
        compute_affected: bool,
    },
    /// Compute the people an incident affects from the store (vault items in its categories,
    /// disclosures to its recipients), counted per residency; nothing is decrypted.
    ComputeAffected {
        #[command(flatten)]
        store: StoreArgs,
        /// The incident id.
        id: String,
        /// Only items held from then on (RFC 3339).
        #[arg(long)]
        from: Option<String>,
        /// Only items collected, or disclosures made, until then (RFC 3339).
        #[arg(long)]
        until: Option<String>,
        /// Count only the people disclosed to the incident's recipients (a breach at a
        /// recipient), not the vault's.
        #[arg(long)]
        recipients_only: bool,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// The people an incident affects, by subject id (ids and residency only).
    Affected {
        #[command(flatten)]
        store: StoreArgs,
        /// The incident id.
        id: String,
        /// Only those not notified yet.
        #[arg(long)]
        pending: bool,
    },
    /// Queue one e-mail notice per affected person owed one (GDPR Art. 34; "Notice of Data
    /// Breach" for US residents), through the outbox, never twice to anyone. The delivery
    /// pass of `steward serve` (or `steward dsr deliver`) sends them.
    NotifyPeople {
        #[command(flatten)]
        store: StoreArgs,
        /// The incident id.
        id: String,
        /// What happened: the nature of the breach, in plain language.
        #[arg(long)]
        what_happened: String,
        /// Its likely consequences for the people.
        #[arg(long)]
        consequences: String,
        /// What was done and will be done about it.
        #[arg(long)]
        measures: String,
        /// What the person can do (default: a short general advice).
        #[arg(long)]
        what_you_can_do: Option<String>,
        /// When it happened, in words.
        #[arg(long)]
        occurred: Option<String>,
        /// The notice was delayed by a law-enforcement investigation.
        #[arg(long)]
        law_enforcement_delay: bool,
        /// Tell the affected people no notice is owed to as well.
        #[arg(long)]
        include_not_owed: bool,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Assess an incident: a breach (with its risk) or not.
    Assess {
        #[command(flatten)]
        store: StoreArgs,
        /// The incident id.
        id: String,
        /// It is a breach of personal data, with this risk.
        #[arg(long, value_enum, conflicts_with = "not_breach")]
        breach: Option<RiskArg>,
        /// It is not a breach.
        #[arg(long)]
        not_breach: bool,
        /// Why.
        #[arg(long)]
        note: Option<String>,
    },
    /// Mark a notice sent.
    Sent {
        #[command(flatten)]
        store: StoreArgs,
        /// The incident id.
        id: String,
        /// The notice id (from `show`).
        notice: String,
        /// What was sent (a reference, the template, the channel).
        #[arg(long)]
        what: String,
        /// When (RFC 3339; default now).
        #[arg(long)]
        sent_at: Option<String>,
        /// Why it was late (required for a late notice to the authority).
        #[arg(long)]
        delay_reason: Option<String>,
    },
    /// Close an assessed incident whose notices were all sent.
    Close {
        #[command(flatten)]
        store: StoreArgs,
        /// The incident id.
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
    CaseId::from_str(raw).map_err(|_| usage(format!("`{raw}` is not an incident id")))
}

fn affected(pairs: &[String]) -> Result<BTreeMap<String, u64>, CliError> {
    let mut out = BTreeMap::new();
    for p in pairs {
        let (j, n) = p
            .split_once('=')
            .ok_or_else(|| usage(format!("--affected `{p}`: write JURISDICTION=COUNT")))?;
        let n: u64 = n
            .parse()
            .map_err(|_| usage(format!("--affected `{p}`: the count is not a number")))?;
        *out.entry(j.to_string()).or_insert(0) += n;
    }
    Ok(out)
}

fn print(i: &IncidentOut, json: bool) -> Result<(), CliError> {
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(i)
                .map_err(|e| CliError::runtime("cannot write JSON", e))?
        );
    } else {
        print!("{}", render(i));
    }
    Ok(())
}

fn render(i: &IncidentOut) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "incident {}  [{}]  discovered {}  aware {}  {} people affected ({})",
        i.id, i.state, i.discovered_at, i.aware_at, i.subjects_affected, i.affected_source
    );
    if let Some(p) = &i.people_notices {
        let _ = writeln!(
            s,
            "  people notified: {} queued in all (last run {}: {}; {} without an address, {} not owed)",
            p.queued_total, p.at, p.queued, p.without_address, p.not_owed
        );
    }
    let _ = writeln!(s, "  {}", i.summary);
    if let Some(a) = &i.assessment {
        let _ = writeln!(
            s,
            "  assessed {} by {}: {}{}",
            a.at,
            a.by,
            if a.breach { "breach" } else { "not a breach" },
            a.risk
                .map(|r| format!(", risk {}", serde_json::to_string(&r).unwrap_or_default()))
                .unwrap_or_default()
        );
        for e in [&a.subject_notice_exemption, &a.authority_notice_exemption]
            .into_iter()
            .flatten()
        {
            let _ = writeln!(s, "  exemption: {e}");
        }
    }
    for n in &i.notices {
        let _ = writeln!(
            s,
            "  {:<9} {:<24} due {:<22} {} ({}){}",
            n.status,
            n.to,
            n.due_at.as_deref().unwrap_or("-"),
            n.requirement,
            n.citation,
            match &n.sent_at {
                Some(at) => format!("  sent {at}{}", if n.late { " LATE" } else { "" }),
                None => format!("  notice {}", n.id),
            }
        );
    }
    s
}

/// Run an incidents subcommand.
pub async fn run(cmd: IncidentsCommand) -> Result<ExitCode, CliError> {
    let caller = Caller::Service("cli:incidents".into());
    let (store, work): (StoreArgs, Work) = match cmd {
        IncidentsCommand::List {
            store,
            closed,
            json,
        } => (store, Work::List { closed, json }),
        IncidentsCommand::Show { store, id, json } => (
            store,
            Work::Show {
                id: case_id(&id)?,
                json,
            },
        ),
        IncidentsCommand::Record {
            store,
            summary,
            discovered_at,
            aware_at,
            systems,
            categories,
            affected: pairs,
            records,
            encrypted,
            key_compromised,
            processor,
            recipients,
            compute_affected,
        } => (
            store,
            Work::Record(IncidentInput {
                summary,
                discovered_at: time(&discovered_at, "discovered-at")?,
                aware_at: aware_at
                    .as_deref()
                    .map(|t| time(t, "aware-at"))
                    .transpose()?,
                systems,
                categories,
                affected: affected(&pairs)?,
                records_affected: records,
                encrypted,
                key_compromised,
                processor,
                recipients,
                compute_affected: compute_affected.then(ComputeAffected::default),
            }),
        ),
        IncidentsCommand::ComputeAffected {
            store,
            id,
            from,
            until,
            recipients_only,
            json,
        } => (
            store,
            Work::Compute(
                case_id(&id)?,
                ComputeAffected {
                    from: from.as_deref().map(|t| time(t, "from")).transpose()?,
                    until: until.as_deref().map(|t| time(t, "until")).transpose()?,
                    vault: !recipients_only,
                },
                json,
            ),
        ),
        IncidentsCommand::Affected { store, id, pending } => {
            (store, Work::Affected(case_id(&id)?, pending))
        }
        IncidentsCommand::NotifyPeople {
            store,
            id,
            what_happened,
            consequences,
            measures,
            what_you_can_do,
            occurred,
            law_enforcement_delay,
            include_not_owed,
            json,
        } => (
            store,
            Work::Notify(
                case_id(&id)?,
                PeopleNoticeText {
                    what_happened,
                    consequences,
                    measures,
                    what_you_can_do,
                    occurred,
                    law_enforcement_delay,
                    include_not_owed,
                },
                json,
            ),
        ),
        IncidentsCommand::Assess {
            store,
            id,
            breach,
            not_breach,
            note,
        } => {
            if breach.is_none() && !not_breach {
                return Err(usage(
                    "say --breach RISK (unlikely, risk, high) or --not-breach".into(),
                ));
            }
            (
                store,
                Work::Assess(
                    case_id(&id)?,
                    AssessmentInput {
                        breach: breach.is_some(),
                        risk: breach.map(Into::into),
                        note,
                    },
                ),
            )
        }
        IncidentsCommand::Sent {
            store,
            id,
            notice,
            what,
            sent_at,
            delay_reason,
        } => (
            store,
            Work::Sent(
                case_id(&id)?,
                CaseTaskId::from_str(&notice)
                    .map_err(|_| usage(format!("`{notice}` is not a notice id")))?,
                NoticeSent {
                    sent_at: sent_at.as_deref().map(|t| time(t, "sent-at")).transpose()?,
                    what,
                    delay_reason,
                },
            ),
        ),
        IncidentsCommand::Close { store, id } => (store, Work::Close(case_id(&id)?)),
    };
    let json = match &work {
        Work::List { json, .. } | Work::Show { json, .. } => *json,
        Work::Compute(_, _, json) => *json,
        _ => false,
    };
    let is_record = matches!(work, Work::Record(_));
    let is_list = matches!(work, Work::List { .. });
    let rt = start(&store).await?;
    let s = &rt.steward;
    let now = s.clock().now();
    let work = match work {
        Work::Affected(id, pending) => {
            let r = affected_people(s, id, pending).await;
            s.shutdown().await;
            return r;
        }
        Work::Notify(id, text, json) => {
            let r = match crate::wiring::requests(&rt) {
                Ok(requests) => notify(&requests, &caller, id, &text, json).await,
                Err(e) => Err(e),
            };
            s.shutdown().await;
            return r;
        }
        other => other,
    };
    let result: Result<Vec<Incident>, CoreError> = async {
        Ok(match work {
            Work::List { closed, .. } => s.incidents(closed, 1000).await?,
            Work::Show { id, .. } => vec![s.incident(id).await?],
            Work::Record(input) => vec![s.record_incident(&caller, input).await?],
            Work::Assess(id, a) => vec![s.assess_incident(&caller, id, a).await?],
            Work::Sent(id, n, sent) => vec![s.mark_notice_sent(&caller, id, n, sent).await?],
            Work::Close(id) => vec![s.close_incident(&caller, id).await?],
            Work::Compute(id, c, _) => vec![s.compute_incident_affected(&caller, id, c).await?],
            Work::Affected(..) | Work::Notify(..) => vec![],
        })
    }
    .await;
    s.shutdown().await;
    let list = result.map_err(failed)?;
    if is_record {
        if let Some(i) = list.first() {
            println!("{}", i.case.id);
        }
        return Ok(ExitCode::SUCCESS);
    }
    if json && is_list {
        let out: Vec<IncidentOut> = list.iter().map(|i| incident_out(i, now)).collect();
        println!(
            "{}",
            serde_json::to_string_pretty(&out)
                .map_err(|e| CliError::runtime("cannot write JSON", e))?
        );
        return Ok(ExitCode::SUCCESS);
    }
    if list.is_empty() {
        println!("no incidents");
    }
    for i in &list {
        print(&incident_out(i, now), json)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// What to do once the store is open.
#[derive(Debug)]
enum Work {
    List { closed: bool, json: bool },
    Show { id: CaseId, json: bool },
    Record(IncidentInput),
    Assess(CaseId, AssessmentInput),
    Sent(CaseId, CaseTaskId, NoticeSent),
    Close(CaseId),
    Compute(CaseId, ComputeAffected, bool),
    Affected(CaseId, bool),
    Notify(CaseId, PeopleNoticeText, bool),
}

/// Prints the affected people, one `SUBJECT_ID JURISDICTION NOTIFIED_AT` line each.
async fn affected_people(
    s: &steward_core::Steward,
    id: CaseId,
    pending: bool,
) -> Result<ExitCode, CliError> {
    let mut after = None;
    let mut n = 0u64;
    loop {
        let page = s
            .incident_affected_people(id, pending, after, 1000)
            .await
            .map_err(failed)?;
        for p in &page {
            n += 1;
            println!(
                "{} {} {}",
                p.subject,
                p.residency.as_ref().map_or("-", |j| j.as_str()),
                p.notified_at
                    .map_or_else(|| "-".to_string(), |t| t.to_string())
            );
        }
        match page.last() {
            Some(last) if page.len() == 1000 => after = Some(last.subject),
            _ => break,
        }
    }
    if n == 0 {
        println!("no affected people computed");
    }
    Ok(ExitCode::SUCCESS)
}

async fn notify(
    r: &steward_requests::Requests,
    caller: &Caller,
    id: CaseId,
    text: &PeopleNoticeText,
    json: bool,
) -> Result<ExitCode, CliError> {
    let report = r
        .notify_affected_people(caller, id, text)
        .await
        .map_err(failed)?;
    if json {
        let now = r.steward().clock().now();
        let out = serde_json::json!({
            "queued": report.queued,
            "already_notified": report.already_notified,
            "without_address": report.without_address.iter().map(ToString::to_string).collect::<Vec<_>>(),
            "not_owed": report.not_owed,
            "incident": incident_out(&report.incident, now),
        });
        println!(
            "{}",
            serde_json::to_string_pretty(&out)
                .map_err(|e| CliError::runtime("cannot write JSON", e))?
        );
        return Ok(ExitCode::SUCCESS);
    }
    let queued: u64 = report.queued.values().sum();
    println!(
        "{queued} notices queued ({}); {} people told before; {} not owed a notice",
        report
            .queued
            .iter()
            .map(|(k, v)| format!("{k}: {v}"))
            .collect::<Vec<_>>()
            .join(", "),
        report.already_notified,
        report.not_owed
    );
    if !report.without_address.is_empty() {
        println!(
            "{} people owed a notice have no deliverable e-mail address; notify them another way:",
            report.without_address.len()
        );
        for s in &report.without_address {
            println!("  {s}");
        }
    }
    Ok(ExitCode::SUCCESS)
}
