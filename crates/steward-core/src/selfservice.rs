//! Self-service pieces of the core for the privacy center: the effective choices of a browser
//! or device that has not signed in, whether a visitor is treated as an EU data subject, and
//! secrets derived from the key ring for the web layer (cookie keys and the like). The
//! privacy center's views of a subject's own data (reports, erasure preview, sign-in by
//! e-mail code) belong to the request workflow (`steward-requests`, module `selfservice`).

use steward_errors::ErrorCode;
use steward_policy::choices::{Effective, fold};
use steward_policy::{Jurisdiction, Subject, SubjectKind};
use steward_store::ids::SubjectId;
use steward_store::model::choice::Party;
use steward_store::model::subject::IdentityKind;
use steward_vault::Sensitive;

use crate::Steward;
use crate::error::CoreError;

/// The effective choices of a browser or device, for a page.
#[derive(Debug, Clone)]
pub struct DeviceChoices {
    /// The subject the device is linked to, if any (its choices are the subject's then).
    pub subject: Option<SubjectId>,
    /// The fold, with provenance.
    pub effective: Effective,
    /// The jurisdiction the fold used.
    pub jurisdiction: Option<Jurisdiction>,
}

fn parse_jurisdiction(j: Option<&str>) -> Result<Option<Jurisdiction>, CoreError> {
    j.map(|j| {
        j.parse::<Jurisdiction>()
            .map_err(|e| CoreError::invalid(ErrorCode::BadJurisdiction, e.to_string()))
    })
    .transpose()
}

impl Steward {
    /// A 32-byte secret for `label`, derived from the blind-index key (HMAC-SHA256 of the
    /// label under the account-reference key), so every replica sharing the key ring derives
    /// the same one. Labels separate uses (`steward-web/cookies/v1` …).
    ///
    /// # Errors
    /// `Invalid` for an empty or over-long label.
    pub fn derived_secret(&self, label: &str) -> Result<Sensitive<[u8; 32]>, CoreError> {
        let t = self
            .blind
            .token(
                steward_vault::IdentityKind::AccountRef,
                &format!("steward-derived-secret:{label}"),
            )
            .map_err(|e| CoreError::invalid(ErrorCode::BadLabel, e.to_string()))?;
        let mut out = [0u8; 32];
        out.copy_from_slice(t.as_bytes());
        Ok(Sensitive::new(out))
    }

    /// The effective choices of a browser or device (by cookie or device id): the linked
    /// subject's when it is linked to one, else the fold of its own ledger at `jurisdiction`
    /// (DM-04: where the visitor is, as the caller determined it).
    ///
    /// # Errors
    /// `Invalid` (bad id or jurisdiction), store failures.
    pub async fn device_choices(
        &self,
        kind: IdentityKind,
        id: &str,
        jurisdiction: Option<&str>,
    ) -> Result<DeviceChoices, CoreError> {
        let r = self.identity_ref(kind, id)?;
        if let Some(link) = self.store.find_by_identity(&r).await?.first() {
            match self.effective_choices(link.subject).await {
                Ok((resolved, effective)) => {
                    return Ok(DeviceChoices {
                        subject: Some(link.subject),
                        effective,
                        jurisdiction: resolved.subject.jurisdiction,
                    });
                }
                Err(CoreError::NotFound(_)) => {}
                Err(e) => return Err(e),
            }
        }
        let j = parse_jurisdiction(jurisdiction)?;
        let engine = self.engine();
        let ledger = self.store.list_choices(&[Party::Identity(r)]).await?;
        let effective = fold(
            &engine,
            j.as_ref(),
            &crate::facts::to_policy_entries(&engine, &ledger),
            self.clock.now(),
        );
        Ok(DeviceChoices {
            subject: None,
            effective,
            jurisdiction: j,
        })
    }

    /// Whether a visitor at `jurisdiction` is treated as an EU data subject (unknown
    /// location: yes, the stricter rule, DM-04).
    #[must_use]
    pub fn visitor_is_eu(&self, jurisdiction: Option<&Jurisdiction>) -> bool {
        match jurisdiction {
            None => true,
            Some(j) => self
                .engine()
                .is_eu(&Subject::new(SubjectKind::Visitor, Some(*j))),
        }
    }
}
