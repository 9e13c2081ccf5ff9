//! Data subject requests (docs/requests.md): the intake form, the staff actions on a request
//! (approve, extend, deny, forward, ask for more information, record an agent's permission),
//! connectors and legal holds, and what the workflow answers — the intake answer, a code's
//! answer, the queue, a request in full.
//!
//! The parts of a request whose shape belongs to the workflow's own records — the erasure
//! plan, the detail of each step, the verification level — are carried as JSON objects
//! (`plan`, `detail`, `required`), byte for byte as the workflow wrote them (a receipt in a
//! `completed` step keeps the key order its SHA-256 was computed over); docs/requests.md
//! describes them.

use serde_json::value::RawValue;

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Who submits a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RequesterDto {
    /// The person the request is about.
    Subject,
    /// An authorized agent (CCPA-23).
    Agent,
    /// Staff on someone's behalf (needs a key with the `dsr` scope).
    Admin,
}

/// An authorized agent's details.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AgentIn {
    /// The agent's e-mail address.
    #[serde(default)]
    #[schema(max_length = 320)]
    pub email: Option<String>,
    /// SHA-256 (hex) of the consumer's signed permission, when provided with the request.
    #[serde(default)]
    #[schema(pattern = "^[0-9a-fA-F]{64}$")]
    pub permission_sha256: Option<String>,
}

/// A correction (GDPR-15, CCPA-11).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CorrectionIn {
    /// The category corrected (`postal_address` …).
    #[schema(pattern = "^[a-z0-9_:.-]{1,64}$")]
    pub category: String,
    /// The item, when known (default: the newest live item of the category).
    #[serde(default)]
    pub item_id: Option<uuid::Uuid>,
    /// The correct value (sealed before storage).
    #[schema(max_length = 10000)]
    pub value: String,
}

/// A privacy request (RIGHTS-04: every channel creates the same request), or a complaint
/// (`kind: complaint`, CONTACT-01: filed as a complaint, not a request, with its 45-day first
/// response, DPF-05).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubmitIn {
    /// `access`, `know_categories`, `know_specific_pieces`, `portability`, `deletion`,
    /// `correction`, `opt_out_sale_share`, `limit_spi`, `object_direct_marketing`,
    /// `objection`, `restriction`, `withdraw_consent`, `nevada_no_sale`; or `complaint`
    /// (then `email` and `text` are required, `name`, `jurisdiction` and `dpf` optional, and
    /// the request fields are refused).
    #[schema(pattern = "^[a-z_]{1,64}$")]
    pub kind: String,
    /// Default: `subject` (`agent` when `agent` is given; `admin` for a staff key).
    #[serde(default)]
    pub requester: Option<RequesterDto>,
    /// `privacy_center`, `in_service`, `support`, `api` (default), `mail` …
    #[serde(default)]
    #[schema(pattern = "^[a-z0-9_:.-]{1,64}$")]
    pub channel: Option<String>,
    /// The subject's e-mail address: how the subject is found and where the code goes.
    #[serde(default)]
    #[schema(max_length = 320)]
    pub email: Option<String>,
    /// Declared residency (`US-CA`, `DE` …).
    #[serde(default)]
    #[schema(max_length = 16)]
    pub jurisdiction: Option<String>,
    /// Staff only (`requester = admin`): the subject.
    #[serde(default)]
    pub subject_id: Option<uuid::Uuid>,
    /// Staff only: how staff verified the subject already (a code: `support_call_kba`).
    #[serde(default)]
    #[schema(pattern = "^[a-z0-9_:.-]{1,64}$")]
    pub preverified: Option<String>,
    /// Staff only: when it was received, if earlier (RFC 3339; a letter opened today).
    #[serde(default)]
    pub received_at: Option<String>,
    /// An authorized agent (CCPA-23).
    #[serde(default)]
    pub agent: Option<AgentIn>,
    /// CCPA-06 look-back of know requests: `default` (12 months before receipt) or `all`
    /// (since 2022-01-01); or give `lookback_from` and `lookback_to`.
    #[serde(default)]
    #[schema(pattern = "^(default|all)$")]
    pub lookback: Option<String>,
    /// First day of a chosen look-back (YYYY-MM-DD).
    #[serde(default)]
    pub lookback_from: Option<String>,
    /// Last day of a chosen look-back (YYYY-MM-DD).
    #[serde(default)]
    pub lookback_to: Option<String>,
    /// The purpose objected to or whose consent is withdrawn.
    #[serde(default)]
    #[schema(pattern = "^[a-z0-9_:.-]{1,64}$")]
    pub purpose: Option<String>,
    /// A correction.
    #[serde(default)]
    pub correction: Option<CorrectionIn>,
    /// `kind: complaint` only: the complaint, in the person's words (stored sealed).
    #[serde(default)]
    #[schema(min_length = 1, max_length = 10000)]
    pub text: Option<String>,
    /// `kind: complaint` only: the complainant's name (stored sealed).
    #[serde(default)]
    #[schema(max_length = 200)]
    pub name: Option<String>,
    /// `kind: complaint` only: raised under the EU-U.S. Data Privacy Framework (DPF-05).
    #[serde(default)]
    pub dpf: Option<bool>,
}

