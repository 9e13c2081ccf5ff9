//! `consent.js` and its endpoints.

use axum::Router;

use crate::AppState;

/// The script.
pub const SCRIPT: &str = include_str!("../../static/consent.js");

/// The routes.
pub fn router() -> Router<AppState> {
    Router::new()
}
