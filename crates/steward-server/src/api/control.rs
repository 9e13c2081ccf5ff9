//! Change of control (BIZ-02, BIZ-03, BIZ-04, CCPA-40): record the notice owed to a person
//! after the business changes hands, mark it delivered, record their answer to "stop
//! promotions?", list a person's notices. Scope `choices`: the notice is the prompt of a
//! choice and the answer is one. Recording and delivering are service-wide; reading follows
//! the account rules of the ledger, and only the person (or a service relaying them) answers.

use axum::extract::State;
use axum::http::StatusCode;
use steward_api::control::{
    AnswerChangeOfControlNotice, ChangeOfControlNoticeList, ChangeOfControlNoticeOut,
    RecordChangeOfControlNotice,
};
use steward_core::control::{NoticeInput, parse_notice_id};
use steward_store::ids::SubjectId;
use steward_store::model::account::AdminPermission;

use crate::api::incidents::body_time;
use crate::auth::Auth;
use crate::extract::{ApiPath, Json, parse_id};
use crate::problem::ApiResult;
use crate::state::AppState;

/// Record that a change-of-control notice is owed to a person (BIZ-02). From its effective
/// time their promotions are held until it is delivered or answered (BIZ-03). Audited.
#[utoipa::path(post, path = "/v1/subjects/{id}/change-of-control", tag = "choices",
    params(("id" = String, Path, format = Uuid, description = "Subject id")),
    responses((status = 201, description = "Recorded", body = ChangeOfControlNoticeOut)))]
pub async fn record_change_of_control_notice(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
    Json(b): Json<RecordChangeOfControlNotice>,
) -> ApiResult<(StatusCode, Json<ChangeOfControlNoticeOut>)> {
    auth.require("choices")?;
    auth.service_wide()?;
    let subject: SubjectId = parse_id(&id, "subject")?;
    let effective_at = b
        .effective_at
        .as_deref()
        .map(|t| body_time(t, "effective_at"))
        .transpose()?;
    let delivered_at = b
        .delivered_at
        .as_deref()
        .map(|t| body_time(t, "delivered_at"))
        .transpose()?;
    let n = st
        .steward()
        .record_change_of_control_notice(
            &auth.caller(),
            NoticeInput {
                subject,
                transfer: b.transfer,
                effective_at,
                delivered_at,
            },
        )
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(ChangeOfControlNoticeOut::from(&n)),
    ))
}

/// A person's change-of-control notices, each with its delivery, the answer and whether
/// promotions are held.
#[utoipa::path(get, path = "/v1/subjects/{id}/change-of-control", tag = "choices",
    params(("id" = String, Path, format = Uuid, description = "Subject id")),
    responses((status = 200, description = "Notices", body = ChangeOfControlNoticeList)))]
pub async fn change_of_control_notices(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<ChangeOfControlNoticeList>> {
    auth.require("choices")?;
    let subject: SubjectId = parse_id(&id, "subject")?;
    auth.access(&st, subject, AdminPermission::ViewPi).await?;
    let notices = st.steward().change_of_control_notices(subject).await?;
    Ok(Json(ChangeOfControlNoticeList {
        notices: notices.iter().map(ChangeOfControlNoticeOut::from).collect(),
    }))
}

/// Record that a notice reached the person: promotions resume unless they answer "stop"
/// (BIZ-03). The first delivery time stays. Audited.
#[utoipa::path(post, path = "/v1/subjects/{id}/change-of-control/{notice_id}/delivered", tag = "choices",
    params(("id" = String, Path, format = Uuid, description = "Subject id"),
           ("notice_id" = String, Path, format = Uuid, description = "Notice id")),
    responses((status = 200, description = "Delivered", body = ChangeOfControlNoticeOut)))]
pub async fn change_of_control_notice_delivered(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath((id, notice)): ApiPath<(String, String)>,
) -> ApiResult<Json<ChangeOfControlNoticeOut>> {
    auth.require("choices")?;
    auth.service_wide()?;
    let subject: SubjectId = parse_id(&id, "subject")?;
    let notice = parse_notice_id(&notice)?;
    let n = st
        .steward()
        .deliver_change_of_control_notice(&auth.caller(), subject, notice)
        .await?;
    Ok(Json(ChangeOfControlNoticeOut::from(&n)))
}

/// Record the person's answer to a notice (BIZ-02): a choice of the ledger
/// (`stop_promotions`, channel `change_of_control_prompt`); "stop" sets the marketing and
/// sharing opt-outs. Answering shows the notice was delivered. An account administrator
/// cannot answer for the account holder (ADMIN-07).
#[utoipa::path(post, path = "/v1/subjects/{id}/change-of-control/{notice_id}/answer", tag = "choices",
    params(("id" = String, Path, format = Uuid, description = "Subject id"),
           ("notice_id" = String, Path, format = Uuid, description = "Notice id")),
    responses((status = 200, description = "Answered", body = ChangeOfControlNoticeOut)))]
pub async fn answer_change_of_control_notice(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath((id, notice)): ApiPath<(String, String)>,
    Json(b): Json<AnswerChangeOfControlNotice>,
) -> ApiResult<Json<ChangeOfControlNoticeOut>> {
    auth.require("choices")?;
    let subject: SubjectId = parse_id(&id, "subject")?;
    let caller = auth.access(&st, subject, AdminPermission::ChangePi).await?;
    let notice = parse_notice_id(&notice)?;
    let n = st
        .steward()
        .answer_change_of_control_notice(
            &caller,
            subject,
            notice,
            b.stop_promotions,
            b.notice_sha256,
        )
        .await?;
    Ok(Json(ChangeOfControlNoticeOut::from(&n)))
}
