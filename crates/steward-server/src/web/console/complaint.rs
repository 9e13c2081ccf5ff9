//! A complaint's page, `/console/complaints/{id}` (role `cases`): where and when it arrived,
//! its first response due (45 days for an EU or Data Privacy Framework complaint: DPF-05) and
//! whether it is open, overdue or answered (CONTACT-04), the response, the resolution, and the
//! independent recourse offered, free of charge, to an unresolved one and its escalation
//! (CONTACT-03); and its audit trail.
//!
//! Forms: **respond** (a reference to the response, when), **resolve** (resolved or not),
//! **escalate** to the dispute-resolution provider. They go through the same use cases as
//! `/v1/complaints` — closing unresolved through the request workflow when it is attached, so
//! the recourse is also sent to a complainant who lodged the complaint themselves — each
//! audited in the key's name; a refusal shows the page again with the reason next to its form.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use steward_api::complaints::complaint_out;
use steward_core::CoreError;
use steward_core::complaints::Resolution;
use steward_store::ids::CaseId;

use super::cases::{TrailRow, class_of, form_time, local_str, parse_case_id, trail_rows};
use super::incident::{DoneQuery, Empty};
use super::session::{Role, Staff};
use super::{chrome, see_other, words};
use crate::state::AppState;
use crate::web::layout::{Chrome, WebError, page_with_status};
use crate::web::security::CsrfForm;

#[derive(Template)]
#[template(path = "console/complaint.html")]
struct ComplaintPage {
    chrome: Chrome,
    id: String,
    state: String,
    channel: String,
    received: String,
    jurisdiction: String,
    eu_or_dpf: bool,
    topic: String,
    reference: String,
    subject: String,
    can_subject: bool,
    lodged: bool,
    due: String,
    status: String,
    class: &'static str,
    responded: String,
    response: String,
    resolution: String,
    resolved: String,
    recourse: Option<(String, String)>,
    escalated: String,
    by: String,
    tz: String,
    can_respond: bool,
    can_resolve: bool,
    can_escalate: bool,
    respond_error: String,
    respond_draft: RespondForm,
    resolve_error: String,
    escalate_error: String,
    /// A refusal whose form is no longer shown (the complaint moved on meanwhile).
    error: String,
    trail: Vec<TrailRow>,
    trail_truncated: bool,
    can_audit: bool,
}

enum Refusal {
    Respond(RespondForm),
    Resolve,
    Escalate,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub(super) struct RespondForm {
    #[serde(default)]
    response: String,
    #[serde(default)]
    responded_at: String,
}

#[derive(Debug, Deserialize)]
pub(super) struct ResolveForm {
    #[serde(default)]
    resolution: String,
}

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
    let c = s.complaint(id).await?;
    let trail = s.case_trail(&staff.caller(), &c.case).await?;
    let v = complaint_out(&c, now);
    let (mut respond_error, mut respond_draft, mut resolve_error, mut escalate_error) = (
        String::new(),
        RespondForm::default(),
        String::new(),
        String::new(),
    );
    match refusal {
        Some((Refusal::Respond(d), m)) => {
            respond_error = m;
            respond_draft = d;
        }
        Some((Refusal::Resolve, m)) => resolve_error = m,
        Some((Refusal::Escalate, m)) => escalate_error = m,
        None => {}
    }
    let closed = c.case.closed_at.is_some();
    let can_respond = !closed && c.body.first_response_at.is_none();
    let can_resolve = !closed && c.body.first_response_at.is_some();
    let can_escalate =
        c.body.resolution == Some(Resolution::Unresolved) && c.body.escalated_at.is_none();
    // A refusal is shown next to its form; when that form is gone, at the top.
    let mut error = String::new();
    for (shown, e) in [
        (can_respond, &mut respond_error),
        (can_resolve, &mut resolve_error),
        (can_escalate, &mut escalate_error),
    ] {
        if !shown && error.is_empty() {
            error = std::mem::take(e);
        }
    }
    let mut chrome = chrome(staff, &format!("Complaint {id}"), "/console/cases")?;
    chrome.flash = flash.map(str::to_string);
    let t = ComplaintPage {
        chrome,
        id: v.id.clone(),
        state: words(&v.state),
        channel: serde_json::to_value(v.channel)
            .ok()
            .and_then(|x| x.as_str().map(words))
            .unwrap_or_default(),
        received: local_str(Some(&v.received_at), tz),
        jurisdiction: v.jurisdiction.clone().unwrap_or_default(),
        eu_or_dpf: v.eu_or_dpf,
        topic: words(&v.topic),
        reference: v.reference.clone().unwrap_or_default(),
        subject: v.subject_id.clone().unwrap_or_default(),
        can_subject: staff.can(Role::ReadPii),
        lodged: c.body.sealed.is_some(),
        due: local_str(Some(&v.first_response_due), tz),
        status: words(&v.response_status),
        class: class_of(&v.response_status),
        responded: local_str(v.first_response_at.as_deref(), tz),
        response: v.response.clone().unwrap_or_default(),
        resolution: c
            .body
            .resolution
            .map(|r| match r {
                Resolution::Resolved => "resolved",
                Resolution::Unresolved => "unresolved",
            })
            .unwrap_or_default()
            .to_string(),
        resolved: local_str(v.resolved_at.as_deref(), tz),
        recourse: v
            .recourse
            .as_ref()
            .map(|r| (r.provider.clone(), r.url.clone())),
        escalated: local_str(v.escalated_at.as_deref(), tz),
        by: v.by.clone(),
        tz: tz.iana_name().unwrap_or("UTC").to_string(),
        can_respond,
        can_resolve,
        can_escalate,
        respond_error,
        respond_draft,
        resolve_error,
        escalate_error,
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
        Some("responded") => Some("The first response was recorded."),
        Some("resolved") => Some("The complaint was closed with its resolution."),
        Some("escalated") => {
            Some("The escalation to the dispute-resolution provider was recorded.")
        }
        _ => None,
    };
    render(&st, &staff, id, flash, None, StatusCode::OK).await
}

