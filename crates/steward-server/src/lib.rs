//! The HTTP edge of Steward: the `/v1` JSON API (axum) with API-key authentication and
//! scopes, RFC 9457 problem documents, the OpenAPI 3.1 document and Swagger UI, Prometheus
//! metrics, health endpoints, the GPC support resource, and `--demo` seeding.
//!
//! Data flows one way: handler → `steward_core::Steward` → (policy, vault, store). Handlers
//! never touch SQL or keys; they authenticate, check scopes and the account limit, translate
//! JSON to core inputs and core results (or errors) to JSON.
//!
//! ```no_run
//! # async fn run(steward: std::sync::Arc<steward_core::Steward>) -> std::io::Result<()> {
//! use steward_server::{AppState, PolicySource, ServerConfig};
//! let state = AppState::new(steward, ServerConfig::default(), PolicySource::shipped());
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
//! steward_server::serve(listener, state, std::future::pending()).await
//! # }
//! ```

pub mod api;
pub mod auth;
pub mod config;
pub mod demo;
pub mod extract;
pub mod logging;
pub mod metrics;
pub mod openapi;
pub mod problem;
pub mod proxy;
pub mod ratelimit;
mod state;
pub mod web;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};
use steward_errors::ErrorCode;

use axum::Router;
use axum::body::{Body, Bytes, HttpBody};
use axum::extract::{DefaultBodyLimit, MatchedPath, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;

pub use config::{ServerConfig, ServerSettings};
pub use problem::{ApiError, Problem};
pub use state::{AppState, PolicySource};

/// The router with every endpoint and middleware.
pub fn router(state: AppState) -> Router {
    let cfg = state.config().clone();
    let batch = Router::new()
        .route("/v1/decisions/batch", post(api::decisions::batch))
        .route("/v1/events", post(api::events::ingest))
        .layer(DefaultBodyLimit::max(cfg.batch_body_limit))
        .layer(middleware::from_fn_with_state(
            cfg.batch_body_limit,
            refuse_oversized,
        ));
    let api = Router::new()
        .route("/", get(api::index::index))
        .route("/v1/subjects", post(api::subjects::create))
        .route("/v1/subjects/lookup", post(api::subjects::lookup))
        .route(
            "/v1/subjects/{id}",
            get(api::subjects::get).patch(api::subjects::update),
        )
        .route("/v1/subjects/{id}/identities", post(api::subjects::link))
        .route("/v1/subjects/{id}/items", get(api::items::list))
        .route("/v1/subjects/{id}/choices", get(api::choices::effective))
        .route(
            "/v1/subjects/{id}/change-of-control",
            post(api::control::record_change_of_control_notice)
                .get(api::control::change_of_control_notices),
        )
        .route(
            "/v1/subjects/{id}/change-of-control/{notice_id}/delivered",
            post(api::control::change_of_control_notice_delivered),
        )
        .route(
            "/v1/subjects/{id}/change-of-control/{notice_id}/answer",
            post(api::control::answer_change_of_control_notice),
        )
        .route(
            "/v1/subjects/{id}/choices/ledger",
            get(api::choices::ledger),
        )
        .route(
            "/v1/subjects/{id}/unsubscribe-link",
            post(api::choices::unsubscribe_link),
        )
        .route("/v1/subjects/{id}/disclosures", get(api::disclosures::list))
        .route("/v1/items", post(api::items::write))
        .route("/v1/items/{id}", get(api::items::read))
        .route("/v1/choices", post(api::choices::record))
        .route("/v1/choices/withdraw", post(api::choices::withdraw))
        .route("/v1/decisions", post(api::decisions::decide))
        .route("/v1/decisions/{id}", get(api::decisions::explain))
        .route("/v1/disclosures", post(api::disclosures::record))
        .route("/v1/audit", get(api::audit::query))
        .route("/v1/audit/verify", post(api::audit::verify))
        .route("/v1/policy", get(api::policy::current))
        .route("/v1/policy/notice", get(api::policy::notice))
        .route("/v1/policy/tests", get(api::policy::tests))
        .route("/v1/policy/versions", get(api::policy::versions))
        .route("/v1/policy/versions/{version}", get(api::policy::version))
        .route(
            "/v1/policy/versions/{version}/notices",
            post(api::policy::queue_notices),
        )
        .route(
            "/v1/subjects/{id}/policy-notices",
            get(api::policy::subject_notices),
        )
        .route(
            "/v1/subjects/{id}/policy-notices/{version}/sent",
            post(api::policy::subject_notice_sent),
        )
        .route("/v1/keys", post(api::keys::create).get(api::keys::list))
        .route("/v1/keys/{id}", axum::routing::delete(api::keys::revoke))
        .route(
            "/v1/incidents",
            post(api::incidents::record).get(api::incidents::list),
        )
        .route("/v1/incidents/{id}", get(api::incidents::get))
        .route("/v1/incidents/{id}/assess", post(api::incidents::assess))
        .route(
            "/v1/incidents/{id}/notices/{notice_id}/sent",
            post(api::incidents::notice_sent),
        )
        .route("/v1/incidents/{id}/close", post(api::incidents::close))
        .route(
            "/v1/incidents/{id}/affected/compute",
            post(api::incidents::compute_affected),
        )
        .route("/v1/incidents/{id}/affected", get(api::incidents::affected))
        .route(
            "/v1/incidents/{id}/notify-people",
            post(api::incidents::notify_people),
        )
        .route(
            "/v1/legal-requests",
            post(api::legal::register).get(api::legal::list),
        )
        .route("/v1/legal-requests/report", get(api::legal::report))
        .route("/v1/legal-requests/{id}", get(api::legal::get))
        .route("/v1/legal-requests/{id}/review", post(api::legal::review))
        .route(
            "/v1/legal-requests/{id}/disclose",
            post(api::legal::disclose),
        )
        .route(
            "/v1/complaints",
            post(api::complaints::file).get(api::complaints::list),
        )
        .route("/v1/complaints/{id}", get(api::complaints::get))
        .route("/v1/complaints/{id}/text", get(api::complaints::text))
        .route(
            "/v1/complaints/{id}/respond",
            post(api::complaints::respond),
        )
        .route(
            "/v1/complaints/{id}/resolve",
            post(api::complaints::resolve),
        )
        .route(
            "/v1/complaints/{id}/escalate",
            post(api::complaints::escalate),
        )
        .route("/v1/accounts", post(api::accounts::create))
        .route("/v1/accounts/{id}", get(api::accounts::get))
        .route("/v1/accounts/{id}/members", post(api::accounts::add_member))
        .route(
            "/v1/accounts/{id}/agreements",
            post(api::accounts::accept_agreement).get(api::accounts::agreements),
        )
        .route(
            "/v1/accounts/{id}/carriers",
            post(api::accounts::select_carrier).get(api::accounts::carriers),
        )
        .route(
            "/v1/accounts/{id}/carriers/{selection_id}/withdraw",
            post(api::accounts::withdraw_carrier),
        )
        .route(
            "/v1/accounts/{id}/grants",
            post(api::accounts::grant).get(api::accounts::grants),
        )
        .route(
            "/v1/accounts/{id}/grants/{grant_id}/revoke",
            post(api::accounts::revoke),
        )
        .route(
            "/v1/requests",
            post(api::requests::submit).get(api::requests::list),
        )
        .route("/v1/requests/alerts", get(api::requests::alerts))
        .route("/v1/requests/metrics", get(api::requests::metrics))
        .route(
            "/v1/requests/dead-letters",
            get(api::requests::dead_letters),
        )
        .route(
            "/v1/requests/deliveries/{id}/confirm",
            post(api::requests::confirm),
        )
        .route(
            "/v1/requests/deliveries/{id}/requeue",
            post(api::requests::requeue),
        )
        .route("/v1/requests/{id}", get(api::requests::show))
        .route("/v1/requests/{id}/verify", post(api::requests::verify))
        .route("/v1/requests/{id}/code", post(api::requests::resend_code))
        .route("/v1/requests/{id}/approve", post(api::requests::approve))
        .route("/v1/requests/{id}/run", post(api::requests::run))
        .route("/v1/requests/{id}/receipt", get(api::requests::receipt))
        .route("/v1/requests/{id}/report", get(api::requests::report))
        .route("/v1/requests/{id}/extend", post(api::requests::extend))
        .route("/v1/requests/{id}/deny", post(api::requests::deny))
        .route("/v1/requests/{id}/forward", post(api::requests::forward))
        .route(
            "/v1/requests/{id}/more-information",
            post(api::requests::more_information),
        )
        .route(
            "/v1/requests/{id}/agent-permission",
            post(api::requests::agent_permission),
        )
        .route("/v1/connectors", get(api::requests::connectors))
        .route(
            "/v1/connectors/{name}",
            axum::routing::delete(api::requests::disable_connector),
        )
        .route(
            "/v1/connectors/datasets/{name}",
            axum::routing::put(api::requests::put_dataset),
        )
        .route(
            "/v1/connectors/webhooks/{name}",
            axum::routing::put(api::requests::put_webhook),
        )
        .route("/v1/subjects/{id}/holds", post(api::requests::place_hold))
        .route(
            "/v1/holds/{id}",
            axum::routing::delete(api::requests::release_hold),
        )
        .route("/v1/events/aggregate", get(api::events::aggregate))
        .route("/v1/logins", post(api::events::record_login))
        .route("/v1/subjects/{id}/logins", get(api::events::logins))
        .route(
            "/v1/subjects/{id}/location",
            post(api::usage::ingest_location).get(api::usage::read_locations),
        )
        .route("/v1/usps/scans", post(api::usage::ingest_scans))
        .route("/v1/usps/packages/{pic}", get(api::usage::package_status))
        .route("/v1/usps/aggregate", get(api::usage::usps_aggregate))
        .route("/v1/subjects/{id}/usps-scans", get(api::usage::scans_for))
        .route("/v1/datasets", post(api::usage::register_dataset))
        .route("/v1/datasets/{id}/use", post(api::usage::use_dataset))
        .route("/v1/chat/transcripts", post(api::usage::store_transcript))
        .route("/v1/tickets/{ticket}/close", post(api::usage::close_ticket))
        .route(
            "/v1/subjects/{id}/lifecycle",
            post(api::usage::record_lifecycle).get(api::usage::lifecycle_events),
        )
        .route("/v1/surveys/check", post(api::usage::check_survey))
        .route(
            "/v1/surveys/answers",
            post(api::usage::store_survey_answers),
        )
        .route("/v1/retention/run", post(api::usage::run_retention))
        .route(
            "/v1/subjects/{id}/signals",
            get(api::usage::subject_signals),
        )
        .route("/v1/signals", get(api::usage::device_signals))
        .route("/healthz", get(api::ops::healthz))
        .route("/readyz", get(api::ops::readyz))
        .route("/metrics", get(api::ops::metrics))
        .route("/.well-known/gpc.json", get(api::ops::gpc_json))
        .route("/openapi.json", get(api::ops::openapi))
        .layer(DefaultBodyLimit::max(cfg.body_limit))
        .layer(middleware::from_fn_with_state(
            cfg.body_limit,
            refuse_oversized,
        ))
        .merge(batch);
    let docs: Router<AppState> = utoipa_swagger_ui::SwaggerUi::new("/docs")
        .config(utoipa_swagger_ui::Config::new(["/openapi.json"]))
        .into();
    // The JSON API answers every error with a problem document; the web pages (privacy
    // center, console, consent.js) render their own HTML errors, so they sit outside that
    // layer.
    api.merge(docs)
        .layer(middleware::from_fn(problemify))
        .merge(web::router(&state))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(
            ServiceBuilder::new()
                .layer(middleware::from_fn_with_state(state.clone(), track))
                .layer(CatchPanicLayer::custom(|_| {
                    tracing::error!("a handler panicked");
                    ApiError::new(
                        StatusCode::INTERNAL_SERVER_ERROR,
                        ErrorCode::Internal,
                        "an internal error occurred; it was logged",
                    )
                    .into_response()
                }))
                .layer(middleware::from_fn_with_state(
                    cfg.request_timeout,
                    deadline,
                )),
        )
        .with_state(state)
}

/// Refuses a body whose declared `Content-Length` is over the route's limit at once, with a
/// 413 problem document: before authentication, before reading a byte of it. (A body without
/// a declared length is still cut at the limit while it is read: `DefaultBodyLimit`.)
async fn refuse_oversized(State(limit): State<usize>, req: Request, next: Next) -> Response {
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            ErrorCode::BodyTooLarge,
            format!("the request body is larger than this endpoint accepts ({limit} bytes)"),
        )
        .into_response();
    }
    next.run(req).await
}

