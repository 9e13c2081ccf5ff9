//! Runs every policy test case in `policies/tests/` against the shipped policy
//! and checks the coverage of the catalog's decision requirements.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

fn suite() -> steward_policy::cases::SuiteReport {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../policies/tests");
    let fixtures_src = std::fs::read_to_string(dir.join("fixtures.toml")).unwrap();
    let fixtures = steward_policy::cases::parse_fixtures("fixtures.toml", &fixtures_src).unwrap();
    let mut files = Vec::new();
    let mut paths: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    paths.sort();
    for p in paths {
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        if p.extension().is_some_and(|e| e == "toml") && name != "fixtures.toml" {
            files.push((format!("policies/tests/{name}"), std::fs::read_to_string(&p).unwrap()));
        }
    }
    steward_policy::cases::run(steward_policy::DEFAULT_POLICY_NAME, steward_policy::DEFAULT_POLICY, &fixtures, &files).unwrap()
}

#[test]
fn every_policy_case_passes() {
    let report = suite();
    let failed: Vec<String> = report
        .failed()
        .map(|r| format!("{} :: {}\n  {}\n  response: {}", r.file, r.id, r.failures.join("\n  "), r.response))
        .collect();
    assert!(failed.is_empty(), "{} of {} cases failed:\n{}", failed.len(), report.results.len(), failed.join("\n"));
    assert!(report.results.len() >= 2);
}
