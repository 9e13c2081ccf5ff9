//! Security incidents and breaches (SEC-06, GDPR-30, GDPR-31, CCPA-35, NV-08): record an
//! incident (what happened, when it was discovered and when the controller became aware, the
//! systems and categories involved, how many people in which jurisdictions, whether the data
//! was encrypted), assess it (a breach or not, the risk), and for a breach work the notices
//! the law requires — the supervisory authority within 72 hours, the people when the risk is
//! high, the US state notices — each a task with its due time, marked sent with when and
//! what (and, when late, why: GDPR-30). Every breach stays documented, notified or not
//! (Art. 33(5)).
//!
//! The rules are [`steward_deadlines::breach_plan`]; the records are case files of the store
//! (`CaseKind::Incident`), each write committed with its audit entry. Nothing here logs: the
//! summary and notes are the privacy team's words about systems and numbers, and they stay
//! in the store.

use std::collections::BTreeMap;
use std::str::FromStr;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use steward_deadlines::{BreachFacts, BreachRisk, BreachTargets, NoticeTo, breach_plan};
use steward_policy::{Jurisdiction, Subject, SubjectKind};
use steward_store::AuditedWrite;
use steward_store::ids::{CaseId, CaseTaskId};
use steward_store::model::audit::{Attribute, AuditKind, EventRef};
use steward_store::model::case::{CaseKind, CaseRecord, CaseTask};
use steward_store::values::{AttrValue, CaseKey, FieldName, store_precision};

use crate::error::CoreError;
use crate::{Caller, Steward};

/// The longest summary, note or sent-notice description, in characters.
pub const MAX_TEXT: usize = 4000;
/// The most systems, categories or jurisdictions an incident names.
pub const MAX_NAMES: usize = 64;
/// A notice is "near due" within this many hours of its due time (the alert and the gauge).
pub const NEAR_DUE_HOURS: i64 = 24;

/// An incident to record.
#[derive(Debug, Clone)]
pub struct IncidentInput {
    /// What happened, in the privacy team's words (systems and numbers, not people's data).
    pub summary: String,
    /// When it was discovered.
    pub discovered_at: Timestamp,
    /// When the controller became aware that personal data was affected (the GDPR clock);
    /// default: `discovered_at`.
    pub aware_at: Option<Timestamp>,
    /// The systems involved (free keys: `billing-db`, `support-mailbox` …).
    pub systems: Vec<String>,
    /// The data categories involved (the policy's ids).
    pub categories: Vec<String>,
    /// How many people are affected, per jurisdiction (`US-CA`, `DE` …).
    pub affected: BTreeMap<String, u64>,
    /// How many records, if known.
    pub records_affected: Option<u64>,
    /// The affected data was encrypted (CCPA-35 records this for each breach).
    pub encrypted: bool,
    /// The encryption key was compromised too.
    pub key_compromised: bool,
    /// We hold the data as a processor for a controller (GDPR Art. 33(2)).
    pub processor: bool,
    /// The recipients (the policy's ids) whose systems were breached, e.g. a processor's: the
    /// people whose data was disclosed to them are affected.
    pub recipients: Vec<String>,
    /// Compute who is affected from the store instead of typing `affected` (then empty).
    pub compute_affected: Option<ComputeAffected>,
}

/// How to compute the people an incident affects ([`Steward::compute_incident_affected`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ComputeAffected {
    /// The window's start: items erased before it were not held then.
    pub from: Option<Timestamp>,
    /// The window's end: items collected (or disclosures made) after it were not exposed.
    pub until: Option<Timestamp>,
    /// Count the subjects with vault items in the incident's categories (false: only those
    /// disclosed to its recipients — a breach at a recipient only).
    pub vault: bool,
}

impl Default for ComputeAffected {
    fn default() -> Self {
        ComputeAffected {
            from: None,
            until: None,
            vault: true,
        }
    }
}

/// Where an incident's counts of affected people came from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AffectedSource {
    /// Typed by the privacy team (an incident outside the vault).
    #[default]
    Typed,
    /// Computed from the store: vault items and the disclosure register.
    Computed,
}

impl AffectedSource {
    /// The wire name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            AffectedSource::Typed => "typed",
            AffectedSource::Computed => "computed",
        }
    }
}

/// The last computation of the affected people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AffectedComputation {
    /// When.
    pub at: Timestamp,
    /// Who.
    pub by: String,
    /// The window's start.
    pub from: Option<Timestamp>,
    /// The window's end.
    pub until: Option<Timestamp>,
    /// Vault items counted.
    pub vault: bool,
}

