//! Lifecycle events that start retention clocks (RET-01): a subject's account closed or
//! reopened, its last activity, the end of its contract.
//!
//! A category's retention rule names what starts its clock (`collected`, `account_closed`,
//! `last_activity`, `contract_end`, `ticket_closed`). Collection is known when an item is
//! written and ticket closure is recorded per ticket (CHAT-04); the others are recorded here,
//! per subject, and the use case sets `retain_until` on the subject's items from them. The
//! records hold ids, kinds and times only, no personal data.

use jiff::Timestamp;

use super::coded_enum;
use crate::ids::{ItemId, SubjectId};

coded_enum! {
    /// What happened.
    pub enum LifecycleKind: "lifecycle event" {
        /// The subject's account was closed (`account_closed` clocks start).
        AccountClosed = 1, "account_closed",
        /// The subject's account was reopened (clears what the closure before it started).
        AccountReopened = 2, "account_reopened",
        /// The subject was last active (`last_activity` clocks start; a later one moves them).
        LastActivity = 3, "last_activity",
        /// The subject's contract ended (`contract_end` clocks start).
        ContractEnd = 4, "contract_end",
    }
}

/// One recorded lifecycle event. Identified by `(subject, kind, at)`: recording the same
/// event again is a no-op.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LifecycleEvent {
    /// Whose.
    pub subject: SubjectId,
    /// What.
    pub kind: LifecycleKind,
    /// When it happened.
    pub at: Timestamp,
    /// When it was recorded.
    pub recorded_at: Timestamp,
}

/// A lifecycle event with the new retention deadlines of the items it moves, written together
/// with its audit entry (`AuditedWrite::RecordLifecycle`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LifecycleWrite {
    /// The event.
    pub event: LifecycleEvent,
    /// Items and their new `retain_until` (erased items are left alone).
    pub retention: Vec<(ItemId, Option<Timestamp>)>,
}
