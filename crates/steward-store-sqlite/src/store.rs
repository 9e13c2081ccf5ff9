//! `SqliteStore`: the `steward_store` traits over one writer thread and a pool of readers.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use async_trait::async_trait;
use jiff::Timestamp;
use steward_store::canonical::{encode_event, index_of};
use steward_store::traits::{
    AccountStore, AuditLog, ChoiceLedger, DisclosureRegister, ItemStore, KeyStore, SchemaStatus,
    Store, SubjectStore,
};
use steward_store::{
    AccountId, AccountRecord, AdminGrant, AuditEntry, AuditEvent, AuditQuery, AuditSeq,
    AuditedWrite, ChainHead, ChainLink, Checkpoint, ChoiceEntry, Ciphertext, DisclosureQuery,
    DisclosureRecord, ErasureOutcome, EventId, GrantId, IdentityLink, IdentityRef, ItemId,
    ItemRecord, KekId, MemberRecord, MemberRole, NewAccount, NewAdminGrant, NewItem, NewSubject,
    NewWrappedKey, Party, StoreError, StoredCheckpoint, SubjectErasure, SubjectFacts, SubjectId,
    SubjectRecord, WrappedKey, WrappedKeyBytes,
};

use crate::conn::{SqliteOptions, open_writer};
use crate::ops::{account, audit, choice, disclosure, item, key, subject};
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
        schema::migrate(&mut conn, micros(Timestamp::now()))?;
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

#[async_trait]
impl SubjectStore for SqliteStore {
    async fn create_subject(&self, s: &NewSubject) -> Result<SubjectRecord, StoreError> {
        let s = s.clone();
        self.inner
            .writer
            .run(move |c, _| subject::create(c, &s))
            .await
    }

    async fn get_subject(&self, id: SubjectId) -> Result<SubjectRecord, StoreError> {
        self.inner
            .readers
            .point(move |c| subject::require(c, id))
            .await
    }

    async fn update_subject(
        &self,
        id: SubjectId,
        expected_revision: u64,
        facts: &SubjectFacts,
        at: Timestamp,
    ) -> Result<SubjectRecord, StoreError> {
        let facts = facts.clone();
        self.inner
            .writer
            .run(move |c, _| subject::update(c, id, expected_revision, &facts, at))
            .await
    }

    async fn attach_identity(&self, link: &IdentityLink) -> Result<(), StoreError> {
        let link = link.clone();
        self.inner
            .writer
            .run(move |c, _| subject::attach_identity(c, &link))
            .await
    }

    async fn detach_identity(
        &self,
        s: SubjectId,
        identity: &IdentityRef,
    ) -> Result<bool, StoreError> {
        let identity = identity.clone();
        self.inner
            .writer
            .run(move |c, _| subject::detach_identity(c, s, &identity))
            .await
    }

    async fn find_by_identity(
        &self,
        identity: &IdentityRef,
    ) -> Result<Vec<IdentityLink>, StoreError> {
        let identity = identity.clone();
        self.inner
            .readers
            .point(move |c| subject::find_by_identity(c, &identity))
            .await
    }

    async fn identities_of(&self, s: SubjectId) -> Result<Vec<IdentityLink>, StoreError> {
        self.inner
            .readers
            .point(move |c| subject::identities_of(c, s))
            .await
    }

    async fn erase_subject(&self, e: &SubjectErasure) -> Result<ErasureOutcome, StoreError> {
        let e = e.clone();
        self.inner
            .writer
            .run(move |c, _| subject::erase(c, &e))
            .await
    }
}

#[async_trait]
impl AccountStore for SqliteStore {
    async fn create_account(&self, a: &NewAccount) -> Result<AccountRecord, StoreError> {
        let a = a.clone();
        self.inner
            .writer
            .run(move |c, _| account::create(c, &a))
            .await
    }

    async fn get_account(&self, id: AccountId) -> Result<AccountRecord, StoreError> {
        self.inner
            .readers
            .point(move |c| {
                account::get(c, id)?.ok_or(StoreError::NotFound(steward_store::Entity::Account))
            })
            .await
    }

