//! The public request page of the privacy center (`/privacy/request`): a privacy request
//! from anyone, with or without an account — a visitor who only has cookies, the recipient
//! of a label, a former customer whose data lives only in the company's connected datasets
//! (RIGHTS-04, CCPA-24, GDPR-06).
//!
//! - `GET /privacy/request`: the form — which right (access, know the categories, know the
//!   specific pieces, a portable copy, deletion, correction: the rights to know, copy, delete
//!   and correct the notice names; opt-out and limit link to their own pages, they need no
//!   verification: CCPA-13, CCPA-16), the e-mail address, where the person lives, the
//!   CCPA-06 look-back, what to correct; or, for an authorized agent (CCPA-23), the agent's
//!   name and address, the consumer's address and the consumer's signed permission (a
//!   statement pasted into the form, sealed under the request's key like the rest of the
//!   request's personal data, never logged).
//! - `POST /privacy/request`: files the request through the workflow's intake
//!   (`Requests::submit`, channel `privacy_center`) and sends a six-digit code to the
//!   address given (the consumer's, for an agent: 11 CCR §7063 lets the business have the
//!   consumer verify directly). SECURITY (no account enumeration): the intake answers the
//!   same whether or not the address belongs to a subject, a code goes to every address,
//!   and the intake runs alongside an [`INTAKE_FLOOR`] timer (the answer waits for both), so
//!   the timing does not say either. Filing is limited per client address like the public
//!   `POST /v1/requests` (one shared budget), since every request sends mail.
//! - `GET|POST /privacy/request/confirm`: the code (and the request's reference, which the
//!   e-mail carries, when the code is entered in another browser — the consumer's own for an
//!   agent's request). Wrong codes are counted by the store per request (the challenge's
//!   attempts) and per browser by the sign-in [`Throttle`](crate::web::center::Throttle).
//!   The right code verifies the request and the browser may follow it on
//!   `/privacy/requests/{id}` without an account (a sealed cookie lists the requests it
//!   filed or verified).

use std::sync::Arc;
use std::time::Duration;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Extension, Router};
use serde::{Deserialize, Serialize};
use steward_core::{Caller, CoreError};
use steward_deadlines::{Lookback, RequestKind};
use steward_errors::ErrorCode;
use steward_requests::{AgentInput, CorrectionInput, Requester, Requests, SubmitRequest};
use steward_store::ids::RequestId;
use steward_vault::Sensitive;

use crate::AppState;
use crate::api::requests::ClientAddr;
use crate::web::Web;
use crate::web::center::{self, FREE_ATTEMPTS, Visitor};
use crate::web::layout::{self, Chrome, WebError};
use crate::web::security::{Browser, CsrfForm, cookie};

/// The request waiting for its code in this browser (sealed).
pub const PENDING_COOKIE: &str = "__Host-steward-request";
/// The requests this browser filed or verified, which it may follow (sealed).
pub const FOLLOW_COOKIE: &str = "__Host-steward-follow";
/// How long a browser may follow the requests it filed, in seconds (120 days: past the
/// longest statutory deadline with its extension).
pub const FOLLOW_TTL_SECS: u64 = 120 * 86_400;
/// How long the code is awaited in this browser, in seconds.
pub const PENDING_TTL_SECS: u64 = 3600;
/// The least time filing a request takes to answer: the intake runs alongside a timer of
/// this length and the answer waits for both, so the time taken does not reveal whether the address belongs to
/// a customer (the intake reads a little more for a known subject).
pub const INTAKE_FLOOR: Duration = Duration::from_millis(400);
/// The most requests a browser follows (the oldest are forgotten).
const FOLLOW_MAX: usize = 20;
/// The caller of the page: the privacy center, whoever is signed in (the request is verified
/// by the code sent to the address given, not by a session).
const CALLER: &str = "privacy_center";

