//! The writer thread: one connection, one thread, group commit.
//!
//! Callers send a write (a closure over the connection) through a channel and await a
//! one-shot reply. The thread takes the first queued write, drains whatever else is queued
//! (up to `max_batch`), runs them all in **one** `BEGIN IMMEDIATE … COMMIT` transaction, each
//! inside its own savepoint, and only after COMMIT returns replies to every caller. While a
//! commit is being fsynced, new writes queue up and form the next batch: under load one fsync
//! covers hundreds of writes (group commit), and an idle store still commits a lone write at
//! once.
//!
//! INVARIANT: a caller gets `Ok` only after the transaction holding its write has committed.
//! A write that fails is rolled back to its savepoint and fails alone; the others in the batch
//! commit. If COMMIT fails, every write of the batch fails.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Mutex;
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread::JoinHandle;

use rusqlite::Connection;
use steward_store::{AuditSeq, ChainHead, Digest, StoreError};
use tokio::sync::oneshot;

use crate::sql::{RowExt, db, query_opt};

/// State carried through one transaction.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct TxCtx {
    /// The audit head as of now in this transaction: `None` = not read yet in this transaction.
    head: Option<Option<ChainHead>>,
}

impl TxCtx {
    /// The audit chain head, read once per transaction (under the write lock, so it is exact
    /// even if another process appended since our last transaction).
    pub(crate) fn audit_head(
        &mut self,
        conn: &Connection,
    ) -> Result<Option<ChainHead>, StoreError> {
        if let Some(h) = self.head {
            return Ok(h);
        }
        let h = read_head(conn)?;
        self.head = Some(h);
        Ok(h)
    }

    /// Moves the head after an append.
    pub(crate) fn set_head(&mut self, head: ChainHead) {
        self.head = Some(Some(head));
    }
}

/// The last audit entry.
pub(crate) fn read_head(conn: &Connection) -> Result<Option<ChainHead>, StoreError> {
    query_opt(
        conn,
        "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1",
        [],
        |r| {
            let seq = AuditSeq::try_from(r.i64_at(0, "audit seq")?)
                .map_err(|_| StoreError::corrupt("audit seq"))?;
            let hash = Digest::from_slice(r.blob_at(1, "audit hash")?)
                .map_err(|_| StoreError::corrupt("audit hash"))?;
            Ok(ChainHead { seq, hash })
        },
    )
}

trait Job: Send {
    /// Runs the write inside the open transaction; returns whether it succeeded.
    fn run(&mut self, conn: &Connection, ctx: &mut TxCtx) -> bool;
    /// Sends the reply once the transaction's fate is known.
    fn complete(self: Box<Self>, commit: Result<(), StoreError>);
}

struct TypedJob<T, F> {
    work: Option<F>,
    outcome: Option<Result<T, StoreError>>,
    reply: oneshot::Sender<Result<T, StoreError>>,
}

/// A write closure panicked (a bug); the write fails, the writer thread lives on.
#[derive(Debug)]
struct WriterPanic;

impl std::fmt::Display for WriterPanic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a write panicked inside the writer thread")
    }
}

impl std::error::Error for WriterPanic {}

impl<T, F> Job for TypedJob<T, F>
where
    T: Send,
    F: FnOnce(&Connection, &mut TxCtx) -> Result<T, StoreError> + Send,
{
    fn run(&mut self, conn: &Connection, ctx: &mut TxCtx) -> bool {
        let Some(work) = self.work.take() else {
            return false;
        };
        let result = catch_unwind(AssertUnwindSafe(|| work(conn, ctx)))
            .unwrap_or_else(|_| Err(StoreError::backend(WriterPanic)));
        let ok = result.is_ok();
        self.outcome = Some(result);
        ok
    }

    fn complete(self: Box<Self>, commit: Result<(), StoreError>) {
        let result = match (self.outcome, commit) {
            (Some(Err(e)), _) => Err(e),
            (Some(Ok(v)), Ok(())) => Ok(v),
            (Some(Ok(_)), Err(e)) => Err(e),
            (None, Err(e)) => Err(e),
            (None, Ok(())) => Err(StoreError::Closed),
        };
        // The caller may have gone away (cancelled request): nothing to do then.
        let _ = self.reply.send(result);
    }
}

