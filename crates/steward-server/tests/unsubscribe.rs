//! One-click e-mail unsubscribe end to end (MKT-03, MKT-04, CANSPAM-01, CANSPAM-02, RFC 8058):
//! a mailer mints a link, the one-click `POST` opts the subject out at once, the marketing
//! decision is then denied; tampered, expired and foreign tokens are refused alike.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failed step fails the test"
)]

mod common;

use common::{Server, spawn};
use serde_json::json;
use steward_core::Clock;

async fn mint(s: &Server, key: &str, id: &str) -> serde_json::Value {
    let r = s
        .post(
            &format!("/v1/subjects/{id}/unsubscribe-link"),
            key,
            json!({"base_url": "https://privacy.example.com/"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
    r.json()
}

async fn marketing(s: &Server, id: &str) -> serde_json::Value {
    let ask = json!({"op": "can_send", "subject": {"id": id},
                     "message_kind": "marketing_first_party", "channel": "email"});
    s.post("/v1/decisions", &s.admin.clone(), ask).await.json()
}

async fn one_click(s: &Server, token: &str, headers: &[(&str, &str)]) -> common::Reply {
    s.call(
        "POST",
        &format!("/unsubscribe/{token}"),
        None,
        headers,
        Some(b"List-Unsubscribe=One-Click"),
        Some("application/x-www-form-urlencoded"),
    )
    .await
}

async fn email_link_entries(s: &Server, id: &str) -> Vec<serde_json::Value> {
    let l = s
        .get(
            &format!("/v1/subjects/{id}/choices/ledger"),
            &s.admin.clone(),
        )
        .await
        .json();
    l["entries"]
        .as_array()
        .unwrap_or_else(|| panic!("{l}"))
        .iter()
        .filter(|e| e["key"] == "marketing:first_party:email")
        .cloned()
        .collect()
}

#[tokio::test]
async fn mint_then_one_click_opts_out_at_once_and_only_its_own_subject() {
    let s = spawn().await;
    let mailer = s.key("svc:mailer", &["mail"], json!({})).await;
    let id = s.subject("US-TX", "ann@example.com").await;
    let other = s.subject("US-TX", "bob@example.com").await;
    assert_eq!(marketing(&s, &id).await["allow"], true);

    let link = mint(&s, &mailer, &id).await;
    let token = link["token"].as_str().unwrap();
    let url = link["url"].as_str().unwrap();
    assert_eq!(
        url,
        format!("https://privacy.example.com/unsubscribe/{token}")
    );
    assert_eq!(link["list_unsubscribe"], format!("<{url}>"));
    assert_eq!(link["list_unsubscribe_post"], "List-Unsubscribe=One-Click");
    assert_eq!(link["key"], "marketing:first_party:email");
    // Valid well past CAN-SPAM's 30 days after sending.
    let exp: jiff::Timestamp = link["expires_at"].as_str().unwrap().parse().unwrap();
    assert!(exp.duration_since(s.clock.now()).as_hours() > 24 * 300);
    // Opaque: neither the subject id nor the address appears in it.
    let simple_id = id.replace('-', "");
    assert!(!url.contains(&id) && !url.contains(&simple_id) && !url.contains("ann"));
    assert!(
        token
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'),
        "{token}"
    );

    // The page for people: one button, and showing it changes nothing.
    let page = s
        .call(
            "GET",
            &format!("/unsubscribe/{token}"),
            None,
            &[],
            None,
            None,
        )
        .await;
    assert_eq!(page.status, 200, "{}", page.text());
    assert!(
        page.text().contains("id=\"unsubscribe\""),
        "{}",
        page.text()
    );
    assert!(page.header("content-security-policy").is_some());
    assert!(email_link_entries(&s, &id).await.is_empty());

    // RFC 8058 one-click, as a mail provider sends it (from its own servers, another origin).
    s.tick();
    let r = one_click(&s, token, &[("Origin", "https://mail.example.net")]).await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(r.text().contains("id=\"unsubscribed\""), "{}", r.text());
    s.tick();
    let d = marketing(&s, &id).await;
    assert_eq!(d["allow"], false, "{d}");
    assert_eq!(d["reason"], "OPTED_OUT", "{d}");
    let entries = email_link_entries(&s, &id).await;
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert_eq!(entries[0]["value"], false);
    assert_eq!(entries[0]["source"], "user");
    assert_eq!(entries[0]["channel"], "email_link");

    // Idempotent: again, nothing new.
    s.tick();
    let r = one_click(&s, token, &[]).await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(email_link_entries(&s, &id).await.len(), 1);

    // Audited.
    let a = s
        .get(
            &format!("/v1/audit?subject_id={id}&kind=choice"),
            &s.admin.clone(),
        )
        .await
        .json();
    assert!(
        a.to_string().contains("choice.record"),
        "no audit entry of the opt-out: {a}"
    );

    // The other subject is untouched.
    assert_eq!(marketing(&s, &other).await["allow"], true);
    assert!(email_link_entries(&s, &other).await.is_empty());
}

#[tokio::test]
async fn tampered_foreign_and_expired_tokens_are_refused_alike() {
    let s = spawn().await;
    let mailer = s.key("svc:mailer", &["mail"], json!({})).await;
    let id = s.subject("US-TX", "cat@example.com").await;
    let link = mint(&s, &mailer, &id).await;
    let token = link["token"].as_str().unwrap().to_string();

    let mut refusals = Vec::new();
    // Every single-character change.
    for i in [0, 5, token.len() / 2, token.len() - 40, token.len() - 1] {
        let mut b = token.clone().into_bytes();
        b[i] = if b[i] == b'A' { b'B' } else { b'A' };
        refusals.push(String::from_utf8(b).unwrap());
    }
    refusals.push(token[..token.len() - 4].to_string());
    refusals.push(format!("{token}AA"));
    refusals.push("x".repeat(500));
    refusals.push("not-a-token".into());
    // A token minted by another installation (another key ring).
    let foreign = spawn().await;
    let fk = foreign.key("svc:mailer", &["mail"], json!({})).await;
    let fid = foreign.subject("US-TX", "cat@example.com").await;
    refusals.push(
        mint(&foreign, &fk, &fid).await["token"]
            .as_str()
            .unwrap()
            .to_string(),
    );
    let mut bodies = std::collections::HashSet::new();
    for t in &refusals {
        let r = one_click(&s, t, &[]).await;
        assert_eq!(r.status, 400, "{t}: {}", r.text());
        bodies.insert(r.text());
        let g = s
            .call("GET", &format!("/unsubscribe/{t}"), None, &[], None, None)
            .await;
        assert_eq!(g.status, 400, "{t}");
    }
    assert_eq!(bodies.len(), 1, "the refusals differ: {bodies:?}");
    assert!(email_link_entries(&s, &id).await.is_empty());
    assert_eq!(marketing(&s, &id).await["allow"], true);

    // Expired: still fine after 30 days, refused once its validity has passed.
    s.clock.advance(jiff::SignedDuration::from_hours(24 * 31));
    let g = s
        .call(
            "GET",
            &format!("/unsubscribe/{token}"),
            None,
            &[],
            None,
            None,
        )
        .await;
    assert_eq!(g.status, 200, "{}", g.text());
    s.clock.advance(jiff::SignedDuration::from_hours(24 * 400));
    let r = one_click(&s, &token, &[]).await;
    assert_eq!(r.status, 400, "{}", r.text());
    assert!(email_link_entries(&s, &id).await.is_empty());
}

#[tokio::test]
async fn minting_needs_the_mail_scope_a_safe_base_and_an_email_list() {
    let s = spawn().await;
    let id = s.subject("US-TX", "dan@example.com").await;
    let chooser = s
        .key("svc:choices", &["choices", "decide"], json!({}))
        .await;
    let path = format!("/v1/subjects/{id}/unsubscribe-link");
    s.post(
        &path,
        &chooser,
        json!({"base_url": "https://p.example.com"}),
    )
    .await
    .problem(403, "MISSING_SCOPE");
    let mailer = s.key("svc:mailer", &["mail"], json!({})).await;
    for base in [
        "http://privacy.example.com",
        "ftp://x",
        "https://x/?q=1",
        "https://u@x",
        "https://",
    ] {
        s.post(&path, &mailer, json!({"base_url": base}))
            .await
            .problem(422, "BAD_BASE_URL");
    }
    let ok = s
        .post(&path, &mailer, json!({"base_url": "http://127.0.0.1:8080"}))
        .await;
    assert_eq!(ok.status, 201, "{}", ok.text());
    for key in [
        "marketing:first_party:sms",
        "sale_opt_out",
        "marketing:nope:email",
    ] {
        s.post(
            &path,
            &mailer,
            json!({"base_url": "https://p.example.com", "key": key}),
        )
        .await
        .problem(422, "NOT_AN_EMAIL_LIST");
    }
    s.post(
        "/v1/subjects/0190f5a0-0000-7000-8000-000000000000/unsubscribe-link",
        &mailer,
        json!({"base_url": "https://p.example.com"}),
    )
    .await
    .problem(404, "NOT_FOUND");
}
