//! The decision-request decoder and every decision never panic on any input
//! line, and every line yields either a decision or an error object.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

static ENGINE: OnceLock<Option<steward_policy::Engine>> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let Some(engine) = ENGINE.get_or_init(|| steward_policy::default_engine().ok()) else { return };
    let Ok(mut req) = serde_json::from_slice::<steward_policy::Request>(data) else { return };
    if req.context.now.is_none() {
        req.context.now = Some("2024-03-04T17:00:00Z".into());
    }
    let v = engine.evaluate(&req);
    assert!(v.get("allow").is_some() || v.get("choices").is_some() || v.get("error").is_some());
    if let Ok(d) = engine.decode(&req) {
        let (o, trace) = engine.explain(&d);
        let _ = engine.response(&d, &o, Some(&trace));
    }
});
