//! Authentication and authorization: API keys with scopes, per-key rate limits, and the
//! account limit of account administrators' keys (ADMIN-*).
//!
//! A request presents `Authorization: Bearer stw_…` (or `X-API-Key: stw_…`). Every refusal of
//! a key — missing, malformed, unknown, revoked — is the same 401, so the answer does not tell
//! which keys exist. Scopes: `decide`, `write`, `read_pii`, `choices`, `dsr`, `events`,
//! `aggregates`, `security`, `cases` (the privacy team's case files: incidents, complaints),
//! `mail` (one-click unsubscribe links only), `admin` (which implies the others; `events` only pushes usage
//! events, `aggregates` only reads k-anonymous aggregates, `security` reads the log-in
//! security log). A key limited to an account must name the acting person in
//! `X-Steward-Actor: <subject id>`; it reaches only that person's own data and, with an active
//! grant, the account holder's (see `Steward::account_access`). Anything else is 404, the
//! same as a subject that does not exist.
//!
//! The scope a route needs is checked when the key is ([`route_scope`]), before the path,
//! query or body are read: a key without the scope learns nothing about what the endpoint
//! expects (a 422 naming the fields would tell it). Handlers check it again.

use std::sync::Arc;
use steward_errors::ErrorCode;

use axum::extract::{FromRequestParts, MatchedPath};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, StatusCode, header};
use steward_core::Caller;
use steward_core::apikeys::{AuthError, has_scope};
use steward_store::ids::SubjectId;
use steward_store::model::account::AdminPermission;
use steward_store::model::apikey::ApiKeyRecord;

use crate::problem::ApiError;
use crate::state::AppState;

/// The header naming the person acting through an account-limited key.
pub const ACTOR_HEADER: &str = "x-steward-actor";

/// The scope a route needs, by method and route template, for every route whose handler
/// starts by requiring one scope (the others — public routes, `POST /v1/requests` with an
/// optional key, the policy reads — are not listed). The tests check each entry against the
/// handler: a key with exactly this scope is never refused for lack of scope, a key without it
/// always is.
#[must_use]
pub fn route_scope(method: &Method, route: &str) -> Option<&'static str> {
    let m = method.as_str();
    Some(match (m, route) {
        ("POST", "/v1/decisions" | "/v1/decisions/batch" | "/v1/datasets/{id}/use")
        | ("GET", "/v1/decisions/{id}" | "/v1/subjects/{id}/signals" | "/v1/signals") => "decide",
        ("POST", "/v1/events") => "events",
        (
            "POST",
            "/v1/subjects"
            | "/v1/subjects/{id}/identities"
            | "/v1/items"
            | "/v1/disclosures"
            | "/v1/accounts"
            | "/v1/accounts/{id}/members"
            | "/v1/accounts/{id}/agreements"
            | "/v1/accounts/{id}/carriers"
            | "/v1/accounts/{id}/carriers/{selection_id}/withdraw"
            | "/v1/accounts/{id}/grants"
            | "/v1/accounts/{id}/grants/{grant_id}/revoke"
            | "/v1/logins"
            | "/v1/subjects/{id}/location"
            | "/v1/usps/scans"
            | "/v1/chat/transcripts"
            | "/v1/tickets/{ticket}/close"
            | "/v1/subjects/{id}/lifecycle"
            | "/v1/surveys/check"
            | "/v1/surveys/answers",
        )
        | ("PATCH", "/v1/subjects/{id}") => "write",
        ("POST", "/v1/subjects/lookup")
        | (
            "GET",
            "/v1/subjects/{id}"
            | "/v1/subjects/{id}/items"
            | "/v1/subjects/{id}/disclosures"
            | "/v1/items/{id}"
            | "/v1/accounts/{id}"
            | "/v1/accounts/{id}/agreements"
            | "/v1/accounts/{id}/carriers"
            | "/v1/accounts/{id}/grants"
            | "/v1/subjects/{id}/location"
            | "/v1/usps/packages/{pic}"
            | "/v1/subjects/{id}/usps-scans"
            | "/v1/subjects/{id}/lifecycle",
        ) => "read_pii",
        (
            "POST",
            "/v1/choices"
            | "/v1/choices/withdraw"
            | "/v1/subjects/{id}/change-of-control"
            | "/v1/subjects/{id}/change-of-control/{notice_id}/delivered"
            | "/v1/subjects/{id}/change-of-control/{notice_id}/answer",
        )
        | (
            "GET",
            "/v1/subjects/{id}/choices"
            | "/v1/subjects/{id}/choices/ledger"
            | "/v1/subjects/{id}/policy-notices"
            | "/v1/subjects/{id}/change-of-control",
        ) => "choices",
        ("GET", "/v1/events/aggregate" | "/v1/usps/aggregate") => "aggregates",
        ("GET", "/v1/subjects/{id}/logins") => "security",
        (
            "POST",
            "/v1/subjects/{id}/unsubscribe-link"
            | "/v1/subjects/{id}/policy-notices/{version}/sent",
        ) => "mail",
        (
            "GET",
            "/v1/incidents"
            | "/v1/incidents/{id}"
            | "/v1/incidents/{id}/affected"
            | "/v1/complaints"
            | "/v1/complaints/{id}"
            | "/v1/complaints/{id}/text"
            | "/v1/legal-requests"
            | "/v1/legal-requests/report"
            | "/v1/legal-requests/{id}",
        )
        | (
            "POST",
            "/v1/legal-requests"
            | "/v1/legal-requests/{id}/review"
            | "/v1/legal-requests/{id}/disclose"
            | "/v1/complaints"
            | "/v1/complaints/{id}/respond"
            | "/v1/complaints/{id}/resolve"
            | "/v1/complaints/{id}/escalate"
            | "/v1/incidents"
            | "/v1/incidents/{id}/assess"
            | "/v1/incidents/{id}/notices/{notice_id}/sent"
            | "/v1/incidents/{id}/close"
            | "/v1/incidents/{id}/affected/compute"
            | "/v1/incidents/{id}/notify-people",
        ) => "cases",
        (
            "GET",
            "/v1/requests"
            | "/v1/requests/alerts"
            | "/v1/requests/metrics"
            | "/v1/requests/dead-letters"
            | "/v1/requests/{id}"
            | "/v1/requests/{id}/receipt"
            | "/v1/requests/{id}/report",
        )
        | (
            "POST",
            "/v1/requests/deliveries/{id}/requeue"
            | "/v1/requests/{id}/approve"
            | "/v1/requests/{id}/run"
            | "/v1/requests/{id}/extend"
            | "/v1/requests/{id}/deny"
            | "/v1/requests/{id}/forward"
            | "/v1/requests/{id}/more-information"
            | "/v1/requests/{id}/agent-permission",
        ) => "dsr",
        ("GET", "/v1/audit" | "/v1/keys" | "/v1/policy/tests" | "/v1/connectors")
        | (
            "POST",
            "/v1/audit/verify"
            | "/v1/keys"
            | "/v1/datasets"
            | "/v1/retention/run"
            | "/v1/policy/versions/{version}/notices"
            | "/v1/subjects/{id}/holds",
        )
        | ("PUT", "/v1/connectors/datasets/{name}" | "/v1/connectors/webhooks/{name}")
        | ("DELETE", "/v1/keys/{id}" | "/v1/connectors/{name}" | "/v1/holds/{id}") => "admin",
        _ => return None,
    })
}

