//! The privacy center and consent.js end to end over HTTP (no JavaScript): security headers
//! and cookies, CSRF refusal (missing, foreign, replayed, cross-site), the `Sec-GPC` signal
//! shown as honoured, form validation messages next to their field, sign-in by e-mail code
//! with the throttle after three wrong codes, and the consent endpoints.
#![expect(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test code: a failed step fails the test"
)]

mod common;

use common::{Reply, Server, csrf, form, replica_of, set_cookies, spawn};
use steward_requests::{Requests, RequestsConfig};

/// A browser: its cookies, kept across calls.
struct Browser<'a> {
    s: &'a Server,
    cookies: Vec<(String, String)>,
    extra: Vec<(String, String)>,
}

impl<'a> Browser<'a> {
    fn new(s: &'a Server) -> Self {
        Browser {
            s,
            cookies: Vec::new(),
            extra: Vec::new(),
        }
    }

    /// The same browser (its cookies) talking to another replica.
    fn on(&mut self, s: &'a Server) {
        self.s = s;
    }

    fn with(mut self, k: &str, v: &str) -> Self {
        self.extra.push((k.to_string(), v.to_string()));
        self
    }

    fn keep(&mut self, r: &Reply) {
        for c in set_cookies(r) {
            let pair = c.split(';').next().unwrap();
            let (k, v) = pair.split_once('=').unwrap();
            self.cookies.retain(|(n, _)| n != k);
            if !v.is_empty() && !c.contains("Max-Age=0") {
                self.cookies.push((k.to_string(), v.to_string()));
            }
        }
    }

    fn headers(&self) -> Vec<(String, String)> {
        let mut h = self.extra.clone();
        if !self.cookies.is_empty() {
            let c = self
                .cookies
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("; ");
            h.push(("Cookie".into(), c));
        }
        h
    }

    async fn send(
        &mut self,
        method: &str,
        path: &str,
        more: &[(&str, &str)],
        body: Option<&[u8]>,
        ct: Option<&str>,
    ) -> Reply {
        let owned = self.headers();
        let mut h: Vec<(&str, &str)> = owned
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        h.extend_from_slice(more);
        let r = self.s.call(method, path, None, &h, body, ct).await;
        self.keep(&r);
        r
    }

    async fn get(&mut self, path: &str) -> Reply {
        self.send("GET", path, &[], None, None).await
    }

    async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Reply {
        self.post_h(path, fields, &[]).await
    }

    async fn post_h(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        more: &[(&str, &str)],
    ) -> Reply {
        let body = form(fields);
        self.send(
            "POST",
            path,
            more,
            Some(&body),
            Some("application/x-www-form-urlencoded"),
        )
        .await
    }

    async fn token(&mut self, path: &str) -> String {
        let r = self.get(path).await;
        assert_eq!(r.status, 200, "{}", r.text());
        csrf(&r.text())
    }
}

/// The workflow's effects for these tests: the real file outbox in `<dir>/outbox` (codes
/// are read from it like a mailbox), in-memory fakes for webhooks, datasets and secrets.
fn effects(dir: &std::path::Path) -> steward_requests::Effects {
    let mut e = steward_requests::fakes::Fakes::new().effects();
    e.mailer = std::sync::Arc::new(
        steward_adapters::FileOutbox::new(dir.join("outbox"), "privacy@localhost.localdomain")
            .unwrap(),
    );
    e
}

async fn with_requests() -> Server {
    let s = spawn().await;
    let reqs = Requests::new(
        s.steward.clone(),
        RequestsConfig::default(),
        effects(s.dir.path()),
    );
    assert!(s.state.set_requests(reqs));
    s
}

/// The newest sign-in code e-mailed to `email` (file outbox).
fn code_for(s: &Server, email: &str) -> String {
    let dir = s.dir.path().join("outbox");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for f in files.iter().rev() {
        let text = std::fs::read_to_string(f).unwrap();
        if text.contains(email)
            && let Some(at) = text.find("code is ")
        {
            return text[at + 8..at + 14].to_string();
        }
    }
    panic!("no code for {email} in {}", dir.display());
}

async fn signed_in<'a>(s: &'a Server, email: &str) -> Browser<'a> {
    let mut b = Browser::new(s).with("X-Steward-Region", "US-CA");
    let t = b.token("/privacy/sign-in").await;
    let r = b
        .post(
            "/privacy/sign-in",
            &[("csrf", &t), ("email", email), ("next", "/privacy/my-data")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.text());
    let code = code_for(s, email);
    let t = b.token("/privacy/sign-in/code").await;
    let r = b
        .post("/privacy/sign-in/code", &[("csrf", &t), ("code", &code)])
        .await;
    assert_eq!(r.status, 303, "{}", r.text());
    assert_eq!(
        r.header("location"),
        Some("/privacy/my-data?done=signed_in")
    );
    b
}

