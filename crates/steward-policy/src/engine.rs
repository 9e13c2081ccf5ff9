//! The compiled engine: interned registries and decision tables.
//!
//! Built once by [`crate::load`] from a validated policy file; immutable and
//! `Send + Sync` afterwards, so one `Arc<Engine>` serves every thread.

use crate::facts::TrackerCategory;
use crate::ids::{
    AgreementId, AgreementSet, CategoryId, CategorySet, LockId, PurposeId, PurposeSet, RecipientId,
    RecipientSet, RoleId, RuleId, SourceId, SourceSet, TrackerId,
};
use crate::model::PolicyFile;
use jiff::Timestamp;
use jiff::civil::Date;
use std::collections::HashMap;

/// Clause and requirement ids a decision can cite.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    /// What the rule is (e.g. `recipient MP1`, `builtin transfer`).
    pub origin: String,
    /// The policy clause or law it rests on.
    pub clause: String,
    /// Requirement ids it implements.
    pub requirements: Vec<String>,
}

/// Built-in decisions: the ones no entry of the policy file decides (an unknown category,
/// a missing transfer mechanism, an EU subject without the opt-in …). The engine knows
/// what they decide, never what they cite: the policy file declares the clause and the
/// requirement ids of each with `[[builtin]]` (see [`BUILTINS`]).
/// Their index in the rule table is their discriminant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u16)]
pub enum Builtin {
    /// An unknown category (fails closed).
    UnregisteredCategory,
    /// No or an unknown purpose.
    NoPurpose,
    /// An unknown recipient, or no categories to disclose.
    NoRecipientRule,
    /// An unregistered tracker.
    UnknownTracker,
    /// An unknown source, or a source that may not provide the category.
    UnknownSource,
    /// Restricted processing (GDPR Art. 18).
    Restricted,
    /// Data retained only under a deletion exception.
    Retained,
    /// Past the retention deadline.
    RetentionExpired,
    /// A disclosure to an authority without a legal request record.
    LegalRecord,
    /// A legal request without a good-faith review.
    LegalReview,
    /// Categories outside the legal instrument's scope.
    LegalScope,
    /// A known minor's data sold or shared without authorization (CCPA).
    Minor,
    /// A child below the digital age of consent (GDPR Art. 8).
    ChildGdpr,
    /// A use that needs a justification record.
    Justification,
    /// A protection purpose serving a commercial recipient.
    CommercialUse,
    /// No executed contract in force, or a missing base clause.
    Contract,
    /// A CCPA service-provider clause missing.
    ContractCcpa,
    /// A GDPR Art. 28(3) clause missing.
    ContractGdpr,
    /// A third-party (sale, share, onward transfer) clause missing.
    ContractThirdParty,
    /// A marketing partner without a vetting record.
    Vetting,
    /// No valid transfer mechanism for EU data.
    Transfer,
    /// An Art. 21(1) objection.
    Objection,
    /// An objection to direct marketing.
    DirectMarketingObjection,
    /// An EU subject who has not opted in.
    EuOptIn,
    /// An opt-out of sale or sharing (or GPC).
    DoNotSell,
    /// A Nevada no-sale request.
    NevadaNoSale,
    /// An opt-out of sharing with third parties for their own use.
    ThirdPartySharingOptOut,
    /// A marketing opt-out.
    Marketing,
    /// Promotions held until the change-of-control prompt is delivered.
    ChangeOfControl,
    /// A disclosure to a carrier the account holder did not select.
    CarrierSelection,
    /// A disclosure to an acquirer without a business-transfer event.
    BusinessTransfer,
    /// A disclosure to a third party the subject did not consent to.
    ConsentedThirdParty,
    /// An integration without an active link and consent.
    Integration,
    /// No legal basis for an EU subject.
    LegalBasis,
    /// Sensitive data limited by the subject (CCPA).
    LimitSpi,
    /// A transactional or policy-change message.
    Transactional,
    /// A marketing e-mail without an unsubscribe link.
    Unsubscribe,
    /// A commercial e-mail without a postal address (CAN-SPAM).
    CanSpam,
    /// A transactional template with promotional content.
    MixedContent,
    /// Marketing texts or calls without prior express written consent (TCPA).
    Tcpa,
    /// A strictly necessary tracker.
    StrictlyNecessary,
    /// A tracker without the EU consent it needs (ePrivacy).
    CookieConsent,
    /// A tracker category opted out of.
    CookieOptOut,
    /// Location data while location services are off.
    Location,
    /// Customers' customers' data without the customer undertaking.
    Undertaking,
    /// A category this policy version does not disclose.
    NotDisclosed,
    /// A purpose declared at collection that the category or source does not allow.
    CollectPurpose,
    /// An administrator acting on an account's data.
    Admin,
    /// Someone other than the subject acting on the subject's choices or requests.
    AdminChoices,
    /// A staff role reading a category.
    StaffRole,
    /// A support follow-up tied to a ticket, when the policy has no `support_followup` purpose.
    SupportFollowup,
    /// A use not compatible with the purposes declared at collection.
    Compatibility,
    /// A purpose that needs the subject's individual consent.
    PurposeConsent,
    /// A purpose or recipient a later policy version added for data collected before it,
    /// without the notice (and, where needed, the fresh consent) it needs (CHG-03).
    PolicyChange,
}

