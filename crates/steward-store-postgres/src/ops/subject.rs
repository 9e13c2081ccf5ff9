//! Subjects, identities and erasure.

use std::collections::HashSet;

use deadpool_postgres::GenericClient;
use jiff::Timestamp;
use steward_store::values::store_precision;
use steward_store::{
    AgeBand, AgeFact, AgeSource, BlindToken, Confidence, ConflictReason, Entity, ErasureOutcome,
    HouseholdId, IdentityKind, IdentityLink, IdentityRef, ItemId, NewSubject, StoreError,
    SubjectErasure, SubjectFacts, SubjectId, SubjectKind, SubjectRecord,
};
use tokio_postgres::Row;

use crate::sql::{PgTime, RowExt, exec, i16_of, query_opt, query_vec};

pub(crate) const COLS: &str = "id, controller, kind, residency, eu_protected_since, age_band, age_years, \
                    age_source, age_known_at, household, created_at, updated_at, erased_at, revision";

fn decode(r: &Row) -> Result<SubjectRecord, StoreError> {
    decode_at(r)
}

/// [`decode`] over any row view (a column group of a wider row: `crate::sql::At`).
pub(crate) fn decode_at(r: &impl RowExt) -> Result<SubjectRecord, StoreError> {
    let age = match r.opt_code(5, "age band")? {
        None => None,
        Some(band) => Some(AgeFact {
            band: AgeBand::from_code(band)?,
            years: r.opt_code(6, "age years")?,
            source: AgeSource::from_code(r.code(7, "age source")?)?,
            known_at: r.time(8)?,
        }),
    };
    Ok(SubjectRecord {
        id: SubjectId::from_uuid(r.uuid(0, "subject id")?),
        controller: r.key(1, "controller")?,
        facts: SubjectFacts {
            kind: SubjectKind::from_code(r.code(2, "subject kind")?)?,
            residency: r.opt_key(3, "residency")?,
            eu_protected_since: r.opt_time(4)?,
            age,
            household: r.opt_uuid(9, "household")?.map(HouseholdId::from_uuid),
        },
        created_at: r.time(10)?,
        updated_at: r.time(11)?,
        erased_at: r.opt_time(12)?,
        revision: u64::try_from(r.col::<i64>(13, "revision")?)
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

pub(crate) async fn get<C: GenericClient>(
    c: &C,
    id: SubjectId,
) -> Result<Option<SubjectRecord>, StoreError> {
    query_opt(
        c,
        &format!("SELECT {COLS} FROM subjects WHERE id = $1"),
        &[&id.as_uuid()],
        decode,
    )
    .await
}

pub(crate) async fn require<C: GenericClient>(
    c: &C,
    id: SubjectId,
) -> Result<SubjectRecord, StoreError> {
    get(c, id)
        .await?
        .ok_or(StoreError::NotFound(Entity::Subject))
}

/// Locks the subject row against erasure and updates until the transaction ends (`FOR SHARE`:
/// concurrent writers of items or identities of the same subject do not wait for each other)
/// and returns whether it is erased. `NotFound(Subject)`.
pub(crate) async fn lock_shared<C: GenericClient>(
    tx: &C,
    id: SubjectId,
) -> Result<bool, StoreError> {
    query_opt(
        tx,
        "SELECT erased_at IS NOT NULL FROM subjects WHERE id = $1 FOR SHARE",
        &[&id.as_uuid()],
        |r| r.col::<bool>(0, "erased"),
    )
    .await?
    .ok_or(StoreError::NotFound(Entity::Subject))
}

/// `NotFound(Subject)` or `Conflict(Erased)` unless the subject exists and is not erased; the
/// row stays share-locked until the transaction ends.
pub(crate) async fn require_live<C: GenericClient>(
    tx: &C,
    id: SubjectId,
) -> Result<(), StoreError> {
    if lock_shared(tx, id).await? {
        Err(StoreError::conflict(
            Entity::Subject,
            ConflictReason::Erased,
        ))
    } else {
        Ok(())
    }
}

pub(crate) async fn exists<C: GenericClient>(c: &C, id: SubjectId) -> Result<bool, StoreError> {
    Ok(query_opt(
        c,
        "SELECT 1 FROM subjects WHERE id = $1",
        &[&id.as_uuid()],
        |_| Ok(()),
    )
    .await?
    .is_some())
}

type AgeCols = (Option<i16>, Option<i16>, Option<i16>, Option<PgTime>);

fn age_cols(f: &SubjectFacts) -> AgeCols {
    match &f.age {
        None => (None, None, None, None),
        Some(a) => (
            Some(i16_of(a.band.code())),
            a.years.map(i16::from),
            Some(i16_of(a.source.code())),
            Some(PgTime::of(a.known_at)),
        ),
    }
}

pub(crate) async fn create<C: GenericClient>(
    tx: &C,
    s: &NewSubject,
) -> Result<SubjectRecord, StoreError> {
    let (band, years, source, known_at) = age_cols(&s.facts);
    let created = PgTime::of(s.created_at);
    let n = exec(
        tx,
        "INSERT INTO subjects (id, controller, kind, residency, eu_protected_since, age_band, \
         age_years, age_source, age_known_at, household, created_at, updated_at, erased_at, revision) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11, NULL, 1) \
         ON CONFLICT (id) DO NOTHING",
        &[
            &s.id.as_uuid(),
            &s.controller.as_str(),
            &i16_of(s.facts.kind.code()),
            &s.facts.residency.as_ref().map(|j| j.as_str()),
            &PgTime::opt(s.facts.eu_protected_since),
            &band,
            &years,
            &source,
            &known_at,
            &s.facts.household.map(|h| h.as_uuid()),
            &created,
        ],
    )
    .await?;
    let existing = require(tx, s.id).await?;
    if n == 1 {
        return Ok(existing);
    }
    let same = existing.controller == s.controller
        && existing.facts == normalize(&s.facts)
        && existing.created_at == store_precision(s.created_at);
    if same {
        Ok(existing)
    } else {
        Err(StoreError::conflict(
            Entity::Subject,
            ConflictReason::DifferentContent,
        ))
    }
}

pub(crate) async fn update<C: GenericClient>(
    tx: &C,
    id: SubjectId,
    expected_revision: u64,
    facts: &SubjectFacts,
    at: Timestamp,
) -> Result<SubjectRecord, StoreError> {
    let current = query_opt(
        tx,
        &format!("SELECT {COLS} FROM subjects WHERE id = $1 FOR NO KEY UPDATE"),
        &[&id.as_uuid()],
        decode,
    )
    .await?
    .ok_or(StoreError::NotFound(Entity::Subject))?;
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
    let (band, years, source, known_at) = age_cols(facts);
    query_opt(
        tx,
        &format!(
            "UPDATE subjects SET kind = $2, residency = $3, eu_protected_since = $4, age_band = $5, \
             age_years = $6, age_source = $7, age_known_at = $8, household = $9, updated_at = $10, \
             revision = revision + 1 WHERE id = $1 RETURNING {COLS}"
        ),
        &[
            &id.as_uuid(),
            &i16_of(facts.kind.code()),
            &facts.residency.as_ref().map(|j| j.as_str()),
            &PgTime::opt(facts.eu_protected_since),
            &band,
            &years,
            &source,
            &known_at,
            &facts.household.map(|h| h.as_uuid()),
            &PgTime::of(at),
        ],
        decode,
    )
    .await?
    .ok_or(StoreError::NotFound(Entity::Subject))
}

pub(crate) const LINK_COLS: &str = "kind, token, subject, source, confidence, linked_at";

fn decode_link(r: &Row) -> Result<IdentityLink, StoreError> {
    decode_link_at(r)
}

/// [`decode_link`] over any row view (a column group of a wider row: `crate::sql::At`).
pub(crate) fn decode_link_at(r: &impl RowExt) -> Result<IdentityLink, StoreError> {
    Ok(IdentityLink {
        identity: IdentityRef {
            kind: IdentityKind::from_code(r.code(0, "identity kind")?)?,
            token: BlindToken::new(r.col::<&[u8]>(1, "blind token")?.to_vec())
                .map_err(|_| StoreError::corrupt("blind token"))?,
        },
        subject: SubjectId::from_uuid(r.uuid(2, "subject id")?),
        source: r.key(3, "identity source")?,
        confidence: Confidence::new(r.code(4, "confidence")?)
            .map_err(|_| StoreError::corrupt("confidence"))?,
        linked_at: r.time(5)?,
    })
}

pub(crate) async fn attach_identity<C: GenericClient>(
    tx: &C,
    link: &IdentityLink,
) -> Result<(), StoreError> {
    require_live(tx, link.subject).await?;
    let kind = link.identity.kind;
    let token = link.identity.token.as_bytes();
    // DO NOTHING on any conflict: the same link again (idempotent), or — for exclusive kinds —
    // the partial unique index saying another subject holds the token.
    let n = exec(
        tx,
        "INSERT INTO identities (kind, token, subject, source, confidence, linked_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
        &[
            &i16_of(kind.code()),
            &token,
            &link.subject.as_uuid(),
            &link.source.as_str(),
            &i16_of(link.confidence.get()),
            &PgTime::of(link.linked_at),
        ],
    )
    .await?;
    if n == 1 || !kind.is_exclusive() {
        return Ok(());
    }
    let holder = query_opt(
        tx,
        "SELECT subject FROM identities WHERE kind = $1 AND token = $2",
        &[&i16_of(kind.code()), &token],
        |r| r.uuid(0, "subject id"),
    )
    .await?;
    if holder == Some(link.subject.as_uuid()) {
        Ok(())
    } else {
        Err(StoreError::conflict(
            Entity::Identity,
            ConflictReason::IdentityTaken,
        ))
    }
}

pub(crate) async fn detach_identity<C: GenericClient>(
    c: &C,
    subject: SubjectId,
    identity: &IdentityRef,
) -> Result<bool, StoreError> {
    let n = exec(
        c,
        "DELETE FROM identities WHERE kind = $1 AND token = $2 AND subject = $3",
        &[
            &i16_of(identity.kind.code()),
            &identity.token.as_bytes(),
            &subject.as_uuid(),
        ],
    )
    .await?;
    Ok(n > 0)
}

pub(crate) async fn find_by_identity<C: GenericClient>(
    c: &C,
    identity: &IdentityRef,
) -> Result<Vec<IdentityLink>, StoreError> {
    // Sorted here: few rows, and the lookup stays a plain index scan.
    let mut links = query_vec(
        c,
        &format!("SELECT {LINK_COLS} FROM identities WHERE kind = $1 AND token = $2"),
        &[&i16_of(identity.kind.code()), &identity.token.as_bytes()],
        decode_link,
    )
    .await?;
    links.sort_by_key(|l| (l.linked_at, l.subject));
    Ok(links)
}

pub(crate) async fn identities_of<C: GenericClient>(
    c: &C,
    subject: SubjectId,
) -> Result<Vec<IdentityLink>, StoreError> {
    let mut links = query_vec(
        c,
        &format!("SELECT {LINK_COLS} FROM identities WHERE subject = $1"),
        &[&subject.as_uuid()],
        decode_link,
    )
    .await?;
    links.sort_by(|a, b| (a.linked_at, &a.identity).cmp(&(b.linked_at, &b.identity)));
    Ok(links)
}

pub(crate) async fn erase<C: GenericClient>(
    tx: &C,
    e: &SubjectErasure,
) -> Result<ErasureOutcome, StoreError> {
    // Exclusive lock: writers of the subject's items and identities (FOR SHARE) wait, and
    // see the erasure when they proceed.
    let current = query_opt(
        tx,
        &format!("SELECT {COLS} FROM subjects WHERE id = $1 FOR UPDATE"),
        &[&e.subject.as_uuid()],
        decode,
    )
    .await?
    .ok_or(StoreError::NotFound(Entity::Subject))?;
    let retain: HashSet<ItemId> = e.retain.iter().copied().collect();
    let live: Vec<ItemId> = query_vec(
        tx,
        "SELECT id FROM items WHERE subject = $1 AND erased_at IS NULL ORDER BY id",
        &[&e.subject.as_uuid()],
        |r| Ok(ItemId::from_uuid(r.uuid(0, "item id")?)),
    )
    .await?;
    if e.destroy_key && live.iter().any(|id| retain.contains(id)) {
        return Err(StoreError::conflict(
            Entity::DataKey,
            ConflictReason::ItemsRetained,
        ));
    }
    let at = PgTime::of(e.at);
    let doomed: Vec<uuid::Uuid> = live
        .iter()
        .filter(|id| !retain.contains(id))
        .map(|id| id.as_uuid())
        .collect();
    let mut out = ErasureOutcome::default();
    if !doomed.is_empty() {
        // SECURITY: the old tuple keeps the ciphertext until VACUUM reclaims it (and WAL and
        // backups keep copies): unreadability rests on crypto-shredding the data key.
        out.items_erased = exec(
            tx,
            "UPDATE items SET value = NULL, erased_at = $2, updated_at = $2 \
             WHERE id = ANY($1) AND erased_at IS NULL",
            &[&doomed, &at],
        )
        .await?;
    }
    out.identities_unlinked = exec(
        tx,
        "DELETE FROM identities WHERE subject = $1",
        &[&e.subject.as_uuid()],
    )
    .await?;
    if e.destroy_key {
        out.key_destroyed = super::key::destroy(tx, e.subject, e.at, true).await?;
    }
    let cleared = SubjectFacts::of_kind(current.facts.kind);
    if current.erased_at.is_none() || current.facts != cleared {
        exec(
            tx,
            "UPDATE subjects SET residency = NULL, eu_protected_since = NULL, age_band = NULL, \
             age_years = NULL, age_source = NULL, age_known_at = NULL, household = NULL, \
             erased_at = COALESCE(erased_at, $2), updated_at = $2, revision = revision + 1 \
             WHERE id = $1",
            &[&e.subject.as_uuid(), &at],
        )
        .await?;
    }
    Ok(out)
}
