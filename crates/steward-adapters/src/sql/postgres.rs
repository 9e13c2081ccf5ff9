//! The PostgreSQL dataset connector: one connection per run (the connection string is a
//! `postgres://` URL), statements with `text[]` parameters. With `sslmode=require` the
//! connection uses TLS with the server's certificate and host name verified
//! (`super::pg_tls`); registration refuses anything else but Unix sockets and allowed
//! loopback (SEC-02, `steward_requests::transport`).

use async_trait::async_trait;
use steward_requests::DatasetConnector;
use steward_requests::connectors::{
    Dataset, DatasetOutcome, DatasetRows, Identities, TableOutcome, TableRows, scrub,
};
use steward_requests::effects::{ConnectorError, ConnectorErrorCode};
use steward_store::model::request::ConnectorKind;
use steward_vault::Sensitive;
use tokio_postgres::types::ToSql;

use super::{Dialect, Sql, erase_sql, read_sql, redact_message, verify_sql};

/// Erases (and reads) subjects' rows in PostgreSQL databases of the company.
#[derive(Debug, Clone, Copy, Default)]
pub struct PostgresConnector;

fn pg_err(e: &tokio_postgres::Error) -> ConnectorError {
    match e.as_db_error() {
        Some(db) => ConnectorError::new(
            ConnectorErrorCode::Sql,
            format!(
                "SQLSTATE {}: {}",
                db.code().code(),
                redact_message(db.message())
            ),
        ),
        None => ConnectorError::new(ConnectorErrorCode::Connect, redact_message(&e.to_string())),
    }
}

/// Runs a count statement (`SELECT COUNT(*) …`) on a client or a transaction.
async fn count(
    c: &impl tokio_postgres::GenericClient,
    sql: &Sql,
    ids: &Identities,
) -> Result<u64, ConnectorError> {
    let values = sql.values(ids);
    let refs: Vec<&(dyn ToSql + Sync)> = values.iter().map(|v| v as &(dyn ToSql + Sync)).collect();
    let n: i64 = c
        .query_one(&sql.text, &refs)
        .await
        .map_err(|e| pg_err(&e))?
        .get(0);
    Ok(u64::try_from(n).unwrap_or(0))
}

async fn connect(
    url: &str,
) -> Result<(tokio_postgres::Client, tokio::task::JoinHandle<()>), ConnectorError> {
    let config: tokio_postgres::Config = url.parse().map_err(|e| pg_err(&e))?;
    if config.get_ssl_mode() == tokio_postgres::config::SslMode::Require {
        let tls = super::pg_tls::MakeRustls::webpki().map_err(|_| {
            ConnectorError::new(ConnectorErrorCode::Connect, "TLS could not be set up")
        })?;
        let (client, connection) = config.connect(tls).await.map_err(|e| pg_err(&e))?;
        let driver = tokio::spawn(async move {
            let _ = connection.await;
        });
        return Ok((client, driver));
    }
    let (client, connection) = config
        .connect(tokio_postgres::NoTls)
        .await
        .map_err(|e| pg_err(&e))?;
    let driver = tokio::spawn(async move {
        let _ = connection.await;
    });
    Ok((client, driver))
}

async fn erase(
    client: &mut tokio_postgres::Client,
    ds: &Dataset,
    ids: &Identities,
) -> Result<DatasetOutcome, ConnectorError> {
    let tx = client.transaction().await.map_err(|e| pg_err(&e))?;
    let mut tables = Vec::with_capacity(ds.order.len());
    for &i in &ds.order {
        let t = &ds.annotation.tables[i];
        let sql = erase_sql(ds, t, Dialect::Postgres);
        let values = sql.values(ids);
        let refs: Vec<&(dyn ToSql + Sync)> =
            values.iter().map(|v| v as &(dyn ToSql + Sync)).collect();
        let rows = tx.execute(&sql.text, &refs).await.map_err(|e| pg_err(&e))?;
        let left = count(&tx, &verify_sql(ds, t, Dialect::Postgres), ids).await?;
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
            rows,
        });
    }
    tx.commit().await.map_err(|e| pg_err(&e))?;
    let mut remaining = 0u64;
    for &i in &ds.order {
        let t = &ds.annotation.tables[i];
        remaining += count(&*client, &verify_sql(ds, t, Dialect::Postgres), ids).await?;
    }
    Ok(DatasetOutcome { tables, remaining })
}

