//! API keys: mint (the secret is shown once), list (records only), revoke.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A key to mint.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateKey {
    /// Name, `[a-z0-9_:.-]{1,64}` (e.g. `svc:checkout`); shown in the audit log.
    #[schema(pattern = "^[a-z0-9_:.-]{1,64}$")]
    pub name: String,
    /// Scopes (`admin` implies the others).
    #[schema(min_items = 1, max_items = 9)]
    pub scopes: Vec<ScopeDto>,
    /// Limit the key to one account's data (account administrators, ADMIN-*).
    #[serde(default)]
    pub account_id: Option<uuid::Uuid>,
    /// Requests per second allowed to this key.
    #[serde(default)]
    #[schema(minimum = 1)]
    pub rate_per_sec: Option<u32>,
}

/// A permission scope of an API key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ScopeDto {
    /// Ask for decisions and explanations.
    Decide,
    /// Create and change subjects, items, disclosures, accounts.
    Write,
    /// Read personal data (for an allowed purpose).
    ReadPii,
    /// Record and read choices.
    Choices,
    /// Data subject requests.
    Dsr,
    /// Push usage events only (an edge collector).
    Events,
    /// Read k-anonymous usage and USPS aggregates only.
    Aggregates,
    /// Read the log-in security log (the security role, IPPS-05).
    Security,
    /// The privacy team's case files: incidents and breaches, complaints (SEC-06, CONTACT-*).
    Cases,
    /// Obtain one-click unsubscribe links for marketing e-mail only (a mailer, MKT-03).
    Mail,
    /// Everything, including keys and the audit log.
    Admin,
}

impl ScopeDto {
    /// The scope's name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            ScopeDto::Decide => "decide",
            ScopeDto::Write => "write",
            ScopeDto::ReadPii => "read_pii",
            ScopeDto::Choices => "choices",
            ScopeDto::Dsr => "dsr",
            ScopeDto::Events => "events",
            ScopeDto::Aggregates => "aggregates",
            ScopeDto::Cases => "cases",
            ScopeDto::Security => "security",
            ScopeDto::Mail => "mail",
            ScopeDto::Admin => "admin",
        }
    }
}

/// A key's record.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct KeyOut {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Scopes.
    pub scopes: Vec<String>,
    /// Account limit.
    pub account_id: Option<String>,
    /// Rate limit.
    pub rate_per_sec: Option<u32>,
    /// Created.
    pub created_at: String,
    /// Revoked.
    pub revoked_at: Option<String>,
}

/// A minted key.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct CreatedKey {
    /// The record.
    pub key: KeyOut,
    /// The secret (`stw_…`): shown this once, never stored.
    pub secret: String,
}

impl std::fmt::Debug for CreatedKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // SECURITY: the secret never reaches a log.
        f.debug_struct("CreatedKey")
            .field("key", &self.key)
            .field("secret", &"[redacted]")
            .finish()
    }
}

/// Every key.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct KeyList {
    /// Active and revoked keys, oldest first.
    pub keys: Vec<KeyOut>,
}

#[cfg(feature = "core")]
mod convert {
    use steward_core::apikeys::{KeyInput, Minted};
    use steward_store::ids::AccountId;
    use steward_store::model::apikey::ApiKeyRecord;

    use super::{CreateKey, CreatedKey, KeyOut};
    use crate::common::{ots, ts};

    impl From<CreateKey> for KeyInput {
        fn from(b: CreateKey) -> Self {
            KeyInput {
                name: b.name,
                scopes: b.scopes.iter().map(|s| s.as_str().to_string()).collect(),
                account: b.account_id.map(AccountId::from_uuid),
                rate_per_sec: b.rate_per_sec,
            }
        }
    }

    impl From<&ApiKeyRecord> for KeyOut {
        fn from(r: &ApiKeyRecord) -> Self {
            KeyOut {
                id: r.id.to_string(),
                name: r.name.as_str().to_string(),
                scopes: r.scopes.iter().map(|s| s.as_str().to_string()).collect(),
                account_id: r.account.map(|a| a.to_string()),
                rate_per_sec: r.rate_per_sec,
                created_at: ts(r.created_at),
                revoked_at: ots(r.revoked_at),
            }
        }
    }

    impl From<&Minted> for CreatedKey {
        fn from(m: &Minted) -> Self {
            CreatedKey {
                key: KeyOut::from(&m.record),
                secret: m.secret.expose().to_string(),
            }
        }
    }
}
