//! Intake of a data-subject request into a [`Ticket`] with its statutory deadlines
//! (DL-01, DL-03, GDPR-03, CCPA-04, CCPA-13, NV-03, RIGHTS-05), the one allowed extension
//! (DL-05) and the optional GDPR-06 verification pause.
//!
//! Which receipt date counts: `received_at` converted to the civil date in the controller
//! zone. Calendar-day and month periods count from that date (the day itself is not
//! counted); business-day periods count the business days after it.

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::calendar::Calendar;
use crate::error::{DeadlineError, ExtendError};
use crate::regime::{Regime, RequestKind, Rule};
use crate::time::{Deadline, Period, add_calendar_days, add_calendar_months, add_period_to_date};

/// The clock one regime puts on a ticket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegimeClock {
    /// The regime.
    pub regime: Regime,
    /// The periods it applies.
    pub rule: Rule,
    /// Acknowledgement due (CCPA know/delete/correct only).
    pub ack_due: Option<Deadline>,
    /// Response due.
    pub due: Deadline,
    /// Latest response date with an extension (equal to `due` when none is allowed).
    pub max_due: Deadline,
    /// Last moment an extension notice may be given, `None` when the deadline is fixed.
    pub extension_notice_by: Option<Deadline>,
    /// Downstream propagation due (opt-outs).
    pub propagate_by: Option<Deadline>,
}

impl RegimeClock {
    fn new(
        regime: Regime,
        rule: Rule,
        received: Date,
        cal: &Calendar,
    ) -> Result<Self, DeadlineError> {
        let due_date = add_period_to_date(received, rule.response, cal)?;
        let due = Deadline::end_of_day(due_date, cal)?;
        let max_due = match (rule.response, rule.extension) {
            (_, None) => due,
            (Period::Months(r), Some(Period::Months(e))) => {
                // Anchored at receipt so the clamp is applied once: 01-31 + 3 months = 04-30.
                Deadline::end_of_day(add_calendar_months(received, r.saturating_add(e))?, cal)?
            }
            (Period::CalendarDays(r), Some(Period::CalendarDays(e))) => {
                Deadline::end_of_day(add_calendar_days(received, r.saturating_add(e))?, cal)?
            }
            (_, Some(e)) => Deadline::end_of_day(add_period_to_date(due_date, e, cal)?, cal)?,
        };
        let ack_due = match rule.ack {
            Some(p) => Some(Deadline::end_of_day(
                add_period_to_date(received, p, cal)?,
                cal,
            )?),
            None => None,
        };
        let propagate_by = match rule.propagate {
            Some(p) => Some(Deadline::end_of_day(
                add_period_to_date(received, p, cal)?,
                cal,
            )?),
            None => None,
        };
        // GDPR: notice "within one month of receipt"; CCPA: "within the first 45 days";
        // Nevada and the policy: before the original deadline. All equal the original due.
        let extension_notice_by = rule.extension.map(|_| due);
        Ok(RegimeClock {
            regime,
            rule,
            ack_due,
            due,
            max_due,
            extension_notice_by,
            propagate_by,
        })
    }

    fn shift(&mut self, days: u32, cal: &Calendar) -> Result<(), DeadlineError> {
        let shift = |d: Deadline| -> Result<Deadline, DeadlineError> {
            Deadline::end_of_day(add_calendar_days(d.date(), days)?, cal)
        };
        self.due = shift(self.due)?;
        self.max_due = shift(self.max_due)?;
        if let Some(n) = self.extension_notice_by {
            self.extension_notice_by = Some(shift(n)?);
        }
        Ok(())
    }
}

/// How long an extension is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "unit", content = "n", rename_all = "snake_case")]
pub enum ExtensionLength {
    /// As long as every governing regime allows (the ticket's `max_due`).
    Maximum,
    /// Calendar days added to the current due date.
    Days(u32),
    /// Calendar months; when the binding clock is month-based (GDPR) they are counted from
    /// receipt, so 2024-01-31 + 1 month + 2 months = 2024-04-30.
    Months(u32),
}