/// Reads the subject's rows inside a `READ ONLY` transaction, rolled back at the end.
async fn read(
    client: &mut tokio_postgres::Client,
    ds: &Dataset,
    ids: &Identities,
) -> Result<DatasetRows, ConnectorError> {
    // SECURITY: the server refuses any write inside a read-only transaction.
    let tx = client
        .build_transaction()
        .read_only(true)
        .start()
        .await
        .map_err(|e| pg_err(&e))?;
    let mut tables = Vec::new();
    for (t, columns) in ds.readable() {
        let sql = read_sql(ds, t, &columns, Dialect::Postgres);
        let values = sql.values(ids);
        let refs: Vec<&(dyn ToSql + Sync)> =
            values.iter().map(|v| v as &(dyn ToSql + Sync)).collect();
        let mut rows: Vec<Vec<Option<String>>> = tx
            .query(&sql.text, &refs)
            .await
            .map_err(|e| pg_err(&e))?
            .iter()
            .map(|r| {
                (0..columns.len())
                    .map(|i| r.try_get::<_, Option<String>>(i))
                    .collect::<Result<Vec<_>, _>>()
            })
            .collect::<Result<_, _>>()
            .map_err(|e| pg_err(&e))?;
        rows.sort();
        tables.push(TableRows {
            table: t.name.clone(),
            columns,
            rows,
        });
    }
    tx.rollback().await.map_err(|e| pg_err(&e))?;
    Ok(DatasetRows { tables })
}

#[async_trait]
impl DatasetConnector for PostgresConnector {
    fn kind(&self) -> ConnectorKind {
        ConnectorKind::PostgresDataset
    }

    async fn erase(
        &self,
        connection: &Sensitive<String>,
        dataset: &Dataset,
        ids: &Identities,
    ) -> Result<DatasetOutcome, ConnectorError> {
        let (mut client, driver) = connect(connection.expose()).await?;
        let result = erase(&mut client, dataset, ids)
            .await
            .map_err(|e| scrub(e, ids));
        drop(client);
        driver.abort();
        result
    }

    async fn read(
        &self,
        connection: &Sensitive<String>,
        dataset: &Dataset,
        ids: &Identities,
    ) -> Result<DatasetRows, ConnectorError> {
        let (mut client, driver) = connect(connection.expose())
            .await
            .map_err(|e| scrub(e, ids))?;
        let result = read(&mut client, dataset, ids)
            .await
            .map_err(|e| scrub(e, ids));
        drop(client);
        driver.abort();
        result
    }
}

#[cfg(test)]
mod tests {

    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    /// SEC-02: with `sslmode=require`, a server that declines TLS is not talked to in clear.
    #[tokio::test]
    async fn sec_02_require_never_falls_back_to_plaintext() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let server = tokio::spawn(async move {
            let (mut s, _) = listener.accept().await.unwrap();
            let mut req = [0u8; 8];
            s.read_exact(&mut req).await.unwrap();
            // SSLRequest: length 8, code 80877103.
            assert_eq!(&req[4..], &80_877_103u32.to_be_bytes());
            s.write_all(b"N").await.unwrap();
            let mut rest = Vec::new();
            let _ = s.read_to_end(&mut rest).await;
            rest
        });
        let url = format!("postgres://u:p@127.0.0.1:{port}/shop?sslmode=require");
        let Err(e) = super::connect(&url).await else {
            panic!("connected without TLS");
        };
        assert_eq!(
            e.code,
            steward_requests::effects::ConnectorErrorCode::Connect,
            "{e:?}"
        );
        let after = server.await.unwrap();
        assert!(
            after.is_empty(),
            "bytes were sent in clear after TLS was declined"
        );
    }
}
