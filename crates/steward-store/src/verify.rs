//! Verification of the audit chain (AUD-02): recompute every hash, check every link, compare
//! the index columns with the bodies, check signed checkpoints — and name the first entry that
//! was altered, removed or reordered.
//!
//! Pure and backend-independent: it consumes the entries exactly as stored ([`ChainLink`]) in
//! sequence order, and checks checkpoint signatures through a [`SignatureVerifier`] supplied by
//! the caller (the vault's Ed25519 keys), so the store depends on no signing code.
//!
//! # What is detected, and how it is named
//!
//! | tampering | detected as |
//! |---|---|
//! | a body, hash or index column edited in place | `Altered` at that entry |
//! | an entry edited and its own hash recomputed | `Altered` at that entry (its successor's `prev_hash` no longer matches) |
//! | an entry deleted | `Removed` at the first missing sequence number |
//! | entries deleted at the tail | `Removed` after the last entry, if a checkpoint covers them |
//! | two entries swapped, or an entry moved | `Reordered` at the first misplaced position |
//! | the whole tail rewritten with consistent hashes | `CheckpointMismatch` at the first checkpoint that disagrees (the rewrite is after the previous checkpoint) |
//! | a checkpoint forged or edited | `BadSignature` / `UnknownKey` |
//! | a checkpoint row whose columns do not decode (a signature of the wrong size, say) | `MalformedCheckpoint` at that checkpoint |
//! | entries deleted at the tail together with the checkpoints covering them | `Removed` after the last entry, if the signed head kept outside the database is beyond it |
//! | checkpoints deleted (some or all), the entries left alone | `CheckpointRemoved` at the signed head kept outside the database |
//! | every checkpoint deleted and no signed head outside the database | `Unsigned` when more entries than the limit are unsigned |
//!
//! Checkpoints are why a rewrite or a truncation can be seen at all: a chain alone cannot tell
//! a consistent rewrite, or a shorter chain, from the original; a signature by a key the
//! attacker does not hold can. The latest signed head is also kept outside the database (the
//! key ring directory, a witness file: see `steward_core::audit`), so deleting entries
//! together with their checkpoints is caught too ([`VerifyOptions::signed_head`]).
//!
//! What cannot be detected: entries appended after the last checkpoint that reached the
//! outside copy and deleted before the next one (at most the checkpoint interval's worth of
//! entries); [`VerifyReport::unsigned`] says how many entries that is at the time of
//! verification.

use std::fmt;
use std::future::Future;
use std::pin::pin;
use std::task::Poll;

use crate::canonical::{chain_hash, checkpoint_message, indexed_fields};
use crate::error::StoreError;
use crate::ids::AuditSeq;
use crate::model::audit::{ChainHead, ChainLink, Checkpoint, StoredCheckpoint};
use crate::traits::AuditLog;
use crate::values::{Digest, SigningKeyId};

/// The answer of a signature check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureCheck {
    /// The signature is valid for that key.
    Valid,
    /// The signature is not valid.
    Invalid,
    /// The key id is not known to the verifier.
    UnknownKey,
}

/// Checks checkpoint signatures (the vault implements it with its Ed25519 public keys).
pub trait SignatureVerifier: Send + Sync {
    /// Checks `signature` over `message` with the key named `key_id`.
    fn check(&self, key_id: &SigningKeyId, message: &[u8], signature: &[u8]) -> SignatureCheck;
}

impl<F> SignatureVerifier for F
where
    F: Fn(&SigningKeyId, &[u8], &[u8]) -> SignatureCheck + Send + Sync,
{
    fn check(&self, key_id: &SigningKeyId, message: &[u8], signature: &[u8]) -> SignatureCheck {
        self(key_id, message, signature)
    }
}

