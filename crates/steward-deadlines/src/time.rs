//! Deadline values and the four kinds of period arithmetic of DL-01: calendar months with
//! the Reg. 1182/71 end-of-month clamp, calendar days, business days and hours.
//!
//! All functions are pure and total: out-of-range results are errors, never panics.

use std::fmt;

use jiff::civil::Date;
use jiff::{SignedDuration, Span, Timestamp};
use serde::{Deserialize, Serialize};

use crate::calendar::Calendar;
use crate::error::DeadlineError;

/// A deadline: the last instant something may happen, with its civil date in the controller
/// zone.
///
/// A date-only deadline (e.g. "due 2024-04-18") means the end of that day in the controller
/// zone and is stored as a UTC instant (DL-02: `2024-04-19T06:59:59Z` in PDT). An hour-based
/// deadline (breach 72 h) keeps its exact instant; `date` is then the civil date of that
/// instant. Deadlines order by instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Deadline {
    at: Timestamp,
    date: Date,
}

impl Deadline {
    /// The end of `date` in the controller zone (DL-02).
    pub fn end_of_day(date: Date, cal: &Calendar) -> Result<Self, DeadlineError> {
        Ok(Deadline {
            at: cal.end_of_day(date)?,
            date,
        })
    }

    /// An exact instant, with its civil date in the controller zone.
    #[must_use]
    pub fn instant(at: Timestamp, cal: &Calendar) -> Self {
        Deadline {
            at,
            date: cal.civil_date(at),
        }
    }

    /// The UTC instant of the deadline (inclusive: acting at exactly `at` is on time).
    #[must_use]
    pub fn at(&self) -> Timestamp {
        self.at
    }

    /// The civil due date in the controller zone.
    #[must_use]
    pub fn date(&self) -> Date {
        self.date
    }

    /// Whether `now` is past the deadline.
    #[must_use]
    pub fn has_passed(&self, now: Timestamp) -> bool {
        now > self.at
    }

    /// Whether something done at `t` meets the deadline.
    #[must_use]
    pub fn is_met_by(&self, t: Timestamp) -> bool {
        t <= self.at
    }
}

impl fmt::Display for Deadline {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.date, self.at)
    }
}

/// A period of time as the law states it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "unit", content = "n", rename_all = "snake_case")]
pub enum Period {
    /// Exact hours (breach notification).
    Hours(u32),
    /// Calendar days.
    CalendarDays(u32),
    /// Business days of the controller calendar.
    BusinessDays(u32),
    /// Calendar months, clamped to the end of the target month.
    Months(u32),
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (n, unit) = match self {
            Period::Hours(n) => (n, "hour"),
            Period::CalendarDays(n) => (n, "calendar day"),
            Period::BusinessDays(n) => (n, "business day"),
            Period::Months(n) => (n, "month"),
        };
        write!(f, "{n} {unit}{}", if *n == 1 { "" } else { "s" })
    }
}

/// Adds calendar months with the Reg. 1182/71 Art. 3(2)(c) clamp: the same day-number in
/// the target month, or that month's last day if it has no such day
/// (2024-01-31 + 1 month = 2024-02-29; 2024-01-31 + 3 months = 2024-04-30).
pub fn add_calendar_months(date: Date, months: u32) -> Result<Date, DeadlineError> {
    let err = DeadlineError::OutOfRange {
        what: "calendar months",
    };
    let span = Span::new()
        .try_months(i64::from(months))
        .map_err(|_| err.clone())?;
    // jiff constrains the day to the target month's length, which is exactly the clamp.
    date.checked_add(span).map_err(|_| err)
}

/// Subtracts calendar months with the same end-of-month clamp.
pub fn sub_calendar_months(date: Date, months: u32) -> Result<Date, DeadlineError> {
    let err = DeadlineError::OutOfRange {
        what: "calendar months",
    };
    let span = Span::new()
        .try_months(-i64::from(months))
        .map_err(|_| err.clone())?;
    date.checked_add(span).map_err(|_| err)
}

/// Adds calendar days (the day of the event is not counted: 2024-03-04 + 45 = 2024-04-18).
pub fn add_calendar_days(date: Date, days: u32) -> Result<Date, DeadlineError> {
    date.checked_add(SignedDuration::from_hours(i64::from(days) * 24))
        .map_err(|_| DeadlineError::OutOfRange {
            what: "calendar days",
        })
}

/// Adds business days of `cal`: the result is the `days`-th business day after `date`
/// (Mon 2024-03-04 + 10 = 2024-03-18). `date` itself never counts, whatever day it is, so a
/// request received on a Saturday starts counting on Monday. With `days == 0`, `date` is
/// returned unchanged.
pub fn add_business_days(date: Date, days: u32, cal: &Calendar) -> Result<Date, DeadlineError> {
    let mut d = date;
    let mut left = days;
    while left > 0 {
        d = d.tomorrow().map_err(|_| DeadlineError::OutOfRange {
            what: "business days",
        })?;
        if cal.is_business_day(d) {
            left -= 1;
        }
    }
    Ok(d)
}

/// Adds exact hours to an instant (GDPR Art. 33: aware + 72 h).
pub fn add_hours(at: Timestamp, hours: u32) -> Result<Timestamp, DeadlineError> {
    at.checked_add(SignedDuration::from_hours(i64::from(hours)))
        .map_err(|_| DeadlineError::OutOfRange { what: "hours" })
}

/// Adds a date-based period to a civil date. `Hours` are rounded up to whole days (callers
/// with hour periods should use [`deadline_after`], which keeps the exact instant).
pub fn add_period_to_date(
    date: Date,
    period: Period,
    cal: &Calendar,
) -> Result<Date, DeadlineError> {
    match period {
        Period::Months(n) => add_calendar_months(date, n),
        Period::CalendarDays(n) => add_calendar_days(date, n),
        Period::BusinessDays(n) => add_business_days(date, n, cal),
        Period::Hours(h) => add_calendar_days(date, h.div_ceil(24)),
    }
}

/// The deadline `period` after the instant `start`: date-based periods count from the civil
/// date of `start` in the controller zone and end at the end of the due day (DL-02); hour
/// periods end at the exact instant.
pub fn deadline_after(
    start: Timestamp,
    period: Period,
    cal: &Calendar,
) -> Result<Deadline, DeadlineError> {
    match period {
        Period::Hours(h) => Ok(Deadline::instant(add_hours(start, h)?, cal)),
        Period::Months(_) | Period::CalendarDays(_) | Period::BusinessDays(_) => {
            let date = add_period_to_date(cal.civil_date(start), period, cal)?;
            Deadline::end_of_day(date, cal)
        }
    }
}

/// Whole calendar days from `from` to `to` (negative when `to` is earlier).
#[must_use]
pub fn days_between(from: Date, to: Date) -> i64 {
    from.duration_until(to).as_hours() / 24
}