/// An accepted extension. The subject must be told, with the reason (GDPR-03, CCPA-04,
/// NV-03): the workflow queues that notice, dated `notified_at`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extension {
    notified_at: Timestamp,
    reason: String,
    length: ExtensionLength,
    previous_due: Deadline,
    new_due: Deadline,
}

impl Extension {
    /// When the subject was (or is being) told.
    #[must_use]
    pub fn notified_at(&self) -> Timestamp {
        self.notified_at
    }
    /// The reason given to the subject (trimmed).
    #[must_use]
    pub fn reason(&self) -> &str {
        &self.reason
    }
    /// What was asked for.
    #[must_use]
    pub fn length(&self) -> ExtensionLength {
        self.length
    }
    /// The due date before the extension.
    #[must_use]
    pub fn previous_due(&self) -> Deadline {
        self.previous_due
    }
    /// The extended due date.
    #[must_use]
    pub fn new_due(&self) -> Deadline {
        self.new_due
    }
}

/// A request with its deadlines. Built only by [`intake`]; the one mutation allowed is
/// [`Ticket::extend`] (and the GDPR-06 wait when configured).
///
/// It serializes to JSON for storage; deserialization trusts the stored values (it is meant
/// for the project's own records, not for input from clients).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ticket {
    kind: RequestKind,
    received_at: Timestamp,
    received_date: Date,
    clocks: Vec<RegimeClock>,
    ack_due: Option<Deadline>,
    due: Deadline,
    max_due: Deadline,
    extension_notice_by: Option<Deadline>,
    propagate_by: Option<Deadline>,
    extension: Option<Extension>,
    paused_days: u32,
}

/// Opens a ticket: the regimes in `regimes` that cover `kind` each set a clock, and the
/// ticket takes the strictest of them (DL-03): `ack_due`, `due`, `max_due` and
/// `propagate_by` are the minimum over regimes, and an extension is possible only if every
/// governing regime allows one. `Regime::Policy` is the fallback used when no statutory
/// regime in the list covers `kind` (RIGHTS-05); listing it alongside statutes changes
/// nothing. Duplicates in `regimes` are ignored.
pub fn intake(
    kind: RequestKind,
    regimes: &[Regime],
    received_at: Timestamp,
    cal: &Calendar,
) -> Result<Ticket, DeadlineError> {
    let received_date = cal.civil_date(received_at);
    let mut clocks = Vec::with_capacity(regimes.len().max(1));
    for regime in Regime::ALL {
        if !regime.is_statutory() || !regimes.contains(&regime) {
            continue;
        }
        if let Some(rule) = regime.rule(kind, cal) {
            clocks.push(RegimeClock::new(regime, rule, received_date, cal)?);
        }
    }
    if clocks.is_empty()
        && let Some(rule) = Regime::Policy.rule(kind, cal)
    {
        clocks.push(RegimeClock::new(Regime::Policy, rule, received_date, cal)?);
    }
    let (ack_due, due, max_due, extension_notice_by, propagate_by) = aggregate(&clocks)?;
    Ok(Ticket {
        kind,
        received_at,
        received_date,
        clocks,
        ack_due,
        due,
        max_due,
        extension_notice_by,
        propagate_by,
        extension: None,
        paused_days: 0,
    })
}

type Aggregate = (
    Option<Deadline>,
    Deadline,
    Deadline,
    Option<Deadline>,
    Option<Deadline>,
);

fn aggregate(clocks: &[RegimeClock]) -> Result<Aggregate, DeadlineError> {
    let due = clocks
        .iter()
        .map(|c| c.due)
        .min()
        .ok_or(DeadlineError::OutOfRange {
            what: "ticket without a clock",
        })?;
    let max_due = clocks.iter().map(|c| c.max_due).min().unwrap_or(due);
    let ack_due = clocks.iter().filter_map(|c| c.ack_due).min();
    let propagate_by = clocks.iter().filter_map(|c| c.propagate_by).min();
    let extension_notice_by = if clocks.iter().all(|c| c.extension_notice_by.is_some()) {
        clocks.iter().filter_map(|c| c.extension_notice_by).min()
    } else {
        None
    };
    Ok((ack_due, due, max_due, extension_notice_by, propagate_by))
}

