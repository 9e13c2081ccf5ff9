//! The privacy center under `/privacy`: server-rendered pages that work without JavaScript.
//!
//! - `/privacy`: overview; `/privacy/notice`: the notice rendered from the policy in force.
//! - A signed-in person with a change notice queued (a material policy version, CHG-04) sees
//!   a banner on `/privacy` with what changed and, for EU subjects, a re-consent prompt for
//!   each purpose it added that needs consent (CHG-03); `POST /privacy/policy-change` records
//!   the answers in the ledger with the version's hash and counts the notice as given.
//! - `/privacy/do-not-sell`: Do Not Sell or Share (DNS-01): for the browser by its cookie
//!   without signing in, and for the account when signed in. A `Sec-GPC: 1` request is
//!   recorded as an opt-out (first time only, GPC-03, GPC-10) on every privacy center page, and
//!   the page shows `#gpc-status[data-honored]` (GPC-07).
//! - `/privacy/preferences`: marketing per type and channel (EU opt-in: unset means no; US
//!   opt-out: unset means yes — MKT-06), third-party promotional mail (MKT-07, MKT-10), location
//!   services (GEO-01), limiting the use of sensitive personal information (`#limit_spi`,
//!   where the notice's link lands: CCPA-15, CCPA-20); signed in. `/privacy/cookies`: per category, "accept all" and
//!   "reject all" one action each (COOKIE-07), for the browser.
//! - `/privacy/sign-in`: a one-time code by e-mail (`Requests::start_sign_in`), sealed in a
//!   cookie bound to the browser; three wrong codes slow further attempts ([`Throttle`], counted in the store). The
//!   right code opens a server-side session (`steward_core::sessions`, one hour) whose token
//!   is the session cookie; `/privacy/sign-out` ends it on the server, so a copy of the cookie
//!   stops working too.
//! - `/privacy/my-data`: the data by category, downloads (JSON, CSV, portable), a correction
//!   request, a deletion request after the erasure preview (what is kept and why), and the
//!   status of requests through to the receipt.
//!
//! Where the visitor is (DM-04, coarse request geolocation) comes from the
//! `X-Steward-Region` header set by the edge (`US-CA`, `FR` …; SECURITY: the reverse proxy
//! must overwrite it, a client-sent value is not trusted by anything else than the defaults
//! shown). Unknown: the stricter EU rules. A signed-in subject's stored jurisdiction wins.

use std::sync::{Arc, Mutex};

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};
use jiff::SignedDuration;
use serde::{Deserialize, Serialize};
use steward_core::choices::{ChoiceInput, ChoiceParty};
use steward_core::sessions::{SessionLimits, SessionOwner};
use steward_core::{Caller, Steward};
use steward_policy::choices::Effective;
use steward_policy::facts::{MarketingType, TrackerCategory};
use steward_policy::{Channel, Consent, Jurisdiction};
use steward_requests::plan::Exception;
use steward_requests::selfservice::SignInChallenge;
use steward_requests::{CorrectionInput, ListQuery, ReportFormat, Requests, SubmitRequest};
use steward_store::ids::{RequestId, SubjectId};
use steward_store::model::session::{FailureCount, SessionKind};
use steward_store::model::subject::IdentityKind;
use steward_vault::Sensitive;

use crate::AppState;
use crate::web::Web;
use crate::web::layout::{self, Chrome, NavLink, WebError};
use crate::web::security::{Browser, CsrfForm, cookie};

/// The session cookie: the token of a server-side session (`steward_core::sessions`).
pub const SESSION_COOKIE: &str = "__Host-steward-s";
/// The sign-in cookie (sealed: the challenge while the code is awaited).
pub const SIGNIN_COOKIE: &str = "__Host-steward-signin";
/// How long a privacy center session lasts, in seconds.
pub const SESSION_TTL_SECS: u64 = 3600;
/// How long a sign-in code is awaited, in seconds.
pub const SIGNIN_TTL_SECS: u64 = 900;
pub use crate::ratelimit::FREE_ATTEMPTS;
/// The header the edge sets with the visitor's coarse location.
pub const REGION_HEADER: &str = "x-steward-region";

const CALLER: &str = "privacy_center";

/// Wrong sign-in codes per browser: after [`FREE_ATTEMPTS`] wrong codes, each further
/// attempt waits 30 s, doubling up to 15 minutes. Counted in the store
/// ([`Steward::count_failure`], keyed by a hash of the browser id), so the throttle holds on
/// every replica; a browser's count is forgotten an hour after its last wrong code.
#[derive(Debug, Default, Clone, Copy)]
pub struct Throttle;

/// A browser's wrong codes are forgotten this long after the last one.
pub const THROTTLE_WINDOW: SignedDuration = SignedDuration::from_hours(1);

impl Throttle {
    /// The wait imposed after `count` wrong codes, in seconds.
    #[must_use]
    pub fn backoff(count: u32) -> u64 {
        if count >= FREE_ATTEMPTS {
            (30u64 << (count - FREE_ATTEMPTS).min(5)).min(900)
        } else {
            0
        }
    }

    fn left(steward: &Steward, f: FailureCount) -> u64 {
        let wait = i64::try_from(Self::backoff(f.count)).unwrap_or(900);
        let waited = steward.clock().now().duration_since(f.last_at).as_secs();
        u64::try_from(wait.saturating_sub(waited.max(0))).unwrap_or(0)
    }

    /// Seconds to wait before `key` may try again (0: now).
    ///
    /// # Errors
    /// Store failures.
    pub async fn wait(&self, steward: &Steward, key: &str) -> Result<u64, WebError> {
        Ok(steward
            .failures(key, THROTTLE_WINDOW)
            .await?
            .map_or(0, |f| Self::left(steward, f)))
    }

    /// Counts a wrong code; returns the wrong codes so far and the wait now imposed.
    ///
    /// # Errors
    /// Store failures.
    pub async fn fail(&self, steward: &Steward, key: &str) -> Result<(u32, u64), WebError> {
        let f = steward.count_failure(key, THROTTLE_WINDOW).await?;
        Ok((f.count, Self::left(steward, f)))
    }

    /// Forgets `key` (a successful sign-in).
    ///
    /// # Errors
    /// Store failures.
    pub async fn clear(&self, steward: &Steward, key: &str) -> Result<(), WebError> {
        Ok(steward.clear_failures(key).await?)
    }
}

/// The notice of the policy in force, rendered once per policy version (rendering it on
/// every request cost ~10 ms under load).
#[derive(Debug, Default)]
pub struct NoticeCache {
    cached: Mutex<Option<(String, Arc<Notice>)>>,
}

/// A rendered notice.
#[derive(Debug)]
pub struct Notice {
    /// The HTML fragment.
    pub html: String,
    /// Its SHA-256 (hex), recorded with consents (GDPR-07).
    pub sha256: String,
}

impl NoticeCache {
    /// The notice of `st`'s policy in force.
    pub fn get(&self, st: &Steward) -> Arc<Notice> {
        let engine = st.engine();
        let version = engine.meta.version.to_string();
        if let Ok(g) = self.cached.lock()
            && let Some((v, n)) = g.as_ref()
            && *v == version
        {
            return n.clone();
        }
        let html = steward_policy::render::html_fragment(&engine);
        let n = Arc::new(Notice {
            sha256: sha256_hex(html.as_bytes()),
            html,
        });
        if let Ok(mut g) = self.cached.lock() {
            *g = Some((version, n.clone()));
        }
        n
    }
}

/// A sign-in waiting for its code.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Pending {
    challenge: SignInChallenge,
    next: String,
}

/// Who is asking, as the pages need it.
pub(crate) struct Visitor {
    pub(crate) browser: Browser,
    pub(crate) subject: Option<SubjectId>,
    pub(crate) region: Option<Jurisdiction>,
    pub(crate) gpc: bool,
}

impl Visitor {
    pub(crate) fn caller(&self) -> Caller {
        match self.subject {
            Some(s) => Caller::Subject(s),
            None => Caller::Service(CALLER.into()),
        }
    }

    fn device(&self) -> ChoiceParty {
        ChoiceParty::Device {
            kind: IdentityKind::Cookie,
            id: Sensitive::new(self.browser.id().to_string()),
        }
    }

    /// The parties a choice about this browser goes to: the browser, and the account when
    /// signed in.
    pub(crate) fn parties(&self) -> Vec<ChoiceParty> {
        let mut p = vec![self.device()];
        if let Some(s) = self.subject {
            p.push(ChoiceParty::Subject(s));
        }
        p
    }
}

