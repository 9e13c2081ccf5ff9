//! The embedded default store: SQLite in WAL mode, one writer thread with group commit, a
//! pool of readers.
//!
//! ```no_run
//! # async fn demo() -> Result<(), steward_store::StoreError> {
//! use std::sync::Arc;
//! use steward_store::Store;
//! use steward_store_sqlite::{SqliteOptions, SqliteStore};
//!
//! let store: Arc<dyn Store> = Arc::new(SqliteStore::open("steward-data/steward.db", SqliteOptions::default())?);
//! # Ok(()) }
//! ```
//!
//! - [`conn`]: pragmas, and why commits are `synchronous = FULL` (an acknowledged write
//!   survives power loss, not only `kill -9`).
//! - [`writer`]: the writer thread and its group commit.
//! - `readers`: the read pool (point lookups inline on a pooled connection, scans on
//!   `spawn_blocking`; one connection per semaphore permit).
//! - [`schema`]: versioned migrations; a database newer than the binary is refused.
//! - `ops`: the SQL of each business area.
//!
//! Every acknowledged write has been committed; the crash test (`tests/crash.rs`, driving the
//! `steward-store-crash-writer` binary) kills a writer with SIGKILL at random moments and checks
//! that none is lost and the audit chain still verifies.

#![warn(missing_docs)]

pub mod backup;
pub mod conn;
mod ops;
mod readers;
pub mod schema;
mod sql;
mod store;
pub mod writer;

pub use conn::{Durability, SqliteOptions};
pub use schema::SCHEMA_VERSION;
pub use store::SqliteStore;