/// What is wrong at the entry named by a [`ChainBreak`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BreakKind {
    /// Its content, hash or index columns were changed.
    Altered,
    /// It is missing.
    Removed,
    /// An entry from another position sits here (swapped, moved, or sequence going backwards).
    Reordered,
    /// Its body is not a valid canonical encoding although its hash matches (written corrupt).
    Malformed,
    /// The signed checkpoint at this sequence number disagrees with the chain: some entry after
    /// `since` (the previous checkpoint that agreed, or the start) up to here was rewritten.
    CheckpointMismatch {
        /// The last checkpoint that agreed.
        since: Option<AuditSeq>,
    },
    /// The checkpoint at this sequence number has an invalid signature.
    BadSignature,
    /// The checkpoint at this sequence number is signed by a key the verifier does not know.
    UnknownKey,
    /// The checkpoint at this sequence number is out of order (checkpoints must increase).
    CheckpointOrder,
    /// The checkpoint row at this sequence number does not decode (`column` is the first
    /// column at fault): the checkpoint table was tampered with.
    MalformedCheckpoint {
        /// The column at fault.
        column: &'static str,
    },
    /// The signed head kept outside the database covers this sequence number, the entries
    /// agree with it, but its checkpoint is gone from the database: checkpoints were deleted.
    CheckpointRemoved,
    /// No signed checkpoint covers the log although it holds more entries than the limit: the
    /// checkpoints were deleted, or the log was never signed.
    Unsigned {
        /// The entries not covered by any checkpoint.
        entries: u64,
        /// The limit.
        limit: u64,
    },
}

/// The first problem found, and where.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChainBreak {
    /// The sequence number of the entry (or checkpoint) at fault.
    pub seq: AuditSeq,
    /// What is wrong.
    pub kind: BreakKind,
}

impl fmt::Display for ChainBreak {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let seq = self.seq;
        match self.kind {
            BreakKind::Altered => write!(f, "audit entry {seq} was altered"),
            BreakKind::Removed => write!(f, "audit entry {seq} was removed"),
            BreakKind::Reordered => write!(
                f,
                "audit entry {seq} was reordered (another entry sits in its place)"
            ),
            BreakKind::Malformed => write!(f, "audit entry {seq} is malformed"),
            BreakKind::CheckpointMismatch { since: Some(s) } => write!(
                f,
                "the signed checkpoint at entry {seq} does not match the chain: an entry after {s} was rewritten"
            ),
            BreakKind::CheckpointMismatch { since: None } => write!(
                f,
                "the signed checkpoint at entry {seq} does not match the chain: an entry up to {seq} was rewritten"
            ),
            BreakKind::BadSignature => {
                write!(f, "the checkpoint at entry {seq} has an invalid signature")
            }
            BreakKind::UnknownKey => write!(
                f,
                "the checkpoint at entry {seq} is signed by an unknown key"
            ),
            BreakKind::CheckpointOrder => {
                write!(f, "the checkpoint at entry {seq} is out of order")
            }
            BreakKind::MalformedCheckpoint { column } => write!(
                f,
                "the checkpoint at entry {seq} is malformed (its `{column}` does not decode): the checkpoint table was tampered with"
            ),
            BreakKind::CheckpointRemoved => write!(
                f,
                "the signed checkpoint at entry {seq} (a copy is kept outside the database) is missing from the database: checkpoints were deleted"
            ),
            BreakKind::Unsigned { entries, limit } => write!(
                f,
                "no signed checkpoint covers the audit log from entry {seq}: {entries} entries are unsigned (more than {limit}); checkpoints were deleted or never signed"
            ),
        }
    }
}

impl std::error::Error for ChainBreak {}

