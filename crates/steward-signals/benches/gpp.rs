//! GPP encode / decode speed (target ≤ 1 µs each) for the California GPC string and a usnat
//! string, plus the US Privacy string. Run: `cargo bench -p steward-signals --bench gpp`.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use steward_signals::{
    Gpc, GppApproach, GppConfig, GppEngineState, GppRegion, GppString, KnownAge, UsPrivacy,
    UspState, gpp_string, usp_string,
};

const CA_GPC: &str = "DBABBg~BUUAAACA.YA";
const USNAT: &str = "DBABLA~CVQVAAAAAACA.YA";

fn opted_out_via_gpc() -> GppEngineState {
    GppEngineState {
        sale_opt_out: true,
        share_opt_out: true,
        gpc: Gpc::On,
        known_age: KnownAge::Unknown,
        minor_authorized: false,
    }
}

fn bench(c: &mut Criterion) {
    let state = opted_out_via_gpc();
    let state_cfg = GppConfig::default();
    let national_cfg = GppConfig {
        approach: GppApproach::National,
        ..GppConfig::default()
    };
    // Sanity: the benchmarked calls produce the spec strings.
    assert_eq!(
        gpp_string(&state, GppRegion::California, &state_cfg)
            .ok()
            .as_deref(),
        Some(CA_GPC)
    );
    assert_eq!(
        gpp_string(&state, GppRegion::California, &national_cfg)
            .ok()
            .as_deref(),
        Some(USNAT)
    );
    let ca_model = GppString::decode(CA_GPC).ok();
    let nat_model = GppString::decode(USNAT).ok();

    let mut g = c.benchmark_group("gpp");
    g.bench_function("encode/usca_gpc/from_engine_state", |b| {
        b.iter(|| {
            gpp_string(
                black_box(&state),
                GppRegion::California,
                black_box(&state_cfg),
            )
        })
    });
    g.bench_function("encode/usca_gpc/from_model", |b| {
        b.iter(|| black_box(&ca_model).as_ref().map(GppString::encode))
    });
    g.bench_function("decode/usca_gpc", |b| {
        b.iter(|| GppString::decode(black_box(CA_GPC)))
    });
    g.bench_function("encode/usnat/from_engine_state", |b| {
        b.iter(|| {
            gpp_string(
                black_box(&state),
                GppRegion::California,
                black_box(&national_cfg),
            )
        })
    });
    g.bench_function("encode/usnat/from_model", |b| {
        b.iter(|| black_box(&nat_model).as_ref().map(GppString::encode))
    });
    g.bench_function("decode/usnat", |b| {
        b.iter(|| GppString::decode(black_box(USNAT)))
    });
    g.finish();

    let usp_state = UspState {
        ccpa_applies: true,
        notice_given: Some(true),
        sale_or_share_opted_out: true,
        lspa_signatory: Some(false),
    };
    let mut u = c.benchmark_group("usp");
    u.bench_function("encode/from_engine_state", |b| {
        b.iter(|| usp_string(black_box(&usp_state)))
    });
    u.bench_function("decode", |b| {
        b.iter(|| UsPrivacy::decode(black_box("1YYN")))
    });
    u.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
