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
    /// People affected in all.
    pub subjects_affected: u64,
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

    use super::{AssessmentOut, IncidentOut, NoticeOut, RiskDto};
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
            subjects_affected: b.affected.values().sum(),
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
