//! Global Privacy Control (W3C GPC): the `Sec-GPC` request header (GPC-01) and the
//! `/.well-known/gpc.json` support resource (GPC-09).
//!
//! The header grammar is `Sec-GPC-field-value = "1"`. A server must ignore the header unless
//! its value is exactly `1`; if several `Sec-GPC` field lines arrive and at least one is exactly
//! `1`, the request has GPC. Anything else (`0`, `true`, `yes`, `1,1`, no header) is "absent":
//! absence is never consent (CCPA-12 (c)(5)), that is for the caller's ledger to remember.

use serde::{Deserialize, Serialize};

/// Name of the request header carrying the signal (lowercase, as HTTP/2 sends it).
pub const SEC_GPC_HEADER: &str = "sec-gpc";

/// The GPC signal of one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Gpc {
    /// At least one `Sec-GPC` field line was exactly `1`.
    On,
    /// No valid signal: no header, or only values other than `1`.
    Absent,
}

impl Gpc {
    /// `true` for [`Gpc::On`].
    #[must_use]
    pub fn is_on(self) -> bool {
        matches!(self, Gpc::On)
    }
}

/// Parses every `Sec-GPC` field line of one request (GPC-01).
///
/// Pass the values of all `Sec-GPC` header lines (`&str`, `&[u8]`, or an HTTP header value).
/// Optional whitespace (SP / HTAB) around a field value is not part of the value (RFC 9110
/// §5.5) and is removed before the comparison; otherwise only the exact byte `1` counts.
/// A comma-combined line such as `0, 1` is *not* `1`: `Sec-GPC` is a singleton field, so a
/// combined line is not a valid value.
pub fn parse_sec_gpc<I>(values: I) -> Gpc
where
    I: IntoIterator,
    I::Item: AsRef<[u8]>,
{
    for v in values {
        if trim_ows(v.as_ref()) == b"1" {
            return Gpc::On;
        }
    }
    Gpc::Absent
}

fn trim_ows(mut v: &[u8]) -> &[u8] {
    while let [b' ' | b'\t', rest @ ..] = v {
        v = rest;
    }
    while let [rest @ .., b' ' | b'\t'] = v {
        v = rest;
    }
    v
}

/// Error building a [`GpcWellKnown`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum GpcError {
    /// `lastUpdate` must be an RFC 3339 full-date (`YYYY-MM-DD`) or date-time.
    #[error("`lastUpdate` is not an rfc 3339 full-date or date-time")]
    InvalidDate,
}

/// Body of `/.well-known/gpc.json` (GPC-09): `{"gpc": true, "lastUpdate": "YYYY-MM-DD"}`,
/// served as `application/json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GpcWellKnown {
    gpc: bool,
    #[serde(rename = "lastUpdate")]
    last_update: String,
}

impl GpcWellKnown {
    /// Path the resource is served at.
    pub const PATH: &'static str = "/.well-known/gpc.json";
    /// Content type to serve it with.
    pub const CONTENT_TYPE: &'static str = "application/json";

    /// A resource declaring that the site honors GPC, last updated at `last_update`
    /// (an RFC 3339 full-date such as `2026-01-01`, or a full date-time).
    pub fn new(last_update: &str) -> Result<Self, GpcError> {
        if !is_rfc3339_date_or_datetime(last_update.as_bytes()) {
            return Err(GpcError::InvalidDate);
        }
        Ok(Self {
            gpc: true,
            last_update: last_update.to_owned(),
        })
    }

    /// Always `true`: the site honors the signal.
    #[must_use]
    pub fn gpc(&self) -> bool {
        self.gpc
    }

    /// The `lastUpdate` value.
    #[must_use]
    pub fn last_update(&self) -> &str {
        &self.last_update
    }

    /// The JSON body, e.g. `{"gpc":true,"lastUpdate":"2026-01-01"}`.
    #[must_use]
    pub fn to_json(&self) -> String {
        // SECURITY: `last_update` was validated in `new` to contain only digits and
        // `-:.TtZz+`, so it needs no JSON escaping.
        format!(
            "{{\"gpc\":{},\"lastUpdate\":\"{}\"}}",
            self.gpc, self.last_update
        )
    }
}

fn digits(s: &[u8], n: usize) -> Option<(u32, &[u8])> {
    if s.len() < n {
        return None;
    }
    let (head, rest) = s.split_at(n);
    let mut v = 0u32;
    for &b in head {
        if !b.is_ascii_digit() {
            return None;
        }
        v = v * 10 + u32::from(b - b'0');
    }
    Some((v, rest))
}