/// When the policy must cite a built-in decision: always, only when the policy has the
/// feature that reaches it, or never (a citation of the law is the engine's default).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CiteRule {
    /// Every policy can reach it: the policy must cite it.
    Always,
    /// Reached only through a feature of the policy (named here for the diagnostic).
    When(&'static str),
    /// It rests on the law; this is the default clause, without requirement ids.
    Law(&'static str),
}

/// Every built-in decision: its id in `[[builtin]]`, what it decides, and when the policy
/// must cite it. Citations of the law name no company; everything else comes from the file.
pub const BUILTINS: &[(Builtin, &str, &str, CiteRule)] = &[
    (
        Builtin::UnregisteredCategory,
        "unregistered_category",
        "an unknown category",
        CiteRule::Always,
    ),
    (
        Builtin::NoPurpose,
        "no_purpose",
        "no or an unknown purpose",
        CiteRule::Always,
    ),
    (
        Builtin::NoRecipientRule,
        "no_recipient_rule",
        "an unknown recipient, or nothing to disclose",
        CiteRule::Always,
    ),
    (
        Builtin::UnknownTracker,
        "unknown_tracker",
        "an unregistered tracker",
        CiteRule::Always,
    ),
    (
        Builtin::UnknownSource,
        "unknown_source",
        "an unknown source, or one that may not provide the category",
        CiteRule::Always,
    ),
    (
        Builtin::Restricted,
        "restricted",
        "restricted processing",
        CiteRule::Law("law: GDPR Art. 18"),
    ),
    (
        Builtin::Retained,
        "retained",
        "data retained only under a deletion exception",
        CiteRule::Law("law: Cal. Civ. Code §1798.105(d); 11 CCR §7022"),
    ),
    (
        Builtin::RetentionExpired,
        "retention_expired",
        "data past its retention deadline",
        CiteRule::Law("law: GDPR Art. 5(1)(e)"),
    ),
    (
        Builtin::LegalRecord,
        "legal_record",
        "a disclosure to an authority without a legal request record",
        CiteRule::When("a `legal_authority` recipient or one that `requires = \"legal_request\"`"),
    ),
    (
        Builtin::LegalReview,
        "legal_review",
        "a legal request without a good-faith review",
        CiteRule::When("a `legal_authority` recipient or one that `requires = \"legal_request\"`"),
    ),
    (
        Builtin::LegalScope,
        "legal_scope",
        "categories outside the legal instrument's scope",
        CiteRule::When("a `legal_authority` recipient or one that `requires = \"legal_request\"`"),
    ),
    (
        Builtin::Minor,
        "minor",
        "a known minor's data sold or shared without authorization",
        CiteRule::Law("law: Cal. Civ. Code §1798.120(c)-(d)"),
    ),
    (
        Builtin::ChildGdpr,
        "child_gdpr",
        "a child below the digital age of consent",
        CiteRule::Law("law: GDPR Art. 8"),
    ),
    (
        Builtin::Justification,
        "justification",
        "a use without the justification record it needs",
        CiteRule::When(
            "a purpose with `requires_justification` or a recipient that `requires = \"protection_case\"`",
        ),
    ),
    (
        Builtin::CommercialUse,
        "commercial_use",
        "a protection purpose serving a commercial recipient",
        CiteRule::When("a `protection` purpose"),
    ),
    (
        Builtin::Contract,
        "contract",
        "no executed contract in force, or a missing base clause",
        CiteRule::When("a recipient that needs a contract"),
    ),
    (
        Builtin::ContractCcpa,
        "contract_ccpa",
        "a missing CCPA service-provider clause",
        CiteRule::Law("law: Cal. Civ. Code §1798.100(d); 11 CCR §7051"),
    ),
    (
        Builtin::ContractGdpr,
        "contract_gdpr",
        "a missing GDPR Art. 28(3) clause",
        CiteRule::Law("law: GDPR Art. 28(3)"),
    ),
    (
        Builtin::ContractThirdParty,
        "contract_third_party",
        "a missing third-party or onward-transfer clause",
        CiteRule::Law("law: Cal. Civ. Code §1798.100(d); DPF Onward Transfer"),
    ),
    (
        Builtin::Vetting,
        "vetting",
        "a marketing partner without a vetting record",
        CiteRule::When("a `marketing_partner` recipient"),
    ),
    (
        Builtin::Transfer,
        "transfer",
        "no valid transfer mechanism for EU data",
        CiteRule::Law("law: GDPR Arts. 44-46, 49; EU-U.S. DPF"),
    ),
    (
        Builtin::Objection,
        "objection",
        "an objection under GDPR Art. 21(1)",
        CiteRule::Law("law: GDPR Art. 21(1)"),
    ),
    (
        Builtin::DirectMarketingObjection,
        "direct_marketing_objection",
        "an objection to direct marketing",
        CiteRule::Law("law: GDPR Art. 21(2)-(3)"),
    ),
    (
        Builtin::EuOptIn,
        "eu_opt_in",
        "an EU subject who has not opted in",
        CiteRule::When(
            "a marketing, third-party sharing or sync purpose, or an integration recipient",
        ),
    ),
    (
        Builtin::DoNotSell,
        "do_not_sell",
        "an opt-out of sale or sharing, or a GPC signal",
        CiteRule::When("a sale or share purpose or recipient, or one with `own_use`"),
    ),
    (
        Builtin::NevadaNoSale,
        "nevada_no_sale",
        "a Nevada no-sale request",
        CiteRule::Law("law: NRS 603A.345"),
    ),
    (
        Builtin::ThirdPartySharingOptOut,
        "third_party_sharing_opt_out",
        "an opt-out of sharing with third parties for their own use",
        CiteRule::When(
            "a recipient with `own_use`, a `marketing_partner`, or a `third_party_sharing` purpose",
        ),
    ),
    (
        Builtin::Marketing,
        "marketing",
        "a marketing opt-out",
        CiteRule::When("a marketing purpose"),
    ),
    (
        Builtin::ChangeOfControl,
        "change_of_control",
        "promotions held until the change-of-control prompt is delivered",
        CiteRule::When("a marketing purpose"),
    ),
    (
        Builtin::CarrierSelection,
        "carrier_selection",
        "a carrier the account holder did not select",
        CiteRule::When("a recipient that `requires = \"carrier_selection\"`"),
    ),
    (
        Builtin::BusinessTransfer,
        "business_transfer",
        "an acquirer without a business-transfer event",
        CiteRule::When("a recipient that `requires = \"business_transfer\"`"),
    ),
    (
        Builtin::ConsentedThirdParty,
        "consented_third_party",
        "a third party the subject did not consent to",
        CiteRule::When("a recipient that `requires = \"consent\"`"),
    ),
    (
        Builtin::Integration,
        "integration",
        "an integration without an active link and consent",
        CiteRule::When("an integration source, an integration recipient or a `sync` purpose"),
    ),
    (
        Builtin::LegalBasis,
        "legal_basis",
        "no legal basis for an EU subject",
        CiteRule::Law("law: GDPR Art. 6"),
    ),
    (
        Builtin::LimitSpi,
        "limit_spi",
        "sensitive data limited by the subject",
        CiteRule::Law("law: Cal. Civ. Code §1798.121"),
    ),
    (
        Builtin::Transactional,
        "transactional",
        "a transactional or policy-change message",
        CiteRule::Always,
    ),
    (
        Builtin::Unsubscribe,
        "unsubscribe",
        "a marketing e-mail without an unsubscribe link",
        CiteRule::Always,
    ),
    (
        Builtin::CanSpam,
        "can_spam",
        "a commercial e-mail without a postal address",
        CiteRule::Law("law: 15 U.S.C. 7704(a)(5)"),
    ),
    (
        Builtin::MixedContent,
        "mixed_content",
        "a transactional template with promotional content",
        CiteRule::Law("law: 16 CFR 316.3"),
    ),
    (
        Builtin::Tcpa,
        "tcpa",
        "marketing texts or calls without prior express written consent",
        CiteRule::Law("law: 47 CFR 64.1200"),
    ),
    (
        Builtin::StrictlyNecessary,
        "strictly_necessary",
        "a strictly necessary tracker",
        CiteRule::When("a `strictly_necessary` tracker"),
    ),
    (
        Builtin::CookieConsent,
        "cookie_consent",
        "a tracker without the consent it needs",
        CiteRule::Law("law: ePrivacy Directive Art. 5(3)"),
    ),
    (
        Builtin::CookieOptOut,
        "cookie_opt_out",
        "a tracker category opted out of",
        CiteRule::When("a tracker that is not strictly necessary, or a `cookie:` purpose"),
    ),
    (
        Builtin::Location,
        "location",
        "location data while location services are off",
        CiteRule::When("a `device` source or a `location` purpose"),
    ),
    (
        Builtin::Undertaking,
        "undertaking",
        "customers' customers' data without the customer undertaking",
        CiteRule::When("a `customer` source"),
    ),
    (
        Builtin::NotDisclosed,
        "not_disclosed",
        "a category this policy version does not disclose",
        CiteRule::When("a category with `disclosed = false`"),
    ),
    (
        Builtin::CollectPurpose,
        "collect_purpose",
        "a purpose declared at collection that the category or source does not allow",
        CiteRule::Always,
    ),
    (
        Builtin::Admin,
        "admin",
        "an administrator acting on an account's data",
        CiteRule::Always,
    ),
    (
        Builtin::AdminChoices,
        "admin_choices",
        "someone other than the subject acting on the subject's choices or requests",
        CiteRule::Law("law: Cal. Civ. Code §1798.130(a)(3); 11 CCR §7063"),
    ),
    (
        Builtin::StaffRole,
        "staff_role",
        "a staff role reading a category",
        CiteRule::Law("law: GDPR Art. 32"),
    ),
    (
        Builtin::SupportFollowup,
        "support_followup",
        "a support follow-up tied to a ticket",
        CiteRule::When("no `support_followup` purpose"),
    ),
    (
        Builtin::Compatibility,
        "compatibility",
        "a use not compatible with the purposes declared at collection",
        CiteRule::Always,
    ),
    (
        Builtin::PurposeConsent,
        "purpose_consent",
        "a purpose that needs the subject's individual consent",
        CiteRule::Law("law: GDPR Arts. 6(1)(a), 7"),
    ),
    (
        Builtin::PolicyChange,
        "policy_change",
        "a use a later policy version added for earlier data, before notice or fresh consent",
        CiteRule::Law("law: GDPR Arts. 13(3), 6(4); Cal. Civ. Code §1798.100(a)(1)"),
    ),
];

impl Builtin {
    pub(crate) fn rule(self) -> RuleId {
        RuleId(self as u16)
    }

    /// The id of this built-in decision in `[[builtin]]`.
    #[must_use]
    pub fn id(self) -> &'static str {
        BUILTINS
            .iter()
            .find(|(b, ..)| *b == self)
            .map_or("", |(_, id, ..)| id)
    }
}