/// The visitor of a request: the browser, the signed-in subject (a live server-side session
/// opened in this browser), where they are, and whether they sent GPC. A session that cannot
/// be read (the store is down) counts as signed out: nothing personal is shown.
pub(crate) async fn visitor(
    _web: &Web,
    st: &AppState,
    headers: &HeaderMap,
    browser: Browser,
) -> Visitor {
    let subject = match cookie(headers, SESSION_COOKIE) {
        Some(token) => match st
            .steward()
            .session(SessionKind::PrivacyCenter, token, browser.id())
            .await
        {
            Ok(s) => s.and_then(|s| s.subject),
            Err(e) => {
                tracing::warn!(error = %e, "privacy center session not read; signed out");
                None
            }
        },
        None => None,
    };
    let region = headers
        .get(REGION_HEADER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<Jurisdiction>().ok());
    Visitor {
        browser,
        subject,
        region,
        gpc: crate::auth::gpc(headers),
    }
}

/// The choices in force for the visitor and whether EU rules apply.
pub(crate) struct Current {
    pub(crate) effective: Effective,
    pub(crate) eu: bool,
    pub(crate) jurisdiction: Option<Jurisdiction>,
}

pub(crate) async fn current(st: &Steward, v: &Visitor) -> Result<Current, WebError> {
    if let Some(s) = v.subject {
        match st.effective_choices(s).await {
            Ok((resolved, effective)) => {
                let j = resolved.subject.jurisdiction.or(v.region);
                return Ok(Current {
                    effective,
                    eu: st.visitor_is_eu(j.as_ref()),
                    jurisdiction: j,
                });
            }
            Err(steward_core::CoreError::NotFound(_) | steward_core::CoreError::Erased) => {}
            Err(e) => return Err(e.into()),
        }
    }
    let region = v.region.map(|j| j.to_string());
    let d = st
        .device_choices(IdentityKind::Cookie, v.browser.id(), region.as_deref())
        .await?;
    Ok(Current {
        eu: st.visitor_is_eu(d.jurisdiction.as_ref()),
        jurisdiction: d.jurisdiction,
        effective: d.effective,
    })
}

/// Records a `Sec-GPC: 1` signal for the browser and the account (first time only).
pub(crate) async fn honour_gpc(st: &Steward, v: &Visitor) -> Result<(), WebError> {
    if !v.gpc {
        return Ok(());
    }
    for p in v.parties() {
        st.record_gpc(&v.caller(), p).await?;
    }
    Ok(())
}

pub(crate) fn nav() -> Vec<NavLink> {
    [
        ("/privacy", "Overview"),
        ("/privacy/notice", "Privacy notice"),
        ("/privacy/do-not-sell", "Do Not Sell or Share"),
        ("/privacy/preferences", "Preferences"),
        ("/privacy/cookies", "Cookies"),
        ("/privacy/my-data", "My data"),
        ("/privacy/request", "Make a request"),
        ("/privacy/complaint", "Make a complaint"),
    ]
    .into_iter()
    .map(|(href, label)| NavLink {
        href,
        label,
        current: false,
    })
    .collect()
}

pub(crate) fn chrome(
    web: &Web,
    v: &Visitor,
    title: &str,
    current: &str,
) -> Result<Chrome, WebError> {
    let mut c = Chrome::bare(title);
    c.nav = nav();
    c.csrf = web.keys.csrf_token(&v.browser)?;
    if v.subject.is_some() {
        // "Sign out" alone says the visitor is signed in (and keeps the bar on one line).
        c.sign_out = Some("/privacy/sign-out");
    }
    Ok(c.with_current(current))
}

/// The status message of a `?done=` code (post/redirect/get).
fn flash(done: Option<&str>) -> Option<String> {
    let m = match done? {
        "opted_out" => "Done: we will not sell or share your personal information.",
        "opted_in" => "Done: your opt-out of sale and sharing was withdrawn.",
        "saved" => "Your preferences were saved.",
        "answered" => "Your answer was recorded.",
        "cookies_saved" => "Your cookie choices were saved.",
        "signed_in" => "You are signed in.",
        "signed_out" => "You are signed out.",
        "requested" => "Your request was received. You can follow it here.",
        "policy_read" => "Thank you: your answer to the policy change was recorded.",
        "verified" => {
            "Your request is confirmed. You can follow it here; we also e-mail you when it is done."
        }
        _ => return None,
    };
    Some(m.to_string())
}

#[derive(Debug, Deserialize, Default)]
struct Done {
    done: Option<String>,
}

fn requests(st: &AppState) -> Result<&Arc<Requests>, WebError> {
    st.requests().ok_or(WebError::Unavailable)
}

fn see_other(to: &str) -> Response {
    Redirect::to(to).into_response()
}

