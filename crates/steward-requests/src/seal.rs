//! Sealing the personal data a request or a connector carries (contact e-mail, correction
//! value, outbox messages, webhook bodies, connection strings, webhook secrets) under a data
//! key of its own, wrapped by the vault's key-encryption key like a subject's key.
//!
//! SECURITY: the owner id bound into the wrapping is the request's (or connector's) id, and
//! every sealed blob carries a label in its associated data, so a blob cannot be moved to
//! another request or replayed as another kind of blob. Destroying the wrapped key (setting
//! the request's key to `None`) makes everything sealed under it unreadable.

use steward_errors::ErrorCode;
use steward_store::model::request::SealedKey;
use steward_store::values::{Ciphertext, KekId, WrappedKeyBytes};
use steward_vault::{DataKey, OwnerId, Vault, WrappedDataKey};

use steward_core::CoreError;

fn key_err(e: impl std::fmt::Display) -> CoreError {
    CoreError::invalid(ErrorCode::BadKey, e.to_string())
}

/// A data key for one owner (a request or a connector).
pub(crate) struct Sealer {
    key: DataKey,
    owner: [u8; 16],
}

impl std::fmt::Debug for Sealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Sealer([redacted])")
    }
}

impl Sealer {
    /// A fresh key for `owner`, with its wrapped form to store.
    pub(crate) fn create(
        vault: &Vault,
        owner: uuid::Uuid,
    ) -> Result<(Sealer, SealedKey), CoreError> {
        let (key, wrapped) = vault.new_data_key(OwnerId::from(owner))?;
        let (kek, bytes) = wrapped.into_parts();
        let sealed = SealedKey {
            kek: KekId::new(kek.as_str()).map_err(key_err)?,
            wrapped: WrappedKeyBytes::new(bytes).map_err(key_err)?,
        };
        Ok((
            Sealer {
                key,
                owner: *owner.as_bytes(),
            },
            sealed,
        ))
    }

    /// The key of `owner` from its stored wrapped form.
    pub(crate) fn open_key(
        vault: &Vault,
        owner: uuid::Uuid,
        sealed: &SealedKey,
    ) -> Result<Sealer, CoreError> {
        let kek = steward_vault::KekId::new(sealed.kek.as_str()).map_err(key_err)?;
        let key = vault.unwrap(
            OwnerId::from(owner),
            &WrappedDataKey::new(kek, sealed.wrapped.as_bytes().to_vec()),
        )?;
        Ok(Sealer {
            key,
            owner: *owner.as_bytes(),
        })
    }

    fn aad(&self, label: &str) -> Vec<u8> {
        let mut a = Vec::with_capacity(16 + label.len());
        a.extend_from_slice(&self.owner);
        a.extend_from_slice(label.as_bytes());
        a
    }

    /// Encrypts `plain` under the label `label`.
    pub(crate) fn seal(&self, label: &str, plain: &[u8]) -> Result<Ciphertext, CoreError> {
        let ct = self.key.seal(&self.aad(label), plain)?;
        Ciphertext::new(ct).map_err(|e| CoreError::invalid(ErrorCode::BadValue, e.to_string()))
    }

    /// Decrypts a blob sealed under `label`.
    pub(crate) fn open(
        &self,
        label: &str,
        ct: &Ciphertext,
    ) -> Result<zeroize::Zeroizing<Vec<u8>>, CoreError> {
        Ok(self.key.open(&self.aad(label), ct.as_bytes())?)
    }

    /// Seals a value as JSON.
    pub(crate) fn seal_json<T: serde::Serialize>(
        &self,
        label: &str,
        value: &T,
    ) -> Result<Ciphertext, CoreError> {
        let bytes = zeroize::Zeroizing::new(
            serde_json::to_vec(value)
                .map_err(|e| CoreError::invalid(ErrorCode::BadValue, e.to_string()))?,
        );
        self.seal(label, &bytes)
    }

    /// Opens a JSON value.
    pub(crate) fn open_json<T: serde::de::DeserializeOwned>(
        &self,
        label: &str,
        ct: &Ciphertext,
    ) -> Result<T, CoreError> {
        let plain = self.open(label, ct)?;
        serde_json::from_slice(&plain).map_err(|_| CoreError::Unavailable("sealed data is corrupt"))
    }
}
