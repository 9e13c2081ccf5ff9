//! `SqliteStore`: the `steward_store` traits over one writer thread and a pool of readers.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use async_trait::async_trait;
use jiff::Timestamp;
use steward_store::canonical::{encode_event, index_of};
use steward_store::traits::{
    AccountStore, AuditLog, CaseStore, ChoiceLedger, DisclosureRegister, ItemStore, KeyStore,
    SchemaStatus, Store, SubjectStore,
};
use steward_store::{
    AccountId, AccountRecord, AdminGrant, AgreementAcceptance, AuditEntry, AuditEvent, AuditQuery,
    AuditSeq, AuditedWrite, CarrierSelection, CaseId, CaseKind, CaseRecord, CaseTask, ChainHead,
    ChainLink, Checkpoint, ChoiceEntry, Ciphertext, DisclosureQuery, DisclosureRecord, Entity,
    ErasureOutcome, EventId, GrantId, IdentityLink, IdentityRef, ItemId, ItemRecord, KekId,
    MemberRecord, MemberRole, NewAccount, NewAdminGrant, NewItem, NewSubject, NewWrappedKey, Party,
    StoreError, StoredCheckpoint, StoredFacts, SubjectErasure, SubjectFacts, SubjectId,
    SubjectRecord, WrappedKey, WrappedKeyBytes,
};

use crate::conn::{SqliteOptions, open_writer};
use crate::ops::{account, audit, case, choice, disclosure, facts, item, key, subject};
use crate::readers::Readers;
use crate::schema::{self, SCHEMA_VERSION};
use crate::sql::micros;
use crate::writer::{Writer, read_head};

struct Inner {
    path: PathBuf,
    writer: Writer,
    readers: Readers,
}

impl Drop for Inner {
    fn drop(&mut self) {
        self.writer.shutdown();
        self.readers.close();
    }
}

/// The embedded store. Cheap to clone (clones share the writer thread and the read pool).
///
/// Dropping the last clone commits whatever is queued and stops the writer thread.
#[derive(Clone)]
pub struct SqliteStore {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore")
            .field("path", &self.inner.path)
            .finish_non_exhaustive()
    }
}

impl SqliteStore {
    /// Opens (creating if needed) the database at `path`, applies pending migrations, starts
    /// the writer thread and opens the read pool. Blocking: call it once at start-up.
    ///
    /// Refuses with `StoreError::SchemaTooNew` a database migrated by a newer Steward.
    pub fn open(path: impl AsRef<Path>, options: SqliteOptions) -> Result<Self, StoreError> {
        let path = path.as_ref().to_path_buf();
        if let Some(parent) = path.parent()
            && !parent.as_os_str().is_empty()
        {
            std::fs::create_dir_all(parent).map_err(StoreError::backend)?;
        }
        restrict_permissions(&path)?;
        let mut conn = open_writer(&path, &options)?;
        #[expect(
            clippy::disallowed_methods,
            reason = "the store has no injected clock: a migration is stamped with the real time it is applied"
        )]
        let applied_at = micros(Timestamp::now());
        schema::migrate(&mut conn, applied_at)?;
        let readers = Readers::open(&path, &options)?;
        let writer = Writer::start(conn, options.max_batch)?;
        Ok(Self {
            inner: Arc::new(Inner {
                path,
                writer,
                readers,
            }),
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    /// The schema version this binary writes.
    pub const fn schema_version() -> u32 {
        SCHEMA_VERSION
    }
}

/// SECURITY: the database holds ciphertexts, blind-index tokens and the audit log; like the
/// key ring and exports it is readable by its owner only (0600). The file is created with that
/// mode before SQLite opens it (SQLite gives its `-wal` and `-shm` files the database file's
/// mode), and an existing database, WAL or shared-memory file left readable by others by an
/// older version is tightened.
fn restrict_permissions(path: &Path) -> Result<(), StoreError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        if path.as_os_str() == ":memory:" {
            return Ok(());
        }
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path)
        {
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(StoreError::backend(e)),
        }
        for suffix in ["", "-wal", "-shm"] {
            let mut p = path.as_os_str().to_owned();
            p.push(suffix);
            let p = PathBuf::from(p);
            if let Ok(meta) = std::fs::metadata(&p)
                && meta.is_file()
                && meta.permissions().mode() & 0o077 != 0
            {
                std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o600))
                    .map_err(StoreError::backend)?;
            }
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// Implements a store trait for [`SqliteStore`]: the methods written out in the first block as
/// they are, and each one-line entry after it as a method that takes owned copies of its
/// arguments (`to_owned`) and hands one call to a pool: `readers.scan` / `readers.point` (a
/// read connection: scans, point reads) or `writer.run` (the single writer thread, which batches
/// commits). The SQL itself is in `ops::*`.
macro_rules! forward {
    (
        impl $tr:path { $($written:tt)* }
        $(
            $pool:ident . $via:ident fn $name:ident ( $($arg:ident : $ty:ty),* ) -> $ret:ty
                = |$($p:pat_param),*| $call:expr ;
        )*
    ) => {
        #[async_trait]
        impl $tr for SqliteStore {
            $($written)*
            $(
                async fn $name(&self, $($arg: $ty),*) -> $ret {
                    $(let $arg = $arg.to_owned();)*
                    self.inner.$pool.$via(move |$($p),*| $call).await
                }
            )*
        }
    };
}

