//! The audit writer: every decision, read, write, choice and request step is
//! appended to the hash-chained audit log (AUD-01, AUD-06), in batches, and the
//! chain head is signed (AUD-02).
//!
//! Callers hand events to a background task and wait for the group commit,
//! so an acknowledged request always has its audit entry (and concurrent
//! requests share one store write). Writes of personal data and choices do not
//! go through this queue: they commit together with their entries through
//! [`Store::write_audited`](steward_store::AuditLog::write_audited) and tell the
//! writer how many entries they added ([`AuditWriter::note_appended`]).
//!
//! # Checkpoints
//!
//! The task signs a checkpoint over the chain head with the Ed25519 audit key
//! every `checkpoint_every` entries, every `checkpoint_interval` while the head
//! moves, and at graceful stop. A crash can therefore leave at most about one
//! interval of entries unsigned. Each signed checkpoint is also kept **outside
//! the database** ([`AuditSettings::signed_head`]: a small file in the key ring
//! directory, replaced atomically) and optionally appended to a **witness**
//! file ([`AuditSettings::witness`]: JSON lines an operator ships elsewhere).
//! Verification compares the log with that copy, so deleting the newest entries
//! together with the checkpoints that covered them, or deleting checkpoints, is
//! detected (see `steward_store::verify`). A webhook witness is not offered: it
//! would need an HTTPS client in the core, and the core's HTTP client is being
//! replaced; the witness file can be shipped by any log shipper.
//!
//! [`AuditWriter::flush`] waits for everything queued — used at shutdown.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use steward_errors::ErrorCode;

use serde::{Deserialize, Serialize};
use steward_store::Store;
use steward_store::canonical::checkpoint_message;
use steward_store::error::Entity;
use steward_store::ids::AuditSeq;
use steward_store::model::audit::{AuditEvent, Checkpoint};
use steward_store::values::{Digest, SignatureBytes, SigningKeyId};
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
    /// Entries appended by an audited write (they count towards the next checkpoint).
    Noted(u64),
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
            Msg::Noted(n) => write!(f, "Noted({n})"),
            Msg::Flush(_) => f.write_str("Flush"),
        }
    }
}

/// Writer settings.
#[derive(Debug, Clone)]
pub struct AuditSettings {
    /// Most events per store write.
    pub max_batch: usize,
    /// Sign a checkpoint after this many entries (0: never by count).
    pub checkpoint_every: u64,
    /// Sign a checkpoint when the head has moved and this long has passed since the last one
    /// (`None`: never by time). Default 60 s.
    pub checkpoint_interval: Option<Duration>,
    /// Queue depth (requests waiting to be written).
    pub queue: usize,
    /// Where the latest signed head is kept outside the database (the binary puts it in the
    /// key ring directory, `audit-head.json`). Replaced atomically after each checkpoint.
    pub signed_head: Option<PathBuf>,
    /// A witness file: every signed head is appended to it as one JSON line, for the operator
    /// to ship elsewhere (off the machine).
    pub witness: Option<PathBuf>,
    /// Verification refuses a log with more entries than this and no signed checkpoint at all
    /// (`None`: no limit). Default 10 000, the default `checkpoint_every`.
    pub max_unsigned: Option<u64>,
}

impl Default for AuditSettings {
    fn default() -> Self {
        AuditSettings {
            max_batch: 4096,
            checkpoint_every: 10_000,
            checkpoint_interval: Some(Duration::from_secs(60)),
            queue: 16_384,
            signed_head: None,
            witness: None,
            max_unsigned: Some(10_000),
        }
    }
}

/// A signed checkpoint as kept outside the database (the signed head file, one line of a
/// witness file). Hex for bytes, RFC 3339 with microseconds for the time, so it reads back to
/// exactly the signed message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignedHead {
    /// The entry the checkpoint covers.
    pub seq: u64,
    /// That entry's hash (hex).
    pub head_hash: String,
    /// When it was signed (RFC 3339, UTC, microseconds).
    pub signed_at: String,
    /// The signing key id.
    pub key_id: String,
    /// The Ed25519 signature (hex).
    pub signature: String,
}

