//! Store throughput through the `steward_store` traits (SQLite, default durable settings:
//! WAL + `synchronous = FULL`, every acknowledged write fsynced).
//!
//! Run: `cargo bench -p steward-store-sqlite --bench store`
//!
//! Each benchmark reports time per operation; the throughput line is operations per second.
//! Concurrent benchmarks spread the operations over many tasks (as many requests of a server
//! would) on a 2-worker tokio runtime.

#![expect(
    clippy::unwrap_used,
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
use steward_store_sqlite::{SqliteOptions, SqliteStore};
use tokio::runtime::Runtime;

fn runtime() -> Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

struct Fixture {
    _dir: tempfile::TempDir,
    store: Arc<dyn Store>,
}

fn fresh() -> Fixture {
    // The system temporary directory (here on the same disk as the repository);
    // STEWARD_BENCH_DIR picks another file system.
    let dir = match std::env::var_os("STEWARD_BENCH_DIR") {
        Some(d) => tempfile::tempdir_in(d).unwrap(),
        None => tempfile::tempdir().unwrap(),
    };
    let store = SqliteStore::open(dir.path().join("bench.db"), SqliteOptions::default()).unwrap();
    Fixture {
        _dir: dir,
        store: Arc::new(store),
    }
}

fn choice_writes(c: &mut Criterion) {
    let rt = runtime();
    let fx = fresh();
    let subjects = rt.block_on(populate(&fx.store, 1000, 0)).0;
    let subjects = Arc::new(subjects);
    let mut g = c.benchmark_group("store/choice_write_durable");
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

/// A consent and its audit entry (the trust-under-faults work): written in two store calls, as the core did
/// before, or together in one transaction (`write_audited`), by 64 concurrent writers one
/// choice at a time, and by 8 writers in batches of 100.
fn audited_choice_writes(c: &mut Criterion) {
    use steward_store::conformance::bench::{Audited, audited_choices, choice};
    let rt = runtime();
    let fx = fresh();
    let subjects = rt.block_on(populate(&fx.store, 1000, 0)).0;
    let subjects = Arc::new(subjects);
    let mut g = c.benchmark_group("store/choice_write_audited");
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
    let fx = fresh();
    let (_, items) = rt.block_on(populate(&fx.store, 10_000, 10));
    let items = Arc::new(items);
    let mut g = c.benchmark_group("store/item_read");
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
    let fx = fresh();
    let n = 100_000u64;
    rt.block_on(populate(&fx.store, n, 0));
    let mut g = c.benchmark_group("store/blind_index_lookup");
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
    let fx = fresh();
    let subject = SubjectId::generate();
    let mut g = c.benchmark_group("store/audit_append_durable");
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
    let fx = fresh();
    let n = 500_000u64;
    rt.block_on(async {
        let subject = SubjectId::generate();
        for _ in 0..n / 1000 {
            let batch: Vec<AuditEvent> = (0..1000).map(|_| decision(subject)).collect();
            fx.store.append_audit(&batch).await.unwrap();
        }
    });
    let no_keys = |_: &SigningKeyId, _: &[u8], _: &[u8]| SignatureCheck::UnknownKey;
    let mut g = c.benchmark_group("store/audit_verify");
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
    audited_choice_writes,
    item_reads,
    blind_index_lookup,
    audit_appends,
    audit_verify
);
criterion_main!(benches);
