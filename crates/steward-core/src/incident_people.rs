//! The people a breach affects, computed and told (SEC-06, GDPR-30, GDPR-31, CCPA-35, NV-08):
//! who is affected is computed from the store rather than typed — the subjects with vault
//! items in the incident's categories (optionally those held during its window) and those
//! disclosed to the recipients it names (a processor's breach), counted per residency by the
//! store in SQL, nothing decrypted — and the counts say where they came from. The set stays
//! with the incident (ids only, never logged) for the per-person notices: which notice a
//! person is owed follows from their residency and the incident's notice tasks (the EU/EEA/UK/
//! CH people for GDPR Art. 34, a state's residents for its breach law), and once the request
//! workflow has queued the e-mails, the people's tasks are marked sent with the count and the
//! time. Computed after the assessment (information may come in phases, GDPR Art. 33(4)), the
//! notices newly owed are added; none is ever removed.

use std::collections::BTreeMap;
use std::str::FromStr;

use steward_deadlines::NoticeTo;
use steward_policy::{Jurisdiction, Subject, SubjectKind};
use steward_store::ids::{CaseId, SubjectId};
use steward_store::model::case::CaseKind;
use steward_store::values::{CategoryKey, RecipientKey, store_precision};
use steward_store::{AffectedQuery, AffectedSubject, AuditedWrite};

use crate::error::CoreError;
use crate::incidents::{
    AffectedComputation, AffectedSource, ComputeAffected, Incident, NoticeBody, PeopleNotices,
    SealedMessageKey, actor_name, body_json, next_due, text,
};
use crate::{Caller, Steward};

/// What one run of "notify the people" did, per notice (the task's key: `data_subjects`,
/// `state_residents:CA` …), for [`Steward::record_people_notified`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PeopleNoticeOutcome {
    /// Notices queued now, per notice.
    pub queued: BTreeMap<String, u64>,
    /// People owed a notice but without a deliverable address, per notice.
    pub without_address: BTreeMap<String, u64>,
    /// Affected people owed no notice (no rule for their residency) and not told.
    pub not_owed: u64,
    /// What was sent, in words for the task (`breach_notice` e-mail through the outbox …).
    pub what: String,
}

fn is_people(to: &NoticeTo) -> bool {
    matches!(to, NoticeTo::DataSubjects | NoticeTo::StateResidents(_))
}

