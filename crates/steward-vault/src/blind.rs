//! Blind index: finding a subject by e-mail, phone, account id, cookie or device id without
//! storing any of them in plaintext (DM-03, RET-05).
//!
//! A token is `HMAC-SHA256(k_kind, normalize(kind, value))`, where `k_kind` is derived from the
//! blind-index root key by HKDF with the kind's name, so the same string as an e-mail and as a
//! cookie id gives unrelated tokens. Without the key, a token cannot be tested against a
//! guessed e-mail (an unkeyed hash could: the space of e-mails and phone numbers is
//! enumerable).
//!
//! Normalization makes equal identities equal tokens and refuses garbage with a typed error:
//!
//! | kind | normalization |
//! |---|---|
//! | e-mail | trimmed, lowercased; one `@` splitting a non-empty local part (≤ 64 bytes) and a dotted-or-not domain of non-empty labels; ≤ 254 bytes; no spaces or control characters |
//! | phone | E.164: `+` (or `00`) then 8 to 15 digits; spaces, `-`, `.`, `(`, `)` removed; numbers without a country code are refused (the caller adds it from the account's country) |
//! | account, cookie, device | exact (no case folding, no trimming); 1 to 512 bytes; no control characters, no leading or trailing whitespace |
//!
//! SECURITY: errors never carry the value (it is personal data). The root key cannot be
//! rotated without recomputing every token from plaintext, which erased subjects' suppression
//! records no longer have; it is therefore a long-lived secret (kept apart from the KEKs).

use std::fmt;

use ring::hmac;

use crate::secret::{SecretKey, ct_eq, hkdf_expand32, hkdf_extract, to_hex};

/// The kind of an identity. Each kind has its own derived key (domain separation).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum IdentityKind {
    /// An e-mail address.
    Email,
    /// A phone number.
    Phone,
    /// An account id or reference (customer number, login name).
    AccountRef,
    /// A cookie id.
    Cookie,
    /// A device id.
    Device,
}

impl IdentityKind {
    /// Every kind.
    pub const ALL: [IdentityKind; 5] = [
        IdentityKind::Email,
        IdentityKind::Phone,
        IdentityKind::AccountRef,
        IdentityKind::Cookie,
        IdentityKind::Device,
    ];

    /// The stable name (also the HKDF label of the kind's key; never change it).
    pub const fn as_str(self) -> &'static str {
        match self {
            IdentityKind::Email => "email",
            IdentityKind::Phone => "phone",
            IdentityKind::AccountRef => "account_ref",
            IdentityKind::Cookie => "cookie",
            IdentityKind::Device => "device",
        }
    }

    const fn index(self) -> usize {
        match self {
            IdentityKind::Email => 0,
            IdentityKind::Phone => 1,
            IdentityKind::AccountRef => 2,
            IdentityKind::Cookie => 3,
            IdentityKind::Device => 4,
        }
    }
}

impl fmt::Display for IdentityKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why an identity value was refused. Never carries the value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum IdentityError {
    /// The value is empty (after trimming, for e-mails and phones).
    #[error("{0} is empty")]
    Empty(IdentityKind),
    /// The value is too long.
    #[error("{kind} is longer than {max} bytes")]
    TooLong {
        /// The kind.
        kind: IdentityKind,
        /// The limit.
        max: usize,
    },
    /// The value contains a control character.
    #[error("{0} contains a control character")]
    ControlCharacter(IdentityKind),
    /// An exact identifier starts or ends with whitespace.
    #[error("{0} starts or ends with whitespace")]
    SurroundingWhitespace(IdentityKind),
    /// Not an e-mail address.
    #[error("not an e-mail address: {0}")]
    Email(&'static str),
    /// Not an international phone number.
    #[error("not an international phone number: {0}")]
    Phone(&'static str),
}

/// An identity value after normalization (what is hashed). Redacted in `Debug`.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct NormalizedIdentity {
    kind: IdentityKind,
    value: String,
}

impl NormalizedIdentity {
    /// The kind.
    pub fn kind(&self) -> IdentityKind {
        self.kind
    }

    /// The normalized value (personal data: keep it out of logs).
    pub fn expose(&self) -> &str {
        &self.value
    }
}

impl fmt::Debug for NormalizedIdentity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "NormalizedIdentity({}, [redacted])", self.kind)
    }
}

