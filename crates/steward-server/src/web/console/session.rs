//! Console sessions: a member of the privacy team signs in with an API key minted by
//! `steward keys create`; the key is checked the way the API checks it (hashed, looked up,
//! compared in constant time, revocation honoured) and exchanged for a server-side session.
//!
//! - The cookie `__Host-steward-console` holds a random 256-bit token (`Secure`, `HttpOnly`,
//!   `SameSite=Strict`, `Path=/`); the store keeps only its SHA-256, with the key's id, the
//!   browser it was issued to, and its times (`steward_core::sessions`). The key secret is
//!   never kept.
//! - A session ends after [`IDLE`] without use, after [`ABSOLUTE`] in any case, on sign-out,
//!   and at once when its key is revoked or loses every console role (the key record is read
//!   again on every request: ADMIN-05's "on their next request").
//! - Roles are the key's scopes: `dsr` works the request queue, `read_pii` looks subjects up,
//!   `cases` works incidents, complaints and legal requests (the scope their API needs),
//!   `admin` holds every role (and alone reads the audit log).
//! - Every form carries the page's one-time CSRF token (the web layer's [`CsrfForm`], bound to
//!   the browser cookie, which the session is also bound to).
//!
//! Sessions live in the store: they survive a restart, and every replica sharing the store
//! accepts them (no sticky sessions needed); a sign-out ends them everywhere.
//!
//! [`CsrfForm`]: crate::web::security::CsrfForm

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use jiff::SignedDuration;
use steward_core::Caller;
use steward_core::apikeys::{AuthError, has_scope};
use steward_core::sessions::{SessionLimits, SessionOwner};
use steward_store::ids::ApiKeyId;
use steward_store::model::apikey::ApiKeyRecord;
use steward_store::model::session::SessionKind;

use crate::state::AppState;
use crate::web::Web;
use crate::web::layout::WebError;
use crate::web::security::{Browser, cookie};

/// The session cookie.
pub const COOKIE: &str = "__Host-steward-console";
/// A session ends after this long without a request.
pub const IDLE: SignedDuration = SignedDuration::from_mins(30);
/// A session ends this long after sign-in whatever happens.
pub const ABSOLUTE: SignedDuration = SignedDuration::from_hours(8);

/// A console role, held through the key's scopes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Any console role: dashboard, data map, policy.
    Staff,
    /// `dsr`: the request queue and its actions.
    Dsr,
    /// `read_pii`: subject lookup, choices, disclosures.
    ReadPii,
    /// `admin`: the audit log.
    Admin,
    /// `cases`: incidents, breaches and complaints.
    Cases,
}

impl Role {
    /// The scope name shown on a "not allowed" page.
    #[must_use]
    pub fn scope(self) -> &'static str {
        match self {
            Role::Staff => "dsr, read_pii, cases or admin",
            Role::Dsr => "dsr",
            Role::ReadPii => "read_pii",
            Role::Admin => "admin",
            Role::Cases => "cases",
        }
    }
}

/// Whether a key holds `role`.
#[must_use]
pub fn holds(key: &ApiKeyRecord, role: Role) -> bool {
    match role {
        Role::Staff => ["dsr", "read_pii", "cases", "admin"]
            .iter()
            .any(|s| has_scope(key, s)),
        Role::Dsr => has_scope(key, "dsr"),
        Role::ReadPii => has_scope(key, "read_pii"),
        Role::Admin => has_scope(key, "admin"),
        Role::Cases => has_scope(key, "cases"),
    }
}

/// Console sessions, kept in the store (`steward_core::sessions`, kind `console`): they
/// survive a restart, work on every replica sharing the store, and end everywhere at sign-out.
#[derive(Debug, Default)]
pub struct Sessions;