    async fn close_account(
        &self,
        id: AccountId,
        at: Timestamp,
    ) -> Result<AccountRecord, StoreError> {
        self.inner
            .writer
            .run(move |c, _| account::close(c, id, at))
            .await
    }

    async fn add_member(
        &self,
        a: AccountId,
        s: SubjectId,
        role: MemberRole,
        at: Timestamp,
    ) -> Result<MemberRecord, StoreError> {
        self.inner
            .writer
            .run(move |c, _| account::add_member(c, a, s, role, at))
            .await
    }

    async fn remove_member(
        &self,
        a: AccountId,
        s: SubjectId,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        self.inner
            .writer
            .run(move |c, _| account::remove_member(c, a, s, at))
            .await
    }

    async fn list_members(&self, a: AccountId) -> Result<Vec<MemberRecord>, StoreError> {
        self.inner
            .readers
            .scan(move |c| account::list_members(c, a))
            .await
    }

    async fn memberships_of(&self, s: SubjectId) -> Result<Vec<MemberRecord>, StoreError> {
        self.inner
            .readers
            .scan(move |c| account::memberships_of(c, s))
            .await
    }

    async fn grant_admin(&self, g: &NewAdminGrant) -> Result<AdminGrant, StoreError> {
        let g = g.clone();
        self.inner
            .writer
            .run(move |c, _| account::grant_admin(c, &g))
            .await
    }

    async fn revoke_admin(
        &self,
        grant: GrantId,
        revoked_by: SubjectId,
        at: Timestamp,
    ) -> Result<AdminGrant, StoreError> {
        self.inner
            .writer
            .run(move |c, _| account::revoke_admin(c, grant, revoked_by, at))
            .await
    }

    async fn list_admin_grants(&self, a: AccountId) -> Result<Vec<AdminGrant>, StoreError> {
        self.inner
            .readers
            .scan(move |c| account::list_grants(c, a))
            .await
    }

    async fn active_admin_grants(
        &self,
        a: AccountId,
        grantee: SubjectId,
        at: Timestamp,
    ) -> Result<Vec<AdminGrant>, StoreError> {
        self.inner
            .readers
            .point(move |c| account::active_grants(c, a, grantee, at))
            .await
    }
}

#[async_trait]
impl ItemStore for SqliteStore {
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

    async fn get_item(&self, id: ItemId) -> Result<ItemRecord, StoreError> {
        self.inner
            .readers
            .point(move |c| {
                item::get(c, id)?.ok_or(StoreError::NotFound(steward_store::Entity::Item))
            })
            .await
    }

    async fn list_items(&self, s: SubjectId) -> Result<Vec<ItemRecord>, StoreError> {
        self.inner.readers.point(move |c| item::list(c, s)).await
    }

    async fn replace_item_value(
        &self,
        id: ItemId,
        value: &Ciphertext,
        at: Timestamp,
    ) -> Result<ItemRecord, StoreError> {
        let value = value.clone();
        self.inner
            .writer
            .run(move |c, _| item::replace_value(c, id, &value, at))
            .await
    }

    async fn set_item_retention(
        &self,
        id: ItemId,
        retain_until: Option<Timestamp>,
    ) -> Result<ItemRecord, StoreError> {
        self.inner
            .writer
            .run(move |c, _| item::set_retention(c, id, retain_until))
            .await
    }

    async fn erase_item(&self, id: ItemId, at: Timestamp) -> Result<bool, StoreError> {
        self.inner
            .writer
            .run(move |c, _| item::erase(c, id, at))
            .await
    }

    async fn items_past_retention(
        &self,
        now: Timestamp,
        limit: u32,
    ) -> Result<Vec<ItemRecord>, StoreError> {
        self.inner
            .readers
            .scan(move |c| item::past_retention(c, now, limit))
            .await
    }
}

#[async_trait]
impl KeyStore for SqliteStore {
    async fn put_wrapped_key(&self, k: &NewWrappedKey) -> Result<(), StoreError> {
        let k = k.clone();
        self.inner.writer.run(move |c, _| key::put(c, &k)).await
    }

