//! Server-side sessions of the web pages: keyed by the SHA-256 of the session token.

use deadpool_postgres::GenericClient;
use jiff::Timestamp;
use steward_store::values::store_precision;
use steward_store::{
    ApiKeyId, ConflictReason, Digest, Entity, FailureCount, NewSession, SessionKind, SessionRecord,
    StoreError, SubjectId,
};
use tokio_postgres::Row;
use tokio_postgres::error::SqlState;

use crate::sql::{PgTime, RowExt, constraint, exec, exec_raw, is_state, pg, query_opt};

const COLS: &str = "id, kind, subject, api_key, binding, created_at, last_seen_at, expires_at, idle_secs, revoked_at";

fn decode(r: &Row) -> Result<SessionRecord, StoreError> {
    Ok(SessionRecord {
        id: r.digest(0)?,
        kind: SessionKind::from_code(r.code(1, "session kind")?)?,
        subject: r.opt_uuid(2, "subject id")?.map(SubjectId::from_uuid),
        api_key: r.opt_uuid(3, "api key id")?.map(ApiKeyId::from_uuid),
        binding: r.digest(4)?,
        created_at: r.time(5)?,
        last_seen_at: r.time(6)?,
        expires_at: r.time(7)?,
        idle_secs: r
            .col::<Option<i32>>(8, "session idle")?
            .map(|v| u32::try_from(v).map_err(|_| StoreError::corrupt("session idle")))
            .transpose()?,
        revoked_at: r.opt_time(9)?,
    })
}

