//! The audit writer: every decision, read, write, choice and request step is
//! appended to the hash-chained audit log (AUD-01..06), in batches.
//!
//! Callers hand events to a background task and wait for the group commit,
//! so an acknowledged request always has its audit entry (and concurrent
//! requests share one store write). Every `checkpoint_every` entries the task
//! signs a checkpoint over the chain head with the Ed25519 audit key (AUD-02).
//! [`AuditWriter::flush`] waits for everything queued — used at shutdown.

use std::sync::Arc;
use std::time::Duration;

use steward_store::Store;
use steward_store::canonical::checkpoint_message;
use steward_store::error::Entity;
use steward_store::ids::AuditSeq;
use steward_store::model::audit::{AuditEvent, Checkpoint};
use steward_store::values::{SignatureBytes, SigningKeyId};
use steward_vault::CheckpointSigner;
use tokio::sync::{mpsc, oneshot};

use crate::clock::Clock;
use crate::error::CoreError;

type Reply = oneshot::Sender<Result<Vec<AuditSeq>, String>>;

enum Msg {
    Append(
        Vec<AuditEvent>,
        oneshot::Sender<Result<Vec<AuditSeq>, String>>,
    ),
    Flush(oneshot::Sender<()>),
}

/// Counters for metrics.
#[derive(Debug, Default)]
pub struct AuditStats {
    /// Events appended.
    pub appended: std::sync::atomic::AtomicU64,
    /// Store writes (batches).
    pub batches: std::sync::atomic::AtomicU64,
    /// Events waiting in the queue.
    pub queued: std::sync::atomic::AtomicI64,
    /// Checkpoints signed.
    pub checkpoints: std::sync::atomic::AtomicU64,
}

/// Hands audit events to the background writer.
#[derive(Debug, Clone)]
pub struct AuditWriter {
    tx: mpsc::Sender<Msg>,
    stats: Arc<AuditStats>,
}

impl std::fmt::Debug for Msg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Msg::Append(e, _) => write!(f, "Append({})", e.len()),
            Msg::Flush(_) => f.write_str("Flush"),
        }
    }
}

/// Writer settings.
#[derive(Debug, Clone, Copy)]
pub struct AuditSettings {
    /// Most events per store write.
    pub max_batch: usize,
    /// Sign a checkpoint after this many entries (0: never).
    pub checkpoint_every: u64,
    /// Queue depth (requests waiting to be written).
    pub queue: usize,
}

impl Default for AuditSettings {
    fn default() -> Self {
        AuditSettings {
            max_batch: 4096,
            checkpoint_every: 10_000,
            queue: 16_384,
        }
    }
}

impl AuditWriter {
    /// Start the writer task on the current tokio runtime.
    pub fn start(
        store: Arc<dyn Store>,
        signer: Option<Arc<CheckpointSigner>>,
        clock: Arc<dyn Clock>,
        settings: AuditSettings,
    ) -> AuditWriter {
        let (tx, rx) = mpsc::channel(settings.queue.max(1));
        let stats = Arc::new(AuditStats::default());
        tokio::spawn(run(rx, store, signer, clock, settings, stats.clone()));
        AuditWriter { tx, stats }
    }

    /// Append events and wait until they are durable; returns their sequence numbers.
    ///
    /// # Errors
    /// When the store refuses the batch or the writer is gone.
    pub async fn append(&self, events: Vec<AuditEvent>) -> Result<Vec<AuditSeq>, CoreError> {
        if events.is_empty() {
            return Ok(Vec::new());
        }
        let n = i64::try_from(events.len()).unwrap_or(i64::MAX);
        self.stats
            .queued
            .fetch_add(n, std::sync::atomic::Ordering::Relaxed);
        let (tx, rx) = oneshot::channel();
        self.tx
            .send(Msg::Append(events, tx))
            .await
            .map_err(|_| CoreError::Unavailable("audit writer stopped"))?;
        match rx.await {
            Ok(Ok(seqs)) => Ok(seqs),
            Ok(Err(msg)) => {
                tracing::error!(error = %msg, "audit append failed");
                Err(CoreError::Unavailable("audit log write failed"))
            }
            Err(_) => Err(CoreError::Unavailable("audit writer stopped")),
        }
    }

    /// Append one event.
    ///
    /// # Errors
    /// As [`append`](Self::append).
    pub async fn append_one(&self, event: AuditEvent) -> Result<AuditSeq, CoreError> {
        let seqs = self.append(vec![event]).await?;
        seqs.into_iter()
            .next()
            .ok_or(CoreError::Unavailable("audit writer returned nothing"))
    }

    /// Wait until everything queued so far is written.
    pub async fn flush(&self) {
        let (tx, rx) = oneshot::channel();
        if self.tx.send(Msg::Flush(tx)).await.is_ok() {
            let _ = rx.await;
        }
    }

    /// Counters.
    #[must_use]
    pub fn stats(&self) -> &AuditStats {
        &self.stats
    }
}

