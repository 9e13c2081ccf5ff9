//! Security incidents and breaches (SEC-06, GDPR-30, GDPR-31, CCPA-35, NV-08): record, list by the
//! next notice due, assess, mark notices sent, close. Scope `cases` (the privacy team's case
//! files); service-wide keys only.

use axum::extract::State;
use axum::http::StatusCode;
use steward_api::incidents::{
    AssessIncident, IncidentList, IncidentOut, IncidentQuery, MarkNoticeSent, RecordIncident,
    incident_out,
};
use steward_core::incidents::{AssessmentInput, IncidentInput, NoticeSent};
use steward_store::ids::{CaseId, CaseTaskId};

use crate::auth::Auth;
use crate::extract::{ApiPath, ApiQuery, Json, parse_id};
use crate::problem::{ApiError, ApiResult};
use crate::state::AppState;

/// An RFC 3339 time of a body field.
pub(crate) fn body_time(raw: &str, name: &str) -> Result<jiff::Timestamp, ApiError> {
    raw.parse::<jiff::Timestamp>().map_err(|_| {
        ApiError::invalid(
            steward_errors::ErrorCode::BadField,
            format!("`{name}` must be an RFC 3339 time"),
        )
    })
}

fn gate(auth: &Auth) -> Result<(), ApiError> {
    auth.require("cases")?;
    auth.service_wide()
}

/// Record a security incident (SEC-06). Audited.
#[utoipa::path(post, path = "/v1/incidents", tag = "incidents",
    responses((status = 201, description = "Recorded", body = IncidentOut)))]
pub async fn record(
    State(st): State<AppState>,
    auth: Auth,
    Json(b): Json<RecordIncident>,
) -> ApiResult<(StatusCode, Json<IncidentOut>)> {
    gate(&auth)?;
    let discovered_at = body_time(&b.discovered_at, "discovered_at")?;
    let aware_at = b
        .aware_at
        .as_deref()
        .map(|t| body_time(t, "aware_at"))
        .transpose()?;
    let s = st.steward();
    let i = s
        .record_incident(
            &auth.caller(),
            IncidentInput {
                summary: b.summary,
                discovered_at,
                aware_at,
                systems: b.systems,
                categories: b.categories,
                affected: b.affected,
                records_affected: b.records_affected,
                encrypted: b.encrypted,
                key_compromised: b.key_compromised,
                processor: b.processor,
            },
        )
        .await?;
    Ok((StatusCode::CREATED, Json(incident_out(&i, s.clock().now()))))
}

/// Incidents, the soonest next notice first.
#[utoipa::path(get, path = "/v1/incidents", tag = "incidents",
    params(IncidentQuery),
    responses((status = 200, description = "Incidents", body = IncidentList)))]
pub async fn list(
    State(st): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<IncidentQuery>,
) -> ApiResult<Json<IncidentList>> {
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
    let list = s.incidents(q.closed.unwrap_or(false), limit).await?;
    Ok(Json(IncidentList {
        incidents: list.iter().map(|i| incident_out(i, now)).collect(),
    }))
}

/// An incident with its notices.
#[utoipa::path(get, path = "/v1/incidents/{id}", tag = "incidents",
    params(("id" = String, Path, format = Uuid, description = "Incident id")),
    responses((status = 200, description = "The incident", body = IncidentOut)))]
pub async fn get(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<IncidentOut>> {
    gate(&auth)?;
    let id: CaseId = parse_id(&id, "incident")?;
    let s = st.steward();
    let i = s.incident(id).await?;
    Ok(Json(incident_out(&i, s.clock().now())))
}

/// Assess an incident: for a breach, the notices owed become tasks with due times
/// (GDPR-30, GDPR-31, CCPA-35, NV-08).
#[utoipa::path(post, path = "/v1/incidents/{id}/assess", tag = "incidents",
    params(("id" = String, Path, format = Uuid, description = "Incident id")),
    responses((status = 200, description = "Assessed", body = IncidentOut)))]
pub async fn assess(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
    Json(b): Json<AssessIncident>,
) -> ApiResult<Json<IncidentOut>> {
    gate(&auth)?;
    let id: CaseId = parse_id(&id, "incident")?;
    let s = st.steward();
    let i = s
        .assess_incident(
            &auth.caller(),
            id,
            AssessmentInput {
                breach: b.breach,
                risk: b.risk.map(Into::into),
                note: b.note,
            },
        )
        .await?;
    Ok(Json(incident_out(&i, s.clock().now())))
}

/// Mark a notice sent, with when and what (a late notice to the authority says why, GDPR-30).
#[utoipa::path(post, path = "/v1/incidents/{id}/notices/{notice_id}/sent", tag = "incidents",
    params(("id" = String, Path, format = Uuid, description = "Incident id"),
           ("notice_id" = String, Path, format = Uuid, description = "Notice id")),
    responses((status = 200, description = "Marked sent", body = IncidentOut)))]
pub async fn notice_sent(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath((id, notice)): ApiPath<(String, String)>,
    Json(b): Json<MarkNoticeSent>,
) -> ApiResult<Json<IncidentOut>> {
    gate(&auth)?;
    let id: CaseId = parse_id(&id, "incident")?;
    let notice: CaseTaskId = parse_id(&notice, "notice")?;
    let sent_at = b
        .sent_at
        .as_deref()
        .map(|t| body_time(t, "sent_at"))
        .transpose()?;
    let s = st.steward();
    let i = s
        .mark_notice_sent(
            &auth.caller(),
            id,
            notice,
            NoticeSent {
                sent_at,
                what: b.what,
                delay_reason: b.delay_reason,
            },
        )
        .await?;
    Ok(Json(incident_out(&i, s.clock().now())))
}

/// Close an assessed incident whose notices were all sent (the record stays, Art. 33(5)).
#[utoipa::path(post, path = "/v1/incidents/{id}/close", tag = "incidents",
    params(("id" = String, Path, format = Uuid, description = "Incident id")),
    responses((status = 200, description = "Closed", body = IncidentOut)))]
pub async fn close(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<IncidentOut>> {
    gate(&auth)?;
    let id: CaseId = parse_id(&id, "incident")?;
    let s = st.steward();
    let i = s.close_incident(&auth.caller(), id).await?;
    Ok(Json(incident_out(&i, s.clock().now())))
}
