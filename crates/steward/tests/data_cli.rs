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
