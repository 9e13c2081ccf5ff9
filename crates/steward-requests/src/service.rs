//! [`Requests`]: the data subject request workflow — the service the HTTP API and the CLI
//! call (see `docs/requests.md`), and what every part of it shares: loading a request,
//! appending a step with its audit event, sealing contact details, queuing messages.
//!
//! The workflow is split by concern: [`crate::intake`] (submission, codes, agents),
//! [`crate::lifecycle`] (approval, extension, denial, forwarding, more information),
//! [`crate::queue`] (the queue, a request in full, metrics, alerts, record purging),
//! [`crate::admin`] (connectors, legal holds, dead letters), [`crate::run`] (execution),
//! [`crate::reports`] (access and portability reports), [`crate::webhooks`] (deliveries).
//!
//! States: `received` → `awaiting_verification` | `awaiting_agent_permission` → `verified`
//! → `approved` → `running` → `completed` | `failed` (run again) ; `denied` and
//! `forwarded` close a request too. Every transition is an append-only step and an audit
//! event (AUD-01, AUD-04: ids and codes, no personal data).

use std::sync::Arc;
use steward_errors::ErrorCode;

use jiff::Timestamp;
use steward_core::CoreError;
use steward_core::{Caller, Steward};
use steward_deadlines::RequestKind;
use steward_store::error::StoreError;
use steward_store::ids::{MessageId, RequestId, SubjectId};
use steward_store::model::audit::{AuditKind, EventRef};
use steward_store::model::request::{
    MessageOutcome, MessageOwner, NewMessage, NewRequestStep, RequestChange, RequestCode,
    RequestRecord, RequestState,
};
use steward_store::values::FieldName;
use steward_vault::Sensitive;

use crate::config::RequestsConfig;
use crate::doc::{CONTACT_LABEL, Contact, Doc, MESSAGE_LABEL};
use crate::effects::{Effects, Email};
use crate::seal::Sealer;
use crate::views::StepDetail;

/// The data subject request service. Cheap to share (`Arc`).
#[derive(Debug)]
pub struct Requests {
    pub(crate) steward: Arc<Steward>,
    pub(crate) config: RequestsConfig,
    pub(crate) effects: Effects,
}

pub(crate) fn code(s: &str) -> Result<RequestCode, CoreError> {
    RequestCode::new(s).map_err(|e| CoreError::invalid(ErrorCode::BadCode, e.to_string()))
}

pub(crate) fn kind_of(rec: &RequestRecord) -> Result<RequestKind, CoreError> {
    rec.kind
        .as_str()
        .parse()
        .map_err(|_| CoreError::Unavailable("stored request kind is unknown"))
}

pub(crate) fn public_state(s: RequestState) -> &'static str {
    s.as_str()
}

pub(crate) fn staff(caller: &Caller) -> bool {
    !matches!(caller, Caller::Subject(_))
}

impl Requests {
    /// The service over a running [`Steward`], performing its effects through `effects`.
    #[must_use]
    pub fn new(steward: Arc<Steward>, config: RequestsConfig, effects: Effects) -> Arc<Requests> {
        // The deadlines the core sets itself (partner notifications) follow the same
        // calendar as the requests' clocks.
        steward.set_calendar(config.calendar.clone());
        Arc::new(Requests {
            steward,
            config,
            effects,
        })
    }

    /// The configuration.
    #[must_use]
    pub fn config(&self) -> &RequestsConfig {
        &self.config
    }

    /// The core service.
    #[must_use]
    pub fn steward(&self) -> &Arc<Steward> {
        &self.steward
    }

    /// The company name used in messages: the configured one, else the controller the
    /// policy file declares (its legal name, up to the first comma).
    #[must_use]
    pub fn company(&self) -> String {
        match &self.config.company {
            Some(c) => c.clone(),
            None => {
                let engine = self.steward.engine();
                let legal = engine.meta.controller.split(',').next().unwrap_or_default();
                legal.trim().to_string()
            }
        }
    }

    pub(crate) fn now(&self) -> Timestamp {
        self.steward.clock().now()
    }