async fn after(
    st: &AppState,
    staff: &Staff,
    id: CaseId,
    refusal: Refusal,
    r: Result<&'static str, CoreError>,
) -> Result<Response, WebError> {
    match r {
        Ok(done) => Ok(see_other(&format!("/console/complaints/{id}?done={done}"))),
        Err(CoreError::Invalid { message, .. }) => {
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            render(st, staff, id, None, Some((refusal, message)), status).await
        }
        Err(CoreError::Conflict { message, .. }) => {
            let status = StatusCode::CONFLICT;
            render(st, staff, id, None, Some((refusal, message)), status).await
        }
        Err(e) => Err(e.into()),
    }
}

pub(super) async fn respond(
    State(st): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    CsrfForm(f): CsrfForm<RespondForm>,
) -> Result<Response, WebError> {
    staff.require(Role::Cases)?;
    let id = parse_case_id(&id)?;
    let tz = st.steward().calendar().time_zone().clone();
    let at = match form_time(Some(&f.responded_at), &tz) {
        Ok(t) => t,
        Err(m) => {
            return render(
                &st,
                &staff,
                id,
                None,
                Some((Refusal::Respond(f), m)),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let r = st
        .steward()
        .respond_to_complaint(&staff.caller(), id, at, &f.response)
        .await
        .map(|_| "responded");
    after(&st, &staff, id, Refusal::Respond(f), r).await
}

pub(super) async fn resolve(
    State(st): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    CsrfForm(f): CsrfForm<ResolveForm>,
) -> Result<Response, WebError> {
    staff.require(Role::Cases)?;
    let id = parse_case_id(&id)?;
    let resolution = match f.resolution.as_str() {
        "resolved" => Resolution::Resolved,
        "unresolved" => Resolution::Unresolved,
        _ => {
            return render(
                &st,
                &staff,
                id,
                None,
                Some((
                    Refusal::Resolve,
                    "Say whether the complaint was resolved.".into(),
                )),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    // As `/v1/complaints/{id}/resolve`: with the workflow attached, the recourse offered on an
    // unresolved close is also sent to a complainant who lodged it with an address.
    let r = match st.requests() {
        Some(reqs) => {
            reqs.resolve_complaint(&staff.caller(), id, resolution)
                .await
        }
        None => {
            st.steward()
                .resolve_complaint(&staff.caller(), id, resolution)
                .await
        }
    }
    .map(|_| "resolved");
    after(&st, &staff, id, Refusal::Resolve, r).await
}

pub(super) async fn escalate(
    State(st): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, WebError> {
    staff.require(Role::Cases)?;
    let id = parse_case_id(&id)?;
    let r = st
        .steward()
        .escalate_complaint(&staff.caller(), id)
        .await
        .map(|_| "escalated");
    after(&st, &staff, id, Refusal::Escalate, r).await
}
