//! The hash-chained audit log and its checkpoints: reads, checkpoints, audit intents (the
//! events of an audited write, committed with it and chained later), and the SQL of one group
//! append (driven by [`crate::audit_writer`]).

use std::collections::HashMap;

use deadpool_postgres::GenericClient;
use steward_store::canonical::{chain_hash, decode_event};
use steward_store::values::store_precision;
use steward_store::{
    AuditEntry, AuditKind, AuditQuery, AuditSeq, ChainHead, ChainLink, Checkpoint, ConflictReason,
    Digest, Entity, EventId, IndexedFields, SignatureBytes, SigningKeyId, StoreError,
    StoredCheckpoint, SubjectId,
};
use tokio_postgres::Row;
use tokio_postgres::types::ToSql;

use crate::pipeline::join2;
use crate::sql::{AnyLookup, AnySql};
use crate::sql::{PgTime, RowExt, exec, i16_of, i64_of, pg, query_opt, query_vec};

/// An event ready to append: its canonical body and index columns.
#[derive(Debug, Clone)]
pub(crate) struct Encoded {
    pub(crate) body: Vec<u8>,
    pub(crate) index: IndexedFields,
}

fn seq_of(r: &Row, i: usize) -> Result<AuditSeq, StoreError> {
    AuditSeq::try_from(r.col::<i64>(i, "audit seq")?).map_err(|_| StoreError::corrupt("audit seq"))
}

fn lenient_digest(r: &Row, i: usize) -> Digest {
    r.try_get::<_, &[u8]>(i)
        .ok()
        .and_then(|b| Digest::from_slice(b).ok())
        .unwrap_or(ChainLink::UNREADABLE_HASH)
}

fn lenient_index(r: &Row) -> Option<IndexedFields> {
    let event_id = EventId::from_uuid(r.try_get::<_, uuid::Uuid>(4).ok()?);
    let at_micros = r.try_get::<_, PgTime>(5).ok()?.0;
    let kind = AuditKind::from_code(u8::try_from(r.try_get::<_, i16>(6).ok()?).ok()?).ok()?;
    let subject = r
        .try_get::<_, Option<uuid::Uuid>>(7)
        .ok()?
        .map(SubjectId::from_uuid);
    Some(IndexedFields {
        event_id,
        at_micros,
        kind,
        subject,
    })
}

/// Decodes a link without refusing tampered columns: verification must be able to name them.
fn decode_link(r: &Row) -> Result<ChainLink, StoreError> {
    Ok(ChainLink {
        seq: seq_of(r, 0)?,
        prev_hash: lenient_digest(r, 1),
        hash: lenient_digest(r, 2),
        body: r.try_get::<_, Vec<u8>>(3).unwrap_or_default(),
        indexed: lenient_index(r),
    })
}

pub(crate) async fn links<C: GenericClient>(
    c: &C,
    after: Option<AuditSeq>,
    limit: u32,
) -> Result<Vec<ChainLink>, StoreError> {
    query_vec(
        c,
        "SELECT seq, prev_hash, hash, body, event_id, at, kind, subject FROM audit_log \
         WHERE seq > $1 ORDER BY seq LIMIT $2",
        &[
            &after.map(|s| i64_of(s.get())).unwrap_or(0),
            &i64::from(limit.max(1)),
        ],
        decode_link,
    )
    .await
}

/// The stored links with `lo < seq <= hi`, in sequence order.
pub(crate) async fn links_between<C: GenericClient>(
    c: &C,
    lo: u64,
    hi: u64,
) -> Result<Vec<ChainLink>, StoreError> {
    query_vec(
        c,
        "SELECT seq, prev_hash, hash, body, event_id, at, kind, subject FROM audit_log \
         WHERE seq > $1 AND seq <= $2 ORDER BY seq",
        &[&i64_of(lo), &i64_of(hi)],
        decode_link,
    )
    .await
}

