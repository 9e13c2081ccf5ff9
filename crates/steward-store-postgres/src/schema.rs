//! Versioned schema migrations, applied when the store connects.
//!
//! Several Steward processes may start together on one database, so every migration step
//! runs in its own transaction that first takes a transaction-level advisory lock
//! ([`MIGRATION_LOCK`]), then re-reads the recorded version: the first process applies a
//! migration, the others wait for the lock, see the new version and skip it. Each migration
//! commits together with the row that records it in `steward_schema`, so a crash
//! mid-migration leaves the previous version intact (PostgreSQL DDL is transactional).
//!
//! A database whose recorded version is newer than this binary's is refused with
//! `StoreError::SchemaTooNew` before anything is written: an older binary must not write rows
//! a newer schema would misread.
//!
//! Migrations never touch `audit_log.body`: ledger history stays byte-identical (DM-08).

use deadpool_postgres::{Client, GenericClient};
use steward_store::StoreError;

use crate::sql::{PgTime, pg};

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
        name: "requests",
        sql: include_str!("../migrations/0002_requests.sql"),
    },
    Migration {
        version: 3,
        name: "events",
        sql: include_str!("../migrations/0003_events.sql"),
    },
    Migration {
        version: 4,
        name: "notification_deliveries",
        sql: include_str!("../migrations/0004_notification_deliveries.sql"),
    },
    Migration {
        version: 5,
        name: "audit_intents",
        sql: include_str!("../migrations/0005_audit_intents.sql"),
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

/// The advisory lock key that serializes migrations across processes ("Steward" + 1).
pub const MIGRATION_LOCK: i64 = 0x5374_6577_6172_6401;

const CREATE_SCHEMA_TABLE: &str = "CREATE TABLE IF NOT EXISTS steward_schema (
    version    integer     NOT NULL PRIMARY KEY,
    name       text        NOT NULL,
    applied_at timestamptz NOT NULL
)";

/// The version recorded in the database (0 for a new database).
pub(crate) async fn current_version<C: GenericClient>(c: &C) -> Result<u32, StoreError> {
    let exists: bool = c
        .query_one("SELECT to_regclass('steward_schema') IS NOT NULL", &[])
        .await
        .map_err(pg)?
        .try_get(0)
        .map_err(pg)?;
    if !exists {
        return Ok(0);
    }
    let v: i32 = c
        .query_one("SELECT COALESCE(MAX(version), 0) FROM steward_schema", &[])
        .await
        .map_err(pg)?
        .try_get(0)
        .map_err(pg)?;
    u32::try_from(v).map_err(|_| StoreError::corrupt("schema version"))
}

fn too_new(db: u32) -> StoreError {
    StoreError::SchemaTooNew {
        db,
        binary: SCHEMA_VERSION,
    }
}

/// Brings the database to [`SCHEMA_VERSION`]; returns the version it was at.
pub(crate) async fn migrate(client: &mut Client, now: PgTime) -> Result<u32, StoreError> {
    let found = {
        let tx = client.transaction().await.map_err(pg)?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
            .await
            .map_err(pg)?;
        let v = current_version(&tx).await?;
        if v > SCHEMA_VERSION {
            // Nothing was written; the rollback releases the lock.
            return Err(too_new(v));
        }
        tx.batch_execute(CREATE_SCHEMA_TABLE).await.map_err(pg)?;
        tx.commit().await.map_err(pg)?;
        v
    };
    for m in MIGRATIONS.iter().filter(|m| m.version > found) {
        let tx = client.transaction().await.map_err(pg)?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
            .await
            .map_err(pg)?;
        // Re-read under the lock: another process may have migrated meanwhile.
        let now_at = current_version(&tx).await?;
        if now_at > SCHEMA_VERSION {
            return Err(too_new(now_at));
        }
        if m.version <= now_at {
            continue;
        }
        tx.batch_execute(m.sql).await.map_err(pg)?;
        let version =
            i32::try_from(m.version).map_err(|_| StoreError::corrupt("schema version"))?;
        tx.execute(
            "INSERT INTO steward_schema (version, name, applied_at) VALUES ($1, $2, $3)",
            &[&version, &m.name, &now],
        )
        .await
        .map_err(pg)?;
        tx.commit().await.map_err(pg)?;
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
}