#[tokio::test]
async fn pages_carry_a_strict_csp_security_headers_and_strict_cookies() {
    let s = spawn().await;
    let mut b = Browser::new(&s);
    for path in [
        "/privacy",
        "/privacy/notice",
        "/privacy/do-not-sell",
        "/privacy/cookies",
        "/privacy/sign-in",
    ] {
        let r = b.get(path).await;
        assert_eq!(r.status, 200, "{path}: {}", r.text());
        assert_eq!(r.header("content-type"), Some("text/html; charset=utf-8"));
        let csp = r.header("content-security-policy").unwrap();
        assert!(csp.contains("default-src 'self'"), "{csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
        assert!(
            !csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"),
            "{csp}"
        );
        assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
        assert_eq!(r.header("x-frame-options"), Some("DENY"));
        assert_eq!(r.header("cache-control"), Some("no-store"));
        let html = r.text();
        assert!(
            !html.contains("<script>") && !html.contains("style="),
            "{path}: no inline script or style"
        );
        assert!(
            !html.contains("src=\"http") && !html.contains("<link rel=\"stylesheet\" href=\"http"),
            "{path}: no third-party asset"
        );
    }
    // First visit: the browser cookie is host-only, Secure, HttpOnly, SameSite=Lax.
    let r = Browser::new(&s).get("/privacy").await;
    let c = set_cookies(&r);
    assert_eq!(c.len(), 1, "{c:?}");
    assert!(c[0].starts_with("__Host-steward-b="), "{}", c[0]);
    for attr in ["Path=/", "HttpOnly", "Secure", "SameSite=Lax"] {
        assert!(c[0].contains(attr), "{attr} in {}", c[0]);
    }
    assert!(!c[0].contains("Domain="));
    // A known browser is not given a new cookie.
    let again = b.get("/privacy").await;
    assert!(set_cookies(&again).is_empty());
    // The stylesheet and consent.js are cached with an ETag.
    let css = b.get("/static/steward.css").await;
    assert_eq!(css.status, 200);
    let etag = css.header("etag").unwrap().to_string();
    let r = b
        .send(
            "GET",
            "/static/steward.css",
            &[("If-None-Match", &etag)],
            None,
            None,
        )
        .await;
    assert_eq!(r.status, 304);
}

#[tokio::test]
async fn csrf_missing_foreign_replayed_and_cross_site_posts_are_refused() {
    let s = spawn().await;
    let mut a = Browser::new(&s);
    let mut other = Browser::new(&s);
    let token = a.token("/privacy/do-not-sell").await;
    let foreign = other.token("/privacy/do-not-sell").await;

    let r = a
        .post("/privacy/do-not-sell", &[("choice", "opt_out")])
        .await;
    assert_eq!(r.status, 403, "no token: {}", r.text());
    assert!(r.text().contains("Not allowed"));
    assert_eq!(r.header("content-type"), Some("text/html; charset=utf-8"));

    let r = a
        .post(
            "/privacy/do-not-sell",
            &[("csrf", &foreign), ("choice", "opt_out")],
        )
        .await;
    assert_eq!(r.status, 403, "another browser's token");

    let r = a
        .post(
            "/privacy/do-not-sell",
            &[
                (
                    "csrf",
                    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                ),
                ("choice", "opt_out"),
            ],
        )
        .await;
    assert_eq!(r.status, 403, "forged token");

    let r = a
        .post_h(
            "/privacy/do-not-sell",
            &[("csrf", &token), ("choice", "opt_out")],
            &[
                ("Origin", "https://evil.test"),
                ("Sec-Fetch-Site", "cross-site"),
            ],
        )
        .await;
    assert_eq!(r.status, 403, "cross-site post");

    let r = a
        .post(
            "/privacy/do-not-sell",
            &[("csrf", &token), ("choice", "opt_out")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.text());
    assert_eq!(
        r.header("location"),
        Some("/privacy/do-not-sell?done=opted_out")
    );

    let r = a
        .post(
            "/privacy/do-not-sell",
            &[("csrf", &token), ("choice", "opt_in")],
        )
        .await;
    assert_eq!(r.status, 403, "a replayed form is refused");

    // DNS-01: the opt-out applies to the browser without signing in.
    let page = a.get("/privacy/do-not-sell").await.text();
    assert!(page.contains("data-opted-out=\"true\""), "{page}");
    let fresh = Browser::new(&s).get("/privacy/do-not-sell").await.text();
    assert!(fresh.contains("data-opted-out=\"false\""));
    // The cookie page agrees: advertising cookies are off while the opt-out stands (a US
    // visitor's default would show them on).
    let cookies = a.get("/privacy/cookies").await.text();
    let ad = cookies
        .split("<div class=\"choice\">")
        .find(|c| c.contains("name=\"cookie:advertising\""))
        .unwrap();
    assert!(!ad.contains(" checked"), "{ad}");
    assert!(ad.contains("Off while you have opted out"), "{ad}");
    let fresh = Browser::new(&s).get("/privacy/cookies").await.text();
    let ad = fresh
        .split("<div class=\"choice\">")
        .find(|c| c.contains("name=\"cookie:advertising\""))
        .unwrap();
    assert!(!ad.contains("Off while"), "{ad}");
}

#[tokio::test]
async fn gpc_07_a_sec_gpc_browser_sees_its_opt_out_honoured() {
    let s = spawn().await;
    let mut b = Browser::new(&s).with("X-Steward-Region", "US-CA");
    let r = b
        .send(
            "GET",
            "/privacy/do-not-sell",
            &[("Sec-GPC", "1")],
            None,
            None,
        )
        .await;
    assert_eq!(r.status, 200);
    let html = r.text();
    assert!(
        html.contains("id=\"gpc-status\" class=\"notice gpc\" data-honored=\"true\""),
        "{html}"
    );
    assert!(html.contains("Opt-out request honoured"));
    assert!(html.contains("data-opted-out=\"true\""));
    // GPC-03: the opt-out persists without the header.
    let later = b.get("/privacy/do-not-sell").await.text();
    assert!(later.contains("data-opted-out=\"true\""), "{later}");
    assert!(!later.contains("id=\"gpc-status\""));
    // GPC-01: only the exact value 1 counts.
    let mut c = Browser::new(&s).with("X-Steward-Region", "US-CA");
    let html = c
        .send(
            "GET",
            "/privacy/do-not-sell",
            &[("Sec-GPC", "true")],
            None,
            None,
        )
        .await
        .text();
    assert!(!html.contains("gpc-status") && html.contains("data-opted-out=\"false\""));
}

#[tokio::test]
async fn forms_validate_server_side_with_messages_next_to_the_field() {
    let s = with_requests().await;
    s.subject("US-CA", "val@example.test").await;
    let mut b = Browser::new(&s);
    let t = b.token("/privacy/sign-in").await;
    let r = b
        .post(
            "/privacy/sign-in",
            &[("csrf", &t), ("email", "not an address")],
        )
        .await;
    assert_eq!(r.status, 422);
    let html = r.text();
    assert!(html.contains("id=\"email-error\""), "{html}");
    assert!(html.contains("Enter an e-mail address like name@example.com."));
    assert!(html.contains("aria-invalid=\"true\""));
    assert!(
        html.contains("value=\"not an address\""),
        "the value is kept"
    );

    let t = b.token("/privacy/do-not-sell").await;
    let r = b
        .post("/privacy/do-not-sell", &[("csrf", &t), ("choice", "maybe")])
        .await;
    assert_eq!(r.status, 422);
    assert!(r.text().contains("id=\"choice-error\""));

    let mut me = signed_in(&s, "val@example.test").await;
    let t = me.token("/privacy/my-data/delete").await;
    let r = me.post("/privacy/my-data/delete", &[("csrf", &t)]).await;
    assert_eq!(r.status, 422);
    assert!(r.text().contains("id=\"confirm-error\""));
    assert!(
        r.text().contains("Kept, and why"),
        "the preview is shown again"
    );

    let t = me.token("/privacy/my-data").await;
    let r = me
        .post(
            "/privacy/my-data/correct",
            &[("csrf", &t), ("category", "no_such_thing"), ("value", "")],
        )
        .await;
    assert_eq!(r.status, 422);
    let html = r.text();
    assert!(
        html.contains("id=\"category-error\"") && html.contains("id=\"value-error\""),
        "{html}"
    );
}

#[tokio::test]
async fn sign_in_by_code_and_three_wrong_codes_slow_further_attempts() {
    let s = with_requests().await;
    s.subject("US-CA", "slow@example.test").await;
    let mut b = Browser::new(&s);
    let t = b.token("/privacy/sign-in").await;
    let r = b
        .post(
            "/privacy/sign-in",
            &[("csrf", &t), ("email", "slow@example.test")],
        )
        .await;
    assert_eq!(r.status, 303);
    // No account enumeration: an unknown address gets the same answer.
    let mut x = Browser::new(&s);
    let t = x.token("/privacy/sign-in").await;
    let r2 = x
        .post(
            "/privacy/sign-in",
            &[("csrf", &t), ("email", "nobody@example.test")],
        )
        .await;
    assert_eq!(r2.status, 303);
    assert_eq!(r.header("location"), r2.header("location"));

    let code = code_for(&s, "slow@example.test");
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for n in 1..=3 {
        let t = b.token("/privacy/sign-in/code").await;
        let r = b
            .post("/privacy/sign-in/code", &[("csrf", &t), ("code", wrong)])
            .await;
        assert_eq!(r.status, 422, "wrong code {n}");
        assert!(r.text().contains("That code is not right"));
    }
    let t = b.token("/privacy/sign-in/code").await;
    let r = b
        .post("/privacy/sign-in/code", &[("csrf", &t), ("code", &code)])
        .await;
    assert_eq!(r.status, 429, "even the right code waits now");
    assert!(r.header("retry-after").unwrap().parse::<u64>().unwrap() > 0);
    assert!(r.text().contains("Too many wrong codes"));

    // The code only works in the browser that asked for it.
    let mut thief = Browser::new(&s);
    let stolen: Vec<_> = b
        .cookies
        .iter()
        .filter(|(k, _)| k == "__Host-steward-signin")
        .cloned()
        .collect();
    thief.get("/privacy").await;
    thief.cookies.extend(stolen);
    let t = thief.token("/privacy/do-not-sell").await;
    let r = thief
        .post("/privacy/sign-in/code", &[("csrf", &t), ("code", &code)])
        .await;
    assert_eq!(r.status, 303);
    assert_eq!(
        r.header("location"),
        Some("/privacy/sign-in"),
        "the sealed challenge does not open elsewhere"
    );

    // Another browser signs in; the session cookie is strict.
    let me = signed_in(&s, "slow@example.test").await;
    assert!(me.cookies.iter().any(|(k, _)| k == "__Host-steward-s"));
}

/// Stateless replicas: a form's token spent on one replica is refused on another,
/// and wrong sign-in codes counted on one replica slow the browser down on the other.
#[tokio::test]
async fn csrf_tokens_and_the_sign_in_throttle_hold_across_replicas() {
    let s = with_requests().await;
    let r2 = replica_of(&s);
    let r2 = r2.await;
    let reqs = Requests::new(
        s.steward.clone(),
        RequestsConfig::default(),
        effects(s.dir.path()),
    );
    assert!(r2.state.set_requests(reqs));
    s.subject("US-CA", "replicas@example.test").await;

    let mut b = Browser::new(&s);
    let token = b.token("/privacy/do-not-sell").await;
    let r = b
        .post(
            "/privacy/do-not-sell",
            &[("csrf", &token), ("choice", "opt_out")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.text());
    b.on(&r2);
    let r = b
        .post(
            "/privacy/do-not-sell",
            &[("csrf", &token), ("choice", "opt_in")],
        )
        .await;
    assert_eq!(r.status, 403, "replayed on another replica: {}", r.text());
    let fresh = b.token("/privacy/do-not-sell").await;
    b.on(&s);
    let r = b
        .post(
            "/privacy/do-not-sell",
            &[("csrf", &fresh), ("choice", "opt_out")],
        )
        .await;
    assert_eq!(
        r.status, 303,
        "a token issued by one replica works on another"
    );

    let t = b.token("/privacy/sign-in").await;
    let r = b
        .post(
            "/privacy/sign-in",
            &[("csrf", &t), ("email", "replicas@example.test")],
        )
        .await;
    assert_eq!(r.status, 303);
    let code = code_for(&s, "replicas@example.test");
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for n in 1..=3 {
        b.on(if n % 2 == 0 { &s } else { &r2 });
        let t = b.token("/privacy/sign-in/code").await;
        let r = b
            .post("/privacy/sign-in/code", &[("csrf", &t), ("code", wrong)])
            .await;
        assert_eq!(r.status, 422, "wrong code {n}");
    }
    for replica in [&s, &r2] {
        b.on(replica);
        let t = b.token("/privacy/sign-in/code").await;
        let r = b
            .post("/privacy/sign-in/code", &[("csrf", &t), ("code", &code)])
            .await;
        assert_eq!(r.status, 429, "the throttle holds on every replica");
    }
    // Once the wait is over, the right code signs in on either replica.
    s.clock.advance(jiff::SignedDuration::from_secs(31));
    let t = b.token("/privacy/sign-in/code").await;
    let r = b
        .post("/privacy/sign-in/code", &[("csrf", &t), ("code", &code)])
        .await;
    assert_eq!(r.status, 303, "{}", r.text());
}

#[tokio::test]
async fn my_data_downloads_and_requests_are_the_subjects_own() {
    let s = with_requests().await;
    s.subject("US-CA", "own@example.test").await;
    s.subject("US-CA", "else@example.test").await;
    let mut me = signed_in(&s, "own@example.test").await;
    let r = me.get("/privacy/my-data/download?format=json").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert!(
        r.header("content-disposition")
            .unwrap()
            .starts_with("attachment")
    );
    assert!(r.json()["subject_id"].is_string());
    let r = me.get("/privacy/my-data/download?format=csv").await;
    assert_eq!(r.status, 200);
    assert!(r.header("content-type").unwrap().starts_with("text/csv"));
    let r = me.get("/privacy/my-data/download?format=exe").await;
    assert_eq!(r.status, 400);

    let t = me.token("/privacy/my-data/delete").await;
    let r = me
        .post(
            "/privacy/my-data/delete",
            &[("csrf", &t), ("confirm", "yes")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.text());
    let at = r.header("location").unwrap().to_string();
    assert!(at.starts_with("/privacy/requests/"));
    let page = me.get(&at).await;
    assert_eq!(page.status, 200);
    assert!(page.text().contains("Delete my data"));
    // Another person cannot see it.
    let mut other = signed_in(&s, "else@example.test").await;
    assert_eq!(other.get(&at).await.status, 404);
    // Not signed in: to the sign-in page.
    let r = Browser::new(&s).get("/privacy/my-data").await;
    assert_eq!(r.status, 303);
    assert!(
        r.header("location")
            .unwrap()
            .starts_with("/privacy/sign-in")
    );
}

#[tokio::test]
async fn consent_state_and_post_need_the_script_token() {
    let s = spawn().await;
    let mut eu = Browser::new(&s).with("X-Steward-Region", "FR");
    let r = eu.get("/privacy/consent/state").await;
    assert_eq!(r.status, 200, "{}", r.text());
    let st = r.json();
    assert_eq!(st["eu"], true);
    assert_eq!(st["decided"], false);
    assert_eq!(st["choices"]["analytics"], false, "EU: opt-in");
    assert_eq!(st["choices"]["strictly_necessary"], true);
    let token = st["token"].as_str().unwrap().to_string();

    let body = br#"{"cookies":{"analytics":true}}"#;
    let r = eu
        .send(
            "POST",
            "/privacy/consent",
            &[],
            Some(body),
            Some("application/json"),
        )
        .await;
    assert_eq!(r.status, 403, "no token");
    let r = eu
        .send(
            "POST",
            "/privacy/consent",
            &[("X-Steward-Token", &token)],
            Some(b"{\"cookies\":{\"nonsense\":true}}"),
            Some("application/json"),
        )
        .await;
    assert_eq!(r.status, 422);
    let r = eu
        .send(
            "POST",
            "/privacy/consent",
            &[("X-Steward-Token", &token)],
            Some(body),
            Some("application/json"),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["choices"]["analytics"], true);
    assert_eq!(r.json()["decided"], true);
    // Another browser's token does not work.
    let mut us = Browser::new(&s).with("X-Steward-Region", "US-TX");
    let st = us.get("/privacy/consent/state").await.json();
    assert_eq!(st["choices"]["analytics"], true, "US: opt-out");
    let r = us
        .send(
            "POST",
            "/privacy/consent",
            &[("X-Steward-Token", &token)],
            Some(body),
            Some("application/json"),
        )
        .await;
    assert_eq!(r.status, 403);
    // GPC reported by the script turns sale, sharing and advertising off.
    let us_token = st["token"].as_str().unwrap().to_string();
    let r = us
        .send(
            "POST",
            "/privacy/consent",
            &[("X-Steward-Token", &us_token)],
            Some(b"{\"gpc\":true}"),
            Some("application/json"),
        )
        .await;
    let st = r.json();
    assert_eq!(st["sale_opt_out"], true, "{st}");
    assert_eq!(st["choices"]["advertising"], false);
    assert!(st["gpp"].as_str().is_some_and(|g| !g.is_empty()));

    // The script: cached with an ETag, small, embeddable.
    let js = us.get("/consent.js").await;
    assert_eq!(js.status, 200);
    assert!(
        js.header("content-type")
            .unwrap()
            .starts_with("text/javascript")
    );
    assert!(
        js.header("cache-control")
            .unwrap()
            .contains("max-age=86400")
    );
    // With the IAB `__gpp`/`__uspapi` APIs (docs/privacy-center.md): 22 KB, 7 KB gzipped.
    assert!(js.body.len() < 24 * 1024, "under 24 KB even before gzip");
    let etag = js.header("etag").unwrap().to_string();
    let r = us
        .send(
            "GET",
            "/consent.js",
            &[("If-None-Match", &etag)],
            None,
            None,
        )
        .await;
    assert_eq!(r.status, 304);
}

/// The notice's "Limit the Use of My Sensitive Personal Information" link lands on a choice
/// that works: ticking it records `limit_spi`, after which sensitive data serves no marketing.
#[tokio::test]
async fn the_notice_links_to_limiting_sensitive_data_and_the_choice_is_recorded() {
    let s = with_requests().await;
    let id = s.subject("US-CA", "spi@example.test").await;
    let notice = Browser::new(&s).get("/privacy/notice").await;
    assert_eq!(notice.status, 200);
    assert!(
        notice
            .text()
            .contains("<a href=\"/privacy/preferences#limit_spi\">Limit the Use of My Sensitive Personal Information</a>"),
        "{}",
        notice.text()
    );
    let mut me = signed_in(&s, "spi@example.test").await;
    let page = me.get("/privacy/preferences").await;
    assert!(page.text().contains("id=\"limit_spi\""));
    let t = csrf(&page.text());
    let r = me
        .post("/privacy/preferences", &[("csrf", &t), ("limit_spi", "on")])
        .await;
    assert_eq!(r.status, 303, "{}", r.text());
    let admin = s.admin.clone();
    let r = s.get(&format!("/v1/subjects/{id}/choices"), &admin).await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(
        r.json()["choices"]["limit_spi"]["value"],
        true,
        "{}",
        r.text()
    );
    let page = me.get("/privacy/preferences").await;
    assert!(
        page.text()
            .contains("id=\"limit_spi\" name=\"limit_spi\" aria-describedby=\"spi-hint\" checked"),
        "{}",
        page.text()
    );
}

/// Sign-out and expiry are enforced on the server: a copy of the session cookie (with the
/// browser cookie) taken before signing out reads nothing afterwards, and a session past its
/// lifetime is over even if the browser kept its cookie. Sign-out is audited.
#[tokio::test]
async fn sign_out_and_expiry_end_the_session_for_every_copy_of_the_cookie() {
    let s = with_requests().await;
    let subject = s.subject("US-CA", "leaver@example.test").await;
    let mut b = signed_in(&s, "leaver@example.test").await;
    let mut copy = Browser::new(&s).with("X-Steward-Region", "US-CA");
    copy.cookies = b.cookies.clone();
    let r = copy.get("/privacy/my-data").await;
    assert_eq!(r.status, 200, "the copy works while the session lives");
    assert!(r.text().contains("Sign out"), "{}", r.text());

    let t = b.token("/privacy/my-data").await;
    let r = b.post("/privacy/sign-out", &[("csrf", &t)]).await;
    assert_eq!(r.status, 303, "{}", r.text());
    assert!(
        !b.cookies.iter().any(|(k, _)| k == "__Host-steward-s"),
        "the cookie is cleared"
    );
    for browser in [&mut copy, &mut b] {
        let r = browser.get("/privacy/my-data").await;
        assert_eq!(r.status, 303, "{}", r.text());
        assert!(
            r.header("location")
                .unwrap()
                .starts_with("/privacy/sign-in"),
            "signed out: {:?}",
            r.header("location")
        );
    }
    let page = s
        .get(
            &format!("/v1/audit?subject_id={subject}&kind=system"),
            &s.admin,
        )
        .await
        .json();
    let actions: Vec<&str> = page["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert!(actions.contains(&"privacy_center.sign_out"), "{actions:?}");

    // The session cookie alone, in another browser: refused, and the session ends.
    let mut owner = signed_in(&s, "leaver@example.test").await;
    let mut thief = Browser::new(&s).with("X-Steward-Region", "US-CA");
    thief.get("/privacy").await;
    thief.cookies.extend(
        owner
            .cookies
            .iter()
            .filter(|(k, _)| k == "__Host-steward-s")
            .cloned(),
    );
    assert_eq!(thief.get("/privacy/my-data").await.status, 303);
    assert_eq!(
        owner.get("/privacy/my-data").await.status,
        303,
        "a token presented by another browser ends the session"
    );

    // Expiry: the server's clock decides, whatever the cookie's Max-Age says.
    let mut c = signed_in(&s, "leaver@example.test").await;
    assert_eq!(c.get("/privacy/my-data").await.status, 200);
    s.clock.advance(jiff::SignedDuration::from_secs(
        steward_server::web::center::SESSION_TTL_SECS as i64 + 1,
    ));
    let r = c.get("/privacy/my-data").await;
    assert_eq!(r.status, 303, "an expired session reads nothing");
}

/// v2 of the shipped policy: a new purpose for e-mail addresses that needs EU consent.
fn v2_with_new_purpose() -> String {
    steward_policy::patch::apply(
        &steward_server::PolicySource::shipped().text,
        r#"
[policy]
version = "2024-03-01"
effective = "2024-03-01"

[[purpose]]
id = "product_research"
name = "Research new products with the e-mail addresses of customers"
categories = ["email"]
legal_basis = { gdpr = "consent", ccpa = "business_purpose" }
consent = { eu = "opt_in", us = "opt_out", other = "opt_out" }
clause = "2(b) To Improve Services and Develop New Services"
requirements = ["CHG-03"]
"#,
    )
    .unwrap()
}

#[tokio::test]
async fn chg04_a_material_change_shows_a_banner_and_asks_eu_subjects_again() {
    let s = with_requests().await;
    let shipped = steward_server::PolicySource::shipped().text;
    s.steward
        .record_policy_version(&shipped, &s.steward.engine())
        .await
        .unwrap();
    let id = s.subject("DE", "eu@example.test").await;
    let r = s
        .post(
            "/v1/items",
            &s.admin,
            serde_json::json!({"subject_id": id, "category": "email", "value": "eu@example.test",
                   "source": "direct:registration", "purpose": "account_registration"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
    let item = r.json()["item"]["id"].as_str().unwrap().to_string();

    let mut me = signed_in(&s, "eu@example.test").await;
    assert!(
        !me.get("/privacy")
            .await
            .text()
            .contains("id=\"policy-change\""),
        "no banner before a change"
    );

    let v2 = v2_with_new_purpose();
    let engine = steward_policy::load("v2.toml", &v2).unwrap().engine;
    let rec = s.steward.record_policy_version(&v2, &engine).await.unwrap();
    s.state.install_policy(
        steward_server::PolicySource {
            name: "v2.toml".into(),
            text: v2,
        },
        std::sync::Arc::new(engine),
    );
    let q = s
        .post(
            "/v1/policy/versions/2024-03-01/notices",
            &s.admin,
            serde_json::json!({}),
        )
        .await;
    assert_eq!(q.json()["queued"], 1, "{}", q.text());

    // The banner: what changed, and the re-consent prompt for the new purpose.
    let html = me.get("/privacy").await.text();
    assert!(html.contains("id=\"policy-change\""), "{html}");
    assert!(html.contains("new purpose `product_research`"), "{html}");
    assert!(
        html.contains("name=\"consent:purpose:product_research\""),
        "{html}"
    );
    let read = format!("/v1/items/{item}?purpose=product_research");
    let p = s.get(&read, &s.admin).await.problem(403, "DENIED");
    assert_eq!(p["decision"]["reason"], "NOTICE_REQUIRED");

    // The person reads it and consents: the notice counts as given, the answer is in the
    // ledger with the version's hash, the banner is gone and the old data may serve v2.
    let t = csrf(&html);
    let r = me
        .post(
            "/privacy/policy-change",
            &[
                ("csrf", &t),
                ("version", "2024-03-01"),
                ("consent:purpose:product_research", "on"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.text());
    assert_eq!(r.header("location"), Some("/privacy?done=policy_read"));
    let ledger = s
        .get(&format!("/v1/subjects/{id}/choices/ledger"), &s.admin)
        .await
        .json();
    let entry = ledger["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["key"] == "consent:purpose:product_research")
        .unwrap_or_else(|| panic!("{ledger}"))
        .clone();
    assert_eq!(entry["value"], true);
    assert_eq!(entry["notice_sha256"], rec.sha256.to_hex());
    let notices = s
        .get(&format!("/v1/subjects/{id}/policy-notices"), &s.admin)
        .await
        .json();
    assert!(notices["notices"][0]["sent_at"].is_string(), "{notices}");
    assert!(
        !me.get("/privacy")
            .await
            .text()
            .contains("id=\"policy-change\""),
        "answered once"
    );
    let r = s.get(&read, &s.admin).await;
    assert_eq!(r.status, 200, "{}", r.text());
}

/// BIZ-02, BIZ-03: a change-of-control notice is asked on the preferences page of the person
/// it is owed to; their answer is a choice of the ledger, recorded with CSRF, and releases the
/// hold on promotions (here: "stop", so they are opted out instead).
#[tokio::test]
async fn the_change_of_control_question_is_asked_and_answered_on_preferences() {
    let s = with_requests().await;
    let admin = s.admin.clone();
    let id = s.subject("US-TX", "coc@example.test").await;
    let n = s
        .post(
            &format!("/v1/subjects/{id}/change-of-control"),
            &admin,
            serde_json::json!({"transfer": "acme-2024"}),
        )
        .await;
    assert_eq!(n.status, 201, "{}", n.text());
    let nid = n.json()["id"].as_str().unwrap().to_string();
    let mut me = signed_in(&s, "coc@example.test").await;
    let page = me.get("/privacy/preferences").await;
    let html = page.text();
    assert!(html.contains("Our business has changed hands"), "{html}");
    assert!(
        html.contains(&format!("name=\"notice\" value=\"{nid}\"")),
        "{html}"
    );
    let t = csrf(&html);
    // Without the CSRF token: refused, nothing recorded.
    let r = me
        .post(
            "/privacy/preferences/change-of-control",
            &[("notice", &nid), ("answer", "stop")],
        )
        .await;
    assert_eq!(r.status, 403, "{}", r.text());
    // Someone else's notice id is not found.
    let r = me
        .post(
            "/privacy/preferences/change-of-control",
            &[
                ("csrf", &t),
                ("notice", "0190b7a4-0000-7000-8000-000000000000"),
                ("answer", "stop"),
            ],
        )
        .await;
    assert_eq!(r.status, 404, "{}", r.text());
    let t = csrf(&me.get("/privacy/preferences").await.text());
    let r = me
        .post(
            "/privacy/preferences/change-of-control",
            &[("csrf", &t), ("notice", &nid), ("answer", "stop")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.text());
    assert_eq!(
        r.header("location"),
        Some("/privacy/preferences?done=answered")
    );
    let list = s
        .get(&format!("/v1/subjects/{id}/change-of-control"), &admin)
        .await
        .json();
    assert_eq!(list["notices"][0]["stop_promotions"], true, "{list}");
    assert_eq!(list["notices"][0]["pending"], false);
    let d = s
        .post(
            "/v1/decisions",
            &admin,
            serde_json::json!({
                "op": "can_send", "subject": {"id": id},
                "message_kind": "marketing_first_party", "channel": "email"
            }),
        )
        .await
        .json();
    assert_eq!(d["reason"], "OPTED_OUT", "{d}");
    let html = me.get("/privacy/preferences?done=answered").await.text();
    assert!(
        html.contains("You answered “stop sending me promotions”"),
        "{html}"
    );
    assert!(!html.contains("name=\"answer\" value=\"stop\""));
}

/// ADMIN-01, ADMIN-03, ADMIN-04, ADMIN-09: the account holder sees, signed in, who holds
/// administrator access to their account (with the policy's warning) and what administrators
/// did with their data, read from the audit log; a person who holds no account sees none.
#[tokio::test]
async fn the_holder_sees_their_administrators_and_what_they_did() {
    let s = with_requests().await;
    let k = s.admin.clone();
    let owner = s.subject("US-CA", "holder@example.test").await;
    let helper = s.subject("US-CA", "helper@example.test").await;
    let acc = s
        .post("/v1/accounts", &k, serde_json::json!({"owner_id": owner}))
        .await
        .json()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = s
        .post(
            &format!("/v1/accounts/{acc}/members"),
            &k,
            serde_json::json!({"subject_id": helper}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
    let r = s
        .post(
            &format!("/v1/accounts/{acc}/grants"),
            &k,
            serde_json::json!({"grantee_id": helper, "granted_by": owner, "permissions": ["view_pi"], "warning_acknowledged": true}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
    // The owner has an e-mail item; the administrator reads it (ADMIN-02, ADMIN-04).
    let r = s
        .post(
            "/v1/items",
            &k,
            serde_json::json!({"subject_id": owner, "category": "email", "value": "holder@example.test",
                "source": "direct:registration", "purpose": "account_registration"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
    let item = r.json()["item"]["id"].as_str().unwrap().to_string();
    let console = s
        .key(
            "console",
            &["read_pii"],
            serde_json::json!({"account_id": acc}),
        )
        .await;
    let r = s
        .call(
            "GET",
            &format!("/v1/items/{item}?purpose=support"),
            Some(&console),
            &[("X-Steward-Actor", helper.as_str())],
            None,
            None,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());

    // Signed out: sent to sign in.
    let r = Browser::new(&s).get("/privacy/administrators").await;
    assert_eq!(r.status, 303);
    let mut me = signed_in(&s, "holder@example.test").await;
    let page = me.get("/privacy/administrators").await;
    assert_eq!(page.status, 200, "{}", page.text());
    let html = page.text();
    let tail = &helper[helper.len() - 8..];
    assert!(
        html.contains("may see and have the ability to change or delete"),
        "{html}"
    );
    assert!(
        html.contains("Please be careful to whom you grant administrator access"),
        "{html}"
    );
    assert!(html.contains(&format!("Administrator {tail}")), "{html}");
    assert!(
        html.contains("<td>see</td>") && html.contains("<td>active</td>"),
        "{html}"
    );
    assert!(html.contains("<td>Viewed</td>"), "{html}");
    assert!(html.contains("<td>email</td>"), "{html}");
    // The page reads the audit log: that read is audited, as the holder's own.
    let log = s
        .get(&format!("/v1/audit?subject_id={owner}&limit=1000"), &k)
        .await
        .text();
    assert!(log.contains("audit.query"), "{log}");

    // The administrator holds no account: nothing to show, and nothing of the holder's.
    let mut them = signed_in(&s, "helper@example.test").await;
    let html = them.get("/privacy/administrators").await.text();
    assert!(html.contains("You hold no account"), "{html}");
    assert!(!html.contains("<td>Viewed</td>"), "{html}");
}

/// CUST-01, USPSPA-01, CARRIER-01, CARRIER-02: the account holder sees, signed in, the
/// agreements of their account with the full text of what was accepted, when and by whom,
/// and the carriers they selected (with each carrier's own privacy policy, CARRIER-03).
#[tokio::test]
async fn the_holder_sees_the_agreements_they_accepted_and_the_carriers_they_selected() {
    let s = with_requests().await;
    let k = s.admin.clone();
    let owner = s.subject("US-CA", "signer@example.test").await;
    let acc = s
        .post("/v1/accounts", &k, serde_json::json!({"owner_id": owner}))
        .await
        .json()["id"]
        .as_str()
        .unwrap()
        .to_string();
    for a in ["carrier_notice", "usps_privacy_act_statement"] {
        let r = s
            .post(
                &format!("/v1/accounts/{acc}/agreements"),
                &k,
                serde_json::json!({"agreement": a}),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.text());
    }
    let r = s
        .post(
            &format!("/v1/accounts/{acc}/carriers"),
            &k,
            serde_json::json!({"carrier": "CAR_UPS", "shipment": "ship-0042"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
    // The API's status carries the text too.
    let list = s
        .get(&format!("/v1/accounts/{acc}/agreements"), &k)
        .await
        .json();
    let engine = steward_policy::default_engine().unwrap();
    let pas = engine.agreement("usps_privacy_act_statement").unwrap();
    let pas_text = engine.agreement_info(pas).text.clone().unwrap();
    assert_eq!(list["agreements"][1]["text"], pas_text.as_str(), "{list}");

    let r = Browser::new(&s).get("/privacy/agreements").await;
    assert_eq!(r.status, 303, "signed out: sent to sign in");
    let mut me = signed_in(&s, "signer@example.test").await;
    let page = me.get("/privacy/agreements").await;
    assert_eq!(page.status, 200, "{}", page.text());
    let html = page.text();
    // The statement's text, word for word (HTML-escaped as any text).
    assert!(
        html.contains("the USPS requires that you agree to the USPS Privacy Act Statement"),
        "{html}"
    );
    assert!(html.contains("The text you accepted:"), "{html}");
    assert!(html.contains("by you (version pas-1)"), "{html}");
    assert!(html.contains("Not accepted"), "the undertaking: {html}");
    assert!(html.contains("UPS (carrier you select)"), "{html}");
    assert!(html.contains("ship-0042"), "{html}");
    assert!(
        html.contains("https://www.ups.com/us/en/support/shipping-support/legal-terms-conditions/privacy-notice.page"),
        "{html}"
    );
    // Linked from My data.
    let html = me.get("/privacy/my-data").await.text();
    assert!(html.contains("href=\"/privacy/agreements\""), "{html}");

    // Someone who holds no account sees none.
    s.subject("US-CA", "nobody@example.test").await;
    let mut them = signed_in(&s, "nobody@example.test").await;
    let html = them.get("/privacy/agreements").await.text();
    assert!(html.contains("You hold no account"), "{html}");
}
