//! Erasure through a PostgreSQL dataset connector: rows found through the subject's e-mail
//! and through foreign keys, erased in dependency order inside one transaction, verified by
//! re-querying; a failure rolls the dataset back, names the system and the database's
//! reason (values redacted), and a re-run finishes the job without doing anything twice.
//!
//! Needs a PostgreSQL server: `./scripts/test -p steward-core` starts one and sets
//! `STEWARD_TEST_PG_URL` (these tests never skip silently).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use steward_core::Caller;
use steward_deadlines::RequestKind;
use steward_requests::{
    ApproveInput, ConnectionSource, ConnectorKind, DatasetRegistration, SubmitRequest,
};
use steward_vault::SecretString;
use support::*;

fn admin_url() -> String {
    match std::env::var("STEWARD_TEST_PG_URL") {
        Ok(url) if !url.trim().is_empty() => url,
        _ => panic!(
            "STEWARD_TEST_PG_URL is not set: this test needs a PostgreSQL server. Run it through \
             ./scripts/test (e.g. `./scripts/test -p steward-core`), which starts a throwaway \
             cluster and sets the variable."
        ),
    }
}

/// A fresh database on the test server; returns its URL.
async fn database() -> String {
    let admin = admin_url();
    let name = format!("steward_dsr_{}", uuid::Uuid::now_v7().simple());
    let (c, conn) = tokio_postgres::connect(&admin, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(async move {
        let _ = conn.await;
    });
    c.batch_execute(&format!("CREATE DATABASE {name}"))
        .await
        .unwrap();
    let (head, rest) = admin.split_at(admin.find("://").unwrap() + 3);
    let authority = rest.split(['/', '?']).next().unwrap();
    format!("{head}{authority}/{name}")
}

async fn client(url: &str) -> tokio_postgres::Client {
    let (c, conn) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(async move {
        let _ = conn.await;
    });
    c
}

const SHOP: &str = r#"
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
"#;

#[tokio::test]
async fn postgres_dataset_is_erased_in_order_verified_and_retried_without_double_effects() {
    let url = database().await;
    let db = client(&url).await;
    db.batch_execute(
        "CREATE TABLE customers (id int PRIMARY KEY, email text UNIQUE, full_name text);
         CREATE TABLE orders (id int PRIMARY KEY, customer_id int REFERENCES customers(id), ship_to text);
         CREATE TABLE order_items (id int PRIMARY KEY, order_id int REFERENCES orders(id), sku text);
         CREATE TABLE erase_log (tbl text);
         CREATE FUNCTION log_change() RETURNS trigger AS $$ BEGIN INSERT INTO erase_log VALUES (TG_TABLE_NAME); RETURN NULL; END $$ LANGUAGE plpgsql;
         CREATE TRIGGER log_items AFTER DELETE ON order_items FOR EACH ROW EXECUTE FUNCTION log_change();
         CREATE TRIGGER log_orders AFTER UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION log_change();
         CREATE FUNCTION frozen() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'customers are frozen for %', OLD.email; END $$ LANGUAGE plpgsql;
         CREATE TRIGGER frozen BEFORE UPDATE ON customers FOR EACH ROW EXECUTE FUNCTION frozen();
         INSERT INTO customers VALUES (1, 'Jane.Roe@Example.com', 'Jane Roe'), (2, 'bob@example.com', 'Bob');
         INSERT INTO orders VALUES (10, 1, '1 Main St'), (11, 1, '1 Main St'), (12, 2, '2 Elm St');
         INSERT INTO order_items VALUES (100, 10, 'a'), (101, 11, 'b'), (102, 12, 'c');",
    )
    .await
    .unwrap();
    let e = env();
    let s = e.subject("jane.roe@example.com", "US-CA").await;
    e.item(
        s,
        "email",
        "jane.roe@example.com",
        "direct:registration",
        "account_registration",
    )
    .await;
    e.requests
        .register_dataset(
            &svc(),
            DatasetRegistration {
                name: "shop_pg".into(),
                kind: ConnectorKind::PostgresDataset,
                annotation: SHOP.into(),
                connection: ConnectionSource::Secret(SecretString::from(url.clone())),
            },
        )
        .await
        .unwrap();
    let a = e
        .requests
        .submit(
            &Caller::System,
            SubmitRequest::by_email(
                RequestKind::Deletion,
                "privacy_center",
                "jane.roe@example.com",
            ),
        )
        .await
        .unwrap();
    e.requests
        .verify_code(a.request_id, &e.last_code())
        .await
        .unwrap();
    e.requests
        .approve(&svc(), a.request_id, ApproveInput::default())
        .await
        .unwrap();
    let first = e.requests.run(&svc(), a.request_id, &|_| {}).await.unwrap();
    assert_eq!(first.state.as_str(), "failed");
    assert_eq!(first.failed_system.as_deref(), Some("dataset:shop_pg"));
    let reason = first.reason.unwrap();
    assert!(
        reason.contains("SQLSTATE P0001") && reason.contains("customers are frozen"),
        "{reason}"
    );
    assert!(
        !reason.to_lowercase().contains("jane"),
        "values are redacted: {reason}"
    );
    let log: i64 = db
        .query_one("SELECT COUNT(*) FROM erase_log", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(log, 0, "the dataset's transaction rolled back");

    db.batch_execute("DROP TRIGGER frozen ON customers")
        .await
        .unwrap();
    let second = e.requests.run(&svc(), a.request_id, &|_| {}).await.unwrap();
    assert_eq!(second.state.as_str(), "completed", "{second:?}");
    let log: i64 = db
        .query_one("SELECT COUNT(*) FROM erase_log", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(log, 4, "two items deleted and two orders nullified, once");
    let row = db
        .query_one("SELECT email, full_name FROM customers WHERE id = 1", &[])
        .await
        .unwrap();
    let (mail, name): (String, String) = (row.get(0), row.get(1));
    assert!(mail.starts_with("erased:") && name.starts_with("erased:"));
    let bob: String = db
        .query_one("SELECT email FROM customers WHERE id = 2", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(bob, "bob@example.com");
    let r = e.requests.receipt(a.request_id).await.unwrap();
    let ds = r
        .systems
        .iter()
        .find(|x| x.system == "dataset:shop_pg")
        .unwrap();
    assert_eq!(ds.status, "done");
    assert_eq!(ds.detail["remaining"], 0);
    assert_eq!(ds.detail["verified"], true);
    let rows: Vec<(String, u64)> = ds.detail["tables"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["table"].as_str().unwrap().to_string(),
                t["rows"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("order_items".to_string(), 2),
            ("orders".to_string(), 2),
            ("customers".to_string(), 1)
        ]
    );
}
