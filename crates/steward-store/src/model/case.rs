//! The privacy team's own case files: security incidents and breaches (SEC-06, GDPR-30, GDPR-31,
//! CCPA-35, NV-08), complaints (CONTACT-01, CONTACT-02, CONTACT-03, CONTACT-04, DPF-05) and legal requests (LEGALREQ-*), each
//! with its tasks (a notice owed, a first response owed) and their due times.
//!
//! The store keeps what every kind shares — kind, state, when it was opened, the next due
//! time, closing — in columns it can sort and filter on, and the rest of each kind's record
//! as a JSON `body` the use cases own (the store neither reads nor validates it). A body
//! holds ids, codes, counts and times written by the privacy team: never a person's data in
//! plaintext (that is sealed in the vault, under the subject's key).
//!
//! A case is written whole with its changed tasks through
//! [`AuditLog::write_audited`](crate::traits::AuditLog::write_audited) (`PutCase`), with
//! optimistic concurrency on its `revision`.

use jiff::Timestamp;

use super::coded_enum;
use crate::ids::{CaseId, CaseTaskId, SubjectId};
use crate::values::CaseKey;

coded_enum! {
    /// What a case file is about.
    pub enum CaseKind: "case kind" {
        /// A security incident, assessed as a breach or not (SEC-06).
        Incident = 1, "incident",
        /// A complaint about the handling of personal data (CONTACT-01, CONTACT-02, CONTACT-03, CONTACT-04).
        Complaint = 2, "complaint",
        /// A subpoena, court order or law-enforcement request (LEGALREQ-*).
        LegalRequest = 3, "legal_request",
    }
}

/// The most a case's or task's `body` may hold, in bytes.
pub const MAX_CASE_BODY: usize = 65_536;

/// A case file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseRecord {
    /// Caller-chosen id.
    pub id: CaseId,
    /// What it is about.
    pub kind: CaseKind,
    /// Where it stands, in the kind's own words (`open`, `assessed`, `responded`, `closed` …).
    pub state: CaseKey,
    /// Opened (an incident's discovery, a complaint's receipt).
    pub opened_at: Timestamp,
    /// The earliest due time of its open tasks, if any (what the queue sorts on).
    pub next_due_at: Option<Timestamp>,
    /// Closed.
    pub closed_at: Option<Timestamp>,
    /// The person it concerns, when there is one (a complainant).
    pub subject: Option<SubjectId>,
    /// The rest of the record, JSON, owned by the use case (at most [`MAX_CASE_BODY`]).
    pub body: String,
    /// 1 when created; each write gives the next number.
    pub revision: u32,
    /// Last written.
    pub updated_at: Timestamp,
}

/// A task of a case: a notice owed, a response owed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseTask {
    /// Caller-chosen id.
    pub id: CaseTaskId,
    /// Its case.
    pub case: CaseId,
    /// What it is (`supervisory_authority`, `state_residents:CA`, `first_response` …).
    pub kind: CaseKey,
    /// Due.
    pub due_at: Option<Timestamp>,
    /// Done (the notice sent, the response given).
    pub done_at: Option<Timestamp>,
    /// The rest, JSON, owned by the use case (at most [`MAX_CASE_BODY`]).
    pub body: String,
    /// Created.
    pub created_at: Timestamp,
}
