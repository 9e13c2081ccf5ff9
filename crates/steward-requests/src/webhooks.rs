//! Signed webhooks to processors and third parties (GDPR-18, CCPA-09, CCPA-13, RET-07).
//!
//! Each delivery is a `POST` of a JSON body to the recipient's registered endpoint with
//!
//! ```text
//! Steward-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>
//! Steward-Delivery: <delivery id>
//! Steward-Event: erasure | rectification | restriction | opt_out
//! ```
//!
//! (the timestamp is signed with the body so a captured request cannot be replayed later).
//! A 2xx answer marks it delivered; a JSON answer `{"confirmed": true}` also confirms it. A
//! 5xx, 408, 429 or a network failure is retried with exponential back-off (30 s, 1 min,
//! 2 min … capped at 6 h); other 4xx answers and the last failed attempt put it on the
//! dead-letter list, where an operator can requeue it. The processor confirms that it acted
//! by calling the confirmation endpoint with a body signed the same way (see
//! [`Requests::confirm_delivery`]); deliveries left unconfirmed past the follow-up period
//! raise `PROCESSOR_DELETION_UNCONFIRMED`.
//!
//! Deliveries are claimed with a lease, so several replicas can run [`Requests::deliver_due`]
//! without attempting the same delivery twice at once. Time comes from the injected clock.
//!
//! **Policy change notices** (CHG-04) go out with the outbox messages: the notices queued for
//! a material policy version are claimed under the same lease, e-mailed to the subject's
//! address and recorded as sent (which lets the version's new uses reach older data, CHG-03).
//!
//! **Partner notifications** (ADTECH-03, CCPA-13) use the same path. When a subject opts out
//! of sale or sharing, [`steward_core::partner_signals`] queues a notification for each sale/share
//! partner that received the subject's data; each pass of [`Requests::deliver_due`] hands the
//! open ones whose recipient has a webhook connector to that endpoint as a delivery of their
//! own (its id is the notification's id; no request, and no stored body). The body is built
//! at each attempt from the notification and the subject's current signals:
//!
//! ```json
//! {"type": "steward.partner.opt_out", "delivery_id": "…", "notification_id": "…",
//!  "recipient": "MP1", "kind": "sale_opt_out", "opt_outs": ["sale"],
//!  "subject": {"ref": "<64 hex: HMAC pseudonym of the subject for this partner>",
//!              "identities": {"name": ["…"], "postal_address": ["…"]}},
//!  "signals": {"gpp": "DBABBg~BUUAAACA.YA", "gpp_sid": [8], "gpc": false},
//!  "opted_out_at": "…", "comply_by": "…", "forward": true,
//!  "confirm": {"path": "/v1/requests/deliveries/<id>/confirm"}}
//! ```
//!
//! `identities` holds only identifiers (CCPA category A) that the disclosure register shows
//! were disclosed to this partner and that the policy lets it receive: the partner holds them
//! already. `signals.us_privacy` is added only for partners flagged `legacy_usp` (USP-05).
//! A delivery accepted by the endpoint marks the notification sent; the partner's signed
//! confirmation (or a `{"confirmed": true}` answer) marks it acknowledged. Failures are
//! retried and dead-lettered like any delivery. A recipient without a webhook leaves its
//! notification open: it shows in [`Requests::metrics`] and, past its due date (15 business
//! days), in [`Requests::alerts`].

use std::collections::{BTreeMap, BTreeSet};
use steward_errors::ErrorCode;

use jiff::{SignedDuration, Timestamp};
use serde::Serialize;
use steward_core::Caller;
use steward_core::CoreError;
use steward_store::error::StoreError;
use steward_store::ids::{DeliveryId, MessageId, SubjectId};
use steward_store::model::audit::{AuditKind, EventRef};
use steward_store::model::event::{NotificationUpdate, PartnerNotification};
use steward_store::model::request::{
    ConnectorKind, ConnectorRecord, DeliveryOutcome, DeliveryRecord, DeliveryState, MessageOutcome,
    MessageOwner, NewDelivery,
};
use steward_store::values::FieldName;
use steward_vault::Sensitive;
use zeroize::Zeroizing;

