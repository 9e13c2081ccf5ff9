//! Store throughput through the `steward_store` traits on PostgreSQL (server defaults:
//! `fsync = on`, `synchronous_commit = on`: every acknowledged write is flushed), measured
//! like the SQLite bench of `steward-store-sqlite` so the two columns of BENCHMARKS.md compare.
//!
//! Run: `STEWARD_TEST_PG_URL=postgres://user@host:port/postgres cargo bench -p
//! steward-store-postgres --bench store` (each group creates its own database on that server
//! and drops it afterwards; `./scripts/test` shows how to start a throwaway cluster).
//!
//! Each benchmark reports time per operation; the throughput line is operations per second.
//! Concurrent benchmarks spread the operations over many tasks (as many requests of a server
//! would) on a 2-worker tokio runtime.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use jiff::Timestamp;
use steward_store::verify::{SignatureCheck, verify_log};
use steward_store::{
    ActionKey, Actor, AuditEvent, AuditKind, BlindToken, CategoryKey, ChoiceEntry, ChoiceId,
    ChoiceKey, ChoiceSource, Ciphertext, Confidence, ControllerRole, Digest, EntityKey,
    IdentityKind, IdentityLink, IdentityRef, ItemId, NewItem, NewSubject, Outcome, Party,
    PolicyVersion, PurposeKey, ReasonCode, RuleId, SigningKeyId, SourceKey, Store, SubjectFacts,
    SubjectId, SubjectKind,
};
use steward_store_postgres::{PgOptions, PgStore};
use tokio::runtime::Runtime;
use tokio_postgres::NoTls;

fn runtime() -> Arc<Runtime> {
    Arc::new(
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap(),
    )
}

fn admin_url() -> String {
    std::env::var("STEWARD_TEST_PG_URL").expect(
        "STEWARD_TEST_PG_URL must name a PostgreSQL server (postgres://user@host:port/postgres)",
    )
}

/// `url` with its database name replaced by `db`.
fn url_for(url: &str, db: &str) -> String {
    let (head, rest) = url.split_once("://").expect("a postgres:// URL");
    let (path, query) = rest.split_once('?').map_or((rest, ""), |(p, q)| (p, q));
    let authority = path.split_once('/').map_or(path, |(a, _)| a);
    let query = if query.is_empty() {
        String::new()
    } else {
        format!("?{query}")
    };
    format!("{head}://{authority}/{db}{query}")
}

async fn admin(url: &str) -> tokio_postgres::Client {
    let (c, conn) = tokio_postgres::connect(url, NoTls).await.unwrap();
    tokio::spawn(async move {
        let _ = conn.await;
    });
    c
}

/// A store in a fresh database of its own, dropped with the fixture.
struct Fixture {
    rt: Arc<Runtime>,
    name: String,
    store: Arc<dyn Store>,
}

impl Drop for Fixture {
    fn drop(&mut self) {
        let name = self.name.clone();
        self.rt.block_on(async {
            let c = admin(&admin_url()).await;
            let _ = c
                .batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .await;
        });
    }
}

fn fresh(rt: &Arc<Runtime>) -> Fixture {
    let name = format!("steward_bench_{}", uuid::Uuid::now_v7().simple());
    let store = rt.block_on(async {
        let c = admin(&admin_url()).await;
        c.batch_execute(&format!("CREATE DATABASE {name}"))
            .await
            .unwrap();
        let options = PgOptions {
            pool_size: pool_size(),
            ..PgOptions::default()
        };
        PgStore::connect(&url_for(&admin_url(), &name), options)
            .await
            .unwrap()
    });
    Fixture {
        rt: Arc::clone(rt),
        name,
        store: Arc::new(store),
    }
}

/// Connections per store: `STEWARD_BENCH_PG_POOL`, default the store's default (16).
fn pool_size() -> usize {
    std::env::var("STEWARD_BENCH_PG_POOL")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(PgOptions::default().pool_size)
}

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

