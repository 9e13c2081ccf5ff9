//! The policy file as written: TOML, one file per policy version.
//!
//! These types mirror the file exactly (with source spans on every name and
//! reference, so validation errors can point at `file:line:column`). They are
//! never used for decisions: [`crate::load`] validates them and
//! [`crate::compile`] turns them into the interned decision tables of
//! [`crate::Engine`]. The format is documented in `docs/policy-format.md` and
//! described by the JSON Schema in `docs/schema/policy.schema.json`.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use toml::Spanned;

/// A name or reference with its position in the file.
pub type Name = Spanned<String>;

/// One policy file: one version of one privacy policy.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PolicyFile {
    /// Name, version, effective date, controller and contacts.
    pub policy: Meta,
    /// Engine settings that the policy text leaves to configuration.
    #[serde(default)]
    pub settings: Settings,
    /// The notice sections that rules cite as their clause.
    #[serde(default, rename = "section")]
    pub sections: Vec<Section>,
    /// The statements of the policy, each rendered into the notice under its section.
    #[serde(default, rename = "statement")]
    pub statements: Vec<Statement>,
    /// Named groups of categories (e.g. `usage_data`, DEF-02).
    #[serde(default, rename = "group")]
    pub groups: Vec<Group>,
    /// The data categories (CAT-*).
    #[serde(default, rename = "category")]
    pub categories: Vec<Category>,
    /// Where data comes from (SRC-*).
    #[serde(default, rename = "source")]
    pub sources: Vec<Source>,
    /// Why data is used (PUR-*).
    #[serde(default, rename = "purpose")]
    pub purposes: Vec<Purpose>,
    /// The disclosed service-provider functions (SP-01).
    #[serde(default, rename = "function")]
    pub functions: Vec<Function>,
    /// Who data is shared with (SHARE-*).
    #[serde(default, rename = "recipient")]
    pub recipients: Vec<Recipient>,
    /// Cookies, pixels, SDKs and storage keys (COOKIE-*).
    #[serde(default, rename = "tracker")]
    pub trackers: Vec<Tracker>,
    /// Recipient classes this policy discloses besides the engine's own (SHARE-03).
    #[serde(default, rename = "recipient_class")]
    pub recipient_classes: Vec<RecipientClassDecl>,
    /// Hard purpose locks on categories or sources (USPS-02, CUST-02).
    #[serde(default, rename = "lock")]
    pub locks: Vec<Lock>,
    /// Agreements a person accepts before some features may be used: the Customer's
    /// data-protection undertaking, a statement the user must agree to, a carrier's notice
    /// (CUST-01, USPSPA-01, CARRIER-02). Acceptances are records of the store.
    #[serde(default, rename = "agreement")]
    pub agreements: Vec<Agreement>,
    /// Information a person must have provided before some purposes may be served (a
    /// voluntary provision whose absence refuses the transaction, USPS-07).
    #[serde(default, rename = "required_data")]
    pub required_data: Vec<RequiredData>,
    /// Jurisdictional prohibitions (AFF-03).
    #[serde(default, rename = "jurisdiction_rule")]
    pub jurisdiction_rules: Vec<JurisdictionRule>,
    /// Staff roles and what they may read (SEC-05, IPPS-05).
    #[serde(default, rename = "role")]
    pub roles: Vec<StaffRole>,
    /// The clause and requirement ids each built-in decision of the engine cites.
    #[serde(default, rename = "builtin")]
    pub builtins: Vec<BuiltinCitation>,
}

/// Policy metadata.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    /// Human name of the policy.
    #[schemars(with = "String")]
    pub name: Name,
    /// Version identifier, e.g. `2020-01-17`.
    #[schemars(with = "String")]
    pub version: Name,
    /// Effective date, `YYYY-MM-DD` (CHG-01).
    #[schemars(with = "String")]
    pub effective: Name,
    /// The controller's legal name (SCOPE-01).
    pub controller: String,
    /// Privacy contact address (CONTACT-01).
    #[serde(default)]
    pub privacy_contact: Option<String>,
    /// General support address (CONTACT-02).
    #[serde(default)]
    pub support_contact: Option<String>,
    /// Independent dispute-resolution link (CONTACT-03).
    #[serde(default)]
    pub dispute_resolution_url: Option<String>,
    /// The independent dispute-resolution provider's name, offered free of charge on an
    /// unresolved complaint (CONTACT-03, DPF-05).
    #[serde(default)]
    pub dispute_resolution_provider: Option<String>,
    /// One-paragraph summary shown at the top of the rendered notice.
    #[serde(default)]
    pub summary: Option<String>,
}