use crate::admin::ConnectorConfig;
use crate::doc::{MESSAGE_LABEL, WEBHOOK_LABEL};
use crate::effects::{Email, TransportError, WebhookResponse, WebhookUrl};
use crate::service::{Requests, code};
use crate::views::DeliveryView;

/// The signature header.
pub const SIGNATURE_HEADER: &str = "Steward-Signature";

/// `t=<unix>,v1=<hex hmac>` over `"<t>.<body>"`.
#[must_use]
pub fn sign(secret: &[u8], at: Timestamp, body: &[u8]) -> String {
    let t = at.as_second();
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, secret);
    let mut ctx = ring::hmac::Context::with_key(&key);
    ctx.update(t.to_string().as_bytes());
    ctx.update(b".");
    ctx.update(body);
    let tag = ctx.sign();
    let hex: String = tag.as_ref().iter().map(|b| format!("{b:02x}")).collect();
    format!("t={t},v1={hex}")
}

/// Checks a signature header over `body` with `secret`, at `now`, accepting timestamps within
/// `tolerance` (constant-time comparison of the tag).
#[must_use]
pub fn verify(
    secret: &[u8],
    header: &str,
    body: &[u8],
    now: Timestamp,
    tolerance: SignedDuration,
) -> bool {
    let mut t = None;
    let mut tags = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", v)) => t = v.parse::<i64>().ok(),
            Some(("v1", v)) => tags.push(v),
            _ => {}
        }
    }
    let Some(t) = t else { return false };
    let Ok(at) = Timestamp::from_second(t) else {
        return false;
    };
    if at.duration_since(now).abs() > tolerance {
        return false;
    }
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, secret);
    let mut msg = Vec::with_capacity(body.len() + 24);
    msg.extend_from_slice(t.to_string().as_bytes());
    msg.push(b'.');
    msg.extend_from_slice(body);
    tags.into_iter().any(|hex| {
        let bytes: Option<Vec<u8>> = (0..hex.len())
            .step_by(2)
            .map(|i| {
                hex.get(i..i + 2)
                    .and_then(|x| u8::from_str_radix(x, 16).ok())
            })
            .collect();
        bytes.is_some_and(|b| ring::hmac::verify(&key, &msg, &b).is_ok())
    })
}

/// The delay before retry number `attempt` (1 = after the first failure).
#[must_use]
pub fn backoff(base: SignedDuration, max: SignedDuration, attempt: u32) -> SignedDuration {
    let factor = 1i32
        .checked_shl(attempt.saturating_sub(1).min(20))
        .unwrap_or(i32::MAX);
    base.checked_mul(factor).unwrap_or(max).min(max)
}

/// What a delivery pass did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct DeliveryReport {
    /// Outbox messages sent.
    pub messages_sent: u32,
    /// Outbox messages still failing.
    pub messages_failed: u32,
    /// Webhooks delivered (or confirmed).
    pub delivered: u32,
    /// Webhooks to retry later.
    pub retried: u32,
    /// Webhooks moved to the dead-letter list.
    pub dead_lettered: u32,
    /// Partner notifications handed to their recipient's webhook in this pass (ADTECH-03).
    pub notifications_queued: u32,
    /// Access, know and portability requests run again after a dataset could not be read.
    pub reads_retried: u32,
    /// Policy change notices e-mailed (CHG-04).
    pub policy_notices_sent: u32,
}

/// The enabled webhook connectors by recipient (the first by name when a recipient has
/// several).
pub(crate) fn webhooks_by_recipient(
    connectors: &[ConnectorRecord],
) -> BTreeMap<String, &ConnectorRecord> {
    let mut out = BTreeMap::new();
    for c in connectors {
        if c.kind != ConnectorKind::Webhook || c.disabled_at.is_some() {
            continue;
        }
        if let Some(r) = &c.recipient {
            out.entry(r.as_str().to_string()).or_insert(c);
        }
    }
    out
}

/// One change of a recorded policy version's summary, as far as a notice needs it.
#[derive(Debug, serde::Deserialize)]
struct PolicyChangeLine {
    what: String,
    #[serde(default)]
    material: bool,
}

/// Why a delivery has no body to send.
#[derive(Debug, Clone, Copy)]
struct NoBody {
    code: &'static str,
    retryable: bool,
}

