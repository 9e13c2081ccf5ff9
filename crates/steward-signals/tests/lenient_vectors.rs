//! Lenient reading (the policy-over-time work, GPP-09, GPP-12): every GPP string the IAB reference library
//! `@iabgpp/cmpapi` decodes, Steward decodes; a section whose values it cannot model is kept
//! as its original text and forwarded unchanged. Vectors: `vectors/lenient_gpp_vectors.json`,
//! written by `vectors/gen-lenient-vectors.mjs` with the library.
#![expect(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test code: a failed step fails the test"
)]

use serde_json::Value;
use steward_signals::{GppError, GppString, Section, SectionId};

fn vectors() -> Vec<Value> {
    let v: Value = serde_json::from_str(include_str!("vectors/lenient_gpp_vectors.json")).unwrap();
    assert_eq!(v["library"], "@iabgpp/cmpapi");
    v["vectors"].as_array().unwrap().clone()
}

fn code(v: &Value, field: &str) -> u64 {
    v[field]
        .as_u64()
        .unwrap_or_else(|| panic!("{field} missing in {v}"))
}

/// A modelled section's fields agree with the library's reading of the same text.
fn same_fields(name: &str, section: &Section, lib: &Value) {
    let covered = |b: bool| if b { 1 } else { 2 };
    match section {
        Section::UsCa(ca) => {
            assert_eq!(code(lib, "Version"), 1, "{name}");
            assert_eq!(
                u64::from(ca.sale_opt_out.code()),
                code(lib, "SaleOptOut"),
                "{name}"
            );
            assert_eq!(
                u64::from(ca.sharing_opt_out.code()),
                code(lib, "SharingOptOut"),
                "{name}"
            );
            assert_eq!(
                u64::from(ca.sale_opt_out_notice.code()),
                code(lib, "SaleOptOutNotice"),
                "{name}"
            );
            assert_eq!(
                covered(ca.mspa_covered_transaction),
                code(lib, "MspaCoveredTransaction"),
                "{name}"
            );
            assert_eq!(
                Some(ca.gpc.unwrap_or(false)),
                lib["Gpc"].as_bool(),
                "{name}"
            );
        }
        Section::UsNat(nat) => {
            assert_eq!(
                u64::from(nat.sale_opt_out.code()),
                code(lib, "SaleOptOut"),
                "{name}"
            );
            assert_eq!(
                u64::from(nat.sharing_notice.code()),
                code(lib, "SharingNotice"),
                "{name}"
            );
            assert_eq!(
                covered(nat.mspa_covered_transaction),
                code(lib, "MspaCoveredTransaction"),
                "{name}"
            );
            assert_eq!(
                Some(nat.gpc.unwrap_or(false)),
                lib["Gpc"].as_bool(),
                "{name}"
            );
        }
        Section::Opaque(_) => unreachable!("only modelled sections are compared"),
    }
}

#[test]
fn gpp_12_every_string_the_reference_library_reads_is_read() {
    let vectors = vectors();
    let mut kept_as_text = 0;
    let mut inconsistent = 0;
    let mut repadded = 0;
    for v in vectors.iter().filter(|v| v["library_decodes"] == true) {
        let name = v["name"].as_str().unwrap();
        let encoded = v["encoded"].as_str().unwrap();
        let g = GppString::decode(encoded).unwrap_or_else(|e| panic!("{name}: {encoded}: {e}"));
        let ids: Vec<u16> = g.section_ids().map(SectionId::get).collect();
        let want: Vec<u16> = v["header_ids"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| u16::try_from(x.as_u64().unwrap()).unwrap())
            .collect();
        assert_eq!(ids, want, "{name}: section ids");
        let texts = v["sections"].as_array().unwrap();
        let strict = GppString::decode_strict(encoded);
        for (section, text) in g.sections().iter().zip(texts) {
            let text = text.as_str().unwrap();
            let lib = section
                .id()
                .name()
                .map_or(&Value::Null, |n| &v["library_sections"][n]);
            match section {
                Section::Opaque(o) => {
                    // Kept as received (GPP-09).
                    assert_eq!(o.encoded(), text, "{name}: opaque text");
                    if o.id() == SectionId::USCA || o.id() == SectionId::USNAT {
                        kept_as_text += 1;
                        assert!(
                            strict.is_err(),
                            "{name}: a modelled section the strict reader accepts was kept opaque"
                        );
                        assert!(lib.is_object(), "{name}: the library read this section");
                    }
                }
                modelled => same_fields(name, modelled, lib),
            }
        }
        // Forwarded unchanged: the string Steward writes back is the one it received (a bare
        // TCF string gains the GPP header it lacked). Encoding stays strict: a modelled section
        // whose fields contradict each other (GPP-08) is read but not re-encoded; such a
        // string is forwarded as the text received (GPP-09).
        if encoded.starts_with('D') {
            match g.encode() {
                Ok(e) if e == encoded => {}
                Ok(e) => {
                    // Only padding differs (extra zero bits after the last modelled field):
                    // the same reading, and forwarded as received per GPP-09.
                    assert_eq!(GppString::decode(&e).unwrap(), g, "{name}: {e}");
                    repadded += 1;
                }
                Err(GppError::InconsistentFields { .. }) => {
                    assert!(strict.is_ok(), "{name}: read field by field");
                    inconsistent += 1;
                }
                Err(e) => panic!("{name}: {e}"),
            }
        } else {
            let back = GppString::decode(&g.encode().unwrap()).unwrap();
            assert_eq!(back, g, "{name}");
        }
    }
    assert!(
        kept_as_text >= 10,
        "the vectors exercise sections kept as text"
    );
    assert_eq!(inconsistent, 1, "one vector is read but not re-encodable");
    assert_eq!(repadded, 1, "one vector only has longer padding");
}

#[test]
fn gpp_12_modelled_sections_stay_modelled() {
    for v in vectors() {
        let name = v["name"].as_str().unwrap();
        if !name.ends_with("as modelled") {
            continue;
        }
        let g = GppString::decode(v["encoded"].as_str().unwrap()).unwrap();
        assert!(
            g.usca().is_some() || g.usnat().is_some(),
            "{name}: read field by field"
        );
        assert_eq!(
            GppString::decode_strict(v["encoded"].as_str().unwrap()).unwrap(),
            g
        );
    }
}

#[test]
fn gpp_12_malformed_strings_the_library_refuses_are_refused() {
    let refused: Vec<Value> = vectors()
        .into_iter()
        .filter(|v| v["library_decodes"] == false)
        .collect();
    assert!(refused.len() >= 3);
    for v in refused {
        let encoded = v["encoded"].as_str().unwrap();
        assert!(
            GppString::decode(encoded).is_err(),
            "{}: {encoded} is malformed",
            v["name"]
        );
    }
}

#[test]
fn gpp_12_encoding_stays_strict() {
    // What Steward writes is modelled: a usca or usnat section cannot be made opaque by hand.
    assert!(steward_signals::OpaqueSection::new(SectionId::USCA, "CUUAAACA").is_err());
    assert!(steward_signals::OpaqueSection::new(SectionId::USNAT, "DUAQAAAAAACA").is_err());
}
