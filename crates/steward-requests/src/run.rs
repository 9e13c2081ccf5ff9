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

use std::collections::BTreeSet;

use jiff::{SignedDuration, Timestamp};
use serde::Serialize;
use steward_deadlines::{Lookback, Regime, RequestKind};
use steward_store::error::StoreError;
use steward_store::ids::{DeliveryId, ItemId, RequestId, SubjectId};
use steward_store::model::audit::{AuditKind, EventRef};
use steward_store::model::choice::{ChoiceEntry, ChoiceSource, Party};
use steward_store::model::disclosure::{DisclosureQuery, DisclosureRecord, DisclosureScope};
use steward_store::model::request::{
    ConnectorKind, ConnectorRecord, NewDelivery, RequestRecord, RequestState, Requester,
};
use steward_store::model::subject::{IdentityKind, SubjectErasure};
use steward_store::values::{Digest, FieldName, RecipientKey};
use steward_vault::Sensitive;

use super::connectors::{self, Identities};
use super::doc::{Doc, Failure, SystemResult, WEBHOOK_LABEL};
use super::effects::{ConnectorError, ConnectorErrorCode};
use super::plan::{self, DatasetPlan, ErasurePlan, PlanFacts};
use super::report::{self, Period};
use super::service::{ConnectorConfig, ReportFormat, ReportOutput, Requests, code, kind_of};
use steward_core::Caller;
use steward_core::CoreError;

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

/// A failure inside a run: which system, why.
type Fail = (String, String);

fn fail(system: &str, e: impl std::fmt::Display) -> Fail {
    (system.to_string(), e.to_string())
}

