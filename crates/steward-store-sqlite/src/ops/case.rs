//! The privacy team's case files and their tasks (SEC-06, CONTACT-*, LEGALREQ-*).

use rusqlite::{Connection, Row, params};
use steward_store::values::store_precision;
use steward_store::{
    CaseId, CaseKind, CaseRecord, CaseTask, CaseTaskId, ConflictReason, Entity, MAX_CASE_BODY,
    StoreError, SubjectId, ValueError,
};

use super::subject;
use crate::sql::{RowExt, exec, micros, opt_micros, query_opt, query_vec};

const CASE_COLS: &str =
    "id, kind, state, opened_at, next_due_at, closed_at, subject, body, revision, updated_at";
const TASK_COLS: &str = "id, case_id, kind, due_at, done_at, body, created_at";

fn decode_case(r: &Row<'_>) -> Result<CaseRecord, StoreError> {
    Ok(CaseRecord {
        id: CaseId::from_bytes(r.id16_at(0, "case id")?),
        kind: CaseKind::from_code(r.code_at(1, "case kind")?)?,
        state: r.key_at(2, "case state")?,
        opened_at: r.time_at(3)?,
        next_due_at: r.opt_time_at(4)?,
        closed_at: r.opt_time_at(5)?,
        subject: r.opt_id16_at(6, "case subject")?.map(SubjectId::from_bytes),
        body: r.text_at(7, "case body")?.to_string(),
        revision: u32::try_from(r.i64_at(8, "case revision")?)
            .map_err(|_| StoreError::corrupt("case revision"))?,
        updated_at: r.time_at(9)?,
    })
}

fn decode_task(r: &Row<'_>) -> Result<CaseTask, StoreError> {
    Ok(CaseTask {
        id: CaseTaskId::from_bytes(r.id16_at(0, "case task id")?),
        case: CaseId::from_bytes(r.id16_at(1, "case id")?),
        kind: r.key_at(2, "case task kind")?,
        due_at: r.opt_time_at(3)?,
        done_at: r.opt_time_at(4)?,
        body: r.text_at(5, "case task body")?.to_string(),
        created_at: r.time_at(6)?,
    })
}

pub(crate) fn get(conn: &Connection, id: CaseId) -> Result<Option<CaseRecord>, StoreError> {
    query_opt(
        conn,
        &format!("SELECT {CASE_COLS} FROM cases WHERE id = ?1"),
        [id.to_bytes()],
        decode_case,
    )
}

fn task(conn: &Connection, id: CaseTaskId) -> Result<Option<CaseTask>, StoreError> {
    query_opt(
        conn,
        &format!("SELECT {TASK_COLS} FROM case_tasks WHERE id = ?1"),
        [id.to_bytes()],
        decode_task,
    )
}

fn check_body(body: &str) -> Result<(), StoreError> {
    if body.len() > MAX_CASE_BODY {
        return Err(ValueError::new("case body", "longer than 64 KiB").into());
    }
    Ok(())
}

fn normalized(c: &CaseRecord) -> CaseRecord {
    let mut c = c.clone();
    c.opened_at = store_precision(c.opened_at);
    c.next_due_at = c.next_due_at.map(store_precision);
    c.closed_at = c.closed_at.map(store_precision);
    c.updated_at = store_precision(c.updated_at);
    c
}

