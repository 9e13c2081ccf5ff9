//! `POST /v1/decisions`: the body decoder of the handler (`parse_json::<Request>`, strict JSON
//! object) never panics on any bytes; whatever decodes is decided and rendered without
//! panicking, at the service's clock as the core does.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

static ENGINE: OnceLock<Option<steward_policy::Engine>> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let Ok(req) = steward_server::extract::parse_json::<steward_policy::Request>(data) else {
        return;
    };
    let Some(engine) = ENGINE.get_or_init(|| steward_policy::default_engine().ok()) else {
        return;
    };
    let now: jiff::Timestamp = "2024-03-04T17:00:00Z".parse().unwrap_or_default();
    if let Ok(d) = engine.decode_at(&req, None, now) {
        let (o, trace) = engine.explain(&d);
        let _ = engine.response(&d, &o, Some(&trace));
    }
});
