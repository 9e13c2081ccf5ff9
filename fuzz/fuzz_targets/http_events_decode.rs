//! `POST /v1/events`: the handler's body decoder (`parse_events`: a JSON array whose elements
//! are each an event or a per-element problem) never panics on any bytes, and a decoded body
//! has one slot per array element.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(slots) = steward_server::api::events::parse_events(data) {
        let elements = serde_json::from_slice::<Vec<serde::de::IgnoredAny>>(data)
            .map(|v| v.len())
            .ok();
        assert_eq!(elements, Some(slots.len()), "one slot per element");
    }
});