impl Sessions {
    /// Starts a session for `key` in `browser`; returns the cookie token.
    ///
    /// # Errors
    /// Store failures.
    pub async fn start(
        &self,
        state: &AppState,
        key: ApiKeyId,
        browser: &Browser,
    ) -> Result<String, WebError> {
        let token = state
            .steward()
            .start_session(
                SessionKind::Console,
                SessionOwner::ApiKey(key),
                browser.id(),
                SessionLimits {
                    lifetime: ABSOLUTE,
                    idle: Some(IDLE),
                },
            )
            .await?;
        Ok(token.expose().clone())
    }

    /// The key of a live session opened in `browser` (recording the use), or `None`.
    async fn touch(
        &self,
        state: &AppState,
        token: &str,
        browser: &Browser,
    ) -> Result<Option<ApiKeyId>, WebError> {
        Ok(state
            .steward()
            .session(SessionKind::Console, token, browser.id())
            .await?
            .and_then(|s| s.api_key))
    }

    /// Ends the session of `token` (audited as `console.sign_out` when it was live).
    pub async fn end(&self, state: &AppState, caller: &Caller, token: &str) {
        if let Err(e) = state.steward().end_session(caller, token).await {
            tracing::warn!(error = %e, "console session not ended");
        }
    }
}

/// A signed-in member of the privacy team, for a handler.
#[derive(Debug, Clone)]
pub struct Staff {
    /// The key they signed in with (read again on this request).
    pub key: ApiKeyRecord,
    /// The browser.
    pub browser: Browser,
    /// The web layer.
    pub web: Arc<Web>,
}

impl Staff {
    /// Refuse unless the key holds `role`.
    ///
    /// # Errors
    /// `Forbidden`, naming the role the page needs.
    pub fn require(&self, role: Role) -> Result<(), WebError> {
        if holds(&self.key, role) {
            Ok(())
        } else {
            Err(WebError::Forbidden(format!(
                "Your key `{}` does not hold the role this page needs ({}). Ask an administrator for a key with it.",
                self.key.name.as_str(),
                role.scope()
            )))
        }
    }

    /// Whether the key holds `role` (to show or hide links and actions).
    #[must_use]
    pub fn can(&self, role: Role) -> bool {
        holds(&self.key, role)
    }

    /// The caller recorded in the audit log: the key's name.
    #[must_use]
    pub fn caller(&self) -> Caller {
        Caller::Service(self.key.name.as_str().to_string())
    }

    /// A fresh one-time CSRF token for the page's forms.
    ///
    /// # Errors
    /// `Internal` when the RNG fails.
    pub fn csrf(&self) -> Result<String, WebError> {
        self.web.keys.csrf_token(&self.browser)
    }
}

/// Not signed in: a page redirects to the sign-in page; a form post is refused.
#[derive(Debug)]
pub enum NotSignedIn {
    /// Go to the sign-in page, then back to this console path.
    Redirect(String),
    /// An error page.
    Error(WebError),
}

impl IntoResponse for NotSignedIn {
    fn into_response(self) -> Response {
        match self {
            NotSignedIn::Redirect(next) if next == "/console" => {
                Redirect::to("/console/sign-in").into_response()
            }
            NotSignedIn::Redirect(next) => {
                Redirect::to(&format!("/console/sign-in?next={next}")).into_response()
            }
            NotSignedIn::Error(e) => e.into_response(),
        }
    }
}

impl From<WebError> for NotSignedIn {
    fn from(e: WebError) -> Self {
        NotSignedIn::Error(e)
    }
}

fn ext<T: Clone + Send + Sync + 'static>(parts: &Parts) -> Result<T, WebError> {
    parts
        .extensions
        .get::<T>()
        .cloned()
        .ok_or(WebError::Internal)
}

