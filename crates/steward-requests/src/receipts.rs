//! Receipts: what a request did, system by system — the vault, each external dataset with
//! row counts per table, each processor or third party notified (with the delivery's state
//! and the processor's confirmation), what was kept and under which exception — with a
//! SHA-256 over its own content. No personal data: ids, codes, counts, categories.
//!
//! A receipt is issued (stored as the request's `receipt` step) when a request completes;
//! [`Requests::receipt`](crate::service::Requests::receipt) returns the live view, in which
//! webhook lines follow their deliveries (retried, dead-lettered, confirmed later).

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use steward_store::model::request::{DeliveryRecord, DeliveryState, RequestRecord};

use crate::doc::{Doc, SystemResult};
use crate::plan::Retained;

/// A recipient notified, with where its notification stands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Notified {
    /// The recipient.
    pub recipient: String,
    /// What it was asked to do (`delete`, `delete_and_forward`, `inform`, `rectify`, ...).
    pub action: String,
    /// `confirmed`, `delivered`, `pending`, `dead_letter`, or `manual` (no endpoint
    /// registered: staff notify it another way).
    pub status: String,
    /// Delivery attempts made.
    pub attempts: u32,
    /// The last failure.
    pub last_error: Option<String>,
    /// When the recipient confirmed.
    pub confirmed_at: Option<Timestamp>,
}

/// A receipt.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Receipt {
    /// Format id.
    pub format: String,
    /// The request.
    pub request_id: String,
    /// Its kind.
    pub kind: String,
    /// Its state.
    pub state: String,
    /// The subject (pseudonymous id), if known.
    pub subject_id: Option<String>,
    /// Received.
    pub received_at: Timestamp,
    /// Due (the deadline in force).
    pub due: Timestamp,
    /// Closed.
    pub closed_at: Option<Timestamp>,
    /// Regimes.
    pub regimes: Vec<String>,
    /// Every system touched, in order, with its result.
    pub systems: Vec<SystemResult>,
    /// Items kept, each with its exception and citations (CCPA-39).
    pub retained: Vec<Retained>,
    /// Recipients notified (GDPR-18, CCPA-09, CCPA-13, RET-07).
    pub notified: Vec<Notified>,
    /// The record-keeping statement (CCPA-09: "a record of this request is kept").
    pub record_keeping: String,
    /// SHA-256 (hex) of this receipt's JSON with this field empty.
    pub sha256: String,
}

fn delivery_status(d: &DeliveryRecord) -> &'static str {
    match d.state {
        DeliveryState::Pending => "pending",
        DeliveryState::Delivered => "delivered",
        DeliveryState::Confirmed => "confirmed",
        DeliveryState::DeadLetter => "dead_letter",
    }
}

/// Builds a receipt from a request, its document and its deliveries.
#[must_use]
pub(crate) fn build(rec: &RequestRecord, doc: &Doc, deliveries: &[DeliveryRecord]) -> Receipt {
    let mut systems = doc.progress.clone();
    let mut notified = Vec::new();
    for s in &mut systems {
        if let Some(recipient) = s.system.strip_prefix("webhook:") {
            let action = s.detail.action().unwrap_or("notify").to_string();
            match deliveries
                .iter()
                .find(|d| d.recipient.as_str() == recipient)
            {
                Some(d) => {
                    s.status = delivery_status(d).to_string();
                    s.error = d.last_error.as_ref().map(ToString::to_string);
                    notified.push(Notified {
                        recipient: recipient.to_string(),
                        action,
                        status: delivery_status(d).to_string(),
                        attempts: d.attempts,
                        last_error: d.last_error.as_ref().map(ToString::to_string),
                        confirmed_at: d.confirmed_at,
                    });
                }
                None => notified.push(Notified {
                    recipient: recipient.to_string(),
                    action,
                    status: s.status.clone(),
                    attempts: 0,
                    last_error: None,
                    confirmed_at: None,
                }),
            }
        } else if let Some(recipient) = s.system.strip_prefix("notice:") {
            notified.push(Notified {
                recipient: recipient.to_string(),
                action: s.detail.action().unwrap_or("notify").to_string(),
                status: "manual".to_string(),
                attempts: 0,
                last_error: None,
                confirmed_at: None,
            });
        }
    }
    let mut r = Receipt {
        format: "steward-receipt-v1".to_string(),
        request_id: rec.id.to_string(),
        kind: rec.kind.to_string(),
        state: rec.state.as_str().to_string(),
        subject_id: rec.subject.map(|s| s.to_string()),
        received_at: rec.received_at,
        due: rec.due,
        closed_at: rec.closed_at,
        regimes: doc.regimes.iter().map(|r| r.as_str().to_string()).collect(),
        systems,
        retained: doc.plan.as_ref().map(|p| p.retain.clone()).unwrap_or_default(),
        notified,
        record_keeping: "A record of this request (dates, kind, how it was answered; no personal data) is kept for at least 24 months (11 CCR §7101; GDPR Art. 5(2)).".to_string(),
        sha256: String::new(),
    };
    let body = serde_json::to_vec(&r).unwrap_or_default();
    r.sha256 = steward_store::values::Digest::sha256(&body).to_hex();
    r
}
