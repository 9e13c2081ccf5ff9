//! The error of key and crypto operations ([`VaultError`]).
//!
//! SECURITY: no variant carries plaintext, key material or a ciphertext; messages are safe to
//! log.

use crate::ids::{KekId, OwnerId};
use crate::secret::RandomError;

/// A key or crypto operation failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum VaultError {
    /// DM-02: the owner's data key was destroyed (crypto-shredded); its data is unreadable
    /// for good. The store signals it (a tombstone instead of a wrapped key); see
    /// [`crate::Vault::unwrap_stored`].
    #[error("the data key of `{0}` was destroyed (crypto-shredded): its data cannot be decrypted")]
    KeyDestroyed(OwnerId),
    /// The key-encryption key named with a wrapped key is not known to the key provider
    /// (retired, or from another key ring).
    #[error("key-encryption key `{0}` is not known to the key provider")]
    UnknownKek(KekId),
    /// Authentication failed: the ciphertext or wrapped key was altered, or it is presented
    /// with other associated data (another owner, row, category or KEK id) than it was sealed
    /// with.
    #[error(
        "authentication failed: the data was altered or does not belong to this owner, row or key"
    )]
    Tampered,
    /// The ciphertext was sealed with another data key (its key id does not match).
    #[error("the ciphertext was sealed with another data key")]
    WrongKey,
    /// The ciphertext or wrapped key starts with a format byte this version does not know.
    #[error("unsupported ciphertext format {0:#04x}")]
    UnsupportedFormat(u8),
    /// The ciphertext or wrapped key is shorter than its header and tag.
    #[error("the ciphertext is truncated")]
    Truncated,
    /// The plaintext is larger than a sealed value may be.
    #[error("the value is too large to seal ({len} bytes; the limit is {max})")]
    TooLarge {
        /// Its length.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// One `DataKey` instance sealed its maximum number of values (2^32); unwrap the key
    /// again to get a fresh nonce base.
    #[error("this data key instance sealed its maximum number of values; unwrap it again")]
    TooManyValues,
    /// A signature did not verify.
    #[error("the signature is not valid")]
    BadSignature,
    /// The operating system's random number generator failed.
    #[error(transparent)]
    Random(#[from] RandomError),
    /// An external key provider (a KMS) failed; its error is the source.
    #[error("the key provider failed")]
    Provider(#[source] Box<dyn std::error::Error + Send + Sync + 'static>),
}
