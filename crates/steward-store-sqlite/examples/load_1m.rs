//! Scale run: load 1M subjects with 10 encrypted items each through the store API, then
//! measure read latency percentiles and report the database size.
//!
//! ```text
//! cargo run --release -p steward-store-sqlite --example load_1m -- [SUBJECTS] [DIR]
//! ```
//!
//! SUBJECTS defaults to 1 000 000; DIR defaults to a temporary directory (deleted at the end).
//! Each subject gets an e-mail identity (blind-index token) and 10 items of 100 bytes of
//! ciphertext-like data. Writes use the default durable settings (WAL, `synchronous = FULL`)
//! and come from 64 concurrent tasks, so group commit batches them.

#![expect(
    clippy::unwrap_used,
    clippy::print_stdout,
    reason = "example program: a failed step aborts it"
)]

use std::sync::Arc;

use steward_store::Store;
use steward_store_sqlite::{SqliteOptions, SqliteStore};

use steward_store::conformance::scale::ITEMS_PER_SUBJECT;

fn file_size(path: &std::path::Path) -> u64 {
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let mut args = std::env::args().skip(1);
    let n: u64 = args
        .next()
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let (_tmp, dir) = match args.next() {
        Some(d) => (None, std::path::PathBuf::from(d)),
        None => {
            let t = tempfile::tempdir().unwrap();
            let p = t.path().to_path_buf();
            (Some(t), p)
        }
    };
    let path = dir.join("load_1m.db");
    let store: Arc<dyn Store> =
        Arc::new(SqliteStore::open(&path, SqliteOptions::default()).unwrap());
    println!(
        "loading {n} subjects x {ITEMS_PER_SUBJECT} items into {}",
        path.display()
    );

    steward_store::conformance::scale::scale_run(Arc::clone(&store), n).await;

    drop(store);
    let wal = {
        let mut w = path.clone().into_os_string();
        w.push("-wal");
        std::path::PathBuf::from(w)
    };
    println!(
        "database size after close: {:.2} GB (WAL {:.1} MB); {:.0} bytes per item",
        file_size(&path) as f64 / 1e9,
        file_size(&wal) as f64 / 1e6,
        file_size(&path) as f64 / (n * ITEMS_PER_SUBJECT as u64) as f64
    );
}
