//! The core against the real SQLite store and the real vault: subjects with
//! blind-indexed identities, encrypted items read only for allowed purposes,
//! choices that change decisions, disclosures that need a matching decision,
//! an audit chain that verifies, and no plaintext in the database file.
#![expect(
    clippy::unwrap_used,
    clippy::disallowed_methods,
    reason = "test code: a failed step fails the test"
)]

use std::sync::Arc;
use steward_errors::ErrorCode;

use steward_core::choices::{ChoiceInput, ChoiceParty};
use steward_core::disclosures::DisclosureInput;
use steward_core::items::ItemInput;
use steward_core::subjects::{IdentityInput, SubjectInput};
use steward_core::{AuditSettings, Caller, CoreError, ManualClock, Parts, Steward};
use steward_store::model::subject::IdentityKind;
use steward_vault::{KeyRing, Sensitive};

struct Env {
    steward: Arc<Steward>,
    clock: Arc<ManualClock>,
    dir: tempfile::TempDir,
}

fn env() -> Env {
    let dir = tempfile::tempdir().unwrap();
    let store =
        steward_store_sqlite::SqliteStore::open(dir.path().join("steward.db"), Default::default())
            .unwrap();
    let ring = KeyRing::ephemeral().unwrap();
    let clock = Arc::new(ManualClock::at("2024-03-04T17:00:00Z".parse().unwrap()));
    let steward = Steward::start(Parts {
        store: Arc::new(store),
        engine: Arc::new(steward_policy::default_engine().unwrap()),
        vault: ring.vault().unwrap(),
        blind: ring.blind_index().unwrap(),
        signer: Some(Arc::new(ring.checkpoint_signer().unwrap())),
        verifier: ring.checkpoint_verifier().unwrap(),
        clock: clock.clone(),
        controller: "stamps".into(),
        audit: AuditSettings {
            checkpoint_every: 5,
            ..AuditSettings::default()
        },
    })
    .unwrap();
    Env {
        steward,
        clock,
        dir,
    }
}

fn svc() -> Caller {
    Caller::Service("test".into())
}

const EMAIL: &str = "jane.roe@example.com";

async fn subject(s: &Steward, jurisdiction: &str) -> steward_store::ids::SubjectId {
    s.create_subject(
        &svc(),
        SubjectInput {
            jurisdiction: Some(jurisdiction.into()),
            identities: vec![IdentityInput {
                kind: IdentityKind::Email,
                value: Sensitive::new(EMAIL.into()),
            }],
            ..SubjectInput::default()
        },
    )
    .await
    .unwrap()
    .id
}

fn decide_req(json: serde_json::Value) -> steward_policy::Request {
    serde_json::from_value(json).unwrap()
}

#[tokio::test]
async fn items_are_encrypted_read_by_purpose_and_audited() {
    let e = env();
    let s = &e.steward;
    let id = subject(s, "US-TX").await;
    // The blind index finds the subject by e-mail, whatever its case.
    assert_eq!(
        s.find_subjects(&svc(), IdentityKind::Email, "Jane.Roe@Example.com")
            .await
            .unwrap(),
        vec![id]
    );

    let (item, _) = s
        .write_item(
            &svc(),
            ItemInput {
                subject: id,
                category: "email".into(),
                value: Sensitive::new(EMAIL.as_bytes().to_vec()),
                source: "direct:registration".into(),
                purpose: "account_registration".into(),
                processor_for_customer: false,
                account: None,
                derived_from: Vec::new(),
            },
        )
        .await
        .unwrap();
    let read = s.read_item(&svc(), item.id, "support").await.unwrap();
    assert_eq!(read.value.expose().as_slice(), EMAIL.as_bytes());
    // A purpose the engine denies says why (SEC-01).
    match s
        .read_item(&svc(), item.id, "usps_regulatory_oversight")
        .await
    {
        Err(CoreError::Denied { reason, .. }) => assert_eq!(reason, "PURPOSE_NOT_ALLOWED"),
        other => panic!("expected a denial, got {other:?}"),
    }
    // A raw card number is refused (SEC-03).
    let raw_pan = s
        .write_item(
            &svc(),
            ItemInput {
                subject: id,
                category: "payment_card".into(),
                value: Sensitive::new(b"4111 1111 1111 1111".to_vec()),
                source: "direct:payment".into(),
                purpose: "service_provision".into(),
                processor_for_customer: false,
                account: None,
                derived_from: Vec::new(),
            },
        )
        .await;
    assert!(matches!(
        raw_pan,
        Err(CoreError::Invalid {
            code: ErrorCode::RawPanForbidden,
            ..
        })
    ));
    // An unregistered category fails closed (CAT-00).
    let unknown = s
        .write_item(
            &svc(),
            ItemInput {
                subject: id,
                category: "voice_recording".into(),
                value: Sensitive::new(b"x".to_vec()),
                source: "direct:registration".into(),
                purpose: "support".into(),
                processor_for_customer: false,
                account: None,
                derived_from: Vec::new(),
            },
        )
        .await;
    assert!(
        matches!(unknown, Err(CoreError::Denied { ref reason, .. }) if reason == "UNREGISTERED_CATEGORY")
    );

    s.audit().flush().await;
    let report = s.verify_audit().await.unwrap().unwrap();
    assert!(report.entries >= 6);
    assert!(
        report.checkpoints >= 1,
        "checkpoints are signed every 5 entries"
    );

    // No plaintext in the database file or its WAL.
    s.shutdown().await;
    for name in ["steward.db", "steward.db-wal"] {
        let path = e.dir.path().join(name);
        if let Ok(bytes) = std::fs::read(&path) {
            let hay = String::from_utf8_lossy(&bytes).to_lowercase();
            assert!(
                !hay.contains("jane.roe"),
                "plaintext e-mail found in {name}"
            );
        }
    }
}

