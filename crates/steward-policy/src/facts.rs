//! The facts a decision is made on: who the subject is, what they chose, and
//! the context of the request (time, legal requests, cases, selections).
//!
//! Facts are plain `Copy` data built by the caller (the core loads them from
//! the store; the CLI decodes them from JSON). The engine never fetches
//! anything: it is a pure function of policy, facts and request.

use crate::ids::{AgreementSet, CategorySet, PurposeSet, RecipientSet, SourceSet, TrackerId};
use jiff::Timestamp;
use std::fmt;
use std::str::FromStr;

/// Kinds of subject (requirements §0.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SubjectKind {
    /// A customer who holds an account.
    CustomerAccountHolder,
    /// Someone granted administrator or other access to an account.
    AuthorizedUser,
    /// A customer's customer: ship-to party or address-book entry.
    Recipient,
    /// Employee or contractor.
    Staff,
    /// A supplier's contact person.
    SupplierContact,
    /// An unregistered browser.
    Visitor,
    /// Someone answering a survey.
    SurveyRespondent,
    /// A chat guest.
    ChatGuest,
}

impl SubjectKind {
    /// Every kind, in declaration order.
    pub const ALL: [SubjectKind; 8] = [
        SubjectKind::CustomerAccountHolder,
        SubjectKind::AuthorizedUser,
        SubjectKind::Recipient,
        SubjectKind::Staff,
        SubjectKind::SupplierContact,
        SubjectKind::Visitor,
        SubjectKind::SurveyRespondent,
        SubjectKind::ChatGuest,
    ];

    /// The wire name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            SubjectKind::CustomerAccountHolder => "customer_account_holder",
            SubjectKind::AuthorizedUser => "authorized_user",
            SubjectKind::Recipient => "recipient",
            SubjectKind::Staff => "staff",
            SubjectKind::SupplierContact => "supplier_contact",
            SubjectKind::Visitor => "visitor",
            SubjectKind::SurveyRespondent => "survey_respondent",
            SubjectKind::ChatGuest => "chat_guest",
        }
    }
}

impl FromStr for SubjectKind {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        SubjectKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or(())
    }
}

/// A jurisdiction: ISO 3166-1 country, optionally with a subdivision (`US-CA`).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Jurisdiction {
    country: [u8; 2],
    region: [u8; 3],
    region_len: u8,
}

/// A jurisdiction string that is not `CC` or `CC-RRR`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid jurisdiction `{0}`: expected an ISO 3166 code such as `DE` or `US-CA`")]
pub struct BadJurisdiction(pub String);

impl FromStr for Jurisdiction {
    type Err = BadJurisdiction;
    fn from_str(s: &str) -> Result<Self, BadJurisdiction> {
        let bad = || BadJurisdiction(s.to_string());
        let (c, r) = match s.split_once('-') {
            Some((c, r)) => (c, Some(r)),
            None => (s, None),
        };
        let c = c.as_bytes();
        if c.len() != 2 || !c.iter().all(u8::is_ascii_alphabetic) {
            return Err(bad());
        }
        let mut country = [c[0].to_ascii_uppercase(), c[1].to_ascii_uppercase()];
        // The catalog writes the United Kingdom as `UK`; ISO says `GB`.
        if &country == b"UK" {
            country = *b"GB";
        }
        let mut region = [0u8; 3];
        let mut region_len = 0u8;
        if let Some(r) = r {
            let rb = r.as_bytes();
            if rb.is_empty() || rb.len() > 3 || !rb.iter().all(u8::is_ascii_alphanumeric) {
                return Err(bad());
            }
            for (i, b) in rb.iter().enumerate() {
                region[i] = b.to_ascii_uppercase();
            }
            region_len = rb.len() as u8;
        }
        Ok(Jurisdiction {
            country,
            region,
            region_len,
        })
    }
}

impl Jurisdiction {
    /// The two-letter country code.
    #[must_use]
    pub fn country(&self) -> &str {
        std::str::from_utf8(&self.country).unwrap_or("??")
    }

    /// The subdivision code, if any (`CA` in `US-CA`).
    #[must_use]
    pub fn region(&self) -> Option<&str> {
        if self.region_len == 0 {
            None
        } else {
            std::str::from_utf8(&self.region[..self.region_len as usize]).ok()
        }
    }

