//! `POST /v1/decisions/batch`: the handler's body decoder (`parse_batch`: the envelope with
//! raw requests, or a template and subjects) never panics on any bytes; each raw request is
//! decoded as the core decodes it (`serde_json::from_str::<Request>`), and whatever decodes is
//! decided without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

static ENGINE: OnceLock<Option<steward_policy::Engine>> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let Ok(batch) = steward_server::api::decisions::parse_batch(data) else {
        return;
    };
    let Some(engine) = ENGINE.get_or_init(|| steward_policy::default_engine().ok()) else {
        return;
    };
    let now: jiff::Timestamp = "2024-03-04T17:00:00Z".parse().unwrap_or_default();
    for raw in batch.requests.unwrap_or_default() {
        if let Ok(req) = serde_json::from_str::<steward_policy::Request>(raw.get())
            && let Ok(d) = engine.decode_at(&req, None, now)
        {
            let _ = engine.decide(&d);
        }
    }
    if let Some(t) = batch.template
        && let Ok(d) = engine.decode_at(&t.0, None, now)
    {
        let _ = engine.decide(&d);
    }
    for s in batch.subjects.unwrap_or_default() {
        let _ = s.parse::<uuid::Uuid>();
    }
});