fn email_token(i: u64) -> IdentityRef {
    IdentityRef {
        kind: IdentityKind::Email,
        token: BlindToken::new(Digest::sha256(format!("user{i}@example.com").as_bytes()).0)
            .unwrap(),
    }
}

/// Creates `n` subjects, each with an e-mail identity and `items_each` items of 120 bytes,
/// from 64 concurrent tasks (so group commit makes the set-up fast).
async fn populate(
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

fn decision(subject: SubjectId) -> AuditEvent {
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
fn concurrent<F, Fut>(rt: &Runtime, tasks: u64, total: u64, op: F) -> Duration
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

fn choice_writes(c: &mut Criterion) {
    let rt = runtime();
    let fx = fresh(&rt);
    let subjects = rt.block_on(populate(&fx.store, 1000, 0)).0;
    let subjects = Arc::new(subjects);
    let mut g = c.benchmark_group("store_pg/choice_write_durable");
    g.throughput(Throughput::Elements(1));
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(10));
    for tasks in [1u64, 64, 256] {
        g.bench_function(format!("{tasks}_concurrent_writers"), |b| {
            b.iter_custom(|iters| {
                let store = Arc::clone(&fx.store);
                let subjects = Arc::clone(&subjects);
                concurrent(&rt, tasks, iters, move |i| {
                    let store = Arc::clone(&store);
                    let s = subjects[(i % subjects.len() as u64) as usize];
                    async move {
                        let e = ChoiceEntry {
                            id: ChoiceId::generate(),
                            party: Party::Subject(s),
                            key: ChoiceKey::new("marketing:email").unwrap(),
                            value: i % 2 == 0,
                            source: ChoiceSource::User,
                            actor: Actor::Subject(s),
                            policy_version: PolicyVersion::new("2020-01-17").unwrap(),
                            notice_hash: Some(Digest([7; 32])),
                            channel: None,
                            at: Timestamp::now(),
                        };
                        store.append_choice(&e).await.unwrap();
                    }
                })
            })
        });
    }
    g.finish();
}

fn choice_writes_batched(c: &mut Criterion) {
    let rt = runtime();
    let fx = fresh(&rt);
    let subjects = rt.block_on(populate(&fx.store, 1000, 0)).0;
    let subjects = Arc::new(subjects);
    let mut g = c.benchmark_group("store_pg/choice_write_durable_batched");
    g.throughput(Throughput::Elements(100));
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(10));
    for tasks in [1u64, 8] {
        g.bench_function(format!("batches_of_100_{tasks}_concurrent_writers"), |b| {
            b.iter_custom(|iters| {
                let store = Arc::clone(&fx.store);
                let subjects = Arc::clone(&subjects);
                concurrent(&rt, tasks, iters, move |i| {
                    let store = Arc::clone(&store);
                    let subjects = Arc::clone(&subjects);
                    async move {
                        let batch: Vec<ChoiceEntry> = (0..100u64)
                            .map(|k| {
                                let s = subjects[((i * 100 + k) % subjects.len() as u64) as usize];
                                ChoiceEntry {
                                    id: ChoiceId::generate(),
                                    party: Party::Subject(s),
                                    key: ChoiceKey::new("marketing:email").unwrap(),
                                    value: k % 2 == 0,
                                    source: ChoiceSource::User,
                                    actor: Actor::Subject(s),
                                    policy_version: PolicyVersion::new("2020-01-17").unwrap(),
                                    notice_hash: Some(Digest([7; 32])),
                                    channel: None,
                                    at: Timestamp::now(),
                                }
                            })
                            .collect();
                        store.append_choices(&batch).await.unwrap();
                    }
                })
            })
        });
    }
    g.finish();
}

