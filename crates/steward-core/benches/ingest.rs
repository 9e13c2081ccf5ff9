//! Usage data at the door (the usage-data work), measured at the core level on SQLite with the shipped
//! durable settings (WAL, `synchronous = FULL`):
//!
//! - `ingest_events/batch_5000`: one batch of 5,000 events through
//!   `Ingestor::ingest_events` (check, device facts, `can_set_tracker`, stripping, region,
//!   IP pseudonym, one store call, audit) — target ≥ 200k events/s;
//! - `ingest_events/4x5000_concurrent`: four such batches at once, as concurrent HTTP
//!   requests would arrive (the writer thread commits while other batches are decided);
//! - `pseudonym/epoch_key_token`: one HMAC pseudonym with the epoch key prepared (≤ 200 ns);
//! - `signals/gpp_usp_from_choices`: the GPP and US Privacy strings of a subject from its
//!   effective choices (GPP encode ≤ 1 µs).
//!
//! Rerun: `cargo bench -p steward-core --bench ingest`.
#![expect(
    clippy::unwrap_used,
    clippy::disallowed_methods,
    reason = "benchmark code: a failed setup aborts the run"
)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use steward_core::choices::{ChoiceInput, ChoiceParty};
use steward_core::ingest::{EventSlot, IngestConfig, Ingestor, UsageEventInput};
use steward_core::partner_signals::{SignalConfig, signals_for};
use steward_core::{AuditSettings, Caller, Parts, Steward, SystemClock};
use steward_store::model::subject::IdentityKind;
use steward_vault::{IpEpoch, KeyRing, Sensitive};

const BATCH: usize = 5_000;
const DEVICES: usize = 2_000;

fn batch(seed: usize) -> Vec<EventSlot> {
    let places = ["US-CA", "US-TX", "US-NY", "FR", "DE", "US-WA"];
    let trackers = [
        "analytics_uid",
        "analytics_uid",
        "analytics_uid",
        "session_cookie",
        "ads_pixel_3p",
    ];
    (0..BATCH)
        .map(|i| {
            let n = seed * 7919 + i;
            EventSlot::Event(UsageEventInput {
                kind: if n.is_multiple_of(5) {
                    "click"
                } else {
                    "page_view"
                }
                .into(),
                tracker: trackers[n % trackers.len()].into(),
                cookie_id: Some(format!("c-{:05}", n % DEVICES)),
                ip: Some(format!("203.0.{}.{}", (n / 251) % 250, n % 251)),
                page: Some(format!(
                    "https://www.stamps.com/shipping/page-{}?utm=x",
                    n % 40
                )),
                link: (n.is_multiple_of(5)).then(|| "/offer".to_string()),
                browser: Some(["firefox", "chrome", "safari"][n % 3].into()),
                jurisdiction: Some(places[(n / 3) % places.len()].into()),
                registered: n.is_multiple_of(4),
                ..UsageEventInput::default()
            })
        })
        .collect()
}

struct Setup {
    rt: tokio::runtime::Runtime,
    ingest: Arc<Ingestor>,
    steward: Arc<Steward>,
    _dir: tempfile::TempDir,
}

fn setup() -> Setup {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store =
        steward_store_sqlite::SqliteStore::open(dir.path().join("steward.db"), Default::default())
            .unwrap();
    let ring = KeyRing::ephemeral().unwrap();
    let (steward, ingest) = rt.block_on(async {
        let steward = Steward::start(Parts {
            store: Arc::new(store),
            engine: Arc::new(steward_policy::default_engine().unwrap()),
            vault: ring.vault().unwrap(),
            blind: ring.blind_index().unwrap(),
            signer: None,
            verifier: ring.checkpoint_verifier().unwrap(),
            clock: Arc::new(SystemClock),
            controller: "stamps".into(),
            audit: AuditSettings::default(),
        })
        .unwrap();
        // Every EU device consented to analytics; some US devices opted out.
        let mut choices = Vec::new();
        for d in 0..DEVICES {
            let (key, value) = if d % 10 == 0 {
                ("cookie:analytics", false)
            } else {
                ("cookie:analytics", true)
            };
            choices.push(ChoiceInput {
                party: ChoiceParty::Device {
                    kind: IdentityKind::Cookie,
                    id: Sensitive::new(format!("c-{d:05}")),
                },
                key: key.into(),
                value,
                source: "user".into(),
                notice_sha256: None,
                channel: None,
            });
        }
        for chunk in choices.chunks(500) {
            steward
                .record_choices(&Caller::System, chunk.to_vec())
                .await
                .unwrap();
        }
        let ingest = Ingestor::new(
            steward.clone(),
            ring.ip_pseudonymizer(),
            IngestConfig::default(),
        )
        .unwrap();
        (steward, Arc::new(ingest))
    });
    Setup {
        rt,
        ingest,
        steward,
        _dir: dir,
    }
}

fn bench(c: &mut Criterion) {
    let s = setup();
    let caller = Caller::Service("bench".into());
    let batches: Vec<Vec<EventSlot>> = (0..8).map(batch).collect();
    // Warm the device cache and the page cache.
    s.rt.block_on(async {
        for b in &batches {
            s.ingest.ingest_events(&caller, b.clone()).await.unwrap();
        }
    });

    let mut g = c.benchmark_group("ingest_events");
    g.sample_size(20);
    g.measurement_time(Duration::from_secs(20));
    g.throughput(Throughput::Elements(BATCH as u64));
    g.bench_function("batch_5000", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for i in 0..iters {
                let events = batches[i as usize % batches.len()].clone();
                let start = Instant::now();
                s.rt.block_on(s.ingest.ingest_events(&caller, events))
                    .unwrap();
                total += start.elapsed();
            }
            total
        });
    });
    g.throughput(Throughput::Elements(4 * BATCH as u64));
    g.bench_function("4x5000_concurrent", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for i in 0..iters {
                let four: Vec<Vec<EventSlot>> = (0..4)
                    .map(|k| batches[(i as usize + k) % batches.len()].clone())
                    .collect();
                let start = Instant::now();
                s.rt.block_on(async {
                    let tasks: Vec<_> = four
                        .into_iter()
                        .map(|events| {
                            let ingest = s.ingest.clone();
                            let caller = caller.clone();
                            tokio::spawn(async move { ingest.ingest_events(&caller, events).await })
                        })
                        .collect();
                    for t in tasks {
                        t.await.unwrap().unwrap();
                    }
                });
                total += start.elapsed();
            }
            total
        });
    });
    g.finish();

    let ring = KeyRing::ephemeral().unwrap();
    let key = ring
        .ip_pseudonymizer()
        .unwrap()
        .for_epoch(IpEpoch::new(670));
    let ip: std::net::IpAddr = "203.0.113.7".parse().unwrap();
    c.bench_function("pseudonym/epoch_key_token", |b| {
        b.iter(|| key.token(std::hint::black_box(ip)));
    });

    let engine = s.steward.engine();
    let mut subject = steward_policy::Subject::new(
        steward_policy::SubjectKind::CustomerAccountHolder,
        Some("US-CA".parse().unwrap()),
    );
    subject.choices.sale_opt_out = true;
    let cfg = SignalConfig::default();
    c.bench_function("signals/gpp_usp_from_choices", |b| {
        b.iter(|| signals_for(&engine, std::hint::black_box(&subject), true, &cfg).unwrap());
    });
    let gpp = "DBABBg~BUUAAACA.YA";
    c.bench_function("signals/gpp_decode", |b| {
        b.iter(|| steward_signals::GppString::decode(std::hint::black_box(gpp)).unwrap());
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