pub(crate) async fn get<C: GenericClient>(
    c: &C,
    id: &Digest,
) -> Result<Option<SessionRecord>, StoreError> {
    query_opt(
        c,
        &format!("SELECT {COLS} FROM sessions WHERE id = $1"),
        &[&id.0.as_slice()],
        decode,
    )
    .await
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

/// One statement: the foreign keys refuse an unknown subject or key, the primary key a second
/// session under the same id (then compared).
pub(crate) async fn create<C: GenericClient>(c: &C, s: &NewSession) -> Result<(), StoreError> {
    let idle = s.idle_secs.map(|v| i32::try_from(v).unwrap_or(i32::MAX));
    let inserted = exec_raw(
        c,
        &format!(
            "INSERT INTO sessions ({COLS}) VALUES ($1, $2, $3, $4, $5, $6, $6, $7, $8, NULL) \
             ON CONFLICT (id) DO NOTHING"
        ),
        &[
            &s.id.0.as_slice(),
            &i16::from(s.kind.code()),
            &s.subject.map(|x| x.as_uuid()),
            &s.api_key.map(|x| x.as_uuid()),
            &s.binding.0.as_slice(),
            &PgTime::of(s.created_at),
            &PgTime::of(s.expires_at),
            &idle,
        ],
    )
    .await;
    match inserted {
        Ok(1) => Ok(()),
        Ok(_) => match get(c, &s.id).await? {
            Some(existing) if same_content(&existing, s) => Ok(()),
            _ => Err(StoreError::conflict(
                Entity::Session,
                ConflictReason::DifferentContent,
            )),
        },
        Err(e) if is_state(&e, &SqlState::FOREIGN_KEY_VIOLATION) => {
            Err(StoreError::NotFound(match constraint(&e) {
                Some(c) if c.contains("api_key") => Entity::ApiKey,
                _ => Entity::Subject,
            }))
        }
        Err(e) => Err(pg(e)),
    }
}

/// One statement: moves `last_seen_at` forward only while the session is live.
pub(crate) async fn touch<C: GenericClient>(
    c: &C,
    id: &Digest,
    at: Timestamp,
) -> Result<Option<SessionRecord>, StoreError> {
    let at = store_precision(at);
    let updated = query_opt(
        c,
        &format!(
            "UPDATE sessions SET last_seen_at = GREATEST(last_seen_at, $2) \
             WHERE id = $1 AND revoked_at IS NULL AND expires_at > $2 \
               AND (idle_secs IS NULL OR last_seen_at + make_interval(secs => idle_secs) >= $2) \
             RETURNING {COLS}"
        ),
        &[&id.0.as_slice(), &PgTime::of(at)],
        decode,
    )
    .await?;
    Ok(updated.filter(|s| s.is_live(at)))
}

pub(crate) async fn revoke<C: GenericClient>(
    c: &C,
    id: &Digest,
    at: Timestamp,
) -> Result<bool, StoreError> {
    let at = store_precision(at);
    let Some(s) = get(c, id).await? else {
        return Ok(false);
    };
    if s.revoked_at.is_none() {
        exec(
            c,
            "UPDATE sessions SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL",
            &[&id.0.as_slice(), &PgTime::of(at)],
        )
        .await?;
    }
    Ok(s.is_live(at))
}

pub(crate) async fn revoke_of<C: GenericClient>(
    c: &C,
    subject: SubjectId,
    at: Timestamp,
) -> Result<u64, StoreError> {
    exec(
        c,
        "UPDATE sessions SET revoked_at = $2 \
         WHERE subject = $1 AND revoked_at IS NULL AND expires_at > $2",
        &[&subject.as_uuid(), &PgTime::of(at)],
    )
    .await
}

pub(crate) async fn purge<C: GenericClient>(c: &C, before: Timestamp) -> Result<u64, StoreError> {
    exec(
        c,
        "DELETE FROM sessions WHERE expires_at < $1 OR revoked_at < $1",
        &[&PgTime::of(before)],
    )
    .await
}

// ---------------------------------------------------------------------------------------------
// One-time tokens and failure counters (shared by every replica): one statement decides.

pub(crate) async fn spend_token<C: GenericClient>(
    c: &C,
    id: &Digest,
    expires_at: Timestamp,
    now: Timestamp,
) -> Result<bool, StoreError> {
    exec(
        c,
        "DELETE FROM spent_tokens WHERE expires_at <= $1",
        &[&PgTime::of(now)],
    )
    .await?;
    let n = exec(
        c,
        "INSERT INTO spent_tokens (id, expires_at) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING",
        &[&id.0.as_slice(), &PgTime::of(expires_at)],
    )
    .await?;
    Ok(n == 1)
}

fn decode_failures(r: &Row) -> Result<FailureCount, StoreError> {
    Ok(FailureCount {
        count: u32::try_from(r.col::<i32>(0, "failures")?)
            .map_err(|_| StoreError::corrupt("failures"))?,
        last_at: r.time(1)?,
    })
}

pub(crate) async fn failures<C: GenericClient>(
    c: &C,
    key: &Digest,
    window_start: Timestamp,
) -> Result<Option<FailureCount>, StoreError> {
    query_opt(
        c,
        "SELECT failures, last_at FROM failure_counters WHERE key = $1 AND last_at >= $2",
        &[&key.0.as_slice(), &PgTime::of(window_start)],
        decode_failures,
    )
    .await
}

pub(crate) async fn count_failure<C: GenericClient>(
    c: &C,
    key: &Digest,
    now: Timestamp,
    window_start: Timestamp,
) -> Result<FailureCount, StoreError> {
    exec(
        c,
        "DELETE FROM failure_counters WHERE last_at < $1 AND key <> $2",
        &[&PgTime::of(window_start), &key.0.as_slice()],
    )
    .await?;
    query_opt(
        c,
        "INSERT INTO failure_counters AS f (key, failures, last_at) VALUES ($1, 1, $2) \
         ON CONFLICT (key) DO UPDATE SET \
           failures = CASE WHEN f.last_at < $3 THEN 1 ELSE f.failures + 1 END, \
           last_at = GREATEST(f.last_at, EXCLUDED.last_at) \
         RETURNING failures, last_at",
        &[
            &key.0.as_slice(),
            &PgTime::of(now),
            &PgTime::of(window_start),
        ],
        decode_failures,
    )
    .await?
    .ok_or(StoreError::corrupt("failure counter"))
}

pub(crate) async fn clear_failures<C: GenericClient>(
    c: &C,
    key: &Digest,
) -> Result<(), StoreError> {
    exec(
        c,
        "DELETE FROM failure_counters WHERE key = $1",
        &[&key.0.as_slice()],
    )
    .await?;
    Ok(())
}