    /// A US jurisdiction.
    #[must_use]
    pub fn is_us(&self) -> bool {
        &self.country == b"US"
    }

    /// California.
    #[must_use]
    pub fn is_california(&self) -> bool {
        self.is_us() && self.region() == Some("CA")
    }

    /// Nevada.
    #[must_use]
    pub fn is_nevada(&self) -> bool {
        self.is_us() && self.region() == Some("NV")
    }

    /// Does a configured code (`XX`, `US-CA`, `UK`) name this jurisdiction or its
    /// country? Case-insensitive; `UK` means `GB`. Allocation-free (decision hot path).
    #[must_use]
    pub fn matches(&self, code: &str) -> bool {
        let (c, r) = match code.split_once('-') {
            Some((c, r)) => (c, Some(r)),
            None => (code, None),
        };
        let country_ok = if c.eq_ignore_ascii_case("UK") {
            &self.country == b"GB"
        } else {
            c.eq_ignore_ascii_case(self.country())
        };
        country_ok
            && match r {
                None => true,
                Some(r) => self
                    .region()
                    .is_some_and(|mine| mine.eq_ignore_ascii_case(r)),
            }
    }
}

impl fmt::Display for Jurisdiction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.region() {
            Some(r) => write!(f, "{}-{}", self.country(), r),
            None => f.write_str(self.country()),
        }
    }
}

impl fmt::Debug for Jurisdiction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Jurisdiction({self})")
    }
}

/// EU-27 member states.
pub const EU27: [&str; 27] = [
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV",
    "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
];
/// EEA members outside the EU.
pub const EEA_EXTRA: [&str; 3] = ["IS", "LI", "NO"];

/// A regime whose rules apply to a subject (SCOPE-07).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Regime {
    /// The policy's own promises (everyone).
    Policy,
    /// GDPR (EU, EEA and configured equivalents).
    Gdpr,
    /// ePrivacy Directive (EU cookies and e-marketing).
    EPrivacy,
    /// CCPA/CPRA (California).
    Ccpa,
    /// Nevada NRS 603A.
    Nevada,
    /// CAN-SPAM (US commercial e-mail).
    CanSpam,
}

impl Regime {
    /// Wire name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Regime::Policy => "POLICY",
            Regime::Gdpr => "GDPR",
            Regime::EPrivacy => "EPRIVACY",
            Regime::Ccpa => "CCPA",
            Regime::Nevada => "NRS603A",
            Regime::CanSpam => "CAN_SPAM",
        }
    }
}

/// A small set of regimes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct RegimeSet(u8);

impl RegimeSet {
    fn bit(r: Regime) -> u8 {
        1 << (r as u8)
    }
    /// Add a regime.
    pub fn insert(&mut self, r: Regime) {
        self.0 |= Self::bit(r);
    }
    /// Membership.
    #[must_use]
    pub fn contains(&self, r: Regime) -> bool {
        self.0 & Self::bit(r) != 0
    }
    /// Members in order.
    pub fn iter(&self) -> impl Iterator<Item = Regime> + '_ {
        [
            Regime::Policy,
            Regime::Gdpr,
            Regime::EPrivacy,
            Regime::Ccpa,
            Regime::Nevada,
            Regime::CanSpam,
        ]
        .into_iter()
        .filter(|r| self.contains(*r))
    }
}

/// A choice that is given or refused, with the history that matters for the reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum Consent {
    /// Nothing recorded: the jurisdiction's default applies.
    #[default]
    Unset,
    /// Given (opt-in) or not opted out.
    Given,
    /// Refused or opted out without ever having been given.
    Refused,
    /// Given earlier, later withdrawn.
    Withdrawn,
}

impl Consent {
    /// Explicitly given.
    #[must_use]
    pub fn given(self) -> bool {
        self == Consent::Given
    }
    /// Explicitly refused or withdrawn.
    #[must_use]
    pub fn refused(self) -> bool {
        matches!(self, Consent::Refused | Consent::Withdrawn)
    }
}

/// Marketing channels (MKT-01).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Channel {
    /// E-mail.
    Email,
    /// Text messages.
    Sms,
    /// Telephone calls.
    Phone,
    /// Postal mail.
    Postal,
}

