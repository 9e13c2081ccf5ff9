//! Runs every policy test case in `policies/tests/` against the shipped policy
//! and checks the coverage of the catalog's decision requirements
//! (`policies/tests/DECISION_REQUIREMENTS`): every listed id must have at least
//! one passing case.
#![expect(
    clippy::unwrap_used,
    reason = "test code: a failed step fails the test"
)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn tests_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../policies/tests")
}

fn case_files() -> Vec<(String, String)> {
    let dir = tests_dir();
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    let mut files = Vec::new();
    for p in paths {
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        if p.extension().is_some_and(|e| e == "toml") && name != "fixtures.toml" {
            files.push((
                format!("policies/tests/{name}"),
                std::fs::read_to_string(&p).unwrap(),
            ));
        }
    }
    files
}

/// The suite, run once for all the tests of this file.
fn suite() -> &'static steward_policy::cases::SuiteReport {
    static REPORT: std::sync::OnceLock<steward_policy::cases::SuiteReport> =
        std::sync::OnceLock::new();
    REPORT.get_or_init(|| {
        let fixtures_src = std::fs::read_to_string(tests_dir().join("fixtures.toml")).unwrap();
        let fixtures =
            steward_policy::cases::parse_fixtures("fixtures.toml", &fixtures_src).unwrap();
        steward_policy::cases::run(
            steward_policy::DEFAULT_POLICY_NAME,
            steward_policy::DEFAULT_POLICY,
            &fixtures,
            &case_files(),
        )
        .unwrap()
    })
}

/// The ids of `DECISION_REQUIREMENTS` (comments start with `#`).
fn decision_requirements() -> Vec<String> {
    let text = std::fs::read_to_string(tests_dir().join("DECISION_REQUIREMENTS")).unwrap();
    text.lines()
        .map(|l| l.split('#').next().unwrap_or(""))
        .flat_map(str::split_whitespace)
        .map(str::to_string)
        .collect()
}

/// `AREA-NN`: an upper-case area (letters and digits) and a number, as in the catalog.
fn well_formed(id: &str) -> bool {
    let Some((area, num)) = id.rsplit_once('-') else {
        return false;
    };
    !area.is_empty()
        && area.bytes().next().is_some_and(|b| b.is_ascii_uppercase())
        && area
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        && (2..=3).contains(&num.len())
        && num.bytes().all(|b| b.is_ascii_digit())
}

#[test]
fn every_policy_case_passes() {
    let report = suite();
    let failed: Vec<String> = report
        .failed()
        .map(|r| {
            format!(
                "{} :: {}\n  {}\n  response: {}",
                r.file,
                r.id,
                r.failures.join("\n  "),
                r.response
            )
        })
        .collect();
    assert!(
        failed.is_empty(),
        "{} of {} cases failed:\n{}",
        failed.len(),
        report.results.len(),
        failed.join("\n")
    );
    assert!(report.results.len() >= 2);
}

#[test]
fn every_decision_requirement_has_a_passing_case() {
    let listed = decision_requirements();
    let unique: BTreeSet<&String> = listed.iter().collect();
    assert_eq!(
        unique.len(),
        listed.len(),
        "DECISION_REQUIREMENTS lists an id twice"
    );
    assert_eq!(
        listed.len(),
        120,
        "DECISION_REQUIREMENTS should list the 120 decision requirements"
    );
    let report = suite();
    let covered = report.covered();
    let missing: Vec<&String> = listed.iter().filter(|id| !covered.contains(*id)).collect();
    let n = listed.len() - missing.len();
    println!(
        "decision requirements covered by passing policy cases: {n}/{} ({} cases, {} passing)",
        listed.len(),
        report.results.len(),
        report.results.iter().filter(|r| r.passed).count()
    );
    assert!(
        missing.is_empty(),
        "decision requirements with no passing case ({n}/{} covered): {missing:?}",
        listed.len()
    );
}

#[test]
fn every_requirement_id_is_well_formed() {
    for id in decision_requirements() {
        assert!(
            well_formed(&id),
            "DECISION_REQUIREMENTS: `{id}` is not a requirement id"
        );
    }
    let report = suite();
    let mut bad = Vec::new();
    for r in &report.results {
        if r.requirements.is_empty() {
            bad.push(format!("{} :: {} lists no requirement", r.file, r.id));
        }
        for id in &r.requirements {
            if !well_formed(id) {
                bad.push(format!("{} :: {} lists `{id}`", r.file, r.id));
            }
        }
    }
    assert!(
        bad.is_empty(),
        "malformed requirement ids in cases:\n{}",
        bad.join("\n")
    );
}

