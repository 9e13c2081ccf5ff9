//! `steward serve --policy FILE` runs on a policy other than the shipped one: the second
//! example policy (a newsletter, `policies/examples/newsletter.toml`) starts the binary as
//! an operator would, with the demo base, and answers decisions that cite its own clauses.
#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::disallowed_methods,
    reason = "test code: a failed step fails the test; it waits for the server by the real time"
)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// The server process, stopped when the test ends (passed or failed).
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// One HTTP/1.1 request; the status code and the body.
fn http(addr: &str, method: &str, path: &str, key: Option<&str>, body: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: test\r\nConnection: close\r\n");
    if let Some(k) = key {
        req.push_str(&format!("Authorization: Bearer {k}\r\n"));
    }
    if method != "GET" {
        req.push_str(&format!(
            "Content-Type: application/json\r\nContent-Length: {}\r\n",
            body.len()
        ));
    }
    req.push_str("\r\n");
    req.push_str(body);
    s.write_all(req.as_bytes()).unwrap();
    let mut out = Vec::new();
    s.read_to_end(&mut out).unwrap();
    let text = String::from_utf8_lossy(&out).to_string();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

/// The JSON object in a (possibly chunked) response body.
fn json(body: &str) -> serde_json::Value {
    let start = body.find('{').unwrap();
    let end = body.rfind('}').unwrap();
    serde_json::from_str(&body[start..=end]).unwrap()
}

/// Starts `steward serve` on `policy` in `dir`: the server, its bootstrap key, its address
/// and the demo's data report (with `--demo`).
fn serve(dir: &Path, policy: &Path, extra: &[&str]) -> (Server, String, String, Option<String>) {
    let (server, key, addr, demo) = serve_on(dir, policy, extra);
    let key = key.expect("a bootstrap key on a fresh data directory");
    (server, key, addr, demo)
}

/// Starts the binary on `policy`; the bootstrap key only on a fresh data directory.
fn serve_on(
    dir: &Path,
    policy: &Path,
    extra: &[&str],
) -> (Server, Option<String>, String, Option<String>) {
    let child = Command::new(env!("CARGO_BIN_EXE_steward"))
        .args(["serve", "--listen", "127.0.0.1:0", "--log-format", "text"])
        .args(extra)
        .arg("--policy")
        .arg(policy)
        .arg("--data-dir")
        .arg(dir.join("data"))
        .current_dir(dir)
        .env_remove("STEWARD_POLICY")
        .env_remove("STEWARD_POLICY_POLL")
        .env("STEWARD_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut server = Server(child);
    let stdout = server.0.stdout.take().unwrap();
    let (mut key, mut addr, mut demo) = (None, None, None);
    for line in BufReader::new(stdout).lines() {
        let line = line.unwrap();
        if let Some(k) = line.split("store it now): ").nth(1) {
            key = Some(k.trim().to_string());
        } else if line.starts_with("demo: ") && demo.is_none() {
            // The first report is the data's; the second the request queue's.
            demo = Some(line.clone());
        } else if let Some(rest) = line.strip_prefix("steward serving on http://") {
            addr = rest.split_whitespace().next().map(str::to_string);
            break;
        }
    }
    let addr = addr.expect("the listening address");
    (server, key, addr, demo)
}

#[test]
fn serve_runs_the_newsletter_policy_and_answers_decisions() {
    let dir = tempfile::tempdir().unwrap();
    let policy =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../policies/examples/newsletter.toml");
    let (_server, key, addr, demo) = serve(dir.path(), &policy, &["--demo"]);
    // The demo seeds what this policy names and skips the rest (its customers, no
    // shipped-policy items).
    let demo = demo.expect("the demo report");
    assert!(demo.starts_with("demo: 48 customers"), "{demo}");

    // A decision on the newsletter's own lock, citing the newsletter's own clause.
    let (status, body) = http(
        &addr,
        "POST",
        "/v1/decisions",
        Some(&key),
        r#"{"op":"can_use","subject":{"jurisdiction":"US-NY"},"category":"payment_token","purpose":"audience_measurement"}"#,
    );
    assert_eq!(status, 200, "{body}");
    let d = json(&body);
    assert_eq!(d["allow"], false, "{d}");
    assert_eq!(d["reason"], "PURPOSE_LOCK");
    assert_eq!(d["detail"], "billing_only");
    assert_eq!(d["clause"], "3 How we use it");
    assert_eq!(d["policy_version"], "2024-05-01");

    let (status, body) = http(
        &addr,
        "POST",
        "/v1/decisions",
        Some(&key),
        r#"{"op":"can_disclose","subject":{"jurisdiction":"DE"},"categories":["payment_token","billing_address"],"recipient":"PAYMENTS","purpose":"billing"}"#,
    );
    assert_eq!(status, 200, "{body}");
    let d = json(&body);
    assert_eq!(d["allow"], true, "{d}");
    assert_eq!(d["clause"], "4 Who we share it with");

    // A name of the shipped policy means nothing here: it fails closed.
    let (status, body) = http(
        &addr,
        "POST",
        "/v1/decisions",
        Some(&key),
        r#"{"op":"can_use","subject":{"jurisdiction":"US-NY"},"category":"usps_regulatory_data","purpose":"security_fraud"}"#,
    );
    assert_eq!(status, 200, "{body}");
    let d = json(&body);
    assert_eq!(d["reason"], "UNREGISTERED_CATEGORY", "{d}");
    assert_eq!(d["clause"], "2 What we collect");

    // The privacy center shows this policy's notice.
    let (status, body) = http(&addr, "GET", "/privacy/notice", None, "");
    assert_eq!(status, 200);
    assert!(body.contains("Northwind Letters"), "{body}");
    assert!(!body.contains("Stamps.com"));
}

/// The policy version a decision cites.
fn version_in_force(addr: &str, key: &str) -> String {
    let (status, body) = http(
        addr,
        "POST",
        "/v1/decisions",
        Some(key),
        r#"{"op":"can_use","subject":{"jurisdiction":"US-NY"},"category":"payment_token","purpose":"audience_measurement"}"#,
    );
    assert_eq!(status, 200, "{body}");
    json(&body)["policy_version"].as_str().unwrap().to_string()
}

#[test]
fn a_rewritten_policy_file_is_put_in_force_without_a_restart_and_a_broken_one_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let shipped =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../policies/examples/newsletter.toml");
    let text = std::fs::read_to_string(shipped).unwrap();
    let policy = dir.path().join("policy.toml");
    std::fs::write(&policy, &text).unwrap();
    let (_server, key, addr, _) = serve(dir.path(), &policy, &["--policy-poll", "1"]);
    assert_eq!(version_in_force(&addr, &key), "2024-05-01");

    // A new version published: rewritten in place (atomically, as a deploy tool would).
    let v2 = text.replacen(r#"version = "2024-05-01""#, r#"version = "2025-01-01""#, 1);
    assert_ne!(v2, text);
    std::fs::write(dir.path().join("next.toml"), &v2).unwrap();
    std::fs::rename(dir.path().join("next.toml"), &policy).unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while version_in_force(&addr, &key) != "2025-01-01" {
        assert!(
            std::time::Instant::now() < deadline,
            "the new version never took effect"
        );
        std::thread::sleep(Duration::from_millis(200));
    }

    // A broken edit: refused, the version in force stays and the service keeps answering.
    std::fs::write(&policy, v2.replacen("[policy]", "[policy", 1)).unwrap();
    std::thread::sleep(Duration::from_secs(3));
    assert_eq!(version_in_force(&addr, &key), "2025-01-01");
    let (status, _) = http(&addr, "GET", "/readyz", None, "");
    assert_eq!(status, 200);
}

/// The recorded policy versions, newest first.
fn versions(addr: &str, key: &str) -> Vec<serde_json::Value> {
    let (status, body) = http(addr, "GET", "/v1/policy/versions", Some(key), "");
    assert_eq!(status, 200, "{body}");
    json(&body)["versions"].as_array().unwrap().clone()
}

/// CHG-01: the text is recorded when the server starts and when the watcher reads a new one;
/// a future-dated text is recorded as scheduled and not enforced before its date, also
/// across a restart on that file (the recorded version due today is enforced meanwhile).
#[test]
fn chg01_policy_versions_are_recorded_and_a_future_dated_one_is_scheduled() {
    let dir = tempfile::tempdir().unwrap();
    let shipped =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../policies/examples/newsletter.toml");
    let text = std::fs::read_to_string(shipped).unwrap();
    let policy = dir.path().join("policy.toml");
    std::fs::write(&policy, &text).unwrap();
    let (server, key, addr, _) = serve(dir.path(), &policy, &["--policy-poll", "1"]);
    let v = versions(&addr, &key);
    assert_eq!(v.len(), 1, "{v:?}");
    assert_eq!(v[0]["version"], "2024-05-01");
    assert_eq!(v[0]["status"], "in_force");

    // A future-dated version published: recorded as scheduled, the version in force stays.
    let future = text
        .replacen(r#"version = "2024-05-01""#, r#"version = "2999-01-01""#, 1)
        .replacen(
            r#"effective = "2024-05-01""#,
            r#"effective = "2999-01-01""#,
            1,
        );
    assert!(future.contains(r#"effective = "2999-01-01""#));
    std::fs::write(dir.path().join("next.toml"), &future).unwrap();
    std::fs::rename(dir.path().join("next.toml"), &policy).unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while versions(&addr, &key).len() < 2 {
        assert!(
            std::time::Instant::now() < deadline,
            "the new text was never recorded"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(version_in_force(&addr, &key), "2024-05-01");
    let v = versions(&addr, &key);
    assert_eq!(v[0]["version"], "2999-01-01");
    assert_eq!(v[0]["status"], "scheduled");
    assert_eq!(v[1]["status"], "in_force");

    // A restart on the future-dated file: the recorded version due today is enforced, and
    // nothing is recorded twice.
    drop(server);
    let (_server, again, addr, _) = serve_on(dir.path(), &policy, &["--policy-poll", "1"]);
    assert!(again.is_none(), "the store kept its keys");
    assert_eq!(version_in_force(&addr, &key), "2024-05-01");
    let v = versions(&addr, &key);
    assert_eq!(v.len(), 2, "{v:?}");
    assert_eq!(v[0]["status"], "scheduled");

    // A due version published again: in force within a poll, and recorded.
    let v3 = text.replacen(r#"version = "2024-05-01""#, r#"version = "2024-06-01""#, 1);
    std::fs::write(dir.path().join("next.toml"), &v3).unwrap();
    std::fs::rename(dir.path().join("next.toml"), &policy).unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while version_in_force(&addr, &key) != "2024-06-01" {
        assert!(
            std::time::Instant::now() < deadline,
            "the due version never took effect"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    let v = versions(&addr, &key);
    assert_eq!(v.len(), 3, "{v:?}");
    assert_eq!(v[0]["version"], "2024-06-01");
    assert_eq!(v[0]["status"], "in_force");
}
