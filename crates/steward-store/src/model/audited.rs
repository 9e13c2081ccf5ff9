//! Writes that commit together with their audit entries (AUD-01, AUD-06).
//!
//! A write of personal data or of a choice and the audit entry that records it must never be
//! apart: a crash between two transactions would leave a committed choice with no audit entry
//! (or, the other way round, an entry for a write that never happened). An [`AuditedWrite`] is
//! handed to [`AuditLog::write_audited`](crate::traits::AuditLog::write_audited) together with
//! its events, and the backend commits both in one transaction.
//!
//! New write paths that audit join by adding a variant here and an arm in each backend.

use crate::ids::{ItemId, SelectionId, SubjectId};
use crate::model::account::{AgreementAcceptance, CarrierSelection};
use crate::model::case::{CaseRecord, CaseTask};
use crate::model::choice::ChoiceEntry;
use crate::model::control::ChangeOfControlNotice;
use crate::model::disclosure::DisclosureRecord;
use crate::model::item::NewItem;
use crate::model::lifecycle::LifecycleWrite;

/// A write whose audit events commit in the same transaction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AuditedWrite {
    /// [`ChoiceLedger::append_choices`](crate::traits::ChoiceLedger::append_choices).
    AppendChoices(Vec<ChoiceEntry>),
    /// [`ItemStore::put_items`](crate::traits::ItemStore::put_items).
    PutItems(Vec<NewItem>),
    /// [`DisclosureRegister::record_disclosures`](crate::traits::DisclosureRegister::record_disclosures).
    RecordDisclosures(Vec<DisclosureRecord>),
    /// [`AccountStore::list_agreements`](crate::traits::AccountStore::list_agreements) reads
    /// them back. `NotFound(Account | Subject)`; a repeated id with the same content is a no-op.
    RecordAgreements(Vec<AgreementAcceptance>),
    /// A carrier selection (CARRIER-01), read back by
    /// [`AccountStore::list_carrier_selections`](crate::traits::AccountStore::list_carrier_selections).
    /// `NotFound(Account | Subject)`, `Conflict(AccountClosed)`; a repeated id with the same
    /// content is a no-op, other content `Conflict(DifferentContent)`.
    SelectCarrier(CarrierSelection),
    /// Withdraws a carrier selection of `account`. `NotFound(CarrierSelection)` when the
    /// account has no such selection; withdrawing again keeps the first withdrawal.
    WithdrawCarrier {
        /// The account the selection belongs to.
        account: crate::ids::AccountId,
        /// The selection.
        id: SelectionId,
        /// The member who withdrew it.
        by: SubjectId,
        /// When.
        at: jiff::Timestamp,
    },
    /// A case file written whole with its new or changed tasks
    /// ([`CaseStore`](crate::traits::CaseStore) reads them). `revision` 1 creates it (a repeat
    /// with the same content is a no-op); `n` > 1 replaces revision `n - 1`, else
    /// `Conflict(StaleRevision)`. A task is inserted or replaced by id and must belong to
    /// the case (`Conflict(DifferentContent)` otherwise).
    PutCase {
        /// The case as it is now.
        case: CaseRecord,
        /// Its new or changed tasks.
        tasks: Vec<CaseTask>,
    },
    /// A lifecycle event (RET-01) and the retention deadlines it sets, together:
    /// [`ItemStore::lifecycle_events`](crate::traits::ItemStore::lifecycle_events) reads it
    /// back. The same `(subject, kind, at)` again is a no-op for the event; the deadlines are
    /// set on live items (an erased or unknown item is skipped).
    RecordLifecycle(LifecycleWrite),
    /// Items derived from other items (RET-06): like `PutItems`, plus one link per
    /// `(derived, source)` pair, read back by
    /// [`ItemStore::items_derived_from`](crate::traits::ItemStore::items_derived_from).
    /// `NotFound(Item)` when a source does not exist.
    PutDerivedItems {
        /// The derived items.
        items: Vec<NewItem>,
        /// `(derived item, the item it was derived from)`.
        sources: Vec<(ItemId, ItemId)>,
    },
    /// A change-of-control notice (BIZ-02, BIZ-03), read back by
    /// [`SubjectStore::change_of_control_notices`](crate::traits::SubjectStore::change_of_control_notices).
    /// `NotFound(Subject)`. A repeated id with the same subject, transfer and effective time
    /// sets the delivery time if none is stored yet (else keeps the stored one); other content
    /// is `Conflict(DifferentContent)`.
    PutChangeOfControlNotice(ChangeOfControlNotice),
}

impl AuditedWrite {
    /// Whether there is nothing to write.
    pub fn is_empty(&self) -> bool {
        match self {
            AuditedWrite::AppendChoices(v) => v.is_empty(),
            AuditedWrite::PutItems(v) => v.is_empty(),
            AuditedWrite::RecordDisclosures(v) => v.is_empty(),
            AuditedWrite::RecordAgreements(v) => v.is_empty(),
            AuditedWrite::SelectCarrier(_) | AuditedWrite::WithdrawCarrier { .. } => false,
            AuditedWrite::PutCase { .. }
            | AuditedWrite::RecordLifecycle(_)
            | AuditedWrite::PutChangeOfControlNotice(_) => false,
            AuditedWrite::PutDerivedItems { items, .. } => items.is_empty(),
        }
    }
}