/// GDPR Art. 6 bases.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GdprBasis {
    /// Art. 6(1)(b).
    Contract,
    /// Art. 6(1)(c).
    LegalObligation,
    /// Art. 6(1)(f).
    LegitimateInterests,
    /// Art. 6(1)(a).
    Consent,
    /// Art. 6(1)(d).
    VitalInterests,
    /// Art. 6(1)(e).
    PublicTask,
}

impl GdprBasis {
    pub(crate) fn parse(s: &str) -> Option<GdprBasis> {
        Some(match s {
            "contract" => GdprBasis::Contract,
            "legal_obligation" => GdprBasis::LegalObligation,
            "legitimate_interests" => GdprBasis::LegitimateInterests,
            "consent" => GdprBasis::Consent,
            "vital_interests" => GdprBasis::VitalInterests,
            "public_task" => GdprBasis::PublicTask,
            _ => return None,
        })
    }
    /// Wire name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            GdprBasis::Contract => "contract",
            GdprBasis::LegalObligation => "legal_obligation",
            GdprBasis::LegitimateInterests => "legitimate_interests",
            GdprBasis::Consent => "consent",
            GdprBasis::VitalInterests => "vital_interests",
            GdprBasis::PublicTask => "public_task",
        }
    }
}

/// Consent model in one region.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ConsentModel {
    /// Nothing to ask (strictly necessary, contract, legal obligation).
    None,
    /// Allowed until the subject opts out.
    OptOut,
    /// Allowed only after the subject opts in.
    OptIn,
}

/// The choice that governs a purpose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChoiceKind {
    /// The controller's own marketing (per channel).
    MarketingFirstParty,
    /// Offers for third-party products (per channel).
    MarketingThirdPartyOffers,
    /// Sharing with third parties for their own marketing.
    ThirdPartySharing,
    /// Integration data exchange (per partner).
    Sync,
    /// Location services.
    Location,
    /// A cookie category.
    Cookie(TrackerCategory),
}

/// What the engine does with the recipients of a class (SHARE-03).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ClassKind {
    /// Service provider (SP-*): a processor.
    ServiceProvider,
    /// CCPA contractor: a processor.
    Contractor,
    /// A carrier the account holder selects.
    Carrier,
    /// A company under common ownership or control (a control relationship is required, DEF-03).
    Affiliate,
    /// A marketing partner mailing promotions (postal only, vetted, under contract: MP-01, MP-03).
    MarketingPartner,
    /// Fraud and credit-risk exchange.
    FraudExchange,
    /// Courts, law enforcement, government: the legal-request path (LEGALREQ-01).
    LegalAuthority,
    /// A synced third-party service.
    IntegrationPartner,
    /// An acquirer in a change of control.
    Acquirer,
    /// A third party the subject consented to.
    ConsentedThirdParty,
    /// A class the policy declares with `[[recipient_class]]`; the engine treats it by its
    /// `processor` flag only.
    Declared,
}