/// Why verification did not succeed.
#[derive(Debug, Clone, thiserror::Error)]
pub enum VerifyError {
    /// The chain is broken.
    #[error(transparent)]
    Broken(#[from] ChainBreak),
    /// The entries could not be read.
    #[error("could not read the audit log")]
    Store(#[from] StoreError),
}

/// What a successful verification covered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VerifyReport {
    /// Entries verified.
    pub entries: u64,
    /// The last entry verified, if any.
    pub head: Option<ChainHead>,
    /// Checkpoints whose signature and head hash were verified.
    pub checkpoints: u64,
    /// The last verified checkpoint.
    pub last_checkpoint: Option<AuditSeq>,
    /// The signed head kept outside the database that was checked against the log, if one was
    /// given ([`VerifyOptions::signed_head`]).
    pub signed_head: Option<AuditSeq>,
    /// Entries after the last signed checkpoint (or signed head): what a truncation could
    /// remove without being seen.
    pub unsigned: u64,
    /// Audit events committed with their writes but not chained yet (see
    /// [`AuditLog::pending_audit_intents`]); they are chained by the backend's writer, and at
    /// the next start after a crash.
    pub pending_intents: u64,
}

/// How [`verify_log_with`] verifies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyOptions {
    /// Links read per page (the next page is read while the current one is hashed).
    pub page_size: u32,
    /// The latest signed head kept outside the database (the copy in the key ring directory,
    /// or a witness's). Its signature must verify, the log must reach it and agree with it,
    /// and its checkpoint must still be in the database.
    pub signed_head: Option<Checkpoint>,
    /// A log with more entries than this and no signed checkpoint at all (nor a signed head)
    /// is refused with [`BreakKind::Unsigned`]. `None`: no limit.
    pub max_unsigned: Option<u64>,
}

impl Default for VerifyOptions {
    fn default() -> Self {
        Self {
            page_size: 10_000,
            signed_head: None,
            max_unsigned: None,
        }
    }
}

/// Where verification starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChainStart {
    /// From the first entry (`prev_hash` = zeroes).
    Genesis,
    /// After a trusted head (e.g. a verified checkpoint, or the base left by a retention purge).
    After(ChainHead),
}

/// An incremental verifier: feed links in sequence order with [`push`](Self::push), then
/// [`finish`](Self::finish).
pub struct ChainVerifier<'a> {
    checkpoints: &'a [Checkpoint],
    next_checkpoint: usize,
    expected: u64,
    head: Digest,
    entries: u64,
    verified_checkpoints: u64,
    last_checkpoint: Option<AuditSeq>,
    last: Option<ChainHead>,
    /// The signed head kept outside the database, and whether the database still holds it.
    anchor: Option<(Checkpoint, bool)>,
    anchor_seen: bool,
    max_unsigned: Option<u64>,
}

impl fmt::Debug for ChainVerifier<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ChainVerifier")
            .field("expected", &self.expected)
            .field("entries", &self.entries)
            .finish_non_exhaustive()
    }
}

impl<'a> ChainVerifier<'a> {
    /// Starts a verification. Checks the order and the signatures of the checkpoints first.
    pub fn new(
        start: ChainStart,
        checkpoints: &'a [Checkpoint],
        signatures: &dyn SignatureVerifier,
    ) -> Result<Self, ChainBreak> {
        let mut previous: Option<AuditSeq> = None;
        for cp in checkpoints {
            if previous.is_some_and(|p| cp.seq <= p) {
                return Err(ChainBreak {
                    seq: cp.seq,
                    kind: BreakKind::CheckpointOrder,
                });
            }
            previous = Some(cp.seq);
            check_signature(cp, signatures)?;
        }
        let (expected, head, last) = match start {
            ChainStart::Genesis => (1, Digest::ZERO, None),
            ChainStart::After(h) => (h.seq.get().saturating_add(1), h.hash, Some(h)),
        };
        // Checkpoints at or before a trusted start are not re-checked against entries we will
        // not see; one exactly at the start must agree with it.
        let mut next_checkpoint = 0;
        let mut last_checkpoint = None;
        let mut verified_checkpoints = 0;
        while let Some(cp) = checkpoints.get(next_checkpoint) {
            if cp.seq.get() >= expected {
                break;
            }
            if let Some(h) = last
                && cp.seq == h.seq
            {
                if cp.head_hash != h.hash {
                    return Err(ChainBreak {
                        seq: cp.seq,
                        kind: BreakKind::CheckpointMismatch { since: None },
                    });
                }
                last_checkpoint = Some(cp.seq);
                verified_checkpoints += 1;
            }
            next_checkpoint += 1;
        }
        Ok(Self {
            checkpoints,
            next_checkpoint,
            expected,
            head,
            entries: 0,
            verified_checkpoints,
            last_checkpoint,
            last,
            anchor: None,
            anchor_seen: false,
            max_unsigned: None,
        })
    }

