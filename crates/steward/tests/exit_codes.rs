//! The CLI's exit codes: a usage error (a bad flag, argument or configuration value) exits 2;
//! a runtime failure (here: the store cannot be opened) exits 1 and prints its cause chain as
//! `error: …` then `  caused by: …` lines.
#![expect(clippy::unwrap_used, reason = "a test fails loudly")]

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

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn a_runtime_failure_exits_1_with_its_cause_chain() {
    let dir = tempfile::tempdir().unwrap();
    // A file where the store's directory should be: the store cannot be opened.
    std::fs::write(dir.path().join("blocker"), "not a directory").unwrap();
    let store = format!("sqlite://{}/blocker/steward.db", dir.path().display());
    let o = steward(dir.path(), &["keys", "list", "--store", &store]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.starts_with("error: cannot open the SQLite store"),
        "{err}"
    );
    assert!(err.contains("\n  caused by: "), "the cause is kept: {err}");
}

#[test]
fn a_usage_error_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("taken.db"), "already here").unwrap();
    let o = steward(dir.path(), &["export", "--out", "taken.db"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).starts_with("error: "), "{}", stderr(&o));
}
