//! The canonical byte encoding of audit events and the chain hash — pure functions shared by
//! every backend, so `audit verify` gives the same answer whatever stored the chain.
//!
//! # Format (version 1)
//!
//! All integers big-endian. `str` = `u8` length + UTF-8 bytes (every text field is a validated
//! key of at most 64 bytes). `opt<T>` = `u8` tag (0 absent, 1 present) + `T`. `list<T>` =
//! `u16` count (at most [`MAX_LIST`]) + items.
//!
//! ```text
//! u8        format version = 1
//! [16]      event id
//! i64       at, microseconds since the Unix epoch
//! u8        kind code
//! opt<[16]> subject id
//! --- end of the fixed prefix read by `indexed_fields` ---
//! opt<[16]> account id
//! actor     u8 tag: 0 system | 1 subject + [16] | 2 service + str
//! str       action
//! list<str> categories
//! opt<str>  purpose
//! opt<str>  recipient
//! outcome   u8 tag: 0 none | 1 deny + str reason | 2 allow + str reason
//! list<str> rules
//! opt<str>  policy version
//! opt<str>  engine version
//! opt<str>  jurisdiction
//! list<(str name, [16] uuid)>  refs
//! list<(str name, [32] sha256)> digests
//! list<(str name, str value)>  attributes
//! ```
//!
//! The encoding is injective and decoding is strict (unknown tags, invalid keys and trailing
//! bytes are refused), so one event has exactly one body. Backends store the body bytes as they
//! are; they never re-encode an old entry, which keeps ledger history byte-identical across
//! schema migrations (DM-08). A future format is a new version byte, and old bodies keep theirs.
//!
//! # Chain
//!
//! `hash(n) = SHA-256("steward/audit/chain/v1\0" || hash(n-1) || u64 seq(n) || body(n))`, with
//! `hash(0)` = 32 zero bytes. The sequence number is inside the hash, so removing or reordering
//! entries breaks the chain even if the bodies are untouched.

use jiff::Timestamp;
use uuid::Uuid;

use crate::error::{StoreError, ValueError};
use crate::ids::{AccountId, AuditSeq, EventId, SubjectId};
use crate::model::audit::{
    Actor, Attribute, AuditEvent, AuditKind, EventRef, IndexedFields, NamedDigest, Outcome,
};
use crate::values::{self, Digest, SigningKeyId};

/// The current format version byte.
pub const FORMAT_V1: u8 = 1;

/// The longest list in an event (categories, rules, refs, digests, attributes).
pub const MAX_LIST: usize = 1024;

const CHAIN_DOMAIN: &[u8] = b"steward/audit/chain/v1\0";
const CHECKPOINT_DOMAIN: &[u8] = b"steward/audit/checkpoint/v1\0";

/// The chain hash of an entry.
pub fn chain_hash(prev: &Digest, seq: AuditSeq, body: &[u8]) -> Digest {
    let mut ctx = ring::digest::Context::new(&ring::digest::SHA256);
    ctx.update(CHAIN_DOMAIN);
    ctx.update(prev.as_bytes());
    ctx.update(&seq.get().to_be_bytes());
    ctx.update(body);
    let d = ctx.finish();
    let mut out = [0u8; 32];
    out.copy_from_slice(d.as_ref());
    Digest(out)
}

/// The exact bytes a checkpoint signature covers.
pub fn checkpoint_message(
    seq: AuditSeq,
    head_hash: &Digest,
    signed_at: Timestamp,
    key_id: &SigningKeyId,
) -> Vec<u8> {
    let mut m = Vec::with_capacity(CHECKPOINT_DOMAIN.len() + 8 + 32 + 8 + 1 + 64);
    m.extend_from_slice(CHECKPOINT_DOMAIN);
    m.extend_from_slice(&seq.get().to_be_bytes());
    m.extend_from_slice(head_hash.as_bytes());
    m.extend_from_slice(&values::to_micros(signed_at).to_be_bytes());
    put_str(&mut m, key_id.as_str());
    m
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    // INVARIANT: every str field is a validated key of at most 64 bytes, so the length fits a u8.
    out.push(u8::try_from(s.len()).unwrap_or(u8::MAX));
    out.extend_from_slice(s.as_bytes());
}

fn put_opt_str(out: &mut Vec<u8>, s: Option<&str>) {
    match s {
        None => out.push(0),
        Some(s) => {
            out.push(1);
            put_str(out, s);
        }
    }
}

fn put_opt_id(out: &mut Vec<u8>, id: Option<[u8; 16]>) {
    match id {
        None => out.push(0),
        Some(b) => {
            out.push(1);
            out.extend_from_slice(&b);
        }
    }
}