/// A field of a signed head that does not decode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("`{field}` does not decode")]
pub struct BadSignedHeadField {
    /// The field.
    pub field: &'static str,
}

/// Why a signed head file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum SignedHeadError {
    /// The file could not be read.
    #[error("cannot read `{path}`: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
    /// The file does not hold a signed head.
    #[error("`{path}` is not a signed audit head: {reason}")]
    Malformed {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
}

impl SignedHead {
    /// The file form of a checkpoint.
    #[must_use]
    pub fn of(cp: &Checkpoint) -> SignedHead {
        SignedHead {
            seq: cp.seq.get(),
            head_hash: cp.head_hash.to_hex(),
            signed_at: cp.signed_at.strftime("%Y-%m-%dT%H:%M:%S%.6fZ").to_string(),
            key_id: cp.key_id.as_str().to_string(),
            signature: hex(cp.signature.as_bytes()),
        }
    }

    /// The checkpoint it states (its signature is checked by verification, not here).
    ///
    /// # Errors
    /// The first field that does not decode.
    pub fn checkpoint(&self) -> Result<Checkpoint, BadSignedHeadField> {
        let bad = |field| BadSignedHeadField { field };
        Ok(Checkpoint {
            seq: AuditSeq::new(self.seq).map_err(|_| bad("seq"))?,
            head_hash: unhex(&self.head_hash)
                .and_then(|b| Digest::from_slice(&b).ok())
                .ok_or(bad("head_hash"))?,
            signed_at: self.signed_at.parse().map_err(|_| bad("signed_at"))?,
            key_id: SigningKeyId::new(self.key_id.as_str()).map_err(|_| bad("key_id"))?,
            signature: unhex(&self.signature)
                .and_then(|b| SignatureBytes::new(b).ok())
                .ok_or(bad("signature"))?,
        })
    }

    /// Reads a signed head file (the signed head of the key ring directory: one JSON object),
    /// or the last line of a witness file (JSON lines). `Ok(None)` when the file does not
    /// exist or is empty.
    ///
    /// # Errors
    /// The file cannot be read, or its (last) line is not a signed head.
    pub fn read(path: &Path) -> Result<Option<Checkpoint>, SignedHeadError> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => {
                return Err(SignedHeadError::Read {
                    path: path.to_path_buf(),
                    source,
                });
            }
        };
        let Some(last) = text.lines().rev().find(|l| !l.trim().is_empty()) else {
            return Ok(None);
        };
        let malformed = |reason: String| SignedHeadError::Malformed {
            path: path.to_path_buf(),
            reason,
        };
        let head: SignedHead =
            serde_json::from_str(last.trim()).map_err(|e| malformed(e.to_string()))?;
        head.checkpoint()
            .map(Some)
            .map_err(|e| malformed(e.to_string()))
    }
}

