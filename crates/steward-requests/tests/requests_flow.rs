//! The request workflow end to end against the real SQLite store and vault, its outside
//! effects faked in memory (mail, webhooks, company databases): intake without account
//! enumeration, one-time codes with expiry and attempt limits, erasure across the vault, an
//! external dataset and a processor's signed webhook with a receipt,
//! connectors that fail half-way and succeed on a re-run without double effects, webhook
//! retries and dead letters, corrections notified to past recipients, access and portable
//! reports built from what is stored.
#![expect(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test code: a failed step fails the test"
)]

mod support;

use jiff::SignedDuration;
use steward_core::{Caller, CoreError};
use steward_deadlines::{Lookback, RequestKind};
use steward_errors::ErrorCode;
use steward_requests::fakes::MemoryDb;
use steward_requests::{
    ApproveInput, ConnectionSource, ConnectorKind, CorrectionInput, DatasetRegistration,
    DenyReason, ReportFormat, SubmitRequest, WebhookRegistration,
};
use steward_store::model::request::Requester;
use steward_vault::SecretString;
use support::*;

const EMAIL: &str = "jane.roe@example.com";

fn invalid_code<T: std::fmt::Debug>(r: Result<T, CoreError>) -> &'static str {
    match r {
        Err(CoreError::Invalid { code, .. }) => code.as_str(),
        other => panic!("expected Invalid, got {other:?}"),
    }
}

/// A company database reached as `name` (an in-memory dataset): two customers and their
/// orders.
fn shop_db(e: &Env, name: &str, email: &str) -> String {
    let mut db = MemoryDb::default();
    db.insert(
        "customers",
        &[
            ("id", Some("1")),
            ("email", Some(email)),
            ("full_name", Some("Jane Roe")),
        ],
    );
    db.insert(
        "customers",
        &[
            ("id", Some("2")),
            ("email", Some("bob@example.com")),
            ("full_name", Some("Bob")),
        ],
    );
    for (id, customer, ship_to) in [
        ("10", "1", "1 Main St"),
        ("11", "1", "1 Main St"),
        ("12", "2", "2 Elm St"),
    ] {
        db.insert(
            "orders",
            &[
                ("id", Some(id)),
                ("customer_id", Some(customer)),
                ("ship_to", Some(ship_to)),
            ],
        );
    }
    e.fakes.sqlite.put(name, db);
    name.to_string()
}

/// A column of the row of `table` whose `id` is `id`.
fn cell(e: &Env, conn: &str, table: &str, id: &str, column: &str) -> Option<String> {
    e.fakes.sqlite.get(conn).unwrap().tables[table]
        .iter()
        .find(|r| r.get("id").cloned().flatten().as_deref() == Some(id))
        .unwrap()
        .get(column)
        .cloned()
        .flatten()
}

const SHOP: &str = r#"
[[tables]]
name = "customers"
identity = { column = "email", kind = "email" }
action = "mask"
columns = { email = "email", full_name = "name" }

[[tables]]
name = "orders"
via = { column = "customer_id", table = "customers", references = "id" }
action = "nullify"
columns = { ship_to = "postal_address" }
"#;

async fn verified_deletion(e: &Env, email: &str) -> steward_store::ids::RequestId {
    let a = e
        .requests
        .submit(
            &Caller::System,
            SubmitRequest::by_email(RequestKind::Deletion, "privacy_center", email),
        )
        .await
        .unwrap();
    let v = e
        .requests
        .verify_code(a.request_id, &e.last_code())
        .await
        .unwrap();
    assert_eq!(v.state, "verified");
    e.requests
        .approve(&svc(), a.request_id, ApproveInput::default())
        .await
        .unwrap();
    a.request_id
}

#[tokio::test]
async fn intake_answers_alike_for_known_and_unknown_identities() {
    let e = env();
    e.subject(EMAIL, "US-CA").await;
    let known = e
        .requests
        .submit(
            &Caller::System,
            SubmitRequest::by_email(RequestKind::Access, "privacy_center", EMAIL),
        )
        .await
        .unwrap();
    let unknown = e
        .requests
        .submit(
            &Caller::System,
            SubmitRequest::by_email(RequestKind::Access, "privacy_center", "nobody@example.com"),
        )
        .await
        .unwrap();
    assert_ne!(known.request_id, unknown.request_id);
    assert_eq!(
        (&known.state, &known.verification, &known.message),
        (&unknown.state, &unknown.verification, &unknown.message),
        "no account enumeration"
    );
    // Both got a code (and an acknowledgement); only the mailbox owner learns anything more.
    let out = e.outbox();
    assert_eq!(
        out.iter()
            .filter(|m| m.contains("confirmation code"))
            .count(),
        2
    );
    // The unknown requester who proves the address learns that nothing is held.
    let code = e.last_code();
    e.requests
        .verify_code(unknown.request_id, &code)
        .await
        .unwrap();
    e.requests
        .approve(
            &svc(),
            unknown.request_id,
            ApproveInput {
                data_points: 2,
                signed_declaration: true,
            },
        )
        .await
        .unwrap();
    let run = e
        .requests
        .run(&svc(), unknown.request_id, &|_| {})
        .await
        .unwrap();
    assert_eq!(run.state.as_str(), "completed");
    let report = e
        .requests
        .report(&svc(), unknown.request_id, ReportFormat::Json)
        .await
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(report.body.expose()).unwrap();
    assert_eq!(json["confirmation"], false);
}