/// Longest e-mail address (RFC 5321 path limit minus the brackets).
const EMAIL_MAX: usize = 254;
/// Longest local part.
const LOCAL_MAX: usize = 64;
/// Longest exact identifier.
const EXACT_MAX: usize = 512;

/// Normalizes `raw` as an identity of `kind` (see the module table), or says why not.
pub fn normalize(kind: IdentityKind, raw: &str) -> Result<NormalizedIdentity, IdentityError> {
    let value = match kind {
        IdentityKind::Email => normalize_email(raw)?,
        IdentityKind::Phone => normalize_phone(raw)?,
        IdentityKind::AccountRef | IdentityKind::Cookie | IdentityKind::Device => {
            normalize_exact(kind, raw)?
        }
    };
    Ok(NormalizedIdentity { kind, value })
}

/// E-mail: trimmed and lowercased, then checked.
pub fn normalize_email(raw: &str) -> Result<String, IdentityError> {
    let kind = IdentityKind::Email;
    let t = raw.trim();
    if t.is_empty() {
        return Err(IdentityError::Empty(kind));
    }
    if t.chars().any(char::is_control) {
        return Err(IdentityError::ControlCharacter(kind));
    }
    // INVARIANT: lowercased twice so the result is a fixed point (a handful of characters
    // lowercase to sequences that lowercase further); every check runs on the final form.
    let lower = t.to_lowercase().to_lowercase();
    if lower.len() > EMAIL_MAX {
        return Err(IdentityError::TooLong {
            kind,
            max: EMAIL_MAX,
        });
    }
    if lower.chars().any(char::is_whitespace) {
        return Err(IdentityError::Email("contains whitespace"));
    }
    let (local, domain) = lower
        .rsplit_once('@')
        .ok_or(IdentityError::Email("no `@`"))?;
    if local.is_empty() {
        return Err(IdentityError::Email("empty local part"));
    }
    if local.len() > LOCAL_MAX {
        return Err(IdentityError::Email("local part longer than 64 bytes"));
    }
    if local.contains('@') && !(local.starts_with('"') && local.ends_with('"')) {
        return Err(IdentityError::Email("more than one `@`"));
    }
    if domain.is_empty() {
        return Err(IdentityError::Email("empty domain"));
    }
    if domain.split('.').any(str::is_empty) {
        return Err(IdentityError::Email("empty domain label"));
    }
    if domain.chars().any(|c| {
        matches!(
            c,
            '@' | '"' | '(' | ')' | ',' | ':' | ';' | '<' | '>' | '\\'
        )
    }) {
        return Err(IdentityError::Email("invalid character in domain"));
    }
    Ok(lower)
}

/// Phone: E.164, `+` then 8 to 15 digits.
pub fn normalize_phone(raw: &str) -> Result<String, IdentityError> {
    let kind = IdentityKind::Phone;
    let t = raw.trim();
    if t.is_empty() {
        return Err(IdentityError::Empty(kind));
    }
    if t.len() > 64 {
        return Err(IdentityError::TooLong { kind, max: 64 });
    }
    let (international, rest) = if let Some(r) = t.strip_prefix('+') {
        (true, r)
    } else if let Some(r) = t.strip_prefix("00") {
        (true, r)
    } else {
        (false, t)
    };
    let mut digits = String::with_capacity(16);
    for c in rest.chars() {
        match c {
            '0'..='9' => digits.push(c),
            ' ' | '-' | '.' | '(' | ')' => {}
            _ => {
                return Err(IdentityError::Phone(
                    "only digits, spaces, `-`, `.`, `(`, `)`",
                ));
            }
        }
    }
    if !international {
        return Err(IdentityError::Phone(
            "no country code (start with `+` and the country calling code)",
        ));
    }
    if digits.starts_with('0') {
        return Err(IdentityError::Phone("country codes do not start with 0"));
    }
    if !(8..=15).contains(&digits.len()) {
        return Err(IdentityError::Phone("8 to 15 digits after the `+`"));
    }
    Ok(format!("+{digits}"))
}

fn normalize_exact(kind: IdentityKind, raw: &str) -> Result<String, IdentityError> {
    if raw.is_empty() {
        return Err(IdentityError::Empty(kind));
    }
    if raw.len() > EXACT_MAX {
        return Err(IdentityError::TooLong {
            kind,
            max: EXACT_MAX,
        });
    }
    if raw.chars().any(char::is_control) {
        return Err(IdentityError::ControlCharacter(kind));
    }
    if raw.trim() != raw {
        return Err(IdentityError::SurroundingWhitespace(kind));
    }
    Ok(raw.to_owned())
}

