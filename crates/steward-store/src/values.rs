//! Validated value types: policy vocabulary keys, jurisdictions, digests, blind-index tokens,
//! ciphertexts and wrapped keys.
//!
//! The store keeps policy vocabulary (categories, purposes, recipients, choices, sources ...) as
//! opaque validated keys: their meaning lives in `steward-policy`, the store never interprets
//! them. The charset (`[a-z0-9_:.-]{1,64}`) has no `@`, space or `+`, so an e-mail address or a
//! free-text value cannot slip into a key — one of the guards behind AUD-04 (no plaintext
//! personal data in the audit log).
//!
//! Byte values that are personal data or secrets (`Ciphertext`, `WrappedKeyBytes`) print only
//! their length in `Debug`.

use std::fmt;
use std::str::FromStr;

use jiff::Timestamp;

use crate::error::{StoreError, ValueError};

/// Longest key, in bytes.
pub const MAX_KEY_LEN: usize = 64;

const fn is_lower_key_byte(b: u8) -> bool {
    matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'_' | b':' | b'.' | b'-')
}

const fn is_code_byte(b: u8) -> bool {
    matches!(b, b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'_' | b':' | b'.' | b'-')
}

fn check_key(s: &str, what: &'static str, mixed_case: bool) -> Result<(), ValueError> {
    let reason = if mixed_case {
        "must match [A-Za-z0-9_:.-]{1,64}"
    } else {
        "must match [a-z0-9_:.-]{1,64}"
    };
    if s.is_empty() || s.len() > MAX_KEY_LEN {
        return Err(ValueError::new(what, reason));
    }
    let ok = s.bytes().all(|b| {
        if mixed_case {
            is_code_byte(b)
        } else {
            is_lower_key_byte(b)
        }
    });
    if ok {
        Ok(())
    } else {
        Err(ValueError::new(what, reason))
    }
}

