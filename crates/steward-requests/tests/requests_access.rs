//! Access, know and portability requests read every connected dataset (the every-right-everywhere work): the rows
//! the annotation marks as personal data, matched through the subject's identities along
//! every path (a table reached through two parents), shown per system, table and field with
//! its category in the JSON, CSV, HTML and portable reports; nothing the annotation does not
//! mark; nothing written; a subject found nowhere is told where was looked; a dataset that is
//! down fails the request at that system, which is run again until it can be read, and no
//! report exists meanwhile. The workflow's effects are the in-memory fakes (the SQLite and
//! PostgreSQL adapters read real databases in `steward-adapters`' tests).
#![expect(
    clippy::unwrap_used,
    reason = "test code: a failed step fails the test"
)]

mod support;

use jiff::SignedDuration;
use steward_core::{Caller, CoreError};
use steward_deadlines::RequestKind;
use steward_errors::ErrorCode;
use steward_requests::fakes::MemoryDb;
use steward_requests::{
    ApproveInput, ConnectionSource, ConnectorKind, DatasetRegistration, ReportFormat, SubmitRequest,
};
use steward_store::ids::RequestId;
use steward_vault::SecretString;
use support::*;

const EMAIL: &str = "jane.roe@example.com";

/// Customers, their orders, addresses reached two ways (a customer's own, and an order's
/// shipping address that belongs to no customer), log-ins by e-mail. `orders.total` and
/// `addresses.note` are not annotated: no report may show them.
const SHOP: &str = r#"
[[tables]]
name = "customers"
identity = { column = "email", kind = "email" }
action = "mask"
columns = { email = "email", full_name = "name", card_token = "payment_card" }

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

[[tables]]
name = "logins"
identity = { column = "email", kind = "email" }
action = "delete"
columns = { ip = "ip_login" }
"#;

fn shop() -> MemoryDb {
    let mut db = MemoryDb::default();
    for (id, email, name, card) in [
        ("1", "Jane.Roe@Example.com", "Jane Roe", "tok_jane"),
        ("2", "bob@example.com", "Bob", "tok_bob"),
        ("3", "carol@example.com", "Carol", "tok_carol"),
    ] {
        db.insert(
            "customers",
            &[
                ("id", Some(id)),
                ("email", Some(email)),
                ("full_name", Some(name)),
                ("card_token", Some(card)),
            ],
        );
    }
    for (id, customer, ship_to, addr, total) in [
        ("10", "1", "9 Gift Lane", "100", "42.00"),
        ("11", "2", "2 Elm St", "101", "17.50"),
    ] {
        db.insert(
            "orders",
            &[
                ("id", Some(id)),
                ("customer_id", Some(customer)),
                ("ship_to", Some(ship_to)),
                ("shipping_address_id", Some(addr)),
                ("total", Some(total)),
            ],
        );
    }
    for (id, customer, street, note) in [
        ("100", None, "9 Gift Lane", "gift for a friend"),
        ("101", Some("2"), "2 Elm St", "bob's"),
        ("102", Some("1"), "1 Main St", "home"),
    ] {
        db.insert(
            "addresses",
            &[
                ("id", Some(id)),
                ("customer_id", customer),
                ("street", Some(street)),
                ("note", Some(note)),
            ],
        );
    }
    db.insert(
        "logins",
        &[
            ("email", Some("jane.roe@example.com")),
            ("ip", Some("203.0.113.7")),
        ],
    );
    db.insert(
        "logins",
        &[
            ("email", Some("bob@example.com")),
            ("ip", Some("198.51.100.9")),
        ],
    );
    db
}

async fn connect(e: &Env, name: &str, conn: &str, db: MemoryDb) {
    e.fakes.sqlite.put(conn, db);
    e.requests
        .register_dataset(
            &svc(),
            DatasetRegistration {
                name: name.into(),
                kind: ConnectorKind::SqliteDataset,
                annotation: SHOP.into(),
                connection: ConnectionSource::Secret(SecretString::from(conn)),
            },
        )
        .await
        .unwrap();
}

/// A request of `kind` about `email`, submitted publicly, verified by its code and approved
/// with the data points a non-account holder needs (CCPA-24).
async fn approved(e: &Env, kind: RequestKind, email: &str) -> RequestId {
    let a = e
        .requests
        .submit(
            &Caller::System,
            SubmitRequest::by_email(kind, "privacy_center", email),
        )
        .await
        .unwrap();
    e.requests
        .verify_code(a.request_id, &e.last_code())
        .await
        .unwrap();
    e.requests
        .approve(
            &svc(),
            a.request_id,
            ApproveInput {
                data_points: 2,
                signed_declaration: true,
            },
        )
        .await
        .unwrap();
    a.request_id
}