impl ClassKind {
    /// The engine's own classes, with their ids and how the notice names them by default.
    pub const BUILT_IN: [(ClassKind, &'static str, &'static str); 10] = [
        (
            ClassKind::ServiceProvider,
            "service_provider",
            "Third party service providers",
        ),
        (
            ClassKind::Contractor,
            "contractor",
            "Third party service providers",
        ),
        (ClassKind::Carrier, "carrier", "Carriers you select"),
        (
            ClassKind::Affiliate,
            "affiliate",
            "Our affiliates (companies under common ownership or control)",
        ),
        (
            ClassKind::MarketingPartner,
            "marketing_partner",
            "Carefully selected third parties that mail promotional materials",
        ),
        (
            ClassKind::FraudExchange,
            "fraud_exchange",
            "Fraud protection and credit risk exchanges",
        ),
        (
            ClassKind::LegalAuthority,
            "legal_authority",
            "Courts, law enforcement and other government bodies",
        ),
        (
            ClassKind::IntegrationPartner,
            "integration_partner",
            "Third-party services you sync, link or connect",
        ),
        (
            ClassKind::Acquirer,
            "acquirer",
            "An acquirer, if we sell, merge or transfer part of our business",
        ),
        (
            ClassKind::ConsentedThirdParty,
            "consented_third_party",
            "Other third parties, with your consent",
        ),
    ];

    /// Members need a service-provider contract (SP-03).
    #[must_use]
    pub fn is_processor(self) -> bool {
        matches!(self, ClassKind::ServiceProvider | ClassKind::Contractor)
    }

    /// Members keep what they receive under their own legal obligation (authorities).
    #[must_use]
    pub fn keeps_own_records(self) -> bool {
        matches!(self, ClassKind::LegalAuthority)
    }
}

/// Upper bound on recipient classes (the engine's and the policy's together).
pub const MAX_CLASSES: usize = 64;

/// A recipient's class: one of the engine's classes or one the policy declares.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RecipientClass {
    pub(crate) index: u8,
    pub(crate) kind: ClassKind,
    pub(crate) processor: bool,
    pub(crate) keeps_own_records: bool,
    pub(crate) key: String,
}

impl RecipientClass {
    /// The class id as written in the policy (`service_provider`, or a declared class).
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.key
    }

    /// What the engine does with it.
    #[must_use]
    pub fn kind(&self) -> ClassKind {
        self.kind
    }

    /// Processors that need a service-provider contract (SP-03).
    #[must_use]
    pub fn is_processor(&self) -> bool {
        self.processor
    }

    /// Its recipients keep what they receive under their own legal obligation (an authority,
    /// a regulator's statutory records): erasures are not passed on to them.
    #[must_use]
    pub fn keeps_own_records(&self) -> bool {
        self.keeps_own_records
    }

    /// The dense index of this class inside its engine.
    #[must_use]
    pub fn index(&self) -> usize {
        usize::from(self.index)
    }
}

/// A recipient class, compiled: the engine's own and the policy's.
#[derive(Debug, Clone)]
pub struct ClassInfo {
    /// The class.
    pub class: RecipientClass,
    /// How the notice names its recipients.
    pub name: String,
    /// The rule of its `[[recipient_class]]` entry, if the policy has one.
    pub rule: Option<RuleId>,
}

/// A set of recipient classes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct ClassSet(pub(crate) u64);

impl ClassSet {
    pub(crate) fn insert(&mut self, c: &RecipientClass) {
        self.0 |= 1 << c.index;
    }
    /// Membership.
    #[must_use]
    pub fn contains(&self, c: &RecipientClass) -> bool {
        self.0 & (1 << c.index) != 0
    }
}

/// Contract clauses Steward knows (SP-03, GDPR-26, CCPA-27, CCPA-28, DPF-07).
pub const CLAUSES: [&str; 22] = [
    // SP-03: the policy's own promise
    "confidentiality",
    "on_behalf_only",
    "instructions_only",
    "no_other_purposes",
    // GDPR-26: Art. 28(3)
    "security",
    "subprocessors",
    "dsr_assist",
    "art32_36_assist",
    "delete_return",
    "audit",
    // CCPA-27: service providers and contractors
    "no_sell_share",
    "purpose_limited",
    "no_outside_relationship",
    "no_combine",
    "comply",
    "audit_rights",
    "notify_noncompliance",
    "remediation",
    // DPF-07: onward transfer to third-party controllers
    "dpf_equivalent_protection",
    // CCPA-28: third parties receiving PI in a sale or share
    "no_resale_without_notice",
    // SYNC-04: partner deletes on unlink
    "delete_on_unlink",
    // CARRIER-06: carrier terms accepted
    "carrier_terms",
];

const fn str_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// The clause bits of a set of names, at compile time.
pub(crate) const fn clause_mask(names: &[&str]) -> u32 {
    let mut m = 0u32;
    let mut i = 0;
    while i < names.len() {
        let mut j = 0;
        while j < CLAUSES.len() {
            if str_eq(names[i], CLAUSES[j]) {
                m |= 1 << j;
            }
            j += 1;
        }
        i += 1;
    }
    m
}

pub(crate) fn clause_bits(names: &[&str]) -> u32 {
    names
        .iter()
        .filter_map(|n| CLAUSES.iter().position(|c| c == n))
        .fold(0, |acc, i| acc | (1 << i))
}

