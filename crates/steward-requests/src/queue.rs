//! The queue by due date and a request in full (clocks per regime, verification, plan,
//! steps, messages, deliveries), the counts for `/metrics`, the console's alerts (DL-04,
//! RET-03, RET-07, ADTECH-03), receipts, and the purge of old records (CCPA-26).

use jiff::{SignedDuration, Timestamp};
use serde::Serialize;
use steward_core::CoreError;
use steward_deadlines::Status;
use steward_errors::ErrorCode;
use steward_store::ids::{RequestId, SubjectId};
use steward_store::model::event::NotificationId;
use steward_store::model::request::{RequestQuery, RequestState, RequestSummary};

use crate::receipts::Receipt;
use crate::service::{Requests, kind_of};
use crate::views::{
    AgentView, DeliveryView, DenialView, ExtensionView, FailureView, MessageView, RepeatView,
    StepDetail, VerificationView,
};

/// A request in the queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RequestListItem {
    /// Id.
    pub id: RequestId,
    /// Kind.
    pub kind: String,
    /// State.
    pub state: String,
    /// Who submitted it.
    pub requester: String,
    /// Channel.
    pub channel: String,
    /// Subject (pseudonymous id), once known.
    pub subject: Option<SubjectId>,
    /// Received.
    pub received_at: Timestamp,
    /// Acknowledgement due.
    pub ack_due: Option<Timestamp>,
    /// Due (deadline in force).
    pub due: Timestamp,
    /// Latest possible deadline.
    pub max_due: Timestamp,
    /// `ON_TRACK`, `AT_RISK`, `OVERDUE`, or `CLOSED`.
    pub status: String,
    /// Days left (negative when overdue).
    pub days_left: i64,
    /// CCPA-04: still unverified at its deadline — it may be denied as unverifiable.
    pub may_deny_unverified: bool,
}

/// Which requests to list.
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    /// Include closed requests.
    pub include_closed: bool,
    /// Only this state.
    pub state: Option<RequestState>,
    /// Only this subject's.
    pub subject: Option<SubjectId>,
    /// Continue after this `(due, id)`.
    pub after: Option<(Timestamp, RequestId)>,
    /// Page size (default 100, at most 10 000).
    pub limit: Option<u32>,
}

/// One regime's clock on a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClockView {
    /// Regime.
    pub regime: String,
    /// Legal source.
    pub citation: String,
    /// Acknowledgement due.
    pub ack_due: Option<Timestamp>,
    /// Due.
    pub due: Timestamp,
    /// With an extension.
    pub max_due: Timestamp,
    /// Propagation due (opt-outs).
    pub propagate_by: Option<Timestamp>,
}

/// A step as shown.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StepView {
    /// When.
    pub at: Timestamp,
    /// What.
    pub action: String,
    /// State after.
    pub state: String,
    /// Who (`system`, `service:<key>`, `subject:<id>`).
    pub actor: String,
    /// Details (`None` for a shape this version does not know).
    pub detail: Option<StepDetail>,
}

/// A request in full (no personal data: contact details stay sealed).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RequestView {
    /// The queue line.
    #[serde(flatten)]
    pub summary: RequestListItem,
    /// Regimes and their clocks (DL-03).
    pub regimes: Vec<ClockView>,
    /// Propagation deadline for opt-outs (CCPA-13).
    pub propagate_by: Option<Timestamp>,
    /// The extension, if granted.
    pub extension: Option<ExtensionView>,
    /// Verification required and done.
    pub verification: VerificationView,
    /// The authorized agent's permission, when an agent filed the request (CCPA-23).
    pub agent: Option<AgentView>,
    /// CCPA-07: may be declined as a third know request in 12 months.
    pub repeat: Option<RepeatView>,
    /// The erasure plan (deletion requests).
    pub plan: Option<crate::plan::ErasurePlan>,
    /// The last failure, if failed: which system and why.
    pub failure: Option<FailureView>,
    /// The denial, if denied.
    pub denial: Option<DenialView>,
    /// Steps.
    pub steps: Vec<StepView>,
    /// Outbox messages (kind and state only).
    pub messages: Vec<MessageView>,
    /// Webhook deliveries.
    pub deliveries: Vec<DeliveryView>,
}

