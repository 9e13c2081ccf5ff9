//! The service end to end: the real server on 127.0.0.1:0 with a fresh SQLite store, an
//! ephemeral key ring and a manual clock, called over HTTP.

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

#[tokio::test]
async fn health_and_discovery_are_public_everything_else_needs_a_key() {
    let s = spawn().await;
    let r = s.call("GET", "/healthz", None, &[], None, None).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["status"], "ok");
    let r = s.call("GET", "/readyz", None, &[], None, None).await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["store"], "sqlite");
    // GPC-09: the support resource.
    let r = s
        .call("GET", "/.well-known/gpc.json", None, &[], None, None)
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert_eq!(r.json(), json!({"gpc": true, "lastUpdate": "2020-01-17"}));
    let r = s.call("GET", "/openapi.json", None, &[], None, None).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["openapi"], "3.1.0");
    let r = s.call("GET", "/docs/", None, &[], None, None).await;
    assert_eq!(r.status, 200, "bundled Swagger UI");
    assert!(r.text().contains("swagger"), "{}", r.text());

    // No key, a malformed key, an unknown key: one answer.
    let none = s.call("GET", "/v1/policy", None, &[], None, None).await;
    let p = none.problem(401, "UNAUTHORIZED");
    assert_eq!(none.header("www-authenticate"), Some("Bearer"));
    let bad = s.get("/v1/policy", "nope").await;
    let unknown = s
        .get(
            "/v1/policy",
            "stw_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        )
        .await;
    assert_eq!(bad.problem(401, "UNAUTHORIZED"), p);
    assert_eq!(unknown.problem(401, "UNAUTHORIZED"), p);
    let metrics = s.call("GET", "/metrics", None, &[], None, None).await;
    metrics.problem(401, "UNAUTHORIZED");

    // The admin key works, also through X-API-Key.
    let r = s
        .call(
            "GET",
            "/v1/policy",
            None,
            &[("X-API-Key", &s.admin)],
            None,
            None,
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["version"], "2020-01-17");
}

