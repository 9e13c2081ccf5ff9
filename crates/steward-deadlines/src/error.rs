//! Error types of the statutory clock, one enum per concern, each with stable codes.
//!
//! `DeadlineError` covers date arithmetic and the small value checks of the clocks,
//! `ExtendError` the extension rules of DL-05, and `CalendarError` (in `calendar`) the
//! loading of the controller calendar.

use jiff::civil::Date;
use steward_errors::ErrorCode;

use crate::regime::Regime;
use crate::time::Deadline;

/// Errors from date arithmetic and the clock helpers.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DeadlineError {
    /// A computed date or instant fell outside the supported range (years -9999..=9999).
    #[error("date out of range while computing {what}")]
    OutOfRange {
        /// What was being computed.
        what: &'static str,
    },
    /// A date range whose start is after its end.
    #[error("invalid date range: `{from}` is after `{to}`")]
    InvalidRange {
        /// Start of the range.
        from: Date,
        /// End of the range.
        to: Date,
    },
    /// A record retention shorter than the legal minimum (CCPA-26, AUD-05).
    #[error("retention of {months} months is shorter than the minimum of {minimum} months")]
    RetentionTooShort {
        /// Requested months.
        months: u32,
        /// Legal minimum in months.
        minimum: u32,
    },
    /// A verification wait whose end precedes its start, or that starts before receipt.
    #[error("invalid verification wait: it must start at or after receipt and end after it starts")]
    InvalidWait,
}

impl DeadlineError {
    /// Stable machine-readable code.
    #[must_use]
    pub fn code(&self) -> ErrorCode {
        match self {
            DeadlineError::OutOfRange { .. } => ErrorCode::DateOutOfRange,
            DeadlineError::InvalidRange { .. } => ErrorCode::InvalidDateRange,
            DeadlineError::RetentionTooShort { .. } => ErrorCode::RetentionTooShort,
            DeadlineError::InvalidWait => ErrorCode::InvalidVerificationWait,
        }
    }
}

/// Why an extension (DL-05, GDPR-03, CCPA-04, NV-03) was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ExtendError {
    /// The request was already extended once (DL-05).
    #[error("the request was already extended; only one extension is allowed")]
    AlreadyExtended,
    /// A regime that governs the request allows no extension (e.g. CCPA opt-outs, CAN-SPAM).
    #[error("the `{regime}` deadline of this request cannot be extended")]
    NotExtendable {
        /// The regime whose deadline is fixed.
        regime: Regime,
    },
    /// No reason (or a blank one) was given; the subject must be told why (GDPR-03, CCPA-04).
    #[error("an extension needs a reason that is told to the subject")]
    ReasonRequired,
    /// The notice time is before the request was received.
    #[error("the extension notice is dated before the request was received")]
    NoticeBeforeReceipt,
    /// The notice comes after the regime's notice window closed.
    #[error("the extension notice is late: it had to be given by {notice_by}")]
    NoticeLate {
        /// The last moment the notice could be given.
        notice_by: Deadline,
    },
    /// The requested extension goes past a regime's maximum.
    #[error("the extension goes past the `{regime}` maximum of {max_due}")]
    TooLong {
        /// The regime whose maximum is exceeded.
        regime: Regime,
        /// That regime's maximum.
        max_due: Deadline,
    },
    /// Nevada allows no more than 30 days of extension (NRS 603A.345(4), NV-03).
    #[error("nevada allows an extension of at most {max_days} days")]
    NvTooLong {
        /// The Nevada maximum in days.
        max_days: u32,
    },
    /// An extension of zero length, or one that does not move the deadline later.
    #[error("the extension does not move the deadline")]
    Empty,
    /// Date arithmetic failed.
    #[error(transparent)]
    Deadline(#[from] DeadlineError),
}

impl ExtendError {
    /// Stable machine-readable code.
    #[must_use]
    pub fn code(&self) -> ErrorCode {
        match self {
            ExtendError::AlreadyExtended => ErrorCode::AlreadyExtended,
            ExtendError::NotExtendable { .. } => ErrorCode::NotExtendable,
            ExtendError::ReasonRequired => ErrorCode::ReasonRequired,
            ExtendError::NoticeBeforeReceipt => ErrorCode::ExtensionBeforeReceipt,
            ExtendError::NoticeLate { .. } => ErrorCode::ExtensionNoticeLate,
            ExtendError::TooLong { .. } => ErrorCode::ExtensionTooLong,
            ExtendError::NvTooLong { .. } => ErrorCode::NvExtensionTooLong,
            ExtendError::Empty => ErrorCode::ExtensionEmpty,
            ExtendError::Deadline(e) => e.code(),
        }
    }
}
