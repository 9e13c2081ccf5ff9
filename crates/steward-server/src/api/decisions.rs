//! Decisions: single (`POST /v1/decisions`), batch (`POST /v1/decisions/batch`, thousands
//! per call) and explain (`GET /v1/decisions/{id}`), in the decision JSON of
//! `docs/decisions.md`. Every decision is audited with an id; a deny is an answer (200 with
//! `allow: false`), not an error.

use std::borrow::Cow;
use std::collections::HashSet;
use steward_errors::ErrorCode;

use axum::body::Bytes;
use axum::extract::{Request as HttpRequest, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::value::RawValue;
use steward_api::decisions::{
    BatchAudit, BatchError, BatchExplanation, BatchIn, BatchItem, BatchOut, BatchSummary,
    DecisionOut, DecisionRequest, ErrorBody, ExplainOut, Explanation, IndexedDecision,
};
use steward_core::Caller;
use steward_core::choices::ChoiceParty;
use steward_policy::wire::Request;
use steward_store::ids::{EventId, SubjectId};
use steward_store::model::account::AdminPermission;
use steward_store::values::Digest;

use crate::auth::{Auth, gpc};
use crate::extract::{ApiPath, Json, json_bytes, json_error, parse_id, require_object};
use crate::problem::{ApiError, ApiResult};
use crate::state::AppState;

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
    params(("Sec-GPC" = Option<String>, Header, description = "`1`: the subject's browser sent GPC")),
    responses((status = 200, description = "The decision, with its audited `decision_id`", body = DecisionOut)))]
pub async fn decide(
    State(st): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    Json(DecisionRequest(request)): Json<DecisionRequest>,
) -> ApiResult<Response> {
    auth.require("decide")?;
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
    st.metrics().decision_text(d.reason(), d.allow, 1);
    Ok(Json(DecisionOut::from(&d)).into_response())
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
pub fn parse_batch(bytes: &[u8]) -> Result<BatchIn<'_>, ApiError> {
    require_object(bytes)?;
    serde_json::from_slice(bytes).map_err(json_error)
}

