//! Decisions: single (`POST /v1/decisions`), batch (`POST /v1/decisions/batch`, thousands
//! per call) and explain (`GET /v1/decisions/{id}`), in the decision JSON of
//! `docs/decisions.md`. Every decision is audited with an id; a deny is an answer (200 with
//! `allow: false`), not an error.

use std::borrow::Cow;
use std::collections::HashSet;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Request as HttpRequest, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use steward_core::Caller;
use steward_core::choices::ChoiceParty;
use steward_policy::wire::Request;
use steward_store::ids::{EventId, SubjectId};
use steward_store::model::account::AdminPermission;
use steward_store::values::Digest;
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{ObjectBuilder, Schema};
use utoipa::{PartialSchema, ToSchema};

use super::hex;
use crate::auth::{Auth, gpc};
use crate::extract::{ApiPath, json_bytes, json_error, parse_id, parse_json, require_object};
use crate::problem::{ApiError, ApiResult};
use crate::state::AppState;

/// Documentation stand-in for the decision request of `docs/decisions.md` (replaced in the
/// OpenAPI document by the JSON Schema generated from `steward_policy::wire::Request`).
#[derive(Debug)]
pub struct DecisionRequestDoc;
impl PartialSchema for DecisionRequestDoc {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new().into()
    }
}
impl ToSchema for DecisionRequestDoc {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("DecisionRequest")
    }
}

/// Documentation stand-in for a decision response (a decision or effective choices, with
/// `decision_id`); replaced by the generated schema.
#[derive(Debug)]
pub struct DecisionDoc;
impl PartialSchema for DecisionDoc {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new().into()
    }
}
impl ToSchema for DecisionDoc {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("Decision")
    }
}

/// Documentation stand-in for one result of a batch (a decision or an error object).
#[derive(Debug)]
pub struct BatchItemDoc;
impl PartialSchema for BatchItemDoc {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new().into()
    }
}
impl ToSchema for BatchItemDoc {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("BatchItem")
    }
}

/// Documentation stand-in for an explanation; replaced by the generated schema.
#[derive(Debug)]
pub struct ExplanationDoc;
impl PartialSchema for ExplanationDoc {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new().into()
    }
}
impl ToSchema for ExplanationDoc {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("Explanation")
    }
}

/// How a batch is audited.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum BatchAudit {
    /// One audit entry for the batch, with the SHA-256 of the request body and of the
    /// decisions; decision ids are `<batch_id>:<index>` (docs/api.md explains the trade-off).
    #[default]
    Batch,
    /// One audit entry per decision, each with its own replayable id (slower).
    Each,
}

/// A batch of decision requests (documentation of the body; see `BatchRaw` for parsing).
#[derive(Debug, ToSchema)]
pub struct BatchIn {
    /// The requests (the decision JSON of `docs/decisions.md`), answered in order; a request
    /// that does not decode is answered with an error object in its place. Give either
    /// `requests`, or `template` and `subjects`.
    #[schema(value_type = Option<Vec<DecisionRequestDoc>>)]
    pub requests: Option<Vec<Request>>,
    /// One question (a decision request without `subject`) asked for every subject of
    /// `subjects`; results carry `subject_id`.
    #[schema(value_type = Option<DecisionRequestDoc>)]
    pub template: Option<Request>,
    /// Stored subject ids for `template`, answered in order.
    pub subjects: Option<Vec<String>>,
    /// How to audit: `batch` (default) or `each`.
    pub audit: Option<BatchAudit>,
}

/// The answers to a batch.
#[derive(Debug, Serialize, ToSchema)]
pub struct BatchOut {
    /// The batch id (`audit: batch`); decision `i` is `<batch_id>:<i>`.
    pub batch_id: Option<String>,
    /// `batch` or `each`.
    pub audit: BatchAudit,
    /// Audit sequence number of the batch entry (`audit: batch`).
    pub audit_seq: Option<u64>,
    /// Requests answered.
    pub count: u64,
    /// Allows.
    pub allowed: u64,
    /// Denies.
    pub denied: u64,
    /// Requests answered with an error object.
    pub errors: u64,
    /// SHA-256 (hex) of the `decisions` array exactly as sent (`audit: batch`), as recorded
    /// in the audit log.
    pub decisions_sha256: Option<String>,
    /// One result per request, in order: a decision with `index` and `decision_id`, or
    /// `{index, error: {code, message}}`.
    #[schema(value_type = Vec<BatchItemDoc>)]
    pub decisions: serde_json::Value,
}

