//! Data subject requests over HTTP (docs/requests.md): a thin layer over
//! [`steward_requests::Requests`] — no workflow logic lives here.
//!
//! - `POST /v1/requests` is the intake. Without a key it is the public form (the subject or
//!   an authorized agent): rate limited per client address, and its answer never says whether
//!   the e-mail address belongs to an account (the core's intake answer depends only on the
//!   input). With a key it needs the `dsr` scope and may use the staff fields.
//! - Verifying a code, asking for a new one and a processor's signed delivery confirmation
//!   are public (rate limited per client too); the confirmation is authenticated by its
//!   `Steward-Signature`, and a bad signature answers like an unknown delivery.
//! - Everything else (queue, approval, runs, receipts, reports, extensions, denials …) needs
//!   `dsr`; connectors and legal holds need `admin`.
//!
//! When the server runs without the workflow attached, these routes answer 503
//! `REQUESTS_UNAVAILABLE`. [`background`] is the periodic worker `steward serve` runs:
//! outbox and webhook deliveries that are due, and the request gauges of `/metrics`.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;
use steward_errors::ErrorCode;

use axum::body::Bytes;
use axum::extract::connect_info::ConnectInfo;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use steward_api::requests::{
    AgentPermissionIn, AlertOut, Alerts, ApproveIn, CodeAnswer, CodeIn, DatasetConnectorIn,
    DatasetKindDto, DeadLetters, DeliveryOut, DenyIn, ExtendIn, ForwardIn, HoldIn, HoldOut,
    IntakeAnswer, ListParams, MoreInformationIn, QueueCursor, ReportParams, RequestCounts,
    RequestOut, RequestPage, RequesterDto, SubmitIn, WebhookIn,
};
use steward_core::Caller;
use steward_core::complaints::ComplaintChannel;
use steward_deadlines::{ExtensionLength, Lookback, RequestKind};
use steward_requests::{
    AgentInput, ApproveInput, ConnectionSource, ConnectorKind, CorrectionInput,
    DatasetRegistration, DenyReason, ListQuery, LodgeComplaint, ReportFormat, RequestState,
    Requester, Requests, SubmitRequest, WebhookRegistration,
};
use steward_store::ids::{DeliveryId, HoldId, ItemId, RequestId, SubjectId};
use steward_vault::{SecretString, Sensitive};

use crate::auth::{Auth, MaybeAuth};
use crate::extract::{ApiPath, ApiQuery, Json, is_json, json_error, parse_id, require_object};
use crate::problem::{ApiError, ApiResult};
use crate::state::AppState;

pub use crate::ratelimit::{ClientLimiter, PUBLIC_BURST, PUBLIC_PER_MINUTE};

/// The client's address: the connection's peer, or, when the peer is one of the configured
/// `trusted_proxies`, the client it names in `X-Forwarded-For` ([`crate::proxy`]).
/// `0.0.0.0` when the server was started without connection info, so every public caller
/// then shares one bucket.
#[derive(Debug, Clone, Copy)]
pub struct ClientAddr(pub IpAddr);

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, st: &AppState) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |c| c.0.ip());
        Ok(ClientAddr(st.config().trusted_proxies.client_addr(
            peer,
            parts.headers.get_all("x-forwarded-for").iter(),
        )))
    }
}

fn limit_public(st: &AppState, client: ClientAddr) -> ApiResult<()> {
    st.0.public_limiter
        .check(client.0, st.steward().clock().now())
        .map_err(|wait| {
            st.metrics()
                .rate_limited
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let mut e = ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                ErrorCode::RateLimited,
                "too many privacy requests from this address; retry later",
            );
            e.retry_after = Some(wait);
            e
        })
}

/// The workflow, or 503 `REQUESTS_UNAVAILABLE`.
fn requests(st: &AppState) -> ApiResult<Arc<Requests>> {
    st.requests().cloned().ok_or_else(|| {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            ErrorCode::RequestsUnavailable,
            "the data subject request workflow is not configured on this server",
        )
    })
}

/// Staff: a service-wide key with `scope`.
fn staff(auth: &Auth, scope: &str) -> ApiResult<Caller> {
    auth.require(scope)?;
    auth.service_wide()?;
    Ok(auth.caller())
}

/// A staff action on one request: the caller (a service-wide `dsr` key), the workflow and
/// the parsed request id, in the order every such handler checks them.
fn dsr_on(st: &AppState, auth: &Auth, id: &str) -> ApiResult<(Caller, Arc<Requests>, RequestId)> {
    let caller = staff(auth, "dsr")?;
    let r = requests(st)?;
    let id: RequestId = parse_id(id, "request")?;
    Ok((caller, r, id))
}

