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
    AccountClosed = "ACCOUNT_CLOSED", Some(409), "the account is closed";
    AccountKey = "ACCOUNT_KEY", Some(403), "the operation needs an API key that is not limited to an account";
    ActorRequired = "ACTOR_REQUIRED", Some(400), "a key limited to an account must name the acting person in `X-Steward-Actor`";
    AffectedNotComputed = "AFFECTED_NOT_COMPUTED", Some(409), "the people an incident affects have not been computed: compute them before notifying them";
    AffectedTypedAndComputed = "AFFECTED_TYPED_AND_COMPUTED", Some(422), "an incident's affected people are either typed or computed, not both";
    AgentRequired = "AGENT_REQUIRED", Some(422), "an agent's request lacks the agent's details";
    AgreementFactsWithRecords = "AGREEMENT_FACTS_WITH_RECORDS", Some(422), "inline agreement facts are given for a subject whose acceptances are stored";
    AgreementVersionNotCurrent = "AGREEMENT_VERSION_NOT_CURRENT", Some(422), "the accepted text version of an agreement is not the current one";
    AlreadyAssessed = "ALREADY_ASSESSED", Some(409), "the incident was assessed already";
    AlreadyEscalated = "ALREADY_ESCALATED", Some(409), "the complaint was escalated already";
    AlreadyExtended = "ALREADY_EXTENDED", Some(422), "the request's deadline was extended once already";
    AlreadyResponded = "ALREADY_RESPONDED", Some(409), "the complaint was answered already";
    AlreadyReviewed = "ALREADY_REVIEWED", Some(409), "the legal request was reviewed already";
    AlreadySent = "ALREADY_SENT", Some(409), "the notice was marked sent already";
    AppendOnly = "APPEND_ONLY", Some(409), "the ledger is append-only: an entry cannot be changed or removed";
    AuditHeadMissing = "AUDIT_HEAD_MISSING", Some(422), "the audit log no longer holds the entry the signed head names (entries removed or rewritten)";
    AwareBeforeDiscovered = "AWARE_BEFORE_DISCOVERED", Some(422), "an incident's awareness time is before its discovery";
    BadAccount = "BAD_ACCOUNT", None, "a scan's account id is malformed (a rejected scan's reason)";
    BadAccountId = "BAD_ACCOUNT_ID", Some(422), "an account id is malformed";
    BadActor = "BAD_ACTOR", Some(400), "`X-Steward-Actor` is not a subject id";
    BadAgreement = "BAD_AGREEMENT", Some(422), "an agreement declaration or acceptance is malformed";
    BadAgreementVersion = "BAD_AGREEMENT_VERSION", Some(422), "an agreement text version is malformed";
    BadAnswer = "BAD_ANSWER", Some(422), "a survey answer is malformed";
    BadBaseUrl = "BAD_BASE_URL", Some(422), "an unsubscribe link's `base_url` is not https://host[/path] (http:// only on loopback)";
    BadBody = "BAD_BODY", None, "the request body could not be read (400), or a stored request body does not decode (422)";
    BadBrowser = "BAD_BROWSER", None, "a usage event's browser is not a family name like `firefox` (a rejected event's reason)";
    BadCategory = "BAD_CATEGORY", Some(422), "a category key is malformed";
    BadChannel = "BAD_CHANNEL", Some(422), "a choice channel is malformed";
    BadChoiceCount = "BAD_CHOICE_COUNT", Some(422), "a choices call gives no keys or more than 1000";
    BadCode = "BAD_CODE", Some(422), "a stored code (request kind, state) is unknown";
    BadConfidence = "BAD_CONFIDENCE", Some(422), "a location confidence is out of range";
    BadConfig = "BAD_CONFIG", Some(422), "a setting of the service or of a connector is not acceptable";
    BadController = "BAD_CONTROLLER", Some(422), "the controller details of the configuration are malformed";
    BadDate = "BAD_DATE", Some(422), "a date is not YYYY-MM-DD";
    BadDeadline = "BAD_DEADLINE", Some(422), "a deadline setting is not acceptable";
    BadDetail = "BAD_DETAIL", Some(422), "a request detail is malformed or too long";
    BadDeviceId = "BAD_DEVICE_ID", None, "a usage event's device id is malformed (a rejected event's reason)";
    BadDoc = "BAD_DOC", Some(422), "a stored request document is corrupt";
    BadEnvName = "BAD_ENV_NAME", Some(422), "the environment variable named for a secret is malformed or starts with `STEWARD_`";
    BadEvent = "BAD_EVENT", None, "a scan's event name does not match [A-Za-z0-9_:.-]{1,32} (a rejected scan's reason)";
    BadExtension = "BAD_EXTENSION", Some(422), "an extension gives neither or both of `days` (1 to 366) and `months` (1 to 12)";
    BadField = "BAD_FIELD", Some(422), "a field of a decision request has a value of the wrong kind (the engine's decoder)";
    BadFields = "BAD_FIELDS", Some(422), "a correction names no fields or more than 10";
    BadHash = "BAD_HASH", Some(422), "a digest is not a SHA-256 in hex (64 characters)";
    BadId = "BAD_ID", Some(400), "an id in the path or a batch decision id is malformed";
    BadIdentifier = "BAD_IDENTIFIER", Some(422), "a dataset annotation names a table or column that is not a plain SQL identifier";
    BadIdentity = "BAD_IDENTITY", Some(422), "an identity (e-mail, phone, account reference, device id) is malformed";
    BadIp = "BAD_IP", Some(422), "an IP address does not parse";
    BadJson = "BAD_JSON", Some(400), "the body is not valid JSON (also a batch item's code for an element that does not parse)";
    BadJurisdiction = "BAD_JURISDICTION", Some(422), "a jurisdiction is not an ISO 3166 code such as `DE` or `US-CA`";
    BadKek = "BAD_KEK", Some(422), "a key-encryption key is malformed";
    BadKey = "BAD_KEY", Some(422), "a key (choice key, sealing key) is malformed";
    BadKeyId = "BAD_KEY_ID", Some(422), "a key id is malformed";
    BadKeyName = "BAD_KEY_NAME", Some(422), "an API key name does not match [a-z0-9_:.-]{1,64}";
    BadKind = "BAD_KIND", Some(422), "the connector kind does not fit the call (a webhook registered as a dataset)";
    BadLabel = "BAD_LABEL", Some(422), "a label is malformed";
    BadLink = "BAD_LINK", None, "a usage event's link is not a URL or path (a rejected event's reason)";
    BadLookback = "BAD_LOOKBACK", Some(422), "an access request's look-back is neither `default`, `all` nor a from/to pair";
    BadMessage = "BAD_MESSAGE", Some(422), "a chat message is malformed";
    BadName = "BAD_NAME", Some(422), "a name is malformed";
    BadNoticeHash = "BAD_NOTICE_HASH", Some(422), "`notice_sha256` is not 64 hex characters";
    BadPage = "BAD_PAGE", None, "a usage event's page is not a URL or path (a rejected event's reason)";
    BadParty = "BAD_PARTY", Some(422), "a choice's party is malformed (a device party is a cookie or device id)";
    BadPath = "BAD_PATH", Some(400), "a path parameter is malformed";
    BadPayloadHash = "BAD_PAYLOAD_HASH", Some(422), "`payload_sha256` is not 64 hex characters";
    BadPic = "BAD_PIC", Some(422), "a package id is not 8 to 40 letters and digits";
    BadPolicy = "BAD_POLICY", Some(422), "a policy setting needed by the operation is missing or not acceptable";
    BadPolicyVersion = "BAD_POLICY_VERSION", Some(422), "a policy version is malformed";
    BadPurpose = "BAD_PURPOSE", Some(422), "a purpose key is malformed";
    BadQuery = "BAD_QUERY", Some(400), "a query parameter is unknown, missing or malformed";
    BadRate = "BAD_RATE", Some(422), "a rate limit is below 1 per second";
    BadReason = "BAD_REASON", Some(422), "a reason code is malformed";
    BadRecipient = "BAD_RECIPIENT", Some(422), "a recipient key is malformed";
    BadRequest = "BAD_REQUEST", Some(400), "the request was not accepted (a 4xx of the framework without a more precise code)";
    BadSample = "BAD_SAMPLE", Some(422), "a location sample is out of range or not a finite number";
    BadScope = "BAD_SCOPE", Some(422), "an API key names no scope or an unknown one";
    BadSessionLifetime = "BAD_SESSION_LIFETIME", Some(422), "a session lifetime is not acceptable";
    BadShipment = "BAD_SHIPMENT", Some(422), "a shipment reference is not 1-64 characters from letters, digits, `_`, `:`, `.` and `-`";
    BadSignalConfig = "BAD_SIGNAL_CONFIG", Some(422), "the signal settings of the configuration are not acceptable";
    BadSignature = "BAD_SIGNATURE", Some(422), "a signature is malformed";
    BadSignedHead = "BAD_SIGNED_HEAD", Some(422), "the signed audit head is malformed or does not verify";
    BadSource = "BAD_SOURCE", Some(422), "a choice source is unknown or malformed";
    BadSubject = "BAD_SUBJECT", None, "a scan's subject id is malformed (a rejected scan's reason)";
    BadSubjectId = "BAD_SUBJECT_ID", Some(422), "a subject id is not a UUID (also a batch item's code)";
    BadTicket = "BAD_TICKET", Some(422), "a support ticket reference is malformed";
    BadTime = "BAD_TIME", Some(422), "a time is not RFC 3339, or no pseudonymization epoch covers it";
    BadTracker = "BAD_TRACKER", None, "a usage event names a tracker the policy does not know (a rejected event's reason)";
    BadType = "BAD_TYPE", None, "a usage event's type is unknown (a rejected event's reason)";
    BadUnsubscribeLink = "BAD_UNSUBSCRIBE_LINK", None, "an unsubscribe link is tampered, expired or foreign (the page answers 400 and says nothing more)";
    BadUrl = "BAD_URL", Some(422), "a webhook URL is not an https URL";
    BadValue = "BAD_VALUE", Some(422), "a value is malformed or out of range";
    BadZip = "BAD_ZIP", None, "a scan's ZIP code is not 5 digits (a rejected scan's reason)";
    BatchForm = "BATCH_FORM", Some(422), "a decision batch gives neither or both of `requests` and `template` with `subjects`";
    BatchTooLarge = "BATCH_TOO_LARGE", Some(422), "a batch holds more elements than allowed";
    BeforeReceipt = "BEFORE_RECEIPT", Some(422), "a time lies before the case was received";
    BodyTimeout = "BODY_TIMEOUT", Some(408), "the request body did not arrive within the request timeout";
    BodyTooLarge = "BODY_TOO_LARGE", Some(413), "the request body is larger than the endpoint accepts";
    CalendarBadDate = "CALENDAR_BAD_DATE", None, "a business calendar names a date that does not exist";
    CalendarOutOfRange = "CALENDAR_OUT_OF_RANGE", None, "a business-day count runs past the calendar's range";
    CalendarSyntax = "CALENDAR_SYNTAX", None, "a business calendar file is not valid TOML of the expected shape";
    CalendarUnknownTimeZone = "CALENDAR_UNKNOWN_TIME_ZONE", None, "a business calendar names an unknown time zone";
    CarrierNoticeNotAcknowledged = "CARRIER_NOTICE_NOT_ACKNOWLEDGED", Some(409), "a carrier is selected before the account accepted the agreements the policy requires for it (CARRIER-02)";
    Closed = "CLOSED", Some(409), "the request is closed";
    CodeExhausted = "CODE_EXHAUSTED", Some(422), "too many wrong verification codes: ask for a new code";
    CodeExpired = "CODE_EXPIRED", Some(422), "the verification code has expired: ask for a new code";
    CodeInvalid = "CODE_INVALID", Some(422), "the verification code is not valid";
    ComplaintClosed = "COMPLAINT_CLOSED", Some(409), "the complaint is closed";
    ComplaintContactRequired = "COMPLAINT_CONTACT_REQUIRED", Some(422), "a complaint lodged by the person needs a valid e-mail address to answer it (CONTACT-01)";
    ComplaintNoWords = "COMPLAINT_NO_WORDS", Some(404), "the complaint was filed by staff: its words are where its `reference` points, not here";
    ComplaintTextRequired = "COMPLAINT_TEXT_REQUIRED", Some(422), "a complaint lodged by the person needs its text (1 to 10 000 characters; a name at most 200)";
    ComplaintWordsErased = "COMPLAINT_WORDS_ERASED", Some(410), "the complainant was erased: what they lodged with the complaint can no longer be read (its record remains)";
    Conflict = "CONFLICT", Some(409), "the write conflicts with stored state (an e-mail held by another subject …)";
    CorrectionRequired = "CORRECTION_REQUIRED", Some(422), "a correction request does not say what to correct";
    DateOutOfRange = "DATE_OUT_OF_RANGE", Some(422), "a date is outside the range the deadline rules compute";
    DelayReasonRequired = "DELAY_REASON_REQUIRED", Some(422), "a late notice to the supervisory authority needs the reasons for the delay";
    Demo = "DEMO", Some(422), "the demonstration data could not be built";
    DenialNotPermitted = "DENIAL_NOT_PERMITTED", Some(422), "the denial reason is not permitted for this request (GDPR-02)";
    Denied = "DENIED", Some(403), "denied by the policy; the problem carries the decision";
    DisproportionateVerification = "DISPROPORTIONATE_VERIFICATION", Some(422), "more identification is demanded than necessary (GDPR Art. 12(6))";
    DuplicateTable = "DUPLICATE_TABLE", Some(422), "a dataset annotation lists a table twice";
    EmailRequired = "EMAIL_REQUIRED", Some(422), "no e-mail address to send the verification code to";
    Empty = "EMPTY", Some(422), "a dataset annotation lists no tables";
    EncryptionRequired = "ENCRYPTION_REQUIRED", Some(422), "a chat over plain HTTP is refused (CHAT-01)";
    Erased = "ERASED", Some(410), "the subject was erased; its data can no longer be read";
    ExtensionBeforeReceipt = "EXTENSION_BEFORE_RECEIPT", Some(422), "an extension notice is dated before the request was received";
    ExtensionEmpty = "EXTENSION_EMPTY", Some(422), "an extension adds no time";
    ExtensionNoticeLate = "EXTENSION_NOTICE_LATE", Some(422), "the extension notice comes after the original deadline";
    ExtensionTooLong = "EXTENSION_TOO_LONG", Some(422), "the extension is longer than the regime allows";
    FactsWithRecords = "FACTS_WITH_RECORDS", Some(422), "a decision request asserts in `context` what the store's records decide for it (`carrier_selected` beside carrier selections, `provided_categories` for a stored subject)";
    FieldNotForKind = "FIELD_NOT_FOR_KIND", Some(422), "a field of the intake does not belong to the kind given (`text`, `name`, `dpf` are for `kind: complaint`, which refuses the request fields)";
    GrantorRequired = "GRANTOR_REQUIRED", Some(422), "`granted_by` does not name the owner granting access";
    IdentityNotErased = "IDENTITY_NOT_ERASED", Some(422), "a dataset annotation erases rows but keeps their identity column";
    IdentityRequired = "IDENTITY_REQUIRED", Some(422), "a request does not give the e-mail address of the person it is about";
    IncidentClosed = "INCIDENT_CLOSED", Some(409), "the incident is closed";
    InsecureTarget = "INSECURE_TARGET", Some(422), "a webhook or dataset connection that carries personal data does not use TLS (SEC-02)";
    Internal = "INTERNAL", Some(500), "an internal error; the log says what (also a batch item not answered)";
    InvalidBody = "INVALID_BODY", Some(422), "the body has the wrong shape or an unknown field";
    InvalidDateRange = "INVALID_DATE_RANGE", Some(422), "a date range ends before it starts";
    InvalidValue = "INVALID_VALUE", Some(422), "a value given to the store is malformed";
    InvalidVerificationWait = "INVALID_VERIFICATION_WAIT", Some(422), "the verification wait of a deadline rule is not acceptable";
    IpKeyMissing = "IP_KEY_MISSING", Some(503), "no IP pseudonymization key is configured: usage data is not ingested";
    JurisdictionWithSubject = "JURISDICTION_WITH_SUBJECT", Some(422), "a jurisdiction is given together with a stored subject";
    JustificationRequired = "JUSTIFICATION_REQUIRED", Some(422), "a refusal as manifestly unfounded or excessive needs its justification (GDPR Art. 12(5))";
    KeyExists = "KEY_EXISTS", Some(409), "an API key with this id already exists";
    LegalRequestClosed = "LEGAL_REQUEST_CLOSED", Some(409), "the legal request is closed";
    LegalRequestFactsWithId = "LEGAL_REQUEST_FACTS_WITH_ID", Some(422), "inline legal-request facts are given together with a registered legal request";
    MalformedEvent = "MALFORMED_EVENT", None, "an element of an event batch does not decode (a rejected event's reason)";
    MethodNotAllowed = "METHOD_NOT_ALLOWED", Some(405), "the endpoint does not accept this method";
    MissingField = "MISSING_FIELD", Some(422), "a decision request lacks a required field (the engine's decoder)";
    MissingScope = "MISSING_SCOPE", Some(403), "the API key lacks the scope the route needs";
    NothingToCompute = "NOTHING_TO_COMPUTE", Some(422), "the incident names no categories or recipients to compute the affected people from";
    NoticesOpen = "NOTICES_OPEN", Some(409), "the incident still has notices to send";
    NoticeRequired = "NOTICE_REQUIRED", Some(422), "a required notice was not shown (CHAT-03, SURVEY-02)";
    NoticeTextRequired = "NOTICE_TEXT_REQUIRED", Some(422), "a notice to the people needs what happened, its likely consequences and the measures taken";
    NotAnEmailList = "NOT_AN_EMAIL_LIST", Some(422), "an unsubscribe link names a key that is not an e-mail marketing choice of the policy";
    NotApproved = "NOT_APPROVED", Some(409), "only approved or failed requests run";
    NotAssessed = "NOT_ASSESSED", Some(409), "the incident has not been assessed";
    NotAwaitingAgentPermission = "NOT_AWAITING_AGENT_PERMISSION", Some(409), "the request is not waiting for an agent's permission";
    NotAwaitingVerification = "NOT_AWAITING_VERIFICATION", Some(409), "the request is not waiting for a verification code";
    NotAReportRequest = "NOT_A_REPORT_REQUEST", Some(422), "only access, know and portability requests have a report";
    NotCompleted = "NOT_COMPLETED", Some(409), "the report is available once the request is completed";
    NotExtendable = "NOT_EXTENDABLE", Some(422), "the request's regime allows no extension";
    NotFound = "NOT_FOUND", Some(404), "the thing asked for is missing or not the caller's (also a batch item's code)";
    NotResponded = "NOT_RESPONDED", Some(409), "the complaint has no first response yet";
    NotStaff = "NOT_STAFF", Some(422), "only staff may do this (submit on someone's behalf, approve …)";
    NotSubject = "NOT_SUBJECT", Some(422), "only the subject reads their own data here";
    NotSubjectOrAgent = "NOT_SUBJECT_OR_AGENT", Some(403), "the caller is neither the subject nor their authorized agent";
    NotUnresolved = "NOT_UNRESOLVED", Some(409), "only a complaint closed unresolved can be escalated";
    NotVerified = "NOT_VERIFIED", Some(409), "the request is not verified";
    NoColumns = "NO_COLUMNS", Some(422), "a dataset annotation erases a table but lists no columns";
    NoLineage = "NO_LINEAGE", Some(422), "a derived dataset does not name the categories or datasets it comes from";
    NoMatch = "NO_MATCH", Some(422), "a dataset annotation says neither how a table's rows match a subject nor via which table";
    NoMatchingDecision = "NO_MATCHING_DECISION", Some(409), "no allowing decision matches the disclosure being recorded";
    NoPeopleNotice = "NO_PEOPLE_NOTICE", Some(409), "the incident owes the people no notice (not assessed as a breach that requires one)";
    NoPermissions = "NO_PERMISSIONS", Some(422), "an administrator grant gives none of view_pi, change_pi, delete_pi";
    NoReceipt = "NO_RECEIPT", Some(409), "the request has not run yet";
    NoRecourseConfigured = "NO_RECOURSE_CONFIGURED", Some(409), "the policy names no dispute-resolution provider";
    NoRoute = "NO_ROUTE", Some(404), "no such endpoint";
    NvExtensionTooLong = "NV_EXTENSION_TOO_LONG", Some(422), "a Nevada extension is longer than allowed (NV-03)";
    OrderCycle = "ORDER_CYCLE", Some(422), "the tables of a dataset annotation depend on each other in a cycle";
    PartyRequired = "PARTY_REQUIRED", Some(422), "give exactly one of `subject_id` and `device`";
    PolicyTestsUnreadable = "POLICY_TESTS_UNREADABLE", Some(422), "the policy's test cases could not be read";
    PurposeRequired = "PURPOSE_REQUIRED", Some(422), "an objection or restriction does not say which purpose it is about";
    RateLimited = "RATE_LIMITED", Some(429), "too many requests; retry after `Retry-After` seconds";
    RawPanForbidden = "RAW_PAN_FORBIDDEN", Some(422), "a payment card number is stored only as a processor token (SEC-03)";
    ReasonRequired = "REASON_REQUIRED", Some(422), "an extension needs its reason";
    RequestsUnavailable = "REQUESTS_UNAVAILABLE", Some(503), "the data-subject-request workflow is not configured on this server";
    RequestChanged = "REQUEST_CHANGED", Some(409), "the request was changed by someone else meanwhile: read it again";
    RetentionTooShort = "RETENTION_TOO_SHORT", Some(422), "a retention period is shorter than the rules require";
    ReviewerIsRequester = "REVIEWER_IS_REQUESTER", Some(422), "a legal request must be reviewed by someone other than who registered it";
    RiskRequired = "RISK_REQUIRED", Some(422), "a breach assessment must say the risk";
    SecretMissing = "SECRET_MISSING", Some(422), "a connector's secret (or the environment variable holding it) is not set";
    SecretRequired = "SECRET_REQUIRED", Some(422), "give exactly one of the secret and the environment variable holding it";
    SelfReference = "SELF_REFERENCE", Some(422), "a dataset annotation matches a table via itself";
    ShuttingDown = "SHUTTING_DOWN", Some(503), "the service is shutting down (readiness)";
    StaffOnlyField = "STAFF_ONLY_FIELD", Some(422), "a field only staff may set was given on a public request";
    SubjectFactsWithId = "SUBJECT_FACTS_WITH_ID", Some(422), "a decision request gives both `subject.id` and the subject's facts";
    SubjectNotNamed = "SUBJECT_NOT_NAMED", Some(422), "the subject is not named by the legal request";
    SubjectRequired = "SUBJECT_REQUIRED", Some(422), "a key limited to an account queries the audit log by `subject_id`";
    SurveyCannotBeRequired = "SURVEY_CANNOT_BE_REQUIRED", Some(422), "answering a survey is optional (SURVEY-01)";
    Syntax = "SYNTAX", Some(422), "a dataset annotation is not valid JSON or TOML";
    TemplateNamesASubject = "TEMPLATE_NAMES_A_SUBJECT", Some(422), "a batch template names a subject; the subjects come from `subjects`";
    Timeout = "TIMEOUT", Some(503), "the request took longer than `request_timeout_secs` (with `Retry-After`)";
    TimeInFuture = "TIME_IN_FUTURE", Some(422), "a time lies in the future";
    TooMany = "TOO_MANY", Some(422), "a list holds more entries than allowed";
    TooManyCodes = "TOO_MANY_CODES", Some(409), "no more verification codes can be sent for this request";
    TooManyIdentities = "TOO_MANY_IDENTITIES", Some(422), "a subject has more than 32 identities";
    TwoMatches = "TWO_MATCHES", Some(422), "a dataset annotation gives a table both `identity` and `via`";
    Unauthorized = "UNAUTHORIZED", Some(401), "no API key, or one that is not valid";
    Unavailable = "UNAVAILABLE", Some(503), "storage or a background task is down; retry later";
    UnknownAgreement = "UNKNOWN_AGREEMENT", Some(422), "an agreement is not one the policy declares";
    UnknownCarrier = "UNKNOWN_CARRIER", Some(422), "a carrier is not a recipient of the policy that requires a carrier selection";
    UnknownCategory = "UNKNOWN_CATEGORY", Some(422), "a category is not one of the policy";
    UnknownChoiceKey = "UNKNOWN_CHOICE_KEY", Some(422), "a choice key is not one of the policy";
    UnknownDenialReason = "UNKNOWN_DENIAL_REASON", Some(422), "a denial reason is not one Steward knows";
    UnknownFormat = "UNKNOWN_FORMAT", Some(422), "a report format is unknown (json, csv, html, portable-json, portable-csv)";
    UnknownIdentityKind = "UNKNOWN_IDENTITY_KIND", Some(422), "a dataset annotation names an identity kind the policy does not know";
    UnknownName = "UNKNOWN_NAME", Some(422), "a name (purpose, regime, request kind …) is not one the policy or engine knows";
    UnknownPurpose = "UNKNOWN_PURPOSE", Some(422), "a purpose is not one of the policy";
    UnknownRecipient = "UNKNOWN_RECIPIENT", Some(422), "a recipient is not one of the policy";
    UnknownRequestKind = "UNKNOWN_REQUEST_KIND", Some(422), "a request kind is unknown";
    UnknownTable = "UNKNOWN_TABLE", Some(422), "a dataset annotation refers to a table it does not list";
    UnregisteredCategory = "UNREGISTERED_CATEGORY", Some(422), "a category is not registered in the policy";
    UnsupportedMediaType = "UNSUPPORTED_MEDIA_TYPE", Some(415), "the body is not `application/json`";
    ValueTooLong = "VALUE_TOO_LONG", Some(422), "an item value is over 65 536 characters";
    VerificationInsufficient = "VERIFICATION_INSUFFICIENT", Some(422), "not enough data points were confirmed for this request (11 CCR §7062)";
    VerifyWithOtherData = "VERIFY_WITH_OTHER_DATA", Some(422), "a correction of the e-mail address is verified another way (CCPA §7060(h))";
    WarningNotAcknowledged = "WARNING_NOT_ACKNOWLEDGED", Some(422), "the administrator warning was not acknowledged before granting access (ADMIN-03)";
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
        out.push_str(&format!(
            "| `{}` | {} | {} |\n",
            c.as_str(),
            status,
            c.description()
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_strings_are_unique_sorted_and_screaming_snake_case() {
        for pair in ErrorCode::ALL.windows(2) {
            assert!(
                pair[0].as_str() < pair[1].as_str(),
                "{} then {}",
                pair[0],
                pair[1]
            );
        }
        for c in ErrorCode::ALL {
            assert!(
                c.as_str()
                    .bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_'),
                "{c}"
            );
            assert_eq!(ErrorCode::from_wire(c.as_str()), Some(*c));
            assert!(
                !c.description().is_empty() && !c.description().contains('|'),
                "{c}"
            );
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
