//! Subjects: create, read, update, look up by identity (through the blind index), link
//! devices, cookies and other identities (DM-03, GPC-04).

use axum::extract::State;
use axum::http::StatusCode;
use steward_api::Done;
use steward_api::subjects::{
    CreateSubject, LinkIdentity, Lookup, LookupOut, MAX_IDENTITIES, SubjectOut, UpdateSubject,
};
use steward_errors::ErrorCode;
use steward_store::ids::SubjectId;
use steward_store::model::account::AdminPermission;

use crate::auth::Auth;
use crate::extract::{ApiPath, Json, parse_id};
use crate::problem::{ApiError, ApiResult};
use crate::state::AppState;

/// Create a subject with its identities.
#[utoipa::path(post, path = "/v1/subjects", tag = "subjects",
    responses((status = 201, description = "Created", body = SubjectOut)))]
pub async fn create(
    State(st): State<AppState>,
    auth: Auth,
    Json(body): Json<CreateSubject>,
) -> ApiResult<(StatusCode, Json<SubjectOut>)> {
    auth.require("write")?;
    auth.service_wide()?;
    if body.identities.len() > MAX_IDENTITIES {
        return Err(ApiError::invalid(
            ErrorCode::TooManyIdentities,
            "at most 32 identities per subject",
        ));
    }
    let r = st
        .steward()
        .create_subject(&auth.caller(), body.into())
        .await?;
    Ok((StatusCode::CREATED, Json(SubjectOut::from(&r))))
}

/// Read a subject.
#[utoipa::path(get, path = "/v1/subjects/{id}", tag = "subjects",
    params(("id" = String, Path, format = Uuid, description = "Subject id")),
    responses((status = 200, description = "The subject", body = SubjectOut)))]
pub async fn get(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<SubjectOut>> {
    auth.require("read_pii")?;
    let id: SubjectId = parse_id(&id, "subject")?;
    let caller = auth.access(&st, id, AdminPermission::ViewPi).await?;
    let r = st.steward().read_subject(&caller, id).await?;
    Ok(Json(SubjectOut::from(&r)))
}

/// Update a subject's facts.
#[utoipa::path(patch, path = "/v1/subjects/{id}", tag = "subjects",
    params(("id" = String, Path, format = Uuid, description = "Subject id")),
    responses((status = 200, description = "The updated subject", body = SubjectOut)))]
pub async fn update(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
    Json(body): Json<UpdateSubject>,
) -> ApiResult<Json<SubjectOut>> {
    auth.require("write")?;
    let id: SubjectId = parse_id(&id, "subject")?;
    let caller = auth.access(&st, id, AdminPermission::ChangePi).await?;
    let r = st
        .steward()
        .update_subject(
            &caller,
            id,
            body.jurisdiction.as_deref(),
            body.eu_protected,
            body.age,
        )
        .await?;
    Ok(Json(SubjectOut::from(&r)))
}

/// Find the subjects holding an identity (blind-index lookup; audited as a read).
#[utoipa::path(post, path = "/v1/subjects/lookup", tag = "subjects",
    responses((status = 200, description = "Matching subjects (possibly none)", body = LookupOut)))]
pub async fn lookup(
    State(st): State<AppState>,
    auth: Auth,
    Json(body): Json<Lookup>,
) -> ApiResult<Json<LookupOut>> {
    auth.require("read_pii")?;
    let ids = st
        .steward()
        .find_subjects(&auth.caller(), body.kind.into(), &body.value)
        .await?;
    let mut visible = Vec::with_capacity(ids.len());
    for id in ids {
        match auth.access(&st, id, AdminPermission::ViewPi).await {
            Ok(_) => visible.push(id.to_string()),
            Err(e) if e.status == StatusCode::NOT_FOUND => {}
            Err(e) => return Err(e),
        }
    }
    Ok(Json(LookupOut {
        subject_ids: visible,
    }))
}

/// Link an identity (a device, cookie, e-mail …) to a subject. A device that sent GPC before
/// opts the subject out too (GPC-04).
#[utoipa::path(post, path = "/v1/subjects/{id}/identities", tag = "subjects",
    params(("id" = String, Path, format = Uuid, description = "Subject id")),
    responses((status = 200, description = "Linked", body = Done)))]
pub async fn link(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
    Json(body): Json<LinkIdentity>,
) -> ApiResult<Json<Done>> {
    auth.require("write")?;
    let id: SubjectId = parse_id(&id, "subject")?;
    let caller = auth.access(&st, id, AdminPermission::ChangePi).await?;
    st.steward()
        .link_identity(
            &caller,
            id,
            body.kind.into(),
            &body.value,
            body.source.as_deref().unwrap_or("login"),
        )
        .await?;
    Ok(Json(Done { ok: true }))
}
