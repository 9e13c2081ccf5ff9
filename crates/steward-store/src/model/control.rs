//! Change-of-control notices (BIZ-02, BIZ-03): after the business, or the part of it that
//! holds a person's data, changes hands, each affected person is owed a notice asking whether
//! they want to stop receiving promotional information. Until it is delivered, promotions to
//! them are held (BIZ-03); their answer is a choice of the ledger (`stop_promotions`, channel
//! `change_of_control_prompt`), not part of this record.
//!
//! A notice holds ids, a label and times only: nothing personal.

use jiff::Timestamp;

use crate::ids::{NoticeId, SubjectId};
use crate::values::CaseKey;

/// A change-of-control notice owed to (and perhaps delivered to) one person. Written through
/// [`AuditLog::write_audited`](crate::traits::AuditLog::write_audited)
/// (`PutChangeOfControlNotice`): created once; a later write of the same id may only set the
/// delivery time (the first one stays).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChangeOfControlNotice {
    /// Caller-chosen id.
    pub id: NoticeId,
    /// The person it is owed to.
    pub subject: SubjectId,
    /// The change of control it is about, as the privacy team names it (e.g. `acme-2024`).
    pub transfer: CaseKey,
    /// When the change took effect for this person: promotions are held from then until the
    /// notice is delivered.
    pub effective_at: Timestamp,
    /// When the notice was delivered (or the person answered it, which shows it was).
    pub delivered_at: Option<Timestamp>,
    /// When it was recorded.
    pub recorded_at: Timestamp,
}
