//! The storage traits, named for what the business does and grouped by area.
//!
//! Every trait is object-safe (`async-trait`), so the server holds one `Arc<dyn Store>` chosen
//! once in `main` from the URL scheme. Every backend must pass the conformance suite
//! (`steward_store::conformance`, feature `conformance`), which pins down the semantics written
//! here.
//!
//! # Rules common to every method
//!
//! - **Acknowledged means durable.** When a write returns `Ok`, it has been committed and will
//!   survive a crash of the process (and, for SQLite with the default settings, power loss).
//! - **Batches are atomic.** A method taking a slice writes all of it or none of it.
//! - **Creates are idempotent.** Ids are chosen by the caller; writing the same record again
//!   returns `Ok` without a second copy. Reusing an id for *different* content is
//!   `Conflict(DifferentContent)` for mutable records and `AppendOnly` for ledger entries (DM-01).
//! - **Times** are kept with microsecond precision (see [`crate::values::store_precision`]);
//!   comparisons for idempotency happen after truncation.
//! - **Missing and not yours** are both `NotFound`.
//! - **No plaintext.** Identities arrive as blind-index tokens, values as ciphertext, audit
//!   values as digests; nothing here accepts free text.

use async_trait::async_trait;
use jiff::Timestamp;

use crate::error::StoreError;
use crate::ids::{AccountId, ApiKeyId, AuditSeq, CaseId, EventId, GrantId, ItemId, SubjectId};
use crate::model::account::{
    AccountRecord, AdminGrant, AgreementAcceptance, CarrierSelection, MemberRecord, MemberRole,
    NewAccount, NewAdminGrant,
};
use crate::model::apikey::{ApiKeyRecord, NewApiKey};
use crate::model::audit::{
    AuditEntry, AuditEvent, AuditQuery, ChainHead, ChainLink, Checkpoint, StoredCheckpoint,
};
use crate::model::audited::AuditedWrite;
use crate::model::case::{CaseKind, CaseRecord, CaseTask};
use crate::model::choice::{ChoiceEntry, Party};
use crate::model::control::ChangeOfControlNotice;
use crate::model::dek::{NewWrappedKey, WrappedKey};
use crate::model::disclosure::{DisclosureQuery, DisclosureRecord};
use crate::model::incident::{AffectedCount, AffectedNotice, AffectedQuery, AffectedSubject};
use crate::model::item::{ItemRecord, NewItem};
use crate::model::policy_version::{
    NewPolicyVersion, NoticeAudience, PolicyNoticeCount, PolicyNoticeRecord, PolicyVersionRecord,
};
use crate::model::session::{FailureCount, NewSession, SessionRecord};
use crate::model::subject::{
    ErasureOutcome, IdentityLink, IdentityRef, NewSubject, StoredFacts, SubjectErasure,
    SubjectFacts, SubjectRecord,
};
use crate::values::{Ciphertext, Digest, KekId, WrappedKeyBytes};

/// Subjects, their facts and identities (DM-03), and erasure.
#[async_trait]
pub trait SubjectStore: Send + Sync {
    /// Creates a subject (revision 1, `updated_at = created_at`). Idempotent for identical
    /// content; `Conflict(DifferentContent)` otherwise.
    async fn create_subject(&self, subject: &NewSubject) -> Result<SubjectRecord, StoreError>;

    /// Reads a subject. `NotFound(Subject)`.
    async fn get_subject(&self, id: SubjectId) -> Result<SubjectRecord, StoreError>;

    /// Replaces the facts of a subject if its revision is still `expected_revision`; returns
    /// the new record (revision + 1, `updated_at = at`). `NotFound(Subject)`,
    /// `Conflict(StaleRevision)`, `Conflict(Erased)`.
    async fn update_subject(
        &self,
        id: SubjectId,
        expected_revision: u64,
        facts: &SubjectFacts,
        at: Timestamp,
    ) -> Result<SubjectRecord, StoreError>;

