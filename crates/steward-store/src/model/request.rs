//! Data subject requests (DSR) and what their workflow stores: the request with its deadlines,
//! its append-only steps (state transitions, receipts), verification challenges, outbox
//! messages, registered connectors (external datasets and processors' webhook endpoints),
//! webhook deliveries with their dead letters (for requests and for partner notifications),
//! and legal holds (RET-03).
//!
//! Like the rest of the store, nothing here is plaintext personal data. A request's contact
//! details (the e-mail address a code is sent to, a correction's new value, an agent's
//! address), the messages of its outbox and the payloads of its webhooks are vault ciphertext
//! under the request's own data key, whose wrapped form travels with the request
//! ([`SealedKey`]); a connector's connection string or HMAC secret is ciphertext under the
//! connector's key. Workflow documents (`doc`, `detail`) are opaque bytes written by the core,
//! which keeps personal data out of them (AUD-04).

use jiff::Timestamp;

use super::audit::Actor;
use super::coded_enum;
use super::event::NotificationId;
use crate::error::ValueError;
use crate::ids::{
    CaseId, ChallengeId, ConnectorId, DeliveryId, HoldId, ItemId, MessageId, RequestId,
    RequestStepId, SubjectId,
};
use crate::values::{Ciphertext, Digest, KekId, RecipientKey, WrappedKeyBytes};

/// A validated workflow code: a request kind (`deletion`), a channel (`privacy_center`), a
/// step (`verification.sent`), an event (`erasure`), an error code (`HTTP_503`), a hold
/// reason (`litigation`). `[A-Za-z0-9_:.-]{1,64}`: no spaces or `@`, so free text and e-mail
/// addresses cannot slip in.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct RequestCode(Box<str>);

impl RequestCode {
    /// Validates and wraps a code.
    pub fn new(code: impl Into<String>) -> Result<Self, ValueError> {
        let code: String = code.into();
        let ok = !code.is_empty()
            && code.len() <= 64
            && code
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b':' | b'.' | b'-'));
        if ok {
            Ok(Self(code.into_boxed_str()))
        } else {
            Err(ValueError::new(
                "request code",
                "must match [A-Za-z0-9_:.-]{1,64}",
            ))
        }
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for RequestCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "RequestCode({})", self.0)
    }
}

impl std::fmt::Display for RequestCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for RequestCode {
    type Error = ValueError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::new(s)
    }
}

impl TryFrom<&str> for RequestCode {
    type Error = ValueError;
    fn try_from(s: &str) -> Result<Self, Self::Error> {
        Self::new(s)
    }
}

impl From<RequestCode> for String {
    fn from(c: RequestCode) -> String {
        c.0.into()
    }
}

coded_enum! {
    /// Where a request stands. INVARIANT: stored codes; never renumber.
    pub enum RequestState: "request state" {
        /// Just received.
        Received = 1, "received",
        /// A one-time code was sent; waiting for it (CCPA-24, GDPR-06).
        AwaitingVerification = 2, "awaiting_verification",
        /// Submitted by an agent without the consumer's signed permission yet (CCPA-23).
        AwaitingAgentPermission = 3, "awaiting_agent_permission",
        /// Verified; waiting for the privacy team's approval.
        Verified = 4, "verified",
        /// Approved; ready to run.
        Approved = 5, "approved",
        /// Running (erasure across systems, report generation ...).
        Running = 6, "running",
        /// A system failed part-way; the request can be run again (nothing is done twice).
        Failed = 7, "failed",
        /// Done; a receipt was issued.
        Completed = 8, "completed",
        /// Refused, with the basis recorded (GDPR-04, CCPA-39).
        Denied = 9, "denied",
        /// Forwarded to the Customer we process the data for (CUST-04).
        Forwarded = 10, "forwarded",
    }
}

impl RequestState {
    /// Whether the request is still open (counts against its deadline).
    pub const fn is_open(self) -> bool {
        !matches!(
            self,
            RequestState::Completed | RequestState::Denied | RequestState::Forwarded
        )
    }
}