/// A request body that records when it has been received in full.
struct TrackedBody {
    inner: Body,
    done: Arc<AtomicBool>,
}

impl HttpBody for TrackedBody {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, axum::Error>>> {
        let polled = Pin::new(&mut self.inner).poll_frame(cx);
        if matches!(polled, Poll::Ready(None)) || self.inner.is_end_stream() {
            self.done.store(true, Ordering::Relaxed);
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.inner.size_hint()
    }
}

/// The request timeout, answered with a problem document: 408 `BODY_TIMEOUT` when the body
/// had not arrived in full (a stalled or slow client), 503 `TIMEOUT` when the server took too
/// long. Dropping the handler's future cancels its work.
async fn deadline(State(limit): State<Duration>, req: Request, next: Next) -> Response {
    let (parts, body) = req.into_parts();
    let done = Arc::new(AtomicBool::new(body.is_end_stream()));
    let tracked = Body::new(TrackedBody {
        inner: body,
        done: Arc::clone(&done),
    });
    match tokio::time::timeout(limit, next.run(Request::from_parts(parts, tracked))).await {
        Ok(res) => res,
        Err(_) if !done.load(Ordering::Relaxed) => ApiError::new(
            StatusCode::REQUEST_TIMEOUT,
            ErrorCode::BodyTimeout,
            "the request body did not arrive in time",
        )
        .into_response(),
        Err(_) => {
            let mut res = ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                ErrorCode::Timeout,
                "the request took too long",
            )
            .into_response();
            res.headers_mut().insert(
                header::RETRY_AFTER,
                axum::http::HeaderValue::from_static("1"),
            );
            res
        }
    }
}