impl SubmitIn {
    /// A request of `kind` by the subject found by `email` (every other field unset).
    #[must_use]
    pub fn by_email(kind: &str, email: &str) -> SubmitIn {
        SubmitIn {
            kind: kind.to_string(),
            requester: None,
            channel: None,
            email: Some(email.to_string()),
            jurisdiction: None,
            subject_id: None,
            preverified: None,
            received_at: None,
            agent: None,
            lookback: None,
            lookback_from: None,
            lookback_to: None,
            purpose: None,
            correction: None,
            text: None,
            name: None,
            dpf: None,
        }
    }
}

/// A one-time code.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CodeIn {
    /// The six digits sent to the subject's address.
    #[schema(pattern = "^[0-9]{6}$")]
    pub code: String,
}

/// What staff checked before approving (CCPA-24).
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApproveIn {
    /// Data points matched beyond the e-mail code.
    #[serde(default)]
    #[schema(maximum = 10)]
    pub data_points: u8,
    /// A signed declaration under penalty of perjury was received.
    #[serde(default)]
    pub signed_declaration: bool,
}

/// An extension (once per request; the subject is told the reason).
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExtendIn {
    /// Why (told to the subject).
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub reason: Option<String>,
    /// Calendar days added to the current due date.
    #[serde(default)]
    #[schema(minimum = 1, maximum = 366)]
    pub days: Option<u32>,
    /// Calendar months (counted from receipt under month-based clocks).
    #[serde(default)]
    #[schema(minimum = 1, maximum = 12)]
    pub months: Option<u32>,
}

/// A denial.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DenyIn {
    /// `cannot_identify`, `unverified`, `manifestly_unfounded`, `excessive`,
    /// `repeat_know_request`, `fraudulent`, `other`.
    #[schema(pattern = "^[a-z_]{1,64}$")]
    pub reason: String,
    /// Required for `manifestly_unfounded`, `excessive` and `fraudulent`.
    #[serde(default)]
    #[schema(max_length = 4000)]
    pub justification: Option<String>,
}

/// Forward to a Customer (CUST-04).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ForwardIn {
    /// The Customer (a code: account reference or name).
    #[schema(pattern = "^[a-z0-9_:.-]{1,64}$")]
    pub customer: String,
}

/// More information to ask for.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MoreInformationIn {
    /// What to ask for (codes: `postal_address`, `last_order_number` …); identity documents
    /// are refused (GDPR-06).
    #[schema(min_items = 1, max_items = 10)]
    pub fields: Vec<String>,
}