#[tokio::test]
async fn subjects_are_created_found_by_blind_index_updated_and_linked() {
    let s = spawn().await;
    let k = &s.admin;
    let id = s.subject("US-TX", "jane.roe@example.com").await;
    let r = s.get(&format!("/v1/subjects/{id}"), k).await;
    assert_eq!(r.status, 200);
    let subj = r.json();
    assert_eq!(subj["jurisdiction"], "US-TX");
    assert_eq!(subj["revision"], 1);
    assert!(!r.text().contains("jane"), "identities are never returned");

    // Lookup goes through the blind index, whatever the case of the address.
    let r = s
        .post(
            "/v1/subjects/lookup",
            k,
            json!({"kind": "email", "value": "Jane.Roe@Example.com"}),
        )
        .await;
    assert_eq!(r.json()["subject_ids"], json!([id]));
    let r = s
        .post(
            "/v1/subjects/lookup",
            k,
            json!({"kind": "email", "value": "nobody@example.com"}),
        )
        .await;
    assert_eq!(r.json()["subject_ids"], json!([]));
    // The same e-mail cannot belong to two subjects.
    let r = s
        .post(
            "/v1/subjects",
            k,
            json!({"identities": [{"kind": "email", "value": "jane.roe@example.com"}]}),
        )
        .await;
    assert_eq!(r.status, 409, "{}", r.text());

    s.tick();
    let r = s
        .patch(
            &format!("/v1/subjects/{id}"),
            k,
            json!({"jurisdiction": "US-CA", "age": 40}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["jurisdiction"], "US-CA");
    assert_eq!(r.json()["revision"], 2);
    assert_eq!(r.json()["age_band"], "adult");
    let r = s
        .patch(
            &format!("/v1/subjects/{id}"),
            k,
            json!({"jurisdiction": "Mars"}),
        )
        .await;
    r.problem(422, "BAD_JURISDICTION");

    let r = s
        .post(
            &format!("/v1/subjects/{id}/identities"),
            k,
            json!({"kind": "cookie", "value": "c-42"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let r = s
        .post(
            "/v1/subjects/lookup",
            k,
            json!({"kind": "cookie", "value": "c-42"}),
        )
        .await;
    assert_eq!(r.json()["subject_ids"], json!([id]));

    // Unknown subject and malformed id.
    let r = s
        .get("/v1/subjects/0190f5a0-0000-7000-8000-000000000000", k)
        .await;
    r.problem(404, "NOT_FOUND");
    s.get("/v1/subjects/not-a-uuid", k)
        .await
        .problem(400, "BAD_ID");
}

#[tokio::test]
async fn items_are_read_only_for_an_allowed_purpose_and_the_read_is_audited() {
    let s = spawn().await;
    let k = &s.admin;
    let id = s.subject("US-TX", "ann@example.com").await;
    let r = s
        .post(
            "/v1/items",
            k,
            json!({"subject_id": id, "category": "email", "value": "ann@example.com",
                   "source": "direct:registration", "purpose": "account_registration"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
    let item = r.json()["item"]["id"].as_str().unwrap().to_string();
    assert!(
        !r.text().contains("ann@"),
        "the write answer holds no value"
    );

    // SEC-01: a read needs a declared purpose …
    let r = s.get(&format!("/v1/items/{item}"), k).await;
    r.problem(400, "BAD_QUERY");
    // … that the engine allows.
    let r = s.get(&format!("/v1/items/{item}?purpose=support"), k).await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["value"], "ann@example.com");
    let read_decision = r.json()["decision_id"].as_str().unwrap().to_string();
    // A denied read says why, with the decision.
    let r = s
        .get(
            &format!("/v1/items/{item}?purpose=usps_regulatory_oversight"),
            k,
        )
        .await;
    let p = r.problem(403, "DENIED");
    assert_eq!(p["decision"]["reason"], "PURPOSE_NOT_ALLOWED");
    assert_eq!(p["decision"]["allow"], false);
    assert!(p["decision"]["decision_id"].is_string());

    // SEC-03: raw card numbers are refused.
    let r = s
        .post(
            "/v1/items",
            k,
            json!({"subject_id": id, "category": "payment_card", "value": "4111 1111 1111 1111",
                   "source": "direct:payment", "purpose": "service_provision"}),
        )
        .await;
    r.problem(422, "RAW_PAN_FORBIDDEN");
    // An unregistered category fails closed.
    let r = s
        .post(
            "/v1/items",
            k,
            json!({"subject_id": id, "category": "voice_print", "value": "x",
                   "source": "direct:registration", "purpose": "support"}),
        )
        .await;
    assert_eq!(
        r.problem(403, "DENIED")["decision"]["reason"],
        "UNREGISTERED_CATEGORY"
    );

    let r = s.get(&format!("/v1/subjects/{id}/items"), k).await;
    assert_eq!(r.json()["items"].as_array().unwrap().len(), 1);

    // AUD-06: the read and its purpose are in the audit log.
    let r = s
        .get(&format!("/v1/audit?subject_id={id}&kind=read"), k)
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let entries = r.json()["entries"].as_array().unwrap().clone();
    let read = entries
        .iter()
        .find(|e| e["action"] == "item.read")
        .expect("item.read audited");
    assert_eq!(read["purpose"], "support");
    assert_eq!(read["actor"]["type"], "service");
    assert_eq!(read["actor"]["id"], "bootstrap-admin");
    // The allowing decision is explainable.
    let r = s.get(&format!("/v1/decisions/{read_decision}"), k).await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["op"], "can_use");
    assert_eq!(r.json()["allow"], true);
}

#[tokio::test]
async fn gpc_03_a_sec_gpc_header_is_recorded_as_an_opt_out_once() {
    let s = spawn().await;
    let k = &s.admin;
    let id = s.subject("US-CA", "gpc@example.com").await;
    let ask = json!({"op": "can_disclose", "subject": {"id": id},
                     "categories": ["name", "postal_address"], "recipient": "MP1",
                     "purpose": "third_party_promotional_mail"});
    let r = s.post("/v1/decisions", k, ask.clone()).await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["allow"], true, "{}", r.text());

    s.tick();
    let r = s
        .post_h("/v1/decisions", k, &[("Sec-GPC", "1")], ask.clone())
        .await;
    assert_eq!(r.json()["allow"], false, "{}", r.text());
    assert_eq!(r.json()["reason"], "OPTED_OUT");
    // Recorded: a later call without the header is still an opt-out.
    s.tick();
    let r = s.post("/v1/decisions", k, ask.clone()).await;
    assert_eq!(r.json()["allow"], false, "{}", r.text());
    let r = s.get(&format!("/v1/subjects/{id}/choices"), k).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let c = r.json();
    assert_eq!(c["choices"]["sale_opt_out"]["value"], true, "{c}");
    assert_eq!(c["choices"]["sale_opt_out"]["source"], "gpc", "{c}");
    // GPC-10: a second signal writes nothing new.
    let r = s
        .post_h(
            "/v1/choices",
            k,
            &[("Sec-GPC", "1")],
            json!({"subject_id": id, "choices": [{"key": "marketing:first_party:email", "value": true}]}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(r.json()["gpc_recorded"], false);
    let r = s.get(&format!("/v1/subjects/{id}/choices/ledger"), k).await;
    let gpc_entries = r.json()["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["key"] == "gpc")
        .count();
    assert_eq!(gpc_entries, 1);

    // A header value other than exactly `1` is no signal (GPC-01).
    let other = s.subject("US-CA", "other@example.com").await;
    let mut ask2 = ask.clone();
    ask2["subject"]["id"] = json!(other);
    let r = s
        .post_h("/v1/decisions", k, &[("Sec-GPC", "true")], ask2)
        .await;
    assert_eq!(r.json()["allow"], true, "{}", r.text());
}

#[tokio::test]
async fn choices_are_recorded_withdrawn_and_change_decisions() {
    let s = spawn().await;
    let k = &s.admin;
    let id = s.subject("US-TX", "c@example.com").await;
    let ask = json!({"op": "can_send", "subject": {"id": id},
                     "message_kind": "marketing_first_party", "channel": "email"});
    let r = s
        .post(
            "/v1/choices",
            k,
            json!({"subject_id": id, "choices": [
                {"key": "sale_opt_out", "value": true, "channel": "web_form"},
                {"key": "marketing:first_party:email", "value": false}
            ]}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(r.json()["choice_ids"].as_array().unwrap().len(), 2);
    s.tick();
    let d = s.post("/v1/decisions", k, ask.clone()).await.json();
    assert_eq!(d["allow"], false, "{d}");

    // Withdrawing the opt-out is as easy as giving it.
    s.tick();
    let r = s
        .post(
            "/v1/choices/withdraw",
            k,
            json!({"subject_id": id, "keys": ["sale_opt_out"]}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
    let c = s.get(&format!("/v1/subjects/{id}/choices"), k).await.json();
    assert_eq!(c["choices"]["sale_opt_out"]["value"], false, "{c}");
    assert!(c["decision_id"].is_string());

    // Nothing is written when one choice of a call is bad (no partial write).
    let before = s
        .get(&format!("/v1/subjects/{id}/choices/ledger"), k)
        .await
        .json()["entries"]
        .as_array()
        .unwrap()
        .len();
    let r = s
        .post(
            "/v1/choices",
            k,
            json!({"subject_id": id, "choices": [
                {"key": "sale_opt_out", "value": true},
                {"key": "no_such_choice", "value": true}
            ]}),
        )
        .await;
    r.problem(422, "UNKNOWN_CHOICE_KEY");
    let after = s
        .get(&format!("/v1/subjects/{id}/choices/ledger"), k)
        .await
        .json()["entries"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(before, after);
    // Exactly one party.
    let r = s
        .post(
            "/v1/choices",
            k,
            json!({"choices": [{"key": "sale_opt_out", "value": true}]}),
        )
        .await;
    r.problem(422, "PARTY_REQUIRED");
    // A device's choices (before it is linked).
    let r = s
        .post(
            "/v1/choices",
            k,
            json!({"device": {"kind": "cookie", "id": "c-9"}, "choices": [{"key": "cookie:analytics", "value": false}]}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
}

#[tokio::test]
async fn decisions_single_batch_and_explain() {
    let s = spawn().await;
    let k = &s.admin;
    let a = s.subject("US-TX", "a@example.com").await;
    let ask = |id: &str| {
        json!({"id": format!("q-{id}"), "op": "can_disclose", "subject": {"id": id},
               "categories": ["name", "postal_address"], "recipient": "MP1",
               "purpose": "third_party_promotional_mail"})
    };
    let d = s.post("/v1/decisions", k, ask(&a)).await;
    assert_eq!(d.status, 200, "{}", d.text());
    let d = d.json();
    assert_eq!(d["allow"], true);
    assert_eq!(d["id"], format!("q-{a}"));
    assert_eq!(d["op"], "can_disclose");
    assert!(d["requirements"].is_array() && d["clause"].is_string());
    let id = d["decision_id"].as_str().unwrap();
    let ex = s.get(&format!("/v1/decisions/{id}"), k).await.json();
    assert_eq!(ex["allow"], true);
    assert_eq!(ex["replay_matches"], true, "{ex}");
    assert!(ex["path"].as_array().is_some_and(|p| !p.is_empty()));

    // Inline facts, no stored subject.
    let inline = json!({"op": "can_use", "subject": {"jurisdiction": "DE"},
                        "category": "email", "purpose": "support"});
    let r = s.post("/v1/decisions", k, inline.clone()).await;
    assert_eq!(r.json()["allow"], true, "{}", r.text());
    // A request that does not decode is 422 with the engine's code.
    let r = s.post("/v1/decisions", k, json!({"op": "can_use"})).await;
    r.problem(422, "MISSING_FIELD");
    let r = s
        .post("/v1/decisions", k, json!({"op": "can_use", "bogus": 1}))
        .await;
    r.problem(422, "INVALID_BODY");

    // Batch, one audit entry: ids are `<batch>:<index>` and the digest covers the answers.
    let mut reqs = vec![
        ask(&a),
        inline.clone(),
        json!({"op": "can_send", "channel": "email"}),
    ];
    reqs.push(
        json!({"op": "can_use", "subject": {"id": "0190f5a0-0000-7000-8000-000000000000"},
                     "category": "email", "purpose": "support"}),
    );
    reqs.push(json!({"op": "can_use", "nonsense": true}));
    let r = s
        .post("/v1/decisions/batch", k, json!({"requests": reqs}))
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let b = r.json();
    assert_eq!(b["count"], 5, "{b}");
    assert_eq!(b["allowed"], 2, "{b}");
    assert_eq!(b["errors"], 3, "{b}");
    let batch = b["batch_id"].as_str().unwrap().to_string();
    let ds = b["decisions"].as_array().unwrap();
    assert_eq!(ds[0]["decision_id"], format!("{batch}:0"));
    assert_eq!(ds[0]["index"], 0);
    assert_eq!(ds[0]["id"], format!("q-{a}"));
    assert_eq!(ds[0]["allow"], true);
    assert_eq!(ds[2]["error"]["code"], "MISSING_FIELD");
    assert_eq!(ds[3]["error"]["code"], "NOT_FOUND");
    assert_eq!(
        ds[4]["error"]["code"], "BAD_JSON",
        "one bad request does not sink the batch"
    );
    // The digest in the log is over the `decisions` array exactly as sent.
    let text = r.text();
    let start = text.find("\"decisions\":").unwrap() + "\"decisions\":".len();
    let end = text.find(",\"batch_id\":").unwrap();
    let array = &text[start..end];
    assert_eq!(b["decisions_sha256"], sha256_hex(array.as_bytes()));
    let ex = s.get(&format!("/v1/decisions/{batch}:1"), k).await;
    assert_eq!(ex.status, 200, "{}", ex.text());
    let ex = ex.json();
    assert_eq!(ex["batch"]["count"], 5);
    assert_eq!(ex["batch"]["decisions_sha256"], b["decisions_sha256"]);
    s.get(&format!("/v1/decisions/{batch}:5"), k)
        .await
        .problem(404, "NOT_FOUND");
    s.get(&format!("/v1/decisions/{batch}:x"), k)
        .await
        .problem(400, "BAD_ID");

    // Batch with an audit entry per decision.
    let r = s
        .post(
            "/v1/decisions/batch",
            k,
            json!({"requests": [ask(&a), inline], "audit": "each"}),
        )
        .await;
    let b = r.json();
    assert_eq!(b["audit"], "each");
    let id = b["decisions"][0]["decision_id"].as_str().unwrap();
    assert!(!id.contains(':'));
    let ex = s.get(&format!("/v1/decisions/{id}"), k).await.json();
    assert_eq!(ex["replay_matches"], true, "{ex}");

    // One question for many subjects.
    let b2 = s.subject("US-TX", "b@example.com").await;
    s.post(
        "/v1/choices",
        k,
        json!({"subject_id": b2, "choices": [{"key": "sale_opt_out", "value": true}]}),
    )
    .await;
    s.tick();
    let template = json!({"op": "can_disclose", "categories": ["name", "postal_address"],
                          "recipient": "MP1", "purpose": "third_party_promotional_mail"});
    let r = s
        .post(
            "/v1/decisions/batch",
            k,
            json!({"template": template, "subjects": [a, b2, "nope", "0190f5a0-0000-7000-8000-000000000000"]}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let b = r.json();
    let ds = b["decisions"].as_array().unwrap();
    assert_eq!(ds[0]["subject_id"], a.as_str());
    assert_eq!(ds[0]["allow"], true);
    assert_eq!(ds[1]["subject_id"], b2.as_str());
    assert_eq!(ds[1]["reason"], "OPTED_OUT", "{b}");
    assert_eq!(ds[2]["error"]["code"], "BAD_SUBJECT_ID");
    assert_eq!(ds[3]["error"]["code"], "NOT_FOUND");
    assert_eq!(
        (
            b["allowed"].as_u64(),
            b["denied"].as_u64(),
            b["errors"].as_u64()
        ),
        (Some(1), Some(1), Some(2))
    );
    let r = s
        .post(
            "/v1/decisions/batch",
            k,
            json!({"template": template, "subjects": [a, b2], "audit": "each"}),
        )
        .await;
    assert_eq!(
        r.json()["decisions"][1]["reason"],
        "OPTED_OUT",
        "{}",
        r.text()
    );
    let mut with_subject = template.clone();
    with_subject["subject"] = json!({"id": a});
    s.post(
        "/v1/decisions/batch",
        k,
        json!({"template": with_subject, "subjects": [a]}),
    )
    .await
    .problem(422, "TEMPLATE_NAMES_A_SUBJECT");
    s.post(
        "/v1/decisions/batch",
        k,
        json!({"template": template, "subjects": [a], "requests": [ask(&a)]}),
    )
    .await
    .problem(422, "BATCH_FORM");

    // Thousands per call.
    let many: Vec<_> = (0..5000).map(|_| ask(&a)).collect();
    let r = s
        .post("/v1/decisions/batch", k, json!({"requests": many}))
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["allowed"], 5000);
}

#[tokio::test]
async fn batch_size_is_limited() {
    let config = steward_server::ServerConfig {
        batch_max: 3,
        ..Default::default()
    };
    let s = common::spawn_with(config).await;
    let q = json!({"op": "can_use", "subject": {"jurisdiction": "DE"}, "category": "email", "purpose": "support"});
    let r = s
        .post(
            "/v1/decisions/batch",
            &s.admin,
            json!({"requests": [q, q, q, q]}),
        )
        .await;
    r.problem(422, "BATCH_TOO_LARGE");
}

#[tokio::test]
async fn disclosures_need_a_matching_allow_decision() {
    let s = spawn().await;
    let k = &s.admin;
    let id = s.subject("US-TX", "d@example.com").await;
    let d = s
        .post(
            "/v1/decisions",
            k,
            json!({"op": "can_disclose", "subject": {"id": id}, "categories": ["name"],
                   "recipient": "MP1", "purpose": "third_party_promotional_mail"}),
        )
        .await
        .json();
    let decision = d["decision_id"].as_str().unwrap();
    let share = |cats: &[&str]| {
        json!({"decision_id": decision, "subject_id": id, "recipient": "MP1",
               "categories": cats, "purpose": "third_party_promotional_mail"})
    };
    s.post("/v1/disclosures", k, share(&["email"]))
        .await
        .problem(409, "NO_MATCHING_DECISION");
    let mut other = share(&["name"]);
    other["decision_id"] = json!("0190f5a0-0000-7000-8000-000000000000");
    s.post("/v1/disclosures", k, other)
        .await
        .problem(409, "NO_MATCHING_DECISION");
    let r = s.post("/v1/disclosures", k, share(&["name"])).await;
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(r.json()["decision_id"], decision);
    let list = s
        .get(&format!("/v1/subjects/{id}/disclosures"), k)
        .await
        .json();
    assert_eq!(list["disclosures"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn scopes_revocation_and_rate_limits() {
    let s = spawn().await;
    let id = s.subject("US-TX", "s@example.com").await;
    let decide = s.key("svc:checkout", &["decide"], json!({})).await;
    let r = s.get(&format!("/v1/subjects/{id}"), &decide).await;
    let p = r.problem(403, "MISSING_SCOPE");
    assert!(p["detail"].as_str().unwrap().contains("read_pii"));
    let ok = s
        .post(
            "/v1/decisions",
            &decide,
            json!({"op": "can_use", "subject": {"id": id}, "category": "email", "purpose": "support"}),
        )
        .await;
    assert_eq!(ok.status, 200);
    s.get("/v1/keys", &decide)
        .await
        .problem(403, "MISSING_SCOPE");
    // Bad scope, bad name.
    let r = s
        .post(
            "/v1/keys",
            &s.admin.clone(),
            json!({"name": "x", "scopes": ["root"]}),
        )
        .await;
    // Scopes are an enumeration in the schema: an unknown one does not fit the body.
    let p = r.problem(422, "INVALID_BODY");
    assert!(p["detail"].as_str().unwrap().contains("root"), "{p}");
    let r = s
        .post(
            "/v1/keys",
            &s.admin.clone(),
            json!({"name": "Has Spaces", "scopes": ["decide"]}),
        )
        .await;
    r.problem(422, "BAD_KEY_NAME");

    // Listing never shows secrets.
    let list = s.get("/v1/keys", &s.admin.clone()).await;
    assert!(!list.text().contains(&decide));
    let key_id = list.json()["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["name"] == "svc:checkout")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = s
        .call(
            "DELETE",
            &format!("/v1/keys/{key_id}"),
            Some(&s.admin.clone()),
            &[],
            None,
            None,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(r.json()["revoked_at"].is_string());
    s.get("/v1/policy", &decide)
        .await
        .problem(401, "UNAUTHORIZED");

    // A key limited to 2 requests per second (the clock of the limiter is real time, so
    // the third call within the same second is refused).
    let slow = s
        .key("svc:slow", &["decide"], json!({"rate_per_sec": 2}))
        .await;
    let mut statuses = Vec::new();
    for _ in 0..3 {
        statuses.push(s.get("/v1/policy", &slow).await);
    }
    let limited = statuses
        .iter()
        .find(|r| r.status == 429)
        .expect("rate limited");
    limited.problem(429, "RATE_LIMITED");
    assert!(limited.header("retry-after").is_some());

    // The metrics count it all.
    let m = s.get("/metrics", &s.admin.clone()).await;
    assert_eq!(m.status, 200);
    let text = m.text();
    assert!(text.contains("steward_rate_limited_total 1"), "{text}");
    assert!(
        text.contains(
            "steward_http_requests_total{route=\"/v1/decisions\",method=\"POST\",status=\"200\"} 1"
        ),
        "{text}"
    );
    assert!(
        text.contains("steward_decisions_total{allow=\"true\",reason=\"OK\"}"),
        "{text}"
    );
    assert!(text.contains("steward_audit_queue_depth"));
    assert!(
        text.contains("steward_http_request_duration_seconds_bucket{route=\"/v1/subjects/{id}\"")
    );
}

#[tokio::test]
async fn admin_account_keys_reach_only_their_account_and_not_found_equals_not_yours() {
    let s = spawn().await;
    let k = s.admin.clone();
    let owner = s.subject("US-CA", "owner@example.com").await;
    let helper = s.subject("US-CA", "helper@example.com").await;
    let stranger = s.subject("US-CA", "stranger@example.com").await;
    let acc = s.post("/v1/accounts", &k, json!({"owner_id": owner})).await;
    assert_eq!(acc.status, 201, "{}", acc.text());
    let acc = acc.json()["id"].as_str().unwrap().to_string();
    let r = s
        .post(
            &format!("/v1/accounts/{acc}/members"),
            &k,
            json!({"subject_id": helper}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
    // ADMIN-03: no acknowledgement, no grant.
    let r = s
        .post(
            &format!("/v1/accounts/{acc}/grants"),
            &k,
            json!({"grantee_id": helper, "granted_by": owner, "permissions": ["view_pi"], "warning_acknowledged": false}),
        )
        .await;
    r.problem(422, "WARNING_NOT_ACKNOWLEDGED");
    let r = s
        .post(
            &format!("/v1/accounts/{acc}/grants"),
            &k,
            json!({"grantee_id": helper, "granted_by": owner, "permissions": ["view_pi"], "warning_acknowledged": true}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
    let grant = r.json()["id"].as_str().unwrap().to_string();

    let console = s
        .key(
            "console",
            &["read_pii", "write", "choices"],
            json!({"account_id": acc}),
        )
        .await;
    let as_helper = [("X-Steward-Actor", helper.as_str())];
    let get = |who: &str| format!("/v1/subjects/{who}");
    // The helper may view the owner's data, and their own.
    let r = s
        .call("GET", &get(&owner), Some(&console), &as_helper, None, None)
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let r = s
        .call("GET", &get(&helper), Some(&console), &as_helper, None, None)
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    // Not a stranger's: the same answer as a subject that does not exist.
    let theirs = s
        .call(
            "GET",
            &get(&stranger),
            Some(&console),
            &as_helper,
            None,
            None,
        )
        .await;
    let missing = s
        .call(
            "GET",
            &get("0190f5a0-0000-7000-8000-000000000000"),
            Some(&console),
            &as_helper,
            None,
            None,
        )
        .await;
    assert_eq!(
        theirs.problem(404, "NOT_FOUND"),
        missing.problem(404, "NOT_FOUND")
    );
    // view_pi does not give change_pi.
    let b = serde_json::to_vec(&json!({"age": 30})).unwrap();
    let r = s
        .call(
            "PATCH",
            &get(&owner),
            Some(&console),
            &as_helper,
            Some(&b),
            Some("application/json"),
        )
        .await;
    r.problem(404, "NOT_FOUND");
    // ADMIN-07: an administrator cannot change the owner's choices.
    let b = serde_json::to_vec(
        &json!({"subject_id": owner, "choices": [{"key": "sale_opt_out", "value": false}]}),
    )
    .unwrap();
    s.post(
        &format!("/v1/accounts/{acc}/grants/{grant}/revoke"),
        &k,
        json!({}),
    )
    .await;
    // ADMIN-05: revoked at once.
    let r = s
        .call("GET", &get(&owner), Some(&console), &as_helper, None, None)
        .await;
    r.problem(404, "NOT_FOUND");
    // The actor header is required for account keys.
    let r = s.get(&get(&owner), &console).await;
    r.problem(400, "ACTOR_REQUIRED");
    // The owner acting on their own data.
    let as_owner = [("X-Steward-Actor", owner.as_str())];
    let r = s
        .call(
            "POST",
            "/v1/choices",
            Some(&console),
            &as_owner,
            Some(&b),
            Some("application/json"),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
    // ADMIN-09: the owner lists grants, active and revoked.
    let r = s
        .call(
            "GET",
            &format!("/v1/accounts/{acc}/grants"),
            Some(&console),
            &as_owner,
            None,
            None,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(r.json()["grants"][0]["revoked_at"].is_string());
    // Account keys cannot mint keys or create subjects.
    s.post("/v1/subjects", &console, json!({}))
        .await
        .problem(403, "ACCOUNT_KEY");

    // With a fresh grant holding change_pi, the helper still cannot touch the owner's choices.
    let r = s
        .post(
            &format!("/v1/accounts/{acc}/grants"),
            &k,
            json!({"grantee_id": helper, "granted_by": owner, "permissions": ["view_pi", "change_pi"], "warning_acknowledged": true}),
        )
        .await;
    assert_eq!(r.status, 201);
    let r = s
        .call(
            "POST",
            "/v1/choices",
            Some(&console),
            &as_helper,
            Some(&b),
            Some("application/json"),
        )
        .await;
    r.problem(403, "NOT_SUBJECT_OR_AGENT");
    // ADMIN-04: the administrator's reads are attributed to the individual.
    let r = s
        .call("GET", &get(&owner), Some(&console), &as_helper, None, None)
        .await;
    assert_eq!(r.status, 200);
    let audit = s
        .get(&format!("/v1/audit?subject_id={owner}"), &k)
        .await
        .json();
    assert!(
        audit["entries"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["actor"]["id"] == helper.as_str()),
        "{audit}"
    );
}

#[tokio::test]
async fn bad_input_is_a_4xx_problem_never_a_500() {
    let s = spawn().await;
    let k = &s.admin;
    let bad_json = s
        .call(
            "POST",
            "/v1/subjects",
            Some(k),
            &[],
            Some(b"{\"kind\": "),
            Some("application/json"),
        )
        .await;
    bad_json.problem(400, "BAD_JSON");
    let unknown = s.post("/v1/subjects", k, json!({"nickname": "x"})).await;
    let p = unknown.problem(422, "INVALID_BODY");
    assert!(
        p["detail"].as_str().unwrap().contains("unknown field"),
        "{p}"
    );
    let wrong_type = s.post("/v1/subjects", k, json!({"age": "old"})).await;
    wrong_type.problem(422, "INVALID_BODY");
    let no_ct = s
        .call(
            "POST",
            "/v1/subjects",
            Some(k),
            &[],
            Some(b"{}"),
            Some("text/plain"),
        )
        .await;
    no_ct.problem(415, "UNSUPPORTED_MEDIA_TYPE");
    let big = vec![b' '; 2 << 20];
    let mut body = b"{\"identities\":[]".to_vec();
    body.extend_from_slice(&big);
    body.push(b'}');
    let r = s
        .call(
            "POST",
            "/v1/subjects",
            Some(k),
            &[],
            Some(&body),
            Some("application/json"),
        )
        .await;
    r.problem(413, "BODY_TOO_LARGE");
    s.get("/v1/nowhere", k).await.problem(404, "NO_ROUTE");
    let r = s
        .call(
            "PUT",
            "/v1/subjects",
            Some(k),
            &[],
            Some(b"{}"),
            Some("application/json"),
        )
        .await;
    r.problem(405, "METHOD_NOT_ALLOWED");
    s.get("/v1/items/123?purpose=support", k)
        .await
        .problem(400, "BAD_ID");
    s.get("/v1/audit?limit=abc", k)
        .await
        .problem(400, "BAD_QUERY");
    s.get("/v1/audit?kind=nope", k)
        .await
        .problem(400, "BAD_QUERY");
    s.get("/v1/audit?bogus=1", k)
        .await
        .problem(400, "BAD_QUERY");
    s.get("/v1/audit?after=18446744073709551615", k)
        .await
        .problem(400, "BAD_QUERY");
    // Blank parameters (as HTML forms send them) are absent, not empty strings.
    let r = s.get("/v1/audit?subject_id=&kind=&limit=5", k).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let r = s
        .post(
            "/v1/subjects",
            k,
            json!({"identities": [{"kind": "email", "value": "not an address"}]}),
        )
        .await;
    r.problem(422, "BAD_IDENTITY");
    // A subject that failed validation left nothing behind.
    let r = s
        .post(
            "/v1/subjects/lookup",
            k,
            json!({"kind": "email", "value": "x@example.com"}),
        )
        .await;
    assert_eq!(r.json()["subject_ids"], json!([]));
    let r = s
        .post(
            "/v1/decisions",
            k,
            json!({"op": "can_use", "subject": {"id": "nope"}, "category": "email"}),
        )
        .await;
    r.problem(422, "BAD_SUBJECT_ID");
}

#[tokio::test]
async fn audit_verifies_and_shutdown_flushes_it() {
    let mut s = spawn().await;
    let k = s.admin.clone();
    let id = s.subject("DE", "v@example.com").await;
    for _ in 0..5 {
        s.post(
            "/v1/decisions",
            &k,
            json!({"op": "can_use", "subject": {"id": id}, "category": "email", "purpose": "support"}),
        )
        .await;
    }
    let r = s.post("/v1/audit/verify", &k, json!({})).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let v = r.json();
    assert_eq!(v["ok"], true, "{v}");
    assert!(v["entries"].as_u64().unwrap() >= 7);
    let page = s.get("/v1/audit?kind=decision&limit=2", &k).await.json();
    assert_eq!(page["entries"].as_array().unwrap().len(), 2);
    let next = page["next_after"].as_u64().unwrap();
    let page2 = s
        .get(&format!("/v1/audit?kind=decision&limit=2&after={next}"), &k)
        .await
        .json();
    assert!(page2["entries"][0]["seq"].as_u64().unwrap() > next);

    let steward = s.steward.clone();
    s.stop().await;
    // After a graceful stop, everything acknowledged is in a verifiable log.
    let report = steward.verify_audit().await.unwrap().unwrap();
    assert!(report.entries >= 9, "{report:?}");
    assert!(
        report.checkpoints >= 1,
        "a final checkpoint is signed at shutdown"
    );
}

#[tokio::test]
async fn policy_version_notice_and_tests() {
    let s = spawn().await;
    let k = &s.admin;
    let p = s.get("/v1/policy", k).await.json();
    assert_eq!(p["version"], "2020-01-17");
    assert!(p["categories"].as_u64().unwrap() > 10);
    let n = s.get("/v1/policy/notice", k).await;
    assert_eq!(n.status, 200);
    assert!(n.header("content-type").unwrap().starts_with("text/html"));
    assert!(n.text().contains("2020-01-17"));
    let m = s.get("/v1/policy/notice?format=markdown", k).await;
    assert!(
        m.header("content-type")
            .unwrap()
            .starts_with("text/markdown")
    );
    s.get("/v1/policy/notice?format=pdf", k)
        .await
        .problem(400, "BAD_QUERY");
    let t = s.get("/v1/policy/tests", k).await;
    assert_eq!(t.status, 200, "{}", t.text());
    let t = t.json();
    assert!(t["total"].as_u64().unwrap() > 100, "{t}");
    assert_eq!(t["failed"], 0, "{t}");
}

#[tokio::test]
async fn demo_seeds_a_living_system_once() {
    let s = spawn().await;
    let r = steward_server::demo::seed(&s.steward).await.unwrap();
    assert_eq!(r.customers, steward_server::demo::CUSTOMERS);
    assert!(r.items > 100 && r.accounts >= 5 && r.grants >= 5 && r.recipients > 0);
    assert!(r.disclosures > 0 && r.denied_disclosures > 0, "{r}");
    assert!(r.choices > 10);
    // CUST-01, SRC-09: every business Customer accepted the undertaking, so the ship-to
    // recipients collected for them are stored, not refused.
    assert!(r.agreements >= r.accounts, "{r}");
    assert_eq!(r.items, r.customers * 3 + r.recipients, "{r}");
    assert_eq!(r.refused_items, 0, "{r}");
    // CARRIER-01: the Customers that accepted the carrier notice selected a carrier, and
    // their recipients' shipment data went to it on the strength of that record.
    assert!(r.carrier_selections > 0, "{r}");
    assert!(r.carrier_disclosures > 0, "{r}");
    // BIZ-03: a change-of-control notice still owed to customer0040 holds its promotions.
    assert_eq!(r.change_of_control_notices, 2, "{r}");
    // ADMIN-04: administrators looked at their holders' data (the holders see it).
    assert_eq!(r.admin_actions, r.grants, "{r:?}");
    let held = s
        .post(
            "/v1/subjects/lookup",
            &s.admin.clone(),
            json!({"kind": "email", "value": "customer0040@example.test"}),
        )
        .await
        .json();
    let held = held["subject_ids"][0].as_str().unwrap().to_string();
    let notices = s
        .get(
            &format!("/v1/subjects/{held}/change-of-control"),
            &s.admin.clone(),
        )
        .await
        .json();
    assert_eq!(notices["notices"][0]["pending"], true, "{notices}");
    let again = steward_server::demo::seed(&s.steward).await.unwrap();
    assert!(again.already_seeded);
    let v = s
        .post("/v1/audit/verify", &s.admin.clone(), json!({}))
        .await
        .json();
    assert_eq!(v["ok"], true);
}