    /// Attaches an identity to a subject (an e-mail, phone, account reference) or links a
    /// device or cookie to it (an edge of the identity graph). Idempotent: linking again
    /// keeps the first link. For exclusive kinds (`IdentityKind::is_exclusive`) a token held
    /// by another subject is `Conflict(IdentityTaken)`; cookies and devices may link to several
    /// subjects. `NotFound(Subject)`, `Conflict(Erased)`.
    async fn attach_identity(&self, link: &IdentityLink) -> Result<(), StoreError>;

    /// Removes a link; returns whether it existed.
    async fn detach_identity(
        &self,
        subject: SubjectId,
        identity: &IdentityRef,
    ) -> Result<bool, StoreError>;

    /// The subjects linked to an identity (at most one for exclusive kinds), oldest link first.
    /// This is the blind-index lookup ("find the subject with this e-mail").
    async fn find_by_identity(
        &self,
        identity: &IdentityRef,
    ) -> Result<Vec<IdentityLink>, StoreError>;

    /// The identities of a subject, oldest link first.
    async fn identities_of(&self, subject: SubjectId) -> Result<Vec<IdentityLink>, StoreError>;

    /// What a decision reads about a subject, in one call (one query on PostgreSQL): the
    /// record, its identities, the ledger of the subject and its linked cookies and devices,
    /// its memberships and the agreement acceptances of its current accounts (see
    /// [`StoredFacts`]). The same as the separate reads, taken from one snapshot.
    /// `NotFound(Subject)`; an erased subject is returned (its `erased_at` set).
    async fn subject_facts(&self, subject: SubjectId) -> Result<StoredFacts, StoreError>;

    /// [`subject_facts`](Self::subject_facts) of many subjects in one call (one query on
    /// PostgreSQL), in the order of `subjects`; unknown ids are left out, a repeated id is
    /// answered once.
    async fn subject_facts_many(
        &self,
        subjects: &[SubjectId],
    ) -> Result<Vec<StoredFacts>, StoreError>;

    /// Erases a subject atomically: deletes the ciphertext of every item not in `retain`
    /// (keeping tombstones), removes every identity link, clears the facts except the kind,
    /// sets `erased_at`, and with `destroy_key` destroys the wrapped data key (DM-02; refused
    /// with `Conflict(ItemsRetained)` when `retain` holds live items). Ledger entries (choices,
    /// disclosures, audit) are kept: they hold no plaintext (AUD-04, RET-05). Idempotent: a
    /// second call reports zeros. `NotFound(Subject)`.
    async fn erase_subject(&self, erasure: &SubjectErasure) -> Result<ErasureOutcome, StoreError>;

    /// The change-of-control notices of a subject, oldest effective first (BIZ-02, BIZ-03).
    /// Written through [`AuditLog::write_audited`] (`PutChangeOfControlNotice`).
    async fn change_of_control_notices(
        &self,
        subject: SubjectId,
    ) -> Result<Vec<ChangeOfControlNotice>, StoreError>;
}

/// Accounts, members and administrator grants (ADMIN-*).
#[async_trait]
pub trait AccountStore: Send + Sync {
    /// Creates an account and makes its owner a member with role `Owner`. Idempotent.
    /// `NotFound(Subject)` when the owner does not exist.
    async fn create_account(&self, account: &NewAccount) -> Result<AccountRecord, StoreError>;

    /// Reads an account. `NotFound(Account)`.
    async fn get_account(&self, id: AccountId) -> Result<AccountRecord, StoreError>;

    /// Closes an account (idempotent: the first closing time stays). `NotFound(Account)`.
    async fn close_account(
        &self,
        id: AccountId,
        at: Timestamp,
    ) -> Result<AccountRecord, StoreError>;

    /// Adds a member (or re-adds a removed one). Idempotent for a current member with the
    /// same role; `Conflict(DifferentContent)` for another role.
    /// `NotFound(Account | Subject)`, `Conflict(AccountClosed)`.
    async fn add_member(
        &self,
        account: AccountId,
        subject: SubjectId,
        role: MemberRole,
        at: Timestamp,
    ) -> Result<MemberRecord, StoreError>;

