//! Key-encryption keys (KEKs) behind the [`KeyProvider`] trait.
//!
//! A provider wraps and unwraps data keys under a named KEK; it never hands the KEK out. That
//! is the shape of a cloud KMS (`Encrypt`/`Decrypt` with an encryption context), so a KMS
//! provider can be added without touching the vault. Two local providers exist:
//! [`StaticKeyProvider`] (one master key from the environment, plus previous ones kept for
//! rotation) and [`crate::FileKeyProvider`] (the versioned KEKs of the key ring file).
//!
//! Local wrapping format, version 1 (61 bytes):
//!
//! ```text
//! 0x01 | nonce (12) | AES-256-GCM(KEK, data key (32)) | tag (16)
//! GCM associated data = 0x01 | the vault's AAD (owner id, KEK id)
//! ```

use std::collections::BTreeMap;
use std::fmt;

use ring::aead::{AES_256_GCM, Aad, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use ring::hmac;
use zeroize::Zeroizing;

use crate::error::VaultError;
use crate::ids::KekId;
use crate::secret::{KEY_LEN, SecretKey, fill_random, to_hex};

/// Length of a data key: 32 bytes (AES-256).
pub const DATA_KEY_LEN: usize = KEY_LEN;

/// Format byte of the local wrapping format.
const WRAP_FORMAT_V1: u8 = 0x01;
/// Length of a locally wrapped data key.
const WRAPPED_LEN_V1: usize = 1 + NONCE_LEN + DATA_KEY_LEN + 16;

/// A source of key-encryption keys that wraps and unwraps data keys without exposing them.
///
/// `aad` is associated data the wrapping must be bound to (the vault passes the owner id and
/// the KEK id): unwrapping with other `aad` must fail. The wrapped bytes are opaque to
/// everyone but the provider.
///
/// The methods are synchronous: a KMS implementation that makes network calls is used from a
/// blocking context (e.g. `tokio::task::spawn_blocking`), and callers keep unwrapped data
/// keys for the duration of a request rather than unwrapping per value.
pub trait KeyProvider: Send + Sync + fmt::Debug {
    /// The KEK new data keys are wrapped under, and rotation re-wraps to.
    fn current_kek(&self) -> Result<KekId, VaultError>;

    /// Every KEK this provider can unwrap with (current first).
    fn kek_ids(&self) -> Result<Vec<KekId>, VaultError>;

    /// Wraps `data_key` under `kek`, bound to `aad`.
    fn wrap(
        &self,
        kek: &KekId,
        aad: &[u8],
        data_key: &[u8; DATA_KEY_LEN],
    ) -> Result<Vec<u8>, VaultError>;

    /// Unwraps a data key wrapped under `kek` with `aad`. `UnknownKek` if the provider does
    /// not hold `kek`; `Tampered` if the bytes or `aad` do not authenticate.
    fn unwrap(
        &self,
        kek: &KekId,
        aad: &[u8],
        wrapped: &[u8],
    ) -> Result<Zeroizing<[u8; DATA_KEY_LEN]>, VaultError>;
}

/// One local KEK, ready for AES-256-GCM.
struct LocalKek {
    aead: LessSafeKey,
}

impl LocalKek {
    fn new(key: &SecretKey) -> Result<Self, KekSetError> {
        // AES-256 with a 32-byte key is never rejected; the error path is not reachable.
        let unbound =
            UnboundKey::new(&AES_256_GCM, key.expose()).map_err(|_| KekSetError::BadKey)?;
        Ok(Self {
            aead: LessSafeKey::new(unbound),
        })
    }

    fn wrap(&self, aad: &[u8], data_key: &[u8; DATA_KEY_LEN]) -> Result<Vec<u8>, VaultError> {
        let mut nonce = [0u8; NONCE_LEN];
        fill_random(&mut nonce)?;
        let mut out = Vec::with_capacity(WRAPPED_LEN_V1);
        out.push(WRAP_FORMAT_V1);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(data_key);
        let gcm_aad = prefixed_aad(WRAP_FORMAT_V1, aad);
        let tag = self
            .aead
            .seal_in_place_separate_tag(
                Nonce::assume_unique_for_key(nonce),
                Aad::from(gcm_aad.as_slice()),
                &mut out[1 + NONCE_LEN..],
            )
            .map_err(|_| VaultError::Tampered)?;
        out.extend_from_slice(tag.as_ref());
        Ok(out)
    }

    fn unwrap(
        &self,
        aad: &[u8],
        wrapped: &[u8],
    ) -> Result<Zeroizing<[u8; DATA_KEY_LEN]>, VaultError> {
        let (&format, rest) = wrapped.split_first().ok_or(VaultError::Truncated)?;
        if format != WRAP_FORMAT_V1 {
            return Err(VaultError::UnsupportedFormat(format));
        }
        if wrapped.len() != WRAPPED_LEN_V1 {
            return Err(VaultError::Truncated);
        }
        let (nonce, sealed) = rest.split_at(NONCE_LEN);
        let nonce = Nonce::try_assume_unique_for_key(nonce).map_err(|_| VaultError::Truncated)?;
        let mut buf = Zeroizing::new(sealed.to_vec());
        let gcm_aad = prefixed_aad(WRAP_FORMAT_V1, aad);
        let plain = self
            .aead
            .open_in_place(nonce, Aad::from(gcm_aad.as_slice()), buf.as_mut_slice())
            .map_err(|_| VaultError::Tampered)?;
        let mut key = Zeroizing::new([0u8; DATA_KEY_LEN]);
        if plain.len() != DATA_KEY_LEN {
            return Err(VaultError::Tampered);
        }
        key.copy_from_slice(plain);
        Ok(key)
    }
}

impl Drop for LocalKek {
    fn drop(&mut self) {
        crate::secret::wipe_aead_key(&mut self.aead);
    }
}

fn prefixed_aad(format: u8, aad: &[u8]) -> Vec<u8> {
    let mut v = Vec::with_capacity(1 + aad.len());
    v.push(format);
    v.extend_from_slice(aad);
    v
}

/// A set of local KEKs: one current, any number of older ones for unwrapping.
pub(crate) struct KekSet {
    current: KekId,
    keys: BTreeMap<KekId, LocalKek>,
}

impl KekSet {
    /// Builds the set; `current` must be among `keys`.
    pub(crate) fn new(current: KekId, keys: &[(KekId, SecretKey)]) -> Result<Self, KekSetError> {
        let mut map = BTreeMap::new();
        for (id, key) in keys {
            let kek = LocalKek::new(key)?;
            if map.insert(id.clone(), kek).is_some() {
                return Err(KekSetError::Duplicate(id.clone()));
            }
        }
        if !map.contains_key(&current) {
            return Err(KekSetError::CurrentMissing(current));
        }
        Ok(Self { current, keys: map })
    }

    pub(crate) fn current(&self) -> &KekId {
        &self.current
    }

    pub(crate) fn ids(&self) -> Vec<KekId> {
        let mut ids = vec![self.current.clone()];
        ids.extend(self.keys.keys().filter(|k| **k != self.current).cloned());
        ids
    }

    pub(crate) fn wrap(
        &self,
        kek: &KekId,
        aad: &[u8],
        data_key: &[u8; DATA_KEY_LEN],
    ) -> Result<Vec<u8>, VaultError> {
        self.keys
            .get(kek)
            .ok_or_else(|| VaultError::UnknownKek(kek.clone()))?
            .wrap(aad, data_key)
    }

    pub(crate) fn unwrap(
        &self,
        kek: &KekId,
        aad: &[u8],
        wrapped: &[u8],
    ) -> Result<Zeroizing<[u8; DATA_KEY_LEN]>, VaultError> {
        self.keys
            .get(kek)
            .ok_or_else(|| VaultError::UnknownKek(kek.clone()))?
            .unwrap(aad, wrapped)
    }
}

impl fmt::Debug for KekSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // SECURITY: ids only, never key material.
        f.debug_struct("KekSet")
            .field("current", &self.current)
            .field("ids", &self.keys.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// A set of KEKs is inconsistent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KekSetError {
    /// Two KEKs have the same id.
    #[error("key-encryption key `{0}` appears twice")]
    Duplicate(KekId),
    /// The current KEK is not among the keys.
    #[error("the current key-encryption key `{0}` is not among the keys")]
    CurrentMissing(KekId),
    /// A key was rejected by the cipher.
    #[error("a key-encryption key was rejected")]
    BadKey,
}

/// A provider with a fixed master key (from `STEWARD_MASTER_KEY` or `STEWARD_MASTER_KEY_FILE`,
/// read by the binary and passed in) and any previous master keys kept only to unwrap (and
/// re-wrap) data keys during a rotation.
///
/// KEK ids are derived from the keys (`mk-` + 8 hex digits of an HMAC of the key under a
/// fixed label), so they are stable across restarts and reveal nothing about the key.
///
/// Rotation: set the new master key, pass the old one as previous, run `steward keys rotate`
/// (re-wraps every data key under the new one), then drop the previous key.
pub struct StaticKeyProvider {
    set: KekSet,
}

impl StaticKeyProvider {
    /// Builds the provider from the current master key and previous ones.
    pub fn new(current: &SecretKey, previous: &[SecretKey]) -> Result<Self, KekSetError> {
        let current_id = Self::kek_id_of(current);
        let mut keys = vec![(current_id.clone(), current.clone())];
        for p in previous {
            let id = Self::kek_id_of(p);
            if id == current_id {
                // The same key given twice (or, with odds of 2^-32, a colliding id).
                continue;
            }
            keys.push((id, p.clone()));
        }
        Ok(Self {
            set: KekSet::new(current_id, &keys)?,
        })
    }

    /// The KEK id a master key gets: `mk-` + 8 hex digits of HMAC-SHA256(key, label).
    pub fn kek_id_of(key: &SecretKey) -> KekId {
        let k = hmac::Key::new(hmac::HMAC_SHA256, key.expose());
        let tag = hmac::sign(&k, b"steward-vault/static-kek-id/v1");
        let hex = to_hex(tag.as_ref().get(..4).unwrap_or_default());
        KekId::generated(format!("mk-{hex}"), "mk-invalid")
    }
}

impl fmt::Debug for StaticKeyProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StaticKeyProvider")
            .field("keks", &self.set)
            .finish()
    }
}

