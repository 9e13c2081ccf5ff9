//! Choices: record, withdraw, effective choices with provenance, the raw ledger. A
//! `Sec-GPC: 1` header on these calls is recorded as an opt-out of sale and sharing for the
//! subject or device named (GPC-01/03), once (GPC-10).

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use serde::{Deserialize, Serialize};
use steward_core::Caller;
use steward_core::choices::{ChoiceInput, ChoiceParty};
use steward_policy::wire::{Op, Request};
use steward_store::ids::SubjectId;
use steward_store::model::account::AdminPermission;
use steward_store::model::choice::Party;
use steward_vault::Sensitive;
use utoipa::ToSchema;

use super::{DeviceRef, hex, ts};
use crate::auth::{Auth, gpc};
use crate::extract::{ApiJson, ApiPath, parse_id};
use crate::problem::{ApiError, ApiResult};
use crate::state::AppState;

/// Most choices in one call.
pub const MAX_CHOICES: usize = 1000;

/// One choice.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChoiceIn {
    /// Ledger key: `sale_opt_out`, `share_opt_out`, `marketing:first_party:email`,
    /// `consent:recipient:MP1`, `cookie:analytics` … (docs/decisions.md).
    #[schema(pattern = "^[A-Za-z0-9_:.-]{1,64}$")]
    pub key: String,
    /// The value.
    pub value: bool,
    /// `user` (default), `gpc`, `admin`, `default`, `import`, `agent`, `parent`, `support`.
    #[serde(default)]
    #[schema(pattern = "^[a-z0-9_:.-]{1,64}$")]
    pub source: Option<String>,
    /// SHA-256 (hex) of the notice text shown when the choice was made (GDPR-07).
    #[serde(default)]
    #[schema(pattern = "^[0-9a-fA-F]{64}$")]
    pub notice_sha256: Option<String>,
    /// Channel: `web_form`, `email_link`, `privacy_center`, `api` …
    #[serde(default)]
    #[schema(pattern = "^[a-z0-9_:.-]{1,64}$")]
    pub channel: Option<String>,
}

/// Choices to record for a subject or a device (exactly one of the two).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordChoices {
    /// A stored subject.
    #[serde(default)]
    pub subject_id: Option<uuid::Uuid>,
    /// A browser or device (its choices join the subject's once linked: GPC-04).
    #[serde(default)]
    pub device: Option<DeviceRef>,
    /// The choices, recorded atomically (1 to 1000).
    #[schema(min_items = 1, max_items = 1000)]
    pub choices: Vec<ChoiceIn>,
}

/// Consents or opt-outs to withdraw (each key is recorded as `false`).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WithdrawChoices {
    /// A stored subject.
    #[serde(default)]
    pub subject_id: Option<uuid::Uuid>,
    /// A browser or device.
    #[serde(default)]
    pub device: Option<DeviceRef>,
    /// The keys to set to `false` (1 to 1000).
    #[schema(min_items = 1, max_items = 1000)]
    pub keys: Vec<String>,
    /// Who withdrew: `user` (default), `agent`, `parent`, `support`.
    #[serde(default)]
    #[schema(pattern = "^[a-z0-9_:.-]{1,64}$")]
    pub source: Option<String>,
    /// Channel.
    #[serde(default)]
    #[schema(pattern = "^[a-z0-9_:.-]{1,64}$")]
    pub channel: Option<String>,
}

/// Recorded choices.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Recorded {
    /// Ledger entry ids, in request order.
    pub choice_ids: Vec<String>,
    /// Whether a `Sec-GPC: 1` header was recorded as an opt-out by this call (first time only).
    pub gpc_recorded: bool,
    /// Notifications queued for sale/share partners that received the subject's data
    /// (an opt-out recorded by this call, including a first `Sec-GPC: 1`: CCPA-13,
    /// ADTECH-03, GPC-11). The webhook worker delivers them.
    pub partners_notified: usize,
}

/// A ledger entry.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LedgerEntryOut {
    /// Entry id.
    pub id: String,
    /// `subject`, `cookie` or `device` (a linked device's entries count for the subject).
    pub party: String,
    /// Key.
    pub key: String,
    /// Value.
    pub value: bool,
    /// Source.
    pub source: String,
    /// Channel.
    pub channel: Option<String>,
    /// Policy version in force.
    pub policy_version: String,
    /// SHA-256 of the notice shown.
    pub notice_sha256: Option<String>,
    /// When.
    pub at: String,
}

/// The ledger of a subject and its linked devices.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Ledger {
    /// Entries in ledger order.
    pub entries: Vec<LedgerEntryOut>,
}

/// Effective choices with provenance: every field with `{value, source, at, entry, channel}`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EffectiveChoices {
    /// `effective_choices`.
    pub op: String,
    /// The audited decision id of this answer.
    pub decision_id: String,
    /// Each choice with its provenance.
    #[schema(value_type = Object)]
    pub choices: serde_json::Value,
    /// Ledger entries the fold ignored, with why.
    #[schema(value_type = Vec<Object>)]
    pub ignored: serde_json::Value,
    /// Policy version.
    pub policy_version: String,
}

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
            "PARTY_REQUIRED",
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
    request_body = RecordChoices,
    params(("Sec-GPC" = Option<String>, Header, description = "`1`: record an opt-out of sale and sharing (GPC)")),
    responses((status = 201, description = "Recorded", body = Recorded)))]
pub async fn record(
    State(st): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    ApiJson(body): ApiJson<RecordChoices>,
) -> ApiResult<(StatusCode, Json<Recorded>)> {
    auth.require("choices")?;
    if body.choices.is_empty() || body.choices.len() > MAX_CHOICES {
        return Err(ApiError::invalid(
            "BAD_CHOICE_COUNT",
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
    request_body = WithdrawChoices,
    params(("Sec-GPC" = Option<String>, Header, description = "`1`: record an opt-out of sale and sharing (GPC)")),
    responses((status = 201, description = "Recorded", body = Recorded)))]
pub async fn withdraw(
    State(st): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    ApiJson(body): ApiJson<WithdrawChoices>,
) -> ApiResult<(StatusCode, Json<Recorded>)> {
    auth.require("choices")?;
    if body.keys.is_empty() || body.keys.len() > MAX_CHOICES {
        return Err(ApiError::invalid("BAD_CHOICE_COUNT", "give 1 to 1000 keys"));
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
) -> ApiResult<Json<serde_json::Value>> {
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
    Ok(Json(d.json))
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
        entries: entries
            .iter()
            .map(|e| LedgerEntryOut {
                id: e.id.to_string(),
                party: match &e.party {
                    Party::Subject(_) => "subject".to_string(),
                    Party::Identity(r) => r.kind.as_str().to_string(),
                },
                key: e.key.as_str().to_string(),
                value: e.value,
                source: e.source.as_str().to_string(),
                channel: e.channel.as_ref().map(|c| c.as_str().to_string()),
                policy_version: e.policy_version.as_str().to_string(),
                notice_sha256: e.notice_hash.as_ref().map(|d| hex(&d.0)),
                at: ts(e.at),
            })
            .collect(),
    }))
}
