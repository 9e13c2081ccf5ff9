//! Data subject requests over HTTP: the real server on 127.0.0.1:0 with a fresh SQLite
//! store, a manual clock and a file outbox in a temporary directory; codes are read from the
//! outbox like an operator (or the subject's mailbox) would.
#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed step fails the test"
)]

mod common;

use std::time::Duration;

use common::{Server, spawn, spawn_with};
use serde_json::{Value, json};
use steward_requests::{Requests, RequestsConfig};

async fn spawn_dsr() -> Server {
    dsr_on(spawn().await)
}

fn dsr_on(s: Server) -> Server {
    let r = Requests::new(
        s.steward.clone(),
        RequestsConfig::default(),
        effects(s.dir.path()),
    );
    assert!(s.state.set_requests(r));
    s
}

/// The workflow's effects for these tests: the real file outbox in `<dir>/outbox` (codes
/// are read from it like a mailbox), in-memory fakes for webhooks, datasets and secrets.
fn effects(dir: &std::path::Path) -> steward_requests::Effects {
    let mut e = steward_requests::fakes::Fakes::new().effects();
    e.mailer = std::sync::Arc::new(
        steward_adapters::FileOutbox::new(dir.join("outbox"), "privacy@localhost.localdomain")
            .unwrap(),
    );
    e
}

/// The messages of the file outbox, oldest first.
fn outbox(s: &Server) -> Vec<String> {
    steward_adapters::read_file_outbox(&s.dir.path().join("outbox"))
        .unwrap_or_default()
        .into_iter()
        .map(|(_, t)| t)
        .collect()
}

/// The last one-time code sent.
fn last_code(s: &Server) -> String {
    let all = outbox(s);
    let msg = all
        .iter()
        .rev()
        .find(|m| m.contains("confirmation code"))
        .expect("a code message");
    msg.split("is:\r\n\r\n    ").nth(1).unwrap()[..6].to_string()
}

async fn public_post(s: &Server, path: &str, body: Value) -> common::Reply {
    let b = serde_json::to_vec(&body).unwrap();
    s.call("POST", path, None, &[], Some(&b), Some("application/json"))
        .await
}

