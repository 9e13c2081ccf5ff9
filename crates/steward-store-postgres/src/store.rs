//! `PgStore`: the `steward_store` traits over a deadpool-postgres pool.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod, Runtime};
use jiff::Timestamp;
use steward_store::canonical::{encode_event, index_of};
use steward_store::traits::{
    AccountStore, ApiKeyStore, AuditLog, CaseStore, ChoiceLedger, DisclosureRegister, ItemStore,
    KeyStore, ReadView, SchemaStatus, Store, SubjectStore,
};
use steward_store::{
    AccountId, AccountRecord, AdminGrant, AgreementAcceptance, ApiKeyId, ApiKeyRecord, AuditEntry,
    AuditEvent, AuditQuery, AuditSeq, AuditedWrite, CarrierSelection, CaseId, CaseKind, CaseRecord,
    CaseTask, ChainHead, ChainLink, Checkpoint, ChoiceEntry, Ciphertext, Digest, DisclosureQuery,
    DisclosureRecord, Entity, ErasureOutcome, EventId, GrantId, IdentityLink, IdentityRef, ItemId,
    ItemRecord, KekId, MemberRecord, MemberRole, NewAccount, NewAdminGrant, NewApiKey, NewItem,
    NewSubject, NewWrappedKey, Party, StoreError, StoredCheckpoint, StoredFacts, SubjectErasure,
    SubjectFacts, SubjectId, SubjectRecord, ValueError, WrappedKey, WrappedKeyBytes,
};
use tokio_postgres::NoTls;

use crate::audit_writer::AuditWriter;
use crate::ops::{
    account, apikey, audit, case, choice, disclosure, facts, item, key, session, subject,
};
use crate::pipeline::join2;
use crate::schema::{self, SCHEMA_VERSION};
use crate::sql::{PgTime, pg, pool as pool_error};

/// How to connect.
#[derive(Debug, Clone)]
pub struct PgOptions {
    /// Connections in the pool (per process). Default 16.
    pub pool_size: usize,
    /// How long to wait for a connection to the server. Default 10 s (unless the URL sets
    /// `connect_timeout`).
    pub connect_timeout: Duration,
    /// How long a request waits for a free pooled connection before failing. Default 30 s.
    pub wait_timeout: Duration,
    /// The most audit events appended in one transaction by the group commit. Default 10 000.
    pub audit_batch: usize,
    /// `application_name` shown in `pg_stat_activity`. Default `steward`.
    pub application_name: String,
}

impl Default for PgOptions {
    fn default() -> Self {
        Self {
            pool_size: 16,
            connect_timeout: Duration::from_secs(10),
            wait_timeout: Duration::from_secs(30),
            audit_batch: 10_000,
            application_name: "steward".to_owned(),
        }
    }
}

/// Pages of audit links at least this large are read in two halves concurrently.
const SPLIT_LINKS_AT: u32 = 2048;

/// Take a pooled connection only if one is free now.
const NO_WAIT: deadpool_postgres::Timeouts = deadpool_postgres::Timeouts {
    wait: Some(Duration::ZERO),
    create: Some(Duration::from_secs(10)),
    recycle: Some(Duration::from_secs(10)),
};

#[derive(Debug)]
struct Inner {
    pool: Pool,
    audit: AuditWriter,
    /// `user@host:port/dbname`, for `Debug` and logs. SECURITY: never the password.
    target: String,
    /// Audit intents chained when the store was opened (left by a crash).
    recovered: u64,
    /// The most events or intents chained in one transaction.
    audit_batch: usize,
    /// The standby reads may be routed to ([`PgStore::with_standby`]).
    standby: Option<crate::standby::Standby>,
}

/// The PostgreSQL store. Cheap to clone (clones share the pool and the audit writer).
///
/// Several processes (each with its own `PgStore`) may share one database: audit appends are
/// serialized by a row lock on the chain head, migrations by an advisory lock, exclusive
/// identities by a unique index, subject updates by their revision.
#[derive(Clone)]
pub struct PgStore {
    inner: Arc<Inner>,
    /// This handle is the read view: the reads listed in [`crate::standby`] go to the standby
    /// while it is caught up. Writes always go to the primary.
    standby_reads: bool,
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // SECURITY: the target holds no password.
        f.debug_struct("PgStore")
            .field("target", &self.inner.target)
            .field("pool_size", &self.inner.pool.status().max_size)
            .finish_non_exhaustive()
    }
}

