//! The people a security incident affects (SEC-06, GDPR-30, GDPR-31, CCPA-35, NV-08): the set
//! computed from the vault's items and the disclosure register in SQL (ids only, nothing
//! decrypted), counted per residency, and marked once per subject when its notice is queued.

use deadpool_postgres::GenericClient;
use jiff::Timestamp;
use steward_store::model::incident::{
    AffectedCount, AffectedNotice, AffectedQuery, AffectedSubject,
};
use steward_store::model::request::MessageOwner;
use steward_store::{CaseId, CaseKind, ConflictReason, Entity, MessageId, StoreError, SubjectId};

use crate::sql::{PgTime, RowExt, exec, i16_of, query_opt, query_vec};

async fn require_incident<C: GenericClient>(c: &C, incident: CaseId) -> Result<(), StoreError> {
    query_opt(
        c,
        "SELECT 1 FROM cases WHERE id = $1 AND kind = $2",
        &[&incident.as_uuid(), &i16_of(CaseKind::Incident.code())],
        |_| Ok(()),
    )
    .await?
    .ok_or(StoreError::NotFound(Entity::Case))
}

/// Inside the caller's transaction: replaces the unnotified part of the set, then counts.
pub(crate) async fn compute<C: GenericClient>(
    tx: &C,
    q: &AffectedQuery,
) -> Result<Vec<AffectedCount>, StoreError> {
    require_incident(tx, q.incident).await?;
    exec(
        tx,
        "DELETE FROM incident_subjects WHERE incident = $1 AND notified_at IS NULL",
        &[&q.incident.as_uuid()],
    )
    .await?;
    let cats: Vec<&str> = q.categories.iter().map(|c| c.as_str()).collect();
    let recipients: Vec<&str> = q.recipients.iter().map(|r| r.as_str()).collect();
    let windowless = q.from.is_none() && q.until.is_none();
    // One statement: the subjects with an item held in the window (or live now, without
    // one), and those with a disclosure to a named recipient, inserted with the incident.
    exec(
        tx,
        "INSERT INTO incident_subjects (incident, subject, computed_at) \
         SELECT $1, u.subject, $2 FROM ( \
           SELECT i.subject FROM items i WHERE $5 AND i.category = ANY($6::text[]) AND ( \
             CASE WHEN $8 THEN i.erased_at IS NULL \
             ELSE ($4::timestamptz IS NULL OR i.collected_at <= $4::timestamptz) \
              AND ($3::timestamptz IS NULL OR i.erased_at IS NULL \
                   OR i.erased_at >= $3::timestamptz) END) \
           UNION \
           SELECT d.subject FROM disclosures d WHERE d.recipient = ANY($7::text[]) \
             AND (cardinality($6::text[]) = 0 OR d.categories && $6::text[]) \
             AND ($4::timestamptz IS NULL OR d.disclosed_at <= $4::timestamptz) \
         ) u ON CONFLICT (incident, subject) DO NOTHING",
        &[
            &q.incident.as_uuid(),
            &PgTime::of(q.at),
            &PgTime::opt(q.from),
            &PgTime::opt(q.until),
            &q.vault,
            &cats,
            &recipients,
            &windowless,
        ],
    )
    .await?;
    let mut out = query_vec(
        tx,
        "SELECT s.residency, count(*) FROM incident_subjects x JOIN subjects s ON s.id = x.subject \
         WHERE x.incident = $1 GROUP BY s.residency",
        &[&q.incident.as_uuid()],
        |r| {
            Ok(AffectedCount {
                residency: r.opt_key(0, "residency")?,
                subjects: u64::try_from(r.col::<i64>(1, "count")?)
                    .map_err(|_| StoreError::corrupt("count"))?,
            })
        },
    )
    .await?;
    out.sort();
    Ok(out)
}

pub(crate) async fn subjects<C: GenericClient>(
    c: &C,
    incident: CaseId,
    pending_only: bool,
    after: Option<SubjectId>,
    limit: u32,
) -> Result<Vec<AffectedSubject>, StoreError> {
    query_vec(
        c,
        "SELECT x.subject, s.residency, x.computed_at, x.notified_at, x.message \
         FROM incident_subjects x JOIN subjects s ON s.id = x.subject \
         WHERE x.incident = $1 AND (NOT $2 OR x.notified_at IS NULL) \
         AND ($3::uuid IS NULL OR x.subject > $3::uuid) ORDER BY x.subject LIMIT $4",
        &[
            &incident.as_uuid(),
            &pending_only,
            &after.map(|s| s.as_uuid()),
            &i64::from(limit.clamp(1, 10_000)),
        ],
        |r| {
            Ok(AffectedSubject {
                subject: SubjectId::from_uuid(r.uuid(0, "subject id")?),
                residency: r.opt_key(1, "residency")?,
                computed_at: r.time(2)?,
                notified_at: r.opt_time(3)?,
                message: r.opt_uuid(4, "message id")?.map(MessageId::from_uuid),
            })
        },
    )
    .await
}

/// Inside the caller's transaction: marks each subject not notified yet and queues its
/// message; the others are skipped with their message.
pub(crate) async fn enqueue_notices<C: GenericClient>(
    tx: &C,
    incident: CaseId,
    notices: &[AffectedNotice],
    at: Timestamp,
) -> Result<Vec<SubjectId>, StoreError> {
    require_incident(tx, incident).await?;
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
            tx,
            "UPDATE incident_subjects SET notified_at = $3, message = $4 \
             WHERE incident = $1 AND subject = $2 AND notified_at IS NULL",
            &[
                &incident.as_uuid(),
                &n.subject.as_uuid(),
                &PgTime::of(at),
                &n.message.id.as_uuid(),
            ],
        )
        .await?;
        if changed == 1 {
            crate::requests::enqueue(tx, std::slice::from_ref(&n.message)).await?;
            marked.push(n.subject);
        }
    }
    Ok(marked)
}
