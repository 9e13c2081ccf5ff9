//! The console of the privacy team, under `/console`: server-rendered pages (askama, no
//! script) behind a sign-in with an API key exchanged for a server-side session
//! ([`session`]).
//!
//! | page | role (key scope) |
//! |---|---|
//! | `/console` dashboard: open/overdue counts, alerts, charts (inline SVG) | any console role |
//! | `/console/requests` queue by due date, days left, overdue highlighted; detail with clocks, plan, receipt, audit trail; approve / run / extend / deny | `dsr` |
//! | `/console/subjects` lookup by e-mail (blind index), choices with provenance, disclosures | `read_pii` |
//! | `/console/cases` incidents and breaches by the next notice due, complaints by the first response due; `/console/incidents/{id}` facts, assessment, notices, audit trail; assess / mark a notice sent / close; `/console/complaints/{id}` response, resolution, recourse; respond / resolve / escalate | `cases` |
//! | `/console/legal` register of legal requests and the report per instrument; `/console/legal/{id}` scope, review, disclosures, audit trail; review | `cases` (as `/v1/legal-requests`) |
//! | `/console/audit` audit log with filters and chain verification | `admin` |
//! | `/console/data-map` data map and record of processing (Art. 30) | any console role |
//! | `/console/policy` the policy in force and its test results | any console role |
//!
//! Every action is taken in the name of the key (`Caller::Service(key name)`), so the audit
//! log says who approved, ran or denied a request; reads of personal data (subject lookup,
//! choices) and of the audit log are audited by the core (AUD-06). Every form carries the
//! page's one-time CSRF token; actions follow post/redirect/get, and a refused action shows
//! the page again with the reason next to its form.

mod cases;
mod charts;
mod complaint;
mod incident;
mod legal;
mod records;
pub mod ropa;
pub mod session;

use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};
use jiff::Timestamp;
use serde::Deserialize;
use steward_core::CoreError;
use steward_deadlines::ExtensionLength;
use steward_requests::selfservice::ConsoleFigures;
use steward_requests::{ApproveInput, DenyReason, ListQuery, RequestListItem, Requests};
use steward_store::ids::RequestId;

use crate::state::AppState;
use crate::web::Web;
use crate::web::layout::{Chrome, NavLink, WebError, page, page_with_status};
use crate::web::security::{Browser, CsrfForm};
use session::{Role, Sessions, Staff};

/// The console's own stylesheet (tables, badges, charts), on top of `steward.css`.
pub const STYLESHEET: &str = include_str!("../../templates/console/console.css");

/// The console routes (merged by the web router, inside its security layers).
pub fn router() -> Router<AppState> {
    let sessions = Arc::new(Sessions);
    Router::new()
        .route("/console", get(dashboard))
        .route(
            "/console/",
            get(|| async { Redirect::permanent("/console") }),
        )
        .route("/console/console.css", get(stylesheet))
        .route("/console/sign-in", get(sign_in_page).post(sign_in))
        .route("/console/sign-out", post(sign_out))
        .route("/console/requests", get(queue))
        .route("/console/requests/{id}", get(request_detail))
        .route("/console/requests/{id}/approve", post(approve))
        .route("/console/requests/{id}/run", post(run))
        .route("/console/requests/{id}/extend", post(extend))
        .route("/console/requests/{id}/deny", post(deny))
        .route(
            "/console/subjects",
            get(records::subjects_page).post(records::lookup),
        )
        .route("/console/subjects/{id}", get(records::subject))
        .route("/console/audit", get(records::audit))
        .route("/console/audit/verify", post(records::verify))
        .route("/console/data-map", get(records::data_map))
        .route("/console/cases", get(cases::cases))
        .route(
            "/console/incidents",
            get(|| async { Redirect::to("/console/cases#incidents") }),
        )
        .route("/console/incidents/{id}", get(incident::detail))
        .route("/console/incidents/{id}/assess", post(incident::assess))
        .route(
            "/console/incidents/{id}/notices/{notice}/sent",
            post(incident::sent),
        )
        .route("/console/incidents/{id}/close", post(incident::close))
        .route(
            "/console/complaints",
            get(|| async { Redirect::to("/console/cases#complaints") }),
        )
        .route("/console/complaints/{id}", get(complaint::detail))
        .route("/console/complaints/{id}/respond", post(complaint::respond))
        .route("/console/complaints/{id}/resolve", post(complaint::resolve))
        .route(
            "/console/complaints/{id}/escalate",
            post(complaint::escalate),
        )
        .route("/console/legal", get(legal::register))
        .route("/console/legal/{id}", get(legal::detail))
        .route("/console/legal/{id}/review", post(legal::review))
        .route("/console/policy", get(records::policy))
        .route(
            "/console/{*rest}",
            get(console_not_found).post(console_not_found),
        )
        .layer(Extension(sessions))
        .layer(Extension(Arc::new(FiguresCache::default())))
}

async fn console_not_found() -> WebError {
    WebError::NotFound
}

async fn stylesheet(headers: HeaderMap) -> Response {
    crate::web::asset(
        &headers,
        STYLESHEET,
        "text/css; charset=utf-8",
        STYLESHEET_ETAG,
        "public, max-age=3600",
    )
}