/// Where the notices to the people stand after the last "notify the people" run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeopleNotices {
    /// The last run.
    pub at: Timestamp,
    /// Who ran it.
    pub by: String,
    /// Notices queued by it.
    pub queued: u64,
    /// Notices queued by every run.
    pub queued_total: u64,
    /// People owed a notice without a deliverable address, as of the last run.
    pub without_address: u64,
    /// Affected people no notice is owed to (no rule for their residency), as of the last run.
    pub not_owed: u64,
}

/// The key an incident's outbox messages are sealed under (wrapped by the vault's key).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SealedMessageKey {
    /// The key-encryption key's id.
    pub kek: String,
    /// The wrapped data key, base64.
    pub wrapped: String,
}

/// The assessment of an incident.
#[derive(Debug, Clone)]
pub struct AssessmentInput {
    /// Personal data was breached.
    pub breach: bool,
    /// The risk (required for a breach).
    pub risk: Option<BreachRisk>,
    /// Why, in the privacy team's words.
    pub note: Option<String>,
}

/// A notice marked sent.
#[derive(Debug, Clone)]
pub struct NoticeSent {
    /// When (default: now; never in the future).
    pub sent_at: Option<Timestamp>,
    /// What was sent (a reference, a template name, the channel).
    pub what: String,
    /// Why it was late (required for a late notice to the supervisory authority, GDPR-30).
    pub delay_reason: Option<String>,
}

/// What an incident's body holds (the store's `body`, JSON).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncidentBody {
    /// What happened.
    pub summary: String,
    /// Discovered.
    pub discovered_at: Timestamp,
    /// Aware.
    pub aware_at: Timestamp,
    /// Systems.
    pub systems: Vec<String>,
    /// Categories.
    pub categories: Vec<String>,
    /// People affected per jurisdiction.
    pub affected: BTreeMap<String, u64>,
    /// Records affected.
    pub records_affected: Option<u64>,
    /// Encrypted.
    pub encrypted: bool,
    /// Key compromised.
    pub key_compromised: bool,
    /// Held as a processor.
    pub processor: bool,
    /// The assessment, once made.
    pub assessment: Option<Assessment>,
    /// The recipients whose systems were breached (the policy's ids).
    #[serde(default)]
    pub recipients: Vec<String>,
    /// Where the counts came from.
    #[serde(default)]
    pub affected_source: AffectedSource,
    /// Computed: affected people whose residency is unknown (not in `affected`).
    #[serde(default)]
    pub affected_unknown: u64,
    /// The last computation.
    #[serde(default)]
    pub computation: Option<AffectedComputation>,
    /// The notices to the people, once worked.
    #[serde(default)]
    pub people_notices: Option<PeopleNotices>,
    /// The key the people's notices are sealed under in the outbox.
    #[serde(default)]
    pub message_key: Option<SealedMessageKey>,
}

/// An assessment, as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assessment {
    /// A breach of personal data.
    pub breach: bool,
    /// The risk.
    pub risk: Option<BreachRisk>,
    /// Why.
    pub note: Option<String>,
    /// When.
    pub at: Timestamp,
    /// Who (the caller's actor, as the audit log names it).
    pub by: String,
    /// Why the data subjects are not told although the risk is high (`Art. 34(3)(a)`).
    pub subject_notice_exemption: Option<String>,
    /// Why the authority is not told.
    pub authority_notice_exemption: Option<String>,
}

/// What a notice task's body holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeBody {
    /// The requirement it honours.
    pub requirement: String,
    /// The law.
    pub citation: String,
    /// The due time is the law's own.
    pub statutory: bool,
    /// A late notice must say why.
    pub delay_reason_required_when_late: bool,
    /// What was sent.
    pub sent_what: Option<String>,
    /// Why it was late.
    pub delay_reason: Option<String>,
    /// Sent after its due time.
    pub late: bool,
}

/// A notice owed.
#[derive(Debug, Clone)]
pub struct Notice {
    /// The task id.
    pub id: CaseTaskId,
    /// To whom.
    pub to: NoticeTo,
    /// Due.
    pub due_at: Option<Timestamp>,
    /// Sent.
    pub sent_at: Option<Timestamp>,
    /// The rest.
    pub body: NoticeBody,
}

