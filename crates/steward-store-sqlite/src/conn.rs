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
