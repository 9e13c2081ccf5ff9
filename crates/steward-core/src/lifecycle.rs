//! Lifecycle events that start retention clocks (RET-01): a subject's account closed or
//! reopened, its last activity, the end of its contract.
//!
//! A category's retention rule says what starts its clock. `collected` is known when an item
//! is written; `ticket_closed` is recorded per ticket (CHAT-04, `close_ticket`); the other
//! three are recorded here, per subject, and set `retain_until` on the subject's live items
//! whose category's clock starts at that event:
//!
//! - `account_closed`: the latest closure, unless a reopening at or after it came later. A
//!   reopening clears the deadlines closure set (the account is in use again; the clock
//!   starts afresh at the next closure). Closing again later sets them from the new date.
//! - `last_activity` and `contract_end`: the latest recorded time. An older event recorded
//!   late never moves a deadline back.
//!
//! Items written later under such a rule get their deadline at write time when the event has
//! already happened ([`event_deadline`]). An item is kept through the whole last day (UTC),
//! like ticket closure: closed 2024-01-01 with 3 years is kept on 2027-01-01 and erased by
//! the first sweep after it. The event, the deadlines it moves and its audit entry commit
//! together; the audit entry carries the subject id, the event kind and per-category counts,
//! never personal data.

use std::collections::BTreeMap;

use jiff::Timestamp;
use steward_errors::ErrorCode;
use steward_store::AuditedWrite;
use steward_store::ids::{ItemId, SubjectId};
use steward_store::model::audit::{Attribute, AuditKind};
use steward_store::model::lifecycle::{LifecycleEvent, LifecycleKind, LifecycleWrite};
use steward_store::values::{AttrValue, CategoryKey, FieldName};

use crate::error::CoreError;
use crate::{Caller, Steward};

/// What recording a lifecycle event did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LifecycleOutcome {
    /// The event as recorded.
    pub event: LifecycleEvent,
    /// The items whose deadline changed, with the new deadline (`None`: cleared).
    pub items: Vec<(ItemId, Option<Timestamp>)>,
}

/// The retention trigger (policy name) an event kind starts.
#[must_use]
pub fn trigger_of(kind: LifecycleKind) -> &'static str {
    match kind {
        LifecycleKind::AccountClosed | LifecycleKind::AccountReopened => "account_closed",
        LifecycleKind::LastActivity => "last_activity",
        LifecycleKind::ContractEnd => "contract_end",
    }
}

/// When the clock named `trigger` started for a subject with these events, if it has.
#[must_use]
pub fn clock_start(events: &[LifecycleEvent], trigger: &str) -> Option<Timestamp> {
    match trigger {
        "account_closed" => {
            let closed = events
                .iter()
                .filter(|e| e.kind == LifecycleKind::AccountClosed)
                .map(|e| e.at)
                .max()?;
            let reopened = events
                .iter()
                .filter(|e| e.kind == LifecycleKind::AccountReopened)
                .map(|e| e.at)
                .max();
            match reopened {
                Some(r) if r >= closed => None,
                _ => Some(closed),
            }
        }
        "last_activity" => latest(events, LifecycleKind::LastActivity),
        "contract_end" => latest(events, LifecycleKind::ContractEnd),
        _ => None,
    }
}

fn latest(events: &[LifecycleEvent], kind: LifecycleKind) -> Option<Timestamp> {
    events.iter().filter(|e| e.kind == kind).map(|e| e.at).max()
}

/// `start + span`, kept through that whole UTC day: the start of the following day.
///
/// # Errors
/// `Invalid(BAD_TIME)` when the date leaves the calendar's range.
pub fn through_last_day(start: Timestamp, span: jiff::Span) -> Result<Timestamp, CoreError> {
    let bad = |e: jiff::Error| CoreError::invalid(ErrorCode::BadTime, e.to_string());
    start
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .checked_add(span)
        .map_err(bad)?
        .date()
        .tomorrow()
        .map_err(bad)?
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .map_err(bad)
        .map(|z| z.timestamp())
}

/// The deadline of an item of `cat` for a subject with these lifecycle events, when its
/// category's clock starts at one of them and it has started (`None` otherwise: collection
/// and ticket clocks are set elsewhere; an indefinite retention has no deadline).
#[must_use]
pub fn event_deadline(
    engine: &steward_policy::Engine,
    cat: steward_policy::ids::CategoryId,
    events: &[LifecycleEvent],
) -> Option<Timestamp> {
    let info = engine.category_info(cat);
    let start = clock_start(events, &info.retention_trigger)?;
    through_last_day(start, info.retention?).ok()
}

