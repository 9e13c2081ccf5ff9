//! [`Requests`]: the data subject request workflow — intake from every channel (RIGHTS-04),
//! the statutory clock (DL-*), verification, approval, execution, receipts, extensions,
//! denials, reports, connectors, webhooks and metrics. The HTTP API and the CLI are thin
//! layers over these methods (see `docs/requests.md`).
//!
//! States: `received` → `awaiting_verification` | `awaiting_agent_permission` → `verified`
//! → `approved` → `running` → `completed` | `failed` (run again) ; `denied` and
//! `forwarded` close a request too. Every transition is an append-only step and an audit
//! event (AUD-01/04: ids and codes, no personal data).

use std::sync::Arc;

use jiff::{SignedDuration, Timestamp};
use serde::Serialize;
use steward_deadlines::{ExtensionLength, Lookback, Regime, RequestKind, Status};
use steward_store::error::StoreError;
use steward_store::ids::{
    ConnectorId, DeliveryId, HoldId, ItemId, MessageId, RequestId, SubjectId,
};
use steward_store::model::audit::{AuditKind, EventRef};
use steward_store::model::event::NotificationId;
use steward_store::model::request::{
    ChallengeAttempt, ConnectorKind, ConnectorRecord, DeliveryRecord, LegalHoldRecord,
    MessageOutcome, NewChallenge, NewConnector, NewLegalHold, NewMessage, NewRequest,
    NewRequestStep, RequestChange, RequestCode, RequestQuery, RequestRecord, RequestState,
    RequestSummary, Requester,
};
use steward_store::model::subject::{IdentityKind, SubjectKind};
use steward_store::values::{FieldName, RecipientKey};
use steward_vault::{SecretString, Sensitive};

use super::config::RequestsConfig;
use super::connectors::Dataset;
use super::doc::{
    AgentDoc, CONTACT_LABEL, Contact, CorrectionDoc, DOC_VERSION, Denial, Doc, MESSAGE_LABEL,
    RepeatDoc, VerificationDoc,
};
use super::effects::{Effects, Email, WebhookUrl};
use super::receipts::Receipt;
use super::seal::Sealer;
use super::verification::{self, VerificationLevel};
use steward_core::CoreError;
use steward_core::{Caller, Steward};

/// The data subject request service. Cheap to share (`Arc`).
#[derive(Debug)]
pub struct Requests {
    pub(crate) steward: Arc<Steward>,
    pub(crate) config: RequestsConfig,
    pub(crate) effects: Effects,
}

/// A request as submitted, from any channel (RIGHTS-04).
#[derive(Debug, Clone)]
pub struct SubmitRequest {
    /// What is asked.
    pub kind: RequestKind,
    /// Who submits it.
    pub requester: Requester,
    /// Through which channel (`privacy_center`, `support`, `api`, `cli`, `email`, `in_service`).
    pub channel: String,
    /// The subject, when staff submit on someone's behalf (`requester = admin` only).
    pub subject_id: Option<SubjectId>,
    /// The subject's e-mail address: how the subject is found and where codes and answers go.
    pub email: Option<Sensitive<String>>,
    /// Declared residency (`US-CA`, `DE` ...), when the requester gives it.
    pub jurisdiction: Option<String>,
    /// An authorized agent's details (CCPA-23).
    pub agent: Option<AgentInput>,
    /// CCPA-06 look-back for know requests (default: the 12 months before receipt).
    pub lookback: Option<Lookback>,
    /// The purpose objected to, or whose consent is withdrawn.
    pub purpose: Option<String>,
    /// A correction.
    pub correction: Option<CorrectionInput>,
    /// Staff verified the subject already (support call with knowledge questions ...): the
    /// method, as a code (`requester = admin` only).
    pub preverified: Option<String>,
    /// When it was received, if earlier than now (a letter opened today): staff only.
    pub received_at: Option<Timestamp>,
}

impl SubmitRequest {
    /// A request of `kind` by the subject through `channel`, found by `email`.
    #[must_use]
    pub fn by_email(kind: RequestKind, channel: &str, email: &str) -> SubmitRequest {
        SubmitRequest {
            kind,
            requester: Requester::Subject,
            channel: channel.to_string(),
            subject_id: None,
            email: Some(Sensitive::new(email.to_string())),
            jurisdiction: None,
            agent: None,
            lookback: None,
            purpose: None,
            correction: None,
            preverified: None,
            received_at: None,
        }
    }
}

/// An authorized agent (CCPA-23).
#[derive(Debug, Clone)]
pub struct AgentInput {
    /// The agent's e-mail address.
    pub email: Option<Sensitive<String>>,
    /// SHA-256 (hex) of the consumer's signed permission, if provided with the request.
    pub permission_sha256: Option<String>,
}

/// A correction (GDPR-15, CCPA-11).
#[derive(Debug, Clone)]
pub struct CorrectionInput {
    /// The category corrected (`postal_address` ...).
    pub category: String,
    /// The item, when known (default: the newest live item of the category).
    pub item: Option<ItemId>,
    /// The correct value.
    pub value: Sensitive<String>,
}

/// What intake answers. INVARIANT: it depends only on the input and the caller, never on
/// whether the identity matched a subject (no account enumeration).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IntakeAnswer {
    /// The request id (to verify and follow it).
    pub request_id: RequestId,
    /// `awaiting_verification`, `awaiting_agent_permission`, `verified`, `approved`,
    /// `completed`.
    pub state: String,
    /// `email_code`, `session`, `staff`, `none`.
    pub verification: String,
    /// What happens next, for the requester.
    pub message: String,
}

/// What verifying a code answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerifyAnswer {
    /// The request.
    pub request_id: RequestId,
    /// Its state now.
    pub state: String,
}

/// A request in the queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RequestListItem {
    /// Id.
    pub id: RequestId,
    /// Kind.
    pub kind: String,
    /// State.
    pub state: String,
    /// Who submitted it.
    pub requester: String,
    /// Channel.
    pub channel: String,
    /// Subject (pseudonymous id), once known.
    pub subject: Option<SubjectId>,
    /// Received.
    pub received_at: Timestamp,
    /// Acknowledgement due.
    pub ack_due: Option<Timestamp>,
    /// Due (deadline in force).
    pub due: Timestamp,
    /// Latest possible deadline.
    pub max_due: Timestamp,
    /// `ON_TRACK`, `AT_RISK`, `OVERDUE`, or `CLOSED`.
    pub status: String,
    /// Days left (negative when overdue).
    pub days_left: i64,
    /// CCPA-04: still unverified at its deadline — it may be denied as unverifiable.
    pub may_deny_unverified: bool,
}

/// Which requests to list.
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    /// Include closed requests.
    pub include_closed: bool,
    /// Only this state.
    pub state: Option<RequestState>,
    /// Only this subject's.
    pub subject: Option<SubjectId>,
    /// Continue after this `(due, id)`.
    pub after: Option<(Timestamp, RequestId)>,
    /// Page size (default 100, at most 10 000).
    pub limit: Option<u32>,
}

/// One regime's clock on a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClockView {
    /// Regime.
    pub regime: String,
    /// Legal source.
    pub citation: String,
    /// Acknowledgement due.
    pub ack_due: Option<Timestamp>,
    /// Due.
    pub due: Timestamp,
    /// With an extension.
    pub max_due: Timestamp,
    /// Propagation due (opt-outs).
    pub propagate_by: Option<Timestamp>,
}

/// A step as shown.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StepView {
    /// When.
    pub at: Timestamp,
    /// What.
    pub action: String,
    /// State after.
    pub state: String,
    /// Who (`system`, `service:<key>`, `subject:<id>`).
    pub actor: String,
    /// Details.
    pub detail: serde_json::Value,
}

/// A request in full (no personal data: contact details stay sealed).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RequestView {
    /// The queue line.
    #[serde(flatten)]
    pub summary: RequestListItem,
    /// Regimes and their clocks (DL-03).
    pub regimes: Vec<ClockView>,
    /// Propagation deadline for opt-outs (CCPA-13).
    pub propagate_by: Option<Timestamp>,
    /// The extension, if granted.
    pub extension: Option<serde_json::Value>,
    /// Verification required and done.
    pub verification: serde_json::Value,
    /// CCPA-07: may be declined as a third know request in 12 months.
    pub repeat: Option<serde_json::Value>,
    /// The erasure plan (deletion requests).
    pub plan: Option<super::plan::ErasurePlan>,
    /// The last failure, if failed: which system and why.
    pub failure: Option<serde_json::Value>,
    /// The denial, if denied.
    pub denial: Option<serde_json::Value>,
    /// Steps.
    pub steps: Vec<StepView>,
    /// Outbox messages (kind and state only).
    pub messages: Vec<serde_json::Value>,
    /// Webhook deliveries.
    pub deliveries: Vec<serde_json::Value>,
}

