//! API key records (SEC-05): only the SHA-256 hash of each secret is stored, looked up through
//! the unique `api_keys_by_hash` index.

use jiff::Timestamp;
use rusqlite::{Connection, Row, params};
use steward_store::values::store_precision;
use steward_store::{
    AccountId, ApiKeyId, ApiKeyRecord, ApiScope, ConflictReason, Digest, Entity, NewApiKey,
    StoreError, ValueError,
};

use super::account;
use crate::sql::{RowExt, db, exec, exec_raw, is_unique_violation, micros, query_opt, query_vec};

const COLS: &str = "id, name, hash, scopes, account, rate_per_sec, created_at, revoked_at";

fn decode(r: &Row<'_>) -> Result<ApiKeyRecord, StoreError> {
    let scopes = r
        .text_at(3, "api key scopes")?
        .split(' ')
        .map(|s| ApiScope::new(s).map_err(|_| StoreError::corrupt("api key scopes")))
        .collect::<Result<_, _>>()?;
    let rate_per_sec = r
        .opt_i64_at(5, "api key rate")?
        .map(|v| u32::try_from(v).map_err(|_| StoreError::corrupt("api key rate")))
        .transpose()?;
    Ok(ApiKeyRecord {
        id: ApiKeyId::from_bytes(r.id16_at(0, "api key id")?),
        name: r.key_at(1, "api key name")?,
        hash: r.digest_at(2)?,
        scopes,
        account: r.opt_id16_at(4, "account id")?.map(AccountId::from_bytes),
        rate_per_sec,
        created_at: r.time_at(6)?,
        revoked_at: r.opt_time_at(7)?,
    })
}

/// Scopes as stored: sorted (a `BTreeSet`), separated by one space (keys hold no spaces).
fn scopes_text(key: &NewApiKey) -> String {
    key.scopes
        .iter()
        .map(ApiScope::as_str)
        .collect::<Vec<_>>()
        .join(" ")
}

pub(crate) fn get(conn: &Connection, id: ApiKeyId) -> Result<Option<ApiKeyRecord>, StoreError> {
    query_opt(
        conn,
        &format!("SELECT {COLS} FROM api_keys WHERE id = ?1"),
        [id.to_bytes()],
        decode,
    )
}

pub(crate) fn require(conn: &Connection, id: ApiKeyId) -> Result<ApiKeyRecord, StoreError> {
    get(conn, id)?.ok_or(StoreError::NotFound(Entity::ApiKey))
}

fn same_content(stored: &ApiKeyRecord, key: &NewApiKey) -> bool {
    stored.name == key.name
        && stored.hash == key.hash
        && stored.scopes == key.scopes
        && stored.account == key.account
        && stored.rate_per_sec == key.rate_per_sec
        && stored.created_at == store_precision(key.created_at)
}

pub(crate) fn create(conn: &Connection, key: &NewApiKey) -> Result<ApiKeyRecord, StoreError> {
    if key.scopes.is_empty() {
        return Err(ValueError::new("api key scopes", "at least one scope").into());
    }
    if let Some(existing) = get(conn, key.id)? {
        return if same_content(&existing, key) {
            Ok(existing)
        } else {
            Err(StoreError::conflict(
                Entity::ApiKey,
                ConflictReason::DifferentContent,
            ))
        };
    }
    if let Some(a) = key.account
        && account::get(conn, a)?.is_none()
    {
        return Err(StoreError::NotFound(Entity::Account));
    }
    let inserted = exec_raw(
        conn,
        &format!("INSERT INTO api_keys ({COLS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, NULL)"),
        params![
            key.id.to_bytes(),
            key.name.as_str(),
            key.hash.0,
            scopes_text(key),
            key.account.map(|a| a.to_bytes()),
            key.rate_per_sec,
            micros(key.created_at),
        ],
    );
    match inserted {
        Ok(_) => require(conn, key.id),
        // The id was checked above inside this transaction, so the hash index is what failed.
        Err(e) if is_unique_violation(&e) => Err(StoreError::conflict(
            Entity::ApiKey,
            ConflictReason::KeyHashTaken,
        )),
        Err(e) => Err(db(e)),
    }
}

pub(crate) fn find_by_hash(
    conn: &Connection,
    hash: &Digest,
) -> Result<Option<ApiKeyRecord>, StoreError> {
    query_opt(
        conn,
        &format!("SELECT {COLS} FROM api_keys WHERE hash = ?1"),
        [hash.0],
        decode,
    )
}

pub(crate) fn list(conn: &Connection) -> Result<Vec<ApiKeyRecord>, StoreError> {
    query_vec(
        conn,
        &format!("SELECT {COLS} FROM api_keys ORDER BY created_at, id"),
        [],
        decode,
    )
}

pub(crate) fn revoke(
    conn: &Connection,
    id: ApiKeyId,
    at: Timestamp,
) -> Result<ApiKeyRecord, StoreError> {
    require(conn, id)?;
    exec(
        conn,
        "UPDATE api_keys SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL",
        params![id.to_bytes(), micros(at)],
    )?;
    require(conn, id)
}

pub(crate) fn count_active(conn: &Connection) -> Result<u64, StoreError> {
    let n = query_opt(
        conn,
        "SELECT COUNT(*) FROM api_keys WHERE revoked_at IS NULL",
        [],
        |r| r.i64_at(0, "count"),
    )?
    .unwrap_or(0);
    u64::try_from(n).map_err(|_| StoreError::corrupt("count"))
}
