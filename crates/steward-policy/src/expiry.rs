//! Dates in the policy that run out: a recipient's transfer mechanism or certification
//! (`until`, DPF-02) and its contract (`expires`, SP-04). The engine already denies a
//! disclosure that relies on one after its date; this lists those that have expired at `now`
//! and those expiring within a window, so the service can warn before the denials start
//! (the alerts, the `/metrics` gauges and the console's policy page).
//!
//! Pure like the rest of the crate: the caller passes `now`.

use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};

use crate::Engine;
use crate::engine::Mechanism;

/// How far ahead an expiry is announced (a warning): 30 days.
pub const WARNING_DAYS: i64 = 30;

/// What runs out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ExpiryKind {
    /// A transfer mechanism or certification (`transfer = [{ mechanism, until }]`, DPF-02).
    Transfer,
    /// An executed contract (`contract = { id, expires }`, SP-04).
    Contract,
}

impl ExpiryKind {
    /// `transfer` or `contract` (the gauges' `kind` label).
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Transfer => "transfer",
            Self::Contract => "contract",
        }
    }
}

/// One dated entry of the policy that has expired or expires soon.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expiry {
    /// A transfer mechanism or a contract.
    pub kind: ExpiryKind,
    /// The recipient's id as written in the policy.
    pub recipient: String,
    /// The mechanism as written (`dpf`, `scc` …) or the contract's id.
    pub id: String,
    /// The last day it is in force (the date written in the policy, UTC).
    pub last_day: Date,
    /// The first instant it no longer applies.
    pub ends_at: Timestamp,
    /// It no longer applies at `now` (otherwise it ends within the window).
    pub expired: bool,
}

/// The policy's name of a mechanism.
#[must_use]
pub const fn mechanism_name(m: Mechanism) -> &'static str {
    match m {
        Mechanism::Dpf => "dpf",
        Mechanism::DpfUk => "dpf_uk",
        Mechanism::DpfSwiss => "dpf_swiss",
        Mechanism::Scc => "scc",
        Mechanism::PrivacyShield => "privacy_shield",
        Mechanism::Derogation49 => "derogation_49",
    }
}

/// The transfer mechanisms and contracts of `engine` that have expired at `now` or expire
/// within `window` of it, in policy order (recipients as written; a recipient's transfers,
/// then its contract). Entries without a date never appear.
#[must_use]
pub fn expiries(engine: &Engine, now: Timestamp, window: SignedDuration) -> Vec<Expiry> {
    let horizon = now.checked_add(window).unwrap_or(now);
    let mut out = Vec::new();
    let mut push = |kind, recipient: &str, id: String, ends_at: Timestamp| {
        if ends_at > horizon {
            return;
        }
        let last_day = ends_at
            .checked_sub(SignedDuration::from_nanos(1))
            .unwrap_or(ends_at)
            .to_zoned_datetime(jiff::tz::TimeZone::UTC)
            .date();
        out.push(Expiry {
            kind,
            recipient: recipient.to_string(),
            id,
            last_day,
            ends_at,
            expired: now >= ends_at,
        });
    };
    for r in &engine.recipients {
        for t in &r.transfers {
            if let Some(until) = t.until {
                push(
                    ExpiryKind::Transfer,
                    &r.key,
                    mechanism_name(t.mechanism).to_string(),
                    until,
                );
            }
        }
        if let Some(expires) = r.contract.and_then(|c| c.expires) {
            push(
                ExpiryKind::Contract,
                &r.key,
                r.contract_id.clone().unwrap_or_default(),
                expires,
            );
        }
    }
    out
}

/// [`expiries`] with the 30-day warning window ([`WARNING_DAYS`]).
#[must_use]
pub fn expiries_within_warning(engine: &Engine, now: Timestamp) -> Vec<Expiry> {
    expiries(
        engine,
        now,
        SignedDuration::from_hours(WARNING_DAYS.saturating_mul(24)),
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "test code")]
    use super::*;

    fn patched(patch: &str) -> Engine {
        let text = crate::patch::apply(crate::DEFAULT_POLICY, patch).unwrap();
        crate::load("patched.toml", &text).unwrap().engine
    }

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn dpf02_sp04_expired_and_expiring_entries_are_listed() {
        let e = patched(
            r#"
[[recipient]]
id = "SP_EMAIL"
transfer = [{ mechanism = "dpf", until = "2024-02-29" }, { mechanism = "scc", decision = "2021/914", tia_done = true }]

[[recipient]]
id = "SP_SMS"
contract = { id = "DPA-SMS-2019", effective = "2019-01-01", expires = "2024-03-20", clauses = ["confidentiality", "on_behalf_only", "instructions_only", "no_other_purposes", "security", "subprocessors", "dsr_assist", "art32_36_assist", "delete_return", "audit", "no_sell_share", "purpose_limited", "no_outside_relationship", "no_combine", "comply", "audit_rights", "notify_noncompliance", "remediation"] }
"#,
        );
        let now = ts("2024-03-04T17:00:00Z");
        let all = expiries_within_warning(&e, now);
        assert_eq!(all.len(), 2, "{all:?}");
        let dpf = &all[0];
        assert_eq!(dpf.kind, ExpiryKind::Transfer);
        assert_eq!(dpf.recipient, "SP_EMAIL");
        assert_eq!(dpf.id, "dpf");
        assert_eq!(dpf.last_day.to_string(), "2024-02-29");
        assert_eq!(dpf.ends_at, ts("2024-03-01T00:00:00Z"));
        assert!(dpf.expired);
        let dpa = &all[1];
        assert_eq!(dpa.kind, ExpiryKind::Contract);
        assert_eq!(dpa.recipient, "SP_SMS");
        assert_eq!(dpa.id, "DPA-SMS-2019");
        assert_eq!(dpa.last_day.to_string(), "2024-03-20");
        assert!(!dpa.expired);

        // The last day itself still counts as in force; the next instant it has expired.
        let last = expiries_within_warning(&e, ts("2024-03-20T23:59:59Z"));
        assert!(!last[1].expired);
        let after = expiries_within_warning(&e, ts("2024-03-21T00:00:00Z"));
        assert!(after[1].expired);
        // More than 30 days ahead: not yet announced.
        let early = expiries_within_warning(&e, ts("2024-02-01T00:00:00Z"));
        assert_eq!(early.len(), 1, "{early:?}");
        assert_eq!(early[0].recipient, "SP_EMAIL");
        assert!(!early[0].expired);
    }

    #[test]
    fn the_shipped_policy_has_nothing_expiring_in_2024() {
        let e = crate::default_engine().unwrap();
        assert!(expiries_within_warning(&e, ts("2024-03-04T00:00:00Z")).is_empty());
        // Its DPF certifications run to 2027-06-30.
        let late = expiries_within_warning(&e, ts("2027-06-15T00:00:00Z"));
        assert!(!late.is_empty());
        assert!(late.iter().all(|x| x.kind == ExpiryKind::Transfer
            && x.id == "dpf"
            && x.last_day.to_string() == "2027-06-30"
            && !x.expired));
    }
}
