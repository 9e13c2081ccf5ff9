//! The SQLite dataset connector: the connection string is the database file's path (a
//! leading `sqlite://` is accepted); statements run on a blocking thread.

use async_trait::async_trait;
use rusqlite::{Connection, OpenFlags, TransactionBehavior};
use steward_requests::DatasetConnector;
use steward_requests::connectors::{
    Dataset, DatasetOutcome, DatasetRows, Identities, TableOutcome, TableRows, scrub,
};
use steward_requests::effects::{ConnectorError, ConnectorErrorCode};
use steward_store::model::request::ConnectorKind;
use steward_vault::Sensitive;

use super::{Dialect, Sql, erase_sql, read_sql, redact_message, verify_sql};

/// Erases (and reads) subjects' rows in SQLite databases of the company.
#[derive(Debug, Clone, Copy, Default)]
pub struct SqliteConnector;

fn sqlite_err(e: &rusqlite::Error) -> ConnectorError {
    ConnectorError::new(ConnectorErrorCode::Sql, redact_message(&e.to_string()))
}

/// The parameters of `sql`: each a JSON array of the identity values (read by `json_each`).
fn params(sql: &Sql, ids: &Identities) -> Vec<String> {
    sql.values(ids)
        .into_iter()
        .map(|v| serde_json::Value::from(v).to_string())
        .collect()
}

fn path_of(connection: &Sensitive<String>) -> String {
    connection
        .expose()
        .trim_start_matches("sqlite://")
        .to_string()
}

fn count(conn: &Connection, sql: &Sql, ids: &Identities) -> Result<u64, ConnectorError> {
    let n: i64 = conn
        .query_row(
            &sql.text,
            rusqlite::params_from_iter(params(sql, ids)),
            |r| r.get(0),
        )
        .map_err(|e| sqlite_err(&e))?;
    Ok(u64::try_from(n).unwrap_or(0))
}

/// Erases the subject's rows (blocking).
fn erase(path: &str, ds: &Dataset, ids: &Identities) -> Result<DatasetOutcome, ConnectorError> {
    let mut conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| {
        ConnectorError::new(ConnectorErrorCode::Connect, redact_message(&e.to_string()))
    })?;
    conn.busy_timeout(std::time::Duration::from_secs(5))
        .map_err(|e| sqlite_err(&e))?;
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(|e| sqlite_err(&e))?;
    let mut tables = Vec::with_capacity(ds.order.len());
    for &i in &ds.order {
        let t = &ds.annotation.tables[i];
        let sql = erase_sql(ds, t, Dialect::Sqlite);
        let rows = tx
            .execute(&sql.text, rusqlite::params_from_iter(params(&sql, ids)))
            .map_err(|e| sqlite_err(&e))?;
        let left = count(&tx, &verify_sql(ds, t, Dialect::Sqlite), ids)?;
        if left > 0 {
            return Err(ConnectorError::new(
                ConnectorErrorCode::Verify,
                format!(
                    "{left} row(s) of `{}` still match after the erasure",
                    t.name
                ),
            ));
        }
        tables.push(TableOutcome {
            table: t.name.clone(),
            action: t.action.as_str().to_string(),
            rows: rows as u64,
        });
    }
    tx.commit().map_err(|e| sqlite_err(&e))?;
    // Re-query after commit: what another writer could not have hidden from us.
    let mut remaining = 0u64;
    for &i in &ds.order {
        let t = &ds.annotation.tables[i];
        remaining += count(&conn, &verify_sql(ds, t, Dialect::Sqlite), ids)?;
    }
    Ok(DatasetOutcome { tables, remaining })
}

/// Reads the subject's rows (blocking), on a connection opened read-only.
fn read(path: &str, ds: &Dataset, ids: &Identities) -> Result<DatasetRows, ConnectorError> {
    // SECURITY: read-only at the connection: no statement of this path can write.
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| {
        ConnectorError::new(ConnectorErrorCode::Connect, redact_message(&e.to_string()))
    })?;
    conn.busy_timeout(std::time::Duration::from_secs(5))
        .map_err(|e| sqlite_err(&e))?;
    let mut tables = Vec::new();
    for (t, columns) in ds.readable() {
        let sql = read_sql(ds, t, &columns, Dialect::Sqlite);
        let mut stmt = conn.prepare(&sql.text).map_err(|e| sqlite_err(&e))?;
        let mut rows: Vec<Vec<Option<String>>> = stmt
            .query_map(rusqlite::params_from_iter(params(&sql, ids)), |r| {
                (0..columns.len())
                    .map(|i| r.get::<_, Option<String>>(i))
                    .collect::<Result<Vec<_>, _>>()
            })
            .map_err(|e| sqlite_err(&e))?
            .collect::<Result<_, _>>()
            .map_err(|e| sqlite_err(&e))?;
        rows.sort();
        tables.push(TableRows {
            table: t.name.clone(),
            columns,
            rows,
        });
    }
    Ok(DatasetRows { tables })
}

#[async_trait]
impl DatasetConnector for SqliteConnector {
    fn kind(&self) -> ConnectorKind {
        ConnectorKind::SqliteDataset
    }

    async fn erase(
        &self,
        connection: &Sensitive<String>,
        dataset: &Dataset,
        ids: &Identities,
    ) -> Result<DatasetOutcome, ConnectorError> {
        let (path, ds, ids) = (path_of(connection), dataset.clone(), ids.clone());
        let scrub_ids = ids.clone();
        tokio::task::spawn_blocking(move || erase(&path, &ds, &ids))
            .await
            .unwrap_or_else(|_| {
                Err(ConnectorError::new(
                    ConnectorErrorCode::Connect,
                    "the connector task stopped",
                ))
            })
            .map_err(|e| scrub(e, &scrub_ids))
    }

    async fn read(
        &self,
        connection: &Sensitive<String>,
        dataset: &Dataset,
        ids: &Identities,
    ) -> Result<DatasetRows, ConnectorError> {
        let (path, ds, ids) = (path_of(connection), dataset.clone(), ids.clone());
        let scrub_ids = ids.clone();
        tokio::task::spawn_blocking(move || read(&path, &ds, &ids))
            .await
            .unwrap_or_else(|_| {
                Err(ConnectorError::new(
                    ConnectorErrorCode::Connect,
                    "the connector task stopped",
                ))
            })
            .map_err(|e| scrub(e, &scrub_ids))
    }
}
