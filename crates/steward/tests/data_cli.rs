//! `steward import` / `export` / `audit verify` / `keys rotate` on a fresh data directory.
#![expect(
    clippy::unwrap_used,
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

const CSV: &str = "ref,kind,jurisdiction,email,item:email,item:postal_address,choice:sale_opt_out\n\
c1,customer_account_holder,US-CA,ann@example.com,ann@example.com,1 Main St,true\n\
c2,customer_account_holder,XX-,bob@example.com,bob@example.com,,\n\
c3,customer_account_holder,DE,carol@example.com,carol@example.com,Hauptstr 2,\n";

#[test]
fn a_malformed_import_loads_nothing_and_names_each_bad_row() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("p.csv"), CSV).unwrap();
    let o = steward(dir.path(), &["import", "p.csv"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o).contains("p.csv:3: rejected: invalid jurisdiction"),
        "{}",
        text(&o)
    );
    assert!(text(&o).contains("nothing was imported"));
    let v = steward(dir.path(), &["audit", "verify", "--json"]);
    let j: serde_json::Value = serde_json::from_slice(&v.stdout).unwrap();
    assert_eq!(
        j["entries"], 0,
        "nothing was written, not even audit entries"
    );

    // With --skip-bad the two good rows load, encrypted; the chain verifies.
    let o = steward(dir.path(), &["import", "p.csv", "--skip-bad"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("imported 7 record(s)"), "{}", text(&o));
    let v = steward(dir.path(), &["audit", "verify", "--json"]);
    let j: serde_json::Value = serde_json::from_slice(&v.stdout).unwrap();
    assert_eq!(j["ok"], true);
    assert!(j["entries"].as_u64().unwrap() >= 7);
    let db = std::fs::read(dir.path().join("data/steward.db")).unwrap();
    assert!(
        !String::from_utf8_lossy(&db).contains("ann@example.com"),
        "no plaintext e-mail in the database"
    );

    // Importing the same file again refuses the e-mails that now exist.
    let again = steward(dir.path(), &["import", "p.csv"]);
    assert!(text(&again).contains("already belongs to a stored subject"));

    // Export writes a snapshot; rotating keys re-wraps every data key.
    let e = steward(dir.path(), &["export", "--out", "snap.db"]);
    assert!(e.status.success(), "{}", text(&e));
    assert!(dir.path().join("snap.db").exists());
    let entries = |dir: &std::path::Path| {
        let v = steward(dir, &["audit", "verify", "--json"]);
        assert!(v.status.success(), "{}", text(&v));
        let j: serde_json::Value = serde_json::from_slice(&v.stdout).unwrap();
        j["entries"].as_u64().unwrap()
    };
    let before = entries(dir.path());
    let r = steward(dir.path(), &["keys", "rotate", "--retire"]);
    assert!(r.status.success(), "{}", text(&r));
    assert!(text(&r).contains("re-wrapped 2 data keys"), "{}", text(&r));
    // The new KEK, the re-wrap and the retired KEK are each in the audit log.
    assert_eq!(entries(dir.path()), before + 3);
    let r = steward(dir.path(), &["keys", "rotate-signing"]);
    assert!(r.status.success(), "{}", text(&r));
    assert_eq!(entries(dir.path()), before + 4);
}

/// `steward import` is all or nothing per row: a row the policy refuses only at
/// write time (a GPS item without location services, GEO-01) leaves no subject, item or
/// choice behind, and the corrected file then imports (its e-mail is not "already stored").
#[test]
fn a_row_refused_at_write_time_leaves_nothing_and_the_fixed_file_imports() {
    let dir = tempfile::tempdir().unwrap();
    let subject =
        r#"{"type":"subject","ref":"g1","jurisdiction":"US-CA","email":"gus@example.com"}"#;
    let email =
        r#"{"type":"item","subject_ref":"g1","category":"email","value":"gus@example.com"}"#;
    let optout = r#"{"type":"choice","subject_ref":"g1","key":"sale_opt_out","value":true}"#;
    let gps = r#"{"type":"item","subject_ref":"g1","category":"gps_location","value":"37.77,-122.42","source":"device:location","purpose":"service_provision"}"#;
    let location = r#"{"type":"choice","subject_ref":"g1","key":"location_services","value":true,"source":"user"}"#;
    let other = r#"{"type":"subject","ref":"h1","jurisdiction":"US-TX","email":"hal@example.com"}"#;
    std::fs::write(
        dir.path().join("bad.jsonl"),
        [subject, email, optout, gps, other].join("\n"),
    )
    .unwrap();
    // A dry run already sees the refusal.
    let o = steward(dir.path(), &["import", "bad.jsonl", "--dry-run"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("dry run: 1 row(s) valid, 4 rejected"),
        "{}",
        text(&o)
    );
    let o = steward(dir.path(), &["import", "bad.jsonl"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(
        text(&o).contains("bad.jsonl:4: rejected: item `gps_location` is denied by the policy"),
        "{}",
        text(&o)
    );
    assert!(text(&o).contains("imported 1 record(s)"), "{}", text(&o));
    let v = steward(dir.path(), &["audit", "verify", "--json"]);
    let j: serde_json::Value = serde_json::from_slice(&v.stdout).unwrap();
    let after_bad = j["entries"].as_u64().unwrap();

    // The fixed file: location services on, for the same person.
    std::fs::write(
        dir.path().join("fixed.jsonl"),
        [subject, email, optout, location, gps].join("\n"),
    )
    .unwrap();
    let o = steward(dir.path(), &["import", "fixed.jsonl"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("imported 5 record(s)"), "{}", text(&o));
    let v = steward(dir.path(), &["audit", "verify", "--json"]);
    let j: serde_json::Value = serde_json::from_slice(&v.stdout).unwrap();
    assert_eq!(j["ok"], true);
    assert!(j["entries"].as_u64().unwrap() > after_bad);

    // Only the good row of the first file and the fixed row were written: the export holds
    // two subjects, not three.
    let o = steward(dir.path(), &["export", "--out", "snap.db"]);
    assert!(o.status.success(), "{}", text(&o));
    let db = rusqlite::Connection::open(dir.path().join("snap.db")).unwrap();
    let subjects: i64 = db
        .query_row("SELECT COUNT(*) FROM subjects", [], |r| r.get(0))
        .unwrap();
    assert_eq!(subjects, 2);
}