fn with_cookie(mut r: Response, line: &str) -> Response {
    if let Ok(v) = HeaderValue::from_str(line) {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    r
}

fn sha256_hex(b: &[u8]) -> String {
    let d = ring::digest::digest(&ring::digest::SHA256, b);
    d.as_ref().iter().map(|x| format!("{x:02x}")).collect()
}

fn sign_in_link(next: &str) -> String {
    format!("/privacy/sign-in?next={}", next.replace('&', "%26"))
}

// ---------------------------------------------------------------- overview and notice

#[derive(Template)]
#[template(path = "center/home.html")]
struct HomePage {
    chrome: Chrome,
    gpc: Option<bool>,
    signed_in: bool,
    eu: bool,
    sale_opt_out: bool,
    change: Option<ChangeBanner>,
}

/// CHG-04: a material policy version the signed-in person was not yet notified of, what it
/// changed, and the purposes it added that need their fresh consent (CHG-03, EU).
struct ChangeBanner {
    version: String,
    effective: String,
    changes: Vec<String>,
    consent: Vec<ConsentAsk>,
}

struct ConsentAsk {
    key: String,
    name: String,
}

/// The banner of the oldest change notice queued for `subject` and not yet shown or sent.
async fn change_banner(
    st: &Steward,
    subject: SubjectId,
    cur: &Current,
) -> Result<Option<ChangeBanner>, WebError> {
    let notices = st.policy_notices_of(subject).await?;
    let Some(n) = notices.iter().find(|n| n.sent_at.is_none()) else {
        return Ok(None);
    };
    let v = st.policy_version(&n.version).await?;
    let changes: Vec<steward_api::policy::PolicyChangeOut> =
        serde_json::from_str(&v.changes).unwrap_or_default();
    let engine = st.engine();
    let mut consent: Vec<ConsentAsk> = Vec::new();
    if cur.eu {
        for c in changes
            .iter()
            .filter(|c| c.material && c.kind == "purpose" && c.needs == "fresh_consent")
        {
            let Some(p) = engine.purpose(&c.id) else {
                continue;
            };
            let key = format!("consent:purpose:{}", c.id);
            if cur.effective.choices.purpose_consent.contains(p)
                || consent.iter().any(|a| a.key == key)
            {
                continue;
            }
            consent.push(ConsentAsk {
                key,
                name: engine.purpose_info(p).name.clone(),
            });
        }
    }
    Ok(Some(ChangeBanner {
        version: v.version,
        effective: v.effective,
        changes: changes
            .into_iter()
            .filter(|c| c.material)
            .map(|c| c.what)
            .collect(),
        consent,
    }))
}

/// CHG-03, CHG-04: the person read the change notice in the banner and answered its
/// re-consent prompt: the notice counts as given, and each answer is a ledger entry with the
/// version's hash as the notice shown.
async fn policy_change_post(
    State(st): State<AppState>,
    Extension(web): Extension<Arc<Web>>,
    browser: Browser,
    headers: HeaderMap,
    CsrfForm(f): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let v = visitor(&web, &st, &headers, browser).await;
    let Some(subject) = v.subject else {
        return Ok(see_other(&sign_in_link("/privacy")));
    };
    let cur = current(st.steward(), &v).await?;
    let s = st.steward();
    let Some(banner) = change_banner(s, subject, &cur).await? else {
        return Ok(see_other("/privacy"));
    };
    // Only the version shown may be answered (a stale form answers nothing).
    if !f
        .iter()
        .any(|(k, val)| k == "version" && *val == banner.version)
    {
        return Ok(see_other("/privacy"));
    }
    let hash = s.policy_version(&banner.version).await?.sha256.to_hex();
    let inputs: Vec<ChoiceInput> = banner
        .consent
        .iter()
        .map(|a| ChoiceInput {
            party: ChoiceParty::Subject(subject),
            key: a.key.clone(),
            value: f.iter().any(|(k, val)| *k == a.key && val == "on"),
            source: "user".into(),
            notice_sha256: Some(hash.clone()),
            channel: Some("web_form".into()),
        })
        .collect();
    if !inputs.is_empty() {
        s.record_choices(&Caller::Subject(subject), inputs).await?;
    }
    s.policy_notice_sent(&Caller::Subject(subject), subject, &banner.version)
        .await?;
    Ok(see_other("/privacy?done=policy_read"))
}

async fn home(
    State(st): State<AppState>,
    Extension(web): Extension<Arc<Web>>,
    browser: Browser,
    headers: HeaderMap,
    Query(q): Query<Done>,
) -> Result<Response, WebError> {
    let v = visitor(&web, &st, &headers, browser).await;
    honour_gpc(st.steward(), &v).await?;
    let cur = current(st.steward(), &v).await?;
    let mut chrome = chrome(&web, &v, "Your privacy", "/privacy")?;
    chrome.flash = flash(q.done.as_deref());
    let change = match v.subject {
        Some(s) => change_banner(st.steward(), s, &cur).await?,
        None => None,
    };
    Ok(layout::page(&HomePage {
        chrome,
        gpc: v.gpc.then_some(cur.effective.choices.sale_opt_out),
        signed_in: v.subject.is_some(),
        eu: cur.eu,
        sale_opt_out: cur.effective.choices.sale_opt_out,
        change,
    }))
}

#[derive(Template)]
#[template(path = "center/notice.html")]
struct NoticePage {
    chrome: Chrome,
    version: String,
    notice_html: String,
}

async fn notice(
    State(st): State<AppState>,
    Extension(web): Extension<Arc<Web>>,
    browser: Browser,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let v = visitor(&web, &st, &headers, browser).await;
    honour_gpc(st.steward(), &v).await?;
    let engine = st.steward().engine();
    Ok(layout::page(&NoticePage {
        chrome: chrome(&web, &v, "Privacy notice", "/privacy/notice")?,
        version: engine.meta.version.to_string(),
        // SECURITY: the renderer escapes every text it writes; the fragment has no script or
        // style, its links go only to the privacy center's pages, and the only attribute
        // values from the policy file are statement and requirement ids (validated).
        notice_html: web.notice.get(st.steward()).html.clone(),
    }))
}

// ---------------------------------------------------------------- do not sell or share

#[derive(Template)]
#[template(path = "center/do_not_sell.html")]
struct DnsPage {
    chrome: Chrome,
    gpc: bool,
    opted_out: bool,
    by_gpc: bool,
    signed_in: bool,
    error: Option<String>,
}

async fn dns_page(
    st: &AppState,
    web: &Web,
    v: &Visitor,
    done: Option<&str>,
    error: Option<String>,
) -> Result<Response, WebError> {
    honour_gpc(st.steward(), v).await?;
    let cur = current(st.steward(), v).await?;
    let c = &cur.effective.choices;
    let opted_out = c.sale_opt_out && c.share_opt_out;
    let by_gpc = c.gpc && st.steward().engine().gpc_honored(cur.jurisdiction.as_ref());
    let mut chrome = chrome(
        web,
        v,
        "Do Not Sell or Share My Personal Information",
        "/privacy/do-not-sell",
    )?;
    chrome.flash = flash(done);
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok(layout::page_with_status(
        status,
        &DnsPage {
            chrome,
            gpc: v.gpc,
            opted_out,
            by_gpc,
            signed_in: v.subject.is_some(),
            error,
        },
    ))
}

async fn do_not_sell(
    State(st): State<AppState>,
    Extension(web): Extension<Arc<Web>>,
    browser: Browser,
    headers: HeaderMap,
    Query(q): Query<Done>,
) -> Result<Response, WebError> {
    let v = visitor(&web, &st, &headers, browser).await;
    dns_page(&st, &web, &v, q.done.as_deref(), None).await
}

#[derive(Debug, Deserialize)]
struct DnsForm {
    #[serde(default)]
    choice: String,
}

async fn do_not_sell_post(
    State(st): State<AppState>,
    Extension(web): Extension<Arc<Web>>,
    browser: Browser,
    headers: HeaderMap,
    CsrfForm(f): CsrfForm<DnsForm>,
) -> Result<Response, WebError> {
    let v = visitor(&web, &st, &headers, browser).await;
    let value = match f.choice.as_str() {
        "opt_out" => true,
        "opt_in" => false,
        _ => {
            return dns_page(
                &st,
                &web,
                &v,
                None,
                Some("Choose whether to opt out or to allow sale and sharing.".into()),
            )
            .await;
        }
    };
    let mut inputs = Vec::new();
    for p in v.parties() {
        for key in ["sale_opt_out", "share_opt_out"] {
            inputs.push(ChoiceInput {
                party: p.clone(),
                key: key.into(),
                value,
                source: "user".into(),
                notice_sha256: None,
                channel: Some("web_form".into()),
            });
        }
    }
    st.steward().record_choices(&v.caller(), inputs).await?;
    Ok(see_other(if value {
        "/privacy/do-not-sell?done=opted_out"
    } else {
        "/privacy/do-not-sell?done=opted_in"
    }))
}

// ---------------------------------------------------------------- preferences

/// One checkbox.
#[derive(Debug, Clone)]
struct Toggle {
    name: String,
    label: String,
    hint: String,
    on: bool,
}

#[derive(Template)]
#[template(path = "center/preferences.html")]
struct PreferencesPage {
    chrome: Chrome,
    signed_in: bool,
    eu: bool,
    first_party: Vec<Toggle>,
    partner_offers: Vec<Toggle>,
    partner_mail: Toggle,
    location: Toggle,
    limit_spi: Toggle,
    change_of_control: Vec<ControlPrompt>,
}

/// A change-of-control notice as the preferences page asks it (BIZ-02).
struct ControlPrompt {
    id: String,
    transfer: String,
    since: String,
    /// "stop" or "continue", with the day, once answered.
    answered: Option<(&'static str, String)>,
}

async fn control_prompts(st: &Steward, v: &Visitor) -> Result<Vec<ControlPrompt>, WebError> {
    let Some(s) = v.subject else {
        return Ok(Vec::new());
    };
    let notices = match st.change_of_control_notices(s).await {
        Ok(n) => n,
        Err(steward_core::CoreError::NotFound(_) | steward_core::CoreError::Erased) => Vec::new(),
        Err(e) => return Err(e.into()),
    };
    let now = st.clock().now();
    Ok(notices
        .into_iter()
        .filter(|n| n.notice.effective_at <= now)
        .map(|n| ControlPrompt {
            id: n.notice.id.to_string(),
            transfer: n.notice.transfer.as_str().to_string(),
            since: day(n.notice.effective_at),
            answered: n
                .answer
                .map(|(stop, at)| (if stop { "stop" } else { "continue" }, day(at))),
        })
        .collect())
}

fn channel_label(c: Channel) -> (&'static str, &'static str) {
    match c {
        Channel::Email => ("E-mail", "Newsletters and offers by e-mail"),
        Channel::Sms => ("Text messages", "Offers by SMS"),
        Channel::Phone => ("Phone calls", "Offers by telephone"),
        Channel::Postal => ("Postal mail", "Catalogues and offers by post"),
    }
}

/// Whether a consent reads as "yes" under the jurisdiction's default (EU opt-in: only an
/// explicit yes; US opt-out: anything but an explicit no).
pub(crate) fn reads_yes(c: Consent, eu: bool) -> bool {
    if eu { c.given() } else { !c.refused() }
}

fn marketing_toggles(cur: &Current, t: MarketingType) -> Vec<Toggle> {
    Channel::ALL
        .into_iter()
        .map(|c| {
            let (label, hint) = channel_label(c);
            Toggle {
                name: format!("marketing:{}:{}", t.as_str(), c.as_str()),
                label: label.into(),
                hint: hint.into(),
                on: reads_yes(cur.effective.choices.marketing(t, c), cur.eu),
            }
        })
        .collect()
}

fn partner_mail(cur: &Current) -> Toggle {
    let c = &cur.effective.choices;
    Toggle {
        name: "partner_mail".into(),
        label: "Let partners mail me promotional materials".into(),
        hint: "We share your name and postal address with selected partners so they can send you offers by post. This does not include the USPS, which needs your data to deliver your mail.".into(),
        on: if cur.eu {
            c.eu_third_party_sharing.given()
        } else {
            !c.third_party_sharing_opt_out
        },
    }
}

fn location(cur: &Current) -> Toggle {
    Toggle {
        name: "location".into(),
        label: "Location services".into(),
        hint: "Use the GPS location of your device for location-based features in our apps. When off, we collect no GPS or motion data.".into(),
        on: cur.effective.choices.location_services,
    }
}

/// The notice's "Limit the Use of My Sensitive Personal Information" link lands here
/// (`#limit_spi`, CCPA-15, CCPA-20).
fn limit_spi(cur: &Current) -> Toggle {
    Toggle {
        name: "limit_spi".into(),
        label: "Limit the use of my sensitive personal information".into(),
        hint: "We then use it only to provide the services you ask for: never for marketing, advertising, profiling, sale or sharing.".into(),
        on: cur.effective.choices.limit_spi,
    }
}

async fn preferences(
    State(st): State<AppState>,
    Extension(web): Extension<Arc<Web>>,
    browser: Browser,
    headers: HeaderMap,
    Query(q): Query<Done>,
) -> Result<Response, WebError> {
    let v = visitor(&web, &st, &headers, browser).await;
    honour_gpc(st.steward(), &v).await?;
    let cur = current(st.steward(), &v).await?;
    let mut chrome = chrome(&web, &v, "Your preferences", "/privacy/preferences")?;
    chrome.flash = flash(q.done.as_deref());
    Ok(layout::page(&PreferencesPage {
        chrome,
        signed_in: v.subject.is_some(),
        eu: cur.eu,
        first_party: marketing_toggles(&cur, MarketingType::FirstParty),
        partner_offers: marketing_toggles(&cur, MarketingType::ThirdPartyOffers),
        partner_mail: partner_mail(&cur),
        location: location(&cur),
        limit_spi: limit_spi(&cur),
        change_of_control: control_prompts(st.steward(), &v).await?,
    }))
}

#[derive(Debug, Deserialize)]
struct ControlAnswer {
    notice: String,
    answer: String,
}

/// The answer to a change-of-control notice (BIZ-02): a choice of the ledger, recorded by the
/// person themself; answering shows the notice was delivered (BIZ-03).
async fn change_of_control_post(
    State(st): State<AppState>,
    Extension(web): Extension<Arc<Web>>,
    browser: Browser,
    headers: HeaderMap,
    CsrfForm(f): CsrfForm<ControlAnswer>,
) -> Result<Response, WebError> {
    let v = visitor(&web, &st, &headers, browser).await;
    let Some(subject) = v.subject else {
        return Ok(see_other(&sign_in_link("/privacy/preferences")));
    };
    let stop = match f.answer.as_str() {
        "stop" => true,
        "continue" => false,
        _ => return Err(WebError::BadRequest("answer stop or continue".into())),
    };
    let Ok(id) = steward_core::control::parse_notice_id(&f.notice) else {
        return Err(WebError::NotFound);
    };
    let notice = web.notice.get(st.steward()).sha256.clone();
    st.steward()
        .answer_change_of_control_notice(&Caller::Subject(subject), subject, id, stop, Some(notice))
        .await?;
    Ok(see_other("/privacy/preferences?done=answered"))
}

async fn preferences_post(
    State(st): State<AppState>,
    Extension(web): Extension<Arc<Web>>,
    browser: Browser,
    headers: HeaderMap,
    CsrfForm(f): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let v = visitor(&web, &st, &headers, browser).await;
    let Some(subject) = v.subject else {
        return Ok(see_other(&sign_in_link("/privacy/preferences")));
    };
    let cur = current(st.steward(), &v).await?;
    let ticked = |name: &str| f.iter().any(|(k, val)| k == name && val == "on");
    let notice = web.notice.get(st.steward()).sha256.clone();
    let mut inputs = Vec::new();
    let mut push = |key: String, value: bool| {
        inputs.push(ChoiceInput {
            party: ChoiceParty::Subject(subject),
            key,
            value,
            source: "user".into(),
            notice_sha256: Some(notice.clone()),
            channel: Some("web_form".into()),
        });
    };
    for t in marketing_toggles(&cur, MarketingType::FirstParty)
        .into_iter()
        .chain(marketing_toggles(&cur, MarketingType::ThirdPartyOffers))
    {
        let want = ticked(&t.name);
        if want != t.on {
            push(t.name.clone(), want);
        }
    }
    let pm = partner_mail(&cur);
    let want = ticked(&pm.name);
    if want != pm.on {
        if cur.eu {
            push("consent:third_party_sharing".into(), want);
        } else {
            push("third_party_sharing_opt_out".into(), !want);
        }
    }
    let loc = location(&cur);
    let want = ticked(&loc.name);
    if want != loc.on {
        push("location_services".into(), want);
    }
    let spi = limit_spi(&cur);
    let want = ticked(&spi.name);
    if want != spi.on {
        push("limit_spi".into(), want);
    }
    if !inputs.is_empty() {
        st.steward()
            .record_choices(&Caller::Subject(subject), inputs)
            .await?;
    }
    Ok(see_other("/privacy/preferences?done=saved"))
}

// ---------------------------------------------------------------- administrators

#[derive(Template)]
#[template(path = "center/administrators.html")]
struct AdministratorsPage {
    chrome: Chrome,
    warning: Vec<String>,
    accounts: Vec<HeldAccountView>,
}

struct HeldAccountView {
    id: String,
    short: String,
    grants: Vec<GrantView>,
    actions: Vec<ActionView>,
}

struct GrantView {
    who: String,
    may: String,
    since: String,
    status: String,
}

struct ActionView {
    at: String,
    who: String,
    what: String,
    data: String,
}

/// An administrator as the holder sees them: a stable short reference (their e-mail address
/// is kept only as a blind index and cannot be shown).
fn admin_ref(s: SubjectId) -> String {
    let id = s.to_string();
    format!(
        "Administrator {}",
        id.get(id.len().saturating_sub(8)..).unwrap_or(&id)
    )
}

fn action_label(a: &str, allowed: Option<bool>) -> String {
    let base = match a {
        "item.read" | "items.list" => "Viewed",
        "item.write" | "item.rectify" | "items.write" => "Changed",
        "item.erase" | "item.delete" | "admin.delete" => "Deleted",
        other => other,
    };
    match allowed {
        Some(false) => format!("{base} (refused)"),
        _ => base.to_string(),
    }
}

/// ADMIN-01, ADMIN-03, ADMIN-04, ADMIN-09: who holds administrator access to the accounts
/// the signed-in person holds, with the policy's warning, and what administrators did with
/// the person's data (from the audit log).
async fn administrators(
    State(st): State<AppState>,
    Extension(web): Extension<Arc<Web>>,
    browser: Browser,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let v = visitor(&web, &st, &headers, browser).await;
    let Some(subject) = v.subject else {
        return Ok(see_other(&sign_in_link("/privacy/administrators")));
    };
    let view = st
        .steward()
        .administrators_view(&Caller::Subject(subject), subject)
        .await?;
    let accounts = view
        .accounts
        .iter()
        .map(|a| {
            let id = a.account.to_string();
            HeldAccountView {
                short: id
                    .get(id.len().saturating_sub(8)..)
                    .unwrap_or(&id)
                    .to_string(),
                id,
                grants: a
                    .grants
                    .iter()
                    .map(|g| GrantView {
                        who: admin_ref(g.grantee),
                        may: g
                            .permissions
                            .iter()
                            .map(|p| match p.as_str() {
                                "view_pi" => "see",
                                "change_pi" => "change",
                                "delete_pi" => "delete",
                                other => other,
                            })
                            .collect::<Vec<_>>()
                            .join(", "),
                        since: day(g.granted_at),
                        status: match g.revoked_at {
                            Some(t) => format!("removed {}", day(t)),
                            None => "active".into(),
                        },
                    })
                    .collect(),
                actions: a
                    .actions
                    .iter()
                    .map(|x| ActionView {
                        at: x.at.strftime("%Y-%m-%d %H:%M UTC").to_string(),
                        who: admin_ref(x.actor),
                        what: action_label(&x.action, x.allowed),
                        data: x.categories.join(", "),
                    })
                    .collect(),
            }
        })
        .collect();
    Ok(layout::page(&AdministratorsPage {
        chrome: chrome(
            &web,
            &v,
            "Who can manage your account",
            "/privacy/administrators",
        )?,
        warning: view.warning,
        accounts,
    }))
}

// ---------------------------------------------------------------- agreements

#[derive(Template)]
#[template(path = "center/agreements.html")]
struct AgreementsPage {
    chrome: Chrome,
    accounts: Vec<AgreementsAccountView>,
}

struct AgreementsAccountView {
    id: String,
    short: String,
    agreements: Vec<AgreementView>,
    carriers: Vec<CarrierView>,
}

struct AgreementView {
    key: String,
    name: String,
    /// `Accepted on … by you (version …)`, or `Not accepted`.
    status: String,
    accepted: bool,
    /// What the text shown is: the text accepted, or the current one.
    text_note: String,
    text: Option<String>,
}

struct CarrierView {
    name: String,
    policy_url: Option<String>,
    selected: String,
    shipment: Option<String>,
    status: String,
    active: bool,
}

/// Who did something for the account, as its holder reads it.
fn member_ref(s: SubjectId, me: SubjectId) -> String {
    if s == me {
        return "you".into();
    }
    let id = s.to_string();
    format!(
        "member {}",
        id.get(id.len().saturating_sub(8)..).unwrap_or(&id)
    )
}

/// CUST-01, USPSPA-01, CARRIER-01, CARRIER-02: the agreements of the accounts the signed-in
/// person holds, with the full text of what was accepted (the policy's text; its SHA-256 is
/// recorded with the acceptance), when and by whom, and the carriers they selected.
async fn agreements(
    State(st): State<AppState>,
    Extension(web): Extension<Arc<Web>>,
    browser: Browser,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let v = visitor(&web, &st, &headers, browser).await;
    let Some(subject) = v.subject else {
        return Ok(see_other(&sign_in_link("/privacy/agreements")));
    };
    let held = st.steward().held_agreements(subject).await?;
    let engine = st.steward().engine();
    let accounts = held
        .iter()
        .map(|(a, carriers)| {
            let id = a.account.to_string();
            AgreementsAccountView {
                short: id
                    .get(id.len().saturating_sub(8)..)
                    .unwrap_or(&id)
                    .to_string(),
                id,
                agreements: a
                    .agreements
                    .iter()
                    .map(|g| {
                        let (status, text_note) = match &g.accepted {
                            Some(r) => {
                                let same = match (r.text_sha256, g.text_sha256.as_deref()) {
                                    (Some(d), Some(h)) => d.to_hex() == h,
                                    _ => r.version.as_str() == g.current_version,
                                };
                                (
                                    format!(
                                        "Accepted on {} by {} (version {})",
                                        day(r.accepted_at),
                                        member_ref(r.accepted_by, subject),
                                        r.version.as_str()
                                    ),
                                    if same {
                                        "The text you accepted:".to_string()
                                    } else {
                                        format!(
                                            "You accepted an earlier text (version {}); the current text (version {}) is:",
                                            r.version.as_str(),
                                            g.current_version
                                        )
                                    },
                                )
                            }
                            None => (
                                "Not accepted".to_string(),
                                format!("The text (version {}):", g.current_version),
                            ),
                        };
                        AgreementView {
                            key: g.agreement.clone(),
                            name: g.name.clone(),
                            status,
                            accepted: g.accepted.is_some(),
                            text_note,
                            text: g.text.clone(),
                        }
                    })
                    .collect(),
                carriers: carriers
                    .iter()
                    .map(|c| {
                        let info = engine
                            .recipient(c.carrier.as_str())
                            .map(|r| engine.recipient_info(r));
                        CarrierView {
                            name: info.map_or_else(
                                || c.carrier.as_str().to_string(),
                                |i| i.name.clone(),
                            ),
                            policy_url: info.and_then(|i| i.policy_url.clone()),
                            selected: format!(
                                "{} by {}",
                                day(c.selected_at),
                                member_ref(c.selected_by, subject)
                            ),
                            shipment: c.shipment.as_ref().map(|s| s.as_str().to_string()),
                            status: match c.withdrawn {
                                Some((at, by)) => {
                                    format!("withdrawn {} by {}", day(at), member_ref(by, subject))
                                }
                                None => "selected".into(),
                            },
                            active: c.is_active(),
                        }
                    })
                    .collect(),
            }
        })
        .collect();
    Ok(layout::page(&AgreementsPage {
        chrome: chrome(
            &web,
            &v,
            "Your agreements and carriers",
            "/privacy/agreements",
        )?,
        accounts,
    }))
}

// ---------------------------------------------------------------- cookies

#[derive(Template)]
#[template(path = "center/cookies.html")]
struct CookiesPage {
    chrome: Chrome,
    eu: bool,
    categories: Vec<Toggle>,
}

fn cookie_label(c: TrackerCategory) -> (&'static str, &'static str) {
    match c {
        TrackerCategory::StrictlyNecessary => (
            "Strictly necessary",
            "Sign-in, security and your choices on this page. Always on.",
        ),
        TrackerCategory::PreferencesRecognition => (
            "Preferences and recognition",
            "Remember you on return visits to give you a more personal service.",
        ),
        TrackerCategory::Analytics => (
            "Audience measurement",
            "Count visitors and measure traffic patterns with pseudonymous identifiers.",
        ),
        TrackerCategory::Promotions => ("Promotions", "Count the entries in our promotions."),
        TrackerCategory::Advertising => (
            "Advertising",
            "Customize the advertising and content you see, here and on other sites.",
        ),
    }
}

fn cookie_toggles(cur: &Current) -> Vec<Toggle> {
    TrackerCategory::ALL
        .into_iter()
        .filter(|c| *c != TrackerCategory::StrictlyNecessary)
        .map(|c| {
            let (label, hint) = cookie_label(c);
            let choices = &cur.effective.choices;
            // Advertising cookies share what the visitor does across sites: an opt-out of
            // sale or sharing (a Do Not Sell request or GPC) turns them off whatever the
            // cookie choice says, and the page must not show them as on (DNS-*, GPC-*).
            let opted_out = c == TrackerCategory::Advertising
                && (choices.sale_opt_out || choices.share_opt_out);
            Toggle {
                name: format!("cookie:{}", c.as_str()),
                label: label.into(),
                hint: if opted_out {
                    format!(
                        "{hint} Off while you have opted out of the sale or sharing of your \
                         personal information."
                    )
                } else {
                    hint.into()
                },
                on: !opted_out && reads_yes(choices.cookie(c), cur.eu),
            }
        })
        .collect()
}

async fn cookies(
    State(st): State<AppState>,
    Extension(web): Extension<Arc<Web>>,
    browser: Browser,
    headers: HeaderMap,
    Query(q): Query<Done>,
) -> Result<Response, WebError> {
    let v = visitor(&web, &st, &headers, browser).await;
    honour_gpc(st.steward(), &v).await?;
    let cur = current(st.steward(), &v).await?;
    let mut chrome = chrome(&web, &v, "Cookie preferences", "/privacy/cookies")?;
    chrome.flash = flash(q.done.as_deref());
    Ok(layout::page(&CookiesPage {
        chrome,
        eu: cur.eu,
        categories: cookie_toggles(&cur),
    }))
}

/// Records cookie choices for the browser: `accept_all`, `reject_all` or `save` (the ticked
/// categories). Shared with `consent.js`.
pub(crate) async fn record_cookie_choices(
    st: &Steward,
    web: &Web,
    browser: &Browser,
    caller: &Caller,
    choices: &[(TrackerCategory, bool)],
    channel: &str,
) -> Result<(), WebError> {
    let notice = web.notice.get(st).sha256.clone();
    let inputs = choices
        .iter()
        .filter(|(c, _)| *c != TrackerCategory::StrictlyNecessary)
        .map(|(c, on)| ChoiceInput {
            party: ChoiceParty::Device {
                kind: IdentityKind::Cookie,
                id: Sensitive::new(browser.id().to_string()),
            },
            key: format!("cookie:{}", c.as_str()),
            value: *on,
            source: "user".into(),
            notice_sha256: Some(notice.clone()),
            channel: Some(channel.into()),
        })
        .collect::<Vec<_>>();
    if !inputs.is_empty() {
        st.record_choices(caller, inputs).await?;
    }
    Ok(())
}

async fn cookies_post(
    State(st): State<AppState>,
    Extension(web): Extension<Arc<Web>>,
    browser: Browser,
    headers: HeaderMap,
    CsrfForm(f): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let v = visitor(&web, &st, &headers, browser).await;
    let action = f
        .iter()
        .find(|(k, _)| k == "do")
        .map_or("save", |(_, v)| v.as_str());
    let mut choices = Vec::new();
    for c in TrackerCategory::ALL {
        let on = match action {
            "accept_all" => true,
            "reject_all" => false,
            _ => f
                .iter()
                .any(|(k, val)| k.strip_prefix("cookie:") == Some(c.as_str()) && val == "on"),
        };
        choices.push((c, on));
    }
    record_cookie_choices(
        st.steward(),
        &web,
        &v.browser,
        &v.caller(),
        &choices,
        "web_form",
    )
    .await?;
    Ok(see_other("/privacy/cookies?done=cookies_saved"))
}

// ---------------------------------------------------------------- sign-in

#[derive(Template)]
#[template(path = "center/sign_in.html")]
struct SignInPage {
    chrome: Chrome,
    next: String,
    email: String,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "center/code.html")]
struct CodePage {
    chrome: Chrome,
    error: Option<String>,
}

#[derive(Debug, Deserialize, Default)]
struct Next {
    next: Option<String>,
}

/// A safe place to go after signing in: a privacy center path, never another site.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with("/privacy")
                && !n.contains("//")
                && !n.contains('\\')
                && n.len() < 200
                && n.bytes().all(|b| b.is_ascii_graphic()) =>
        {
            n.to_string()
        }
        _ => "/privacy/my-data".to_string(),
    }
}

