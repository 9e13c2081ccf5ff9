//! Wrapped per-subject data keys and crypto-shredding.

use jiff::Timestamp;
use rusqlite::{Connection, Row, params};
use steward_store::values::store_precision;
use steward_store::{
    ConflictReason, Entity, KekId, NewWrappedKey, StoreError, SubjectId, WrappedKey,
    WrappedKeyBytes,
};

use super::subject;
use crate::sql::{RowExt, exec, micros, query_opt, query_vec};

/// A stored key row: live or destroyed.
enum KeyRow {
    Live(WrappedKey),
    Destroyed,
}

fn decode(r: &Row<'_>) -> Result<KeyRow, StoreError> {
    if r.opt_i64_at(5, "destroyed at")?.is_some() {
        return Ok(KeyRow::Destroyed);
    }
    let subject = SubjectId::from_bytes(r.id16_at(0, "subject id")?);
    Ok(KeyRow::Live(WrappedKey {
        subject,
        kek: r.key_at(1, "kek id")?,
        wrapped: WrappedKeyBytes::new(r.blob_at(2, "wrapped key")?.to_vec())
            .map_err(|_| StoreError::corrupt("wrapped key"))?,
        created_at: r.time_at(3)?,
        rewrapped_at: r.opt_time_at(4)?,
    }))
}

fn row(conn: &Connection, subject_id: SubjectId) -> Result<Option<KeyRow>, StoreError> {
    query_opt(
        conn,
        "SELECT subject, kek, wrapped, created_at, rewrapped_at, destroyed_at FROM data_keys WHERE subject = ?1",
        [subject_id.to_bytes()],
        decode,
    )
}

pub(crate) fn is_destroyed(conn: &Connection, subject_id: SubjectId) -> Result<bool, StoreError> {
    Ok(query_opt(
        conn,
        "SELECT 1 FROM data_keys WHERE subject = ?1 AND destroyed_at IS NOT NULL",
        [subject_id.to_bytes()],
        |_| Ok(()),
    )?
    .is_some())
}

pub(crate) fn put(conn: &Connection, k: &NewWrappedKey) -> Result<(), StoreError> {
    match row(conn, k.subject)? {
        Some(KeyRow::Destroyed) => Err(StoreError::KeyDestroyed(k.subject)),
        Some(KeyRow::Live(existing)) => {
            if existing.kek == k.kek
                && existing.wrapped == k.wrapped
                && existing.created_at == store_precision(k.created_at)
            {
                Ok(())
            } else {
                Err(StoreError::conflict(
                    Entity::DataKey,
                    ConflictReason::KeyExists,
                ))
            }
        }
        None => {
            if !subject::exists(conn, k.subject)? {
                return Err(StoreError::NotFound(Entity::Subject));
            }
            exec(
                conn,
                "INSERT INTO data_keys (subject, kek, wrapped, created_at, rewrapped_at, destroyed_at) \
                 VALUES (?1, ?2, ?3, ?4, NULL, NULL)",
                params![
                    k.subject.to_bytes(),
                    k.kek.as_str(),
                    k.wrapped.as_bytes(),
                    micros(k.created_at)
                ],
            )?;
            Ok(())
        }
    }
}

pub(crate) fn get(conn: &Connection, subject_id: SubjectId) -> Result<WrappedKey, StoreError> {
    match row(conn, subject_id)? {
        None => Err(StoreError::NotFound(Entity::DataKey)),
        Some(KeyRow::Destroyed) => Err(StoreError::KeyDestroyed(subject_id)),
        Some(KeyRow::Live(k)) => Ok(k),
    }
}

pub(crate) fn rewrap(
    conn: &Connection,
    subject_id: SubjectId,
    expected: &KekId,
    new_kek: &KekId,
    wrapped: &WrappedKeyBytes,
    at: Timestamp,
) -> Result<(), StoreError> {
    let current = get(conn, subject_id)?;
    if current.kek == *new_kek && current.wrapped == *wrapped {
        return Ok(()); // a retried rotation
    }
    if current.kek != *expected {
        return Err(StoreError::conflict(
            Entity::DataKey,
            ConflictReason::WrongKek,
        ));
    }
    exec(
        conn,
        "UPDATE data_keys SET kek = ?2, wrapped = ?3, rewrapped_at = ?4 WHERE subject = ?1",
        params![
            subject_id.to_bytes(),
            new_kek.as_str(),
            wrapped.as_bytes(),
            micros(at)
        ],
    )?;
    Ok(())
}

/// Destroys the key. With `tombstone_if_missing`, a subject that never had a key gets a
/// destroyed row, so no key can be created for it later (used by erasure).
pub(crate) fn destroy(
    conn: &Connection,
    subject_id: SubjectId,
    at: Timestamp,
    tombstone_if_missing: bool,
) -> Result<bool, StoreError> {
    match row(conn, subject_id)? {
        Some(KeyRow::Destroyed) => Ok(false),
        Some(KeyRow::Live(_)) => {
            // SECURITY: the writer runs with `secure_delete = ON`, so the freed bytes of the
            // wrapped key are zeroed in the page instead of lingering in free space. Older
            // copies can remain in WAL frames until the WAL is checkpointed and reused, and in
            // backups: making those unreadable is the job of the vault's key hierarchy.
            exec(
                conn,
                "UPDATE data_keys SET wrapped = NULL, destroyed_at = ?2 WHERE subject = ?1",
                params![subject_id.to_bytes(), micros(at)],
            )?;
            Ok(true)
        }
        None if tombstone_if_missing => {
            exec(
                conn,
                "INSERT INTO data_keys (subject, kek, wrapped, created_at, rewrapped_at, destroyed_at) \
                 VALUES (?1, NULL, NULL, ?2, NULL, ?2)",
                params![subject_id.to_bytes(), micros(at)],
            )?;
            Ok(false)
        }
        None => Err(StoreError::NotFound(Entity::DataKey)),
    }
}

pub(crate) fn wrapped_by(
    conn: &Connection,
    kek: &KekId,
    after: Option<SubjectId>,
    limit: u32,
) -> Result<Vec<SubjectId>, StoreError> {
    let decode = |r: &Row<'_>| Ok(SubjectId::from_bytes(r.id16_at(0, "subject id")?));
    match after {
        None => query_vec(
            conn,
            "SELECT subject FROM data_keys WHERE kek = ?1 AND destroyed_at IS NULL \
             ORDER BY subject LIMIT ?2",
            params![kek.as_str(), limit.max(1)],
            decode,
        ),
        Some(after) => query_vec(
            conn,
            "SELECT subject FROM data_keys WHERE kek = ?1 AND destroyed_at IS NULL AND subject > ?2 \
             ORDER BY subject LIMIT ?3",
            params![kek.as_str(), after.to_bytes(), limit.max(1)],
            decode,
        ),
    }
}