/// A body that may be empty (then the defaults) or a JSON object.
fn optional_body<T: serde::de::DeserializeOwned + Default>(
    headers: &HeaderMap,
    body: &[u8],
) -> ApiResult<T> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    if !is_json(headers) {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorCode::UnsupportedMediaType,
            "send the body as `Content-Type: application/json`",
        ));
    }
    require_object(body)?;
    serde_json::from_slice(body).map_err(json_error)
}

fn parse_ts(raw: &str, field: &str) -> ApiResult<Timestamp> {
    raw.parse::<Timestamp>().map_err(|_| {
        ApiError::invalid(
            ErrorCode::BadTime,
            format!("`{field}` must be an RFC 3339 time (2024-03-04T17:00:00Z)"),
        )
    })
}

fn parse_date(raw: &str, field: &str) -> ApiResult<jiff::civil::Date> {
    raw.parse::<jiff::civil::Date>()
        .map_err(|_| ApiError::invalid(ErrorCode::BadDate, format!("`{field}` must be YYYY-MM-DD")))
}

fn to_submit(body: SubmitIn, staff_key: bool) -> ApiResult<SubmitRequest> {
    if body.text.is_some() || body.name.is_some() || body.dpf.is_some() {
        return Err(ApiError::invalid(
            ErrorCode::FieldNotForKind,
            "`text`, `name` and `dpf` are for `kind: complaint`",
        ));
    }
    let kind: RequestKind = body
        .kind
        .parse()
        .map_err(|e: steward_deadlines::UnknownName| {
            ApiError::invalid(ErrorCode::UnknownRequestKind, e.to_string())
        })?;
    let requester = match body.requester {
        Some(RequesterDto::Subject) => Requester::Subject,
        Some(RequesterDto::Agent) => Requester::Agent,
        Some(RequesterDto::Admin) => Requester::Admin,
        None if body.agent.is_some() => Requester::Agent,
        None if staff_key => Requester::Admin,
        None => Requester::Subject,
    };
    if requester == Requester::Admin && !staff_key {
        return Err(ApiError::invalid(
            ErrorCode::NotStaff,
            "only staff (a key with the `dsr` scope) submit a request on someone's behalf",
        ));
    }
    let lookback = match (
        body.lookback.as_deref(),
        body.lookback_from.as_deref(),
        body.lookback_to.as_deref(),
    ) {
        (None | Some("default"), None, None) => None,
        (Some("all"), None, None) => Some(Lookback::All),
        (None, Some(from), Some(to)) => Some(Lookback::Between {
            from: parse_date(from, "lookback_from")?,
            to: parse_date(to, "lookback_to")?,
        }),
        _ => {
            return Err(ApiError::invalid(
                ErrorCode::BadLookback,
                "give `lookback` (`default` or `all`), or both `lookback_from` and `lookback_to`",
            ));
        }
    };
    Ok(SubmitRequest {
        kind,
        requester,
        channel: body.channel.unwrap_or_else(|| "api".into()),
        subject_id: body.subject_id.map(SubjectId::from_uuid),
        email: body.email.map(Sensitive::new),
        jurisdiction: body.jurisdiction,
        agent: body.agent.map(|a| AgentInput {
            email: a.email.map(Sensitive::new),
            permission_sha256: a.permission_sha256,
            ..AgentInput::default()
        }),
        lookback,
        purpose: body.purpose,
        correction: body.correction.map(|c| CorrectionInput {
            category: c.category,
            item: c.item_id.map(ItemId::from_uuid),
            value: Sensitive::new(c.value),
        }),
        preverified: body.preverified,
        received_at: body
            .received_at
            .as_deref()
            .map(|t| parse_ts(t, "received_at"))
            .transpose()?,
    })
}

/// Submit a privacy request, or lodge a complaint (`kind: complaint`: filed as a complaint
/// with its 45-day first response and acknowledged by e-mail; the answer carries
/// `complaint_id` and `first_response_due`, CONTACT-01, DPF-05). Public without a key (rate
/// limited per client; the answer is the same whether or not the address belongs to an
/// account); with a key, `dsr` scope.
#[utoipa::path(post, path = "/v1/requests", tag = "requests",
    responses((status = 201, description = "Accepted into the workflow", body = IntakeAnswer)))]