/// Settings the policy text leaves to configuration (each with a default).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Regions treated like the EU (EU-04): any of `EU`, `EEA`, `UK`, `CH`.
    #[serde(default = "default_eu_equivalent")]
    pub eu_equivalent: Vec<String>,
    /// US states whose residents' GPC signal is honoured, or `["ALL_US"]` (GPC-06).
    #[serde(default = "default_gpc_states")]
    pub gpc_states: Vec<String>,
    /// Treat GPC from an EU subject as an Art. 21(5) objection (GDPR-23).
    #[serde(default)]
    pub gpc_as_art21_5: bool,
    /// Age of digital consent per country (GDPR-11); `default` applies elsewhere.
    #[serde(default = "default_child_consent_age")]
    pub child_consent_age: std::collections::BTreeMap<String, u8>,
    /// Marketing texts and calls need prior express written consent (TCPA-01).
    #[serde(default = "yes")]
    pub sms_marketing_requires_consent: bool,
    /// Minimum group size for aggregate outputs (IPPS-04, USPS-05).
    #[serde(default = "default_k")]
    pub aggregate_min_group: u32,
    /// Date after which Privacy Shield is no longer a valid mechanism (DPF-01).
    #[serde(default = "default_ps_invalid")]
    #[schemars(with = "String")]
    pub privacy_shield_invalid_after: Name,
    /// Date the DPF adequacy decision took effect (DPF-01).
    #[serde(default = "default_dpf_from")]
    #[schemars(with = "String")]
    pub dpf_valid_from: Name,
    /// Set when a court invalidates the DPF (DPF-01).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub dpf_invalidated_at: Option<Name>,
    /// Countries that need no transfer mechanism for EU data (EEA and adequacy decisions other than the DPF).
    #[serde(default = "default_adequate")]
    pub adequate_countries: Vec<String>,
}

fn yes() -> bool {
    true
}
fn default_k() -> u32 {
    10
}
fn default_eu_equivalent() -> Vec<String> {
    vec!["EU".into(), "EEA".into(), "UK".into(), "CH".into()]
}
fn default_gpc_states() -> Vec<String> {
    vec!["ALL_US".into()]
}
fn default_child_consent_age() -> std::collections::BTreeMap<String, u8> {
    std::collections::BTreeMap::from([("default".to_string(), 16u8)])
}
fn default_ps_invalid() -> Name {
    Spanned::new(0..0, "2020-07-16".to_string())
}
fn default_dpf_from() -> Name {
    Spanned::new(0..0, "2023-07-10".to_string())
}
fn default_adequate() -> Vec<String> {
    // EEA members are always adequate; these are Commission adequacy decisions.
    [
        "AD", "AR", "CA", "FO", "GG", "IL", "IM", "JP", "JE", "NZ", "KR", "CH", "GB", "UY",
    ]
    .iter()
    .map(|s| (*s).to_string())
    .collect()
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            eu_equivalent: default_eu_equivalent(),
            gpc_states: default_gpc_states(),
            gpc_as_art21_5: false,
            child_consent_age: default_child_consent_age(),
            sms_marketing_requires_consent: true,
            aggregate_min_group: default_k(),
            privacy_shield_invalid_after: default_ps_invalid(),
            dpf_valid_from: default_dpf_from(),
            dpf_invalidated_at: None,
            adequate_countries: default_adequate(),
        }
    }
}

/// A section of the notice that rules cite.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Section {
    /// Section number as printed, e.g. `2(c)`.
    #[schemars(with = "String")]
    pub id: Name,
    /// Section title.
    pub title: String,
    /// Text rendered into the notice for this section (markdown paragraphs).
    #[serde(default)]
    pub text: Option<String>,
}

