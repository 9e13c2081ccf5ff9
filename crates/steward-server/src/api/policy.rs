//! The policy in force: its version, the rendered notice (from the same file the engine
//! enforces, so notice and enforcement cannot drift) and the shipped policy tests run against
//! it (SEC-07); its alerts and gauges: a stale policy (CHG-05), and transfer mechanisms,
//! certifications and contracts expired or expiring within 30 days (DPF-02, SP-04).

use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use steward_api::policy::{
    NoticeFormat, NoticeQuery, PolicyChangeOut, PolicyNoticeList, PolicyNoticeOut,
    PolicyNoticesQueued, PolicyOut, PolicyTests, PolicyVersionDetail, PolicyVersionList,
    PolicyVersionOut, PolicyVersionStatus,
};
use steward_core::policy_versions::{is_due, is_stale};
use steward_errors::ErrorCode;
use steward_store::ids::SubjectId;
use steward_store::model::account::AdminPermission;
use steward_store::{Digest, PolicyVersionRecord};

use crate::auth::Auth;
use crate::extract::{ApiPath, ApiQuery, Json, parse_id};
use crate::problem::{ApiError, ApiResult};
use crate::state::AppState;

/// The policy in force.
#[utoipa::path(get, path = "/v1/policy", tag = "policy",
    responses((status = 200, description = "The policy", body = PolicyOut)))]
pub async fn current(State(st): State<AppState>, _auth: Auth) -> Json<PolicyOut> {
    Json(PolicyOut::new(
        &st.steward().engine(),
        steward_core::ENGINE_VERSION,
    ))
}

/// The privacy notice rendered from the policy in force.
#[utoipa::path(get, path = "/v1/policy/notice", tag = "policy",
    params(NoticeQuery),
    responses((status = 200, description = "The notice",
        content((String = "text/html"), (String = "text/markdown")))))]
pub async fn notice(
    State(st): State<AppState>,
    _auth: Auth,
    ApiQuery(q): ApiQuery<NoticeQuery>,
) -> Response {
    let e = st.steward().engine();
    let (body, ct) = match q.format.unwrap_or_default() {
        NoticeFormat::Html => (steward_policy::render::html(&e), "text/html; charset=utf-8"),
        NoticeFormat::Markdown => (
            steward_policy::render::markdown(&e),
            "text/markdown; charset=utf-8",
        ),
    };
    let mut res = body.into_response();
    res.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(ct));
    res
}

/// The shipped policy tests run against the policy in force, computed once per policy text (for
/// `GET /v1/policy/tests` and the console's policy page).
///
/// # Errors
/// 422 `POLICY_TESTS_UNREADABLE` when a shipped case file does not parse; 503 when the
/// worker thread is gone.
pub(crate) async fn shipped_tests(st: &AppState) -> ApiResult<PolicyTests> {
    let policy = st.policy();
    let src = policy.source.clone();
    policy
        .tests
        .get_or_try_init(|| async move {
            tokio::task::spawn_blocking(move || {
                steward_policy::shipped::run(&src.name, &src.text)
                    .map(|report| PolicyTests::new(&src.name, &report))
                    .map_err(|e| ApiError::invalid(ErrorCode::PolicyTestsUnreadable, e.to_string()))
            })
            .await
            .map_err(|_| ApiError::unavailable())?
        })
        .await
        .cloned()
}

/// Run the shipped policy test cases against the policy in force (computed once).
#[utoipa::path(get, path = "/v1/policy/tests", tag = "policy",
    responses((status = 200, description = "Test results", body = PolicyTests)))]
pub async fn tests(State(st): State<AppState>, auth: Auth) -> ApiResult<Json<PolicyTests>> {
    auth.require("admin")?;
    Ok(Json(shipped_tests(&st).await?))
}

/// A recorded version as listed: in force when its text is the one enforced now, scheduled
/// while its effective date is ahead, superseded otherwise.
pub(crate) fn version_out(
    v: &PolicyVersionRecord,
    in_force: &Digest,
    now: jiff::Timestamp,
) -> PolicyVersionOut {
    let effective = v.effective.parse::<jiff::civil::Date>().ok();
    let status = if v.sha256 == *in_force {
        PolicyVersionStatus::InForce
    } else if effective.is_some_and(|d| !is_due(d, now)) {
        PolicyVersionStatus::Scheduled
    } else {
        PolicyVersionStatus::Superseded
    };
    PolicyVersionOut {
        version: v.version.clone(),
        effective: v.effective.clone(),
        sha256: v.sha256.to_hex(),
        recorded_at: v.recorded_at.to_string(),
        material: v.material,
        status,
        stale: status == PolicyVersionStatus::InForce
            && effective.is_some_and(|d| is_stale(d, now)),
    }
}

