//! Web security for the pages: the browser cookie, sealed cookies, CSRF tokens, the
//! Origin check and the security headers every page carries.
//!
//! - **Browser cookie** `__Host-steward-b`: a random id (128 bits) with an HMAC tag, set on
//!   the first visit (`Secure`, `HttpOnly`, `SameSite=Lax`, `Path=/`, one year). It keys the
//!   choices of a visitor who has not signed in (identity kind `cookie`) and binds every
//!   CSRF token and sealed cookie to the browser.
//! - **Sealed cookies** ([`WebKeys::seal`]): AES-256-GCM over a JSON value with an expiry;
//!   the associated data is the cookie name and the browser id, so a sealed cookie copied to
//!   another browser does not open.
//! - **CSRF**: every form carries a one-time token ([`WebKeys::csrf_token`]) bound to the
//!   browser id and valid four hours; [`CsrfForm`] checks it before the handler runs and
//!   spends it in the store ([`Steward::spend_once`]), so a replayed post is refused on every
//!   replica sharing the store. Scripts (`consent.js`) use a reusable token sent in the
//!   `X-Steward-Token` header with a JSON body (a custom header forces a CORS preflight,
//!   which the server never grants).
//! - **Headers** ([`guard`]): a strict Content-Security-Policy (`default-src 'self'`, no
//!   inline script or style, no third party), `nosniff`, `frame-ancestors 'none'`,
//!   `Referrer-Policy: same-origin`, COOP, HSTS and `Cache-Control: no-store` unless the
//!   handler chose a cache policy. Cross-site POSTs (by `Sec-Fetch-Site` or `Origin`) are
//!   refused before any handler runs.
//!
//! Keys are derived from the vault's key ring (`Steward::derived_secret`), so every replica
//! sharing the ring accepts the others' cookies and tokens.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use ring::aead::{AES_256_GCM, Aad, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use ring::hmac;
use ring::rand::{SecureRandom, SystemRandom};
use serde::Serialize;
use serde::de::DeserializeOwned;
use steward_core::{Clock, Steward, SystemClock};

use crate::web::layout::WebError;

fn csrf_refused() -> WebError {
    WebError::Forbidden("the form expired or was already sent; please try again".into())
}

/// The browser cookie's name.
pub const BROWSER_COOKIE: &str = "__Host-steward-b";
/// The header a script sends its token in.
pub const SCRIPT_TOKEN_HEADER: &str = "x-steward-token";
/// How long a form's CSRF token is accepted, in seconds.
pub const CSRF_TTL_SECS: u64 = 4 * 3600;
/// How long a script token is accepted, in seconds.
pub const SCRIPT_TOKEN_TTL_SECS: u64 = 24 * 3600;
/// The largest form body a page accepts.
pub const FORM_LIMIT: usize = 64 * 1024;

/// The Content-Security-Policy of every page.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; \
object-src 'none'";

const TAG_LEN: usize = 16;
const ID_LEN: usize = 16;

/// The browser a request comes from: its id (from the browser cookie, or new).
#[derive(Clone, PartialEq, Eq)]
pub struct Browser {
    id: String,
    fresh: bool,
}

impl std::fmt::Debug for Browser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // SECURITY: the id keys a visitor's choices; it stays out of logs.
        f.debug_struct("Browser")
            .field("id", &"<redacted>")
            .field("fresh", &self.fresh)
            .finish()
    }
}

impl Browser {
    /// The browser id (base64url, 22 characters): the `cookie` identity of the visitor.
    #[must_use]
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Whether the cookie was set on this request (first visit, or cookies refused).
    #[must_use]
    pub fn is_fresh(&self) -> bool {
        self.fresh
    }
}

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Browser {
    type Rejection = WebError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _state: &S,
    ) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Browser>()
            .cloned()
            .ok_or(WebError::Internal)
    }
}

/// The keys of the web layer.
pub struct WebKeys {
    mac: hmac::Key,
    seal: LessSafeKey,
    rng: SystemRandom,
    secure: bool,
    clock: Arc<dyn Clock>,
}