impl Channel {
    /// All channels.
    pub const ALL: [Channel; 4] = [
        Channel::Email,
        Channel::Sms,
        Channel::Phone,
        Channel::Postal,
    ];
    /// Wire name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Sms => "sms",
            Channel::Phone => "phone",
            Channel::Postal => "postal",
        }
    }
}

impl FromStr for Channel {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        Channel::ALL.into_iter().find(|c| c.as_str() == s).ok_or(())
    }
}

/// Marketing message types (MKT-01).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MarketingType {
    /// The controller's own offers.
    FirstParty,
    /// Offers for third-party products sent by the controller.
    ThirdPartyOffers,
}

impl MarketingType {
    /// Wire name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            MarketingType::FirstParty => "first_party",
            MarketingType::ThirdPartyOffers => "third_party_offers",
        }
    }
}

/// Tracker categories (COOKIE-01).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TrackerCategory {
    /// Needed to fulfil the request (session, CSRF, cart).
    StrictlyNecessary,
    /// Return-visit recognition and preferences.
    PreferencesRecognition,
    /// Audience measurement.
    Analytics,
    /// Promotion entry tracking.
    Promotions,
    /// Advertising and content customization.
    Advertising,
}

impl TrackerCategory {
    /// All, in order.
    pub const ALL: [TrackerCategory; 5] = [
        TrackerCategory::StrictlyNecessary,
        TrackerCategory::PreferencesRecognition,
        TrackerCategory::Analytics,
        TrackerCategory::Promotions,
        TrackerCategory::Advertising,
    ];
    /// Wire name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            TrackerCategory::StrictlyNecessary => "strictly_necessary",
            TrackerCategory::PreferencesRecognition => "preferences_recognition",
            TrackerCategory::Analytics => "analytics",
            TrackerCategory::Promotions => "promotions",
            TrackerCategory::Advertising => "advertising",
        }
    }
}

impl FromStr for TrackerCategory {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        TrackerCategory::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or(())
    }
}

/// Who authorized the sale or sharing of a known minor's data (CCPA-18).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum MinorAuthorization {
    /// None recorded.
    #[default]
    None,
    /// The consumer (13–15), through the two-step opt-in.
    SelfTwoStep,
    /// A parent or guardian, verified.
    Parent,
    /// The minor declined.
    Declined,
}

/// The subject's effective choices: the fold of the choices ledger.
///
/// Build it with [`crate::choices::fold`] from ledger entries, or set fields directly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Choices {
    /// Opt-out of sale (DNS-02, CCPA-12, CCPA-19).
    pub sale_opt_out: bool,
    /// Opt-out of sharing for cross-context behavioural advertising.
    pub share_opt_out: bool,
    /// Opt-out of sharing with third parties for their own use (SHARE-04, MP-04).
    pub third_party_sharing_opt_out: bool,
    /// Nevada verified no-sale request (NV-02).
    pub nv_no_sale: bool,
    /// Limit the use of sensitive personal information (CCPA-20).
    pub limit_spi: bool,
    /// A GPC signal has been seen for this subject or device (persisted, GPC-03).
    pub gpc: bool,
    /// Objection to direct marketing, absolute (GDPR-21).
    pub objection_direct_marketing: bool,
    /// Location services enabled (GEO-01).
    pub location_services: bool,
    /// Answered "stop" to the change-of-control prompt (BIZ-02).
    pub stop_promotions: bool,
    /// Marketing preference per type and channel (MKT-01): `[type][channel]`.
    pub marketing: [[Consent; 4]; 2],
    /// EU opt-in to sharing with third parties (MP-05).
    pub eu_third_party_sharing: Consent,
    /// Cookie consent per tracker category (COOKIE-07).
    pub cookies: [Consent; 5],
    /// Art. 21(1) objections still under review (GDPR-20).
    pub objections_pending: PurposeSet,
    /// Art. 21(1) objections upheld (no compelling grounds).
    pub objections_upheld: PurposeSet,
    /// Recipients the subject consented to share with (CONS-01, SYNC-01).
    pub recipient_consent: RecipientSet,
    /// Recipients whose consent or link was withdrawn (SYNC-04).
    pub recipient_withdrawn: RecipientSet,
    /// Minor sale/share authorization (CCPA-18).
    pub minor_authorization: MinorAuthorization,
    /// Purposes consented to individually (opt-in purposes without a dedicated choice, CHG-03).
    pub purpose_consent: PurposeSet,
    /// Purposes whose individual consent was withdrawn.
    pub purpose_withdrawn: PurposeSet,
}

