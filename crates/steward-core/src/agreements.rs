//! Agreements an account accepts — the ones the policy declares with `[[agreement]]`: a
//! Customer's data-protection undertaking, a USPS Privacy Act Statement, the consent to a
//! selected carrier's own practices (CUST-01, SRC-09, USPSPA-01, CARRIER-02). An acceptance
//! is a record (who, for which account, which text version and the SHA-256 of the text shown,
//! when), written with its audit entry; a stored subject's decisions read the records of the
//! accounts it belongs to, or of the account a request names (`context.account`), instead of
//! a caller's assertion. Nothing here knows a particular agreement: the policy names them.

use std::str::FromStr;

use steward_policy::Engine;
use steward_policy::ids::{AgreementSet, RecipientSet};
use steward_policy::wire::Request;
use steward_store::AuditedWrite;
use steward_store::ids::{AcceptanceId, AccountId, SubjectId};
use steward_store::model::account::{
    AccountStatus, AgreementAcceptance, CarrierSelection, MemberRole,
};
use steward_store::model::audit::{Attribute, AuditKind, EventRef, NamedDigest};
use steward_store::values::{AgreementKey, AgreementVersion, AttrValue, Digest, FieldName};

use crate::error::CoreError;
use crate::{Caller, Steward};

/// An acceptance to record.
#[derive(Debug, Clone)]
pub struct AgreementInput {
    /// The account it is accepted for.
    pub account: AccountId,
    /// The agreement's id in the policy.
    pub agreement: String,
    /// The text version shown; must be the policy's current version (default: it).
    pub version: Option<String>,
    /// The member of the account who accepted.
    pub accepted_by: SubjectId,
}

/// Where an account stands with one agreement of the policy.
#[derive(Debug, Clone)]
pub struct AgreementStatus {
    /// The agreement's id.
    pub agreement: String,
    /// Its name.
    pub name: String,
    /// The policy's current text version.
    pub current_version: String,
    /// SHA-256 (hex) of the current text, when the policy carries one.
    pub text_sha256: Option<String>,
    /// The current text, verbatim, when the policy carries one.
    pub text: Option<String>,
    /// The newest acceptance of a version the policy honours, if any.
    pub accepted: Option<AgreementAcceptance>,
}

/// An account's agreements: the policy's, each with its standing, and every acceptance.
#[derive(Debug, Clone)]
pub struct AccountAgreements {
    /// The account.
    pub account: AccountId,
    /// Every agreement the policy declares, in policy order.
    pub agreements: Vec<AgreementStatus>,
    /// Every acceptance recorded, oldest first (versions the policy no longer honours too).
    pub acceptances: Vec<AgreementAcceptance>,
}

fn field(name: &str) -> Result<FieldName, CoreError> {
    FieldName::new(name)
        .map_err(|e| CoreError::invalid(steward_errors::ErrorCode::BadField, e.to_string()))
}

fn parse_account(id: &str) -> Result<AccountId, CoreError> {
    AccountId::from_str(id).map_err(|_| {
        CoreError::invalid(
            steward_errors::ErrorCode::BadAccountId,
            format!(
                "`context.account`: `{}` is not an account id",
                id.chars().take(64).collect::<String>()
            ),
        )
    })
}

