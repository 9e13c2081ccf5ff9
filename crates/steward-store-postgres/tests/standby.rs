//! The read connection to a streaming standby (`PgStore::with_standby`), against the real
//! hot standby `./scripts/test` starts beside the test server (`STEWARD_TEST_PG_STANDBY_URL`):
//! which reads the read view sends there, that writes and the store's own reads stay on the
//! primary, and that the lag bound sends reads back to the primary when replay stops.
//!
//! The standby is made to lag on purpose by pausing its replay (`pg_wal_replay_pause()`), so
//! these cases run one after the other in one test.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::disallowed_methods,
    reason = "tests: a failed setup step should stop the test with its message; deadlines are wall time"
)]

mod support;

use std::time::{Duration, Instant};

use steward_store::conformance::fixtures;
use steward_store::{Store, StoreError, SubjectKind, SubjectStore};
use steward_store_postgres::PgOptions;
use support::{TestDb, connect_raw, url_for};

fn standby_admin() -> String {
    match std::env::var("STEWARD_TEST_PG_STANDBY_URL") {
        Ok(url) if !url.trim().is_empty() => url,
        _ => panic!(
            "STEWARD_TEST_PG_STANDBY_URL is not set: the standby tests need a streaming hot \
             standby of the STEWARD_TEST_PG_URL server. Run them through ./scripts/test \
             (e.g. `./scripts/test -p steward-store-postgres --test standby`), which starts one."
        ),
    }
}

/// Waits until `db` (created and migrated on the primary) has reached the standby.
async fn replicated(db: &TestDb) -> String {
    let url = url_for(&standby_admin(), &db.name);
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Ok((c, conn)) = tokio_postgres::connect(&url, tokio_postgres::NoTls).await {
            tokio::spawn(async move {
                let _ = conn.await;
            });
            if c.query_opt("SELECT 1 FROM steward_schema LIMIT 1", &[])
                .await
                .is_ok_and(|r| r.is_some())
            {
                return url;
            }
        }
        assert!(
            Instant::now() < deadline,
            "database {} did not reach the standby within 30 s",
            db.name
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn wait_for(what: &str, mut f: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !f() {
        assert!(Instant::now() < deadline, "{what}: not within 30 s");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_primary_is_refused_as_the_read_connection() {
    let db = TestDb::create().await;
    let store = db.store().await.unwrap();
    let err = store
        .with_standby(&db.url, &PgOptions::default(), Duration::from_secs(1))
        .await
        .expect_err("the primary itself is not a standby");
    assert!(matches!(err, StoreError::Invalid(_)), "{err:?}");
    assert!(err.to_string().contains("not a standby"), "{err}");
}

/// Pauses the standby's replay and waits until it is paused.
async fn pause(standby: &tokio_postgres::Client) {
    standby
        .batch_execute("SELECT pg_wal_replay_pause()")
        .await
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let state: String = standby
            .query_one("SELECT pg_get_wal_replay_pause_state()", &[])
            .await
            .unwrap()
            .get(0);
        if state == "paused" {
            return;
        }
        assert!(Instant::now() < deadline, "replay did not pause");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

async fn resume(standby: &tokio_postgres::Client) {
    standby
        .batch_execute("SELECT pg_wal_replay_resume()")
        .await
        .unwrap();
}

/// One test: the cases pause the one standby's replay in turn.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reads_go_to_the_standby_within_the_lag_bound_and_writes_to_the_primary() {
    let db = TestDb::create().await;
    let plain = db.store().await.unwrap();
    assert!(plain.read_view().is_none(), "no standby, no read view");
    drop(plain);
    let standby_url = replicated(&db).await;
    let standby = connect_raw(&standby_url).await;
    let store = db
        .store()
        .await
        .unwrap()
        .with_standby(&standby_url, &PgOptions::default(), Duration::from_secs(60))
        .await
        .unwrap();
    assert!(store.standby_target().is_some());
    let view = store
        .read_view()
        .expect("a store with a standby has a read view");
    assert_eq!(view.max_lag, Duration::from_secs(60));
    let pg_view = store.standby_view().unwrap();
    assert!(
        !store.reads_from_standby(),
        "the store itself never reads from the standby"
    );
    wait_for("the monitor finds the standby caught up", || {
        pg_view.reads_from_standby()
    })
    .await;

    // Replication stopped: what is written now exists on the primary only.
    pause(&standby).await;
    let result = async {
        let before = fixtures::subject(&store).await;
        // A write through the view goes to the primary (a hot standby refuses writes).
        let written = fixtures::new_subject(SubjectKind::Visitor);
        view.store.create_subject(&written).await.unwrap();
        // The store's own reads are the primary's (read-your-own-writes).
        assert_eq!(store.get_subject(written.id).await.unwrap().id, written.id);
        assert_eq!(store.get_subject(before).await.unwrap().id, before);
        // The view reads the paused standby: within the 60 s bound, it has neither.
        assert!(pg_view.reads_from_standby());
        for id in [written.id, before] {
            assert!(
                matches!(
                    view.store.get_subject(id).await,
                    Err(StoreError::NotFound(_))
                ),
                "the view read the paused standby"
            );
        }
        written.id
    }
    .await;
    resume(&standby).await;
    // Replay resumes: the standby catches up and serves the write.
    let deadline = Instant::now() + Duration::from_secs(30);
    while view.store.get_subject(result).await.is_err() {
        assert!(Instant::now() < deadline, "the standby did not catch up");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    // A standby lagging past its bound is not read: with a 300 ms bound, a write not replayed
    // after 600 ms is read from the primary.
    let tight = db
        .store()
        .await
        .unwrap()
        .with_standby(
            &standby_url,
            &PgOptions::default(),
            Duration::from_millis(300),
        )
        .await
        .unwrap();
    let tight_view = tight.standby_view().unwrap();
    wait_for("the monitor finds the standby caught up", || {
        tight_view.reads_from_standby()
    })
    .await;
    pause(&standby).await;
    let id = fixtures::subject(&tight).await;
    tokio::time::sleep(Duration::from_millis(600)).await;
    let bypassed = !tight_view.reads_from_standby();
    let got = tight_view.get_subject(id).await;
    resume(&standby).await;
    assert!(
        bypassed,
        "a standby 600 ms behind a 300 ms bound is bypassed"
    );
    assert_eq!(got.unwrap().id, id, "the lagging standby was not read");
}