/// An incident with its notices.
#[derive(Debug, Clone)]
pub struct Incident {
    /// The case file (state, times, revision).
    pub case: CaseRecord,
    /// Its record.
    pub body: IncidentBody,
    /// Its notices, soonest due first (empty until assessed as a breach).
    pub notices: Vec<Notice>,
}

/// Where the notices of open incidents stand at a moment (the gauge and the alerts).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NoticeCounts {
    /// Not yet sent.
    pub open: u64,
    /// Due within [`NEAR_DUE_HOURS`].
    pub near_due: u64,
    /// Past due.
    pub overdue: u64,
}

/// An open notice due within [`NEAR_DUE_HOURS`] or past due (SEC-06, GDPR-30, GDPR-31).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeAlert {
    /// The incident.
    pub incident: CaseId,
    /// The notice (its task).
    pub notice: CaseTaskId,
    /// To whom: `supervisory_authority`, `data_subjects`, `state_residents:CA` …
    pub to: String,
    /// Its due time.
    pub due_at: Timestamp,
    /// Past its due time (otherwise due within [`NEAR_DUE_HOURS`]).
    pub overdue: bool,
}

/// The tasks of the notices a breach owes, with the plan's exemptions (subjects, authority).
pub(crate) type PlannedNotices = (Vec<CaseTask>, Option<&'static str>, Option<&'static str>);

pub(crate) fn key(s: &str) -> Result<CaseKey, CoreError> {
    CaseKey::new(s)
        .map_err(|e| CoreError::invalid(steward_errors::ErrorCode::BadField, e.to_string()))
}

pub(crate) fn text(field: &str, v: &str, required: bool) -> Result<String, CoreError> {
    let t = v.trim();
    if required && t.is_empty() {
        return Err(CoreError::invalid(
            steward_errors::ErrorCode::MissingField,
            format!("`{field}` is required"),
        ));
    }
    if t.chars().count() > MAX_TEXT {
        return Err(CoreError::invalid(
            steward_errors::ErrorCode::BadField,
            format!("`{field}` is longer than {MAX_TEXT} characters"),
        ));
    }
    Ok(t.to_string())
}

pub(crate) fn body_json<T: Serialize>(b: &T) -> Result<String, CoreError> {
    serde_json::to_string(b)
        .map_err(|e| CoreError::invalid(steward_errors::ErrorCode::BadBody, e.to_string()))
}

pub(crate) fn incident_body(c: &CaseRecord) -> Result<IncidentBody, CoreError> {
    serde_json::from_str(&c.body)
        .map_err(|_| CoreError::Unavailable("an incident record does not read"))
}

pub(crate) fn notice(t: &CaseTask) -> Result<Notice, CoreError> {
    let to = NoticeTo::from_key(t.kind.as_str())
        .ok_or(CoreError::Unavailable("an incident task does not read"))?;
    let body: NoticeBody = serde_json::from_str(&t.body)
        .map_err(|_| CoreError::Unavailable("an incident task does not read"))?;
    Ok(Notice {
        id: t.id,
        to,
        due_at: t.due_at,
        sent_at: t.done_at,
        body,
    })
}

pub(crate) fn field(name: &str) -> Option<FieldName> {
    FieldName::new(name).ok()
}

pub(crate) fn attr(name: &str, value: &str) -> Option<Attribute> {
    Some(Attribute {
        name: FieldName::new(name).ok()?,
        value: AttrValue::new(value).ok()?,
    })
}

/// Who acted, as the audit log names them: `subject:<id>`, `service:<key>` or `system`.
pub(crate) fn actor_name(caller: &Caller) -> String {
    match caller.actor() {
        steward_store::model::audit::Actor::Subject(s) => format!("subject:{s}"),
        steward_store::model::audit::Actor::Service(k) => format!("service:{k}"),
        steward_store::model::audit::Actor::System => "system".into(),
    }
}

pub(crate) fn next_due(tasks: &[CaseTask]) -> Option<Timestamp> {
    tasks
        .iter()
        .filter(|t| t.done_at.is_none())
        .filter_map(|t| t.due_at)
        .min()
}