impl NoBody {
    const CONFIG: NoBody = NoBody {
        code: "CONFIG",
        retryable: false,
    };
}

fn retryable(status: u16) -> bool {
    status >= 500 || status == 408 || status == 429
}

impl Requests {
    /// Does what is due: outbox messages not sent yet, webhook deliveries whose next attempt
    /// is due (claimed under a lease), and access requests whose dataset could not be read,
    /// run again once their back-off passed ([`Requests::retry_failed_reads`]). Call it
    /// periodically (the server does; the CLI has `steward dsr deliver`).
    ///
    /// # Errors
    /// Store failures (a failed delivery is not an error: it is recorded and retried).
    pub async fn deliver_due(&self) -> Result<DeliveryReport, CoreError> {
        let mut report = self.send_due().await?;
        report.reads_retried = self.retry_failed_reads().await?;
        Ok(report)
    }

    /// Sends the outbox messages and webhook deliveries that are due.
    pub(crate) async fn send_due(&self) -> Result<DeliveryReport, CoreError> {
        let mut report = DeliveryReport::default();
        let store = self.steward.store();
        let now = self.now();
        let message_lease = now
            .checked_add(self.config.message_lease)
            .map_err(|_| CoreError::Unavailable("clock out of range"))?;
        for m in store.claim_messages(now, message_lease, 100).await? {
            let Some(ct) = &m.sealed else { continue };
            let sealer = match m.owner {
                MessageOwner::Request(id) => {
                    let rec = store.get_request(id).await?;
                    self.sealer(&rec)?
                }
                MessageOwner::Complaint(id) => self.case_sealer(id).await?,
                MessageOwner::Incident(id) => self.incident_sealer(id).await?,
            };
            let Some(sealer) = sealer else {
                continue;
            };
            let email: Email = sealer.open_json(MESSAGE_LABEL, ct)?;
            let outcome = match self.effects.mailer.send(m.id, now, &email).await {
                Ok(()) => {
                    report.messages_sent += 1;
                    MessageOutcome::Sent
                }
                Err(e) => {
                    report.messages_failed += 1;
                    MessageOutcome::Failed(code(e.code())?)
                }
            };
            store.record_message_attempt(m.id, &outcome, now).await?;
        }
        self.send_policy_notices(now, message_lease, &mut report)
            .await?;
        report.notifications_queued = self.route_notifications(now).await?;
        let lease = now
            .checked_add(self.config.webhooks.lease)
            .map_err(|_| CoreError::Unavailable("clock out of range"))?;
        for d in store.claim_deliveries(now, lease, 100).await? {
            match self.attempt(&d, now).await? {
                DeliveryState::Delivered | DeliveryState::Confirmed => report.delivered += 1,
                DeliveryState::DeadLetter => report.dead_lettered += 1,
                DeliveryState::Pending => report.retried += 1,
            }
        }
        Ok(report)
    }

    /// CHG-04: e-mails the queued change notices of material policy versions (claimed under
    /// the outbox lease, so two workers never send the same one) to the subject's e-mail
    /// address, and records each sent. A policy change notice is an important communication,
    /// never gated by marketing opt-outs. A subject without an address is left to the privacy
    /// center's banner; a failed send stays queued and is tried again once the lease ran out.
    async fn send_policy_notices(
        &self,
        now: Timestamp,
        lease_until: Timestamp,
        report: &mut DeliveryReport,
    ) -> Result<(), CoreError> {
        let store = self.steward.store();
        for n in store.claim_policy_notices(now, lease_until, 100).await? {
            let v = match self.steward.policy_version(&n.version).await {
                Ok(v) => v,
                Err(CoreError::NotFound(_)) => continue,
                Err(e) => return Err(e),
            };
            let Some((_, to)) = self
                .values_of(n.subject, &["email"])
                .await?
                .into_iter()
                .next()
            else {
                continue;
            };
            let changes: Vec<PolicyChangeLine> =
                serde_json::from_str(&v.changes).unwrap_or_default();
            let mut body = format!(
                "Our privacy policy changed. The version of {} ({}) changes what we do with \
                 your data:\n\n",
                v.effective, v.version
            );
            for c in changes.iter().filter(|c| c.material) {
                body.push_str(&format!("- {}\n", c.what));
            }
            body.push_str(
                "\nYou can read the full notice, and answer where we ask for your consent, in \
                 our privacy center. Data we already hold is not used for anything new before \
                 you were told, or before you agreed where your consent is needed.\n",
            );
            let email = Email {
                to,
                subject: "Our privacy policy changed".to_owned(),
                body: Sensitive::new(body),
            };
            match self
                .effects
                .mailer
                .send(MessageId::generate(), now, &email)
                .await
            {
                Ok(()) => {
                    self.steward
                        .policy_notice_sent(&Caller::System, n.subject, &n.version)
                        .await?;
                    report.policy_notices_sent += 1;
                }
                Err(_) => report.messages_failed += 1,
            }
        }
        Ok(())
    }