async fn sign_in(
    State(st): State<AppState>,
    Extension(web): Extension<Arc<Web>>,
    browser: Browser,
    headers: HeaderMap,
    Query(q): Query<Next>,
) -> Result<Response, WebError> {
    let v = visitor(&web, &st, &headers, browser).await;
    Ok(layout::page(&SignInPage {
        chrome: chrome(&web, &v, "Sign in", "")?,
        next: safe_next(q.next.as_deref()),
        email: String::new(),
        error: None,
    }))
}

#[derive(Debug, Deserialize)]
struct EmailForm {
    #[serde(default)]
    email: String,
    next: Option<String>,
}

/// A plausible e-mail address (the real check is that a code arrives).
pub(crate) fn email_error(e: &str) -> Option<&'static str> {
    let e = e.trim();
    if e.is_empty() {
        return Some("Enter your e-mail address.");
    }
    if e.len() > 254 {
        return Some("That e-mail address is too long.");
    }
    match e.split_once('@') {
        Some((local, domain))
            if !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !e.chars().any(char::is_whitespace)
                && !domain.contains('@') =>
        {
            None
        }
        _ => Some("Enter an e-mail address like name@example.com."),
    }
}

async fn sign_in_post(
    State(st): State<AppState>,
    Extension(web): Extension<Arc<Web>>,
    browser: Browser,
    headers: HeaderMap,
    CsrfForm(f): CsrfForm<EmailForm>,
) -> Result<Response, WebError> {
    let v = visitor(&web, &st, &headers, browser).await;
    let next = safe_next(f.next.as_deref());
    if let Some(err) = email_error(&f.email) {
        return Ok(layout::page_with_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &SignInPage {
                chrome: chrome(&web, &v, "Sign in", "")?,
                next,
                email: f.email.chars().take(254).collect(),
                error: Some(err.into()),
            },
        ));
    }
    let challenge = requests(&st)?
        .start_sign_in(&Sensitive::new(f.email.trim().to_string()), v.browser.id())
        .await?;
    let sealed = web.keys.seal(
        SIGNIN_COOKIE,
        &v.browser,
        &Pending { challenge, next },
        SIGNIN_TTL_SECS,
    )?;
    Ok(with_cookie(
        see_other("/privacy/sign-in/code"),
        &web.keys
            .cookie_line(SIGNIN_COOKIE, &sealed, SIGNIN_TTL_SECS, "Lax"),
    ))
}