forward! {
    impl SubjectStore {}
    writer.run fn create_subject(s: &NewSubject) -> Result<SubjectRecord, StoreError>
        = |c, _| subject::create(c, &s);
    readers.point fn get_subject(id: SubjectId) -> Result<SubjectRecord, StoreError>
        = |c| subject::require(c, id);
    writer.run fn update_subject(id: SubjectId, expected_revision: u64, facts: &SubjectFacts, at: Timestamp) -> Result<SubjectRecord, StoreError>
        = |c, _| subject::update(c, id, expected_revision, &facts, at);
    writer.run fn attach_identity(link: &IdentityLink) -> Result<(), StoreError>
        = |c, _| subject::attach_identity(c, &link);
    writer.run fn detach_identity(s: SubjectId, identity: &IdentityRef) -> Result<bool, StoreError>
        = |c, _| subject::detach_identity(c, s, &identity);
    readers.point fn find_by_identity(identity: &IdentityRef) -> Result<Vec<IdentityLink>, StoreError>
        = |c| subject::find_by_identity(c, &identity);
    readers.point fn identities_of(s: SubjectId) -> Result<Vec<IdentityLink>, StoreError>
        = |c| subject::identities_of(c, s);
    readers.point fn subject_facts(s: SubjectId) -> Result<StoredFacts, StoreError>
        = |c| facts::get(c, s);
    readers.scan fn subject_facts_many(ids: &[SubjectId]) -> Result<Vec<StoredFacts>, StoreError>
        = |c| facts::many(c, &ids);
    writer.run fn erase_subject(e: &SubjectErasure) -> Result<ErasureOutcome, StoreError>
        = |c, _| subject::erase(c, &e);
    readers.scan fn change_of_control_notices(s: SubjectId) -> Result<Vec<steward_store::ChangeOfControlNotice>, StoreError>
        = |c| crate::ops::control::of_subject(c, s);
}

forward! {
    impl AccountStore {}
    writer.run fn create_account(a: &NewAccount) -> Result<AccountRecord, StoreError>
        = |c, _| account::create(c, &a);
    readers.point fn get_account(id: AccountId) -> Result<AccountRecord, StoreError>
        = |c| { account::get(c, id)?.ok_or(StoreError::NotFound(steward_store::Entity::Account)) };
    writer.run fn close_account(id: AccountId, at: Timestamp) -> Result<AccountRecord, StoreError>
        = |c, _| account::close(c, id, at);
    writer.run fn add_member(a: AccountId, s: SubjectId, role: MemberRole, at: Timestamp) -> Result<MemberRecord, StoreError>
        = |c, _| account::add_member(c, a, s, role, at);
    writer.run fn remove_member(a: AccountId, s: SubjectId, at: Timestamp) -> Result<bool, StoreError>
        = |c, _| account::remove_member(c, a, s, at);
    readers.scan fn list_members(a: AccountId) -> Result<Vec<MemberRecord>, StoreError>
        = |c| account::list_members(c, a);
    readers.scan fn memberships_of(s: SubjectId) -> Result<Vec<MemberRecord>, StoreError>
        = |c| account::memberships_of(c, s);
    readers.scan fn list_agreements(accounts: &[AccountId]) -> Result<Vec<AgreementAcceptance>, StoreError>
        = |c| account::list_agreements(c, &accounts);
    readers.scan fn list_carrier_selections(accounts: &[AccountId]) -> Result<Vec<CarrierSelection>, StoreError>
        = |c| account::list_selections(c, &accounts, false);
    writer.run fn grant_admin(g: &NewAdminGrant) -> Result<AdminGrant, StoreError>
        = |c, _| account::grant_admin(c, &g);
    writer.run fn revoke_admin(grant: GrantId, revoked_by: SubjectId, at: Timestamp) -> Result<AdminGrant, StoreError>
        = |c, _| account::revoke_admin(c, grant, revoked_by, at);
    readers.scan fn list_admin_grants(a: AccountId) -> Result<Vec<AdminGrant>, StoreError>
        = |c| account::list_grants(c, a);
    readers.point fn active_admin_grants(a: AccountId, grantee: SubjectId, at: Timestamp) -> Result<Vec<AdminGrant>, StoreError>
        = |c| account::active_grants(c, a, grantee, at);
}