/// `user@host:port/dbname` of a configuration, without the password.
pub(crate) fn describe(cfg: &tokio_postgres::Config) -> String {
    use tokio_postgres::config::Host;
    let hosts: Vec<String> = cfg
        .get_hosts()
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let host = match h {
                Host::Tcp(name) => name.clone(),
                Host::Unix(path) => path.display().to_string(),
            };
            match cfg.get_ports().get(i).or(cfg.get_ports().first()) {
                Some(port) => format!("{host}:{port}"),
                None => host,
            }
        })
        .collect();
    format!(
        "{}@{}/{}",
        cfg.get_user().unwrap_or("?"),
        hosts.join(","),
        cfg.get_dbname().unwrap_or("")
    )
}

/// A pooled connection for one explicit transaction.
///
/// INVARIANT: the connection goes back to the pool only when the transaction is known to have
/// ended (COMMIT or ROLLBACK answered). If the future running it is dropped halfway (the
/// caller gave up), or the end is unknown, the connection is closed instead, and the server
/// rolls the transaction back: no pooled connection is ever left inside a transaction.
struct TxConn(Option<deadpool_postgres::Client>);

impl TxConn {
    fn client(&self) -> Result<&deadpool_postgres::Client, StoreError> {
        self.0.as_ref().ok_or(StoreError::Closed)
    }

    /// The transaction ended cleanly: the connection may be reused.
    fn release(mut self) {
        drop(self.0.take());
    }
}

impl Drop for TxConn {
    fn drop(&mut self) {
        if let Some(c) = self.0.take() {
            // Detach from the pool and close.
            drop(deadpool_postgres::Object::take(c));
        }
    }
}

/// Runs `$body` (an expression using `$tx`, a pooled client) in an explicit transaction:
/// COMMIT if it returns `Ok`, ROLLBACK otherwise.
///
/// `BEGIN` is pipelined with the body's first statement (one round trip fewer per write).
/// If `BEGIN` itself fails (only a broken connection makes it fail), the connection is
/// discarded and the error returned.
macro_rules! in_tx {
    ($self:ident, |$tx:ident| $body:expr) => {{
        let conn = TxConn(Some($self.client().await?));
        let $tx = conn.client()?;
        let (begin, out) = join2($tx.batch_execute("BEGIN"), $body).await;
        let (result, clean) = match (begin, out) {
            (Ok(()), Ok(v)) => match $tx.batch_execute("COMMIT").await {
                Ok(()) => (Ok(v), true),
                Err(e) => (Err(pg(e)), false),
            },
            (Ok(()), Err(e)) => {
                let clean = $tx.batch_execute("ROLLBACK").await.is_ok();
                (Err(e), clean)
            }
            (Err(e), _) => (Err(pg(e)), false),
        };
        if clean {
            conn.release();
        }
        result
    }};
}

/// Runs `$body` (an expression using `$c`, a pooled client) outside an explicit transaction:
/// for reads and for single-statement writes (atomic on their own).
macro_rules! on_client {
    ($self:ident, |$c:ident| $body:expr) => {{
        let $c = $self.client().await?;
        $body.await
    }};
}

/// As [`on_client`], for a read a read view may send to the standby ([`PgStore::reader`]).
macro_rules! on_reader {
    ($self:ident, |$c:ident| $body:expr) => {{
        let $c = $self.reader().await?;
        $body.await
    }};
}

