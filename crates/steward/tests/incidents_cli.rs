//! `steward incidents …` on a fresh data directory: record a breach, assess it, see its
//! notices with their due times, a late notice refused without its reasons, and the usage
//! errors (exit 2) versus failures (exit 1) (SEC-06, GDPR-30, GDPR-31, CCPA-35, NV-08).
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
fn record_assess_and_work_a_breach() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let o = steward(d, &["incidents", "list"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("no incidents"));

    // Usage errors: a bad time, a bad --affected.
    let o = steward(
        d,
        &[
            "incidents",
            "record",
            "--summary",
            "x",
            "--discovered-at",
            "yesterday",
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let o = steward(
        d,
        &[
            "incidents",
            "record",
            "--summary",
            "x",
            "--discovered-at",
            "2024-01-01T00:00:00Z",
            "--affected",
            "US-CA",
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));

    // Aware long ago: the authority's 72 hours have passed.
    let o = steward(
        d,
        &[
            "incidents",
            "record",
            "--summary",
            "backup bucket readable without credentials",
            "--discovered-at",
            "2024-01-01T08:00:00Z",
            "--system",
            "backups",
            "--category",
            "email",
            "--affected",
            "FR=3",
            "--affected",
            "US-NV=2",
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    let id = String::from_utf8_lossy(&o.stdout).trim().to_string();
    assert_eq!(id.len(), 36, "{id}");

    let o = steward(d, &["incidents", "assess", &id]);
    assert_eq!(o.status.code(), Some(2), "say breach or not: {}", text(&o));
    let o = steward(
        d,
        &[
            "incidents",
            "assess",
            &id,
            "--breach",
            "risk",
            "--note",
            "public bucket",
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    let t = text(&o);
    assert!(t.contains("supervisory_authority"), "{t}");
    assert!(
        t.contains("2024-01-04T08:00:00Z"),
        "72 hours from awareness: {t}"
    );
    assert!(t.contains("state_residents:NV"), "{t}");
    assert!(t.contains("overdue"), "{t}");

    let o = steward(d, &["incidents", "show", &id, "--json"]);
    assert!(o.status.success(), "{}", text(&o));
    let inc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let sa = inc["notices"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["to"] == "supervisory_authority")
        .unwrap();
    let notice = sa["id"].as_str().unwrap();
    let o = steward(
        d,
        &["incidents", "sent", &id, notice, "--what", "CNIL form"],
    );
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("DELAY_REASON_REQUIRED"), "{}", text(&o));
    let o = steward(
        d,
        &[
            "incidents",
            "sent",
            &id,
            notice,
            "--what",
            "CNIL form",
            "--delay-reason",
            "found during a holiday audit",
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("LATE"), "{}", text(&o));

    // Closing with a notice still open is a failure, not a usage error.
    let o = steward(d, &["incidents", "close", &id]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let o = steward(
        d,
        &["incidents", "show", "0190b7a4-0000-7000-8000-000000000000"],
    );
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));

    let o = steward(d, &["incidents", "list", "--json"]);
    assert!(o.status.success(), "{}", text(&o));
    let list: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 1);
    let o = steward(d, &["audit", "verify"]);
    assert!(o.status.success(), "{}", text(&o));
}

/// GDPR-31, CCPA-35, NV-08: who is affected is computed from the store (`--compute-affected`,
/// `compute-affected`), listed by id (`affected`), and the people's notices need a breach
/// that owes them (`notify-people`): refusals are failures (exit 1), bad input usage (exit 2).
#[test]
fn affected_people_computed_and_notices_refused_before_a_breach() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let o = steward(
        d,
        &[
            "incidents",
            "record",
            "--summary",
            "export job wrote to a public bucket",
            "--discovered-at",
            "2024-01-01T08:00:00Z",
            "--category",
            "email",
            "--compute-affected",
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    let id = String::from_utf8_lossy(&o.stdout).trim().to_string();
    let o = steward(d, &["incidents", "show", &id]);
    assert!(
        text(&o).contains("0 people affected (computed)"),
        "{}",
        text(&o)
    );
    let o = steward(d, &["incidents", "affected", &id]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("no affected people computed"));
    let o = steward(
        d,
        &["incidents", "compute-affected", &id, "--until", "yesterday"],
    );
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let o = steward(
        d,
        &[
            "incidents",
            "compute-affected",
            &id,
            "--from",
            "2023-12-01T00:00:00Z",
            "--json",
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("\"affected_source\": \"computed\""),
        "{}",
        text(&o)
    );
    let notify = |extra: &[&str]| {
        let mut args = vec![
            "incidents",
            "notify-people",
            &id,
            "--what-happened",
            "an export job wrote the customer table to a public bucket",
            "--consequences",
            "phishing",
            "--measures",
            "bucket closed",
        ];
        args.extend_from_slice(extra);
        steward(d, &args)
    };
    let o = notify(&[]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("assess the incident"), "{}", text(&o));
    let o = steward(d, &["incidents", "assess", &id, "--breach", "high"]);
    assert!(o.status.success(), "{}", text(&o));
    let o = notify(&[]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(
        text(&o).contains("owes the people no notice"),
        "{}",
        text(&o)
    );
    let o = notify(&["--include-not-owed"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("0 notices queued"), "{}", text(&o));
}
