//! The one list of Steward's stable error codes.
//!
//! Every code that reaches a client (the `code` of a problem document, of a batch item's
//! error) or that a use case returns is a variant of [`ErrorCode`]: [`ErrorCode::as_str`] is the
//! wire string (stable: clients, tests and docs rely on it), [`ErrorCode::status`] the HTTP
//! status where the code always answers with the same one, and [`ErrorCode::description`] one
//! line for the docs. The error-code table of `docs/api.md` is generated from this list
//! ([`markdown_table`]) and a test fails when the two differ.
//!
//! The crate depends on nothing, so every layer (the pure policy engine and deadline rules,
//! the use cases, the API types, the server, the CLI) can name its codes with it.

use std::fmt;

macro_rules! error_codes {
    ($($variant:ident = $wire:literal, $status:expr, $desc:literal;)*) => {
        /// A stable error code. `as_str` is what goes on the wire.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum ErrorCode {
            $(
                #[doc = $desc]
                $variant,
            )*
        }

        impl ErrorCode {
            /// Every code, in wire-string order.
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant),*];

            /// The wire string (`BAD_JSON` …).
            #[must_use]
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $wire,)*
                }
            }

            /// The HTTP status a problem document with this code always has, or `None` where
            /// it depends on where the code is raised (a batch item's error, several layers).
            #[must_use]
            pub const fn status(self) -> Option<u16> {
                match self {
                    $(ErrorCode::$variant => $status,)*
                }
            }

            /// One line saying what the code means.
            #[must_use]
            pub const fn description(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $desc,)*
                }
            }
        }
    };
}

