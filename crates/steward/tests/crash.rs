//! The crash test of the whole service (AUD-01, the trust-under-faults work), on SQLite and on PostgreSQL:
//! `steward serve` runs with 16 concurrent HTTP writers recording consents and writing
//! items; it is killed with SIGKILL at a random moment (after a random number of acknowledged
//! writes, seeded and printed: `STEWARD_CRASH_SEED` replays a run), restarted on the same
//! data, and then
//!
//! - every acknowledged write (a 201 the writer received) is present;
//! - every committed write has its audit entry, and every such entry names a write that is
//!   there (choices by their ledger id, items by their item id) — committed and audited
//!   together or not at all, whatever was in flight when the process died;
//! - the audit log verifies (`POST /v1/audit/verify`, no pending audit intents), and after a
//!   graceful stop `steward audit verify` agrees.
//!
//! The PostgreSQL case needs `STEWARD_TEST_PG_URL` (set by `./scripts/test`).
#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::disallowed_methods,
    reason = "test code: a failed step fails the test"
)]

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const WRITERS: usize = 16;
const SUBJECTS: usize = 8;
const ROUNDS: usize = 3;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

fn seed() -> u64 {
    std::env::var("STEWARD_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos() as u64)
                .unwrap_or(1)
                | 1
        })
}

/// One HTTP/1.1 exchange on its own connection. `Err` when the connection fails (the server
/// is gone); a status that is not 2xx is returned as is.
fn http(
    addr: &str,
    method: &str,
    path: &str,
    key: &str,
    body: Option<&serde_json::Value>,
) -> std::io::Result<(u16, serde_json::Value)> {
    let mut s = TcpStream::connect(addr)?;
    s.set_read_timeout(Some(Duration::from_secs(60)))?;
    let body = body
        .map(|b| serde_json::to_vec(b).unwrap())
        .unwrap_or_default();
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nHost: test\r\nConnection: close\r\nAuthorization: Bearer {key}\r\n"
    );
    if method != "GET" {
        req.push_str(&format!(
            "Content-Type: application/json\r\nContent-Length: {}\r\n",
            body.len()
        ));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes())?;
    s.write_all(&body)?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw)?;
    let cut = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| std::io::Error::other("no complete response"))?;
    let head = String::from_utf8_lossy(&raw[..cut]).to_string();
    let status: u16 = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other("no status"))?;
    let mut payload = raw[cut + 4..].to_vec();
    if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        let mut out = Vec::new();
        let mut rest = &payload[..];
        while let Some(nl) = rest.windows(2).position(|w| w == b"\r\n") {
            let n = usize::from_str_radix(String::from_utf8_lossy(&rest[..nl]).trim(), 16)
                .map_err(|_| std::io::Error::other("bad chunk"))?;
            if n == 0 || rest.len() < nl + 2 + n {
                break;
            }
            out.extend_from_slice(&rest[nl + 2..nl + 2 + n]);
            rest = &rest[nl + 4 + n..];
        }
        payload = out;
    }
    let json = serde_json::from_slice(&payload).unwrap_or(serde_json::Value::Null);
    Ok((status, json))
}

/// A running `steward serve`.
struct Serve {
    child: Child,
    addr: String,
    log: Arc<Mutex<Vec<String>>>,
}

