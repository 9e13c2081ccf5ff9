//! A tower layer that asks Steward before a handler uses or discloses personal data (feature
//! `tower`): for axum, hyper, tonic or any tower service.
//!
//! For each incoming request, a function of yours says what the handler is about to do — a
//! decision request (`can_disclose` these categories of this subject to this recipient for
//! this purpose, `can_use` …) — or `None` when the route touches no personal data. The layer
//! then:
//!
//! - **projects** a disclosure refused only because some categories may not go
//!   (`CATEGORY_EXCLUDED` with `allowed` categories): it asks again for just the allowed ones,
//!   and that second decision — with its own obligations — is the one the handler runs under;
//! - **refuses** a denied request with `403` and a problem document (`code` `DENIED`) that
//!   carries the reason, the clause and the whole decision; the handler never runs;
//! - **allows** the others: the handler finds the decision in the request's extensions as a
//!   [`Permit`] (to avoid even loading what may not go), and the layer applies the projection
//!   to the JSON the handler answers — every object member named after a category the
//!   decision excluded or redacts is dropped, at any depth — and names the decision in a
//!   `Steward-Decision` header;
//! - **fails closed**: when Steward cannot be asked, `503` `STEWARD_UNAVAILABLE`; when
//!   categories must be dropped from an answer that is not JSON, `500`
//!   `UNPROJECTABLE_RESPONSE` (the layer cannot drop what it cannot read).
//!
//! ```no_run
//! # fn demo(steward: steward_client::Client) {
//! use axum::{Router, routing::get};
//! use steward_client::layer::StewardLayer;
//! use steward_client::wire::{Op, Request, SubjectFacts};
//!
//! let guard = StewardLayer::new(steward, |parts| {
//!     // GET /customers/{id}/mailing-label is shared with the mailing partner MP1.
//!     let id = parts.uri.path().strip_prefix("/customers/")?.strip_suffix("/mailing-label")?;
//!     Some(Request {
//!         op: Some(Op::CanDisclose),
//!         subject: SubjectFacts { id: Some(id.to_string()), ..SubjectFacts::default() },
//!         categories: vec!["name".into(), "postal_address".into(), "email".into()],
//!         recipient: Some("MP1".into()),
//!         purpose: Some("third_party_promotional_mail".into()),
//!         ..Request::default()
//!     })
//! });
//! let app: Router = Router::new()
//!     .route("/customers/{id}/mailing-label", get(|| async { "…" }))
//!     .layer(guard);
//! # }
//! ```

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use http_body_util::combinators::UnsyncBoxBody;
use http_body_util::{BodyExt, Full};
use hyper::body::{Body, Bytes};
use hyper::header::{CONTENT_LENGTH, CONTENT_TYPE, HeaderValue};
use hyper::http::request::Parts;
use hyper::{Request, Response, StatusCode};
use serde_json::Value;
use steward_api::Problem;
use steward_api::decisions::Decision;
use steward_policy::wire;
use tower::{Layer, Service};

use crate::Client;

/// A boxed error of a response body.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// The body of a guarded service's answers.
pub type GuardedBody = UnsyncBoxBody<Bytes, BoxError>;

/// The header naming the decision an answer went out under.
pub const DECISION_HEADER: &str = "steward-decision";

type Ask = dyn Fn(&Parts) -> Option<wire::Request> + Send + Sync;

/// The decision a guarded handler runs under (in the request's extensions).
#[derive(Debug, Clone)]
pub struct Permit {
    decision: Arc<Decision>,
    dropped: Arc<[String]>,
}

impl Permit {
    /// Whether `category` may be used or go out under this decision.
    #[must_use]
    pub fn allows(&self, category: &str) -> bool {
        self.decision.allow && !self.dropped.iter().any(|c| c == category)
    }

    /// The categories dropped from the answer (excluded by the first decision, redacted by
    /// the obligations of the one in force).
    #[must_use]
    pub fn dropped(&self) -> &[String] {
        &self.dropped
    }

