//! The rest of the automatically collected data (docs/events.md): location samples (GEO-*),
//! USPS tracking scans and derived datasets (USPS-*), chat transcripts and ticket closure
//! (CHAT-*), surveys (SURVEY-*), the retention sweep (RET-*), and the partner signals of a
//! subject or a device (GPC, US Privacy, GPP). Thin handlers over `steward_core::Steward`.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use steward_core::ingest::chat::{ChatMessage, TranscriptInput, Transport};
use steward_core::ingest::location::{GpsSample, LocationBatch, MotionSample};
use steward_core::ingest::survey::{SurveyAnswers, SurveyDefinition, publish_survey};
use steward_core::ingest::usps::{DatasetInput, ScanInput};
use steward_core::partner_signals::SignalConfig;
use steward_core::retention::RetentionOptions;
use steward_store::ids::SubjectId;
use steward_store::model::account::AdminPermission;
use steward_store::model::event::{DatasetId, DatasetRecord, ScanGroup};
use steward_store::model::subject::IdentityKind;
use utoipa::{IntoParams, ToSchema};

use super::events::{AggregateOut, PurposeParams, aggregate_out, window};
use super::{ots, ts};
use crate::auth::{Auth, gpc};
use crate::extract::{ApiJson, ApiPath, ApiQuery, parse_id};
use crate::problem::{ApiError, ApiResult};
use crate::state::AppState;

fn parse_ts(raw: &str, field: &str) -> ApiResult<Timestamp> {
    raw.parse::<Timestamp>().map_err(|_| {
        ApiError::invalid(
            "BAD_TIME",
            format!("`{field}` must be an RFC 3339 time (2024-03-04T17:00:00Z)"),
        )
    })
}

/// One GPS fix.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GpsIn {
    /// Latitude, degrees (−90 to 90).
    pub lat: f64,
    /// Longitude, degrees (−180 to 180).
    pub lon: f64,
    /// Accuracy radius, metres.
    #[serde(default)]
    pub accuracy_m: Option<f64>,
    /// When (RFC 3339).
    pub at: String,
}

/// One motion reading.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MotionIn {
    /// Acceleration on the x axis, m/s².
    pub x: f64,
    /// Y axis.
    pub y: f64,
    /// Z axis.
    pub z: f64,
    /// When (RFC 3339).
    pub at: String,
}

/// Location samples of one subject.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LocationIn {
    /// GPS fixes.
    #[serde(default)]
    #[schema(max_items = 10000)]
    pub gps: Vec<GpsIn>,
    /// Motion readings.
    #[serde(default)]
    #[schema(max_items = 10000)]
    pub motion: Vec<MotionIn>,
}

/// What happened to the samples.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[allow(dead_code)]
pub struct LocationReportDoc {
    /// Items stored.
    pub stored: u64,
    /// Samples refused.
    pub refused: u64,
    /// Why they were refused (`NOT_ENABLED`: location services are off).
    pub reason: Option<String>,
}

/// Most samples in one call.
const MAX_SAMPLES: usize = 10_000;

/// Ingest GPS and motion samples: accepted only while the subject's location services are on
/// (GEO-01/02); refused samples are counted, not stored.
#[utoipa::path(post, path = "/v1/subjects/{id}/location", tag = "usage",
    params(("id" = String, Path, format = Uuid, description = "Subject id")),
    request_body = LocationIn,
    responses((status = 200, description = "Stored and refused counts", body = LocationReportDoc)))]
