//! Steward vs Cedar, one run: every benchmark request is decided by Steward's
//! warm engine (`Engine::can_use` / `can_disclose`, as benches/decide.rs in
//! steward-policy calls them) and by `cedar_policy::Authorizer::is_authorized`
//! with pre-built entities and requests. Before timing, both engines must
//! agree on every request. At the end, a table of criterion's median
//! estimates and the Cedar/Steward ratio per request.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test and benchmark code: a failed step fails the run")]

use cedar_compare::{Call, World, setup};
use criterion::Criterion;
use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;

fn bench(c: &mut Criterion, w: &World) {
    {
        let mut g = c.benchmark_group("steward");
        for case in &w.cases {
            let (e, ctx) = (&w.engine, &w.ctx);
            match &case.call {
                Call::Use {
                    subject,
                    category,
                    purpose,
                } => {
                    let (cat, p) = (Some(*category), Some(*purpose));
                    g.bench_function(case.id, |b| {
                        b.iter(|| {
                            black_box(e.can_use(
                                black_box(subject),
                                black_box(cat),
                                black_box(p),
                                black_box(ctx),
                            ))
                        })
                    });
                }
                Call::Disclose {
                    subject,
                    categories,
                    recipient,
                    purpose,
                } => {
                    let (r, p) = (Some(*recipient), Some(*purpose));
                    g.bench_function(case.id, |b| {
                        b.iter(|| {
                            black_box(e.can_disclose(
                                black_box(subject),
                                black_box(categories),
                                false,
                                black_box(r),
                                black_box(p),
                                black_box(ctx),
                            ))
                        })
                    });
                }
            }
        }
        g.finish();
    }
    let mut g = c.benchmark_group("cedar");
    for case in &w.cases {
        g.bench_function(case.id, |b| {
            b.iter(|| {
                black_box(w.authorizer.is_authorized(
                    black_box(&case.cedar),
                    black_box(&w.policies),
                    black_box(&w.entities),
                ))
            })
        });
    }
    g.finish();
}

/// Criterion's median estimate (ns) for one benchmark of this run.
fn median_ns(out: &std::path::Path, group: &str, id: &str) -> Option<f64> {
    let path = out.join(group).join(id).join("new").join("estimates.json");
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(path).ok()?).ok()?;
    v["median"]["point_estimate"].as_f64()
}

fn fmt_ns(ns: f64) -> String {
    if ns >= 1000.0 {
        format!("{:.2} µs", ns / 1000.0)
    } else {
        format!("{ns:.1} ns")
    }
}

fn main() {
    let w = setup().expect("set up steward and cedar");
    match w.check() {
        Ok(verdicts) => {
            println!("both engines agree on every benchmark request:");
            for v in &verdicts {
                println!(
                    "  {:<70} {} {:<20} cedar: {}",
                    v.name,
                    if v.steward_allow { "ALLOW" } else { "DENY " },
                    v.steward_reason,
                    v.cedar_reasons.join(", ")
                );
            }
        }
        Err(problems) => {
            eprintln!("steward and cedar disagree; the comparison would not be honest:");
            for p in problems {
                eprintln!("  {p}");
            }
            std::process::exit(1);
        }
    }

    let out = std::env::var_os("CRITERION_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("target")
                .join("criterion")
        });
    let mut c = Criterion::default()
        .output_directory(&out)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .configure_from_args();
    bench(&mut c, &w);
    c.final_summary();

    let mut rows = Vec::new();
    for case in &w.cases {
        if let (Some(s), Some(k)) = (
            median_ns(&out, "steward", case.id),
            median_ns(&out, "cedar", case.id),
        ) {
            rows.push((case, s, k));
        }
    }
    if rows.is_empty() {
        return;
    }
    println!("\nmedians (criterion estimates, this run):");
    println!(
        "  {:<36} {:>10} {:>10} {:>8}",
        "request", "steward", "cedar", "ratio"
    );
    for (case, s, k) in &rows {
        println!(
            "  {:<36} {:>10} {:>10} {:>7.0}x",
            case.id,
            fmt_ns(*s),
            fmt_ns(*k),
            k / s
        );
    }
    let med = |mut xs: Vec<f64>| {
        xs.sort_by(f64::total_cmp);
        let n = xs.len();
        if n % 2 == 1 {
            xs[n / 2]
        } else {
            (xs[n / 2 - 1] + xs[n / 2]) / 2.0
        }
    };
    let s = med(rows.iter().map(|r| r.1).collect());
    let k = med(rows.iter().map(|r| r.2).collect());
    let ratio = med(rows.iter().map(|r| r.2 / r.1).collect());
    println!(
        "  {:<36} {:>10} {:>10} {:>7.0}x",
        "median over requests",
        fmt_ns(s),
        fmt_ns(k),
        ratio
    );
}
