//! Reading the audit log: queries by subject, kind and time, themselves audited (AUD-06:
//! "reads of the audit log … are themselves audited").

use steward_store::model::audit::{AuditEntry, AuditKind, AuditQuery, ChainHead};

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
