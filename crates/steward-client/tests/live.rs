//! The Rust client and the tower layer against a live Steward (the real server on
//! 127.0.0.1:0): the three calls a service makes most, following a request, the problem
//! documents, and an axum app guarded by `StewardLayer`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed step fails the test"
)]

mod common;

use std::time::Duration;

use axum::extract::Path;
use axum::routing::get;
use axum::{Extension, Json, Router};
use steward_client::api::choices::{ChoiceIn, RecordChoices};
use steward_client::api::common::IdentityKindDto;
use steward_client::api::requests::{ApproveIn, ListParams, RequesterDto, SubmitIn};
use steward_client::api::subjects::{CreateSubject, IdentityIn, Lookup};
use steward_client::layer::{DECISION_HEADER, Permit, StewardLayer};
use steward_client::wire::{Op, Request, SubjectFacts};
use steward_client::{Client, ClientError, Gpc};

async fn subject(c: &Client, email: &str, jurisdiction: &str) -> uuid::Uuid {
    let s = c
        .create_subject(&CreateSubject {
            jurisdiction: Some(jurisdiction.into()),
            identities: vec![IdentityIn {
                kind: IdentityKindDto::Email,
                value: email.into(),
            }],
            ..CreateSubject::default()
        })
        .await
        .unwrap();
    s.id.parse().unwrap()
}

fn disclose(subject: uuid::Uuid, categories: &[&str]) -> Request {
    Request {
        op: Some(Op::CanDisclose),
        categories: categories.iter().map(|c| (*c).to_string()).collect(),
        recipient: Some("MP1".into()),
        purpose: Some("third_party_promotional_mail".into()),
        subject: SubjectFacts {
            id: Some(subject.to_string()),
            ..SubjectFacts::default()
        },
        ..Request::default()
    }
}

fn choice(subject: uuid::Uuid, key: &str, value: bool) -> RecordChoices {
    RecordChoices {
        subject_id: Some(subject),
        device: None,
        choices: vec![ChoiceIn {
            key: key.into(),
            value,
            source: None,
            notice_sha256: None,
            channel: Some("web_form".into()),
        }],
    }
}

#[tokio::test]
async fn decide_record_a_choice_with_gpc_and_follow_a_request() {
    let live = common::start().await;
    let c = Client::new(&live.url(), live.admin.clone()).unwrap();
    let id = subject(&c, "ada@example.test", "US-CA").await;

    // A decision with its reason, clause and requirement ids: the e-mail may not go to the
    // mailing partner, and the projection says what may; asked for just that, the answer is
    // an allow with its obligations.
    let d = c
        .decide(&disclose(id, &["name", "postal_address", "email"]))
        .await
        .unwrap();
    assert!(!d.allow, "{d:?}");
    assert_eq!(d.op, Op::CanDisclose);
    assert_eq!(d.reason, "CATEGORY_EXCLUDED");
    assert!(!d.clause.is_empty() && !d.requirements.is_empty(), "{d:?}");
    assert_eq!(d.excluded, ["email"]);
    assert_eq!(d.dropped_categories(), ["email"]);
    let allowed = d.projection().unwrap();
    assert_eq!(allowed, ["name", "postal_address"]);
    let allowed: Vec<&str> = allowed.iter().map(String::as_str).collect();
    let ok = c.decide(&disclose(id, &allowed)).await.unwrap();
    assert!(ok.allow, "{ok:?}");
    assert!(
        ok.obligations.audit && ok.obligations.record_disclosure,
        "{ok:?}"
    );
    assert_ne!(ok.decision_id, d.decision_id);

    // A choice without GPC changes nothing for the sale; the same call with `Sec-GPC: 1`
    // passed through records the opt-out, and the next decision says why it refuses.
    c.record_choices(
        &choice(id, "marketing:first_party:email", true),
        Gpc::Absent,
    )
    .await
    .unwrap();
    assert!(c.decide(&disclose(id, &["name"])).await.unwrap().allow);
    let rec = c
        .record_choices(
            &choice(id, "marketing:first_party:email", true),
            Gpc::from_header(Some("1")),
        )
        .await
        .unwrap();
    assert!(!rec.choice_ids.is_empty());
    let refused = c.decide(&disclose(id, &["name"])).await.unwrap();
    assert!(!refused.allow, "{refused:?}");
    assert_ne!(refused.reason, "ALLOW");
    let eff = c.effective_choices(id).await.unwrap();
    let eff = serde_json::to_value(&eff).unwrap();
    assert!(eff.to_string().contains("gpc"), "{eff}");

    // Submit on the customer's behalf, follow it, approve it.
    let answer = c
        .submit_request(&SubmitIn {
            requester: Some(RequesterDto::Admin),
            channel: Some("support".into()),
            subject_id: Some(id),
            preverified: Some("support_call_kba".into()),
            ..SubmitIn::by_email("access", "ada@example.test")
        })
        .await
        .unwrap();
    assert_eq!(answer.state, "verified");
    let rid: uuid::Uuid = answer.request_id.parse().unwrap();
    let shown = c.request(rid).await.unwrap();
    assert_eq!(shown.summary.kind, "access");
    assert_eq!(shown.summary.status, "ON_TRACK");
    assert_eq!(
        shown.summary.subject.as_deref(),
        Some(id.to_string().as_str())
    );
    assert!(
        shown.regimes.iter().any(|r| r.regime == "CCPA"),
        "{shown:?}"
    );
    assert_eq!(shown.steps[0].action, "intake");
    let approved = c.approve_request(rid, &ApproveIn::default()).await.unwrap();
    assert_eq!(approved.summary.state, "approved");
    let page = c
        .list_requests(&ListParams {
            subject_id: Some(id.to_string()),
            ..ListParams::default()
        })
        .await
        .unwrap();
    assert_eq!(page.requests.len(), 1);
    assert_eq!(page.requests[0].id, answer.request_id);
    assert!(page.next.is_none());
    let found = c
        .lookup(&Lookup {
            kind: IdentityKindDto::Email,
            value: "ada@example.test".into(),
        })
        .await
        .unwrap();
    assert_eq!(found.subject_ids, [id.to_string()]);
}

