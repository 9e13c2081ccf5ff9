//! Running an approved request: erasure across systems (external datasets through their
//! connectors, processors and third parties through signed webhooks, the vault last),
//! corrections with Art. 19 notifications, opt-outs recorded in the choices ledger and
//! propagated, access and portability reports built from what is stored.
//!
//! Order of an erasure: the subject's identities are read first (the e-mail given with the
//! request and the e-mail/phone items in the vault), then each dataset is erased (one
//! transaction each), then webhook deliveries are queued, then the vault is erased and the
//! data key destroyed. A failure stops the run before the vault, so a retry still has the
//! identities it needs; systems already done are skipped on the retry, so nothing is done
//! twice and nothing is skipped (the receipt lists each system once).

mod access;
mod choices;
mod correction;
mod erasure;
mod notify;

use jiff::SignedDuration;
use serde::Serialize;
use steward_core::Caller;
use steward_core::CoreError;
use steward_deadlines::RequestKind;
use steward_errors::ErrorCode;
use steward_store::ids::{DeliveryId, RequestId, SubjectId};
use steward_store::model::disclosure::{DisclosureQuery, DisclosureRecord, DisclosureScope};
use steward_store::model::request::{ConnectorKind, ConnectorRecord, RequestRecord, RequestState};
use steward_store::values::Digest;
use steward_vault::Sensitive;

use crate::admin::ConnectorConfig;
use crate::doc::{Doc, Failure, SystemResult};
use crate::service::{Requests, kind_of};
use crate::views::{RunFailedStep, RunStartedStep, StepDetail};

/// The outcome of a run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunOutcome {
    /// The request.
    pub request_id: RequestId,
    /// `completed` or `failed`.
    pub state: RequestState,
    /// The system that failed, if any.
    pub failed_system: Option<String>,
    /// Why (no personal data).
    pub reason: Option<String>,
    /// What each system did.
    pub systems: Vec<SystemResult>,
}

/// Progress of a run, for a progress bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunProgress {
    /// Systems finished.
    pub done: usize,
    /// Systems in the run.
    pub total: usize,
    /// The system just finished.
    pub system: String,
}

/// An enabled dataset connector with its configuration and annotation.
pub(crate) struct ConnectedDataset<'a> {
    pub(crate) connector: &'a ConnectorRecord,
    pub(crate) config: ConnectorConfig,
    pub(crate) dataset: crate::connectors::Dataset,
}

/// The enabled dataset connectors among `connectors`, in their order.
pub(crate) fn datasets(connectors: &[ConnectorRecord]) -> Vec<ConnectedDataset<'_>> {
    connectors
        .iter()
        .filter(|c| c.disabled_at.is_none() && c.kind != ConnectorKind::Webhook)
        .filter_map(|c| {
            let config = serde_json::from_slice::<ConnectorConfig>(&c.config).ok()?;
            let dataset = config.dataset.clone()?;
            Some(ConnectedDataset {
                connector: c,
                config,
                dataset,
            })
        })
        .collect()
}

/// A failure inside a run: which system, why.
pub(crate) type Fail = (String, String);

pub(crate) fn fail(system: &str, e: impl std::fmt::Display) -> Fail {
    (system.to_string(), e.to_string())
}

/// A deterministic delivery id per (request, recipient, event): re-running a request queues
/// nothing twice (the store's create is idempotent).
pub(crate) fn delivery_id(request: RequestId, recipient: &str, event: &str) -> DeliveryId {
    let d = Digest::sha256(format!("{request}|{recipient}|{event}").as_bytes()).0;
    let mut b = [0u8; 16];
    b.copy_from_slice(&d[..16]);
    b[6] = (b[6] & 0x0f) | 0x80;
    b[8] = (b[8] & 0x3f) | 0x80;
    DeliveryId::from_uuid(uuid::Uuid::from_bytes(b))
}

impl Requests {
    /// Runs an approved request (or a failed one again). Staff only.
    ///
    /// # Errors
    /// `Conflict(NOT_APPROVED)` unless approved or failed, `Conflict(REQUEST_CHANGED)` when
    /// another worker runs it at the same time. A system that fails is not an error: the
    /// outcome says which and why, and the request is left `failed`, ready to run again.
    pub async fn run(
        &self,
        caller: &Caller,
        id: RequestId,
        progress: &(dyn Fn(RunProgress) + Send + Sync),
    ) -> Result<RunOutcome, CoreError> {
        if matches!(caller, Caller::Subject(_)) {
            return Err(CoreError::invalid(
                ErrorCode::NotStaff,
                "only staff run requests",
            ));
        }
        let rec = self.steward.store().get_request(id).await?;
        let stale_running = rec.state == RequestState::Running
            && self.now().duration_since(rec.updated_at) > SignedDuration::from_mins(10);
        if !matches!(rec.state, RequestState::Approved | RequestState::Failed) && !stale_running {
            return Err(CoreError::Conflict {
                code: ErrorCode::NotApproved,
                message: format!(
                    "the request is `{}`: only approved or failed requests run",
                    rec.state
                ),
            });
        }
        self.execute(caller, id, progress).await
    }

