//! Corrections (GDPR-15, CCPA-11): the item re-encrypted with the new value, audited as a
//! rectification, and every recipient of that category in the last 12 months notified
//! (GDPR-18, RIGHTS-07). With no stored subject (a person without an account), the item is
//! recorded as skipped and the answer says nothing was held to correct.

use std::collections::BTreeSet;

use jiff::{SignedDuration, Timestamp};
use steward_core::Caller;
use steward_store::model::audit::EventRef;
use steward_store::model::request::{ConnectorRecord, RequestRecord};
use steward_store::values::FieldName;

use super::{Fail, RunProgress, fail};
use crate::connectors::Identities;
use crate::doc::{Doc, SystemResult};
use crate::service::Requests;
use crate::views::{ItemCorrected, Skipped, SystemDetail};

impl Requests {
    pub(crate) async fn correction(
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
        let Some(subject) = rec.subject else {
            // Nobody stored under the verified address (a person without an account): there is
            // nothing in the vault to correct, and the answer says so rather than claiming a
            // correction or leaving the request failed as if a system were down.
            doc.record(SystemResult {
                system: system.clone(),
                status: "skipped".into(),
                detail: SystemDetail::Skipped(Skipped {
                    reason: "no data is held about the requester".into(),
                }),
                error: None,
                at: self.now(),
            });
            progress(RunProgress {
                done: 1,
                total: 1,
                system,
            });
            return Ok(());
        };
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
                detail: SystemDetail::Item(ItemCorrected {
                    category: target.category.clone(),
                    item: item.id,
                }),
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
}
