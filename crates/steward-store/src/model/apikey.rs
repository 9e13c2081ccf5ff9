//! API key records (SEC-05): what a key may do, not the key itself.
//!
//! The server mints a secret, shows it once and hands the store only its SHA-256 hash
//! (`steward-vault`'s `ApiKeyHash`): the raw secret never reaches the store, so a copy of the
//! database does not let anyone call the API. A presented key is found by its hash (an indexed
//! lookup); a revoked key stays stored, so the caller can answer "revoked" rather than
//! "unknown", and so the audit log's references to it keep meaning something.

use std::collections::BTreeSet;

use jiff::Timestamp;

use crate::ids::{AccountId, ApiKeyId};
use crate::values::{ApiScope, Digest, ServiceKey};

/// An API key to record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewApiKey {
    /// Caller-chosen id (create is idempotent for identical content).
    pub id: ApiKeyId,
    /// A name for people and for the audit log (`Actor::Service(name)`), e.g. `svc:checkout`.
    pub name: ServiceKey,
    /// SHA-256 of the secret. SECURITY: never the secret itself.
    pub hash: Digest,
    /// What the key may do (at least one scope), e.g. `decide`, `write`, `read_pii`.
    pub scopes: BTreeSet<ApiScope>,
    /// A key limited to one account's data (ADMIN-*), or `None` for a service-wide key.
    pub account: Option<AccountId>,
    /// Requests per second allowed to this key, when limited (the server enforces it).
    pub rate_per_sec: Option<u32>,
    /// When it was created.
    pub created_at: Timestamp,
}

/// A stored API key record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiKeyRecord {
    /// The id.
    pub id: ApiKeyId,
    /// The name.
    pub name: ServiceKey,
    /// SHA-256 of the secret.
    pub hash: Digest,
    /// What the key may do.
    pub scopes: BTreeSet<ApiScope>,
    /// The account it is limited to, if any.
    pub account: Option<AccountId>,
    /// Its rate limit, if any.
    pub rate_per_sec: Option<u32>,
    /// When it was created.
    pub created_at: Timestamp,
    /// When it was revoked (effective immediately; the first revocation time stays).
    pub revoked_at: Option<Timestamp>,
}

impl ApiKeyRecord {
    /// Whether the key has not been revoked.
    pub fn is_active(&self) -> bool {
        self.revoked_at.is_none()
    }

    /// Whether the key holds `scope`.
    pub fn has_scope(&self, scope: &str) -> bool {
        self.scopes.iter().any(|s| s.as_str() == scope)
    }
}
