//! Opening connections with the right pragmas.
//!
//! # Durability: why `synchronous = FULL`
//!
//! In WAL mode, `synchronous = NORMAL` does not fsync the WAL at each commit, only at
//! checkpoints. A committed transaction then survives the *process* dying (`kill -9`: the
//! WAL pages are in the OS page cache) but not the *machine* dying (power loss, kernel panic):
//! the last transactions before the crash can roll back. Steward acknowledges a write to its
//! caller only after COMMIT and promises that an acknowledged consent, opt-out or audit entry
//! is never lost, so the default is `FULL`: every commit fsyncs the WAL before it returns.
//! Group commit (one fsync per batch of queued writes, see `writer`) pays for it.
//! `Durability::Normal` is offered for deployments that accept losing the last moments of
//! writes on power loss.

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};
use steward_store::StoreError;

use crate::sql::db;

/// How hard a commit tries to reach stable storage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Durability {
    /// `synchronous = FULL`: an acknowledged write survives power loss (the default).
    #[default]
    Full,
    /// `synchronous = NORMAL`: an acknowledged write survives a process crash, but the last
    /// transactions may be lost on power loss. Faster when writes are not batched.
    Normal,
}

/// Tuning of a SQLite store.
#[derive(Debug, Clone)]
pub struct SqliteOptions {
    /// Durability of commits.
    pub durability: Durability,
    /// Read connections in the pool (at least 1).
    pub readers: usize,
    /// Most queued write requests committed in one transaction.
    pub max_batch: usize,
    /// Page cache per connection, in KiB.
    pub cache_kib: u32,
    /// Memory-mapped I/O for readers, in bytes (0 disables it).
    pub mmap_bytes: u64,
    /// How long a connection waits for a lock held by another process.
    pub busy_timeout: Duration,
    /// Run point lookups on the calling task's thread instead of a blocking thread (see
    /// `readers`: 5–10x faster reads, at the price of a worker thread blocked during a disk
    /// read on a page-cache miss).
    pub inline_point_reads: bool,
}

impl Default for SqliteOptions {
    fn default() -> Self {
        Self {
            durability: Durability::Full,
            readers: 4,
            max_batch: 512,
            cache_kib: 32 * 1024,
            mmap_bytes: 256 * 1024 * 1024,
            busy_timeout: Duration::from_secs(5),
            inline_point_reads: true,
        }
    }
}

fn common(conn: &Connection, opts: &SqliteOptions) -> Result<(), StoreError> {
    conn.busy_timeout(opts.busy_timeout).map_err(db)?;
    conn.set_prepared_statement_cache_capacity(128);
    // The query planner's stability guarantee: plans never depend on bound values. Without
    // it, SQLite 3.54 marks a statement with a bound parameter and an ORDER BY (or LIMIT) to
    // be re-prepared at every new binding, so a cached statement (a subject's ledger, an
    // audit page) was parsed and planned again on every call: about 8% of the server's CPU
    // in a decision load test about stored subjects. Our statements are written for their
    // indexes; the test below checks a cached statement is reused.
    conn.set_db_config(
        rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
        true,
    )
    .map_err(db)?;
    conn.pragma_update(None, "cache_size", -i64::from(opts.cache_kib))
        .map_err(db)?;
    conn.pragma_update(None, "temp_store", "MEMORY")
        .map_err(db)?;
    Ok(())
}

/// The single write connection.
pub(crate) fn open_writer(path: &Path, opts: &SqliteOptions) -> Result<Connection, StoreError> {
    let conn = Connection::open_with_flags(path, OpenFlags::default()).map_err(db)?;
    common(&conn, opts)?;
    let mode: String = conn
        .pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))
        .map_err(db)?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(StoreError::corrupt(
            "journal mode (WAL could not be enabled)",
        ));
    }
    let sync = match opts.durability {
        Durability::Full => "FULL",
        Durability::Normal => "NORMAL",
    };
    conn.pragma_update(None, "synchronous", sync).map_err(db)?;
    conn.pragma_update(None, "foreign_keys", "ON").map_err(db)?;
    // SECURITY: zero deleted content (erased ciphertext, destroyed wrapped keys) in place.
    conn.pragma_update(None, "secure_delete", "ON")
        .map_err(db)?;
    // Keep the WAL file from growing without bound after large imports.
    conn.pragma_update(None, "journal_size_limit", 64 * 1024 * 1024i64)
        .map_err(db)?;
    Ok(conn)
}

/// A read connection (cannot write: `query_only`).
pub(crate) fn open_reader(path: &Path, opts: &SqliteOptions) -> Result<Connection, StoreError> {
    // Read-write flags even for readers: WAL readers need to write the shared-memory index.
    let conn = Connection::open_with_flags(path, OpenFlags::default()).map_err(db)?;
    common(&conn, opts)?;
    conn.pragma_update(None, "query_only", "ON").map_err(db)?;
    if opts.mmap_bytes > 0 {
        conn.pragma_update(
            None,
            "mmap_size",
            i64::try_from(opts.mmap_bytes).unwrap_or(i64::MAX),
        )
        .map_err(db)?;
    }
    Ok(conn)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;
    use rusqlite::StatementStatus;

    #[test]
    fn a_cached_statement_with_order_by_is_not_prepared_again_at_each_binding() {
        let conn = Connection::open_in_memory().unwrap();
        common(&conn, &SqliteOptions::default()).unwrap();
        conn.execute_batch(
            "CREATE TABLE t (k INTEGER NOT NULL, p BLOB NOT NULL, at INTEGER NOT NULL);
             CREATE INDEX t_by_k ON t(k, p, at);
             INSERT INTO t VALUES (0, x'01', 2), (0, x'01', 1), (1, x'02', 3);",
        )
        .unwrap();
        let sql = "SELECT at FROM t WHERE k = ?1 AND p = ?2 ORDER BY at";
        for (k, p) in [(0i64, vec![1u8]), (1, vec![2]), (0, vec![1]), (2, vec![3])] {
            let mut st = conn.prepare_cached(sql).unwrap();
            let rows: Vec<i64> = st
                .query_map(rusqlite::params![k, p], |r| r.get(0))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            if k == 0 {
                assert_eq!(rows, vec![1, 2], "the index order");
            }
            assert_eq!(
                st.get_status(StatementStatus::RePrepare),
                0,
                "binding new values must not re-prepare the statement"
            );
        }
    }
}
