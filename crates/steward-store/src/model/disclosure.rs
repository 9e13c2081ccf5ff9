//! The disclosure register: every *actual* share of personal data (AUD-03) — recipient,
//! categories, items, purpose, the decision that allowed it, a hash of the payload, time.
//!
//! Access reports (GDPR Art. 15 recipients), Art. 19 notifications and the CCPA lists of
//! disclosures are built from it. Append-only (DM-01).

use jiff::Timestamp;

use crate::ids::{DecisionId, DisclosureId, ItemId, SubjectId};
use crate::values::{CategoryKey, Digest, PurposeKey, RecipientKey};

/// One disclosure of one subject's data to one recipient.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DisclosureRecord {
    /// Caller-chosen id: recording the same record again is a no-op; reusing the id for other
    /// content is refused with `AppendOnly`.
    pub id: DisclosureId,
    /// Whose data.
    pub subject: SubjectId,
    /// To whom.
    pub recipient: RecipientKey,
    /// Which categories.
    pub categories: Vec<CategoryKey>,
    /// Which items, when known.
    pub items: Vec<ItemId>,
    /// For what purpose.
    pub purpose: PurposeKey,
    /// The decision that allowed it.
    pub decision: DecisionId,
    /// SHA-256 of what was sent, when known.
    pub payload_hash: Option<Digest>,
    /// When it was sent. Records are ordered by `(disclosed_at, id)`.
    pub disclosed_at: Timestamp,
}

/// Which disclosures to list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DisclosureScope {
    /// Of one subject (access reports).
    Subject(SubjectId),
    /// To one recipient (CCPA disclosures, processor follow-up).
    Recipient(RecipientKey),
    /// All of them (reports over a time range).
    All,
}

/// A page of the disclosure register, in `(disclosed_at, id)` order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DisclosureQuery {
    /// Which disclosures.
    pub scope: DisclosureScope,
    /// Only those disclosed at or after this time.
    pub from: Option<Timestamp>,
    /// Only those disclosed strictly before this time.
    pub until: Option<Timestamp>,
    /// Continue after this record (the `(disclosed_at, id)` of the last record of the previous page).
    pub after: Option<(Timestamp, DisclosureId)>,
    /// At most this many records (1 to 10 000; larger values are clamped).
    pub limit: u32,
}

impl DisclosureQuery {
    /// The largest page.
    pub const MAX_LIMIT: u32 = 10_000;

    /// The first page of a scope, without a time range.
    pub fn scope(scope: DisclosureScope, limit: u32) -> Self {
        Self {
            scope,
            from: None,
            until: None,
            after: None,
            limit,
        }
    }

    /// `limit` clamped to `1..=MAX_LIMIT`.
    pub fn effective_limit(&self) -> u32 {
        self.limit.clamp(1, Self::MAX_LIMIT)
    }
}
