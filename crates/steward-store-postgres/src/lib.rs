//! The scale-out store: PostgreSQL through tokio-postgres and a connection pool.
