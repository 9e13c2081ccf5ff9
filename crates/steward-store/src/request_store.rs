//! [`RequestStore`]: what the data subject request workflow stores (requests and their
//! append-only steps, verification challenges, the outbox, connectors, webhook deliveries with
//! their dead letters, legal holds). Part of [`crate::traits::Store`]; the common rules of
//! [`crate::traits`] apply (acknowledged means durable, batches are atomic, creates are
//! idempotent, missing and not yours are both `NotFound`, no plaintext).

use async_trait::async_trait;
use jiff::Timestamp;

use crate::error::StoreError;
use crate::ids::{
    CaseId, ChallengeId, ConnectorId, DeliveryId, HoldId, MessageId, RequestId, SubjectId,
};
use crate::model::audit::AuditEvent;
use crate::model::request::{
    ChallengeAttempt, ChallengeRecord, ConnectorRecord, DeliveryOutcome, DeliveryRecord,
    LegalHoldRecord, MessageOutcome, MessageRecord, NewChallenge, NewConnector, NewDelivery,
    NewLegalHold, NewMessage, NewRequest, NewRequestStep, RequestChange, RequestCounts,
    RequestQuery, RequestRecord, RequestStep, RequestSummary,
};

/// Data subject requests and everything their workflow keeps.
#[async_trait]
pub trait RequestStore: Send + Sync {
    /// Creates a request (revision 1, `updated_at = received_at`) with its intake step,
    /// atomically. Idempotent for identical content; `Conflict(DifferentContent)` otherwise.
    /// `NotFound(Subject)` for a subject that does not exist.
    async fn create_request(&self, request: &NewRequest) -> Result<RequestRecord, StoreError> {
        self.create_request_audited(request, &[]).await
    }

    /// [`create_request`](Self::create_request) with its audit entries, committed together
    /// (AUD-01: one durable commit instead of two; a failed create writes no entry). Entries
    /// are idempotent by event id, as in [`crate::traits::AuditLog::write_audited`].
    async fn create_request_audited(
        &self,
        request: &NewRequest,
        events: &[AuditEvent],
    ) -> Result<RequestRecord, StoreError>;

    /// Reads a request. `NotFound(Request)`.
    async fn get_request(&self, id: RequestId) -> Result<RequestRecord, StoreError>;

    /// Replaces the mutable part of a request if its revision is still `expected_revision`,
    /// and appends `step`, atomically; returns the new record (revision + 1, `updated_at =
    /// step.at`). `NotFound(Request)`, `Conflict(StaleRevision)` — which is how two workers
    /// running the same request at once are kept apart.
    async fn update_request(
        &self,
        id: RequestId,
        expected_revision: u64,
        change: &RequestChange,
        step: &NewRequestStep,
    ) -> Result<RequestRecord, StoreError> {
        self.update_request_audited(id, expected_revision, change, step, &[])
            .await
    }

    /// [`update_request`](Self::update_request) with its audit entries, committed together
    /// (AUD-01; a stale revision writes no entry).
    async fn update_request_audited(
        &self,
        id: RequestId,
        expected_revision: u64,
        change: &RequestChange,
        step: &NewRequestStep,
        events: &[AuditEvent],
    ) -> Result<RequestRecord, StoreError>;

    /// Appends a step without changing the request (a notice sent, a receipt issued).
    /// Idempotent per step id. `NotFound(Request)`.
    async fn append_request_step(
        &self,
        request: RequestId,
        step: &NewRequestStep,
    ) -> Result<(), StoreError>;

    /// The steps of a request in `(at, id)` order. `NotFound(Request)`.
    async fn request_steps(&self, request: RequestId) -> Result<Vec<RequestStep>, StoreError>;

    /// A page of requests in `(due, id)` order (the queue by deadline), without documents.
    async fn list_requests(&self, query: &RequestQuery) -> Result<Vec<RequestSummary>, StoreError>;

    /// Open requests, those overdue (`due < now`) and those at risk (`now <= due <
    /// at_risk_before`).
    async fn request_counts(
        &self,
        now: Timestamp,
        at_risk_before: Timestamp,
    ) -> Result<RequestCounts, StoreError>;

    /// Deletes closed requests (with their steps, challenges, messages and deliveries) closed
    /// strictly before `closed_before` (the record-keeping period of CCPA-26 / AUD-05 is the
    /// caller's to enforce). Returns how many were deleted.
    async fn purge_closed_requests(&self, closed_before: Timestamp) -> Result<u64, StoreError>;

    /// Stores a verification challenge. Idempotent. `NotFound(Request)`.
    async fn create_challenge(&self, challenge: &NewChallenge) -> Result<(), StoreError>;

    /// The newest challenge of a request, if any.
    async fn latest_challenge(
        &self,
        request: RequestId,
    ) -> Result<Option<ChallengeRecord>, StoreError>;

    /// One attempt at a challenge, decided atomically: a consumed, expired (`at >
    /// expires_at`) or exhausted challenge is left unchanged; otherwise the attempt is
    /// counted and, when `matched`, the challenge is consumed at `at`. `NotFound(Challenge)`.
    async fn attempt_challenge(
        &self,
        id: ChallengeId,
        matched: bool,
        at: Timestamp,
    ) -> Result<ChallengeAttempt, StoreError>;

    /// Queues messages. Idempotent per id. `NotFound(Request | Case)` when the owner is
    /// missing (a complaint owner must be a case of kind `Complaint` or `LegalRequest`, an
    /// incident owner one of kind `Incident`).
    async fn enqueue_messages(&self, messages: &[NewMessage]) -> Result<(), StoreError>;

