//! Decision latency with a warm engine (the policy-engine work: median ≤ 100 ns for one
//! `can_use` / `can_disclose`, no heap allocation on the allow path), and the
//! cost of the full JSON path (decode + decide + render) for comparison.
#![expect(
    clippy::unwrap_used,
    reason = "benchmark code: a failed setup aborts the run"
)]

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use steward_policy::ids::CategorySet;
use steward_policy::{Context, Jurisdiction, Subject, SubjectKind};

fn bench(c: &mut Criterion) {
    let e = steward_policy::default_engine().unwrap();
    let now: jiff::Timestamp = "2024-03-04T17:00:00Z".parse().unwrap();
    let ctx = Context::at(now);
    let us = Subject::new(
        SubjectKind::CustomerAccountHolder,
        Some("US-TX".parse::<Jurisdiction>().unwrap()),
    );
    let mut eu = Subject::new(
        SubjectKind::CustomerAccountHolder,
        Some("DE".parse::<Jurisdiction>().unwrap()),
    );
    eu.choices.eu_third_party_sharing = steward_policy::Consent::Given;

    let email = e.category("email");
    let support = e.purpose("support");
    c.bench_function("can_use allow (email, support)", |b| {
        b.iter(|| {
            black_box(e.can_use(
                black_box(&us),
                black_box(email),
                black_box(support),
                black_box(&ctx),
            ))
        })
    });
    let usps = e.category("usps_regulatory_data");
    let fraud = e.purpose("security_fraud");
    c.bench_function("can_use deny (USPS lock)", |b| {
        b.iter(|| {
            black_box(e.can_use(
                black_box(&us),
                black_box(usps),
                black_box(fraud),
                black_box(&ctx),
            ))
        })
    });

    let mut cats = CategorySet::empty();
    cats.insert(e.category("name").unwrap());
    cats.insert(e.category("postal_address").unwrap());
    let mp1 = e.recipient("MP1");
    let promo = e.purpose("third_party_promotional_mail");
    c.bench_function("can_disclose allow (EU, MP1, consent, DPF)", |b| {
        b.iter(|| {
            black_box(e.can_disclose(
                black_box(&eu),
                black_box(&cats),
                false,
                black_box(mp1),
                black_box(promo),
                black_box(&ctx),
            ))
        })
    });
    let mut with_email = cats;
    with_email.insert(e.category("email").unwrap());
    c.bench_function("can_disclose deny (CATEGORY_EXCLUDED)", |b| {
        b.iter(|| {
            black_box(e.can_disclose(
                black_box(&us),
                black_box(&with_email),
                false,
                black_box(mp1),
                black_box(promo),
                black_box(&ctx),
            ))
        })
    });

    let line = r#"{"op":"can_disclose","subject":{"jurisdiction":"US-CA"},"categories":["name","postal_address"],"recipient":"MP1","purpose":"third_party_promotional_mail","context":{"now":"2024-03-04T17:00:00Z"}}"#;
    c.bench_function("JSON line: decode + decide + render", |b| {
        b.iter(|| {
            let r: steward_policy::Request = serde_json::from_str(black_box(line)).unwrap();
            black_box(serde_json::to_string(&e.evaluate(&r)).unwrap())
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
