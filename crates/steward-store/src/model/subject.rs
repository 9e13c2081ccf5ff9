//! Subjects of every kind (§0.2), their facts (jurisdiction, age band, household) and their
//! identities, findable through a keyed blind index (DM-03), plus the erasure of a subject.

use jiff::Timestamp;

use super::coded_enum;
use crate::ids::{HouseholdId, ItemId, SubjectId};
use crate::values::{BlindToken, Confidence, EntityKey, Jurisdiction, SourceKey};

coded_enum! {
    /// The kinds of data subject of §0.2.
    pub enum SubjectKind: "subject kind" {
        /// A customer who holds an account.
        CustomerAccountHolder = 1, "customer_account_holder",
        /// Someone granted administrator or other access to an account.
        AuthorizedUser = 2, "authorized_user",
        /// A Customer's customer: ship-to party or address-book entry.
        Recipient = 3, "recipient",
        /// An employee or contractor.
        Staff = 4, "staff",
        /// A contact at a supplier.
        SupplierContact = 5, "supplier_contact",
        /// An unregistered browser.
        Visitor = 6, "visitor",
        /// Someone who answered a survey.
        SurveyRespondent = 7, "survey_respondent",
        /// A chat participant without an account.
        ChatGuest = 8, "chat_guest",
    }
}

coded_enum! {
    /// Age bands that change what the law allows (CCPA-18: under 13 / 13–15; GDPR-11: under 16).
    pub enum AgeBand: "age band" {
        /// Younger than 13.
        Under13 = 1, "under_13",
        /// 13 to 15.
        From13To15 = 2, "13_15",
        /// 16 to 17.
        From16To17 = 3, "16_17",
        /// 18 or older.
        Adult = 4, "adult",
    }
}

coded_enum! {
    /// How the age was learnt.
    pub enum AgeSource: "age source" {
        /// The subject (or a parent) said so.
        Declared = 1, "declared",
        /// Verified against a document or a trusted source.
        Verified = 2, "verified",
        /// Inferred from behaviour or context ("actual knowledge" questions are for the policy).
        Inferred = 3, "inferred",
    }
}

/// What is known about a subject's age.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AgeFact {
    /// The band.
    pub band: AgeBand,
    /// The age in years, when known exactly.
    pub years: Option<u8>,
    /// How it was learnt.
    pub source: AgeSource,
    /// When it was learnt.
    pub known_at: Timestamp,
}

/// The mutable facts about a subject that decisions depend on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SubjectFacts {
    /// The kind of subject (a visitor may become an account holder).
    pub kind: SubjectKind,
    /// Declared residency or billing jurisdiction (DM-04 step 1).
    pub residency: Option<Jurisdiction>,
    /// EU-01: the sticky "protected by EU law since" flag.
    pub eu_protected_since: Option<Timestamp>,
    /// The age fact, if any.
    pub age: Option<AgeFact>,
    /// The household the subject belongs to (DEF-01).
    pub household: Option<HouseholdId>,
}

impl SubjectFacts {
    /// Facts with only a kind.
    pub const fn of_kind(kind: SubjectKind) -> Self {
        Self {
            kind,
            residency: None,
            eu_protected_since: None,
            age: None,
            household: None,
        }
    }
}

/// A subject to create.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewSubject {
    /// Caller-chosen id (create is idempotent for identical content).
    pub id: SubjectId,
    /// The controlling entity (DM-05).
    pub controller: EntityKey,
    /// The facts.
    pub facts: SubjectFacts,
    /// Creation time.
    pub created_at: Timestamp,
}

/// A stored subject.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SubjectRecord {
    /// The id.
    pub id: SubjectId,
    /// The controlling entity (DM-05).
    pub controller: EntityKey,
    /// The facts (cleared, except the kind, once erased).
    pub facts: SubjectFacts,
    /// Creation time.
    pub created_at: Timestamp,
    /// Time of the last update (the creation time at first).
    pub updated_at: Timestamp,
    /// Set when the subject was erased.
    pub erased_at: Option<Timestamp>,
    /// Starts at 1; each update adds 1 (optimistic concurrency for several writers).
    pub revision: u64,
}