coded_enum! {
    /// Who submitted a request (RIGHTS-04: every channel creates the same request type).
    pub enum Requester: "requester" {
        /// The data subject themself.
        Subject = 1, "subject",
        /// An authorized agent (CCPA-23).
        Agent = 2, "agent",
        /// Staff on the subject's behalf (support call, letter).
        Admin = 3, "admin",
    }
}

/// A data key wrapped by a key-encryption key of the vault: the key sealed blobs of a request
/// or a connector are encrypted under. Destroying it (setting it to `None`) crypto-shreds them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SealedKey {
    /// The key-encryption key that wraps it.
    pub kek: KekId,
    /// The wrapped bytes.
    pub wrapped: WrappedKeyBytes,
}

/// A request to create, together with its first step (written atomically).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewRequest {
    /// Caller-chosen id (create is idempotent for identical content).
    pub id: RequestId,
    /// The kind (`access`, `deletion`, `correction`, `opt_out_sale_share` ...).
    pub kind: RequestCode,
    /// The subject, when the identity given matched one (`None` until then: an unknown
    /// identity is accepted exactly like a known one, so intake reveals nothing).
    pub subject: Option<SubjectId>,
    /// Who submitted it.
    pub requester: Requester,
    /// Through which channel (`privacy_center`, `support`, `api`, `cli` ...).
    pub channel: RequestCode,
    /// The state after intake.
    pub state: RequestState,
    /// When it was received (the statutory clock starts here).
    pub received_at: Timestamp,
    /// Acknowledgement due (CCPA-04), if any.
    pub ack_due: Option<Timestamp>,
    /// Response due (the deadline in force).
    pub due: Timestamp,
    /// Latest deadline with an extension.
    pub max_due: Timestamp,
    /// The request's wrapped data key, if it seals anything.
    pub key: Option<SealedKey>,
    /// Contact details and other personal data of the request, sealed under `key`.
    pub sealed: Option<Ciphertext>,
    /// The workflow document (opaque to the store; no personal data).
    pub doc: Vec<u8>,
    /// The intake step.
    pub step: NewRequestStep,
}

/// The mutable part of a request, replaced as a whole by an update (the core reads the
/// record, changes it and writes it back under its revision).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestChange {
    /// The subject (set when verification matched one).
    pub subject: Option<SubjectId>,
    /// The new state.
    pub state: RequestState,
    /// Acknowledgement due.
    pub ack_due: Option<Timestamp>,
    /// Response due (moves with an extension).
    pub due: Timestamp,
    /// Latest deadline with an extension.
    pub max_due: Timestamp,
    /// When it was closed (completed, denied, forwarded); `None` while open.
    pub closed_at: Option<Timestamp>,
    /// The wrapped request key (`None` destroys it: the sealed data becomes unreadable).
    pub key: Option<SealedKey>,
    /// The sealed data.
    pub sealed: Option<Ciphertext>,
    /// The workflow document.
    pub doc: Vec<u8>,
}

/// A stored request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestRecord {
    /// The id.
    pub id: RequestId,
    /// The kind.
    pub kind: RequestCode,
    /// The subject, once known.
    pub subject: Option<SubjectId>,
    /// Who submitted it.
    pub requester: Requester,
    /// The channel.
    pub channel: RequestCode,
    /// The state.
    pub state: RequestState,
    /// When it was received.
    pub received_at: Timestamp,
    /// Acknowledgement due.
    pub ack_due: Option<Timestamp>,
    /// Response due.
    pub due: Timestamp,
    /// Latest deadline with an extension.
    pub max_due: Timestamp,
    /// When it was closed.
    pub closed_at: Option<Timestamp>,
    /// The wrapped request key.
    pub key: Option<SealedKey>,
    /// The sealed data.
    pub sealed: Option<Ciphertext>,
    /// The workflow document.
    pub doc: Vec<u8>,
    /// Starts at 1; each update adds 1.
    pub revision: u64,
    /// Time of the last update (the receipt time at first).
    pub updated_at: Timestamp,
}