async fn code_page(
    State(st): State<AppState>,
    Extension(web): Extension<Arc<Web>>,
    browser: Browser,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let v = visitor(&web, &st, &headers, browser).await;
    if cookie(&headers, SIGNIN_COOKIE)
        .and_then(|c| web.keys.open::<Pending>(SIGNIN_COOKIE, &v.browser, c))
        .is_none()
    {
        return Ok(see_other("/privacy/sign-in"));
    }
    Ok(layout::page(&CodePage {
        chrome: chrome(&web, &v, "Enter your code", "")?,
        error: None,
    }))
}

#[derive(Debug, Deserialize)]
struct CodeForm {
    #[serde(default)]
    code: String,
}

async fn code_post(
    State(st): State<AppState>,
    Extension(web): Extension<Arc<Web>>,
    browser: Browser,
    headers: HeaderMap,
    CsrfForm(f): CsrfForm<CodeForm>,
) -> Result<Response, WebError> {
    let v = visitor(&web, &st, &headers, browser).await;
    let Some(pending) = cookie(&headers, SIGNIN_COOKIE)
        .and_then(|c| web.keys.open::<Pending>(SIGNIN_COOKIE, &v.browser, c))
    else {
        return Ok(see_other("/privacy/sign-in"));
    };
    let again = |status: StatusCode, msg: String| -> Result<Response, WebError> {
        Ok(layout::page_with_status(
            status,
            &CodePage {
                chrome: chrome(&web, &v, "Enter your code", "")?,
                error: Some(msg),
            },
        ))
    };
    let wait = web.throttle.wait(&web.steward, v.browser.id()).await?;
    if wait > 0 {
        let mut r = again(
            StatusCode::TOO_MANY_REQUESTS,
            format!("Too many wrong codes. Please wait {wait} seconds before trying again."),
        )?;
        if let Ok(h) = HeaderValue::from_str(&wait.to_string()) {
            r.headers_mut().insert(header::RETRY_AFTER, h);
        }
        return Ok(r);
    }
    let digits: String = f.code.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.len() != 6 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return again(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Enter the 6-digit code from the e-mail.".into(),
        );
    }
    let subject = requests(&st)?
        .finish_sign_in(&pending.challenge, v.browser.id(), &digits)
        .await?;
    let Some(subject) = subject else {
        let (n, wait) = web.throttle.fail(&web.steward, v.browser.id()).await?;
        let msg = if wait > 0 {
            format!(
                "That code is not right. After {n} wrong codes, please wait {wait} seconds before trying again."
            )
        } else {
            format!(
                "That code is not right. Check the e-mail and try again ({} tries before a pause).",
                FREE_ATTEMPTS.saturating_sub(n)
            )
        };
        return again(StatusCode::UNPROCESSABLE_ENTITY, msg);
    };
    web.throttle.clear(&web.steward, v.browser.id()).await?;
    // GPC-04: the browser joins the account, so a signal it sent opts the account out too.
    if let Err(e) = st
        .steward()
        .link_identity(
            &Caller::Subject(subject),
            subject,
            IdentityKind::Cookie,
            v.browser.id(),
            "privacy_center",
        )
        .await
    {
        tracing::warn!(error = %e, "browser not linked at sign-in");
    }
    // SECURITY: a server-side session (see `steward_core::sessions`): signing out ends it
    // for every copy of the cookie.
    let token = st
        .steward()
        .start_session(
            SessionKind::PrivacyCenter,
            SessionOwner::Subject(subject),
            v.browser.id(),
            SessionLimits {
                lifetime: jiff::SignedDuration::from_secs(SESSION_TTL_SECS as i64),
                idle: None,
            },
        )
        .await?;
    let to = if pending.next.contains('?') {
        format!("{}&done=signed_in", pending.next)
    } else {
        format!("{}?done=signed_in", pending.next)
    };
    let r = with_cookie(
        see_other(&to),
        &web.keys
            .cookie_line(SESSION_COOKIE, token.expose(), SESSION_TTL_SECS, "Lax"),
    );
    Ok(with_cookie(r, &web.keys.clear_cookie(SIGNIN_COOKIE)))
}

