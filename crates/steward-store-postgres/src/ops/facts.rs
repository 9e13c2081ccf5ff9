//! A subject's decision facts read together ([`StoredFacts`]) in ONE query, for one subject
//! or many: the subjects, their identities, the ledger of each subject and of its linked
//! cookies and devices (DM-03, GPC-04), memberships, the agreement acceptances (CUST-01) and
//! the carrier selections not withdrawn (CARRIER-01) of the accounts each is a current member
//! of, the categories each has live items of (USPS-07; from the `items_provided` index), and
//! its change-of-control notices (BIZ-03). One statement is one snapshot and one round trip
//! (before: four concurrent reads, then up to two more).
//!
//! The answer is one wide row per record: a tag (which kind of record), the subject it belongs
//! to, then one group of columns per kind (the others NULL). Each group is decoded by the
//! decoder of its own module over a view of the row ([`At`]), so the record decoding is the
//! one the single-record reads use.

use std::collections::HashMap;
use std::fmt::Write as _;

use deadpool_postgres::GenericClient;
use steward_store::model::choice::ledger_order;
use steward_store::{IdentityKind, StoreError, StoredFacts, SubjectId};

use super::{account, choice, control, subject};
use crate::sql::{At, RowExt, pg};

/// One group of columns: its table alias, its columns (as the module's `COLS`) and their types
/// (for the typed NULLs of the other branches).
struct Group {
    alias: &'static str,
    cols: &'static str,
    types: &'static [&'static str],
}

const SUBJECT: Group = Group {
    alias: "s",
    cols: subject::COLS,
    types: &[
        "uuid",
        "text",
        "int2",
        "text",
        "timestamptz",
        "int2",
        "int2",
        "int2",
        "timestamptz",
        "uuid",
        "timestamptz",
        "timestamptz",
        "timestamptz",
        "int8",
    ],
};
const LINK: Group = Group {
    alias: "l",
    cols: subject::LINK_COLS,
    types: &["int2", "bytea", "uuid", "text", "int2", "timestamptz"],
};
const CHOICE: Group = Group {
    alias: "c",
    cols: choice::COLS,
    types: &[
        "uuid",
        "int2",
        "bytea",
        "text",
        "bool",
        "int2",
        "int2",
        "uuid",
        "text",
        "text",
        "bytea",
        "timestamptz",
        "text",
    ],
};
const MEMBER: Group = Group {
    alias: "m",
    cols: account::MEMBER_COLS,
    types: &["uuid", "uuid", "int2", "timestamptz", "timestamptz"],
};
const ACCEPTANCE: Group = Group {
    alias: "a",
    cols: account::ACCEPTANCE_COLS,
    types: &[
        "uuid",
        "uuid",
        "text",
        "text",
        "bytea",
        "uuid",
        "timestamptz",
    ],
};

const NOTICE: Group = Group {
    alias: "n",
    cols: control::COLS,
    types: &[
        "uuid",
        "uuid",
        "text",
        "timestamptz",
        "timestamptz",
        "timestamptz",
    ],
};

const SELECTION: Group = Group {
    alias: "k",
    cols: account::SELECTION_COLS,
    types: &[
        "uuid",
        "uuid",
        "text",
        "text",
        "text",
        "uuid",
        "timestamptz",
        "timestamptz",
        "uuid",
    ],
};

const CATEGORY: Group = Group {
    alias: "i",
    cols: "category",
    types: &["text"],
};

/// The groups in column order, after the tag (0) and the owner (1).
const GROUPS: [&Group; 8] = [
    &SUBJECT,
    &LINK,
    &CHOICE,
    &MEMBER,
    &ACCEPTANCE,
    &NOTICE,
    &SELECTION,
    &CATEGORY,
];

fn columns(g: &Group) -> impl Iterator<Item = &'static str> {
    g.cols.split(',').map(str::trim)
}

