//! Personal data items.

use std::collections::{BTreeSet, HashMap};

use deadpool_postgres::GenericClient;
use jiff::Timestamp;
use steward_store::values::store_precision;
use steward_store::{
    Ciphertext, ConflictReason, ControllerRole, Entity, ItemId, ItemRecord, NewItem, StoreError,
    SubjectId,
};
use tokio_postgres::Row;

use crate::sql::{AnyLookup, AnySql, PgTime, RowExt, exec, i16_of, pg, query_opt, query_vec};

pub(crate) const COLS: &str = "id, subject, category, value, source, collected_at, purpose, \
                               controller, controller_role, retain_until, updated_at, erased_at, \
                               policy_version";

pub(crate) fn decode(r: &Row) -> Result<ItemRecord, StoreError> {
    Ok(ItemRecord {
        id: ItemId::from_uuid(r.uuid(0, "item id")?),
        subject: SubjectId::from_uuid(r.uuid(1, "subject id")?),
        category: r.key(2, "category")?,
        value: r
            .col::<Option<Vec<u8>>>(3, "ciphertext")?
            .map(|b| Ciphertext::new(b).map_err(|_| StoreError::corrupt("ciphertext")))
            .transpose()?,
        source: r.key(4, "source")?,
        collected_at: r.time(5)?,
        purpose: r.key(6, "purpose")?,
        controller: r.key(7, "controller")?,
        controller_role: ControllerRole::from_code(r.code(8, "controller role")?)?,
        retain_until: r.opt_time(9)?,
        updated_at: r.time(10)?,
        erased_at: r.opt_time(11)?,
        policy_version: r.opt_key(12, "policy version")?,
    })
}

pub(crate) async fn get<C: GenericClient>(
    c: &C,
    id: ItemId,
) -> Result<Option<ItemRecord>, StoreError> {
    query_opt(
        c,
        &format!("SELECT {COLS} FROM items WHERE id = $1"),
        &[&id.as_uuid()],
        decode,
    )
    .await
}

async fn require<C: GenericClient>(c: &C, id: ItemId) -> Result<ItemRecord, StoreError> {
    get(c, id).await?.ok_or(StoreError::NotFound(Entity::Item))
}

fn same_as_new(existing: &ItemRecord, n: &NewItem) -> bool {
    existing.subject == n.subject
        && existing.category == n.category
        && existing.value.as_ref() == Some(&n.value)
        && existing.source == n.source
        && existing.collected_at == store_precision(n.collected_at)
        && existing.purpose == n.purpose
        && existing.controller == n.controller
        && existing.controller_role == n.controller_role
        && existing.retain_until == n.retain_until.map(store_precision)
        && existing.policy_version == n.policy_version
}