#[tokio::test]
async fn choices_change_decisions_and_disclosures_need_a_matching_allow() {
    let e = env();
    let s = &e.steward;
    let id = subject(s, "US-TX").await;
    let req = |cats: &[&str]| {
        decide_req(serde_json::json!({
            "op": "can_disclose", "subject": {"id": id.to_string()},
            "categories": cats, "recipient": "MP1", "purpose": "third_party_promotional_mail"
        }))
    };
    let allowed = s
        .decide(&svc(), req(&["name", "postal_address"]), false)
        .await
        .unwrap();
    assert!(allowed.allow, "{allowed:?}");

    // The share can be registered against that decision, not against another one.
    let rec = s
        .record_disclosure(
            &svc(),
            DisclosureInput {
                decision_id: allowed.event_id,
                subject: id,
                recipient: "MP1".into(),
                categories: vec!["name".into()],
                purpose: "third_party_promotional_mail".into(),
                items: vec![],
                payload_sha256: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(s.disclosures_of(id, 10).await.unwrap(), vec![rec.clone()]);
    // The register summed by recipient (the data map's input, GDPR-27).
    let reg = s.disclosure_register(1000).await.unwrap();
    assert_eq!((reg.records, reg.truncated), (1, false));
    let mp1 = &reg.by_recipient["MP1"];
    assert_eq!((mp1.count, mp1.subjects), (1, 1));
    assert_eq!(mp1.last, Some(rec.disclosed_at));
    assert_eq!(
        mp1.categories
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>(),
        ["name"]
    );
    let wrong = s
        .record_disclosure(
            &svc(),
            DisclosureInput {
                decision_id: allowed.event_id,
                subject: id,
                recipient: "MP1".into(),
                categories: vec!["email".into()],
                purpose: "third_party_promotional_mail".into(),
                items: vec![],
                payload_sha256: None,
            },
        )
        .await;
    assert!(matches!(
        wrong,
        Err(CoreError::Conflict {
            code: ErrorCode::NoMatchingDecision,
            ..
        })
    ));

    // The subject opts out of sale: the next decision is a deny (DNS-03), effective at once.
    e.clock.advance(jiff::SignedDuration::from_secs(1));
    s.record_choices(
        &svc(),
        vec![ChoiceInput {
            party: ChoiceParty::Subject(id),
            key: "sale_opt_out".into(),
            value: true,
            source: "user".into(),
            notice_sha256: None,
            channel: None,
        }],
    )
    .await
    .unwrap();
    let denied = s
        .decide(&svc(), req(&["name", "postal_address"]), false)
        .await
        .unwrap();
    assert!(!denied.allow);
    assert_eq!(denied.reason(), "OPTED_OUT");

    // An administrator cannot change the owner's choices (ADMIN-07).
    let admin = s
        .record_choices(
            &Caller::Admin(id),
            vec![ChoiceInput {
                party: ChoiceParty::Subject(id),
                key: "sale_opt_out".into(),
                value: false,
                source: "admin".into(),
                notice_sha256: None,
                channel: None,
            }],
        )
        .await;
    assert!(matches!(
        admin,
        Err(CoreError::Invalid {
            code: ErrorCode::NotSubjectOrAgent,
            ..
        })
    ));

    // Explaining the past allow replays the ledger as it was then.
    let ex = s.explain_decision(allowed.event_id).await.unwrap();
    assert_eq!(ex.entry.event.outcome.as_ref().map(|o| o.allow), Some(true));
    let replay = ex
        .replay
        .as_ref()
        .expect("a stored subject's decision is replayed");
    assert!(replay.matches, "{ex:?}");
    assert_eq!(replay.path.steps.last().unwrap().0.as_str(), "allow");
}

#[tokio::test]
async fn gpc_on_a_device_opts_out_the_subject_it_is_linked_to() {
    let e = env();
    let s = &e.steward;
    let id = subject(s, "US-CA").await;
    let device = ChoiceParty::Device {
        kind: IdentityKind::Cookie,
        id: Sensitive::new("c-123".into()),
    };
    assert!(s.record_gpc(&svc(), device.clone()).await.unwrap());
    // The second observation writes nothing (GPC-10).
    assert!(!s.record_gpc(&svc(), device).await.unwrap());
    s.link_identity(&svc(), id, IdentityKind::Cookie, "c-123", "login")
        .await
        .unwrap();
    e.clock.advance(jiff::SignedDuration::from_secs(5));
    let (_, eff) = s.effective_choices(id).await.unwrap();
    assert!(
        eff.choices.sale_opt_out && eff.choices.share_opt_out,
        "GPC-04: propagated at link time"
    );
}

/// A graceful shutdown signs a checkpoint over the head; a second checkpoint over the same
/// head, signed later (the audit writer's last pass does this), is not an error: the head is
/// already covered, and the log still verifies (AUD-02).
#[tokio::test]
async fn a_second_checkpoint_over_the_same_head_is_covered_not_refused() {
    let e = env();
    let s = &e.steward;
    subject(s, "US-CA").await;
    s.shutdown().await;
    e.clock.advance(jiff::SignedDuration::from_secs(5));
    let signer = s.signer().unwrap().clone();
    steward_core::audit::checkpoint(
        s.store().as_ref(),
        &signer,
        e.clock.as_ref(),
        &steward_core::audit::HeadCopies::default(),
    )
    .await
    .unwrap();
    let report = s.verify_audit().await.unwrap().unwrap();
    assert!(report.checkpoints >= 1);
}

/// AUD-02: checkpoints are signed on time as well as count. With counting off and a short
/// interval, writes are covered by a signed checkpoint within the interval (a crash can leave
/// at most about one interval unsigned), and each checkpoint is copied outside the database:
/// verification then checks the log against that copy.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn aud_02_checkpoints_are_signed_on_time_and_copied_outside_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let store =
        steward_store_sqlite::SqliteStore::open(dir.path().join("steward.db"), Default::default())
            .unwrap();
    let ring = KeyRing::ephemeral().unwrap();
    let head_file = dir.path().join("audit-head.json");
    let witness = dir.path().join("witness.jsonl");
    let s = Steward::start(Parts {
        store: Arc::new(store),
        engine: Arc::new(steward_policy::default_engine().unwrap()),
        vault: ring.vault().unwrap(),
        blind: ring.blind_index().unwrap(),
        signer: Some(Arc::new(ring.checkpoint_signer().unwrap())),
        verifier: ring.checkpoint_verifier().unwrap(),
        clock: Arc::new(ManualClock::at("2024-03-04T17:00:00Z".parse().unwrap())),
        controller: "stamps".into(),
        audit: AuditSettings {
            checkpoint_every: 0,
            checkpoint_interval: Some(std::time::Duration::from_millis(100)),
            signed_head: Some(head_file.clone()),
            witness: Some(witness.clone()),
            ..AuditSettings::default()
        },
    })
    .unwrap();
    let id = subject(&s, "US-CA").await;
    s.record_choices(
        &svc(),
        vec![ChoiceInput {
            party: ChoiceParty::Subject(id),
            key: "sale_opt_out".into(),
            value: true,
            source: "user".into(),
            notice_sha256: None,
            channel: None,
        }],
    )
    .await
    .unwrap();
    let head = s.store().audit_head().await.unwrap().unwrap();
    // Wait (bounded) for the timer: no count-based checkpoint and no shutdown here.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let signed = loop {
        // The copies outside the database are written right after the checkpoint is stored.
        let copied = steward_core::audit::SignedHead::read(&witness)
            .unwrap()
            .is_some_and(|c| c.seq >= head.seq);
        let report = s.verify_audit().await.unwrap().unwrap();
        if copied && report.last_checkpoint.is_some_and(|c| c >= head.seq) {
            break report;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no checkpoint within 20 s of a 100 ms interval"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    assert_eq!(signed.unsigned, 0);
    let outside = steward_core::audit::SignedHead::read(&head_file)
        .unwrap()
        .expect("the head file is written after a checkpoint");
    assert!(outside.seq >= head.seq);
    assert!(std::fs::read_to_string(&witness).unwrap().lines().count() >= 1);
    assert_eq!(signed.signed_head, Some(outside.seq));
    // Idle: no new checkpoint while nothing is written.
    let count = s
        .audit()
        .stats()
        .checkpoints
        .load(std::sync::atomic::Ordering::Relaxed);
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    assert_eq!(
        s.audit()
            .stats()
            .checkpoints
            .load(std::sync::atomic::Ordering::Relaxed),
        count,
        "an idle log is not signed again"
    );
}

/// Server-side sessions through the core (what the console's and the privacy center's
/// in-memory checks did before): a session opens in its browser only, ends when idle (console),
/// at its absolute limit, on sign-out (audited), and when its token is presented by another
/// browser.
#[tokio::test]
async fn sessions_end_when_idle_absolutely_signed_out_or_copied() {
    use jiff::SignedDuration;
    use steward_core::sessions::{SessionLimits, SessionOwner};
    use steward_store::model::session::SessionKind;
    let e = env();
    let s = &e.steward;
    let key = steward_store::NewApiKey {
        id: steward_store::ApiKeyId::generate(),
        name: steward_store::values::ServiceKey::new("privacy:alice").unwrap(),
        hash: steward_store::Digest::sha256(b"secret"),
        scopes: [steward_store::values::ApiScope::new("dsr").unwrap()].into(),
        account: None,
        rate_per_sec: None,
        created_at: steward_core::Clock::now(&*e.clock),
    };
    s.store().create_api_key(&key).await.unwrap();
    let console = SessionLimits {
        lifetime: SignedDuration::from_hours(8),
        idle: Some(SignedDuration::from_mins(30)),
    };
    let open = |token: &str, browser: &'static str| {
        let token = token.to_string();
        async move {
            s.session(SessionKind::Console, &token, browser)
                .await
                .unwrap()
        }
    };
    let tok = s
        .start_session(
            SessionKind::Console,
            SessionOwner::ApiKey(key.id),
            "browser-a",
            console,
        )
        .await
        .unwrap();
    let tok = tok.expose().clone();
    assert_eq!(open(&tok, "browser-a").await.unwrap().api_key, Some(key.id));
    assert!(open("not-a-token", "browser-a").await.is_none());
    assert!(
        s.session(SessionKind::PrivacyCenter, &tok, "browser-a")
            .await
            .unwrap()
            .is_none(),
        "another kind"
    );
    // Used every 25 minutes: alive until the absolute limit.
    let mut used = 0;
    loop {
        e.clock.advance(SignedDuration::from_mins(25));
        match open(&tok, "browser-a").await {
            Some(_) => used += 1,
            None => break,
        }
    }
    assert_eq!(
        used, 19,
        "8 hours in 25-minute steps, then the absolute limit"
    );
    // Idle for more than 30 minutes.
    let idle = s
        .start_session(
            SessionKind::Console,
            SessionOwner::ApiKey(key.id),
            "browser-a",
            console,
        )
        .await
        .unwrap();
    e.clock.advance(SignedDuration::from_mins(31));
    assert!(open(idle.expose(), "browser-a").await.is_none(), "idle");
    // Presented by another browser: refused, and the session is over for its owner too.
    let copied = s
        .start_session(
            SessionKind::Console,
            SessionOwner::ApiKey(key.id),
            "browser-a",
            console,
        )
        .await
        .unwrap();
    assert!(open(copied.expose(), "browser-b").await.is_none());
    assert!(open(copied.expose(), "browser-a").await.is_none());
    // Sign-out (privacy center), audited once.
    let id = subject(s, "US-CA").await;
    let center = s
        .start_session(
            SessionKind::PrivacyCenter,
            SessionOwner::Subject(id),
            "browser-c",
            SessionLimits {
                lifetime: SignedDuration::from_hours(1),
                idle: None,
            },
        )
        .await
        .unwrap();
    let live = s
        .session(SessionKind::PrivacyCenter, center.expose(), "browser-c")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(live.subject, Some(id));
    assert!(
        s.end_session(&Caller::Subject(id), center.expose())
            .await
            .unwrap()
    );
    assert!(
        !s.end_session(&Caller::Subject(id), center.expose())
            .await
            .unwrap()
    );
    assert!(
        s.session(SessionKind::PrivacyCenter, center.expose(), "browser-c")
            .await
            .unwrap()
            .is_none()
    );
    s.audit().flush().await;
    let q = steward_store::AuditQuery {
        subject: Some(id),
        ..steward_store::AuditQuery::all(100)
    };
    let signed_out = s
        .store()
        .query_audit(&q)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.event.action.as_str() == "privacy_center.sign_out")
        .count();
    assert_eq!(signed_out, 1);
}