impl PgStore {
    /// Connects to `url` (`postgres://user:password@host:port/dbname?...` or a `key=value`
    /// connection string), applies pending migrations (under an advisory lock: several
    /// processes may start together) and starts the audit writer task on the current tokio
    /// runtime.
    ///
    /// Refuses with `StoreError::SchemaTooNew` a database migrated by a newer Steward, and
    /// with `StoreError::Invalid` a URL that does not parse (the message never repeats the
    /// URL: it may hold a password). TLS is not built in: use a local socket, a private
    /// network or a TLS-terminating proxy.
    pub async fn connect(url: &str, options: PgOptions) -> Result<PgStore, StoreError> {
        let mut cfg: tokio_postgres::Config = url.parse().map_err(|_| {
            ValueError::new(
                "postgres url",
                "must be postgres://user[:password]@host[:port]/dbname or key=value pairs",
            )
        })?;
        if cfg.get_application_name().is_none() {
            cfg.application_name(options.application_name.clone());
        }
        if cfg.get_connect_timeout().is_none() {
            cfg.connect_timeout(options.connect_timeout);
        }
        let target = describe(&cfg);
        let manager = Manager::from_config(
            cfg,
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(options.pool_size.max(1))
            .runtime(Runtime::Tokio1)
            .wait_timeout(Some(options.wait_timeout))
            .create_timeout(Some(options.connect_timeout))
            .build()
            .map_err(StoreError::backend)?;
        {
            let mut client = pool.get().await.map_err(pool_error)?;
            #[expect(
                clippy::disallowed_methods,
                reason = "the store has no injected clock: a migration is stamped with the real time it is applied"
            )]
            let applied_at = PgTime::of(Timestamp::now());
            schema::migrate(&mut client, applied_at).await?;
        }
        let audit = AuditWriter::start(pool.clone(), options.audit_batch);
        // Recovery: chain the audit intents of writes that committed in a process that died
        // before chaining them (see `audit_writer`).
        let recovered = crate::audit_writer::drain_intents(&pool, options.audit_batch).await?;
        Ok(PgStore {
            inner: Arc::new(Inner {
                pool,
                audit,
                target,
                recovered,
                audit_batch: options.audit_batch,
                standby: None,
            }),
            standby_reads: false,
        })
    }

    /// This store with a read connection to a streaming standby at `url`: the
    /// [`read_view`](Store::read_view) it then offers sends the reads that may be a little
    /// stale (facts for decisions, disclosures, audit queries: see [`crate::standby`]) there
    /// while the standby's replay lag stays under `max_lag`, and to the primary otherwise. The
    /// store itself, and every write of either, stays on the primary. Nothing is migrated on
    /// the standby (it replays the primary's schema); a standby that is not in recovery, or
    /// whose schema is not this binary's, is refused.
    ///
    /// # Errors
    /// `Invalid` for a URL that does not parse, `Backend` when the standby cannot be reached,
    /// `Invalid` for a server that is not a standby or has another schema version.
    pub async fn with_standby(
        self,
        url: &str,
        options: &PgOptions,
        max_lag: Duration,
    ) -> Result<PgStore, StoreError> {
        let standby =
            crate::standby::Standby::connect(url, options, self.inner.pool.clone(), max_lag)
                .await?;
        let inner = Inner {
            pool: self.inner.pool.clone(),
            audit: self.inner.audit.clone(),
            target: self.inner.target.clone(),
            recovered: self.inner.recovered,
            audit_batch: self.inner.audit_batch,
            standby: Some(standby),
        };
        Ok(PgStore {
            inner: Arc::new(inner),
            standby_reads: false,
        })
    }

    /// The read view ([`Store::read_view`]) as a `PgStore`: `None` without a standby.
    pub fn standby_view(&self) -> Option<PgStore> {
        self.inner.standby.as_ref()?;
        Some(PgStore {
            inner: Arc::clone(&self.inner),
            standby_reads: true,
        })
    }

    /// `user@host:port/dbname` of the standby, when one is attached.
    pub fn standby_target(&self) -> Option<&str> {
        self.inner
            .standby
            .as_ref()
            .map(crate::standby::Standby::target)
    }

    /// Whether reads of this handle would go to the standby now (it is this store's read view,
    /// a standby is attached and caught up within the allowed lag).
    pub fn reads_from_standby(&self) -> bool {
        self.standby_reads
            && self
                .inner
                .standby
                .as_ref()
                .is_some_and(crate::standby::Standby::caught_up)
    }

    /// A pooled connection for a read that may be served by the standby.
    ///
    /// INVARIANT: only a read view (`standby_reads`) ever reads from the standby; the standby
    /// is used only while its replay lag is known to be within the bound, and a standby that
    /// does not give a connection falls back to the primary (a standby outage never fails a
    /// read).
    pub(crate) async fn reader(&self) -> Result<deadpool_postgres::Client, StoreError> {
        if self.standby_reads
            && let Some(s) = &self.inner.standby
            && s.caught_up()
        {
            match s.client().await {
                Ok(c) => return Ok(c),
                Err(e) => {
                    tracing::warn!(error = %e, "standby unavailable: reading from the primary")
                }
            }
        }
        self.client().await
    }

    /// The schema version this binary writes.
    pub const fn schema_version() -> u32 {
        SCHEMA_VERSION
    }

    /// `user@host:port/dbname` (no password), for logs.
    pub fn target(&self) -> &str {
        &self.inner.target
    }

    /// The audit intents a crash had left and that were chained when this store connected.
    pub fn recovered_audit_intents(&self) -> u64 {
        self.inner.recovered
    }

    /// Waits until the audit intents committed so far are chained (see
    /// [`crate::audit_writer`]): what `write_audited` does after its commit.
    pub(crate) async fn sync_audit(&self) -> Result<(), StoreError> {
        self.inner.audit.sync().await
    }

    pub(crate) async fn client(&self) -> Result<deadpool_postgres::Client, StoreError> {
        self.inner.pool.get().await.map_err(pool_error)
    }
}