impl Steward {
    /// Compute the people an incident affects from the store (SEC-06, GDPR-30): the subjects
    /// with vault items in its categories (live now, or held during the window) and those
    /// disclosed to its recipients, counted per residency in the store — nothing decrypted,
    /// nothing logged but the total. The counts replace the typed ones (the source says
    /// `computed`); the people already told stay in the set. An assessed breach gains the
    /// notices the new counts owe. Audited (`incident.compute_affected`).
    ///
    /// # Errors
    /// `NotFound`; `Invalid(NOTHING_TO_COMPUTE | BAD_FIELD)`; `Conflict(INCIDENT_CLOSED)`.
    pub async fn compute_incident_affected(
        &self,
        caller: &Caller,
        id: CaseId,
        input: ComputeAffected,
    ) -> Result<Incident, CoreError> {
        let mut inc = self.incident(id).await?;
        if inc.case.closed_at.is_some() {
            return Err(CoreError::Conflict {
                code: steward_errors::ErrorCode::IncidentClosed,
                message: "the incident is closed".into(),
            });
        }
        let vault = input.vault && !inc.body.categories.is_empty();
        if !vault && inc.body.recipients.is_empty() {
            return Err(CoreError::invalid(
                steward_errors::ErrorCode::NothingToCompute,
                "the incident names no categories (with `vault`) or recipients to compute the affected people from",
            ));
        }
        if let (Some(f), Some(u)) = (input.from, input.until)
            && u < f
        {
            return Err(CoreError::invalid(
                steward_errors::ErrorCode::BadField,
                "the window's `until` is before its `from`",
            ));
        }
        let now = store_precision(self.clock.now());
        let bad = |_| CoreError::Unavailable("an incident record does not read");
        let counts = self
            .store
            .compute_affected(&AffectedQuery {
                incident: id,
                categories: inc
                    .body
                    .categories
                    .iter()
                    .map(|c| CategoryKey::new(c.as_str()).map_err(bad))
                    .collect::<Result<_, _>>()?,
                vault,
                recipients: inc
                    .body
                    .recipients
                    .iter()
                    .map(|r| RecipientKey::new(r.as_str()).map_err(bad))
                    .collect::<Result<_, _>>()?,
                from: input.from.map(store_precision),
                until: input.until.map(store_precision),
                at: now,
            })
            .await?;
        let mut affected = BTreeMap::new();
        let mut unknown = 0;
        for c in counts {
            match c
                .residency
                .and_then(|j| Jurisdiction::from_str(j.as_str()).ok())
            {
                Some(j) => *affected.entry(j.to_string()).or_insert(0) += c.subjects,
                None => unknown += c.subjects,
            }
        }
        let total: u64 = affected.values().sum::<u64>() + unknown;
        inc.body.affected = affected;
        inc.body.affected_unknown = unknown;
        inc.body.affected_source = AffectedSource::Computed;
        inc.body.computation = Some(AffectedComputation {
            at: now,
            by: actor_name(caller),
            from: input.from.map(store_precision),
            until: input.until.map(store_precision),
            vault,
        });
        // Information in phases (GDPR Art. 33(4)): a breach gains the notices it now owes.
        let mut new_tasks = Vec::new();
        if let Some(a) = &inc.body.assessment
            && let (true, Some(risk)) = (a.breach, a.risk)
        {
            let (planned, _, _) = self.plan_notices(&inc.body, id, risk, now)?;
            let have: Vec<String> = inc.notices.iter().map(|n| n.to.key()).collect();
            new_tasks = planned
                .into_iter()
                .filter(|t| !have.iter().any(|k| k == t.kind.as_str()))
                .collect();
        }
        let mut all = self.store.case_tasks(id).await?;
        all.extend(new_tasks.iter().cloned());
        let mut case = inc.case.clone();
        case.next_due_at = next_due(&all);
        case.body = body_json(&inc.body)?;
        case.revision += 1;
        case.updated_at = now;
        let total_s = total.to_string();
        let added = new_tasks.len().to_string();
        let e = self.incident_event(
            caller,
            "incident.compute_affected",
            id,
            None,
            &[("subjects", &total_s), ("notices_added", &added)],
        );
        self.store
            .write_audited(
                &AuditedWrite::PutCase {
                    case,
                    tasks: new_tasks,
                },
                &[e],
            )
            .await?;
        self.audit.note_appended(1);
        self.incident(id).await
    }

    /// A page of the people an incident affects (all, or those not told yet), by subject id
    /// after `after`: ids and residency only, for the notices. Empty until computed.
    ///
    /// # Errors
    /// `NotFound`.
    pub async fn incident_affected_people(
        &self,
        id: CaseId,
        pending_only: bool,
        after: Option<SubjectId>,
        limit: u32,
    ) -> Result<Vec<AffectedSubject>, CoreError> {
        let case = self.store.get_case(id).await?;
        if case.kind != CaseKind::Incident {
            return Err(CoreError::NotFound("incident"));
        }
        Ok(self
            .store
            .affected_subjects(id, pending_only, after, limit)
            .await?)
    }

    /// The notice to the people a person of `residency` is owed by `inc` (GDPR-31: the
    /// EU/EEA/UK/CH people when the incident owes `data_subjects`; CCPA-35, NV-08: a state's
    /// residents when it owes `state_residents:<state>`), or `None`.
    #[must_use]
    pub fn people_notice_for(&self, inc: &Incident, residency: Option<&str>) -> Option<NoticeTo> {
        let j = Jurisdiction::from_str(residency?).ok()?;
        let owes = |to: &NoticeTo| inc.notices.iter().any(|n| &n.to == to);
        if self
            .engine()
            .is_eu(&Subject::new(SubjectKind::CustomerAccountHolder, Some(j)))
            && owes(&NoticeTo::DataSubjects)
        {
            return Some(NoticeTo::DataSubjects);
        }
        if j.is_us()
            && let Some(state) = j.region()
        {
            let to = NoticeTo::StateResidents(state.to_string());
            if owes(&to) {
                return Some(to);
            }
        }
        None
    }

    /// Whether `inc` owes the people any notice (GDPR-31, CCPA-35, NV-08).
    #[must_use]
    pub fn owes_people_notice(inc: &Incident) -> bool {
        inc.notices.iter().any(|n| is_people(&n.to))
    }

