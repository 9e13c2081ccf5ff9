//! The privacy team's registers from the command line, against what a running server stored
//! in the same data directory: `steward complaints resolve … unresolved` e-mails the
//! independent recourse, free of charge, to a person who lodged the complaint themselves, as
//! the API does (CONTACT-03, DPF-05), and `complaints show --text` opens their words;
//! `steward legal disclose` discloses under an approved request and tells the subject by
//! e-mail (LEGALREQ-05), or does not under a gag order.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failed step fails the test"
)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

/// The server process, stopped when dropped.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn steward(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_steward"))
        .args(args)
        .arg("--data-dir")
        .arg(dir.join("data"))
        .current_dir(dir)
        .env_remove("STEWARD_POLICY")
        .output()
        .unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Starts `steward serve` (shipped policy) on `dir`'s data directory: the server, its
/// bootstrap key and its address.
fn serve(dir: &Path) -> (Server, String, String) {
    let child = Command::new(env!("CARGO_BIN_EXE_steward"))
        .args(["serve", "--listen", "127.0.0.1:0", "--log-format", "text"])
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
    let (mut key, mut addr) = (None, None);
    for line in BufReader::new(stdout).lines() {
        let line = line.unwrap();
        if let Some(k) = line.split("store it now): ").nth(1) {
            key = Some(k.trim().to_string());
        } else if let Some(rest) = line.strip_prefix("steward serving on http://") {
            addr = rest.split_whitespace().next().map(str::to_string);
            break;
        }
    }
    (
        server,
        key.expect("a bootstrap key"),
        addr.expect("an address"),
    )
}