/// A form's CSRF token that passed its checks, still to be spent ([`Steward::spend_once`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CsrfToken {
    /// The token's tag (what is spent).
    pub tag: [u8; TAG_LEN],
    /// When it stops being accepted.
    pub expires_at: jiff::Timestamp,
}

impl std::fmt::Debug for WebKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebKeys")
            .field("keys", &"<redacted>")
            .field("secure", &self.secure)
            .finish_non_exhaustive()
    }
}

impl WebKeys {
    /// Keys derived from the core's key ring. When derivation fails (it does not for these
    /// fixed labels), random per-process keys are used and a warning is logged.
    ///
    /// # Errors
    /// `Internal` when the AEAD key cannot be built.
    pub fn derive(steward: &Steward) -> Result<WebKeys, WebError> {
        let rng = SystemRandom::new();
        let get = |label: &str| -> [u8; 32] {
            match steward.derived_secret(label) {
                Ok(s) => *s.expose(),
                Err(e) => {
                    tracing::warn!(error = %e, "web key not derived; using a per-process key");
                    let mut k = [0u8; 32];
                    let _ = rng.fill(&mut k);
                    k
                }
            }
        };
        Ok(
            Self::from_secrets(&get("steward-web/mac/v1"), &get("steward-web/seal/v1"))?
                .with_clock(steward.clock().clone()),
        )
    }

    /// Keys from two 32-byte secrets.
    ///
    /// # Errors
    /// `Internal` when the AEAD key cannot be built (not for 32 bytes).
    pub fn from_secrets(mac: &[u8; 32], seal: &[u8; 32]) -> Result<WebKeys, WebError> {
        let seal = UnboundKey::new(&AES_256_GCM, seal)
            .map(LessSafeKey::new)
            .map_err(|_| WebError::Internal)?;
        Ok(WebKeys {
            mac: hmac::Key::new(hmac::HMAC_SHA256, mac),
            seal,
            rng: SystemRandom::new(),
            secure: true,
            clock: Arc::new(SystemClock),
        })
    }

    /// The same keys reading the time from `clock` (expiries of tokens and sealed cookies).
    #[must_use]
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> WebKeys {
        self.clock = clock;
        self
    }

    /// Now, in whole seconds since the epoch, by the injected clock.
    fn now_secs(&self) -> u64 {
        u64::try_from(self.clock.now().as_second()).unwrap_or(0)
    }

    fn tag(&self, parts: &[&[u8]]) -> [u8; TAG_LEN] {
        let mut ctx = hmac::Context::with_key(&self.mac);
        for p in parts {
            ctx.update(&(p.len() as u64).to_be_bytes());
            ctx.update(p);
        }
        let mut out = [0u8; TAG_LEN];
        out.copy_from_slice(&ctx.sign().as_ref()[..TAG_LEN]);
        out
    }

    fn random<const N: usize>(&self) -> Result<[u8; N], WebError> {
        let mut b = [0u8; N];
        self.rng.fill(&mut b).map_err(|_| WebError::Internal)?;
        Ok(b)
    }

    /// The browser of a request, from its cookie header (a new one when absent or forged).
    ///
    /// # Errors
    /// `Internal` when the system RNG fails.
    pub fn browser(&self, headers: &HeaderMap) -> Result<Browser, WebError> {
        if let Some(v) = cookie(headers, BROWSER_COOKIE)
            && let Some((id, tag)) = v.split_once('.')
            && id.len() == 22
            && let Ok(tag) = B64.decode(tag)
            // SECURITY: constant-time comparison of the tag.
            && steward_vault::ct_eq(&tag, &self.tag(&[b"browser", id.as_bytes()]))
        {
            return Ok(Browser {
                id: id.to_string(),
                fresh: false,
            });
        }
        let id = B64.encode(self.random::<ID_LEN>()?);
        Ok(Browser { id, fresh: true })
    }