#[tokio::test]
async fn the_public_intake_needs_no_key_and_problems_keep_their_code() {
    let live = common::start().await;
    let public = Client::builder(&live.url()).build().unwrap();
    let mut form = SubmitIn::by_email("deletion", "nobody@example.test");
    form.jurisdiction = Some("US-CA".into());
    let a = public.submit_request(&form).await.unwrap();
    assert_eq!(a.state, "awaiting_verification");
    assert_eq!(a.verification, "email_code");
    let wrong = public
        .verify_request(a.request_id.parse().unwrap(), "000000")
        .await
        .unwrap_err();
    assert_eq!(wrong.status(), Some(422), "{wrong}");

    // Without a key the staff routes answer the problem document, code and all.
    let e = public.request(uuid::Uuid::nil()).await.unwrap_err();
    assert_eq!(e.code(), Some("UNAUTHORIZED"), "{e}");
    let bad = Client::new(&live.url(), "stw_not_a_key").unwrap();
    let e = bad
        .decide(&disclose(uuid::Uuid::nil(), &["name"]))
        .await
        .unwrap_err();
    assert!(
        matches!(e, ClientError::Problem(ref p) if p.status == 401),
        "{e}"
    );
    // An unknown category fails closed, as a decision; a request without an operation is the
    // caller's mistake, answered as a problem.
    let c = Client::new(&live.url(), live.admin.clone()).unwrap();
    let id = subject(&c, "bo@example.test", "US-CA").await;
    let d = c.decide(&disclose(id, &["shoe_size"])).await.unwrap();
    assert!(!d.allow && d.reason == "UNREGISTERED_CATEGORY", "{d:?}");
    let e = c.decide(&Request::default()).await.unwrap_err();
    assert!(matches!(e.status(), Some(400 | 422)), "{e}");
    assert!(e.code().is_some_and(|c| !c.is_empty()), "{e}");
    // Nobody listening: a transport error, quickly.
    let gone = Client::builder("http://127.0.0.1:9")
        .api_key("stw_x")
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let e = gone.decide(&disclose(id, &["name"])).await.unwrap_err();
    assert!(
        matches!(e, ClientError::Transport(_) | ClientError::Timeout),
        "{e}"
    );
}

/// The company's handler: it answers the whole customer record; the guard drops what the
/// decision excludes.
async fn label(
    Path(id): Path<String>,
    Extension(permit): Extension<Permit>,
) -> Json<serde_json::Value> {
    Json(serde_json::json!({
        "customer": id,
        "name": "Ada Example",
        "postal_address": "1 Demo Street",
        "email": "ada@example.test",
        "email_allowed": permit.allows("email"),
    }))
}

async fn guarded_app(steward: Client) -> (String, tokio::sync::oneshot::Sender<()>) {
    let guard = StewardLayer::new(steward, |parts| {
        let rest = parts.uri.path().strip_prefix("/customers/")?;
        let id = rest
            .strip_suffix("/label")
            .or_else(|| rest.strip_suffix("/text"))?;
        let ask = Request {
            op: Some(Op::CanDisclose),
            categories: vec!["name".into(), "postal_address".into(), "email".into()],
            recipient: Some("MP1".into()),
            purpose: Some("third_party_promotional_mail".into()),
            subject: SubjectFacts {
                id: Some(id.to_string()),
                ..SubjectFacts::default()
            },
            ..Request::default()
        };
        Some(ask)
    });
    let app = Router::new()
        .route("/customers/{id}/label", get(label))
        .route("/open", get(|| async { "no personal data here" }))
        .route(
            "/customers/{id}/text",
            get(|| async { "Ada Example, ada@example.test" }),
        )
        .layer(guard);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                let _ = rx.await;
            })
            .await
            .unwrap();
    });
    (format!("http://{addr}"), tx)
}

