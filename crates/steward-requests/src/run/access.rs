//! Access, know and portability requests at run time: what is held is counted (the report
//! itself is built when it is read, [`crate::reports`]).

use std::collections::BTreeSet;

use steward_store::model::request::RequestRecord;

use super::{Fail, RunProgress, fail};
use crate::doc::{Doc, SystemResult};
use crate::service::Requests;
use crate::views::{ReportCounts, SystemDetail};

impl Requests {
    pub(crate) async fn access(
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
            detail: SystemDetail::Report(ReportCounts {
                confirmation: items > 0,
                items,
                recipients,
            }),
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
}
