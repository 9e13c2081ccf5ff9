//! Data subject request speed (the data-subject-request work's targets; the peer, Ethyca Fides 2.78 with a Postgres
//! dataset, takes about 1 s per access request and 2 s per erasure request here):
//!
//! - `access_report_1000_items`: the JSON access report of a subject with 1,000 items
//!   (read, decrypt, join with disclosures and choices, serialize, audit the read);
//!   target p50 ≤ 10 ms.
//! - `erasure_with_postgres_dataset`: running an approved deletion with one external
//!   PostgreSQL dataset connector (3 tables), no webhooks: plan, identities, dataset
//!   erasure in one transaction with verification, vault erasure and key destruction,
//!   receipt; target p50 ≤ 50 ms. Needs `STEWARD_TEST_PG_URL` (skipped without it).
//! - `list_10000_open_requests`: the queue of 10,000 open requests by due date with each
//!   one's deadline status; target ≤ 50 ms.
//!
//! SQLite store on a temporary directory with the default (power-safe) durability; the real
//! adapters of `steward-adapters` (the PostgreSQL connector, the file outbox).
//! Run: `cargo bench -p steward-requests --bench requests` (with PostgreSQL:
//! `./scripts/test` starts one; or set `STEWARD_TEST_PG_URL`).
#![expect(
    clippy::unwrap_used,
    clippy::disallowed_methods,
    reason = "benchmark code: a failed setup aborts the run"
)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use steward_core::items::ItemInput;
use steward_core::subjects::{IdentityInput, SubjectInput};
use steward_core::{AuditSettings, Caller, Parts, Steward, SystemClock};
use steward_deadlines::RequestKind;
use steward_requests::{
    ConnectionSource, ConnectorKind, DatasetRegistration, Effects, ListQuery, ReportFormat,
    Requests, RequestsConfig, SubmitRequest,
};
use steward_store::model::request::{
    NewRequest, NewRequestStep, RequestCode, RequestState, Requester,
};
use steward_store::model::subject::IdentityKind;
use steward_vault::{KeyRing, SecretString, Sensitive};

struct Env {
    steward: Arc<Steward>,
    requests: Arc<Requests>,
    _dir: tempfile::TempDir,
}

fn env(rt: &tokio::runtime::Runtime, approval: bool) -> Env {
    let _g = rt.enter();
    let dir = tempfile::tempdir().unwrap();
    let store =
        steward_store_sqlite::SqliteStore::open(dir.path().join("steward.db"), Default::default())
            .unwrap();
    let ring = KeyRing::ephemeral().unwrap();
    let steward = Steward::start(Parts {
        store: Arc::new(store),
        engine: Arc::new(steward_policy::default_engine().unwrap()),
        vault: ring.vault().unwrap(),
        blind: ring.blind_index().unwrap(),
        signer: None,
        verifier: ring.checkpoint_verifier().unwrap(),
        clock: Arc::new(SystemClock),
        controller: "stamps".into(),
        audit: AuditSettings::default(),
    })
    .unwrap();
    let config = RequestsConfig {
        require_approval: approval,
        // The benchmark's PostgreSQL dataset is a throwaway server on loopback (SEC-02).
        allow_insecure_loopback: true,
        ..RequestsConfig::default()
    };
    // The real adapters, as `steward serve` wires them.
    let effects = Effects {
        mailer: Arc::new(
            steward_adapters::FileOutbox::new(dir.path().join("outbox"), "privacy@stamps.example")
                .unwrap(),
        ),
        webhooks: Arc::new(steward_adapters::HttpsTransport::new(Duration::from_secs(10)).unwrap()),
        datasets: vec![
            Arc::new(steward_adapters::SqliteConnector),
            Arc::new(steward_adapters::PostgresConnector::new()),
        ],
        secrets: Arc::new(steward_adapters::ProcessEnv),
    };
    let requests = Requests::new(steward.clone(), config, effects);
    Env {
        steward,
        requests,
        _dir: dir,
    }
}

fn svc() -> Caller {
    Caller::Service("bench".into())
}

async fn subject(s: &Steward, email: &str) -> steward_store::ids::SubjectId {
    s.create_subject(
        &svc(),
        SubjectInput {
            jurisdiction: Some("US-CA".into()),
            identities: vec![IdentityInput {
                kind: IdentityKind::Email,
                value: Sensitive::new(email.into()),
            }],
            ..SubjectInput::default()
        },
    )
    .await
    .unwrap()
    .id
}