    /// Hands the open partner notifications whose recipient has a webhook to that endpoint:
    /// one delivery per notification, under the notification's id (so two workers routing
    /// the same notification queue it once). Returns how many were queued.
    async fn route_notifications(&self, now: Timestamp) -> Result<u32, CoreError> {
        let store = self.steward.store();
        let connectors = store.list_connectors().await?;
        let hooks = webhooks_by_recipient(&connectors);
        let recipients: Vec<_> = hooks.values().filter_map(|c| c.recipient.clone()).collect();
        let mut queued = 0;
        for n in store.unsent_notifications(&recipients, 100).await? {
            let Some(hook) = hooks.get(n.recipient.as_str()) else {
                continue;
            };
            let delivery = NewDelivery {
                id: DeliveryId::from_uuid(n.id.as_uuid()),
                request: None,
                notification: Some(n.id),
                connector: hook.id,
                recipient: n.recipient.clone(),
                event: code("opt_out")?,
                sealed: None,
                created_at: now,
                next_attempt_at: now,
                max_attempts: self.config.webhooks.max_attempts,
            };
            match store.create_deliveries(&[delivery]).await {
                Ok(()) => queued += 1,
                // Routed meanwhile by another worker (or to another connector before).
                Err(StoreError::Conflict { .. }) => {}
                Err(e) => return Err(e.into()),
            }
        }
        Ok(queued)
    }

    /// The body of a partner notification's delivery (see the module docs), built from the
    /// notification and the subject's current choices.
    async fn notification_body(
        &self,
        n: &PartnerNotification,
        delivery: DeliveryId,
    ) -> Result<Zeroizing<Vec<u8>>, CoreError> {
        let engine = self.steward.engine();
        let info = engine
            .recipient(n.recipient.as_str())
            .map(|r| engine.recipient_info(r));
        let sale = info.is_some_and(|i| i.sale);
        let share = info.is_some_and(|i| i.share || i.ccba);
        let (kind, opt_outs): (&str, &[&str]) = match (sale, share) {
            (true, true) => ("sale_and_share_opt_out", &["sale", "share"]),
            (true, false) => ("sale_opt_out", &["sale"]),
            _ => ("share_opt_out", &["share"]),
        };
        let signals = self
            .steward
            .signals_for_subject(n.subject, false, &self.config.signals)
            .await?;
        let mut sig = serde_json::json!({
            "gpp": signals.gpp,
            "gpp_sid": signals.gpp_sid,
            "gpc": signals.gpc,
        });
        if info.is_some_and(|i| i.legacy_usp) {
            sig["us_privacy"] = serde_json::Value::from(signals.us_privacy.clone());
        }
        let reference = self
            .steward
            .partner_reference(n.subject, n.recipient.as_str())?;
        let identities = self
            .partner_identities(n.subject, n.recipient.as_str())
            .await?;
        let body = serde_json::json!({
            "type": "steward.partner.opt_out",
            "delivery_id": delivery,
            "notification_id": n.id,
            "recipient": n.recipient.as_str(),
            "kind": kind,
            "opt_outs": opt_outs,
            "subject": {"ref": reference, "identities": identities},
            "signals": sig,
            "opted_out_at": n.created_at,
            "comply_by": n.due_at,
            "forward": true,
            "confirm": {"path": format!("/v1/requests/deliveries/{delivery}/confirm")},
        });
        Ok(Zeroizing::new(serde_json::to_vec(&body).map_err(|e| {
            CoreError::invalid(ErrorCode::BadBody, e.to_string())
        })?))
    }

