//! The console page of the privacy team's case files, `/console/cases` (role `cases`):
//! incidents and breaches by their next notice due, each notice with its due time and
//! whether it is open, near due, overdue or sent (SEC-06, GDPR-30, GDPR-31, CCPA-35, NV-08); and
//! complaints by their first response due, with the recourse offered to an unresolved one
//! (CONTACT-03, CONTACT-04, DPF-05). Each incident and complaint links to its own page, where
//! the team works it ([`super::incident`], [`super::complaint`]).
//!
//! Also what the case pages share: the audit trail of a case file as rows, times typed in a
//! form, case ids in paths.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use jiff::Timestamp;
use steward_core::auditq::CaseTrail;
use steward_store::ids::CaseId;
use steward_store::model::audit::Actor;

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

/// The row class of a notice or first-response status: `overdue` (red), `at-risk` (amber),
/// `sent` (done), or none.
pub(super) fn class_of(status: &str) -> &'static str {
    match status {
        "overdue" => "overdue",
        "near_due" => "at-risk",
        "sent" | "answered" => "sent",
        _ => "",
    }
}

/// A case id from a path; anything else is a page that does not exist.
pub(super) fn parse_case_id(raw: &str) -> Result<CaseId, WebError> {
    raw.parse::<CaseId>().map_err(|_| WebError::NotFound)
}

/// An RFC 3339 time from the API's views, in the controller's time zone (empty when absent).
pub(super) fn local_str(t: Option<&str>, tz: &jiff::tz::TimeZone) -> String {
    t.and_then(|t| t.parse::<Timestamp>().ok())
        .map(|t| local(t, tz))
        .unwrap_or_default()
}

/// A time typed in a form: empty is `None` (now); an RFC 3339 time; or a date and time
/// (`2024-03-04T17:00`, as a `datetime-local` field sends it, or `2024-03-04 17:00`) in the
/// controller's time zone `tz`.
///
/// # Errors
/// The message shown next to the field.
pub(super) fn form_time(
    raw: Option<&str>,
    tz: &jiff::tz::TimeZone,
) -> Result<Option<Timestamp>, String> {
    let raw = raw.map(str::trim).unwrap_or_default();
    if raw.is_empty() {
        return Ok(None);
    }
    if let Ok(t) = raw.parse::<Timestamp>() {
        return Ok(Some(t));
    }
    let civil: jiff::civil::DateTime = raw.replacen(' ', "T", 1).parse().map_err(|_| {
        "Give the date and time like 2024-03-04 17:00, or leave it empty for now.".to_string()
    })?;
    civil
        .to_zoned_datetime(tz.clone())
        .map(|z| Some(z.timestamp()))
        .map_err(|_| "That time is out of range.".to_string())
}

/// An entry of a case file's audit trail, as shown.
pub(super) struct TrailRow {
    pub seq: u64,
    pub at: String,
    pub action: String,
    pub step: &'static str,
    pub actor: String,
    pub detail: String,
}

/// What an audit action of a case file means, in words.
fn step_of(action: &str) -> &'static str {
    match action {
        "incident.record" => "recorded",
        "incident.assess" => "assessed",
        "incident.notice_sent" => "notice marked sent",
        "incident.close" => "closed",
        "complaint.file" => "filed",
        "complaint.respond" => "first response recorded",
        "complaint.resolve" => "closed with its resolution",
        "complaint.escalate" => "escalated to the dispute-resolution provider",
        "legal_request.register" => "registered",
        "legal_request.review" => "reviewed",
        "legal_request.disclose" => "disclosure recorded",
        _ => "",
    }
}

/// The audit trail of a case file as rows (`tz`: the controller's time zone).
pub(super) fn trail_rows(trail: &CaseTrail, tz: &jiff::tz::TimeZone) -> Vec<TrailRow> {
    trail
        .entries
        .iter()
        .map(|en| {
            let e = &en.event;
            TrailRow {
                seq: en.seq.get(),
                at: local(e.at, tz),
                action: e.action.as_str().to_string(),
                step: step_of(e.action.as_str()),
                actor: match &e.actor {
                    Actor::Subject(s) => format!("subject {s}"),
                    Actor::Service(s) => format!("key {}", s.as_str()),
                    Actor::System => "system".into(),
                },
                detail: e
                    .attributes
                    .iter()
                    .map(|a| {
                        format!(
                            "{}: {}",
                            super::words(a.name.as_str()),
                            super::words(a.value.as_str())
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("; "),
            }
        })
        .collect()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sent_times_are_read_in_the_controllers_zone() {
        let tz = jiff::tz::TimeZone::get("America/Los_Angeles").unwrap();
        assert_eq!(form_time(Some(""), &tz), Ok(None));
        assert_eq!(form_time(None, &tz), Ok(None));
        assert_eq!(
            form_time(Some("2024-03-04T09:00"), &tz)
                .unwrap()
                .unwrap()
                .to_string(),
            "2024-03-04T17:00:00Z"
        );
        assert_eq!(
            form_time(Some("2024-03-04 09:00"), &tz)
                .unwrap()
                .unwrap()
                .to_string(),
            "2024-03-04T17:00:00Z"
        );
        assert_eq!(
            form_time(Some("2024-03-04T17:00:00Z"), &tz)
                .unwrap()
                .unwrap()
                .to_string(),
            "2024-03-04T17:00:00Z"
        );
        assert!(form_time(Some("yesterday"), &tz).is_err());
    }
}
