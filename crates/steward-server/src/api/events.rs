//! Usage events at the door (docs/events.md): `POST /v1/events` (a JSON array; each event
//! passes tracker consent gating, field stripping and IP pseudonymization; a malformed
//! element is rejected on its own and never fails the batch; `Sec-GPC: 1` sets `gpc` on every
//! event), the log-in security log (IPPS-05) and k-anonymous usage aggregates (IPPS-04).
//!
//! These routes need the usage path ([`steward_core::ingest::Ingestor`]), which exists only
//! with the IP pseudonymization key: without it they answer 503 `IP_KEY_MISSING` rather than
//! ever storing a raw address (IPPS-02).

use std::sync::Arc;
use steward_errors::ErrorCode;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode};
use jiff::{SignedDuration, Timestamp};
use serde_json::value::RawValue;
use steward_api::events::{
    AggregateOut, BatchReport, LoginIn, LoginOut, LoginRecorded, Logins, PurposeParams,
    UsageAggregateParams, UsageEvent, event_slot,
};
use steward_core::ingest::{EventSlot, Ingestor};
use steward_store::ids::SubjectId;
use steward_store::model::account::AdminPermission;

use crate::auth::{Auth, gpc};
use crate::extract::{ApiPath, ApiQuery, Json, json_bytes, json_error, parse_id};
use crate::problem::{ApiError, ApiResult};
use crate::state::AppState;

/// The usage path, or 503 `IP_KEY_MISSING`.
pub(crate) fn ingestor(st: &AppState) -> ApiResult<Arc<Ingestor>> {
    st.ingestor().cloned().ok_or_else(|| {
        ApiError::new(
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            ErrorCode::IpKeyMissing,
            "usage data is not ingested: the IP pseudonymization key is not configured \
             (key ring `ip_pseudonym` or STEWARD_IP_PSEUDONYM_KEY); no raw address is stored",
        )
    })
}

/// Ingest a batch of usage events (at most 10 000): consent gating per device and
/// jurisdiction, fields the tracker's purpose may not use stripped, addresses pseudonymized.
/// A malformed element is rejected with its reason; the rest of the batch is kept.
// The body is read raw (each element is decoded as a `UsageEvent` on its own, so one bad
// element never fails the batch): the documented body names that same type.
#[utoipa::path(post, path = "/v1/events", tag = "events",
    request_body(content = Vec<UsageEvent>, description = "A JSON array of events"),
    params(("Sec-GPC" = Option<String>, Header, description = "`1`: every event carries GPC (GPC-01, GPC-03)")),
    responses((status = 200, description = "Counts and the events not stored as sent", body = BatchReport)))]
pub async fn ingest(
    State(st): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    req: Request,
) -> ApiResult<Json<BatchReport>> {
    auth.require("events")?;
    auth.service_wide()?;
    let ing = ingestor(&st)?;
    let bytes = json_bytes(req, &st).await?;
    let mut slots = parse_events(&bytes)?;
    if gpc(&headers) {
        for s in &mut slots {
            if let EventSlot::Event(e) = s {
                e.gpc = true;
            }
        }
    }
    let report = ing.ingest_events(&auth.caller(), slots).await?;
    st.metrics().events(
        report.accepted,
        report.stripped,
        report.dropped,
        report.rejected,
    );
    Ok(Json(report.into()))
}

/// Decodes an events body exactly as the handler does: a JSON array whose elements are each
/// an event or a per-element problem (public for the fuzz target `http_events_decode`).
///
/// # Errors
/// 400 `BAD_JSON`, 422 `INVALID_BODY` (not an array).
pub fn parse_events(bytes: &[u8]) -> Result<Vec<EventSlot>, ApiError> {
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'[') {
        return match serde_json::from_slice::<serde::de::IgnoredAny>(bytes) {
            Err(e) => Err(json_error(e)),
            Ok(_) => Err(ApiError::invalid(
                ErrorCode::InvalidBody,
                "the body must be a JSON array of events",
            )),
        };
    }
    let raws: Vec<&RawValue> = serde_json::from_slice(bytes).map_err(json_error)?;
    Ok(raws.iter().map(|r| event_slot(r.get())).collect())
}

