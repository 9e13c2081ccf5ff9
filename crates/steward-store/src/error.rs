//! Errors returned by every store operation, whatever the backend.
//!
//! One enum for the whole storage layer: callers match on the variant (a `NotFound` becomes a
//! 404, a `Conflict` a 409, ...) and never on a message. Backend failures are wrapped, not
//! stringified, so the cause chain survives for the log.

use std::fmt;
use std::sync::Arc;

use crate::ids::SubjectId;

/// An invalid value given to a constructor (a key with forbidden characters, an empty token, ...).
///
/// The message never echoes the offending input: it may be personal data.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid {what}: {reason}")]
pub struct ValueError {
    /// What was being built, e.g. `category key`.
    pub what: &'static str,
    /// Why it was refused, e.g. `must match [a-z0-9_:.-]{1,64}`.
    pub reason: &'static str,
}

impl ValueError {
    /// Builds a value error.
    pub const fn new(what: &'static str, reason: &'static str) -> Self {
        Self { what, reason }
    }
}

/// The kind of stored thing an error is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Entity {
    /// A data subject.
    Subject,
    /// An identity link (blind-indexed e-mail, phone, account reference, cookie or device id).
    Identity,
    /// An account.
    Account,
    /// A membership of a subject in an account.
    Member,
    /// An administrator grant.
    AdminGrant,
    /// A personal data item.
    Item,
    /// A subject's wrapped data key.
    DataKey,
    /// An entry of the choices ledger.
    Choice,
    /// An entry of the disclosure register.
    Disclosure,
    /// An audit log entry.
    AuditEvent,
    /// A signed audit checkpoint.
    Checkpoint,
    /// An API key record.
    ApiKey,
    /// A usage event, log-in record or USPS scan.
    Event,
    /// A derived dataset.
    Dataset,
    /// A notification owed to a partner.
    Notification,
    /// A data subject request.
    Request,
    /// A verification challenge of a request.
    Challenge,
    /// A message of the request outbox.
    Message,
    /// A registered connector (external dataset or webhook endpoint).
    Connector,
    /// A webhook delivery.
    Delivery,
    /// A legal hold.
    LegalHold,
    /// A sign-in session of the web pages.
    Session,
    /// A case file of the privacy team (incident, complaint, legal request).
    Case,
    /// A task of a case file.
    CaseTask,
    /// A change-of-control notice owed to a person.
    ChangeOfControlNotice,
    /// A carrier an account holder selected.
    CarrierSelection,
}

impl Entity {
    /// The short name of the kind, as an answer says it (`item not found`): one name a
    /// variant. `Display` gives the longer form used in conflict messages.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Entity::Subject => "subject",
            Entity::Identity => "identity",
            Entity::Account => "account",
            Entity::Member => "member",
            Entity::AdminGrant => "administrator grant",
            Entity::Item => "item",
            Entity::DataKey => "data key",
            Entity::Choice => "choice",
            Entity::Disclosure => "disclosure",
            Entity::AuditEvent => "audit event",
            Entity::Checkpoint => "checkpoint",
            Entity::ApiKey => "api key",
            Entity::Event => "event",
            Entity::Dataset => "dataset",
            Entity::Notification => "notification",
            Entity::Request => "request",
            Entity::Challenge => "challenge",
            Entity::Message => "message",
            Entity::Connector => "connector",
            Entity::Delivery => "delivery",
            Entity::LegalHold => "legal hold",
            Entity::Session => "session",
            Entity::Case => "case",
            Entity::CaseTask => "case task",
            Entity::ChangeOfControlNotice => "change-of-control notice",
            Entity::CarrierSelection => "carrier selection",
        }
    }
}

impl fmt::Display for Entity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Entity::Subject => "subject",
            Entity::Identity => "identity",
            Entity::Account => "account",
            Entity::Member => "account member",
            Entity::AdminGrant => "administrator grant",
            Entity::Item => "data item",
            Entity::DataKey => "data key",
            Entity::Choice => "choice entry",
            Entity::Disclosure => "disclosure record",
            Entity::AuditEvent => "audit event",
            Entity::Checkpoint => "audit checkpoint",
            Entity::ApiKey => "api key",
            Entity::Event => "event",
            Entity::Dataset => "derived dataset",
            Entity::Notification => "partner notification",
            Entity::Request => "request",
            Entity::Challenge => "verification challenge",
            Entity::Message => "outbox message",
            Entity::Connector => "connector",
            Entity::Delivery => "webhook delivery",
            Entity::LegalHold => "legal hold",
            Entity::Session => "session",
            Entity::Case => "case",
            Entity::CaseTask => "case task",
            Entity::ChangeOfControlNotice => "change-of-control notice",
            Entity::CarrierSelection => "carrier selection",
        })
    }
}

