//! Errors at the HTTP edge: every error is an RFC 9457 problem document
//! (`application/problem+json`) with a stable `code`.
//!
//! [`ApiError`] is the one error type of the server. Core errors map to it by kind
//! (invalid input → 422, not found → 404, denied → 403 with the decision inside, conflict →
//! 409, erased → 410, storage down → 503); a 5xx says nothing about internals, the log says
//! everything (ids only, never personal data).

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::value::RawValue;
pub use steward_api::Problem;
use steward_api::decisions::DecisionOut;
use steward_core::CoreError;
pub use steward_errors::ErrorCode;

/// The media type of problem documents.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// An error answered as a problem document.
#[derive(Debug, Clone)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// Stable code.
    pub code: ErrorCode,
    /// What went wrong.
    pub detail: String,
    /// The decision, for denials (its JSON).
    pub decision: Option<Box<RawValue>>,
    /// `Retry-After` seconds (rate limits).
    pub retry_after: Option<u64>,
}

impl ApiError {
    /// An error with a status, code and message.
    pub fn new(status: StatusCode, code: ErrorCode, detail: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            detail: detail.into(),
            decision: None,
            retry_after: None,
        }
    }

    /// 400 with a code.
    pub fn bad_request(code: ErrorCode, detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, detail)
    }

    /// 422 with a code.
    pub fn invalid(code: ErrorCode, detail: impl Into<String>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, code, detail)
    }

    /// 404 `NOT_FOUND`: the same answer for "missing" and "not yours".
    pub fn not_found(what: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            ErrorCode::NotFound,
            format!("{what} not found"),
        )
    }

    /// 401: no key, or a key that is not valid. One answer for every reason.
    pub fn unauthorized() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            ErrorCode::Unauthorized,
            "a valid API key is required: `Authorization: Bearer stw_…`",
        )
    }

    /// 403: the key lacks a scope.
    pub fn missing_scope(scope: &str) -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            ErrorCode::MissingScope,
            format!("this API key lacks the `{scope}` scope"),
        )
    }

    /// 503 without internals.
    pub fn unavailable() -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            ErrorCode::Unavailable,
            "the service is temporarily unavailable; retry later",
        )
    }

    /// 500 without internals; `what` goes to the log only.
    pub fn internal(what: &str) -> Self {
        tracing::error!(what, "internal error");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            ErrorCode::Internal,
            "an internal error occurred; it was logged",
        )
    }

    /// The problem document.
    pub fn problem(&self) -> Problem {
        Problem {
            type_uri: format!(
                "urn:steward:problem:{}",
                self.code.as_str().to_ascii_lowercase()
            ),
            title: title(self.status).to_string(),
            status: self.status.as_u16(),
            detail: self.detail.clone(),
            code: self.code.as_str().to_string(),
            decision: self.decision.clone(),
        }
    }
}

/// The title of a status (the reason phrase, or a generic one).
pub fn title(status: StatusCode) -> &'static str {
    status.canonical_reason().unwrap_or("Error")
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}: {}", self.status.as_u16(), self.code, self.detail)
    }
}

impl std::error::Error for ApiError {}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::to_vec(&self.problem()).unwrap_or_default();
        let mut res = (self.status, body).into_response();
        let h = res.headers_mut();
        h.insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        if self.status == StatusCode::UNAUTHORIZED {
            h.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        if let Some(s) = self.retry_after
            && let Ok(v) = HeaderValue::from_str(&s.to_string())
        {
            h.insert(header::RETRY_AFTER, v);
        }
        res
    }
}

impl From<CoreError> for ApiError {
    fn from(e: CoreError) -> Self {
        match e {
            CoreError::NotFound(what) => ApiError::not_found(what),
            CoreError::Denied {
                reason,
                decision_id,
                decision,
            } => ApiError {
                status: StatusCode::FORBIDDEN,
                code: ErrorCode::Denied,
                detail: format!("denied by the policy: {reason} (decision `{decision_id}`)"),
                decision: serde_json::value::to_raw_value(&DecisionOut::from(&*decision)).ok(),
                retry_after: None,
            },
            // The code's own status where it has one (`NOT_SUBJECT_OR_AGENT` is 403), else 422.
            CoreError::Invalid { code, message } => {
                match code.status().and_then(|s| StatusCode::from_u16(s).ok()) {
                    Some(status) => ApiError::new(status, code, message),
                    None => ApiError::invalid(code, message),
                }
            }
            CoreError::Conflict { code, message } => {
                ApiError::new(StatusCode::CONFLICT, code, message)
            }
            CoreError::Erased => ApiError::new(
                StatusCode::GONE,
                ErrorCode::Erased,
                "the subject was erased; its data can no longer be read",
            ),
            CoreError::Store(e) => {
                tracing::error!(error = %e, "store failure");
                ApiError::unavailable()
            }
            CoreError::Vault(e) => {
                tracing::error!(error = %e, "vault failure");
                ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    ErrorCode::Internal,
                    "an internal error occurred; it was logged",
                )
            }
            CoreError::Unavailable(what) => {
                tracing::error!(reason = what, "service unavailable");
                ApiError::unavailable()
            }
        }
    }
}

/// A body that does not convert to the use case's input (a time that is not RFC 3339 …): 422
/// with its code.
impl From<steward_api::InputError> for ApiError {
    fn from(e: steward_api::InputError) -> Self {
        ApiError::invalid(e.code, e.message)
    }
}

/// Results of handlers.
pub type ApiResult<T> = Result<T, ApiError>;
