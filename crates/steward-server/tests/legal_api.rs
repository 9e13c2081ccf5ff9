//! The register of legal requests over HTTP (LEGALREQ-01, LEGALREQ-02, LEGALREQ-03, LEGALREQ-04, LEGALREQ-05, LEGALREQ-06): a subpoena registered for two
//! customers (one in the EU), refused until reviewed by someone else, then disclosures decided
//! against the stored record — in scope only, recorded in the disclosure register, the subject
//! told unless a gag order says otherwise — and the report per instrument.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed step fails the test"
)]

mod common;

use common::spawn;
use serde_json::json;

#[tokio::test]
async fn disclosures_to_authorities_are_decided_against_the_register() {
    let s = spawn().await;
    let admin = s.admin.clone();
    let clerk = s.key("legal-intake", &["cases"], json!({})).await;
    let counsel = s.key("counsel", &["cases"], json!({})).await;
    let us = s.subject("US-CA", "ca@example.com").await;
    let eu = s.subject("DE", "de@example.com").await;
    let stranger = s.subject("US-TX", "tx@example.com").await;

    s.post(
        "/v1/legal-requests",
        &clerk,
        json!({"authority": "x", "instrument": "subpoena", "basis": "required_by_law", "scope": ["shoe_size"]}),
    )
    .await
    .problem(422, "UNKNOWN_CATEGORY");
    let r = s
        .post(
            "/v1/legal-requests",
            &clerk,
            json!({
                "authority": "Superior Court, County of Demo",
                "instrument": "subpoena",
                "basis": "required_by_law",
                "scope": ["email", "name"],
                "subject_ids": [us, eu],
                "reference": "DMS 2024-0042",
            }),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
    let l = r.json();
    let id = l["id"].as_str().unwrap().to_string();
    assert_eq!(l["state"], "awaiting_review");
    assert_eq!(l["eu_subject"], true, "LEGALREQ-06");

    // LEGALREQ-02: not reviewed yet, the record refuses; an inline assertion beside it is
    // refused as well.
    let ask = |cats: serde_json::Value| {
        json!({
            "op": "can_disclose", "subject": {"id": us}, "categories": cats,
            "recipient": "LE1", "purpose": "legal_compliance",
            "context": {"legal_request_id": id},
        })
    };
    let r = s
        .post("/v1/decisions", &admin, ask(json!(["email"])))
        .await
        .json();
    assert_eq!(r["reason"], "REVIEW_REQUIRED", "{r}");
    let mut both = ask(json!(["email"]));
    both["context"]["legal_request"] =
        json!({"basis": "required_by_law", "reviewed": true, "scope": ["email"]});
    s.post("/v1/decisions", &admin, both)
        .await
        .problem(422, "LEGAL_REQUEST_FACTS_WITH_ID");

    // The reviewer is not who registered it.
    let path = format!("/v1/legal-requests/{id}/review");
    s.post(
        &path,
        &clerk,
        json!({"decision": "approve", "rationale": "valid subpoena"}),
    )
    .await
    .problem(422, "REVIEWER_IS_REQUESTER");
    let r = s
        .post(
            &path,
            &counsel,
            json!({"decision": "approve", "rationale": "valid subpoena, narrow scope"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["state"], "approved");
    assert!(r.json()["reviewer"].as_str().unwrap().contains("counsel"));
    s.post(
        &path,
        &counsel,
        json!({"decision": "reject", "rationale": "x"}),
    )
    .await
    .problem(409, "ALREADY_REVIEWED");

    // Decided against the record: in scope allowed, out of scope refused (LEGALREQ-03).
    let r = s
        .post("/v1/decisions", &admin, ask(json!(["email"])))
        .await
        .json();
    assert_eq!(r["allow"], true, "{r}");
    let r = s
        .post("/v1/decisions", &admin, ask(json!(["chat_transcript"])))
        .await
        .json();
    assert_eq!(r["reason"], "OUT_OF_SCOPE", "{r}");

    // A disclosure through the register: recorded in the disclosure register and the request.
    let disclose = format!("/v1/legal-requests/{id}/disclose");
    s.post(
        &disclose,
        &counsel,
        json!({"subject_id": stranger, "recipient": "LE1", "purpose": "legal_compliance", "categories": ["email"]}),
    )
    .await
    .problem(422, "SUBJECT_NOT_NAMED");
    let p = s
        .post(
            &disclose,
            &counsel,
            json!({"subject_id": us, "recipient": "LE1", "purpose": "legal_compliance", "categories": ["chat_transcript"]}),
        )
        .await
        .problem(403, "DENIED");
    assert_eq!(p["decision"]["reason"], "OUT_OF_SCOPE");
    let r = s
        .post(
            &disclose,
            &counsel,
            json!({"subject_id": us, "recipient": "LE1", "purpose": "legal_compliance", "categories": ["email"]}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let l = r.json();
    assert_eq!(l["state"], "disclosed");
    assert_eq!(l["disclosures"][0]["recipient"], "LE1");
    assert_eq!(
        l["disclosures"][0]["subject_notified"], true,
        "no gag order"
    );
    let reg = s
        .get(&format!("/v1/subjects/{us}/disclosures"), &admin)
        .await;
    assert_eq!(reg.status, 200, "{}", reg.text());
    assert!(reg.text().contains("LE1"), "{}", reg.text());

    // LEGALREQ-05: under a gag order the subject is not told.
    let gag = s
        .post(
            "/v1/legal-requests",
            &clerk,
            json!({
                "authority": "Federal agency", "instrument": "search_warrant",
                "basis": "required_by_law", "scope": ["name"], "subject_ids": [us],
                "gag_order": true, "received_at": "2024-03-01T10:00:00Z",
            }),
        )
        .await
        .json();
    let gid = gag["id"].as_str().unwrap().to_string();
    s.post(
        &format!("/v1/legal-requests/{gid}/review"),
        &counsel,
        json!({"decision": "approve", "rationale": "warrant signed"}),
    )
    .await;
    let r = s
        .post(
            &format!("/v1/legal-requests/{gid}/disclose"),
            &counsel,
            json!({"subject_id": us, "recipient": "LE1", "purpose": "legal_compliance", "categories": ["name"]}),
        )
        .await
        .json();
    assert_eq!(r["disclosures"][0]["subject_notified"], false, "{r}");
    assert_eq!(r["disclosures"][0]["notice"], "suppressed", "{r}");
    assert_eq!(
        r["disclosures"][0]["notice_suppressed_reason"], "gag_order",
        "{r}"
    );

    // A prohibition of notice states why; the reason goes only with the flag.
    let base = json!({
        "authority": "Federal agency", "instrument": "court_order",
        "basis": "required_by_law", "scope": ["name"], "subject_ids": [us],
    });
    let mut no_reason = base.clone();
    no_reason["notice_prohibited"] = json!(true);
    s.post("/v1/legal-requests", &clerk, no_reason)
        .await
        .problem(422, "MISSING_FIELD");
    let mut stray = base.clone();
    stray["notice_prohibited_reason"] = json!("x");
    s.post("/v1/legal-requests", &clerk, stray)
        .await
        .problem(422, "BAD_FIELD");

    // A rejected request closes and opens nothing.
    let rej = s
        .post(
            "/v1/legal-requests",
            &clerk,
            json!({"authority": "Unknown sender", "instrument": "other_law_enforcement_request", "basis": "permitted_by_law", "scope": ["email"], "subject_ids": [us]}),
        )
        .await
        .json();
    let rid = rej["id"].as_str().unwrap().to_string();
    s.post(
        &format!("/v1/legal-requests/{rid}/review"),
        &counsel,
        json!({"decision": "reject", "rationale": "not a valid instrument"}),
    )
    .await;
    let mut gone = ask(json!(["email"]));
    gone["context"]["legal_request_id"] = json!(rid);
    s.post("/v1/decisions", &admin, gone)
        .await
        .problem(409, "LEGAL_REQUEST_CLOSED");
    assert_eq!(
        s.get("/v1/legal-requests", &clerk).await.json()["legal_requests"]
            .as_array()
            .unwrap()
            .len(),
        2
    );

    // LEGALREQ-04: counts per instrument in a period.
    let r = s
        .get(
            "/v1/legal-requests/report?from=2024-01-01T00:00:00Z&until=2025-01-01T00:00:00Z",
            &clerk,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let rows = r.json()["instruments"].clone();
    let row = |i: &str| {
        rows.as_array()
            .unwrap()
            .iter()
            .find(|r| r["instrument"] == i)
            .cloned()
            .unwrap()
    };
    assert_eq!(row("subpoena")["requests"], 1);
    assert_eq!(row("subpoena")["disclosures"], 1);
    assert_eq!(row("subpoena")["eu_disclosures"], 1);
    assert_eq!(row("search_warrant")["disclosures"], 1);
    assert_eq!(row("other_law_enforcement_request")["disclosures"], 0);
    s.get("/v1/legal-requests/report?from=yesterday", &clerk)
        .await
        .problem(400, "BAD_QUERY");
    let a = s.get("/v1/audit?limit=1000", &admin).await.text();
    assert!(a.contains("legal_request.disclose"));
    assert!(a.contains("NOTICE_SUPPRESSED"));
    assert!(a.contains("gag_order"));
    assert!(!a.contains("DMS 2024-0042"));
}
