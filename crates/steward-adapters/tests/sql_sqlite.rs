//! The SQLite dataset connector against real SQLite files: the subject's rows found through
//! an identity column and foreign-key chains, erased in the annotation's order (mask,
//! nullify, delete), verified, and a second run finds nothing more; a failing statement
//! rolls the whole dataset back, with the driver's message kept and the values removed.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use steward_adapters::SqliteConnector;
use steward_requests::DatasetConnector;
use steward_requests::connectors::{Dataset, Identities};
use steward_requests::effects::ConnectorErrorCode;
use steward_vault::Sensitive;

fn known(c: &str) -> bool {
    ["email", "name", "postal_address", "phone", "user_content"].contains(&c)
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

    [[tables]]
    name = "notes"
    identity = { column = "author", kind = "email" }
    action = "delete"
    after = ["customers"]
"#;

fn shop_db() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shop.db");
    let c = rusqlite::Connection::open(&path).unwrap();
    c.execute_batch(
        "CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT UNIQUE, full_name TEXT);
         CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER, ship_to TEXT);
         CREATE TABLE order_items (id INTEGER PRIMARY KEY, order_id INTEGER, sku TEXT);
         CREATE TABLE notes (id INTEGER PRIMARY KEY, author TEXT, body TEXT);
         INSERT INTO customers VALUES (1, 'Jane@Example.com', 'Jane Roe'), (2, 'bob@example.com', 'Bob');
         INSERT INTO orders VALUES (10, 1, '1 Main St'), (11, 1, '1 Main St'), (12, 2, '2 Elm St');
         INSERT INTO order_items VALUES (100, 10, 'a'), (101, 10, 'b'), (102, 11, 'c'), (103, 12, 'd');
         INSERT INTO notes VALUES (1, 'jane@example.com', 'hi'), (2, 'bob@example.com', 'yo');",
    )
    .unwrap();
    let p = path.to_string_lossy().to_string();
    (dir, p)
}

fn jane() -> Identities {
    let mut ids = Identities::default();
    ids.add("email", "jane@example.com");
    ids
}

#[tokio::test]
async fn sqlite_erasure_in_order_verified_and_idempotent() {
    let (_dir, path) = shop_db();
    let ds = Dataset::parse(SHOP, &known).unwrap();
    let conn = Sensitive::new(format!("sqlite://{path}"));
    let out = SqliteConnector.erase(&conn, &ds, &jane()).await.unwrap();
    let rows: Vec<(&str, u64)> = out
        .tables
        .iter()
        .map(|t| (t.table.as_str(), t.rows))
        .collect();
    assert_eq!(
        rows,
        [
            ("order_items", 3),
            ("orders", 2),
            ("customers", 1),
            ("notes", 1)
        ]
    );
    assert_eq!(out.remaining, 0);
    let c = rusqlite::Connection::open(&path).unwrap();
    let masked: String = c
        .query_row("SELECT email FROM customers WHERE id = 1", [], |r| r.get(0))
        .unwrap();
    assert!(
        masked.starts_with("erased:") && masked.len() == 23,
        "{masked}"
    );
    let bob: String = c
        .query_row("SELECT email FROM customers WHERE id = 2", [], |r| r.get(0))
        .unwrap();
    assert_eq!(bob, "bob@example.com", "other people's rows are untouched");
    let ship: Option<String> = c
        .query_row("SELECT ship_to FROM orders WHERE id = 10", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ship, None, "nullified");
    let left: i64 = c
        .query_row("SELECT COUNT(*) FROM order_items", [], |r| r.get(0))
        .unwrap();
    assert_eq!(left, 1);
    // A second run finds nothing more to do (the path without the scheme works too).
    let again = SqliteConnector
        .erase(&Sensitive::new(path.clone()), &ds, &jane())
        .await
        .unwrap();
    assert!(again.tables.iter().all(|t| t.rows == 0));
}

#[tokio::test]
async fn sqlite_failure_changes_nothing_and_names_no_value() {
    let (_dir, path) = shop_db();
    let c = rusqlite::Connection::open(&path).unwrap();
    c.execute_batch(
        "CREATE TRIGGER no_delete BEFORE DELETE ON notes BEGIN SELECT RAISE(ABORT, 'notes by jane@example.com are frozen'); END;",
    )
    .unwrap();
    let ds = Dataset::parse(SHOP, &known).unwrap();
    let e = SqliteConnector
        .erase(&Sensitive::new(path.clone()), &ds, &jane())
        .await
        .unwrap_err();
    assert_eq!(e.code, ConnectorErrorCode::Sql);
    assert!(e.message.contains("are frozen"), "{}", e.message);
    assert!(!e.message.contains("jane"), "{}", e.message);
    let items: i64 = c
        .query_row("SELECT COUNT(*) FROM order_items", [], |r| r.get(0))
        .unwrap();
    assert_eq!(items, 4, "the transaction rolled back");
}

#[tokio::test]
async fn a_missing_database_is_connect() {
    let dir = tempfile::tempdir().unwrap();
    let ds = Dataset::parse(SHOP, &known).unwrap();
    let e = SqliteConnector
        .erase(
            &Sensitive::new(dir.path().join("nope.db").to_string_lossy().to_string()),
            &ds,
            &jane(),
        )
        .await
        .unwrap_err();
    assert_eq!(e.code, ConnectorErrorCode::Connect);
}
