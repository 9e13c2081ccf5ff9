//! `consent.js`, the cookie banner for the company's own sites, and its two endpoints.
//!
//! - `GET /consent.js`: the script (`static/consent.js`), cached a day with an `ETag`; the
//!   page embeds it with `<script async src="/consent.js">`, so it never blocks rendering.
//! - `GET /privacy/consent/state`: the browser's cookie choices with the jurisdiction's
//!   defaults applied (EU opt-in, US opt-out, COOKIE-02, COOKIE-07), whether a choice was made,
//!   the sale/share opt-out, GPC, the GPP and US Privacy strings for partners
//!   (`Steward::signals_for_device`), and a script token. A `Sec-GPC: 1` header is recorded
//!   as an opt-out (first time only).
//! - `POST /privacy/consent`: JSON `{"cookies": {"analytics": true, …}, "gpc": true}` with
//!   the token in `X-Steward-Token` (SECURITY: a custom header and a JSON body force a CORS
//!   preflight that is never granted, and the token is bound to the browser cookie); it
//!   answers the new state. `gpc: true` is how the script reports
//!   `navigator.globalPrivacyControl` when the header did not reach the server (GPC-02).
//! - `GET /privacy/consent/example`: a small page embedding the banner (documentation and
//!   browser tests).
//!
//! The script uses the browser cookie, so it must be served from the site's own origin
//! (Steward behind the same reverse proxy, e.g. under `/privacy`); it sends no request to
//! a third party.

use std::sync::Arc;

use askama::Template;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Json, Router};
use serde::{Deserialize, Serialize};
use steward_core::partner_signals::SignalConfig;
use steward_policy::facts::TrackerCategory;
use steward_store::model::subject::IdentityKind;

use crate::AppState;
use crate::web::Web;
use crate::web::center::{self, Visitor};
use crate::web::layout::{self, Chrome, WebError};
use crate::web::security::Browser;

/// The script.
pub const SCRIPT: &str = include_str!("../../static/consent.js");

/// The largest body the consent endpoint accepts.
const BODY_LIMIT: usize = 8 * 1024;

/// What the script learns.
#[derive(Debug, Clone, Serialize)]
pub struct ConsentState {
    /// EU rules apply (opt-in).
    pub eu: bool,
    /// The jurisdiction used (`US-CA`, `FR`), when known.
    pub region: Option<String>,
    /// Whether the visitor made a cookie choice already (no banner then).
    pub decided: bool,
    /// Per category: may trackers of it run now.
    pub choices: std::collections::BTreeMap<String, bool>,
    /// Opted out of sale (DNS or GPC).
    pub sale_opt_out: bool,
    /// Opted out of sharing.
    pub share_opt_out: bool,
    /// A GPC signal was recorded for this browser.
    pub gpc: bool,
    /// The IAB GPP string for partners.
    pub gpp: String,
    /// The GPP section ids.
    pub gpp_sid: Vec<u16>,
    /// The IAB US Privacy string (legacy).
    pub us_privacy: String,
    /// The token for `POST /privacy/consent` (`X-Steward-Token`).
    pub token: String,
}

async fn state_of(st: &AppState, web: &Web, v: &Visitor) -> Result<ConsentState, WebError> {
    let steward = st.steward();
    let cur = center::current(steward, v).await?;
    let c = &cur.effective.choices;
    let mut choices = std::collections::BTreeMap::new();
    let mut decided = false;
    for cat in TrackerCategory::ALL {
        let consent = c.cookie(cat);
        decided |= consent != steward_policy::Consent::Unset;
        let on = match cat {
            TrackerCategory::StrictlyNecessary => true,
            // Advertising trackers share: the sale/share opt-out blocks them (COOKIE-05).
            TrackerCategory::Advertising => {
                center::reads_yes(consent, cur.eu) && !c.sale_opt_out && !c.share_opt_out
            }
            _ => center::reads_yes(consent, cur.eu),
        };
        choices.insert(cat.as_str().to_string(), on);
    }
    let region = cur.jurisdiction.map(|j| j.to_string());
    let signals = steward
        .signals_for_device(
            IdentityKind::Cookie,
            v.browser.id(),
            region.as_deref(),
            v.gpc,
            &SignalConfig::default(),
        )
        .await?;
    Ok(ConsentState {
        eu: cur.eu,
        region,
        decided,
        choices,
        sale_opt_out: c.sale_opt_out,
        share_opt_out: c.share_opt_out,
        gpc: c.gpc,
        gpp: signals.gpp,
        gpp_sid: signals.gpp_sid,
        us_privacy: signals.us_privacy,
        token: web.keys.script_token(&v.browser),
    })
}

