//! The tamper suite (AUD-02): a data directory is filled through the CLI (`steward import`,
//! twice, so the log has two signed checkpoints and a signed head kept outside the database),
//! then its SQLite file is altered the way someone holding the file would (the append-only
//! triggers dropped first), and `steward audit verify` must fail with exit status 1 and name
//! the first bad entry — for edits, deletions, reordering, truncation with and without the
//! checkpoints that covered it, deleted checkpoints and malformed checkpoints.
#![expect(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test code: a failed step fails the test"
)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use rusqlite::{Connection, params};

fn steward(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_steward"));
    c.args(args)
        .arg("--data-dir")
        .arg(dir.join("data"))
        .current_dir(dir)
        .env_remove("STEWARD_AUDIT_WITNESS");
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().unwrap()
}

fn rows(from: usize, to: usize) -> String {
    let mut csv = String::from("ref,kind,jurisdiction,email,item:email,choice:sale_opt_out\n");
    for i in from..to {
        csv.push_str(&format!(
            "c{i},customer_account_holder,US-CA,u{i}@example.com,u{i}@example.com,true\n"
        ));
    }
    csv
}

/// A data directory with two imports (two graceful stops: two checkpoints), a witness file.
struct Fixture {
    dir: tempfile::TempDir,
    head: u64,
    first_checkpoint: u64,
}

impl Fixture {
    fn new() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let witness = dir.path().join("witness.jsonl");
        let env = [("STEWARD_AUDIT_WITNESS", witness.to_str().unwrap())];
        std::fs::write(dir.path().join("a.csv"), rows(0, 6)).unwrap();
        std::fs::write(dir.path().join("b.csv"), rows(6, 12)).unwrap();
        let o = steward(dir.path(), &["import", "a.csv"], &env);
        assert!(o.status.success(), "{}", text(&o));
        let first = verify(dir.path(), &[]);
        let o = steward(dir.path(), &["import", "b.csv"], &env);
        assert!(o.status.success(), "{}", text(&o));
        let v = verify(dir.path(), &[]);
        assert_eq!(v["ok"], true, "{v}");
        assert_eq!(v["checkpoints"], 2, "{v}");
        assert_eq!(
            v["signed_head"], v["head"],
            "the head file names the last checkpoint"
        );
        assert_eq!(v["unsigned"], 0);
        Fixture {
            head: v["head"].as_u64().unwrap(),
            first_checkpoint: first["head"].as_u64().unwrap(),
            dir,
        }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn witness(&self) -> PathBuf {
        self.path().join("witness.jsonl")
    }

    fn head_file(&self) -> PathBuf {
        self.path().join("data/audit-head.json")
    }

