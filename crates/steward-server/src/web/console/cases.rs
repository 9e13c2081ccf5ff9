//! The console page of the privacy team's case files, `/console/cases` (role `cases`):
//! incidents and breaches by their next notice due, each notice with its due time and
//! whether it is open, near due, overdue or sent (SEC-06, GDPR-30, GDPR-31, CCPA-35, NV-08); and
//! complaints by their first response due, with the recourse offered to an unresolved one
//! (CONTACT-03, CONTACT-04, DPF-05). Read-only: the team works them through `/v1/incidents`,
//! `/v1/complaints` and `steward incidents` / `steward complaints`.

use askama::Template;
use axum::extract::State;
use axum::response::Response;

use super::session::{Role, Staff};
use super::{chrome, local};
use crate::state::AppState;
use crate::web::layout::{Chrome, WebError, page};

struct NoticeRow {
    to: String,
    due: String,
    status: String,
    class: &'static str,
    requirement: String,
}

struct IncidentRow {
    id: String,
    summary: String,
    state: String,
    discovered: String,
    affected: u64,
    next_due: String,
    class: &'static str,
    notices: Vec<NoticeRow>,
}

struct ComplaintRow {
    id: String,
    topic: String,
    channel: String,
    received: String,
    due: String,
    status: String,
    class: &'static str,
    state: String,
    recourse: String,
}

#[derive(Template)]
#[template(path = "console/cases.html")]
struct CasesPage {
    chrome: Chrome,
    incidents: Vec<IncidentRow>,
    complaints: Vec<ComplaintRow>,
    overdue_notices: usize,
}

fn class_of(status: &str) -> &'static str {
    match status {
        "overdue" => "overdue",
        "near_due" => "at-risk",
        _ => "",
    }
}

pub(super) async fn cases(State(st): State<AppState>, staff: Staff) -> Result<Response, WebError> {
    staff.require(Role::Cases)?;
    let s = st.steward();
    let now = s.clock().now();
    let tz = s.calendar().time_zone().clone();
    let incidents: Vec<IncidentRow> = s
        .incidents(false, 200)
        .await?
        .iter()
        .map(|i| steward_api::incidents::incident_out(i, now))
        .map(|i| {
            let notices: Vec<NoticeRow> = i
                .notices
                .iter()
                .map(|n| NoticeRow {
                    to: n.to.replace('_', " "),
                    due: n
                        .due_at
                        .as_deref()
                        .and_then(|d| d.parse().ok())
                        .map(|d| local(d, &tz))
                        .unwrap_or_default(),
                    status: n.status.replace('_', " "),
                    class: class_of(&n.status),
                    requirement: n.requirement.clone(),
                })
                .collect();
            let class = if notices.iter().any(|n| n.class == "overdue") {
                "overdue"
            } else if notices.iter().any(|n| n.class == "at-risk") {
                "at-risk"
            } else {
                ""
            };
            IncidentRow {
                id: i.id.clone(),
                summary: i.summary.clone(),
                state: i.state.replace('_', " "),
                discovered: i
                    .discovered_at
                    .parse()
                    .map(|d| local(d, &tz))
                    .unwrap_or_default(),
                affected: i.subjects_affected,
                next_due: i
                    .next_due_at
                    .as_deref()
                    .and_then(|d| d.parse().ok())
                    .map(|d| local(d, &tz))
                    .unwrap_or_else(|| "—".into()),
                class,
                notices,
            }
        })
        .collect();
    let overdue_notices = incidents
        .iter()
        .flat_map(|i| &i.notices)
        .filter(|n| n.class == "overdue")
        .count();
    let complaints = s
        .complaints(false, 200)
        .await?
        .iter()
        .map(|c| steward_api::complaints::complaint_out(c, now))
        .map(|c| ComplaintRow {
            id: c.id.clone(),
            topic: c.topic.replace('_', " "),
            channel: serde_json::to_value(c.channel)
                .ok()
                .and_then(|v| v.as_str().map(|s| s.replace('_', " ")))
                .unwrap_or_default(),
            received: c
                .received_at
                .parse()
                .map(|d| local(d, &tz))
                .unwrap_or_default(),
            due: c
                .first_response_due
                .parse()
                .map(|d| local(d, &tz))
                .unwrap_or_default(),
            class: class_of(&c.response_status),
            status: c.response_status.replace('_', " "),
            state: c.state.clone(),
            recourse: c
                .recourse
                .as_ref()
                .map(|r| format!("{} (free of charge)", r.provider))
                .unwrap_or_default(),
        })
        .collect();
    Ok(page(&CasesPage {
        chrome: chrome(&staff, "Incidents and complaints", "/console/cases")?,
        incidents,
        complaints,
        overdue_notices,
    }))
}
