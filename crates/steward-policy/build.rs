//! Embeds the shipped policy test cases (policies/tests/*.toml) so that
//! `steward policy test` and the API can run them without the source tree.
use std::fmt::Write as _;
use std::path::Path;

#[expect(
    clippy::panic,
    reason = "a build script fails the build by panicking, with the message"
)]
fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../policies/tests");
    println!("cargo:rerun-if-changed={}", dir.display());
    // A missing or empty case directory is a build error, never a silently empty suite (the
    // API's `GET /v1/policy/tests` would report 0 of 0 cases passed).
    let mut files: Vec<_> = match std::fs::read_dir(&dir) {
        Ok(rd) => rd.filter_map(Result::ok).map(|e| e.path()).collect(),
        Err(e) => panic!(
            "cannot read the shipped policy cases in {}: {e}",
            dir.display()
        ),
    };
    files.sort();
    assert!(
        files.iter().any(|p| p.ends_with("fixtures.toml")),
        "no fixtures.toml among the shipped policy cases in {}",
        dir.display()
    );
    let mut out = String::from(
        "/// The shipped case files as (name, text); `fixtures.toml` first.\npub const SHIPPED_CASES: &[(&str, &str)] = &[\n",
    );
    for p in &files {
        println!("cargo:rerun-if-changed={}", p.display());
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        if p.extension().is_some_and(|e| e == "toml") && name == "fixtures.toml" {
            let _ = writeln!(
                out,
                "    ({:?}, include_str!({:?})),",
                format!("policies/tests/{name}"),
                p.display().to_string()
            );
        }
    }
    for p in &files {
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        if p.extension().is_some_and(|e| e == "toml") && name != "fixtures.toml" {
            let _ = writeln!(
                out,
                "    ({:?}, include_str!({:?})),",
                format!("policies/tests/{name}"),
                p.display().to_string()
            );
        }
    }
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into()))
        .join("shipped_cases.rs");
    if let Err(e) = std::fs::write(&dest, out) {
        println!("cargo:warning=cannot write {}: {e}", dest.display());
    }
}
