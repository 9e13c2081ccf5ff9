//! The `/v1` JSON API: one module per business area, plus the operational endpoints.
//!
//! Request and response bodies are the types of `steward-api` (the data subject request
//! routes still declare theirs in [`requests`]), decoded with [`crate::extract::Json`] so the
//! OpenAPI document names the type each handler decodes; they convert to and from core types
//! with `From`/`TryFrom`. Every handler authenticates first ([`crate::auth::Auth`]), checks its
//! scope, then the account limit where a subject is named.

pub mod accounts;
pub mod audit;
pub mod choices;
pub mod complaints;
pub mod control;
pub mod decisions;
pub mod disclosures;
pub mod events;
pub mod incidents;
pub mod index;
pub mod items;
pub mod keys;
pub mod legal;
pub mod ops;
pub mod policy;
pub mod requests;
pub mod subjects;
pub mod usage;

use jiff::Timestamp;

/// RFC 3339 text of a time.
pub(crate) fn ts(t: Timestamp) -> String {
    t.to_string()
}

/// Optional RFC 3339 text.
pub(crate) fn ots(t: Option<Timestamp>) -> Option<String> {
    t.map(ts)
}
