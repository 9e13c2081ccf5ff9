//! The register of legal requests (LEGALREQ-01, LEGALREQ-02, LEGALREQ-03, LEGALREQ-04, LEGALREQ-05, LEGALREQ-06): register, review (by someone other than
//! who registered it), disclose under one — decided against the stored record, recorded in
//! the disclosure register, the subject notified unless a gag order or a prohibition of notice
//! suppresses it — and the report per instrument. Scope `cases`; service-wide keys.

use axum::extract::State;
use axum::http::StatusCode;
use steward_api::legal::{
    DiscloseUnderLegalRequest, LegalQuery, LegalReportOut, LegalReportQuery, LegalRequestList,
    LegalRequestOut, RegisterLegalRequest, ReviewLegalRequest,
};
use steward_core::legal::LegalRequestInput;
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

fn query_time(raw: &Option<String>, name: &str) -> Result<Option<jiff::Timestamp>, ApiError> {
    raw.as_deref()
        .map(|t| {
            t.parse::<jiff::Timestamp>().map_err(|_| {
                ApiError::bad_request(
                    steward_errors::ErrorCode::BadQuery,
                    format!("`{name}` must be an RFC 3339 time"),
                )
            })
        })
        .transpose()
}

/// `notice_prohibited` with its reason (LEGALREQ-05: the prohibition records why).
fn notice_prohibited(flag: bool, reason: Option<String>) -> Result<Option<String>, ApiError> {
    match (flag, reason) {
        (true, Some(r)) if !r.trim().is_empty() => Ok(Some(r)),
        (true, _) => Err(ApiError::invalid(
            steward_errors::ErrorCode::MissingField,
            "`notice_prohibited` needs `notice_prohibited_reason`: why notice is prohibited",
        )),
        (false, Some(_)) => Err(ApiError::invalid(
            steward_errors::ErrorCode::BadField,
            "`notice_prohibited_reason` goes with `notice_prohibited: true`",
        )),
        (false, None) => Ok(None),
    }
}

/// Register a legal request (LEGALREQ-01, LEGALREQ-05, LEGALREQ-06). Audited.
#[utoipa::path(post, path = "/v1/legal-requests", tag = "legal",
    responses((status = 201, description = "Registered", body = LegalRequestOut)))]
pub async fn register(
    State(st): State<AppState>,
    auth: Auth,
    Json(b): Json<RegisterLegalRequest>,
) -> ApiResult<(StatusCode, Json<LegalRequestOut>)> {
    gate(&auth)?;
    let received_at = b
        .received_at
        .as_deref()
        .map(|t| body_time(t, "received_at"))
        .transpose()?;
    let notice_prohibited = notice_prohibited(b.notice_prohibited, b.notice_prohibited_reason)?;
    let l = st
        .steward()
        .register_legal_request(
            &auth.caller(),
            LegalRequestInput {
                authority: b.authority,
                instrument: b.instrument.into(),
                basis: b.basis.into(),
                scope: b.scope,
                subjects: b
                    .subject_ids
                    .into_iter()
                    .map(SubjectId::from_uuid)
                    .collect(),
                received_at,
                gag_order: b.gag_order,
                reference: b.reference,
                notice_prohibited,
            },
        )
        .await?;
    Ok((StatusCode::CREATED, Json(LegalRequestOut::from(&l))))
}

/// The register, oldest first.
#[utoipa::path(get, path = "/v1/legal-requests", tag = "legal",
    params(LegalQuery),
    responses((status = 200, description = "Legal requests", body = LegalRequestList)))]
pub async fn list(
    State(st): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<LegalQuery>,
) -> ApiResult<Json<LegalRequestList>> {
    gate(&auth)?;
    let l = st
        .steward()
        .legal_requests(q.closed.unwrap_or(false), 1000)
        .await?;
    Ok(Json(LegalRequestList {
        legal_requests: l.iter().map(LegalRequestOut::from).collect(),
    }))
}

/// A legal request.
#[utoipa::path(get, path = "/v1/legal-requests/{id}", tag = "legal",
    params(("id" = String, Path, format = Uuid, description = "Legal request id")),
    responses((status = 200, description = "The legal request", body = LegalRequestOut)))]
pub async fn get(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<LegalRequestOut>> {
    gate(&auth)?;
    let id: CaseId = parse_id(&id, "legal request")?;
    let l = st.steward().legal_request(id).await?;
    Ok(Json(LegalRequestOut::from(&l)))
}

/// The good-faith review (LEGALREQ-02): by another key than the one that registered it.
#[utoipa::path(post, path = "/v1/legal-requests/{id}/review", tag = "legal",
    params(("id" = String, Path, format = Uuid, description = "Legal request id")),
    responses((status = 200, description = "Reviewed", body = LegalRequestOut)))]
pub async fn review(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
    Json(b): Json<ReviewLegalRequest>,
) -> ApiResult<Json<LegalRequestOut>> {
    gate(&auth)?;
    let id: CaseId = parse_id(&id, "legal request")?;
    let l = st
        .steward()
        .review_legal_request(&auth.caller(), id, b.decision.into(), &b.rationale)
        .await?;
    Ok(Json(LegalRequestOut::from(&l)))
}

/// Disclose a subject's categories under a legal request: decided against the stored record
/// (LEGALREQ-01, LEGALREQ-02, LEGALREQ-03), recorded in the disclosure register (LEGALREQ-04); a `DENIED` problem
/// carries the decision. The subject is notified by e-mail through the outbox unless a gag
/// order or a prohibition of notice suppresses it (LEGALREQ-05: each disclosure's `notice`).
#[utoipa::path(post, path = "/v1/legal-requests/{id}/disclose", tag = "legal",
    params(("id" = String, Path, format = Uuid, description = "Legal request id")),
    responses((status = 200, description = "Disclosed and recorded", body = LegalRequestOut)))]
pub async fn disclose(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
    Json(b): Json<DiscloseUnderLegalRequest>,
) -> ApiResult<Json<LegalRequestOut>> {
    gate(&auth)?;
    let id: CaseId = parse_id(&id, "legal request")?;
    let caller = auth.caller();
    let subject = SubjectId::from_uuid(b.subject_id);
    // With the workflow attached, the notice owed to the subject is sent at once
    // (LEGALREQ-05); without it, the disclosure keeps its notice `pending`.
    let (l, _decided) = match st.requests() {
        Some(r) => {
            r.disclose_under_legal_request(
                &caller,
                id,
                subject,
                &b.recipient,
                &b.purpose,
                b.categories,
            )
            .await?
        }
        None => {
            st.steward()
                .disclose_under_legal_request(
                    &caller,
                    id,
                    subject,
                    &b.recipient,
                    &b.purpose,
                    b.categories,
                )
                .await?
        }
    };
    Ok(Json(LegalRequestOut::from(&l)))
}

/// Legal requests and disclosures per instrument in a period (LEGALREQ-04).
#[utoipa::path(get, path = "/v1/legal-requests/report", tag = "legal",
    params(LegalReportQuery),
    responses((status = 200, description = "The report", body = LegalReportOut)))]
pub async fn report(
    State(st): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<LegalReportQuery>,
) -> ApiResult<Json<LegalReportOut>> {
    gate(&auth)?;
    let from = query_time(&q.from, "from")?;
    let until = query_time(&q.until, "until")?;
    let r = st.steward().legal_report(from, until).await?;
    Ok(Json(LegalReportOut::from(&r)))
}