async fn item(s: &Steward, subject: steward_store::ids::SubjectId, category: &str, value: String) {
    s.write_item(
        &svc(),
        ItemInput {
            subject,
            category: category.into(),
            value: Sensitive::new(value.into_bytes()),
            source: "direct:registration".into(),
            purpose: "account_registration".into(),
            processor_for_customer: false,
            account: None,
            derived_from: Vec::new(),
        },
    )
    .await
    .unwrap();
}

/// A staff-submitted, pre-verified request (approved at intake when approval is off).
fn staff_request(
    kind: RequestKind,
    subject: steward_store::ids::SubjectId,
    email: &str,
) -> SubmitRequest {
    let mut r = SubmitRequest::by_email(kind, "support", email);
    r.requester = Requester::Admin;
    r.subject_id = Some(subject);
    r.preverified = Some("bench".into());
    r
}

fn access_report(c: &mut Criterion) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let e = env(&rt, false);
    let id = rt.block_on(async {
        let s = subject(&e.steward, "report@example.com").await;
        let cats = ["name", "postal_address", "phone", "email"];
        for i in 0..1000 {
            item(
                &e.steward,
                s,
                cats[i % cats.len()],
                format!("value number {i} of the subject"),
            )
            .await;
        }
        let a = e
            .requests
            .submit(
                &svc(),
                staff_request(RequestKind::Access, s, "report@example.com"),
            )
            .await
            .unwrap();
        e.requests.run(&svc(), a.request_id, &|_| {}).await.unwrap();
        a.request_id
    });
    let bytes = rt.block_on(async {
        let r = e
            .requests
            .report(&svc(), id, ReportFormat::Json)
            .await
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(r.body.expose()).unwrap();
        let n: usize = v["categories"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["items"].as_array().unwrap().len())
            .sum();
        assert_eq!(n, 1000, "every item is in the report");
        r.body.expose().len()
    });
    let mut g = c.benchmark_group("requests");
    g.sample_size(50);
    g.bench_function(
        format!("access_report_1000_items ({} KiB JSON)", bytes / 1024),
        |b| {
            b.iter(|| {
                rt.block_on(async {
                    e.requests
                        .report(&svc(), id, ReportFormat::Json)
                        .await
                        .unwrap()
                })
            })
        },
    );
    g.finish();
}

fn list_open(c: &mut Criterion) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let e = env(&rt, true);
    rt.block_on(async {
        let store = e.steward.store();
        let now = jiff::Timestamp::now();
        for i in 0..10_000i64 {
            let due = now
                .checked_add(jiff::SignedDuration::from_hours(i % 2000 - 200))
                .unwrap();
            store
                .create_request(&NewRequest {
                    id: steward_store::ids::RequestId::generate(),
                    kind: RequestCode::new("access").unwrap(),
                    subject: None,
                    requester: Requester::Subject,
                    channel: RequestCode::new("privacy_center").unwrap(),
                    state: RequestState::Verified,
                    received_at: now,
                    ack_due: Some(due),
                    due,
                    max_due: due,
                    key: None,
                    sealed: None,
                    doc: b"{}".to_vec(),
                    step: NewRequestStep {
                        id: steward_store::ids::RequestStepId::generate(),
                        at: now,
                        actor: steward_store::model::audit::Actor::System,
                        action: RequestCode::new("intake").unwrap(),
                        state: RequestState::Verified,
                        detail: b"{}".to_vec(),
                    },
                })
                .await
                .unwrap();
        }
        let q = ListQuery {
            limit: Some(10_000),
            ..ListQuery::default()
        };
        let rows = e.requests.list(&q).await.unwrap();
        assert_eq!(rows.len(), 10_000);
        assert!(
            rows.windows(2)
                .all(|w| (w[0].due, w[0].id) <= (w[1].due, w[1].id))
        );
    });
    let mut g = c.benchmark_group("requests");
    g.sample_size(30);
    g.bench_function("list_10000_open_requests", |b| {
        b.iter(|| {
            rt.block_on(async {
                let q = ListQuery {
                    limit: Some(10_000),
                    ..ListQuery::default()
                };
                e.requests.list(&q).await.unwrap()
            })
        })
    });
    g.finish();
}

