//! Shapes shared by several areas (identity kinds, a device reference, a bare
//! acknowledgement) and the error of a body that decodes but does not convert.

use serde::{Deserialize, Serialize};
use steward_errors::ErrorCode;
use utoipa::ToSchema;

/// A request body that decoded but whose values do not convert to the use case's input (a
/// time that is not RFC 3339 …): the server answers 422 with `code`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct InputError {
    /// Stable code (`BAD_TIME` …).
    pub code: ErrorCode,
    /// What is wrong (names the field; no personal data).
    pub message: String,
}

impl InputError {
    /// An error with a code and a message.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> InputError {
        InputError {
            code,
            message: message.into(),
        }
    }
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

/// A browser or device, by cookie or device id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DeviceKindDto {
    /// A cookie id.
    Cookie,
    /// A device id.
    Device,
}

/// A device not (necessarily) linked to a subject.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeviceRef {
    /// `cookie` or `device`.
    pub kind: DeviceKindDto,
    /// The id (blind-indexed before storage; never stored in clear).
    #[schema(min_length = 1, max_length = 512)]
    pub id: String,
}

/// Acknowledgement with no other content.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Done {
    /// Always `true`.
    pub ok: bool,
}

/// A named value.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Named {
    /// Name.
    pub name: String,
    /// Value (an id, a hex digest or a code).
    pub value: String,
}

#[cfg(feature = "core")]
mod convert {
    use steward_store::model::subject::IdentityKind;

    use super::{DeviceKindDto, IdentityKindDto};

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

    impl From<DeviceKindDto> for IdentityKind {
        fn from(k: DeviceKindDto) -> Self {
            match k {
                DeviceKindDto::Cookie => IdentityKind::Cookie,
                DeviceKindDto::Device => IdentityKind::Device,
            }
        }
    }
}

/// RFC 3339 text of a time.
#[cfg(feature = "core")]
pub(crate) fn ts(t: jiff::Timestamp) -> String {
    t.to_string()
}

/// Optional RFC 3339 text.
#[cfg(feature = "core")]
pub(crate) fn ots(t: Option<jiff::Timestamp>) -> Option<String> {
    t.map(ts)
}

/// An RFC 3339 time of a request body.
///
/// # Errors
/// `BAD_TIME` naming the field.
#[cfg(feature = "core")]
pub(crate) fn parse_ts(raw: &str, field: &str) -> Result<jiff::Timestamp, InputError> {
    raw.parse::<jiff::Timestamp>().map_err(|_| {
        InputError::new(
            ErrorCode::BadTime,
            format!("`{field}` must be an RFC 3339 time (2024-03-04T17:00:00Z)"),
        )
    })
}
