//! The privacy center's public request page (`/privacy/request`) end to end over HTTP:
//! an unknown and a known address get the same page, the same e-mail and no quicker answer
//! (RIGHTS-04, CCPA-24); a person with no stored subject files, confirms by code and gets a
//! completed access request whose report comes from a real SQLite dataset (and a person
//! found nowhere gets one that says which systems were searched); an authorized agent files
//! with the consumer's signed permission, sealed at rest, and the consumer confirms from
//! their own browser (CCPA-23); wrong codes are throttled like sign-in.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failed step fails the test"
)]

mod common;

use std::time::Instant;

use common::{Reply, Server, csrf, form, set_cookies, spawn};
use serde_json::json;
use steward_requests::{Requests, RequestsConfig};
use steward_server::web::request::INTAKE_FLOOR;

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

    async fn send(&mut self, method: &str, path: &str, body: Option<&[u8]>) -> Reply {
        let c = self
            .cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ");
        let mut h: Vec<(&str, &str)> = vec![("X-Steward-Region", "US-CA")];
        if !c.is_empty() {
            h.push(("Cookie", &c));
        }
        let ct = body.map(|_| "application/x-www-form-urlencoded");
        let r = self.s.call(method, path, None, &h, body, ct).await;
        self.keep(&r);
        r
    }

    async fn get(&mut self, path: &str) -> Reply {
        self.send("GET", path, None).await
    }

    async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Reply {
        let body = form(fields);
        self.send("POST", path, Some(&body)).await
    }

    async fn token(&mut self, path: &str) -> String {
        let r = self.get(path).await;
        assert_eq!(r.status, 200, "{}", r.text());
        csrf(&r.text())
    }

    fn cookie_names(r: &Reply) -> Vec<String> {
        let mut n: Vec<String> = set_cookies(r)
            .iter()
            .map(|c| c.split('=').next().unwrap().to_string())
            .collect();
        n.sort();
        n
    }
}

/// A server with the workflow: the real file outbox and the real SQLite dataset connector.
async fn server(config: RequestsConfig) -> Server {
    let s = spawn().await;
    let mut e = steward_requests::fakes::Fakes::new().effects();
    e.mailer = std::sync::Arc::new(
        steward_adapters::FileOutbox::new(
            s.dir.path().join("outbox"),
            "privacy@localhost.localdomain",
        )
        .unwrap(),
    );
    e.datasets = vec![std::sync::Arc::new(steward_adapters::SqliteConnector)];
    let r = Requests::new(s.steward.clone(), config, e);
    assert!(s.state.set_requests(r));
    s
}

/// The messages of the file outbox, oldest first.
fn outbox(s: &Server) -> Vec<String> {
    steward_adapters::read_file_outbox(&s.dir.path().join("outbox"))
        .unwrap_or_default()
        .into_iter()
        .map(|(_, t)| t)
        .collect()
}

/// The messages to `to`.
fn mail_to(s: &Server, to: &str) -> Vec<String> {
    outbox(s)
        .into_iter()
        .filter(|m| m.lines().any(|l| l.starts_with("To:") && l.contains(to)))
        .collect()
}

/// The confirmation code sent to `to`.
fn code_for(s: &Server, to: &str) -> String {
    let m = mail_to(s, to)
        .into_iter()
        .rfind(|m| m.contains("confirmation code"))
        .unwrap_or_else(|| panic!("no code for {to}: {:?}", outbox(s)));
    let line = m
        .lines()
        .map(str::trim)
        .find(|l| l.len() == 6 && l.bytes().all(|b| b.is_ascii_digit()))
        .unwrap();
    line.to_string()
}

