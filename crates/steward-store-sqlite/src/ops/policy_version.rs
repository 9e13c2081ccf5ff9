//! The history of the policy text (CHG-01): one row per distinct text, by its SHA-256.

use rusqlite::{Connection, Row, params};
use steward_store::{Digest, NewPolicyVersion, PolicyVersionRecord, StoreError};

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