    /// Also checks the chain against a signed head kept outside the database (its signature
    /// is checked here): the chain must reach it and agree with it, and the checkpoints given
    /// to [`new`](Self::new) must include it.
    pub fn with_signed_head(
        mut self,
        head: Checkpoint,
        signatures: &dyn SignatureVerifier,
    ) -> Result<Self, ChainBreak> {
        check_signature(&head, signatures)?;
        let stored = self
            .checkpoints
            .iter()
            .any(|c| c.seq == head.seq && c.head_hash == head.head_hash);
        // A head at or before a trusted start cannot be checked against entries; it counts
        // as seen when it is the start itself.
        if head.seq.get() < self.expected {
            if let Some(h) = self.last
                && h.seq == head.seq
                && h.hash != head.head_hash
            {
                return Err(ChainBreak {
                    seq: head.seq,
                    kind: BreakKind::CheckpointMismatch { since: None },
                });
            }
            self.anchor_seen = true;
        }
        self.anchor = Some((head, stored));
        Ok(self)
    }

    /// Refuses a log with more than `limit` entries and no checkpoint at all
    /// ([`BreakKind::Unsigned`]).
    #[must_use]
    pub fn with_max_unsigned(mut self, limit: Option<u64>) -> Self {
        self.max_unsigned = limit;
        self
    }

    fn seq(n: u64) -> AuditSeq {
        // `expected` starts at 1 and only grows, so it is always a valid sequence number.
        AuditSeq::new(n).unwrap_or(AuditSeq::FIRST)
    }

    /// Verifies the next link.
    pub fn push(&mut self, link: &ChainLink) -> Result<(), ChainBreak> {
        let seq = link.seq.get();
        if seq < self.expected {
            return Err(ChainBreak {
                seq: link.seq,
                kind: BreakKind::Reordered,
            });
        }
        if seq > self.expected {
            return Err(ChainBreak {
                seq: Self::seq(self.expected),
                kind: BreakKind::Removed,
            });
        }
        let recomputed = chain_hash(&link.prev_hash, link.seq, &link.body);
        if recomputed != link.hash {
            // Content or hash edited where it stands (its link to the predecessor is intact),
            // or the whole entry comes from another position (its link is wrong too).
            let kind = if link.prev_hash == self.head {
                BreakKind::Altered
            } else {
                BreakKind::Reordered
            };
            return Err(ChainBreak {
                seq: link.seq,
                kind,
            });
        }
        if link.prev_hash != self.head {
            // This entry is intact and commits to a predecessor that is no longer there: the
            // predecessor was edited and re-hashed (or, at a trusted start, the start is wrong).
            let culprit = if self.entries > 0 {
                Self::seq(seq - 1)
            } else {
                link.seq
            };
            return Err(ChainBreak {
                seq: culprit,
                kind: BreakKind::Altered,
            });
        }
        match indexed_fields(&link.body) {
            Ok(fields) if Some(fields) == link.indexed => {}
            Ok(_) => {
                return Err(ChainBreak {
                    seq: link.seq,
                    kind: BreakKind::Altered,
                });
            }
            Err(_) => {
                return Err(ChainBreak {
                    seq: link.seq,
                    kind: BreakKind::Malformed,
                });
            }
        }
        while let Some(cp) = self.checkpoints.get(self.next_checkpoint) {
            if cp.seq != link.seq {
                break;
            }
            if cp.head_hash != link.hash {
                return Err(ChainBreak {
                    seq: cp.seq,
                    kind: BreakKind::CheckpointMismatch {
                        since: self.last_checkpoint,
                    },
                });
            }
            self.last_checkpoint = Some(cp.seq);
            self.verified_checkpoints += 1;
            self.next_checkpoint += 1;
        }
        if let Some((anchor, _)) = &self.anchor
            && anchor.seq == link.seq
        {
            if anchor.head_hash != link.hash {
                return Err(ChainBreak {
                    seq: anchor.seq,
                    kind: BreakKind::CheckpointMismatch {
                        since: self.last_checkpoint.filter(|s| *s < anchor.seq),
                    },
                });
            }
            self.anchor_seen = true;
        }
        self.head = link.hash;
        self.expected = seq.saturating_add(1);
        self.entries += 1;
        self.last = Some(ChainHead {
            seq: link.seq,
            hash: link.hash,
        });
        Ok(())
    }

