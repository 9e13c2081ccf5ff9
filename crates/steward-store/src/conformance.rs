//! The conformance suite every backend must pass (feature `conformance`).
//!
//! One async function per case in [`cases`]; the [`conformance_tests!`](crate::conformance_tests)
//! macro generates one `#[tokio::test]` per case in the backend's test crate, and [`run_all`]
//! runs them in sequence. Each case asks the backend's [`StoreFactory`] for a fresh, empty
//! store, so cases are independent and may run in parallel.
//!
//! ```text
//! // crates/steward-store-xyz/tests/conformance.rs
//! struct XyzFactory;
//! #[async_trait::async_trait]
//! impl steward_store::conformance::StoreFactory for XyzFactory {
//!     type Fixture = XyzFixture;
//!     async fn fresh(&self) -> XyzFixture { ... }
//! }
//! steward_store::conformance_tests!(XyzFactory);
//! ```
//!
//! The fixture also exposes a few test hooks that only a backend can implement: tampering with
//! stored audit rows the way an attacker with database access would (AUD-02), the raw stored
//! bytes for the no-plaintext scan (AUD-04), reopening, and marking the database as written by
//! a newer binary.
//!
//! This module is test code compiled into the library (so other crates can run it): it
//! panics on failure, like any test.

#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "conformance and benchmark harness: a failed step fails the caller's test"
)]

use std::sync::Arc;

use async_trait::async_trait;
use jiff::Timestamp;

use crate::error::StoreError;
use crate::ids::AuditSeq;
use crate::traits::Store;

/// Makes a fresh, empty store per case.
#[async_trait]
pub trait StoreFactory: Send + Sync {
    /// The per-case fixture.
    type Fixture: StoreFixture;
    /// A new, empty, migrated store (its own database, schema or file).
    async fn fresh(&self) -> Self::Fixture;
}

/// A store under test, with the hooks only its backend can provide.
#[async_trait]
pub trait StoreFixture: Send + Sync {
    /// The store.
    fn store(&self) -> Arc<dyn Store>;

    /// Changes stored audit rows directly in the database, bypassing the store — what an
    /// attacker with database access can do. Panics if the backend cannot apply it.
    async fn tamper(&self, tamper: Tamper);

    /// Every byte the backend keeps for this store (SQLite: database file and WAL), for the
    /// no-plaintext scan; `None` if the backend cannot expose them (the case is then skipped).
    async fn raw_bytes(&self) -> Option<Vec<u8>>;

    /// Closes the store and opens it again on the same database (the old handle must not be
    /// used afterwards). Returns the open error, e.g. `SchemaTooNew`.
    async fn reopen(&mut self) -> Result<Arc<dyn Store>, StoreError>;
}

/// A direct modification of stored audit data (AUD-02 tamper tests).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tamper {
    /// Flip one bit of the body at `offset` (hashes untouched).
    FlipBodyBit {
        /// The entry.
        seq: AuditSeq,
        /// The byte offset in the body.
        offset: usize,
    },
    /// Flip one bit of the body at `offset` and recompute this entry's hash (with
    /// [`crate::canonical::chain_hash`] over its stored `prev_hash`), leaving later entries alone.
    FlipBodyBitAndRehash {
        /// The entry.
        seq: AuditSeq,
        /// The byte offset in the body.
        offset: usize,
    },
    /// Flip one bit of the body at `offset`, then recompute `prev_hash` and `hash` of this and
    /// every later entry so the chain is self-consistent again (and update the index columns
    /// from the bodies).
    RewriteFrom {
        /// The first rewritten entry.
        seq: AuditSeq,
        /// The byte offset in its body.
        offset: usize,
    },
    /// Delete one entry.
    DeleteEntry {
        /// The entry.
        seq: AuditSeq,
    },
    /// Delete this entry and every later one.
    DeleteFrom {
        /// The first deleted entry.
        seq: AuditSeq,
    },
    /// Exchange everything but the sequence numbers of two entries.
    SwapEntries {
        /// One entry.
        a: AuditSeq,
        /// The other.
        b: AuditSeq,
    },
    /// Overwrite the indexed subject column of an entry (the body is untouched).
    SetSubjectColumn {
        /// The entry.
        seq: AuditSeq,
        /// The new subject bytes (`None` = SQL NULL).
        subject: Option<[u8; 16]>,
    },
    /// Record in the database that a newer binary (schema version `binary + 1`) migrated it.
    BumpSchemaVersion,
    /// Delete every checkpoint at or after `seq` (with [`DeleteFrom`](Self::DeleteFrom): the
    /// truncation of a tail together with the checkpoints that covered it).
    DeleteCheckpointsFrom {
        /// The first deleted checkpoint's sequence number.
        seq: AuditSeq,
    },
    /// Damage one column of the checkpoint at `seq` so that it no longer decodes.
    MalformCheckpoint {
        /// The checkpoint.
        seq: AuditSeq,
        /// What to damage.
        column: CheckpointColumn,
    },
}

/// A column of a checkpoint row damaged by [`Tamper::MalformCheckpoint`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckpointColumn {
    /// The signature becomes zero bytes long.
    EmptySignature,
    /// The signature becomes 600 bytes long (no signature scheme in use is that long).
    LongSignature,
    /// The head hash becomes 5 bytes long.
    HeadHash,
    /// The key id becomes `not a key` (spaces are not allowed in keys).
    KeyId,
}

impl CheckpointColumn {
    /// The column name verification reports.
    pub fn column(self) -> &'static str {
        match self {
            CheckpointColumn::EmptySignature | CheckpointColumn::LongSignature => "signature",
            CheckpointColumn::HeadHash => "head_hash",
            CheckpointColumn::KeyId => "key_id",
        }
    }
}

/// Runs every case in sequence (a backend may prefer [`conformance_tests!`](crate::conformance_tests),
/// which makes one test per case).
pub async fn run_all<F: StoreFactory>(factory: &F) {
    crate::__conformance_cases!(run factory);
}

/// The list of cases, expanded either into test functions or into sequential calls.
#[doc(hidden)]
#[macro_export]
macro_rules! __conformance_cases {
    (@emit tests $factory:expr; $($case:ident),* $(,)?) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $case() {
                let factory = $factory;
                $crate::conformance::cases::$case(&factory).await;
            }
        )*
    };
    (@emit run $factory:expr; $($case:ident),* $(,)?) => {
        $( $crate::conformance::cases::$case($factory).await; )*
    };
    ($mode:ident $factory:expr) => {
        $crate::__conformance_cases!(@emit $mode $factory;
            schema_status_is_current,
            times_have_microsecond_precision,
            unknown_ids_are_not_found,
            subject_create_get_update,
            subject_create_is_idempotent,
            subject_update_with_stale_revision_conflicts,
            identity_lookup_by_blind_token,
            identity_exclusive_kinds_refuse_a_second_subject,
            identity_devices_link_several_subjects,
            identity_detach,
            account_owner_is_a_member,
            account_members_add_remove,
            admin_grants_lifecycle,
            admin_grant_validation,
            agreements_record_with_their_audit_entry,
            carrier_selections_record_withdraw_and_list,
            change_of_control_notices_are_created_once_and_delivered_once,
            cases_and_tasks_round_trip_sort_and_guard_revisions,
            cases_of_a_subject_by_kind,
            items_put_get_list,
            items_put_is_idempotent_and_detects_conflicts,
            items_rectify_and_retention,
            items_erase_keeps_a_tombstone,
            items_past_retention_sweep,
            lifecycle_events_set_retention_with_their_audit_entry,
            derived_items_are_linked_to_their_sources,
            keys_put_get_rewrap_destroy,
            keys_destroyed_refuse_new_items_and_keys,
            erase_subject_is_atomic_and_idempotent,
            choices_listed_in_ledger_order,
            choices_are_idempotent_and_append_only,
            choices_by_device_and_merged_parties,
            subject_facts_read_together,
            choices_fold_matches_effective_choices,
            choices_keep_channel_and_every_source,
            api_keys_create_find_revoke,
            api_keys_idempotent_and_validated,
            disclosures_record_and_list_by_scope,
            disclosures_pagination_and_time_range,
            disclosures_are_append_only,
            audit_append_assigns_consecutive_seqs,
            audit_round_trips_events,
            audit_append_is_idempotent_by_event_id,
            audit_concurrent_appends_stay_contiguous,
            audit_failed_appends_in_a_busy_batch_leave_no_gap,
            failed_writes_fail_alone,
            audit_query_by_subject_kind_time,
            audit_checkpoints,
            audit_verify_intact_chain,
            tamper_edited_body_is_named,
            tamper_edited_and_rehashed_entry_is_named,
            tamper_deleted_entry_is_named,
            tamper_swapped_entries_are_named,
            tamper_truncated_tail_is_named,
            tamper_consistent_rewrite_is_caught_by_a_checkpoint,
            tamper_edited_index_column_is_named,
            tamper_malformed_checkpoint_is_named,
            tamper_truncation_with_its_checkpoints_is_caught_by_the_signed_head,
            tamper_deleted_checkpoints_are_caught_by_the_signed_head,
            tamper_unsigned_log_over_the_limit_is_refused,
            audited_writes_commit_with_their_entries,
            audited_write_that_fails_writes_nothing,
            audited_writes_are_idempotent,
            audited_writes_concurrently_stay_contiguous,
            sessions_expire_end_and_are_revoked_everywhere,
            policy_versions_recorded_once_by_hash_newest_first,
            items_carry_their_policy_version_and_change_notices_queue_once,
            web_tokens_spent_once_and_failures_counted,
            no_plaintext_in_raw_storage,
            acknowledged_writes_survive_reopen,
            newer_schema_is_refused,
            requests_create_update_and_steps,
            requests_written_with_their_audit_entries,
            requests_listed_by_due_and_counted,
            requests_purged_after_record_keeping,
            challenges_count_attempts_expire_and_consume_once,
            outbox_keeps_messages_until_sent,
            outbox_messages_claimed_under_a_lease,
            outbox_carries_complaint_messages,
            incident_affected_subjects_computed_counted_and_notified_once,
            connectors_registered_updated_and_disabled,
            deliveries_claimed_retried_dead_lettered_and_confirmed,
            deliveries_of_partner_notifications,
            legal_holds_placed_and_released,
            events_usage_ingest_list_and_count,
            events_usage_aggregate_suppresses_small_groups,
            events_usage_purge_keeps_held_subjects,
            events_logins_record_list_purge,
            events_scans_package_aggregate_anonymize,
            events_erase_of_subject,
            events_datasets_and_ticket_items,
            events_partner_notifications,
        );
    };
}

/// Generates one `#[tokio::test]` per conformance case, each with a fresh store from
/// `$factory` (an expression evaluated per test). The calling crate needs `tokio` (with the
/// `macros` and `rt-multi-thread` features) as a dev-dependency.
#[macro_export]
macro_rules! conformance_tests {
    ($factory:expr) => {
        $crate::__conformance_cases!(tests $factory);
    };
}

/// The time every case starts from (DM-07: tests use explicit times).
pub fn t0() -> Timestamp {
    "2024-03-04T17:00:00Z".parse().unwrap()
}

/// `t0` plus `secs` seconds.
pub fn t(secs: i64) -> Timestamp {
    t0().checked_add(jiff::SignedDuration::from_secs(secs))
        .unwrap()
}

/// Test fixtures: builders for records with sensible defaults.
pub mod fixtures {
    use super::*;
    use crate::ids::*;
    use crate::model::account::*;
    use crate::model::apikey::*;
    use crate::model::audit::*;
    use crate::model::choice::*;
    use crate::model::dek::*;
    use crate::model::disclosure::*;
    use crate::model::item::*;
    use crate::model::subject::*;
    use crate::values::*;

    /// The controller entity of every fixture.
    pub fn controller() -> EntityKey {
        EntityKey::new("stamps_com_inc").unwrap()
    }

    /// A subject of `kind` created at `t0`.
    pub fn new_subject(kind: SubjectKind) -> NewSubject {
        NewSubject {
            id: SubjectId::generate(),
            controller: controller(),
            facts: SubjectFacts::of_kind(kind),
            created_at: t0(),
        }
    }

    /// Creates an account holder and returns its id.
    pub async fn subject(store: &dyn Store) -> SubjectId {
        let s = new_subject(SubjectKind::CustomerAccountHolder);
        store.create_subject(&s).await.unwrap();
        s.id
    }

    /// A stand-in blind-index token: SHA-256 of `kind:plaintext` (the vault uses a keyed HMAC).
    pub fn token(kind: IdentityKind, plaintext: &str) -> IdentityRef {
        IdentityRef {
            kind,
            token: BlindToken::new(
                Digest::sha256(format!("{}:{plaintext}", kind.as_str()).as_bytes()).0,
            )
            .unwrap(),
        }
    }

    /// A link of `identity` to `subject` made at `t(secs)`.
    pub fn link(subject: SubjectId, identity: IdentityRef, secs: i64) -> IdentityLink {
        IdentityLink {
            subject,
            identity,
            source: SourceKey::new("login").unwrap(),
            confidence: Confidence::CERTAIN,
            linked_at: t(secs),
        }
    }

    /// A stand-in ciphertext: the plaintext XOR 0xA5 behind a `CT1` prefix (the vault uses AES-GCM).
    pub fn ciphertext(plaintext: &str) -> Ciphertext {
        let mut v = b"CT1".to_vec();
        v.extend(plaintext.bytes().map(|b| b ^ 0xA5));
        Ciphertext::new(v).unwrap()
    }

    /// An item of `subject` in `category` collected at `t(secs)`.
    pub fn item(subject: SubjectId, category: &str, plaintext: &str, secs: i64) -> NewItem {
        NewItem {
            id: ItemId::generate(),
            subject,
            category: CategoryKey::new(category).unwrap(),
            value: ciphertext(plaintext),
            source: SourceKey::new("user").unwrap(),
            collected_at: t(secs),
            purpose: PurposeKey::new("service_provision").unwrap(),
            controller: controller(),
            controller_role: ControllerRole::Controller,
            retain_until: None,
            policy_version: None,
        }
    }

    /// A wrapped key of `subject` under `kek`.
    pub fn wrapped_key(subject: SubjectId, kek: &str, fill: u8) -> NewWrappedKey {
        NewWrappedKey {
            subject,
            kek: KekId::new(kek).unwrap(),
            wrapped: WrappedKeyBytes::new(vec![fill; 60]).unwrap(),
            created_at: t0(),
        }
    }

    /// A choice of `party` at `t(secs)`.
    pub fn choice(party: Party, key: &str, value: bool, secs: i64) -> ChoiceEntry {
        ChoiceEntry {
            id: ChoiceId::generate(),
            party,
            key: ChoiceKey::new(key).unwrap(),
            value,
            source: ChoiceSource::User,
            channel: Some(ChoiceChannelKey::new("web_form").unwrap()),
            actor: Actor::System,
            policy_version: PolicyVersion::new("2020-01-17").unwrap(),
            notice_hash: Some(Digest::sha256(b"notice text v1")),
            at: t(secs),
        }
    }

    /// An API key record named `name` for the secret `secret` (hashed here, as the server
    /// would), with `scopes`, created at `t(secs)`.
    pub fn api_key(name: &str, secret: &str, scopes: &[&str], secs: i64) -> NewApiKey {
        NewApiKey {
            id: ApiKeyId::generate(),
            name: ServiceKey::new(name).unwrap(),
            hash: Digest::sha256(secret.as_bytes()),
            scopes: scopes.iter().map(|s| ApiScope::new(*s).unwrap()).collect(),
            account: None,
            rate_per_sec: None,
            created_at: t(secs),
        }
    }

    /// A disclosure of `subject`'s data to `recipient` at `t(secs)`.
    pub fn disclosure(subject: SubjectId, recipient: &str, secs: i64) -> DisclosureRecord {
        DisclosureRecord {
            id: DisclosureId::generate(),
            subject,
            recipient: RecipientKey::new(recipient).unwrap(),
            categories: vec![
                CategoryKey::new("name").unwrap(),
                CategoryKey::new("postal_address").unwrap(),
            ],
            items: vec![ItemId::generate()],
            purpose: PurposeKey::new("third_party_promotional_mail").unwrap(),
            decision: DecisionId::generate(),
            payload_hash: Some(Digest::sha256(b"payload")),
            disclosed_at: t(secs),
        }
    }

    /// A decision event about `subject` at `t(secs)`.
    pub fn decision_event(subject: Option<SubjectId>, secs: i64) -> AuditEvent {
        let mut e = AuditEvent::new(
            AuditKind::Decision,
            ActionKey::new("can_disclose").unwrap(),
            Actor::Service(ServiceKey::new("svc:checkout").unwrap()),
            t(secs),
        );
        e.subject = subject;
        e.categories = vec![CategoryKey::new("email").unwrap()];
        e.purpose = Some(PurposeKey::new("marketing_third_party_offers").unwrap());
        e.recipient = Some(RecipientKey::new("mp1").unwrap());
        e.outcome = Some(Outcome {
            allow: false,
            reason: ReasonCode::new("NO_RULE").unwrap(),
        });
        e.rules = vec![RuleId::new("SHARE-01").unwrap()];
        e.policy_version = Some(PolicyVersion::new("2020-01-17").unwrap());
        e.engine_version = Some(EngineVersion::new("steward-0.1.0").unwrap());
        e
    }

    /// An administrator grant on `account` to `grantee` by `owner` at `t(secs)`.
    pub fn grant(
        account: AccountId,
        grantee: SubjectId,
        owner: SubjectId,
        secs: i64,
    ) -> NewAdminGrant {
        NewAdminGrant {
            id: GrantId::generate(),
            account,
            grantee,
            granted_by: owner,
            permissions: AdminPermissions::all(),
            warning_ack_at: t(secs),
            granted_at: t(secs),
        }
    }

    /// Appends `n` decision events (one call each) and returns their sequence numbers.
    pub async fn audit_entries(store: &dyn Store, n: usize) -> Vec<AuditSeq> {
        let subject = subject(store).await;
        let mut seqs = Vec::new();
        for i in 0..n {
            let e = decision_event(Some(subject), i as i64);
            seqs.extend(store.append_audit(&[e]).await.unwrap());
        }
        seqs
    }

    /// A real Ed25519 checkpoint signer and verifier (ring), as the vault would provide.
    pub struct Signer {
        key: ring::signature::Ed25519KeyPair,
        /// The key id.
        pub key_id: SigningKeyId,
    }

    impl std::fmt::Debug for Signer {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.debug_struct("Signer")
                .field("key_id", &self.key_id)
                .finish()
        }
    }

    impl Signer {
        /// A fresh key pair.
        pub fn new() -> Self {
            let rng = ring::rand::SystemRandom::new();
            let pkcs8 = ring::signature::Ed25519KeyPair::generate_pkcs8(&rng).unwrap();
            Self {
                key: ring::signature::Ed25519KeyPair::from_pkcs8(pkcs8.as_ref()).unwrap(),
                key_id: SigningKeyId::new("audit-2024").unwrap(),
            }
        }

        /// Signs the current head of the store's chain and stores the checkpoint.
        pub async fn checkpoint(&self, store: &dyn Store, at: Timestamp) -> Checkpoint {
            let head = store.audit_head().await.unwrap().expect("non-empty chain");
            let cp = self.sign(head, at);
            store.add_checkpoint(&cp).await.unwrap();
            cp
        }

        /// Signs a head.
        pub fn sign(&self, head: ChainHead, at: Timestamp) -> Checkpoint {
            let msg = crate::canonical::checkpoint_message(head.seq, &head.hash, at, &self.key_id);
            Checkpoint {
                seq: head.seq,
                head_hash: head.hash,
                signed_at: at,
                key_id: self.key_id.clone(),
                signature: SignatureBytes::new(self.key.sign(&msg).as_ref().to_vec()).unwrap(),
            }
        }

        /// A verifier for this key.
        pub fn verifier(&self) -> impl crate::verify::SignatureVerifier + use<> {
            use ring::signature::KeyPair;
            let public = self.key.public_key().as_ref().to_vec();
            let key_id = self.key_id.clone();
            move |id: &SigningKeyId, msg: &[u8], sig: &[u8]| {
                if *id != key_id {
                    return crate::verify::SignatureCheck::UnknownKey;
                }
                let pk =
                    ring::signature::UnparsedPublicKey::new(&ring::signature::ED25519, &public);
                if pk.verify(msg, sig).is_ok() {
                    crate::verify::SignatureCheck::Valid
                } else {
                    crate::verify::SignatureCheck::Invalid
                }
            }
        }
    }

    impl Default for Signer {
        fn default() -> Self {
            Self::new()
        }
    }
}

