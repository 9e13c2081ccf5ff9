//! Partner opt-out notifications delivered through the signed webhook path (ADTECH-03,
//! CCPA-13, GPC-11): an opt-out after a disclosure to a sale partner reaches the partner's
//! endpoint once, signed, with a pseudonymous reference, the identifiers the partner already
//! holds and the subject's signals; a partner's endpoint that is down is retried, then
//! dead-lettered and reported; the partner's signed confirmation acknowledges it; a GPC signal
//! notifies like a Do Not Sell form; a partner without a webhook leaves the notification open,
//! counted, and alerted once it is past due (injected clock, real SQLite store, a local HTTP
//! endpoint on 127.0.0.1:0).

#![expect(
    clippy::unwrap_used,
    reason = "test code: a failed step fails the test"
)]

mod support;

use jiff::SignedDuration;
use steward_core::choices::{ChoiceInput, ChoiceParty};
use steward_core::error::CoreError;
use steward_core::partner_signals::SignalConfig;
use steward_core::subjects::{IdentityInput, SubjectInput};
use steward_requests::webhooks::{sign, verify};
use steward_requests::{ConnectionSource, WebhookRegistration};
use steward_store::ids::{DeliveryId, SubjectId};
use steward_store::model::event::PartnerNotification;
use steward_store::model::subject::IdentityKind;
use steward_vault::{SecretString, Sensitive};
use support::{Env, env, env_with, json, svc};

const EMAIL: &str = "jane.roe@example.com";
const SECRET: &str = "whsec-mp1";

fn opt_out(s: SubjectId, key: &str) -> ChoiceInput {
    ChoiceInput {
        party: ChoiceParty::Subject(s),
        key: key.into(),
        value: true,
        source: "user".into(),
        notice_sha256: None,
        channel: Some("privacy_center".into()),
    }
}

/// A Californian whose name and postal address were sold to MP1 (and whose e-mail was not).
async fn sold_to_mp1(e: &Env) -> SubjectId {
    let s = e.subject(EMAIL, "US-CA").await;
    e.item(
        s,
        "name",
        "Jane Roe",
        "direct:registration",
        "account_registration",
    )
    .await;
    e.item(
        s,
        "postal_address",
        "1 Market Street, San Francisco",
        "direct:registration",
        "account_registration",
    )
    .await;
    e.disclosed(
        s,
        "MP1",
        &["name", "postal_address"],
        "third_party_promotional_mail",
    )
    .await;
    s
}

async fn hook_for(e: &Env, recipient: &str, url: &str) {
    e.requests
        .register_webhook(
            &svc(),
            WebhookRegistration {
                name: format!("{}_hook", recipient.to_ascii_lowercase()),
                recipient: recipient.into(),
                url: url.into(),
                secret: ConnectionSource::Secret(SecretString::from(SECRET)),
            },
        )
        .await
        .unwrap();
}

async fn notes(e: &Env, s: SubjectId) -> Vec<PartnerNotification> {
    e.steward.store().notifications_of(s).await.unwrap()
}

