//! The public complaint page of the privacy center (`/privacy/complaint`): anyone, with or
//! without an account, lodges a complaint about the company's privacy practices (CONTACT-01,
//! CONTACT-04, DPF-05).
//!
//! - `GET /privacy/complaint`: the form — the e-mail address to answer, an optional name,
//!   where the person lives (an EU or UK complaint, or one raised under the EU-U.S. Data
//!   Privacy Framework, is owed a first response within 45 days: DPF-05; the same 45 days
//!   are the policy's target for every complaint), and the complaint itself.
//! - `POST /privacy/complaint` (CSRF): files it through the workflow
//!   (`Requests::lodge_complaint`, channel `privacy_center`): the words, the address and the
//!   name are sealed under the complaint's own key, the acknowledgement (the reference and the
//!   date the first response is due) goes through the outbox. A signed-in person's complaint
//!   is linked to their subject. SECURITY (no account enumeration): the address is never
//!   looked up, so the answer page, the e-mail and the time taken are the same for a customer
//!   and a stranger. Limited per client address like the request page and the public
//!   `POST /v1/requests` (one shared budget), since every complaint sends mail.

use std::sync::Arc;

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::get;
use axum::{Extension, Router};
use serde::Deserialize;
use steward_core::CoreError;
use steward_core::complaints::ComplaintChannel;
use steward_errors::ErrorCode;
use steward_requests::LodgeComplaint;
use steward_requests::complaints::{MAX_COMPLAINT_NAME, MAX_COMPLAINT_TEXT};
use steward_vault::Sensitive;

use crate::AppState;
use crate::api::requests::ClientAddr;
use crate::web::Web;
use crate::web::center::{self, Visitor};
use crate::web::layout::{self, Chrome, WebError};
use crate::web::security::{Browser, CsrfForm};

/// Where the person lives: `(jurisdiction, label)`; the empty value declares nothing.
const RESIDENCES: [(&str, &str); 10] = [
    ("", "Elsewhere, or I prefer not to say"),
    ("US-CA", "California"),
    ("US", "Another US state"),
    ("GB", "United Kingdom"),
    ("DE", "Germany"),
    ("FR", "France"),
    ("IE", "Ireland"),
    ("NL", "Netherlands"),
    ("ES", "Spain"),
    ("IT", "Italy"),
];

/// The form as posted (every field a string, validated here so messages sit by their field).
#[derive(Debug, Deserialize, Default, Clone)]
struct ComplaintForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    residence: String,
    #[serde(default)]
    dpf: Option<String>,
    #[serde(default)]
    text: String,
}

/// A message per field.
#[derive(Debug, Default)]
struct FieldErrors {
    email: Option<String>,
    name: Option<String>,
    residence: Option<String>,
    text: Option<String>,
}

impl FieldErrors {
    fn any(&self) -> bool {
        self.email.is_some()
            || self.name.is_some()
            || self.residence.is_some()
            || self.text.is_some()
    }

    fn summary(&self) -> Vec<(&'static str, String)> {
        [
            ("email", &self.email),
            ("name", &self.name),
            ("residence", &self.residence),
            ("text", &self.text),
        ]
        .into_iter()
        .filter_map(|(id, e)| e.clone().map(|m| (id, m)))
        .collect()
    }
}