pub async fn submit(
    State(st): State<AppState>,
    MaybeAuth(auth): MaybeAuth,
    client: ClientAddr,
    Json(body): Json<SubmitIn>,
) -> ApiResult<(StatusCode, Json<IntakeAnswer>)> {
    let caller = match &auth {
        Some(a) => staff(a, "dsr")?,
        None => {
            limit_public(&st, client)?;
            Caller::Service("public".into())
        }
    };
    let r = requests(&st)?;
    if body.kind == "complaint" {
        // CONTACT-01: a complaint is filed as one, not as a request (no verification, no
        // look-up of the address: the answer is the same for every address).
        let input = to_complaint(body)?;
        let receipt = r.lodge_complaint(&caller, input).await?;
        return Ok((StatusCode::CREATED, Json(receipt.into())));
    }
    let input = to_submit(body, auth.is_some())?;
    let answer = r.submit(&caller, input).await?;
    Ok((StatusCode::CREATED, Json(answer.into())))
}

/// `kind: complaint` on the intake (CONTACT-01): the person's address and words, where they
/// live; the request-only fields are refused.
fn to_complaint(body: SubmitIn) -> ApiResult<LodgeComplaint> {
    if body.requester.is_some()
        || body.subject_id.is_some()
        || body.preverified.is_some()
        || body.received_at.is_some()
        || body.agent.is_some()
        || body.lookback.is_some()
        || body.lookback_from.is_some()
        || body.lookback_to.is_some()
        || body.purpose.is_some()
        || body.correction.is_some()
    {
        return Err(ApiError::invalid(
            ErrorCode::FieldNotForKind,
            "a complaint takes `email`, `text` and optionally `name`, `jurisdiction`, `dpf` and `channel`; the request fields are refused",
        ));
    }
    let channel = match body.channel.as_deref() {
        None | Some("api" | "email" | "email_privacy") => ComplaintChannel::EmailPrivacy,
        Some("privacy_center") => ComplaintChannel::PrivacyCenter,
        Some(_) => {
            return Err(ApiError::invalid(
                ErrorCode::FieldNotForKind,
                "a complaint's `channel` is `email_privacy` (default) or `privacy_center`",
            ));
        }
    };
    Ok(LodgeComplaint {
        channel,
        subject: None,
        email: Sensitive::new(body.email.unwrap_or_default()),
        name: body.name.map(Sensitive::new),
        jurisdiction: body.jurisdiction,
        dpf: body.dpf.unwrap_or(false),
        text: Sensitive::new(body.text.unwrap_or_default()),
    })
}

/// Verify a request with the one-time code (public; rate limited per client; the store
/// counts attempts per code).
#[utoipa::path(post, path = "/v1/requests/{id}/verify", tag = "requests",
    params(("id" = String, Path, format = Uuid, description = "Request id")),
    responses((status = 200, description = "The request's state now", body = CodeAnswer)))]
pub async fn verify(
    State(st): State<AppState>,
    client: ClientAddr,
    ApiPath(id): ApiPath<String>,
    Json(body): Json<CodeIn>,
) -> ApiResult<Json<CodeAnswer>> {
    limit_public(&st, client)?;
    let r = requests(&st)?;
    let id: RequestId = parse_id(&id, "request")?;
    let code = body.code.chars().take(16).collect::<String>();
    Ok(Json(r.verify_code(id, &code).await?.into()))
}

/// Send a fresh code (public; rate limited; at most a few per request).
#[utoipa::path(post, path = "/v1/requests/{id}/code", tag = "requests",
    params(("id" = String, Path, format = Uuid, description = "Request id")),
    responses((status = 200, description = "A new code is on its way", body = IntakeAnswer)))]
pub async fn resend_code(
    State(st): State<AppState>,
    client: ClientAddr,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<IntakeAnswer>> {
    limit_public(&st, client)?;
    let r = requests(&st)?;
    let id: RequestId = parse_id(&id, "request")?;
    Ok(Json(r.resend_code(id).await?.into()))
}

/// The request queue by due date (`status`: `ON_TRACK`, `AT_RISK`, `OVERDUE`, `CLOSED`).
#[utoipa::path(get, path = "/v1/requests", tag = "requests",
    params(ListParams),
    responses((status = 200, description = "A page of the queue", body = RequestPage)))]