/// One HTTP/1.1 request; the status code and the body as JSON.
fn http(addr: &str, path: &str, key: Option<&str>, body: &str) -> (u16, serde_json::Value) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let mut req = format!("POST {path} HTTP/1.1\r\nHost: test\r\nConnection: close\r\n");
    if let Some(k) = key {
        req.push_str(&format!("Authorization: Bearer {k}\r\n"));
    }
    req.push_str(&format!(
        "Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    ));
    s.write_all(req.as_bytes()).unwrap();
    let mut out = Vec::new();
    s.read_to_end(&mut out).unwrap();
    let t = String::from_utf8_lossy(&out).to_string();
    let status = t
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = t.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or_default();
    let json = match (body.find('{'), body.rfind('}')) {
        (Some(a), Some(b)) => serde_json::from_str(&body[a..=b]).unwrap_or_default(),
        _ => serde_json::Value::Null,
    };
    (status, json)
}

/// The messages of the file outbox addressed to `to`, oldest first.
fn mail_to(dir: &Path, to: &str) -> Vec<String> {
    let mut all =
        steward_adapters::read_file_outbox(&dir.join("data").join("outbox")).unwrap_or_default();
    all.sort();
    all.into_iter()
        .map(|(_, t)| t)
        .filter(|m| m.lines().any(|l| l.starts_with("To:") && l.contains(to)))
        .collect()
}

#[test]
fn dpf_05_resolving_unresolved_from_the_cli_emails_the_recourse() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let to = "unhappy@example.test";
    let words = "You kept e-mailing me after I opted out: xyzzy-cli-complaint";
    let (server, _key, addr) = serve(d);
    let (status, r) = http(
        &addr,
        "/v1/requests",
        None,
        &serde_json::json!({"kind": "complaint", "email": to, "text": words}).to_string(),
    );
    assert_eq!(status, 201, "{r}");
    let id = r["complaint_id"].as_str().unwrap().to_string();
    drop(server);
    assert_eq!(mail_to(d, to).len(), 1, "the acknowledgement");

    let o = steward(d, &["complaints", "show", &id, "--text"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains(words), "{}", text(&o));
    assert!(text(&o).contains(to), "{}", text(&o));
    let o = steward(d, &["complaints", "respond", &id, "--response", "reply 1"]);
    assert!(o.status.success(), "{}", text(&o));
    let o = steward(d, &["complaints", "resolve", &id, "unresolved"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("free of charge"), "{}", text(&o));
    let mail = mail_to(d, to);
    assert_eq!(
        mail.len(),
        2,
        "the acknowledgement and the recourse: {mail:?}"
    );
    let recourse = mail
        .iter()
        .find(|m| m.contains("dispute-resolution"))
        .unwrap();
    assert!(recourse.contains("free of charge"), "{recourse}");
    assert!(
        recourse.contains("https://feedback-form.truste.com/watchdog/request"),
        "{recourse}"
    );
    assert!(recourse.contains(&id), "{recourse}");

    // A complaint filed by staff has no words to show.
    let o = steward(d, &["complaints", "file", "--topic", "other"]);
    let staff = String::from_utf8_lossy(&o.stdout).trim().to_string();
    let o = steward(d, &["complaints", "show", &staff, "--text"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("COMPLAINT_NO_WORDS"), "{}", text(&o));
}

#[test]
fn legalreq_05_legal_disclose_tells_the_subject_unless_gagged() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (server, key, addr) = serve(d);
    let mut subjects = Vec::new();
    for email in ["told@example.test", "gagged@example.test"] {
        let (status, s) = http(
            &addr,
            "/v1/subjects",
            Some(&key),
            &serde_json::json!({"jurisdiction": "US-CA", "identities": [{"kind": "email", "value": email}]})
                .to_string(),
        );
        assert_eq!(status, 201, "{s}");
        let id = s["id"].as_str().unwrap().to_string();
        let (status, r) = http(
            &addr,
            "/v1/items",
            Some(&key),
            &serde_json::json!({"subject_id": id, "category": "email", "value": email,
                "source": "direct:registration", "purpose": "account_registration"})
            .to_string(),
        );
        assert_eq!(status, 201, "{r}");
        subjects.push(id);
    }
    drop(server);

    let mut requests = Vec::new();
    for (subject, gag) in subjects.iter().zip([false, true]) {
        let mut args = vec![
            "legal",
            "register",
            "--authority",
            "Superior Court, County of Demo",
            "--instrument",
            "search-warrant",
            "--basis",
            "required-by-law",
            "--scope",
            "email",
            "--subject",
            subject,
        ];
        if gag {
            args.push("--gag-order");
        }
        let o = steward(d, &args);
        assert!(o.status.success(), "{}", text(&o));
        let id = String::from_utf8_lossy(&o.stdout).trim().to_string();
        // Not reviewed yet: the record refuses the disclosure.
        let o = steward(
            d,
            &[
                "legal",
                "disclose",
                &id,
                "--subject",
                subject,
                "--recipient",
                "LE1",
                "--category",
                "email",
            ],
        );
        assert_eq!(o.status.code(), Some(2), "{}", text(&o));
        assert!(text(&o).contains("REVIEW_REQUIRED"), "{}", text(&o));
        let o = steward(
            d,
            &[
                "legal",
                "review",
                &id,
                "approve",
                "--rationale",
                "valid",
                "--as",
                "counsel",
            ],
        );
        assert!(o.status.success(), "{}", text(&o));
        requests.push(id);
    }
    // The same validation as the API: a bad id, a subject the request does not name, a
    // category outside its scope.
    let o = steward(
        d,
        &[
            "legal",
            "disclose",
            "nope",
            "--subject",
            &subjects[0],
            "--recipient",
            "LE1",
            "--category",
            "email",
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let o = steward(
        d,
        &[
            "legal",
            "disclose",
            &requests[0],
            "--subject",
            &subjects[1],
            "--recipient",
            "LE1",
            "--category",
            "email",
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("SUBJECT_NOT_NAMED"), "{}", text(&o));
    let o = steward(
        d,
        &[
            "legal",
            "disclose",
            &requests[0],
            "--subject",
            &subjects[0],
            "--recipient",
            "LE1",
            "--category",
            "chat_transcript",
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("OUT_OF_SCOPE"), "{}", text(&o));

    for (i, id) in requests.iter().enumerate() {
        let o = steward(
            d,
            &[
                "legal",
                "disclose",
                id,
                "--subject",
                &subjects[i],
                "--recipient",
                "LE1",
                "--category",
                "email",
            ],
        );
        assert!(o.status.success(), "{}", text(&o));
        let l: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(l["state"], "disclosed");
        let n = &l["disclosures"][0];
        if i == 0 {
            assert_eq!(n["notice"], "queued", "{l}");
        } else {
            assert_eq!(n["notice"], "suppressed", "{l}");
            assert_eq!(n["notice_suppressed_reason"], "gag_order", "{l}");
        }
    }
    let told = mail_to(d, "told@example.test");
    assert_eq!(told.len(), 1, "{told:?}");
    assert!(told[0].contains("a search warrant"), "{}", told[0]);
    assert!(
        told[0].contains("Superior Court, County of Demo"),
        "{}",
        told[0]
    );
    assert!(mail_to(d, "gagged@example.test").is_empty());
    let o = steward(d, &["legal", "report"]);
    let r: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(r["instruments"][0]["disclosures"], 2, "{r}");
}