#[test]
fn case_ids_are_unique() {
    let report = suite();
    let mut seen = BTreeSet::new();
    let dup: Vec<&str> = report
        .results
        .iter()
        .map(|r| r.id.as_str())
        .filter(|id| !seen.insert(*id))
        .collect();
    assert!(dup.is_empty(), "duplicate case ids: {dup:?}");
}

#[test]
fn the_well_formedness_check_rejects_bad_ids() {
    for good in ["MP-02", "DEC-00", "GPC-03", "CCPA-18", "USPS-10"] {
        assert!(well_formed(good), "{good}");
    }
    for bad in [
        "mp-02", "MP02", "MP-", "-02", "MP-2", "MP-0002", "MP-O2", "2MP-02", "",
    ] {
        assert!(!well_formed(bad), "{bad}");
    }
}

#[test]
fn a_wrong_expectation_fails_its_case() {
    // The runner must be able to fail: the same request with a wrong reason.
    let fixtures = steward_policy::cases::parse_fixtures(
        "fixtures.toml",
        &std::fs::read_to_string(tests_dir().join("fixtures.toml")).unwrap(),
    )
    .unwrap();
    let file = r#"
[[case]]
id = "wrong on purpose"
requirements = ["MP-02"]
subject = "S_US"
request = { op = "can_disclose", categories = ["email"], recipient = "MP1", purpose = "third_party_promotional_mail", context = { now = "2024-03-04T17:00:00Z" } }
expect = { allow = true, reason = "OK" }
"#;
    let report = steward_policy::cases::run(
        steward_policy::DEFAULT_POLICY_NAME,
        steward_policy::DEFAULT_POLICY,
        &fixtures,
        &[("inline.toml".to_string(), file.to_string())],
    )
    .unwrap();
    assert_eq!(report.results.len(), 1);
    assert!(!report.results[0].passed);
    assert!(report.covered().is_empty());
}

/// Requirement ids are written one by one (`MP-02, MP-03`), never as ranges or shorthand
/// (`MP-02…06`, `MP-02/03`), in every crate, the policies, the docs and the top-level pages, so
/// that `grep -rn MP-03` finds every place that cites it.
#[test]
fn requirement_ids_are_written_canonically() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut files: Vec<PathBuf> = Vec::new();
    let mut dirs = vec![
        root.join("crates"),
        root.join("policies"),
        root.join("docs"),
        root.join("bench"),
    ];
    for page in [
        "README.md",
        "ARCHITECTURE.md",
        "BENCHMARKS.md",
        "SECURITY.md",
    ] {
        files.push(root.join(page));
    }
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if p.is_dir() {
                // Build output and installed packages are not ours.
                if !matches!(name, "target" | "node_modules") {
                    dirs.push(p);
                }
            } else if [".rs", ".md", ".toml", ".html", ".sh"]
                .iter()
                .any(|ext| name.ends_with(ext))
            {
                files.push(p);
            }
        }
    }
    let mut bad = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        for (n, line) in text.lines().enumerate() {
            // This very test spells the forms it rejects.
            if line.contains("never as ranges or shorthand") || line.contains("(`MP-02…06`") {
                continue;
            }
            let b = line.as_bytes();
            for (i, _) in line.match_indices('-') {
                // `AREA-NN` followed by `/NN`, `…NN` or `..NN`.
                let area_ok = i > 0 && b[i - 1].is_ascii_uppercase()
                    || (i > 0
                        && b[i - 1].is_ascii_digit()
                        && i > 1
                        && b[i - 2].is_ascii_uppercase());
                let digits = b[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
                if !area_ok || !(2..=3).contains(&digits) {
                    continue;
                }
                let rest = &line[i + 1 + digits..];
                let shorthand = ["/", "…", "..", "–"].iter().any(|sep| {
                    rest.strip_prefix(sep).is_some_and(|r| {
                        r.trim_start_matches('.')
                            .starts_with(|c: char| c.is_ascii_digit())
                    })
                });
                if shorthand {
                    bad.push(format!("{}:{}: {line}", f.display(), n + 1));
                }
            }
        }
    }
    assert!(
        bad.is_empty(),
        "requirement id ranges or shorthand:\n{}",
        bad.join("\n")
    );
}