pub async fn list(
    State(st): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<ListParams>,
) -> ApiResult<Json<RequestPage>> {
    staff(&auth, "dsr")?;
    let r = requests(&st)?;
    let limit = q.limit.unwrap_or(100);
    if !(1..=10_000).contains(&limit) {
        return Err(ApiError::bad_request(
            ErrorCode::BadQuery,
            "`limit` is 1 to 10000",
        ));
    }
    let state = match &q.state {
        Some(s) => Some(RequestState::from_str(s).map_err(|_| {
            ApiError::bad_request(ErrorCode::BadQuery, "`state` is not a request state")
        })?),
        None => None,
    };
    let after = match (&q.after_due, &q.after_id) {
        (Some(d), Some(i)) => Some((
            d.parse::<Timestamp>().map_err(|_| {
                ApiError::bad_request(ErrorCode::BadQuery, "`after_due` is RFC 3339")
            })?,
            parse_id::<RequestId>(i, "request")?,
        )),
        (None, None) => None,
        _ => {
            return Err(ApiError::bad_request(
                ErrorCode::BadQuery,
                "give both `after_due` and `after_id`, or neither",
            ));
        }
    };
    let subject = q
        .subject_id
        .as_deref()
        .map(|s| parse_id::<SubjectId>(s, "subject"))
        .transpose()?;
    let rows = r
        .list(&ListQuery {
            include_closed: q.all.unwrap_or(false),
            state,
            subject,
            after,
            limit: Some(limit),
        })
        .await?;
    let next = match rows.last() {
        Some(l) if rows.len() == limit as usize => Some(QueueCursor {
            after_due: super::ts(l.due),
            after_id: l.id.to_string(),
        }),
        _ => None,
    };
    Ok(Json(RequestPage {
        requests: rows.into_iter().map(Into::into).collect(),
        next,
    }))
}

/// A request in full: clocks per regime, verification, plan, steps, messages (kinds and
/// states only) and deliveries. No personal data.
#[utoipa::path(get, path = "/v1/requests/{id}", tag = "requests",
    params(("id" = String, Path, format = Uuid, description = "Request id")),
    responses((status = 200, description = "The request", body = RequestOut)))]
pub async fn show(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<RequestOut>> {
    staff(&auth, "dsr")?;
    let r = requests(&st)?;
    let id: RequestId = parse_id(&id, "request")?;
    Ok(Json(r.show(id).await?.into()))
}

/// Approve a verified request (the privacy team's review; the erasure plan is computed).
/// The body is optional.
#[utoipa::path(post, path = "/v1/requests/{id}/approve", tag = "requests",
    params(("id" = String, Path, format = Uuid, description = "Request id")),
    request_body(content = Option<ApproveIn>, description = "Optional"),
    responses((status = 200, description = "The request", body = RequestOut)))]
pub async fn approve(
    State(st): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    ApiPath(id): ApiPath<String>,
    body: Bytes,
) -> ApiResult<Json<RequestOut>> {
    let (caller, r, id) = dsr_on(&st, &auth, &id)?;
    let b: ApproveIn = optional_body(&headers, &body)?;
    let view = r
        .approve(
            &caller,
            id,
            ApproveInput {
                data_points: b.data_points,
                signed_declaration: b.signed_declaration,
            },
        )
        .await?;
    Ok(Json(view.into()))
}

/// Run an approved (or failed) request across every system; the outcome names a failed
/// system and why, and the request can run again (nothing is done twice).
#[utoipa::path(post, path = "/v1/requests/{id}/run", tag = "requests",
    params(("id" = String, Path, format = Uuid, description = "Request id")),
    responses((status = 200, description = "`{request_id, state, failed_system, reason, systems}`", body = Object)))]
pub async fn run(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Response> {
    let (caller, r, id) = dsr_on(&st, &auth, &id)?;
    let outcome = r.run(&caller, id, &|_| {}).await?;
    Ok(Json(outcome).into_response())
}

/// The receipt: every system touched and its result, what was kept under which exception,
/// who was notified, with a SHA-256 over it. No personal data.
#[utoipa::path(get, path = "/v1/requests/{id}/receipt", tag = "requests",
    params(("id" = String, Path, format = Uuid, description = "Request id")),
    responses((status = 200, description = "The receipt", body = Object)))]
pub async fn receipt(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Response> {
    staff(&auth, "dsr")?;
    let r = requests(&st)?;
    let id: RequestId = parse_id(&id, "request")?;
    Ok(Json(r.receipt(id).await?).into_response())
}

/// The access or portability report of a completed request, built from what is stored
/// (personal data: the read is audited; never cached).
#[utoipa::path(get, path = "/v1/requests/{id}/report", tag = "requests",
    params(("id" = String, Path, format = Uuid, description = "Request id"), ReportParams),
    responses((status = 200, description = "The report (JSON, CSV or HTML)", content(
        (Object = "application/json"), (String = "text/csv"), (String = "text/html")))))]
