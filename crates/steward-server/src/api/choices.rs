//! Choices: record, withdraw, effective choices with provenance, the raw ledger. A
//! `Sec-GPC: 1` header on these calls is recorded as an opt-out of sale and sharing for the
//! subject or device named (GPC-01, GPC-03), once (GPC-10).

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use steward_api::DeviceRef;
use steward_api::choices::{
    EffectiveChoices, Ledger, LedgerEntryOut, MAX_CHOICES, RecordChoices, Recorded, WithdrawChoices,
};
use steward_core::Caller;
use steward_core::choices::{ChoiceInput, ChoiceParty};
use steward_errors::ErrorCode;
use steward_policy::wire::{Op, Request};
use steward_store::ids::SubjectId;
use steward_store::model::account::AdminPermission;
use steward_vault::Sensitive;

use crate::auth::{Auth, gpc};
use crate::extract::{ApiPath, Json, parse_id};
use crate::problem::{ApiError, ApiResult};
use crate::state::AppState;

async fn party(
    st: &AppState,
    auth: &Auth,
    subject: Option<uuid::Uuid>,
    device: Option<DeviceRef>,
) -> Result<(Caller, ChoiceParty), ApiError> {
    match (subject, device) {
        (Some(s), None) => {
            let s = SubjectId::from_uuid(s);
            let caller = auth.access(st, s, AdminPermission::ChangePi).await?;
            Ok((caller, ChoiceParty::Subject(s)))
        }
        (None, Some(d)) => {
            auth.service_wide()?;
            Ok((
                auth.caller(),
                ChoiceParty::Device {
                    kind: d.kind.into(),
                    id: Sensitive::new(d.id),
                },
            ))
        }
        _ => Err(ApiError::invalid(
            ErrorCode::PartyRequired,
            "give exactly one of `subject_id` and `device`",
        )),
    }
}

/// Record `Sec-GPC: 1` for the party, unless an administrator's browser sent it (the signal
/// is the administrator's, not the account holder's). Returns whether it was recorded now and
/// how many partner notifications it queued (GPC-11, CCPA-13: a GPC opt-out is forwarded to
/// the partners like a Do Not Sell request).
async fn record_gpc(
    st: &AppState,
    headers: &HeaderMap,
    caller: &Caller,
    party: &ChoiceParty,
) -> ApiResult<(bool, usize)> {
    if !gpc(headers) || matches!(caller, Caller::Admin(_)) {
        return Ok((false, 0));
    }
    let (entry, queued) = st
        .steward()
        .record_gpc_notifying(caller, party.clone())
        .await?;
    Ok((entry.is_some(), queued.len()))
}

/// Record choices (append-only ledger entries, DM-01).
#[utoipa::path(post, path = "/v1/choices", tag = "choices",
    params(("Sec-GPC" = Option<String>, Header, description = "`1`: record an opt-out of sale and sharing (GPC)")),
    responses((status = 201, description = "Recorded", body = Recorded)))]
pub async fn record(
    State(st): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    Json(body): Json<RecordChoices>,
) -> ApiResult<(StatusCode, Json<Recorded>)> {
    auth.require("choices")?;
    if body.choices.is_empty() || body.choices.len() > MAX_CHOICES {
        return Err(ApiError::invalid(
            ErrorCode::BadChoiceCount,
            "give 1 to 1000 choices",
        ));
    }
    let (caller, party) = party(&st, &auth, body.subject_id, body.device).await?;
    let (gpc_recorded, gpc_notified) = record_gpc(&st, &headers, &caller, &party).await?;
    let inputs = body
        .choices
        .into_iter()
        .map(|c| ChoiceInput {
            party: party.clone(),
            key: c.key,
            value: c.value,
            source: c.source.unwrap_or_else(|| "user".into()),
            notice_sha256: c.notice_sha256,
            channel: c.channel,
        })
        .collect();
    // An opt-out of sale or sharing is forwarded to the partners that bought or received the
    // data (queued for the webhook worker; CCPA-13).
    let (ids, queued) = st
        .steward()
        .record_choices_notifying(&caller, inputs)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(Recorded {
            choice_ids: ids.iter().map(ToString::to_string).collect(),
            gpc_recorded,
            partners_notified: gpc_notified + queued.len(),
        }),
    ))
}

