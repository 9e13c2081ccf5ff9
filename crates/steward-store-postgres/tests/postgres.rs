//! PostgreSQL-specific tests beyond the conformance suite: several stores (as several
//! processes would) on one database, concurrent start-up migrations, the no-plaintext check
//! through `pg_dump`, the indexed API key lookup, and the redacted connection details.

mod support;

use std::collections::BTreeSet;
use std::sync::Arc;

use steward_store::conformance::fixtures::{
    api_key, choice, decision_event, item, link, subject, token,
};
use steward_store::verify::{BreakKind, VerifyError, verify_log};
use steward_store::{
    ApiKeyStore, AuditLog, AuditSeq, ChoiceLedger, IdentityKind, ItemStore, NamedDigest, Party,
    Store, SubjectStore,
};
use steward_store_postgres::{PgOptions, PgStore};
use support::{TestDb, connect_raw};

fn no_signatures() -> impl steward_store::verify::SignatureVerifier {
    |_: &steward_store::SigningKeyId, _: &[u8], _: &[u8]| {
        steward_store::verify::SignatureCheck::UnknownKey
    }
}

/// AUD-01, AUD-02: two stores with separate pools and separate audit writers, each on its own
/// runtime thread (as two `steward serve` processes would be), append concurrently. Every
/// event gets exactly one number, the numbers are 1..=N without gaps, and the chain verifies.
#[test]
fn aud_02_two_stores_append_concurrently_and_the_chain_has_no_gaps() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let db = rt.block_on(TestDb::create());
    const TASKS: i64 = 6;
    const ROUNDS: i64 = 40;
    let writers: Vec<_> = (0..2)
        .map(|w| {
            let url = db.url.clone();
            std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(2)
                    .enable_all()
                    .build()
                    .unwrap();
                rt.block_on(async move {
                    let options = PgOptions {
                        pool_size: 4,
                        ..PgOptions::default()
                    };
                    let store = Arc::new(PgStore::connect(&url, options).await.unwrap());
                    let mut tasks = Vec::new();
                    for task in 0..TASKS {
                        let store = Arc::clone(&store);
                        tasks.push(tokio::spawn(async move {
                            let mut got = Vec::new();
                            for i in 0..ROUNDS {
                                let secs = w * 100_000 + task * 1000 + i;
                                // Every third call appends a batch of three.
                                let batch: Vec<_> = (0..if i % 3 == 0 { 3 } else { 1 })
                                    .map(|k| decision_event(None, secs * 10 + k))
                                    .collect();
                                let seqs = store.append_audit(&batch).await.unwrap();
                                for pair in seqs.windows(2) {
                                    assert_eq!(pair[1].get(), pair[0].get() + 1);
                                }
                                got.extend(seqs.into_iter().map(AuditSeq::get));
                            }
                            got
                        }));
                    }
                    let mut all = Vec::new();
                    for t in tasks {
                        all.extend(t.await.unwrap());
                    }
                    all
                })
            })
        })
        .collect();
    let mut numbers = BTreeSet::new();
    for w in writers {
        for n in w.join().unwrap() {
            assert!(numbers.insert(n), "sequence number {n} given twice");
        }
    }
    let per_store = TASKS * (ROUNDS + 2 * ((ROUNDS + 2) / 3));
    let total = 2 * per_store as u64;
    assert_eq!(numbers.len() as u64, total);
    assert_eq!(
        numbers.iter().copied().collect::<Vec<_>>(),
        (1..=total).collect::<Vec<_>>(),
        "gap-free"
    );
    rt.block_on(async {
        let store = db.store().await.unwrap();
        let report = verify_log(&store, &no_signatures(), 500).await.unwrap();
        assert_eq!(report.entries, total);
        assert_eq!(report.head, store.audit_head().await.unwrap());
    });
}

