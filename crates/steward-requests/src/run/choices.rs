//! Restriction (GDPR Art. 18, recorded and notified) and the choice requests — opt-outs of
//! sale and sharing, limits, Nevada no-sale, objections, consent withdrawals — recorded in
//! the ledger; third parties the data was sold or shared to are told (CCPA-13).

use std::collections::BTreeSet;

use steward_core::{Caller, CoreError};
use steward_deadlines::RequestKind;
use steward_store::model::request::{ConnectorRecord, RequestRecord, Requester};

use super::{Fail, RunProgress, fail};
use crate::connectors::Identities;
use crate::doc::{Doc, SystemResult};
use crate::service::Requests;
use crate::views::{ChoiceSet, ChoicesRecorded, Note, Skipped, SystemDetail};
use steward_store::ids::SubjectId;

impl Requests {
    pub(crate) async fn restriction(
        &self,
        rec: &RequestRecord,
        doc: &mut Doc,
        connectors: &[ConnectorRecord],
        progress: &(dyn Fn(RunProgress) + Send + Sync),
    ) -> Result<(), Fail> {
        doc.record(SystemResult {
            system: "restriction".into(),
            status: "done".into(),
            detail: SystemDetail::Note(Note {
                note: "processing restricted to storage (GDPR Art. 18); callers pass `restricted` categories in decision contexts".into(),
            }),
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

    pub(crate) async fn choices(
        &self,
        caller: &Caller,
        rec: &RequestRecord,
        doc: &mut Doc,
        kind: RequestKind,
        connectors: &[ConnectorRecord],
        progress: &(dyn Fn(RunProgress) + Send + Sync),
    ) -> Result<(), Fail> {
        let system = "choices".to_string();
        let Some(s) = rec.subject else {
            doc.record(SystemResult {
                system,
                status: "skipped".into(),
                detail: SystemDetail::Skipped(Skipped {
                    reason: "no data is held about the requester".into(),
                }),
                error: None,
                at: self.now(),
            });
            return Ok(());
        };
        if doc.result(&system).is_none_or(|r| r.status != "done") {
            self.record_request_choices(caller, rec, doc, kind, s)
                .await
                .map_err(|e| fail(&system, e))?;
        }
        progress(RunProgress {
            done: 1,
            total: 1,
            system,
        });
        if matches!(
            kind,
            RequestKind::OptOutSaleShare | RequestKind::NevadaNoSale
        ) {
            self.notify_buyers(rec, doc, kind, s, connectors).await?;
        }
        Ok(())
    }

    /// The ledger entries a choice request makes, recorded for the subject with the
    /// requester's source and channel.
    async fn record_request_choices(
        &self,
        caller: &Caller,
        rec: &RequestRecord,
        doc: &mut Doc,
        kind: RequestKind,
        s: SubjectId,
    ) -> Result<(), CoreError> {
        let keys = choice_keys(kind, doc.purpose.as_deref().unwrap_or_default());
        let source = match rec.requester {
            Requester::Subject => "user",
            Requester::Agent => "agent",
            Requester::Admin => "support",
        };
        let channel = match rec.channel.as_str() {
            "privacy_center" | "web_form" | "email_link" | "support_contact" | "privacy_email"
            | "api" => Some(rec.channel.to_string()),
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
        self.steward.record_choices(&who, inputs).await?;
        doc.record(SystemResult {
            system: "choices".into(),
            status: "done".into(),
            detail: SystemDetail::Choices(ChoicesRecorded {
                keys: keys
                    .into_iter()
                    .map(|(key, value)| ChoiceSet { key, value })
                    .collect(),
                propagate_by: doc.ticket.propagate_by().map(|d| d.at()),
            }),
            error: None,
            at: self.now(),
        });
        Ok(())
    }

    /// CCPA-13: third parties the data was sold or shared to (for Nevada: sold for money)
    /// are told, and asked to forward.
    async fn notify_buyers(
        &self,
        rec: &RequestRecord,
        doc: &mut Doc,
        kind: RequestKind,
        s: SubjectId,
        connectors: &[ConnectorRecord],
    ) -> Result<(), Fail> {
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
        Ok(())
    }
}

/// The ledger keys and values a choice request records (`purpose`: of an objection or a
/// consent withdrawal).
fn choice_keys(kind: RequestKind, purpose: &str) -> Vec<(String, bool)> {
    match kind {
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
    }
}