#[async_trait]
impl SubjectStore for PgStore {
    async fn create_subject(&self, s: &NewSubject) -> Result<SubjectRecord, StoreError> {
        in_tx!(self, |tx| subject::create(tx, s))
    }

    async fn get_subject(&self, id: SubjectId) -> Result<SubjectRecord, StoreError> {
        on_reader!(self, |c| subject::require(&c, id))
    }

    async fn update_subject(
        &self,
        id: SubjectId,
        expected_revision: u64,
        facts: &SubjectFacts,
        at: Timestamp,
    ) -> Result<SubjectRecord, StoreError> {
        in_tx!(self, |tx| subject::update(
            tx,
            id,
            expected_revision,
            facts,
            at
        ))
    }

    async fn attach_identity(&self, link: &IdentityLink) -> Result<(), StoreError> {
        in_tx!(self, |tx| subject::attach_identity(tx, link))
    }

    async fn detach_identity(
        &self,
        s: SubjectId,
        identity: &IdentityRef,
    ) -> Result<bool, StoreError> {
        on_client!(self, |c| subject::detach_identity(&c, s, identity))
    }

    async fn find_by_identity(
        &self,
        identity: &IdentityRef,
    ) -> Result<Vec<IdentityLink>, StoreError> {
        on_client!(self, |c| subject::find_by_identity(&c, identity))
    }

    async fn identities_of(&self, s: SubjectId) -> Result<Vec<IdentityLink>, StoreError> {
        on_reader!(self, |c| subject::identities_of(&c, s))
    }

    async fn subject_facts(&self, s: SubjectId) -> Result<StoredFacts, StoreError> {
        on_reader!(self, |c| facts::get(&c, s))
    }

    async fn subject_facts_many(&self, ids: &[SubjectId]) -> Result<Vec<StoredFacts>, StoreError> {
        on_reader!(self, |c| facts::many(&c, ids))
    }

    async fn erase_subject(&self, e: &SubjectErasure) -> Result<ErasureOutcome, StoreError> {
        in_tx!(self, |tx| subject::erase(tx, e))
    }

    async fn change_of_control_notices(
        &self,
        s: SubjectId,
    ) -> Result<Vec<steward_store::ChangeOfControlNotice>, StoreError> {
        on_client!(self, |c| crate::ops::control::of_subject(&c, s))
    }
}

#[async_trait]
impl AccountStore for PgStore {
    async fn create_account(&self, a: &NewAccount) -> Result<AccountRecord, StoreError> {
        in_tx!(self, |tx| account::create(tx, a))
    }

    async fn get_account(&self, id: AccountId) -> Result<AccountRecord, StoreError> {
        on_client!(self, |c| async {
            account::get(&c, id)
                .await?
                .ok_or(StoreError::NotFound(Entity::Account))
        })
    }

    async fn close_account(
        &self,
        id: AccountId,
        at: Timestamp,
    ) -> Result<AccountRecord, StoreError> {
        on_client!(self, |c| account::close(&c, id, at))
    }

    async fn add_member(
        &self,
        a: AccountId,
        s: SubjectId,
        role: MemberRole,
        at: Timestamp,
    ) -> Result<MemberRecord, StoreError> {
        in_tx!(self, |tx| account::add_member(tx, a, s, role, at))
    }

    async fn remove_member(
        &self,
        a: AccountId,
        s: SubjectId,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        on_client!(self, |c| account::remove_member(&c, a, s, at))
    }

    async fn list_members(&self, a: AccountId) -> Result<Vec<MemberRecord>, StoreError> {
        on_client!(self, |c| account::list_members(&c, a))
    }

    async fn memberships_of(&self, s: SubjectId) -> Result<Vec<MemberRecord>, StoreError> {
        on_reader!(self, |c| account::memberships_of(&c, s))
    }

    async fn grant_admin(&self, g: &NewAdminGrant) -> Result<AdminGrant, StoreError> {
        in_tx!(self, |tx| account::grant_admin(tx, g))
    }

    async fn revoke_admin(
        &self,
        grant: GrantId,
        revoked_by: SubjectId,
        at: Timestamp,
    ) -> Result<AdminGrant, StoreError> {
        on_client!(self, |c| account::revoke_admin(&c, grant, revoked_by, at))
    }

    async fn list_agreements(
        &self,
        accounts: &[AccountId],
    ) -> Result<Vec<AgreementAcceptance>, StoreError> {
        on_reader!(self, |c| account::list_agreements(&c, accounts))
    }

    async fn list_carrier_selections(
        &self,
        accounts: &[AccountId],
    ) -> Result<Vec<CarrierSelection>, StoreError> {
        on_reader!(self, |c| account::list_selections(&c, accounts))
    }

