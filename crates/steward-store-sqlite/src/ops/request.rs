//! Data subject requests and their workflow records (`RequestStore`): requests with their
//! steps, challenges, the outbox, connectors, webhook deliveries and legal holds. Writes run
//! inside the writer's transaction, so each method is atomic; claims of due deliveries are
//! exact because there is one writer.

use jiff::Timestamp;
use rusqlite::{Connection, Row, params};
use steward_store::model::event::NotificationId;
use steward_store::model::request::{
    ChallengeAttempt, ChallengeRecord, ConnectorKind, ConnectorRecord, DeliveryOutcome,
    DeliveryRecord, DeliveryState, LegalHoldRecord, MessageOutcome, MessageOwner, MessageRecord,
    NewChallenge, NewConnector, NewDelivery, NewLegalHold, NewMessage, NewRequest, NewRequestStep,
    RequestChange, RequestCounts, RequestQuery, RequestRecord, RequestState, RequestStep,
    RequestSummary, Requester, SealedKey,
};
use steward_store::values::store_precision;
use steward_store::{
    Actor, CaseId, CaseKind, ChallengeId, ConflictReason, ConnectorId, DeliveryId, Entity, HoldId,
    ItemId, MessageId, RequestId, RequestStepId, StoreError, SubjectId,
};

use super::subject;
use crate::sql::{
    RowExt, db, exec, exec_raw, is_unique_violation, micros, opt_micros, query_opt, query_vec,
};

fn u32_of(v: i64, what: &'static str) -> Result<u32, StoreError> {
    u32::try_from(v).map_err(|_| StoreError::corrupt(what))
}

fn sealed_key(r: &Row<'_>, kek: usize, wrapped: usize) -> Result<Option<SealedKey>, StoreError> {
    let kek = r.opt_key_at(kek, "request key kek")?;
    let wrapped = r.opt_blob_at(wrapped, "request key")?;
    match (kek, wrapped) {
        (Some(kek), Some(w)) => Ok(Some(SealedKey {
            kek,
            wrapped: steward_store::WrappedKeyBytes::new(w.to_vec())
                .map_err(|_| StoreError::corrupt("request key"))?,
        })),
        (None, None) => Ok(None),
        _ => Err(StoreError::corrupt("request key")),
    }
}

fn ciphertext(
    b: Option<&[u8]>,
    what: &'static str,
) -> Result<Option<steward_store::Ciphertext>, StoreError> {
    b.map(|b| steward_store::Ciphertext::new(b.to_vec()).map_err(|_| StoreError::corrupt(what)))
        .transpose()
}

// ---------------------------------------------------------------------------------------------
// Requests

const REQ_COLS: &str = "id, kind, subject, requester, channel, state, received_at, ack_due, due, \
                        max_due, closed_at, key_kek, key_wrapped, sealed, doc, revision, updated_at";

const SUMMARY_COLS: &str =
    "id, kind, subject, requester, channel, state, received_at, ack_due, due, max_due, closed_at";

fn decode_request(r: &Row<'_>) -> Result<RequestRecord, StoreError> {
    Ok(RequestRecord {
        id: RequestId::from_bytes(r.id16_at(0, "request id")?),
        kind: r.key_at(1, "request kind")?,
        subject: r.opt_id16_at(2, "subject id")?.map(SubjectId::from_bytes),
        requester: Requester::from_code(r.code_at(3, "requester")?)?,
        channel: r.key_at(4, "request channel")?,
        state: RequestState::from_code(r.code_at(5, "request state")?)?,
        received_at: r.time_at(6)?,
        ack_due: r.opt_time_at(7)?,
        due: r.time_at(8)?,
        max_due: r.time_at(9)?,
        closed_at: r.opt_time_at(10)?,
        key: sealed_key(r, 11, 12)?,
        sealed: ciphertext(r.opt_blob_at(13, "request sealed")?, "request sealed")?,
        doc: r.blob_at(14, "request doc")?.to_vec(),
        revision: u64::try_from(r.i64_at(15, "request revision")?)
            .map_err(|_| StoreError::corrupt("request revision"))?,
        updated_at: r.time_at(16)?,
    })
}

fn decode_summary(r: &Row<'_>) -> Result<RequestSummary, StoreError> {
    Ok(RequestSummary {
        id: RequestId::from_bytes(r.id16_at(0, "request id")?),
        kind: r.key_at(1, "request kind")?,
        subject: r.opt_id16_at(2, "subject id")?.map(SubjectId::from_bytes),
        requester: Requester::from_code(r.code_at(3, "requester")?)?,
        channel: r.key_at(4, "request channel")?,
        state: RequestState::from_code(r.code_at(5, "request state")?)?,
        received_at: r.time_at(6)?,
        ack_due: r.opt_time_at(7)?,
        due: r.time_at(8)?,
        max_due: r.time_at(9)?,
        closed_at: r.opt_time_at(10)?,
    })
}

pub(crate) fn get(conn: &Connection, id: RequestId) -> Result<Option<RequestRecord>, StoreError> {
    query_opt(
        conn,
        &format!("SELECT {REQ_COLS} FROM requests WHERE id = ?1"),
        [id.to_bytes()],
        decode_request,
    )
}

pub(crate) fn require(conn: &Connection, id: RequestId) -> Result<RequestRecord, StoreError> {
    get(conn, id)?.ok_or(StoreError::NotFound(Entity::Request))
}

