//! The history of the policy text (CHG-01): one row per distinct text, by its SHA-256; and
//! the change notices of material versions, one per subject and version (CHG-04).

use deadpool_postgres::GenericClient;
use jiff::Timestamp;
use steward_store::{
    Digest, NewPolicyVersion, NoticeAudience, PolicyNoticeCount, PolicyNoticeRecord,
    PolicyVersionRecord, StoreError, SubjectId,
};
use tokio_postgres::Row;

use crate::sql::{PgTime, RowExt, exec, query_opt, query_vec};

const COLS: &str = "seq, version, effective, sha256, text, recorded_at, changes, material";

fn decode(r: &Row) -> Result<PolicyVersionRecord, StoreError> {
    Ok(PolicyVersionRecord {
        seq: u64::try_from(r.col::<i64>(0, "policy version seq")?)
            .map_err(|_| StoreError::corrupt("policy version seq"))?,
        version: r.col::<String>(1, "policy version")?,
        effective: r.col::<String>(2, "policy effective date")?,
        sha256: r.digest(3)?,
        text: r.col::<String>(4, "policy text")?,
        recorded_at: r.time(5)?,
        changes: r.col::<String>(6, "policy changes")?,
        material: r.col::<bool>(7, "policy material")?,
    })
}

async fn by_hash<C: GenericClient>(
    c: &C,
    sha: &Digest,
) -> Result<Option<PolicyVersionRecord>, StoreError> {
    query_opt(
        c,
        &format!("SELECT {COLS} FROM policy_versions WHERE sha256 = $1"),
        &[&sha.0.as_slice()],
        decode,
    )
    .await
}

/// One statement: the unique hash makes a second recording of the same text (on this or
/// another replica) a no-op; the stored record is then read back.
pub(crate) async fn record<C: GenericClient>(
    c: &C,
    v: &NewPolicyVersion,
) -> Result<PolicyVersionRecord, StoreError> {
    exec(
        c,
        "INSERT INTO policy_versions (sha256, version, effective, text, changes, material, recorded_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (sha256) DO NOTHING",
        &[
            &v.sha256.0.as_slice(),
            &v.version,
            &v.effective,
            &v.text,
            &v.changes,
            &v.material,
            &PgTime::of(v.recorded_at),
        ],
    )
    .await?;
    by_hash(c, &v.sha256)
        .await?
        .ok_or_else(|| StoreError::corrupt("policy version"))
}

pub(crate) async fn list<C: GenericClient>(c: &C) -> Result<Vec<PolicyVersionRecord>, StoreError> {
    query_vec(
        c,
        &format!("SELECT {COLS} FROM policy_versions ORDER BY seq DESC"),
        &[],
        decode,
    )
    .await
}

pub(crate) async fn get<C: GenericClient>(
    c: &C,
    version: &str,
) -> Result<Option<PolicyVersionRecord>, StoreError> {
    query_opt(
        c,
        &format!("SELECT {COLS} FROM policy_versions WHERE version = $1 ORDER BY seq DESC LIMIT 1"),
        &[&version],
        decode,
    )
    .await
}

const NOTICE_COLS: &str = "subject, version, notice_hash, queued_at, lease_until, sent_at";

fn decode_notice(r: &Row) -> Result<PolicyNoticeRecord, StoreError> {
    Ok(PolicyNoticeRecord {
        subject: SubjectId::from_uuid(r.uuid(0, "subject id")?),
        version: r.col::<String>(1, "policy version")?,
        notice_hash: r.digest(2)?,
        queued_at: r.time(3)?,
        lease_until: r.opt_time(4)?,
        sent_at: r.opt_time(5)?,
    })
}

