//! Lifecycle events that start retention clocks (RET-01): a subject's account closed or
//! reopened, its last activity, the end of its contract. Recording one sets `retain_until`
//! on the subject's items whose category's retention starts at that event.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// What happened to the subject.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LifecycleEventKind {
    /// The account was closed: `account_closed` retention clocks start.
    AccountClosed,
    /// The account was reopened: the deadlines the closure before it set are cleared.
    AccountReopened,
    /// The subject was active: `last_activity` clocks start again from the latest activity.
    LastActivity,
    /// The subject's contract ended: `contract_end` clocks start.
    ContractEnd,
}

/// A lifecycle event to record.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LifecycleIn {
    /// What happened.
    pub event: LifecycleEventKind,
    /// When (RFC 3339; default: now; never in the future).
    #[serde(default)]
    #[schema(max_length = 64)]
    pub at: Option<String>,
}

/// An item whose retention deadline the event set, moved or cleared.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RetentionChange {
    /// The item.
    pub item_id: String,
    /// Its new deadline (`null`: none, e.g. after a reopening).
    pub retain_until: Option<String>,
}

/// A recorded lifecycle event.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LifecycleEventOut {
    /// The subject.
    pub subject_id: String,
    /// What happened.
    pub event: LifecycleEventKind,
    /// When it happened.
    pub at: String,
    /// When it was recorded.
    pub recorded_at: String,
}

/// What recording a lifecycle event did.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LifecycleRecorded {
    /// The event.
    pub event: LifecycleEventOut,
    /// The items whose deadline changed.
    pub items: Vec<RetentionChange>,
}

/// The lifecycle events of a subject, oldest first.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LifecycleEvents {
    /// The events.
    pub events: Vec<LifecycleEventOut>,
}

#[cfg(feature = "core")]
mod convert {
    use steward_core::lifecycle::LifecycleOutcome;
    use steward_store::model::lifecycle::{LifecycleEvent, LifecycleKind};

    use super::*;

    impl From<LifecycleEventKind> for LifecycleKind {
        fn from(k: LifecycleEventKind) -> Self {
            match k {
                LifecycleEventKind::AccountClosed => LifecycleKind::AccountClosed,
                LifecycleEventKind::AccountReopened => LifecycleKind::AccountReopened,
                LifecycleEventKind::LastActivity => LifecycleKind::LastActivity,
                LifecycleEventKind::ContractEnd => LifecycleKind::ContractEnd,
            }
        }
    }

    impl From<LifecycleKind> for LifecycleEventKind {
        fn from(k: LifecycleKind) -> Self {
            match k {
                LifecycleKind::AccountClosed => LifecycleEventKind::AccountClosed,
                LifecycleKind::AccountReopened => LifecycleEventKind::AccountReopened,
                LifecycleKind::LastActivity => LifecycleEventKind::LastActivity,
                LifecycleKind::ContractEnd => LifecycleEventKind::ContractEnd,
            }
        }
    }

    impl From<&LifecycleEvent> for LifecycleEventOut {
        fn from(e: &LifecycleEvent) -> Self {
            LifecycleEventOut {
                subject_id: e.subject.to_string(),
                event: e.kind.into(),
                at: e.at.to_string(),
                recorded_at: e.recorded_at.to_string(),
            }
        }
    }

    impl From<&LifecycleOutcome> for LifecycleRecorded {
        fn from(o: &LifecycleOutcome) -> Self {
            LifecycleRecorded {
                event: (&o.event).into(),
                items: o
                    .items
                    .iter()
                    .map(|(id, until)| RetentionChange {
                        item_id: id.to_string(),
                        retain_until: until.map(|t| t.to_string()),
                    })
                    .collect(),
            }
        }
    }
}
