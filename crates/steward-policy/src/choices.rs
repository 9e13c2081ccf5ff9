//! Effective choices (DEC-06): the fold of a subject's or device's choices
//! ledger, each field with its provenance.
//!
//! The ledger is append-only (DM-01); the current state is derived here, so
//! the same fold runs in the CLI, the server and the tests. Rules applied:
//! GPC is an opt-out of sale and sharing where honoured and never an opt-in
//! when absent (GPC-03, GPC-05); re-subscribing or consenting needs the subject,
//! not an administrator or an import (MKT-09, GDPR-07); opt-outs never expire
//! (CCPA-19); entries after `at` are ignored.

use crate::engine::Engine;
use crate::facts::{
    Channel, Choices, Consent, Jurisdiction, MarketingType, MinorAuthorization, TrackerCategory,
};
use crate::ids::{PurposeId, RecipientId};
use jiff::Timestamp;
use std::str::FromStr;

/// Who or what recorded a ledger entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChoiceSource {
    /// The subject, through the privacy center, the product or an e-mail link.
    User,
    /// A Global Privacy Control signal.
    Gpc,
    /// An administrator or staff member.
    Admin,
    /// A jurisdiction default.
    Default,
    /// A bulk import.
    Import,
    /// An authorized agent (CCPA-23).
    Agent,
    /// A parent or guardian (CCPA-18, GDPR-11).
    Parent,
    /// Customer support acting on the subject's request.
    Support,
}

impl ChoiceSource {
    /// All sources.
    pub const ALL: [ChoiceSource; 8] = [
        ChoiceSource::User,
        ChoiceSource::Gpc,
        ChoiceSource::Admin,
        ChoiceSource::Default,
        ChoiceSource::Import,
        ChoiceSource::Agent,
        ChoiceSource::Parent,
        ChoiceSource::Support,
    ];
    /// Wire name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            ChoiceSource::User => "user",
            ChoiceSource::Gpc => "gpc",
            ChoiceSource::Admin => "admin",
            ChoiceSource::Default => "default",
            ChoiceSource::Import => "import",
            ChoiceSource::Agent => "agent",
            ChoiceSource::Parent => "parent",
            ChoiceSource::Support => "support",
        }
    }
    /// May this source give consent or re-subscribe (MKT-09, GDPR-07)?
    #[must_use]
    pub fn may_grant(self) -> bool {
        matches!(
            self,
            ChoiceSource::User | ChoiceSource::Agent | ChoiceSource::Parent | ChoiceSource::Support
        )
    }
}

impl FromStr for ChoiceSource {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        ChoiceSource::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or(())
    }
}

/// The channel a choice arrived through (C1 `PreferenceEvent.channel`, MP-04,
/// DNS-05). Recorded for provenance only: every channel has the same effect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChoiceChannel {
    /// A checkbox at registration (MP-02, MP-04).
    RegistrationCheckbox,
    /// The opt-out link in an e-mail (MP-04, MKT-03).
    EmailLink,
    /// The web form ("clicking here", the DNS form).
    WebForm,
    /// Contacting customer support.
    SupportContact,
    /// Writing to the privacy e-mail address.
    PrivacyEmail,
    /// A Global Privacy Control signal.
    Gpc,
    /// An SMS `STOP` reply.
    SmsStop,
    /// The change-of-control prompt (BIZ-02).
    ChangeOfControlPrompt,
    /// The privacy center or product settings.
    PrivacyCenter,
    /// An API call.
    Api,
}