/// The SHA-256 of the policy text in force.
pub(crate) fn in_force_hash(st: &AppState) -> Digest {
    Digest::sha256(st.policy().source.text.as_bytes())
}

/// CHG-01: the recorded versions of the policy text, newest first.
#[utoipa::path(get, path = "/v1/policy/versions", tag = "policy",
    responses((status = 200, description = "The recorded versions", body = PolicyVersionList)))]
pub async fn versions(
    State(st): State<AppState>,
    _auth: Auth,
) -> ApiResult<Json<PolicyVersionList>> {
    let all = st.steward().policy_versions().await?;
    let (hash, now) = (in_force_hash(&st), st.steward().clock().now());
    Ok(Json(PolicyVersionList {
        versions: all.iter().map(|v| version_out(v, &hash, now)).collect(),
    }))
}

/// CHG-01: one recorded version (the newest with this version string), with what changed
/// against the version recorded before it and its text.
#[utoipa::path(get, path = "/v1/policy/versions/{version}", tag = "policy",
    params(("version" = String, Path, description = "The policy's version string")),
    responses((status = 200, description = "The version", body = PolicyVersionDetail),
        (status = 404, description = "No version recorded under this name", body = crate::problem::Problem)))]
pub async fn version(
    State(st): State<AppState>,
    _auth: Auth,
    ApiPath(version): ApiPath<String>,
) -> ApiResult<Json<PolicyVersionDetail>> {
    let v = st.steward().policy_version(&version).await?;
    let changes: Vec<PolicyChangeOut> = serde_json::from_str(&v.changes).unwrap_or_default();
    let (hash, now) = (in_force_hash(&st), st.steward().clock().now());
    Ok(Json(PolicyVersionDetail {
        summary: version_out(&v, &hash, now),
        changes,
        text: v.text,
    }))
}

/// CHG-05: the policy in force took effect more than 12 months ago (CCPA §1798.130(a)(5)
/// wants the disclosures updated at least yearly): the alert, naming the version, since the
/// day it went stale.
pub(crate) fn stale_alert(st: &AppState) -> Option<steward_api::requests::AlertOut> {
    let e = st.steward().engine();
    let now = st.steward().clock().now();
    if !is_stale(e.meta.effective, now) {
        return None;
    }
    let since = e
        .meta
        .effective
        .checked_add(jiff::Span::new().months(12))
        .ok()
        .and_then(|d| d.to_zoned_datetime(jiff::tz::TimeZone::UTC).ok())
        .map_or_else(String::new, |z| z.timestamp().to_string());
    Some(steward_api::requests::AlertOut {
        kind: "POLICY_STALE".to_owned(),
        since,
        policy_version: Some(e.meta.version.clone()),
        ..steward_api::requests::AlertOut::default()
    })
}

/// The policy gauges for `/metrics`: staleness (CHG-05) and the expiry of transfer
/// mechanisms and contracts (DPF-02, SP-04), at the injected clock's now.
pub(crate) fn policy_gauges(st: &AppState) -> String {
    let e = st.steward().engine();
    let now = st.steward().clock().now();
    let mut out = String::new();
    crate::metrics::render_policy_stale(&mut out, &e.meta.version, is_stale(e.meta.effective, now));
    crate::metrics::render_policy_expiry(
        &mut out,
        &steward_policy::expiry::expiries_within_warning(&e, now),
    );
    out
}

