//! Property tests: decode(encode(x)) == x for every valid value, and the decoders never
//! panic on arbitrary input (GPP-12, USP-01; the fuzz targets in `fuzz/` go further).
#![expect(
    clippy::unwrap_used,
    reason = "test code: a failed step fails the test"
)]

use proptest::prelude::*;
use steward_signals::{
    Consent, GppString, MspaMode, Notice, OpaqueSection, OptOut, Section, SectionId, UsCa, UsNat,
    UsNatVersion, UsPrivacy, UspFlag, decode_header, encode_header, parse_sec_gpc,
};

fn notice() -> impl Strategy<Value = Notice> {
    prop::sample::select(Notice::ALL.to_vec())
}
fn opt_out() -> impl Strategy<Value = OptOut> {
    prop::sample::select(OptOut::ALL.to_vec())
}
fn consent() -> impl Strategy<Value = Consent> {
    prop::sample::select(Consent::ALL.to_vec())
}
fn mspa() -> impl Strategy<Value = MspaMode> {
    prop::sample::select(MspaMode::ALL.to_vec())
}

fn fix(notice: Notice, o: OptOut) -> OptOut {
    if notice == Notice::Provided {
        o
    } else {
        OptOut::NotApplicable
    }
}

/// Any usca value that passes GPP-08.
fn usca() -> impl Strategy<Value = UsCa> {
    (
        (notice(), notice(), notice(), opt_out(), opt_out()),
        prop::array::uniform9(opt_out()),
        prop::array::uniform2(consent()),
        (consent(), any::<bool>(), mspa(), mspa()),
        prop::option::of(any::<bool>()),
    )
        .prop_map(|((n1, n2, n3, o1, o2), sdp, kc, (pdc, cov, m1, m2), gpc)| {
            let sdp = if n3 == Notice::NotApplicable {
                [OptOut::NotApplicable; 9]
            } else {
                sdp
            };
            UsCa {
                sale_opt_out_notice: n1,
                sharing_opt_out_notice: n2,
                sensitive_data_limit_use_notice: n3,
                sale_opt_out: fix(n1, o1),
                sharing_opt_out: fix(n2, o2),
                sensitive_data_processing: sdp,
                known_child_sensitive_data_consents: kc,
                personal_data_consents: pdc,
                mspa_covered_transaction: cov,
                mspa_opt_out_option_mode: m1,
                mspa_service_provider_mode: m2,
                gpc,
            }
        })
}

/// Any usnat value (version 1 or 2) that passes GPP-08.
fn usnat() -> impl Strategy<Value = UsNat> {
    (
        prop::bool::ANY,
        prop::array::uniform6(notice()),
        prop::array::uniform3(opt_out()),
        prop::array::uniform16(consent()),
        prop::array::uniform3(consent()),
        (consent(), any::<bool>(), mspa(), mspa()),
        prop::option::of(any::<bool>()),
    )
        .prop_map(|(v1, n, o, mut sdp, mut kc, (pdc, cov, m1, m2), gpc)| {
            let version = if v1 {
                sdp[12..].fill(Consent::NotApplicable);
                kc[2] = Consent::NotApplicable;
                UsNatVersion::V1
            } else {
                UsNatVersion::V2
            };
            UsNat {
                version,
                sharing_notice: n[0],
                sale_opt_out_notice: n[1],
                sharing_opt_out_notice: n[2],
                targeted_advertising_opt_out_notice: n[3],
                sensitive_data_processing_opt_out_notice: n[4],
                sensitive_data_limit_use_notice: n[5],
                sale_opt_out: fix(n[1], o[0]),
                sharing_opt_out: fix(n[2], o[1]),
                targeted_advertising_opt_out: fix(n[3], o[2]),
                sensitive_data_processing: sdp,
                known_child_sensitive_data_consents: kc,
                personal_data_consents: pdc,
                mspa_covered_transaction: cov,
                mspa_opt_out_option_mode: m1,
                mspa_service_provider_mode: m2,
                gpc,
            }
        })
}

