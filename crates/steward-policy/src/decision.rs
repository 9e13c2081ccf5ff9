//! What a decision says: allow or deny, the reason code (§0.4), the rule it
//! rests on (clause and requirement ids), obligations, and for disclosures the
//! projection of allowed and excluded categories.
//!
//! A [`Decision`] is `Copy` and refers into the engine's tables by id, so
//! producing one never allocates; [`crate::wire`] turns it into JSON.

use crate::ids::{CategoryId, CategorySet, LockId, RuleId};

/// Reason codes (requirements §0.4 plus the codes the acceptance tests use).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Reason {
    /// Allowed by a matching rule.
    Ok,
    /// Strictly necessary tracker: exempt from consent (COOKIE-06).
    StrictlyNecessary,
    /// Customer's customers data used to complete the transaction (CUST-02) — as an allow reason.
    RequiredForTransactionOk,
    /// No rule matches (closed world, SHARE-01); unknown purpose, recipient, source or tracker.
    NoRule,
    /// Unknown category (CAT-00).
    UnregisteredCategory,
    /// The category may not be used for this purpose.
    PurposeNotAllowed,
    /// A requested category is excluded for this recipient or flow.
    CategoryExcluded,
    /// The subject opted out.
    OptedOut,
    /// Consent is needed and absent.
    ConsentRequired,
    /// Consent was given and withdrawn.
    ConsentWithdrawn,
    /// EU subject without the required opt-in (EU-02).
    EuOptInRequired,
    /// No executed, current contract (SP-03, SP-04).
    NoContract,
    /// The contract lacks a required clause.
    ContractClauseMissing,
    /// A hard purpose lock of the policy forbids this purpose or recipient (USPS-02, CUST-02).
    /// Reported as `PURPOSE_LOCK` with the lock id in `detail`, or as the code the lock
    /// declares ([`crate::Engine::reason_code`]).
    PurposeLock,
    /// Known minor without affirmative authorization (CCPA-18).
    MinorOptInRequired,
    /// A minor under 13 needs a parent's authorization (CCPA-18, GDPR-11).
    ParentalConsentRequired,
    /// The feature that allows collection is off (GEO-01).
    NotEnabled,
    /// Not authorized (ADMIN-02, SEC-05).
    NotAuthorized,
    /// Administrators cannot act on the owner's choices or requests (ADMIN-07).
    NotSubjectOrAgent,
    /// No lawful basis recorded for an EU subject (GDPR-34).
    LegalBasisMissing,
    /// A jurisdiction rule prohibits it (AFF-03).
    ProhibitedByLaw,
    /// The item is past its retention deadline (RET-02).
    RetentionExpired,
    /// No valid transfer mechanism for EU data (GDPR-32).
    TransferMechanismMissing,
    /// Art. 21(1) objection under review (GDPR-20).
    ObjectionPending,
    /// Objection upheld, or direct-marketing objection (GDPR-20, GDPR-21).
    Objected,
    /// Restricted under Art. 18 (GDPR-17).
    Restricted,
    /// Retained only under a deletion exception (CCPA-10).
    RetainedUnderException,
    /// Outside the legal instrument's scope (LEGALREQ-03).
    OutOfScope,
    /// No legal request record (LEGALREQ-01).
    LegalRequestRecordRequired,
    /// No good-faith review (LEGALREQ-02).
    ReviewRequired,
    /// No justification record (PUR-12, PROT-01).
    JustificationRequired,
    /// Protection purposes never serve commercial use (PROT-03).
    CommercialUseForbidden,
    /// No carrier selection for the shipment (CARRIER-01).
    NoCarrierSelection,
    /// Marketing partner not vetted (MP-03).
    RecipientNotVetted,
    /// Promotions held until the change-of-control prompt is delivered (BIZ-03).
    ChangeOfControlPromptPending,
    /// Category not disclosed by the policy version in force (COLL-03).
    NotDisclosed,
    /// Customer undertaking missing (CUST-01, SRC-09).
    CustomerUndertakingRequired,
    /// Marketing e-mail without an unsubscribe link (MKT-03).
    UnsubscribeRequired,
    /// Commercial e-mail without a postal address (CANSPAM-04).
    CanspamAddressMissing,
    /// Transactional template with promotional content (MKT-05).
    MixedContent,
    /// The recipient may not use this channel (MP-01).
    ChannelNotAllowed,
    /// The subject asked to limit use of sensitive data (CCPA-20).
    LimitedSpi,
    /// An agreement the policy declares was not accepted for the account (CUST-01,
    /// USPSPA-01, CARRIER-02). Reported as `AGREEMENT_REQUIRED`, or as the code the
    /// agreement declares ([`crate::Engine::reason_code`]).
    AgreementRequired,
    /// A later policy version added this purpose or recipient for data collected before it,
    /// and the subject has not been notified of that version yet (CHG-03, CHG-04).
    NoticeRequired,
    /// Information a purpose needs was not provided (USPS-07). Reported as
    /// `INFORMATION_NOT_PROVIDED`, or as the code the `[[required_data]]` entry declares
    /// ([`crate::Engine::reason_code`]).
    InformationNotProvided,
}

