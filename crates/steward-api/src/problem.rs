//! The error shape of every API answer: an RFC 9457 problem document with a stable `code`.

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use utoipa::ToSchema;
use utoipa::openapi::{RefOr, Schema};

/// A problem document (RFC 9457).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Problem {
    /// A URI naming the problem type: `urn:steward:problem:<code>`.
    #[serde(rename = "type")]
    pub type_uri: String,
    /// A short summary of the problem type.
    pub title: String,
    /// The HTTP status.
    pub status: u16,
    /// What went wrong in this occurrence (never personal data).
    pub detail: String,
    /// The stable, machine-readable code (`BAD_JSON`, `NOT_FOUND`, `DENIED` …).
    pub code: String,
    /// For `DENIED`: the decision that denied the operation, with its `decision_id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(schema_with = decision_schema)]
    pub decision: Option<Box<RawValue>>,
}

fn decision_schema() -> RefOr<Schema> {
    RefOr::Ref(utoipa::openapi::Ref::from_schema_name(
        crate::decisions::DECISION_SCHEMA,
    ))
}

impl Problem {
    /// The code as an [`ErrorCode`](crate::ErrorCode), if it is one this version knows (a newer
    /// server may answer a code an older client does not).
    #[must_use]
    pub fn error_code(&self) -> Option<crate::ErrorCode> {
        crate::ErrorCode::from_wire(&self.code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(code: &str) -> Problem {
        Problem {
            type_uri: format!("urn:steward:problem:{}", code.to_ascii_lowercase()),
            title: "Not Found".into(),
            status: 404,
            detail: "subject not found".into(),
            code: code.into(),
            decision: None,
        }
    }

    #[test]
    fn a_known_code_reads_as_its_variant_and_an_unknown_one_as_none() {
        assert_eq!(
            problem("NOT_FOUND").error_code(),
            Some(crate::ErrorCode::NotFound)
        );
        assert_eq!(problem("A_CODE_FROM_A_NEWER_SERVER").error_code(), None);
    }
}