impl Steward {
    pub(crate) fn incident_event(
        &self,
        caller: &Caller,
        action: &str,
        case: CaseId,
        task: Option<CaseTaskId>,
        attrs: &[(&str, &str)],
    ) -> steward_store::model::audit::AuditEvent {
        let mut e = self.event(AuditKind::Admin, action, caller);
        e.refs = [
            field("incident").map(|name| EventRef {
                name,
                id: case.as_uuid(),
            }),
            task.and_then(|t| {
                field("task").map(|name| EventRef {
                    name,
                    id: t.as_uuid(),
                })
            }),
        ]
        .into_iter()
        .flatten()
        .collect();
        e.attributes = attrs.iter().filter_map(|(n, v)| attr(n, v)).collect();
        e
    }

    /// Record an incident (SEC-06). Audited with the record.
    ///
    /// # Errors
    /// `Invalid` for a missing summary, an unknown category, a malformed jurisdiction, an
    /// awareness before the discovery or a time in the future.
    pub async fn record_incident(
        &self,
        caller: &Caller,
        input: IncidentInput,
    ) -> Result<Incident, CoreError> {
        let now = store_precision(self.clock.now());
        let engine = self.engine();
        let summary = text("summary", &input.summary, true)?;
        let aware_at = input.aware_at.unwrap_or(input.discovered_at);
        if input.discovered_at > now || aware_at > now {
            return Err(CoreError::invalid(
                steward_errors::ErrorCode::TimeInFuture,
                "`discovered_at` and `aware_at` cannot be in the future",
            ));
        }
        if aware_at < input.discovered_at {
            return Err(CoreError::invalid(
                steward_errors::ErrorCode::AwareBeforeDiscovered,
                "`aware_at` cannot be before `discovered_at`",
            ));
        }
        if input.systems.len() > MAX_NAMES
            || input.categories.len() > MAX_NAMES
            || input.affected.len() > MAX_NAMES
        {
            return Err(CoreError::invalid(
                steward_errors::ErrorCode::TooMany,
                format!("at most {MAX_NAMES} systems, categories and jurisdictions"),
            ));
        }
        for c in &input.categories {
            if engine.category(c).is_none() {
                return Err(CoreError::invalid(
                    steward_errors::ErrorCode::UnknownCategory,
                    format!(
                        "the policy has no category `{}`",
                        c.chars().take(64).collect::<String>()
                    ),
                ));
            }
        }
        if input.recipients.len() > MAX_NAMES {
            return Err(CoreError::invalid(
                steward_errors::ErrorCode::TooMany,
                format!("at most {MAX_NAMES} recipients"),
            ));
        }
        for r in &input.recipients {
            if engine.recipient(r).is_none() {
                return Err(CoreError::invalid(
                    steward_errors::ErrorCode::UnknownRecipient,
                    format!(
                        "the policy has no recipient `{}`",
                        r.chars().take(64).collect::<String>()
                    ),
                ));
            }
        }
        if input.compute_affected.is_some() && !input.affected.is_empty() {
            return Err(CoreError::invalid(
                steward_errors::ErrorCode::AffectedTypedAndComputed,
                "give `affected` counts or compute them, not both",
            ));
        }
        let mut systems = Vec::with_capacity(input.systems.len());
        for s in &input.systems {
            systems.push(key(s.trim())?.as_str().to_string());
        }
        let mut affected = BTreeMap::new();
        for (j, n) in &input.affected {
            let parsed = Jurisdiction::from_str(j).map_err(|_| {
                CoreError::invalid(
                    steward_errors::ErrorCode::BadJurisdiction,
                    format!(
                        "`{}` is not a jurisdiction (`US-CA`, `DE` …)",
                        j.chars().take(16).collect::<String>()
                    ),
                )
            })?;
            *affected.entry(parsed.to_string()).or_insert(0) += n;
        }
        let body = IncidentBody {
            summary,
            discovered_at: store_precision(input.discovered_at),
            aware_at: store_precision(aware_at),
            systems,
            categories: input.categories,
            affected,
            records_affected: input.records_affected,
            encrypted: input.encrypted,
            key_compromised: input.key_compromised,
            processor: input.processor,
            assessment: None,
            recipients: input.recipients.clone(),
            affected_source: AffectedSource::Typed,
            affected_unknown: 0,
            computation: None,
            people_notices: None,
            message_key: None,
        };
        let case = CaseRecord {
            id: CaseId::generate(),
            kind: CaseKind::Incident,
            state: key("open")?,
            opened_at: body.discovered_at,
            next_due_at: None,
            closed_at: None,
            subject: None,
            body: body_json(&body)?,
            revision: 1,
            updated_at: now,
        };
        let e = self.incident_event(caller, "incident.record", case.id, None, &[]);
        self.store
            .write_audited(
                &AuditedWrite::PutCase {
                    case: case.clone(),
                    tasks: vec![],
                },
                &[e],
            )
            .await?;
        self.audit.note_appended(1);
        if let Some(c) = input.compute_affected {
            return self.compute_incident_affected(caller, case.id, c).await;
        }
        Ok(Incident {
            case,
            body,
            notices: vec![],
        })
    }