/// Decide many requests in one call (up to the configured maximum, 100 000 by default).
// The body is read raw so each request of `requests` is decoded on its own (and not copied):
// the documented body is `BatchIn`, the type `parse_batch` decodes.
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
    let template = body.template.map(|t| t.0);
    let (raws, template, subjects): (Vec<&RawValue>, Option<Request>, Vec<Cow<'_, str>>) =
        match (body.requests, template, body.subjects) {
            (Some(r), None, None) => (r, None, Vec::new()),
            (Some(r), None, Some(s)) if s.is_empty() => (r, None, Vec::new()),
            (None, Some(t), Some(s)) => (Vec::new(), Some(t), s),
            (Some(r), Some(t), Some(s)) if r.is_empty() => (Vec::new(), Some(t), s),
            _ => {
                return Err(ApiError::invalid(
                    ErrorCode::BatchForm,
                    "give either `requests`, or `template` and `subjects`",
                ));
            }
        };
    let n = raws.len().max(subjects.len());
    let max = st.config().batch_max;
    if n > max {
        return Err(ApiError::invalid(
            ErrorCode::BatchTooLarge,
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
                metrics.decision_text(code, *allow, *n);
            }
            // The fields after `decisions` are the `BatchSummary` object without its `{`.
            let summary = BatchSummary {
                batch_id: Some(out.batch_id.to_string()),
                audit: BatchAudit::Batch,
                audit_seq: Some(out.audit_seq.get()),
                count: out.count,
                allowed: out.allowed,
                denied: out.denied,
                errors: out.errors,
                decisions_sha256: Some(out.decisions_sha256.to_hex()),
            };
            let tail = serde_json::to_vec(&summary)
                .map_err(|_| ApiError::internal("a batch summary does not serialize"))?;
            buf.push(b',');
            let tail = tail.get(1..).unwrap_or_default();
            buf.extend_from_slice(tail);
            Ok(json_response(buf))
        }
        BatchAudit::Each => {
            let mut slots: Vec<Option<Result<usize, BatchError>>> = vec![None; n];
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
                            ErrorCode::TemplateNamesASubject,
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
            let error = |i: usize, code: ErrorCode, message: String| BatchError {
                index: i as u64,
                id: None,
                error: ErrorBody {
                    code: code.as_str().to_string(),
                    message,
                },
            };
            for (i, r) in parsed.into_iter().enumerate() {
                let r = match r {
                    Ok(r) => r,
                    Err(e) => {
                        slots[i] = Some(Err(error(i, ErrorCode::BadJson, e)));
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
                    slots[i] = Some(Err(error(
                        i,
                        ErrorCode::NotFound,
                        "subject not found".into(),
                    )));
                } else {
                    index.push(i);
                    asked.push(r);
                }
            }
            let answers = st.steward().decide_batch(&caller, asked).await?;
            for (k, (i, a)) in index.into_iter().zip(&answers).enumerate() {
                slots[i] = Some(match a {
                    Ok(_) => Ok(k),
                    Err(u) => Err(error(i, u.code, u.message.clone())),
                });
            }
            let (mut allowed, mut denied, mut errors) = (0u64, 0u64, 0u64);
            let mut decisions = Vec::with_capacity(n);
            for (i, slot) in slots.into_iter().enumerate() {
                let item = match slot.map(|s| s.map(|k| answers.get(k))) {
                    Some(Ok(Some(Ok(d)))) => {
                        if d.allow {
                            allowed += 1;
                        } else {
                            denied += 1;
                        }
                        if d.decision().is_some() {
                            metrics.decision_text(d.reason(), d.allow, 1);
                        }
                        BatchItem::Decided(IndexedDecision {
                            index: i as u64,
                            answer: DecisionOut::from(d),
                        })
                    }
                    Some(Err(e)) => {
                        errors += 1;
                        BatchItem::Error(e)
                    }
                    // INVARIANT: every slot was filled above.
                    _ => {
                        errors += 1;
                        BatchItem::Error(error(i, ErrorCode::Internal, "not answered".into()))
                    }
                };
                decisions.push(item);
            }
            metrics
                .batch_decisions
                .fetch_add(n as u64, std::sync::atomic::Ordering::Relaxed);
            let out = BatchOut {
                decisions,
                summary: BatchSummary {
                    batch_id: None,
                    audit: BatchAudit::Each,
                    audit_seq: None,
                    count: n as u64,
                    allowed,
                    denied,
                    errors,
                    decisions_sha256: None,
                },
            };
            let body = serde_json::to_vec(&out)
                .map_err(|_| ApiError::internal("a batch does not serialize"))?;
            Ok(json_response(body))
        }
    }
}

/// Explain a past decision (AUD-07): its recorded inputs, outcome, requirement ids and, for a
/// stored subject, the DEC-00 path replayed from the ledger as it was then. A batch decision
/// id (`<batch_id>:<index>`) is answered with its batch's audit entry.
#[utoipa::path(get, path = "/v1/decisions/{id}", tag = "decisions",
    params(("id" = String, Path, pattern = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(:[0-9]{1,9})?$", description = "Decision id (a UUID, or `<batch_id>:<index>`)")),
    responses((status = 200, description = "The explanation", body = ExplainOut)))]
pub async fn explain(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<ExplainOut>> {
    auth.require("decide")?;
    if let Some((batch, index)) = id.split_once(':') {
        auth.service_wide()?;
        let batch: EventId = parse_id(batch, "batch")?;
        let index: u64 = index.parse().map_err(|_| {
            ApiError::bad_request(
                ErrorCode::BadId,
                "a batch decision id is `<batch_id>:<index>`",
            )
        })?;
        let b = st.steward().explain_batch_decision(batch, index).await?;
        return Ok(Json(ExplainOut::Batch(BatchExplanation::from(&b))));
    }
    let event: EventId = parse_id(&id, "decision")?;
    let x = st.steward().explain_decision(event).await?;
    let e = &x.entry.event;
    if e.action.as_str() == "decide_batch" {
        return Err(ApiError::not_found("decision"));
    }
    if auth.key.account.is_some() {
        let subject = e.subject.ok_or_else(|| ApiError::not_found("decision"))?;
        auth.access(&st, subject, AdminPermission::ViewPi)
            .await
            .map_err(|_| ApiError::not_found("decision"))?;
    }
    Ok(Json(ExplainOut::Decision(Explanation::from(&x))))
}