/// An agent's permission.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AgentPermissionIn {
    /// SHA-256 (hex) of the consumer's signed permission.
    #[schema(pattern = "^[0-9a-fA-F]{64}$")]
    pub sha256: String,
}

/// Queue filters.
#[derive(Debug, Clone, Default, Serialize, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Only this state (`awaiting_verification`, `verified`, `approved`, `failed` …).
    #[serde(default)]
    pub state: Option<String>,
    /// Include closed requests.
    #[serde(default)]
    pub all: Option<bool>,
    /// Only this subject's requests.
    #[serde(default)]
    pub subject_id: Option<String>,
    /// Continue after this due time (with `after_id`, from the previous page's `next`).
    #[serde(default)]
    pub after_due: Option<String>,
    /// Continue after this request id.
    #[serde(default)]
    pub after_id: Option<String>,
    /// Page size (1 to 10 000; default 100).
    #[serde(default)]
    #[param(minimum = 1, maximum = 10000)]
    pub limit: Option<u32>,
}

/// Report format.
#[derive(Debug, Clone, Default, Serialize, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ReportParams {
    /// `json` (default), `csv`, `html`, `portable-json` (also `portable`), `portable-csv`.
    #[serde(default)]
    #[param(pattern = "^(json|csv|html|portable|portable-json|portable-csv)$")]
    pub format: Option<String>,
}

/// The kind of a dataset connector.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DatasetKindDto {
    /// An SQLite database (the connection string is the file's path).
    Sqlite,
    /// A PostgreSQL database.
    Postgres,
}

/// A dataset connector: the company's own database, erased on requests (not a derived
/// dataset of `POST /v1/datasets`).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DatasetConnectorIn {
    /// `sqlite` or `postgres`.
    pub kind: DatasetKindDto,
    /// The dataset annotation (TOML or JSON; docs/requests.md "Dataset connectors").
    #[schema(max_length = 200000)]
    pub annotation: String,
    /// The connection string, sealed under the connector's own key (never returned).
    #[serde(default)]
    pub connection: Option<String>,
    /// Or: the environment variable holding it, read at run time (not `STEWARD_*`).
    #[serde(default)]
    #[schema(pattern = "^[A-Z_][A-Z0-9_]{0,63}$")]
    pub connection_env: Option<String>,
}

/// A webhook connector.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WebhookIn {
    /// The policy's recipient id (`SP_EMAIL`, `MP1` …).
    #[schema(max_length = 64)]
    pub recipient: String,
    /// The endpoint (`https://…`).
    #[schema(max_length = 2000)]
    pub url: String,
    /// The HMAC-SHA256 signing secret shared with the recipient (sealed; never returned).
    #[serde(default)]
    pub secret: Option<String>,
    /// Or: the environment variable holding it (not `STEWARD_*`).
    #[serde(default)]
    #[schema(pattern = "^[A-Z_][A-Z0-9_]{0,63}$")]
    pub secret_env: Option<String>,
}

/// A legal hold (RET-03).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HoldIn {
    /// The items held (default: all of the subject's items).
    #[serde(default)]
    pub items: Vec<uuid::Uuid>,
    /// Why (a code: `litigation_2024_17`).
    #[schema(pattern = "^[a-z0-9_:.-]{1,64}$")]
    pub reason: String,
    /// Who owns it (a code: `legal`).
    #[schema(pattern = "^[a-z0-9_:.-]{1,64}$")]
    pub owner: String,
    /// When it must be reviewed (RFC 3339).
    pub review_at: String,
}

/// A legal hold as stored.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct HoldOut {
    /// Id.
    pub id: String,
    /// Subject.
    pub subject_id: String,
    /// Items held (empty: all).
    pub items: Vec<String>,
    /// Why.
    pub reason: String,
    /// Owner.
    pub owner: String,
    /// Review date.
    pub review_at: String,
    /// Placed.
    pub created_at: String,
    /// Released.
    pub released_at: Option<String>,
}

