//! Trust under faults at the HTTP edge (the trust-under-faults work): tampered checkpoints are reported, not an
//! outage; oversized and stalled bodies end in problem documents; a key without the scope is
//! refused before its body is judged; values over the documented size and times that are not
//! times are refused; audited writes are in the log when acknowledged.

mod common;

use std::time::Duration;

use common::{spawn, spawn_with};
use serde_json::json;
use steward_server::ServerConfig;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Reads what the server sends until it closes or `limit` passes.
async fn read_for(s: &mut TcpStream, limit: Duration) -> Vec<u8> {
    let mut buf = Vec::new();
    let _ = tokio::time::timeout(limit, s.read_to_end(&mut buf)).await;
    buf
}

fn status_and_body(raw: &[u8]) -> (u16, String, String) {
    let text = String::from_utf8_lossy(raw).into_owned();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    (status, head.to_string(), body.to_string())
}

/// AUD-02: a checkpoint whose signature is not a signature is tampering — `POST
/// /v1/audit/verify` answers 200 with the failure naming the checkpoint's entry, not 503.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_malformed_checkpoint_is_reported_not_an_outage() {
    let s = spawn().await;
    let k = s.admin.clone();
    let id = s.subject("DE", "cp@example.com").await;
    for _ in 0..3 {
        s.post(
            "/v1/decisions",
            &k,
            json!({"op": "can_use", "subject": {"id": id}, "category": "email", "purpose": "support"}),
        )
        .await;
    }
    s.steward.audit().flush().await;
    let signer = s.steward.signer().unwrap().clone();
    let seq = steward_core::audit::checkpoint(
        s.steward.store().as_ref(),
        &signer,
        s.steward.clock().as_ref(),
        &steward_core::audit::HeadCopies::default(),
    )
    .await
    .unwrap()
    .unwrap();
    let db = rusqlite::Connection::open(s.dir.path().join("steward.db")).unwrap();
    db.execute_batch("DROP TRIGGER IF EXISTS audit_checkpoints_no_update")
        .unwrap();
    db.execute(
        "UPDATE audit_checkpoints SET signature = x'' WHERE seq = ?1",
        [seq.get() as i64],
    )
    .unwrap();
    let r = s.post("/v1/audit/verify", &k, json!({})).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let v = r.json();
    assert_eq!(v["ok"], false, "{v}");
    assert_eq!(v["break"]["seq"], seq.get(), "{v}");
    assert_eq!(v["break"]["kind"], "malformed_checkpoint", "{v}");
    assert!(
        v["break"]["message"]
            .as_str()
            .unwrap()
            .contains("signature"),
        "{v}"
    );
}

/// AUD-01: a consent written over HTTP is in the audit log when the 201 arrives, chained, and
/// the log verifies.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_acknowledged_choice_has_its_audit_entry() {
    let s = spawn().await;
    let k = s.admin.clone();
    let id = s.subject("US-CA", "ack@example.com").await;
    let r = s
        .post(
            "/v1/choices",
            &k,
            json!({"subject_id": id, "choices": [{"key": "sale_opt_out", "value": true}]}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
    let page = s
        .get(&format!("/v1/audit?subject_id={id}&kind=choice"), &k)
        .await
        .json();
    let entries = page["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 1, "{page}");
    assert_eq!(entries[0]["action"], "choice.record");
    let v = s.post("/v1/audit/verify", &k, json!({})).await.json();
    assert_eq!(v["ok"], true, "{v}");
    assert_eq!(v["pending_intents"], 0, "{v}");
}

/// A declared `Content-Length` over the limit is refused at once with a 413 problem
/// document: the server does not wait for (or read) the body, nor does it ask for a key.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_oversized_declared_body_is_refused_at_once() {
    let s = spawn().await;
    let limit = ServerConfig::default().body_limit;
    for (path, key) in [("/v1/choices", Some(s.admin.as_str())), ("/v1/items", None)] {
        let mut c = TcpStream::connect(s.addr).await.unwrap();
        let auth = key.map_or(String::new(), |k| format!("Authorization: Bearer {k}\r\n"));
        let head = format!(
            "POST {path} HTTP/1.1\r\nHost: test\r\n{auth}Content-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            limit * 10
        );
        c.write_all(head.as_bytes()).await.unwrap();
        // No body is sent: the answer must come without it.
        let raw = read_for(&mut c, Duration::from_secs(5)).await;
        let (status, head, body) = status_and_body(&raw);
        assert_eq!(status, 413, "{path}: {head}\n{body}");
        assert!(head.contains("application/problem+json"), "{head}");
        assert!(body.contains("BODY_TOO_LARGE"), "{body}");
    }
    // The batch routes have their own (larger) limit.
    let mut c = TcpStream::connect(s.addr).await.unwrap();
    let head = format!(
        "POST /v1/decisions/batch HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        ServerConfig::default().batch_body_limit + 1
    );
    c.write_all(head.as_bytes()).await.unwrap();
    let (status, _, body) = status_and_body(&read_for(&mut c, Duration::from_secs(5)).await);
    assert_eq!(status, 413, "{body}");
}

/// A body that stops arriving ends, at the request timeout, in a problem document (408
/// `BODY_TIMEOUT`), not a 503 with an empty body; a slow handler is a 503 `TIMEOUT` problem.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stalled_body_ends_in_a_problem_document() {
    let s = spawn_with(ServerConfig {
        request_timeout: Duration::from_secs(1),
        ..ServerConfig::default()
    })
    .await;
    let mut c = TcpStream::connect(s.addr).await.unwrap();
    let head = format!(
        "POST /v1/choices HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer {}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{{\"subj",
        s.admin
    );
    c.write_all(head.as_bytes()).await.unwrap();
    let raw = read_for(&mut c, Duration::from_secs(10)).await;
    let (status, head, body) = status_and_body(&raw);
    assert_eq!(status, 408, "{head}\n{body}");
    assert!(head.contains("application/problem+json"), "{head}");
    assert!(body.contains("BODY_TIMEOUT"), "{body}");
}