    async fn list_admin_grants(&self, a: AccountId) -> Result<Vec<AdminGrant>, StoreError> {
        on_client!(self, |c| account::list_grants(&c, a))
    }

    async fn active_admin_grants(
        &self,
        a: AccountId,
        grantee: SubjectId,
        at: Timestamp,
    ) -> Result<Vec<AdminGrant>, StoreError> {
        on_client!(self, |c| account::active_grants(&c, a, grantee, at))
    }
}

#[async_trait]
impl ItemStore for PgStore {
    async fn put_items(&self, items: &[NewItem]) -> Result<(), StoreError> {
        if items.is_empty() {
            return Ok(());
        }
        in_tx!(self, |tx| item::put(tx, items))
    }

    async fn get_item(&self, id: ItemId) -> Result<ItemRecord, StoreError> {
        on_client!(self, |c| async {
            item::get(&c, id)
                .await?
                .ok_or(StoreError::NotFound(Entity::Item))
        })
    }

    async fn list_items(&self, s: SubjectId) -> Result<Vec<ItemRecord>, StoreError> {
        on_client!(self, |c| item::list(&c, s))
    }

    async fn replace_item_value(
        &self,
        id: ItemId,
        value: &Ciphertext,
        at: Timestamp,
    ) -> Result<ItemRecord, StoreError> {
        in_tx!(self, |tx| item::replace_value(tx, id, value, at))
    }

    async fn set_item_retention(
        &self,
        id: ItemId,
        retain_until: Option<Timestamp>,
    ) -> Result<ItemRecord, StoreError> {
        in_tx!(self, |tx| item::set_retention(tx, id, retain_until))
    }

    async fn erase_item(&self, id: ItemId, at: Timestamp) -> Result<bool, StoreError> {
        on_client!(self, |c| item::erase(&c, id, at))
    }

    async fn items_past_retention(
        &self,
        now: Timestamp,
        limit: u32,
    ) -> Result<Vec<ItemRecord>, StoreError> {
        on_client!(self, |c| item::past_retention(&c, now, limit))
    }

    async fn lifecycle_events(
        &self,
        s: SubjectId,
    ) -> Result<Vec<steward_store::model::lifecycle::LifecycleEvent>, StoreError> {
        on_client!(self, |c| item::lifecycle_events(&c, s))
    }

    async fn items_derived_from(&self, sources: &[ItemId]) -> Result<Vec<ItemId>, StoreError> {
        on_client!(self, |c| item::derived_from(&c, sources))
    }
}

#[async_trait]
impl KeyStore for PgStore {
    async fn put_wrapped_key(&self, k: &NewWrappedKey) -> Result<(), StoreError> {
        in_tx!(self, |tx| key::put(tx, k))
    }

    async fn get_wrapped_key(&self, s: SubjectId) -> Result<WrappedKey, StoreError> {
        on_client!(self, |c| key::get(&c, s))
    }

    async fn rewrap_key(
        &self,
        s: SubjectId,
        expected_kek: &KekId,
        new_kek: &KekId,
        wrapped: &WrappedKeyBytes,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        in_tx!(self, |tx| key::rewrap(
            tx,
            s,
            expected_kek,
            new_kek,
            wrapped,
            at
        ))
    }

    async fn destroy_wrapped_key(&self, s: SubjectId, at: Timestamp) -> Result<bool, StoreError> {
        in_tx!(self, |tx| key::destroy(tx, s, at, false))
    }

    async fn keys_wrapped_by(
        &self,
        kek: &KekId,
        after: Option<SubjectId>,
        limit: u32,
    ) -> Result<Vec<SubjectId>, StoreError> {
        on_client!(self, |c| key::wrapped_by(&c, kek, after, limit))
    }
}

#[async_trait]
impl ChoiceLedger for PgStore {
    async fn append_choices(&self, entries: &[ChoiceEntry]) -> Result<(), StoreError> {
        match entries {
            [] => Ok(()),
            [one] => on_client!(self, |c| choice::append_one(&c, one)),
            _ => in_tx!(self, |tx| choice::append(tx, entries)),
        }
    }

    async fn list_choices(&self, parties: &[Party]) -> Result<Vec<ChoiceEntry>, StoreError> {
        if parties.is_empty() {
            return Ok(Vec::new());
        }
        on_reader!(self, |c| choice::list(&c, parties))
    }
}

#[async_trait]
impl DisclosureRegister for PgStore {
    async fn record_disclosures(&self, records: &[DisclosureRecord]) -> Result<(), StoreError> {
        if records.is_empty() {
            return Ok(());
        }
        in_tx!(self, |tx| disclosure::record(tx, records))
    }