    /// An incident with its notices.
    ///
    /// # Errors
    /// `NotFound`.
    pub async fn incident(&self, id: CaseId) -> Result<Incident, CoreError> {
        let case = self.store.get_case(id).await?;
        if case.kind != CaseKind::Incident {
            return Err(CoreError::NotFound("incident"));
        }
        let tasks = self.store.case_tasks(id).await?;
        Ok(Incident {
            body: incident_body(&case)?,
            notices: tasks.iter().map(notice).collect::<Result<_, _>>()?,
            case,
        })
    }

    /// Incidents, the soonest next notice first (then those with nothing due, by discovery).
    ///
    /// # Errors
    /// Store failures.
    pub async fn incidents(
        &self,
        include_closed: bool,
        limit: u32,
    ) -> Result<Vec<Incident>, CoreError> {
        let cases = self
            .store
            .list_cases(CaseKind::Incident, include_closed, limit)
            .await?;
        let mut out = Vec::with_capacity(cases.len());
        for case in cases {
            let tasks = self.store.case_tasks(case.id).await?;
            out.push(Incident {
                body: incident_body(&case)?,
                notices: tasks.iter().map(notice).collect::<Result<_, _>>()?,
                case,
            });
        }
        Ok(out)
    }

    /// Assess an incident: a breach or not, and the risk (GDPR-30, GDPR-31, CCPA-35, NV-08). For a
    /// breach the notices owed are computed ([`steward_deadlines::breach_plan`]) and become
    /// tasks with due times; a breach with no notice owed stays documented (Art. 33(5)).
    ///
    /// # Errors
    /// `NotFound`; `Invalid(RISK_REQUIRED)`; `Conflict(ALREADY_ASSESSED | INCIDENT_CLOSED)`.
    pub async fn assess_incident(
        &self,
        caller: &Caller,
        id: CaseId,
        input: AssessmentInput,
    ) -> Result<Incident, CoreError> {
        let mut inc = self.incident(id).await?;
        if inc.case.closed_at.is_some() {
            return Err(CoreError::Conflict {
                code: steward_errors::ErrorCode::IncidentClosed,
                message: "the incident is closed".into(),
            });
        }
        if inc.body.assessment.is_some() {
            return Err(CoreError::Conflict {
                code: steward_errors::ErrorCode::AlreadyAssessed,
                message: "the incident was assessed already".into(),
            });
        }
        if input.breach && input.risk.is_none() {
            return Err(CoreError::invalid(
                steward_errors::ErrorCode::RiskRequired,
                "a breach needs its `risk`: unlikely, risk or high",
            ));
        }
        let note = match &input.note {
            Some(n) => Some(text("note", n, false)?).filter(|n| !n.is_empty()),
            None => None,
        };
        let now = store_precision(self.clock.now());
        let mut tasks = Vec::new();
        let mut assessment = Assessment {
            breach: input.breach,
            risk: input.risk,
            note,
            at: now,
            by: actor_name(caller),
            subject_notice_exemption: None,
            authority_notice_exemption: None,
        };
        if let (true, Some(risk)) = (input.breach, input.risk) {
            let (planned, subjects, authority) = self.plan_notices(&inc.body, id, risk, now)?;
            assessment.subject_notice_exemption = subjects.map(str::to_string);
            assessment.authority_notice_exemption = authority.map(str::to_string);
            tasks = planned;
        }
        inc.body.assessment = Some(assessment);
        let mut case = inc.case.clone();
        case.state = key(if input.breach { "breach" } else { "not_breach" })?;
        case.next_due_at = next_due(&tasks);
        case.body = body_json(&inc.body)?;
        case.revision += 1;
        case.updated_at = now;
        let risk = input.risk.map_or("none", BreachRisk::as_str);
        let tasks_n = tasks.len().to_string();
        let e = self.incident_event(
            caller,
            "incident.assess",
            id,
            None,
            &[
                ("breach", if input.breach { "true" } else { "false" }),
                ("risk", risk),
                ("notices", &tasks_n),
            ],
        );
        self.store
            .write_audited(
                &AuditedWrite::PutCase {
                    case,
                    tasks: tasks.clone(),
                },
                &[e],
            )
            .await?;
        self.audit.note_appended(1);
        self.incident(id).await
    }

