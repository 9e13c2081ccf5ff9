//! An incident's page, `/console/incidents/{id}` (role `cases`): what happened (discovery and
//! awareness, systems, categories, people affected per jurisdiction, encryption, whether we
//! hold the data as a processor), its assessment, every notice it owes with its due time and
//! status (open, near due, overdue, sent), what was sent when and why it was late (SEC-06,
//! GDPR-30, GDPR-31, CCPA-35, NV-08), and its audit trail.
//!
//! Forms: **assess** (a breach or not, the risk, a note), **mark a notice sent** (what, when,
//! why late), **close**. Each goes through the core's use case (`Steward::assess_incident`,
//! `mark_notice_sent`, `close_incident`), which audits it in the key's name; a refusal shows
//! the page again with the core's reason next to the form (422/409), a success redirects back
//! with a fixed confirmation (post/redirect/get).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use steward_api::incidents::incident_out;
use steward_core::CoreError;
use steward_core::incidents::{AssessmentInput, NoticeSent};
use steward_deadlines::BreachRisk;
use steward_store::ids::{CaseId, CaseTaskId};

use super::cases::{TrailRow, class_of, form_time, local_str, parse_case_id, trail_rows};
use super::session::{Role, Staff};
use super::{chrome, see_other, words};
use crate::state::AppState;
use crate::web::layout::{Chrome, WebError, page_with_status};
use crate::web::security::CsrfForm;

struct NoticeRow {
    id: String,
    to: String,
    requirement: String,
    citation: String,
    statutory: bool,
    due: String,
    status: String,
    class: &'static str,
    sent: bool,
    sent_at: String,
    sent_what: String,
    late: bool,
    delay_reason: String,
    reason_required: bool,
    /// The refusal of this notice's form, if that is what was just posted.
    error: String,
    /// What was typed in this notice's form, shown again with its error.
    draft: SentForm,
}

struct AssessmentView {
    breach: bool,
    risk: String,
    note: String,
    at: String,
    by: String,
    subject_exemption: String,
    authority_exemption: String,
}

#[derive(Template)]
#[template(path = "console/incident.html")]
struct IncidentPage {
    chrome: Chrome,
    id: String,
    summary: String,
    state: String,
    closed: String,
    discovered: String,
    aware: String,
    systems: String,
    categories: String,
    affected: Vec<(String, u64)>,
    total: u64,
    records: String,
    encrypted: bool,
    key_compromised: bool,
    processor: bool,
    assessment: Option<AssessmentView>,
    notices: Vec<NoticeRow>,
    open_notices: usize,
    tz: String,
    is_open: bool,
    can_assess: bool,
    can_close: bool,
    assess_error: String,
    assess_draft: AssessForm,
    close_error: String,
    /// A refusal whose form is no longer shown (the incident moved on meanwhile).
    error: String,
    trail: Vec<TrailRow>,
    trail_truncated: bool,
    can_audit: bool,
}

