//! Change-of-control notices (BIZ-02, BIZ-03): created once, delivered once.

use deadpool_postgres::GenericClient;
use steward_store::values::store_precision;
use steward_store::{
    ChangeOfControlNotice, ConflictReason, Entity, NoticeId, StoreError, SubjectId,
};
use tokio_postgres::Row;

use super::subject;
use crate::sql::{PgTime, RowExt, exec, query_opt, query_vec};

pub(crate) const COLS: &str = "id, subject, transfer, effective_at, delivered_at, recorded_at";

fn decode(r: &Row) -> Result<ChangeOfControlNotice, StoreError> {
    decode_at(r)
}

/// [`decode`] over any row view (a column group of a wider row: `crate::sql::At`).
pub(crate) fn decode_at(r: &impl RowExt) -> Result<ChangeOfControlNotice, StoreError> {
    Ok(ChangeOfControlNotice {
        id: NoticeId::from_uuid(r.uuid(0, "change-of-control notice id")?),
        subject: SubjectId::from_uuid(r.uuid(1, "subject id")?),
        transfer: r.key(2, "change of control")?,
        effective_at: r.time(3)?,
        delivered_at: r.opt_time(4)?,
        recorded_at: r.time(5)?,
    })
}

async fn get<C: GenericClient>(
    c: &C,
    id: NoticeId,
) -> Result<Option<ChangeOfControlNotice>, StoreError> {
    query_opt(
        c,
        &format!("SELECT {COLS} FROM change_of_control_notices WHERE id = $1"),
        &[&id.as_uuid()],
        decode,
    )
    .await
}

/// Sets the delivery time of a stored notice if it has none, after checking the rest is the
/// same.
async fn deliver<C: GenericClient>(
    tx: &C,
    existing: &ChangeOfControlNotice,
    n: &ChangeOfControlNotice,
) -> Result<(), StoreError> {
    let same = existing.subject == n.subject
        && existing.transfer == n.transfer
        && existing.effective_at == store_precision(n.effective_at);
    if !same {
        return Err(StoreError::conflict(
            Entity::ChangeOfControlNotice,
            ConflictReason::DifferentContent,
        ));
    }
    if let Some(at) = n.delivered_at {
        exec(
            tx,
            "UPDATE change_of_control_notices SET delivered_at = $2 \
             WHERE id = $1 AND delivered_at IS NULL",
            &[&n.id.as_uuid(), &PgTime::of(at)],
        )
        .await?;
    }
    Ok(())
}

/// Creates a notice, or sets the delivery time of a stored one (the first stays).
pub(crate) async fn put<C: GenericClient>(
    tx: &C,
    n: &ChangeOfControlNotice,
) -> Result<(), StoreError> {
    if let Some(existing) = get(tx, n.id).await? {
        return deliver(tx, &existing, n).await;
    }
    if !subject::exists(tx, n.subject).await? {
        return Err(StoreError::NotFound(Entity::Subject));
    }
    let inserted = exec(
        tx,
        &format!(
            "INSERT INTO change_of_control_notices ({COLS}) VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (id) DO NOTHING"
        ),
        &[
            &n.id.as_uuid(),
            &n.subject.as_uuid(),
            &n.transfer.as_str(),
            &PgTime::of(n.effective_at),
            &PgTime::opt(n.delivered_at),
            &PgTime::of(n.recorded_at),
        ],
    )
    .await?;
    if inserted == 0 {
        let existing = get(tx, n.id)
            .await?
            .ok_or(StoreError::NotFound(Entity::ChangeOfControlNotice))?;
        return deliver(tx, &existing, n).await;
    }
    Ok(())
}

/// The notices of a subject, oldest effective first.
pub(crate) async fn of_subject<C: GenericClient>(
    c: &C,
    subject: SubjectId,
) -> Result<Vec<ChangeOfControlNotice>, StoreError> {
    query_vec(
        c,
        &format!(
            "SELECT {COLS} FROM change_of_control_notices WHERE subject = $1 \
             ORDER BY effective_at, id"
        ),
        &[&subject.as_uuid()],
        decode,
    )
    .await
}
