//! The register of legal requests in the console (role `cases`, the scope
//! `/v1/legal-requests` needs): `/console/legal` lists every subpoena, court order, warrant or
//! other request — instrument, authority, when received, legal basis, the review's outcome,
//! a gag order (the subjects may not be told: LEGALREQ-05), whether one subject is an EU data
//! subject (LEGALREQ-06), how many disclosures were made under it — newest first, and the
//! report per instrument for a period (LEGALREQ-04, `Steward::legal_report`).
//!
//! `/console/legal/{id}` shows one request: its scope (LEGALREQ-03), the subjects, the review
//! (reviewer and rationale, LEGALREQ-02), what was disclosed to whom and when, and its audit
//! trail; and, until reviewed, the review form. The reviewer is the signed-in key; the core
//! refuses a review by the key that registered the request (LEGALREQ-02), and the page says so.
//! Requests are registered, and disclosures made, through `/v1/legal-requests` or
//! `steward legal`, where each disclosure is decided against the stored record.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use steward_core::CoreError;
use steward_core::legal::{LegalRequest, ReviewDecision};
use steward_store::ids::CaseId;

use super::cases::{TrailRow, parse_case_id, trail_rows};
use super::incident::DoneQuery;
use super::records::time_filter;
use super::session::{Role, Staff};
use super::{chrome, local, see_other, words};
use crate::state::AppState;
use crate::web::layout::{Chrome, WebError, page_with_status};
use crate::web::security::CsrfForm;

/// The most legal requests the register shows (the newest).
const REGISTER_PAGE: usize = 500;
/// The most legal requests read for the register.
const REGISTER_READ: u32 = 10_000;

struct LegalRow {
    id: String,
    received: String,
    instrument: String,
    authority: String,
    basis: String,
    review: String,
    review_class: &'static str,
    gag_order: bool,
    eu_subject: bool,
    disclosures: usize,
}

struct ReportRow {
    instrument: String,
    requests: u64,
    disclosures: u64,
    eu_disclosures: u64,
}

#[derive(Template)]
#[template(path = "console/legal.html")]
struct RegisterPage {
    chrome: Chrome,
    rows: Vec<LegalRow>,
    more: usize,
    awaiting: usize,
    f_from: String,
    f_until: String,
    from_error: String,
    until_error: String,
    period: String,
    report: Vec<ReportRow>,
    totals: (u64, u64, u64),
}

#[derive(Debug, Default, Deserialize)]
pub(super) struct ReportQuery {
    #[serde(default)]
    from: String,
    #[serde(default)]
    until: String,
}

fn review_of(l: &LegalRequest) -> (String, &'static str) {
    match l.body.decision {
        None => ("awaiting review".into(), "at-risk"),
        Some(ReviewDecision::Approve) => (
            format!(
                "approved by {}",
                l.body.reviewer.as_deref().unwrap_or("someone")
            ),
            "",
        ),
        Some(ReviewDecision::Reject) => (
            format!(
                "rejected by {}",
                l.body.reviewer.as_deref().unwrap_or("someone")
            ),
            "closed",
        ),
    }
}

pub(super) async fn register(
    State(st): State<AppState>,
    staff: Staff,
    Query(q): Query<ReportQuery>,
) -> Result<Response, WebError> {
    staff.require(Role::Cases)?;
    let s = st.steward();
    let calendar = s.calendar();
    let tz = calendar.time_zone();
    let mut all = s.legal_requests(true, REGISTER_READ).await?;
    all.sort_by(|a, b| {
        b.body
            .received_at
            .cmp(&a.body.received_at)
            .then(b.case.id.cmp(&a.case.id))
    });
    let awaiting = all.iter().filter(|l| l.body.decision.is_none()).count();
    let more = all.len().saturating_sub(REGISTER_PAGE);
    let rows = all
        .iter()
        .take(REGISTER_PAGE)
        .map(|l| {
            let (review, review_class) = review_of(l);
            LegalRow {
                id: l.case.id.to_string(),
                received: local(l.body.received_at, tz),
                instrument: words(l.body.instrument.as_str()),
                authority: l.body.authority.clone(),
                basis: words(l.body.basis.as_str()),
                review,
                review_class,
                gag_order: l.body.gag_order,
                eu_subject: l.body.eu_subject,
                disclosures: l.body.disclosures.len(),
            }
        })
        .collect();
    let mut t = RegisterPage {
        chrome: chrome(&staff, "Legal requests", "/console/legal")?,
        rows,
        more,
        awaiting,
        f_from: q.from.trim().to_string(),
        f_until: q.until.trim().to_string(),
        from_error: String::new(),
        until_error: String::new(),
        period: String::new(),
        report: Vec::new(),
        totals: (0, 0, 0),
    };
    let from = time_filter(&q.from, false).unwrap_or_else(|e| {
        t.from_error = e;
        None
    });
    let until = time_filter(&q.until, true).unwrap_or_else(|e| {
        t.until_error = e;
        None
    });
    if !(t.from_error.is_empty() && t.until_error.is_empty()) {
        return Ok(page_with_status(StatusCode::UNPROCESSABLE_ENTITY, &t));
    }
    let r = s.legal_report(from, until).await?;
    t.period = match (r.from, r.until) {
        (None, None) => "since the register began".into(),
        (Some(f), None) => format!("from {}", super::when(f)),
        (None, Some(u)) => format!("before {}", super::when(u)),
        (Some(f), Some(u)) => format!("from {} to before {}", super::when(f), super::when(u)),
    };
    for (instrument, (requests, disclosures, eu)) in &r.by_instrument {
        t.totals.0 += requests;
        t.totals.1 += disclosures;
        t.totals.2 += eu;
        t.report.push(ReportRow {
            instrument: words(instrument),
            requests: *requests,
            disclosures: *disclosures,
            eu_disclosures: *eu,
        });
    }
    Ok(page_with_status(StatusCode::OK, &t))
}

