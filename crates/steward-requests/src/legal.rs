//! Legal requests, the workflow's part (LEGALREQ-05): a disclosure under a legal request
//! ([`Steward::disclose_under_legal_request`](steward_core::Steward::disclose_under_legal_request))
//! followed by the notice to its subject — an e-mail through the outbox, to the subject's
//! newest e-mail address in the vault, sealed under the legal request's notice key — unless a
//! non-disclosure order or a legal prohibition of notice suppressed it (the core records and
//! audits that as `NOTICE_SUPPRESSED`). Idempotent per disclosure: the outbox message's id is
//! the disclosure's decision id, and only a notice still owed is sent; what became of it
//! (queued, or no address) is recorded in the legal request, audited.

use steward_core::decisions::Decided;
use steward_core::legal::{LegalRequest, SubjectNotice};
use steward_core::{Caller, CoreError};
use steward_store::ids::{CaseId, MessageId, SubjectId};
use steward_store::model::request::MessageOwner;

use crate::seal::Sealer;
use crate::service::Requests;

impl Requests {
    /// Discloses under legal request `id` (the core's use case, with the same checks and
    /// errors), then sends the notices owed to the subjects (LEGALREQ-05).
    ///
    /// # Errors
    /// Those of the core's `disclose_under_legal_request`; store and vault failures.
    pub async fn disclose_under_legal_request(
        &self,
        caller: &Caller,
        id: CaseId,
        subject: SubjectId,
        recipient: &str,
        purpose: &str,
        categories: Vec<String>,
    ) -> Result<(LegalRequest, Decided), CoreError> {
        let (_, decided) = self
            .steward
            .disclose_under_legal_request(caller, id, subject, recipient, purpose, categories)
            .await?;
        let l = self.send_legal_notices(caller, id).await?;
        Ok((l, decided))
    }

    /// Sends every notice legal request `id` still owes its subjects (LEGALREQ-05): each to
    /// the subject's newest e-mail address, through the outbox; a subject without one (or
    /// erased) is recorded as such. A notice sent already is not sent again.
    ///
    /// # Errors
    /// `NotFound`; store and vault failures.
    pub async fn send_legal_notices(
        &self,
        caller: &Caller,
        id: CaseId,
    ) -> Result<LegalRequest, CoreError> {
        let mut l = self.steward.legal_request(id).await?;
        let owed: Vec<_> = l
            .body
            .disclosures
            .iter()
            .filter(|d| d.notice == Some(SubjectNotice::Pending))
            .cloned()
            .collect();
        if owed.is_empty() || l.suppression().is_some() {
            return Ok(l);
        }
        let Some(sealer) = self.legal_notice_sealer(id).await? else {
            return Ok(l);
        };
        for d in owed {
            let to = match self.values_of(d.subject, &["email"]).await {
                Ok(v) => v.into_iter().last().map(|(_, v)| v),
                Err(CoreError::Erased | CoreError::NotFound(_)) => None,
                Err(e) => return Err(e),
            };
            let now = self.now();
            let outcome = match to {
                None => SubjectNotice::NoAddress { at: now },
                Some(to) => {
                    let message = d
                        .decision_id
                        .parse::<uuid::Uuid>()
                        .map(MessageId::from_uuid)
                        .map_err(|_| CoreError::Unavailable("a legal disclosure does not read"))?;
                    let email = crate::texts::legal_notice(self, &l, &d, to);
                    self.send_sealed_as(
                        MessageOwner::Complaint(id),
                        &sealer,
                        vec![(message, "legal_notice", email)],
                    )
                    .await?;
                    SubjectNotice::Queued { at: now }
                }
            };
            if let Some(updated) = self
                .steward
                .record_legal_notice(caller, id, &d.decision_id, outcome)
                .await?
            {
                l = updated;
            }
        }
        Ok(l)
    }

    /// The key legal request `id`'s notices are sealed under (`None`: not a legal request, or
    /// no notice was ever owed).
    pub(crate) async fn legal_notice_sealer(
        &self,
        id: CaseId,
    ) -> Result<Option<Sealer>, CoreError> {
        let l = match self.steward.legal_request(id).await {
            Ok(l) => l,
            Err(CoreError::NotFound(_)) => return Ok(None),
            Err(e) => return Err(e),
        };
        l.body
            .notice_key
            .as_ref()
            .map(|k| crate::complaints::open_wrapped(self, id, &k.kek, &k.wrapped))
            .transpose()
    }
}