/// `text` with request references, codes, CSRF tokens, dates and addresses made generic.
fn generic(text: &str, email: &str) -> String {
    let mut out = text.replace(email, "<email>");
    let uuid = regex_lite(&out);
    for u in uuid {
        out = out.replace(&u, "<id>");
    }
    out.lines()
        .map(|l| {
            let t = l.trim();
            if t.len() == 6 && t.bytes().all(|b| b.is_ascii_digit()) {
                "<code>".to_string()
            } else if l.contains("name=\"csrf\"") {
                "<csrf>".to_string()
            } else if l.starts_with("Date:") || l.starts_with("Message-ID:") {
                String::new()
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The UUIDs in `s` (8-4-4-4-12 hex).
fn regex_lite(s: &str) -> Vec<String> {
    let b = s.as_bytes();
    let shape = [8usize, 4, 4, 4, 12];
    let mut out = Vec::new();
    let mut i = 0;
    while i + 36 <= b.len() {
        let cand = &b[i..i + 36];
        let mut pos = 0;
        let mut ok = true;
        for (n, len) in shape.iter().enumerate() {
            ok &= cand[pos..pos + len].iter().all(u8::is_ascii_hexdigit);
            pos += len;
            if n < 4 {
                ok &= cand[pos] == b'-';
                pos += 1;
            }
        }
        if ok {
            out.push(String::from_utf8(cand.to_vec()).unwrap());
            i += 36;
        } else {
            i += 1;
        }
    }
    out
}

/// Files a request from a fresh page of `b`; returns the reply and how long it took.
#[expect(
    clippy::disallowed_methods,
    reason = "the real time the answer took is what is measured"
)]
async fn file(b: &mut Browser<'_>, fields: &[(&str, &str)]) -> (Reply, std::time::Duration) {
    let t = b.token("/privacy/request").await;
    let mut all = vec![("csrf", t.as_str())];
    all.extend_from_slice(fields);
    let started = Instant::now();
    let r = b.post("/privacy/request", &all).await;
    (r, started.elapsed())
}

#[tokio::test]
async fn an_unknown_and_a_known_address_get_the_same_answer_the_same_mail_and_no_quicker() {
    let s = server(RequestsConfig::default()).await;
    let known = "known.customer@example.test";
    let unknown = "never.seen@example.test";
    s.subject("US-CA", known).await;

    // The notice's statement of California rights and the overview lead to the page.
    let mut b = Browser::new(&s);
    for path in ["/privacy/notice", "/privacy"] {
        let html = b.get(path).await.text();
        assert!(html.contains("href=\"/privacy/request\""), "{path}: {html}");
    }

    let mut pages = Vec::new();
    let mut mails = Vec::new();
    for email in [known, unknown] {
        let mut b = Browser::new(&s);
        let (r, took) = file(
            &mut b,
            &[
                ("kind", "know_specific_pieces"),
                ("who", "self"),
                ("email", email),
                ("residence", "US-CA"),
                ("lookback", "all"),
            ],
        )
        .await;
        assert_eq!(r.status, 303, "{email}: {}", r.text());
        assert_eq!(r.header("location"), Some("/privacy/request/confirm"));
        assert!(
            took >= INTAKE_FLOOR,
            "{email}: answered in {took:?}, before the floor"
        );
        let confirm = b.get("/privacy/request/confirm").await;
        assert_eq!(confirm.status, 200);
        pages.push((
            r.status,
            r.header("location").map(str::to_string),
            Browser::cookie_names(&r),
            generic(&confirm.text(), email),
        ));
        let to: Vec<String> = mail_to(&s, email)
            .iter()
            .map(|m| generic(m, email))
            .collect();
        assert_eq!(to.len(), 2, "a code and an acknowledgement: {to:?}");
        mails.push(to);
    }
    assert_eq!(pages[0], pages[1], "the same answer for either address");
    assert_eq!(mails[0], mails[1], "the same e-mails for either address");
    assert!(mails[0][0].contains("<code>") || mails[0][1].contains("<code>"));
}

/// A real SQLite database of the shop (a former customer and another person) connected as
/// the dataset `shop`.
async fn shop(s: &Server) -> std::path::PathBuf {
    let db = s.dir.path().join("shop.db");
    {
        let c = rusqlite::Connection::open(&db).unwrap();
        c.execute_batch(
            "CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT, full_name TEXT, notes TEXT);
             INSERT INTO customers VALUES (1, 'Former.Customer@Example.test', 'Ada Former', 'not personal');
             INSERT INTO customers VALUES (2, 'someone.else@example.test', 'Bob Other', 'x');
             CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER, ship_to TEXT);
             INSERT INTO orders VALUES (10, 1, '1 Old Road, Springfield');",
        )
        .unwrap();
    }
    let annotation = "[[tables]]\nname = \"customers\"\nidentity = { column = \"email\", kind = \"email\" }\naction = \"delete\"\ncolumns = { email = \"email\", full_name = \"name\" }\n\n[[tables]]\nname = \"orders\"\nvia = { column = \"customer_id\", table = \"customers\", references = \"id\" }\naction = \"delete\"\ncolumns = { ship_to = \"postal_address\" }\n";
    let body = serde_json::to_vec(&json!({
        "kind": "sqlite",
        "annotation": annotation,
        "connection": db.to_str().unwrap(),
    }))
    .unwrap();
    let r = s
        .call(
            "PUT",
            "/v1/connectors/datasets/shop",
            Some(&s.admin),
            &[],
            Some(&body),
            Some("application/json"),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());

    db
}

#[tokio::test]
async fn a_person_without_an_account_gets_their_report_from_the_connected_dataset() {
    // A former customer: nothing in Steward's vault, a row in the shop's database.
    let s = server(RequestsConfig {
        require_approval: false,
        ..RequestsConfig::default()
    })
    .await;
    let db = shop(&s).await;
    for (email, rows) in [
        ("former.customer@example.test", 2u64),
        ("found.nowhere@example.test", 0),
    ] {
        let mut b = Browser::new(&s);
        let (r, _) = file(
            &mut b,
            &[
                ("kind", "access"),
                ("who", "self"),
                ("email", email),
                ("residence", "US-CA"),
            ],
        )
        .await;
        assert_eq!(r.status, 303, "{}", r.text());
        let t = b.token("/privacy/request/confirm").await;
        let code = code_for(&s, email);
        let r = b
            .post("/privacy/request/confirm", &[("csrf", &t), ("code", &code)])
            .await;
        assert_eq!(r.status, 303, "{}", r.text());
        let to = r.header("location").unwrap().to_string();
        assert!(to.ends_with("?done=verified"), "{to}");
        let id = to
            .trim_start_matches("/privacy/requests/")
            .trim_end_matches("?done=verified")
            .to_string();

        // The browser follows its request without an account: completed, with the receipt
        // naming the dataset searched.
        let page = b.get(&to).await;
        assert_eq!(page.status, 200, "{}", page.text());
        let html = page.text();
        assert!(html.contains("Completed"), "{html}");
        assert!(html.contains("dataset:shop"), "{html}");
        assert!(!html.contains("Back to my data"), "not signed in");
        // Another browser cannot see it.
        let other = Browser::new(&s).get(&to).await;
        assert_eq!(other.status, 303, "sent to sign in");

        // The privacy team's view: no stored subject, the dataset read recorded with its
        // counts, and the report carries what the dataset holds.
        let v = s.get(&format!("/v1/requests/{id}"), &s.admin).await.json();
        assert_eq!(v["state"], "completed", "{v}");
        assert!(v["subject"].is_null(), "{v}");
        let steps = v["steps"].to_string();
        assert!(steps.contains("dataset:shop"), "{steps}");
        assert!(steps.contains(&format!("\"rows\":{rows}")), "{steps}");
        let report = s
            .get(&format!("/v1/requests/{id}/report"), &s.admin)
            .await
            .text();
        assert!(report.contains("shop"), "the system searched: {report}");
        if rows > 0 {
            assert!(report.contains("Ada Former"), "{report}");
            assert!(report.contains("1 Old Road, Springfield"), "{report}");
            assert!(!report.contains("not personal"), "unannotated column read");
            assert!(!report.contains("Bob Other"), "another person's row");
        } else {
            assert!(!report.contains("Ada Former"), "{report}");
        }
        // The person is told it is done.
        assert!(
            mail_to(&s, email)
                .iter()
                .any(|m| !m.contains("confirmation code")
                    && !m.contains("we received your privacy request")),
            "a completion message: {:?}",
            mail_to(&s, email)
        );
    }
    // Read-only: the dataset is as it was.
    let c = rusqlite::Connection::open(&db).unwrap();
    let n: i64 = c
        .query_row("SELECT count(*) FROM customers", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 2);
}

#[tokio::test]
async fn an_agent_files_with_signed_permission_and_the_consumer_confirms_directly() {
    let s = server(RequestsConfig::default()).await;
    let consumer = "consumer@example.test";
    let agent_email = "desk@agency.example";
    let permission = "I, Carol Consumer, authorize Agency Desk LLC to request deletion of my personal information from Stamps.com. Signed: Carol Consumer, 2024-03-01";
    let mut agent = Browser::new(&s);

    // The permission is required, and the agent gives their own address.
    let (r, _) = file(
        &mut agent,
        &[
            ("kind", "deletion"),
            ("who", "agent"),
            ("agent_name", "Agency Desk LLC"),
            ("agent_email", consumer),
            ("email", consumer),
            ("permission", ""),
        ],
    )
    .await;
    assert_eq!(r.status, 422);
    let html = r.text();
    assert!(html.contains("id=\"permission-error\""), "{html}");
    assert!(html.contains("id=\"agent_email-error\""), "{html}");
    assert!(html.contains("aria-describedby=\"permission-hint permission-error\""));
    assert!(html.contains("role=\"alert\""), "an error summary");
    assert!(outbox(&s).is_empty(), "nothing sent for an invalid form");

    let (r, _) = file(
        &mut agent,
        &[
            ("kind", "deletion"),
            ("who", "agent"),
            ("agent_name", "Agency Desk LLC"),
            ("agent_email", agent_email),
            ("email", consumer),
            ("residence", "US-CA"),
            ("permission", permission),
        ],
    )
    .await;
    assert_eq!(r.status, 303, "{}", r.text());
    let page = agent.get("/privacy/request/confirm").await.text();
    assert!(page.contains("consumer's e-mail address"), "{page}");
    assert!(!page.contains("name=\"code\""), "the agent enters no code");
    let id = regex_lite(&page).first().cloned().unwrap();

    // The code goes to the consumer, saying an agent asked; the agent gets none.
    let code = code_for(&s, consumer);
    let to_consumer = mail_to(&s, consumer).join("\n");
    assert!(to_consumer.contains("authorized agent"), "{to_consumer}");
    assert!(mail_to(&s, agent_email).is_empty());
    // The agent cannot confirm in the consumer's place from their browser.
    let t = agent.token("/privacy/request").await;
    let r = agent
        .post(
            "/privacy/request/confirm",
            &[("csrf", &t), ("reference", &id), ("code", &code)],
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.text());

    // The consumer confirms from their own browser with the reference and the code.
    let mut me = Browser::new(&s);
    let t = me.token("/privacy/request/confirm").await;
    let r = me
        .post(
            "/privacy/request/confirm",
            &[("csrf", &t), ("reference", &id), ("code", &code)],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.text());
    assert_eq!(
        r.header("location").unwrap(),
        format!("/privacy/requests/{id}?done=verified")
    );
    // Both follow it; it waits for the privacy team (a deletion needs approval here).
    for b in [&mut me, &mut agent] {
        let p = b.get(&format!("/privacy/requests/{id}")).await;
        assert_eq!(p.status, 200, "{}", p.text());
        assert!(
            p.text().contains("Verified, waiting for review"),
            "{}",
            p.text()
        );
    }

    // The privacy team sees that an agent filed it, with the permission on record.
    let v = s.get(&format!("/v1/requests/{id}"), &s.admin).await.json();
    assert_eq!(v["requester"], "agent", "{v}");
    assert_eq!(v["channel"], "privacy_center", "{v}");
    let sha = v["agent"]["permission_sha256"].as_str().unwrap();
    assert_eq!(sha.len(), 64, "{v}");
    assert!(v["agent"]["permission_recorded_at"].is_string(), "{v}");
    assert!(
        !v.to_string().contains("Carol Consumer"),
        "the permission stays sealed"
    );
    let details = s
        .state
        .requests()
        .unwrap()
        .agent_details(
            &steward_core::Caller::Service("test".into()),
            id.parse().unwrap(),
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(details.permission.unwrap().expose(), permission);
    assert_eq!(details.name.unwrap().expose(), "Agency Desk LLC");
    assert_eq!(details.permission_sha256.unwrap(), sha);

    // ... and in the console: the agent and the permission for staff who may read personal
    // data, only the fact of an agent for the others.
    let mut staff = Browser::new(&s);
    let t = staff.token("/console/sign-in").await;
    let r = staff
        .post("/console/sign-in", &[("csrf", &t), ("key", &s.admin)])
        .await;
    assert_eq!(r.status, 303, "{}", r.text());
    let page = staff.get(&format!("/console/requests/{id}")).await;
    assert_eq!(page.status, 200, "{}", page.text());
    let html = page.text();
    assert!(html.contains("Authorized agent"), "{html}");
    assert!(html.contains("Agency Desk LLC"), "{html}");
    assert!(html.contains("Carol Consumer, authorize"), "{html}");
    // AUD-06: reading what the agent filed is audited.
    let audit = s.get("/v1/audit?kind=read", &s.admin).await.json();
    assert!(
        audit["entries"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "dsr.agent_details"),
        "{audit}"
    );
    let dsr = s.key("queue-only", &["dsr"], json!({})).await;
    let mut clerk = Browser::new(&s);
    let t = clerk.token("/console/sign-in").await;
    let r = clerk
        .post("/console/sign-in", &[("csrf", &t), ("key", &dsr)])
        .await;
    assert_eq!(r.status, 303, "{}", r.text());
    let html = clerk.get(&format!("/console/requests/{id}")).await.text();
    assert!(html.contains("Filed by an authorized agent"), "{html}");
    assert!(!html.contains("Carol Consumer"), "{html}");

    // Sealed at rest: neither the permission nor the agent's name is in the store's files.
    for f in std::fs::read_dir(s.dir.path()).unwrap() {
        let f = f.unwrap().path();
        if f.file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("steward.db")
        {
            let bytes = std::fs::read(&f).unwrap();
            let text = String::from_utf8_lossy(&bytes);
            assert!(!text.contains("Carol Consumer"), "{}", f.display());
            assert!(!text.contains("Agency Desk"), "{}", f.display());
        }
    }
}

#[tokio::test]
async fn wrong_codes_are_throttled_and_an_unknown_reference_reads_like_a_wrong_code() {
    let s = server(RequestsConfig::default()).await;
    let mut b = Browser::new(&s);
    let (r, _) = file(
        &mut b,
        &[
            ("kind", "deletion"),
            ("who", "self"),
            ("email", "someone@example.test"),
        ],
    )
    .await;
    assert_eq!(r.status, 303, "{}", r.text());

    // In another browser, a made-up reference answers like a wrong code.
    let mut other = Browser::new(&s);
    let t = other.token("/privacy/request/confirm").await;
    let r = other
        .post(
            "/privacy/request/confirm",
            &[
                ("csrf", &t),
                ("reference", "01890a5d-ac96-774b-bcce-b302099a8057"),
                ("code", "123456"),
            ],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.text().contains("That code is not right"), "{}", r.text());

    let real = code_for(&s, "someone@example.test");
    let wrong = if real == "000000" { "111111" } else { "000000" };
    let mut last = None;
    for _ in 0..3 {
        let t = b.token("/privacy/request/confirm").await;
        let r = b
            .post("/privacy/request/confirm", &[("csrf", &t), ("code", wrong)])
            .await;
        assert_eq!(r.status, 422, "{}", r.text());
        last = Some(r.text());
    }
    assert!(
        last.unwrap().contains("wait"),
        "the third wrong code pauses"
    );
    // Even the right code waits now.
    let t = b.token("/privacy/request/confirm").await;
    let r = b
        .post("/privacy/request/confirm", &[("csrf", &t), ("code", &real)])
        .await;
    assert_eq!(r.status, 429, "{}", r.text());
    assert!(r.header("retry-after").is_some());
    // After the pause the right code works.
    s.clock.advance(jiff::SignedDuration::from_mins(2));
    let t = b.token("/privacy/request/confirm").await;
    let r = b
        .post("/privacy/request/confirm", &[("csrf", &t), ("code", &real)])
        .await;
    assert_eq!(r.status, 303, "{}", r.text());
}

#[tokio::test]
async fn filing_is_limited_per_client_address_whatever_the_address_given() {
    let s = server(RequestsConfig::default()).await;
    let mut b = Browser::new(&s);
    let mut limited = None;
    for i in 0..12 {
        let email = format!("flood{i}@example.test");
        let (r, _) = file(
            &mut b,
            &[("kind", "access"), ("who", "self"), ("email", &email)],
        )
        .await;
        if r.status == 429 {
            limited = Some((i, r));
            break;
        }
        assert_eq!(r.status, 303, "{}", r.text());
    }
    let (i, r) = limited.expect("the 11th request from one address waits");
    assert_eq!(i, 10, "the burst is 10");
    assert!(r.header("retry-after").is_some());
    assert!(r.text().contains("Please wait"), "{}", r.text());
    assert_eq!(mail_to(&s, "flood10@example.test").len(), 0, "no mail sent");
}

#[tokio::test]
async fn a_person_without_an_account_has_their_rows_deleted_from_the_connected_dataset() {
    let s = server(RequestsConfig {
        require_approval: false,
        ..RequestsConfig::default()
    })
    .await;
    let db = shop(&s).await;
    let email = "former.customer@example.test";
    let mut b = Browser::new(&s);
    let (r, _) = file(
        &mut b,
        &[("kind", "deletion"), ("who", "self"), ("email", email)],
    )
    .await;
    assert_eq!(r.status, 303, "{}", r.text());
    let t = b.token("/privacy/request/confirm").await;
    let code = code_for(&s, email);
    let r = b
        .post("/privacy/request/confirm", &[("csrf", &t), ("code", &code)])
        .await;
    assert_eq!(r.status, 303, "{}", r.text());
    let html = b.get(r.header("location").unwrap()).await.text();
    assert!(html.contains("Completed"), "{html}");
    assert!(html.contains("dataset:shop"), "{html}");
    let c = rusqlite::Connection::open(&db).unwrap();
    let left: Vec<String> = c
        .prepare("SELECT email FROM customers ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        left,
        ["someone.else@example.test"],
        "only the requester's row went"
    );
    let orders: i64 = c
        .query_row("SELECT count(*) FROM orders", [], |r| r.get(0))
        .unwrap();
    assert_eq!(orders, 0, "their order went with them");
}

#[tokio::test]
async fn a_correction_for_a_person_with_nothing_stored_completes_and_says_so() {
    let s = server(RequestsConfig {
        require_approval: false,
        ..RequestsConfig::default()
    })
    .await;
    let email = "visitor.only@example.test";
    let mut b = Browser::new(&s);
    // The e-mail address cannot be corrected through a code sent to it (CCPA-11): not offered.
    let form = b.get("/privacy/request").await.text();
    assert!(form.contains("value=\"postal_address\""), "{form}");
    assert!(!form.contains("<option value=\"email\""), "{form}");
    let (r, _) = file(
        &mut b,
        &[
            ("kind", "correction"),
            ("who", "self"),
            ("email", email),
            ("category", "postal_address"),
            ("value", ""),
        ],
    )
    .await;
    assert_eq!(r.status, 422);
    assert!(r.text().contains("id=\"value-error\""), "{}", r.text());
    let (r, _) = file(
        &mut b,
        &[
            ("kind", "correction"),
            ("who", "self"),
            ("email", email),
            ("category", "postal_address"),
            ("value", "2 New Street, Springfield"),
        ],
    )
    .await;
    assert_eq!(r.status, 303, "{}", r.text());
    let t = b.token("/privacy/request/confirm").await;
    let code = code_for(&s, email);
    let r = b
        .post("/privacy/request/confirm", &[("csrf", &t), ("code", &code)])
        .await;
    assert_eq!(r.status, 303, "{}", r.text());
    let html = b.get(r.header("location").unwrap()).await.text();
    assert!(html.contains("Completed"), "{html}");
    assert!(html.contains("item:postal_address: skipped"), "{html}");
    let done = mail_to(&s, email).join("\n");
    assert!(done.contains("there was nothing to correct"), "{done}");
    assert!(!done.contains("We corrected your information"), "{done}");
}
