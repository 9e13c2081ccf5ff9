//! The policy parser and validator never panic on any input: every input is
//! either an engine or a report with positioned diagnostics. Inputs that
//! compile are also rendered, checked against their notice (`policy check`'s
//! consistency check) and diffed against the shipped policy, which must not
//! panic either.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

static SHIPPED: OnceLock<Option<steward_policy::Engine>> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match steward_policy::load("fuzz.toml", text) {
        Ok(l) => {
            let _ = steward_policy::render::markdown(&l.engine);
            let _ = steward_policy::consistency::check("fuzz.toml", text, &l.engine);
            if let Some(shipped) = SHIPPED.get_or_init(|| steward_policy::default_engine().ok()) {
                let _ = steward_policy::diff::diff(shipped, &l.engine);
            }
        }
        Err(report) => {
            assert!(report.errors() > 0, "a refused policy must carry at least one error");
            let _ = report.to_string();
        }
    }
    // Patching the shipped policy with arbitrary TOML must not panic either.
    if let Ok(patched) = steward_policy::patch::apply(steward_policy::DEFAULT_POLICY, text) {
        let _ = steward_policy::load("patched.toml", &patched);
    }
});
