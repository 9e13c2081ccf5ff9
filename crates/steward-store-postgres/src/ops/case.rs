//! The privacy team's case files and their tasks (SEC-06, CONTACT-*, LEGALREQ-*).

use deadpool_postgres::GenericClient;
use steward_store::values::store_precision;
use steward_store::{
    CaseId, CaseKind, CaseRecord, CaseTask, CaseTaskId, ConflictReason, Entity, MAX_CASE_BODY,
    StoreError, SubjectId, ValueError,
};
use tokio_postgres::Row;

use super::subject;
use crate::sql::{PgTime, RowExt, exec, query_opt, query_vec};

const CASE_COLS: &str =
    "id, kind, state, opened_at, next_due_at, closed_at, subject, body, revision, updated_at";
const TASK_COLS: &str = "id, case_id, kind, due_at, done_at, body, created_at";

fn decode_case(r: &Row) -> Result<CaseRecord, StoreError> {
    Ok(CaseRecord {
        id: CaseId::from_uuid(r.uuid(0, "case id")?),
        kind: CaseKind::from_code(r.code(1, "case kind")?)?,
        state: r.key(2, "case state")?,
        opened_at: r.time(3)?,
        next_due_at: r.opt_time(4)?,
        closed_at: r.opt_time(5)?,
        subject: r.opt_uuid(6, "case subject")?.map(SubjectId::from_uuid),
        body: r.col::<String>(7, "case body")?,
        revision: u32::try_from(r.col::<i32>(8, "case revision")?)
            .map_err(|_| StoreError::corrupt("case revision"))?,
        updated_at: r.time(9)?,
    })
}

fn decode_task(r: &Row) -> Result<CaseTask, StoreError> {
    Ok(CaseTask {
        id: CaseTaskId::from_uuid(r.uuid(0, "case task id")?),
        case: CaseId::from_uuid(r.uuid(1, "case id")?),
        kind: r.key(2, "case task kind")?,
        due_at: r.opt_time(3)?,
        done_at: r.opt_time(4)?,
        body: r.col::<String>(5, "case task body")?,
        created_at: r.time(6)?,
    })
}

pub(crate) async fn get<C: GenericClient>(
    c: &C,
    id: CaseId,
) -> Result<Option<CaseRecord>, StoreError> {
    query_opt(
        c,
        &format!("SELECT {CASE_COLS} FROM cases WHERE id = $1"),
        &[&id.as_uuid()],
        decode_case,
    )
    .await
}