impl ChoiceChannel {
    /// All channels.
    pub const ALL: [ChoiceChannel; 10] = [
        ChoiceChannel::RegistrationCheckbox,
        ChoiceChannel::EmailLink,
        ChoiceChannel::WebForm,
        ChoiceChannel::SupportContact,
        ChoiceChannel::PrivacyEmail,
        ChoiceChannel::Gpc,
        ChoiceChannel::SmsStop,
        ChoiceChannel::ChangeOfControlPrompt,
        ChoiceChannel::PrivacyCenter,
        ChoiceChannel::Api,
    ];
    /// Wire name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            ChoiceChannel::RegistrationCheckbox => "registration_checkbox",
            ChoiceChannel::EmailLink => "email_link",
            ChoiceChannel::WebForm => "web_form",
            ChoiceChannel::SupportContact => "support_contact",
            ChoiceChannel::PrivacyEmail => "privacy_email",
            ChoiceChannel::Gpc => "gpc",
            ChoiceChannel::SmsStop => "sms_stop",
            ChoiceChannel::ChangeOfControlPrompt => "change_of_control_prompt",
            ChoiceChannel::PrivacyCenter => "privacy_center",
            ChoiceChannel::Api => "api",
        }
    }
}

impl FromStr for ChoiceChannel {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        ChoiceChannel::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or(())
    }
}

/// What a ledger entry is about. The wire form is the ledger's `ChoiceKey`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChoiceKey {
    /// `sale_opt_out`.
    SaleOptOut,
    /// `share_opt_out`.
    ShareOptOut,
    /// `third_party_sharing_opt_out`.
    ThirdPartySharingOptOut,
    /// `nv_no_sale`.
    NvNoSale,
    /// `limit_spi`.
    LimitSpi,
    /// `gpc`: a signal was observed (value true).
    Gpc,
    /// `objection:direct_marketing`.
    ObjectionDirectMarketing,
    /// `objection:<purpose>`: filed (true) or withdrawn (false).
    Objection(PurposeId),
    /// `objection_outcome:<purpose>`: upheld (true) or overridden (false).
    ObjectionOutcome(PurposeId),
    /// `location_services`.
    LocationServices,
    /// `stop_promotions`: the answer to the change-of-control prompt (BIZ-02).
    StopPromotions,
    /// `marketing:<type>:<channel>`: true subscribes / opts in, false opts out.
    Marketing(MarketingType, Channel),
    /// `consent:third_party_sharing` (EU opt-in, MP-05).
    EuThirdPartySharing,
    /// `consent:recipient:<id>`: per-recipient consent or integration link.
    Recipient(RecipientId),
    /// `cookie:<category>`.
    Cookie(TrackerCategory),
    /// `minor_authorization`: true authorizes, false declines.
    MinorAuthorization,
    /// `consent:purpose:<purpose>`: consent to (or opt-out of) one purpose.
    PurposeConsent(PurposeId),
}

/// A ledger key that does not parse or names something the policy does not know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown choice key `{0}`")]
pub struct BadChoiceKey(pub String);

impl ChoiceKey {
    /// Parse a wire key against the engine's registries.
    ///
    /// # Errors
    /// When the key is not part of the vocabulary or names an unknown purpose or recipient.
    pub fn parse(engine: &Engine, s: &str) -> Result<ChoiceKey, BadChoiceKey> {
        let bad = || BadChoiceKey(s.to_string());
        Ok(match s {
            "sale_opt_out" => ChoiceKey::SaleOptOut,
            "share_opt_out" => ChoiceKey::ShareOptOut,
            "third_party_sharing_opt_out" => ChoiceKey::ThirdPartySharingOptOut,
            "nv_no_sale" => ChoiceKey::NvNoSale,
            "limit_spi" => ChoiceKey::LimitSpi,
            "gpc" => ChoiceKey::Gpc,
            "objection:direct_marketing" => ChoiceKey::ObjectionDirectMarketing,
            "location_services" => ChoiceKey::LocationServices,
            "stop_promotions" => ChoiceKey::StopPromotions,
            "consent:third_party_sharing" => ChoiceKey::EuThirdPartySharing,
            "minor_authorization" => ChoiceKey::MinorAuthorization,
            _ => {
                if let Some(p) = s.strip_prefix("objection:") {
                    ChoiceKey::Objection(engine.purpose(p).ok_or_else(bad)?)
                } else if let Some(p) = s.strip_prefix("objection_outcome:") {
                    ChoiceKey::ObjectionOutcome(engine.purpose(p).ok_or_else(bad)?)
                } else if let Some(p) = s.strip_prefix("consent:purpose:") {
                    ChoiceKey::PurposeConsent(engine.purpose(p).ok_or_else(bad)?)
                } else if let Some(r) = s.strip_prefix("consent:recipient:") {
                    ChoiceKey::Recipient(engine.recipient(r).ok_or_else(bad)?)
                } else if let Some(c) = s.strip_prefix("cookie:") {
                    ChoiceKey::Cookie(c.parse().map_err(|()| bad())?)
                } else if let Some(rest) = s.strip_prefix("marketing:") {
                    let (t, ch) = rest.split_once(':').ok_or_else(bad)?;
                    let t = match t {
                        "first_party" => MarketingType::FirstParty,
                        "third_party_offers" => MarketingType::ThirdPartyOffers,
                        _ => return Err(bad()),
                    };
                    ChoiceKey::Marketing(t, ch.parse().map_err(|()| bad())?)
                } else {
                    return Err(bad());
                }
            }
        })
    }