/// A version tag of the stylesheet: its length and a cheap checksum, computed at compile time.
const STYLESHEET_ETAG: &str = {
    const fn fnv(b: &[u8]) -> u64 {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        let mut i = 0;
        while i < b.len() {
            h ^= b[i] as u64;
            h = h.wrapping_mul(0x0100_0000_01b3);
            i += 1;
        }
        h
    }
    const H: u64 = fnv(STYLESHEET.as_bytes());
    const HEX: &[u8; 16] = b"0123456789abcdef";
    const BYTES: [u8; 18] = {
        let mut out = [b'"'; 18];
        let mut i = 0;
        while i < 16 {
            out[1 + i] = HEX[((H >> (60 - 4 * i)) & 0xf) as usize];
            i += 1;
        }
        out
    };
    match std::str::from_utf8(&BYTES) {
        Ok(s) => s,
        Err(_) => "\"console\"",
    }
};

// ---------------------------------------------------------------- frame and formatting

/// The frame of a console page for `staff`.
pub(crate) fn chrome(
    staff: &Staff,
    title: &str,
    current: &'static str,
) -> Result<Chrome, WebError> {
    let mut nav = vec![NavLink {
        href: "/console",
        label: "Dashboard",
        current: false,
    }];
    if staff.can(Role::Dsr) {
        nav.push(NavLink {
            href: "/console/requests",
            label: "Requests",
            current: false,
        });
    }
    if staff.can(Role::ReadPii) {
        nav.push(NavLink {
            href: "/console/subjects",
            label: "Subjects",
            current: false,
        });
    }
    if staff.can(Role::Cases) {
        nav.push(NavLink {
            href: "/console/cases",
            label: "Incidents & complaints",
            current: false,
        });
        nav.push(NavLink {
            href: "/console/legal",
            label: "Legal requests",
            current: false,
        });
    }
    if staff.can(Role::Admin) {
        nav.push(NavLink {
            href: "/console/audit",
            label: "Audit log",
            current: false,
        });
    }
    nav.push(NavLink {
        href: "/console/data-map",
        label: "Data map",
        current: false,
    });
    nav.push(NavLink {
        href: "/console/policy",
        label: "Policy",
        current: false,
    });
    Ok(Chrome {
        title: title.to_string(),
        area: "console",
        brand: "Privacy Console",
        home: "/console",
        nav,
        sign_out: Some("/console/sign-out"),
        signed_in_as: Some(format!("Key {}", staff.key.name.as_str())),
        csrf: staff.csrf()?,
        flash: None,
    }
    .with_current(current))
}

/// `2024-03-04 17:00 UTC`.
pub(crate) fn when(t: Timestamp) -> String {
    t.strftime("%Y-%m-%d %H:%M UTC").to_string()
}

/// A deadline in the controller's time zone (DL-02: a date-only deadline ends at the end of
/// that day there): `2024-04-18 23:59 PDT`.
pub(crate) fn local(t: Timestamp, tz: &jiff::tz::TimeZone) -> String {
    t.to_zoned_datetime(tz.clone())
        .strftime("%Y-%m-%d %H:%M %Z")
        .to_string()
}

/// `2024-03-04`.
pub(crate) fn day(t: Timestamp) -> String {
    t.strftime("%Y-%m-%d").to_string()
}

/// `opt_out` → `opt out`.
pub(crate) fn words(s: &str) -> String {
    s.replace('_', " ")
}

pub(crate) fn requests(st: &AppState) -> Result<&Arc<Requests>, WebError> {
    st.requests().ok_or(WebError::Unavailable)
}

// ---------------------------------------------------------------- sign-in

#[derive(Template)]
#[template(path = "console/sign_in.html")]
struct SignInPage {
    chrome: Chrome,
    error: Option<String>,
    signed_out: bool,
    next: String,
}

#[derive(Debug, Deserialize)]
struct SignedOutQuery {
    #[serde(default)]
    signed_out: Option<String>,
    #[serde(default)]
    next: Option<String>,
}

fn next_of(raw: Option<&str>) -> String {
    raw.and_then(session::safe_next)
        .unwrap_or("/console")
        .to_string()
}

fn sign_in_chrome(web: &Web, browser: &Browser) -> Result<Chrome, WebError> {
    Ok(Chrome {
        title: "Sign in".into(),
        area: "console",
        brand: "Privacy Console",
        home: "/console",
        nav: Vec::new(),
        sign_out: None,
        signed_in_as: None,
        csrf: web.keys.csrf_token(browser)?,
        flash: None,
    })
}

async fn sign_in_page(
    Extension(web): Extension<Arc<Web>>,
    browser: Browser,
    Query(q): Query<SignedOutQuery>,
) -> Result<Response, WebError> {
    Ok(page(&SignInPage {
        chrome: sign_in_chrome(&web, &browser)?,
        error: None,
        signed_out: q.signed_out.is_some(),
        next: next_of(q.next.as_deref()),
    }))
}

