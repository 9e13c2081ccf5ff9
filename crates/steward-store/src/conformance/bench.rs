//! Shared pieces of the backends' store benchmarks (criterion benches of
//! `steward-store-sqlite` and `steward-store-postgres` run the same workloads through the
//! [`Store`](crate::Store) traits, so their figures sit side by side in BENCHMARKS.md).
#![expect(
    clippy::unwrap_used,
    clippy::disallowed_methods,
    missing_docs,
    reason = "a benchmark harness: a failed step aborts the run; it stamps and times with the real clock"
)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use jiff::Timestamp;
use tokio::runtime::Runtime;

use crate::{
    ActionKey, Actor, AuditEvent, AuditKind, BlindToken, CategoryKey, Ciphertext, Confidence,
    ControllerRole, Digest, EntityKey, IdentityKind, IdentityLink, IdentityRef, ItemId, NewItem,
    NewSubject, Outcome, PolicyVersion, PurposeKey, ReasonCode, RuleId, SourceKey, Store,
    SubjectFacts, SubjectId, SubjectKind,
};

/// A small xorshift generator (deterministic benchmark inputs).
#[derive(Debug)]
pub struct Rng(pub u64);
impl Rng {
    #[expect(
        clippy::should_implement_trait,
        reason = "a tiny xorshift generator for the harness, not an Iterator"
    )]
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// The blind-index reference of the e-mail of subject `i`.
pub fn email_token(i: u64) -> IdentityRef {
    IdentityRef {
        kind: IdentityKind::Email,
        token: BlindToken::new(Digest::sha256(format!("user{i}@example.com").as_bytes()).0)
            .unwrap(),
    }
}

/// Creates `n` subjects, each with an e-mail identity and `items_each` items of 120 bytes,
/// from 64 concurrent tasks (so group commit makes the set-up fast).
pub async fn populate(
    store: &Arc<dyn Store>,
    n: u64,
    items_each: u64,
) -> (Vec<SubjectId>, Vec<ItemId>) {
    let loaders = 64u64;
    let tasks: Vec<_> = (0..loaders)
        .map(|l| {
            let store = Arc::clone(store);
            tokio::spawn(async move {
                let controller = EntityKey::new("stamps_com_inc").unwrap();
                let now = Timestamp::now();
                let mut subjects = Vec::new();
                let mut items = Vec::new();
                let mut i = l;
                while i < n {
                    let s = NewSubject {
                        id: SubjectId::generate(),
                        controller: controller.clone(),
                        facts: SubjectFacts::of_kind(SubjectKind::CustomerAccountHolder),
                        created_at: now,
                    };
                    store.create_subject(&s).await.unwrap();
                    store
                        .attach_identity(&IdentityLink {
                            subject: s.id,
                            identity: email_token(i),
                            source: SourceKey::new("user").unwrap(),
                            confidence: Confidence::CERTAIN,
                            linked_at: now,
                        })
                        .await
                        .unwrap();
                    let batch: Vec<NewItem> = (0..items_each)
                        .map(|_| NewItem {
                            id: ItemId::generate(),
                            subject: s.id,
                            category: CategoryKey::new("postal_address").unwrap(),
                            value: Ciphertext::new(vec![0xA5; 120]).unwrap(),
                            source: SourceKey::new("user").unwrap(),
                            collected_at: now,
                            purpose: PurposeKey::new("service_provision").unwrap(),
                            controller: controller.clone(),
                            controller_role: ControllerRole::Controller,
                            retain_until: None,
                            policy_version: None,
                        })
                        .collect();
                    store.put_items(&batch).await.unwrap();
                    items.extend(batch.iter().map(|b| b.id));
                    subjects.push(s.id);
                    i += loaders;
                }
                (subjects, items)
            })
        })
        .collect();
    let mut subjects = Vec::new();
    let mut items = Vec::new();
    for t in tasks {
        let (s, i) = t.await.unwrap();
        subjects.extend(s);
        items.extend(i);
    }
    (subjects, items)
}