pub mod bench;
pub mod event_cases;
pub mod requests;
pub mod scale;

/// The cases. Each takes a factory and builds its own fresh store.
pub mod cases {
    pub use super::event_cases::*;
    pub use super::requests::*;
    use std::collections::BTreeSet;

    use super::fixtures::*;
    use super::*;
    use crate::canonical;
    use crate::error::{ConflictReason, Entity};
    use crate::ids::*;
    use crate::model::account::*;
    use crate::model::audit::*;
    use crate::model::audited::AuditedWrite;
    use crate::model::case::*;
    use crate::model::choice::*;
    use crate::model::control::*;
    use crate::model::disclosure::*;
    use crate::model::subject::*;
    use crate::values::*;
    use crate::verify::{
        BreakKind, ChainBreak, VerifyError, VerifyOptions, VerifyReport, verify_log,
        verify_log_with,
    };

    fn seq(n: u64) -> AuditSeq {
        AuditSeq::new(n).unwrap()
    }

    fn assert_not_found<T: std::fmt::Debug>(r: Result<T, StoreError>, entity: Entity) {
        match r {
            Err(StoreError::NotFound(e)) if e == entity => {}
            other => panic!("expected NotFound({entity:?}), got {other:?}"),
        }
    }

    fn assert_conflict<T: std::fmt::Debug>(r: Result<T, StoreError>, reason: ConflictReason) {
        match r {
            Err(StoreError::Conflict { reason: got, .. }) if got == reason => {}
            other => panic!("expected Conflict({reason:?}), got {other:?}"),
        }
    }

    fn assert_append_only<T: std::fmt::Debug>(r: Result<T, StoreError>, entity: Entity) {
        match r {
            Err(StoreError::AppendOnly(e)) if e == entity => {}
            other => panic!("expected AppendOnly({entity:?}), got {other:?}"),
        }
    }

    async fn verify(store: &dyn Store, signer: &Signer) -> Result<VerifyReport, VerifyError> {
        // A small page size so multi-page reading is exercised.
        verify_log(store, &signer.verifier(), 7).await
    }

    async fn expect_break(store: &dyn Store, signer: &Signer) -> ChainBreak {
        match verify(store, signer).await {
            Err(VerifyError::Broken(b)) => b,
            other => panic!("expected a chain break, got {other:?}"),
        }
    }

    /// Migrations ran: the database is at the binary's version.
    pub async fn schema_status_is_current<F: StoreFactory>(factory: &F) {
        let fx = factory.fresh().await;
        let s = fx.store().schema_status().await.unwrap();
        assert!(s.binary >= 1);
        assert_eq!(s.database, s.binary);
        assert!(!fx.store().backend().is_empty());
    }