/// Submit publicly, verify with the code from the outbox, approve with a `dsr` key.
async fn submit_verified(s: &Server, dsr: &str, kind: &str, email: &str) -> String {
    let r = public_post(
        s,
        "/v1/requests",
        json!({"kind": kind, "email": email, "jurisdiction": "US-CA", "channel": "privacy_center"}),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text());
    let a = r.json();
    assert_eq!(a["state"], "awaiting_verification");
    assert_eq!(a["verification"], "email_code");
    let id = a["request_id"].as_str().unwrap().to_string();
    let code = last_code(s);
    let r = public_post(
        s,
        &format!("/v1/requests/{id}/verify"),
        json!({"code": code}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["state"], "verified");
    let r = s
        .post(
            &format!("/v1/requests/{id}/approve"),
            dsr,
            json!({"data_points": 2, "signed_declaration": true}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["state"], "approved");
    id
}

#[tokio::test]
async fn rights_04_access_and_deletion_through_http_to_a_receipt() {
    let s = spawn_dsr().await;
    let dsr = s.key("svc:privacy-team", &["dsr"], json!({})).await;
    let subject = s.subject("US-CA", "jane@example.com").await;

    // Access: public intake, code from the outbox, approval, run, receipt, reports.
    let access = submit_verified(&s, &dsr, "access", "jane@example.com").await;
    let r = s.get(&format!("/v1/requests/{access}"), &dsr).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let view = r.json();
    assert_eq!(
        view["subject"],
        subject.as_str(),
        "found by the blind index"
    );
    assert_eq!(view["kind"], "access");
    assert!(
        view["regimes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["regime"] == "CCPA"),
        "{view}"
    );
    let r = s
        .post(&format!("/v1/requests/{access}/run"), &dsr, json!({}))
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["state"], "completed");
    let r = s.get(&format!("/v1/requests/{access}/receipt"), &dsr).await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["state"], "completed");
    let r = s.get(&format!("/v1/requests/{access}/report"), &dsr).await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert_eq!(r.header("cache-control"), Some("no-store"));
    assert!(
        r.header("content-disposition")
            .unwrap()
            .starts_with("attachment")
    );
    r.json();
    for (format, ct) in [
        ("csv", "text/csv"),
        ("html", "text/html"),
        ("portable", "application/json"),
    ] {
        let r = s
            .get(
                &format!("/v1/requests/{access}/report?format={format}"),
                &dsr,
            )
            .await;
        assert_eq!(r.status, 200, "{format}: {}", r.text());
        assert!(
            r.header("content-type").unwrap().starts_with(ct),
            "{format}"
        );
    }
    s.get(&format!("/v1/requests/{access}/report?format=pdf"), &dsr)
        .await
        .problem(422, "UNKNOWN_FORMAT");

    // Deletion: the same path; the run erases the vault and the receipt lists it.
    let deletion = submit_verified(&s, &dsr, "deletion", "jane@example.com").await;
    let r = s.get(&format!("/v1/requests/{deletion}"), &dsr).await;
    assert!(r.json()["plan"].is_object(), "plan computed at approval");
    let r = s
        .post(&format!("/v1/requests/{deletion}/run"), &dsr, json!({}))
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let out = r.json();
    assert_eq!(out["state"], "completed", "{out}");
    let r = s
        .get(&format!("/v1/requests/{deletion}/receipt"), &dsr)
        .await;
    let receipt = r.json();
    assert_eq!(receipt["state"], "completed");
    assert!(
        receipt["systems"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["system"].as_str().unwrap().contains("vault")),
        "{receipt}"
    );
    assert!(receipt["sha256"].as_str().unwrap().len() == 64, "{receipt}");
    // Running it again is refused (completed), never done twice.
    s.post(&format!("/v1/requests/{deletion}/run"), &dsr, json!({}))
        .await
        .problem(409, "NOT_APPROVED");

    // The queue: closed requests only with `all=true`.
    let r = s.get("/v1/requests", &dsr).await;
    assert_eq!(r.json()["requests"].as_array().unwrap().len(), 0);
    let r = s.get("/v1/requests?all=true&limit=1", &dsr).await;
    let page = r.json();
    assert_eq!(page["requests"].as_array().unwrap().len(), 1);
    let next = &page["next"];
    let r = s
        .get(
            &format!(
                "/v1/requests?all=true&limit=5&after_due={}&after_id={}",
                next["after_due"].as_str().unwrap(),
                next["after_id"].as_str().unwrap()
            ),
            &dsr,
        )
        .await;
    assert_eq!(r.json()["requests"].as_array().unwrap().len(), 1);
    s.get("/v1/requests?state=nope", &dsr)
        .await
        .problem(400, "BAD_QUERY");
    s.get("/v1/requests?after_due=2024-01-01T00:00:00Z", &dsr)
        .await
        .problem(400, "BAD_QUERY");

    // Every step is in the audit log, which still verifies.
    let r = s.post("/v1/audit/verify", &s.admin, json!({})).await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["ok"], true, "{}", r.text());
}

