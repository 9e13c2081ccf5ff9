//! The clocks that are not a request response: opt-out propagation, re-ask waits, breach
//! notice, complaints, Art. 14 notices, record retention, the CCPA look-back window and the
//! CCPA twice-a-year limit.
//!
//! Every function takes the instants it needs and the calendar; none reads a clock.

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::calendar::Calendar;
use crate::error::DeadlineError;
use crate::regime::RequestKind;
use crate::time::{Deadline, Period, add_calendar_months, deadline_after, sub_calendar_months};

/// CAN-SPAM: honour an e-mail opt-out within 10 business days (CANSPAM-02).
pub const CANSPAM_OPT_OUT: Period = Period::BusinessDays(10);
/// CCPA: stop selling/sharing within 15 business days of an opt-out (CCPA-13, DNS-05).
pub const CCPA_OPT_OUT_PROPAGATION: Period = Period::BusinessDays(15);
/// CCPA: wait 12 months before asking again after an opt-out or a minor's decline.
pub const CCPA_REASK_WAIT: Period = Period::Months(12);
/// GDPR Art. 33: notify the supervisory authority within 72 hours of awareness (GDPR-30).
pub const GDPR_BREACH_SA_NOTICE: Period = Period::Hours(72);
/// DPF: respond to a complaint within 45 days (DPF-05, CONTACT-04).
pub const DPF_COMPLAINT_RESPONSE: Period = Period::CalendarDays(45);
/// GDPR Art. 14(3)(a): notice at the latest one month after obtaining the data (GDPR-13).
pub const GDPR_ART14_NOTICE: Period = Period::Months(1);
/// GDPR Art. 12(4): tell the subject within one month why no action is taken (GDPR-04).
pub const GDPR_NO_ACTION_NOTICE: Period = Period::Months(1);
/// Default processor deletion follow-up (RET-07).
pub const PROCESSOR_DELETION_FOLLOWUP: Period = Period::CalendarDays(30);
/// CCPA look-back by default: the 12 months before receipt (CCPA-06).
pub const CCPA_DEFAULT_LOOKBACK_MONTHS: u32 = 12;
/// Where `Lookback::All` starts when the calendar has no floor: 1 January of year 1.
pub const NO_FLOOR: Date = Date::constant(1, 1, 1);
/// The CCPA-07 reason code for declining a third know request within 12 months.
pub const CCPA_REPEAT_REASON: &str = "CCPA_1798_130_b";

/// CANSPAM-02: legal deadline to honour an e-mail opt-out received at `received_at`.
pub fn canspam_opt_out_deadline(
    received_at: Timestamp,
    cal: &Calendar,
) -> Result<Deadline, DeadlineError> {
    deadline_after(received_at, CANSPAM_OPT_OUT, cal)
}

/// CCPA-13 / DNS-05: when selling and sharing must have stopped downstream.
pub fn ccpa_opt_out_propagate_by(
    received_at: Timestamp,
    cal: &Calendar,
) -> Result<Deadline, DeadlineError> {
    deadline_after(received_at, CCPA_OPT_OUT_PROPAGATION, cal)
}

/// CCPA-17: the first instant at which the consumer may be asked again to authorize sale or
/// sharing: the start of the same date 12 months after the opt-out (controller zone).
pub fn ccpa_reauthorization_not_before(
    opted_out_at: Timestamp,
    cal: &Calendar,
) -> Result<Timestamp, DeadlineError> {
    cal.start_of_day(add_calendar_months(cal.civil_date(opted_out_at), 12)?)
}

/// CCPA-17: may the consumer who opted out at `opted_out_at` be prompted at `at`?
pub fn can_prompt_reauthorization(
    opted_out_at: Timestamp,
    at: Timestamp,
    cal: &Calendar,
) -> Result<bool, DeadlineError> {
    Ok(at >= ccpa_reauthorization_not_before(opted_out_at, cal)?)
}