    async fn get_wrapped_key(&self, s: SubjectId) -> Result<WrappedKey, StoreError> {
        self.inner.readers.point(move |c| key::get(c, s)).await
    }

    async fn rewrap_key(
        &self,
        s: SubjectId,
        expected_kek: &KekId,
        new_kek: &KekId,
        wrapped: &WrappedKeyBytes,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        let (expected, new_kek, wrapped) = (expected_kek.clone(), new_kek.clone(), wrapped.clone());
        self.inner
            .writer
            .run(move |c, _| key::rewrap(c, s, &expected, &new_kek, &wrapped, at))
            .await
    }

    async fn destroy_wrapped_key(&self, s: SubjectId, at: Timestamp) -> Result<bool, StoreError> {
        self.inner
            .writer
            .run(move |c, _| key::destroy(c, s, at, false))
            .await
    }

    async fn keys_wrapped_by(
        &self,
        kek: &KekId,
        after: Option<SubjectId>,
        limit: u32,
    ) -> Result<Vec<SubjectId>, StoreError> {
        let kek = kek.clone();
        self.inner
            .readers
            .scan(move |c| key::wrapped_by(c, &kek, after, limit))
            .await
    }
}

#[async_trait]
impl ChoiceLedger for SqliteStore {
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

#[async_trait]
impl DisclosureRegister for SqliteStore {
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

    async fn list_disclosures(
        &self,
        q: &DisclosureQuery,
    ) -> Result<Vec<DisclosureRecord>, StoreError> {
        let q = q.clone();
        self.inner
            .readers
            .scan(move |c| disclosure::list(c, &q))
            .await
    }
}

#[async_trait]
impl AuditLog for SqliteStore {
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

    async fn audit_links(
        &self,
        after: Option<AuditSeq>,
        limit: u32,
    ) -> Result<Vec<ChainLink>, StoreError> {
        self.inner
            .readers
            .scan(move |c| audit::links(c, after, limit))
            .await
    }

    async fn audit_event(&self, id: EventId) -> Result<AuditEntry, StoreError> {
        self.inner
            .readers
            .point(move |c| audit::by_event(c, id))
            .await
    }

    async fn query_audit(&self, q: &AuditQuery) -> Result<Vec<AuditEntry>, StoreError> {
        let q = q.clone();
        self.inner.readers.scan(move |c| audit::query(c, &q)).await
    }

