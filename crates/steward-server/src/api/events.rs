//! Usage events at the door (docs/events.md): `POST /v1/events` (a JSON array; each event
//! passes tracker consent gating, field stripping and IP pseudonymization; a malformed
//! element is rejected on its own and never fails the batch; `Sec-GPC: 1` sets `gpc` on every
//! event), the log-in security log (IPPS-05) and k-anonymous usage aggregates (IPPS-04).
//!
//! These routes need the usage path ([`steward_core::ingest::Ingestor`]), which exists only
//! with the IP pseudonymization key: without it they answer 503 `IP_KEY_MISSING` rather than
//! ever storing a raw address (IPPS-02).

use std::sync::Arc;

use axum::Json;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode};
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};
use steward_core::ingest::{BatchReport, EventSlot, Ingestor, LoginInput};
use steward_store::ids::SubjectId;
use steward_store::model::account::AdminPermission;
use steward_store::model::event::{Aggregate, UsageGroup};
use steward_vault::Sensitive;
use utoipa::{IntoParams, ToSchema};

use super::ts;
use crate::auth::{Auth, gpc};
use crate::extract::{ApiJson, ApiPath, ApiQuery, json_bytes, json_error, parse_id};
use crate::problem::{ApiError, ApiResult};
use crate::state::AppState;

/// The usage path, or 503 `IP_KEY_MISSING`.
pub(crate) fn ingestor(st: &AppState) -> ApiResult<Arc<Ingestor>> {
    st.ingestor().cloned().ok_or_else(|| {
        ApiError::new(
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            "IP_KEY_MISSING",
            "usage data is not ingested: the IP pseudonymization key is not configured \
             (key ring `ip_pseudonym` or STEWARD_IP_PSEUDONYM_KEY); no raw address is stored",
        )
    })
}

/// One usage event (the core's `UsageEventInput`; unknown fields reject that event only).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct UsageEventDoc {
    /// What happened: `page_view`, `click` …
    #[serde(rename = "type")]
    #[schema(pattern = "^[a-z0-9_:.-]{1,64}$")]
    pub kind: String,
    /// The tracker it came through (`analytics_uid`, `session_cookie`, `ads_pixel_3p` …).
    pub tracker: String,
    /// When (RFC 3339; default: when received).
    #[serde(default)]
    pub at: Option<String>,
    /// The browser's cookie id (stored as its blind-index token).
    #[serde(default)]
    pub cookie_id: Option<String>,
    /// The app's device id (stored as its blind-index token).
    #[serde(default)]
    pub device_id: Option<String>,
    /// The client address: used for the coarse region, then pseudonymized; never stored.
    #[serde(default)]
    pub ip: Option<String>,
    /// The page (query string and fragment dropped).
    #[serde(default)]
    pub page: Option<String>,
    /// The link clicked.
    #[serde(default)]
    pub link: Option<String>,
    /// The browser family (`firefox`), not the user agent.
    #[serde(default)]
    pub browser: Option<String>,
    /// The visitor was signed in.
    #[serde(default)]
    pub registered: bool,
    /// The request carried `Sec-GPC: 1`.
    #[serde(default)]
    pub gpc: bool,
    /// Where the edge located the visitor (`US-CA`, `FR`).
    #[serde(default)]
    pub jurisdiction: Option<String>,
}

/// What happened to one event not stored exactly as sent.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[allow(dead_code)]
pub struct EventResultDoc {
    /// Position in the batch.
    pub index: u64,
    /// `stripped`, `dropped` or `rejected`.
    pub outcome: String,
    /// Why (`CONSENT_REQUIRED`, `OPTED_OUT`, `NO_RULE`, `PURPOSE_NOT_ALLOWED`, `BAD_IP`,
    /// `MALFORMED_EVENT` …).
    pub reason: String,
    /// For a rejected event: what is wrong (no personal data).
    pub message: Option<String>,
    /// For a stripped event: the fields removed.
    pub stripped: Option<Vec<String>>,
}

/// The answer to a batch.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[allow(dead_code)]
pub struct BatchReportDoc {
    /// Events stored as sent (less the raw address).
    pub accepted: u64,
    /// Events stored without some fields.
    pub stripped: u64,
    /// Events not stored by policy (counted and audited by reason).
    pub dropped: u64,
    /// Malformed events.
    pub rejected: u64,
    /// Every event not stored exactly as sent, in batch order.
    pub results: Vec<EventResultDoc>,
}

/// Ingest a batch of usage events (at most 10 000): consent gating per device and
/// jurisdiction, fields the tracker's purpose may not use stripped, addresses pseudonymized.
/// A malformed element is rejected with its reason; the rest of the batch is kept.
#[utoipa::path(post, path = "/v1/events", tag = "events",
    request_body(content = Vec<UsageEventDoc>, description = "A JSON array of events"),
    params(("Sec-GPC" = Option<String>, Header, description = "`1`: every event carries GPC (GPC-01/03)")),
    responses((status = 200, description = "Counts and the events not stored as sent", body = BatchReportDoc)))]
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
    Ok(Json(report))
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
                "INVALID_BODY",
                "the body must be a JSON array of events",
            )),
        };
    }
    serde_json::from_slice(bytes).map_err(json_error)
}