pub async fn ingest_location(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(b): ApiJson<LocationIn>,
) -> ApiResult<Response> {
    auth.require("write")?;
    let subject: SubjectId = parse_id(&id, "subject")?;
    let caller = auth.access(&st, subject, AdminPermission::ChangePi).await?;
    if b.gps.len() > MAX_SAMPLES || b.motion.len() > MAX_SAMPLES {
        return Err(ApiError::invalid(
            "BATCH_TOO_LARGE",
            "at most 10000 GPS fixes and 10000 motion readings per call",
        ));
    }
    let batch = LocationBatch {
        gps: b
            .gps
            .into_iter()
            .map(|g| {
                Ok(GpsSample {
                    lat: g.lat,
                    lon: g.lon,
                    accuracy_m: g.accuracy_m,
                    at: parse_ts(&g.at, "at")?,
                })
            })
            .collect::<ApiResult<_>>()?,
        motion: b
            .motion
            .into_iter()
            .map(|m| {
                Ok(MotionSample {
                    x: m.x,
                    y: m.y,
                    z: m.z,
                    at: parse_ts(&m.at, "at")?,
                })
            })
            .collect::<ApiResult<_>>()?,
    };
    let report = st
        .steward()
        .ingest_location(&caller, subject, batch)
        .await?;
    Ok(Json(report).into_response())
}

/// A GPS fix as read (coarsened when the purpose does not need precision: GEO-03).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GpsOut {
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
    /// Accuracy radius, metres.
    pub accuracy_m: Option<f64>,
    /// When.
    pub at: String,
}

/// GPS fixes.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Locations {
    /// The fixes.
    pub samples: Vec<GpsOut>,
}

/// Read a subject's GPS fixes for a declared purpose (each read decided and audited).
#[utoipa::path(get, path = "/v1/subjects/{id}/location", tag = "usage",
    params(("id" = String, Path, format = Uuid, description = "Subject id"), PurposeParams),
    responses((status = 200, description = "GPS fixes", body = Locations)))]
pub async fn read_locations(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
    ApiQuery(q): ApiQuery<PurposeParams>,
) -> ApiResult<Json<Locations>> {
    auth.require("read_pii")?;
    let subject: SubjectId = parse_id(&id, "subject")?;
    let caller = auth.access(&st, subject, AdminPermission::ViewPi).await?;
    let samples = st
        .steward()
        .read_locations(&caller, subject, &q.purpose)
        .await?;
    Ok(Json(Locations {
        samples: samples
            .into_iter()
            .map(|s| GpsOut {
                lat: s.lat,
                lon: s.lon,
                accuracy_m: s.accuracy_m,
                at: ts(s.at),
            })
            .collect(),
    }))
}

/// A tracking scan as the USPS feed delivers it.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScanIn {
    /// The package identification code.
    #[schema(max_length = 40)]
    pub pic: String,
    /// The scan event (`accepted`, `in_transit`, `delivered`, or a USPS code).
    #[schema(max_length = 64)]
    pub event: String,
    /// When (RFC 3339; default: when received).
    #[serde(default)]
    pub at: Option<String>,
    /// The facility's ZIP code (only its first three digits are kept).
    #[serde(default)]
    #[schema(max_length = 10)]
    pub zip: Option<String>,
    /// The subject whose package it is.
    #[serde(default)]
    pub subject_id: Option<String>,
    /// The account that bought the postage.
    #[serde(default)]
    pub account_id: Option<String>,
}

/// A batch of scans.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScansIn {
    /// The scans (at most 10 000); each is checked on its own.
    #[schema(max_items = 10000)]
    pub scans: Vec<ScanIn>,
}

/// Ingest USPS tracking scans (USPS-04): one decision for the batch, each scan checked on its
/// own (a bad one is rejected with its reason, the rest kept).
#[utoipa::path(post, path = "/v1/usps/scans", tag = "usage",
    request_body = ScansIn,
    responses((status = 200, description = "Counts and the scans not stored", body = super::events::BatchReportDoc)))]
pub async fn ingest_scans(
    State(st): State<AppState>,
    auth: Auth,
    ApiJson(b): ApiJson<ScansIn>,
) -> ApiResult<Response> {
    auth.require("write")?;
    auth.service_wide()?;
    if b.scans.len() > MAX_SAMPLES {
        return Err(ApiError::invalid(
            "BATCH_TOO_LARGE",
            "at most 10000 scans per call",
        ));
    }
    let scans = b
        .scans
        .into_iter()
        .map(|s| ScanInput {
            pic: s.pic,
            event: s.event,
            at: s.at,
            zip: s.zip,
            subject_id: s.subject_id,
            account_id: s.account_id,
        })
        .collect();
    let report = st.steward().ingest_scans(&auth.caller(), scans).await?;
    Ok(Json(report).into_response())
}