impl Steward {
    /// Record that a member accepted an agreement of the policy for an account, in the
    /// current text version (CUST-01, USPSPA-01, CARRIER-02). Audited with the record, in one
    /// transaction; decisions see it at once.
    ///
    /// # Errors
    /// `Invalid(UNKNOWN_AGREEMENT | AGREEMENT_VERSION_NOT_CURRENT)`, `NotFound` for an unknown
    /// account or a person who is not a current member of it, `Conflict(ACCOUNT_CLOSED)`.
    pub async fn accept_agreement(
        &self,
        caller: &Caller,
        input: AgreementInput,
    ) -> Result<AgreementAcceptance, CoreError> {
        let engine = self.engine();
        let Some(id) = engine.agreement(&input.agreement) else {
            return Err(CoreError::invalid(
                steward_errors::ErrorCode::UnknownAgreement,
                format!(
                    "the policy declares no agreement `{}`",
                    input.agreement.chars().take(64).collect::<String>()
                ),
            ));
        };
        let info = engine.agreement_info(id);
        if let Some(v) = &input.version
            && *v != info.version
        {
            return Err(CoreError::invalid(
                steward_errors::ErrorCode::AgreementVersionNotCurrent,
                format!(
                    "the current text of `{}` is version `{}`: accept the text shown now",
                    info.key, info.version
                ),
            ));
        }
        let account = self.store.get_account(input.account).await?;
        if account.status == AccountStatus::Closed {
            return Err(CoreError::Conflict {
                code: steward_errors::ErrorCode::AccountClosed,
                message: "the account is closed".into(),
            });
        }
        let member = self
            .store
            .list_members(input.account)
            .await?
            .iter()
            .any(|m| m.subject == input.accepted_by && m.removed_at.is_none());
        if !member {
            return Err(CoreError::NotFound("member"));
        }
        let text_sha256 = info.text.as_deref().map(|t| Digest::sha256(t.as_bytes()));
        let record = AgreementAcceptance {
            id: AcceptanceId::generate(),
            account: input.account,
            agreement: AgreementKey::new(info.key.clone()).map_err(|e| {
                CoreError::invalid(steward_errors::ErrorCode::BadAgreement, e.to_string())
            })?,
            version: AgreementVersion::new(info.version.clone()).map_err(|e| {
                CoreError::invalid(
                    steward_errors::ErrorCode::BadAgreementVersion,
                    e.to_string(),
                )
            })?,
            text_sha256,
            accepted_by: input.accepted_by,
            accepted_at: steward_store::values::store_precision(self.clock.now()),
        };
        let mut e = self.event(AuditKind::Admin, "agreement.accept", caller);
        e.account = Some(input.account);
        e.subject = Some(input.accepted_by);
        e.refs = vec![EventRef {
            name: field("acceptance")?,
            id: record.id.as_uuid(),
        }];
        e.attributes = [
            ("agreement", record.agreement.as_str()),
            ("version", record.version.as_str()),
        ]
        .into_iter()
        .filter_map(|(n, v)| {
            Some(Attribute {
                name: FieldName::new(n).ok()?,
                value: AttrValue::new(v).ok()?,
            })
        })
        .collect();
        if let Some(d) = text_sha256 {
            e.digests = vec![NamedDigest {
                name: field("text")?,
                digest: d,
            }];
        }
        self.store
            .write_audited(&AuditedWrite::RecordAgreements(vec![record.clone()]), &[e])
            .await?;
        self.audit.note_appended(1);
        // Every member's (and recipient's) decisions read the account's records: drop the
        // cached facts (an acceptance is rare; the cache refills within one read).
        self.facts.clear();
        Ok(record)
    }

    /// An account's agreements: each the policy declares with where the account stands, and
    /// every acceptance recorded.
    ///
    /// # Errors
    /// `NotFound` account.
    pub async fn account_agreements(
        &self,
        account: AccountId,
    ) -> Result<AccountAgreements, CoreError> {
        self.store.get_account(account).await?;
        let acceptances = self.store.list_agreements(&[account]).await?;
        let engine = self.engine();
        let agreements = engine
            .agreements
            .iter()
            .map(|a| AgreementStatus {
                agreement: a.key.clone(),
                name: a.name.clone(),
                current_version: a.version.clone(),
                text_sha256: a.text_sha256.clone(),
                text: a.text.clone(),
                accepted: acceptances
                    .iter()
                    .rev()
                    .find(|r| r.agreement.as_str() == a.key && a.accepts(r.version.as_str()))
                    .cloned(),
            })
            .collect();
        Ok(AccountAgreements {
            account,
            agreements,
            acceptances,
        })
    }