    /// Ends the verification: a checkpoint (or the signed head kept outside the database)
    /// beyond the last entry means entries were removed from the tail; a signed head whose
    /// checkpoint is gone from the database means checkpoints were deleted; a log with more
    /// entries than the limit and no checkpoint at all is refused.
    pub fn finish(self) -> Result<VerifyReport, ChainBreak> {
        let anchor_beyond = self.anchor.is_some() && !self.anchor_seen;
        if self.next_checkpoint < self.checkpoints.len() || anchor_beyond {
            return Err(ChainBreak {
                seq: Self::seq(self.expected),
                kind: BreakKind::Removed,
            });
        }
        if let Some((anchor, false)) = &self.anchor {
            return Err(ChainBreak {
                seq: anchor.seq,
                kind: BreakKind::CheckpointRemoved,
            });
        }
        let head = self.last.map_or(0, |h| h.seq.get());
        let covered = self
            .last_checkpoint
            .map(AuditSeq::get)
            .into_iter()
            .chain(self.anchor.as_ref().map(|(a, _)| a.seq.get()))
            .max();
        let unsigned = head.saturating_sub(covered.unwrap_or(0));
        if covered.is_none()
            && let Some(limit) = self.max_unsigned
            && unsigned > limit
        {
            return Err(ChainBreak {
                seq: AuditSeq::FIRST,
                kind: BreakKind::Unsigned {
                    entries: unsigned,
                    limit,
                },
            });
        }
        Ok(VerifyReport {
            entries: self.entries,
            head: self.last,
            checkpoints: self.verified_checkpoints,
            last_checkpoint: self.last_checkpoint,
            signed_head: self.anchor.as_ref().map(|(a, _)| a.seq),
            unsigned,
            pending_intents: 0,
        })
    }
}

/// Checks one checkpoint's signature.
fn check_signature(cp: &Checkpoint, signatures: &dyn SignatureVerifier) -> Result<(), ChainBreak> {
    let message = checkpoint_message(cp.seq, &cp.head_hash, cp.signed_at, &cp.key_id);
    match signatures.check(&cp.key_id, &message, cp.signature.as_bytes()) {
        SignatureCheck::Valid => Ok(()),
        SignatureCheck::Invalid => Err(ChainBreak {
            seq: cp.seq,
            kind: BreakKind::BadSignature,
        }),
        SignatureCheck::UnknownKey => Err(ChainBreak {
            seq: cp.seq,
            kind: BreakKind::UnknownKey,
        }),
    }
}

/// The decodable checkpoints of the stored rows, in order; the first malformed row is
/// tampering, named by its sequence number.
pub fn decoded_checkpoints(rows: Vec<StoredCheckpoint>) -> Result<Vec<Checkpoint>, ChainBreak> {
    rows.into_iter()
        .map(|r| match r {
            StoredCheckpoint::Valid(c) => Ok(c),
            StoredCheckpoint::Malformed { seq, column } => Err(ChainBreak {
                seq,
                kind: BreakKind::MalformedCheckpoint { column },
            }),
        })
        .collect()
}

/// Verifies a chain given as an iterator of stored links in sequence order.
pub fn verify_chain<I>(
    start: ChainStart,
    links: I,
    checkpoints: &[Checkpoint],
    signatures: &dyn SignatureVerifier,
) -> Result<VerifyReport, VerifyError>
where
    I: IntoIterator<Item = Result<ChainLink, StoreError>>,
{
    let mut v = ChainVerifier::new(start, checkpoints, signatures)?;
    for link in links {
        v.push(&link?)?;
    }
    Ok(v.finish()?)
}