    /// The wire key.
    #[must_use]
    pub fn key(&self, engine: &Engine) -> String {
        match self {
            ChoiceKey::SaleOptOut => "sale_opt_out".into(),
            ChoiceKey::ShareOptOut => "share_opt_out".into(),
            ChoiceKey::ThirdPartySharingOptOut => "third_party_sharing_opt_out".into(),
            ChoiceKey::NvNoSale => "nv_no_sale".into(),
            ChoiceKey::LimitSpi => "limit_spi".into(),
            ChoiceKey::Gpc => "gpc".into(),
            ChoiceKey::ObjectionDirectMarketing => "objection:direct_marketing".into(),
            ChoiceKey::Objection(p) => format!("objection:{}", engine.purpose_info(*p).key),
            ChoiceKey::ObjectionOutcome(p) => {
                format!("objection_outcome:{}", engine.purpose_info(*p).key)
            }
            ChoiceKey::LocationServices => "location_services".into(),
            ChoiceKey::StopPromotions => "stop_promotions".into(),
            ChoiceKey::Marketing(t, c) => format!("marketing:{}:{}", t.as_str(), c.as_str()),
            ChoiceKey::EuThirdPartySharing => "consent:third_party_sharing".into(),
            ChoiceKey::Recipient(r) => {
                format!("consent:recipient:{}", engine.recipient_info(*r).key)
            }
            ChoiceKey::Cookie(c) => format!("cookie:{}", c.as_str()),
            ChoiceKey::MinorAuthorization => "minor_authorization".into(),
            ChoiceKey::PurposeConsent(p) => {
                format!("consent:purpose:{}", engine.purpose_info(*p).key)
            }
        }
    }
}

/// One ledger entry, as the fold sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    /// What it is about.
    pub key: ChoiceKey,
    /// The value recorded.
    pub value: bool,
    /// Who recorded it.
    pub source: ChoiceSource,
    /// When.
    pub at: Timestamp,
    /// Through which channel, if known.
    pub channel: Option<ChoiceChannel>,
}

/// Where an effective value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Provenance {
    /// Index of the deciding entry in the input, or `None` for a default.
    pub entry: Option<usize>,
    /// Source of the deciding entry (`Default` for defaults).
    pub source: ChoiceSource,
    /// Time of the deciding entry.
    pub at: Option<Timestamp>,
    /// Channel of the deciding entry, if recorded.
    pub channel: Option<ChoiceChannel>,
}

const DEFAULT: Provenance = Provenance {
    entry: None,
    source: ChoiceSource::Default,
    at: None,
    channel: None,
};

/// A ledger entry the fold ignored, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ignored {
    /// Index in the input.
    pub entry: usize,
    /// Stable code.
    pub code: &'static str,
}

/// The result of the fold: values, provenance per field, and ignored entries.
#[derive(Debug, Clone)]
pub struct Effective {
    /// The effective choices.
    pub choices: Choices,
    /// Provenance per field, keyed by wire key.
    pub provenance: Vec<(String, Provenance)>,
    /// Entries that had no effect (e.g. an import trying to re-subscribe, MKT-09).
    pub ignored: Vec<Ignored>,
}

