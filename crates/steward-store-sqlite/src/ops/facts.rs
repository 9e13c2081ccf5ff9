//! A subject's decision facts read together ([`StoredFacts`]): the record, identities,
//! the ledger of the subject and its linked cookies and devices, memberships, the agreement
//! acceptances and carrier selections of its current accounts, the categories it has live
//! items of and its change-of-control notices, in one read transaction on one pooled
//! connection (one snapshot, one hand-off to the pool instead of four to eight).

use rusqlite::Connection;
use steward_store::{AccountId, IdentityKind, Party, StoreError, StoredFacts, SubjectId};

use super::{account, choice, subject};
use crate::sql::{RowExt, query_vec};

/// The facts of one subject, `None` when it does not exist. Runs inside the caller's snapshot.
fn one(conn: &Connection, id: SubjectId) -> Result<Option<StoredFacts>, StoreError> {
    let Some(record) = subject::get(conn, id)? else {
        return Ok(None);
    };
    let identities = subject::identities_of(conn, id)?;
    let mut parties = vec![Party::Subject(id)];
    parties.extend(
        identities
            .iter()
            .filter(|l| matches!(l.identity.kind, IdentityKind::Cookie | IdentityKind::Device))
            .map(|l| Party::Identity(l.identity.clone())),
    );
    let ledger = choice::list(conn, &parties)?;
    let memberships = account::memberships_of(conn, id)?;
    let current: Vec<AccountId> = memberships
        .iter()
        .filter(|m| m.removed_at.is_none())
        .map(|m| m.account)
        .collect();
    let (agreements, carriers) = if current.is_empty() {
        (Vec::new(), Vec::new())
    } else {
        (
            account::list_agreements(conn, &current)?,
            account::list_selections(conn, &current, true)?,
        )
    };
    let categories = query_vec(
        conn,
        "SELECT DISTINCT category FROM items WHERE subject = ?1 AND erased_at IS NULL \
         ORDER BY category",
        [id.to_bytes()],
        |r| r.key_at(0, "category key"),
    )?;
    let change_of_control = super::control::of_subject(conn, id)?;
    Ok(Some(StoredFacts {
        record,
        identities,
        ledger,
        memberships,
        agreements,
        carriers,
        categories,
        change_of_control,
    }))
}

/// The facts of each known subject of `ids`, in their order (each once), from one snapshot.
pub(crate) fn many(conn: &Connection, ids: &[SubjectId]) -> Result<Vec<StoredFacts>, StoreError> {
    // A deferred read transaction: every read below sees the same snapshot of the WAL.
    let tx = conn.unchecked_transaction().map_err(crate::sql::db)?;
    let mut seen = std::collections::HashSet::with_capacity(ids.len());
    let mut out = Vec::with_capacity(ids.len());
    for &id in ids {
        if seen.insert(id)
            && let Some(f) = one(&tx, id)?
        {
            out.push(f);
        }
    }
    drop(tx);
    Ok(out)
}

/// The facts of one subject. `NotFound(Subject)`.
pub(crate) fn get(conn: &Connection, id: SubjectId) -> Result<StoredFacts, StoreError> {
    many(conn, &[id])?
        .pop()
        .ok_or(StoreError::NotFound(steward_store::Entity::Subject))
}
