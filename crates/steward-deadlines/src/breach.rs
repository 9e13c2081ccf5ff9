//! The breach plan (DEC-21; SEC-06, GDPR-30, GDPR-31, CCPA-35, NV-08): from the facts of an
//! assessed breach, the notices owed — to whom, under which rule, and by when.
//!
//! - GDPR Art. 33 (GDPR-30): the supervisory authority within 72 hours of awareness, unless
//!   the breach is unlikely to result in a risk; a late notice needs the reasons for the delay.
//!   A processor tells its controller without undue delay (Art. 33(2)).
//! - GDPR Art. 34 (GDPR-31): the data subjects without undue delay when the risk is high,
//!   except where the data was unintelligible to others (encrypted, the key not compromised:
//!   Art. 34(3)(a)).
//! - US state breach-notice laws the catalogue names (CCPA-35: Cal. Civ. Code §1798.82;
//!   NV-08: NRS 603A.220): residents in the most expedient time possible and without
//!   unreasonable delay, when unencrypted personal information (or encrypted data with its
//!   key) was acquired; California's Attorney General too when more than 500 Californians
//!   are notified.
//!
//! "Without undue delay" and "most expedient time" have no statutory hour count: the plan
//! gives them a target the caller chooses ([`BreachTargets`]), marked `statutory: false`, so
//! the console can sort and alert on every task. Pure: the caller passes the facts and the
//! calendar; nothing here reads a clock.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::calendar::Calendar;
use crate::clocks::GDPR_BREACH_SA_NOTICE;
use crate::error::DeadlineError;
use crate::time::{Deadline, Period, deadline_after};

/// The risk to people's rights and freedoms, as assessed (GDPR Arts. 33(1), 34(1)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BreachRisk {
    /// Unlikely to result in a risk: documented, no notice to the authority (Art. 33(1), (5)).
    Unlikely,
    /// A risk: the authority is notified.
    Risk,
    /// A high risk: the data subjects are told too (Art. 34).
    High,
}

impl BreachRisk {
    /// The wire name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            BreachRisk::Unlikely => "unlikely",
            BreachRisk::Risk => "risk",
            BreachRisk::High => "high",
        }
    }
}

/// The facts of an assessed breach the plan depends on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BreachFacts {
    /// When the controller became aware (the GDPR clock starts here).
    pub aware_at: Timestamp,
    /// The assessed risk.
    pub risk: BreachRisk,
    /// Subjects in the EU, EEA, UK or Switzerland (as the policy counts them) are affected.
    pub eu_affected: bool,
    /// Affected US residents per state (two-letter code, e.g. `CA`), with their number.
    pub us_states: Vec<(String, u64)>,
    /// The affected data was encrypted (or otherwise unintelligible) at rest and in transit.
    pub encrypted: bool,
    /// The key protecting it was acquired too (the encryption then does not count).
    pub key_compromised: bool,
    /// We hold the data as a processor for a controller (Art. 33(2)).
    pub processor: bool,
}

/// The targets of notices the law requires "without undue delay" or "in the most expedient
/// time possible", which have no statutory hour count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BreachTargets {
    /// GDPR Art. 34 notice to data subjects.
    pub gdpr_subjects: Period,
    /// A processor's notice to its controller (Art. 33(2)).
    pub controller: Period,
    /// US state notices to residents and regulators.
    pub us_state: Period,
}

impl Default for BreachTargets {
    fn default() -> Self {
        BreachTargets {
            gdpr_subjects: Period::Hours(72),
            controller: Period::Hours(24),
            us_state: Period::CalendarDays(30),
        }
    }
}

/// Who a notice goes to.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "state")]
pub enum NoticeTo {
    /// The lead supervisory authority (GDPR-30).
    SupervisoryAuthority,
    /// The affected data subjects in the EU/EEA/UK/CH (GDPR-31).
    DataSubjects,
    /// The controller we process the data for (Art. 33(2)).
    Controller,
    /// The affected residents of a US state (two-letter code).
    StateResidents(String),
    /// A US state's regulator (its Attorney General).
    StateRegulator(String),
}

impl NoticeTo {
    /// A stable key: `supervisory_authority`, `data_subjects`, `controller`,
    /// `state_residents:CA`, `state_regulator:CA`.
    #[must_use]
    pub fn key(&self) -> String {
        match self {
            NoticeTo::SupervisoryAuthority => "supervisory_authority".into(),
            NoticeTo::DataSubjects => "data_subjects".into(),
            NoticeTo::Controller => "controller".into(),
            NoticeTo::StateResidents(s) => format!("state_residents:{s}"),
            NoticeTo::StateRegulator(s) => format!("state_regulator:{s}"),
        }
    }