/// What intake answers. It depends only on the input and the caller, never on whether the
/// address belongs to an account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct IntakeAnswer {
    /// The request id (to verify and follow it); for `kind: complaint`, the complaint's id
    /// (the same as `complaint_id`).
    pub request_id: String,
    /// `awaiting_verification`, `awaiting_agent_permission`, `verified`, `approved`,
    /// `completed`; `received` for a complaint.
    pub state: String,
    /// `email_code`, `session`, `staff`, `none` (a complaint needs no verification).
    pub verification: String,
    /// What happens next, for the requester.
    pub message: String,
    /// `kind: complaint`: the complaint's id, its reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub complaint_id: Option<String>,
    /// `kind: complaint`: the first response is due by then (RFC 3339; 45 days after
    /// receipt: CONTACT-04, DPF-05).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_response_due: Option<String>,
}

/// What verifying a code answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CodeAnswer {
    /// The request.
    pub request_id: String,
    /// Its state now.
    pub state: String,
}

/// A request in the queue (no personal data).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RequestRow {
    /// Id.
    pub id: String,
    /// Kind.
    pub kind: String,
    /// State.
    pub state: String,
    /// Who submitted it.
    pub requester: String,
    /// Channel.
    pub channel: String,
    /// Subject (pseudonymous id), once known.
    pub subject: Option<String>,
    /// Received.
    pub received_at: String,
    /// Acknowledgement due.
    pub ack_due: Option<String>,
    /// Due (deadline in force).
    pub due: String,
    /// Latest possible deadline.
    pub max_due: String,
    /// `ON_TRACK`, `AT_RISK`, `OVERDUE`, or `CLOSED`.
    pub status: String,
    /// Days left (negative when overdue).
    pub days_left: i64,
    /// CCPA-04: still unverified at its deadline — it may be denied as unverifiable.
    pub may_deny_unverified: bool,
}

/// Where the next page of the queue starts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct QueueCursor {
    /// The last row's due time.
    pub after_due: String,
    /// The last row's id.
    pub after_id: String,
}

/// A page of the queue, by due date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RequestPage {
    /// The requests.
    pub requests: Vec<RequestRow>,
    /// The next page, when this one is full.
    pub next: Option<QueueCursor>,
}

/// One regime's clock on a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ClockOut {
    /// Regime.
    pub regime: String,
    /// Legal source.
    pub citation: String,
    /// Acknowledgement due.
    pub ack_due: Option<String>,
    /// Due.
    pub due: String,
    /// With an extension.
    pub max_due: String,
    /// Propagation due (opt-outs).
    pub propagate_by: Option<String>,
}

/// The extension of a request's deadline (DL-05).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ExtensionOut {
    /// The deadline now.
    pub new_due: String,
    /// When the subject was told.
    pub notified_at: String,
    /// The deadline before.
    pub previous_due: String,
    /// Why (told to the subject).
    pub reason: String,
}

/// Verification required and done (DEC-09).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct VerificationOut {
    /// A signed declaration was received (CCPA-24).
    pub declaration: bool,
    /// `none`, `session`, `email_code`, `staff:<method>`.
    pub method: String,
    /// What the law asks for: `{"level": "none" | "session" | "data_points", …}`.
    #[schema(value_type = Object)]
    pub required: Box<RawValue>,
    /// Data points staff matched at approval.
    pub staff_points: u8,
    /// When it was completed.
    pub verified_at: Option<String>,
}

/// An authorized agent's permission on record (CCPA-23). The agent's details and the
/// permission itself stay sealed with the request (the console shows them to staff who hold
/// `read_pii`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AgentOut {
    /// When the permission was recorded (`null`: still awaited).
    pub permission_recorded_at: Option<String>,
    /// SHA-256 (hex) of the consumer's signed permission.
    pub permission_sha256: Option<String>,
}