/// Approval input: what staff checked (CCPA-24 data points, signed declaration).
#[derive(Debug, Clone, Copy, Default)]
pub struct ApproveInput {
    /// Data points staff matched beyond the e-mail code.
    pub data_points: u8,
    /// A signed declaration under penalty of perjury was received.
    pub signed_declaration: bool,
}

/// Why a request is denied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DenyReason {
    /// The controller cannot identify the subject (GDPR Art. 11(2), 12(2)).
    CannotIdentify,
    /// Still unverified at its deadline (CCPA-04).
    Unverified,
    /// Manifestly unfounded (GDPR Art. 12(5)): needs a justification.
    ManifestlyUnfounded,
    /// Excessive, in particular repetitive (GDPR Art. 12(5)): needs a justification.
    Excessive,
    /// A third know request within 12 months (CCPA §1798.130(b)).
    RepeatKnowRequest,
    /// A documented good-faith belief of fraud (opt-outs, CCPA-13): needs a justification.
    Fraudulent,
    /// Another reason (not allowed for GDPR subjects: GDPR-02).
    Other,
}

impl DenyReason {
    /// Stable code.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            DenyReason::CannotIdentify => "cannot_identify",
            DenyReason::Unverified => "unverified",
            DenyReason::ManifestlyUnfounded => "manifestly_unfounded",
            DenyReason::Excessive => "excessive",
            DenyReason::RepeatKnowRequest => "repeat_know_request",
            DenyReason::Fraudulent => "fraudulent",
            DenyReason::Other => "other",
        }
    }
}

impl std::str::FromStr for DenyReason {
    type Err = CoreError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s {
            "cannot_identify" => DenyReason::CannotIdentify,
            "unverified" => DenyReason::Unverified,
            "manifestly_unfounded" => DenyReason::ManifestlyUnfounded,
            "excessive" => DenyReason::Excessive,
            "repeat_know_request" => DenyReason::RepeatKnowRequest,
            "fraudulent" => DenyReason::Fraudulent,
            "other" => DenyReason::Other,
            _ => {
                return Err(CoreError::invalid(
                    "UNKNOWN_DENIAL_REASON",
                    format!("unknown denial reason `{s}`"),
                ));
            }
        })
    }
}

/// Counts for the metrics endpoint and the console.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
pub struct RequestMetrics {
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

/// An alert for the console (DL-04, RET-03, RET-07, ADTECH-03).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Alert {
    /// `DUE_IN_7_DAYS`, `DUE_IN_2_DAYS`, `OVERDUE`, `PROCESSOR_DELETION_UNCONFIRMED`,
    /// `WEBHOOK_DEAD_LETTER`, `PARTNER_NOTIFICATION_OVERDUE` (an opt-out notification not
    /// acknowledged by its due date), `PARTNER_NO_WEBHOOK` (an open notification whose
    /// recipient has no webhook endpoint: notify it another way, or register one).
    pub kind: String,
    /// The request, for request alerts.
    pub request: Option<RequestId>,
    /// The partner notification, for partner alerts (and their dead letters).
    pub notification: Option<NotificationId>,
    /// The recipient, for processor and partner alerts.
    pub recipient: Option<String>,
    /// Since when the alert applies.
    pub since: Timestamp,
}

/// Report formats (DEC-10/11).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    /// The access report as JSON (machine-readable).
    Json,
    /// One row per piece of data.
    Csv,
    /// A readable page.
    Html,
    /// The portable export (GDPR-19) as JSON.
    PortableJson,
    /// The portable export as CSV.
    PortableCsv,
}

impl std::str::FromStr for ReportFormat {
    type Err = CoreError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s {
            "json" => ReportFormat::Json,
            "csv" => ReportFormat::Csv,
            "html" => ReportFormat::Html,
            "portable" | "portable-json" | "portable_json" => ReportFormat::PortableJson,
            "portable-csv" | "portable_csv" => ReportFormat::PortableCsv,
            _ => {
                return Err(CoreError::invalid(
                    "UNKNOWN_FORMAT",
                    format!(
                        "unknown report format `{s}` (json, csv, html, portable-json, portable-csv)"
                    ),
                ));
            }
        })
    }
}

/// A report, ready to send.
#[derive(Debug, Clone)]
pub struct ReportOutput {
    /// `application/json`, `text/csv; charset=utf-8`, `text/html; charset=utf-8`.
    pub content_type: &'static str,
    /// A file name to suggest.
    pub file_name: String,
    /// The bytes (personal data).
    pub body: Sensitive<Vec<u8>>,
}

/// A dataset connector to register.
#[derive(Debug, Clone)]
pub struct DatasetRegistration {
    /// A unique name (`shop_db`).
    pub name: String,
    /// SQLite or PostgreSQL.
    pub kind: ConnectorKind,
    /// The annotation (TOML or JSON).
    pub annotation: String,
    /// How to connect.
    pub connection: ConnectionSource,
}

/// Where a connection string (or a webhook secret) comes from.
#[derive(Clone)]
pub enum ConnectionSource {
    /// Given now: sealed under the connector's key before it is stored.
    Secret(SecretString),
    /// Read from this environment variable when used (never stored).
    Env(String),
}

impl std::fmt::Debug for ConnectionSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ConnectionSource::Secret(_) => f.write_str("Secret([redacted])"),
            ConnectionSource::Env(n) => write!(f, "Env({n})"),
        }
    }
}

/// A webhook endpoint to register for a recipient (processor or third party).
#[derive(Debug, Clone)]
pub struct WebhookRegistration {
    /// A unique name.
    pub name: String,
    /// The policy's recipient id (`SP_EMAIL`, `MP1` ...).
    pub recipient: String,
    /// The endpoint URL (`https://…`).
    pub url: String,
    /// The HMAC-SHA256 signing secret shared with the recipient.
    pub secret: ConnectionSource,
}

/// A connector as shown (no secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConnectorView {
    /// Id.
    pub id: ConnectorId,
    /// Name.
    pub name: String,
    /// `sqlite`, `postgres`, `webhook`.
    pub kind: String,
    /// Recipient (webhooks).
    pub recipient: Option<String>,
    /// Tables in erasure order with their action (datasets).
    pub tables: Vec<(String, String)>,
    /// Where the secret comes from: `sealed` or `env:<NAME>`.
    pub secret: String,
    /// Disabled.
    pub disabled: bool,
}

/// The stored configuration of a connector (no secrets).
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub(crate) struct ConnectorConfig {
    #[serde(default)]
    pub(crate) dataset: Option<Dataset>,
    #[serde(default)]
    pub(crate) url: Option<String>,
    #[serde(default)]
    pub(crate) secret_env: Option<String>,
}

pub(crate) fn code(s: &str) -> Result<RequestCode, CoreError> {
    RequestCode::new(s).map_err(|e| CoreError::invalid("BAD_CODE", e.to_string()))
}

pub(crate) fn kind_of(rec: &RequestRecord) -> Result<RequestKind, CoreError> {
    rec.kind
        .as_str()
        .parse()
        .map_err(|_| CoreError::Unavailable("stored request kind is unknown"))
}

fn public_state(s: RequestState) -> &'static str {
    s.as_str()
}

fn staff(caller: &Caller) -> bool {
    !matches!(caller, Caller::Subject(_))
}

impl Requests {
    /// The service over a running [`Steward`], performing its effects through `effects`.
    #[must_use]
    pub fn new(steward: Arc<Steward>, config: RequestsConfig, effects: Effects) -> Arc<Requests> {
        // The deadlines the core sets itself (partner notifications) follow the same
        // calendar as the requests' clocks.
        steward.set_calendar(config.calendar.clone());
        Arc::new(Requests {
            steward,
            config,
            effects,
        })
    }

    /// The configuration.
    #[must_use]
    pub fn config(&self) -> &RequestsConfig {
        &self.config
    }

    /// The core service.
    #[must_use]
    pub fn steward(&self) -> &Arc<Steward> {
        &self.steward
    }

    /// The company name used in messages: the configured one, else the controller the
    /// policy file declares (its legal name, up to the first comma).
    #[must_use]
    pub fn company(&self) -> String {
        match &self.config.company {
            Some(c) => c.clone(),
            None => {
                let engine = self.steward.engine();
                let legal = engine.meta.controller.split(',').next().unwrap_or_default();
                legal.trim().to_string()
            }
        }
    }

    pub(crate) fn now(&self) -> Timestamp {
        self.steward.clock().now()
    }

