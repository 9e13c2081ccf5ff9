//! Accounts, members and administrator grants (ADMIN-01, ADMIN-03, ADMIN-05, ADMIN-09), the
//! agreements accepted for an account (CUST-01, USPSPA-01, CARRIER-02) and the carriers its
//! holder selected (CARRIER-01).
//! Service-wide keys manage any account; a key limited to an account reaches only that
//! account, acting as the person named in `X-Steward-Actor` (ADMIN-04; the owner grants,
//! revokes and lists grants).

use axum::extract::State;
use axum::http::StatusCode;
use steward_api::accounts::{
    AcceptAgreement, AcceptanceOut, AccountDetail, AccountOut, AddMember, AgreementList,
    CarrierList, CarrierSelectionOut, CreateAccount, CreateGrant, GrantList, GrantOut, MemberOut,
    RevokeGrant, SelectCarrier, WithdrawCarrier,
};
use steward_core::agreements::AgreementInput;
use steward_core::carriers::CarrierInput;
use steward_errors::ErrorCode;
use steward_store::ids::{AccountId, GrantId, SelectionId, SubjectId};
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

/// Record that a member accepted an agreement of the policy for the account — the Customer's
/// data-protection undertaking, the USPS Privacy Act Statement, the carrier notice (CUST-01,
/// USPSPA-01, CARRIER-02) — in the text version shown now. Audited; decisions for the
/// account's members, and for data collected for the account, use it at once.
#[utoipa::path(post, path = "/v1/accounts/{id}/agreements", tag = "accounts",
    params(("id" = String, Path, format = Uuid, description = "Account id")),
    responses((status = 201, description = "Recorded", body = AcceptanceOut)))]
pub async fn accept_agreement(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
    Json(body): Json<AcceptAgreement>,
) -> ApiResult<(StatusCode, Json<AcceptanceOut>)> {
    auth.require("write")?;
    let id: AccountId = parse_id(&id, "account")?;
    let actor = account_actor(&st, &auth, id, true).await?;
    let accepted_by = match (actor, body.accepted_by) {
        (Some(a), Some(b)) if a.as_uuid() != b => return Err(ApiError::not_found("account")),
        (Some(a), _) => a,
        (None, Some(b)) => SubjectId::from_uuid(b),
        (None, None) => st.steward().get_account(id).await?.owner,
    };
    let a = st
        .steward()
        .accept_agreement(
            &auth.caller(),
            AgreementInput {
                account: id,
                agreement: body.agreement,
                version: body.version,
                accepted_by,
            },
        )
        .await?;
    Ok((StatusCode::CREATED, Json(AcceptanceOut::from(&a))))
}

/// The agreements of the policy and where the account stands with each, and every
/// acceptance recorded (CUST-01, USPSPA-01, CARRIER-02).
#[utoipa::path(get, path = "/v1/accounts/{id}/agreements", tag = "accounts",
    params(("id" = String, Path, format = Uuid, description = "Account id")),
    responses((status = 200, description = "Agreements", body = AgreementList)))]
pub async fn agreements(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<AgreementList>> {
    auth.require("read_pii")?;
    let id: AccountId = parse_id(&id, "account")?;
    account_actor(&st, &auth, id, true).await?;
    let a = st.steward().account_agreements(id).await?;
    Ok(Json(AgreementList::from(&a)))
}

/// The person acting for the account: an account-limited key's actor (who must be the one
/// named in `named`, if any), else `named`, else the owner.
async fn acting_member(
    st: &AppState,
    actor: Option<SubjectId>,
    named: Option<uuid::Uuid>,
    account: AccountId,
) -> Result<SubjectId, ApiError> {
    Ok(match (actor, named) {
        (Some(a), Some(b)) if a.as_uuid() != b => return Err(ApiError::not_found("account")),
        (Some(a), _) => a,
        (None, Some(b)) => SubjectId::from_uuid(b),
        (None, None) => st.steward().get_account(account).await?.owner,
    })
}

/// Record that the account holder selected a carrier — a recipient of the policy that
/// requires a carrier selection — optionally for one shipment and under a version of the
/// carrier's terms (CARRIER-01, CARRIER-06). Refused with `CARRIER_NOTICE_NOT_ACKNOWLEDGED`
/// until the account accepted the agreements the policy requires for that carrier
/// (CARRIER-02). Audited; decisions for the account's members, and for requests naming the
/// account, may disclose to this carrier (and no other) at once.
#[utoipa::path(post, path = "/v1/accounts/{id}/carriers", tag = "accounts",
    params(("id" = String, Path, format = Uuid, description = "Account id")),
    responses((status = 201, description = "Recorded", body = CarrierSelectionOut)))]
pub async fn select_carrier(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
    Json(body): Json<SelectCarrier>,
) -> ApiResult<(StatusCode, Json<CarrierSelectionOut>)> {
    auth.require("write")?;
    let id: AccountId = parse_id(&id, "account")?;
    let actor = account_actor(&st, &auth, id, true).await?;
    let selected_by = acting_member(&st, actor, body.selected_by, id).await?;
    let c = st
        .steward()
        .select_carrier(
            &auth.caller(),
            CarrierInput {
                account: id,
                carrier: body.carrier,
                shipment: body.shipment,
                terms_version: body.terms_version,
                selected_by,
            },
        )
        .await?;
    Ok((StatusCode::CREATED, Json(CarrierSelectionOut::from(&c))))
}

/// The carriers the account holder selected, withdrawn ones included, oldest first
/// (CARRIER-01).
#[utoipa::path(get, path = "/v1/accounts/{id}/carriers", tag = "accounts",
    params(("id" = String, Path, format = Uuid, description = "Account id")),
    responses((status = 200, description = "Carrier selections", body = CarrierList)))]
pub async fn carriers(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<CarrierList>> {
    auth.require("read_pii")?;
    let id: AccountId = parse_id(&id, "account")?;
    account_actor(&st, &auth, id, true).await?;
    let c = st.steward().account_carriers(id).await?;
    Ok(Json(CarrierList::from(&c)))
}

/// Withdraw a carrier selection: from now on nothing goes to that carrier for the account
/// (CARRIER-01). The record stays, with who withdrew it and when; audited.
#[utoipa::path(post, path = "/v1/accounts/{id}/carriers/{selection_id}/withdraw", tag = "accounts",
    params(("id" = String, Path, format = Uuid, description = "Account id"), ("selection_id" = String, Path, format = Uuid, description = "Carrier selection id")),
    responses((status = 200, description = "Withdrawn", body = CarrierSelectionOut)))]
pub async fn withdraw_carrier(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath((id, selection)): ApiPath<(String, String)>,
    Json(body): Json<WithdrawCarrier>,
) -> ApiResult<Json<CarrierSelectionOut>> {
    auth.require("write")?;
    let id: AccountId = parse_id(&id, "account")?;
    let selection: SelectionId = parse_id(&selection, "carrier selection")?;
    let actor = account_actor(&st, &auth, id, true).await?;
    let by = acting_member(&st, actor, body.withdrawn_by, id).await?;
    let c = st
        .steward()
        .withdraw_carrier(&auth.caller(), id, selection, by)
        .await?;
    Ok(Json(CarrierSelectionOut::from(&c)))
}