fn same_request(stored: &RequestRecord, r: &NewRequest) -> bool {
    stored.kind == r.kind
        && stored.subject == r.subject
        && stored.requester == r.requester
        && stored.channel == r.channel
        && stored.received_at == store_precision(r.received_at)
        && stored.revision == 1
        && stored.state == r.state
        && stored.doc == r.doc
        && stored.sealed == r.sealed
        && stored.key == r.key
}

fn actor_cols(a: &Actor) -> (u8, Option<[u8; 16]>, Option<&str>) {
    match a {
        Actor::System => (0, None, None),
        Actor::Subject(s) => (1, Some(s.to_bytes()), None),
        Actor::Service(k) => (2, None, Some(k.as_str())),
    }
}

fn insert_step(
    conn: &Connection,
    request: RequestId,
    s: &NewRequestStep,
) -> Result<(), StoreError> {
    let exists = query_opt(
        conn,
        "SELECT request FROM request_steps WHERE id = ?1",
        [s.id.to_bytes()],
        |r| r.id16_at(0, "request id"),
    )?;
    if let Some(owner) = exists {
        return if owner == request.to_bytes() {
            Ok(())
        } else {
            Err(StoreError::conflict(
                Entity::Request,
                ConflictReason::DifferentContent,
            ))
        };
    }
    let (kind, subject, service) = actor_cols(&s.actor);
    exec(
        conn,
        "INSERT INTO request_steps (request, at, id, actor_kind, actor_subject, actor_service, \
         action, state, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            request.to_bytes(),
            micros(s.at),
            s.id.to_bytes(),
            kind,
            subject,
            service,
            s.action.as_str(),
            s.state.code(),
            s.detail,
        ],
    )?;
    Ok(())
}

pub(crate) fn create(conn: &Connection, r: &NewRequest) -> Result<RequestRecord, StoreError> {
    if let Some(existing) = get(conn, r.id)? {
        return if same_request(&existing, r) {
            Ok(existing)
        } else {
            Err(StoreError::conflict(
                Entity::Request,
                ConflictReason::DifferentContent,
            ))
        };
    }
    if let Some(s) = r.subject {
        subject::require(conn, s)?;
    }
    exec(
        conn,
        &format!(
            "INSERT INTO requests ({REQ_COLS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, \
             NULL, ?11, ?12, ?13, ?14, 1, ?7)"
        ),
        params![
            r.id.to_bytes(),
            r.kind.as_str(),
            r.subject.map(|s| s.to_bytes()),
            r.requester.code(),
            r.channel.as_str(),
            r.state.code(),
            micros(r.received_at),
            opt_micros(r.ack_due),
            micros(r.due),
            micros(r.max_due),
            r.key.as_ref().map(|k| k.kek.as_str()),
            r.key.as_ref().map(|k| k.wrapped.as_bytes()),
            r.sealed.as_ref().map(|c| c.as_bytes()),
            r.doc,
        ],
    )?;
    insert_step(conn, r.id, &r.step)?;
    require(conn, r.id)
}

pub(crate) fn update(
    conn: &Connection,
    id: RequestId,
    expected_revision: u64,
    c: &RequestChange,
    step: &NewRequestStep,
) -> Result<RequestRecord, StoreError> {
    let current = require(conn, id)?;
    if current.revision != expected_revision {
        return Err(StoreError::conflict(
            Entity::Request,
            ConflictReason::StaleRevision,
        ));
    }
    if let Some(s) = c.subject
        && current.subject != Some(s)
    {
        subject::require(conn, s)?;
    }
    let next = i64::try_from(expected_revision.saturating_add(1)).unwrap_or(i64::MAX);
    exec(
        conn,
        "UPDATE requests SET subject = ?2, state = ?3, ack_due = ?4, due = ?5, max_due = ?6, \
         closed_at = ?7, key_kek = ?8, key_wrapped = ?9, sealed = ?10, doc = ?11, \
         revision = ?12, updated_at = ?13 WHERE id = ?1",
        params![
            id.to_bytes(),
            c.subject.map(|s| s.to_bytes()),
            c.state.code(),
            opt_micros(c.ack_due),
            micros(c.due),
            micros(c.max_due),
            opt_micros(c.closed_at),
            c.key.as_ref().map(|k| k.kek.as_str()),
            c.key.as_ref().map(|k| k.wrapped.as_bytes()),
            c.sealed.as_ref().map(|s| s.as_bytes()),
            c.doc,
            next,
            micros(step.at),
        ],
    )?;
    insert_step(conn, id, step)?;
    require(conn, id)
}

pub(crate) fn append_step(
    conn: &Connection,
    request: RequestId,
    step: &NewRequestStep,
) -> Result<(), StoreError> {
    require_exists(conn, request)?;
    insert_step(conn, request, step)
}

fn require_exists(conn: &Connection, request: RequestId) -> Result<(), StoreError> {
    query_opt(
        conn,
        "SELECT 1 FROM requests WHERE id = ?1",
        [request.to_bytes()],
        |_| Ok(()),
    )?
    .ok_or(StoreError::NotFound(Entity::Request))
}

