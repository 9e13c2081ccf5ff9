//! The policy in force: its version, the rendered notice (from the same file the engine
//! enforces, so notice and enforcement cannot drift) and the shipped policy tests run against
//! it (SEC-07).

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::Auth;
use crate::extract::ApiQuery;
use crate::problem::{ApiError, ApiResult};
use crate::state::AppState;

/// The policy in force.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PolicyOut {
    /// Name.
    pub name: String,
    /// Version (recorded with every decision and choice).
    pub version: String,
    /// Effective date.
    pub effective: String,
    /// Controller.
    pub controller: String,
    /// The engine version.
    pub engine_version: String,
    /// Registered data categories.
    pub categories: usize,
    /// Registered purposes.
    pub purposes: usize,
    /// Registered recipients.
    pub recipients: usize,
}

/// Notice format.
#[derive(Debug, Clone, Copy, Default, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum NoticeFormat {
    /// A complete HTML page (default).
    #[default]
    Html,
    /// Markdown.
    Markdown,
}

/// Notice parameters.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct NoticeQuery {
    /// `html` (default) or `markdown`.
    pub format: Option<NoticeFormat>,
}

/// A failed policy test case.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CaseFailure {
    /// Case file.
    pub file: String,
    /// Case id.
    pub id: String,
    /// Requirement ids it covers.
    pub requirements: Vec<String>,
    /// Why it failed.
    pub failures: Vec<String>,
}

/// The shipped policy tests run against the policy in force.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PolicyTests {
    /// Policy file tested.
    pub policy: String,
    /// Cases run.
    pub total: usize,
    /// Cases passed.
    pub passed: usize,
    /// Cases failed.
    pub failed: usize,
    /// Requirement ids covered by a passing case.
    pub covered_requirements: usize,
    /// The failures.
    pub failures: Vec<CaseFailure>,
}

/// The policy in force.
#[utoipa::path(get, path = "/v1/policy", tag = "policy",
    responses((status = 200, description = "The policy", body = PolicyOut)))]
pub async fn current(State(st): State<AppState>, _auth: Auth) -> Json<PolicyOut> {
    let e = st.steward().engine();
    Json(PolicyOut {
        name: e.meta.name.clone(),
        version: e.meta.version.clone(),
        effective: e.meta.effective.to_string(),
        controller: e.meta.controller.clone(),
        engine_version: steward_core::ENGINE_VERSION.to_string(),
        categories: e.categories.len(),
        purposes: e.purposes.len(),
        recipients: e.recipients.len(),
    })
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

/// Run the shipped policy test cases against the policy in force (computed once).
#[utoipa::path(get, path = "/v1/policy/tests", tag = "policy",
    responses((status = 200, description = "Test results", body = PolicyTests)))]
pub async fn tests(State(st): State<AppState>, auth: Auth) -> ApiResult<Json<serde_json::Value>> {
    auth.require("admin")?;
    let src = st.0.policy.clone();
    let v =
        st.0.policy_tests
            .get_or_try_init(|| async move {
                tokio::task::spawn_blocking(move || {
                    let report = steward_policy::shipped::run(&src.name, &src.text)
                        .map_err(|e| ApiError::invalid("POLICY_TESTS_UNREADABLE", e.to_string()))?;
                    let failures: Vec<CaseFailure> = report
                        .failed()
                        .map(|r| CaseFailure {
                            file: r.file.clone(),
                            id: r.id.clone(),
                            requirements: r.requirements.clone(),
                            failures: r.failures.clone(),
                        })
                        .collect();
                    let out = PolicyTests {
                        policy: src.name.clone(),
                        total: report.results.len(),
                        passed: report.results.len() - failures.len(),
                        failed: failures.len(),
                        covered_requirements: report.covered().len(),
                        failures,
                    };
                    serde_json::to_value(out).map_err(|_| ApiError::unavailable())
                })
                .await
                .map_err(|_| ApiError::unavailable())?
            })
            .await?;
    Ok(Json(v.clone()))
}
