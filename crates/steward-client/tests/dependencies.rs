//! The client is built on the API's types only: its normal dependencies (as `cargo tree`
//! resolves them for this crate alone, feature `tower` on; dev- and build-dependencies left
//! out) hold `steward-api` and the policy's wire types, and none of the server, the use cases,
//! the store or the vault; its HTTP stack is rustls on ring, the workspace's one TLS stack and
//! crypto library. (`cargo metadata` would not do: it unifies features across the workspace,
//! where the server turns on `steward-api`'s `core`.)
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed step fails the test"
)]

use std::collections::BTreeSet;

#[test]
fn the_client_depends_on_the_api_types_and_not_on_the_server_side() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = std::process::Command::new(cargo)
        .args([
            "tree",
            "--offline",
            "-p",
            "steward-client",
            "--features",
            "tower",
            "-e",
            "normal",
            "--prefix",
            "none",
            "-f",
            "{p}",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo tree runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let closure: BTreeSet<&str> = text
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    for needed in [
        "steward-api",
        "steward-policy",
        "hyper-rustls",
        "rustls",
        "ring",
        "tower",
    ] {
        assert!(
            closure.contains(needed),
            "steward-client should reach {needed}: {closure:?}"
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
        "aws-lc-rs",
        "openssl",
        "native-tls",
    ] {
        assert!(
            !closure.contains(server_side),
            "steward-client reaches {server_side}: it must stay on the API types"
        );
    }
}
