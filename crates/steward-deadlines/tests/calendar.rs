//! Calendar configuration: TOML loading with `line:column` errors, holidays, business days,
//! the US federal holiday generator and the default zone (§0.3, DM-07, DL-02).

use jiff::civil::{Date, date};
use steward_deadlines::{
    Calendar, CalendarError, Location, add_business_days, us_federal_holidays,
};

#[test]
fn default_calendar_is_los_angeles_with_no_holidays() {
    let c = Calendar::default();
    assert_eq!(c.time_zone_name(), "America/Los_Angeles");
    assert_eq!(c.time_zone().iana_name(), Some("America/Los_Angeles"));
    assert!(c.holidays().is_empty());
    assert_eq!(c.policy_response_days(), 45);
    assert!(!c.gdpr_pause_during_verification());
    assert_eq!(c.ccpa_lookback_floor(), Some(date(2022, 1, 1)));
}

#[test]
fn business_days_are_monday_to_friday_minus_holidays() {
    let c = Calendar::default().with_holidays([date(2024, 3, 6)]);
    assert!(c.is_business_day(date(2024, 3, 4))); // Monday
    assert!(!c.is_business_day(date(2024, 3, 6))); // holiday
    assert!(!c.is_business_day(date(2024, 3, 9))); // Saturday
    assert!(!c.is_business_day(date(2024, 3, 10))); // Sunday
    // Received on a Saturday: counting starts on Monday.
    assert_eq!(
        add_business_days(date(2024, 3, 9), 1, &Calendar::default()).unwrap(),
        date(2024, 3, 11)
    );
    assert_eq!(
        add_business_days(date(2024, 3, 9), 0, &Calendar::default()).unwrap(),
        date(2024, 3, 9)
    );
}

#[test]
fn toml_full_example_loads() {
    let src = r#"
time_zone = "America/New_York"
holidays = ["2024-05-27", "2024-07-04", "2024-05-27"]
us_federal_holiday_years = [2025]
policy_response_days = 30
policy_extension_days = 0
gdpr_pause_during_verification = true
ccpa_lookback_floor = "none"
"#;
    let c = Calendar::from_toml_str(src).unwrap();
    assert_eq!(c.time_zone_name(), "America/New_York");
    assert!(c.is_holiday(date(2024, 5, 27)));
    assert!(c.is_holiday(date(2025, 11, 27))); // Thanksgiving 2025
    assert_eq!(
        c.holidays()
            .iter()
            .filter(|d| **d == date(2024, 5, 27))
            .count(),
        1
    );
    assert_eq!(c.policy_response_days(), 30);
    assert_eq!(c.policy_extension_days(), 0);
    assert!(c.gdpr_pause_during_verification());
    assert_eq!(c.ccpa_lookback_floor(), None);
    // An empty file is the default calendar.
    let e = Calendar::from_toml_str("").unwrap();
    assert_eq!(e.time_zone_name(), "America/Los_Angeles");
}

#[test]
fn toml_bad_holiday_names_line_and_column() {
    let src = "holidays = [\n  \"2024-05-27\",\n  \"2024-02-30\",\n]\n";
    let e = Calendar::from_toml_str(src).unwrap_err();
    assert_eq!(e.code(), "CALENDAR_BAD_DATE");
    assert_eq!(e.location(), Some(Location { line: 3, column: 3 }));
    assert_eq!(
        e.to_string(),
        "3:3: invalid date `2024-02-30`: expected YYYY-MM-DD"
    );
    assert!(matches!(e, CalendarError::BadDate { ref value, .. } if value == "2024-02-30"));
}

#[test]
fn toml_unknown_time_zone_names_line_and_column() {
    let e = Calendar::from_toml_str("# zone\ntime_zone = \"Mars/Olympus\"\n").unwrap_err();
    assert_eq!(e.code(), "CALENDAR_UNKNOWN_TIME_ZONE");
    assert_eq!(e.to_string(), "2:13: unknown time zone `Mars/Olympus`");
}

