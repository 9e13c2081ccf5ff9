//! The rest of the automatically collected data (docs/events.md): location samples (GEO-*),
//! USPS tracking scans and derived datasets (USPS-*), chat transcripts and ticket closure
//! (CHAT-*), surveys (SURVEY-*), the retention sweep (RET-*), and the partner signals of a
//! subject or a device (GPC, US Privacy, GPP). Thin handlers over `steward_core::Steward`.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use jiff::Timestamp;
use steward_api::decisions::DecisionOut;
use steward_api::events::{AggregateOut, BatchReport, PurposeParams};
use steward_api::lifecycle::{LifecycleEvents, LifecycleIn, LifecycleRecorded};
use steward_api::usage::{
    CloseTicketIn, ClosedTicket, DatasetOut, DatasetUseIn, DerivedDatasetIn, DeviceSignalParams,
    GpsOut, LocationIn, LocationReport, Locations, MAX_SAMPLES, RetentionParams, RetentionReport,
    ScanAggregateParams, ScanOut, Scans, ScansIn, Signals, SurveyAnswersIn, SurveyForm, SurveyIn,
    SurveyStored, TranscriptIn, TranscriptOut,
};
use steward_core::ingest::survey::publish_survey;
use steward_core::ingest::usps::ScanView;
use steward_core::partner_signals::SignalConfig;
use steward_core::retention::RetentionOptions;
use steward_errors::ErrorCode;
use steward_store::ids::SubjectId;
use steward_store::model::account::AdminPermission;
use steward_store::model::event::DatasetId;
use steward_store::model::subject::IdentityKind;

use super::events::window;
use crate::auth::{Auth, gpc};
use crate::extract::{ApiPath, ApiQuery, Json, parse_id};
use crate::problem::{ApiError, ApiResult};
use crate::state::AppState;

fn parse_ts(raw: &str, field: &str) -> ApiResult<Timestamp> {
    raw.parse::<Timestamp>().map_err(|_| {
        ApiError::invalid(
            ErrorCode::BadTime,
            format!("`{field}` must be an RFC 3339 time (2024-03-04T17:00:00Z)"),
        )
    })
}

/// Ingest GPS and motion samples: accepted only while the subject's location services are on
/// (GEO-01, GEO-02); refused samples are counted, not stored.
#[utoipa::path(post, path = "/v1/subjects/{id}/location", tag = "usage",
    params(("id" = String, Path, format = Uuid, description = "Subject id")),
    responses((status = 200, description = "Stored and refused counts", body = LocationReport)))]
pub async fn ingest_location(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
    Json(b): Json<LocationIn>,
) -> ApiResult<Json<LocationReport>> {
    auth.require("write")?;
    let subject: SubjectId = parse_id(&id, "subject")?;
    let caller = auth.access(&st, subject, AdminPermission::ChangePi).await?;
    if b.gps.len() > MAX_SAMPLES || b.motion.len() > MAX_SAMPLES {
        return Err(ApiError::invalid(
            ErrorCode::BatchTooLarge,
            "at most 10000 GPS fixes and 10000 motion readings per call",
        ));
    }
    let report = st
        .steward()
        .ingest_location(&caller, subject, b.try_into()?)
        .await?;
    Ok(Json(report.into()))
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
        samples: samples.iter().map(GpsOut::from).collect(),
    }))
}

/// Ingest USPS tracking scans (USPS-04): one decision for the batch, each scan checked on its
/// own (a bad one is rejected with its reason, the rest kept).
#[utoipa::path(post, path = "/v1/usps/scans", tag = "usage",
    responses((status = 200, description = "Counts and the scans not stored", body = BatchReport)))]
pub async fn ingest_scans(
    State(st): State<AppState>,
    auth: Auth,
    Json(b): Json<ScansIn>,
) -> ApiResult<Json<BatchReport>> {
    auth.require("write")?;
    auth.service_wide()?;
    if b.scans.len() > MAX_SAMPLES {
        return Err(ApiError::invalid(
            ErrorCode::BatchTooLarge,
            "at most 10000 scans per call",
        ));
    }
    let scans = b.scans.into_iter().map(Into::into).collect();
    let report = st.steward().ingest_scans(&auth.caller(), scans).await?;
    Ok(Json(report.into()))
}

fn scans_out(v: Vec<ScanView>) -> Scans {
    Scans {
        scans: v.into_iter().map(ScanOut::from).collect(),
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
    let a = st
        .steward()
        .usps_aggregate(&auth.caller(), q.group_by.into(), from, until)
        .await?;
    Ok(Json(a.into()))
}

/// Register a derived dataset: its lineage is recorded so every lock of its inputs (the
/// USPS regulatory lock …) applies to it and to what is derived from it (USPS-03, DM-06).
#[utoipa::path(post, path = "/v1/datasets", tag = "usage",
    responses((status = 201, description = "Registered", body = DatasetOut)))]