    pub(crate) fn step(
        &self,
        caller: &Caller,
        action: &str,
        state: RequestState,
        detail: StepDetail,
    ) -> Result<NewRequestStep, CoreError> {
        Ok(NewRequestStep {
            id: steward_store::ids::RequestStepId::generate(),
            at: self.now(),
            actor: caller.actor(),
            action: code(action)?,
            state,
            detail: serde_json::to_vec(&detail)
                .map_err(|e| CoreError::invalid(ErrorCode::BadDetail, e.to_string()))?,
        })
    }

    /// An audit event for a request step (AUD-01, AUD-04: ids and codes only).
    pub(crate) fn audit_event(
        &self,
        caller: &Caller,
        action: &str,
        rec: &RequestRecord,
        state: RequestState,
    ) -> steward_store::model::audit::AuditEvent {
        self.audit_event_of(caller, action, rec.id, rec.subject, &rec.kind, state)
    }

    /// [`audit_event`](Self::audit_event) from the request's id, subject and kind.
    pub(crate) fn audit_event_of(
        &self,
        caller: &Caller,
        action: &str,
        id: RequestId,
        subject: Option<SubjectId>,
        kind: &steward_store::model::request::RequestCode,
        state: RequestState,
    ) -> steward_store::model::audit::AuditEvent {
        let mut e = self
            .steward
            .event(AuditKind::RequestStep, &format!("dsr.{action}"), caller);
        e.subject = subject;
        if let Ok(n) = FieldName::new("request") {
            e.refs.push(EventRef {
                name: n,
                id: id.as_uuid(),
            });
        }
        e.attributes = [("kind", kind.as_str()), ("state", state.as_str())]
            .iter()
            .filter_map(|(n, v)| {
                Some(steward_store::model::audit::Attribute {
                    name: FieldName::new(*n).ok()?,
                    value: steward_store::values::AttrValue::new(*v).ok()?,
                })
            })
            .collect();
        e
    }

