//! The hash-chained audit log and its checkpoints.
//!
//! Appends run in the writer thread: the head is read once per transaction under the write
//! lock, each event is chained with `steward_store::canonical::chain_hash`, and its canonical
//! body is stored as is beside the index columns. Bodies are encoded by the caller before the
//! write is queued, so the single writer thread only hashes and inserts.

use rusqlite::types::Value;
use rusqlite::{Connection, Row, params, params_from_iter};
use steward_store::canonical::{chain_hash, decode_event};
use steward_store::values::{store_precision, to_micros};
use steward_store::{
    AuditEntry, AuditKind, AuditQuery, AuditSeq, ChainHead, ChainLink, Checkpoint, ConflictReason,
    Digest, Entity, EventId, IndexedFields, SignatureBytes, SigningKeyId, StoreError,
    StoredCheckpoint, SubjectId,
};

use crate::sql::{RowExt, db, exec, exec_raw, is_unique_violation, micros, query_opt, query_vec};
use crate::writer::TxCtx;

/// An event ready to append: its canonical body and index columns.
#[derive(Debug, Clone)]
pub(crate) struct Encoded {
    pub(crate) body: Vec<u8>,
    pub(crate) index: IndexedFields,
}

fn seq_of(r: &Row<'_>, i: usize) -> Result<AuditSeq, StoreError> {
    AuditSeq::try_from(r.i64_at(i, "audit seq")?).map_err(|_| StoreError::corrupt("audit seq"))
}

fn seq_param(seq: AuditSeq) -> i64 {
    i64::try_from(seq.get()).unwrap_or(i64::MAX)
}

pub(crate) fn append(
    conn: &Connection,
    ctx: &mut TxCtx,
    events: &[Encoded],
) -> Result<Vec<AuditSeq>, StoreError> {
    let mut out = Vec::with_capacity(events.len());
    for ev in events {
        let head = ctx.audit_head(conn)?;
        let (seq, prev) = match head {
            Some(h) => (h.seq.next(), h.hash),
            None => (AuditSeq::FIRST, Digest::ZERO),
        };
        let hash = chain_hash(&prev, seq, &ev.body);
        let inserted = exec_raw(
            conn,
            "INSERT INTO audit_log (seq, event_id, at, kind, subject, prev_hash, hash, body) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                seq_param(seq),
                ev.index.event_id.to_bytes(),
                ev.index.at_micros,
                ev.index.kind.code(),
                ev.index.subject.map(|s| s.to_bytes()),
                prev.0,
                hash.0,
                ev.body,
            ],
        );
        match inserted {
            Ok(_) => {
                ctx.set_head(ChainHead { seq, hash });
                out.push(seq);
            }
            // The event id is already stored: a retry returns the existing number.
            Err(e) if is_unique_violation(&e) => {
                let existing = query_opt(
                    conn,
                    "SELECT seq, body FROM audit_log WHERE event_id = ?1",
                    [ev.index.event_id.to_bytes()],
                    |r| {
                        Ok((
                            seq_of(r, 0)?,
                            r.blob_at(1, "audit body")? == ev.body.as_slice(),
                        ))
                    },
                )?;
                match existing {
                    Some((seq, true)) => out.push(seq),
                    Some((_, false)) => return Err(StoreError::AppendOnly(Entity::AuditEvent)),
                    None => return Err(db(e)),
                }
            }
            Err(e) => return Err(db(e)),
        }
    }
    Ok(out)
}

fn lenient_digest(r: &Row<'_>, i: usize) -> Digest {
    r.get_ref(i)
        .ok()
        .and_then(|v| v.as_blob().ok())
        .and_then(|b| Digest::from_slice(b).ok())
        .unwrap_or(ChainLink::UNREADABLE_HASH)
}

fn lenient_index(r: &Row<'_>) -> Option<IndexedFields> {
    let event_id = EventId::from_bytes(r.id16_at(4, "event id").ok()?);
    let at_micros = r.i64_at(5, "at").ok()?;
    let kind = AuditKind::from_code(r.code_at(6, "kind").ok()?).ok()?;
    let subject = r.opt_id16_at(7, "subject").ok()?.map(SubjectId::from_bytes);
    Some(IndexedFields {
        event_id,
        at_micros,
        kind,
        subject,
    })
}

/// Decodes a link without refusing tampered columns: verification must be able to name them.
fn decode_link(r: &Row<'_>) -> Result<ChainLink, StoreError> {
    let body = match r.get_ref(3).map_err(db)?.as_blob() {
        Ok(b) => b.to_vec(),
        // A body that is not a BLOB (edited to text, say) cannot match its hash.
        Err(_) => Vec::new(),
    };
    Ok(ChainLink {
        seq: seq_of(r, 0)?,
        prev_hash: lenient_digest(r, 1),
        hash: lenient_digest(r, 2),
        body,
        indexed: lenient_index(r),
    })
}

pub(crate) fn links(
    conn: &Connection,
    after: Option<AuditSeq>,
    limit: u32,
) -> Result<Vec<ChainLink>, StoreError> {
    query_vec(
        conn,
        "SELECT seq, prev_hash, hash, body, event_id, at, kind, subject FROM audit_log \
         WHERE seq > ?1 ORDER BY seq LIMIT ?2",
        params![after.map(seq_param).unwrap_or(0), limit.max(1)],
        decode_link,
    )
}

fn decode_entry(r: &Row<'_>) -> Result<AuditEntry, StoreError> {
    Ok(AuditEntry {
        seq: seq_of(r, 0)?,
        prev_hash: r.digest_at(1)?,
        hash: r.digest_at(2)?,
        event: decode_event(r.blob_at(3, "audit body")?)?,
    })
}