pub(crate) const SP_BASE: [&str; 4] = [
    "confidentiality",
    "on_behalf_only",
    "instructions_only",
    "no_other_purposes",
];
pub(crate) const GDPR_28: [&str; 8] = [
    "instructions_only",
    "confidentiality",
    "security",
    "subprocessors",
    "dsr_assist",
    "art32_36_assist",
    "delete_return",
    "audit",
];
pub(crate) const CCPA_SP: [&str; 8] = [
    "no_sell_share",
    "purpose_limited",
    "no_outside_relationship",
    "no_combine",
    "comply",
    "audit_rights",
    "notify_noncompliance",
    "remediation",
];
pub(crate) const CCPA_TP: [&str; 3] = ["purpose_limited", "comply", "audit_rights"];
pub(crate) const DPF_ONWARD: [&str; 1] = ["dpf_equivalent_protection"];
pub(crate) const SP_BASE_MASK: u32 = clause_mask(&SP_BASE);
pub(crate) const GDPR_28_MASK: u32 = clause_mask(&GDPR_28);
pub(crate) const CCPA_SP_MASK: u32 = clause_mask(&CCPA_SP);
pub(crate) const CCPA_TP_MASK: u32 = clause_mask(&CCPA_TP);
pub(crate) const DPF_ONWARD_MASK: u32 = clause_mask(&DPF_ONWARD);

/// An executed contract, compiled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ContractInfo {
    /// Clause bits over [`CLAUSES`].
    pub clauses: u32,
    /// First instant it is in force.
    pub effective: Timestamp,
    /// First instant it is no longer in force.
    pub expires: Option<Timestamp>,
}

/// Transfer mechanism kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mechanism {
    /// EU-U.S. Data Privacy Framework.
    Dpf,
    /// UK Extension to the DPF.
    DpfUk,
    /// Swiss-U.S. DPF.
    DpfSwiss,
    /// Standard contractual clauses.
    Scc,
    /// Privacy Shield (invalid after 2020-07-16).
    PrivacyShield,
    /// An Art. 49 derogation.
    Derogation49,
}

/// A transfer mechanism, compiled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TransferInfo {
    /// Kind.
    pub mechanism: Mechanism,
    /// First instant it no longer applies.
    pub until: Option<Timestamp>,
    /// Transfer impact assessment done (SCC).
    pub tia_done: bool,
}

/// What a recipient needs before any disclosure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Precondition {
    /// A carrier selection for the shipment (CARRIER-01).
    CarrierSelection,
    /// An active integration link with consent (SYNC-01).
    IntegrationLink,
    /// A business-transfer event (BIZ-01).
    BusinessTransfer,
    /// A legal request record (LEGALREQ-01).
    LegalRequest,
    /// A protection case (PROT-01).
    ProtectionCase,
    /// The subject's consent to this recipient (CONS-01).
    Consent,
}

/// A category, compiled.
#[derive(Debug, Clone)]
pub struct CategoryInfo {
    /// Id as written.
    pub key: String,
    /// Human name.
    pub name: String,
    /// Family.
    pub family: String,
    /// CCPA letters.
    pub ccpa: Vec<String>,
    /// Sensitive PI (CCPA-03).
    pub spi: bool,
    /// Nevada covered.
    pub nv_covered: bool,
    /// Portable (GDPR-19).
    pub portable: bool,
    /// Fides key.
    pub fides: String,
    /// Disclosed in this version (COLL-03).
    pub disclosed: bool,
    /// Raw values forbidden (`pan`).
    pub forbid_raw: Option<String>,
    /// Withheld from specific-pieces reports (CCPA-38).
    pub withhold_in_reports: bool,
    /// Marketing channels this category reaches (bit per [`crate::facts::Channel`]).
    pub channels: u8,
    /// Pseudonymize before storage (IPPS-01).
    pub pseudonymize: bool,
    /// Retention period; `None` is indefinite.
    pub retention: Option<jiff::Span>,
    /// Retention as written.
    pub retention_text: String,
    /// Retention trigger.
    pub retention_trigger: String,
    /// Retention basis.
    pub retention_basis: String,
    /// Retention citation.
    pub retention_citation: String,
    /// Rule.
    pub rule: RuleId,
}

/// A purpose, compiled.
#[derive(Debug, Clone)]
pub struct PurposeInfo {
    /// Id as written.
    pub key: String,
    /// Human name.
    pub name: String,
    /// Categories it may use.
    pub categories: CategorySet,
    /// GDPR basis.
    pub gdpr: Option<GdprBasis>,
    /// CCPA classification.
    pub ccpa: Option<String>,
    /// Consent model `[eu, us, other]`.
    pub consent: [ConsentModel; 3],
    /// Governing choice.
    pub choice: Option<ChoiceKind>,
    /// Direct marketing.
    pub marketing: bool,
    /// A sale.
    pub sale: bool,
    /// A share.
    pub share: bool,
    /// Marketing profiling.
    pub profiling: bool,
    /// Objectable under Art. 21(1).
    pub objectable: bool,
    /// Needs a justification record.
    pub requires_justification: bool,
    /// Protection purpose.
    pub protection: bool,
    /// Allowed under restriction.
    pub restriction_exempt: bool,
    /// Legal purpose.
    pub legal: bool,
    /// Aggregate outputs.
    pub aggregate: bool,
    /// Coarsen precise location (feet).
    pub coarsen_ft: u32,
    /// Compatible purposes (PUR-13), including itself.
    pub compatible: PurposeSet,
    /// Sub-purposes (USPS-08).
    pub sub_purposes: Vec<String>,
    /// Authority (USPS-08).
    pub authority: Option<String>,
    /// Necessity statement (SYNC-06).
    pub necessity: Option<String>,
    /// Rule.
    pub rule: RuleId,
}

/// A recipient, compiled.
#[derive(Debug, Clone)]
pub struct RecipientInfo {
    /// Id as written.
    pub key: String,
    /// Name.
    pub name: String,
    /// Class.
    pub class: RecipientClass,
    /// Function ids.
    pub functions: Vec<String>,
    /// CCPA role.
    pub ccpa_role: Option<String>,
    /// Role toward the subject.
    pub role: Option<String>,
    /// Purposes it may receive data for.
    pub purposes: PurposeSet,
    /// Categories it may receive.
    pub categories: CategorySet,
    /// Categories never sent to it.
    pub excluded: CategorySet,
    /// Sale.
    pub sale: bool,
    /// Share (CCBA).
    pub share: bool,
    /// CCBA vendor.
    pub ccba: bool,
    /// Own commercial use.
    pub own_use: bool,
    /// Nevada monetary consideration.
    pub nv_monetary: bool,
    /// Channels (bit per [`crate::facts::Channel`]).
    pub channels: u8,
    /// Country.
    pub country: [u8; 2],
    /// Transfer mechanisms.
    pub transfers: Vec<TransferInfo>,
    /// Contract.
    pub contract: Option<ContractInfo>,
    /// Contract id as written.
    pub contract_id: Option<String>,
    /// Vetted (MP-03).
    pub vetted: bool,
    /// Control relationship (affiliates).
    pub control: Option<String>,
    /// Precondition.
    pub requires: Option<Precondition>,
    /// Privacy policy URL.
    pub policy_url: Option<String>,
    /// Disclosure practice.
    pub disclosure_practice: Option<String>,
    /// Legacy USP partner.
    pub legacy_usp: bool,
    /// Parent (sub-processor).
    pub parent: Option<RecipientId>,
    /// Rule.
    pub rule: RuleId,
}

