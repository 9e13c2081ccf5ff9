//! The disclosure register.

use std::collections::HashSet;

use deadpool_postgres::GenericClient;
use steward_store::values::store_precision;
use steward_store::{
    CategoryKey, DecisionId, DisclosureId, DisclosureQuery, DisclosureRecord, DisclosureScope,
    Entity, ItemId, StoreError, SubjectId,
};
use tokio_postgres::Row;
use tokio_postgres::error::SqlState;
use tokio_postgres::types::ToSql;

use crate::sql::{PgTime, RowExt, is_state, pg, query_opt, query_vec};

const COLS: &str =
    "id, subject, recipient, categories, items, purpose, decision, payload_hash, disclosed_at";

fn decode(r: &Row) -> Result<DisclosureRecord, StoreError> {
    let categories = r
        .col::<Vec<&str>>(3, "categories")?
        .into_iter()
        .map(|s| CategoryKey::new(s).map_err(|_| StoreError::corrupt("categories")))
        .collect::<Result<Vec<_>, _>>()?;
    let items = r
        .col::<Vec<uuid::Uuid>>(4, "items")?
        .into_iter()
        .map(ItemId::from_uuid)
        .collect();
    Ok(DisclosureRecord {
        id: DisclosureId::from_uuid(r.uuid(0, "disclosure id")?),
        subject: SubjectId::from_uuid(r.uuid(1, "subject id")?),
        recipient: r.key(2, "recipient")?,
        categories,
        items,
        purpose: r.key(5, "purpose")?,
        decision: DecisionId::from_uuid(r.uuid(6, "decision id")?),
        payload_hash: r.opt_digest(7)?,
        disclosed_at: r.time(8)?,
    })
}

/// Records disclosures with one multi-row insert (lists travel as space-separated keys and
/// ids, split back into arrays by the server: keys and UUIDs hold no spaces).
pub(crate) async fn record<C: GenericClient>(
    tx: &C,
    records: &[DisclosureRecord],
) -> Result<(), StoreError> {
    let id: Vec<uuid::Uuid> = records.iter().map(|d| d.id.as_uuid()).collect();
    let subject: Vec<uuid::Uuid> = records.iter().map(|d| d.subject.as_uuid()).collect();
    let recipient: Vec<&str> = records.iter().map(|d| d.recipient.as_str()).collect();
    let categories: Vec<String> = records
        .iter()
        .map(|d| {
            d.categories
                .iter()
                .map(CategoryKey::as_str)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    let items: Vec<String> = records
        .iter()
        .map(|d| {
            d.items
                .iter()
                .map(|i| i.to_string())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    let purpose: Vec<&str> = records.iter().map(|d| d.purpose.as_str()).collect();
    let decision: Vec<uuid::Uuid> = records.iter().map(|d| d.decision.as_uuid()).collect();
    let payload: Vec<Option<Vec<u8>>> = records
        .iter()
        .map(|d| d.payload_hash.map(|h| h.0.to_vec()))
        .collect();
    let at: Vec<PgTime> = records.iter().map(|d| PgTime::of(d.disclosed_at)).collect();
    let st = tx
        .prepare_cached(&format!(
            "INSERT INTO disclosures ({COLS}) \
             SELECT id, subject, recipient, \
                    CASE WHEN cats = '' THEN '{{}}'::text[] ELSE string_to_array(cats, ' ') END, \
                    CASE WHEN its = '' THEN '{{}}'::uuid[] ELSE string_to_array(its, ' ')::uuid[] END, \
                    purpose, decision, payload_hash, disclosed_at \
             FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], \
                         $7::uuid[], $8::bytea[], $9::timestamptz[]) \
                  AS t(id, subject, recipient, cats, its, purpose, decision, payload_hash, disclosed_at) \
             ON CONFLICT (id) DO NOTHING RETURNING id"
        ))
        .await
        .map_err(pg)?;
    let rows = tx
        .query(
            &st,
            &[
                &id,
                &subject,
                &recipient,
                &categories,
                &items,
                &purpose,
                &decision,
                &payload,
                &at,
            ],
        )
        .await
        .map_err(|e| {
            if is_state(&e, &SqlState::FOREIGN_KEY_VIOLATION) {
                StoreError::NotFound(Entity::Subject)
            } else {
                pg(e)
            }
        })?;
    if rows.len() == records.len() {
        return Ok(());
    }
    let inserted: HashSet<uuid::Uuid> = rows
        .iter()
        .map(|r| r.uuid(0, "disclosure id"))
        .collect::<Result<_, _>>()?;
    let mut checked = HashSet::new();
    for d in records {
        if inserted.contains(&d.id.as_uuid()) && checked.insert(d.id) {
            continue;
        }
        let existing = query_opt(
            tx,
            &format!("SELECT {COLS} FROM disclosures WHERE id = $1"),
            &[&d.id.as_uuid()],
            decode,
        )
        .await?;
        let mut expected = d.clone();
        expected.disclosed_at = store_precision(d.disclosed_at);
        if existing.as_ref() != Some(&expected) {
            return Err(StoreError::AppendOnly(Entity::Disclosure));
        }
    }
    Ok(())
}

pub(crate) async fn list<C: GenericClient>(
    c: &C,
    q: &DisclosureQuery,
) -> Result<Vec<DisclosureRecord>, StoreError> {
    let mut sql = format!("SELECT {COLS} FROM disclosures WHERE true");
    let mut args: Vec<Box<dyn ToSql + Sync + Send>> = Vec::new();
    match &q.scope {
        DisclosureScope::Subject(s) => {
            args.push(Box::new(s.as_uuid()));
            sql.push_str(&format!(" AND subject = ${}", args.len()));
        }
        DisclosureScope::Recipient(r) => {
            args.push(Box::new(r.as_str().to_owned()));
            sql.push_str(&format!(" AND recipient = ${}", args.len()));
        }
        DisclosureScope::All => {}
    }
    if let Some(from) = q.from {
        args.push(Box::new(PgTime::of(from)));
        sql.push_str(&format!(" AND disclosed_at >= ${}", args.len()));
    }
    if let Some(until) = q.until {
        args.push(Box::new(PgTime::of(until)));
        sql.push_str(&format!(" AND disclosed_at < ${}", args.len()));
    }
    if let Some((at, id)) = q.after {
        args.push(Box::new(PgTime::of(at)));
        args.push(Box::new(id.as_uuid()));
        sql.push_str(&format!(
            " AND (disclosed_at, id) > (${}, ${})",
            args.len() - 1,
            args.len()
        ));
    }
    args.push(Box::new(i64::from(q.effective_limit())));
    sql.push_str(&format!(" ORDER BY disclosed_at, id LIMIT ${}", args.len()));
    let params: Vec<&(dyn ToSql + Sync)> =
        args.iter().map(|a| &**a as &(dyn ToSql + Sync)).collect();
    query_vec(c, &sql, &params, decode).await
}