impl Ticket {
    /// The request kind.
    #[must_use]
    pub fn kind(&self) -> RequestKind {
        self.kind
    }
    /// When the request was received.
    #[must_use]
    pub fn received_at(&self) -> Timestamp {
        self.received_at
    }
    /// The receipt date that counts: `received_at` in the controller zone.
    #[must_use]
    pub fn received_date(&self) -> Date {
        self.received_date
    }
    /// The regimes that set a clock on this ticket, in canonical order.
    pub fn regimes(&self) -> impl Iterator<Item = Regime> + '_ {
        self.clocks.iter().map(|c| c.regime)
    }
    /// The per-regime breakdown.
    #[must_use]
    pub fn clocks(&self) -> &[RegimeClock] {
        &self.clocks
    }
    /// The regime whose deadline is the ticket's `due` (the first in canonical order on ties).
    #[must_use]
    pub fn binding_regime(&self) -> Regime {
        self.clocks
            .iter()
            .find(|c| c.due == self.due)
            .map_or(Regime::Policy, |c| c.regime)
    }
    /// Acknowledgement due, if any regime requires one (CCPA-04: 10 business days).
    #[must_use]
    pub fn ack_due(&self) -> Option<Deadline> {
        self.ack_due
    }
    /// The original response deadline (before any extension).
    #[must_use]
    pub fn due(&self) -> Deadline {
        self.due
    }
    /// The deadline in force: the extended one if extended, else [`Ticket::due`].
    #[must_use]
    pub fn current_due(&self) -> Deadline {
        self.extension.as_ref().map_or(self.due, |e| e.new_due)
    }
    /// The latest deadline any extension could reach.
    #[must_use]
    pub fn max_due(&self) -> Deadline {
        self.max_due
    }
    /// Last moment to notify an extension, `None` if the deadline cannot be extended.
    #[must_use]
    pub fn extension_notice_by(&self) -> Option<Deadline> {
        self.extension_notice_by
    }
    /// Downstream propagation deadline for opt-outs (CCPA-13, DNS-05, CANSPAM-02).
    #[must_use]
    pub fn propagate_by(&self) -> Option<Deadline> {
        self.propagate_by
    }
    /// The extension, if one was granted.
    #[must_use]
    pub fn extension(&self) -> Option<&Extension> {
        self.extension.as_ref()
    }
    /// Days the GDPR clocks were paused for identity verification (GDPR-06).
    #[must_use]
    pub fn paused_days(&self) -> u32 {
        self.paused_days
    }

    /// Validates an extension with [`extend`] and, if accepted, records it on the ticket.
    pub fn extend(
        &mut self,
        at: Timestamp,
        reason: Option<&str>,
        length: ExtensionLength,
        cal: &Calendar,
    ) -> Result<&Extension, ExtendError> {
        let ext = extend(self, at, reason, length, cal)?;
        Ok(self.extension.insert(ext))
    }

    /// GDPR-06: records that the controller asked for identity information at `asked_at`
    /// and got it at `answered_at`. When the calendar pauses the GDPR clock during
    /// verification, the GDPR/UK GDPR deadlines move by the whole days waited and the
    /// ticket is re-aggregated; otherwise (the default) nothing changes. CCPA clocks never
    /// pause ("the clock runs regardless of time spent verifying", CCPA-04). Returns the
    /// days added.
    pub fn record_verification_wait(
        &mut self,
        asked_at: Timestamp,
        answered_at: Timestamp,
        cal: &Calendar,
    ) -> Result<u32, DeadlineError> {
        if asked_at < self.received_at || answered_at < asked_at {
            return Err(DeadlineError::InvalidWait);
        }
        if !cal.gdpr_pause_during_verification() {
            return Ok(0);
        }
        let waited =
            crate::time::days_between(cal.civil_date(asked_at), cal.civil_date(answered_at));
        let days = u32::try_from(waited).map_err(|_| DeadlineError::InvalidWait)?;
        if days == 0
            || !self
                .clocks
                .iter()
                .any(|c| matches!(c.regime, Regime::Gdpr | Regime::UkGdpr))
        {
            return Ok(0);
        }
        let mut clocks = self.clocks.clone();
        for c in &mut clocks {
            if matches!(c.regime, Regime::Gdpr | Regime::UkGdpr) {
                c.shift(days, cal)?;
            }
        }
        let (ack_due, due, max_due, notice_by, propagate_by) = aggregate(&clocks)?;
        let extension = match self.extension.clone() {
            Some(mut e) => {
                let moved = Deadline::end_of_day(add_calendar_days(e.new_due.date(), days)?, cal)?;
                e.new_due = moved.min(max_due);
                Some(e)
            }
            None => None,
        };
        self.clocks = clocks;
        self.ack_due = ack_due;
        self.due = due;
        self.max_due = max_due;
        self.extension_notice_by = notice_by;
        self.propagate_by = propagate_by;
        self.extension = extension;
        self.paused_days = self.paused_days.saturating_add(days);
        Ok(days)
    }
}