impl KeyProvider for StaticKeyProvider {
    fn current_kek(&self) -> Result<KekId, VaultError> {
        Ok(self.set.current().clone())
    }

    fn kek_ids(&self) -> Result<Vec<KekId>, VaultError> {
        Ok(self.set.ids())
    }

    fn wrap(
        &self,
        kek: &KekId,
        aad: &[u8],
        data_key: &[u8; DATA_KEY_LEN],
    ) -> Result<Vec<u8>, VaultError> {
        self.set.wrap(kek, aad, data_key)
    }

    fn unwrap(
        &self,
        kek: &KekId,
        aad: &[u8],
        wrapped: &[u8],
    ) -> Result<Zeroizing<[u8; DATA_KEY_LEN]>, VaultError> {
        self.set.unwrap(kek, aad, wrapped)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(b: u8) -> SecretKey {
        SecretKey::from_bytes([b; 32])
    }

    #[test]
    fn static_ids_are_stable_and_distinct() {
        let a = StaticKeyProvider::kek_id_of(&key(1));
        assert_eq!(a, StaticKeyProvider::kek_id_of(&key(1)));
        assert_ne!(a, StaticKeyProvider::kek_id_of(&key(2)));
        assert!(a.as_str().starts_with("mk-"));
        assert_eq!(a.as_str().len(), 11);
    }

    #[test]
    fn wrap_unwrap_and_previous_keys() {
        let old = StaticKeyProvider::new(&key(1), &[]).unwrap();
        let old_id = old.current_kek().unwrap();
        let dk = [9u8; 32];
        let w = old.wrap(&old_id, b"aad", &dk).unwrap();
        assert_eq!(w.len(), WRAPPED_LEN_V1);
        assert_eq!(*old.unwrap(&old_id, b"aad", &w).unwrap(), dk);
        assert!(matches!(
            old.unwrap(&old_id, b"other", &w),
            Err(VaultError::Tampered)
        ));

        let rotated = StaticKeyProvider::new(&key(2), &[key(1)]).unwrap();
        assert_ne!(rotated.current_kek().unwrap(), old_id);
        assert_eq!(rotated.kek_ids().unwrap().len(), 2);
        assert_eq!(*rotated.unwrap(&old_id, b"aad", &w).unwrap(), dk);

        let fresh = StaticKeyProvider::new(&key(2), &[]).unwrap();
        assert!(matches!(
            fresh.unwrap(&old_id, b"aad", &w),
            Err(VaultError::UnknownKek(id)) if id == old_id
        ));
    }

    #[test]
    fn format_and_length_are_checked() {
        let p = StaticKeyProvider::new(&key(1), &[]).unwrap();
        let id = p.current_kek().unwrap();
        let mut w = p.wrap(&id, b"", &[1u8; 32]).unwrap();
        assert!(matches!(
            p.unwrap(&id, b"", &w[..20]),
            Err(VaultError::Truncated)
        ));
        assert!(matches!(
            p.unwrap(&id, b"", &[]),
            Err(VaultError::Truncated)
        ));
        w[0] = 7;
        assert!(matches!(
            p.unwrap(&id, b"", &w),
            Err(VaultError::UnsupportedFormat(7))
        ));
    }
}