fn erasure_pg(c: &mut Criterion) {
    let Ok(admin) = std::env::var("STEWARD_TEST_PG_URL") else {
        eprintln!(
            "erasure_with_postgres_dataset: skipped (set STEWARD_TEST_PG_URL or run through ./scripts/test)"
        );
        return;
    };
    let rt = tokio::runtime::Runtime::new().unwrap();
    let e = env(&rt, false);
    let (url, db) = rt.block_on(async {
        let name = format!("steward_bench_{}", uuid::Uuid::now_v7().simple());
        let (c, conn) = tokio_postgres::connect(&admin, tokio_postgres::NoTls).await.unwrap();
        tokio::spawn(async move {
            let _ = conn.await;
        });
        c.batch_execute(&format!("CREATE DATABASE {name}")).await.unwrap();
        let (head, rest) = admin.split_at(admin.find("://").unwrap() + 3);
        let authority = rest.split(['/', '?']).next().unwrap();
        let url = format!("{head}{authority}/{name}");
        let (db, conn) = tokio_postgres::connect(&url, tokio_postgres::NoTls).await.unwrap();
        tokio::spawn(async move {
            let _ = conn.await;
        });
        db.batch_execute(
            "CREATE TABLE customers (id bigserial PRIMARY KEY, email text UNIQUE, full_name text);
             CREATE TABLE orders (id bigserial PRIMARY KEY, customer_id bigint REFERENCES customers(id), ship_to text);
             CREATE INDEX ON orders(customer_id);
             CREATE TABLE order_items (id bigserial PRIMARY KEY, order_id bigint REFERENCES orders(id), sku text);
             CREATE INDEX ON order_items(order_id);
             CREATE UNIQUE INDEX customers_email_lower ON customers (lower(email));
             INSERT INTO customers (email, full_name) SELECT 'other' || g || '@example.com', 'Other ' || g FROM generate_series(1, 10000) g;",
        )
        .await
        .unwrap();
        (url, db)
    });
    rt.block_on(async {
        e.requests
            .register_dataset(
                &svc(),
                DatasetRegistration {
                    name: "shop_pg".into(),
                    kind: ConnectorKind::PostgresDataset,
                    annotation: r#"
[[tables]]
name = "customers"
identity = { column = "email", kind = "email" }
action = "mask"
columns = { email = "email", full_name = "name" }

[[tables]]
name = "orders"
via = { column = "customer_id", table = "customers", references = "id" }
action = "nullify"
columns = { ship_to = "postal_address" }

[[tables]]
name = "order_items"
via = { column = "order_id", table = "orders", references = "id" }
action = "delete"
"#
                    .into(),
                    connection: ConnectionSource::Secret(SecretString::from(url.clone())),
                },
            )
            .await
            .unwrap();
    });
    let mut n = 0u64;
    let mut g = c.benchmark_group("requests");
    g.sample_size(30);
    g.bench_function("erasure_with_postgres_dataset", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                n += 1;
                let email = format!("erase{n}-{}@example.com", uuid::Uuid::now_v7().simple());
                // Set-up (not timed): a subject with items, rows in the shop, an approved request.
                let id = rt.block_on(async {
                    let s = subject(&e.steward, &email).await;
                    item(&e.steward, s, "email", email.clone()).await;
                    item(&e.steward, s, "name", "Erin Example".into()).await;
                    db.execute(
                        "WITH c AS (INSERT INTO customers (email, full_name) VALUES ($1, 'Erin') RETURNING id),
                              o AS (INSERT INTO orders (customer_id, ship_to) SELECT id, '1 Main St' FROM c, generate_series(1, 3) RETURNING id)
                         INSERT INTO order_items (order_id, sku) SELECT id, 'sku' FROM o",
                        &[&email],
                    )
                    .await
                    .unwrap();
                    let a = e
                        .requests
                        .submit(&svc(), staff_request(RequestKind::Deletion, s, &email))
                        .await
                        .unwrap();
                    assert_eq!(a.state, "approved");
                    a.request_id
                });
                let start = Instant::now();
                let out = rt.block_on(e.requests.run(&svc(), id, &|_| {})).unwrap();
                total += start.elapsed();
                assert_eq!(out.state.as_str(), "completed", "{out:?}");
            }
            total
        })
    });
    g.finish();
}

criterion_group!(benches, access_report, list_open, erasure_pg);
criterion_main!(benches);
