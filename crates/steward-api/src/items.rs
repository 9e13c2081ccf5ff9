//! Personal data items: written encrypted after a `can_collect` decision, read for a declared
//! purpose (SEC-01).

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// An item to write.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WriteItem {
    /// Whose data it is.
    pub subject_id: uuid::Uuid,
    /// The category (`email`, `postal_address`, `name` …).
    #[schema(pattern = "^[a-z0-9_:.-]{1,64}$")]
    pub category: String,
    /// The value (text; encrypted under the subject's data key before storage).
    #[schema(max_length = 65536)]
    pub value: String,
    /// Where it came from (`direct:registration`, `usps` …).
    #[schema(pattern = "^[a-z0-9_:.-]{1,64}$")]
    pub source: String,
    /// The purpose of collection (`account_registration`, `service_provision` …).
    #[schema(pattern = "^[a-z0-9_:.-]{1,64}$")]
    pub purpose: String,
    /// Collected on behalf of a Customer (processor role, SCOPE-03).
    #[serde(default)]
    pub processor_for_customer: bool,
    /// The Customer account the item is collected for: its recorded agreements apply (the
    /// Customer's data-protection undertaking for its ship-to recipients, CUST-01, SRC-09).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_id: Option<uuid::Uuid>,
    /// The items of the same subject this one was computed from (a per-account cache, a
    /// profile): it is erased with any of them, by erasure and by the retention sweep (RET-06).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schema(max_items = 64)]
    pub derived_from: Vec<uuid::Uuid>,
}

/// An item's record (its value stays encrypted).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ItemOut {
    /// The id.
    pub id: String,
    /// Whose data it is.
    pub subject_id: String,
    /// Category.
    pub category: String,
    /// Source.
    pub source: String,
    /// Purpose of collection.
    pub purpose: String,
    /// `controller` or `processor`.
    pub controller_role: String,
    /// Collected.
    pub collected_at: String,
    /// Retention deadline.
    pub retain_until: Option<String>,
    /// Last changed.
    pub updated_at: String,
    /// Erased (tombstone).
    pub erased_at: Option<String>,
    /// The policy version in force when it was collected (CHG-02, SCOPE-06); absent for
    /// items stored before versions were recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy_version: Option<String>,
}

/// A written item and the decision that allowed it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ItemWritten {
    /// The record.
    pub item: ItemOut,
    /// The `can_collect` decision.
    pub decision_id: String,
}

/// An item read for a purpose.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ItemValue {
    /// The record.
    pub item: ItemOut,
    /// The value (decrypted).
    pub value: String,
    /// The purpose the read was allowed for.
    pub purpose: String,
    /// The `can_use` decision that allowed the read.
    pub decision_id: String,
}

/// The purpose of a read.
#[derive(Debug, Clone, Serialize, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ReadQuery {
    /// The purpose the value is read for (`support`, `service_provision` …); required.
    #[param(pattern = "^[a-z0-9_:.-]{1,64}$")]
    pub purpose: String,
}

/// Items of a subject.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ItemList {
    /// Records, oldest first (values stay encrypted).
    pub items: Vec<ItemOut>,
}

#[cfg(feature = "core")]
mod convert {
    use steward_core::items::{ItemInput, ItemRead};
    use steward_store::ids::{AccountId, ItemId, SubjectId};
    use steward_store::model::item::{ControllerRole, ItemRecord};
    use steward_vault::Sensitive;

    use super::{ItemOut, ItemValue, WriteItem};
    use crate::common::{ots, ts};

    impl From<WriteItem> for ItemInput {
        fn from(b: WriteItem) -> Self {
            ItemInput {
                subject: SubjectId::from_uuid(b.subject_id),
                category: b.category,
                value: Sensitive::new(b.value.into_bytes()),
                source: b.source,
                purpose: b.purpose,
                processor_for_customer: b.processor_for_customer,
                account: b.account_id.map(AccountId::from_uuid),
                derived_from: b.derived_from.into_iter().map(ItemId::from_uuid).collect(),
            }
        }
    }

    impl From<&ItemRecord> for ItemOut {
        fn from(r: &ItemRecord) -> Self {
            ItemOut {
                id: r.id.to_string(),
                subject_id: r.subject.to_string(),
                category: r.category.as_str().to_string(),
                source: r.source.as_str().to_string(),
                purpose: r.purpose.as_str().to_string(),
                controller_role: match r.controller_role {
                    ControllerRole::Controller => "controller",
                    ControllerRole::Processor => "processor",
                }
                .to_string(),
                collected_at: ts(r.collected_at),
                retain_until: ots(r.retain_until),
                updated_at: ts(r.updated_at),
                erased_at: ots(r.erased_at),
                policy_version: r.policy_version.as_ref().map(|v| v.as_str().to_owned()),
            }
        }
    }

    impl ItemValue {
        /// The answer to a read allowed for `purpose`.
        #[must_use]
        pub fn from_read(read: &ItemRead, purpose: String) -> ItemValue {
            ItemValue {
                item: ItemOut::from(&read.record),
                value: String::from_utf8_lossy(read.value.expose()).into_owned(),
                purpose,
                decision_id: read.decision.event_id.to_string(),
            }
        }
    }
}
