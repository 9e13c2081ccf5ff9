//! `GET /`: where the parts of the service are. A browser (`Accept: text/html` preferred)
//! gets a small page linking the privacy center, the console, the API docs and the metrics;
//! an API client (`application/json`, `*/*` or anything else) the same links as JSON
//! ([`steward_api::index::Index`]). Both name places only, reveal no data and need no key.

use askama::Template;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use steward_api::index::{Index, Link};

use crate::extract::Json;
use crate::web::layout::{Chrome, page};

/// The page.
#[derive(Template)]
#[template(path = "index.html")]
struct IndexPage<'a> {
    chrome: Chrome,
    links: [&'a Link; 6],
}

/// The weight (`q`) the `Accept` header gives a media type (`type/subtype`): its own entry,
/// else `type/*`, else `*/*`; 0 when none matches. Without the header, `*/*`.
fn weight(accept: Option<&str>, media: &str) -> f32 {
    let Some(accept) = accept else {
        return 1.0;
    };
    let kind = media.split('/').next().unwrap_or("");
    let mut best: Option<(u8, f32)> = None;
    for part in accept.split(',') {
        let mut it = part.split(';');
        let range = it.next().unwrap_or("").trim().to_ascii_lowercase();
        let q = it
            .filter_map(|p| p.trim().strip_prefix("q="))
            .find_map(|q| q.trim().parse::<f32>().ok())
            .unwrap_or(1.0);
        let specificity = if range == media {
            3
        } else if range.strip_suffix("/*") == Some(kind) {
            2
        } else if range == "*/*" {
            1
        } else {
            continue;
        };
        if best.is_none_or(|(s, _)| specificity > s) {
            best = Some((specificity, q));
        }
    }
    best.map_or(0.0, |(_, q)| q)
}

/// Whether the caller prefers HTML to JSON (a browser). A tie goes to JSON.
fn wants_html(headers: &HeaderMap) -> bool {
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok());
    let html = weight(accept, "text/html");
    html > 0.0 && html > weight(accept, "application/json")
}

/// Where the parts of the service are: an HTML page for a browser, JSON for an API client.
#[utoipa::path(get, path = "/", tag = "operations",
    responses((status = 200, description = "The index: JSON for API clients, a page for browsers (`Accept: text/html`)",
        content((Index = "application/json"), (String = "text/html")))))]
pub async fn index(headers: HeaderMap) -> Response {
    let index = Index::new();
    let mut res = if wants_html(&headers) {
        let mut chrome = Chrome::bare("Steward");
        chrome.brand = "Steward";
        chrome.home = "/";
        crate::web::security::with_headers(page(&IndexPage {
            chrome,
            links: index.ordered(),
        }))
    } else {
        Json(index).into_response()
    };
    // Browsers and API clients get different bodies from the same URL.
    res.headers_mut()
        .insert(header::VARY, header::HeaderValue::from_static("accept"));
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accept(v: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::ACCEPT, v.parse().unwrap());
        h
    }

    #[test]
    fn browsers_get_html_and_clients_json() {
        // Firefox's and Chrome's navigation Accept headers.
        assert!(wants_html(&accept(
            "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
        )));
        assert!(wants_html(&accept(
            "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7"
        )));
        assert!(!wants_html(&accept("application/json")));
        assert!(!wants_html(&accept("*/*")), "curl");
        assert!(!wants_html(&HeaderMap::new()), "no Accept header");
        assert!(!wants_html(&accept("application/json, text/html;q=0.5")));
        assert!(!wants_html(&accept("text/html;q=0")));
        assert!(wants_html(&accept("text/*, application/json;q=0.5")));
    }
}