impl RequestRecord {
    /// The lightweight summary of this record.
    pub fn summary(&self) -> RequestSummary {
        RequestSummary {
            id: self.id,
            kind: self.kind.clone(),
            subject: self.subject,
            requester: self.requester,
            channel: self.channel.clone(),
            state: self.state,
            received_at: self.received_at,
            ack_due: self.ack_due,
            due: self.due,
            max_due: self.max_due,
            closed_at: self.closed_at,
        }
    }
}

/// A request without its document and sealed data: what a queue listing needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestSummary {
    /// The id.
    pub id: RequestId,
    /// The kind.
    pub kind: RequestCode,
    /// The subject, once known.
    pub subject: Option<SubjectId>,
    /// Who submitted it.
    pub requester: Requester,
    /// The channel.
    pub channel: RequestCode,
    /// The state.
    pub state: RequestState,
    /// When it was received.
    pub received_at: Timestamp,
    /// Acknowledgement due.
    pub ack_due: Option<Timestamp>,
    /// Response due.
    pub due: Timestamp,
    /// Latest deadline with an extension.
    pub max_due: Timestamp,
    /// When it was closed.
    pub closed_at: Option<Timestamp>,
}

/// Which requests to list, in `(due, id)` order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestQuery {
    /// Only open requests (not closed).
    pub open_only: bool,
    /// Only this subject's.
    pub subject: Option<SubjectId>,
    /// Only requests in this state.
    pub state: Option<RequestState>,
    /// Continue after this `(due, id)` (the last row of the previous page).
    pub after: Option<(Timestamp, RequestId)>,
    /// At most this many (1 to 10 000; larger values are clamped).
    pub limit: u32,
}

impl RequestQuery {
    /// The largest page.
    pub const MAX_LIMIT: u32 = 10_000;

    /// The first page of open requests.
    pub fn open(limit: u32) -> Self {
        Self {
            open_only: true,
            subject: None,
            state: None,
            after: None,
            limit,
        }
    }

    /// Every request of a subject, open or closed.
    pub fn of_subject(subject: SubjectId, limit: u32) -> Self {
        Self {
            open_only: false,
            subject: Some(subject),
            state: None,
            after: None,
            limit,
        }
    }

    /// `limit` clamped to `1..=MAX_LIMIT`.
    pub fn effective_limit(&self) -> u32 {
        self.limit.clamp(1, Self::MAX_LIMIT)
    }
}

/// Counts of open requests against their deadlines (for metrics).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct RequestCounts {
    /// Open requests.
    pub open: u64,
    /// Open requests whose due time is before `now`.
    pub overdue: u64,
    /// Open requests due at or after `now` and before the at-risk horizon.
    pub at_risk: u64,
}

/// A step to append: a state transition, a notice sent, a receipt issued ...
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewRequestStep {
    /// Caller-chosen id (appending the same step again is a no-op).
    pub id: RequestStepId,
    /// When.
    pub at: Timestamp,
    /// Who.
    pub actor: Actor,
    /// What (`intake`, `verified`, `approved`, `run.failed`, `receipt` ...).
    pub action: RequestCode,
    /// The state after the step.
    pub state: RequestState,
    /// Structured details (opaque to the store; no personal data).
    pub detail: Vec<u8>,
}

/// A stored step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestStep {
    /// The id.
    pub id: RequestStepId,
    /// The request.
    pub request: RequestId,
    /// When.
    pub at: Timestamp,
    /// Who.
    pub actor: Actor,
    /// What.
    pub action: RequestCode,
    /// The state after the step.
    pub state: RequestState,
    /// Details.
    pub detail: Vec<u8>,
}

/// A one-time verification code to create (only its keyed hash is stored).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewChallenge {
    /// Caller-chosen id.
    pub id: ChallengeId,
    /// The request.
    pub request: RequestId,
    /// HMAC of the code (keyed by the core; never the code).
    pub code_hash: Digest,
    /// When it was issued.
    pub created_at: Timestamp,
    /// When it stops being accepted.
    pub expires_at: Timestamp,
    /// How many attempts it allows.
    pub max_attempts: u32,
}