/// Handle to the writer thread.
pub(crate) struct Writer {
    sender: Mutex<Option<Sender<Box<dyn Job>>>>,
    thread: Mutex<Option<JoinHandle<()>>>,
}

impl std::fmt::Debug for Writer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Writer").finish_non_exhaustive()
    }
}

impl Writer {
    /// Starts the thread that owns `conn`.
    pub(crate) fn start(conn: Connection, max_batch: usize) -> Result<Self, StoreError> {
        let (tx, rx) = mpsc::channel::<Box<dyn Job>>();
        let thread = std::thread::Builder::new()
            .name("steward-sqlite-writer".into())
            .spawn(move || writer_loop(conn, rx, max_batch.max(1)))
            .map_err(StoreError::backend)?;
        Ok(Self {
            sender: Mutex::new(Some(tx)),
            thread: Mutex::new(Some(thread)),
        })
    }

    /// Runs `work` in the next transaction; resolves after it committed (or failed).
    pub(crate) async fn run<T, F>(&self, work: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection, &mut TxCtx) -> Result<T, StoreError> + Send + 'static,
    {
        let (reply, rx) = oneshot::channel();
        let job: Box<dyn Job> = Box::new(TypedJob {
            work: Some(work),
            outcome: None,
            reply,
        });
        {
            let guard = self.sender.lock().unwrap_or_else(|e| e.into_inner());
            let sender = guard.as_ref().ok_or(StoreError::Closed)?;
            sender.send(job).map_err(|_| StoreError::Closed)?;
        }
        rx.await.map_err(|_| StoreError::Closed)?
    }

    /// Stops accepting writes, lets the thread commit what is queued, and waits for it.
    pub(crate) fn shutdown(&self) {
        drop(self.sender.lock().unwrap_or_else(|e| e.into_inner()).take());
        let handle = self.thread.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(h) = handle {
            let _ = h.join();
        }
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        self.shutdown();
    }
}

fn writer_loop(conn: Connection, rx: Receiver<Box<dyn Job>>, max_batch: usize) {
    let mut batch: Vec<Box<dyn Job>> = Vec::with_capacity(max_batch);
    while let Ok(first) = rx.recv() {
        batch.push(first);
        while batch.len() < max_batch {
            match rx.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let commit = run_batch(&conn, &mut batch);
        for job in batch.drain(..) {
            job.complete(commit.clone());
        }
    }
    // All handles are gone: leave the database tidy for the next open.
    let _ = conn.execute_batch("PRAGMA optimize");
}

fn stmt(conn: &Connection, sql: &str) -> Result<(), StoreError> {
    conn.prepare_cached(sql)
        .map_err(db)?
        .execute([])
        .map_err(db)?;
    Ok(())
}

fn rollback(conn: &Connection) {
    if !conn.is_autocommit() {
        let _ = conn.execute_batch("ROLLBACK");
    }
}

fn run_batch(conn: &Connection, batch: &mut [Box<dyn Job>]) -> Result<(), StoreError> {
    // A previous failure may have left a transaction open; never nest.
    rollback(conn);
    stmt(conn, "BEGIN IMMEDIATE")?;
    let mut ctx = TxCtx::default();
    if let [only] = batch {
        // One write: no savepoint needed, a failure rolls the transaction back.
        if !only.run(conn, &mut ctx) {
            rollback(conn);
            return Ok(());
        }
    } else {
        for job in batch.iter_mut() {
            if let Err(e) = stmt(conn, "SAVEPOINT w") {
                rollback(conn);
                return Err(e);
            }
            let saved = ctx;
            let ok = job.run(conn, &mut ctx);
            let end = if ok {
                stmt(conn, "RELEASE w")
            } else {
                ctx = saved;
                stmt(conn, "ROLLBACK TO w").and_then(|()| stmt(conn, "RELEASE w"))
            };
            if let Err(e) = end {
                rollback(conn);
                return Err(e);
            }
        }
    }
    match stmt(conn, "COMMIT") {
        Ok(()) => Ok(()),
        Err(e) => {
            rollback(conn);
            Err(e)
        }
    }
}
