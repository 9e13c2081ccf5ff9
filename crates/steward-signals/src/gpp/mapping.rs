//! From engine state to the GPP string Stamps.com emits (GPP-07, GPP-10, GPC-11).
//!
//! One approach per request (GPP-10): under [`GppApproach::State`] a California consumer gets
//! `usca` (id 8); under [`GppApproach::National`] every US consumer gets `usnat` (id 7).
//! This crate models no other state section, so under the state approach a consumer in
//! another US state gets `usnat` (still one section, still one approach for that request).
//! Outside the US nothing US-specific is emitted: the string is the bare header `DBAA` and
//! `gpp_sid` is empty.
//!
//! The mapping never signals less protection than California law requires:
//! - GPC on for a California consumer ⇒ sale and sharing opted out (CCPA-12 (c)(1),(c)(3));
//! - a consumer known to be under 16 without valid authorization (CCPA-18) ⇒ opted out of
//!   sale, sharing and targeted advertising, with "no consent" in the known-child field.
//!
//! The GPC sub-section is always emitted, so partners can tell "no GPC" (`.QA`) from
//! "unknown" (GPP-05).

use serde::{Deserialize, Serialize};

use super::{
    Consent, GppError, GppString, MspaMode, Notice, OptOut, Section, SectionId, UsCa, UsNat,
    UsNatVersion,
};
use crate::gpc::Gpc;

/// Which GPP approach the site uses (config; GPP-10).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GppApproach {
    /// State-specific sections (`usca` for California).
    #[default]
    State,
    /// The national section (`usnat`) for every US consumer.
    National,
}

/// Where the consumer is, as far as GPP is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GppRegion {
    /// A California consumer.
    California,
    /// A consumer in another US state.
    OtherUsState,
    /// Outside the US (e.g. an EU visitor): nothing US-specific is emitted.
    OutsideUs,
}

/// What the business actually knows of the consumer's age (CCPA-18).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KnownAge {
    /// No actual knowledge of age.
    #[default]
    Unknown,
    /// Known to be under 13.
    Under13,
    /// Known to be 13, 14 or 15.
    From13To15,
    /// Known to be 16 or older.
    From16,
}

impl KnownAge {
    fn under_16(self) -> bool {
        matches!(self, KnownAge::Under13 | KnownAge::From13To15)
    }
}

/// The consumer's effective state, as the engine computed it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct GppEngineState {
    /// Opted out of sale (Do Not Sell form, GPC, ...).
    pub sale_opt_out: bool,
    /// Opted out of sharing (cross-context behavioral advertising).
    pub share_opt_out: bool,
    /// The GPC signal on this request (goes into the GPC sub-section).
    pub gpc: Gpc,
    /// Known age band.
    pub known_age: KnownAge,
    /// For a known under-16: valid affirmative authorization to sell/share was given (by the
    /// consumer if 13–15, by a parent if under 13; the engine checks who gave it).
    pub minor_authorized: bool,
}

/// Per-field configuration of the emitted sections (GPP-07 defaults; all overridable).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct GppConfig {
    /// State or national approach.
    pub approach: GppApproach,
    /// `SaleOptOutNotice` (default provided: the Do Not Sell link and notice exist).
    pub sale_opt_out_notice: Notice,
    /// `SharingOptOutNotice` (default provided).
    pub sharing_opt_out_notice: Notice,
    /// `SensitiveDataLimitUseNotice` (default not applicable: SPI used only for permitted
    /// purposes, CCPA-20).
    pub sensitive_data_limit_use_notice: Notice,
    /// usnat `SharingNotice` (default provided).
    pub sharing_notice: Notice,
    /// usnat `TargetedAdvertisingOptOutNotice` (default provided).
    pub targeted_advertising_opt_out_notice: Notice,
    /// usnat `SensitiveDataProcessingOptOutNotice` (default not applicable).
    pub sensitive_data_processing_opt_out_notice: Notice,
    /// `PersonalDataConsents` (default not applicable).
    pub personal_data_consents: Consent,
    /// `MspaCoveredTransaction` (default `false`: not an MSPA signatory).
    pub mspa_covered_transaction: bool,
    /// `MspaOptOutOptionMode` (default not applicable).
    pub mspa_opt_out_option_mode: MspaMode,
    /// `MspaServiceProviderMode` (default not applicable).
    pub mspa_service_provider_mode: MspaMode,
}