/// Fold ledger entries (any order; sorted by time, ties kept in input order) into effective choices.
#[must_use]
pub fn fold(
    engine: &Engine,
    jurisdiction: Option<&Jurisdiction>,
    entries: &[Entry],
    at: Timestamp,
) -> Effective {
    let mut order: Vec<usize> = (0..entries.len())
        .filter(|i| entries[*i].at <= at)
        .collect();
    order.sort_by_key(|i| (entries[*i].at, *i));
    let mut c = Choices::default();
    let mut prov: Vec<(String, Provenance)> = Vec::new();
    let mut ignored = Vec::new();
    let gpc_counts = engine.gpc_honored(jurisdiction);
    for i in order {
        let e = entries[i];
        let p = Provenance {
            entry: Some(i),
            source: e.source,
            at: Some(e.at),
            channel: e.channel,
        };
        // Consent and re-subscription must come from the subject (MKT-09, GDPR-07, CCPA-34).
        let grants = match e.key {
            ChoiceKey::Marketing(..)
            | ChoiceKey::EuThirdPartySharing
            | ChoiceKey::Recipient(_)
            | ChoiceKey::Cookie(_)
            | ChoiceKey::MinorAuthorization
            | ChoiceKey::PurposeConsent(_)
            | ChoiceKey::LocationServices => e.value,
            // Reversing an opt-out is an opt-in.
            ChoiceKey::SaleOptOut
            | ChoiceKey::ShareOptOut
            | ChoiceKey::ThirdPartySharingOptOut
            | ChoiceKey::NvNoSale
            | ChoiceKey::LimitSpi => !e.value,
            _ => false,
        };
        if grants && !e.source.may_grant() {
            ignored.push(Ignored {
                entry: i,
                code: "GRANT_NEEDS_SUBJECT",
            });
            continue;
        }
        match e.key {
            ChoiceKey::SaleOptOut => c.sale_opt_out = e.value,
            ChoiceKey::ShareOptOut => c.share_opt_out = e.value,
            ChoiceKey::ThirdPartySharingOptOut => c.third_party_sharing_opt_out = e.value,
            ChoiceKey::NvNoSale => c.nv_no_sale = e.value,
            ChoiceKey::LimitSpi => c.limit_spi = e.value,
            ChoiceKey::Gpc => {
                if !e.value {
                    // Absence of the signal is never an opt-in (GPC-03, CCPA-12(c)(5)).
                    ignored.push(Ignored {
                        entry: i,
                        code: "GPC_ABSENCE_IS_NOT_CONSENT",
                    });
                    continue;
                }
                gpc_effect(
                    engine,
                    jurisdiction,
                    gpc_counts,
                    &mut c,
                    &mut prov,
                    Provenance {
                        source: ChoiceSource::Gpc,
                        ..p
                    },
                );
            }
            ChoiceKey::ObjectionDirectMarketing => c.objection_direct_marketing = e.value,
            ChoiceKey::Objection(pid) => {
                if e.value {
                    c.objections_pending.insert(pid);
                } else {
                    c.objections_pending.remove(pid);
                }
            }
            ChoiceKey::ObjectionOutcome(pid) => {
                c.objections_pending.remove(pid);
                if e.value {
                    c.objections_upheld.insert(pid);
                } else {
                    c.objections_upheld.remove(pid);
                }
            }
            ChoiceKey::LocationServices => c.location_services = e.value,
            ChoiceKey::StopPromotions => {
                c.stop_promotions = e.value;
                if e.value {
                    // BIZ-02: "stop" sets the marketing opt-outs and the third-party sharing opt-out.
                    for t in [MarketingType::FirstParty, MarketingType::ThirdPartyOffers] {
                        for ch in Channel::ALL {
                            let slot = &mut c.marketing[t as usize][ch as usize];
                            *slot = if slot.given() {
                                Consent::Withdrawn
                            } else {
                                Consent::Refused
                            };
                            set_prov(&mut prov, ChoiceKey::Marketing(t, ch).key(engine), p);
                        }
                    }
                    c.third_party_sharing_opt_out = true;
                    set_prov(&mut prov, "third_party_sharing_opt_out".into(), p);
                }
            }
            ChoiceKey::Marketing(t, ch) => {
                let slot = &mut c.marketing[t as usize][ch as usize];
                *slot = step(*slot, e.value);
            }
            ChoiceKey::EuThirdPartySharing => {
                c.eu_third_party_sharing = step(c.eu_third_party_sharing, e.value)
            }
            ChoiceKey::Recipient(r) => {
                if e.value {
                    c.recipient_consent.insert(r);
                    c.recipient_withdrawn.remove(r);
                } else if c.recipient_consent.contains(r) {
                    c.recipient_consent.remove(r);
                    c.recipient_withdrawn.insert(r);
                }
            }
            ChoiceKey::Cookie(tc) => {
                let slot = &mut c.cookies[tc as usize];
                *slot = step(*slot, e.value);
            }
            ChoiceKey::PurposeConsent(pid) => {
                if e.value {
                    c.purpose_consent.insert(pid);
                    c.purpose_withdrawn.remove(pid);
                } else {
                    c.purpose_consent.remove(pid);
                    c.purpose_withdrawn.insert(pid);
                }
            }
            ChoiceKey::MinorAuthorization => {
                c.minor_authorization = match (e.value, e.source) {
                    (false, _) => MinorAuthorization::Declined,
                    (true, ChoiceSource::Parent) => MinorAuthorization::Parent,
                    (true, _) => MinorAuthorization::SelfTwoStep,
                };
            }
        }
        set_prov(&mut prov, e.key.key(engine), p);
    }
    Effective {
        choices: c,
        provenance: prov,
        ignored,
    }
}