/// A log-in to record.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginIn {
    /// Who logged in.
    pub subject_id: uuid::Uuid,
    /// From which address (sealed, for log-in security only; purged after 90 days).
    #[schema(max_length = 64)]
    pub ip: String,
    /// The device id, if any (stored as its blind-index token).
    #[serde(default)]
    #[schema(max_length = 512)]
    pub device_id: Option<String>,
}

/// A recorded log-in.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LoginRecorded {
    /// The record id.
    pub id: String,
}

/// Record a log-in in the security log (IPPS-05): decided, the address sealed under the
/// subject's key, kept for the `ip_login` retention only.
#[utoipa::path(post, path = "/v1/logins", tag = "events",
    request_body = LoginIn,
    responses((status = 201, description = "Recorded", body = LoginRecorded)))]
pub async fn record_login(
    State(st): State<AppState>,
    auth: Auth,
    ApiJson(b): ApiJson<LoginIn>,
) -> ApiResult<(StatusCode, Json<LoginRecorded>)> {
    auth.require("write")?;
    let ing = ingestor(&st)?;
    let subject = SubjectId::from_uuid(b.subject_id);
    let caller = auth.access(&st, subject, AdminPermission::ChangePi).await?;
    let id = ing
        .record_login(
            &caller,
            LoginInput {
                subject,
                ip: Sensitive::new(b.ip),
                device_id: b.device_id.map(Sensitive::new),
            },
        )
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(LoginRecorded { id: id.to_string() }),
    ))
}

/// The purpose of a read.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PurposeParams {
    /// The declared purpose (`login_security`, `security_fraud` …).
    #[param(pattern = "^[a-z0-9_:.-]{1,64}$")]
    pub purpose: String,
}

/// A log-in record.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LoginOut {
    /// Id.
    pub id: String,
    /// When.
    pub at: String,
    /// The address.
    pub ip: String,
    /// When it will be purged.
    pub retain_until: String,
}

/// Log-in records.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Logins {
    /// Newest first.
    pub logins: Vec<LoginOut>,
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
        logins: rows
            .iter()
            .map(|r| LoginOut {
                id: r.id.to_string(),
                at: ts(r.at),
                ip: r.ip.expose().to_string(),
                retain_until: ts(r.retain_until),
            })
            .collect(),
    }))
}

/// How to group usage events.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum UsageGroupDto {
    /// By coarse region (`location_traffic_monitoring`).
    Geo,
    /// By page (`audience_measurement`).
    Page,
    /// By tracker (`audience_measurement`).
    Tracker,
}

/// An aggregate's window and grouping.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct UsageAggregateParams {
    /// `geo`, `page` or `tracker`.
    pub group_by: UsageGroupDto,
    /// Received at or after (RFC 3339; default: 30 days before `until`).
    #[serde(default)]
    pub from: Option<String>,
    /// Received before (RFC 3339; default: now).
    #[serde(default)]
    pub until: Option<String>,
}

/// One group.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GroupOut {
    /// The key (`null`: unknown, e.g. a region without a geo database).
    pub key: Option<String>,
    /// Distinct units (visitors, accounts): at least the policy's minimum group size.
    pub units: u64,
    /// Events.
    pub events: u64,
}

/// A k-anonymous aggregate.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AggregateOut {
    /// Groups at or above the minimum group size.
    pub groups: Vec<GroupOut>,
    /// Groups suppressed.
    pub suppressed_groups: u64,
    /// Events in suppressed groups.
    pub suppressed_events: u64,
}

pub(crate) fn aggregate_out(a: Aggregate) -> AggregateOut {
    AggregateOut {
        groups: a
            .groups
            .into_iter()
            .map(|g| GroupOut {
                key: g.key,
                units: g.units,
                events: g.events,
            })
            .collect(),
        suppressed_groups: a.suppressed_groups,
        suppressed_events: a.suppressed_events,
    }
}

/// A `[from, until)` window from optional RFC 3339 bounds (default: the 30 days before now).
pub(crate) fn window(
    st: &AppState,
    from: Option<&str>,
    until: Option<&str>,
) -> ApiResult<(Timestamp, Timestamp)> {
    let p = |raw: &str, name: &str| {
        raw.parse::<Timestamp>()
            .map_err(|_| ApiError::bad_request("BAD_QUERY", format!("`{name}` is RFC 3339")))
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
            "BAD_QUERY",
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
    let group = match q.group_by {
        UsageGroupDto::Geo => UsageGroup::Geo,
        UsageGroupDto::Page => UsageGroup::Page,
        UsageGroupDto::Tracker => UsageGroup::Tracker,
    };
    let a = ing
        .usage_aggregate(&auth.caller(), group, from, until)
        .await?;
    Ok(Json(aggregate_out(a)))
}
