//! The scale-out store: PostgreSQL through tokio-postgres and a connection pool, for when one
//! machine is not enough — several Steward processes on one database.
//!
//! ```no_run
//! # async fn demo() -> Result<(), steward_store::StoreError> {
//! use std::sync::Arc;
//! use steward_store::Store;
//! use steward_store_postgres::{PgOptions, PgStore};
//!
//! let store: Arc<dyn Store> =
//!     Arc::new(PgStore::connect("postgres://steward@127.0.0.1/steward", PgOptions::default()).await?);
//! # Ok(()) }
//! ```
//!
//! - [`schema`]: versioned migrations applied on connect under an advisory lock; a database
//!   newer than the binary is refused.
//! - `audit_writer`: group commit of audit appends, serialized database-wide by a row lock on
//!   the chain head.
//! - [`standby`]: reads from a streaming standby within a measured lag bound
//!   ([`PgStore::with_standby`]).
//! - `ops`: the SQL of each business area (prepared, cached per connection; batches are one
//!   multi-row `unnest` insert).
//!
//! See `README.md` in this crate for the design and the reasons behind it.

#![warn(missing_docs)]

mod audit_writer;
mod events;
mod ops;
mod pipeline;
mod requests;
pub mod schema;
mod sql;
pub mod standby;
mod store;

pub use schema::SCHEMA_VERSION;
pub use store::{PgOptions, PgStore};