impl Reason {
    /// The stable reason code. A purpose lock may report a code of its policy's own: ask
    /// the engine ([`crate::Engine::reason_code`]) when printing a decision.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Reason::Ok => "OK",
            Reason::StrictlyNecessary => "STRICTLY_NECESSARY",
            Reason::RequiredForTransactionOk => "REQUIRED_FOR_TRANSACTION",
            Reason::NoRule => "NO_RULE",
            Reason::UnregisteredCategory => "UNREGISTERED_CATEGORY",
            Reason::PurposeNotAllowed => "PURPOSE_NOT_ALLOWED",
            Reason::CategoryExcluded => "CATEGORY_EXCLUDED",
            Reason::OptedOut => "OPTED_OUT",
            Reason::ConsentRequired => "CONSENT_REQUIRED",
            Reason::ConsentWithdrawn => "CONSENT_WITHDRAWN",
            Reason::EuOptInRequired => "EU_OPT_IN_REQUIRED",
            Reason::NoContract => "NO_CONTRACT",
            Reason::ContractClauseMissing => "CONTRACT_CLAUSE_MISSING",
            Reason::PurposeLock => "PURPOSE_LOCK",
            Reason::MinorOptInRequired => "MINOR_OPT_IN_REQUIRED",
            Reason::ParentalConsentRequired => "PARENTAL_CONSENT_REQUIRED",
            Reason::NotEnabled => "NOT_ENABLED",
            Reason::NotAuthorized => "NOT_AUTHORIZED",
            Reason::NotSubjectOrAgent => "NOT_SUBJECT_OR_AGENT",
            Reason::LegalBasisMissing => "LEGAL_BASIS_MISSING",
            Reason::ProhibitedByLaw => "PROHIBITED_BY_LAW",
            Reason::RetentionExpired => "RETENTION_EXPIRED",
            Reason::TransferMechanismMissing => "TRANSFER_MECHANISM_MISSING",
            Reason::ObjectionPending => "OBJECTION_PENDING",
            Reason::Objected => "OBJECTED",
            Reason::Restricted => "RESTRICTED",
            Reason::RetainedUnderException => "RETAINED_UNDER_EXCEPTION",
            Reason::OutOfScope => "OUT_OF_SCOPE",
            Reason::LegalRequestRecordRequired => "LEGAL_REQUEST_RECORD_REQUIRED",
            Reason::ReviewRequired => "REVIEW_REQUIRED",
            Reason::JustificationRequired => "JUSTIFICATION_REQUIRED",
            Reason::CommercialUseForbidden => "COMMERCIAL_USE_FORBIDDEN",
            Reason::NoCarrierSelection => "NO_CARRIER_SELECTION",
            Reason::RecipientNotVetted => "RECIPIENT_NOT_VETTED",
            Reason::ChangeOfControlPromptPending => "CHANGE_OF_CONTROL_PROMPT_PENDING",
            Reason::NotDisclosed => "NOT_DISCLOSED",
            Reason::CustomerUndertakingRequired => "CUSTOMER_UNDERTAKING_REQUIRED",
            Reason::UnsubscribeRequired => "UNSUBSCRIBE_REQUIRED",
            Reason::CanspamAddressMissing => "CANSPAM_ADDRESS_MISSING",
            Reason::MixedContent => "MIXED_CONTENT",
            Reason::ChannelNotAllowed => "CHANNEL_NOT_ALLOWED",
            Reason::LimitedSpi => "LIMITED_SPI",
            Reason::AgreementRequired => "AGREEMENT_REQUIRED",
            Reason::NoticeRequired => "NOTICE_REQUIRED",
            Reason::InformationNotProvided => "INFORMATION_NOT_PROVIDED",
        }
    }

    /// Every reason, for documentation and schema generation.
    pub const ALL: [Reason; 45] = [
        Reason::Ok,
        Reason::StrictlyNecessary,
        Reason::RequiredForTransactionOk,
        Reason::NoRule,
        Reason::UnregisteredCategory,
        Reason::PurposeNotAllowed,
        Reason::CategoryExcluded,
        Reason::OptedOut,
        Reason::ConsentRequired,
        Reason::ConsentWithdrawn,
        Reason::EuOptInRequired,
        Reason::NoContract,
        Reason::ContractClauseMissing,
        Reason::PurposeLock,
        Reason::MinorOptInRequired,
        Reason::ParentalConsentRequired,
        Reason::NotEnabled,
        Reason::NotAuthorized,
        Reason::NotSubjectOrAgent,
        Reason::LegalBasisMissing,
        Reason::ProhibitedByLaw,
        Reason::RetentionExpired,
        Reason::TransferMechanismMissing,
        Reason::ObjectionPending,
        Reason::Objected,
        Reason::Restricted,
        Reason::RetainedUnderException,
        Reason::OutOfScope,
        Reason::LegalRequestRecordRequired,
        Reason::ReviewRequired,
        Reason::JustificationRequired,
        Reason::CommercialUseForbidden,
        Reason::NoCarrierSelection,
        Reason::RecipientNotVetted,
        Reason::ChangeOfControlPromptPending,
        Reason::NotDisclosed,
        Reason::CustomerUndertakingRequired,
        Reason::UnsubscribeRequired,
        Reason::CanspamAddressMissing,
        Reason::MixedContent,
        Reason::ChannelNotAllowed,
        Reason::LimitedSpi,
        Reason::AgreementRequired,
        Reason::NoticeRequired,
        Reason::InformationNotProvided,
    ];
}

