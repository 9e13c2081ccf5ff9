//! The web pages people see: the privacy center for customers (server-rendered, works
//! without JavaScript), `consent.js` for the company's own sites, and the console for the
//! privacy team. Pages render their own HTML errors (they sit outside the JSON API's
//! problem-document layer) and carry CSRF tokens, strict cookies and a strict
//! Content-Security-Policy.
//!
//! # How a page module uses this (console, center)
//!
//! - **Routes**: a module exposes `pub fn router() -> Router<AppState>` and is merged in
//!   [`router`] *before* the layers, so its pages get the browser cookie, the security
//!   headers (CSP `default-src 'self'`, no inline script or style: put styles in
//!   `static/steward.css`), the cross-site POST refusal, and the [`Web`] extension.
//! - **Handlers** take `State(st): State<AppState>`, `Extension(web): Extension<Arc<Web>>`
//!   and [`security::Browser`] (an extractor: the visitor's browser id, from the cookie set
//!   by the guard), and return `Result<Response, WebError>` ([`layout::WebError`] renders
//!   the HTML error page; `From<CoreError>` is implemented).
//! - **Templates**: askama, files under `crates/steward-server/templates/` (e.g.
//!   `console/queue.html`), `{% extends "base.html" %}` with `{% block content %}`. The
//!   page struct has a field `chrome: layout::Chrome` (title, area `"console"`, brand, home,
//!   nav links, `sign_out: Some("/console/sign-out")`, `csrf`, `flash`). Render with
//!   [`layout::page`] (200) or [`layout::page_with_status`] (e.g. 422 for a form shown
//!   again with its errors).
//! - **Forms**: every form posts `<input type="hidden" name="csrf" value="{{ chrome.csrf }}">`
//!   with a token from `web.keys.csrf_token(&browser)?`; the handler extracts
//!   [`security::CsrfForm<T>`] (instead of `Form<T>`), which checks and spends the token
//!   before the handler runs (a forged, foreign, expired or replayed token is a 403 page).
//!   Use `String`/`Option<String>` fields and validate in the handler, so messages can be
//!   shown next to their field.
//! - **Sessions**: a sign-in is a server-side session in the store
//!   (`Steward::start_session` / `session` / `end_session`, `steward_core::sessions`): the
//!   cookie holds only its random token, so signing out or an expiry ends it for every copy of
//!   the cookie, on every replica. Short-lived state that is not a sign-in (a sign-in
//!   challenge waiting for its code) may be sealed in a cookie instead:
//!   `web.keys.seal(name, &browser, &value, ttl_secs)` and `web.keys.open::<T>(name,
//!   &browser, cookie_value)`. Set cookies with `web.keys.cookie_line(name, value, ttl,
//!   "Strict")` (`Secure; HttpOnly; Path=/`), read them with [`security::cookie`], and use
//!   `__Host-` names. A sealed cookie only opens in the browser it was made for.
//! - **Caching**: pages get `Cache-Control: no-store` unless the handler sets its own.

pub mod center;
pub mod complaint;
pub mod consent;
pub mod console;
pub mod layout;
pub mod request;
pub mod security;
pub mod unsubscribe;

use std::sync::Arc;

use axum::Extension;
use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::AppState;
use layout::WebError;
use security::WebKeys;

/// The stylesheet of every page.
pub const STYLESHEET: &str = include_str!("../../static/steward.css");

/// What the pages share: their keys, the core (spent CSRF tokens and the sign-in throttle
/// live in its store, so every replica sees them) and the rendered notice.
#[derive(Debug)]
pub struct Web {
    /// Cookie, CSRF and sealing keys.
    pub keys: WebKeys,
    /// The core: one-time tokens are spent through it.
    pub steward: std::sync::Arc<steward_core::Steward>,
    /// Wrong sign-in codes per browser (slows further attempts; counted in the store).
    pub throttle: center::Throttle,
    /// The rendered notice of the policy in force, and its SHA-256.
    pub notice: center::NoticeCache,
    css_etag: String,
    js_etag: String,
}

impl Web {
    /// The web state for a server: keys derived from the core's key ring.
    ///
    /// # Errors
    /// `Internal` when the keys cannot be built.
    pub fn new(state: &AppState) -> Result<Web, WebError> {
        Ok(Web {
            keys: WebKeys::derive(state.steward())?,
            steward: state.steward().clone(),
            throttle: center::Throttle,
            notice: center::NoticeCache::default(),
            css_etag: etag(STYLESHEET.as_bytes()),
            js_etag: etag(consent::SCRIPT.as_bytes()),
        })
    }
}

fn etag(body: &[u8]) -> String {
    let d = ring::digest::digest(&ring::digest::SHA256, body);
    let mut s = String::from("\"");
    for b in &d.as_ref()[..12] {
        s.push_str(&format!("{b:02x}"));
    }
    s.push('"');
    s
}

/// A static asset with an `ETag` (answers `304` to a matching `If-None-Match`).
pub fn asset(
    headers: &HeaderMap,
    body: &'static str,
    content_type: &'static str,
    etag: &str,
    cache: &'static str,
) -> Response {
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    let mut r = if matches {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        ([(header::CONTENT_TYPE, content_type)], body).into_response()
    };
    let h = r.headers_mut();
    if let Ok(v) = HeaderValue::from_str(etag) {
        h.insert(header::ETAG, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    r
}

async fn stylesheet(Extension(web): Extension<Arc<Web>>, headers: HeaderMap) -> Response {
    asset(
        &headers,
        STYLESHEET,
        "text/css; charset=utf-8",
        &web.css_etag,
        "public, max-age=3600",
    )
}

async fn script(Extension(web): Extension<Arc<Web>>, headers: HeaderMap) -> Response {
    let mut r = asset(
        &headers,
        consent::SCRIPT,
        "text/javascript; charset=utf-8",
        &web.js_etag,
        "public, max-age=86400, stale-while-revalidate=604800",
    );
    // The company's own sites embed it.
    r.headers_mut().insert(
        "cross-origin-resource-policy",
        HeaderValue::from_static("cross-origin"),
    );
    r
}

async fn not_found(_req: Request) -> WebError {
    WebError::NotFound
}

/// The routes of the privacy center, `consent.js` and the console.
pub fn router(state: &AppState) -> Router<AppState> {
    let web = match Web::new(state) {
        Ok(w) => Arc::new(w),
        Err(e) => {
            tracing::error!(error = %e, "web pages disabled: keys not built");
            return Router::new()
                .route("/privacy", get(|| async { WebError::Internal }))
                .route("/privacy/{*rest}", get(|| async { WebError::Internal }));
        }
    };
    Router::new()
        .merge(center::router())
        .merge(request::router())
        .merge(complaint::router())
        .merge(consent::router())
        .merge(console::router())
        .route("/privacy/{*rest}", get(not_found).post(not_found))
        .route("/static/steward.css", get(stylesheet))
        .route("/consent.js", get(script))
        .layer(middleware::from_fn(security::guard))
        .merge(unsubscribe::router())
        .layer(Extension(web))
}
