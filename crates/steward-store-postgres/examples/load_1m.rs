//! Scale run on PostgreSQL: load 1M subjects with 10 encrypted items each through the store
//! API, then measure read latency percentiles and report the database size — the same run as
//! `steward-store-sqlite`'s `load_1m`, for the PostgreSQL column of BENCHMARKS.md.
//!
//! ```text
//! STEWARD_TEST_PG_URL=postgres://user@host:port/postgres \
//!   cargo run --release -p steward-store-postgres --example load_1m -- [SUBJECTS] [--keep]
//! ```
//!
//! SUBJECTS defaults to 1 000 000. The run creates its own database on that server and drops
//! it at the end (`--keep` keeps it). Each subject gets an e-mail identity (blind-index token)
//! and 10 items of 100 bytes of ciphertext-like data, written durably (server defaults:
//! `fsync`, `synchronous_commit = on`) from 64 concurrent tasks over the default pool of 16
//! connections.

#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    reason = "example program: a failed step aborts it"
)]

use std::sync::Arc;

use steward_store::Store;
use steward_store_postgres::{PgOptions, PgStore};
use tokio_postgres::NoTls;

use steward_store::conformance::scale::ITEMS_PER_SUBJECT;

async fn admin(url: &str) -> tokio_postgres::Client {
    let (c, conn) = tokio_postgres::connect(url, NoTls).await.unwrap();
    tokio::spawn(async move {
        let _ = conn.await;
    });
    c
}

/// `url` with its database name replaced by `db`.
fn url_for(url: &str, db: &str) -> String {
    let (head, rest) = url.split_once("://").expect("a postgres:// URL");
    let (path, query) = rest.split_once('?').map_or((rest, ""), |(p, q)| (p, q));
    let authority = path.split_once('/').map_or(path, |(a, _)| a);
    let query = if query.is_empty() {
        String::new()
    } else {
        format!("?{query}")
    };
    format!("{head}://{authority}/{db}{query}")
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let n: u64 = args
        .iter()
        .find_map(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let keep = args.iter().any(|a| a == "--keep");
    let admin_url = std::env::var("STEWARD_TEST_PG_URL")
        .expect("STEWARD_TEST_PG_URL must name a PostgreSQL server");
    let db = format!("steward_load_{}", uuid::Uuid::now_v7().simple());
    admin(&admin_url)
        .await
        .batch_execute(&format!("CREATE DATABASE {db}"))
        .await
        .unwrap();
    let url = url_for(&admin_url, &db);
    let store: Arc<dyn Store> =
        Arc::new(PgStore::connect(&url, PgOptions::default()).await.unwrap());
    println!("loading {n} subjects x {ITEMS_PER_SUBJECT} items into database {db}");

    steward_store::conformance::scale::scale_run(Arc::clone(&store), n).await;

    let c = admin(&url).await;
    let size: i64 = c
        .query_one("SELECT pg_database_size(current_database())", &[])
        .await
        .unwrap()
        .get(0);
    let items_size: i64 = c
        .query_one("SELECT pg_total_relation_size('items')", &[])
        .await
        .unwrap()
        .get(0);
    drop(c);
    println!(
        "database size: {:.2} GB ({:.0} bytes per item; items table with indexes {:.2} GB)",
        size as f64 / 1e9,
        size as f64 / (n * ITEMS_PER_SUBJECT as u64) as f64,
        items_size as f64 / 1e9
    );
    drop(store);
    if !keep {
        admin(&admin_url)
            .await
            .batch_execute(&format!("DROP DATABASE {db} WITH (FORCE)"))
            .await
            .unwrap();
    }
}