/// The rights offered: `(kind, label, hint)`.
const KINDS: [(&str, &str, &str); 6] = [
    (
        "access",
        "See my personal information",
        "A copy of what we hold about you, from every system, and who received it.",
    ),
    (
        "know_categories",
        "Know what categories of information you collect, use, disclose, sell or share",
        "The categories, their sources, purposes and recipients.",
    ),
    (
        "know_specific_pieces",
        "Know the specific pieces of information you hold about me",
        "The values themselves, from every system.",
    ),
    (
        "portability",
        "Get a portable copy of my information",
        "In a format you can take to another service.",
    ),
    (
        "deletion",
        "Delete my personal information",
        "We delete it everywhere we hold it, except what the law requires us to keep (we tell you what and why).",
    ),
    (
        "correction",
        "Correct my personal information",
        "Tell us what is wrong and the correct value.",
    ),
];

/// Where the person lives: `(jurisdiction, label)`; the empty value declares nothing.
const RESIDENCES: [(&str, &str); 5] = [
    ("", "Elsewhere, or I prefer not to say"),
    ("US-CA", "California"),
    ("US-NV", "Nevada"),
    ("US", "Another US state"),
    ("GB", "United Kingdom"),
];

/// A request waiting for its code in this browser.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Pending {
    id: RequestId,
    agent: bool,
}

/// The form as posted (every field a string, validated here so messages sit by their field).
#[derive(Debug, Deserialize, Default, Clone)]
struct RequestForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    who: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    residence: String,
    #[serde(default)]
    lookback: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    value: String,
    #[serde(default)]
    agent_name: String,
    #[serde(default)]
    agent_email: String,
    #[serde(default)]
    permission: String,
}

/// A message per field.
#[derive(Debug, Default)]
struct FieldErrors {
    kind: Option<String>,
    email: Option<String>,
    residence: Option<String>,
    category: Option<String>,
    value: Option<String>,
    agent_name: Option<String>,
    agent_email: Option<String>,
    permission: Option<String>,
}

impl FieldErrors {
    fn any(&self) -> bool {
        self.kind.is_some()
            || self.email.is_some()
            || self.residence.is_some()
            || self.category.is_some()
            || self.value.is_some()
            || self.agent_name.is_some()
            || self.agent_email.is_some()
            || self.permission.is_some()
    }

    /// The fields in error, in page order, for the summary at the top: `(id, message)`.
    fn summary(&self) -> Vec<(&'static str, String)> {
        [
            ("kind-access", &self.kind),
            ("agent_name", &self.agent_name),
            ("agent_email", &self.agent_email),
            ("email", &self.email),
            ("residence", &self.residence),
            ("category", &self.category),
            ("value", &self.value),
            ("permission", &self.permission),
        ]
        .into_iter()
        .filter_map(|(id, e)| e.clone().map(|m| (id, m)))
        .collect()
    }
}

/// A right offered on the page.
#[derive(Debug)]
struct KindOption {
    value: &'static str,
    label: &'static str,
    hint: &'static str,
    checked: bool,
}