#[derive(Debug, Deserialize)]
struct Empty {}

/// Signing out ends the session on the server (every copy of the cookie stops working), then
/// clears the cookie.
async fn sign_out(
    State(st): State<AppState>,
    Extension(web): Extension<Arc<Web>>,
    browser: Browser,
    headers: HeaderMap,
    CsrfForm(_f): CsrfForm<Empty>,
) -> Result<Response, WebError> {
    if let Some(token) = cookie(&headers, SESSION_COOKIE) {
        let v = visitor(&web, &st, &headers, browser).await;
        st.steward().end_session(&v.caller(), token).await?;
    }
    Ok(with_cookie(
        see_other("/privacy?done=signed_out"),
        &web.keys.clear_cookie(SESSION_COOKIE),
    ))
}

// ---------------------------------------------------------------- my data

/// One category of the subject's data, for the page.
#[derive(Debug)]
struct CategoryView {
    id: String,
    name: String,
    retention: String,
    items: Vec<(String, String, String)>,
}

#[derive(Template)]
#[template(path = "center/my_data.html")]
struct MyDataPage {
    chrome: Chrome,
    categories: Vec<CategoryView>,
    recipients: Vec<String>,
    requests: Vec<RequestRow>,
    correct_category: String,
    correct_value: String,
    category_error: Option<String>,
    value_error: Option<String>,
}

/// A retention rule as a person reads it: `P3Y from account closed (configuration …)` →
/// `3 years from account closed`.
fn readable_retention(rule: &str) -> String {
    let rule = rule.split(" (").next().unwrap_or(rule).trim();
    let (head, rest) = rule.split_once(' ').unwrap_or((rule, ""));
    let human = head.strip_prefix('P').and_then(|d| {
        let (n, unit) = d.split_at(d.len().checked_sub(1)?);
        let n: u32 = n.parse().ok()?;
        let unit = match unit {
            "Y" => "year",
            "M" => "month",
            "W" => "week",
            "D" => "day",
            _ => return None,
        };
        Some(format!("{n} {unit}{}", if n == 1 { "" } else { "s" }))
    });
    match human {
        Some(h) if rest.is_empty() => h,
        Some(h) => format!("{h} {rest}"),
        None => rule.to_string(),
    }
}

/// A request in the list.
#[derive(Debug)]
struct RequestRow {
    id: String,
    kind: String,
    state: String,
    received: String,
    due: String,
}

fn day(t: jiff::Timestamp) -> String {
    t.strftime("%Y-%m-%d").to_string()
}

fn kind_label(k: &str) -> String {
    match k {
        "access" => "Access to my data".into(),
        "deletion" => "Delete my data".into(),
        "correction" => "Correct my data".into(),
        "portability" => "Copy of my data".into(),
        "know_categories" => "What categories of data you hold".into(),
        "know_specific_pieces" => "The specific pieces of data you hold".into(),
        other => other.replace('_', " "),
    }
}

