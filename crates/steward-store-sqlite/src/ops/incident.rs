//! The people a security incident affects (SEC-06, GDPR-30, GDPR-31, CCPA-35, NV-08): the set
//! computed from the vault's items and the disclosure register in SQL (ids only, nothing
//! decrypted), counted per residency, and marked once per subject when its notice is queued.

use rusqlite::types::Value;
use rusqlite::{Connection, params, params_from_iter};
use steward_store::model::incident::{
    AffectedCount, AffectedNotice, AffectedQuery, AffectedSubject,
};
use steward_store::model::request::MessageOwner;
use steward_store::{CaseId, CaseKind, ConflictReason, Entity, MessageId, StoreError, SubjectId};

use crate::sql::{RowExt, exec, micros, query_opt, query_vec};

fn require_incident(conn: &Connection, incident: CaseId) -> Result<(), StoreError> {
    query_opt(
        conn,
        "SELECT 1 FROM cases WHERE id = ?1 AND kind = ?2",
        params![incident.to_bytes(), CaseKind::Incident.code()],
        |_| Ok(()),
    )?
    .ok_or(StoreError::NotFound(Entity::Case))
}

/// `?n, ?n+1, …` for `len` values pushed onto `args`.
fn placeholders(args: &mut Vec<Value>, values: impl IntoIterator<Item = String>) -> String {
    let mut out = Vec::new();
    for v in values {
        args.push(Value::Text(v));
        out.push(format!("?{}", args.len()));
    }
    out.join(", ")
}

pub(crate) fn compute(
    conn: &Connection,
    q: &AffectedQuery,
) -> Result<Vec<AffectedCount>, StoreError> {
    require_incident(conn, q.incident)?;
    exec(
        conn,
        "DELETE FROM incident_subjects WHERE incident = ?1 AND notified_at IS NULL",
        [q.incident.to_bytes()],
    )?;
    // ?1 incident, ?2 computed at, ?3 window start, ?4 window end; then the lists.
    let mut args: Vec<Value> = vec![
        Value::Blob(q.incident.to_bytes().to_vec()),
        Value::Integer(micros(q.at)),
        q.from.map_or(Value::Null, |t| Value::Integer(micros(t))),
        q.until.map_or(Value::Null, |t| Value::Integer(micros(t))),
    ];
    let mut sources = Vec::new();
    if q.vault && !q.categories.is_empty() {
        let cats = placeholders(
            &mut args,
            q.categories.iter().map(|c| c.as_str().to_owned()),
        );
        let held = if q.from.is_none() && q.until.is_none() {
            "i.erased_at IS NULL"
        } else {
            "(?4 IS NULL OR i.collected_at <= ?4) AND (?3 IS NULL OR i.erased_at IS NULL OR i.erased_at >= ?3)"
        };
        sources.push(format!(
            "SELECT i.subject FROM items i WHERE i.category IN ({cats}) AND {held}"
        ));
    }
    if !q.recipients.is_empty() {
        let recipients = placeholders(
            &mut args,
            q.recipients.iter().map(|r| r.as_str().to_owned()),
        );
        let mut cats = Vec::new();
        for c in &q.categories {
            args.push(Value::Text(format!(" {} ", c.as_str())));
            cats.push(format!(
                "instr(' ' || d.categories || ' ', ?{}) > 0",
                args.len()
            ));
        }
        let cats = if cats.is_empty() {
            "1".to_owned()
        } else {
            format!("({})", cats.join(" OR "))
        };
        sources.push(format!(
            "SELECT d.subject FROM disclosures d WHERE d.recipient IN ({recipients}) AND {cats} \
             AND (?4 IS NULL OR d.disclosed_at <= ?4)"
        ));
    }
    if !sources.is_empty() {
        // One statement: the union of the sources, inserted with the incident's id. The
        // parameters are numbered, and a list always follows ?4, so binding ?3 and ?4 when a
        // source does not name them is allowed.
        let sql = format!(
            "INSERT OR IGNORE INTO incident_subjects (incident, subject, computed_at) \
             SELECT ?1, u.subject, ?2 FROM ({}) u",
            sources.join(" UNION ")
        );
        conn.prepare(&sql)
            .map_err(crate::sql::db)?
            .execute(params_from_iter(args))
            .map_err(crate::sql::db)?;
    }
    counts(conn, q.incident)
}

fn counts(conn: &Connection, incident: CaseId) -> Result<Vec<AffectedCount>, StoreError> {
    let mut out = query_vec(
        conn,
        "SELECT s.residency, count(*) FROM incident_subjects x JOIN subjects s ON s.id = x.subject \
         WHERE x.incident = ?1 GROUP BY s.residency",
        [incident.to_bytes()],
        |r| {
            Ok(AffectedCount {
                residency: r.opt_key_at(0, "residency")?,
                subjects: u64::try_from(r.i64_at(1, "count")?)
                    .map_err(|_| StoreError::corrupt("count"))?,
            })
        },
    )?;
    out.sort();
    Ok(out)
}

pub(crate) fn subjects(
    conn: &Connection,
    incident: CaseId,
    pending_only: bool,
    after: Option<SubjectId>,
    limit: u32,
) -> Result<Vec<AffectedSubject>, StoreError> {
    query_vec(
        conn,
        "SELECT x.subject, s.residency, x.computed_at, x.notified_at, x.message \
         FROM incident_subjects x JOIN subjects s ON s.id = x.subject \
         WHERE x.incident = ?1 AND (?2 = 0 OR x.notified_at IS NULL) \
         AND (?3 IS NULL OR x.subject > ?3) ORDER BY x.subject LIMIT ?4",
        params![
            incident.to_bytes(),
            i64::from(pending_only),
            after.map(|s| s.to_bytes()),
            i64::from(limit.clamp(1, 10_000)),
        ],
        |r| {
            Ok(AffectedSubject {
                subject: SubjectId::from_bytes(r.id16_at(0, "subject id")?),
                residency: r.opt_key_at(1, "residency")?,
                computed_at: r.time_at(2)?,
                notified_at: r.opt_time_at(3)?,
                message: r.opt_id16_at(4, "message id")?.map(MessageId::from_bytes),
            })
        },
    )
}

pub(crate) fn enqueue_notices(
    conn: &Connection,
    incident: CaseId,
    notices: &[AffectedNotice],
    at: jiff::Timestamp,
) -> Result<Vec<SubjectId>, StoreError> {
    require_incident(conn, incident)?;
    if notices
        .iter()
        .any(|n| n.message.owner != MessageOwner::Incident(incident))
    {
        return Err(StoreError::conflict(
            Entity::Message,
            ConflictReason::DifferentContent,
        ));
    }
    let mut marked = Vec::new();
    for n in notices {
        let changed = exec(
            conn,
            "UPDATE incident_subjects SET notified_at = ?3, message = ?4 \
             WHERE incident = ?1 AND subject = ?2 AND notified_at IS NULL",
            params![
                incident.to_bytes(),
                n.subject.to_bytes(),
                micros(at),
                n.message.id.to_bytes()
            ],
        )?;
        if changed == 1 {
            super::request::enqueue(conn, std::slice::from_ref(&n.message))?;
            marked.push(n.subject);
        }
    }
    Ok(marked)
}