    /// Keep the key an incident's outbox messages are sealed under (set once: a second call
    /// leaves the first key). Audited (`incident.message_key`).
    ///
    /// # Errors
    /// `NotFound`; `Conflict` when the incident changed meanwhile (retry).
    pub async fn set_incident_message_key(
        &self,
        caller: &Caller,
        id: CaseId,
        sealed: SealedMessageKey,
    ) -> Result<Incident, CoreError> {
        let mut inc = self.incident(id).await?;
        if inc.body.message_key.is_some() {
            return Ok(inc);
        }
        inc.body.message_key = Some(sealed);
        let now = store_precision(self.clock.now());
        let mut case = inc.case.clone();
        case.body = body_json(&inc.body)?;
        case.revision += 1;
        case.updated_at = now;
        let e = self.incident_event(caller, "incident.message_key", id, None, &[]);
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

    /// Record a run of "notify the people" (GDPR-31, CCPA-35, NV-08): each open notice to the
    /// people that had notices queued now is marked sent at this time, with the count (and
    /// how many of its people have no deliverable address); the incident keeps the totals.
    /// Audited (`incident.notify_people`: counts only).
    ///
    /// # Errors
    /// `NotFound`; `Conflict` when the incident changed meanwhile.
    pub async fn record_people_notified(
        &self,
        caller: &Caller,
        id: CaseId,
        outcome: &PeopleNoticeOutcome,
    ) -> Result<Incident, CoreError> {
        let mut inc = self.incident(id).await?;
        let now = store_precision(self.clock.now());
        let what = text("what", &outcome.what, true)?;
        let mut tasks = self.store.case_tasks(id).await?;
        let mut changed = Vec::new();
        for t in &mut tasks {
            let Some(to) = NoticeTo::from_key(t.kind.as_str()) else {
                continue;
            };
            let n = outcome.queued.get(t.kind.as_str()).copied().unwrap_or(0);
            if !is_people(&to) || t.done_at.is_some() || n == 0 {
                continue;
            }
            let missing = outcome
                .without_address
                .get(t.kind.as_str())
                .copied()
                .unwrap_or(0);
            let mut body: NoticeBody = serde_json::from_str(&t.body)
                .map_err(|_| CoreError::Unavailable("an incident task does not read"))?;
            body.late = t.due_at.is_some_and(|due| now > due);
            body.sent_what = Some(if missing == 0 {
                format!("{n} notices queued: {what}")
            } else {
                format!(
                    "{n} notices queued: {what}; {missing} people without a deliverable address (notify them another way)"
                )
            });
            t.done_at = Some(now);
            t.body = body_json(&body)?;
            changed.push(t.clone());
        }
        let queued: u64 = outcome.queued.values().sum();
        let without: u64 = outcome.without_address.values().sum();
        let before = inc
            .body
            .people_notices
            .as_ref()
            .map_or(0, |p| p.queued_total);
        inc.body.people_notices = Some(PeopleNotices {
            at: now,
            by: actor_name(caller),
            queued,
            queued_total: before + queued,
            without_address: without,
            not_owed: outcome.not_owed,
        });
        let mut case = inc.case.clone();
        case.next_due_at = next_due(&tasks);
        case.body = body_json(&inc.body)?;
        case.revision += 1;
        case.updated_at = now;
        let (q, w, n, m) = (
            queued.to_string(),
            without.to_string(),
            outcome.not_owed.to_string(),
            changed.len().to_string(),
        );
        let e = self.incident_event(
            caller,
            "incident.notify_people",
            id,
            None,
            &[
                ("queued", &q),
                ("without_address", &w),
                ("not_owed", &n),
                ("notices_sent", &m),
            ],
        );
        self.store
            .write_audited(
                &AuditedWrite::PutCase {
                    case,
                    tasks: changed,
                },
                &[e],
            )
            .await?;
        self.audit.note_appended(1);
        self.incident(id).await
    }
}

#[cfg(test)]
mod tests {
    use super::is_people;
    use steward_deadlines::NoticeTo;

    #[test]
    fn the_people_are_the_subjects_and_a_states_residents() {
        assert!(is_people(&NoticeTo::DataSubjects));
        assert!(is_people(&NoticeTo::StateResidents("CA".into())));
        assert!(!is_people(&NoticeTo::StateRegulator("CA".into())));
        assert!(!is_people(&NoticeTo::Controller));
        assert!(!is_people(&NoticeTo::SupervisoryAuthority));
    }
}