/// Counts for the metrics endpoint and the console.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
pub struct RequestMetrics {
    /// Open requests.
    pub open: u64,
    /// Open and past their deadline.
    pub overdue: u64,
    /// Open and due within the at-risk window (DL-04).
    pub at_risk: u64,
    /// Webhook deliveries on the dead-letter list.
    pub dead_letters: u64,
    /// Processor notifications delivered but unconfirmed past the follow-up period (RET-07).
    pub unconfirmed_overdue: u64,
    /// Outbox messages not sent yet.
    pub pending_messages: u64,
    /// Partner opt-out notifications not acknowledged yet (ADTECH-03).
    pub partner_notifications_open: u64,
    /// Open partner notifications past their due date (15 business days, CCPA-13).
    pub partner_notifications_overdue: u64,
    /// Open partner notifications never sent because their recipient has no webhook endpoint.
    pub partner_notifications_without_webhook: u64,
}

/// An alert for the console (DL-04, RET-03, RET-07, ADTECH-03).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Alert {
    /// `DUE_IN_7_DAYS`, `DUE_IN_2_DAYS`, `OVERDUE`, `PROCESSOR_DELETION_UNCONFIRMED`,
    /// `WEBHOOK_DEAD_LETTER`, `PARTNER_NOTIFICATION_OVERDUE` (an opt-out notification not
    /// acknowledged by its due date), `PARTNER_NO_WEBHOOK` (an open notification whose
    /// recipient has no webhook endpoint: notify it another way, or register one).
    pub kind: String,
    /// The request, for request alerts.
    pub request: Option<RequestId>,
    /// The partner notification, for partner alerts (and their dead letters).
    pub notification: Option<NotificationId>,
    /// The recipient, for processor and partner alerts.
    pub recipient: Option<String>,
    /// Since when the alert applies.
    pub since: Timestamp,
}

impl Requests {
    fn list_item(&self, s: &RequestSummary, now: Timestamp) -> RequestListItem {
        let cal = &self.config.calendar;
        let deadline = steward_deadlines::Deadline::instant(s.due, cal);
        let (status, days_left) = if s.closed_at.is_some() {
            (
                "CLOSED".to_string(),
                steward_deadlines::days_left(&deadline, now, cal),
            )
        } else {
            match steward_deadlines::deadline_status(&deadline, now, cal) {
                Status::OnTrack { days_left } => ("ON_TRACK".into(), days_left),
                Status::AtRisk { days_left } if days_left <= self.config.at_risk_days => {
                    ("AT_RISK".into(), days_left)
                }
                Status::AtRisk { days_left } => ("ON_TRACK".into(), days_left),
                Status::Overdue { days_over } => ("OVERDUE".into(), -days_over),
            }
        };
        RequestListItem {
            id: s.id,
            kind: s.kind.to_string(),
            state: s.state.as_str().to_string(),
            requester: s.requester.as_str().to_string(),
            channel: s.channel.to_string(),
            subject: s.subject,
            received_at: s.received_at,
            ack_due: s.ack_due,
            due: s.due,
            max_due: s.max_due,
            may_deny_unverified: s.state == RequestState::AwaitingVerification && now > s.due,
            status,
            days_left,
        }
    }

    /// The queue by due date (open requests by default).
    ///
    /// # Errors
    /// Store failures.
    pub async fn list(&self, q: &ListQuery) -> Result<Vec<RequestListItem>, CoreError> {
        let now = self.now();
        let rows = self
            .steward
            .store()
            .list_requests(&RequestQuery {
                open_only: !q.include_closed,
                subject: q.subject,
                state: q.state,
                after: q.after,
                limit: q.limit.unwrap_or(100),
            })
            .await?;
        Ok(rows.iter().map(|r| self.list_item(r, now)).collect())
    }