impl Serve {
    /// Starts the server and waits for "steward serving" (and, on a fresh store, for the
    /// bootstrap admin key it prints: stdout and stderr arrive in any order).
    fn start(
        data: &Path,
        store: Option<&str>,
        keyring: Option<&Path>,
        fresh: bool,
    ) -> (Serve, Option<String>) {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_steward"));
        cmd.arg("serve")
            .arg("--data-dir")
            .arg(data)
            .arg("--listen")
            .arg("127.0.0.1:0")
            .env("STEWARD_LOG_FORMAT", "text")
            .env("RUST_LOG", "info")
            .env_remove("STEWARD_AUDIT_WITNESS")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if let Some(url) = store {
            cmd.arg("--store").arg(url);
        }
        if let Some(k) = keyring {
            cmd.env("STEWARD_KEYRING", k);
        }
        let mut child = cmd.spawn().unwrap();
        let log = Arc::new(Mutex::new(Vec::new()));
        let (tx, rx) = std::sync::mpsc::channel::<String>();
        for stream in [
            Box::new(child.stdout.take().unwrap()) as Box<dyn Read + Send>,
            Box::new(child.stderr.take().unwrap()),
        ] {
            let tx = tx.clone();
            let log = Arc::clone(&log);
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines() {
                    let Ok(line) = line else { break };
                    let line = strip_ansi(&line);
                    log.lock().unwrap().push(line.clone());
                    let _ = tx.send(line);
                }
            });
        }
        let deadline = Instant::now() + Duration::from_secs(120);
        let mut key = None;
        let mut addr: Option<String> = None;
        loop {
            if let Some(a) = &addr
                && (key.is_some() || !fresh)
            {
                let addr = a.clone();
                return (Serve { child, addr, log }, key);
            }
            let left = deadline.saturating_duration_since(Instant::now());
            let Ok(line) = rx.recv_timeout(left) else {
                let _ = child.kill();
                let _ = child.wait();
                panic!(
                    "steward serve did not start:\n{}",
                    log.lock().unwrap().join("\n")
                );
            };
            if let Some(k) = line
                .split("): ")
                .nth(1)
                .filter(|_| line.contains("bootstrap admin API key"))
            {
                key = Some(k.trim().to_string());
            }
            if line.contains("steward serving")
                && let Some(a) = line.split_whitespace().find_map(|w| {
                    w.strip_prefix("listen=")
                        .or_else(|| w.strip_prefix("http://"))
                        .map(|a| a.trim_end_matches('/').to_string())
                })
            {
                addr = Some(a);
            }
        }
    }

    fn kill(mut self) {
        self.child.kill().unwrap(); // SIGKILL
        self.child.wait().unwrap();
    }

    /// SIGTERM: a graceful stop (flushes the audit log, signs a final checkpoint).
    fn stop(mut self) {
        let pid = self.child.id().to_string();
        let ok = Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success();
        assert!(ok, "kill -TERM {pid}");
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().unwrap() {
                assert!(
                    status.success(),
                    "graceful stop failed ({status}):\n{}",
                    self.log.lock().unwrap().join("\n")
                );
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("steward serve did not stop within 60 s of SIGTERM");
    }
}

/// What the writers were told was done (201 received).
#[derive(Default)]
struct Acked {
    choices: BTreeMap<String, BTreeSet<String>>,
    items: BTreeMap<String, BTreeSet<String>>,
}

/// Runs the writers until the server dies; returns how many writes were acknowledged.
fn write_until_killed(
    serve: Serve,
    key: &str,
    subjects: &[String],
    kill_after: usize,
    acked: &Arc<Mutex<Acked>>,
) -> usize {
    let addr = serve.addr.clone();
    let count = Arc::new(AtomicUsize::new(0));
    let killed = Arc::new(AtomicBool::new(false));
    let mut threads = Vec::new();
    for w in 0..WRITERS {
        let (addr, key, count, killed, acked) = (
            addr.clone(),
            key.to_string(),
            Arc::clone(&count),
            Arc::clone(&killed),
            Arc::clone(acked),
        );
        let subjects = subjects.to_vec();
        threads.push(std::thread::spawn(move || {
            for i in 0usize.. {
                let subject = &subjects[(w + i) % subjects.len()];
                let result = if i % 3 == 2 {
                    http(
                        &addr,
                        "POST",
                        "/v1/items",
                        &key,
                        Some(&serde_json::json!({
                            "subject_id": subject, "category": "postal_address",
                            "value": format!("{w} Crash Street {i}"),
                            "source": "direct:registration", "purpose": "service_provision"
                        })),
                    )
                    .map(|(status, body)| {
                        if status == 201 {
                            let id = body["item"]["id"].as_str().unwrap().to_string();
                            acked.lock().unwrap().items.entry(subject.clone()).or_default().insert(id);
                        }
                        status
                    })
                } else {
                    let k = if i % 2 == 0 { "cookie:analytics" } else { "marketing:first_party:email" };
                    http(
                        &addr,
                        "POST",
                        "/v1/choices",
                        &key,
                        Some(&serde_json::json!({
                            "subject_id": subject,
                            "choices": [{"key": k, "value": i % 4 < 2}, {"key": k, "value": i % 4 >= 2}]
                        })),
                    )
                    .map(|(status, body)| {
                        if status == 201 {
                            let mut a = acked.lock().unwrap();
                            let set = a.choices.entry(subject.clone()).or_default();
                            for id in body["choice_ids"].as_array().unwrap() {
                                set.insert(id.as_str().unwrap().to_string());
                            }
                        }
                        status
                    })
                };
                match result {
                    Ok(201) => {
                        count.fetch_add(1, Ordering::SeqCst);
                    }
                    Ok(status) => assert!(
                        killed.load(Ordering::SeqCst),
                        "writer {w}: status {status} while the server was up"
                    ),
                    Err(_) if killed.load(Ordering::SeqCst) => return,
                    Err(e) => panic!("writer {w}: {e} while the server was up"),
                }
            }
        }));
    }
    let started = Instant::now();
    while count.load(Ordering::SeqCst) < kill_after {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "only {} writes acknowledged in 120 s",
            count.load(Ordering::SeqCst)
        );
        std::thread::sleep(Duration::from_millis(1));
    }
    killed.store(true, Ordering::SeqCst);
    serve.kill();
    for t in threads {
        t.join().unwrap();
    }
    count.load(Ordering::SeqCst)
}

