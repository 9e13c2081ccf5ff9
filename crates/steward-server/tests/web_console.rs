//! The privacy team's console end to end: the real server on 127.0.0.1:0 with a fresh store
//! and a manual clock, driven over HTTP like a browser without JavaScript (cookies kept by
//! hand, forms posted with their CSRF tokens).
#![expect(
    clippy::unwrap_used,
    reason = "test code: a failed step fails the test"
)]

mod common;

use std::sync::Arc;

use common::{Reply, Server, csrf, form, set_cookies, spawn};
use steward_core::Caller;
use steward_deadlines::RequestKind;
use steward_requests::{Requester, Requests, RequestsConfig, SubmitRequest};
use steward_vault::Sensitive;

/// A browser: its cookies, kept across calls.
struct Browser<'a> {
    s: &'a Server,
    cookies: Vec<(String, String)>,
}

impl<'a> Browser<'a> {
    fn new(s: &'a Server) -> Self {
        Browser {
            s,
            cookies: Vec::new(),
        }
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

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    async fn get(&mut self, path: &str) -> Reply {
        let c = self.cookie_header();
        let h: Vec<(&str, &str)> = if c.is_empty() {
            vec![]
        } else {
            vec![("Cookie", c.as_str())]
        };
        let r = self.s.call("GET", path, None, &h, None, None).await;
        self.keep(&r);
        r
    }

    async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Reply {
        self.post_h(path, fields, &[]).await
    }

    async fn post_h(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        extra: &[(&str, &str)],
    ) -> Reply {
        let c = self.cookie_header();
        let mut h: Vec<(&str, &str)> = extra.to_vec();
        if !c.is_empty() {
            h.push(("Cookie", c.as_str()));
        }
        let body = form(fields);
        let r = self
            .s
            .call(
                "POST",
                path,
                None,
                &h,
                Some(&body),
                Some("application/x-www-form-urlencoded"),
            )
            .await;
        self.keep(&r);
        r
    }

    /// Signs in with `key`; returns the reply to the sign-in post.
    async fn sign_in(&mut self, key: &str) -> Reply {
        let page = self.get("/console/sign-in").await;
        assert_eq!(page.status, 200, "{}", page.text());
        let token = csrf(&page.text());
        self.post("/console/sign-in", &[("csrf", &token), ("key", key)])
            .await
    }

    /// A page's CSRF token (the page is fetched).
    async fn token(&mut self, path: &str) -> String {
        let r = self.get(path).await;
        assert_eq!(r.status, 200, "{}", r.text());
        csrf(&r.text())
    }
}

fn location(r: &Reply) -> &str {
    r.header("location").unwrap_or("")
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

fn requests(s: &Server) -> &Arc<Requests> {
    s.state.requests().unwrap()
}

/// A request staff submitted after checking the person's identity on a call: verified.
async fn staff_request(s: &Server, kind: RequestKind, email: &str, jurisdiction: &str) -> String {
    let subject = s.subject(jurisdiction, email).await;
    let a = requests(s)
        .submit(
            &Caller::Service("support".into()),
            SubmitRequest {
                kind,
                requester: Requester::Admin,
                channel: "support".into(),
                subject_id: Some(subject.parse().unwrap()),
                email: Some(Sensitive::new(email.to_string())),
                jurisdiction: None,
                agent: None,
                lookback: None,
                purpose: None,
                correction: None,
                preverified: Some("support_call".into()),
                received_at: None,
            },
        )
        .await
        .unwrap();
    a.request_id.to_string()
}

#[tokio::test]
async fn console_sign_in_exchanges_a_key_for_a_strict_session_and_sign_out_ends_it() {
    let s = with_requests().await;
    let mut b = Browser::new(&s);
    // Not signed in: pages send to the sign-in page.
    let r = b.get("/console").await;
    assert_eq!(r.status, 303);
    assert_eq!(location(&r), "/console/sign-in");
    // A wrong key, then an empty one: the form again with the message next to the field.
    let r = b.sign_in("stw_not_a_key").await;
    assert_eq!(r.status, 403);
    assert!(r.text().contains("not accepted"), "{}", r.text());
    assert!(r.text().contains("aria-invalid=\"true\""));
    let r = b.sign_in("  ").await;
    assert_eq!(r.status, 422);
    assert!(r.text().contains("Enter the API key"));
    // A key with no console role.
    let decide = s
        .key("svc:checkout", &["decide"], serde_json::json!({}))
        .await;
    let r = b.sign_in(&decide).await;
    assert_eq!(r.status, 403);
    assert!(r.text().contains("holds no console role"), "{}", r.text());
    // The admin key: a session cookie, HttpOnly, Secure, SameSite=Strict, short-lived.
    let r = b.sign_in(&s.admin).await;
    assert_eq!(r.status, 303, "{}", r.text());
    assert_eq!(location(&r), "/console");
    let c = set_cookies(&r)
        .into_iter()
        .find(|c| c.starts_with("__Host-steward-console="))
        .expect("a session cookie");
    for attr in [
        "HttpOnly",
        "Secure",
        "SameSite=Strict",
        "Path=/",
        "Max-Age=28800",
    ] {
        assert!(c.contains(attr), "{attr} missing in {c}");
    }
    assert!(!c.contains(&s.admin), "the key itself is never the cookie");
    // Back to the page that asked for the sign-in; never to another site.
    let mut other = Browser::new(&s);
    let r = other.get("/console/audit").await;
    assert_eq!(location(&r), "/console/sign-in?next=/console/audit");
    let page = other.get(location(&r)).await.text();
    assert!(page.contains("name=\"next\" value=\"/console/audit\""));
    let r = other
        .post(
            "/console/sign-in",
            &[
                ("csrf", &csrf(&page)),
                ("key", &s.admin),
                ("next", "/console/audit"),
            ],
        )
        .await;
    assert_eq!(location(&r), "/console/audit");
    let page = other.get("/console/sign-in").await.text();
    let r = other
        .post(
            "/console/sign-in",
            &[
                ("csrf", &csrf(&page)),
                ("key", &s.admin),
                ("next", "//evil.example/x"),
            ],
        )
        .await;
    assert_eq!(location(&r), "/console");
    let r = b.get("/console").await;
    assert_eq!(r.status, 200, "{}", r.text());
    let html = r.text();
    assert!(html.contains("Dashboard") && html.contains("Key bootstrap-admin"));
    let csp = r.header("content-security-policy").unwrap();
    assert!(csp.contains("default-src 'self'") && !csp.contains("unsafe-inline"));
    // Sign out: the cookie is cleared and the session ends on the server too.
    let old = b.cookie_header();
    let token = csrf(&html);
    let r = b.post("/console/sign-out", &[("csrf", &token)]).await;
    assert_eq!(r.status, 303);
    assert!(location(&r).starts_with("/console/sign-in"));
    assert!(
        set_cookies(&r)
            .iter()
            .any(|c| c.starts_with("__Host-steward-console=;") && c.contains("Max-Age=0"))
    );
    let r = s
        .call(
            "GET",
            "/console",
            None,
            &[("Cookie", old.as_str())],
            None,
            None,
        )
        .await;
    assert_eq!(r.status, 303, "the old cookie no longer opens the console");
}

#[tokio::test]
async fn console_every_page_checks_the_role_of_the_key() {
    let s = with_requests().await;
    let dsr = s.key("privacy:dsr", &["dsr"], serde_json::json!({})).await;
    let pii = s
        .key("privacy:lookup", &["read_pii"], serde_json::json!({}))
        .await;
    let cases: [(&str, &str, [u16; 6]); 3] = [
        // requests, subjects, audit, data map, policy, dashboard
        ("dsr", &dsr, [200, 403, 403, 200, 200, 200]),
        ("read_pii", &pii, [403, 200, 403, 200, 200, 200]),
        ("admin", &s.admin, [200, 200, 200, 200, 200, 200]),
    ];
    let pages = [
        "/console/requests",
        "/console/subjects",
        "/console/audit",
        "/console/data-map",
        "/console/policy",
        "/console",
    ];
    for (role, key, want) in cases {
        let mut b = Browser::new(&s);
        assert_eq!(b.sign_in(key).await.status, 303, "{role}");
        for (p, w) in pages.iter().zip(want) {
            let r = b.get(p).await;
            assert_eq!(r.status, w, "{role} on {p}: {}", r.text());
            if w == 403 {
                assert!(
                    r.text().contains("does not hold the role this page needs"),
                    "{}",
                    r.text()
                );
            }
        }
        // Navigation offers only what the role may open.
        let home = b.get("/console").await.text();
        assert_eq!(
            home.contains("href=\"/console/audit\""),
            role == "admin",
            "{role}"
        );
    }
    // A form post needs the role too.
    let id = staff_request(&s, RequestKind::Access, "ann@example.com", "US-CA").await;
    let mut b = Browser::new(&s);
    b.sign_in(&pii).await;
    let token = b.token("/console/subjects").await;
    let r = b
        .post(
            &format!("/console/requests/{id}/approve"),
            &[("csrf", &token)],
        )
        .await;
    assert_eq!(r.status, 403);
    assert_eq!(
        requests(&s)
            .show(id.parse().unwrap())
            .await
            .unwrap()
            .summary
            .state,
        "verified"
    );
}

#[tokio::test]
async fn admin_05_a_revoked_key_loses_its_session_on_the_next_request() {
    let s = with_requests().await;
    let r = s
        .post(
            "/v1/keys",
            &s.admin,
            serde_json::json!({"name": "privacy:temp", "scopes": ["dsr"]}),
        )
        .await;
    let key = r.json()["secret"].as_str().unwrap().to_string();
    let key_id = r.json()["key"]["id"].as_str().unwrap().to_string();
    let mut b = Browser::new(&s);
    assert_eq!(b.sign_in(&key).await.status, 303);
    assert_eq!(b.get("/console/requests").await.status, 200);
    let r = s
        .call(
            "DELETE",
            &format!("/v1/keys/{key_id}"),
            Some(&s.admin),
            &[],
            None,
            None,
        )
        .await;
    assert!(r.status < 300, "{}", r.text());
    let r = b.get("/console/requests").await;
    assert_eq!(r.status, 303);
    assert_eq!(location(&r), "/console/sign-in?next=/console/requests");
}

#[tokio::test]
async fn console_forms_refuse_missing_forged_replayed_and_cross_site_posts() {
    let s = with_requests().await;
    let id = staff_request(&s, RequestKind::Deletion, "bob@example.com", "US-CA").await;
    let mut b = Browser::new(&s);
    b.sign_in(&s.admin).await;
    let path = format!("/console/requests/{id}/approve");
    // No token, a forged one.
    let r = b.post(&path, &[("data_points", "0")]).await;
    assert_eq!(r.status, 403, "{}", r.text());
    let r = b
        .post(
            &path,
            &[(
                "csrf",
                "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            )],
        )
        .await;
    assert_eq!(r.status, 403);
    // A real token from another page, sent from another site.
    let token = b.token(&format!("/console/requests/{id}")).await;
    let r = b
        .post_h(
            &path,
            &[("csrf", &token)],
            &[
                ("Origin", "https://evil.example"),
                ("Sec-Fetch-Site", "cross-site"),
            ],
        )
        .await;
    assert_eq!(r.status, 403);
    assert_eq!(
        requests(&s)
            .show(id.parse().unwrap())
            .await
            .unwrap()
            .summary
            .state,
        "verified",
        "nothing refused had an effect"
    );
    // The same token from the console itself works once; replayed, it is refused.
    let r = b.post(&path, &[("csrf", &token)]).await;
    assert_eq!(r.status, 303, "{}", r.text());
    let r = b.post(&path, &[("csrf", &token)]).await;
    assert_eq!(r.status, 403, "a replayed form post is refused");
    // Another browser presenting the session cookie does not get in (bound to the browser).
    let session = b
        .cookies
        .iter()
        .find(|(k, _)| k == "__Host-steward-console")
        .unwrap()
        .1
        .clone();
    let stolen = format!("__Host-steward-console={session}");
    let r = s
        .call(
            "GET",
            "/console",
            None,
            &[("Cookie", stolen.as_str())],
            None,
            None,
        )
        .await;
    assert_eq!(r.status, 303);
}

/// The request ids in the order the queue shows them.
fn queue_ids(html: &str) -> Vec<String> {
    let pat = "href=\"/console/requests/";
    html.match_indices(pat)
        .map(|(i, _)| {
            let rest = &html[i + pat.len()..];
            rest[..rest.find('"').unwrap()].to_string()
        })
        .collect()
}

#[tokio::test]
async fn dl_04_the_queue_is_sorted_by_due_date_and_overdue_requests_stand_out() {
    let s = with_requests().await;
    // An opt-out (15 business days), a deletion (CCPA 45 days), an access request from the EU
    // (one month): submitted in an order that is not the due order.
    let del = staff_request(&s, RequestKind::Deletion, "c1@example.com", "US-CA").await;
    s.tick();
    let eu = staff_request(&s, RequestKind::Access, "c2@example.com", "DE").await;
    s.tick();
    let opt = staff_request(&s, RequestKind::OptOutSaleShare, "c3@example.com", "US-CA").await;
    let mut b = Browser::new(&s);
    b.sign_in(&s.admin).await;
    let r = b.get("/console/requests").await;
    assert_eq!(r.status, 200, "{}", r.text());
    let html = r.text();
    let listed = queue_ids(&html);
    let open: Vec<&String> = [&opt, &eu, &del]
        .into_iter()
        .filter(|id| listed.contains(id))
        .collect();
    assert!(open.len() >= 2, "{listed:?}");
    let pos = |id: &str| listed.iter().position(|x| x == id).unwrap();
    let mut dues = Vec::new();
    for id in &listed {
        dues.push(
            requests(&s)
                .show(id.parse().unwrap())
                .await
                .unwrap()
                .summary
                .due,
        );
    }
    assert!(
        dues.windows(2).all(|w| w[0] <= w[1]),
        "sorted by due date: {dues:?}"
    );
    if listed.contains(&eu) {
        assert!(pos(&eu) < pos(&del), "one month before 45 days");
    }
    assert!(
        !html.contains("class=\"overdue\""),
        "nothing is overdue yet"
    );
    assert!(html.contains("days left"));
    // Two months later every open request is overdue, highlighted and said in words.
    s.clock.advance(jiff::SignedDuration::from_hours(24 * 60));
    // The session ended meanwhile (idle for two months, on the same clock): sign in again.
    let r = b.get("/console/requests").await;
    assert_eq!(r.status, 303);
    assert_eq!(b.sign_in(&s.admin).await.status, 303);
    let html = b.get("/console/requests").await.text();
    let rows = html.matches("<tr class=\"overdue\">").count();
    assert_eq!(rows, queue_ids(&html).len(), "{html}");
    assert!(rows >= 1);
    assert!(html.contains("overdue by "), "{html}");
    let dash = b.get("/console").await.text();
    assert!(
        dash.contains("tile bad"),
        "the dashboard counts them: {dash}"
    );
}

#[tokio::test]
async fn console_works_a_deletion_request_to_its_receipt() {
    let s = with_requests().await;
    let id = staff_request(&s, RequestKind::Deletion, "dana@example.com", "US-CA").await;
    let mut b = Browser::new(&s);
    b.sign_in(&s.admin).await;
    let page = format!("/console/requests/{id}");
    let html = b.get(&page).await.text();
    assert!(html.contains("Approve request"), "{html}");
    assert!(!html.contains("Run request"), "not before approval");
    // A bad field: the message next to the form, nothing done.
    let token = csrf(&html);
    let r = b
        .post(
            &format!("{page}/approve"),
            &[("csrf", &token), ("data_points", "many")],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.text().contains("whole number from 0 to 10"));
    let token = csrf(&r.text());
    let r = b
        .post(
            &format!("{page}/approve"),
            &[("csrf", &token), ("data_points", "0")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.text());
    assert_eq!(location(&r), format!("{page}?done=approved"));
    let html = b.get(location(&r)).await.text();
    assert!(html.contains("The request was approved."));
    assert!(
        html.contains("Erasure plan"),
        "the plan is shown once approved"
    );
    assert!(html.contains("Run request"));
    let token = csrf(&html);
    let r = b.post(&format!("{page}/run"), &[("csrf", &token)]).await;
    assert_eq!(r.status, 303, "{}", r.text());
    assert_eq!(location(&r), format!("{page}?done=ran"));
    let html = b.get(location(&r)).await.text();
    assert!(html.contains("id=\"receipt\""), "{html}");
    assert!(html.contains("completed"));
    assert!(html.contains("Receipt SHA-256"));
    // The audit trail names the key that approved and ran it.
    assert!(html.contains("service:bootstrap-admin"), "{html}");
    let v = requests(&s).show(id.parse().unwrap()).await.unwrap();
    assert_eq!(v.summary.state, "completed");
    // The queue no longer lists it; with closed requests it is there.
    let q = b.get("/console/requests").await.text();
    assert!(!q.contains(&id));
    let q = b.get("/console/requests?closed=1").await.text();
    assert!(q.contains(&id));
}

#[tokio::test]
async fn console_extends_and_denies_with_reasons_next_to_their_forms() {
    let s = with_requests().await;
    let id = staff_request(&s, RequestKind::Access, "eve@example.com", "US-CA").await;
    let mut b = Browser::new(&s);
    b.sign_in(&s.admin).await;
    let page = format!("/console/requests/{id}");
    let token = b.token(&page).await;
    let r = b
        .post(
            &format!("{page}/extend"),
            &[("csrf", &token), ("reason", " ")],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.text().contains("Give the reason for the extension"));
    let token = csrf(&r.text());
    let r = b
        .post(
            &format!("{page}/extend"),
            &[
                ("csrf", &token),
                ("reason", "The records span several systems."),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.text());
    let html = b.get(location(&r)).await.text();
    assert!(html.contains("The deadline was extended"));
    assert!(
        !html.contains("Extend once"),
        "DL-05: one extension per request"
    );
    // A denial the law does not permit for this request is refused with the core's reason.
    let token = csrf(&html);
    let r = b
        .post(
            &format!("{page}/deny"),
            &[
                ("csrf", &token),
                ("reason", "excessive"),
                ("justification", ""),
            ],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.text().contains("give the justification"), "{}", r.text());
    let token = csrf(&r.text());
    let r = b
        .post(
            &format!("{page}/deny"),
            &[
                ("csrf", &token),
                ("reason", "excessive"),
                ("justification", "Fourth identical request this month."),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.text());
    assert_eq!(
        requests(&s)
            .show(id.parse().unwrap())
            .await
            .unwrap()
            .summary
            .state,
        "denied"
    );
}

#[tokio::test]
async fn aud_06_subject_lookup_by_email_shows_choices_and_is_audited() {
    let s = with_requests().await;
    let id = s.subject("US-CA", "fay@example.com").await;
    let r = s
        .post(
            "/v1/choices",
            &s.admin,
            serde_json::json!({"subject_id": id, "choices": [{"key": "sale_opt_out", "value": true}]}),
        )
        .await;
    assert!(r.status < 300, "{}", r.text());
    let pii = s
        .key("privacy:lookup", &["read_pii"], serde_json::json!({}))
        .await;
    let mut b = Browser::new(&s);
    b.sign_in(&pii).await;
    let token = b.token("/console/subjects").await;
    let r = b
        .post(
            "/console/subjects",
            &[("csrf", &token), ("email", "not-an-address")],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.text().contains("Enter an e-mail address"));
    let token = csrf(&r.text());
    let r = b
        .post(
            "/console/subjects",
            &[("csrf", &token), ("email", "nobody@example.com")],
        )
        .await;
    assert_eq!(r.status, 200);
    assert!(r.text().contains("No subject holds this e-mail address."));
    let token = csrf(&r.text());
    let r = b
        .post(
            "/console/subjects",
            &[("csrf", &token), ("email", "Fay@Example.com")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.text());
    assert_eq!(location(&r), format!("/console/subjects/{id}"));
    let html = b.get(location(&r)).await.text();
    assert!(html.contains("Effective choices"), "{html}");
    assert!(html.contains("sale opt out"), "{html}");
    assert!(
        !html.contains("fay@example.com"),
        "the address is not shown back"
    );
    // The lookup and the choices read were recorded under the key's name.
    s.steward.audit().flush().await;
    let r = s
        .get(&format!("/v1/audit?subject_id={id}&kind=read"), &s.admin)
        .await;
    let reads = r.json()["entries"].as_array().unwrap().clone();
    assert!(
        reads
            .iter()
            .any(|e| e["action"] == "subject.lookup" && e["actor"]["id"] == "privacy:lookup"),
        "{reads:?}"
    );
}

#[tokio::test]
async fn console_audit_log_filters_and_verifies_the_chain() {
    let s = with_requests().await;
    let id = s.subject("US-CA", "gil@example.com").await;
    let mut b = Browser::new(&s);
    b.sign_in(&s.admin).await;
    let r = b.get(&format!("/console/audit?subject={id}")).await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(r.text().contains(&id));
    let r = b.get("/console/audit?from=yesterday").await;
    assert_eq!(r.status, 422);
    assert!(r.text().contains("Use a date like 2024-03-04"));
    let r = b
        .get("/console/audit?kind=choice&from=2024-03-04&until=2024-03-04")
        .await;
    assert_eq!(r.status, 200);
    let token = b.token("/console/audit").await;
    let r = b.post("/console/audit/verify", &[("csrf", &token)]).await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(r.text().contains("The chain verifies"), "{}", r.text());
}

#[tokio::test]
async fn gdpr_27_data_map_and_policy_pages_come_from_the_policy_in_force() {
    let s = with_requests().await;
    let mut b = Browser::new(&s);
    b.sign_in(&s.admin).await;
    let html = b.get("/console/data-map").await.text();
    let engine = s.steward.engine();
    assert_eq!(
        html.matches("<details class=\"ropa\"").count(),
        engine.purposes.len(),
        "one record entry per purpose"
    );
    for r in &engine.recipients {
        assert!(
            html.contains(&format!("<code>{}</code>", r.key)),
            "{}",
            r.key
        );
    }
    assert!(
        html.contains("Standard contractual clauses")
            || html.contains("standard contractual clauses")
    );
    assert!(!html.contains("The record is incomplete"));
    let html = b.get("/console/policy").await.text();
    assert!(html.contains(&engine.meta.version));
    assert!(
        html.contains("test cases pass") || html.contains("test cases fail"),
        "{html}"
    );
    // CHG-01 / CHG-05: the recorded versions, and the stale shipped policy flagged.
    assert!(html.contains("No version recorded yet"), "{html}");
    s.steward
        .record_policy_version(
            &steward_server::PolicySource::shipped().text,
            &s.steward.engine(),
        )
        .await
        .unwrap();
    let html = b.get("/console/policy").await.text();
    assert!(html.contains("<td>in force</td>"), "{html}");
    assert!(
        html.contains("took effect more than 12 months ago"),
        "{html}"
    );
    // DPF-02, SP-04: an expired certification and a contract expiring within 30 days are
    // warned about beside the staleness.
    assert!(!html.contains("Expired: the"), "{html}");
    let text = steward_policy::patch::apply(
        &steward_server::PolicySource::shipped().text,
        r#"
[[recipient]]
id = "SP_EMAIL"
transfer = [{ mechanism = "dpf", until = "2024-02-29" }]

[[recipient]]
id = "SP_SMS"
contract = { expires = "2024-03-20" }
"#,
    )
    .unwrap();
    let loaded = steward_policy::load("expiring.toml", &text).unwrap().engine;
    s.state.install_policy(
        steward_server::PolicySource {
            name: "expiring.toml".into(),
            text,
        },
        Arc::new(loaded),
    );
    let html = b.get("/console/policy").await.text();
    assert!(
        html.contains("Expired: the transfer mechanism <code>dpf</code> of recipient <code>SP_EMAIL</code> ended on 2024-02-29"),
        "{html}"
    );
    assert!(
        html.contains("Expiring: the contract <code>DPA-SMS-2019</code> of recipient <code>SP_SMS</code> ends on 2024-03-20"),
        "{html}"
    );
    let dash = b.get("/console").await.text();
    assert_eq!(dash.matches("<svg class=\"chart\"").count(), 4, "{dash}");
    let css = b.get("/console/console.css").await;
    assert_eq!(css.status, 200);
    assert!(css.header("etag").is_some());
    assert_eq!(b.get("/console/nothing-here").await.status, 404);
}

/// An incident recorded through the API, discovered four days before the test clock in
/// Germany: once assessed as a breach, the authority's 72 hours are gone.
async fn late_incident(s: &Server) -> String {
    let r = s
        .post(
            "/v1/incidents",
            &s.admin,
            serde_json::json!({
                "summary": "Backup bucket readable without credentials",
                "discovered_at": "2024-02-29T17:00:00Z",
                "systems": ["backups"],
                "categories": ["email"],
                "affected": {"DE": 3},
            }),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
    r.json()["id"].as_str().unwrap().to_string()
}

/// A subpoena registered through the API by `key`.
async fn subpoena(s: &Server, key: &str) -> String {
    let subject = s.subject("US-CA", "gil@example.com").await;
    let r = s
        .post(
            "/v1/legal-requests",
            key,
            serde_json::json!({
                "authority": "Superior Court, County of Demo",
                "instrument": "subpoena",
                "basis": "required_by_law",
                "scope": ["email"],
                "subject_ids": [subject],
            }),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
    r.json()["id"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn console_case_pages_need_a_session_the_cases_role_and_a_csrf_token() {
    let s = with_requests().await;
    let incident = late_incident(&s).await;
    let legal = subpoena(&s, &s.admin).await;
    let c = s
        .post(
            "/v1/complaints",
            &s.admin,
            serde_json::json!({"channel": "console", "jurisdiction": "FR", "topic": "marketing"}),
        )
        .await;
    assert_eq!(c.status, 201, "{}", c.text());
    let complaint = c.json()["id"].as_str().unwrap().to_string();
    let pages = [
        format!("/console/incidents/{incident}"),
        format!("/console/complaints/{complaint}"),
        "/console/legal".to_string(),
        format!("/console/legal/{legal}"),
    ];
    let forms = [
        format!("/console/incidents/{incident}/assess"),
        format!("/console/incidents/{incident}/close"),
        format!("/console/complaints/{complaint}/respond"),
        format!("/console/legal/{legal}/review"),
    ];
    // No session: a page sends to the sign-in page and back; a form post is refused.
    let mut anon = Browser::new(&s);
    for p in &pages {
        let r = anon.get(p).await;
        assert_eq!(r.status, 303, "{p}");
        assert_eq!(location(&r), format!("/console/sign-in?next={p}"), "{p}");
    }
    for f in &forms {
        let r = anon.post(f, &[("breach", "yes"), ("risk", "high")]).await;
        assert_eq!(r.status, 403, "{f}: {}", r.text());
    }
    // A key without `cases`: told which role the page needs; its forms are refused even with
    // a valid token; no link to the register.
    let dsr = s.key("privacy:dsr", &["dsr"], serde_json::json!({})).await;
    let mut b = Browser::new(&s);
    assert_eq!(b.sign_in(&dsr).await.status, 303);
    for p in &pages {
        let r = b.get(p).await;
        assert_eq!(r.status, 403, "{p}");
        assert!(
            r.text()
                .contains("does not hold the role this page needs (cases)"),
            "{}",
            r.text()
        );
    }
    let home = b.get("/console").await.text();
    assert!(!home.contains("href=\"/console/legal\""), "{home}");
    for f in &forms {
        let token = b.token("/console/requests").await;
        let r = b
            .post(
                f,
                &[
                    ("csrf", &token),
                    ("breach", "yes"),
                    ("risk", "high"),
                    ("decision", "approve"),
                    ("rationale", "x"),
                    ("response", "x"),
                ],
            )
            .await;
        assert_eq!(r.status, 403, "{f}: {}", r.text());
    }
    // A `cases` key opens every page; a post without the page's token, or with a forged one,
    // is refused and changes nothing.
    let cases = s
        .key("privacy:cases", &["cases"], serde_json::json!({}))
        .await;
    let mut b = Browser::new(&s);
    assert_eq!(b.sign_in(&cases).await.status, 303);
    let home = b.get("/console").await.text();
    assert!(home.contains("href=\"/console/legal\""), "{home}");
    for p in &pages {
        let r = b.get(p).await;
        assert_eq!(r.status, 200, "{p}: {}", r.text());
    }
    let assess = &forms[0];
    let r = b.post(assess, &[("breach", "yes"), ("risk", "high")]).await;
    assert_eq!(r.status, 403, "{}", r.text());
    let r = b
        .post(
            assess,
            &[
                (
                    "csrf",
                    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                ),
                ("breach", "yes"),
                ("risk", "high"),
            ],
        )
        .await;
    assert_eq!(r.status, 403, "{}", r.text());
    let review = &forms[3];
    let r = b
        .post(review, &[("decision", "approve"), ("rationale", "valid")])
        .await;
    assert_eq!(r.status, 403, "{}", r.text());
    let inc = s.steward.incident(incident.parse().unwrap()).await.unwrap();
    assert!(
        inc.body.assessment.is_none(),
        "nothing refused had an effect"
    );
    let l = s
        .steward
        .legal_request(legal.parse().unwrap())
        .await
        .unwrap();
    assert!(l.body.decision.is_none(), "nothing refused had an effect");
    // Unknown or malformed ids are pages that do not exist.
    assert_eq!(b.get("/console/incidents/not-an-id").await.status, 404);
    assert_eq!(
        b.get(&format!("/console/legal/{incident}")).await.status,
        404,
        "an incident is not a legal request"
    );
}

#[tokio::test]
async fn sec_06_console_works_an_incident_from_assessment_to_close() {
    let s = with_requests().await;
    let id = late_incident(&s).await;
    let cases = s
        .key("privacy:cases", &["cases"], serde_json::json!({}))
        .await;
    let mut b = Browser::new(&s);
    b.sign_in(&cases).await;
    // The list links to the incident's page.
    let list = b.get("/console/cases").await.text();
    assert!(
        list.contains(&format!("href=\"/console/incidents/{id}\"")),
        "{list}"
    );
    let page = format!("/console/incidents/{id}");
    let html = b.get(&page).await.text();
    assert!(html.contains("Backup bucket readable without credentials"));
    assert!(html.contains("DE 3"), "{html}");
    assert!(html.contains("Not assessed yet"));
    assert!(html.contains("incident.record"), "the trail: {html}");
    // A breach without its risk: the core's reason next to the form, nothing recorded.
    let r = b
        .post(
            &format!("{page}/assess"),
            &[
                ("csrf", &csrf(&html)),
                ("breach", "yes"),
                ("note", "public link"),
            ],
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.text());
    assert!(r.text().contains("a breach needs its"), "{}", r.text());
    assert!(r.text().contains("public link"), "what was typed is kept");
    let r = b
        .post(
            &format!("{page}/assess"),
            &[
                ("csrf", &csrf(&r.text())),
                ("breach", "yes"),
                ("risk", "risk"),
                ("note", "public link"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.text());
    assert_eq!(location(&r), format!("{page}?done=assessed"));
    let html = b.get(location(&r)).await.text();
    assert!(html.contains("The assessment was recorded"));
    assert!(html.contains("supervisory authority"), "{html}");
    assert!(
        html.contains("class=\"overdue\""),
        "the authority's notice is overdue"
    );
    assert!(html.contains("GDPR-30"), "{html}");
    // The notice, marked sent late without a reason: refused (GDPR-30); with one, sent.
    let v = s.get(&format!("/v1/incidents/{id}"), &cases).await.json();
    let notice = v["notices"][0]["id"].as_str().unwrap().to_string();
    let sent = format!("{page}/notices/{notice}/sent");
    let r = b
        .post(
            &sent,
            &[
                ("csrf", &csrf(&html)),
                ("what", "BfDI online form, ref 4711"),
            ],
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.text());
    assert!(
        r.text().contains("give the reasons for the delay"),
        "{}",
        r.text()
    );
    assert!(r.text().contains("BfDI online form, ref 4711"), "kept");
    let r = b
        .post(
            &sent,
            &[
                ("csrf", &csrf(&r.text())),
                ("what", "BfDI online form, ref 4711"),
                ("sent_at", "tomorrow"),
            ],
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.text());
    assert!(r.text().contains("Give the date and time"), "{}", r.text());
    let r = b
        .post(
            &sent,
            &[
                ("csrf", &csrf(&r.text())),
                ("what", "BfDI online form, ref 4711"),
                ("sent_at", "2024-03-04T08:30"),
                ("delay_reason", "The scope was confirmed only on day 4."),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.text());
    let html = b.get(location(&r)).await.text();
    assert!(html.contains("The notice was marked sent."));
    assert!(html.contains("BfDI online form, ref 4711"));
    assert!(html.contains("The scope was confirmed only on day 4."));
    assert!(html.contains(">late<"), "{html}");
    let v = s.get(&format!("/v1/incidents/{id}"), &cases).await.json();
    assert_eq!(v["notices"][0]["status"], "sent", "{v}");
    assert_eq!(v["notices"][0]["late"], true, "{v}");
    // Typed in the controller's zone (America/Los_Angeles by default).
    assert_eq!(v["notices"][0]["sent_at"], "2024-03-04T16:30:00Z", "{v}");
    // The audit trail: recorded, assessed, notice sent, by the key.
    for step in [
        "incident.record",
        "incident.assess",
        "incident.notice_sent",
        "key privacy:cases",
    ] {
        assert!(html.contains(step), "{step} in the trail: {html}");
    }
    assert!(html.contains("late: true"), "{html}");
    // Close: every notice was sent.
    let r = b
        .post(&format!("{page}/close"), &[("csrf", &csrf(&html))])
        .await;
    assert_eq!(r.status, 303, "{}", r.text());
    let html = b.get(location(&r)).await.text();
    assert!(html.contains("The incident was closed."));
    assert!(html.contains("incident.close"));
    assert!(!html.contains("Mark sent"));
    // Closed again: the core's refusal is a page, not a failure.
    let token = csrf(&html);
    let r = b.post(&format!("{page}/close"), &[("csrf", &token)]).await;
    assert_eq!(r.status, 409);
    assert!(r.text().contains("the incident is closed"), "{}", r.text());
    // Reading the trail is itself audited, in the key's name (AUD-06).
    let log = s
        .get("/v1/audit?kind=read&limit=1000", &s.admin)
        .await
        .text();
    assert!(log.contains("audit.query"), "{log}");
}

#[tokio::test]
async fn legalreq_02_console_review_by_someone_else_shown_in_the_register_and_report() {
    let s = with_requests().await;
    let id = subpoena(&s, &s.admin).await;
    let page = format!("/console/legal/{id}");
    // The key that registered it cannot review it: the core's refusal next to the form.
    let mut admin = Browser::new(&s);
    admin.sign_in(&s.admin).await;
    let html = admin.get(&page).await.text();
    assert!(html.contains("You registered this request"), "{html}");
    let r = admin
        .post(
            &format!("{page}/review"),
            &[
                ("csrf", &csrf(&html)),
                ("decision", "approve"),
                ("rationale", "valid"),
            ],
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.text());
    assert!(
        r.text()
            .contains("someone other than who registered the request"),
        "{}",
        r.text()
    );
    // Another key reviews it.
    let counsel = s.key("counsel", &["cases"], serde_json::json!({})).await;
    let mut b = Browser::new(&s);
    b.sign_in(&counsel).await;
    let register = b.get("/console/legal").await.text();
    assert!(register.contains("awaiting review"), "{register}");
    assert!(register.contains(&format!("href=\"/console/legal/{id}\"")));
    let html = b.get(&page).await.text();
    let r = b
        .post(
            &format!("{page}/review"),
            &[
                ("csrf", &csrf(&html)),
                ("decision", "approve"),
                ("rationale", " "),
            ],
        )
        .await;
    assert_eq!(r.status, 422, "a rationale is required: {}", r.text());
    let r = b
        .post(
            &format!("{page}/review"),
            &[
                ("csrf", &csrf(&r.text())),
                ("decision", "approve"),
                ("rationale", "Valid subpoena, narrow scope."),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.text());
    let html = b.get(location(&r)).await.text();
    assert!(html.contains("approved by service:counsel"), "{html}");
    assert!(html.contains("Valid subpoena, narrow scope."));
    assert!(html.contains("legal_request.review"), "the trail: {html}");
    assert!(!html.contains("Record the review"), "reviewed once");
    // A disclosure through the API shows on the page, in the register and the report.
    let subject = s
        .steward
        .legal_request(id.parse().unwrap())
        .await
        .unwrap()
        .body
        .subjects[0];
    let r = s
        .post(
            &format!("/v1/legal-requests/{id}/disclose"),
            &counsel,
            serde_json::json!({"subject_id": subject.to_string(), "recipient": "LE1", "purpose": "legal_compliance", "categories": ["email"]}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let html = b.get(&page).await.text();
    assert!(html.contains("LE1"), "{html}");
    assert!(html.contains("legal_request.disclose"), "{html}");
    let register = b.get("/console/legal").await.text();
    assert!(
        register.contains("approved by service:counsel"),
        "{register}"
    );
    assert!(
        register.contains("<td class=\"num\" data-label=\"Disclosures\">1</td>"),
        "{register}"
    );
    assert!(
        register.contains(
            "<th scope=\"row\">subpoena</th><td class=\"num\">1</td><td class=\"num\">1</td>"
        ),
        "{register}"
    );
    // A period without it; a period that is not a date.
    let r = b.get("/console/legal?from=2030-01-01").await;
    assert_eq!(r.status, 200);
    assert!(r.text().contains("Nothing in this period."), "{}", r.text());
    let r = b.get("/console/legal?from=yesterday").await;
    assert_eq!(r.status, 422);
    assert!(r.text().contains("Use a date like"), "{}", r.text());
}

#[tokio::test]
async fn contact_04_console_responds_to_resolves_and_escalates_a_complaint() {
    let s = with_requests().await;
    let c = s
        .post(
            "/v1/complaints",
            &s.admin,
            serde_json::json!({"channel": "console", "jurisdiction": "FR", "topic": "marketing"}),
        )
        .await;
    let id = c.json()["id"].as_str().unwrap().to_string();
    let cases = s
        .key("privacy:cases", &["cases"], serde_json::json!({}))
        .await;
    let mut b = Browser::new(&s);
    b.sign_in(&cases).await;
    let list = b.get("/console/cases").await.text();
    assert!(
        list.contains(&format!("href=\"/console/complaints/{id}\"")),
        "{list}"
    );
    let page = format!("/console/complaints/{id}");
    let html = b.get(&page).await.text();
    assert!(
        html.contains("EU or Data Privacy Framework complaint"),
        "{html}"
    );
    // Closing before the first response: the core's refusal next to the form is not offered
    // yet; the response first.
    assert!(!html.contains("Close the complaint"));
    let r = b
        .post(
            &format!("{page}/respond"),
            &[("csrf", &csrf(&html)), ("response", "")],
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.text());
    let r = b
        .post(
            &format!("{page}/respond"),
            &[
                ("csrf", &csrf(&r.text())),
                ("response", "ticket 991, reply sent"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.text());
    let html = b.get(location(&r)).await.text();
    assert!(html.contains("ticket 991, reply sent"));
    let r = b
        .post(
            &format!("{page}/resolve"),
            &[("csrf", &csrf(&html)), ("resolution", "unresolved")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.text());
    let html = b.get(location(&r)).await.text();
    assert!(html.contains("Recourse offered"), "{html}");
    assert!(html.contains("free of charge"));
    let r = b
        .post(&format!("{page}/escalate"), &[("csrf", &csrf(&html))])
        .await;
    assert_eq!(r.status, 303, "{}", r.text());
    let html = b.get(location(&r)).await.text();
    for step in [
        "complaint.file",
        "complaint.respond",
        "complaint.resolve",
        "complaint.escalate",
    ] {
        assert!(html.contains(step), "{step}: {html}");
    }
}
