//! API keys (admin scope, service-wide keys only): mint (the secret is shown once), list
//! (records only, never secrets or hashes), revoke (effective at once).

use axum::extract::State;
use axum::http::StatusCode;
use steward_api::keys::{CreateKey, CreatedKey, KeyList, KeyOut};
use steward_store::ids::ApiKeyId;

use crate::auth::Auth;
use crate::extract::{ApiPath, Json, parse_id};
use crate::problem::ApiResult;
use crate::state::AppState;

/// Mint a key.
#[utoipa::path(post, path = "/v1/keys", tag = "keys",
    responses((status = 201, description = "Minted (the secret is shown once)", body = CreatedKey)))]
pub async fn create(
    State(st): State<AppState>,
    auth: Auth,
    Json(body): Json<CreateKey>,
) -> ApiResult<(StatusCode, Json<CreatedKey>)> {
    auth.require("admin")?;
    auth.service_wide()?;
    let m = st.keys().create(&auth.caller(), body.into()).await?;
    Ok((StatusCode::CREATED, Json(CreatedKey::from(&m))))
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
