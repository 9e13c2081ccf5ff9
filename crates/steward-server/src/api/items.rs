//! Personal data items: written encrypted after a `can_collect` decision, read only for a
//! declared purpose the engine allows (SEC-01); both audited with the purpose (AUD-06). A
//! denied write or read is 403 `DENIED` with the decision that says why.

use axum::extract::State;
use axum::http::StatusCode;
use steward_api::items::{ItemList, ItemOut, ItemValue, ItemWritten, ReadQuery, WriteItem};
use steward_store::ids::{ItemId, SubjectId};
use steward_store::model::account::AdminPermission;

use crate::auth::Auth;
use crate::extract::{ApiPath, ApiQuery, Json, parse_id};
use crate::problem::ApiResult;
use crate::state::AppState;

/// Write an item (after a `can_collect` decision; a raw card number is refused, SEC-03).
#[utoipa::path(post, path = "/v1/items", tag = "items",
    responses((status = 201, description = "Written", body = ItemWritten)))]
pub async fn write(
    State(st): State<AppState>,
    auth: Auth,
    Json(body): Json<WriteItem>,
) -> ApiResult<(StatusCode, Json<ItemWritten>)> {
    auth.require("write")?;
    let subject = SubjectId::from_uuid(body.subject_id);
    let caller = auth.access(&st, subject, AdminPermission::ChangePi).await?;
    let (record, decided) = st.steward().write_item(&caller, body.into()).await?;
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
    Ok(Json(ItemValue::from_read(&read, q.purpose)))
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
