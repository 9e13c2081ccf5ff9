//! The statutory clock: GDPR, CCPA, Nevada and CAN-SPAM deadlines with business days and
//! holiday calendars. Pure: no I/O, no system clock, no global state; `now` and every
//! instant are parameters, so tests give exact dates (DM-07).
//!
//! - [`Calendar`]: controller time zone (default `America/Los_Angeles`), holidays, business
//!   days, and the clock settings that are configuration (RIGHTS-05, GDPR-06, CCPA-06).
//! - Arithmetic (DL-01): [`add_calendar_months`] (Reg. 1182/71 end-of-month clamp),
//!   [`add_calendar_days`], [`add_business_days`], [`add_hours`], [`deadline_after`].
//!   Date-only deadlines end at the end of the day in the controller zone and are stored as
//!   UTC instants ([`Deadline`], DL-02).
//! - Requests: [`intake`] opens a [`Ticket`] with `ack_due`, `due`, `max_due` and
//!   `propagate_by` across regimes (DL-03); [`extend`] / [`Ticket::extend`] apply the one
//!   extension (DL-05); [`status`] and [`reminders`] drive the console and alerts (DL-04).
//! - Breaches ([`breach`]): [`breach_plan`] turns an assessed breach into the notices owed —
//!   supervisory authority in 72 hours, data subjects, US state notices — with due times
//!   (DEC-21; GDPR-30, GDPR-31, CCPA-35, NV-08).
//! - Other clocks ([`clocks`]): CAN-SPAM opt-out, CCPA opt-out propagation and re-ask waits,
//!   breach notice, complaints, Art. 14 notices, record retention, CCPA look-back and the
//!   twice-a-year limit.
//!
//! ```
//! use jiff::Timestamp;
//! use steward_deadlines::{Calendar, Regime, RequestKind, intake};
//!
//! let cal = Calendar::default();
//! let received: Timestamp = "2024-03-04T17:00:00Z".parse()?;
//! let t = intake(RequestKind::Access, &[Regime::Gdpr, Regime::Ccpa], received, &cal)?;
//! assert_eq!(t.due().date().to_string(), "2024-04-04"); // GDPR: one month
//! assert_eq!(t.ack_due().map(|d| d.date().to_string()).as_deref(), Some("2024-03-18")); // CCPA
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod breach;
pub mod calendar;
pub mod clocks;
pub mod error;
pub mod regime;
pub mod status;
pub mod ticket;
pub mod time;

pub use breach::{
    BreachFacts, BreachPlan, BreachRisk, BreachTargets, NoticeTask, NoticeTo, STATE_RULES,
    breach_plan,
};
pub use calendar::{Calendar, CalendarError, Location, us_federal_holidays};
pub use clocks::{DateRange, Lookback, RecordRetention, RepeatCheck};
pub use error::{DeadlineError, ExtendError};
pub use regime::{Regime, RequestKind, Rule, UnknownName};
pub use status::{
    Reminder, ReminderKind, Status, days_left, deadline_status, reminders, reminders_for, status,
};
pub use ticket::{Extension, ExtensionLength, RegimeClock, Ticket, extend, intake};
pub use time::{
    Deadline, Period, add_business_days, add_calendar_days, add_calendar_months, add_hours,
    days_between, deadline_after, sub_calendar_months,
};
