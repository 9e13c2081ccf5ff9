//! Upgrading a schema-version-1 database (written before API keys and choice channels) keeps
//! its rows: choices read back with no channel, and the new tables work.

use rusqlite::{Connection, params};
use steward_store::conformance::fixtures::{api_key, choice};
use steward_store::values::store_precision;
use steward_store::{ApiKeyStore, ChoiceLedger, Party, Store, SubjectId};
use steward_store_sqlite::{SqliteOptions, SqliteStore};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dm_08_version_1_database_upgrades_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v1.db");
    let subject = SubjectId::generate();
    let old = choice(Party::Subject(subject), "sale_opt_out", true, 1);
    {
        let c = Connection::open(&path).unwrap();
        c.execute_batch(include_str!("../migrations/0001_initial.sql"))
            .unwrap();
        c.execute_batch(
            "CREATE TABLE steward_schema (version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL);
             INSERT INTO steward_schema VALUES (1, 'initial', 0);",
        )
        .unwrap();
        c.execute(
            "INSERT INTO subjects (id, controller, kind, created_at, updated_at, revision) VALUES (?1, 'stamps_com_inc', 1, 0, 0, 1)",
            [subject.to_bytes()],
        )
        .unwrap();
        c.execute(
            "INSERT INTO choices (id, party_kind, party, key, value, source, actor_kind, policy_version, notice_hash, at) \
             VALUES (?1, 0, ?2, 'sale_opt_out', 1, 1, 0, '2020-01-17', ?3, ?4)",
            params![
                old.id.to_bytes(),
                subject.to_bytes(),
                old.notice_hash.unwrap().0,
                store_precision(old.at).as_microsecond()
            ],
        )
        .unwrap();
    }
    let store = SqliteStore::open(&path, SqliteOptions::default()).unwrap();
    let status = store.schema_status().await.unwrap();
    assert_eq!(status.database, SqliteStore::schema_version());
    let listed = store
        .list_choices(&[Party::Subject(subject)])
        .await
        .unwrap();
    let mut expected = old.clone();
    expected.channel = None;
    assert_eq!(listed, vec![expected]);
    // The new entry (with a channel) and the new table work on the upgraded file.
    let new = choice(Party::Subject(subject), "marketing:email", true, 2);
    store.append_choice(&new).await.unwrap();
    assert_eq!(
        store
            .list_choices(&[Party::Subject(subject)])
            .await
            .unwrap()[1],
        new
    );
    let key = store
        .create_api_key(&api_key("svc:a", "stw_a", &["decide"], 1))
        .await
        .unwrap();
    assert_eq!(
        store.find_api_key_by_hash(&key.hash).await.unwrap(),
        Some(key)
    );
}