/// Polls two futures concurrently (a tiny `join`, to overlap reading the next page with
/// hashing the current one without depending on an executor).
async fn join2<A: Future, B: Future>(a: A, b: B) -> (A::Output, B::Output) {
    let mut a = pin!(a);
    let mut b = pin!(b);
    let mut ra: Option<A::Output> = None;
    let mut rb: Option<B::Output> = None;
    std::future::poll_fn(move |cx| {
        if ra.is_none()
            && let Poll::Ready(v) = a.as_mut().poll(cx)
        {
            ra = Some(v);
        }
        if rb.is_none()
            && let Poll::Ready(v) = b.as_mut().poll(cx)
        {
            rb = Some(v);
        }
        match (ra.take(), rb.take()) {
            (Some(x), Some(y)) => Poll::Ready((x, y)),
            (x, y) => {
                ra = x;
                rb = y;
                Poll::Pending
            }
        }
    })
    .await
}

/// Verifies a whole stored audit log from its first entry, reading `page_size` links at a time
/// (the next page is read while the current one is hashed). See [`verify_log_with`] to check a
/// signed head kept outside the database too.
pub async fn verify_log(
    log: &dyn AuditLog,
    signatures: &dyn SignatureVerifier,
    page_size: u32,
) -> Result<VerifyReport, VerifyError> {
    verify_log_with(
        log,
        signatures,
        &VerifyOptions {
            page_size,
            ..VerifyOptions::default()
        },
    )
    .await
}

