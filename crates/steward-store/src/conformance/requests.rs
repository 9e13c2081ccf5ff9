//! Conformance cases for [`crate::request_store::RequestStore`]: requests and their steps, the
//! queue by deadline, challenges, the outbox, connectors, webhook deliveries (claims, retries,
//! dead letters, confirmations) and legal holds. Re-exported into
//! [`crate::conformance::cases`], so every backend runs them.

use std::collections::BTreeSet;

use super::fixtures::*;
use super::*;
use crate::error::{ConflictReason, Entity};
use crate::ids::*;
use crate::model::audit::Actor;
use crate::model::request::*;
use crate::values::*;

fn code(s: &str) -> RequestCode {
    RequestCode::new(s).unwrap()
}

fn sealed_key(fill: u8) -> SealedKey {
    SealedKey {
        kek: KekId::new("kek-1").unwrap(),
        wrapped: WrappedKeyBytes::new(vec![fill; 60]).unwrap(),
    }
}

fn step(action: &str, state: RequestState, secs: i64) -> NewRequestStep {
    NewRequestStep {
        id: RequestStepId::generate(),
        at: t(secs),
        actor: Actor::System,
        action: code(action),
        state,
        detail: format!("{{\"step\":\"{action}\"}}").into_bytes(),
    }
}

/// A request of `kind` received at `t(secs)` and due `due_secs` later.
fn request(subject: Option<SubjectId>, kind: &str, secs: i64, due_secs: i64) -> NewRequest {
    NewRequest {
        id: RequestId::generate(),
        kind: code(kind),
        subject,
        requester: Requester::Subject,
        channel: code("privacy_center"),
        state: RequestState::AwaitingVerification,
        received_at: t(secs),
        ack_due: Some(t(secs + 86_400)),
        due: t(secs + due_secs),
        max_due: t(secs + 2 * due_secs),
        key: Some(sealed_key(7)),
        sealed: Some(ciphertext("contact jane@example.com")),
        doc: b"{\"v\":1}".to_vec(),
        step: step("intake", RequestState::AwaitingVerification, secs),
    }
}

fn change_of(r: &RequestRecord, state: RequestState) -> RequestChange {
    RequestChange {
        subject: r.subject,
        state,
        ack_due: r.ack_due,
        due: r.due,
        max_due: r.max_due,
        closed_at: (!state.is_open()).then_some(r.updated_at),
        key: r.key.clone(),
        sealed: r.sealed.clone(),
        doc: r.doc.clone(),
    }
}

fn assert_not_found<T: std::fmt::Debug>(r: Result<T, StoreError>, entity: Entity) {
    match r {
        Err(StoreError::NotFound(e)) if e == entity => {}
        other => panic!("expected NotFound({entity:?}), got {other:?}"),
    }
}

fn assert_conflict<T: std::fmt::Debug>(r: Result<T, StoreError>, reason: ConflictReason) {
    match r {
        Err(StoreError::Conflict { reason: got, .. }) if got == reason => {}
        other => panic!("expected Conflict({reason:?}), got {other:?}"),
    }
}

/// AUD-01: a request created or changed with its audit entries commits them together; a
/// stale revision or a conflicting create writes neither; entries are idempotent by event id.
pub async fn requests_written_with_their_audit_entries<F: StoreFactory>(factory: &F) {
    let fx = factory.fresh().await;
    let store = fx.store();
    let s = subject(&*store).await;
    let new = request(Some(s), "access", 0, 3600);
    let intake = decision_event(Some(s), 0);
    let rec = store
        .create_request_audited(&new, std::slice::from_ref(&intake))
        .await
        .unwrap();
    assert_eq!(rec.revision, 1);
    assert_eq!(
        store.audit_event(intake.id).await.unwrap().event.id,
        intake.id
    );
    // A repeat (a retry) is idempotent: the same request, one entry.
    assert_eq!(
        store
            .create_request_audited(&new, std::slice::from_ref(&intake))
            .await
            .unwrap(),
        rec
    );
    let before = store.audit_head().await.unwrap();
    // Another content under the same id: no request change, no entry.
    let mut other = new.clone();
    other.doc = b"{\"v\":9}".to_vec();
    let lost = decision_event(Some(s), 1);
    assert_conflict(
        store
            .create_request_audited(&other, std::slice::from_ref(&lost))
            .await,
        ConflictReason::DifferentContent,
    );
    assert_not_found(store.audit_event(lost.id).await, Entity::AuditEvent);

    let started = decision_event(Some(s), 10);
    let running = store
        .update_request_audited(
            rec.id,
            1,
            &change_of(&rec, RequestState::Running),
            &step("run.started", RequestState::Running, 10),
            std::slice::from_ref(&started),
        )
        .await
        .unwrap();
    assert_eq!(running.revision, 2);
    assert_eq!(
        store.audit_event(started.id).await.unwrap().event.id,
        started.id
    );
    // A second writer holding revision 1 loses, and its entry is not written.
    let stale = decision_event(Some(s), 11);
    assert_conflict(
        store
            .update_request_audited(
                rec.id,
                1,
                &change_of(&rec, RequestState::Completed),
                &step("completed", RequestState::Completed, 11),
                std::slice::from_ref(&stale),
            )
            .await,
        ConflictReason::StaleRevision,
    );
    assert_not_found(store.audit_event(stale.id).await, Entity::AuditEvent);
    assert_eq!(store.get_request(rec.id).await.unwrap(), running);
    let after = store.audit_head().await.unwrap();
    assert_eq!(
        after.map(|h| h.seq.get()),
        before.map(|h| h.seq.get() + 1),
        "exactly the one successful update's entry was appended"
    );
}

