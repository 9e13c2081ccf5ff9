//! Errors of the use-case layer. The HTTP edge maps each to a problem
//! document with a stable code; none of them carries personal data.

pub use steward_errors::ErrorCode;
use steward_store::error::StoreError;
use steward_vault::VaultError;

/// A use case failed.
#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    /// The thing asked for does not exist (or is not the caller's: both answer alike).
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The engine denied it; the decision says why.
    #[error("denied: {reason}")]
    Denied {
        /// Reason code.
        reason: String,
        /// The decision id (audited).
        decision_id: String,
        /// The full decision.
        decision: Box<crate::decisions::Decided>,
    },
    /// The input is not acceptable.
    #[error("{message}")]
    Invalid {
        /// Stable code.
        code: ErrorCode,
        /// What is wrong (no personal data).
        message: String,
    },
    /// The request conflicts with stored state.
    #[error("{message}")]
    Conflict {
        /// Stable code.
        code: ErrorCode,
        /// What conflicts.
        message: String,
    },
    /// The subject's data key was destroyed: the data is gone for good (DM-02).
    #[error("the subject was erased; its data can no longer be read")]
    Erased,
    /// The storage layer failed.
    #[error(transparent)]
    Store(StoreError),
    /// The crypto layer failed.
    #[error(transparent)]
    Vault(#[from] VaultError),
    /// The service is shutting down or a background task is gone.
    #[error("the service is unavailable: {0}")]
    Unavailable(&'static str),
}

impl CoreError {
    /// An invalid-input error.
    pub fn invalid(code: ErrorCode, message: impl Into<String>) -> CoreError {
        CoreError::Invalid {
            code,
            message: message.into(),
        }
    }
}

impl From<StoreError> for CoreError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound(entity) => CoreError::NotFound(entity.name()),
            StoreError::KeyDestroyed(_) => CoreError::Erased,
            StoreError::Invalid(v) => CoreError::Invalid {
                code: ErrorCode::InvalidValue,
                message: v.to_string(),
            },
            StoreError::Conflict { entity, reason } => CoreError::Conflict {
                code: ErrorCode::Conflict,
                message: format!("conflict on {entity}: {reason}"),
            },
            StoreError::AppendOnly(entity) => CoreError::Conflict {
                code: ErrorCode::AppendOnly,
                message: format!("the {entity} ledger is append-only"),
            },
            other => CoreError::Store(other),
        }
    }
}