/// Stores items: one check of every subject of the batch (share-locked against a concurrent
/// erasure until commit), one multi-row insert, and a comparison for ids that existed.
pub(crate) async fn put<C: GenericClient + AnyLookup>(
    tx: &C,
    items: &[NewItem],
) -> Result<(), StoreError> {
    let subjects: Vec<uuid::Uuid> = items
        .iter()
        .map(|n| n.subject.as_uuid())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    // (erased, key destroyed) per subject; rows locked in id order (no deadlocks between batches).
    // Never on a stale generic plan (`AnyLookup`): the subjects table grows.
    let states: HashMap<uuid::Uuid, (bool, bool)> = tx
        .any_lookup(
            AnySql {
                any: "SELECT s.id, s.erased_at IS NOT NULL, k.destroyed_at IS NOT NULL \
                      FROM subjects s LEFT JOIN data_keys k ON k.subject = s.id \
                      WHERE s.id = ANY($1) ORDER BY s.id FOR SHARE OF s",
                one: "SELECT s.id, s.erased_at IS NOT NULL, k.destroyed_at IS NOT NULL \
                      FROM subjects s LEFT JOIN data_keys k ON k.subject = s.id \
                      WHERE s.id = $1 FOR SHARE OF s",
            },
            &subjects,
        )
        .await
        .map_err(pg)?
        .iter()
        .map(|r| {
            Ok((
                r.uuid(0, "subject id")?,
                (
                    r.col::<bool>(1, "erased")?,
                    r.col::<Option<bool>>(2, "key destroyed")?.unwrap_or(false),
                ),
            ))
        })
        .collect::<Result<_, StoreError>>()?;
    for n in items {
        match states.get(&n.subject.as_uuid()) {
            None => return Err(StoreError::NotFound(Entity::Subject)),
            Some((true, _)) => {
                return Err(StoreError::conflict(
                    Entity::Subject,
                    ConflictReason::Erased,
                ));
            }
            Some((false, true)) => return Err(StoreError::KeyDestroyed(n.subject)),
            Some((false, false)) => {}
        }
    }
    let ids: Vec<uuid::Uuid> = items.iter().map(|n| n.id.as_uuid()).collect();
    let subject: Vec<uuid::Uuid> = items.iter().map(|n| n.subject.as_uuid()).collect();
    let category: Vec<&str> = items.iter().map(|n| n.category.as_str()).collect();
    let value: Vec<&[u8]> = items.iter().map(|n| n.value.as_bytes()).collect();
    let source: Vec<&str> = items.iter().map(|n| n.source.as_str()).collect();
    let collected: Vec<PgTime> = items.iter().map(|n| PgTime::of(n.collected_at)).collect();
    let purpose: Vec<&str> = items.iter().map(|n| n.purpose.as_str()).collect();
    let controller: Vec<&str> = items.iter().map(|n| n.controller.as_str()).collect();
    let role: Vec<i16> = items
        .iter()
        .map(|n| i16_of(n.controller_role.code()))
        .collect();
    let retain: Vec<Option<PgTime>> = items.iter().map(|n| PgTime::opt(n.retain_until)).collect();
    let version: Vec<Option<&str>> = items
        .iter()
        .map(|n| n.policy_version.as_ref().map(|v| v.as_str()))
        .collect();
    let inserted: BTreeSet<uuid::Uuid> = query_vec(
        tx,
        &format!(
            "INSERT INTO items ({COLS}) \
             SELECT id, subject, category, value, source, collected_at, purpose, controller, \
                    controller_role, retain_until, collected_at, NULL::timestamptz, policy_version \
             FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::bytea[], $5::text[], \
                         $6::timestamptz[], $7::text[], $8::text[], $9::int2[], $10::timestamptz[], \
                         $11::text[]) \
                  AS t(id, subject, category, value, source, collected_at, purpose, controller, \
                       controller_role, retain_until, policy_version) \
             ON CONFLICT (id) DO NOTHING RETURNING id"
        ),
        &[
            &ids,
            &subject,
            &category,
            &value,
            &source,
            &collected,
            &purpose,
            &controller,
            &role,
            &retain,
            &version,
        ],
        |r| r.uuid(0, "item id"),
    )
    .await?
    .into_iter()
    .collect();
    if inserted.len() == items.len() {
        return Ok(());
    }
    // Some ids were stored before (a retry, or a duplicate inside the batch): identical
    // content is fine, anything else is a conflict that rolls the whole batch back.
    for n in items.iter().filter(|n| !inserted.contains(&n.id.as_uuid())) {
        let existing = require(tx, n.id).await?;
        if !same_as_new(&existing, n) {
            return Err(StoreError::conflict(
                Entity::Item,
                ConflictReason::DifferentContent,
            ));
        }
    }
    // A duplicate id inside the batch that was inserted once must match its twin too.
    for n in items.iter().filter(|n| inserted.contains(&n.id.as_uuid())) {
        if items.iter().filter(|m| m.id == n.id).count() > 1 {
            let existing = require(tx, n.id).await?;
            if !same_as_new(&existing, n) {
                return Err(StoreError::conflict(
                    Entity::Item,
                    ConflictReason::DifferentContent,
                ));
            }
        }
    }
    Ok(())
}

pub(crate) async fn list<C: GenericClient>(
    c: &C,
    subject_id: SubjectId,
) -> Result<Vec<ItemRecord>, StoreError> {
    query_vec(
        c,
        &format!("SELECT {COLS} FROM items WHERE subject = $1 ORDER BY id"),
        &[&subject_id.as_uuid()],
        decode,
    )
    .await
}

/// The item row, locked for update, if it is live.
async fn lock_live<C: GenericClient>(tx: &C, id: ItemId) -> Result<ItemRecord, StoreError> {
    let it = query_opt(
        tx,
        &format!("SELECT {COLS} FROM items WHERE id = $1 FOR NO KEY UPDATE"),
        &[&id.as_uuid()],
        decode,
    )
    .await?
    .ok_or(StoreError::NotFound(Entity::Item))?;
    if it.erased_at.is_some() {
        return Err(StoreError::conflict(Entity::Item, ConflictReason::Erased));
    }
    Ok(it)
}

pub(crate) async fn replace_value<C: GenericClient>(
    tx: &C,
    id: ItemId,
    value: &Ciphertext,
    at: Timestamp,
) -> Result<ItemRecord, StoreError> {
    lock_live(tx, id).await?;
    query_opt(
        tx,
        &format!("UPDATE items SET value = $2, updated_at = $3 WHERE id = $1 RETURNING {COLS}"),
        &[&id.as_uuid(), &value.as_bytes(), &PgTime::of(at)],
        decode,
    )
    .await?
    .ok_or(StoreError::NotFound(Entity::Item))
}