/// Create (idempotent, with its intake step), read, update under a revision with a step,
/// steps in time order, unknown ids are `NotFound`.
pub async fn requests_create_update_and_steps<F: StoreFactory>(factory: &F) {
    let fx = factory.fresh().await;
    let store = fx.store();
    let s = subject(&*store).await;
    let new = request(Some(s), "deletion", 0, 3600);
    let rec = store.create_request(&new).await.unwrap();
    assert_eq!(rec.revision, 1);
    assert_eq!(rec.updated_at, t(0));
    assert_eq!(rec.state, RequestState::AwaitingVerification);
    assert_eq!(rec.sealed, new.sealed);
    assert_eq!(rec.key, new.key);
    assert_eq!(store.create_request(&new).await.unwrap(), rec, "idempotent");
    let mut other = new.clone();
    other.doc = b"{\"v\":2}".to_vec();
    assert_conflict(
        store.create_request(&other).await,
        ConflictReason::DifferentContent,
    );
    assert_eq!(store.get_request(new.id).await.unwrap(), rec);

    let verified = store
        .update_request(
            rec.id,
            1,
            &change_of(&rec, RequestState::Verified),
            &step("verified", RequestState::Verified, 10),
        )
        .await
        .unwrap();
    assert_eq!(verified.revision, 2);
    assert_eq!(verified.state, RequestState::Verified);
    assert_eq!(verified.updated_at, t(10));
    // A second writer holding revision 1 loses.
    assert_conflict(
        store
            .update_request(
                rec.id,
                1,
                &change_of(&rec, RequestState::Running),
                &step("run.started", RequestState::Running, 11),
            )
            .await,
        ConflictReason::StaleRevision,
    );
    let mut destroyed = change_of(&verified, RequestState::Completed);
    destroyed.key = None;
    destroyed.sealed = None;
    destroyed.closed_at = Some(t(20));
    let done = store
        .update_request(
            rec.id,
            2,
            &destroyed,
            &step("completed", RequestState::Completed, 20),
        )
        .await
        .unwrap();
    assert_eq!(done.key, None, "the request key can be destroyed");
    assert_eq!(done.closed_at, Some(t(20)));
    let receipt = step("receipt", RequestState::Completed, 21);
    store.append_request_step(rec.id, &receipt).await.unwrap();
    store.append_request_step(rec.id, &receipt).await.unwrap();
    let steps = store.request_steps(rec.id).await.unwrap();
    let actions: Vec<&str> = steps.iter().map(|s| s.action.as_str()).collect();
    assert_eq!(actions, ["intake", "verified", "completed", "receipt"]);
    assert_eq!(steps[3].detail, receipt.detail);

    assert_not_found(
        store.get_request(RequestId::generate()).await,
        Entity::Request,
    );
    assert_not_found(
        store.request_steps(RequestId::generate()).await,
        Entity::Request,
    );
    assert_not_found(
        store
            .append_request_step(RequestId::generate(), &receipt)
            .await,
        Entity::Request,
    );
    assert_not_found(
        store
            .create_request(&request(Some(SubjectId::generate()), "access", 0, 10))
            .await,
        Entity::Subject,
    );
    // A request for an identity that matched no subject is stored like any other.
    let anonymous = store
        .create_request(&request(None, "access", 0, 10))
        .await
        .unwrap();
    assert_eq!(anonymous.subject, None);
}

/// The queue by deadline: open requests in `(due, id)` order, pages, filters, counts.
pub async fn requests_listed_by_due_and_counted<F: StoreFactory>(factory: &F) {
    let fx = factory.fresh().await;
    let store = fx.store();
    let s = subject(&*store).await;
    let mut ids = Vec::new();
    for i in 0..12i64 {
        // Due times out of creation order; two share a due time.
        let due = [50, 10, 30, 30, 70, 20, 90, 60, 40, 80, 100, 5][i as usize];
        let who = if i % 3 == 0 { Some(s) } else { None };
        let r = store
            .create_request(&request(who, "access", 0, due))
            .await
            .unwrap();
        ids.push((due, r.id, r));
    }
    // Close two.
    for (_, _, r) in ids.iter().filter(|(d, _, _)| *d == 90 || *d == 5) {
        let mut c = change_of(r, RequestState::Completed);
        c.closed_at = Some(t(1));
        store
            .update_request(r.id, 1, &c, &step("completed", RequestState::Completed, 1))
            .await
            .unwrap();
    }
    let mut expected: Vec<(i64, RequestId)> = ids
        .iter()
        .filter(|(d, _, _)| *d != 90 && *d != 5)
        .map(|(d, id, _)| (*d, *id))
        .collect();
    expected.sort();
    let all = store.list_requests(&RequestQuery::open(100)).await.unwrap();
    let got: Vec<RequestId> = all.iter().map(|r| r.id).collect();
    assert_eq!(got, expected.iter().map(|(_, id)| *id).collect::<Vec<_>>());
    assert!(all.iter().all(|r| r.closed_at.is_none()));
    // Pages of 4, continued after the last row.
    let mut paged = Vec::new();
    let mut q = RequestQuery::open(4);
    loop {
        let page = store.list_requests(&q).await.unwrap();
        if page.is_empty() {
            break;
        }
        assert!(page.len() <= 4);
        let last = page.last().unwrap();
        q.after = Some((last.due, last.id));
        paged.extend(page.into_iter().map(|r| r.id));
    }
    assert_eq!(paged, got);
    // Everything of the subject, closed included.
    let mine = store
        .list_requests(&RequestQuery::of_subject(s, 100))
        .await
        .unwrap();
    assert_eq!(mine.len(), 4);
    assert!(
        mine.windows(2)
            .all(|w| (w[0].due, w[0].id) < (w[1].due, w[1].id))
    );
    let mut closed = RequestQuery::of_subject(s, 100);
    closed.subject = None;
    closed.state = Some(RequestState::Completed);
    assert_eq!(store.list_requests(&closed).await.unwrap().len(), 2);
    // Counts at t(35): overdue = open with due < 35 (10, 20, 30, 30), at risk = due in [35, 65).
    let counts = store.request_counts(t(35), t(65)).await.unwrap();
    assert_eq!(
        counts,
        RequestCounts {
            open: 10,
            overdue: 4,
            at_risk: 3
        }
    );
}

/// Closed requests older than the cut are purged with their records; the others stay.
pub async fn requests_purged_after_record_keeping<F: StoreFactory>(factory: &F) {
    let fx = factory.fresh().await;
    let store = fx.store();
    let old = store
        .create_request(&request(None, "access", 0, 10))
        .await
        .unwrap();
    let recent = store
        .create_request(&request(None, "access", 0, 10))
        .await
        .unwrap();
    let open = store
        .create_request(&request(None, "access", 0, 10))
        .await
        .unwrap();
    for (r, closed) in [(&old, 100), (&recent, 300)] {
        let mut c = change_of(r, RequestState::Completed);
        c.closed_at = Some(t(closed));
        store
            .update_request(
                r.id,
                1,
                &c,
                &step("completed", RequestState::Completed, closed),
            )
            .await
            .unwrap();
    }
    store
        .enqueue_messages(&[NewMessage {
            id: MessageId::generate(),
            owner: MessageOwner::Request(old.id),
            kind: code("acknowledgement"),
            created_at: t(1),
            sealed: ciphertext("hello"),
            lease_until: None,
        }])
        .await
        .unwrap();
    assert_eq!(store.purge_closed_requests(t(200)).await.unwrap(), 1);
    assert_not_found(store.get_request(old.id).await, Entity::Request);
    assert!(store.request_messages(old.id).await.unwrap().is_empty());
    store.get_request(recent.id).await.unwrap();
    store.get_request(open.id).await.unwrap();
    assert_eq!(store.purge_closed_requests(t(200)).await.unwrap(), 0);
}

