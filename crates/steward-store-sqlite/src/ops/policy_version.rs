//! The history of the policy text (CHG-01): one row per distinct text, by its SHA-256; and
//! the change notices of material versions, one per subject and version (CHG-04).

use jiff::Timestamp;
use rusqlite::{Connection, Row, params};
use steward_store::{
    Digest, NewPolicyVersion, NoticeAudience, PolicyNoticeCount, PolicyNoticeRecord,
    PolicyVersionRecord, StoreError, SubjectId,
};

use crate::sql::{RowExt, exec, micros, query_opt, query_vec};

const COLS: &str = "seq, version, effective, sha256, text, recorded_at, changes, material";

fn decode(r: &Row<'_>) -> Result<PolicyVersionRecord, StoreError> {
    Ok(PolicyVersionRecord {
        seq: u64::try_from(r.i64_at(0, "policy version seq")?)
            .map_err(|_| StoreError::corrupt("policy version seq"))?,
        version: r.text_at(1, "policy version")?.to_owned(),
        effective: r.text_at(2, "policy effective date")?.to_owned(),
        sha256: r.digest_at(3)?,
        text: r.text_at(4, "policy text")?.to_owned(),
        recorded_at: r.time_at(5)?,
        changes: r.text_at(6, "policy changes")?.to_owned(),
        material: r.i64_at(7, "policy material")? != 0,
    })
}

fn by_hash(conn: &Connection, sha: &Digest) -> Result<Option<PolicyVersionRecord>, StoreError> {
    query_opt(
        conn,
        &format!("SELECT {COLS} FROM policy_versions WHERE sha256 = ?1"),
        [sha.0],
        decode,
    )
}

pub(crate) fn record(
    conn: &Connection,
    v: &NewPolicyVersion,
) -> Result<PolicyVersionRecord, StoreError> {
    if let Some(existing) = by_hash(conn, &v.sha256)? {
        return Ok(existing);
    }
    exec(
        conn,
        "INSERT INTO policy_versions (sha256, version, effective, text, changes, material, recorded_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            v.sha256.0,
            v.version,
            v.effective,
            v.text,
            v.changes,
            i64::from(v.material),
            micros(v.recorded_at),
        ],
    )?;
    by_hash(conn, &v.sha256)?.ok_or_else(|| StoreError::corrupt("policy version"))
}

pub(crate) fn list(conn: &Connection) -> Result<Vec<PolicyVersionRecord>, StoreError> {
    query_vec(
        conn,
        &format!("SELECT {COLS} FROM policy_versions ORDER BY seq DESC"),
        [],
        decode,
    )
}

pub(crate) fn get(
    conn: &Connection,
    version: &str,
) -> Result<Option<PolicyVersionRecord>, StoreError> {
    query_opt(
        conn,
        &format!("SELECT {COLS} FROM policy_versions WHERE version = ?1 ORDER BY seq DESC LIMIT 1"),
        [version],
        decode,
    )
}

const NOTICE_COLS: &str = "subject, version, notice_hash, queued_at, lease_until, sent_at";

fn decode_notice(r: &Row<'_>) -> Result<PolicyNoticeRecord, StoreError> {
    Ok(PolicyNoticeRecord {
        subject: SubjectId::from_bytes(r.id16_at(0, "subject id")?),
        version: r.text_at(1, "policy version")?.to_owned(),
        notice_hash: r.digest_at(2)?,
        queued_at: r.time_at(3)?,
        lease_until: r.opt_time_at(4)?,
        sent_at: r.opt_time_at(5)?,
    })
}

