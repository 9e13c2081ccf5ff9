//! Access, know and portability requests at run time: every connected dataset is read for
//! the subject's rows (the columns its annotation marks as personal data, read-only, matched
//! through the subject's identities as an erasure would match them), what came back is kept
//! sealed under the request's own key, and what the vault holds is counted. The report itself
//! is built when it is read ([`crate::reports`]).
//!
//! A dataset that cannot be read fails the run at that system with the reason: the request
//! is left `failed` (no report, no answer to the subject) and is run again automatically
//! after a back-off ([`Requests::retry_failed_reads`]); datasets already read are not read
//! again.

use std::collections::BTreeSet;

use jiff::SignedDuration;
use steward_core::{Caller, CoreError};
use steward_deadlines::RequestKind;
use steward_store::model::request::{ConnectorRecord, RequestQuery, RequestRecord, RequestState};

use super::{ConnectedDataset, Fail, RunProgress, fail};
use crate::connectors::{FoundDataset, Identities};
use crate::doc::{CONTACT_LABEL, Contact, Doc, SystemResult};
use crate::effects::{ConnectorError, ConnectorErrorCode};
use crate::service::Requests;
use crate::views::{DatasetRead, DatasetTables, ReportCounts, SystemDetail, TableCount};

impl Requests {
    pub(crate) async fn access(
        &self,
        rec: &RequestRecord,
        doc: &mut Doc,
        connectors: &[ConnectorRecord],
        progress: &(dyn Fn(RunProgress) + Send + Sync),
    ) -> Result<(), Fail> {
        let datasets = super::datasets(connectors);
        let total = datasets.len() + 1;
        let mut found_rows = 0usize;
        if !datasets.is_empty() {
            let mut contact = self.contact(rec).map_err(|e| fail("report", e))?;
            let kinds: BTreeSet<String> = datasets
                .iter()
                .flat_map(|d| d.dataset.identity_kinds())
                .collect();
            let ids = self
                .identities(rec, doc, &kinds)
                .await
                .map_err(|e| fail("identities", e))?;
            for (n, d) in datasets.iter().enumerate() {
                let read = self.read_one_dataset(doc, &mut contact, d, &ids).await;
                // What was read so far is kept even when a later dataset fails: a retry
                // does not read it again.
                self.keep_found(rec, doc, &contact)?;
                let system = read?;
                progress(RunProgress {
                    done: n + 1,
                    total,
                    system,
                });
            }
            found_rows = contact.found.iter().map(|f| f.rows.rows()).sum();
        }
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
            detail: SystemDetail::Report(ReportCounts {
                confirmation: items > 0 || found_rows > 0,
                items,
                recipients,
            }),
            error: None,
            at: self.now(),
        });
        progress(RunProgress {
            done: total,
            total,
            system: "report".into(),
        });
        Ok(())
    }

    /// Runs again the access, know and portability requests that failed (a dataset could not
    /// be read), each once its back-off has passed: 1 minute after the first failed run,
    /// doubling with each run, at most 6 hours; for as long as the request is open (its
    /// deadline alerts keep the privacy team informed). Returns how many were run again.
    ///
    /// # Errors
    /// Store failures (a run that fails again is not an error: it waits for the next pass).
    pub async fn retry_failed_reads(&self) -> Result<u32, CoreError> {
        let now = self.now();
        let failed = self
            .steward
            .store()
            .list_requests(&RequestQuery {
                open_only: true,
                subject: None,
                state: Some(RequestState::Failed),
                after: None,
                limit: 1_000,
            })
            .await?;
        let mut retried = 0;
        for r in failed {
            let Ok(kind) = r.kind.as_str().parse::<RequestKind>() else {
                continue;
            };
            if !is_report_kind(kind) {
                continue;
            }
            let (_, doc) = self.load(r.id).await?;
            let Some(f) = &doc.failure else { continue };
            let wait = crate::webhooks::backoff(
                SignedDuration::from_mins(1),
                SignedDuration::from_hours(6),
                doc.runs.max(1),
            );
            if f.at.checked_add(wait).is_ok_and(|due| due > now) {
                continue;
            }
            match self.execute(&Caller::System, r.id, &|_| {}).await {
                Ok(_) => retried += 1,
                // Another worker took it meanwhile.
                Err(CoreError::Conflict { .. }) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(retried)
    }

    /// One dataset of an access run, unless an earlier run read it: the subject's rows read
    /// through its connector into `contact`, the counts recorded. Returns the system name.
    async fn read_one_dataset(
        &self,
        doc: &mut Doc,
        contact: &mut Contact,
        d: &ConnectedDataset<'_>,
        ids: &Identities,
    ) -> Result<String, Fail> {
        let name = d.connector.name.to_string();
        let system = format!("dataset:{name}");
        if doc.result(&system).is_some_and(|r| r.status == "done")
            && contact.found.iter().any(|f| f.connector == name)
        {
            return Ok(system);
        }
        match self.read_dataset(d, ids).await {
            Ok(rows) => {
                doc.record(SystemResult {
                    system: system.clone(),
                    status: "done".into(),
                    detail: SystemDetail::DatasetRead(DatasetRead {
                        rows: rows.rows(),
                        tables: rows
                            .tables
                            .iter()
                            .map(|t| TableCount {
                                rows: t.rows.len(),
                                table: t.table.clone(),
                            })
                            .collect(),
                    }),
                    error: None,
                    at: self.now(),
                });
                contact.found.retain(|f| f.connector != name);
                contact.found.push(FoundDataset {
                    connector: name,
                    rows,
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

    /// Reads the subject's rows of one dataset through the adapter of its kind. An error has
    /// the subject's identities scrubbed from its message.
    async fn read_dataset(
        &self,
        d: &ConnectedDataset<'_>,
        ids: &Identities,
    ) -> Result<crate::connectors::DatasetRows, ConnectorError> {
        let connection = self
            .connector_secret(d.connector, &d.config)
            .map_err(|e| ConnectorError::new(ConnectorErrorCode::Config, e.to_string()))?;
        let adapter = self.effects.dataset(d.connector.kind).ok_or_else(|| {
            ConnectorError::new(
                ConnectorErrorCode::Config,
                format!(
                    "no connector for `{}` datasets is installed",
                    d.connector.kind.as_str()
                ),
            )
        })?;
        adapter
            .read(&connection, &d.dataset, ids)
            .await
            .map_err(|e| crate::connectors::scrub(e, ids))
    }

    /// Seals `contact` (with what datasets returned) under the request's key, to be stored
    /// with the run's next transition.
    fn keep_found(
        &self,
        rec: &RequestRecord,
        doc: &mut Doc,
        contact: &Contact,
    ) -> Result<(), Fail> {
        let sealer = self
            .sealer(rec)
            .map_err(|e| fail("report", e))?
            .ok_or_else(|| fail("report", "the request key is gone"))?;
        doc.reseal = Some(
            sealer
                .seal_json(CONTACT_LABEL, contact)
                .map_err(|e| fail("report", e))?,
        );
        Ok(())
    }
}

/// Whether requests of `kind` answer with a report (access, know, portability).
pub(crate) fn is_report_kind(kind: RequestKind) -> bool {
    matches!(
        kind,
        RequestKind::Access
            | RequestKind::KnowCategories
            | RequestKind::KnowSpecificPieces
            | RequestKind::Portability
    )
}
