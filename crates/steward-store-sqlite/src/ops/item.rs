//! Personal data items.

use std::collections::HashSet;

use jiff::Timestamp;
use rusqlite::{Connection, Row, params};
use steward_store::values::store_precision;
use steward_store::{
    Ciphertext, ConflictReason, ControllerRole, Entity, ItemId, ItemRecord, NewItem, StoreError,
    SubjectId,
};

use super::{key, subject};
use crate::sql::{
    RowExt, db, exec, exec_raw, is_pk_violation, micros, opt_micros, query_opt, query_vec,
};

const COLS: &str = "id, subject, category, value, source, collected_at, purpose, controller, \
                    controller_role, retain_until, updated_at, erased_at, policy_version";

pub(crate) fn decode(r: &Row<'_>) -> Result<ItemRecord, StoreError> {
    Ok(ItemRecord {
        id: ItemId::from_bytes(r.id16_at(0, "item id")?),
        subject: SubjectId::from_bytes(r.id16_at(1, "subject id")?),
        category: r.key_at(2, "category")?,
        value: r
            .opt_blob_at(3, "ciphertext")?
            .map(|b| Ciphertext::new(b.to_vec()).map_err(|_| StoreError::corrupt("ciphertext")))
            .transpose()?,
        source: r.key_at(4, "source")?,
        collected_at: r.time_at(5)?,
        purpose: r.key_at(6, "purpose")?,
        controller: r.key_at(7, "controller")?,
        controller_role: ControllerRole::from_code(r.code_at(8, "controller role")?)?,
        retain_until: r.opt_time_at(9)?,
        updated_at: r.time_at(10)?,
        erased_at: r.opt_time_at(11)?,
        policy_version: r.opt_key_at(12, "policy version")?,
    })
}

pub(crate) fn get(conn: &Connection, id: ItemId) -> Result<Option<ItemRecord>, StoreError> {
    query_opt(
        conn,
        &format!("SELECT {COLS} FROM items WHERE id = ?1"),
        [id.to_bytes()],
        decode,
    )
}