    /// The `Set-Cookie` value of the browser cookie.
    #[must_use]
    pub fn browser_cookie(&self, b: &Browser) -> String {
        let tag = B64.encode(self.tag(&[b"browser", b.id.as_bytes()]));
        self.cookie_line(
            BROWSER_COOKIE,
            &format!("{}.{tag}", b.id),
            365 * 86_400,
            "Lax",
        )
    }

    /// A `Set-Cookie` line: `Secure`, `HttpOnly`, `Path=/`, the given `SameSite` and age.
    #[must_use]
    pub fn cookie_line(&self, name: &str, value: &str, max_age: u64, same_site: &str) -> String {
        let secure = if self.secure { "; Secure" } else { "" };
        format!("{name}={value}; Path=/; Max-Age={max_age}; HttpOnly{secure}; SameSite={same_site}")
    }

    /// A `Set-Cookie` line that removes a cookie.
    #[must_use]
    pub fn clear_cookie(&self, name: &str) -> String {
        let secure = if self.secure { "; Secure" } else { "" };
        format!("{name}=; Path=/; Max-Age=0; HttpOnly{secure}; SameSite=Lax")
    }

    /// A one-time CSRF token for a form shown to `browser`.
    ///
    /// # Errors
    /// `Internal` when the system RNG fails.
    pub fn csrf_token(&self, browser: &Browser) -> Result<String, WebError> {
        let ts = self.now_secs().to_be_bytes();
        let nonce = self.random::<16>()?;
        let tag = self.tag(&[b"csrf", browser.id.as_bytes(), &ts, &nonce]);
        let mut raw = Vec::with_capacity(8 + 16 + TAG_LEN);
        raw.extend_from_slice(&ts);
        raw.extend_from_slice(&nonce);
        raw.extend_from_slice(&tag);
        Ok(B64.encode(raw))
    }

    /// Checks a form's CSRF token (not spent yet: [`CsrfForm`] spends it in the store).
    /// SECURITY: a token from another browser, a forged or expired token is refused.
    ///
    /// # Errors
    /// `Forbidden` when the token is not acceptable.
    pub fn verify_csrf(&self, browser: &Browser, token: &str) -> Result<CsrfToken, WebError> {
        let refuse = csrf_refused;
        let raw = B64.decode(token.trim()).map_err(|_| refuse())?;
        if raw.len() != 8 + 16 + TAG_LEN {
            return Err(refuse());
        }
        let (ts, rest) = raw.split_at(8);
        let (nonce, tag) = rest.split_at(16);
        if !steward_vault::ct_eq(tag, &self.tag(&[b"csrf", browser.id.as_bytes(), ts, nonce])) {
            return Err(refuse());
        }
        let mut tsb = [0u8; 8];
        tsb.copy_from_slice(ts);
        let issued = u64::from_be_bytes(tsb);
        let now = self.now_secs();
        if issued > now + 60 || now.saturating_sub(issued) > CSRF_TTL_SECS {
            return Err(refuse());
        }
        let mut key = [0u8; TAG_LEN];
        key.copy_from_slice(tag);
        let expires_at = i64::try_from(issued.saturating_add(CSRF_TTL_SECS))
            .ok()
            .and_then(|s| jiff::Timestamp::from_second(s).ok())
            .ok_or_else(refuse)?;
        Ok(CsrfToken {
            tag: key,
            expires_at,
        })
    }

    /// A reusable token for a script running in `browser` (sent as `X-Steward-Token`).
    #[must_use]
    pub fn script_token(&self, browser: &Browser) -> String {
        let ts = self.now_secs().to_be_bytes();
        let tag = self.tag(&[b"script", browser.id.as_bytes(), &ts]);
        let mut raw = ts.to_vec();
        raw.extend_from_slice(&tag);
        B64.encode(raw)
    }

