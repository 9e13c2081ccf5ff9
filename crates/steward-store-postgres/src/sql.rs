//! Column types, row decoding, error mapping and statement helpers shared by every operation.
//!
//! Ids are PostgreSQL `uuid` (16 bytes, compared with `memcmp`, so `ORDER BY id` matches the
//! Rust order of the ids), times `timestamptz` (microseconds, exactly the store's precision),
//! enum codes `smallint`, policy vocabulary `text COLLATE "C"`. A column value that does not
//! decode (a key with forbidden characters, an unknown enum code, an infinite time) becomes
//! `StoreError::Corrupt`: the database was edited outside Steward.

use std::error::Error as StdError;

use deadpool_postgres::GenericClient;
use jiff::Timestamp;
use steward_store::values::{from_micros, to_micros};
use steward_store::{Digest, StoreError, ValueError};
use tokio_postgres::Row;
use tokio_postgres::error::SqlState;
use tokio_postgres::types::{FromSql, IsNull, ToSql, Type, to_sql_checked};

/// Microseconds between the Unix epoch and PostgreSQL's epoch (2000-01-01 00:00:00 UTC).
const PG_EPOCH_OFFSET_MICROS: i64 = 946_684_800_000_000;

/// A `timestamptz` exchanged exactly: microseconds since the Unix epoch.
///
/// On the wire a `timestamptz` is an `i64` of microseconds since 2000-01-01, so the store's
/// microsecond precision survives a round trip bit for bit (idempotency compares equal).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PgTime(pub(crate) i64);

impl PgTime {
    pub(crate) fn of(ts: Timestamp) -> Self {
        PgTime(to_micros(ts))
    }

    pub(crate) fn opt(ts: Option<Timestamp>) -> Option<Self> {
        ts.map(Self::of)
    }

    pub(crate) fn timestamp(self) -> Result<Timestamp, StoreError> {
        from_micros(self.0)
    }
}

impl ToSql for PgTime {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut tokio_postgres::types::private::BytesMut,
    ) -> Result<IsNull, Box<dyn StdError + Sync + Send>> {
        let pg = self
            .0
            .checked_sub(PG_EPOCH_OFFSET_MICROS)
            .ok_or("timestamp out of range")?;
        // The wire format of timestamptz is the wire format of int8.
        pg.to_sql(ty, out)
    }

    fn accepts(ty: &Type) -> bool {
        *ty == Type::TIMESTAMPTZ
    }

    to_sql_checked!();
}

impl<'a> FromSql<'a> for PgTime {
    fn from_sql(ty: &Type, raw: &'a [u8]) -> Result<Self, Box<dyn StdError + Sync + Send>> {
        let pg = i64::from_sql(ty, raw)?;
        // `infinity` / `-infinity` are i64::MAX / i64::MIN: out of range, refused here.
        let unix = pg
            .checked_add(PG_EPOCH_OFFSET_MICROS)
            .ok_or("timestamp out of range")?;
        Ok(PgTime(unix))
    }

    fn accepts(ty: &Type) -> bool {
        *ty == Type::TIMESTAMPTZ
    }
}

/// Wraps a driver error.
pub(crate) fn pg(e: tokio_postgres::Error) -> StoreError {
    StoreError::backend(e)
}

/// Wraps a pool error (no connection available, connect failed ...).
pub(crate) fn pool(e: deadpool_postgres::PoolError) -> StoreError {
    StoreError::backend(e)
}

/// Whether the error is this SQLSTATE.
pub(crate) fn is_state(e: &tokio_postgres::Error, state: &SqlState) -> bool {
    e.code() == Some(state)
}

/// The name of the violated constraint, if the error is a constraint violation.
pub(crate) fn constraint(e: &tokio_postgres::Error) -> Option<&str> {
    e.as_db_error().and_then(|d| d.constraint())
}

/// Typed column access returning `StoreError::Corrupt` for values that do not decode.
pub(crate) trait RowExt {
    fn col<'a, T: FromSql<'a>>(&'a self, i: usize, what: &'static str) -> Result<T, StoreError>;

    fn time(&self, i: usize) -> Result<Timestamp, StoreError> {
        self.col::<PgTime>(i, "timestamp")?.timestamp()
    }
    fn opt_time(&self, i: usize) -> Result<Option<Timestamp>, StoreError> {
        self.col::<Option<PgTime>>(i, "timestamp")?
            .map(PgTime::timestamp)
            .transpose()
    }
    fn uuid(&self, i: usize, what: &'static str) -> Result<uuid::Uuid, StoreError> {
        self.col(i, what)
    }
    fn opt_uuid(&self, i: usize, what: &'static str) -> Result<Option<uuid::Uuid>, StoreError> {
        self.col(i, what)
    }
    fn code(&self, i: usize, what: &'static str) -> Result<u8, StoreError> {
        u8::try_from(self.col::<i16>(i, what)?).map_err(|_| StoreError::corrupt(what))
    }
    fn opt_code(&self, i: usize, what: &'static str) -> Result<Option<u8>, StoreError> {
        self.col::<Option<i16>>(i, what)?
            .map(|v| u8::try_from(v).map_err(|_| StoreError::corrupt(what)))
            .transpose()
    }
    fn digest(&self, i: usize) -> Result<Digest, StoreError> {
        Digest::from_slice(self.col::<&[u8]>(i, "digest")?)
            .map_err(|_| StoreError::corrupt("digest"))
    }
    fn opt_digest(&self, i: usize) -> Result<Option<Digest>, StoreError> {
        self.col::<Option<&[u8]>>(i, "digest")?
            .map(|b| Digest::from_slice(b).map_err(|_| StoreError::corrupt("digest")))
            .transpose()
    }
    fn key<K>(&self, i: usize, what: &'static str) -> Result<K, StoreError>
    where
        K: for<'b> TryFrom<&'b str, Error = ValueError>,
    {
        K::try_from(self.col::<&str>(i, what)?).map_err(|_| StoreError::corrupt(what))
    }
    fn opt_key<K>(&self, i: usize, what: &'static str) -> Result<Option<K>, StoreError>
    where
        K: for<'b> TryFrom<&'b str, Error = ValueError>,
    {
        self.col::<Option<&str>>(i, what)?
            .map(|s| K::try_from(s).map_err(|_| StoreError::corrupt(what)))
            .transpose()
    }
}

impl RowExt for Row {
    fn col<'a, T: FromSql<'a>>(&'a self, i: usize, what: &'static str) -> Result<T, StoreError> {
        self.try_get(i).map_err(|_| StoreError::corrupt(what))
    }
}

/// The columns of `row` from `base` on, seen as a row of their own: one record's group of
/// columns in a wider row (a query answering several record kinds at once).
pub(crate) struct At<'r> {
    pub(crate) row: &'r Row,
    pub(crate) base: usize,
}

impl RowExt for At<'_> {
    fn col<'a, T: FromSql<'a>>(&'a self, i: usize, what: &'static str) -> Result<T, StoreError> {
        self.row
            .try_get(self.base + i)
            .map_err(|_| StoreError::corrupt(what))
    }
}

