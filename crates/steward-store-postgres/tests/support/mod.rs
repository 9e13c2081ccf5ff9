//! Test support: a throwaway database per test on the server named by `STEWARD_TEST_PG_URL`
//! (`./scripts/test` starts a PostgreSQL cluster and sets it), dropped when the test ends.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    dead_code,
    unreachable_pub,
    reason = "test support shared by several test binaries, each using part of it"
)]

use std::sync::Arc;

use async_trait::async_trait;
use steward_store::canonical::{chain_hash, indexed_fields};
use steward_store::conformance::{CheckpointColumn, StoreFactory, StoreFixture, Tamper};
use steward_store::{AuditSeq, Digest, Store, StoreError};
use steward_store_postgres::{PgOptions, PgStore};
use tokio_postgres::{Client, NoTls};

/// The admin URL of the test server. Panics with instructions when it is not set: these
/// tests never skip silently.
pub fn admin_url() -> String {
    match std::env::var("STEWARD_TEST_PG_URL") {
        Ok(url) if !url.trim().is_empty() => url,
        _ => panic!(
            "STEWARD_TEST_PG_URL is not set: the PostgreSQL tests need a server. \
             Run them through ./scripts/test (e.g. `./scripts/test -p steward-store-postgres`), \
             which starts a throwaway PostgreSQL 15 cluster and sets the variable, or set it to \
             postgres://user@host:port/postgres of a server where you may create databases."
        ),
    }
}

/// `url` with its database name replaced by `db` (URL or key=value form).
pub fn url_for(url: &str, db: &str) -> String {
    if let Some(scheme_end) = url.find("://") {
        let (head, rest) = url.split_at(scheme_end + 3);
        let (authority_and_path, query) = match rest.find('?') {
            Some(q) => rest.split_at(q),
            None => (rest, ""),
        };
        let authority = match authority_and_path.find('/') {
            Some(slash) => &authority_and_path[..slash],
            None => authority_and_path,
        };
        format!("{head}{authority}/{db}{query}")
    } else {
        format!("{url} dbname={db}")
    }
}

/// A plain connection (no pool), its driver task spawned on the current runtime.
pub async fn connect_raw(url: &str) -> Client {
    let (client, conn) = tokio_postgres::connect(url, NoTls)
        .await
        .unwrap_or_else(|e| panic!("cannot connect to the test PostgreSQL server: {e}"));
    tokio::spawn(async move {
        let _ = conn.await;
    });
    client
}

/// A database that exists for the life of this value.
pub struct TestDb {
    pub name: String,
    pub url: String,
    admin: String,
}

impl TestDb {
    pub async fn create() -> TestDb {
        let admin = admin_url();
        let name = format!("steward_test_{}", uuid::Uuid::now_v7().simple());
        let c = connect_raw(&admin).await;
        c.batch_execute(&format!("CREATE DATABASE {name}"))
            .await
            .unwrap();
        TestDb {
            url: url_for(&admin, &name),
            name,
            admin,
        }
    }

    pub async fn store(&self) -> Result<PgStore, StoreError> {
        PgStore::connect(&self.url, PgOptions::default()).await
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        // Drop runs outside async: drop the database from a helper thread with its own runtime.
        let admin = self.admin.clone();
        let name = self.name.clone();
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async {
                if let Ok((c, conn)) = tokio_postgres::connect(&admin, NoTls).await {
                    tokio::spawn(async move {
                        let _ = conn.await;
                    });
                    let _ = c
                        .batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                        .await;
                }
            });
        })
        .join();
    }
}

pub struct PgFactory;

pub struct PgFixture {
    db: TestDb,
    store: Option<Arc<dyn Store>>,
}

impl PgFixture {
    pub fn url(&self) -> &str {
        &self.db.url
    }
}

#[async_trait]
impl StoreFactory for PgFactory {
    type Fixture = PgFixture;

    async fn fresh(&self) -> PgFixture {
        let db = TestDb::create().await;
        let store = db.store().await.unwrap();
        PgFixture {
            db,
            store: Some(Arc::new(store)),
        }
    }
}

fn seq_i(s: AuditSeq) -> i64 {
    s.get() as i64
}

