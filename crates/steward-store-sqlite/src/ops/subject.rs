//! Subjects, identities and erasure.

use std::collections::HashSet;

use jiff::Timestamp;
use rusqlite::{Connection, Row, params};
use steward_store::values::store_precision;
use steward_store::{
    AgeBand, AgeFact, AgeSource, BlindToken, Confidence, ConflictReason, Entity, ErasureOutcome,
    HouseholdId, IdentityKind, IdentityLink, IdentityRef, ItemId, NewSubject, StoreError,
    SubjectErasure, SubjectFacts, SubjectId, SubjectKind, SubjectRecord,
};

use crate::sql::{
    RowExt, db, exec, exec_raw, is_unique_violation, micros, opt_micros, query_opt, query_vec,
};

const COLS: &str = "id, controller, kind, residency, eu_protected_since, age_band, age_years, \
                    age_source, age_known_at, household, created_at, updated_at, erased_at, revision";

fn decode(r: &Row<'_>) -> Result<SubjectRecord, StoreError> {
    let age = match r.opt_code_at(5, "age band")? {
        None => None,
        Some(band) => Some(AgeFact {
            band: AgeBand::from_code(band)?,
            years: r.opt_code_at(6, "age years")?,
            source: AgeSource::from_code(r.code_at(7, "age source")?)?,
            known_at: r.time_at(8)?,
        }),
    };
    Ok(SubjectRecord {
        id: SubjectId::from_bytes(r.id16_at(0, "subject id")?),
        controller: r.key_at(1, "controller")?,
        facts: SubjectFacts {
            kind: SubjectKind::from_code(r.code_at(2, "subject kind")?)?,
            residency: r.opt_key_at(3, "residency")?,
            eu_protected_since: r.opt_time_at(4)?,
            age,
            household: r.opt_id16_at(9, "household")?.map(HouseholdId::from_bytes),
        },
        created_at: r.time_at(10)?,
        updated_at: r.time_at(11)?,
        erased_at: r.opt_time_at(12)?,
        revision: u64::try_from(r.i64_at(13, "revision")?)
            .map_err(|_| StoreError::corrupt("revision"))?,
    })
}

fn normalize(f: &SubjectFacts) -> SubjectFacts {
    let mut f = f.clone();
    f.eu_protected_since = f.eu_protected_since.map(store_precision);
    if let Some(a) = f.age.as_mut() {
        a.known_at = store_precision(a.known_at);
    }
    f
}

pub(crate) fn get(conn: &Connection, id: SubjectId) -> Result<Option<SubjectRecord>, StoreError> {
    query_opt(
        conn,
        &format!("SELECT {COLS} FROM subjects WHERE id = ?1"),
        [id.to_bytes()],
        decode,
    )
}

pub(crate) fn require(conn: &Connection, id: SubjectId) -> Result<SubjectRecord, StoreError> {
    get(conn, id)?.ok_or(StoreError::NotFound(Entity::Subject))
}

/// `Ok(erased?)` for an existing subject, `NotFound(Subject)` otherwise.
pub(crate) fn erased(conn: &Connection, id: SubjectId) -> Result<bool, StoreError> {
    query_opt(
        conn,
        "SELECT erased_at IS NOT NULL FROM subjects WHERE id = ?1",
        [id.to_bytes()],
        |r| Ok(r.i64_at(0, "erased")? != 0),
    )?
    .ok_or(StoreError::NotFound(Entity::Subject))
}

/// `NotFound(Subject)` or `Conflict(Erased)` unless the subject exists and is not erased.
pub(crate) fn require_live(conn: &Connection, id: SubjectId) -> Result<(), StoreError> {
    if erased(conn, id)? {
        Err(StoreError::conflict(
            Entity::Subject,
            ConflictReason::Erased,
        ))
    } else {
        Ok(())
    }
}

pub(crate) fn exists(conn: &Connection, id: SubjectId) -> Result<bool, StoreError> {
    Ok(query_opt(
        conn,
        "SELECT 1 FROM subjects WHERE id = ?1",
        [id.to_bytes()],
        |_| Ok(()),
    )?
    .is_some())
}