fn state_label(s: &str) -> String {
    match s {
        "awaiting_verification" => "Waiting for verification".into(),
        "awaiting_agent_permission" => "Waiting for the consumer's permission".into(),
        "verified" => "Verified, waiting for review".into(),
        "approved" => "Approved, being carried out".into(),
        "in_progress" | "running" => "Being carried out".into(),
        "completed" => "Completed".into(),
        "denied" => "Declined".into(),
        "failed" => "Delayed: a system failed; we are retrying".into(),
        other => other.replace('_', " "),
    }
}

async fn my_requests(r: &Requests, subject: SubjectId) -> Result<Vec<RequestRow>, WebError> {
    let list = r
        .list(&ListQuery {
            include_closed: true,
            state: None,
            subject: Some(subject),
            after: None,
            limit: Some(100),
        })
        .await?;
    Ok(list
        .into_iter()
        .map(|i| RequestRow {
            id: i.id.to_string(),
            kind: kind_label(&i.kind),
            state: state_label(&i.state),
            received: day(i.received_at),
            due: day(i.due),
        })
        .collect())
}

struct CorrectionForm {
    category: String,
    value: String,
    category_error: Option<String>,
    value_error: Option<String>,
}

async fn my_data_page(
    st: &AppState,
    web: &Web,
    v: &Visitor,
    subject: SubjectId,
    done: Option<&str>,
    form: CorrectionForm,
) -> Result<Response, WebError> {
    let r = requests(st)?;
    let report = r.self_report(&Caller::Subject(subject), subject).await?;
    let categories = report
        .categories
        .iter()
        .map(|c| CategoryView {
            id: c.category.clone(),
            name: c.name.clone(),
            retention: readable_retention(&c.retention),
            items: c
                .items
                .iter()
                .map(|p| (p.value.clone(), p.source.clone(), day(p.collected_at)))
                .collect(),
        })
        .collect();
    let recipients = report.recipients.iter().map(|x| x.name.clone()).collect();
    let mut chrome = chrome(web, v, "My data", "/privacy/my-data")?;
    chrome.flash = flash(done);
    let invalid = form.category_error.is_some() || form.value_error.is_some();
    let page = MyDataPage {
        chrome,
        categories,
        recipients,
        requests: my_requests(r, subject).await?,
        correct_category: form.category,
        correct_value: form.value,
        category_error: form.category_error,
        value_error: form.value_error,
    };
    Ok(if invalid {
        layout::page_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
    } else {
        layout::page(&page)
    })
}

async fn my_data(
    State(st): State<AppState>,
    Extension(web): Extension<Arc<Web>>,
    browser: Browser,
    headers: HeaderMap,
    Query(q): Query<Done>,
) -> Result<Response, WebError> {
    let v = visitor(&web, &st, &headers, browser).await;
    let Some(subject) = v.subject else {
        return Ok(see_other(&sign_in_link("/privacy/my-data")));
    };
    honour_gpc(st.steward(), &v).await?;
    my_data_page(
        &st,
        &web,
        &v,
        subject,
        q.done.as_deref(),
        CorrectionForm {
            category: String::new(),
            value: String::new(),
            category_error: None,
            value_error: None,
        },
    )
    .await
}

#[derive(Debug, Deserialize)]
struct DownloadQuery {
    format: Option<String>,
}

async fn download(
    State(st): State<AppState>,
    Extension(web): Extension<Arc<Web>>,
    browser: Browser,
    headers: HeaderMap,
    Query(q): Query<DownloadQuery>,
) -> Result<Response, WebError> {
    let v = visitor(&web, &st, &headers, browser).await;
    let Some(subject) = v.subject else {
        return Ok(see_other(&sign_in_link("/privacy/my-data")));
    };
    let format = match q.format.as_deref().unwrap_or("json") {
        f @ ("json" | "csv" | "portable-json" | "portable-csv") => f
            .parse::<ReportFormat>()
            .map_err(|_| WebError::BadRequest("unknown format".into()))?,
        _ => {
            return Err(WebError::BadRequest(
                "Choose JSON, CSV or a portable copy.".into(),
            ));
        }
    };
    let out = requests(&st)?
        .self_export(&Caller::Subject(subject), subject, format)
        .await?;
    let mut r = out.body.expose().clone().into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(out.content_type),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{}\"", out.file_name)) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(r)
}

#[derive(Debug, Deserialize)]
struct CorrectForm {
    #[serde(default)]
    category: String,
    #[serde(default)]
    value: String,
}

