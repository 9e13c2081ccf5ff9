//! The controller calendar: time zone, holidays, business days and the few clock settings
//! that are configuration rather than law (RIGHTS-05 default, GDPR-06 pause, CCPA-06 floor).
//!
//! A [`Calendar`] is built once from defaults or from a TOML string and passed explicitly to
//! every clock function. It never reads the system clock, the system time-zone database or
//! any file: the IANA database is the one bundled into `jiff`.
//!
//! ```toml
//! time_zone = "America/Los_Angeles"          # default
//! holidays = ["2024-05-27", "2024-07-04"]    # extra non-business days
//! us_federal_holiday_years = [2024, 2025]    # opt in to generated US federal holidays
//! policy_response_days = 45                  # RIGHTS-05 default for subjects with no statute
//! policy_extension_days = 45                 # 0 disables extensions under the policy clock
//! gdpr_pause_during_verification = false     # GDPR-06, default: the clock runs
//! ccpa_lookback_floor = "2022-01-01"         # CCPA-06; "none" removes the floor
//! ```

use std::fmt;
use std::ops::Range;
use steward_errors::ErrorCode;

use jiff::civil::{Date, Weekday};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};
use serde::Deserialize;

/// The IANA name of the default controller time zone (§0.3, DL-02).
pub const DEFAULT_TIME_ZONE: &str = "America/Los_Angeles";
/// The RIGHTS-05 default response time for subjects with no statutory regime, in days.
pub const DEFAULT_POLICY_RESPONSE_DAYS: u32 = 45;
/// The default extension under the policy clock, in days (mirrors CCPA's +45).
pub const DEFAULT_POLICY_EXTENSION_DAYS: u32 = 45;
/// Upper bound accepted for the configurable policy periods, in days.
pub const MAX_POLICY_DAYS: u32 = 366;

/// A position in a TOML source: 1-based line and column (in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Location {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
}

impl Location {
    /// The location of a byte offset inside `source`.
    #[must_use]
    pub fn of_offset(source: &str, offset: usize) -> Self {
        let mut end = offset.min(source.len());
        while end > 0 && !source.is_char_boundary(end) {
            end -= 1;
        }
        let before = &source[..end];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() + 1;
        Location { line, column }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

fn at_prefix(at: &Option<Location>) -> String {
    match at {
        Some(l) => format!("{l}: "),
        None => String::new(),
    }
}

/// Errors while building a [`Calendar`]; those from TOML name `line:column`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CalendarError {
    /// The TOML is malformed, has an unknown key, or a value of the wrong type.
    #[error("{}{message}", at_prefix(.at))]
    Syntax {
        /// Where, when the parser knows.
        at: Option<Location>,
        /// The parser's message.
        message: String,
    },
    /// A holiday or floor date that is not a valid `YYYY-MM-DD` date.
    #[error("{}invalid date `{value}`: expected YYYY-MM-DD", at_prefix(.at))]
    BadDate {
        /// Where.
        at: Option<Location>,
        /// The offending text.
        value: String,
    },
    /// A time zone that the bundled IANA database does not know.
    #[error("{}unknown time zone `{name}`", at_prefix(.at))]
    UnknownTimeZone {
        /// Where.
        at: Option<Location>,
        /// The offending name.
        name: String,
    },
    /// A numeric setting outside its allowed range.
    #[error("{}`{field}` must be between {min} and {max}, got {value}", at_prefix(.at))]
    OutOfRange {
        /// Where.
        at: Option<Location>,
        /// The setting.
        field: &'static str,
        /// The value given.
        value: i64,
        /// Smallest allowed value.
        min: i64,
        /// Largest allowed value.
        max: i64,
    },
}

impl CalendarError {
    /// Stable machine-readable code.
    #[must_use]
    pub fn code(&self) -> ErrorCode {
        match self {
            CalendarError::Syntax { .. } => ErrorCode::CalendarSyntax,
            CalendarError::BadDate { .. } => ErrorCode::CalendarBadDate,
            CalendarError::UnknownTimeZone { .. } => ErrorCode::CalendarUnknownTimeZone,
            CalendarError::OutOfRange { .. } => ErrorCode::CalendarOutOfRange,
        }
    }