#[tokio::test]
async fn adtech_03_an_opt_out_after_a_sale_to_mp1_is_delivered_once_signed_and_acknowledged() {
    let e = env();
    let s = sold_to_mp1(&e).await;
    let hook = e.endpoint(202);
    hook_for(&e, "MP1", &hook.url).await;
    let (_, queued) = e
        .steward
        .record_choices_notifying(&svc(), vec![opt_out(s, "sale_opt_out")])
        .await
        .unwrap();
    assert_eq!(queued.len(), 1);
    let n = queued[0].clone();
    assert_eq!(n.recipient.as_str(), "MP1");
    // CCPA-13: 15 business days from Monday 2024-03-04 (America/Los_Angeles).
    assert_eq!(e.date(n.due_at), "2024-03-25");
    assert_eq!(
        n.due_at.to_string(),
        "2024-03-26T06:59:59Z",
        "end of that day, PDT"
    );

    let report = e.requests.deliver_due().await.unwrap();
    assert_eq!(
        (report.notifications_queued, report.delivered),
        (1, 1),
        "{report:?}"
    );
    let got = hook.received();
    assert_eq!(got.len(), 1);
    let now = e.steward.clock().now();
    let sig = got[0].header("Steward-Signature").unwrap();
    assert!(verify(
        SECRET.as_bytes(),
        sig,
        &got[0].body,
        now,
        SignedDuration::from_mins(5)
    ));
    assert!(!verify(
        b"another secret",
        sig,
        &got[0].body,
        now,
        SignedDuration::from_mins(5)
    ));
    assert_eq!(got[0].header("Steward-Event"), Some("opt_out"));
    let delivery = got[0].header("Steward-Delivery").unwrap();
    assert_eq!(
        delivery,
        n.id.to_string(),
        "the delivery id is the notification's"
    );

    let body: serde_json::Value = serde_json::from_slice(&got[0].body).unwrap();
    assert_eq!(body["type"], "steward.partner.opt_out");
    assert_eq!(body["notification_id"], n.id.to_string());
    assert_eq!(body["recipient"], "MP1");
    assert_eq!(body["kind"], "sale_opt_out", "MP1 buys data (sale = true)");
    assert_eq!(body["forward"], true, "CCPA-13: direct them to forward it");
    assert_eq!(
        body["comply_by"].as_str().unwrap(),
        n.due_at.to_string(),
        "the due date travels with it"
    );
    // The pseudonymous reference is this partner's own: stable, and not another partner's.
    let reference = e.steward.partner_reference(s, "MP1").unwrap();
    assert_eq!(body["subject"]["ref"], reference.as_str());
    assert_eq!(reference.len(), 64);
    assert_ne!(reference, e.steward.partner_reference(s, "SP_ADS").unwrap());
    // Identifiers MP1 already holds (disclosed to it) — and nothing else: not the e-mail.
    assert_eq!(body["subject"]["identities"]["name"][0], "Jane Roe");
    assert_eq!(
        body["subject"]["identities"]["postal_address"][0],
        "1 Market Street, San Francisco"
    );
    assert!(!String::from_utf8_lossy(&got[0].body).contains(EMAIL));
    assert!(!String::from_utf8_lossy(&got[0].body).contains(&s.to_string()));
    // The subject's current signals; US Privacy only for legacy_usp partners (USP-05).
    let signals = e
        .steward
        .signals_for_subject(s, false, &SignalConfig::default())
        .await
        .unwrap();
    assert!(signals.sale_opt_out);
    assert_eq!(body["signals"]["gpp"], signals.gpp.as_str());
    assert_eq!(body["signals"]["gpp_sid"], serde_json::json!([8]));
    assert!(body["signals"].get("us_privacy").is_none());

    // Sent, not acknowledged yet; a second pass sends nothing more.
    let n1 = &notes(&e, s).await[0];
    assert_eq!((n1.sent_at, n1.acked_at, n1.attempts), (Some(now), None, 1));
    let again = e.requests.deliver_due().await.unwrap();
    assert_eq!((again.notifications_queued, again.delivered), (0, 0));
    assert_eq!(hook.received().len(), 1);
    assert_eq!(
        e.requests
            .metrics()
            .await
            .unwrap()
            .partner_notifications_open,
        1
    );

    // The partner confirms through the signed confirmation route; a forgery is refused.
    let id: DeliveryId = delivery.parse().unwrap();
    let confirm = format!("{{\"delivery_id\":\"{delivery}\"}}");
    let forged = sign(b"wrong", now, confirm.as_bytes());
    assert!(matches!(
        e.requests
            .confirm_delivery(id, &forged, confirm.as_bytes())
            .await,
        Err(CoreError::NotFound(_))
    ));
    assert_eq!(notes(&e, s).await[0].acked_at, None);
    e.clock.advance(SignedDuration::from_secs(90));
    let later = e.steward.clock().now();
    let good = sign(SECRET.as_bytes(), later, confirm.as_bytes());
    let d = e
        .requests
        .confirm_delivery(id, &good, confirm.as_bytes())
        .await
        .unwrap();
    assert_eq!(d.state, "confirmed");
    assert_eq!(d.notification, Some(n.id));
    assert_eq!(notes(&e, s).await[0].acked_at, Some(later));
    assert!(
        e.steward
            .store()
            .open_notifications(10)
            .await
            .unwrap()
            .is_empty()
    );
    let m = e.requests.metrics().await.unwrap();
    assert_eq!(
        (m.partner_notifications_open, m.unconfirmed_overdue),
        (0, 0)
    );
    // Audited as partner notification steps, with ids only.
    let audit = e
        .steward
        .store()
        .query_audit(&steward_store::model::audit::AuditQuery {
            subject: Some(s),
            ..steward_store::model::audit::AuditQuery::all(1000)
        })
        .await
        .unwrap();
    let actions: Vec<&str> = audit.iter().map(|a| a.event.action.as_str()).collect();
    for want in [
        "partner.notify_queued",
        "partner.notify.attempt",
        "partner.notify.acknowledged",
    ] {
        assert!(actions.contains(&want), "{want} missing from {actions:?}");
    }
}