/// A challenge counts attempts, refuses after its limit and after expiry, and is consumed once.
pub async fn challenges_count_attempts_expire_and_consume_once<F: StoreFactory>(factory: &F) {
    let fx = factory.fresh().await;
    let store = fx.store();
    let r = store
        .create_request(&request(None, "access", 0, 10))
        .await
        .unwrap();
    assert_eq!(store.latest_challenge(r.id).await.unwrap(), None);
    let first = NewChallenge {
        id: ChallengeId::generate(),
        request: r.id,
        code_hash: Digest::sha256(b"code-1"),
        created_at: t(0),
        expires_at: t(600),
        max_attempts: 3,
    };
    store.create_challenge(&first).await.unwrap();
    store.create_challenge(&first).await.unwrap();
    assert_eq!(
        store
            .attempt_challenge(first.id, false, t(1))
            .await
            .unwrap(),
        ChallengeAttempt::Rejected { remaining: 2 }
    );
    assert_eq!(
        store
            .attempt_challenge(first.id, false, t(2))
            .await
            .unwrap(),
        ChallengeAttempt::Rejected { remaining: 1 }
    );
    assert_eq!(
        store
            .attempt_challenge(first.id, false, t(3))
            .await
            .unwrap(),
        ChallengeAttempt::Rejected { remaining: 0 }
    );
    assert_eq!(
        store.attempt_challenge(first.id, true, t(4)).await.unwrap(),
        ChallengeAttempt::Exhausted,
        "the right code after the limit is refused"
    );
    // A new challenge supersedes it.
    let second = NewChallenge {
        id: ChallengeId::generate(),
        created_at: t(10),
        expires_at: t(610),
        code_hash: Digest::sha256(b"code-2"),
        ..first.clone()
    };
    store.create_challenge(&second).await.unwrap();
    let latest = store.latest_challenge(r.id).await.unwrap().unwrap();
    assert_eq!(latest.id, second.id);
    assert_eq!(latest.attempts, 0);
    assert_eq!(
        store
            .attempt_challenge(second.id, true, t(611))
            .await
            .unwrap(),
        ChallengeAttempt::Expired
    );
    assert_eq!(
        store
            .attempt_challenge(second.id, true, t(600))
            .await
            .unwrap(),
        ChallengeAttempt::Accepted
    );
    assert_eq!(
        store
            .attempt_challenge(second.id, true, t(601))
            .await
            .unwrap(),
        ChallengeAttempt::AlreadyUsed
    );
    let consumed = store.latest_challenge(r.id).await.unwrap().unwrap();
    assert_eq!(consumed.consumed_at, Some(t(600)));
    assert_eq!(consumed.attempts, 1);
    assert_not_found(
        store
            .attempt_challenge(ChallengeId::generate(), true, t(0))
            .await,
        Entity::Challenge,
    );
}

/// Messages wait in the outbox until sent; a sent message's sealed body is purged.
pub async fn outbox_keeps_messages_until_sent<F: StoreFactory>(factory: &F) {
    let fx = factory.fresh().await;
    let store = fx.store();
    let r = store
        .create_request(&request(None, "access", 0, 10))
        .await
        .unwrap();
    let m = |kind: &str, secs: i64| NewMessage {
        id: MessageId::generate(),
        owner: MessageOwner::Request(r.id),
        kind: code(kind),
        created_at: t(secs),
        sealed: ciphertext("to: jane@example.com"),
        lease_until: None,
    };
    let (a, b) = (m("verification_code", 1), m("acknowledgement", 2));
    store
        .enqueue_messages(&[b.clone(), a.clone()])
        .await
        .unwrap();
    store
        .enqueue_messages(std::slice::from_ref(&a))
        .await
        .unwrap();
    let pending = store.pending_messages(10).await.unwrap();
    assert_eq!(
        pending.iter().map(|x| x.id).collect::<Vec<_>>(),
        [a.id, b.id]
    );
    let failed = store
        .record_message_attempt(a.id, &MessageOutcome::Failed(code("SMTP_CONNECT")), t(3))
        .await
        .unwrap();
    assert_eq!(failed.attempts, 1);
    assert_eq!(failed.last_error, Some(code("SMTP_CONNECT")));
    assert!(failed.sealed.is_some());
    let sent = store
        .record_message_attempt(a.id, &MessageOutcome::Sent, t(4))
        .await
        .unwrap();
    assert_eq!(sent.sent_at, Some(t(4)));
    assert_eq!(sent.sealed, None, "the body is purged once sent");
    assert_eq!(sent.attempts, 2);
    assert_eq!(
        store
            .pending_messages(10)
            .await
            .unwrap()
            .iter()
            .map(|x| x.id)
            .collect::<Vec<_>>(),
        [b.id]
    );
    assert_eq!(store.request_messages(r.id).await.unwrap().len(), 2);
    assert_not_found(
        store
            .enqueue_messages(&[NewMessage {
                owner: MessageOwner::Request(RequestId::generate()),
                ..m("x", 5)
            }])
            .await,
        Entity::Request,
    );
    assert_not_found(
        store
            .record_message_attempt(MessageId::generate(), &MessageOutcome::Sent, t(5))
            .await,
        Entity::Message,
    );
}