    /// The identifiers a partner already holds about the subject: values of the identifier
    /// categories (CCPA category A) that the disclosure register shows were disclosed to it
    /// and that the policy lets it receive. Nothing else leaves with a notification.
    async fn partner_identities(
        &self,
        subject: SubjectId,
        recipient: &str,
    ) -> Result<serde_json::Map<String, serde_json::Value>, CoreError> {
        let engine = self.steward.engine();
        let Some(rid) = engine.recipient(recipient) else {
            return Ok(serde_json::Map::new());
        };
        let info = engine.recipient_info(rid);
        let disclosed: BTreeSet<String> = self
            .steward
            .disclosures_of(subject, 10_000)
            .await?
            .into_iter()
            .filter(|d| d.recipient.as_str() == recipient)
            .flat_map(|d| d.categories.into_iter().map(|c| c.as_str().to_string()))
            .collect();
        let wanted: Vec<&str> = disclosed
            .iter()
            .map(String::as_str)
            .filter(|c| {
                engine.category(c).is_some_and(|id| {
                    engine.category_info(id).ccpa.iter().any(|l| l == "A")
                        && info.categories.contains(id)
                        && !info.excluded.contains(id)
                })
            })
            .collect();
        let mut out = serde_json::Map::new();
        if wanted.is_empty() {
            return Ok(out);
        }
        for (category, value) in self.values_of(subject, &wanted).await? {
            let list = out
                .entry(category)
                .or_insert_with(|| serde_json::Value::Array(Vec::new()));
            if let serde_json::Value::Array(a) = list {
                let v = serde_json::Value::from(value.expose().clone());
                if !a.contains(&v) {
                    a.push(v);
                }
            }
        }
        Ok(out)
    }

    /// The body to send: a request's sealed body, or a notification's built now. `Err` is why
    /// it cannot be had: a code, and whether trying again later may help (a store or vault
    /// failure) rather than never (configuration, a subject gone).
    async fn body_of(
        &self,
        d: &DeliveryRecord,
    ) -> Result<(Option<SubjectId>, Result<Zeroizing<Vec<u8>>, NoBody>), CoreError> {
        let store = self.steward.store();
        match (d.request, d.notification) {
            (Some(r), _) => {
                let rec = store.get_request(r).await?;
                let body = match (self.sealer(&rec)?, &d.sealed) {
                    (Some(sealer), Some(ct)) => Ok(sealer.open(WEBHOOK_LABEL, ct)?),
                    _ => Err(NoBody::CONFIG),
                };
                Ok((rec.subject, body))
            }
            (None, Some(id)) => {
                let n = store.get_notification(id).await?;
                let body = match self.notification_body(&n, d.id).await {
                    Ok(b) => Ok(b),
                    Err(e) => {
                        tracing::warn!(delivery = %d.id, notification = %id, error = %e, "partner notification body could not be built");
                        Err(NoBody {
                            code: "BODY",
                            retryable: matches!(
                                e,
                                CoreError::Store(_)
                                    | CoreError::Vault(_)
                                    | CoreError::Unavailable(_)
                            ),
                        })
                    }
                };
                Ok((Some(n.subject), body))
            }
            (None, None) => Ok((None, Err(NoBody::CONFIG))),
        }
    }