    async fn add_checkpoint(&self, cp: &Checkpoint) -> Result<(), StoreError> {
        let cp = cp.clone();
        self.inner
            .writer
            .run(move |c, _| audit::add_checkpoint(c, &cp))
            .await
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

#[async_trait]
impl Store for SqliteStore {
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

#[async_trait]
impl steward_store::PolicyVersionStore for SqliteStore {
    async fn record_policy_version(
        &self,
        v: &steward_store::NewPolicyVersion,
    ) -> Result<steward_store::PolicyVersionRecord, StoreError> {
        let v = v.clone();
        self.inner
            .writer
            .run(move |c, _| crate::ops::policy_version::record(c, &v))
            .await
    }

    async fn list_policy_versions(
        &self,
    ) -> Result<Vec<steward_store::PolicyVersionRecord>, StoreError> {
        self.inner
            .readers
            .scan(crate::ops::policy_version::list)
            .await
    }

    async fn get_policy_version(
        &self,
        version: &str,
    ) -> Result<Option<steward_store::PolicyVersionRecord>, StoreError> {
        let version = version.to_owned();
        self.inner
            .readers
            .point(move |c| crate::ops::policy_version::get(c, &version))
            .await
    }
}

#[async_trait]
impl steward_store::SessionStore for SqliteStore {
    async fn create_session(&self, s: &steward_store::NewSession) -> Result<(), StoreError> {
        let s = s.clone();
        self.inner
            .writer
            .run(move |c, _| crate::ops::session::create(c, &s))
            .await
    }

    async fn get_session(
        &self,
        id: &steward_store::Digest,
    ) -> Result<Option<steward_store::SessionRecord>, StoreError> {
        let id = *id;
        self.inner
            .readers
            .point(move |c| crate::ops::session::get(c, &id))
            .await
    }

    async fn touch_session(
        &self,
        id: &steward_store::Digest,
        at: Timestamp,
    ) -> Result<Option<steward_store::SessionRecord>, StoreError> {
        let id = *id;
        self.inner
            .writer
            .run(move |c, _| crate::ops::session::touch(c, &id, at))
            .await
    }

    async fn revoke_session(
        &self,
        id: &steward_store::Digest,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        let id = *id;
        self.inner
            .writer
            .run(move |c, _| crate::ops::session::revoke(c, &id, at))
            .await
    }

    async fn revoke_sessions_of(&self, s: SubjectId, at: Timestamp) -> Result<u64, StoreError> {
        self.inner
            .writer
            .run(move |c, _| crate::ops::session::revoke_of(c, s, at))
            .await
    }

    async fn purge_sessions(&self, before: Timestamp) -> Result<u64, StoreError> {
        self.inner
            .writer
            .run(move |c, _| crate::ops::session::purge(c, before))
            .await
    }
}

#[async_trait]
impl steward_store::ApiKeyStore for SqliteStore {
    async fn create_api_key(
        &self,
        key: &steward_store::NewApiKey,
    ) -> Result<steward_store::ApiKeyRecord, StoreError> {
        let key = key.clone();
        self.inner
            .writer
            .run(move |c, _| crate::ops::apikey::create(c, &key))
            .await
    }

    async fn get_api_key(
        &self,
        id: steward_store::ApiKeyId,
    ) -> Result<steward_store::ApiKeyRecord, StoreError> {
        self.inner
            .readers
            .point(move |c| crate::ops::apikey::require(c, id))
            .await
    }

    async fn find_api_key_by_hash(
        &self,
        hash: &steward_store::Digest,
    ) -> Result<Option<steward_store::ApiKeyRecord>, StoreError> {
        let hash = *hash;
        self.inner
            .readers
            .point(move |c| crate::ops::apikey::find_by_hash(c, &hash))
            .await
    }

    async fn list_api_keys(&self) -> Result<Vec<steward_store::ApiKeyRecord>, StoreError> {
        self.inner.readers.scan(crate::ops::apikey::list).await
    }

    async fn revoke_api_key(
        &self,
        id: steward_store::ApiKeyId,
        at: Timestamp,
    ) -> Result<steward_store::ApiKeyRecord, StoreError> {
        self.inner
            .writer
            .run(move |c, _| crate::ops::apikey::revoke(c, id, at))
            .await
    }

    async fn count_active_api_keys(&self) -> Result<u64, StoreError> {
        self.inner
            .readers
            .scan(crate::ops::apikey::count_active)
            .await
    }
}

#[async_trait]
impl steward_store::RequestStore for SqliteStore {
    async fn create_request(
        &self,
        r: &steward_store::model::request::NewRequest,
    ) -> Result<steward_store::model::request::RequestRecord, StoreError> {
        let r = r.clone();
        self.inner
            .writer
            .run(move |c, _| crate::ops::request::create(c, &r))
            .await
    }

    async fn get_request(
        &self,
        id: steward_store::RequestId,
    ) -> Result<steward_store::model::request::RequestRecord, StoreError> {
        self.inner
            .readers
            .point(move |c| crate::ops::request::require(c, id))
            .await
    }

    async fn update_request(
        &self,
        id: steward_store::RequestId,
        expected_revision: u64,
        change: &steward_store::model::request::RequestChange,
        step: &steward_store::model::request::NewRequestStep,
    ) -> Result<steward_store::model::request::RequestRecord, StoreError> {
        let (change, step) = (change.clone(), step.clone());
        self.inner
            .writer
            .run(move |c, _| crate::ops::request::update(c, id, expected_revision, &change, &step))
            .await
    }

    async fn append_request_step(
        &self,
        request: steward_store::RequestId,
        step: &steward_store::model::request::NewRequestStep,
    ) -> Result<(), StoreError> {
        let step = step.clone();
        self.inner
            .writer
            .run(move |c, _| crate::ops::request::append_step(c, request, &step))
            .await
    }

    async fn request_steps(
        &self,
        request: steward_store::RequestId,
    ) -> Result<Vec<steward_store::model::request::RequestStep>, StoreError> {
        self.inner
            .readers
            .point(move |c| crate::ops::request::steps(c, request))
            .await
    }

    async fn list_requests(
        &self,
        q: &steward_store::model::request::RequestQuery,
    ) -> Result<Vec<steward_store::model::request::RequestSummary>, StoreError> {
        let q = q.clone();
        self.inner
            .readers
            .scan(move |c| crate::ops::request::list(c, &q))
            .await
    }

    async fn request_counts(
        &self,
        now: Timestamp,
        at_risk_before: Timestamp,
    ) -> Result<steward_store::model::request::RequestCounts, StoreError> {
        self.inner
            .readers
            .scan(move |c| crate::ops::request::counts(c, now, at_risk_before))
            .await
    }

    async fn purge_closed_requests(&self, closed_before: Timestamp) -> Result<u64, StoreError> {
        self.inner
            .writer
            .run(move |c, _| crate::ops::request::purge(c, closed_before))
            .await
    }

    async fn create_challenge(
        &self,
        ch: &steward_store::model::request::NewChallenge,
    ) -> Result<(), StoreError> {
        let ch = ch.clone();
        self.inner
            .writer
            .run(move |c, _| crate::ops::request::create_challenge(c, &ch))
            .await
    }

    async fn latest_challenge(
        &self,
        request: steward_store::RequestId,
    ) -> Result<Option<steward_store::model::request::ChallengeRecord>, StoreError> {
        self.inner
            .readers
            .point(move |c| crate::ops::request::latest_challenge(c, request))
            .await
    }

    async fn attempt_challenge(
        &self,
        id: steward_store::ChallengeId,
        matched: bool,
        at: Timestamp,
    ) -> Result<steward_store::model::request::ChallengeAttempt, StoreError> {
        self.inner
            .writer
            .run(move |c, _| crate::ops::request::attempt_challenge(c, id, matched, at))
            .await
    }

    async fn enqueue_messages(
        &self,
        messages: &[steward_store::model::request::NewMessage],
    ) -> Result<(), StoreError> {
        let messages = messages.to_vec();
        self.inner
            .writer
            .run(move |c, _| crate::ops::request::enqueue(c, &messages))
            .await
    }

    async fn pending_messages(
        &self,
        limit: u32,
    ) -> Result<Vec<steward_store::model::request::MessageRecord>, StoreError> {
        self.inner
            .readers
            .scan(move |c| crate::ops::request::pending_messages(c, limit))
            .await
    }

    async fn record_message_attempt(
        &self,
        id: steward_store::MessageId,
        outcome: &steward_store::model::request::MessageOutcome,
        at: Timestamp,
    ) -> Result<steward_store::model::request::MessageRecord, StoreError> {
        let outcome = outcome.clone();
        self.inner
            .writer
            .run(move |c, _| crate::ops::request::record_message(c, id, &outcome, at))
            .await
    }

    async fn request_messages(
        &self,
        request: steward_store::RequestId,
    ) -> Result<Vec<steward_store::model::request::MessageRecord>, StoreError> {
        self.inner
            .readers
            .scan(move |c| crate::ops::request::request_messages(c, request))
            .await
    }

    async fn put_connector(
        &self,
        connector: &steward_store::model::request::NewConnector,
    ) -> Result<steward_store::model::request::ConnectorRecord, StoreError> {
        let connector = connector.clone();
        self.inner
            .writer
            .run(move |c, _| crate::ops::request::put_connector(c, &connector))
            .await
    }

    async fn get_connector(
        &self,
        id: steward_store::ConnectorId,
    ) -> Result<steward_store::model::request::ConnectorRecord, StoreError> {
        self.inner
            .readers
            .point(move |c| crate::ops::request::get_connector(c, id))
            .await
    }

    async fn list_connectors(
        &self,
    ) -> Result<Vec<steward_store::model::request::ConnectorRecord>, StoreError> {
        self.inner
            .readers
            .scan(crate::ops::request::list_connectors)
            .await
    }

    async fn disable_connector(
        &self,
        id: steward_store::ConnectorId,
        at: Timestamp,
    ) -> Result<steward_store::model::request::ConnectorRecord, StoreError> {
        self.inner
            .writer
            .run(move |c, _| crate::ops::request::disable_connector(c, id, at))
            .await
    }

    async fn create_deliveries(
        &self,
        deliveries: &[steward_store::model::request::NewDelivery],
    ) -> Result<(), StoreError> {
        let deliveries = deliveries.to_vec();
        self.inner
            .writer
            .run(move |c, _| crate::ops::request::create_deliveries(c, &deliveries))
            .await
    }

    async fn claim_deliveries(
        &self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: u32,
    ) -> Result<Vec<steward_store::model::request::DeliveryRecord>, StoreError> {
        self.inner
            .writer
            .run(move |c, _| crate::ops::request::claim(c, now, lease_until, limit))
            .await
    }

    async fn record_delivery_attempt(
        &self,
        id: steward_store::DeliveryId,
        outcome: &steward_store::model::request::DeliveryOutcome,
        at: Timestamp,
    ) -> Result<steward_store::model::request::DeliveryRecord, StoreError> {
        let outcome = outcome.clone();
        self.inner
            .writer
            .run(move |c, _| crate::ops::request::record_attempt(c, id, &outcome, at))
            .await
    }

    async fn confirm_delivery(
        &self,
        id: steward_store::DeliveryId,
        at: Timestamp,
    ) -> Result<steward_store::model::request::DeliveryRecord, StoreError> {
        self.inner
            .writer
            .run(move |c, _| crate::ops::request::confirm(c, id, at))
            .await
    }

    async fn requeue_delivery(
        &self,
        id: steward_store::DeliveryId,
        at: Timestamp,
    ) -> Result<steward_store::model::request::DeliveryRecord, StoreError> {
        self.inner
            .writer
            .run(move |c, _| crate::ops::request::requeue(c, id, at))
            .await
    }

    async fn get_delivery(
        &self,
        id: steward_store::DeliveryId,
    ) -> Result<steward_store::model::request::DeliveryRecord, StoreError> {
        self.inner
            .readers
            .point(move |c| crate::ops::request::get_delivery(c, id))
            .await
    }

    async fn request_deliveries(
        &self,
        request: steward_store::RequestId,
    ) -> Result<Vec<steward_store::model::request::DeliveryRecord>, StoreError> {
        self.inner
            .readers
            .scan(move |c| crate::ops::request::request_deliveries(c, request))
            .await
    }

    async fn dead_letters(
        &self,
        limit: u32,
    ) -> Result<Vec<steward_store::model::request::DeliveryRecord>, StoreError> {
        self.inner
            .readers
            .scan(move |c| crate::ops::request::dead_letters(c, limit))
            .await
    }

    async fn unconfirmed_deliveries(
        &self,
        delivered_before: Timestamp,
        limit: u32,
    ) -> Result<Vec<steward_store::model::request::DeliveryRecord>, StoreError> {
        self.inner
            .readers
            .scan(move |c| crate::ops::request::unconfirmed(c, delivered_before, limit))
            .await
    }

    async fn put_legal_hold(
        &self,
        hold: &steward_store::model::request::NewLegalHold,
    ) -> Result<steward_store::model::request::LegalHoldRecord, StoreError> {
        let hold = hold.clone();
        self.inner
            .writer
            .run(move |c, _| crate::ops::request::put_hold(c, &hold))
            .await
    }

    async fn release_legal_hold(
        &self,
        id: steward_store::HoldId,
        at: Timestamp,
    ) -> Result<steward_store::model::request::LegalHoldRecord, StoreError> {
        self.inner
            .writer
            .run(move |c, _| crate::ops::request::release_hold(c, id, at))
            .await
    }

    async fn legal_holds_of(
        &self,
        subject: SubjectId,
    ) -> Result<Vec<steward_store::model::request::LegalHoldRecord>, StoreError> {
        self.inner
            .readers
            .scan(move |c| crate::ops::request::holds_of(c, subject))
            .await
    }
}

// Usage data as it flows in (issue 7): usage events, log-ins, USPS scans and what is built on
// them. The SQL is in `ops::event`.
#[async_trait]
impl steward_store::EventStore for SqliteStore {
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

    async fn usage_events_of(
        &self,
        scope: &steward_store::model::event::UsageScope,
        limit: u32,
    ) -> Result<Vec<steward_store::model::event::UsageEvent>, StoreError> {
        let scope = scope.clone();
        self.inner
            .readers
            .scan(move |c| crate::ops::event::usage_of(c, &scope, limit))
            .await
    }

    async fn aggregate_usage(
        &self,
        query: &steward_store::model::event::UsageAggregateQuery,
    ) -> Result<steward_store::model::event::Aggregate, StoreError> {
        let q = query.clone();
        self.inner
            .readers
            .scan(move |c| crate::ops::event::aggregate_usage(c, &q))
            .await
    }

    async fn purge_usage(
        &self,
        before: Timestamp,
        keep: &[SubjectId],
        limit: u32,
        dry_run: bool,
    ) -> Result<steward_store::model::event::PurgeCount, StoreError> {
        let keep = keep.to_vec();
        self.inner
            .writer
            .run(move |c, _| crate::ops::event::purge_usage(c, before, &keep, limit, dry_run))
            .await
    }

    async fn usage_subjects_before(&self, before: Timestamp) -> Result<Vec<SubjectId>, StoreError> {
        self.inner
            .readers
            .scan(move |c| crate::ops::event::usage_subjects_before(c, before))
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

    async fn logins_of(
        &self,
        subject: SubjectId,
        limit: u32,
    ) -> Result<Vec<steward_store::model::event::LoginRecord>, StoreError> {
        self.inner
            .readers
            .scan(move |c| crate::ops::event::logins_of(c, subject, limit))
            .await
    }

    async fn purge_logins(
        &self,
        now: Timestamp,
        keep: &[SubjectId],
        limit: u32,
        dry_run: bool,
    ) -> Result<steward_store::model::event::PurgeCount, StoreError> {
        let keep = keep.to_vec();
        self.inner
            .writer
            .run(move |c, _| crate::ops::event::purge_logins(c, now, &keep, limit, dry_run))
            .await
    }

    async fn login_subjects_due(&self, now: Timestamp) -> Result<Vec<SubjectId>, StoreError> {
        self.inner
            .readers
            .scan(move |c| crate::ops::event::login_subjects_due(c, now))
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

    async fn scans_by_package(
        &self,
        pic: &steward_store::BlindToken,
    ) -> Result<Vec<steward_store::model::event::TrackingScan>, StoreError> {
        let pic = pic.clone();
        self.inner
            .readers
            .scan(move |c| crate::ops::event::scans_by_package(c, &pic))
            .await
    }

    async fn scans_of(
        &self,
        subject: SubjectId,
        limit: u32,
    ) -> Result<Vec<steward_store::model::event::TrackingScan>, StoreError> {
        self.inner
            .readers
            .scan(move |c| crate::ops::event::scans_of(c, subject, limit))
            .await
    }

    async fn aggregate_scans(
        &self,
        query: &steward_store::model::event::ScanAggregateQuery,
    ) -> Result<steward_store::model::event::Aggregate, StoreError> {
        let q = query.clone();
        self.inner
            .readers
            .scan(move |c| crate::ops::event::aggregate_scans(c, &q))
            .await
    }

    async fn anonymize_scans(
        &self,
        before: Timestamp,
        at: Timestamp,
        keep: &[SubjectId],
        limit: u32,
        dry_run: bool,
    ) -> Result<steward_store::model::event::PurgeCount, StoreError> {
        let keep = keep.to_vec();
        self.inner
            .writer
            .run(move |c, _| {
                crate::ops::event::anonymize_scans(c, before, at, &keep, limit, dry_run)
            })
            .await
    }

    async fn scan_subjects_before(&self, before: Timestamp) -> Result<Vec<SubjectId>, StoreError> {
        self.inner
            .readers
            .scan(move |c| crate::ops::event::scan_subjects_before(c, before))
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

    async fn ingest_counts(
        &self,
        from: jiff::civil::Date,
        until: jiff::civil::Date,
    ) -> Result<Vec<steward_store::model::event::IngestCount>, StoreError> {
        self.inner
            .readers
            .scan(move |c| crate::ops::event::counts(c, from, until))
            .await
    }

    async fn erase_events_of(
        &self,
        subject: SubjectId,
        at: Timestamp,
    ) -> Result<steward_store::model::event::EventErasure, StoreError> {
        self.inner
            .writer
            .run(move |c, _| crate::ops::event::erase_events_of(c, subject, at))
            .await
    }

    async fn put_dataset(
        &self,
        dataset: &steward_store::model::event::DatasetRecord,
    ) -> Result<(), StoreError> {
        let d = dataset.clone();
        self.inner
            .writer
            .run(move |c, _| crate::ops::event::put_dataset(c, &d))
            .await
    }

    async fn get_dataset(
        &self,
        id: steward_store::model::event::DatasetId,
    ) -> Result<steward_store::model::event::DatasetRecord, StoreError> {
        self.inner
            .readers
            .point(move |c| crate::ops::event::get_dataset(c, id))
            .await
    }

    async fn link_ticket_items(
        &self,
        ticket: &steward_store::model::event::TicketRef,
        items: &[ItemId],
        at: Timestamp,
    ) -> Result<(), StoreError> {
        let (ticket, items) = (ticket.clone(), items.to_vec());
        self.inner
            .writer
            .run(move |c, _| crate::ops::event::link_ticket_items(c, &ticket, &items, at))
            .await
    }

    async fn ticket_items(
        &self,
        ticket: &steward_store::model::event::TicketRef,
    ) -> Result<Vec<ItemId>, StoreError> {
        let ticket = ticket.clone();
        self.inner
            .readers
            .scan(move |c| crate::ops::event::ticket_items(c, &ticket))
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

    async fn open_notifications(
        &self,
        limit: u32,
    ) -> Result<Vec<steward_store::model::event::PartnerNotification>, StoreError> {
        self.inner
            .readers
            .scan(move |c| crate::ops::event::open_notifications(c, limit))
            .await
    }

    async fn unsent_notifications(
        &self,
        recipients: &[steward_store::values::RecipientKey],
        limit: u32,
    ) -> Result<Vec<steward_store::model::event::PartnerNotification>, StoreError> {
        let recipients = recipients.to_vec();
        self.inner
            .readers
            .scan(move |c| crate::ops::event::unsent_notifications(c, &recipients, limit))
            .await
    }

    async fn get_notification(
        &self,
        id: steward_store::model::event::NotificationId,
    ) -> Result<steward_store::model::event::PartnerNotification, StoreError> {
        self.inner
            .readers
            .scan(move |c| crate::ops::event::get_notification(c, id))
            .await
    }

    async fn notifications_of(
        &self,
        subject: SubjectId,
    ) -> Result<Vec<steward_store::model::event::PartnerNotification>, StoreError> {
        self.inner
            .readers
            .scan(move |c| crate::ops::event::notifications_of(c, subject))
            .await
    }

    async fn update_notification(
        &self,
        id: steward_store::model::event::NotificationId,
        update: steward_store::model::event::NotificationUpdate,
        at: Timestamp,
    ) -> Result<steward_store::model::event::PartnerNotification, StoreError> {
        self.inner
            .writer
            .run(move |c, _| crate::ops::event::update_notification(c, id, update, at))
            .await
    }
}
