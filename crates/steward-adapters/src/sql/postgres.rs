//! The PostgreSQL dataset connector (the connection string is a `postgres://` URL),
//! statements with `text[]` parameters. With `sslmode=require` the connection uses TLS with
//! the server's certificate and host name verified (`super::pg_tls`); registration refuses
//! anything else but Unix sockets and allowed loopback (SEC-02, `steward_requests::transport`).
//!
//! Connections are kept between runs, a few per connection string ([`MAX_IDLE`], each dropped
//! after [`IDLE_FOR`] unused), with their prepared statements: a request no longer pays a TCP
//! connect, a TLS handshake, authentication, a new server process and a `PREPARE` per
//! statement (those were most of an access request's time). A connection goes back
//! to the pool only after an operation that succeeded; one that failed is closed (its
//! transaction, if any, rolls back with it). A pooled connection the server has closed
//! meanwhile is replaced by a new one and the operation runs once more on it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use steward_requests::DatasetConnector;
use steward_requests::connectors::{
    Dataset, DatasetOutcome, DatasetRows, Identities, TableOutcome, TableRows, scrub,
};
use steward_requests::effects::{ConnectorError, ConnectorErrorCode};
use steward_store::model::request::ConnectorKind;
use steward_store::values::Digest;
use steward_vault::Sensitive;
use tokio_postgres::Statement;
use tokio_postgres::types::ToSql;

use super::{Dialect, Sql, erase_sql, read_sql, redact_message, verify_sql};

/// Idle connections kept per connection string.
pub const MAX_IDLE: usize = 4;
/// How long an idle connection is kept.
pub const IDLE_FOR: Duration = Duration::from_secs(60);
/// Prepared statements kept per connection (an annotation that changes makes new ones).
const MAX_STATEMENTS: usize = 256;

/// Erases (and reads) subjects' rows in PostgreSQL databases of the company, on connections
/// kept between runs (see the module docs). Clones share the pool.
#[derive(Debug, Clone, Default)]
pub struct PostgresConnector {
    pools: Arc<Mutex<HashMap<Digest, Vec<Pooled>>>>,
}

/// A connection with its prepared statements.
struct Pooled {
    client: tokio_postgres::Client,
    driver: tokio::task::JoinHandle<()>,
    statements: HashMap<String, Statement>,
    idle_since: Instant,
}

impl std::fmt::Debug for Pooled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pooled")
            .field("statements", &self.statements.len())
            .finish_non_exhaustive()
    }
}

impl Drop for Pooled {
    fn drop(&mut self) {
        self.driver.abort();
    }
}

impl Pooled {
    /// The statement for `sql`, prepared once per connection.
    async fn statement(&mut self, sql: &str) -> Result<Statement, ConnectorError> {
        if let Some(st) = self.statements.get(sql) {
            return Ok(st.clone());
        }
        let st = self.client.prepare(sql).await.map_err(|e| pg_err(&e))?;
        if self.statements.len() >= MAX_STATEMENTS {
            self.statements.clear();
        }
        self.statements.insert(sql.to_string(), st.clone());
        Ok(st)
    }
}

#[expect(
    clippy::disallowed_methods,
    reason = "an idle connection's age is monotonic time, not the service's clock"
)]
fn monotonic_now() -> Instant {
    Instant::now()
}

impl PostgresConnector {
    /// A new connector with an empty pool.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    fn key(url: &str) -> Digest {
        // The pool is found by a digest of the connection string, not by the string (it may
        // hold a password).
        Digest::sha256(url.as_bytes())
    }

    /// An idle pooled connection to `url`, if one is alive.
    fn take(&self, key: &Digest) -> Option<Pooled> {
        let mut pools = self.pools.lock().unwrap_or_else(|e| e.into_inner());
        let idle = pools.get_mut(key)?;
        while let Some(p) = idle.pop() {
            if !p.client.is_closed() && p.idle_since.elapsed() < IDLE_FOR {
                return Some(p);
            }
        }
        None
    }

    /// Puts a connection back after an operation that succeeded.
    fn give_back(&self, key: Digest, mut p: Pooled) {
        if p.client.is_closed() {
            return;
        }
        p.idle_since = monotonic_now();
        let mut pools = self.pools.lock().unwrap_or_else(|e| e.into_inner());
        let idle = pools.entry(key).or_default();
        idle.retain(|q| !q.client.is_closed() && q.idle_since.elapsed() < IDLE_FOR);
        if idle.len() < MAX_IDLE {
            idle.push(p);
        }
    }

    /// Runs `work` on a pooled connection to `url` (or a new one), giving it back when it
    /// succeeded. A pooled connection that turns out to be closed is replaced and `work` runs
    /// once more on a new connection (an erasure is idempotent; a read changes nothing).
    async fn with_connection(&self, url: &str, work: Work<'_>) -> Result<Done, ConnectorError> {
        let key = Self::key(url);
        if let Some(mut p) = self.take(&key) {
            match work.run(&mut p).await {
                Ok(v) => {
                    self.give_back(key, p);
                    return Ok(v);
                }
                // The server closed it while it was idle: try a new connection.
                Err(_) if p.client.is_closed() => {}
                Err(e) => return Err(e),
            }
        }
        let (client, driver) = connect(url).await?;
        let mut p = Pooled {
            client,
            driver,
            statements: HashMap::new(),
            idle_since: monotonic_now(),
        };
        let v = work.run(&mut p).await?;
        self.give_back(key, p);
        Ok(v)
    }
}

/// What a connection is used for.
#[derive(Clone, Copy)]
enum Work<'a> {
    Read(&'a Dataset, &'a Identities),
    Erase(&'a Dataset, &'a Identities),
}

enum Done {
    Read(DatasetRows),
    Erase(DatasetOutcome),
}