/// CCPA-18: after a known minor declines, wait 12 months or until they turn 16, whichever
/// comes first. `turns_16_on` is the 16th birthday when known.
pub fn can_prompt_minor_consent(
    declined_at: Timestamp,
    turns_16_on: Option<Date>,
    at: Timestamp,
    cal: &Calendar,
) -> Result<bool, DeadlineError> {
    if let Some(birthday) = turns_16_on
        && at >= cal.start_of_day(birthday)?
    {
        return Ok(true);
    }
    can_prompt_reauthorization(declined_at, at, cal)
}

/// GDPR-30: supervisory-authority notice due `aware_at` + 72 h (an exact instant).
pub fn gdpr_breach_sa_notice_due(
    aware_at: Timestamp,
    cal: &Calendar,
) -> Result<Deadline, DeadlineError> {
    deadline_after(aware_at, GDPR_BREACH_SA_NOTICE, cal)
}

/// GDPR-04: notice of no action (with complaint and judicial-remedy wording) due.
pub fn gdpr_no_action_notice_due(
    received_at: Timestamp,
    cal: &Calendar,
) -> Result<Deadline, DeadlineError> {
    deadline_after(received_at, GDPR_NO_ACTION_NOTICE, cal)
}

/// DPF-05 / CONTACT-04: response to a complaint due 45 days after receipt.
pub fn complaint_response_due(
    received_at: Timestamp,
    cal: &Calendar,
) -> Result<Deadline, DeadlineError> {
    deadline_after(received_at, DPF_COMPLAINT_RESPONSE, cal)
}

/// GDPR-13 (Art. 14(3)): notice for data not obtained from the subject is due at the
/// earliest of one month after obtaining it, the first communication with the subject, and
/// the first disclosure to another recipient. The latter two are exact instants: the notice
/// goes with (or before) that communication or disclosure.
pub fn gdpr_art14_notice_due(
    obtained_at: Timestamp,
    first_communication: Option<Timestamp>,
    first_disclosure: Option<Timestamp>,
    cal: &Calendar,
) -> Result<Deadline, DeadlineError> {
    let month = deadline_after(obtained_at, GDPR_ART14_NOTICE, cal)?;
    Ok([first_communication, first_disclosure]
        .into_iter()
        .flatten()
        .map(|t| Deadline::instant(t, cal))
        .fold(month, Ord::min))
}

/// How long request records are kept (CCPA-26 / AUD-05): at least 24 months, configurable
/// upwards only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "u32", into = "u32")]
pub struct RecordRetention(u32);

impl RecordRetention {
    /// The legal minimum, in months (11 CCR §7101).
    pub const MINIMUM_MONTHS: u32 = 24;
    /// The minimum retention.
    pub const MINIMUM: RecordRetention = RecordRetention(Self::MINIMUM_MONTHS);

    /// A retention of `months` (must be ≥ 24).
    pub fn months(months: u32) -> Result<Self, DeadlineError> {
        if months < Self::MINIMUM_MONTHS {
            return Err(DeadlineError::RetentionTooShort {
                months,
                minimum: Self::MINIMUM_MONTHS,
            });
        }
        Ok(RecordRetention(months))
    }

    /// The retention in months.
    #[must_use]
    pub fn as_months(self) -> u32 {
        self.0
    }
}

impl Default for RecordRetention {
    fn default() -> Self {
        Self::MINIMUM
    }
}

impl TryFrom<u32> for RecordRetention {
    type Error = DeadlineError;
    fn try_from(months: u32) -> Result<Self, Self::Error> {
        Self::months(months)
    }
}

impl From<RecordRetention> for u32 {
    fn from(r: RecordRetention) -> u32 {
        r.0
    }
}

/// CCPA-26 / AUD-05: a request record closed at `closed_at` is kept through the end of the
/// returned deadline (closed 2024-03-04 with 24 months → kept through 2026-03-04); a sweep
/// may purge it once the deadline has passed and no legal hold applies.
pub fn request_record_retain_until(
    closed_at: Timestamp,
    retention: RecordRetention,
    cal: &Calendar,
) -> Result<Deadline, DeadlineError> {
    deadline_after(closed_at, Period::Months(retention.as_months()), cal)
}