forward! {
    impl ItemStore {
        async fn put_items(&self, items: &[NewItem]) -> Result<(), StoreError> {
            if items.is_empty() {
                return Ok(());
            }
            let items = items.to_vec();
            self.inner
                .writer
                .run(move |c, _| item::put(c, &items))
                .await
        }

        async fn list_items(&self, s: SubjectId) -> Result<Vec<ItemRecord>, StoreError> {
            self.inner.readers.point(move |c| item::list(c, s)).await
        }
    }
    readers.point fn get_item(id: ItemId) -> Result<ItemRecord, StoreError>
        = |c| { item::get(c, id)?.ok_or(StoreError::NotFound(steward_store::Entity::Item)) };
    writer.run fn replace_item_value(id: ItemId, value: &Ciphertext, at: Timestamp) -> Result<ItemRecord, StoreError>
        = |c, _| item::replace_value(c, id, &value, at);
    writer.run fn set_item_retention(id: ItemId, retain_until: Option<Timestamp>) -> Result<ItemRecord, StoreError>
        = |c, _| item::set_retention(c, id, retain_until);
    writer.run fn erase_item(id: ItemId, at: Timestamp) -> Result<bool, StoreError>
        = |c, _| item::erase(c, id, at);
    readers.scan fn items_past_retention(now: Timestamp, limit: u32) -> Result<Vec<ItemRecord>, StoreError>
        = |c| item::past_retention(c, now, limit);
    readers.point fn lifecycle_events(s: SubjectId) -> Result<Vec<steward_store::model::lifecycle::LifecycleEvent>, StoreError>
        = |c| item::lifecycle_events(c, s);
    readers.scan fn items_derived_from(sources: &[ItemId]) -> Result<Vec<ItemId>, StoreError>
        = |c| item::derived_from(c, &sources);
}

forward! {
    impl KeyStore {
        async fn put_wrapped_key(&self, k: &NewWrappedKey) -> Result<(), StoreError> {
            let k = k.clone();
            self.inner.writer.run(move |c, _| key::put(c, &k)).await
        }

        async fn get_wrapped_key(&self, s: SubjectId) -> Result<WrappedKey, StoreError> {
            self.inner.readers.point(move |c| key::get(c, s)).await
        }
    }
    writer.run fn rewrap_key(s: SubjectId, expected_kek: &KekId, new_kek: &KekId, wrapped: &WrappedKeyBytes, at: Timestamp) -> Result<(), StoreError>
        = |c, _| key::rewrap(c, s, &expected_kek, &new_kek, &wrapped, at);
    writer.run fn destroy_wrapped_key(s: SubjectId, at: Timestamp) -> Result<bool, StoreError>
        = |c, _| key::destroy(c, s, at, false);
    readers.scan fn keys_wrapped_by(kek: &KekId, after: Option<SubjectId>, limit: u32) -> Result<Vec<SubjectId>, StoreError>
        = |c| key::wrapped_by(c, &kek, after, limit);
}

forward! {
    impl ChoiceLedger {
        async fn append_choices(&self, entries: &[ChoiceEntry]) -> Result<(), StoreError> {
            if entries.is_empty() {
                return Ok(());
            }
            let entries = entries.to_vec();
            self.inner
                .writer
                .run(move |c, _| choice::append(c, &entries))
                .await
        }

        async fn list_choices(&self, parties: &[Party]) -> Result<Vec<ChoiceEntry>, StoreError> {
            if parties.is_empty() {
                return Ok(Vec::new());
            }
            let parties = parties.to_vec();
            self.inner
                .readers
                .point(move |c| choice::list(c, &parties))
                .await
        }
    }
}

forward! {
    impl DisclosureRegister {
        async fn record_disclosures(&self, records: &[DisclosureRecord]) -> Result<(), StoreError> {
            if records.is_empty() {
                return Ok(());
            }
            let records = records.to_vec();
            self.inner
                .writer
                .run(move |c, _| disclosure::record(c, &records))
                .await
        }
    }
    readers.scan fn list_disclosures(q: &DisclosureQuery) -> Result<Vec<DisclosureRecord>, StoreError>
        = |c| disclosure::list(c, &q);
}