pub async fn report(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
    ApiQuery(q): ApiQuery<ReportParams>,
) -> ApiResult<Response> {
    let (caller, r, id) = dsr_on(&st, &auth, &id)?;
    let format: ReportFormat = q.format.as_deref().unwrap_or("json").parse()?;
    let out = r.report(&caller, id, format).await?;
    let mut res = out.body.expose().clone().into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(out.content_type),
    );
    // SECURITY: personal data — never stored by a cache on the way.
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    let name: String = out
        .file_name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
        .collect();
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(res)
}

/// Extend the deadline once (DL-05); without `days` or `months`, as far as every regime
/// allows.
#[utoipa::path(post, path = "/v1/requests/{id}/extend", tag = "requests",
    params(("id" = String, Path, format = Uuid, description = "Request id")),
    responses((status = 200, description = "The request", body = RequestOut)))]
pub async fn extend(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
    Json(b): Json<ExtendIn>,
) -> ApiResult<Json<RequestOut>> {
    let (caller, r, id) = dsr_on(&st, &auth, &id)?;
    let length = match (b.days, b.months) {
        (None, None) => ExtensionLength::Maximum,
        (Some(d), None) if (1..=366).contains(&d) => ExtensionLength::Days(d),
        (None, Some(m)) if (1..=12).contains(&m) => ExtensionLength::Months(m),
        _ => {
            return Err(ApiError::invalid(
                ErrorCode::BadExtension,
                "give `days` (1 to 366) or `months` (1 to 12), not both",
            ));
        }
    };
    Ok(Json(
        r.extend(&caller, id, b.reason.as_deref(), length)
            .await?
            .into(),
    ))
}

/// Deny a request with its basis; the subject is told, with the complaint and
/// judicial-remedy wording.
#[utoipa::path(post, path = "/v1/requests/{id}/deny", tag = "requests",
    params(("id" = String, Path, format = Uuid, description = "Request id")),
    responses((status = 200, description = "The request", body = RequestOut)))]
pub async fn deny(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
    Json(b): Json<DenyIn>,
) -> ApiResult<Json<RequestOut>> {
    let (caller, r, id) = dsr_on(&st, &auth, &id)?;
    let reason: DenyReason = b.reason.parse()?;
    Ok(Json(
        r.deny(&caller, id, reason, b.justification.as_deref())
            .await?
            .into(),
    ))
}

/// Forward a request about data held for a Customer to that Customer (CUST-04).
#[utoipa::path(post, path = "/v1/requests/{id}/forward", tag = "requests",
    params(("id" = String, Path, format = Uuid, description = "Request id")),
    responses((status = 200, description = "The request", body = RequestOut)))]
pub async fn forward(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
    Json(b): Json<ForwardIn>,
) -> ApiResult<Json<RequestOut>> {
    let (caller, r, id) = dsr_on(&st, &auth, &id)?;
    Ok(Json(r.forward(&caller, id, &b.customer).await?.into()))
}

/// Ask the subject for more identifying information (refused when disproportionate).
#[utoipa::path(post, path = "/v1/requests/{id}/more-information", tag = "requests",
    params(("id" = String, Path, format = Uuid, description = "Request id")),
    responses((status = 200, description = "The request", body = RequestOut)))]
pub async fn more_information(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
    Json(b): Json<MoreInformationIn>,
) -> ApiResult<Json<RequestOut>> {
    let (caller, r, id) = dsr_on(&st, &auth, &id)?;
    if b.fields.is_empty() || b.fields.len() > 10 {
        return Err(ApiError::invalid(
            ErrorCode::BadFields,
            "give 1 to 10 fields",
        ));
    }
    Ok(Json(
        r.request_more_information(&caller, id, &b.fields)
            .await?
            .into(),
    ))
}

/// Record the consumer's signed permission for an agent (CCPA-23); the consumer then
/// confirms with a code sent to their own address.
#[utoipa::path(post, path = "/v1/requests/{id}/agent-permission", tag = "requests",
    params(("id" = String, Path, format = Uuid, description = "Request id")),
    responses((status = 200, description = "The request", body = RequestOut)))]
pub async fn agent_permission(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
    Json(b): Json<AgentPermissionIn>,
) -> ApiResult<Json<RequestOut>> {
    let (caller, r, id) = dsr_on(&st, &auth, &id)?;
    Ok(Json(
        r.record_agent_permission(&caller, id, &b.sha256)
            .await?
            .into(),
    ))
}

/// DL-04 reminders (T−7, T−2, overdue), unconfirmed processor deletions (RET-07), dead
/// letters, a policy in force older than 12 months (CHG-05), breach notices due within 24
/// hours or past due (SEC-06, GDPR-30, GDPR-31), and transfer mechanisms, certifications or
/// contracts of the policy expired or expiring within 30 days (DPF-02, SP-04). Incident
/// notices are listed only for a key that also holds the `cases` scope.
#[utoipa::path(get, path = "/v1/requests/alerts", tag = "requests",
    responses((status = 200, description = "The alerts", body = Alerts)))]
