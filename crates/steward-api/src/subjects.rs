//! Subjects: create, read, update, look up by identity, link identities (DM-03, GPC-04).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::common::IdentityKindDto;

/// The kinds of data subject (§0.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SubjectKindDto {
    /// A customer who holds an account.
    CustomerAccountHolder,
    /// Someone granted administrator or other access to an account.
    AuthorizedUser,
    /// A Customer's customer (ship-to party, address-book entry).
    Recipient,
    /// An employee or contractor.
    Staff,
    /// A contact at a supplier.
    SupplierContact,
    /// An unregistered browser.
    Visitor,
    /// A survey respondent.
    SurveyRespondent,
    /// A chat participant without an account.
    ChatGuest,
}

/// An identity given in clear (blind-indexed before storage).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IdentityIn {
    /// What kind.
    pub kind: IdentityKindDto,
    /// The value: an e-mail address, a phone number, a cookie id …
    #[schema(min_length = 1, max_length = 512)]
    pub value: String,
}

/// A subject to create.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateSubject {
    /// Kind; default `customer_account_holder`.
    #[serde(default)]
    pub kind: Option<SubjectKindDto>,
    /// Residency (DM-04): `US-CA`, `DE`, `GB` …
    #[serde(default)]
    #[schema(pattern = "^[A-Za-z]{2}(-[A-Za-z0-9]{1,3})?$")]
    pub jurisdiction: Option<String>,
    /// Known to be an EU data subject (EU-01; sticky once set).
    #[serde(default)]
    pub eu_protected: bool,
    /// Known age in years.
    #[serde(default)]
    #[schema(minimum = 0, maximum = 255)]
    pub age: Option<u8>,
    /// Identities to attach (at most 32).
    #[serde(default)]
    #[schema(max_items = 32)]
    pub identities: Vec<IdentityIn>,
}

/// Most identities given with a new subject.
pub const MAX_IDENTITIES: usize = 32;

/// Facts to change (absent fields stay as they are).
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateSubject {
    /// New residency.
    #[serde(default)]
    #[schema(pattern = "^[A-Za-z]{2}(-[A-Za-z0-9]{1,3})?$")]
    pub jurisdiction: Option<String>,
    /// Set the EU flag (it cannot be cleared: EU-01).
    #[serde(default)]
    pub eu_protected: Option<bool>,
    /// New age.
    #[serde(default)]
    #[schema(minimum = 0, maximum = 255)]
    pub age: Option<u8>,
}

/// A stored subject (no identities: they are kept only as blind-index tokens).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SubjectOut {
    /// The id.
    pub id: String,
    /// Kind.
    pub kind: String,
    /// Residency.
    pub jurisdiction: Option<String>,
    /// EU data subject since this time.
    pub eu_protected_since: Option<String>,
    /// Age band: `under_13`, `13_15`, `16_17`, `adult`.
    pub age_band: Option<String>,
    /// Age in years, when known.
    pub age: Option<u8>,
    /// Revision (1 at creation).
    pub revision: u64,
    /// Created.
    pub created_at: String,
    /// Last updated.
    pub updated_at: String,
    /// Erased (its data is gone).
    pub erased_at: Option<String>,
}

/// An identity to look up.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Lookup {
    /// What kind.
    pub kind: IdentityKindDto,
    /// The value (sent in the body, never in a URL, so it stays out of access logs).
    #[schema(min_length = 1, max_length = 512)]
    pub value: String,
}

/// Subjects holding an identity.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LookupOut {
    /// Their ids (at most one for e-mail, phone and account references).
    pub subject_ids: Vec<String>,
}

/// An identity to link to a subject.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LinkIdentity {
    /// What kind.
    pub kind: IdentityKindDto,
    /// The value.
    #[schema(min_length = 1, max_length = 512)]
    pub value: String,
    /// Where the link comes from (`login`, `user`, `support` …); default `login`.
    #[serde(default)]
    #[schema(pattern = "^[a-z0-9_:.-]{1,64}$")]
    pub source: Option<String>,
}

#[cfg(feature = "core")]
mod convert {
    use steward_core::subjects::{IdentityInput, SubjectInput};
    use steward_store::model::subject::{SubjectKind, SubjectRecord};
    use steward_vault::Sensitive;

    use super::{CreateSubject, IdentityIn, SubjectKindDto, SubjectOut};
    use crate::common::{ots, ts};

    impl From<SubjectKindDto> for SubjectKind {
        fn from(k: SubjectKindDto) -> Self {
            match k {
                SubjectKindDto::CustomerAccountHolder => SubjectKind::CustomerAccountHolder,
                SubjectKindDto::AuthorizedUser => SubjectKind::AuthorizedUser,
                SubjectKindDto::Recipient => SubjectKind::Recipient,
                SubjectKindDto::Staff => SubjectKind::Staff,
                SubjectKindDto::SupplierContact => SubjectKind::SupplierContact,
                SubjectKindDto::Visitor => SubjectKind::Visitor,
                SubjectKindDto::SurveyRespondent => SubjectKind::SurveyRespondent,
                SubjectKindDto::ChatGuest => SubjectKind::ChatGuest,
            }
        }
    }

    impl From<IdentityIn> for IdentityInput {
        fn from(i: IdentityIn) -> Self {
            IdentityInput {
                kind: i.kind.into(),
                value: Sensitive::new(i.value),
            }
        }
    }

    impl From<CreateSubject> for SubjectInput {
        fn from(b: CreateSubject) -> Self {
            SubjectInput {
                kind: b.kind.map(Into::into),
                jurisdiction: b.jurisdiction,
                eu_protected: b.eu_protected,
                age: b.age,
                identities: b.identities.into_iter().map(Into::into).collect(),
            }
        }
    }

    impl From<&SubjectRecord> for SubjectOut {
        fn from(r: &SubjectRecord) -> Self {
            SubjectOut {
                id: r.id.to_string(),
                kind: r.facts.kind.as_str().to_string(),
                jurisdiction: r.facts.residency.as_ref().map(|j| j.as_str().to_string()),
                eu_protected_since: ots(r.facts.eu_protected_since),
                age_band: r.facts.age.as_ref().map(|a| a.band.as_str().to_string()),
                age: r.facts.age.as_ref().and_then(|a| a.years),
                revision: r.revision,
                created_at: ts(r.created_at),
                updated_at: ts(r.updated_at),
                erased_at: ots(r.erased_at),
            }
        }
    }
}