/// A blind-index token: 32 bytes of keyed HMAC. Comparable in constant time.
#[derive(Clone, Copy, Eq)]
pub struct BlindIndexToken([u8; 32]);

impl BlindIndexToken {
    /// The bytes (to store; the store's `BlindToken` accepts 16 to 64 bytes).
    pub const fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// From stored bytes.
    pub const fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    /// Lowercase hex.
    pub fn to_hex(&self) -> String {
        to_hex(&self.0)
    }
}

impl PartialEq for BlindIndexToken {
    fn eq(&self, other: &Self) -> bool {
        ct_eq(&self.0, &other.0)
    }
}

impl std::hash::Hash for BlindIndexToken {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.hash(state);
    }
}

impl PartialOrd for BlindIndexToken {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for BlindIndexToken {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.cmp(&other.0)
    }
}

impl fmt::Debug for BlindIndexToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A keyed hash is not reversible; a prefix is enough to tell tokens apart.
        write!(f, "BlindIndexToken({}…)", to_hex(&self.0[..4]))
    }
}

/// Computes blind-index tokens. Holds one HMAC key per [`IdentityKind`].
#[derive(Clone)]
pub struct BlindIndex {
    keys: [hmac::Key; 5],
}

impl BlindIndex {
    /// Derives the per-kind keys from the blind-index root key.
    pub fn new(root: &SecretKey) -> Self {
        let mut prk = hkdf_extract(b"steward-vault/blind-index/v1", root.expose());
        let key = |kind: IdentityKind| {
            let k = hkdf_expand32(&prk, &[b"kind:", kind.as_str().as_bytes()]);
            hmac::Key::new(hmac::HMAC_SHA256, k.expose())
        };
        let keys = IdentityKind::ALL.map(key);
        crate::secret::wipe_hmac_key(&mut prk);
        Self { keys }
    }

    /// Normalizes `raw` as `kind` and returns its token.
    pub fn token(&self, kind: IdentityKind, raw: &str) -> Result<BlindIndexToken, IdentityError> {
        Ok(self.token_of(&normalize(kind, raw)?))
    }

    /// The token of an already normalized identity.
    pub fn token_of(&self, identity: &NormalizedIdentity) -> BlindIndexToken {
        let key = &self.keys[identity.kind.index()];
        let tag = hmac::sign(key, identity.value.as_bytes());
        let mut out = [0u8; 32];
        out.copy_from_slice(tag.as_ref());
        BlindIndexToken(out)
    }
}

impl Drop for BlindIndex {
    fn drop(&mut self) {
        for k in &mut self.keys {
            crate::secret::wipe_hmac_key(k);
        }
    }
}

