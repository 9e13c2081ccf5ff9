//! The history of the policy text (CHG-01): one row per distinct text, by its SHA-256.

use deadpool_postgres::GenericClient;
use steward_store::{Digest, NewPolicyVersion, PolicyVersionRecord, StoreError};
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