pub async fn alerts(State(st): State<AppState>, auth: Auth) -> ApiResult<Json<Alerts>> {
    staff(&auth, "dsr")?;
    let r = requests(&st)?;
    let mut alerts: Vec<_> = r.alerts().await?.into_iter().map(Into::into).collect();
    alerts.extend(crate::api::policy::stale_alert(&st));
    alerts.extend(crate::api::policy::expiry_alerts(&st));
    // The incident register is the `cases` scope's: a `dsr` key without it sees no incident.
    let incident_alerts = if auth.require("cases").is_ok() {
        st.steward().incident_notice_alerts().await?
    } else {
        Vec::new()
    };
    alerts.extend(incident_alerts.into_iter().map(|n| {
        let since = if n.overdue {
            n.due_at
        } else {
            n.due_at
                .checked_sub(jiff::SignedDuration::from_hours(
                    steward_core::incidents::NEAR_DUE_HOURS,
                ))
                .unwrap_or(n.due_at)
        };
        AlertOut {
            kind: if n.overdue {
                "INCIDENT_NOTICE_OVERDUE"
            } else {
                "INCIDENT_NOTICE_NEAR_DUE"
            }
            .to_owned(),
            since: since.to_string(),
            incident: Some(n.incident.to_string()),
            notice: Some(n.notice.to_string()),
            notice_to: Some(n.to),
            due_at: Some(n.due_at.to_string()),
            ..AlertOut::default()
        }
    }));
    Ok(Json(Alerts { alerts }))
}

/// Counts: open, overdue, at risk, dead letters, unconfirmed processor deletions, messages
/// not sent yet.
#[utoipa::path(get, path = "/v1/requests/metrics", tag = "requests",
    responses((status = 200, description = "The counts", body = RequestCounts)))]
pub async fn metrics(State(st): State<AppState>, auth: Auth) -> ApiResult<Json<RequestCounts>> {
    staff(&auth, "dsr")?;
    let r = requests(&st)?;
    Ok(Json(r.metrics().await?.into()))
}

/// Webhook deliveries on the dead-letter list.
#[utoipa::path(get, path = "/v1/requests/dead-letters", tag = "requests",
    responses((status = 200, description = "The dead letters", body = DeadLetters)))]
pub async fn dead_letters(State(st): State<AppState>, auth: Auth) -> ApiResult<Json<DeadLetters>> {
    staff(&auth, "dsr")?;
    let r = requests(&st)?;
    Ok(Json(DeadLetters {
        deliveries: r
            .dead_letters()
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    }))
}

/// Put a dead letter back in the delivery queue (after the endpoint was fixed).
#[utoipa::path(post, path = "/v1/requests/deliveries/{id}/requeue", tag = "requests",
    params(("id" = String, Path, format = Uuid, description = "Delivery id")),
    responses((status = 200, description = "The delivery", body = DeliveryOut)))]
pub async fn requeue(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<DeliveryOut>> {
    let caller = staff(&auth, "dsr")?;
    let r = requests(&st)?;
    let id: DeliveryId = parse_id(&id, "delivery")?;
    Ok(Json(r.requeue(&caller, id).await?.into()))
}

/// The header of signed webhook bodies and confirmations.
pub const SIGNATURE_HEADER: &str = "steward-signature";

/// A processor confirms it acted on a delivery (RET-07). Public, but the raw body
/// `{"delivery_id": "<id>"}` must be signed with the recipient's webhook secret in
/// `Steward-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, t + "." + body)>`; a bad
/// signature answers like an unknown delivery (404).
#[utoipa::path(post, path = "/v1/requests/deliveries/{id}/confirm", tag = "requests",
    params(("id" = String, Path, format = Uuid, description = "Delivery id"),
        ("Steward-Signature" = String, Header, description = "`t=<unix seconds>,v1=<hex HMAC-SHA256>`")),
    request_body(content = Object, description = "`{\"delivery_id\": \"<id>\"}`, signed as sent"),
    responses((status = 200, description = "The delivery, confirmed", body = DeliveryOut)))]
pub async fn confirm(
    State(st): State<AppState>,
    client: ClientAddr,
    headers: HeaderMap,
    ApiPath(id): ApiPath<String>,
    body: Bytes,
) -> ApiResult<Json<DeliveryOut>> {
    limit_public(&st, client)?;
    let r = requests(&st)?;
    let id: DeliveryId = parse_id(&id, "delivery")?;
    let Some(sig) = headers.get(SIGNATURE_HEADER).and_then(|v| v.to_str().ok()) else {
        return Err(ApiError::not_found("delivery"));
    };
    Ok(Json(r.confirm_delivery(id, sig, &body).await?.into()))
}

