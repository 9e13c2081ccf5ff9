//! API keys (SEC-05): minted once, stored hashed, checked in constant time, scoped.
//!
//! A key is a `stw_…` secret from `steward-vault` ([`ApiKeySecret`]); the store keeps only its
//! SHA-256 hash ([`ApiKeyHash`]) with a name, scopes, an optional account limit (ADMIN-*) and
//! an optional rate limit. [`ApiKeys::authenticate`] hashes a presented key, looks the record
//! up by that hash (an indexed lookup, cached for a few seconds) and compares the hashes in
//! constant time. Creating and revoking keys are audited (`AuditKind::Key`); the secret is
//! never logged, audited or stored.
//!
//! Revocation is effective at once on the process that revoked the key (its cache entry is
//! dropped) and within [`KEY_CACHE_TTL`] on other replicas sharing the database.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};
use steward_errors::ErrorCode;

use steward_store::error::StoreError;
use steward_store::ids::{AccountId, ApiKeyId};
use steward_store::model::apikey::{ApiKeyRecord, NewApiKey};
use steward_store::model::audit::{AuditKind, EventRef};
use steward_store::values::{ApiScope, AttrValue, Digest, FieldName, ServiceKey};
use steward_vault::{ApiKeyHash, ApiKeySecret};

use crate::error::CoreError;
use crate::{Caller, Steward};

/// The scopes the service knows. `admin` implies every other scope. `events`: push usage
/// events only (an edge collector); `aggregates`: k-anonymous usage and USPS aggregates only;
/// `security`: the log-in security log (IPPS-05, the security role).
pub const SCOPES: &[&str] = &[
    "decide",
    "write",
    "read_pii",
    "choices",
    "dsr",
    "events",
    "aggregates",
    "security",
    "admin",
];

/// How long an authenticated key is reused without asking the store again.
pub const KEY_CACHE_TTL: Duration = Duration::from_secs(5);
const CACHE_CAP: usize = 10_000;

/// The fixed id of the bootstrap key, so that replicas starting together on one database
/// mint at most one (the second create conflicts).
const BOOTSTRAP_ID: uuid::Uuid = uuid::Uuid::from_u128(0x0000_0000_0000_7000_8000_0000_0000_0001);

/// A key to mint.
#[derive(Debug, Clone)]
pub struct KeyInput {
    /// A name for people and the audit log, `[a-z0-9_:.-]{1,64}` (e.g. `svc:checkout`).
    pub name: String,
    /// Scopes, from [`SCOPES`]; at least one.
    pub scopes: Vec<String>,
    /// Limit the key to one account's data (ADMIN-*).
    pub account: Option<AccountId>,
    /// Requests per second allowed to this key.
    pub rate_per_sec: Option<u32>,
}

/// A freshly minted key: the secret (show it once) and its stored record.
#[derive(Debug, Clone)]
pub struct Minted {
    /// The secret (redacted in `Debug`).
    pub secret: ApiKeySecret,
    /// The stored record.
    pub record: ApiKeyRecord,
}

/// Why a presented key was refused. The HTTP edge answers every variant with the same 401
/// (an attacker learns nothing from the difference); the variants exist for metrics.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    /// Not in the `stw_…` format.
    #[error("not a steward API key")]
    Malformed,
    /// No key has this hash.
    #[error("unknown API key")]
    Unknown,
    /// The key was revoked.
    #[error("the API key was revoked")]
    Revoked,
    /// The store could not be asked.
    #[error(transparent)]
    Unavailable(CoreError),
}

/// Whether `record` holds `scope` (`admin` holds every scope).
#[must_use]
pub fn has_scope(record: &ApiKeyRecord, scope: &str) -> bool {
    record.has_scope(scope) || record.has_scope("admin")
}

type CacheEntry = (Arc<ApiKeyRecord>, Instant);

/// API key management and authentication, over the store's `ApiKeyStore`.
#[derive(Debug)]
pub struct ApiKeys {
    steward: Arc<Steward>,
    cache: RwLock<HashMap<[u8; 32], CacheEntry>>,
    ttl: Duration,
}

impl ApiKeys {
    /// Keys of this service, cached for [`KEY_CACHE_TTL`].
    #[must_use]
    pub fn new(steward: Arc<Steward>) -> ApiKeys {
        ApiKeys::with_ttl(steward, KEY_CACHE_TTL)
    }