    /// Marks a member removed; returns whether it was a current member. The owner cannot be
    /// removed (`Conflict(IsOwner)`).
    async fn remove_member(
        &self,
        account: AccountId,
        subject: SubjectId,
        at: Timestamp,
    ) -> Result<bool, StoreError>;

    /// The members of an account, current and removed, in the order they were added.
    async fn list_members(&self, account: AccountId) -> Result<Vec<MemberRecord>, StoreError>;

    /// The memberships of a subject, current and removed.
    async fn memberships_of(&self, subject: SubjectId) -> Result<Vec<MemberRecord>, StoreError>;

    /// Records an administrator grant (ADMIN-01, ADMIN-03: the warning acknowledgement is a
    /// required field). Idempotent. `Invalid` for an empty permission set,
    /// `NotFound(Account | Subject)`, `Conflict(AccountClosed)`.
    async fn grant_admin(&self, grant: &NewAdminGrant) -> Result<AdminGrant, StoreError>;

    /// Revokes a grant (ADMIN-05). Idempotent: the first revocation stays. `NotFound(AdminGrant)`.
    async fn revoke_admin(
        &self,
        grant: GrantId,
        revoked_by: SubjectId,
        at: Timestamp,
    ) -> Result<AdminGrant, StoreError>;

    /// The agreement acceptances of these accounts, oldest first (CUST-01, USPSPA-01,
    /// CARRIER-02). Written through [`AuditLog::write_audited`] (`RecordAgreements`).
    async fn list_agreements(
        &self,
        accounts: &[AccountId],
    ) -> Result<Vec<AgreementAcceptance>, StoreError>;

    /// The carrier selections of these accounts, withdrawn ones included, oldest first
    /// `(selected_at, id)` (CARRIER-01). Written through [`AuditLog::write_audited`]
    /// (`SelectCarrier`, `WithdrawCarrier`).
    async fn list_carrier_selections(
        &self,
        accounts: &[AccountId],
    ) -> Result<Vec<CarrierSelection>, StoreError>;

    /// All grants of an account, active and revoked, oldest first (ADMIN-09).
    async fn list_admin_grants(&self, account: AccountId) -> Result<Vec<AdminGrant>, StoreError>;

    /// The grants held by a subject on an account that are active at `at` (ADMIN-02, ADMIN-05).
    async fn active_admin_grants(
        &self,
        account: AccountId,
        grantee: SubjectId,
        at: Timestamp,
    ) -> Result<Vec<AdminGrant>, StoreError>;
}

/// Personal data items (encrypted values).
#[async_trait]
pub trait ItemStore: Send + Sync {
    /// Stores items atomically. Idempotent per id for identical content,
    /// `Conflict(DifferentContent)` otherwise. `NotFound(Subject)`, `Conflict(Erased)` for an
    /// erased subject, `KeyDestroyed` when the subject's data key was destroyed.
    async fn put_items(&self, items: &[NewItem]) -> Result<(), StoreError>;

    /// Stores one item (see [`put_items`](Self::put_items)).
    async fn put_item(&self, item: &NewItem) -> Result<(), StoreError> {
        self.put_items(std::slice::from_ref(item)).await
    }

    /// Reads an item (a tombstone has `value: None`). `NotFound(Item)`.
    async fn get_item(&self, id: ItemId) -> Result<ItemRecord, StoreError>;

    /// The items of a subject, tombstones included, by id (that is, by creation time).
    async fn list_items(&self, subject: SubjectId) -> Result<Vec<ItemRecord>, StoreError>;

    /// Replaces the value of an item (rectification). `NotFound(Item)`, `Conflict(Erased)`.
    async fn replace_item_value(
        &self,
        id: ItemId,
        value: &Ciphertext,
        at: Timestamp,
    ) -> Result<ItemRecord, StoreError>;

    /// Changes the retention deadline of an item (e.g. "account closed + N years" becomes
    /// known). `NotFound(Item)`, `Conflict(Erased)`.
    async fn set_item_retention(
        &self,
        id: ItemId,
        retain_until: Option<Timestamp>,
    ) -> Result<ItemRecord, StoreError>;