fn secret_source(value: Option<String>, env: Option<String>) -> ApiResult<ConnectionSource> {
    match (value, env) {
        (Some(v), None) if !v.is_empty() => Ok(ConnectionSource::Secret(SecretString::from(v))),
        (None, Some(n)) => {
            let valid = n.len() <= 64
                && n.bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
                && n.bytes().next().is_some_and(|b| !b.is_ascii_digit());
            // SECURITY: an API caller may not point a connector at Steward's own secrets
            // (key ring, SMTP password …) kept in the environment.
            if !valid || n.starts_with("STEWARD_") {
                return Err(ApiError::invalid(
                    ErrorCode::BadEnvName,
                    "name an environment variable `[A-Z_][A-Z0-9_]*` that does not start with `STEWARD_`",
                ));
            }
            Ok(ConnectionSource::Env(n))
        }
        _ => Err(ApiError::invalid(
            ErrorCode::SecretRequired,
            "give exactly one of the secret and the environment variable holding it",
        )),
    }
}

/// Register (or replace) a dataset connector: the company's own database, erased in
/// dependency order and re-queried to verify.
#[utoipa::path(put, path = "/v1/connectors/datasets/{name}", tag = "connectors",
    params(("name" = String, Path, description = "Connector name (`[a-z0-9_:.-]{1,64}`)")),
    responses((status = 200, description = "The connector (no secret)", body = Object)))]
pub async fn put_dataset(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(name): ApiPath<String>,
    Json(b): Json<DatasetConnectorIn>,
) -> ApiResult<Response> {
    let caller = staff(&auth, "admin")?;
    let r = requests(&st)?;
    let reg = DatasetRegistration {
        name,
        kind: match b.kind {
            DatasetKindDto::Sqlite => ConnectorKind::SqliteDataset,
            DatasetKindDto::Postgres => ConnectorKind::PostgresDataset,
        },
        annotation: b.annotation,
        connection: secret_source(b.connection, b.connection_env)?,
    };
    Ok(Json(r.register_dataset(&caller, reg).await?).into_response())
}

/// Register (or replace) a recipient's webhook endpoint with its signing secret.
#[utoipa::path(put, path = "/v1/connectors/webhooks/{name}", tag = "connectors",
    params(("name" = String, Path, description = "Connector name (`[a-z0-9_:.-]{1,64}`)")),
    responses((status = 200, description = "The connector (no secret)", body = Object)))]
pub async fn put_webhook(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(name): ApiPath<String>,
    Json(b): Json<WebhookIn>,
) -> ApiResult<Response> {
    let caller = staff(&auth, "admin")?;
    let r = requests(&st)?;
    let reg = WebhookRegistration {
        name,
        recipient: b.recipient,
        url: b.url,
        secret: secret_source(b.secret, b.secret_env)?,
    };
    Ok(Json(r.register_webhook(&caller, reg).await?).into_response())
}

/// Every connector (no secrets: `secret` is `sealed` or `env:<NAME>`).
#[utoipa::path(get, path = "/v1/connectors", tag = "connectors",
    responses((status = 200, description = "`{connectors: [...]}`", body = Object)))]
pub async fn connectors(
    State(st): State<AppState>,
    auth: Auth,
) -> ApiResult<Json<serde_json::Value>> {
    staff(&auth, "admin")?;
    let r = requests(&st)?;
    Ok(Json(
        serde_json::json!({"connectors": r.connectors().await?}),
    ))
}

/// Disable a connector (new runs skip it).
#[utoipa::path(delete, path = "/v1/connectors/{name}", tag = "connectors",
    params(("name" = String, Path, description = "Connector name")),
    responses((status = 200, description = "The connector, disabled", body = Object)))]
pub async fn disable_connector(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(name): ApiPath<String>,
) -> ApiResult<Response> {
    let caller = staff(&auth, "admin")?;
    let r = requests(&st)?;
    Ok(Json(r.disable_connector(&caller, &name).await?).into_response())
}

fn hold_out(h: &steward_store::model::request::LegalHoldRecord) -> HoldOut {
    HoldOut {
        id: h.id.to_string(),
        subject_id: h.subject.to_string(),
        items: h.items.iter().map(ToString::to_string).collect(),
        reason: h.reason.to_string(),
        owner: h.owner.to_string(),
        review_at: super::ts(h.review_at),
        created_at: super::ts(h.created_at),
        released_at: super::ots(h.released_at),
    }
}

