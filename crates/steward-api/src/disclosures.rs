//! The disclosure register (AUD-03): an actual share, recorded against the allow decision
//! that permitted it.

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A share that happened.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordDisclosure {
    /// The `can_disclose` decision that allowed it (a single decision, not a batch one).
    pub decision_id: uuid::Uuid,
    /// Whose data.
    pub subject_id: uuid::Uuid,
    /// To whom (`MP1`, `USPS` …).
    #[schema(pattern = "^[A-Za-z0-9_:.-]{1,64}$")]
    pub recipient: String,
    /// The categories actually sent (each must have been allowed).
    #[schema(min_items = 1, max_items = 256)]
    pub categories: Vec<String>,
    /// The purpose.
    #[schema(pattern = "^[a-z0-9_:.-]{1,64}$")]
    pub purpose: String,
    /// The items sent, if known.
    #[serde(default)]
    #[schema(max_items = 1000)]
    pub item_ids: Vec<uuid::Uuid>,
    /// SHA-256 (hex) of the payload, if known.
    #[serde(default)]
    #[schema(pattern = "^[0-9a-fA-F]{64}$")]
    pub payload_sha256: Option<String>,
}

/// A recorded disclosure.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DisclosureOut {
    /// Id.
    pub id: String,
    /// Whose data.
    pub subject_id: String,
    /// Recipient.
    pub recipient: String,
    /// Categories sent.
    pub categories: Vec<String>,
    /// Purpose.
    pub purpose: String,
    /// Items sent.
    pub item_ids: Vec<String>,
    /// The allowing decision.
    pub decision_id: String,
    /// SHA-256 of the payload.
    pub payload_sha256: Option<String>,
    /// When.
    pub disclosed_at: String,
}

/// Disclosures of a subject.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DisclosureList {
    /// Oldest first.
    pub disclosures: Vec<DisclosureOut>,
}

/// Page size.
#[derive(Debug, Clone, Serialize, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// At most this many (1 to 10 000; default 1000).
    #[param(minimum = 1, maximum = 10000)]
    pub limit: Option<u32>,
}

#[cfg(feature = "core")]
mod convert {
    use steward_core::disclosures::DisclosureInput;
    use steward_store::ids::{EventId, ItemId, SubjectId};
    use steward_store::model::disclosure::DisclosureRecord;

    use super::{DisclosureOut, RecordDisclosure};
    use crate::common::ts;

    impl From<RecordDisclosure> for DisclosureInput {
        fn from(b: RecordDisclosure) -> Self {
            DisclosureInput {
                decision_id: EventId::from_uuid(b.decision_id),
                subject: SubjectId::from_uuid(b.subject_id),
                recipient: b.recipient,
                categories: b.categories,
                purpose: b.purpose,
                items: b.item_ids.into_iter().map(ItemId::from_uuid).collect(),
                payload_sha256: b.payload_sha256,
            }
        }
    }

    impl From<&DisclosureRecord> for DisclosureOut {
        fn from(r: &DisclosureRecord) -> Self {
            DisclosureOut {
                id: r.id.to_string(),
                subject_id: r.subject.to_string(),
                recipient: r.recipient.as_str().to_string(),
                categories: r
                    .categories
                    .iter()
                    .map(|c| c.as_str().to_string())
                    .collect(),
                purpose: r.purpose.as_str().to_string(),
                item_ids: r.items.iter().map(ToString::to_string).collect(),
                decision_id: r.decision.to_string(),
                payload_sha256: r.payload_hash.as_ref().map(|d| d.to_hex()),
                disclosed_at: ts(r.disclosed_at),
            }
        }
    }
}