/// After a restart: acknowledged writes present, committed writes audited (and only them),
/// the chain verified with nothing pending.
fn check(addr: &str, key: &str, subjects: &[String], acked: &Acked) -> (usize, usize) {
    let (mut choices, mut items) = (0, 0);
    for s in subjects {
        let (status, ledger) = http(
            addr,
            "GET",
            &format!("/v1/subjects/{s}/choices/ledger"),
            key,
            None,
        )
        .unwrap();
        assert_eq!(status, 200, "{ledger}");
        let stored: BTreeSet<String> = ledger["entries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["id"].as_str().unwrap().to_string())
            .collect();
        let (status, list) =
            http(addr, "GET", &format!("/v1/subjects/{s}/items"), key, None).unwrap();
        assert_eq!(status, 200, "{list}");
        let stored_items: BTreeSet<String> = list["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["id"].as_str().unwrap().to_string())
            .collect();
        for id in acked.choices.get(s).into_iter().flatten() {
            assert!(
                stored.contains(id),
                "acknowledged choice {id} of {s} is missing"
            );
        }
        for id in acked.items.get(s).into_iter().flatten() {
            assert!(
                stored_items.contains(id),
                "acknowledged item {id} of {s} is missing"
            );
        }
        let audited = |kind: &str, action: &str, field: &str| -> BTreeSet<String> {
            let mut out = BTreeSet::new();
            let mut after = 0u64;
            loop {
                let (status, page) = http(
                    addr,
                    "GET",
                    &format!("/v1/audit?subject_id={s}&kind={kind}&limit=10000&after={after}"),
                    key,
                    None,
                )
                .unwrap();
                assert_eq!(status, 200, "{page}");
                for e in page["entries"].as_array().unwrap() {
                    if e["action"] == action {
                        for r in e["refs"].as_array().unwrap() {
                            if r["name"] == field {
                                assert!(
                                    out.insert(r["value"].as_str().unwrap().to_string()),
                                    "audited twice"
                                );
                            }
                        }
                    }
                }
                match page["next_after"].as_u64() {
                    Some(n) => after = n,
                    None => return out,
                }
            }
        };
        let audited_choices = audited("choice", "choice.record", "choice");
        let audited_items = audited("write", "item.write", "item");
        assert_eq!(
            stored, audited_choices,
            "subject {s}: every committed choice has its audit entry and every entry its choice"
        );
        assert_eq!(
            stored_items, audited_items,
            "subject {s}: every committed item has its audit entry and every entry its item"
        );
        choices += stored.len();
        items += stored_items.len();
    }
    let (status, v) = http(
        addr,
        "POST",
        "/v1/audit/verify",
        key,
        Some(&serde_json::json!({})),
    )
    .unwrap();
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["ok"], true, "{v}");
    assert_eq!(v["pending_intents"], 0, "{v}");
    (choices, items)
}

fn run(data: &Path, store: Option<&str>, keyring: Option<&Path>) {
    let seed = seed();
    println!("crash test seed: {seed} (rerun with STEWARD_CRASH_SEED={seed})");
    let mut rng = Rng(seed);
    let (serve, key) = Serve::start(data, store, keyring, true);
    let key = key.expect("a fresh store prints a bootstrap key");
    let subjects: Vec<String> = (0..SUBJECTS)
        .map(|i| {
            let (status, body) = http(
                &serve.addr,
                "POST",
                "/v1/subjects",
                &key,
                Some(&serde_json::json!({"jurisdiction": "US-CA",
                    "identities": [{"kind": "email", "value": format!("crash{i}@example.test")}]})),
            )
            .unwrap();
            assert_eq!(status, 201, "{body}");
            body["id"].as_str().unwrap().to_string()
        })
        .collect();
    let acked = Arc::new(Mutex::new(Acked::default()));
    let mut serve = serve;
    for round in 0..ROUNDS {
        let kill_after = 1 + (rng.next() % 600) as usize;
        let n = write_until_killed(serve, &key, &subjects, kill_after, &acked);
        let (restarted, _) = Serve::start(data, store, keyring, false);
        let (choices, items) = check(&restarted.addr, &key, &subjects, &acked.lock().unwrap());
        println!(
            "round {round}: killed after {n} acknowledged writes; {choices} choices and {items} items stored, each audited"
        );
        serve = restarted;
    }
    serve.stop();
    let mut verify = Command::new(env!("CARGO_BIN_EXE_steward"));
    verify
        .args(["audit", "verify", "--json", "--data-dir"])
        .arg(data);
    if let Some(url) = store {
        verify.arg("--store").arg(url);
    }
    if let Some(k) = keyring {
        verify.env("STEWARD_KEYRING", k);
    }
    let out = verify.output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    assert_eq!(out.status.code(), Some(0), "{v}");
    assert_eq!(v["ok"], true, "{v}");
    assert_eq!(v["unsigned"], 0, "the graceful stop signed the head: {v}");
    assert!(
        v["signed_head"].is_u64(),
        "the signed head outside the database was checked: {v}"
    );
}

#[test]
fn sqlite_sigkill_under_concurrent_writers_loses_and_unaudits_nothing() {
    let dir = tempfile::tempdir().unwrap();
    run(&dir.path().join("data"), None, None);
}

/// The PostgreSQL store in a fresh database of the test server; the key ring is made by a
/// first start on SQLite (a PostgreSQL deployment is given its key ring).
#[test]
fn postgres_sigkill_under_concurrent_writers_loses_and_unaudits_nothing() {
    let admin = match std::env::var("STEWARD_TEST_PG_URL") {
        Ok(url) if !url.trim().is_empty() => url,
        _ => panic!(
            "STEWARD_TEST_PG_URL is not set: this test needs a PostgreSQL server. Run it through \
             ./scripts/test, which starts a throwaway cluster and sets the variable."
        ),
    };
    let name = format!("steward_crash_{}", std::process::id());
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let (client, conn) = tokio_postgres::connect(&admin, tokio_postgres::NoTls)
            .await
            .unwrap();
        tokio::spawn(conn);
        client
            .batch_execute(&format!("DROP DATABASE IF EXISTS {name}"))
            .await
            .unwrap();
        client
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .await
            .unwrap();
    });
    let url = db_url(&admin, &name);
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    // The key ring: created by a SQLite start, then handed to the PostgreSQL deployment.
    let keys = Command::new(env!("CARGO_BIN_EXE_steward"))
        .args(["keys", "status", "--data-dir"])
        .arg(dir.path().join("bootstrap"))
        .output()
        .unwrap();
    assert!(
        keys.status.success(),
        "{}",
        String::from_utf8_lossy(&keys.stderr)
    );
    let keyring: PathBuf = dir.path().join("bootstrap/keyring.json");
    assert!(keyring.exists());
    std::fs::create_dir_all(&data).unwrap();
    run(&data, Some(&url), Some(&keyring));
    rt.block_on(async {
        let (client, conn) = tokio_postgres::connect(&admin, tokio_postgres::NoTls)
            .await
            .unwrap();
        tokio::spawn(conn);
        let _ = client
            .batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .await;
    });
}

/// A log line without terminal colour codes.
fn strip_ansi(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// `url` with its database name replaced by `db`.
fn db_url(url: &str, db: &str) -> String {
    if let Some(scheme_end) = url.find("://") {
        let (head, rest) = url.split_at(scheme_end + 3);
        let (authority_and_path, query) = match rest.find('?') {
            Some(q) => rest.split_at(q),
            None => (rest, ""),
        };
        let authority = authority_and_path
            .find('/')
            .map_or(authority_and_path, |slash| &authority_and_path[..slash]);
        format!("{head}{authority}/{db}{query}")
    } else {
        format!("{url} dbname={db}")
    }
}