/// A tracker, compiled.
#[derive(Debug, Clone)]
pub struct TrackerInfo {
    /// Id as written.
    pub key: String,
    /// Cookie name.
    pub name: String,
    /// Category.
    pub category: TrackerCategory,
    /// Purpose.
    pub purpose: PurposeId,
    /// Third party.
    pub third_party: bool,
    /// Vendor.
    pub vendor: Option<RecipientId>,
    /// Duration as written.
    pub duration: String,
    /// Third-party access.
    pub third_party_access: bool,
    /// CCBA share.
    pub ccba_share: bool,
    /// Description.
    pub description: String,
    /// Rule.
    pub rule: RuleId,
}

/// Source kinds (SRC-*).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SourceKind {
    /// From the subject.
    Direct,
    /// Collected automatically (usage data, cookies).
    Automatic,
    /// A synced third-party account.
    Integration,
    /// A service provider supplementing data.
    Enrichment,
    /// A commercial data source.
    Commercial,
    /// A business partner that provides data about the subject (a postal operator's scans,
    /// a marketplace's orders); for EU subjects it brings the Art. 14 notice (GDPR-13).
    Partner,
    /// The device (location services).
    Device,
    /// The account holder (customer's customers).
    Customer,
    /// Internal HR or procurement systems.
    Staff,
}

impl SourceKind {
    pub(crate) fn parse(s: &str) -> Option<SourceKind> {
        Some(match s {
            "direct" => SourceKind::Direct,
            "automatic" => SourceKind::Automatic,
            "integration" => SourceKind::Integration,
            "enrichment" => SourceKind::Enrichment,
            "commercial" => SourceKind::Commercial,
            "partner" => SourceKind::Partner,
            "device" => SourceKind::Device,
            "customer" => SourceKind::Customer,
            "staff" => SourceKind::Staff,
            _ => return None,
        })
    }
    /// Wire name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::Direct => "direct",
            SourceKind::Automatic => "automatic",
            SourceKind::Integration => "integration",
            SourceKind::Enrichment => "enrichment",
            SourceKind::Commercial => "commercial",
            SourceKind::Partner => "partner",
            SourceKind::Device => "device",
            SourceKind::Customer => "customer",
            SourceKind::Staff => "staff",
        }
    }
}

/// A source, compiled.
#[derive(Debug, Clone)]
pub struct SourceInfo {
    /// Id as written.
    pub key: String,
    /// Kind.
    pub kind: SourceKind,
    /// Human name.
    pub name: String,
    /// Categories it may provide.
    pub categories: CategorySet,
    /// Purposes a collection may declare (empty = any the category allows).
    pub purposes: PurposeSet,
    /// Rule.
    pub rule: RuleId,
}

/// A lock, compiled.
#[derive(Debug, Clone)]
pub struct LockInfo {
    /// Id as written.
    pub key: String,
    /// Locked categories.
    pub categories: CategorySet,
    /// Locked sources: data collected from them carries the lock.
    pub sources: SourceSet,
    /// Allowed purposes.
    pub purposes: PurposeSet,
    /// Allowed recipient classes.
    pub classes: ClassSet,
    /// Allowed recipients (in addition to the classes).
    pub recipients: RecipientSet,
    /// Applies to use.
    pub on_use: bool,
    /// Applies to disclosure.
    pub on_disclose: bool,
    /// The reason code a violation reports (`PURPOSE_LOCK` unless the policy names its own).
    pub code: String,
    /// The policy named its own code: `detail` names the locked category instead of the lock.
    pub own_code: bool,
    /// Legal compulsion passes it.
    pub legal_compulsion_passes: bool,
    /// Rule.
    pub rule: RuleId,
}

/// An agreement, compiled (CUST-01, USPSPA-01, CARRIER-02).
#[derive(Debug, Clone)]
pub struct AgreementInfo {
    /// Id as written: the key acceptances are recorded under.
    pub key: String,
    /// Display name.
    pub name: String,
    /// The current text version.
    pub version: String,
    /// Versions whose acceptance counts: the current one first, then the earlier ones the
    /// policy still honours.
    pub accepted_versions: Vec<String>,
    /// The text, verbatim.
    pub text: Option<String>,
    /// SHA-256 (hex) of the text, when there is one (USPSPA-01).
    pub text_sha256: Option<String>,
    /// Gated sources (collections).
    pub sources: SourceSet,
    /// Gated purposes (uses, disclosures, collections declaring them).
    pub purposes: PurposeSet,
    /// Gated recipients (disclosures).
    pub recipients: RecipientSet,
    /// Gated recipient classes (disclosures).
    pub classes: ClassSet,
    /// The reason code a missing acceptance reports.
    pub code: String,
    /// Rule.
    pub rule: RuleId,
}

impl AgreementInfo {
    /// Whether an acceptance of `version` counts under this policy.
    #[must_use]
    pub fn accepts(&self, version: &str) -> bool {
        self.accepted_versions.iter().any(|v| v == version)
    }
}

/// Required data, compiled (USPS-07): the categories a subject must have provided before
/// the gated purposes are served.
#[derive(Debug, Clone)]
pub struct RequiredDataInfo {
    /// Id as written.
    pub key: String,
    /// Display name.
    pub name: String,
    /// The categories that must have been provided (all of them).
    pub categories: CategorySet,
    /// Gated purposes (uses and disclosures).
    pub purposes: PurposeSet,
    /// The reason code a refusal reports.
    pub code: String,
    /// Rule.
    pub rule: RuleId,
}