async fn run(
    mut rx: mpsc::Receiver<Msg>,
    store: Arc<dyn Store>,
    signer: Option<Arc<CheckpointSigner>>,
    clock: Arc<dyn Clock>,
    settings: AuditSettings,
    stats: Arc<AuditStats>,
) {
    use std::sync::atomic::Ordering::Relaxed;
    let mut since_checkpoint: u64 = 0;
    while let Some(first) = rx.recv().await {
        // Drain what is queued into one batch (group commit).
        let mut waiters: Vec<(usize, Reply)> = Vec::new();
        let mut flushes = Vec::new();
        let mut events: Vec<AuditEvent> = Vec::new();
        let mut push = |m: Msg, events: &mut Vec<AuditEvent>| match m {
            Msg::Append(mut e, tx) => {
                waiters.push((e.len(), tx));
                events.append(&mut e);
            }
            Msg::Flush(tx) => flushes.push(tx),
        };
        push(first, &mut events);
        while events.len() < settings.max_batch {
            match rx.try_recv() {
                Ok(m) => push(m, &mut events),
                Err(_) => break,
            }
        }
        let n = events.len();
        if n > 0 {
            let result = append_with_retry(store.as_ref(), &events).await;
            stats
                .queued
                .fetch_sub(i64::try_from(n).unwrap_or(0), Relaxed);
            match result {
                Ok(seqs) => {
                    stats.appended.fetch_add(n as u64, Relaxed);
                    stats.batches.fetch_add(1, Relaxed);
                    since_checkpoint += n as u64;
                    let mut offset = 0;
                    for (len, tx) in waiters {
                        let part = seqs
                            .get(offset..offset + len)
                            .map(<[AuditSeq]>::to_vec)
                            .unwrap_or_default();
                        offset += len;
                        let _ = tx.send(Ok(part));
                    }
                    if settings.checkpoint_every > 0
                        && since_checkpoint >= settings.checkpoint_every
                        && let Some(s) = &signer
                    {
                        match checkpoint(store.as_ref(), s, clock.as_ref()).await {
                            Ok(()) => {
                                stats.checkpoints.fetch_add(1, Relaxed);
                                since_checkpoint = 0;
                            }
                            Err(e) => {
                                tracing::warn!(error = %e, "audit checkpoint failed; will retry")
                            }
                        }
                    }
                }
                Err(e) => {
                    let msg = e.to_string();
                    for (_, tx) in waiters {
                        let _ = tx.send(Err(msg.clone()));
                    }
                }
            }
        }
        for f in flushes {
            let _ = f.send(());
        }
    }
    // The channel closed: sign a final checkpoint so the tail is covered.
    if let Some(s) = &signer
        && since_checkpoint > 0
        && let Err(e) = checkpoint(store.as_ref(), s, clock.as_ref()).await
    {
        tracing::warn!(error = %e, "final audit checkpoint failed");
    }
}

async fn append_with_retry(
    store: &dyn Store,
    events: &[AuditEvent],
) -> Result<Vec<AuditSeq>, steward_store::error::StoreError> {
    let mut delay = Duration::from_millis(5);
    let mut attempt = 0;
    loop {
        match store.append_audit(events).await {
            Ok(s) => return Ok(s),
            // Transient backend errors (a busy database) are retried; a refusal is not.
            Err(steward_store::error::StoreError::Backend(e)) if attempt < 5 => {
                tracing::warn!(error = %e, attempt, "audit append failed, retrying");
                tokio::time::sleep(delay).await;
                delay *= 2;
                attempt += 1;
            }
            Err(e) => return Err(e),
        }
    }
}

/// Sign a checkpoint over the current head.
///
/// # Errors
/// When the store cannot be read or written.
pub async fn checkpoint(
    store: &dyn Store,
    signer: &CheckpointSigner,
    clock: &dyn Clock,
) -> Result<(), CoreError> {
    let Some(head) = store.audit_head().await? else {
        return Ok(());
    };
    let signed_at = steward_store::values::store_precision(clock.now());
    let key_id = SigningKeyId::new(signer.key_id().as_str())
        .map_err(|e| CoreError::invalid("BAD_KEY_ID", e.to_string()))?;
    let msg = checkpoint_message(head.seq, &head.hash, signed_at, &key_id);
    let sig = signer.sign(&msg);
    let cp = Checkpoint {
        seq: head.seq,
        head_hash: head.hash,
        signed_at,
        key_id,
        signature: SignatureBytes::new(sig.to_vec())
            .map_err(|e| CoreError::invalid("BAD_SIGNATURE", e.to_string()))?,
    };
    match store.add_checkpoint(&cp).await {
        // A checkpoint at this sequence number was signed already (the graceful shutdown
        // signs one, then the writer's last pass tries again): the head is covered.
        Ok(()) | Err(steward_store::error::StoreError::AppendOnly(Entity::Checkpoint)) => Ok(()),
        Err(e) => Err(e.into()),
    }
}
