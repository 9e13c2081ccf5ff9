//! The disclosure register (AUD-03): an actual share is recorded only when a matching allow
//! decision exists (same subject, recipient and purpose; only categories it allowed).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use steward_core::disclosures::DisclosureInput;
use steward_store::ids::{EventId, ItemId, SubjectId};
use steward_store::model::account::AdminPermission;
use steward_store::model::disclosure::DisclosureRecord;
use utoipa::{IntoParams, ToSchema};

use super::{hex, ts};
use crate::auth::Auth;
use crate::extract::{ApiJson, ApiPath, ApiQuery, parse_id};
use crate::problem::ApiResult;
use crate::state::AppState;

/// A share that happened.
#[derive(Debug, Clone, Deserialize, ToSchema)]
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
#[derive(Debug, Clone, Serialize, ToSchema)]
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
            payload_sha256: r.payload_hash.as_ref().map(|d| hex(&d.0)),
            disclosed_at: ts(r.disclosed_at),
        }
    }
}

/// Disclosures of a subject.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DisclosureList {
    /// Oldest first.
    pub disclosures: Vec<DisclosureOut>,
}

/// Page size.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// At most this many (1 to 10 000; default 1000).
    #[param(minimum = 1, maximum = 10000)]
    pub limit: Option<u32>,
}

/// Record a share; refused (409 `NO_MATCHING_DECISION`) unless a matching allow exists.
#[utoipa::path(post, path = "/v1/disclosures", tag = "disclosures",
    request_body = RecordDisclosure,
    responses((status = 201, description = "Recorded", body = DisclosureOut)))]
pub async fn record(
    State(st): State<AppState>,
    auth: Auth,
    ApiJson(body): ApiJson<RecordDisclosure>,
) -> ApiResult<(StatusCode, Json<DisclosureOut>)> {
    auth.require("write")?;
    let subject = SubjectId::from_uuid(body.subject_id);
    let caller = auth.access(&st, subject, AdminPermission::ViewPi).await?;
    let r = st
        .steward()
        .record_disclosure(
            &caller,
            DisclosureInput {
                decision_id: EventId::from_uuid(body.decision_id),
                subject,
                recipient: body.recipient,
                categories: body.categories,
                purpose: body.purpose,
                items: body.item_ids.into_iter().map(ItemId::from_uuid).collect(),
                payload_sha256: body.payload_sha256,
            },
        )
        .await?;
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
                "BAD_QUERY",
                "`limit` is between 1 and 10000",
            ));
        }
    };
    let list = st.steward().disclosures_of(id, limit).await?;
    Ok(Json(DisclosureList {
        disclosures: list.iter().map(DisclosureOut::from).collect(),
    }))
}
