//! Change of control over HTTP (BIZ-02, BIZ-03, BIZ-04, CCPA-40): a notice owed to a person is
//! recorded, holds their promotions until it is delivered or answered, the answer is a choice
//! of the ledger, and the routes need the `choices` scope (recording and delivering: a
//! service-wide key).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed step fails the test"
)]

mod common;

use common::spawn;
use serde_json::json;

#[tokio::test]
async fn a_notice_holds_promotions_until_delivered_and_the_answer_is_a_choice() {
    let s = spawn().await;
    let k = s.admin.clone();
    let who = s.subject("US-TX", "holder@example.com").await;
    let promo = json!({
        "op": "can_send", "subject": {"id": who},
        "message_kind": "marketing_first_party", "channel": "email"
    });
    let r = s.post("/v1/decisions", &k, promo.clone()).await;
    assert_eq!(r.json()["allow"], true, "{}", r.text());

    let path = format!("/v1/subjects/{who}/change-of-control");
    let r = s.post(&path, &k, json!({"transfer": "acme-2024"})).await;
    assert_eq!(r.status, 201, "{}", r.text());
    let n = r.json();
    assert_eq!(n["pending"], true, "{n}");
    assert_eq!(n["transfer"], "acme-2024");
    assert!(n["delivered_at"].is_null());
    let nid = n["id"].as_str().unwrap().to_string();

    // BIZ-03: held while undelivered, whatever the caller asserts.
    let r = s.post("/v1/decisions", &k, promo.clone()).await;
    assert_eq!(r.json()["allow"], false, "{}", r.text());
    assert_eq!(r.json()["reason"], "CHANGE_OF_CONTROL_PROMPT_PENDING");
    let mut asserted = promo.clone();
    asserted["context"] = json!({"change_of_control_prompt_pending": false});
    let r = s.post("/v1/decisions", &k, asserted).await;
    assert_eq!(r.json()["reason"], "CHANGE_OF_CONTROL_PROMPT_PENDING");

    // Scope: a key without `choices` is refused; a `choices` key limited to an account cannot
    // record or deliver notices.
    let decide_only = s.key("decider", &["decide"], json!({})).await;
    s.post(&path, &decide_only, json!({"transfer": "acme-2024"}))
        .await
        .problem(403, "MISSING_SCOPE");
    s.get(&path, &decide_only)
        .await
        .problem(403, "MISSING_SCOPE");
    let choices = s.key("prefs", &["choices"], json!({})).await;
    let r = s.get(&path, &choices).await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["notices"][0]["id"], nid.as_str());

    // Refusals: a transfer name that is not a key, a time that is not RFC 3339, a notice
    // that is not this person's.
    s.post(&path, &k, json!({"transfer": "two words"}))
        .await
        .problem(422, "BAD_FIELD");
    s.post(
        &path,
        &k,
        json!({"transfer": "acme-2024", "effective_at": "yesterday"}),
    )
    .await
    .problem(422, "BAD_FIELD");
    let other = s.subject("US-TX", "other@example.com").await;
    s.post(
        &format!("/v1/subjects/{other}/change-of-control/{nid}/delivered"),
        &k,
        json!({}),
    )
    .await
    .problem(404, "NOT_FOUND");

    // Delivered: promotions resume.
    let r = s
        .post(&format!("{path}/{nid}/delivered"), &choices, json!({}))
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["pending"], false);
    assert!(r.json()["delivered_at"].is_string());
    let r = s.post("/v1/decisions", &k, promo.clone()).await;
    assert_eq!(r.json()["allow"], true, "{}", r.text());

    // BIZ-02: "stop" is a ledger choice on the prompt's channel, and opts out.
    let r = s
        .post(
            &format!("{path}/{nid}/answer"),
            &choices,
            json!({"stop_promotions": true}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["stop_promotions"], true);
    let r = s.post("/v1/decisions", &k, promo.clone()).await;
    assert_eq!(r.json()["reason"], "OPTED_OUT", "{}", r.text());
    let ledger = s
        .get(&format!("/v1/subjects/{who}/choices/ledger"), &k)
        .await
        .json();
    let last = ledger["entries"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(last["key"], "stop_promotions", "{ledger}");
    assert_eq!(last["channel"], "change_of_control_prompt");

    // Audited with ids only.
    let audit = s
        .get(&format!("/v1/audit?subject_id={who}&limit=100"), &k)
        .await;
    assert_eq!(audit.status, 200, "{}", audit.text());
    let text = audit.text();
    assert!(text.contains("change_of_control.notice"), "{text}");
    assert!(text.contains("change_of_control.delivered"), "{text}");
    assert!(!text.contains("holder@example.com"));
}
