//! Envelope encryption with per-subject data keys, crypto-shredding, keyed pseudonyms and
//! blind indexes, key rotation: the crypto and key-management layer of Steward.
//!
//! No database access here: the store keeps wrapped keys and ciphertexts as opaque bytes,
//! and this crate turns them into plaintext and back. ring is the only crypto dependency.
//!
//! | what | type | requirements |
//! |---|---|---|
//! | root secrets, kept apart, from a 0600 file or explicit values | [`KeyRing`], [`KeySources`] | GDPR-29, IPPS-02 |
//! | key-encryption keys behind a KMS-shaped trait | [`KeyProvider`], [`FileKeyProvider`], [`StaticKeyProvider`] | SEC-01 |
//! | per-subject data keys, sealing, rotation, crypto-shredding | [`Vault`], [`DataKey`], [`WrappedDataKey`] | DM-02, SEC-01, RET-04 |
//! | identity lookup without plaintext | [`BlindIndex`], [`IdentityKind`], [`normalize`] | DM-03, RET-05 |
//! | IP pseudonyms and coarse prefixes | [`IpPseudonymizer`], [`EpochKey`], [`truncate_prefix`] | IPPS-01, IPPS-02, IPPS-03, IPPS-07 |
//! | audit checkpoint signatures | [`CheckpointSigner`], [`CheckpointVerifier`] | AUD-02 |
//! | redaction of personal data in logs | [`Sensitive`] | (design) |
//! | API keys | [`ApiKeySecret`], [`ApiKeyHash`] | SEC-05 |
//! | card numbers | [`is_probable_pan`], [`redact_pans`] | SEC-03, CHAT-03 |
//!
//! # Crypto-shredding and backups (DM-02, RET-04)
//!
//! Destroying a subject's wrapped data key makes every ciphertext of that subject unreadable,
//! wherever it was copied. A database backup that also holds the wrapped key stays readable
//! while the KEK that wrapped it exists; it becomes unreadable for good once that KEK is
//! retired (rotate, re-wrap the live keys, [`KeyRing::retire_kek`]). Rotating KEKs on a
//! schedule therefore bounds how long a pre-erasure backup can be read, and RET-04's
//! tombstone replay covers the window until then.

mod apikey;
mod blind;
mod datakey;
mod error;
mod ids;
mod ip;
mod keyring;
mod pan;
mod provider;
mod secret;
mod sensitive;
mod signing;

pub use apikey::{API_KEY_PREFIX, ApiKeyFormatError, ApiKeyHash, ApiKeySecret};
pub use blind::{
    BlindIndex, BlindIndexToken, IdentityError, IdentityKind, NormalizedIdentity, normalize,
    normalize_email, normalize_phone,
};
pub use datakey::{DataKey, Vault, WrappedDataKey};
pub use error::VaultError;
pub use ids::{InvalidKeyId, KekId, OwnerId, SigningKeyId};
pub use ip::{
    EpochKey, IP_TOKEN_LEN, IpEpoch, IpParseError, IpPrefix, IpPseudonymizer, IpToken,
    canonical_ip, parse_ip, truncate_prefix,
};
pub use keyring::{
    FileKeyProvider, KekSourceKind, KeyRing, KeyRingError, KeyRingStatus, KeySources, SecretKind,
};
pub use pan::{PanRedaction, is_probable_pan, luhn_valid, redact_pans};
pub use provider::{DATA_KEY_LEN, KekSetError, KeyProvider, StaticKeyProvider};
pub use secret::{KEY_LEN, RandomError, SecretFormatError, SecretKey, SecretString, ct_eq};
pub use sensitive::Sensitive;
pub use signing::{
    CheckpointPublicKey, CheckpointSigner, CheckpointVerifier, SIGNATURE_LEN, SignatureCheck,
    verify_checkpoint,
};

#[cfg(test)]
mod tests {
    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn shared_types_are_send_and_sync() {
        assert_send_sync::<crate::Vault>();
        assert_send_sync::<crate::DataKey>();
        assert_send_sync::<crate::KeyRing>();
        assert_send_sync::<crate::FileKeyProvider>();
        assert_send_sync::<crate::BlindIndex>();
        assert_send_sync::<crate::IpPseudonymizer>();
        assert_send_sync::<crate::EpochKey>();
        assert_send_sync::<crate::CheckpointSigner>();
        assert_send_sync::<crate::CheckpointVerifier>();
    }
}
