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

use jiff::{SignedDuration, Timestamp};
use serde::Serialize;
use steward_store::ids::DeliveryId;
use steward_store::model::audit::{AuditKind, EventRef};
use steward_store::model::request::{
    DeliveryOutcome, DeliveryRecord, DeliveryState, MessageOutcome,
};
use steward_store::values::FieldName;

use super::doc::{MESSAGE_LABEL, WEBHOOK_LABEL};
use super::http::Url;
use super::outbox::Email;
use super::service::{ConnectorConfig, Requests, code};
use crate::Caller;
use crate::error::CoreError;

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
}

fn retryable(status: u16) -> bool {
    status >= 500 || status == 408 || status == 429
}

impl Requests {
    /// Sends what is due: outbox messages not sent yet, then webhook deliveries whose next
    /// attempt is due (claimed under a lease). Call it periodically (the server does; the CLI
    /// has `steward dsr deliver`).
    ///
    /// # Errors
    /// Store failures (a failed delivery is not an error: it is recorded and retried).
    pub async fn deliver_due(&self) -> Result<DeliveryReport, CoreError> {
        let mut report = DeliveryReport::default();
        let store = self.steward.store();
        let now = self.now();
        for m in store.pending_messages(100).await? {
            let Some(ct) = &m.sealed else { continue };
            let rec = store.get_request(m.request).await?;
            let Some(sealer) = self.sealer(&rec)? else {
                continue;
            };
            let email: Email = sealer.open_json(MESSAGE_LABEL, ct)?;
            let outcome = match self.outbox.send(m.id, now, &email).await {
                Ok(()) => {
                    report.messages_sent += 1;
                    MessageOutcome::Sent
                }
                Err(e) => {
                    report.messages_failed += 1;
                    MessageOutcome::Failed(code(e.0)?)
                }
            };
            store.record_message_attempt(m.id, &outcome, now).await?;
        }
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

    async fn attempt(
        &self,
        d: &DeliveryRecord,
        now: Timestamp,
    ) -> Result<DeliveryState, CoreError> {
        let store = self.steward.store();
        let connector = store.get_connector(d.connector).await?;
        let cfg: ConnectorConfig = serde_json::from_slice(&connector.config)
            .map_err(|_| CoreError::Unavailable("stored connector configuration is corrupt"))?;
        let rec = store.get_request(d.request).await?;
        let sealer = self.sealer(&rec)?;
        let prepared = match (&cfg.url, sealer, self.connector_secret(&connector, &cfg)) {
            (Some(url), Some(sealer), Ok(secret)) => match url.parse::<Url>() {
                Ok(url) => Some((url, sealer.open(WEBHOOK_LABEL, &d.sealed)?, secret)),
                Err(_) => None,
            },
            _ => None,
        };
        let attempts = d.attempts.saturating_add(1);
        let outcome = match prepared {
            None => DeliveryOutcome::DeadLetter {
                status: None,
                error: code("CONFIG")?,
            },
            Some((url, body, secret)) => {
                let headers = [
                    (
                        SIGNATURE_HEADER,
                        sign(secret.expose().as_bytes(), now, &body),
                    ),
                    ("Steward-Delivery", d.id.to_string()),
                    ("Steward-Event", d.event.to_string()),
                ];
                match self.http.post_json(&url, &headers, &body).await {
                    Ok(r) if (200..300).contains(&r.status) => {
                        let confirmed = serde_json::from_slice::<serde_json::Value>(&r.body)
                            .ok()
                            .and_then(|v| v.get("confirmed").and_then(serde_json::Value::as_bool))
                            .unwrap_or(false);
                        DeliveryOutcome::Delivered {
                            status: r.status,
                            confirmed,
                        }
                    }
                    Ok(r) => {
                        let error = code(&format!("HTTP_{}", r.status))?;
                        if retryable(r.status) && attempts < d.max_attempts {
                            DeliveryOutcome::Retry {
                                status: Some(r.status),
                                error,
                                next_attempt_at: self.next_attempt(now, attempts)?,
                            }
                        } else {
                            DeliveryOutcome::DeadLetter {
                                status: Some(r.status),
                                error,
                            }
                        }
                    }
                    Err(e) => {
                        let error = code(e.code())?;
                        if attempts < d.max_attempts {
                            DeliveryOutcome::Retry {
                                status: None,
                                error,
                                next_attempt_at: self.next_attempt(now, attempts)?,
                            }
                        } else {
                            DeliveryOutcome::DeadLetter {
                                status: None,
                                error,
                            }
                        }
                    }
                }
            }
        };
        let after = store.record_delivery_attempt(d.id, &outcome, now).await?;
        if after.state == DeliveryState::DeadLetter {
            tracing::warn!(delivery = %d.id, request = %d.request, recipient = %d.recipient, "webhook delivery dead-lettered");
        }
        let mut e = self.steward.event(
            AuditKind::RequestStep,
            "dsr.webhook.attempt",
            &Caller::System,
        );
        e.subject = rec.subject;
        e.recipient = Some(d.recipient.clone());
        if let Ok(n) = FieldName::new("delivery") {
            e.refs.push(EventRef {
                name: n,
                id: d.id.as_uuid(),
            });
        }
        if let (Ok(n), Ok(v)) = (
            FieldName::new("state"),
            steward_store::values::AttrValue::new(after.state.as_str()),
        ) {
            e.attributes
                .push(steward_store::model::audit::Attribute { name: n, value: v });
        }
        self.steward.audit().append_one(e).await?;
        Ok(after.state)
    }

    fn next_attempt(&self, now: Timestamp, attempts: u32) -> Result<Timestamp, CoreError> {
        now.checked_add(backoff(
            self.config.webhooks.backoff,
            self.config.webhooks.max_backoff,
            attempts,
        ))
        .map_err(|_| CoreError::Unavailable("clock out of range"))
    }

    /// A processor confirms it acted on a delivery (RET-07). The body must be signed with the
    /// recipient's webhook secret (`Steward-Signature`, as deliveries are) and name the
    /// delivery: `{"delivery_id": "<id>"}`. Idempotent.
    ///
    /// # Errors
    /// `NotFound` for an unknown delivery or a bad signature (both answer alike).
    pub async fn confirm_delivery(
        &self,
        id: DeliveryId,
        signature: &str,
        body: &[u8],
    ) -> Result<serde_json::Value, CoreError> {
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
        let rec = store.get_request(d.request).await?;
        let mut e = self.steward.event(
            AuditKind::RequestStep,
            "dsr.webhook.confirmed",
            &Caller::Service(format!("recipient:{}", d.recipient)),
        );
        e.subject = rec.subject;
        e.recipient = Some(d.recipient.clone());
        if let Ok(n) = FieldName::new("delivery") {
            e.refs.push(EventRef {
                name: n,
                id: id.as_uuid(),
            });
        }
        self.steward.audit().append_one(e).await?;
        Ok(super::service::delivery_json(&after))
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