    /// Parse a [`key`](Self::key).
    #[must_use]
    pub fn from_key(key: &str) -> Option<NoticeTo> {
        match key {
            "supervisory_authority" => Some(NoticeTo::SupervisoryAuthority),
            "data_subjects" => Some(NoticeTo::DataSubjects),
            "controller" => Some(NoticeTo::Controller),
            _ => {
                let (kind, state) = key.split_once(':')?;
                let ok = state.len() == 2 && state.bytes().all(|b| b.is_ascii_uppercase());
                match kind {
                    "state_residents" if ok => Some(NoticeTo::StateResidents(state.into())),
                    "state_regulator" if ok => Some(NoticeTo::StateRegulator(state.into())),
                    _ => None,
                }
            }
        }
    }
}

/// One notice owed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeTask {
    /// To whom.
    pub to: NoticeTo,
    /// By when.
    pub due: Deadline,
    /// The due time is the law's own (72 hours), not a target for "without undue delay".
    pub statutory: bool,
    /// A notice sent after `due` must give the reasons for the delay (GDPR-30).
    pub delay_reason_required_when_late: bool,
    /// The requirement id it honours.
    pub requirement: &'static str,
    /// The law it rests on.
    pub citation: &'static str,
}

/// The plan for one breach.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BreachPlan {
    /// The notices owed, soonest first (ties: authority, subjects, controller, residents,
    /// regulators).
    pub tasks: Vec<NoticeTask>,
    /// Why no notice goes to the data subjects although the risk is high (`Art. 34(3)(a)`).
    pub subject_notice_exemption: Option<&'static str>,
    /// Why no notice goes to the supervisory authority although EU subjects are affected.
    pub authority_notice_exemption: Option<&'static str>,
}

/// A US state's breach-notice rule, as the catalogue names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StateRule {
    /// Two-letter state code.
    pub state: &'static str,
    /// The law.
    pub citation: &'static str,
    /// The requirement id.
    pub requirement: &'static str,
    /// The state's regulator is told when more residents than this are notified.
    pub regulator_over: Option<u64>,
}

/// The state rules the catalogue names (CCPA-35, NV-08). A state not listed gets no task
/// from the plan: its law is outside what Steward encodes (say so in the incident record).
pub const STATE_RULES: &[StateRule] = &[
    StateRule {
        state: "CA",
        citation: "Cal. Civ. Code §1798.82",
        requirement: "CCPA-35",
        regulator_over: Some(500),
    },
    StateRule {
        state: "NV",
        citation: "NRS 603A.220",
        requirement: "NV-08",
        regulator_over: None,
    },
];