/// CCPA-07: prior know requests within 12 months.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RepeatOut {
    /// The request may be declined.
    pub may_decline: bool,
    /// Prior know requests in the window.
    pub prior_in_window: u64,
    /// Why it may be declined.
    pub reason: Option<String>,
}

/// The last failure of a run: which system, why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct FailureOut {
    /// When.
    pub at: String,
    /// Why (no personal data).
    pub reason: String,
    /// The system (`dataset:<name>`, `vault` …).
    pub system: String,
}

/// A denial and its basis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct DenialOut {
    /// When.
    pub at: String,
    /// Staff's justification, when the basis needs one.
    pub justification: Option<String>,
    /// The basis (`cannot_identify`, `excessive` …).
    pub reason: String,
}

/// A step of a request's trail.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct StepOut {
    /// When.
    pub at: String,
    /// What (`intake`, `verified`, `approved`, `run.started`, `completed` …).
    pub action: String,
    /// State after.
    pub state: String,
    /// Who (`system`, `service:<key>`, `subject:<id>`).
    pub actor: String,
    /// Details, by action (docs/requests.md); `null` for a shape this version does not know.
    #[schema(value_type = Option<Object>)]
    pub detail: Option<Box<RawValue>>,
}

/// A message to the subject: its kind and state, never its content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct MessageOut {
    /// Attempts made.
    pub attempts: u32,
    /// When it was queued.
    pub created_at: String,
    /// The id.
    pub id: String,
    /// `verification_code`, `acknowledgement`, `extension_notice`, `completion`, `denial` …
    pub kind: String,
    /// The last failure, as a code.
    pub last_error: Option<String>,
    /// When the transport took it.
    pub sent_at: Option<String>,
}

/// A webhook delivery (no body: it is sealed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct DeliveryOut {
    /// Attempts made.
    pub attempts: u32,
    /// When the recipient confirmed it acted.
    pub confirmed_at: Option<String>,
    /// When the endpoint accepted it.
    pub delivered_at: Option<String>,
    /// `erasure`, `rectification`, `restriction`, `opt_out`.
    pub event: String,
    /// The delivery id.
    pub id: String,
    /// The last failure, as a code (`HTTP_503`, `CONNECT` …).
    pub last_error: Option<String>,
    /// The last HTTP status received.
    pub last_status: Option<u16>,
    /// When the next attempt is due.
    pub next_attempt_at: String,
    /// The partner notification it carries, if any.
    pub notification: Option<String>,
    /// The recipient.
    pub recipient: String,
    /// The request it belongs to, if any.
    pub request: Option<String>,
    /// `pending`, `delivered`, `confirmed`, `dead_letter`.
    pub state: String,
}

/// Webhook deliveries on the dead-letter list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct DeadLetters {
    /// The deliveries.
    pub deliveries: Vec<DeliveryOut>,
}

/// A request in full: clocks per regime, verification, plan, steps, messages (kinds and
/// states only) and deliveries. No personal data: contact details stay sealed.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RequestOut {
    /// The queue line.
    #[serde(flatten)]
    pub summary: RequestRow,
    /// Regimes and their clocks (DL-03).
    pub regimes: Vec<ClockOut>,
    /// Propagation deadline for opt-outs (CCPA-13).
    pub propagate_by: Option<String>,
    /// The extension, if granted.
    pub extension: Option<ExtensionOut>,
    /// Verification required and done.
    pub verification: VerificationOut,
    /// The authorized agent's permission, when an agent filed the request (CCPA-23).
    pub agent: Option<AgentOut>,
    /// CCPA-07: may be declined as a third know request in 12 months.
    pub repeat: Option<RepeatOut>,
    /// The erasure plan (deletion requests): `{delete, retain, notify, suppression_kept,
    /// datasets}`.
    #[schema(value_type = Option<Object>)]
    pub plan: Option<Box<RawValue>>,
    /// The last failure, if failed: which system and why.
    pub failure: Option<FailureOut>,
    /// The denial, if denied.
    pub denial: Option<DenialOut>,
    /// Steps.
    pub steps: Vec<StepOut>,
    /// Outbox messages (kind and state only).
    pub messages: Vec<MessageOut>,
    /// Webhook deliveries.
    pub deliveries: Vec<DeliveryOut>,
}

