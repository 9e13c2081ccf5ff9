//! Server-side sessions of the web pages: keyed by the SHA-256 of the session token.

use jiff::Timestamp;
use rusqlite::{Connection, Row, params};
use steward_store::values::store_precision;
use steward_store::{
    ApiKeyId, ConflictReason, Digest, Entity, FailureCount, NewSession, SessionKind, SessionRecord,
    StoreError, SubjectId,
};

use crate::sql::{RowExt, db, exec, exec_raw, micros, query_opt};

const COLS: &str = "id, kind, subject, api_key, binding, created_at, last_seen_at, expires_at, idle_secs, revoked_at";

fn decode(r: &Row<'_>) -> Result<SessionRecord, StoreError> {
    Ok(SessionRecord {
        id: r.digest_at(0)?,
        kind: SessionKind::from_code(r.code_at(1, "session kind")?)?,
        subject: r.opt_id16_at(2, "subject id")?.map(SubjectId::from_bytes),
        api_key: r.opt_id16_at(3, "api key id")?.map(ApiKeyId::from_bytes),
        binding: r.digest_at(4)?,
        created_at: r.time_at(5)?,
        last_seen_at: r.time_at(6)?,
        expires_at: r.time_at(7)?,
        idle_secs: r
            .opt_i64_at(8, "session idle")?
            .map(|v| u32::try_from(v).map_err(|_| StoreError::corrupt("session idle")))
            .transpose()?,
        revoked_at: r.opt_time_at(9)?,
    })
}

pub(crate) fn get(conn: &Connection, id: &Digest) -> Result<Option<SessionRecord>, StoreError> {
    query_opt(
        conn,
        &format!("SELECT {COLS} FROM sessions WHERE id = ?1"),
        [id.0],
        decode,
    )
}

fn same_content(stored: &SessionRecord, s: &NewSession) -> bool {
    stored.kind == s.kind
        && stored.subject == s.subject
        && stored.api_key == s.api_key
        && stored.binding == s.binding
        && stored.created_at == store_precision(s.created_at)
        && stored.expires_at == store_precision(s.expires_at)
        && stored.idle_secs == s.idle_secs
}

pub(crate) fn create(conn: &Connection, s: &NewSession) -> Result<(), StoreError> {
    if let Some(existing) = get(conn, &s.id)? {
        return if same_content(&existing, s) {
            Ok(())
        } else {
            Err(StoreError::conflict(
                Entity::Session,
                ConflictReason::DifferentContent,
            ))
        };
    }
    if let Some(subject) = s.subject
        && crate::ops::subject::get(conn, subject)?.is_none()
    {
        return Err(StoreError::NotFound(Entity::Subject));
    }
    if let Some(key) = s.api_key
        && crate::ops::apikey::get(conn, key)?.is_none()
    {
        return Err(StoreError::NotFound(Entity::ApiKey));
    }
    exec_raw(
        conn,
        &format!("INSERT INTO sessions ({COLS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7, ?8, NULL)"),
        params![
            s.id.0,
            s.kind.code(),
            s.subject.map(|x| x.to_bytes()),
            s.api_key.map(|x| x.to_bytes()),
            s.binding.0,
            micros(s.created_at),
            micros(s.expires_at),
            s.idle_secs,
        ],
    )
    .map_err(db)?;
    Ok(())
}

pub(crate) fn touch(
    conn: &Connection,
    id: &Digest,
    at: Timestamp,
) -> Result<Option<SessionRecord>, StoreError> {
    let Some(mut s) = get(conn, id)? else {
        return Ok(None);
    };
    let at = store_precision(at);
    if !s.is_live(at) {
        return Ok(None);
    }
    if at > s.last_seen_at {
        exec(
            conn,
            "UPDATE sessions SET last_seen_at = ?2 WHERE id = ?1",
            params![id.0, micros(at)],
        )?;
        s.last_seen_at = at;
    }
    Ok(Some(s))
}

pub(crate) fn revoke(conn: &Connection, id: &Digest, at: Timestamp) -> Result<bool, StoreError> {
    let Some(s) = get(conn, id)? else {
        return Ok(false);
    };
    let at = store_precision(at);
    let live = s.is_live(at);
    if s.revoked_at.is_none() {
        exec(
            conn,
            "UPDATE sessions SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL",
            params![id.0, micros(at)],
        )?;
    }
    Ok(live)
}

pub(crate) fn revoke_of(
    conn: &Connection,
    subject: SubjectId,
    at: Timestamp,
) -> Result<u64, StoreError> {
    let n = exec(
        conn,
        "UPDATE sessions SET revoked_at = ?2 \
         WHERE subject = ?1 AND revoked_at IS NULL AND expires_at > ?2",
        params![subject.to_bytes(), micros(at)],
    )?;
    Ok(n as u64)
}

pub(crate) fn purge(conn: &Connection, before: Timestamp) -> Result<u64, StoreError> {
    let n = exec(
        conn,
        "DELETE FROM sessions WHERE expires_at < ?1 OR revoked_at < ?1",
        [micros(before)],
    )?;
    Ok(n as u64)
}

// ---------------------------------------------------------------------------------------------
// One-time tokens and failure counters (shared by every process on the file).

pub(crate) fn spend_token(
    conn: &Connection,
    id: &Digest,
    expires_at: Timestamp,
    now: Timestamp,
) -> Result<bool, StoreError> {
    exec(
        conn,
        "DELETE FROM spent_tokens WHERE expires_at <= ?1",
        [micros(now)],
    )?;
    let n = exec(
        conn,
        "INSERT INTO spent_tokens (id, expires_at) VALUES (?1, ?2) ON CONFLICT (id) DO NOTHING",
        params![id.0, micros(expires_at)],
    )?;
    Ok(n == 1)
}

fn decode_failures(r: &Row<'_>) -> Result<FailureCount, StoreError> {
    Ok(FailureCount {
        count: u32::try_from(r.i64_at(0, "failures")?)
            .map_err(|_| StoreError::corrupt("failures"))?,
        last_at: r.time_at(1)?,
    })
}

pub(crate) fn failures(
    conn: &Connection,
    key: &Digest,
    window_start: Timestamp,
) -> Result<Option<FailureCount>, StoreError> {
    query_opt(
        conn,
        "SELECT failures, last_at FROM failure_counters WHERE key = ?1 AND last_at >= ?2",
        params![key.0, micros(window_start)],
        decode_failures,
    )
}

pub(crate) fn count_failure(
    conn: &Connection,
    key: &Digest,
    now: Timestamp,
    window_start: Timestamp,
) -> Result<FailureCount, StoreError> {
    exec(
        conn,
        "DELETE FROM failure_counters WHERE last_at < ?1 AND key <> ?2",
        params![micros(window_start), key.0],
    )?;
    exec(
        conn,
        "INSERT INTO failure_counters (key, failures, last_at) VALUES (?1, 1, ?2) \
         ON CONFLICT (key) DO UPDATE SET \
           failures = CASE WHEN last_at < ?3 THEN 1 ELSE failures + 1 END, \
           last_at = MAX(last_at, ?2)",
        params![key.0, micros(now), micros(window_start)],
    )?;
    query_opt(
        conn,
        "SELECT failures, last_at FROM failure_counters WHERE key = ?1",
        [key.0],
        decode_failures,
    )?
    .ok_or(StoreError::corrupt("failure counter"))
}

pub(crate) fn clear_failures(conn: &Connection, key: &Digest) -> Result<(), StoreError> {
    exec(conn, "DELETE FROM failure_counters WHERE key = ?1", [key.0])?;
    Ok(())
}
