//! Complaints over HTTP (CONTACT-01, CONTACT-03, CONTACT-04, DPF-05): filed from the privacy
//! address for an EU customer (45 days to the first response), answered, closed unresolved
//! with the independent recourse offered free of charge, escalated and logged. The server's
//! clock is a manual clock starting 2024-03-04T17:00:00Z.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed step fails the test"
)]

mod common;

use common::spawn;
use serde_json::json;

#[tokio::test]
async fn a_complaint_is_answered_closed_unresolved_and_escalated() {
    let s = spawn().await;
    let k = s.key("privacy-team", &["cases"], json!({})).await;
    let eu = s.subject("DE", "kunde@example.com").await;

    // Refusals.
    s.post(
        "/v1/complaints",
        &k,
        json!({"channel": "fax", "topic": "other"}),
    )
    .await
    .problem(422, "INVALID_BODY");
    s.post(
        "/v1/complaints",
        &k,
        json!({"channel": "console", "topic": "other", "subject_id": eu, "jurisdiction": "FR"}),
    )
    .await
    .problem(422, "JURISDICTION_WITH_SUBJECT");
    s.post(
        "/v1/complaints",
        &k,
        json!({"channel": "console", "topic": "other", "received_at": "2024-03-05T00:00:00Z"}),
    )
    .await
    .problem(422, "TIME_IN_FUTURE");
    s.post(
        "/v1/complaints",
        &k,
        json!({"channel": "console", "topic": "other", "subject_id": "0190b7a4-0000-7000-8000-000000000000"}),
    )
    .await
    .problem(404, "NOT_FOUND");

    // DPF-05: a complaint from an EU customer received 2024-03-04 is answered by 2024-04-18.
    let r = s
        .post(
            "/v1/complaints",
            &k,
            json!({
                "channel": "email_privacy",
                "received_at": "2024-03-04T09:00:00Z",
                "subject_id": eu,
                "topic": "access_request",
                "reference": "privacy-mailbox msg 4711",
            }),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
    let c = r.json();
    let id = c["id"].as_str().unwrap().to_string();
    assert_eq!(c["state"], "open");
    assert_eq!(c["eu_or_dpf"], true);
    assert_eq!(c["jurisdiction"], "DE");
    assert!(
        c["first_response_due"]
            .as_str()
            .unwrap()
            .starts_with("2024-04-19T06:59:59"),
        "end of 2024-04-18 in the controller's zone: {c}"
    );
    assert_eq!(c["response_status"], "open");

    // A US complaint by e-mail: the same 45 days as the policy's target, not EU/DPF; and a
    // DPF complaint from someone elsewhere.
    let us = s
        .post(
            "/v1/complaints",
            &k,
            json!({"channel": "privacy_center", "jurisdiction": "US-TX", "topic": "marketing"}),
        )
        .await
        .json();
    assert_eq!(us["eu_or_dpf"], false);
    let dpf = s
        .post(
            "/v1/complaints",
            &k,
            json!({"channel": "console", "jurisdiction": "US-NY", "dpf": true, "topic": "transfer"}),
        )
        .await
        .json();
    assert_eq!(dpf["eu_or_dpf"], true);
    let list = s.get("/v1/complaints", &k).await.json();
    assert_eq!(
        list["complaints"][0]["id"],
        id.as_str(),
        "soonest due first"
    );
    assert_eq!(list["complaints"].as_array().unwrap().len(), 3);

    // Not answered yet: it cannot be resolved.
    s.post(
        &format!("/v1/complaints/{id}/resolve"),
        &k,
        json!({"resolution": "unresolved"}),
    )
    .await
    .problem(409, "NOT_RESPONDED");
    s.post(&format!("/v1/complaints/{id}/escalate"), &k, json!({}))
        .await
        .problem(409, "NOT_UNRESOLVED");
    let r = s
        .post(
            &format!("/v1/complaints/{id}/respond"),
            &k,
            json!({"response": "reply sent, ticket 99", "responded_at": "2024-03-04T16:00:00Z"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let c = r.json();
    assert_eq!(c["state"], "responded");
    assert_eq!(c["response_status"], "answered");
    s.post(
        &format!("/v1/complaints/{id}/respond"),
        &k,
        json!({"response": "again"}),
    )
    .await
    .problem(409, "ALREADY_RESPONDED");

    // CONTACT-03: closed unresolved, the answer offers the provider the policy names.
    let r = s
        .post(
            &format!("/v1/complaints/{id}/resolve"),
            &k,
            json!({"resolution": "unresolved"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let c = r.json();
    assert_eq!(c["state"], "unresolved");
    assert_eq!(c["recourse"]["free_of_charge"], true);
    assert_eq!(
        c["recourse"]["url"],
        "https://feedback-form.truste.com/watchdog/request"
    );
    assert_eq!(c["recourse"]["provider"], "TrustArc (TRUSTe) Watchdog");
    let r = s
        .post(&format!("/v1/complaints/{id}/escalate"), &k, json!({}))
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["state"], "escalated");
    assert!(r.json()["escalated_at"].is_string());
    s.post(&format!("/v1/complaints/{id}/escalate"), &k, json!({}))
        .await
        .problem(409, "ALREADY_ESCALATED");
    assert_eq!(
        s.get("/v1/complaints", &k).await.json()["complaints"]
            .as_array()
            .unwrap()
            .len(),
        2,
        "closed complaints leave the open list"
    );

    // 46 days on, the US complaint's first response is overdue.
    s.clock.advance(jiff::SignedDuration::from_hours(24 * 46));
    let u = s
        .get(
            &format!("/v1/complaints/{}", us["id"].as_str().unwrap()),
            &k,
        )
        .await
        .json();
    assert_eq!(u["response_status"], "overdue");

    // Logged, with ids and codes only.
    let admin = s.admin.clone();
    let a = s.get("/v1/audit?limit=1000", &admin).await.text();
    for action in [
        "complaint.file",
        "complaint.respond",
        "complaint.resolve",
        "complaint.escalate",
    ] {
        assert!(a.contains(action), "{action}");
    }
    assert!(!a.contains("msg 4711"));
    let v = s.post("/v1/audit/verify", &admin, json!({})).await.json();
    assert_eq!(v["ok"], true, "{v}");
    // The scope.
    let other = s.key("decider", &["decide"], json!({})).await;
    s.get("/v1/complaints", &other)
        .await
        .problem(403, "MISSING_SCOPE");
}