fn set_prov(prov: &mut Vec<(String, Provenance)>, key: String, p: Provenance) {
    if let Some(slot) = prov.iter_mut().find(|(k, _)| *k == key) {
        slot.1 = p;
    } else {
        prov.push((key, p));
    }
}

/// What an observed GPC signal does (GPC-05, GPC-06, GDPR-23): an opt-out of
/// sale and sharing where honoured; optionally an Art. 21(5) objection in the EU.
fn gpc_effect(
    engine: &Engine,
    jurisdiction: Option<&Jurisdiction>,
    honoured: bool,
    c: &mut Choices,
    prov: &mut Vec<(String, Provenance)>,
    p: Provenance,
) {
    c.gpc = true;
    set_prov(prov, "gpc".into(), p);
    if honoured {
        c.sale_opt_out = true;
        c.share_opt_out = true;
        set_prov(prov, "sale_opt_out".into(), p);
        set_prov(prov, "share_opt_out".into(), p);
    } else if engine.settings.gpc_as_art21_5 && jurisdiction.is_some_and(|j| !j.is_us()) {
        c.objection_direct_marketing = true;
        set_prov(prov, "objection:direct_marketing".into(), p);
    }
}

/// Apply the GPC signal carried by the request itself (`effective_choices(subject|device,
/// signals, at)`, §0.4; DNS-04): it counts like a ledger entry observed at `at`, so a
/// request with `Sec-GPC: 1` reports the opt-out even before the observation is stored.
pub fn apply_request_gpc(
    engine: &Engine,
    jurisdiction: Option<&Jurisdiction>,
    eff: &mut Effective,
    at: Timestamp,
) {
    let p = Provenance {
        entry: None,
        source: ChoiceSource::Gpc,
        at: Some(at),
        channel: Some(ChoiceChannel::Gpc),
    };
    gpc_effect(
        engine,
        jurisdiction,
        engine.gpc_honored(jurisdiction),
        &mut eff.choices,
        &mut eff.provenance,
        p,
    );
}

fn step(prev: Consent, value: bool) -> Consent {
    match (prev, value) {
        (_, true) => Consent::Given,
        (Consent::Given | Consent::Withdrawn, false) => Consent::Withdrawn,
        (Consent::Unset | Consent::Refused, false) => Consent::Refused,
    }
}