    pub(crate) fn step(
        &self,
        caller: &Caller,
        action: &str,
        state: RequestState,
        detail: serde_json::Value,
    ) -> Result<NewRequestStep, CoreError> {
        Ok(NewRequestStep {
            id: steward_store::ids::RequestStepId::generate(),
            at: self.now(),
            actor: caller.actor(),
            action: code(action)?,
            state,
            detail: serde_json::to_vec(&detail)
                .map_err(|e| CoreError::invalid("BAD_DETAIL", e.to_string()))?,
        })
    }

    /// An audit event for a request step (AUD-01/04: ids and codes only).
    pub(crate) fn audit_event(
        &self,
        caller: &Caller,
        action: &str,
        rec: &RequestRecord,
        state: RequestState,
    ) -> steward_store::model::audit::AuditEvent {
        let mut e = self
            .steward
            .event(AuditKind::RequestStep, &format!("dsr.{action}"), caller);
        e.subject = rec.subject;
        if let Ok(n) = FieldName::new("request") {
            e.refs.push(EventRef {
                name: n,
                id: rec.id.as_uuid(),
            });
        }
        e.attributes = [("kind", rec.kind.as_str()), ("state", state.as_str())]
            .iter()
            .filter_map(|(n, v)| {
                Some(steward_store::model::audit::Attribute {
                    name: FieldName::new(*n).ok()?,
                    value: steward_store::values::AttrValue::new(*v).ok()?,
                })
            })
            .collect();
        e
    }

