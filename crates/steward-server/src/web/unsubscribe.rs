//! One-click unsubscribe for marketing e-mail (MKT-03, MKT-04, CANSPAM-01, RFC 8058): public
//! pages, no sign-in.
//!
//! - `GET /unsubscribe/{token}`: a page with one button (a `GET` never acts, so link
//!   scanners and prefetchers cannot unsubscribe anybody).
//! - `POST /unsubscribe/{token}`: the button, or a mail provider's RFC 8058 one-click `POST`
//!   (body `List-Unsubscribe=One-Click`, sent from the provider's servers without cookies or
//!   a same-site origin; these routes therefore sit outside the pages' cross-site refusal:
//!   the token itself is the capability, and it can only ever opt its own subject out).
//!
//! The opt-out is recorded at once in the choices ledger (channel `email_link`), audited, and a
//! second `POST` changes nothing (`Steward::unsubscribe`). A tampered, expired or foreign token
//! gets one answer that says nothing about why.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::middleware;
use axum::response::Response;
use axum::routing::get;

use crate::AppState;
use crate::web::layout::{self, Chrome, WebError};
use crate::web::security::with_headers;

/// The page.
#[derive(Template)]
#[template(path = "center/unsubscribe.html")]
struct UnsubscribePage {
    chrome: Chrome,
    /// What the person is unsubscribed from, in words.
    what: String,
    /// Done (or already done) rather than asking.
    done: bool,
}

/// The list, in words, from its ledger key `marketing:<type>:email`.
fn in_words(key: &str) -> String {
    match key.split(':').nth(1) {
        Some("first_party") => "our marketing e-mail".to_string(),
        Some("third_party_offers") => "e-mail with offers from our partners".to_string(),
        Some(other) => format!("marketing e-mail ({})", other.replace('_', " ")),
        None => "marketing e-mail".to_string(),
    }
}

fn refused(e: steward_core::CoreError) -> WebError {
    match e {
        steward_core::CoreError::Invalid { .. } | steward_core::CoreError::NotFound(_) => {
            WebError::BadRequest(
                "This unsubscribe link is not valid. Use the link in a recent e-mail from us, or set your marketing choices in the privacy center.".into(),
            )
        }
        other => other.into(),
    }
}

async fn show(State(st): State<AppState>, Path(token): Path<String>) -> Result<Response, WebError> {
    let key = st
        .steward()
        .check_unsubscribe(&token)
        .await
        .map_err(refused)?;
    Ok(layout::page(&UnsubscribePage {
        chrome: Chrome::bare("Unsubscribe"),
        what: in_words(&key),
        done: false,
    }))
}

async fn act(State(st): State<AppState>, Path(token): Path<String>) -> Result<Response, WebError> {
    let done = st.steward().unsubscribe(&token).await.map_err(refused)?;
    Ok(layout::page(&UnsubscribePage {
        chrome: Chrome::bare("Unsubscribed"),
        what: in_words(&done.key),
        done: true,
    }))
}

/// The unsubscribe routes (merged outside the pages' cross-site refusal; with the pages'
/// security headers).
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/unsubscribe/{token}", get(show).post(act))
        .layer(middleware::map_response(|r: Response| async move {
            with_headers(r)
        }))
}