/// Where each group starts in the row.
fn bases() -> [usize; 8] {
    let mut out = [0; 8];
    let mut at = 2;
    for (i, g) in GROUPS.iter().enumerate() {
        out[i] = at;
        at += g.types.len();
    }
    out
}

/// One branch of the union: tag, owner, then `which` group's columns and typed NULLs for the
/// others.
fn branch(tag: usize, owner: &str, from: &str) -> String {
    let mut sql = format!("SELECT {tag}::int2, {owner}");
    for (i, g) in GROUPS.iter().enumerate() {
        if i == tag {
            for c in columns(g) {
                let _ = write!(sql, ", {}.{c}", g.alias);
            }
        } else {
            for t in g.types {
                let _ = write!(sql, ", NULL::{t}");
            }
        }
    }
    sql.push(' ');
    sql.push_str(from);
    sql
}

/// The statement for many subjects (`$1`: `uuid[]`) or for one (`$1`: `uuid`), built once per
/// process and prepared once per pooled connection.
///
/// Two texts, not one: the plan of the many-subject text depends on the array's length, so
/// PostgreSQL plans it afresh at each execution (a custom plan), and planning this union costs
/// several times its execution. With `= $1` the generic plan is as cheap as a custom one, so
/// after its first executions PostgreSQL keeps reusing it: a single subject's facts are read
/// without planning.
fn statement(single: bool) -> &'static str {
    static MANY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    static ONE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let (cell, matches) = if single {
        (&ONE, "= $1::uuid")
    } else {
        (&MANY, "= ANY($1::uuid[])")
    };
    cell.get_or_init(|| {
        let cookie = IdentityKind::Cookie.code();
        let device = IdentityKind::Device.code();
        let head = format!(
            "WITH s AS (SELECT * FROM subjects WHERE id {matches}), \
             l AS (SELECT * FROM identities WHERE subject {matches}), \
             p AS (SELECT id AS owner, 0::int2 AS party_kind, uuid_send(id) AS party FROM s \
                   UNION SELECT subject, kind, token FROM l WHERE kind IN ({cookie}, {device})) "
        );
        let branches = [
            branch(0, "s.id", "FROM s"),
            branch(1, "l.subject", "FROM l"),
            branch(
                2,
                "p.owner",
                "FROM p JOIN choices c ON c.party_kind = p.party_kind AND c.party = p.party",
            ),
            branch(
                3,
                "m.subject",
                &format!("FROM account_members m WHERE m.subject {matches}"),
            ),
            branch(
                4,
                "m.subject",
                &format!(
                    "FROM account_members m JOIN agreement_acceptances a ON a.account = m.account \
                     WHERE m.subject {matches} AND m.removed_at IS NULL"
                ),
            ),
            branch(
                5,
                "n.subject",
                &format!("FROM change_of_control_notices n WHERE n.subject {matches}"),
            ),
            branch(
                6,
                "m.subject",
                &format!(
                    "FROM account_members m JOIN carrier_selections k ON k.account = m.account \
                     WHERE m.subject {matches} AND m.removed_at IS NULL \
                     AND k.withdrawn_at IS NULL"
                ),
            ),
            branch(
                7,
                "i.subject",
                &format!(
                    "FROM (SELECT DISTINCT subject, category FROM items \
                     WHERE subject {matches} AND erased_at IS NULL) i"
                ),
            ),
        ];
        head + &branches.join(" UNION ALL ")
    })
}

