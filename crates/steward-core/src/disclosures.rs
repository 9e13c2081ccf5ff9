//! The disclosure register (AUD-03): an actual share is recorded only when a
//! matching allow decision exists — same subject, recipient and purpose, and
//! only categories that decision allowed. The register summed by recipient feeds the data
//! map and the record of processing (GDPR-27).

use std::collections::{BTreeMap, BTreeSet};
use steward_errors::ErrorCode;

use jiff::Timestamp;
use steward_store::ids::{DecisionId, DisclosureId, EventId, ItemId, SubjectId};
use steward_store::model::audit::{AuditKind, EventRef};
use steward_store::model::disclosure::{DisclosureQuery, DisclosureRecord, DisclosureScope};
use steward_store::values::{CategoryKey, Digest, FieldName, PurposeKey, RecipientKey};

use crate::error::CoreError;
use crate::{Caller, Steward};

/// Per-recipient totals of the disclosure register.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegisterTotals {
    /// Disclosures recorded to this recipient.
    pub count: u64,
    /// Distinct subjects (within the records read).
    pub subjects: u64,
    /// The last one.
    pub last: Option<Timestamp>,
    /// Categories actually disclosed.
    pub categories: BTreeSet<String>,
}

/// The register as read: totals by recipient key, and whether the read stopped early.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Register {
    /// Totals by recipient key.
    pub by_recipient: BTreeMap<String, RegisterTotals>,
    /// Records read.
    pub records: u64,
    /// More records exist than were read.
    pub truncated: bool,
}

/// A disclosure to record.
#[derive(Debug, Clone)]
pub struct DisclosureInput {
    /// The decision that allowed it.
    pub decision_id: EventId,
    /// The subject.
    pub subject: SubjectId,
    /// The recipient.
    pub recipient: String,
    /// The categories actually sent.
    pub categories: Vec<String>,
    /// The purpose.
    pub purpose: String,
    /// The items sent, if known.
    pub items: Vec<ItemId>,
    /// SHA-256 (hex) of the payload, if known.
    pub payload_sha256: Option<String>,
}

fn conflict(msg: &str) -> CoreError {
    CoreError::Conflict {
        code: ErrorCode::NoMatchingDecision,
        message: msg.to_string(),
    }
}

