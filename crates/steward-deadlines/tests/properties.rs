//! Property tests of the statutory clock: deadlines never precede receipt, extensions never
//! shorten, business-day addition never lands on a weekend or holiday, and month arithmetic
//! never panics for any date in 1900..2200 (DL-01, DL-03).
#![expect(
    clippy::unwrap_used,
    reason = "test code: a failed step fails the test"
)]

use jiff::Timestamp;
use jiff::civil::{Date, Weekday};
use proptest::prelude::*;
use steward_deadlines::*;

fn any_date() -> impl Strategy<Value = Date> {
    (1900i16..2200, 1i8..=12, 1i8..=31).prop_map(|(y, m, d)| {
        let first = Date::new(y, m, 1).unwrap();
        Date::new(y, m, d.min(first.days_in_month())).unwrap()
    })
}

fn any_instant() -> impl Strategy<Value = Timestamp> {
    // 1900-01-01 .. 2199-12-31 in seconds.
    (-2_208_988_800i64..7_258_118_400).prop_map(|s| Timestamp::from_second(s).unwrap())
}

fn any_regimes() -> impl Strategy<Value = Vec<Regime>> {
    proptest::sample::subsequence(Regime::ALL.to_vec(), 0..=Regime::ALL.len())
}

fn any_kind() -> impl Strategy<Value = RequestKind> {
    proptest::sample::select(RequestKind::ALL.to_vec())
}

fn any_holidays() -> impl Strategy<Value = Vec<Date>> {
    proptest::collection::vec(any_date(), 0..40)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn due_after_receipt_and_max_after_due(
        kind in any_kind(), regimes in any_regimes(), received in any_instant(),
    ) {
        let cal = Calendar::default();
        let t = intake(kind, &regimes, received, &cal).unwrap();
        prop_assert!(t.due().at() >= received);
        prop_assert!(t.due().date() > t.received_date());
        prop_assert!(t.max_due() >= t.due());
        if let Some(ack) = t.ack_due() { prop_assert!(ack.at() >= t.received_at() && ack <= t.due()); }
        if let Some(p) = t.propagate_by() { prop_assert!(p >= t.due()); }
        for c in t.clocks() {
            prop_assert!(c.due >= t.due());
            prop_assert!(c.max_due >= c.due);
            prop_assert!(c.max_due >= t.max_due());
        }
        // The deadline instant is the last second of its date in the controller zone.
        prop_assert_eq!(cal.civil_date(t.due().at()), t.due().date());
        let next = t.due().at().checked_add(jiff::SignedDuration::from_secs(1)).unwrap();
        prop_assert!(cal.civil_date(next) > t.due().date());
    }

    #[test]
    fn extension_never_shortens_and_stays_within_max(
        kind in any_kind(), regimes in any_regimes(), received in any_instant(), days in 0u32..120,
    ) {
        let cal = Calendar::default();
        let mut t = intake(kind, &regimes, received, &cal).unwrap();
        if t.extend(received, Some("complexity"), ExtensionLength::Days(days), &cal).is_ok() {
            prop_assert!(t.current_due() > t.due());
            prop_assert!(t.current_due() <= t.max_due());
        } else {
            prop_assert_eq!(t.current_due(), t.due());
        }
    }

    #[test]
    fn business_days_land_on_business_days(
        start in any_date(), n in 1u32..80, holidays in any_holidays(),
    ) {
        let cal = Calendar::default().with_holidays(holidays);
        let end = add_business_days(start, n, &cal).unwrap();
        prop_assert!(cal.is_business_day(end));
        prop_assert!(!matches!(end.weekday(), Weekday::Saturday | Weekday::Sunday));
        prop_assert!(!cal.is_holiday(end));
        // Exactly n business days in (start, end].
        let mut count = 0;
        let mut d = start;
        while d < end { d = d.tomorrow().unwrap(); if cal.is_business_day(d) { count += 1; } }
        prop_assert_eq!(count, n);
    }

    #[test]
    fn month_arithmetic_never_panics_and_clamps(start in any_date(), months in 0u32..2400) {
        let r = add_calendar_months(start, months).unwrap();
        prop_assert!(r >= start);
        prop_assert!(r.day() <= start.day());
        prop_assert!(r.day() == start.day() || r == r.last_of_month());
        let total = i64::from(start.year()) * 12 + i64::from(start.month()) - 1 + i64::from(months);
        prop_assert_eq!(i64::from(r.year()) * 12 + i64::from(r.month()) - 1, total);
        let back = sub_calendar_months(start, months.min(12)).unwrap();
        prop_assert!(back <= start);
    }

    #[test]
    fn month_arithmetic_total_on_extreme_inputs(months in any::<u32>()) {
        // Never panics: out of range is an error.
        let _ = add_calendar_months(Date::MAX, months);
        let _ = add_calendar_months(Date::MIN, months);
        let _ = add_calendar_days(Date::MAX, months);
        let _ = add_hours(Timestamp::MAX, months);
    }
}