/// CONTACT-01, CONTACT-03: a complaint (a case of kind `Complaint`) owns outbox messages like a
/// request: queued, claimed and sent alike, listed per complaint; so does a legal request (its
/// subject notices, LEGALREQ-05); an incident or a missing case owns none.
pub async fn outbox_carries_complaint_messages<F: StoreFactory>(factory: &F) {
    use crate::model::audited::AuditedWrite;
    use crate::model::case::{CaseKind, CaseRecord};
    let fx = factory.fresh().await;
    let store = fx.store();
    let case = |kind| CaseRecord {
        id: CaseId::generate(),
        kind,
        state: CaseKey::new("open").unwrap(),
        opened_at: t(1),
        next_due_at: Some(t(100)),
        closed_at: None,
        subject: None,
        body: r#"{"topic":"other"}"#.into(),
        revision: 1,
        updated_at: t(1),
    };
    let (complaint, incident, legal) = (
        case(CaseKind::Complaint),
        case(CaseKind::Incident),
        case(CaseKind::LegalRequest),
    );
    for c in [&complaint, &incident, &legal] {
        store
            .write_audited(
                &AuditedWrite::PutCase {
                    case: c.clone(),
                    tasks: vec![],
                },
                &[],
            )
            .await
            .unwrap();
    }
    let r = store
        .create_request(&request(None, "access", 0, 10))
        .await
        .unwrap();
    let m = |owner, secs: i64| NewMessage {
        id: MessageId::generate(),
        owner,
        kind: code("complaint_acknowledgement"),
        created_at: t(secs),
        sealed: ciphertext("to: jane@example.com"),
        lease_until: None,
    };
    let (a, b) = (
        m(MessageOwner::Complaint(complaint.id), 2),
        m(MessageOwner::Request(r.id), 3),
    );
    store
        .enqueue_messages(&[a.clone(), b.clone()])
        .await
        .unwrap();
    store
        .enqueue_messages(std::slice::from_ref(&a))
        .await
        .unwrap();
    assert_eq!(
        store
            .complaint_messages(complaint.id)
            .await
            .unwrap()
            .iter()
            .map(|x| (x.id, x.owner))
            .collect::<Vec<_>>(),
        [(a.id, MessageOwner::Complaint(complaint.id))]
    );
    assert_eq!(
        store
            .request_messages(r.id)
            .await
            .unwrap()
            .iter()
            .map(|x| x.id)
            .collect::<Vec<_>>(),
        [b.id]
    );
    let claimed = store.claim_messages(t(10), t(70), 10).await.unwrap();
    assert_eq!(
        claimed.iter().map(|x| x.owner).collect::<Vec<_>>(),
        [a.owner, b.owner],
        "claimed alike, oldest first"
    );
    let sent = store
        .record_message_attempt(a.id, &MessageOutcome::Sent, t(11))
        .await
        .unwrap();
    assert_eq!(sent.sealed, None, "the body is purged once sent");
    assert_eq!(sent.owner, MessageOwner::Complaint(complaint.id));
    assert_not_found(
        store
            .enqueue_messages(&[m(MessageOwner::Complaint(incident.id), 4)])
            .await,
        Entity::Case,
    );
    // LEGALREQ-05: a legal request's notices to its subjects go through the outbox too.
    let notice = m(MessageOwner::Complaint(legal.id), 5);
    store
        .enqueue_messages(std::slice::from_ref(&notice))
        .await
        .unwrap();
    assert_eq!(
        store
            .complaint_messages(legal.id)
            .await
            .unwrap()
            .iter()
            .map(|x| x.id)
            .collect::<Vec<_>>(),
        [notice.id]
    );
    assert_not_found(
        store
            .enqueue_messages(&[m(MessageOwner::Complaint(CaseId::generate()), 4)])
            .await,
        Entity::Case,
    );
    assert!(
        store
            .complaint_messages(CaseId::generate())
            .await
            .unwrap()
            .is_empty()
    );
}

/// Outbox messages are claimed under a lease: concurrent claimers never get the same message,
/// a message held by its enqueuer or a claimer is not handed out before the lease ends, an
/// expired lease (a worker that died) is claimable again, a failure frees it at once, and a
/// sent message is never claimed again.
pub async fn outbox_messages_claimed_under_a_lease<F: StoreFactory>(factory: &F) {
    let fx = factory.fresh().await;
    let store = fx.store();
    let r = store
        .create_request(&request(None, "access", 0, 10))
        .await
        .unwrap();
    let m = |secs: i64, lease: Option<i64>| NewMessage {
        id: MessageId::generate(),
        owner: MessageOwner::Request(r.id),
        kind: code("acknowledgement"),
        created_at: t(secs),
        sealed: ciphertext("to: jane@example.com"),
        lease_until: lease.map(t),
    };
    let free: Vec<NewMessage> = (0..40).map(|i| m(i, None)).collect();
    let held = m(50, Some(200));
    store.enqueue_messages(&free).await.unwrap();
    store
        .enqueue_messages(std::slice::from_ref(&held))
        .await
        .unwrap();

    // Eight claimers at once, three at a time each, until none is left.
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let store = Arc::clone(&store);
        tasks.push(tokio::spawn(async move {
            let mut got = Vec::new();
            loop {
                let batch = store.claim_messages(t(100), t(160), 3).await.unwrap();
                if batch.is_empty() {
                    return got;
                }
                for x in &batch {
                    assert_eq!(x.lease_until, Some(t(160)));
                }
                got.extend(batch.into_iter().map(|x| x.id));
            }
        }));
    }
    let mut claimed = BTreeSet::new();
    for task in tasks {
        for id in task.await.unwrap() {
            assert!(claimed.insert(id), "message {id:?} claimed twice");
        }
    }
    let want: BTreeSet<_> = free.iter().map(|x| x.id).collect();
    assert_eq!(
        claimed, want,
        "every free message claimed once; the held one not"
    );
    assert!(
        store
            .claim_messages(t(150), t(210), 100)
            .await
            .unwrap()
            .is_empty(),
        "nothing is handed out again while its lease runs"
    );

    // One is sent, one fails (its lease is freed), the rest are left by a dead worker.
    store
        .record_message_attempt(free[0].id, &MessageOutcome::Sent, t(120))
        .await
        .unwrap();
    let failed = store
        .record_message_attempt(
            free[1].id,
            &MessageOutcome::Failed(code("SMTP_CONNECT")),
            t(120),
        )
        .await
        .unwrap();
    assert_eq!(failed.lease_until, None);
    let again = store.claim_messages(t(130), t(190), 100).await.unwrap();
    assert_eq!(
        again.iter().map(|x| x.id).collect::<Vec<_>>(),
        [free[1].id],
        "a failed message is claimable at once"
    );
    let expired = store.claim_messages(t(200), t(260), 100).await.unwrap();
    let mut want: Vec<_> = free[1..].iter().map(|x| x.id).collect();
    want.push(held.id);
    assert_eq!(
        expired.iter().map(|x| x.id).collect::<Vec<_>>(),
        want,
        "expired leases (and the enqueuer's) are claimable again, oldest first; the sent one never"
    );
    assert!(
        expired.iter().all(|x| x.sent_at.is_none()),
        "only unsent messages are claimed"
    );
    for x in &expired {
        store
            .record_message_attempt(x.id, &MessageOutcome::Sent, t(210))
            .await
            .unwrap();
    }
    assert!(
        store
            .claim_messages(t(10_000), t(10_060), 100)
            .await
            .unwrap()
            .is_empty(),
        "a sent message is never claimed again"
    );
    assert!(store.pending_messages(100).await.unwrap().is_empty());
}

fn connector(name: &str, kind: ConnectorKind, secs: i64) -> NewConnector {
    NewConnector {
        id: ConnectorId::generate(),
        name: code(name),
        kind,
        recipient: (kind == ConnectorKind::Webhook).then(|| RecipientKey::new("SP_EMAIL").unwrap()),
        config: b"{\"tables\":[]}".to_vec(),
        key: sealed_key(3),
        secret: Some(ciphertext("postgres://shop:pw@db/shop")),
        at: t(secs),
    }
}

