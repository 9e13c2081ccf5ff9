//! Steward's use cases: the vault of personal data, the choices ledger, the
//! decision service with its audit trail, the disclosure register.
//!
//! [`Steward`] ties the pure policy engine, the vault (crypto) and a
//! [`Store`] (SQLite or PostgreSQL, chosen once by the binary) together.
//! Data flows one way: server/CLI → (request workflow →) core → (policy, vault,
//! store). Nothing here speaks HTTP or SQL, nor sends mail or reads a GeoIP
//! database (regions come through [`ingest::GeoLookup`]); a test of
//! `steward-requests` checks that no driver, SMTP, HTTP, TLS or GeoIP crate is
//! among this crate's dependencies. Nothing logs personal data. The data subject
//! request workflow is built on this crate in `steward-requests`.

pub mod accounts;
pub mod admin_view;
pub mod agreements;
pub mod apikeys;
pub mod audit;
pub mod auditq;
pub mod batch;
pub mod carriers;
pub mod choices;
pub mod clock;
pub mod complaints;
pub mod control;
pub mod decisions;
pub mod disclosures;
pub mod error;
pub mod facts;
pub mod incident_people;
pub mod incidents;
pub mod ingest;
pub mod items;
pub mod legal;
pub mod lifecycle;
pub mod partner_signals;
pub mod policy_versions;
pub mod retention;
pub mod selfservice;
pub mod sessions;
pub mod subjects;
pub mod unsubscribe;
pub mod verify;

use std::sync::{Arc, RwLock};

use steward_policy::Engine;
use steward_store::Store;
use steward_store::model::audit::{Actor, AuditEvent, AuditKind};
use steward_store::values::{ActionKey, EngineVersion, EntityKey, PolicyVersion, ServiceKey};
use steward_vault::{BlindIndex, CheckpointSigner, CheckpointVerifier, Vault};

pub use audit::{AuditSettings, AuditWriter};
pub use clock::{Clock, ManualClock, SystemClock};
pub use error::{CoreError, ErrorCode};

/// The engine version recorded with every decision (AUD-01).
pub const ENGINE_VERSION: &str = concat!("steward-", env!("CARGO_PKG_VERSION"));

/// Who is calling a use case, for the audit trail and authorization.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Caller {
    /// An API client (a service of the company), by key name.
    Service(String),
    /// The subject themself (privacy center).
    Subject(steward_store::ids::SubjectId),
    /// An account administrator acting on another subject's data (ADMIN-*).
    Admin(steward_store::ids::SubjectId),
    /// Steward itself.
    System,
}

impl Caller {
    /// The actor recorded for this caller in the audit log and in request steps (a service
    /// key name is normalized to a key: lower case, at most 64 characters).
    #[must_use]
    pub fn actor(&self) -> Actor {
        match self {
            Caller::Service(name) => {
                let key: String = name
                    .chars()
                    .map(|c| {
                        if c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | ':') {
                            c.to_ascii_lowercase()
                        } else {
                            '_'
                        }
                    })
                    .take(64)
                    .collect();
                ServiceKey::new(if key.is_empty() {
                    "service".to_string()
                } else {
                    key
                })
                .map_or(Actor::System, Actor::Service)
            }
            Caller::Subject(s) | Caller::Admin(s) => Actor::Subject(*s),
            Caller::System => Actor::System,
        }
    }
}

/// Everything the core needs, built once by the binary.
#[derive(Debug)]
pub struct Parts {
    /// The store.
    pub store: Arc<dyn Store>,
    /// The compiled policy.
    pub engine: Arc<Engine>,
    /// Envelope encryption.
    pub vault: Vault,
    /// Blind index for identities.
    pub blind: BlindIndex,
    /// Signs audit checkpoints (none: checkpoints are not signed).
    pub signer: Option<Arc<CheckpointSigner>>,
    /// Verifies audit checkpoints.
    pub verifier: CheckpointVerifier,
    /// The clock.
    pub clock: Arc<dyn Clock>,
    /// The controller entity recorded on rows (SCOPE-01).
    pub controller: String,
    /// Audit writer settings.
    pub audit: AuditSettings,
}

/// The service.
#[derive(Debug)]
pub struct Steward {
    store: Arc<dyn Store>,
    /// Reads that may lag the primary by up to the view's `max_lag` (a PostgreSQL standby:
    /// [`Store::read_view`]); `None`: everything reads from `store`.
    reads: Option<Arc<dyn Store>>,
    engine: RwLock<Arc<Engine>>,
    vault: Vault,
    blind: BlindIndex,
    verifier: CheckpointVerifier,
    clock: Arc<dyn Clock>,
    controller: EntityKey,
    audit: AuditWriter,
    facts: facts::FactsCache,
    versions: policy_versions::VersionsCache,
    signer: Option<Arc<CheckpointSigner>>,
    calendar: RwLock<Arc<steward_deadlines::Calendar>>,
    audit_settings: AuditSettings,
}