fn text(out: &steward_requests::ReportOutput) -> String {
    String::from_utf8(out.body.expose().clone()).unwrap()
}

async fn report(e: &Env, id: RequestId, format: ReportFormat) -> String {
    text(&e.requests.report(&svc(), id, format).await.unwrap())
}

#[tokio::test]
async fn access_reports_carry_every_connected_system_by_table_field_and_category() {
    let e = env();
    let s = e.subject(EMAIL, "US-CA").await;
    e.item(
        s,
        "email",
        EMAIL,
        "direct:registration",
        "account_registration",
    )
    .await;
    connect(&e, "shop", "shop.db", shop()).await;
    let before = e.fakes.sqlite.get("shop.db").unwrap();
    let id = approved(&e, RequestKind::Access, EMAIL).await;
    let out = e.requests.run(&svc(), id, &|_| {}).await.unwrap();
    assert_eq!(out.state.as_str(), "completed", "{out:?}");
    let read = json(
        &out.systems
            .iter()
            .find(|x| x.system == "dataset:shop")
            .unwrap()
            .detail,
    );
    assert_eq!(read["rows"], 5, "{read}");

    let r: serde_json::Value =
        serde_json::from_str(&report(&e, id, ReportFormat::Json).await).unwrap();
    assert_eq!(r["confirmation"], true);
    let shop = &r["connected_systems"][0];
    assert_eq!(shop["system"], "dataset:shop");
    let table = |name: &str| {
        shop["tables"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["table"] == name)
            .unwrap_or_else(|| panic!("no table {name}: {shop}"))
            .clone()
    };
    let customers = table("customers");
    let fields: Vec<(&str, &str)> = customers["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["field"].as_str().unwrap(),
                f["category"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        fields,
        [
            ("card_token", "payment_card"),
            ("email", "email"),
            ("full_name", "name")
        ]
    );
    assert_eq!(
        customers["rows"],
        serde_json::json!([[
            "card on file (number not disclosed)",
            "Jane.Roe@Example.com",
            "Jane Roe"
        ]]),
        "CCPA-38: the card token is held but not disclosed"
    );
    assert_eq!(
        customers["fields"][1]["category_name"]
            .as_str()
            .map(str::is_empty),
        Some(false)
    );
    // Both paths to `addresses`: the customer's own and the gift address of an order.
    assert_eq!(
        table("addresses")["rows"],
        serde_json::json!([["1 Main St"], ["9 Gift Lane"]])
    );
    assert_eq!(
        table("orders")["rows"],
        serde_json::json!([["9 Gift Lane"]])
    );
    assert_eq!(
        table("logins")["rows"],
        serde_json::json!([["203.0.113.7"]])
    );
    let searched: Vec<(&str, u64)> = r["systems_searched"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| (x["system"].as_str().unwrap(), x["found"].as_u64().unwrap()))
        .collect();
    assert_eq!(searched, [("vault", 1), ("dataset:shop", 5)]);

    // Only what the annotation marks: no order total, no address note, nobody else's rows.
    for format in [
        ReportFormat::Json,
        ReportFormat::Csv,
        ReportFormat::Html,
        ReportFormat::PortableJson,
        ReportFormat::PortableCsv,
    ] {
        let t = report(&e, id, format).await;
        for absent in [
            "42.00",
            "gift for a friend",
            "home",
            "Bob",
            "2 Elm St",
            "tok_",
            "carol",
        ] {
            assert!(!t.contains(absent), "{format:?} shows `{absent}`");
        }
    }
    let csv = report(&e, id, ReportFormat::Csv).await;
    assert!(csv.starts_with(
        "category,category_name,value,source,purpose,collected_at,retain_until,system,table,field\n"
    ));
    assert!(
        csv.contains(",9 Gift Lane,,,,,dataset:shop,addresses,street\n"),
        "{csv}"
    );
    assert!(
        csv.contains(",vault,,\n"),
        "vault rows say where they are: {csv}"
    );
    let html = report(&e, id, ReportFormat::Html).await;
    assert!(html.contains("In our system “shop”") && html.contains("<h3>addresses</h3>"));
    assert!(html.contains("street (") && html.contains("9 Gift Lane"));
    assert!(html.contains("Where we looked"));
    // Portability: portable categories only (the log-in address and the card stay out).
    let p: serde_json::Value =
        serde_json::from_str(&report(&e, id, ReportFormat::PortableJson).await).unwrap();
    let from_shop: Vec<(String, String, String)> = p["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["system"] == "dataset:shop")
        .map(|i| {
            (
                i["table"].as_str().unwrap().to_string(),
                i["field"].as_str().unwrap().to_string(),
                i["value"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(from_shop.contains(&("addresses".into(), "street".into(), "9 Gift Lane".into())));
    assert!(from_shop.contains(&(
        "customers".into(),
        "email".into(),
        "Jane.Roe@Example.com".into()
    )));
    assert!(
        from_shop.iter().all(|(t, _, _)| t != "logins"),
        "{from_shop:?}"
    );
    assert!(
        p["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i.get("system").is_none()),
        "vault items too"
    );
    let pcsv = report(&e, id, ReportFormat::PortableCsv).await;
    assert!(pcsv.contains(",dataset:shop,addresses,street\n"), "{pcsv}");

    // Reading wrote nothing.
    assert_eq!(e.fakes.sqlite.get("shop.db").unwrap(), before);
    assert_eq!(e.fakes.sqlite.commits("shop.db"), 0);
    assert_eq!(e.fakes.sqlite.reads("shop.db"), 1);
    // The rows are kept sealed with the request, not in its document or its steps.
    let v = e.requests.show(id).await.unwrap();
    assert!(!format!("{}", json(&v)).contains("Gift Lane"));
}

#[tokio::test]
async fn someone_only_a_connected_system_knows_gets_their_data_and_someone_unknown_is_told_where_was_looked()
 {
    let e = env();
    connect(&e, "shop", "shop.db", shop()).await;
    // Carol has no subject in Steward: only the shop knows her.
    let carol = approved(&e, RequestKind::KnowSpecificPieces, "carol@example.com").await;
    assert_eq!(
        e.requests
            .run(&svc(), carol, &|_| {})
            .await
            .unwrap()
            .state
            .as_str(),
        "completed"
    );
    let r: serde_json::Value =
        serde_json::from_str(&report(&e, carol, ReportFormat::Json).await).unwrap();
    assert_eq!(r["confirmation"], true, "not a false \"we hold nothing\"");
    assert_eq!(
        r["connected_systems"][0]["tables"][0]["rows"][0][2],
        "Carol"
    );
    // Dave is nowhere.
    let dave = approved(&e, RequestKind::Access, "dave@example.com").await;
    e.requests.run(&svc(), dave, &|_| {}).await.unwrap();
    let r: serde_json::Value =
        serde_json::from_str(&report(&e, dave, ReportFormat::Json).await).unwrap();
    assert_eq!(r["confirmation"], false);
    assert_eq!(r["connected_systems"], serde_json::json!([]));
    assert_eq!(
        r["systems_searched"],
        serde_json::json!([{"system": "vault", "found": 0}, {"system": "dataset:shop", "found": 0}])
    );
    let html = report(&e, dave, ReportFormat::Html).await;
    assert!(
        html.contains("our system “shop”: nothing about you"),
        "{html}"
    );
    // A know-categories request lists the fields found, not their values.
    let cats = approved(&e, RequestKind::KnowCategories, "carol@example.com").await;
    e.requests.run(&svc(), cats, &|_| {}).await.unwrap();
    let r: serde_json::Value =
        serde_json::from_str(&report(&e, cats, ReportFormat::Json).await).unwrap();
    let t = &r["connected_systems"][0]["tables"][0];
    assert_eq!(t["table"], "customers");
    assert!(!t["fields"].as_array().unwrap().is_empty());
    assert_eq!(t["rows"], serde_json::json!([]));
    assert!(!report(&e, cats, ReportFormat::Json).await.contains("Carol"));
}

#[tokio::test]
async fn a_system_that_is_down_fails_the_request_there_and_it_runs_again_until_read() {
    let e = env();
    let s = e.subject(EMAIL, "US-CA").await;
    e.item(
        s,
        "email",
        EMAIL,
        "direct:registration",
        "account_registration",
    )
    .await;
    connect(&e, "a_shop", "a.db", shop()).await;
    connect(&e, "crm", "crm.db", shop()).await;
    e.fakes
        .sqlite
        .set_down("crm.db", Some("connection refused by crm.internal"));
    let id = approved(&e, RequestKind::Access, EMAIL).await;
    let first = e.requests.run(&svc(), id, &|_| {}).await.unwrap();
    assert_eq!(first.state.as_str(), "failed");
    assert_eq!(first.failed_system.as_deref(), Some("dataset:crm"));
    assert!(
        first
            .reason
            .as_deref()
            .unwrap()
            .starts_with("CONNECT: connection refused"),
        "{first:?}"
    );
    let v = e.requests.show(id).await.unwrap();
    assert_eq!(v.failure.as_ref().unwrap().system, "dataset:crm");
    // No report while a system is missing, and no "your report is ready" message.
    assert!(matches!(
        e.requests.report(&svc(), id, ReportFormat::Json).await,
        Err(CoreError::Conflict {
            code: ErrorCode::NotCompleted,
            ..
        })
    ));
    assert!(e.outbox().iter().all(|m| !m.contains("is ready")));
    // Run again after the back-off (1 minute, then 2): still down, then up.
    assert_eq!(e.requests.deliver_due().await.unwrap().reads_retried, 0);
    e.clock.advance(SignedDuration::from_secs(61));
    assert_eq!(e.requests.deliver_due().await.unwrap().reads_retried, 1);
    assert_eq!(e.requests.show(id).await.unwrap().summary.state, "failed");
    e.fakes.sqlite.set_down("crm.db", None);
    e.clock.advance(SignedDuration::from_secs(61));
    assert_eq!(
        e.requests.deliver_due().await.unwrap().reads_retried,
        0,
        "the second back-off (2 minutes) has not passed"
    );
    e.clock.advance(SignedDuration::from_secs(60));
    assert_eq!(e.requests.deliver_due().await.unwrap().reads_retried, 1);
    let v = e.requests.show(id).await.unwrap();
    assert_eq!(v.summary.state, "completed");
    // The dataset read on the first run was not read again.
    assert_eq!(e.fakes.sqlite.reads("a.db"), 1);
    assert_eq!(e.fakes.sqlite.reads("crm.db"), 1);
    let r: serde_json::Value =
        serde_json::from_str(&report(&e, id, ReportFormat::Json).await).unwrap();
    let systems: Vec<&str> = r["connected_systems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["system"].as_str().unwrap())
        .collect();
    assert_eq!(systems, ["dataset:a_shop", "dataset:crm"]);
    assert!(
        e.outbox().last().unwrap().contains("is ready"),
        "the subject is told once it is complete"
    );
}

#[tokio::test]
async fn erasure_follows_every_path_to_a_table() {
    let e = env();
    let s = e.subject(EMAIL, "US-CA").await;
    e.item(
        s,
        "email",
        EMAIL,
        "direct:registration",
        "account_registration",
    )
    .await;
    connect(&e, "shop", "shop.db", shop()).await;
    let id = approved(&e, RequestKind::Deletion, EMAIL).await;
    let p = e.requests.show(id).await.unwrap().plan.unwrap();
    let order: Vec<&str> = p.datasets[0]
        .tables
        .iter()
        .map(|(t, _)| t.as_str())
        .collect();
    let pos = |t: &str| order.iter().position(|x| *x == t).unwrap();
    assert!(
        pos("addresses") < pos("orders") && pos("orders") < pos("customers"),
        "{order:?}"
    );
    let out = e.requests.run(&svc(), id, &|_| {}).await.unwrap();
    assert_eq!(out.state.as_str(), "completed", "{out:?}");
    let db = e.fakes.sqlite.get("shop.db").unwrap();
    let streets: Vec<String> = db.tables["addresses"]
        .iter()
        .map(|r| r["street"].clone().unwrap())
        .collect();
    assert_eq!(
        streets,
        ["2 Elm St"],
        "both of Jane's addresses are gone, Bob's stays"
    );
}

#[tokio::test]
async fn annotations_with_a_via_cycle_are_refused_naming_it_and_several_paths_are_accepted() {
    let e = env();
    let cycle = r#"
[[tables]]
name = "customers"
identity = { column = "email", kind = "email" }
action = "delete"

[[tables]]
name = "a"
via = [{ column = "x", table = "customers", references = "id" }, { column = "y", table = "b", references = "id" }]
action = "delete"

[[tables]]
name = "b"
via = { column = "z", table = "a", references = "id" }
action = "delete"
"#;
    let r = e
        .requests
        .register_dataset(
            &svc(),
            DatasetRegistration {
                name: "loop".into(),
                kind: ConnectorKind::SqliteDataset,
                annotation: cycle.into(),
                connection: ConnectionSource::Secret(SecretString::from("loop.db")),
            },
        )
        .await;
    match r {
        Err(CoreError::Invalid { code, message }) => {
            assert_eq!(code, "ORDER_CYCLE");
            assert!(
                message.contains("a → b → a") || message.contains("b → a → b"),
                "{message}"
            );
        }
        other => panic!("{other:?}"),
    }
    // The same tables without the cycle are fine.
    let ok = cycle.replace(
        "via = { column = \"z\", table = \"a\", references = \"id\" }",
        "via = { column = \"z\", table = \"customers\", references = \"id\" }",
    );
    let v = e
        .requests
        .register_dataset(
            &svc(),
            DatasetRegistration {
                name: "fine".into(),
                kind: ConnectorKind::SqliteDataset,
                annotation: ok,
                connection: ConnectionSource::Secret(SecretString::from("fine.db")),
            },
        )
        .await
        .unwrap();
    let order: Vec<&str> = v.tables.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(order.last(), Some(&"customers"), "{order:?}");
}