fn json_error(status: StatusCode, message: &str) -> Response {
    (status, Json(serde_json::json!({ "error": message }))).into_response()
}

fn json_from(e: WebError) -> Response {
    let (status, _) = e.status();
    json_error(status, &e.to_string())
}

async fn state(
    State(st): State<AppState>,
    Extension(web): Extension<Arc<Web>>,
    browser: Browser,
    headers: HeaderMap,
) -> Response {
    let v = center::visitor(&web, &st, &headers, browser).await;
    let run = async {
        center::honour_gpc(st.steward(), &v).await?;
        state_of(&st, &web, &v).await
    };
    match run.await {
        Ok(s) => Json(s).into_response(),
        Err(e) => json_from(e),
    }
}

/// What the script posts.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Post {
    /// Per category (`analytics`, `advertising` …): allowed or not.
    #[serde(default)]
    cookies: Option<std::collections::HashMap<String, bool>>,
    /// `navigator.globalPrivacyControl` was true.
    #[serde(default)]
    gpc: bool,
}

async fn record(
    State(st): State<AppState>,
    Extension(web): Extension<Arc<Web>>,
    browser: Browser,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let mut v = center::visitor(&web, &st, &headers, browser).await;
    if let Err(e) = web.keys.check_script_token(&v.browser, &headers) {
        return json_from(e);
    }
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|h| h.to_str().ok())
        .is_some_and(|h| h.starts_with("application/json"));
    if !is_json {
        return json_error(StatusCode::UNSUPPORTED_MEDIA_TYPE, "send application/json");
    }
    if body.len() > BODY_LIMIT {
        return json_error(StatusCode::PAYLOAD_TOO_LARGE, "the body is too large");
    }
    let post: Post = match serde_json::from_slice(&body) {
        Ok(p) => p,
        Err(_) => {
            return json_error(
                StatusCode::UNPROCESSABLE_ENTITY,
                "expected {\"cookies\": {\"<category>\": true|false}, \"gpc\": true|false}",
            );
        }
    };
    let mut choices = Vec::new();
    if let Some(map) = &post.cookies {
        for (k, on) in map {
            let Ok(cat) = k.parse::<TrackerCategory>() else {
                return json_error(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "unknown cookie category (strictly_necessary, preferences_recognition, analytics, promotions, advertising)",
                );
            };
            choices.push((cat, *on));
        }
    }
    v.gpc |= post.gpc;
    let run = async {
        center::honour_gpc(st.steward(), &v).await?;
        center::record_cookie_choices(
            st.steward(),
            &web,
            &v.browser,
            &v.caller(),
            &choices,
            "consent_banner",
        )
        .await?;
        state_of(&st, &web, &v).await
    };
    match run.await {
        Ok(s) => Json(s).into_response(),
        Err(e) => json_from(e),
    }
}

#[derive(Template)]
#[template(path = "center/consent_example.html")]
struct Example {
    chrome: Chrome,
}

async fn example(
    State(st): State<AppState>,
    Extension(web): Extension<Arc<Web>>,
    browser: Browser,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let v = center::visitor(&web, &st, &headers, browser).await;
    let mut chrome = Chrome::bare("A page with the cookie banner");
    chrome.csrf = web.keys.csrf_token(&v.browser)?;
    Ok(layout::page(&Example { chrome }))
}

/// The routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/privacy/consent/state", get(state))
        .route("/privacy/consent", axum::routing::post(record))
        .route("/privacy/consent/example", get(example))
}
