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
//!
//! # Audited writes: a transactional outbox
//!
//! A write that is audited (`AuditLog::write_audited`: choices, items, disclosures) must commit
//! with its audit entry. Chaining the entry inside the write's own transaction would make every
//! such write lock the chain head row from its first statement to its COMMIT (fsync included),
//! serializing all audited writes of all processes one fsync at a time (the head lock is what
//! the group commit above exists to amortize). Instead the write's transaction also inserts the
//! events, unchained, into `audit_intents` (one more statement, no lock), and then asks this
//! task to [`sync`](AuditWriter::sync): every group transaction first chains the pending
//! intents (oldest first, up to `max_batch`) and deletes them in the same transaction, so the
//! intents of many concurrent writes share one head lock and one fsync, exactly like appends.
//! A sync is answered once no intent committed before it is left, so `write_audited` returns
//! with its entries chained. If the process dies between the write's commit and the chaining,
//! the intents stay in the table and are chained by the next group of any process, or when a
//! store is opened (`PgStore::connect` chains what it finds): every committed write gets its
//! entry, in the order the intents are taken.

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

    /// Returns once every audit intent committed before the call is chained (by this task's
    /// next group, or by another process before it).
    pub(crate) async fn sync(&self) -> Result<(), StoreError> {
        self.append(Vec::new()).await.map(|_| ())
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
        let outcome = commit(&pool, &group, max_batch).await;
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
    max_batch: usize,
) -> Result<Vec<Result<Vec<AuditSeq>, StoreError>>, StoreError> {
    let client = pool.get().await.map_err(sql_pool)?;
    let jobs: Vec<&[Encoded]> = group.iter().map(|j| j.events.as_slice()).collect();
    let mut outcome = group_once(client, &jobs, max_batch).await?;
    // A full page of intents may have left more behind: chain them before answering, so a
    // sync returns with every earlier intent chained.
    while outcome.intents >= max_batch {
        let jobs = std::mem::take(&mut outcome.jobs);
        let client = outcome.client.take().ok_or(StoreError::Closed)?;
        outcome = group_once(client, &[], max_batch).await?;
        outcome.jobs = jobs;
    }
    Ok(outcome.jobs)
}

/// Chains pending intents until none is left; returns how many were taken.
pub(crate) async fn drain_intents(pool: &Pool, max_batch: usize) -> Result<u64, StoreError> {
    let mut client = pool.get().await.map_err(sql_pool)?;
    let mut total = 0u64;
    loop {
        let mut outcome = group_once(client, &[], max_batch).await?;
        total += outcome.intents as u64;
        if outcome.intents < max_batch {
            return Ok(total);
        }
        client = outcome.client.take().ok_or(StoreError::Closed)?;
    }
}

/// One group transaction on `client`; the connection comes back for another one.
struct Once {
    jobs: Vec<Result<Vec<AuditSeq>, StoreError>>,
    intents: usize,
    client: Option<deadpool_postgres::Client>,
}

async fn group_once(
    client: deadpool_postgres::Client,
    jobs: &[&[Encoded]],
    max_batch: usize,
) -> Result<Once, StoreError> {
    match append_group(&client, jobs, max_batch).await {
        Ok(r) => Ok(Once {
            jobs: r.jobs,
            intents: r.intents,
            client: Some(client),
        }),
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
