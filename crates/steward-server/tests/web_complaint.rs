//! Complaints lodged by the people themselves, end to end over HTTP (CONTACT-01, CONTACT-03,
//! CONTACT-04, DPF-05): the privacy center's complaint page (CSRF, the same answer and e-mail
//! for a customer's and a stranger's address, the words sealed at rest), `kind: complaint` on
//! the public request intake, the acknowledgement through the outbox, and the independent
//! recourse, free of charge, e-mailed on an unresolved close.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failed step fails the test"
)]

mod common;

use common::{Reply, Server, csrf, form, set_cookies, spawn};
use serde_json::json;
use steward_requests::{Requests, RequestsConfig};

const WORDS: &str = "You kept e-mailing me after I opted out: xyzzy-plugh-complaint";

/// A server with the workflow and the real file outbox.
async fn server() -> Server {
    let s = spawn().await;
    let mut e = steward_requests::fakes::Fakes::new().effects();
    e.mailer = std::sync::Arc::new(
        steward_adapters::FileOutbox::new(
            s.dir.path().join("outbox"),
            "privacy@localhost.localdomain",
        )
        .unwrap(),
    );
    let r = Requests::new(s.steward.clone(), RequestsConfig::default(), e);
    assert!(s.state.set_requests(r));
    s
}

fn mail_to(s: &Server, to: &str) -> Vec<String> {
    steward_adapters::read_file_outbox(&s.dir.path().join("outbox"))
        .unwrap_or_default()
        .into_iter()
        .map(|(_, t)| t)
        .filter(|m| m.lines().any(|l| l.starts_with("To:") && l.contains(to)))
        .collect()
}

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

    async fn send(&mut self, method: &str, path: &str, body: Option<&[u8]>) -> Reply {
        let c = self
            .cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ");
        let mut h: Vec<(&str, &str)> = vec![("X-Steward-Region", "DE")];
        if !c.is_empty() {
            h.push(("Cookie", &c));
        }
        let ct = body.map(|_| "application/x-www-form-urlencoded");
        let r = self.s.call(method, path, None, &h, body, ct).await;
        for c in set_cookies(&r) {
            let pair = c.split(';').next().unwrap();
            let (k, v) = pair.split_once('=').unwrap();
            self.cookies.retain(|(n, _)| n != k);
            if !v.is_empty() && !c.contains("Max-Age=0") {
                self.cookies.push((k.to_string(), v.to_string()));
            }
        }
        r
    }

    async fn lodge(&mut self, fields: &[(&str, &str)]) -> Reply {
        let page = self.send("GET", "/privacy/complaint", None).await;
        assert_eq!(page.status, 200, "{}", page.text());
        let t = csrf(&page.text());
        let mut all = vec![("csrf", t.as_str())];
        all.extend_from_slice(fields);
        self.send("POST", "/privacy/complaint", Some(&form(&all)))
            .await
    }
}

/// `text` with ids, CSRF tokens, dates and `email` made generic.
fn generic(text: &str, email: &str) -> String {
    let mut out = text.replace(email, "<email>");
    for u in uuids(&out) {
        out = out.replace(&u, "<id>");
    }
    out.lines()
        .filter(|l| !l.contains("name=\"csrf\""))
        .filter(|l| !l.starts_with("Date:") && !l.starts_with("Message-ID:"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn uuids(s: &str) -> Vec<String> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i + 36 <= b.len() {
        let c = &b[i..i + 36];
        let ok = c.iter().enumerate().all(|(n, x)| {
            if [8, 13, 18, 23].contains(&n) {
                *x == b'-'
            } else {
                x.is_ascii_hexdigit()
            }
        });
        if ok {
            out.push(String::from_utf8(c.to_vec()).unwrap());
            i += 36;
        } else {
            i += 1;
        }
    }
    out
}

/// Every byte the store holds on disk (the database and its write-ahead log).
fn store_bytes(s: &Server) -> Vec<u8> {
    let mut all = Vec::new();
    for e in std::fs::read_dir(s.dir.path()).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        if name.starts_with("steward.db") {
            all.extend(std::fs::read(&p).unwrap());
        }
    }
    all
}

fn contains(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len()).any(|w| w == needle.as_bytes())
}