fn expect(s: &[u8], c: u8) -> Option<&[u8]> {
    match s {
        [first, rest @ ..] if *first == c => Some(rest),
        _ => None,
    }
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ => {
            let leap =
                (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
            if leap { 29 } else { 28 }
        }
    }
}

/// RFC 3339 `full-date` or `date-time` (seconds may carry a fraction; offset `Z` or ±hh:mm).
fn is_rfc3339_date_or_datetime(s: &[u8]) -> bool {
    parse_rfc3339(s).is_some()
}

fn parse_rfc3339(s: &[u8]) -> Option<()> {
    let (year, s) = digits(s, 4)?;
    let s = expect(s, b'-')?;
    let (month, s) = digits(s, 2)?;
    let s = expect(s, b'-')?;
    let (day, s) = digits(s, 2)?;
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    let s = match s {
        [] => return Some(()),
        [b'T' | b't', rest @ ..] => rest,
        _ => return None,
    };
    let (hour, s) = digits(s, 2)?;
    let s = expect(s, b':')?;
    let (minute, s) = digits(s, 2)?;
    let s = expect(s, b':')?;
    let (second, mut s) = digits(s, 2)?;
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    if let [b'.', rest @ ..] = s {
        let n = rest.iter().take_while(|b| b.is_ascii_digit()).count();
        if n == 0 {
            return None;
        }
        s = rest.get(n..)?;
    }
    match s {
        [b'Z' | b'z'] => Some(()),
        [b'+' | b'-', rest @ ..] => {
            let (oh, rest) = digits(rest, 2)?;
            let rest = expect(rest, b':')?;
            let (om, rest) = digits(rest, 2)?;
            (rest.is_empty() && oh <= 23 && om <= 59).then_some(())
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gpc_01_exact_one_is_on() {
        assert_eq!(parse_sec_gpc(["1"]), Gpc::On);
        assert_eq!(parse_sec_gpc([b"1".as_slice()]), Gpc::On);
    }

    #[test]
    fn gpc_01_other_values_are_absent() {
        for v in [
            "0", "true", "yes", "", "01", "1.0", "11", "１", "1,1", "0, 1",
        ] {
            assert_eq!(parse_sec_gpc([v]), Gpc::Absent, "value {v:?}");
        }
        assert_eq!(parse_sec_gpc(Vec::<&str>::new()), Gpc::Absent);
    }

    #[test]
    fn gpc_01_several_headers_any_exact_one_wins() {
        assert_eq!(parse_sec_gpc(["0", "1"]), Gpc::On);
        assert_eq!(parse_sec_gpc(["1", "0"]), Gpc::On);
        assert_eq!(parse_sec_gpc(["2", "x"]), Gpc::Absent);
    }

    #[test]
    fn gpc_01_optional_whitespace_is_not_part_of_the_value() {
        assert_eq!(parse_sec_gpc([" 1\t"]), Gpc::On);
        assert_eq!(parse_sec_gpc(["\t 0 "]), Gpc::Absent);
        assert_eq!(parse_sec_gpc(["1\n"]), Gpc::Absent);
    }

    #[test]
    fn gpc_09_well_known_body() {
        let w = GpcWellKnown::new("2026-01-01").unwrap();
        assert!(w.gpc());
        assert_eq!(w.to_json(), r#"{"gpc":true,"lastUpdate":"2026-01-01"}"#);
        assert_eq!(GpcWellKnown::PATH, "/.well-known/gpc.json");
        assert_eq!(GpcWellKnown::CONTENT_TYPE, "application/json");
    }

    #[test]
    fn gpc_09_accepts_rfc3339_date_times() {
        for d in [
            "2024-02-29",
            "2026-01-01T00:00:00Z",
            "2026-01-01t12:30:59.123+02:00",
            "2026-12-31T23:59:60-08:00",
        ] {
            assert!(GpcWellKnown::new(d).is_ok(), "{d}");
        }
    }

    #[test]
    fn gpc_09_rejects_non_dates() {
        for d in [
            "",
            "2026-1-01",
            "2026-13-01",
            "2023-02-29",
            "2026-04-31",
            "2026-01-01 ",
            "2026-01-01T25:00:00Z",
            "2026-01-01T10:00:00",
            "2026-01-01T10:00:00.Z",
            "2026-01-01\"}",
            "yesterday",
        ] {
            assert_eq!(GpcWellKnown::new(d), Err(GpcError::InvalidDate), "{d}");
        }
    }
}