    /// A request in full: clocks per regime, verification, plan, steps, messages (kinds and
    /// states only), deliveries.
    ///
    /// # Errors
    /// `NotFound`.
    pub async fn show(&self, id: RequestId) -> Result<RequestView, CoreError> {
        let (rec, doc) = self.load(id).await?;
        let store = self.steward.store();
        let steps = store.request_steps(id).await?;
        let messages = store.request_messages(id).await?;
        let deliveries = store.request_deliveries(id).await?;
        let kind = kind_of(&rec)?;
        let now = self.now();
        Ok(RequestView {
            summary: self.list_item(&rec.summary(), now),
            regimes: doc
                .ticket
                .clocks()
                .iter()
                .map(|c| ClockView {
                    regime: c.regime.as_str().to_string(),
                    citation: c.regime.citation(kind).to_string(),
                    ack_due: c.ack_due.map(|d| d.at()),
                    due: c.due.at(),
                    max_due: c.max_due.at(),
                    propagate_by: c.propagate_by.map(|d| d.at()),
                })
                .collect(),
            propagate_by: doc.ticket.propagate_by().map(|d| d.at()),
            extension: doc.ticket.extension().map(|e| ExtensionView {
                new_due: e.new_due().at(),
                notified_at: e.notified_at(),
                previous_due: e.previous_due().at(),
                reason: e.reason().to_string(),
            }),
            verification: VerificationView {
                declaration: doc.verification.declaration,
                method: doc.verification.method.clone(),
                required: doc.verification.required,
                staff_points: doc.verification.staff_points,
                verified_at: doc.verification.verified_at,
            },
            agent: doc.agent.as_ref().map(|a| AgentView {
                permission_recorded_at: a.permission_recorded_at,
                permission_sha256: a.permission_sha256.clone(),
            }),
            repeat: doc.repeat.as_ref().map(|r| RepeatView {
                may_decline: r.may_decline,
                prior_in_window: r.prior_in_window,
                reason: r.reason.clone(),
            }),
            plan: doc.plan.clone(),
            failure: doc.failure.as_ref().map(|f| FailureView {
                at: f.at,
                reason: f.reason.clone(),
                system: f.system.clone(),
            }),
            denial: doc.denial.as_ref().map(|d| DenialView {
                at: d.at,
                justification: d.justification.clone(),
                reason: d.reason.clone(),
            }),
            steps: steps
                .iter()
                .map(|s| StepView {
                    at: s.at,
                    action: s.action.to_string(),
                    state: s.state.as_str().to_string(),
                    actor: match &s.actor {
                        steward_store::model::audit::Actor::System => "system".to_string(),
                        steward_store::model::audit::Actor::Service(k) => format!("service:{k}"),
                        steward_store::model::audit::Actor::Subject(id) => format!("subject:{id}"),
                    },
                    detail: serde_json::from_slice(&s.detail).ok(),
                })
                .collect(),
            messages: messages.iter().map(MessageView::from).collect(),
            deliveries: deliveries.iter().map(DeliveryView::from).collect(),
        })
    }

    /// The receipt (live: webhook lines follow their deliveries).
    ///
    /// # Errors
    /// `NotFound`, `Conflict(NO_RECEIPT)` before the request ran.
    pub async fn receipt(&self, id: RequestId) -> Result<Receipt, CoreError> {
        let (rec, doc) = self.load(id).await?;
        if doc.runs == 0 && rec.state != RequestState::Completed {
            return Err(CoreError::Conflict {
                code: ErrorCode::NoReceipt,
                message: "the request has not run yet".into(),
            });
        }
        let deliveries = self.steward.store().request_deliveries(id).await?;
        Ok(crate::receipts::build(&rec, &doc, &deliveries))
    }

    /// Counts for the metrics endpoint (`steward_requests_open`, `_overdue`, `_at_risk` ...).
    ///
    /// # Errors
    /// Store failures.
    pub async fn metrics(&self) -> Result<RequestMetrics, CoreError> {
        let now = self.now();
        let horizon = now
            .checked_add(SignedDuration::from_hours(24 * self.config.at_risk_days))
            .unwrap_or(now);
        let store = self.steward.store();
        let c = store.request_counts(now, horizon).await?;
        let followup = now
            .checked_sub(SignedDuration::from_hours(
                24 * self.config.processor_followup_days,
            ))
            .unwrap_or(now);
        let unconfirmed = store.unconfirmed_deliveries(followup, 10_000).await?;
        let notes = store.open_notifications(10_000).await?;
        let connectors = store.list_connectors().await?;
        let hooks = crate::webhooks::webhooks_by_recipient(&connectors);
        Ok(RequestMetrics {
            open: c.open,
            overdue: c.overdue,
            at_risk: c.at_risk,
            dead_letters: store.dead_letters(10_000).await?.len() as u64,
            unconfirmed_overdue: unconfirmed.iter().filter(|d| d.request.is_some()).count() as u64,
            pending_messages: store.pending_messages(10_000).await?.len() as u64,
            partner_notifications_open: notes.len() as u64,
            partner_notifications_overdue: notes.iter().filter(|n| n.due_at < now).count() as u64,
            partner_notifications_without_webhook: notes
                .iter()
                .filter(|n| n.attempts == 0 && !hooks.contains_key(n.recipient.as_str()))
                .count() as u64,
        })
    }