/// Several processes starting together on an empty database: one applies the migrations, the
/// others wait on the advisory lock and find the schema current.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn migrations_applied_once_when_stores_start_together() {
    let db = TestDb::create().await;
    let mut starts = Vec::new();
    for _ in 0..6 {
        let url = db.url.clone();
        starts.push(tokio::spawn(async move {
            PgStore::connect(&url, PgOptions::default()).await
        }));
    }
    for s in starts {
        let store = s.await.unwrap().unwrap();
        let status = store.schema_status().await.unwrap();
        assert_eq!(status.database, PgStore::schema_version());
    }
    let c = connect_raw(&db.url).await;
    let rows: i64 = c
        .query_one("SELECT COUNT(*) FROM steward_schema", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(rows, i64::from(PgStore::schema_version()));
}

/// PostgreSQL keeps the chain head in its own row: deleting the last entries without a
/// checkpoint is still caught as soon as anything is appended (the next entry chains to the
/// deleted one and leaves a gap).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn aud_02_deleted_tail_is_named_after_the_next_append() {
    let db = TestDb::create().await;
    let store = db.store().await.unwrap();
    for i in 0..8 {
        store
            .append_audit(&[decision_event(None, i)])
            .await
            .unwrap();
    }
    let c = support::attacker(&db.url).await;
    c.execute("DELETE FROM audit_log WHERE seq >= 7", &[])
        .await
        .unwrap();
    let seqs = store
        .append_audit(&[decision_event(None, 100)])
        .await
        .unwrap();
    assert_eq!(seqs[0].get(), 9, "numbering continues from the head row");
    match verify_log(&store, &no_signatures(), 100).await {
        Err(VerifyError::Broken(b)) => {
            assert_eq!((b.seq.get(), b.kind), (7, BreakKind::Removed));
        }
        other => panic!("expected a break, got {other:?}"),
    }
}

fn pg_dump_binary() -> std::path::PathBuf {
    let from_pg_config = std::process::Command::new("pg_config")
        .arg("--bindir")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| {
            std::path::PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()).join("pg_dump")
        });
    match from_pg_config {
        Some(p) if p.exists() => p,
        _ => "pg_dump".into(),
    }
}

/// AUD-04: a logical dump of the whole database (every table, every row) holds no plaintext
/// personal data; the stored ciphertext is in it (so a miss below means something).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn aud_04_no_plaintext_in_pg_dump() {
    let db = TestDb::create().await;
    let store = db.store().await.unwrap();
    let email = "dora.dump-marker@example.com";
    let name = "Dora Dumpmarker-Plaintext";
    let s = subject(&store).await;
    store
        .attach_identity(&link(s, token(IdentityKind::Email, email), 1))
        .await
        .unwrap();
    let items = [item(s, "email", email, 2), item(s, "name", name, 2)];
    store.put_items(&items).await.unwrap();
    store
        .append_choice(&choice(
            Party::Identity(token(IdentityKind::Email, email)),
            "marketing:email",
            true,
            3,
        ))
        .await
        .unwrap();
    let mut e = decision_event(Some(s), 4);
    e.digests = vec![NamedDigest {
        name: steward_store::FieldName::new("new_value").unwrap(),
        digest: steward_store::Digest::sha256(email.as_bytes()),
    }];
    store.append_audit(&[e]).await.unwrap();
    store
        .create_api_key(&api_key(
            "svc:dump",
            "stw_dump-marker-secret",
            &["decide"],
            5,
        ))
        .await
        .unwrap();
    let out = std::process::Command::new(pg_dump_binary())
        .args(["--data-only", "--no-owner", "--dbname", &db.url])
        .output()
        .expect("pg_dump runs (PostgreSQL client tools are installed with the server)");
    assert!(
        out.status.success(),
        "pg_dump failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let dump = String::from_utf8(out.stdout).unwrap();
    let hex: String = items[0]
        .value
        .as_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert!(
        dump.contains(&hex),
        "the dump must include the stored ciphertext (bytea hex)"
    );
    for marker in [
        email,
        name,
        "dump-marker",
        "Dumpmarker",
        "stw_dump-marker-secret",
    ] {
        assert!(
            !dump.contains(marker),
            "plaintext `{marker}` found in pg_dump"
        );
    }
}