pub async fn register_dataset(
    State(st): State<AppState>,
    auth: Auth,
    Json(b): Json<DerivedDatasetIn>,
) -> ApiResult<(StatusCode, Json<DatasetOut>)> {
    auth.require("admin")?;
    auth.service_wide()?;
    let d = st
        .steward()
        .register_dataset(&auth.caller(), b.into())
        .await?;
    Ok((StatusCode::CREATED, Json(DatasetOut::from(&d))))
}

/// Decide whether a derived dataset may be used for a purpose (`can_use` for every lineage
/// category, with `derived_from`): 200 with the decision when allowed, 403 `DENIED` with the
/// decision inside when a lock or rule refuses it.
#[utoipa::path(post, path = "/v1/datasets/{id}/use", tag = "usage",
    params(("id" = String, Path, format = Uuid, description = "Dataset id")),
    responses((status = 200, description = "The decision", body = DecisionOut)))]
pub async fn use_dataset(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
    Json(b): Json<DatasetUseIn>,
) -> ApiResult<axum::response::Response> {
    auth.require("decide")?;
    auth.service_wide()?;
    let id: DatasetId = parse_id(&id, "dataset")?;
    let d = st
        .steward()
        .use_dataset(&auth.caller(), id, &b.purpose)
        .await?;
    Ok(axum::response::IntoResponse::into_response(Json(
        DecisionOut::from(&d),
    )))
}

/// Store a chat transcript: refused over plain HTTP or without the minimization notice;
/// card numbers and government ids masked; encrypted; kept until the ticket closes + 365 days.
#[utoipa::path(post, path = "/v1/chat/transcripts", tag = "usage",
    responses((status = 201, description = "Stored", body = TranscriptOut)))]
pub async fn store_transcript(
    State(st): State<AppState>,
    auth: Auth,
    Json(b): Json<TranscriptIn>,
) -> ApiResult<(StatusCode, Json<TranscriptOut>)> {
    auth.require("write")?;
    let subject = SubjectId::from_uuid(b.subject_id);
    let caller = auth.access(&st, subject, AdminPermission::ChangePi).await?;
    let stored = st.steward().store_transcript(&caller, b.into()).await?;
    Ok((
        StatusCode::CREATED,
        Json(TranscriptOut {
            item_id: stored.item.id.to_string(),
            decision_id: stored.decision.event_id.to_string(),
            redactions: stored.redactions.into(),
        }),
    ))
}

/// Close a support ticket: its transcripts are kept through the day `closed_at + 365 days`,
/// then erased by the sweep (CHAT-04).
#[utoipa::path(post, path = "/v1/tickets/{ticket}/close", tag = "usage",
    params(("ticket" = String, Path, description = "The ticket reference")),
    responses((status = 200, description = "The items", body = ClosedTicket)))]
pub async fn close_ticket(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(ticket): ApiPath<String>,
    Json(b): Json<CloseTicketIn>,
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

/// Record a lifecycle event of a subject (RET-01): account closed or reopened, last activity,
/// contract end. The subject's items whose category's retention starts at that event get
/// their `retain_until` set (a reopening clears what the closure set; a later activity moves
/// the deadline forward). Audited; the same event again changes nothing.
#[utoipa::path(post, path = "/v1/subjects/{id}/lifecycle", tag = "usage",
    params(("id" = String, Path, format = Uuid, description = "Subject id")),
    request_body = LifecycleIn,
    responses((status = 200, description = "The event and the deadlines it changed", body = LifecycleRecorded)))]
pub async fn record_lifecycle(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
    Json(b): Json<LifecycleIn>,
) -> ApiResult<Json<LifecycleRecorded>> {
    auth.require("write")?;
    auth.service_wide()?;
    let subject: SubjectId = parse_id(&id, "subject")?;
    let at = match &b.at {
        Some(t) => parse_ts(t, "at")?,
        None => st.steward().clock().now(),
    };
    let out = st
        .steward()
        .record_lifecycle(&auth.caller(), subject, b.event.into(), at)
        .await?;
    Ok(Json(LifecycleRecorded::from(&out)))
}

/// The lifecycle events recorded for a subject, oldest first (RET-01).
#[utoipa::path(get, path = "/v1/subjects/{id}/lifecycle", tag = "usage",
    params(("id" = String, Path, format = Uuid, description = "Subject id")),
    responses((status = 200, description = "The events", body = LifecycleEvents)))]