/// DPF-02, SP-04: the transfer mechanisms or certifications and the contracts of the policy
/// in force that have expired (`POLICY_*_EXPIRED`, critical: the engine denies disclosures
/// relying on them) or expire within 30 days (`POLICY_*_EXPIRING`, a warning), naming the
/// recipient, the mechanism or contract, and its last day. Since: the day it expired, or the
/// day the 30-day warning began.
pub(crate) fn expiry_alerts(st: &AppState) -> Vec<steward_api::requests::AlertOut> {
    use steward_policy::expiry::{ExpiryKind, WARNING_DAYS, expiries_within_warning};
    let e = st.steward().engine();
    let now = st.steward().clock().now();
    let warn = jiff::SignedDuration::from_hours(WARNING_DAYS.saturating_mul(24));
    expiries_within_warning(&e, now)
        .into_iter()
        .map(|x| {
            let since = if x.expired {
                x.ends_at
            } else {
                x.ends_at.checked_sub(warn).unwrap_or(x.ends_at)
            };
            let (kind, mechanism, contract) = match (x.kind, x.expired) {
                (ExpiryKind::Transfer, true) => ("POLICY_TRANSFER_EXPIRED", Some(x.id), None),
                (ExpiryKind::Transfer, false) => ("POLICY_TRANSFER_EXPIRING", Some(x.id), None),
                (ExpiryKind::Contract, true) => ("POLICY_CONTRACT_EXPIRED", None, Some(x.id)),
                (ExpiryKind::Contract, false) => ("POLICY_CONTRACT_EXPIRING", None, Some(x.id)),
            };
            steward_api::requests::AlertOut {
                kind: kind.to_owned(),
                recipient: Some(x.recipient),
                since: since.to_string(),
                policy_version: Some(e.meta.version.clone()),
                mechanism,
                contract,
                until: Some(x.last_day.to_string()),
                ..steward_api::requests::AlertOut::default()
            }
        })
        .collect()
}

fn notice_out(n: &steward_store::PolicyNoticeRecord) -> PolicyNoticeOut {
    PolicyNoticeOut {
        version: n.version.clone(),
        notice_sha256: n.notice_hash.to_hex(),
        queued_at: n.queued_at.to_string(),
        sent_at: n.sent_at.map(|t| t.to_string()),
    }
}

/// CHG-03, CHG-04: queue the change notice of a recorded version to everyone it concerns
/// (holders of data in the categories its new or widened purposes and recipients use, and
/// anyone with a choice on them), once per person. The service also does this by itself when
/// a material version takes effect; calling it again only adds people affected since.
#[utoipa::path(post, path = "/v1/policy/versions/{version}/notices", tag = "policy",
    params(("version" = String, Path, description = "The policy's version string")),
    responses((status = 200, description = "Queued", body = PolicyNoticesQueued),
        (status = 404, description = "No version recorded under this name", body = crate::problem::Problem)))]
pub async fn queue_notices(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(version): ApiPath<String>,
) -> ApiResult<Json<PolicyNoticesQueued>> {
    auth.require("admin")?;
    auth.service_wide()?;
    let s = st.steward();
    let v = s.policy_version(&version).await?;
    let queued = s.queue_policy_notices(&auth.caller(), &v.version).await?;
    Ok(Json(PolicyNoticesQueued {
        version: v.version,
        queued,
    }))
}

/// CHG-04: the change notices of a subject, oldest first.
#[utoipa::path(get, path = "/v1/subjects/{id}/policy-notices", tag = "policy",
    params(("id" = String, Path, format = Uuid, description = "Subject id")),
    responses((status = 200, description = "The notices", body = PolicyNoticeList),
        (status = 404, description = "No such subject", body = crate::problem::Problem)))]
pub async fn subject_notices(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<PolicyNoticeList>> {
    auth.require("choices")?;
    let id: SubjectId = parse_id(&id, "subject")?;
    auth.access(&st, id, AdminPermission::ViewPi).await?;
    st.steward().get_subject(id).await?;
    let list = st.steward().policy_notices_of(id).await?;
    Ok(Json(PolicyNoticeList {
        notices: list.iter().map(notice_out).collect(),
    }))
}

/// CHG-04: record that the subject was notified of a version (the company's mailer sent the
/// notice). Until then a purpose or recipient the version added is denied `NOTICE_REQUIRED`
/// for data collected before it (CHG-03). Idempotent: the first time stays.
#[utoipa::path(post, path = "/v1/subjects/{id}/policy-notices/{version}/sent", tag = "policy",
    params(("id" = String, Path, format = Uuid, description = "Subject id"),
           ("version" = String, Path, description = "The policy's version string")),
    responses((status = 200, description = "The subject's notices", body = PolicyNoticeList),
        (status = 404, description = "No such subject or version", body = crate::problem::Problem)))]
pub async fn subject_notice_sent(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath((id, version)): ApiPath<(String, String)>,
) -> ApiResult<Json<PolicyNoticeList>> {
    auth.require("mail")?;
    let id: SubjectId = parse_id(&id, "subject")?;
    let caller = auth.access(&st, id, AdminPermission::ViewPi).await?;
    let s = st.steward();
    s.get_subject(id).await?;
    s.policy_notice_sent(&caller, id, &version).await?;
    let list = s.policy_notices_of(id).await?;
    Ok(Json(PolicyNoticeList {
        notices: list.iter().map(notice_out).collect(),
    }))
}
