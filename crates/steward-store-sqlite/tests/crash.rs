//! Crash test: a writer process is killed with SIGKILL at random moments, again and again;
//! after each kill the database is reopened and every write the process had acknowledged
//! (printed) must be there, and the audit chain must verify.
//!
//! The kill moments are random (a seeded xorshift; the seed is printed and can be forced with
//! `STEWARD_CRASH_SEED`) and event-driven — after the N-th acknowledged write, or right after
//! start-up (during open and migrations) — never timed sleeps. `kill -9` tests the process
//! crash; power loss cannot be simulated here: it is covered by `synchronous = FULL`
//! (see `conn.rs`).

#![expect(
    clippy::unwrap_used,
    clippy::disallowed_methods,
    clippy::panic,
    reason = "test code: a failed step fails the test"
)]

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

use steward_store::verify::{SignatureCheck, verify_log};
use steward_store::{
    AuditLog, AuditSeq, ChoiceLedger, Ciphertext, Digest, DisclosureQuery, DisclosureRegister,
    DisclosureScope, EventId, ItemId, ItemStore, Party, SigningKeyId, SubjectId, SubjectStore,
};
use steward_store_sqlite::{SqliteOptions, SqliteStore};

const ROUNDS: usize = 8;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[derive(Default)]
struct Acks {
    subjects: BTreeSet<SubjectId>,
    choices: BTreeMap<SubjectId, BTreeSet<String>>,
    items: Vec<ItemId>,
    audit: BTreeMap<EventId, AuditSeq>,
    disclosures: BTreeMap<SubjectId, BTreeSet<String>>,
    lines: usize,
}

impl Acks {
    fn record(&mut self, line: &str) {
        let parts: Vec<&str> = line.split(' ').collect();
        match parts.as_slice() {
            ["subject", s] => {
                self.subjects.insert(s.parse().unwrap());
            }
            ["choice", s, id] => {
                self.choices
                    .entry(s.parse().unwrap())
                    .or_default()
                    .insert((*id).to_owned());
            }
            ["item", id] => self.items.push(id.parse().unwrap()),
            ["audit", seq, id] => {
                let seq = AuditSeq::new(seq.parse().unwrap()).unwrap();
                assert!(
                    self.audit.insert(id.parse().unwrap(), seq).is_none(),
                    "event acknowledged twice"
                );
            }
            ["disclosure", s, id] => {
                self.disclosures
                    .entry(s.parse().unwrap())
                    .or_default()
                    .insert((*id).to_owned());
            }
            _ => panic!("unexpected line from the writer: {line:?}"),
        }
        self.lines += 1;
    }
}

fn no_signatures(_: &SigningKeyId, _: &[u8], _: &[u8]) -> SignatureCheck {
    SignatureCheck::UnknownKey
}

async fn check(path: &Path, acks: &Acks) {
    let store = SqliteStore::open(path, SqliteOptions::default()).unwrap();
    for s in &acks.subjects {
        store.get_subject(*s).await.unwrap();
    }
    for id in &acks.items {
        let item = store.get_item(*id).await.unwrap();
        let expected = Ciphertext::new(Digest::sha256(&id.to_bytes()).0.to_vec()).unwrap();
        assert_eq!(
            item.value,
            Some(expected),
            "item {id} has the acknowledged value"
        );
    }
    for (s, ids) in &acks.choices {
        let stored: HashSet<String> = store
            .list_choices(&[Party::Subject(*s)])
            .await
            .unwrap()
            .into_iter()
            .map(|c| c.id.to_string())
            .collect();
        for id in ids {
            assert!(stored.contains(id), "acknowledged choice {id} lost");
        }
    }
    for (s, ids) in &acks.disclosures {
        let stored: HashSet<String> = store
            .list_disclosures(&DisclosureQuery::scope(
                DisclosureScope::Subject(*s),
                10_000,
            ))
            .await
            .unwrap()
            .into_iter()
            .map(|d| d.id.to_string())
            .collect();
        for id in ids {
            assert!(stored.contains(id), "acknowledged disclosure {id} lost");
        }
    }
    for (id, seq) in &acks.audit {
        let entry = store.audit_event(*id).await.unwrap();
        assert_eq!(entry.seq, *seq, "event {id} keeps its sequence number");
    }
    let report = verify_log(&store, &no_signatures, 10_000).await.unwrap();
    assert!(report.entries >= acks.audit.len() as u64);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_at_random_moments_loses_no_acknowledged_write() {
    let seed = std::env::var("STEWARD_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos() as u64)
                .unwrap_or(1)
                | 1
        });
    println!("crash test seed: {seed} (rerun with STEWARD_CRASH_SEED={seed})");
    let mut rng = Rng(seed);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("steward.db");
    let bin = env!("CARGO_BIN_EXE_steward-store-crash-writer");
    let mut acks = Acks::default();
    for round in 0..ROUNDS {
        let before = acks.lines;
        // One round in four is killed before its first acknowledgement (during open,
        // migrations or the first commits); the others after 1 to 3000 acknowledged writes.
        let kill_after = if rng.next().is_multiple_of(4) {
            0
        } else {
            1 + (rng.next() % 3000) as usize
        };
        let mut child = Command::new(bin)
            .arg(&path)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        let mut seen = 0;
        while seen < kill_after {
            line.clear();
            let n = out.read_line(&mut line).unwrap();
            if n == 0 {
                let status = child.wait().unwrap();
                let mut err = String::new();
                std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut err).unwrap();
                panic!("the writer exited on its own ({status}): {err}");
            }
            acks.record(line.trim_end());
            seen += 1;
        }
        child.kill().unwrap(); // SIGKILL on Unix
        child.wait().unwrap();
        // Lines already in the pipe were printed after their acknowledgement: count them too.
        // A line cut by the kill (no newline) is ignored.
        loop {
            line.clear();
            if out.read_line(&mut line).unwrap() == 0 {
                break;
            }
            if line.ends_with('\n') {
                acks.record(line.trim_end());
            }
        }
        println!(
            "round {round}: killed after {} acknowledged writes ({} in total)",
            acks.lines - before,
            acks.lines
        );
        check(&path, &acks).await;
    }
    assert!(
        acks.lines > 0,
        "the writer acknowledged nothing in {ROUNDS} rounds"
    );
    assert!(!acks.audit.is_empty());
}