coded_enum! {
    /// Kinds of identity. E-mail, phone and account reference are *exclusive* (one subject per
    /// token); cookie and device ids are *shared* (the identity graph may link one device to
    /// several subjects, e.g. a household computer).
    pub enum IdentityKind: "identity kind" {
        /// An e-mail address.
        Email = 1, "email",
        /// A phone number.
        Phone = 2, "phone",
        /// An external account reference (customer number, login name).
        AccountRef = 3, "account_ref",
        /// A cookie id.
        Cookie = 4, "cookie",
        /// A device id.
        Device = 5, "device",
    }
}

impl IdentityKind {
    /// Whether at most one subject may hold a given token of this kind.
    pub const fn is_exclusive(self) -> bool {
        match self {
            IdentityKind::Email | IdentityKind::Phone | IdentityKind::AccountRef => true,
            IdentityKind::Cookie | IdentityKind::Device => false,
        }
    }
}

/// An identity as the store knows it: its kind and its blind-index token.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IdentityRef {
    /// The kind.
    pub kind: IdentityKind,
    /// The keyed blind-index token (never the plaintext).
    pub token: BlindToken,
}

/// A link between a subject and an identity (an edge of the DM-03 identity graph).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdentityLink {
    /// The subject.
    pub subject: SubjectId,
    /// The identity.
    pub identity: IdentityRef,
    /// How the link was learnt, e.g. `declared`, `login`, `import`.
    pub source: SourceKey,
    /// How sure it is.
    pub confidence: Confidence,
    /// When it was made.
    pub linked_at: Timestamp,
}

/// Erase a subject: everything not retained, atomically.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SubjectErasure {
    /// The subject.
    pub subject: SubjectId,
    /// Items kept under a legal exception (the plan's `retain` list); all others are erased.
    pub retain: Vec<ItemId>,
    /// Crypto-shred: destroy the wrapped data key (DM-02). Refused while items are retained.
    pub destroy_key: bool,
    /// When.
    pub at: Timestamp,
}

/// What an erasure did (a second identical erasure reports zeros: it is idempotent).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct ErasureOutcome {
    /// Items whose ciphertext was deleted now.
    pub items_erased: u64,
    /// Identity links removed now.
    pub identities_unlinked: u64,
    /// Whether the data key was destroyed now.
    pub key_destroyed: bool,
}

/// Everything a decision reads about a stored subject, read together in one call
/// ([`crate::traits::SubjectStore::subject_facts`]): on PostgreSQL one query, on SQLite one
/// read transaction on one connection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredFacts {
    /// The subject (erased ones too: `erased_at` says so).
    pub record: SubjectRecord,
    /// Its identities, oldest link first (as [`identities_of`](crate::traits::SubjectStore::identities_of)).
    pub identities: Vec<IdentityLink>,
    /// The ledger entries of the subject and of the cookies and devices linked to it
    /// (DM-03, GPC-04), merged in ledger order `(at, id)`.
    pub ledger: Vec<crate::model::choice::ChoiceEntry>,
    /// Its account memberships, removed ones included, oldest first (as
    /// [`memberships_of`](crate::traits::AccountStore::memberships_of)).
    pub memberships: Vec<crate::model::account::MemberRecord>,
    /// The agreement acceptances of the accounts it is a current member of (CUST-01), oldest
    /// first `(accepted_at, id)`.
    pub agreements: Vec<crate::model::account::AgreementAcceptance>,
    /// The carrier selections of the accounts it is a current member of that are not
    /// withdrawn (CARRIER-01), oldest first `(selected_at, id)`.
    pub carriers: Vec<crate::model::account::CarrierSelection>,
    /// The categories it has live (not erased) items of, sorted, each once (USPS-07: what
    /// it has provided).
    pub categories: Vec<crate::values::CategoryKey>,
    /// Its change-of-control notices (BIZ-02, BIZ-03), oldest effective first (as
    /// [`change_of_control_notices`](crate::traits::SubjectStore::change_of_control_notices)).
    pub change_of_control: Vec<crate::model::control::ChangeOfControlNotice>,
}
