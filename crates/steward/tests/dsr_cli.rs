//! `steward dsr …` on a fresh data directory: submit on someone's behalf, the queue, the code
//! from the file outbox, approval, a run across an SQLite dataset (with a failure, then a
//! re-run), the receipt, and connection strings that never show.
#![expect(
    clippy::unwrap_used,
    reason = "test code: a failed step fails the test"
)]

use std::process::{Command, Output};

fn steward(dir: &std::path::Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_steward"));
    c.args(args)
        .arg("--data-dir")
        .arg(dir.join("data"))
        .current_dir(dir);
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

const ANNOTATION: &str = r#"
[[tables]]
name = "customers"
identity = { column = "email", kind = "email" }
action = "delete"
"#;

#[test]
fn submit_verify_approve_run_and_receipt() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let shop = d.join("shop.db");
    let c = rusqlite::Connection::open(&shop).unwrap();
    c.execute_batch(
        "CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT);
         INSERT INTO customers (email) VALUES ('jane@example.com'), ('bob@example.com');
         CREATE TRIGGER frozen BEFORE DELETE ON customers BEGIN SELECT RAISE(ABORT, 'frozen'); END;",
    )
    .unwrap();
    std::fs::write(d.join("shop.toml"), ANNOTATION).unwrap();
    let shop_url = shop.to_string_lossy().to_string();
    let o = steward(
        d,
        &[
            "dsr",
            "connector",
            "add-dataset",
            "--name",
            "shop",
            "--kind",
            "sqlite",
            "--annotation",
            "shop.toml",
            "--from-env",
            "SHOP_DB",
        ],
        &[("SHOP_DB", &shop_url)],
    );
    assert!(o.status.success(), "{}", text(&o));
    let o = steward(d, &["dsr", "connector", "list"], &[]);
    assert!(
        text(&o).contains("secret:sealed") && !text(&o).contains("shop.db"),
        "{}",
        text(&o)
    );

    let o = steward(
        d,
        &[
            "dsr",
            "submit",
            "--kind",
            "deletion",
            "--email",
            "jane@example.com",
            "--jurisdiction",
            "US-CA",
        ],
        &[],
    );
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("awaiting_verification"), "{}", text(&o));
    let o = steward(d, &["dsr", "list", "--json"], &[]);
    let row: serde_json::Value =
        serde_json::from_str(String::from_utf8_lossy(&o.stdout).lines().next().unwrap()).unwrap();
    let id = row["id"].as_str().unwrap().to_string();
    assert_eq!(row["kind"], "deletion");

    // The code is in the file outbox.
    let code = std::fs::read_dir(d.join("data/outbox"))
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .find(|t| t.contains("confirmation code"))
        .map(|t| t.split("is:\r\n\r\n    ").nth(1).unwrap()[..6].to_string())
        .unwrap();
    let o = steward(d, &["dsr", "verify", &id, &code], &[]);
    assert!(text(&o).contains("verified"), "{}", text(&o));
    let o = steward(d, &["dsr", "approve", &id, "--data-points", "1"], &[]);
    assert!(o.status.success(), "{}", text(&o));

    let o = steward(d, &["dsr", "run", &id], &[]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(
        text(&o).contains("dataset:shop failed") && text(&o).contains("frozen"),
        "{}",
        text(&o)
    );
    c.execute_batch("DROP TRIGGER frozen;").unwrap();
    let o = steward(d, &["dsr", "run", &id], &[]);
    assert!(o.status.success(), "{}", text(&o));
    let left: Vec<String> = c
        .prepare("SELECT email FROM customers")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(left, ["bob@example.com"]);

    let o = steward(d, &["dsr", "receipt", &id, "--json"], &[]);
    let r: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(r["state"], "completed");
    assert_eq!(r["systems"][0]["system"], "dataset:shop");
    assert_eq!(r["systems"][0]["detail"]["tables"][0]["rows"], 1);
    let o = steward(d, &["dsr", "metrics"], &[]);
    let m: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(m["open"], 0);
    // The audit chain still verifies.
    let v = steward(d, &["audit", "verify", "--json"], &[]);
    let j: serde_json::Value = serde_json::from_slice(&v.stdout).unwrap();
    assert_eq!(j["ok"], true, "{}", text(&v));
}

#[test]
fn an_access_request_reads_a_connected_sqlite_dataset_into_its_report() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let shop = d.join("shop.db");
    let c = rusqlite::Connection::open(&shop).unwrap();
    c.execute_batch(
        "CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT, full_name TEXT, vip INTEGER);
         INSERT INTO customers VALUES (1, 'carol@example.com', 'Carol Danvers', 1), (2, 'bob@example.com', 'Bob', 0);",
    )
    .unwrap();
    std::fs::write(
        d.join("shop.toml"),
        r#"
[[tables]]
name = "customers"
identity = { column = "email", kind = "email" }
action = "mask"
columns = { email = "email", full_name = "name" }
"#,
    )
    .unwrap();
    let shop_url = shop.to_string_lossy().to_string();
    let add = [
        "dsr",
        "connector",
        "add-dataset",
        "--name",
        "shop",
        "--kind",
        "sqlite",
        "--annotation",
        "shop.toml",
        "--env-ref",
        "SHOP_DB",
    ];
    let o = steward(d, &add, &[]);
    assert!(o.status.success(), "{}", text(&o));
    let o = steward(
        d,
        &[
            "dsr",
            "submit",
            "--kind",
            "access",
            "--email",
            "carol@example.com",
            "--jurisdiction",
            "US-CA",
        ],
        &[],
    );
    assert!(o.status.success(), "{}", text(&o));
    let o = steward(d, &["dsr", "list", "--json"], &[]);
    let row: serde_json::Value =
        serde_json::from_str(String::from_utf8_lossy(&o.stdout).lines().next().unwrap()).unwrap();
    let id = row["id"].as_str().unwrap().to_string();
    let code = std::fs::read_dir(d.join("data/outbox"))
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .find(|t| t.contains("confirmation code"))
        .map(|t| t.split("is:\r\n\r\n    ").nth(1).unwrap()[..6].to_string())
        .unwrap();
    steward(d, &["dsr", "verify", &id, &code], &[]);
    let o = steward(
        d,
        &["dsr", "approve", &id, "--data-points", "2", "--declaration"],
        &[],
    );
    assert!(o.status.success(), "{}", text(&o));
    // The connection string comes from the environment at run time (`--env-ref`).
    let o = steward(d, &["dsr", "run", &id], &[("SHOP_DB", &shop_url)]);
    assert!(o.status.success(), "{}", text(&o));
    let o = steward(
        d,
        &[
            "dsr",
            "report",
            &id,
            "--format",
            "json",
            "--out",
            "report.json",
        ],
        &[],
    );
    assert!(o.status.success(), "{}", text(&o));
    let r: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("report.json")).unwrap()).unwrap();
    assert_eq!(r["confirmation"], true);
    assert_eq!(r["connected_systems"][0]["system"], "dataset:shop");
    assert_eq!(
        r["connected_systems"][0]["tables"][0]["rows"],
        serde_json::json!([["carol@example.com", "Carol Danvers"]])
    );
    let whole = std::fs::read_to_string(d.join("report.json")).unwrap();
    assert!(!whole.contains("Bob") && !whole.contains("vip"), "{whole}");
    // Read, not changed.
    let name: String = c
        .query_row("SELECT full_name FROM customers WHERE id = 1", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(name, "Carol Danvers");
}
