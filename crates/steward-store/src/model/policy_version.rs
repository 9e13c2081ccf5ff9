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