fn hex(b: &[u8]) -> String {
    use std::fmt::Write as _;
    b.iter()
        .fold(String::with_capacity(b.len() * 2), |mut s, x| {
            let _ = write!(s, "{x:02x}");
            s
        })
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

/// Where signed heads go outside the database.
#[derive(Debug, Clone, Default)]
pub struct HeadCopies {
    /// The signed head file (replaced).
    pub signed_head: Option<PathBuf>,
    /// The witness file (appended).
    pub witness: Option<PathBuf>,
}

impl HeadCopies {
    /// The copies named by the settings.
    #[must_use]
    pub fn of(settings: &AuditSettings) -> HeadCopies {
        HeadCopies {
            signed_head: settings.signed_head.clone(),
            witness: settings.witness.clone(),
        }
    }

    /// Writes a signed checkpoint to the signed head file (atomically: a temporary file in
    /// the same directory, fsynced, then renamed over it; mode 0600) and appends it to the
    /// witness file.
    ///
    /// # Errors
    /// The first I/O failure.
    pub async fn write(&self, cp: &Checkpoint) -> std::io::Result<()> {
        if self.signed_head.is_none() && self.witness.is_none() {
            return Ok(());
        }
        let line = serde_json::to_string(&SignedHead::of(cp)).map_err(std::io::Error::other)?;
        let copies = self.clone();
        tokio::task::spawn_blocking(move || copies.write_blocking(&line))
            .await
            .map_err(std::io::Error::other)?
    }

    fn write_blocking(&self, line: &str) -> std::io::Result<()> {
        use std::io::Write as _;
        if let Some(path) = &self.signed_head {
            let mut tmp = path.as_os_str().to_owned();
            tmp.push(".tmp");
            let tmp = PathBuf::from(tmp);
            {
                let mut f = private_file(&tmp, false)?;
                f.write_all(line.as_bytes())?;
                f.write_all(b"\n")?;
                f.sync_all()?;
            }
            std::fs::rename(&tmp, path)?;
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                // The rename itself is durable once the directory is synced.
                if let Ok(d) = std::fs::File::open(dir) {
                    let _ = d.sync_all();
                }
            }
        }
        if let Some(path) = &self.witness {
            let mut f = private_file(path, true)?;
            f.write_all(format!("{line}\n").as_bytes())?;
            f.sync_all()?;
        }
        Ok(())
    }
}

