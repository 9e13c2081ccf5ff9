//! The PostgreSQL dataset connector against a real PostgreSQL server: rows found through
//! the subject's e-mail (case-insensitive) and through foreign keys, erased in dependency
//! order inside one transaction, verified by re-querying; a failure rolls the dataset back
//! and carries the database's reason with values removed; a re-run finishes the job without
//! doing anything twice.
//!
//! Needs a PostgreSQL server: `./scripts/test -p steward-adapters` starts one and sets
//! `STEWARD_TEST_PG_URL` (these tests never skip silently).
#![expect(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test code: a failed step fails the test"
)]

use steward_adapters::PostgresConnector;
use steward_requests::DatasetConnector;
use steward_requests::connectors::{Dataset, Identities};
use steward_requests::effects::ConnectorErrorCode;
use steward_vault::Sensitive;

fn admin_url() -> String {
    match std::env::var("STEWARD_TEST_PG_URL") {
        Ok(url) if !url.trim().is_empty() => url,
        _ => panic!(
            "STEWARD_TEST_PG_URL is not set: this test needs a PostgreSQL server. Run it through \
             ./scripts/test (e.g. `./scripts/test -p steward-adapters`), which starts a throwaway \
             cluster and sets the variable."
        ),
    }
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

/// A fresh database on the test server; returns its URL.
async fn database() -> String {
    let admin = admin_url();
    let name = format!("steward_ds_{}", uuid::Uuid::now_v7().simple());
    client(&admin)
        .await
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .await
        .unwrap();
    let (head, rest) = admin.split_at(admin.find("://").unwrap() + 3);
    let authority = rest.split(['/', '?']).next().unwrap();
    format!("{head}{authority}/{name}")
}

fn known(c: &str) -> bool {
    ["email", "name", "postal_address"].contains(&c)
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

async fn count(db: &tokio_postgres::Client, sql: &str) -> i64 {
    db.query_one(sql, &[]).await.unwrap().get(0)
}

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
    let ds = Dataset::parse(SHOP, &known).unwrap();
    let mut ids = Identities::default();
    ids.add("email", "jane.roe@example.com");
    let conn = Sensitive::new(url.clone());

    let e = PostgresConnector::new()
        .erase(&conn, &ds, &ids)
        .await
        .unwrap_err();
    assert_eq!(e.code, ConnectorErrorCode::Sql);
    assert!(
        e.message.contains("SQLSTATE P0001") && e.message.contains("customers are frozen"),
        "{e}"
    );
    assert!(
        !e.message.to_lowercase().contains("jane"),
        "values are removed: {e}"
    );
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM erase_log").await,
        0,
        "the dataset's transaction rolled back"
    );

    db.batch_execute("DROP TRIGGER frozen ON customers")
        .await
        .unwrap();
    let out = PostgresConnector::new()
        .erase(&conn, &ds, &ids)
        .await
        .unwrap();
    assert_eq!(out.remaining, 0);
    let rows: Vec<(&str, u64)> = out
        .tables
        .iter()
        .map(|t| (t.table.as_str(), t.rows))
        .collect();
    assert_eq!(rows, [("order_items", 2), ("orders", 2), ("customers", 1)]);
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM erase_log").await,
        4,
        "two items deleted and two orders nullified, once"
    );
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

    // Again: nothing left to do, nothing done twice.
    let again = PostgresConnector::new()
        .erase(&conn, &ds, &ids)
        .await
        .unwrap();
    assert!(again.tables.iter().all(|t| t.rows == 0), "{again:?}");
    assert_eq!(count(&db, "SELECT COUNT(*) FROM erase_log").await, 4);
}

#[tokio::test]
async fn an_unreachable_server_is_connect_without_the_password() {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    drop(l);
    let ds = Dataset::parse(SHOP, &known).unwrap();
    let e = PostgresConnector::new()
        .erase(
            &Sensitive::new(format!("postgres://steward:hunter2@127.0.0.1:{port}/shop")),
            &ds,
            &Identities::default(),
        )
        .await
        .unwrap_err();
    assert_eq!(e.code, ConnectorErrorCode::Connect);
    assert!(!e.message.contains("hunter2"), "{e}");
}

const MULTI: &str = r#"
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
name = "addresses"
via = [
  { column = "customer_id", table = "customers", references = "id" },
  { column = "id", table = "orders", references = "shipping_address_id" },
]
action = "delete"
columns = { street = "postal_address" }
"#;

