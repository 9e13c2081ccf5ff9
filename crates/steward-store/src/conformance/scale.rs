//! The scale run both backends' `load_1m` examples make (BENCHMARKS.md, "Store"): load `n`
//! subjects with 10 items each through the store API from 64 concurrent tasks, then measure
//! read latency percentiles of `get_item`, `list_items` and `find_by_identity` with random keys.
#![expect(
    clippy::unwrap_used,
    clippy::print_stdout,
    clippy::disallowed_methods,
    reason = "a benchmark harness: a failed step aborts the run, it times with the real clock and prints its figures"
)]

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use jiff::Timestamp;

use super::bench::{Rng, email_token};
use crate::*;

/// Items per subject.
pub const ITEMS_PER_SUBJECT: usize = 10;
const LOADERS: u64 = 64;

fn percentiles(name: &str, mut samples: Vec<Duration>, total: Duration) {
    samples.sort();
    let p = |q: f64| {
        let i = ((samples.len() as f64 - 1.0) * q).round() as usize;
        samples[i].as_secs_f64() * 1e6
    };
    println!(
        "| {name} | {} | {:.0} | {:.1} | {:.1} | {:.1} | {:.1} | {:.0} |",
        samples.len(),
        samples.len() as f64 / total.as_secs_f64(),
        p(0.50),
        p(0.90),
        p(0.99),
        p(0.999),
        p(1.0),
    );
}

/// Load `n` subjects into `store`, then print the read latency tables.
pub async fn scale_run(store: Arc<dyn Store>, n: u64) {
    let subjects: Arc<Vec<SubjectId>> = Arc::new((0..n).map(|_| SubjectId::generate()).collect());
    let done = Arc::new(AtomicU64::new(0));
    let start = Instant::now();
    let loaders: Vec<_> = (0..LOADERS)
        .map(|l| {
            let store = Arc::clone(&store);
            let subjects = Arc::clone(&subjects);
            let done = Arc::clone(&done);
            tokio::spawn(async move {
                let controller = EntityKey::new("stamps_com_inc").unwrap();
                let category = CategoryKey::new("postal_address").unwrap();
                let purpose = PurposeKey::new("service_provision").unwrap();
                let source = SourceKey::new("user").unwrap();
                let mut ids = Vec::with_capacity((n / LOADERS + 1) as usize * ITEMS_PER_SUBJECT);
                let mut i = l;
                while i < n {
                    let id = subjects[i as usize];
                    let now = Timestamp::now();
                    store
                        .create_subject(&NewSubject {
                            id,
                            controller: controller.clone(),
                            facts: SubjectFacts::of_kind(SubjectKind::CustomerAccountHolder),
                            created_at: now,
                        })
                        .await
                        .unwrap();
                    store
                        .attach_identity(&IdentityLink {
                            subject: id,
                            identity: email_token(i),
                            source: source.clone(),
                            confidence: Confidence::CERTAIN,
                            linked_at: now,
                        })
                        .await
                        .unwrap();
                    let items: Vec<NewItem> = (0..ITEMS_PER_SUBJECT)
                        .map(|k| NewItem {
                            id: ItemId::generate(),
                            subject: id,
                            category: category.clone(),
                            value: Ciphertext::new(
                                Digest::sha256(&[id.to_bytes().as_slice(), &[k as u8]].concat())
                                    .0
                                    .repeat(4)[..100]
                                    .to_vec(),
                            )
                            .unwrap(),
                            source: source.clone(),
                            collected_at: now,
                            purpose: purpose.clone(),
                            controller: controller.clone(),
                            controller_role: ControllerRole::Controller,
                            retain_until: None,
                            policy_version: None,
                        })
                        .collect();
                    store.put_items(&items).await.unwrap();
                    ids.extend(items.iter().map(|it| it.id));
                    let d = done.fetch_add(1, Ordering::Relaxed) + 1;
                    if d.is_multiple_of(100_000) {
                        println!("  {d} subjects in {:.1} s", start.elapsed().as_secs_f64());
                    }
                    i += LOADERS;
                }
                ids
            })
        })
        .collect();
    let mut all_items: Vec<ItemId> = Vec::with_capacity(n as usize * ITEMS_PER_SUBJECT);
    for l in loaders {
        all_items.extend(l.await.unwrap());
    }
    let load = start.elapsed();
    println!(
        "loaded {n} subjects, {} items in {:.1} s ({:.0} subjects/s, {:.0} rows/s incl. identities)",
        n * ITEMS_PER_SUBJECT as u64,
        load.as_secs_f64(),
        n as f64 / load.as_secs_f64(),
        (n * (ITEMS_PER_SUBJECT as u64 + 2)) as f64 / load.as_secs_f64()
    );

    // Every key is drawn uniformly from everything loaded, so most reads miss the database's
    // own cache (the OS page cache holds the files: the machine has more RAM than the data).
    let mut rng = Rng(0x5EED_1234_ABCD_0001);

    println!();
    println!(
        "| read (one caller, random keys) | ops | ops/s | p50 µs | p90 µs | p99 µs | p99.9 µs | max µs |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    let reads = 50_000usize;
    let mut lat = Vec::with_capacity(reads);
    let t = Instant::now();
    for _ in 0..reads {
        let id = all_items[(rng.next() % all_items.len() as u64) as usize];
        let s = Instant::now();
        let it = store.get_item(id).await.unwrap();
        lat.push(s.elapsed());
        assert!(it.value.is_some());
    }
    percentiles("get_item (random of all items)", lat, t.elapsed());

    let mut lat = Vec::with_capacity(reads);
    let t = Instant::now();
    for _ in 0..reads {
        let s_id = subjects[(rng.next() % n) as usize];
        let s = Instant::now();
        let items = store.list_items(s_id).await.unwrap();
        lat.push(s.elapsed());
        assert_eq!(items.len(), ITEMS_PER_SUBJECT);
    }
    percentiles(
        "list_items (10 items of a random subject)",
        lat,
        t.elapsed(),
    );

    let mut lat = Vec::with_capacity(reads);
    let t = Instant::now();
    for _ in 0..reads {
        let token = email_token(rng.next() % n);
        let s = Instant::now();
        let found = store.find_by_identity(&token).await.unwrap();
        lat.push(s.elapsed());
        assert_eq!(found.len(), 1);
    }
    percentiles("find_by_identity (e-mail blind token)", lat, t.elapsed());

    // Concurrent throughput: 8 callers.
    let total = 200_000u64;
    let t = Instant::now();
    let tasks: Vec<_> = (0..8u64)
        .map(|k| {
            let store = Arc::clone(&store);
            let subjects = Arc::clone(&subjects);
            tokio::spawn(async move {
                let mut rng = Rng(0x1234_5678 + k * 7919);
                for _ in 0..total / 8 {
                    let token = email_token(rng.next() % n);
                    let found = store.find_by_identity(&token).await.unwrap();
                    assert_eq!(found.len(), 1);
                    let _ = &subjects;
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    println!();
    println!(
        "8 concurrent callers: find_by_identity {:.0}/s",
        total as f64 / t.elapsed().as_secs_f64()
    );
}