impl Default for GppConfig {
    fn default() -> Self {
        Self {
            approach: GppApproach::State,
            sale_opt_out_notice: Notice::Provided,
            sharing_opt_out_notice: Notice::Provided,
            sensitive_data_limit_use_notice: Notice::NotApplicable,
            sharing_notice: Notice::Provided,
            targeted_advertising_opt_out_notice: Notice::Provided,
            sensitive_data_processing_opt_out_notice: Notice::NotApplicable,
            personal_data_consents: Consent::NotApplicable,
            mspa_covered_transaction: false,
            mspa_opt_out_option_mode: MspaMode::NotApplicable,
            mspa_service_provider_mode: MspaMode::NotApplicable,
        }
    }
}

/// The applicable sections (`gpp_sid`) for a consumer (GPP-10): `[8]` for California under
/// the state approach, `[7]` for the national approach (and other US states), `[]` outside
/// the US.
#[must_use]
pub fn gpp_sid(region: GppRegion, approach: GppApproach) -> &'static [SectionId] {
    match (region, approach) {
        (GppRegion::California, GppApproach::State) => &[SectionId::USCA],
        (GppRegion::California | GppRegion::OtherUsState, GppApproach::National)
        | (GppRegion::OtherUsState, GppApproach::State) => &[SectionId::USNAT],
        (GppRegion::OutsideUs, GppApproach::State | GppApproach::National) => &[],
    }
}

/// The GPP string for a consumer (GPP-07), e.g. `DBABBg~BUUAAACA.YA` for a California
/// consumer opted out via GPC with the default config.
///
/// Errors only if `config` makes a section inconsistent in a way the mapping cannot repair
/// (it cannot today: opt-outs are set to "not applicable" whenever their notice is not
/// "provided"), so callers may treat an error as a configuration bug.
pub fn gpp_string(
    state: &GppEngineState,
    region: GppRegion,
    config: &GppConfig,
) -> Result<String, GppError> {
    let mut g = GppString::new();
    for id in gpp_sid(region, config.approach) {
        let section = match *id {
            SectionId::USCA => Section::UsCa(usca_for(state, region, config)),
            _ => Section::UsNat(usnat_for(state, region, config)),
        };
        g.insert(section)?;
    }
    g.encode()
}

/// Effective (sale, share) opt-outs after the California GPC rule and the minors rule.
fn effective_opt_outs(state: &GppEngineState, region: GppRegion) -> (bool, bool) {
    let gpc_forces = region == GppRegion::California && state.gpc.is_on();
    let minor_forces = state.known_age.under_16() && !state.minor_authorized;
    let force = gpc_forces || minor_forces;
    (state.sale_opt_out || force, state.share_opt_out || force)
}

fn opt_out(notice: Notice, opted_out: bool) -> OptOut {
    match (notice, opted_out) {
        (Notice::Provided, true) => OptOut::OptedOut,
        (Notice::Provided, false) => OptOut::DidNotOptOut,
        (Notice::NotApplicable | Notice::NotProvided, _) => OptOut::NotApplicable,
    }
}

fn minor_consent(state: &GppEngineState) -> Consent {
    if state.minor_authorized {
        Consent::Consent
    } else {
        Consent::NoConsent
    }
}