/// Customers, orders and addresses reached two ways, with a change counter: a
/// statement-level trigger logs every INSERT, UPDATE or DELETE statement on a data table,
/// even one that changes no row.
async fn multi_db() -> (String, tokio_postgres::Client) {
    let url = database().await;
    let db = client(&url).await;
    db.batch_execute(
        "CREATE TABLE customers (id int PRIMARY KEY, email text, full_name text);
         CREATE TABLE orders (id int PRIMARY KEY, customer_id int, ship_to text, shipping_address_id int, total numeric);
         CREATE TABLE addresses (id int PRIMARY KEY, customer_id int, street text, note text);
         CREATE TABLE change_log (tbl text, op text);
         CREATE FUNCTION log_statement() RETURNS trigger AS $$ BEGIN INSERT INTO change_log VALUES (TG_TABLE_NAME, TG_OP); RETURN NULL; END $$ LANGUAGE plpgsql;
         CREATE TRIGGER log_c AFTER INSERT OR UPDATE OR DELETE ON customers FOR EACH STATEMENT EXECUTE FUNCTION log_statement();
         CREATE TRIGGER log_o AFTER INSERT OR UPDATE OR DELETE ON orders FOR EACH STATEMENT EXECUTE FUNCTION log_statement();
         CREATE TRIGGER log_a AFTER INSERT OR UPDATE OR DELETE ON addresses FOR EACH STATEMENT EXECUTE FUNCTION log_statement();
         INSERT INTO customers VALUES (1, 'Jane.Roe@Example.com', 'Jane Roe'), (2, 'bob@example.com', 'Bob');
         INSERT INTO orders VALUES (10, 1, '9 Gift Lane', 100, 42.00), (11, 2, '2 Elm St', 101, 17.50);
         INSERT INTO addresses VALUES (100, NULL, '9 Gift Lane', 'gift'), (101, 2, '2 Elm St', 'bob'), (102, 1, '1 Main St', 'home');
         TRUNCATE change_log;",
    )
    .await
    .unwrap();
    (url, db)
}

/// Every row of every table (and the change counter), as text.
async fn dump(db: &tokio_postgres::Client) -> Vec<String> {
    let mut out = Vec::new();
    for t in ["customers", "orders", "addresses", "change_log"] {
        let rows = db
            .query(
                &format!("SELECT CAST(x AS text) FROM {t} x ORDER BY CAST(x AS text)"),
                &[],
            )
            .await
            .unwrap();
        let rows: Vec<String> = rows.iter().map(|r| r.get(0)).collect();
        out.push(format!("{t}: {}", rows.join("; ")));
    }
    out
}

#[tokio::test]
async fn postgres_read_follows_every_path_reads_only_annotated_columns_read_only() {
    let (url, db) = multi_db().await;
    let ds = Dataset::parse(MULTI, &known).unwrap();
    let mut ids = Identities::default();
    ids.add("email", "jane.roe@example.com");
    let before = dump(&db).await;
    let rows = PostgresConnector::new()
        .read(&Sensitive::new(url.clone()), &ds, &ids)
        .await
        .unwrap();
    let s = |v: &str| Some(v.to_string());
    let by_table: Vec<(&str, Vec<Vec<Option<String>>>)> = rows
        .tables
        .iter()
        .map(|t| (t.table.as_str(), t.rows.clone()))
        .collect();
    assert_eq!(
        by_table,
        [
            (
                "customers",
                vec![vec![s("Jane.Roe@Example.com"), s("Jane Roe")]]
            ),
            ("orders", vec![vec![s("9 Gift Lane")]]),
            (
                "addresses",
                vec![vec![s("1 Main St")], vec![s("9 Gift Lane")]]
            ),
        ]
    );
    // No statement that writes reached the database, and every row is as it was.
    assert_eq!(dump(&db).await, before);
    assert!(before.iter().any(|l| l == "change_log: "), "{before:?}");
    // The counter does count (even a statement changing no row).
    db.batch_execute("UPDATE addresses SET note = note WHERE id = -1")
        .await
        .unwrap();
    assert_ne!(dump(&db).await, before);
}

#[tokio::test]
async fn postgres_erasure_follows_every_path() {
    let (url, db) = multi_db().await;
    let ds = Dataset::parse(MULTI, &known).unwrap();
    let mut ids = Identities::default();
    ids.add("email", "jane.roe@example.com");
    let out = PostgresConnector::new()
        .erase(&Sensitive::new(url), &ds, &ids)
        .await
        .unwrap();
    assert_eq!(out.remaining, 0);
    let streets: Vec<String> = db
        .query("SELECT street FROM addresses ORDER BY id", &[])
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(streets, ["2 Elm St"]);
}