    async fn list_disclosures(
        &self,
        q: &DisclosureQuery,
    ) -> Result<Vec<DisclosureRecord>, StoreError> {
        on_reader!(self, |c| disclosure::list(&c, q))
    }
}

#[async_trait]
impl AuditLog for PgStore {
    async fn append_audit(&self, events: &[AuditEvent]) -> Result<Vec<AuditSeq>, StoreError> {
        if events.is_empty() {
            return Ok(Vec::new());
        }
        let encoded = encode_all(events)?;
        self.inner.audit.append(encoded).await
    }

    async fn audit_head(&self) -> Result<Option<ChainHead>, StoreError> {
        on_client!(self, |c| audit::head(&c))
    }

    async fn audit_links(
        &self,
        after: Option<AuditSeq>,
        limit: u32,
    ) -> Result<Vec<ChainLink>, StoreError> {
        // A large page (verification) is read as two halves by sequence number on two
        // connections at once, so two server processes produce rows while this one decodes.
        let start = after.map_or(0, AuditSeq::get);
        if limit < SPLIT_LINKS_AT {
            return on_client!(self, |c| audit::links(&c, after, limit));
        }
        let first = self.client().await?;
        // Only if a second connection is free right now (never wait holding the first).
        let Ok(second) = self.inner.pool.timeout_get(&NO_WAIT).await else {
            return audit::links(&first, after, limit).await;
        };
        let mid = start.saturating_add(u64::from(limit / 2));
        let end = start.saturating_add(u64::from(limit));
        let (a, b) = join2(
            audit::links_between(&first, start, mid),
            audit::links_between(&second, mid, end),
        )
        .await;
        drop(second);
        let mut links = a?;
        links.extend(b?);
        // The two ranges hold every entry in (start, end]; with missing entries (a tampered
        // chain) the page is topped up from `end`, so it is always the next `limit` entries.
        let missing = (limit as usize).saturating_sub(links.len());
        if missing > 0 {
            let after_end = AuditSeq::new(end).ok();
            let more = u32::try_from(missing).unwrap_or(u32::MAX);
            links.extend(audit::links(&first, after_end, more).await?);
        }
        Ok(links)
    }

    async fn audit_event(&self, id: EventId) -> Result<AuditEntry, StoreError> {
        on_client!(self, |c| audit::by_event(&c, id))
    }

    async fn query_audit(&self, q: &AuditQuery) -> Result<Vec<AuditEntry>, StoreError> {
        on_reader!(self, |c| audit::query(&c, q))
    }

    async fn add_checkpoint(&self, cp: &Checkpoint) -> Result<(), StoreError> {
        on_client!(self, |c| audit::add_checkpoint(&c, cp))
    }

    async fn list_checkpoints(&self) -> Result<Vec<StoredCheckpoint>, StoreError> {
        on_client!(self, |c| audit::checkpoints(&c))
    }

    /// The write and its events as intents in one transaction (two pipelined statements, no
    /// lock on the chain head), then a sync with the audit writer, which chains the intents
    /// of every concurrent write in one group transaction. Why not chain here: see
    /// [`crate::audit_writer`].
    async fn write_audited(
        &self,
        write: &AuditedWrite,
        events: &[AuditEvent],
    ) -> Result<(), StoreError> {
        if write.is_empty() && events.is_empty() {
            return Ok(());
        }
        let encoded = encode_all(events)?;
        in_tx!(self, |tx| async {
            let (written, intents) = join2(
                async {
                    match write {
                        AuditedWrite::AppendChoices(e) if !e.is_empty() => {
                            choice::append(tx, e).await
                        }
                        AuditedWrite::PutItems(i) if !i.is_empty() => item::put(tx, i).await,
                        AuditedWrite::RecordDisclosures(r) if !r.is_empty() => {
                            disclosure::record(tx, r).await
                        }
                        AuditedWrite::RecordAgreements(r) if !r.is_empty() => {
                            account::record_agreements(tx, r).await
                        }
                        AuditedWrite::SelectCarrier(sel) => account::select_carrier(tx, sel).await,
                        AuditedWrite::WithdrawCarrier {
                            account: a,
                            id,
                            by,
                            at,
                        } => account::withdraw_carrier(tx, *a, *id, *by, *at).await,
                        AuditedWrite::PutCase { case: c, tasks } => case::put(tx, c, tasks).await,
                        AuditedWrite::RecordLifecycle(w) => item::record_lifecycle(tx, w).await,
                        AuditedWrite::PutDerivedItems { items, sources } if !items.is_empty() => {
                            item::put_derived(tx, items, sources).await
                        }
                        AuditedWrite::PutChangeOfControlNotice(n) => {
                            crate::ops::control::put(tx, n).await
                        }
                        _ => Ok(()),
                    }
                },
                audit::insert_intents(tx, &encoded),
            )
            .await;
            // The write's own error first: an aborted transaction fails the other statement too.
            written?;
            intents
        })?;
        if encoded.is_empty() {
            return Ok(());
        }
        self.inner.audit.sync().await
    }

