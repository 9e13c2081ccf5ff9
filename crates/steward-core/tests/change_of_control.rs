//! Change of control against the real SQLite store (BIZ-02, BIZ-03, BIZ-04, CCPA-40): a
//! recorded notice holds a stored subject's promotions until it is delivered or answered, a
//! "stop" answer opts the person out, an earlier opt-out carries over, and the inline
//! `context` assertion can add a hold but never release one the record keeps.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed step fails the test"
)]

use std::sync::Arc;

use steward_core::Caller;
use steward_core::choices::{ChoiceInput, ChoiceParty};
use steward_core::control::NoticeInput;
use steward_core::subjects::SubjectInput;
use steward_core::{AuditSettings, ManualClock, Parts, Steward};
use steward_store::ids::SubjectId;
use steward_vault::KeyRing;

struct Env {
    steward: Arc<Steward>,
    clock: Arc<ManualClock>,
    _dir: tempfile::TempDir,
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
        audit: AuditSettings::default(),
    })
    .unwrap();
    Env {
        steward,
        clock,
        _dir: dir,
    }
}

fn svc() -> Caller {
    Caller::Service("test".into())
}

async fn subject(s: &Steward) -> SubjectId {
    s.create_subject(
        &svc(),
        SubjectInput {
            jurisdiction: Some("US-TX".into()),
            ..SubjectInput::default()
        },
    )
    .await
    .unwrap()
    .id
}

async fn promo(s: &Steward, id: SubjectId, pending: Option<bool>) -> (bool, String) {
    let mut req = serde_json::json!({
        "op": "can_send", "subject": {"id": id.to_string()},
        "message_kind": "marketing_first_party", "channel": "email"
    });
    if let Some(p) = pending {
        req["context"] = serde_json::json!({ "change_of_control_prompt_pending": p });
    }
    let d = s
        .decide(&svc(), serde_json::from_value(req).unwrap(), false)
        .await
        .unwrap();
    (d.allow, d.reason().to_string())
}

#[tokio::test]
async fn a_recorded_notice_holds_promotions_until_delivered() {
    let e = env();
    let s = &e.steward;
    let id = subject(s).await;
    assert_eq!(promo(s, id, None).await, (true, "OK".into()));

    // BIZ-03: from its effective time, an undelivered notice holds promotions.
    let n = s
        .record_change_of_control_notice(
            &svc(),
            NoticeInput {
                subject: id,
                transfer: "acme-2024".into(),
                effective_at: None,
                delivered_at: None,
            },
        )
        .await
        .unwrap();
    assert!(n.pending && n.answer.is_none());
    assert_eq!(
        promo(s, id, None).await,
        (false, "CHANGE_OF_CONTROL_PROMPT_PENDING".into())
    );
    // The record decides: a caller asserting "not pending" does not release the hold.
    assert_eq!(
        promo(s, id, Some(false)).await,
        (false, "CHANGE_OF_CONTROL_PROMPT_PENDING".into())
    );

    // Delivered: promotions resume (the answer was not "stop").
    e.clock.advance(jiff::SignedDuration::from_secs(60));
    let d = s
        .deliver_change_of_control_notice(&svc(), id, n.notice.id)
        .await
        .unwrap();
    assert!(!d.pending);
    assert!(d.notice.delivered_at.is_some());
    assert_eq!(promo(s, id, None).await, (true, "OK".into()));
    // A stateless caller's assertion still adds a hold.
    assert_eq!(
        promo(s, id, Some(true)).await,
        (false, "CHANGE_OF_CONTROL_PROMPT_PENDING".into())
    );

    // Another person's notice id is not found through this person.
    let other = subject(s).await;
    assert!(
        s.deliver_change_of_control_notice(&svc(), other, n.notice.id)
            .await
            .is_err()
    );
}

#[tokio::test]
async fn a_future_notice_holds_nothing_yet_and_answering_stop_opts_out() {
    let e = env();
    let s = &e.steward;
    let id = subject(s).await;
    let n = s
        .record_change_of_control_notice(
            &svc(),
            NoticeInput {
                subject: id,
                transfer: "acme-2024".into(),
                effective_at: Some("2024-03-10T00:00:00Z".parse().unwrap()),
                delivered_at: None,
            },
        )
        .await
        .unwrap();
    assert!(!n.pending, "not yet in effect");
    assert_eq!(promo(s, id, None).await, (true, "OK".into()));
    e.clock.advance(jiff::SignedDuration::from_hours(24 * 7));
    s.invalidate_facts(id);
    assert_eq!(
        promo(s, id, None).await,
        (false, "CHANGE_OF_CONTROL_PROMPT_PENDING".into())
    );

    // BIZ-02: the answer "stop" is a choice of the ledger; it shows delivery too.
    let a = s
        .answer_change_of_control_notice(&Caller::Subject(id), id, n.notice.id, true, None)
        .await
        .unwrap();
    assert!(!a.pending);
    assert_eq!(a.answer.map(|(stop, _)| stop), Some(true));
    assert!(a.notice.delivered_at.is_some());
    assert_eq!(promo(s, id, None).await, (false, "OPTED_OUT".into()));
    // An administrator cannot answer for the person (ADMIN-07).
    assert!(
        s.answer_change_of_control_notice(&Caller::Admin(id), id, n.notice.id, false, None)
            .await
            .is_err()
    );
}

#[tokio::test]
async fn an_opt_out_given_before_the_transfer_carries_over() {
    // BIZ-04, CCPA-40: the ledger is the person's; a change of control does not reset it.
    let e = env();
    let s = &e.steward;
    let id = subject(s).await;
    s.record_choices(
        &svc(),
        vec![ChoiceInput {
            party: ChoiceParty::Subject(id),
            key: "marketing:first_party:email".into(),
            value: false,
            source: "user".into(),
            notice_sha256: None,
            channel: Some("web_form".into()),
        }],
    )
    .await
    .unwrap();
    e.clock.advance(jiff::SignedDuration::from_secs(60));
    let n = s
        .record_change_of_control_notice(
            &svc(),
            NoticeInput {
                subject: id,
                transfer: "acme-2024".into(),
                effective_at: None,
                delivered_at: None,
            },
        )
        .await
        .unwrap();
    e.clock.advance(jiff::SignedDuration::from_secs(60));
    let a = s
        .answer_change_of_control_notice(&Caller::Subject(id), id, n.notice.id, false, None)
        .await
        .unwrap();
    assert_eq!(a.answer.map(|(stop, _)| stop), Some(false));
    assert_eq!(promo(s, id, None).await, (false, "OPTED_OUT".into()));
    // A transfer name that is not a key is refused.
    assert!(
        s.record_change_of_control_notice(
            &svc(),
            NoticeInput {
                subject: id,
                transfer: "no spaces allowed".into(),
                effective_at: None,
                delivered_at: None,
            },
        )
        .await
        .is_err()
    );
}
