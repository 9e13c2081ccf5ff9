//! Spec Part D acceptance tests through the public API, and the iabgpp-rs test vectors the
//! spec quotes (`noirotm/iabgpp-rs` `tests/data/*.json`: GPP-04, GPP-05, GPP-12).
#![expect(
    clippy::unwrap_used,
    reason = "test code: a failed step fails the test"
)]

use steward_signals::{
    Consent, Gpc, GppApproach, GppConfig, GppEngineState, GppError, GppRegion, GppString, KnownAge,
    MspaMode, Notice, OptOut, SectionId, UsCa, UsNat, UsNatVersion, UspState, decode_header,
    gpp_sid, gpp_string, parse_sec_gpc, usp_string,
};

fn decode_one(gpp: &str) -> GppString {
    let g = GppString::decode(gpp).unwrap();
    assert_eq!(g.sections().len(), 1);
    // Decoded known sections re-encode to the same bytes when padded like the reference.
    g
}

#[test]
fn gpp_04_iabgpp_rs_usca_not_applicable() {
    let g = decode_one("DBABBg~BAAAAACA");
    assert_eq!(
        *g.usca().unwrap(),
        UsCa {
            mspa_covered_transaction: false,
            ..UsCa::default()
        }
    );
    assert_eq!(g.encode().unwrap(), "DBABBg~BAAAAACA");
}

#[test]
fn gpp_04_iabgpp_rs_usca_opted_out() {
    let g = decode_one("DBABBg~BVVVVVVY");
    let expected = UsCa {
        sale_opt_out_notice: Notice::Provided,
        sharing_opt_out_notice: Notice::Provided,
        sensitive_data_limit_use_notice: Notice::Provided,
        sale_opt_out: OptOut::OptedOut,
        sharing_opt_out: OptOut::OptedOut,
        sensitive_data_processing: [OptOut::OptedOut; 9],
        known_child_sensitive_data_consents: [Consent::NoConsent; 2],
        personal_data_consents: Consent::NoConsent,
        mspa_covered_transaction: true,
        mspa_opt_out_option_mode: MspaMode::Yes,
        mspa_service_provider_mode: MspaMode::No,
        gpc: None,
    };
    assert_eq!(*g.usca().unwrap(), expected);
    // iabgpp-rs's string is 6-bit padded; the reference encoder pads to a byte boundary.
    assert_eq!(expected.encode().unwrap(), "BVVVVVVY");
}

#[test]
fn gpp_05_iabgpp_rs_usca_with_gpc() {
    let g = decode_one("DBABBg~BVqqqqpY.YA");
    let expected = UsCa {
        sale_opt_out_notice: Notice::Provided,
        sharing_opt_out_notice: Notice::Provided,
        sensitive_data_limit_use_notice: Notice::Provided,
        sale_opt_out: OptOut::DidNotOptOut,
        sharing_opt_out: OptOut::DidNotOptOut,
        sensitive_data_processing: [OptOut::DidNotOptOut; 9],
        known_child_sensitive_data_consents: [Consent::Consent; 2],
        personal_data_consents: Consent::Consent,
        mspa_covered_transaction: true,
        mspa_opt_out_option_mode: MspaMode::Yes,
        mspa_service_provider_mode: MspaMode::No,
        gpc: Some(true),
    };
    assert_eq!(*g.usca().unwrap(), expected);
    assert_eq!(g.encode().unwrap(), "DBABBg~BVqqqqpY.YA");
}

fn usnat_v1_all(n: Notice, o: OptOut, c: Consent) -> UsNat {
    let mut sdp = [Consent::NotApplicable; 16];
    sdp[..12].fill(c);
    UsNat {
        version: UsNatVersion::V1,
        sharing_notice: n,
        sale_opt_out_notice: n,
        sharing_opt_out_notice: n,
        targeted_advertising_opt_out_notice: n,
        sensitive_data_processing_opt_out_notice: n,
        sensitive_data_limit_use_notice: n,
        sale_opt_out: o,
        sharing_opt_out: o,
        targeted_advertising_opt_out: o,
        sensitive_data_processing: sdp,
        known_child_sensitive_data_consents: [c, c, Consent::NotApplicable],
        personal_data_consents: c,
        mspa_covered_transaction: true,
        mspa_opt_out_option_mode: MspaMode::NotApplicable,
        mspa_service_provider_mode: MspaMode::NotApplicable,
        gpc: None,
    }
}

