//! Reading the audit log: queries by subject, kind and time, and the trail of a case file,
//! themselves audited (AUD-06: "reads of the audit log … are themselves audited").

use steward_store::model::audit::{AuditEntry, AuditKind, AuditQuery, ChainHead, EventRef};
use steward_store::model::case::CaseRecord;
use steward_store::values::FieldName;

use crate::error::CoreError;
use crate::{Caller, Steward};

impl Steward {
    /// A page of the audit log. The read is appended to the log before the page is returned.
    /// Served by the read view when there is one ([`Steward::reads`]): a page may miss the
    /// entries of the last `max_lag` (audit appends are batched anyway).
    ///
    /// # Errors
    /// Store failures.
    pub async fn query_audit(
        &self,
        caller: &Caller,
        query: AuditQuery,
    ) -> Result<Vec<AuditEntry>, CoreError> {
        let page = self.reads().query_audit(&query).await?;
        let mut e = self.event(AuditKind::Read, "audit.query", caller);
        e.subject = query.subject;
        self.audit.append_one(e).await?;
        Ok(page)
    }

    /// The newest entry of the chain (its sequence number and hash), or `None` for an empty
    /// log. Reveals no event: a console pages back from it.
    ///
    /// # Errors
    /// Store failures.
    pub async fn audit_head(&self) -> Result<Option<ChainHead>, CoreError> {
        Ok(self.store.audit_head().await?)
    }
}

/// The most audit entries [`Steward::case_trail`] reads looking for a case file's entries;
/// past it the trail says it may be incomplete ([`CaseTrail::truncated`]).
pub const CASE_TRAIL_SCAN: u32 = 50_000;
/// The page [`Steward::case_trail`] reads at a time.
const CASE_TRAIL_PAGE: u32 = 2_000;

/// The audit trail of a case file (an incident, a complaint, a legal request).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseTrail {
    /// The administrative entries naming the case, in the order they were written.
    pub entries: Vec<AuditEntry>,
    /// The scan stopped at [`CASE_TRAIL_SCAN`] entries: later entries may be missing.
    pub truncated: bool,
}

impl Steward {
    /// The audit trail of case file `case`: every administrative entry whose references name
    /// it (`incident`, `complaint` or `legal_request` = its id) — recorded, assessed, notice
    /// sent, reviewed, disclosed, closed … — in the order written, with who acted. Served by the
    /// read view when there is one ([`Steward::reads`]): an entry written within the view's
    /// `max_lag` may show on the next read only. The read is itself audited (`audit.query`,
    /// referencing the case: AUD-06). Entries are searched from the case's opening time on,
    /// at most [`CASE_TRAIL_SCAN`] of them.
    ///
    /// # Errors
    /// Store failures.
    pub async fn case_trail(
        &self,
        caller: &Caller,
        case: &CaseRecord,
    ) -> Result<CaseTrail, CoreError> {
        let id = case.id.as_uuid();
        let name = case.kind.as_str();
        let mut trail = CaseTrail::default();
        let mut after = None;
        let mut scanned: u64 = 0;
        loop {
            let page = self
                .reads()
                .query_audit(&AuditQuery {
                    subject: None,
                    kind: Some(AuditKind::Admin),
                    from: Some(case.opened_at),
                    until: None,
                    after,
                    limit: CASE_TRAIL_PAGE,
                })
                .await?;
            scanned += page.len() as u64;
            let full = page.len() == CASE_TRAIL_PAGE as usize;
            after = page.last().map(|e| e.seq);
            trail.entries.extend(page.into_iter().filter(|e| {
                e.event
                    .refs
                    .iter()
                    .any(|r| r.id == id && r.name.as_str() == name)
            }));
            if !full {
                break;
            }
            if scanned >= u64::from(CASE_TRAIL_SCAN) {
                trail.truncated = true;
                break;
            }
        }
        let mut e = self.event(AuditKind::Read, "audit.query", caller);
        e.refs = FieldName::new(name)
            .ok()
            .map(|name| EventRef { name, id })
            .into_iter()
            .collect();
        self.audit.append_one(e).await?;
        Ok(trail)
    }
}
