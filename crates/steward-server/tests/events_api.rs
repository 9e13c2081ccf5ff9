//! Usage data over HTTP: `POST /v1/events` (per-event problems, `Sec-GPC`, the IP key),
//! the log-in security log, aggregates, location, USPS scans, chat, surveys, retention and
//! partner signals — the real server on 127.0.0.1:0 with a fresh SQLite store.
#![expect(
    clippy::unwrap_used,
    reason = "test code: a failed step fails the test"
)]

mod common;

use std::sync::Arc;

use common::{Server, spawn};
use serde_json::{Value, json};
use steward_core::ingest::{IngestConfig, Ingestor};
use steward_vault::KeyRing;

async fn spawn_events() -> Server {
    let s = spawn().await;
    let ring = KeyRing::ephemeral().unwrap();
    let ing = Ingestor::new(
        s.steward.clone(),
        ring.ip_pseudonymizer(),
        IngestConfig {
            device_ttl: std::time::Duration::ZERO,
            ..IngestConfig::default()
        },
    )
    .unwrap();
    assert!(s.state.set_ingestor(Arc::new(ing)));
    s
}

async fn post_raw(s: &Server, key: &str, headers: &[(&str, &str)], body: &[u8]) -> common::Reply {
    s.call(
        "POST",
        "/v1/events",
        Some(key),
        headers,
        Some(body),
        Some("application/json"),
    )
    .await
}

async fn post_events(s: &Server, key: &str, headers: &[(&str, &str)], events: Value) -> Value {
    let r = post_raw(s, key, headers, &serde_json::to_vec(&events).unwrap()).await;
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()
}

#[tokio::test]
async fn ipps_02_without_the_ip_key_events_answer_503_and_nothing_is_stored() {
    let s = spawn().await;
    let events = s.key("edge", &["events"], json!({})).await;
    let r = post_raw(
        &s,
        &events,
        &[],
        br#"[{"type":"page_view","tracker":"analytics_uid","ip":"203.0.113.7","cookie_id":"c1","jurisdiction":"US-TX"}]"#,
    )
    .await;
    r.problem(503, "IP_KEY_MISSING");
    s.post(
        "/v1/logins",
        &s.admin,
        json!({"subject_id": "0190e3c4-0000-7000-8000-000000000001", "ip": "192.0.2.1"}),
    )
    .await
    .problem(503, "IP_KEY_MISSING");
    let counts = s
        .steward
        .store()
        .ingest_counts("2024-01-01".parse().unwrap(), "2024-12-31".parse().unwrap())
        .await
        .unwrap();
    assert!(counts.is_empty(), "nothing was ingested: {counts:?}");
}