#[tokio::test]
async fn ccpa_24_codes_expire_and_allow_limited_attempts() {
    let e = env_with(|c| c.code_attempts = 3);
    e.subject(EMAIL, "US-CA").await;
    let a = e
        .requests
        .submit(
            &Caller::System,
            SubmitRequest::by_email(RequestKind::Deletion, "privacy_center", EMAIL),
        )
        .await
        .unwrap();
    assert_eq!(a.state, "awaiting_verification");
    let good = e.last_code();
    let wrong = if good == "000000" { "111111" } else { "000000" };
    let id = a.request_id;
    assert_eq!(
        invalid_code(e.requests.verify_code(id, wrong).await),
        "CODE_INVALID"
    );
    assert_eq!(
        invalid_code(e.requests.verify_code(id, wrong).await),
        "CODE_INVALID"
    );
    assert_eq!(
        invalid_code(e.requests.verify_code(id, wrong).await),
        "CODE_INVALID"
    );
    assert_eq!(
        invalid_code(e.requests.verify_code(id, &good).await),
        "CODE_EXHAUSTED",
        "the right code after the limit is refused"
    );
    // A new code replaces it; it expires after 30 minutes.
    e.requests.resend_code(id).await.unwrap();
    let second = e.last_code();
    e.clock.advance(SignedDuration::from_mins(31));
    assert_eq!(
        invalid_code(e.requests.verify_code(id, &second).await),
        "CODE_EXPIRED"
    );
    e.requests.resend_code(id).await.unwrap();
    let third = e.last_code();
    e.clock.advance(SignedDuration::from_mins(29));
    let ok = e.requests.verify_code(id, &third).await.unwrap();
    assert_eq!(ok.state, "verified");
    // Verifying again is harmless.
    assert_eq!(
        e.requests.verify_code(id, &third).await.unwrap().state,
        "verified"
    );
    let v = e.requests.show(id).await.unwrap();
    assert_eq!(v.verification.method, "email_code");
    // The database holds neither the codes nor the address (AUD-04).
    e.steward.shutdown().await;
    for name in ["steward.db", "steward.db-wal"] {
        if let Ok(bytes) = std::fs::read(e.dir.path().join(name)) {
            let hay = String::from_utf8_lossy(&bytes);
            assert!(!hay.contains("jane.roe"), "plaintext address in {name}");
            assert!(!hay.contains(third.as_str()), "plaintext code in {name}");
        }
    }
    // (The file outbox's permissions are the adapter's: `steward-adapters` tests them.)
}

#[tokio::test]
async fn ccpa_24_signed_in_subjects_are_not_asked_again_and_opt_outs_need_nothing() {
    let e = env();
    let s = e.subject(EMAIL, "US-CA").await;
    let mut req = SubmitRequest::by_email(RequestKind::Access, "in_service", EMAIL);
    req.email = None;
    let a = e.requests.submit(&Caller::Subject(s), req).await.unwrap();
    assert_eq!(
        (a.state.as_str(), a.verification.as_str()),
        ("verified", "session")
    );
    // GDPR-06: nothing more may be demanded from a signed-in subject.
    assert_eq!(
        invalid_code(
            e.requests
                .request_more_information(&svc(), a.request_id, &["passport_scan".into()])
                .await
        ),
        "DISPROPORTIONATE_VERIFICATION"
    );
    // CCPA-13: an opt-out by e-mail applies at once, without a code.
    let before = e.outbox().len();
    let o = e
        .requests
        .submit(
            &Caller::System,
            SubmitRequest::by_email(RequestKind::OptOutSaleShare, "privacy_center", EMAIL),
        )
        .await
        .unwrap();
    assert_eq!(
        (o.state.as_str(), o.verification.as_str()),
        ("completed", "none")
    );
    let (_, eff) = e.steward.effective_choices(s).await.unwrap();
    assert!(eff.choices.sale_opt_out && eff.choices.share_opt_out);
    assert!(
        e.outbox()[before..]
            .iter()
            .all(|m| !m.contains("confirmation code")),
        "no code for an opt-out"
    );
    // CCPA-11: a correction of the e-mail cannot be verified through that e-mail.
    let mut corr = SubmitRequest::by_email(RequestKind::Correction, "privacy_center", EMAIL);
    corr.correction = Some(CorrectionInput {
        category: "email".into(),
        item: None,
        value: "new@example.com".to_string().into(),
    });
    assert_eq!(
        invalid_code(e.requests.submit(&Caller::System, corr).await),
        "VERIFY_WITH_OTHER_DATA"
    );
}

