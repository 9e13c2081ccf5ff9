//! The use-case crates stay free of the outside world: the normal-dependency closure of
//! `steward-core` and of `steward-requests` (everything they link, transitively, leaving out
//! dev- and build-dependencies) holds no database driver, SMTP, HTTP, TLS or GeoIP crate.
//! Those belong to `steward-adapters`, which only the binary depends on. Read from
//! `cargo metadata`, so a new dependency that drags one in fails here.
#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failed step fails the test"
)]

use std::collections::{BTreeMap, BTreeSet};

/// Crates (or crate-name prefixes ending in `-`) the use-case crates must not depend on.
const FORBIDDEN: &[&str] = &[
    "rusqlite",
    "libsqlite3-sys",
    "tokio-postgres",
    "postgres-",
    "lettre",
    "rustls",
    "tokio-rustls",
    "hyper",
    "hyper-util",
    "hyper-rustls",
    "reqwest",
    "maxminddb",
    "webpki-roots",
    "native-tls",
    "openssl",
];

fn forbidden(name: &str) -> bool {
    FORBIDDEN.iter().any(|f| {
        if let Some(prefix) = f.strip_suffix('-') {
            name.starts_with(&format!("{prefix}-"))
        } else {
            name == *f
        }
    })
}

struct Graph {
    /// Package id → package name.
    names: BTreeMap<String, String>,
    /// Package id → ids of its normal dependencies.
    normal: BTreeMap<String, Vec<String>>,
}

fn graph() -> Graph {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    // The host's packages only: `--offline` cannot resolve other platforms' crates (windows
    // console crates, say) that a build on this machine never downloaded.
    let rustc = std::process::Command::new("rustc")
        .arg("-vV")
        .output()
        .expect("rustc -vV runs");
    let host = String::from_utf8_lossy(&rustc.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("host: ").map(str::to_string))
        .expect("rustc -vV names the host");
    let out = std::process::Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--offline"])
        .args(["--filter-platform", &host])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo metadata runs");
    assert!(
        out.status.success(),
        "cargo metadata failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let names = v["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["id"].as_str().unwrap().to_string(),
                p["name"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let normal = v["resolve"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            let deps = n["deps"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|d| {
                    d["dep_kinds"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|k| k["kind"].is_null())
                })
                .map(|d| d["pkg"].as_str().unwrap().to_string())
                .collect();
            (n["id"].as_str().unwrap().to_string(), deps)
        })
        .collect();
    Graph { names, normal }
}

impl Graph {
    fn id_of(&self, name: &str) -> String {
        self.names
            .iter()
            .find(|(_, n)| *n == name)
            .map(|(id, _)| id.clone())
            .unwrap_or_else(|| panic!("`{name}` is not in the workspace"))
    }

    /// The names in the normal-dependency closure of `name`, with the path that reaches each.
    fn closure(&self, name: &str) -> BTreeMap<String, Vec<String>> {
        let root = self.id_of(name);
        let mut seen: BTreeSet<String> = BTreeSet::new();
        let mut out = BTreeMap::new();
        let mut stack = vec![(root, vec![name.to_string()])];
        while let Some((id, path)) = stack.pop() {
            if !seen.insert(id.clone()) {
                continue;
            }
            for d in self.normal.get(&id).into_iter().flatten() {
                let dn = self.names[d].clone();
                let mut p = path.clone();
                p.push(dn.clone());
                out.entry(dn).or_insert_with(|| p.clone());
                stack.push((d.clone(), p));
            }
        }
        out
    }
}

#[test]
fn core_and_the_workflow_depend_on_no_driver_smtp_http_tls_or_geoip_crate() {
    let g = graph();
    for krate in ["steward-core", "steward-requests"] {
        let closure = g.closure(krate);
        assert!(
            closure.contains_key("steward-store") && closure.contains_key("serde"),
            "the closure of {krate} was read: {:?}",
            closure.keys().collect::<Vec<_>>()
        );
        let bad: Vec<String> = closure
            .iter()
            .filter(|(n, _)| forbidden(n))
            .map(|(_, path)| path.join(" → "))
            .collect();
        assert!(bad.is_empty(), "{krate} reaches: {bad:#?}");
    }
    // The adapters do reach them (the check looks at the right graph).
    let adapters = g.closure("steward-adapters");
    for n in [
        "rusqlite",
        "tokio-postgres",
        "lettre",
        "rustls",
        "hyper",
        "maxminddb",
    ] {
        assert!(
            adapters.contains_key(n),
            "steward-adapters should reach {n}"
        );
    }
}

#[test]
fn the_workspace_has_one_crypto_library_and_one_tls_stack() {
    let g = graph();
    let all: BTreeSet<&str> = g.names.values().map(String::as_str).collect();
    for other in [
        "aws-lc-rs",
        "aws-lc-sys",
        "openssl",
        "openssl-sys",
        "native-tls",
        "boring",
    ] {
        assert!(!all.contains(other), "`{other}` is in the dependency graph");
    }
    assert!(all.contains("ring") && all.contains("rustls"));
}
