//! Accounts, members and administrator grants (ADMIN-01..09). Service-wide keys manage any
//! account; a key limited to an account reaches only that account, acting as the person named
//! in `X-Steward-Actor` (the owner grants, revokes and lists grants).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use steward_store::ids::{AccountId, GrantId, SubjectId};
use steward_store::model::account::{
    AccountRecord, AccountStatus, AdminGrant, AdminPermission, AdminPermissions, MemberRecord,
    MemberRole,
};
use utoipa::ToSchema;

use super::{ots, ts};
use crate::auth::Auth;
use crate::extract::{ApiJson, ApiPath, parse_id};
use crate::problem::{ApiError, ApiResult};
use crate::state::AppState;

/// An account to open.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateAccount {
    /// The account holder (a stored subject).
    pub owner_id: uuid::Uuid,
}

/// An account.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AccountOut {
    /// Id.
    pub id: String,
    /// Account holder.
    pub owner_id: String,
    /// `open` or `closed`.
    pub status: String,
    /// Opened.
    pub created_at: String,
    /// Closed.
    pub closed_at: Option<String>,
}

impl From<&AccountRecord> for AccountOut {
    fn from(a: &AccountRecord) -> Self {
        AccountOut {
            id: a.id.to_string(),
            owner_id: a.owner.to_string(),
            status: match a.status {
                AccountStatus::Open => "open",
                AccountStatus::Closed => "closed",
            }
            .to_string(),
            created_at: ts(a.created_at),
            closed_at: ots(a.closed_at),
        }
    }
}

/// A member.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MemberOut {
    /// The member.
    pub subject_id: String,
    /// `owner` or `user`.
    pub role: String,
    /// Added.
    pub added_at: String,
    /// Removed.
    pub removed_at: Option<String>,
}

impl From<&MemberRecord> for MemberOut {
    fn from(m: &MemberRecord) -> Self {
        MemberOut {
            subject_id: m.subject.to_string(),
            role: match m.role {
                MemberRole::Owner => "owner",
                MemberRole::User => "user",
            }
            .to_string(),
            added_at: ts(m.added_at),
            removed_at: ots(m.removed_at),
        }
    }
}

/// An account with its members.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AccountDetail {
    /// The account.
    pub account: AccountOut,
    /// Members, current and removed.
    pub members: Vec<MemberOut>,
}

/// A member to add.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddMember {
    /// The subject to add as a user of the account.
    pub subject_id: uuid::Uuid,
}

/// An administrator permission (ADMIN-01).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PermissionDto {
    /// See the account's personal information.
    ViewPi,
    /// Change it.
    ChangePi,
    /// Delete it (an account-level operation, not an erasure request: ADMIN-06).
    DeletePi,
}

impl From<PermissionDto> for AdminPermission {
    fn from(p: PermissionDto) -> Self {
        match p {
            PermissionDto::ViewPi => AdminPermission::ViewPi,
            PermissionDto::ChangePi => AdminPermission::ChangePi,
            PermissionDto::DeletePi => AdminPermission::DeletePi,
        }
    }
}

/// A grant to make.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateGrant {
    /// Who receives access (a current member).
    pub grantee_id: uuid::Uuid,
    /// The owner granting it (account-limited keys: the actor, which must be the owner).
    #[serde(default)]
    pub granted_by: Option<uuid::Uuid>,
    /// Permissions (at least one).
    #[schema(min_items = 1, max_items = 3)]
    pub permissions: Vec<PermissionDto>,
    /// The owner saw and acknowledged the warning of ADMIN-03 ("you are responsible for their
    /// actions"); the grant is refused otherwise.
    pub warning_acknowledged: bool,
}

/// Who revokes.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RevokeGrant {
    /// The person revoking (account-limited keys: the actor).
    #[serde(default)]
    pub revoked_by: Option<uuid::Uuid>,
}

/// An administrator grant.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GrantOut {
    /// Id.
    pub id: String,
    /// Account.
    pub account_id: String,
    /// Grantee.
    pub grantee_id: String,
    /// Grantor.
    pub granted_by: String,
    /// Permissions.
    pub permissions: Vec<String>,
    /// When the warning was acknowledged.
    pub warning_ack_at: String,
    /// Granted.
    pub granted_at: String,
    /// Revoked.
    pub revoked_at: Option<String>,
    /// By whom.
    pub revoked_by: Option<String>,
}

impl From<&AdminGrant> for GrantOut {
    fn from(g: &AdminGrant) -> Self {
        GrantOut {
            id: g.id.to_string(),
            account_id: g.account.to_string(),
            grantee_id: g.grantee.to_string(),
            granted_by: g.granted_by.to_string(),
            permissions: g
                .permissions
                .iter()
                .map(|p| p.as_str().to_string())
                .collect(),
            warning_ack_at: ts(g.warning_ack_at),
            granted_at: ts(g.granted_at),
            revoked_at: ots(g.revoked_at),
            revoked_by: g.revoked_by.map(|s| s.to_string()),
        }
    }
}

/// Grants of an account.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GrantList {
    /// Active and revoked, oldest first (ADMIN-09).
    pub grants: Vec<GrantOut>,
}

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
            "ACTOR_REQUIRED",
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
    request_body = CreateAccount,
    responses((status = 201, description = "Opened", body = AccountOut)))]
pub async fn create(
    State(st): State<AppState>,
    auth: Auth,
    ApiJson(body): ApiJson<CreateAccount>,
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
    request_body = AddMember,
    responses((status = 201, description = "Added", body = MemberOut)))]
pub async fn add_member(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<AddMember>,
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
    request_body = CreateGrant,
    responses((status = 201, description = "Granted", body = GrantOut)))]
pub async fn grant(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<CreateGrant>,
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
                "GRANTOR_REQUIRED",
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
    request_body = RevokeGrant,
    responses((status = 200, description = "Revoked", body = GrantOut)))]
pub async fn revoke(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath((id, grant)): ApiPath<(String, String)>,
    ApiJson(body): ApiJson<RevokeGrant>,
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
