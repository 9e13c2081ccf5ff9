//! Ed25519 signatures for audit checkpoints (AUD-02).
//!
//! The audit log is a hash chain; a chain alone cannot tell a consistent rewrite from the
//! original. Periodic checkpoints ("the chain up to `seq` has head `h`") signed with a key the
//! database does not hold can. The store builds the message; this module signs and checks.
//! Public keys are exported (base64) so anyone can verify an anchor without the key ring.

use std::collections::BTreeMap;
use std::fmt;

use ring::signature::{ED25519, Ed25519KeyPair, KeyPair as _, UnparsedPublicKey};

use crate::error::VaultError;
use crate::ids::SigningKeyId;
use crate::secret::{SecretFormatError, SecretKey, decode_base64, encode_base64, to_hex};

/// Length of an Ed25519 signature.
pub const SIGNATURE_LEN: usize = 64;

/// An Ed25519 public key (32 bytes) that verifies checkpoints.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct CheckpointPublicKey([u8; 32]);

impl CheckpointPublicKey {
    /// From raw bytes.
    pub const fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    /// The bytes.
    pub const fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// Standard base64 (for export, e.g. `steward keys public`).
    pub fn to_base64(&self) -> String {
        encode_base64(&self.0)
    }

    /// From standard base64 of 32 bytes.
    pub fn from_base64(text: &str) -> Result<Self, SecretFormatError> {
        let v = decode_base64(text.trim())?;
        let bytes: [u8; 32] =
            v.as_slice()
                .try_into()
                .map_err(|_| SecretFormatError::WrongLength {
                    expected: 32,
                    actual: v.len(),
                })?;
        Ok(Self(bytes))
    }
}

impl fmt::Debug for CheckpointPublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CheckpointPublicKey({})", to_hex(&self.0))
    }
}

/// Signs audit checkpoints with an Ed25519 key.
pub struct CheckpointSigner {
    key_id: SigningKeyId,
    pair: Ed25519KeyPair,
}

impl CheckpointSigner {
    /// From a 32-byte Ed25519 seed (the private key).
    pub fn from_seed(key_id: SigningKeyId, seed: &SecretKey) -> Result<Self, VaultError> {
        // A 32-byte seed is never rejected; the error path is not reachable.
        let pair = Ed25519KeyPair::from_seed_unchecked(seed.expose())
            .map_err(|_| VaultError::BadSignature)?;
        Ok(Self { key_id, pair })
    }

    /// The id stored with each checkpoint.
    pub fn key_id(&self) -> &SigningKeyId {
        &self.key_id
    }

    /// The public key that verifies this signer's checkpoints.
    pub fn public_key(&self) -> CheckpointPublicKey {
        public_key_of(&self.pair)
    }

    /// Signs `message` (the store's canonical checkpoint message).
    pub fn sign(&self, message: &[u8]) -> [u8; SIGNATURE_LEN] {
        let sig = self.pair.sign(message);
        let mut out = [0u8; SIGNATURE_LEN];
        out.copy_from_slice(sig.as_ref());
        out
    }

    /// The public key of a seed, without building a signer.
    pub fn public_key_of_seed(seed: &SecretKey) -> Result<CheckpointPublicKey, VaultError> {
        let pair = Ed25519KeyPair::from_seed_unchecked(seed.expose())
            .map_err(|_| VaultError::BadSignature)?;
        Ok(public_key_of(&pair))
    }
}

impl Drop for CheckpointSigner {
    fn drop(&mut self) {
        // SECURITY: ring does not wipe key pairs; overwrite the private scalar in place.
        if let Ok(zero) = Ed25519KeyPair::from_seed_unchecked(&[0u8; 32]) {
            self.pair = zero;
        }
        std::hint::black_box(&self.pair);
    }
}

fn public_key_of(pair: &Ed25519KeyPair) -> CheckpointPublicKey {
    let mut pk = [0u8; 32];
    pk.copy_from_slice(pair.public_key().as_ref());
    CheckpointPublicKey(pk)
}

impl fmt::Debug for CheckpointSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // SECURITY: the public key only.
        f.debug_struct("CheckpointSigner")
            .field("key_id", &self.key_id)
            .field("public_key", &self.public_key())
            .finish()
    }
}

/// Checks an Ed25519 `signature` over `message`. `BadSignature` if it does not verify.
pub fn verify_checkpoint(
    public_key: &CheckpointPublicKey,
    message: &[u8],
    signature: &[u8],
) -> Result<(), VaultError> {
    UnparsedPublicKey::new(&ED25519, &public_key.0)
        .verify(message, signature)
        .map_err(|_| VaultError::BadSignature)
}