#[test]
fn gpp_04_iabgpp_rs_usnat_v1_vectors() {
    let na = decode_one("DBABLA~BAAAAAAAAQA");
    assert_eq!(
        *na.usnat().unwrap(),
        usnat_v1_all(
            Notice::NotApplicable,
            OptOut::NotApplicable,
            Consent::NotApplicable
        )
    );
    assert_eq!(na.encode().unwrap(), "DBABLA~BAAAAAAAAQA");

    let opted_out = UsNat {
        mspa_opt_out_option_mode: MspaMode::Yes,
        mspa_service_provider_mode: MspaMode::No,
        ..usnat_v1_all(Notice::Provided, OptOut::OptedOut, Consent::NoConsent)
    };
    let g = decode_one("DBABLA~BVVVVVVVVWA");
    assert_eq!(*g.usnat().unwrap(), opted_out);
    assert_eq!(g.encode().unwrap(), "DBABLA~BVVVVVVVVWA");

    let g = decode_one("DBABLA~BVVVVVVVVWA.YA");
    assert_eq!(
        *g.usnat().unwrap(),
        UsNat {
            gpc: Some(true),
            ..opted_out
        }
    );
}

#[test]
fn gpp_04_iabgpp_rs_usnat_v2_not_applicable() {
    let g = decode_one("DBABLA~CAAAAAAAAAWA.Q");
    let n = g.usnat().unwrap();
    assert_eq!(n.version, UsNatVersion::V2);
    assert_eq!(n.sensitive_data_processing, [Consent::NotApplicable; 16]);
    assert_eq!(
        n.known_child_sensitive_data_consents,
        [
            Consent::NotApplicable,
            Consent::NotApplicable,
            Consent::NoConsent
        ]
    );
    assert_eq!(n.personal_data_consents, Consent::NoConsent);
    assert!(!n.mspa_covered_transaction);
    assert_eq!(n.gpc, Some(false));
    // GPP-06: the encoder pads to a byte boundary.
    assert_eq!(g.encode().unwrap(), "DBABLA~CAAAAAAAAAWA.QA");
}

#[test]
fn gpp_12_iabgpp_rs_error_cases() {
    // usca's cases (iabgpp-rs `usca.rs`), then usnat's (`usnat.rs`).
    let usca_cases = [
        ("CVVVVVVVVWA.YA", "version"),
        ("BVVVVVVVVWA.AA", "type"),
        ("123", "version"),
        ("", "read"),
    ];
    let usnat_cases = [
        ("gqgkgAAAAEA", "version"),
        ("BVVVVVVVVWA.AA", "type"),
        ("123", "version"),
        ("", "read"),
    ];
    let results = usca_cases
        .iter()
        .map(|(s, want)| (*s, *want, UsCa::decode(s).map(|_| ())))
        .chain(
            usnat_cases
                .iter()
                .map(|(s, want)| (*s, *want, UsNat::decode(s).map(|_| ()))),
        );
    for (s, want, got) in results {
        match (want, got) {
            ("version", Err(GppError::UnknownSegmentVersion { .. }))
            | ("type", Err(GppError::UnknownSegmentType { .. }))
            | ("read", Err(GppError::UnexpectedEnd)) => {}
            (want, got) => panic!("{s:?}: wanted {want}, got {got:?}"),
        }
    }
    assert!(matches!(
        GppString::decode_strict("DBABBg~CVVVVVVVVWA.YA"),
        Err(GppError::UnknownSegmentVersion {
            section: SectionId::USCA,
            version: 2
        })
    ));
    assert_eq!(
        GppString::decode("EBABBg~BUUAAACA"),
        Err(GppError::InvalidHeaderType { found: 4 })
    );
}