macro_rules! key_type {
    ($(#[$meta:meta])* $name:ident, $what:literal, $mixed:expr) => {
        $(#[$meta])*
        #[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(Box<str>);

        impl $name {
            /// Validates and wraps a key.
            pub fn new(key: impl Into<String>) -> Result<Self, ValueError> {
                let key: String = key.into();
                check_key(&key, $what, $mixed)?;
                Ok(Self(key.into_boxed_str()))
            }

            /// The key as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!(stringify!($name), "({})"), self.0)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl FromStr for $name {
            type Err = ValueError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::new(s)
            }
        }

        impl TryFrom<String> for $name {
            type Error = ValueError;
            fn try_from(s: String) -> Result<Self, Self::Error> {
                Self::new(s)
            }
        }

        impl TryFrom<&str> for $name {
            type Error = ValueError;
            fn try_from(s: &str) -> Result<Self, Self::Error> {
                Self::new(s)
            }
        }

        impl From<$name> for String {
            fn from(key: $name) -> String {
                key.0.into()
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    };
}

key_type!(
    /// The channel a choice arrived through (provenance only: every channel has the same
    /// effect), e.g. `registration_checkbox`, `email_link`, `web_form`, `support_contact`,
    /// `privacy_email`, `gpc`, `sms_stop`, `change_of_control_prompt`, `privacy_center`, `api`.
    /// Opaque to the store like the rest of the policy vocabulary (see [`ChoiceChannelKey::KNOWN`]).
    ChoiceChannelKey, "choice channel", false
);
key_type!(
    /// A permission scope of an API key, e.g. `decide`, `write`, `read_pii`, `choices`, `dsr`,
    /// `admin`. The server gives scopes their meaning; the store only keeps them.
    ApiScope, "api key scope", false
);
key_type!(
    /// A data category of the policy taxonomy (CAT-*), e.g. `email`, `postal_address`.
    CategoryKey, "category key", false
);
key_type!(
    /// A purpose (PUR-*), e.g. `service_provision`, `marketing_first_party`.
    PurposeKey, "purpose key", false
);
key_type!(
    /// A recipient of disclosures (SHARE-*), e.g. `SP_EMAIL`, `USPS`, `MP1` (policy ids are
    /// case-sensitive and the shipped policy writes them in upper case, as the catalog does).
    RecipientKey, "recipient key", true
);
key_type!(
    /// A choice of the choices ledger, e.g. `sale_opt_out`, `marketing:first_party:email`,
    /// `cookie:analytics`, `gpc`, `consent:recipient:TP_Y` (recipient ids keep their case).
    ChoiceKey, "choice key", true
);
key_type!(
    /// Where a data item or identity link came from (SRC-*), e.g. `user`, `automatic`,
    /// `third_party`, `usps`, `commercial`, `login`.
    SourceKey, "source key", false
);
key_type!(
    /// A controlling legal entity (SCOPE-01, DM-05), e.g. `stamps_com_inc`.
    EntityKey, "entity key", false
);
key_type!(
    /// What an audited action was, e.g. `can_disclose`, `item.read`, `dsr.verify`.
    ActionKey, "action key", false
);
key_type!(
    /// A non-human actor (an API client, a connector, a sweep), e.g. `svc:checkout`.
    ServiceKey, "service key", false
);
key_type!(
    /// A state or task kind of a case file, e.g. `assessed`, `state_residents:CA`.
    CaseKey, "case key", true
);
key_type!(
    /// An agreement of the policy (`[[agreement]]`), e.g. `customer_undertaking`.
    AgreementKey, "agreement key", false
);
key_type!(
    /// A version of an agreement's text, e.g. `pas-1`.
    AgreementVersion, "agreement version", true
);
key_type!(
    /// A caller's reference to a shipment, e.g. `ship-2024-000123` (CARRIER-01): an order or
    /// label number, never a person's name or address.
    ShipmentRef, "shipment reference", true
);
key_type!(
    /// A version of the privacy policy or notice, e.g. `2020-01-17`.
    PolicyVersion, "policy version", false
);
key_type!(
    /// The version of the engine that made a decision, e.g. `steward-0.1.0`.
    EngineVersion, "engine version", false
);
key_type!(
    /// The id of a key-encryption key (from the vault's key provider) wrapping data keys.
    KekId, "key-encryption key id", false
);
key_type!(
    /// The id of the Ed25519 key that signed an audit checkpoint.
    SigningKeyId, "signing key id", false
);
key_type!(
    /// The name of an audit reference, digest or attribute, e.g. `request`, `old_value`, `payload`.
    FieldName, "field name", false
);
key_type!(
    /// A decision reason code (§0.4), e.g. `NO_RULE`, `OPTED_OUT`.
    ReasonCode, "reason code", true
);
key_type!(
    /// A requirement id of the catalog, e.g. `SHARE-01`.
    RuleId, "rule id", true
);
key_type!(
    /// A short structured attribute value of an audit event (never free text), e.g. `declared`, `US-CA`.
    AttrValue, "attribute value", true
);

impl ChoiceChannelKey {
    /// The channels the shipped policy knows (C1 `PreferenceEvent.channel`, MP-04, DNS-05).
    pub const KNOWN: &'static [&'static str] = &[
        "registration_checkbox",
        "email_link",
        "web_form",
        "support_contact",
        "privacy_email",
        "gpc",
        "sms_stop",
        "change_of_control_prompt",
        "privacy_center",
        "api",
    ];
}

/// A jurisdiction: ISO 3166-1 alpha-2 country, optionally with a subdivision (`US-CA`, `DE`).
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Jurisdiction(Box<str>);

impl Jurisdiction {
    /// Validates `[A-Z]{2}(-[A-Z0-9]{1,3})?`.
    pub fn new(code: impl Into<String>) -> Result<Self, ValueError> {
        let code: String = code.into();
        let b = code.as_bytes();
        let country_ok = b.len() >= 2 && b[..2].iter().all(u8::is_ascii_uppercase);
        let rest_ok = match b.get(2..) {
            None | Some([]) => true,
            Some([b'-', sub @ ..]) => {
                (1..=3).contains(&sub.len())
                    && sub
                        .iter()
                        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
            }
            Some(_) => false,
        };
        if country_ok && rest_ok {
            Ok(Self(code.into_boxed_str()))
        } else {
            Err(ValueError::new(
                "jurisdiction",
                "must match [A-Z]{2}(-[A-Z0-9]{1,3})?",
            ))
        }
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The country part (`US` of `US-CA`).
    pub fn country(&self) -> &str {
        self.0.get(..2).unwrap_or(&self.0)
    }
}

impl fmt::Debug for Jurisdiction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Jurisdiction({})", self.0)
    }
}

impl fmt::Display for Jurisdiction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for Jurisdiction {
    type Err = ValueError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::new(s)
    }
}

impl TryFrom<String> for Jurisdiction {
    type Error = ValueError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::new(s)
    }
}

impl TryFrom<&str> for Jurisdiction {
    type Error = ValueError;
    fn try_from(s: &str) -> Result<Self, Self::Error> {
        Self::new(s)
    }
}

impl From<Jurisdiction> for String {
    fn from(j: Jurisdiction) -> String {
        j.0.into()
    }
}

/// A SHA-256 digest (hash-chain links, notice text hashes, payload hashes, old/new value hashes).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Digest(pub [u8; 32]);