    /// Erases an item: deletes the ciphertext, keeps the tombstone. Returns whether it was
    /// live (idempotent). `NotFound(Item)`.
    async fn erase_item(&self, id: ItemId, at: Timestamp) -> Result<bool, StoreError>;

    /// Live items whose `retain_until` is at or before `now`, earliest deadline first (the
    /// retention sweep of RET-02).
    async fn items_past_retention(
        &self,
        now: Timestamp,
        limit: u32,
    ) -> Result<Vec<ItemRecord>, StoreError>;

    /// The lifecycle events recorded for a subject (RET-01), oldest first (by `at`, then
    /// kind). Written by `AuditedWrite::RecordLifecycle`.
    async fn lifecycle_events(
        &self,
        subject: SubjectId,
    ) -> Result<Vec<crate::model::lifecycle::LifecycleEvent>, StoreError>;

    /// The items recorded as derived directly from any of `sources` (RET-06), tombstones
    /// included, by id. Written by `AuditedWrite::PutDerivedItems`.
    async fn items_derived_from(&self, sources: &[ItemId]) -> Result<Vec<ItemId>, StoreError>;
}

/// Wrapped per-subject data keys (DM-02).
#[async_trait]
pub trait KeyStore: Send + Sync {
    /// Stores a subject's wrapped data key. Idempotent for identical content;
    /// `Conflict(KeyExists)` if another key is stored; `KeyDestroyed` if the subject's key
    /// was destroyed (a shredded subject never gets a key again). `NotFound(Subject)`.
    async fn put_wrapped_key(&self, key: &NewWrappedKey) -> Result<(), StoreError>;

    /// Reads a subject's wrapped data key. `NotFound(DataKey)` if there never was one,
    /// `KeyDestroyed` if it was destroyed.
    async fn get_wrapped_key(&self, subject: SubjectId) -> Result<WrappedKey, StoreError>;

    /// Replaces the wrapped bytes after re-wrapping under a new KEK (rotation), if the key is
    /// still wrapped by `expected_kek` (`Conflict(WrongKek)` otherwise). `NotFound(DataKey)`,
    /// `KeyDestroyed`.
    async fn rewrap_key(
        &self,
        subject: SubjectId,
        expected_kek: &KekId,
        new_kek: &KekId,
        wrapped: &WrappedKeyBytes,
        at: Timestamp,
    ) -> Result<(), StoreError>;

    /// Crypto-shreds: deletes the wrapped bytes and keeps a tombstone. Returns whether a key
    /// was destroyed now (idempotent). `NotFound(DataKey)` if there never was one.
    async fn destroy_wrapped_key(
        &self,
        subject: SubjectId,
        at: Timestamp,
    ) -> Result<bool, StoreError>;

    /// Subjects whose live key is wrapped by `kek`, by subject id after `after` (rotation batches).
    async fn keys_wrapped_by(
        &self,
        kek: &KekId,
        after: Option<SubjectId>,
        limit: u32,
    ) -> Result<Vec<SubjectId>, StoreError>;
}

/// The choices ledger (append-only: DM-01). There is deliberately no update or delete.
#[async_trait]
pub trait ChoiceLedger: Send + Sync {
    /// Appends entries atomically. Idempotent per id for identical content; `AppendOnly` if an
    /// id is reused for other content. `NotFound(Subject)` for a subject party that does not exist.
    async fn append_choices(&self, entries: &[ChoiceEntry]) -> Result<(), StoreError>;

    /// Appends one entry (see [`append_choices`](Self::append_choices)).
    async fn append_choice(&self, entry: &ChoiceEntry) -> Result<(), StoreError> {
        self.append_choices(std::slice::from_ref(entry)).await
    }

    /// The entries of the given parties (a subject and its linked devices, say), merged in
    /// ledger order `(at, id)`.
    async fn list_choices(&self, parties: &[Party]) -> Result<Vec<ChoiceEntry>, StoreError>;
}