/// The answer of [`CheckpointVerifier::check`] (mirrors the store's `SignatureCheck`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureCheck {
    /// The signature is valid for that key.
    Valid,
    /// The signature is not valid.
    Invalid,
    /// The key id is not known.
    UnknownKey,
}

/// The public keys of every signing key (current and retired), by id.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CheckpointVerifier {
    keys: BTreeMap<SigningKeyId, CheckpointPublicKey>,
}

impl CheckpointVerifier {
    /// A verifier for these keys.
    pub fn new(keys: impl IntoIterator<Item = (SigningKeyId, CheckpointPublicKey)>) -> Self {
        Self {
            keys: keys.into_iter().collect(),
        }
    }

    /// Adds (or replaces) a key.
    pub fn insert(&mut self, id: SigningKeyId, key: CheckpointPublicKey) {
        self.keys.insert(id, key);
    }

    /// The known keys.
    pub fn keys(&self) -> impl Iterator<Item = (&SigningKeyId, &CheckpointPublicKey)> {
        self.keys.iter()
    }

    /// Checks `signature` over `message` with the key named `key_id`.
    pub fn check(&self, key_id: &str, message: &[u8], signature: &[u8]) -> SignatureCheck {
        let Some(key) = self
            .keys
            .iter()
            .find(|(id, _)| id.as_str() == key_id)
            .map(|(_, k)| k)
        else {
            return SignatureCheck::UnknownKey;
        };
        match verify_checkpoint(key, message, signature) {
            Ok(()) => SignatureCheck::Valid,
            Err(_) => SignatureCheck::Invalid,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signer(b: u8) -> CheckpointSigner {
        CheckpointSigner::from_seed(
            SigningKeyId::new(format!("audit-{b}")).unwrap(),
            &SecretKey::from_bytes([b; 32]),
        )
        .unwrap()
    }

    #[test]
    fn aud_02_sign_and_verify() {
        let s = signer(1);
        let msg = b"steward checkpoint seq=42 head=abcd";
        let sig = s.sign(msg);
        verify_checkpoint(&s.public_key(), msg, &sig).unwrap();
        assert!(matches!(
            verify_checkpoint(
                &s.public_key(),
                b"steward checkpoint seq=43 head=abcd",
                &sig
            ),
            Err(VaultError::BadSignature)
        ));
        let mut bad = sig;
        bad[10] ^= 1;
        assert!(verify_checkpoint(&s.public_key(), msg, &bad).is_err());
        assert!(verify_checkpoint(&signer(2).public_key(), msg, &sig).is_err());
        assert!(verify_checkpoint(&s.public_key(), msg, &sig[..63]).is_err());
    }

    #[test]
    fn verifier_by_key_id() {
        let (a, b) = (signer(1), signer(2));
        let v = CheckpointVerifier::new([
            (a.key_id().clone(), a.public_key()),
            (b.key_id().clone(), b.public_key()),
        ]);
        let sig = a.sign(b"m");
        assert_eq!(v.check("audit-1", b"m", &sig), SignatureCheck::Valid);
        assert_eq!(v.check("audit-2", b"m", &sig), SignatureCheck::Invalid);
        assert_eq!(v.check("audit-9", b"m", &sig), SignatureCheck::UnknownKey);
    }

    #[test]
    fn public_key_export_round_trip_and_rfc8032_vector() {
        // RFC 8032 7.1 test 1: secret key 9d61b1...; public key d75a98...
        let seed: [u8; 32] = [
            0x9d, 0x61, 0xb1, 0x9d, 0xef, 0xfd, 0x5a, 0x60, 0xba, 0x84, 0x4a, 0xf4, 0x92, 0xec,
            0x2c, 0xc4, 0x44, 0x49, 0xc5, 0x69, 0x7b, 0x32, 0x69, 0x19, 0x70, 0x3b, 0xac, 0x03,
            0x1c, 0xae, 0x7f, 0x60,
        ];
        let pk = CheckpointSigner::public_key_of_seed(&SecretKey::from_bytes(seed)).unwrap();
        assert_eq!(
            to_hex(pk.as_bytes()),
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
        );
        assert_eq!(
            CheckpointPublicKey::from_base64(&pk.to_base64()).unwrap(),
            pk
        );
        assert!(!format!("{:?}", signer(1)).contains("0101010101010101"));
    }
}