pub(crate) async fn head<C: GenericClient>(c: &C) -> Result<Option<ChainHead>, StoreError> {
    query_opt(
        c,
        "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1",
        &[],
        |r| {
            Ok(ChainHead {
                seq: seq_of(r, 0)?,
                hash: r.digest(1)?,
            })
        },
    )
    .await
}

fn decode_entry(r: &Row) -> Result<AuditEntry, StoreError> {
    Ok(AuditEntry {
        seq: seq_of(r, 0)?,
        prev_hash: r.digest(1)?,
        hash: r.digest(2)?,
        event: decode_event(r.col::<&[u8]>(3, "audit body")?)?,
    })
}

pub(crate) async fn by_event<C: GenericClient>(
    c: &C,
    id: EventId,
) -> Result<AuditEntry, StoreError> {
    query_opt(
        c,
        "SELECT seq, prev_hash, hash, body FROM audit_log WHERE event_id = $1",
        &[&id.as_uuid()],
        decode_entry,
    )
    .await?
    .ok_or(StoreError::NotFound(Entity::AuditEvent))
}

pub(crate) async fn query<C: GenericClient>(
    c: &C,
    q: &AuditQuery,
) -> Result<Vec<AuditEntry>, StoreError> {
    let mut sql = String::from("SELECT seq, prev_hash, hash, body FROM audit_log WHERE true");
    let mut args: Vec<Box<dyn ToSql + Sync + Send>> = Vec::new();
    if let Some(s) = q.subject {
        args.push(Box::new(s.as_uuid()));
        sql.push_str(&format!(" AND subject = ${}", args.len()));
    }
    if let Some(k) = q.kind {
        args.push(Box::new(i16_of(k.code())));
        sql.push_str(&format!(" AND kind = ${}", args.len()));
    }
    if let Some(from) = q.from {
        args.push(Box::new(PgTime::of(from)));
        sql.push_str(&format!(" AND at >= ${}", args.len()));
    }
    if let Some(until) = q.until {
        args.push(Box::new(PgTime::of(until)));
        sql.push_str(&format!(" AND at < ${}", args.len()));
    }
    if let Some(after) = q.after {
        args.push(Box::new(i64_of(after.get())));
        sql.push_str(&format!(" AND seq > ${}", args.len()));
    }
    args.push(Box::new(i64::from(q.effective_limit())));
    sql.push_str(&format!(" ORDER BY seq LIMIT ${}", args.len()));
    let params: Vec<&(dyn ToSql + Sync)> =
        args.iter().map(|a| &**a as &(dyn ToSql + Sync)).collect();
    query_vec(c, &sql, &params, decode_entry).await
}

fn decode_checkpoint(r: &Row) -> Result<Checkpoint, StoreError> {
    Ok(Checkpoint {
        seq: seq_of(r, 0)?,
        head_hash: r.digest(1)?,
        signed_at: r.time(2)?,
        key_id: r.key(3, "signing key id")?,
        signature: SignatureBytes::new(r.col::<Vec<u8>>(4, "signature")?)
            .map_err(|_| StoreError::corrupt("signature"))?,
    })
}

pub(crate) async fn add_checkpoint<C: GenericClient>(
    c: &C,
    cp: &Checkpoint,
) -> Result<(), StoreError> {
    let seq = i64_of(cp.seq.get());
    let stored = query_opt(
        c,
        "SELECT hash FROM audit_log WHERE seq = $1",
        &[&seq],
        |r| r.digest(0),
    )
    .await?
    .ok_or(StoreError::NotFound(Entity::AuditEvent))?;
    if stored != cp.head_hash {
        return Err(StoreError::conflict(
            Entity::Checkpoint,
            ConflictReason::CheckpointMismatch,
        ));
    }
    let n = exec(
        c,
        "INSERT INTO audit_checkpoints (seq, head_hash, signed_at, key_id, signature) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (seq) DO NOTHING",
        &[
            &seq,
            &cp.head_hash.as_bytes().as_slice(),
            &PgTime::of(cp.signed_at),
            &cp.key_id.as_str(),
            &cp.signature.as_bytes(),
        ],
    )
    .await?;
    if n == 1 {
        return Ok(());
    }
    let existing = query_opt(
        c,
        "SELECT seq, head_hash, signed_at, key_id, signature FROM audit_checkpoints WHERE seq = $1",
        &[&seq],
        decode_checkpoint,
    )
    .await?;
    let mut expected = cp.clone();
    expected.signed_at = store_precision(cp.signed_at);
    if existing == Some(expected) {
        Ok(())
    } else {
        Err(StoreError::AppendOnly(Entity::Checkpoint))
    }
}

