//! Security incidents and breaches (SEC-06, GDPR-30, GDPR-31, CCPA-35, NV-08): record,
//! assess, and work the notices the law requires, each with its due time.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// An incident to record.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordIncident {
    /// What happened, in the privacy team's words (systems and numbers, never people's data).
    #[schema(min_length = 1, max_length = 4000)]
    pub summary: String,
    /// When it was discovered (RFC 3339).
    pub discovered_at: String,
    /// When the controller became aware that personal data was affected — the GDPR 72-hour
    /// clock starts here (default: `discovered_at`).
    #[serde(default)]
    pub aware_at: Option<String>,
    /// The systems involved (`billing-db`, `support-mailbox` …).
    #[serde(default)]
    #[schema(max_items = 64)]
    pub systems: Vec<String>,
    /// The data categories involved (the policy's ids).
    #[serde(default)]
    #[schema(max_items = 64)]
    pub categories: Vec<String>,
    /// How many people are affected, per jurisdiction (`{"US-CA": 120, "DE": 4}`).
    #[serde(default)]
    pub affected: BTreeMap<String, u64>,
    /// How many records, if known.
    #[serde(default)]
    pub records_affected: Option<u64>,
    /// The affected data was encrypted (CCPA-35 records this for every breach).
    #[serde(default)]
    pub encrypted: bool,
    /// Its encryption key was compromised too.
    #[serde(default)]
    pub key_compromised: bool,
    /// The data is held as a processor for a controller, who is told first (GDPR Art. 33(2)).
    #[serde(default)]
    pub processor: bool,
    /// The recipients (the policy's ids) whose systems were breached, e.g. a processor's:
    /// the people whose data was disclosed to them are affected.
    #[serde(default)]
    #[schema(max_items = 64)]
    pub recipients: Vec<String>,
    /// Compute who is affected from the store instead of typing `affected` (which must then
    /// be empty): see `POST /v1/incidents/{id}/affected/compute`.
    #[serde(default)]
    pub compute_affected: Option<ComputeAffected>,
}

/// How to compute the people an incident affects: the stored subjects with vault items in
/// its categories (live now, or held during the window) and those whose data was disclosed
/// to its recipients, counted per residency. Nothing is decrypted.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ComputeAffected {
    /// The window's start (RFC 3339): items erased before it were not held then.
    #[serde(default)]
    pub from: Option<String>,
    /// The window's end (RFC 3339): items collected, or disclosures made, after it were not
    /// exposed.
    #[serde(default)]
    pub until: Option<String>,
    /// Count the subjects with vault items in the incident's categories (default true; false
    /// for a breach at a recipient only).
    #[serde(default)]
    pub vault: Option<bool>,
}

/// The notices to the people (GDPR Art. 34, Cal. Civ. Code §1798.82, NRS 603A.220): the
/// privacy team's words, in plain language. The company's own (contact, DPO, telephone) come
/// from the configuration.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NotifyPeople {
    /// What happened: the nature of the breach.
    #[schema(min_length = 1, max_length = 4000)]
    pub what_happened: String,
    /// Its likely consequences for the people.
    #[schema(min_length = 1, max_length = 4000)]
    pub consequences: String,
    /// What was done and will be done about it.
    #[schema(min_length = 1, max_length = 4000)]
    pub measures: String,
    /// What the person can do (default: a short general advice).
    #[serde(default)]
    #[schema(max_length = 4000)]
    pub what_you_can_do: Option<String>,
    /// When it happened, in words ("between May 1 and May 3, 2024").
    #[serde(default)]
    #[schema(max_length = 4000)]
    pub occurred: Option<String>,
    /// The notice was delayed by a law-enforcement investigation.
    #[serde(default)]
    pub law_enforcement_delay: bool,
    /// Tell the affected people no notice is owed to as well (no rule for their residency).
    #[serde(default)]
    pub include_not_owed: bool,
}

/// What a run of "notify the people" did.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PeopleNotified {
    /// Notices queued now, per notice (`data_subjects`, `state_residents:CA` …).
    pub queued: BTreeMap<String, u64>,
    /// People told by an earlier run (never told twice).
    pub already_notified: u64,
    /// People owed a notice without a deliverable e-mail address, by subject id: notify them
    /// another way.
    pub without_address: Vec<String>,
    /// Affected people no notice is owed to (no rule for their residency), not told.
    pub not_owed: u64,
    /// The incident afterwards.
    pub incident: IncidentOut,
}

/// One affected person.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AffectedPersonOut {
    /// The subject id.
    pub subject_id: String,
    /// Their residency (`US-CA`, `DE` …), when known.
    pub jurisdiction: Option<String>,
    /// When their notice was queued.
    pub notified_at: Option<String>,
}

