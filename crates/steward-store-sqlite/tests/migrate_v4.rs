//! Upgrading a schema-version-4 database (webhook deliveries tied to requests only) to
//! version 5 keeps its deliveries (read back as request deliveries with their sealed bodies)
//! and lets partner notifications have deliveries of their own (ADTECH-03, CCPA-13).

use rusqlite::{Connection, params};
use steward_store::ids::{ConnectorId, DeliveryId, RequestId};
use steward_store::model::event::{NotificationId, NotificationKind, PartnerNotification};
use steward_store::model::request::{DeliveryState, NewDelivery, RequestCode};
use steward_store::values::RecipientKey;
use steward_store::{ChoiceId, EventStore, RequestStore, Store, SubjectId};
use steward_store_sqlite::{SqliteOptions, SqliteStore};

const MIGRATIONS_1_TO_4: [(&str, &str); 4] = [
    ("initial", include_str!("../migrations/0001_initial.sql")),
    (
        "api_keys_and_choice_channels",
        include_str!("../migrations/0002_api_keys_and_choice_channels.sql"),
    ),
    ("events", include_str!("../migrations/0003_events.sql")),
    ("requests", include_str!("../migrations/0004_requests.sql")),
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dm_08_version_4_deliveries_survive_and_notifications_get_deliveries() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v4.db");
    let subject = SubjectId::generate();
    let request = RequestId::generate();
    let connector = ConnectorId::generate();
    let delivery = DeliveryId::generate();
    let t = 1_709_571_600_000_000_i64;
    {
        let c = Connection::open(&path).unwrap();
        c.execute_batch(
            "CREATE TABLE steward_schema (version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL);",
        )
        .unwrap();
        for (i, (name, sql)) in MIGRATIONS_1_TO_4.iter().enumerate() {
            c.execute_batch(sql).unwrap();
            c.execute(
                "INSERT INTO steward_schema VALUES (?1, ?2, 0)",
                params![i as i64 + 1, name],
            )
            .unwrap();
        }
        c.execute(
            "INSERT INTO subjects (id, controller, kind, created_at, updated_at, revision) VALUES (?1, 'stamps_com_inc', 1, 0, 0, 1)",
            [subject.to_bytes()],
        )
        .unwrap();
        c.execute(
            "INSERT INTO requests (id, kind, subject, requester, channel, state, received_at, due, \
             max_due, key_kek, key_wrapped, doc, revision, updated_at) \
             VALUES (?1, 'deletion', ?2, 1, 'api', 8, ?3, ?3, ?3, 'kek-1', ?4, X'7B7D', 1, ?3)",
            params![request.to_bytes(), subject.to_bytes(), t, vec![7u8; 60]],
        )
        .unwrap();
        c.execute(
            "INSERT INTO connectors (id, name, kind, recipient, config, key_kek, key_wrapped, \
             created_at, updated_at) VALUES (?1, 'mp1', 3, 'MP1', X'7B7D', 'kek-1', ?2, ?3, ?3)",
            params![connector.to_bytes(), vec![9u8; 60], t],
        )
        .unwrap();
        c.execute(
            "INSERT INTO webhook_deliveries (id, request, connector, recipient, event, sealed, \
             state, attempts, max_attempts, created_at, next_attempt_at, delivered_at) \
             VALUES (?1, ?2, ?3, 'MP1', 'erasure', ?4, 2, 1, 8, ?5, ?5, ?5)",
            params![
                delivery.to_bytes(),
                request.to_bytes(),
                connector.to_bytes(),
                vec![1u8; 40],
                t
            ],
        )
        .unwrap();
    }
    let store = SqliteStore::open(&path, SqliteOptions::default()).unwrap();
    assert_eq!(
        store.schema_status().await.unwrap().database,
        SqliteStore::schema_version()
    );
    let old = store.get_delivery(delivery).await.unwrap();
    assert_eq!(
        (old.request, old.notification, old.state),
        (Some(request), None, DeliveryState::Delivered)
    );
    assert_eq!(old.sealed.unwrap().as_bytes(), &[1u8; 40][..]);
    assert_eq!(store.request_deliveries(request).await.unwrap().len(), 1);
    // A notification's delivery on the upgraded file.
    let at = old.created_at;
    let note = PartnerNotification {
        id: NotificationId::generate(),
        subject,
        recipient: RecipientKey::new("MP1").unwrap(),
        kind: NotificationKind::OptOutForward,
        trigger: ChoiceId::generate(),
        created_at: at,
        due_at: at,
        sent_at: None,
        acked_at: None,
        attempts: 0,
    };
    store
        .enqueue_notifications(std::slice::from_ref(&note))
        .await
        .unwrap();
    let id = DeliveryId::from_uuid(note.id.as_uuid());
    store
        .create_deliveries(&[NewDelivery {
            id,
            request: None,
            notification: Some(note.id),
            connector,
            recipient: note.recipient.clone(),
            event: RequestCode::new("opt_out").unwrap(),
            sealed: None,
            created_at: at,
            next_attempt_at: at,
            max_attempts: 8,
        }])
        .await
        .unwrap();
    assert_eq!(
        store.get_delivery(id).await.unwrap().notification,
        Some(note.id)
    );
}
