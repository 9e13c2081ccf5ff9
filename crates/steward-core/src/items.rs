//! Personal data items: written encrypted under the subject's data key after a
//! `can_collect` decision, read only for a declared purpose the engine allows
//! (SEC-01), every read and write audited (AUD-06). No plaintext reaches the
//! store, the audit log or the logs.

use jiff::Timestamp;
use steward_errors::ErrorCode;
use steward_policy::wire::Request;
use steward_store::AuditedWrite;
use steward_store::error::StoreError;
use steward_store::ids::{AccountId, ItemId, SubjectId};
use steward_store::model::audit::{AuditKind, NamedDigest};
use steward_store::model::dek::NewWrappedKey;
use steward_store::model::item::{ControllerRole, ItemRecord, NewItem};
use steward_store::values::{
    CategoryKey, Ciphertext, Digest, FieldName, PurposeKey, SourceKey, WrappedKeyBytes,
};
use steward_vault::{DataKey, OwnerId, Sensitive, WrappedDataKey};

use crate::decisions::Decided;
use crate::error::CoreError;
use crate::{Caller, Steward};

/// An item to write.
#[derive(Debug, Clone)]
pub struct ItemInput {
    /// The subject.
    pub subject: SubjectId,
    /// The category (`email`, `postal_address` …).
    pub category: String,
    /// The value.
    pub value: Sensitive<Vec<u8>>,
    /// The source (`direct:registration`, `usps` …).
    pub source: String,
    /// The purpose of collection.
    pub purpose: String,
    /// Collected on behalf of a Customer (processor role) rather than as controller (SCOPE-03).
    pub processor_for_customer: bool,
    /// The account the item is collected for, whose recorded agreements apply (a Customer's
    /// ship-to recipients are no members of it: CUST-01, SRC-09).
    pub account: Option<AccountId>,
    /// The live items of the same subject this one was computed from: it is erased with any
    /// of them by the retention sweep (RET-06). At most 64.
    pub derived_from: Vec<ItemId>,
}

/// An item read back.
#[derive(Debug, Clone)]
pub struct ItemRead {
    /// The stored record (value still encrypted).
    pub record: ItemRecord,
    /// The plaintext.
    pub value: Sensitive<Vec<u8>>,
    /// The decision that allowed the read.
    pub decision: Decided,
}

/// The longest item value, in characters (bytes for a value that is not UTF-8): the API's
/// `WriteItem.value` documents this maximum.
pub const MAX_VALUE_CHARS: usize = 65_536;

fn aad(subject: SubjectId, item: ItemId, category: &str) -> Vec<u8> {
    let mut a = Vec::with_capacity(32 + category.len());
    a.extend_from_slice(&subject.to_bytes());
    a.extend_from_slice(&item.to_bytes());
    a.extend_from_slice(category.as_bytes());
    a
}

fn key_err(e: impl std::fmt::Display) -> CoreError {
    CoreError::invalid(ErrorCode::BadKey, e.to_string())
}