impl Steward {
    /// Record a lifecycle event of a subject (RET-01) and set the retention deadlines it
    /// starts, moves or (a reopening) clears; see the module docs. Recording the same event
    /// again changes nothing.
    ///
    /// # Errors
    /// `NotFound(subject)`, `Invalid(TIME_IN_FUTURE)` for an event after now, store and
    /// audit failures.
    pub async fn record_lifecycle(
        &self,
        caller: &Caller,
        subject: SubjectId,
        kind: LifecycleKind,
        at: Timestamp,
    ) -> Result<LifecycleOutcome, CoreError> {
        let now = self.clock.now();
        if at > now {
            return Err(CoreError::invalid(
                ErrorCode::TimeInFuture,
                format!("a lifecycle event (`{kind}`) cannot be recorded before it happens"),
            ));
        }
        self.store.get_subject(subject).await?;
        let event = LifecycleEvent {
            subject,
            kind,
            at: steward_store::values::store_precision(at),
            recorded_at: now,
        };
        let mut events = self.store.lifecycle_events(subject).await?;
        if !events
            .iter()
            .any(|e| e.kind == event.kind && e.at == event.at)
        {
            events.push(event.clone());
        }
        let engine = self.engine();
        let trigger = trigger_of(kind);
        let mut changed = Vec::new();
        let mut by_category: BTreeMap<String, u64> = BTreeMap::new();
        for item in self.store.list_items(subject).await? {
            if item.erased_at.is_some() {
                continue;
            }
            let Some(cat) = engine.category(item.category.as_str()) else {
                continue;
            };
            if engine.category_info(cat).retention_trigger != trigger {
                continue;
            }
            let until = event_deadline(&engine, cat, &events);
            if until != item.retain_until {
                changed.push((item.id, until));
                *by_category
                    .entry(item.category.as_str().to_string())
                    .or_default() += 1;
            }
        }
        let mut e = self.event(AuditKind::Write, "lifecycle.record", caller);
        e.subject = Some(subject);
        e.categories = by_category
            .keys()
            .filter_map(|c| CategoryKey::new(c.clone()).ok())
            .collect();
        e.attributes = std::iter::once(("event".to_string(), kind.as_str().to_string()))
            .chain(std::iter::once(("at".to_string(), event.at.to_string())))
            .chain(
                by_category
                    .iter()
                    .map(|(c, n)| (format!("retention_set:{c}"), n.to_string())),
            )
            .filter_map(|(k, v)| {
                Some(Attribute {
                    name: FieldName::new(k).ok()?,
                    value: AttrValue::new(v).ok()?,
                })
            })
            .collect();
        self.store
            .write_audited(
                &AuditedWrite::RecordLifecycle(LifecycleWrite {
                    event: event.clone(),
                    retention: changed.clone(),
                }),
                &[e],
            )
            .await?;
        self.audit.note_appended(1);
        Ok(LifecycleOutcome {
            event,
            items: changed,
        })
    }

    /// The lifecycle events recorded for a subject, oldest first.
    ///
    /// # Errors
    /// `NotFound(subject)`, store failures.
    pub async fn lifecycle_events(
        &self,
        subject: SubjectId,
    ) -> Result<Vec<LifecycleEvent>, CoreError> {
        self.store.get_subject(subject).await?;
        Ok(self.store.lifecycle_events(subject).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(kind: LifecycleKind, secs: i64) -> LifecycleEvent {
        LifecycleEvent {
            subject: SubjectId::from_bytes([1; 16]),
            kind,
            at: Timestamp::from_second(secs).unwrap_or(Timestamp::UNIX_EPOCH),
            recorded_at: Timestamp::UNIX_EPOCH,
        }
    }

    #[test]
    fn ret_01_reopening_clears_closure_and_activity_only_moves_forward() {
        use LifecycleKind::*;
        let t = |s| Timestamp::from_second(s).ok();
        assert_eq!(clock_start(&[], "account_closed"), None);
        assert_eq!(
            clock_start(&[ev(AccountClosed, 10)], "account_closed"),
            t(10)
        );
        let reopened = [ev(AccountClosed, 10), ev(AccountReopened, 20)];
        assert_eq!(clock_start(&reopened, "account_closed"), None);
        let closed_again = [
            ev(AccountClosed, 10),
            ev(AccountReopened, 20),
            ev(AccountClosed, 30),
        ];
        assert_eq!(clock_start(&closed_again, "account_closed"), t(30));
        let activity = [ev(LastActivity, 50), ev(LastActivity, 40)];
        assert_eq!(clock_start(&activity, "last_activity"), t(50));
        assert_eq!(clock_start(&activity, "contract_end"), None);
        assert_eq!(clock_start(&activity, "collected"), None);
    }

    #[test]
    fn ret_01_kept_through_the_last_day() {
        let start: Timestamp = "2024-01-01T15:00:00Z".parse().unwrap_or_default();
        let until = through_last_day(start, jiff::Span::new().years(3)).ok();
        assert_eq!(
            until,
            "2027-01-02T00:00:00Z".parse::<Timestamp>().ok(),
            "closed 2024-01-01 + 3 years is kept through 2027-01-01"
        );
    }
}