/// Checks an extension of `ticket` notified at `at` (DL-05), without changing the ticket.
///
/// Order of checks: one extension only (`ALREADY_EXTENDED`); every governing regime must
/// allow one (`NOT_EXTENDABLE`); a non-blank reason (`REASON_REQUIRED`); the notice must
/// fall in the strictest notice window: GDPR within one month of receipt, CCPA within the
/// first 45 days, Nevada and the policy before the original deadline
/// (`EXTENSION_BEFORE_RECEIPT`, `EXTENSION_NOTICE_LATE`); the new deadline must move and
/// stay within every regime's maximum (`EXTENSION_EMPTY`, `NV_EXTENSION_TOO_LONG` for
/// Nevada's 30 days, `EXTENSION_TOO_LONG` otherwise).
pub fn extend(
    ticket: &Ticket,
    at: Timestamp,
    reason: Option<&str>,
    length: ExtensionLength,
    cal: &Calendar,
) -> Result<Extension, ExtendError> {
    if ticket.extension.is_some() {
        return Err(ExtendError::AlreadyExtended);
    }
    if let Some(c) = ticket
        .clocks
        .iter()
        .find(|c| c.extension_notice_by.is_none())
    {
        return Err(ExtendError::NotExtendable { regime: c.regime });
    }
    let reason = reason
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .ok_or(ExtendError::ReasonRequired)?;
    if at < ticket.received_at {
        return Err(ExtendError::NoticeBeforeReceipt);
    }
    let notice_by = ticket
        .extension_notice_by
        .ok_or(ExtendError::NotExtendable {
            regime: ticket.binding_regime(),
        })?;
    if notice_by.has_passed(at) {
        return Err(ExtendError::NoticeLate { notice_by });
    }
    let due = ticket.due;
    let new_date = match length {
        ExtensionLength::Maximum => ticket.max_due.date(),
        ExtensionLength::Days(0) | ExtensionLength::Months(0) => return Err(ExtendError::Empty),
        ExtensionLength::Days(n) => add_calendar_days(due.date(), n)?,
        ExtensionLength::Months(n) => {
            let binding = ticket
                .clocks
                .iter()
                .find(|c| c.due == due)
                .map(|c| c.rule.response);
            match binding {
                Some(Period::Months(m)) => {
                    add_calendar_months(ticket.received_date, m.saturating_add(n))?
                }
                _ => add_calendar_months(due.date(), n)?,
            }
        }
    };
    if new_date <= due.date() {
        return Err(ExtendError::Empty);
    }
    for c in &ticket.clocks {
        if new_date > c.max_due.date() {
            return Err(match (c.regime, c.rule.extension) {
                (Regime::Nevada, Some(Period::CalendarDays(d))) => {
                    ExtendError::NvTooLong { max_days: d }
                }
                _ => ExtendError::TooLong {
                    regime: c.regime,
                    max_due: c.max_due,
                },
            });
        }
    }
    Ok(Extension {
        notified_at: at,
        reason: reason.to_owned(),
        length,
        previous_due: due,
        new_due: Deadline::end_of_day(new_date, cal)?,
    })
}