/// SEC-05: the per-request lookup by key hash is an index lookup, not a scan.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sec_05_api_key_lookup_by_hash_uses_the_unique_index() {
    let db = TestDb::create().await;
    let store = db.store().await.unwrap();
    for i in 0..50 {
        store
            .create_api_key(&api_key(
                "svc:k",
                &format!("stw_secret-{i}"),
                &["decide"],
                i,
            ))
            .await
            .unwrap();
    }
    let c = connect_raw(&db.url).await;
    c.batch_execute("ANALYZE api_keys; SET enable_seqscan = off")
        .await
        .unwrap();
    let plan: Vec<String> = c
        .query(
            "EXPLAIN SELECT id FROM api_keys WHERE hash = $1",
            &[&steward_store::Digest::sha256(b"stw_secret-7").0.as_slice()],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| r.get::<_, String>(0))
        .collect();
    assert!(
        plan.iter().any(|l| l.contains("api_keys_by_hash")),
        "plan: {plan:?}"
    );
    let unique: bool = c
        .query_one(
            "SELECT indisunique FROM pg_index WHERE indexrelid = 'api_keys_by_hash'::regclass",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert!(unique);
}

/// SECURITY: neither `Debug` of the store nor a connection error repeats the password.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connection_details_never_show_the_password() {
    let db = TestDb::create().await;
    let password = "s3cret-pg-password-marker";
    let (scheme, rest) = db.url.split_once("://").expect("a postgres:// URL");
    let host = rest.split_once('@').map_or(rest, |(_, host)| host);
    let with_password = format!("{scheme}://steward:{password}@{host}");
    // The test cluster trusts local connections, so the password is accepted and ignored.
    let store = PgStore::connect(&with_password, PgOptions::default())
        .await
        .unwrap();
    let debug = format!("{store:?}");
    assert!(!debug.contains(password), "{debug}");
    assert!(debug.contains(&db.name), "{debug}");
    let arc: Arc<dyn Store> = Arc::new(store);
    assert!(!format!("{arc:?}").contains(password));
    // A server that is not there: the error names neither the URL nor the password.
    let nowhere = format!("postgres://steward:{password}@127.0.0.1:1/steward?connect_timeout=2");
    let err = PgStore::connect(&nowhere, PgOptions::default())
        .await
        .unwrap_err();
    assert!(!err.to_string().contains(password), "{err}");
    assert!(!format!("{err:?}").contains(password), "{err:?}");
    let bad = PgStore::connect(
        &format!("postgres://x:{password}@[::1"),
        PgOptions::default(),
    )
    .await
    .unwrap_err();
    assert!(!bad.to_string().contains(password), "{bad}");
}

/// Large pages of links are read in two halves at once; with entries missing they are still
/// exactly the next `limit` stored entries, and verification names the first missing one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn aud_02_large_link_pages_with_missing_entries() {
    let db = TestDb::create().await;
    let store = db.store().await.unwrap();
    for b in 0..6 {
        let batch: Vec<_> = (0..1000)
            .map(|i| decision_event(None, b * 1000 + i))
            .collect();
        store.append_audit(&batch).await.unwrap();
    }
    let c = support::attacker(&db.url).await;
    c.execute(
        "DELETE FROM audit_log WHERE seq IN (700, 2500, 2501, 4100)",
        &[],
    )
    .await
    .unwrap();
    // The reference: small pages (one query each).
    let mut small = Vec::new();
    let mut after = None;
    loop {
        let page = store.audit_links(after, 500).await.unwrap();
        let Some(last) = page.last() else { break };
        after = Some(last.seq);
        small.extend(page);
    }
    assert_eq!(small.len(), 5996);
    let big = store.audit_links(None, 4096).await.unwrap();
    assert_eq!(big, small[..4096].to_vec());
    let rest = store.audit_links(Some(big[4095].seq), 4096).await.unwrap();
    assert_eq!(rest, small[4096..].to_vec());
    match verify_log(&store, &no_signatures(), 4096).await {
        Err(VerifyError::Broken(b)) => {
            assert_eq!((b.seq.get(), b.kind), (700, BreakKind::Removed));
        }
        other => panic!("expected a break, got {other:?}"),
    }
}

