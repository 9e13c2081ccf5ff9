//! The application state shared by every handler: the core service, API keys, metrics, the
//! rate limiter, the validated configuration and what is computed once (the OpenAPI
//! document, the policy test results).

use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use axum::body::Bytes;
use steward_core::Steward;
use steward_core::apikeys::ApiKeys;
use steward_core::ingest::Ingestor;
use steward_requests::Requests;

use crate::config::ServerConfig;
use crate::metrics::Metrics;
use crate::ratelimit::RateLimiter;

/// The policy file the service runs, for `GET /v1/policy/tests` (the shipped cases are run
/// against this text).
#[derive(Debug, Clone)]
pub struct PolicySource {
    /// File name, for diagnostics.
    pub name: String,
    /// The TOML text.
    pub text: String,
}

impl PolicySource {
    /// The policy shipped in the binary.
    #[must_use]
    pub fn shipped() -> PolicySource {
        PolicySource {
            name: steward_policy::DEFAULT_POLICY_NAME.to_string(),
            text: steward_policy::DEFAULT_POLICY.to_string(),
        }
    }
}

/// The policy file in force and the shipped cases' results against it (computed on first
/// request, once per policy text: a reloaded policy starts with none).
#[derive(Debug)]
pub(crate) struct PolicyInForce {
    pub source: PolicySource,
    pub tests: tokio::sync::OnceCell<steward_api::policy::PolicyTests>,
}

impl PolicyInForce {
    fn new(source: PolicySource) -> PolicyInForce {
        PolicyInForce {
            source,
            tests: tokio::sync::OnceCell::new(),
        }
    }
}

/// Shared state (cheap to clone).
#[derive(Debug, Clone)]
pub struct AppState(pub(crate) Arc<Inner>);

#[derive(Debug)]
pub(crate) struct Inner {
    pub steward: Arc<Steward>,
    pub keys: ApiKeys,
    pub metrics: Metrics,
    pub limiter: RateLimiter,
    pub config: ServerConfig,
    pub policy: std::sync::RwLock<Arc<PolicyInForce>>,
    pub openapi: Bytes,
    pub draining: AtomicBool,
    pub requests: std::sync::OnceLock<Arc<Requests>>,
    pub ingestor: std::sync::OnceLock<Arc<Ingestor>>,
    pub public_limiter: crate::ratelimit::ClientLimiter,
}

impl AppState {
    /// State for a started core.
    #[must_use]
    pub fn new(steward: Arc<Steward>, config: ServerConfig, policy: PolicySource) -> AppState {
        let keys = ApiKeys::with_ttl(steward.clone(), config.key_cache);
        AppState(Arc::new(Inner {
            steward,
            keys,
            metrics: Metrics::default(),
            limiter: RateLimiter::default(),
            config,
            policy: std::sync::RwLock::new(Arc::new(PolicyInForce::new(policy))),
            openapi: Bytes::from(crate::openapi::spec_bytes()),
            draining: AtomicBool::new(false),
            requests: std::sync::OnceLock::new(),
            ingestor: std::sync::OnceLock::new(),
            public_limiter: crate::ratelimit::ClientLimiter::default(),
        }))
    }

    /// The policy in force (its file name and text).
    pub(crate) fn policy(&self) -> Arc<PolicyInForce> {
        Arc::clone(
            &self
                .0
                .policy
                .read()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        )
    }

    /// Puts a new version of the policy in force (its file was rewritten): decisions use
    /// `engine` from now on, the facts cache is dropped, and `/v1/policy/tests` runs the
    /// shipped cases against the new text.
    pub fn install_policy(&self, source: PolicySource, engine: Arc<steward_policy::Engine>) {
        let fresh = Arc::new(PolicyInForce::new(source));
        *self
            .0
            .policy
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = fresh;
        self.0.steward.set_engine(engine);
    }

    /// The core service.
    #[must_use]
    pub fn steward(&self) -> &Arc<Steward> {
        &self.0.steward
    }

    /// API keys.
    #[must_use]
    pub fn keys(&self) -> &ApiKeys {
        &self.0.keys
    }

    /// Metrics.
    #[must_use]
    pub fn metrics(&self) -> &Metrics {
        &self.0.metrics
    }

    /// The configuration.
    #[must_use]
    pub fn config(&self) -> &ServerConfig {
        &self.0.config
    }

    /// Attach the data subject request workflow (once; `steward serve` always does).
    /// Returns `false` when one was already attached.
    pub fn set_requests(&self, requests: Arc<Requests>) -> bool {
        self.0.requests.set(requests).is_ok()
    }

    /// The data subject request workflow, when attached.
    #[must_use]
    pub fn requests(&self) -> Option<&Arc<Requests>> {
        self.0.requests.get()
    }

    /// Attach the usage-data path (once; `steward serve` does when the IP pseudonymization
    /// key is configured). Returns `false` when one was already attached.
    pub fn set_ingestor(&self, ingestor: Arc<Ingestor>) -> bool {
        self.0.ingestor.set(ingestor).is_ok()
    }

    /// The usage-data path, when attached. Without it `/v1/events` answers 503
    /// `IP_KEY_MISSING`: no raw address is ever stored (IPPS-02).
    #[must_use]
    pub fn ingestor(&self) -> Option<&Arc<Ingestor>> {
        self.0.ingestor.get()
    }

    /// Mark the service as shutting down (`/readyz` answers 503 from then on).
    pub fn set_draining(&self) {
        self.0
            .draining
            .store(true, std::sync::atomic::Ordering::SeqCst);
    }
}
