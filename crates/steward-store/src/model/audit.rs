//! The audit log: every decision, read of personal data, write, choice and request step
//! (AUD-01, AUD-06, ADMIN-04), hash-chained (AUD-02) with signed checkpoints.
//!
//! An event holds no plaintext personal data (AUD-04): subjects are referred to by their
//! pseudonymous ids, values by their SHA-256 digests, and every text field is a validated key
//! or code (no `@`, no spaces), never free text. The store assigns the sequence number and
//! computes the chain hash over the canonical encoding of [`crate::canonical`].

use jiff::Timestamp;
use uuid::Uuid;

use super::coded_enum;
use crate::ids::{AccountId, AuditSeq, EventId, SubjectId};
use crate::values::{
    ActionKey, AttrValue, CategoryKey, Digest, EngineVersion, FieldName, Jurisdiction,
    PolicyVersion, PurposeKey, ReasonCode, RecipientKey, RuleId, ServiceKey, SignatureBytes,
    SigningKeyId,
};

coded_enum! {
    /// What kind of event. INVARIANT: the code is hashed into the chain; never renumber.
    pub enum AuditKind: "audit kind" {
        /// A decision (allow or deny) of the policy engine (AUD-01).
        Decision = 1, "decision",
        /// A read of personal data or of the audit log (AUD-06).
        Read = 2, "read",
        /// A write of personal data.
        Write = 3, "write",
        /// A choice recorded in the choices ledger.
        Choice = 4, "choice",
        /// A step of a data subject request.
        RequestStep = 5, "request_step",
        /// An administrator action on account data (ADMIN-04).
        Admin = 6, "admin",
        /// A key operation (creation, rotation, crypto-shredding).
        Key = 7, "key",
        /// A system event (retention sweep, migration, start-up).
        System = 8, "system",
    }
}

/// Who did it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Actor {
    /// A person known as a subject: the subject themselves, an administrator (ADMIN-04: the
    /// individual, not just the account), a staff member (staff are subjects too).
    Subject(SubjectId),
    /// A service or API client.
    Service(ServiceKey),
    /// Steward itself (sweeps, defaults).
    System,
}

/// The outcome of a decision.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    /// Allowed or denied.
    pub allow: bool,
    /// The reason code.
    pub reason: ReasonCode,
}

/// A named reference to another record (a request, an item, a grant, a disclosure ...).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventRef {
    /// What the reference is, e.g. `request`, `item`, `grant`.
    pub name: FieldName,
    /// Its id.
    pub id: Uuid,
}

/// A named digest, e.g. `old_value` / `new_value` of ADMIN-04, `payload` of a disclosure.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NamedDigest {
    /// What was hashed.
    pub name: FieldName,
    /// Its SHA-256.
    pub digest: Digest,
}

/// A short structured attribute, e.g. `jurisdiction_basis = declared`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attribute {
    /// Its name.
    pub name: FieldName,
    /// Its value (a code, never free text).
    pub value: AttrValue,
}

/// An event to append to the audit log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditEvent {
    /// Caller-chosen id (a decision's event id is its decision id): appending the same event
    /// again returns its existing sequence number; reusing the id for other content is
    /// refused with `AppendOnly`.
    pub id: EventId,
    /// When it happened (stored with microsecond precision).
    pub at: Timestamp,
    /// What kind of event.
    pub kind: AuditKind,
    /// What was done, e.g. `can_disclose`, `item.read`, `grant_admin`.
    pub action: ActionKey,
    /// Who did it.
    pub actor: Actor,
    /// The subject concerned (pseudonymous id).
    pub subject: Option<SubjectId>,
    /// The account concerned.
    pub account: Option<AccountId>,
    /// The data categories concerned.
    pub categories: Vec<CategoryKey>,
    /// The purpose.
    pub purpose: Option<PurposeKey>,
    /// The recipient.
    pub recipient: Option<RecipientKey>,
    /// The decision outcome, for decisions.
    pub outcome: Option<Outcome>,
    /// The requirement ids the decision rests on.
    pub rules: Vec<RuleId>,
    /// The policy version in force.
    pub policy_version: Option<PolicyVersion>,
    /// The engine version.
    pub engine_version: Option<EngineVersion>,
    /// The resolved jurisdiction (DM-04).
    pub jurisdiction: Option<Jurisdiction>,
    /// References to other records.
    pub refs: Vec<EventRef>,
    /// Digests of values (never the values).
    pub digests: Vec<NamedDigest>,
    /// Other structured attributes.
    pub attributes: Vec<Attribute>,
}

impl AuditEvent {
    /// An event with a fresh id and every optional field empty.
    pub fn new(kind: AuditKind, action: ActionKey, actor: Actor, at: Timestamp) -> Self {
        Self {
            id: EventId::generate(),
            at,
            kind,
            action,
            actor,
            subject: None,
            account: None,
            categories: Vec::new(),
            purpose: None,
            recipient: None,
            outcome: None,
            rules: Vec::new(),
            policy_version: None,
            engine_version: None,
            jurisdiction: None,
            refs: Vec::new(),
            digests: Vec::new(),
            attributes: Vec::new(),
        }
    }
}