async fn correct_post(
    State(st): State<AppState>,
    Extension(web): Extension<Arc<Web>>,
    browser: Browser,
    headers: HeaderMap,
    CsrfForm(f): CsrfForm<CorrectForm>,
) -> Result<Response, WebError> {
    let v = visitor(&web, &st, &headers, browser).await;
    let Some(subject) = v.subject else {
        return Ok(see_other(&sign_in_link("/privacy/my-data")));
    };
    let category = f.category.trim().to_string();
    let value = f.value.trim().to_string();
    let category_error = if category.is_empty() {
        Some("Choose what to correct.".to_string())
    } else if st.steward().engine().category(&category).is_none() {
        Some("Choose one of the kinds of data listed.".to_string())
    } else {
        None
    };
    let value_error = if value.is_empty() {
        Some("Enter the correct value.".to_string())
    } else if value.chars().count() > 500 {
        Some("Keep it under 500 characters.".to_string())
    } else {
        None
    };
    let show_again = |category_error, value_error| CorrectionForm {
        category: category.clone(),
        value: value.chars().take(500).collect(),
        category_error,
        value_error,
    };
    if category_error.is_some() || value_error.is_some() {
        return my_data_page(
            &st,
            &web,
            &v,
            subject,
            None,
            show_again(category_error, value_error),
        )
        .await;
    }
    let mut input = SubmitRequest::by_email(
        steward_deadlines::RequestKind::Correction,
        "privacy_center",
        "",
    );
    input.email = None;
    input.correction = Some(CorrectionInput {
        category: category.clone(),
        item: None,
        value: Sensitive::new(value.clone()),
    });
    match requests(&st)?
        .submit(&Caller::Subject(subject), input)
        .await
    {
        Ok(a) => Ok(see_other(&format!(
            "/privacy/requests/{}?done=requested",
            a.request_id
        ))),
        Err(steward_core::CoreError::Invalid { message, .. }) => {
            my_data_page(
                &st,
                &web,
                &v,
                subject,
                None,
                show_again(None, Some(message)),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// Why an item is kept, for a person.
fn exception_label(e: Exception) -> &'static str {
    match e {
        Exception::LegalObligation => "We must keep it by law (for example tax records).",
        Exception::UspsTransactionalReporting => {
            "The USPS requires transaction records for postage reporting."
        }
        Exception::FraudPrevention => "Needed to protect you and us against fraud.",
        Exception::LegalHold => "Under a legal hold (litigation or a legal request).",
        Exception::PendingRequest => "Needed by another of your requests still in progress.",
    }
}

/// One kept item, for the page.
#[derive(Debug)]
struct KeptView {
    category: String,
    why: String,
    citations: String,
    until: String,
}

#[derive(Template)]
#[template(path = "center/delete.html")]
struct DeletePage {
    chrome: Chrome,
    deleted: usize,
    deleted_categories: Vec<String>,
    kept: Vec<KeptView>,
    notified: Vec<String>,
    suppression_kept: bool,
    error: Option<String>,
}

async fn delete_page(
    st: &AppState,
    web: &Web,
    v: &Visitor,
    subject: SubjectId,
    error: Option<String>,
) -> Result<Response, WebError> {
    let r = requests(st)?;
    let plan = r.erasure_preview(subject).await?;
    let items = st.steward().list_items(subject).await?;
    let mut deleted_categories: Vec<String> = items
        .iter()
        .filter(|i| plan.delete.contains(&i.id))
        .map(|i| i.category.as_str().replace('_', " "))
        .collect();
    deleted_categories.sort();
    deleted_categories.dedup();
    let kept = plan
        .retain
        .iter()
        .map(|k| KeptView {
            category: k.category.replace('_', " "),
            why: exception_label(k.exception).to_string(),
            citations: k.citations.join("; "),
            until: k
                .until
                .map(day)
                .unwrap_or_else(|| "as long as required".into()),
        })
        .collect();
    let invalid = error.is_some();
    let page = DeletePage {
        chrome: chrome(web, v, "Delete my data", "/privacy/my-data")?,
        deleted: plan.delete.len(),
        deleted_categories,
        kept,
        notified: plan.notify.iter().map(|n| n.recipient.clone()).collect(),
        suppression_kept: plan.suppression_kept,
        error,
    };
    Ok(if invalid {
        layout::page_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
    } else {
        layout::page(&page)
    })
}

async fn delete(
    State(st): State<AppState>,
    Extension(web): Extension<Arc<Web>>,
    browser: Browser,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let v = visitor(&web, &st, &headers, browser).await;
    let Some(subject) = v.subject else {
        return Ok(see_other(&sign_in_link("/privacy/my-data/delete")));
    };
    delete_page(&st, &web, &v, subject, None).await
}

#[derive(Debug, Deserialize)]
struct ConfirmForm {
    confirm: Option<String>,
}

async fn delete_post(
    State(st): State<AppState>,
    Extension(web): Extension<Arc<Web>>,
    browser: Browser,
    headers: HeaderMap,
    CsrfForm(f): CsrfForm<ConfirmForm>,
) -> Result<Response, WebError> {
    let v = visitor(&web, &st, &headers, browser).await;
    let Some(subject) = v.subject else {
        return Ok(see_other(&sign_in_link("/privacy/my-data/delete")));
    };
    if f.confirm.as_deref() != Some("yes") {
        return delete_page(
            &st,
            &web,
            &v,
            subject,
            Some("Tick the box to confirm that you want your data deleted.".into()),
        )
        .await;
    }
    let mut input = SubmitRequest::by_email(
        steward_deadlines::RequestKind::Deletion,
        "privacy_center",
        "",
    );
    input.email = None;
    let a = requests(&st)?
        .submit(&Caller::Subject(subject), input)
        .await?;
    Ok(see_other(&format!(
        "/privacy/requests/{}?done=requested",
        a.request_id
    )))
}

// ---------------------------------------------------------------- request status

#[derive(Template)]
#[template(path = "center/request.html")]
struct RequestPage {
    chrome: Chrome,
    signed_in: bool,
    id: String,
    kind: String,
    state: String,
    completed: bool,
    received: String,
    due: String,
    steps: Vec<(String, String)>,
    receipt: Option<ReceiptView>,
}

/// The receipt, for the page.
#[derive(Debug)]
struct ReceiptView {
    closed: String,
    systems: Vec<(String, String)>,
    kept: Vec<(String, String)>,
    notified: Vec<String>,
    record_keeping: String,
    sha256: String,
}

fn step_label(action: &str) -> String {
    match action {
        "received" | "submitted" | "intake" => "Request received".into(),
        "verified" => "Identity verified".into(),
        "approved" => "Approved".into(),
        "run" | "ran" | "completed" => "Carried out".into(),
        other => {
            let mut s = other.replace(['_', '.'], " ");
            if let Some(f) = s.get_mut(0..1) {
                f.make_ascii_uppercase();
            }
            s
        }
    }
}

async fn request_status(
    State(st): State<AppState>,
    Extension(web): Extension<Arc<Web>>,
    browser: Browser,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Query<Done>,
) -> Result<Response, WebError> {
    let v = visitor(&web, &st, &headers, browser).await;
    let followed = crate::web::request::followed(&web, &headers, &v.browser);
    let Ok(id) = id.parse::<RequestId>() else {
        return Err(WebError::NotFound);
    };
    // A request filed or confirmed in this browser (the public request page) is followed
    // without an account; any other needs the subject signed in.
    let own = followed.contains(&id);
    if v.subject.is_none() && !own {
        return Ok(see_other(&sign_in_link("/privacy/my-data")));
    }
    let r = requests(&st)?;
    let view = r.show(id).await?;
    // Another person's request answers like one that does not exist.
    if !own && view.summary.subject != v.subject {
        return Err(WebError::NotFound);
    }
    let receipt = match r.receipt(id).await {
        Ok(rc) => Some(ReceiptView {
            closed: rc.closed_at.map(day).unwrap_or_default(),
            systems: rc
                .systems
                .iter()
                .map(|s| (s.system.clone(), s.status.replace('_', " ")))
                .collect(),
            kept: rc
                .retained
                .iter()
                .map(|k| {
                    (
                        k.category.replace('_', " "),
                        exception_label(k.exception).to_string(),
                    )
                })
                .collect(),
            notified: rc.notified.iter().map(|n| n.recipient.clone()).collect(),
            record_keeping: rc.record_keeping.clone(),
            sha256: rc.sha256.clone(),
        }),
        Err(steward_core::CoreError::Conflict { .. }) => None,
        Err(e) => return Err(e.into()),
    };
    let mut chrome = chrome(&web, &v, "Your request", "/privacy/my-data")?;
    chrome.flash = flash(q.done.as_deref());
    Ok(layout::page(&RequestPage {
        chrome,
        signed_in: v.subject.is_some(),
        id: id.to_string(),
        kind: kind_label(&view.summary.kind),
        completed: view.summary.state == "completed",
        state: state_label(&view.summary.state),
        received: day(view.summary.received_at),
        due: day(view.summary.due),
        steps: view
            .steps
            .iter()
            .map(|s| (day(s.at), step_label(&s.action)))
            .collect(),
        receipt,
    }))
}

async fn receipt_json(
    State(st): State<AppState>,
    Extension(web): Extension<Arc<Web>>,
    browser: Browser,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let v = visitor(&web, &st, &headers, browser).await;
    let id: RequestId = id.parse().map_err(|_| WebError::NotFound)?;
    let own = crate::web::request::followed(&web, &headers, &v.browser).contains(&id);
    if v.subject.is_none() && !own {
        return Err(WebError::NotFound);
    }
    let r = requests(&st)?;
    if !own && r.show(id).await?.summary.subject != v.subject {
        return Err(WebError::NotFound);
    }
    let rc = r.receipt(id).await?;
    let body = serde_json::to_vec_pretty(&rc).map_err(|_| WebError::Internal)?;
    let mut resp = body.into_response();
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    if let Ok(h) = HeaderValue::from_str(&format!("attachment; filename=\"receipt-{id}.json\"")) {
        resp.headers_mut().insert(header::CONTENT_DISPOSITION, h);
    }
    Ok(resp)
}

/// The routes of the privacy center.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/privacy", get(home))
        .route("/privacy/notice", get(notice))
        .route("/privacy/policy-change", post(policy_change_post))
        .route(
            "/privacy/do-not-sell",
            get(do_not_sell).post(do_not_sell_post),
        )
        .route(
            "/privacy/preferences",
            get(preferences).post(preferences_post),
        )
        .route("/privacy/cookies", get(cookies).post(cookies_post))
        .route("/privacy/administrators", get(administrators))
        .route("/privacy/agreements", get(agreements))
        .route(
            "/privacy/preferences/change-of-control",
            post(change_of_control_post),
        )
        .route("/privacy/sign-in", get(sign_in).post(sign_in_post))
        .route("/privacy/sign-in/code", get(code_page).post(code_post))
        .route("/privacy/sign-out", post(sign_out))
        .route("/privacy/my-data", get(my_data))
        .route("/privacy/my-data/download", get(download))
        .route("/privacy/my-data/correct", post(correct_post))
        .route("/privacy/my-data/delete", get(delete).post(delete_post))
        .route("/privacy/requests/{id}", get(request_status))
        .route("/privacy/requests/{id}/receipt.json", get(receipt_json))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_wrong_codes_slow_further_attempts() {
        assert_eq!(Throttle::backoff(1), 0);
        assert_eq!(Throttle::backoff(2), 0);
        assert_eq!(Throttle::backoff(3), 30);
        assert_eq!(Throttle::backoff(4), 60);
        assert_eq!(Throttle::backoff(50), 900, "capped at 15 minutes");
    }

    #[test]
    fn next_is_kept_inside_the_privacy_center() {
        assert_eq!(
            safe_next(Some("/privacy/preferences")),
            "/privacy/preferences"
        );
        assert_eq!(safe_next(Some("https://evil.test")), "/privacy/my-data");
        assert_eq!(safe_next(Some("/privacy//evil.test")), "/privacy/my-data");
        assert_eq!(safe_next(None), "/privacy/my-data");
    }

    #[test]
    fn email_validation_messages() {
        assert!(email_error("").is_some());
        assert!(email_error("nobody").is_some());
        assert!(email_error("a@b").is_some());
        assert!(email_error("a b@c.d").is_some());
        assert!(email_error("customer0001@example.test").is_none());
    }

    #[test]
    fn retention_reads_like_a_sentence() {
        assert_eq!(
            readable_retention("P3Y from account closed (configuration (policy silent, OQ-5))"),
            "3 years from account closed"
        );
        assert_eq!(readable_retention("P1M"), "1 month");
        assert_eq!(readable_retention("until closed"), "until closed");
    }

    #[test]
    fn eu_reads_unset_as_no_and_us_as_yes() {
        assert!(!reads_yes(Consent::Unset, true));
        assert!(reads_yes(Consent::Unset, false));
        assert!(reads_yes(Consent::Given, true));
        assert!(!reads_yes(Consent::Withdrawn, false));
    }
}
