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

#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::disallowed_methods,
    reason = "benchmark code: a failed setup aborts the run"
)]

use std::sync::Arc;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use jiff::Timestamp;
use steward_store::conformance::bench::{Rng, concurrent, decision, email_token, populate};
use steward_store::verify::{SignatureCheck, verify_log};
use steward_store::{
    Actor, AuditEvent, ChoiceEntry, ChoiceId, ChoiceKey, ChoiceSource, Digest, Party,
    PolicyVersion, SigningKeyId, Store, SubjectId,
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

/// A consent and its audit entry (the trust-under-faults work): written in two store calls, as the core did
/// before, or together in one transaction (`write_audited`), by 64 concurrent writers one
/// choice at a time, and by 8 writers in batches of 100.
fn audited_choice_writes(c: &mut Criterion) {
    use steward_store::conformance::bench::{Audited, audited_choices, choice};
    let rt = runtime();
    let fx = fresh(&rt);
    let subjects = rt.block_on(populate(&fx.store, 1000, 0)).0;
    let subjects = Arc::new(subjects);
    let mut g = c.benchmark_group("store_pg/choice_write_audited");
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(10));
    for how in [Audited::TwoSteps, Audited::Together] {
        g.throughput(Throughput::Elements(1));
        g.bench_function(format!("{}_64_concurrent_writers", how.name()), |b| {
            b.iter_custom(|iters| {
                let store = Arc::clone(&fx.store);
                let subjects = Arc::clone(&subjects);
                concurrent(&rt, 64, iters, move |i| {
                    let store = Arc::clone(&store);
                    let s = subjects[(i % subjects.len() as u64) as usize];
                    async move { audited_choices(&*store, vec![choice(s, i)], how).await }
                })
            })
        });
        g.throughput(Throughput::Elements(100));
        g.bench_function(format!("{}_batches_of_100_8_writers", how.name()), |b| {
            b.iter_custom(|iters| {
                let store = Arc::clone(&fx.store);
                let subjects = Arc::clone(&subjects);
                concurrent(&rt, 8, iters, move |i| {
                    let store = Arc::clone(&store);
                    let s = subjects[(i % subjects.len() as u64) as usize];
                    async move {
                        let batch = (0..100).map(|k| choice(s, i * 100 + k)).collect();
                        audited_choices(&*store, batch, how).await;
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
    audited_choice_writes,
    item_reads,
    blind_index_lookup,
    audit_appends,
    audit_verify
);
criterion_main!(benches);