/// A deterministic delivery id per (request, recipient, event): re-running a request queues
/// nothing twice (the store's create is idempotent).
fn delivery_id(request: RequestId, recipient: &str, event: &str) -> DeliveryId {
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
            return Err(CoreError::invalid("NOT_STAFF", "only staff run requests"));
        }
        let rec = self.steward.store().get_request(id).await?;
        let stale_running = rec.state == RequestState::Running
            && self.now().duration_since(rec.updated_at) > SignedDuration::from_mins(10);
        if !matches!(rec.state, RequestState::Approved | RequestState::Failed) && !stale_running {
            return Err(CoreError::Conflict {
                code: "NOT_APPROVED",
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
                serde_json::json!({"run": doc.runs}),
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
            | RequestKind::Portability => self.access(&rec, &mut doc, progress).await,
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
            Err((system, reason)) => {
                tracing::warn!(request = %id, system = %system, "request run failed");
                doc.failure = Some(Failure {
                    system: system.clone(),
                    reason: reason.clone(),
                    at: self.now(),
                });
                let systems = doc.progress.clone();
                self.transition(
                    caller,
                    &rec,
                    &doc,
                    RequestState::Failed,
                    "run.failed",
                    serde_json::json!({"system": system, "reason": reason}),
                    |_| {},
                )
                .await?;
                Ok(RunOutcome {
                    request_id: id,
                    state: RequestState::Failed,
                    failed_system: Some(system),
                    reason: Some(reason),
                    systems,
                })
            }
            Ok(()) => {
                let now = self.now();
                let mut done = rec.clone();
                done.state = RequestState::Completed;
                done.closed_at = Some(now);
                let deliveries = self.steward.store().request_deliveries(id).await?;
                let receipt = super::receipts::build(&done, &doc, &deliveries);
                let detail = serde_json::to_value(&receipt)
                    .map_err(|e| CoreError::invalid("BAD_RECEIPT", e.to_string()))?;
                let updated = self
                    .transition(
                        caller,
                        &rec,
                        &doc,
                        RequestState::Completed,
                        "completed",
                        detail,
                        |_| {},
                    )
                    .await?;
                if let Some(to) = address {
                    let email = super::texts::completion(self, &updated, &doc, kind, to);
                    self.send(&updated, vec![("completion", email)]).await?;
                }
                if !deliveries.is_empty() {
                    // A first attempt now; an endpoint that is down is retried later and does not
                    // hold the request back.
                    self.deliver_due().await?;
                }
                Ok(RunOutcome {
                    request_id: id,
                    state: RequestState::Completed,
                    failed_system: None,
                    reason: None,
                    systems: doc.progress.clone(),
                })
            }
        }
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

    async fn disclosures(&self, subject: SubjectId) -> Result<Vec<DisclosureRecord>, CoreError> {
        Ok(self
            .steward
            .store()
            .list_disclosures(&DisclosureQuery::scope(
                DisclosureScope::Subject(subject),
                10_000,
            ))
            .await?)
    }

    /// The erasure plan of a request, with the datasets its connectors reach.
    pub(crate) async fn plan_for(
        &self,
        rec: &RequestRecord,
        doc: &Doc,
    ) -> Result<ErasurePlan, CoreError> {
        let engine = self.steward.engine();
        let now = self.now();
        let mut p = match rec.subject {
            Some(s) => {
                let store = self.steward.store();
                let items = store.list_items(s).await?;
                let disclosures = self.disclosures(s).await?;
                let holds = store.legal_holds_of(s).await?;
                let held: Vec<ItemId> = items
                    .iter()
                    .filter(|i| holds.iter().any(|h| h.covers(i.id)))
                    .map(|i| i.id)
                    .collect();
                plan::plan_erasure(
                    &engine,
                    &doc.regimes,
                    &items,
                    &disclosures,
                    &PlanFacts {
                        held,
                        pending: Vec::new(),
                    },
                    now,
                )
            }
            None => ErasurePlan::default(),
        };
        for c in self.steward.store().list_connectors().await? {
            if c.disabled_at.is_some() || c.kind == ConnectorKind::Webhook {
                continue;
            }
            if let Ok(cfg) = serde_json::from_slice::<ConnectorConfig>(&c.config)
                && let Some(ds) = cfg.dataset
            {
                p.datasets.push(DatasetPlan {
                    connector: c.name.to_string(),
                    tables: ds.plan(),
                });
            }
        }
        Ok(p)
    }

    /// The subject's identities for matching rows in external datasets.
    async fn identities(
        &self,
        rec: &RequestRecord,
        doc: &Doc,
        kinds: &BTreeSet<String>,
    ) -> Result<Identities, CoreError> {
        let mut ids = Identities::default();
        // The address the request came with proved itself (a code went there) or was given
        // by a signed-in subject or by staff.
        if doc.verification.verified_at.is_some()
            && let Some(e) = self.contact(rec)?.email
        {
            ids.add("email", e.expose());
        }
        if let Some(s) = rec.subject {
            let wanted: Vec<&str> = kinds.iter().map(String::as_str).collect();
            for (cat, v) in self.values_of(s, &wanted).await? {
                ids.add(&cat, v.expose());
            }
        }
        Ok(ids)
    }

    async fn erasure(
        &self,
        rec: &RequestRecord,
        doc: &mut Doc,
        connectors: &[ConnectorRecord],
        progress: &(dyn Fn(RunProgress) + Send + Sync),
    ) -> Result<(), Fail> {
        let plan = self.plan_for(rec, doc).await.map_err(|e| fail("plan", e))?;
        doc.plan = Some(plan.clone());
        let datasets: Vec<(&ConnectorRecord, ConnectorConfig)> = connectors
            .iter()
            .filter(|c| c.disabled_at.is_none() && c.kind != ConnectorKind::Webhook)
            .filter_map(|c| {
                Some((
                    c,
                    serde_json::from_slice::<ConnectorConfig>(&c.config).ok()?,
                ))
            })
            .filter(|(_, cfg)| cfg.dataset.is_some())
            .collect();
        let total = datasets.len() + plan.notify.len() + usize::from(rec.subject.is_some());
        let mut done = 0usize;
        let tick = |done: &mut usize, system: &str| {
            *done += 1;
            progress(RunProgress {
                done: *done,
                total,
                system: system.to_string(),
            });
        };
        let kinds: BTreeSet<String> = datasets
            .iter()
            .filter_map(|(_, cfg)| cfg.dataset.as_ref())
            .flat_map(|d| d.identity_kinds())
            .collect();
        let ids = if datasets.is_empty() {
            Identities::default()
        } else {
            self.identities(rec, doc, &kinds)
                .await
                .map_err(|e| fail("identities", e))?
        };
        for (c, cfg) in &datasets {
            let system = format!("dataset:{}", c.name);
            if doc.result(&system).is_some_and(|r| r.status == "done") {
                tick(&mut done, &system);
                continue;
            }
            let Some(ds) = &cfg.dataset else { continue };
            let outcome = self.erase_dataset(c, cfg, ds, &ids).await;
            match outcome {
                Ok(o) => doc.record(SystemResult {
                    system: system.clone(),
                    status: "done".into(),
                    detail: serde_json::json!({"tables": o.tables, "remaining": o.remaining, "verified": o.remaining == 0}),
                    error: None,
                    at: self.now(),
                }),
                Err(e) => {
                    let reason = e.to_string();
                    doc.record(SystemResult {
                        system: system.clone(),
                        status: "failed".into(),
                        detail: serde_json::json!({"tables": ds.plan()}),
                        error: Some(reason.clone()),
                        at: self.now(),
                    });
                    return Err((system, reason));
                }
            }
            tick(&mut done, &system);
        }
        for n in &plan.notify {
            let system = self
                .notify(
                    rec,
                    doc,
                    connectors,
                    &n.recipient,
                    "erasure",
                    &n.action,
                    &n.categories,
                    &ids,
                    serde_json::json!({}),
                )
                .await
                .map_err(|e| fail(&format!("webhook:{}", n.recipient), e))?;
            tick(&mut done, &system);
        }
        if let Some(s) = rec.subject {
            let system = "vault".to_string();
            if doc.result(&system).is_none_or(|r| r.status != "done") {
                self.suppression(s).await.map_err(|e| fail(&system, e))?;
                let retain: Vec<ItemId> = plan.retain.iter().map(|r| r.item).collect();
                let erasure = SubjectErasure {
                    subject: s,
                    destroy_key: retain.is_empty(),
                    retain,
                    at: self.now(),
                };
                let out = match self.steward.store().erase_subject(&erasure).await {
                    Ok(o) => o,
                    Err(StoreError::NotFound(_)) => Default::default(),
                    Err(e) => return Err(fail(&system, e)),
                };
                self.steward.invalidate_facts(s);
                let mut e =
                    self.steward
                        .event(AuditKind::Key, "dsr.erase_subject", &Caller::System);
                e.subject = Some(s);
                if let Ok(n) = FieldName::new("request") {
                    e.refs.push(EventRef {
                        name: n,
                        id: rec.id.as_uuid(),
                    });
                }
                self.steward
                    .audit()
                    .append_one(e)
                    .await
                    .map_err(|e| fail(&system, e))?;
                doc.record(SystemResult {
                    system: system.clone(),
                    status: "done".into(),
                    detail: serde_json::json!({
                        "items_erased": out.items_erased,
                        "identities_unlinked": out.identities_unlinked,
                        "key_destroyed": out.key_destroyed,
                        "items_retained": plan.retain.len(),
                    }),
                    error: None,
                    at: self.now(),
                });
            }
            tick(&mut done, &system);
        }
        Ok(())
    }

    /// Erases the subject's rows of one dataset through the adapter of its kind. An error
    /// has the subject's identities scrubbed from its message.
    async fn erase_dataset(
        &self,
        c: &ConnectorRecord,
        cfg: &ConnectorConfig,
        ds: &connectors::Dataset,
        ids: &Identities,
    ) -> Result<connectors::DatasetOutcome, ConnectorError> {
        let connection = self
            .connector_secret(c, cfg)
            .map_err(|e| ConnectorError::new(ConnectorErrorCode::Config, e.to_string()))?;
        let adapter = self.effects.dataset(c.kind).ok_or_else(|| {
            ConnectorError::new(
                ConnectorErrorCode::Config,
                format!(
                    "no connector for `{}` datasets is installed",
                    c.kind.as_str()
                ),
            )
        })?;
        adapter
            .erase(&connection, ds, ids)
            .await
            .map_err(|e| connectors::scrub(e, ids))
    }

    /// RET-05: the subject's opt-outs survive the erasure in minimal hashed form, written for
    /// each blind-indexed e-mail and phone of the subject (a returning person is recognized
    /// by the same token and their opt-outs apply again).
    async fn suppression(&self, subject: SubjectId) -> Result<(), CoreError> {
        let store = self.steward.store();
        let identities: Vec<_> = store
            .identities_of(subject)
            .await?
            .into_iter()
            .filter(|l| matches!(l.identity.kind, IdentityKind::Email | IdentityKind::Phone))
            .collect();
        if identities.is_empty() {
            return Ok(());
        }
        let ledger = store.list_choices(&[Party::Subject(subject)]).await?;
        let latest = steward_store::model::choice::fold_latest(&ledger);
        let now = self.now();
        let mut entries = Vec::new();
        for (key, eff) in &latest {
            let k = key.as_str();
            let is_opt_out = (eff.value
                && (k.ends_with("opt_out")
                    || k.starts_with("objection:")
                    || k == "nv_no_sale"
                    || k == "limit_spi"))
                || (!eff.value && k.starts_with("marketing:"));
            if !is_opt_out {
                continue;
            }
            for l in &identities {
                entries.push(ChoiceEntry {
                    id: steward_store::ids::ChoiceId::generate(),
                    party: Party::Identity(l.identity.clone()),
                    key: key.clone(),
                    value: eff.value,
                    source: ChoiceSource::Default,
                    channel: None,
                    actor: steward_store::model::audit::Actor::System,
                    policy_version: eff.policy_version.clone(),
                    notice_hash: None,
                    at: now,
                });
            }
        }
        if !entries.is_empty() {
            store.append_choices(&entries).await?;
        }
        Ok(())
    }

    /// Queues a notification to a recipient: a signed webhook when it has an endpoint, else a
    /// `manual` line for staff. Returns the system name.
    #[allow(clippy::too_many_arguments)]
    async fn notify(
        &self,
        rec: &RequestRecord,
        doc: &mut Doc,
        connectors: &[ConnectorRecord],
        recipient: &str,
        event: &str,
        action: &str,
        categories: &[String],
        ids: &Identities,
        extra: serde_json::Value,
    ) -> Result<String, CoreError> {
        let hook = connectors.iter().find(|c| {
            c.kind == ConnectorKind::Webhook
                && c.disabled_at.is_none()
                && c.recipient
                    .as_ref()
                    .is_some_and(|r| r.as_str() == recipient)
        });
        let now = self.now();
        let detail =
            serde_json::json!({"action": action, "event": event, "categories": categories});
        let Some(hook) = hook else {
            let system = format!("notice:{recipient}");
            doc.record(SystemResult {
                system: system.clone(),
                status: "manual".into(),
                detail,
                error: Some(
                    "no webhook endpoint is registered for this recipient: notify it another way"
                        .into(),
                ),
                at: now,
            });
            return Ok(system);
        };
        let system = format!("webhook:{recipient}");
        if doc.result(&system).is_some_and(|r| r.status != "failed") {
            return Ok(system);
        }
        let sealer = self
            .sealer(rec)?
            .ok_or(CoreError::Unavailable("the request key is gone"))?;
        let id = delivery_id(rec.id, recipient, event);
        let mut identities = serde_json::Map::new();
        for (k, v) in &ids.0 {
            identities.insert(
                k.clone(),
                serde_json::Value::from(v.iter().map(|s| s.expose().clone()).collect::<Vec<_>>()),
            );
        }
        let body = serde_json::json!({
            "type": format!("steward.request.{event}"),
            "delivery_id": id,
            "request_id": rec.id,
            "recipient": recipient,
            "action": action,
            "categories": categories,
            "subject": {"id": rec.subject, "identities": identities},
            "regimes": doc.regimes.iter().map(|r| r.as_str()).collect::<Vec<_>>(),
            "respond_by": doc.ticket.current_due().at(),
            "confirm": {"path": format!("/v1/requests/deliveries/{id}/confirm")},
            "detail": extra,
        });
        let payload =
            serde_json::to_vec(&body).map_err(|e| CoreError::invalid("BAD_BODY", e.to_string()))?;
        self.steward
            .store()
            .create_deliveries(&[NewDelivery {
                id,
                request: Some(rec.id),
                notification: None,
                connector: hook.id,
                recipient: RecipientKey::new(recipient.to_string())
                    .map_err(|e| CoreError::invalid("BAD_RECIPIENT", e.to_string()))?,
                event: code(event)?,
                sealed: Some(sealer.seal(WEBHOOK_LABEL, &payload)?),
                created_at: now,
                next_attempt_at: now,
                max_attempts: self.config.webhooks.max_attempts,
            }])
            .await?;
        doc.record(SystemResult {
            system: system.clone(),
            status: "queued".into(),
            detail,
            error: None,
            at: now,
        });
        Ok(system)
    }

    async fn access(
        &self,
        rec: &RequestRecord,
        doc: &mut Doc,
        progress: &(dyn Fn(RunProgress) + Send + Sync),
    ) -> Result<(), Fail> {
        let (items, recipients) = match rec.subject {
            Some(s) => {
                let items = self
                    .steward
                    .store()
                    .list_items(s)
                    .await
                    .map_err(|e| fail("report", e))?;
                let d = self.disclosures(s).await.map_err(|e| fail("report", e))?;
                let r: BTreeSet<&str> = d.iter().map(|x| x.recipient.as_str()).collect();
                (items.iter().filter(|i| i.value.is_some()).count(), r.len())
            }
            None => (0, 0),
        };
        doc.record(SystemResult {
            system: "report".into(),
            status: "done".into(),
            detail: serde_json::json!({"items": items, "recipients": recipients, "confirmation": items > 0}),
            error: None,
            at: self.now(),
        });
        progress(RunProgress {
            done: 1,
            total: 1,
            system: "report".into(),
        });
        Ok(())
    }

    async fn correction(
        &self,
        caller: &Caller,
        rec: &RequestRecord,
        doc: &mut Doc,
        connectors: &[ConnectorRecord],
        progress: &(dyn Fn(RunProgress) + Send + Sync),
    ) -> Result<(), Fail> {
        let target = doc
            .correction
            .clone()
            .ok_or_else(|| fail("item", "the request has no correction"))?;
        let system = format!("item:{}", target.category);
        let subject = rec
            .subject
            .ok_or_else(|| fail(&system, "no data is held about the requester"))?;
        let store = self.steward.store();
        if doc.result(&system).is_none_or(|r| r.status != "done") {
            let value = self
                .contact(rec)
                .map_err(|e| fail(&system, e))?
                .correction_value
                .ok_or_else(|| fail(&system, "the correction's value is gone"))?;
            let items = store
                .list_items(subject)
                .await
                .map_err(|e| fail(&system, e))?;
            let item = match target.item {
                Some(id) => items.iter().find(|i| i.id == id),
                None => items
                    .iter()
                    .filter(|i| i.category.as_str() == target.category && i.value.is_some())
                    .max_by_key(|i| (i.updated_at, i.id)),
            }
            .filter(|i| i.category.as_str() == target.category && i.value.is_some())
            .ok_or_else(|| {
                fail(
                    &system,
                    format!("no live `{}` item to correct", target.category),
                )
            })?;
            // RIGHTS-01 / GDPR-15: audited as a rectification (digests only: AUD-04).
            let refs = FieldName::new("request")
                .map(|n| {
                    vec![EventRef {
                        name: n,
                        id: rec.id.as_uuid(),
                    }]
                })
                .unwrap_or_default();
            self.steward
                .rectify_item(caller, item, &value, refs)
                .await
                .map_err(|e| fail(&system, e))?;
            doc.record(SystemResult {
                system: system.clone(),
                status: "done".into(),
                detail: serde_json::json!({"item": item.id, "category": target.category}),
                error: None,
                at: self.now(),
            });
        }
        progress(RunProgress {
            done: 1,
            total: 1,
            system: system.clone(),
        });
        // GDPR-18 / RIGHTS-07: every recipient of this category in the last 12 months.
        let since = self
            .now()
            .checked_sub(SignedDuration::from_hours(24 * 366))
            .unwrap_or(Timestamp::UNIX_EPOCH);
        let disclosures = self
            .disclosures(subject)
            .await
            .map_err(|e| fail(&system, e))?;
        let recipients: BTreeSet<String> = disclosures
            .iter()
            .filter(|d| {
                d.disclosed_at >= since
                    && d.categories.iter().any(|c| c.as_str() == target.category)
            })
            .map(|d| d.recipient.to_string())
            .collect();
        let mut ids = Identities::default();
        if let Ok(Some(e)) = self.address(rec).await {
            ids.add("email", e.expose());
        }
        let value = self.contact(rec).ok().and_then(|c| c.correction_value);
        for r in recipients {
            self.notify(
                rec,
                doc,
                connectors,
                &r,
                "rectification",
                "rectify",
                std::slice::from_ref(&target.category),
                &ids,
                serde_json::json!({"category": target.category, "new_value": value.as_ref().map(|v| v.expose().clone())}),
            )
            .await
            .map_err(|e| fail(&format!("webhook:{r}"), e))?;
        }
        Ok(())
    }

    async fn restriction(
        &self,
        rec: &RequestRecord,
        doc: &mut Doc,
        connectors: &[ConnectorRecord],
        progress: &(dyn Fn(RunProgress) + Send + Sync),
    ) -> Result<(), Fail> {
        doc.record(SystemResult {
            system: "restriction".into(),
            status: "done".into(),
            detail: serde_json::json!({"note": "processing restricted to storage (GDPR Art. 18); callers pass `restricted` categories in decision contexts"}),
            error: None,
            at: self.now(),
        });
        progress(RunProgress {
            done: 1,
            total: 1,
            system: "restriction".into(),
        });
        let Some(s) = rec.subject else { return Ok(()) };
        let disclosures = self
            .disclosures(s)
            .await
            .map_err(|e| fail("restriction", e))?;
        let recipients: BTreeSet<String> = disclosures
            .iter()
            .map(|d| d.recipient.to_string())
            .collect();
        let ids = Identities::default();
        for r in recipients {
            let cats: Vec<String> = disclosures
                .iter()
                .filter(|d| d.recipient.as_str() == r)
                .flat_map(|d| d.categories.iter().map(ToString::to_string))
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect();
            self.notify(
                rec,
                doc,
                connectors,
                &r,
                "restriction",
                "restrict",
                &cats,
                &ids,
                serde_json::json!({}),
            )
            .await
            .map_err(|e| fail(&format!("webhook:{r}"), e))?;
        }
        Ok(())
    }

    async fn choices(
        &self,
        caller: &Caller,
        rec: &RequestRecord,
        doc: &mut Doc,
        kind: RequestKind,
        connectors: &[ConnectorRecord],
        progress: &(dyn Fn(RunProgress) + Send + Sync),
    ) -> Result<(), Fail> {
        let purpose = doc.purpose.clone().unwrap_or_default();
        let keys: Vec<(String, bool)> = match kind {
            RequestKind::OptOutSaleShare => vec![
                ("sale_opt_out".into(), true),
                ("share_opt_out".into(), true),
            ],
            RequestKind::LimitSpi => vec![("limit_spi".into(), true)],
            RequestKind::NevadaNoSale => vec![("nv_no_sale".into(), true)],
            RequestKind::ObjectDirectMarketing => vec![("objection:direct_marketing".into(), true)],
            RequestKind::WithdrawConsent => vec![(format!("consent:purpose:{purpose}"), false)],
            RequestKind::Objection => vec![(format!("objection:{purpose}"), true)],
            _ => Vec::new(),
        };
        let system = "choices".to_string();
        let Some(s) = rec.subject else {
            doc.record(SystemResult {
                system,
                status: "skipped".into(),
                detail: serde_json::json!({"reason": "no data is held about the requester"}),
                error: None,
                at: self.now(),
            });
            return Ok(());
        };
        if doc.result(&system).is_none_or(|r| r.status != "done") {
            let source = match rec.requester {
                Requester::Subject => "user",
                Requester::Agent => "agent",
                Requester::Admin => "support",
            };
            let channel = match rec.channel.as_str() {
                "privacy_center" | "web_form" | "email_link" | "support_contact"
                | "privacy_email" | "api" => Some(rec.channel.to_string()),
                "support" => Some("support_contact".to_string()),
                _ => None,
            };
            let inputs = keys
                .iter()
                .map(|(k, v)| steward_core::choices::ChoiceInput {
                    party: steward_core::choices::ChoiceParty::Subject(s),
                    key: k.clone(),
                    value: *v,
                    source: source.to_string(),
                    notice_sha256: None,
                    channel: channel.clone(),
                })
                .collect();
            let who = match caller {
                Caller::Admin(_) => Caller::System,
                c => c.clone(),
            };
            self.steward
                .record_choices(&who, inputs)
                .await
                .map_err(|e| fail(&system, e))?;
            doc.record(SystemResult {
                system: system.clone(),
                status: "done".into(),
                detail: serde_json::json!({"keys": keys.iter().map(|(k, v)| serde_json::json!({"key": k, "value": v})).collect::<Vec<_>>(),
                    "propagate_by": doc.ticket.propagate_by().map(|d| d.at())}),
                error: None,
                at: self.now(),
            });
        }
        progress(RunProgress {
            done: 1,
            total: 1,
            system: system.clone(),
        });
        // CCPA-13: third parties the data was sold or shared to are told, and asked to forward.
        if matches!(
            kind,
            RequestKind::OptOutSaleShare | RequestKind::NevadaNoSale
        ) {
            let engine = self.steward.engine();
            let disclosures = self.disclosures(s).await.map_err(|e| fail("notify", e))?;
            let mut recipients: BTreeSet<String> = BTreeSet::new();
            for d in &disclosures {
                let info = engine
                    .recipient(d.recipient.as_str())
                    .map(|r| engine.recipient_info(r));
                let sold = info.is_some_and(|i| {
                    if kind == RequestKind::NevadaNoSale {
                        i.nv_monetary
                    } else {
                        i.sale || i.share
                    }
                });
                if sold {
                    recipients.insert(d.recipient.to_string());
                }
            }
            let mut ids = Identities::default();
            if let Ok(Some(e)) = self.address(rec).await {
                ids.add("email", e.expose());
            }
            for r in recipients {
                let cats: Vec<String> = disclosures
                    .iter()
                    .filter(|d| d.recipient.as_str() == r)
                    .flat_map(|d| d.categories.iter().map(ToString::to_string))
                    .collect::<BTreeSet<_>>()
                    .into_iter()
                    .collect();
                self.notify(
                    rec,
                    doc,
                    connectors,
                    &r,
                    "opt_out",
                    "stop_sale_and_sharing",
                    &cats,
                    &ids,
                    serde_json::json!({"forward": true}),
                )
                .await
                .map_err(|e| fail(&format!("webhook:{r}"), e))?;
            }
        }
        Ok(())
    }

    /// The report of an access, know or portability request (DEC-10/11), built from what is
    /// stored: items (decrypted), the disclosure register and the choices ledger. Reading it
    /// is audited (AUD-06). Available once the request completed.
    ///
    /// # Errors
    /// `Conflict(NOT_COMPLETED)`, `Invalid(NOT_A_REPORT_REQUEST)`, `NotFound`.
    pub async fn report(
        &self,
        caller: &Caller,
        id: RequestId,
        format: ReportFormat,
    ) -> Result<ReportOutput, CoreError> {
        let (rec, doc) = self.load(id).await?;
        let kind = kind_of(&rec)?;
        if !matches!(
            kind,
            RequestKind::Access
                | RequestKind::KnowCategories
                | RequestKind::KnowSpecificPieces
                | RequestKind::Portability
        ) {
            return Err(CoreError::invalid(
                "NOT_A_REPORT_REQUEST",
                "only access, know and portability requests have a report",
            ));
        }
        if rec.state != RequestState::Completed {
            return Err(CoreError::Conflict {
                code: "NOT_COMPLETED",
                message: "the report is available once the request is completed".into(),
            });
        }
        if let Caller::Subject(s) = caller
            && rec.subject != Some(*s)
        {
            return Err(CoreError::NotFound("request"));
        }
        let engine = self.steward.engine();
        let now = self.now();
        let period = self.period(&rec, &doc)?;
        let subject_id = rec.subject.map(|s| s.to_string()).unwrap_or_default();
        let (items, disclosures, ledger, kind_name) = match rec.subject {
            Some(s) => {
                let store = self.steward.store();
                let items = self.steward.decrypt_items(s).await?;
                let subject = store.get_subject(s).await?;
                (
                    items,
                    self.disclosures(s).await?,
                    self.steward.ledger(s).await?,
                    subject.facts.kind.as_str().to_string(),
                )
            }
            None => (Vec::new(), Vec::new(), Vec::new(), "unknown".to_string()),
        };
        let mut e = self.steward.event(AuditKind::Read, "dsr.report", caller);
        e.subject = rec.subject;
        if let Ok(n) = FieldName::new("request") {
            e.refs.push(EventRef {
                name: n,
                id: rec.id.as_uuid(),
            });
        }
        self.steward.audit().append_one(e).await?;
        let short = &rec.id.to_string()[..8];
        let out = match format {
            ReportFormat::PortableJson | ReportFormat::PortableCsv => {
                let p = report::portable(&engine, &subject_id, &items, now);
                if format == ReportFormat::PortableJson {
                    ReportOutput {
                        content_type: "application/json",
                        file_name: format!("portable-{short}.json"),
                        body: Sensitive::new(serde_json::to_vec_pretty(&p).unwrap_or_default()),
                    }
                } else {
                    ReportOutput {
                        content_type: "text/csv; charset=utf-8",
                        file_name: format!("portable-{short}.csv"),
                        body: Sensitive::new(portable_csv(&p).into_bytes()),
                    }
                }
            }
            ReportFormat::Json | ReportFormat::Csv | ReportFormat::Html => {
                let mut r = report::access_report(
                    &engine,
                    &subject_id,
                    &kind_name,
                    &doc.regimes,
                    &items,
                    &disclosures,
                    &ledger,
                    period,
                    now,
                    doc.copy_number,
                );
                if kind == RequestKind::KnowCategories {
                    // Categories only (CCPA §1798.110(a)(1)-(4)): no specific pieces.
                    for c in &mut r.categories {
                        c.items.clear();
                    }
                }
                match format {
                    ReportFormat::Json => ReportOutput {
                        content_type: "application/json",
                        file_name: format!("access-{short}.json"),
                        body: Sensitive::new(serde_json::to_vec_pretty(&r).unwrap_or_default()),
                    },
                    ReportFormat::Csv => ReportOutput {
                        content_type: "text/csv; charset=utf-8",
                        file_name: format!("access-{short}.csv"),
                        body: Sensitive::new(report::to_csv(&r).into_bytes()),
                    },
                    _ => ReportOutput {
                        content_type: "text/html; charset=utf-8",
                        file_name: format!("access-{short}.html"),
                        body: Sensitive::new(report::to_html(&r).into_bytes()),
                    },
                }
            }
        };
        Ok(out)
    }

    /// The period a report covers: everything under the GDPR (or no statute); the CCPA-06
    /// look-back when the CCPA is the only regime.
    fn period(&self, rec: &RequestRecord, doc: &Doc) -> Result<Period, CoreError> {
        let ccpa_only = doc.regimes.contains(&Regime::Ccpa)
            && !doc
                .regimes
                .iter()
                .any(|r| matches!(r, Regime::Gdpr | Regime::UkGdpr));
        if !ccpa_only {
            return Ok(Period {
                from: None,
                to: self.now(),
            });
        }
        let range = steward_deadlines::clocks::ccpa_lookback(
            rec.received_at,
            doc.lookback.unwrap_or(Lookback::Default),
            &self.config.calendar,
        )
        .map_err(|e| CoreError::invalid(e.code(), e.to_string()))?;
        Ok(Period {
            from: Some(range.start),
            to: range.end,
        })
    }
}

fn portable_csv(p: &serde_json::Value) -> String {
    let esc = |s: &str| {
        if s.contains([',', '"', '\n', '\r']) {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s.to_string()
        }
    };
    let mut out = String::from("category,value,collected_at,source\n");
    for row in p["items"].as_array().map(Vec::as_slice).unwrap_or_default() {
        let f = |k: &str| {
            row[k]
                .as_str()
                .map(str::to_string)
                .unwrap_or_else(|| row[k].to_string())
        };
        out.push_str(&format!(
            "{},{},{},{}\n",
            esc(&f("category")),
            esc(&f("value")),
            esc(&f("collected_at")),
            esc(&f("source"))
        ));
    }
    out
}