/// A page of the people an incident affects.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AffectedPeople {
    /// By subject id.
    pub people: Vec<AffectedPersonOut>,
    /// Pass as `after` for the next page (absent on the last).
    pub next: Option<String>,
}

/// Which affected people.
#[derive(Debug, Clone, Default, Serialize, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AffectedQuery {
    /// Only those not notified yet.
    #[serde(default)]
    pub pending: Option<bool>,
    /// After this subject id.
    #[serde(default)]
    pub after: Option<String>,
    /// At most this many (default 1000, at most 10 000).
    #[serde(default)]
    #[param(minimum = 1, maximum = 10000)]
    pub limit: Option<u32>,
}

/// The risk of a breach to people's rights and freedoms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RiskDto {
    /// Unlikely to result in a risk: documented, not notified (GDPR Art. 33(1), (5)).
    Unlikely,
    /// A risk: the supervisory authority is notified within 72 hours.
    Risk,
    /// A high risk: the people are told too (GDPR Art. 34).
    High,
}

/// An assessment.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssessIncident {
    /// Personal data was breached.
    pub breach: bool,
    /// The risk (required for a breach).
    #[serde(default)]
    pub risk: Option<RiskDto>,
    /// Why.
    #[serde(default)]
    #[schema(max_length = 4000)]
    pub note: Option<String>,
}

/// A notice marked sent.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MarkNoticeSent {
    /// What was sent (a reference, the template, the channel).
    #[schema(min_length = 1, max_length = 4000)]
    pub what: String,
    /// When (RFC 3339; default now).
    #[serde(default)]
    pub sent_at: Option<String>,
    /// Why it was late — required for a late notice to the supervisory authority (GDPR-30).
    #[serde(default)]
    #[schema(max_length = 4000)]
    pub delay_reason: Option<String>,
}

/// A notice owed.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct NoticeOut {
    /// The task id.
    pub id: String,
    /// To whom: `supervisory_authority`, `data_subjects`, `controller`,
    /// `state_residents:CA`, `state_regulator:CA` …
    pub to: String,
    /// Due.
    pub due_at: Option<String>,
    /// The due time is the law's own (72 hours); otherwise a target for "without undue delay".
    pub statutory: bool,
    /// The requirement it honours (`GDPR-30` …).
    pub requirement: String,
    /// The law.
    pub citation: String,
    /// `open`, `near_due` (within 24 hours), `overdue` or `sent`.
    pub status: String,
    /// Sent.
    pub sent_at: Option<String>,
    /// What was sent.
    pub sent_what: Option<String>,
    /// Sent after its due time.
    pub late: bool,
    /// Why it was late.
    pub delay_reason: Option<String>,
}

/// An assessment, as recorded.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AssessmentOut {
    /// A breach.
    pub breach: bool,
    /// The risk.
    pub risk: Option<RiskDto>,
    /// Why.
    pub note: Option<String>,
    /// When.
    pub at: String,
    /// Who (`service:<key>`, `subject:<id>`).
    pub by: String,
    /// Why the people are not told although the risk is high (`Art. 34(3)(a)`).
    pub subject_notice_exemption: Option<String>,
    /// Why the authority is not told.
    pub authority_notice_exemption: Option<String>,
}

/// An incident.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct IncidentOut {
    /// Id.
    pub id: String,
    /// `open`, `breach`, `not_breach`, `closed`.
    pub state: String,
    /// What happened.
    pub summary: String,
    /// Discovered.
    pub discovered_at: String,
    /// Aware.
    pub aware_at: String,
    /// Systems.
    pub systems: Vec<String>,
    /// Categories.
    pub categories: Vec<String>,
    /// People affected per jurisdiction.
    pub affected: BTreeMap<String, u64>,
    /// Computed: affected people whose residency is unknown.
    pub affected_unknown: u64,
    /// People affected in all.
    pub subjects_affected: u64,
    /// Where the counts came from: `typed` or `computed`.
    pub affected_source: String,
    /// When they were computed, if they were.
    pub affected_computed_at: Option<String>,
    /// The recipients whose systems were breached.
    pub recipients: Vec<String>,
    /// Where the notices to the people stand.
    pub people_notices: Option<PeopleNoticesOut>,
    /// Records affected.
    pub records_affected: Option<u64>,
    /// Encrypted.
    pub encrypted: bool,
    /// Key compromised.
    pub key_compromised: bool,
    /// Held as a processor.
    pub processor: bool,
    /// The assessment.
    pub assessment: Option<AssessmentOut>,
    /// The next notice due.
    pub next_due_at: Option<String>,
    /// The notices, soonest due first.
    pub notices: Vec<NoticeOut>,
    /// Closed.
    pub closed_at: Option<String>,
    /// Last changed.
    pub updated_at: String,
}