pub(crate) fn steps(conn: &Connection, request: RequestId) -> Result<Vec<RequestStep>, StoreError> {
    require_exists(conn, request)?;
    query_vec(
        conn,
        "SELECT request, at, id, actor_kind, actor_subject, actor_service, action, state, detail \
         FROM request_steps WHERE request = ?1 ORDER BY at, id",
        [request.to_bytes()],
        |r| {
            let actor = match r.code_at(3, "actor kind")? {
                0 => Actor::System,
                1 => Actor::Subject(SubjectId::from_bytes(r.id16_at(4, "actor subject")?)),
                2 => Actor::Service(r.key_at(5, "actor service")?),
                _ => return Err(StoreError::corrupt("actor kind")),
            };
            Ok(RequestStep {
                request: RequestId::from_bytes(r.id16_at(0, "request id")?),
                at: r.time_at(1)?,
                id: RequestStepId::from_bytes(r.id16_at(2, "request step id")?),
                actor,
                action: r.key_at(6, "request step action")?,
                state: RequestState::from_code(r.code_at(7, "request state")?)?,
                detail: r.blob_at(8, "request step detail")?.to_vec(),
            })
        },
    )
}

pub(crate) fn list(conn: &Connection, q: &RequestQuery) -> Result<Vec<RequestSummary>, StoreError> {
    let limit = i64::from(q.effective_limit());
    let (after_due, after_id) = match q.after {
        Some((t, id)) => (Some(micros(t)), Some(id.to_bytes().to_vec())),
        None => (None, None),
    };
    let state = q.state.map(|s| s.code());
    let subject = q.subject.map(|s| s.to_bytes());
    // One statement per shape, so the planner uses the covering index for the open queue.
    let (filter, table) = if q.open_only {
        (
            "closed_at IS NULL",
            "requests INDEXED BY requests_open_by_due",
        )
    } else {
        ("1 = 1", "requests")
    };
    let sql = format!(
        "SELECT {SUMMARY_COLS} FROM {table} WHERE {filter} \
         AND (?1 IS NULL OR subject = ?1) AND (?2 IS NULL OR state = ?2) \
         AND (?3 IS NULL OR due > ?3 OR (due = ?3 AND id > ?4)) \
         ORDER BY due, id LIMIT ?5"
    );
    query_vec(
        conn,
        &sql,
        params![subject, state, after_due, after_id, limit],
        decode_summary,
    )
}

fn count(conn: &Connection, sql: &str, p: impl rusqlite::Params) -> Result<u64, StoreError> {
    let n = query_opt(conn, sql, p, |r| r.i64_at(0, "count"))?.unwrap_or(0);
    u64::try_from(n).map_err(|_| StoreError::corrupt("count"))
}

pub(crate) fn counts(
    conn: &Connection,
    now: Timestamp,
    at_risk_before: Timestamp,
) -> Result<RequestCounts, StoreError> {
    Ok(RequestCounts {
        open: count(
            conn,
            "SELECT COUNT(*) FROM requests WHERE closed_at IS NULL",
            [],
        )?,
        overdue: count(
            conn,
            "SELECT COUNT(*) FROM requests WHERE closed_at IS NULL AND due < ?1",
            [micros(now)],
        )?,
        at_risk: count(
            conn,
            "SELECT COUNT(*) FROM requests WHERE closed_at IS NULL AND due >= ?1 AND due < ?2",
            [micros(now), micros(at_risk_before)],
        )?,
    })
}

pub(crate) fn purge(conn: &Connection, closed_before: Timestamp) -> Result<u64, StoreError> {
    let cut = micros(closed_before);
    let sel = "SELECT id FROM requests WHERE closed_at IS NOT NULL AND closed_at < ?1";
    for table in [
        "webhook_deliveries",
        "request_messages",
        "request_challenges",
        "request_steps",
    ] {
        exec(
            conn,
            &format!("DELETE FROM {table} WHERE request IN ({sel})"),
            [cut],
        )?;
    }
    let n = exec(
        conn,
        "DELETE FROM requests WHERE closed_at IS NOT NULL AND closed_at < ?1",
        [cut],
    )?;
    Ok(n as u64)
}

// ---------------------------------------------------------------------------------------------
// Challenges

const CH_COLS: &str =
    "id, request, code_hash, created_at, expires_at, max_attempts, attempts, consumed_at";

fn decode_challenge(r: &Row<'_>) -> Result<ChallengeRecord, StoreError> {
    Ok(ChallengeRecord {
        id: ChallengeId::from_bytes(r.id16_at(0, "challenge id")?),
        request: RequestId::from_bytes(r.id16_at(1, "request id")?),
        code_hash: r.digest_at(2)?,
        created_at: r.time_at(3)?,
        expires_at: r.time_at(4)?,
        max_attempts: u32_of(r.i64_at(5, "max attempts")?, "max attempts")?,
        attempts: u32_of(r.i64_at(6, "attempts")?, "attempts")?,
        consumed_at: r.opt_time_at(7)?,
    })
}

fn get_challenge(
    conn: &Connection,
    id: ChallengeId,
) -> Result<Option<ChallengeRecord>, StoreError> {
    query_opt(
        conn,
        &format!("SELECT {CH_COLS} FROM request_challenges WHERE id = ?1"),
        [id.to_bytes()],
        decode_challenge,
    )
}