/// Every field of [`Choices`] with its wire key and effective value as JSON-able text,
/// and provenance (defaults where nothing was recorded), for `effective_choices`.
#[must_use]
pub fn describe(engine: &Engine, eff: &Effective, eu: bool) -> Vec<(String, String, Provenance)> {
    let c = &eff.choices;
    let prov = |k: &str| {
        eff.provenance
            .iter()
            .find(|(key, _)| key == k)
            .map_or(DEFAULT, |(_, p)| *p)
    };
    let consent = |x: Consent, eu_default: bool| -> String {
        match x {
            Consent::Given => "given".into(),
            Consent::Refused => "refused".into(),
            Consent::Withdrawn => "withdrawn".into(),
            // Defaults: EU opt-in (off), US opt-out (on) (GDPR-25, MKT-06).
            Consent::Unset if eu_default => "not_given".into(),
            Consent::Unset => "not_opted_out".into(),
        }
    };
    let mut out = Vec::new();
    for (k, v) in [
        ("sale_opt_out", c.sale_opt_out),
        ("share_opt_out", c.share_opt_out),
        ("third_party_sharing_opt_out", c.third_party_sharing_opt_out),
        ("nv_no_sale", c.nv_no_sale),
        ("limit_spi", c.limit_spi),
        ("gpc", c.gpc),
        ("objection:direct_marketing", c.objection_direct_marketing),
        ("location_services", c.location_services),
        ("stop_promotions", c.stop_promotions),
    ] {
        out.push((k.to_string(), v.to_string(), prov(k)));
    }
    for t in [MarketingType::FirstParty, MarketingType::ThirdPartyOffers] {
        for ch in Channel::ALL {
            let k = ChoiceKey::Marketing(t, ch).key(engine);
            let sms_needs_consent =
                matches!(ch, Channel::Sms | Channel::Phone) && engine.settings.sms_requires_consent;
            let v = consent(c.marketing(t, ch), eu || sms_needs_consent);
            let p = prov(&k);
            out.push((k, v, p));
        }
    }
    out.push((
        "consent:third_party_sharing".into(),
        consent(c.eu_third_party_sharing, eu),
        prov("consent:third_party_sharing"),
    ));
    for tc in TrackerCategory::ALL {
        let k = format!("cookie:{}", tc.as_str());
        let v = if tc == TrackerCategory::StrictlyNecessary {
            "strictly_necessary".into()
        } else {
            consent(c.cookie(tc), eu)
        };
        let p = prov(&k);
        out.push((k, v, p));
    }
    for p in c.objections_pending.iter() {
        let k = format!("objection:{}", engine.purpose_info(p).key);
        let pr = prov(&k);
        out.push((k, "pending".into(), pr));
    }
    for p in c.objections_upheld.iter() {
        let k = format!("objection:{}", engine.purpose_info(p).key);
        let pr = prov(&format!("objection_outcome:{}", engine.purpose_info(p).key));
        out.push((k, "upheld".into(), pr));
    }
    for r in c.recipient_consent.iter() {
        let k = format!("consent:recipient:{}", engine.recipient_info(r).key);
        let pr = prov(&k);
        out.push((k, "given".into(), pr));
    }
    for r in c.recipient_withdrawn.iter() {
        let k = format!("consent:recipient:{}", engine.recipient_info(r).key);
        let pr = prov(&k);
        out.push((k, "withdrawn".into(), pr));
    }
    for p in c.purpose_consent.iter() {
        let k = format!("consent:purpose:{}", engine.purpose_info(p).key);
        let pr = prov(&k);
        out.push((k, "given".into(), pr));
    }
    for p in c.purpose_withdrawn.iter() {
        let k = format!("consent:purpose:{}", engine.purpose_info(p).key);
        let pr = prov(&k);
        out.push((k, "withdrawn".into(), pr));
    }
    let minor = match c.minor_authorization {
        MinorAuthorization::None => "none",
        MinorAuthorization::SelfTwoStep => "self",
        MinorAuthorization::Parent => "parent",
        MinorAuthorization::Declined => "declined",
    };
    out.push((
        "minor_authorization".into(),
        minor.into(),
        prov("minor_authorization"),
    ));
    out
}
