//! Data bound to the policy version it was collected under (CHG-02, SCOPE-06), against the
//! real SQLite store: a purpose a later version adds is denied for older data until the
//! person was notified of that version (CHG-03, CHG-04), and for an EU subject until fresh
//! consent; notices are queued once to the people the change concerns.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failed step fails the test"
)]

mod support;

use std::sync::Arc;

use steward_core::choices::ChoiceParty;
use steward_core::items::ItemInput;
use steward_core::{CoreError, Steward};
use steward_store::ids::{ItemId, SubjectId};
use steward_vault::Sensitive;
use support::{choose, env, subject, svc};

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

async fn email_item(s: &Steward, id: SubjectId) -> ItemId {
    s.write_item(
        &svc(),
        ItemInput {
            subject: id,
            category: "email".into(),
            value: Sensitive::new(b"jane.roe@example.com".to_vec()),
            source: "direct:registration".into(),
            purpose: "account_registration".into(),
            processor_for_customer: false,
            account: None,
            derived_from: Vec::new(),
        },
    )
    .await
    .unwrap()
    .0
    .id
}

async fn reason_of(s: &Steward, item: ItemId, purpose: &str) -> String {
    match s.read_item(&svc(), item, purpose).await {
        Ok(r) => {
            assert!(r.decision.allow);
            "OK".to_owned()
        }
        Err(CoreError::Denied { reason, .. }) => reason,
        Err(e) => panic!("expected a decision, got {e:?}"),
    }
}

/// Records the shipped policy (v1) as in force and returns the v2 text.
async fn publish_v1(s: &Steward) -> String {
    s.record_policy_version(steward_policy::DEFAULT_POLICY, &s.engine())
        .await
        .unwrap();
    steward_policy::patch::apply(steward_policy::DEFAULT_POLICY, V2_PATCH).unwrap()
}

async fn install_v2(s: &Steward, text: &str) {
    let v2 = steward_policy::load("v2.toml", text).unwrap().engine;
    let rec = s.record_policy_version(text, &v2).await.unwrap();
    assert!(rec.material, "a new purpose for held data is material");
    s.set_engine(Arc::new(v2));
}

#[tokio::test]
async fn a_purpose_added_later_waits_for_notice_for_older_data() {
    let e = env();
    let s = &e.steward;
    let v2_text = publish_v1(s).await;
    let us = subject(s, "US-TX").await;
    let other = subject(s, "US-TX").await;
    let old = email_item(s, us).await;
    // CHG-02: the item carries the version in force when it was collected.
    let rec = s.list_items(us).await.unwrap();
    assert_eq!(
        rec[0].policy_version.as_ref().map(|v| v.as_str()),
        Some("2020-01-17")
    );

    install_v2(s, &v2_text).await;
    // CHG-03: collected under v1, the purpose of v2 is denied until notice.
    let denied = match s.read_item(&svc(), old, "product_research").await {
        Err(CoreError::Denied {
            reason,
            decision_id,
            ..
        }) => {
            assert_eq!(reason, "NOTICE_REQUIRED");
            decision_id
        }
        other => panic!("expected NOTICE_REQUIRED, got {other:?}"),
    };
    e.clock.advance(jiff::SignedDuration::from_mins(1));
    // What v1 allowed is untouched.
    assert_eq!(reason_of(s, old, "account_registration").await, "OK");
    // Data collected under v2 itself is not held back.
    let fresh = email_item(s, other).await;
    assert_eq!(
        s.list_items(other).await.unwrap()[0]
            .policy_version
            .as_ref()
            .map(|v| v.as_str()),
        Some("2024-03-01")
    );
    assert_eq!(reason_of(s, fresh, "product_research").await, "OK");

    // CHG-04: the notice goes to everyone holding e-mail data, once per version.
    assert_eq!(
        s.queue_policy_notices(&svc(), "2024-03-01").await.unwrap(),
        2
    );
    assert_eq!(
        s.queue_policy_notices(&svc(), "2024-03-01").await.unwrap(),
        0
    );
    let queued = s.policy_notices_of(us).await.unwrap();
    assert_eq!(queued.len(), 1);
    assert!(queued[0].sent_at.is_none());
    // Queued is not notified.
    assert_eq!(
        reason_of(s, old, "product_research").await,
        "NOTICE_REQUIRED"
    );
    assert!(
        s.policy_notice_sent(&svc(), us, "2024-03-01")
            .await
            .unwrap()
    );
    assert!(
        !s.policy_notice_sent(&svc(), us, "2024-03-01")
            .await
            .unwrap()
    );
    // US, opt-out purpose: notice suffices.
    assert_eq!(reason_of(s, old, "product_research").await, "OK");
    // An opt-out after the notice is honoured as ever.
    choose(
        s,
        ChoiceParty::Subject(us),
        "consent:purpose:product_research",
        false,
    )
    .await;
    assert_eq!(reason_of(s, old, "product_research").await, "OPTED_OUT");

    // AUD-07: the denial replays as it was decided, though the notice came later.
    s.audit().flush().await;
    let explained = s.explain_decision(denied.parse().unwrap()).await.unwrap();
    let replay = explained.replay.unwrap();
    assert!(replay.matches, "{:?}", replay.path);
}

#[tokio::test]
async fn an_eu_subject_needs_fresh_consent_after_the_notice() {
    let e = env();
    let s = &e.steward;
    let v2_text = publish_v1(s).await;
    let eu = subject(s, "DE").await;
    let old = email_item(s, eu).await;
    install_v2(s, &v2_text).await;
    assert_eq!(
        reason_of(s, old, "product_research").await,
        "NOTICE_REQUIRED"
    );
    assert!(
        s.policy_notice_sent(&svc(), eu, "2024-03-01")
            .await
            .unwrap()
    );
    assert_eq!(
        reason_of(s, old, "product_research").await,
        "CONSENT_REQUIRED"
    );
    choose(
        s,
        ChoiceParty::Subject(eu),
        "consent:purpose:product_research",
        true,
    )
    .await;
    assert_eq!(reason_of(s, old, "product_research").await, "OK");
}

#[tokio::test]
async fn an_unknown_version_is_not_a_notice() {
    let e = env();
    let s = &e.steward;
    let id = subject(s, "US-TX").await;
    assert!(matches!(
        s.policy_notice_sent(&svc(), id, "1999-01-01").await,
        Err(CoreError::NotFound(_))
    ));
}
