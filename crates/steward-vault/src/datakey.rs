//! Per-subject data keys and envelope encryption (DM-02, SEC-01).
//!
//! Every subject gets its own random AES-256 data key. The key is stored only wrapped by a
//! key-encryption key (KEK) of the [`KeyProvider`], with the KEK's id beside it; values are
//! sealed with the data key. Destroying the wrapped key (crypto-shredding) makes every copy of
//! the subject's values unreadable.
//!
//! Wrapping is bound to the owner id and the KEK id (`steward-vault/dek/v1\0 | owner | kek id`
//! as associated data), so a wrapped key moved to another subject, or relabelled with another
//! KEK id, does not unwrap. Sealing is bound to associated data chosen by the caller
//! (subject id, item id, category ...), so a ciphertext moved to another row does not open.
//!
//! Ciphertext format, version 1 (37 bytes of overhead):
//!
//! ```text
//! 0x01 | key id (8) | nonce (12) | AES-256-GCM ciphertext | tag (16)
//! GCM associated data = 0x01 | key id | caller's AAD
//! ```
//!
//! The key id is the first 8 bytes of `SHA-256("steward-vault/data-key-id/v1" | key)`: it tells
//! "sealed with another key" ([`VaultError::WrongKey`]) apart from "altered"
//! ([`VaultError::Tampered`]) and commits the ciphertext to its key (AES-GCM alone does not).
//! Nonces: each `DataKey` instance draws a random 96-bit base when it first seals, and the
//! n-th value it seals uses `base XOR n` (the TLS 1.3 construction). Within an instance nonces
//! never repeat; across instances (requests, replicas) they collide with the same negligible
//! probability as fully random nonces, since a data key seals one subject's values, far below
//! the 2^32 values per key that random GCM nonces allow. One system call per instance instead
//! of one per value halves the cost of sealing. An instance refuses to seal more than 2^32
//! values.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};

use ring::aead::{AES_256_GCM, Aad, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use ring::digest;
use zeroize::{Zeroize as _, Zeroizing};

use crate::error::VaultError;
use crate::ids::{KekId, OwnerId};
use crate::provider::{DATA_KEY_LEN, KeyProvider};
use crate::secret::fill_random;

/// Format byte of ciphertext version 1.
const SEAL_FORMAT_V1: u8 = 0x01;
/// Length of the data key id in a ciphertext.
const KEY_ID_LEN: usize = 8;
/// Length of the GCM tag.
const TAG_LEN: usize = 16;
/// Bytes before the sealed payload.
const HEADER_LEN: usize = 1 + KEY_ID_LEN + NONCE_LEN;
/// Label of the associated data of a wrapped data key.
const WRAP_AAD_LABEL: &[u8] = b"steward-vault/dek/v1\0";

/// A data key wrapped by a KEK: what the store keeps for a subject (KEK id + opaque bytes).
#[derive(Clone, PartialEq, Eq)]
pub struct WrappedDataKey {
    kek: KekId,
    bytes: Vec<u8>,
}

impl WrappedDataKey {
    /// Reassembles a wrapped key read from the store.
    pub fn new(kek: KekId, bytes: Vec<u8>) -> Self {
        Self { kek, bytes }
    }

    /// The KEK it is wrapped under.
    pub fn kek(&self) -> &KekId {
        &self.kek
    }

    /// The wrapped bytes (opaque; provider-defined format).
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The KEK id and the bytes.
    pub fn into_parts(self) -> (KekId, Vec<u8>) {
        (self.kek, self.bytes)
    }
}

impl fmt::Debug for WrappedDataKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // SECURITY: never print key material, even wrapped.
        write!(
            f,
            "WrappedDataKey {{ kek: {}, bytes: <redacted; {} bytes> }}",
            self.kek,
            self.bytes.len()
        )
    }
}

/// An unwrapped data key, ready to seal and open values.
///
/// SECURITY: the raw key bytes are zeroized as soon as the cipher is keyed; the expanded key
/// state is overwritten when the `DataKey` is dropped. Keep a `DataKey` for the duration of a
/// request, not in long-lived caches.
pub struct DataKey {
    aead: LessSafeKey,
    id: [u8; KEY_ID_LEN],
    /// Random nonce base, drawn at the first seal.
    nonce_base: OnceLock<[u8; NONCE_LEN]>,
    /// Values sealed by this instance.
    sealed: AtomicU64,
}

