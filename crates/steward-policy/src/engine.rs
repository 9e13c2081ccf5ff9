//! The compiled engine: interned registries and decision tables.
//!
//! Built once by [`crate::load`] from a validated policy file; immutable and
//! `Send + Sync` afterwards, so one `Arc<Engine>` serves every thread.

use crate::facts::TrackerCategory;
use crate::ids::{
    CategoryId, CategorySet, PurposeId, PurposeSet, RecipientId, RoleId, RuleId, SourceId,
    TrackerId,
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

/// Built-in rules that come from law or from the evaluation order itself.
/// Their index in the rule table is their discriminant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u16)]
pub(crate) enum Builtin {
    UnregisteredCategory,
    NoPurpose,
    NoRecipientRule,
    UnknownTracker,
    UnknownSource,
    Restricted,
    Retained,
    RetentionExpired,
    LegalRecord,
    LegalReview,
    LegalScope,
    Minor,
    ChildGdpr,
    Justification,
    CommercialUse,
    Contract,
    ContractCcpa,
    ContractGdpr,
    ContractThirdParty,
    Vetting,
    Transfer,
    Objection,
    DirectMarketingObjection,
    EuOptIn,
    DoNotSell,
    NevadaNoSale,
    ThirdPartySharingOptOut,
    Marketing,
    ChangeOfControl,
    CarrierSelection,
    BusinessTransfer,
    ConsentedThirdParty,
    Integration,
    LegalBasis,
    LimitSpi,
    Transactional,
    Unsubscribe,
    CanSpam,
    MixedContent,
    Tcpa,
    StrictlyNecessary,
    CookieConsent,
    CookieOptOut,
    Location,
    Undertaking,
    NotDisclosed,
    CollectPurpose,
    Admin,
    AdminChoices,
    StaffRole,
    SupportFollowup,
    Compatibility,
    Derived,
    PurposeConsent,
}

pub(crate) const BUILTINS: &[(Builtin, &str, &[&str])] = &[
    (
        Builtin::UnregisteredCategory,
        "2(a) Types of Information We Collect",
        &["CAT-00"],
    ),
    (
        Builtin::NoPurpose,
        "2(c) How We Share Your Personal Information",
        &["PUR-19", "SHARE-01"],
    ),
    (
        Builtin::NoRecipientRule,
        "2(c) How We Share Your Personal Information",
        &["SHARE-01", "SHARE-03"],
    ),
    (
        Builtin::UnknownTracker,
        "3(c) Cookies and Other Tracking Technologies",
        &["COOKIE-01"],
    ),
    (
        Builtin::UnknownSource,
        "2(a) Types of Information We Collect",
        &["SRC-01", "SRC-02", "SRC-07"],
    ),
    (Builtin::Restricted, "law: GDPR Art. 18", &["GDPR-17"]),
    (
        Builtin::Retained,
        "law: Cal. Civ. Code §1798.105(d); 11 CCR §7022",
        &["CCPA-10", "CCPA-39"],
    ),
    (
        Builtin::RetentionExpired,
        "law: GDPR Art. 5(1)(e)",
        &["RET-02", "GDPR-33"],
    ),
    (
        Builtin::LegalRecord,
        "2(c) Response to Subpoenas and Other Legal Requests",
        &["LEGALREQ-01"],
    ),
    (
        Builtin::LegalReview,
        "2(c) Response to Subpoenas and Other Legal Requests",
        &["LEGALREQ-02"],
    ),
    (
        Builtin::LegalScope,
        "2(c) Response to Subpoenas and Other Legal Requests",
        &["LEGALREQ-03", "DEC-00"],
    ),
    (
        Builtin::Minor,
        "law: Cal. Civ. Code §1798.120(c)-(d)",
        &["CCPA-18", "COLL-07"],
    ),
    (Builtin::ChildGdpr, "law: GDPR Art. 8", &["GDPR-11"]),
    (
        Builtin::Justification,
        "2(c) Protection of Stamps.com and Others",
        &["PUR-12", "PROT-01"],
    ),
    (
        Builtin::CommercialUse,
        "2(c) Protection of Stamps.com and Others",
        &["PROT-03"],
    ),
    (
        Builtin::Contract,
        "2(c) Third Party Service Providers",
        &["SP-03", "SP-04", "SP-07", "SURVEY-04"],
    ),
    (
        Builtin::ContractCcpa,
        "law: Cal. Civ. Code §1798.100(d); 11 CCR §7051",
        &["CCPA-27"],
    ),
    (Builtin::ContractGdpr, "law: GDPR Art. 28(3)", &["GDPR-26"]),
    (
        Builtin::ContractThirdParty,
        "law: Cal. Civ. Code §1798.100(d); DPF Onward Transfer",
        &["CCPA-28", "DPF-07"],
    ),
    (
        Builtin::Vetting,
        "2(c) Sharing with Third Parties Generally",
        &["MP-03"],
    ),
    (
        Builtin::Transfer,
        "law: GDPR Arts. 44-46, 49; EU-U.S. DPF",
        &[
            "GDPR-32",
            "DPF-01",
            "DPF-02",
            "DPF-08",
            "DPF-09",
            "CONTACT-05",
            "AFF-06",
        ],
    ),
    (
        Builtin::Objection,
        "law: GDPR Art. 21(1)",
        &["GDPR-20", "PUR-10"],
    ),
    (
        Builtin::DirectMarketingObjection,
        "law: GDPR Art. 21(2)-(3)",
        &["GDPR-21"],
    ),
    (
        Builtin::EuOptIn,
        "2(c) Sharing with Third Parties Generally; 3(b) Managing Marketing Communications From Us",
        &["EU-02", "MP-05", "MKT-06", "SYNC-03", "AFF-04", "EPR-03"],
    ),
    (
        Builtin::DoNotSell,
        "2 What We Do With Your Information (DO NOT SELL MY PERSONAL INFORMATION)",
        &["DNS-02", "DNS-03", "CCPA-12", "CCPA-19", "MP-06", "GPC-05"],
    ),
    (
        Builtin::NevadaNoSale,
        "law: NRS 603A.345",
        &["NV-02", "NV-05"],
    ),
    (
        Builtin::ThirdPartySharingOptOut,
        "2(c) Sharing with Third Parties Generally",
        &["SHARE-04", "MP-04", "USPS-10"],
    ),
    (
        Builtin::Marketing,
        "3(b) Managing Marketing Communications From Us",
        &["MKT-01", "MKT-04", "PUR-08", "PUR-09"],
    ),
    (
        Builtin::ChangeOfControl,
        "2(c) Sale of Our Business",
        &["BIZ-03"],
    ),
    (
        Builtin::CarrierSelection,
        "2(c) United States Postal Service (USPS) — other carriers",
        &["CARRIER-01"],
    ),
    (
        Builtin::BusinessTransfer,
        "2(c) Sale of Our Business",
        &["BIZ-01"],
    ),
    (
        Builtin::ConsentedThirdParty,
        "2(c) With your Consent",
        &["CONS-01"],
    ),
    (
        Builtin::Integration,
        "2(d) Syncing, Linking, Connecting Other Third Party Services",
        &["SYNC-01", "SYNC-04", "SRC-03"],
    ),
    (Builtin::LegalBasis, "law: GDPR Art. 6", &["GDPR-34"]),
    (
        Builtin::LimitSpi,
        "law: Cal. Civ. Code §1798.121",
        &["CCPA-20"],
    ),
    (
        Builtin::Transactional,
        "3(b) Managing Marketing Communications From Us",
        &["MKT-05", "PUR-02", "CHG-04"],
    ),
    (
        Builtin::Unsubscribe,
        "3(b) Managing Marketing Communications From Us",
        &["MKT-03", "CANSPAM-01"],
    ),
    (
        Builtin::CanSpam,
        "law: 15 U.S.C. 7704(a)(5)",
        &["CANSPAM-04"],
    ),
    (
        Builtin::MixedContent,
        "law: 16 CFR 316.3",
        &["MKT-05", "CANSPAM-05"],
    ),
    (Builtin::Tcpa, "law: 47 CFR 64.1200", &["TCPA-01", "MKT-01"]),
    (
        Builtin::StrictlyNecessary,
        "3(c) Cookies and Other Tracking Technologies",
        &["COOKIE-06", "EPR-01"],
    ),
    (
        Builtin::CookieConsent,
        "law: ePrivacy Directive Art. 5(3)",
        &["COOKIE-02", "EPR-01", "SRC-06", "ADTECH-04"],
    ),
    (
        Builtin::CookieOptOut,
        "3(c) Cookies and Other Tracking Technologies",
        &["COOKIE-05", "DNS-02", "COOKIE-11"],
    ),
    (
        Builtin::Location,
        "2(a) Types of Information We Collect (location-based Services)",
        &["GEO-01", "SRC-08"],
    ),
    (
        Builtin::Undertaking,
        "Introduction (Customers' undertaking)",
        &["CUST-01", "SRC-09"],
    ),
    (
        Builtin::NotDisclosed,
        "2(a) Types of Information We Collect",
        &["COLL-03"],
    ),
    (
        Builtin::CollectPurpose,
        "2(b) How We Use Your Information",
        &["COLL-02", "SRC-04"],
    ),
    (
        Builtin::Admin,
        "2(b) Account Registration (administrator accounts)",
        &["ADMIN-02", "ADMIN-04", "ADMIN-05"],
    ),
    (
        Builtin::AdminChoices,
        "law: Cal. Civ. Code §1798.130(a)(3); 11 CCR §7063",
        &["ADMIN-07"],
    ),
    (
        Builtin::StaffRole,
        "law: GDPR Art. 32",
        &["SEC-05", "IPPS-05"],
    ),
    (
        Builtin::SupportFollowup,
        "2(b) Customer Service and Technical Support",
        &["PUR-06"],
    ),
    (
        Builtin::Compatibility,
        "2(c) Third Party Service Providers (only as necessary)",
        &["PUR-13", "CCPA-22"],
    ),
    (
        Builtin::Derived,
        "2(c) United States Postal Service (USPS)",
        &["USPS-03", "DM-06"],
    ),
    (
        Builtin::PurposeConsent,
        "law: GDPR Arts. 6(1)(a), 7",
        &["CHG-03", "GDPR-07", "GDPR-34"],
    ),
];

impl Builtin {
    pub(crate) fn rule(self) -> RuleId {
        RuleId(self as u16)
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
    /// Stamps.com marketing (per channel).
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

/// Recipient classes (SHARE-03).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RecipientClass {
    /// Service provider (SP-*).
    ServiceProvider,
    /// CCPA contractor.
    Contractor,
    /// The USPS.
    Usps,
    /// A USPS auditor (USPS-09).
    UspsAuditor,
    /// A USPS contractor or service provider (USPS-09).
    UspsContractor,
    /// Congressional office acting on the subject's behalf (USPS-09).
    CongressionalOffice,
    /// Financial entity regarding a transaction issue (USPS-09).
    FinancialEntity,
    /// A carrier the account holder selected.
    Carrier,
    /// A company under common ownership or control.
    Affiliate,
    /// A marketing partner mailing promotions.
    MarketingPartner,
    /// Fraud and credit-risk exchange.
    FraudExchange,
    /// Courts, law enforcement, government.
    LegalAuthority,
    /// A synced third-party service.
    IntegrationPartner,
    /// An acquirer in a change of control.
    Acquirer,
    /// A third party the subject consented to.
    ConsentedThirdParty,
}

impl RecipientClass {
    pub(crate) const ALL: [(RecipientClass, &'static str); 15] = [
        (RecipientClass::ServiceProvider, "service_provider"),
        (RecipientClass::Contractor, "contractor"),
        (RecipientClass::Usps, "usps"),
        (RecipientClass::UspsAuditor, "usps_auditor"),
        (RecipientClass::UspsContractor, "usps_contractor"),
        (RecipientClass::CongressionalOffice, "congressional_office"),
        (RecipientClass::FinancialEntity, "financial_entity"),
        (RecipientClass::Carrier, "carrier"),
        (RecipientClass::Affiliate, "affiliate"),
        (RecipientClass::MarketingPartner, "marketing_partner"),
        (RecipientClass::FraudExchange, "fraud_exchange"),
        (RecipientClass::LegalAuthority, "legal_authority"),
        (RecipientClass::IntegrationPartner, "integration_partner"),
        (RecipientClass::Acquirer, "acquirer"),
        (RecipientClass::ConsentedThirdParty, "consented_third_party"),
    ];

    /// Parse a wire name.
    #[must_use]
    pub fn parse(s: &str) -> Option<RecipientClass> {
        Self::ALL.iter().find(|(_, n)| *n == s).map(|(c, _)| *c)
    }

    /// Wire name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(c, _)| *c == self)
            .map_or("unknown", |(_, n)| n)
    }

    fn bit(self) -> u32 {
        1 << (self as u32)
    }

    /// Processors that need a service-provider contract (SP-03).
    #[must_use]
    pub fn is_processor(self) -> bool {
        matches!(
            self,
            RecipientClass::ServiceProvider
                | RecipientClass::Contractor
                | RecipientClass::UspsContractor
        )
    }
}

/// A set of recipient classes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct ClassSet(pub(crate) u32);

impl ClassSet {
    pub(crate) fn insert(&mut self, c: RecipientClass) {
        self.0 |= c.bit();
    }
    /// Membership.
    #[must_use]
    pub fn contains(&self, c: RecipientClass) -> bool {
        self.0 & c.bit() != 0
    }
}

/// Contract clauses Steward knows (SP-03, GDPR-26, CCPA-27/28, DPF-07).
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
    /// The USPS.
    Usps,
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
            "usps" => SourceKind::Usps,
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
            SourceKind::Usps => "usps",
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
    /// Allowed purposes.
    pub purposes: PurposeSet,
    /// Allowed recipient classes.
    pub classes: ClassSet,
    /// Applies to use.
    pub on_use: bool,
    /// Applies to disclosure.
    pub on_disclose: bool,
    /// Reason on violation.
    pub reason: crate::decision::Reason,
    /// Legal compulsion passes it.
    pub legal_compulsion_passes: bool,
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