/// Counts for the console and `/metrics`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RequestCounts {
    /// Open requests.
    pub open: u64,
    /// Open and past their deadline.
    pub overdue: u64,
    /// Open and due within the at-risk window (DL-04).
    pub at_risk: u64,
    /// Webhook deliveries on the dead-letter list.
    pub dead_letters: u64,
    /// Processor notifications delivered but unconfirmed past the follow-up period (RET-07).
    pub unconfirmed_overdue: u64,
    /// Outbox messages not sent yet.
    pub pending_messages: u64,
    /// Partner opt-out notifications not acknowledged yet (ADTECH-03).
    pub partner_notifications_open: u64,
    /// Open partner notifications past their due date (15 business days, CCPA-13).
    pub partner_notifications_overdue: u64,
    /// Open partner notifications never sent because their recipient has no webhook endpoint.
    pub partner_notifications_without_webhook: u64,
}

/// An alert for the console (DL-04, RET-03, RET-07, ADTECH-03, CHG-05, SEC-06, DPF-02, SP-04).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AlertOut {
    /// `DUE_IN_7_DAYS`, `DUE_IN_2_DAYS`, `OVERDUE`, `PROCESSOR_DELETION_UNCONFIRMED`,
    /// `WEBHOOK_DEAD_LETTER`, `PARTNER_NOTIFICATION_OVERDUE`, `PARTNER_NO_WEBHOOK`,
    /// `POLICY_STALE`, `INCIDENT_NOTICE_NEAR_DUE`, `INCIDENT_NOTICE_OVERDUE`,
    /// `POLICY_TRANSFER_EXPIRING`, `POLICY_TRANSFER_EXPIRED`, `POLICY_CONTRACT_EXPIRING`,
    /// `POLICY_CONTRACT_EXPIRED`.
    pub kind: String,
    /// The request, for request alerts.
    pub request: Option<String>,
    /// The partner notification, for partner alerts (and their dead letters).
    pub notification: Option<String>,
    /// The recipient, for processor and partner alerts.
    pub recipient: Option<String>,
    /// Since when the alert applies.
    pub since: String,
    /// The policy version, for `POLICY_STALE` (CHG-05: the policy in force took effect more
    /// than 12 months ago).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy_version: Option<String>,
    /// The incident, for `INCIDENT_NOTICE_*` (SEC-06, GDPR-30, GDPR-31: a breach notice due
    /// within 24 hours or past due; `GET /v1/incidents/{id}`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub incident: Option<String>,
    /// The notice of that incident (its id, to mark it sent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice: Option<String>,
    /// To whom the notice goes: `supervisory_authority`, `data_subjects`,
    /// `state_residents:CA` …
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice_to: Option<String>,
    /// The notice's due time, for `INCIDENT_NOTICE_*`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_at: Option<String>,
    /// The transfer mechanism or certification as the policy names it (`dpf`, `scc` …), for
    /// `POLICY_TRANSFER_*` (DPF-02); `recipient` names whose.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mechanism: Option<String>,
    /// The contract's id, for `POLICY_CONTRACT_*` (SP-04); `recipient` names whose.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contract: Option<String>,
    /// The last day the mechanism or contract is in force (`YYYY-MM-DD`, UTC), for
    /// `POLICY_TRANSFER_*` and `POLICY_CONTRACT_*`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<String>,
}

/// The console's alerts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Alerts {
    /// The alerts.
    pub alerts: Vec<AlertOut>,
}