impl Digest {
    /// All zeroes: the `prev_hash` of the first audit entry.
    pub const ZERO: Digest = Digest([0; 32]);

    /// SHA-256 of `data`.
    pub fn sha256(data: &[u8]) -> Digest {
        let d = ring::digest::digest(&ring::digest::SHA256, data);
        let mut out = [0u8; 32];
        out.copy_from_slice(d.as_ref());
        Digest(out)
    }

    /// From a stored 32-byte slice.
    pub fn from_slice(bytes: &[u8]) -> Result<Self, ValueError> {
        let array: [u8; 32] = bytes
            .try_into()
            .map_err(|_| ValueError::new("digest", "must be 32 bytes"))?;
        Ok(Digest(array))
    }

    /// The bytes.
    pub const fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// Lowercase hex.
    pub fn to_hex(&self) -> String {
        use fmt::Write;
        let mut s = String::with_capacity(64);
        for b in self.0 {
            let _ = write!(s, "{b:02x}");
        }
        s
    }
}

impl fmt::Debug for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Digest({})", self.to_hex())
    }
}

impl fmt::Display for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

/// A keyed blind-index token of an identity (HMAC of a normalized e-mail, phone, cookie id ...),
/// computed by the vault. The store finds subjects by it and never sees the plaintext.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct BlindToken(Box<[u8]>);

impl BlindToken {
    /// Shortest token accepted (128 bits).
    pub const MIN_LEN: usize = 16;
    /// Longest token accepted.
    pub const MAX_LEN: usize = 64;

    /// Wraps token bytes (16 to 64 bytes).
    pub fn new(bytes: impl Into<Vec<u8>>) -> Result<Self, ValueError> {
        let bytes: Vec<u8> = bytes.into();
        if (Self::MIN_LEN..=Self::MAX_LEN).contains(&bytes.len()) {
            Ok(Self(bytes.into_boxed_slice()))
        } else {
            Err(ValueError::new("blind token", "must be 16 to 64 bytes"))
        }
    }

    /// The token bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for BlindToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A keyed hash is not reversible, but a short prefix is enough to tell tokens apart.
        write!(f, "BlindToken(")?;
        for b in self.0.iter().take(4) {
            write!(f, "{b:02x}")?;
        }
        write!(f, "…; {} bytes)", self.0.len())
    }
}

/// A vault-encrypted value (nonce, ciphertext and tag in the vault's format). Opaque to the store.
#[derive(Clone, PartialEq, Eq)]
pub struct Ciphertext(Vec<u8>);

impl Ciphertext {
    /// Largest value accepted (16 MiB).
    pub const MAX_LEN: usize = 16 * 1024 * 1024;

    /// Wraps encrypted bytes (1 byte to 16 MiB).
    pub fn new(bytes: impl Into<Vec<u8>>) -> Result<Self, ValueError> {
        let bytes: Vec<u8> = bytes.into();
        if bytes.is_empty() || bytes.len() > Self::MAX_LEN {
            Err(ValueError::new("ciphertext", "must be 1 byte to 16 MiB"))
        } else {
            Ok(Self(bytes))
        }
    }

    /// The bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// Consumes the value.
    pub fn into_bytes(self) -> Vec<u8> {
        self.0
    }
}

impl fmt::Debug for Ciphertext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Ciphertext(<{} bytes>)", self.0.len())
    }
}

/// A subject's data key wrapped (encrypted) by a key-encryption key. Opaque to the store.
#[derive(Clone, PartialEq, Eq)]
pub struct WrappedKeyBytes(Vec<u8>);

impl WrappedKeyBytes {
    /// Wraps the bytes (1 to 4096).
    pub fn new(bytes: impl Into<Vec<u8>>) -> Result<Self, ValueError> {
        let bytes: Vec<u8> = bytes.into();
        if bytes.is_empty() || bytes.len() > 4096 {
            Err(ValueError::new("wrapped key", "must be 1 to 4096 bytes"))
        } else {
            Ok(Self(bytes))
        }
    }

    /// The bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for WrappedKeyBytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // SECURITY: never print key material, even wrapped.
        write!(f, "WrappedKeyBytes(<redacted; {} bytes>)", self.0.len())
    }
}

/// A signature over an audit checkpoint (Ed25519: 64 bytes; other schemes up to 512).
#[derive(Clone, PartialEq, Eq)]
pub struct SignatureBytes(Vec<u8>);