impl Work<'_> {
    async fn run(self, conn: &mut Pooled) -> Result<Done, ConnectorError> {
        match self {
            Work::Read(ds, ids) => read(conn, ds, ids).await.map(Done::Read),
            Work::Erase(ds, ids) => erase(conn, ds, ids).await.map(Done::Erase),
        }
    }
}

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

/// Runs a count statement (`SELECT COUNT(*) …`, prepared as `st`) on a client or a
/// transaction.
async fn count(
    c: &impl tokio_postgres::GenericClient,
    st: &Statement,
    sql: &Sql,
    ids: &Identities,
) -> Result<u64, ConnectorError> {
    let values = sql.values(ids);
    let refs: Vec<&(dyn ToSql + Sync)> = values.iter().map(|v| v as &(dyn ToSql + Sync)).collect();
    let n: i64 = c.query_one(st, &refs).await.map_err(|e| pg_err(&e))?.get(0);
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
    conn: &mut Pooled,
    ds: &Dataset,
    ids: &Identities,
) -> Result<DatasetOutcome, ConnectorError> {
    // The statements first (once per connection), then the transaction.
    let mut plan = Vec::with_capacity(ds.order.len());
    for &i in &ds.order {
        let t = &ds.annotation.tables[i];
        let erase = erase_sql(ds, t, Dialect::Postgres);
        let verify = verify_sql(ds, t, Dialect::Postgres);
        let erase_st = conn.statement(&erase.text).await?;
        let verify_st = conn.statement(&verify.text).await?;
        plan.push((t, erase, erase_st, verify, verify_st));
    }
    let tx = conn.client.transaction().await.map_err(|e| pg_err(&e))?;
    let mut tables = Vec::with_capacity(plan.len());
    for (t, sql, st, verify, verify_st) in &plan {
        let values = sql.values(ids);
        let refs: Vec<&(dyn ToSql + Sync)> =
            values.iter().map(|v| v as &(dyn ToSql + Sync)).collect();
        let rows = tx.execute(st, &refs).await.map_err(|e| pg_err(&e))?;
        let left = count(&tx, verify_st, verify, ids).await?;
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
    // After the commit, every table is counted again (in one round of pipelined queries).
    let counts = plan
        .iter()
        .map(|(_, _, _, verify, verify_st)| count(&conn.client, verify_st, verify, ids));
    let mut remaining = 0u64;
    for n in futures_join_all(counts).await {
        remaining += n?;
    }
    Ok(DatasetOutcome { tables, remaining })
}

/// Reads the subject's rows inside a `READ ONLY` transaction, rolled back at the end.
async fn read(
    conn: &mut Pooled,
    ds: &Dataset,
    ids: &Identities,
) -> Result<DatasetRows, ConnectorError> {
    let mut plan = Vec::new();
    for (t, columns) in ds.readable() {
        let sql = read_sql(ds, t, &columns, Dialect::Postgres);
        let st = conn.statement(&sql.text).await?;
        plan.push((t, columns, sql, st));
    }
    // SECURITY: the server refuses any write inside a read-only transaction.
    let tx = conn
        .client
        .build_transaction()
        .read_only(true)
        .start()
        .await
        .map_err(|e| pg_err(&e))?;
    // The tables' queries are sent together (pipelined on the connection): one round trip.
    let queries = plan.iter().map(|(_, columns, sql, st)| {
        let tx = &tx;
        async move {
            let values = sql.values(ids);
            let refs: Vec<&(dyn ToSql + Sync)> =
                values.iter().map(|v| v as &(dyn ToSql + Sync)).collect();
            let rows: Vec<Vec<Option<String>>> = tx
                .query(st, &refs)
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
            Ok::<_, ConnectorError>(rows)
        }
    });
    let results = futures_join_all(queries).await;
    let mut tables = Vec::with_capacity(plan.len());
    for ((t, columns, _, _), rows) in plan.into_iter().zip(results) {
        let mut rows = rows?;
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

/// Awaits every future, concurrently (on one connection: pipelined), in their order.
async fn futures_join_all<F: std::future::Future>(
    fs: impl IntoIterator<Item = F>,
) -> Vec<F::Output> {
    let mut pending: Vec<std::pin::Pin<Box<F>>> = fs.into_iter().map(Box::pin).collect();
    let mut out: Vec<Option<F::Output>> = pending.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut all = true;
        for (f, slot) in pending.iter_mut().zip(out.iter_mut()) {
            if slot.is_none() {
                match f.as_mut().poll(cx) {
                    std::task::Poll::Ready(v) => *slot = Some(v),
                    std::task::Poll::Pending => all = false,
                }
            }
        }
        if all {
            std::task::Poll::Ready(())
        } else {
            std::task::Poll::Pending
        }
    })
    .await;
    out.into_iter().flatten().collect()
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
        match self
            .with_connection(connection.expose(), Work::Erase(dataset, ids))
            .await
        {
            Ok(Done::Erase(out)) => Ok(out),
            Ok(Done::Read(_)) => Err(ConnectorError::new(
                ConnectorErrorCode::Connect,
                "the connection answered another operation",
            )),
            Err(e) => Err(scrub(e, ids)),
        }
    }

    async fn read(
        &self,
        connection: &Sensitive<String>,
        dataset: &Dataset,
        ids: &Identities,
    ) -> Result<DatasetRows, ConnectorError> {
        match self
            .with_connection(connection.expose(), Work::Read(dataset, ids))
            .await
        {
            Ok(Done::Read(rows)) => Ok(rows),
            Ok(Done::Erase(_)) => Err(ConnectorError::new(
                ConnectorErrorCode::Connect,
                "the connection answered another operation",
            )),
            Err(e) => Err(scrub(e, ids)),
        }
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
