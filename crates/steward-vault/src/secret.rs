//! Raw secret material: 32-byte keys and secret strings that zeroize on drop, a
//! constant-time comparison, randomness, and the HKDF (RFC 5869) steps used to derive
//! sub-keys.
//!
//! SECURITY: every raw key this crate owns lives in a [`SecretKey`] or a `Zeroizing` buffer
//! and is wiped when dropped. ring does not wipe its expanded key states (AES round keys, HMAC
//! inner/outer states, Ed25519 key pairs) on drop, so the types holding them (`DataKey`,
//! `BlindIndex`, `EpochKey`, `CheckpointSigner` ...) overwrite them in place with a key of
//! zeros when dropped ([`wipe_aead_key`], [`wipe_hmac_key`]). As with `zeroize`, copies left
//! behind by moves are out of reach.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use ring::hmac;
use ring::rand::{SecureRandom, SystemRandom};
use zeroize::{Zeroize, Zeroizing};

/// Length of every symmetric key in the vault (AES-256, HMAC-SHA256 keys): 32 bytes.
pub const KEY_LEN: usize = 32;

/// A 32-byte secret key: zeroized on drop, redacted in `Debug`, compared in constant time.
#[derive(Clone)]
pub struct SecretKey(Zeroizing<[u8; KEY_LEN]>);

impl SecretKey {
    /// Wraps key bytes (the caller should zeroize its own copy).
    pub fn from_bytes(bytes: [u8; KEY_LEN]) -> Self {
        Self(Zeroizing::new(bytes))
    }

    /// A fresh random key from the operating system's CSPRNG.
    pub fn generate() -> Result<Self, RandomError> {
        let mut k = Zeroizing::new([0u8; KEY_LEN]);
        fill_random(k.as_mut())?;
        Ok(Self(k))
    }

    /// Decodes standard base64 (padding optional, surrounding whitespace ignored) of exactly
    /// 32 bytes.
    pub fn from_base64(text: &str) -> Result<Self, SecretFormatError> {
        let decoded = Zeroizing::new(decode_base64(text.trim())?);
        let bytes: [u8; KEY_LEN] =
            decoded
                .as_slice()
                .try_into()
                .map_err(|_| SecretFormatError::WrongLength {
                    expected: KEY_LEN,
                    actual: decoded.len(),
                })?;
        Ok(Self::from_bytes(bytes))
    }

    /// Standard base64 of the key, in a zeroizing string (for writing the key ring file).
    pub fn to_base64(&self) -> SecretString {
        SecretString::new(STANDARD.encode(self.0.as_ref()))
    }

    /// The key bytes. Use them immediately; do not copy them into non-zeroizing storage.
    pub fn expose(&self) -> &[u8; KEY_LEN] {
        &self.0
    }
}

impl PartialEq for SecretKey {
    fn eq(&self, other: &Self) -> bool {
        ct_eq(self.0.as_ref(), other.0.as_ref())
    }
}

impl Eq for SecretKey {}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretKey([redacted])")
    }
}

/// A secret string (a base64 key from the environment, a key file's content): zeroized on
/// drop, redacted in `Debug`, serialized as the plain string (key ring file only).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct SecretString(Zeroizing<String>);

impl SecretString {
    /// Wraps a string.
    pub fn new(value: String) -> Self {
        Self(Zeroizing::new(value))
    }

    /// The text.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl From<String> for SecretString {
    fn from(value: String) -> Self {
        Self::new(value)
    }
}

impl From<&str> for SecretString {
    fn from(value: &str) -> Self {
        Self::new(value.to_owned())
    }
}

impl fmt::Debug for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretString([redacted])")
    }
}

impl serde::Serialize for SecretString {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for SecretString {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self::new)
    }
}

/// The operating system's random number generator failed (it practically never does).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the system random number generator failed")]
pub struct RandomError;

/// A secret value is not in the expected format. Never carries the value itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SecretFormatError {
    /// Not valid base64.
    #[error("not valid base64")]
    NotBase64,
    /// The decoded value has the wrong length.
    #[error("expected {expected} bytes after base64 decoding, found {actual}")]
    WrongLength {
        /// Expected length in bytes.
        expected: usize,
        /// Decoded length in bytes.
        actual: usize,
    },
}

/// Fills `out` from the operating system's CSPRNG.
pub(crate) fn fill_random(out: &mut [u8]) -> Result<(), RandomError> {
    SystemRandom::new().fill(out).map_err(|_| RandomError)
}

/// Decodes standard base64, padding optional.
pub(crate) fn decode_base64(text: &str) -> Result<Vec<u8>, SecretFormatError> {
    let trimmed = text.trim_end_matches('=');
    base64::engine::general_purpose::STANDARD_NO_PAD
        .decode(trimmed)
        .map_err(|_| SecretFormatError::NotBase64)
}