/// CHG-04: one notice per affected live subject and version (`ON CONFLICT DO NOTHING` keeps
/// a row queued before, sent or not).
pub(crate) async fn queue_notices<C: GenericClient>(
    c: &C,
    a: &NoticeAudience,
) -> Result<u64, StoreError> {
    let cats: Vec<&str> = a.categories.iter().map(|c| c.as_str()).collect();
    let keys: Vec<&str> = a.choice_keys.iter().map(|k| k.as_str()).collect();
    exec(
        c,
        "INSERT INTO policy_notices (subject, version, notice_hash, queued_at) \
         SELECT s.id, $1, $2, $3 FROM subjects s WHERE s.erased_at IS NULL AND ( \
           EXISTS (SELECT 1 FROM items i WHERE i.subject = s.id AND i.erased_at IS NULL \
                   AND i.category = ANY($4::text[])) \
           OR EXISTS (SELECT 1 FROM choices ch WHERE ch.subject = s.id \
                   AND ch.key = ANY($5::text[]))) \
         ON CONFLICT (subject, version) DO NOTHING",
        &[
            &a.version,
            &a.notice_hash.0.as_slice(),
            &PgTime::of(a.at),
            &cats,
            &keys,
        ],
    )
    .await
}

pub(crate) async fn claim_notices<C: GenericClient>(
    c: &C,
    now: Timestamp,
    lease_until: Timestamp,
    limit: u32,
) -> Result<Vec<PolicyNoticeRecord>, StoreError> {
    let mut out = query_vec(
        c,
        &format!(
            "UPDATE policy_notices SET lease_until = $2 WHERE (subject, version) IN ( \
               SELECT subject, version FROM policy_notices WHERE sent_at IS NULL \
               AND (lease_until IS NULL OR lease_until <= $1) \
               ORDER BY queued_at, subject LIMIT $3 FOR UPDATE SKIP LOCKED) \
             RETURNING {NOTICE_COLS}"
        ),
        &[
            &PgTime::of(now),
            &PgTime::of(lease_until),
            &i64::from(limit.clamp(1, 10_000)),
        ],
        decode_notice,
    )
    .await?;
    out.sort_by_key(|a| (a.queued_at, a.subject));
    Ok(out)
}

pub(crate) async fn mark_notice_sent<C: GenericClient>(
    c: &C,
    subject: SubjectId,
    version: &str,
    notice_hash: &Digest,
    at: Timestamp,
) -> Result<bool, StoreError> {
    exec(
        c,
        "INSERT INTO policy_notices (subject, version, notice_hash, queued_at) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (subject, version) DO NOTHING",
        &[
            &subject.as_uuid(),
            &version,
            &notice_hash.0.as_slice(),
            &PgTime::of(at),
        ],
    )
    .await?;
    let n = exec(
        c,
        "UPDATE policy_notices SET sent_at = $3, lease_until = NULL \
         WHERE subject = $1 AND version = $2 AND sent_at IS NULL",
        &[&subject.as_uuid(), &version, &PgTime::of(at)],
    )
    .await?;
    Ok(n > 0)
}

pub(crate) async fn notices_of<C: GenericClient>(
    c: &C,
    subject: SubjectId,
) -> Result<Vec<PolicyNoticeRecord>, StoreError> {
    query_vec(
        c,
        &format!(
            "SELECT {NOTICE_COLS} FROM policy_notices WHERE subject = $1 ORDER BY queued_at, version"
        ),
        &[&subject.as_uuid()],
        decode_notice,
    )
    .await
}

/// Queued and sent notices per version (all versions, or one), by version string.
pub(crate) async fn notice_counts<C: GenericClient>(
    c: &C,
    version: Option<&str>,
) -> Result<Vec<PolicyNoticeCount>, StoreError> {
    query_vec(
        c,
        "SELECT version, COUNT(*), COUNT(sent_at) FROM policy_notices \
         WHERE $1::text IS NULL OR version = $1 GROUP BY version ORDER BY version",
        &[&version],
        |r| {
            Ok(PolicyNoticeCount {
                version: r.col::<String>(0, "policy notice version")?,
                queued: u64::try_from(r.col::<i64>(1, "policy notice count")?)
                    .map_err(|_| StoreError::corrupt("policy notice count"))?,
                sent: u64::try_from(r.col::<i64>(2, "policy notice count")?)
                    .map_err(|_| StoreError::corrupt("policy notice count"))?,
            })
        },
    )
    .await
}
