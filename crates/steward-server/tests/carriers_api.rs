//! Carrier selections and provided information as records, end to end over HTTP. CARRIER-01:
//! a stored subject's shipment data goes to a carrier only when its account selected *that*
//! carrier (a record, refused until the carrier notice is accepted: CARRIER-02), and not after
//! the selection is withdrawn. USPS-07: a postage purchase needs the USPS information
//! provided (the subject has items of it), while its other features stay available. Both
//! replay in the decision's explanation (AUD-07).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed step fails the test"
)]

mod common;

use common::spawn;
use serde_json::{Value, json};

fn ship(subject: &str, carrier: &str) -> Value {
    json!({
        "op": "can_disclose",
        "subject": {"id": subject},
        "categories": ["recipient_data", "postal_address"],
        "recipient": carrier,
        "purpose": "transaction_completion",
    })
}

#[tokio::test]
async fn shipment_data_goes_only_to_the_carrier_the_account_selected() {
    let s = spawn().await;
    let k = s.admin.clone();
    let owner = s.subject("US-NY", "ships@example.com").await;
    let acc = s.post("/v1/accounts", &k, json!({"owner_id": owner})).await;
    let acc = acc.json()["id"].as_str().unwrap().to_string();
    let carriers = format!("/v1/accounts/{acc}/carriers");
    s.post(
        &format!("/v1/accounts/{acc}/agreements"),
        &k,
        json!({"agreement": "carrier_notice"}),
    )
    .await;

    // CARRIER-01: no selection record, nothing goes to UPS; a caller cannot assert one for
    // a stored subject.
    let r = s
        .post("/v1/decisions", &k, ship(&owner, "CAR_UPS"))
        .await
        .json();
    assert_eq!(r["reason"], "NO_CARRIER_SELECTION", "{r}");
    let mut asserted = ship(&owner, "CAR_UPS");
    asserted["context"] = json!({"carrier_selected": true});
    s.post("/v1/decisions", &k, asserted)
        .await
        .problem(422, "FACTS_WITH_RECORDS");

    // Refusals: a recipient that is not a carrier, an unknown one, a malformed shipment.
    for c in ["MP1", "CAR_NOBODY"] {
        s.post(&carriers, &k, json!({"carrier": c}))
            .await
            .problem(422, "UNKNOWN_CARRIER");
    }
    s.post(
        &carriers,
        &k,
        json!({"carrier": "CAR_UPS", "shipment": "order 12"}),
    )
    .await
    .problem(422, "BAD_SHIPMENT");
    s.post(
        "/v1/accounts/0190b7a4-0000-7000-8000-000000000000/carriers",
        &k,
        json!({"carrier": "CAR_UPS"}),
    )
    .await
    .problem(404, "NOT_FOUND");

    // The holder selects UPS for a shipment, under UPS's terms version (CARRIER-06).
    let r = s
        .post(
            &carriers,
            &k,
            json!({"carrier": "CAR_UPS", "shipment": "ship-0001", "terms_version": "ups-2024"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
    let sel = r.json();
    assert_eq!(sel["carrier"], "CAR_UPS");
    assert_eq!(sel["shipment"], "ship-0001");
    assert_eq!(sel["terms_version"], "ups-2024");
    assert_eq!(sel["selected_by"], owner.as_str(), "default: the owner");
    assert_eq!(sel["active"], true);
    let sel_id = sel["id"].as_str().unwrap().to_string();

    // Allowed for UPS — and still not for FedEx: the selection is per carrier.
    let r = s
        .post("/v1/decisions", &k, ship(&owner, "CAR_UPS"))
        .await
        .json();
    assert_eq!(r["allow"], true, "{r}");
    let allowed = r["decision_id"].as_str().unwrap().to_string();
    let r = s
        .post("/v1/decisions", &k, ship(&owner, "CAR_FEDEX"))
        .await
        .json();
    assert_eq!(r["reason"], "NO_CARRIER_SELECTION", "{r}");

    // A ship-to recipient of the Customer: the request names the account.
    let rec = s
        .post(
            "/v1/subjects",
            &k,
            json!({"kind": "recipient", "jurisdiction": "US-NY"}),
        )
        .await;
    let rec = rec.json()["id"].as_str().unwrap().to_string();
    let mut for_account = ship(&rec, "CAR_UPS");
    for_account["context"] = json!({"account": acc});
    let r = s
        .post("/v1/decisions", &k, for_account.clone())
        .await
        .json();
    assert_eq!(r["allow"], true, "{r}");
    let r = s
        .post("/v1/decisions", &k, ship(&rec, "CAR_UPS"))
        .await
        .json();
    assert_eq!(
        r["reason"], "NO_CARRIER_SELECTION",
        "without the account: {r}"
    );

    // The batch paths read the same records.
    let b = s
        .post(
            "/v1/decisions/batch",
            &k,
            json!({"requests": [ship(&owner, "CAR_UPS"), ship(&owner, "CAR_DHL")]}),
        )
        .await;
    assert_eq!(b.status, 200, "{}", b.text());
    assert_eq!(b.json()["decisions"][0]["allow"], true, "{}", b.text());
    assert_eq!(
        b.json()["decisions"][1]["reason"],
        "NO_CARRIER_SELECTION",
        "{}",
        b.text()
    );

    // Listed.
    let l = s.get(&carriers, &k).await;
    assert_eq!(l.status, 200, "{}", l.text());
    assert_eq!(l.json()["carriers"][0]["id"], sel_id.as_str());

    // Withdrawn: nothing goes to UPS any more; the record stays, with who and when.
    let r = s
        .post(&format!("{carriers}/{sel_id}/withdraw"), &k, json!({}))
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["active"], false);
    assert_eq!(r.json()["withdrawn_by"], owner.as_str());
    let r = s
        .post("/v1/decisions", &k, ship(&owner, "CAR_UPS"))
        .await
        .json();
    assert_eq!(r["reason"], "NO_CARRIER_SELECTION", "{r}");
    let r = s.post("/v1/decisions", &k, for_account).await.json();
    assert_eq!(r["reason"], "NO_CARRIER_SELECTION", "{r}");
    let l = s.get(&carriers, &k).await.json();
    assert_eq!(l["carriers"].as_array().unwrap().len(), 1);
    assert_eq!(l["carriers"][0]["active"], false);
    s.post(
        &format!("{carriers}/0190b7a4-0000-7000-8000-000000000000/withdraw"),
        &k,
        json!({}),
    )
    .await
    .problem(404, "NOT_FOUND");

    // AUD-07: the allowed decision replays as it was decided, selection withdrawn since.
    let e = s.get(&format!("/v1/decisions/{allowed}"), &k).await;
    assert_eq!(e.status, 200, "{}", e.text());
    assert_eq!(e.json()["replay_matches"], true, "{}", e.text());

    // Audited, and the log verifies.
    let a = s.get("/v1/audit?kind=admin", &k).await.text();
    assert!(a.contains("carrier.select"), "{a}");
    assert!(a.contains("carrier.withdraw"), "{a}");
    let v = s.post("/v1/audit/verify", &k, json!({})).await.json();
    assert_eq!(v["ok"], true, "{v}");
}

#[tokio::test]
async fn no_carrier_is_selected_before_the_carrier_notice_is_accepted() {
    let s = spawn().await;
    let k = s.admin.clone();
    let owner = s.subject("US-CA", "careful@example.com").await;
    let acc = s.post("/v1/accounts", &k, json!({"owner_id": owner})).await;
    let acc = acc.json()["id"].as_str().unwrap().to_string();
    let carriers = format!("/v1/accounts/{acc}/carriers");
    // CARRIER-02: refused, and nothing recorded.
    s.post(&carriers, &k, json!({"carrier": "CAR_FEDEX"}))
        .await
        .problem(409, "CARRIER_NOTICE_NOT_ACKNOWLEDGED");
    assert_eq!(s.get(&carriers, &k).await.json()["carriers"], json!([]));
    s.post(
        &format!("/v1/accounts/{acc}/agreements"),
        &k,
        json!({"agreement": "carrier_notice"}),
    )
    .await;
    let r = s.post(&carriers, &k, json!({"carrier": "CAR_FEDEX"})).await;
    assert_eq!(r.status, 201, "{}", r.text());
    let r = s
        .post("/v1/decisions", &k, ship(&owner, "CAR_FEDEX"))
        .await
        .json();
    assert_eq!(r["allow"], true, "{r}");
}

#[tokio::test]
async fn carrier_routes_need_their_scopes_and_account_keys_stay_in_their_account() {
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
    s.post(
        &format!("/v1/accounts/{acc}/agreements"),
        &k,
        json!({"agreement": "carrier_notice"}),
    )
    .await;
    let decide_only = s.key("decider", &["decide"], json!({})).await;
    let path = format!("/v1/accounts/{acc}/carriers");
    s.get(&path, &decide_only)
        .await
        .problem(403, "MISSING_SCOPE");
    s.post(&path, &decide_only, json!({"carrier": "CAR_UPS"}))
        .await
        .problem(403, "MISSING_SCOPE");

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
            Some(json!({"carrier": "CAR_UPS"}).to_string().as_bytes()),
            Some("application/json"),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(r.json()["selected_by"], owner.as_str());
    // Another account is not found for this key, and the actor cannot name someone else.
    let r = s
        .call(
            "GET",
            &format!("/v1/accounts/{other}/carriers"),
            Some(&limited),
            &as_owner,
            None,
            None,
        )
        .await;
    r.problem(404, "NOT_FOUND");
    let r = s
        .call(
            "POST",
            &path,
            Some(&limited),
            &as_owner,
            Some(
                json!({"carrier": "CAR_FEDEX", "selected_by": other_owner})
                    .to_string()
                    .as_bytes(),
            ),
            Some("application/json"),
        )
        .await;
    r.problem(404, "NOT_FOUND");
}

#[tokio::test]
async fn a_postage_purchase_needs_the_usps_information_and_nothing_else_is_penalized() {
    let s = spawn().await;
    let k = s.admin.clone();
    let owner = s.subject("US-TX", "stamps@example.com").await;
    let acc = s.post("/v1/accounts", &k, json!({"owner_id": owner})).await;
    let acc = acc.json()["id"].as_str().unwrap().to_string();
    s.post(
        &format!("/v1/accounts/{acc}/agreements"),
        &k,
        json!({"agreement": "usps_privacy_act_statement"}),
    )
    .await;
    let postage = json!({
        "op": "can_use",
        "subject": {"id": owner},
        "category": "usps_regulatory_data",
        "purpose": "usps_regulatory_oversight",
    });
    let report = json!({
        "op": "can_disclose",
        "subject": {"id": owner},
        "categories": ["postage_activity"],
        "recipient": "USPS",
        "purpose": "usps_regulatory_oversight",
    });
    let email = |purpose: &str| json!({"op": "can_use", "subject": {"id": owner}, "category": "email", "purpose": purpose});

    // USPS-07: the statement is accepted, the USPS information is not provided: refused,
    // with the policy's reason and clause; the account's other features are not.
    let r = s.post("/v1/decisions", &k, postage.clone()).await.json();
    assert_eq!(r["allow"], false, "{r}");
    assert_eq!(r["reason"], "USPS_INFO_NOT_PROVIDED", "{r}");
    assert_eq!(r["detail"], "usps_regulatory_data", "{r}");
    assert!(
        r["requirements"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x == "USPS-07"),
        "{r}"
    );
    let denied = r["decision_id"].as_str().unwrap().to_string();
    let r = s.post("/v1/decisions", &k, report.clone()).await.json();
    assert_eq!(r["reason"], "USPS_INFO_NOT_PROVIDED", "{r}");
    for p in ["support", "important_communications"] {
        let r = s.post("/v1/decisions", &k, email(p)).await.json();
        assert_eq!(r["allow"], true, "{p}: {r}");
    }
    // A caller cannot assert what a stored subject provided.
    let mut asserted = postage.clone();
    asserted["context"] = json!({"provided_categories": ["usps_regulatory_data"]});
    s.post("/v1/decisions", &k, asserted)
        .await
        .problem(422, "FACTS_WITH_RECORDS");

    // Provided: the purchase and the reporting go through.
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
    let allowed = r["decision_id"].as_str().unwrap().to_string();
    let r = s.post("/v1/decisions", &k, report).await.json();
    assert_eq!(r["allow"], true, "{r}");
    for p in ["support", "important_communications"] {
        let r = s.post("/v1/decisions", &k, email(p)).await.json();
        assert_eq!(r["allow"], true, "{p}: {r}");
    }

    // AUD-07: both decisions replay as decided (the item written since does not change the
    // replay of the refusal).
    for id in [denied, allowed] {
        let e = s.get(&format!("/v1/decisions/{id}"), &k).await;
        assert_eq!(e.status, 200, "{}", e.text());
        assert_eq!(e.json()["replay_matches"], true, "{}", e.text());
    }

    // A stateless caller says what was provided.
    let inline = |provided: Value| {
        json!({
            "op": "can_use",
            "subject": {"kind": "customer_account_holder", "jurisdiction": "US-TX"},
            "category": "usps_regulatory_data",
            "purpose": "usps_regulatory_oversight",
            "context": {"agreements": ["usps_privacy_act_statement"], "provided_categories": provided},
        })
    };
    let r = s.post("/v1/decisions", &k, inline(json!([]))).await.json();
    assert_eq!(r["reason"], "USPS_INFO_NOT_PROVIDED", "{r}");
    let r = s
        .post("/v1/decisions", &k, inline(json!(["usps_regulatory_data"])))
        .await
        .json();
    assert_eq!(r["allow"], true, "{r}");
    s.post("/v1/decisions", &k, inline(json!(["no_such_category"])))
        .await
        .problem(422, "UNKNOWN_NAME");
}