/// RET-01: when an item retained for `period` after `trigger_at` expires (e.g. 90 days after
/// a login, 13 months after collection, 365 days after a ticket closed).
pub fn retention_expires(
    trigger_at: Timestamp,
    period: Period,
    cal: &Calendar,
) -> Result<Deadline, DeadlineError> {
    deadline_after(trigger_at, period, cal)
}

/// The range a CCPA know request covers (CCPA-06).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "range", rename_all = "snake_case")]
pub enum Lookback {
    /// The 12 months before receipt.
    Default,
    /// Everything since the floor (1 January 2022 unless configured otherwise).
    All,
    /// A range chosen by the consumer, clamped to the floor and to the receipt date.
    Between {
        /// First day.
        from: Date,
        /// Last day.
        to: Date,
    },
}

/// An inclusive range of civil dates, with the instants that bound it in the controller zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DateRange {
    /// First day (inclusive).
    pub from: Date,
    /// Last day (inclusive).
    pub to: Date,
    /// The start of `from` in the controller zone.
    pub start: Timestamp,
    /// The end of `to` in the controller zone (DL-02).
    pub end: Timestamp,
}

impl DateRange {
    /// Whether the instant `t` falls within the range.
    #[must_use]
    pub fn contains(&self, t: Timestamp) -> bool {
        self.start <= t && t <= self.end
    }
}

/// CCPA-06: the dates a know request received at `received_at` covers. `Default` gives the
/// 12 months before receipt (received 2026-03-01 → from 2025-03-01); `All` goes back to the
/// calendar's floor (2022-01-01 unless configured otherwise); `Between` is clamped to the
/// floor and to the receipt date. The range always ends on the receipt date at the latest.
pub fn ccpa_lookback(
    received_at: Timestamp,
    range: Lookback,
    cal: &Calendar,
) -> Result<DateRange, DeadlineError> {
    let received = cal.civil_date(received_at);
    let floor = cal.ccpa_lookback_floor();
    let clamp = |d: Date| match floor {
        Some(f) if d < f => f,
        _ => d,
    };
    let (from, to) = match range {
        Lookback::Default => (
            clamp(sub_calendar_months(received, CCPA_DEFAULT_LOOKBACK_MONTHS)?),
            received,
        ),
        Lookback::All => (floor.unwrap_or(NO_FLOOR), received),
        Lookback::Between { from, to } => {
            if from > to {
                return Err(DeadlineError::InvalidRange { from, to });
            }
            (clamp(from), to.min(received))
        }
    };
    if from > to {
        return Err(DeadlineError::InvalidRange { from, to });
    }
    Ok(DateRange {
        from,
        to,
        start: cal.start_of_day(from)?,
        end: cal.end_of_day(to)?,
    })
}

/// The CCPA-07 answer for a new request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct RepeatCheck {
    /// Whether the business may decline to answer.
    pub may_decline: bool,
    /// `CCPA_1798_130_b` when it may.
    pub reason: Option<&'static str>,
    /// Prior know requests counted in the 12-month window.
    pub prior_in_window: usize,
}

/// CCPA-07 (§1798.130(b)): a business need not answer know requests from the same consumer
/// more than twice in 12 months. `prior_know_requests` are the receipt times of the
/// consumer's earlier know requests that count (the caller decides, e.g. those answered);
/// those received on a date after "receipt date − 12 months" (controller zone) and not after
/// `received_at` are counted. Deletion and other non-know kinds are never declined here.
pub fn ccpa_repeat_know_request(
    kind: RequestKind,
    received_at: Timestamp,
    prior_know_requests: &[Timestamp],
    cal: &Calendar,
) -> Result<RepeatCheck, DeadlineError> {
    if !kind.is_know() {
        return Ok(RepeatCheck {
            may_decline: false,
            reason: None,
            prior_in_window: 0,
        });
    }
    let window_start = sub_calendar_months(cal.civil_date(received_at), 12)?;
    let prior_in_window = prior_know_requests
        .iter()
        .filter(|t| **t <= received_at && cal.civil_date(**t) > window_start)
        .count();
    let may_decline = prior_in_window >= 2;
    Ok(RepeatCheck {
        may_decline,
        reason: may_decline.then_some(CCPA_REPEAT_REASON),
        prior_in_window,
    })
}