    /// Where in the TOML source the error is, if known.
    #[must_use]
    pub fn location(&self) -> Option<Location> {
        match self {
            CalendarError::Syntax { at, .. }
            | CalendarError::BadDate { at, .. }
            | CalendarError::UnknownTimeZone { at, .. }
            | CalendarError::OutOfRange { at, .. } => *at,
        }
    }
}

/// The controller calendar and clock settings. Cheap to clone (the time zone is shared).
///
/// Business days are Monday to Friday in the controller time zone, minus the holidays
/// (§0.3). The default is `America/Los_Angeles` with **no** holidays, as the requirement
/// tests assume; operators opt in to holidays explicitly (see [`us_federal_holidays`]).
#[derive(Debug, Clone)]
pub struct Calendar {
    tz: TimeZone,
    tz_name: String,
    // INVARIANT: sorted ascending, no duplicates (binary search in `is_holiday`).
    holidays: Vec<Date>,
    policy_response_days: u32,
    policy_extension_days: u32,
    gdpr_pause_during_verification: bool,
    ccpa_lookback_floor: Option<Date>,
}

/// The CCPA-06 floor: information collected before 1 January 2022 is out of scope.
pub const CCPA_LOOKBACK_FLOOR: Date = Date::constant(2022, 1, 1);

impl Default for Calendar {
    fn default() -> Self {
        // INVARIANT: the bundled tzdb (`tzdb-bundle-always`) always has this zone; the test
        // `default_calendar_is_los_angeles` guards it. UTC is only a type-level fallback.
        let tz = TimeZone::get(DEFAULT_TIME_ZONE).unwrap_or(TimeZone::UTC);
        Calendar {
            tz,
            tz_name: DEFAULT_TIME_ZONE.to_owned(),
            holidays: Vec::new(),
            policy_response_days: DEFAULT_POLICY_RESPONSE_DAYS,
            policy_extension_days: DEFAULT_POLICY_EXTENSION_DAYS,
            gdpr_pause_during_verification: false,
            ccpa_lookback_floor: Some(CCPA_LOOKBACK_FLOOR),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCalendar {
    time_zone: Option<toml::Spanned<String>>,
    #[serde(default)]
    holidays: Vec<toml::Spanned<String>>,
    #[serde(default)]
    us_federal_holiday_years: Vec<toml::Spanned<i64>>,
    policy_response_days: Option<toml::Spanned<i64>>,
    policy_extension_days: Option<toml::Spanned<i64>>,
    gdpr_pause_during_verification: Option<bool>,
    ccpa_lookback_floor: Option<toml::Spanned<String>>,
}

fn loc(source: &str, span: Range<usize>) -> Option<Location> {
    Some(Location::of_offset(source, span.start))
}

fn parse_date(value: &str) -> Option<Date> {
    // Only the strict `YYYY-MM-DD` form; jiff rejects impossible dates like 2024-02-30.
    if value.len() != 10 {
        return None;
    }
    value.parse::<Date>().ok()
}

fn days_setting(
    source: &str,
    field: &'static str,
    v: &toml::Spanned<i64>,
    min: i64,
) -> Result<u32, CalendarError> {
    let value = *v.get_ref();
    let max = i64::from(MAX_POLICY_DAYS);
    if value < min || value > max {
        return Err(CalendarError::OutOfRange {
            at: loc(source, v.span()),
            field,
            value,
            min,
            max,
        });
    }
    u32::try_from(value).map_err(|_| CalendarError::OutOfRange {
        at: loc(source, v.span()),
        field,
        value,
        min,
        max,
    })
}

impl Calendar {
    /// The default calendar (`America/Los_Angeles`, no holidays, RIGHTS-05 45 days).
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Parses a calendar from TOML (see the module docs for the keys). Every error names
    /// `line:column` in `source` when it comes from a value in the file.
    pub fn from_toml_str(source: &str) -> Result<Self, CalendarError> {
        let raw: RawCalendar = toml::from_str(source).map_err(|e| CalendarError::Syntax {
            at: e.span().and_then(|s| loc(source, s)),
            message: e.message().trim().to_owned(),
        })?;
        let mut cal = Calendar::default();
        if let Some(tz) = &raw.time_zone {
            cal = cal
                .with_time_zone(tz.get_ref())
                .map_err(|_| CalendarError::UnknownTimeZone {
                    at: loc(source, tz.span()),
                    name: tz.get_ref().clone(),
                })?;
        }
        let mut holidays = Vec::with_capacity(raw.holidays.len());
        for h in &raw.holidays {
            let d = parse_date(h.get_ref()).ok_or_else(|| CalendarError::BadDate {
                at: loc(source, h.span()),
                value: h.get_ref().clone(),
            })?;
            holidays.push(d);
        }
        for y in &raw.us_federal_holiday_years {
            let year = *y.get_ref();
            if !(1900..=9998).contains(&year) {
                return Err(CalendarError::OutOfRange {
                    at: loc(source, y.span()),
                    field: "us_federal_holiday_years",
                    value: year,
                    min: 1900,
                    max: 9998,
                });
            }
            // The range check above makes the conversion infallible.
            if let Ok(year) = i16::try_from(year) {
                holidays.extend(us_federal_holidays(year));
            }
        }
        cal = cal.with_holidays(holidays);
        if let Some(v) = &raw.policy_response_days {
            cal.policy_response_days = days_setting(source, "policy_response_days", v, 1)?;
        }
        if let Some(v) = &raw.policy_extension_days {
            cal.policy_extension_days = days_setting(source, "policy_extension_days", v, 0)?;
        }
        if let Some(p) = raw.gdpr_pause_during_verification {
            cal.gdpr_pause_during_verification = p;
        }
        if let Some(f) = &raw.ccpa_lookback_floor {
            cal.ccpa_lookback_floor = if f.get_ref().eq_ignore_ascii_case("none") {
                None
            } else {
                Some(
                    parse_date(f.get_ref()).ok_or_else(|| CalendarError::BadDate {
                        at: loc(source, f.span()),
                        value: f.get_ref().clone(),
                    })?,
                )
            };
        }
        Ok(cal)
    }

    /// Replaces the controller time zone (an IANA name from the bundled database).
    pub fn with_time_zone(mut self, name: &str) -> Result<Self, CalendarError> {
        let tz = TimeZone::get(name).map_err(|_| CalendarError::UnknownTimeZone {
            at: None,
            name: name.to_owned(),
        })?;
        self.tz = tz;
        self.tz_name = name.to_owned();
        Ok(self)
    }

    /// Adds holidays (duplicates are merged). Weekend dates are accepted and change nothing.
    #[must_use]
    pub fn with_holidays(mut self, holidays: impl IntoIterator<Item = Date>) -> Self {
        self.holidays.extend(holidays);
        self.holidays.sort_unstable();
        self.holidays.dedup();
        self
    }

    /// Sets the RIGHTS-05 response period for subjects with no statutory regime (1..=366 days).
    pub fn with_policy_response_days(mut self, days: u32) -> Result<Self, CalendarError> {
        if days == 0 || days > MAX_POLICY_DAYS {
            return Err(CalendarError::OutOfRange {
                at: None,
                field: "policy_response_days",
                value: i64::from(days),
                min: 1,
                max: i64::from(MAX_POLICY_DAYS),
            });
        }
        self.policy_response_days = days;
        Ok(self)
    }

    /// Sets the extension allowed under the policy clock (0 disables it; at most 366 days).
    pub fn with_policy_extension_days(mut self, days: u32) -> Result<Self, CalendarError> {
        if days > MAX_POLICY_DAYS {
            return Err(CalendarError::OutOfRange {
                at: None,
                field: "policy_extension_days",
                value: i64::from(days),
                min: 0,
                max: i64::from(MAX_POLICY_DAYS),
            });
        }
        self.policy_extension_days = days;
        Ok(self)
    }

    /// Whether the GDPR clock pauses while the controller waits for identity information
    /// (GDPR-06; the law is unsettled, the default is `false`: the clock runs).
    #[must_use]
    pub fn with_gdpr_pause_during_verification(mut self, pause: bool) -> Self {
        self.gdpr_pause_during_verification = pause;
        self
    }

    /// Sets or removes the CCPA-06 look-back floor (default 2022-01-01).
    #[must_use]
    pub fn with_ccpa_lookback_floor(mut self, floor: Option<Date>) -> Self {
        self.ccpa_lookback_floor = floor;
        self
    }

    /// The controller time zone.
    #[must_use]
    pub fn time_zone(&self) -> &TimeZone {
        &self.tz
    }

    /// The IANA name of the controller time zone.
    #[must_use]
    pub fn time_zone_name(&self) -> &str {
        &self.tz_name
    }

    /// The configured holidays, sorted.
    #[must_use]
    pub fn holidays(&self) -> &[Date] {
        &self.holidays
    }

    /// RIGHTS-05 response days for subjects with no statutory regime.
    #[must_use]
    pub fn policy_response_days(&self) -> u32 {
        self.policy_response_days
    }

    /// Extension days under the policy clock (0: none).
    #[must_use]
    pub fn policy_extension_days(&self) -> u32 {
        self.policy_extension_days
    }

    /// GDPR-06 setting: does the GDPR clock pause during identity verification?
    #[must_use]
    pub fn gdpr_pause_during_verification(&self) -> bool {
        self.gdpr_pause_during_verification
    }

    /// CCPA-06 look-back floor, if any.
    #[must_use]
    pub fn ccpa_lookback_floor(&self) -> Option<Date> {
        self.ccpa_lookback_floor
    }

    /// Whether `date` is a configured holiday.
    #[must_use]
    pub fn is_holiday(&self, date: Date) -> bool {
        self.holidays.binary_search(&date).is_ok()
    }

    /// Whether `date` is a business day: Monday to Friday and not a holiday.
    #[must_use]
    pub fn is_business_day(&self, date: Date) -> bool {
        !matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday) && !self.is_holiday(date)
    }

    /// The civil date of an instant in the controller zone (which receipt date counts).
    #[must_use]
    pub fn civil_date(&self, at: Timestamp) -> Date {
        self.tz.to_datetime(at).date()
    }

    /// The first instant of `date` in the controller zone.
    pub fn start_of_day(&self, date: Date) -> Result<Timestamp, crate::DeadlineError> {
        // `compatible` picks the instant after a gap, so a zone that skips midnight still
        // gets the first existing instant of the day.
        self.tz
            .to_ambiguous_timestamp(date.to_datetime(jiff::civil::Time::midnight()))
            .compatible()
            .map_err(|_| crate::DeadlineError::OutOfRange {
                what: "start of day",
            })
    }

    /// The last second of `date` in the controller zone (DL-02): the start of the next day
    /// minus one second, so DST changes at midnight are handled.
    pub fn end_of_day(&self, date: Date) -> Result<Timestamp, crate::DeadlineError> {
        let next = date
            .tomorrow()
            .map_err(|_| crate::DeadlineError::OutOfRange { what: "end of day" })?;
        self.start_of_day(next)?
            .checked_sub(1.second())
            .map_err(|_| crate::DeadlineError::OutOfRange { what: "end of day" })
    }
}

/// Observed US federal holidays for `year` (5 U.S.C. §6103), for operators who opt in.
///
/// New Year's Day, Birthday of Martin Luther King Jr. (3rd Monday of January), Washington's
/// Birthday (3rd Monday of February), Memorial Day (last Monday of May), Juneteenth (19 June,
/// from 2021), Independence Day, Labor Day (1st Monday of September), Columbus Day (2nd Monday
/// of October), Veterans Day (11 November), Thanksgiving (4th Thursday of November) and
/// Christmas. A fixed-date holiday on a Saturday is observed the Friday before, on a Sunday
/// the Monday after; so New Year's Day of `year` may be observed on 31 December of
/// `year - 1`, which is then included here. State holidays (e.g. California's César Chávez
/// Day) are not included: add them with `holidays = [...]`. Rules before 1971 are not modelled.
/// Returns an empty list for years outside what `jiff` can represent.
#[must_use]
pub fn us_federal_holidays(year: i16) -> Vec<Date> {
    let fixed = |m: i8, d: i8| -> Option<Date> {
        let date = Date::new(year, m, d).ok()?;
        match date.weekday() {
            Weekday::Saturday => date.yesterday().ok(),
            Weekday::Sunday => date.tomorrow().ok(),
            _ => Some(date),
        }
    };
    let nth = |m: i8, n: i8, wd: Weekday| -> Option<Date> {
        Date::new(year, m, 1).ok()?.nth_weekday_of_month(n, wd).ok()
    };
    let mut out: Vec<Date> = [
        fixed(1, 1),
        nth(1, 3, Weekday::Monday),
        nth(2, 3, Weekday::Monday),
        nth(5, -1, Weekday::Monday),
        if year >= 2021 { fixed(6, 19) } else { None },
        fixed(7, 4),
        nth(9, 1, Weekday::Monday),
        nth(10, 2, Weekday::Monday),
        fixed(11, 11),
        nth(11, 4, Weekday::Thursday),
        fixed(12, 25),
    ]
    .into_iter()
    .flatten()
    .collect();
    out.sort_unstable();
    out
}
