//! `steward policy version` / `policy notices queue` / `policy notices list` on a data
//! directory whose policy history the server recorded (CHG-01, CHG-03, CHG-04): one version
//! shown with its change summary, the change notices of a material version queued once per
//! person it concerns and counted per version, and the usage errors (exit 2).
#![expect(
    clippy::unwrap_used,
    clippy::panic,
    clippy::disallowed_methods,
    reason = "test code: a failed step fails the test; it waits for the server by the real time"
)]

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};

/// The server process, stopped when dropped.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn steward(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_steward"))
        .args(args)
        .arg("--data-dir")
        .arg(dir.join("data"))
        .current_dir(dir)
        .env_remove("STEWARD_POLICY")
        .output()
        .unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn json(o: &Output) -> serde_json::Value {
    assert!(o.status.success(), "{}", text(o));
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(o)))
}

/// Starts `steward serve` on `policy` (it records the text in the history), waits until it
/// listens and the version is recorded, then stops it.
fn record_with_server(dir: &Path, policy: &Path, version: &str) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_steward"))
        .args(["serve", "--listen", "127.0.0.1:0", "--log-format", "text"])
        .arg("--policy")
        .arg(policy)
        .arg("--data-dir")
        .arg(dir.join("data"))
        .current_dir(dir)
        .env_remove("STEWARD_POLICY")
        .env_remove("STEWARD_POLICY_POLL")
        .env("STEWARD_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let server = Server(child);
    let mut listening = false;
    for line in BufReader::new(stdout).lines() {
        if line.unwrap().starts_with("steward serving on http://") {
            listening = true;
            break;
        }
    }
    assert!(listening, "the server never listened");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let o = steward(dir, &["policy", "versions", "--format", "json"]);
        if o.status.success() {
            let list: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
            if list
                .as_array()
                .unwrap()
                .iter()
                .any(|v| v["version"] == version)
            {
                break;
            }
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{version} was never recorded"
        );
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    drop(server);
}

/// v2 of the shipped policy: a new purpose for e-mail addresses (material: needs notice).
fn v2() -> String {
    steward_policy::patch::apply(
        steward_policy::DEFAULT_POLICY,
        r#"
[policy]
version = "2024-03-01"
effective = "2024-03-01"

[[purpose]]
id = "product_research"
name = "Research new products with the e-mail addresses of customers"
categories = ["email"]
legal_basis = { gdpr = "consent", ccpa = "business_purpose" }
consent = { eu = "opt_in", us = "opt_out", other = "opt_out" }
clause = "2(b) To Improve Services and Develop New Services"
requirements = ["CHG-03"]
"#,
    )
    .unwrap()
}

const CSV: &str = "ref,kind,jurisdiction,email,item:email,item:postal_address\n\
c1,customer_account_holder,US-CA,ann@example.com,ann@example.com,1 Main St\n\
c2,customer_account_holder,DE,carol@example.com,carol@example.com,Hauptstr 2\n\
c3,customer_account_holder,US-TX,dan@example.com,,3 Elm St\n";