/// A stored audit entry: the event with its place in the chain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditEntry {
    /// Its sequence number.
    pub seq: AuditSeq,
    /// The hash of the previous entry (zeroes for the first).
    pub prev_hash: Digest,
    /// `chain_hash(prev_hash, seq, canonical body)`.
    pub hash: Digest,
    /// The event, decoded from the stored canonical body.
    pub event: AuditEvent,
}

/// The last entry of the chain.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChainHead {
    /// Its sequence number.
    pub seq: AuditSeq,
    /// Its hash.
    pub hash: Digest,
}

/// The columns a backend keeps beside the canonical body so it can query by them.
///
/// They duplicate fields of the body; verification checks that they still agree with it, so
/// editing an indexed column is detected like editing the body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IndexedFields {
    /// The event id.
    pub event_id: EventId,
    /// The event time, in microseconds since the Unix epoch.
    pub at_micros: i64,
    /// The kind.
    pub kind: AuditKind,
    /// The subject, if any.
    pub subject: Option<SubjectId>,
}

/// An audit entry exactly as stored, for verification: nothing decoded, nothing recomputed.
///
/// A backend must produce a link for every stored row, even a tampered one, so verification
/// can name it: a hash column that is not 32 bytes becomes [`ChainLink::UNREADABLE_HASH`], and
/// index columns that do not decode become `indexed: None`; both are reported as tampering.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChainLink {
    /// Its sequence number.
    pub seq: AuditSeq,
    /// The stored previous hash.
    pub prev_hash: Digest,
    /// The stored hash.
    pub hash: Digest,
    /// The stored canonical body.
    pub body: Vec<u8>,
    /// The stored index columns, or `None` if they do not decode.
    pub indexed: Option<IndexedFields>,
}

impl ChainLink {
    /// Stands for a stored hash column that is not a 32-byte digest (it can never verify).
    pub const UNREADABLE_HASH: Digest = Digest([0xFF; 32]);
}

/// A signed statement "the chain up to `seq` has head `head_hash`" (AUD-02 anchors).
///
/// The signature is over [`crate::canonical::checkpoint_message`]. The core signs with the
/// vault's Ed25519 key; the store only keeps checkpoints and checks `head_hash` against the
/// chain when one is added.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checkpoint {
    /// The sequence number it covers (inclusive).
    pub seq: AuditSeq,
    /// The hash of the entry at `seq`.
    pub head_hash: Digest,
    /// When it was signed.
    pub signed_at: Timestamp,
    /// Which key signed it.
    pub key_id: SigningKeyId,
    /// The signature.
    pub signature: SignatureBytes,
}

/// A checkpoint row exactly as stored, for verification: nothing is refused.
///
/// Like [`ChainLink`], a backend must produce one for every stored row, even a tampered one:
/// a row whose columns do not decode (a signature of no or too many bytes, a head hash that is
/// not 32 bytes, a key id that is not a key) is [`StoredCheckpoint::Malformed`], and
/// verification reports it as tampering, naming its sequence number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StoredCheckpoint {
    /// Every column decodes.
    Valid(Checkpoint),
    /// A column does not decode.
    Malformed {
        /// The sequence number the row claims to cover (a sequence column below 1 is
        /// reported as 1).
        seq: AuditSeq,
        /// The first column that does not decode (`signature`, `head_hash`, `signed_at`,
        /// `key_id`).
        column: &'static str,
    },
}

impl StoredCheckpoint {
    /// The sequence number the row covers.
    pub fn seq(&self) -> AuditSeq {
        match self {
            StoredCheckpoint::Valid(c) => c.seq,
            StoredCheckpoint::Malformed { seq, .. } => *seq,
        }
    }

    /// The checkpoint, if the row decodes.
    pub fn valid(&self) -> Option<&Checkpoint> {
        match self {
            StoredCheckpoint::Valid(c) => Some(c),
            StoredCheckpoint::Malformed { .. } => None,
        }
    }
}

/// A page of the audit log, in sequence order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditQuery {
    /// Only events about this subject.
    pub subject: Option<SubjectId>,
    /// Only events of this kind.
    pub kind: Option<AuditKind>,
    /// Only events at or after this time.
    pub from: Option<Timestamp>,
    /// Only events strictly before this time.
    pub until: Option<Timestamp>,
    /// Continue after this sequence number.
    pub after: Option<AuditSeq>,
    /// At most this many entries (1 to 10 000; larger values are clamped).
    pub limit: u32,
}

impl AuditQuery {
    /// The largest page.
    pub const MAX_LIMIT: u32 = 10_000;

    /// Everything, first page.
    pub fn all(limit: u32) -> Self {
        Self {
            subject: None,
            kind: None,
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
