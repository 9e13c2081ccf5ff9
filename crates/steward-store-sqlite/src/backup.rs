//! Consistent snapshots of the database file (`steward export`).
//!
//! `VACUUM INTO` writes a transactionally consistent copy from a separate
//! read connection while the writer keeps working. The copy holds what the
//! database holds: ciphertext, blind-index tokens and wrapped data keys —
//! never the key ring, which must be backed up separately.

use std::path::Path;

use rusqlite::{Connection, OpenFlags};
use steward_store::StoreError;

/// Write a consistent copy of the database at `db` to `dest` (which must not exist).
///
/// # Errors
/// When the database cannot be read or the copy cannot be written.
pub fn snapshot(db: &Path, dest: &Path) -> Result<(), StoreError> {
    let conn = Connection::open_with_flags(
        db,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(StoreError::backend)?;
    let dest = dest.to_str().ok_or_else(|| {
        StoreError::backend(std::io::Error::other("the destination path is not UTF-8"))
    })?;
    conn.execute("VACUUM INTO ?1", [dest])
        .map_err(StoreError::backend)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dest, std::fs::Permissions::from_mode(0o600))
            .map_err(StoreError::backend)?;
    }
    Ok(())
}
