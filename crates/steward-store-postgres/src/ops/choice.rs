//! The choices ledger.

use std::collections::HashSet;

use deadpool_postgres::GenericClient;
use steward_store::values::store_precision;
use steward_store::{
    Actor, BlindToken, ChoiceEntry, ChoiceId, ChoiceSource, Entity, IdentityKind, IdentityRef,
    Party, StoreError, SubjectId,
};
use tokio_postgres::Row;
use tokio_postgres::error::SqlState;

use crate::sql::{PgTime, RowExt, i16_of, is_state, pg, query_opt, query_vec};

pub(crate) const COLS: &str = "id, party_kind, party, key, value, source, actor_kind, actor_subject, \
                    actor_service, policy_version, notice_hash, at, channel";

/// `(party_kind, party bytes)`: 0 + subject id, or the identity kind code + token.
fn party_cols(p: &Party) -> (i16, Vec<u8>) {
    match p {
        Party::Subject(s) => (0, s.to_bytes().to_vec()),
        Party::Identity(i) => (i16_of(i.kind.code()), i.token.as_bytes().to_vec()),
    }
}

fn decode(r: &Row) -> Result<ChoiceEntry, StoreError> {
    decode_at(r)
}

/// [`decode`] over any row view (a column group of a wider row: `crate::sql::At`).
pub(crate) fn decode_at(r: &impl RowExt) -> Result<ChoiceEntry, StoreError> {
    let party_bytes = r.col::<&[u8]>(2, "party")?;
    let party = match r.code(1, "party kind")? {
        0 => Party::Subject(
            SubjectId::from_slice(party_bytes).map_err(|_| StoreError::corrupt("party"))?,
        ),
        code => Party::Identity(IdentityRef {
            kind: IdentityKind::from_code(code)?,
            token: BlindToken::new(party_bytes.to_vec())
                .map_err(|_| StoreError::corrupt("party token"))?,
        }),
    };
    let actor = match r.code(6, "actor kind")? {
        0 => Actor::System,
        1 => Actor::Subject(SubjectId::from_uuid(r.uuid(7, "actor subject")?)),
        2 => Actor::Service(r.key(8, "actor service")?),
        _ => return Err(StoreError::corrupt("actor kind")),
    };
    Ok(ChoiceEntry {
        id: ChoiceId::from_uuid(r.uuid(0, "choice id")?),
        party,
        key: r.key(3, "choice key")?,
        value: r.col::<bool>(4, "choice value")?,
        source: ChoiceSource::from_code(r.code(5, "choice source")?)?,
        channel: r.opt_key(12, "choice channel")?,
        actor,
        policy_version: r.key(9, "policy version")?,
        notice_hash: r.opt_digest(10)?,
        at: r.time(11)?,
    })
}

fn normalized(e: &ChoiceEntry) -> ChoiceEntry {
    let mut e = e.clone();
    e.at = store_precision(e.at);
    e
}

/// Appends entries with one multi-row insert. The `subject` column's foreign key refuses an
/// unknown subject party (the whole batch then rolls back: `NotFound(Subject)`); ids already
/// stored are compared with the incoming entries.
pub(crate) async fn append<C: GenericClient>(
    tx: &C,
    entries: &[ChoiceEntry],
) -> Result<(), StoreError> {
    append_on(tx, entries).await
}

/// Appends one entry with one statement outside an explicit transaction: one round trip.
/// Atomic on its own: the single row is inserted, or nothing is (and a stored entry with the
/// same id is then compared).
pub(crate) async fn append_one<C: GenericClient>(
    c: &C,
    entry: &ChoiceEntry,
) -> Result<(), StoreError> {
    append_on(c, std::slice::from_ref(entry)).await
}