    async fn attempt(
        &self,
        d: &DeliveryRecord,
        now: Timestamp,
    ) -> Result<DeliveryState, CoreError> {
        let store = self.steward.store();
        let connector = store.get_connector(d.connector).await?;
        let cfg: ConnectorConfig = serde_json::from_slice(&connector.config)
            .map_err(|_| CoreError::Unavailable("stored connector configuration is corrupt"))?;
        let (subject, body) = self.body_of(d).await?;
        let prepared = match (&cfg.url, body, self.connector_secret(&connector, &cfg)) {
            (Some(url), Ok(body), Ok(secret)) => match url.parse::<WebhookUrl>() {
                Ok(url) => Ok((url, body, secret)),
                Err(_) => Err(NoBody::CONFIG),
            },
            (_, Err(why), _) => Err(why),
            _ => Err(NoBody::CONFIG),
        };
        let attempts = d.attempts.saturating_add(1);
        let outcome = match prepared {
            Err(why) if why.retryable && attempts < d.max_attempts => DeliveryOutcome::Retry {
                status: None,
                error: code(why.code)?,
                next_attempt_at: self.next_attempt(now, attempts)?,
            },
            Err(why) => DeliveryOutcome::DeadLetter {
                status: None,
                error: code(why.code)?,
            },
            Ok((url, body, secret)) => {
                let headers = [
                    (
                        SIGNATURE_HEADER,
                        sign(secret.expose().as_bytes(), now, &body),
                    ),
                    ("Steward-Delivery", d.id.to_string()),
                    ("Steward-Event", d.event.to_string()),
                ];
                let answer = self.effects.webhooks.post_json(&url, &headers, &body).await;
                self.outcome(answer, attempts, d.max_attempts, now)?
            }
        };
        let after = store.record_delivery_attempt(d.id, &outcome, now).await?;
        if after.state == DeliveryState::DeadLetter {
            tracing::warn!(delivery = %d.id, recipient = %d.recipient, "webhook delivery dead-lettered");
        }
        if let Some(n) = d.notification {
            let delivered = matches!(
                after.state,
                DeliveryState::Delivered | DeliveryState::Confirmed
            );
            store
                .update_notification(n, NotificationUpdate::Attempted { delivered }, now)
                .await?;
            if after.state == DeliveryState::Confirmed {
                store
                    .update_notification(n, NotificationUpdate::Acknowledged, now)
                    .await?;
            }
        }
        self.audit_attempt(d, subject, after.state).await?;
        Ok(after.state)
    }

    /// What an exchange with an endpoint means for the delivery: delivered on a 2xx (and
    /// confirmed when the answer says `{"confirmed": true}`), retried after a 5xx, 408, 429 or
    /// a network failure while attempts remain, dead-lettered otherwise.
    fn outcome(
        &self,
        answer: Result<WebhookResponse, TransportError>,
        attempts: u32,
        max_attempts: u32,
        now: Timestamp,
    ) -> Result<DeliveryOutcome, CoreError> {
        let (status, error, again) = match answer {
            Ok(r) if (200..300).contains(&r.status) => {
                let confirmed = serde_json::from_slice::<serde_json::Value>(&r.body)
                    .ok()
                    .and_then(|v| v.get("confirmed").and_then(serde_json::Value::as_bool))
                    .unwrap_or(false);
                return Ok(DeliveryOutcome::Delivered {
                    status: r.status,
                    confirmed,
                });
            }
            Ok(r) => (
                Some(r.status),
                code(&format!("HTTP_{}", r.status))?,
                retryable(r.status),
            ),
            Err(e) => (None, code(e.code())?, true),
        };
        Ok(if again && attempts < max_attempts {
            DeliveryOutcome::Retry {
                status,
                error,
                next_attempt_at: self.next_attempt(now, attempts)?,
            }
        } else {
            DeliveryOutcome::DeadLetter { status, error }
        })
    }

    /// Audits a delivery attempt (AUD-01: ids, the recipient and the state it is in).
    async fn audit_attempt(
        &self,
        d: &DeliveryRecord,
        subject: Option<SubjectId>,
        state: DeliveryState,
    ) -> Result<(), CoreError> {
        let action = if d.notification.is_some() {
            "partner.notify.attempt"
        } else {
            "dsr.webhook.attempt"
        };
        let mut e = self
            .steward
            .event(AuditKind::RequestStep, action, &Caller::System);
        e.subject = subject;
        e.recipient = Some(d.recipient.clone());
        if let Ok(n) = FieldName::new("delivery") {
            e.refs.push(EventRef {
                name: n,
                id: d.id.as_uuid(),
            });
        }
        if let (Some(id), Ok(n)) = (d.notification, FieldName::new("notification")) {
            e.refs.push(EventRef {
                name: n,
                id: id.as_uuid(),
            });
        }
        if let (Ok(n), Ok(v)) = (
            FieldName::new("state"),
            steward_store::values::AttrValue::new(state.as_str()),
        ) {
            e.attributes
                .push(steward_store::model::audit::Attribute { name: n, value: v });
        }
        self.steward.audit().append_one(e).await?;
        Ok(())
    }

