//! The embedded default store: SQLite in WAL mode, one writer thread with group commit, a pool of readers.