fn write_facts(f: &SubjectFacts) -> (Option<u8>, Option<u8>, Option<u8>, Option<i64>) {
    match &f.age {
        None => (None, None, None, None),
        Some(a) => (
            Some(a.band.code()),
            a.years,
            Some(a.source.code()),
            Some(micros(a.known_at)),
        ),
    }
}

pub(crate) fn create(conn: &Connection, s: &NewSubject) -> Result<SubjectRecord, StoreError> {
    if let Some(existing) = get(conn, s.id)? {
        let same = existing.controller == s.controller
            && existing.facts == normalize(&s.facts)
            && existing.created_at == store_precision(s.created_at);
        return if same {
            Ok(existing)
        } else {
            Err(StoreError::conflict(
                Entity::Subject,
                ConflictReason::DifferentContent,
            ))
        };
    }
    let (band, years, source, known_at) = write_facts(&s.facts);
    exec(
        conn,
        "INSERT INTO subjects (id, controller, kind, residency, eu_protected_since, age_band, \
         age_years, age_source, age_known_at, household, created_at, updated_at, erased_at, revision) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11, NULL, 1)",
        params![
            s.id.to_bytes(),
            s.controller.as_str(),
            s.facts.kind.code(),
            s.facts.residency.as_ref().map(|j| j.as_str()),
            opt_micros(s.facts.eu_protected_since),
            band,
            years,
            source,
            known_at,
            s.facts.household.map(|h| h.to_bytes()),
            micros(s.created_at),
        ],
    )?;
    require(conn, s.id)
}

pub(crate) fn update(
    conn: &Connection,
    id: SubjectId,
    expected_revision: u64,
    facts: &SubjectFacts,
    at: Timestamp,
) -> Result<SubjectRecord, StoreError> {
    let current = require(conn, id)?;
    if current.erased_at.is_some() {
        return Err(StoreError::conflict(
            Entity::Subject,
            ConflictReason::Erased,
        ));
    }
    if current.revision != expected_revision {
        return Err(StoreError::conflict(
            Entity::Subject,
            ConflictReason::StaleRevision,
        ));
    }
    let (band, years, source, known_at) = write_facts(facts);
    exec(
        conn,
        "UPDATE subjects SET kind = ?2, residency = ?3, eu_protected_since = ?4, age_band = ?5, \
         age_years = ?6, age_source = ?7, age_known_at = ?8, household = ?9, updated_at = ?10, \
         revision = revision + 1 WHERE id = ?1",
        params![
            id.to_bytes(),
            facts.kind.code(),
            facts.residency.as_ref().map(|j| j.as_str()),
            opt_micros(facts.eu_protected_since),
            band,
            years,
            source,
            known_at,
            facts.household.map(|h| h.to_bytes()),
            micros(at),
        ],
    )?;
    require(conn, id)
}

fn decode_link(r: &Row<'_>) -> Result<IdentityLink, StoreError> {
    Ok(IdentityLink {
        identity: IdentityRef {
            kind: IdentityKind::from_code(r.code_at(0, "identity kind")?)?,
            token: BlindToken::new(r.blob_at(1, "blind token")?.to_vec())
                .map_err(|_| StoreError::corrupt("blind token"))?,
        },
        subject: SubjectId::from_bytes(r.id16_at(2, "subject id")?),
        source: r.key_at(3, "identity source")?,
        confidence: Confidence::new(r.code_at(4, "confidence")?)
            .map_err(|_| StoreError::corrupt("confidence"))?,
        linked_at: r.time_at(5)?,
    })
}

const LINK_COLS: &str = "kind, token, subject, source, confidence, linked_at";

pub(crate) fn attach_identity(conn: &Connection, link: &IdentityLink) -> Result<(), StoreError> {
    require_live(conn, link.subject)?;
    let kind = link.identity.kind;
    let token = link.identity.token.as_bytes();
    let inserted = exec_raw(
        conn,
        "INSERT INTO identities (kind, token, subject, source, confidence, linked_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (kind, token, subject) DO NOTHING",
        params![
            kind.code(),
            token,
            link.subject.to_bytes(),
            link.source.as_str(),
            link.confidence.get(),
            micros(link.linked_at),
        ],
    );
    match inserted {
        Ok(_) => Ok(()),
        // The partial unique index of exclusive kinds: the token belongs to another subject.
        Err(e) if is_unique_violation(&e) && kind.is_exclusive() => Err(StoreError::conflict(
            Entity::Identity,
            ConflictReason::IdentityTaken,
        )),
        Err(e) => Err(db(e)),
    }
}

