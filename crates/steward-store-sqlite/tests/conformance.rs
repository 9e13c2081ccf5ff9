//! The steward-store conformance suite against SQLite: one test per case, each on a fresh
//! database file in its own temporary directory.

#![expect(
    clippy::unwrap_used,
    reason = "test code: a failed step fails the test"
)]

use std::path::{Path, PathBuf};
use std::sync::Arc;

use async_trait::async_trait;
use rusqlite::{Connection, params};
use steward_store::canonical::{chain_hash, indexed_fields};
use steward_store::conformance::{CheckpointColumn, StoreFactory, StoreFixture, Tamper};
use steward_store::{AuditSeq, Digest, Store, StoreError};
use steward_store_sqlite::{SqliteOptions, SqliteStore};

struct SqliteFactory;

struct SqliteFixture {
    _dir: tempfile::TempDir,
    path: PathBuf,
    store: Option<Arc<dyn Store>>,
}

#[async_trait]
impl StoreFactory for SqliteFactory {
    type Fixture = SqliteFixture;

    async fn fresh(&self) -> SqliteFixture {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("steward.db");
        let store = SqliteStore::open(&path, SqliteOptions::default()).unwrap();
        SqliteFixture {
            _dir: dir,
            path,
            store: Some(Arc::new(store)),
        }
    }
}

/// A separate connection, as an attacker with the file would open it. The append-only
/// triggers are dropped first: someone with write access to the file can do that too.
fn attacker(path: &Path) -> Connection {
    let c = Connection::open(path).unwrap();
    c.busy_timeout(std::time::Duration::from_secs(5)).unwrap();
    c.execute_batch(
        "DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete;
         DROP TRIGGER IF EXISTS audit_checkpoints_no_update;
         DROP TRIGGER IF EXISTS audit_checkpoints_no_delete;",
    )
    .unwrap();
    c
}

fn seq_i(s: AuditSeq) -> i64 {
    s.get() as i64
}

fn body(c: &Connection, seq: AuditSeq) -> Vec<u8> {
    c.query_row(
        "SELECT body FROM audit_log WHERE seq = ?1",
        [seq_i(seq)],
        |r| r.get(0),
    )
    .unwrap()
}

fn prev(c: &Connection, seq: AuditSeq) -> Digest {
    let b: Vec<u8> = c
        .query_row(
            "SELECT prev_hash FROM audit_log WHERE seq = ?1",
            [seq_i(seq)],
            |r| r.get(0),
        )
        .unwrap();
    Digest::from_slice(&b).unwrap()
}

fn flip(c: &Connection, seq: AuditSeq, offset: usize) -> Vec<u8> {
    let mut b = body(c, seq);
    b[offset] ^= 0x01;
    c.execute(
        "UPDATE audit_log SET body = ?2 WHERE seq = ?1",
        params![seq_i(seq), b],
    )
    .unwrap();
    b
}

#[async_trait]
impl StoreFixture for SqliteFixture {
    fn store(&self) -> Arc<dyn Store> {
        Arc::clone(self.store.as_ref().unwrap())
    }

