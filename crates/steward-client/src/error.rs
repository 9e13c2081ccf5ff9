//! What can go wrong with a call: the server's problem document (with its stable `code`), or
//! the way there.

use steward_api::Problem;

/// A failed call.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The server answered with a problem document (RFC 9457); `code` is stable
    /// (`UNAUTHORIZED`, `DENIED`, `NOT_FOUND`, `BAD_JSON` …, docs/api.md).
    #[error("steward answered {} {}: {}", .0.status, .0.code, .0.detail)]
    Problem(Box<Problem>),
    /// The server answered outside 2xx without a problem document (a proxy in between …).
    #[error("steward answered HTTP {status} without a problem document")]
    Status {
        /// The HTTP status.
        status: u16,
    },
    /// A 2xx answer that is not the documented shape.
    #[error("the answer ({status}) is not the documented shape: {message}")]
    Decode {
        /// The HTTP status.
        status: u16,
        /// What did not fit.
        message: String,
    },
    /// The body could not be written as JSON.
    #[error("the request body cannot be written as JSON: {0}")]
    Encode(String),
    /// A bad base URL or path.
    #[error("invalid url: {0}")]
    Url(String),
    /// The TLS configuration could not be built.
    #[error("the TLS configuration cannot be built")]
    Tls,
    /// Connecting, sending or reading failed.
    #[error("transport: {0}")]
    Transport(String),
    /// The call did not finish within the client's timeout.
    #[error("steward did not answer in time")]
    Timeout,
}

impl ClientError {
    /// The problem's stable code, when the server answered with one.
    #[must_use]
    pub fn code(&self) -> Option<&str> {
        match self {
            ClientError::Problem(p) => Some(&p.code),
            _ => None,
        }
    }

    /// The problem's code as a [`steward_api::ErrorCode`], when the server answered with one
    /// this client knows (match on it instead of on the string).
    #[must_use]
    pub fn error_code(&self) -> Option<steward_api::ErrorCode> {
        match self {
            ClientError::Problem(p) => p.error_code(),
            _ => None,
        }
    }

    /// The HTTP status, when the server answered.
    #[must_use]
    pub fn status(&self) -> Option<u16> {
        match self {
            ClientError::Problem(p) => Some(p.status),
            ClientError::Status { status } | ClientError::Decode { status, .. } => Some(*status),
            _ => None,
        }
    }

    pub(crate) fn from_answer(status: u16, body: &[u8]) -> ClientError {
        match serde_json::from_slice::<Problem>(body) {
            Ok(p) => ClientError::Problem(Box::new(p)),
            Err(_) => ClientError::Status { status },
        }
    }
}