/// A statement of the policy: a sentence (or a few) of the notice, with the requirement ids
/// it gives rise to. Rendered in file order under its section, so that every promise of the
/// policy text has a place in the file and in the notice.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Statement {
    /// Statement id, e.g. `S011` (the sentence number of the policy text).
    #[schemars(with = "String")]
    pub id: Name,
    /// The `[[section]]` it belongs to.
    #[schemars(with = "String")]
    pub section: Name,
    /// The text, as the notice prints it.
    pub text: String,
    /// A link the notice prints after the text (to a page of the privacy center).
    #[serde(default)]
    pub link: Option<Link>,
    /// Requirement ids from the catalog it gives rise to.
    #[serde(default)]
    pub requirements: Vec<String>,
}

/// A link of a statement to a page of the privacy center.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Link {
    /// The words of the link, e.g. `Do Not Sell or Share My Personal Information`.
    pub label: String,
    /// Where it goes: `do_not_sell`, `limit_spi`, `preferences`, `cookies`, `my_data`, `notice` or `request`.
    #[schemars(with = "String")]
    pub target: Name,
}

/// Where a rule comes from: the clause and the requirement ids it implements.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Citation {
    /// The clause, e.g. `2(c) Sharing with Third Parties Generally`, or `law: GDPR Art. 6`.
    #[serde(default)]
    pub clause: Option<String>,
    /// Requirement ids from the catalog, e.g. `["MP-02"]`.
    #[serde(default)]
    pub requirements: Vec<String>,
}

/// A named group of categories.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Group {
    /// Group id, usable wherever a category list is expected.
    #[schemars(with = "String")]
    pub id: Name,
    /// Human name.
    pub name: String,
    /// Member category ids.
    #[schemars(with = "Vec<String>")]
    pub members: Vec<Name>,
    /// Where it comes from.
    #[serde(flatten)]
    pub cite: Citation,
}

/// A data category (CAT-*).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Category {
    /// Category id (`email`, `payment_card`, ...).
    #[schemars(with = "String")]
    pub id: Name,
    /// Human name.
    pub name: String,
    /// Family, free text that groups categories, e.g. `account`, `usage`, `support`, `commercial`;
    /// `location` marks precise location (coarsened where a purpose sets `coarsen_location_ft`).
    pub family: String,
    /// CCPA §1798.140(v)(1) letters, `A`–`L` (CCPA-02).
    pub ccpa: Vec<String>,
    /// Sensitive personal information under CPRA (CCPA-03).
    #[serde(default)]
    pub spi: bool,
    /// Nevada covered information (NV-04).
    #[serde(default)]
    pub nv_covered: bool,
    /// Provided by the subject or observed, for Art. 20 portability (GDPR-19).
    #[serde(default)]
    pub portable: bool,
    /// The matching fideslang data category key.
    pub fides: String,
    /// Disclosed in this policy version (COLL-03). Defaults to true.
    #[serde(default = "yes")]
    pub disclosed: bool,
    /// Value must never be stored raw (e.g. `pan` for payment cards, SEC-03).
    #[serde(default)]
    pub forbid_raw: Option<String>,
    /// Never disclosed in specific-pieces responses (CCPA-38); the report states it is held.
    #[serde(default)]
    pub withhold_in_reports: bool,
    /// Pseudonymize before storage (IPPS-01): collecting it carries the obligation.
    #[serde(default)]
    pub pseudonymize: bool,
    /// The marketing channels this category reaches (`email`, `sms`, `phone`, `postal`):
    /// a marketing use of it follows the subject's preference for those channels (MKT-01).
    #[serde(default)]
    pub channels: Vec<String>,
    /// How long it is kept (RET-01).
    pub retention: Retention,
    /// Where it comes from.
    #[serde(flatten)]
    pub cite: Citation,
}

/// A retention rule (RET-01).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Retention {
    /// ISO-8601 duration (`P90D`, `P13M`, `P7Y`), or `indefinite`.
    #[schemars(with = "String")]
    pub duration: Name,
    /// What starts the clock: `collected`, `account_closed`, `ticket_closed`, `last_activity`, `contract_end`.
    pub trigger: String,
    /// Basis: `security`, `analytics`, `support`, `feedback`, `legal_obligation`, `contract`, `transaction`, `honor_opt_out`, `record_keeping`.
    pub basis: String,
    /// Citation (law or configuration note).
    pub citation: String,
}