forward! {
    impl AuditLog {
        async fn append_audit(&self, events: &[AuditEvent]) -> Result<Vec<AuditSeq>, StoreError> {
            if events.is_empty() {
                return Ok(Vec::new());
            }
            let encoded = encode_all(events)?;
            self.inner
                .writer
                .run(move |c, ctx| audit::append(c, ctx, &encoded))
                .await
        }

        async fn audit_head(&self) -> Result<Option<ChainHead>, StoreError> {
            self.inner.readers.point(read_head).await
        }

        async fn query_audit(&self, q: &AuditQuery) -> Result<Vec<AuditEntry>, StoreError> {
            let q = q.clone();
            self.inner.readers.scan(move |c| audit::query(c, &q)).await
        }

        async fn list_checkpoints(&self) -> Result<Vec<StoredCheckpoint>, StoreError> {
            self.inner.readers.scan(audit::checkpoints).await
        }

        /// The write and its events run in one job of the writer thread, so they share one
        /// transaction (inside its own savepoint when batched with other writes): the events are
        /// chained right there, under the write lock. No intents are needed (see
        /// [`AuditLog::write_audited`] for the PostgreSQL design).
        async fn write_audited(
            &self,
            write: &AuditedWrite,
            events: &[AuditEvent],
        ) -> Result<(), StoreError> {
            if write.is_empty() && events.is_empty() {
                return Ok(());
            }
            let encoded = encode_all(events)?;
            let write = write.clone();
            self.inner
                .writer
                .run(move |c, ctx| {
                    match &write {
                        AuditedWrite::AppendChoices(entries) if !entries.is_empty() => {
                            choice::append(c, entries)?;
                        }
                        AuditedWrite::PutItems(items) if !items.is_empty() => item::put(c, items)?,
                        AuditedWrite::RecordDisclosures(records) if !records.is_empty() => {
                            disclosure::record(c, records)?;
                        }
                        AuditedWrite::RecordAgreements(records) if !records.is_empty() => {
                            account::record_agreements(c, records)?;
                        }
                        AuditedWrite::SelectCarrier(sel) => account::select_carrier(c, sel)?,
                        AuditedWrite::WithdrawCarrier {
                            account: a,
                            id,
                            by,
                            at,
                        } => account::withdraw_carrier(c, *a, *id, *by, *at)?,
                        AuditedWrite::PutCase { case, tasks } => case::put(c, case, tasks)?,
                        AuditedWrite::RecordLifecycle(w) => item::record_lifecycle(c, w)?,
                        AuditedWrite::PutDerivedItems { items, sources } if !items.is_empty() => {
                            item::put_derived(c, items, sources)?;
                        }
                        AuditedWrite::PutChangeOfControlNotice(n) => {
                            crate::ops::control::put(c, n)?;
                        }
                        _ => {}
                    }
                    audit::append(c, ctx, &encoded).map(|_| ())
                })
                .await
        }

        async fn pending_audit_intents(&self) -> Result<u64, StoreError> {
            Ok(0)
        }

        async fn chain_audit_intents(&self) -> Result<u64, StoreError> {
            Ok(0)
        }
    }
    readers.scan fn audit_links(after: Option<AuditSeq>, limit: u32) -> Result<Vec<ChainLink>, StoreError>
        = |c| audit::links(c, after, limit);
    readers.point fn audit_event(id: EventId) -> Result<AuditEntry, StoreError>
        = |c| audit::by_event(c, id);
    writer.run fn add_checkpoint(cp: &Checkpoint) -> Result<(), StoreError>
        = |c, _| audit::add_checkpoint(c, &cp);
}

/// Encodes events on the caller's thread: the single writer thread only hashes and inserts.
fn encode_all(events: &[AuditEvent]) -> Result<Vec<audit::Encoded>, StoreError> {
    events
        .iter()
        .map(|e| {
            Ok(audit::Encoded {
                body: encode_event(e)?,
                index: index_of(e),
            })
        })
        .collect()
}

forward! {
    impl Store {
        fn backend(&self) -> &'static str {
            "sqlite"
        }

        async fn schema_status(&self) -> Result<SchemaStatus, StoreError> {
            let database = self.inner.readers.scan(schema::current_version).await?;
            Ok(SchemaStatus {
                database,
                binary: SCHEMA_VERSION,
            })
        }
    }
}

forward! {
    impl steward_store::PolicyVersionStore {
        async fn policy_notice_counts(
            &self,
            version: Option<&str>,
        ) -> Result<Vec<steward_store::PolicyNoticeCount>, StoreError> {
            let version = version.map(str::to_owned);
            self.inner
                .readers
                .scan(move |c| crate::ops::policy_version::notice_counts(c, version.as_deref()))
                .await
        }
    }
    writer.run fn record_policy_version(v: &steward_store::NewPolicyVersion) -> Result<steward_store::PolicyVersionRecord, StoreError>
        = |c, _| crate::ops::policy_version::record(c, &v);
    readers.scan fn list_policy_versions() -> Result<Vec<steward_store::PolicyVersionRecord>, StoreError>
        = |c| crate::ops::policy_version::list(c);
    readers.point fn get_policy_version(version: &str) -> Result<Option<steward_store::PolicyVersionRecord>, StoreError>
        = |c| crate::ops::policy_version::get(c, &version);
    writer.run fn queue_policy_notices(audience: &steward_store::NoticeAudience) -> Result<u64, StoreError>
        = |c, _| crate::ops::policy_version::queue_notices(c, &audience);
    writer.run fn claim_policy_notices(now: Timestamp, lease_until: Timestamp, limit: u32) -> Result<Vec<steward_store::PolicyNoticeRecord>, StoreError>
        = |c, _| crate::ops::policy_version::claim_notices(c, now, lease_until, limit);
    writer.run fn mark_policy_notice_sent(subject: SubjectId, version: &str, notice_hash: &steward_store::Digest, at: Timestamp) -> Result<bool, StoreError>
        = |c, _| crate::ops::policy_version::mark_notice_sent(c, subject, &version, &notice_hash, at);
    readers.scan fn policy_notices_of(subject: SubjectId) -> Result<Vec<steward_store::PolicyNoticeRecord>, StoreError>
        = |c| crate::ops::policy_version::notices_of(c, subject);
}

