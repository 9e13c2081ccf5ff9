//! Versions of the policy text (CHG-01): each text the service was given, with its version
//! string, effective date, SHA-256 and what changed against the version recorded before it.
//! Policy text is not personal data; it is stored as is.

use jiff::Timestamp;

use crate::values::Digest;

/// A policy text to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPolicyVersion {
    /// The policy's own version string (`policy.version`).
    pub version: String,
    /// Its effective date, `YYYY-MM-DD` (`policy.effective`).
    pub effective: String,
    /// SHA-256 of `text` (the identity of a recorded version: recording is idempotent by it).
    pub sha256: Digest,
    /// The policy file's text.
    pub text: String,
    /// When it was first seen.
    pub recorded_at: Timestamp,
    /// What changed against the version recorded before it (JSON, opaque to the store).
    pub changes: String,
    /// Whether any of those changes is material (CHG-03).
    pub material: bool,
}

/// A recorded policy version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyVersionRecord {
    /// Recording order (1, 2, …): the newest has the highest.
    pub seq: u64,
    /// The policy's own version string.
    pub version: String,
    /// Its effective date, `YYYY-MM-DD`.
    pub effective: String,
    /// SHA-256 of `text`.
    pub sha256: Digest,
    /// The text.
    pub text: String,
    /// When it was first recorded.
    pub recorded_at: Timestamp,
    /// What changed against the version recorded before it (JSON).
    pub changes: String,
    /// Whether any change is material.
    pub material: bool,
}

/// Who is to be told of a material policy version (CHG-03, CHG-04): everyone with live data
/// in one of `categories`, or a choice recorded on one of `choice_keys`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeAudience {
    /// The version the notice announces.
    pub version: String,
    /// SHA-256 of the notice text (the version's policy text).
    pub notice_hash: Digest,
    /// Categories whose holders are affected.
    pub categories: Vec<crate::values::CategoryKey>,
    /// Ledger keys whose choosers are affected (`consent:purpose:<id>`, `objection:<id>` …).
    pub choice_keys: Vec<crate::values::ChoiceKey>,
    /// When the notices are queued.
    pub at: Timestamp,
}

/// How many change notices of one version were queued, and how many of them sent (CHG-04).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyNoticeCount {
    /// The version.
    pub version: String,
    /// Notices of it on record (queued, or shown without being queued), sent or not.
    pub queued: u64,
    /// Of those, the ones sent (the person was notified).
    pub sent: u64,
}

/// The change notice of one policy version to one subject (CHG-04).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyNoticeRecord {
    /// Whom it is for.
    pub subject: crate::ids::SubjectId,
    /// The version it announces.
    pub version: String,
    /// SHA-256 of the notice text.
    pub notice_hash: Digest,
    /// When it was queued.
    pub queued_at: Timestamp,
    /// Held by a worker until then, while it is being sent.
    pub lease_until: Option<Timestamp>,
    /// When the person was notified (sent, or shown in the privacy center).
    pub sent_at: Option<Timestamp>,
}