/// Why a write conflicts with what is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ConflictReason {
    /// The id already exists with different content (creates are idempotent only for identical content).
    DifferentContent,
    /// The record changed since it was read (optimistic concurrency: `expected_revision` is stale).
    StaleRevision,
    /// An exclusive identity (e-mail, phone, account reference) is already attached to another subject.
    IdentityTaken,
    /// The data key is wrapped by another key-encryption key than the caller expected.
    WrongKek,
    /// A data key already exists for the subject.
    KeyExists,
    /// The checkpoint's head hash is not the stored hash at its sequence number.
    CheckpointMismatch,
    /// The subject or item was erased; it cannot be written to any more.
    Erased,
    /// The data key cannot be destroyed while some of the subject's items are retained.
    ItemsRetained,
    /// The account is closed.
    AccountClosed,
    /// The data item belongs to another subject than the one named.
    WrongSubject,
    /// The account owner cannot be removed from the account.
    IsOwner,
    /// Another API key is stored with the same secret hash.
    KeyHashTaken,
    /// Another record already uses this unique name (e.g. a connector name).
    NameTaken,
}

impl fmt::Display for ConflictReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ConflictReason::DifferentContent => "the id exists with different content",
            ConflictReason::StaleRevision => "the record was changed since it was read",
            ConflictReason::IdentityTaken => "the identity belongs to another subject",
            ConflictReason::WrongKek => "the key is wrapped by another key-encryption key",
            ConflictReason::KeyExists => "a data key already exists",
            ConflictReason::CheckpointMismatch => "the checkpoint does not match the stored chain",
            ConflictReason::Erased => "it was erased",
            ConflictReason::ItemsRetained => "some items are retained",
            ConflictReason::AccountClosed => "the account is closed",
            ConflictReason::WrongSubject => "it belongs to another subject",
            ConflictReason::IsOwner => "the account owner cannot be removed",
            ConflictReason::KeyHashTaken => "another api key has the same hash",
            ConflictReason::NameTaken => "the name is taken by another record",
        })
    }
}

/// A failure inside a storage backend (driver error, I/O error, pool exhausted ...).
///
/// Cheap to clone (the cause is shared), so a group commit can hand the same failure to every
/// caller of the batch.
#[derive(Clone)]
pub struct BackendError(Arc<dyn std::error::Error + Send + Sync + 'static>);

impl BackendError {
    /// Wraps a backend's error.
    pub fn new<E: std::error::Error + Send + Sync + 'static>(error: E) -> Self {
        Self(Arc::new(error))
    }

    /// The wrapped error.
    pub fn inner(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
        &*self.0
    }
}

impl fmt::Debug for BackendError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Display for BackendError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&*self.0, f)
    }
}

impl std::error::Error for BackendError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.0)
    }
}

/// The error of every store operation.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The thing does not exist (or is not visible to the caller: both are "not found").
    #[error("{0} not found")]
    NotFound(Entity),
    /// The write conflicts with what is stored.
    #[error("conflict on {entity}: {reason}")]
    Conflict {
        /// What the conflict is about.
        entity: Entity,
        /// Why.
        reason: ConflictReason,
    },
    /// DM-01: ledgers (choices, disclosures, audit) are append-only; an existing entry cannot be
    /// changed or deleted, and its id cannot be reused for other content.
    #[error("{0} ledger is append-only: an existing entry cannot be changed or deleted")]
    AppendOnly(Entity),
    /// DM-02: the subject's data key was destroyed (crypto-shredded); its data is unreadable for good.
    #[error("the data key of subject `{0}` was destroyed")]
    KeyDestroyed(SubjectId),
    /// The database was written by a newer Steward: refuse to touch it rather than corrupt it.
    #[error(
        "the database schema is version {db} but this binary knows versions up to {binary}: \
         upgrade steward (or restore a backup taken by this version)"
    )]
    SchemaTooNew {
        /// Schema version found in the database.
        db: u32,
        /// Highest schema version this binary knows.
        binary: u32,
    },
    /// The input was refused before reaching the database.
    #[error(transparent)]
    Invalid(#[from] ValueError),
    /// Stored data could not be decoded (a column out of range, a malformed audit body, ...).
    #[error("stored {what} is corrupt")]
    Corrupt {
        /// What could not be decoded.
        what: &'static str,
    },
    /// The store was shut down (its writer thread is gone).
    #[error("the store is closed")]
    Closed,
    /// The backend failed (I/O, driver, pool).
    #[error("storage backend failed: {0}")]
    Backend(#[source] BackendError),
}

impl StoreError {
    /// Wraps a backend error.
    pub fn backend<E: std::error::Error + Send + Sync + 'static>(error: E) -> Self {
        StoreError::Backend(BackendError::new(error))
    }

    /// Shorthand for a conflict.
    pub const fn conflict(entity: Entity, reason: ConflictReason) -> Self {
        StoreError::Conflict { entity, reason }
    }

    /// Shorthand for a corrupt stored value.
    pub const fn corrupt(what: &'static str) -> Self {
        StoreError::Corrupt { what }
    }
}

#[cfg(test)]
mod entity_name_tests {
    use super::Entity;

    #[test]
    fn every_entity_has_its_own_name() {
        use Entity::*;
        let all = [
            Subject,
            Identity,
            Account,
            Member,
            AdminGrant,
            Item,
            DataKey,
            Choice,
            Disclosure,
            AuditEvent,
            Checkpoint,
            ApiKey,
            Event,
            Dataset,
            Notification,
            Request,
            Challenge,
            Message,
            Connector,
            Delivery,
            LegalHold,
            Session,
        ];
        let names: std::collections::BTreeSet<_> = all.iter().map(|e| e.name()).collect();
        assert_eq!(names.len(), all.len(), "two entities share a name");
        assert!(!names.contains("record"));
    }
}