/// A typical decision audit event about `subject`.
pub fn decision(subject: SubjectId) -> AuditEvent {
    let mut e = AuditEvent::new(
        AuditKind::Decision,
        ActionKey::new("can_disclose").unwrap(),
        Actor::System,
        Timestamp::now(),
    );
    e.subject = Some(subject);
    e.categories = vec![CategoryKey::new("email").unwrap()];
    e.purpose = Some(PurposeKey::new("marketing_third_party_offers").unwrap());
    e.outcome = Some(Outcome {
        allow: false,
        reason: ReasonCode::new("OPTED_OUT").unwrap(),
    });
    e.rules = vec![RuleId::new("DNS-02").unwrap()];
    e.policy_version = Some(PolicyVersion::new("2020-01-17").unwrap());
    e
}

/// Runs exactly `total` operations spread over at most `tasks` concurrent tasks; returns the
/// elapsed time. (Exactly: criterion's warm-up asks for a handful of iterations, and running
/// one operation per task anyway would make it believe an iteration costs `tasks` operations
/// and pick samples too small to keep the writers busy.)
pub fn concurrent<F, Fut>(rt: &Runtime, tasks: u64, total: u64, op: F) -> Duration
where
    F: Fn(u64) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    let op = Arc::new(op);
    rt.block_on(async move {
        let tasks = tasks.clamp(1, total.max(1));
        let (base, extra) = (total / tasks, total % tasks);
        let start = Instant::now();
        let handles: Vec<_> = (0..tasks)
            .map(|t| {
                let op = Arc::clone(&op);
                let n = base + u64::from(t < extra);
                tokio::spawn(async move {
                    for i in 0..n {
                        op(t + i * tasks).await;
                    }
                })
            })
            .collect();
        for h in handles {
            h.await.unwrap();
        }
        start.elapsed()
    })
}

/// How a choice write and its audit entries reach the store (benchmarks of the trust-under-faults work's design).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audited {
    /// The write, then the entries in a second call (what the core did before: a crash between
    /// the two left a committed choice without its entry).
    TwoSteps,
    /// One `write_audited` call: committed together.
    Together,
}

impl Audited {
    /// A short name for benchmark ids.
    pub fn name(self) -> &'static str {
        match self {
            Audited::TwoSteps => "two_steps",
            Audited::Together => "together",
        }
    }
}

/// A consent of subject `s` (the `i`-th of a run).
pub fn choice(s: SubjectId, i: u64) -> crate::ChoiceEntry {
    crate::ChoiceEntry {
        id: crate::ChoiceId::generate(),
        party: crate::Party::Subject(s),
        key: crate::ChoiceKey::new("marketing:email").unwrap(),
        value: i.is_multiple_of(2),
        source: crate::ChoiceSource::User,
        actor: Actor::Subject(s),
        policy_version: PolicyVersion::new("2020-01-17").unwrap(),
        notice_hash: Some(Digest([7; 32])),
        channel: None,
        at: Timestamp::now(),
    }
}

/// The audit event the core records for a choice.
pub fn choice_event(c: &crate::ChoiceEntry) -> AuditEvent {
    let mut e = AuditEvent::new(
        AuditKind::Choice,
        ActionKey::new("choice.record").unwrap(),
        c.actor.clone(),
        c.at,
    );
    if let crate::Party::Subject(s) = c.party {
        e.subject = Some(s);
    }
    e.refs = vec![crate::EventRef {
        name: crate::FieldName::new("choice").unwrap(),
        id: c.id.as_uuid(),
    }];
    e
}

/// Writes `entries` with one audit event each, `how`.
pub async fn audited_choices(store: &dyn Store, entries: Vec<crate::ChoiceEntry>, how: Audited) {
    let events: Vec<AuditEvent> = entries.iter().map(choice_event).collect();
    match how {
        Audited::TwoSteps => {
            store.append_choices(&entries).await.unwrap();
            store.append_audit(&events).await.unwrap();
        }
        Audited::Together => store
            .write_audited(&crate::AuditedWrite::AppendChoices(entries), &events)
            .await
            .unwrap(),
    }
}
