//! `GET /` (the first ten minutes): a browser gets a small page linking the privacy center,
//! the console, the API docs and the metrics; an API client the same links as JSON. Neither
//! needs a key, and neither reveals anything stored.

mod common;

use common::{Reply, Server, spawn};

const BROWSER: &str = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

async fn index(s: &Server, accept: Option<&str>) -> Reply {
    let headers: Vec<(&str, &str)> = accept.map(|a| vec![("Accept", a)]).unwrap_or_default();
    s.call("GET", "/", None, &headers, None, None).await
}

#[tokio::test]
async fn an_api_client_gets_a_json_index_without_a_key() {
    let s = spawn().await;
    for accept in [Some("application/json"), Some("*/*"), None] {
        let r = index(&s, accept).await;
        assert_eq!(r.status, 200, "{accept:?}: {}", r.text());
        assert_eq!(
            r.header("content-type"),
            Some("application/json"),
            "{accept:?}"
        );
        assert_eq!(r.header("vary"), Some("accept"));
        let v = r.json();
        assert_eq!(v["service"], "steward");
        let links = &v["links"];
        for (k, href) in [
            ("privacy_center", "/privacy"),
            ("console", "/console"),
            ("api_docs", "/docs"),
            ("openapi", "/openapi.json"),
            ("metrics", "/metrics"),
            ("health", "/healthz"),
        ] {
            assert_eq!(links[k]["href"], href, "{k}");
            assert!(links[k]["title"].as_str().is_some_and(|t| !t.is_empty()));
        }
        // Typed like the document says.
        let _: steward_api::index::Index = serde_json::from_value(v).unwrap();
    }
}

#[tokio::test]
async fn a_browser_gets_a_page_linking_the_parts() {
    let s = spawn().await;
    let r = index(&s, Some(BROWSER)).await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(
        r.header("content-type")
            .is_some_and(|c| c.starts_with("text/html")),
        "{:?}",
        r.header("content-type")
    );
    let html = r.text();
    for href in ["/privacy", "/console", "/docs", "/metrics"] {
        assert!(
            html.contains(&format!("href=\"{href}\"")),
            "{href} in {html}"
        );
    }
    // A page like the others: strict CSP, no framing, not cached.
    assert!(
        r.header("content-security-policy")
            .is_some_and(|c| c.contains("default-src 'self'"))
    );
    assert_eq!(r.header("x-frame-options"), Some("DENY"));
    assert_eq!(r.header("cache-control"), Some("no-store"));
    assert_eq!(r.header("vary"), Some("accept"));
}

#[tokio::test]
async fn the_index_reveals_nothing_stored_and_sets_no_cookie() {
    let s = spawn().await;
    let subject = s.subject("US-CA", "index-secret@example.com").await;
    for accept in [Some(BROWSER), Some("application/json")] {
        let r = index(&s, accept).await;
        assert_eq!(r.status, 200);
        let body = r.text();
        for secret in [
            "index-secret@example.com",
            subject.as_str(),
            s.admin.as_str(),
            steward_core::ENGINE_VERSION,
        ] {
            assert!(!body.contains(secret), "{accept:?} reveals {secret}");
        }
        assert!(
            common::set_cookies(&r).is_empty(),
            "{accept:?} sets a cookie"
        );
    }
}

#[tokio::test]
async fn every_link_of_the_index_leads_somewhere() {
    let s = spawn().await;
    let v = index(&s, Some("application/json")).await.json();
    for (name, link) in v["links"].as_object().unwrap() {
        let href = link["href"].as_str().unwrap();
        let r = s
            .call("GET", href, None, &[("Accept", BROWSER)], None, None)
            .await;
        // The metrics need a key (401); every other place answers (pages may redirect).
        let expected: &[u16] = if name == "metrics" {
            &[401]
        } else {
            &[200, 303, 307]
        };
        assert!(
            expected.contains(&r.status),
            "{name} ({href}): {} {}",
            r.status,
            r.text()
        );
    }
}
