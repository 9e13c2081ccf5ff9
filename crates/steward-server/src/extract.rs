//! Extractors that answer bad input with problem documents: JSON bodies (malformed →
//! 400 `BAD_JSON`, wrong or unknown fields → 422 `INVALID_BODY`, too large → 413
//! `BODY_TOO_LARGE`, not JSON → 415 `UNSUPPORTED_MEDIA_TYPE`), path and query parameters
//! (400 `BAD_PATH` / `BAD_QUERY`), and ids (400 `BAD_ID`).
//!
//! [`Json`] is both the body extractor and the JSON answer. It is named `Json` on purpose:
//! `#[utoipa::path]` (feature `axum_extras`) documents an operation's request body from its
//! handler's `Json<T>` argument, so the schema in `/openapi.json` is the type the handler
//! decodes — no `request_body = …` to keep in step by hand.

use std::str::FromStr;
use steward_errors::ErrorCode;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{FromRequest, FromRequestParts, Path, Query, Request};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use serde::de::DeserializeOwned;

use crate::problem::ApiError;

/// A JSON body (`application/json`), decoded strictly; as an answer, `T` serialized with
/// `Content-Type: application/json`.
#[derive(Debug, Clone)]
pub struct Json<T>(pub T);

impl<T: serde::Serialize> axum::response::IntoResponse for Json<T> {
    fn into_response(self) -> axum::response::Response {
        axum::Json(self.0).into_response()
    }
}

/// Whether the request says its body is JSON (`application/json` or `…+json`).
pub fn is_json(parts_headers: &axum::http::HeaderMap) -> bool {
    parts_headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|m| {
            let m = m.trim().to_ascii_lowercase();
            m == "application/json" || (m.starts_with("application/") && m.ends_with("+json"))
        })
        .unwrap_or(false)
}

/// Read a JSON request body as bytes (content type and size checked).
///
/// # Errors
/// 415 when the body is not declared JSON, 413 when it is over the route's limit.
pub async fn json_bytes<S: Send + Sync>(req: Request, state: &S) -> Result<Bytes, ApiError> {
    if !is_json(req.headers()) {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorCode::UnsupportedMediaType,
            "send the body as `Content-Type: application/json`",
        ));
    }
    Bytes::from_request(req, state)
        .await
        .map_err(bytes_rejection)
}

fn bytes_rejection(r: BytesRejection) -> ApiError {
    if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            ErrorCode::BodyTooLarge,
            "the request body is larger than this endpoint accepts",
        )
    } else {
        ApiError::bad_request(ErrorCode::BadBody, "the request body could not be read")
    }
}

/// Decode JSON bytes strictly.
///
/// # Errors
/// 400 `BAD_JSON` for malformed JSON, 422 `INVALID_BODY` for a body of the wrong shape.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    require_object(bytes)?;
    serde_json::from_slice(bytes).map_err(json_error)
}

/// Every request body is a JSON object (serde would otherwise also read a struct from an
/// array of its fields).
///
/// # Errors
/// 400 `BAD_JSON` for malformed JSON, 422 `INVALID_BODY` for valid JSON that is not an object.
pub fn require_object(bytes: &[u8]) -> Result<(), ApiError> {
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{') {
        return Ok(());
    }
    match serde_json::from_slice::<serde::de::IgnoredAny>(bytes) {
        Err(e) => Err(json_error(e)),
        Ok(_) => Err(ApiError::invalid(
            ErrorCode::InvalidBody,
            "the body must be a JSON object",
        )),
    }
}

/// Classify a decoding error: malformed JSON is 400, the wrong shape 422.
pub fn json_error(e: serde_json::Error) -> ApiError {
    use serde_json::error::Category;
    match e.classify() {
        Category::Syntax | Category::Eof | Category::Io => ApiError::bad_request(
            ErrorCode::BadJson,
            format!("the body is not valid JSON: {e}"),
        ),
        Category::Data => ApiError::invalid(
            ErrorCode::InvalidBody,
            format!("the body does not fit: {e}"),
        ),
    }
}

impl<T, S> FromRequest<S> for Json<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = json_bytes(req, state).await?;
        parse_json(&bytes).map(Json)
    }
}

/// Path parameters.
#[derive(Debug, Clone)]
pub struct ApiPath<T>(pub T);

impl<T, S> FromRequestParts<S> for ApiPath<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Path::<T>::from_request_parts(parts, state)
            .await
            .map(|Path(v)| ApiPath(v))
            .map_err(|r| ApiError::bad_request(ErrorCode::BadPath, r.body_text()))
    }
}

/// Query parameters (unknown parameters are refused where the type says so).
#[derive(Debug, Clone)]
pub struct ApiQuery<T>(pub T);

impl<T, S> FromRequestParts<S> for ApiQuery<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        // An empty value (`?state=&limit=10`, as HTML forms send blank fields) means the
        // parameter is absent, never "the empty string".
        let filtered = parts
            .uri
            .query()
            .unwrap_or("")
            .split('&')
            .filter(|pair| {
                matches!(pair.split_once('='), Some((k, v)) if !k.is_empty() && !v.is_empty())
                    || (!pair.is_empty() && !pair.contains('='))
            })
            .collect::<Vec<_>>()
            .join("&");
        let uri: axum::http::Uri = format!("/?{filtered}").parse().map_err(|_| {
            ApiError::bad_request(ErrorCode::BadQuery, "the query string is malformed")
        })?;
        Query::<T>::try_from_uri(&uri)
            .map(|Query(v)| ApiQuery(v))
            .map_err(|r| ApiError::bad_request(ErrorCode::BadQuery, r.body_text()))
    }
}

/// Parse an id from a path or body.
///
/// # Errors
/// 400 `BAD_ID`.
pub fn parse_id<T: FromStr>(raw: &str, what: &str) -> Result<T, ApiError> {
    raw.parse::<T>().map_err(|_| {
        ApiError::bad_request(
            ErrorCode::BadId,
            format!(
                "`{}` is not a valid {what} id (a UUID)",
                raw.chars().take(80).collect::<String>()
            ),
        )
    })
}