    async fn pending_audit_intents(&self) -> Result<u64, StoreError> {
        on_client!(self, |c| audit::pending_intents(&c))
    }

    async fn chain_audit_intents(&self) -> Result<u64, StoreError> {
        crate::audit_writer::drain_intents(&self.inner.pool, self.inner.audit_batch).await
    }
}

/// Encodes events on the caller's task: the writer task only numbers, hashes and inserts.
pub(crate) fn encode_all(events: &[AuditEvent]) -> Result<Vec<audit::Encoded>, StoreError> {
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
impl steward_store::PolicyVersionStore for PgStore {
    async fn record_policy_version(
        &self,
        v: &steward_store::NewPolicyVersion,
    ) -> Result<steward_store::PolicyVersionRecord, StoreError> {
        on_client!(self, |c| crate::ops::policy_version::record(&c, v))
    }

    async fn list_policy_versions(
        &self,
    ) -> Result<Vec<steward_store::PolicyVersionRecord>, StoreError> {
        on_client!(self, |c| crate::ops::policy_version::list(&c))
    }

    async fn get_policy_version(
        &self,
        version: &str,
    ) -> Result<Option<steward_store::PolicyVersionRecord>, StoreError> {
        on_client!(self, |c| crate::ops::policy_version::get(&c, version))
    }

    async fn queue_policy_notices(
        &self,
        audience: &steward_store::NoticeAudience,
    ) -> Result<u64, StoreError> {
        on_client!(self, |c| crate::ops::policy_version::queue_notices(
            &c, audience
        ))
    }

    async fn claim_policy_notices(
        &self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: u32,
    ) -> Result<Vec<steward_store::PolicyNoticeRecord>, StoreError> {
        on_client!(self, |c| crate::ops::policy_version::claim_notices(
            &c,
            now,
            lease_until,
            limit
        ))
    }

    async fn mark_policy_notice_sent(
        &self,
        subject: SubjectId,
        version: &str,
        notice_hash: &Digest,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        on_client!(self, |c| crate::ops::policy_version::mark_notice_sent(
            &c,
            subject,
            version,
            notice_hash,
            at
        ))
    }

    async fn policy_notices_of(
        &self,
        subject: SubjectId,
    ) -> Result<Vec<steward_store::PolicyNoticeRecord>, StoreError> {
        on_client!(self, |c| crate::ops::policy_version::notices_of(
            &c, subject
        ))
    }

    async fn policy_notice_counts(
        &self,
        version: Option<&str>,
    ) -> Result<Vec<steward_store::PolicyNoticeCount>, StoreError> {
        on_client!(self, |c| crate::ops::policy_version::notice_counts(
            &c, version
        ))
    }
}

#[async_trait]
impl steward_store::SessionStore for PgStore {
    async fn create_session(&self, s: &steward_store::NewSession) -> Result<(), StoreError> {
        on_client!(self, |c| session::create(&c, s))
    }

    async fn get_session(
        &self,
        id: &Digest,
    ) -> Result<Option<steward_store::SessionRecord>, StoreError> {
        on_client!(self, |c| session::get(&c, id))
    }

    async fn touch_session(
        &self,
        id: &Digest,
        at: Timestamp,
    ) -> Result<Option<steward_store::SessionRecord>, StoreError> {
        on_client!(self, |c| session::touch(&c, id, at))
    }

    async fn revoke_session(&self, id: &Digest, at: Timestamp) -> Result<bool, StoreError> {
        on_client!(self, |c| session::revoke(&c, id, at))
    }

    async fn revoke_sessions_of(&self, s: SubjectId, at: Timestamp) -> Result<u64, StoreError> {
        on_client!(self, |c| session::revoke_of(&c, s, at))
    }

    async fn purge_sessions(&self, before: Timestamp) -> Result<u64, StoreError> {
        on_client!(self, |c| session::purge(&c, before))
    }

    async fn spend_token(
        &self,
        id: &Digest,
        expires_at: Timestamp,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        on_client!(self, |c| session::spend_token(&c, id, expires_at, now))
    }

    async fn count_failure(
        &self,
        key: &Digest,
        now: Timestamp,
        window_start: Timestamp,
    ) -> Result<steward_store::FailureCount, StoreError> {
        on_client!(self, |c| session::count_failure(&c, key, now, window_start))
    }

    async fn failures(
        &self,
        key: &Digest,
        window_start: Timestamp,
    ) -> Result<Option<steward_store::FailureCount>, StoreError> {
        on_client!(self, |c| session::failures(&c, key, window_start))
    }

    async fn clear_failures(&self, key: &Digest) -> Result<(), StoreError> {
        on_client!(self, |c| session::clear_failures(&c, key))
    }
}

#[async_trait]
impl ApiKeyStore for PgStore {
    async fn create_api_key(&self, k: &NewApiKey) -> Result<ApiKeyRecord, StoreError> {
        in_tx!(self, |tx| apikey::create(tx, k))
    }

    async fn get_api_key(&self, id: ApiKeyId) -> Result<ApiKeyRecord, StoreError> {
        on_client!(self, |c| apikey::require(&c, id))
    }

    async fn find_api_key_by_hash(
        &self,
        hash: &Digest,
    ) -> Result<Option<ApiKeyRecord>, StoreError> {
        on_client!(self, |c| apikey::find_by_hash(&c, hash))
    }

    async fn list_api_keys(&self) -> Result<Vec<ApiKeyRecord>, StoreError> {
        on_client!(self, |c| apikey::list(&c))
    }

    async fn revoke_api_key(
        &self,
        id: ApiKeyId,
        at: Timestamp,
    ) -> Result<ApiKeyRecord, StoreError> {
        on_client!(self, |c| apikey::revoke(&c, id, at))
    }

    async fn count_active_api_keys(&self) -> Result<u64, StoreError> {
        on_client!(self, |c| apikey::count_active(&c))
    }
}

#[async_trait]
impl CaseStore for PgStore {
    async fn get_case(&self, id: CaseId) -> Result<CaseRecord, StoreError> {
        on_client!(self, |c| async move {
            case::get(&c, id)
                .await?
                .ok_or(StoreError::NotFound(Entity::Case))
        })
    }

    async fn list_cases(
        &self,
        kind: CaseKind,
        include_closed: bool,
        limit: u32,
    ) -> Result<Vec<CaseRecord>, StoreError> {
        on_client!(self, |c| case::list(&c, kind, include_closed, limit))
    }

    async fn cases_of_subject(
        &self,
        subject: SubjectId,
        kind: CaseKind,
    ) -> Result<Vec<CaseRecord>, StoreError> {
        on_client!(self, |c| case::of_subject(&c, subject, kind))
    }

    async fn case_tasks(&self, id: CaseId) -> Result<Vec<CaseTask>, StoreError> {
        on_client!(self, |c| case::tasks(&c, id))
    }

    async fn open_case_tasks(&self, kind: CaseKind) -> Result<Vec<CaseTask>, StoreError> {
        on_client!(self, |c| case::open_tasks(&c, kind))
    }

    async fn compute_affected(
        &self,
        q: &steward_store::AffectedQuery,
    ) -> Result<Vec<steward_store::AffectedCount>, StoreError> {
        in_tx!(self, |tx| crate::ops::incident::compute(tx, q))
    }

    async fn affected_subjects(
        &self,
        incident: CaseId,
        pending_only: bool,
        after: Option<SubjectId>,
        limit: u32,
    ) -> Result<Vec<steward_store::AffectedSubject>, StoreError> {
        on_client!(self, |c| crate::ops::incident::subjects(
            &c,
            incident,
            pending_only,
            after,
            limit
        ))
    }

    async fn enqueue_affected_notices(
        &self,
        incident: CaseId,
        notices: &[steward_store::AffectedNotice],
        at: Timestamp,
    ) -> Result<Vec<SubjectId>, StoreError> {
        in_tx!(self, |tx| crate::ops::incident::enqueue_notices(
            tx, incident, notices, at
        ))
    }
}

#[async_trait]
impl Store for PgStore {
    fn backend(&self) -> &'static str {
        "postgres"
    }

    fn read_view(&self) -> Option<ReadView> {
        let max_lag = self.inner.standby.as_ref()?.max_lag();
        Some(ReadView {
            store: Arc::new(self.standby_view()?),
            max_lag,
        })
    }

    async fn schema_status(&self) -> Result<SchemaStatus, StoreError> {
        let database = on_client!(self, |c| schema::current_version(&c))?;
        Ok(SchemaStatus {
            database,
            binary: SCHEMA_VERSION,
        })
    }
}