pub(crate) fn create_challenge(conn: &Connection, c: &NewChallenge) -> Result<(), StoreError> {
    if let Some(existing) = get_challenge(conn, c.id)? {
        let same = existing.request == c.request
            && existing.code_hash == c.code_hash
            && existing.expires_at == store_precision(c.expires_at);
        return if same {
            Ok(())
        } else {
            Err(StoreError::conflict(
                Entity::Challenge,
                ConflictReason::DifferentContent,
            ))
        };
    }
    require_exists(conn, c.request)?;
    exec(
        conn,
        &format!(
            "INSERT INTO request_challenges ({CH_COLS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0, NULL)"
        ),
        params![
            c.id.to_bytes(),
            c.request.to_bytes(),
            c.code_hash.0,
            micros(c.created_at),
            micros(c.expires_at),
            i64::from(c.max_attempts),
        ],
    )?;
    Ok(())
}

pub(crate) fn latest_challenge(
    conn: &Connection,
    request: RequestId,
) -> Result<Option<ChallengeRecord>, StoreError> {
    query_opt(
        conn,
        &format!(
            "SELECT {CH_COLS} FROM request_challenges WHERE request = ?1 \
             ORDER BY created_at DESC, id DESC LIMIT 1"
        ),
        [request.to_bytes()],
        decode_challenge,
    )
}

pub(crate) fn attempt_challenge(
    conn: &Connection,
    id: ChallengeId,
    matched: bool,
    at: Timestamp,
) -> Result<ChallengeAttempt, StoreError> {
    let c = get_challenge(conn, id)?.ok_or(StoreError::NotFound(Entity::Challenge))?;
    if c.consumed_at.is_some() {
        return Ok(ChallengeAttempt::AlreadyUsed);
    }
    if store_precision(at) > c.expires_at {
        return Ok(ChallengeAttempt::Expired);
    }
    if c.attempts >= c.max_attempts {
        return Ok(ChallengeAttempt::Exhausted);
    }
    let attempts = c.attempts + 1;
    exec(
        conn,
        "UPDATE request_challenges SET attempts = ?2, consumed_at = ?3 WHERE id = ?1",
        params![
            id.to_bytes(),
            i64::from(attempts),
            matched.then(|| micros(at))
        ],
    )?;
    Ok(if matched {
        ChallengeAttempt::Accepted
    } else {
        ChallengeAttempt::Rejected {
            remaining: c.max_attempts - attempts,
        }
    })
}

// ---------------------------------------------------------------------------------------------
// Outbox

const MSG_COLS: &str = "id, request, kind, created_at, sealed, attempts, sent_at, last_error, lease_until, complaint, \
     incident";

fn decode_message(r: &Row<'_>) -> Result<MessageRecord, StoreError> {
    let owner = match (
        r.opt_id16_at(1, "request id")?,
        r.opt_id16_at(9, "complaint id")?,
        r.opt_id16_at(10, "incident id")?,
    ) {
        (Some(req), None, None) => MessageOwner::Request(RequestId::from_bytes(req)),
        (None, Some(c), None) => MessageOwner::Complaint(CaseId::from_bytes(c)),
        (None, None, Some(c)) => MessageOwner::Incident(CaseId::from_bytes(c)),
        _ => {
            return Err(StoreError::corrupt("outbox message owner"));
        }
    };
    Ok(MessageRecord {
        id: MessageId::from_bytes(r.id16_at(0, "message id")?),
        owner,
        kind: r.key_at(2, "message kind")?,
        created_at: r.time_at(3)?,
        sealed: ciphertext(r.opt_blob_at(4, "message")?, "message")?,
        attempts: u32_of(r.i64_at(5, "attempts")?, "attempts")?,
        sent_at: r.opt_time_at(6)?,
        last_error: r.opt_key_at(7, "message error")?,
        lease_until: r.opt_time_at(8)?,
    })
}

/// The owner of a new message exists (a complaint owner: a case of kind `Complaint` or
/// `LegalRequest`; an incident owner: one of kind `Incident`).
pub(crate) fn require_owner(conn: &Connection, owner: MessageOwner) -> Result<(), StoreError> {
    let (case, kinds) = match owner {
        MessageOwner::Request(r) => return require_exists(conn, r),
        MessageOwner::Complaint(c) => (c, [CaseKind::Complaint, CaseKind::LegalRequest]),
        MessageOwner::Incident(c) => (c, [CaseKind::Incident, CaseKind::Incident]),
    };
    query_opt(
        conn,
        "SELECT 1 FROM cases WHERE id = ?1 AND kind IN (?2, ?3)",
        params![case.to_bytes(), kinds[0].code(), kinds[1].code()],
        |_| Ok(()),
    )?
    .ok_or(StoreError::NotFound(Entity::Case))
}

pub(crate) fn enqueue(conn: &Connection, messages: &[NewMessage]) -> Result<(), StoreError> {
    for m in messages {
        let existing = query_opt(
            conn,
            &format!("SELECT {MSG_COLS} FROM request_messages WHERE id = ?1"),
            [m.id.to_bytes()],
            decode_message,
        )?;
        if let Some(e) = existing {
            if e.owner != m.owner || e.kind != m.kind {
                return Err(StoreError::conflict(
                    Entity::Message,
                    ConflictReason::DifferentContent,
                ));
            }
            continue;
        }
        require_owner(conn, m.owner)?;
        exec(
            conn,
            &format!(
                "INSERT INTO request_messages ({MSG_COLS}) \
                 VALUES (?1, ?2, ?3, ?4, ?5, 0, NULL, NULL, ?6, ?7, ?8)"
            ),
            params![
                m.id.to_bytes(),
                m.owner.request().map(|r| r.to_bytes()),
                m.kind.as_str(),
                micros(m.created_at),
                m.sealed.as_bytes(),
                m.lease_until.map(micros),
                m.owner.complaint().map(|c| c.to_bytes()),
                m.owner.incident().map(|c| c.to_bytes()),
            ],
        )?;
    }
    Ok(())
}

