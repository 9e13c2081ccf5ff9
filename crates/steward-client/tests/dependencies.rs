//! The client is built on the API's types only: its normal-dependency closure (read from
//! `cargo metadata`, dev- and build-dependencies left out) holds `steward-api` and the policy's
//! wire types, and none of the server, the use cases, the store or the vault; and its HTTP
//! stack is rustls on ring, the workspace's one TLS stack and crypto library.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed step fails the test"
)]

use std::collections::{BTreeMap, BTreeSet};

#[test]
fn the_client_depends_on_the_api_types_and_not_on_the_server_side() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = std::process::Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--offline"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo metadata runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let names: BTreeMap<&str, &str> = v["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["id"].as_str().unwrap(), p["name"].as_str().unwrap()))
        .collect();
    let normal: BTreeMap<&str, Vec<&str>> = v["resolve"]["nodes"]
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
                .map(|d| d["pkg"].as_str().unwrap())
                .collect();
            (n["id"].as_str().unwrap(), deps)
        })
        .collect();
    let root = names
        .iter()
        .find(|(_, n)| **n == "steward-client")
        .map(|(id, _)| *id)
        .unwrap();
    let mut seen = BTreeSet::new();
    let mut stack = vec![root];
    while let Some(id) = stack.pop() {
        if seen.insert(id) {
            stack.extend(normal.get(id).into_iter().flatten().copied());
        }
    }
    let closure: BTreeSet<&str> = seen.iter().map(|id| names[id]).collect();
    for needed in [
        "steward-api",
        "steward-policy",
        "hyper-rustls",
        "rustls",
        "ring",
    ] {
        assert!(
            closure.contains(needed),
            "steward-client should reach {needed}"
        );
    }
    for server_side in [
        "steward-core",
        "steward-requests",
        "steward-store",
        "steward-vault",
        "steward-server",
        "steward-adapters",
        "rusqlite",
        "tokio-postgres",
        "axum",
    ] {
        assert!(
            !closure.contains(server_side),
            "steward-client reaches {server_side}: it must stay on the API types"
        );
    }
}
