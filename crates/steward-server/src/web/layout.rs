//! The page frame shared by the privacy center and the console: [`Chrome`] (title, area,
//! navigation, sign-out, the page's CSRF token, a status message) rendered by
//! `templates/base.html`, the [`page`] helper that renders an askama template into a
//! response, and [`WebError`], the one error type of the pages, answered as an HTML page
//! (`templates/error.html`), never as JSON and never with internals.

use askama::Template;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use steward_core::CoreError;

/// A link in the navigation.
#[derive(Debug, Clone)]
pub struct NavLink {
    /// Where it goes.
    pub href: &'static str,
    /// What it says.
    pub label: &'static str,
    /// It is the current page (`aria-current="page"`).
    pub current: bool,
}

/// The frame of a page: every page template has a `chrome: Chrome` field and
/// `{% extends "base.html" %}`.
#[derive(Debug, Clone)]
pub struct Chrome {
    /// The page title (the `<title>` adds the area name).
    pub title: String,
    /// `center` or `console` (a CSS class on `<body>`, the brand text and link).
    pub area: &'static str,
    /// The area's name, shown as the brand.
    pub brand: &'static str,
    /// Where the brand links.
    pub home: &'static str,
    /// Navigation links.
    pub nav: Vec<NavLink>,
    /// When signed in: the sign-out form's action.
    pub sign_out: Option<&'static str>,
    /// Who is signed in, as shown ("Signed in", a key name …).
    pub signed_in_as: Option<String>,
    /// The CSRF token for the forms of this page (one-time: any one of the page's forms
    /// may spend it).
    pub csrf: String,
    /// A status message shown at the top (`role="status"`).
    pub flash: Option<String>,
}

impl Chrome {
    /// A frame with a title and nothing else (error pages).
    #[must_use]
    pub fn bare(title: impl Into<String>) -> Chrome {
        Chrome {
            title: title.into(),
            area: "center",
            brand: "Privacy Center",
            home: "/privacy",
            nav: Vec::new(),
            sign_out: None,
            signed_in_as: None,
            csrf: String::new(),
            flash: None,
        }
    }

    /// Marks the link whose `href` equals `current` as the current page.
    #[must_use]
    pub fn with_current(mut self, current: &str) -> Chrome {
        for l in &mut self.nav {
            l.current = l.href == current;
        }
        self
    }
}

/// Renders a template into an HTML response (`200`), or the error page when rendering fails.
pub fn page<T: Template>(t: &T) -> Response {
    match t.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "page not rendered");
            WebError::Internal.into_response()
        }
    }
}

/// Renders a template with a status (a form shown again with its errors: 422).
pub fn page_with_status<T: Template>(status: StatusCode, t: &T) -> Response {
    let mut r = page(t);
    if r.status() == StatusCode::OK {
        *r.status_mut() = status;
    }
    r
}

/// An error of a page, shown as an HTML page.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WebError {
    /// 400: the request could not be read.
    #[error("{0}")]
    BadRequest(String),
    /// 403: refused (CSRF, cross-site post, not allowed).
    #[error("{0}")]
    Forbidden(String),
    /// 404.
    #[error("not found")]
    NotFound,
    /// 409: conflicts with what is stored.
    #[error("{0}")]
    Conflict(String),
    /// 429: too many attempts; try again after the seconds given.
    #[error("{message}")]
    TooMany {
        /// Seconds to wait.
        retry_after: u64,
        /// What to tell the person.
        message: String,
    },
    /// 503: the service cannot answer now.
    #[error("the service is unavailable")]
    Unavailable,
    /// 500 (the log says why; the page does not).
    #[error("internal error")]
    Internal,
}

impl From<CoreError> for WebError {
    fn from(e: CoreError) -> Self {
        match e {
            CoreError::NotFound(_) | CoreError::Erased => WebError::NotFound,
            CoreError::Denied { reason, .. } => {
                WebError::Forbidden(format!("the privacy policy does not allow this ({reason})"))
            }
            CoreError::Invalid { message, .. } => WebError::BadRequest(message),
            CoreError::Conflict { message, .. } => WebError::Conflict(message),
            CoreError::Store(e) => {
                tracing::error!(error = %e, "store failure");
                WebError::Unavailable
            }
            CoreError::Vault(e) => {
                tracing::error!(error = %e, "vault failure");
                WebError::Internal
            }
            CoreError::Unavailable(what) => {
                tracing::error!(what, "unavailable");
                WebError::Unavailable
            }
        }
    }
}

/// The error page.
#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    /// The frame.
    pub chrome: Chrome,
    /// HTTP status code.
    pub status: u16,
    /// What went wrong, for a person.
    pub message: String,
}

impl std::fmt::Debug for ErrorPage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ErrorPage")
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

impl WebError {
    /// The status and the heading.
    #[must_use]
    pub fn status(&self) -> (StatusCode, &'static str) {
        match self {
            WebError::BadRequest(_) => (StatusCode::BAD_REQUEST, "That did not work"),
            WebError::Forbidden(_) => (StatusCode::FORBIDDEN, "Not allowed"),
            WebError::NotFound => (StatusCode::NOT_FOUND, "Page not found"),
            WebError::Conflict(_) => (StatusCode::CONFLICT, "That did not work"),
            WebError::TooMany { .. } => (StatusCode::TOO_MANY_REQUESTS, "Please wait"),
            WebError::Unavailable => (StatusCode::SERVICE_UNAVAILABLE, "Temporarily unavailable"),
            WebError::Internal => (StatusCode::INTERNAL_SERVER_ERROR, "Something went wrong"),
        }
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let (status, heading) = self.status();
        let message = match &self {
            WebError::NotFound => "There is no page at this address.".to_string(),
            WebError::Unavailable => {
                "The service cannot answer right now. Please try again in a minute.".to_string()
            }
            WebError::Internal => {
                "An error occurred on our side; it was logged. Please try again.".to_string()
            }
            other => other.to_string(),
        };
        let t = ErrorPage {
            chrome: Chrome::bare(heading),
            status: status.as_u16(),
            message,
        };
        let mut r = match t.render() {
            Ok(html) => Html(html).into_response(),
            Err(_) => (status, "error").into_response(),
        };
        *r.status_mut() = status;
        if let WebError::TooMany { retry_after, .. } = &self
            && let Ok(v) = HeaderValue::from_str(&retry_after.to_string())
        {
            r.headers_mut().insert(header::RETRY_AFTER, v);
        }
        r
    }
}