    /// Changes a request's state (and document), appends the step and audits it.
    #[expect(
        clippy::too_many_arguments,
        reason = "the arguments are the independent inputs of one step; a parameter struct would only rename them"
    )]
    pub(crate) async fn transition(
        &self,
        caller: &Caller,
        rec: &RequestRecord,
        doc: &Doc,
        state: RequestState,
        action: &str,
        detail: StepDetail,
        patch: impl FnOnce(&mut RequestChange),
    ) -> Result<RequestRecord, CoreError> {
        let now = self.now();
        let mut change = RequestChange {
            subject: rec.subject,
            state,
            ack_due: doc.ticket.ack_due().map(|d| d.at()),
            due: doc.ticket.current_due().at(),
            max_due: doc.ticket.max_due().at(),
            closed_at: if state.is_open() {
                None
            } else {
                Some(rec.closed_at.unwrap_or(now))
            },
            key: rec.key.clone(),
            sealed: rec.sealed.clone(),
            doc: doc.to_bytes()?,
        };
        if let Some(sealed) = &doc.reseal {
            change.sealed = Some(sealed.clone());
        }
        patch(&mut change);
        let step = self.step(caller, action, state, detail)?;
        // AUD-01: the step and its audit entry commit together (one durable commit).
        let mut audited = rec.clone();
        audited.subject = change.subject;
        let event = self.audit_event(caller, action, &audited, state);
        let updated = match self
            .steward
            .store()
            .update_request_audited(rec.id, rec.revision, &change, &step, &[event])
            .await
        {
            Ok(r) => r,
            Err(StoreError::Conflict {
                reason: steward_store::error::ConflictReason::StaleRevision,
                ..
            }) => {
                return Err(CoreError::Conflict {
                    code: ErrorCode::RequestChanged,
                    message: "the request was changed by someone else meanwhile: read it again"
                        .into(),
                });
            }
            Err(e) => return Err(e.into()),
        };
        self.steward.audit().note_appended(1);
        Ok(updated)
    }

    pub(crate) async fn load(&self, id: RequestId) -> Result<(RequestRecord, Doc), CoreError> {
        let rec = self.steward.store().get_request(id).await?;
        let doc = Doc::from_bytes(&rec.doc)?;
        Ok((rec, doc))
    }

    pub(crate) fn sealer(&self, rec: &RequestRecord) -> Result<Option<Sealer>, CoreError> {
        match &rec.key {
            Some(k) => Ok(Some(Sealer::open_key(
                self.steward.vault(),
                rec.id.as_uuid(),
                k,
            )?)),
            None => Ok(None),
        }
    }

    pub(crate) fn contact(&self, rec: &RequestRecord) -> Result<Contact, CoreError> {
        match (self.sealer(rec)?, &rec.sealed) {
            (Some(s), Some(ct)) => s.open_json(CONTACT_LABEL, ct),
            _ => Ok(Contact::default()),
        }
    }

    /// Where to write to the subject: the address given with the request, else the newest
    /// e-mail item of the subject.
    pub(crate) async fn address(
        &self,
        rec: &RequestRecord,
    ) -> Result<Option<Sensitive<String>>, CoreError> {
        let c = self.contact(rec)?;
        if let Some(e) = c.email {
            return Ok(Some(e));
        }
        let Some(s) = rec.subject else {
            return Ok(None);
        };
        let values = self.values_of(s, &["email"]).await?;
        Ok(values.into_iter().last().map(|(_, v)| v))
    }

    /// Queues messages to the subject, sealed, then hands them to the transport at once
    /// (a refusal leaves them queued for [`deliver_due`](Self::deliver_due)).
    pub(crate) async fn send(
        &self,
        rec: &RequestRecord,
        messages: Vec<(&str, Email)>,
    ) -> Result<(), CoreError> {
        if messages.is_empty() {
            return Ok(());
        }
        let Some(sealer) = self.sealer(rec)? else {
            return Ok(());
        };
        self.send_sealed(MessageOwner::Request(rec.id), &sealer, messages)
            .await
    }

    /// Queues messages of `owner` (a request or a complaint) in the outbox, sealed under its
    /// key, then hands them to the transport at once (a refusal leaves them queued for
    /// [`deliver_due`](Self::deliver_due)).
    pub(crate) async fn send_sealed(
        &self,
        owner: MessageOwner,
        sealer: &Sealer,
        messages: Vec<(&str, Email)>,
    ) -> Result<(), CoreError> {
        let messages = messages
            .into_iter()
            .map(|(kind, email)| (MessageId::generate(), kind, email))
            .collect();
        self.send_sealed_as(owner, sealer, messages).await
    }

    /// [`send_sealed`](Self::send_sealed) under ids the caller chose: a message whose id is
    /// queued already is neither queued nor handed to the transport again (a retry after a
    /// crash sends nothing twice).
    pub(crate) async fn send_sealed_as(
        &self,
        owner: MessageOwner,
        sealer: &Sealer,
        messages: Vec<(MessageId, &str, Email)>,
    ) -> Result<(), CoreError> {
        let now = self.now();
        // Held by this worker while it sends them at once: no other replica's worker claims
        // them before the lease ends (then they are anyone's, as after a crash).
        let lease_until = now
            .checked_add(self.config.message_lease)
            .map_err(|_| CoreError::Unavailable("clock out of range"))?;
        let queued: Vec<MessageId> = match owner {
            MessageOwner::Complaint(case) => self
                .steward
                .store()
                .complaint_messages(case)
                .await?
                .into_iter()
                .map(|m| m.id)
                .collect(),
            // A breach notice is queued once per person by its own record
            // (`breach_notices.rs`), never through here.
            MessageOwner::Request(_) | MessageOwner::Incident(_) => Vec::new(),
        };
        let messages: Vec<_> = messages
            .into_iter()
            .filter(|(id, _, _)| !queued.contains(id))
            .collect();
        let mut rows = Vec::with_capacity(messages.len());
        for (id, kind, email) in &messages {
            rows.push(NewMessage {
                id: *id,
                owner,
                kind: code(kind)?,
                created_at: now,
                sealed: sealer.seal_json(MESSAGE_LABEL, email)?,
                lease_until: Some(lease_until),
            });
        }
        if rows.is_empty() {
            return Ok(());
        }
        self.steward.store().enqueue_messages(&rows).await?;
        for (row, (_, _, email)) in rows.iter().zip(&messages) {
            let outcome = match self.effects.mailer.send(row.id, now, email).await {
                Ok(()) => MessageOutcome::Sent,
                Err(e) => MessageOutcome::Failed(code(e.code())?),
            };
            self.steward
                .store()
                .record_message_attempt(row.id, &outcome, now)
                .await?;
        }
        Ok(())
    }
}