    /// Changes a request's state (and document), appends the step and audits it.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn transition(
        &self,
        caller: &Caller,
        rec: &RequestRecord,
        doc: &Doc,
        state: RequestState,
        action: &str,
        detail: serde_json::Value,
        patch: impl FnOnce(&mut RequestChange),
    ) -> Result<RequestRecord, CoreError> {
        let now = self.now();
        let mut change = RequestChange {
            subject: rec.subject,
            state,
            ack_due: doc.ticket.ack_due().map(|d| d.at()),
            due: doc.ticket.current_due().at(),
            max_due: doc.ticket.max_due().at(),
            closed_at: if state.is_open() {
                None
            } else {
                Some(rec.closed_at.unwrap_or(now))
            },
            key: rec.key.clone(),
            sealed: rec.sealed.clone(),
            doc: doc.to_bytes()?,
        };
        patch(&mut change);
        let step = self.step(caller, action, state, detail)?;
        let updated = match self
            .steward
            .store()
            .update_request(rec.id, rec.revision, &change, &step)
            .await
        {
            Ok(r) => r,
            Err(StoreError::Conflict {
                reason: steward_store::error::ConflictReason::StaleRevision,
                ..
            }) => {
                return Err(CoreError::Conflict {
                    code: "REQUEST_CHANGED",
                    message: "the request was changed by someone else meanwhile: read it again"
                        .into(),
                });
            }
            Err(e) => return Err(e.into()),
        };
        self.steward
            .audit()
            .append_one(self.audit_event(caller, action, &updated, state))
            .await?;
        Ok(updated)
    }

    pub(crate) async fn load(&self, id: RequestId) -> Result<(RequestRecord, Doc), CoreError> {
        let rec = self.steward.store().get_request(id).await?;
        let doc = Doc::from_bytes(&rec.doc)?;
        Ok((rec, doc))
    }

    pub(crate) fn sealer(&self, rec: &RequestRecord) -> Result<Option<Sealer>, CoreError> {
        match &rec.key {
            Some(k) => Ok(Some(Sealer::open_key(
                self.steward.vault(),
                rec.id.as_uuid(),
                k,
            )?)),
            None => Ok(None),
        }
    }

    pub(crate) fn contact(&self, rec: &RequestRecord) -> Result<Contact, CoreError> {
        match (self.sealer(rec)?, &rec.sealed) {
            (Some(s), Some(ct)) => s.open_json(CONTACT_LABEL, ct),
            _ => Ok(Contact::default()),
        }
    }

    /// Where to write to the subject: the address given with the request, else the newest
    /// e-mail item of the subject.
    pub(crate) async fn address(
        &self,
        rec: &RequestRecord,
    ) -> Result<Option<Sensitive<String>>, CoreError> {
        let c = self.contact(rec)?;
        if let Some(e) = c.email {
            return Ok(Some(e));
        }
        let Some(s) = rec.subject else {
            return Ok(None);
        };
        let values = self.values_of(s, &["email"]).await?;
        Ok(values.into_iter().last().map(|(_, v)| v))
    }

    /// Queues messages to the subject, sealed, then hands them to the transport at once
    /// (a refusal leaves them queued for [`deliver_due`](Self::deliver_due)).
    pub(crate) async fn send(
        &self,
        rec: &RequestRecord,
        messages: Vec<(&str, Email)>,
    ) -> Result<(), CoreError> {
        if messages.is_empty() {
            return Ok(());
        }
        let Some(sealer) = self.sealer(rec)? else {
            return Ok(());
        };
        let now = self.now();
        let mut rows = Vec::with_capacity(messages.len());
        for (kind, email) in &messages {
            rows.push(NewMessage {
                id: MessageId::generate(),
                request: rec.id,
                kind: code(kind)?,
                created_at: now,
                sealed: sealer.seal_json(MESSAGE_LABEL, email)?,
            });
        }
        self.steward.store().enqueue_messages(&rows).await?;
        for (row, (_, email)) in rows.iter().zip(&messages) {
            let outcome = match self.effects.mailer.send(row.id, now, email).await {
                Ok(()) => MessageOutcome::Sent,
                Err(e) => MessageOutcome::Failed(code(e.code())?),
            };
            self.steward
                .store()
                .record_message_attempt(row.id, &outcome, now)
                .await?;
        }
        Ok(())
    }

    /// Regimes of a subject and of a declared jurisdiction (DL-03).
    async fn regimes(
        &self,
        subject: Option<SubjectId>,
        declared: Option<&str>,
        now: Timestamp,
    ) -> Result<(Vec<Regime>, Option<SubjectKind>), CoreError> {
        let engine = self.steward.engine();
        let mut out: Vec<Regime> = Vec::new();
        let mut kind = None;
        if let Some(j) = declared {
            let parsed: steward_policy::Jurisdiction =
                j.parse()
                    .map_err(|e: steward_policy::facts::BadJurisdiction| {
                        CoreError::invalid("BAD_JURISDICTION", e.to_string())
                    })?;
            let s = steward_policy::Subject::new(
                steward_policy::SubjectKind::CustomerAccountHolder,
                Some(parsed),
            );
            out.extend(super::regimes_for(&engine, &s));
        }
        if let Some(id) = subject {
            match self.steward.resolve(id, now).await {
                Ok(r) => {
                    kind = Some(r.record.facts.kind);
                    out.extend(super::regimes_for(&engine, &r.subject));
                }
                Err(CoreError::NotFound(_)) => {}
                Err(e) => return Err(e),
            }
        }
        out.sort();
        out.dedup();
        if out.len() > 1 {
            out.retain(|r| *r != Regime::Policy);
        }
        if out.is_empty() {
            out.push(Regime::Policy);
        }
        Ok((out, kind))
    }

    /// Intake (DEC-08): a request from any channel becomes one `PrivacyRequest` with its
    /// statutory clock. The answer is the same whether or not the identity matched a subject.
    ///
    /// # Errors
    /// `Invalid` for a request that cannot be accepted as given (no identity, a staff-only
    /// field from a subject, a correction verified through the data corrected ...).
    pub async fn submit(
        &self,
        caller: &Caller,
        input: SubmitRequest,
    ) -> Result<IntakeAnswer, CoreError> {
        let now = self.now();
        let is_staff_request = input.requester == Requester::Admin;
        if is_staff_request && !staff(caller) {
            return Err(CoreError::invalid(
                "NOT_STAFF",
                "only staff can submit a request on someone's behalf",
            ));
        }
        if !is_staff_request
            && (input.subject_id.is_some()
                || input.preverified.is_some()
                || input.received_at.is_some())
        {
            return Err(CoreError::invalid(
                "STAFF_ONLY_FIELD",
                "`subject_id`, `preverified` and `received_at` are for requests staff submit on someone's behalf",
            ));
        }
        let received_at = input.received_at.map_or(now, |t| t.min(now));
        let channel = code(&input.channel)?;
        if input.requester == Requester::Agent && input.agent.is_none() {
            return Err(CoreError::invalid(
                "AGENT_REQUIRED",
                "an agent request needs the agent's details",
            ));
        }
        // Who is it about?
        let (subject, signed_in) = match caller {
            Caller::Subject(id) if input.requester == Requester::Subject => (Some(*id), true),
            _ => match (input.subject_id, &input.email) {
                (Some(id), _) => {
                    self.steward.store().get_subject(id).await?;
                    (Some(id), false)
                }
                (None, Some(email)) => {
                    let r = self
                        .steward
                        .identity_ref(IdentityKind::Email, email.expose())?;
                    let links = self.steward.store().find_by_identity(&r).await?;
                    (links.first().map(|l| l.subject), false)
                }
                (None, None) => {
                    return Err(CoreError::invalid(
                        "IDENTITY_REQUIRED",
                        "give the e-mail address of the person the request is about",
                    ));
                }
            },
        };
        let (regimes, subject_kind) = self
            .regimes(subject, input.jurisdiction.as_deref(), now)
            .await?;
        let ticket =
            steward_deadlines::intake(input.kind, &regimes, received_at, &self.config.calendar)
                .map_err(|e| CoreError::invalid(e.code(), e.to_string()))?;
        let account = matches!(
            subject_kind,
            Some(SubjectKind::CustomerAccountHolder | SubjectKind::AuthorizedUser)
        );
        let required = verification::verification_level(input.kind, account);
        let method = if !required.is_required() {
            "none".to_string()
        } else if signed_in {
            "session".to_string()
        } else if let Some(m) = &input.preverified {
            code(m)?;
            format!("staff:{m}")
        } else {
            "email_code".to_string()
        };
        if method == "email_code" && input.email.is_none() {
            return Err(CoreError::invalid(
                "EMAIL_REQUIRED",
                "an e-mail address is needed to send the verification code",
            ));
        }
        if let Some(c) = &input.correction {
            verification::check_correction_verification(&c.category, &method)?;
            if self.steward.engine().category(&c.category).is_none() {
                return Err(CoreError::invalid(
                    "UNKNOWN_CATEGORY",
                    format!("`{}` is not a category of the policy", c.category),
                ));
            }
        } else if input.kind == RequestKind::Correction {
            return Err(CoreError::invalid(
                "CORRECTION_REQUIRED",
                "a correction request says what to correct",
            ));
        }
        if matches!(
            input.kind,
            RequestKind::Objection | RequestKind::WithdrawConsent
        ) {
            let p = input.purpose.as_deref().ok_or_else(|| {
                CoreError::invalid("PURPOSE_REQUIRED", "say which purpose the request is about")
            })?;
            if self.steward.engine().purpose(p).is_none() {
                return Err(CoreError::invalid(
                    "UNKNOWN_PURPOSE",
                    format!("`{p}` is not a purpose of the policy"),
                ));
            }
        }
        // CCPA-07 and the copy number (GDPR-14(3)).
        let (repeat, copy_number) = match subject {
            Some(s) if input.kind.is_know() => {
                let prior = self
                    .steward
                    .store()
                    .list_requests(&RequestQuery::of_subject(s, 10_000))
                    .await?;
                let know: Vec<Timestamp> = prior
                    .iter()
                    .filter(|r| {
                        r.kind
                            .as_str()
                            .parse::<RequestKind>()
                            .is_ok_and(RequestKind::is_know)
                            && r.state != RequestState::Denied
                    })
                    .map(|r| r.received_at)
                    .collect();
                let check = steward_deadlines::clocks::ccpa_repeat_know_request(
                    input.kind,
                    received_at,
                    &know,
                    &self.config.calendar,
                )
                .map_err(|e| CoreError::invalid(e.code(), e.to_string()))?;
                let applies = regimes.contains(&Regime::Ccpa);
                (
                    Some(RepeatDoc {
                        may_decline: applies && check.may_decline,
                        reason: check.reason.filter(|_| applies).map(str::to_string),
                        prior_in_window: check.prior_in_window,
                    }),
                    u32::try_from(know.len())
                        .unwrap_or(u32::MAX)
                        .saturating_add(1),
                )
            }
            _ => (None, 1),
        };
        let agent_pending = input.requester == Requester::Agent
            && input
                .agent
                .as_ref()
                .is_some_and(|a| a.permission_sha256.is_none());
        let state = if agent_pending {
            RequestState::AwaitingAgentPermission
        } else {
            match method.as_str() {
                "email_code" => RequestState::AwaitingVerification,
                "none" => RequestState::Received,
                _ => self.after_verification(input.kind),
            }
        };
        let id = RequestId::generate();
        let (sealer, key) = Sealer::create(self.steward.vault(), id.as_uuid())?;
        let contact = Contact {
            email: input.email.clone(),
            agent_email: input.agent.as_ref().and_then(|a| a.email.clone()),
            correction_value: input.correction.as_ref().map(|c| c.value.clone()),
        };
        let doc = Doc {
            v: DOC_VERSION,
            ticket,
            regimes: regimes.clone(),
            declared_jurisdiction: input.jurisdiction.clone(),
            verification: VerificationDoc {
                required,
                method: method.clone(),
                verified_at: matches!(state, RequestState::Verified | RequestState::Approved)
                    .then_some(now),
                staff_points: 0,
                declaration: false,
            },
            agent: input.agent.as_ref().map(|a| AgentDoc {
                permission_sha256: a.permission_sha256.clone(),
                permission_recorded_at: a.permission_sha256.as_ref().map(|_| now),
            }),
            lookback: input.lookback,
            purpose: input.purpose.clone(),
            correction: input.correction.as_ref().map(|c| CorrectionDoc {
                category: c.category.clone(),
                item: c.item,
            }),
            repeat,
            copy_number,
            plan: None,
            progress: Vec::new(),
            failure: None,
            runs: 0,
            denial: None,
            forwarded_to: None,
        };
        let new = NewRequest {
            id,
            kind: code(input.kind.as_str())?,
            subject,
            requester: input.requester,
            channel,
            state,
            received_at,
            ack_due: doc.ticket.ack_due().map(|d| d.at()),
            due: doc.ticket.current_due().at(),
            max_due: doc.ticket.max_due().at(),
            key: Some(key),
            sealed: Some(sealer.seal_json(CONTACT_LABEL, &contact)?),
            doc: doc.to_bytes()?,
            step: self.step(
                caller,
                "intake",
                state,
                serde_json::json!({
                    "kind": input.kind.as_str(),
                    "requester": input.requester.as_str(),
                    "regimes": regimes.iter().map(|r| r.as_str()).collect::<Vec<_>>(),
                    "verification": method,
                }),
            )?,
        };
        let rec = self.steward.store().create_request(&new).await?;
        self.steward
            .audit()
            .append_one(self.audit_event(caller, "intake", &rec, state))
            .await?;
        // Messages: the acknowledgement (CCPA-04) and the code.
        let mut messages = Vec::new();
        if method == "email_code" && !agent_pending {
            messages.push(("verification_code", self.new_challenge(&rec).await?));
        }
        if let Some(to) = contact.email.clone()
            && !input.kind.is_opt_out()
        {
            messages.push((
                "acknowledgement",
                super::texts::acknowledgement(self, &rec, &doc, to, &method),
            ));
        }
        self.send(&rec, messages).await?;
        let verification_public = match method.as_str() {
            m if m.starts_with("staff:") => "staff",
            m => m,
        }
        .to_string();
        let mut state_now = state;
        if state == RequestState::Received {
            // Opt-outs need no verification: applied at once (CCPA-13).
            let out = self.execute(caller, rec.id, &|_| {}).await?;
            state_now = out.state;
        }
        Ok(IntakeAnswer {
            request_id: id,
            state: public_state(state_now).to_string(),
            verification: verification_public,
            message: super::texts::intake_message(&method, agent_pending).to_string(),
        })
    }

    fn after_verification(&self, kind: RequestKind) -> RequestState {
        if !self.config.require_approval || self.config.auto_approve.contains(&kind) {
            RequestState::Approved
        } else {
            RequestState::Verified
        }
    }

    /// A new one-time code for a request, as the message that carries it.
    async fn new_challenge(&self, rec: &RequestRecord) -> Result<Email, CoreError> {
        let now = self.now();
        let code_value = verification::new_code()?;
        let hash =
            verification::code_hash(self.steward.blind_index(), rec.id, code_value.expose())?;
        let expires_at = now
            .checked_add(self.config.code_ttl)
            .map_err(|_| CoreError::Unavailable("clock out of range"))?;
        self.steward
            .store()
            .create_challenge(&NewChallenge {
                id: steward_store::ids::ChallengeId::generate(),
                request: rec.id,
                code_hash: hash,
                created_at: now,
                expires_at,
                max_attempts: self.config.code_attempts,
            })
            .await?;
        let to = self.contact(rec)?.email.ok_or_else(|| {
            CoreError::invalid("EMAIL_REQUIRED", "no e-mail address to send the code to")
        })?;
        Ok(super::texts::code_message(
            self,
            rec,
            to,
            &code_value,
            expires_at,
        ))
    }

    /// Sends a fresh code (the previous one stops working). At most `max_codes` per request.
    ///
    /// # Errors
    /// `NotFound`, `Conflict(NOT_AWAITING_VERIFICATION)`, `Conflict(TOO_MANY_CODES)`.
    pub async fn resend_code(&self, id: RequestId) -> Result<IntakeAnswer, CoreError> {
        let (rec, doc) = self.load(id).await?;
        if rec.state != RequestState::AwaitingVerification
            || doc.verification.method != "email_code"
        {
            return Err(CoreError::Conflict {
                code: "NOT_AWAITING_VERIFICATION",
                message: "the request is not waiting for a code".into(),
            });
        }
        let sent = self
            .steward
            .store()
            .request_messages(id)
            .await?
            .iter()
            .filter(|m| m.kind.as_str() == "verification_code")
            .count();
        if sent >= self.config.max_codes as usize {
            return Err(CoreError::Conflict {
                code: "TOO_MANY_CODES",
                message: "no more codes can be sent for this request; submit it again".into(),
            });
        }
        let email = self.new_challenge(&rec).await?;
        self.send(&rec, vec![("verification_code", email)]).await?;
        Ok(IntakeAnswer {
            request_id: id,
            state: public_state(rec.state).to_string(),
            verification: "email_code".into(),
            message: super::texts::intake_message("email_code", false).to_string(),
        })
    }

    /// Checks a one-time code (CCPA-24, GDPR-06). The store counts the attempt atomically.
    ///
    /// # Errors
    /// `NotFound`; `Invalid` with `CODE_INVALID` (and the attempts left), `CODE_EXPIRED`,
    /// `CODE_EXHAUSTED`.
    pub async fn verify_code(
        &self,
        id: RequestId,
        code_text: &str,
    ) -> Result<VerifyAnswer, CoreError> {
        let (rec, mut doc) = self.load(id).await?;
        if rec.state != RequestState::AwaitingVerification {
            return Ok(VerifyAnswer {
                request_id: id,
                state: public_state(rec.state).to_string(),
            });
        }
        let Some(ch) = self.steward.store().latest_challenge(id).await? else {
            return Err(CoreError::invalid("CODE_INVALID", "the code is not valid"));
        };
        let hash = verification::code_hash(self.steward.blind_index(), id, code_text)?;
        // SECURITY: constant-time comparison of the keyed hashes.
        let matched = ch
            .code_hash
            .0
            .iter()
            .zip(hash.0.iter())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0;
        let now = self.now();
        match self
            .steward
            .store()
            .attempt_challenge(ch.id, matched, now)
            .await?
        {
            ChallengeAttempt::Accepted => {}
            ChallengeAttempt::AlreadyUsed => {
                return Ok(VerifyAnswer {
                    request_id: id,
                    state: public_state(rec.state).to_string(),
                });
            }
            ChallengeAttempt::Rejected { remaining } => {
                return Err(CoreError::invalid(
                    "CODE_INVALID",
                    format!("the code is not valid; {remaining} attempt(s) left"),
                ));
            }
            ChallengeAttempt::Exhausted => {
                return Err(CoreError::invalid(
                    "CODE_EXHAUSTED",
                    "too many wrong codes: ask for a new code",
                ));
            }
            ChallengeAttempt::Expired => {
                return Err(CoreError::invalid(
                    "CODE_EXPIRED",
                    "the code has expired: ask for a new code",
                ));
            }
        }
        let kind = kind_of(&rec)?;
        // GDPR-06: the clock pauses while waiting for the code only when configured.
        doc.ticket
            .record_verification_wait(ch.created_at, now, &self.config.calendar)
            .map_err(|e| CoreError::invalid(e.code(), e.to_string()))?;
        doc.verification.verified_at = Some(now);
        let state = self.after_verification(kind);
        let updated = self
            .transition(
                &Caller::System,
                &rec,
                &doc,
                state,
                "verified",
                serde_json::json!({"method": "email_code"}),
                |_| {},
            )
            .await?;
        Ok(VerifyAnswer {
            request_id: id,
            state: public_state(updated.state).to_string(),
        })
    }

    /// GDPR-06: asks the subject for more identifying information. Refused when it is more
    /// than necessary (a signed-in subject, identity documents).
    ///
    /// # Errors
    /// `Invalid(DISPROPORTIONATE_VERIFICATION)`, `NotFound`.
    pub async fn request_more_information(
        &self,
        caller: &Caller,
        id: RequestId,
        fields: &[String],
    ) -> Result<RequestView, CoreError> {
        let (rec, doc) = self.load(id).await?;
        verification::check_extra_verification(doc.verification.method == "session", fields)?;
        for f in fields {
            code(f)?;
        }
        self.steward
            .store()
            .append_request_step(
                id,
                &self.step(
                    caller,
                    "verification.more_information",
                    rec.state,
                    serde_json::json!({"fields": fields}),
                )?,
            )
            .await?;
        if let Some(to) = self.address(&rec).await? {
            let email = super::texts::more_information(self, &rec, to, fields);
            self.send(&rec, vec![("more_information", email)]).await?;
        }
        self.show(id).await
    }

    /// CCPA-23: staff record the consumer's signed permission for an agent (by its hash); the
    /// consumer then confirms directly with a code sent to their own address.
    ///
    /// # Errors
    /// `Conflict(NOT_AWAITING_AGENT_PERMISSION)`, `Invalid(BAD_HASH)`.
    pub async fn record_agent_permission(
        &self,
        caller: &Caller,
        id: RequestId,
        permission_sha256: &str,
    ) -> Result<RequestView, CoreError> {
        let (rec, mut doc) = self.load(id).await?;
        if rec.state != RequestState::AwaitingAgentPermission {
            return Err(CoreError::Conflict {
                code: "NOT_AWAITING_AGENT_PERMISSION",
                message: "the request is not waiting for an agent's permission".into(),
            });
        }
        if permission_sha256.len() != 64
            || !permission_sha256.chars().all(|c| c.is_ascii_hexdigit())
        {
            return Err(CoreError::invalid(
                "BAD_HASH",
                "give the SHA-256 (64 hex characters) of the signed permission",
            ));
        }
        doc.agent = Some(AgentDoc {
            permission_sha256: Some(permission_sha256.to_ascii_lowercase()),
            permission_recorded_at: Some(self.now()),
        });
        let kind = kind_of(&rec)?;
        let state = match doc.verification.method.as_str() {
            "email_code" => RequestState::AwaitingVerification,
            _ => self.after_verification(kind),
        };
        let updated = self
            .transition(
                caller,
                &rec,
                &doc,
                state,
                "agent.permission",
                serde_json::json!({}),
                |_| {},
            )
            .await?;
        if state == RequestState::AwaitingVerification {
            let email = self.new_challenge(&updated).await?;
            self.send(&updated, vec![("verification_code", email)])
                .await?;
        }
        self.show(id).await
    }

    /// Approves a verified request (the privacy team's review). For a non-account holder
    /// asking for specific pieces, staff confirm the data points matched and the signed
    /// declaration (CCPA-24).
    ///
    /// # Errors
    /// `Conflict(NOT_VERIFIED)`, `Invalid(VERIFICATION_INSUFFICIENT)`, `Invalid(NOT_STAFF)`.
    pub async fn approve(
        &self,
        caller: &Caller,
        id: RequestId,
        input: ApproveInput,
    ) -> Result<RequestView, CoreError> {
        if !staff(caller) {
            return Err(CoreError::invalid(
                "NOT_STAFF",
                "only staff approve requests",
            ));
        }
        let (rec, mut doc) = self.load(id).await?;
        if rec.state != RequestState::Verified {
            return Err(CoreError::Conflict {
                code: "NOT_VERIFIED",
                message: format!("the request is `{}`, not `verified`", rec.state),
            });
        }
        if let VerificationLevel::DataPoints {
            points,
            declaration,
        } = doc.verification.required
        {
            let base = u8::from(doc.verification.method == "email_code");
            let have = base.saturating_add(input.data_points);
            let staff_verified = doc.verification.method.starts_with("staff:");
            if !staff_verified && (have < points || (declaration && !input.signed_declaration)) {
                return Err(CoreError::invalid(
                    "VERIFICATION_INSUFFICIENT",
                    format!(
                        "this request needs {points} matching data points{} (11 CCR §7062); {have} confirmed",
                        if declaration {
                            " and a signed declaration"
                        } else {
                            ""
                        }
                    ),
                ));
            }
        }
        doc.verification.staff_points = input.data_points;
        doc.verification.declaration = input.signed_declaration;
        if kind_of(&rec)? == RequestKind::Deletion {
            doc.plan = Some(self.plan_for(&rec, &doc).await?);
        }
        self.transition(
            caller,
            &rec,
            &doc,
            RequestState::Approved,
            "approved",
            serde_json::json!({}),
            |_| {},
        )
        .await?;
        self.show(id).await
    }

    /// Extends the deadline once (DL-05, GDPR-03, CCPA-04, NV-03) and queues the notice to the
    /// subject with the reason.
    ///
    /// # Errors
    /// `Invalid` with the extension rule's code (`ALREADY_EXTENDED`, `REASON_REQUIRED`,
    /// `EXTENSION_NOTICE_LATE`, `NV_EXTENSION_TOO_LONG` ...).
    pub async fn extend(
        &self,
        caller: &Caller,
        id: RequestId,
        reason: Option<&str>,
        length: ExtensionLength,
    ) -> Result<RequestView, CoreError> {
        let (rec, mut doc) = self.load(id).await?;
        if !rec.state.is_open() {
            return Err(CoreError::Conflict {
                code: "CLOSED",
                message: "the request is closed".into(),
            });
        }
        let now = self.now();
        let ext = doc
            .ticket
            .extend(now, reason, length, &self.config.calendar)
            .map_err(|e| CoreError::invalid(e.code(), e.to_string()))?
            .clone();
        let updated = self
            .transition(
                caller,
                &rec,
                &doc,
                rec.state,
                "extended",
                serde_json::json!({"new_due": ext.new_due().at(), "previous_due": ext.previous_due().at()}),
                |_| {},
            )
            .await?;
        if let Some(to) = self.address(&updated).await? {
            let email = super::texts::extension_notice(self, &updated, to, &ext);
            self.send(&updated, vec![("extension_notice", email)])
                .await?;
        }
        self.show(id).await
    }

    /// Denies a request with its basis (GDPR-02/04/05, CCPA-07, CCPA-13, CCPA-39) and tells
    /// the subject, with the complaint and judicial-remedy wording.
    ///
    /// # Errors
    /// `Invalid(DENIAL_NOT_PERMITTED)`, `Invalid(JUSTIFICATION_REQUIRED)`, `Conflict(CLOSED)`.
    pub async fn deny(
        &self,
        caller: &Caller,
        id: RequestId,
        reason: DenyReason,
        justification: Option<&str>,
    ) -> Result<RequestView, CoreError> {
        if !staff(caller) {
            return Err(CoreError::invalid("NOT_STAFF", "only staff deny requests"));
        }
        let (rec, mut doc) = self.load(id).await?;
        if !rec.state.is_open() {
            return Err(CoreError::Conflict {
                code: "CLOSED",
                message: "the request is closed".into(),
            });
        }
        let justification = justification.map(str::trim).filter(|j| !j.is_empty());
        let gdpr = doc
            .regimes
            .iter()
            .any(|r| matches!(r, Regime::Gdpr | Regime::UkGdpr));
        let permitted = match reason {
            DenyReason::CannotIdentify => true,
            DenyReason::ManifestlyUnfounded | DenyReason::Excessive | DenyReason::Fraudulent => {
                if justification.is_none() {
                    return Err(CoreError::invalid(
                        "JUSTIFICATION_REQUIRED",
                        "the controller bears the burden of demonstrating it: give the justification (GDPR Art. 12(5))",
                    ));
                }
                true
            }
            DenyReason::Unverified => {
                !gdpr
                    && rec.state == RequestState::AwaitingVerification
                    && doc.ticket.current_due().has_passed(self.now())
            }
            DenyReason::RepeatKnowRequest => doc.repeat.as_ref().is_some_and(|r| r.may_decline),
            DenyReason::Other => !gdpr,
        };
        if !permitted {
            return Err(CoreError::invalid(
                "DENIAL_NOT_PERMITTED",
                format!(
                    "a `{}` denial is not permitted for this request",
                    reason.code()
                ),
            ));
        }
        doc.denial = Some(Denial {
            reason: reason.code().to_string(),
            justification: justification.map(str::to_string),
            at: self.now(),
        });
        let updated = self
            .transition(
                caller,
                &rec,
                &doc,
                RequestState::Denied,
                "denied",
                serde_json::json!({"reason": reason.code()}),
                |_| {},
            )
            .await?;
        if let Some(to) = self.address(&updated).await? {
            let email = super::texts::denial(self, &updated, &doc, to, reason, justification);
            self.send(&updated, vec![("denial", email)]).await?;
        }
        self.show(id).await
    }

    /// CUST-04: a request about data held for a Customer is forwarded to that Customer, with
    /// the request's deadline as the assist deadline.
    ///
    /// # Errors
    /// `Conflict(CLOSED)`, `Invalid`.
    pub async fn forward(
        &self,
        caller: &Caller,
        id: RequestId,
        customer: &str,
    ) -> Result<RequestView, CoreError> {
        let (rec, mut doc) = self.load(id).await?;
        if !rec.state.is_open() {
            return Err(CoreError::Conflict {
                code: "CLOSED",
                message: "the request is closed".into(),
            });
        }
        code(customer)?;
        doc.forwarded_to = Some(customer.to_string());
        self.transition(
            caller,
            &rec,
            &doc,
            RequestState::Forwarded,
            "forwarded",
            serde_json::json!({"customer": customer, "assist_due": doc.ticket.current_due().at()}),
            |_| {},
        )
        .await?;
        self.show(id).await
    }

    fn list_item(&self, s: &RequestSummary, now: Timestamp) -> RequestListItem {
        let cal = &self.config.calendar;
        let deadline = steward_deadlines::Deadline::instant(s.due, cal);
        let (status, days_left) = if s.closed_at.is_some() {
            (
                "CLOSED".to_string(),
                steward_deadlines::days_left(&deadline, now, cal),
            )
        } else {
            match steward_deadlines::deadline_status(&deadline, now, cal) {
                Status::OnTrack { days_left } => ("ON_TRACK".into(), days_left),
                Status::AtRisk { days_left } if days_left <= self.config.at_risk_days => {
                    ("AT_RISK".into(), days_left)
                }
                Status::AtRisk { days_left } => ("ON_TRACK".into(), days_left),
                Status::Overdue { days_over } => ("OVERDUE".into(), -days_over),
            }
        };
        RequestListItem {
            id: s.id,
            kind: s.kind.to_string(),
            state: s.state.as_str().to_string(),
            requester: s.requester.as_str().to_string(),
            channel: s.channel.to_string(),
            subject: s.subject,
            received_at: s.received_at,
            ack_due: s.ack_due,
            due: s.due,
            max_due: s.max_due,
            may_deny_unverified: s.state == RequestState::AwaitingVerification && now > s.due,
            status,
            days_left,
        }
    }

    /// The queue by due date (open requests by default).
    ///
    /// # Errors
    /// Store failures.
    pub async fn list(&self, q: &ListQuery) -> Result<Vec<RequestListItem>, CoreError> {
        let now = self.now();
        let rows = self
            .steward
            .store()
            .list_requests(&RequestQuery {
                open_only: !q.include_closed,
                subject: q.subject,
                state: q.state,
                after: q.after,
                limit: q.limit.unwrap_or(100),
            })
            .await?;
        Ok(rows.iter().map(|r| self.list_item(r, now)).collect())
    }

    /// A request in full: clocks per regime, verification, plan, steps, messages (kinds and
    /// states only), deliveries.
    ///
    /// # Errors
    /// `NotFound`.
    pub async fn show(&self, id: RequestId) -> Result<RequestView, CoreError> {
        let (rec, doc) = self.load(id).await?;
        let store = self.steward.store();
        let steps = store.request_steps(id).await?;
        let messages = store.request_messages(id).await?;
        let deliveries = store.request_deliveries(id).await?;
        let kind = kind_of(&rec)?;
        let now = self.now();
        Ok(RequestView {
            summary: self.list_item(&rec.summary(), now),
            regimes: doc
                .ticket
                .clocks()
                .iter()
                .map(|c| ClockView {
                    regime: c.regime.as_str().to_string(),
                    citation: c.regime.citation(kind).to_string(),
                    ack_due: c.ack_due.map(|d| d.at()),
                    due: c.due.at(),
                    max_due: c.max_due.at(),
                    propagate_by: c.propagate_by.map(|d| d.at()),
                })
                .collect(),
            propagate_by: doc.ticket.propagate_by().map(|d| d.at()),
            extension: doc.ticket.extension().map(|e| {
                serde_json::json!({"notified_at": e.notified_at(), "reason": e.reason(), "previous_due": e.previous_due().at(), "new_due": e.new_due().at()})
            }),
            verification: serde_json::json!({
                "required": doc.verification.required,
                "method": doc.verification.method,
                "verified_at": doc.verification.verified_at,
                "staff_points": doc.verification.staff_points,
                "declaration": doc.verification.declaration,
            }),
            repeat: doc.repeat.as_ref().map(|r| {
                serde_json::json!({"may_decline": r.may_decline, "reason": r.reason, "prior_in_window": r.prior_in_window})
            }),
            plan: doc.plan.clone(),
            failure: doc
                .failure
                .as_ref()
                .map(|f| serde_json::json!({"system": f.system, "reason": f.reason, "at": f.at})),
            denial: doc
                .denial
                .as_ref()
                .map(|d| serde_json::json!({"reason": d.reason, "justification": d.justification, "at": d.at})),
            steps: steps
                .iter()
                .map(|s| StepView {
                    at: s.at,
                    action: s.action.to_string(),
                    state: s.state.as_str().to_string(),
                    actor: match &s.actor {
                        steward_store::model::audit::Actor::System => "system".to_string(),
                        steward_store::model::audit::Actor::Service(k) => format!("service:{k}"),
                        steward_store::model::audit::Actor::Subject(id) => format!("subject:{id}"),
                    },
                    detail: serde_json::from_slice(&s.detail).unwrap_or(serde_json::Value::Null),
                })
                .collect(),
            messages: messages
                .iter()
                .map(|m| serde_json::json!({"id": m.id, "kind": m.kind.as_str(), "created_at": m.created_at, "sent_at": m.sent_at, "attempts": m.attempts, "last_error": m.last_error.as_ref().map(|e| e.as_str())}))
                .collect(),
            deliveries: deliveries.iter().map(delivery_json).collect(),
        })
    }

    /// The receipt (live: webhook lines follow their deliveries).
    ///
    /// # Errors
    /// `NotFound`, `Conflict(NO_RECEIPT)` before the request ran.
    pub async fn receipt(&self, id: RequestId) -> Result<Receipt, CoreError> {
        let (rec, doc) = self.load(id).await?;
        if doc.runs == 0 && rec.state != RequestState::Completed {
            return Err(CoreError::Conflict {
                code: "NO_RECEIPT",
                message: "the request has not run yet".into(),
            });
        }
        let deliveries = self.steward.store().request_deliveries(id).await?;
        Ok(super::receipts::build(&rec, &doc, &deliveries))
    }

    /// Counts for the metrics endpoint (`steward_requests_open`, `_overdue`, `_at_risk` ...).
    ///
    /// # Errors
    /// Store failures.
    pub async fn metrics(&self) -> Result<RequestMetrics, CoreError> {
        let now = self.now();
        let horizon = now
            .checked_add(SignedDuration::from_hours(24 * self.config.at_risk_days))
            .unwrap_or(now);
        let store = self.steward.store();
        let c = store.request_counts(now, horizon).await?;
        let followup = now
            .checked_sub(SignedDuration::from_hours(
                24 * self.config.processor_followup_days,
            ))
            .unwrap_or(now);
        let unconfirmed = store.unconfirmed_deliveries(followup, 10_000).await?;
        let notes = store.open_notifications(10_000).await?;
        let connectors = store.list_connectors().await?;
        let hooks = super::webhooks::webhooks_by_recipient(&connectors);
        Ok(RequestMetrics {
            open: c.open,
            overdue: c.overdue,
            at_risk: c.at_risk,
            dead_letters: store.dead_letters(10_000).await?.len() as u64,
            unconfirmed_overdue: unconfirmed.iter().filter(|d| d.request.is_some()).count() as u64,
            pending_messages: store.pending_messages(10_000).await?.len() as u64,
            partner_notifications_open: notes.len() as u64,
            partner_notifications_overdue: notes.iter().filter(|n| n.due_at < now).count() as u64,
            partner_notifications_without_webhook: notes
                .iter()
                .filter(|n| n.attempts == 0 && !hooks.contains_key(n.recipient.as_str()))
                .count() as u64,
        })
    }

    /// Alerts for the console: DL-04 reminders (T−7, T−2, overdue) of open requests, and
    /// processor notifications unconfirmed after the follow-up period (RET-07) or
    /// dead-lettered.
    ///
    /// # Errors
    /// Store failures.
    pub async fn alerts(&self) -> Result<Vec<Alert>, CoreError> {
        let now = self.now();
        let cal = &self.config.calendar;
        let store = self.steward.store();
        let mut out = Vec::new();
        let mut q = RequestQuery::open(10_000);
        loop {
            let page = store.list_requests(&q).await?;
            for r in &page {
                let d = steward_deadlines::Deadline::instant(r.due, cal);
                let reminders = steward_deadlines::reminders_for(&d, r.received_at, cal)
                    .map_err(|e| CoreError::invalid(e.code(), e.to_string()))?;
                if let Some(last) = reminders.iter().rfind(|x| x.at <= now) {
                    out.push(Alert {
                        kind: match last.kind {
                            steward_deadlines::ReminderKind::DueIn7Days => "DUE_IN_7_DAYS",
                            steward_deadlines::ReminderKind::DueIn2Days => "DUE_IN_2_DAYS",
                            steward_deadlines::ReminderKind::Overdue => "OVERDUE",
                        }
                        .to_string(),
                        request: Some(r.id),
                        notification: None,
                        recipient: None,
                        since: last.at,
                    });
                }
            }
            match page.last() {
                Some(l) if page.len() == 10_000 => q.after = Some((l.due, l.id)),
                _ => break,
            }
        }
        let followup = now
            .checked_sub(SignedDuration::from_hours(
                24 * self.config.processor_followup_days,
            ))
            .unwrap_or(now);
        // A partner's notification unacknowledged this long is already overdue (below).
        for d in store.unconfirmed_deliveries(followup, 10_000).await? {
            if d.request.is_none() {
                continue;
            }
            out.push(Alert {
                kind: "PROCESSOR_DELETION_UNCONFIRMED".into(),
                request: d.request,
                notification: None,
                recipient: Some(d.recipient.to_string()),
                since: d.delivered_at.unwrap_or(d.created_at),
            });
        }
        for d in store.dead_letters(10_000).await? {
            out.push(Alert {
                kind: "WEBHOOK_DEAD_LETTER".into(),
                request: d.request,
                notification: d.notification,
                recipient: Some(d.recipient.to_string()),
                since: d.last_attempt_at.unwrap_or(d.created_at),
            });
        }
        // ADTECH-03 / CCPA-13: opt-out notifications owed to partners.
        let connectors = store.list_connectors().await?;
        let hooks = super::webhooks::webhooks_by_recipient(&connectors);
        for n in store.open_notifications(10_000).await? {
            let kind = if n.due_at < now {
                "PARTNER_NOTIFICATION_OVERDUE"
            } else if n.attempts == 0 && !hooks.contains_key(n.recipient.as_str()) {
                "PARTNER_NO_WEBHOOK"
            } else {
                continue;
            };
            out.push(Alert {
                kind: kind.into(),
                request: None,
                notification: Some(n.id),
                recipient: Some(n.recipient.to_string()),
                since: if n.due_at < now {
                    n.due_at
                } else {
                    n.created_at
                },
            });
        }
        Ok(out)
    }

    /// Registers (or replaces, by name) an external dataset connector. The annotation is
    /// validated; the connection string is sealed under the connector's own key, or only the
    /// environment variable's name is kept.
    ///
    /// # Errors
    /// `Invalid` with the annotation's error code and message.
    pub async fn register_dataset(
        &self,
        caller: &Caller,
        reg: DatasetRegistration,
    ) -> Result<ConnectorView, CoreError> {
        if reg.kind == ConnectorKind::Webhook {
            return Err(CoreError::invalid(
                "BAD_KIND",
                "use register_webhook for webhooks",
            ));
        }
        let engine = self.steward.engine();
        let dataset = Dataset::parse(&reg.annotation, &|c| engine.category(c).is_some())
            .map_err(|e| CoreError::invalid(e.code, e.message))?;
        self.put_connector(
            caller,
            &reg.name,
            reg.kind,
            None,
            ConnectorConfig {
                dataset: Some(dataset),
                url: None,
                secret_env: None,
            },
            reg.connection,
        )
        .await
    }

    /// Registers (or replaces, by name) a recipient's webhook endpoint with its HMAC secret.
    ///
    /// # Errors
    /// `Invalid` for an unknown recipient or a bad URL.
    pub async fn register_webhook(
        &self,
        caller: &Caller,
        reg: WebhookRegistration,
    ) -> Result<ConnectorView, CoreError> {
        if self.steward.engine().recipient(&reg.recipient).is_none() {
            return Err(CoreError::invalid(
                "UNKNOWN_RECIPIENT",
                format!("`{}` is not a recipient of the policy", reg.recipient),
            ));
        }
        reg.url
            .parse::<WebhookUrl>()
            .map_err(|e| CoreError::invalid("BAD_URL", e.to_string()))?;
        let recipient = RecipientKey::new(reg.recipient.clone())
            .map_err(|e| CoreError::invalid("BAD_RECIPIENT", e.to_string()))?;
        self.put_connector(
            caller,
            &reg.name,
            ConnectorKind::Webhook,
            Some(recipient),
            ConnectorConfig {
                dataset: None,
                url: Some(reg.url),
                secret_env: None,
            },
            reg.secret,
        )
        .await
    }

    async fn put_connector(
        &self,
        caller: &Caller,
        name: &str,
        kind: ConnectorKind,
        recipient: Option<RecipientKey>,
        mut config: ConnectorConfig,
        secret: ConnectionSource,
    ) -> Result<ConnectorView, CoreError> {
        let name_code = code(name)?;
        let store = self.steward.store();
        let existing = store
            .list_connectors()
            .await?
            .into_iter()
            .find(|c| c.name == name_code);
        let id = existing
            .as_ref()
            .map_or_else(ConnectorId::generate, |c| c.id);
        let (sealer, key) = Sealer::create(self.steward.vault(), id.as_uuid())?;
        let sealed = match &secret {
            ConnectionSource::Secret(s) => {
                Some(sealer.seal("connector.secret", s.expose().as_bytes())?)
            }
            ConnectionSource::Env(n) => {
                config.secret_env = Some(n.clone());
                None
            }
        };
        let rec = store
            .put_connector(&NewConnector {
                id,
                name: name_code,
                kind,
                recipient,
                config: serde_json::to_vec(&config)
                    .map_err(|e| CoreError::invalid("BAD_CONFIG", e.to_string()))?,
                key,
                secret: sealed,
                at: self.now(),
            })
            .await?;
        let mut e = self
            .steward
            .event(AuditKind::Admin, "dsr.connector.put", caller);
        if let Ok(n) = FieldName::new("connector") {
            e.refs.push(EventRef {
                name: n,
                id: id.as_uuid(),
            });
        }
        self.steward.audit().append_one(e).await?;
        connector_view(&rec)
    }

    /// Every connector (no secrets).
    ///
    /// # Errors
    /// Store failures.
    pub async fn connectors(&self) -> Result<Vec<ConnectorView>, CoreError> {
        self.steward
            .store()
            .list_connectors()
            .await?
            .iter()
            .map(connector_view)
            .collect()
    }

    /// Disables a connector by name (new runs skip it).
    ///
    /// # Errors
    /// `NotFound`.
    pub async fn disable_connector(
        &self,
        caller: &Caller,
        name: &str,
    ) -> Result<ConnectorView, CoreError> {
        let store = self.steward.store();
        let c = store
            .list_connectors()
            .await?
            .into_iter()
            .find(|c| c.name.as_str() == name)
            .ok_or(CoreError::NotFound("connector"))?;
        let rec = store.disable_connector(c.id, self.now()).await?;
        let mut e = self
            .steward
            .event(AuditKind::Admin, "dsr.connector.disable", caller);
        if let Ok(n) = FieldName::new("connector") {
            e.refs.push(EventRef {
                name: n,
                id: c.id.as_uuid(),
            });
        }
        self.steward.audit().append_one(e).await?;
        connector_view(&rec)
    }

    /// The secret of a connector: unsealed, or read from its environment variable.
    pub(crate) fn connector_secret(
        &self,
        c: &ConnectorRecord,
        cfg: &ConnectorConfig,
    ) -> Result<Sensitive<String>, CoreError> {
        if let Some(name) = &cfg.secret_env {
            return self
                .effects
                .secrets
                .get(name)
                .map(|s| Sensitive::new(s.expose().to_string()))
                .ok_or_else(|| {
                    CoreError::invalid(
                        "SECRET_MISSING",
                        format!("the environment variable `{name}` is not set"),
                    )
                });
        }
        let sealer = Sealer::open_key(self.steward.vault(), c.id.as_uuid(), &c.key)?;
        let ct = c
            .secret
            .as_ref()
            .ok_or_else(|| CoreError::invalid("SECRET_MISSING", "the connector has no secret"))?;
        let plain = sealer.open("connector.secret", ct)?;
        String::from_utf8(plain.to_vec())
            .map(Sensitive::new)
            .map_err(|_| CoreError::Unavailable("sealed secret is corrupt"))
    }

    /// Places a legal hold (RET-03): the subject's items (all, or those listed) are kept by
    /// erasure plans under the `LEGAL_HOLD` exception until it is released.
    ///
    /// # Errors
    /// `NotFound(subject)`, `Invalid`.
    pub async fn place_legal_hold(
        &self,
        caller: &Caller,
        subject: SubjectId,
        items: Vec<ItemId>,
        reason: &str,
        owner: &str,
        review_at: Timestamp,
    ) -> Result<LegalHoldRecord, CoreError> {
        let hold = self
            .steward
            .store()
            .put_legal_hold(&NewLegalHold {
                id: HoldId::generate(),
                subject,
                items,
                reason: code(reason)?,
                owner: code(owner)?,
                review_at,
                created_at: self.now(),
            })
            .await?;
        let mut e = self
            .steward
            .event(AuditKind::Admin, "dsr.hold.place", caller);
        e.subject = Some(subject);
        self.steward.audit().append_one(e).await?;
        Ok(hold)
    }

    /// Releases a legal hold.
    ///
    /// # Errors
    /// `NotFound`.
    pub async fn release_legal_hold(
        &self,
        caller: &Caller,
        id: HoldId,
    ) -> Result<LegalHoldRecord, CoreError> {
        let hold = self
            .steward
            .store()
            .release_legal_hold(id, self.now())
            .await?;
        let mut e = self
            .steward
            .event(AuditKind::Admin, "dsr.hold.release", caller);
        e.subject = Some(hold.subject);
        self.steward.audit().append_one(e).await?;
        Ok(hold)
    }

    /// The dead-letter list.
    ///
    /// # Errors
    /// Store failures.
    pub async fn dead_letters(&self) -> Result<Vec<serde_json::Value>, CoreError> {
        Ok(self
            .steward
            .store()
            .dead_letters(10_000)
            .await?
            .iter()
            .map(delivery_json)
            .collect())
    }

    /// Puts a dead letter back in the delivery queue (after the endpoint was fixed).
    ///
    /// # Errors
    /// `NotFound`.
    pub async fn requeue(
        &self,
        caller: &Caller,
        id: DeliveryId,
    ) -> Result<serde_json::Value, CoreError> {
        let d = self
            .steward
            .store()
            .requeue_delivery(id, self.now())
            .await?;
        let mut e = self
            .steward
            .event(AuditKind::Admin, "dsr.delivery.requeue", caller);
        if let Ok(n) = FieldName::new("delivery") {
            e.refs.push(EventRef {
                name: n,
                id: id.as_uuid(),
            });
        }
        self.steward.audit().append_one(e).await?;
        Ok(delivery_json(&d))
    }

    /// Deletes request records closed longer ago than the record-keeping period (CCPA-26,
    /// AUD-05: at least 24 months).
    ///
    /// # Errors
    /// `Invalid(RETENTION_TOO_SHORT)`.
    pub async fn purge_old_records(&self, retention_months: u32) -> Result<u64, CoreError> {
        let retention = steward_deadlines::RecordRetention::months(retention_months)
            .map_err(|e| CoreError::invalid(e.code(), e.to_string()))?;
        let now = self.now();
        let cal = &self.config.calendar;
        let day =
            steward_deadlines::sub_calendar_months(cal.civil_date(now), retention.as_months())
                .map_err(|e| CoreError::invalid(e.code(), e.to_string()))?;
        let cut = cal
            .start_of_day(day)
            .map_err(|e| CoreError::invalid(e.code(), e.to_string()))?;
        Ok(self.steward.store().purge_closed_requests(cut).await?)
    }
}