/// Connectors are registered, updated under their id, unique by name, disabled.
pub async fn connectors_registered_updated_and_disabled<F: StoreFactory>(factory: &F) {
    let fx = factory.fresh().await;
    let store = fx.store();
    let shop = connector("shop_db", ConnectorKind::PostgresDataset, 1);
    let hook = connector("sp_email", ConnectorKind::Webhook, 2);
    let rec = store.put_connector(&shop).await.unwrap();
    assert_eq!(rec.created_at, t(1));
    assert_eq!(rec.secret, shop.secret);
    store.put_connector(&hook).await.unwrap();
    let mut updated = shop.clone();
    updated.config = b"{\"tables\":[1]}".to_vec();
    updated.at = t(5);
    let rec = store.put_connector(&updated).await.unwrap();
    assert_eq!((rec.created_at, rec.updated_at), (t(1), t(5)));
    assert_eq!(rec.config, updated.config);
    let mut clash = connector("shop_db", ConnectorKind::SqliteDataset, 6);
    clash.id = ConnectorId::generate();
    assert_conflict(store.put_connector(&clash).await, ConflictReason::NameTaken);
    let mut rekind = updated.clone();
    rekind.kind = ConnectorKind::SqliteDataset;
    assert_conflict(
        store.put_connector(&rekind).await,
        ConflictReason::DifferentContent,
    );
    let names: Vec<String> = store
        .list_connectors()
        .await
        .unwrap()
        .iter()
        .map(|c| c.name.to_string())
        .collect();
    assert_eq!(names, ["shop_db", "sp_email"]);
    let off = store.disable_connector(shop.id, t(7)).await.unwrap();
    assert_eq!(off.disabled_at, Some(t(7)));
    let again = store.disable_connector(shop.id, t(8)).await.unwrap();
    assert_eq!(again.disabled_at, Some(t(7)));
    // Registering again re-enables it.
    let back = store.put_connector(&updated).await.unwrap();
    assert_eq!(back.disabled_at, None);
    assert_not_found(
        store.get_connector(ConnectorId::generate()).await,
        Entity::Connector,
    );
}

/// Deliveries: claimed once under a lease, retried, dead-lettered, requeued, confirmed.
pub async fn deliveries_claimed_retried_dead_lettered_and_confirmed<F: StoreFactory>(factory: &F) {
    let fx = factory.fresh().await;
    let store = fx.store();
    let r = store
        .create_request(&request(None, "deletion", 0, 10))
        .await
        .unwrap();
    let hook = connector("sp_email", ConnectorKind::Webhook, 0);
    store.put_connector(&hook).await.unwrap();
    let d = |secs: i64| NewDelivery {
        id: DeliveryId::generate(),
        request: Some(r.id),
        notification: None,
        connector: hook.id,
        recipient: RecipientKey::new("SP_EMAIL").unwrap(),
        event: code("erasure"),
        sealed: Some(ciphertext("{\"email\":\"jane@example.com\"}")),
        created_at: t(secs),
        next_attempt_at: t(secs),
        max_attempts: 2,
    };
    let (a, b, later) = (d(1), d(2), d(1000));
    store
        .create_deliveries(&[a.clone(), b.clone(), later.clone()])
        .await
        .unwrap();
    store
        .create_deliveries(std::slice::from_ref(&a))
        .await
        .unwrap();
    let claimed = store.claim_deliveries(t(10), t(70), 10).await.unwrap();
    assert_eq!(
        claimed.iter().map(|x| x.id).collect::<Vec<_>>(),
        [a.id, b.id]
    );
    assert!(claimed.iter().all(|x| x.next_attempt_at == t(70)));
    assert!(
        store
            .claim_deliveries(t(10), t(70), 10)
            .await
            .unwrap()
            .is_empty(),
        "a claimed delivery is not handed out twice during its lease"
    );
    // a: refused, retried, then delivered.
    let retried = store
        .record_delivery_attempt(
            a.id,
            &DeliveryOutcome::Retry {
                status: Some(503),
                error: code("HTTP_503"),
                next_attempt_at: t(40),
            },
            t(11),
        )
        .await
        .unwrap();
    assert_eq!(retried.state, DeliveryState::Pending);
    assert_eq!(retried.attempts, 1);
    assert_eq!(retried.last_status, Some(503));
    assert_eq!(retried.next_attempt_at, t(40));
    let again = store.claim_deliveries(t(40), t(100), 10).await.unwrap();
    assert_eq!(again.iter().map(|x| x.id).collect::<Vec<_>>(), [a.id]);
    let delivered = store
        .record_delivery_attempt(
            a.id,
            &DeliveryOutcome::Delivered {
                status: 202,
                confirmed: false,
            },
            t(41),
        )
        .await
        .unwrap();
    assert_eq!(delivered.state, DeliveryState::Delivered);
    assert_eq!(delivered.delivered_at, Some(t(41)));
    assert_eq!(delivered.attempts, 2);
    // b: down for good.
    let dead = store
        .record_delivery_attempt(
            b.id,
            &DeliveryOutcome::DeadLetter {
                status: None,
                error: code("CONNECT"),
            },
            t(12),
        )
        .await
        .unwrap();
    assert_eq!(dead.state, DeliveryState::DeadLetter);
    assert_eq!(
        store
            .dead_letters(10)
            .await
            .unwrap()
            .iter()
            .map(|x| x.id)
            .collect::<Vec<_>>(),
        [b.id]
    );
    // An attempt recorded late (after dead-lettering) changes nothing.
    let unchanged = store
        .record_delivery_attempt(
            b.id,
            &DeliveryOutcome::Delivered {
                status: 200,
                confirmed: true,
            },
            t(13),
        )
        .await
        .unwrap();
    assert_eq!(unchanged, dead);
    let requeued = store.requeue_delivery(b.id, t(50)).await.unwrap();
    assert_eq!(
        (requeued.state, requeued.attempts, requeued.next_attempt_at),
        (DeliveryState::Pending, 0, t(50))
    );
    assert!(store.dead_letters(10).await.unwrap().is_empty());
    // Unconfirmed follow-up (RET-07), then the processor confirms.
    assert_eq!(
        store
            .unconfirmed_deliveries(t(42), 10)
            .await
            .unwrap()
            .iter()
            .map(|x| x.id)
            .collect::<Vec<_>>(),
        [a.id]
    );
    assert!(
        store
            .unconfirmed_deliveries(t(41), 10)
            .await
            .unwrap()
            .is_empty()
    );
    let confirmed = store.confirm_delivery(a.id, t(60)).await.unwrap();
    assert_eq!(confirmed.state, DeliveryState::Confirmed);
    assert_eq!(confirmed.confirmed_at, Some(t(60)));
    assert_eq!(
        store
            .confirm_delivery(a.id, t(61))
            .await
            .unwrap()
            .confirmed_at,
        Some(t(60))
    );
    assert!(
        store
            .unconfirmed_deliveries(t(100), 10)
            .await
            .unwrap()
            .is_empty()
    );
    // A response that confirms at once.
    store.claim_deliveries(t(1000), t(1060), 10).await.unwrap();
    let at_once = store
        .record_delivery_attempt(
            later.id,
            &DeliveryOutcome::Delivered {
                status: 200,
                confirmed: true,
            },
            t(1001),
        )
        .await
        .unwrap();
    assert_eq!(at_once.state, DeliveryState::Confirmed);
    assert_eq!(at_once.confirmed_at, Some(t(1001)));
    assert_eq!(store.request_deliveries(r.id).await.unwrap().len(), 3);
    assert_eq!(store.get_delivery(a.id).await.unwrap().id, a.id);
    assert_not_found(
        store.get_delivery(DeliveryId::generate()).await,
        Entity::Delivery,
    );
    let mut orphan = d(3);
    orphan.connector = ConnectorId::generate();
    assert_not_found(store.create_deliveries(&[orphan]).await, Entity::Connector);
    // The shape is checked: a request's delivery carries its body, and a delivery belongs to
    // exactly one owner.
    let mut bodiless = d(4);
    bodiless.sealed = None;
    assert!(matches!(
        store.create_deliveries(&[bodiless]).await,
        Err(StoreError::Invalid(_))
    ));
    let mut ownerless = d(5);
    ownerless.request = None;
    assert!(matches!(
        store.create_deliveries(&[ownerless]).await,
        Err(StoreError::Invalid(_))
    ));
    assert_eq!(store.request_deliveries(r.id).await.unwrap().len(), 3);
}