fn item_reads(c: &mut Criterion) {
    let rt = runtime();
    let fx = fresh(&rt);
    let (_, items) = rt.block_on(populate(&fx.store, 10_000, 10));
    let items = Arc::new(items);
    let mut g = c.benchmark_group("store_pg/item_read");
    g.throughput(Throughput::Elements(1));
    g.sample_size(10);
    for tasks in [1u64, 8] {
        g.bench_function(
            format!("get_item_{tasks}_concurrent_readers_100k_items"),
            |b| {
                b.iter_custom(|iters| {
                    let store = Arc::clone(&fx.store);
                    let items = Arc::clone(&items);
                    concurrent(&rt, tasks, iters, move |i| {
                        let store = Arc::clone(&store);
                        let mut rng = Rng(i.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
                        let id = items[(rng.next() % items.len() as u64) as usize];
                        async move {
                            let it = store.get_item(id).await.unwrap();
                            assert!(it.value.is_some());
                        }
                    })
                })
            },
        );
    }
    g.finish();
}

fn blind_index_lookup(c: &mut Criterion) {
    let rt = runtime();
    let fx = fresh(&rt);
    let n = 100_000u64;
    rt.block_on(populate(&fx.store, n, 0));
    let mut g = c.benchmark_group("store_pg/blind_index_lookup");
    g.throughput(Throughput::Elements(1));
    g.sample_size(10);
    for tasks in [1u64, 8] {
        g.bench_function(
            format!("find_by_email_{tasks}_concurrent_100k_subjects"),
            |b| {
                b.iter_custom(|iters| {
                    let store = Arc::clone(&fx.store);
                    concurrent(&rt, tasks, iters, move |i| {
                        let store = Arc::clone(&store);
                        let mut rng = Rng(i.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
                        let token = email_token(rng.next() % n);
                        async move {
                            let found = store.find_by_identity(&token).await.unwrap();
                            assert_eq!(found.len(), 1);
                        }
                    })
                })
            },
        );
    }
    g.finish();
}

fn audit_appends(c: &mut Criterion) {
    let rt = runtime();
    let fx = fresh(&rt);
    let subject = SubjectId::generate();
    let mut g = c.benchmark_group("store_pg/audit_append_durable");
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(10));
    g.throughput(Throughput::Elements(100));
    for callers in [1u64, 8] {
        g.bench_function(
            format!("batches_of_100_{callers}_concurrent_callers"),
            |b| {
                b.iter_custom(|iters| {
                    let store = Arc::clone(&fx.store);
                    concurrent(&rt, callers, iters, move |_| {
                        let store = Arc::clone(&store);
                        async move {
                            let batch: Vec<AuditEvent> =
                                (0..100).map(|_| decision(subject)).collect();
                            store.append_audit(&batch).await.unwrap();
                        }
                    })
                })
            },
        );
    }
    g.throughput(Throughput::Elements(1));
    g.bench_function("single_events_256_concurrent_callers", |b| {
        b.iter_custom(|iters| {
            let store = Arc::clone(&fx.store);
            concurrent(&rt, 256, iters, move |_| {
                let store = Arc::clone(&store);
                async move {
                    store.append_audit(&[decision(subject)]).await.unwrap();
                }
            })
        })
    });
    g.finish();
}

fn audit_verify(c: &mut Criterion) {
    let rt = runtime();
    let fx = fresh(&rt);
    let n = 500_000u64;
    rt.block_on(async {
        let subject = SubjectId::generate();
        for _ in 0..n / 1000 {
            let batch: Vec<AuditEvent> = (0..1000).map(|_| decision(subject)).collect();
            fx.store.append_audit(&batch).await.unwrap();
        }
    });
    let no_keys = |_: &SigningKeyId, _: &[u8], _: &[u8]| SignatureCheck::UnknownKey;
    let mut g = c.benchmark_group("store_pg/audit_verify");
    g.sample_size(10);
    g.throughput(Throughput::Elements(n));
    g.bench_function("verify_log_500k_entries", |b| {
        b.iter(|| {
            let r = rt
                .block_on(verify_log(&*fx.store, &no_keys, 10_000))
                .unwrap();
            assert_eq!(r.entries, n);
        })
    });
    g.finish();
}

criterion_group!(
    benches,
    choice_writes,
    choice_writes_batched,
    item_reads,
    blind_index_lookup,
    audit_appends,
    audit_verify
);
criterion_main!(benches);
