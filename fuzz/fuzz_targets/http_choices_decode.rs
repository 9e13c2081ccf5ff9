//! `POST /v1/choices` and `POST /v1/choices/withdraw`: the handlers' body decoder
//! (`parse_json` into `RecordChoices` / `WithdrawChoices`, strict objects, unknown fields
//! refused) never panics on any bytes, and refuses what is not a JSON object.
#![no_main]

use libfuzzer_sys::fuzz_target;
use steward_api::choices::{RecordChoices, WithdrawChoices};
use steward_server::extract::parse_json;

fuzz_target!(|data: &[u8]| {
    let record = parse_json::<RecordChoices>(data);
    let withdraw = parse_json::<WithdrawChoices>(data);
    if record.is_ok() || withdraw.is_ok() {
        let first = data.iter().find(|b| !b.is_ascii_whitespace());
        assert_eq!(first, Some(&b'{'), "only a JSON object decodes");
    }
});