/// Decodes a checkpoint row without refusing tampered columns: verification must be able to
/// name them.
fn decode_stored_checkpoint(r: &Row) -> Result<StoredCheckpoint, StoreError> {
    let raw_seq = r.try_get::<_, i64>(0).unwrap_or(0);
    let seq = AuditSeq::try_from(raw_seq).unwrap_or(AuditSeq::FIRST);
    let malformed = |column| Ok(StoredCheckpoint::Malformed { seq, column });
    if raw_seq < 1 {
        return malformed("seq");
    }
    let Some(head_hash) = r
        .try_get::<_, &[u8]>(1)
        .ok()
        .and_then(|b| Digest::from_slice(b).ok())
    else {
        return malformed("head_hash");
    };
    let Ok(signed_at) = r.time(2) else {
        return malformed("signed_at");
    };
    let Some(key_id) = r
        .try_get::<_, &str>(3)
        .ok()
        .and_then(|k| SigningKeyId::new(k).ok())
    else {
        return malformed("key_id");
    };
    let Some(signature) = r
        .try_get::<_, &[u8]>(4)
        .ok()
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

pub(crate) async fn checkpoints<C: GenericClient>(
    c: &C,
) -> Result<Vec<StoredCheckpoint>, StoreError> {
    query_vec(
        c,
        "SELECT seq, head_hash, signed_at, key_id, signature FROM audit_checkpoints ORDER BY seq",
        &[],
        decode_stored_checkpoint,
    )
    .await
}

/// Inserts the events of an audited write as unchained intents, inside the write's
/// transaction. An event id already in the log or pending with the same body is a retry (kept
/// as is); with another body it is `AppendOnly` and the caller's transaction rolls back, so the
/// write is not kept without its entry. Two statements, pipelined: one round trip.
pub(crate) async fn insert_intents<C: GenericClient + crate::sql::AnyLookup>(
    tx: &C,
    events: &[Encoded],
) -> Result<(), StoreError> {
    if events.is_empty() {
        return Ok(());
    }
    let id_col: Vec<uuid::Uuid> = events.iter().map(|e| e.index.event_id.as_uuid()).collect();
    let at_col: Vec<PgTime> = events.iter().map(|e| PgTime(e.index.at_micros)).collect();
    let kind_col: Vec<i16> = events.iter().map(|e| i16_of(e.index.kind.code())).collect();
    let subject_col: Vec<Option<uuid::Uuid>> = events
        .iter()
        .map(|e| e.index.subject.map(|s| s.as_uuid()))
        .collect();
    let body_col: Vec<&[u8]> = events.iter().map(|e| e.body.as_slice()).collect();
    let insert = tx
        .prepare_cached(
            "INSERT INTO audit_intents (event_id, at, kind, subject, body) \
             SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::int2[], $4::uuid[], \
                                  $5::bytea[]) \
             ON CONFLICT (event_id) DO NOTHING",
        )
        .await
        .map_err(pg)?;
    // Never on a stale generic plan (`AnyLookup`): the audit log only grows.
    let (rows, inserted) = join2(
        tx.any_lookup(
            AnySql {
                any: "SELECT event_id, body FROM audit_log WHERE event_id = ANY($1) \
                      UNION ALL SELECT event_id, body FROM audit_intents WHERE event_id = ANY($1)",
                one: "SELECT event_id, body FROM audit_log WHERE event_id = $1 \
                      UNION ALL SELECT event_id, body FROM audit_intents WHERE event_id = $1",
            },
            &id_col,
        ),
        tx.execute(
            &insert,
            &[&id_col, &at_col, &kind_col, &subject_col, &body_col],
        ),
    )
    .await;
    let rows = rows.map_err(pg)?;
    inserted.map_err(pg)?;
    for r in &rows {
        let id = r.uuid(0, "event id")?;
        let body = r.col::<&[u8]>(1, "audit body")?;
        if events
            .iter()
            .any(|e| e.index.event_id.as_uuid() == id && e.body != body)
        {
            return Err(StoreError::AppendOnly(Entity::AuditEvent));
        }
    }
    Ok(())
}

/// The number of intents not chained yet.
pub(crate) async fn pending_intents<C: GenericClient>(c: &C) -> Result<u64, StoreError> {
    let n: i64 = c
        .query_one("SELECT count(*) FROM audit_intents", &[])
        .await
        .map_err(pg)?
        .try_get(0)
        .map_err(pg)?;
    Ok(u64::try_from(n).unwrap_or(0))
}

const LOCK_HEAD: &str = "SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE";
/// Pending intents, oldest first; `chained` marks an intent whose event is in the log already
/// (its write was retried after a chaining that committed): it is only deleted. The lookup is
/// a LATERAL probe of the event index per intent: a plain `EXISTS` let the planner hash the
/// whole log on every group (seen: 40 ms per group on a 500k-entry log).
const INTENTS: &str = "SELECT i.id, i.event_id, i.at, i.kind, i.subject, i.body, \
     (x.found IS NOT NULL) AS chained \
     FROM (SELECT * FROM audit_intents ORDER BY id LIMIT $1) i \
     LEFT JOIN LATERAL (SELECT 1 AS found FROM audit_log l \
                        WHERE l.event_id = i.event_id LIMIT 1) x ON true \
     ORDER BY i.id";
const DELETE_INTENTS: &str = "DELETE FROM audit_intents WHERE id = ANY($1)";
const EXISTING: AnySql = AnySql {
    any: "SELECT event_id, seq, body FROM audit_log WHERE event_id = ANY($1)",
    one: "SELECT event_id, seq, body FROM audit_log WHERE event_id = $1",
};
const INSERT: &str = "INSERT INTO audit_log (seq, event_id, at, kind, subject, prev_hash, hash, body) \
     SELECT * FROM unnest($1::int8[], $2::uuid[], $3::timestamptz[], $4::int2[], $5::uuid[], \
                          $6::bytea[], $7::bytea[], $8::bytea[])";
const MOVE_HEAD: &str = "UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1";

/// What one group transaction did.
#[derive(Debug)]
pub(crate) struct GroupOutcome {
    /// Per job, in job order.
    pub(crate) jobs: Vec<Result<Vec<AuditSeq>, StoreError>>,
    /// Pending intents taken (chained, or deleted as already chained).
    pub(crate) intents: usize,
}

/// A row to insert, borrowing the body from its job.
struct NewRow<'a> {
    seq: AuditSeq,
    prev: Digest,
    hash: Digest,
    ev: &'a Encoded,
}