/// DEC-21 `breach_plan`: the notices an assessed breach owes, with their due times.
///
/// # Errors
/// A due time out of the supported range.
pub fn breach_plan(
    f: &BreachFacts,
    targets: &BreachTargets,
    cal: &Calendar,
) -> Result<BreachPlan, DeadlineError> {
    let unintelligible = f.encrypted && !f.key_compromised;
    let mut tasks = Vec::new();
    let mut subject_notice_exemption = None;
    let mut authority_notice_exemption = None;
    if f.processor {
        tasks.push(NoticeTask {
            to: NoticeTo::Controller,
            due: deadline_after(f.aware_at, targets.controller, cal)?,
            statutory: false,
            delay_reason_required_when_late: false,
            requirement: "GDPR-30",
            citation: "GDPR Art. 33(2)",
        });
    }
    if f.eu_affected {
        if f.risk == BreachRisk::Unlikely {
            authority_notice_exemption = Some("Art. 33(1): unlikely to result in a risk");
        } else {
            tasks.push(NoticeTask {
                to: NoticeTo::SupervisoryAuthority,
                due: deadline_after(f.aware_at, GDPR_BREACH_SA_NOTICE, cal)?,
                statutory: true,
                delay_reason_required_when_late: true,
                requirement: "GDPR-30",
                citation: "GDPR Art. 33(1)",
            });
        }
        if f.risk == BreachRisk::High {
            if unintelligible {
                subject_notice_exemption = Some("Art. 34(3)(a)");
            } else {
                tasks.push(NoticeTask {
                    to: NoticeTo::DataSubjects,
                    due: deadline_after(f.aware_at, targets.gdpr_subjects, cal)?,
                    statutory: false,
                    delay_reason_required_when_late: false,
                    requirement: "GDPR-31",
                    citation: "GDPR Art. 34(1)",
                });
            }
        }
    }
    if !unintelligible {
        for rule in STATE_RULES {
            let Some((_, n)) = f
                .us_states
                .iter()
                .find(|(s, n)| s.eq_ignore_ascii_case(rule.state) && *n > 0)
            else {
                continue;
            };
            let due = deadline_after(f.aware_at, targets.us_state, cal)?;
            tasks.push(NoticeTask {
                to: NoticeTo::StateResidents(rule.state.into()),
                due,
                statutory: false,
                delay_reason_required_when_late: false,
                requirement: rule.requirement,
                citation: rule.citation,
            });
            if rule.regulator_over.is_some_and(|over| *n > over) {
                tasks.push(NoticeTask {
                    to: NoticeTo::StateRegulator(rule.state.into()),
                    due,
                    statutory: false,
                    delay_reason_required_when_late: false,
                    requirement: rule.requirement,
                    citation: rule.citation,
                });
            }
        }
    }
    tasks.sort_by(|a, b| (a.due.at(), &a.to).cmp(&(b.due.at(), &b.to)));
    Ok(BreachPlan {
        tasks,
        subject_notice_exemption,
        authority_notice_exemption,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn facts() -> BreachFacts {
        BreachFacts {
            aware_at: ts("2024-06-30T14:30:00Z"),
            risk: BreachRisk::Risk,
            eu_affected: true,
            us_states: vec![],
            encrypted: false,
            key_compromised: false,
            processor: false,
        }
    }

    fn plan(f: &BreachFacts) -> BreachPlan {
        breach_plan(f, &BreachTargets::default(), &Calendar::default()).unwrap()
    }

    fn keys(p: &BreachPlan) -> Vec<String> {
        p.tasks.iter().map(|t| t.to.key()).collect()
    }

    #[test]
    fn gdpr_30_the_authority_within_72_hours_of_awareness() {
        let p = plan(&facts());
        assert_eq!(keys(&p), ["supervisory_authority"]);
        let t = &p.tasks[0];
        assert_eq!(t.due.at(), ts("2024-07-03T14:30:00Z"));
        assert!(t.statutory && t.delay_reason_required_when_late);
        assert_eq!(t.requirement, "GDPR-30");
    }

    #[test]
    fn gdpr_30_unlikely_risk_is_documented_without_a_notice() {
        let mut f = facts();
        f.risk = BreachRisk::Unlikely;
        let p = plan(&f);
        assert!(p.tasks.is_empty());
        assert!(p.authority_notice_exemption.is_some());
    }

    #[test]
    fn gdpr_31_high_risk_tells_the_subjects_unless_encrypted() {
        let mut f = facts();
        f.risk = BreachRisk::High;
        assert_eq!(keys(&plan(&f)), ["supervisory_authority", "data_subjects"]);
        f.encrypted = true;
        let p = plan(&f);
        assert_eq!(keys(&p), ["supervisory_authority"]);
        assert_eq!(p.subject_notice_exemption, Some("Art. 34(3)(a)"));
        f.key_compromised = true;
        assert_eq!(keys(&plan(&f)), ["supervisory_authority", "data_subjects"]);
    }

    #[test]
    fn ccpa_35_nv_08_state_notices_and_the_california_attorney_general() {
        let mut f = facts();
        f.eu_affected = false;
        f.us_states = vec![("CA".into(), 501), ("NV".into(), 3), ("TX".into(), 10)];
        let p = plan(&f);
        assert_eq!(
            keys(&p),
            [
                "state_residents:CA",
                "state_residents:NV",
                "state_regulator:CA"
            ]
        );
        assert_eq!(p.tasks[1].requirement, "NV-08");
        assert_eq!(p.tasks[1].due.date().to_string(), "2024-07-30");
        f.us_states = vec![("CA".into(), 500)];
        assert_eq!(keys(&plan(&f)), ["state_residents:CA"]);
        // Encrypted data whose key was not taken: no state notice.
        f.encrypted = true;
        assert!(plan(&f).tasks.is_empty());
    }

    #[test]
    fn a_processor_tells_its_controller_first() {
        let mut f = facts();
        f.processor = true;
        let p = plan(&f);
        assert_eq!(keys(&p), ["controller", "supervisory_authority"]);
        assert_eq!(p.tasks[0].due.at(), ts("2024-07-01T14:30:00Z"));
    }

    #[test]
    fn notice_keys_round_trip() {
        for k in [
            NoticeTo::SupervisoryAuthority,
            NoticeTo::DataSubjects,
            NoticeTo::Controller,
            NoticeTo::StateResidents("CA".into()),
            NoticeTo::StateRegulator("NV".into()),
        ] {
            assert_eq!(NoticeTo::from_key(&k.key()), Some(k));
        }
        assert_eq!(NoticeTo::from_key("state_residents:california"), None);
        assert_eq!(NoticeTo::from_key("press"), None);
    }
}