impl DataKey {
    /// The largest plaintext [`DataKey::seal`] accepts (the store's 16 MiB limit minus overhead).
    pub const MAX_PLAINTEXT_LEN: usize = 16 * 1024 * 1024 - HEADER_LEN - TAG_LEN;

    /// Bytes a ciphertext adds to its plaintext.
    pub const OVERHEAD: usize = HEADER_LEN + TAG_LEN;

    /// The most values one instance seals (unwrap the key again for more).
    pub const MAX_VALUES_PER_INSTANCE: u64 = 1 << 32;

    fn from_raw(raw: &[u8; DATA_KEY_LEN]) -> Result<Self, VaultError> {
        // AES-256 with a 32-byte key is never rejected; the error path is not reachable.
        let unbound = UnboundKey::new(&AES_256_GCM, raw).map_err(|_| VaultError::Tampered)?;
        let mut ctx = digest::Context::new(&digest::SHA256);
        ctx.update(b"steward-vault/data-key-id/v1");
        ctx.update(raw);
        let d = ctx.finish();
        let mut id = [0u8; KEY_ID_LEN];
        id.copy_from_slice(d.as_ref().get(..KEY_ID_LEN).unwrap_or(&[0u8; KEY_ID_LEN]));
        Ok(Self {
            aead: LessSafeKey::new(unbound),
            id,
            nonce_base: OnceLock::new(),
            sealed: AtomicU64::new(0),
        })
    }

    /// The next nonce: `base XOR n` for the n-th value sealed by this instance.
    fn next_nonce(&self) -> Result<[u8; NONCE_LEN], VaultError> {
        let base = match self.nonce_base.get() {
            Some(b) => *b,
            None => {
                let mut b = [0u8; NONCE_LEN];
                fill_random(&mut b)?;
                // If another thread won the race, use its base.
                *self.nonce_base.get_or_init(|| b)
            }
        };
        let n = self.sealed.fetch_add(1, Ordering::Relaxed);
        if n >= Self::MAX_VALUES_PER_INSTANCE {
            return Err(VaultError::TooManyValues);
        }
        let mut nonce = base;
        for (dst, src) in nonce[NONCE_LEN - 8..].iter_mut().zip(n.to_be_bytes()) {
            *dst ^= src;
        }
        Ok(nonce)
    }

    /// Encrypts `plaintext`, bound to `aad` (the caller's row identity: subject id, item id,
    /// category ...). The same `aad` is needed to open it.
    pub fn seal(&self, aad: &[u8], plaintext: &[u8]) -> Result<Vec<u8>, VaultError> {
        if plaintext.len() > Self::MAX_PLAINTEXT_LEN {
            return Err(VaultError::TooLarge {
                len: plaintext.len(),
                max: Self::MAX_PLAINTEXT_LEN,
            });
        }
        let nonce = self.next_nonce()?;
        let mut out = Vec::with_capacity(Self::OVERHEAD + plaintext.len());
        out.push(SEAL_FORMAT_V1);
        out.extend_from_slice(&self.id);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(plaintext);
        let tag = self
            .with_gcm_aad(aad, |gcm_aad| {
                self.aead.seal_in_place_separate_tag(
                    Nonce::assume_unique_for_key(nonce),
                    Aad::from(gcm_aad),
                    &mut out[HEADER_LEN..],
                )
            })
            .map_err(|_| VaultError::TooLarge {
                len: plaintext.len(),
                max: Self::MAX_PLAINTEXT_LEN,
            })?;
        out.extend_from_slice(tag.as_ref());
        Ok(out)
    }

    /// Decrypts a value sealed by [`DataKey::seal`] with the same `aad`.
    ///
    /// `UnsupportedFormat`, `Truncated`, `WrongKey` (sealed with another data key) or
    /// `Tampered` (altered, or other `aad`).
    pub fn open(&self, aad: &[u8], ciphertext: &[u8]) -> Result<Zeroizing<Vec<u8>>, VaultError> {
        let (&format, _) = ciphertext.split_first().ok_or(VaultError::Truncated)?;
        if format != SEAL_FORMAT_V1 {
            return Err(VaultError::UnsupportedFormat(format));
        }
        if ciphertext.len() < HEADER_LEN + TAG_LEN {
            return Err(VaultError::Truncated);
        }
        let (header, sealed) = ciphertext.split_at(HEADER_LEN);
        let key_id = header.get(1..1 + KEY_ID_LEN).ok_or(VaultError::Truncated)?;
        if !crate::secret::ct_eq(key_id, &self.id) {
            return Err(VaultError::WrongKey);
        }
        let nonce = header
            .get(1 + KEY_ID_LEN..)
            .ok_or(VaultError::Truncated)
            .and_then(|n| Nonce::try_assume_unique_for_key(n).map_err(|_| VaultError::Truncated))?;
        let mut buf = Zeroizing::new(sealed.to_vec());
        let len = self
            .with_gcm_aad(aad, |gcm_aad| {
                self.aead
                    .open_in_place(nonce, Aad::from(gcm_aad), buf.as_mut_slice())
                    .map(|p| p.len())
            })
            .map_err(|_| VaultError::Tampered)?;
        // INVARIANT: `open_in_place` leaves the plaintext at the front of `buf`; truncating a
        // `Zeroizing<Vec>` does not free, and the tag bytes are wiped with the buffer on drop.
        buf.truncate(len);
        Ok(buf)
    }