/// A second scope a route needs besides [`route_scope`]'s, checked the same way before the
/// request is read: reading what a person lodged with a complaint is both the privacy team's
/// case work (`cases`) and a read of personal data (`read_pii`).
#[must_use]
pub fn route_extra_scope(method: &Method, route: &str) -> Option<&'static str> {
    match (method.as_str(), route) {
        ("GET", "/v1/complaints/{id}/text") => Some("read_pii"),
        _ => None,
    }
}

/// An authenticated request.
#[derive(Debug, Clone)]
pub struct Auth {
    /// The key's record.
    pub key: Arc<ApiKeyRecord>,
    /// The acting person, for account-limited keys.
    pub actor: Option<SubjectId>,
}

fn presented(headers: &HeaderMap) -> Option<&str> {
    if let Some(v) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    {
        let v = v.trim();
        if let (Some(scheme), Some(rest)) = (v.get(..7), v.get(7..))
            && scheme.eq_ignore_ascii_case("bearer ")
        {
            return Some(rest.trim());
        }
        return None;
    }
    headers
        .get("x-api-key")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
}

impl Auth {
    /// Refuse unless the key holds `scope` (`admin` holds all).
    ///
    /// # Errors
    /// 403 `MISSING_SCOPE`.
    pub fn require(&self, scope: &str) -> Result<(), ApiError> {
        if has_scope(&self.key, scope) {
            Ok(())
        } else {
            Err(ApiError::missing_scope(scope))
        }
    }

    /// Refuse account-limited keys (for service-wide operations).
    ///
    /// # Errors
    /// 403 `ACCOUNT_KEY`.
    pub fn service_wide(&self) -> Result<(), ApiError> {
        if self.key.account.is_some() {
            Err(ApiError::new(
                StatusCode::FORBIDDEN,
                ErrorCode::AccountKey,
                "this operation needs a key that is not limited to an account",
            ))
        } else {
            Ok(())
        }
    }

    /// The caller for service-wide operations (the key's name in the audit log).
    #[must_use]
    pub fn caller(&self) -> Caller {
        match (self.key.account, self.actor) {
            (Some(_), Some(actor)) => Caller::Subject(actor),
            _ => Caller::Service(self.key.name.as_str().to_string()),
        }
    }