/// Extra detail on a reason (e.g. which category was excluded).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Detail {
    /// No detail.
    #[default]
    None,
    /// A category (`CATEGORY_EXCLUDED:email`).
    Category(CategoryId),
    /// A contract clause name (`CONTRACT_CLAUSE_MISSING:instructions_only`).
    Clause(&'static str),
    /// A purpose lock (`PURPOSE_LOCK:billing_only`).
    Lock(LockId),
}

/// Obligation flags.
pub mod flags {
    /// Audit the decision (always set; AUD-01).
    pub const AUDIT: u16 = 1;
    /// Write a disclosure record when the share happens (AUD-03).
    pub const RECORD_DISCLOSURE: u16 = 1 << 1;
    /// Notify the subject (LEGALREQ-05, GDPR-13 Art. 14 notice).
    pub const NOTIFY_SUBJECT: u16 = 1 << 2;
    /// Write a collection record (COLL-01).
    pub const RECORD_COLLECTION: u16 = 1 << 3;
    /// Include a one-click unsubscribe link (MKT-03, CANSPAM-01).
    pub const UNSUBSCRIBE_LINK: u16 = 1 << 4;
    /// Bring the right to object to the subject's attention (GDPR-22).
    pub const RIGHT_TO_OBJECT_NOTICE: u16 = 1 << 5;
    /// A gag order suppresses the subject notice (LEGALREQ-05).
    pub const NOTICE_SUPPRESSED: u16 = 1 << 6;
    /// GDPR Art. 14 notice within one month (GDPR-13, SRC-05).
    pub const ART14_NOTICE: u16 = 1 << 7;
    /// Pseudonymize before storage (IPPS-01).
    pub const PSEUDONYMIZE: u16 = 1 << 8;
    /// Identify as advertising and include the postal address (CANSPAM-04).
    pub const CANSPAM_IDENTIFY: u16 = 1 << 9;
    /// Forward the subject's opt-out to the recipient (CCPA-13).
    pub const FORWARD_OPT_OUT: u16 = 1 << 10;
}