/// Writes a case and its tasks (see `AuditedWrite::PutCase`).
pub(crate) fn put(conn: &Connection, c: &CaseRecord, tasks: &[CaseTask]) -> Result<(), StoreError> {
    check_body(&c.body)?;
    for t in tasks {
        check_body(&t.body)?;
    }
    if c.revision == 0 {
        return Err(ValueError::new("case revision", "starts at 1").into());
    }
    if let Some(s) = c.subject
        && !subject::exists(conn, s)?
    {
        return Err(StoreError::NotFound(Entity::Subject));
    }
    let stored = get(conn, c.id)?;
    let p = params![
        c.id.to_bytes(),
        c.kind.code(),
        c.state.as_str(),
        micros(c.opened_at),
        opt_micros(c.next_due_at),
        opt_micros(c.closed_at),
        c.subject.map(|s| s.to_bytes()),
        c.body,
        i64::from(c.revision),
        micros(c.updated_at),
    ];
    match (stored, c.revision) {
        (Some(s), 1) => {
            if s != normalized(c) {
                return Err(StoreError::conflict(
                    Entity::Case,
                    ConflictReason::DifferentContent,
                ));
            }
        }
        (None, 1) => {
            exec(
                conn,
                &format!(
                    "INSERT INTO cases ({CASE_COLS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
                ),
                p,
            )?;
        }
        (None, _) => return Err(StoreError::NotFound(Entity::Case)),
        (Some(s), n) => {
            if s.kind != c.kind {
                return Err(StoreError::conflict(
                    Entity::Case,
                    ConflictReason::DifferentContent,
                ));
            }
            if s.revision == n && s == normalized(c) {
                // The same write again: a no-op.
            } else if s.revision + 1 != n {
                return Err(StoreError::conflict(
                    Entity::Case,
                    ConflictReason::StaleRevision,
                ));
            } else {
                exec(
                    conn,
                    "UPDATE cases SET kind = ?2, state = ?3, opened_at = ?4, next_due_at = ?5, \
                     closed_at = ?6, subject = ?7, body = ?8, revision = ?9, updated_at = ?10 \
                     WHERE id = ?1",
                    p,
                )?;
            }
        }
    }
    for t in tasks {
        if t.case != c.id {
            return Err(StoreError::conflict(
                Entity::CaseTask,
                ConflictReason::DifferentContent,
            ));
        }
        if let Some(existing) = task(conn, t.id)?
            && existing.case != c.id
        {
            return Err(StoreError::conflict(
                Entity::CaseTask,
                ConflictReason::DifferentContent,
            ));
        }
        exec(
            conn,
            &format!(
                "INSERT INTO case_tasks ({TASK_COLS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) \
                 ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, due_at = excluded.due_at, \
                 done_at = excluded.done_at, body = excluded.body"
            ),
            params![
                t.id.to_bytes(),
                t.case.to_bytes(),
                t.kind.as_str(),
                opt_micros(t.due_at),
                opt_micros(t.done_at),
                t.body,
                micros(t.created_at),
            ],
        )?;
    }
    Ok(())
}

pub(crate) fn list(
    conn: &Connection,
    kind: CaseKind,
    include_closed: bool,
    limit: u32,
) -> Result<Vec<CaseRecord>, StoreError> {
    query_vec(
        conn,
        &format!(
            "SELECT {CASE_COLS} FROM cases WHERE kind = ?1 AND (?2 OR closed_at IS NULL) \
             ORDER BY next_due_at IS NULL, next_due_at, opened_at, id LIMIT ?3"
        ),
        params![kind.code(), include_closed, i64::from(limit)],
        decode_case,
    )
}

pub(crate) fn of_subject(
    conn: &Connection,
    subject: SubjectId,
    kind: CaseKind,
) -> Result<Vec<CaseRecord>, StoreError> {
    query_vec(
        conn,
        &format!(
            "SELECT {CASE_COLS} FROM cases WHERE subject = ?1 AND kind = ?2 ORDER BY opened_at, id"
        ),
        params![subject.to_bytes(), kind.code()],
        decode_case,
    )
}

pub(crate) fn tasks(conn: &Connection, case: CaseId) -> Result<Vec<CaseTask>, StoreError> {
    query_vec(
        conn,
        &format!(
            "SELECT {TASK_COLS} FROM case_tasks WHERE case_id = ?1 \
             ORDER BY due_at IS NULL, due_at, created_at, id"
        ),
        [case.to_bytes()],
        decode_task,
    )
}

pub(crate) fn open_tasks(conn: &Connection, kind: CaseKind) -> Result<Vec<CaseTask>, StoreError> {
    let cols = TASK_COLS
        .split(", ")
        .map(|c| format!("t.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    query_vec(
        conn,
        &format!(
            "SELECT {cols} FROM case_tasks t JOIN cases c ON c.id = t.case_id \
             WHERE c.kind = ?1 AND c.closed_at IS NULL AND t.done_at IS NULL \
             ORDER BY t.due_at IS NULL, t.due_at, t.created_at, t.id"
        ),
        [kind.code()],
        decode_task,
    )
}