pub(crate) fn delivery_json(d: &DeliveryRecord) -> serde_json::Value {
    serde_json::json!({
        "id": d.id,
        "request": d.request,
        "notification": d.notification,
        "recipient": d.recipient.as_str(),
        "event": d.event.as_str(),
        "state": d.state.as_str(),
        "attempts": d.attempts,
        "next_attempt_at": d.next_attempt_at,
        "last_status": d.last_status,
        "last_error": d.last_error.as_ref().map(|e| e.as_str()),
        "delivered_at": d.delivered_at,
        "confirmed_at": d.confirmed_at,
    })
}

fn connector_view(c: &ConnectorRecord) -> Result<ConnectorView, CoreError> {
    let cfg: ConnectorConfig = serde_json::from_slice(&c.config)
        .map_err(|_| CoreError::Unavailable("stored connector configuration is corrupt"))?;
    Ok(ConnectorView {
        id: c.id,
        name: c.name.to_string(),
        kind: c.kind.as_str().to_string(),
        recipient: c.recipient.as_ref().map(ToString::to_string),
        tables: cfg.dataset.as_ref().map(Dataset::plan).unwrap_or_default(),
        secret: match &cfg.secret_env {
            Some(n) => format!("env:{n}"),
            None => "sealed".to_string(),
        },
        disabled: c.disabled_at.is_some(),
    })
}