#[test]
fn gpp_06_padding_variants_decode_the_same() {
    assert_eq!(decode_header("DBABL").unwrap(), [SectionId::USNAT]);
    assert_eq!(decode_header("DBABLA").unwrap(), [SectionId::USNAT]);
    let a = GppString::decode("DBABL~CAAAAAAAAAWA.Q").unwrap();
    let b = GppString::decode("DBABLA~CAAAAAAAAAWA.QA").unwrap();
    assert_eq!(a, b);
}

fn ca_state(sale: bool, gpc: Gpc) -> GppEngineState {
    GppEngineState {
        sale_opt_out: sale,
        share_opt_out: sale,
        gpc,
        known_age: KnownAge::Unknown,
        minor_authorized: false,
    }
}

#[test]
fn gpc_11_gpc_request_to_downstream_signals() {
    // Header → GPC → effective opt-out → both downstream strings.
    let gpc = parse_sec_gpc(["1"]);
    assert_eq!(gpc, Gpc::On);
    let state = ca_state(true, gpc);
    let gpp = gpp_string(&state, GppRegion::California, &GppConfig::default()).unwrap();
    assert_eq!(gpp, "DBABBg~BUUAAACA.YA");
    let ca = *GppString::decode(&gpp).unwrap().usca().unwrap();
    assert_eq!(ca.sale_opt_out, OptOut::OptedOut);
    assert_eq!(ca.sharing_opt_out, OptOut::OptedOut);
    assert_eq!(ca.gpc, Some(true));
    let usp = usp_string(&UspState {
        ccpa_applies: true,
        notice_given: Some(true),
        sale_or_share_opted_out: true,
        lspa_signatory: Some(false),
    });
    assert_eq!(usp, "1YYN");
}

#[test]
fn gpp_07_round_trip_engine_strings() {
    let c = GppConfig::default();
    for (state, expected) in [
        (ca_state(true, Gpc::On), "DBABBg~BUUAAACA.YA"),
        (ca_state(false, Gpc::Absent), "DBABBg~BUoAAACA.QA"),
        (ca_state(true, Gpc::Absent), "DBABBg~BUUAAACA.QA"),
        (
            GppEngineState {
                known_age: KnownAge::From13To15,
                ..ca_state(false, Gpc::Absent)
            },
            "DBABBg~BUUAABSA.QA",
        ),
    ] {
        let s = gpp_string(&state, GppRegion::California, &c).unwrap();
        assert_eq!(s, expected);
        assert_eq!(GppString::decode(&s).unwrap().encode().unwrap(), s);
    }
}

#[test]
fn gpp_10_sid_and_eu_visitors() {
    assert_eq!(
        gpp_sid(GppRegion::California, GppApproach::State),
        [SectionId::USCA]
    );
    assert_eq!(
        gpp_sid(GppRegion::California, GppApproach::National),
        [SectionId::USNAT]
    );
    assert!(gpp_sid(GppRegion::OutsideUs, GppApproach::State).is_empty());
    // serde: the server emits gpp_sid as plain numbers.
    assert_eq!(
        serde_json::to_string(gpp_sid(GppRegion::California, GppApproach::State)).unwrap(),
        "[8]"
    );
}

#[test]
fn gpp_11_public_structs_serialize_for_the_server() {
    let g = GppString::decode("DBABBg~BUUAAACA.YA").unwrap();
    let json = serde_json::to_value(&g).unwrap();
    assert_eq!(json["sections"][0]["usca"]["sale_opt_out"], "OptedOut");
    assert_eq!(json["sections"][0]["usca"]["gpc"], true);
    let cfg: GppConfig = serde_json::from_str(r#"{"approach":"national"}"#).unwrap();
    assert_eq!(cfg.approach, GppApproach::National);
    assert_eq!(cfg.sale_opt_out_notice, Notice::Provided);
}