/// A source of data (SRC-*).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Source id, e.g. `direct:registration`, `automatic`, `integration`.
    #[schemars(with = "String")]
    pub id: Name,
    /// Kind: `direct`, `automatic`, `integration`, `enrichment`, `commercial`, `partner`, `device`, `customer`, `staff`.
    pub kind: String,
    /// Human name (reported as a source under GDPR Art. 15(1)(g), COLL-05).
    pub name: String,
    /// Categories that may be collected from this source.
    #[schemars(with = "Vec<String>")]
    pub categories: Vec<Name>,
    /// Purposes a collection from this source may declare; empty means any purpose the category allows.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub purposes: Vec<Name>,
    /// Where it comes from.
    #[serde(flatten)]
    pub cite: Citation,
}

/// A legal basis under a regime.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LegalBasis {
    /// GDPR Art. 6 basis: `contract`, `legal_obligation`, `legitimate_interests`, `consent`, `vital_interests`, `public_task`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub gdpr: Option<Name>,
    /// CCPA classification: `business_purpose`, `commercial_purpose`, `sale`, `share`.
    #[serde(default)]
    pub ccpa: Option<String>,
}

/// How consent works for a purpose in each region.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ConsentMode {
    /// EU, EEA and EU-equivalent subjects: `opt_in`, `opt_out` or `none`.
    pub eu: String,
    /// US subjects.
    pub us: String,
    /// Everyone else.
    #[serde(default = "none_mode")]
    pub other: String,
}

fn none_mode() -> String {
    "none".into()
}

impl Default for ConsentMode {
    fn default() -> Self {
        ConsentMode {
            eu: "none".into(),
            us: "none".into(),
            other: "none".into(),
        }
    }
}

/// A purpose of processing (PUR-*).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Purpose {
    /// Purpose id.
    #[schemars(with = "String")]
    pub id: Name,
    /// Human description.
    pub name: String,
    /// Categories this purpose may use; group ids expand; `*` means every category (still subject to locks).
    #[schemars(with = "Vec<String>")]
    pub categories: Vec<Name>,
    /// Legal basis per regime (GDPR-34, PUR-18).
    #[serde(default)]
    pub legal_basis: LegalBasis,
    /// Consent mode per region.
    #[serde(default)]
    pub consent: ConsentMode,
    /// The choice that governs it: `marketing_first_party`, `marketing_third_party_offers`,
    /// `third_party_sharing`, `sale`, `share`, `sync`, `location`, `cookie`.
    #[serde(default)]
    pub choice: Option<String>,
    /// Direct marketing (GDPR-21 absolute objection; MKT-*).
    #[serde(default)]
    pub marketing: bool,
    /// Disclosures for this purpose are a CCPA sale.
    #[serde(default)]
    pub sale: bool,
    /// Disclosures for this purpose are CCPA sharing (cross-context behavioural advertising).
    #[serde(default)]
    pub share: bool,
    /// Profiling related to direct marketing (blocked by a direct-marketing objection).
    #[serde(default)]
    pub profiling: bool,
    /// Objectable under Art. 21(1) (legitimate-interests purposes).
    #[serde(default)]
    pub objectable: bool,
    /// Every use needs a justification record (PUR-12, PROT-01).
    #[serde(default)]
    pub requires_justification: bool,
    /// A protection purpose: never for commercial use (PROT-03).
    #[serde(default)]
    pub protection: bool,
    /// Allowed while the data is restricted under GDPR Art. 18 (legal claims).
    #[serde(default)]
    pub restriction_exempt: bool,
    /// A legal purpose for which a `LegalRequest` governs disclosures (LEGALREQ-*).
    #[serde(default)]
    pub legal: bool,
    /// Output must be aggregated (PUR-11, IPPS-04, USPS-05).
    #[serde(default)]
    pub aggregate: bool,
    /// Precise location must be coarsened to this radius in feet (GEO-03).
    #[serde(default)]
    pub coarsen_location_ft: Option<u32>,
    /// Purposes compatible with this one (PUR-13).
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub compatible_with: Vec<Name>,
    /// Sub-purposes, as a statutory notice lists them (USPS-08).
    #[serde(default)]
    pub sub_purposes: Vec<String>,
    /// Statutory authority for the processing (USPS-08).
    #[serde(default)]
    pub authority: Option<String>,
    /// Why the processing is necessary (SYNC-06).
    #[serde(default)]
    pub necessity: Option<String>,
    /// Where it comes from.
    #[serde(flatten)]
    pub cite: Citation,
}