fn json_response(body: Vec<u8>) -> Response {
    let mut res = body.into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    res
}

/// Decide one request. With `subject.id` the stored subject's facts and choices are used;
/// `Sec-GPC: 1` counts as a GPC signal for this decision and is recorded for that subject.
#[utoipa::path(post, path = "/v1/decisions", tag = "decisions",
    request_body = DecisionRequestDoc,
    params(("Sec-GPC" = Option<String>, Header, description = "`1`: the subject's browser sent GPC")),
    responses((status = 200, description = "The decision, with its audited `decision_id`", body = DecisionDoc)))]
pub async fn decide(
    State(st): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    req: HttpRequest,
) -> ApiResult<Json<serde_json::Value>> {
    auth.require("decide")?;
    let bytes = json_bytes(req, &st).await?;
    let request: Request = parse_json(&bytes)?;
    let gpc_on = gpc(&headers);
    let mut caller = auth.caller();
    if let Some(raw) = request.subject.id.as_deref() {
        // A malformed id is answered by the core (422 BAD_SUBJECT_ID) with everything else.
        if let Ok(sid) = raw.parse::<SubjectId>() {
            caller = auth.access(&st, sid, AdminPermission::ViewPi).await?;
            if gpc_on && !matches!(caller, Caller::Admin(_)) {
                st.steward()
                    .record_gpc(&caller, ChoiceParty::Subject(sid))
                    .await?;
            }
        }
    }
    let d = st.steward().decide(&caller, request, gpc_on).await?;
    st.metrics().decision_text(&d.reason, d.allow, 1);
    Ok(Json(d.json))
}

/// The batch body as parsed: each request kept as raw JSON and decoded on its own, so one
/// malformed request is answered with an error object and the rest is still decided.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BatchRaw<'a> {
    /// The requests, each decoded by the core on its own (a bad one gets an error object).
    #[serde(borrow, default)]
    pub requests: Option<Vec<&'a RawValue>>,
    /// One question for many subjects.
    #[serde(default)]
    pub template: Option<Request>,
    /// The subjects of the template.
    #[serde(borrow, default)]
    pub subjects: Option<Vec<Cow<'a, str>>>,
    /// `batch` (default) or `each`.
    #[serde(default)]
    pub audit: Option<BatchAudit>,
}

/// Just enough of a request to find its stored subject.
#[derive(Debug, Deserialize)]
struct SubjectOnly {
    #[serde(default)]
    subject: Option<IdOnly>,
}

#[derive(Debug, Deserialize)]
struct IdOnly {
    #[serde(default)]
    id: Option<String>,
}

/// Decodes a batch body exactly as the handler does (public for the fuzz target
/// `http_batch_decode`).
///
/// # Errors
/// 400 `BAD_JSON`, 422 `INVALID_BODY`.
pub fn parse_batch(bytes: &[u8]) -> Result<BatchRaw<'_>, ApiError> {
    require_object(bytes)?;
    serde_json::from_slice(bytes).map_err(json_error)
}

/// Decide many requests in one call (up to the configured maximum, 100 000 by default).
#[utoipa::path(post, path = "/v1/decisions/batch", tag = "decisions",
    request_body = BatchIn,
    responses((status = 200, description = "One result per request", body = BatchOut)))]
