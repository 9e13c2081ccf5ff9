//! `steward complaints …` on a fresh data directory: file a DPF complaint taken by staff,
//! answer it, close it unresolved (the recourse is offered free of charge), escalate it
//! (CONTACT-03, CONTACT-04, DPF-05).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed step fails the test"
)]

use std::process::{Command, Output};

fn steward(dir: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_steward"))
        .args(args)
        .arg("--data-dir")
        .arg(dir.join("data"))
        .current_dir(dir)
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

#[test]
fn file_answer_close_unresolved_and_escalate() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let o = steward(
        d,
        &[
            "complaints",
            "file",
            "--topic",
            "x",
            "--received-at",
            "soon",
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let o = steward(
        d,
        &[
            "complaints",
            "file",
            "--channel",
            "email-privacy",
            "--topic",
            "transfer",
            "--dpf",
            "--jurisdiction",
            "US-NY",
            "--received-at",
            "2024-03-04T09:00:00Z",
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    let id = String::from_utf8_lossy(&o.stdout).trim().to_string();
    let o = steward(d, &["complaints", "list"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("EU/DPF"), "{}", text(&o));
    let o = steward(d, &["complaints", "resolve", &id, "unresolved"]);
    assert_eq!(o.status.code(), Some(1), "not answered yet: {}", text(&o));
    let o = steward(
        d,
        &[
            "complaints",
            "respond",
            &id,
            "--response",
            "reply 12",
            "--responded-at",
            "2024-03-05T09:00:00Z",
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    let o = steward(d, &["complaints", "resolve", &id, "unresolved"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("free of charge"), "{}", text(&o));
    assert!(text(&o).contains("truste.com"), "{}", text(&o));
    let o = steward(d, &["complaints", "escalate", &id]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("escalated"), "{}", text(&o));
    let o = steward(d, &["complaints", "list", "--closed", "--json"]);
    let list: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(list[0]["state"], "escalated");
    assert_eq!(list[0]["response_status"], "answered");
}