    /// The caller for an operation on `target`'s data needing `need`: any subject for a
    /// service-wide key; for an account-limited key, the access check of ADMIN-*.
    ///
    /// # Errors
    /// 404 for a subject the key may not reach, 400 `ACTOR_REQUIRED` without an actor.
    pub async fn access(
        &self,
        state: &AppState,
        target: SubjectId,
        need: AdminPermission,
    ) -> Result<Caller, ApiError> {
        let Some(account) = self.key.account else {
            return Ok(self.caller());
        };
        let actor = self.actor.ok_or_else(|| {
            ApiError::bad_request(
                ErrorCode::ActorRequired,
                "a key limited to an account must name the acting person in `X-Steward-Actor`",
            )
        })?;
        Ok(state
            .steward()
            .account_access(account, actor, target, need)
            .await?)
    }
}

impl FromRequestParts<AppState> for Auth {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let metrics = state.metrics();
        let Some(key) = presented(&parts.headers) else {
            metrics
                .auth_failures
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            return Err(ApiError::unauthorized());
        };
        let record = match state.keys().authenticate(key).await {
            Ok(r) => r,
            Err(AuthError::Unavailable(e)) => return Err(e.into()),
            Err(AuthError::Malformed | AuthError::Unknown | AuthError::Revoked) => {
                metrics
                    .auth_failures
                    .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                return Err(ApiError::unauthorized());
            }
        };
        if let Some(rate) = record.rate_per_sec.or(state.config().default_rate_per_sec)
            && let Err(wait) = state
                .0
                .limiter
                .check(record.id, rate, state.steward().clock().now())
        {
            metrics
                .rate_limited
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let mut e = ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                ErrorCode::RateLimited,
                format!("this key may make {rate} requests per second"),
            );
            e.retry_after = Some(wait);
            return Err(e);
        }
        // The route's scope before anything else of the request is read (see `route_scope`).
        if let Some(route) = parts.extensions.get::<MatchedPath>() {
            for scope in [
                route_scope(&parts.method, route.as_str()),
                route_extra_scope(&parts.method, route.as_str()),
            ]
            .into_iter()
            .flatten()
            {
                if !has_scope(&record, scope) {
                    return Err(ApiError::missing_scope(scope));
                }
            }
        }
        let actor = match parts.headers.get(ACTOR_HEADER) {
            None => None,
            Some(v) => Some(
                v.to_str()
                    .ok()
                    .and_then(|s| s.trim().parse::<SubjectId>().ok())
                    .ok_or_else(|| {
                        ApiError::bad_request(
                            ErrorCode::BadActor,
                            "`X-Steward-Actor` must be a subject id",
                        )
                    })?,
            ),
        };
        Ok(Auth { key: record, actor })
    }
}

/// An optional authentication, for routes that are public without a key and staff routes
/// with one (`POST /v1/requests`): no key → `None`; a key → it must be valid (the same 401
/// as everywhere for a bad one).
#[derive(Debug, Clone)]
pub struct MaybeAuth(pub Option<Auth>);

impl FromRequestParts<AppState> for MaybeAuth {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let has_key = parts.headers.contains_key(header::AUTHORIZATION)
            || parts.headers.contains_key("x-api-key");
        if !has_key {
            return Ok(MaybeAuth(None));
        }
        Auth::from_request_parts(parts, state)
            .await
            .map(|a| MaybeAuth(Some(a)))
    }
}

/// Whether the request carries `Sec-GPC: 1` (GPC-01).
#[must_use]
pub fn gpc(headers: &HeaderMap) -> bool {
    steward_signals::parse_sec_gpc(
        headers
            .get_all(steward_signals::gpc::SEC_GPC_HEADER)
            .iter()
            .map(axum::http::HeaderValue::as_bytes),
    )
    .is_on()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_read_from_either_header() {
        let mut h = HeaderMap::new();
        assert_eq!(presented(&h), None);
        h.insert("x-api-key", "stw_x".parse().unwrap());
        assert_eq!(presented(&h), Some("stw_x"));
        h.insert(header::AUTHORIZATION, "bearer  stw_y ".parse().unwrap());
        assert_eq!(presented(&h), Some("stw_y"));
        h.insert(header::AUTHORIZATION, "Basic abc".parse().unwrap());
        assert_eq!(presented(&h), None);
    }

    #[test]
    fn gpc_01_only_exactly_one() {
        let mut h = HeaderMap::new();
        assert!(!gpc(&h));
        h.append("sec-gpc", "0".parse().unwrap());
        assert!(!gpc(&h));
        h.append("sec-gpc", " 1".parse().unwrap());
        assert!(gpc(&h));
    }
}