/// Parameters of a statement.
pub(crate) type Params<'a> = [&'a (dyn ToSql + Sync)];

/// Runs a cached prepared query and decodes every row.
pub(crate) async fn query_vec<C, T>(
    c: &C,
    sql: &str,
    params: &Params<'_>,
    decode: impl Fn(&Row) -> Result<T, StoreError>,
) -> Result<Vec<T>, StoreError>
where
    C: GenericClient,
{
    let st = c.prepare_cached(sql).await.map_err(pg)?;
    let rows = c.query(&st, params).await.map_err(pg)?;
    rows.iter().map(decode).collect()
}

/// Runs a cached prepared query and decodes the first row, if any.
pub(crate) async fn query_opt<C, T>(
    c: &C,
    sql: &str,
    params: &Params<'_>,
    decode: impl FnOnce(&Row) -> Result<T, StoreError>,
) -> Result<Option<T>, StoreError>
where
    C: GenericClient,
{
    let st = c.prepare_cached(sql).await.map_err(pg)?;
    match c.query_opt(&st, params).await.map_err(pg)? {
        Some(row) => Ok(Some(decode(&row)?)),
        None => Ok(None),
    }
}

/// Runs a cached prepared statement; returns the number of rows changed.
pub(crate) async fn exec<C: GenericClient>(
    c: &C,
    sql: &str,
    params: &Params<'_>,
) -> Result<u64, StoreError> {
    exec_raw(c, sql, params).await.map_err(pg)
}

/// Runs a cached prepared statement, keeping the driver error (to inspect constraint violations).
pub(crate) async fn exec_raw<C: GenericClient>(
    c: &C,
    sql: &str,
    params: &Params<'_>,
) -> Result<u64, tokio_postgres::Error> {
    let st = c.prepare_cached(sql).await?;
    c.execute(&st, params).await
}

/// An `i64` for a sequence number or count column.
pub(crate) fn i64_of(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

/// An `i16` for an enum code column.
pub(crate) fn i16_of(code: u8) -> i16 {
    i16::from(code)
}

/// A lookup of rows by uuids, in two texts: `any` takes `$1` as `uuid[]`, `one` the same
/// query with `= $1` for one `uuid`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct AnySql {
    /// With `= ANY($1)`.
    pub(crate) any: &'static str,
    /// With `= $1`.
    pub(crate) one: &'static str,
}

/// A lookup by uuids on a growing table that never runs on a stale generic plan. PostgreSQL
/// switches a prepared statement to a generic plan after five executions when that plan looks
/// no dearer; made while the table is small (every fresh database), the generic plan of an
/// `= ANY($1)` lookup is a sequential scan, and it stays cached while the table grows: each
/// audit append read the whole log, and the audit path of a fresh PostgreSQL store fell to a
/// tenth of its speed within a minute. So one id goes through a prepared `= $1` (whose generic
/// plan is the unique index, as a custom plan would be), and several through an unnamed
/// statement planned with the ids it is given. One round trip either way.
pub(crate) trait AnyLookup {
    /// The rows of `sql` for `ids`.
    fn any_lookup(
        &self,
        sql: AnySql,
        ids: &[uuid::Uuid],
    ) -> impl std::future::Future<Output = Result<Vec<Row>, tokio_postgres::Error>> + Send;
}

impl AnyLookup for deadpool_postgres::Client {
    async fn any_lookup(
        &self,
        sql: AnySql,
        ids: &[uuid::Uuid],
    ) -> Result<Vec<Row>, tokio_postgres::Error> {
        if let [one] = ids {
            let st = self.prepare_cached(sql.one).await?;
            return self.query(&st, &[one]).await;
        }
        let client: &tokio_postgres::Client = self;
        client
            .query_typed(sql.any, &[(&ids, Type::UUID_ARRAY)])
            .await
    }
}

impl AnyLookup for deadpool_postgres::Transaction<'_> {
    async fn any_lookup(
        &self,
        sql: AnySql,
        ids: &[uuid::Uuid],
    ) -> Result<Vec<Row>, tokio_postgres::Error> {
        if let [one] = ids {
            let st = self.prepare_cached(sql.one).await?;
            return self.query(&st, &[one]).await;
        }
        let tx: &tokio_postgres::Transaction<'_> = self;
        tx.query_typed(sql.any, &[(&ids, Type::UUID_ARRAY)]).await
    }
}