    /// With another cache lifetime (zero: ask the store on every request).
    #[must_use]
    pub fn with_ttl(steward: Arc<Steward>, ttl: Duration) -> ApiKeys {
        ApiKeys {
            steward,
            cache: RwLock::new(HashMap::new()),
            ttl,
        }
    }

    /// Check a presented key. Returns its record when it is active.
    ///
    /// # Errors
    /// [`AuthError`] for a malformed, unknown or revoked key, or when the store is down.
    pub async fn authenticate(&self, presented: &str) -> Result<Arc<ApiKeyRecord>, AuthError> {
        let hash = ApiKeyHash::of_presented(presented).map_err(|_| AuthError::Malformed)?;
        let bytes = *hash.as_bytes();
        // SECURITY: the map is keyed by the SHA-256 of a 256-bit random secret; timing of the
        // lookup can reveal at most a prefix of a hash, never of a secret. The final check
        // below compares the full hashes in constant time.
        let cached = self.cache.read().ok().and_then(|m| {
            m.get(&bytes)
                .filter(|(_, at)| at.elapsed() < self.ttl)
                .map(|(r, _)| r.clone())
        });
        let record = match cached {
            Some(r) => r,
            None => {
                let found = self
                    .steward
                    .store()
                    .find_api_key_by_hash(&Digest(bytes))
                    .await
                    .map_err(|e| AuthError::Unavailable(e.into()))?;
                let Some(found) = found else {
                    return Err(AuthError::Unknown);
                };
                let r = Arc::new(found);
                if r.is_active()
                    && !self.ttl.is_zero()
                    && let Ok(mut m) = self.cache.write()
                {
                    if m.len() >= CACHE_CAP {
                        m.clear();
                    }
                    #[expect(
                        clippy::disallowed_methods,
                        reason = "a cache entry's age is monotonic time, not the service's clock"
                    )]
                    m.insert(bytes, (r.clone(), Instant::now()));
                }
                r
            }
        };
        if !steward_vault::ct_eq(&record.hash.0, &bytes) {
            return Err(AuthError::Unknown);
        }
        if !record.is_active() {
            return Err(AuthError::Revoked);
        }
        Ok(record)
    }

    /// Mint a key; the secret is returned once and never stored.
    ///
    /// # Errors
    /// `Invalid` name, scope or rate; `NotFound` account.
    pub async fn create(&self, caller: &Caller, input: KeyInput) -> Result<Minted, CoreError> {
        self.create_with_id(caller, ApiKeyId::generate(), input)
            .await
    }

    async fn create_with_id(
        &self,
        caller: &Caller,
        id: ApiKeyId,
        input: KeyInput,
    ) -> Result<Minted, CoreError> {
        let name = ServiceKey::new(input.name.clone()).map_err(|_| {
            CoreError::invalid(
                ErrorCode::BadKeyName,
                format!(
                    "key name `{}` must match [a-z0-9_:.-]{{1,64}}",
                    input.name.chars().take(80).collect::<String>()
                ),
            )
        })?;
        if input.scopes.is_empty() {
            return Err(CoreError::invalid(
                ErrorCode::BadScope,
                "a key needs at least one scope",
            ));
        }
        let mut scopes = BTreeSet::new();
        for s in &input.scopes {
            if !SCOPES.contains(&s.as_str()) {
                return Err(CoreError::invalid(
                    ErrorCode::BadScope,
                    format!(
                        "unknown scope `{}`: use {}",
                        s.chars().take(40).collect::<String>(),
                        SCOPES.join(", ")
                    ),
                ));
            }
            scopes.insert(
                ApiScope::new(s.clone())
                    .map_err(|e| CoreError::invalid(ErrorCode::BadScope, e.to_string()))?,
            );
        }
        if input.rate_per_sec == Some(0) {
            return Err(CoreError::invalid(
                ErrorCode::BadRate,
                "`rate_per_sec` must be at least 1",
            ));
        }
        if let Some(a) = input.account {
            self.steward.store().get_account(a).await?;
        }
        let (secret, hash) =
            ApiKeySecret::generate().map_err(|_| CoreError::Unavailable("no system randomness"))?;
        let new = NewApiKey {
            id,
            name,
            hash: Digest(*hash.as_bytes()),
            scopes,
            account: input.account,
            rate_per_sec: input.rate_per_sec,
            created_at: steward_store::values::store_precision(self.steward.clock().now()),
        };
        let record = self.steward.store().create_api_key(&new).await?;
        if record.hash != new.hash {
            // Idempotent create returned another key stored under this id.
            return Err(CoreError::Conflict {
                code: ErrorCode::KeyExists,
                message: "a key with this id already exists".into(),
            });
        }
        let mut e = self.steward.event(AuditKind::Key, "api_key.create", caller);
        e.account = record.account;
        if let Ok(n) = FieldName::new("api_key") {
            e.refs.push(EventRef {
                name: n,
                id: record.id.as_uuid(),
            });
        }
        e.attributes = record
            .scopes
            .iter()
            .filter_map(|s| {
                Some(steward_store::model::audit::Attribute {
                    name: FieldName::new("scope").ok()?,
                    value: AttrValue::new(s.as_str()).ok()?,
                })
            })
            .collect();
        self.steward.audit().append_one(e).await?;
        Ok(Minted { secret, record })
    }

    /// Revoke a key (effective at once here, within [`KEY_CACHE_TTL`] on other replicas).
    ///
    /// # Errors
    /// `NotFound`.
    pub async fn revoke(&self, caller: &Caller, id: ApiKeyId) -> Result<ApiKeyRecord, CoreError> {
        let at = steward_store::values::store_precision(self.steward.clock().now());
        let record = self.steward.store().revoke_api_key(id, at).await?;
        if let Ok(mut m) = self.cache.write() {
            m.remove(&record.hash.0);
        }
        let mut e = self.steward.event(AuditKind::Key, "api_key.revoke", caller);
        e.account = record.account;
        if let Ok(n) = FieldName::new("api_key") {
            e.refs.push(EventRef {
                name: n,
                id: record.id.as_uuid(),
            });
        }
        self.steward.audit().append_one(e).await?;
        Ok(record)
    }

    /// Every key, active and revoked (hashes, never secrets).
    ///
    /// # Errors
    /// Store failures.
    pub async fn list(&self) -> Result<Vec<ApiKeyRecord>, CoreError> {
        Ok(self.steward.store().list_api_keys().await?)
    }

    /// One key.
    ///
    /// # Errors
    /// `NotFound`.
    pub async fn get(&self, id: ApiKeyId) -> Result<ApiKeyRecord, CoreError> {
        Ok(self.steward.store().get_api_key(id).await?)
    }

    /// On first start (no active key), mint an `admin` key named `bootstrap-admin` and return
    /// it so the caller can print it once. Returns `None` when an active key exists or
    /// another replica minted the bootstrap key at the same moment.
    ///
    /// # Errors
    /// Store failures.
    pub async fn bootstrap(&self) -> Result<Option<Minted>, CoreError> {
        if self.steward.store().count_active_api_keys().await? > 0 {
            return Ok(None);
        }
        let input = KeyInput {
            name: "bootstrap-admin".into(),
            scopes: vec!["admin".into()],
            account: None,
            rate_per_sec: None,
        };
        let fixed = ApiKeyId::from_uuid(BOOTSTRAP_ID);
        let exists = match self.steward.store().get_api_key(fixed).await {
            Ok(_) => true,
            Err(StoreError::NotFound(_)) => false,
            Err(e) => return Err(e.into()),
        };
        // Every key was revoked after the first bootstrap: mint a new one under a fresh id.
        let id = if exists { ApiKeyId::generate() } else { fixed };
        match self.create_with_id(&Caller::System, id, input).await {
            Ok(m) => Ok(Some(m)),
            Err(CoreError::Conflict { .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admin_implies_every_scope() {
        let r = ApiKeyRecord {
            id: ApiKeyId::generate(),
            name: ServiceKey::new("x").unwrap(),
            hash: Digest::ZERO,
            scopes: [ApiScope::new("admin").unwrap()].into_iter().collect(),
            account: None,
            rate_per_sec: None,
            created_at: jiff::Timestamp::UNIX_EPOCH,
            revoked_at: None,
        };
        for s in SCOPES {
            assert!(has_scope(&r, s));
        }
        let d = ApiKeyRecord {
            scopes: [ApiScope::new("decide").unwrap()].into_iter().collect(),
            ..r
        };
        assert!(has_scope(&d, "decide"));
        assert!(!has_scope(&d, "read_pii"));
    }
}
