//! Complaints (CONTACT-01, CONTACT-03, CONTACT-04, DPF-05): file, list by the first response
//! due, respond, resolve, escalate an unresolved one to the independent dispute-resolution
//! provider the policy names (free of charge), and read what a person lodged with one (scopes
//! `cases` and `read_pii`). Scope `cases`; service-wide keys only.

use axum::extract::State;
use axum::http::StatusCode;
use steward_api::complaints::{
    ComplaintList, ComplaintOut, ComplaintQuery, ComplaintTextOut, FileComplaint, ResolveComplaint,
    RespondComplaint, complaint_out,
};
use steward_core::complaints::ComplaintInput;
use steward_store::ids::{CaseId, SubjectId};

use crate::api::incidents::body_time;
use crate::auth::Auth;
use crate::extract::{ApiPath, ApiQuery, Json, parse_id};
use crate::problem::{ApiError, ApiResult};
use crate::state::AppState;

fn gate(auth: &Auth) -> Result<(), ApiError> {
    auth.require("cases")?;
    auth.service_wide()
}

/// File a complaint (CONTACT-01, CONTACT-04): the first response is due 45 days after
/// receipt (DPF-05). Audited.
#[utoipa::path(post, path = "/v1/complaints", tag = "complaints",
    responses((status = 201, description = "Filed", body = ComplaintOut)))]
pub async fn file(
    State(st): State<AppState>,
    auth: Auth,
    Json(b): Json<FileComplaint>,
) -> ApiResult<(StatusCode, Json<ComplaintOut>)> {
    gate(&auth)?;
    let received_at = b
        .received_at
        .as_deref()
        .map(|t| body_time(t, "received_at"))
        .transpose()?;
    let s = st.steward();
    let c = s
        .file_complaint(
            &auth.caller(),
            ComplaintInput {
                channel: b.channel.into(),
                received_at,
                subject: b.subject_id.map(SubjectId::from_uuid),
                jurisdiction: b.jurisdiction,
                dpf: b.dpf,
                topic: b.topic,
                reference: b.reference,
                id: None,
                sealed: None,
            },
        )
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(complaint_out(&c, s.clock().now())),
    ))
}

/// Complaints, the soonest first response due first.
#[utoipa::path(get, path = "/v1/complaints", tag = "complaints",
    params(ComplaintQuery),
    responses((status = 200, description = "Complaints", body = ComplaintList)))]
pub async fn list(
    State(st): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<ComplaintQuery>,
) -> ApiResult<Json<ComplaintList>> {
    gate(&auth)?;
    let limit = match q.limit {
        None => 100,
        Some(l) if (1..=1000).contains(&l) => l,
        Some(_) => {
            return Err(ApiError::bad_request(
                steward_errors::ErrorCode::BadQuery,
                "`limit` is between 1 and 1000",
            ));
        }
    };
    let s = st.steward();
    let now = s.clock().now();
    let list = s.complaints(q.closed.unwrap_or(false), limit).await?;
    Ok(Json(ComplaintList {
        complaints: list.iter().map(|c| complaint_out(c, now)).collect(),
    }))
}

/// A complaint.
#[utoipa::path(get, path = "/v1/complaints/{id}", tag = "complaints",
    params(("id" = String, Path, format = Uuid, description = "Complaint id")),
    responses((status = 200, description = "The complaint", body = ComplaintOut)))]
pub async fn get(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<ComplaintOut>> {
    gate(&auth)?;
    let id: CaseId = parse_id(&id, "complaint")?;
    let s = st.steward();
    let c = s.complaint(id).await?;
    Ok(Json(complaint_out(&c, s.clock().now())))
}

/// What the person lodged with a complaint — their address, name and words, opened from their
/// seal — for the privacy team: scopes `cases` and `read_pii` (it is personal data), audited
/// as a read (`complaint.read_words`). A complaint filed by staff has none
/// (`COMPLAINT_NO_WORDS`, 404); once the complainant was erased they are gone
/// (`COMPLAINT_WORDS_ERASED`, 410) while the complaint's record remains.
#[utoipa::path(get, path = "/v1/complaints/{id}/text", tag = "complaints",
    params(("id" = String, Path, format = Uuid, description = "Complaint id")),
    responses((status = 200, description = "What the person lodged", body = ComplaintTextOut)))]
pub async fn text(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<ComplaintTextOut>> {
    gate(&auth)?;
    auth.require("read_pii")?;
    let id: CaseId = parse_id(&id, "complaint")?;
    let r = st.requests().ok_or_else(|| {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            steward_errors::ErrorCode::RequestsUnavailable,
            "the request workflow, which holds the complaints' seals, is not configured on this server",
        )
    })?;
    let w = r.complaint_words(&auth.caller(), id).await?;
    Ok(Json(ComplaintTextOut {
        complaint_id: id.to_string(),
        email: w.email.expose().clone(),
        name: w.name.map(|n| n.expose().clone()),
        text: w.text.expose().clone(),
    }))
}

/// Record the first response (CONTACT-04).
#[utoipa::path(post, path = "/v1/complaints/{id}/respond", tag = "complaints",
    params(("id" = String, Path, format = Uuid, description = "Complaint id")),
    responses((status = 200, description = "Responded", body = ComplaintOut)))]
pub async fn respond(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
    Json(b): Json<RespondComplaint>,
) -> ApiResult<Json<ComplaintOut>> {
    gate(&auth)?;
    let id: CaseId = parse_id(&id, "complaint")?;
    let at = b
        .responded_at
        .as_deref()
        .map(|t| body_time(t, "responded_at"))
        .transpose()?;
    let s = st.steward();
    let c = s
        .respond_to_complaint(&auth.caller(), id, at, &b.response)
        .await?;
    Ok(Json(complaint_out(&c, s.clock().now())))
}

/// Close a complaint with its resolution; unresolved, the answer offers the independent
/// dispute-resolution provider, free of charge (CONTACT-03, DPF-05), and so does an e-mail
/// to the complainant through the outbox when the complaint has their address.
#[utoipa::path(post, path = "/v1/complaints/{id}/resolve", tag = "complaints",
    params(("id" = String, Path, format = Uuid, description = "Complaint id")),
    responses((status = 200, description = "Resolved", body = ComplaintOut)))]
pub async fn resolve(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
    Json(b): Json<ResolveComplaint>,
) -> ApiResult<Json<ComplaintOut>> {
    gate(&auth)?;
    let id: CaseId = parse_id(&id, "complaint")?;
    let s = st.steward();
    // With the workflow attached, the recourse offered on an unresolved close is also sent
    // to the complainant through the outbox (CONTACT-03), when the complaint has an address.
    let c = match st.requests() {
        Some(r) => {
            r.resolve_complaint(&auth.caller(), id, b.resolution.into())
                .await?
        }
        None => {
            s.resolve_complaint(&auth.caller(), id, b.resolution.into())
                .await?
        }
    };
    Ok(Json(complaint_out(&c, s.clock().now())))
}

/// Record the escalation of an unresolved complaint to the independent dispute-resolution
/// provider (CONTACT-03: logged).
#[utoipa::path(post, path = "/v1/complaints/{id}/escalate", tag = "complaints",
    params(("id" = String, Path, format = Uuid, description = "Complaint id")),
    responses((status = 200, description = "Escalated", body = ComplaintOut)))]
pub async fn escalate(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<ComplaintOut>> {
    gate(&auth)?;
    let id: CaseId = parse_id(&id, "complaint")?;
    let s = st.steward();
    let c = s.escalate_complaint(&auth.caller(), id).await?;
    Ok(Json(complaint_out(&c, s.clock().now())))
}