async fn body(c: &Client, seq: AuditSeq) -> Vec<u8> {
    c.query_one("SELECT body FROM audit_log WHERE seq = $1", &[&seq_i(seq)])
        .await
        .unwrap()
        .get(0)
}

async fn prev(c: &Client, seq: AuditSeq) -> Digest {
    let b: Vec<u8> = c
        .query_one(
            "SELECT prev_hash FROM audit_log WHERE seq = $1",
            &[&seq_i(seq)],
        )
        .await
        .unwrap()
        .get(0);
    Digest::from_slice(&b).unwrap()
}

async fn flip(c: &Client, seq: AuditSeq, offset: usize) -> Vec<u8> {
    let mut b = body(c, seq).await;
    b[offset] ^= 0x01;
    c.execute(
        "UPDATE audit_log SET body = $2 WHERE seq = $1",
        &[&seq_i(seq), &b],
    )
    .await
    .unwrap();
    b
}

/// A separate connection, as an attacker with database access would open it. The
/// append-only triggers are dropped first: the table owner can do that too.
pub async fn attacker(url: &str) -> Client {
    let c = connect_raw(url).await;
    c.batch_execute(
        "DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log;
         DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log;
         DROP TRIGGER IF EXISTS audit_checkpoints_append_only ON audit_checkpoints;
         DROP TRIGGER IF EXISTS audit_checkpoints_no_truncate ON audit_checkpoints;",
    )
    .await
    .unwrap();
    c
}

/// Every stored value of every table, as bytes: `bytea` columns raw, everything else as its
/// text form (what someone reading the tables sees).
pub async fn all_rows(url: &str) -> Vec<u8> {
    let c = connect_raw(url).await;
    let columns = c
        .query(
            "SELECT table_name::text, column_name::text, data_type::text \
             FROM information_schema.columns WHERE table_schema = 'public' \
             ORDER BY table_name, ordinal_position",
            &[],
        )
        .await
        .unwrap();
    assert!(columns.len() > 50, "expected every table of the schema");
    let mut out = Vec::new();
    for col in columns {
        let (table, column, ty): (String, String, String) = (col.get(0), col.get(1), col.get(2));
        if ty == "bytea" {
            for r in c
                .query(&format!("SELECT {column} FROM {table}"), &[])
                .await
                .unwrap()
            {
                if let Some(b) = r.get::<_, Option<Vec<u8>>>(0) {
                    out.extend(b);
                }
            }
        } else {
            for r in c
                .query(&format!("SELECT {column}::text FROM {table}"), &[])
                .await
                .unwrap()
            {
                if let Some(s) = r.get::<_, Option<String>>(0) {
                    out.extend(s.into_bytes());
                }
            }
        }
    }
    out
}

#[async_trait]
impl StoreFixture for PgFixture {
    fn store(&self) -> Arc<dyn Store> {
        Arc::clone(self.store.as_ref().unwrap())
    }