impl SignatureBytes {
    /// Wraps the bytes (1 to 512).
    pub fn new(bytes: impl Into<Vec<u8>>) -> Result<Self, ValueError> {
        let bytes: Vec<u8> = bytes.into();
        if bytes.is_empty() || bytes.len() > 512 {
            Err(ValueError::new("signature", "must be 1 to 512 bytes"))
        } else {
            Ok(Self(bytes))
        }
    }

    /// The bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for SignatureBytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SignatureBytes(<{} bytes>)", self.0.len())
    }
}

/// How sure an identity link is (DM-03), in percent: 0 to 100.
#[derive(
    Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, serde::Serialize, serde::Deserialize,
)]
#[serde(try_from = "u8", into = "u8")]
pub struct Confidence(u8);

impl Confidence {
    /// Certain (e.g. the subject logged in on that device).
    pub const CERTAIN: Confidence = Confidence(100);

    /// A confidence in percent.
    pub fn new(percent: u8) -> Result<Self, ValueError> {
        if percent <= 100 {
            Ok(Self(percent))
        } else {
            Err(ValueError::new("confidence", "must be 0 to 100"))
        }
    }

    /// The percentage.
    pub const fn get(self) -> u8 {
        self.0
    }
}

impl TryFrom<u8> for Confidence {
    type Error = ValueError;
    fn try_from(p: u8) -> Result<Self, Self::Error> {
        Confidence::new(p)
    }
}

impl From<Confidence> for u8 {
    fn from(c: Confidence) -> u8 {
        c.0
    }
}

/// Times are stored with microsecond precision (what PostgreSQL `timestamptz` keeps); the
/// nanoseconds below are truncated by every backend and by the audit encoding.
pub fn to_micros(ts: Timestamp) -> i64 {
    ts.as_microsecond()
}

/// Rebuilds a stored time.
pub fn from_micros(micros: i64) -> Result<Timestamp, StoreError> {
    Timestamp::from_microsecond(micros).map_err(|_| StoreError::corrupt("timestamp"))
}

/// `ts` truncated to the store's microsecond precision: what a read returns after a write of `ts`.
pub fn store_precision(ts: Timestamp) -> Timestamp {
    Timestamp::from_microsecond(ts.as_microsecond()).unwrap_or(ts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_accept_policy_vocabulary_and_refuse_free_text() {
        assert!(CategoryKey::new("postal_address").is_ok());
        assert!(ChoiceKey::new("marketing:email").is_ok());
        assert!(PolicyVersion::new("2020-01-17").is_ok());
        for bad in [
            "",
            "Email",
            "a b",
            "alice@example.com",
            "x+y",
            &"a".repeat(65),
        ] {
            assert!(CategoryKey::new(bad).is_err(), "{bad:?} must be refused");
        }
        assert!(ReasonCode::new("NO_RULE").is_ok());
        assert!(RuleId::new("SHARE-01").is_ok());
        assert!(RuleId::new("SHARE 01").is_err());
    }

    #[test]
    fn keys_round_trip_through_serde_with_validation() {
        let k = PurposeKey::new("support").unwrap();
        let json = serde_json_like(&k);
        assert_eq!(json, "support");
        assert!(PurposeKey::try_from(String::from("Support")).is_err());
    }

    fn serde_json_like(k: &PurposeKey) -> String {
        String::from(k.clone())
    }

    #[test]
    fn jurisdictions() {
        for ok in ["US", "US-CA", "DE", "FR-75", "GB-ENG"] {
            assert!(Jurisdiction::new(ok).is_ok(), "{ok}");
        }
        for bad in ["us", "USA", "US-", "US-CALI", "U", "US_CA"] {
            assert!(Jurisdiction::new(bad).is_err(), "{bad}");
        }
        assert_eq!(Jurisdiction::new("US-NV").unwrap().country(), "US");
    }

    #[test]
    fn secrets_are_redacted_in_debug() {
        let c = Ciphertext::new(b"alice@example.com".to_vec()).unwrap();
        assert!(!format!("{c:?}").contains("alice"));
        let w = WrappedKeyBytes::new(vec![7u8; 40]).unwrap();
        assert!(format!("{w:?}").contains("redacted"));
        assert!(Ciphertext::new(Vec::new()).is_err());
        assert!(BlindToken::new(vec![1u8; 8]).is_err());
    }

    #[test]
    fn times_truncate_to_microseconds() {
        let ts = Timestamp::new(1_700_000_000, 123_456_789).unwrap();
        let t = store_precision(ts);
        assert_eq!(t, Timestamp::new(1_700_000_000, 123_456_000).unwrap());
        assert_eq!(from_micros(to_micros(ts)).unwrap(), t);
    }

    #[test]
    fn digest_hex() {
        let d = Digest::sha256(b"abc");
        assert_eq!(
            d.to_hex(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