/// The disclosure register (AUD-03; append-only: DM-01).
#[async_trait]
pub trait DisclosureRegister: Send + Sync {
    /// Records disclosures atomically. Idempotent per id for identical content; `AppendOnly`
    /// if an id is reused for other content. `NotFound(Subject)`.
    async fn record_disclosures(&self, records: &[DisclosureRecord]) -> Result<(), StoreError>;

    /// Records one disclosure.
    async fn record_disclosure(&self, record: &DisclosureRecord) -> Result<(), StoreError> {
        self.record_disclosures(std::slice::from_ref(record)).await
    }

    /// A page of disclosures in `(disclosed_at, id)` order.
    async fn list_disclosures(
        &self,
        query: &DisclosureQuery,
    ) -> Result<Vec<DisclosureRecord>, StoreError>;
}

/// The hash-chained audit log (AUD-01, AUD-02; append-only: DM-01).
#[async_trait]
pub trait AuditLog: Send + Sync {
    /// Appends events atomically, in order; returns their sequence numbers. New events get
    /// consecutive numbers after the current head, even with several writers or processes.
    /// The backend encodes each event with [`crate::canonical::encode_event`], chains it with
    /// [`crate::canonical::chain_hash`] and stores body, hashes and index columns. An event
    /// whose id is already stored with the same body returns the existing number (retries are
    /// safe); with another body, `AppendOnly`.
    async fn append_audit(&self, events: &[AuditEvent]) -> Result<Vec<AuditSeq>, StoreError>;

    /// The last entry, or `None` for an empty log.
    async fn audit_head(&self) -> Result<Option<ChainHead>, StoreError>;

    /// Up to `limit` stored links after `after` (from the start when `None`), in sequence
    /// order, exactly as stored (for verification).
    async fn audit_links(
        &self,
        after: Option<AuditSeq>,
        limit: u32,
    ) -> Result<Vec<ChainLink>, StoreError>;

    /// The entry of an event (a decision's id gives its audit entry: AUD-07). `NotFound(AuditEvent)`.
    async fn audit_event(&self, id: EventId) -> Result<AuditEntry, StoreError>;

    /// A page of entries matching the query, in sequence order.
    async fn query_audit(&self, query: &AuditQuery) -> Result<Vec<AuditEntry>, StoreError>;

    /// Stores a signed checkpoint. The store checks that `head_hash` is the stored hash at
    /// `seq` (`Conflict(CheckpointMismatch)`, `NotFound(AuditEvent)` beyond the head); it does
    /// not check the signature (it holds no keys). Idempotent for an identical checkpoint;
    /// `AppendOnly` for a different one at the same seq.
    async fn add_checkpoint(&self, checkpoint: &Checkpoint) -> Result<(), StoreError>;

    /// Every stored checkpoint row, in sequence order, exactly as stored: a row whose columns
    /// do not decode is listed as [`StoredCheckpoint::Malformed`] (verification names it as
    /// tampering) rather than failing the listing.
    async fn list_checkpoints(&self) -> Result<Vec<StoredCheckpoint>, StoreError>;

    /// Performs `write` and appends `events` to the log **atomically**: the write and its
    /// audit entries commit together or not at all, so a crash never leaves a committed write
    /// without its entry, nor an entry for a write that did not happen (AUD-01, AUD-06).
    /// `Ok` means both are durable and the events are chained. The write's own rules apply
    /// (idempotency, `AppendOnly`, `NotFound` …); on any error nothing is written. The events
    /// follow [`append_audit`](Self::append_audit)'s rules.
    ///
    /// A backend either chains the events inside the write's transaction (SQLite: one writer
    /// thread, the head is already at hand), or commits them in that transaction as unchained
    /// *intents* and chains them before returning (PostgreSQL: the chain head row is not
    /// locked by every write); intents a crash left behind are chained when the store is
    /// opened again ([`chain_audit_intents`](Self::chain_audit_intents)).
    async fn write_audited(
        &self,
        write: &AuditedWrite,
        events: &[AuditEvent],
    ) -> Result<(), StoreError>;

    /// The number of audit intents committed with their writes and not chained yet (0 for a
    /// backend that chains inside the write's transaction).
    async fn pending_audit_intents(&self) -> Result<u64, StoreError>;