/// A disclosed service-provider function (SP-01) and what it may receive.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Function {
    /// Function id, e.g. `email_delivery`.
    #[schemars(with = "String")]
    pub id: Name,
    /// Human name as the policy words it.
    pub name: String,
    /// Purposes a provider with this function serves.
    #[schemars(with = "Vec<String>")]
    pub purposes: Vec<Name>,
    /// Categories it may receive (group ids expand).
    #[schemars(with = "Vec<String>")]
    pub categories: Vec<Name>,
    /// Where it comes from.
    #[serde(flatten)]
    pub cite: Citation,
}

/// An executed contract (SP-03, GDPR-26, CCPA-27, CCPA-28, DPF-07).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Contract {
    /// Contract reference.
    pub id: String,
    /// Clauses present, e.g. `confidentiality`, `on_behalf_only`, `instructions_only`, `no_other_purposes`.
    pub clauses: Vec<String>,
    /// Effective date.
    #[schemars(with = "String")]
    pub effective: Name,
    /// Expiry date (SP-04); none means open-ended.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub expires: Option<Name>,
}

/// A transfer mechanism for EU data leaving the EEA (GDPR-32, DPF-*).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Transfer {
    /// `dpf`, `dpf_uk`, `dpf_swiss`, `scc`, `privacy_shield`, `derogation_49`.
    pub mechanism: String,
    /// Certification end (DPF-02).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub until: Option<Name>,
    /// SCC decision reference, e.g. `2021/914`.
    #[serde(default)]
    pub decision: Option<String>,
    /// Transfer impact assessment done (DPF-09).
    #[serde(default)]
    pub tia_done: bool,
}

/// Vetting record for a marketing partner (MP-03).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Vetting {
    /// Selection date.
    #[schemars(with = "String")]
    pub date: Name,
    /// Who approved it.
    pub approver: String,
}

/// A recipient of disclosures (SHARE-*).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Recipient {
    /// Recipient id, e.g. `SP_EMAIL`.
    #[schemars(with = "String")]
    pub id: Name,
    /// Name.
    pub name: String,
    /// Class: one of the engine's classes `service_provider`, `contractor`, `carrier`,
    /// `affiliate`, `marketing_partner`, `fraud_exchange`, `legal_authority`,
    /// `integration_partner`, `acquirer`, `consented_third_party`, or a class the policy
    /// declares with `[[recipient_class]]` (SHARE-03: nothing else exists).
    pub class: String,
    /// Service-provider functions (SP-01).
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub functions: Vec<Name>,
    /// CCPA role: `service_provider`, `contractor`, `third_party` (SP-05).
    #[serde(default)]
    pub ccpa_role: Option<String>,
    /// Role toward the subject: `processor` or `independent_controller` (CARRIER-03).
    #[serde(default)]
    pub role: Option<String>,
    /// Purposes it may receive data for (in addition to its functions' purposes).
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub purposes: Vec<Name>,
    /// Categories it may receive (in addition to its functions' categories); group ids expand; `*` for any.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub categories: Vec<Name>,
    /// Categories never disclosed to it, whatever else says (MP-02).
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub excluded: Vec<Name>,
    /// Disclosures to it are a CCPA sale (G2, MP-06).
    #[serde(default)]
    pub sale: bool,
    /// Disclosures to it are CCPA sharing for cross-context behavioural advertising (SP-05).
    #[serde(default)]
    pub share: bool,
    /// Cross-context behavioural advertising vendor (SP-05).
    #[serde(default)]
    pub ccba: bool,
    /// It uses the data for its own commercial purposes (SHARE-04).
    #[serde(default)]
    pub own_use: bool,
    /// Nevada: it pays monetary consideration (NV-05).
    #[serde(default)]
    pub nv_monetary: bool,
    /// Channels it may use (MP-01: partners mail by post only).
    #[serde(default)]
    pub channels: Vec<String>,
    /// ISO country code where it processes data.
    pub country: String,
    /// Transfer mechanisms for EU data.
    #[serde(default)]
    pub transfer: Vec<Transfer>,
    /// Executed contract.
    #[serde(default)]
    pub contract: Option<Contract>,
    /// Vetting record (marketing partners).
    #[serde(default)]
    pub vetting: Option<Vetting>,
    /// Control relationship for affiliates (DEF-03): `common_ownership` or `common_control`.
    #[serde(default)]
    pub control: Option<String>,
    /// Precondition for any disclosure: `carrier_selection`, `integration_link`, `business_transfer`,
    /// `legal_request`, `protection_case`, `consent`.
    #[serde(default)]
    pub requires: Option<String>,
    /// The recipient's own privacy policy (USPS-11, CARRIER-03).
    #[serde(default)]
    pub policy_url: Option<String>,
    /// Its own disclosure practice, shown in access reports (USPSPA-03).
    #[serde(default)]
    pub disclosure_practice: Option<String>,
    /// Partner still reads the legacy US Privacy string (USP-05).
    #[serde(default)]
    pub legacy_usp: bool,
    /// Parent recipient for a sub-processor (SP-06).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub parent: Option<Name>,
    /// Where it comes from.
    #[serde(flatten)]
    pub cite: Citation,
}