/// A scan as shown.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ScanOut {
    /// When.
    pub at: String,
    /// The event.
    pub event: String,
    /// The facility's ZIP3.
    pub zip3: Option<String>,
}

/// Scans.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Scans {
    /// Oldest first.
    pub scans: Vec<ScanOut>,
}

fn scans_out(v: Vec<steward_core::ingest::usps::ScanView>) -> Scans {
    Scans {
        scans: v
            .into_iter()
            .map(|s| ScanOut {
                at: ts(s.at),
                event: s.event,
                zip3: s.zip3,
            })
            .collect(),
    }
}

/// A package's status (`usps_tracking_status`, decided and audited).
#[utoipa::path(get, path = "/v1/usps/packages/{pic}", tag = "usage",
    params(("pic" = String, Path, description = "Package identification code")),
    responses((status = 200, description = "The package's scans", body = Scans)))]
pub async fn package_status(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(pic): ApiPath<String>,
) -> ApiResult<Json<Scans>> {
    auth.require("read_pii")?;
    auth.service_wide()?;
    Ok(Json(scans_out(
        st.steward().package_status(&auth.caller(), &pic).await?,
    )))
}

/// A subject's scans for a declared purpose (`security_fraud` …; `ad_customization` is
/// refused: USPS-04).
#[utoipa::path(get, path = "/v1/subjects/{id}/usps-scans", tag = "usage",
    params(("id" = String, Path, format = Uuid, description = "Subject id"), PurposeParams),
    responses((status = 200, description = "The subject's scans", body = Scans)))]
pub async fn scans_for(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
    ApiQuery(q): ApiQuery<PurposeParams>,
) -> ApiResult<Json<Scans>> {
    auth.require("read_pii")?;
    let subject: SubjectId = parse_id(&id, "subject")?;
    let caller = auth.access(&st, subject, AdminPermission::ViewPi).await?;
    Ok(Json(scans_out(
        st.steward().scans_for(&caller, subject, &q.purpose).await?,
    )))
}

/// How to group scans.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ScanGroupDto {
    /// By facility ZIP3.
    Zip3,
    /// By scan event.
    Event,
}

/// A scan aggregate's window and grouping.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ScanAggregateParams {
    /// `zip3` or `event`.
    pub group_by: ScanGroupDto,
    /// Received at or after (RFC 3339; default: 30 days before `until`).
    #[serde(default)]
    pub from: Option<String>,
    /// Received before (RFC 3339; default: now).
    #[serde(default)]
    pub until: Option<String>,
}

/// A k-anonymous aggregate of USPS scans (USPS-05: groups under k distinct accounts
/// suppressed, no ids out).
#[utoipa::path(get, path = "/v1/usps/aggregate", tag = "usage",
    params(ScanAggregateParams),
    responses((status = 200, description = "The aggregate", body = AggregateOut)))]
pub async fn usps_aggregate(
    State(st): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<ScanAggregateParams>,
) -> ApiResult<Json<AggregateOut>> {
    auth.require("aggregates")?;
    auth.service_wide()?;
    let (from, until) = window(&st, q.from.as_deref(), q.until.as_deref())?;
    let group = match q.group_by {
        ScanGroupDto::Zip3 => ScanGroup::Zip3,
        ScanGroupDto::Event => ScanGroup::Event,
    };
    let a = st
        .steward()
        .usps_aggregate(&auth.caller(), group, from, until)
        .await?;
    Ok(Json(aggregate_out(a)))
}