fn put_count(out: &mut Vec<u8>, n: usize, what: &'static str) -> Result<(), ValueError> {
    if n > MAX_LIST {
        return Err(ValueError::new(what, "too many elements (at most 1024)"));
    }
    // n <= 1024 fits in u16.
    out.extend_from_slice(&u16::try_from(n).unwrap_or(u16::MAX).to_be_bytes());
    Ok(())
}

/// Encodes an event into its canonical body. Fails only when a list is longer than [`MAX_LIST`].
pub fn encode_event(e: &AuditEvent) -> Result<Vec<u8>, ValueError> {
    let mut out = Vec::with_capacity(160);
    out.push(FORMAT_V1);
    out.extend_from_slice(&e.id.to_bytes());
    out.extend_from_slice(&values::to_micros(e.at).to_be_bytes());
    out.push(e.kind.code());
    put_opt_id(&mut out, e.subject.map(|s| s.to_bytes()));
    put_opt_id(&mut out, e.account.map(|a| a.to_bytes()));
    match &e.actor {
        Actor::System => out.push(0),
        Actor::Subject(s) => {
            out.push(1);
            out.extend_from_slice(&s.to_bytes());
        }
        Actor::Service(k) => {
            out.push(2);
            put_str(&mut out, k.as_str());
        }
    }
    put_str(&mut out, e.action.as_str());
    put_count(&mut out, e.categories.len(), "audit categories")?;
    for c in &e.categories {
        put_str(&mut out, c.as_str());
    }
    put_opt_str(&mut out, e.purpose.as_ref().map(|p| p.as_str()));
    put_opt_str(&mut out, e.recipient.as_ref().map(|r| r.as_str()));
    match &e.outcome {
        None => out.push(0),
        Some(o) => {
            out.push(if o.allow { 2 } else { 1 });
            put_str(&mut out, o.reason.as_str());
        }
    }
    put_count(&mut out, e.rules.len(), "audit rules")?;
    for r in &e.rules {
        put_str(&mut out, r.as_str());
    }
    put_opt_str(&mut out, e.policy_version.as_ref().map(|p| p.as_str()));
    put_opt_str(&mut out, e.engine_version.as_ref().map(|p| p.as_str()));
    put_opt_str(&mut out, e.jurisdiction.as_ref().map(|j| j.as_str()));
    put_count(&mut out, e.refs.len(), "audit refs")?;
    for r in &e.refs {
        put_str(&mut out, r.name.as_str());
        out.extend_from_slice(r.id.as_bytes());
    }
    put_count(&mut out, e.digests.len(), "audit digests")?;
    for d in &e.digests {
        put_str(&mut out, d.name.as_str());
        out.extend_from_slice(d.digest.as_bytes());
    }
    put_count(&mut out, e.attributes.len(), "audit attributes")?;
    for a in &e.attributes {
        put_str(&mut out, a.name.as_str());
        put_str(&mut out, a.value.as_str());
    }
    Ok(out)
}

/// A strict reader over a body.
struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

const BAD: StoreError = StoreError::Corrupt { what: "audit body" };

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], StoreError> {
        let end = self.pos.checked_add(n).ok_or(BAD)?;
        let s = self.buf.get(self.pos..end).ok_or(BAD)?;
        self.pos = end;
        Ok(s)
    }
    fn u8(&mut self) -> Result<u8, StoreError> {
        Ok(self.take(1)?[0])
    }
    fn u16(&mut self) -> Result<u16, StoreError> {
        let b = self.take(2)?;
        Ok(u16::from_be_bytes([b[0], b[1]]))
    }
    fn i64(&mut self) -> Result<i64, StoreError> {
        let b: [u8; 8] = self.take(8)?.try_into().map_err(|_| BAD)?;
        Ok(i64::from_be_bytes(b))
    }
    fn b16(&mut self) -> Result<[u8; 16], StoreError> {
        self.take(16)?.try_into().map_err(|_| BAD)
    }
    fn b32(&mut self) -> Result<[u8; 32], StoreError> {
        self.take(32)?.try_into().map_err(|_| BAD)
    }
    fn str(&mut self) -> Result<&'a str, StoreError> {
        let n = usize::from(self.u8()?);
        std::str::from_utf8(self.take(n)?).map_err(|_| BAD)
    }
    fn key<T: TryFrom<&'a str, Error = ValueError>>(&mut self) -> Result<T, StoreError> {
        T::try_from(self.str()?).map_err(|_| BAD)
    }
    fn tag(&mut self) -> Result<bool, StoreError> {
        match self.u8()? {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(BAD),
        }
    }
    fn opt_id(&mut self) -> Result<Option<[u8; 16]>, StoreError> {
        if self.tag()? {
            Ok(Some(self.b16()?))
        } else {
            Ok(None)
        }
    }
    fn opt_key<T: TryFrom<&'a str, Error = ValueError>>(
        &mut self,
    ) -> Result<Option<T>, StoreError> {
        if self.tag()? {
            Ok(Some(self.key()?))
        } else {
            Ok(None)
        }
    }
    fn count(&mut self) -> Result<usize, StoreError> {
        let n = usize::from(self.u16()?);
        if n > MAX_LIST { Err(BAD) } else { Ok(n) }
    }
    fn keys<T: TryFrom<&'a str, Error = ValueError>>(&mut self) -> Result<Vec<T>, StoreError> {
        let n = self.count()?;
        (0..n).map(|_| self.key()).collect()
    }
}