#[cfg(feature = "core")]
mod convert {
    use serde::Serialize;
    use serde_json::value::RawValue;
    use steward_requests::queue::{ClockView, StepView};
    use steward_requests::views::{
        AgentView, DenialView, ExtensionView, FailureView, MessageView, RepeatView,
        VerificationView,
    };
    use steward_requests::{
        Alert, DeliveryView, IntakeAnswer as Intake, RequestListItem, RequestMetrics, RequestView,
        VerifyAnswer,
    };

    use super::{
        AgentOut, AlertOut, ClockOut, CodeAnswer, DeliveryOut, DenialOut, ExtensionOut, FailureOut,
        IntakeAnswer, MessageOut, RepeatOut, RequestCounts, RequestOut, RequestRow, StepOut,
        VerificationOut,
    };
    use crate::common::{ots, ts};

    /// A workflow record as its JSON text, bytes and key order kept. INVARIANT: these are
    /// plain derived `Serialize` types (no maps with non-string keys, no failing `Serialize`
    /// impl), so writing them cannot fail; `null` stands in should that ever change.
    fn object<T: Serialize>(v: &T) -> Box<RawValue> {
        serde_json::value::to_raw_value(v).unwrap_or_else(|_| null())
    }

    fn null() -> Box<RawValue> {
        RawValue::NULL.to_owned()
    }

    impl From<Intake> for IntakeAnswer {
        fn from(a: Intake) -> Self {
            IntakeAnswer {
                request_id: a.request_id.to_string(),
                state: a.state,
                verification: a.verification,
                message: a.message,
                complaint_id: None,
                first_response_due: None,
            }
        }
    }

    impl From<steward_requests::ComplaintReceipt> for IntakeAnswer {
        fn from(a: steward_requests::ComplaintReceipt) -> Self {
            IntakeAnswer {
                request_id: a.complaint_id.to_string(),
                state: "received".into(),
                verification: "none".into(),
                message: a.message,
                complaint_id: Some(a.complaint_id.to_string()),
                first_response_due: Some(crate::common::ts(a.first_response_due)),
            }
        }
    }

    impl From<VerifyAnswer> for CodeAnswer {
        fn from(a: VerifyAnswer) -> Self {
            CodeAnswer {
                request_id: a.request_id.to_string(),
                state: a.state,
            }
        }
    }

    impl From<RequestListItem> for RequestRow {
        fn from(r: RequestListItem) -> Self {
            RequestRow {
                id: r.id.to_string(),
                kind: r.kind,
                state: r.state,
                requester: r.requester,
                channel: r.channel,
                subject: r.subject.map(|s| s.to_string()),
                received_at: ts(r.received_at),
                ack_due: ots(r.ack_due),
                due: ts(r.due),
                max_due: ts(r.max_due),
                status: r.status,
                days_left: r.days_left,
                may_deny_unverified: r.may_deny_unverified,
            }
        }
    }

    impl From<ClockView> for ClockOut {
        fn from(c: ClockView) -> Self {
            ClockOut {
                regime: c.regime,
                citation: c.citation,
                ack_due: ots(c.ack_due),
                due: ts(c.due),
                max_due: ts(c.max_due),
                propagate_by: ots(c.propagate_by),
            }
        }
    }

    impl From<ExtensionView> for ExtensionOut {
        fn from(e: ExtensionView) -> Self {
            ExtensionOut {
                new_due: ts(e.new_due),
                notified_at: ts(e.notified_at),
                previous_due: ts(e.previous_due),
                reason: e.reason,
            }
        }
    }

    impl From<VerificationView> for VerificationOut {
        fn from(v: VerificationView) -> Self {
            VerificationOut {
                declaration: v.declaration,
                method: v.method,
                required: object(&v.required),
                staff_points: v.staff_points,
                verified_at: ots(v.verified_at),
            }
        }
    }

