//! The SQLite dataset connector against real SQLite files: the subject's rows found through
//! an identity column and foreign-key chains, erased in the annotation's order (mask,
//! nullify, delete), verified, and a second run finds nothing more; a failing statement
//! rolls the whole dataset back, with the driver's message kept and the values removed.
#![expect(
    clippy::unwrap_used,
    reason = "test code: a failed step fails the test"
)]

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

/// Customers, orders, addresses reached two ways (a customer's own, an order's shipping
/// address belonging to no customer), log-ins; `orders.total` and `addresses.note` are not
/// annotated.
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

fn multi_db() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("multi.db");
    let c = rusqlite::Connection::open(&path).unwrap();
    c.execute_batch(
        "CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT, full_name TEXT);
         CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER, ship_to TEXT, shipping_address_id INTEGER, total REAL);
         CREATE TABLE addresses (id INTEGER PRIMARY KEY, customer_id INTEGER, street TEXT, note TEXT);
         CREATE TABLE change_log (tbl TEXT, op TEXT);
         INSERT INTO customers VALUES (1, 'Jane@Example.com', 'Jane Roe'), (2, 'bob@example.com', 'Bob');
         INSERT INTO orders VALUES (10, 1, '9 Gift Lane', 100, 42.0), (11, 2, '2 Elm St', 101, 17.5);
         INSERT INTO addresses VALUES (100, NULL, '9 Gift Lane', 'gift'), (101, 2, '2 Elm St', 'bob'), (102, 1, '1 Main St', 'home');",
    )
    .unwrap();
    // A change counter: every write to a data table is logged.
    for t in ["customers", "orders", "addresses"] {
        for op in ["INSERT", "UPDATE", "DELETE"] {
            c.execute_batch(&format!(
                "CREATE TRIGGER log_{t}_{op} AFTER {op} ON {t} BEGIN INSERT INTO change_log VALUES ('{t}', '{op}'); END;"
            ))
            .unwrap();
        }
    }
    let p = path.to_string_lossy().to_string();
    (dir, p)
}

/// Every row of every table, as text, in a stable order.
fn dump(path: &str) -> Vec<String> {
    let c = rusqlite::Connection::open(path).unwrap();
    let mut out = Vec::new();
    for t in ["customers", "orders", "addresses", "change_log"] {
        let mut s = c.prepare(&format!("SELECT * FROM {t}")).unwrap();
        let n = s.column_count();
        let rows: Vec<String> = s
            .query_map([], |r| {
                Ok((0..n)
                    .map(|i| format!("{:?}", r.get_ref(i).unwrap()))
                    .collect::<Vec<_>>()
                    .join("|"))
            })
            .unwrap()
            .map(Result::unwrap)
            .collect();
        out.push(format!("{t}: {}", rows.join("; ")));
    }
    out
}

#[tokio::test]
async fn sqlite_read_follows_every_path_reads_only_annotated_columns_and_writes_nothing() {
    let (_dir, path) = multi_db();
    let ds = Dataset::parse(MULTI, &known).unwrap();
    let before = dump(&path);
    let rows = SqliteConnector
        .read(&Sensitive::new(path.clone()), &ds, &jane())
        .await
        .unwrap();
    type Cells = Vec<Vec<Option<String>>>;
    let by_table: Vec<(&str, Vec<&str>, Cells)> = rows
        .tables
        .iter()
        .map(|t| {
            (
                t.table.as_str(),
                t.columns.iter().map(|c| c.column.as_str()).collect(),
                t.rows.clone(),
            )
        })
        .collect();
    let s = |v: &str| Some(v.to_string());
    assert_eq!(
        by_table,
        [
            (
                "customers",
                vec!["email", "full_name"],
                vec![vec![s("Jane@Example.com"), s("Jane Roe")]]
            ),
            ("orders", vec!["ship_to"], vec![vec![s("9 Gift Lane")]]),
            (
                "addresses",
                vec!["street"],
                vec![vec![s("1 Main St")], vec![s("9 Gift Lane")]]
            ),
        ]
    );
    assert_eq!(rows.rows(), 4);
    assert!(
        !format!("{rows:?}").contains("Jane"),
        "Debug shows counts only"
    );
    // Nothing was written: the change counter is untouched and every row is as it was.
    assert_eq!(dump(&path), before);
    assert!(before.iter().any(|l| l == "change_log: "), "{before:?}");
    // Somebody the database does not know: every table read, nothing found.
    let mut nobody = Identities::default();
    nobody.add("email", "nobody@example.com");
    let none = SqliteConnector
        .read(&Sensitive::new(path.clone()), &ds, &nobody)
        .await
        .unwrap();
    assert_eq!(none.tables.len(), 3);
    assert_eq!(none.rows(), 0);
    assert_eq!(dump(&path), before);
    // The counter does count writes (so its silence above means something).
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch("UPDATE addresses SET note = 'x' WHERE id = 101")
        .unwrap();
    assert_ne!(dump(&path), before);
}

#[tokio::test]
async fn sqlite_erasure_follows_every_path() {
    let (_dir, path) = multi_db();
    let ds = Dataset::parse(MULTI, &known).unwrap();
    let out = SqliteConnector
        .erase(&Sensitive::new(path.clone()), &ds, &jane())
        .await
        .unwrap();
    assert_eq!(out.remaining, 0);
    let c = rusqlite::Connection::open(&path).unwrap();
    let streets: Vec<String> = c
        .prepare("SELECT street FROM addresses ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        streets,
        ["2 Elm St"],
        "both of Jane's addresses went, Bob's stayed"
    );
}
