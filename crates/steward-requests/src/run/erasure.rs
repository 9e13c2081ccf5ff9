//! Erasure (DEC-12, GDPR-16, CCPA-09): the plan, the subject's identities, each dataset
//! through its connector, webhooks queued, the RET-05 suppression entries, the vault last
//! (with what the subject lodged with their complaints: their sealed words and address).

use std::collections::BTreeSet;

use steward_core::Caller;
use steward_core::CoreError;
use steward_store::error::StoreError;
use steward_store::ids::{ItemId, SubjectId};
use steward_store::model::audit::{AuditKind, EventRef};
use steward_store::model::choice::{ChoiceEntry, ChoiceSource, Party};
use steward_store::model::request::{ConnectorRecord, RequestRecord};
use steward_store::model::subject::{IdentityKind, SubjectErasure};
use steward_store::values::FieldName;

use super::{Fail, RunProgress, fail};
use crate::admin::ConnectorConfig;
use crate::connectors::{self, Identities};
use crate::doc::{Doc, SystemResult};
use crate::effects::{ConnectorError, ConnectorErrorCode};
use crate::plan::{self, DatasetPlan, ErasurePlan, PlanFacts};
use crate::service::Requests;
use crate::views::{DatasetErased, DatasetTables, SystemDetail, VaultErased};

impl Requests {
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
        let connectors = self.steward.store().list_connectors().await?;
        p.datasets = super::datasets(&connectors)
            .iter()
            .map(|d| DatasetPlan {
                connector: d.connector.name.to_string(),
                tables: d.dataset.plan(),
            })
            .collect();
        Ok(p)
    }

    /// The subject's identities for matching rows in external datasets.
    pub(crate) async fn identities(
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

    pub(crate) async fn erasure(
        &self,
        rec: &RequestRecord,
        doc: &mut Doc,
        connectors: &[ConnectorRecord],
        progress: &(dyn Fn(RunProgress) + Send + Sync),
    ) -> Result<(), Fail> {
        let plan = self.plan_for(rec, doc).await.map_err(|e| fail("plan", e))?;
        doc.plan = Some(plan.clone());
        let datasets = super::datasets(connectors);
        let total = datasets.len() + plan.notify.len() + usize::from(rec.subject.is_some());
        let mut done = 0usize;
        let mut tick = |system: &str| {
            done += 1;
            progress(RunProgress {
                done,
                total,
                system: system.to_string(),
            });
        };
        let ids = if datasets.is_empty() {
            Identities::default()
        } else {
            let kinds: BTreeSet<String> = datasets
                .iter()
                .flat_map(|d| d.dataset.identity_kinds())
                .collect();
            self.identities(rec, doc, &kinds)
                .await
                .map_err(|e| fail("identities", e))?
        };
        for d in &datasets {
            let system = self.erase_one_dataset(doc, d, &ids).await?;
            tick(&system);
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
            tick(&system);
        }
        if let Some(s) = rec.subject {
            self.erase_vault(rec, doc, s, &plan).await?;
            tick("vault");
        }
        Ok(())
    }

    /// One dataset of an erasure, unless an earlier run did it: its rows erased through its
    /// connector and the outcome recorded. Returns the system name.
    async fn erase_one_dataset(
        &self,
        doc: &mut Doc,
        d: &super::ConnectedDataset<'_>,
        ids: &Identities,
    ) -> Result<String, Fail> {
        let system = format!("dataset:{}", d.connector.name);
        if doc.result(&system).is_some_and(|r| r.status == "done") {
            return Ok(system);
        }
        match self
            .erase_dataset(d.connector, &d.config, &d.dataset, ids)
            .await
        {
            Ok(o) => {
                doc.record(SystemResult {
                    system: system.clone(),
                    status: "done".into(),
                    detail: SystemDetail::DatasetErased(DatasetErased {
                        verified: o.remaining == 0,
                        remaining: o.remaining,
                        tables: o.tables,
                    }),
                    error: None,
                    at: self.now(),
                });
                Ok(system)
            }
            Err(e) => {
                let reason = e.to_string();
                doc.record(SystemResult {
                    system: system.clone(),
                    status: "failed".into(),
                    detail: SystemDetail::DatasetTables(DatasetTables {
                        tables: d.dataset.plan(),
                    }),
                    error: Some(reason.clone()),
                    at: self.now(),
                });
                Err((system, reason))
            }
        }
    }

    /// The vault, last, unless an earlier run did it: the RET-05 suppression entries, then the
    /// subject's items erased (but those the plan keeps) and the key destroyed when nothing is
    /// kept; audited.
    async fn erase_vault(
        &self,
        rec: &RequestRecord,
        doc: &mut Doc,
        s: SubjectId,
        plan: &ErasurePlan,
    ) -> Result<(), Fail> {
        let system = "vault".to_string();
        if doc.result(&system).is_some_and(|r| r.status == "done") {
            return Ok(());
        }
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
        // What the subject lodged with their complaints goes with the rest of their data
        // (crypto-shredding); the complaints' records stay in the register.
        self.steward
            .erase_complaint_words_of(&Caller::System, s)
            .await
            .map_err(|e| fail(&system, e))?;
        let mut e = self
            .steward
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
            system,
            status: "done".into(),
            detail: SystemDetail::Vault(VaultErased {
                identities_unlinked: out.identities_unlinked,
                items_erased: out.items_erased,
                items_retained: plan.retain.len(),
                key_destroyed: out.key_destroyed,
            }),
            error: None,
            at: self.now(),
        });
        Ok(())
    }

    /// Erases the subject's rows of one dataset through the adapter of its kind. An error
    /// has the subject's identities scrubbed from its message.
    pub(crate) async fn erase_dataset(
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
    pub(crate) async fn suppression(&self, subject: SubjectId) -> Result<(), CoreError> {
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
}
