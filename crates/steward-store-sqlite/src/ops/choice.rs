//! The choices ledger.

use std::collections::HashSet;

use rusqlite::{Connection, Row, params};
use steward_store::values::store_precision;
use steward_store::{
    Actor, BlindToken, ChoiceEntry, ChoiceId, ChoiceSource, Entity, IdentityKind, IdentityRef,
    Party, StoreError, SubjectId,
};

use super::subject;
use crate::sql::{RowExt, db, exec_raw, is_pk_violation, micros, query_opt, query_vec};

const COLS: &str = "id, party_kind, party, key, value, source, actor_kind, actor_subject, \
                    actor_service, policy_version, notice_hash, at, channel";

/// `(party_kind, party bytes)`: 0 + subject id, or the identity kind code + token.
fn party_cols(p: &Party) -> (u8, Vec<u8>) {
    match p {
        Party::Subject(s) => (0, s.to_bytes().to_vec()),
        Party::Identity(i) => (i.kind.code(), i.token.as_bytes().to_vec()),
    }
}

fn decode(r: &Row<'_>) -> Result<ChoiceEntry, StoreError> {
    let party = match r.code_at(1, "party kind")? {
        0 => Party::Subject(SubjectId::from_bytes(r.id16_at(2, "party")?)),
        code => Party::Identity(IdentityRef {
            kind: IdentityKind::from_code(code)?,
            token: BlindToken::new(r.blob_at(2, "party")?.to_vec())
                .map_err(|_| StoreError::corrupt("party token"))?,
        }),
    };
    let actor = match r.code_at(6, "actor kind")? {
        0 => Actor::System,
        1 => Actor::Subject(SubjectId::from_bytes(r.id16_at(7, "actor subject")?)),
        2 => Actor::Service(r.key_at(8, "actor service")?),
        _ => return Err(StoreError::corrupt("actor kind")),
    };
    Ok(ChoiceEntry {
        id: ChoiceId::from_bytes(r.id16_at(0, "choice id")?),
        party,
        key: r.key_at(3, "choice key")?,
        value: r.i64_at(4, "choice value")? != 0,
        source: ChoiceSource::from_code(r.code_at(5, "choice source")?)?,
        actor,
        policy_version: r.key_at(9, "policy version")?,
        notice_hash: r.opt_digest_at(10)?,
        at: r.time_at(11)?,
        channel: r.opt_key_at(12, "choice channel")?,
    })
}

fn normalized(e: &ChoiceEntry) -> ChoiceEntry {
    let mut e = e.clone();
    e.at = store_precision(e.at);
    e
}

pub(crate) fn append(conn: &Connection, entries: &[ChoiceEntry]) -> Result<(), StoreError> {
    let mut known: HashSet<SubjectId> = HashSet::new();
    for e in entries {
        if let Party::Subject(s) = &e.party
            && !known.contains(s)
        {
            // Erased subjects still take choices (suppression must keep working: RET-05).
            if !subject::exists(conn, *s)? {
                return Err(StoreError::NotFound(Entity::Subject));
            }
            known.insert(*s);
        }
        let (party_kind, party) = party_cols(&e.party);
        let (actor_kind, actor_subject, actor_service) = match &e.actor {
            Actor::System => (0u8, None, None),
            Actor::Subject(s) => (1, Some(s.to_bytes()), None),
            Actor::Service(k) => (2, None, Some(k.as_str())),
        };
        let inserted = exec_raw(
            conn,
            &format!(
                "INSERT INTO choices ({COLS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"
            ),
            params![
                e.id.to_bytes(),
                party_kind,
                party,
                e.key.as_str(),
                e.value,
                e.source.code(),
                actor_kind,
                actor_subject,
                actor_service,
                e.policy_version.as_str(),
                e.notice_hash.map(|d| d.0),
                micros(e.at),
                e.channel.as_ref().map(|c| c.as_str()),
            ],
        );
        match inserted {
            Ok(_) => {}
            Err(err) if is_pk_violation(&err) => {
                let existing = query_opt(
                    conn,
                    &format!("SELECT {COLS} FROM choices WHERE id = ?1"),
                    [e.id.to_bytes()],
                    decode,
                )?;
                if existing.as_ref() != Some(&normalized(e)) {
                    return Err(StoreError::AppendOnly(Entity::Choice));
                }
            }
            Err(err) => return Err(db(err)),
        }
    }
    Ok(())
}

pub(crate) fn list(conn: &Connection, parties: &[Party]) -> Result<Vec<ChoiceEntry>, StoreError> {
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    for p in parties {
        if !seen.insert(p.clone()) {
            continue;
        }
        let (kind, party) = party_cols(p);
        out.extend(query_vec(
            conn,
            &format!(
                "SELECT {COLS} FROM choices WHERE party_kind = ?1 AND party = ?2 ORDER BY at, id"
            ),
            params![kind, party],
            decode,
        )?);
    }
    if parties.len() > 1 {
        out.sort_by(steward_store::model::choice::ledger_order);
    }
    Ok(out)
}