/// A derived dataset.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DatasetIn {
    /// Its name (`[a-z0-9_:.-]{1,64}`).
    #[schema(pattern = "^[a-z0-9_:.-]{1,64}$")]
    pub name: String,
    /// The categories it reads directly.
    #[serde(default)]
    #[schema(max_items = 200)]
    pub categories: Vec<String>,
    /// The registered datasets it is derived from.
    #[serde(default)]
    #[schema(max_items = 200)]
    pub parents: Vec<uuid::Uuid>,
}

/// A derived dataset with its lineage.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DatasetOut {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Every category it derives from, transitively (its locks are inherited).
    pub lineage: Vec<String>,
    /// Its parent datasets.
    pub parents: Vec<String>,
    /// Registered.
    pub created_at: String,
    /// The strictest retention deadline of its inputs.
    pub retain_until: Option<String>,
}

fn dataset_out(d: &DatasetRecord) -> DatasetOut {
    DatasetOut {
        id: d.id.to_string(),
        name: d.name.to_string(),
        lineage: d.lineage.iter().map(|c| c.as_str().to_string()).collect(),
        parents: d.parents.iter().map(ToString::to_string).collect(),
        created_at: ts(d.created_at),
        retain_until: ots(d.retain_until),
    }
}

/// Register a derived dataset: its lineage is recorded so every lock of its inputs (the
/// USPS regulatory lock …) applies to it and to what is derived from it (USPS-03, DM-06).
#[utoipa::path(post, path = "/v1/datasets", tag = "usage",
    request_body = DatasetIn,
    responses((status = 201, description = "Registered", body = DatasetOut)))]
pub async fn register_dataset(
    State(st): State<AppState>,
    auth: Auth,
    ApiJson(b): ApiJson<DatasetIn>,
) -> ApiResult<(StatusCode, Json<DatasetOut>)> {
    auth.require("admin")?;
    auth.service_wide()?;
    let d = st
        .steward()
        .register_dataset(
            &auth.caller(),
            DatasetInput {
                name: b.name,
                categories: b.categories,
                parents: b.parents.into_iter().map(DatasetId::from_uuid).collect(),
            },
        )
        .await?;
    Ok((StatusCode::CREATED, Json(dataset_out(&d))))
}

/// A use to decide.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DatasetUseIn {
    /// The purpose (`service_improvement`, `usps_regulatory_oversight` …).
    #[schema(pattern = "^[a-z0-9_:.-]{1,64}$")]
    pub purpose: String,
}

/// Decide whether a derived dataset may be used for a purpose (`can_use` for every lineage
/// category, with `derived_from`): 200 with the decision when allowed, 403 `DENIED` with the
/// decision inside when a lock or rule refuses it.
#[utoipa::path(post, path = "/v1/datasets/{id}/use", tag = "usage",
    params(("id" = String, Path, format = Uuid, description = "Dataset id")),
    request_body = DatasetUseIn,
    responses((status = 200, description = "The decision", body = Object)))]
pub async fn use_dataset(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(b): ApiJson<DatasetUseIn>,
) -> ApiResult<Json<serde_json::Value>> {
    auth.require("decide")?;
    auth.service_wide()?;
    let id: DatasetId = parse_id(&id, "dataset")?;
    let d = st
        .steward()
        .use_dataset(&auth.caller(), id, &b.purpose)
        .await?;
    Ok(Json(d.json))
}

/// How a chat was transmitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
pub enum TransportDto {
    /// Plain HTTP (refused: CHAT-01).
    #[serde(rename = "http")]
    Http,
    /// TLS 1.2.
    #[serde(rename = "tls1.2")]
    Tls12,
    /// TLS 1.3.
    #[serde(rename = "tls1.3")]
    Tls13,
}

/// One chat message.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChatMessageIn {
    /// `customer` or `agent`.
    #[schema(max_length = 64)]
    pub from: String,
    /// When (RFC 3339).
    #[serde(default)]
    pub at: Option<String>,
    /// The text (card numbers and government ids are masked before storage).
    #[schema(max_length = 100000)]
    pub text: String,
}

