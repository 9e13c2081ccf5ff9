//! `Engine::decode_at` (the service's clock instead of `context.now`, used by batch
//! decisions) answers exactly as `decode_with` with `context.now` set to the same time
//! (DEC-00: same inputs, same decision), and keeps the order of its errors.
#![expect(
    clippy::unwrap_used,
    reason = "test code: a failed step fails the test"
)]

use jiff::Timestamp;
use steward_policy::wire::Request;

fn request(json: &str) -> Request {
    serde_json::from_str(json).unwrap()
}

#[test]
fn dec_00_decode_at_answers_like_context_now() {
    let engine = steward_policy::default_engine().unwrap();
    let now: Timestamp = "2026-03-01T12:34:56.789Z".parse().unwrap();
    let cases = [
        // Allowed disclosure, sale opted out in California, a ledger folded at `now`, a
        // retention deadline compared with `now`, a deny for a USPS lock, a send.
        r#"{"op":"can_disclose","subject":{"jurisdiction":"US-TX"},"categories":["name","postal_address"],"recipient":"MP1","purpose":"third_party_promotional_mail"}"#,
        r#"{"op":"can_disclose","subject":{"jurisdiction":"US-CA","choices":{"sale_opt_out":true}},"categories":["name","postal_address"],"recipient":"MP1","purpose":"third_party_promotional_mail"}"#,
        r#"{"op":"can_send","subject":{"jurisdiction":"DE","ledger":[{"key":"marketing:first_party:email","value":true,"source":"user","at":"2026-02-01T00:00:00Z"},{"key":"marketing:first_party:email","value":false,"source":"user","at":"2026-04-01T00:00:00Z"}]},"message_kind":"marketing_first_party","channel":"email"}"#,
        r#"{"op":"can_use","subject":{"jurisdiction":"US-TX"},"category":"email","purpose":"support","context":{"retain_until":"2026-02-01T00:00:00Z"}}"#,
        r#"{"op":"can_use","subject":{"jurisdiction":"US-TX"},"category":"usps_regulatory_data","purpose":"marketing_first_party"}"#,
        r#"{"op":"effective_choices","subject":{"jurisdiction":"US-CA","ledger":[{"key":"sale_opt_out","value":true,"source":"gpc","at":"2026-01-01T00:00:00Z"}]}}"#,
    ];
    for json in cases {
        let mut with_now = request(json);
        with_now.context.now = Some(now.to_string());
        let a = engine.decode_with(&with_now, None).unwrap();
        // The time sent by a client is ignored: the caller's clock decides.
        let mut other_now = request(json);
        other_now.context.now = Some("1999-01-01T00:00:00Z".into());
        let b = engine.decode_at(&other_now, None, now).unwrap();
        let (oa, ob) = (engine.decide(&a), engine.decide(&b));
        assert_eq!(
            engine.response(&a, &oa, None),
            engine.response(&b, &ob, None),
            "{json}"
        );
    }
}

#[test]
fn dec_00_decode_errors_keep_their_order() {
    let engine = steward_policy::default_engine().unwrap();
    // Neither `op` nor `context.now`: `op` is named first, as before.
    let e = engine.decode_with(&request("{}"), None).unwrap_err();
    assert!(e.message.contains("`op`"), "{e:?}");
    let e = engine
        .decode_with(&request(r#"{"op":"can_use"}"#), None)
        .unwrap_err();
    assert!(e.message.contains("context.now"), "{e:?}");
    let e = engine
        .decode_at(&request("{}"), None, Timestamp::UNIX_EPOCH)
        .unwrap_err();
    assert!(e.message.contains("`op`"), "{e:?}");
}