/// ADTECH-03 / CCPA-13: a partner notification is delivered through a webhook delivery of its
/// own (no request, no stored body): one per notification, claimed, retried, dead-lettered,
/// requeued and confirmed like any other; the routing query only offers notifications never
/// attempted, for the recipients asked about.
pub async fn deliveries_of_partner_notifications<F: StoreFactory>(factory: &F) {
    use crate::model::event::{
        NotificationId, NotificationKind, NotificationUpdate, PartnerNotification,
    };
    let fx = factory.fresh().await;
    let store = fx.store();
    let s = subject(&*store).await;
    let note = |recipient: &str, due: i64| PartnerNotification {
        id: NotificationId::generate(),
        subject: s,
        recipient: RecipientKey::new(recipient).unwrap(),
        kind: NotificationKind::OptOutForward,
        trigger: ChoiceId::generate(),
        created_at: t(1),
        due_at: t(due),
        sent_at: None,
        acked_at: None,
        attempts: 0,
    };
    let (mp1, ads, mp1_later) = (note("MP1", 20), note("SP_ADS", 10), note("MP1", 30));
    store
        .enqueue_notifications(&[mp1.clone(), ads.clone(), mp1_later.clone()])
        .await
        .unwrap();
    let mp1_key = RecipientKey::new("MP1").unwrap();
    // Routing: only the recipients asked about (those with an endpoint), earliest due first.
    assert_eq!(
        store
            .unsent_notifications(std::slice::from_ref(&mp1_key), 10)
            .await
            .unwrap(),
        vec![mp1.clone(), mp1_later.clone()]
    );
    assert_eq!(
        store
            .unsent_notifications(&[mp1_key.clone(), RecipientKey::new("SP_ADS").unwrap()], 1)
            .await
            .unwrap(),
        vec![ads.clone()]
    );
    assert!(
        store
            .unsent_notifications(&[], 10)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(store.get_notification(mp1.id).await.unwrap(), mp1);
    assert_not_found(
        store.get_notification(NotificationId::generate()).await,
        Entity::Notification,
    );
    let hook = connector("mp1_hook", ConnectorKind::Webhook, 0);
    store.put_connector(&hook).await.unwrap();
    let delivery = |n: &PartnerNotification| NewDelivery {
        id: DeliveryId::from_uuid(n.id.as_uuid()),
        request: None,
        notification: Some(n.id),
        connector: hook.id,
        recipient: n.recipient.clone(),
        event: code("opt_out"),
        sealed: None,
        created_at: t(2),
        next_attempt_at: t(2),
        max_attempts: 2,
    };
    let d = delivery(&mp1);
    store
        .create_deliveries(std::slice::from_ref(&d))
        .await
        .unwrap();
    store
        .create_deliveries(std::slice::from_ref(&d))
        .await
        .unwrap();
    let stored = store.get_delivery(d.id).await.unwrap();
    assert_eq!(
        (stored.request, stored.notification, stored.sealed.clone()),
        (None, Some(mp1.id), None)
    );
    assert_eq!(stored.state, DeliveryState::Pending);
    // A second delivery for the same notification is refused; so is an unknown notification.
    let mut twice = delivery(&mp1);
    twice.id = DeliveryId::generate();
    assert_conflict(
        store.create_deliveries(&[twice]).await,
        ConflictReason::DifferentContent,
    );
    let stranger = note("MP1", 40);
    assert_not_found(
        store.create_deliveries(&[delivery(&stranger)]).await,
        Entity::Notification,
    );
    // Both owners at once are refused.
    let mut both = delivery(&mp1_later);
    both.request = Some(
        store
            .create_request(&request(None, "deletion", 0, 10))
            .await
            .unwrap()
            .id,
    );
    both.sealed = Some(ciphertext("{}"));
    assert!(matches!(
        store.create_deliveries(&[both]).await,
        Err(StoreError::Invalid(_))
    ));
    // Claimed, failed once (the notification counts the attempt), dead-lettered, requeued.
    let claimed = store.claim_deliveries(t(2), t(60), 10).await.unwrap();
    assert_eq!(claimed.iter().map(|x| x.id).collect::<Vec<_>>(), [d.id]);
    assert_eq!(claimed[0].notification, Some(mp1.id));
    store
        .record_delivery_attempt(
            d.id,
            &DeliveryOutcome::Retry {
                status: Some(503),
                error: code("HTTP_503"),
                next_attempt_at: t(40),
            },
            t(3),
        )
        .await
        .unwrap();
    store
        .update_notification(
            mp1.id,
            NotificationUpdate::Attempted { delivered: false },
            t(3),
        )
        .await
        .unwrap();
    assert_eq!(
        store
            .unsent_notifications(std::slice::from_ref(&mp1_key), 10)
            .await
            .unwrap(),
        vec![mp1_later.clone()],
        "an attempted notification is the delivery's to retry"
    );
    let dead = store
        .record_delivery_attempt(
            d.id,
            &DeliveryOutcome::DeadLetter {
                status: None,
                error: code("CONNECT"),
            },
            t(41),
        )
        .await
        .unwrap();
    assert_eq!(dead.state, DeliveryState::DeadLetter);
    assert_eq!(
        store
            .dead_letters(10)
            .await
            .unwrap()
            .iter()
            .map(|x| (x.id, x.notification))
            .collect::<Vec<_>>(),
        [(d.id, Some(mp1.id))]
    );
    store.requeue_delivery(d.id, t(50)).await.unwrap();
    store.claim_deliveries(t(50), t(110), 10).await.unwrap();
    let delivered = store
        .record_delivery_attempt(
            d.id,
            &DeliveryOutcome::Delivered {
                status: 202,
                confirmed: false,
            },
            t(51),
        )
        .await
        .unwrap();
    assert_eq!(delivered.state, DeliveryState::Delivered);
    let confirmed = store.confirm_delivery(d.id, t(70)).await.unwrap();
    assert_eq!(confirmed.confirmed_at, Some(t(70)));
    // Closed requests are purged without touching notification deliveries.
    store.purge_closed_requests(t(1_000_000)).await.unwrap();
    assert_eq!(store.get_delivery(d.id).await.unwrap().id, d.id);
}

/// Legal holds are placed (idempotent), cover their items, and are released once.
pub async fn legal_holds_placed_and_released<F: StoreFactory>(factory: &F) {
    let fx = factory.fresh().await;
    let store = fx.store();
    let s = subject(&*store).await;
    let (i1, i2) = (ItemId::generate(), ItemId::generate());
    let some = NewLegalHold {
        id: HoldId::generate(),
        subject: s,
        items: vec![i1],
        reason: code("litigation"),
        owner: code("legal"),
        review_at: t(1000),
        created_at: t(1),
    };
    let all = NewLegalHold {
        id: HoldId::generate(),
        items: vec![],
        reason: code("regulator"),
        created_at: t(2),
        ..some.clone()
    };
    let rec = store.put_legal_hold(&some).await.unwrap();
    assert!(rec.covers(i1) && !rec.covers(i2));
    assert_eq!(store.put_legal_hold(&some).await.unwrap(), rec);
    store.put_legal_hold(&all).await.unwrap();
    let holds = store.legal_holds_of(s).await.unwrap();
    assert_eq!(
        holds.iter().map(|h| h.id).collect::<Vec<_>>(),
        [some.id, all.id]
    );
    assert!(holds[1].covers(i2), "an empty item list holds everything");
    let released = store.release_legal_hold(all.id, t(5)).await.unwrap();
    assert_eq!(released.released_at, Some(t(5)));
    assert!(!released.covers(i2));
    assert_eq!(
        store
            .release_legal_hold(all.id, t(6))
            .await
            .unwrap()
            .released_at,
        Some(t(5))
    );
    assert_not_found(
        store.release_legal_hold(HoldId::generate(), t(0)).await,
        Entity::LegalHold,
    );
    assert_not_found(
        store
            .put_legal_hold(&NewLegalHold {
                id: HoldId::generate(),
                subject: SubjectId::generate(),
                ..some.clone()
            })
            .await,
        Entity::Subject,
    );
}

/// SEC-06, GDPR-30, GDPR-31, CCPA-35, NV-08: the people an incident affects are computed in the
/// store — the subjects with an item in its categories (live now, or held during its window),
/// and those disclosed to the recipients it names — counted per residency; recomputing
/// replaces only the people not notified yet; a person's notice is queued once, with its
/// outbox message in the same transaction, however often it is asked for.
pub async fn incident_affected_subjects_computed_counted_and_notified_once<F: StoreFactory>(
    factory: &F,
) {
    use crate::model::audited::AuditedWrite;
    use crate::model::case::{CaseKind, CaseRecord};
    use crate::model::incident::{AffectedCount, AffectedNotice, AffectedQuery};
    use crate::model::subject::{SubjectFacts, SubjectKind};
    let fx = factory.fresh().await;
    let store = fx.store();
    let case = |kind| CaseRecord {
        id: CaseId::generate(),
        kind,
        state: CaseKey::new("open").unwrap(),
        opened_at: t(1),
        next_due_at: None,
        closed_at: None,
        subject: None,
        body: r#"{"summary":"x"}"#.into(),
        revision: 1,
        updated_at: t(1),
    };
    let (incident, complaint) = (case(CaseKind::Incident), case(CaseKind::Complaint));
    for c in [&incident, &complaint] {
        store
            .write_audited(
                &AuditedWrite::PutCase {
                    case: c.clone(),
                    tasks: vec![],
                },
                &[],
            )
            .await
            .unwrap();
    }
    let resident = |j: Option<&str>| {
        let mut s = new_subject(SubjectKind::CustomerAccountHolder);
        s.facts = SubjectFacts {
            residency: j.map(|j| Jurisdiction::new(j).unwrap()),
            ..SubjectFacts::of_kind(SubjectKind::CustomerAccountHolder)
        };
        s
    };
    let mut ids = Vec::new();
    for j in [
        Some("US-CA"),
        Some("US-CA"),
        Some("DE"),
        Some("US-NV"),
        None,
        Some("US-CA"),
        Some("US-TX"),
    ] {
        let s = resident(j);
        store.create_subject(&s).await.unwrap();
        ids.push(s.id);
    }
    let [ca1, ca2, de, nv, unknown, bystander, late] = ids[..] else {
        unreachable!()
    };
    let erased = item(ca2, "email", "b@example.com", 1);
    store
        .put_items(&[
            item(ca1, "email", "a@example.com", 1),
            erased.clone(),
            item(de, "name", "Erika", 1),
            item(unknown, "email", "u@example.com", 1),
            item(bystander, "phone", "+1 555 0100", 1),
            item(late, "email", "l@example.com", 500),
        ])
        .await
        .unwrap();
    assert!(store.erase_item(erased.id, t(5)).await.unwrap());
    store
        .record_disclosures(&[
            disclosure(de, "mailer_co", 3),
            disclosure(nv, "mailer_co", 3),
            disclosure(bystander, "other_co", 3),
            disclosure(late, "mailer_co", 600),
        ])
        .await
        .unwrap();
    let count = |j: Option<&str>, n: u64| AffectedCount {
        residency: j.map(|j| Jurisdiction::new(j).unwrap()),
        subjects: n,
    };
    let query = |cats: &[&str], vault: bool, recipients: &[&str], window: Option<(i64, i64)>| {
        AffectedQuery {
            incident: incident.id,
            categories: cats.iter().map(|c| CategoryKey::new(*c).unwrap()).collect(),
            vault,
            recipients: recipients
                .iter()
                .map(|r| RecipientKey::new(*r).unwrap())
                .collect(),
            from: window.map(|w| t(w.0)),
            until: window.map(|w| t(w.1)),
            at: t(700),
        }
    };

    // Without a window: the live e-mail items (the erased one is not held any more).
    assert_eq!(
        store
            .compute_affected(&query(&["email"], true, &[], None))
            .await
            .unwrap(),
        [
            count(None, 1),
            count(Some("US-CA"), 1),
            count(Some("US-TX"), 1)
        ]
    );
    // In a window: items held then (erased later counts, collected after does not), plus the
    // people disclosed to the processor in these categories before the window's end. The
    // earlier result, not notified, is replaced.
    let windowed = query(&["email", "name"], true, &["mailer_co"], Some((2, 100)));
    let expected = [
        count(None, 1),
        count(Some("DE"), 1),
        count(Some("US-CA"), 2),
        count(Some("US-NV"), 1),
    ];
    assert_eq!(store.compute_affected(&windowed).await.unwrap(), expected);
    let all = store
        .affected_subjects(incident.id, false, None, 100)
        .await
        .unwrap();
    let mut want = vec![ca1, ca2, de, nv, unknown];
    want.sort();
    assert_eq!(all.iter().map(|a| a.subject).collect::<Vec<_>>(), want);
    assert!(
        all.iter()
            .all(|a| a.computed_at == t(700) && a.notified_at.is_none() && a.message.is_none())
    );
    let ca2_row = all.iter().find(|a| a.subject == ca2).unwrap();
    assert_eq!(ca2_row.residency, Some(Jurisdiction::new("US-CA").unwrap()));
    // Paged by subject id.
    let first = store
        .affected_subjects(incident.id, false, None, 2)
        .await
        .unwrap();
    let rest = store
        .affected_subjects(incident.id, false, Some(first[1].subject), 100)
        .await
        .unwrap();
    assert_eq!(first.len() + rest.len(), 5);
    assert!(rest.iter().all(|a| a.subject > first[1].subject));
    // Disclosures outside the incident's categories do not count.
    assert_eq!(
        store
            .compute_affected(&query(&["phone"], false, &["mailer_co"], None))
            .await
            .unwrap(),
        []
    );
    store.compute_affected(&windowed).await.unwrap();

    // Notices queued once per person, with their message in the same transaction.
    let notice = |subject| AffectedNotice {
        subject,
        message: NewMessage {
            id: MessageId::generate(),
            owner: MessageOwner::Incident(incident.id),
            kind: code("breach_notice"),
            created_at: t(710),
            sealed: ciphertext("to: someone@example.com"),
            lease_until: None,
        },
    };
    let (n1, n2) = (notice(ca1), notice(de));
    assert_eq!(
        store
            .enqueue_affected_notices(incident.id, &[n1.clone(), n2.clone()], t(710))
            .await
            .unwrap(),
        [ca1, de]
    );
    let (again, n3, stranger) = (notice(ca1), notice(nv), notice(bystander));
    assert_eq!(
        store
            .enqueue_affected_notices(
                incident.id,
                &[again.clone(), n3.clone(), stranger.clone()],
                t(720)
            )
            .await
            .unwrap(),
        [nv],
        "once per person; only the incident's people"
    );
    let queued: BTreeSet<MessageId> = store
        .pending_messages(100)
        .await
        .unwrap()
        .iter()
        .map(|m| m.id)
        .collect();
    assert_eq!(
        queued,
        BTreeSet::from([n1.message.id, n2.message.id, n3.message.id])
    );
    let pending = store
        .affected_subjects(incident.id, true, None, 100)
        .await
        .unwrap();
    let mut want = vec![ca2, unknown];
    want.sort();
    assert_eq!(pending.iter().map(|a| a.subject).collect::<Vec<_>>(), want);
    let all = store
        .affected_subjects(incident.id, false, None, 100)
        .await
        .unwrap();
    let row = all.iter().find(|a| a.subject == ca1).unwrap();
    assert_eq!(row.notified_at, Some(t(710)));
    assert_eq!(row.message, Some(n1.message.id));
    // A recomputation keeps the people told already (the processor's two here), whatever it
    // finds now.
    assert_eq!(
        store
            .compute_affected(&query(&["email"], true, &[], None))
            .await
            .unwrap(),
        [
            count(None, 1),
            count(Some("DE"), 1),
            count(Some("US-CA"), 1),
            count(Some("US-NV"), 1),
            count(Some("US-TX"), 1)
        ]
    );
    assert_eq!(
        store
            .affected_subjects(incident.id, false, None, 100)
            .await
            .unwrap()
            .iter()
            .find(|a| a.subject == de)
            .unwrap()
            .notified_at,
        Some(t(710))
    );
    // The incident's messages are claimed like the others, owned by it.
    let claimed = store.claim_messages(t(730), t(790), 10).await.unwrap();
    assert_eq!(claimed.len(), 3);
    assert!(
        claimed
            .iter()
            .all(|m| m.owner == MessageOwner::Incident(incident.id))
    );

    // Guards: a message owned by someone else, a case that is not an incident, no case.
    let mut foreign = notice(unknown);
    foreign.message.owner = MessageOwner::Complaint(complaint.id);
    assert_conflict(
        store
            .enqueue_affected_notices(incident.id, &[foreign], t(740))
            .await,
        ConflictReason::DifferentContent,
    );
    assert_eq!(
        store
            .affected_subjects(incident.id, true, None, 100)
            .await
            .unwrap()
            .len(),
        2,
        "a refused batch marks no one"
    );
    let mut q = query(&["email"], true, &[], None);
    q.incident = complaint.id;
    assert_not_found(store.compute_affected(&q).await, Entity::Case);
    q.incident = CaseId::generate();
    assert_not_found(store.compute_affected(&q).await, Entity::Case);
    assert_not_found(
        store
            .enqueue_affected_notices(complaint.id, &[], t(740))
            .await,
        Entity::Case,
    );
    assert_not_found(
        store
            .enqueue_messages(&[NewMessage {
                owner: MessageOwner::Incident(complaint.id),
                ..notice(ca2).message
            }])
            .await,
        Entity::Case,
    );
    assert!(
        store
            .affected_subjects(CaseId::generate(), false, None, 100)
            .await
            .unwrap()
            .is_empty()
    );
}