struct DisclosureRow {
    at: String,
    subject: String,
    recipient: String,
    categories: String,
    notified: bool,
    decision: String,
}

#[derive(Template)]
#[template(path = "console/legal_request.html")]
struct LegalPage {
    chrome: Chrome,
    id: String,
    state: String,
    authority: String,
    instrument: String,
    basis: String,
    received: String,
    reference: String,
    scope: String,
    subjects: Vec<String>,
    can_subject: bool,
    eu_subject: bool,
    gag_order: bool,
    requested_by: String,
    reviewed: bool,
    review: String,
    review_class: &'static str,
    rationale: String,
    reviewed_at: String,
    disclosures: Vec<DisclosureRow>,
    can_review: bool,
    review_error: String,
    /// A refusal whose form is no longer shown (reviewed meanwhile).
    error: String,
    draft: ReviewForm,
    signed_in_as: String,
    trail: Vec<TrailRow>,
    trail_truncated: bool,
    can_audit: bool,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub(super) struct ReviewForm {
    #[serde(default)]
    decision: String,
    #[serde(default)]
    rationale: String,
}

async fn render(
    st: &AppState,
    staff: &Staff,
    id: CaseId,
    flash: Option<&'static str>,
    refusal: Option<(ReviewForm, String)>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let s = st.steward();
    let calendar = s.calendar();
    let tz = calendar.time_zone();
    let l = s.legal_request(id).await?;
    let trail = s.case_trail(&staff.caller(), &l.case).await?;
    let (review, review_class) = review_of(&l);
    let (draft, mut review_error) = refusal.unwrap_or_default();
    let can_review = l.body.decision.is_none() && l.case.closed_at.is_none();
    // A refusal is shown next to the form; when the form is gone, at the top.
    let error = if can_review {
        String::new()
    } else {
        std::mem::take(&mut review_error)
    };
    let b = &l.body;
    let mut chrome = chrome(staff, &format!("Legal request {id}"), "/console/legal")?;
    chrome.flash = flash.map(str::to_string);
    let t = LegalPage {
        chrome,
        id: l.case.id.to_string(),
        state: words(l.case.state.as_str()),
        authority: b.authority.clone(),
        instrument: words(b.instrument.as_str()),
        basis: words(b.basis.as_str()),
        received: local(b.received_at, tz),
        reference: b.reference.clone().unwrap_or_default(),
        scope: b
            .scope
            .iter()
            .map(|c| words(c))
            .collect::<Vec<_>>()
            .join(", "),
        subjects: b.subjects.iter().map(ToString::to_string).collect(),
        can_subject: staff.can(Role::ReadPii),
        eu_subject: b.eu_subject,
        gag_order: b.gag_order,
        requested_by: b.requested_by.clone(),
        reviewed: b.decision.is_some(),
        review,
        review_class,
        rationale: b.rationale.clone().unwrap_or_default(),
        reviewed_at: b.reviewed_at.map(|t| local(t, tz)).unwrap_or_default(),
        disclosures: b
            .disclosures
            .iter()
            .map(|d| DisclosureRow {
                at: local(d.at, tz),
                subject: d.subject.to_string(),
                recipient: d.recipient.clone(),
                categories: d
                    .categories
                    .iter()
                    .map(|c| words(c))
                    .collect::<Vec<_>>()
                    .join(", "),
                notified: d.subject_notified,
                decision: d.decision_id.clone(),
            })
            .collect(),
        can_review,
        review_error,
        error,
        draft,
        signed_in_as: format!("service:{}", staff.key.name.as_str()),
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
        Some("approved") => {
            Some("The review was recorded: disclosures within its scope may now be made under it.")
        }
        Some("rejected") => Some("The review was recorded: the request is rejected and closed."),
        _ => None,
    };
    render(&st, &staff, id, flash, None, StatusCode::OK).await
}

pub(super) async fn review(
    State(st): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    CsrfForm(f): CsrfForm<ReviewForm>,
) -> Result<Response, WebError> {
    staff.require(Role::Cases)?;
    let id = parse_case_id(&id)?;
    let decision = match f.decision.as_str() {
        "approve" => ReviewDecision::Approve,
        "reject" => ReviewDecision::Reject,
        _ => {
            let m = "Choose whether to approve or reject the request.".to_string();
            return render(
                &st,
                &staff,
                id,
                None,
                Some((f, m)),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let r = st
        .steward()
        .review_legal_request(&staff.caller(), id, decision, &f.rationale)
        .await;
    match r {
        Ok(_) => Ok(see_other(&format!(
            "/console/legal/{id}?done={}",
            match decision {
                ReviewDecision::Approve => "approved",
                ReviewDecision::Reject => "rejected",
            }
        ))),
        Err(CoreError::Invalid { message, .. }) => {
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            render(&st, &staff, id, None, Some((f, message)), status).await
        }
        Err(CoreError::Conflict { message, .. }) => {
            let status = StatusCode::CONFLICT;
            render(&st, &staff, id, None, Some((f, message)), status).await
        }
        Err(e) => Err(e.into()),
    }
}