    /// Checks a script token from the request headers.
    ///
    /// # Errors
    /// `Forbidden` when absent, forged, from another browser or expired.
    pub fn check_script_token(
        &self,
        browser: &Browser,
        headers: &HeaderMap,
    ) -> Result<(), WebError> {
        let refuse = || WebError::Forbidden("missing or expired token".into());
        let token = headers
            .get(SCRIPT_TOKEN_HEADER)
            .and_then(|v| v.to_str().ok())
            .ok_or_else(refuse)?;
        let raw = B64.decode(token.trim()).map_err(|_| refuse())?;
        if raw.len() != 8 + TAG_LEN {
            return Err(refuse());
        }
        let (ts, tag) = raw.split_at(8);
        if !steward_vault::ct_eq(tag, &self.tag(&[b"script", browser.id.as_bytes(), ts])) {
            return Err(refuse());
        }
        let mut tsb = [0u8; 8];
        tsb.copy_from_slice(ts);
        let issued = u64::from_be_bytes(tsb);
        let now = self.now_secs();
        if issued > now + 60 || now.saturating_sub(issued) > SCRIPT_TOKEN_TTL_SECS {
            return Err(refuse());
        }
        Ok(())
    }

    /// Seals `value` for the cookie `name` of `browser`, valid `ttl_secs`: base64url of
    /// nonce ‖ AES-256-GCM(JSON `{exp, v}`), associated data the cookie name and browser id.
    ///
    /// # Errors
    /// `Internal` when serialization or the RNG fails.
    pub fn seal<T: Serialize>(
        &self,
        name: &str,
        browser: &Browser,
        value: &T,
        ttl_secs: u64,
    ) -> Result<String, WebError> {
        #[derive(Serialize)]
        struct Env<'a, T> {
            exp: u64,
            v: &'a T,
        }
        let mut buf = serde_json::to_vec(&Env {
            exp: self.now_secs() + ttl_secs,
            v: value,
        })
        .map_err(|_| WebError::Internal)?;
        let nonce = self.random::<NONCE_LEN>()?;
        let aad = [name.as_bytes(), b"\0", browser.id.as_bytes()].concat();
        self.seal
            .seal_in_place_append_tag(
                Nonce::assume_unique_for_key(nonce),
                Aad::from(aad),
                &mut buf,
            )
            .map_err(|_| WebError::Internal)?;
        let mut out = nonce.to_vec();
        out.extend_from_slice(&buf);
        Ok(B64.encode(out))
    }

    /// Opens a sealed cookie value; `None` when forged, from another browser or expired.
    #[must_use]
    pub fn open<T: DeserializeOwned>(
        &self,
        name: &str,
        browser: &Browser,
        sealed: &str,
    ) -> Option<T> {
        #[derive(serde::Deserialize)]
        struct Env<T> {
            exp: u64,
            v: T,
        }
        let raw = B64.decode(sealed).ok()?;
        if raw.len() < NONCE_LEN + 16 {
            return None;
        }
        let (nonce, ct) = raw.split_at(NONCE_LEN);
        let nonce = Nonce::try_assume_unique_for_key(nonce).ok()?;
        let aad = [name.as_bytes(), b"\0", browser.id.as_bytes()].concat();
        let mut ct = ct.to_vec();
        let plain = self
            .seal
            .open_in_place(nonce, Aad::from(aad), &mut ct)
            .ok()?;
        let env: Env<T> = serde_json::from_slice(plain).ok()?;
        (env.exp >= self.now_secs()).then_some(env.v)
    }
}