/// What the caller must do when acting on an allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Obligations {
    /// Bits from [`flags`].
    pub flags: u16,
    /// Categories to drop from the payload (projection).
    pub redact: CategorySet,
    /// Aggregate with at least this group size (0 = no aggregation).
    pub aggregate_k: u32,
    /// Coarsen precise location to at least this radius in feet (0 = no).
    pub coarsen_ft: u32,
}

impl Obligations {
    /// Only the audit obligation.
    #[must_use]
    pub const fn audit() -> Obligations {
        Obligations {
            flags: flags::AUDIT,
            redact: CategorySet::empty(),
            aggregate_k: 0,
            coarsen_ft: 0,
        }
    }
    /// Has a flag.
    #[must_use]
    pub fn has(&self, f: u16) -> bool {
        self.flags & f != 0
    }
}

/// A decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decision {
    /// Allowed?
    pub allow: bool,
    /// Why.
    pub reason: Reason,
    /// More detail on why.
    pub detail: Detail,
    /// The rule (clause + requirement ids) the decision rests on.
    pub rule: RuleId,
    /// What to do when acting on it.
    pub obligations: Obligations,
    /// For disclosures: the requested categories that may go.
    pub allowed: CategorySet,
    /// For disclosures: the requested categories that may not.
    pub excluded: CategorySet,
}

/// The fixed evaluation steps of DEC-00, as reported by `explain`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Step {
    /// 1. Names are registered.
    Registry,
    /// 2. Hard locks, restriction, retention.
    Locks,
    /// 3. Legal-compulsion path.
    Legal,
    /// 4. Jurisdictional prohibitions and minors.
    Jurisdiction,
    /// 5a. A rule for this recipient, purpose and preconditions.
    Rule,
    /// 5b. Contract and vetting gate.
    Contract,
    /// 6. Transfer mechanism.
    Transfer,
    /// 7. Subject choices.
    Choices,
    /// 8. Category exclusions.
    Categories,
    /// 9. Allow with obligations.
    Allow,
}

impl Step {
    /// Wire name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Step::Registry => "registry",
            Step::Locks => "locks",
            Step::Legal => "legal",
            Step::Jurisdiction => "jurisdiction",
            Step::Rule => "rule",
            Step::Contract => "contract",
            Step::Transfer => "transfer",
            Step::Choices => "choices",
            Step::Categories => "categories",
            Step::Allow => "allow",
        }
    }
}

/// Receives the evaluation path; the no-op implementation compiles away.
pub trait Tracer {
    /// A step was evaluated; `ok` is false when it decided a deny.
    fn step(&mut self, step: Step, ok: bool, note: &'static str);
}

/// A tracer that records nothing (the hot path).
#[derive(Debug, Default, Clone, Copy)]
pub struct NoTrace;

impl Tracer for NoTrace {
    #[inline(always)]
    fn step(&mut self, _: Step, _: bool, _: &'static str) {}
}

/// A tracer that records every step, for `explain` (AUD-07).
#[derive(Debug, Default, Clone)]
pub struct Trace {
    /// Steps in order: (step, passed, note).
    pub steps: Vec<(Step, bool, &'static str)>,
}

impl Tracer for Trace {
    fn step(&mut self, step: Step, ok: bool, note: &'static str) {
        self.steps.push((step, ok, note));
    }
}