pub(crate) fn detach_identity(
    conn: &Connection,
    subject: SubjectId,
    identity: &IdentityRef,
) -> Result<bool, StoreError> {
    let n = exec(
        conn,
        "DELETE FROM identities WHERE kind = ?1 AND token = ?2 AND subject = ?3",
        params![
            identity.kind.code(),
            identity.token.as_bytes(),
            subject.to_bytes()
        ],
    )?;
    Ok(n > 0)
}

pub(crate) fn find_by_identity(
    conn: &Connection,
    identity: &IdentityRef,
) -> Result<Vec<IdentityLink>, StoreError> {
    // Sorted here rather than with ORDER BY: the rows come from the primary key in
    // (kind, token, subject) order, an ORDER BY on linked_at would make SQLite set up a
    // sorter for every lookup (3x the cost of the lookup), and there are only a few rows.
    let mut links = query_vec(
        conn,
        &format!("SELECT {LINK_COLS} FROM identities WHERE kind = ?1 AND token = ?2"),
        params![identity.kind.code(), identity.token.as_bytes()],
        decode_link,
    )?;
    links.sort_by_key(|l| (l.linked_at, l.subject));
    Ok(links)
}

pub(crate) fn identities_of(
    conn: &Connection,
    subject: SubjectId,
) -> Result<Vec<IdentityLink>, StoreError> {
    let mut links = query_vec(
        conn,
        &format!("SELECT {LINK_COLS} FROM identities WHERE subject = ?1"),
        [subject.to_bytes()],
        decode_link,
    )?;
    links.sort_by(|a, b| (a.linked_at, &a.identity).cmp(&(b.linked_at, &b.identity)));
    Ok(links)
}

pub(crate) fn erase(conn: &Connection, e: &SubjectErasure) -> Result<ErasureOutcome, StoreError> {
    let current = require(conn, e.subject)?;
    let retain: HashSet<ItemId> = e.retain.iter().copied().collect();
    let live: Vec<ItemId> = query_vec(
        conn,
        "SELECT id FROM items WHERE subject = ?1 AND erased_at IS NULL ORDER BY id",
        [e.subject.to_bytes()],
        |r| Ok(ItemId::from_bytes(r.id16_at(0, "item id")?)),
    )?;
    if e.destroy_key && live.iter().any(|id| retain.contains(id)) {
        return Err(StoreError::conflict(
            Entity::DataKey,
            ConflictReason::ItemsRetained,
        ));
    }
    let at = micros(e.at);
    let mut out = ErasureOutcome::default();
    for id in live.iter().filter(|id| !retain.contains(id)) {
        out.items_erased += exec(
            conn,
            "UPDATE items SET value = NULL, erased_at = ?2, updated_at = ?2 \
             WHERE id = ?1 AND erased_at IS NULL",
            params![id.to_bytes(), at],
        )? as u64;
    }
    out.identities_unlinked = exec(
        conn,
        "DELETE FROM identities WHERE subject = ?1",
        [e.subject.to_bytes()],
    )? as u64;
    if e.destroy_key {
        out.key_destroyed = super::key::destroy(conn, e.subject, e.at, true)?;
    }
    let cleared = SubjectFacts::of_kind(current.facts.kind);
    if current.erased_at.is_none() || current.facts != cleared {
        exec(
            conn,
            "UPDATE subjects SET residency = NULL, eu_protected_since = NULL, age_band = NULL, \
             age_years = NULL, age_source = NULL, age_known_at = NULL, household = NULL, \
             erased_at = COALESCE(erased_at, ?2), updated_at = ?2, revision = revision + 1 \
             WHERE id = ?1",
            params![e.subject.to_bytes(), at],
        )?;
    }
    Ok(out)
}