#[derive(Template)]
#[template(path = "center/complaint_form.html")]
struct ComplaintFormPage {
    chrome: Chrome,
    signed_in: bool,
    email: String,
    name: String,
    residences: Vec<(String, String, bool)>,
    dpf: bool,
    text: String,
    errors: FieldErrors,
    summary: Vec<(&'static str, String)>,
}

#[derive(Template)]
#[template(path = "center/complaint_received.html")]
struct ReceivedPage {
    chrome: Chrome,
    reference: String,
    received: String,
    due: String,
}

const TITLE: &str = "Make a complaint";
const PATH: &str = "/privacy/complaint";

fn form_page(
    web: &Web,
    v: &Visitor,
    f: &ComplaintForm,
    errors: FieldErrors,
) -> Result<Response, WebError> {
    let invalid = errors.any();
    let chosen = if f.residence.is_empty() && !invalid {
        v.region.map(|j| j.to_string()).unwrap_or_default()
    } else {
        f.residence.clone()
    };
    let mut residences: Vec<(String, String, bool)> = RESIDENCES
        .iter()
        .map(|(j, l)| ((*j).to_string(), (*l).to_string(), *j == chosen))
        .collect();
    if !chosen.is_empty()
        && !residences.iter().any(|r| r.2)
        && chosen.parse::<steward_policy::Jurisdiction>().is_ok()
    {
        residences.push((
            chosen.clone(),
            format!("Where you are now ({chosen})"),
            true,
        ));
    }
    let page = ComplaintFormPage {
        chrome: center::chrome(web, v, TITLE, PATH)?,
        signed_in: v.subject.is_some(),
        email: f.email.chars().take(254).collect(),
        name: f.name.chars().take(MAX_COMPLAINT_NAME).collect(),
        residences,
        dpf: f.dpf.is_some(),
        text: f.text.chars().take(MAX_COMPLAINT_TEXT).collect(),
        summary: errors.summary(),
        errors,
    };
    Ok(if invalid {
        layout::page_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
    } else {
        layout::page(&page)
    })
}

async fn complaint_form(
    State(st): State<AppState>,
    Extension(web): Extension<Arc<Web>>,
    browser: Browser,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let v = center::visitor(&web, &st, &headers, browser).await;
    center::honour_gpc(st.steward(), &v).await?;
    form_page(&web, &v, &ComplaintForm::default(), FieldErrors::default())
}

/// What the form asks for, checked: the input of the workflow, or the messages by field.
fn validate(v: &Visitor, f: &ComplaintForm) -> Result<LodgeComplaint, Box<FieldErrors>> {
    let mut e = FieldErrors {
        email: center::email_error(&f.email).map(str::to_string),
        ..FieldErrors::default()
    };
    let name = f.name.trim();
    if name.chars().count() > MAX_COMPLAINT_NAME {
        e.name = Some("The name is too long (200 characters at most).".into());
    }
    let residence = f.residence.trim();
    if !residence.is_empty() && residence.parse::<steward_policy::Jurisdiction>().is_err() {
        e.residence = Some("Choose where you live from the list.".into());
    }
    let text = f.text.trim();
    if text.is_empty() {
        e.text = Some("Tell us what your complaint is about.".into());
    } else if text.chars().count() > MAX_COMPLAINT_TEXT {
        e.text = Some("The complaint is too long (10 000 characters at most).".into());
    }
    if e.any() {
        return Err(Box::new(e));
    }
    Ok(LodgeComplaint {
        channel: ComplaintChannel::PrivacyCenter,
        subject: v.subject,
        email: Sensitive::new(f.email.trim().to_string()),
        name: (!name.is_empty()).then(|| Sensitive::new(name.to_string())),
        jurisdiction: (!residence.is_empty()).then(|| residence.to_string()),
        dpf: f.dpf.is_some(),
        text: Sensitive::new(text.to_string()),
    })
}

/// Lodges the complaint. SECURITY: the same answer, e-mail and time whether or not the
/// address belongs to a customer (it is never looked up).
async fn complaint_post(
    State(st): State<AppState>,
    Extension(web): Extension<Arc<Web>>,
    browser: Browser,
    client: ClientAddr,
    headers: HeaderMap,
    CsrfForm(f): CsrfForm<ComplaintForm>,
) -> Result<Response, WebError> {
    let v = center::visitor(&web, &st, &headers, browser).await;
    let input = match validate(&v, &f) {
        Ok(i) => i,
        Err(errors) => return form_page(&web, &v, &f, *errors),
    };
    // Every complaint sends mail to the address given: the public intake's limit per client
    // address (shared with the request page and `POST /v1/requests`).
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
    let r = st.requests().ok_or(WebError::Unavailable)?;
    let receipt = match r.lodge_complaint(&v.caller(), input).await {
        Ok(a) => a,
        Err(CoreError::Invalid { code, message }) => {
            let mut errors = FieldErrors::default();
            match code {
                ErrorCode::BadJurisdiction => errors.residence = Some(message),
                ErrorCode::ComplaintContactRequired => errors.email = Some(message),
                _ => errors.text = Some(message),
            }
            return form_page(&web, &v, &f, errors);
        }
        Err(e) => return Err(e.into()),
    };
    let calendar = st.steward().calendar();
    let day = |t: jiff::Timestamp| calendar.civil_date(t).strftime("%B %-d, %Y").to_string();
    Ok(layout::page(&ReceivedPage {
        chrome: center::chrome(&web, &v, "We received your complaint", PATH)?,
        reference: receipt.complaint_id.to_string(),
        received: day(receipt.received_at),
        due: day(receipt.first_response_due),
    }))
}

/// The routes of the complaint page.
pub fn router() -> Router<AppState> {
    Router::new().route(PATH, get(complaint_form).post(complaint_post))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_residences_offered_are_jurisdictions() {
        for (j, _) in RESIDENCES {
            assert!(
                j.is_empty() || j.parse::<steward_policy::Jurisdiction>().is_ok(),
                "{j}"
            );
        }
    }
}