#[derive(Debug, Deserialize)]
struct SignInForm {
    #[serde(default)]
    key: String,
    #[serde(default)]
    next: Option<String>,
}

async fn sign_in(
    State(st): State<AppState>,
    Extension(web): Extension<Arc<Web>>,
    Extension(sessions): Extension<Arc<Sessions>>,
    browser: Browser,
    headers: HeaderMap,
    CsrfForm(form): CsrfForm<SignInForm>,
) -> Result<Response, WebError> {
    let next = next_of(form.next.as_deref());
    let again = |status: StatusCode, msg: String| -> Result<Response, WebError> {
        Ok(page_with_status(
            status,
            &SignInPage {
                chrome: sign_in_chrome(&web, &browser)?,
                error: Some(msg),
                signed_out: false,
                next: next.clone(),
            },
        ))
    };
    let key = form.key.trim();
    if key.is_empty() {
        return again(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Enter the API key you were given (it starts with `stw_`).".into(),
        );
    }
    let record = match session::check_key(&st, key).await {
        Ok(r) => r,
        Err(WebError::Forbidden(m)) => return again(StatusCode::FORBIDDEN, m),
        Err(e) => return Err(e),
    };
    // A new session for every sign-in; one this browser held before ends (no fixation).
    if let Some(old) = session::presented(&headers) {
        let caller = steward_core::Caller::Service(record.name.as_str().to_string());
        sessions.end(&st, &caller, old).await;
    }
    let token = sessions.start(&st, record.id, &browser).await?;
    tracing::info!(key = record.name.as_str(), "console sign-in");
    let mut res = see_other(&next);
    if let Some(v) = session::session_cookie(&web, &token) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(res)
}

#[derive(Debug, Deserialize)]
struct Empty {}

async fn sign_out(
    State(st): State<AppState>,
    Extension(web): Extension<Arc<Web>>,
    Extension(sessions): Extension<Arc<Sessions>>,
    headers: HeaderMap,
    CsrfForm(_): CsrfForm<Empty>,
) -> Response {
    if let Some(t) = session::presented(&headers) {
        sessions
            .end(
                &st,
                &steward_core::Caller::Service("console".to_string()),
                t,
            )
            .await;
    }
    let mut res = see_other("/console/sign-in?signed_out=1");
    session::clear_cookie(&web, &mut res);
    res
}

fn see_other(to: &str) -> Response {
    let mut res = StatusCode::SEE_OTHER.into_response();
    if let Ok(v) = HeaderValue::from_str(to) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    res
}

// ---------------------------------------------------------------- dashboard

/// One row of a chart's table.
struct WeekRow {
    week: String,
    received: Vec<u64>,
    total: u64,
    closed: u64,
    median: String,
    opt_out: String,
}

#[derive(Template)]
#[template(path = "console/dashboard.html")]
struct DashboardPage {
    chrome: Chrome,
    has_requests: bool,
    open: u64,
    overdue: u64,
    at_risk: u64,
    dead_letters: u64,
    unconfirmed: u64,
    pending_messages: u64,
    alerts: Vec<AlertRow>,
    more_alerts: usize,
    can_dsr: bool,
    weeks: usize,
    kinds: Vec<String>,
    rows: Vec<WeekRow>,
    chart_requests: String,
    chart_median: String,
    chart_opt_out: String,
    chart_decisions: String,
    decisions: Vec<(String, &'static str, u64)>,
    truncated: bool,
}

struct AlertRow {
    kind: String,
    request: String,
    recipient: String,
    since: String,
    overdue: bool,
}

const WEEKS: u32 = 12;

/// How long the dashboard's figures and alerts are reused: the figures read up to 30 000 rows
/// (requests and two kinds of audit entries in the window), the alerts every open request;
/// a chart a few seconds old is as useful. The counts above them stay live.
const FIGURES_TTL: std::time::Duration = std::time::Duration::from_secs(15);

/// What the dashboard reuses.
type Figures = (ConsoleFigures, Vec<steward_requests::Alert>);

/// The dashboard's figures and alerts in this process, with when they were computed.
#[derive(Debug, Default)]
pub struct FiguresCache(std::sync::Mutex<Option<(std::time::Instant, Arc<Figures>)>>);

impl FiguresCache {
    /// The figures and alerts, computed again when older than [`FIGURES_TTL`].
    async fn get(&self, reqs: &Requests) -> Result<Arc<Figures>, CoreError> {
        if let Ok(g) = self.0.lock()
            && let Some((at, f)) = g.as_ref()
            && at.elapsed() < FIGURES_TTL
        {
            return Ok(f.clone());
        }
        let f = Arc::new((reqs.console_figures(WEEKS).await?, reqs.alerts().await?));
        #[expect(
            clippy::disallowed_methods,
            reason = "a cache entry's age is monotonic time, not the service's clock"
        )]
        let at = std::time::Instant::now();
        if let Ok(mut g) = self.0.lock() {
            *g = Some((at, f.clone()));
        }
        Ok(f)
    }
}

