//! Accounts, members and administrator grants (ADMIN-01, ADMIN-03, ADMIN-05, ADMIN-09).
//! Service-wide keys manage any account; a key limited to an account reaches only that
//! account, acting as the person named in `X-Steward-Actor` (ADMIN-04; the owner grants,
//! revokes and lists grants).

use axum::extract::State;
use axum::http::StatusCode;
use steward_api::accounts::{
    AccountDetail, AccountOut, AddMember, CreateAccount, CreateGrant, GrantList, GrantOut,
    MemberOut, RevokeGrant,
};
use steward_errors::ErrorCode;
use steward_store::ids::{AccountId, GrantId, SubjectId};
use steward_store::model::account::AdminPermissions;

use crate::auth::Auth;
use crate::extract::{ApiPath, Json, parse_id};
use crate::problem::{ApiError, ApiResult};
use crate::state::AppState;

/// For an account-limited key: the account must be the key's and the actor its owner (or,
/// with `member_ok`, any current member). Returns the acting person.
async fn account_actor(
    st: &AppState,
    auth: &Auth,
    account: AccountId,
    member_ok: bool,
) -> Result<Option<SubjectId>, ApiError> {
    let Some(limit) = auth.key.account else {
        return Ok(None);
    };
    let hidden = || ApiError::not_found("account");
    if limit != account {
        return Err(hidden());
    }
    let actor = auth.actor.ok_or_else(|| {
        ApiError::bad_request(
            ErrorCode::ActorRequired,
            "a key limited to an account must name the acting person in `X-Steward-Actor`",
        )
    })?;
    let acc = st
        .steward()
        .get_account(account)
        .await
        .map_err(|_| hidden())?;
    let ok =
        acc.owner == actor || (member_ok && st.steward().is_account_member(account, actor).await?);
    if ok { Ok(Some(actor)) } else { Err(hidden()) }
}

/// Open an account.
#[utoipa::path(post, path = "/v1/accounts", tag = "accounts",
    responses((status = 201, description = "Opened", body = AccountOut)))]
pub async fn create(
    State(st): State<AppState>,
    auth: Auth,
    Json(body): Json<CreateAccount>,
) -> ApiResult<(StatusCode, Json<AccountOut>)> {
    auth.require("write")?;
    auth.service_wide()?;
    let a = st
        .steward()
        .create_account(&auth.caller(), SubjectId::from_uuid(body.owner_id))
        .await?;
    Ok((StatusCode::CREATED, Json(AccountOut::from(&a))))
}

/// An account and its members.
#[utoipa::path(get, path = "/v1/accounts/{id}", tag = "accounts",
    params(("id" = String, Path, format = Uuid, description = "Account id")),
    responses((status = 200, description = "The account", body = AccountDetail)))]
pub async fn get(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<AccountDetail>> {
    auth.require("read_pii")?;
    let id: AccountId = parse_id(&id, "account")?;
    account_actor(&st, &auth, id, true).await?;
    let a = st.steward().get_account(id).await?;
    let members = st.steward().members(id).await?;
    Ok(Json(AccountDetail {
        account: AccountOut::from(&a),
        members: members.iter().map(MemberOut::from).collect(),
    }))
}

/// Add a member.
#[utoipa::path(post, path = "/v1/accounts/{id}/members", tag = "accounts",
    params(("id" = String, Path, format = Uuid, description = "Account id")),
    responses((status = 201, description = "Added", body = MemberOut)))]
pub async fn add_member(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
    Json(body): Json<AddMember>,
) -> ApiResult<(StatusCode, Json<MemberOut>)> {
    auth.require("write")?;
    auth.service_wide()?;
    let id: AccountId = parse_id(&id, "account")?;
    let m = st
        .steward()
        .add_member(&auth.caller(), id, SubjectId::from_uuid(body.subject_id))
        .await?;
    Ok((StatusCode::CREATED, Json(MemberOut::from(&m))))
}

/// Grant administrator access (ADMIN-01, ADMIN-03).
#[utoipa::path(post, path = "/v1/accounts/{id}/grants", tag = "accounts",
    params(("id" = String, Path, format = Uuid, description = "Account id")),
    responses((status = 201, description = "Granted", body = GrantOut)))]
pub async fn grant(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
    Json(body): Json<CreateGrant>,
) -> ApiResult<(StatusCode, Json<GrantOut>)> {
    auth.require("write")?;
    let id: AccountId = parse_id(&id, "account")?;
    let actor = account_actor(&st, &auth, id, false).await?;
    let granted_by = match (actor, body.granted_by) {
        (Some(a), Some(g)) if a.as_uuid() != g => return Err(ApiError::not_found("account")),
        (Some(a), _) => a,
        (None, Some(g)) => SubjectId::from_uuid(g),
        (None, None) => {
            return Err(ApiError::invalid(
                ErrorCode::GrantorRequired,
                "`granted_by` names the owner granting access",
            ));
        }
    };
    let permissions: AdminPermissions = body.permissions.iter().map(|p| (*p).into()).collect();
    let g = st
        .steward()
        .grant_admin(
            &auth.caller(),
            id,
            granted_by,
            SubjectId::from_uuid(body.grantee_id),
            permissions,
            body.warning_acknowledged,
        )
        .await?;
    Ok((StatusCode::CREATED, Json(GrantOut::from(&g))))
}

/// Every grant of an account, active and revoked (ADMIN-09).
#[utoipa::path(get, path = "/v1/accounts/{id}/grants", tag = "accounts",
    params(("id" = String, Path, format = Uuid, description = "Account id")),
    responses((status = 200, description = "Grants", body = GrantList)))]
pub async fn grants(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<GrantList>> {
    auth.require("read_pii")?;
    let id: AccountId = parse_id(&id, "account")?;
    account_actor(&st, &auth, id, false).await?;
    st.steward().get_account(id).await?;
    let g = st.steward().admin_grants(id).await?;
    Ok(Json(GrantList {
        grants: g.iter().map(GrantOut::from).collect(),
    }))
}

/// Revoke a grant (ADMIN-05: effective immediately).
#[utoipa::path(post, path = "/v1/accounts/{id}/grants/{grant_id}/revoke", tag = "accounts",
    params(("id" = String, Path, format = Uuid, description = "Account id"), ("grant_id" = String, Path, format = Uuid, description = "Grant id")),
    responses((status = 200, description = "Revoked", body = GrantOut)))]
pub async fn revoke(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath((id, grant)): ApiPath<(String, String)>,
    Json(body): Json<RevokeGrant>,
) -> ApiResult<Json<GrantOut>> {
    auth.require("write")?;
    let id: AccountId = parse_id(&id, "account")?;
    let grant: GrantId = parse_id(&grant, "grant")?;
    let actor = account_actor(&st, &auth, id, false).await?;
    let by = match (actor, body.revoked_by) {
        (Some(a), _) => a,
        (None, Some(r)) => SubjectId::from_uuid(r),
        (None, None) => st.steward().get_account(id).await?.owner,
    };
    let g = st
        .steward()
        .revoke_admin(&auth.caller(), id, grant, by)
        .await?;
    Ok(Json(GrantOut::from(&g)))
}