fn opaque() -> impl Strategy<Value = Section> {
    (
        (1u16..=40).prop_filter("modelled ids", |id| *id != 7 && *id != 8),
        "[A-Za-z0-9_-]{1,20}(\\.[A-Za-z0-9_-]{1,8}){0,2}",
    )
        .prop_map(|(id, text)| {
            Section::Opaque(OpaqueSection::new(SectionId::new(id).unwrap(), &text).unwrap())
        })
}

fn gpp() -> impl Strategy<Value = GppString> {
    (
        prop::option::of(usnat()),
        prop::option::of(usca()),
        prop::collection::vec(opaque(), 0..5),
    )
        .prop_map(|(nat, ca, others)| {
            let mut g = GppString::new();
            for s in others {
                g.insert(s).unwrap();
            }
            if let Some(n) = nat {
                g.insert(Section::UsNat(n)).unwrap();
            }
            if let Some(c) = ca {
                g.insert(Section::UsCa(c)).unwrap();
            }
            g
        })
}

fn usp_flag() -> impl Strategy<Value = UspFlag> {
    prop::sample::select(vec![UspFlag::Yes, UspFlag::No, UspFlag::NotApplicable])
}

/// Any US Privacy value that passes USP-02.
fn usp() -> impl Strategy<Value = UsPrivacy> {
    (usp_flag(), usp_flag(), usp_flag()).prop_map(|(n, o, l)| {
        if o == UspFlag::NotApplicable {
            UsPrivacy::NOT_APPLICABLE
        } else {
            UsPrivacy {
                version: 1,
                notice: n,
                opt_out_sale: o,
                lspa: l,
            }
        }
    })
}

/// Text drawn mostly from the GPP alphabet, so decoding gets past the first checks.
fn gpp_like() -> impl Strategy<Value = String> {
    "(D[A-Za-z0-9_-]{0,10})?([~.][A-Za-z0-9_-]{0,16}){0,5}"
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn gpp_04_usca_round_trip(ca in usca()) {
        let s = ca.encode().unwrap();
        prop_assert_eq!(UsCa::decode(&s).unwrap(), ca);
    }

    #[test]
    fn gpp_04_usnat_round_trip(nat in usnat()) {
        let s = nat.encode().unwrap();
        prop_assert_eq!(UsNat::decode(&s).unwrap(), nat);
    }

    #[test]
    fn gpp_02_header_round_trip(ids in prop::collection::btree_set(1u16..=3000, 0..=64)) {
        let ids: Vec<SectionId> = ids.into_iter().map(|i| SectionId::new(i).unwrap()).collect();
        let h = encode_header(&ids).unwrap();
        prop_assert_eq!(decode_header(&h).unwrap(), ids);
    }

    #[test]
    fn gpp_09_full_string_round_trip(g in gpp()) {
        let s = g.encode().unwrap();
        let back = GppString::decode(&s).unwrap();
        prop_assert_eq!(&back, &g);
        // Opaque sections survive byte-identical.
        prop_assert_eq!(back.encode().unwrap(), s);
    }

    #[test]
    fn usp_01_round_trip(u in usp()) {
        let s = u.encode().unwrap();
        prop_assert_eq!(s.len(), 4);
        prop_assert_eq!(UsPrivacy::decode(&s).unwrap(), u);
    }

    #[test]
    fn gpp_12_decoders_never_panic_on_any_text(s in any::<String>()) {
        let _ = GppString::decode(&s);
        let _ = UsCa::decode(&s);
        let _ = UsNat::decode(&s);
        let _ = decode_header(&s);
        let _ = UsPrivacy::decode(&s);
        let _ = parse_sec_gpc([s.as_str()]);
    }

    #[test]
    fn gpp_12_decode_then_encode_is_stable(s in gpp_like()) {
        let _ = UsCa::decode(&s);
        let _ = UsNat::decode(&s);
        if let Ok(g) = GppString::decode(&s) {
            // A decoded string that passes GPP-08 re-encodes, and that encoding is a fixpoint.
            if let Ok(e) = g.encode() {
                prop_assert_eq!(GppString::decode(&e).unwrap(), g);
            }
        }
    }

    #[test]
    fn usp_01_decoder_never_panics(s in "[0-9YN\\-a-z€]{0,6}") {
        if let Ok(u) = UsPrivacy::decode(&s)
            && u.validate().is_ok()
        {
            prop_assert_eq!(u.encode().unwrap(), s);
        }
    }
}