/// Place a legal hold: the subject's items (all, or those listed) are kept by erasure plans
/// and the retention sweep until it is released (RET-03).
#[utoipa::path(post, path = "/v1/subjects/{id}/holds", tag = "connectors",
    params(("id" = String, Path, format = Uuid, description = "Subject id")),
    responses((status = 201, description = "The hold", body = HoldOut)))]
pub async fn place_hold(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
    Json(b): Json<HoldIn>,
) -> ApiResult<(StatusCode, Json<HoldOut>)> {
    let caller = staff(&auth, "admin")?;
    let r = requests(&st)?;
    let subject: SubjectId = parse_id(&id, "subject")?;
    st.steward().get_subject(subject).await?;
    let review_at = parse_ts(&b.review_at, "review_at")?;
    let items = b.items.into_iter().map(ItemId::from_uuid).collect();
    let hold = r
        .place_legal_hold(&caller, subject, items, &b.reason, &b.owner, review_at)
        .await?;
    Ok((StatusCode::CREATED, Json(hold_out(&hold))))
}

/// Release a legal hold.
#[utoipa::path(delete, path = "/v1/holds/{id}", tag = "connectors",
    params(("id" = String, Path, format = Uuid, description = "Hold id")),
    responses((status = 200, description = "The hold, released", body = HoldOut)))]
pub async fn release_hold(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<HoldOut>> {
    let caller = staff(&auth, "admin")?;
    let r = requests(&st)?;
    let id: HoldId = parse_id(&id, "hold")?;
    Ok(Json(hold_out(&r.release_legal_hold(&caller, id).await?)))
}

/// One pass of the background work: deliver what is due (outbox messages, webhook
/// deliveries, access requests whose dataset could not be read run again) and refresh the
/// request gauges of `/metrics`. Errors are logged (ids only),
/// never fatal: the next pass tries again.
pub async fn background_pass(state: &AppState) {
    let Some(r) = state.requests() else {
        return;
    };
    match r.deliver_due().await {
        Ok(rep) => {
            if rep != steward_requests::DeliveryReport::default() {
                tracing::info!(
                    messages_sent = rep.messages_sent,
                    messages_failed = rep.messages_failed,
                    delivered = rep.delivered,
                    retried = rep.retried,
                    dead_lettered = rep.dead_lettered,
                    reads_retried = rep.reads_retried,
                    "deliveries"
                );
            }
        }
        Err(e) => tracing::error!(error = %e, "delivering due messages and webhooks failed"),
    }
    if let Err(e) = crate::metrics::refresh_requests(state, r).await {
        tracing::error!(error = %e, "refreshing the request gauges failed");
    }
}

/// The background worker of `steward serve`: a pass at once, then one every `every`, until
/// `stop` turns `true` (or its sender is dropped). A pass in progress finishes first.
pub async fn background(
    state: AppState,
    every: Duration,
    mut stop: tokio::sync::watch::Receiver<bool>,
) {
    let mut tick = tokio::time::interval(every.max(Duration::from_millis(10)));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            biased;
            changed = stop.changed() => {
                if changed.is_err() || *stop.borrow() {
                    break;
                }
            }
            _ = tick.tick() => background_pass(&state).await,
        }
    }
    tracing::info!("background deliveries stopped");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_names_for_connectors_exclude_stewards_own() {
        assert!(secret_source(None, Some("SHOP_DB".into())).is_ok());
        for bad in ["STEWARD_IP_PSEUDONYM_KEY", "lower", "1X", "A-B", ""] {
            assert_eq!(
                secret_source(None, Some(bad.into())).unwrap_err().code,
                "BAD_ENV_NAME",
                "{bad}"
            );
        }
        assert_eq!(
            secret_source(Some("x".into()), Some("A".into()))
                .unwrap_err()
                .code,
            "SECRET_REQUIRED"
        );
    }

    #[test]
    fn public_intake_cannot_act_as_staff() {
        let body: SubmitIn = serde_json::from_value(serde_json::json!({
            "kind": "access", "email": "a@example.com", "requester": "admin"
        }))
        .unwrap();
        assert_eq!(to_submit(body, false).unwrap_err().code, "NOT_STAFF");
        let body: SubmitIn = serde_json::from_value(serde_json::json!({
            "kind": "teleport", "email": "a@example.com"
        }))
        .unwrap();
        assert_eq!(
            to_submit(body, false).unwrap_err().code,
            "UNKNOWN_REQUEST_KIND"
        );
    }
}