error_codes! {
    AccountKey = "ACCOUNT_KEY", None, "TODO";
    ActorRequired = "ACTOR_REQUIRED", None, "TODO";
    AgentRequired = "AGENT_REQUIRED", None, "TODO";
    AlreadyExtended = "ALREADY_EXTENDED", None, "TODO";
    AppendOnly = "APPEND_ONLY", None, "TODO";
    AuditHeadMissing = "AUDIT_HEAD_MISSING", None, "TODO";
    BadActor = "BAD_ACTOR", None, "TODO";
    BadAnswer = "BAD_ANSWER", None, "TODO";
    BadBody = "BAD_BODY", None, "TODO";
    BadCategory = "BAD_CATEGORY", None, "TODO";
    BadChannel = "BAD_CHANNEL", None, "TODO";
    BadChoiceCount = "BAD_CHOICE_COUNT", None, "TODO";
    BadCode = "BAD_CODE", None, "TODO";
    BadConfidence = "BAD_CONFIDENCE", None, "TODO";
    BadConfig = "BAD_CONFIG", None, "TODO";
    BadController = "BAD_CONTROLLER", None, "TODO";
    BadDate = "BAD_DATE", None, "TODO";
    BadDeadline = "BAD_DEADLINE", None, "TODO";
    BadDetail = "BAD_DETAIL", None, "TODO";
    BadDoc = "BAD_DOC", None, "TODO";
    BadEnvName = "BAD_ENV_NAME", None, "TODO";
    BadExtension = "BAD_EXTENSION", None, "TODO";
    BadField = "BAD_FIELD", None, "TODO";
    BadFields = "BAD_FIELDS", None, "TODO";
    BadHash = "BAD_HASH", None, "TODO";
    BadId = "BAD_ID", None, "TODO";
    BadIdentifier = "BAD_IDENTIFIER", None, "TODO";
    BadIdentity = "BAD_IDENTITY", None, "TODO";
    BadIp = "BAD_IP", None, "TODO";
    BadJson = "BAD_JSON", None, "TODO";
    BadJurisdiction = "BAD_JURISDICTION", None, "TODO";
    BadKek = "BAD_KEK", None, "TODO";
    BadKey = "BAD_KEY", None, "TODO";
    BadKeyId = "BAD_KEY_ID", None, "TODO";
    BadKeyName = "BAD_KEY_NAME", None, "TODO";
    BadKind = "BAD_KIND", None, "TODO";
    BadLabel = "BAD_LABEL", None, "TODO";
    BadLookback = "BAD_LOOKBACK", None, "TODO";
    BadMessage = "BAD_MESSAGE", None, "TODO";
    BadName = "BAD_NAME", None, "TODO";
    BadNoticeHash = "BAD_NOTICE_HASH", None, "TODO";
    BadParty = "BAD_PARTY", None, "TODO";
    BadPath = "BAD_PATH", None, "TODO";
    BadPayloadHash = "BAD_PAYLOAD_HASH", None, "TODO";
    BadPic = "BAD_PIC", None, "TODO";
    BadPolicy = "BAD_POLICY", None, "TODO";
    BadPolicyVersion = "BAD_POLICY_VERSION", None, "TODO";
    BadPurpose = "BAD_PURPOSE", None, "TODO";
    BadQuery = "BAD_QUERY", None, "TODO";
    BadRate = "BAD_RATE", None, "TODO";
    BadReason = "BAD_REASON", None, "TODO";
    BadRecipient = "BAD_RECIPIENT", None, "TODO";
    BadRequest = "BAD_REQUEST", None, "TODO";
    BadSample = "BAD_SAMPLE", None, "TODO";
    BadScope = "BAD_SCOPE", None, "TODO";
    BadSessionLifetime = "BAD_SESSION_LIFETIME", None, "TODO";
    BadSignalConfig = "BAD_SIGNAL_CONFIG", None, "TODO";
    BadSignature = "BAD_SIGNATURE", None, "TODO";
    BadSignedHead = "BAD_SIGNED_HEAD", None, "TODO";
    BadSource = "BAD_SOURCE", None, "TODO";
    BadSubjectId = "BAD_SUBJECT_ID", None, "TODO";
    BadTicket = "BAD_TICKET", None, "TODO";
    BadTime = "BAD_TIME", None, "TODO";
    BadUrl = "BAD_URL", None, "TODO";
    BadValue = "BAD_VALUE", None, "TODO";
    BatchForm = "BATCH_FORM", None, "TODO";
    BatchTooLarge = "BATCH_TOO_LARGE", None, "TODO";
    BodyTimeout = "BODY_TIMEOUT", None, "TODO";
    BodyTooLarge = "BODY_TOO_LARGE", None, "TODO";
    CalendarBadDate = "CALENDAR_BAD_DATE", None, "TODO";
    CalendarOutOfRange = "CALENDAR_OUT_OF_RANGE", None, "TODO";
    CalendarSyntax = "CALENDAR_SYNTAX", None, "TODO";
    CalendarUnknownTimeZone = "CALENDAR_UNKNOWN_TIME_ZONE", None, "TODO";
    Closed = "CLOSED", None, "TODO";
    CodeExhausted = "CODE_EXHAUSTED", None, "TODO";
    CodeExpired = "CODE_EXPIRED", None, "TODO";
    CodeInvalid = "CODE_INVALID", None, "TODO";
    Conflict = "CONFLICT", None, "TODO";
    CorrectionRequired = "CORRECTION_REQUIRED", None, "TODO";
    DateOutOfRange = "DATE_OUT_OF_RANGE", None, "TODO";
    Demo = "DEMO", None, "TODO";
    DenialNotPermitted = "DENIAL_NOT_PERMITTED", None, "TODO";
    Denied = "DENIED", None, "TODO";
    DisproportionateVerification = "DISPROPORTIONATE_VERIFICATION", None, "TODO";
    DuplicateTable = "DUPLICATE_TABLE", None, "TODO";
    EmailRequired = "EMAIL_REQUIRED", None, "TODO";
    Empty = "EMPTY", None, "TODO";
    EncryptionRequired = "ENCRYPTION_REQUIRED", None, "TODO";
    Erased = "ERASED", None, "TODO";
    ExtensionBeforeReceipt = "EXTENSION_BEFORE_RECEIPT", None, "TODO";
    ExtensionEmpty = "EXTENSION_EMPTY", None, "TODO";
    ExtensionNoticeLate = "EXTENSION_NOTICE_LATE", None, "TODO";
    ExtensionTooLong = "EXTENSION_TOO_LONG", None, "TODO";
    GrantorRequired = "GRANTOR_REQUIRED", None, "TODO";
    IdentityNotErased = "IDENTITY_NOT_ERASED", None, "TODO";
    IdentityRequired = "IDENTITY_REQUIRED", None, "TODO";
    Internal = "INTERNAL", None, "TODO";
    InvalidBody = "INVALID_BODY", None, "TODO";
    InvalidDateRange = "INVALID_DATE_RANGE", None, "TODO";
    InvalidValue = "INVALID_VALUE", None, "TODO";
    InvalidVerificationWait = "INVALID_VERIFICATION_WAIT", None, "TODO";
    IpKeyMissing = "IP_KEY_MISSING", None, "TODO";
    JustificationRequired = "JUSTIFICATION_REQUIRED", None, "TODO";
    KeyExists = "KEY_EXISTS", None, "TODO";
    MethodNotAllowed = "METHOD_NOT_ALLOWED", None, "TODO";
    MissingField = "MISSING_FIELD", None, "TODO";
    MissingScope = "MISSING_SCOPE", None, "TODO";
    NoticeRequired = "NOTICE_REQUIRED", None, "TODO";
    NotApproved = "NOT_APPROVED", None, "TODO";
    NotAwaitingAgentPermission = "NOT_AWAITING_AGENT_PERMISSION", None, "TODO";
    NotAwaitingVerification = "NOT_AWAITING_VERIFICATION", None, "TODO";
    NotAReportRequest = "NOT_A_REPORT_REQUEST", None, "TODO";
    NotCompleted = "NOT_COMPLETED", None, "TODO";
    NotExtendable = "NOT_EXTENDABLE", None, "TODO";
    NotFound = "NOT_FOUND", None, "TODO";
    NotStaff = "NOT_STAFF", None, "TODO";
    NotSubject = "NOT_SUBJECT", None, "TODO";
    NotSubjectOrAgent = "NOT_SUBJECT_OR_AGENT", None, "TODO";
    NotVerified = "NOT_VERIFIED", None, "TODO";
    NoColumns = "NO_COLUMNS", None, "TODO";
    NoLineage = "NO_LINEAGE", None, "TODO";
    NoMatch = "NO_MATCH", None, "TODO";
    NoMatchingDecision = "NO_MATCHING_DECISION", None, "TODO";
    NoPermissions = "NO_PERMISSIONS", None, "TODO";
    NoReceipt = "NO_RECEIPT", None, "TODO";
    NoRoute = "NO_ROUTE", None, "TODO";
    NvExtensionTooLong = "NV_EXTENSION_TOO_LONG", None, "TODO";
    OrderCycle = "ORDER_CYCLE", None, "TODO";
    PartyRequired = "PARTY_REQUIRED", None, "TODO";
    PolicyTestsUnreadable = "POLICY_TESTS_UNREADABLE", None, "TODO";
    PurposeRequired = "PURPOSE_REQUIRED", None, "TODO";
    RateLimited = "RATE_LIMITED", None, "TODO";
    RawPanForbidden = "RAW_PAN_FORBIDDEN", None, "TODO";
    ReasonRequired = "REASON_REQUIRED", None, "TODO";
    RequestsUnavailable = "REQUESTS_UNAVAILABLE", None, "TODO";
    RequestChanged = "REQUEST_CHANGED", None, "TODO";
    RetentionTooShort = "RETENTION_TOO_SHORT", None, "TODO";
    SecretMissing = "SECRET_MISSING", None, "TODO";
    SecretRequired = "SECRET_REQUIRED", None, "TODO";
    SelfReference = "SELF_REFERENCE", None, "TODO";
    ShuttingDown = "SHUTTING_DOWN", None, "TODO";
    StaffOnlyField = "STAFF_ONLY_FIELD", None, "TODO";
    SubjectFactsWithId = "SUBJECT_FACTS_WITH_ID", None, "TODO";
    SubjectRequired = "SUBJECT_REQUIRED", None, "TODO";
    SurveyCannotBeRequired = "SURVEY_CANNOT_BE_REQUIRED", None, "TODO";
    Syntax = "SYNTAX", None, "TODO";
    TemplateNamesASubject = "TEMPLATE_NAMES_A_SUBJECT", None, "TODO";
    Timeout = "TIMEOUT", None, "TODO";
    TooManyCodes = "TOO_MANY_CODES", None, "TODO";
    TooManyIdentities = "TOO_MANY_IDENTITIES", None, "TODO";
    TwoMatches = "TWO_MATCHES", None, "TODO";
    Unauthorized = "UNAUTHORIZED", None, "TODO";
    Unavailable = "UNAVAILABLE", None, "TODO";
    UnknownCategory = "UNKNOWN_CATEGORY", None, "TODO";
    UnknownChoiceKey = "UNKNOWN_CHOICE_KEY", None, "TODO";
    UnknownDenialReason = "UNKNOWN_DENIAL_REASON", None, "TODO";
    UnknownFormat = "UNKNOWN_FORMAT", None, "TODO";
    UnknownIdentityKind = "UNKNOWN_IDENTITY_KIND", None, "TODO";
    UnknownName = "UNKNOWN_NAME", None, "TODO";
    UnknownPurpose = "UNKNOWN_PURPOSE", None, "TODO";
    UnknownRecipient = "UNKNOWN_RECIPIENT", None, "TODO";
    UnknownRequestKind = "UNKNOWN_REQUEST_KIND", None, "TODO";
    UnknownTable = "UNKNOWN_TABLE", None, "TODO";
    UnregisteredCategory = "UNREGISTERED_CATEGORY", None, "TODO";
    UnsupportedMediaType = "UNSUPPORTED_MEDIA_TYPE", None, "TODO";
    ValueTooLong = "VALUE_TOO_LONG", None, "TODO";
    VerificationInsufficient = "VERIFICATION_INSUFFICIENT", None, "TODO";
    VerifyWithOtherData = "VERIFY_WITH_OTHER_DATA", None, "TODO";
    WarningNotAcknowledged = "WARNING_NOT_ACKNOWLEDGED", None, "TODO";
}

