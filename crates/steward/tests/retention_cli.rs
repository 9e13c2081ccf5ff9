//! End to end through the binary (RET-01, RET-02, RET-06): `steward import` records the
//! account closure of a row, `steward retention record-event` reopens and closes again, and
//! `steward retention run --dry-run` lists what would go with its rule and clock before the
//! real run erases it.
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

fn dry_run(dir: &std::path::Path) -> serde_json::Value {
    let o = steward(dir, &["retention", "run", "--dry-run", "--json"]);
    assert!(o.status.success(), "{}", text(&o));
    serde_json::from_slice(&o.stdout).unwrap()
}

const CSV: &str = "ref,kind,jurisdiction,email,item:email,account_closed_at\n\
c1,customer_account_holder,US-TX,ann@example.com,ann@example.com,2020-01-01T00:00:00Z\n\
c2,customer_account_holder,US-TX,bob@example.com,bob@example.com,\n";

#[test]
fn ret_01_02_closed_accounts_are_swept_from_imported_and_recorded_events() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("p.csv"), CSV).unwrap();
    let o = steward(dir.path(), &["import", "p.csv"]);
    assert!(o.status.success(), "{}", text(&o));

    // Closed 2020-01-01 + 3 years: due; the open account is not.
    let j = dry_run(dir.path());
    let due = j["due"].as_array().unwrap();
    assert_eq!(due.len(), 1, "{j}");
    assert_eq!(due[0]["category"], "email");
    assert_eq!(due[0]["rule"], "P3Y");
    assert_eq!(due[0]["clock"], "account_closed");
    assert_eq!(due[0]["clock_at"], "2020-01-01T00:00:00Z");
    assert_eq!(due[0]["retain_until"], "2023-01-02T00:00:00Z");
    assert!(due[0]["held_by"].is_null());
    let subject = due[0]["subject_id"].as_str().unwrap().to_string();

    // Reopened: nothing is due any more.
    let o = steward(
        dir.path(),
        &[
            "retention",
            "record-event",
            &subject,
            "account-reopened",
            "--at",
            "2020-06-01T00:00:00Z",
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("1 item deadline(s) changed"),
        "{}",
        text(&o)
    );
    assert!(dry_run(dir.path())["due"].as_array().unwrap().is_empty());

    // Closed again: due from the new date; the human dry run says why.
    let o = steward(
        dir.path(),
        &[
            "retention",
            "record-event",
            &subject,
            "account-closed",
            "--at",
            "2021-06-01T12:00:00Z",
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    let o = steward(dir.path(), &["retention", "run", "--dry-run"]);
    assert!(
        text(&o).contains("P3Y after account_closed (2021-06-01T12:00:00Z)"),
        "{}",
        text(&o)
    );
    assert!(text(&o).contains("would be erased"), "{}", text(&o));

    // The real run erases it; a second finds nothing.
    let o = steward(dir.path(), &["retention", "run", "--json"]);
    assert!(o.status.success(), "{}", text(&o));
    let j: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(j["items"]["email"]["done"], 1, "{j}");
    let j = dry_run(dir.path());
    assert!(j["due"].as_array().unwrap().is_empty(), "{j}");

    // The events, oldest first.
    let o = steward(dir.path(), &["retention", "events", &subject]);
    assert!(o.status.success(), "{}", text(&o));
    let j: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let kinds: Vec<&str> = j["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["account_closed", "account_reopened", "account_closed"],
        "by the time they happened"
    );

    // Usage errors exit 2: a bad id, an unknown subject, a future time.
    let o = steward(
        dir.path(),
        &["retention", "record-event", "nope", "last-activity"],
    );
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let o = steward(
        dir.path(),
        &[
            "retention",
            "record-event",
            "00000000-0000-4000-8000-000000000000",
            "last-activity",
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let o = steward(
        dir.path(),
        &[
            "retention",
            "record-event",
            &subject,
            "contract-end",
            "--at",
            "2999-01-01T00:00:00Z",
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
}

#[test]
fn an_import_row_with_a_bad_closure_date_is_rejected_whole() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("p.csv"),
        "ref,email,item:email,account_closed_at\nc1,ann@example.com,ann@example.com,yesterday\n",
    )
    .unwrap();
    let o = steward(dir.path(), &["import", "p.csv"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(
        text(&o).contains("`account_closed_at` `yesterday` is not an RFC 3339 time"),
        "{}",
        text(&o)
    );
}

#[test]
fn usage_data_imports_with_the_source_and_purpose_the_policy_gives_it() {
    let dir = tempfile::tempdir().unwrap();
    // Login IPs and cookie ids: `--source direct:registration` cannot provide them, so the
    // policy's own source and purpose are used, and said.
    std::fs::write(
        dir.path().join("u.csv"),
        "ref,jurisdiction,email,item:email,item:ip_login,item:cookie_id\n\
         u1,US-TX,dan@example.com,dan@example.com,203.0.113.7,ck-77\n",
    )
    .unwrap();
    let o = steward(dir.path(), &["import", "u.csv"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("imported 4 record(s)"), "{}", text(&o));
    assert!(
        text(&o).contains(
            "item `ip_login`: source `direct:sign_in` and purpose `security_fraud` taken from the policy"
        ),
        "{}",
        text(&o)
    );
    assert!(
        text(&o).contains("item `cookie_id`: source `automatic`"),
        "{}",
        text(&o)
    );
    assert!(
        !text(&o).contains("item `email`:"),
        "the import's defaults fit e-mail"
    );

    // A column chooses; a purpose the category does not have is named with its column.
    std::fs::write(
        dir.path().join("v.csv"),
        "ref,email,item:ip_login,source:ip_login,purpose:ip_login\n\
         v1,eve@example.com,198.51.100.1,automatic,login_security\n",
    )
    .unwrap();
    let o = steward(dir.path(), &["import", "v.csv"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(!text(&o).contains("taken from the policy"), "{}", text(&o));
    std::fs::write(
        dir.path().join("w.jsonl"),
        "{\"type\":\"subject\",\"ref\":\"w1\",\"email\":\"wes@example.com\"}\n\
         {\"type\":\"item\",\"subject_ref\":\"w1\",\"category\":\"ip_login\",\"value\":\"198.51.100.2\",\"purpose\":\"no_such_purpose\"}\n",
    )
    .unwrap();
    let o = steward(dir.path(), &["import", "w.jsonl"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(
        text(&o).contains("unknown purpose `no_such_purpose`"),
        "{}",
        text(&o)
    );
    std::fs::write(
        dir.path().join("x.csv"),
        "ref,email,source:ip_login\nx1,xi@example.com,automatic\n",
    )
    .unwrap();
    let o = steward(dir.path(), &["import", "x.csv"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(
        text(&o).contains("column `source:ip_login` has no `item:ip_login` column"),
        "{}",
        text(&o)
    );
}