    /// The notices a breach of `body` with `risk` owes ([`breach_plan`]), as tasks of case
    /// `id`, with the plan's exemptions (subjects, authority).
    pub(crate) fn plan_notices(
        &self,
        body: &IncidentBody,
        id: CaseId,
        risk: BreachRisk,
        now: Timestamp,
    ) -> Result<PlannedNotices, CoreError> {
        let engine = self.engine();
        let mut eu_affected = false;
        let mut us_states = Vec::new();
        for (j, n) in &body.affected {
            let Ok(parsed) = Jurisdiction::from_str(j) else {
                continue;
            };
            if *n > 0
                && engine.is_eu(&Subject::new(
                    SubjectKind::CustomerAccountHolder,
                    Some(parsed),
                ))
            {
                eu_affected = true;
            }
            if parsed.is_us()
                && let Some(state) = parsed.region()
            {
                us_states.push((state.to_string(), *n));
            }
        }
        let plan = breach_plan(
            &BreachFacts {
                aware_at: body.aware_at,
                risk,
                eu_affected,
                us_states,
                encrypted: body.encrypted,
                key_compromised: body.key_compromised,
                processor: body.processor,
            },
            &BreachTargets::default(),
            &self.calendar(),
        )
        .map_err(|e| CoreError::invalid(steward_errors::ErrorCode::BadTime, e.to_string()))?;
        let mut tasks = Vec::new();
        for t in plan.tasks {
            tasks.push(CaseTask {
                id: CaseTaskId::generate(),
                case: id,
                kind: key(&t.to.key())?,
                due_at: Some(store_precision(t.due.at())),
                done_at: None,
                body: body_json(&NoticeBody {
                    requirement: t.requirement.into(),
                    citation: t.citation.into(),
                    statutory: t.statutory,
                    delay_reason_required_when_late: t.delay_reason_required_when_late,
                    sent_what: None,
                    delay_reason: None,
                    late: false,
                })?,
                created_at: now,
            });
        }
        Ok((
            tasks,
            plan.subject_notice_exemption,
            plan.authority_notice_exemption,
        ))
    }

    /// Mark a notice sent, with when and what; a late notice that must say why says why
    /// (GDPR-30).
    ///
    /// # Errors
    /// `NotFound`; `Invalid(MISSING_FIELD | TIME_IN_FUTURE | DELAY_REASON_REQUIRED)`;
    /// `Conflict(ALREADY_SENT | INCIDENT_CLOSED)`.
    pub async fn mark_notice_sent(
        &self,
        caller: &Caller,
        id: CaseId,
        task: CaseTaskId,
        input: NoticeSent,
    ) -> Result<Incident, CoreError> {
        let inc = self.incident(id).await?;
        if inc.case.closed_at.is_some() {
            return Err(CoreError::Conflict {
                code: steward_errors::ErrorCode::IncidentClosed,
                message: "the incident is closed".into(),
            });
        }
        let mut tasks = self.store.case_tasks(id).await?;
        let Some(t) = tasks.iter_mut().find(|t| t.id == task) else {
            return Err(CoreError::NotFound("notice"));
        };
        if t.done_at.is_some() {
            return Err(CoreError::Conflict {
                code: steward_errors::ErrorCode::AlreadySent,
                message: "the notice was marked sent already".into(),
            });
        }
        let now = store_precision(self.clock.now());
        let sent_at = store_precision(input.sent_at.unwrap_or(now));
        if sent_at > now {
            return Err(CoreError::invalid(
                steward_errors::ErrorCode::TimeInFuture,
                "`sent_at` cannot be in the future",
            ));
        }
        let what = text("what", &input.what, true)?;
        let delay_reason = match &input.delay_reason {
            Some(r) => Some(text("delay_reason", r, false)?).filter(|r| !r.is_empty()),
            None => None,
        };
        let mut body: NoticeBody = serde_json::from_str(&t.body)
            .map_err(|_| CoreError::Unavailable("an incident task does not read"))?;
        let late = t.due_at.is_some_and(|due| sent_at > due);
        if late && body.delay_reason_required_when_late && delay_reason.is_none() {
            return Err(CoreError::invalid(
                steward_errors::ErrorCode::DelayReasonRequired,
                "the notice is late: give the reasons for the delay (GDPR Art. 33(1))",
            ));
        }
        body.sent_what = Some(what);
        body.delay_reason = delay_reason;
        body.late = late;
        t.done_at = Some(sent_at);
        t.body = body_json(&body)?;
        let changed = t.clone();
        let to = changed.kind.as_str().to_string();
        let mut case = inc.case.clone();
        case.next_due_at = next_due(&tasks);
        case.revision += 1;
        case.updated_at = now;
        let e = self.incident_event(
            caller,
            "incident.notice_sent",
            id,
            Some(task),
            &[("to", &to), ("late", if late { "true" } else { "false" })],
        );
        self.store
            .write_audited(
                &AuditedWrite::PutCase {
                    case,
                    tasks: vec![changed],
                },
                &[e],
            )
            .await?;
        self.audit.note_appended(1);
        self.incident(id).await
    }