    impl From<AgentView> for AgentOut {
        fn from(a: AgentView) -> Self {
            AgentOut {
                permission_recorded_at: ots(a.permission_recorded_at),
                permission_sha256: a.permission_sha256,
            }
        }
    }

    impl From<RepeatView> for RepeatOut {
        fn from(r: RepeatView) -> Self {
            RepeatOut {
                may_decline: r.may_decline,
                prior_in_window: u64::try_from(r.prior_in_window).unwrap_or(u64::MAX),
                reason: r.reason,
            }
        }
    }

    impl From<FailureView> for FailureOut {
        fn from(f: FailureView) -> Self {
            FailureOut {
                at: ts(f.at),
                reason: f.reason,
                system: f.system,
            }
        }
    }

    impl From<DenialView> for DenialOut {
        fn from(d: DenialView) -> Self {
            DenialOut {
                at: ts(d.at),
                justification: d.justification,
                reason: d.reason,
            }
        }
    }

    impl From<StepView> for StepOut {
        fn from(s: StepView) -> Self {
            StepOut {
                at: ts(s.at),
                action: s.action,
                state: s.state,
                actor: s.actor,
                detail: s.detail.as_ref().map(object),
            }
        }
    }

    impl From<MessageView> for MessageOut {
        fn from(m: MessageView) -> Self {
            MessageOut {
                attempts: m.attempts,
                created_at: ts(m.created_at),
                id: m.id.to_string(),
                kind: m.kind,
                last_error: m.last_error,
                sent_at: ots(m.sent_at),
            }
        }
    }

    impl From<DeliveryView> for DeliveryOut {
        fn from(d: DeliveryView) -> Self {
            DeliveryOut {
                attempts: d.attempts,
                confirmed_at: ots(d.confirmed_at),
                delivered_at: ots(d.delivered_at),
                event: d.event,
                id: d.id.to_string(),
                last_error: d.last_error,
                last_status: d.last_status,
                next_attempt_at: ts(d.next_attempt_at),
                notification: d.notification.map(|n| n.to_string()),
                recipient: d.recipient,
                request: d.request.map(|r| r.to_string()),
                state: d.state,
            }
        }
    }

    impl From<RequestView> for RequestOut {
        fn from(v: RequestView) -> Self {
            RequestOut {
                summary: v.summary.into(),
                regimes: v.regimes.into_iter().map(Into::into).collect(),
                propagate_by: ots(v.propagate_by),
                extension: v.extension.map(Into::into),
                verification: v.verification.into(),
                agent: v.agent.map(Into::into),
                repeat: v.repeat.map(Into::into),
                plan: v.plan.as_ref().map(object),
                failure: v.failure.map(Into::into),
                denial: v.denial.map(Into::into),
                steps: v.steps.into_iter().map(Into::into).collect(),
                messages: v.messages.into_iter().map(Into::into).collect(),
                deliveries: v.deliveries.into_iter().map(Into::into).collect(),
            }
        }
    }

    impl From<RequestMetrics> for RequestCounts {
        fn from(m: RequestMetrics) -> Self {
            RequestCounts {
                open: m.open,
                overdue: m.overdue,
                at_risk: m.at_risk,
                dead_letters: m.dead_letters,
                unconfirmed_overdue: m.unconfirmed_overdue,
                pending_messages: m.pending_messages,
                partner_notifications_open: m.partner_notifications_open,
                partner_notifications_overdue: m.partner_notifications_overdue,
                partner_notifications_without_webhook: m.partner_notifications_without_webhook,
            }
        }
    }

    impl From<Alert> for AlertOut {
        fn from(a: Alert) -> Self {
            AlertOut {
                kind: a.kind,
                request: a.request.map(|r| r.to_string()),
                notification: a.notification.map(|n| n.to_string()),
                recipient: a.recipient,
                since: ts(a.since),
                ..AlertOut::default()
            }
        }
    }
}
