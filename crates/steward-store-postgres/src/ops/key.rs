//! Wrapped per-subject data keys and crypto-shredding.

use deadpool_postgres::GenericClient;
use jiff::Timestamp;
use steward_store::values::store_precision;
use steward_store::{
    ConflictReason, Entity, KekId, NewWrappedKey, StoreError, SubjectId, WrappedKey,
    WrappedKeyBytes,
};
use tokio_postgres::Row;

use super::subject;
use crate::sql::{PgTime, RowExt, exec, query_opt, query_vec};

/// A stored key row: live or destroyed.
enum KeyRow {
    Live(WrappedKey),
    Destroyed,
}

fn decode(r: &Row) -> Result<KeyRow, StoreError> {
    if r.opt_time(5)?.is_some() {
        return Ok(KeyRow::Destroyed);
    }
    Ok(KeyRow::Live(WrappedKey {
        subject: SubjectId::from_uuid(r.uuid(0, "subject id")?),
        kek: r.key(1, "kek id")?,
        wrapped: WrappedKeyBytes::new(r.col::<Vec<u8>>(2, "wrapped key")?)
            .map_err(|_| StoreError::corrupt("wrapped key"))?,
        created_at: r.time(3)?,
        rewrapped_at: r.opt_time(4)?,
    }))
}

const SELECT: &str = "SELECT subject, kek, wrapped, created_at, rewrapped_at, destroyed_at FROM data_keys WHERE subject = $1";

async fn row<C: GenericClient>(c: &C, subject_id: SubjectId) -> Result<Option<KeyRow>, StoreError> {
    query_opt(c, SELECT, &[&subject_id.as_uuid()], decode).await
}

/// The row locked for update: rotation and destruction of one key are serialized.
async fn locked<C: GenericClient>(
    tx: &C,
    subject_id: SubjectId,
) -> Result<Option<KeyRow>, StoreError> {
    query_opt(
        tx,
        &format!("{SELECT} FOR UPDATE"),
        &[&subject_id.as_uuid()],
        decode,
    )
    .await
}

pub(crate) async fn put<C: GenericClient>(tx: &C, k: &NewWrappedKey) -> Result<(), StoreError> {
    if row(tx, k.subject).await?.is_none() {
        if !subject::exists(tx, k.subject).await? {
            return Err(StoreError::NotFound(Entity::Subject));
        }
        exec(
            tx,
            "INSERT INTO data_keys (subject, kek, wrapped, created_at, rewrapped_at, destroyed_at) \
             VALUES ($1, $2, $3, $4, NULL, NULL) ON CONFLICT (subject) DO NOTHING",
            &[
                &k.subject.as_uuid(),
                &k.kek.as_str(),
                &k.wrapped.as_bytes(),
                &PgTime::of(k.created_at),
            ],
        )
        .await?;
    }
    // Whatever is stored now (ours, or a concurrent writer's) decides.
    match row(tx, k.subject).await? {
        None => Err(StoreError::NotFound(Entity::DataKey)),
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
    }
}

pub(crate) async fn get<C: GenericClient>(
    c: &C,
    subject_id: SubjectId,
) -> Result<WrappedKey, StoreError> {
    match row(c, subject_id).await? {
        None => Err(StoreError::NotFound(Entity::DataKey)),
        Some(KeyRow::Destroyed) => Err(StoreError::KeyDestroyed(subject_id)),
        Some(KeyRow::Live(k)) => Ok(k),
    }
}

pub(crate) async fn rewrap<C: GenericClient>(
    tx: &C,
    subject_id: SubjectId,
    expected: &KekId,
    new_kek: &KekId,
    wrapped: &WrappedKeyBytes,
    at: Timestamp,
) -> Result<(), StoreError> {
    let current = match locked(tx, subject_id).await? {
        None => return Err(StoreError::NotFound(Entity::DataKey)),
        Some(KeyRow::Destroyed) => return Err(StoreError::KeyDestroyed(subject_id)),
        Some(KeyRow::Live(k)) => k,
    };
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
        tx,
        "UPDATE data_keys SET kek = $2, wrapped = $3, rewrapped_at = $4 WHERE subject = $1",
        &[
            &subject_id.as_uuid(),
            &new_kek.as_str(),
            &wrapped.as_bytes(),
            &PgTime::of(at),
        ],
    )
    .await?;
    Ok(())
}

/// Destroys the key. With `tombstone_if_missing`, a subject that never had a key gets a
/// destroyed row, so no key can be created for it later (used by erasure).
pub(crate) async fn destroy<C: GenericClient>(
    tx: &C,
    subject_id: SubjectId,
    at: Timestamp,
    tombstone_if_missing: bool,
) -> Result<bool, StoreError> {
    // Exclusive on the subject: item writers hold it shared while they check that the key is
    // not destroyed, so no item slips in beside a shredded key.
    exec(
        tx,
        "SELECT 1 FROM subjects WHERE id = $1 FOR UPDATE",
        &[&subject_id.as_uuid()],
    )
    .await?;
    match locked(tx, subject_id).await? {
        Some(KeyRow::Destroyed) => Ok(false),
        Some(KeyRow::Live(_)) => {
            // SECURITY: the old row version keeps the wrapped bytes until VACUUM reclaims it,
            // and WAL and backups keep copies: what makes the data unreadable is that this
            // wrapped key is gone from the live database and the vault's KEK rotation.
            exec(
                tx,
                "UPDATE data_keys SET wrapped = NULL, destroyed_at = $2 WHERE subject = $1",
                &[&subject_id.as_uuid(), &PgTime::of(at)],
            )
            .await?;
            Ok(true)
        }
        None if tombstone_if_missing => {
            exec(
                tx,
                "INSERT INTO data_keys (subject, kek, wrapped, created_at, rewrapped_at, destroyed_at) \
                 VALUES ($1, NULL, NULL, $2, NULL, $2) \
                 ON CONFLICT (subject) DO UPDATE SET wrapped = NULL, \
                     destroyed_at = COALESCE(data_keys.destroyed_at, EXCLUDED.destroyed_at)",
                &[&subject_id.as_uuid(), &PgTime::of(at)],
            )
            .await?;
            Ok(false)
        }
        None => Err(StoreError::NotFound(Entity::DataKey)),
    }
}

pub(crate) async fn wrapped_by<C: GenericClient>(
    c: &C,
    kek: &KekId,
    after: Option<SubjectId>,
    limit: u32,
) -> Result<Vec<SubjectId>, StoreError> {
    let decode = |r: &Row| Ok(SubjectId::from_uuid(r.uuid(0, "subject id")?));
    let limit = i64::from(limit.max(1));
    match after {
        None => {
            query_vec(
                c,
                "SELECT subject FROM data_keys WHERE kek = $1 AND destroyed_at IS NULL \
                 ORDER BY subject LIMIT $2",
                &[&kek.as_str(), &limit],
                decode,
            )
            .await
        }
        Some(after) => {
            query_vec(
                c,
                "SELECT subject FROM data_keys WHERE kek = $1 AND destroyed_at IS NULL \
                 AND subject > $2 ORDER BY subject LIMIT $3",
                &[&kek.as_str(), &after.as_uuid(), &limit],
                decode,
            )
            .await
        }
    }
}