    /// Alerts for the console: DL-04 reminders (T−7, T−2, overdue) of open requests, and
    /// processor notifications unconfirmed after the follow-up period (RET-07) or
    /// dead-lettered.
    ///
    /// # Errors
    /// Store failures.
    pub async fn alerts(&self) -> Result<Vec<Alert>, CoreError> {
        let now = self.now();
        let cal = &self.config.calendar;
        let store = self.steward.store();
        let mut out = Vec::new();
        let mut q = RequestQuery::open(10_000);
        loop {
            let page = store.list_requests(&q).await?;
            for r in &page {
                let d = steward_deadlines::Deadline::instant(r.due, cal);
                let reminders = steward_deadlines::reminders_for(&d, r.received_at, cal)
                    .map_err(|e| CoreError::invalid(e.code(), e.to_string()))?;
                if let Some(last) = reminders.iter().rfind(|x| x.at <= now) {
                    out.push(Alert {
                        kind: match last.kind {
                            steward_deadlines::ReminderKind::DueIn7Days => "DUE_IN_7_DAYS",
                            steward_deadlines::ReminderKind::DueIn2Days => "DUE_IN_2_DAYS",
                            steward_deadlines::ReminderKind::Overdue => "OVERDUE",
                        }
                        .to_string(),
                        request: Some(r.id),
                        notification: None,
                        recipient: None,
                        since: last.at,
                    });
                }
            }
            match page.last() {
                Some(l) if page.len() == 10_000 => q.after = Some((l.due, l.id)),
                _ => break,
            }
        }
        let followup = now
            .checked_sub(SignedDuration::from_hours(
                24 * self.config.processor_followup_days,
            ))
            .unwrap_or(now);
        // A partner's notification unacknowledged this long is already overdue (below).
        for d in store.unconfirmed_deliveries(followup, 10_000).await? {
            if d.request.is_none() {
                continue;
            }
            out.push(Alert {
                kind: "PROCESSOR_DELETION_UNCONFIRMED".into(),
                request: d.request,
                notification: None,
                recipient: Some(d.recipient.to_string()),
                since: d.delivered_at.unwrap_or(d.created_at),
            });
        }
        for d in store.dead_letters(10_000).await? {
            out.push(Alert {
                kind: "WEBHOOK_DEAD_LETTER".into(),
                request: d.request,
                notification: d.notification,
                recipient: Some(d.recipient.to_string()),
                since: d.last_attempt_at.unwrap_or(d.created_at),
            });
        }
        // ADTECH-03 / CCPA-13: opt-out notifications owed to partners.
        let connectors = store.list_connectors().await?;
        let hooks = crate::webhooks::webhooks_by_recipient(&connectors);
        for n in store.open_notifications(10_000).await? {
            let kind = if n.due_at < now {
                "PARTNER_NOTIFICATION_OVERDUE"
            } else if n.attempts == 0 && !hooks.contains_key(n.recipient.as_str()) {
                "PARTNER_NO_WEBHOOK"
            } else {
                continue;
            };
            out.push(Alert {
                kind: kind.into(),
                request: None,
                notification: Some(n.id),
                recipient: Some(n.recipient.to_string()),
                since: if n.due_at < now {
                    n.due_at
                } else {
                    n.created_at
                },
            });
        }
        Ok(out)
    }

    /// Deletes request records closed longer ago than the record-keeping period (CCPA-26,
    /// AUD-05: at least 24 months).
    ///
    /// # Errors
    /// `Invalid(RETENTION_TOO_SHORT)`.
    pub async fn purge_old_records(&self, retention_months: u32) -> Result<u64, CoreError> {
        let retention = steward_deadlines::RecordRetention::months(retention_months)
            .map_err(|e| CoreError::invalid(e.code(), e.to_string()))?;
        let now = self.now();
        let cal = &self.config.calendar;
        let day =
            steward_deadlines::sub_calendar_months(cal.civil_date(now), retention.as_months())
                .map_err(|e| CoreError::invalid(e.code(), e.to_string()))?;
        let cut = cal
            .start_of_day(day)
            .map_err(|e| CoreError::invalid(e.code(), e.to_string()))?;
        Ok(self.steward.store().purge_closed_requests(cut).await?)
    }
}