/// Withdraw consents or opt-outs: as easy as giving them (each key recorded as `false`).
#[utoipa::path(post, path = "/v1/choices/withdraw", tag = "choices",
    params(("Sec-GPC" = Option<String>, Header, description = "`1`: record an opt-out of sale and sharing (GPC)")),
    responses((status = 201, description = "Recorded", body = Recorded)))]
pub async fn withdraw(
    State(st): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    Json(body): Json<WithdrawChoices>,
) -> ApiResult<(StatusCode, Json<Recorded>)> {
    auth.require("choices")?;
    if body.keys.is_empty() || body.keys.len() > MAX_CHOICES {
        return Err(ApiError::invalid(
            ErrorCode::BadChoiceCount,
            "give 1 to 1000 keys",
        ));
    }
    let (caller, party) = party(&st, &auth, body.subject_id, body.device).await?;
    let (gpc_recorded, gpc_notified) = record_gpc(&st, &headers, &caller, &party).await?;
    let source = body.source.unwrap_or_else(|| "user".into());
    let inputs = body
        .keys
        .into_iter()
        .map(|key| ChoiceInput {
            party: party.clone(),
            key,
            value: false,
            source: source.clone(),
            notice_sha256: None,
            channel: body.channel.clone(),
        })
        .collect();
    let ids = st.steward().record_choices(&caller, inputs).await?;
    Ok((
        StatusCode::CREATED,
        Json(Recorded {
            choice_ids: ids.iter().map(ToString::to_string).collect(),
            gpc_recorded,
            partners_notified: gpc_notified,
        }),
    ))
}

/// Effective choices with provenance (DEC-06; audited as a decision).
#[utoipa::path(get, path = "/v1/subjects/{id}/choices", tag = "choices",
    params(("id" = String, Path, format = Uuid, description = "Subject id"),
        ("Sec-GPC" = Option<String>, Header, description = "`1`: record an opt-out of sale and sharing (GPC)")),
    responses((status = 200, description = "Effective choices", body = EffectiveChoices)))]
pub async fn effective(
    State(st): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<EffectiveChoices>> {
    auth.require("choices")?;
    let id: SubjectId = parse_id(&id, "subject")?;
    let caller = auth.access(&st, id, AdminPermission::ViewPi).await?;
    record_gpc(&st, &headers, &caller, &ChoiceParty::Subject(id)).await?;
    let mut req = Request {
        op: Some(Op::EffectiveChoices),
        ..Request::default()
    };
    req.subject.id = Some(id.to_string());
    let d = st.steward().decide(&caller, req, gpc(&headers)).await?;
    EffectiveChoices::from_decided(&d)
        .map(Json)
        .ok_or_else(|| ApiError::internal("an effective-choices request was answered otherwise"))
}

/// The raw ledger of a subject and its linked devices.
#[utoipa::path(get, path = "/v1/subjects/{id}/choices/ledger", tag = "choices",
    params(("id" = String, Path, format = Uuid, description = "Subject id")),
    responses((status = 200, description = "Ledger entries", body = Ledger)))]
pub async fn ledger(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<Ledger>> {
    auth.require("choices")?;
    let id: SubjectId = parse_id(&id, "subject")?;
    auth.access(&st, id, AdminPermission::ViewPi).await?;
    st.steward().get_subject(id).await?;
    let entries = st.steward().ledger(id).await?;
    Ok(Json(Ledger {
        entries: entries.iter().map(LedgerEntryOut::from).collect(),
    }))
}
