//! The web pages people see: the privacy center for customers (server-rendered, works
//! without JavaScript), `consent.js` for the company's own sites, and the console for the
//! privacy team. Pages render their own HTML errors (they sit outside the JSON API's
//! problem-document layer) and carry CSRF tokens, strict cookies and a strict
//! Content-Security-Policy.

use axum::Router;

use crate::AppState;

/// The routes of the privacy center, `consent.js` and the console.
pub fn router(_state: &AppState) -> Router<AppState> {
    Router::new()
}