pub(crate) fn pending_messages(
    conn: &Connection,
    limit: u32,
) -> Result<Vec<MessageRecord>, StoreError> {
    query_vec(
        conn,
        &format!(
            "SELECT {MSG_COLS} FROM request_messages WHERE sent_at IS NULL \
             ORDER BY created_at, id LIMIT ?1"
        ),
        [i64::from(limit.clamp(1, 10_000))],
        decode_message,
    )
}

/// Claims free messages (the caller holds the single writer, so select-then-update is one
/// step for every other worker).
pub(crate) fn claim_messages(
    conn: &Connection,
    now: Timestamp,
    lease_until: Timestamp,
    limit: u32,
) -> Result<Vec<MessageRecord>, StoreError> {
    let ids = query_vec(
        conn,
        "SELECT id FROM request_messages WHERE sent_at IS NULL AND sealed IS NOT NULL \
         AND (lease_until IS NULL OR lease_until <= ?1) ORDER BY created_at, id LIMIT ?2",
        params![micros(now), i64::from(limit.clamp(1, 10_000))],
        |r| r.id16_at(0, "message id"),
    )?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        exec(
            conn,
            "UPDATE request_messages SET lease_until = ?2 WHERE id = ?1",
            params![id, micros(lease_until)],
        )?;
        if let Some(m) = query_opt(
            conn,
            &format!("SELECT {MSG_COLS} FROM request_messages WHERE id = ?1"),
            [id],
            decode_message,
        )? {
            out.push(m);
        }
    }
    Ok(out)
}

pub(crate) fn record_message(
    conn: &Connection,
    id: MessageId,
    outcome: &MessageOutcome,
    at: Timestamp,
) -> Result<MessageRecord, StoreError> {
    let n = match outcome {
        MessageOutcome::Sent => exec(
            conn,
            "UPDATE request_messages SET attempts = attempts + 1, sent_at = ?2, sealed = NULL, \
             last_error = NULL, lease_until = NULL WHERE id = ?1 AND sent_at IS NULL",
            params![id.to_bytes(), micros(at)],
        )?,
        MessageOutcome::Failed(code) => exec(
            conn,
            "UPDATE request_messages SET attempts = attempts + 1, last_error = ?2, \
             lease_until = NULL WHERE id = ?1 AND sent_at IS NULL",
            params![id.to_bytes(), code.as_str()],
        )?,
    };
    let _ = n;
    query_opt(
        conn,
        &format!("SELECT {MSG_COLS} FROM request_messages WHERE id = ?1"),
        [id.to_bytes()],
        decode_message,
    )?
    .ok_or(StoreError::NotFound(Entity::Message))
}

pub(crate) fn request_messages(
    conn: &Connection,
    request: RequestId,
) -> Result<Vec<MessageRecord>, StoreError> {
    query_vec(
        conn,
        &format!(
            "SELECT {MSG_COLS} FROM request_messages WHERE request = ?1 ORDER BY created_at, id"
        ),
        [request.to_bytes()],
        decode_message,
    )
}

pub(crate) fn complaint_messages(
    conn: &Connection,
    complaint: CaseId,
) -> Result<Vec<MessageRecord>, StoreError> {
    query_vec(
        conn,
        &format!(
            "SELECT {MSG_COLS} FROM request_messages WHERE complaint = ?1 \
             ORDER BY created_at, id"
        ),
        [complaint.to_bytes()],
        decode_message,
    )
}

// ---------------------------------------------------------------------------------------------
// Connectors

const CONN_COLS: &str = "id, name, kind, recipient, config, key_kek, key_wrapped, secret, \
                         created_at, updated_at, disabled_at";

fn decode_connector(r: &Row<'_>) -> Result<ConnectorRecord, StoreError> {
    Ok(ConnectorRecord {
        id: ConnectorId::from_bytes(r.id16_at(0, "connector id")?),
        name: r.key_at(1, "connector name")?,
        kind: ConnectorKind::from_code(r.code_at(2, "connector kind")?)?,
        recipient: r.opt_key_at(3, "recipient")?,
        config: r.blob_at(4, "connector config")?.to_vec(),
        key: sealed_key(r, 5, 6)?.ok_or(StoreError::corrupt("connector key"))?,
        secret: ciphertext(r.opt_blob_at(7, "connector secret")?, "connector secret")?,
        created_at: r.time_at(8)?,
        updated_at: r.time_at(9)?,
        disabled_at: r.opt_time_at(10)?,
    })
}

fn get_connector_opt(
    conn: &Connection,
    id: ConnectorId,
) -> Result<Option<ConnectorRecord>, StoreError> {
    query_opt(
        conn,
        &format!("SELECT {CONN_COLS} FROM connectors WHERE id = ?1"),
        [id.to_bytes()],
        decode_connector,
    )
}

