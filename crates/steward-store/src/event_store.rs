//! [`EventStore`]: usage data as it flows in (the usage-data work) — usage events, the log-in security
//! log, USPS tracking scans, ingest counters, k-anonymous aggregates, retention purges,
//! derived datasets, ticket items and partner notifications. Part of
//! [`crate::traits::Store`]; the common rules of [`crate::traits`] apply (acknowledged means
//! durable, batches are atomic, creates are idempotent, missing and not yours are both
//! `NotFound`, no plaintext).
//!
//! The ingest path is built for volume: one call stores a whole batch together with its
//! counter increments, in one transaction.

use async_trait::async_trait;
use jiff::Timestamp;
use jiff::civil::Date;

use crate::error::StoreError;
use crate::ids::{ItemId, SubjectId};
use crate::model::event::{
    Aggregate, DatasetId, DatasetRecord, EventErasure, IngestCount, LoginRecord, NotificationId,
    NotificationUpdate, PartnerNotification, PurgeCount, ScanAggregateQuery, TicketRef,
    TrackingScan, UsageAggregateQuery, UsageEvent, UsageScope,
};
use crate::values::{BlindToken, RecipientKey};

/// Usage events, log-ins, USPS scans and what is built on them.
#[async_trait]
pub trait EventStore: Send + Sync {
    /// Stores usage events and adds `counts` to the ingest counters, in one transaction.
    /// Idempotent per `(received_at, id)` for identical content (a retried batch stores
    /// nothing twice; its counts are added again, so retry only on failure).
    /// `Conflict(DifferentContent)` for another event under the same key. Either slice may
    /// be empty (a batch whose events were all dropped still counts them).
    async fn ingest_usage(
        &self,
        events: &[UsageEvent],
        counts: &[IngestCount],
    ) -> Result<(), StoreError>;

    /// Usage events of a subject or device, oldest first, at most `limit` (access reports).
    async fn usage_events_of(
        &self,
        scope: &UsageScope,
        limit: u32,
    ) -> Result<Vec<UsageEvent>, StoreError>;

    /// Groups usage events received in `[from, until)` and counts distinct visitors (the
    /// device token, else the IP pseudonym) and events per group. Groups with fewer than
    /// `min_group` visitors are suppressed and only counted (IPPS-04).
    async fn aggregate_usage(&self, query: &UsageAggregateQuery) -> Result<Aggregate, StoreError>;

    /// Deletes up to `limit` of the usage events received strictly before `before`, except
    /// those of the subjects in `keep` (legal holds); with `dry_run` only counts them all.
    /// Returns what was (or would be) deleted, and how many were kept for a hold. Callers
    /// loop until `affected` is 0, so the writer is never held for long.
    async fn purge_usage(
        &self,
        before: Timestamp,
        keep: &[SubjectId],
        limit: u32,
        dry_run: bool,
    ) -> Result<PurgeCount, StoreError>;

    /// The subjects that own at least one usage event received before `before`, by id (so a
    /// sweep can ask which of them are under a legal hold).
    async fn usage_subjects_before(&self, before: Timestamp) -> Result<Vec<SubjectId>, StoreError>;

    /// Stores log-in records (IPPS-05). Idempotent per id for identical content;
    /// `Conflict(DifferentContent)` otherwise. `NotFound(Subject)`.
    async fn record_logins(&self, logins: &[LoginRecord]) -> Result<(), StoreError>;

    /// The log-in records of a subject, newest first, at most `limit`.
    async fn logins_of(
        &self,
        subject: SubjectId,
        limit: u32,
    ) -> Result<Vec<LoginRecord>, StoreError>;

    /// Deletes up to `limit` log-in records whose `retain_until` is at or before `now`,
    /// except those of the subjects in `keep`; with `dry_run` only counts them all.
    async fn purge_logins(
        &self,
        now: Timestamp,
        keep: &[SubjectId],
        limit: u32,
        dry_run: bool,
    ) -> Result<PurgeCount, StoreError>;

    /// The subjects with a log-in record due for purging at `now`, by id.
    async fn login_subjects_due(&self, now: Timestamp) -> Result<Vec<SubjectId>, StoreError>;

    /// Stores USPS scans and adds `counts`, in one transaction. Idempotent per
    /// `(received_at, id)` for identical content; `Conflict(DifferentContent)` otherwise.
    async fn ingest_scans(
        &self,
        scans: &[TrackingScan],
        counts: &[IngestCount],
    ) -> Result<(), StoreError>;

