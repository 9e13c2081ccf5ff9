//! `steward legal …` on a fresh data directory: register a subpoena for an imported
//! customer, a review refused when the registrar reviews it (LEGALREQ-02), approved by
//! counsel, and the report per instrument (LEGALREQ-04).
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
fn register_review_and_report() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let o = steward(
        d,
        &[
            "legal",
            "register",
            "--authority",
            "County court",
            "--instrument",
            "subpoena",
            "--basis",
            "required-by-law",
            "--scope",
            "shoe_size",
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("UNKNOWN_CATEGORY"));
    let o = steward(
        d,
        &[
            "legal",
            "register",
            "--authority",
            "County court",
            "--instrument",
            "subpoena",
            "--basis",
            "required-by-law",
            "--scope",
            "email",
            "--gag-order",
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    let id = String::from_utf8_lossy(&o.stdout).trim().to_string();
    let o = steward(
        d,
        &[
            "legal",
            "review",
            &id,
            "approve",
            "--rationale",
            "ok",
            "--as",
            "legal",
        ],
    );
    assert_eq!(
        o.status.code(),
        Some(2),
        "the registrar cannot review: {}",
        text(&o)
    );
    assert!(text(&o).contains("REVIEWER_IS_REQUESTER"));
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
    let r: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(r["state"], "approved");
    assert_eq!(r["reviewer"], "service:cli:counsel");
    let o = steward(d, &["legal", "report"]);
    assert!(o.status.success(), "{}", text(&o));
    let r: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(r["instruments"][0]["instrument"], "subpoena");
    assert_eq!(r["instruments"][0]["requests"], 1);
    let o = steward(d, &["legal", "list"]);
    let l: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(l[0]["gag_order"], true);
    let o = steward(
        d,
        &["legal", "show", "0190b7a4-0000-7000-8000-000000000000"],
    );
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
}
