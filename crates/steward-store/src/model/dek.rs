//! Wrapped per-subject data keys (DM-02).
//!
//! The vault generates a data key per subject, wraps it with a key-encryption key (KEK) from
//! its key provider, and stores only the wrapped bytes here. Destroying the wrapped key is
//! crypto-shredding: every copy of the subject's ciphertext, backups included, becomes
//! unreadable. The store keeps a tombstone so a destroyed key reads as `KeyDestroyed`, not as
//! "never existed", and can never be recreated for the same subject.

use jiff::Timestamp;

use crate::ids::SubjectId;
use crate::values::{KekId, WrappedKeyBytes};

/// A wrapped data key to store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewWrappedKey {
    /// The subject.
    pub subject: SubjectId,
    /// The key-encryption key that wrapped it.
    pub kek: KekId,
    /// The wrapped key bytes.
    pub wrapped: WrappedKeyBytes,
    /// Creation time.
    pub created_at: Timestamp,
}

/// A stored wrapped data key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WrappedKey {
    /// The subject.
    pub subject: SubjectId,
    /// The key-encryption key that wraps it now.
    pub kek: KekId,
    /// The wrapped key bytes.
    pub wrapped: WrappedKeyBytes,
    /// Creation time.
    pub created_at: Timestamp,
    /// When it was last re-wrapped (KEK rotation).
    pub rewrapped_at: Option<Timestamp>,
}