/// A cookie, pixel, SDK or storage key (COOKIE-01).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Tracker {
    /// Tracker id.
    #[schemars(with = "String")]
    pub id: Name,
    /// Cookie or key name as set.
    pub name: String,
    /// `strictly_necessary`, `preferences_recognition`, `analytics`, `promotions`, `advertising`.
    pub category: String,
    /// The purpose it serves.
    #[schemars(with = "String")]
    pub purpose: Name,
    /// `first` or `third`.
    pub party: String,
    /// Vendor recipient for third-party trackers.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub vendor: Option<Name>,
    /// Lifetime, ISO-8601 duration or `session` (COOKIE-09).
    pub duration: String,
    /// Third parties can read it (Planet49, COOKIE-09).
    #[serde(default)]
    pub third_party_access: bool,
    /// Cross-context behavioural advertising: a CCPA share (COOKIE-05).
    #[serde(default)]
    pub ccba_share: bool,
    /// What it does, for the cookie notice.
    pub description: String,
    /// Where it comes from.
    #[serde(flatten)]
    pub cite: Citation,
}

/// A hard purpose lock (USPS-02, CUST-02): data of the locked categories, or collected
/// from the locked sources, serves only the allowed purposes and goes only to the allowed
/// recipients, whatever any consent or choice says.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Lock {
    /// Lock id, e.g. `billing_only`; reported in `detail` of a `PURPOSE_LOCK` deny.
    #[schemars(with = "String")]
    pub id: Name,
    /// Locked categories (group ids expand).
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub categories: Vec<Name>,
    /// Locked sources: data collected from them carries the lock.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub sources: Vec<Name>,
    /// The only purposes allowed.
    #[schemars(with = "Vec<String>")]
    pub purposes: Vec<Name>,
    /// Recipient classes allowed for disclosures.
    #[serde(default)]
    pub recipient_classes: Vec<String>,
    /// Individual recipients allowed for disclosures, in addition to the classes.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub recipients: Vec<Name>,
    /// Applies to `use`, `disclose` or both.
    pub applies_to: Vec<String>,
    /// The reason code a violation reports: `PURPOSE_LOCK` (the default, with the lock id
    /// in `detail`) or a code of the policy's own in upper snake case (then `detail` names
    /// the locked category).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub reason: Option<Name>,
    /// A `RequiredByLaw` legal request passes this lock (DEC-00 step 3).
    #[serde(default)]
    pub legal_compulsion_passes: bool,
    /// Where it comes from.
    #[serde(flatten)]
    pub cite: Citation,
}

/// An agreement an account accepts, with a versioned text, that gates features: a
/// collection from the gated `sources`, a use or disclosure for the gated `purposes`, a
/// disclosure to the gated `recipients` or `recipient_classes`. Without an accepted version
/// the request is refused with `reason` (CUST-01, SRC-09, USPSPA-01, CARRIER-02).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Agreement {
    /// Agreement id, e.g. `customer_undertaking`; the key acceptances are recorded under.
    #[schemars(with = "String")]
    pub id: Name,
    /// What it is called where a person accepts it.
    pub name: String,
    /// The current text version; an acceptance records the version it accepted.
    #[schemars(with = "String")]
    pub version: Name,
    /// Earlier versions whose acceptance still counts (default: none, only `version`).
    #[serde(default)]
    pub accepted_versions: Vec<String>,
    /// The text shown, verbatim (its SHA-256 is recorded with each acceptance, USPSPA-01).
    #[serde(default)]
    pub text: Option<String>,
    /// Collections from these sources need it.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub sources: Vec<Name>,
    /// Uses and disclosures for these purposes, and collections declaring them, need it.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub purposes: Vec<Name>,
    /// Disclosures to these recipients need it.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub recipients: Vec<Name>,
    /// Disclosures to recipients of these classes need it.
    #[serde(default)]
    pub recipient_classes: Vec<String>,
    /// The reason code a missing acceptance reports (default `AGREEMENT_REQUIRED`).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub reason: Option<Name>,
    /// Where it comes from.
    #[serde(flatten)]
    pub cite: Citation,
}