/// Verifies a whole stored audit log from its first entry (see [`VerifyOptions`]), and counts
/// the audit events still waiting to be chained.
pub async fn verify_log_with(
    log: &dyn AuditLog,
    signatures: &dyn SignatureVerifier,
    options: &VerifyOptions,
) -> Result<VerifyReport, VerifyError> {
    let page_size = options.page_size.max(1);
    let pending_intents = log.pending_audit_intents().await?;
    let checkpoints = decoded_checkpoints(log.list_checkpoints().await?)?;
    let mut v = ChainVerifier::new(ChainStart::Genesis, &checkpoints, signatures)?
        .with_max_unsigned(options.max_unsigned);
    if let Some(head) = &options.signed_head {
        v = v.with_signed_head(head.clone(), signatures)?;
    }
    let mut page = log.audit_links(None, page_size).await?;
    while let Some(last) = page.last().map(|l| l.seq) {
        let full = page.len() >= page_size as usize;
        let check = async {
            for link in &page {
                v.push(link)?;
            }
            Ok::<(), ChainBreak>(())
        };
        if full {
            let (next, checked) = join2(log.audit_links(Some(last), page_size), check).await;
            checked?;
            page = next?;
        } else {
            check.await?;
            page = Vec::new();
        }
    }
    let mut report = v.finish()?;
    report.pending_intents = pending_intents;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::canonical::{encode_event, index_of};
    use crate::model::audit::{Actor, AuditEvent, AuditKind};
    use crate::values::{ActionKey, SignatureBytes};
    use jiff::Timestamp;

    /// A stand-in signature for unit tests: SHA-256(key id || message). The conformance suite
    /// uses real Ed25519.
    fn fake_sign(key: &SigningKeyId, msg: &[u8]) -> Vec<u8> {
        let mut m = key.as_str().as_bytes().to_vec();
        m.extend_from_slice(msg);
        Digest::sha256(&m).0.to_vec()
    }

    fn fake_verifier(key: &SigningKeyId, msg: &[u8], sig: &[u8]) -> SignatureCheck {
        if key.as_str() != "k1" {
            SignatureCheck::UnknownKey
        } else if fake_sign(key, msg) == sig {
            SignatureCheck::Valid
        } else {
            SignatureCheck::Invalid
        }
    }

    fn chain(n: u64) -> Vec<ChainLink> {
        let mut prev = Digest::ZERO;
        (1..=n)
            .map(|i| {
                let e = AuditEvent::new(
                    AuditKind::Read,
                    ActionKey::new("item.read").unwrap(),
                    Actor::System,
                    Timestamp::from_second(1_700_000_000 + i as i64).unwrap(),
                );
                let body = encode_event(&e).unwrap();
                let seq = AuditSeq::new(i).unwrap();
                let hash = chain_hash(&prev, seq, &body);
                let link = ChainLink {
                    seq,
                    prev_hash: prev,
                    hash,
                    body,
                    indexed: Some(index_of(&e)),
                };
                prev = hash;
                link
            })
            .collect()
    }

    fn checkpoint(links: &[ChainLink], seq: u64) -> Checkpoint {
        let l = &links[(seq - 1) as usize];
        let key = SigningKeyId::new("k1").unwrap();
        let at = Timestamp::from_second(1_800_000_000).unwrap();
        let msg = checkpoint_message(l.seq, &l.hash, at, &key);
        Checkpoint {
            seq: l.seq,
            head_hash: l.hash,
            signed_at: at,
            signature: SignatureBytes::new(fake_sign(&key, &msg)).unwrap(),
            key_id: key,
        }
    }

    fn run(links: &[ChainLink], cps: &[Checkpoint]) -> Result<VerifyReport, VerifyError> {
        verify_chain(
            ChainStart::Genesis,
            links.iter().cloned().map(Ok),
            cps,
            &fake_verifier,
        )
    }

    fn broken(r: Result<VerifyReport, VerifyError>) -> ChainBreak {
        match r {
            Err(VerifyError::Broken(b)) => b,
            other => panic!("expected a break, got {other:?}"),
        }
    }

    fn s(n: u64) -> AuditSeq {
        AuditSeq::new(n).unwrap()
    }

    #[test]
    fn aud_02_intact_chain_verifies() {
        let links = chain(10);
        let cps = [checkpoint(&links, 4), checkpoint(&links, 10)];
        let r = run(&links, &cps).unwrap();
        assert_eq!(r.entries, 10);
        assert_eq!(r.checkpoints, 2);
        assert_eq!(r.head.unwrap().seq, s(10));
        assert_eq!(run(&[], &[]).unwrap().entries, 0);
    }

    #[test]
    fn aud_02_edited_body_is_named() {
        let mut links = chain(10);
        links[4].body[30] ^= 1;
        let b = broken(run(&links, &[]));
        assert_eq!((b.seq, b.kind), (s(5), BreakKind::Altered));
    }

    #[test]
    fn aud_02_edited_and_rehashed_entry_is_named() {
        let mut links = chain(10);
        links[4].body[30] ^= 1;
        links[4].hash = chain_hash(&links[4].prev_hash, links[4].seq, &links[4].body);
        let b = broken(run(&links, &[]));
        assert_eq!((b.seq, b.kind), (s(5), BreakKind::Altered));
    }

    #[test]
    fn aud_02_edited_index_column_is_named() {
        let mut links = chain(10);
        links[6].indexed.as_mut().unwrap().subject = Some(crate::ids::SubjectId::generate());
        let b = broken(run(&links, &[]));
        assert_eq!((b.seq, b.kind), (s(7), BreakKind::Altered));
    }

    #[test]
    fn aud_02_undecodable_index_columns_are_named() {
        let mut links = chain(10);
        links[2].indexed = None;
        let b = broken(run(&links, &[]));
        assert_eq!((b.seq, b.kind), (s(3), BreakKind::Altered));
        let mut links = chain(10);
        links[5].hash = ChainLink::UNREADABLE_HASH;
        let b = broken(run(&links, &[]));
        assert_eq!((b.seq, b.kind), (s(6), BreakKind::Altered));
    }

    #[test]
    fn aud_02_deleted_entry_is_named() {
        let mut links = chain(10);
        links.remove(3);
        let b = broken(run(&links, &[]));
        assert_eq!((b.seq, b.kind), (s(4), BreakKind::Removed));
    }

    #[test]
    fn aud_02_deleted_and_renumbered_entry_is_named() {
        let mut links = chain(10);
        links.remove(3);
        for (i, l) in links.iter_mut().enumerate().skip(3) {
            l.seq = s(i as u64 + 1);
        }
        let b = broken(run(&links, &[]));
        assert_eq!((b.seq, b.kind), (s(4), BreakKind::Reordered));
    }

    #[test]
    fn aud_02_swapped_entries_are_named() {
        let mut links = chain(10);
        // Swap everything but the sequence numbers (what a row swap in a table does).
        let (a, b) = (links[2].clone(), links[6].clone());
        links[2] = ChainLink { seq: a.seq, ..b };
        links[6] = ChainLink { seq: s(7), ..a };
        let br = broken(run(&links, &[]));
        assert_eq!((br.seq, br.kind), (s(3), BreakKind::Reordered));
    }

    #[test]
    fn aud_02_backwards_sequence_is_reordered() {
        let mut links = chain(5);
        links.swap(2, 3);
        let b = broken(run(&links, &[]));
        assert_eq!(b.seq, s(3));
        assert_eq!(
            b.kind,
            BreakKind::Removed,
            "seq 3 missing where 4 appears first"
        );
        let mut dup = chain(5);
        dup.insert(3, dup[2].clone());
        let b = broken(run(&dup, &[]));
        assert_eq!((b.seq, b.kind), (s(3), BreakKind::Reordered));
    }

    #[test]
    fn aud_02_truncated_tail_is_caught_by_a_checkpoint() {
        let links = chain(10);
        let cps = [checkpoint(&links, 9)];
        let b = broken(run(&links[..7], &cps));
        assert_eq!((b.seq, b.kind), (s(8), BreakKind::Removed));
        // Without a checkpoint the shorter chain is indistinguishable from a younger one.
        assert_eq!(run(&links[..7], &[]).unwrap().entries, 7);
    }

    #[test]
    fn aud_02_consistent_rewrite_is_caught_by_a_checkpoint() {
        let mut links = chain(10);
        let cps = [checkpoint(&links, 3), checkpoint(&links, 8)];
        links[5].body[30] ^= 1;
        let mut prev = links[4].hash;
        for l in links.iter_mut().skip(5) {
            l.prev_hash = prev;
            l.hash = chain_hash(&prev, l.seq, &l.body);
            l.indexed = Some(indexed_fields(&l.body).unwrap());
            prev = l.hash;
        }
        assert!(
            run(&links, &[]).is_ok(),
            "a chain alone cannot see a consistent rewrite"
        );
        let b = broken(run(&links, &cps));
        assert_eq!(
            (b.seq, b.kind),
            (s(8), BreakKind::CheckpointMismatch { since: Some(s(3)) })
        );
    }

    #[test]
    fn forged_or_misordered_checkpoints_are_refused() {
        let links = chain(5);
        let mut forged = checkpoint(&links, 4);
        forged.signature = SignatureBytes::new(vec![0u8; 32]).unwrap();
        assert_eq!(broken(run(&links, &[forged])).kind, BreakKind::BadSignature);
        let mut unknown = checkpoint(&links, 4);
        unknown.key_id = SigningKeyId::new("k2").unwrap();
        assert_eq!(broken(run(&links, &[unknown])).kind, BreakKind::UnknownKey);
        let mut edited = checkpoint(&links, 4);
        edited.head_hash = links[1].hash;
        assert_eq!(broken(run(&links, &[edited])).kind, BreakKind::BadSignature);
        let order = [checkpoint(&links, 4), checkpoint(&links, 2)];
        assert_eq!(broken(run(&links, &order)).kind, BreakKind::CheckpointOrder);
    }

    #[test]
    fn verification_can_start_after_a_trusted_head() {
        let links = chain(10);
        let start = ChainStart::After(ChainHead {
            seq: links[5].seq,
            hash: links[5].hash,
        });
        let cps = [checkpoint(&links, 6), checkpoint(&links, 9)];
        let r = verify_chain(
            start,
            links[6..].iter().cloned().map(Ok),
            &cps,
            &fake_verifier,
        )
        .unwrap();
        assert_eq!(r.entries, 4);
        assert_eq!(r.checkpoints, 2);
        let wrong = ChainStart::After(ChainHead {
            seq: links[5].seq,
            hash: links[4].hash,
        });
        let b = broken(verify_chain(
            wrong,
            links[6..].iter().cloned().map(Ok),
            &[],
            &fake_verifier,
        ));
        assert_eq!((b.seq, b.kind), (s(7), BreakKind::Altered));
    }

    #[test]
    fn read_errors_are_reported_as_store_errors() {
        let links = chain(3);
        let items = links
            .into_iter()
            .map(Ok)
            .chain(std::iter::once(Err(StoreError::Closed)));
        assert!(matches!(
            verify_chain(ChainStart::Genesis, items, &[], &fake_verifier),
            Err(VerifyError::Store(StoreError::Closed))
        ));
    }
}