#[test]
fn toml_syntax_and_unknown_keys_are_located() {
    let e = Calendar::from_toml_str("holidays = [\"2024-01-01\"\n").unwrap_err();
    assert_eq!(e.code(), "CALENDAR_SYNTAX");
    assert!(e.location().is_some());
    let e = Calendar::from_toml_str("\nholiday = []\n").unwrap_err();
    assert_eq!(e.code(), "CALENDAR_SYNTAX");
    assert_eq!(e.location().map(|l| l.line), Some(2));
    assert!(e.to_string().contains("holiday"), "{e}");
    // A TOML date literal instead of a string is a type error with a location.
    let e = Calendar::from_toml_str("holidays = [2024-05-27]\n").unwrap_err();
    assert_eq!(e.code(), "CALENDAR_SYNTAX");
    assert_eq!(e.location().map(|l| l.line), Some(1));
}

#[test]
fn toml_out_of_range_numbers_are_located() {
    let e = Calendar::from_toml_str("policy_response_days = 0\n").unwrap_err();
    assert_eq!(e.code(), "CALENDAR_OUT_OF_RANGE");
    assert_eq!(
        e.to_string(),
        "1:24: `policy_response_days` must be between 1 and 366, got 0"
    );
    let e = Calendar::from_toml_str("us_federal_holiday_years = [2024, 12]\n").unwrap_err();
    assert_eq!(
        e.location(),
        Some(Location {
            line: 1,
            column: 35
        })
    );
}

#[test]
fn us_federal_holidays_2024() {
    let expected: Vec<Date> = [
        (1, 1),
        (1, 15),
        (2, 19),
        (5, 27),
        (6, 19),
        (7, 4),
        (9, 2),
        (10, 14),
        (11, 11),
        (11, 28),
        (12, 25),
    ]
    .into_iter()
    .map(|(m, d)| date(2024, m, d))
    .collect();
    assert_eq!(us_federal_holidays(2024), expected);
}

#[test]
fn us_federal_holidays_observed_on_weekends() {
    let h = us_federal_holidays(2022);
    assert!(h.contains(&date(2021, 12, 31))); // New Year's Day 2022 is a Saturday
    assert!(h.contains(&date(2022, 6, 20))); // Juneteenth on Sunday → Monday
    assert!(h.contains(&date(2022, 12, 26))); // Christmas on Sunday → Monday
    assert!(!us_federal_holidays(2020).contains(&date(2020, 6, 19))); // before Juneteenth
    assert_eq!(us_federal_holidays(2024).len(), 11);
}

#[test]
fn opting_in_to_federal_holidays_moves_business_day_deadlines() {
    let c = Calendar::default().with_holidays(us_federal_holidays(2024));
    // Memorial Day 2024-05-27: 10 business days from Mon 2024-05-20 → 2024-06-04.
    assert_eq!(
        add_business_days(date(2024, 5, 20), 10, &c).unwrap(),
        date(2024, 6, 4)
    );
    assert_eq!(
        add_business_days(date(2024, 5, 20), 10, &Calendar::default()).unwrap(),
        date(2024, 6, 3)
    );
}

#[test]
fn dst_transitions_keep_end_of_day_exact() {
    let c = Calendar::default();
    // 2024-03-10 is 23 hours long in Los Angeles, 2024-11-03 is 25.
    assert_eq!(
        c.end_of_day(date(2024, 3, 10)).unwrap().to_string(),
        "2024-03-11T06:59:59Z"
    );
    assert_eq!(
        c.end_of_day(date(2024, 11, 3)).unwrap().to_string(),
        "2024-11-04T07:59:59Z"
    );
    // A zone that skipped midnight (America/Santiago, 2022-09-11 00:00 → 01:00).
    let s = Calendar::default()
        .with_time_zone("America/Santiago")
        .unwrap();
    assert_eq!(
        s.start_of_day(date(2022, 9, 11)).unwrap().to_string(),
        "2022-09-11T04:00:00Z"
    );
    assert_eq!(
        s.end_of_day(date(2022, 9, 10)).unwrap().to_string(),
        "2022-09-11T03:59:59Z"
    );
}