/// A stored challenge.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChallengeRecord {
    /// The id.
    pub id: ChallengeId,
    /// The request.
    pub request: RequestId,
    /// HMAC of the code.
    pub code_hash: Digest,
    /// When it was issued.
    pub created_at: Timestamp,
    /// When it stops being accepted.
    pub expires_at: Timestamp,
    /// Attempts allowed.
    pub max_attempts: u32,
    /// Attempts made.
    pub attempts: u32,
    /// When the right code was given.
    pub consumed_at: Option<Timestamp>,
}

/// What one attempt at a challenge did (decided atomically by the store).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChallengeAttempt {
    /// The code matched: the challenge is consumed now.
    Accepted,
    /// The code did not match; this many attempts remain.
    Rejected {
        /// Attempts left.
        remaining: u32,
    },
    /// No attempts left (this one was not counted).
    Exhausted,
    /// Past `expires_at` (not counted).
    Expired,
    /// Already consumed earlier (not counted).
    AlreadyUsed,
}

/// Whose message an outbox message is: a request's, or a case's — a complaint's (CONTACT-01,
/// CONTACT-03), a legal request's (its notices to the subjects of its disclosures,
/// LEGALREQ-05) or an incident's (the breach notices to the people, GDPR-31, CCPA-35, NV-08).
/// Its owner's key seals it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MessageOwner {
    /// A data subject request.
    Request(RequestId),
    /// A case: a complaint, or a legal request (its subject notices).
    Complaint(CaseId),
    /// An incident.
    Incident(CaseId),
}

impl MessageOwner {
    /// The request, when a request owns it.
    #[must_use]
    pub fn request(self) -> Option<RequestId> {
        match self {
            MessageOwner::Request(r) => Some(r),
            MessageOwner::Complaint(_) | MessageOwner::Incident(_) => None,
        }
    }

    /// The complaint, when a complaint owns it.
    #[must_use]
    pub fn complaint(self) -> Option<CaseId> {
        match self {
            MessageOwner::Complaint(c) => Some(c),
            MessageOwner::Request(_) | MessageOwner::Incident(_) => None,
        }
    }

    /// The incident, when an incident owns it.
    #[must_use]
    pub fn incident(self) -> Option<CaseId> {
        match self {
            MessageOwner::Incident(c) => Some(c),
            MessageOwner::Request(_) | MessageOwner::Complaint(_) => None,
        }
    }
}

/// A message to put in the outbox.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewMessage {
    /// Caller-chosen id.
    pub id: MessageId,
    /// The request or complaint it belongs to (its key seals the message).
    pub owner: MessageOwner,
    /// What it is (`verification_code`, `acknowledgement`, `extension_notice` ...).
    pub kind: RequestCode,
    /// When it was queued.
    pub created_at: Timestamp,
    /// The message (recipient, subject, body), sealed under the request key.
    pub sealed: Ciphertext,
    /// Claimed by the enqueuer until then (it hands the message to the transport at once):
    /// no worker claims it before. `None`: claimable at once.
    pub lease_until: Option<Timestamp>,
}

/// A stored outbox message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MessageRecord {
    /// The id.
    pub id: MessageId,
    /// The request or complaint it belongs to.
    pub owner: MessageOwner,
    /// What it is.
    pub kind: RequestCode,
    /// When it was queued.
    pub created_at: Timestamp,
    /// The sealed message (`None` once it was sent and purged).
    pub sealed: Option<Ciphertext>,
    /// Delivery attempts made.
    pub attempts: u32,
    /// When it was handed to the transport.
    pub sent_at: Option<Timestamp>,
    /// The last failure, as a code.
    pub last_error: Option<RequestCode>,
    /// While unsent, claimed by a worker until then (see `claim_messages`); `None` when
    /// no one holds it.
    pub lease_until: Option<Timestamp>,
}

/// The outcome of handing a message to the transport.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MessageOutcome {
    /// Accepted by the transport: the sealed body is purged.
    Sent,
    /// Refused; it stays queued.
    Failed(RequestCode),
}