    /// Chains every pending audit intent now, in commit order; returns how many were chained.
    /// Backends with intents run it when the store is opened (recovery after a crash).
    async fn chain_audit_intents(&self) -> Result<u64, StoreError>;
}

/// API key records (SEC-05). The store keeps the SHA-256 hash of each secret, never the secret.
#[async_trait]
pub trait ApiKeyStore: Send + Sync {
    /// Records a key. Idempotent for identical content (returns the stored record, revoked or
    /// not); `Conflict(DifferentContent)` for other content under the same id,
    /// `Conflict(KeyHashTaken)` when another key has the same hash. `Invalid` for an empty
    /// scope set, `NotFound(Account)` for an account limit that names no account.
    async fn create_api_key(&self, key: &NewApiKey) -> Result<ApiKeyRecord, StoreError>;

    /// The key with this id. `NotFound(ApiKey)`.
    async fn get_api_key(&self, id: ApiKeyId) -> Result<ApiKeyRecord, StoreError>;

    /// The key whose secret hashes to `hash` (an indexed lookup: this runs on every API
    /// request), revoked keys included so the caller can tell "revoked" from "unknown".
    /// `None` if no key has this hash.
    async fn find_api_key_by_hash(&self, hash: &Digest)
    -> Result<Option<ApiKeyRecord>, StoreError>;

    /// Every key, active and revoked, in `(created_at, id)` order.
    async fn list_api_keys(&self) -> Result<Vec<ApiKeyRecord>, StoreError>;

    /// Revokes a key (effective immediately). Idempotent: the first revocation time stays.
    /// `NotFound(ApiKey)`.
    async fn revoke_api_key(&self, id: ApiKeyId, at: Timestamp)
    -> Result<ApiKeyRecord, StoreError>;

    /// The number of keys not revoked (e.g. to decide whether to mint a bootstrap key).
    async fn count_active_api_keys(&self) -> Result<u64, StoreError>;
}

/// Server-side sessions of the web pages (see [`crate::model::session`]).
#[async_trait]
pub trait SessionStore: Send + Sync {
    /// Records a session. Idempotent for identical content; `Conflict(DifferentContent)` for
    /// another session under the same id. `NotFound(Subject)` / `NotFound(ApiKey)` when the
    /// subject or key it names does not exist.
    async fn create_session(&self, session: &NewSession) -> Result<(), StoreError>;

    /// The session with this id, live or not (`None` if there is none); the caller checks
    /// [`SessionRecord::is_live`] and the browser binding.
    async fn get_session(&self, id: &Digest) -> Result<Option<SessionRecord>, StoreError>;

    /// Records a use at `at` (moves `last_seen_at` forward, never back) of a session that is
    /// live at `at`; returns the record as updated, or `None` when there is no live session
    /// with this id (nothing is written then).
    async fn touch_session(
        &self,
        id: &Digest,
        at: Timestamp,
    ) -> Result<Option<SessionRecord>, StoreError>;

    /// Ends a session (sign-out). Returns whether it was live; idempotent (the first time
    /// stays).
    async fn revoke_session(&self, id: &Digest, at: Timestamp) -> Result<bool, StoreError>;

    /// Ends every session of a subject (sign out everywhere, erasure); returns how many were
    /// live.
    async fn revoke_sessions_of(
        &self,
        subject: SubjectId,
        at: Timestamp,
    ) -> Result<u64, StoreError>;

    /// Deletes sessions that expired or were ended before `before`; returns how many.
    async fn purge_sessions(&self, before: Timestamp) -> Result<u64, StoreError>;

    /// Spends a one-time token (a form's CSRF token), given as its SHA-256: `true` the first
    /// time, on whichever replica; `false` when it was spent already and has not expired.
    /// The record is kept until `expires_at`; records expired at `now` are deleted on the way.
    async fn spend_token(
        &self,
        id: &Digest,
        expires_at: Timestamp,
        now: Timestamp,
    ) -> Result<bool, StoreError>;