/// The facts of each known subject of `ids`, in their order (each once), in one query.
pub(crate) async fn many<C: GenericClient>(
    c: &C,
    ids: &[SubjectId],
) -> Result<Vec<StoredFacts>, StoreError> {
    let mut order: Vec<SubjectId> = Vec::with_capacity(ids.len());
    let mut seen = std::collections::HashSet::with_capacity(ids.len());
    for &id in ids {
        if seen.insert(id) {
            order.push(id);
        }
    }
    if order.is_empty() {
        return Ok(Vec::new());
    }
    let rows = if let [one] = order.as_slice() {
        let st = c.prepare_cached(statement(true)).await.map_err(pg)?;
        c.query(&st, &[&one.as_uuid()]).await.map_err(pg)?
    } else {
        let uuids: Vec<uuid::Uuid> = order.iter().map(|s| s.as_uuid()).collect();
        let st = c.prepare_cached(statement(false)).await.map_err(pg)?;
        c.query(&st, &[&uuids]).await.map_err(pg)?
    };
    let base = bases();
    let mut found: HashMap<SubjectId, StoredFacts> = HashMap::with_capacity(order.len());
    // Subjects first: the other records attach to them.
    let mut rest = Vec::with_capacity(rows.len());
    for row in &rows {
        let tag = row.col::<i16>(0, "facts tag")?;
        if tag == 0 {
            let record = subject::decode_at(&At { row, base: base[0] })?;
            found.insert(
                record.id,
                StoredFacts {
                    record,
                    identities: Vec::new(),
                    ledger: Vec::new(),
                    memberships: Vec::new(),
                    agreements: Vec::new(),
                    carriers: Vec::new(),
                    categories: Vec::new(),
                    change_of_control: Vec::new(),
                },
            );
        } else {
            rest.push((tag, row));
        }
    }
    for (tag, row) in rest {
        let owner = SubjectId::from_uuid(row.uuid(1, "facts owner")?);
        let Some(f) = found.get_mut(&owner) else {
            continue;
        };
        match tag {
            1 => f
                .identities
                .push(subject::decode_link_at(&At { row, base: base[1] })?),
            2 => f
                .ledger
                .push(choice::decode_at(&At { row, base: base[2] })?),
            3 => f
                .memberships
                .push(account::decode_member_at(&At { row, base: base[3] })?),
            4 => f
                .agreements
                .push(account::decode_acceptance_at(&At { row, base: base[4] })?),
            5 => f
                .change_of_control
                .push(control::decode_at(&At { row, base: base[5] })?),
            6 => f
                .carriers
                .push(account::decode_selection_at(&At { row, base: base[6] })?),
            7 => f
                .categories
                .push(At { row, base: base[7] }.key(0, "category key")?),
            _ => return Err(StoreError::corrupt("facts tag")),
        }
    }
    let mut out = Vec::with_capacity(found.len());
    for id in order {
        let Some(mut f) = found.remove(&id) else {
            continue;
        };
        // The orders of the single-record reads.
        f.identities
            .sort_by(|a, b| (a.linked_at, &a.identity).cmp(&(b.linked_at, &b.identity)));
        f.ledger.sort_by(ledger_order);
        f.ledger.dedup_by_key(|e| e.id);
        f.memberships.sort_by_key(|m| (m.added_at, m.account));
        f.agreements.sort_by_key(|a| (a.accepted_at, a.id));
        f.agreements.dedup_by_key(|a| a.id);
        f.change_of_control.sort_by_key(|n| (n.effective_at, n.id));
        f.carriers.sort_by_key(|c| (c.selected_at, c.id));
        f.carriers.dedup_by_key(|c| c.id);
        f.categories.sort();
        f.categories.dedup();
        out.push(f);
    }
    Ok(out)
}

/// The facts of one subject. `NotFound(Subject)`.
pub(crate) async fn get<C: GenericClient>(c: &C, id: SubjectId) -> Result<StoredFacts, StoreError> {
    many(c, &[id])
        .await?
        .pop()
        .ok_or(StoreError::NotFound(steward_store::Entity::Subject))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each group names as many types as its module reads columns, so the typed NULLs line up.
    #[test]
    fn every_group_has_a_type_per_column() {
        for g in GROUPS {
            assert_eq!(columns(g).count(), g.types.len(), "{}", g.cols);
        }
        for single in [true, false] {
            let sql = statement(single);
            assert_eq!(sql.matches("UNION ALL").count(), 7);
            assert_eq!(sql.contains("ANY("), !single);
        }
        assert_eq!(bases(), [2, 16, 22, 35, 40, 47, 53, 62]);
    }
}