    async fn tamper(&self, tamper: Tamper) {
        let c = attacker(&self.path);
        match tamper {
            Tamper::FlipBodyBit { seq, offset } => {
                flip(&c, seq, offset);
            }
            Tamper::FlipBodyBitAndRehash { seq, offset } => {
                let b = flip(&c, seq, offset);
                let h = chain_hash(&prev(&c, seq), seq, &b);
                c.execute(
                    "UPDATE audit_log SET hash = ?2 WHERE seq = ?1",
                    params![seq_i(seq), h.0],
                )
                .unwrap();
            }
            Tamper::RewriteFrom { seq, offset } => {
                flip(&c, seq, offset);
                let mut prev_hash = if seq == AuditSeq::FIRST {
                    Digest::ZERO
                } else {
                    prev(&c, seq)
                };
                let last: i64 = c
                    .query_row("SELECT MAX(seq) FROM audit_log", [], |r| r.get(0))
                    .unwrap();
                for s in seq.get()..=last as u64 {
                    let s = AuditSeq::new(s).unwrap();
                    let b = body(&c, s);
                    let h = chain_hash(&prev_hash, s, &b);
                    let idx = indexed_fields(&b).unwrap();
                    c.execute(
                        "UPDATE audit_log SET prev_hash = ?2, hash = ?3, event_id = ?4, at = ?5, kind = ?6, subject = ?7 WHERE seq = ?1",
                        params![
                            seq_i(s),
                            prev_hash.0,
                            h.0,
                            idx.event_id.to_bytes(),
                            idx.at_micros,
                            idx.kind.code(),
                            idx.subject.map(|x| x.to_bytes())
                        ],
                    )
                    .unwrap();
                    prev_hash = h;
                }
            }
            Tamper::DeleteEntry { seq } => {
                c.execute("DELETE FROM audit_log WHERE seq = ?1", [seq_i(seq)])
                    .unwrap();
            }
            Tamper::DeleteFrom { seq } => {
                c.execute("DELETE FROM audit_log WHERE seq >= ?1", [seq_i(seq)])
                    .unwrap();
            }
            Tamper::SwapEntries { a, b } => {
                // Move b out of the way, then exchange contents (the unique event index
                // forbids two rows with one event id, so go through a temporary row).
                c.execute_batch("BEGIN").unwrap();
                c.execute("UPDATE audit_log SET seq = -1 WHERE seq = ?1", [seq_i(b)])
                    .unwrap();
                c.execute(
                    "UPDATE audit_log SET seq = ?2 WHERE seq = ?1",
                    params![seq_i(a), seq_i(b)],
                )
                .unwrap();
                c.execute("UPDATE audit_log SET seq = ?1 WHERE seq = -1", [seq_i(a)])
                    .unwrap();
                c.execute_batch("COMMIT").unwrap();
            }
            Tamper::SetSubjectColumn { seq, subject } => {
                c.execute(
                    "UPDATE audit_log SET subject = ?2 WHERE seq = ?1",
                    params![seq_i(seq), subject],
                )
                .unwrap();
            }
            Tamper::DeleteCheckpointsFrom { seq } => {
                c.execute(
                    "DELETE FROM audit_checkpoints WHERE seq >= ?1",
                    [seq_i(seq)],
                )
                .unwrap();
            }
            Tamper::MalformCheckpoint { seq, column } => {
                let (sql, value): (&str, rusqlite::types::Value) = match column {
                    CheckpointColumn::EmptySignature => (
                        "UPDATE audit_checkpoints SET signature = ?2 WHERE seq = ?1",
                        rusqlite::types::Value::Blob(Vec::new()),
                    ),
                    CheckpointColumn::LongSignature => (
                        "UPDATE audit_checkpoints SET signature = ?2 WHERE seq = ?1",
                        rusqlite::types::Value::Blob(vec![7; 600]),
                    ),
                    CheckpointColumn::HeadHash => (
                        "UPDATE audit_checkpoints SET head_hash = ?2 WHERE seq = ?1",
                        rusqlite::types::Value::Blob(vec![1; 5]),
                    ),
                    CheckpointColumn::KeyId => (
                        "UPDATE audit_checkpoints SET key_id = ?2 WHERE seq = ?1",
                        rusqlite::types::Value::Text("not a key".into()),
                    ),
                };
                assert_eq!(c.execute(sql, params![seq_i(seq), value]).unwrap(), 1);
            }
            Tamper::BumpSchemaVersion => {
                c.execute(
                    "INSERT INTO steward_schema (version, name, applied_at) VALUES (?1, 'from-the-future', 0)",
                    [SqliteStore::schema_version() + 1],
                )
                .unwrap();
            }
        }
    }

    async fn raw_bytes(&self) -> Option<Vec<u8>> {
        let mut raw = std::fs::read(&self.path).unwrap();
        let mut wal = self.path.clone().into_os_string();
        wal.push("-wal");
        if let Ok(w) = std::fs::read(&wal) {
            raw.extend(w);
        }
        Some(raw)
    }

    async fn reopen(&mut self) -> Result<Arc<dyn Store>, StoreError> {
        // Dropping the last handle commits what is queued and stops the writer thread.
        drop(self.store.take());
        let store: Arc<dyn Store> =
            Arc::new(SqliteStore::open(&self.path, SqliteOptions::default())?);
        self.store = Some(Arc::clone(&store));
        Ok(store)
    }
}

steward_store::conformance_tests!(SqliteFactory);

/// `run_all` drives the same cases in sequence (it must stay usable for other backends).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn run_all_cases_in_sequence() {
    steward_store::conformance::run_all(&SqliteFactory).await;
}

/// SECURITY: the database, its WAL and its shared-memory file are readable by their owner only
/// (0600), like the key ring and exports; a database left 0644 by an older version is
/// tightened when it is opened.
#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn database_files_are_private_to_their_owner() {
    use std::os::unix::fs::PermissionsExt;
    use steward_store::AuditLog;
    use steward_store::conformance::fixtures::decision_event;
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("steward.db");
    let store = SqliteStore::open(&path, SqliteOptions::default()).unwrap();
    store
        .append_audit(&[decision_event(None, 1)])
        .await
        .unwrap();
    assert_eq!(mode(&path), 0o600, "database file");
    for suffix in ["-wal", "-shm"] {
        let p = PathBuf::from(format!("{}{suffix}", path.display()));
        assert!(p.exists(), "{suffix} exists while the store is open");
        assert_eq!(mode(&p), 0o600, "{suffix}");
    }
    drop(store);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let _again = SqliteStore::open(&path, SqliteOptions::default()).unwrap();
    assert_eq!(mode(&path), 0o600, "an existing 0644 database is tightened");
}