async fn dashboard(
    State(st): State<AppState>,
    Extension(cache): Extension<Arc<FiguresCache>>,
    staff: Staff,
) -> Result<Response, WebError> {
    staff.require(Role::Staff)?;
    let chrome = chrome(&staff, "Dashboard", "/console")?;
    let Some(reqs) = st.requests() else {
        return Ok(page(&DashboardPage {
            chrome,
            has_requests: false,
            open: 0,
            overdue: 0,
            at_risk: 0,
            dead_letters: 0,
            unconfirmed: 0,
            pending_messages: 0,
            alerts: Vec::new(),
            more_alerts: 0,
            can_dsr: false,
            weeks: 0,
            kinds: Vec::new(),
            rows: Vec::new(),
            chart_requests: String::new(),
            chart_median: String::new(),
            chart_opt_out: String::new(),
            chart_decisions: String::new(),
            decisions: Vec::new(),
            truncated: false,
        }));
    };
    let m = reqs.metrics().await?;
    let cached = cache.get(reqs).await?;
    let (f, alerts) = (&cached.0, &cached.1);
    let mut alerts = alerts.clone();
    alerts.sort_by(|a, b| {
        (a.kind != "OVERDUE")
            .cmp(&(b.kind != "OVERDUE"))
            .then(a.since.cmp(&b.since))
    });
    let more_alerts = alerts.len().saturating_sub(10);
    let alerts = alerts
        .into_iter()
        .take(10)
        .map(|a| AlertRow {
            overdue: a.kind == "OVERDUE",
            kind: words(&a.kind.to_ascii_lowercase()),
            request: a.request.map(|r| r.to_string()).unwrap_or_default(),
            recipient: a.recipient.unwrap_or_default(),
            since: when(a.since),
        })
        .collect();
    let kinds = charts::kinds(&f.weeks);
    let median: Vec<Option<f64>> = f.weeks.iter().map(|w| w.median_days_to_close).collect();
    let opt_rate: Vec<Option<f64>> = f
        .weeks
        .iter()
        .map(|w| {
            (w.sale_share_choices > 0)
                .then(|| w.opt_outs as f64 * 100.0 / w.sale_share_choices as f64)
        })
        .collect();
    let rows = f
        .weeks
        .iter()
        .map(|w| WeekRow {
            week: w.start.to_string(),
            received: kinds
                .iter()
                .map(|k| w.received.get(k).copied().unwrap_or(0))
                .collect(),
            total: w.received.values().sum(),
            closed: w.closed,
            median: w
                .median_days_to_close
                .map_or_else(|| "—".to_string(), |d| format!("{d:.1} days")),
            opt_out: if w.sale_share_choices == 0 {
                "—".to_string()
            } else {
                format!(
                    "{:.0}% ({} of {})",
                    w.opt_outs as f64 * 100.0 / w.sale_share_choices as f64,
                    w.opt_outs,
                    w.sale_share_choices
                )
            },
        })
        .collect();
    Ok(page(&DashboardPage {
        chrome,
        has_requests: true,
        open: m.open,
        overdue: m.overdue,
        at_risk: m.at_risk,
        dead_letters: m.dead_letters,
        unconfirmed: m.unconfirmed_overdue,
        pending_messages: m.pending_messages,
        alerts,
        more_alerts,
        can_dsr: staff.can(Role::Dsr),
        weeks: f.weeks.len(),
        chart_requests: charts::requests_per_week(&f.weeks),
        chart_median: charts::weekly_line(
            "chart-median",
            "Median days from receipt to closing, by week closed",
            &f.weeks,
            &median,
            " d",
        ),
        chart_opt_out: charts::weekly_line(
            "chart-optout",
            "Opt-out rate of sale and sharing choices, by week",
            &f.weeks,
            &opt_rate,
            "%",
        ),
        chart_decisions: charts::decisions_by_reason(&f.decisions_by_reason),
        decisions: f
            .decisions_by_reason
            .iter()
            .map(|(r, a, n)| (r.clone(), if *a { "allow" } else { "deny" }, *n))
            .collect(),
        kinds: kinds.iter().map(|k| words(k)).collect(),
        rows,
        truncated: f.truncated,
    }))
}

// ---------------------------------------------------------------- the queue

/// A queue line as shown.
pub(crate) struct QueueRow {
    pub id: String,
    pub short: String,
    pub kind: String,
    pub state: String,
    pub requester: String,
    pub channel: String,
    pub received: String,
    pub due: String,
    pub days: String,
    pub class: &'static str,
    pub may_deny_unverified: bool,
}

/// `3 days left`, `due today`, `overdue by 2 days`, `closed`.
pub(crate) fn days_text(r: &RequestListItem) -> String {
    let plural = |n: i64| if n == 1 { "" } else { "s" };
    match r.status.as_str() {
        "CLOSED" => "closed".to_string(),
        "OVERDUE" => {
            let n = (-r.days_left).max(1);
            format!("overdue by {n} day{}", plural(n))
        }
        _ if r.days_left == 0 => "due today".to_string(),
        _ => format!("{} day{} left", r.days_left, plural(r.days_left)),
    }
}