    fn next_attempt(&self, now: Timestamp, attempts: u32) -> Result<Timestamp, CoreError> {
        now.checked_add(backoff(
            self.config.webhooks.backoff,
            self.config.webhooks.max_backoff,
            attempts,
        ))
        .map_err(|_| CoreError::Unavailable("clock out of range"))
    }

    /// A processor confirms it acted on a delivery (RET-07), or a partner acknowledges an
    /// opt-out notification (ADTECH-03: the notification is marked acknowledged). The body
    /// must be signed with the recipient's webhook secret (`Steward-Signature`, as
    /// deliveries are) and name the delivery: `{"delivery_id": "<id>"}`. Idempotent.
    ///
    /// # Errors
    /// `NotFound` for an unknown delivery or a bad signature (both answer alike).
    pub async fn confirm_delivery(
        &self,
        id: DeliveryId,
        signature: &str,
        body: &[u8],
    ) -> Result<DeliveryView, CoreError> {
        let store = self.steward.store();
        let d = store.get_delivery(id).await?;
        let connector = store.get_connector(d.connector).await?;
        let cfg: ConnectorConfig = serde_json::from_slice(&connector.config)
            .map_err(|_| CoreError::Unavailable("stored connector configuration is corrupt"))?;
        let secret = self.connector_secret(&connector, &cfg)?;
        let now = self.now();
        let named = serde_json::from_slice::<serde_json::Value>(body)
            .ok()
            .and_then(|v| {
                v.get("delivery_id")
                    .and_then(|x| x.as_str())
                    .map(str::to_string)
            });
        if !verify(
            secret.expose().as_bytes(),
            signature,
            body,
            now,
            self.config.webhooks.confirm_tolerance,
        ) || named.as_deref() != Some(id.to_string().as_str())
        {
            return Err(CoreError::NotFound("delivery"));
        }
        let after = store.confirm_delivery(id, now).await?;
        let subject = match (d.request, d.notification) {
            (Some(r), _) => store.get_request(r).await?.subject,
            (None, Some(n)) => Some(
                store
                    .update_notification(n, NotificationUpdate::Acknowledged, now)
                    .await?
                    .subject,
            ),
            (None, None) => None,
        };
        let action = if d.notification.is_some() {
            "partner.notify.acknowledged"
        } else {
            "dsr.webhook.confirmed"
        };
        let mut e = self.steward.event(
            AuditKind::RequestStep,
            action,
            &Caller::Service(format!("recipient:{}", d.recipient)),
        );
        e.subject = subject;
        e.recipient = Some(d.recipient.clone());
        if let Ok(n) = FieldName::new("delivery") {
            e.refs.push(EventRef {
                name: n,
                id: id.as_uuid(),
            });
        }
        if let (Some(nid), Ok(n)) = (d.notification, FieldName::new("notification")) {
            e.refs.push(EventRef {
                name: n,
                id: nid.as_uuid(),
            });
        }
        self.steward.audit().append_one(e).await?;
        Ok(DeliveryView::from(&after))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_verify_and_expire() {
        let now: Timestamp = "2024-03-04T17:00:00Z".parse().unwrap();
        let h = sign(b"s3cret", now, b"{\"a\":1}");
        assert!(h.starts_with("t=1709571600,v1="));
        let tol = SignedDuration::from_mins(5);
        assert!(verify(b"s3cret", &h, b"{\"a\":1}", now, tol));
        assert!(
            !verify(b"other", &h, b"{\"a\":1}", now, tol),
            "wrong secret"
        );
        assert!(
            !verify(b"s3cret", &h, b"{\"a\":2}", now, tol),
            "altered body"
        );
        let later = now.checked_add(SignedDuration::from_mins(6)).unwrap();
        assert!(
            !verify(b"s3cret", &h, b"{\"a\":1}", later, tol),
            "replayed late"
        );
        assert!(!verify(b"s3cret", "garbage", b"", now, tol));
    }

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let b = SignedDuration::from_secs(30);
        let max = SignedDuration::from_hours(6);
        assert_eq!(backoff(b, max, 1), SignedDuration::from_secs(30));
        assert_eq!(backoff(b, max, 2), SignedDuration::from_secs(60));
        assert_eq!(backoff(b, max, 5), SignedDuration::from_secs(480));
        assert_eq!(backoff(b, max, 40), max);
    }
}
