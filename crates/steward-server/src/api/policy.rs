//! The policy in force: its version, the rendered notice (from the same file the engine
//! enforces, so notice and enforcement cannot drift) and the shipped policy tests run against
//! it (SEC-07).

use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use steward_api::policy::{NoticeFormat, NoticeQuery, PolicyOut, PolicyTests};
use steward_errors::ErrorCode;

use crate::auth::Auth;
use crate::extract::{ApiQuery, Json};
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