fn prefix(r: &mut Reader<'_>) -> Result<IndexedFields, StoreError> {
    if r.u8()? != FORMAT_V1 {
        return Err(BAD);
    }
    let event_id = EventId::from_bytes(r.b16()?);
    let at_micros = r.i64()?;
    let kind = AuditKind::from_code(r.u8()?).map_err(|_| BAD)?;
    let subject = r.opt_id()?.map(SubjectId::from_bytes);
    Ok(IndexedFields {
        event_id,
        at_micros,
        kind,
        subject,
    })
}

/// Reads only the fixed prefix of a body: what backends index (cheap; used by verification).
pub fn indexed_fields(body: &[u8]) -> Result<IndexedFields, StoreError> {
    prefix(&mut Reader { buf: body, pos: 0 })
}

/// The index columns of an event, as a backend stores them beside the body.
pub fn index_of(e: &AuditEvent) -> IndexedFields {
    IndexedFields {
        event_id: e.id,
        at_micros: values::to_micros(e.at),
        kind: e.kind,
        subject: e.subject,
    }
}

/// Decodes a canonical body. Strict: any deviation from the format is `Corrupt`.
pub fn decode_event(body: &[u8]) -> Result<AuditEvent, StoreError> {
    let mut r = Reader { buf: body, pos: 0 };
    let p = prefix(&mut r)?;
    let account = r.opt_id()?.map(AccountId::from_bytes);
    let actor = match r.u8()? {
        0 => Actor::System,
        1 => Actor::Subject(SubjectId::from_bytes(r.b16()?)),
        2 => Actor::Service(r.key()?),
        _ => return Err(BAD),
    };
    let action = r.key()?;
    let categories = r.keys()?;
    let purpose = r.opt_key()?;
    let recipient = r.opt_key()?;
    let outcome = match r.u8()? {
        0 => None,
        1 => Some(Outcome {
            allow: false,
            reason: r.key()?,
        }),
        2 => Some(Outcome {
            allow: true,
            reason: r.key()?,
        }),
        _ => return Err(BAD),
    };
    let rules = r.keys()?;
    let policy_version = r.opt_key()?;
    let engine_version = r.opt_key()?;
    let jurisdiction = r.opt_key()?;
    let n = r.count()?;
    let mut refs = Vec::with_capacity(n);
    for _ in 0..n {
        let name = r.key()?;
        refs.push(EventRef {
            name,
            id: Uuid::from_bytes(r.b16()?),
        });
    }
    let n = r.count()?;
    let mut digests = Vec::with_capacity(n);
    for _ in 0..n {
        let name = r.key()?;
        digests.push(NamedDigest {
            name,
            digest: Digest(r.b32()?),
        });
    }
    let n = r.count()?;
    let mut attributes = Vec::with_capacity(n);
    for _ in 0..n {
        let name = r.key()?;
        attributes.push(Attribute {
            name,
            value: r.key()?,
        });
    }
    if r.pos != body.len() {
        return Err(BAD);
    }
    Ok(AuditEvent {
        id: p.event_id,
        at: values::from_micros(p.at_micros)?,
        kind: p.kind,
        action,
        actor,
        subject: p.subject,
        account,
        categories,
        purpose,
        recipient,
        outcome,
        rules,
        policy_version,
        engine_version,
        jurisdiction,
        refs,
        digests,
        attributes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::values::*;
    use proptest::prelude::*;

    fn full_event() -> AuditEvent {
        let mut e = AuditEvent::new(
            AuditKind::Decision,
            ActionKey::new("can_disclose").unwrap(),
            Actor::Service(ServiceKey::new("svc:checkout").unwrap()),
            Timestamp::new(1_710_000_000, 123_456_789).unwrap(),
        );
        e.subject = Some(SubjectId::generate());
        e.account = Some(AccountId::generate());
        e.categories = vec![
            CategoryKey::new("email").unwrap(),
            CategoryKey::new("name").unwrap(),
        ];
        e.purpose = Some(PurposeKey::new("third_party_promotional_mail").unwrap());
        e.recipient = Some(RecipientKey::new("mp1").unwrap());
        e.outcome = Some(Outcome {
            allow: false,
            reason: ReasonCode::new("OPTED_OUT").unwrap(),
        });
        e.rules = vec![
            RuleId::new("SHARE-01").unwrap(),
            RuleId::new("DNS-02").unwrap(),
        ];
        e.policy_version = Some(PolicyVersion::new("2020-01-17").unwrap());
        e.engine_version = Some(EngineVersion::new("steward-0.1.0").unwrap());
        e.jurisdiction = Some(Jurisdiction::new("US-CA").unwrap());
        e.refs = vec![EventRef {
            name: FieldName::new("request").unwrap(),
            id: Uuid::now_v7(),
        }];
        e.digests = vec![NamedDigest {
            name: FieldName::new("payload").unwrap(),
            digest: Digest::sha256(b"x"),
        }];
        e.attributes = vec![Attribute {
            name: FieldName::new("jurisdiction_basis").unwrap(),
            value: AttrValue::new("declared").unwrap(),
        }];
        e
    }

    #[test]
    fn aud_02_full_event_round_trips_at_microsecond_precision() {
        let e = full_event();
        let body = encode_event(&e).unwrap();
        let d = decode_event(&body).unwrap();
        let mut expected = e.clone();
        expected.at = store_precision(e.at);
        assert_eq!(d, expected);
        assert_eq!(
            encode_event(&d).unwrap(),
            body,
            "canonical: re-encoding is identical"
        );
        assert_eq!(indexed_fields(&body).unwrap(), index_of(&e));
    }

    #[test]
    fn decoding_is_strict() {
        let body = encode_event(&full_event()).unwrap();
        let mut trailing = body.clone();
        trailing.push(0);
        assert!(decode_event(&trailing).is_err());
        assert!(decode_event(&body[..body.len() - 1]).is_err());
        let mut bad_version = body.clone();
        bad_version[0] = 2;
        assert!(decode_event(&bad_version).is_err());
        assert!(decode_event(&[]).is_err());
    }

    #[test]
    fn chain_hash_commits_to_prev_seq_and_body() {
        let body = encode_event(&full_event()).unwrap();
        let s1 = AuditSeq::FIRST;
        let h = chain_hash(&Digest::ZERO, s1, &body);
        assert_ne!(h, chain_hash(&Digest::ZERO, s1.next(), &body));
        assert_ne!(h, chain_hash(&Digest::sha256(b"p"), s1, &body));
        let mut other = body.clone();
        let last = other.len() - 1;
        other[last] ^= 1;
        assert_ne!(h, chain_hash(&Digest::ZERO, s1, &other));
    }

    #[test]
    fn chain_hash_is_stable_across_releases() {
        // A fixed vector: if this changes, every stored chain stops verifying (DM-08).
        let mut e = AuditEvent::new(
            AuditKind::System,
            ActionKey::new("start").unwrap(),
            Actor::System,
            Timestamp::from_second(1_700_000_000).unwrap(),
        );
        e.id = EventId::from_bytes([7; 16]);
        let body = encode_event(&e).unwrap();
        assert_eq!(
            body.len(),
            1 + 16 + 8 + 1 + 1 + 1 + 1 + 6 + 2 + 1 + 1 + 1 + 2 + 1 + 1 + 1 + 2 + 2 + 2
        );
        let h = chain_hash(&Digest::ZERO, AuditSeq::FIRST, &body);
        assert_eq!(
            h.to_hex(),
            "2518a557e6dd2f421dde6d43ff0a91e6abd8271700a83102d362bef2b7c3c981",
            "golden chain hash (cross-checked with an independent Python implementation of the documented format)"
        );
    }

    fn key_strategy() -> impl Strategy<Value = String> {
        "[a-z0-9_:.-]{1,64}"
    }

    proptest! {
        #[test]
        fn prop_encode_decode_round_trip(
            cats in proptest::collection::vec(key_strategy(), 0..5),
            action in key_strategy(),
            micros in -62_000_000_000_000_000i64..250_000_000_000_000_000i64,
            allow in proptest::option::of(any::<bool>()),
            has_subject in any::<bool>(),
            kind in 1u8..=8,
        ) {
            let mut e = AuditEvent::new(
                AuditKind::from_code(kind).unwrap(),
                ActionKey::new(action).unwrap(),
                Actor::System,
                Timestamp::from_microsecond(micros).unwrap(),
            );
            e.categories = cats.into_iter().map(|c| CategoryKey::new(c).unwrap()).collect();
            e.subject = has_subject.then(SubjectId::generate);
            e.outcome = allow.map(|allow| Outcome { allow, reason: ReasonCode::new("OK").unwrap() });
            let body = encode_event(&e).unwrap();
            prop_assert_eq!(decode_event(&body).unwrap(), e.clone());
            prop_assert_eq!(indexed_fields(&body).unwrap(), index_of(&e));
        }

        #[test]
        fn prop_decode_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
            let _ = decode_event(&bytes);
            let _ = indexed_fields(&bytes);
        }
    }
}