pub(crate) fn get_connector(
    conn: &Connection,
    id: ConnectorId,
) -> Result<ConnectorRecord, StoreError> {
    get_connector_opt(conn, id)?.ok_or(StoreError::NotFound(Entity::Connector))
}

pub(crate) fn put_connector(
    conn: &Connection,
    c: &NewConnector,
) -> Result<ConnectorRecord, StoreError> {
    let name_taken = |e: &rusqlite::Error| is_unique_violation(e);
    let result = match get_connector_opt(conn, c.id)? {
        Some(existing) => {
            if existing.kind != c.kind {
                return Err(StoreError::conflict(
                    Entity::Connector,
                    ConflictReason::DifferentContent,
                ));
            }
            exec_raw(
                conn,
                "UPDATE connectors SET name = ?2, recipient = ?3, config = ?4, key_kek = ?5, \
                 key_wrapped = ?6, secret = ?7, updated_at = ?8, disabled_at = NULL WHERE id = ?1",
                params![
                    c.id.to_bytes(),
                    c.name.as_str(),
                    c.recipient.as_ref().map(|r| r.as_str()),
                    c.config,
                    c.key.kek.as_str(),
                    c.key.wrapped.as_bytes(),
                    c.secret.as_ref().map(|s| s.as_bytes()),
                    micros(c.at),
                ],
            )
        }
        None => exec_raw(
            conn,
            &format!(
                "INSERT INTO connectors ({CONN_COLS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, NULL)"
            ),
            params![
                c.id.to_bytes(),
                c.name.as_str(),
                c.kind.code(),
                c.recipient.as_ref().map(|r| r.as_str()),
                c.config,
                c.key.kek.as_str(),
                c.key.wrapped.as_bytes(),
                c.secret.as_ref().map(|s| s.as_bytes()),
                micros(c.at),
            ],
        ),
    };
    match result {
        Ok(_) => get_connector(conn, c.id),
        Err(e) if name_taken(&e) => Err(StoreError::conflict(
            Entity::Connector,
            ConflictReason::NameTaken,
        )),
        Err(e) => Err(db(e)),
    }
}

pub(crate) fn list_connectors(conn: &Connection) -> Result<Vec<ConnectorRecord>, StoreError> {
    query_vec(
        conn,
        &format!("SELECT {CONN_COLS} FROM connectors ORDER BY name"),
        [],
        decode_connector,
    )
}

pub(crate) fn disable_connector(
    conn: &Connection,
    id: ConnectorId,
    at: Timestamp,
) -> Result<ConnectorRecord, StoreError> {
    get_connector(conn, id)?;
    exec(
        conn,
        "UPDATE connectors SET disabled_at = ?2 WHERE id = ?1 AND disabled_at IS NULL",
        params![id.to_bytes(), micros(at)],
    )?;
    get_connector(conn, id)
}

// ---------------------------------------------------------------------------------------------
// Deliveries

const DEL_COLS: &str = "id, request, connector, recipient, event, sealed, state, attempts, \
                        max_attempts, created_at, next_attempt_at, last_attempt_at, last_status, \
                        last_error, delivered_at, confirmed_at, notification";

fn decode_delivery(r: &Row<'_>) -> Result<DeliveryRecord, StoreError> {
    let request = r.opt_id16_at(1, "request id")?.map(RequestId::from_bytes);
    let notification = r
        .opt_id16_at(16, "notification id")?
        .map(NotificationId::from_bytes);
    if request.is_some() == notification.is_some() {
        return Err(StoreError::corrupt("delivery owner"));
    }
    Ok(DeliveryRecord {
        id: DeliveryId::from_bytes(r.id16_at(0, "delivery id")?),
        request,
        notification,
        connector: ConnectorId::from_bytes(r.id16_at(2, "connector id")?),
        recipient: r.key_at(3, "recipient")?,
        event: r.key_at(4, "delivery event")?,
        sealed: ciphertext(r.opt_blob_at(5, "delivery body")?, "delivery body")?,
        state: DeliveryState::from_code(r.code_at(6, "delivery state")?)?,
        attempts: u32_of(r.i64_at(7, "attempts")?, "attempts")?,
        max_attempts: u32_of(r.i64_at(8, "max attempts")?, "max attempts")?,
        created_at: r.time_at(9)?,
        next_attempt_at: r.time_at(10)?,
        last_attempt_at: r.opt_time_at(11)?,
        last_status: r
            .opt_i64_at(12, "http status")?
            .map(|v| u16::try_from(v).map_err(|_| StoreError::corrupt("http status")))
            .transpose()?,
        last_error: r.opt_key_at(13, "delivery error")?,
        delivered_at: r.opt_time_at(14)?,
        confirmed_at: r.opt_time_at(15)?,
    })
}

fn get_delivery_opt(
    conn: &Connection,
    id: DeliveryId,
) -> Result<Option<DeliveryRecord>, StoreError> {
    query_opt(
        conn,
        &format!("SELECT {DEL_COLS} FROM webhook_deliveries WHERE id = ?1"),
        [id.to_bytes()],
        decode_delivery,
    )
}

pub(crate) fn get_delivery(
    conn: &Connection,
    id: DeliveryId,
) -> Result<DeliveryRecord, StoreError> {
    get_delivery_opt(conn, id)?.ok_or(StoreError::NotFound(Entity::Delivery))
}