pub async fn lifecycle_events(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<LifecycleEvents>> {
    auth.require("read_pii")?;
    auth.service_wide()?;
    let subject: SubjectId = parse_id(&id, "subject")?;
    let events = st.steward().lifecycle_events(subject).await?;
    Ok(Json(LifecycleEvents {
        events: events.iter().map(Into::into).collect(),
    }))
}

/// Check a survey before publishing it: it cannot be required and needs its purpose notice.
#[utoipa::path(post, path = "/v1/surveys/check", tag = "usage",
    responses((status = 200, description = "The form to show", body = SurveyForm)))]
pub async fn check_survey(auth: Auth, Json(b): Json<SurveyIn>) -> ApiResult<Json<SurveyForm>> {
    auth.require("write")?;
    Ok(Json(publish_survey(&b.into())?.into()))
}

/// Store survey answers for feedback analysis only (SURVEY-03, SURVEY-04), redacted and encrypted.
#[utoipa::path(post, path = "/v1/surveys/answers", tag = "usage",
    responses((status = 200, description = "What was stored", body = SurveyStored)))]
pub async fn store_survey_answers(
    State(st): State<AppState>,
    auth: Auth,
    Json(b): Json<SurveyAnswersIn>,
) -> ApiResult<Json<SurveyStored>> {
    auth.require("write")?;
    let subject = SubjectId::from_uuid(b.subject_id);
    let caller = auth.access(&st, subject, AdminPermission::ChangePi).await?;
    let out = st.steward().store_survey_answers(&caller, b.into()).await?;
    Ok(Json(match out {
        Some((item, r)) => SurveyStored {
            stored: true,
            item_id: Some(item.id.to_string()),
            redactions: Some(r.into()),
        },
        None => SurveyStored {
            stored: false,
            item_id: None,
            redactions: None,
        },
    }))
}

/// Run the retention sweep (RET-01, RET-02, RET-03): what passed its retention is erased, deleted or
/// anonymized; legal holds respected; `dry_run=true` counts and changes nothing.
#[utoipa::path(post, path = "/v1/retention/run", tag = "usage",
    params(RetentionParams),
    responses((status = 200, description = "The report per category and stream", body = RetentionReport)))]
pub async fn run_retention(
    State(st): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<RetentionParams>,
) -> ApiResult<Json<RetentionReport>> {
    auth.require("admin")?;
    auth.service_wide()?;
    let batch = q.batch.unwrap_or(1000);
    if !(1..=100_000).contains(&batch) {
        return Err(ApiError::bad_request(
            ErrorCode::BadQuery,
            "`batch` is 1 to 100000",
        ));
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
    Ok(Json(RetentionReport::from(&report)))
}

/// The partner signals (GPP, US Privacy, GPC) of a stored subject from its effective choices;
/// `Sec-GPC: 1` on this call counts as a signal now (it is not recorded).
#[utoipa::path(get, path = "/v1/subjects/{id}/signals", tag = "usage",
    params(("id" = String, Path, format = Uuid, description = "Subject id"),
        ("Sec-GPC" = Option<String>, Header, description = "`1`: a GPC signal now")),
    responses((status = 200, description = "The signals", body = Signals)))]
pub async fn subject_signals(
    State(st): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<Signals>> {
    auth.require("decide")?;
    let subject: SubjectId = parse_id(&id, "subject")?;
    auth.access(&st, subject, AdminPermission::ViewPi).await?;
    let s = st
        .steward()
        .signals_for_subject(subject, gpc(&headers), &SignalConfig::default())
        .await?;
    Ok(Json(s.into()))
}

/// The partner signals of a browser or device (the linked subject's when it is linked).
#[utoipa::path(get, path = "/v1/signals", tag = "usage",
    params(DeviceSignalParams,
        ("Sec-GPC" = Option<String>, Header, description = "`1`: a GPC signal now")),
    responses((status = 200, description = "The signals", body = Signals)))]
pub async fn device_signals(
    State(st): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    ApiQuery(q): ApiQuery<DeviceSignalParams>,
) -> ApiResult<Json<Signals>> {
    auth.require("decide")?;
    auth.service_wide()?;
    let (kind, id) = match (q.cookie_id, q.device_id) {
        (Some(c), None) if !c.is_empty() => (IdentityKind::Cookie, c),
        (None, Some(d)) if !d.is_empty() => (IdentityKind::Device, d),
        _ => {
            return Err(ApiError::bad_request(
                ErrorCode::BadQuery,
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
    Ok(Json(s.into()))
}