/// The value of cookie `name` in the request headers.
#[must_use]
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// Whether a state-changing request comes from another site: `Sec-Fetch-Site: cross-site`,
/// or an `Origin` whose host is not the `Host` header.
#[must_use]
pub fn is_cross_site(headers: &HeaderMap) -> bool {
    if headers
        .get("sec-fetch-site")
        .is_some_and(|v| v.as_bytes() == b"cross-site")
    {
        return true;
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    if origin == "null" {
        return true;
    }
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let origin_host = origin
        .split_once("://")
        .map_or(origin, |(_, h)| h)
        .trim_end_matches('/');
    !origin_host.eq_ignore_ascii_case(host)
}

/// The middleware of every page: identifies the browser (setting its cookie when new),
/// refuses cross-site posts, and adds the security headers.
pub async fn guard(
    axum::Extension(web): axum::Extension<std::sync::Arc<crate::web::Web>>,
    mut req: Request,
    next: Next,
) -> Response {
    let browser = match web.keys.browser(req.headers()) {
        Ok(b) => b,
        Err(e) => return with_headers(e.into_response()),
    };
    if req.method() != Method::GET && req.method() != Method::HEAD && is_cross_site(req.headers()) {
        return with_headers(
            WebError::Forbidden("this form was sent from another site and was refused".into())
                .into_response(),
        );
    }
    req.extensions_mut().insert(browser.clone());
    let mut res = next.run(req).await;
    if browser.fresh
        && let Ok(v) = HeaderValue::from_str(&web.keys.browser_cookie(&browser))
    {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    with_headers(res)
}

/// The security headers of every page (CSP, framing, referrer, no-store), set where absent.
pub(crate) fn with_headers(mut res: Response) -> Response {
    let h = res.headers_mut();
    let set = |h: &mut HeaderMap, k: &'static str, v: &'static str| {
        if !h.contains_key(k) {
            h.insert(k, HeaderValue::from_static(v));
        }
    };
    set(h, "content-security-policy", CSP);
    set(h, "x-content-type-options", "nosniff");
    set(h, "x-frame-options", "DENY");
    set(h, "referrer-policy", "same-origin");
    set(h, "cross-origin-opener-policy", "same-origin");
    set(h, "cross-origin-resource-policy", "same-origin");
    set(
        h,
        "permissions-policy",
        "geolocation=(), camera=(), microphone=(), payment=(), usb=()",
    );
    set(h, "strict-transport-security", "max-age=31536000");
    set(h, "cache-control", "no-store");
    res
}

/// A form whose CSRF token (field `csrf`) was checked and spent before the handler runs;
/// the fields are then parsed into `T` (use `String`/`Option<String>` fields and validate in
/// the handler, so errors show next to the field).
#[derive(Debug)]
pub struct CsrfForm<T>(pub T);

#[derive(serde::Deserialize)]
struct CsrfOnly {
    #[serde(default)]
    csrf: String,
}

impl<T, S> FromRequest<S> for CsrfForm<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = WebError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let web = req
            .extensions()
            .get::<std::sync::Arc<crate::web::Web>>()
            .cloned()
            .ok_or(WebError::Internal)?;
        let browser = req
            .extensions()
            .get::<Browser>()
            .cloned()
            .ok_or(WebError::Internal)?;
        let is_form = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
        if !is_form {
            return Err(WebError::BadRequest("the form could not be read".into()));
        }
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|_| WebError::BadRequest("the form could not be read".into()))?;
        if bytes.len() > FORM_LIMIT {
            return Err(WebError::BadRequest("the form is too large".into()));
        }
        let parse = |b: &Bytes| -> Request {
            let mut r = Request::new(axum::body::Body::from(b.clone()));
            // `Form` reads the query string of a GET: the copy must be a POST to read the body.
            *r.method_mut() = Method::POST;
            r.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/x-www-form-urlencoded"),
            );
            r
        };
        let axum::Form(c) = axum::Form::<CsrfOnly>::from_request(parse(&bytes), state)
            .await
            .map_err(|_| WebError::BadRequest("the form could not be read".into()))?;
        let token = web.keys.verify_csrf(&browser, &c.csrf)?;
        // SECURITY: spent in the store, so a replay is refused on every replica.
        if !web.steward.spend_once(&token.tag, token.expires_at).await? {
            return Err(csrf_refused());
        }
        let axum::Form(t) = axum::Form::<T>::from_request(parse(&bytes), state)
            .await
            .map_err(|_| WebError::BadRequest("the form could not be read".into()))?;
        Ok(CsrfForm(t))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> WebKeys {
        WebKeys::from_secrets(&[1; 32], &[2; 32]).unwrap()
    }

    fn browser(k: &WebKeys) -> Browser {
        k.browser(&HeaderMap::new()).unwrap()
    }

    #[test]
    fn csrf_token_is_bound_to_the_browser_and_unique() {
        let k = keys();
        let a = browser(&k);
        let b = browser(&k);
        let t = k.csrf_token(&a).unwrap();
        assert!(k.verify_csrf(&b, &t).is_err(), "another browser");
        let ok = k.verify_csrf(&a, &t).unwrap();
        assert_eq!(
            k.verify_csrf(&a, &t).unwrap(),
            ok,
            "spending is the store's job"
        );
        let t3 = k.csrf_token(&a).unwrap();
        assert_ne!(
            k.verify_csrf(&a, &t3).unwrap().tag,
            ok.tag,
            "each token spends apart"
        );
        assert!(k.verify_csrf(&a, "AAAA").is_err(), "forged");
        let other = WebKeys::from_secrets(&[9; 32], &[2; 32]).unwrap();
        let t2 = other.csrf_token(&a).unwrap();
        assert!(k.verify_csrf(&a, &t2).is_err(), "another key");
    }

    #[test]
    fn browser_cookie_round_trips_and_forgeries_are_replaced() {
        let k = keys();
        let a = browser(&k);
        assert!(a.is_fresh());
        let line = k.browser_cookie(&a);
        assert!(
            line.contains("HttpOnly") && line.contains("Secure") && line.contains("SameSite=Lax")
        );
        let value = line.split(';').next().unwrap();
        let mut h = HeaderMap::new();
        h.insert(header::COOKIE, HeaderValue::from_str(value).unwrap());
        let again = k.browser(&h).unwrap();
        assert_eq!(again.id(), a.id());
        assert!(!again.is_fresh());
        let forged = format!("{BROWSER_COOKIE}={}.AAAAAAAAAAAAAAAAAAAAAA", a.id());
        h.insert(header::COOKIE, HeaderValue::from_str(&forged).unwrap());
        let new = k.browser(&h).unwrap();
        assert_ne!(new.id(), a.id());
    }

    #[test]
    fn sealed_cookie_opens_only_for_its_browser_and_name() {
        let k = keys();
        let a = browser(&k);
        let b = browser(&k);
        let s = k.seal("n", &a, &vec![1u32, 2], 60).unwrap();
        assert_eq!(k.open::<Vec<u32>>("n", &a, &s), Some(vec![1, 2]));
        assert_eq!(k.open::<Vec<u32>>("n", &b, &s), None);
        assert_eq!(k.open::<Vec<u32>>("m", &a, &s), None);
    }

    #[test]
    fn script_token_checks() {
        let k = keys();
        let a = browser(&k);
        let b = browser(&k);
        let mut h = HeaderMap::new();
        h.insert(
            SCRIPT_TOKEN_HEADER,
            HeaderValue::from_str(&k.script_token(&a)).unwrap(),
        );
        k.check_script_token(&a, &h).unwrap();
        k.check_script_token(&a, &h).unwrap();
        assert!(k.check_script_token(&b, &h).is_err());
        assert!(k.check_script_token(&a, &HeaderMap::new()).is_err());
    }

    #[test]
    fn cross_site_detection() {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, HeaderValue::from_static("example.com"));
        assert!(!is_cross_site(&h));
        h.insert(
            header::ORIGIN,
            HeaderValue::from_static("https://example.com"),
        );
        assert!(!is_cross_site(&h));
        h.insert(
            header::ORIGIN,
            HeaderValue::from_static("https://evil.test"),
        );
        assert!(is_cross_site(&h));
        h.remove(header::ORIGIN);
        h.insert("sec-fetch-site", HeaderValue::from_static("cross-site"));
        assert!(is_cross_site(&h));
    }
}