#[tokio::test]
async fn ccpa_24_non_account_holders_need_data_points_and_a_declaration() {
    let e = env();
    // A recipient (a Customer's customer), not an account holder.
    let s = e
        .steward
        .create_subject(
            &svc(),
            steward_core::subjects::SubjectInput {
                kind: Some(steward_store::model::subject::SubjectKind::Recipient),
                jurisdiction: Some("US-CA".into()),
                identities: vec![steward_core::subjects::IdentityInput {
                    kind: steward_store::model::subject::IdentityKind::Email,
                    value: EMAIL.to_string().into(),
                }],
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .id;
    let _ = s;
    let a = e
        .requests
        .submit(
            &Caller::System,
            SubmitRequest::by_email(RequestKind::KnowSpecificPieces, "privacy_center", EMAIL),
        )
        .await
        .unwrap();
    e.requests
        .verify_code(a.request_id, &e.last_code())
        .await
        .unwrap();
    assert_eq!(
        invalid_code(
            e.requests
                .approve(
                    &svc(),
                    a.request_id,
                    ApproveInput {
                        data_points: 2,
                        signed_declaration: false
                    }
                )
                .await
        ),
        "VERIFICATION_INSUFFICIENT"
    );
    let v = e
        .requests
        .approve(
            &svc(),
            a.request_id,
            ApproveInput {
                data_points: 2,
                signed_declaration: true,
            },
        )
        .await
        .unwrap();
    assert_eq!(v.summary.state, "approved");
}

#[tokio::test]
async fn ccpa_23_agents_wait_for_the_consumers_permission() {
    let e = env();
    e.subject(EMAIL, "US-CA").await;
    let mut req = SubmitRequest::by_email(RequestKind::Deletion, "privacy_center", EMAIL);
    req.requester = Requester::Agent;
    req.agent = Some(steward_requests::AgentInput {
        email: Some("agent@agency.example".to_string().into()),
        permission_sha256: None,
        ..steward_requests::AgentInput::default()
    });
    let a = e.requests.submit(&Caller::System, req).await.unwrap();
    assert_eq!(a.state, "awaiting_agent_permission");
    assert!(e.outbox().iter().all(|m| !m.contains("confirmation code")));
    let v = e
        .requests
        .record_agent_permission(&svc(), a.request_id, &"ab".repeat(32))
        .await
        .unwrap();
    assert_eq!(
        v.summary.state, "awaiting_verification",
        "the consumer confirms directly"
    );
    let code = e.last_code();
    assert_eq!(
        e.requests
            .verify_code(a.request_id, &code)
            .await
            .unwrap()
            .state,
        "verified"
    );
}

#[tokio::test]
async fn gdpr_02_04_05_denials_need_a_basis_and_tell_the_subject_how_to_complain() {
    let e = env();
    e.subject(EMAIL, "DE").await;
    let a = e
        .requests
        .submit(
            &Caller::System,
            SubmitRequest::by_email(RequestKind::Access, "privacy_center", EMAIL),
        )
        .await
        .unwrap();
    assert_eq!(
        invalid_code(
            e.requests
                .deny(&svc(), a.request_id, DenyReason::Other, Some("no"))
                .await
        ),
        "DENIAL_NOT_PERMITTED"
    );
    assert_eq!(
        invalid_code(
            e.requests
                .deny(&svc(), a.request_id, DenyReason::Excessive, None)
                .await
        ),
        "JUSTIFICATION_REQUIRED"
    );
    let v = e
        .requests
        .deny(&svc(), a.request_id, DenyReason::CannotIdentify, None)
        .await
        .unwrap();
    assert_eq!(v.summary.state, "denied");
    let last = e.outbox().pop().unwrap();
    assert!(
        last.contains("supervisory authority") && last.contains("judicial remedy"),
        "{last}"
    );
}

#[tokio::test]
async fn ccpa_07_a_third_know_request_in_twelve_months_may_be_declined() {
    let e = env();
    let s = e.subject(EMAIL, "US-CA").await;
    let mut ids = Vec::new();
    for _ in 0..3 {
        let mut req = SubmitRequest::by_email(RequestKind::Access, "in_service", EMAIL);
        req.email = None;
        ids.push(
            e.requests
                .submit(&Caller::Subject(s), req)
                .await
                .unwrap()
                .request_id,
        );
        e.clock.advance(SignedDuration::from_hours(24 * 30));
    }
    let third = e.requests.show(ids[2]).await.unwrap();
    assert!(third.repeat.as_ref().unwrap().may_decline);
    assert_eq!(
        third.repeat.as_ref().unwrap().reason.as_deref(),
        Some("CCPA_1798_130_b")
    );
    assert!(
        !e.requests
            .show(ids[1])
            .await
            .unwrap()
            .repeat
            .unwrap()
            .may_decline
    );
    assert_eq!(
        invalid_code(
            e.requests
                .deny(&svc(), ids[1], DenyReason::RepeatKnowRequest, None)
                .await
        ),
        "DENIAL_NOT_PERMITTED"
    );
    e.requests
        .deny(&svc(), ids[2], DenyReason::RepeatKnowRequest, None)
        .await
        .unwrap();
}

#[tokio::test]
async fn erasure_reaches_the_vault_a_dataset_and_a_processor_and_issues_a_receipt() {
    let e = env();
    let s = e.subject(EMAIL, "US-CA").await;
    e.item(
        s,
        "email",
        EMAIL,
        "direct:registration",
        "account_registration",
    )
    .await;
    e.item(
        s,
        "name",
        "Jane Roe",
        "direct:registration",
        "account_registration",
    )
    .await;
    e.disclosed(s, "SP_EMAIL", &["email"], "important_communications")
        .await;
    e.disclosed(
        s,
        "MP1",
        &["name", "postal_address"],
        "third_party_promotional_mail",
    )
    .await;
    let path = shop_db(&e, "shop.db", "Jane.Roe@Example.com");
    e.requests
        .register_dataset(
            &svc(),
            DatasetRegistration {
                name: "shop".into(),
                kind: ConnectorKind::SqliteDataset,
                annotation: SHOP.into(),
                connection: ConnectionSource::Secret(SecretString::from(path.clone())),
            },
        )
        .await
        .unwrap();
    let hook = e.endpoint(202);
    e.requests
        .register_webhook(
            &svc(),
            WebhookRegistration {
                name: "sp_email".into(),
                recipient: "SP_EMAIL".into(),
                url: hook.url.clone(),
                secret: ConnectionSource::Secret(SecretString::from("whsec-test")),
            },
        )
        .await
        .unwrap();
    let id = verified_deletion(&e, EMAIL).await;
    let plan = e.requests.show(id).await.unwrap().plan.unwrap();
    assert_eq!(
        plan.datasets[0].tables,
        [
            ("orders".to_string(), "nullify".to_string()),
            ("customers".to_string(), "mask".to_string())
        ]
    );
    let seen = std::sync::Mutex::new(Vec::new());
    let out = e
        .requests
        .run(&svc(), id, &|p| {
            seen.lock().unwrap().push((p.done, p.total, p.system))
        })
        .await
        .unwrap();
    assert_eq!(out.state.as_str(), "completed", "{out:?}");
    let seen = seen.into_inner().unwrap();
    assert_eq!(
        seen.last().unwrap().0,
        seen.last().unwrap().1,
        "the progress bar reaches its end"
    );
    // The external dataset: masked, nullified, other customers untouched.
    let mail = cell(&e, &path, "customers", "1", "email").unwrap();
    let name = cell(&e, &path, "customers", "1", "full_name").unwrap();
    assert!(mail.starts_with("erased:") && name.starts_with("erased:"));
    assert_eq!(cell(&e, &path, "orders", "10", "ship_to"), None);
    assert_eq!(cell(&e, &path, "orders", "11", "ship_to"), None);
    assert_eq!(
        cell(&e, &path, "orders", "12", "ship_to").as_deref(),
        Some("2 Elm St")
    );
    assert_eq!(
        cell(&e, &path, "customers", "2", "email").as_deref(),
        Some("bob@example.com")
    );
    // The vault: everything erased, the key destroyed (nothing had to be kept).
    assert!(matches!(
        e.steward.store().get_wrapped_key(s).await,
        Err(steward_store::error::StoreError::KeyDestroyed(_))
    ));
    // The processor got a signed webhook naming the subject's e-mail.
    let got = hook.received();
    assert_eq!(got.len(), 1);
    let sig = got[0].header("Steward-Signature").unwrap();
    assert!(steward_requests::webhooks::verify(
        b"whsec-test",
        sig,
        &got[0].body,
        e.steward.clock().now(),
        SignedDuration::from_mins(5)
    ));
    let body: serde_json::Value = serde_json::from_slice(&got[0].body).unwrap();
    assert_eq!(body["type"], "steward.request.erasure");
    assert_eq!(body["action"], "delete");
    assert_eq!(body["subject"]["identities"]["email"][0], EMAIL);
    // The receipt lists every system touched.
    let r = e.requests.receipt(id).await.unwrap();
    let systems: Vec<(&str, &str)> = r
        .systems
        .iter()
        .map(|x| (x.system.as_str(), x.status.as_str()))
        .collect();
    assert_eq!(
        systems,
        [
            ("dataset:shop", "done"),
            ("notice:MP1", "manual"),
            ("webhook:SP_EMAIL", "delivered"),
            ("vault", "done")
        ]
    );
    let tables = json(&r.systems[0].detail)["tables"].clone();
    assert_eq!(tables[0]["rows"], 2);
    assert_eq!(tables[1]["rows"], 1);
    assert_eq!(json(&r.systems[3].detail)["key_destroyed"], true);
    let mp1 = r.notified.iter().find(|n| n.recipient == "MP1").unwrap();
    assert_eq!(
        mp1.action, "delete_and_forward",
        "CCPA-09: a third party the data was sold to"
    );
    assert!(r.record_keeping.contains("24 months"));
    assert_eq!(r.sha256.len(), 64);
    // The processor confirms, signed with its secret (RET-07); a forged confirmation is refused.
    let delivery = e.requests.show(id).await.unwrap().deliveries[0]
        .id
        .to_string();
    let dbody = format!("{{\"delivery_id\":\"{delivery}\"}}");
    let now = e.steward.clock().now();
    let forged = steward_requests::webhooks::sign(b"wrong", now, dbody.as_bytes());
    assert!(matches!(
        e.requests
            .confirm_delivery(delivery.parse().unwrap(), &forged, dbody.as_bytes())
            .await,
        Err(CoreError::NotFound(_))
    ));
    let good = steward_requests::webhooks::sign(b"whsec-test", now, dbody.as_bytes());
    e.requests
        .confirm_delivery(delivery.parse().unwrap(), &good, dbody.as_bytes())
        .await
        .unwrap();
    let r = e.requests.receipt(id).await.unwrap();
    assert_eq!(
        r.notified
            .iter()
            .find(|n| n.recipient == "SP_EMAIL")
            .unwrap()
            .status,
        "confirmed"
    );
    // The subject is told, with the record-keeping statement (CCPA-09).
    assert!(
        e.outbox()
            .last()
            .unwrap()
            .contains("A record of this request is kept")
    );
    // Connection strings never appear in views.
    let views = format!("{:?}", e.requests.connectors().await.unwrap());
    assert!(!views.contains("shop.db") && views.contains("sealed"));
}

#[tokio::test]
async fn gdpr_16_retained_items_keep_their_exception_and_the_key() {
    let e = env();
    let s = e.subject(EMAIL, "DE").await;
    let email = e
        .item(
            s,
            "email",
            EMAIL,
            "direct:registration",
            "account_registration",
        )
        .await;
    let hold = e
        .requests
        .place_legal_hold(
            &svc(),
            s,
            vec![email],
            "litigation",
            "legal",
            ts("2025-01-01T00:00:00Z"),
        )
        .await
        .unwrap();
    let id = verified_deletion(&e, EMAIL).await;
    let out = e.requests.run(&svc(), id, &|_| {}).await.unwrap();
    assert_eq!(out.state.as_str(), "completed");
    let r = e.requests.receipt(id).await.unwrap();
    assert_eq!(r.retained.len(), 1);
    assert_eq!(r.retained[0].citations, ["GDPR Art. 17(3)(e)"]);
    let vault = r.systems.iter().find(|x| x.system == "vault").unwrap();
    assert_eq!(
        json(&vault.detail)["key_destroyed"],
        false,
        "retained items stay readable"
    );
    // The held item is still there; the hold can be released later.
    assert!(
        e.steward
            .store()
            .get_item(email)
            .await
            .unwrap()
            .value
            .is_some()
    );
    e.requests
        .release_legal_hold(&svc(), hold.id)
        .await
        .unwrap();
}

#[tokio::test]
async fn a_connector_failing_half_way_is_retried_without_double_effects() {
    let e = env();
    let s = e.subject(EMAIL, "US-CA").await;
    e.item(
        s,
        "email",
        EMAIL,
        "direct:registration",
        "account_registration",
    )
    .await;
    let a = shop_db(&e, "a.db", EMAIL);
    let b = shop_db(&e, "b.db", EMAIL);
    let b_before = e.fakes.sqlite.get(&b).unwrap();
    // Dataset b refuses changes to its customers until that is lifted.
    e.fakes.sqlite.freeze_table(
        &b,
        "customers",
        Some("customers of jane.roe@example.com are frozen"),
    );
    for (name, path) in [("a_shop", &a), ("b_shop", &b)] {
        e.requests
            .register_dataset(
                &svc(),
                DatasetRegistration {
                    name: name.into(),
                    kind: ConnectorKind::SqliteDataset,
                    annotation: SHOP.into(),
                    connection: ConnectionSource::Secret(SecretString::from(path.clone())),
                },
            )
            .await
            .unwrap();
    }
    let id = verified_deletion(&e, EMAIL).await;
    let first = e.requests.run(&svc(), id, &|_| {}).await.unwrap();
    assert_eq!(first.state.as_str(), "failed");
    assert_eq!(first.failed_system.as_deref(), Some("dataset:b_shop"));
    assert!(
        first
            .reason
            .as_deref()
            .unwrap()
            .contains("customers of … are frozen"),
        "the subject's identity is scrubbed from the reason: {first:?}"
    );
    let v = e.requests.show(id).await.unwrap();
    assert_eq!(v.summary.state, "failed");
    assert_eq!(v.failure.as_ref().unwrap().system, "dataset:b_shop");
    // The vault was not touched: the identities are still there for the retry.
    assert!(e.steward.store().get_wrapped_key(s).await.is_ok());
    assert_eq!(e.fakes.sqlite.commits(&a), 1, "a was erased");
    assert_eq!(
        e.fakes.sqlite.get(&b).unwrap(),
        b_before,
        "b: rolled back entirely"
    );
    // Fix b and run again: a is not erased twice, b is erased, the vault last.
    e.fakes.sqlite.freeze_table(&b, "customers", None);
    let second = e.requests.run(&svc(), id, &|_| {}).await.unwrap();
    assert_eq!(second.state.as_str(), "completed", "{second:?}");
    assert_eq!(e.fakes.sqlite.commits(&a), 1, "nothing done twice");
    assert_eq!(e.fakes.sqlite.commits(&b), 1, "nothing skipped");
    assert!(
        cell(&e, &b, "customers", "1", "email")
            .unwrap()
            .starts_with("erased:")
    );
    let r = e.requests.receipt(id).await.unwrap();
    let systems: Vec<&str> = r.systems.iter().map(|x| x.system.as_str()).collect();
    assert_eq!(
        systems,
        ["dataset:a_shop", "dataset:b_shop", "vault"],
        "each system once"
    );
    assert!(r.systems.iter().all(|x| x.status == "done"));
    // A completed request does not run again.
    assert!(matches!(
        e.requests.run(&svc(), id, &|_| {}).await,
        Err(CoreError::Conflict {
            code: ErrorCode::NotApproved,
            ..
        })
    ));
}

#[tokio::test]
async fn a_webhook_endpoint_that_is_down_does_not_block_the_request_and_ends_as_a_dead_letter() {
    let e = env_with(|c| c.webhooks.max_attempts = 3);
    let s = e.subject(EMAIL, "US-CA").await;
    e.disclosed(s, "SP_EMAIL", &["email"], "important_communications")
        .await;
    let hook = e.endpoint(503);
    e.requests
        .register_webhook(
            &svc(),
            WebhookRegistration {
                name: "sp_email".into(),
                recipient: "SP_EMAIL".into(),
                url: hook.url.clone(),
                secret: ConnectionSource::Secret(SecretString::from("whsec-test")),
            },
        )
        .await
        .unwrap();
    let id = verified_deletion(&e, EMAIL).await;
    let out = e.requests.run(&svc(), id, &|_| {}).await.unwrap();
    assert_eq!(
        out.state.as_str(),
        "completed",
        "the request is not held back"
    );
    let d = &e.requests.show(id).await.unwrap().deliveries[0];
    assert_eq!(
        (
            json(&d)["state"].as_str(),
            json(&d)["attempts"].as_u64(),
            json(&d)["last_error"].as_str()
        ),
        (Some("pending"), Some(1), Some("HTTP_503"))
    );
    // Not due yet: nothing is attempted.
    assert_eq!(e.requests.deliver_due().await.unwrap().retried, 0);
    // After the back-off (30 s, then 60 s), the next attempts; the third is the last.
    e.clock.advance(SignedDuration::from_secs(30));
    assert_eq!(e.requests.deliver_due().await.unwrap().retried, 1);
    e.clock.advance(SignedDuration::from_secs(60));
    assert_eq!(e.requests.deliver_due().await.unwrap().dead_lettered, 1);
    assert_eq!(hook.received().len(), 3);
    assert_eq!(e.requests.metrics().await.unwrap().dead_letters, 1);
    assert!(
        e.requests
            .alerts()
            .await
            .unwrap()
            .iter()
            .any(|a| a.kind == "WEBHOOK_DEAD_LETTER")
    );
    let r = e.requests.receipt(id).await.unwrap();
    let n = &r.notified[0];
    assert_eq!(
        (n.status.as_str(), n.attempts, n.last_error.as_deref()),
        ("dead_letter", 3, Some("HTTP_503"))
    );
    // The endpoint is fixed; an operator requeues the dead letter; it is delivered and
    // confirmed by the response itself.
    hook.answer(200, "{\"confirmed\":true}");
    let dead = e.requests.dead_letters().await.unwrap();
    e.requests.requeue(&svc(), dead[0].id).await.unwrap();
    assert_eq!(e.requests.deliver_due().await.unwrap().delivered, 1);
    assert_eq!(
        e.requests.receipt(id).await.unwrap().notified[0].status,
        "confirmed"
    );
    assert_eq!(e.requests.metrics().await.unwrap().dead_letters, 0);
}

#[tokio::test]
async fn an_unreachable_endpoint_is_retried_and_reported() {
    let e = env();
    let s = e.subject(EMAIL, "US-CA").await;
    e.disclosed(s, "SP_EMAIL", &["email"], "important_communications")
        .await;
    e.requests
        .register_webhook(
            &svc(),
            WebhookRegistration {
                name: "sp_email".into(),
                recipient: "SP_EMAIL".into(),
                url: e.dead_url(),
                secret: ConnectionSource::Env("STEWARD_TEST_UNSET_SECRET_VAR".into()),
            },
        )
        .await
        .unwrap();
    let id = verified_deletion(&e, EMAIL).await;
    let out = e.requests.run(&svc(), id, &|_| {}).await.unwrap();
    assert_eq!(out.state.as_str(), "completed");
    // The secret's environment variable is missing: the delivery cannot be signed and goes
    // straight to the dead-letter list, which says why.
    let d = &e.requests.show(id).await.unwrap().deliveries[0];
    assert_eq!(json(&d)["state"], "dead_letter");
    assert_eq!(json(&d)["last_error"], "CONFIG");
}

#[tokio::test]
async fn gdpr_18_corrections_reach_the_recipients_of_the_old_value() {
    let e = env();
    let s = e.subject(EMAIL, "DE").await;
    let addr = e
        .item(
            s,
            "postal_address",
            "1 Old Street",
            "direct:registration",
            "account_registration",
        )
        .await;
    // Two recipients got the address in the last 12 months, one only long ago.
    e.clock.set(ts("2022-01-10T12:00:00Z"));
    e.disclosed(
        s,
        "MP1",
        &["postal_address"],
        "third_party_promotional_mail",
    )
    .await;
    e.clock.set(ts("2024-02-01T12:00:00Z"));
    e.disclosed(s, "SP_ADDR", &["postal_address"], "service_provision")
        .await;
    e.disclosed(
        s,
        "CAR_UPS",
        &["postal_address", "name"],
        "transaction_completion",
    )
    .await;
    e.clock.set(ts("2024-03-04T17:00:00Z"));
    let hook = e.endpoint(200);
    e.requests
        .register_webhook(
            &svc(),
            WebhookRegistration {
                name: "sp_addr".into(),
                recipient: "SP_ADDR".into(),
                url: hook.url.clone(),
                secret: ConnectionSource::Secret(SecretString::from("k")),
            },
        )
        .await
        .unwrap();
    let mut req = SubmitRequest::by_email(RequestKind::Correction, "in_service", EMAIL);
    req.email = None;
    req.correction = Some(CorrectionInput {
        category: "postal_address".into(),
        item: None,
        value: "2 New Road".to_string().into(),
    });
    let a = e.requests.submit(&Caller::Subject(s), req).await.unwrap();
    e.requests
        .approve(&svc(), a.request_id, ApproveInput::default())
        .await
        .unwrap();
    let out = e.requests.run(&svc(), a.request_id, &|_| {}).await.unwrap();
    assert_eq!(out.state.as_str(), "completed", "{out:?}");
    let read = e.steward.read_item(&svc(), addr, "support").await.unwrap();
    assert_eq!(read.value.expose().as_slice(), b"2 New Road");
    let r = e.requests.receipt(a.request_id).await.unwrap();
    let mut notified: Vec<(&str, &str)> = r
        .notified
        .iter()
        .map(|n| (n.recipient.as_str(), n.status.as_str()))
        .collect();
    notified.sort();
    assert_eq!(
        notified,
        [("CAR_UPS", "manual"), ("SP_ADDR", "delivered")],
        "MP1 got it more than 12 months ago"
    );
    let body: serde_json::Value = serde_json::from_slice(&hook.received()[0].body).unwrap();
    assert_eq!(body["type"], "steward.request.rectification");
    assert_eq!(body["detail"]["new_value"], "2 New Road");
}

#[tokio::test]
async fn access_reports_come_from_stored_data_with_the_ccpa_look_back() {
    let e = env();
    e.clock.set(ts("2023-01-05T17:00:00Z"));
    let s = e.subject(EMAIL, "US-CA").await;
    e.item(
        s,
        "name",
        "Old Name",
        "direct:registration",
        "account_registration",
    )
    .await;
    e.clock.set(ts("2024-02-01T17:00:00Z"));
    e.item(
        s,
        "email",
        EMAIL,
        "direct:registration",
        "account_registration",
    )
    .await;
    e.disclosed(s, "CAR_UPS", &["postal_address"], "transaction_completion")
        .await;
    e.clock.set(ts("2024-03-04T17:00:00Z"));
    let submit = |kind, lookback| {
        let e = &e;
        async move {
            let mut req = SubmitRequest::by_email(kind, "in_service", EMAIL);
            req.email = None;
            req.lookback = lookback;
            let a = e.requests.submit(&Caller::Subject(s), req).await.unwrap();
            e.requests
                .approve(&svc(), a.request_id, ApproveInput::default())
                .await
                .unwrap();
            e.requests.run(&svc(), a.request_id, &|_| {}).await.unwrap();
            a.request_id
        }
    };
    // Not before completion.
    let mut early = SubmitRequest::by_email(RequestKind::Access, "in_service", EMAIL);
    early.email = None;
    let pending = e
        .requests
        .submit(&Caller::Subject(s), early)
        .await
        .unwrap()
        .request_id;
    assert!(matches!(
        e.requests
            .report(&Caller::Subject(s), pending, ReportFormat::Json)
            .await,
        Err(CoreError::Conflict {
            code: ErrorCode::NotCompleted,
            ..
        })
    ));
    let default = submit(RequestKind::Access, None).await;
    let report = e
        .requests
        .report(&Caller::Subject(s), default, ReportFormat::Json)
        .await
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(report.body.expose()).unwrap();
    let cats: Vec<&str> = json["categories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["category"].as_str().unwrap())
        .collect();
    assert_eq!(
        cats,
        ["email"],
        "CCPA-06: the name collected 14 months ago is outside the default look-back"
    );
    assert_eq!(json["recipients"][0]["recipient"], "CAR_UPS");
    assert_eq!(json["recipients"][0]["role"], "independent_controller");
    assert_eq!(json["copy"]["fee"], 0);
    let all = submit(RequestKind::Access, Some(Lookback::All)).await;
    let json: serde_json::Value = serde_json::from_slice(
        e.requests
            .report(&svc(), all, ReportFormat::Json)
            .await
            .unwrap()
            .body
            .expose(),
    )
    .unwrap();
    assert_eq!(
        json["categories"].as_array().unwrap().len(),
        2,
        "range=all reaches back to 2022"
    );
    let csv = e
        .requests
        .report(&svc(), all, ReportFormat::Csv)
        .await
        .unwrap();
    assert!(String::from_utf8_lossy(csv.body.expose()).starts_with("category,category_name,value"));
    let html = e
        .requests
        .report(&svc(), all, ReportFormat::Html)
        .await
        .unwrap();
    assert!(String::from_utf8_lossy(html.body.expose()).contains("Old Name"));
    // Another subject's session cannot read it.
    let other = e.subject("other@example.com", "US-CA").await;
    assert!(matches!(
        e.requests
            .report(&Caller::Subject(other), all, ReportFormat::Json)
            .await,
        Err(CoreError::NotFound(_))
    ));
    // Categories only: no specific pieces.
    let cats_only = submit(RequestKind::KnowCategories, None).await;
    let json: serde_json::Value = serde_json::from_slice(
        e.requests
            .report(&svc(), cats_only, ReportFormat::Json)
            .await
            .unwrap()
            .body
            .expose(),
    )
    .unwrap();
    assert!(
        json["categories"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["items"].as_array().unwrap().is_empty())
    );
    // Portability (GDPR-19): JSON and CSV with a header row.
    let port = submit(RequestKind::Portability, None).await;
    let p: serde_json::Value = serde_json::from_slice(
        e.requests
            .report(&svc(), port, ReportFormat::PortableJson)
            .await
            .unwrap()
            .body
            .expose(),
    )
    .unwrap();
    assert_eq!(p["format"], "steward-portable-v1");
    let pcsv = e
        .requests
        .report(&svc(), port, ReportFormat::PortableCsv)
        .await
        .unwrap();
    let pcsv = String::from_utf8_lossy(pcsv.body.expose()).to_string();
    assert!(
        pcsv.starts_with("category,value,collected_at,source,system,table,field\n"),
        "{pcsv}"
    );
    assert!(
        pcsv.lines().skip(1).all(|l| l.ends_with(",vault,,")),
        "vault items say where they are: {pcsv}"
    );
}

#[tokio::test]
async fn connector_annotations_are_validated_at_registration() {
    let e = env();
    let bad = e
        .requests
        .register_dataset(
            &svc(),
            DatasetRegistration {
                name: "bad".into(),
                kind: ConnectorKind::PostgresDataset,
                annotation: "[[tables]]\nname = \"orders\"\naction = \"delete\"\nvia = { column = \"c\", table = \"customers\", references = \"id\" }\n".into(),
                connection: ConnectionSource::Env("SHOP_DB_URL".into()),
            },
        )
        .await;
    match bad {
        Err(CoreError::Invalid { code, message }) => {
            assert_eq!(code, "UNKNOWN_TABLE");
            assert!(
                message.contains("`orders`") && message.contains("`customers`"),
                "{message}"
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(e.requests.connectors().await.unwrap().is_empty());
}

#[tokio::test]
async fn ret_05_opt_outs_survive_the_erasure_as_hashed_suppression_entries() {
    let e = env();
    let s = e.subject(EMAIL, "US-CA").await;
    let o = e
        .requests
        .submit(
            &Caller::System,
            SubmitRequest::by_email(RequestKind::OptOutSaleShare, "privacy_center", EMAIL),
        )
        .await
        .unwrap();
    assert_eq!(o.state, "completed");
    let id = verified_deletion(&e, EMAIL).await;
    assert_eq!(
        e.requests
            .run(&svc(), id, &|_| {})
            .await
            .unwrap()
            .state
            .as_str(),
        "completed"
    );
    // The subject is erased; its e-mail's blind token still carries the opt-out.
    let token = e
        .steward
        .identity_ref(steward_store::model::subject::IdentityKind::Email, EMAIL)
        .unwrap();
    assert!(
        e.steward
            .store()
            .find_by_identity(&token)
            .await
            .unwrap()
            .is_empty()
    );
    let ledger = e
        .steward
        .store()
        .list_choices(&[steward_store::model::choice::Party::Identity(token)])
        .await
        .unwrap();
    let keys: Vec<(&str, bool)> = ledger.iter().map(|c| (c.key.as_str(), c.value)).collect();
    assert!(
        keys.contains(&("sale_opt_out", true)) && keys.contains(&("share_opt_out", true)),
        "{keys:?}"
    );
    let _ = s;
}

#[tokio::test]
async fn cust_04_requests_about_a_customers_data_are_forwarded_with_an_assist_deadline() {
    let e = env();
    let s = e.subject(EMAIL, "US-CA").await;
    let mut req = SubmitRequest::by_email(RequestKind::Access, "support", EMAIL);
    req.requester = Requester::Admin;
    req.subject_id = Some(s);
    req.preverified = Some("support_call".into());
    let a = e.requests.submit(&svc(), req).await.unwrap();
    let v = e
        .requests
        .forward(&svc(), a.request_id, "A1")
        .await
        .unwrap();
    assert_eq!(v.summary.state, "forwarded");
    assert_eq!(v.summary.status, "CLOSED");
    let step = v.steps.iter().find(|s| s.action == "forwarded").unwrap();
    assert_eq!(json(&step.detail)["customer"], "A1");
    assert!(json(&step.detail)["assist_due"].is_string());
    assert_eq!(e.requests.metrics().await.unwrap().open, 0);
}

#[tokio::test]
async fn messages_name_the_configured_company_or_the_controller_the_policy_declares() {
    let e = env();
    e.requests
        .submit(
            &Caller::System,
            SubmitRequest::by_email(RequestKind::Access, "privacy_center", EMAIL),
        )
        .await
        .unwrap();
    let subjects: Vec<String> = e
        .fakes
        .mailer
        .sent()
        .into_iter()
        .map(|m| m.email.subject)
        .collect();
    // No company configured: the policy file's controller, up to the first comma.
    assert!(
        subjects.iter().all(|s| s.starts_with("Stamps.com Inc.: ")),
        "{subjects:?}"
    );
    let e = env_with(|c| c.company = Some("Acme Parcel".into()));
    e.requests
        .submit(
            &Caller::System,
            SubmitRequest::by_email(RequestKind::Access, "privacy_center", EMAIL),
        )
        .await
        .unwrap();
    let sent = e.fakes.mailer.sent();
    assert_eq!(sent.len(), 2, "the code and the acknowledgement");
    assert!(
        sent.iter()
            .all(|m| m.email.subject.starts_with("Acme Parcel: ")),
        "{:?}",
        sent.iter().map(|m| &m.email.subject).collect::<Vec<_>>()
    );
}

#[tokio::test]
async fn a_message_the_mailer_refuses_stays_queued_with_its_code_and_goes_out_later() {
    let e = env();
    e.fakes
        .mailer
        .refuse(Some(steward_requests::MailError::Relay));
    let a = e
        .requests
        .submit(
            &Caller::System,
            SubmitRequest::by_email(RequestKind::Access, "privacy_center", EMAIL),
        )
        .await
        .unwrap();
    assert!(e.fakes.mailer.sent().is_empty());
    assert_eq!(e.requests.metrics().await.unwrap().pending_messages, 2);
    let v = e.requests.show(a.request_id).await.unwrap();
    assert!(
        v.messages
            .iter()
            .all(|m| m.sent_at.is_none() && m.last_error.as_deref() == Some("SMTP_SEND")),
        "{:?}",
        v.messages
    );
    // Still refused: counted as failing, nothing lost.
    let r = e.requests.deliver_due().await.unwrap();
    assert_eq!((r.messages_sent, r.messages_failed), (0, 2));
    e.fakes.mailer.refuse(None);
    let r = e.requests.deliver_due().await.unwrap();
    assert_eq!((r.messages_sent, r.messages_failed), (2, 0));
    assert_eq!(e.requests.metrics().await.unwrap().pending_messages, 0);
    // The code that finally went out works.
    let v = e
        .requests
        .verify_code(a.request_id, &e.last_code())
        .await
        .unwrap();
    assert_eq!(v.state, "verified");
}

#[tokio::test]
async fn a_verified_request_that_needs_no_approval_completes_without_another_call() {
    // Access needs no approval here; deletions still do.
    let e = env_with(|c| c.auto_approve = vec![RequestKind::Access]);
    let s = e.subject(EMAIL, "US-CA").await;
    e.item(
        s,
        "email",
        EMAIL,
        "direct:registration",
        "account_registration",
    )
    .await;

    // Taken by the privacy team, verified on the call: the answer is already the report.
    let mut staff = SubmitRequest::by_email(RequestKind::Access, "support", EMAIL);
    staff.requester = Requester::Admin;
    staff.subject_id = Some(s);
    staff.preverified = Some("support_call".into());
    let a = e.requests.submit(&svc(), staff).await.unwrap();
    assert_eq!(a.state, "completed", "{a:?}");

    // From the privacy center: completed as soon as the code is entered.
    let b = e
        .requests
        .submit(
            &Caller::System,
            SubmitRequest::by_email(RequestKind::Access, "privacy_center", EMAIL),
        )
        .await
        .unwrap();
    assert_eq!(b.state, "awaiting_verification");
    let v = e
        .requests
        .verify_code(b.request_id, &e.last_code())
        .await
        .unwrap();
    assert_eq!(v.state, "completed");

    // A kind that needs approval still waits for the team.
    let c = e
        .requests
        .submit(
            &Caller::System,
            SubmitRequest::by_email(RequestKind::Deletion, "privacy_center", EMAIL),
        )
        .await
        .unwrap();
    let v = e
        .requests
        .verify_code(c.request_id, &e.last_code())
        .await
        .unwrap();
    assert_eq!(v.state, "verified");
    assert!(
        e.steward
            .resolve(s, ts("2030-01-01T00:00:00Z"))
            .await
            .is_ok()
    );
}