    /// The database as someone holding the file would open it.
    fn attacker(&self) -> Connection {
        let c = Connection::open(self.path().join("data/steward.db")).unwrap();
        c.execute_batch(
            "DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete;
             DROP TRIGGER IF EXISTS audit_checkpoints_no_update;
             DROP TRIGGER IF EXISTS audit_checkpoints_no_delete;",
        )
        .unwrap();
        c
    }
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn verify(dir: &Path, extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["audit", "verify", "--json"];
    args.extend_from_slice(extra);
    let o = steward(dir, &args, &[]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("verify printed no JSON ({e}): {}", text(&o)));
    let expected = if v["ok"] == true { 0 } else { 1 };
    assert_eq!(o.status.code(), Some(expected), "{}", text(&o));
    v
}

/// Asserts the verification fails naming `seq` with `kind`, in JSON and in text.
fn broken(fx: &Fixture, extra: &[&str], seq: u64, kind: &str) {
    let v = verify(fx.path(), extra);
    assert_eq!(v["ok"], false, "{v}");
    assert_eq!(v["break"]["seq"], seq, "{v}");
    assert_eq!(v["break"]["kind"], kind, "{v}");
    let mut args = vec!["audit", "verify"];
    args.extend_from_slice(extra);
    let o = steward(fx.path(), &args, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(
        text(&o).contains("AUDIT LOG BROKEN") && text(&o).contains(&format!("entry {seq}")),
        "{}",
        text(&o)
    );
}

#[test]
fn an_edited_entry_is_named() {
    let fx = Fixture::new();
    let c = fx.attacker();
    let mut body: Vec<u8> = c
        .query_row("SELECT body FROM audit_log WHERE seq = 7", [], |r| r.get(0))
        .unwrap();
    body[20] ^= 1;
    c.execute("UPDATE audit_log SET body = ?1 WHERE seq = 7", [body])
        .unwrap();
    broken(&fx, &[], 7, "altered");
}

#[test]
fn a_deleted_entry_is_named() {
    let fx = Fixture::new();
    fx.attacker()
        .execute("DELETE FROM audit_log WHERE seq = 9", [])
        .unwrap();
    broken(&fx, &[], 9, "removed");
}

#[test]
fn reordered_entries_are_named() {
    let fx = Fixture::new();
    let c = fx.attacker();
    c.execute_batch(
        "BEGIN; UPDATE audit_log SET seq = -1 WHERE seq = 10;
         UPDATE audit_log SET seq = 10 WHERE seq = 3;
         UPDATE audit_log SET seq = 3 WHERE seq = -1; COMMIT;",
    )
    .unwrap();
    broken(&fx, &[], 3, "reordered");
}

#[test]
fn a_truncated_tail_is_named_by_its_checkpoint() {
    let fx = Fixture::new();
    let cut = fx.head - 4;
    fx.attacker()
        .execute("DELETE FROM audit_log WHERE seq >= ?1", [cut as i64])
        .unwrap();
    broken(&fx, &[], cut, "removed");
}

/// Deletes the newest entries together with the checkpoints that covered them.
fn truncate_with_checkpoints(fx: &Fixture) -> u64 {
    let cut = fx.head - 4;
    let c = fx.attacker();
    c.execute("DELETE FROM audit_log WHERE seq >= ?1", [cut as i64])
        .unwrap();
    c.execute(
        "DELETE FROM audit_checkpoints WHERE seq >= ?1",
        [cut as i64],
    )
    .unwrap();
    cut
}

#[test]
fn a_truncated_tail_with_its_checkpoints_is_named_by_the_signed_head() {
    let fx = Fixture::new();
    let cut = truncate_with_checkpoints(&fx);
    broken(&fx, &[], cut, "removed");
}

#[test]
fn a_truncated_tail_with_its_checkpoints_and_head_file_is_named_by_the_witness() {
    let fx = Fixture::new();
    let cut = truncate_with_checkpoints(&fx);
    std::fs::remove_file(fx.head_file()).unwrap();
    let ok = verify(fx.path(), &[]);
    assert_eq!(
        ok["ok"], true,
        "without any outside copy it looks younger: {ok}"
    );
    let w = fx.witness();
    broken(&fx, &["--witness", w.to_str().unwrap()], cut, "removed");
}

#[test]
fn the_next_writer_does_not_sign_over_a_truncation() {
    let fx = Fixture::new();
    truncate_with_checkpoints(&fx);
    let before = std::fs::read(fx.head_file()).unwrap();
    // The next process to write refuses to sign (that would replace the copy outside the
    // database with a signature over the shortened log).
    std::fs::write(fx.path().join("c.csv"), rows(12, 14)).unwrap();
    let o = steward(fx.path(), &["import", "c.csv"], &[]);
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(
        std::fs::read(fx.head_file()).unwrap(),
        before,
        "head file kept"
    );
    // The new entries took the removed numbers: the signed head no longer matches its
    // entry, and the report names the last checkpoint that still agrees.
    broken(&fx, &[], fx.head, "checkpoint_mismatch");
    let v = verify(fx.path(), &[]);
    assert!(
        v["break"]["message"]
            .as_str()
            .unwrap()
            .contains(&format!("after {}", fx.first_checkpoint)),
        "{v}"
    );
}

#[test]
fn deleted_checkpoints_are_named() {
    let fx = Fixture::new();
    fx.attacker()
        .execute("DELETE FROM audit_checkpoints", [])
        .unwrap();
    broken(&fx, &[], fx.head, "checkpoint_removed");
    // Without any copy outside the database: an unsigned log over the limit is refused.
    std::fs::remove_file(fx.head_file()).unwrap();
    broken(&fx, &["--max-unsigned", "10"], 1, "unsigned");
    let v = verify(fx.path(), &["--max-unsigned", "100000"]);
    assert_eq!(v["ok"], true);
    assert_eq!(
        v["unsigned"], fx.head,
        "every entry is reported unsigned: {v}"
    );
}

#[test]
fn malformed_checkpoints_are_tampering_named_by_their_entry() {
    for (sql, kind) in [
        (
            "UPDATE audit_checkpoints SET signature = x'' WHERE seq = ?1",
            "signature",
        ),
        (
            "UPDATE audit_checkpoints SET signature = x'0102' WHERE seq = ?1",
            "bad signature",
        ),
        (
            "UPDATE audit_checkpoints SET head_hash = x'01' WHERE seq = ?1",
            "head_hash",
        ),
        (
            "UPDATE audit_checkpoints SET key_id = 'a b' WHERE seq = ?1",
            "key_id",
        ),
        (
            "UPDATE audit_checkpoints SET signed_at = 'x' WHERE seq = ?1",
            "signed_at",
        ),
    ] {
        let fx = Fixture::new();
        let seq = fx.first_checkpoint;
        assert_eq!(fx.attacker().execute(sql, params![seq as i64]).unwrap(), 1);
        if kind == "bad signature" {
            broken(&fx, &[], seq, "bad_signature");
        } else {
            broken(&fx, &[], seq, "malformed_checkpoint");
            let v = verify(fx.path(), &[]);
            assert!(
                v["break"]["message"].as_str().unwrap().contains(kind),
                "{v}"
            );
        }
    }
}

#[test]
fn a_forged_signed_head_file_is_refused() {
    let fx = Fixture::new();
    let raw = std::fs::read_to_string(fx.head_file()).unwrap();
    let mut head: serde_json::Value = serde_json::from_str(&raw).unwrap();
    head["head_hash"] = serde_json::Value::String("00".repeat(32));
    std::fs::write(fx.head_file(), head.to_string()).unwrap();
    broken(&fx, &[], fx.head, "bad_signature");
    std::fs::write(fx.head_file(), "{not json").unwrap();
    let o = steward(fx.path(), &["audit", "verify", "--json"], &[]);
    assert_eq!(
        o.status.code(),
        Some(2),
        "an unreadable head file: {}",
        text(&o)
    );
    assert!(text(&o).contains("audit-head.json"), "{}", text(&o));
}
