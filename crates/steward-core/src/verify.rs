//! Audit verification (AUD-02) and key rotation (re-wrapping data keys
//! without re-encrypting data).

use std::path::PathBuf;
use steward_errors::ErrorCode;

use steward_store::model::audit::Checkpoint;
use steward_store::verify::{
    SignatureCheck as StoreCheck, VerifyError, VerifyOptions, VerifyReport, verify_log_with,
};
use steward_vault::{KekId as VaultKek, OwnerId, SignatureCheck, WrappedDataKey};

use crate::Steward;
use crate::audit::SignedHead;
use crate::error::CoreError;

/// A change to the key ring made by an operator, recorded in the audit log (the key ring
/// lives outside the store, so the store's own writes cannot record it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyChange {
    /// A new key-encryption key became current.
    KekRotated,
    /// An old key-encryption key was retired (no data key is wrapped by it any more).
    KekRetired,
    /// A new Ed25519 key signs audit checkpoints from now on.
    SigningKeyRotated,
}

impl KeyChange {
    /// The audit action.
    pub fn action(self) -> &'static str {
        match self {
            Self::KekRotated => "keys.kek_rotate",
            Self::KekRetired => "keys.kek_retire",
            Self::SigningKeyRotated => "keys.signing_rotate",
        }
    }
}

/// What a rotation did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RewrapReport {
    /// Data keys re-wrapped under the current KEK.
    pub rewrapped: u64,
}

impl Steward {
    /// Recompute the whole chain and check every checkpoint signature, and the signed head
    /// kept outside the database ([`AuditSettings::signed_head`](crate::AuditSettings));
    /// names the first entry altered, removed or reordered, the first malformed or missing
    /// checkpoint, and refuses a log with no checkpoint past the configured limit.
    ///
    /// # Errors
    /// `Ok(Err(..))` carries a broken chain; `Err` is a failure to read the log, or a signed
    /// head file that cannot be read.
    pub async fn verify_audit(&self) -> Result<Result<VerifyReport, VerifyError>, CoreError> {
        self.verify_audit_with(&[], self.audit_settings.max_unsigned)
            .await
            .map(|(r, _)| r)
    }

    /// [`verify_audit`](Self::verify_audit) with more signed heads kept outside the database
    /// (witness files: their last line) and another limit of unsigned entries. The signed
    /// head with the highest sequence number among the configured file and `witnesses` is
    /// checked; it is returned with the result.
    ///
    /// # Errors
    /// As [`verify_audit`](Self::verify_audit).
    pub async fn verify_audit_with(
        &self,
        witnesses: &[PathBuf],
        max_unsigned: Option<u64>,
    ) -> Result<(Result<VerifyReport, VerifyError>, Option<Checkpoint>), CoreError> {
        let mut head: Option<Checkpoint> = None;
        for path in self.audit_settings.signed_head.iter().chain(witnesses) {
            let found = SignedHead::read(path)
                .map_err(|e| CoreError::invalid(ErrorCode::BadSignedHead, e.to_string()))?;
            if let Some(cp) = found
                && head.as_ref().is_none_or(|h| cp.seq > h.seq)
            {
                head = Some(cp);
            }
        }
        let verifier = &self.verifier;
        let check =
            |key: &steward_store::values::SigningKeyId, msg: &[u8], sig: &[u8]| match verifier
                .check(key.as_str(), msg, sig)
            {
                SignatureCheck::Valid => StoreCheck::Valid,
                SignatureCheck::Invalid => StoreCheck::Invalid,
                SignatureCheck::UnknownKey => StoreCheck::UnknownKey,
            };
        let options = VerifyOptions {
            page_size: 10_000,
            signed_head: head.clone(),
            max_unsigned,
        };
        match verify_log_with(self.store.as_ref(), &check, &options).await {
            Ok(r) => Ok((Ok(r), head)),
            Err(VerifyError::Store(e)) => Err(e.into()),
            Err(e) => Ok((Err(e), head)),
        }
    }

    /// Re-wrap every data key that is not under the current KEK (after `KeyRing::rotate_kek`).
    /// `progress` is called with the running count.
    ///
    /// # Errors
    /// Store or vault failures.
    pub async fn rewrap_keys(
        &self,
        mut progress: impl FnMut(u64),
    ) -> Result<RewrapReport, CoreError> {
        let provider = self.vault.provider().clone();
        let current = provider.current_kek()?;
        let mut report = RewrapReport::default();
        for kek in provider.kek_ids()? {
            if kek == current {
                continue;
            }
            let store_kek = steward_store::values::KekId::new(kek.as_str())
                .map_err(|e| CoreError::invalid(ErrorCode::BadKek, e.to_string()))?;
            let new_kek = steward_store::values::KekId::new(current.as_str())
                .map_err(|e| CoreError::invalid(ErrorCode::BadKek, e.to_string()))?;
            let mut after = None;
            loop {
                let batch = self.store.keys_wrapped_by(&store_kek, after, 1000).await?;
                if batch.is_empty() {
                    break;
                }
                for subject in &batch {
                    let stored = match self.store.get_wrapped_key(*subject).await {
                        Ok(w) => w,
                        Err(steward_store::error::StoreError::KeyDestroyed(_)) => continue,
                        Err(e) => return Err(e.into()),
                    };
                    let wrapped = WrappedDataKey::new(
                        VaultKek::new(stored.kek.as_str())
                            .map_err(|e| CoreError::invalid(ErrorCode::BadKek, e.to_string()))?,
                        stored.wrapped.as_bytes().to_vec(),
                    );
                    let re = self
                        .vault
                        .rewrap(OwnerId::from(subject.as_uuid()), &wrapped)?;
                    let (_, bytes) = re.into_parts();
                    let bytes = steward_store::values::WrappedKeyBytes::new(bytes)
                        .map_err(|e| CoreError::invalid(ErrorCode::BadKey, e.to_string()))?;
                    self.store
                        .rewrap_key(*subject, &store_kek, &new_kek, &bytes, self.clock.now())
                        .await?;
                    report.rewrapped += 1;
                    progress(report.rewrapped);
                }
                after = batch.last().copied();
            }
        }
        if report.rewrapped > 0 {
            let e = self.event(
                steward_store::model::audit::AuditKind::System,
                "keys.rewrap",
                &crate::Caller::System,
            );
            self.audit.append_one(e).await?;
        }
        Ok(report)
    }

    /// Records a change to the key ring in the audit log and waits until it is written.
    ///
    /// # Errors
    /// The audit log cannot be written.
    pub async fn record_key_change(
        &self,
        caller: &crate::Caller,
        change: KeyChange,
    ) -> Result<(), CoreError> {
        let e = self.event(
            steward_store::model::audit::AuditKind::System,
            change.action(),
            caller,
        );
        self.audit.append_one(e).await?;
        Ok(())
    }
}