    /// Calls `f` with the GCM associated data `format | key id | aad`, built on the stack
    /// when it fits (the common case: ids and a category name).
    fn with_gcm_aad<R>(&self, aad: &[u8], f: impl FnOnce(&[u8]) -> R) -> R {
        const STACK: usize = 256;
        let total = 1 + KEY_ID_LEN + aad.len();
        if total <= STACK {
            let mut buf = [0u8; STACK];
            buf[0] = SEAL_FORMAT_V1;
            buf[1..1 + KEY_ID_LEN].copy_from_slice(&self.id);
            buf[1 + KEY_ID_LEN..total].copy_from_slice(aad);
            f(&buf[..total])
        } else {
            let mut v = Vec::with_capacity(total);
            v.push(SEAL_FORMAT_V1);
            v.extend_from_slice(&self.id);
            v.extend_from_slice(aad);
            f(&v)
        }
    }
}

impl Drop for DataKey {
    fn drop(&mut self) {
        crate::secret::wipe_aead_key(&mut self.aead);
        self.id.zeroize();
    }
}

impl fmt::Debug for DataKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DataKey([redacted])")
    }
}

/// Envelope encryption over a [`KeyProvider`]: creates, unwraps and re-wraps per-subject data
/// keys. Cheap to clone; share one per process.
#[derive(Clone)]
pub struct Vault {
    provider: Arc<dyn KeyProvider>,
}

impl Vault {
    /// A vault over `provider`.
    pub fn new(provider: Arc<dyn KeyProvider>) -> Self {
        Self { provider }
    }

    /// The key provider.
    pub fn provider(&self) -> &Arc<dyn KeyProvider> {
        &self.provider
    }

    /// A fresh random data key for `owner`, and its wrapping under the current KEK (to store).
    pub fn new_data_key(&self, owner: OwnerId) -> Result<(DataKey, WrappedDataKey), VaultError> {
        let mut raw = Zeroizing::new([0u8; DATA_KEY_LEN]);
        fill_random(raw.as_mut())?;
        let kek = self.provider.current_kek()?;
        let bytes = self.provider.wrap(&kek, &wrap_aad(owner, &kek), &raw)?;
        let key = DataKey::from_raw(&raw)?;
        Ok((key, WrappedDataKey { kek, bytes }))
    }

    /// Unwraps `owner`'s data key. `UnknownKek` if its KEK is not held; `Tampered` if the
    /// bytes were altered or belong to another owner or KEK id.
    pub fn unwrap(&self, owner: OwnerId, wrapped: &WrappedDataKey) -> Result<DataKey, VaultError> {
        let raw =
            self.provider
                .unwrap(&wrapped.kek, &wrap_aad(owner, &wrapped.kek), &wrapped.bytes)?;
        DataKey::from_raw(&raw)
    }

    /// Unwraps the key the store holds for `owner`, where `None` means the store holds a
    /// tombstone (the key was destroyed): that is the typed `KeyDestroyed` error (DM-02),
    /// never "not found" or a decryption failure.
    pub fn unwrap_stored(
        &self,
        owner: OwnerId,
        stored: Option<&WrappedDataKey>,
    ) -> Result<DataKey, VaultError> {
        match stored {
            Some(wrapped) => self.unwrap(owner, wrapped),
            None => Err(VaultError::KeyDestroyed(owner)),
        }
    }

    /// Whether `wrapped` is under another KEK than the current one (rotation still to do).
    pub fn needs_rewrap(&self, wrapped: &WrappedDataKey) -> Result<bool, VaultError> {
        Ok(wrapped.kek != self.provider.current_kek()?)
    }