    /// Runs a request whatever its state (intake uses it for opt-outs).
    pub(crate) async fn execute(
        &self,
        caller: &Caller,
        id: RequestId,
        progress: &(dyn Fn(RunProgress) + Send + Sync),
    ) -> Result<RunOutcome, CoreError> {
        let (rec, mut doc) = self.load(id).await?;
        let kind = kind_of(&rec)?;
        doc.runs = doc.runs.saturating_add(1);
        doc.failure = None;
        let rec = self
            .transition(
                caller,
                &rec,
                &doc,
                RequestState::Running,
                "run.started",
                StepDetail::RunStarted(RunStartedStep { run: doc.runs }),
                |_| {},
            )
            .await?;
        // Captured before anything is erased: where to send the answer.
        let address = self.address(&rec).await.unwrap_or(None);
        let connectors = self.steward.store().list_connectors().await?;
        let result = match kind {
            RequestKind::Deletion => self.erasure(&rec, &mut doc, &connectors, progress).await,
            RequestKind::Access
            | RequestKind::KnowCategories
            | RequestKind::KnowSpecificPieces
            | RequestKind::Portability => self.access(&rec, &mut doc, &connectors, progress).await,
            RequestKind::Correction => {
                self.correction(caller, &rec, &mut doc, &connectors, progress)
                    .await
            }
            RequestKind::Restriction => {
                self.restriction(&rec, &mut doc, &connectors, progress)
                    .await
            }
            RequestKind::OptOutSaleShare
            | RequestKind::LimitSpi
            | RequestKind::NevadaNoSale
            | RequestKind::ObjectDirectMarketing
            | RequestKind::WithdrawConsent
            | RequestKind::Objection => {
                self.choices(caller, &rec, &mut doc, kind, &connectors, progress)
                    .await
            }
        };
        match result {
            Err((system, reason)) => self.failed(caller, &rec, doc, system, reason).await,
            Ok(()) => self.completed(caller, &rec, &doc, kind, address).await,
        }
    }

    /// A run that stopped at `system`: the request is left `failed` with the reason, ready to
    /// run again.
    async fn failed(
        &self,
        caller: &Caller,
        rec: &RequestRecord,
        mut doc: Doc,
        system: String,
        reason: String,
    ) -> Result<RunOutcome, CoreError> {
        tracing::warn!(request = %rec.id, system = %system, "request run failed");
        doc.failure = Some(Failure {
            system: system.clone(),
            reason: reason.clone(),
            at: self.now(),
        });
        self.transition(
            caller,
            rec,
            &doc,
            RequestState::Failed,
            "run.failed",
            StepDetail::RunFailed(RunFailedStep {
                reason: reason.clone(),
                system: system.clone(),
            }),
            |_| {},
        )
        .await?;
        Ok(RunOutcome {
            request_id: rec.id,
            state: RequestState::Failed,
            failed_system: Some(system),
            reason: Some(reason),
            systems: doc.progress,
        })
    }

    /// A run that went through: the receipt issued with the `completed` step, the subject
    /// told, the webhooks it queued attempted once.
    async fn completed(
        &self,
        caller: &Caller,
        rec: &RequestRecord,
        doc: &Doc,
        kind: RequestKind,
        address: Option<Sensitive<String>>,
    ) -> Result<RunOutcome, CoreError> {
        let mut done = rec.clone();
        done.state = RequestState::Completed;
        done.closed_at = Some(self.now());
        let deliveries = self.steward.store().request_deliveries(rec.id).await?;
        let receipt = super::receipts::build(&done, doc, &deliveries);
        let updated = self
            .transition(
                caller,
                rec,
                doc,
                RequestState::Completed,
                "completed",
                StepDetail::Completed(Box::new(receipt)),
                |_| {},
            )
            .await?;
        if let Some(to) = address {
            let email = super::texts::completion(self, &updated, doc, kind, to);
            self.send(&updated, vec![("completion", email)]).await?;
        }
        if !deliveries.is_empty() {
            // A first attempt now; an endpoint that is down is retried later and does not
            // hold the request back.
            self.send_due().await?;
        }
        Ok(RunOutcome {
            request_id: rec.id,
            state: RequestState::Completed,
            failed_system: None,
            reason: None,
            systems: doc.progress.clone(),
        })
    }

    /// The live values of a subject's items of the given categories (decrypted), oldest
    /// first. Empty once the subject's key was destroyed.
    pub(crate) async fn values_of(
        &self,
        subject: SubjectId,
        categories: &[&str],
    ) -> Result<Vec<(String, Sensitive<String>)>, CoreError> {
        self.steward.item_values(subject, categories).await
    }

    pub(crate) async fn disclosures(
        &self,
        subject: SubjectId,
    ) -> Result<Vec<DisclosureRecord>, CoreError> {
        Ok(self
            .steward
            .store()
            .list_disclosures(&DisclosureQuery::scope(
                DisclosureScope::Subject(subject),
                10_000,
            ))
            .await?)
    }
}
