//! Versioned schema migrations, applied when the store opens.
//!
//! Each migration runs in its own `BEGIN IMMEDIATE` transaction together with the row that
//! records it in `steward_schema`, so a crash mid-migration leaves the previous version intact.
//! A database whose recorded version is newer than this binary's is refused with
//! `StoreError::SchemaTooNew` before anything is written: an older binary must not write rows
//! a newer schema would misread.
//!
//! Migrations never touch `audit_log.body`: ledger history stays byte-identical (DM-08).

use rusqlite::{Connection, TransactionBehavior, params};
use steward_store::StoreError;

use crate::sql::db;

/// One migration.
#[derive(Debug, Clone, Copy)]
pub struct Migration {
    /// Its version (1, 2, 3 ... without gaps).
    pub version: u32,
    /// A short name.
    pub name: &'static str,
    /// The SQL.
    pub sql: &'static str,
}

/// Every migration, in order.
pub const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "initial",
        sql: include_str!("../migrations/0001_initial.sql"),
    },
    Migration {
        version: 2,
        name: "api_keys_and_choice_channels",
        sql: include_str!("../migrations/0002_api_keys_and_choice_channels.sql"),
    },
    Migration {
        version: 3,
        name: "events",
        sql: include_str!("../migrations/0003_events.sql"),
    },
    Migration {
        version: 4,
        name: "requests",
        sql: include_str!("../migrations/0004_requests.sql"),
    },
    Migration {
        version: 5,
        name: "notification_deliveries",
        sql: include_str!("../migrations/0005_notification_deliveries.sql"),
    },
    Migration {
        version: 6,
        name: "sessions",
        sql: include_str!("../migrations/0006_sessions.sql"),
    },
    Migration {
        version: 7,
        name: "message_leases",
        sql: include_str!("../migrations/0007_message_leases.sql"),
    },
    Migration {
        version: 8,
        name: "web_tokens",
        sql: include_str!("../migrations/0008_web_tokens.sql"),
    },
    Migration {
        version: 9,
        name: "agreements",
        sql: include_str!("../migrations/0009_agreements.sql"),
    },
    Migration {
        version: 10,
        name: "cases",
        sql: include_str!("../migrations/0010_cases.sql"),
    },
    Migration {
        version: 11,
        name: "policy_versions",
        sql: include_str!("../migrations/0011_policy_versions.sql"),
    },
    Migration {
        version: 12,
        name: "lifecycle",
        sql: include_str!("../migrations/0012_lifecycle.sql"),
    },
    Migration {
        version: 13,
        name: "policy_notices",
        sql: include_str!("../migrations/0013_policy_notices.sql"),
    },
    Migration {
        version: 14,
        name: "change_of_control",
        sql: include_str!("../migrations/0014_change_of_control.sql"),
    },
    Migration {
        version: 15,
        name: "complaint_messages",
        sql: include_str!("../migrations/0015_complaint_messages.sql"),
    },
    Migration {
        version: 16,
        name: "carrier_selections",
        sql: include_str!("../migrations/0016_carrier_selections.sql"),
    },
    Migration {
        version: 17,
        name: "incident_subjects",
        sql: include_str!("../migrations/0017_incident_subjects.sql"),
    },
];

/// The newest schema version this binary knows.
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

const CREATE_SCHEMA_TABLE: &str = "CREATE TABLE IF NOT EXISTS steward_schema (
    version    INTEGER NOT NULL PRIMARY KEY,
    name       TEXT    NOT NULL,
    applied_at INTEGER NOT NULL
)";

/// The version recorded in the database (0 for a new database).
pub(crate) fn current_version(conn: &Connection) -> Result<u32, StoreError> {
    let exists: bool = conn
        .query_row(
            "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'steward_schema')",
            [],
            |r| r.get(0),
        )
        .map_err(db)?;
    if !exists {
        return Ok(0);
    }
    let v: i64 = conn
        .query_row(
            "SELECT COALESCE(MAX(version), 0) FROM steward_schema",
            [],
            |r| r.get(0),
        )
        .map_err(db)?;
    u32::try_from(v).map_err(|_| StoreError::corrupt("schema version"))
}

/// Brings the database to [`SCHEMA_VERSION`]; returns the version it was at.
pub(crate) fn migrate(conn: &mut Connection, now_micros: i64) -> Result<u32, StoreError> {
    let found = {
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(db)?;
        tx.execute_batch(CREATE_SCHEMA_TABLE).map_err(db)?;
        let v = current_version(&tx)?;
        tx.commit().map_err(db)?;
        v
    };
    if found > SCHEMA_VERSION {
        return Err(StoreError::SchemaTooNew {
            db: found,
            binary: SCHEMA_VERSION,
        });
    }
    for m in MIGRATIONS {
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(db)?;
        // Re-read inside the write lock: another process may have migrated meanwhile.
        let now_at = current_version(&tx)?;
        if now_at > SCHEMA_VERSION {
            return Err(StoreError::SchemaTooNew {
                db: now_at,
                binary: SCHEMA_VERSION,
            });
        }
        if m.version <= now_at {
            continue;
        }
        tx.execute_batch(m.sql).map_err(db)?;
        tx.execute(
            "INSERT INTO steward_schema (version, name, applied_at) VALUES (?1, ?2, ?3)",
            params![m.version, m.name, now_micros],
        )
        .map_err(db)?;
        tx.commit().map_err(db)?;
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_numbered_without_gaps() {
        for (i, m) in MIGRATIONS.iter().enumerate() {
            assert_eq!(m.version as usize, i + 1, "{}", m.name);
        }
    }

    #[test]
    fn migrating_twice_is_a_no_op_and_newer_is_refused() {
        let mut conn = Connection::open_in_memory().unwrap();
        assert_eq!(migrate(&mut conn, 1).unwrap(), 0);
        assert_eq!(migrate(&mut conn, 2).unwrap(), SCHEMA_VERSION);
        assert_eq!(current_version(&conn).unwrap(), SCHEMA_VERSION);
        conn.execute(
            "INSERT INTO steward_schema (version, name, applied_at) VALUES (?1, 'future', 0)",
            params![SCHEMA_VERSION + 1],
        )
        .unwrap();
        match migrate(&mut conn, 3) {
            Err(StoreError::SchemaTooNew { db, binary }) => {
                assert_eq!((db, binary), (SCHEMA_VERSION + 1, SCHEMA_VERSION));
            }
            other => panic!("expected SchemaTooNew, got {other:?}"),
        }
    }
}
