//! `steward events import`, `steward events counts` and `steward retention run` on a fresh
//! data directory.
#![expect(
    clippy::unwrap_used,
    reason = "test code: a failed step fails the test"
)]

use std::process::{Command, Output};

fn steward(dir: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_steward"))
        .args(args)
        .arg("--data-dir")
        .arg(dir.join("data"))
        .current_dir(dir)
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

const EVENTS: &str = r#"{"type":"page_view","tracker":"analytics_uid","cookie_id":"c-1","ip":"203.0.113.7","page":"/rates?x=1","jurisdiction":"US-TX"}
{"type":"page_view","tracker":"analytics_uid","cookie_id":"c-2","ip":"203.0.113.8","jurisdiction":"FR"}
not json at all
{"type":"page_view","tracker":"analytics_uid","ip":"300.1.1.1"}

{"type":"click","tracker":"session_cookie","cookie_id":"c-3","link":"/offer","jurisdiction":"DE"}
"#;

#[test]
fn events_are_imported_through_the_gate_counted_and_swept() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("events.jsonl"), EVENTS).unwrap();
    let o = steward(dir.path(), &["events", "import", "events.jsonl", "--json"]);
    assert!(o.status.success(), "{}", text(&o));
    let j: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(j["events"], 5);
    assert_eq!(j["accepted"], 1);
    assert_eq!(
        j["stripped"], 1,
        "the session cookie may not carry the link"
    );
    assert_eq!(j["dropped"], 1, "an EU device without analytics consent");
    assert_eq!(j["rejected"], 2);
    let lines: Vec<u64> = j["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, vec![2, 3, 4, 6], "problems are named by input line");
    let db = std::fs::read(dir.path().join("data/steward.db")).unwrap();
    let wal = std::fs::read(dir.path().join("data/steward.db-wal")).unwrap_or_default();
    for raw in [db, wal] {
        assert!(
            !String::from_utf8_lossy(&raw).contains("203.0.113"),
            "no raw address on disk"
        );
    }

    let o = steward(dir.path(), &["events", "counts", "--json"]);
    assert!(o.status.success(), "{}", text(&o));
    let rows: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let dropped = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["outcome"] == "dropped")
        .unwrap();
    assert_eq!(dropped["reason"], "CONSENT_REQUIRED");
    assert_eq!(dropped["count"], 1);

    let o = steward(dir.path(), &["retention", "run", "--dry-run", "--json"]);
    assert!(o.status.success(), "{}", text(&o));
    let r: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(r["dry_run"], true);
    assert_eq!(r["usage_events"]["done"], 0, "nothing is 13 months old yet");
    let o = steward(dir.path(), &["retention", "run"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("0 item(s) and row(s) were erased"),
        "{}",
        text(&o)
    );
}
