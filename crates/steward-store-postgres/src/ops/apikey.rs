//! API key records (SEC-05): only the SHA-256 hash of each secret is stored, looked up through
//! the unique `api_keys_by_hash` index.

use deadpool_postgres::GenericClient;
use jiff::Timestamp;
use steward_store::values::store_precision;
use steward_store::{
    AccountId, ApiKeyId, ApiKeyRecord, ApiScope, ConflictReason, Digest, Entity, NewApiKey,
    StoreError, ValueError,
};
use tokio_postgres::Row;
use tokio_postgres::error::SqlState;

use super::account;
use crate::sql::{PgTime, RowExt, constraint, exec, exec_raw, is_state, pg, query_opt, query_vec};

const COLS: &str = "id, name, hash, scopes, account, rate_per_sec, created_at, revoked_at";

fn decode(r: &Row) -> Result<ApiKeyRecord, StoreError> {
    let scopes = r
        .col::<Vec<&str>>(3, "api key scopes")?
        .into_iter()
        .map(|s| ApiScope::new(s).map_err(|_| StoreError::corrupt("api key scopes")))
        .collect::<Result<_, _>>()?;
    let rate_per_sec = r
        .col::<Option<i64>>(5, "api key rate")?
        .map(|v| u32::try_from(v).map_err(|_| StoreError::corrupt("api key rate")))
        .transpose()?;
    Ok(ApiKeyRecord {
        id: ApiKeyId::from_uuid(r.uuid(0, "api key id")?),
        name: r.key(1, "api key name")?,
        hash: r.digest(2)?,
        scopes,
        account: r.opt_uuid(4, "account id")?.map(AccountId::from_uuid),
        rate_per_sec,
        created_at: r.time(6)?,
        revoked_at: r.opt_time(7)?,
    })
}

pub(crate) async fn get<C: GenericClient>(
    c: &C,
    id: ApiKeyId,
) -> Result<Option<ApiKeyRecord>, StoreError> {
    query_opt(
        c,
        &format!("SELECT {COLS} FROM api_keys WHERE id = $1"),
        &[&id.as_uuid()],
        decode,
    )
    .await
}

pub(crate) async fn require<C: GenericClient>(
    c: &C,
    id: ApiKeyId,
) -> Result<ApiKeyRecord, StoreError> {
    get(c, id)
        .await?
        .ok_or(StoreError::NotFound(Entity::ApiKey))
}

fn same_content(stored: ApiKeyRecord, key: &NewApiKey) -> Result<ApiKeyRecord, StoreError> {
    let same = stored.name == key.name
        && stored.hash == key.hash
        && stored.scopes == key.scopes
        && stored.account == key.account
        && stored.rate_per_sec == key.rate_per_sec
        && stored.created_at == store_precision(key.created_at);
    if same {
        Ok(stored)
    } else {
        Err(StoreError::conflict(
            Entity::ApiKey,
            ConflictReason::DifferentContent,
        ))
    }
}

pub(crate) async fn create<C: GenericClient>(
    tx: &C,
    key: &NewApiKey,
) -> Result<ApiKeyRecord, StoreError> {
    if key.scopes.is_empty() {
        return Err(ValueError::new("api key scopes", "at least one scope").into());
    }
    if let Some(existing) = get(tx, key.id).await? {
        return same_content(existing, key);
    }
    if let Some(a) = key.account
        && account::get(tx, a).await?.is_none()
    {
        return Err(StoreError::NotFound(Entity::Account));
    }
    // The scopes are a BTreeSet: stored sorted, so equal sets compare equal.
    let scopes: Vec<&str> = key.scopes.iter().map(ApiScope::as_str).collect();
    let inserted = exec_raw(
        tx,
        &format!(
            "INSERT INTO api_keys ({COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, NULL) \
             ON CONFLICT (id) DO NOTHING"
        ),
        &[
            &key.id.as_uuid(),
            &key.name.as_str(),
            &key.hash.as_bytes().as_slice(),
            &scopes,
            &key.account.map(|a| a.as_uuid()),
            &key.rate_per_sec.map(i64::from),
            &PgTime::of(key.created_at),
        ],
    )
    .await;
    match inserted {
        Ok(1) => require(tx, key.id).await,
        // A concurrent create of the same id won.
        Ok(_) => same_content(require(tx, key.id).await?, key),
        Err(e)
            if is_state(&e, &SqlState::UNIQUE_VIOLATION)
                && constraint(&e) == Some("api_keys_by_hash") =>
        {
            Err(StoreError::conflict(
                Entity::ApiKey,
                ConflictReason::KeyHashTaken,
            ))
        }
        Err(e) if is_state(&e, &SqlState::FOREIGN_KEY_VIOLATION) => {
            Err(StoreError::NotFound(Entity::Account))
        }
        Err(e) => Err(pg(e)),
    }
}

pub(crate) async fn find_by_hash<C: GenericClient>(
    c: &C,
    hash: &Digest,
) -> Result<Option<ApiKeyRecord>, StoreError> {
    query_opt(
        c,
        &format!("SELECT {COLS} FROM api_keys WHERE hash = $1"),
        &[&hash.as_bytes().as_slice()],
        decode,
    )
    .await
}

pub(crate) async fn list<C: GenericClient>(c: &C) -> Result<Vec<ApiKeyRecord>, StoreError> {
    query_vec(
        c,
        &format!("SELECT {COLS} FROM api_keys ORDER BY created_at, id"),
        &[],
        decode,
    )
    .await
}

pub(crate) async fn revoke<C: GenericClient>(
    c: &C,
    id: ApiKeyId,
    at: Timestamp,
) -> Result<ApiKeyRecord, StoreError> {
    exec(
        c,
        "UPDATE api_keys SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL",
        &[&id.as_uuid(), &PgTime::of(at)],
    )
    .await?;
    require(c, id).await
}

pub(crate) async fn count_active<C: GenericClient>(c: &C) -> Result<u64, StoreError> {
    let n = query_opt(
        c,
        "SELECT COUNT(*) FROM api_keys WHERE revoked_at IS NULL",
        &[],
        |r| r.col::<i64>(0, "count"),
    )
    .await?
    .unwrap_or(0);
    u64::try_from(n).map_err(|_| StoreError::corrupt("count"))
}