coded_enum! {
    /// What a connector connects to.
    pub enum ConnectorKind: "connector kind" {
        /// An SQLite database of the company, with a dataset annotation.
        SqliteDataset = 1, "sqlite",
        /// A PostgreSQL database of the company, with a dataset annotation.
        PostgresDataset = 2, "postgres",
        /// A processor's or third party's webhook endpoint.
        Webhook = 3, "webhook",
    }
}

/// A connector to register (or to update, under the same id).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewConnector {
    /// Caller-chosen id.
    pub id: ConnectorId,
    /// A unique name (`shop_db`, `sp_email`).
    pub name: RequestCode,
    /// The kind.
    pub kind: ConnectorKind,
    /// For a webhook: the recipient of the policy it notifies (`SP_EMAIL`).
    pub recipient: Option<RecipientKey>,
    /// The configuration (a dataset annotation, a webhook URL ...), opaque; no secrets.
    pub config: Vec<u8>,
    /// The connector's wrapped data key.
    pub key: SealedKey,
    /// The secret (a connection string, an HMAC key) sealed under `key`, if it is kept here.
    pub secret: Option<Ciphertext>,
    /// When.
    pub at: Timestamp,
}

/// A stored connector.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConnectorRecord {
    /// The id.
    pub id: ConnectorId,
    /// The name.
    pub name: RequestCode,
    /// The kind.
    pub kind: ConnectorKind,
    /// The recipient, for a webhook.
    pub recipient: Option<RecipientKey>,
    /// The configuration.
    pub config: Vec<u8>,
    /// The wrapped data key.
    pub key: SealedKey,
    /// The sealed secret.
    pub secret: Option<Ciphertext>,
    /// First registered.
    pub created_at: Timestamp,
    /// Last changed.
    pub updated_at: Timestamp,
    /// When it was disabled (disabled connectors are not used by new runs).
    pub disabled_at: Option<Timestamp>,
}

coded_enum! {
    /// Where a webhook delivery stands.
    pub enum DeliveryState: "delivery state" {
        /// Waiting for its next attempt.
        Pending = 1, "pending",
        /// The endpoint accepted it (2xx); the processor's confirmation is awaited (RET-07).
        Delivered = 2, "delivered",
        /// The processor confirmed it acted.
        Confirmed = 3, "confirmed",
        /// Every attempt failed: on the dead-letter list for an operator.
        DeadLetter = 4, "dead_letter",
    }
}

/// A webhook delivery to create. It belongs to exactly one of a request (erasure,
/// rectification, restriction, opt-out requests) or a partner notification (an opt-out of
/// sale or sharing forwarded to a partner, ADTECH-03 / CCPA-13).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewDelivery {
    /// Caller-chosen id (also the id the processor confirms).
    pub id: DeliveryId,
    /// The request it belongs to.
    pub request: Option<RequestId>,
    /// The partner notification it belongs to (at most one delivery per notification).
    pub notification: Option<NotificationId>,
    /// The webhook connector.
    pub connector: ConnectorId,
    /// The recipient notified.
    pub recipient: RecipientKey,
    /// The event (`erasure`, `rectification`, `restriction`, `opt_out`).
    pub event: RequestCode,
    /// A request's delivery: the JSON body, sealed under the request key (it names the
    /// subject's identities). A notification's delivery has none: its body is built from the
    /// notification at each attempt, so nothing personal is stored with it.
    pub sealed: Option<Ciphertext>,
    /// When it was created.
    pub created_at: Timestamp,
    /// When the first attempt is due.
    pub next_attempt_at: Timestamp,
    /// Attempts before it goes to the dead-letter list.
    pub max_attempts: u32,
}

