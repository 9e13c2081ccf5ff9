//! The `/v1` JSON API: one module per business area, plus the operational endpoints.
//!
//! Request bodies are server types with `deny_unknown_fields`, separate from core and store
//! types; responses are built from core results. Every handler authenticates first
//! ([`crate::auth::Auth`]), checks its scope, then the account limit where a subject is named.

pub mod accounts;
pub mod audit;
pub mod choices;
pub mod decisions;
pub mod disclosures;
pub mod events;
pub mod items;
pub mod keys;
pub mod ops;
pub mod policy;
pub mod requests;
pub mod subjects;
pub mod usage;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use steward_store::model::subject::IdentityKind;
use utoipa::ToSchema;

/// RFC 3339 text of a time.
pub(crate) fn ts(t: Timestamp) -> String {
    t.to_string()
}

/// Optional RFC 3339 text.
pub(crate) fn ots(t: Option<Timestamp>) -> Option<String> {
    t.map(ts)
}

/// Lowercase hex.
pub(crate) fn hex(b: &[u8]) -> String {
    use std::fmt::Write as _;
    let mut s = String::with_capacity(b.len() * 2);
    for x in b {
        let _ = write!(s, "{x:02x}");
    }
    s
}

/// A kind of identity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum IdentityKindDto {
    /// An e-mail address (one subject per address).
    Email,
    /// A phone number (one subject per number).
    Phone,
    /// An external account reference (customer number, login name).
    AccountRef,
    /// A cookie id (may be linked to several subjects).
    Cookie,
    /// A device id (may be linked to several subjects).
    Device,
}

impl From<IdentityKindDto> for IdentityKind {
    fn from(k: IdentityKindDto) -> Self {
        match k {
            IdentityKindDto::Email => IdentityKind::Email,
            IdentityKindDto::Phone => IdentityKind::Phone,
            IdentityKindDto::AccountRef => IdentityKind::AccountRef,
            IdentityKindDto::Cookie => IdentityKind::Cookie,
            IdentityKindDto::Device => IdentityKind::Device,
        }
    }
}

/// A browser or device, by cookie or device id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DeviceKindDto {
    /// A cookie id.
    Cookie,
    /// A device id.
    Device,
}

impl From<DeviceKindDto> for IdentityKind {
    fn from(k: DeviceKindDto) -> Self {
        match k {
            DeviceKindDto::Cookie => IdentityKind::Cookie,
            DeviceKindDto::Device => IdentityKind::Device,
        }
    }
}

/// A device not (necessarily) linked to a subject.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeviceRef {
    /// `cookie` or `device`.
    pub kind: DeviceKindDto,
    /// The id (blind-indexed before storage; never stored in clear).
    #[schema(min_length = 1, max_length = 512)]
    pub id: String,
}

/// Acknowledgement with no other content.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Done {
    /// Always `true`.
    pub ok: bool,
}