async fn task<C: GenericClient>(c: &C, id: CaseTaskId) -> Result<Option<CaseTask>, StoreError> {
    query_opt(
        c,
        &format!("SELECT {TASK_COLS} FROM case_tasks WHERE id = $1"),
        &[&id.as_uuid()],
        decode_task,
    )
    .await
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

/// Writes a case and its tasks (see `AuditedWrite::PutCase`), inside the caller's
/// transaction; the case row is locked while it is compared and replaced.
pub(crate) async fn put<C: GenericClient>(
    tx: &C,
    c: &CaseRecord,
    tasks: &[CaseTask],
) -> Result<(), StoreError> {
    check_body(&c.body)?;
    for t in tasks {
        check_body(&t.body)?;
    }
    if c.revision == 0 {
        return Err(ValueError::new("case revision", "starts at 1").into());
    }
    if let Some(s) = c.subject
        && !subject::exists(tx, s).await?
    {
        return Err(StoreError::NotFound(Entity::Subject));
    }
    let stored = query_opt(
        tx,
        &format!("SELECT {CASE_COLS} FROM cases WHERE id = $1 FOR UPDATE"),
        &[&c.id.as_uuid()],
        decode_case,
    )
    .await?;
    let revision =
        i32::try_from(c.revision).map_err(|_| ValueError::new("case revision", "too large"))?;
    let subject = c.subject.map(|s| s.as_uuid());
    let kind = i16::from(c.kind.code());
    let opened = PgTime::of(c.opened_at);
    let due = PgTime::opt(c.next_due_at);
    let closed = PgTime::opt(c.closed_at);
    let updated = PgTime::of(c.updated_at);
    let id = c.id.as_uuid();
    let state = c.state.as_str();
    let p: [&(dyn tokio_postgres::types::ToSql + Sync); 10] = [
        &id, &kind, &state, &opened, &due, &closed, &subject, &c.body, &revision, &updated,
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
            let n = exec(
                tx,
                &format!(
                    "INSERT INTO cases ({CASE_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
                     ON CONFLICT (id) DO NOTHING"
                ),
                &p,
            )
            .await?;
            if n == 0 {
                let s = get(tx, c.id)
                    .await?
                    .ok_or(StoreError::NotFound(Entity::Case))?;
                if s != normalized(c) {
                    return Err(StoreError::conflict(
                        Entity::Case,
                        ConflictReason::DifferentContent,
                    ));
                }
            }
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
                    tx,
                    "UPDATE cases SET kind = $2, state = $3, opened_at = $4, next_due_at = $5, \
                     closed_at = $6, subject = $7, body = $8, revision = $9, updated_at = $10 \
                     WHERE id = $1",
                    &p,
                )
                .await?;
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
        if let Some(existing) = task(tx, t.id).await?
            && existing.case != c.id
        {
            return Err(StoreError::conflict(
                Entity::CaseTask,
                ConflictReason::DifferentContent,
            ));
        }
        exec(
            tx,
            &format!(
                "INSERT INTO case_tasks ({TASK_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7) \
                 ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, due_at = excluded.due_at, \
                 done_at = excluded.done_at, body = excluded.body"
            ),
            &[
                &t.id.as_uuid(),
                &t.case.as_uuid(),
                &t.kind.as_str(),
                &PgTime::opt(t.due_at),
                &PgTime::opt(t.done_at),
                &t.body,
                &PgTime::of(t.created_at),
            ],
        )
        .await?;
    }
    Ok(())
}

pub(crate) async fn list<C: GenericClient>(
    c: &C,
    kind: CaseKind,
    include_closed: bool,
    limit: u32,
) -> Result<Vec<CaseRecord>, StoreError> {
    query_vec(
        c,
        &format!(
            "SELECT {CASE_COLS} FROM cases WHERE kind = $1 AND ($2 OR closed_at IS NULL) \
             ORDER BY next_due_at IS NULL, next_due_at, opened_at, id LIMIT $3"
        ),
        &[&i16::from(kind.code()), &include_closed, &i64::from(limit)],
        decode_case,
    )
    .await
}

pub(crate) async fn of_subject<C: GenericClient>(
    c: &C,
    subject: SubjectId,
    kind: CaseKind,
) -> Result<Vec<CaseRecord>, StoreError> {
    query_vec(
        c,
        &format!(
            "SELECT {CASE_COLS} FROM cases WHERE subject = $1 AND kind = $2 ORDER BY opened_at, id"
        ),
        &[&subject.as_uuid(), &i16::from(kind.code())],
        decode_case,
    )
    .await
}

pub(crate) async fn tasks<C: GenericClient>(
    c: &C,
    case: CaseId,
) -> Result<Vec<CaseTask>, StoreError> {
    query_vec(
        c,
        &format!(
            "SELECT {TASK_COLS} FROM case_tasks WHERE case_id = $1 \
             ORDER BY due_at IS NULL, due_at, created_at, id"
        ),
        &[&case.as_uuid()],
        decode_task,
    )
    .await
}

pub(crate) async fn open_tasks<C: GenericClient>(
    c: &C,
    kind: CaseKind,
) -> Result<Vec<CaseTask>, StoreError> {
    query_vec(
        c,
        "SELECT t.id, t.case_id, t.kind, t.due_at, t.done_at, t.body, t.created_at \
         FROM case_tasks t JOIN cases c ON c.id = t.case_id \
         WHERE c.kind = $1 AND c.closed_at IS NULL AND t.done_at IS NULL \
         ORDER BY t.due_at IS NULL, t.due_at, t.created_at, t.id",
        &[&i16::from(kind.code())],
        decode_task,
    )
    .await
}