    /// Counts a failure for `key` (a SHA-256) at `now`, atomically across replicas, and
    /// returns the count: one more than before when the previous failure was at or after
    /// `window_start`, otherwise 1 (the window restarted). Counters whose last failure is
    /// before `window_start` are deleted on the way.
    async fn count_failure(
        &self,
        key: &Digest,
        now: Timestamp,
        window_start: Timestamp,
    ) -> Result<FailureCount, StoreError>;

    /// The failures of `key` whose last one is at or after `window_start` (`None`: none).
    async fn failures(
        &self,
        key: &Digest,
        window_start: Timestamp,
    ) -> Result<Option<FailureCount>, StoreError>;

    /// Forgets the failures of `key` (a success).
    async fn clear_failures(&self, key: &Digest) -> Result<(), StoreError>;
}

/// The history of the policy text (CHG-01; see [`crate::model::policy_version`]).
#[async_trait]
pub trait PolicyVersionStore: Send + Sync {
    /// Records a policy text. Idempotent by `sha256`: a text already recorded is left as it
    /// was (its first `recorded_at` and change summary stay) and its record returned.
    async fn record_policy_version(
        &self,
        version: &NewPolicyVersion,
    ) -> Result<PolicyVersionRecord, StoreError>;

    /// Every recorded version, newest (highest `seq`) first.
    async fn list_policy_versions(&self) -> Result<Vec<PolicyVersionRecord>, StoreError>;

    /// The newest recorded version whose version string is `version` (`None` if none).
    async fn get_policy_version(
        &self,
        version: &str,
    ) -> Result<Option<PolicyVersionRecord>, StoreError>;

    /// Queues the change notice of `audience.version` for every live subject with a live item
    /// in one of its categories or a ledger entry on one of its choice keys (CHG-03, CHG-04).
    /// Once per subject and version: a subject already queued for the version keeps its row.
    /// Returns how many notices were queued now.
    async fn queue_policy_notices(&self, audience: &NoticeAudience) -> Result<u64, StoreError>;

    /// Claims up to `limit` unsent notices, oldest first, whose lease (if any) ran out before
    /// `now`, leasing each until `lease_until` so no other worker sends it meanwhile.
    async fn claim_policy_notices(
        &self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: u32,
    ) -> Result<Vec<PolicyNoticeRecord>, StoreError>;

    /// Records that the subject was notified of `version` at `at` (a message sent, or the
    /// notice shown in the privacy center), queuing the row first if there was none. Returns
    /// `true` when this call marked it (it was not marked before); an earlier `sent_at` stays.
    async fn mark_policy_notice_sent(
        &self,
        subject: SubjectId,
        version: &str,
        notice_hash: &Digest,
        at: Timestamp,
    ) -> Result<bool, StoreError>;

    /// The change notices of a subject, oldest queued first.
    async fn policy_notices_of(
        &self,
        subject: SubjectId,
    ) -> Result<Vec<PolicyNoticeRecord>, StoreError>;

    /// Per version with notices on record (all of them, or only `version`'s): how many were
    /// queued and how many sent, by version string. No subject is named.
    async fn policy_notice_counts(
        &self,
        version: Option<&str>,
    ) -> Result<Vec<PolicyNoticeCount>, StoreError>;
}

/// The schema version of a store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SchemaStatus {
    /// The version the database is at.
    pub database: u32,
    /// The newest version this binary knows.
    pub binary: u32,
}

/// The privacy team's case files: incidents and breaches, complaints, legal requests, and
/// their tasks (SEC-06, CONTACT-*, LEGALREQ-*). Written through
/// [`AuditLog::write_audited`] (`PutCase`).
#[async_trait]
pub trait CaseStore: Send + Sync {
    /// Reads a case. `NotFound(Case)`.
    async fn get_case(&self, id: CaseId) -> Result<CaseRecord, StoreError>;

    /// The cases of a kind — the open ones, or all — soonest due first (those with nothing
    /// due after them, by opening time), at most `limit`.
    async fn list_cases(
        &self,
        kind: CaseKind,
        include_closed: bool,
        limit: u32,
    ) -> Result<Vec<CaseRecord>, StoreError>;