pub(crate) fn queue_row(r: &RequestListItem, tz: &jiff::tz::TimeZone) -> QueueRow {
    let id = r.id.to_string();
    QueueRow {
        short: id
            .chars()
            .rev()
            .take(8)
            .collect::<String>()
            .chars()
            .rev()
            .collect(),
        id,
        kind: words(&r.kind),
        state: words(&r.state),
        requester: words(&r.requester),
        channel: words(&r.channel),
        received: day(r.received_at),
        due: local(r.due, tz),
        days: days_text(r),
        class: match r.status.as_str() {
            "OVERDUE" => "overdue",
            "AT_RISK" => "at-risk",
            "CLOSED" => "closed",
            _ => "on-track",
        },
        may_deny_unverified: r.may_deny_unverified,
    }
}

#[derive(Template)]
#[template(path = "console/queue.html")]
struct QueuePage {
    chrome: Chrome,
    rows: Vec<QueueRow>,
    include_closed: bool,
    overdue: usize,
    more: bool,
}

#[derive(Debug, Deserialize)]
struct QueueQuery {
    #[serde(default)]
    closed: Option<String>,
}

const QUEUE_PAGE: u32 = 500;

async fn queue(
    State(st): State<AppState>,
    staff: Staff,
    Query(q): Query<QueueQuery>,
) -> Result<Response, WebError> {
    staff.require(Role::Dsr)?;
    let reqs = requests(&st)?;
    let include_closed = q.closed.as_deref().is_some_and(|v| v == "1" || v == "on");
    let items = reqs
        .list(&ListQuery {
            include_closed,
            limit: Some(QUEUE_PAGE + 1),
            ..ListQuery::default()
        })
        .await?;
    let more = items.len() > QUEUE_PAGE as usize;
    let rows: Vec<QueueRow> = items
        .iter()
        .take(QUEUE_PAGE as usize)
        .map(|r| queue_row(r, reqs.config().calendar.time_zone()))
        .collect();
    Ok(page(&QueuePage {
        chrome: chrome(&staff, "Request queue", "/console/requests")?,
        overdue: rows.iter().filter(|r| r.class == "overdue").count(),
        rows,
        include_closed,
        more,
    }))
}

// ---------------------------------------------------------------- a request

struct ClockRow {
    regime: String,
    citation: String,
    ack_due: String,
    due: String,
    max_due: String,
}

struct StepRow {
    at: String,
    action: String,
    state: String,
    actor: String,
    detail: String,
}

struct RetainRow {
    category: String,
    exception: String,
    citations: String,
    until: String,
}

struct NotifyRow {
    recipient: String,
    class: String,
    action: String,
    categories: String,
    status: String,
}

struct SystemRow {
    system: String,
    status: String,
    detail: String,
    error: String,
}

struct ReceiptView {
    state: String,
    closed: String,
    systems: Vec<SystemRow>,
    retained: Vec<RetainRow>,
    notified: Vec<NotifyRow>,
    record_keeping: String,
    sha256: String,
}

struct PlanView {
    delete: usize,
    retain: Vec<RetainRow>,
    notify: Vec<NotifyRow>,
    datasets: Vec<String>,
    suppression_kept: bool,
}

/// Which action form an error belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Approve,
    Run,
    Extend,
    Deny,
}

#[derive(Template)]
#[template(path = "console/request.html")]
struct RequestPage {
    chrome: Chrome,
    row: QueueRow,
    clocks: Vec<ClockRow>,
    verification: Vec<(String, String)>,
    extension: String,
    failure: String,
    denial: String,
    plan: Option<PlanView>,
    receipt: Option<ReceiptView>,
    steps: Vec<StepRow>,
    messages: Vec<(String, String, String)>,
    can_approve: bool,
    can_run: bool,
    can_extend: bool,
    can_deny: bool,
    approve_error: String,
    run_error: String,
    extend_error: String,
    deny_error: String,
    subject: String,
    can_audit: bool,
    can_subject: bool,
    deny_reasons: Vec<(&'static str, &'static str)>,
    agent: Option<AgentRow>,
}

/// What an authorized agent filed (CCPA-23): the agent and the consumer's signed permission,
/// shown to staff who may read personal data (the read is audited); others see that an agent
/// filed it.
struct AgentRow {
    shown: bool,
    name: String,
    email: String,
    permission: String,
    sha256: String,
    recorded: String,
}

const DENY_REASONS: [(&str, &str); 7] = [
    (
        "cannot_identify",
        "We cannot identify the person (GDPR Art. 11(2), 12(2))",
    ),
    ("unverified", "Still unverified at its deadline (CCPA)"),
    ("manifestly_unfounded", "Manifestly unfounded (justify)"),
    ("excessive", "Excessive or repetitive (justify)"),
    (
        "repeat_know_request",
        "Third know request in 12 months (CCPA §1798.130(b))",
    ),
    ("fraudulent", "Good-faith belief of fraud (justify)"),
    ("other", "Another reason (not for GDPR requests)"),
];

/// A typed view as JSON, for the generic renderers below.
fn to_json<T: serde::Serialize>(t: &T) -> serde_json::Value {
    serde_json::to_value(t).unwrap_or_default()
}