/// A chat transcript.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TranscriptIn {
    /// Whose chat.
    pub subject_id: uuid::Uuid,
    /// The support ticket.
    #[schema(max_length = 64)]
    pub ticket: String,
    /// `tls1.2`, `tls1.3` (`http` is refused).
    pub transport: TransportDto,
    /// The minimization notice was shown (CHAT-02).
    pub minimization_notice_shown: bool,
    /// The messages.
    #[schema(max_items = 10000)]
    pub messages: Vec<ChatMessageIn>,
}

/// Redactions made.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[allow(dead_code)]
pub struct RedactionsDoc {
    /// Payment card numbers.
    pub pan: u64,
    /// US Social Security numbers.
    pub ssn: u64,
    /// ITINs.
    pub itin: u64,
}

/// A stored transcript.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TranscriptOut {
    /// The `chat_transcript` item.
    pub item_id: String,
    /// The decision that allowed the collection.
    pub decision_id: String,
    /// What was masked.
    #[schema(value_type = RedactionsDoc)]
    pub redactions: serde_json::Value,
}

/// Store a chat transcript: refused over plain HTTP or without the minimization notice;
/// card numbers and government ids masked; encrypted; kept until the ticket closes + 365 days.
#[utoipa::path(post, path = "/v1/chat/transcripts", tag = "usage",
    request_body = TranscriptIn,
    responses((status = 201, description = "Stored", body = TranscriptOut)))]
pub async fn store_transcript(
    State(st): State<AppState>,
    auth: Auth,
    ApiJson(b): ApiJson<TranscriptIn>,
) -> ApiResult<(StatusCode, Json<TranscriptOut>)> {
    auth.require("write")?;
    let subject = SubjectId::from_uuid(b.subject_id);
    let caller = auth.access(&st, subject, AdminPermission::ChangePi).await?;
    let stored = st
        .steward()
        .store_transcript(
            &caller,
            TranscriptInput {
                subject,
                ticket: b.ticket,
                transport: match b.transport {
                    TransportDto::Http => Transport::Http,
                    TransportDto::Tls12 => Transport::Tls12,
                    TransportDto::Tls13 => Transport::Tls13,
                },
                minimization_notice_shown: b.minimization_notice_shown,
                messages: b
                    .messages
                    .into_iter()
                    .map(|m| ChatMessage {
                        from: m.from,
                        at: m.at,
                        text: m.text,
                    })
                    .collect(),
            },
        )
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(TranscriptOut {
            item_id: stored.item.id.to_string(),
            decision_id: stored.decision.event_id.to_string(),
            redactions: serde_json::to_value(stored.redactions).unwrap_or_default(),
        }),
    ))
}

/// A ticket's closure.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CloseTicketIn {
    /// When it closed (RFC 3339; default: now).
    #[serde(default)]
    pub closed_at: Option<String>,
}

/// Items whose deadline was set.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ClosedTicket {
    /// The ticket's transcript items (kept through `closed_at + 365 days`).
    pub items: Vec<String>,
}

/// Close a support ticket: its transcripts are kept through the day `closed_at + 365 days`,
/// then erased by the sweep (CHAT-04).
#[utoipa::path(post, path = "/v1/tickets/{ticket}/close", tag = "usage",
    params(("ticket" = String, Path, description = "The ticket reference")),
    request_body = CloseTicketIn,
    responses((status = 200, description = "The items", body = ClosedTicket)))]
pub async fn close_ticket(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(ticket): ApiPath<String>,
    ApiJson(b): ApiJson<CloseTicketIn>,
) -> ApiResult<Json<ClosedTicket>> {
    auth.require("write")?;
    auth.service_wide()?;
    let at = match &b.closed_at {
        Some(t) => parse_ts(t, "closed_at")?,
        None => st.steward().clock().now(),
    };
    let items = st
        .steward()
        .close_ticket(&auth.caller(), &ticket, at)
        .await?;
    Ok(Json(ClosedTicket {
        items: items.iter().map(ToString::to_string).collect(),
    }))
}