async fn not_found() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        ErrorCode::NoRoute,
        "no such endpoint; see /openapi.json",
    )
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        ErrorCode::MethodNotAllowed,
        "this endpoint does not accept this method; see /openapi.json",
    )
}

/// Count and time every request (route templates only), log failures without personal data.
async fn track(State(st): State<AppState>, req: Request, next: Next) -> Response {
    #[expect(
        clippy::disallowed_methods,
        reason = "a request's duration for the metrics is monotonic time"
    )]
    let started = Instant::now();
    let method = req.method().clone();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_string(), |m| m.as_str().to_string());
    let m = st.metrics();
    m.in_flight
        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let res = next.run(req).await;
    m.in_flight
        .fetch_sub(1, std::sync::atomic::Ordering::Relaxed);
    let took = started.elapsed();
    let status = res.status().as_u16();
    m.record(&route, &method, status, took);
    if status >= 500 {
        tracing::error!(%method, route, status, micros = took.as_micros() as u64, "request failed");
    } else {
        tracing::debug!(%method, route, status, micros = took.as_micros() as u64, "request");
    }
    res
}

/// Turn any error response that is not yet a problem document (405 and 415 from the router,
/// 503 from the timeout, …) into one, so every error has the same shape.
async fn problemify(req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    let status = res.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return res;
    }
    let is_problem = res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(problem::PROBLEM_JSON.as_bytes()));
    if is_problem {
        return res;
    }
    let (code, detail) = match status {
        StatusCode::SERVICE_UNAVAILABLE => (ErrorCode::Timeout, "the request took too long"),
        StatusCode::PAYLOAD_TOO_LARGE => (ErrorCode::BodyTooLarge, "the request body is too large"),
        StatusCode::METHOD_NOT_ALLOWED => (ErrorCode::MethodNotAllowed, "method not allowed"),
        StatusCode::NOT_FOUND => (ErrorCode::NoRoute, "no such endpoint"),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => {
            (ErrorCode::UnsupportedMediaType, "unsupported media type")
        }
        s if s.is_server_error() => (
            ErrorCode::Internal,
            "an internal error occurred; it was logged",
        ),
        _ => (ErrorCode::BadRequest, "the request was not accepted"),
    };
    let mut out = ApiError::new(status, code, detail).into_response();
    if let Some(v) = res.headers().get(header::RETRY_AFTER) {
        out.headers_mut().insert(header::RETRY_AFTER, v.clone());
    }
    if let Some(v) = res.headers().get(header::ALLOW) {
        out.headers_mut().insert(header::ALLOW, v.clone());
    }
    out
}

/// Serve until `shutdown` resolves, then finish in-flight requests, flush the audit log and
/// sign a final checkpoint.
///
/// # Errors
/// When the listener fails.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = router(state.clone());
    let drain = state.clone();
    // The peer address is attached to each request: the public request routes are rate
    // limited per client address.
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(async move {
        shutdown.await;
        drain.set_draining();
        tracing::info!("shutting down: finishing in-flight requests");
    })
    .await?;
    state.steward().shutdown().await;
    tracing::info!("audit log flushed; stopped");
    Ok(())
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}