/// Standard base64 with padding.
pub(crate) fn encode_base64(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

/// Compares two byte strings in constant time (for equal lengths; the length itself is not
/// secret). Use it for every comparison of secrets, tags or secret hashes.
pub fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    use subtle::ConstantTimeEq as _;
    a.len() == b.len() && bool::from(a.ct_eq(b))
}

/// HKDF-Extract (RFC 5869): `PRK = HMAC-SHA256(salt, ikm)`, as an HMAC key for expansion.
pub(crate) fn hkdf_extract(salt: &[u8], ikm: &[u8]) -> hmac::Key {
    let salt_key = hmac::Key::new(hmac::HMAC_SHA256, salt);
    let tag = hmac::sign(&salt_key, ikm);
    let mut prk = Zeroizing::new([0u8; KEY_LEN]);
    prk.copy_from_slice(tag.as_ref());
    hmac::Key::new(hmac::HMAC_SHA256, prk.as_ref())
}

/// HKDF-Expand (RFC 5869) of one block: `OKM = HMAC-SHA256(PRK, info || 0x01)`, 32 bytes.
/// `info` is the concatenation of `info_parts`.
pub(crate) fn hkdf_expand32(prk: &hmac::Key, info_parts: &[&[u8]]) -> SecretKey {
    let mut ctx = hmac::Context::with_key(prk);
    for part in info_parts {
        ctx.update(part);
    }
    ctx.update(&[1u8]);
    let tag = ctx.sign();
    let mut out = [0u8; KEY_LEN];
    out.copy_from_slice(tag.as_ref());
    let key = SecretKey::from_bytes(out);
    out.zeroize();
    key
}

/// Overwrites an AES-GCM key state in place with the state of an all-zero key (ring has no
/// zeroize; assigning over the value rewrites its bytes where they are).
pub(crate) fn wipe_aead_key(key: &mut ring::aead::LessSafeKey) {
    if let Ok(zero) = ring::aead::UnboundKey::new(&ring::aead::AES_256_GCM, &[0u8; KEY_LEN]) {
        *key = ring::aead::LessSafeKey::new(zero);
    }
    // Keep the store from being optimized away as dead before the drop.
    std::hint::black_box(key);
}

/// Overwrites an HMAC key state in place with the state of an all-zero key.
pub(crate) fn wipe_hmac_key(key: &mut hmac::Key) {
    *key = hmac::Key::new(hmac::HMAC_SHA256, &[0u8; KEY_LEN]);
    std::hint::black_box(key);
}

/// Lowercase hex of `bytes`.
pub(crate) fn to_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trip_and_length_check() {
        let k = SecretKey::generate().unwrap();
        let b64 = k.to_base64();
        assert_eq!(SecretKey::from_base64(b64.expose()).unwrap(), k);
        // unpadded and with whitespace is accepted
        let unpadded = b64.expose().trim_end_matches('=').to_owned();
        assert_eq!(
            SecretKey::from_base64(&format!(" {unpadded}\n")).unwrap(),
            k
        );
        assert_eq!(
            SecretKey::from_base64(&encode_base64(&[1u8; 16])),
            Err(SecretFormatError::WrongLength {
                expected: 32,
                actual: 16
            })
        );
        assert_eq!(
            SecretKey::from_base64("not base64!"),
            Err(SecretFormatError::NotBase64)
        );
    }

    #[test]
    fn debug_is_redacted() {
        let k = SecretKey::from_bytes([7u8; 32]);
        assert_eq!(format!("{k:?}"), "SecretKey([redacted])");
        let s = SecretString::from("hunter2");
        assert!(!format!("{s:?}").contains("hunter2"));
    }

    #[test]
    fn ct_eq_compares_content_and_length() {
        assert!(ct_eq(b"abc", b"abc"));
        assert!(!ct_eq(b"abc", b"abd"));
        assert!(!ct_eq(b"abc", b"abcd"));
    }

    #[test]
    fn hkdf_matches_rfc5869_test_case_1() {
        // RFC 5869 A.1, first 32 bytes of OKM (L = 42 spans two blocks; T(1) is the first 32).
        let ikm = [0x0bu8; 22];
        let salt: Vec<u8> = (0x00u8..=0x0c).collect();
        let info: Vec<u8> = (0xf0u8..=0xf9).collect();
        let prk = hkdf_extract(&salt, &ikm);
        let okm = hkdf_expand32(&prk, &[&info]);
        assert_eq!(
            to_hex(okm.expose()),
            "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf"
        );
    }
}
