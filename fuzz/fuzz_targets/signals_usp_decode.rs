//! US Privacy decoder and Sec-GPC parser (steward-signals, USP-01, GPC-01): never panic; a
//! decoded valid string encodes back to exactly the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use steward_signals::{Gpc, UsPrivacy, parse_sec_gpc};

fuzz_target!(|data: &[u8]| {
    let gpc = parse_sec_gpc([data]);
    let mut trimmed = data;
    while let [b' ' | b'\t', rest @ ..] = trimmed {
        trimmed = rest;
    }
    while let [rest @ .., b' ' | b'\t'] = trimmed {
        trimmed = rest;
    }
    assert_eq!(gpc == Gpc::On, trimmed == b"1");

    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(u) = UsPrivacy::decode(s) {
        assert_eq!(s.chars().count(), 4);
        if u.validate().is_ok() {
            assert_eq!(u.encode().expect("valid value encodes"), s);
        }
    }
});
