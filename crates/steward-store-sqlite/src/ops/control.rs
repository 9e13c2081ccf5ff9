//! Change-of-control notices (BIZ-02, BIZ-03): created once, delivered once.

use rusqlite::{Connection, Row, params};
use steward_store::values::store_precision;
use steward_store::{
    ChangeOfControlNotice, ConflictReason, Entity, NoticeId, StoreError, SubjectId,
};

use super::subject;
use crate::sql::{RowExt, exec, micros, opt_micros, query_opt, query_vec};

const COLS: &str = "id, subject, transfer, effective_at, delivered_at, recorded_at";

fn decode(r: &Row<'_>) -> Result<ChangeOfControlNotice, StoreError> {
    Ok(ChangeOfControlNotice {
        id: NoticeId::from_bytes(r.id16_at(0, "change-of-control notice id")?),
        subject: SubjectId::from_bytes(r.id16_at(1, "subject id")?),
        transfer: r.key_at(2, "change of control")?,
        effective_at: r.time_at(3)?,
        delivered_at: r.opt_time_at(4)?,
        recorded_at: r.time_at(5)?,
    })
}

fn get(conn: &Connection, id: NoticeId) -> Result<Option<ChangeOfControlNotice>, StoreError> {
    query_opt(
        conn,
        &format!("SELECT {COLS} FROM change_of_control_notices WHERE id = ?1"),
        [id.to_bytes()],
        decode,
    )
}

/// Creates a notice, or sets the delivery time of a stored one (the first stays).
pub(crate) fn put(conn: &Connection, n: &ChangeOfControlNotice) -> Result<(), StoreError> {
    if let Some(existing) = get(conn, n.id)? {
        let same = existing.subject == n.subject
            && existing.transfer == n.transfer
            && existing.effective_at == store_precision(n.effective_at);
        if !same {
            return Err(StoreError::conflict(
                Entity::ChangeOfControlNotice,
                ConflictReason::DifferentContent,
            ));
        }
        if existing.delivered_at.is_none()
            && let Some(at) = n.delivered_at
        {
            exec(
                conn,
                "UPDATE change_of_control_notices SET delivered_at = ?2 WHERE id = ?1",
                params![n.id.to_bytes(), micros(at)],
            )?;
        }
        return Ok(());
    }
    if !subject::exists(conn, n.subject)? {
        return Err(StoreError::NotFound(Entity::Subject));
    }
    exec(
        conn,
        &format!("INSERT INTO change_of_control_notices ({COLS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"),
        params![
            n.id.to_bytes(),
            n.subject.to_bytes(),
            n.transfer.as_str(),
            micros(n.effective_at),
            opt_micros(n.delivered_at),
            micros(n.recorded_at),
        ],
    )?;
    Ok(())
}

/// The notices of a subject, oldest effective first.
pub(crate) fn of_subject(
    conn: &Connection,
    subject: SubjectId,
) -> Result<Vec<ChangeOfControlNotice>, StoreError> {
    query_vec(
        conn,
        &format!(
            "SELECT {COLS} FROM change_of_control_notices WHERE subject = ?1 \
             ORDER BY effective_at, id"
        ),
        [subject.to_bytes()],
        decode,
    )
}