/// Where the notices to the people stand after the last run.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PeopleNoticesOut {
    /// The last run.
    pub at: String,
    /// Queued by it.
    pub queued: u64,
    /// Queued by every run.
    pub queued_total: u64,
    /// People owed a notice without a deliverable address, as of the last run.
    pub without_address: u64,
    /// Affected people owed no notice, as of the last run.
    pub not_owed: u64,
}

/// Incidents.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct IncidentList {
    /// Soonest next notice first.
    pub incidents: Vec<IncidentOut>,
}

/// Which incidents.
#[derive(Debug, Clone, Default, Serialize, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct IncidentQuery {
    /// Include closed incidents.
    #[serde(default)]
    pub closed: Option<bool>,
    /// At most this many (default 100, at most 1000).
    #[serde(default)]
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<u32>,
}

#[cfg(feature = "core")]
mod convert {
    use jiff::Timestamp;
    use steward_core::incidents::{Assessment, Incident, Notice};
    use steward_deadlines::BreachRisk;

    use super::{AssessmentOut, IncidentOut, NoticeOut, PeopleNoticesOut, RiskDto};
    use crate::common::{ots, ts};

    impl From<RiskDto> for BreachRisk {
        fn from(r: RiskDto) -> Self {
            match r {
                RiskDto::Unlikely => BreachRisk::Unlikely,
                RiskDto::Risk => BreachRisk::Risk,
                RiskDto::High => BreachRisk::High,
            }
        }
    }

    impl From<BreachRisk> for RiskDto {
        fn from(r: BreachRisk) -> Self {
            match r {
                BreachRisk::Unlikely => RiskDto::Unlikely,
                BreachRisk::Risk => RiskDto::Risk,
                BreachRisk::High => RiskDto::High,
            }
        }
    }

    impl From<&Assessment> for AssessmentOut {
        fn from(a: &Assessment) -> Self {
            AssessmentOut {
                breach: a.breach,
                risk: a.risk.map(RiskDto::from),
                note: a.note.clone(),
                at: ts(a.at),
                by: a.by.clone(),
                subject_notice_exemption: a.subject_notice_exemption.clone(),
                authority_notice_exemption: a.authority_notice_exemption.clone(),
            }
        }
    }

    /// A notice as the API shows it at `now`.
    #[must_use]
    pub fn notice_out(n: &Notice, now: Timestamp) -> NoticeOut {
        let soon = now
            .checked_add(jiff::SignedDuration::from_hours(
                steward_core::incidents::NEAR_DUE_HOURS,
            ))
            .unwrap_or(now);
        let status = match (n.sent_at, n.due_at) {
            (Some(_), _) => "sent",
            (None, Some(d)) if d < now => "overdue",
            (None, Some(d)) if d <= soon => "near_due",
            (None, _) => "open",
        };
        NoticeOut {
            id: n.id.to_string(),
            to: n.to.key(),
            due_at: ots(n.due_at),
            statutory: n.body.statutory,
            requirement: n.body.requirement.clone(),
            citation: n.body.citation.clone(),
            status: status.into(),
            sent_at: ots(n.sent_at),
            sent_what: n.body.sent_what.clone(),
            late: n.body.late,
            delay_reason: n.body.delay_reason.clone(),
        }
    }

    /// An incident as the API shows it at `now`.
    #[must_use]
    pub fn incident_out(i: &Incident, now: Timestamp) -> IncidentOut {
        let b = &i.body;
        IncidentOut {
            id: i.case.id.to_string(),
            state: i.case.state.as_str().to_string(),
            summary: b.summary.clone(),
            discovered_at: ts(b.discovered_at),
            aware_at: ts(b.aware_at),
            systems: b.systems.clone(),
            categories: b.categories.clone(),
            affected: b.affected.clone(),
            affected_unknown: b.affected_unknown,
            subjects_affected: b.affected.values().sum::<u64>() + b.affected_unknown,
            affected_source: b.affected_source.as_str().to_string(),
            affected_computed_at: b.computation.as_ref().map(|c| ts(c.at)),
            recipients: b.recipients.clone(),
            people_notices: b.people_notices.as_ref().map(|p| PeopleNoticesOut {
                at: ts(p.at),
                queued: p.queued,
                queued_total: p.queued_total,
                without_address: p.without_address,
                not_owed: p.not_owed,
            }),
            records_affected: b.records_affected,
            encrypted: b.encrypted,
            key_compromised: b.key_compromised,
            processor: b.processor,
            assessment: b.assessment.as_ref().map(AssessmentOut::from),
            next_due_at: ots(i.case.next_due_at),
            notices: i.notices.iter().map(|n| notice_out(n, now)).collect(),
            closed_at: ots(i.case.closed_at),
            updated_at: ts(i.case.updated_at),
        }
    }
}

#[cfg(feature = "core")]
pub use convert::{incident_out, notice_out};