impl fmt::Debug for BlindIndex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("BlindIndex([redacted])")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn index(b: u8) -> BlindIndex {
        BlindIndex::new(&SecretKey::from_bytes([b; 32]))
    }

    #[test]
    fn dm_03_tokens_are_deterministic_normalized_and_keyed() {
        let bi = index(1);
        let a = bi.token(IdentityKind::Email, "Ada@Example.COM").unwrap();
        let b = bi
            .token(IdentityKind::Email, "  ada@example.com\n")
            .unwrap();
        assert_eq!(a, b);
        assert_ne!(a, bi.token(IdentityKind::Email, "bob@example.com").unwrap());
        // another key, another token
        assert_ne!(
            a,
            index(2)
                .token(IdentityKind::Email, "ada@example.com")
                .unwrap()
        );
        // not an unkeyed hash of the value
        let unkeyed = ring::digest::digest(&ring::digest::SHA256, b"ada@example.com");
        assert_ne!(a.as_bytes().as_slice(), unkeyed.as_ref());
    }

    #[test]
    fn kinds_are_domain_separated() {
        let bi = index(1);
        let c = bi.token(IdentityKind::Cookie, "abc-123").unwrap();
        let d = bi.token(IdentityKind::Device, "abc-123").unwrap();
        let r = bi.token(IdentityKind::AccountRef, "abc-123").unwrap();
        assert_ne!(c, d);
        assert_ne!(c, r);
        assert_ne!(d, r);
    }

    #[test]
    fn exact_kinds_are_case_sensitive() {
        let bi = index(1);
        assert_ne!(
            bi.token(IdentityKind::Cookie, "AbC").unwrap(),
            bi.token(IdentityKind::Cookie, "abc").unwrap()
        );
        assert_eq!(
            normalize(IdentityKind::Device, " x"),
            Err(IdentityError::SurroundingWhitespace(IdentityKind::Device))
        );
        assert_eq!(
            normalize(IdentityKind::Cookie, ""),
            Err(IdentityError::Empty(IdentityKind::Cookie))
        );
        assert_eq!(
            normalize(IdentityKind::AccountRef, "a\u{0}b"),
            Err(IdentityError::ControlCharacter(IdentityKind::AccountRef))
        );
        assert!(normalize(IdentityKind::AccountRef, &"x".repeat(513)).is_err());
    }

    #[test]
    fn email_validation() {
        assert_eq!(
            normalize_email(" A.B+tag@Sub.Example.org ").unwrap(),
            "a.b+tag@sub.example.org"
        );
        assert_eq!(normalize_email("ada@localhost").unwrap(), "ada@localhost");
        for bad in [
            "",
            "   ",
            "no-at-sign",
            "@example.com",
            "ada@",
            "ada@example..com",
            "ada@.com",
            "a b@example.com",
            "ada@exa mple.com",
            "a@b@c.com",
            "ada@exa(mple.com",
        ] {
            assert!(normalize_email(bad).is_err(), "{bad:?} accepted");
        }
        assert!(normalize_email(&format!("{}@example.com", "a".repeat(65))).is_err());
        assert!(normalize_email(&format!("a@{}.com", "b".repeat(250))).is_err());
        assert!(normalize_email("\"a@b\"@example.com").is_ok());
        // errors never echo the value
        let e = normalize_email("secret-person example.com").unwrap_err();
        assert!(!e.to_string().contains("secret-person"));
    }

    #[test]
    fn phone_validation() {
        assert_eq!(
            normalize_phone("+1 (415) 555-0100").unwrap(),
            "+14155550100"
        );
        assert_eq!(normalize_phone("0049 30 1234567").unwrap(), "+49301234567");
        assert_eq!(
            normalize_phone("+44.20.7946.0958").unwrap(),
            "+442079460958"
        );
        for bad in [
            "",
            "4155550100",
            "+1 415 555 01x0",
            "+0 123 456 789",
            "+1234567",
            "+1234567890123456",
            "++14155550100",
            "+1/415/5550100",
        ] {
            assert!(normalize_phone(bad).is_err(), "{bad:?} accepted");
        }
        let bi = index(1);
        assert_eq!(
            bi.token(IdentityKind::Phone, "+1 415-555-0100").unwrap(),
            bi.token(IdentityKind::Phone, "001 (415) 555 0100").unwrap()
        );
    }

    #[test]
    fn debug_is_redacted() {
        let n = normalize(IdentityKind::Email, "ada@example.com").unwrap();
        assert!(!format!("{n:?}").contains("ada"));
        assert_eq!(format!("{:?}", index(1)), "BlindIndex([redacted])");
    }

    proptest! {
        #[test]
        fn normalization_is_idempotent(kind_i in 0usize..5, raw in "\\PC{0,40}") {
            let kind = IdentityKind::ALL[kind_i];
            if let Ok(n) = normalize(kind, &raw) {
                let again = normalize(kind, n.expose()).unwrap();
                prop_assert_eq!(again.expose(), n.expose());
            }
        }

        #[test]
        fn email_normalization_is_idempotent(local in "[A-Za-z0-9._%+-]{1,20}", domain in "[A-Za-z0-9-]{1,10}(\\.[A-Za-z]{2,5}){0,2}", pad in " {0,2}") {
            let raw = format!("{pad}{local}@{domain}{pad}");
            let n = normalize_email(&raw).unwrap();
            prop_assert_eq!(normalize_email(&n).unwrap(), n.clone());
            prop_assert_eq!(n, raw.trim().to_lowercase());
        }

        #[test]
        fn phone_normalization_is_idempotent(cc in "[1-9][0-9]{0,2}", rest in "[0-9 ().-]{7,16}") {
            let raw = format!("+{cc} {rest}");
            if let Ok(n) = normalize_phone(&raw) {
                prop_assert_eq!(normalize_phone(&n).unwrap(), n);
            }
        }
    }
}
