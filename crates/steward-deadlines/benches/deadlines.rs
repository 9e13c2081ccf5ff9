//! Criterion benches of the statutory clock: intake of a dual-regime (GDPR + CCPA) request,
//! with and without a year of US federal holidays, plus status and business-day arithmetic.
#![expect(
    clippy::unwrap_used,
    reason = "benchmark code: a failed setup aborts the run"
)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use jiff::Timestamp;
use jiff::civil::date;
use steward_deadlines::{
    Calendar, Regime, RequestKind, add_business_days, intake, status, us_federal_holidays,
};

fn bench(c: &mut Criterion) {
    let cal = Calendar::default();
    let received: Timestamp = "2024-03-04T17:00:00Z".parse().unwrap();
    let regimes = [Regime::Gdpr, Regime::Ccpa];

    c.bench_function("intake_dual_regime_gdpr_ccpa", |b| {
        b.iter(|| {
            intake(
                black_box(RequestKind::Access),
                black_box(&regimes),
                black_box(received),
                &cal,
            )
            .unwrap()
        })
    });

    let fed = Calendar::default().with_holidays((2023..=2026).flat_map(us_federal_holidays));
    c.bench_function("intake_dual_regime_federal_holidays", |b| {
        b.iter(|| {
            intake(
                black_box(RequestKind::Access),
                black_box(&regimes),
                black_box(received),
                &fed,
            )
            .unwrap()
        })
    });

    c.bench_function("intake_ccpa_opt_out", |b| {
        b.iter(|| {
            intake(
                black_box(RequestKind::OptOutSaleShare),
                black_box(&[Regime::Ccpa]),
                black_box(received),
                &cal,
            )
            .unwrap()
        })
    });

    let t = intake(RequestKind::Access, &regimes, received, &cal).unwrap();
    let now: Timestamp = "2024-03-30T17:00:00Z".parse().unwrap();
    c.bench_function("status", |b| {
        b.iter(|| status(black_box(&t), black_box(now), &cal))
    });

    c.bench_function("add_business_days_15", |b| {
        b.iter(|| add_business_days(black_box(date(2024, 3, 4)), black_box(15), &fed).unwrap())
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