    /// The decision in force (an allow).
    #[must_use]
    pub fn decision(&self) -> &Decision {
        &self.decision
    }
}

/// The layer: see the module docs.
#[derive(Clone)]
pub struct StewardLayer {
    client: Client,
    ask: Arc<Ask>,
}

impl std::fmt::Debug for StewardLayer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StewardLayer")
            .field("client", &self.client)
            .finish_non_exhaustive()
    }
}

impl StewardLayer {
    /// Guard with `client`; `ask` turns an incoming request into the decision to ask for, or
    /// `None` when the route touches no personal data.
    pub fn new<F>(client: Client, ask: F) -> StewardLayer
    where
        F: Fn(&Parts) -> Option<wire::Request> + Send + Sync + 'static,
    {
        StewardLayer {
            client,
            ask: Arc::new(ask),
        }
    }
}

impl<S> Layer<S> for StewardLayer {
    type Service = Guarded<S>;

    fn layer(&self, inner: S) -> Guarded<S> {
        Guarded {
            inner,
            client: self.client.clone(),
            ask: self.ask.clone(),
        }
    }
}

/// A service guarded by [`StewardLayer`].
#[derive(Clone)]
pub struct Guarded<S> {
    inner: S,
    client: Client,
    ask: Arc<Ask>,
}

impl<S> std::fmt::Debug for Guarded<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Guarded").finish_non_exhaustive()
    }
}

impl<S, ReqBody, ResBody> Service<Request<ReqBody>> for Guarded<S>
where
    S: Service<Request<ReqBody>, Response = Response<ResBody>> + Clone + Send + 'static,
    S::Future: Send + 'static,
    S::Error: Send + 'static,
    ReqBody: Send + 'static,
    ResBody: Body<Data = Bytes> + Send + 'static,
    ResBody::Error: Into<BoxError>,
{
    type Response = Response<GuardedBody>;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, S::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request<ReqBody>) -> Self::Future {
        // The service that was polled ready handles this request; a clone takes its place.
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        let (parts, body) = req.into_parts();
        let ask = (self.ask)(&parts);
        let client = self.client.clone();
        Box::pin(async move {
            let Some(ask) = ask else {
                let resp = inner.call(Request::from_parts(parts, body)).await?;
                return Ok(resp.map(|b| b.map_err(Into::into).boxed_unsync()));
            };
            let unavailable = |e: crate::ClientError| {
                problem(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "STEWARD_UNAVAILABLE",
                    "Steward could not be asked",
                    &format!("the privacy decision could not be obtained: {e}"),
                    None,
                )
            };
            let mut decision = match client.decide(&ask).await {
                Ok(d) => d,
                Err(e) => return Ok(unavailable(e)),
            };
            let mut dropped: Vec<String> = Vec::new();
            if let Some(allowed) = decision.projection() {
                // Only some categories may go: ask for just those, and run under that answer.
                dropped.clone_from(&decision.excluded);
                let mut again = ask.clone();
                again.categories = allowed.to_vec();
                decision = match client.decide(&again).await {
                    Ok(d) => d,
                    Err(e) => return Ok(unavailable(e)),
                };
            }
            if !decision.allow {
                return Ok(refusal(&decision));
            }
            for c in decision.dropped_categories() {
                if !dropped.iter().any(|d| d == c) {
                    dropped.push(c.to_string());
                }
            }
            let permit = Permit {
                decision: Arc::new(decision),
                dropped: dropped.into(),
            };
            let mut req = Request::from_parts(parts, body);
            req.extensions_mut().insert(permit.clone());
            let resp = inner.call(req).await?;
            Ok(project(resp, &permit).await)
        })
    }
}

fn boxed(bytes: Vec<u8>) -> GuardedBody {
    Full::new(Bytes::from(bytes))
        .map_err(|never| match never {})
        .boxed_unsync()
}