impl ErrorCode {
    /// The code of a wire string, if it is one.
    #[must_use]
    pub fn from_wire(s: &str) -> Option<ErrorCode> {
        ErrorCode::ALL.iter().copied().find(|c| c.as_str() == s)
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl AsRef<str> for ErrorCode {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl From<ErrorCode> for &'static str {
    fn from(c: ErrorCode) -> &'static str {
        c.as_str()
    }
}

impl From<ErrorCode> for String {
    fn from(c: ErrorCode) -> String {
        c.as_str().to_string()
    }
}

impl PartialEq<str> for ErrorCode {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for ErrorCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<ErrorCode> for str {
    fn eq(&self, other: &ErrorCode) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<ErrorCode> for &str {
    fn eq(&self, other: &ErrorCode) -> bool {
        *self == other.as_str()
    }
}

impl PartialEq<ErrorCode> for String {
    fn eq(&self, other: &ErrorCode) -> bool {
        self == other.as_str()
    }
}

/// The error-code table of `docs/api.md`: one row a code, in wire-string order, with its status
/// (`varies` where it depends on the layer) and its description.
#[must_use]
pub fn markdown_table() -> String {
    let mut out = String::from("| code | status | meaning |\n|---|---|---|\n");
    for c in ErrorCode::ALL {
        let status = c
            .status()
            .map_or_else(|| "varies".to_string(), |s| s.to_string());
        out.push_str(&format!("| `{}` | {} | {} |\n", c.as_str(), status, c.description()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_strings_are_unique_sorted_and_screaming_snake_case() {
        for pair in ErrorCode::ALL.windows(2) {
            assert!(pair[0].as_str() < pair[1].as_str(), "{} then {}", pair[0], pair[1]);
        }
        for c in ErrorCode::ALL {
            assert!(
                c.as_str()
                    .bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_'),
                "{c}"
            );
            assert_eq!(ErrorCode::from_wire(c.as_str()), Some(*c));
            assert!(!c.description().is_empty() && !c.description().contains('|'), "{c}");
        }
    }

    #[test]
    fn codes_compare_with_their_wire_strings() {
        assert_eq!(ErrorCode::BadJson, "BAD_JSON");
        assert_eq!("NOT_FOUND", ErrorCode::NotFound);
        assert_eq!(ErrorCode::NotFound.to_string(), "NOT_FOUND");
        assert_eq!(ErrorCode::from_wire("NO_SUCH_CODE"), None);
    }
}