/// A key without the scope gets 403 `MISSING_SCOPE` before anything about its body, path or
/// query is judged (a 422 listing field names would tell it what the endpoint wants).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_scope_is_checked_before_the_body() {
    let s = spawn().await;
    let events_only = s.key("svc:events", &["events"], json!({})).await;
    for (method, path, body) in [
        ("POST", "/v1/items", r#"{"nope": 1}"#),
        ("POST", "/v1/choices", r#"{"subject_id": 5}"#),
        ("POST", "/v1/decisions", "[1,2"),
        ("POST", "/v1/decisions/batch", r#"{"requests": "x"}"#),
        ("POST", "/v1/disclosures", "{}"),
        ("POST", "/v1/subjects", r#"{"kind": 7}"#),
        ("PATCH", "/v1/subjects/not-an-id", "{}"),
        ("GET", "/v1/audit?limit=zero", ""),
        ("GET", "/v1/items/not-an-id?purpose=support", ""),
        ("POST", "/v1/keys", r#"{"scopes": "all"}"#),
        ("POST", "/v1/requests/not-an-id/approve", "{}"),
        ("PUT", "/v1/connectors/datasets/x", "{}"),
    ] {
        let r = s
            .call(
                method,
                path,
                Some(&events_only),
                &[],
                Some(body.as_bytes()),
                Some("application/json"),
            )
            .await;
        let p = r.problem(403, "MISSING_SCOPE");
        assert!(p.get("errors").is_none(), "{method} {path}: {p}");
    }
    // With the scope, the same bad bodies are judged as before.
    let writer = s.key("svc:writer", &["write"], json!({})).await;
    s.call(
        "POST",
        "/v1/items",
        Some(&writer),
        &[],
        Some(br#"{"nope": 1}"#),
        Some("application/json"),
    )
    .await
    .problem(422, "INVALID_BODY");
}

/// The documented maximum of `WriteItem.value` (65 536 characters) is enforced.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_item_value_over_the_documented_size_is_refused() {
    let s = spawn().await;
    let k = s.admin.clone();
    let id = s.subject("US-CA", "big@example.com").await;
    let write = |value: String| {
        json!({"subject_id": id, "category": "postal_address", "value": value,
               "source": "direct:registration", "purpose": "service_provision"})
    };
    let r = s.post("/v1/items", &k, write("é".repeat(65_536))).await;
    assert_eq!(
        r.status,
        201,
        "65 536 characters (131 072 bytes) are accepted: {}",
        r.text()
    );
    s.post("/v1/items", &k, write("x".repeat(65_537)))
        .await
        .problem(422, "VALUE_TOO_LONG");
    let listed = s.get(&format!("/v1/subjects/{id}/items"), &k).await.json();
    assert_eq!(listed["items"].as_array().unwrap().len(), 1, "{listed}");
}

/// `context.now` that is not an RFC 3339 time is refused, as `steward policy eval` refuses
/// it (the service's clock decides either way).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_context_now_that_is_not_a_time_is_refused() {
    let s = spawn().await;
    let k = s.admin.clone();
    let q = |now: &str| {
        json!({"op": "can_use", "subject": {"jurisdiction": "US-CA"}, "category": "email",
               "purpose": "support", "context": {"now": now}})
    };
    let p = s
        .post("/v1/decisions", &k, q("yesterday"))
        .await
        .problem(422, "BAD_FIELD");
    assert!(p["detail"].as_str().unwrap().contains("context.now"), "{p}");
    let ok = s.post("/v1/decisions", &k, q("2024-03-04T17:00:00Z")).await;
    assert_eq!(ok.status, 200, "{}", ok.text());
    let batch = s
        .post(
            "/v1/decisions/batch",
            &k,
            json!({"requests": [q("yesterday"), q("2024-03-04T17:00:00Z")]}),
        )
        .await;
    assert_eq!(batch.status, 200, "{}", batch.text());
    let b = batch.json();
    assert_eq!(b["decisions"][0]["error"]["code"], "BAD_FIELD", "{b}");
    assert!(b["decisions"][1]["allow"].is_boolean(), "{b}");
}

const SCOPES: [&str; 10] = [
    "decide",
    "write",
    "read_pii",
    "choices",
    "dsr",
    "events",
    "aggregates",
    "security",
    "cases",
    "mail",
];

/// The route → scope table checked before the body (`auth::route_scope`) agrees with the
/// handlers: for every documented operation it lists, a key holding exactly that scope is
/// never refused for lack of scope, and a key holding every other scope (but `admin`) always
/// is. Every documented operation behind a key is in the table, or named here as checked by
/// its handler alone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_route_scope_table_agrees_with_the_handlers() {
    let s = spawn().await;
    let mut only = std::collections::HashMap::new();
    let mut all_but = std::collections::HashMap::new();
    for scope in SCOPES.iter().chain(&["admin"]) {
        only.insert(
            *scope,
            s.key(&format!("only:{scope}"), &[scope], json!({})).await,
        );
        let others: Vec<&str> = SCOPES.iter().copied().filter(|x| x != scope).collect();
        all_but.insert(
            *scope,
            s.key(&format!("but:{scope}"), &others, json!({})).await,
        );
    }
    let spec = steward_server::openapi::spec_value();
    let handler_only = [
        ("GET", "/metrics"),
        ("GET", "/v1/policy"),
        ("GET", "/v1/policy/notice"),
        ("GET", "/v1/policy/versions"),
        ("GET", "/v1/policy/versions/{version}"),
        ("POST", "/v1/requests"),
    ];
    let mut checked = 0;
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let method = method.to_ascii_uppercase();
            let keyed = op.get("security").is_some_and(|v| {
                v.as_array().is_some_and(|a| {
                    a.iter()
                        .any(|x| x.as_object().is_some_and(|o| !o.is_empty()))
                })
            });
            let m: axum::http::Method = method.parse().unwrap();
            let scope = steward_server::auth::route_scope(&m, path);
            if !keyed {
                continue;
            }
            let Some(scope) = scope else {
                assert!(
                    handler_only.contains(&(method.as_str(), path.as_str())),
                    "{method} {path} needs a key but is not in `auth::route_scope`"
                );
                continue;
            };
            let concrete = path
                .split('/')
                .map(|seg| {
                    if seg.starts_with('{') {
                        "0190f5a0-0000-7000-8000-000000000000"
                    } else {
                        seg
                    }
                })
                .collect::<Vec<_>>()
                .join("/");
            let body: &[u8] = if method == "GET" || method == "DELETE" {
                b""
            } else {
                b"{\"zzz\": 1}"
            };
            // A route needing a second scope is called with a key holding both.
            let extra = steward_server::auth::route_extra_scope(&m, path);
            let both = match extra {
                Some(x) => Some(
                    s.key(&format!("both:{scope}:{x}"), &[scope, x], json!({}))
                        .await,
                ),
                None => None,
            };
            let with = s
                .call(
                    &method,
                    &concrete,
                    Some(both.as_ref().unwrap_or(&only[scope])),
                    &[],
                    Some(body),
                    Some("application/json"),
                )
                .await;
            if let Some(x) = extra {
                let without = s
                    .call(
                        &method,
                        &concrete,
                        Some(&only[scope]),
                        &[],
                        Some(body),
                        Some("application/json"),
                    )
                    .await;
                let p = without.problem(403, "MISSING_SCOPE");
                assert!(
                    p["detail"].as_str().unwrap().contains(x),
                    "{method} {path}: {p}"
                );
            }
            if with.status == 403 {
                assert_ne!(
                    with.json()["code"],
                    "MISSING_SCOPE",
                    "{method} {path}: a key with `{scope}` was refused for its scope"
                );
            }
            if scope != "admin" {
                let without = s
                    .call(
                        &method,
                        &concrete,
                        Some(&all_but[scope]),
                        &[],
                        Some(body),
                        Some("application/json"),
                    )
                    .await;
                let p = without.problem(403, "MISSING_SCOPE");
                assert!(
                    p["detail"].as_str().unwrap().contains(scope),
                    "{method} {path}: {p}"
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 60, "only {checked} operations checked");
}