forward! {
    impl steward_store::SessionStore {}
    writer.run fn spend_token(id: &steward_store::Digest, expires_at: Timestamp, now: Timestamp) -> Result<bool, StoreError>
        = |c, _| crate::ops::session::spend_token(c, &id, expires_at, now);
    writer.run fn count_failure(key: &steward_store::Digest, now: Timestamp, window_start: Timestamp) -> Result<steward_store::FailureCount, StoreError>
        = |c, _| crate::ops::session::count_failure(c, &key, now, window_start);
    readers.point fn failures(key: &steward_store::Digest, window_start: Timestamp) -> Result<Option<steward_store::FailureCount>, StoreError>
        = |c| crate::ops::session::failures(c, &key, window_start);
    writer.run fn clear_failures(key: &steward_store::Digest) -> Result<(), StoreError>
        = |c, _| crate::ops::session::clear_failures(c, &key);
    writer.run fn create_session(s: &steward_store::NewSession) -> Result<(), StoreError>
        = |c, _| crate::ops::session::create(c, &s);
    readers.point fn get_session(id: &steward_store::Digest) -> Result<Option<steward_store::SessionRecord>, StoreError>
        = |c| crate::ops::session::get(c, &id);
    writer.run fn touch_session(id: &steward_store::Digest, at: Timestamp) -> Result<Option<steward_store::SessionRecord>, StoreError>
        = |c, _| crate::ops::session::touch(c, &id, at);
    writer.run fn revoke_session(id: &steward_store::Digest, at: Timestamp) -> Result<bool, StoreError>
        = |c, _| crate::ops::session::revoke(c, &id, at);
    writer.run fn revoke_sessions_of(s: SubjectId, at: Timestamp) -> Result<u64, StoreError>
        = |c, _| crate::ops::session::revoke_of(c, s, at);
    writer.run fn purge_sessions(before: Timestamp) -> Result<u64, StoreError>
        = |c, _| crate::ops::session::purge(c, before);
}

forward! {
    impl steward_store::ApiKeyStore {
        async fn list_api_keys(&self) -> Result<Vec<steward_store::ApiKeyRecord>, StoreError> {
            self.inner.readers.scan(crate::ops::apikey::list).await
        }

        async fn count_active_api_keys(&self) -> Result<u64, StoreError> {
            self.inner
                .readers
                .scan(crate::ops::apikey::count_active)
                .await
        }
    }
    writer.run fn create_api_key(key: &steward_store::NewApiKey) -> Result<steward_store::ApiKeyRecord, StoreError>
        = |c, _| crate::ops::apikey::create(c, &key);
    readers.point fn get_api_key(id: steward_store::ApiKeyId) -> Result<steward_store::ApiKeyRecord, StoreError>
        = |c| crate::ops::apikey::require(c, id);
    readers.point fn find_api_key_by_hash(hash: &steward_store::Digest) -> Result<Option<steward_store::ApiKeyRecord>, StoreError>
        = |c| crate::ops::apikey::find_by_hash(c, &hash);
    writer.run fn revoke_api_key(id: steward_store::ApiKeyId, at: Timestamp) -> Result<steward_store::ApiKeyRecord, StoreError>
        = |c, _| crate::ops::apikey::revoke(c, id, at);
}