    /// Re-wraps `owner`'s data key under the current KEK (KEK rotation): the data key, and so
    /// every ciphertext, stays the same. Needs the old KEK only for this call.
    pub fn rewrap(
        &self,
        owner: OwnerId,
        wrapped: &WrappedDataKey,
    ) -> Result<WrappedDataKey, VaultError> {
        let raw =
            self.provider
                .unwrap(&wrapped.kek, &wrap_aad(owner, &wrapped.kek), &wrapped.bytes)?;
        let kek = self.provider.current_kek()?;
        let bytes = self.provider.wrap(&kek, &wrap_aad(owner, &kek), &raw)?;
        Ok(WrappedDataKey { kek, bytes })
    }
}

impl fmt::Debug for Vault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Vault")
            .field("provider", &self.provider)
            .finish()
    }
}

/// The associated data a data key's wrapping is bound to.
fn wrap_aad(owner: OwnerId, kek: &KekId) -> Vec<u8> {
    let mut v = Vec::with_capacity(WRAP_AAD_LABEL.len() + 16 + kek.as_str().len());
    v.extend_from_slice(WRAP_AAD_LABEL);
    v.extend_from_slice(owner.as_bytes());
    v.extend_from_slice(kek.as_str().as_bytes());
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::provider::StaticKeyProvider;
    use crate::secret::SecretKey;

    fn vault(master: u8, previous: &[u8]) -> Vault {
        let prev: Vec<SecretKey> = previous
            .iter()
            .map(|b| SecretKey::from_bytes([*b; 32]))
            .collect();
        Vault::new(Arc::new(
            StaticKeyProvider::new(&SecretKey::from_bytes([master; 32]), &prev).unwrap(),
        ))
    }

    fn owner(b: u8) -> OwnerId {
        OwnerId::from_bytes([b; 16])
    }

    #[test]
    fn dm_02_seal_open_round_trip_through_wrapping() {
        let v = vault(1, &[]);
        let (dk, wrapped) = v.new_data_key(owner(1)).unwrap();
        let ct = dk.seal(b"item-1|email", b"ada@example.com").unwrap();
        assert_eq!(ct.len(), 15 + DataKey::OVERHEAD);
        assert!(!ct.windows(15).any(|w| w == b"ada@example.com"));
        let again = v.unwrap(owner(1), &wrapped).unwrap();
        assert_eq!(
            again.open(b"item-1|email", &ct).unwrap().as_slice(),
            b"ada@example.com"
        );
        // empty plaintext is fine too
        let e = dk.seal(b"", b"").unwrap();
        assert!(again.open(b"", &e).unwrap().is_empty());
    }

    #[test]
    fn sec_01_wrong_aad_wrong_key_and_tampering_fail() {
        let v = vault(1, &[]);
        let (dk, _) = v.new_data_key(owner(1)).unwrap();
        let (other, _) = v.new_data_key(owner(2)).unwrap();
        let ct = dk.seal(b"row-1", b"secret").unwrap();
        assert!(matches!(dk.open(b"row-2", &ct), Err(VaultError::Tampered)));
        assert!(matches!(
            other.open(b"row-1", &ct),
            Err(VaultError::WrongKey)
        ));
        for i in HEADER_LEN..ct.len() {
            let mut t = ct.clone();
            t[i] ^= 0x01;
            assert!(
                matches!(dk.open(b"row-1", &t), Err(VaultError::Tampered)),
                "flip at {i}"
            );
        }
        let mut t = ct.clone();
        t[1] ^= 1; // key id
        assert!(matches!(dk.open(b"row-1", &t), Err(VaultError::WrongKey)));
        t = ct.clone();
        t[0] = 2;
        assert!(matches!(
            dk.open(b"row-1", &t),
            Err(VaultError::UnsupportedFormat(2))
        ));
        assert!(matches!(
            dk.open(b"row-1", &ct[..HEADER_LEN + 3]),
            Err(VaultError::Truncated)
        ));
        assert!(matches!(dk.open(b"row-1", &[]), Err(VaultError::Truncated)));
    }

    #[test]
    fn dm_02_wrapped_key_is_bound_to_its_owner_and_kek_id() {
        let v = vault(1, &[]);
        let (_, wrapped) = v.new_data_key(owner(1)).unwrap();
        assert!(matches!(
            v.unwrap(owner(2), &wrapped),
            Err(VaultError::Tampered)
        ));
        let mut bytes = wrapped.as_bytes().to_vec();
        let last = bytes.len() - 1;
        bytes[last] ^= 0x80;
        let altered = WrappedDataKey::new(wrapped.kek().clone(), bytes);
        assert!(matches!(
            v.unwrap(owner(1), &altered),
            Err(VaultError::Tampered)
        ));
        let relabelled = WrappedDataKey::new(
            KekId::new("mk-00000000").unwrap(),
            wrapped.as_bytes().to_vec(),
        );
        assert!(matches!(
            v.unwrap(owner(1), &relabelled),
            Err(VaultError::UnknownKek(_))
        ));
    }

    #[test]
    fn dm_02_destroyed_key_is_a_typed_error() {
        let v = vault(1, &[]);
        let err = v.unwrap_stored(owner(3), None).unwrap_err();
        assert!(matches!(err, VaultError::KeyDestroyed(o) if o == owner(3)));
        assert!(err.to_string().contains("destroyed"));
        let (_, w) = v.new_data_key(owner(3)).unwrap();
        assert!(v.unwrap_stored(owner(3), Some(&w)).is_ok());
    }

    #[test]
    fn rewrap_keeps_the_data_key_and_needs_the_old_kek_only_for_old_wraps() {
        let old = vault(1, &[]);
        let (dk, w_old) = old.new_data_key(owner(1)).unwrap();
        let ct = dk.seal(b"a", b"value").unwrap();

        let rotated = vault(2, &[1]);
        assert!(rotated.needs_rewrap(&w_old).unwrap());
        let w_new = rotated.rewrap(owner(1), &w_old).unwrap();
        assert_ne!(w_new.kek(), w_old.kek());
        assert!(!rotated.needs_rewrap(&w_new).unwrap());

        // After the old KEK is dropped: new wraps unwrap, old ones do not.
        let after = vault(2, &[]);
        let dk2 = after.unwrap(owner(1), &w_new).unwrap();
        assert_eq!(dk2.open(b"a", &ct).unwrap().as_slice(), b"value");
        assert!(matches!(
            after.unwrap(owner(1), &w_old),
            Err(VaultError::UnknownKek(_))
        ));
        // rewrap is still owner-bound
        assert!(rotated.rewrap(owner(2), &w_old).is_err());
    }

    proptest::proptest! {
        #[test]
        fn seal_open_round_trip(
            aad in proptest::collection::vec(proptest::num::u8::ANY, 0..64),
            plaintext in proptest::collection::vec(proptest::num::u8::ANY, 0..2048),
            flip in proptest::num::usize::ANY,
        ) {
            let v = vault(1, &[]);
            let (dk, w) = v.new_data_key(owner(4)).unwrap();
            let ct = dk.seal(&aad, &plaintext).unwrap();
            proptest::prop_assert_eq!(ct.len(), plaintext.len() + DataKey::OVERHEAD);
            let dk2 = v.unwrap(owner(4), &w).unwrap();
            let opened = dk2.open(&aad, &ct).unwrap();
            proptest::prop_assert_eq!(opened.as_slice(), plaintext.as_slice());
            // any single flipped bit is detected
            let mut t = ct.clone();
            let i = flip % t.len();
            t[i] ^= 1 << (flip % 8);
            proptest::prop_assert!(dk2.open(&aad, &t).is_err());
            // two seals of the same value differ (distinct nonces)
            proptest::prop_assert_ne!(dk.seal(&aad, &plaintext).unwrap(), ct);
        }
    }

    #[test]
    fn nonces_are_distinct_within_and_across_instances() {
        let v = vault(1, &[]);
        let (dk, w) = v.new_data_key(owner(5)).unwrap();
        let again = v.unwrap(owner(5), &w).unwrap();
        let mut seen = std::collections::HashSet::new();
        for key in [&dk, &again] {
            for _ in 0..1000 {
                let ct = key.seal(b"", b"x").unwrap();
                assert!(seen.insert(ct[1 + KEY_ID_LEN..HEADER_LEN].to_vec()));
            }
        }
        // both instances open each other's values
        let ct = again.seal(b"a", b"v").unwrap();
        assert_eq!(dk.open(b"a", &ct).unwrap().as_slice(), b"v");
    }

    #[test]
    fn debug_output_has_no_key_material() {
        let v = vault(1, &[]);
        let (dk, w) = v.new_data_key(owner(1)).unwrap();
        assert_eq!(format!("{dk:?}"), "DataKey([redacted])");
        let s = format!("{w:?}");
        assert!(s.contains("redacted") && s.contains("mk-"));
        assert!(!format!("{v:?}").contains("0101010101010101"));
    }
}