#[tokio::test]
async fn adtech_03_a_partner_endpoint_that_is_down_is_retried_dead_lettered_and_reported() {
    let e = env_with(|c| c.webhooks.max_attempts = 3);
    let s = sold_to_mp1(&e).await;
    let hook = e.endpoint(503);
    hook_for(&e, "MP1", &hook.url).await;
    e.steward
        .record_choices_notifying(&svc(), vec![opt_out(s, "sale_opt_out")])
        .await
        .unwrap();
    let first = e.requests.deliver_due().await.unwrap();
    assert_eq!((first.notifications_queued, first.retried), (1, 1));
    let n = &notes(&e, s).await[0];
    assert_eq!((n.attempts, n.sent_at), (1, None), "counted, not sent");
    // Not due yet; then the back-off (30 s, 60 s); the third attempt is the last.
    assert_eq!(e.requests.deliver_due().await.unwrap().retried, 0);
    e.clock.advance(SignedDuration::from_secs(30));
    assert_eq!(e.requests.deliver_due().await.unwrap().retried, 1);
    e.clock.advance(SignedDuration::from_secs(60));
    assert_eq!(e.requests.deliver_due().await.unwrap().dead_lettered, 1);
    assert_eq!(hook.received().len(), 3);
    let n = &notes(&e, s).await[0];
    assert_eq!((n.attempts, n.sent_at, n.acked_at), (3, None, None));
    // Reported: the dead-letter list and an alert name the notification.
    let dead = e.requests.dead_letters().await.unwrap();
    assert_eq!(dead.len(), 1);
    assert_eq!(json(&dead[0])["notification"], n.id.to_string());
    assert_eq!(json(&dead[0])["request"], serde_json::Value::Null);
    assert_eq!(json(&dead[0])["last_error"], "HTTP_503");
    let alerts = e.requests.alerts().await.unwrap();
    assert!(
        alerts.iter().any(|a| a.kind == "WEBHOOK_DEAD_LETTER"
            && a.notification == Some(n.id)
            && a.request.is_none()),
        "{alerts:?}"
    );
    assert_eq!(e.requests.metrics().await.unwrap().dead_letters, 1);
    // A dead-lettered notification is not routed again behind the operator's back.
    assert_eq!(
        e.requests.deliver_due().await.unwrap().notifications_queued,
        0
    );
    // Fixed endpoint, requeued by an operator: delivered and confirmed by the answer itself.
    hook.answer(200, "{\"confirmed\":true}");
    e.requests.requeue(&svc(), dead[0].id).await.unwrap();
    assert_eq!(e.requests.deliver_due().await.unwrap().delivered, 1);
    let n = &notes(&e, s).await[0];
    let now = e.steward.clock().now();
    assert_eq!((n.sent_at, n.acked_at), (Some(now), Some(now)));
    assert_eq!(e.requests.metrics().await.unwrap().dead_letters, 0);
}

#[tokio::test]
async fn gpc_11_a_gpc_signal_notifies_partners_like_do_not_sell() {
    let e = env();
    // A subject known by its browser cookie too; its device data went to the ad vendor.
    let cookie = "ck-7f3a";
    let s = e
        .steward
        .create_subject(
            &svc(),
            SubjectInput {
                jurisdiction: Some("US-CA".into()),
                identities: vec![
                    IdentityInput {
                        kind: IdentityKind::Email,
                        value: Sensitive::new(EMAIL.into()),
                    },
                    IdentityInput {
                        kind: IdentityKind::Cookie,
                        value: Sensitive::new(cookie.into()),
                    },
                ],
                ..SubjectInput::default()
            },
        )
        .await
        .unwrap()
        .id;
    e.disclosed(s, "SP_ADS", &["device_id"], "advertising")
        .await;
    let device = ChoiceParty::Device {
        kind: IdentityKind::Cookie,
        id: Sensitive::new(cookie.into()),
    };
    let (entry, queued) = e
        .steward
        .record_gpc_notifying(&svc(), device.clone())
        .await
        .unwrap();
    assert!(entry.is_some());
    assert_eq!(
        queued
            .iter()
            .map(|n| (n.subject, n.recipient.as_str()))
            .collect::<Vec<_>>(),
        [(s, "SP_ADS")]
    );
    // Seen again: nothing recorded, nothing queued (GPC-10).
    let (entry, queued) = e
        .steward
        .record_gpc_notifying(&svc(), device)
        .await
        .unwrap();
    assert!(entry.is_none() && queued.is_empty());
    // The plain `record_gpc` (used by the pages and the event path) queues them too.
    let other = sold_to_mp1_as(&e, "john.doe@example.com").await;
    assert!(
        e.steward
            .record_gpc(&svc(), ChoiceParty::Subject(other))
            .await
            .unwrap()
    );
    assert_eq!(notes(&e, other).await.len(), 1);
    // A Do Not Sell form right after the signal does not owe the partner a second message.
    let (_, queued) = e
        .steward
        .record_choices_notifying(&svc(), vec![opt_out(other, "sale_opt_out")])
        .await
        .unwrap();
    assert!(queued.is_empty());
    assert_eq!(notes(&e, other).await.len(), 1);
    // Delivered to the ad vendor: a sharing opt-out with GPC set and, because the vendor is
    // flagged legacy_usp, the US Privacy string.
    let hook = e.endpoint(200);
    hook_for(&e, "SP_ADS", &hook.url).await;
    let r = e.requests.deliver_due().await.unwrap();
    assert_eq!((r.notifications_queued, r.delivered), (1, 1), "{r:?}");
    let body: serde_json::Value = serde_json::from_slice(&hook.received()[0].body).unwrap();
    assert_eq!(body["kind"], "share_opt_out");
    assert_eq!(body["signals"]["gpc"], true);
    assert_eq!(body["signals"]["us_privacy"], "1YYN");
    assert_eq!(
        body["subject"]["ref"],
        e.steward.partner_reference(s, "SP_ADS").unwrap().as_str()
    );
}