forward! {
    impl steward_store::RequestStore {
        async fn list_connectors(
            &self,
        ) -> Result<Vec<steward_store::model::request::ConnectorRecord>, StoreError> {
            self.inner
                .readers
                .scan(crate::ops::request::list_connectors)
                .await
        }
    }
    writer.run fn create_request_audited(r: &steward_store::model::request::NewRequest, events: &[AuditEvent]) -> Result<steward_store::model::request::RequestRecord, StoreError>
        = |c, ctx| {
            let rec = crate::ops::request::create(c, &r)?;
            if !events.is_empty() {
                audit::append(c, ctx, &encode_all(&events)?)?;
            }
            Ok(rec)
        };
    readers.point fn get_request(id: steward_store::RequestId) -> Result<steward_store::model::request::RequestRecord, StoreError>
        = |c| crate::ops::request::require(c, id);
    writer.run fn update_request_audited(id: steward_store::RequestId, expected_revision: u64, change: &steward_store::model::request::RequestChange, step: &steward_store::model::request::NewRequestStep, events: &[AuditEvent]) -> Result<steward_store::model::request::RequestRecord, StoreError>
        = |c, ctx| {
            let rec = crate::ops::request::update(c, id, expected_revision, &change, &step)?;
            if !events.is_empty() {
                audit::append(c, ctx, &encode_all(&events)?)?;
            }
            Ok(rec)
        };
    writer.run fn append_request_step(request: steward_store::RequestId, step: &steward_store::model::request::NewRequestStep) -> Result<(), StoreError>
        = |c, _| crate::ops::request::append_step(c, request, &step);
    readers.point fn request_steps(request: steward_store::RequestId) -> Result<Vec<steward_store::model::request::RequestStep>, StoreError>
        = |c| crate::ops::request::steps(c, request);
    readers.scan fn list_requests(q: &steward_store::model::request::RequestQuery) -> Result<Vec<steward_store::model::request::RequestSummary>, StoreError>
        = |c| crate::ops::request::list(c, &q);
    readers.scan fn request_counts(now: Timestamp, at_risk_before: Timestamp) -> Result<steward_store::model::request::RequestCounts, StoreError>
        = |c| crate::ops::request::counts(c, now, at_risk_before);
    writer.run fn purge_closed_requests(closed_before: Timestamp) -> Result<u64, StoreError>
        = |c, _| crate::ops::request::purge(c, closed_before);
    writer.run fn create_challenge(ch: &steward_store::model::request::NewChallenge) -> Result<(), StoreError>
        = |c, _| crate::ops::request::create_challenge(c, &ch);
    readers.point fn latest_challenge(request: steward_store::RequestId) -> Result<Option<steward_store::model::request::ChallengeRecord>, StoreError>
        = |c| crate::ops::request::latest_challenge(c, request);
    writer.run fn attempt_challenge(id: steward_store::ChallengeId, matched: bool, at: Timestamp) -> Result<steward_store::model::request::ChallengeAttempt, StoreError>
        = |c, _| crate::ops::request::attempt_challenge(c, id, matched, at);
    writer.run fn enqueue_messages(messages: &[steward_store::model::request::NewMessage]) -> Result<(), StoreError>
        = |c, _| crate::ops::request::enqueue(c, &messages);
    readers.scan fn pending_messages(limit: u32) -> Result<Vec<steward_store::model::request::MessageRecord>, StoreError>
        = |c| crate::ops::request::pending_messages(c, limit);
    writer.run fn claim_messages(now: Timestamp, lease_until: Timestamp, limit: u32) -> Result<Vec<steward_store::model::request::MessageRecord>, StoreError>
        = |c, _| crate::ops::request::claim_messages(c, now, lease_until, limit);
    writer.run fn record_message_attempt(id: steward_store::MessageId, outcome: &steward_store::model::request::MessageOutcome, at: Timestamp) -> Result<steward_store::model::request::MessageRecord, StoreError>
        = |c, _| crate::ops::request::record_message(c, id, &outcome, at);
    readers.scan fn request_messages(request: steward_store::RequestId) -> Result<Vec<steward_store::model::request::MessageRecord>, StoreError>
        = |c| crate::ops::request::request_messages(c, request);
    readers.scan fn complaint_messages(complaint: steward_store::CaseId) -> Result<Vec<steward_store::model::request::MessageRecord>, StoreError>
        = |c| crate::ops::request::complaint_messages(c, complaint);
    writer.run fn put_connector(connector: &steward_store::model::request::NewConnector) -> Result<steward_store::model::request::ConnectorRecord, StoreError>
        = |c, _| crate::ops::request::put_connector(c, &connector);
    readers.point fn get_connector(id: steward_store::ConnectorId) -> Result<steward_store::model::request::ConnectorRecord, StoreError>
        = |c| crate::ops::request::get_connector(c, id);
    writer.run fn disable_connector(id: steward_store::ConnectorId, at: Timestamp) -> Result<steward_store::model::request::ConnectorRecord, StoreError>
        = |c, _| crate::ops::request::disable_connector(c, id, at);
    writer.run fn create_deliveries(deliveries: &[steward_store::model::request::NewDelivery]) -> Result<(), StoreError>
        = |c, _| crate::ops::request::create_deliveries(c, &deliveries);
    writer.run fn claim_deliveries(now: Timestamp, lease_until: Timestamp, limit: u32) -> Result<Vec<steward_store::model::request::DeliveryRecord>, StoreError>
        = |c, _| crate::ops::request::claim(c, now, lease_until, limit);
    writer.run fn record_delivery_attempt(id: steward_store::DeliveryId, outcome: &steward_store::model::request::DeliveryOutcome, at: Timestamp) -> Result<steward_store::model::request::DeliveryRecord, StoreError>
        = |c, _| crate::ops::request::record_attempt(c, id, &outcome, at);
    writer.run fn confirm_delivery(id: steward_store::DeliveryId, at: Timestamp) -> Result<steward_store::model::request::DeliveryRecord, StoreError>
        = |c, _| crate::ops::request::confirm(c, id, at);
    writer.run fn requeue_delivery(id: steward_store::DeliveryId, at: Timestamp) -> Result<steward_store::model::request::DeliveryRecord, StoreError>
        = |c, _| crate::ops::request::requeue(c, id, at);
    readers.point fn get_delivery(id: steward_store::DeliveryId) -> Result<steward_store::model::request::DeliveryRecord, StoreError>
        = |c| crate::ops::request::get_delivery(c, id);
    readers.scan fn request_deliveries(request: steward_store::RequestId) -> Result<Vec<steward_store::model::request::DeliveryRecord>, StoreError>
        = |c| crate::ops::request::request_deliveries(c, request);
    readers.scan fn dead_letters(limit: u32) -> Result<Vec<steward_store::model::request::DeliveryRecord>, StoreError>
        = |c| crate::ops::request::dead_letters(c, limit);
    readers.scan fn unconfirmed_deliveries(delivered_before: Timestamp, limit: u32) -> Result<Vec<steward_store::model::request::DeliveryRecord>, StoreError>
        = |c| crate::ops::request::unconfirmed(c, delivered_before, limit);
    writer.run fn put_legal_hold(hold: &steward_store::model::request::NewLegalHold) -> Result<steward_store::model::request::LegalHoldRecord, StoreError>
        = |c, _| crate::ops::request::put_hold(c, &hold);
    writer.run fn release_legal_hold(id: steward_store::HoldId, at: Timestamp) -> Result<steward_store::model::request::LegalHoldRecord, StoreError>
        = |c, _| crate::ops::request::release_hold(c, id, at);
    readers.scan fn legal_holds_of(subject: SubjectId) -> Result<Vec<steward_store::model::request::LegalHoldRecord>, StoreError>
        = |c| crate::ops::request::holds_of(c, subject);
}