    async fn tamper(&self, tamper: Tamper) {
        let c = attacker(&self.db.url).await;
        match tamper {
            Tamper::FlipBodyBit { seq, offset } => {
                flip(&c, seq, offset).await;
            }
            Tamper::FlipBodyBitAndRehash { seq, offset } => {
                let b = flip(&c, seq, offset).await;
                let h = chain_hash(&prev(&c, seq).await, seq, &b);
                c.execute(
                    "UPDATE audit_log SET hash = $2 WHERE seq = $1",
                    &[&seq_i(seq), &h.0.as_slice()],
                )
                .await
                .unwrap();
            }
            Tamper::RewriteFrom { seq, offset } => {
                flip(&c, seq, offset).await;
                let mut prev_hash = if seq == AuditSeq::FIRST {
                    Digest::ZERO
                } else {
                    prev(&c, seq).await
                };
                let last: i64 = c
                    .query_one("SELECT MAX(seq) FROM audit_log", &[])
                    .await
                    .unwrap()
                    .get(0);
                for s in seq.get()..=last as u64 {
                    let s = AuditSeq::new(s).unwrap();
                    let b = body(&c, s).await;
                    let h = chain_hash(&prev_hash, s, &b);
                    let idx = indexed_fields(&b).unwrap();
                    // `at` is rewritten from the body's microseconds through SQL arithmetic.
                    c.execute(
                        "UPDATE audit_log SET prev_hash = $2, hash = $3, event_id = $4, \
                         at = to_timestamp(0) + ($5::bigint * interval '1 microsecond'), \
                         kind = $6, subject = $7 WHERE seq = $1",
                        &[
                            &seq_i(s),
                            &prev_hash.0.as_slice(),
                            &h.0.as_slice(),
                            &idx.event_id.as_uuid(),
                            &idx.at_micros,
                            &i16::from(idx.kind.code()),
                            &idx.subject.map(|x| x.as_uuid()),
                        ],
                    )
                    .await
                    .unwrap();
                    prev_hash = h;
                }
            }
            Tamper::DeleteEntry { seq } => {
                c.execute("DELETE FROM audit_log WHERE seq = $1", &[&seq_i(seq)])
                    .await
                    .unwrap();
            }
            Tamper::DeleteFrom { seq } => {
                c.execute("DELETE FROM audit_log WHERE seq >= $1", &[&seq_i(seq)])
                    .await
                    .unwrap();
            }
            Tamper::SwapEntries { a, b } => {
                c.batch_execute("BEGIN").await.unwrap();
                c.execute("UPDATE audit_log SET seq = -1 WHERE seq = $1", &[&seq_i(b)])
                    .await
                    .unwrap();
                c.execute(
                    "UPDATE audit_log SET seq = $2 WHERE seq = $1",
                    &[&seq_i(a), &seq_i(b)],
                )
                .await
                .unwrap();
                c.execute("UPDATE audit_log SET seq = $1 WHERE seq = -1", &[&seq_i(a)])
                    .await
                    .unwrap();
                c.batch_execute("COMMIT").await.unwrap();
            }
            Tamper::SetSubjectColumn { seq, subject } => {
                c.execute(
                    "UPDATE audit_log SET subject = $2 WHERE seq = $1",
                    &[&seq_i(seq), &subject.map(uuid::Uuid::from_bytes)],
                )
                .await
                .unwrap();
            }
            Tamper::DeleteCheckpointsFrom { seq } => {
                c.execute(
                    "DELETE FROM audit_checkpoints WHERE seq >= $1",
                    &[&seq_i(seq)],
                )
                .await
                .unwrap();
            }
            Tamper::MalformCheckpoint { seq, column } => {
                let n = match column {
                    CheckpointColumn::EmptySignature => c
                        .execute(
                            "UPDATE audit_checkpoints SET signature = ''::bytea WHERE seq = $1",
                            &[&seq_i(seq)],
                        )
                        .await
                        .unwrap(),
                    CheckpointColumn::LongSignature => c
                        .execute(
                            "UPDATE audit_checkpoints SET signature = $2 WHERE seq = $1",
                            &[&seq_i(seq), &vec![7u8; 600]],
                        )
                        .await
                        .unwrap(),
                    CheckpointColumn::HeadHash => c
                        .execute(
                            "UPDATE audit_checkpoints SET head_hash = '\\x0101010101'::bytea WHERE seq = $1",
                            &[&seq_i(seq)],
                        )
                        .await
                        .unwrap(),
                    CheckpointColumn::KeyId => c
                        .execute(
                            "UPDATE audit_checkpoints SET key_id = 'not a key' WHERE seq = $1",
                            &[&seq_i(seq)],
                        )
                        .await
                        .unwrap(),
                };
                assert_eq!(n, 1);
            }
            Tamper::BumpSchemaVersion => {
                let v = i32::try_from(PgStore::schema_version() + 1).unwrap();
                c.execute(
                    "INSERT INTO steward_schema (version, name, applied_at) \
                     VALUES ($1, 'from-the-future', now())",
                    &[&v],
                )
                .await
                .unwrap();
            }
        }
    }

    async fn raw_bytes(&self) -> Option<Vec<u8>> {
        Some(all_rows(&self.db.url).await)
    }

    async fn reopen(&mut self) -> Result<Arc<dyn Store>, StoreError> {
        drop(self.store.take());
        let store: Arc<dyn Store> = Arc::new(self.db.store().await?);
        self.store = Some(Arc::clone(&store));
        Ok(store)
    }
}