/// A survey as the company defines it.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SurveyIn {
    /// Its id.
    #[schema(max_length = 64)]
    pub id: String,
    /// The purpose notice shown with it (SURVEY-02).
    #[serde(default)]
    #[schema(max_length = 4000)]
    pub notice: Option<String>,
    /// Must be `false` (SURVEY-01).
    #[serde(default)]
    pub required: bool,
    /// The minimization hint of free-text fields (SURVEY-05).
    #[serde(default)]
    #[schema(max_length = 4000)]
    pub free_text_hint: Option<String>,
}

impl From<SurveyIn> for SurveyDefinition {
    fn from(s: SurveyIn) -> Self {
        SurveyDefinition {
            id: s.id,
            notice: s.notice,
            required: s.required,
            free_text_hint: s.free_text_hint,
        }
    }
}

/// A survey ready to show.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[allow(dead_code)]
pub struct SurveyFormDoc {
    /// Its id.
    pub id: String,
    /// The purpose notice.
    pub notice: String,
    /// Always `true`.
    pub optional: bool,
    /// The hint of free-text fields.
    pub free_text_hint: String,
}

/// Check a survey before publishing it: it cannot be required and needs its purpose notice.
#[utoipa::path(post, path = "/v1/surveys/check", tag = "usage",
    request_body = SurveyIn,
    responses((status = 200, description = "The form to show", body = SurveyFormDoc)))]
pub async fn check_survey(auth: Auth, ApiJson(b): ApiJson<SurveyIn>) -> ApiResult<Response> {
    auth.require("write")?;
    Ok(Json(publish_survey(&b.into())?).into_response())
}

/// Survey answers.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SurveyAnswersIn {
    /// Who answered.
    pub subject_id: uuid::Uuid,
    /// The survey.
    pub survey: SurveyIn,
    /// Question id → answer (empty: a decline, nothing stored).
    pub answers: BTreeMap<String, String>,
}

/// What was stored.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SurveyStored {
    /// Whether anything was stored (empty answers store nothing).
    pub stored: bool,
    /// The `survey_answer` item.
    pub item_id: Option<String>,
    /// What was masked.
    #[schema(value_type = Option<RedactionsDoc>)]
    pub redactions: Option<serde_json::Value>,
}

/// Store survey answers for feedback analysis only (SURVEY-03/04), redacted and encrypted.
#[utoipa::path(post, path = "/v1/surveys/answers", tag = "usage",
    request_body = SurveyAnswersIn,
    responses((status = 200, description = "What was stored", body = SurveyStored)))]
pub async fn store_survey_answers(
    State(st): State<AppState>,
    auth: Auth,
    ApiJson(b): ApiJson<SurveyAnswersIn>,
) -> ApiResult<Json<SurveyStored>> {
    auth.require("write")?;
    let subject = SubjectId::from_uuid(b.subject_id);
    let caller = auth.access(&st, subject, AdminPermission::ChangePi).await?;
    let out = st
        .steward()
        .store_survey_answers(
            &caller,
            SurveyAnswers {
                subject,
                survey: b.survey.into(),
                answers: b.answers,
            },
        )
        .await?;
    Ok(Json(match out {
        Some((item, r)) => SurveyStored {
            stored: true,
            item_id: Some(item.id.to_string()),
            redactions: serde_json::to_value(r).ok(),
        },
        None => SurveyStored {
            stored: false,
            item_id: None,
            redactions: None,
        },
    }))
}

/// How to run the sweep.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct RetentionParams {
    /// Count only; change nothing.
    #[serde(default)]
    pub dry_run: Option<bool>,
    /// Rows per store call (default 1000).
    #[serde(default)]
    #[param(minimum = 1, maximum = 100000)]
    pub batch: Option<u32>,
}

/// Run the retention sweep (RET-01/02/03): what passed its retention is erased, deleted or
/// anonymized; legal holds respected; `dry_run=true` counts and changes nothing.
#[utoipa::path(post, path = "/v1/retention/run", tag = "usage",
    params(RetentionParams),
    responses((status = 200, description = "The report per category and stream", body = Object)))]
