//! Subjects and their identities: create, update, find by e-mail / phone /
//! account / cookie / device through the keyed blind index (never plaintext),
//! and link devices and cookies to a subject (DM-03, GPC-04).

use jiff::Timestamp;
use steward_errors::ErrorCode;
use steward_store::ids::SubjectId;
use steward_store::model::audit::AuditKind;
use steward_store::model::subject::{
    AgeBand, AgeFact, AgeSource, IdentityKind, IdentityLink, IdentityRef, NewSubject, SubjectFacts,
    SubjectKind, SubjectRecord,
};
use steward_store::values::{BlindToken, Confidence, Jurisdiction, SourceKey};
use steward_vault::Sensitive;

use crate::error::CoreError;
use crate::{Caller, Steward};

/// An identity as given by a caller (plaintext, redacted in `Debug`).
#[derive(Debug, Clone)]
pub struct IdentityInput {
    /// What kind.
    pub kind: IdentityKind,
    /// The value (an e-mail address, a phone number, a cookie id …).
    pub value: Sensitive<String>,
}

/// The facts of a subject as a caller gives them.
#[derive(Debug, Clone, Default)]
pub struct SubjectInput {
    /// Kind (§0.2); default `customer_account_holder`.
    pub kind: Option<SubjectKind>,
    /// Residency (DM-04): `US-CA`, `DE` …
    pub jurisdiction: Option<String>,
    /// Known to be an EU data subject (EU-01): sticky once set.
    pub eu_protected: bool,
    /// Known age in years.
    pub age: Option<u8>,
    /// Identities to attach.
    pub identities: Vec<IdentityInput>,
}

pub(crate) fn vault_kind(k: IdentityKind) -> steward_vault::IdentityKind {
    match k {
        IdentityKind::Email => steward_vault::IdentityKind::Email,
        IdentityKind::Phone => steward_vault::IdentityKind::Phone,
        IdentityKind::AccountRef => steward_vault::IdentityKind::AccountRef,
        IdentityKind::Cookie => steward_vault::IdentityKind::Cookie,
        IdentityKind::Device => steward_vault::IdentityKind::Device,
    }
}

fn age_fact(age: u8, at: Timestamp) -> AgeFact {
    let band = match age {
        0..=12 => AgeBand::Under13,
        13..=15 => AgeBand::From13To15,
        16..=17 => AgeBand::From16To17,
        _ => AgeBand::Adult,
    };
    AgeFact {
        band,
        years: Some(age),
        source: AgeSource::Declared,
        known_at: at,
    }
}

fn jurisdiction(j: Option<&str>) -> Result<Option<Jurisdiction>, CoreError> {
    match j {
        None => Ok(None),
        Some(s) => {
            // Validate with the engine's parser (ISO 3166, `UK` → `GB`), store the canonical form.
            let parsed: steward_policy::Jurisdiction =
                s.parse()
                    .map_err(|e: steward_policy::facts::BadJurisdiction| {
                        CoreError::invalid(ErrorCode::BadJurisdiction, e.to_string())
                    })?;
            Jurisdiction::new(parsed.to_string())
                .map(Some)
                .map_err(|e| CoreError::invalid(ErrorCode::BadJurisdiction, e.to_string()))
        }
    }
}

impl Steward {
    /// The blind-index reference of an identity.
    ///
    /// # Errors
    /// `Invalid` when the value does not normalize (e.g. not an e-mail address).
    pub fn identity_ref(&self, kind: IdentityKind, raw: &str) -> Result<IdentityRef, CoreError> {
        let token = self
            .blind
            .token(vault_kind(kind), raw)
            .map_err(|e| CoreError::invalid(ErrorCode::BadIdentity, e.to_string()))?;
        let token = BlindToken::new(token.as_bytes().to_vec())
            .map_err(|e| CoreError::invalid(ErrorCode::BadIdentity, e.to_string()))?;
        Ok(IdentityRef { kind, token })
    }