/// A jurisdiction rule, compiled.
#[derive(Debug, Clone)]
pub struct JurisdictionRuleInfo {
    /// Jurisdiction as written (country or country-region).
    pub jurisdiction: String,
    /// Class.
    pub class: RecipientClass,
    /// Categories.
    pub categories: CategorySet,
    /// Rule.
    pub rule: RuleId,
}

/// A staff role, compiled.
#[derive(Debug, Clone)]
pub struct RoleInfo {
    /// Id.
    pub key: String,
    /// Name.
    pub name: String,
    /// Readable categories.
    pub categories: CategorySet,
    /// Purposes.
    pub purposes: PurposeSet,
    /// Rule.
    pub rule: RuleId,
}

/// A 26×26 table of two-letter country codes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct CountryTable([u64; 11]);

impl CountryTable {
    fn index(c: [u8; 2]) -> Option<usize> {
        let a = c[0].checked_sub(b'A')? as usize;
        let b = c[1].checked_sub(b'A')? as usize;
        (a < 26 && b < 26).then_some(a * 26 + b)
    }
    pub(crate) fn insert(&mut self, c: [u8; 2]) {
        if let Some(i) = Self::index(c) {
            self.0[i / 64] |= 1 << (i % 64);
        }
    }
    #[inline]
    pub(crate) fn contains(&self, c: [u8; 2]) -> bool {
        Self::index(c).is_some_and(|i| self.0[i / 64] & (1 << (i % 64)) != 0)
    }
}

/// Settings, compiled.
#[derive(Debug, Clone)]
pub struct SettingsInfo {
    pub(crate) eu_like: CountryTable,
    pub(crate) adequate: CountryTable,
    pub(crate) gpc_all_us: bool,
    pub(crate) gpc_states: Vec<String>,
    /// Treat EU GPC as an Art. 21(5) objection.
    pub gpc_as_art21_5: bool,
    pub(crate) child_age: Vec<([u8; 2], u8)>,
    pub(crate) child_age_default: u8,
    /// TCPA written consent for SMS/phone marketing.
    pub sms_requires_consent: bool,
    /// k for aggregates.
    pub aggregate_k: u32,
    pub(crate) ps_invalid_after: Timestamp,
    pub(crate) dpf_from: Timestamp,
    pub(crate) dpf_invalidated_at: Option<Timestamp>,
}

/// Policy metadata, compiled.
#[derive(Debug, Clone)]
pub struct MetaInfo {
    /// Name.
    pub name: String,
    /// Version.
    pub version: String,
    /// Effective date.
    pub effective: Date,
    /// Controller.
    pub controller: String,
    /// The privacy contact (CONTACT-01), when the policy file names one: the contact point
    /// breach notices give (GDPR-31).
    pub privacy_contact: Option<String>,
}

/// Ids of the purposes `can_send` maps message kinds to, when the policy defines them.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct WellKnown {
    pub(crate) marketing_first_party: Option<PurposeId>,
    pub(crate) marketing_third_party_offers: Option<PurposeId>,
    pub(crate) support_followup: Option<PurposeId>,
}

/// The compiled engine.
#[derive(Debug, Clone)]
pub struct Engine {
    /// Metadata.
    pub meta: MetaInfo,
    /// Settings.
    pub settings: SettingsInfo,
    /// Categories by id.
    pub categories: Vec<CategoryInfo>,
    /// Purposes by id.
    pub purposes: Vec<PurposeInfo>,
    /// Recipients by id.
    pub recipients: Vec<RecipientInfo>,
    /// Trackers by id.
    pub trackers: Vec<TrackerInfo>,
    /// Sources by id.
    pub sources: Vec<SourceInfo>,
    /// Locks.
    pub locks: Vec<LockInfo>,
    /// Agreements.
    pub agreements: Vec<AgreementInfo>,
    /// Information that must have been provided before some purposes are served (USPS-07).
    pub required_data: Vec<RequiredDataInfo>,
    /// Recipient classes: the engine's own first, then the policy's.
    pub classes: Vec<ClassInfo>,
    /// Jurisdiction rules.
    pub jurisdiction_rules: Vec<JurisdictionRuleInfo>,
    /// Staff roles.
    pub roles: Vec<RoleInfo>,
    /// Rule table (builtins first).
    pub rules: Vec<Rule>,
    /// Category groups (id → members).
    pub groups: HashMap<String, CategorySet>,
    pub(crate) category_index: HashMap<String, CategoryId>,
    pub(crate) purpose_index: HashMap<String, PurposeId>,
    pub(crate) recipient_index: HashMap<String, RecipientId>,
    pub(crate) tracker_index: HashMap<String, TrackerId>,
    pub(crate) source_index: HashMap<String, SourceId>,
    pub(crate) role_index: HashMap<String, RoleId>,
    pub(crate) well_known: WellKnown,
    /// Locks that apply to uses, as one set of locked categories (fast path).
    pub(crate) use_locked: CategorySet,
    /// Locks that apply to disclosures (fast path).
    pub(crate) disclose_locked: CategorySet,
    /// Categories collected only from the device's location services: not used while the
    /// subject's location services are off (GEO-01, GEO-02).
    pub location_gated: CategorySet,
    /// Sources whose locks apply to uses (fast path).
    pub(crate) use_locked_sources: SourceSet,
    /// Sources whose locks apply to disclosures (fast path).
    pub(crate) disclose_locked_sources: SourceSet,
    /// Recipient classes by id.
    pub(crate) class_index: HashMap<String, u8>,
    /// The policy file this engine was compiled from (for rendering and diffs).
    pub file: PolicyFile,
    /// SHA-256 of the source text, hex (CHG-01).
    pub source_sha256: String,
}