#[tokio::test]
async fn the_complaint_page_files_a_sealed_complaint_and_answers_alike_for_every_address() {
    let s = server().await;
    let known = "known.customer@example.test";
    let stranger = "never.seen@example.test";
    s.subject("DE", known).await;
    let cases = s.key("cases", &["cases"], json!({})).await;

    // The overview and the navigation lead to the page.
    let mut b = Browser::new(&s);
    let home = b.send("GET", "/privacy", None).await.text();
    assert!(home.contains("href=\"/privacy/complaint\""), "{home}");

    // CSRF: a post without a token is refused and files nothing.
    let forged = b
        .send(
            "POST",
            "/privacy/complaint",
            Some(&form(&[("email", stranger), ("text", WORDS)])),
        )
        .await;
    assert_eq!(forged.status, 403, "{}", forged.text());
    let none = s.get("/v1/complaints", &cases).await.json();
    assert_eq!(none["complaints"].as_array().unwrap().len(), 0, "{none}");

    // A form with errors is shown again by its fields.
    let mut b = Browser::new(&s);
    let bad = b.lodge(&[("email", "not-an-address"), ("text", " ")]).await;
    assert_eq!(bad.status, 422);
    assert!(bad.text().contains("id=\"email-error\""));
    assert!(bad.text().contains("id=\"text-error\""));

    let mut pages = Vec::new();
    let mut mails = Vec::new();
    for email in [known, stranger] {
        let mut b = Browser::new(&s);
        let r = b
            .lodge(&[
                ("email", email),
                ("name", "Jane Roe"),
                ("residence", "DE"),
                ("text", WORDS),
            ])
            .await;
        assert_eq!(r.status, 200, "{email}: {}", r.text());
        let html = r.text();
        assert!(html.contains("We received your complaint"), "{html}");
        assert!(html.contains("id=\"complaint-reference\""), "{html}");
        let reference = uuids(&html)[0].clone();
        let mine = mail_to(&s, email);
        assert_eq!(mine.len(), 1, "one acknowledgement: {mine:?}");
        assert!(mine[0].contains(&reference), "{}", mine[0]);
        let c = s
            .get(&format!("/v1/complaints/{reference}"), &cases)
            .await
            .json();
        assert_eq!(c["channel"], "privacy_center", "{c}");
        assert_eq!(c["eu_or_dpf"], true, "a complaint from Germany: DPF-05");
        assert_eq!(c["subject_id"], serde_json::Value::Null, "never looked up");
        let due = c["first_response_due"].as_str().unwrap().to_string();
        let received: jiff::Timestamp = c["received_at"].as_str().unwrap().parse().unwrap();
        let due_at: jiff::Timestamp = due.parse().unwrap();
        let days = (due_at.as_second() - received.as_second()) / 86_400;
        assert!((44..=45).contains(&days), "due 45 days on: {days}");
        pages.push(generic(&html, email));
        mails.push(generic(&mine[0], email));
    }
    assert_eq!(
        pages[0], pages[1],
        "the same answer page for either address"
    );
    assert_eq!(mails[0], mails[1], "the same e-mail for either address");

    // Sealed at rest: the store holds neither the words nor the addresses nor the name.
    let raw = store_bytes(&s);
    assert!(!raw.is_empty());
    for plain in [WORDS, "xyzzy-plugh", stranger, "Jane Roe"] {
        assert!(!contains(&raw, plain), "`{plain}` is stored in plaintext");
    }
}

