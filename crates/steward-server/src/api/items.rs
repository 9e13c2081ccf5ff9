//! Personal data items: written encrypted after a `can_collect` decision, read only for a
//! declared purpose the engine allows (SEC-01); both audited with the purpose (AUD-06). A
//! denied write or read is 403 `DENIED` with the decision that says why.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use steward_core::items::ItemInput;
use steward_store::ids::{ItemId, SubjectId};
use steward_store::model::account::AdminPermission;
use steward_store::model::item::{ControllerRole, ItemRecord};
use steward_vault::Sensitive;
use utoipa::{IntoParams, ToSchema};

use super::{ots, ts};
use crate::auth::Auth;
use crate::extract::{ApiJson, ApiPath, ApiQuery, parse_id};
use crate::problem::ApiResult;
use crate::state::AppState;

/// An item to write.
#[derive(Debug, Clone, Deserialize, ToSchema)]
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
}

/// An item's record (its value stays encrypted).
#[derive(Debug, Clone, Serialize, ToSchema)]
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
        }
    }
}

/// A written item and the decision that allowed it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ItemWritten {
    /// The record.
    pub item: ItemOut,
    /// The `can_collect` decision.
    pub decision_id: String,
}

/// An item read for a purpose.
#[derive(Debug, Clone, Serialize, ToSchema)]
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
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ReadQuery {
    /// The purpose the value is read for (`support`, `service_provision` …); required.
    #[param(pattern = "^[a-z0-9_:.-]{1,64}$")]
    pub purpose: String,
}

/// Items of a subject.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ItemList {
    /// Records, oldest first (values stay encrypted).
    pub items: Vec<ItemOut>,
}

/// Write an item (after a `can_collect` decision; a raw card number is refused, SEC-03).
#[utoipa::path(post, path = "/v1/items", tag = "items",
    request_body = WriteItem,
    responses((status = 201, description = "Written", body = ItemWritten)))]
pub async fn write(
    State(st): State<AppState>,
    auth: Auth,
    ApiJson(body): ApiJson<WriteItem>,
) -> ApiResult<(StatusCode, Json<ItemWritten>)> {
    auth.require("write")?;
    let subject = SubjectId::from_uuid(body.subject_id);
    let caller = auth.access(&st, subject, AdminPermission::ChangePi).await?;
    let (record, decided) = st
        .steward()
        .write_item(
            &caller,
            ItemInput {
                subject,
                category: body.category,
                value: Sensitive::new(body.value.into_bytes()),
                source: body.source,
                purpose: body.purpose,
                processor_for_customer: body.processor_for_customer,
            },
        )
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(ItemWritten {
            item: ItemOut::from(&record),
            decision_id: decided.event_id.to_string(),
        }),
    ))
}

/// Read an item's value for a declared purpose. The read and its purpose are audited; a
/// purpose the engine denies is 403 with the decision.
#[utoipa::path(get, path = "/v1/items/{id}", tag = "items",
    params(("id" = String, Path, format = Uuid, description = "Item id"), ReadQuery),
    responses((status = 200, description = "The value", body = ItemValue)))]
pub async fn read(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
    ApiQuery(q): ApiQuery<ReadQuery>,
) -> ApiResult<Json<ItemValue>> {
    auth.require("read_pii")?;
    let id: ItemId = parse_id(&id, "item")?;
    let caller = if auth.key.account.is_some() {
        let owner = st.steward().item_owner(id).await?;
        auth.access(&st, owner, AdminPermission::ViewPi).await?
    } else {
        auth.caller()
    };
    let read = st.steward().read_item(&caller, id, &q.purpose).await?;
    Ok(Json(ItemValue {
        item: ItemOut::from(&read.record),
        value: String::from_utf8_lossy(read.value.expose()).into_owned(),
        purpose: q.purpose,
        decision_id: read.decision.event_id.to_string(),
    }))
}

/// The items of a subject (records only; values stay encrypted).
#[utoipa::path(get, path = "/v1/subjects/{id}/items", tag = "items",
    params(("id" = String, Path, format = Uuid, description = "Subject id")),
    responses((status = 200, description = "Items", body = ItemList)))]
pub async fn list(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<ItemList>> {
    auth.require("read_pii")?;
    let id: SubjectId = parse_id(&id, "subject")?;
    auth.access(&st, id, AdminPermission::ViewPi).await?;
    st.steward().get_subject(id).await?;
    let items = st.steward().list_items(id).await?;
    Ok(Json(ItemList {
        items: items.iter().map(ItemOut::from).collect(),
    }))
}
