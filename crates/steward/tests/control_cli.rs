//! `steward change-of-control …` on a fresh data directory (BIZ-02, BIZ-03): a notice owed to
//! an imported customer is pending, then delivered, then answered "stop"; a bad id or time and
//! an unknown notice are the user's to fix (exit 2); the address is never printed.
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
fn a_notice_is_recorded_delivered_and_answered() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("p.csv"),
        "ref,kind,jurisdiction,email\nc1,customer_account_holder,US-TX,holder@example.com\n",
    )
    .unwrap();
    let o = steward(d, &["import", "p.csv"]);
    assert!(o.status.success(), "{}", text(&o));
    let me = ["--email", "holder@example.com"];

    let o = steward(
        d,
        &["change-of-control", "notify", "--transfer", "acme-2024"],
    );
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let o = steward(
        d,
        &[
            "change-of-control",
            "notify",
            me[0],
            me[1],
            "--transfer",
            "acme-2024",
            "--effective-at",
            "yesterday",
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let o = steward(
        d,
        &[
            "change-of-control",
            "notify",
            me[0],
            me[1],
            "--transfer",
            "acme-2024",
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    let id = String::from_utf8_lossy(&o.stdout).trim().to_string();
    assert_eq!(id.len(), 36, "{id}");

    let o = steward(d, &["change-of-control", "list", me[0], me[1]]);
    let t = text(&o);
    assert!(o.status.success() && t.contains("PENDING"), "{t}");
    assert!(!t.contains("holder@"), "the address is never printed");

    let o = steward(
        d,
        &["change-of-control", "delivered", me[0], me[1], "not-an-id"],
    );
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let o = steward(
        d,
        &[
            "change-of-control",
            "delivered",
            me[0],
            me[1],
            "0190b7a4-0000-7000-8000-000000000000",
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let o = steward(d, &["change-of-control", "delivered", me[0], me[1], &id]);
    let t = text(&o);
    assert!(o.status.success() && t.contains("delivered"), "{t}");

    let o = steward(
        d,
        &[
            "change-of-control",
            "answer",
            me[0],
            me[1],
            &id,
            "--answer",
            "stop",
            "--json",
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["stop_promotions"], true, "{v}");
    assert_eq!(v["pending"], false, "{v}");
}