pub(crate) fn create_deliveries(conn: &Connection, ds: &[NewDelivery]) -> Result<(), StoreError> {
    for d in ds {
        d.check()?;
    }
    for d in ds {
        if let Some(e) = get_delivery_opt(conn, d.id)? {
            if e.request != d.request
                || e.notification != d.notification
                || e.connector != d.connector
                || e.event != d.event
            {
                return Err(StoreError::conflict(
                    Entity::Delivery,
                    ConflictReason::DifferentContent,
                ));
            }
            continue;
        }
        if let Some(r) = d.request {
            require_exists(conn, r)?;
        }
        if let Some(n) = d.notification {
            let taken = query_opt(
                conn,
                "SELECT id FROM webhook_deliveries WHERE notification = ?1",
                [n.to_bytes()],
                |r| r.id16_at(0, "delivery id"),
            )?;
            if taken.is_some() {
                return Err(StoreError::conflict(
                    Entity::Delivery,
                    ConflictReason::DifferentContent,
                ));
            }
            let exists = query_opt(
                conn,
                "SELECT id FROM partner_notifications WHERE id = ?1",
                [n.to_bytes()],
                |r| r.id16_at(0, "notification id"),
            )?;
            if exists.is_none() {
                return Err(StoreError::NotFound(Entity::Notification));
            }
        }
        get_connector(conn, d.connector)?;
        exec(
            conn,
            &format!(
                "INSERT INTO webhook_deliveries ({DEL_COLS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1, 0, \
                 ?7, ?8, ?9, NULL, NULL, NULL, NULL, NULL, ?10)"
            ),
            params![
                d.id.to_bytes(),
                d.request.map(|r| r.to_bytes()),
                d.connector.to_bytes(),
                d.recipient.as_str(),
                d.event.as_str(),
                d.sealed.as_ref().map(|c| c.as_bytes()),
                i64::from(d.max_attempts),
                micros(d.created_at),
                micros(d.next_attempt_at),
                d.notification.map(|n| n.to_bytes()),
            ],
        )?;
    }
    Ok(())
}

pub(crate) fn claim(
    conn: &Connection,
    now: Timestamp,
    lease_until: Timestamp,
    limit: u32,
) -> Result<Vec<DeliveryRecord>, StoreError> {
    let ids = query_vec(
        conn,
        "SELECT id FROM webhook_deliveries WHERE state = 1 AND next_attempt_at <= ?1 \
         ORDER BY next_attempt_at, id LIMIT ?2",
        params![micros(now), i64::from(limit.clamp(1, 10_000))],
        |r| r.id16_at(0, "delivery id"),
    )?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        exec(
            conn,
            "UPDATE webhook_deliveries SET next_attempt_at = ?2 WHERE id = ?1",
            params![id, micros(lease_until)],
        )?;
        out.push(get_delivery(conn, DeliveryId::from_bytes(id))?);
    }
    Ok(out)
}

pub(crate) fn record_attempt(
    conn: &Connection,
    id: DeliveryId,
    o: &DeliveryOutcome,
    at: Timestamp,
) -> Result<DeliveryRecord, StoreError> {
    let d = get_delivery(conn, id)?;
    if d.state != DeliveryState::Pending {
        return Ok(d);
    }
    let attempts = i64::from(d.attempts.saturating_add(1));
    match o {
        DeliveryOutcome::Delivered { status, confirmed } => exec(
            conn,
            "UPDATE webhook_deliveries SET state = ?2, attempts = ?3, last_attempt_at = ?4, \
             last_status = ?5, last_error = NULL, delivered_at = ?4, \
             confirmed_at = CASE WHEN ?6 THEN ?4 ELSE confirmed_at END WHERE id = ?1",
            params![
                id.to_bytes(),
                if *confirmed {
                    DeliveryState::Confirmed
                } else {
                    DeliveryState::Delivered
                }
                .code(),
                attempts,
                micros(at),
                i64::from(*status),
                *confirmed,
            ],
        )?,
        DeliveryOutcome::Retry {
            status,
            error,
            next_attempt_at,
        } => exec(
            conn,
            "UPDATE webhook_deliveries SET attempts = ?2, last_attempt_at = ?3, last_status = ?4, \
             last_error = ?5, next_attempt_at = ?6 WHERE id = ?1",
            params![
                id.to_bytes(),
                attempts,
                micros(at),
                status.map(i64::from),
                error.as_str(),
                micros(*next_attempt_at),
            ],
        )?,
        DeliveryOutcome::DeadLetter { status, error } => exec(
            conn,
            "UPDATE webhook_deliveries SET state = 4, attempts = ?2, last_attempt_at = ?3, \
             last_status = ?4, last_error = ?5 WHERE id = ?1",
            params![
                id.to_bytes(),
                attempts,
                micros(at),
                status.map(i64::from),
                error.as_str(),
            ],
        )?,
    };
    get_delivery(conn, id)
}

pub(crate) fn confirm(
    conn: &Connection,
    id: DeliveryId,
    at: Timestamp,
) -> Result<DeliveryRecord, StoreError> {
    get_delivery(conn, id)?;
    exec(
        conn,
        "UPDATE webhook_deliveries SET state = 3, confirmed_at = ?2, \
         delivered_at = COALESCE(delivered_at, ?2) WHERE id = ?1 AND confirmed_at IS NULL",
        params![id.to_bytes(), micros(at)],
    )?;
    get_delivery(conn, id)
}