    /// Close an assessed incident whose notices were all sent (the record stays: Art. 33(5)).
    ///
    /// # Errors
    /// `NotFound`; `Conflict(NOT_ASSESSED | NOTICES_OPEN | INCIDENT_CLOSED)`.
    pub async fn close_incident(&self, caller: &Caller, id: CaseId) -> Result<Incident, CoreError> {
        let inc = self.incident(id).await?;
        if inc.case.closed_at.is_some() {
            return Err(CoreError::Conflict {
                code: steward_errors::ErrorCode::IncidentClosed,
                message: "the incident is closed".into(),
            });
        }
        if inc.body.assessment.is_none() {
            return Err(CoreError::Conflict {
                code: steward_errors::ErrorCode::NotAssessed,
                message: "assess the incident before closing it".into(),
            });
        }
        if inc.notices.iter().any(|n| n.sent_at.is_none()) {
            return Err(CoreError::Conflict {
                code: steward_errors::ErrorCode::NoticesOpen,
                message: "some notices were not sent yet".into(),
            });
        }
        let now = store_precision(self.clock.now());
        let mut case = inc.case.clone();
        case.state = key("closed")?;
        case.closed_at = Some(now);
        case.next_due_at = None;
        case.revision += 1;
        case.updated_at = now;
        let e = self.incident_event(caller, "incident.close", id, None, &[]);
        self.store
            .write_audited(
                &AuditedWrite::PutCase {
                    case,
                    tasks: vec![],
                },
                &[e],
            )
            .await?;
        self.audit.note_appended(1);
        self.incident(id).await
    }

    /// Where the notices of open incidents stand now (the gauge and the alerts).
    ///
    /// # Errors
    /// Store failures.
    pub async fn incident_notice_counts(&self) -> Result<NoticeCounts, CoreError> {
        let now = self.clock.now();
        let soon = now
            .checked_add(jiff::SignedDuration::from_hours(NEAR_DUE_HOURS))
            .unwrap_or(now);
        let mut c = NoticeCounts::default();
        for t in self.store.open_case_tasks(CaseKind::Incident).await? {
            c.open += 1;
            match t.due_at {
                Some(due) if due < now => c.overdue += 1,
                Some(due) if due <= soon => c.near_due += 1,
                _ => {}
            }
        }
        Ok(c)
    }

    /// The notices of open incidents that are due within [`NEAR_DUE_HOURS`] or past due, the
    /// soonest due first (the alerts; the same split as [`Steward::incident_notice_counts`]).
    /// Ids, to whom and when only: nothing the privacy team wrote.
    ///
    /// # Errors
    /// Store failures.
    pub async fn incident_notice_alerts(&self) -> Result<Vec<NoticeAlert>, CoreError> {
        let now = self.clock.now();
        let soon = now
            .checked_add(jiff::SignedDuration::from_hours(NEAR_DUE_HOURS))
            .unwrap_or(now);
        let mut out: Vec<NoticeAlert> = self
            .store
            .open_case_tasks(CaseKind::Incident)
            .await?
            .into_iter()
            .filter_map(|t| {
                let due = t.due_at.filter(|d| *d <= soon)?;
                Some(NoticeAlert {
                    incident: t.case,
                    notice: t.id,
                    to: t.kind.as_str().to_string(),
                    due_at: due,
                    overdue: due < now,
                })
            })
            .collect();
        out.sort_by_key(|a| (a.due_at, a.incident, a.notice));
        Ok(out)
    }
}