fn require(conn: &Connection, id: ItemId) -> Result<ItemRecord, StoreError> {
    get(conn, id)?.ok_or(StoreError::NotFound(Entity::Item))
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

pub(crate) fn put(conn: &Connection, items: &[NewItem]) -> Result<(), StoreError> {
    // Subject checks once per subject in the batch.
    let mut checked: HashSet<SubjectId> = HashSet::new();
    for n in items {
        if !checked.contains(&n.subject) {
            subject::require_live(conn, n.subject)?;
            if key::is_destroyed(conn, n.subject)? {
                return Err(StoreError::KeyDestroyed(n.subject));
            }
            checked.insert(n.subject);
        }
        let inserted = exec_raw(
            conn,
            &format!(
                "INSERT INTO items ({COLS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?6, NULL, ?11)"
            ),
            params![
                n.id.to_bytes(),
                n.subject.to_bytes(),
                n.category.as_str(),
                n.value.as_bytes(),
                n.source.as_str(),
                micros(n.collected_at),
                n.purpose.as_str(),
                n.controller.as_str(),
                n.controller_role.code(),
                opt_micros(n.retain_until),
                n.policy_version.as_ref().map(|v| v.as_str()),
            ],
        );
        match inserted {
            Ok(_) => {}
            Err(e) if is_pk_violation(&e) => {
                let existing = require(conn, n.id)?;
                if !same_as_new(&existing, n) {
                    return Err(StoreError::conflict(
                        Entity::Item,
                        ConflictReason::DifferentContent,
                    ));
                }
            }
            Err(e) => return Err(db(e)),
        }
    }
    Ok(())
}

pub(crate) fn list(
    conn: &Connection,
    subject_id: SubjectId,
) -> Result<Vec<ItemRecord>, StoreError> {
    query_vec(
        conn,
        &format!("SELECT {COLS} FROM items WHERE subject = ?1 ORDER BY id"),
        [subject_id.to_bytes()],
        decode,
    )
}

fn require_live(conn: &Connection, id: ItemId) -> Result<ItemRecord, StoreError> {
    let it = require(conn, id)?;
    if it.erased_at.is_some() {
        return Err(StoreError::conflict(Entity::Item, ConflictReason::Erased));
    }
    Ok(it)
}

pub(crate) fn replace_value(
    conn: &Connection,
    id: ItemId,
    value: &Ciphertext,
    at: Timestamp,
) -> Result<ItemRecord, StoreError> {
    require_live(conn, id)?;
    exec(
        conn,
        "UPDATE items SET value = ?2, updated_at = ?3 WHERE id = ?1",
        params![id.to_bytes(), value.as_bytes(), micros(at)],
    )?;
    require(conn, id)
}

pub(crate) fn set_retention(
    conn: &Connection,
    id: ItemId,
    retain_until: Option<Timestamp>,
) -> Result<ItemRecord, StoreError> {
    require_live(conn, id)?;
    exec(
        conn,
        "UPDATE items SET retain_until = ?2 WHERE id = ?1",
        params![id.to_bytes(), opt_micros(retain_until)],
    )?;
    require(conn, id)
}

pub(crate) fn erase(conn: &Connection, id: ItemId, at: Timestamp) -> Result<bool, StoreError> {
    require(conn, id)?;
    let n = exec(
        conn,
        "UPDATE items SET value = NULL, erased_at = ?2, updated_at = ?2 WHERE id = ?1 AND erased_at IS NULL",
        params![id.to_bytes(), micros(at)],
    )?;
    Ok(n > 0)
}

pub(crate) fn past_retention(
    conn: &Connection,
    now: Timestamp,
    limit: u32,
) -> Result<Vec<ItemRecord>, StoreError> {
    query_vec(
        conn,
        &format!(
            "SELECT {COLS} FROM items WHERE erased_at IS NULL AND retain_until IS NOT NULL \
             AND retain_until <= ?1 ORDER BY retain_until, id LIMIT ?2"
        ),
        params![micros(now), limit.max(1)],
        decode,
    )
}

/// Records a lifecycle event and sets the deadlines it moves (`AuditedWrite::RecordLifecycle`).
pub(crate) fn record_lifecycle(
    conn: &Connection,
    w: &steward_store::model::lifecycle::LifecycleWrite,
) -> Result<(), StoreError> {
    let ev = &w.event;
    subject::require(conn, ev.subject)?;
    exec(
        conn,
        "INSERT INTO lifecycle_events (subject, kind, at, recorded_at) VALUES (?1, ?2, ?3, ?4) \
         ON CONFLICT (subject, kind, at) DO NOTHING",
        params![
            ev.subject.to_bytes(),
            ev.kind.code(),
            micros(ev.at),
            micros(ev.recorded_at)
        ],
    )?;
    for (id, until) in &w.retention {
        exec(
            conn,
            "UPDATE items SET retain_until = ?2 WHERE id = ?1 AND erased_at IS NULL",
            params![id.to_bytes(), opt_micros(*until)],
        )?;
    }
    Ok(())
}

pub(crate) fn lifecycle_events(
    conn: &Connection,
    s: SubjectId,
) -> Result<Vec<steward_store::model::lifecycle::LifecycleEvent>, StoreError> {
    use steward_store::model::lifecycle::{LifecycleEvent, LifecycleKind};
    query_vec(
        conn,
        "SELECT subject, kind, at, recorded_at FROM lifecycle_events WHERE subject = ?1 \
         ORDER BY at, kind",
        [s.to_bytes()],
        |r| {
            Ok(LifecycleEvent {
                subject: SubjectId::from_bytes(r.id16_at(0, "subject id")?),
                kind: LifecycleKind::from_code(r.code_at(1, "lifecycle event")?)?,
                at: r.time_at(2)?,
                recorded_at: r.time_at(3)?,
            })
        },
    )
}

/// Puts derived items and links each to its sources (`AuditedWrite::PutDerivedItems`).
pub(crate) fn put_derived(
    conn: &Connection,
    items: &[NewItem],
    sources: &[(ItemId, ItemId)],
) -> Result<(), StoreError> {
    put(conn, items)?;
    for (derived, source) in sources {
        require(conn, *source)?;
        require(conn, *derived)?;
        exec(
            conn,
            "INSERT INTO item_sources (item, source) VALUES (?1, ?2) \
             ON CONFLICT (item, source) DO NOTHING",
            params![derived.to_bytes(), source.to_bytes()],
        )?;
    }
    Ok(())
}

pub(crate) fn derived_from(
    conn: &Connection,
    sources: &[ItemId],
) -> Result<Vec<ItemId>, StoreError> {
    let mut out: Vec<ItemId> = Vec::new();
    for s in sources {
        out.extend(query_vec(
            conn,
            "SELECT item FROM item_sources WHERE source = ?1",
            [s.to_bytes()],
            |r| Ok(ItemId::from_bytes(r.id16_at(0, "item id")?)),
        )?);
    }
    out.sort();
    out.dedup();
    Ok(out)
}
