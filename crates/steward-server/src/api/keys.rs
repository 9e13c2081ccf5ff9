//! API keys (admin scope, service-wide keys only): mint (the secret is shown once), list
//! (records only, never secrets or hashes), revoke (effective at once).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use steward_core::apikeys::KeyInput;
use steward_store::ids::{AccountId, ApiKeyId};
use steward_store::model::apikey::ApiKeyRecord;
use utoipa::ToSchema;

use super::{ots, ts};
use crate::auth::Auth;
use crate::extract::{ApiJson, ApiPath, parse_id};
use crate::problem::ApiResult;
use crate::state::AppState;

/// A key to mint.
#[derive(Debug, Clone, Deserialize, ToSchema)]
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
    /// Everything, including keys and the audit log.
    Admin,
}

impl ScopeDto {
    fn as_str(self) -> &'static str {
        match self {
            ScopeDto::Decide => "decide",
            ScopeDto::Write => "write",
            ScopeDto::ReadPii => "read_pii",
            ScopeDto::Choices => "choices",
            ScopeDto::Dsr => "dsr",
            ScopeDto::Events => "events",
            ScopeDto::Aggregates => "aggregates",
            ScopeDto::Security => "security",
            ScopeDto::Admin => "admin",
        }
    }
}

/// A key's record.
#[derive(Debug, Clone, Serialize, ToSchema)]
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

/// A minted key.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CreatedKey {
    /// The record.
    pub key: KeyOut,
    /// The secret (`stw_…`): shown this once, never stored.
    pub secret: String,
}

/// Every key.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct KeyList {
    /// Active and revoked keys, oldest first.
    pub keys: Vec<KeyOut>,
}

/// Mint a key.
#[utoipa::path(post, path = "/v1/keys", tag = "keys",
    request_body = CreateKey,
    responses((status = 201, description = "Minted (the secret is shown once)", body = CreatedKey)))]
pub async fn create(
    State(st): State<AppState>,
    auth: Auth,
    ApiJson(body): ApiJson<CreateKey>,
) -> ApiResult<(StatusCode, Json<CreatedKey>)> {
    auth.require("admin")?;
    auth.service_wide()?;
    let m = st
        .keys()
        .create(
            &auth.caller(),
            KeyInput {
                name: body.name,
                scopes: body.scopes.iter().map(|s| s.as_str().to_string()).collect(),
                account: body.account_id.map(AccountId::from_uuid),
                rate_per_sec: body.rate_per_sec,
            },
        )
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(CreatedKey {
            key: KeyOut::from(&m.record),
            secret: m.secret.expose().to_string(),
        }),
    ))
}

/// List keys.
#[utoipa::path(get, path = "/v1/keys", tag = "keys",
    responses((status = 200, description = "Keys", body = KeyList)))]
pub async fn list(State(st): State<AppState>, auth: Auth) -> ApiResult<Json<KeyList>> {
    auth.require("admin")?;
    auth.service_wide()?;
    let keys = st.keys().list().await?;
    Ok(Json(KeyList {
        keys: keys.iter().map(KeyOut::from).collect(),
    }))
}

/// Revoke a key (effective at once on this replica, within seconds on others).
#[utoipa::path(delete, path = "/v1/keys/{id}", tag = "keys",
    params(("id" = String, Path, format = Uuid, description = "Key id")),
    responses((status = 200, description = "The revoked key", body = KeyOut)))]
pub async fn revoke(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<KeyOut>> {
    auth.require("admin")?;
    auth.service_wide()?;
    let id: ApiKeyId = parse_id(&id, "key")?;
    let r = st.keys().revoke(&auth.caller(), id).await?;
    Ok(Json(KeyOut::from(&r)))
}