pub(crate) fn requeue(
    conn: &Connection,
    id: DeliveryId,
    at: Timestamp,
) -> Result<DeliveryRecord, StoreError> {
    get_delivery(conn, id)?;
    exec(
        conn,
        "UPDATE webhook_deliveries SET state = 1, attempts = 0, next_attempt_at = ?2 \
         WHERE id = ?1 AND state = 4",
        params![id.to_bytes(), micros(at)],
    )?;
    get_delivery(conn, id)
}

pub(crate) fn request_deliveries(
    conn: &Connection,
    request: RequestId,
) -> Result<Vec<DeliveryRecord>, StoreError> {
    query_vec(
        conn,
        &format!(
            "SELECT {DEL_COLS} FROM webhook_deliveries WHERE request = ?1 ORDER BY created_at, id"
        ),
        [request.to_bytes()],
        decode_delivery,
    )
}

pub(crate) fn dead_letters(
    conn: &Connection,
    limit: u32,
) -> Result<Vec<DeliveryRecord>, StoreError> {
    query_vec(
        conn,
        &format!(
            "SELECT {DEL_COLS} FROM webhook_deliveries WHERE state = 4 ORDER BY created_at, id LIMIT ?1"
        ),
        [i64::from(limit.clamp(1, 10_000))],
        decode_delivery,
    )
}

pub(crate) fn unconfirmed(
    conn: &Connection,
    delivered_before: Timestamp,
    limit: u32,
) -> Result<Vec<DeliveryRecord>, StoreError> {
    query_vec(
        conn,
        &format!(
            "SELECT {DEL_COLS} FROM webhook_deliveries WHERE state = 2 AND delivered_at < ?1 \
             ORDER BY delivered_at, id LIMIT ?2"
        ),
        params![micros(delivered_before), i64::from(limit.clamp(1, 10_000))],
        decode_delivery,
    )
}

// ---------------------------------------------------------------------------------------------
// Legal holds

const HOLD_COLS: &str = "id, subject, items, reason, owner, review_at, created_at, released_at";

fn decode_hold(r: &Row<'_>) -> Result<LegalHoldRecord, StoreError> {
    let raw = r.blob_at(2, "held items")?;
    if raw.len() % 16 != 0 {
        return Err(StoreError::corrupt("held items"));
    }
    let items = raw
        .chunks_exact(16)
        .map(|c| ItemId::from_slice(c).map_err(|_| StoreError::corrupt("held items")))
        .collect::<Result<_, _>>()?;
    Ok(LegalHoldRecord {
        id: HoldId::from_bytes(r.id16_at(0, "hold id")?),
        subject: SubjectId::from_bytes(r.id16_at(1, "subject id")?),
        items,
        reason: r.key_at(3, "hold reason")?,
        owner: r.key_at(4, "hold owner")?,
        review_at: r.time_at(5)?,
        created_at: r.time_at(6)?,
        released_at: r.opt_time_at(7)?,
    })
}

fn get_hold(conn: &Connection, id: HoldId) -> Result<Option<LegalHoldRecord>, StoreError> {
    query_opt(
        conn,
        &format!("SELECT {HOLD_COLS} FROM legal_holds WHERE id = ?1"),
        [id.to_bytes()],
        decode_hold,
    )
}

pub(crate) fn put_hold(conn: &Connection, h: &NewLegalHold) -> Result<LegalHoldRecord, StoreError> {
    if let Some(e) = get_hold(conn, h.id)? {
        let same = e.subject == h.subject && e.items == h.items && e.reason == h.reason;
        return if same {
            Ok(e)
        } else {
            Err(StoreError::conflict(
                Entity::LegalHold,
                ConflictReason::DifferentContent,
            ))
        };
    }
    subject::require(conn, h.subject)?;
    let items: Vec<u8> = h.items.iter().flat_map(|i| i.to_bytes()).collect();
    exec(
        conn,
        &format!("INSERT INTO legal_holds ({HOLD_COLS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, NULL)"),
        params![
            h.id.to_bytes(),
            h.subject.to_bytes(),
            items,
            h.reason.as_str(),
            h.owner.as_str(),
            micros(h.review_at),
            micros(h.created_at),
        ],
    )?;
    get_hold(conn, h.id)?.ok_or(StoreError::NotFound(Entity::LegalHold))
}

pub(crate) fn release_hold(
    conn: &Connection,
    id: HoldId,
    at: Timestamp,
) -> Result<LegalHoldRecord, StoreError> {
    get_hold(conn, id)?.ok_or(StoreError::NotFound(Entity::LegalHold))?;
    exec(
        conn,
        "UPDATE legal_holds SET released_at = ?2 WHERE id = ?1 AND released_at IS NULL",
        params![id.to_bytes(), micros(at)],
    )?;
    get_hold(conn, id)?.ok_or(StoreError::NotFound(Entity::LegalHold))
}

pub(crate) fn holds_of(
    conn: &Connection,
    subject: SubjectId,
) -> Result<Vec<LegalHoldRecord>, StoreError> {
    query_vec(
        conn,
        &format!("SELECT {HOLD_COLS} FROM legal_holds WHERE subject = ?1 ORDER BY created_at, id"),
        [subject.to_bytes()],
        decode_hold,
    )
}
