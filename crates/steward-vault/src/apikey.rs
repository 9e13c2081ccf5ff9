//! API keys for services calling Steward: generated secrets with a recognizable prefix, of
//! which only a hash is stored.
//!
//! A key is `stw_` followed by 43 base64url characters (256 random bits). The store keeps
//! `SHA-256("steward-vault/api-key/v1\0" | key)`; a presented key is hashed and compared in
//! constant time, and the hash can be the lookup key itself.
//!
//! Why not Argon2 (as SEC-04 requires for passwords): a slow hash protects low-entropy human
//! passwords against guessing. A 256-bit random key cannot be guessed, so a fast hash loses
//! nothing, and an Argon2 verification (tens of milliseconds, megabytes of memory) on every
//! API call would be a denial-of-service lever. The prefix lets secret scanners and log
//! filters recognize leaked keys.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::digest;

use crate::secret::{RandomError, SecretString, ct_eq, fill_random, to_hex};

/// The prefix of every API key.
pub const API_KEY_PREFIX: &str = "stw_";
/// Characters after the prefix (43 base64url characters = 32 bytes).
const BODY_LEN: usize = 43;

/// A freshly generated API key, to show once to the operator. Redacted in `Debug`.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKeySecret(SecretString);

impl ApiKeySecret {
    /// A new random key and the hash to store.
    pub fn generate() -> Result<(ApiKeySecret, ApiKeyHash), RandomError> {
        let mut raw = zeroize::Zeroizing::new([0u8; 32]);
        fill_random(raw.as_mut())?;
        let mut text = String::with_capacity(API_KEY_PREFIX.len() + BODY_LEN);
        text.push_str(API_KEY_PREFIX);
        URL_SAFE_NO_PAD.encode_string(raw.as_ref(), &mut text);
        let secret = ApiKeySecret(SecretString::new(text));
        let hash = secret.hash();
        Ok((secret, hash))
    }

    /// The key text (`stw_…`), to display once.
    pub fn expose(&self) -> &str {
        self.0.expose()
    }

    /// Its hash.
    pub fn hash(&self) -> ApiKeyHash {
        ApiKeyHash::compute(self.0.expose())
    }
}

impl fmt::Debug for ApiKeySecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKeySecret([redacted])")
    }
}

/// A presented key is not in the API key format (checked before any lookup).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not a steward API key (expected `stw_` and 43 base64url characters)")]
pub struct ApiKeyFormatError;

/// The stored hash of an API key.
#[derive(Clone, Copy, Eq)]
pub struct ApiKeyHash([u8; 32]);

impl ApiKeyHash {
    fn compute(text: &str) -> Self {
        let mut ctx = digest::Context::new(&digest::SHA256);
        ctx.update(b"steward-vault/api-key/v1\0");
        ctx.update(text.as_bytes());
        let d = ctx.finish();
        let mut out = [0u8; 32];
        out.copy_from_slice(d.as_ref());
        Self(out)
    }

    /// The hash of a presented key, after checking its format (use it to look the key up).
    pub fn of_presented(presented: &str) -> Result<Self, ApiKeyFormatError> {
        let body = presented
            .strip_prefix(API_KEY_PREFIX)
            .ok_or(ApiKeyFormatError)?;
        let ok = body.len() == BODY_LEN
            && body
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if ok {
            Ok(Self::compute(presented))
        } else {
            Err(ApiKeyFormatError)
        }
    }

    /// Whether `presented` is the key of this hash (constant-time comparison).
    pub fn verify(&self, presented: &str) -> bool {
        match Self::of_presented(presented) {
            Ok(h) => ct_eq(&h.0, &self.0),
            Err(_) => false,
        }
    }

    /// From stored bytes.
    pub const fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    /// The bytes to store.
    pub const fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// Lowercase hex.
    pub fn to_hex(&self) -> String {
        to_hex(&self.0)
    }
}

impl PartialEq for ApiKeyHash {
    fn eq(&self, other: &Self) -> bool {
        ct_eq(&self.0, &other.0)
    }
}

impl std::hash::Hash for ApiKeyHash {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.hash(state);
    }
}

impl fmt::Debug for ApiKeyHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ApiKeyHash({}…)", to_hex(&self.0[..4]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generate_verify_and_reject() {
        let (key, hash) = ApiKeySecret::generate().unwrap();
        assert!(key.expose().starts_with("stw_"));
        assert_eq!(key.expose().len(), 47);
        assert!(hash.verify(key.expose()));
        assert_eq!(ApiKeyHash::of_presented(key.expose()).unwrap(), hash);
        let (other, other_hash) = ApiKeySecret::generate().unwrap();
        assert_ne!(hash, other_hash);
        assert!(!hash.verify(other.expose()));
        // one character changed
        let mut s = key.expose().to_owned();
        let last = s.pop().unwrap();
        s.push(if last == 'A' { 'B' } else { 'A' });
        assert!(!hash.verify(&s));
        assert!(ApiKeyHash::of_presented("stw_short").is_err());
        assert!(ApiKeyHash::of_presented(&key.expose().replace("stw_", "sk_")).is_err());
        assert!(ApiKeyHash::of_presented(&format!("stw_{}", "!".repeat(43))).is_err());
        assert_eq!(format!("{key:?}"), "ApiKeySecret([redacted])");
        // the hash is not an unkeyed SHA-256 of the key alone
        let plain = ring::digest::digest(&ring::digest::SHA256, key.expose().as_bytes());
        assert_ne!(hash.as_bytes().as_slice(), plain.as_ref());
    }
}
