//! Operational endpoints: liveness (`/healthz`), readiness (`/readyz`), Prometheus metrics
//! (`/metrics`, any valid key), the GPC support resource (`/.well-known/gpc.json`, GPC-09)
//! and the OpenAPI document (`/openapi.json`).

use std::sync::atomic::Ordering;
use steward_errors::ErrorCode;

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use steward_api::ops::{GpcResource, Health};

use crate::auth::Auth;
use crate::extract::Json;
use crate::problem::{ApiError, ApiResult};
use crate::state::AppState;

/// Liveness: the process answers.
#[utoipa::path(get, path = "/healthz", tag = "operations",
    responses((status = 200, description = "Alive", body = Health)))]
pub async fn healthz() -> Json<Health> {
    Json(Health {
        status: "ok".into(),
        store: None,
    })
}

/// Readiness: the store answers and the service is not shutting down.
#[utoipa::path(get, path = "/readyz", tag = "operations",
    responses((status = 200, description = "Ready", body = Health)))]
pub async fn readyz(State(st): State<AppState>) -> ApiResult<Json<Health>> {
    if st.0.draining.load(Ordering::SeqCst) {
        return Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            ErrorCode::ShuttingDown,
            "the service is shutting down",
        ));
    }
    match st.steward().readiness().await {
        Ok(backend) => Ok(Json(Health {
            status: "ready".into(),
            store: Some(backend.to_string()),
        })),
        Err(e) => {
            tracing::error!(error = %e, "readiness: store unavailable");
            Err(ApiError::unavailable())
        }
    }
}

/// Prometheus metrics (text exposition format).
#[utoipa::path(get, path = "/metrics", tag = "operations",
    responses((status = 200, description = "Metrics", content_type = "text/plain", body = String)))]
pub async fn metrics(State(st): State<AppState>, _auth: Auth) -> Response {
    let mut text = st.metrics().render(st.steward().audit().stats());
    match st.steward().incident_notice_counts().await {
        Ok(c) => crate::metrics::render_incident_notices(&mut text, &c),
        Err(e) => tracing::error!(error = %e, "counting incident notices failed"),
    }
    text.push_str(&crate::api::policy::policy_gauges(&st));
    let mut res = text.into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
    );
    res
}

/// `/.well-known/gpc.json` (GPC-09): this site honours Global Privacy Control.
#[utoipa::path(get, path = "/.well-known/gpc.json", tag = "operations",
    responses((status = 200, description = "GPC support", body = GpcResource)))]
pub async fn gpc_json(State(st): State<AppState>) -> Response {
    let date = st.steward().engine().meta.effective.to_string();
    let body = steward_signals::GpcWellKnown::new(&date)
        .map(|w| w.to_json())
        .unwrap_or_else(|_| "{\"gpc\":true,\"lastUpdate\":\"2020-01-17\"}".to_string());
    let mut res = body.into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    res
}

/// The OpenAPI 3.1 document of this API.
#[utoipa::path(get, path = "/openapi.json", tag = "operations",
    responses((status = 200, description = "The OpenAPI document", content_type = "application/json", body = Object)))]
pub async fn openapi(State(st): State<AppState>) -> Response {
    let mut res = st.0.openapi.clone().into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    res
}