#[tokio::test]
async fn rights_public_intake_does_not_reveal_whether_an_address_has_an_account() {
    let s = spawn_dsr().await;
    s.subject("US-CA", "known@example.com").await;
    let mut answers = Vec::new();
    for email in ["known@example.com", "nobody@example.com"] {
        let r = public_post(
            &s,
            "/v1/requests",
            json!({"kind": "deletion", "email": email}),
        )
        .await;
        assert_eq!(r.status, 201, "{}", r.text());
        let mut a = r.json();
        assert!(a["request_id"].is_string());
        a.as_object_mut().unwrap().remove("request_id");
        answers.push((a, r.headers.len()));
    }
    assert_eq!(answers[0], answers[1], "the same answer for both");
    // Both got a code: only the mailbox owner learns more.
    assert_eq!(
        outbox(&s)
            .iter()
            .filter(|m| m.contains("confirmation code"))
            .count(),
        2
    );
    // A wrong code is refused with the attempts left; an unknown request is 404.
    let r = s.get("/v1/requests", &s.admin).await;
    let id = r.json()["requests"][0]["id"].as_str().unwrap().to_string();
    public_post(
        &s,
        &format!("/v1/requests/{id}/verify"),
        json!({"code": "000000"}),
    )
    .await
    .problem(422, "CODE_INVALID");
    public_post(
        &s,
        "/v1/requests/0190e3c4-0000-7000-8000-000000000001/verify",
        json!({"code": "123456"}),
    )
    .await
    .problem(404, "NOT_FOUND");
    public_post(
        &s,
        "/v1/requests/not-an-id/verify",
        json!({"code": "123456"}),
    )
    .await
    .problem(400, "BAD_ID");
    // A fresh code can be asked for.
    let r = s
        .call(
            "POST",
            &format!("/v1/requests/{id}/code"),
            None,
            &[],
            None,
            None,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
}

#[tokio::test]
async fn staff_fields_and_scopes_are_enforced() {
    let s = spawn_dsr().await;
    let decide = s.key("svc:decide", &["decide"], json!({})).await;
    let dsr = s.key("svc:dsr", &["dsr"], json!({})).await;
    // Public intake cannot act as staff.
    public_post(
        &s,
        "/v1/requests",
        json!({"kind": "access", "email": "a@example.com", "requester": "admin"}),
    )
    .await
    .problem(422, "NOT_STAFF");
    public_post(
        &s,
        "/v1/requests",
        json!({"kind": "access", "email": "a@example.com", "preverified": "kba"}),
    )
    .await
    .problem(422, "STAFF_ONLY_FIELD");
    public_post(
        &s,
        "/v1/requests",
        json!({"kind": "access", "email": "a@x.example", "extra": 1}),
    )
    .await
    .problem(422, "INVALID_BODY");
    public_post(
        &s,
        "/v1/requests",
        json!({"kind": "teleport", "email": "a@x.example"}),
    )
    .await
    .problem(422, "UNKNOWN_REQUEST_KIND");
    // A key without `dsr` cannot submit as staff nor read the queue.
    s.post(
        "/v1/requests",
        &decide,
        json!({"kind": "access", "email": "a@example.com"}),
    )
    .await
    .problem(403, "MISSING_SCOPE");
    s.get("/v1/requests", &decide)
        .await
        .problem(403, "MISSING_SCOPE");
    s.call("GET", "/v1/requests", None, &[], None, None)
        .await
        .problem(401, "UNAUTHORIZED");
    s.get("/v1/requests/alerts", &decide)
        .await
        .problem(403, "MISSING_SCOPE");
    // A bad key on the public route is refused, not treated as public.
    s.post(
        "/v1/requests",
        "stw_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        json!({"kind": "access", "email": "a@example.com"}),
    )
    .await
    .problem(401, "UNAUTHORIZED");
    // Staff submit on someone's behalf, verified by a support call.
    let subject = s.subject("US-CA", "b@example.com").await;
    let r = s
        .post(
            "/v1/requests",
            &dsr,
            json!({"kind": "deletion", "subject_id": subject, "preverified": "support_call_kba",
                   "channel": "support", "received_at": "2024-03-01T10:00:00Z"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
    let a = r.json();
    assert_eq!(a["state"], "verified", "{a}");
    let id = a["request_id"].as_str().unwrap();
    let r = s.get(&format!("/v1/requests/{id}"), &dsr).await;
    assert_eq!(r.json()["received_at"], "2024-03-01T10:00:00Z");
    // Extend, more information, deny — with their rules.
    s.post(
        &format!("/v1/requests/{id}/extend"),
        &dsr,
        json!({"days": 5, "months": 1}),
    )
    .await
    .problem(422, "BAD_EXTENSION");
    let r = s
        .post(
            &format!("/v1/requests/{id}/extend"),
            &dsr,
            json!({"reason": "several systems to search", "days": 30}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(r.json()["extension"].is_object(), "{}", r.text());
    s.post(
        &format!("/v1/requests/{id}/more-information"),
        &dsr,
        json!({"fields": ["government_id"]}),
    )
    .await
    .problem(422, "DISPROPORTIONATE_VERIFICATION");
    s.post(
        &format!("/v1/requests/{id}/deny"),
        &dsr,
        json!({"reason": "excessive"}),
    )
    .await
    .problem(422, "JUSTIFICATION_REQUIRED");
    let r = s
        .post(
            &format!("/v1/requests/{id}/deny"),
            &dsr,
            json!({"reason": "fraudulent", "justification": "documented pattern"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["state"], "denied");
    // Connectors and holds need `admin`.
    s.get("/v1/connectors", &dsr)
        .await
        .problem(403, "MISSING_SCOPE");
    let b = serde_json::to_vec(
        &json!({"recipient": "SP_EMAIL", "url": "https://hooks.example/x", "secret": "s"}),
    )
    .unwrap();
    let r = s
        .call(
            "PUT",
            "/v1/connectors/webhooks/sp_email",
            Some(&dsr),
            &[],
            Some(&b),
            Some("application/json"),
        )
        .await;
    r.problem(403, "MISSING_SCOPE");
}

async fn put(s: &Server, path: &str, body: Value) -> common::Reply {
    let b = serde_json::to_vec(&body).unwrap();
    s.call(
        "PUT",
        path,
        Some(&s.admin),
        &[],
        Some(&b),
        Some("application/json"),
    )
    .await
}

#[tokio::test]
async fn connectors_holds_and_signed_confirmations() {
    let s = spawn_dsr().await;
    let admin = s.admin.clone();
    let r = put(
        &s,
        "/v1/connectors/webhooks/sp_email",
        json!({"recipient": "SP_EMAIL", "url": "https://hooks.example/steward", "secret": "shh-very-secret"}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["secret"], "sealed");
    put(
        &s,
        "/v1/connectors/webhooks/x",
        json!({"recipient": "SP_EMAIL", "url": "https://hooks.example/x", "secret_env": "STEWARD_IP_PSEUDONYM_KEY"}),
    )
    .await
    .problem(422, "BAD_ENV_NAME");
    put(
        &s,
        "/v1/connectors/webhooks/x",
        json!({"recipient": "NOBODY", "url": "https://hooks.example/x", "secret": "s"}),
    )
    .await
    .problem(422, "UNKNOWN_RECIPIENT");
    let annotation = |column_category: &str| {
        format!(
            "[[tables]]\nname = \"customers\"\nidentity = {{ column = \"email\", kind = \"email\" }}\n\
             action = \"delete\"\ncolumns = {{ email = \"email\", street = \"{column_category}\" }}\n"
        )
    };
    put(
        &s,
        "/v1/connectors/datasets/shop",
        json!({"kind": "sqlite", "annotation": annotation("shoe_size"), "connection": "/srv/shop.db"}),
    )
    .await
    .problem(422, "UNKNOWN_CATEGORY");
    let r = put(
        &s,
        "/v1/connectors/datasets/shop",
        json!({"kind": "sqlite", "annotation": annotation("postal_address"), "connection_env": "SHOP_DB"}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["secret"], "env:SHOP_DB");
    assert_eq!(r.json()["kind"], "sqlite");
    let r = s.get("/v1/connectors", &admin).await;
    let text = r.text();
    assert!(
        text.contains("sp_email") && !text.contains("shh-very-secret"),
        "{text}"
    );
    let r = s
        .call(
            "DELETE",
            "/v1/connectors/sp_email",
            Some(&admin),
            &[],
            None,
            None,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["disabled"], true);

    // Legal holds.
    let subject = s.subject("US-TX", "held@example.com").await;
    let r = s
        .post(
            &format!("/v1/subjects/{subject}/holds"),
            &admin,
            json!({"reason": "litigation_17", "owner": "legal", "review_at": "2024-09-01T00:00:00Z"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
    let hold = r.json();
    assert!(hold["released_at"].is_null());
    let r = s
        .call(
            "DELETE",
            &format!("/v1/holds/{}", hold["id"].as_str().unwrap()),
            Some(&admin),
            &[],
            None,
            None,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(r.json()["released_at"].is_string());

    // RET-07: a confirmation without a valid signature answers like an unknown delivery.
    let path = "/v1/requests/deliveries/0190e3c4-0000-7000-8000-000000000002/confirm";
    let body = br#"{"delivery_id":"0190e3c4-0000-7000-8000-000000000002"}"#;
    let r = s
        .call(
            "POST",
            path,
            None,
            &[],
            Some(body),
            Some("application/json"),
        )
        .await;
    r.problem(404, "NOT_FOUND");
    let r = s
        .call(
            "POST",
            path,
            None,
            &[("Steward-Signature", "t=1709571600,v1=00")],
            Some(body),
            Some("application/json"),
        )
        .await;
    r.problem(404, "NOT_FOUND");
    let r = s.get("/v1/requests/dead-letters", &admin).await;
    assert_eq!(r.json()["deliveries"], json!([]));
}

#[tokio::test]
async fn public_intake_is_rate_limited_per_client() {
    let s = spawn_dsr().await;
    let mut statuses = Vec::new();
    for i in 0..11 {
        let r = public_post(
            &s,
            "/v1/requests",
            json!({"kind": "opt_out_sale_share", "email": format!("p{i}@example.com")}),
        )
        .await;
        statuses.push(r.status);
        if r.status == 429 {
            r.problem(429, "RATE_LIMITED");
            assert!(r.header("retry-after").is_some());
        }
    }
    assert_eq!(&statuses[..10], &[201; 10], "a burst of ten");
    assert_eq!(statuses[10], 429);
    // Staff keys are not limited by the public bucket.
    let r = s
        .post(
            "/v1/requests",
            &s.admin,
            json!({"kind": "opt_out_sale_share", "email": "staff@example.com"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
}

/// Eleven public submissions, each claiming the `X-Forwarded-For` that `xff(i)` gives.
async fn burst(s: &Server, tag: &str, xff: impl Fn(usize) -> String) -> Vec<u16> {
    let mut statuses = Vec::new();
    for i in 0..11 {
        let b = serde_json::to_vec(
            &json!({"kind": "opt_out_sale_share", "email": format!("{tag}{i}@example.com")}),
        )
        .unwrap();
        let h = xff(i);
        let r = s
            .call(
                "POST",
                "/v1/requests",
                None,
                &[("X-Forwarded-For", h.as_str())],
                Some(&b),
                Some("application/json"),
            )
            .await;
        statuses.push(r.status);
    }
    statuses
}

#[tokio::test]
async fn a_forged_forwarded_for_does_not_escape_the_rate_limit() {
    // No trusted proxies (the default): the header is ignored, a new claimed address per
    // request still lands in the peer's one bucket.
    let s = spawn_dsr().await;
    let statuses = burst(&s, "spoof", |i| format!("198.51.100.{i}")).await;
    assert_eq!(statuses[10], 429, "{statuses:?}");
    // Trusted proxies that do not include the peer (127.0.0.1): the same.
    let cfg = steward_server::ServerConfig::from_settings(&steward_server::ServerSettings {
        trusted_proxies: Some(vec!["10.0.0.0/8".into()]),
        ..Default::default()
    })
    .unwrap();
    let s = dsr_on(spawn_with(cfg).await);
    let statuses = burst(&s, "spoof", |i| format!("198.51.100.{i}")).await;
    assert_eq!(statuses[10], 429, "{statuses:?}");
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_forwarded_client_has_its_own_bucket() {
    let cfg = steward_server::ServerConfig::from_settings(&steward_server::ServerSettings {
        trusted_proxies: Some(vec!["127.0.0.1".into()]),
        ..Default::default()
    })
    .unwrap();
    let s = dsr_on(spawn_with(cfg).await);
    // One client behind the proxy: limited after its burst of ten. A forged address to the
    // left of the one the proxy appended changes nothing.
    let statuses = burst(&s, "a", |i| format!("198.51.100.{i}, 203.0.113.7")).await;
    assert_eq!(&statuses[..10], &[201; 10], "{statuses:?}");
    assert_eq!(statuses[10], 429, "{statuses:?}");
    // Another client through the same proxy is not limited by the first one's bucket.
    let statuses = burst(&s, "b", |_| "203.0.113.8".to_string()).await;
    assert_eq!(&statuses[..10], &[201; 10], "{statuses:?}");
    assert_eq!(statuses[10], 429, "{statuses:?}");
}

#[tokio::test]
async fn without_the_workflow_the_routes_answer_503() {
    let s = spawn().await;
    let r = s
        .call(
            "POST",
            "/v1/requests",
            None,
            &[],
            Some(br#"{"kind":"access","email":"a@example.com"}"#),
            Some("application/json"),
        )
        .await;
    r.problem(503, "REQUESTS_UNAVAILABLE");
    s.get("/v1/requests", &s.admin)
        .await
        .problem(503, "REQUESTS_UNAVAILABLE");
}

#[tokio::test]
async fn dl_04_background_worker_delivers_and_fills_the_request_gauges() {
    let s = spawn_dsr().await;
    let r = public_post(
        &s,
        "/v1/requests",
        json!({"kind": "access", "email": "g@example.com", "jurisdiction": "US-CA"}),
    )
    .await;
    assert_eq!(r.status, 201);
    // One pass of the background work: deliveries, then the gauges snapshot.
    steward_server::api::requests::background_pass(&s.state).await;
    let text = s.get("/metrics", &s.admin).await.text();
    assert!(
        text.contains("steward_requests_open{kind=\"access\"} 1"),
        "{text}"
    );
    assert!(text.contains("steward_outbox_pending 0"), "{text}");
    assert!(text.contains("steward_webhook_dead_letters 0"), "{text}");
    // The worker stops when told to (shutdown), after its pass.
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let worker = tokio::spawn(steward_server::api::requests::background(
        s.state.clone(),
        Duration::from_secs(3600),
        stopped,
    ));
    stop.send(true).unwrap();
    tokio::time::timeout(Duration::from_secs(30), worker)
        .await
        .expect("the worker stops on shutdown")
        .unwrap();
    let r = s.get("/v1/requests/metrics", &s.admin).await;
    assert_eq!(r.json()["open"], 1);
    let r = s.get("/v1/requests/alerts", &s.admin).await;
    assert!(r.json()["alerts"].is_array());
}

/// `steward serve --demo`: the queue a newcomer opens is alive. The requests of the demo
/// customers stand in every state, the clocks show one overdue and one at risk, an opt-out
/// queued partner notifications, and the partner webhook registered at this server's own
/// unrouted path is refused (404) by the real HTTP client and dead-lettered.
#[tokio::test]
async fn demo_seeds_a_living_queue() {
    let s = spawn().await;
    let mut effects = effects(s.dir.path());
    effects.webhooks =
        std::sync::Arc::new(steward_adapters::HttpsTransport::new(Duration::from_secs(5)).unwrap());
    // As `steward serve --demo` configures it: the partner webhook is this server's own
    // loopback `http://` address (SEC-02 refuses plain http anywhere else).
    let config = RequestsConfig {
        allow_insecure_loopback: true,
        ..RequestsConfig::default()
    };
    let r = Requests::new(s.steward.clone(), config, effects);
    assert!(s.state.set_requests(r.clone()));
    let seeded = steward_server::demo::seed(&s.steward).await.unwrap();
    assert!(!seeded.already_seeded);
    let base = format!("http://{}", s.addr);
    let w = steward_server::demo::seed_requests(&r, Some(&base))
        .await
        .unwrap();
    assert_eq!(w.requests, 9, "{w}");
    assert!(w.partner_webhook);
    // The privacy team's case files (incidents, complaints, legal requests): a breach whose authority notice runs out within
    // the day, and a complaint from `customer0016`, its first response due within the week.
    assert_eq!((w.incidents, w.complaints), (1, 1), "{w}");
    let cases = s
        .key("privacy-team", &["cases"], serde_json::json!({}))
        .await;
    let inc = s.get("/v1/incidents", &cases).await.json();
    let inc = &inc["incidents"][0];
    assert_eq!(inc["state"], "breach", "{inc}");
    let sa = inc["notices"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["to"] == "supervisory_authority")
        .unwrap();
    assert_eq!(sa["status"], "near_due", "{sa}");
    assert!(
        inc["notices"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["to"] == "state_residents:NV")
    );
    let c = s.get("/v1/complaints", &cases).await.json();
    assert_eq!(c["complaints"][0]["topic"], "access_request", "{c}");
    assert_eq!(c["complaints"][0]["response_status"], "open");
    // The register of legal requests: a subpoena reviewed by someone other than who
    // registered it (LEGALREQ-02), one disclosure made under it, counted in the report.
    assert_eq!(w.legal_requests, 1, "{w}");
    let l = s.get("/v1/legal-requests", &cases).await.json();
    let l = &l["legal_requests"][0];
    assert_eq!(l["state"], "disclosed", "{l}");
    assert_eq!(l["eu_subject"], true, "{l}");
    assert_ne!(l["requested_by"], l["reviewer"], "{l}");
    assert_eq!(l["disclosures"].as_array().unwrap().len(), 1, "{l}");
    assert_eq!(l["disclosures"][0]["recipient"], "LE1", "{l}");
    let report = s.get("/v1/legal-requests/report", &cases).await.json();
    assert_eq!(
        report["instruments"][0]["instrument"], "subpoena",
        "{report}"
    );
    assert_eq!(report["instruments"][0]["disclosures"], 1, "{report}");

    let k = s.admin.clone();
    let all = s.get("/v1/requests?all=true", &k).await.json();
    let rows = all["requests"].as_array().unwrap();
    assert_eq!(rows.len(), 9, "{all}");
    let states: std::collections::BTreeSet<&str> =
        rows.iter().map(|r| r["state"].as_str().unwrap()).collect();
    for state in [
        "awaiting_verification",
        "verified",
        "approved",
        "completed",
        "denied",
    ] {
        assert!(states.contains(state), "no `{state}` request: {states:?}");
    }
    let statuses: Vec<&str> = rows.iter().map(|r| r["status"].as_str().unwrap()).collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == "OVERDUE").count(),
        1,
        "{statuses:?}"
    );
    assert!(statuses.contains(&"AT_RISK"), "{statuses:?}");
    // The open queue comes by due date: the overdue request first.
    let open = s.get("/v1/requests", &k).await.json();
    let open = open["requests"].as_array().unwrap();
    assert_eq!(open.len(), w.open);
    assert_eq!(open[0]["status"], "OVERDUE", "{open:?}");

    // The extended request says so, with the reason told to the subject.
    let mut extended = 0;
    let mut receipts = 0;
    for row in rows {
        let id = row["id"].as_str().unwrap();
        let v = s.get(&format!("/v1/requests/{id}"), &k).await.json();
        if v["extension"].is_object() {
            extended += 1;
            assert!(
                v["extension"]["reason"]
                    .as_str()
                    .unwrap()
                    .contains("systems")
            );
        }
        if v["state"] == "completed" && v["kind"] == "deletion" {
            let rc = s.get(&format!("/v1/requests/{id}/receipt"), &k).await;
            assert_eq!(rc.status, 200, "{}", rc.text());
            assert_eq!(rc.json()["sha256"].as_str().unwrap().len(), 64);
            receipts += 1;
        }
    }
    assert_eq!((extended, receipts), (1, 1));

    // The Do Not Sell choice queued a notification to the partner that received the data.
    assert_eq!(w.partner_notifications, 1, "{w}");
    let m = s.get("/v1/requests/metrics", &k).await.json();
    assert_eq!(m["partner_notifications_open"], 1, "{m}");
    // The background pass delivers the notification: the demo partner's endpoint answers 404.
    r.deliver_due().await.unwrap();
    let dead = s.get("/v1/requests/dead-letters", &k).await.json();
    let dead = dead["deliveries"].as_array().unwrap();
    assert_eq!(dead.len(), 1, "{dead:?}");
    assert_eq!(
        dead[0]["recipient"],
        steward_server::demo::DEAD_LETTER_PARTNER
    );
    assert_eq!(dead[0]["last_status"], 404);
    assert_eq!(dead[0]["event"], "opt_out");
    assert!(dead[0]["notification"].is_string(), "{dead:?}");
    let alerts = s.get("/v1/requests/alerts", &k).await.json();
    let kinds: Vec<&str> = alerts["alerts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["kind"].as_str().unwrap())
        .collect();
    assert!(kinds.contains(&"OVERDUE"), "{kinds:?}");
    assert!(kinds.contains(&"WEBHOOK_DEAD_LETTER"), "{kinds:?}");
    // CHG-05: the shipped policy (effective 2020-01-17) is over 12 months old on the test
    // clock; the alert names the version.
    let stale = alerts["alerts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["kind"] == "POLICY_STALE")
        .expect("a POLICY_STALE alert");
    assert_eq!(stale["policy_version"], "2020-01-17");
    assert_eq!(stale["since"], "2021-01-17T00:00:00Z");
    let v = s.post("/v1/audit/verify", &k, json!({})).await.json();
    assert_eq!(v["ok"], true, "{v}");
}

/// SEC-02: webhooks and dataset connections that carry personal data must use TLS. Plain
/// `http://` and PostgreSQL without `sslmode=require` are refused at registration (422
/// `INSECURE_TARGET`), loopback included, unless the configuration allows loopback.
#[tokio::test]
async fn sec_02_plain_targets_are_refused_at_registration() {
    let annotation = "[[tables]]\nname = \"customers\"\nidentity = { column = \"email\", kind = \"email\" }\naction = \"delete\"\ncolumns = { email = \"email\" }\n";
    let s = spawn_dsr().await;
    for url in ["http://hooks.example/x", "http://127.0.0.1:9/x"] {
        let p = put(
            &s,
            "/v1/connectors/webhooks/plain",
            json!({"recipient": "SP_EMAIL", "url": url, "secret": "s"}),
        )
        .await
        .problem(422, "INSECURE_TARGET");
        assert!(p["detail"].as_str().unwrap().contains("TLS"), "{p}");
    }
    for conn in [
        "postgres://u:p@db.internal:5432/shop",
        "postgres://u:p@db.internal/shop?sslmode=prefer",
        "postgres://u:p@127.0.0.1/shop",
    ] {
        put(
            &s,
            "/v1/connectors/datasets/shop",
            json!({"kind": "postgres", "annotation": annotation, "connection": conn}),
        )
        .await
        .problem(422, "INSECURE_TARGET");
    }
    let ok = put(
        &s,
        "/v1/connectors/datasets/shop",
        json!({"kind": "postgres", "annotation": annotation,
               "connection": "postgres://u:p@db.internal/shop?sslmode=require"}),
    )
    .await;
    assert_eq!(ok.status, 200, "{}", ok.text());
    let listed = s.get("/v1/connectors", &s.admin).await.text();
    assert!(!listed.contains("plain"), "{listed}");

    // Loopback, when the configuration allows it (tests, the demo); never anything else.
    let s = spawn().await;
    let config = RequestsConfig {
        allow_insecure_loopback: true,
        ..RequestsConfig::default()
    };
    let r = Requests::new(s.steward.clone(), config, effects(s.dir.path()));
    assert!(s.state.set_requests(r));
    let ok = put(
        &s,
        "/v1/connectors/webhooks/local",
        json!({"recipient": "SP_EMAIL", "url": "http://127.0.0.1:9/x", "secret": "s"}),
    )
    .await;
    assert_eq!(ok.status, 200, "{}", ok.text());
    let ok = put(
        &s,
        "/v1/connectors/datasets/shop",
        json!({"kind": "postgres", "annotation": annotation, "connection": "postgres://u:p@localhost/shop"}),
    )
    .await;
    assert_eq!(ok.status, 200, "{}", ok.text());
    put(
        &s,
        "/v1/connectors/webhooks/remote",
        json!({"recipient": "SP_EMAIL", "url": "http://hooks.example/x", "secret": "s"}),
    )
    .await
    .problem(422, "INSECURE_TARGET");
}