/// An intent read back for chaining.
struct Intent {
    id: i64,
    event: Encoded,
}

fn decode_intent(r: &Row) -> Result<(Intent, bool), StoreError> {
    let kind = AuditKind::from_code(r.code(3, "audit kind")?)?;
    Ok((
        Intent {
            id: r.col::<i64>(0, "intent id")?,
            event: Encoded {
                body: r.col::<Vec<u8>>(5, "audit body")?,
                index: IndexedFields {
                    event_id: EventId::from_uuid(r.uuid(1, "event id")?),
                    at_micros: r.col::<PgTime>(2, "at")?.0,
                    kind,
                    subject: r.opt_uuid(4, "subject")?.map(SubjectId::from_uuid),
                },
            },
        },
        r.col::<bool>(6, "chained")?,
    ))
}

/// Appends the events of several callers (`jobs`, each appended atomically and in order) in
/// one transaction, after chaining up to `intent_limit` pending audit intents (the events of
/// audited writes, oldest first): lock the chain head row, read the pending intents and which
/// event ids exist, number and chain everything in memory, insert it with one statement,
/// delete the chained intents, move the head, commit.
///
/// A job whose events reuse a stored id with another body fails alone (`AppendOnly`) and
/// takes no sequence number; any database failure fails every job of the group (and leaves
/// the intents pending). Returns the per-job outcomes, in job order, and how many intents
/// were taken.
///
/// INVARIANT: sequence numbers are assigned only while the `audit_head` row is locked
/// (`FOR UPDATE`, held to COMMIT), so appends from every process on the database are
/// serialized, gap-free and chained in order. Intents are read after the lock is held
/// (pipelined after it: READ COMMITTED takes a snapshot per statement), so every intent
/// committed before this group started is either chained here or was chained by an earlier
/// group; an intent is deleted in the transaction that chains it, so it is chained once.
pub(crate) async fn append_group(
    client: &deadpool_postgres::Client,
    jobs: &[&[Encoded]],
    intent_limit: usize,
) -> Result<GroupOutcome, StoreError> {
    let lock = client.prepare_cached(LOCK_HEAD).await.map_err(pg)?;
    let intents_st = client.prepare_cached(INTENTS).await.map_err(pg)?;
    let ids: Vec<uuid::Uuid> = jobs
        .iter()
        .flat_map(|j| j.iter().map(|e| e.index.event_id.as_uuid()))
        .collect();
    let limit = i64::try_from(intent_limit.max(1)).unwrap_or(i64::MAX);
    // Round trip 1: BEGIN, lock the head, read the pending intents and the ids that exist
    // (after the lock is held).
    let ((begin, head), (intent_rows, existing)) = join2(
        join2(client.batch_execute("BEGIN"), client.query_opt(&lock, &[])),
        join2(
            client.query(&intents_st, &[&limit]),
            client.any_lookup(EXISTING, &ids),
        ),
    )
    .await;
    begin.map_err(pg)?;
    let head = head.map_err(pg)?.ok_or(StoreError::corrupt("audit head"))?;
    let mut head_seq = u64::try_from(head.col::<i64>(0, "audit head")?)
        .map_err(|_| StoreError::corrupt("audit head"))?;
    let mut head_hash = head.digest(1)?;
    let mut stored: HashMap<uuid::Uuid, (AuditSeq, Vec<u8>)> = HashMap::new();
    for r in existing.map_err(pg)? {
        stored.insert(
            r.uuid(0, "event id")?,
            (seq_of(&r, 1)?, r.col::<Vec<u8>>(2, "audit body")?),
        );
    }
    let intents: Vec<(Intent, bool)> = intent_rows
        .map_err(pg)?
        .iter()
        .map(decode_intent)
        .collect::<Result<_, _>>()?;
    let taken: Vec<i64> = intents.iter().map(|(i, _)| i.id).collect();

    let mut rows: Vec<NewRow<'_>> = Vec::new();
    // The intents first: their writes committed before any job of this group was queued.
    for (intent, chained) in &intents {
        let id = intent.event.index.event_id.as_uuid();
        if *chained || stored.contains_key(&id) {
            continue;
        }
        head_seq += 1;
        let s = AuditSeq::new(head_seq).map_err(|_| StoreError::corrupt("audit seq"))?;
        let h = chain_hash(&head_hash, s, &intent.event.body);
        rows.push(NewRow {
            seq: s,
            prev: head_hash,
            hash: h,
            ev: &intent.event,
        });
        stored.insert(id, (s, intent.event.body.clone()));
        head_hash = h;
    }
    let mut outcomes = Vec::with_capacity(jobs.len());
    for job in jobs {
        // Tentative numbering: committed to the group only if the whole job is valid.
        let (mut seq, mut hash) = (head_seq, head_hash);
        let mut mine: HashMap<uuid::Uuid, usize> = HashMap::new();
        let mut job_rows: Vec<NewRow<'_>> = Vec::new();
        let mut seqs = Vec::with_capacity(job.len());
        let mut ok = true;
        for ev in job.iter() {
            let id = ev.index.event_id.as_uuid();
            if let Some((s, body)) = stored.get(&id) {
                if *body == ev.body {
                    seqs.push(*s);
                    continue;
                }
                ok = false;
                break;
            }
            if let Some(&i) = mine.get(&id) {
                if job_rows[i].ev.body == ev.body {
                    seqs.push(job_rows[i].seq);
                    continue;
                }
                ok = false;
                break;
            }
            seq += 1;
            let s = AuditSeq::new(seq).map_err(|_| StoreError::corrupt("audit seq"))?;
            let h = chain_hash(&hash, s, &ev.body);
            mine.insert(id, job_rows.len());
            job_rows.push(NewRow {
                seq: s,
                prev: hash,
                hash: h,
                ev,
            });
            hash = h;
            seqs.push(s);
        }
        if ok {
            head_seq = seq;
            head_hash = hash;
            for r in &job_rows {
                stored.insert(r.ev.index.event_id.as_uuid(), (r.seq, r.ev.body.clone()));
            }
            rows.extend(job_rows);
            outcomes.push(Ok(seqs));
        } else {
            outcomes.push(Err(StoreError::AppendOnly(Entity::AuditEvent)));
        }
    }

    let delete_intents = client.prepare_cached(DELETE_INTENTS).await.map_err(pg)?;
    if rows.is_empty() {
        let (deleted, committed) = join2(
            client.execute(&delete_intents, &[&taken]),
            client.batch_execute("COMMIT"),
        )
        .await;
        deleted.map_err(pg)?;
        committed.map_err(pg)?;
        return Ok(GroupOutcome {
            jobs: outcomes,
            intents: taken.len(),
        });
    }
    let seq_col: Vec<i64> = rows.iter().map(|r| i64_of(r.seq.get())).collect();
    let id_col: Vec<uuid::Uuid> = rows.iter().map(|r| r.ev.index.event_id.as_uuid()).collect();
    let at_col: Vec<PgTime> = rows.iter().map(|r| PgTime(r.ev.index.at_micros)).collect();
    let kind_col: Vec<i16> = rows
        .iter()
        .map(|r| i16_of(r.ev.index.kind.code()))
        .collect();
    let subject_col: Vec<Option<uuid::Uuid>> = rows
        .iter()
        .map(|r| r.ev.index.subject.map(|s| s.as_uuid()))
        .collect();
    let prev_col: Vec<&[u8]> = rows.iter().map(|r| r.prev.as_bytes().as_slice()).collect();
    let hash_col: Vec<&[u8]> = rows.iter().map(|r| r.hash.as_bytes().as_slice()).collect();
    let body_col: Vec<&[u8]> = rows.iter().map(|r| r.ev.body.as_slice()).collect();
    let insert = client.prepare_cached(INSERT).await.map_err(pg)?;
    let move_head = client.prepare_cached(MOVE_HEAD).await.map_err(pg)?;
    let new_seq = i64_of(head_seq);
    let new_hash = head_hash.as_bytes().as_slice();
    // Round trip 2: insert, delete the chained intents, move the head, commit. If a statement
    // fails, the transaction is aborted and COMMIT rolls it back: their errors are checked
    // first.
    let (((inserted, deleted), moved), committed) = join2(
        join2(
            join2(
                client.execute(
                    &insert,
                    &[
                        &seq_col,
                        &id_col,
                        &at_col,
                        &kind_col,
                        &subject_col,
                        &prev_col,
                        &hash_col,
                        &body_col,
                    ],
                ),
                client.execute(&delete_intents, &[&taken]),
            ),
            client.execute(&move_head, &[&new_seq, &new_hash]),
        ),
        client.batch_execute("COMMIT"),
    )
    .await;
    inserted.map_err(pg)?;
    deleted.map_err(pg)?;
    moved.map_err(pg)?;
    committed.map_err(pg)?;
    Ok(GroupOutcome {
        jobs: outcomes,
        intents: taken.len(),
    })
}
