//! GPP decoders (steward-signals, GPP-12): never panic on any input; a decoded string that
//! re-encodes must decode back to the same value, and re-encoding is a fixpoint.
#![no_main]

use libfuzzer_sys::fuzz_target;
use steward_signals::{GppString, UsCa, UsNat, decode_header};

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    let _ = decode_header(s);
    if let Ok(ca) = UsCa::decode(s) {
        if let Ok(e) = ca.encode() {
            assert_eq!(UsCa::decode(&e).expect("re-encoded usca decodes"), ca);
        }
    }
    if let Ok(nat) = UsNat::decode(s) {
        if let Ok(e) = nat.encode() {
            assert_eq!(UsNat::decode(&e).expect("re-encoded usnat decodes"), nat);
        }
    }
    if let Ok(g) = GppString::decode(s) {
        if let Ok(e) = g.encode() {
            let again = GppString::decode(&e).expect("re-encoded gpp string decodes");
            assert_eq!(again, g);
            assert_eq!(again.encode().expect("stable encode"), e);
        }
    }
});