    /// The scans of one package (by the blind-index token of its id), in scan order.
    async fn scans_by_package(&self, pic: &BlindToken) -> Result<Vec<TrackingScan>, StoreError>;

    /// The scans of a subject's packages, in scan order, at most `limit`.
    async fn scans_of(
        &self,
        subject: SubjectId,
        limit: u32,
    ) -> Result<Vec<TrackingScan>, StoreError>;

    /// Groups scans received in `[from, until)`; counts distinct accounts (else subjects,
    /// else the scan itself, for anonymized scans) and scans per group; groups under
    /// `min_group` are suppressed (USPS-05). No account or subject id leaves the store.
    async fn aggregate_scans(&self, query: &ScanAggregateQuery) -> Result<Aggregate, StoreError>;

    /// Anonymizes (clears package token, subject and account of, with `anonymized_at = at`)
    /// up to `limit` of the scans received strictly before `before` that are not anonymized
    /// yet, except those of the subjects in `keep`; with `dry_run` only counts them all. A
    /// second run finds nothing to do.
    async fn anonymize_scans(
        &self,
        before: Timestamp,
        at: Timestamp,
        keep: &[SubjectId],
        limit: u32,
        dry_run: bool,
    ) -> Result<PurgeCount, StoreError>;

    /// The subjects with a scan received before `before` that is not anonymized yet.
    async fn scan_subjects_before(&self, before: Timestamp) -> Result<Vec<SubjectId>, StoreError>;

    /// Adds to the ingest counters.
    async fn add_ingest_counts(&self, counts: &[IngestCount]) -> Result<(), StoreError>;

    /// The counters of the days in `[from, until]`, by day, stream, outcome and reason.
    async fn ingest_counts(&self, from: Date, until: Date) -> Result<Vec<IngestCount>, StoreError>;

    /// Deletes a subject's usage events and log-in records and anonymizes its scans (with
    /// `anonymized_at = at`) (erasure). Idempotent: a second call reports zeros.
    async fn erase_events_of(
        &self,
        subject: SubjectId,
        at: Timestamp,
    ) -> Result<EventErasure, StoreError>;

    /// Registers a derived dataset. Idempotent for identical content;
    /// `Conflict(DifferentContent)` otherwise. `Invalid` for an empty lineage.
    async fn put_dataset(&self, dataset: &DatasetRecord) -> Result<(), StoreError>;

    /// Reads a derived dataset. `NotFound(Dataset)`.
    async fn get_dataset(&self, id: DatasetId) -> Result<DatasetRecord, StoreError>;

    /// Links items to a support ticket (idempotent). `NotFound(Item)`.
    async fn link_ticket_items(
        &self,
        ticket: &TicketRef,
        items: &[ItemId],
        at: Timestamp,
    ) -> Result<(), StoreError>;

    /// The items of a ticket, in link order.
    async fn ticket_items(&self, ticket: &TicketRef) -> Result<Vec<ItemId>, StoreError>;

    /// Queues partner notifications; one per `(trigger, recipient, kind)`: a task already
    /// queued for the same trigger is kept as it is. Returns how many were new.
    async fn enqueue_notifications(&self, tasks: &[PartnerNotification])
    -> Result<u64, StoreError>;

    /// Notifications not acknowledged yet, earliest due first, at most `limit`.
    async fn open_notifications(&self, limit: u32) -> Result<Vec<PartnerNotification>, StoreError>;

    /// Notifications to the given recipients that are neither acknowledged nor attempted yet
    /// (`attempts = 0`), earliest due first, at most `limit`: what the webhook worker hands
    /// to the recipients' endpoints. An empty `recipients` finds nothing.
    async fn unsent_notifications(
        &self,
        recipients: &[RecipientKey],
        limit: u32,
    ) -> Result<Vec<PartnerNotification>, StoreError>;

    /// Reads a notification. `NotFound(Notification)`.
    async fn get_notification(&self, id: NotificationId)
    -> Result<PartnerNotification, StoreError>;

    /// The notifications of a subject, oldest first.
    async fn notifications_of(
        &self,
        subject: SubjectId,
    ) -> Result<Vec<PartnerNotification>, StoreError>;

    /// Records a delivery attempt or the acknowledgement. `NotFound(Notification)`.
    async fn update_notification(
        &self,
        id: NotificationId,
        update: NotificationUpdate,
        at: Timestamp,
    ) -> Result<PartnerNotification, StoreError>;
}