pub(crate) fn by_event(conn: &Connection, id: EventId) -> Result<AuditEntry, StoreError> {
    query_opt(
        conn,
        "SELECT seq, prev_hash, hash, body FROM audit_log WHERE event_id = ?1",
        [id.to_bytes()],
        decode_entry,
    )?
    .ok_or(StoreError::NotFound(Entity::AuditEvent))
}

pub(crate) fn query(conn: &Connection, q: &AuditQuery) -> Result<Vec<AuditEntry>, StoreError> {
    let mut sql = String::from("SELECT seq, prev_hash, hash, body FROM audit_log WHERE 1 = 1");
    let mut args: Vec<Value> = Vec::new();
    if let Some(s) = q.subject {
        args.push(Value::Blob(s.to_bytes().to_vec()));
        sql.push_str(&format!(" AND subject = ?{}", args.len()));
    }
    if let Some(k) = q.kind {
        args.push(Value::Integer(i64::from(k.code())));
        sql.push_str(&format!(" AND kind = ?{}", args.len()));
    }
    if let Some(from) = q.from {
        args.push(Value::Integer(to_micros(from)));
        sql.push_str(&format!(" AND at >= ?{}", args.len()));
    }
    if let Some(until) = q.until {
        args.push(Value::Integer(to_micros(until)));
        sql.push_str(&format!(" AND at < ?{}", args.len()));
    }
    if let Some(after) = q.after {
        args.push(Value::Integer(seq_param(after)));
        sql.push_str(&format!(" AND seq > ?{}", args.len()));
    }
    args.push(Value::Integer(i64::from(q.effective_limit())));
    sql.push_str(&format!(" ORDER BY seq LIMIT ?{}", args.len()));
    query_vec(conn, &sql, params_from_iter(args), decode_entry)
}

fn decode_checkpoint(r: &Row<'_>) -> Result<Checkpoint, StoreError> {
    Ok(Checkpoint {
        seq: seq_of(r, 0)?,
        head_hash: r.digest_at(1)?,
        signed_at: r.time_at(2)?,
        key_id: r.key_at(3, "signing key id")?,
        signature: SignatureBytes::new(r.blob_at(4, "signature")?.to_vec())
            .map_err(|_| StoreError::corrupt("signature"))?,
    })
}

pub(crate) fn add_checkpoint(conn: &Connection, cp: &Checkpoint) -> Result<(), StoreError> {
    let stored = query_opt(
        conn,
        "SELECT hash FROM audit_log WHERE seq = ?1",
        [seq_param(cp.seq)],
        |r| r.digest_at(0),
    )?
    .ok_or(StoreError::NotFound(Entity::AuditEvent))?;
    if stored != cp.head_hash {
        return Err(StoreError::conflict(
            Entity::Checkpoint,
            ConflictReason::CheckpointMismatch,
        ));
    }
    let existing = query_opt(
        conn,
        "SELECT seq, head_hash, signed_at, key_id, signature FROM audit_checkpoints WHERE seq = ?1",
        [seq_param(cp.seq)],
        decode_checkpoint,
    )?;
    if let Some(existing) = existing {
        let mut expected = cp.clone();
        expected.signed_at = store_precision(cp.signed_at);
        return if existing == expected {
            Ok(())
        } else {
            Err(StoreError::AppendOnly(Entity::Checkpoint))
        };
    }
    exec(
        conn,
        "INSERT INTO audit_checkpoints (seq, head_hash, signed_at, key_id, signature) \
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            seq_param(cp.seq),
            cp.head_hash.0,
            micros(cp.signed_at),
            cp.key_id.as_str(),
            cp.signature.as_bytes(),
        ],
    )?;
    Ok(())
}

/// Decodes a checkpoint row without refusing tampered columns: verification must be able to
/// name them.
fn decode_stored_checkpoint(r: &Row<'_>) -> Result<StoredCheckpoint, StoreError> {
    let raw_seq = r.get_ref(0).ok().and_then(|v| v.as_i64().ok()).unwrap_or(0);
    let seq = AuditSeq::try_from(raw_seq).unwrap_or(AuditSeq::FIRST);
    let malformed = |column| Ok(StoredCheckpoint::Malformed { seq, column });
    if raw_seq < 1 {
        return malformed("seq");
    }
    let Some(head_hash) = r
        .get_ref(1)
        .ok()
        .and_then(|v| v.as_blob().ok())
        .and_then(|b| Digest::from_slice(b).ok())
    else {
        return malformed("head_hash");
    };
    let Ok(signed_at) = r.time_at(2) else {
        return malformed("signed_at");
    };
    let Some(key_id) = r
        .get_ref(3)
        .ok()
        .and_then(|v| v.as_str().ok())
        .and_then(|k| SigningKeyId::new(k).ok())
    else {
        return malformed("key_id");
    };
    let Some(signature) = r
        .get_ref(4)
        .ok()
        .and_then(|v| v.as_blob().ok())
        .and_then(|b| SignatureBytes::new(b.to_vec()).ok())
    else {
        return malformed("signature");
    };
    Ok(StoredCheckpoint::Valid(Checkpoint {
        seq,
        head_hash,
        signed_at,
        key_id,
        signature,
    }))
}

pub(crate) fn checkpoints(conn: &Connection) -> Result<Vec<StoredCheckpoint>, StoreError> {
    query_vec(
        conn,
        "SELECT seq, head_hash, signed_at, key_id, signature FROM audit_checkpoints ORDER BY seq",
        [],
        decode_stored_checkpoint,
    )
}