impl Steward {
    /// Record an actual share, refused unless a matching allow decision exists.
    ///
    /// # Errors
    /// `Conflict(NO_MATCHING_DECISION)`, `NotFound`, `Invalid`.
    pub async fn record_disclosure(
        &self,
        caller: &Caller,
        d: DisclosureInput,
    ) -> Result<DisclosureRecord, CoreError> {
        let entry = match self.store.audit_event(d.decision_id).await {
            Ok(e) => e,
            Err(steward_store::error::StoreError::NotFound(_)) => {
                return Err(conflict("no decision has this id"));
            }
            Err(e) => return Err(e.into()),
        };
        let ev = &entry.event;
        if ev.kind != AuditKind::Decision || ev.action.as_str() != "can_disclose" {
            return Err(conflict("the decision is not a disclosure decision"));
        }
        if !ev.outcome.as_ref().is_some_and(|o| o.allow) {
            return Err(conflict("the decision denied this disclosure"));
        }
        if ev.subject != Some(d.subject) {
            return Err(conflict("the decision was made for another subject"));
        }
        if ev.recipient.as_ref().map(RecipientKey::as_str) != Some(d.recipient.as_str()) {
            return Err(conflict("the decision was made for another recipient"));
        }
        if ev.purpose.as_ref().map(PurposeKey::as_str) != Some(d.purpose.as_str()) {
            return Err(conflict("the decision was made for another purpose"));
        }
        if d.categories.is_empty()
            || !d
                .categories
                .iter()
                .all(|c| ev.categories.iter().any(|k| k.as_str() == c))
        {
            return Err(conflict("a category was not part of the allowed decision"));
        }
        let payload_hash =
            match &d.payload_sha256 {
                Some(h) => {
                    let bytes: Vec<u8> = (0..h.len())
                        .step_by(2)
                        .map(|i| h.get(i..i + 2).and_then(|x| u8::from_str_radix(x, 16).ok()))
                        .collect::<Option<Vec<u8>>>()
                        .filter(|b| b.len() == 32 && h.len() == 64)
                        .ok_or_else(|| {
                            CoreError::invalid(
                                ErrorCode::BadPayloadHash,
                                "`payload_sha256` must be 64 hex characters",
                            )
                        })?;
                    Some(Digest::from_slice(&bytes).map_err(|e| {
                        CoreError::invalid(ErrorCode::BadPayloadHash, e.to_string())
                    })?)
                }
                None => None,
            };
        let record = DisclosureRecord {
            id: DisclosureId::generate(),
            subject: d.subject,
            recipient: RecipientKey::new(d.recipient.clone())
                .map_err(|e| CoreError::invalid(ErrorCode::BadRecipient, e.to_string()))?,
            categories: d
                .categories
                .iter()
                .map(|c| {
                    CategoryKey::new(c.clone())
                        .map_err(|e| CoreError::invalid(ErrorCode::BadCategory, e.to_string()))
                })
                .collect::<Result<_, _>>()?,
            items: d.items.clone(),
            purpose: PurposeKey::new(d.purpose.clone())
                .map_err(|e| CoreError::invalid(ErrorCode::BadPurpose, e.to_string()))?,
            decision: DecisionId::from_uuid(d.decision_id.as_uuid()),
            payload_hash,
            disclosed_at: self.clock.now(),
        };
        let mut e = self.event(AuditKind::Write, "disclosure.record", caller);
        e.subject = Some(d.subject);
        e.categories = record.categories.clone();
        e.purpose = Some(record.purpose.clone());
        e.recipient = Some(record.recipient.clone());
        if let Ok(n) = FieldName::new("disclosure") {
            e.refs.push(EventRef {
                name: n,
                id: record.id.as_uuid(),
            });
        }
        // AUD-01: the disclosure and its audit entry commit together or not at all.
        self.store
            .write_audited(
                &steward_store::AuditedWrite::RecordDisclosures(vec![record.clone()]),
                &[e],
            )
            .await?;
        self.audit.note_appended(1);
        Ok(record)
    }

    /// Disclosures of a subject, oldest first.
    ///
    /// # Errors
    /// Store failures.
    pub async fn disclosures_of(
        &self,
        subject: SubjectId,
        limit: u32,
    ) -> Result<Vec<DisclosureRecord>, CoreError> {
        Ok(self
            .store
            .list_disclosures(&DisclosureQuery::scope(
                DisclosureScope::Subject(subject),
                limit,
            ))
            .await?)
    }

    /// The whole register summed by recipient (count, distinct subjects, last disclosure,
    /// categories), reading at most about `max_records` records in pages; past that the
    /// totals are marked `truncated`. Records hold ids and codes only.
    ///
    /// # Errors
    /// Store failures.
    pub async fn disclosure_register(&self, max_records: u64) -> Result<Register, CoreError> {
        let mut reg = Register::default();
        let mut q = DisclosureQuery::scope(DisclosureScope::All, DisclosureQuery::MAX_LIMIT);
        let mut subjects: BTreeMap<String, BTreeSet<SubjectId>> = BTreeMap::new();
        loop {
            // A report: the read view may serve it ([`Steward::reads`]).
            let page = self.reads().list_disclosures(&q).await?;
            for d in &page {
                let t = reg
                    .by_recipient
                    .entry(d.recipient.as_str().to_string())
                    .or_default();
                t.count += 1;
                t.last = t.last.max(Some(d.disclosed_at));
                t.categories
                    .extend(d.categories.iter().map(|c| c.as_str().to_string()));
                subjects
                    .entry(d.recipient.as_str().to_string())
                    .or_default()
                    .insert(d.subject);
            }
            reg.records += page.len() as u64;
            match page.last() {
                Some(l) if page.len() == DisclosureQuery::MAX_LIMIT as usize => {
                    if reg.records >= max_records {
                        reg.truncated = true;
                        break;
                    }
                    q.after = Some((l.disclosed_at, l.id));
                }
                _ => break,
            }
        }
        for (k, s) in subjects {
            if let Some(t) = reg.by_recipient.get_mut(&k) {
                t.subjects = s.len() as u64;
            }
        }
        Ok(reg)
    }
}