// Usage data as it flows in (the usage-data work): usage events, log-ins, USPS scans and what is built on
// them. The SQL is in `ops::event`.
forward! {
    impl steward_store::EventStore {
        async fn ingest_usage(
            &self,
            events: &[steward_store::model::event::UsageEvent],
            counts: &[steward_store::model::event::IngestCount],
        ) -> Result<(), StoreError> {
            if events.is_empty() && counts.is_empty() {
                return Ok(());
            }
            let (events, counts) = (events.to_vec(), counts.to_vec());
            self.inner
                .writer
                .run(move |c, _| crate::ops::event::ingest_usage(c, &events, &counts))
                .await
        }

        async fn record_logins(
            &self,
            logins: &[steward_store::model::event::LoginRecord],
        ) -> Result<(), StoreError> {
            if logins.is_empty() {
                return Ok(());
            }
            let logins = logins.to_vec();
            self.inner
                .writer
                .run(move |c, _| crate::ops::event::record_logins(c, &logins))
                .await
        }

        async fn ingest_scans(
            &self,
            scans: &[steward_store::model::event::TrackingScan],
            counts: &[steward_store::model::event::IngestCount],
        ) -> Result<(), StoreError> {
            if scans.is_empty() && counts.is_empty() {
                return Ok(());
            }
            let (scans, counts) = (scans.to_vec(), counts.to_vec());
            self.inner
                .writer
                .run(move |c, _| crate::ops::event::ingest_scans(c, &scans, &counts))
                .await
        }

        async fn add_ingest_counts(
            &self,
            counts: &[steward_store::model::event::IngestCount],
        ) -> Result<(), StoreError> {
            if counts.is_empty() {
                return Ok(());
            }
            let counts = counts.to_vec();
            self.inner
                .writer
                .run(move |c, _| crate::ops::event::add_counts(c, &counts))
                .await
        }

        async fn enqueue_notifications(
            &self,
            tasks: &[steward_store::model::event::PartnerNotification],
        ) -> Result<u64, StoreError> {
            if tasks.is_empty() {
                return Ok(0);
            }
            let tasks = tasks.to_vec();
            self.inner
                .writer
                .run(move |c, _| crate::ops::event::enqueue_notifications(c, &tasks))
                .await
        }
    }
    readers.scan fn usage_events_of(scope: &steward_store::model::event::UsageScope, limit: u32) -> Result<Vec<steward_store::model::event::UsageEvent>, StoreError>
        = |c| crate::ops::event::usage_of(c, &scope, limit);
    readers.scan fn aggregate_usage(query: &steward_store::model::event::UsageAggregateQuery) -> Result<steward_store::model::event::Aggregate, StoreError>
        = |c| crate::ops::event::aggregate_usage(c, &query);
    writer.run fn purge_usage(before: Timestamp, keep: &[SubjectId], limit: u32, dry_run: bool) -> Result<steward_store::model::event::PurgeCount, StoreError>
        = |c, _| crate::ops::event::purge_usage(c, before, &keep, limit, dry_run);
    readers.scan fn usage_subjects_before(before: Timestamp) -> Result<Vec<SubjectId>, StoreError>
        = |c| crate::ops::event::usage_subjects_before(c, before);
    readers.scan fn logins_of(subject: SubjectId, limit: u32) -> Result<Vec<steward_store::model::event::LoginRecord>, StoreError>
        = |c| crate::ops::event::logins_of(c, subject, limit);
    writer.run fn purge_logins(now: Timestamp, keep: &[SubjectId], limit: u32, dry_run: bool) -> Result<steward_store::model::event::PurgeCount, StoreError>
        = |c, _| crate::ops::event::purge_logins(c, now, &keep, limit, dry_run);
    readers.scan fn login_subjects_due(now: Timestamp) -> Result<Vec<SubjectId>, StoreError>
        = |c| crate::ops::event::login_subjects_due(c, now);
    readers.scan fn scans_by_package(pic: &steward_store::BlindToken) -> Result<Vec<steward_store::model::event::TrackingScan>, StoreError>
        = |c| crate::ops::event::scans_by_package(c, &pic);
    readers.scan fn scans_of(subject: SubjectId, limit: u32) -> Result<Vec<steward_store::model::event::TrackingScan>, StoreError>
        = |c| crate::ops::event::scans_of(c, subject, limit);
    readers.scan fn aggregate_scans(query: &steward_store::model::event::ScanAggregateQuery) -> Result<steward_store::model::event::Aggregate, StoreError>
        = |c| crate::ops::event::aggregate_scans(c, &query);
    writer.run fn anonymize_scans(before: Timestamp, at: Timestamp, keep: &[SubjectId], limit: u32, dry_run: bool) -> Result<steward_store::model::event::PurgeCount, StoreError>
        = |c, _| { crate::ops::event::anonymize_scans(c, before, at, &keep, limit, dry_run) };
    readers.scan fn scan_subjects_before(before: Timestamp) -> Result<Vec<SubjectId>, StoreError>
        = |c| crate::ops::event::scan_subjects_before(c, before);
    readers.scan fn ingest_counts(from: jiff::civil::Date, until: jiff::civil::Date) -> Result<Vec<steward_store::model::event::IngestCount>, StoreError>
        = |c| crate::ops::event::counts(c, from, until);
    writer.run fn erase_events_of(subject: SubjectId, at: Timestamp) -> Result<steward_store::model::event::EventErasure, StoreError>
        = |c, _| crate::ops::event::erase_events_of(c, subject, at);
    writer.run fn put_dataset(dataset: &steward_store::model::event::DatasetRecord) -> Result<(), StoreError>
        = |c, _| crate::ops::event::put_dataset(c, &dataset);
    readers.point fn get_dataset(id: steward_store::model::event::DatasetId) -> Result<steward_store::model::event::DatasetRecord, StoreError>
        = |c| crate::ops::event::get_dataset(c, id);
    writer.run fn link_ticket_items(ticket: &steward_store::model::event::TicketRef, items: &[ItemId], at: Timestamp) -> Result<(), StoreError>
        = |c, _| crate::ops::event::link_ticket_items(c, &ticket, &items, at);
    readers.scan fn ticket_items(ticket: &steward_store::model::event::TicketRef) -> Result<Vec<ItemId>, StoreError>
        = |c| crate::ops::event::ticket_items(c, &ticket);
    readers.scan fn open_notifications(limit: u32) -> Result<Vec<steward_store::model::event::PartnerNotification>, StoreError>
        = |c| crate::ops::event::open_notifications(c, limit);
    readers.scan fn unsent_notifications(recipients: &[steward_store::values::RecipientKey], limit: u32) -> Result<Vec<steward_store::model::event::PartnerNotification>, StoreError>
        = |c| crate::ops::event::unsent_notifications(c, &recipients, limit);
    readers.scan fn get_notification(id: steward_store::model::event::NotificationId) -> Result<steward_store::model::event::PartnerNotification, StoreError>
        = |c| crate::ops::event::get_notification(c, id);
    readers.scan fn notifications_of(subject: SubjectId) -> Result<Vec<steward_store::model::event::PartnerNotification>, StoreError>
        = |c| crate::ops::event::notifications_of(c, subject);
    writer.run fn update_notification(id: steward_store::model::event::NotificationId, update: steward_store::model::event::NotificationUpdate, at: Timestamp) -> Result<steward_store::model::event::PartnerNotification, StoreError>
        = |c, _| crate::ops::event::update_notification(c, id, update, at);
}

