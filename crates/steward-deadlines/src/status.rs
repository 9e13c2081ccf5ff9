//! Where a ticket stands against its deadline, and when to remind (DL-04).
//!
//! Days are counted on civil dates in the controller zone, so "7 days left" means seven
//! calendar days between today's date and the due date there, whatever the hour.

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::calendar::Calendar;
use crate::error::DeadlineError;
use crate::ticket::Ticket;
use crate::time::{Deadline, days_between};

/// A deadline is at risk from this many days before it (the T−7 reminder).
pub const AT_RISK_DAYS: i64 = 7;
/// The reminder offsets of DL-04, in days before the due date.
pub const REMINDER_OFFSETS: [u32; 2] = [7, 2];

/// Where a deadline stands at a given instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Status {
    /// More than [`AT_RISK_DAYS`] days left.
    OnTrack {
        /// Calendar days until the due date.
        days_left: i64,
    },
    /// Due within [`AT_RISK_DAYS`] days, or today.
    AtRisk {
        /// Calendar days until the due date (0 on the due date).
        days_left: i64,
    },
    /// Past the deadline instant.
    Overdue {
        /// Calendar days since the due date (0 if an hour-based deadline passed today).
        days_over: i64,
    },
}

impl Status {
    /// Stable machine-readable code.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Status::OnTrack { .. } => "ON_TRACK",
            Status::AtRisk { .. } => "AT_RISK",
            Status::Overdue { .. } => "OVERDUE",
        }
    }
}

/// Calendar days from today (in the controller zone) to the deadline's date; negative once
/// the date is behind us. For the console.
#[must_use]
pub fn days_left(deadline: &Deadline, now: Timestamp, cal: &Calendar) -> i64 {
    days_between(cal.civil_date(now), deadline.date())
}

/// The status of any deadline at `now`.
#[must_use]
pub fn deadline_status(deadline: &Deadline, now: Timestamp, cal: &Calendar) -> Status {
    let left = days_left(deadline, now, cal);
    if deadline.has_passed(now) {
        Status::Overdue {
            days_over: (-left).max(0),
        }
    } else if left <= AT_RISK_DAYS {
        Status::AtRisk { days_left: left }
    } else {
        Status::OnTrack { days_left: left }
    }
}

/// The status of a ticket's deadline in force ([`Ticket::current_due`]) at `now`.
#[must_use]
pub fn status(ticket: &Ticket, now: Timestamp, cal: &Calendar) -> Status {
    deadline_status(&ticket.current_due(), now, cal)
}

/// Which reminder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ReminderKind {
    /// Seven days before the due date.
    DueIn7Days,
    /// Two days before the due date.
    DueIn2Days,
    /// The deadline passed: the `OVERDUE` alert.
    Overdue,
}

/// A reminder to raise at `at` (for the due date `date`'s deadline).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Reminder {
    /// Which reminder.
    pub kind: ReminderKind,
    /// The civil date in the controller zone on which it fires.
    pub date: Date,
    /// The instant it fires: the start of `date` for T−7 and T−2, the first second after the
    /// deadline for `Overdue`.
    pub at: Timestamp,
}

/// The DL-04 reminders for a deadline: T−7 and T−2 days (at the start of those days in the
/// controller zone) and the `OVERDUE` alert right after the deadline. Reminders that would
/// fire at or before `not_before` (typically the receipt) are left out.
pub fn reminders_for(
    deadline: &Deadline,
    not_before: Timestamp,
    cal: &Calendar,
) -> Result<Vec<Reminder>, DeadlineError> {
    let mut out = Vec::with_capacity(3);
    for (offset, kind) in REMINDER_OFFSETS
        .into_iter()
        .zip([ReminderKind::DueIn7Days, ReminderKind::DueIn2Days])
    {
        let date = deadline
            .date()
            .checked_sub(jiff::SignedDuration::from_hours(i64::from(offset) * 24))
            .map_err(|_| DeadlineError::OutOfRange { what: "reminder" })?;
        let at = cal.start_of_day(date)?;
        if at > not_before && at <= deadline.at() {
            out.push(Reminder { kind, date, at });
        }
    }
    let at = deadline
        .at()
        .checked_add(jiff::SignedDuration::from_secs(1))
        .map_err(|_| DeadlineError::OutOfRange { what: "reminder" })?;
    out.push(Reminder {
        kind: ReminderKind::Overdue,
        date: cal.civil_date(at),
        at,
    });
    Ok(out)
}

/// The DL-04 reminders for a ticket's deadline in force.
pub fn reminders(ticket: &Ticket, cal: &Calendar) -> Result<Vec<Reminder>, DeadlineError> {
    reminders_for(&ticket.current_due(), ticket.received_at(), cal)
}