/// Information a person provides voluntarily that some purposes cannot be served without:
/// a use or disclosure for one of the gated `purposes` is refused with `reason` unless the
/// subject has provided data of every listed category (USPS-07: "if not provided, your
/// transaction may not be processed"). The other purposes are unaffected.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RequiredData {
    /// Id, e.g. `billing_address_provided`.
    #[schemars(with = "String")]
    pub id: Name,
    /// What it is called where a person is asked for it.
    pub name: String,
    /// The categories (or groups) that must have been provided.
    #[schemars(with = "Vec<String>")]
    pub categories: Vec<Name>,
    /// Uses and disclosures for these purposes need it.
    #[schemars(with = "Vec<String>")]
    pub purposes: Vec<Name>,
    /// The reason code a refusal reports (default `INFORMATION_NOT_PROVIDED`).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub reason: Option<Name>,
    /// Where it comes from.
    #[serde(flatten)]
    pub cite: Citation,
}

/// A recipient class the policy discloses (SHARE-03), or the notice wording of one of the
/// engine's own classes.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RecipientClassDecl {
    /// Class id, used as `class` of recipients and in locks and jurisdiction rules.
    #[schemars(with = "String")]
    pub id: Name,
    /// How the notice names the recipients of this class (classes with the same name are
    /// listed together).
    pub name: String,
    /// Its members process data on the controller's behalf and need a service-provider
    /// contract (SP-03). Fixed for the engine's own classes.
    #[serde(default)]
    pub processor: Option<bool>,
    /// Its members keep what they receive under their own legal obligation (a regulator's
    /// statutory records): erasure requests are not passed on to them. Fixed for the
    /// engine's own classes (only `legal_authority` keeps its own records).
    #[serde(default)]
    pub keeps_own_records: Option<bool>,
    /// Where it comes from.
    #[serde(flatten)]
    pub cite: Citation,
}

/// The citation of one built-in decision of the engine (a decision that no entry of the
/// policy file decides, such as "unknown category" or "no transfer mechanism").
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BuiltinCitation {
    /// The built-in decision, e.g. `unregistered_category`, `eu_opt_in` (docs/policy-format.md).
    #[schemars(with = "String")]
    pub id: Name,
    /// The clause it rests on: a section of this policy (`2(c) …`) or `law: …`.
    pub clause: String,
    /// Requirement ids it implements.
    #[serde(default)]
    pub requirements: Vec<String>,
}

/// A jurisdictional prohibition (AFF-03).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct JurisdictionRule {
    /// Rule id.
    #[schemars(with = "String")]
    pub id: Name,
    /// Jurisdiction code (`XX`, `US-CA`, `DE`).
    pub jurisdiction: String,
    /// Recipient class it restricts.
    pub recipient_class: String,
    /// Categories (or `*`).
    #[schemars(with = "Vec<String>")]
    pub categories: Vec<Name>,
    /// `prohibited`.
    pub effect: String,
    /// Where it comes from.
    #[serde(flatten)]
    pub cite: Citation,
}

/// A staff role (SEC-05, IPPS-05).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StaffRole {
    /// Role id, e.g. `support_agent`.
    #[schemars(with = "String")]
    pub id: Name,
    /// Human name.
    pub name: String,
    /// Categories the role may read (group ids expand; `*` for all).
    #[schemars(with = "Vec<String>")]
    pub categories: Vec<Name>,
    /// Purposes the role works for.
    #[schemars(with = "Vec<String>")]
    pub purposes: Vec<Name>,
    /// Where it comes from.
    #[serde(flatten)]
    pub cite: Citation,
}
