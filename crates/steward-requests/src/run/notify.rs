//! Telling a recipient what a request changed: a signed webhook delivery queued for its
//! endpoint (deterministic id: a re-run queues nothing twice), or a `manual` line for staff
//! when it has none (GDPR-18, GDPR-19, CCPA-09, CCPA-13).

use steward_core::CoreError;
use steward_errors::ErrorCode;
use steward_store::model::request::{ConnectorKind, ConnectorRecord, NewDelivery, RequestRecord};
use steward_store::values::RecipientKey;

use super::delivery_id;
use crate::connectors::Identities;
use crate::doc::{Doc, SystemResult, WEBHOOK_LABEL};
use crate::service::{Requests, code};
use crate::views::{RecipientNotice, SystemDetail};

impl Requests {
    /// Queues a notification to a recipient: a signed webhook when it has an endpoint, else a
    /// `manual` line for staff. Returns the system name.
    #[expect(
        clippy::too_many_arguments,
        reason = "the arguments are the independent inputs of one step; a parameter struct would only rename them"
    )]
    pub(crate) async fn notify(
        &self,
        rec: &RequestRecord,
        doc: &mut Doc,
        connectors: &[ConnectorRecord],
        recipient: &str,
        event: &str,
        action: &str,
        categories: &[String],
        ids: &Identities,
        extra: serde_json::Value,
    ) -> Result<String, CoreError> {
        let hook = connectors.iter().find(|c| {
            c.kind == ConnectorKind::Webhook
                && c.disabled_at.is_none()
                && c.recipient
                    .as_ref()
                    .is_some_and(|r| r.as_str() == recipient)
        });
        let now = self.now();
        let detail = SystemDetail::Recipient(RecipientNotice {
            action: action.to_string(),
            categories: categories.to_vec(),
            event: event.to_string(),
        });
        let Some(hook) = hook else {
            let system = format!("notice:{recipient}");
            doc.record(SystemResult {
                system: system.clone(),
                status: "manual".into(),
                detail,
                error: Some(
                    "no webhook endpoint is registered for this recipient: notify it another way"
                        .into(),
                ),
                at: now,
            });
            return Ok(system);
        };
        let system = format!("webhook:{recipient}");
        if doc.result(&system).is_some_and(|r| r.status != "failed") {
            return Ok(system);
        }
        let sealer = self
            .sealer(rec)?
            .ok_or(CoreError::Unavailable("the request key is gone"))?;
        let id = delivery_id(rec.id, recipient, event);
        let mut identities = serde_json::Map::new();
        for (k, v) in &ids.0 {
            identities.insert(
                k.clone(),
                serde_json::Value::from(v.iter().map(|s| s.expose().clone()).collect::<Vec<_>>()),
            );
        }
        let body = serde_json::json!({
            "type": format!("steward.request.{event}"),
            "delivery_id": id,
            "request_id": rec.id,
            "recipient": recipient,
            "action": action,
            "categories": categories,
            "subject": {"id": rec.subject, "identities": identities},
            "regimes": doc.regimes.iter().map(|r| r.as_str()).collect::<Vec<_>>(),
            "respond_by": doc.ticket.current_due().at(),
            "confirm": {"path": format!("/v1/requests/deliveries/{id}/confirm")},
            "detail": extra,
        });
        let payload = serde_json::to_vec(&body)
            .map_err(|e| CoreError::invalid(ErrorCode::BadBody, e.to_string()))?;
        self.steward
            .store()
            .create_deliveries(&[NewDelivery {
                id,
                request: Some(rec.id),
                notification: None,
                connector: hook.id,
                recipient: RecipientKey::new(recipient.to_string())
                    .map_err(|e| CoreError::invalid(ErrorCode::BadRecipient, e.to_string()))?,
                event: code(event)?,
                sealed: Some(sealer.seal(WEBHOOK_LABEL, &payload)?),
                created_at: now,
                next_attempt_at: now,
                max_attempts: self.config.webhooks.max_attempts,
            }])
            .await?;
        doc.record(SystemResult {
            system: system.clone(),
            status: "queued".into(),
            detail,
            error: None,
            at: now,
        });
        Ok(system)
    }
}