/// A plain GET, answered as (status, content type, decision header, body).
async fn get_text(url: &str) -> (u16, String, Option<String>, String) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let rest = url.strip_prefix("http://").unwrap();
    let (host, path) = rest.split_at(rest.find('/').unwrap());
    let mut s = tokio::net::TcpStream::connect(host).await.unwrap();
    s.write_all(
        format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").as_bytes(),
    )
    .await
    .unwrap();
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).await.unwrap();
    let text = String::from_utf8_lossy(&buf).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    let status = head[9..12].parse().unwrap();
    let header = |name: &str| {
        head.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case(name).then(|| v.trim().to_string())
        })
    };
    (
        status,
        header("content-type").unwrap_or_default(),
        header(DECISION_HEADER),
        body.to_string(),
    )
}

#[tokio::test]
async fn the_tower_layer_projects_refuses_and_fails_closed() {
    let live = common::start().await;
    let c = Client::new(&live.url(), live.admin.clone()).unwrap();
    let ada = subject(&c, "ada@example.test", "US-CA").await;
    let bo = subject(&c, "bo@example.test", "US-CA").await;
    c.record_choices(&choice(bo, "sale_opt_out", true), Gpc::Absent)
        .await
        .unwrap();
    let (app, _stop) = guarded_app(c.clone()).await;

    // Allowed: the answer goes out without the e-mail, under the named decision.
    let (status, ct, decision, body) = get_text(&format!("{app}/customers/{ada}/label")).await;
    assert_eq!(status, 200, "{body}");
    assert!(ct.starts_with("application/json"));
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["name"], "Ada Example");
    assert_eq!(v["postal_address"], "1 Demo Street");
    assert!(v.get("email").is_none(), "{v}");
    assert_eq!(v["email_allowed"], false);
    assert!(decision.is_some_and(|d| !d.is_empty()));

    // Refused: the handler never runs; the reason and the decision come back.
    let (status, ct, _, body) = get_text(&format!("{app}/customers/{bo}/label")).await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(ct, "application/problem+json");
    let p: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(p["code"], "DENIED");
    assert_eq!(p["decision"]["allow"], false);
    assert!(
        p["detail"]
            .as_str()
            .unwrap()
            .contains(p["decision"]["reason"].as_str().unwrap())
    );
    assert!(!body.contains("Ada Example") && !body.contains("1 Demo Street"));

    // Routes that touch no personal data pass untouched.
    let (status, _, decision, body) = get_text(&format!("{app}/open")).await;
    assert_eq!((status, body.as_str()), (200, "no personal data here"));
    assert!(decision.is_none());

    // Categories to drop from an answer the guard cannot read: refused, nothing leaks.
    let (status, _, _, body) = get_text(&format!("{app}/customers/{ada}/text")).await;
    assert_eq!(status, 500, "{body}");
    assert!(body.contains("UNPROJECTABLE_RESPONSE") && !body.contains("ada@example.test"));

    // Steward out of reach: fail closed.
    let gone = Client::builder("http://127.0.0.1:9")
        .api_key("stw_x")
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let (app2, _stop2) = guarded_app(gone).await;
    let (status, _, _, body) = get_text(&format!("{app2}/customers/{ada}/label")).await;
    assert_eq!(status, 503, "{body}");
    assert!(body.contains("STEWARD_UNAVAILABLE") && !body.contains("Ada Example"));
}

/// A mailer's call (MKT-03, RFC 8058): the link and header values for a marketing e-mail;
/// the one-click `POST` a mail provider then sends opts the subject out at once.
#[tokio::test]
async fn a_mailer_gets_the_unsubscribe_headers_and_the_one_click_post_opts_out() {
    let live = common::start().await;
    let admin = Client::new(&live.url(), live.admin.clone()).unwrap();
    let id = subject(&admin, "una@example.test", "US-TX").await;
    let link = admin
        .unsubscribe_link(
            id,
            &steward_client::api::choices::UnsubscribeLinkRequest {
                key: None,
                base_url: live.url(),
            },
        )
        .await
        .unwrap();
    assert_eq!(link.list_unsubscribe, format!("<{}>", link.url));
    assert_eq!(link.list_unsubscribe_post, "List-Unsubscribe=One-Click");
    assert!(!link.url.contains(&id.to_string()));

    let (host, path) = link
        .url
        .strip_prefix("http://")
        .and_then(|r| r.split_once('/'))
        .unwrap();
    let mut s = tokio::net::TcpStream::connect(host).await.unwrap();
    let body = "List-Unsubscribe=One-Click";
    let req = format!(
        "POST /{path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    tokio::io::AsyncWriteExt::write_all(&mut s, req.as_bytes())
        .await
        .unwrap();
    let mut out = Vec::new();
    tokio::io::AsyncReadExt::read_to_end(&mut s, &mut out)
        .await
        .unwrap();
    assert!(
        out.starts_with(b"HTTP/1.1 200"),
        "{}",
        String::from_utf8_lossy(&out)
    );

    let ask = Request {
        op: Some(Op::CanSend),
        message_kind: Some("marketing_first_party".into()),
        channel: Some("email".into()),
        subject: SubjectFacts {
            id: Some(id.to_string()),
            ..SubjectFacts::default()
        },
        ..Request::default()
    };
    let d = admin.decide(&ask).await.unwrap();
    assert!(!d.allow, "{d:?}");
    assert_eq!(d.reason, "OPTED_OUT");
}
