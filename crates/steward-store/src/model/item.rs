//! Personal data items: category, encrypted value, source, collection time, purpose of
//! collection, controller and controller role (G7), retention deadline (RET-01).
//!
//! Values are ciphertext produced by the vault with the subject's data key (DM-02); the store
//! never sees plaintext. Erasing an item deletes the ciphertext and keeps a tombstone (the
//! metadata, which is not personal data) so restores can replay erasures (RET-04).

use jiff::Timestamp;

use super::coded_enum;
use crate::ids::{ItemId, SubjectId};
use crate::values::{CategoryKey, Ciphertext, EntityKey, PolicyVersion, PurposeKey, SourceKey};

coded_enum! {
    /// Whether the controller holds the item as controller or on behalf of a Customer (G7).
    pub enum ControllerRole: "controller role" {
        /// Controller (decides purposes and means).
        Controller = 1, "controller",
        /// Processor / service provider for a Customer (e.g. a Customer's customers' data).
        Processor = 2, "processor",
    }
}

/// A data item to store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewItem {
    /// Caller-chosen id (put is idempotent for identical content).
    pub id: ItemId,
    /// Whose data it is.
    pub subject: SubjectId,
    /// The data category.
    pub category: CategoryKey,
    /// The encrypted value.
    pub value: Ciphertext,
    /// Where it came from (`user`, `automatic`, `third_party`, `usps`, `commercial` ...).
    pub source: SourceKey,
    /// When it was collected.
    pub collected_at: Timestamp,
    /// The purpose it was collected for (COLL-*).
    pub purpose: PurposeKey,
    /// The controlling entity (DM-05).
    pub controller: EntityKey,
    /// Controller or processor (G7).
    pub controller_role: ControllerRole,
    /// When it must be deleted or anonymized (RET-01), if a deadline is known yet.
    pub retain_until: Option<Timestamp>,
    /// The policy version in force when it was collected (CHG-02, SCOPE-06).
    pub policy_version: Option<PolicyVersion>,
}

/// A stored data item (or its tombstone).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ItemRecord {
    /// The id.
    pub id: ItemId,
    /// Whose data it is.
    pub subject: SubjectId,
    /// The data category.
    pub category: CategoryKey,
    /// The encrypted value; `None` once erased.
    pub value: Option<Ciphertext>,
    /// Where it came from.
    pub source: SourceKey,
    /// When it was collected.
    pub collected_at: Timestamp,
    /// The purpose of collection.
    pub purpose: PurposeKey,
    /// The controlling entity.
    pub controller: EntityKey,
    /// Controller or processor.
    pub controller_role: ControllerRole,
    /// The retention deadline.
    pub retain_until: Option<Timestamp>,
    /// When the value last changed (the collection time at first).
    pub updated_at: Timestamp,
    /// When it was erased.
    pub erased_at: Option<Timestamp>,
    /// The policy version in force when it was collected (CHG-02, SCOPE-06); `None` for
    /// items stored before the service recorded versions.
    pub policy_version: Option<PolicyVersion>,
}
