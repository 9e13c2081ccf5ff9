//! Agreements as records (CUST-01, SRC-09, USPSPA-01, CARRIER-02), end to end over HTTP: an
//! account accepts the agreements the policy declares, the acceptance is audited with the
//! text's SHA-256, and the decisions of stored subjects — the account's members, and the
//! ship-to recipients collected for it — read the record instead of a caller's assertion.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed step fails the test"
)]

mod common;

use common::spawn;
use serde_json::json;

fn sha256_hex(b: &[u8]) -> String {
    ring::digest::digest(&ring::digest::SHA256, b)
        .as_ref()
        .iter()
        .map(|x| format!("{x:02x}"))
        .collect()
}

fn shipped_text(id: &str) -> String {
    let engine = steward_policy::default_engine().unwrap();
    let a = engine.agreement(id).unwrap();
    engine.agreement_info(a).text.clone().unwrap()
}

#[tokio::test]
async fn the_customer_undertaking_is_a_record_that_opens_uploads_for_its_recipients() {
    let s = spawn().await;
    let k = s.admin.clone();
    let owner = s.subject("US-CA", "shipper@example.com").await;
    let stranger = s.subject("US-CA", "stranger@example.com").await;
    let acc = s.post("/v1/accounts", &k, json!({"owner_id": owner})).await;
    assert_eq!(acc.status, 201, "{}", acc.text());
    let acc = acc.json()["id"].as_str().unwrap().to_string();
    let recipient = s
        .post(
            "/v1/subjects",
            &k,
            json!({"kind": "recipient", "jurisdiction": "US-NY"}),
        )
        .await;
    assert_eq!(recipient.status, 201, "{}", recipient.text());
    let recipient = recipient.json()["id"].as_str().unwrap().to_string();
    let upload = json!({
        "subject_id": recipient,
        "category": "recipient_data",
        "value": "Recipient One, 1 Sample Avenue",
        "source": "customer",
        "purpose": "service_provision",
        "processor_for_customer": true,
        "account_id": acc,
    });

    // SRC-09: no undertaking recorded, no upload.
    let r = s.post("/v1/items", &k, upload.clone()).await;
    let p = r.problem(403, "DENIED");
    assert_eq!(
        p["decision"]["reason"], "CUSTOMER_UNDERTAKING_REQUIRED",
        "{p}"
    );

    // Where the account stands: every agreement of the policy, none accepted.
    let r = s.get(&format!("/v1/accounts/{acc}/agreements"), &k).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let list = r.json();
    let ids: Vec<&str> = list["agreements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["agreement"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "customer_undertaking",
            "usps_privacy_act_statement",
            "carrier_notice"
        ]
    );
    assert!(
        list["agreements"]
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a["accepted"] == false)
    );
    assert_eq!(list["acceptances"], json!([]));

    // Refusals: an agreement the policy does not declare, a text version not shown now, a
    // person who is not a member of the account, an account that does not exist.
    let path = format!("/v1/accounts/{acc}/agreements");
    s.post(&path, &k, json!({"agreement": "terms_of_sale"}))
        .await
        .problem(422, "UNKNOWN_AGREEMENT");
    s.post(
        &path,
        &k,
        json!({"agreement": "customer_undertaking", "version": "cust-0"}),
    )
    .await
    .problem(422, "AGREEMENT_VERSION_NOT_CURRENT");
    s.post(
        &path,
        &k,
        json!({"agreement": "customer_undertaking", "accepted_by": stranger}),
    )
    .await
    .problem(404, "NOT_FOUND");
    s.post(
        "/v1/accounts/0190b7a4-0000-7000-8000-000000000000/agreements",
        &k,
        json!({"agreement": "customer_undertaking"}),
    )
    .await
    .problem(404, "NOT_FOUND");
    s.post(
        &path,
        &k,
        json!({"agreement": "customer_undertaking", "extra": 1}),
    )
    .await
    .problem(422, "INVALID_BODY");

    // CUST-01: the owner accepts the current version; the record names the text's hash.
    let r = s
        .post(
            &path,
            &k,
            json!({"agreement": "customer_undertaking", "version": "cust-1", "accepted_by": owner}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
    let rec = r.json();
    assert_eq!(rec["agreement"], "customer_undertaking");
    assert_eq!(rec["version"], "cust-1");
    assert_eq!(rec["accepted_by"], owner.as_str());
    assert_eq!(
        rec["text_sha256"],
        sha256_hex(shipped_text("customer_undertaking").as_bytes())
    );

    // The upload for that Customer's recipient is allowed now — and only for that account.
    let r = s.post("/v1/items", &k, upload.clone()).await;
    assert_eq!(r.status, 201, "{}", r.text());
    let other = s
        .post("/v1/accounts", &k, json!({"owner_id": stranger}))
        .await;
    let other = other.json()["id"].as_str().unwrap().to_string();
    let mut elsewhere = upload.clone();
    elsewhere["account_id"] = json!(other);
    let p = s
        .post("/v1/items", &k, elsewhere)
        .await
        .problem(403, "DENIED");
    assert_eq!(p["decision"]["reason"], "CUSTOMER_UNDERTAKING_REQUIRED");

    let r = s.get(&path, &k).await.json();
    assert_eq!(r["agreements"][0]["accepted"], true, "{r}");
    assert_eq!(r["agreements"][0]["acceptance"]["id"], rec["id"]);
    assert_eq!(r["agreements"][1]["accepted"], false);
    assert_eq!(r["acceptances"].as_array().unwrap().len(), 1);

    // Audited, with ids and codes only.
    let a = s.get("/v1/audit?kind=admin", &k).await;
    assert_eq!(a.status, 200, "{}", a.text());
    let text = a.text();
    assert!(text.contains("agreement.accept"), "{text}");
    assert!(!text.contains("Sample Avenue"));
    let v = s.post("/v1/audit/verify", &k, json!({})).await.json();
    assert_eq!(v["ok"], true, "{v}");
}

#[tokio::test]
async fn a_stored_members_decisions_use_the_recorded_statement_not_an_assertion() {
    let s = spawn().await;
    let k = s.admin.clone();
    let owner = s.subject("US-TX", "postage@example.com").await;
    let acc = s.post("/v1/accounts", &k, json!({"owner_id": owner})).await;
    let acc = acc.json()["id"].as_str().unwrap().to_string();
    let postage = json!({
        "op": "can_use",
        "subject": {"id": owner},
        "category": "usps_regulatory_data",
        "purpose": "usps_regulatory_oversight",
    });

    // USPS-06: no acceptance recorded, no postage purchase.
    let r = s.post("/v1/decisions", &k, postage.clone()).await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["allow"], false);
    assert_eq!(r.json()["reason"], "PRIVACY_ACT_STATEMENT_REQUIRED");
    // USPS-07: the account keeps its other features.
    let support = json!({
        "op": "can_use", "subject": {"id": owner}, "category": "email", "purpose": "support",
    });
    assert_eq!(
        s.post("/v1/decisions", &k, support).await.json()["allow"],
        true
    );

    // A caller cannot assert what the records decide for a stored subject.
    let mut asserted = postage.clone();
    asserted["context"] = json!({"agreements": ["usps_privacy_act_statement"]});
    s.post("/v1/decisions", &k, asserted)
        .await
        .problem(422, "AGREEMENT_FACTS_WITH_RECORDS");

    // USPSPA-01: the member accepts the statement shown; the decision allows at once.
    let r = s
        .post(
            &format!("/v1/accounts/{acc}/agreements"),
            &k,
            json!({"agreement": "usps_privacy_act_statement"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(r.json()["version"], "pas-1");
    assert_eq!(
        r.json()["accepted_by"],
        owner.as_str(),
        "default: the owner"
    );
    // USPS-07: accepted, but the USPS information was never provided: still refused.
    let r = s.post("/v1/decisions", &k, postage.clone()).await.json();
    assert_eq!(r["reason"], "USPS_INFO_NOT_PROVIDED", "{r}");
    let r = s
        .post(
            "/v1/items",
            &k,
            json!({"subject_id": owner, "category": "usps_regulatory_data",
                   "value": "PS Form 3801 answers", "source": "direct:purchase",
                   "purpose": "usps_regulatory_oversight"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
    let r = s.post("/v1/decisions", &k, postage.clone()).await.json();
    assert_eq!(r["allow"], true, "{r}");
    let decision = r["decision_id"].as_str().unwrap().to_string();

    // The batch path reads the same records.
    let r = s
        .post("/v1/decisions/batch", &k, json!({"requests": [postage]}))
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["decisions"][0]["allow"], true, "{}", r.text());

    // AUD-07: the explanation replays the decision with the agreements it had.
    let e = s.get(&format!("/v1/decisions/{decision}"), &k).await;
    assert_eq!(e.status, 200, "{}", e.text());
    let e = e.json();
    assert_eq!(e["replay_matches"], true, "{e}");

    // CARRIER-02: the carrier notice is its own agreement, and a carrier cannot be selected
    // without it.
    let ship = json!({
        "op": "can_disclose",
        "subject": {"id": owner},
        "categories": ["postal_address"],
        "recipient": "CAR_UPS",
        "purpose": "transaction_completion",
    });
    let r = s.post("/v1/decisions", &k, ship.clone()).await.json();
    assert_eq!(r["reason"], "NO_CARRIER_SELECTION", "{r}");
    let carriers = format!("/v1/accounts/{acc}/carriers");
    s.post(&carriers, &k, json!({"carrier": "CAR_UPS"}))
        .await
        .problem(409, "CARRIER_NOTICE_NOT_ACKNOWLEDGED");
    s.post(
        &format!("/v1/accounts/{acc}/agreements"),
        &k,
        json!({"agreement": "carrier_notice", "version": "carrier-1"}),
    )
    .await;
    let r = s.post(&carriers, &k, json!({"carrier": "CAR_UPS"})).await;
    assert_eq!(r.status, 201, "{}", r.text());
    let r = s.post("/v1/decisions", &k, ship).await.json();
    assert_eq!(r["allow"], true, "{r}");
}

#[tokio::test]
async fn agreements_need_their_scopes_and_account_keys_stay_in_their_account() {
    let s = spawn().await;
    let k = s.admin.clone();
    let owner = s.subject("US-CA", "own@example.com").await;
    let acc = s.post("/v1/accounts", &k, json!({"owner_id": owner})).await;
    let acc = acc.json()["id"].as_str().unwrap().to_string();
    let other_owner = s.subject("US-CA", "other@example.com").await;
    let other = s
        .post("/v1/accounts", &k, json!({"owner_id": other_owner}))
        .await;
    let other = other.json()["id"].as_str().unwrap().to_string();
    let decide_only = s.key("decider", &["decide"], json!({})).await;
    let path = format!("/v1/accounts/{acc}/agreements");
    s.get(&path, &decide_only)
        .await
        .problem(403, "MISSING_SCOPE");
    s.post(&path, &decide_only, json!({"agreement": "carrier_notice"}))
        .await
        .problem(403, "MISSING_SCOPE");

    // A key limited to the account acts as the person it names, in that account only.
    let limited = s
        .key(
            "account-console",
            &["read_pii", "write"],
            json!({"account_id": acc}),
        )
        .await;
    let as_owner = [("X-Steward-Actor", owner.as_str())];
    let r = s
        .call(
            "POST",
            &path,
            Some(&limited),
            &as_owner,
            Some(
                json!({"agreement": "carrier_notice"})
                    .to_string()
                    .as_bytes(),
            ),
            Some("application/json"),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
    let r = s
        .call(
            "GET",
            &format!("/v1/accounts/{other}/agreements"),
            Some(&limited),
            &as_owner,
            None,
            None,
        )
        .await;
    r.problem(404, "NOT_FOUND");
}