impl Choices {
    /// The marketing preference for a type and channel.
    #[must_use]
    pub fn marketing(&self, t: MarketingType, c: Channel) -> Consent {
        self.marketing[t as usize][c as usize]
    }
    /// Cookie consent for a tracker category.
    #[must_use]
    pub fn cookie(&self, c: TrackerCategory) -> Consent {
        self.cookies[c as usize]
    }
}

/// The subject's facts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Subject {
    /// Kind (§0.2).
    pub kind: SubjectKind,
    /// Resolved jurisdiction (DM-04), if known.
    pub jurisdiction: Option<Jurisdiction>,
    /// EU protection flag (EU-01: sticky once set; the caller passes it).
    pub eu_protected: bool,
    /// Known age (CCPA-18, GDPR-11).
    pub age: Option<u8>,
    /// Effective choices.
    pub choices: Choices,
}

impl Subject {
    /// A subject with no choices recorded.
    #[must_use]
    pub fn new(kind: SubjectKind, jurisdiction: Option<Jurisdiction>) -> Subject {
        Subject {
            kind,
            jurisdiction,
            eu_protected: false,
            age: None,
            choices: Choices::default(),
        }
    }
}

/// The legal basis a legal request rests on (LEGALREQ-01).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LegalBasisKind {
    /// Disclosure is compelled.
    RequiredByLaw,
    /// Disclosure is permitted but not compelled.
    PermittedByLaw,
}

/// A legal request record (LEGALREQ-*), as a decision sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LegalRequest {
    /// Required or permitted.
    pub basis: LegalBasisKind,
    /// A reviewer other than the requester signed off with a rationale (LEGALREQ-02).
    pub reviewed: bool,
    /// Categories within the instrument's scope (LEGALREQ-03).
    pub scope: CategorySet,
    /// A non-disclosure order forbids telling the subject (LEGALREQ-05).
    pub gag_order: bool,
}

/// A message template as the sender describes it (MKT-03, MKT-05, CANSPAM-04).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Template {
    /// Contains a working one-click unsubscribe link.
    pub has_unsubscribe: bool,
    /// Contains the sender's valid postal address.
    pub has_postal_address: bool,
    /// Contains promotional content.
    pub has_promo: bool,
}

/// What policy versions later than the one the data was collected under changed for it
/// (CHG-02, CHG-03, SCOPE-06): the caller computes it from the version history (the service
/// does for a stored item, from the store's recorded versions and notices).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PolicyChange {
    /// Purposes added, or materially widened, by a later version.
    pub purposes: PurposeSet,
    /// Of them, those whose change needs fresh consent from EU subjects.
    pub consent: PurposeSet,
    /// Recipients added, or materially widened, by a later version.
    pub recipients: RecipientSet,
    /// The subject has been notified of every one of those versions (CHG-04).
    pub notified: bool,
}

impl PolicyChange {
    /// Nothing changed since collection.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.purposes.is_empty() && self.recipients.is_empty()
    }
}