/// CHG-04: one notice per affected live subject and version (`OR IGNORE` keeps a row queued
/// before, sent or not).
pub(crate) fn queue_notices(conn: &Connection, a: &NoticeAudience) -> Result<u64, StoreError> {
    let mut n = 0;
    for c in &a.categories {
        n += exec(
            conn,
            "INSERT OR IGNORE INTO policy_notices (subject, version, notice_hash, queued_at) \
             SELECT DISTINCT i.subject, ?1, ?2, ?3 FROM items i JOIN subjects s ON s.id = i.subject \
             WHERE i.category = ?4 AND i.erased_at IS NULL AND s.erased_at IS NULL",
            params![a.version, a.notice_hash.0, micros(a.at), c.as_str()],
        )?;
    }
    for k in &a.choice_keys {
        n += exec(
            conn,
            "INSERT OR IGNORE INTO policy_notices (subject, version, notice_hash, queued_at) \
             SELECT DISTINCT c.party, ?1, ?2, ?3 FROM choices c JOIN subjects s ON s.id = c.party \
             WHERE c.party_kind = 0 AND c.key = ?4 AND s.erased_at IS NULL",
            params![a.version, a.notice_hash.0, micros(a.at), k.as_str()],
        )?;
    }
    Ok(n as u64)
}

pub(crate) fn claim_notices(
    conn: &Connection,
    now: Timestamp,
    lease_until: Timestamp,
    limit: u32,
) -> Result<Vec<PolicyNoticeRecord>, StoreError> {
    let due = query_vec(
        conn,
        &format!(
            "SELECT {NOTICE_COLS} FROM policy_notices WHERE sent_at IS NULL \
             AND (lease_until IS NULL OR lease_until <= ?1) ORDER BY queued_at, subject LIMIT ?2"
        ),
        params![micros(now), i64::from(limit.clamp(1, 10_000))],
        decode_notice,
    )?;
    let mut out = Vec::with_capacity(due.len());
    for mut n in due {
        exec(
            conn,
            "UPDATE policy_notices SET lease_until = ?3 WHERE subject = ?1 AND version = ?2",
            params![n.subject.to_bytes(), n.version, micros(lease_until)],
        )?;
        n.lease_until = Some(steward_store::values::store_precision(lease_until));
        out.push(n);
    }
    Ok(out)
}

pub(crate) fn mark_notice_sent(
    conn: &Connection,
    subject: SubjectId,
    version: &str,
    notice_hash: &Digest,
    at: Timestamp,
) -> Result<bool, StoreError> {
    exec(
        conn,
        "INSERT OR IGNORE INTO policy_notices (subject, version, notice_hash, queued_at) \
         VALUES (?1, ?2, ?3, ?4)",
        params![subject.to_bytes(), version, notice_hash.0, micros(at)],
    )?;
    let n = exec(
        conn,
        "UPDATE policy_notices SET sent_at = ?3, lease_until = NULL \
         WHERE subject = ?1 AND version = ?2 AND sent_at IS NULL",
        params![subject.to_bytes(), version, micros(at)],
    )?;
    Ok(n > 0)
}

pub(crate) fn notices_of(
    conn: &Connection,
    subject: SubjectId,
) -> Result<Vec<PolicyNoticeRecord>, StoreError> {
    query_vec(
        conn,
        &format!(
            "SELECT {NOTICE_COLS} FROM policy_notices WHERE subject = ?1 ORDER BY queued_at, version"
        ),
        [subject.to_bytes()],
        decode_notice,
    )
}

/// Queued and sent notices per version (all versions, or one), by version string.
pub(crate) fn notice_counts(
    conn: &Connection,
    version: Option<&str>,
) -> Result<Vec<PolicyNoticeCount>, StoreError> {
    query_vec(
        conn,
        "SELECT version, COUNT(*), COUNT(sent_at) FROM policy_notices \
         WHERE ?1 IS NULL OR version = ?1 GROUP BY version ORDER BY version",
        [version],
        |r| {
            Ok(PolicyNoticeCount {
                version: r.text_at(0, "policy notice version")?.to_owned(),
                queued: u64::try_from(r.i64_at(1, "policy notice count")?)
                    .map_err(|_| StoreError::corrupt("policy notice count"))?,
                sent: u64::try_from(r.i64_at(2, "policy notice count")?)
                    .map_err(|_| StoreError::corrupt("policy notice count"))?,
            })
        },
    )
}