    /// What an account holder is shown of the accounts they hold: each account's agreements
    /// (with the policy's text) and its carrier selections, withdrawn ones included
    /// (CUST-01, USPSPA-01, CARRIER-01, CARRIER-02).
    ///
    /// # Errors
    /// `NotFound` subject; store failures.
    pub async fn held_agreements(
        &self,
        holder: SubjectId,
    ) -> Result<Vec<(AccountAgreements, Vec<CarrierSelection>)>, CoreError> {
        self.store.get_subject(holder).await?;
        let held: Vec<AccountId> = self
            .store
            .memberships_of(holder)
            .await?
            .into_iter()
            .filter(|m| m.role == MemberRole::Owner && m.removed_at.is_none())
            .map(|m| m.account)
            .collect();
        let mut out = Vec::with_capacity(held.len());
        for account in held {
            let agreements = self.account_agreements(account).await?;
            let carriers = self.store.list_carrier_selections(&[account]).await?;
            out.push((agreements, carriers));
        }
        Ok(out)
    }

    /// The records a decision uses, when records decide: the agreements accepted (CUST-01,
    /// USPSPA-01, CARRIER-02) and the carriers selected (CARRIER-01) for the stored subject's
    /// accounts (`stored`) and for the account the request names (`context.account`). `None`
    /// when neither applies (a stateless caller's inline facts decide). With records, an
    /// inline `customer_undertaking`, `agreements` or `carrier_selected` is refused rather
    /// than ignored, and so is `provided_categories` for a stored subject.
    ///
    /// # Errors
    /// `Invalid(BAD_ACCOUNT_ID | AGREEMENT_FACTS_WITH_RECORDS | FACTS_WITH_RECORDS)`,
    /// `NotFound` account.
    pub(crate) async fn recorded_facts(
        &self,
        engine: &Engine,
        req: &Request,
        stored: Option<Recorded>,
    ) -> Result<Option<Recorded>, CoreError> {
        let named = match req.context.account.as_deref() {
            Some(a) => {
                let id = parse_account(a)?;
                self.store.get_account(id).await?;
                let records = self.store.list_agreements(&[id]).await?;
                let carriers = self.store.list_carrier_selections(&[id]).await?;
                Some(Recorded {
                    agreements: crate::facts::accepted(engine, &records),
                    carriers: crate::carriers::selected(engine, &carriers),
                })
            }
            None => None,
        };
        if stored.is_some() && !req.context.provided_categories.is_empty() {
            return Err(CoreError::invalid(
                steward_errors::ErrorCode::FactsWithRecords,
                "for a stored subject the categories it has items of decide: leave out `context.provided_categories`",
            ));
        }
        if stored.is_none() && named.is_none() {
            return Ok(None);
        }
        if req.context.customer_undertaking || !req.context.agreements.is_empty() {
            return Err(CoreError::invalid(
                steward_errors::ErrorCode::AgreementFactsWithRecords,
                "for a stored subject or a named account the recorded agreements decide: leave out `context.customer_undertaking` and `context.agreements`",
            ));
        }
        if req.context.carrier_selected {
            return Err(CoreError::invalid(
                steward_errors::ErrorCode::FactsWithRecords,
                "for a stored subject or a named account the recorded carrier selections decide: leave out `context.carrier_selected`",
            ));
        }
        let (s, n) = (stored.unwrap_or_default(), named.unwrap_or_default());
        Ok(Some(Recorded {
            agreements: s.agreements.union(&n.agreements),
            carriers: s.carriers.union(&n.carriers),
        }))
    }
}

/// What the store's records say for a decision, in the engine's terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Recorded {
    /// The agreements accepted, in a version the policy honours.
    pub agreements: AgreementSet,
    /// The carriers selected and not withdrawn.
    pub carriers: RecipientSet,
}

impl Default for Recorded {
    fn default() -> Self {
        Recorded {
            agreements: AgreementSet::empty(),
            carriers: RecipientSet::empty(),
        }
    }
}

impl Recorded {
    /// Put the records into a decoded request's context: they replace what a stateless
    /// caller would assert.
    pub fn apply(self, ctx: &mut steward_policy::Context) {
        ctx.agreements = self.agreements;
        ctx.customer_undertaking = false;
        ctx.carriers = self.carriers;
        ctx.carrier_selected = false;
    }
}