fn json_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => String::new(),
        serde_json::Value::Bool(b) => if *b { "yes" } else { "no" }.to_string(),
        serde_json::Value::String(s) => s.parse::<Timestamp>().map_or_else(|_| s.clone(), when),
        serde_json::Value::Object(m) if m.is_empty() => String::new(),
        serde_json::Value::Object(m) => m
            .iter()
            .filter(|(_, v)| !v.is_null())
            .map(|(k, v)| format!("{}: {}", words(k), json_text(v)))
            .collect::<Vec<_>>()
            .join("; "),
        serde_json::Value::Array(a) => a.iter().map(json_text).collect::<Vec<_>>().join(", "),
        other => other.to_string(),
    }
}

/// A step's detail for the trail: its plain fields; nested records (a whole receipt) are
/// summarized, not dumped (the receipt has its own section).
fn step_detail(v: &serde_json::Value) -> String {
    let serde_json::Value::Object(m) = v else {
        return json_text(v);
    };
    if m.get("format")
        .and_then(|f| f.as_str())
        .is_some_and(|f| f.starts_with("steward-receipt"))
    {
        let sha = m.get("sha256").and_then(|h| h.as_str()).unwrap_or("");
        return format!("receipt issued (SHA-256 {}…)", sha.get(..16).unwrap_or(sha));
    }
    let mut parts = Vec::new();
    for (k, v) in m {
        let text = match v {
            serde_json::Value::Null => continue,
            serde_json::Value::Array(a) if a.iter().any(|x| x.is_object()) => {
                format!("{} entr{}", a.len(), if a.len() == 1 { "y" } else { "ies" })
            }
            serde_json::Value::Object(o) if o.len() > 3 => "(see above)".to_string(),
            other => json_text(other),
        };
        if text.is_empty() || text.chars().count() > 120 {
            continue;
        }
        parts.push(format!("{}: {text}", words(k)));
    }
    parts.join("; ")
}

fn retain_rows(r: &[steward_requests::plan::Retained]) -> Vec<RetainRow> {
    r.iter()
        .map(|x| RetainRow {
            category: words(&x.category),
            exception: serde_json::to_value(x.exception)
                .ok()
                .and_then(|v| v.as_str().map(|s| words(&s.to_ascii_lowercase())))
                .unwrap_or_default(),
            citations: x.citations.join("; "),
            until: x.until.map(day).unwrap_or_default(),
        })
        .collect()
}