pub async fn batch(
    State(st): State<AppState>,
    auth: Auth,
    req: HttpRequest,
) -> ApiResult<Response> {
    auth.require("decide")?;
    let bytes: Bytes = json_bytes(req, &st).await?;
    let requests_sha256 = Digest::sha256(&bytes);
    let body = parse_batch(&bytes)?;
    let (raws, template, subjects): (Vec<&RawValue>, Option<Request>, Vec<Cow<'_, str>>) =
        match (body.requests, body.template, body.subjects) {
            (Some(r), None, None) => (r, None, Vec::new()),
            (Some(r), None, Some(s)) if s.is_empty() => (r, None, Vec::new()),
            (None, Some(t), Some(s)) => (Vec::new(), Some(t), s),
            (Some(r), Some(t), Some(s)) if r.is_empty() => (Vec::new(), Some(t), s),
            _ => {
                return Err(ApiError::invalid(
                    "BATCH_FORM",
                    "give either `requests`, or `template` and `subjects`",
                ));
            }
        };
    let n = raws.len().max(subjects.len());
    let max = st.config().batch_max;
    if n > max {
        return Err(ApiError::invalid(
            "BATCH_TOO_LARGE",
            format!("a batch holds at most {max} requests"),
        ));
    }
    // Account-limited keys: only the subjects the actor may see.
    let visible: Option<HashSet<SubjectId>> = if auth.key.account.is_some() {
        let mut set = HashSet::new();
        let mut ids: HashSet<SubjectId> = raws
            .iter()
            .filter_map(|r| {
                let s: SubjectOnly = serde_json::from_str(r.get()).ok()?;
                s.subject?.id?.parse().ok()
            })
            .collect();
        ids.extend(subjects.iter().filter_map(|s| s.parse::<SubjectId>().ok()));
        for id in ids {
            match auth.access(&st, id, AdminPermission::ViewPi).await {
                Ok(_) => {
                    set.insert(id);
                }
                Err(e) if e.status == axum::http::StatusCode::NOT_FOUND => {}
                Err(e) => return Err(e),
            }
        }
        Some(set)
    } else {
        None
    };
    let caller = auth.caller();
    let metrics = st.metrics();
    match body.audit.unwrap_or_default() {
        BatchAudit::Batch => {
            let check = |s: SubjectId| visible.as_ref().is_none_or(|v| v.contains(&s));
            // The decisions first, then what is known only once they are audited.
            let mut buf = Vec::with_capacity(n * 400 + 512);
            buf.extend_from_slice(b"{\"decisions\":");
            let out = match template {
                None => {
                    let texts: Vec<&str> = raws.iter().map(|r| r.get()).collect();
                    st.steward()
                        .decide_batch_compact(
                            &caller,
                            &texts,
                            Some(requests_sha256),
                            &check,
                            &mut buf,
                        )
                        .await?
                }
                Some(t) => {
                    let ids: Vec<&str> = subjects.iter().map(|s| s.as_ref()).collect();
                    st.steward()
                        .decide_batch_template(
                            &caller,
                            t,
                            &ids,
                            Some(requests_sha256),
                            &check,
                            &mut buf,
                        )
                        .await?
                }
            };
            metrics
                .batch_decisions
                .fetch_add(out.count, std::sync::atomic::Ordering::Relaxed);
            for (code, allow, n) in &out.reasons {
                metrics.decision(code, *allow, *n);
            }
            let tail = format!(
                ",\"batch_id\":\"{}\",\"audit\":\"batch\",\"audit_seq\":{},\"count\":{},\"allowed\":{},\"denied\":{},\"errors\":{},\"decisions_sha256\":\"{}\"}}",
                out.batch_id,
                out.audit_seq.get(),
                out.count,
                out.allowed,
                out.denied,
                out.errors,
                hex(&out.decisions_sha256.0)
            );
            buf.extend_from_slice(tail.as_bytes());
            Ok(json_response(buf))
        }
        BatchAudit::Each => {
            let mut slots: Vec<Option<serde_json::Value>> = vec![None; n];
            let mut asked = Vec::with_capacity(n);
            let mut index = Vec::with_capacity(n);
            let parsed: Vec<Result<Request, String>> = match &template {
                None => raws
                    .iter()
                    .map(|raw| {
                        serde_json::from_str::<Request>(raw.get()).map_err(|e| e.to_string())
                    })
                    .collect(),
                Some(t) => {
                    if t.subject.id.is_some() {
                        return Err(ApiError::invalid(
                            "TEMPLATE_NAMES_A_SUBJECT",
                            "the template asks the question; the subjects come from `subjects`",
                        ));
                    }
                    subjects
                        .iter()
                        .map(|s| {
                            let mut r = t.clone();
                            r.subject.id = Some(s.to_string());
                            Ok(r)
                        })
                        .collect()
                }
            };
            for (i, r) in parsed.into_iter().enumerate() {
                let r = match r {
                    Ok(r) => r,
                    Err(e) => {
                        slots[i] =
                            Some(serde_json::json!({"error": {"code": "BAD_JSON", "message": e}}));
                        continue;
                    }
                };
                let hidden = match (
                    &visible,
                    r.subject.id.as_deref().map(str::parse::<SubjectId>),
                ) {
                    (Some(v), Some(Ok(s))) => !v.contains(&s),
                    _ => false,
                };
                if hidden {
                    slots[i] = Some(
                        serde_json::json!({"error": {"code": "NOT_FOUND", "message": "subject not found"}}),
                    );
                } else {
                    index.push(i);
                    asked.push(r);
                }
            }
            let answers = st.steward().decide_batch(&caller, asked).await?;
            for (i, a) in index.into_iter().zip(answers) {
                slots[i] = Some(a);
            }
            let (mut allowed, mut denied, mut errors) = (0u64, 0u64, 0u64);
            let decisions: Vec<serde_json::Value> = slots
                .into_iter()
                .enumerate()
                .map(|(i, v)| {
                    let mut v = v.unwrap_or(serde_json::Value::Null);
                    if let serde_json::Value::Object(m) = &mut v {
                        m.insert("index".into(), i.into());
                        if m.contains_key("error") {
                            errors += 1;
                        } else if m.get("allow").and_then(serde_json::Value::as_bool) == Some(false)
                        {
                            denied += 1;
                        } else {
                            allowed += 1;
                        }
                        if let (Some(r), Some(a)) = (
                            m.get("reason").and_then(|r| r.as_str()),
                            m.get("allow").and_then(serde_json::Value::as_bool),
                        ) {
                            metrics.decision_text(r, a, 1);
                        }
                    }
                    v
                })
                .collect();
            metrics
                .batch_decisions
                .fetch_add(n as u64, std::sync::atomic::Ordering::Relaxed);
            let out = BatchOut {
                batch_id: None,
                audit: BatchAudit::Each,
                audit_seq: None,
                count: n as u64,
                allowed,
                denied,
                errors,
                decisions_sha256: None,
                decisions: serde_json::Value::Array(decisions),
            };
            Ok(json_response(serde_json::to_vec(&out).unwrap_or_default()))
        }
    }
}

/// Explain a past decision (AUD-07): its recorded inputs, outcome, requirement ids and, for a
/// stored subject, the DEC-00 path replayed from the ledger as it was then. A batch decision
/// id (`<batch_id>:<index>`) is answered with its batch's audit entry.
#[utoipa::path(get, path = "/v1/decisions/{id}", tag = "decisions",
    params(("id" = String, Path, pattern = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(:[0-9]{1,9})?$", description = "Decision id (a UUID, or `<batch_id>:<index>`)")),
    responses((status = 200, description = "The explanation", body = ExplanationDoc)))]
pub async fn explain(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<serde_json::Value>> {
    auth.require("decide")?;
    if let Some((batch, index)) = id.split_once(':') {
        auth.service_wide()?;
        let batch: EventId = parse_id(batch, "batch")?;
        let index: u64 = index.parse().map_err(|_| {
            ApiError::bad_request("BAD_ID", "a batch decision id is `<batch_id>:<index>`")
        })?;
        return Ok(Json(
            st.steward().explain_batch_decision(batch, index).await?,
        ));
    }
    let event: EventId = parse_id(&id, "decision")?;
    let v = st.steward().explain_decision(event).await?;
    if v.get("op").and_then(|o| o.as_str()) == Some("decide_batch") {
        return Err(ApiError::not_found("decision"));
    }
    if auth.key.account.is_some() {
        let subject = v
            .get("subject_id")
            .and_then(|s| s.as_str())
            .and_then(|s| s.parse::<SubjectId>().ok())
            .ok_or_else(|| ApiError::not_found("decision"))?;
        auth.access(&st, subject, AdminPermission::ViewPi)
            .await
            .map_err(|_| ApiError::not_found("decision"))?;
    }
    Ok(Json(v))
}