impl NewDelivery {
    /// Checks the shape the stores enforce: exactly one of `request` and `notification`, and
    /// a sealed body for a request's delivery.
    ///
    /// # Errors
    /// [`ValueError`] naming what is wrong.
    pub fn check(&self) -> Result<(), ValueError> {
        match (self.request, self.notification, &self.sealed) {
            (Some(_), None, Some(_)) | (None, Some(_), _) => Ok(()),
            (Some(_), None, None) => Err(ValueError::new(
                "delivery",
                "a request's delivery needs its sealed body",
            )),
            _ => Err(ValueError::new(
                "delivery",
                "must belong to exactly one of a request and a notification",
            )),
        }
    }
}

/// A stored delivery.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeliveryRecord {
    /// The id.
    pub id: DeliveryId,
    /// The request it belongs to (exactly one of `request` and `notification` is set).
    pub request: Option<RequestId>,
    /// The partner notification it belongs to.
    pub notification: Option<NotificationId>,
    /// The connector.
    pub connector: ConnectorId,
    /// The recipient.
    pub recipient: RecipientKey,
    /// The event.
    pub event: RequestCode,
    /// The sealed body (a request's delivery; `None` for a notification's).
    pub sealed: Option<Ciphertext>,
    /// The state.
    pub state: DeliveryState,
    /// Attempts made.
    pub attempts: u32,
    /// Attempts allowed.
    pub max_attempts: u32,
    /// Created.
    pub created_at: Timestamp,
    /// When the next attempt is due (or the lease of a claimed attempt ends).
    pub next_attempt_at: Timestamp,
    /// The last attempt.
    pub last_attempt_at: Option<Timestamp>,
    /// The last HTTP status received.
    pub last_status: Option<u16>,
    /// The last failure, as a code (`HTTP_503`, `CONNECT`, `TIMEOUT` ...).
    pub last_error: Option<RequestCode>,
    /// When the endpoint accepted it.
    pub delivered_at: Option<Timestamp>,
    /// When the processor confirmed.
    pub confirmed_at: Option<Timestamp>,
}

/// The result of one delivery attempt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DeliveryOutcome {
    /// Accepted (2xx). With `confirmed`, the response itself confirmed the action.
    Delivered {
        /// The HTTP status.
        status: u16,
        /// The response body confirmed the processor acted.
        confirmed: bool,
    },
    /// Failed; try again at `next_attempt_at`.
    Retry {
        /// The HTTP status, if a response came.
        status: Option<u16>,
        /// Why.
        error: RequestCode,
        /// When to try again.
        next_attempt_at: Timestamp,
    },
    /// Failed for the last time: onto the dead-letter list.
    DeadLetter {
        /// The HTTP status, if a response came.
        status: Option<u16>,
        /// Why.
        error: RequestCode,
    },
}

/// A legal hold to place (RET-03): deletion of the subject's items (all, or those listed) is
/// suspended until it is released.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewLegalHold {
    /// Caller-chosen id.
    pub id: HoldId,
    /// The subject.
    pub subject: SubjectId,
    /// The items held; empty = every item of the subject.
    pub items: Vec<ItemId>,
    /// Why (`litigation`, `legal_request`, `regulator`).
    pub reason: RequestCode,
    /// Who owns it (a team or role code).
    pub owner: RequestCode,
    /// When it must be reviewed.
    pub review_at: Timestamp,
    /// When it was placed.
    pub created_at: Timestamp,
}

/// A stored legal hold.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LegalHoldRecord {
    /// The id.
    pub id: HoldId,
    /// The subject.
    pub subject: SubjectId,
    /// The items held; empty = all.
    pub items: Vec<ItemId>,
    /// Why.
    pub reason: RequestCode,
    /// Who owns it.
    pub owner: RequestCode,
    /// When it must be reviewed.
    pub review_at: Timestamp,
    /// When it was placed.
    pub created_at: Timestamp,
    /// When it was released.
    pub released_at: Option<Timestamp>,
}

impl LegalHoldRecord {
    /// Whether the hold is in force.
    pub fn is_active(&self) -> bool {
        self.released_at.is_none()
    }

    /// Whether the hold covers `item`.
    pub fn covers(&self, item: ItemId) -> bool {
        self.is_active() && (self.items.is_empty() || self.items.contains(&item))
    }
}