    /// Create a subject with its identities.
    ///
    /// # Errors
    /// `Invalid` for bad facts or identities; `Conflict` when an exclusive identity
    /// (e-mail, phone, account) already belongs to another subject.
    pub async fn create_subject(
        &self,
        caller: &Caller,
        input: SubjectInput,
    ) -> Result<SubjectRecord, CoreError> {
        let now = self.clock.now();
        let refs = input
            .identities
            .iter()
            .map(|i| self.identity_ref(i.kind, i.value.expose()))
            .collect::<Result<Vec<_>, _>>()?;
        let facts = SubjectFacts {
            kind: input.kind.unwrap_or(SubjectKind::CustomerAccountHolder),
            residency: jurisdiction(input.jurisdiction.as_deref())?,
            eu_protected_since: input.eu_protected.then_some(now),
            age: input.age.map(|a| age_fact(a, now)),
            household: None,
        };
        let id = SubjectId::generate();
        let record = self
            .store
            .create_subject(&NewSubject {
                id,
                controller: self.controller.clone(),
                facts,
                created_at: now,
            })
            .await?;
        for r in refs {
            self.attach(id, r, "user", now).await?;
        }
        // Written here: a decision about it on this process reads the primary (a read replica
        // may not have the new subject yet; see `facts`).
        self.invalidate_facts(id);
        let mut e = self.event(AuditKind::Write, "subject.create", caller);
        e.subject = Some(id);
        self.audit.append_one(e).await?;
        Ok(record)
    }

    async fn attach(
        &self,
        subject: SubjectId,
        identity: IdentityRef,
        source: &str,
        at: Timestamp,
    ) -> Result<(), CoreError> {
        let link = IdentityLink {
            subject,
            identity,
            source: SourceKey::new(source)
                .map_err(|e| CoreError::invalid(ErrorCode::BadSource, e.to_string()))?,
            confidence: Confidence::new(100)
                .map_err(|e| CoreError::invalid(ErrorCode::BadConfidence, e.to_string()))?,
            linked_at: at,
        };
        self.store.attach_identity(&link).await?;
        Ok(())
    }

    /// Read a subject.
    ///
    /// # Errors
    /// `NotFound`.
    pub async fn get_subject(&self, id: SubjectId) -> Result<SubjectRecord, CoreError> {
        Ok(self.store.get_subject(id).await?)
    }

    /// Update a subject's facts (residency, age, EU flag — which stays set once set).
    ///
    /// # Errors
    /// `NotFound`, `Conflict` on a concurrent update, `Invalid` facts.
    pub async fn update_subject(
        &self,
        caller: &Caller,
        id: SubjectId,
        jurisdiction_code: Option<&str>,
        eu_protected: Option<bool>,
        age: Option<u8>,
    ) -> Result<SubjectRecord, CoreError> {
        let now = self.clock.now();
        let current = self.store.get_subject(id).await?;
        let mut facts = current.facts.clone();
        if let Some(j) = jurisdiction_code {
            facts.residency = jurisdiction(Some(j))?;
        }
        // EU-01: once an EU data subject, always (for what was collected meanwhile).
        if eu_protected == Some(true) && facts.eu_protected_since.is_none() {
            facts.eu_protected_since = Some(now);
        }
        if let Some(a) = age {
            facts.age = Some(age_fact(a, now));
        }
        let record = self
            .store
            .update_subject(id, current.revision, &facts, now)
            .await?;
        self.invalidate_facts(id);
        let mut e = self.event(AuditKind::Write, "subject.update", caller);
        e.subject = Some(id);
        self.audit.append_one(e).await?;
        Ok(record)
    }

    /// Find the subjects holding an identity (blind-index lookup). Audited as a read (AUD-06).
    ///
    /// # Errors
    /// `Invalid` identity.
    pub async fn find_subjects(
        &self,
        caller: &Caller,
        kind: IdentityKind,
        raw: &str,
    ) -> Result<Vec<SubjectId>, CoreError> {
        let r = self.identity_ref(kind, raw)?;
        let links = self.store.find_by_identity(&r).await?;
        let ids: Vec<SubjectId> = links.iter().map(|l| l.subject).collect();
        let mut e = self.event(AuditKind::Read, "subject.lookup", caller);
        e.subject = ids.first().copied();
        self.audit.append_one(e).await?;
        Ok(ids)
    }

    /// Link an identity (device, cookie, e-mail …) to a subject. A device that sent GPC
    /// before now opts the subject out too (GPC-04): its ledger joins the subject's.
    ///
    /// # Errors
    /// `NotFound`, `Conflict` for an exclusive identity held by someone else.
    pub async fn link_identity(
        &self,
        caller: &Caller,
        subject: SubjectId,
        kind: IdentityKind,
        raw: &str,
        source: &str,
    ) -> Result<(), CoreError> {
        let now = self.clock.now();
        let r = self.identity_ref(kind, raw)?;
        self.attach(subject, r, source, now).await?;
        self.invalidate_facts(subject);
        let mut e = self.event(AuditKind::Write, "identity.link", caller);
        e.subject = Some(subject);
        self.audit.append_one(e).await?;
        Ok(())
    }
}