impl FromRequestParts<AppState> for Staff {
    type Rejection = NotSignedIn;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let web: Arc<Web> = ext(parts)?;
        let browser: Browser = ext(parts)?;
        let sessions: Arc<Sessions> = ext(parts)?;
        let back = safe_next(parts.uri.path())
            .unwrap_or("/console")
            .to_string();
        let refuse = || {
            if parts.method == axum::http::Method::GET || parts.method == axum::http::Method::HEAD {
                NotSignedIn::Redirect(back.clone())
            } else {
                NotSignedIn::Error(WebError::Forbidden(
                    "your console session ended; please sign in again".into(),
                ))
            }
        };
        let Some(token) = cookie(&parts.headers, COOKIE) else {
            return Err(refuse());
        };
        let Some(id) = sessions.touch(state, token, &browser).await? else {
            return Err(refuse());
        };
        let key = match state.keys().get(id).await {
            Ok(k) => k,
            Err(steward_core::CoreError::NotFound(_)) => {
                sessions.end(state, &Caller::System, token).await;
                return Err(refuse());
            }
            Err(e) => return Err(WebError::from(e).into()),
        };
        // SECURITY: revocation and role changes apply on the next request (ADMIN-05).
        if !key.is_active() || key.account.is_some() || !holds(&key, Role::Staff) {
            sessions.end(state, &Caller::System, token).await;
            return Err(refuse());
        }
        Ok(Staff { key, browser, web })
    }
}

/// Checks a presented key for sign-in: active, service-wide, holding a console role.
///
/// # Errors
/// `Forbidden` with one message for every refusal of the key itself (malformed, unknown,
/// revoked), so the answer does not tell which keys exist; a separate message for a valid key
/// without a console role or limited to an account.
pub async fn check_key(state: &AppState, presented: &str) -> Result<ApiKeyRecord, WebError> {
    match state.keys().authenticate(presented.trim()).await {
        Ok(k) => {
            if k.account.is_some() {
                return Err(WebError::Forbidden(
                    "this key is limited to one account; the console needs a service-wide key"
                        .into(),
                ));
            }
            if !holds(&k, Role::Staff) {
                return Err(WebError::Forbidden(format!(
                    "the key `{}` holds no console role (dsr, read_pii, cases or admin)",
                    k.name.as_str()
                )));
            }
            Ok((*k).clone())
        }
        Err(AuthError::Unavailable(e)) => Err(e.into()),
        Err(AuthError::Malformed | AuthError::Unknown | AuthError::Revoked) => {
            state
                .metrics()
                .auth_failures
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            Err(WebError::Forbidden(
                "this key was not accepted (unknown, revoked or mistyped)".into(),
            ))
        }
    }
}

/// The `Set-Cookie` header of a new session.
#[must_use]
pub fn session_cookie(web: &Web, token: &str) -> Option<HeaderValue> {
    let max_age = u64::try_from(ABSOLUTE.as_secs()).unwrap_or(0);
    HeaderValue::from_str(&web.keys.cookie_line(COOKIE, token, max_age, "Strict")).ok()
}

/// Adds the `Set-Cookie` that removes the session cookie.
pub fn clear_cookie(web: &Web, res: &mut Response) {
    if let Ok(v) = HeaderValue::from_str(&web.keys.clear_cookie(COOKIE)) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
}

/// A console path to return to after sign-in: only `/console…` paths made of safe
/// characters (no scheme, no `//`, no query), so the sign-in page cannot redirect elsewhere.
#[must_use]
pub fn safe_next(p: &str) -> Option<&str> {
    let ok = (p == "/console" || p.starts_with("/console/"))
        && !p.contains("//")
        && !p.contains("..")
        && !p.starts_with("/console/sign-")
        && p.len() <= 200
        && p.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'-' | b'_' | b'.'));
    ok.then_some(p)
}

/// The session token presented, if any.
#[must_use]
pub fn presented(headers: &axum::http::HeaderMap) -> Option<&str> {
    cookie(headers, COOKIE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_console_paths_are_returned_to() {
        assert_eq!(
            safe_next("/console/requests/abc"),
            Some("/console/requests/abc")
        );
        assert_eq!(safe_next("/console"), Some("/console"));
        for bad in [
            "//evil.example",
            "https://evil.example",
            "/console//evil",
            "/privacy",
            "/consolex",
            "/console/sign-in",
            "/console/a?b",
            "/console/%2f",
            "/console/../privacy",
        ] {
            assert_eq!(safe_next(bad), None, "{bad}");
        }
    }
}