    /// Messages not sent yet, oldest first.
    async fn pending_messages(&self, limit: u32) -> Result<Vec<MessageRecord>, StoreError>;

    /// Claims up to `limit` unsent messages with a body whose lease is free at `now` (none,
    /// or `lease_until <= now`), oldest first, by setting their lease to `lease_until` in the
    /// same statement, so several workers (or replicas) never hand the same message to the
    /// transport at once; a worker that dies leaves its claims to others once the lease ends.
    async fn claim_messages(
        &self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: u32,
    ) -> Result<Vec<MessageRecord>, StoreError>;

    /// Records a transport attempt: `Sent` marks it sent and purges the sealed body; `Failed`
    /// counts the attempt and frees its lease (the next pass may retry it). `NotFound(Message)`.
    async fn record_message_attempt(
        &self,
        id: MessageId,
        outcome: &MessageOutcome,
        at: Timestamp,
    ) -> Result<MessageRecord, StoreError>;

    /// The messages of a request, oldest first.
    async fn request_messages(&self, request: RequestId) -> Result<Vec<MessageRecord>, StoreError>;

    /// The messages of a complaint, oldest first (CONTACT-01, CONTACT-03).
    async fn complaint_messages(&self, complaint: CaseId)
    -> Result<Vec<MessageRecord>, StoreError>;

    /// Registers a connector, or updates it under the same id (config, key, secret,
    /// recipient; `updated_at = at`; re-enables it). `Conflict(NameTaken)` when another
    /// connector has the name; `Conflict(DifferentContent)` for a change of kind.
    async fn put_connector(&self, connector: &NewConnector) -> Result<ConnectorRecord, StoreError>;

    /// Reads a connector. `NotFound(Connector)`.
    async fn get_connector(&self, id: ConnectorId) -> Result<ConnectorRecord, StoreError>;

    /// Every connector, enabled or not, by name.
    async fn list_connectors(&self) -> Result<Vec<ConnectorRecord>, StoreError>;

    /// Disables a connector (idempotent: the first time stays). `NotFound(Connector)`.
    async fn disable_connector(
        &self,
        id: ConnectorId,
        at: Timestamp,
    ) -> Result<ConnectorRecord, StoreError>;

    /// Creates deliveries atomically. Idempotent per id (`Conflict(DifferentContent)` when the
    /// id is taken by a delivery of another request, notification, connector or event; a
    /// second delivery for the same notification is refused the same way).
    /// `Invalid` unless [`NewDelivery::check`] passes; `NotFound(Request | Notification |
    /// Connector)`.
    async fn create_deliveries(&self, deliveries: &[NewDelivery]) -> Result<(), StoreError>;

    /// Claims up to `limit` pending deliveries due at `now` (`next_attempt_at <= now`),
    /// earliest first, by moving their `next_attempt_at` to `lease_until` in the same
    /// statement, so several workers (or replicas) never attempt the same delivery at once.
    async fn claim_deliveries(
        &self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: u32,
    ) -> Result<Vec<DeliveryRecord>, StoreError>;

    /// Records an attempt (counts it). Only a `Pending` delivery changes; for another state
    /// the record is returned unchanged. `NotFound(Delivery)`.
    async fn record_delivery_attempt(
        &self,
        id: DeliveryId,
        outcome: &DeliveryOutcome,
        at: Timestamp,
    ) -> Result<DeliveryRecord, StoreError>;

    /// Records the processor's confirmation (idempotent: the first time stays), whatever
    /// the state. `NotFound(Delivery)`.
    async fn confirm_delivery(
        &self,
        id: DeliveryId,
        at: Timestamp,
    ) -> Result<DeliveryRecord, StoreError>;

    /// Puts a dead letter back in the queue: `Pending`, attempts reset, due at `at`.
    /// Deliveries in another state are returned unchanged. `NotFound(Delivery)`.
    async fn requeue_delivery(
        &self,
        id: DeliveryId,
        at: Timestamp,
    ) -> Result<DeliveryRecord, StoreError>;

    /// Reads a delivery. `NotFound(Delivery)`.
    async fn get_delivery(&self, id: DeliveryId) -> Result<DeliveryRecord, StoreError>;

    /// The deliveries of a request, by creation (a notification's delivery is read by its id).
    async fn request_deliveries(
        &self,
        request: RequestId,
    ) -> Result<Vec<DeliveryRecord>, StoreError>;

    /// The dead-letter list, oldest first.
    async fn dead_letters(&self, limit: u32) -> Result<Vec<DeliveryRecord>, StoreError>;

    /// Deliveries accepted but not confirmed, delivered before `delivered_before` (RET-07
    /// follow-up), oldest first.
    async fn unconfirmed_deliveries(
        &self,
        delivered_before: Timestamp,
        limit: u32,
    ) -> Result<Vec<DeliveryRecord>, StoreError>;

    /// Places a legal hold. Idempotent. `NotFound(Subject)`.
    async fn put_legal_hold(&self, hold: &NewLegalHold) -> Result<LegalHoldRecord, StoreError>;

    /// Releases a hold (idempotent: the first time stays). `NotFound(LegalHold)`.
    async fn release_legal_hold(
        &self,
        id: HoldId,
        at: Timestamp,
    ) -> Result<LegalHoldRecord, StoreError>;

    /// The holds of a subject, active and released, oldest first.
    async fn legal_holds_of(&self, subject: SubjectId) -> Result<Vec<LegalHoldRecord>, StoreError>;
}