impl Steward {
    /// Start the service (spawns the audit writer on the current tokio runtime).
    ///
    /// # Errors
    /// When the controller name is not a valid entity key.
    pub fn start(p: Parts) -> Result<Arc<Steward>, CoreError> {
        let controller = EntityKey::new(p.controller.clone())
            .map_err(|e| CoreError::invalid(ErrorCode::BadController, e.to_string()))?;
        let audit_settings = p.audit.clone();
        let audit = AuditWriter::start(p.store.clone(), p.signer.clone(), p.clock.clone(), p.audit);
        let view = p.store.read_view();
        let facts = match &view {
            // A subject written by this process reads its facts from the primary for as long
            // as the replica may lag (read-your-own-writes; see `facts`).
            Some(v) => facts::FactsCache::pinning_writes_for(v.max_lag),
            None => facts::FactsCache::default(),
        };
        Ok(Arc::new(Steward {
            store: p.store,
            reads: view.map(|v| v.store),
            engine: RwLock::new(p.engine),
            vault: p.vault,
            blind: p.blind,
            verifier: p.verifier,
            clock: p.clock,
            controller,
            audit,
            facts,
            versions: policy_versions::VersionsCache::default(),
            signer: p.signer,
            calendar: RwLock::new(Arc::new(steward_deadlines::Calendar::default())),
            audit_settings,
        }))
    }

    /// The policy engine in force.
    #[must_use]
    pub fn engine(&self) -> Arc<Engine> {
        match self.engine.read() {
            Ok(g) => g.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// The controller's business-day calendar (time zone, holidays) for the deadlines the core
    /// sets itself (partner opt-out notifications, CCPA-13). The request workflow installs its
    /// configured calendar (`steward_requests::Requests::new`); the default is `America/Los_Angeles`
    /// without holidays.
    #[must_use]
    pub fn calendar(&self) -> Arc<steward_deadlines::Calendar> {
        match self.calendar.read() {
            Ok(g) => g.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Install the controller's calendar (see [`Steward::calendar`]).
    pub fn set_calendar(&self, calendar: steward_deadlines::Calendar) {
        match self.calendar.write() {
            Ok(mut g) => *g = Arc::new(calendar),
            Err(poisoned) => *poisoned.into_inner() = Arc::new(calendar),
        }
    }

    /// Replace the policy in force (a new version was published).
    pub fn set_engine(&self, engine: Arc<Engine>) {
        match self.engine.write() {
            Ok(mut g) => *g = engine,
            Err(poisoned) => *poisoned.into_inner() = engine,
        }
        self.facts.clear();
    }

    /// The store.
    #[must_use]
    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    /// The store for reads that may be slightly stale (reports, console figures, the audit
    /// log's pages, facts of subjects this process has not just written): the store's read
    /// view when it has one (a PostgreSQL standby within its lag bound), else the store.
    /// Never for a read that must see a write just made.
    #[must_use]
    pub fn reads(&self) -> &Arc<dyn Store> {
        self.reads.as_ref().unwrap_or(&self.store)
    }

    /// The clock.
    #[must_use]
    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }

    /// The audit writer.
    #[must_use]
    pub fn audit(&self) -> &AuditWriter {
        &self.audit
    }

    /// The blind index.
    #[must_use]
    pub fn blind_index(&self) -> &BlindIndex {
        &self.blind
    }

    /// The vault.
    #[must_use]
    pub fn vault(&self) -> &Vault {
        &self.vault
    }

    /// The checkpoint signer, if any.
    #[must_use]
    pub fn signer(&self) -> Option<&Arc<CheckpointSigner>> {
        self.signer.as_ref()
    }

    /// Readiness: the store answers and its schema is current. Returns the backend's name
    /// (`sqlite`, `postgres`).
    ///
    /// # Errors
    /// Store failures.
    pub async fn readiness(&self) -> Result<&'static str, CoreError> {
        self.store.schema_status().await?;
        Ok(self.store.backend())
    }

    /// Flush the audit log (graceful shutdown).
    pub async fn shutdown(&self) {
        self.audit.flush().await;
        if let Some(s) = &self.signer
            && let Err(e) = audit::checkpoint(
                self.store.as_ref(),
                s,
                self.clock.as_ref(),
                &audit::HeadCopies::of(&self.audit_settings),
            )
            .await
        {
            tracing::warn!(error = %e, "final checkpoint failed");
        }
    }

    /// A new audit event of `kind` for `action` by `caller`, stamped with the clock, the
    /// policy version in force and the engine version; the use case fills in the rest and
    /// appends it through [`Steward::audit`].
    #[must_use]
    pub fn event(&self, kind: AuditKind, action: &str, caller: &Caller) -> AuditEvent {
        let action = ActionKey::new(action)
            .unwrap_or_else(|_| ActionKey::new("unknown").unwrap_or_else(|_| unreachable_key()));
        let mut e = AuditEvent::new(kind, action, caller.actor(), self.clock.now());
        let engine = self.engine();
        e.policy_version = PolicyVersion::new(engine.meta.version.to_ascii_lowercase()).ok();
        e.engine_version = EngineVersion::new(ENGINE_VERSION).ok();
        e
    }
}

fn unreachable_key() -> ActionKey {
    // INVARIANT: "unknown" is a valid action key; this is never called.
    #[expect(
        clippy::expect_used,
        reason = "INVARIANT: \"unknown\" is a valid action key; this is never called."
    )]
    ActionKey::new("x").expect("static key")
}