async fn append_on<C: GenericClient>(tx: &C, entries: &[ChoiceEntry]) -> Result<(), StoreError> {
    let n = entries.len();
    let mut id = Vec::with_capacity(n);
    let mut party_kind = Vec::with_capacity(n);
    let mut party = Vec::with_capacity(n);
    let mut subject = Vec::with_capacity(n);
    let mut key = Vec::with_capacity(n);
    let mut value = Vec::with_capacity(n);
    let mut source = Vec::with_capacity(n);
    let mut channel = Vec::with_capacity(n);
    let mut actor_kind = Vec::with_capacity(n);
    let mut actor_subject = Vec::with_capacity(n);
    let mut actor_service = Vec::with_capacity(n);
    let mut policy_version = Vec::with_capacity(n);
    let mut notice_hash = Vec::with_capacity(n);
    let mut at = Vec::with_capacity(n);
    for e in entries {
        let (kind, bytes) = party_cols(&e.party);
        id.push(e.id.as_uuid());
        party_kind.push(kind);
        party.push(bytes);
        subject.push(match &e.party {
            Party::Subject(s) => Some(s.as_uuid()),
            Party::Identity(_) => None,
        });
        key.push(e.key.as_str());
        value.push(e.value);
        source.push(i16_of(e.source.code()));
        channel.push(e.channel.as_ref().map(|c| c.as_str()));
        let (ak, asub, asvc) = match &e.actor {
            Actor::System => (0i16, None, None),
            Actor::Subject(s) => (1, Some(s.as_uuid()), None),
            Actor::Service(k) => (2, None, Some(k.as_str())),
        };
        actor_kind.push(ak);
        actor_subject.push(asub);
        actor_service.push(asvc);
        policy_version.push(e.policy_version.as_str());
        notice_hash.push(e.notice_hash.map(|d| d.0.to_vec()));
        at.push(PgTime::of(e.at));
    }
    let st = tx
        .prepare_cached(
            "INSERT INTO choices (id, party_kind, party, subject, key, value, source, channel, \
                 actor_kind, actor_subject, actor_service, policy_version, notice_hash, at) \
             SELECT * FROM unnest($1::uuid[], $2::int2[], $3::bytea[], $4::uuid[], $5::text[], \
                 $6::bool[], $7::int2[], $8::text[], $9::int2[], $10::uuid[], $11::text[], \
                 $12::text[], $13::bytea[], $14::timestamptz[]) \
             ON CONFLICT (id) DO NOTHING RETURNING id",
        )
        .await
        .map_err(pg)?;
    let rows = tx
        .query(
            &st,
            &[
                &id,
                &party_kind,
                &party,
                &subject,
                &key,
                &value,
                &source,
                &channel,
                &actor_kind,
                &actor_subject,
                &actor_service,
                &policy_version,
                &notice_hash,
                &at,
            ],
        )
        .await
        .map_err(|e| {
            if is_state(&e, &SqlState::FOREIGN_KEY_VIOLATION) {
                StoreError::NotFound(Entity::Subject)
            } else {
                pg(e)
            }
        })?;
    if rows.len() == entries.len() {
        return Ok(());
    }
    let inserted: HashSet<uuid::Uuid> = rows
        .iter()
        .map(|r| r.uuid(0, "choice id"))
        .collect::<Result<_, _>>()?;
    let mut checked = HashSet::new();
    for e in entries {
        let first_copy = inserted.contains(&e.id.as_uuid()) && checked.insert(e.id);
        if first_copy {
            continue;
        }
        let existing = query_opt(
            tx,
            &format!("SELECT {COLS} FROM choices WHERE id = $1"),
            &[&e.id.as_uuid()],
            decode,
        )
        .await?;
        if existing.as_ref() != Some(&normalized(e)) {
            return Err(StoreError::AppendOnly(Entity::Choice));
        }
    }
    Ok(())
}

pub(crate) async fn list<C: GenericClient>(
    c: &C,
    parties: &[Party],
) -> Result<Vec<ChoiceEntry>, StoreError> {
    if let [p] = parties {
        let (kind, bytes) = party_cols(p);
        return query_vec(
            c,
            &format!(
                "SELECT {COLS} FROM choices WHERE party_kind = $1 AND party = $2 ORDER BY at, id"
            ),
            &[&kind, &bytes],
            decode,
        )
        .await;
    }
    let mut seen = HashSet::new();
    let (kinds, bytes): (Vec<i16>, Vec<Vec<u8>>) = parties
        .iter()
        .filter(|p| seen.insert(*p))
        .map(party_cols)
        .unzip();
    query_vec(
        c,
        &format!(
            "SELECT {COLS} FROM choices WHERE (party_kind, party) IN \
             (SELECT * FROM unnest($1::int2[], $2::bytea[])) ORDER BY at, id"
        ),
        &[&kinds, &bytes],
        decode,
    )
    .await
}