#[derive(Template)]
#[template(path = "center/request_form.html")]
struct RequestFormPage {
    chrome: Chrome,
    kinds: Vec<KindOption>,
    agent: bool,
    email: String,
    residences: Vec<(String, String, bool)>,
    lookback_all: bool,
    categories: Vec<(String, String, bool)>,
    value: String,
    agent_name: String,
    agent_email: String,
    permission: String,
    errors: FieldErrors,
    summary: Vec<(&'static str, String)>,
}

#[derive(Template)]
#[template(path = "center/request_confirm.html")]
struct ConfirmPage {
    chrome: Chrome,
    /// The reference, when this browser filed the request (else the person types it).
    reference: String,
    known: bool,
    agent: bool,
    code_error: Option<String>,
    reference_error: Option<String>,
}

fn requests(st: &AppState) -> Result<&Arc<Requests>, WebError> {
    st.requests().ok_or(WebError::Unavailable)
}

fn with_cookie(mut r: Response, line: &str) -> Response {
    if let Ok(v) = HeaderValue::from_str(line) {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    r
}

/// The requests `browser` may follow without an account.
pub(crate) fn followed(web: &Web, headers: &HeaderMap, browser: &Browser) -> Vec<RequestId> {
    cookie(headers, FOLLOW_COOKIE)
        .and_then(|c| web.keys.open::<Vec<RequestId>>(FOLLOW_COOKIE, browser, c))
        .unwrap_or_default()
}

/// The cookie line that adds `id` to the requests `browser` follows.
fn follow(
    web: &Web,
    headers: &HeaderMap,
    browser: &Browser,
    id: RequestId,
) -> Result<String, WebError> {
    let mut ids = followed(web, headers, browser);
    ids.retain(|x| *x != id);
    ids.push(id);
    if ids.len() > FOLLOW_MAX {
        ids.drain(..ids.len() - FOLLOW_MAX);
    }
    let sealed = web
        .keys
        .seal(FOLLOW_COOKIE, browser, &ids, FOLLOW_TTL_SECS)?;
    Ok(web
        .keys
        .cookie_line(FOLLOW_COOKIE, &sealed, FOLLOW_TTL_SECS, "Lax"))
}

/// The categories a person may ask to correct: those the notice discloses, by name. The
/// e-mail address is not among them: a code sent to it cannot verify its own correction
/// (CCPA-11, §7060(h)).
fn correctable(st: &AppState) -> Vec<(String, String)> {
    let engine = st.steward().engine();
    let mut out: Vec<(String, String)> = engine
        .category_ids()
        .map(|c| engine.category_info(c))
        .filter(|c| c.disclosed && c.forbid_raw.is_none() && c.key != "email")
        .map(|c| (c.key.clone(), c.name.clone()))
        .collect();
    out.sort_by(|a, b| a.1.cmp(&b.1));
    out
}

fn form_page(
    st: &AppState,
    web: &Web,
    v: &Visitor,
    region: Option<&str>,
    f: &RequestForm,
    errors: FieldErrors,
) -> Result<Response, WebError> {
    let invalid = errors.any();
    let chosen_residence = if f.residence.is_empty() && !invalid {
        region.unwrap_or_default().to_string()
    } else {
        f.residence.clone()
    };
    let mut residences: Vec<(String, String, bool)> = RESIDENCES
        .iter()
        .map(|(v, l)| ((*v).to_string(), (*l).to_string(), *v == chosen_residence))
        .collect();
    if !chosen_residence.is_empty() && !residences.iter().any(|r| r.2) {
        // Where the edge says the visitor is, when the list does not name it.
        residences.push((
            chosen_residence.clone(),
            format!("Where you are now ({chosen_residence})"),
            true,
        ));
    }
    let page = RequestFormPage {
        chrome: center::chrome(web, v, "Make a privacy request", "/privacy/request")?,
        kinds: KINDS
            .iter()
            .map(|(value, label, hint)| KindOption {
                value,
                label,
                hint,
                checked: f.kind == *value,
            })
            .collect(),
        agent: f.who == "agent",
        email: f.email.chars().take(254).collect(),
        residences,
        lookback_all: f.lookback == "all",
        categories: correctable(st)
            .into_iter()
            .map(|(k, n)| {
                let sel = k == f.category;
                (k, n, sel)
            })
            .collect(),
        value: f.value.chars().take(500).collect(),
        agent_name: f.agent_name.chars().take(200).collect(),
        agent_email: f.agent_email.chars().take(254).collect(),
        permission: f.permission.chars().take(10_000).collect(),
        summary: errors.summary(),
        errors,
    };
    Ok(if invalid {
        layout::page_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
    } else {
        layout::page(&page)
    })
}

fn region(headers: &HeaderMap) -> Option<String> {
    headers
        .get(center::REGION_HEADER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<steward_policy::Jurisdiction>().ok())
        .map(|j| j.to_string())
}

#[derive(Debug, Deserialize, Default)]
struct KindQuery {
    kind: Option<String>,
    who: Option<String>,
}

async fn request_form(
    State(st): State<AppState>,
    Extension(web): Extension<Arc<Web>>,
    browser: Browser,
    headers: HeaderMap,
    Query(q): Query<KindQuery>,
) -> Result<Response, WebError> {
    let v = center::visitor(&web, &st, &headers, browser).await;
    center::honour_gpc(st.steward(), &v).await?;
    let f = RequestForm {
        kind: q.kind.unwrap_or_default(),
        who: q.who.unwrap_or_default(),
        ..RequestForm::default()
    };
    form_page(
        &st,
        &web,
        &v,
        region(&headers).as_deref(),
        &f,
        FieldErrors::default(),
    )
}

/// What the form asks for, checked: the input of the intake, or the messages by field.
fn validate(st: &AppState, f: &RequestForm) -> Result<SubmitRequest, Box<FieldErrors>> {
    let mut e = FieldErrors::default();
    let kind = KINDS
        .iter()
        .find(|(k, _, _)| *k == f.kind)
        .and_then(|(k, _, _)| k.parse::<RequestKind>().ok());
    if kind.is_none() {
        e.kind = Some("Choose what you are asking for.".into());
    }
    let agent = f.who == "agent";
    e.email = center::email_error(&f.email).map(|m| {
        if agent {
            m.replace("your e-mail address", "the consumer's e-mail address")
        } else {
            m.to_string()
        }
    });
    let residence = f.residence.trim();
    if !residence.is_empty() && residence.parse::<steward_policy::Jurisdiction>().is_err() {
        e.residence = Some("Choose where you live from the list.".into());
    }
    let mut correction = None;
    if kind == Some(RequestKind::Correction) {
        let cats = correctable(st);
        if !cats.iter().any(|(k, _)| *k == f.category) {
            e.category = Some("Choose what is wrong.".into());
        }
        let v = f.value.trim();
        if v.is_empty() {
            e.value = Some("Enter the correct value.".into());
        } else if v.chars().count() > 500 {
            e.value = Some("The value is too long (500 characters at most).".into());
        }
        correction = Some(CorrectionInput {
            category: f.category.clone(),
            item: None,
            value: Sensitive::new(v.to_string()),
        });
    }
    let mut agent_input = None;
    if agent {
        let name = f.agent_name.trim();
        if name.is_empty() {
            e.agent_name = Some("Enter your name or your business's name.".into());
        } else if name.chars().count() > 200 {
            e.agent_name = Some("The name is too long (200 characters at most).".into());
        }
        e.agent_email = center::email_error(&f.agent_email).map(str::to_string);
        if e.agent_email.is_none() && f.agent_email.trim().eq_ignore_ascii_case(f.email.trim()) {
            e.agent_email = Some(
                "Give your own address here and the consumer's address below: the consumer confirms the request from their own address."
                    .into(),
            );
        }
        let p = f.permission.trim();
        if p.chars().count() < 20 {
            e.permission = Some(
                "Paste the consumer's signed permission for you to act for them (at least a sentence, with their name and signature)."
                    .into(),
            );
        } else if p.chars().count() > 10_000 {
            e.permission = Some("The permission is too long (10 000 characters at most).".into());
        }
        agent_input = Some(AgentInput {
            email: Some(Sensitive::new(f.agent_email.trim().to_string())),
            name: Some(Sensitive::new(name.to_string())),
            permission: Some(Sensitive::new(p.to_string())),
            permission_sha256: None,
        });
    }
    let (Some(kind), false) = (kind, e.any()) else {
        return Err(Box::new(e));
    };
    Ok(SubmitRequest {
        kind,
        requester: if agent {
            Requester::Agent
        } else {
            Requester::Subject
        },
        channel: "privacy_center".into(),
        subject_id: None,
        email: Some(Sensitive::new(f.email.trim().to_string())),
        jurisdiction: (!residence.is_empty()).then(|| residence.to_string()),
        agent: agent_input,
        lookback: (kind.is_know() && f.lookback == "all").then_some(Lookback::All),
        purpose: None,
        correction,
        preverified: None,
        received_at: None,
    })
}

/// Files the request. SECURITY: the same answer, the same e-mail and (past
/// [`INTAKE_FLOOR`]) the same time whether or not the address belongs to a customer.
async fn request_post(
    State(st): State<AppState>,
    Extension(web): Extension<Arc<Web>>,
    browser: Browser,
    client: ClientAddr,
    headers: HeaderMap,
    CsrfForm(f): CsrfForm<RequestForm>,
) -> Result<Response, WebError> {
    let v = center::visitor(&web, &st, &headers, browser).await;
    let browser = &v.browser;
    let region = region(&headers);
    let input = match validate(&st, &f) {
        Ok(i) => i,
        Err(errors) => return form_page(&st, &web, &v, region.as_deref(), &f, *errors),
    };
    // Every request sends mail to the address given: the public intake's limit per client
    // address (shared with `POST /v1/requests`) keeps the page from being used to flood
    // someone's inbox. The same for every address.
    if let Err(wait) =
        st.0.public_limiter
            .check(client.0, st.steward().clock().now())
    {
        st.metrics()
            .rate_limited
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        return Err(WebError::TooMany {
            retry_after: wait,
            message: format!(
                "Too many requests from your network. Please wait {wait} seconds and try again."
            ),
        });
    }
    let agent = input.requester == Requester::Agent;
    // The intake and the floor run together: the answer comes when both are done.
    let caller = Caller::Service(CALLER.into());
    let (answer, ()) = tokio::join!(
        requests(&st)?.submit(&caller, input),
        tokio::time::sleep(INTAKE_FLOOR)
    );
    let answer = match answer {
        Ok(a) => a,
        // What the intake refuses about the input itself (the same for every address).
        Err(CoreError::Invalid { code, message }) => {
            let mut errors = FieldErrors::default();
            match code {
                ErrorCode::BadJurisdiction => errors.residence = Some(message),
                ErrorCode::UnknownCategory | ErrorCode::VerifyWithOtherData => {
                    errors.category = Some(message);
                }
                _ => errors.kind = Some(message),
            }
            return form_page(&st, &web, &v, region.as_deref(), &f, errors);
        }
        Err(e) => return Err(e.into()),
    };
    let id = answer.request_id;
    let sealed = web.keys.seal(
        PENDING_COOKIE,
        browser,
        &Pending { id, agent },
        PENDING_TTL_SECS,
    )?;
    let r = with_cookie(
        Redirect::to("/privacy/request/confirm").into_response(),
        &web.keys
            .cookie_line(PENDING_COOKIE, &sealed, PENDING_TTL_SECS, "Lax"),
    );
    // An agent follows the request they filed (its state and receipt, nothing of the
    // consumer's data); the consumer follows it from the browser where they confirm it.
    Ok(if agent {
        with_cookie(r, &follow(&web, &headers, browser, id)?)
    } else {
        r
    })
}

fn pending(web: &Web, headers: &HeaderMap, browser: &Browser) -> Option<Pending> {
    cookie(headers, PENDING_COOKIE)
        .and_then(|c| web.keys.open::<Pending>(PENDING_COOKIE, browser, c))
}

async fn confirm_page(
    State(st): State<AppState>,
    Extension(web): Extension<Arc<Web>>,
    browser: Browser,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let v = center::visitor(&web, &st, &headers, browser).await;
    let p = pending(&web, &headers, &v.browser);
    Ok(layout::page(&ConfirmPage {
        chrome: center::chrome(&web, &v, "Confirm your request", "/privacy/request")?,
        reference: p.as_ref().map(|p| p.id.to_string()).unwrap_or_default(),
        known: p.is_some(),
        agent: p.is_some_and(|p| p.agent),
        code_error: None,
        reference_error: None,
    }))
}

#[derive(Debug, Deserialize)]
struct ConfirmForm {
    #[serde(default)]
    reference: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    resend: Option<String>,
}

async fn confirm_post(
    State(st): State<AppState>,
    Extension(web): Extension<Arc<Web>>,
    browser: Browser,
    headers: HeaderMap,
    CsrfForm(f): CsrfForm<ConfirmForm>,
) -> Result<Response, WebError> {
    let v = center::visitor(&web, &st, &headers, browser).await;
    let browser = &v.browser;
    let p = pending(&web, &headers, browser);
    let reference = match &p {
        Some(p) => p.id.to_string(),
        None => f.reference.trim().to_string(),
    };
    let again = |status: StatusCode,
                 code_error: Option<String>,
                 reference_error: Option<String>|
     -> Result<Response, WebError> {
        Ok(layout::page_with_status(
            status,
            &ConfirmPage {
                chrome: center::chrome(&web, &v, "Confirm your request", "/privacy/request")?,
                reference: reference.chars().take(64).collect(),
                known: p.is_some(),
                agent: p.as_ref().is_some_and(|p| p.agent),
                code_error,
                reference_error,
            },
        ))
    };
    let Ok(id) = reference.parse::<RequestId>() else {
        return again(
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
            Some("Enter the reference from the e-mail (it looks like 0190c7a2-…).".into()),
        );
    };
    if p.as_ref().is_some_and(|p| p.agent) {
        // CCPA-23 (§7063): the consumer confirms directly, from their own browser.
        return again(
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("The consumer confirms the request themselves, with the code sent to their address.".into()),
            None,
        );
    }
    let r = requests(&st)?;
    if f.resend.is_some() {
        // A new code for the request this browser filed (never for a typed reference: that
        // would let anyone send mail to someone else's address).
        if p.is_none() {
            return again(
                StatusCode::UNPROCESSABLE_ENTITY,
                Some("Ask for a new code from the browser where you made the request, or make the request again.".into()),
                None,
            );
        }
        let msg = match r.resend_code(id).await {
            Ok(_) => "We sent a new code. The previous one no longer works.".to_string(),
            Err(CoreError::Conflict { message, .. }) => message,
            Err(e) => return Err(e.into()),
        };
        return again(StatusCode::OK, Some(msg), None);
    }
    let wait = web.throttle.wait(&web.steward, browser.id()).await?;
    if wait > 0 {
        let mut resp = again(
            StatusCode::TOO_MANY_REQUESTS,
            Some(format!(
                "Too many wrong codes. Please wait {wait} seconds before trying again."
            )),
            None,
        )?;
        if let Ok(h) = HeaderValue::from_str(&wait.to_string()) {
            resp.headers_mut().insert(header::RETRY_AFTER, h);
        }
        return Ok(resp);
    }
    let digits: String = f.code.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.len() != 6 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return again(
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("Enter the 6-digit code from the e-mail.".into()),
            None,
        );
    }
    match r.verify_code(id, &digits).await {
        Ok(_) => {}
        // Every failure reads alike (an unknown reference too); only the wait differs.
        Err(CoreError::Invalid { .. } | CoreError::NotFound(_)) => {
            let (n, wait) = web.throttle.fail(&web.steward, browser.id()).await?;
            let msg = if wait > 0 {
                format!(
                    "That code is not right, or it has expired. After {n} wrong codes, please wait {wait} seconds before trying again."
                )
            } else {
                format!(
                    "That code is not right, or it has expired. Check the e-mail and try again ({} tries before a pause), or ask for a new code.",
                    FREE_ATTEMPTS.saturating_sub(n)
                )
            };
            return again(StatusCode::UNPROCESSABLE_ENTITY, Some(msg), None);
        }
        Err(e) => return Err(e.into()),
    }
    web.throttle.clear(&web.steward, browser.id()).await?;
    let resp = with_cookie(
        Redirect::to(&format!("/privacy/requests/{id}?done=verified")).into_response(),
        &follow(&web, &headers, browser, id)?,
    );
    Ok(with_cookie(resp, &web.keys.clear_cookie(PENDING_COOKIE)))
}

/// The routes of the request page.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/privacy/request", get(request_form).post(request_post))
        .route(
            "/privacy/request/confirm",
            get(confirm_page).post(confirm_post),
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_kinds_offered_are_kinds_of_the_workflow() {
        for (k, _, _) in KINDS {
            assert!(k.parse::<RequestKind>().is_ok(), "{k}");
        }
        for (j, _) in RESIDENCES {
            assert!(
                j.is_empty() || j.parse::<steward_policy::Jurisdiction>().is_ok(),
                "{j}"
            );
        }
    }
}