#[tokio::test]
async fn cookie_11_a_bad_element_is_a_per_event_problem_and_never_fails_the_batch() {
    let s = spawn_events().await;
    let key = s.key("edge", &["events"], json!({})).await;
    let report = post_events(
        &s,
        &key,
        &[],
        json!([
            {"type": "page_view", "tracker": "analytics_uid", "cookie_id": "c-tx", "ip": "203.0.113.7",
             "page": "https://stamps.example/pricing?utm=1", "browser": "firefox", "jurisdiction": "US-TX"},
            {"type": 7},
            {"type": "page_view", "tracker": "analytics_uid", "cookie_id": "c-tx", "ip": "not-an-ip", "jurisdiction": "US-TX"},
            {"type": "page_view", "tracker": "analytics_uid", "cookie_id": "c-fr", "jurisdiction": "FR"},
            "just a string"
        ]),
    )
    .await;
    assert_eq!(report["accepted"], 1, "{report}");
    assert_eq!(report["dropped"], 1, "{report}");
    assert_eq!(report["rejected"], 3, "{report}");
    let reasons: Vec<(u64, String, String)> = report["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["index"].as_u64().unwrap(),
                r["outcome"].as_str().unwrap().to_string(),
                r["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        reasons,
        vec![
            (1, "rejected".into(), "MALFORMED_EVENT".into()),
            (2, "rejected".into(), "BAD_IP".into()),
            (3, "dropped".into(), "CONSENT_REQUIRED".into()),
            (4, "rejected".into(), "MALFORMED_EVENT".into()),
        ]
    );
    // The answer never carries the address.
    assert!(!report.to_string().contains("203.0.113.7"));
    // Whole-body problems are still 4xx: not JSON, not an array.
    post_raw(&s, &key, &[], b"[{")
        .await
        .problem(400, "BAD_JSON");
    post_raw(&s, &key, &[], br#"{"type":"page_view"}"#)
        .await
        .problem(422, "INVALID_BODY");
    // The ingest counters are on /metrics.
    let text = s.get("/metrics", &key).await.text();
    assert!(
        text.contains("steward_events_ingested_total{outcome=\"rejected\"} 3"),
        "{text}"
    );
    assert!(text.contains("steward_events_ingested_total{outcome=\"accepted\"} 1"));
}

#[tokio::test]
async fn gpc_01_03_the_sec_gpc_header_applies_to_every_event_of_the_batch() {
    let s = spawn_events().await;
    let key = s.key("edge", &["events"], json!({})).await;
    let pixel = |cookie: &str| json!({"type": "page_view", "tracker": "ads_pixel_3p", "cookie_id": cookie, "jurisdiction": "US-CA"});
    let without = post_events(&s, &key, &[], json!([pixel("c-ca-1")])).await;
    assert_eq!(without["accepted"], 1, "{without}");
    let with = post_events(
        &s,
        &key,
        &[("Sec-GPC", "1")],
        json!([pixel("c-ca-2"), pixel("c-ca-3")]),
    )
    .await;
    assert_eq!(with["dropped"], 2, "{with}");
    assert!(
        with["results"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["reason"] == "OPTED_OUT"),
        "{with}"
    );
    // GPC-10: persisted for the device; the next batch without the header is still dropped.
    let again = post_events(&s, &key, &[], json!([pixel("c-ca-2")])).await;
    assert_eq!(again["dropped"], 1, "{again}");
    // And its partner signals say so (US Privacy `1YYN`).
    let decide = s.key("signals", &["decide"], json!({})).await;
    let r = s
        .get("/v1/signals?cookie_id=c-ca-2&jurisdiction=US-CA", &decide)
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let sig = r.json();
    assert_eq!(sig["us_privacy"], "1YYN", "{sig}");
    assert_eq!(sig["gpc"], true);
    let r = s
        .get("/v1/signals?cookie_id=c-ca-9&jurisdiction=US-CA", &decide)
        .await;
    assert_eq!(r.json()["us_privacy"], "1YNN");
    s.get("/v1/signals?jurisdiction=US-CA", &decide)
        .await
        .problem(400, "BAD_QUERY");
}

#[tokio::test]
async fn scopes_events_aggregates_security_are_least_privilege() {
    let s = spawn_events().await;
    let events = s.key("edge", &["events"], json!({})).await;
    let write = s.key("app", &["write"], json!({})).await;
    let agg = s.key("bi", &["aggregates"], json!({})).await;
    let sec = s.key("soc", &["security"], json!({})).await;
    post_raw(&s, &write, &[], b"[]")
        .await
        .problem(403, "MISSING_SCOPE");
    let r = post_raw(&s, &events, &[], b"[]").await;
    assert_eq!(r.status, 200, "{}", r.text());
    // An events key reads nothing back.
    s.get("/v1/events/aggregate?group_by=page", &events)
        .await
        .problem(403, "MISSING_SCOPE");
    let r = s.get("/v1/events/aggregate?group_by=page", &agg).await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(r.json()["groups"].is_array());
    s.get("/v1/events/aggregate?group_by=nope", &agg)
        .await
        .problem(400, "BAD_QUERY");
    let r = s.get("/v1/usps/aggregate?group_by=zip3", &agg).await;
    assert_eq!(r.status, 200, "{}", r.text());

    // IPPS-05: log-ins recorded with `write`, read back only with `security`.
    let subject = s.subject("US-TX", "login@example.com").await;
    let r = s
        .post(
            "/v1/logins",
            &write,
            json!({"subject_id": subject, "ip": "198.51.100.23"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
    s.get(
        &format!("/v1/subjects/{subject}/logins?purpose=login_security"),
        &agg,
    )
    .await
    .problem(403, "MISSING_SCOPE");
    let r = s
        .get(
            &format!("/v1/subjects/{subject}/logins?purpose=login_security"),
            &sec,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let logins = r.json();
    assert_eq!(logins["logins"][0]["ip"], "198.51.100.23", "{logins}");
    let r = s
        .get(
            &format!("/v1/subjects/{subject}/logins?purpose=ad_customization"),
            &sec,
        )
        .await;
    r.problem(403, "DENIED");
}

#[tokio::test]
async fn usps_chat_surveys_location_retention_over_http() {
    let s = spawn_events().await;
    let k = s.admin.clone();
    let subject = s.subject("US-TX", "shipper@example.com").await;
    // USPS-04: scans, each checked alone.
    let r = s
        .post(
            "/v1/usps/scans",
            &k,
            json!({"scans": [
                {"pic": "9400111899223344556677", "event": "accepted", "zip": "94107", "subject_id": subject},
                {"pic": "x", "event": "accepted"}
            ]}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let rep = r.json();
    assert_eq!(
        (rep["accepted"].as_u64(), rep["rejected"].as_u64()),
        (Some(1), Some(1)),
        "{rep}"
    );
    let r = s.get("/v1/usps/packages/9400111899223344556677", &k).await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["scans"][0]["zip3"], "941");
    s.get(
        &format!("/v1/subjects/{subject}/usps-scans?purpose=ad_customization"),
        &k,
    )
    .await
    .problem(403, "DENIED");

    // USPS-03: a derivative of USPS regulatory data inherits the lock.
    let r = s
        .post(
            "/v1/datasets",
            &k,
            json!({"name": "usps_ops", "categories": ["usps_regulatory_data", "pages_viewed"]}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
    let ds = r.json()["id"].as_str().unwrap().to_string();
    let r = s
        .post(
            &format!("/v1/datasets/{ds}/use"),
            &k,
            json!({"purpose": "service_improvement"}),
        )
        .await;
    let p = r.problem(403, "DENIED");
    assert_eq!(p["decision"]["reason"], "USPS_PURPOSE_LOCK");

    // CHAT-01, CHAT-03: plain HTTP refused; card numbers masked.
    let chat = |transport: &str| {
        json!({"subject_id": subject, "ticket": "T-1", "transport": transport,
               "minimization_notice_shown": true,
               "messages": [{"from": "customer", "text": "my card is 4111 1111 1111 1111"}]})
    };
    s.post("/v1/chat/transcripts", &k, chat("http"))
        .await
        .problem(422, "ENCRYPTION_REQUIRED");
    let r = s.post("/v1/chat/transcripts", &k, chat("tls1.3")).await;
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(r.json()["redactions"]["pan"], 1);
    let r = s
        .post(
            "/v1/tickets/T-1/close",
            &k,
            json!({"closed_at": "2024-03-04T18:00:00Z"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["items"].as_array().unwrap().len(), 1);

    // SURVEY-01: optional, with a notice.
    s.post(
        "/v1/surveys/check",
        &k,
        json!({"id": "nps", "notice": "to improve", "required": true}),
    )
    .await
    .problem(422, "SURVEY_CANNOT_BE_REQUIRED");
    let r = s
        .post(
            "/v1/surveys/answers",
            &k,
            json!({"subject_id": subject, "survey": {"id": "nps", "notice": "to improve the service"}, "answers": {}}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["stored"], false, "a decline stores nothing");

    // GEO-01: location services off → refused and counted, not stored.
    let r = s
        .post(
            &format!("/v1/subjects/{subject}/location"),
            &k,
            json!({"gps": [{"lat": 37.77, "lon": -122.41, "at": "2024-03-04T16:00:00Z"}]}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["stored"], 0);
    assert_eq!(r.json()["reason"], "NOT_ENABLED");

    // RET-*: a dry run counts and changes nothing.
    let r = s
        .post("/v1/retention/run?dry_run=true", &k, json!({}))
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["dry_run"], true);
    let write = s.key("app", &["write"], json!({})).await;
    s.post("/v1/retention/run?dry_run=true", &write, json!({}))
        .await
        .problem(403, "MISSING_SCOPE");

    // The subject's signals (Texas: CCPA does not apply).
    let r = s.get(&format!("/v1/subjects/{subject}/signals"), &k).await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["us_privacy"], "1---");
}

#[tokio::test]
async fn ccpa_13_choices_route_queues_partner_notifications_for_opt_outs() {
    let s = spawn_events().await;
    let k = s.admin.clone();
    let subject = s.subject("US-TX", "sold@example.com").await;
    let opt_out =
        json!({"subject_id": subject, "choices": [{"key": "sale_opt_out", "value": true}]});
    // No disclosure to a sale partner yet: nothing to notify.
    let r = s.post("/v1/choices", &k, opt_out.clone()).await;
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(r.json()["partners_notified"], 0);
    // Withdraw it, share with MP1 (a partner the data is sold to), opt out again.
    let r = s
        .post(
            "/v1/choices/withdraw",
            &k,
            json!({"subject_id": subject, "keys": ["sale_opt_out"]}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
    let d = s
        .post(
            "/v1/decisions",
            &k,
            json!({"op": "can_disclose", "subject": {"id": subject}, "categories": ["name"],
                   "recipient": "MP1", "purpose": "third_party_promotional_mail"}),
        )
        .await
        .json();
    assert_eq!(d["allow"], true, "{d}");
    let r = s
        .post(
            "/v1/disclosures",
            &k,
            json!({"decision_id": d["decision_id"], "subject_id": subject, "recipient": "MP1",
                   "categories": ["name"], "purpose": "third_party_promotional_mail"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
    let r = s.post("/v1/choices", &k, opt_out).await;
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(r.json()["partners_notified"], 1, "MP1 is told (CCPA-13)");
    let open = s.steward.store().open_notifications(100).await.unwrap();
    assert_eq!(open.len(), 1);
    assert_eq!(open[0].recipient.as_str(), "MP1");
}

#[tokio::test]
async fn ret_01_lifecycle_events_over_http_set_deadlines_and_the_dry_run_explains() {
    let s = spawn().await;
    let subject = s.subject("US-TX", "life@example.com").await;
    let write = s.key("app", &["write"], json!({})).await;
    let reader = s.key("viewer", &["read_pii"], json!({})).await;
    let r = s
        .post(
            "/v1/items",
            &write,
            json!({"subject_id": subject, "category": "email", "value": "life@example.com",
                   "source": "direct:registration", "purpose": "account_registration"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
    let item = r.json()["item"]["id"].as_str().unwrap().to_string();
    // A cache derived from it (RET-06).
    let r = s
        .post(
            "/v1/items",
            &write,
            json!({"subject_id": subject, "category": "transaction_history", "value": "cache",
                   "source": "direct:service_use", "purpose": "service_provision",
                   "derived_from": [item]}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text());

    let path = format!("/v1/subjects/{subject}/lifecycle");
    let r = s
        .post(
            &path,
            &write,
            json!({"event": "account_closed", "at": "2020-01-01T00:00:00Z"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let j = r.json();
    assert_eq!(j["event"]["event"], "account_closed");
    let changed = j["items"].as_array().unwrap();
    assert!(
        changed
            .iter()
            .any(|c| c["item_id"] == item.as_str() && c["retain_until"] == "2023-01-02T00:00:00Z"),
        "{j}"
    );
    assert!(!r.text().contains("life@example.com"));

    // Least privilege: reading needs read_pii, writing needs write.
    s.post(&path, &reader, json!({"event": "last_activity"}))
        .await
        .problem(403, "MISSING_SCOPE");
    s.get(&path, &write).await.problem(403, "MISSING_SCOPE");
    let r = s.get(&path, &reader).await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["events"][0]["at"], "2020-01-01T00:00:00Z");

    // Problems: a future time, an unknown event, an unknown subject.
    s.post(
        &path,
        &write,
        json!({"event": "contract_end", "at": "2999-01-01T00:00:00Z"}),
    )
    .await
    .problem(422, "TIME_IN_FUTURE");
    let r = s.post(&path, &write, json!({"event": "deleted"})).await;
    assert!(r.status == 400 || r.status == 422, "{}", r.text());
    s.post(
        "/v1/subjects/00000000-0000-4000-8000-000000000000/lifecycle",
        &write,
        json!({"event": "account_closed"}),
    )
    .await
    .problem(404, "NOT_FOUND");

    // The dry run lists the e-mail with its clock, and the cache with its source.
    let r = s
        .post("/v1/retention/run?dry_run=true", &s.admin, json!({}))
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let due = r.json()["due"].as_array().unwrap().clone();
    let email = due.iter().find(|d| d["item_id"] == item.as_str()).unwrap();
    assert_eq!(email["clock"], "account_closed");
    assert_eq!(email["clock_at"], "2020-01-01T00:00:00Z");
    assert!(
        due.iter()
            .any(|d| d["derived_from"] == item.as_str() && d["rule"] == "with_source"),
        "{due:?}"
    );
}
