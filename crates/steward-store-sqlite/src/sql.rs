//! Row decoding and error mapping shared by every operation.
//!
//! Column values that do not decode (a key with forbidden characters, a 15-byte id, an unknown
//! enum code) become `StoreError::Corrupt`: the database was edited outside Steward.

use jiff::Timestamp;
use rusqlite::types::ValueRef;
use rusqlite::{Connection, Params, Row};
use steward_store::values::{from_micros, to_micros};
use steward_store::{Digest, StoreError, ValueError};

/// Wraps a driver error.
pub(crate) fn db(e: rusqlite::Error) -> StoreError {
    StoreError::backend(e)
}

/// A time as stored.
pub(crate) fn micros(ts: Timestamp) -> i64 {
    to_micros(ts)
}

/// An optional time as stored.
pub(crate) fn opt_micros(ts: Option<Timestamp>) -> Option<i64> {
    ts.map(to_micros)
}

/// Whether the error is a violation of a UNIQUE index.
pub(crate) fn is_unique_violation(e: &rusqlite::Error) -> bool {
    e.sqlite_extended_error_code() == Some(rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE)
}

/// Whether the error is a violation of a PRIMARY KEY.
pub(crate) fn is_pk_violation(e: &rusqlite::Error) -> bool {
    e.sqlite_extended_error_code() == Some(rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY)
}

/// Typed column access returning `StoreError`.
pub(crate) trait RowExt {
    fn value(&self, i: usize) -> Result<ValueRef<'_>, StoreError>;

    fn i64_at(&self, i: usize, what: &'static str) -> Result<i64, StoreError> {
        self.value(i)?
            .as_i64()
            .map_err(|_| StoreError::corrupt(what))
    }
    fn opt_i64_at(&self, i: usize, what: &'static str) -> Result<Option<i64>, StoreError> {
        self.value(i)?
            .as_i64_or_null()
            .map_err(|_| StoreError::corrupt(what))
    }
    fn time_at(&self, i: usize) -> Result<Timestamp, StoreError> {
        from_micros(self.i64_at(i, "timestamp")?)
    }
    fn opt_time_at(&self, i: usize) -> Result<Option<Timestamp>, StoreError> {
        self.opt_i64_at(i, "timestamp")?
            .map(from_micros)
            .transpose()
    }
    fn blob_at(&self, i: usize, what: &'static str) -> Result<&[u8], StoreError> {
        self.value(i)?
            .as_blob()
            .map_err(|_| StoreError::corrupt(what))
    }
    fn opt_blob_at(&self, i: usize, what: &'static str) -> Result<Option<&[u8]>, StoreError> {
        self.value(i)?
            .as_blob_or_null()
            .map_err(|_| StoreError::corrupt(what))
    }
    fn id16_at(&self, i: usize, what: &'static str) -> Result<[u8; 16], StoreError> {
        self.blob_at(i, what)?
            .try_into()
            .map_err(|_| StoreError::corrupt(what))
    }
    fn opt_id16_at(&self, i: usize, what: &'static str) -> Result<Option<[u8; 16]>, StoreError> {
        self.opt_blob_at(i, what)?
            .map(|b| b.try_into().map_err(|_| StoreError::corrupt(what)))
            .transpose()
    }
    fn digest_at(&self, i: usize) -> Result<Digest, StoreError> {
        Digest::from_slice(self.blob_at(i, "digest")?).map_err(|_| StoreError::corrupt("digest"))
    }
    fn opt_digest_at(&self, i: usize) -> Result<Option<Digest>, StoreError> {
        self.opt_blob_at(i, "digest")?
            .map(|b| Digest::from_slice(b).map_err(|_| StoreError::corrupt("digest")))
            .transpose()
    }
    fn text_at(&self, i: usize, what: &'static str) -> Result<&str, StoreError> {
        self.value(i)?
            .as_str()
            .map_err(|_| StoreError::corrupt(what))
    }
    fn key_at<K>(&self, i: usize, what: &'static str) -> Result<K, StoreError>
    where
        K: for<'a> TryFrom<&'a str, Error = ValueError>,
    {
        K::try_from(self.text_at(i, what)?).map_err(|_| StoreError::corrupt(what))
    }
    fn opt_key_at<K>(&self, i: usize, what: &'static str) -> Result<Option<K>, StoreError>
    where
        K: for<'a> TryFrom<&'a str, Error = ValueError>,
    {
        self.value(i)?
            .as_str_or_null()
            .map_err(|_| StoreError::corrupt(what))?
            .map(|s| K::try_from(s).map_err(|_| StoreError::corrupt(what)))
            .transpose()
    }
    fn code_at(&self, i: usize, what: &'static str) -> Result<u8, StoreError> {
        u8::try_from(self.i64_at(i, what)?).map_err(|_| StoreError::corrupt(what))
    }
    fn opt_code_at(&self, i: usize, what: &'static str) -> Result<Option<u8>, StoreError> {
        self.opt_i64_at(i, what)?
            .map(|v| u8::try_from(v).map_err(|_| StoreError::corrupt(what)))
            .transpose()
    }
}

impl RowExt for Row<'_> {
    fn value(&self, i: usize) -> Result<ValueRef<'_>, StoreError> {
        self.get_ref(i).map_err(db)
    }
}

/// Runs a cached query and decodes every row.
pub(crate) fn query_vec<T, P: Params>(
    conn: &Connection,
    sql: &str,
    params: P,
    mut decode: impl FnMut(&Row<'_>) -> Result<T, StoreError>,
) -> Result<Vec<T>, StoreError> {
    let mut stmt = conn.prepare_cached(sql).map_err(db)?;
    let mut rows = stmt.query(params).map_err(db)?;
    let mut out = Vec::new();
    while let Some(row) = rows.next().map_err(db)? {
        out.push(decode(row)?);
    }
    Ok(out)
}

/// Runs a cached query and decodes the first row, if any.
pub(crate) fn query_opt<T, P: Params>(
    conn: &Connection,
    sql: &str,
    params: P,
    decode: impl FnOnce(&Row<'_>) -> Result<T, StoreError>,
) -> Result<Option<T>, StoreError> {
    let mut stmt = conn.prepare_cached(sql).map_err(db)?;
    let mut rows = stmt.query(params).map_err(db)?;
    match rows.next().map_err(db)? {
        Some(row) => Ok(Some(decode(row)?)),
        None => Ok(None),
    }
}

/// Runs a cached statement; returns the number of changed rows.
pub(crate) fn exec<P: Params>(
    conn: &Connection,
    sql: &str,
    params: P,
) -> Result<usize, StoreError> {
    conn.prepare_cached(sql)
        .map_err(db)?
        .execute(params)
        .map_err(db)
}

/// Runs a cached statement, keeping the driver error (to inspect constraint violations).
pub(crate) fn exec_raw<P: Params>(
    conn: &Connection,
    sql: &str,
    params: P,
) -> Result<usize, rusqlite::Error> {
    conn.prepare_cached(sql)?.execute(params)
}