fn problem(
    status: StatusCode,
    code: &str,
    title: &str,
    detail: &str,
    decision: Option<&Decision>,
) -> Response<GuardedBody> {
    let p = Problem {
        type_uri: format!("urn:steward:problem:{}", code.to_ascii_lowercase()),
        title: title.to_string(),
        status: status.as_u16(),
        detail: detail.to_string(),
        code: code.to_string(),
        decision: decision.and_then(|d| serde_json::value::to_raw_value(d).ok()),
    };
    let body = serde_json::to_vec(&p).unwrap_or_default();
    let mut resp = Response::new(boxed(body));
    *resp.status_mut() = status;
    resp.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("application/problem+json"),
    );
    if let Some(d) = decision
        && let Ok(v) = HeaderValue::from_str(&d.decision_id)
    {
        resp.headers_mut().insert(DECISION_HEADER, v);
    }
    resp
}

/// `403 DENIED` with the reason, the clause and the decision.
fn refusal(d: &Decision) -> Response<GuardedBody> {
    let detail = match &d.detail {
        Some(x) => format!("{} ({x}): {}", d.reason, d.clause),
        None => format!("{}: {}", d.reason, d.clause),
    };
    problem(
        StatusCode::FORBIDDEN,
        "DENIED",
        "Refused by the privacy policy",
        &detail,
        Some(d),
    )
}

/// Drops every object member named after one of `categories`, at any depth.
fn drop_categories(v: &mut Value, categories: &[&str]) {
    match v {
        Value::Object(m) => {
            m.retain(|k, _| !categories.contains(&k.as_str()));
            for x in m.values_mut() {
                drop_categories(x, categories);
            }
        }
        Value::Array(a) => {
            for x in a {
                drop_categories(x, categories);
            }
        }
        _ => {}
    }
}

fn is_json(resp: &Response<impl Body>) -> bool {
    resp.headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
        .is_some_and(|m| m == "application/json" || m.ends_with("+json"))
}

/// The handler's answer under the permit: its JSON without the dropped categories.
async fn project<B>(resp: Response<B>, permit: &Permit) -> Response<GuardedBody>
where
    B: Body<Data = Bytes> + Send + 'static,
    B::Error: Into<BoxError>,
{
    let d = permit.decision();
    let dropped: Vec<&str> = permit.dropped().iter().map(String::as_str).collect();
    let json = is_json(&resp);
    let (mut parts, body) = resp.into_parts();
    if let Ok(v) = HeaderValue::from_str(&d.decision_id) {
        parts.headers.insert(DECISION_HEADER, v);
    }
    if dropped.is_empty() {
        return Response::from_parts(parts, body.map_err(Into::into).boxed_unsync());
    }
    let unprojectable = || {
        problem(
            StatusCode::INTERNAL_SERVER_ERROR,
            "UNPROJECTABLE_RESPONSE",
            "The answer cannot be projected",
            "the decision excludes categories, and the handler's answer is not JSON the guard can drop them from",
            Some(d),
        )
    };
    if !json {
        return unprojectable();
    }
    let Ok(collected) = body.collect().await else {
        return unprojectable();
    };
    let Ok(mut value) = serde_json::from_slice::<Value>(&collected.to_bytes()) else {
        return unprojectable();
    };
    drop_categories(&mut value, &dropped);
    let Ok(bytes) = serde_json::to_vec(&value) else {
        return unprojectable();
    };
    parts.headers.remove(CONTENT_LENGTH);
    Response::from_parts(parts, boxed(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_are_dropped_at_any_depth() {
        let mut v = serde_json::json!({
            "name": "Ada", "email": "a@example.com",
            "orders": [{"id": 1, "email": "x"}], "nested": {"phone": "1"}
        });
        drop_categories(&mut v, &["email", "phone"]);
        assert_eq!(
            v,
            serde_json::json!({"name": "Ada", "orders": [{"id": 1}], "nested": {}})
        );
    }
}