#[tokio::test]
async fn kind_complaint_on_the_request_intake_files_a_complaint_and_acknowledges_it() {
    let s = server().await;
    let cases = s.key("cases", &["cases"], json!({})).await;
    let to = "writer@example.test";
    let body = json!({"kind": "complaint", "email": to, "text": WORDS, "jurisdiction": "FR"});
    let b = serde_json::to_vec(&body).unwrap();
    let r = s
        .call(
            "POST",
            "/v1/requests",
            None,
            &[],
            Some(&b),
            Some("application/json"),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
    let a = r.json();
    let id = a["complaint_id"].as_str().unwrap().to_string();
    assert_eq!(a["request_id"], id.as_str());
    assert_eq!(a["state"], "received");
    let c = s.get(&format!("/v1/complaints/{id}"), &cases).await.json();
    assert_eq!(c["channel"], "email_privacy", "CONTACT-01: {c}");
    assert_eq!(c["eu_or_dpf"], true);
    assert_eq!(a["first_response_due"], c["first_response_due"]);
    assert!(
        s.get("/v1/requests", &s.key("dsr", &["dsr"], json!({})).await)
            .await
            .json()["requests"]
            .as_array()
            .is_none_or(Vec::is_empty),
        "no privacy request was opened"
    );
    let mail = mail_to(&s, to);
    assert_eq!(mail.len(), 1, "{mail:?}");
    assert!(
        mail[0].contains(&id) && mail[0].contains("respond by"),
        "{}",
        mail[0]
    );

    // The request fields are refused on a complaint, the complaint fields on a request, and
    // a complaint needs its words and an address.
    for bad in [
        json!({"kind": "complaint", "email": to, "text": WORDS, "purpose": "marketing"}),
        json!({"kind": "access", "email": to, "text": WORDS}),
        json!({"kind": "complaint", "email": to}),
        json!({"kind": "complaint", "text": WORDS}),
    ] {
        let b = serde_json::to_vec(&bad).unwrap();
        let r = s
            .call(
                "POST",
                "/v1/requests",
                None,
                &[],
                Some(&b),
                Some("application/json"),
            )
            .await;
        assert_eq!(r.status, 422, "{bad}: {}", r.text());
    }
}

#[tokio::test]
async fn an_unresolved_close_emails_the_independent_recourse_free_of_charge() {
    let s = server().await;
    let cases = s.key("cases", &["cases"], json!({})).await;
    let to = "unhappy@example.test";
    let body = json!({"kind": "complaint", "email": to, "text": WORDS});
    let b = serde_json::to_vec(&body).unwrap();
    let r = s
        .call(
            "POST",
            "/v1/requests",
            None,
            &[],
            Some(&b),
            Some("application/json"),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
    let id = r.json()["complaint_id"].as_str().unwrap().to_string();
    let r = s
        .post(
            &format!("/v1/complaints/{id}/respond"),
            &cases,
            json!({"response": "reply 1"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let r = s
        .post(
            &format!("/v1/complaints/{id}/resolve"),
            &cases,
            json!({"resolution": "unresolved"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let mail = mail_to(&s, to);
    assert_eq!(
        mail.len(),
        2,
        "the acknowledgement and the recourse: {mail:?}"
    );
    let recourse = &mail[1];
    assert!(recourse.contains("free of charge"), "{recourse}");
    assert!(
        recourse.contains("https://feedback-form.truste.com/watchdog/request"),
        "{recourse}"
    );

    // A complaint filed by staff (no address) closes unresolved without a message.
    let r = s
        .post(
            "/v1/complaints",
            &cases,
            json!({"channel": "console", "topic": "other"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
    let staff = r.json()["id"].as_str().unwrap().to_string();
    s.post(
        &format!("/v1/complaints/{staff}/respond"),
        &cases,
        json!({"response": "call"}),
    )
    .await;
    let r = s
        .post(
            &format!("/v1/complaints/{staff}/resolve"),
            &cases,
            json!({"resolution": "unresolved"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(mail_to(&s, to).len(), 2);
}

#[tokio::test]
async fn the_privacy_team_reads_a_complaints_words_with_cases_and_read_pii_until_erasure() {
    let s = server().await;
    let cases = s.key("cases-only", &["cases"], json!({})).await;
    let pii = s.key("pii-only", &["read_pii"], json!({})).await;
    let team = s
        .key("privacy-team", &["cases", "read_pii"], json!({}))
        .await;
    let to = "reader@example.test";
    let body = json!({"kind": "complaint", "email": to, "text": WORDS, "name": "Jane Roe"});
    let b = serde_json::to_vec(&body).unwrap();
    let r = s
        .call(
            "POST",
            "/v1/requests",
            None,
            &[],
            Some(&b),
            Some("application/json"),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
    let id = r.json()["complaint_id"].as_str().unwrap().to_string();
    let path = format!("/v1/complaints/{id}/text");

    // Least privilege: the case scope alone, or the personal-data scope alone, is refused.
    let p = s.get(&path, &cases).await.problem(403, "MISSING_SCOPE");
    assert!(p["detail"].as_str().unwrap().contains("read_pii"), "{p}");
    let p = s.get(&path, &pii).await.problem(403, "MISSING_SCOPE");
    assert!(p["detail"].as_str().unwrap().contains("cases"), "{p}");
    let r = s.get(&path, &team).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let w = r.json();
    assert_eq!(w["text"], WORDS);
    assert_eq!(w["email"], to);
    assert_eq!(w["name"], "Jane Roe");
    assert_eq!(w["complaint_id"], id.as_str());
    let c = s.get(&format!("/v1/complaints/{id}"), &cases).await.json();
    assert_eq!(c["words"], "lodged", "{c}");
    assert!(
        !c.to_string().contains("xyzzy"),
        "the record shows no words"
    );
    // The read is audited as a read of personal data.
    let audit = s
        .steward
        .store()
        .query_audit(&steward_store::model::audit::AuditQuery::all(10_000))
        .await
        .unwrap();
    assert!(
        audit
            .iter()
            .any(|a| a.event.action.as_str() == "complaint.read_words"
                && a.event.kind == steward_store::model::audit::AuditKind::Read),
        "complaint.read_words missing"
    );
    s.get(
        "/v1/complaints/0190f5a0-0000-7000-8000-000000000000/text",
        &team,
    )
    .await
    .problem(404, "NOT_FOUND");

    // A complaint filed by staff has no words here.
    let r = s
        .post(
            "/v1/complaints",
            &cases,
            json!({"channel": "console", "topic": "other", "reference": "ticket 7"}),
        )
        .await;
    let staff = r.json()["id"].as_str().unwrap().to_string();
    s.get(&format!("/v1/complaints/{staff}/text"), &team)
        .await
        .problem(404, "COMPLAINT_NO_WORDS");

    // A signed-in customer's complaint: erased with the customer, the record remains.
    let subject: steward_store::ids::SubjectId = s
        .subject("US-CA", "erased@example.test")
        .await
        .parse()
        .unwrap();
    let r = s.state.requests().unwrap();
    let lodged = r
        .lodge_complaint(
            &steward_core::Caller::Subject(subject),
            steward_requests::complaints::LodgeComplaint {
                channel: steward_core::complaints::ComplaintChannel::PrivacyCenter,
                subject: Some(subject),
                email: steward_vault::Sensitive::new("erased@example.test".into()),
                name: None,
                jurisdiction: None,
                dpf: false,
                text: steward_vault::Sensitive::new(WORDS.into()),
            },
        )
        .await
        .unwrap();
    let mine = lodged.complaint_id.to_string();
    let path = format!("/v1/complaints/{mine}/text");
    assert_eq!(s.get(&path, &team).await.status, 200);
    s.steward
        .erase_complaint_words_of(&steward_core::Caller::System, subject)
        .await
        .unwrap();
    s.get(&path, &team)
        .await
        .problem(410, "COMPLAINT_WORDS_ERASED");
    let c = s.get(&format!("/v1/complaints/{mine}"), &cases).await;
    assert_eq!(c.status, 200, "{}", c.text());
    let c = c.json();
    assert_eq!(c["words"], "erased", "{c}");
    assert!(c["words_erased_at"].is_string(), "{c}");
    assert_eq!(c["topic"], "lodged_by_complainant");
    assert_eq!(c["subject_id"], subject.to_string());
}
