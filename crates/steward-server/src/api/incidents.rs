//! Security incidents and breaches (SEC-06, GDPR-30, GDPR-31, CCPA-35, NV-08): record, list by the
//! next notice due, assess, mark notices sent, close. Scope `cases` (the privacy team's case
//! files); service-wide keys only.

use axum::extract::State;
use axum::http::StatusCode;
use steward_api::incidents::{
    AffectedPeople, AffectedPersonOut, AffectedQuery, AssessIncident, ComputeAffected,
    IncidentList, IncidentOut, IncidentQuery, MarkNoticeSent, NotifyPeople, PeopleNotified,
    RecordIncident, incident_out,
};
use steward_core::incidents::{AssessmentInput, IncidentInput, NoticeSent};
use steward_requests::PeopleNoticeText;
use steward_store::ids::{CaseId, CaseTaskId, SubjectId};

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
    let compute_affected = b.compute_affected.as_ref().map(compute_input).transpose()?;
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
                recipients: b.recipients,
                compute_affected,
            },
        )
        .await?;
    Ok((StatusCode::CREATED, Json(incident_out(&i, s.clock().now()))))
}

fn compute_input(
    b: &ComputeAffected,
) -> Result<steward_core::incidents::ComputeAffected, ApiError> {
    Ok(steward_core::incidents::ComputeAffected {
        from: b
            .from
            .as_deref()
            .map(|t| body_time(t, "from"))
            .transpose()?,
        until: b
            .until
            .as_deref()
            .map(|t| body_time(t, "until"))
            .transpose()?,
        vault: b.vault.unwrap_or(true),
    })
}

/// Compute the people an incident affects from the store (SEC-06, GDPR-30): the subjects
/// with vault items in its categories (live, or held during the window) and those disclosed
/// to its recipients, counted per residency; nothing decrypted. Replaces typed counts
/// (`affected_source: computed`); an assessed breach gains the notices newly owed. Audited.
#[utoipa::path(post, path = "/v1/incidents/{id}/affected/compute", tag = "incidents",
    params(("id" = String, Path, format = Uuid, description = "Incident id")),
    responses((status = 200, description = "Computed", body = IncidentOut)))]
pub async fn compute_affected(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
    Json(b): Json<ComputeAffected>,
) -> ApiResult<Json<IncidentOut>> {
    gate(&auth)?;
    let id: CaseId = parse_id(&id, "incident")?;
    let input = compute_input(&b)?;
    let s = st.steward();
    let i = s
        .compute_incident_affected(&auth.caller(), id, input)
        .await?;
    Ok(Json(incident_out(&i, s.clock().now())))
}

/// The people an incident affects, by subject id (ids and residency only; for the notices).
#[utoipa::path(get, path = "/v1/incidents/{id}/affected", tag = "incidents",
    params(("id" = String, Path, format = Uuid, description = "Incident id"), AffectedQuery),
    responses((status = 200, description = "A page of the affected people", body = AffectedPeople)))]
pub async fn affected(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
    ApiQuery(q): ApiQuery<AffectedQuery>,
) -> ApiResult<Json<AffectedPeople>> {
    gate(&auth)?;
    let id: CaseId = parse_id(&id, "incident")?;
    let limit = match q.limit {
        None => 1000,
        Some(l) if (1..=10_000).contains(&l) => l,
        Some(_) => {
            return Err(ApiError::bad_request(
                steward_errors::ErrorCode::BadQuery,
                "`limit` is between 1 and 10000",
            ));
        }
    };
    let after: Option<SubjectId> = q
        .after
        .as_deref()
        .map(|a| parse_id(a, "after"))
        .transpose()?;
    let people = st
        .steward()
        .incident_affected_people(id, q.pending.unwrap_or(false), after, limit)
        .await?;
    let next = (people.len() == limit as usize)
        .then(|| people.last().map(|p| p.subject.to_string()))
        .flatten();
    Ok(Json(AffectedPeople {
        people: people
            .iter()
            .map(|p| AffectedPersonOut {
                subject_id: p.subject.to_string(),
                jurisdiction: p.residency.as_ref().map(|j| j.as_str().to_string()),
                notified_at: p.notified_at.map(|t| t.to_string()),
            })
            .collect(),
        next,
    }))
}

/// Notify the people a breach affects (GDPR-31, CCPA-35, NV-08): one e-mail per affected
/// person owed a notice, queued through the outbox once (a second run tells only those not
/// told yet), in the form their law asks (GDPR Art. 34(2); "Notice of Data Breach" with the
/// Cal. Civ. Code §1798.82(d) headings for US residents). People without a deliverable
/// address are reported by id. Audited with counts. Needs the request workflow.
#[utoipa::path(post, path = "/v1/incidents/{id}/notify-people", tag = "incidents",
    params(("id" = String, Path, format = Uuid, description = "Incident id")),
    responses((status = 200, description = "Notices queued", body = PeopleNotified)))]
pub async fn notify_people(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
    Json(b): Json<NotifyPeople>,
) -> ApiResult<Json<PeopleNotified>> {
    gate(&auth)?;
    let id: CaseId = parse_id(&id, "incident")?;
    let r = st.requests().cloned().ok_or_else(|| {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            steward_errors::ErrorCode::RequestsUnavailable,
            "the data subject request workflow (its outbox) is not configured on this server",
        )
    })?;
    let report = r
        .notify_affected_people(
            &auth.caller(),
            id,
            &PeopleNoticeText {
                what_happened: b.what_happened,
                consequences: b.consequences,
                measures: b.measures,
                what_you_can_do: b.what_you_can_do,
                occurred: b.occurred,
                law_enforcement_delay: b.law_enforcement_delay,
                include_not_owed: b.include_not_owed,
            },
        )
        .await?;
    let now = st.steward().clock().now();
    Ok(Json(PeopleNotified {
        queued: report.queued,
        already_notified: report.already_notified,
        without_address: report
            .without_address
            .iter()
            .map(ToString::to_string)
            .collect(),
        not_owed: report.not_owed,
        incident: incident_out(&report.incident, now),
    }))
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