    /// Times come back truncated to the microsecond, in every record type.
    pub async fn times_have_microsecond_precision<F: StoreFactory>(factory: &F) {
        let fx = factory.fresh().await;
        let store = fx.store();
        let precise = Timestamp::new(1_709_571_600, 123_456_789).unwrap();
        let mut s = new_subject(SubjectKind::Visitor);
        s.created_at = precise;
        let rec = store.create_subject(&s).await.unwrap();
        assert_eq!(rec.created_at, store_precision(precise));
        assert_eq!(
            store
                .get_subject(s.id)
                .await
                .unwrap()
                .created_at
                .subsec_nanosecond(),
            123_456_000
        );
        // Re-creating with the nanosecond time is still idempotent.
        store.create_subject(&s).await.unwrap();
        let mut c = choice(Party::Subject(s.id), "gpc", true, 0);
        c.at = precise;
        store.append_choice(&c).await.unwrap();
        store.append_choice(&c).await.unwrap();
        let listed = store.list_choices(&[Party::Subject(s.id)]).await.unwrap();
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].at, store_precision(precise));
        let mut e = decision_event(Some(s.id), 0);
        e.at = precise;
        let seqs = store.append_audit(std::slice::from_ref(&e)).await.unwrap();
        assert_eq!(
            store.append_audit(std::slice::from_ref(&e)).await.unwrap(),
            seqs
        );
        assert_eq!(
            store.audit_event(e.id).await.unwrap().event.at,
            store_precision(precise)
        );
    }

    /// Unknown ids are `NotFound` of the right entity.
    pub async fn unknown_ids_are_not_found<F: StoreFactory>(factory: &F) {
        let fx = factory.fresh().await;
        let store = fx.store();
        assert_not_found(
            store.get_subject(SubjectId::generate()).await,
            Entity::Subject,
        );
        assert_not_found(
            store.get_account(AccountId::generate()).await,
            Entity::Account,
        );
        assert_not_found(store.get_item(ItemId::generate()).await, Entity::Item);
        assert_not_found(
            store.get_wrapped_key(SubjectId::generate()).await,
            Entity::DataKey,
        );
        assert_not_found(
            store.audit_event(EventId::generate()).await,
            Entity::AuditEvent,
        );
        assert_not_found(
            store
                .revoke_admin(GrantId::generate(), SubjectId::generate(), t0())
                .await,
            Entity::AdminGrant,
        );
        assert_not_found(
            store
                .update_subject(
                    SubjectId::generate(),
                    1,
                    &SubjectFacts::of_kind(SubjectKind::Staff),
                    t0(),
                )
                .await,
            Entity::Subject,
        );
        assert_not_found(
            store
                .put_item(&item(SubjectId::generate(), "email", "x", 0))
                .await,
            Entity::Subject,
        );
        assert_not_found(
            store
                .append_choice(&choice(
                    Party::Subject(SubjectId::generate()),
                    "gpc",
                    true,
                    0,
                ))
                .await,
            Entity::Subject,
        );
        assert_not_found(
            store
                .record_disclosure(&disclosure(SubjectId::generate(), "mp1", 0))
                .await,
            Entity::Subject,
        );
        assert!(store.audit_head().await.unwrap().is_none());
        assert!(store.list_checkpoints().await.unwrap().is_empty());
    }

    /// Subjects of every kind round-trip, and updates bump the revision.
    pub async fn subject_create_get_update<F: StoreFactory>(factory: &F) {
        let fx = factory.fresh().await;
        let store = fx.store();
        for kind in SubjectKind::ALL {
            let s = new_subject(*kind);
            let rec = store.create_subject(&s).await.unwrap();
            assert_eq!(rec.facts.kind, *kind);
            assert_eq!(rec.revision, 1);
            assert_eq!(rec.updated_at, s.created_at);
            assert_eq!(rec.erased_at, None);
            assert_eq!(store.get_subject(s.id).await.unwrap(), rec);
        }
        let s = new_subject(SubjectKind::Visitor);
        store.create_subject(&s).await.unwrap();
        let facts = SubjectFacts {
            kind: SubjectKind::CustomerAccountHolder,
            residency: Some(Jurisdiction::new("US-CA").unwrap()),
            eu_protected_since: Some(t(5)),
            age: Some(AgeFact {
                band: AgeBand::From13To15,
                years: Some(15),
                source: AgeSource::Declared,
                known_at: t(6),
            }),
            household: Some(HouseholdId::generate()),
        };
        let rec = store.update_subject(s.id, 1, &facts, t(10)).await.unwrap();
        assert_eq!(rec.revision, 2);
        assert_eq!(rec.facts, facts);
        assert_eq!(rec.updated_at, t(10));
        assert_eq!(rec.created_at, t0());
        assert_eq!(store.get_subject(s.id).await.unwrap(), rec);
        let cleared = SubjectFacts::of_kind(SubjectKind::CustomerAccountHolder);
        let rec = store
            .update_subject(s.id, 2, &cleared, t(11))
            .await
            .unwrap();
        assert_eq!(rec.facts, cleared);
        assert_eq!(rec.revision, 3);
    }

    /// Creating the same subject twice is a no-op; another subject under the same id conflicts.
    pub async fn subject_create_is_idempotent<F: StoreFactory>(factory: &F) {
        let fx = factory.fresh().await;
        let store = fx.store();
        let s = new_subject(SubjectKind::Recipient);
        let a = store.create_subject(&s).await.unwrap();
        let b = store.create_subject(&s).await.unwrap();
        assert_eq!(a, b);
        let mut other = s.clone();
        other.facts.kind = SubjectKind::Staff;
        assert_conflict(
            store.create_subject(&other).await,
            ConflictReason::DifferentContent,
        );
    }

    /// Optimistic concurrency: an update with a stale revision is refused.
    pub async fn subject_update_with_stale_revision_conflicts<F: StoreFactory>(factory: &F) {
        let fx = factory.fresh().await;
        let store = fx.store();
        let id = subject(&*store).await;
        let facts = SubjectFacts::of_kind(SubjectKind::CustomerAccountHolder);
        store.update_subject(id, 1, &facts, t(1)).await.unwrap();
        assert_conflict(
            store.update_subject(id, 1, &facts, t(2)).await,
            ConflictReason::StaleRevision,
        );
        assert_eq!(store.get_subject(id).await.unwrap().revision, 2);
    }

    /// DM-03: a subject is found by the blind token of its e-mail; identities are listed.
    pub async fn identity_lookup_by_blind_token<F: StoreFactory>(factory: &F) {
        let fx = factory.fresh().await;
        let store = fx.store();
        let a = subject(&*store).await;
        let b = subject(&*store).await;
        let email = token(IdentityKind::Email, "alice@example.com");
        let phone = token(IdentityKind::Phone, "+15550100");
        store
            .attach_identity(&link(a, email.clone(), 1))
            .await
            .unwrap();
        store
            .attach_identity(&link(a, phone.clone(), 2))
            .await
            .unwrap();
        store
            .attach_identity(&link(b, token(IdentityKind::Email, "bob@example.com"), 3))
            .await
            .unwrap();
        let found = store.find_by_identity(&email).await.unwrap();
        assert_eq!(found, vec![link(a, email.clone(), 1)]);
        // Same token bytes under another kind is another identity.
        let as_phone = IdentityRef {
            kind: IdentityKind::Phone,
            token: email.token.clone(),
        };
        assert!(store.find_by_identity(&as_phone).await.unwrap().is_empty());
        assert!(
            store
                .find_by_identity(&token(IdentityKind::Email, "nobody@example.com"))
                .await
                .unwrap()
                .is_empty()
        );
        let ids = store.identities_of(a).await.unwrap();
        assert_eq!(ids, vec![link(a, email.clone(), 1), link(a, phone, 2)]);
        // Attaching again is a no-op that keeps the first link.
        store
            .attach_identity(&link(a, email.clone(), 9))
            .await
            .unwrap();
        assert_eq!(
            store.find_by_identity(&email).await.unwrap()[0].linked_at,
            t(1)
        );
        assert_not_found(
            store
                .attach_identity(&link(SubjectId::generate(), email, 1))
                .await,
            Entity::Subject,
        );
    }

    /// E-mail, phone and account references belong to one subject at most.
    pub async fn identity_exclusive_kinds_refuse_a_second_subject<F: StoreFactory>(factory: &F) {
        let fx = factory.fresh().await;
        let store = fx.store();
        let a = subject(&*store).await;
        let b = subject(&*store).await;
        for kind in [
            IdentityKind::Email,
            IdentityKind::Phone,
            IdentityKind::AccountRef,
        ] {
            let id = token(kind, "shared");
            store
                .attach_identity(&link(a, id.clone(), 1))
                .await
                .unwrap();
            assert_conflict(
                store.attach_identity(&link(b, id.clone(), 2)).await,
                ConflictReason::IdentityTaken,
            );
            assert_eq!(store.find_by_identity(&id).await.unwrap().len(), 1);
        }
    }

    /// DM-03: a cookie or device may be linked to several subjects (identity graph).
    pub async fn identity_devices_link_several_subjects<F: StoreFactory>(factory: &F) {
        let fx = factory.fresh().await;
        let store = fx.store();
        let visitor = store
            .create_subject(&new_subject(SubjectKind::Visitor))
            .await
            .unwrap()
            .id;
        let ca = subject(&*store).await;
        let cookie = token(IdentityKind::Cookie, "c-123");
        store
            .attach_identity(&link(visitor, cookie.clone(), 1))
            .await
            .unwrap();
        store
            .attach_identity(&link(ca, cookie.clone(), 2))
            .await
            .unwrap();
        let found: Vec<SubjectId> = store
            .find_by_identity(&cookie)
            .await
            .unwrap()
            .into_iter()
            .map(|l| l.subject)
            .collect();
        assert_eq!(found, vec![visitor, ca], "oldest link first");
    }

    /// Detaching removes exactly one link and reports whether it existed.
    pub async fn identity_detach<F: StoreFactory>(factory: &F) {
        let fx = factory.fresh().await;
        let store = fx.store();
        let a = subject(&*store).await;
        let b = subject(&*store).await;
        let email = token(IdentityKind::Email, "x@example.com");
        let device = token(IdentityKind::Device, "d-1");
        store
            .attach_identity(&link(a, email.clone(), 1))
            .await
            .unwrap();
        store
            .attach_identity(&link(a, device.clone(), 1))
            .await
            .unwrap();
        store
            .attach_identity(&link(b, device.clone(), 1))
            .await
            .unwrap();
        assert!(store.detach_identity(a, &email).await.unwrap());
        assert!(!store.detach_identity(a, &email).await.unwrap());
        assert!(store.find_by_identity(&email).await.unwrap().is_empty());
        // The freed e-mail can go to another subject.
        store
            .attach_identity(&link(b, email.clone(), 2))
            .await
            .unwrap();
        assert!(store.detach_identity(a, &device).await.unwrap());
        let left = store.find_by_identity(&device).await.unwrap();
        assert_eq!(left.len(), 1);
        assert_eq!(left[0].subject, b);
    }

    /// An account's owner is its first member.
    pub async fn account_owner_is_a_member<F: StoreFactory>(factory: &F) {
        let fx = factory.fresh().await;
        let store = fx.store();
        let owner = subject(&*store).await;
        let a = NewAccount {
            id: AccountId::generate(),
            owner,
            controller: controller(),
            created_at: t(1),
        };
        let rec = store.create_account(&a).await.unwrap();
        assert_eq!(rec.status, AccountStatus::Open);
        assert_eq!(rec.owner, owner);
        assert_eq!(store.create_account(&a).await.unwrap(), rec, "idempotent");
        assert_eq!(store.get_account(a.id).await.unwrap(), rec);
        let members = store.list_members(a.id).await.unwrap();
        assert_eq!(members.len(), 1);
        assert_eq!(members[0].subject, owner);
        assert_eq!(members[0].role, MemberRole::Owner);
        assert_eq!(members[0].added_at, t(1));
        assert_conflict(
            store.remove_member(a.id, owner, t(2)).await,
            ConflictReason::IsOwner,
        );
        let closed = store.close_account(a.id, t(5)).await.unwrap();
        assert_eq!(closed.status, AccountStatus::Closed);
        assert_eq!(closed.closed_at, Some(t(5)));
        let again = store.close_account(a.id, t(9)).await.unwrap();
        assert_eq!(again.closed_at, Some(t(5)), "the first closing time stays");
        let mut other = a.clone();
        other.owner = subject(&*store).await;
        assert_conflict(
            store.create_account(&other).await,
            ConflictReason::DifferentContent,
        );
        let mut orphan = a.clone();
        orphan.id = AccountId::generate();
        orphan.owner = SubjectId::generate();
        assert_not_found(store.create_account(&orphan).await, Entity::Subject);
    }

    /// Members are added, removed, re-added and listed both ways.
    pub async fn account_members_add_remove<F: StoreFactory>(factory: &F) {
        let fx = factory.fresh().await;
        let store = fx.store();
        let owner = subject(&*store).await;
        let user = subject(&*store).await;
        let acc = AccountId::generate();
        store
            .create_account(&NewAccount {
                id: acc,
                owner,
                controller: controller(),
                created_at: t(0),
            })
            .await
            .unwrap();
        let m = store
            .add_member(acc, user, MemberRole::User, t(1))
            .await
            .unwrap();
        assert_eq!(m.removed_at, None);
        assert_eq!(
            store
                .add_member(acc, user, MemberRole::User, t(2))
                .await
                .unwrap(),
            m,
            "idempotent"
        );
        assert!(store.remove_member(acc, user, t(3)).await.unwrap());
        assert!(!store.remove_member(acc, user, t(4)).await.unwrap());
        let members = store.list_members(acc).await.unwrap();
        assert_eq!(members.len(), 2);
        assert_eq!(members[1].removed_at, Some(t(3)));
        let back = store
            .add_member(acc, user, MemberRole::User, t(5))
            .await
            .unwrap();
        assert_eq!((back.added_at, back.removed_at), (t(5), None));
        let of_user = store.memberships_of(user).await.unwrap();
        assert_eq!(of_user.len(), 1);
        assert_eq!(of_user[0].account, acc);
        assert_not_found(
            store
                .add_member(AccountId::generate(), user, MemberRole::User, t(1))
                .await,
            Entity::Account,
        );
        assert_not_found(
            store
                .add_member(acc, SubjectId::generate(), MemberRole::User, t(1))
                .await,
            Entity::Subject,
        );
        store.close_account(acc, t(6)).await.unwrap();
        let late = subject(&*store).await;
        assert_conflict(
            store.add_member(acc, late, MemberRole::User, t(7)).await,
            ConflictReason::AccountClosed,
        );
    }

    /// ADMIN-01, ADMIN-05, ADMIN-09: grants are recorded with their acknowledgement, revoked
    /// immediately, and listed active and revoked.
    pub async fn admin_grants_lifecycle<F: StoreFactory>(factory: &F) {
        let fx = factory.fresh().await;
        let store = fx.store();
        let owner = subject(&*store).await;
        let adm = subject(&*store).await;
        let u2 = subject(&*store).await;
        let acc = AccountId::generate();
        store
            .create_account(&NewAccount {
                id: acc,
                owner,
                controller: controller(),
                created_at: t(0),
            })
            .await
            .unwrap();
        let g = grant(acc, adm, owner, 10);
        let rec = store.grant_admin(&g).await.unwrap();
        assert!(rec.permissions.contains(AdminPermission::ViewPi));
        assert!(rec.permissions.contains(AdminPermission::ChangePi));
        assert!(rec.permissions.contains(AdminPermission::DeletePi));
        assert_eq!(rec.warning_ack_at, t(10));
        assert_eq!(rec.revoked_at, None);
        assert_eq!(store.grant_admin(&g).await.unwrap(), rec, "idempotent");
        let mut view_only = grant(acc, u2, owner, 11);
        view_only.permissions = [AdminPermission::ViewPi].into_iter().collect();
        store.grant_admin(&view_only).await.unwrap();

        let active = store.active_admin_grants(acc, adm, t(11)).await.unwrap();
        assert_eq!(active, vec![rec.clone()]);
        assert!(
            store
                .active_admin_grants(acc, adm, t(9))
                .await
                .unwrap()
                .is_empty(),
            "not active before it was granted"
        );
        let revoked = store.revoke_admin(g.id, owner, t(20)).await.unwrap();
        assert_eq!(revoked.revoked_at, Some(t(20)));
        assert_eq!(revoked.revoked_by, Some(owner));
        let again = store.revoke_admin(g.id, owner, t(30)).await.unwrap();
        assert_eq!(again.revoked_at, Some(t(20)), "the first revocation stays");
        assert!(
            store
                .active_admin_grants(acc, adm, t(21))
                .await
                .unwrap()
                .is_empty(),
            "ADMIN-05: revocation is effective immediately"
        );
        assert_eq!(
            store
                .active_admin_grants(acc, adm, t(19))
                .await
                .unwrap()
                .len(),
            1
        );
        let all = store.list_admin_grants(acc).await.unwrap();
        assert_eq!(all.len(), 2, "ADMIN-09: active and revoked");
        assert_eq!(all[0].id, g.id);
        assert_eq!(all[0].revoked_at, Some(t(20)));
        assert_eq!(all[1].permissions.bits(), 0b001);
    }

    /// Grants need permissions, an existing account, an open account and existing subjects.
    pub async fn admin_grant_validation<F: StoreFactory>(factory: &F) {
        let fx = factory.fresh().await;
        let store = fx.store();
        let owner = subject(&*store).await;
        let adm = subject(&*store).await;
        let acc = AccountId::generate();
        store
            .create_account(&NewAccount {
                id: acc,
                owner,
                controller: controller(),
                created_at: t(0),
            })
            .await
            .unwrap();
        let mut empty = grant(acc, adm, owner, 1);
        empty.permissions = AdminPermissions::default();
        assert!(matches!(
            store.grant_admin(&empty).await,
            Err(StoreError::Invalid(_))
        ));
        assert_not_found(
            store
                .grant_admin(&grant(AccountId::generate(), adm, owner, 1))
                .await,
            Entity::Account,
        );
        assert_not_found(
            store
                .grant_admin(&grant(acc, SubjectId::generate(), owner, 1))
                .await,
            Entity::Subject,
        );
        store.close_account(acc, t(2)).await.unwrap();
        assert_conflict(
            store.grant_admin(&grant(acc, adm, owner, 3)).await,
            ConflictReason::AccountClosed,
        );
    }

    /// CARRIER-01, CARRIER-06: carrier selections are recorded with their audit entry, listed
    /// per account oldest first, withdrawn once (the first withdrawal stays), and guarded like
    /// agreement acceptances (unknown account or member, closed account, changed content).
    pub async fn carrier_selections_record_withdraw_and_list<F: StoreFactory>(factory: &F) {
        let fx = factory.fresh().await;
        let store = fx.store();
        let owner = subject(&*store).await;
        let other = subject(&*store).await;
        let (acc, acc2) = (AccountId::generate(), AccountId::generate());
        for (id, who) in [(acc, owner), (acc2, other)] {
            store
                .create_account(&NewAccount {
                    id,
                    owner: who,
                    controller: controller(),
                    created_at: t(0),
                })
                .await
                .unwrap();
        }
        let select = |account, by, carrier: &str, at| CarrierSelection {
            id: SelectionId::generate(),
            account,
            carrier: RecipientKey::new(carrier).unwrap(),
            shipment: None,
            terms_version: None,
            selected_by: by,
            selected_at: t(at),
            withdrawn: None,
        };
        let mut ups = select(acc, owner, "CAR_UPS", 5);
        ups.shipment = Some(ShipmentRef::new("ship-0001").unwrap());
        ups.terms_version = Some(AgreementVersion::new("ups-2024").unwrap());
        let fedex = select(acc, owner, "CAR_FEDEX", 3);
        let dhl = select(acc2, other, "CAR_DHL", 4);
        let mut ev = decision_event(Some(owner), 5);
        ev.kind = AuditKind::Admin;
        store
            .write_audited(
                &AuditedWrite::SelectCarrier(ups.clone()),
                std::slice::from_ref(&ev),
            )
            .await
            .unwrap();
        store.audit_event(ev.id).await.unwrap();
        for sel in [&fedex, &dhl] {
            store
                .write_audited(&AuditedWrite::SelectCarrier(sel.clone()), &[])
                .await
                .unwrap();
        }
        assert_eq!(
            store.list_carrier_selections(&[acc]).await.unwrap(),
            vec![fedex.clone(), ups.clone()],
            "oldest first, every field kept"
        );
        assert_eq!(
            store.list_carrier_selections(&[acc, acc2]).await.unwrap(),
            vec![fedex.clone(), dhl.clone(), ups.clone()]
        );
        assert!(store.list_carrier_selections(&[]).await.unwrap().is_empty());
        // Idempotent by id; other content under the same id conflicts.
        store
            .write_audited(&AuditedWrite::SelectCarrier(ups.clone()), &[])
            .await
            .unwrap();
        let mut changed = ups.clone();
        changed.carrier = RecipientKey::new("CAR_DHL").unwrap();
        assert_conflict(
            store
                .write_audited(&AuditedWrite::SelectCarrier(changed), &[])
                .await,
            ConflictReason::DifferentContent,
        );
        // Unknown account or member: nothing written, no audit entry.
        let ghost_ev = decision_event(Some(owner), 6);
        assert_not_found(
            store
                .write_audited(
                    &AuditedWrite::SelectCarrier(select(
                        AccountId::generate(),
                        owner,
                        "CAR_UPS",
                        6,
                    )),
                    std::slice::from_ref(&ghost_ev),
                )
                .await,
            Entity::Account,
        );
        assert!(store.audit_event(ghost_ev.id).await.is_err());
        assert_not_found(
            store
                .write_audited(
                    &AuditedWrite::SelectCarrier(select(acc, SubjectId::generate(), "CAR_UPS", 6)),
                    &[],
                )
                .await,
            Entity::Subject,
        );

        // Withdrawal: kept, listed with who and when; the first one stays.
        let wd_ev = decision_event(Some(owner), 7);
        store
            .write_audited(
                &AuditedWrite::WithdrawCarrier {
                    account: acc,
                    id: ups.id,
                    by: owner,
                    at: t(7),
                },
                std::slice::from_ref(&wd_ev),
            )
            .await
            .unwrap();
        store.audit_event(wd_ev.id).await.unwrap();
        store
            .write_audited(
                &AuditedWrite::WithdrawCarrier {
                    account: acc,
                    id: ups.id,
                    by: other,
                    at: t(9),
                },
                &[],
            )
            .await
            .unwrap();
        let listed = store.list_carrier_selections(&[acc]).await.unwrap();
        assert_eq!(listed[1].withdrawn, Some((t(7), owner)));
        assert!(listed[0].is_active());
        // Another account's selection, or an unknown one, is not found.
        for (account, id) in [(acc2, ups.id), (acc, SelectionId::generate())] {
            assert_not_found(
                store
                    .write_audited(
                        &AuditedWrite::WithdrawCarrier {
                            account,
                            id,
                            by: owner,
                            at: t(8),
                        },
                        &[],
                    )
                    .await,
                Entity::CarrierSelection,
            );
        }
        // A closed account takes no new selection.
        store.close_account(acc2, t(10)).await.unwrap();
        assert_conflict(
            store
                .write_audited(
                    &AuditedWrite::SelectCarrier(select(acc2, other, "CAR_UPS", 11)),
                    &[],
                )
                .await,
            ConflictReason::AccountClosed,
        );
    }
    /// CUST-01, USPSPA-01, CARRIER-02: agreement acceptances commit with their audit entry,
    /// list per account oldest first, are idempotent by id, and need an open account and an
    /// existing subject.
    pub async fn agreements_record_with_their_audit_entry<F: StoreFactory>(factory: &F) {
        let fx = factory.fresh().await;
        let store = fx.store();
        let owner = subject(&*store).await;
        let other = subject(&*store).await;
        let (acc, acc2) = (AccountId::generate(), AccountId::generate());
        for (id, who) in [(acc, owner), (acc2, other)] {
            store
                .create_account(&NewAccount {
                    id,
                    owner: who,
                    controller: controller(),
                    created_at: t(0),
                })
                .await
                .unwrap();
        }
        let accept = |account, by, agreement: &str, version: &str, at| AgreementAcceptance {
            id: AcceptanceId::generate(),
            account,
            agreement: AgreementKey::new(agreement).unwrap(),
            version: AgreementVersion::new(version).unwrap(),
            text_sha256: Some(Digest([7; 32])),
            accepted_by: by,
            accepted_at: t(at),
        };
        let a1 = accept(acc, owner, "customer_undertaking", "cust-1", 5);
        let mut a2 = accept(acc, owner, "usps_privacy_act_statement", "pas-1", 3);
        a2.text_sha256 = None;
        let b1 = accept(acc2, other, "customer_undertaking", "cust-1", 4);
        let mut ev = decision_event(Some(owner), 5);
        ev.kind = AuditKind::Admin;
        store
            .write_audited(
                &AuditedWrite::RecordAgreements(vec![a1.clone(), a2.clone()]),
                std::slice::from_ref(&ev),
            )
            .await
            .unwrap();
        store.audit_event(ev.id).await.unwrap();
        store
            .write_audited(&AuditedWrite::RecordAgreements(vec![b1.clone()]), &[])
            .await
            .unwrap();
        assert_eq!(
            store.list_agreements(&[acc]).await.unwrap(),
            vec![a2.clone(), a1.clone()],
            "oldest first, every field kept"
        );
        assert_eq!(
            store.list_agreements(&[acc, acc2]).await.unwrap(),
            vec![a2.clone(), b1.clone(), a1.clone()],
            "several accounts at once"
        );
        assert!(store.list_agreements(&[]).await.unwrap().is_empty());
        // Idempotent by id; another content under the same id conflicts.
        store
            .write_audited(&AuditedWrite::RecordAgreements(vec![a1.clone()]), &[])
            .await
            .unwrap();
        assert_eq!(store.list_agreements(&[acc]).await.unwrap().len(), 2);
        let mut changed = a1.clone();
        changed.version = AgreementVersion::new("cust-2").unwrap();
        assert_conflict(
            store
                .write_audited(&AuditedWrite::RecordAgreements(vec![changed]), &[])
                .await,
            ConflictReason::DifferentContent,
        );
        // A failed write leaves no audit entry behind.
        let ghost_ev = decision_event(Some(owner), 6);
        assert_not_found(
            store
                .write_audited(
                    &AuditedWrite::RecordAgreements(vec![accept(
                        AccountId::generate(),
                        owner,
                        "customer_undertaking",
                        "cust-1",
                        6,
                    )]),
                    std::slice::from_ref(&ghost_ev),
                )
                .await,
            Entity::Account,
        );
        assert!(store.audit_event(ghost_ev.id).await.is_err());
        assert_not_found(
            store
                .write_audited(
                    &AuditedWrite::RecordAgreements(vec![accept(
                        acc,
                        SubjectId::generate(),
                        "customer_undertaking",
                        "cust-1",
                        6,
                    )]),
                    &[],
                )
                .await,
            Entity::Subject,
        );
        store.close_account(acc, t(7)).await.unwrap();
        assert_conflict(
            store
                .write_audited(
                    &AuditedWrite::RecordAgreements(vec![accept(
                        acc,
                        owner,
                        "carrier_notice",
                        "carrier-1",
                        8,
                    )]),
                    &[],
                )
                .await,
            ConflictReason::AccountClosed,
        );
    }

    /// BIZ-02, BIZ-03: a change-of-control notice commits with its audit entry, lists per
    /// subject oldest effective first, is idempotent by id, takes its delivery time once (the
    /// first stays), refuses another content under its id and needs an existing subject.
    pub async fn change_of_control_notices_are_created_once_and_delivered_once<F: StoreFactory>(
        factory: &F,
    ) {
        let fx = factory.fresh().await;
        let store = fx.store();
        let who = subject(&*store).await;
        let other = subject(&*store).await;
        let notice = |s, effective: i64| ChangeOfControlNotice {
            id: NoticeId::generate(),
            subject: s,
            transfer: CaseKey::new("acme-2024").unwrap(),
            effective_at: t(effective),
            delivered_at: None,
            recorded_at: t(effective + 1),
        };
        let late = notice(who, 20);
        let early = notice(who, 10);
        let theirs = notice(other, 5);
        let ev = decision_event(Some(who), 21);
        store
            .write_audited(
                &AuditedWrite::PutChangeOfControlNotice(late.clone()),
                std::slice::from_ref(&ev),
            )
            .await
            .unwrap();
        store.audit_event(ev.id).await.unwrap();
        for n in [&early, &theirs] {
            store
                .write_audited(&AuditedWrite::PutChangeOfControlNotice(n.clone()), &[])
                .await
                .unwrap();
        }
        assert_eq!(
            store.change_of_control_notices(who).await.unwrap(),
            vec![early.clone(), late.clone()],
            "oldest effective first, every field kept, only the subject's"
        );
        // A repeat is a no-op; the delivery time is set once.
        store
            .write_audited(&AuditedWrite::PutChangeOfControlNotice(early.clone()), &[])
            .await
            .unwrap();
        let mut delivered = early.clone();
        delivered.delivered_at = Some(t(30));
        store
            .write_audited(
                &AuditedWrite::PutChangeOfControlNotice(delivered.clone()),
                &[],
            )
            .await
            .unwrap();
        let mut again = early.clone();
        again.delivered_at = Some(t(40));
        store
            .write_audited(&AuditedWrite::PutChangeOfControlNotice(again), &[])
            .await
            .unwrap();
        assert_eq!(
            store.change_of_control_notices(who).await.unwrap(),
            vec![delivered.clone(), late.clone()],
            "the first delivery time stays"
        );
        let mut changed = late.clone();
        changed.transfer = CaseKey::new("other-2025").unwrap();
        assert_conflict(
            store
                .write_audited(&AuditedWrite::PutChangeOfControlNotice(changed), &[])
                .await,
            ConflictReason::DifferentContent,
        );
        // An unknown subject: nothing written, no audit entry left behind.
        let ghost_ev = decision_event(Some(who), 50);
        assert_not_found(
            store
                .write_audited(
                    &AuditedWrite::PutChangeOfControlNotice(notice(SubjectId::generate(), 50)),
                    std::slice::from_ref(&ghost_ev),
                )
                .await,
            Entity::Subject,
        );
        assert!(store.audit_event(ghost_ev.id).await.is_err());
        assert!(
            store
                .change_of_control_notices(SubjectId::generate())
                .await
                .unwrap()
                .is_empty()
        );
    }

    /// SEC-06, CONTACT-04: case files and their tasks round-trip with every field, commit with
    /// their audit entry, list soonest due first, and guard their revision.
    pub async fn cases_and_tasks_round_trip_sort_and_guard_revisions<F: StoreFactory>(factory: &F) {
        let fx = factory.fresh().await;
        let store = fx.store();
        let who = subject(&*store).await;
        let case = |kind, opened: i64, due: Option<i64>| CaseRecord {
            id: CaseId::generate(),
            kind,
            state: CaseKey::new("open").unwrap(),
            opened_at: t(opened),
            next_due_at: due.map(t),
            closed_at: None,
            subject: None,
            body: r#"{"summary":"x"}"#.into(),
            revision: 1,
            updated_at: t(opened),
        };
        let task = |c: &CaseRecord, kind: &str, due: Option<i64>, at: i64| CaseTask {
            id: CaseTaskId::generate(),
            case: c.id,
            kind: CaseKey::new(kind).unwrap(),
            due_at: due.map(t),
            done_at: None,
            body: "{}".into(),
            created_at: t(at),
        };
        let put = |c: &CaseRecord, tasks: Vec<CaseTask>| AuditedWrite::PutCase {
            case: c.clone(),
            tasks,
        };
        let a = case(CaseKind::Incident, 10, Some(100));
        let b = case(CaseKind::Incident, 5, Some(50));
        let mut later = case(CaseKind::Incident, 1, None);
        let mut complaint = case(CaseKind::Complaint, 2, Some(20));
        complaint.subject = Some(who);
        let sa = task(&a, "supervisory_authority", Some(100), 10);
        let ca = task(&a, "state_residents:CA", Some(300), 10);
        let undated = task(&a, "note", None, 11);
        let mut ev = decision_event(None, 10);
        ev.kind = AuditKind::Admin;
        store
            .write_audited(
                &put(&a, vec![ca.clone(), sa.clone(), undated.clone()]),
                std::slice::from_ref(&ev),
            )
            .await
            .unwrap();
        store.audit_event(ev.id).await.unwrap();
        for c in [&b, &later, &complaint] {
            store.write_audited(&put(c, vec![]), &[]).await.unwrap();
        }
        assert_eq!(store.get_case(a.id).await.unwrap(), a, "every field kept");
        assert_eq!(
            store.get_case(complaint.id).await.unwrap().subject,
            Some(who)
        );
        assert_not_found(store.get_case(CaseId::generate()).await, Entity::Case);
        let ids = |v: Vec<CaseRecord>| v.into_iter().map(|c| c.id).collect::<Vec<_>>();
        assert_eq!(
            ids(store
                .list_cases(CaseKind::Incident, false, 10)
                .await
                .unwrap()),
            vec![b.id, a.id, later.id],
            "soonest due first, nothing due last"
        );
        assert_eq!(
            ids(store
                .list_cases(CaseKind::Complaint, false, 10)
                .await
                .unwrap()),
            vec![complaint.id]
        );
        assert_eq!(
            store
                .list_cases(CaseKind::Incident, false, 1)
                .await
                .unwrap()
                .len(),
            1
        );
        assert_eq!(
            store.case_tasks(a.id).await.unwrap(),
            vec![sa.clone(), ca.clone(), undated.clone()]
        );
        // Idempotent creation; another content under the same id at revision 1 conflicts.
        store.write_audited(&put(&a, vec![]), &[]).await.unwrap();
        let mut other = a.clone();
        other.body = "{}".into();
        assert_conflict(
            store.write_audited(&put(&other, vec![]), &[]).await,
            ConflictReason::DifferentContent,
        );
        // Revision 2 replaces 1 and marks a task done; a stale revision conflicts and leaves
        // no audit entry behind.
        let mut a2 = a.clone();
        a2.revision = 2;
        a2.state = CaseKey::new("assessed").unwrap();
        a2.next_due_at = Some(t(300));
        a2.updated_at = t(20);
        let mut sa_done = sa.clone();
        sa_done.done_at = Some(t(20));
        sa_done.body = r#"{"sent":"notice"}"#.into();
        store
            .write_audited(&put(&a2, vec![sa_done.clone()]), &[])
            .await
            .unwrap();
        assert_eq!(store.get_case(a.id).await.unwrap(), a2);
        store
            .write_audited(&put(&a2, vec![]), &[])
            .await
            .expect("the same write again is a no-op");
        let mut stale = a.clone();
        stale.revision = 2;
        stale.state = CaseKey::new("closed").unwrap();
        let ghost = decision_event(None, 21);
        assert_conflict(
            store
                .write_audited(&put(&stale, vec![]), std::slice::from_ref(&ghost))
                .await,
            ConflictReason::StaleRevision,
        );
        assert!(store.audit_event(ghost.id).await.is_err());
        let mut skip = a2.clone();
        skip.revision = 4;
        assert_conflict(
            store.write_audited(&put(&skip, vec![]), &[]).await,
            ConflictReason::StaleRevision,
        );
        let open: Vec<CaseTaskId> = store
            .open_case_tasks(CaseKind::Incident)
            .await
            .unwrap()
            .into_iter()
            .map(|t| t.id)
            .collect();
        assert_eq!(open, vec![ca.id, undated.id], "done tasks are not open");
        // A task of another case, an unknown case at revision 2, an unknown subject.
        let stray = task(&b, "x", None, 1);
        let mut a3 = a2.clone();
        a3.revision = 3;
        assert_conflict(
            store.write_audited(&put(&a3, vec![stray]), &[]).await,
            ConflictReason::DifferentContent,
        );
        let mut missing = case(CaseKind::Incident, 1, None);
        missing.revision = 2;
        assert_not_found(
            store.write_audited(&put(&missing, vec![]), &[]).await,
            Entity::Case,
        );
        let mut nobody = case(CaseKind::Complaint, 1, None);
        nobody.subject = Some(SubjectId::generate());
        assert_not_found(
            store.write_audited(&put(&nobody, vec![]), &[]).await,
            Entity::Subject,
        );
        // Closed cases leave the open list and their tasks the open tasks.
        later.revision = 2;
        later.closed_at = Some(t(30));
        later.state = CaseKey::new("closed").unwrap();
        store
            .write_audited(&put(&later, vec![]), &[])
            .await
            .unwrap();
        assert_eq!(
            ids(store
                .list_cases(CaseKind::Incident, false, 10)
                .await
                .unwrap()),
            vec![b.id, a.id]
        );
        assert_eq!(
            store
                .list_cases(CaseKind::Incident, true, 10)
                .await
                .unwrap()
                .len(),
            3
        );
        complaint.revision = 2;
        complaint.closed_at = Some(t(40));
        let reply = task(&complaint, "first_response", Some(20), 2);
        store
            .write_audited(&put(&complaint, vec![reply]), &[])
            .await
            .unwrap();
        assert!(
            store
                .open_case_tasks(CaseKind::Complaint)
                .await
                .unwrap()
                .is_empty()
        );
        let big = CaseRecord {
            body: "x".repeat(MAX_CASE_BODY + 1),
            ..case(CaseKind::Incident, 1, None)
        };
        assert!(matches!(
            store.write_audited(&put(&big, vec![]), &[]).await,
            Err(StoreError::Invalid(_))
        ));
    }

    /// CONTACT-04 with an erasure: a subject's cases of one kind list oldest first, closed or
    /// open, and nobody else's.
    pub async fn cases_of_a_subject_by_kind<F: StoreFactory>(factory: &F) {
        let fx = factory.fresh().await;
        let store = fx.store();
        let who = subject(&*store).await;
        let other = subject(&*store).await;
        let case = |kind, opened: i64, s: Option<SubjectId>, closed: bool| CaseRecord {
            id: CaseId::generate(),
            kind,
            state: CaseKey::new("open").unwrap(),
            opened_at: t(opened),
            next_due_at: None,
            closed_at: closed.then(|| t(opened + 1)),
            subject: s,
            body: "{}".into(),
            revision: 1,
            updated_at: t(opened),
        };
        let later = case(CaseKind::Complaint, 20, Some(who), false);
        let first = case(CaseKind::Complaint, 10, Some(who), true);
        let theirs = case(CaseKind::Complaint, 5, Some(other), false);
        let nobody = case(CaseKind::Complaint, 1, None, false);
        let incident = case(CaseKind::Incident, 2, Some(who), false);
        for c in [&later, &first, &theirs, &nobody, &incident] {
            store
                .write_audited(
                    &AuditedWrite::PutCase {
                        case: c.clone(),
                        tasks: vec![],
                    },
                    &[],
                )
                .await
                .unwrap();
        }
        let ids = |v: Vec<CaseRecord>| v.into_iter().map(|c| c.id).collect::<Vec<_>>();
        assert_eq!(
            ids(store
                .cases_of_subject(who, CaseKind::Complaint)
                .await
                .unwrap()),
            vec![first.id, later.id]
        );
        assert_eq!(
            store
                .cases_of_subject(who, CaseKind::Incident)
                .await
                .unwrap(),
            vec![incident]
        );
        assert!(
            store
                .cases_of_subject(SubjectId::generate(), CaseKind::Complaint)
                .await
                .unwrap()
                .is_empty()
        );
    }

    /// Items round-trip with every field; a subject's items list by id.
    pub async fn items_put_get_list<F: StoreFactory>(factory: &F) {
        let fx = factory.fresh().await;
        let store = fx.store();
        let s = subject(&*store).await;
        let other = subject(&*store).await;
        let mut a = item(s, "email", "alice@example.com", 1);
        a.source = SourceKey::new("third_party").unwrap();
        a.controller_role = crate::model::item::ControllerRole::Processor;
        a.retain_until = Some(t(1000));
        let b = item(s, "postal_address", "1 Main St", 2);
        let c = item(other, "phone", "+15550100", 3);
        store
            .put_items(&[a.clone(), b.clone(), c.clone()])
            .await
            .unwrap();
        let got = store.get_item(a.id).await.unwrap();
        assert_eq!(got.id, a.id);
        assert_eq!(got.subject, s);
        assert_eq!(got.category, a.category);
        assert_eq!(got.value.as_ref(), Some(&a.value));
        assert_eq!(got.source, a.source);
        assert_eq!(got.collected_at, t(1));
        assert_eq!(got.purpose, a.purpose);
        assert_eq!(got.controller, a.controller);
        assert_eq!(got.controller_role, a.controller_role);
        assert_eq!(got.retain_until, Some(t(1000)));
        assert_eq!(got.updated_at, t(1));
        assert_eq!(got.erased_at, None);
        let listed: Vec<ItemId> = store
            .list_items(s)
            .await
            .unwrap()
            .into_iter()
            .map(|i| i.id)
            .collect();
        assert_eq!(listed, vec![a.id, b.id]);
        // A batch is atomic: one bad item (unknown subject) writes nothing.
        let good = item(s, "name", "Alice", 4);
        let bad = item(SubjectId::generate(), "name", "Nobody", 4);
        assert_not_found(store.put_items(&[good.clone(), bad]).await, Entity::Subject);
        assert_not_found(store.get_item(good.id).await, Entity::Item);
        assert_eq!(store.list_items(s).await.unwrap().len(), 2);
    }

    /// Putting the same item again is a no-op; other content under its id conflicts.
    pub async fn items_put_is_idempotent_and_detects_conflicts<F: StoreFactory>(factory: &F) {
        let fx = factory.fresh().await;
        let store = fx.store();
        let s = subject(&*store).await;
        let a = item(s, "email", "a@example.com", 1);
        store.put_item(&a).await.unwrap();
        store.put_item(&a).await.unwrap();
        assert_eq!(store.list_items(s).await.unwrap().len(), 1);
        let mut changed = a.clone();
        changed.value = ciphertext("b@example.com");
        assert_conflict(
            store.put_item(&changed).await,
            ConflictReason::DifferentContent,
        );
        let mut moved = a.clone();
        moved.subject = subject(&*store).await;
        assert_conflict(
            store.put_item(&moved).await,
            ConflictReason::DifferentContent,
        );
    }

    /// Rectification replaces the value; retention deadlines can be set and cleared.
    pub async fn items_rectify_and_retention<F: StoreFactory>(factory: &F) {
        let fx = factory.fresh().await;
        let store = fx.store();
        let s = subject(&*store).await;
        let a = item(s, "postal_address", "1 Old Rd", 1);
        store.put_item(&a).await.unwrap();
        let new_value = ciphertext("2 New Rd");
        let r = store
            .replace_item_value(a.id, &new_value, t(50))
            .await
            .unwrap();
        assert_eq!(r.value.as_ref(), Some(&new_value));
        assert_eq!(r.updated_at, t(50));
        assert_eq!(r.collected_at, t(1));
        assert_eq!(store.get_item(a.id).await.unwrap(), r);
        let r = store.set_item_retention(a.id, Some(t(500))).await.unwrap();
        assert_eq!(r.retain_until, Some(t(500)));
        let r = store.set_item_retention(a.id, None).await.unwrap();
        assert_eq!(r.retain_until, None);
        assert_not_found(
            store
                .replace_item_value(ItemId::generate(), &new_value, t(1))
                .await,
            Entity::Item,
        );
        store.erase_item(a.id, t(60)).await.unwrap();
        assert_conflict(
            store.replace_item_value(a.id, &new_value, t(61)).await,
            ConflictReason::Erased,
        );
        assert_conflict(
            store.set_item_retention(a.id, Some(t(1))).await,
            ConflictReason::Erased,
        );
    }

    /// Erasing an item deletes its value and keeps a tombstone (RET-04).
    pub async fn items_erase_keeps_a_tombstone<F: StoreFactory>(factory: &F) {
        let fx = factory.fresh().await;
        let store = fx.store();
        let s = subject(&*store).await;
        let a = item(s, "email", "gone@example.com", 1);
        store.put_item(&a).await.unwrap();
        assert!(store.erase_item(a.id, t(10)).await.unwrap());
        assert!(!store.erase_item(a.id, t(11)).await.unwrap(), "idempotent");
        let tomb = store.get_item(a.id).await.unwrap();
        assert_eq!(tomb.value, None);
        assert_eq!(tomb.erased_at, Some(t(10)));
        assert_eq!(tomb.category, a.category);
        assert_eq!(store.list_items(s).await.unwrap(), vec![tomb]);
        assert_conflict(store.put_item(&a).await, ConflictReason::DifferentContent);
        assert_not_found(
            store.erase_item(ItemId::generate(), t(1)).await,
            Entity::Item,
        );
    }

    /// RET-02: the sweep lists live items past their deadline, earliest first, within a limit.
    pub async fn items_past_retention_sweep<F: StoreFactory>(factory: &F) {
        let fx = factory.fresh().await;
        let store = fx.store();
        let s = subject(&*store).await;
        let mut items = Vec::new();
        for (i, deadline) in [Some(30), Some(10), None, Some(20), Some(100)]
            .into_iter()
            .enumerate()
        {
            let mut it = item(s, "ip_login", "10.0.0.1", i as i64);
            it.retain_until = deadline.map(t);
            items.push(it);
        }
        store.put_items(&items).await.unwrap();
        store.erase_item(items[3].id, t(5)).await.unwrap();
        let due: Vec<ItemId> = store
            .items_past_retention(t(30), 100)
            .await
            .unwrap()
            .into_iter()
            .map(|i| i.id)
            .collect();
        assert_eq!(
            due,
            vec![items[1].id, items[0].id],
            "deadline at `now` is due"
        );
        let first = store.items_past_retention(t(30), 1).await.unwrap();
        assert_eq!(first.len(), 1);
        assert_eq!(first[0].id, items[1].id);
        for id in &due {
            store.erase_item(*id, t(31)).await.unwrap();
        }
        assert!(
            store
                .items_past_retention(t(30), 100)
                .await
                .unwrap()
                .is_empty(),
            "a second sweep finds nothing"
        );
    }

    /// RET-01: a lifecycle event is recorded once per `(subject, kind, at)`, together with
    /// its audit entry and the deadlines it sets; erased items keep theirs.
    pub async fn lifecycle_events_set_retention_with_their_audit_entry<F: StoreFactory>(
        factory: &F,
    ) {
        use crate::model::lifecycle::*;
        let fx = factory.fresh().await;
        let store = fx.store();
        let s = subject(&*store).await;
        let other = subject(&*store).await;
        let a = item(s, "email", "a@example.com", 1);
        let b = item(s, "postal_address", "1 Main St", 2);
        let gone = item(s, "name", "Ann", 3);
        store
            .put_items(&[a.clone(), b.clone(), gone.clone()])
            .await
            .unwrap();
        store.erase_item(gone.id, t(4)).await.unwrap();
        let closed = LifecycleEvent {
            subject: s,
            kind: LifecycleKind::AccountClosed,
            at: t(10),
            recorded_at: t(11),
        };
        let ev = decision_event(Some(s), 11);
        let w = LifecycleWrite {
            event: closed.clone(),
            retention: vec![
                (a.id, Some(t(1000))),
                (b.id, Some(t(2000))),
                (gone.id, Some(t(3000))),
            ],
        };
        store
            .write_audited(
                &AuditedWrite::RecordLifecycle(w.clone()),
                std::slice::from_ref(&ev),
            )
            .await
            .unwrap();
        store.audit_event(ev.id).await.unwrap();
        assert_eq!(
            store.get_item(a.id).await.unwrap().retain_until,
            Some(t(1000))
        );
        assert_eq!(
            store.get_item(b.id).await.unwrap().retain_until,
            Some(t(2000))
        );
        assert_eq!(
            store.get_item(gone.id).await.unwrap().retain_until,
            gone.retain_until,
            "an erased item is left alone"
        );
        // The same event again (recorded later) is a no-op for the event.
        let mut again = w.clone();
        again.event.recorded_at = t(50);
        again.retention = vec![(a.id, None)];
        store
            .write_audited(&AuditedWrite::RecordLifecycle(again), &[])
            .await
            .unwrap();
        assert_eq!(store.get_item(a.id).await.unwrap().retain_until, None);
        let reopened = LifecycleEvent {
            subject: s,
            kind: LifecycleKind::AccountReopened,
            at: t(5),
            recorded_at: t(60),
        };
        let active = LifecycleEvent {
            subject: s,
            kind: LifecycleKind::LastActivity,
            at: t(10),
            recorded_at: t(61),
        };
        for e in [reopened.clone(), active.clone()] {
            store
                .write_audited(
                    &AuditedWrite::RecordLifecycle(LifecycleWrite {
                        event: e,
                        retention: vec![],
                    }),
                    &[],
                )
                .await
                .unwrap();
        }
        assert_eq!(
            store.lifecycle_events(s).await.unwrap(),
            vec![reopened, closed, active],
            "by time, then kind; the first recording time stays"
        );
        assert!(store.lifecycle_events(other).await.unwrap().is_empty());
        let unknown = LifecycleWrite {
            event: LifecycleEvent {
                subject: SubjectId::generate(),
                kind: LifecycleKind::ContractEnd,
                at: t(1),
                recorded_at: t(1),
            },
            retention: vec![],
        };
        let ev2 = decision_event(None, 70);
        assert_not_found(
            store
                .write_audited(
                    &AuditedWrite::RecordLifecycle(unknown),
                    std::slice::from_ref(&ev2),
                )
                .await,
            Entity::Subject,
        );
        assert!(
            store.audit_event(ev2.id).await.is_err(),
            "nothing of a failed write is kept"
        );
    }

    /// RET-06: derived items are stored with links to their sources, read back by source.
    pub async fn derived_items_are_linked_to_their_sources<F: StoreFactory>(factory: &F) {
        let fx = factory.fresh().await;
        let store = fx.store();
        let s = subject(&*store).await;
        let src1 = item(s, "transaction_history", "order 1", 1);
        let src2 = item(s, "transaction_history", "order 2", 2);
        let lone = item(s, "email", "a@example.com", 3);
        store
            .put_items(&[src1.clone(), src2.clone(), lone.clone()])
            .await
            .unwrap();
        let d1 = item(s, "transaction_history", "top destinations", 4);
        let d2 = item(s, "transaction_history", "monthly totals", 5);
        let ev = decision_event(Some(s), 5);
        let w = AuditedWrite::PutDerivedItems {
            items: vec![d1.clone(), d2.clone()],
            sources: vec![(d1.id, src1.id), (d1.id, src2.id), (d2.id, src2.id)],
        };
        store
            .write_audited(&w, std::slice::from_ref(&ev))
            .await
            .unwrap();
        store.write_audited(&w, &[]).await.unwrap();
        store.audit_event(ev.id).await.unwrap();
        assert_eq!(store.get_item(d1.id).await.unwrap().subject, s);
        assert_eq!(
            store.items_derived_from(&[src1.id]).await.unwrap(),
            vec![d1.id]
        );
        let mut both = vec![d1.id, d2.id];
        both.sort();
        assert_eq!(
            store.items_derived_from(&[src1.id, src2.id]).await.unwrap(),
            both,
            "each derived item once, by id"
        );
        assert!(
            store
                .items_derived_from(&[lone.id])
                .await
                .unwrap()
                .is_empty()
        );
        let d3 = item(s, "transaction_history", "stale", 6);
        assert_not_found(
            store
                .write_audited(
                    &AuditedWrite::PutDerivedItems {
                        items: vec![d3.clone()],
                        sources: vec![(d3.id, ItemId::generate())],
                    },
                    &[],
                )
                .await,
            Entity::Item,
        );
        assert_not_found(store.get_item(d3.id).await, Entity::Item);
    }

    /// DM-02: wrapped keys are stored, re-wrapped on rotation, and destroyed for good.
    pub async fn keys_put_get_rewrap_destroy<F: StoreFactory>(factory: &F) {
        let fx = factory.fresh().await;
        let store = fx.store();
        let s = subject(&*store).await;
        let k = wrapped_key(s, "kek-1", 1);
        store.put_wrapped_key(&k).await.unwrap();
        store.put_wrapped_key(&k).await.unwrap();
        let got = store.get_wrapped_key(s).await.unwrap();
        assert_eq!(got.kek, k.kek);
        assert_eq!(got.wrapped, k.wrapped);
        assert_eq!(got.created_at, t0());
        assert_eq!(got.rewrapped_at, None);
        assert_conflict(
            store.put_wrapped_key(&wrapped_key(s, "kek-1", 2)).await,
            ConflictReason::KeyExists,
        );
        let kek1 = KekId::new("kek-1").unwrap();
        let kek2 = KekId::new("kek-2").unwrap();
        assert_eq!(
            store.keys_wrapped_by(&kek1, None, 10).await.unwrap(),
            vec![s]
        );
        let new_bytes = WrappedKeyBytes::new(vec![9u8; 60]).unwrap();
        store
            .rewrap_key(s, &kek1, &kek2, &new_bytes, t(5))
            .await
            .unwrap();
        store
            .rewrap_key(s, &kek1, &kek2, &new_bytes, t(5))
            .await
            .unwrap();
        let got = store.get_wrapped_key(s).await.unwrap();
        assert_eq!(
            (got.kek.clone(), got.wrapped.clone()),
            (kek2.clone(), new_bytes.clone())
        );
        assert_eq!(got.rewrapped_at, Some(t(5)));
        assert_conflict(
            store
                .rewrap_key(
                    s,
                    &kek1,
                    &kek2,
                    &WrappedKeyBytes::new(vec![3u8; 60]).unwrap(),
                    t(6),
                )
                .await,
            ConflictReason::WrongKek,
        );
        assert!(
            store
                .keys_wrapped_by(&kek1, None, 10)
                .await
                .unwrap()
                .is_empty()
        );
        assert_eq!(
            store.keys_wrapped_by(&kek2, None, 10).await.unwrap(),
            vec![s]
        );
        assert!(
            store
                .keys_wrapped_by(&kek2, Some(s), 10)
                .await
                .unwrap()
                .is_empty()
        );

        assert!(store.destroy_wrapped_key(s, t(10)).await.unwrap());
        assert!(!store.destroy_wrapped_key(s, t(11)).await.unwrap());
        assert!(matches!(
            store.get_wrapped_key(s).await,
            Err(StoreError::KeyDestroyed(id)) if id == s
        ));
        assert!(
            store
                .keys_wrapped_by(&kek2, None, 10)
                .await
                .unwrap()
                .is_empty()
        );
        assert!(matches!(
            store.rewrap_key(s, &kek2, &kek1, &new_bytes, t(12)).await,
            Err(StoreError::KeyDestroyed(_))
        ));
        assert_not_found(
            store.destroy_wrapped_key(SubjectId::generate(), t(1)).await,
            Entity::DataKey,
        );
    }

    /// DM-02: once shredded, a subject gets neither a new key nor new items.
    pub async fn keys_destroyed_refuse_new_items_and_keys<F: StoreFactory>(factory: &F) {
        let fx = factory.fresh().await;
        let store = fx.store();
        let s = subject(&*store).await;
        store
            .put_wrapped_key(&wrapped_key(s, "kek-1", 1))
            .await
            .unwrap();
        store.destroy_wrapped_key(s, t(1)).await.unwrap();
        assert!(matches!(
            store.put_wrapped_key(&wrapped_key(s, "kek-1", 1)).await,
            Err(StoreError::KeyDestroyed(_))
        ));
        assert!(matches!(
            store.put_item(&item(s, "email", "x@example.com", 2)).await,
            Err(StoreError::KeyDestroyed(_))
        ));
    }

    /// DM-02, RET-05: erasure removes everything not retained, in one step, and only once.
    pub async fn erase_subject_is_atomic_and_idempotent<F: StoreFactory>(factory: &F) {
        let fx = factory.fresh().await;
        let store = fx.store();
        let s = subject(&*store).await;
        let facts = SubjectFacts {
            kind: SubjectKind::CustomerAccountHolder,
            residency: Some(Jurisdiction::new("US-TX").unwrap()),
            eu_protected_since: None,
            age: None,
            household: None,
        };
        store.update_subject(s, 1, &facts, t(1)).await.unwrap();
        store
            .put_wrapped_key(&wrapped_key(s, "kek-1", 1))
            .await
            .unwrap();
        let email = token(IdentityKind::Email, "erase.me@example.com");
        store
            .attach_identity(&link(s, email.clone(), 1))
            .await
            .unwrap();
        store
            .attach_identity(&link(s, token(IdentityKind::Cookie, "c-9"), 1))
            .await
            .unwrap();
        let keep = item(s, "transaction_history", "order 1", 2);
        let a = item(s, "email", "erase.me@example.com", 2);
        let b = item(s, "name", "Erin", 2);
        store
            .put_items(&[keep.clone(), a.clone(), b.clone()])
            .await
            .unwrap();
        store
            .append_choice(&choice(Party::Subject(s), "marketing:email", true, 3))
            .await
            .unwrap();
        store
            .record_disclosure(&disclosure(s, "mp1", 3))
            .await
            .unwrap();

        // The key cannot be shredded while an item is retained.
        let refused = SubjectErasure {
            subject: s,
            retain: vec![keep.id],
            destroy_key: true,
            at: t(10),
        };
        assert_conflict(
            store.erase_subject(&refused).await,
            ConflictReason::ItemsRetained,
        );
        assert!(
            store.get_item(a.id).await.unwrap().value.is_some(),
            "a refused erasure changes nothing"
        );

        let partial = SubjectErasure {
            subject: s,
            retain: vec![keep.id],
            destroy_key: false,
            at: t(10),
        };
        let out = store.erase_subject(&partial).await.unwrap();
        assert_eq!(
            out,
            ErasureOutcome {
                items_erased: 2,
                identities_unlinked: 2,
                key_destroyed: false
            }
        );
        assert!(store.get_item(keep.id).await.unwrap().value.is_some());
        assert_eq!(store.get_item(a.id).await.unwrap().value, None);
        assert!(store.find_by_identity(&email).await.unwrap().is_empty());
        let rec = store.get_subject(s).await.unwrap();
        assert_eq!(rec.erased_at, Some(t(10)));
        assert_eq!(
            rec.facts,
            SubjectFacts::of_kind(SubjectKind::CustomerAccountHolder)
        );
        assert_eq!(
            store.erase_subject(&partial).await.unwrap(),
            ErasureOutcome::default(),
            "idempotent"
        );
        // Erased subjects take no new data or identities.
        assert_conflict(
            store.put_item(&item(s, "name", "Erin", 11)).await,
            ConflictReason::Erased,
        );
        assert_conflict(
            store.attach_identity(&link(s, email.clone(), 11)).await,
            ConflictReason::Erased,
        );
        assert_conflict(
            store.update_subject(s, rec.revision, &facts, t(11)).await,
            ConflictReason::Erased,
        );

        // The retention ends: full erasure with crypto-shredding.
        let full = SubjectErasure {
            subject: s,
            retain: Vec::new(),
            destroy_key: true,
            at: t(20),
        };
        let out = store.erase_subject(&full).await.unwrap();
        assert_eq!(
            out,
            ErasureOutcome {
                items_erased: 1,
                identities_unlinked: 0,
                key_destroyed: true
            }
        );
        assert!(matches!(
            store.get_wrapped_key(s).await,
            Err(StoreError::KeyDestroyed(_))
        ));
        assert_eq!(store.get_subject(s).await.unwrap().erased_at, Some(t(10)));
        // Ledgers survive: suppression and accountability (RET-05, AUD-04).
        assert_eq!(
            store
                .list_choices(&[Party::Subject(s)])
                .await
                .unwrap()
                .len(),
            1
        );
        let d = store
            .list_disclosures(&DisclosureQuery::scope(DisclosureScope::Subject(s), 10))
            .await
            .unwrap();
        assert_eq!(d.len(), 1);
        // A suppression record by hashed e-mail can still be appended after erasure.
        store
            .append_choice(&choice(
                Party::Identity(email.clone()),
                "marketing:email",
                true,
                21,
            ))
            .await
            .unwrap();
        assert_not_found(
            store
                .erase_subject(&SubjectErasure {
                    subject: SubjectId::generate(),
                    retain: Vec::new(),
                    destroy_key: true,
                    at: t(1),
                })
                .await,
            Entity::Subject,
        );
    }

    /// DM-01: choices come back in `(at, id)` order, whatever the arrival order.
    pub async fn choices_listed_in_ledger_order<F: StoreFactory>(factory: &F) {
        let fx = factory.fresh().await;
        let store = fx.store();
        let s = subject(&*store).await;
        let p = Party::Subject(s);
        let late = choice(p.clone(), "sale_opt_out", true, 30);
        let early = choice(p.clone(), "sale_opt_out", false, 10);
        let mut same_time = [
            choice(p.clone(), "marketing:email", true, 20),
            choice(p.clone(), "marketing:sms", true, 20),
        ];
        same_time.sort_by_key(|c| c.id);
        let mut with_all = late.clone();
        with_all.source = ChoiceSource::Gpc;
        with_all.id = ChoiceId::generate();
        with_all.at = t(40);
        with_all.actor = Actor::Subject(s);
        with_all.notice_hash = None;
        with_all.channel = None;
        store.append_choice(&late).await.unwrap();
        store
            .append_choices(&[same_time[1].clone(), early.clone(), same_time[0].clone()])
            .await
            .unwrap();
        store.append_choice(&with_all).await.unwrap();
        let listed = store.list_choices(std::slice::from_ref(&p)).await.unwrap();
        assert_eq!(
            listed,
            vec![
                early,
                same_time[0].clone(),
                same_time[1].clone(),
                late,
                with_all
            ]
        );
        let other = subject(&*store).await;
        assert!(
            store
                .list_choices(&[Party::Subject(other)])
                .await
                .unwrap()
                .is_empty()
        );
        assert!(store.list_choices(&[]).await.unwrap().is_empty());
    }

    /// DM-01: an entry can be appended again (retry) but never changed.
    pub async fn choices_are_idempotent_and_append_only<F: StoreFactory>(factory: &F) {
        let fx = factory.fresh().await;
        let store = fx.store();
        let s = subject(&*store).await;
        let c = choice(Party::Subject(s), "marketing:email", true, 1);
        store.append_choice(&c).await.unwrap();
        store.append_choice(&c).await.unwrap();
        assert_eq!(
            store
                .list_choices(&[Party::Subject(s)])
                .await
                .unwrap()
                .len(),
            1
        );
        let mut withdraw_in_place = c.clone();
        withdraw_in_place.value = false;
        assert_append_only(
            store.append_choice(&withdraw_in_place).await,
            Entity::Choice,
        );
        // A batch holding a changed entry writes nothing.
        let fresh = choice(Party::Subject(s), "sale_opt_out", true, 2);
        assert_append_only(
            store
                .append_choices(&[fresh.clone(), withdraw_in_place])
                .await,
            Entity::Choice,
        );
        assert_eq!(
            store.list_choices(&[Party::Subject(s)]).await.unwrap(),
            vec![c.clone()]
        );
        // Withdrawing is a new entry.
        let mut withdraw = choice(Party::Subject(s), "marketing:email", false, 3);
        withdraw.source = ChoiceSource::Admin;
        store.append_choice(&withdraw).await.unwrap();
        assert_eq!(
            store
                .list_choices(&[Party::Subject(s)])
                .await
                .unwrap()
                .len(),
            2
        );
    }

    /// DM-03: choices made on a device before login merge with the subject's in ledger order.
    pub async fn choices_by_device_and_merged_parties<F: StoreFactory>(factory: &F) {
        let fx = factory.fresh().await;
        let store = fx.store();
        let s = subject(&*store).await;
        let cookie = Party::Identity(token(IdentityKind::Cookie, "c-123"));
        let mut gpc = choice(cookie.clone(), "gpc", true, 5);
        gpc.source = ChoiceSource::Gpc;
        // No subject needed for a device party.
        store.append_choice(&gpc).await.unwrap();
        let mine = choice(Party::Subject(s), "marketing:email", false, 3);
        let later = choice(Party::Subject(s), "cookie:analytics", false, 9);
        store
            .append_choices(&[later.clone(), mine.clone()])
            .await
            .unwrap();
        assert_eq!(
            store
                .list_choices(std::slice::from_ref(&cookie))
                .await
                .unwrap(),
            vec![gpc.clone()]
        );
        let merged = store
            .list_choices(&[Party::Subject(s), cookie.clone()])
            .await
            .unwrap();
        assert_eq!(merged, vec![mine, gpc, later]);
        let other_cookie = Party::Identity(token(IdentityKind::Cookie, "c-999"));
        assert!(
            store
                .list_choices(&[other_cookie])
                .await
                .unwrap()
                .is_empty()
        );
    }

    /// A subject's decision facts read in one call equal the separate reads: the record, its
    /// identities, the ledger of the subject and of its linked cookies and devices (DM-03,
    /// GPC-04) in ledger order, its memberships, and the acceptances of the accounts it is a
    /// current member of only (CUST-01); many at once in the order asked, each once, unknown
    /// ids left out; an erased subject is returned with `erased_at`.
    pub async fn subject_facts_read_together<F: StoreFactory>(factory: &F) {
        let fx = factory.fresh().await;
        let store = fx.store();
        let s = subject(&*store).await;
        let s2 = subject(&*store).await;
        let bare = subject(&*store).await;
        let email = token(IdentityKind::Email, "ann@example.com");
        let cookie = token(IdentityKind::Cookie, "c-1");
        let device = token(IdentityKind::Device, "d-1");
        store.attach_identity(&link(s, email, 1)).await.unwrap();
        store
            .attach_identity(&link(s, cookie.clone(), 2))
            .await
            .unwrap();
        store
            .attach_identity(&link(s, device.clone(), 2))
            .await
            .unwrap();
        // The device is shared with s2: its choices count for both.
        store
            .attach_identity(&link(s2, device.clone(), 3))
            .await
            .unwrap();
        let unrelated = Party::Identity(token(IdentityKind::Cookie, "c-other"));
        let entries = vec![
            choice(Party::Subject(s), "marketing:email", false, 9),
            choice(Party::Subject(s), "marketing:email", true, 4),
            choice(Party::Identity(cookie.clone()), "gpc", true, 5),
            choice(
                Party::Identity(device.clone()),
                "cookie:analytics",
                false,
                7,
            ),
            choice(Party::Subject(s2), "marketing:email", false, 6),
            choice(unrelated, "gpc", true, 1),
        ];
        store.append_choices(&entries).await.unwrap();
        let (acc, gone, theirs) = (
            AccountId::generate(),
            AccountId::generate(),
            AccountId::generate(),
        );
        for (id, owner) in [(acc, s), (gone, s2), (theirs, s2)] {
            store
                .create_account(&NewAccount {
                    id,
                    owner,
                    controller: controller(),
                    created_at: t(0),
                })
                .await
                .unwrap();
        }
        store
            .add_member(gone, s, MemberRole::User, t(1))
            .await
            .unwrap();
        assert!(store.remove_member(gone, s, t(2)).await.unwrap());
        let accept = |account, by, version: &str, at| AgreementAcceptance {
            id: AcceptanceId::generate(),
            account,
            agreement: AgreementKey::new("customer_undertaking").unwrap(),
            version: AgreementVersion::new(version).unwrap(),
            text_sha256: Some(Digest([3; 32])),
            accepted_by: by,
            accepted_at: t(at),
        };
        let mine = [accept(acc, s, "cust-2", 8), accept(acc, s, "cust-1", 3)];
        let not_mine = [
            accept(gone, s2, "cust-1", 4),
            accept(theirs, s2, "cust-1", 5),
        ];
        store
            .write_audited(
                &AuditedWrite::RecordAgreements(mine.iter().chain(&not_mine).cloned().collect()),
                &[],
            )
            .await
            .unwrap();

        // Carrier selections: two of `s`'s current account (one withdrawn), one of the account
        // `s` left and one of the other account `s2` owns (CARRIER-01).
        let carrier = |account, by, key: &str, at| CarrierSelection {
            id: SelectionId::generate(),
            account,
            carrier: RecipientKey::new(key).unwrap(),
            shipment: None,
            terms_version: None,
            selected_by: by,
            selected_at: t(at),
            withdrawn: None,
        };
        let (ups, fedex, left, theirs_ups) = (
            carrier(acc, s, "CAR_UPS", 6),
            carrier(acc, s, "CAR_FEDEX", 2),
            carrier(gone, s2, "CAR_DHL", 3),
            carrier(theirs, s2, "CAR_UPS", 4),
        );
        for c in [&ups, &fedex, &left, &theirs_ups] {
            store
                .write_audited(&AuditedWrite::SelectCarrier(c.clone()), &[])
                .await
                .unwrap();
        }
        store
            .write_audited(
                &AuditedWrite::WithdrawCarrier {
                    account: acc,
                    id: fedex.id,
                    by: s,
                    at: t(7),
                },
                &[],
            )
            .await
            .unwrap();
        // Items: what each has provided (USPS-07); an erased item no longer counts.
        let erased_item = item(s, "phone", "+15550100", 1);
        store
            .put_items(&[
                item(s, "usps_regulatory_data", "form 3801", 1),
                item(s, "email", "ann@example.com", 2),
                item(s, "email", "ann2@example.com", 3),
                erased_item.clone(),
                item(s2, "postal_address", "1 Main St", 1),
            ])
            .await
            .unwrap();
        assert!(store.erase_item(erased_item.id, t(4)).await.unwrap());

        // Two change-of-control notices for `s` (recorded out of order), one for `s2`.
        let notice = |subject, effective: i64| ChangeOfControlNotice {
            id: NoticeId::generate(),
            subject,
            transfer: CaseKey::new("acme-2024").unwrap(),
            effective_at: t(effective),
            delivered_at: None,
            recorded_at: t(effective + 1),
        };
        let (later, earlier, theirs) = (notice(s, 30), notice(s, 20), notice(s2, 25));
        for n in [&later, &earlier, &theirs] {
            store
                .write_audited(&AuditedWrite::PutChangeOfControlNotice(n.clone()), &[])
                .await
                .unwrap();
        }

        // What the separate reads answer.
        let separate = |id: SubjectId| {
            let store = store.clone();
            async move {
                let identities = store.identities_of(id).await.unwrap();
                let mut parties = vec![Party::Subject(id)];
                parties.extend(
                    identities
                        .iter()
                        .filter(|l| {
                            matches!(l.identity.kind, IdentityKind::Cookie | IdentityKind::Device)
                        })
                        .map(|l| Party::Identity(l.identity.clone())),
                );
                let memberships = store.memberships_of(id).await.unwrap();
                let current: Vec<AccountId> = memberships
                    .iter()
                    .filter(|m| m.removed_at.is_none())
                    .map(|m| m.account)
                    .collect();
                StoredFacts {
                    record: store.get_subject(id).await.unwrap(),
                    ledger: store.list_choices(&parties).await.unwrap(),
                    identities,
                    memberships,
                    agreements: store.list_agreements(&current).await.unwrap(),
                    carriers: store
                        .list_carrier_selections(&current)
                        .await
                        .unwrap()
                        .into_iter()
                        .filter(CarrierSelection::is_active)
                        .collect(),
                    categories: store
                        .list_items(id)
                        .await
                        .unwrap()
                        .into_iter()
                        .filter(|i| i.erased_at.is_none())
                        .map(|i| i.category)
                        .collect::<BTreeSet<_>>()
                        .into_iter()
                        .collect(),
                    change_of_control: store.change_of_control_notices(id).await.unwrap(),
                }
            }
        };
        let f = store.subject_facts(s).await.unwrap();
        assert_eq!(f, separate(s).await);
        // Spelled out, so both sides cannot be wrong together.
        assert_eq!(f.identities.len(), 3);
        let keys: Vec<(i64, &str)> = f
            .ledger
            .iter()
            .map(|e| (e.at.as_second() - t0().as_second(), e.key.as_str()))
            .collect();
        assert_eq!(
            keys,
            vec![
                (4, "marketing:email"),
                (5, "gpc"),
                (7, "cookie:analytics"),
                (9, "marketing:email")
            ],
            "own, cookie and device entries in ledger order; another cookie's are not"
        );
        assert_eq!(f.memberships.len(), 2, "the removed membership is listed");
        assert_eq!(
            f.agreements,
            vec![mine[1].clone(), mine[0].clone()],
            "only the current account's acceptances, oldest first"
        );
        assert_eq!(
            f.change_of_control,
            vec![earlier, later],
            "its own notices, oldest effective first"
        );
        assert_eq!(
            f.carriers,
            vec![ups.clone()],
            "the current account's selections that are not withdrawn"
        );
        let cats: Vec<&str> = f.categories.iter().map(CategoryKey::as_str).collect();
        assert_eq!(
            cats,
            vec!["email", "usps_regulatory_data"],
            "each category once, sorted; an erased item's left out"
        );
        let f2 = store.subject_facts(s2).await.unwrap();
        assert_eq!(f2, separate(s2).await);
        assert_eq!(f2.ledger.len(), 2, "its own entry and the shared device's");
        assert_eq!(f2.agreements.len(), 2);
        assert_eq!(f2.change_of_control, vec![theirs]);
        assert_eq!(
            f2.carriers,
            vec![left.clone(), theirs_ups.clone()],
            "the owner of both accounts sees both (the one `s` left too)"
        );
        assert_eq!(
            f2.categories,
            vec![CategoryKey::new("postal_address").unwrap()]
        );
        let fb = store.subject_facts(bare).await.unwrap();
        assert_eq!(fb, separate(bare).await);
        assert!(fb.identities.is_empty() && fb.ledger.is_empty() && fb.agreements.is_empty());
        assert!(fb.carriers.is_empty() && fb.categories.is_empty());

        // Many at once: in the order asked, each once, unknown ids left out.
        let unknown = SubjectId::generate();
        let many = store
            .subject_facts_many(&[s2, unknown, s, s2, bare])
            .await
            .unwrap();
        assert_eq!(many, vec![f2, f.clone(), fb]);
        assert!(store.subject_facts_many(&[]).await.unwrap().is_empty());
        assert_not_found(store.subject_facts(unknown).await, Entity::Subject);

        // An erased subject is answered, erased.
        store
            .erase_subject(&SubjectErasure {
                subject: s,
                retain: Vec::new(),
                destroy_key: false,
                at: t(20),
            })
            .await
            .unwrap();
        let erased = store.subject_facts(s).await.unwrap();
        assert!(erased.record.erased_at.is_some());
        assert!(erased.identities.is_empty());
        assert_eq!(erased, separate(s).await);
    }

    /// DM-01 test: `fold(preference_events(S))` equals the effective choices snapshot.
    pub async fn choices_fold_matches_effective_choices<F: StoreFactory>(factory: &F) {
        let fx = factory.fresh().await;
        let store = fx.store();
        let s = subject(&*store).await;
        let p = Party::Subject(s);
        let entries = vec![
            choice(p.clone(), "marketing:email", true, 1),
            choice(p.clone(), "sale_opt_out", true, 2),
            choice(p.clone(), "marketing:email", false, 3),
            choice(p.clone(), "location_services", true, 4),
        ];
        store.append_choices(&entries).await.unwrap();
        let listed = store.list_choices(std::slice::from_ref(&p)).await.unwrap();
        let folded = fold_latest(&listed);
        assert_eq!(folded, fold_latest(&entries));
        let email = &folded[&ChoiceKey::new("marketing:email").unwrap()];
        assert!(!email.value);
        assert_eq!(email.entry, entries[2].id);
        assert_eq!(folded.len(), 3);
    }

    /// MP-04, DNS-05: the channel and every source round-trip; the channel is part of the
    /// entry (changing it under the same id is refused).
    pub async fn choices_keep_channel_and_every_source<F: StoreFactory>(factory: &F) {
        let fx = factory.fresh().await;
        let store = fx.store();
        let s = subject(&*store).await;
        let p = Party::Subject(s);
        let mut entries = Vec::new();
        let channels = ChoiceChannelKey::KNOWN
            .iter()
            .map(|c| Some(ChoiceChannelKey::new(*c).unwrap()))
            .chain([None]);
        for (i, channel) in channels.enumerate() {
            let mut c = choice(p.clone(), "sale_opt_out", i % 2 == 0, i as i64);
            c.channel = channel;
            c.source = ChoiceSource::ALL[i % ChoiceSource::ALL.len()];
            entries.push(c);
        }
        for (i, source) in ChoiceSource::ALL.iter().enumerate() {
            let mut c = choice(p.clone(), "marketing:email", true, 100 + i as i64);
            c.source = *source;
            entries.push(c);
        }
        store.append_choices(&entries).await.unwrap();
        let listed = store.list_choices(std::slice::from_ref(&p)).await.unwrap();
        assert_eq!(listed, entries);
        assert!(
            ChoiceSource::ALL
                .iter()
                .all(|src| listed.iter().any(|c| c.source == *src))
        );
        assert_eq!(
            ChoiceSource::from_code(ChoiceSource::Parent.code()).unwrap(),
            ChoiceSource::Parent
        );
        let mut other_channel = entries[0].clone();
        other_channel.channel = Some(ChoiceChannelKey::new("sms_stop").unwrap());
        assert_append_only(store.append_choice(&other_channel).await, Entity::Choice);
        let mut no_channel = entries[0].clone();
        no_channel.channel = None;
        assert_append_only(store.append_choice(&no_channel).await, Entity::Choice);
        store.append_choice(&entries[0]).await.unwrap();
        assert_eq!(
            store.list_choices(std::slice::from_ref(&p)).await.unwrap(),
            entries
        );
    }

    /// SEC-05: API keys are found by the hash of their secret, revoked keys included, listed,
    /// revoked once, and counted.
    pub async fn api_keys_create_find_revoke<F: StoreFactory>(factory: &F) {
        let fx = factory.fresh().await;
        let store = fx.store();
        assert_eq!(store.count_active_api_keys().await.unwrap(), 0);
        assert!(store.list_api_keys().await.unwrap().is_empty());
        let owner = subject(&*store).await;
        let acc = AccountId::generate();
        store
            .create_account(&NewAccount {
                id: acc,
                owner,
                controller: controller(),
                created_at: t(0),
            })
            .await
            .unwrap();
        let mut a = api_key("svc:checkout", "stw_secret-a", &["decide", "write"], 1);
        a.rate_per_sec = Some(500);
        let mut b = api_key("admin:acme", "stw_secret-b", &["admin", "read_pii"], 2);
        b.account = Some(acc);
        let c = api_key("svc:dsr", "stw_secret-c", &["dsr"], 2);
        let rec_b = store.create_api_key(&b).await.unwrap();
        let rec_a = store.create_api_key(&a).await.unwrap();
        let rec_c = store.create_api_key(&c).await.unwrap();
        assert_eq!(rec_a.id, a.id);
        assert_eq!(rec_a.name, a.name);
        assert_eq!(rec_a.hash, a.hash);
        assert_eq!(rec_a.scopes, a.scopes);
        assert_eq!(rec_a.account, None);
        assert_eq!(rec_a.rate_per_sec, Some(500));
        assert_eq!(rec_a.created_at, t(1));
        assert_eq!(rec_a.revoked_at, None);
        assert!(rec_a.is_active() && rec_a.has_scope("decide") && !rec_a.has_scope("admin"));
        assert_eq!(rec_b.account, Some(acc));
        assert_eq!(rec_b.rate_per_sec, None);
        assert_eq!(store.get_api_key(a.id).await.unwrap(), rec_a);
        assert_eq!(
            store
                .find_api_key_by_hash(&Digest::sha256(b"stw_secret-b"))
                .await
                .unwrap(),
            Some(rec_b.clone())
        );
        assert_eq!(
            store
                .find_api_key_by_hash(&Digest::sha256(b"stw_unknown"))
                .await
                .unwrap(),
            None
        );
        assert_eq!(store.count_active_api_keys().await.unwrap(), 3);
        let mut expected = vec![rec_a.clone(), rec_b.clone(), rec_c.clone()];
        expected.sort_by_key(|k| (k.created_at, k.id));
        assert_eq!(store.list_api_keys().await.unwrap(), expected);

        let revoked = store.revoke_api_key(a.id, t(10)).await.unwrap();
        assert_eq!(revoked.revoked_at, Some(t(10)));
        assert!(!revoked.is_active());
        let again = store.revoke_api_key(a.id, t(20)).await.unwrap();
        assert_eq!(again.revoked_at, Some(t(10)), "the first revocation stays");
        assert_eq!(
            store.find_api_key_by_hash(&a.hash).await.unwrap(),
            Some(revoked.clone()),
            "a revoked key is still found, so the caller can say `revoked`"
        );
        assert_eq!(store.count_active_api_keys().await.unwrap(), 2);
        assert_eq!(store.list_api_keys().await.unwrap().len(), 3);
        // Re-creating a revoked key (a retried create) does not bring it back.
        assert_eq!(store.create_api_key(&a).await.unwrap(), revoked);
        assert_eq!(store.count_active_api_keys().await.unwrap(), 2);
    }

    /// API key creates are idempotent per id; other content, a hash in use, an empty scope
    /// set and an unknown account are refused.
    pub async fn api_keys_idempotent_and_validated<F: StoreFactory>(factory: &F) {
        let fx = factory.fresh().await;
        let store = fx.store();
        let a = api_key("svc:web", "stw_web", &["decide"], 1);
        let rec = store.create_api_key(&a).await.unwrap();
        assert_eq!(store.create_api_key(&a).await.unwrap(), rec);
        let mut precise = a.clone();
        precise.created_at = Timestamp::new(t(1).as_second(), 999).unwrap();
        assert_eq!(
            store.create_api_key(&precise).await.unwrap(),
            rec,
            "idempotency compares at microsecond precision"
        );
        let mut other = a.clone();
        other.scopes.insert(ApiScope::new("admin").unwrap());
        assert_conflict(
            store.create_api_key(&other).await,
            ConflictReason::DifferentContent,
        );
        let mut rate = a.clone();
        rate.rate_per_sec = Some(1);
        assert_conflict(
            store.create_api_key(&rate).await,
            ConflictReason::DifferentContent,
        );
        let mut same_hash = api_key("svc:other", "stw_web", &["decide"], 2);
        assert_conflict(
            store.create_api_key(&same_hash).await,
            ConflictReason::KeyHashTaken,
        );
        same_hash.hash = Digest::sha256(b"stw_other");
        same_hash.scopes.clear();
        assert!(matches!(
            store.create_api_key(&same_hash).await,
            Err(StoreError::Invalid(_))
        ));
        let mut limited = api_key("admin:x", "stw_x", &["admin"], 3);
        limited.account = Some(AccountId::generate());
        assert_not_found(store.create_api_key(&limited).await, Entity::Account);
        assert_not_found(
            store.get_api_key(ApiKeyId::generate()).await,
            Entity::ApiKey,
        );
        assert_not_found(
            store.revoke_api_key(ApiKeyId::generate(), t(4)).await,
            Entity::ApiKey,
        );
        assert_eq!(store.list_api_keys().await.unwrap(), vec![rec]);
        assert_eq!(store.count_active_api_keys().await.unwrap(), 1);
    }

    /// AUD-03: disclosures are recorded with every field and listed by subject and by recipient.
    pub async fn disclosures_record_and_list_by_scope<F: StoreFactory>(factory: &F) {
        let fx = factory.fresh().await;
        let store = fx.store();
        let s = subject(&*store).await;
        let other = subject(&*store).await;
        let a = disclosure(s, "mp1", 1);
        let mut b = disclosure(s, "sp_email", 2);
        b.categories = vec![CategoryKey::new("email").unwrap()];
        b.items = Vec::new();
        b.payload_hash = None;
        let c = disclosure(other, "mp1", 3);
        store
            .record_disclosures(&[c.clone(), a.clone(), b.clone()])
            .await
            .unwrap();
        let mine = store
            .list_disclosures(&DisclosureQuery::scope(DisclosureScope::Subject(s), 100))
            .await
            .unwrap();
        assert_eq!(mine, vec![a.clone(), b.clone()]);
        let mp1 = store
            .list_disclosures(&DisclosureQuery::scope(
                DisclosureScope::Recipient(RecipientKey::new("mp1").unwrap()),
                100,
            ))
            .await
            .unwrap();
        assert_eq!(mp1, vec![a.clone(), c.clone()]);
        let all = store
            .list_disclosures(&DisclosureQuery::scope(DisclosureScope::All, 100))
            .await
            .unwrap();
        assert_eq!(all, vec![a, b, c]);
    }

    /// Disclosures page by `(disclosed_at, id)` and filter by a half-open time range.
    pub async fn disclosures_pagination_and_time_range<F: StoreFactory>(factory: &F) {
        let fx = factory.fresh().await;
        let store = fx.store();
        let s = subject(&*store).await;
        let mut records: Vec<DisclosureRecord> =
            (0..25).map(|i| disclosure(s, "mp1", i / 2)).collect();
        store.record_disclosures(&records).await.unwrap();
        records.sort_by_key(|r| (r.disclosed_at, r.id));
        let mut q = DisclosureQuery::scope(DisclosureScope::Subject(s), 10);
        let mut seen = Vec::new();
        loop {
            let page = store.list_disclosures(&q).await.unwrap();
            if page.is_empty() {
                break;
            }
            assert!(page.len() <= 10);
            let last = page.last().unwrap();
            q.after = Some((last.disclosed_at, last.id));
            seen.extend(page);
        }
        assert_eq!(seen, records);
        let mut range = DisclosureQuery::scope(DisclosureScope::All, 100);
        range.from = Some(t(3));
        range.until = Some(t(5));
        let got = store.list_disclosures(&range).await.unwrap();
        assert_eq!(got.len(), 4);
        assert!(
            got.iter()
                .all(|r| r.disclosed_at >= t(3) && r.disclosed_at < t(5))
        );
    }

    /// DM-01: a disclosure can be recorded again (retry) but never changed.
    pub async fn disclosures_are_append_only<F: StoreFactory>(factory: &F) {
        let fx = factory.fresh().await;
        let store = fx.store();
        let s = subject(&*store).await;
        let a = disclosure(s, "mp1", 1);
        store.record_disclosure(&a).await.unwrap();
        store.record_disclosure(&a).await.unwrap();
        let mut changed = a.clone();
        changed.recipient = RecipientKey::new("mp2").unwrap();
        assert_append_only(store.record_disclosure(&changed).await, Entity::Disclosure);
        let listed = store
            .list_disclosures(&DisclosureQuery::scope(DisclosureScope::All, 10))
            .await
            .unwrap();
        assert_eq!(listed, vec![a]);
    }

    /// AUD-01: appends get consecutive sequence numbers from 1, and the head follows.
    pub async fn audit_append_assigns_consecutive_seqs<F: StoreFactory>(factory: &F) {
        let fx = factory.fresh().await;
        let store = fx.store();
        let s = subject(&*store).await;
        let batch: Vec<AuditEvent> = (0..5).map(|i| decision_event(Some(s), i)).collect();
        let seqs = store.append_audit(&batch).await.unwrap();
        assert_eq!(seqs, (1..=5).map(seq).collect::<Vec<_>>());
        let more = store
            .append_audit(&[decision_event(None, 9)])
            .await
            .unwrap();
        assert_eq!(more, vec![seq(6)]);
        assert!(store.append_audit(&[]).await.unwrap().is_empty());
        let head = store.audit_head().await.unwrap().unwrap();
        assert_eq!(head.seq, seq(6));
        let links = store.audit_links(None, 100).await.unwrap();
        assert_eq!(links.len(), 6);
        assert_eq!(links[0].prev_hash, Digest::ZERO);
        for w in links.windows(2) {
            assert_eq!(w[1].prev_hash, w[0].hash);
        }
        assert_eq!(links[5].hash, head.hash);
        let after = store.audit_links(Some(seq(4)), 1).await.unwrap();
        assert_eq!(after.len(), 1);
        assert_eq!(after[0].seq, seq(5));
    }

    /// Events come back exactly as appended (at microsecond precision), with their chain fields.
    pub async fn audit_round_trips_events<F: StoreFactory>(factory: &F) {
        let fx = factory.fresh().await;
        let store = fx.store();
        let s = subject(&*store).await;
        let mut e = decision_event(Some(s), 1);
        e.account = Some(AccountId::generate());
        e.actor = Actor::Subject(SubjectId::generate());
        e.jurisdiction = Some(Jurisdiction::new("US-CA").unwrap());
        e.refs = vec![EventRef {
            name: FieldName::new("request").unwrap(),
            id: uuid::Uuid::now_v7(),
        }];
        e.digests = vec![
            NamedDigest {
                name: FieldName::new("old_value").unwrap(),
                digest: Digest::sha256(b"old"),
            },
            NamedDigest {
                name: FieldName::new("new_value").unwrap(),
                digest: Digest::sha256(b"new"),
            },
        ];
        e.attributes = vec![Attribute {
            name: FieldName::new("jurisdiction_basis").unwrap(),
            value: AttrValue::new("declared").unwrap(),
        }];
        let system = AuditEvent::new(
            AuditKind::System,
            ActionKey::new("retention.sweep").unwrap(),
            Actor::System,
            t(2),
        );
        let seqs = store
            .append_audit(&[e.clone(), system.clone()])
            .await
            .unwrap();
        let entry = store.audit_event(e.id).await.unwrap();
        assert_eq!(entry.event, e);
        assert_eq!(entry.seq, seqs[0]);
        assert_eq!(entry.prev_hash, Digest::ZERO);
        let body = canonical::encode_event(&e).unwrap();
        assert_eq!(
            entry.hash,
            canonical::chain_hash(&Digest::ZERO, seqs[0], &body)
        );
        let link = &store.audit_links(None, 1).await.unwrap()[0];
        assert_eq!(link.body, body, "the stored body is the canonical encoding");
        assert_eq!(link.indexed, Some(canonical::index_of(&e)));
        assert_eq!(store.audit_event(system.id).await.unwrap().event, system);
    }

    /// Re-appending an event (a retry) returns its existing number; changing it is refused.
    pub async fn audit_append_is_idempotent_by_event_id<F: StoreFactory>(factory: &F) {
        let fx = factory.fresh().await;
        let store = fx.store();
        let a = decision_event(None, 1);
        let b = decision_event(None, 2);
        assert_eq!(
            store.append_audit(std::slice::from_ref(&a)).await.unwrap(),
            vec![seq(1)]
        );
        assert_eq!(
            store.append_audit(&[a.clone(), b.clone()]).await.unwrap(),
            vec![seq(1), seq(2)]
        );
        assert_eq!(
            store.append_audit(&[b.clone(), b.clone()]).await.unwrap(),
            vec![seq(2), seq(2)]
        );
        let mut changed = a.clone();
        changed.outcome = Some(Outcome {
            allow: true,
            reason: ReasonCode::new("OK").unwrap(),
        });
        let c = decision_event(None, 3);
        assert_append_only(
            store.append_audit(&[c.clone(), changed]).await,
            Entity::AuditEvent,
        );
        assert_not_found(store.audit_event(c.id).await, Entity::AuditEvent);
        assert_eq!(store.audit_head().await.unwrap().unwrap().seq, seq(2));
        assert_eq!(store.append_audit(&[c]).await.unwrap(), vec![seq(3)]);
        verify(&*store, &Signer::new()).await.unwrap();
    }

    /// Concurrent writers get distinct, gap-free numbers and the chain verifies.
    pub async fn audit_concurrent_appends_stay_contiguous<F: StoreFactory>(factory: &F) {
        let fx = factory.fresh().await;
        let store = fx.store();
        let mut tasks = Vec::new();
        for w in 0..8i64 {
            let store = Arc::clone(&store);
            tasks.push(tokio::spawn(async move {
                let mut seqs = Vec::new();
                for i in 0..25i64 {
                    let e = decision_event(None, w * 100 + i);
                    let batch = if i % 5 == 0 {
                        vec![e, decision_event(None, w * 100 + i)]
                    } else {
                        vec![e]
                    };
                    let got = store.append_audit(&batch).await.unwrap();
                    assert_eq!(got.len(), batch.len());
                    if got.len() == 2 {
                        assert_eq!(got[1].get(), got[0].get() + 1, "a batch is contiguous");
                    }
                    seqs.extend(got);
                }
                seqs
            }));
        }
        let mut all = BTreeSet::new();
        for task in tasks {
            for s in task.await.unwrap() {
                assert!(all.insert(s.get()), "sequence number {s} given twice");
            }
        }
        assert_eq!(all.len(), 8 * 30);
        assert_eq!(
            all.iter().copied().collect::<Vec<_>>(),
            (1..=240).collect::<Vec<_>>()
        );
        let report = verify(&*store, &Signer::new()).await.unwrap();
        assert_eq!(report.entries, 240);
    }

    /// A failed append that shares a transaction with others (group commit) leaves no gap
    /// and no broken link: the head seen by later appends is rolled back with it.
    pub async fn audit_failed_appends_in_a_busy_batch_leave_no_gap<F: StoreFactory>(factory: &F) {
        let fx = factory.fresh().await;
        let store = fx.store();
        let existing = decision_event(None, 0);
        store
            .append_audit(std::slice::from_ref(&existing))
            .await
            .unwrap();
        let mut changed = existing.clone();
        changed.rules.clear();
        let mut tasks = Vec::new();
        for i in 0..200i64 {
            let store = Arc::clone(&store);
            let changed = changed.clone();
            tasks.push(tokio::spawn(async move {
                if i % 3 == 0 {
                    // Appends a fresh event, then fails on the changed one: all or nothing.
                    let r = store
                        .append_audit(&[decision_event(None, i), changed])
                        .await;
                    assert!(matches!(r, Err(StoreError::AppendOnly(Entity::AuditEvent))));
                    0
                } else {
                    store
                        .append_audit(&[decision_event(None, i)])
                        .await
                        .unwrap()
                        .len()
                }
            }));
        }
        let mut ok = 0;
        for t in tasks {
            ok += t.await.unwrap();
        }
        let report = verify(&*store, &Signer::new()).await.unwrap();
        assert_eq!(report.entries as usize, ok + 1);
        assert_eq!(report.head.unwrap().seq.get() as usize, ok + 1);
    }

    /// A failing write among concurrent ones fails alone; the others are stored.
    pub async fn failed_writes_fail_alone<F: StoreFactory>(factory: &F) {
        let fx = factory.fresh().await;
        let store = fx.store();
        let s = subject(&*store).await;
        let mut tasks = Vec::new();
        for i in 0..200i64 {
            let store = Arc::clone(&store);
            tasks.push(tokio::spawn(async move {
                let who = if i % 4 == 0 { SubjectId::generate() } else { s };
                let c = choice(Party::Subject(who), "marketing:email", i % 2 == 0, i);
                (i % 4 == 0, store.append_choice(&c).await)
            }));
        }
        for t in tasks {
            match t.await.unwrap() {
                (true, r) => assert_not_found(r, Entity::Subject),
                (false, r) => r.unwrap(),
            }
        }
        assert_eq!(
            store
                .list_choices(&[Party::Subject(s)])
                .await
                .unwrap()
                .len(),
            150
        );
    }

    /// Queries by subject, kind and time range, paged by sequence number.
    pub async fn audit_query_by_subject_kind_time<F: StoreFactory>(factory: &F) {
        let fx = factory.fresh().await;
        let store = fx.store();
        let a = SubjectId::generate();
        let b = SubjectId::generate();
        let mut events = Vec::new();
        for i in 0..10i64 {
            let mut e = decision_event(Some(if i % 2 == 0 { a } else { b }), i);
            if i % 3 == 0 {
                e.kind = AuditKind::Read;
                e.outcome = None;
            }
            events.push(e);
        }
        events.push(decision_event(None, 10));
        store.append_audit(&events).await.unwrap();
        let mut q = AuditQuery::all(100);
        q.subject = Some(a);
        let got = store.query_audit(&q).await.unwrap();
        assert_eq!(
            got.iter().map(|e| e.seq.get()).collect::<Vec<_>>(),
            vec![1, 3, 5, 7, 9]
        );
        assert!(got.iter().all(|e| e.event.subject == Some(a)));
        q.kind = Some(AuditKind::Read);
        let got = store.query_audit(&q).await.unwrap();
        assert_eq!(
            got.iter().map(|e| e.seq.get()).collect::<Vec<_>>(),
            vec![1, 7]
        );
        let mut q = AuditQuery::all(100);
        q.from = Some(t(2));
        q.until = Some(t(5));
        let got = store.query_audit(&q).await.unwrap();
        assert_eq!(
            got.iter().map(|e| e.seq.get()).collect::<Vec<_>>(),
            vec![3, 4, 5]
        );
        let mut q = AuditQuery::all(4);
        q.after = Some(seq(8));
        let got = store.query_audit(&q).await.unwrap();
        assert_eq!(
            got.iter().map(|e| e.seq.get()).collect::<Vec<_>>(),
            vec![9, 10, 11]
        );
        assert_eq!(got[2].event, events[10]);
        let q = AuditQuery::all(3);
        assert_eq!(store.query_audit(&q).await.unwrap().len(), 3);
    }

    /// Checkpoints are checked against the chain, kept in order, and never replaced.
    pub async fn audit_checkpoints<F: StoreFactory>(factory: &F) {
        let fx = factory.fresh().await;
        let store = fx.store();
        let signer = Signer::new();
        audit_entries(&*store, 3).await;
        let cp3 = signer.checkpoint(&*store, t(100)).await;
        store.add_checkpoint(&cp3).await.unwrap();
        audit_entries(&*store, 2).await;
        let cp5 = signer.checkpoint(&*store, t(200)).await;
        assert_eq!(
            store.list_checkpoints().await.unwrap(),
            vec![
                StoredCheckpoint::Valid(cp3.clone()),
                StoredCheckpoint::Valid(cp5.clone())
            ]
        );
        let links = store.audit_links(None, 10).await.unwrap();
        let wrong = signer.sign(
            ChainHead {
                seq: seq(4),
                hash: links[2].hash,
            },
            t(300),
        );
        assert_conflict(
            store.add_checkpoint(&wrong).await,
            ConflictReason::CheckpointMismatch,
        );
        let beyond = signer.sign(
            ChainHead {
                seq: seq(6),
                hash: links[4].hash,
            },
            t(300),
        );
        assert_not_found(store.add_checkpoint(&beyond).await, Entity::AuditEvent);
        let resigned = signer.sign(
            ChainHead {
                seq: seq(3),
                hash: links[2].hash,
            },
            t(999),
        );
        assert_append_only(store.add_checkpoint(&resigned).await, Entity::Checkpoint);
        let report = verify(&*store, &signer).await.unwrap();
        assert_eq!(report.checkpoints, 2);
        assert_eq!(report.last_checkpoint, Some(seq(5)));
    }

    /// AUD-02: an untouched chain verifies end to end, signatures included.
    pub async fn audit_verify_intact_chain<F: StoreFactory>(factory: &F) {
        let fx = factory.fresh().await;
        let store = fx.store();
        let signer = Signer::new();
        let empty = verify(&*store, &signer).await.unwrap();
        assert_eq!(empty.entries, 0);
        audit_entries(&*store, 20).await;
        signer.checkpoint(&*store, t(100)).await;
        audit_entries(&*store, 15).await;
        let report = verify(&*store, &signer).await.unwrap();
        assert_eq!(report.entries, 35);
        assert_eq!(report.checkpoints, 1);
        assert_eq!(report.head, store.audit_head().await.unwrap());
        // A verifier that does not know the key refuses the checkpoint.
        let stranger = Signer::new();
        let other_key = stranger.verifier();
        match verify_log(&*store, &other_key, 100).await {
            Err(VerifyError::Broken(b)) => assert_eq!(b.kind, BreakKind::BadSignature),
            other => panic!("expected a bad signature, got {other:?}"),
        }
    }

    /// AUD-02 test: flip one byte of a stored event → verify names it.
    pub async fn tamper_edited_body_is_named<F: StoreFactory>(factory: &F) {
        let fx = factory.fresh().await;
        let store = fx.store();
        let signer = Signer::new();
        audit_entries(&*store, 12).await;
        fx.tamper(Tamper::FlipBodyBit {
            seq: seq(7),
            offset: 40,
        })
        .await;
        let b = expect_break(&*store, &signer).await;
        assert_eq!((b.seq, b.kind), (seq(7), BreakKind::Altered));
    }

    /// An edited entry whose own hash was recomputed is still named.
    pub async fn tamper_edited_and_rehashed_entry_is_named<F: StoreFactory>(factory: &F) {
        let fx = factory.fresh().await;
        let store = fx.store();
        let signer = Signer::new();
        audit_entries(&*store, 12).await;
        fx.tamper(Tamper::FlipBodyBitAndRehash {
            seq: seq(4),
            offset: 45,
        })
        .await;
        let b = expect_break(&*store, &signer).await;
        assert_eq!((b.seq, b.kind), (seq(4), BreakKind::Altered));
    }

    /// A deleted entry is named by its sequence number.
    pub async fn tamper_deleted_entry_is_named<F: StoreFactory>(factory: &F) {
        let fx = factory.fresh().await;
        let store = fx.store();
        let signer = Signer::new();
        audit_entries(&*store, 12).await;
        fx.tamper(Tamper::DeleteEntry { seq: seq(9) }).await;
        let b = expect_break(&*store, &signer).await;
        assert_eq!((b.seq, b.kind), (seq(9), BreakKind::Removed));
    }

    /// Two swapped entries: the first misplaced one is named.
    pub async fn tamper_swapped_entries_are_named<F: StoreFactory>(factory: &F) {
        let fx = factory.fresh().await;
        let store = fx.store();
        let signer = Signer::new();
        audit_entries(&*store, 12).await;
        fx.tamper(Tamper::SwapEntries {
            a: seq(3),
            b: seq(10),
        })
        .await;
        let b = expect_break(&*store, &signer).await;
        assert_eq!((b.seq, b.kind), (seq(3), BreakKind::Reordered));
    }

    /// Entries deleted from the tail are caught by the checkpoint that covered them.
    pub async fn tamper_truncated_tail_is_named<F: StoreFactory>(factory: &F) {
        let fx = factory.fresh().await;
        let store = fx.store();
        let signer = Signer::new();
        audit_entries(&*store, 12).await;
        signer.checkpoint(&*store, t(100)).await;
        fx.tamper(Tamper::DeleteFrom { seq: seq(10) }).await;
        let b = expect_break(&*store, &signer).await;
        assert_eq!((b.seq, b.kind), (seq(10), BreakKind::Removed));
    }

    /// A consistent rewrite (every later hash recomputed) is caught by a signed checkpoint.
    pub async fn tamper_consistent_rewrite_is_caught_by_a_checkpoint<F: StoreFactory>(factory: &F) {
        let fx = factory.fresh().await;
        let store = fx.store();
        let signer = Signer::new();
        audit_entries(&*store, 5).await;
        signer.checkpoint(&*store, t(100)).await;
        audit_entries(&*store, 5).await;
        signer.checkpoint(&*store, t(200)).await;
        audit_entries(&*store, 3).await;
        fx.tamper(Tamper::RewriteFrom {
            seq: seq(7),
            offset: 40,
        })
        .await;
        let b = expect_break(&*store, &signer).await;
        assert_eq!(
            (b.seq, b.kind),
            (
                seq(10),
                BreakKind::CheckpointMismatch {
                    since: Some(seq(5))
                }
            )
        );
    }

    /// Editing an index column (the body untouched) is tampering too.
    pub async fn tamper_edited_index_column_is_named<F: StoreFactory>(factory: &F) {
        let fx = factory.fresh().await;
        let store = fx.store();
        let signer = Signer::new();
        audit_entries(&*store, 6).await;
        fx.tamper(Tamper::SetSubjectColumn {
            seq: seq(2),
            subject: Some([0x42; 16]),
        })
        .await;
        let b = expect_break(&*store, &signer).await;
        assert_eq!((b.seq, b.kind), (seq(2), BreakKind::Altered));
        let fx = factory.fresh().await;
        let store = fx.store();
        audit_entries(&*store, 6).await;
        fx.tamper(Tamper::SetSubjectColumn {
            seq: seq(5),
            subject: None,
        })
        .await;
        let b = expect_break(&*store, &signer).await;
        assert_eq!((b.seq, b.kind), (seq(5), BreakKind::Altered));
    }

    /// A checkpoint row whose columns do not decode is tampering, named by its entry — not a
    /// failure to read the log.
    pub async fn tamper_malformed_checkpoint_is_named<F: StoreFactory>(factory: &F) {
        for column in [
            CheckpointColumn::EmptySignature,
            CheckpointColumn::LongSignature,
            CheckpointColumn::HeadHash,
            CheckpointColumn::KeyId,
        ] {
            let fx = factory.fresh().await;
            let store = fx.store();
            let signer = Signer::new();
            audit_entries(&*store, 4).await;
            signer.checkpoint(&*store, t(100)).await;
            audit_entries(&*store, 4).await;
            signer.checkpoint(&*store, t(200)).await;
            fx.tamper(Tamper::MalformCheckpoint {
                seq: seq(4),
                column,
            })
            .await;
            let rows = store.list_checkpoints().await.unwrap();
            assert_eq!(rows.len(), 2, "{column:?}: every row is listed");
            assert_eq!(
                rows[0],
                StoredCheckpoint::Malformed {
                    seq: seq(4),
                    column: column.column()
                }
            );
            let b = expect_break(&*store, &signer).await;
            assert_eq!(
                (b.seq, b.kind),
                (
                    seq(4),
                    BreakKind::MalformedCheckpoint {
                        column: column.column()
                    }
                ),
                "{column:?}"
            );
        }
    }

    /// Deleting the newest entries together with the checkpoints that covered them leaves a
    /// consistent, shorter log; the signed head kept outside the database still names the
    /// first missing entry.
    pub async fn tamper_truncation_with_its_checkpoints_is_caught_by_the_signed_head<
        F: StoreFactory,
    >(
        factory: &F,
    ) {
        let fx = factory.fresh().await;
        let store = fx.store();
        let signer = Signer::new();
        audit_entries(&*store, 5).await;
        signer.checkpoint(&*store, t(100)).await;
        audit_entries(&*store, 5).await;
        let outside = signer.checkpoint(&*store, t(200)).await;
        audit_entries(&*store, 2).await;
        let with_head = VerifyOptions {
            page_size: 7,
            signed_head: Some(outside.clone()),
            max_unsigned: Some(100),
        };
        let intact = verify_log_with(&*store, &signer.verifier(), &with_head)
            .await
            .unwrap();
        assert_eq!(intact.signed_head, Some(seq(10)));
        assert_eq!(intact.unsigned, 2, "entries 11 and 12 are not signed yet");
        fx.tamper(Tamper::DeleteFrom { seq: seq(8) }).await;
        fx.tamper(Tamper::DeleteCheckpointsFrom { seq: seq(6) })
            .await;
        // Without the outside copy the shorter log is indistinguishable from a younger one.
        let blind = verify(&*store, &signer).await.unwrap();
        assert_eq!((blind.entries, blind.checkpoints), (7, 1));
        match verify_log_with(&*store, &signer.verifier(), &with_head).await {
            Err(VerifyError::Broken(b)) => {
                assert_eq!((b.seq, b.kind), (seq(8), BreakKind::Removed));
            }
            other => panic!("expected the truncation to be named, got {other:?}"),
        }
        // A forged outside copy is refused as such.
        let mut forged = outside;
        forged.head_hash = Digest([7; 32]);
        match verify_log_with(
            &*store,
            &signer.verifier(),
            &VerifyOptions {
                signed_head: Some(forged),
                ..with_head
            },
        )
        .await
        {
            Err(VerifyError::Broken(b)) => {
                assert_eq!((b.seq, b.kind), (seq(10), BreakKind::BadSignature));
            }
            other => panic!("expected a bad signature, got {other:?}"),
        }
    }

    /// Deleting checkpoints (some or all) while leaving the entries is caught by the signed
    /// head kept outside the database.
    pub async fn tamper_deleted_checkpoints_are_caught_by_the_signed_head<F: StoreFactory>(
        factory: &F,
    ) {
        let fx = factory.fresh().await;
        let store = fx.store();
        let signer = Signer::new();
        audit_entries(&*store, 6).await;
        let outside = signer.checkpoint(&*store, t(100)).await;
        audit_entries(&*store, 3).await;
        fx.tamper(Tamper::DeleteCheckpointsFrom {
            seq: AuditSeq::FIRST,
        })
        .await;
        let options = VerifyOptions {
            page_size: 4,
            signed_head: Some(outside),
            max_unsigned: None,
        };
        match verify_log_with(&*store, &signer.verifier(), &options).await {
            Err(VerifyError::Broken(b)) => {
                assert_eq!((b.seq, b.kind), (seq(6), BreakKind::CheckpointRemoved));
                assert!(b.to_string().contains("entry 6"), "{b}");
            }
            other => panic!("expected the deleted checkpoint to be named, got {other:?}"),
        }
    }

    /// A log with no checkpoint at all past the limit is an error, not "ok, 0 checkpoints";
    /// under the limit it verifies and says how many entries are unsigned.
    pub async fn tamper_unsigned_log_over_the_limit_is_refused<F: StoreFactory>(factory: &F) {
        let fx = factory.fresh().await;
        let store = fx.store();
        let signer = Signer::new();
        audit_entries(&*store, 8).await;
        signer.checkpoint(&*store, t(100)).await;
        audit_entries(&*store, 4).await;
        let limit = |n| VerifyOptions {
            page_size: 5,
            signed_head: None,
            max_unsigned: Some(n),
        };
        let r = verify_log_with(&*store, &signer.verifier(), &limit(5))
            .await
            .unwrap();
        assert_eq!((r.entries, r.checkpoints, r.unsigned), (12, 1, 4));
        fx.tamper(Tamper::DeleteCheckpointsFrom {
            seq: AuditSeq::FIRST,
        })
        .await;
        match verify_log_with(&*store, &signer.verifier(), &limit(5)).await {
            Err(VerifyError::Broken(b)) => assert_eq!(
                (b.seq, b.kind),
                (
                    AuditSeq::FIRST,
                    BreakKind::Unsigned {
                        entries: 12,
                        limit: 5
                    }
                )
            ),
            other => panic!("expected an unsigned log to be refused, got {other:?}"),
        }
        let under = verify_log_with(&*store, &signer.verifier(), &limit(20))
            .await
            .unwrap();
        assert_eq!((under.checkpoints, under.unsigned), (0, 12));
    }

    fn choice_event(entry: &ChoiceEntry, i: i64) -> AuditEvent {
        let mut e = decision_event(None, i);
        e.kind = AuditKind::Choice;
        e.action = ActionKey::new("choice.record").unwrap();
        if let Party::Subject(s) = entry.party {
            e.subject = Some(s);
        }
        e.refs = vec![EventRef {
            name: FieldName::new("choice").unwrap(),
            id: entry.id.as_uuid(),
        }];
        e
    }

    /// AUD-01: an audited write and its entries commit together; the entries are chained
    /// when the call returns (no intent is left pending), for choices, items and disclosures.
    pub async fn audited_writes_commit_with_their_entries<F: StoreFactory>(factory: &F) {
        let fx = factory.fresh().await;
        let store = fx.store();
        let signer = Signer::new();
        let s = subject(&*store).await;
        audit_entries(&*store, 2).await;
        let entries = vec![
            choice(Party::Subject(s), "sale_opt_out", true, 1),
            choice(Party::Subject(s), "marketing:email", false, 2),
        ];
        let events: Vec<AuditEvent> = entries
            .iter()
            .enumerate()
            .map(|(i, c)| choice_event(c, i as i64))
            .collect();
        store
            .write_audited(&AuditedWrite::AppendChoices(entries.clone()), &events)
            .await
            .unwrap();
        assert_eq!(
            store
                .list_choices(&[Party::Subject(s)])
                .await
                .unwrap()
                .len(),
            2
        );
        let mut seqs = Vec::new();
        for e in &events {
            let entry = store.audit_event(e.id).await.unwrap();
            assert_eq!(entry.event, *e);
            seqs.push(entry.seq);
        }
        assert_eq!(
            seqs,
            vec![seq(3), seq(4)],
            "chained after the existing head, in order"
        );
        assert_eq!(store.pending_audit_intents().await.unwrap(), 0);

        let it = item(s, "email", "ciphertext", 3);
        let mut ev = decision_event(Some(s), 3);
        ev.kind = AuditKind::Write;
        store
            .write_audited(
                &AuditedWrite::PutItems(vec![it.clone()]),
                std::slice::from_ref(&ev),
            )
            .await
            .unwrap();
        store.get_item(it.id).await.unwrap();
        assert_eq!(store.audit_event(ev.id).await.unwrap().seq, seq(5));

        let d = disclosure(s, "mp1", 4);
        let dev = decision_event(Some(s), 4);
        store
            .write_audited(
                &AuditedWrite::RecordDisclosures(vec![d.clone()]),
                std::slice::from_ref(&dev),
            )
            .await
            .unwrap();
        assert_eq!(store.audit_event(dev.id).await.unwrap().seq, seq(6));
        assert_eq!(store.chain_audit_intents().await.unwrap(), 0);
        let report = verify(&*store, &signer).await.unwrap();
        assert_eq!((report.entries, report.pending_intents), (6, 0));
    }

    /// A refused write writes neither the data nor the entries; a refused entry (an event id
    /// reused for other content) writes neither the entry nor the data.
    pub async fn audited_write_that_fails_writes_nothing<F: StoreFactory>(factory: &F) {
        let fx = factory.fresh().await;
        let store = fx.store();
        let s = subject(&*store).await;
        // Unknown subject.
        let ghost = choice(Party::Subject(SubjectId::generate()), "gpc", true, 0);
        let ev = choice_event(&ghost, 0);
        assert_not_found(
            store
                .write_audited(
                    &AuditedWrite::AppendChoices(vec![ghost]),
                    std::slice::from_ref(&ev),
                )
                .await,
            Entity::Subject,
        );
        assert_not_found(store.audit_event(ev.id).await, Entity::AuditEvent);
        // A choice id reused for other content.
        let first = choice(Party::Subject(s), "gpc", true, 1);
        store.append_choice(&first).await.unwrap();
        let mut changed = first.clone();
        changed.value = false;
        let ev = choice_event(&changed, 1);
        assert_append_only(
            store
                .write_audited(
                    &AuditedWrite::AppendChoices(vec![changed]),
                    std::slice::from_ref(&ev),
                )
                .await,
            Entity::Choice,
        );
        assert_not_found(store.audit_event(ev.id).await, Entity::AuditEvent);
        // An item for an unknown subject.
        let ghost_item = item(SubjectId::generate(), "email", "x", 2);
        let ev = decision_event(None, 2);
        assert_not_found(
            store
                .write_audited(
                    &AuditedWrite::PutItems(vec![ghost_item.clone()]),
                    std::slice::from_ref(&ev),
                )
                .await,
            Entity::Subject,
        );
        assert_not_found(store.audit_event(ev.id).await, Entity::AuditEvent);
        // An event id already stored with another body: the write is not kept either.
        let stored = decision_event(Some(s), 3);
        store
            .append_audit(std::slice::from_ref(&stored))
            .await
            .unwrap();
        let mut reused = decision_event(Some(s), 4);
        reused.id = stored.id;
        let fresh = choice(Party::Subject(s), "sale_opt_out", true, 4);
        let r = store
            .write_audited(&AuditedWrite::AppendChoices(vec![fresh.clone()]), &[reused])
            .await;
        assert!(r.is_err(), "a reused event id is refused: {r:?}");
        let listed = store.list_choices(&[Party::Subject(s)]).await.unwrap();
        assert!(
            listed.iter().all(|c| c.id != fresh.id),
            "the choice of a refused audited write is not kept"
        );
        assert_eq!(store.pending_audit_intents().await.unwrap(), 0);
        assert_eq!(
            store.audit_head().await.unwrap().map(|h| h.seq),
            Some(seq(1))
        );
        verify(&*store, &Signer::new()).await.unwrap();
    }

    /// Retrying an audited write with the same records and events changes nothing.
    pub async fn audited_writes_are_idempotent<F: StoreFactory>(factory: &F) {
        let fx = factory.fresh().await;
        let store = fx.store();
        let s = subject(&*store).await;
        let c = choice(Party::Subject(s), "gpc", true, 0);
        let ev = choice_event(&c, 0);
        let write = AuditedWrite::AppendChoices(vec![c]);
        store
            .write_audited(&write, std::slice::from_ref(&ev))
            .await
            .unwrap();
        let head = store.audit_head().await.unwrap();
        store
            .write_audited(&write, std::slice::from_ref(&ev))
            .await
            .unwrap();
        assert_eq!(store.audit_head().await.unwrap(), head);
        assert_eq!(
            store
                .list_choices(&[Party::Subject(s)])
                .await
                .unwrap()
                .len(),
            1
        );
        // No events: a plain write.
        let quiet = choice(Party::Subject(s), "sale_opt_out", true, 1);
        store
            .write_audited(&AuditedWrite::AppendChoices(vec![quiet]), &[])
            .await
            .unwrap();
        assert_eq!(store.audit_head().await.unwrap(), head);
    }

    /// Many concurrent audited writes and plain appends: every entry chained once, the chain
    /// contiguous and verified, nothing left pending.
    pub async fn audited_writes_concurrently_stay_contiguous<F: StoreFactory>(factory: &F) {
        let fx = factory.fresh().await;
        let store = fx.store();
        let s = subject(&*store).await;
        let mut tasks = Vec::new();
        for w in 0..16i64 {
            let store = Arc::clone(&store);
            tasks.push(tokio::spawn(async move {
                let mut ids = Vec::new();
                for i in 0..10i64 {
                    let n = w * 100 + i;
                    if i % 3 == 2 {
                        let e = decision_event(Some(s), n);
                        store.append_audit(std::slice::from_ref(&e)).await.unwrap();
                        ids.push(e.id);
                    } else {
                        let c = choice(Party::Subject(s), "gpc", i % 2 == 0, n);
                        let e = choice_event(&c, n);
                        store
                            .write_audited(
                                &AuditedWrite::AppendChoices(vec![c]),
                                std::slice::from_ref(&e),
                            )
                            .await
                            .unwrap();
                        ids.push(e.id);
                    }
                }
                ids
            }));
        }
        let mut seqs = BTreeSet::new();
        for t in tasks {
            for id in t.await.unwrap() {
                assert!(seqs.insert(store.audit_event(id).await.unwrap().seq.get()));
            }
        }
        assert_eq!(seqs.len(), 160);
        assert_eq!(
            seqs.iter().copied().collect::<Vec<_>>(),
            (1..=160).collect::<Vec<_>>()
        );
        assert_eq!(store.pending_audit_intents().await.unwrap(), 0);
        let r = verify(&*store, &Signer::new()).await.unwrap();
        assert_eq!(r.entries, 160);
    }

    /// CHG-01: policy texts are versioned objects with an effective date, a content hash and a
    /// change summary; recording a text again (a restart, another replica) changes nothing.
    pub async fn policy_versions_recorded_once_by_hash_newest_first<F: StoreFactory>(factory: &F) {
        use crate::model::policy_version::NewPolicyVersion;
        let fx = factory.fresh().await;
        let store = fx.store();
        assert!(store.list_policy_versions().await.unwrap().is_empty());
        assert!(store.get_policy_version("1").await.unwrap().is_none());
        let v = |version: &str, text: &str, at: i64, material: bool| NewPolicyVersion {
            version: version.to_owned(),
            effective: "2020-01-17".to_owned(),
            sha256: Digest::sha256(text.as_bytes()),
            text: text.to_owned(),
            recorded_at: t(at),
            changes: if material {
                r#"[{"kind":"purpose"}]"#
            } else {
                "[]"
            }
            .to_owned(),
            material,
        };
        let first = store
            .record_policy_version(&v("1", "policy one\n", 0, false))
            .await
            .unwrap();
        assert_eq!(first.version, "1");
        assert_eq!(first.text, "policy one\n");
        assert_eq!(first.sha256, Digest::sha256(b"policy one\n"));
        assert_eq!(first.recorded_at, t(0));
        assert!(!first.material);
        // The same text again, later and with another summary: the first record stays.
        let again = store
            .record_policy_version(&v("1", "policy one\n", 50, true))
            .await
            .unwrap();
        assert_eq!(again, first);
        let second = store
            .record_policy_version(&v("2", "policy two — ünïcode\n", 100, true))
            .await
            .unwrap();
        assert!(second.seq > first.seq);
        assert!(second.material);
        assert_eq!(second.changes, r#"[{"kind":"purpose"}]"#);
        // A third text that reuses version string "1" (an edit without a bump).
        let third = store
            .record_policy_version(&v("1", "policy one, edited\n", 200, false))
            .await
            .unwrap();
        let all = store.list_policy_versions().await.unwrap();
        assert_eq!(all, vec![third.clone(), second.clone(), first.clone()]);
        assert_eq!(store.get_policy_version("2").await.unwrap(), Some(second));
        assert_eq!(store.get_policy_version("1").await.unwrap(), Some(third));
        assert!(store.get_policy_version("3").await.unwrap().is_none());
    }

    /// CHG-02, SCOPE-06: an item keeps the policy version in force when it was collected.
    /// CHG-03, CHG-04: a material version's notice is queued once per affected subject (live
    /// data in a changed category, or a choice on a changed key), claimed under a lease by one
    /// worker at a time, and marked sent once; a subject told in the privacy center without
    /// having been queued gets a row too.
    pub async fn items_carry_their_policy_version_and_change_notices_queue_once<F: StoreFactory>(
        factory: &F,
    ) {
        use crate::model::policy_version::{NoticeAudience, PolicyNoticeCount};
        let fx = factory.fresh().await;
        let store = fx.store();
        let holder = subject(&*store).await;
        let chooser = subject(&*store).await;
        let erased_only = subject(&*store).await;
        let bystander = subject(&*store).await;
        let mut v1 = item(holder, "chat_transcript", "hello", 1);
        v1.policy_version = Some(PolicyVersion::new("v1").unwrap());
        let legacy = item(holder, "email", "a@example.com", 1);
        let gone = item(erased_only, "chat_transcript", "bye", 1);
        store
            .put_items(&[v1.clone(), legacy.clone(), gone.clone()])
            .await
            .unwrap();
        assert_eq!(
            store.get_item(v1.id).await.unwrap().policy_version,
            Some(PolicyVersion::new("v1").unwrap())
        );
        assert_eq!(
            store.get_item(legacy.id).await.unwrap().policy_version,
            None
        );
        // Same id, same content but another version: not the same item.
        let mut other = v1.clone();
        other.policy_version = Some(PolicyVersion::new("v2").unwrap());
        assert_conflict(
            store.put_item(&other).await,
            ConflictReason::DifferentContent,
        );
        assert!(store.erase_item(gone.id, t(2)).await.unwrap());
        store
            .append_choice(&choice(
                Party::Subject(chooser),
                "consent:purpose:ai_training",
                true,
                2,
            ))
            .await
            .unwrap();
        store
            .append_choice(&choice(Party::Subject(bystander), "sale_opt_out", true, 2))
            .await
            .unwrap();
        let hash = Digest::sha256(b"policy v2");
        let audience = NoticeAudience {
            version: "v2".to_owned(),
            notice_hash: hash,
            categories: vec![CategoryKey::new("chat_transcript").unwrap()],
            choice_keys: vec![ChoiceKey::new("consent:purpose:ai_training").unwrap()],
            at: t(10),
        };
        assert_eq!(store.queue_policy_notices(&audience).await.unwrap(), 2);
        assert_eq!(
            store.queue_policy_notices(&audience).await.unwrap(),
            0,
            "once per person per version"
        );
        assert!(
            store
                .policy_notices_of(erased_only)
                .await
                .unwrap()
                .is_empty()
        );
        assert!(store.policy_notices_of(bystander).await.unwrap().is_empty());
        let mine = store.policy_notices_of(holder).await.unwrap();
        assert_eq!(mine.len(), 1);
        assert_eq!(mine[0].version, "v2");
        assert_eq!(mine[0].notice_hash, hash);
        assert_eq!(mine[0].queued_at, t(10));
        assert_eq!(mine[0].sent_at, None);

        // Claimed under a lease: a second worker gets nothing until it runs out.
        let claimed = store.claim_policy_notices(t(20), t(80), 10).await.unwrap();
        assert_eq!(claimed.len(), 2);
        assert!(claimed.iter().all(|n| n.lease_until == Some(t(80))));
        assert!(
            store
                .claim_policy_notices(t(30), t(90), 10)
                .await
                .unwrap()
                .is_empty()
        );
        assert!(
            store
                .mark_policy_notice_sent(holder, "v2", &hash, t(40))
                .await
                .unwrap()
        );
        assert!(
            !store
                .mark_policy_notice_sent(holder, "v2", &hash, t(45))
                .await
                .unwrap(),
            "sent once; the first time stays"
        );
        // The chooser's lease ran out unsent: claimable again; the holder's is done.
        let again = store.claim_policy_notices(t(80), t(140), 10).await.unwrap();
        assert_eq!(again.len(), 1);
        assert_eq!(again[0].subject, chooser);
        let mine = store.policy_notices_of(holder).await.unwrap();
        assert_eq!(mine[0].sent_at, Some(t(40)));
        // Shown in the privacy center without having been queued.
        assert!(
            store
                .mark_policy_notice_sent(bystander, "v2", &hash, t(50))
                .await
                .unwrap()
        );
        let b = store.policy_notices_of(bystander).await.unwrap();
        assert_eq!(b.len(), 1);
        assert_eq!(b[0].sent_at, Some(t(50)));
        assert_eq!(b[0].queued_at, t(50));

        // The counts per version: holder (sent), chooser (queued), bystander (shown).
        let v2 = PolicyNoticeCount {
            version: "v2".to_owned(),
            queued: 3,
            sent: 2,
        };
        assert_eq!(
            store.policy_notice_counts(None).await.unwrap(),
            std::slice::from_ref(&v2)
        );
        assert_eq!(
            store.policy_notice_counts(Some("v2")).await.unwrap(),
            std::slice::from_ref(&v2)
        );
        assert!(
            store
                .policy_notice_counts(Some("v3"))
                .await
                .unwrap()
                .is_empty()
        );
        assert!(
            store
                .mark_policy_notice_sent(holder, "v1", &hash, t(60))
                .await
                .unwrap()
        );
        let v1 = PolicyNoticeCount {
            version: "v1".to_owned(),
            queued: 1,
            sent: 1,
        };
        assert_eq!(store.policy_notice_counts(None).await.unwrap(), [v1, v2]);
    }

    /// One-time tokens are spent once across concurrent callers (the first spend wins), are
    /// kept until they expire and purged after; failure counters count every concurrent
    /// failure once, restart after their window and are forgotten on success.
    pub async fn web_tokens_spent_once_and_failures_counted<F: StoreFactory>(factory: &F) {
        let fx = factory.fresh().await;
        let store = fx.store();
        let token = Digest::sha256(b"csrf token 1");
        let mut tasks = Vec::new();
        for _ in 0..8 {
            let store = Arc::clone(&store);
            tasks.push(tokio::spawn(async move {
                store.spend_token(&token, t(3600), t(10)).await.unwrap()
            }));
        }
        let mut firsts = 0;
        for task in tasks {
            firsts += usize::from(task.await.unwrap());
        }
        assert_eq!(firsts, 1, "exactly one concurrent spend wins");
        assert!(!store.spend_token(&token, t(3600), t(3599)).await.unwrap());
        let other = Digest::sha256(b"csrf token 2");
        assert!(store.spend_token(&other, t(3600), t(20)).await.unwrap());
        // Expired at `now`: purged on the way, so the (no longer acceptable) token is new.
        assert!(
            store.spend_token(&token, t(9000), t(3600)).await.unwrap(),
            "an expired record is purged"
        );

        let key = Digest::sha256(b"browser 1");
        let mut tasks = Vec::new();
        for i in 0..10i64 {
            let store = Arc::clone(&store);
            tasks.push(tokio::spawn(async move {
                store
                    .count_failure(&key, t(100 + i), t(0))
                    .await
                    .unwrap()
                    .count
            }));
        }
        let mut counts = BTreeSet::new();
        for task in tasks {
            assert!(counts.insert(task.await.unwrap()), "a count given twice");
        }
        assert_eq!(counts, (1..=10).collect::<BTreeSet<u32>>());
        let f = store.failures(&key, t(0)).await.unwrap().unwrap();
        assert_eq!(f.count, 10);
        assert_eq!(f.last_at, t(109));
        assert_eq!(
            store.failures(&key, t(110)).await.unwrap(),
            None,
            "nothing inside a later window"
        );
        let restarted = store.count_failure(&key, t(5000), t(1400)).await.unwrap();
        assert_eq!(restarted.count, 1, "the window restarted");
        let other = Digest::sha256(b"browser 2");
        store.count_failure(&other, t(5000), t(1400)).await.unwrap();
        assert_eq!(
            store
                .count_failure(&other, t(5001), t(1400))
                .await
                .unwrap()
                .count,
            2
        );
        store.clear_failures(&other).await.unwrap();
        assert_eq!(store.failures(&other, t(0)).await.unwrap(), None);
        assert_eq!(
            store.failures(&key, t(0)).await.unwrap().map(|f| f.count),
            Some(1),
            "clearing one key leaves the others"
        );
    }

    /// Server-side sessions: created idempotently, used while live, ended by sign-out (every
    /// copy of the token at once), by their absolute expiry and by their idle limit; all of a
    /// subject's sessions can be ended; ended ones are purged.
    pub async fn sessions_expire_end_and_are_revoked_everywhere<F: StoreFactory>(factory: &F) {
        use crate::model::session::{NewSession, SessionKind};
        let fx = factory.fresh().await;
        let store = fx.store();
        let s = subject(&*store).await;
        let key = api_key("svc:console", "console-secret", &["dsr"], 0);
        store.create_api_key(&key).await.unwrap();
        let session = |token: &str, kind, subject, api_key, idle| NewSession {
            id: Digest::sha256(token.as_bytes()),
            kind,
            subject,
            api_key,
            binding: Digest::sha256(b"browser-1"),
            created_at: t(0),
            expires_at: t(3600),
            idle_secs: idle,
        };
        let center = session(
            "center-token",
            SessionKind::PrivacyCenter,
            Some(s),
            None,
            None,
        );
        store.create_session(&center).await.unwrap();
        store.create_session(&center).await.unwrap();
        let mut other = center.clone();
        other.subject = None;
        assert_conflict(
            store.create_session(&other).await,
            ConflictReason::DifferentContent,
        );
        let mut ghost = session("ghost", SessionKind::PrivacyCenter, None, None, None);
        ghost.subject = Some(SubjectId::generate());
        assert_not_found(store.create_session(&ghost).await, Entity::Subject);
        let mut ghost_key = session("ghost-key", SessionKind::Console, None, None, None);
        ghost_key.api_key = Some(ApiKeyId::generate());
        assert_not_found(store.create_session(&ghost_key).await, Entity::ApiKey);

        let got = store.get_session(&center.id).await.unwrap().unwrap();
        assert_eq!(
            (got.kind, got.subject, got.binding, got.last_seen_at),
            (SessionKind::PrivacyCenter, Some(s), center.binding, t(0))
        );
        assert!(got.is_live(t(10)));
        let used = store
            .touch_session(&center.id, t(60))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(used.last_seen_at, t(60));
        // Never backwards.
        let old = store
            .touch_session(&center.id, t(30))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(old.last_seen_at, t(60));
        // Absolute expiry.
        assert!(
            store
                .touch_session(&center.id, t(3600))
                .await
                .unwrap()
                .is_none()
        );
        assert!(
            store
                .get_session(&Digest::sha256(b"unknown"))
                .await
                .unwrap()
                .is_none()
        );
        assert!(
            store
                .touch_session(&Digest::sha256(b"unknown"), t(1))
                .await
                .unwrap()
                .is_none()
        );

        // Idle limit (console).
        let console = session(
            "console-token",
            SessionKind::Console,
            None,
            Some(key.id),
            Some(600),
        );
        store.create_session(&console).await.unwrap();
        assert!(
            store
                .touch_session(&console.id, t(500))
                .await
                .unwrap()
                .is_some()
        );
        assert!(
            store
                .touch_session(&console.id, t(1000))
                .await
                .unwrap()
                .is_some()
        );
        assert!(
            store
                .touch_session(&console.id, t(1601))
                .await
                .unwrap()
                .is_none(),
            "idle for more than 600 s"
        );
        assert_eq!(
            store
                .get_session(&console.id)
                .await
                .unwrap()
                .unwrap()
                .api_key,
            Some(key.id)
        );

        // Sign-out ends the session for every copy of the token.
        let second = session(
            "second-token",
            SessionKind::PrivacyCenter,
            Some(s),
            None,
            None,
        );
        store.create_session(&second).await.unwrap();
        assert!(store.revoke_session(&second.id, t(100)).await.unwrap());
        assert!(!store.revoke_session(&second.id, t(200)).await.unwrap());
        let ended = store.get_session(&second.id).await.unwrap().unwrap();
        assert_eq!(ended.revoked_at, Some(t(100)), "the first time stays");
        assert!(!ended.is_live(t(101)));
        assert!(
            store
                .touch_session(&second.id, t(101))
                .await
                .unwrap()
                .is_none()
        );
        assert!(
            !store
                .revoke_session(&Digest::sha256(b"none"), t(1))
                .await
                .unwrap()
        );

        // Every session of a subject.
        let third = session(
            "third-token",
            SessionKind::PrivacyCenter,
            Some(s),
            None,
            None,
        );
        let fourth = session(
            "fourth-token",
            SessionKind::PrivacyCenter,
            Some(s),
            None,
            None,
        );
        store.create_session(&third).await.unwrap();
        store.create_session(&fourth).await.unwrap();
        assert_eq!(store.revoke_sessions_of(s, t(300)).await.unwrap(), 3);
        assert!(
            store
                .touch_session(&third.id, t(301))
                .await
                .unwrap()
                .is_none()
        );
        assert!(
            store
                .touch_session(&fourth.id, t(301))
                .await
                .unwrap()
                .is_none()
        );

        // Purge what ended before a time.
        assert_eq!(
            store.purge_sessions(t(250)).await.unwrap(),
            1,
            "revoked at 100"
        );
        assert!(store.get_session(&second.id).await.unwrap().is_none());
        assert!(store.get_session(&third.id).await.unwrap().is_some());
        assert_eq!(store.purge_sessions(t(7200)).await.unwrap(), 4);
    }

    /// AUD-04: no plaintext personal data anywhere in the stored bytes.
    pub async fn no_plaintext_in_raw_storage<F: StoreFactory>(factory: &F) {
        let fx = factory.fresh().await;
        let store = fx.store();
        let email = "carol.plaintext-marker@example.com";
        let phone = "+1-555-0199-7777";
        let name = "Carol Markerton-Plaintext";
        let cookie = "cookie-plaintext-marker-42";
        let s = subject(&*store).await;
        store
            .attach_identity(&link(s, token(IdentityKind::Email, email), 1))
            .await
            .unwrap();
        store
            .attach_identity(&link(s, token(IdentityKind::Phone, phone), 1))
            .await
            .unwrap();
        store
            .attach_identity(&link(s, token(IdentityKind::Cookie, cookie), 1))
            .await
            .unwrap();
        let items = [
            item(s, "email", email, 2),
            item(s, "phone", phone, 2),
            item(s, "name", name, 2),
        ];
        store.put_items(&items).await.unwrap();
        store
            .append_choice(&choice(
                Party::Identity(token(IdentityKind::Email, email)),
                "marketing:email",
                true,
                3,
            ))
            .await
            .unwrap();
        let mut e = decision_event(Some(s), 4);
        e.digests = vec![NamedDigest {
            name: FieldName::new("new_value").unwrap(),
            digest: Digest::sha256(email.as_bytes()),
        }];
        store.append_audit(&[e]).await.unwrap();
        store
            .record_disclosure(&disclosure(s, "mp1", 5))
            .await
            .unwrap();
        let Some(raw) = fx.raw_bytes().await else {
            return;
        };
        let contains = |needle: &[u8]| raw.windows(needle.len()).any(|w| w == needle);
        // The scan sees the data we wrote (so a miss below means something).
        assert!(
            contains(items[0].value.as_bytes()),
            "the raw bytes must include the stored ciphertext"
        );
        for marker in [email, phone, name, cookie, "plaintext-marker"] {
            assert!(
                !contains(marker.as_bytes()),
                "plaintext `{marker}` found in the stored bytes"
            );
        }
    }

    /// An acknowledged write is there after the store is closed and opened again.
    pub async fn acknowledged_writes_survive_reopen<F: StoreFactory>(factory: &F) {
        let mut fx = factory.fresh().await;
        let store = fx.store();
        let s = subject(&*store).await;
        let it = item(s, "email", "persist@example.com", 1);
        store.put_item(&it).await.unwrap();
        let c = choice(Party::Subject(s), "sale_opt_out", true, 2);
        store.append_choice(&c).await.unwrap();
        let seqs = audit_entries(&*store, 4).await;
        let signer = Signer::new();
        let cp = signer.checkpoint(&*store, t(10)).await;
        let key = store
            .create_api_key(&api_key("svc:persist", "stw_persist", &["read_pii"], 3))
            .await
            .unwrap();
        drop(store);
        let store = fx.reopen().await.unwrap();
        assert_eq!(
            store.get_item(it.id).await.unwrap().value.as_ref(),
            Some(&it.value)
        );
        assert_eq!(
            store.list_choices(&[Party::Subject(s)]).await.unwrap(),
            vec![c]
        );
        assert_eq!(
            store.audit_head().await.unwrap().unwrap().seq,
            *seqs.last().unwrap()
        );
        assert_eq!(
            store.list_checkpoints().await.unwrap(),
            vec![StoredCheckpoint::Valid(cp)]
        );
        assert_eq!(
            store.find_api_key_by_hash(&key.hash).await.unwrap(),
            Some(key)
        );
        // Appends continue the same chain.
        store
            .append_audit(&[decision_event(None, 20)])
            .await
            .unwrap();
        assert_eq!(verify(&*store, &signer).await.unwrap().entries, 5);
    }

    /// A database migrated by a newer binary is refused with both versions named.
    pub async fn newer_schema_is_refused<F: StoreFactory>(factory: &F) {
        let mut fx = factory.fresh().await;
        let binary = fx.store().schema_status().await.unwrap().binary;
        fx.tamper(Tamper::BumpSchemaVersion).await;
        match fx.reopen().await {
            Err(StoreError::SchemaTooNew { db, binary: b }) => {
                assert_eq!((db, b), (binary + 1, binary));
                let msg = StoreError::SchemaTooNew { db, binary: b }.to_string();
                assert!(msg.contains(&db.to_string()) && msg.contains("upgrade"));
            }
            Err(other) => panic!("expected SchemaTooNew, got {other:?}"),
            Ok(_) => panic!("expected SchemaTooNew, the store opened"),
        }
    }
}
