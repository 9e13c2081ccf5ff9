//! The disclosure register (AUD-03): an actual share is recorded only when a matching allow
//! decision exists (same subject, recipient and purpose; only categories it allowed).

use axum::extract::State;
use axum::http::StatusCode;
use steward_api::disclosures::{DisclosureList, DisclosureOut, ListQuery, RecordDisclosure};
use steward_errors::ErrorCode;
use steward_store::ids::SubjectId;
use steward_store::model::account::AdminPermission;

use crate::auth::Auth;
use crate::extract::{ApiPath, ApiQuery, Json, parse_id};
use crate::problem::ApiResult;
use crate::state::AppState;

/// Record a share; refused (409 `NO_MATCHING_DECISION`) unless a matching allow exists.
#[utoipa::path(post, path = "/v1/disclosures", tag = "disclosures",
    responses((status = 201, description = "Recorded", body = DisclosureOut)))]
pub async fn record(
    State(st): State<AppState>,
    auth: Auth,
    Json(body): Json<RecordDisclosure>,
) -> ApiResult<(StatusCode, Json<DisclosureOut>)> {
    auth.require("write")?;
    let subject = SubjectId::from_uuid(body.subject_id);
    let caller = auth.access(&st, subject, AdminPermission::ViewPi).await?;
    let r = st.steward().record_disclosure(&caller, body.into()).await?;
    Ok((StatusCode::CREATED, Json(DisclosureOut::from(&r))))
}

/// The disclosures of a subject (the register of AUD-03).
#[utoipa::path(get, path = "/v1/subjects/{id}/disclosures", tag = "disclosures",
    params(("id" = String, Path, format = Uuid, description = "Subject id"), ListQuery),
    responses((status = 200, description = "Disclosures", body = DisclosureList)))]
pub async fn list(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> ApiResult<Json<DisclosureList>> {
    auth.require("read_pii")?;
    let id: SubjectId = parse_id(&id, "subject")?;
    auth.access(&st, id, AdminPermission::ViewPi).await?;
    st.steward().get_subject(id).await?;
    let limit = match q.limit {
        None => 1000,
        Some(l @ 1..=10_000) => l,
        Some(_) => {
            return Err(crate::problem::ApiError::bad_request(
                ErrorCode::BadQuery,
                "`limit` is between 1 and 10000",
            ));
        }
    };
    let list = st.steward().disclosures_of(id, limit).await?;
    Ok(Json(DisclosureList {
        disclosures: list.iter().map(DisclosureOut::from).collect(),
    }))
}