async fn sold_to_mp1_as(e: &Env, email: &str) -> SubjectId {
    let s = e.subject(email, "US-CA").await;
    e.disclosed(s, "MP1", &["name"], "third_party_promotional_mail")
        .await;
    s
}

#[tokio::test]
async fn ccpa_13_a_partner_without_a_webhook_stays_open_and_is_alerted_past_the_deadline() {
    let e = env();
    let s = sold_to_mp1(&e).await;
    let (_, queued) = e
        .steward
        .record_choices_notifying(&svc(), vec![opt_out(s, "share_opt_out")])
        .await
        .unwrap();
    let n = queued[0].clone();
    let r = e.requests.deliver_due().await.unwrap();
    assert_eq!((r.notifications_queued, r.delivered), (0, 0));
    let open = notes(&e, s).await;
    assert_eq!((open[0].attempts, open[0].sent_at), (0, None));
    let m = e.requests.metrics().await.unwrap();
    assert_eq!(
        (
            m.partner_notifications_open,
            m.partner_notifications_without_webhook,
            m.partner_notifications_overdue
        ),
        (1, 1, 0)
    );
    let partner_alerts = |alerts: Vec<steward_requests::Alert>| -> Vec<(String, String)> {
        alerts
            .into_iter()
            .filter(|a| a.notification == Some(n.id))
            .map(|a| (a.kind, a.since.to_string()))
            .collect()
    };
    assert_eq!(
        partner_alerts(e.requests.alerts().await.unwrap()),
        [("PARTNER_NO_WEBHOOK".to_string(), n.created_at.to_string())]
    );
    // The last instant of the 15th business day: still not overdue; one second later it is.
    e.clock.set(n.due_at);
    assert_eq!(
        e.requests
            .metrics()
            .await
            .unwrap()
            .partner_notifications_overdue,
        0
    );
    e.clock
        .set(n.due_at.checked_add(SignedDuration::from_secs(1)).unwrap());
    assert_eq!(
        partner_alerts(e.requests.alerts().await.unwrap()),
        [(
            "PARTNER_NOTIFICATION_OVERDUE".to_string(),
            n.due_at.to_string()
        )]
    );
    assert_eq!(
        e.requests
            .metrics()
            .await
            .unwrap()
            .partner_notifications_overdue,
        1
    );
    // Registering the endpoint late still gets it delivered; the alert goes once confirmed.
    let hook = e.endpoint(200);
    hook.answer(200, "{\"confirmed\":true}");
    hook_for(&e, "MP1", &hook.url).await;
    let r = e.requests.deliver_due().await.unwrap();
    assert_eq!((r.notifications_queued, r.delivered), (1, 1));
    let body: serde_json::Value = serde_json::from_slice(&hook.received()[0].body).unwrap();
    assert_eq!(
        body["kind"], "sale_opt_out",
        "what MP1 does: it buys the data"
    );
    assert!(partner_alerts(e.requests.alerts().await.unwrap()).is_empty());
    let m = e.requests.metrics().await.unwrap();
    assert_eq!(
        (
            m.partner_notifications_open,
            m.partner_notifications_without_webhook,
            m.partner_notifications_overdue
        ),
        (0, 0, 0)
    );
}

/// CCPA-13 with the controller's configured calendar: a holiday inside the 15 business days
/// moves the partner's deadline by one business day (the core uses the calendar the request
/// workflow was configured with, not the holiday-less default).
#[tokio::test]
async fn ccpa_13_the_partner_deadline_follows_the_configured_holidays() {
    let e = env_with(|c| {
        c.calendar =
            steward_deadlines::Calendar::from_toml_str("holidays = [\"2024-03-15\"]").unwrap();
    });
    let s = sold_to_mp1(&e).await;
    let (_, queued) = e
        .steward
        .record_choices_notifying(&svc(), vec![opt_out(s, "sale_opt_out")])
        .await
        .unwrap();
    assert_eq!(queued.len(), 1);
    // Without the holiday: Monday 2024-03-25 (see above); with Friday 2024-03-15 off: Tuesday.
    assert_eq!(e.date(queued[0].due_at), "2024-03-26");
}