/// Record a log-in in the security log (IPPS-05): decided, the address sealed under the
/// subject's key, kept for the `ip_login` retention only.
#[utoipa::path(post, path = "/v1/logins", tag = "events",
    responses((status = 201, description = "Recorded", body = LoginRecorded)))]
pub async fn record_login(
    State(st): State<AppState>,
    auth: Auth,
    Json(b): Json<LoginIn>,
) -> ApiResult<(StatusCode, Json<LoginRecorded>)> {
    auth.require("write")?;
    let ing = ingestor(&st)?;
    let subject = SubjectId::from_uuid(b.subject_id);
    let caller = auth.access(&st, subject, AdminPermission::ChangePi).await?;
    let id = ing.record_login(&caller, b.into()).await?;
    Ok((
        StatusCode::CREATED,
        Json(LoginRecorded { id: id.to_string() }),
    ))
}

/// The log-in security log of a subject, for the security role (`security` scope) and a
/// purpose the policy allows for `ip_login`; both decisions and the read are audited.
#[utoipa::path(get, path = "/v1/subjects/{id}/logins", tag = "events",
    params(("id" = String, Path, format = Uuid, description = "Subject id"), PurposeParams),
    responses((status = 200, description = "Log-in records", body = Logins)))]
pub async fn logins(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
    ApiQuery(q): ApiQuery<PurposeParams>,
) -> ApiResult<Json<Logins>> {
    auth.require("security")?;
    auth.service_wide()?;
    let ing = ingestor(&st)?;
    let subject: SubjectId = parse_id(&id, "subject")?;
    // The `security` scope is the security role of SEC-05: the engine still decides both
    // the role's access and the purpose.
    let rows = ing
        .login_ips(&auth.caller(), subject, "security", &q.purpose)
        .await?;
    Ok(Json(Logins {
        logins: rows.iter().map(LoginOut::from).collect(),
    }))
}

/// A `[from, until)` window from optional RFC 3339 bounds (default: the 30 days before now).
pub(crate) fn window(
    st: &AppState,
    from: Option<&str>,
    until: Option<&str>,
) -> ApiResult<(Timestamp, Timestamp)> {
    let p = |raw: &str, name: &str| {
        raw.parse::<Timestamp>().map_err(|_| {
            ApiError::bad_request(ErrorCode::BadQuery, format!("`{name}` is RFC 3339"))
        })
    };
    let until = match until {
        Some(u) => p(u, "until")?,
        None => st.steward().clock().now(),
    };
    let from = match from {
        Some(f) => p(f, "from")?,
        None => until
            .checked_sub(SignedDuration::from_hours(24 * 30))
            .unwrap_or(until),
    };
    if from > until {
        return Err(ApiError::bad_request(
            ErrorCode::BadQuery,
            "`from` is after `until`",
        ));
    }
    Ok((from, until))
}

/// A k-anonymous aggregate of usage events (IPPS-04, COOKIE-03): groups under the policy's
/// minimum size are suppressed; the use is decided and audited.
#[utoipa::path(get, path = "/v1/events/aggregate", tag = "events",
    params(UsageAggregateParams),
    responses((status = 200, description = "The aggregate", body = AggregateOut)))]
pub async fn aggregate(
    State(st): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<UsageAggregateParams>,
) -> ApiResult<Json<AggregateOut>> {
    auth.require("aggregates")?;
    auth.service_wide()?;
    let ing = ingestor(&st)?;
    let (from, until) = window(&st, q.from.as_deref(), q.until.as_deref())?;
    let a = ing
        .usage_aggregate(&auth.caller(), q.group_by.into(), from, until)
        .await?;
    Ok(Json(a.into()))
}
