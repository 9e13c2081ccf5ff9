//! The disclosure register.

use std::collections::HashSet;

use rusqlite::types::Value;
use rusqlite::{Connection, Row, params, params_from_iter};
use steward_store::values::store_precision;
use steward_store::{
    CategoryKey, DecisionId, DisclosureId, DisclosureQuery, DisclosureRecord, DisclosureScope,
    Entity, ItemId, StoreError, SubjectId,
};

use super::subject;
use crate::sql::{RowExt, db, exec_raw, is_pk_violation, micros, query_opt, query_vec};

const COLS: &str =
    "id, subject, recipient, categories, items, purpose, decision, payload_hash, disclosed_at";

fn decode(r: &Row<'_>) -> Result<DisclosureRecord, StoreError> {
    let categories = r
        .text_at(3, "categories")?
        .split(' ')
        .filter(|s| !s.is_empty())
        .map(|s| CategoryKey::new(s).map_err(|_| StoreError::corrupt("categories")))
        .collect::<Result<Vec<_>, _>>()?;
    let items_blob = r.blob_at(4, "items")?;
    if items_blob.len() % 16 != 0 {
        return Err(StoreError::corrupt("items"));
    }
    let items = items_blob
        .chunks_exact(16)
        .map(|c| ItemId::from_slice(c).map_err(|_| StoreError::corrupt("items")))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(DisclosureRecord {
        id: DisclosureId::from_bytes(r.id16_at(0, "disclosure id")?),
        subject: SubjectId::from_bytes(r.id16_at(1, "subject id")?),
        recipient: r.key_at(2, "recipient")?,
        categories,
        items,
        purpose: r.key_at(5, "purpose")?,
        decision: DecisionId::from_bytes(r.id16_at(6, "decision id")?),
        payload_hash: r.opt_digest_at(7)?,
        disclosed_at: r.time_at(8)?,
    })
}

pub(crate) fn record(conn: &Connection, records: &[DisclosureRecord]) -> Result<(), StoreError> {
    let mut known: HashSet<SubjectId> = HashSet::new();
    for d in records {
        if !known.contains(&d.subject) {
            if !subject::exists(conn, d.subject)? {
                return Err(StoreError::NotFound(Entity::Subject));
            }
            known.insert(d.subject);
        }
        let categories = d
            .categories
            .iter()
            .map(|c| c.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        let items: Vec<u8> = d.items.iter().flat_map(|i| i.to_bytes()).collect();
        let inserted = exec_raw(
            conn,
            &format!(
                "INSERT INTO disclosures ({COLS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
            ),
            params![
                d.id.to_bytes(),
                d.subject.to_bytes(),
                d.recipient.as_str(),
                categories,
                items,
                d.purpose.as_str(),
                d.decision.to_bytes(),
                d.payload_hash.map(|h| h.0),
                micros(d.disclosed_at),
            ],
        );
        match inserted {
            Ok(_) => {}
            Err(e) if is_pk_violation(&e) => {
                let existing = query_opt(
                    conn,
                    &format!("SELECT {COLS} FROM disclosures WHERE id = ?1"),
                    [d.id.to_bytes()],
                    decode,
                )?;
                let mut expected = d.clone();
                expected.disclosed_at = store_precision(d.disclosed_at);
                if existing.as_ref() != Some(&expected) {
                    return Err(StoreError::AppendOnly(Entity::Disclosure));
                }
            }
            Err(e) => return Err(db(e)),
        }
    }
    Ok(())
}

pub(crate) fn list(
    conn: &Connection,
    q: &DisclosureQuery,
) -> Result<Vec<DisclosureRecord>, StoreError> {
    let mut sql = format!("SELECT {COLS} FROM disclosures WHERE 1 = 1");
    let mut args: Vec<Value> = Vec::new();
    match &q.scope {
        DisclosureScope::Subject(s) => {
            args.push(Value::Blob(s.to_bytes().to_vec()));
            sql.push_str(&format!(" AND subject = ?{}", args.len()));
        }
        DisclosureScope::Recipient(r) => {
            args.push(Value::Text(r.as_str().to_owned()));
            sql.push_str(&format!(" AND recipient = ?{}", args.len()));
        }
        DisclosureScope::All => {}
    }
    if let Some(from) = q.from {
        args.push(Value::Integer(micros(from)));
        sql.push_str(&format!(" AND disclosed_at >= ?{}", args.len()));
    }
    if let Some(until) = q.until {
        args.push(Value::Integer(micros(until)));
        sql.push_str(&format!(" AND disclosed_at < ?{}", args.len()));
    }
    if let Some((at, id)) = q.after {
        args.push(Value::Integer(micros(at)));
        args.push(Value::Blob(id.to_bytes().to_vec()));
        sql.push_str(&format!(
            " AND (disclosed_at, id) > (?{}, ?{})",
            args.len() - 1,
            args.len()
        ));
    }
    args.push(Value::Integer(i64::from(q.effective_limit())));
    sql.push_str(&format!(" ORDER BY disclosed_at, id LIMIT ?{}", args.len()));
    query_vec(conn, &sql, params_from_iter(args), decode)
}