async fn render_request(
    st: &AppState,
    staff: &Staff,
    id: RequestId,
    flash: Option<String>,
    error: Option<(Action, String)>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let reqs = requests(st)?;
    let tz = reqs.config().calendar.time_zone();
    let v = reqs.show(id).await?;
    let receipt = match reqs.receipt(id).await {
        Ok(r) => Some(ReceiptView {
            state: words(&r.state),
            closed: r.closed_at.map(when).unwrap_or_default(),
            systems: r
                .systems
                .iter()
                .map(|s| SystemRow {
                    system: s.system.clone(),
                    status: words(&s.status),
                    detail: json_text(&to_json(&s.detail)),
                    error: s.error.clone().unwrap_or_default(),
                })
                .collect(),
            retained: retain_rows(&r.retained),
            notified: r
                .notified
                .iter()
                .map(|n| NotifyRow {
                    recipient: n.recipient.clone(),
                    class: String::new(),
                    action: words(&n.action),
                    categories: String::new(),
                    status: words(&n.status),
                })
                .collect(),
            record_keeping: r.record_keeping.clone(),
            sha256: r.sha256.clone(),
        }),
        Err(CoreError::Conflict { .. }) => None,
        Err(e) => return Err(e.into()),
    };
    let plan = v.plan.as_ref().map(|p| PlanView {
        delete: p.delete.len(),
        retain: retain_rows(&p.retain),
        notify: p
            .notify
            .iter()
            .map(|n| NotifyRow {
                recipient: n.recipient.clone(),
                class: words(&n.class),
                action: words(&n.action),
                categories: n.categories.join(", "),
                status: String::new(),
            })
            .collect(),
        datasets: p
            .datasets
            .iter()
            .map(|d| {
                format!(
                    "{}: {}",
                    d.connector,
                    d.tables
                        .iter()
                        .map(|(t, a)| format!("{t} ({a})"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })
            .collect(),
        suppression_kept: p.suppression_kept,
    });
    let s = &v.summary;
    let open = !matches!(s.status.as_str(), "CLOSED");
    let state = s.state.as_str();
    let verification = match to_json(&v.verification) {
        serde_json::Value::Object(m) => m
            .iter()
            .filter(|(_, v)| !v.is_null())
            .map(|(k, v)| (words(k), json_text(v)))
            .collect(),
        _ => Vec::new(),
    };
    let (mut approve_error, mut run_error, mut extend_error, mut deny_error) =
        (String::new(), String::new(), String::new(), String::new());
    if let Some((a, m)) = error {
        match a {
            Action::Approve => approve_error = m,
            Action::Run => run_error = m,
            Action::Extend => extend_error = m,
            Action::Deny => deny_error = m,
        }
    }
    let agent = if s.requester != "agent" {
        None
    } else if staff.can(Role::ReadPii) {
        reqs.agent_details(&staff.caller(), id)
            .await?
            .map(|a| AgentRow {
                shown: true,
                name: a.name.map(|x| x.expose().clone()).unwrap_or_default(),
                email: a.email.map(|x| x.expose().clone()).unwrap_or_default(),
                permission: a.permission.map(|x| x.expose().clone()).unwrap_or_default(),
                sha256: a.permission_sha256.unwrap_or_default(),
                recorded: a.permission_recorded_at.map(when).unwrap_or_default(),
            })
    } else {
        Some(AgentRow {
            shown: false,
            name: String::new(),
            email: String::new(),
            permission: String::new(),
            sha256: String::new(),
            recorded: String::new(),
        })
    };
    let mut chrome = chrome(staff, &format!("Request {}", s.id), "/console/requests")?;
    chrome.flash = flash;
    let t = RequestPage {
        agent,
        chrome,
        row: queue_row(s, tz),
        clocks: v
            .regimes
            .iter()
            .map(|c| ClockRow {
                regime: c.regime.clone(),
                citation: c.citation.clone(),
                ack_due: c.ack_due.map(|t| local(t, tz)).unwrap_or_default(),
                due: local(c.due, tz),
                max_due: local(c.max_due, tz),
            })
            .collect(),
        verification,
        extension: json_text(&to_json(&v.extension)),
        failure: json_text(&to_json(&v.failure)),
        denial: json_text(&to_json(&v.denial)),
        plan,
        receipt,
        steps: v
            .steps
            .iter()
            .map(|x| StepRow {
                at: when(x.at),
                action: words(&x.action),
                state: words(&x.state),
                actor: x.actor.clone(),
                detail: step_detail(&to_json(&x.detail)),
            })
            .collect(),
        messages: v
            .messages
            .iter()
            .map(|m| {
                (
                    words(&m.kind),
                    when(m.created_at),
                    if m.sent_at.is_none() {
                        "not sent yet".to_string()
                    } else {
                        "sent".to_string()
                    },
                )
            })
            .collect(),
        can_approve: state == "verified",
        can_run: matches!(state, "approved" | "failed"),
        can_extend: open && v.extension.is_none(),
        can_deny: open,
        approve_error,
        run_error,
        extend_error,
        deny_error,
        subject: s.subject.map(|x| x.to_string()).unwrap_or_default(),
        can_audit: staff.can(Role::Admin),
        can_subject: staff.can(Role::ReadPii),
        deny_reasons: DENY_REASONS.to_vec(),
    };
    Ok(page_with_status(status, &t))
}

#[derive(Debug, Deserialize)]
struct DoneQuery {
    #[serde(default)]
    done: Option<String>,
}

fn parse_request_id(raw: &str) -> Result<RequestId, WebError> {
    raw.parse::<RequestId>().map_err(|_| WebError::NotFound)
}

async fn request_detail(
    State(st): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, WebError> {
    staff.require(Role::Dsr)?;
    let id = parse_request_id(&id)?;
    // Only fixed messages: nothing from the query string reaches the page.
    let flash = match q.done.as_deref() {
        Some("approved") => Some("The request was approved.".to_string()),
        Some("ran") => Some("The request ran; its receipt is below.".to_string()),
        Some("failed") => {
            Some("The run stopped at a failing system; see below, then run it again.".to_string())
        }
        Some("extended") => Some("The deadline was extended and the notice queued.".to_string()),
        Some("denied") => Some("The request was denied and the notice queued.".to_string()),
        _ => None,
    };
    render_request(&st, &staff, id, flash, None, StatusCode::OK).await
}

/// The outcome of an action: back to the request with a message, or the page again with the
/// refusal next to the action's form.
async fn after(
    st: &AppState,
    staff: &Staff,
    id: RequestId,
    action: Action,
    r: Result<&'static str, CoreError>,
) -> Result<Response, WebError> {
    match r {
        Ok(done) => Ok(see_other(&format!("/console/requests/{id}?done={done}"))),
        Err(CoreError::Invalid { message, .. }) => {
            render_request(
                st,
                staff,
                id,
                None,
                Some((action, message)),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(CoreError::Conflict { message, .. }) => {
            render_request(
                st,
                staff,
                id,
                None,
                Some((action, message)),
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

async fn action_error(
    st: &AppState,
    staff: &Staff,
    id: RequestId,
    action: Action,
    msg: &str,
) -> Result<Response, WebError> {
    render_request(
        st,
        staff,
        id,
        None,
        Some((action, msg.to_string())),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

#[derive(Debug, Deserialize)]
struct ApproveForm {
    #[serde(default)]
    data_points: Option<String>,
    #[serde(default)]
    signed_declaration: Option<String>,
}

async fn approve(
    State(st): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    CsrfForm(f): CsrfForm<ApproveForm>,
) -> Result<Response, WebError> {
    staff.require(Role::Dsr)?;
    let id = parse_request_id(&id)?;
    let points = match f.data_points.as_deref().map(str::trim) {
        None | Some("") => 0,
        Some(p) => match p.parse::<u8>() {
            Ok(n) if n <= 10 => n,
            _ => {
                return action_error(
                    &st,
                    &staff,
                    id,
                    Action::Approve,
                    "Data points matched: give a whole number from 0 to 10.",
                )
                .await;
            }
        },
    };
    let r = requests(&st)?
        .approve(
            &staff.caller(),
            id,
            ApproveInput {
                data_points: points,
                signed_declaration: f.signed_declaration.is_some(),
            },
        )
        .await
        .map(|_| "approved");
    after(&st, &staff, id, Action::Approve, r).await
}

async fn run(
    State(st): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, WebError> {
    staff.require(Role::Dsr)?;
    let id = parse_request_id(&id)?;
    let r = requests(&st)?
        .run(&staff.caller(), id, &|_| {})
        .await
        .map(|o| {
            if o.failed_system.is_some() {
                "failed"
            } else {
                "ran"
            }
        });
    after(&st, &staff, id, Action::Run, r).await
}

#[derive(Debug, Deserialize)]
struct ExtendForm {
    #[serde(default)]
    reason: String,
    #[serde(default)]
    days: Option<String>,
}

async fn extend(
    State(st): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    CsrfForm(f): CsrfForm<ExtendForm>,
) -> Result<Response, WebError> {
    staff.require(Role::Dsr)?;
    let id = parse_request_id(&id)?;
    let reason = f.reason.trim();
    if reason.is_empty() {
        return action_error(
            &st,
            &staff,
            id,
            Action::Extend,
            "Give the reason for the extension: the person is told it.",
        )
        .await;
    }
    if reason.chars().count() > 500 {
        return action_error(
            &st,
            &staff,
            id,
            Action::Extend,
            "Keep the reason under 500 characters.",
        )
        .await;
    }
    let length = match f.days.as_deref().map(str::trim) {
        None | Some("") => ExtensionLength::Maximum,
        Some(d) => match d.parse::<u32>() {
            Ok(n) if (1..=90).contains(&n) => ExtensionLength::Days(n),
            _ => {
                return action_error(
                    &st,
                    &staff,
                    id,
                    Action::Extend,
                    "Days: a whole number from 1 to 90, or leave it empty for the longest the law allows.",
                )
                .await;
            }
        },
    };
    let r = requests(&st)?
        .extend(&staff.caller(), id, Some(reason), length)
        .await
        .map(|_| "extended");
    after(&st, &staff, id, Action::Extend, r).await
}

#[derive(Debug, Deserialize)]
struct DenyForm {
    #[serde(default)]
    reason: String,
    #[serde(default)]
    justification: String,
}

async fn deny(
    State(st): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    CsrfForm(f): CsrfForm<DenyForm>,
) -> Result<Response, WebError> {
    staff.require(Role::Dsr)?;
    let id = parse_request_id(&id)?;
    let Ok(reason) = f.reason.parse::<DenyReason>() else {
        return action_error(
            &st,
            &staff,
            id,
            Action::Deny,
            "Choose the reason for the denial.",
        )
        .await;
    };
    if f.justification.chars().count() > 2000 {
        return action_error(
            &st,
            &staff,
            id,
            Action::Deny,
            "Keep the justification under 2,000 characters.",
        )
        .await;
    }
    let r = requests(&st)?
        .deny(&staff.caller(), id, reason, Some(f.justification.as_str()))
        .await
        .map(|_| "denied");
    after(&st, &staff, id, Action::Deny, r).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(status: &str, days_left: i64) -> RequestListItem {
        let t: Timestamp = "2024-03-04T17:00:00Z".parse().unwrap();
        RequestListItem {
            id: RequestId::generate(),
            kind: "deletion".into(),
            state: "verified".into(),
            requester: "subject".into(),
            channel: "privacy_center".into(),
            subject: None,
            received_at: t,
            ack_due: None,
            due: t,
            max_due: t,
            status: status.into(),
            days_left,
            may_deny_unverified: false,
        }
    }

    #[test]
    fn dl_04_days_left_and_overdue_wording() {
        assert_eq!(days_text(&item("ON_TRACK", 12)), "12 days left");
        assert_eq!(days_text(&item("AT_RISK", 1)), "1 day left");
        assert_eq!(days_text(&item("AT_RISK", 0)), "due today");
        assert_eq!(days_text(&item("OVERDUE", -3)), "overdue by 3 days");
        assert_eq!(days_text(&item("OVERDUE", 0)), "overdue by 1 day");
        let tz = jiff::tz::TimeZone::get("America/Los_Angeles").unwrap();
        let row = queue_row(&item("OVERDUE", -3), &tz);
        assert_eq!(row.class, "overdue");
        assert_eq!(
            row.due, "2024-03-04 09:00 PST",
            "deadlines in the controller's zone"
        );
        assert_eq!(queue_row(&item("AT_RISK", 1), &tz).class, "at-risk");
    }

    #[test]
    fn stylesheet_etag_is_quoted_hex() {
        assert_eq!(STYLESHEET_ETAG.len(), 18);
        assert!(STYLESHEET_ETAG.starts_with('"') && STYLESHEET_ETAG.ends_with('"'));
    }
}
