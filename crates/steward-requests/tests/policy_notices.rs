//! Change notices of a material policy version through the outbox (CHG-03, CHG-04): queued
//! once to the people the version concerns, e-mailed by `deliver_due` under the outbox lease,
//! recorded as sent — after which the version's new purpose reaches data collected before it.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failed step fails the test"
)]

mod support;

use std::sync::Arc;

use steward_core::CoreError;
use support::*;

const V2_PATCH: &str = r#"
[policy]
version = "2024-03-01"
effective = "2024-03-01"

[[purpose]]
id = "product_research"
name = "Research new products with the e-mail addresses of customers"
categories = ["email"]
legal_basis = { gdpr = "consent", ccpa = "business_purpose" }
consent = { eu = "opt_in", us = "opt_out", other = "opt_out" }
clause = "2(b) To Improve Services and Develop New Services"
requirements = ["CHG-03"]
"#;

#[tokio::test]
async fn a_material_version_is_mailed_once_to_the_people_it_concerns() {
    let e = env();
    let s = &e.steward;
    s.record_policy_version(steward_policy::DEFAULT_POLICY, &s.engine())
        .await
        .unwrap();
    let ann = e.subject("ann@example.com", "US-TX").await;
    let item = e
        .item(
            ann,
            "email",
            "ann@example.com",
            "direct:registration",
            "account_registration",
        )
        .await;
    // Someone without e-mail data is not concerned by a change to e-mail uses.
    let bob = e.subject("bob@example.com", "US-TX").await;
    e.item(
        bob,
        "name",
        "Bob",
        "direct:registration",
        "account_registration",
    )
    .await;

    let v2 = steward_policy::patch::apply(steward_policy::DEFAULT_POLICY, V2_PATCH).unwrap();
    let engine = steward_policy::load("v2.toml", &v2).unwrap().engine;
    s.record_policy_version(&v2, &engine).await.unwrap();
    s.set_engine(Arc::new(engine));
    assert_eq!(
        s.queue_policy_notices(&svc(), "2024-03-01").await.unwrap(),
        1
    );

    let denied = s.read_item(&svc(), item, "product_research").await;
    assert!(
        matches!(&denied, Err(CoreError::Denied { reason, .. }) if reason == "NOTICE_REQUIRED"),
        "{denied:?}"
    );

    // A refused send stays queued and goes out on a later pass (after the lease).
    e.fakes
        .mailer
        .refuse(Some(steward_requests::MailError::Relay));
    let r = e.requests.deliver_due().await.unwrap();
    assert_eq!((r.policy_notices_sent, r.messages_failed), (0, 1));
    e.fakes.mailer.refuse(None);
    let r = e.requests.deliver_due().await.unwrap();
    assert_eq!(
        r.policy_notices_sent, 0,
        "still leased to the failed attempt"
    );
    e.clock.advance(jiff::SignedDuration::from_hours(1));
    let r = e.requests.deliver_due().await.unwrap();
    assert_eq!(r.policy_notices_sent, 1);
    let sent = e.fakes.mailer.sent();
    let mail = sent
        .iter()
        .find(|m| m.email.subject == "Our privacy policy changed")
        .unwrap();
    assert_eq!(mail.email.to.expose(), "ann@example.com");
    assert!(
        mail.email
            .body
            .expose()
            .contains("new purpose `product_research`"),
        "{}",
        mail.email.body.expose()
    );
    // Once per person and version.
    let r = e.requests.deliver_due().await.unwrap();
    assert_eq!(r.policy_notices_sent, 0);
    assert!(s.policy_notices_of(bob).await.unwrap().is_empty());
    assert!(s.policy_notices_of(ann).await.unwrap()[0].sent_at.is_some());

    // Notified: the old e-mail address may now serve the new purpose (US, opt-out).
    assert!(s.read_item(&svc(), item, "product_research").await.is_ok());
}