forward! {
    impl CaseStore {}
    readers.scan fn get_case(id: CaseId) -> Result<CaseRecord, StoreError>
        = |c| case::get(c, id)?.ok_or(StoreError::NotFound(Entity::Case));
    readers.scan fn list_cases(kind: CaseKind, include_closed: bool, limit: u32) -> Result<Vec<CaseRecord>, StoreError>
        = |c| case::list(c, kind, include_closed, limit);
    readers.scan fn cases_of_subject(subject: SubjectId, kind: CaseKind) -> Result<Vec<CaseRecord>, StoreError>
        = |c| case::of_subject(c, subject, kind);
    readers.scan fn case_tasks(id: CaseId) -> Result<Vec<CaseTask>, StoreError>
        = |c| case::tasks(c, id);
    readers.scan fn open_case_tasks(kind: CaseKind) -> Result<Vec<CaseTask>, StoreError>
        = |c| case::open_tasks(c, kind);
    writer.run fn compute_affected(q: &steward_store::AffectedQuery) -> Result<Vec<steward_store::AffectedCount>, StoreError>
        = |c, _| crate::ops::incident::compute(c, &q);
    readers.scan fn affected_subjects(incident: CaseId, pending_only: bool, after: Option<SubjectId>, limit: u32) -> Result<Vec<steward_store::AffectedSubject>, StoreError>
        = |c| crate::ops::incident::subjects(c, incident, pending_only, after, limit);
    writer.run fn enqueue_affected_notices(incident: CaseId, notices: &[steward_store::AffectedNotice], at: Timestamp) -> Result<Vec<SubjectId>, StoreError>
        = |c, _| crate::ops::incident::enqueue_notices(c, incident, &notices, at);
}