#[test]
fn chg04_a_version_is_shown_and_its_notices_queued_once_and_counted() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let v1_path = d.join("v1.toml");
    std::fs::write(&v1_path, steward_policy::DEFAULT_POLICY).unwrap();
    let v2_path = d.join("v2.toml");
    std::fs::write(&v2_path, v2()).unwrap();

    // Nothing recorded yet: the version is unknown (a usage error), no notices.
    let o = steward(d, &["policy", "version", "2020-01-17"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(
        text(&o).contains("no policy version `2020-01-17`"),
        "{}",
        text(&o)
    );
    let o = steward(d, &["policy", "notices", "list"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("no change notices queued"),
        "{}",
        text(&o)
    );

    // The server records v1, then v2 (against v1: a new purpose on e-mail addresses).
    record_with_server(d, &v1_path, "2020-01-17");
    record_with_server(d, &v2_path, "2024-03-01");

    let o = steward(d, &["policy", "version", "2024-03-01"]);
    assert!(o.status.success(), "{}", text(&o));
    let t = text(&o);
    assert!(t.contains("effective    2024-03-01"), "{t}");
    assert!(t.contains("material     yes"), "{t}");
    assert!(t.contains("product_research"), "{t}");
    assert!(
        !t.contains("[[purpose]]"),
        "the text only with --with-text: {t}"
    );
    let j = json(&steward(
        d,
        &["policy", "version", "2024-03-01", "--format", "json"],
    ));
    assert_eq!(j["version"], "2024-03-01");
    assert_eq!(j["material"], true);
    assert_eq!(j["sha256"].as_str().unwrap().len(), 64);
    assert!(
        j["changes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["kind"] == "purpose"
                && c["id"] == "product_research"
                && c["material"] == true),
        "{j}"
    );
    assert_eq!(j["text"], v2());
    let t = text(&steward(
        d,
        &["policy", "version", "2024-03-01", "--with-text"],
    ));
    assert!(t.contains("product_research"), "{t}");
    assert!(t.contains("[policy]"), "{t}");
    let j = json(&steward(
        d,
        &["policy", "version", "2020-01-17", "--format", "json"],
    ));
    assert_eq!(j["material"], false);

    // Two people hold e-mail addresses, one only a postal address.
    std::fs::write(d.join("people.csv"), CSV).unwrap();
    let o = steward(d, &["import", "people.csv"]);
    assert!(o.status.success(), "{}", text(&o));

    // Queued under the policy that names the new purpose: the two e-mail holders, once.
    let v2_arg = v2_path.to_str().unwrap();
    let o = steward(
        d,
        &[
            "policy",
            "notices",
            "queue",
            "2024-03-01",
            "--policy",
            v2_arg,
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("queued 2 change notice(s) of version 2024-03-01"),
        "{}",
        text(&o)
    );
    let j = json(&steward(
        d,
        &[
            "policy",
            "notices",
            "queue",
            "2024-03-01",
            "--policy",
            v2_arg,
            "--format",
            "json",
        ],
    ));
    assert_eq!(j, serde_json::json!({"version": "2024-03-01", "queued": 0}));
    // A version with nothing material queues nothing.
    let o = steward(
        d,
        &[
            "policy",
            "notices",
            "queue",
            "2020-01-17",
            "--policy",
            v2_arg,
        ],
    );
    assert!(text(&o).contains("queued 0"), "{}", text(&o));

    let o = steward(d, &["policy", "notices", "list"]);
    assert!(o.status.success(), "{}", text(&o));
    let t = text(&o);
    assert!(
        t.lines().any(|l| l.starts_with("2024-03-01")
            && l.contains("queued      2")
            && l.contains("sent      0")
            && l.contains("pending      2")),
        "{t}"
    );
    assert!(!t.contains("example.com"), "counts only: {t}");
    let j = json(&steward(
        d,
        &[
            "policy",
            "notices",
            "list",
            "2024-03-01",
            "--format",
            "json",
        ],
    ));
    assert_eq!(
        j,
        serde_json::json!([{"version": "2024-03-01", "queued": 2, "sent": 0, "pending": 2}])
    );
    assert_eq!(
        json(&steward(
            d,
            &[
                "policy",
                "notices",
                "list",
                "2020-01-17",
                "--format",
                "json"
            ],
        )),
        serde_json::json!([])
    );

    // Usage errors (exit 2): an unknown version, a missing argument.
    for args in [
        &["policy", "notices", "queue", "1999-01-01"][..],
        &["policy", "notices", "list", "1999-01-01"][..],
        &["policy", "notices", "queue"][..],
        &["policy", "version"][..],
    ] {
        let o = steward(d, args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", text(&o));
    }

    // The queueing is audited, and the chain verifies.
    let v = json(&steward(d, &["audit", "verify", "--json"]));
    assert_eq!(v["ok"], true, "{v}");
}