/// The context of one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Context {
    /// Decision time (the caller's clock).
    pub now: Timestamp,
    /// A legal request record, for disclosures to authorities.
    pub legal_request: Option<LegalRequest>,
    /// A justification or protection case with an approver exists (PUR-12, PROT-01).
    pub justification: bool,
    /// The account holder selected this carrier for the shipment (CARRIER-01): a stateless
    /// caller's assertion about the request's recipient.
    pub carrier_selected: bool,
    /// The carriers the account selected (CARRIER-01), from the store's selection records:
    /// a disclosure to a recipient that `requires = "carrier_selection"` needs that very
    /// recipient here (or `carrier_selected`).
    pub carriers: RecipientSet,
    /// The categories the subject has provided (USPS-07): for a stored subject, those it has
    /// items of; `[[required_data]]` refuses its purposes without them.
    pub provided: CategorySet,
    /// A business-transfer event covers the subject (BIZ-01).
    pub business_transfer: bool,
    /// A change-of-control prompt has not yet been delivered (BIZ-03).
    pub change_of_control_prompt_pending: bool,
    /// The message belongs to an existing support ticket (PUR-06).
    pub ticket: bool,
    /// The customer undertaking is recorded for the account (CUST-01): an inline assertion
    /// by a stateless caller; it counts as acceptance of every agreement gating a `customer`
    /// source.
    pub customer_undertaking: bool,
    /// The agreements the account accepted, in a version the policy honours (CUST-01,
    /// USPSPA-01, CARRIER-02): from the store's records for a stored subject.
    pub agreements: AgreementSet,
    /// Categories under an Art. 18 restriction (GDPR-17).
    pub restricted: CategorySet,
    /// Categories retained under a deletion exception (CCPA-10), usable only for `retained_purposes`.
    pub retained: CategorySet,
    /// Purposes the retained data may still serve.
    pub retained_purposes: PurposeSet,
    /// The item's retention deadline (RET-02).
    pub retain_until: Option<Timestamp>,
    /// Categories the data was derived from (USPS-03, DM-06): their locks apply.
    pub derived_from: CategorySet,
    /// Sources the data was collected from: their locks apply.
    pub sources: SourceSet,
    /// Purposes declared at collection (COLL-02).
    pub declared_purposes: PurposeSet,
    /// The tracker an automatic collection comes through (SRC-06).
    pub tracker: Option<TrackerId>,
    /// The template of a message (can_send).
    pub template: Option<Template>,
    /// For `can_disclose`: allow the permitted subset and redact the rest.
    pub project: bool,
    /// A GPC signal on this very request (GPC-01), in addition to the persisted one.
    pub gpc_signal: bool,
    /// What later policy versions changed for data collected under an earlier one (CHG-03).
    pub policy_change: PolicyChange,
}

impl Context {
    /// A context at `now` with nothing else set.
    #[must_use]
    pub fn at(now: Timestamp) -> Context {
        Context {
            now,
            legal_request: None,
            justification: false,
            carrier_selected: false,
            carriers: RecipientSet::empty(),
            provided: CategorySet::empty(),
            business_transfer: false,
            change_of_control_prompt_pending: false,
            ticket: false,
            customer_undertaking: false,
            agreements: AgreementSet::empty(),
            restricted: CategorySet::empty(),
            retained: CategorySet::empty(),
            retained_purposes: PurposeSet::empty(),
            retain_until: None,
            derived_from: CategorySet::empty(),
            sources: SourceSet::empty(),
            declared_purposes: PurposeSet::empty(),
            tracker: None,
            template: None,
            project: false,
            gpc_signal: false,
            policy_change: PolicyChange::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jurisdictions_parse() {
        let ca: Jurisdiction = "us-ca".parse().unwrap();
        assert!(ca.is_california());
        assert_eq!(ca.to_string(), "US-CA");
        let uk: Jurisdiction = "UK".parse().unwrap();
        assert_eq!(uk.country(), "GB");
        assert!("U".parse::<Jurisdiction>().is_err());
        assert!("US-".parse::<Jurisdiction>().is_err());
        assert!("US-ABCD".parse::<Jurisdiction>().is_err());
        assert!("1X".parse::<Jurisdiction>().is_err());
    }

    #[test]
    fn jurisdictions_match_codes() {
        let ca: Jurisdiction = "US-CA".parse().unwrap();
        assert!(ca.matches("US-CA"));
        assert!(ca.matches("us-ca"));
        assert!(ca.matches("US"));
        assert!(!ca.matches("US-NV"));
        assert!(!ca.matches("CA"));
        let us: Jurisdiction = "US".parse().unwrap();
        assert!(!us.matches("US-CA"));
        let gb: Jurisdiction = "GB".parse().unwrap();
        assert!(gb.matches("UK"));
        assert!(gb.matches("GB"));
        let xx: Jurisdiction = "XX".parse().unwrap();
        assert!(xx.matches("XX"));
        assert!(!xx.matches("XY"));
        assert!(!xx.matches(""));
    }
}