fn private_file(path: &Path, append: bool) -> std::io::Result<std::fs::File> {
    let mut o = std::fs::OpenOptions::new();
    o.create(true);
    if append {
        o.append(true);
    } else {
        o.write(true).truncate(true);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    o.open(path)
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

    /// Counts `n` entries appended by an audited write (they were chained by the store, not
    /// by this queue) towards the next checkpoint and the metrics. Never waits.
    pub fn note_appended(&self, n: usize) {
        if n == 0 {
            return;
        }
        self.stats
            .appended
            .fetch_add(n as u64, std::sync::atomic::Ordering::Relaxed);
        // A full queue only delays the count-based checkpoint: the timer still signs.
        let _ = self.tx.try_send(Msg::Noted(n as u64));
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

/// What the writer task knows about signing.
struct Signing {
    signer: Option<Arc<CheckpointSigner>>,
    copies: HeadCopies,
    every: u64,
    interval: Option<Duration>,
    /// Entries this process appended since its last checkpoint.
    since: u64,
    last_at: tokio::time::Instant,
}

impl Signing {
    async fn sign(&mut self, store: &dyn Store, clock: &dyn Clock, stats: &AuditStats) {
        let Some(s) = &self.signer else {
            return;
        };
        match checkpoint(store, s, clock, &self.copies).await {
            Ok(seq) => {
                if seq.is_some() {
                    stats
                        .checkpoints
                        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                }
                self.since = 0;
                #[expect(
                    clippy::disallowed_methods,
                    reason = "the checkpoint timer runs on tokio's monotonic time"
                )]
                let now = tokio::time::Instant::now();
                self.last_at = now;
            }
            Err(e) => tracing::warn!(error = %e, "audit checkpoint failed; will retry"),
        }
    }

    fn due_by_count(&self) -> bool {
        self.signer.is_some() && self.every > 0 && self.since >= self.every
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
    #[expect(
        clippy::disallowed_methods,
        reason = "the checkpoint timer runs on tokio's monotonic time"
    )]
    let mut signing = Signing {
        copies: HeadCopies::of(&settings),
        every: settings.checkpoint_every,
        interval: settings.checkpoint_interval.filter(|d| !d.is_zero()),
        signer,
        since: 0,
        last_at: tokio::time::Instant::now(),
    };
    // The timer ticks at the interval (or never); a tick signs only when the head moved.
    let period = signing
        .interval
        .unwrap_or(Duration::from_secs(365 * 86_400));
    #[expect(
        clippy::disallowed_methods,
        reason = "the checkpoint timer runs on tokio's monotonic time"
    )]
    let mut ticker = tokio::time::interval_at(tokio::time::Instant::now() + period, period);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        let first = tokio::select! {
            m = rx.recv() => match m {
                Some(m) => m,
                None => break,
            },
            _ = ticker.tick(), if signing.interval.is_some() && signing.signer.is_some() => {
                if signing.since > 0 && signing.last_at.elapsed() >= period {
                    signing.sign(store.as_ref(), clock.as_ref(), &stats).await;
                }
                continue;
            }
        };
        // Drain what is queued into one batch (group commit).
        let mut waiters: Vec<(usize, Reply)> = Vec::new();
        let mut flushes = Vec::new();
        let mut events: Vec<AuditEvent> = Vec::new();
        let mut noted = 0u64;
        let mut push = |m: Msg, events: &mut Vec<AuditEvent>| match m {
            Msg::Append(mut e, tx) => {
                waiters.push((e.len(), tx));
                events.append(&mut e);
            }
            Msg::Noted(n) => noted += n,
            Msg::Flush(tx) => flushes.push(tx),
        };
        push(first, &mut events);
        while events.len() < settings.max_batch {
            match rx.try_recv() {
                Ok(m) => push(m, &mut events),
                Err(_) => break,
            }
        }
        signing.since += noted;
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
                    signing.since += n as u64;
                    let mut offset = 0;
                    for (len, tx) in waiters {
                        let part = seqs
                            .get(offset..offset + len)
                            .map(<[AuditSeq]>::to_vec)
                            .unwrap_or_default();
                        offset += len;
                        let _ = tx.send(Ok(part));
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
        if signing.due_by_count() {
            signing.sign(store.as_ref(), clock.as_ref(), &stats).await;
        }
        for f in flushes {
            let _ = f.send(());
        }
    }
    // The channel closed: sign a final checkpoint so the tail this process wrote is covered.
    // A process that wrote nothing (`audit verify`, say) signs nothing: it must not put a
    // fresh signature on a log it did not write.
    if signing.since > 0 {
        signing.sign(store.as_ref(), clock.as_ref(), &stats).await;
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

/// Sign a checkpoint over the current head, store it, and keep a copy outside the database
/// (`copies`). Returns the signed sequence number (`None` for an empty log).
///
/// INVARIANT: the copy is written only after the store accepted the checkpoint, so every copy
/// outside the database names a checkpoint the database holds (unless someone deleted it:
/// that is what verification looks for).
///
/// SECURITY: nothing is signed unless the log still holds the signed head kept outside the
/// database (the entry at its sequence number, with its hash). Otherwise entries were
/// removed or rewritten since it was signed, and a new signature over the altered log —
/// replacing the outside copy — would erase the evidence; the refusal is logged and
/// `steward audit verify` names the damage.
///
/// # Errors
/// When the store cannot be read or written, or the log no longer holds the signed head kept
/// outside the database (`Invalid(AUDIT_HEAD_MISSING)`); a copy that cannot be written is
/// logged.
pub async fn checkpoint(
    store: &dyn Store,
    signer: &CheckpointSigner,
    clock: &dyn Clock,
    copies: &HeadCopies,
) -> Result<Option<AuditSeq>, CoreError> {
    let Some(head) = store.audit_head().await? else {
        return Ok(None);
    };
    if let Some(path) = &copies.signed_head {
        let outside = SignedHead::read(path)
            .map_err(|e| CoreError::invalid(ErrorCode::BadSignedHead, e.to_string()))?;
        if let Some(outside) = outside {
            let after = outside
                .seq
                .get()
                .checked_sub(1)
                .and_then(|s| AuditSeq::new(s).ok());
            let link = store.audit_links(after, 1).await?;
            let holds = link
                .first()
                .is_some_and(|l| l.seq == outside.seq && l.hash == outside.head_hash);
            if !holds {
                tracing::error!(
                    signed_head = outside.seq.get(),
                    "the audit log no longer holds the signed head kept outside the database; \
                     not signing (run `steward audit verify`)"
                );
                return Err(CoreError::invalid(
                    ErrorCode::AuditHeadMissing,
                    format!(
                        "the audit log no longer holds entry {} as signed; entries were removed or rewritten",
                        outside.seq.get()
                    ),
                ));
            }
        }
    }
    let signed_at = steward_store::values::store_precision(clock.now());
    let key_id = SigningKeyId::new(signer.key_id().as_str())
        .map_err(|e| CoreError::invalid(ErrorCode::BadKeyId, e.to_string()))?;
    let msg = checkpoint_message(head.seq, &head.hash, signed_at, &key_id);
    let sig = signer.sign(&msg);
    let cp = Checkpoint {
        seq: head.seq,
        head_hash: head.hash,
        signed_at,
        key_id,
        signature: SignatureBytes::new(sig.to_vec())
            .map_err(|e| CoreError::invalid(ErrorCode::BadSignature, e.to_string()))?,
    };
    match store.add_checkpoint(&cp).await {
        Ok(()) => {
            if let Err(e) = copies.write(&cp).await {
                // SECURITY: without the outside copy a truncation of the newest entries
                // together with their checkpoints would go unnoticed; say so loudly.
                tracing::error!(error = %e, seq = cp.seq.get(), "signed audit head not written outside the database");
            }
            Ok(Some(cp.seq))
        }
        // A checkpoint at this sequence number was signed already (the graceful shutdown
        // signs one, then the writer's last pass tries again): the head is covered.
        Err(steward_store::error::StoreError::AppendOnly(Entity::Checkpoint)) => Ok(Some(cp.seq)),
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cp() -> Checkpoint {
        Checkpoint {
            seq: AuditSeq::new(42).unwrap(),
            head_hash: Digest([0xab; 32]),
            signed_at: "2024-03-04T17:00:00.123456Z".parse().unwrap(),
            key_id: SigningKeyId::new("audit-1-abc").unwrap(),
            signature: SignatureBytes::new(vec![9; 64]).unwrap(),
        }
    }

    #[test]
    fn signed_head_round_trips_exactly() {
        let h = SignedHead::of(&cp());
        assert_eq!(h.signed_at, "2024-03-04T17:00:00.123456Z");
        assert_eq!(h.checkpoint().unwrap(), cp());
        let mut bad = h.clone();
        bad.signature = "zz".into();
        assert_eq!(bad.checkpoint().unwrap_err().field, "signature");
    }

    #[tokio::test]
    async fn copies_are_written_private_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let copies = HeadCopies {
            signed_head: Some(dir.path().join("audit-head.json")),
            witness: Some(dir.path().join("witness.jsonl")),
        };
        assert_eq!(
            SignedHead::read(copies.signed_head.as_ref().unwrap()).unwrap(),
            None
        );
        let mut second = cp();
        second.seq = AuditSeq::new(50).unwrap();
        copies.write(&cp()).await.unwrap();
        copies.write(&second).await.unwrap();
        let head = SignedHead::read(copies.signed_head.as_ref().unwrap()).unwrap();
        assert_eq!(head, Some(second.clone()));
        let witness = copies.witness.as_ref().unwrap();
        assert_eq!(std::fs::read_to_string(witness).unwrap().lines().count(), 2);
        assert_eq!(SignedHead::read(witness).unwrap(), Some(second));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            for p in [copies.signed_head.as_ref().unwrap(), witness] {
                let mode = std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
                assert_eq!(mode, 0o600);
            }
        }
        std::fs::write(witness, "not json\n").unwrap();
        assert!(matches!(
            SignedHead::read(witness),
            Err(SignedHeadError::Malformed { .. })
        ));
    }
}