pub(crate) async fn set_retention<C: GenericClient>(
    tx: &C,
    id: ItemId,
    retain_until: Option<Timestamp>,
) -> Result<ItemRecord, StoreError> {
    lock_live(tx, id).await?;
    query_opt(
        tx,
        &format!("UPDATE items SET retain_until = $2 WHERE id = $1 RETURNING {COLS}"),
        &[&id.as_uuid(), &PgTime::opt(retain_until)],
        decode,
    )
    .await?
    .ok_or(StoreError::NotFound(Entity::Item))
}

pub(crate) async fn erase<C: GenericClient>(
    c: &C,
    id: ItemId,
    at: Timestamp,
) -> Result<bool, StoreError> {
    let n = exec(
        c,
        "UPDATE items SET value = NULL, erased_at = $2, updated_at = $2 \
         WHERE id = $1 AND erased_at IS NULL",
        &[&id.as_uuid(), &PgTime::of(at)],
    )
    .await?;
    if n == 0 {
        require(c, id).await?;
    }
    Ok(n > 0)
}

pub(crate) async fn past_retention<C: GenericClient>(
    c: &C,
    now: Timestamp,
    limit: u32,
) -> Result<Vec<ItemRecord>, StoreError> {
    query_vec(
        c,
        &format!(
            "SELECT {COLS} FROM items WHERE erased_at IS NULL AND retain_until IS NOT NULL \
             AND retain_until <= $1 ORDER BY retain_until, id LIMIT $2"
        ),
        &[&PgTime::of(now), &i64::from(limit.max(1))],
        decode,
    )
    .await
}

/// Records a lifecycle event and sets the deadlines it moves (`AuditedWrite::RecordLifecycle`),
/// inside the caller's transaction.
pub(crate) async fn record_lifecycle<C: GenericClient>(
    tx: &C,
    w: &steward_store::model::lifecycle::LifecycleWrite,
) -> Result<(), StoreError> {
    let ev = &w.event;
    super::subject::require(tx, ev.subject).await?;
    exec(
        tx,
        "INSERT INTO lifecycle_events (subject, kind, at, recorded_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (subject, kind, at) DO NOTHING",
        &[
            &ev.subject.as_uuid(),
            &i16_of(ev.kind.code()),
            &PgTime::of(ev.at),
            &PgTime::of(ev.recorded_at),
        ],
    )
    .await?;
    for (id, until) in &w.retention {
        exec(
            tx,
            "UPDATE items SET retain_until = $2 WHERE id = $1 AND erased_at IS NULL",
            &[&id.as_uuid(), &PgTime::opt(*until)],
        )
        .await?;
    }
    Ok(())
}

pub(crate) async fn lifecycle_events<C: GenericClient>(
    c: &C,
    s: SubjectId,
) -> Result<Vec<steward_store::model::lifecycle::LifecycleEvent>, StoreError> {
    use steward_store::model::lifecycle::{LifecycleEvent, LifecycleKind};
    query_vec(
        c,
        "SELECT subject, kind, at, recorded_at FROM lifecycle_events WHERE subject = $1 \
         ORDER BY at, kind",
        &[&s.as_uuid()],
        |r| {
            Ok(LifecycleEvent {
                subject: SubjectId::from_uuid(r.uuid(0, "subject id")?),
                kind: LifecycleKind::from_code(r.code(1, "lifecycle event")?)?,
                at: r.time(2)?,
                recorded_at: r.time(3)?,
            })
        },
    )
    .await
}

/// Puts derived items and links each to its sources (`AuditedWrite::PutDerivedItems`),
/// inside the caller's transaction.
pub(crate) async fn put_derived<C: GenericClient + AnyLookup>(
    tx: &C,
    items: &[NewItem],
    sources: &[(ItemId, ItemId)],
) -> Result<(), StoreError> {
    put(tx, items).await?;
    for (derived, source) in sources {
        require(tx, *source).await?;
        require(tx, *derived).await?;
        exec(
            tx,
            "INSERT INTO item_sources (item, source) VALUES ($1, $2) \
             ON CONFLICT (item, source) DO NOTHING",
            &[&derived.as_uuid(), &source.as_uuid()],
        )
        .await?;
    }
    Ok(())
}

pub(crate) async fn derived_from<C: GenericClient>(
    c: &C,
    sources: &[ItemId],
) -> Result<Vec<ItemId>, StoreError> {
    let ids: Vec<uuid::Uuid> = sources.iter().map(|s| s.as_uuid()).collect();
    query_vec(
        c,
        "SELECT DISTINCT item FROM item_sources WHERE source = ANY($1) ORDER BY item",
        &[&ids],
        |r| Ok(ItemId::from_uuid(r.uuid(0, "item id")?)),
    )
    .await
}