pub async fn run_retention(
    State(st): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<RetentionParams>,
) -> ApiResult<Response> {
    auth.require("admin")?;
    auth.service_wide()?;
    let batch = q.batch.unwrap_or(1000);
    if !(1..=100_000).contains(&batch) {
        return Err(ApiError::bad_request("BAD_QUERY", "`batch` is 1 to 100000"));
    }
    let report = st
        .steward()
        .run_retention(
            &auth.caller(),
            RetentionOptions {
                dry_run: q.dry_run.unwrap_or(false),
                batch,
            },
        )
        .await?;
    Ok(Json(report).into_response())
}

/// The signals of a subject or device.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[allow(dead_code)]
pub struct SignalsDoc {
    /// The GPP string (`DBABBg~BUUAAACA.YA`).
    pub gpp: String,
    /// The applicable GPP sections.
    pub gpp_sid: Vec<u16>,
    /// The US Privacy string (send only to partners flagged `legacy_usp`).
    pub us_privacy: String,
    /// GPC applies (now or persisted).
    pub gpc: bool,
    /// Effective opt-out of sale.
    pub sale_opt_out: bool,
    /// Effective opt-out of sharing.
    pub share_opt_out: bool,
    /// `california`, `other_us_state` or `outside_us`.
    pub region: String,
}

/// The partner signals (GPP, US Privacy, GPC) of a stored subject from its effective choices;
/// `Sec-GPC: 1` on this call counts as a signal now (it is not recorded).
#[utoipa::path(get, path = "/v1/subjects/{id}/signals", tag = "usage",
    params(("id" = String, Path, format = Uuid, description = "Subject id"),
        ("Sec-GPC" = Option<String>, Header, description = "`1`: a GPC signal now")),
    responses((status = 200, description = "The signals", body = SignalsDoc)))]
pub async fn subject_signals(
    State(st): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Response> {
    auth.require("decide")?;
    let subject: SubjectId = parse_id(&id, "subject")?;
    auth.access(&st, subject, AdminPermission::ViewPi).await?;
    let s = st
        .steward()
        .signals_for_subject(subject, gpc(&headers), &SignalConfig::default())
        .await?;
    Ok(Json(s).into_response())
}

/// A browser or device.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DeviceSignalParams {
    /// The browser's cookie id (exactly one of `cookie_id` and `device_id`).
    #[serde(default)]
    pub cookie_id: Option<String>,
    /// The app's device id.
    #[serde(default)]
    pub device_id: Option<String>,
    /// Where the edge located it (`US-CA`, `FR`), for a device not linked to a subject.
    #[serde(default)]
    pub jurisdiction: Option<String>,
}

/// The partner signals of a browser or device (the linked subject's when it is linked).
#[utoipa::path(get, path = "/v1/signals", tag = "usage",
    params(DeviceSignalParams,
        ("Sec-GPC" = Option<String>, Header, description = "`1`: a GPC signal now")),
    responses((status = 200, description = "The signals", body = SignalsDoc)))]
pub async fn device_signals(
    State(st): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    ApiQuery(q): ApiQuery<DeviceSignalParams>,
) -> ApiResult<Response> {
    auth.require("decide")?;
    auth.service_wide()?;
    let (kind, id) = match (q.cookie_id, q.device_id) {
        (Some(c), None) if !c.is_empty() => (IdentityKind::Cookie, c),
        (None, Some(d)) if !d.is_empty() => (IdentityKind::Device, d),
        _ => {
            return Err(ApiError::bad_request(
                "BAD_QUERY",
                "give exactly one of `cookie_id` and `device_id`",
            ));
        }
    };
    let s = st
        .steward()
        .signals_for_device(
            kind,
            &id,
            q.jurisdiction.as_deref(),
            gpc(&headers),
            &SignalConfig::default(),
        )
        .await?;
    Ok(Json(s).into_response())
}