fn usca_for(state: &GppEngineState, region: GppRegion, c: &GppConfig) -> UsCa {
    let (sale, share) = effective_opt_outs(state, region);
    let child = if state.known_age.under_16() {
        [minor_consent(state); 2]
    } else {
        [Consent::NotApplicable; 2]
    };
    UsCa {
        sale_opt_out_notice: c.sale_opt_out_notice,
        sharing_opt_out_notice: c.sharing_opt_out_notice,
        sensitive_data_limit_use_notice: c.sensitive_data_limit_use_notice,
        sale_opt_out: opt_out(c.sale_opt_out_notice, sale),
        sharing_opt_out: opt_out(c.sharing_opt_out_notice, share),
        sensitive_data_processing: [OptOut::NotApplicable; 9],
        known_child_sensitive_data_consents: child,
        personal_data_consents: c.personal_data_consents,
        mspa_covered_transaction: c.mspa_covered_transaction,
        mspa_opt_out_option_mode: c.mspa_opt_out_option_mode,
        mspa_service_provider_mode: c.mspa_service_provider_mode,
        gpc: Some(state.gpc.is_on()),
    }
}

fn usnat_for(state: &GppEngineState, region: GppRegion, c: &GppConfig) -> UsNat {
    let (sale, share) = effective_opt_outs(state, region);
    let mut child = [Consent::NotApplicable; 3];
    match state.known_age {
        KnownAge::From13To15 => child[0] = minor_consent(state),
        KnownAge::Under13 => child[1] = minor_consent(state),
        KnownAge::Unknown | KnownAge::From16 => {}
    }
    UsNat {
        version: UsNatVersion::V2,
        sharing_notice: c.sharing_notice,
        sale_opt_out_notice: c.sale_opt_out_notice,
        sharing_opt_out_notice: c.sharing_opt_out_notice,
        targeted_advertising_opt_out_notice: c.targeted_advertising_opt_out_notice,
        sensitive_data_processing_opt_out_notice: c.sensitive_data_processing_opt_out_notice,
        sensitive_data_limit_use_notice: c.sensitive_data_limit_use_notice,
        sale_opt_out: opt_out(c.sale_opt_out_notice, sale),
        sharing_opt_out: opt_out(c.sharing_opt_out_notice, share),
        // Targeted advertising is the usnat name for what CCPA calls sharing.
        targeted_advertising_opt_out: opt_out(c.targeted_advertising_opt_out_notice, share),
        sensitive_data_processing: [Consent::NotApplicable; 16],
        known_child_sensitive_data_consents: child,
        personal_data_consents: c.personal_data_consents,
        mspa_covered_transaction: c.mspa_covered_transaction,
        mspa_opt_out_option_mode: c.mspa_opt_out_option_mode,
        mspa_service_provider_mode: c.mspa_service_provider_mode,
        gpc: Some(state.gpc.is_on()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ca(sale: bool, share: bool, gpc: Gpc) -> GppEngineState {
        GppEngineState {
            sale_opt_out: sale,
            share_opt_out: share,
            gpc,
            known_age: KnownAge::Unknown,
            minor_authorized: false,
        }
    }

    fn s(state: GppEngineState, region: GppRegion, config: &GppConfig) -> String {
        gpp_string(&state, region, config).unwrap()
    }

    #[test]
    fn gpp_07_engine_vectors() {
        let c = GppConfig::default();
        let cal = GppRegion::California;
        assert_eq!(s(ca(true, true, Gpc::On), cal, &c), "DBABBg~BUUAAACA.YA");
        assert_eq!(
            s(ca(false, false, Gpc::Absent), cal, &c),
            "DBABBg~BUoAAACA.QA"
        );
        assert_eq!(
            s(ca(true, true, Gpc::Absent), cal, &c),
            "DBABBg~BUUAAACA.QA"
        );
        let fifteen = GppEngineState {
            known_age: KnownAge::From13To15,
            ..ca(false, false, Gpc::Absent)
        };
        assert_eq!(s(fifteen, cal, &c), "DBABBg~BUUAABSA.QA");
        let mspa = GppConfig {
            mspa_covered_transaction: true,
            ..c
        };
        assert_eq!(s(ca(true, true, Gpc::On), cal, &mspa), "DBABBg~BUUAAABA.YA");
    }

    #[test]
    fn gpc_11_gpc_forces_opt_out_in_california() {
        // Even if the caller's flags lag behind, GPC for a California consumer is an opt-out.
        let c = GppConfig::default();
        assert_eq!(
            s(ca(false, false, Gpc::On), GppRegion::California, &c),
            "DBABBg~BUUAAACA.YA"
        );
    }

    #[test]
    fn gpp_07_authorized_minor_keeps_choices() {
        let c = GppConfig::default();
        let st = GppEngineState {
            known_age: KnownAge::Under13,
            minor_authorized: true,
            ..ca(false, false, Gpc::Absent)
        };
        let g = GppString::decode(&s(st, GppRegion::California, &c)).unwrap();
        let u = g.usca().unwrap();
        assert_eq!(u.sale_opt_out, OptOut::DidNotOptOut);
        assert_eq!(u.known_child_sensitive_data_consents, [Consent::Consent; 2]);
    }

    #[test]
    fn gpp_10_gpp_sid_per_approach() {
        assert_eq!(
            gpp_sid(GppRegion::California, GppApproach::State),
            &[SectionId::USCA]
        );
        assert_eq!(
            gpp_sid(GppRegion::California, GppApproach::National),
            &[SectionId::USNAT]
        );
        assert_eq!(
            gpp_sid(GppRegion::OtherUsState, GppApproach::State),
            &[SectionId::USNAT]
        );
        assert!(gpp_sid(GppRegion::OutsideUs, GppApproach::State).is_empty());
        assert!(gpp_sid(GppRegion::OutsideUs, GppApproach::National).is_empty());
        let eu = s(
            ca(false, false, Gpc::On),
            GppRegion::OutsideUs,
            &GppConfig::default(),
        );
        assert_eq!(eu, "DBAA");
    }

    #[test]
    fn gpp_10_national_approach_emits_usnat() {
        let c = GppConfig {
            approach: GppApproach::National,
            ..GppConfig::default()
        };
        assert_eq!(
            s(ca(true, true, Gpc::On), GppRegion::California, &c),
            "DBABLA~CVQVAAAAAACA.YA"
        );
        assert_eq!(
            s(ca(false, false, Gpc::Absent), GppRegion::OtherUsState, &c),
            "DBABLA~CVQqAAAAAACA.QA"
        );
        let twelve = GppEngineState {
            known_age: KnownAge::Under13,
            ..ca(false, false, Gpc::Absent)
        };
        assert_eq!(
            s(twelve, GppRegion::OtherUsState, &c),
            "DBABLA~CVQVAAAAABCA.QA"
        );
        let fifteen = GppEngineState {
            known_age: KnownAge::From13To15,
            ..ca(false, false, Gpc::Absent)
        };
        assert_eq!(
            s(fifteen, GppRegion::OtherUsState, &c),
            "DBABLA~CVQVAAAAAECA.QA"
        );
    }

    #[test]
    fn gpp_10_gpc_outside_california_follows_the_callers_flags() {
        let c = GppConfig {
            approach: GppApproach::National,
            ..GppConfig::default()
        };
        let g =
            GppString::decode(&s(ca(false, false, Gpc::On), GppRegion::OtherUsState, &c)).unwrap();
        let n = g.usnat().unwrap();
        assert_eq!(n.gpc, Some(true));
        assert_eq!(n.sale_opt_out, OptOut::DidNotOptOut);
    }

    #[test]
    fn gpp_08_notice_not_provided_gives_not_applicable_opt_out() {
        let c = GppConfig {
            sale_opt_out_notice: Notice::NotProvided,
            ..GppConfig::default()
        };
        let g = GppString::decode(&s(ca(true, true, Gpc::On), GppRegion::California, &c)).unwrap();
        let u = g.usca().unwrap();
        assert_eq!(u.sale_opt_out, OptOut::NotApplicable);
        assert_eq!(u.sharing_opt_out, OptOut::OptedOut);
    }
}