/// Which form a refusal belongs to, with what was typed in it.
enum Refusal {
    Assess(AssessForm),
    Sent(String, SentForm),
    Close,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub(super) struct AssessForm {
    #[serde(default)]
    breach: String,
    #[serde(default)]
    risk: String,
    #[serde(default)]
    note: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub(super) struct SentForm {
    #[serde(default)]
    what: String,
    #[serde(default)]
    sent_at: String,
    #[serde(default)]
    delay_reason: String,
}

#[derive(Debug, Deserialize)]
pub(super) struct DoneQuery {
    #[serde(default)]
    pub(super) done: Option<String>,
}

#[derive(Debug, Deserialize)]
pub(super) struct Empty {}

async fn render(
    st: &AppState,
    staff: &Staff,
    id: CaseId,
    flash: Option<&'static str>,
    refusal: Option<(Refusal, String)>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let s = st.steward();
    let now = s.clock().now();
    let calendar = s.calendar();
    let tz = calendar.time_zone();
    let inc = s.incident(id).await?;
    let trail = s.case_trail(&staff.caller(), &inc.case).await?;
    let v = incident_out(&inc, now);
    let (mut assess_error, mut assess_draft, mut close_error) =
        (String::new(), AssessForm::default(), String::new());
    let mut sent_refusal = None;
    match refusal {
        Some((Refusal::Assess(d), m)) => {
            assess_error = m;
            assess_draft = d;
        }
        Some((Refusal::Sent(n, d), m)) => sent_refusal = Some((n, d, m)),
        Some((Refusal::Close, m)) => close_error = m,
        None => {}
    }
    let notices: Vec<NoticeRow> = v
        .notices
        .iter()
        .map(|n| {
            let (error, draft) = match &sent_refusal {
                Some((nid, d, m)) if *nid == n.id => (m.clone(), d.clone()),
                _ => (String::new(), SentForm::default()),
            };
            let reason_required = inc
                .notices
                .iter()
                .find(|x| x.id.to_string() == n.id)
                .is_some_and(|x| x.body.delay_reason_required_when_late);
            NoticeRow {
                id: n.id.clone(),
                to: words(&n.to),
                requirement: n.requirement.clone(),
                citation: n.citation.clone(),
                statutory: n.statutory,
                due: local_str(n.due_at.as_deref(), tz),
                status: words(&n.status),
                class: class_of(&n.status),
                sent: n.sent_at.is_some(),
                sent_at: local_str(n.sent_at.as_deref(), tz),
                sent_what: n.sent_what.clone().unwrap_or_default(),
                late: n.late,
                delay_reason: n.delay_reason.clone().unwrap_or_default(),
                reason_required,
                error,
                draft,
            }
        })
        .collect();
    let open_notices = notices.iter().filter(|n| !n.sent).count();
    let closed = v.closed_at.is_some();
    let can_assess = !closed && inc.body.assessment.is_none();
    let can_close = !closed && inc.body.assessment.is_some();
    // A refusal is shown next to its form; when that form is gone, at the top.
    let mut error = String::new();
    if !can_assess {
        error = std::mem::take(&mut assess_error);
    }
    if !can_close && error.is_empty() {
        error = std::mem::take(&mut close_error);
    }
    if let Some((nid, _, m)) = sent_refusal
        && error.is_empty()
        && (closed || !notices.iter().any(|n| n.id == nid && !n.sent))
    {
        error = m;
    }
    let mut chrome = chrome(staff, &format!("Incident {id}"), "/console/cases")?;
    chrome.flash = flash.map(str::to_string);
    let t = IncidentPage {
        chrome,
        id: v.id.clone(),
        summary: v.summary.clone(),
        state: words(&v.state),
        closed: local_str(v.closed_at.as_deref(), tz),
        discovered: local_str(Some(&v.discovered_at), tz),
        aware: local_str(Some(&v.aware_at), tz),
        systems: v.systems.join(", "),
        categories: v
            .categories
            .iter()
            .map(|c| words(c))
            .collect::<Vec<_>>()
            .join(", "),
        affected: v.affected.iter().map(|(j, n)| (j.clone(), *n)).collect(),
        total: v.subjects_affected,
        records: v
            .records_affected
            .map(|r| r.to_string())
            .unwrap_or_default(),
        encrypted: v.encrypted,
        key_compromised: v.key_compromised,
        processor: v.processor,
        assessment: inc.body.assessment.as_ref().map(|a| AssessmentView {
            breach: a.breach,
            risk: a.risk.map(|r| r.as_str().to_string()).unwrap_or_default(),
            note: a.note.clone().unwrap_or_default(),
            at: super::local(a.at, tz),
            by: a.by.clone(),
            subject_exemption: a.subject_notice_exemption.clone().unwrap_or_default(),
            authority_exemption: a.authority_notice_exemption.clone().unwrap_or_default(),
        }),
        open_notices,
        notices,
        tz: tz.iana_name().unwrap_or("UTC").to_string(),
        is_open: !closed,
        can_assess,
        can_close,
        assess_error,
        assess_draft,
        close_error,
        error,
        trail: trail_rows(&trail, tz),
        trail_truncated: trail.truncated,
        can_audit: staff.can(Role::Admin),
    };
    Ok(page_with_status(status, &t))
}

pub(super) async fn detail(
    State(st): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, WebError> {
    staff.require(Role::Cases)?;
    let id = parse_case_id(&id)?;
    // Only fixed messages: nothing from the query string reaches the page.
    let flash = match q.done.as_deref() {
        Some("assessed") => {
            Some("The assessment was recorded; the notices it calls for are below.")
        }
        Some("sent") => Some("The notice was marked sent."),
        Some("closed") => Some("The incident was closed. Its record stays (GDPR Art. 33(5))."),
        _ => None,
    };
    render(&st, &staff, id, flash, None, StatusCode::OK).await
}

/// The outcome of an action: back to the incident with a confirmation, or the page again
/// with the core's refusal next to the form.
async fn after(
    st: &AppState,
    staff: &Staff,
    id: CaseId,
    refusal: Refusal,
    r: Result<&'static str, CoreError>,
) -> Result<Response, WebError> {
    match r {
        Ok(done) => Ok(see_other(&format!("/console/incidents/{id}?done={done}"))),
        Err(CoreError::Invalid { message, .. }) => {
            render(
                st,
                staff,
                id,
                None,
                Some((refusal, message)),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(CoreError::Conflict { message, .. }) => {
            render(
                st,
                staff,
                id,
                None,
                Some((refusal, message)),
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

async fn refuse(
    st: &AppState,
    staff: &Staff,
    id: CaseId,
    refusal: Refusal,
    msg: &str,
) -> Result<Response, WebError> {
    render(
        st,
        staff,
        id,
        None,
        Some((refusal, msg.to_string())),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

pub(super) async fn assess(
    State(st): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    CsrfForm(f): CsrfForm<AssessForm>,
) -> Result<Response, WebError> {
    staff.require(Role::Cases)?;
    let id = parse_case_id(&id)?;
    let breach = match f.breach.as_str() {
        "yes" => true,
        "no" => false,
        _ => {
            return refuse(
                &st,
                &staff,
                id,
                Refusal::Assess(f),
                "Say whether personal data was breached.",
            )
            .await;
        }
    };
    let risk = match f.risk.as_str() {
        "" => None,
        "unlikely" => Some(BreachRisk::Unlikely),
        "risk" => Some(BreachRisk::Risk),
        "high" => Some(BreachRisk::High),
        _ => {
            return refuse(&st, &staff, id, Refusal::Assess(f), "Choose the risk.").await;
        }
    };
    let note = Some(f.note.clone()).filter(|n| !n.trim().is_empty());
    let r = st
        .steward()
        .assess_incident(&staff.caller(), id, AssessmentInput { breach, risk, note })
        .await
        .map(|_| "assessed");
    after(&st, &staff, id, Refusal::Assess(f), r).await
}

pub(super) async fn sent(
    State(st): State<AppState>,
    staff: Staff,
    Path((id, notice)): Path<(String, String)>,
    CsrfForm(f): CsrfForm<SentForm>,
) -> Result<Response, WebError> {
    staff.require(Role::Cases)?;
    let id = parse_case_id(&id)?;
    let task = notice
        .parse::<CaseTaskId>()
        .map_err(|_| WebError::NotFound)?;
    let tz = st.steward().calendar().time_zone().clone();
    let refusal = || Refusal::Sent(task.to_string(), f.clone());
    let sent_at = match form_time(Some(&f.sent_at), &tz) {
        Ok(t) => t,
        Err(m) => return refuse(&st, &staff, id, refusal(), &m).await,
    };
    let r = st
        .steward()
        .mark_notice_sent(
            &staff.caller(),
            id,
            task,
            NoticeSent {
                sent_at,
                what: f.what.clone(),
                delay_reason: Some(f.delay_reason.clone()).filter(|r| !r.trim().is_empty()),
            },
        )
        .await
        .map(|_| "sent");
    after(&st, &staff, id, refusal(), r).await
}

pub(super) async fn close(
    State(st): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, WebError> {
    staff.require(Role::Cases)?;
    let id = parse_case_id(&id)?;
    let r = st
        .steward()
        .close_incident(&staff.caller(), id)
        .await
        .map(|_| "closed");
    after(&st, &staff, id, Refusal::Close, r).await
}