impl Engine {
    /// Resolve a category name.
    #[must_use]
    pub fn category(&self, name: &str) -> Option<CategoryId> {
        self.category_index.get(name).copied()
    }
    /// Resolve a purpose name.
    #[must_use]
    pub fn purpose(&self, name: &str) -> Option<PurposeId> {
        self.purpose_index.get(name).copied()
    }
    /// Resolve a recipient name.
    #[must_use]
    pub fn recipient(&self, name: &str) -> Option<RecipientId> {
        self.recipient_index.get(name).copied()
    }
    /// Resolve a tracker name.
    #[must_use]
    pub fn tracker(&self, name: &str) -> Option<TrackerId> {
        self.tracker_index.get(name).copied()
    }
    /// Resolve a source name.
    #[must_use]
    pub fn source(&self, name: &str) -> Option<SourceId> {
        self.source_index.get(name).copied()
    }
    /// Resolve a staff role.
    #[must_use]
    pub fn role(&self, name: &str) -> Option<RoleId> {
        self.role_index.get(name).copied()
    }
    /// A category's record.
    #[must_use]
    pub fn category_info(&self, id: CategoryId) -> &CategoryInfo {
        &self.categories[id.index()]
    }
    /// A purpose's record.
    #[must_use]
    pub fn purpose_info(&self, id: PurposeId) -> &PurposeInfo {
        &self.purposes[id.index()]
    }
    /// A recipient's record.
    #[must_use]
    pub fn recipient_info(&self, id: RecipientId) -> &RecipientInfo {
        &self.recipients[id.index()]
    }
    /// A tracker's record.
    #[must_use]
    pub fn tracker_info(&self, id: TrackerId) -> &TrackerInfo {
        &self.trackers[id.index()]
    }
    /// A source's record.
    #[must_use]
    pub fn source_info(&self, id: SourceId) -> &SourceInfo {
        &self.sources[id.index()]
    }
    /// A rule's record.
    #[must_use]
    pub fn rule(&self, id: RuleId) -> &Rule {
        &self.rules[id.index()]
    }
    /// Resolve an agreement name.
    #[must_use]
    pub fn agreement(&self, name: &str) -> Option<AgreementId> {
        self.agreements
            .iter()
            .position(|a| a.key == name)
            .map(|i| AgreementId(i as u16))
    }
    /// An agreement's record.
    #[must_use]
    pub fn agreement_info(&self, id: AgreementId) -> &AgreementInfo {
        &self.agreements[id.index()]
    }
    /// The categories some `[[required_data]]` entry requires for this purpose (USPS-07):
    /// what a decision for it reads of the subject's provided categories.
    #[must_use]
    pub fn required_categories(&self, purpose: PurposeId) -> CategorySet {
        self.required_data
            .iter()
            .filter(|d| d.purposes.contains(purpose))
            .fold(CategorySet::empty(), |acc, d| acc.union(&d.categories))
    }
    /// The set of agreements accepted by these `(agreement, version)` records: a record
    /// counts when the policy names the agreement and honours the version.
    pub fn accepted_agreements<'a>(
        &self,
        records: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> AgreementSet {
        let mut set = AgreementSet::empty();
        for (name, version) in records {
            if let Some(id) = self.agreement(name)
                && self.agreements[id.index()].accepts(version)
            {
                set.insert(id);
            }
        }
        set
    }
    /// A lock's record.
    #[must_use]
    pub fn lock_info(&self, id: LockId) -> &LockInfo {
        &self.locks[id.index()]
    }
    /// Resolve a recipient class id (the engine's or one the policy declares).
    #[must_use]
    pub fn class(&self, name: &str) -> Option<&ClassInfo> {
        self.class_index
            .get(name)
            .and_then(|i| self.classes.get(usize::from(*i)))
    }
    /// How the notice names the recipients of a class.
    #[must_use]
    pub fn class_name(&self, c: &RecipientClass) -> &str {
        self.classes.get(c.index()).map_or("", |i| i.name.as_str())
    }
    /// The reason code a decision reports: [`crate::Reason::code`], except for a purpose
    /// lock, which reports the code its policy declares (`PURPOSE_LOCK` by default).
    #[must_use]
    pub fn reason_code<'e>(&'e self, d: &crate::Decision) -> &'e str {
        match d.reason {
            crate::Reason::PurposeLock => self
                .locks
                .iter()
                .find(|l| l.rule == d.rule)
                .map_or(crate::Reason::PurposeLock.code(), |l| l.code.as_str()),
            crate::Reason::AgreementRequired => self
                .agreements
                .iter()
                .find(|a| a.rule == d.rule)
                .map_or(crate::Reason::AgreementRequired.code(), |a| a.code.as_str()),
            crate::Reason::InformationNotProvided => self
                .required_data
                .iter()
                .find(|r| r.rule == d.rule)
                .map_or(crate::Reason::InformationNotProvided.code(), |r| {
                    r.code.as_str()
                }),
            r => r.code(),
        }
    }
    /// Every category id.
    pub fn category_ids(&self) -> impl Iterator<Item = CategoryId> {
        (0..self.categories.len()).map(|i| CategoryId(i as u16))
    }
    /// Every purpose id.
    pub fn purpose_ids(&self) -> impl Iterator<Item = PurposeId> {
        (0..self.purposes.len()).map(|i| PurposeId(i as u16))
    }
    /// Every recipient id.
    pub fn recipient_ids(&self) -> impl Iterator<Item = RecipientId> {
        (0..self.recipients.len()).map(|i| RecipientId(i as u16))
    }
    /// Every tracker id.
    pub fn tracker_ids(&self) -> impl Iterator<Item = TrackerId> {
        (0..self.trackers.len()).map(|i| TrackerId(i as u16))
    }
    /// Names of the categories in a set.
    #[must_use]
    pub fn category_names(&self, set: &CategorySet) -> Vec<&str> {
        set.iter()
            .map(|c| self.categories[c.index()].key.as_str())
            .collect()
    }
    /// Expand a category or group name.
    #[must_use]
    pub fn category_or_group(&self, name: &str) -> Option<CategorySet> {
        if let Some(c) = self.category(name) {
            let mut s = CategorySet::empty();
            s.insert(c);
            return Some(s);
        }
        self.groups.get(name).copied()
    }
}

#[cfg(test)]
mod mask_tests {
    use super::*;

    #[test]
    fn const_masks_match_the_runtime_lookup() {
        assert_eq!(SP_BASE_MASK, clause_bits(&SP_BASE));
        assert_eq!(GDPR_28_MASK, clause_bits(&GDPR_28));
        assert_eq!(CCPA_SP_MASK, clause_bits(&CCPA_SP));
        assert_eq!(CCPA_TP_MASK, clause_bits(&CCPA_TP));
        assert_eq!(DPF_ONWARD_MASK, clause_bits(&DPF_ONWARD));
        assert_eq!(SP_BASE_MASK.count_ones(), 4);
    }
}