impl Steward {
    /// The subject's data key, created on first use.
    pub(crate) async fn data_key(
        &self,
        subject: SubjectId,
        create: bool,
    ) -> Result<DataKey, CoreError> {
        let owner = OwnerId::from(subject.as_uuid());
        match self.store.get_wrapped_key(subject).await {
            Ok(w) => {
                let kek = steward_vault::KekId::new(w.kek.as_str()).map_err(key_err)?;
                Ok(self.vault.unwrap(
                    owner,
                    &WrappedDataKey::new(kek, w.wrapped.as_bytes().to_vec()),
                )?)
            }
            Err(StoreError::KeyDestroyed(_)) => Err(CoreError::Erased),
            Err(StoreError::NotFound(_)) if create => {
                let (key, wrapped) = self.vault.new_data_key(owner)?;
                let (kek, bytes) = wrapped.into_parts();
                let put = self
                    .store
                    .put_wrapped_key(&NewWrappedKey {
                        subject,
                        kek: steward_store::values::KekId::new(kek.as_str()).map_err(key_err)?,
                        wrapped: WrappedKeyBytes::new(bytes).map_err(key_err)?,
                        created_at: self.clock.now(),
                    })
                    .await;
                match put {
                    Ok(()) => Ok(key),
                    // Another writer created it first: use theirs.
                    Err(StoreError::Conflict { .. }) => {
                        Box::pin(self.data_key(subject, false)).await
                    }
                    Err(e) => Err(e.into()),
                }
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Write an item after a `can_collect` decision.
    ///
    /// # Errors
    /// `Denied` with the decision, `Invalid` (e.g. a raw card number, SEC-03), `Erased`.
    pub async fn write_item(
        &self,
        caller: &Caller,
        input: ItemInput,
    ) -> Result<(ItemRecord, Decided), CoreError> {
        let bytes = input.value.expose();
        let chars = std::str::from_utf8(bytes).map_or(bytes.len(), |t| t.chars().count());
        if chars > MAX_VALUE_CHARS {
            return Err(CoreError::invalid(
                ErrorCode::ValueTooLong,
                format!("`value` is longer than {MAX_VALUE_CHARS} characters"),
            ));
        }
        let engine = self.engine();
        let Some(cat) = engine.category(&input.category) else {
            // Decide anyway so the refusal is audited with its reason (CAT-00).
            let d = self.decide(caller, collect_request(&input), false).await?;
            return Err(d.into_denied());
        };
        if engine.category_info(cat).forbid_raw.as_deref() == Some("pan") {
            let text = String::from_utf8_lossy(input.value.expose());
            if steward_vault::is_probable_pan(&text) {
                return Err(CoreError::invalid(
                    ErrorCode::RawPanForbidden,
                    "payment card numbers are stored only as processor tokens (SEC-03)",
                ));
            }
        }
        if input.derived_from.len() > 64 {
            return Err(CoreError::invalid(
                ErrorCode::BadValue,
                "`derived_from` names at most 64 items",
            ));
        }
        for src in &input.derived_from {
            // Missing and another subject's answer alike (404).
            match self.store.get_item(*src).await {
                Ok(r) if r.subject == input.subject && r.erased_at.is_none() => {}
                Ok(r) if r.subject == input.subject => {
                    return Err(CoreError::invalid(
                        ErrorCode::BadValue,
                        format!("`derived_from` item {src} was erased"),
                    ));
                }
                Ok(_) | Err(StoreError::NotFound(_)) => return Err(CoreError::NotFound("item")),
                Err(e) => return Err(e.into()),
            }
        }
        let decided = self.decide(caller, collect_request(&input), false).await?;
        if !decided.allow {
            return Err(decided.into_denied());
        }
        let now = self.clock.now();
        let key = self.data_key(input.subject, true).await?;
        let id = ItemId::generate();
        let sealed = key.seal(
            &aad(input.subject, id, &input.category),
            input.value.expose(),
        )?;
        let retain_until = match retention_deadline(&engine, cat, now) {
            Some(t) => Some(t),
            // A clock that starts at a lifecycle event which already happened (RET-01).
            None if LIFECYCLE_TRIGGERS
                .contains(&engine.category_info(cat).retention_trigger.as_str()) =>
            {
                let events = self.store.lifecycle_events(input.subject).await?;
                crate::lifecycle::event_deadline(&engine, cat, &events)
            }
            None => None,
        };
        let item = NewItem {
            id,
            subject: input.subject,
            category: CategoryKey::new(input.category.clone())
                .map_err(|e| CoreError::invalid(ErrorCode::BadCategory, e.to_string()))?,
            value: Ciphertext::new(sealed)
                .map_err(|e| CoreError::invalid(ErrorCode::BadValue, e.to_string()))?,
            source: SourceKey::new(input.source.clone())
                .map_err(|e| CoreError::invalid(ErrorCode::BadSource, e.to_string()))?,
            collected_at: now,
            purpose: PurposeKey::new(input.purpose.clone())
                .map_err(|e| CoreError::invalid(ErrorCode::BadPurpose, e.to_string()))?,
            controller: self.controller.clone(),
            controller_role: if input.processor_for_customer {
                ControllerRole::Processor
            } else {
                ControllerRole::Controller
            },
            retain_until,
            // CHG-02, SCOPE-06: the version in force binds the item.
            policy_version: steward_store::values::PolicyVersion::new(
                engine.meta.version.to_ascii_lowercase(),
            )
            .ok(),
        };
        let digest = Digest::sha256(item.value.as_bytes());
        let mut e = self.event(AuditKind::Write, "item.write", caller);
        e.subject = Some(input.subject);
        e.categories = vec![item.category.clone()];
        e.purpose = Some(item.purpose.clone());
        e.digests = vec![NamedDigest {
            name: FieldName::new("ciphertext")
                .map_err(|e| CoreError::invalid(ErrorCode::BadField, e.to_string()))?,
            digest,
        }];
        e.refs = vec![
            steward_store::model::audit::EventRef {
                name: FieldName::new("decision")
                    .map_err(|e| CoreError::invalid(ErrorCode::BadField, e.to_string()))?,
                id: decided.event_id.as_uuid(),
            },
            steward_store::model::audit::EventRef {
                name: FieldName::new("item")
                    .map_err(|e| CoreError::invalid(ErrorCode::BadField, e.to_string()))?,
                id: id.as_uuid(),
            },
        ];
        // AUD-01: the item and its audit entry commit together or not at all.
        let write = if input.derived_from.is_empty() {
            AuditedWrite::PutItems(vec![item])
        } else {
            AuditedWrite::PutDerivedItems {
                items: vec![item],
                sources: input.derived_from.iter().map(|s| (id, *s)).collect(),
            }
        };
        self.store.write_audited(&write, &[e]).await?;
        self.audit.note_appended(1);
        // USPS-07: the subject's facts include the categories it has provided.
        self.facts.invalidate(input.subject);
        let record = self.store.get_item(id).await?;
        Ok((record, decided))
    }

    /// Read an item for a declared purpose (SEC-01). A denied read says why.
    ///
    /// # Errors
    /// `NotFound`, `Denied` with the decision, `Erased`.
    pub async fn read_item(
        &self,
        caller: &Caller,
        id: ItemId,
        purpose: &str,
    ) -> Result<ItemRead, CoreError> {
        let record = self.store.get_item(id).await?;
        let Some(ct) = &record.value else {
            return Err(CoreError::NotFound("item"));
        };
        let mut req = Request {
            op: Some(steward_policy::wire::Op::CanUse),
            category: Some(record.category.as_str().to_string()),
            purpose: Some(purpose.to_string()),
            ..Request::default()
        };
        req.subject.id = Some(record.subject.to_string());
        req.context.retain_until = record.retain_until.map(|t| t.to_string());
        // CHG-03: the item is bound to the version it was collected under.
        req.context.collected_under = record
            .policy_version
            .as_ref()
            .map(|v| v.as_str().to_owned());
        let decided = self.decide(caller, req, false).await?;
        if !decided.allow {
            return Err(decided.into_denied());
        }
        let key = self.data_key(record.subject, false).await?;
        let plain = key.open(
            &aad(record.subject, id, record.category.as_str()),
            ct.as_bytes(),
        )?;
        let mut e = self.event(AuditKind::Read, "item.read", caller);
        e.subject = Some(record.subject);
        e.categories = vec![record.category.clone()];
        e.purpose = PurposeKey::new(purpose).ok();
        e.refs = vec![steward_store::model::audit::EventRef {
            name: FieldName::new("item")
                .map_err(|e| CoreError::invalid(ErrorCode::BadField, e.to_string()))?,
            id: id.as_uuid(),
        }];
        self.audit.append_one(e).await?;
        Ok(ItemRead {
            record,
            value: Sensitive::new(plain.to_vec()),
            decision: decided,
        })
    }

    /// The items of a subject (values stay encrypted).
    ///
    /// # Errors
    /// `NotFound`.
    pub async fn list_items(&self, subject: SubjectId) -> Result<Vec<ItemRecord>, CoreError> {
        Ok(self.store.list_items(subject).await?)
    }

    /// Every item of a subject that still holds a value, decrypted as text, for the subject's
    /// own reports (access, portability, the privacy center). A value that cannot be read
    /// (the subject's key was destroyed, not UTF-8) is `None`. Not audited here: the caller
    /// audits the read with what it is for (AUD-06).
    ///
    /// # Errors
    /// Store and key failures (an erased subject is not an error: its values are `None`).
    pub async fn decrypt_items(&self, subject: SubjectId) -> Result<Vec<ItemValue>, CoreError> {
        let records = self.store.list_items(subject).await?;
        let key = match self.data_key(subject, false).await {
            Ok(k) => Some(k),
            Err(CoreError::Erased | CoreError::NotFound(_)) => None,
            Err(e) => return Err(e),
        };
        Ok(records
            .into_iter()
            .filter(|r| r.value.is_some())
            .map(|record| {
                let value = match (&key, &record.value) {
                    (Some(k), Some(ct)) => k
                        .open(
                            &aad(subject, record.id, record.category.as_str()),
                            ct.as_bytes(),
                        )
                        .ok()
                        .and_then(|p| String::from_utf8(p.to_vec()).ok())
                        .map(Sensitive::new),
                    _ => None,
                };
                ItemValue { record, value }
            })
            .collect())
    }

    /// The live values (text) of a subject's items of the given categories, oldest first:
    /// what identifies the subject elsewhere (e-mail addresses, phone numbers). Empty once the
    /// subject's key was destroyed. Not audited here: the caller audits what it does with them.
    ///
    /// # Errors
    /// Store and key failures, and a value that no longer decrypts.
    pub async fn item_values(
        &self,
        subject: SubjectId,
        categories: &[&str],
    ) -> Result<Vec<(String, Sensitive<String>)>, CoreError> {
        let items = self.store.list_items(subject).await?;
        let wanted: Vec<&ItemRecord> = items
            .iter()
            .filter(|i| i.erased_at.is_none() && categories.contains(&i.category.as_str()))
            .collect();
        if wanted.is_empty() {
            return Ok(Vec::new());
        }
        let key = match self.data_key(subject, false).await {
            Ok(k) => k,
            Err(CoreError::Erased | CoreError::NotFound(_)) => return Ok(Vec::new()),
            Err(e) => return Err(e),
        };
        let mut out = Vec::with_capacity(wanted.len());
        for i in wanted {
            let Some(ct) = &i.value else { continue };
            let plain = key.open(&aad(subject, i.id, i.category.as_str()), ct.as_bytes())?;
            if let Ok(s) = String::from_utf8(plain.to_vec()) {
                out.push((i.category.as_str().to_string(), Sensitive::new(s)));
            }
        }
        Ok(out)
    }

    /// Replaces an item's value with a corrected one (GDPR-15, RIGHTS-01): re-encrypted under
    /// the subject's key and audited as `item.rectify` with the digests of the old and the new
    /// ciphertext (AUD-04: no values). `refs` name what asked for it (a request).
    ///
    /// # Errors
    /// `Erased`, store and key failures.
    pub async fn rectify_item(
        &self,
        caller: &Caller,
        item: &ItemRecord,
        value: &Sensitive<String>,
        refs: Vec<steward_store::model::audit::EventRef>,
    ) -> Result<(), CoreError> {
        let subject = item.subject;
        let key = self.data_key(subject, false).await?;
        let old = item.value.as_ref().map(|v| Digest::sha256(v.as_bytes()));
        let sealed = key.seal(
            &aad(subject, item.id, item.category.as_str()),
            value.expose().as_bytes(),
        )?;
        let ct = Ciphertext::new(sealed)
            .map_err(|e| CoreError::invalid(ErrorCode::BadValue, e.to_string()))?;
        let new_digest = Digest::sha256(ct.as_bytes());
        self.store
            .replace_item_value(item.id, &ct, self.clock.now())
            .await?;
        let mut e = self.event(AuditKind::Write, "item.rectify", caller);
        e.subject = Some(subject);
        e.categories = vec![item.category.clone()];
        e.digests = [("old_value", old), ("new_value", Some(new_digest))]
            .into_iter()
            .filter_map(|(n, d)| {
                Some(NamedDigest {
                    name: FieldName::new(n).ok()?,
                    digest: d?,
                })
            })
            .collect();
        e.refs = refs;
        self.audit.append_one(e).await?;
        Ok(())
    }
}

/// A stored item with its value decrypted as text (`None` when it cannot be shown).
#[derive(Debug, Clone)]
pub struct ItemValue {
    /// The record.
    pub record: ItemRecord,
    /// The plaintext, as text.
    pub value: Option<Sensitive<String>>,
}

fn collect_request(input: &ItemInput) -> Request {
    let mut req = Request {
        op: Some(steward_policy::wire::Op::CanCollect),
        category: Some(input.category.clone()),
        source: Some(input.source.clone()),
        ..Request::default()
    };
    req.subject.id = Some(input.subject.to_string());
    req.context.declared_purposes = vec![input.purpose.clone()];
    req.context.account = input.account.map(|a| a.to_string());
    req
}

/// Retention triggers recorded as subject lifecycle events (`crate::lifecycle`).
const LIFECYCLE_TRIGGERS: [&str; 3] = ["account_closed", "last_activity", "contract_end"];

/// The retention deadline of a new item whose clock starts at collection (RET-01);
/// other triggers (account closed, ticket closed) set it when they happen.
#[must_use]
pub fn retention_deadline(
    engine: &steward_policy::Engine,
    cat: steward_policy::ids::CategoryId,
    collected: Timestamp,
) -> Option<Timestamp> {
    let info = engine.category_info(cat);
    if info.retention_trigger != "collected" {
        return None;
    }
    let span = info.retention?;
    collected
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .checked_add(span)
        .ok()
        .map(|z| z.timestamp())
}
