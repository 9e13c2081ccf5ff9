//! The people a security incident affects (SEC-06, GDPR-30, GDPR-31, CCPA-35, NV-08): the set
//! computed from what the store holds — the subjects with vault items in the incident's
//! categories (optionally only items held during the incident's window), and those whose data
//! was disclosed to the recipients the incident names (a processor's breach) — counted per
//! residency in the store itself, never by reading values (nothing is decrypted), and kept
//! per incident so the per-person notices can be worked from it: each subject is marked when
//! its notice was queued, in the same transaction as the outbox message, so a notice is never
//! queued twice.
//!
//! Ids, jurisdictions and times only: no personal data in plaintext.

use jiff::Timestamp;

use crate::ids::{CaseId, MessageId, SubjectId};
use crate::model::request::NewMessage;
use crate::values::{CategoryKey, Jurisdiction, RecipientKey};

/// Which subjects an incident affects, to compute
/// ([`CaseStore::compute_affected`](crate::traits::CaseStore::compute_affected)).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AffectedQuery {
    /// The incident (a case of kind `Incident`).
    pub incident: CaseId,
    /// The data categories involved.
    pub categories: Vec<CategoryKey>,
    /// Count the subjects with a vault item in `categories` (live now, or held during the
    /// window when one is given).
    pub vault: bool,
    /// Count the subjects whose data (in `categories`, or any when `categories` is empty) was
    /// disclosed to one of these recipients (before `until` when given).
    pub recipients: Vec<RecipientKey>,
    /// The window's start: an item erased before it was not held then.
    pub from: Option<Timestamp>,
    /// The window's end: an item collected (or a disclosure made) after it was not exposed.
    pub until: Option<Timestamp>,
    /// When the set was computed.
    pub at: Timestamp,
}

/// How many affected subjects have one residency.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct AffectedCount {
    /// The subjects' declared residency (`None`: unknown, or cleared by erasure).
    pub residency: Option<Jurisdiction>,
    /// How many.
    pub subjects: u64,
}

/// One affected subject of an incident.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AffectedSubject {
    /// The subject.
    pub subject: SubjectId,
    /// Its residency now.
    pub residency: Option<Jurisdiction>,
    /// When it was added to the set.
    pub computed_at: Timestamp,
    /// When its notice was queued (`None`: not yet).
    pub notified_at: Option<Timestamp>,
    /// The outbox message of its notice.
    pub message: Option<MessageId>,
}

/// The notice of one affected subject, with its outbox message
/// ([`CaseStore::enqueue_affected_notices`](crate::traits::CaseStore::enqueue_affected_notices)).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AffectedNotice {
    /// The subject (one of the incident's affected set).
    pub subject: SubjectId,
    /// Its message; its owner must be `MessageOwner::Incident` of the incident.
    pub message: NewMessage,
}