/// A write whose caller gives up halfway (the future is dropped while its INSERT waits on the
/// server, inside its transaction) leaves no pooled connection inside a transaction: its
/// connection is closed (the server rolls it back) and the next write on the one-connection
/// pool commits alone. The INSERT is held on a table lock so the abandonment is certain to
/// fall inside the transaction, never before it starts nor after its COMMIT was sent.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn abandoned_write_never_leaves_a_pooled_connection_in_a_transaction() {
    let db = TestDb::create().await;
    let options = PgOptions {
        pool_size: 1,
        ..PgOptions::default()
    };
    let store = PgStore::connect(&db.url, options).await.unwrap();
    let abandoned =
        steward_store::conformance::fixtures::new_subject(steward_store::SubjectKind::Visitor);
    let locker = connect_raw(&db.url).await;
    locker
        .batch_execute("BEGIN; LOCK TABLE subjects IN SHARE ROW EXCLUSIVE MODE")
        .await
        .unwrap();
    let watcher = connect_raw(&db.url).await;
    let insert_waits = async {
        loop {
            let waiting = watcher
                .query_opt(
                    "SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' \
                     AND query LIKE 'INSERT INTO subjects%'",
                    &[],
                )
                .await
                .unwrap()
                .is_some();
            if waiting {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
    };
    tokio::select! {
        r = store.create_subject(&abandoned) => panic!("the write finished under the lock: {r:?}"),
        () = insert_waits => {}
    }
    locker.batch_execute("ROLLBACK").await.unwrap();
    let kept = steward_store::conformance::fixtures::new_subject(steward_store::SubjectKind::Staff);
    store.create_subject(&kept).await.unwrap();
    let c = connect_raw(&db.url).await;
    let visible = |id: steward_store::SubjectId| {
        let c = &c;
        async move {
            c.query_opt("SELECT 1 FROM subjects WHERE id = $1", &[&id.as_uuid()])
                .await
                .unwrap()
                .is_some()
        }
    };
    assert!(
        visible(kept.id).await,
        "committed, seen by another connection"
    );
    assert!(
        !visible(abandoned.id).await,
        "the abandoned transaction was rolled back"
    );
}

/// AUD-01 after a crash: audit intents committed with their writes but never chained (the
/// process died between the write's COMMIT and the writer's group) are chained when a store
/// connects, in intent order, and verification then finds nothing pending. Also: while they
/// are pending, verification counts them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn aud_01_intents_left_by_a_crash_are_chained_when_a_store_connects() {
    use steward_store::canonical::{encode_event, index_of};
    let db = TestDb::create().await;
    let store = db.store().await.unwrap();
    let s = subject(&store).await;
    store
        .append_audit(&[decision_event(Some(s), 1)])
        .await
        .unwrap();
    // What a write's transaction leaves when its process dies before the writer chains it.
    let raw = connect_raw(&db.url).await;
    let events: Vec<_> = (0..5).map(|i| decision_event(Some(s), 10 + i)).collect();
    for e in &events {
        let idx = index_of(e);
        raw.execute(
            "INSERT INTO audit_intents (event_id, at, kind, subject, body) \
             VALUES ($1, to_timestamp($2::float8 / 1e6), $3, $4, $5)",
            &[
                &idx.event_id.as_uuid(),
                &(idx.at_micros as f64),
                &i16::from(idx.kind.code()),
                &idx.subject.map(|x| x.as_uuid()),
                &encode_event(e).unwrap(),
            ],
        )
        .await
        .unwrap();
    }
    assert_eq!(store.pending_audit_intents().await.unwrap(), 5);
    let pending = verify_log(&store, &no_signatures(), 100).await.unwrap();
    assert_eq!((pending.entries, pending.pending_intents), (1, 5));
    drop(store);

    let restarted = db.store().await.unwrap();
    assert_eq!(restarted.recovered_audit_intents(), 5);
    assert_eq!(restarted.pending_audit_intents().await.unwrap(), 0);
    for (i, e) in events.iter().enumerate() {
        let entry = restarted.audit_event(e.id).await.unwrap();
        assert_eq!(entry.seq.get(), 2 + i as u64, "chained in intent order");
        assert_eq!(entry.event, *e);
    }
    let report = verify_log(&restarted, &no_signatures(), 100).await.unwrap();
    assert_eq!((report.entries, report.pending_intents), (6, 0));
}
