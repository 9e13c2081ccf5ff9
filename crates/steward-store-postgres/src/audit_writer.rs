//! Group commit for audit appends.
//!
//! Every append must hold the chain head lock (a `SELECT … FOR UPDATE` on the one-row
//! `audit_head` table) from numbering to COMMIT, fsync included, so appends are serialized
//! database-wide. One lock hold per call would cap a process at about one append per fsync;
//! instead each process runs one writer task: callers queue their events and await a reply,
//! the task takes everything queued (up to `max_batch` events), appends it in one transaction
//! (one lock hold, one multi-row insert, one fsync) and answers every caller after COMMIT.
//! While one group commits, the next one queues up. Several processes each run their own task
//! and take turns on the lock.
//!
//! INVARIANT: a caller gets `Ok` only after the transaction holding its events committed. A
//! caller whose events conflict with stored ones (`AppendOnly`) fails alone and takes no
//! sequence number; a database failure fails the whole group and moves nothing.

use deadpool_postgres::{Object, Pool};
use steward_store::{AuditSeq, StoreError};
use tokio::sync::{mpsc, oneshot};

use crate::ops::audit::{Encoded, append_group};
use crate::sql::pool as sql_pool;

struct Job {
    events: Vec<Encoded>,
    reply: oneshot::Sender<Result<Vec<AuditSeq>, StoreError>>,
}

/// The handle callers use; the task stops when the last handle is dropped.
#[derive(Debug, Clone)]
pub(crate) struct AuditWriter {
    jobs: mpsc::Sender<Job>,
}

impl std::fmt::Debug for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Job")
            .field("events", &self.events.len())
            .finish()
    }
}

impl AuditWriter {
    /// Starts the writer task on the current tokio runtime.
    pub(crate) fn start(pool: Pool, max_batch: usize) -> Self {
        let (jobs, rx) = mpsc::channel(4096);
        tokio::spawn(run(pool, rx, max_batch.max(1)));
        Self { jobs }
    }

    /// Appends `events` atomically; returns their sequence numbers once committed.
    pub(crate) async fn append(&self, events: Vec<Encoded>) -> Result<Vec<AuditSeq>, StoreError> {
        let (reply, answer) = oneshot::channel();
        self.jobs
            .send(Job { events, reply })
            .await
            .map_err(|_| StoreError::Closed)?;
        answer.await.map_err(|_| StoreError::Closed)?
    }
}

async fn run(pool: Pool, mut rx: mpsc::Receiver<Job>, max_batch: usize) {
    while let Some(first) = rx.recv().await {
        let mut queued = first.events.len();
        let mut group = vec![first];
        while queued < max_batch {
            match rx.try_recv() {
                Ok(job) => {
                    queued += job.events.len();
                    group.push(job);
                }
                Err(_) => break,
            }
        }
        let outcome = commit(&pool, &group).await;
        match outcome {
            Ok(results) => {
                for (job, result) in group.into_iter().zip(results) {
                    // A caller that gave up (dropped its future) no longer listens.
                    let _ = job.reply.send(result);
                }
            }
            Err(e) => {
                for job in group {
                    let _ = job.reply.send(Err(e.clone()));
                }
            }
        }
    }
}

async fn commit(
    pool: &Pool,
    group: &[Job],
) -> Result<Vec<Result<Vec<AuditSeq>, StoreError>>, StoreError> {
    let client = pool.get().await.map_err(sql_pool)?;
    let jobs: Vec<&[Encoded]> = group.iter().map(|j| j.events.as_slice()).collect();
    match append_group(&client, &jobs).await {
        Ok(r) => Ok(r),
        Err(e) => {
            // Leave no transaction open on a pooled connection; if even ROLLBACK fails, the
            // connection is dropped instead of going back to the pool.
            if client.batch_execute("ROLLBACK").await.is_err() {
                drop(Object::take(client));
            }
            Err(e)
        }
    }
}