    /// The cases of a kind about one subject (`subject` set), all of them, oldest first
    /// (the complaints of a subject being erased).
    async fn cases_of_subject(
        &self,
        subject: SubjectId,
        kind: CaseKind,
    ) -> Result<Vec<CaseRecord>, StoreError>;

    /// The tasks of a case, soonest due first (undated last, then by creation).
    async fn case_tasks(&self, case: CaseId) -> Result<Vec<CaseTask>, StoreError>;

    /// The tasks not yet done of the open cases of a kind, soonest due first (for alerts
    /// and metrics).
    async fn open_case_tasks(&self, kind: CaseKind) -> Result<Vec<CaseTask>, StoreError>;

    /// Computes the people an incident affects (SEC-06, GDPR-30; see
    /// [`crate::model::incident`]): the subjects with a vault item in `categories` (with
    /// `vault`; live now, or without a window, or held during it: collected before `until`
    /// and not erased before `from`), and those with a disclosure to one of `recipients`
    /// (in `categories` when any; before `until`). The subjects of the set not notified yet
    /// are replaced by those matching now; those whose notice was queued stay. Returns the
    /// whole set counted per residency, unknown residency first, then by jurisdiction. Done
    /// in the database in one transaction (an insert from a select, then a grouped count):
    /// no row is read into the process, no value decrypted. `NotFound(Case)` when
    /// `incident` is not an incident.
    async fn compute_affected(
        &self,
        query: &AffectedQuery,
    ) -> Result<Vec<AffectedCount>, StoreError>;

    /// A page of an incident's affected subjects (all, or those not notified yet), by subject
    /// id after `after`, at most `limit` (1 to 10 000). Unknown incident: an empty page.
    async fn affected_subjects(
        &self,
        incident: CaseId,
        pending_only: bool,
        after: Option<SubjectId>,
        limit: u32,
    ) -> Result<Vec<AffectedSubject>, StoreError>;

    /// Queues the notices of affected subjects (GDPR-31, CCPA-35, NV-08), once per subject:
    /// in one transaction, each subject of the incident's set not notified yet is marked
    /// notified at `at` with its message, and the message is queued; a subject notified
    /// already (or not in the set) is skipped with its message. Returns the subjects marked
    /// now, in the order given. `NotFound(Case)`; `Conflict(DifferentContent)` for a
    /// message not owned by the incident.
    async fn enqueue_affected_notices(
        &self,
        incident: CaseId,
        notices: &[AffectedNotice],
        at: Timestamp,
    ) -> Result<Vec<SubjectId>, StoreError>;
}

/// Everything a Steward process stores.
#[async_trait]
pub trait Store:
    SubjectStore
    + AccountStore
    + CaseStore
    + ItemStore
    + KeyStore
    + ChoiceLedger
    + DisclosureRegister
    + AuditLog
    + ApiKeyStore
    + SessionStore
    + PolicyVersionStore
    + crate::event_store::EventStore
    + crate::request_store::RequestStore
    + std::fmt::Debug
    + Send
    + Sync
{
    /// A short backend name (`sqlite`, `postgres`).
    fn backend(&self) -> &'static str;

    /// The schema version (migrations are applied when the store is opened; a database newer
    /// than the binary is refused then with `SchemaTooNew`).
    async fn schema_status(&self) -> Result<SchemaStatus, StoreError>;

    /// A view of this store whose reads of facts, disclosures and the audit log may be served
    /// by a read replica (a PostgreSQL streaming standby) and so miss writes of the last
    /// `max_lag`; its writes still go to the primary. `None` (the default) when the store has
    /// no read replica: read everything from the store itself.
    fn read_view(&self) -> Option<ReadView> {
        None
    }
}

/// A store handle for reads that may lag the primary by up to `max_lag`
/// ([`Store::read_view`]).
#[derive(Debug, Clone)]
pub struct ReadView {
    /// The handle (reads from the replica while it is within the bound; writes to the primary).
    pub store: std::sync::Arc<dyn Store>,
    /// The most a read through it may lag the primary.
    pub max_lag: std::time::Duration,
}
