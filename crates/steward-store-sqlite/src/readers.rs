//! The pool of read connections.
//!
//! Two ways to read, both with a connection leased from the pool (one semaphore permit per
//! connection). In WAL mode readers never block the writer nor each other, and each read
//! statement sees the database as of the last commit.
//!
//! - [`Readers::scan`] runs on tokio's blocking threads (`spawn_blocking`): for reads whose
//!   size depends on the data (pages of the audit log, disclosure lists, retention sweeps).
//! - [`Readers::point`] runs a *point lookup* (one B-tree descent: an item by id, a subject by
//!   blind token) directly on the calling task's thread when a connection is free, and falls
//!   back to `scan` when none is. Measured on this 2-core VM, the hand-off to a blocking
//!   thread and back costs 25–50 µs per call while the lookup itself takes a few µs from the
//!   page cache: going through `spawn_blocking` made reads 5–10x slower. The price is that a
//!   point lookup that misses the page cache blocks its worker thread for one disk read.
//!   `SqliteOptions::inline_point_reads = false` turns this off.

use std::path::Path;
use std::sync::{Arc, Mutex};

use rusqlite::Connection;
use steward_store::StoreError;
use tokio::sync::Semaphore;

use crate::conn::{SqliteOptions, open_reader};

struct Inner {
    idle: Mutex<Vec<Connection>>,
    permits: Arc<Semaphore>,
}

/// The read pool.
#[derive(Clone)]
pub(crate) struct Readers {
    inner: Arc<Inner>,
    inline: bool,
}

impl std::fmt::Debug for Readers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Readers").finish_non_exhaustive()
    }
}

/// A connection on loan; goes back to the pool when dropped, even if the read panicked.
struct Lease<'a> {
    conn: Option<Connection>,
    inner: &'a Inner,
}

impl Drop for Lease<'_> {
    fn drop(&mut self) {
        if let Some(conn) = self.conn.take() {
            self.inner
                .idle
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(conn);
        }
    }
}

impl Readers {
    /// Opens `opts.readers` connections.
    pub(crate) fn open(path: &Path, opts: &SqliteOptions) -> Result<Self, StoreError> {
        let n = opts.readers.max(1);
        let conns = (0..n)
            .map(|_| open_reader(path, opts))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self {
            inner: Arc::new(Inner {
                idle: Mutex::new(conns),
                permits: Arc::new(Semaphore::new(n)),
            }),
            inline: opts.inline_point_reads,
        })
    }

    /// Runs a bounded point lookup, inline when a connection is free (see the module docs).
    pub(crate) async fn point<T, F>(&self, read: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    {
        if self.inline
            && let Ok(permit) = self.inner.permits.try_acquire()
        {
            let conn = self
                .inner
                .idle
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .pop();
            if let Some(conn) = conn {
                let lease = Lease {
                    conn: Some(conn),
                    inner: &self.inner,
                };
                let result = match lease.conn.as_ref() {
                    Some(c) => read(c),
                    None => Err(StoreError::Closed),
                };
                drop(lease);
                drop(permit);
                return result;
            }
        }
        self.scan(read).await
    }

    /// Runs a read on a pooled connection on a blocking thread.
    pub(crate) async fn scan<T, F>(&self, read: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let permit = Arc::clone(&self.inner.permits)
            .acquire_owned()
            .await
            .map_err(|_| StoreError::Closed)?;
        let inner = Arc::clone(&self.inner);
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            let conn = inner.idle.lock().unwrap_or_else(|e| e.into_inner()).pop();
            // INVARIANT: one permit per pooled connection, so a permit holder finds one.
            let lease = Lease {
                conn: Some(conn.ok_or(StoreError::Closed)?),
                inner: &inner,
            };
            match lease.conn.as_ref() {
                Some(c) => read(c),
                None => Err(StoreError::Closed),
            }
        })
        .await
        .map_err(StoreError::backend)?
    }

    /// Closes every idle connection and refuses further reads.
    pub(crate) fn close(&self) {
        self.inner.permits.close();
        self.inner
            .idle
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }
}
