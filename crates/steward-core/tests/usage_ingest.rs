//! Usage events at the door (the usage-data work), against the real SQLite store and vault: consent
//! gating per device and jurisdiction (COOKIE-11), stripping by purpose, IP pseudonyms and
//! coarse regions (IPPS-01, IPPS-02, IPPS-03, IPPS-04), malformed events rejected one by one, GPC persisted once
//! (GPC-03, GPC-10), the log-in security log (IPPS-05), and no raw address anywhere on disk.
#![expect(
    clippy::unwrap_used,
    reason = "test code: a failed step fails the test"
)]

mod support;

use std::sync::Arc;
use steward_errors::ErrorCode;

use steward_core::CoreError;
use steward_core::ingest::events::LoginInput;
use steward_core::ingest::{EventOutcome, EventSlot, GeoLookup, IngestConfig, Ingestor};
use steward_store::model::audit::AuditQuery;
use steward_store::model::event::{IngestOutcome, UsageGroup, UsageScope, utc_day};
use steward_store::model::subject::IdentityKind;
use steward_vault::{IpPrefix, KeyRingError, SecretKind, Sensitive, parse_ip, truncate_prefix};
use support::*;

fn prefix(ip: &str) -> IpPrefix {
    truncate_prefix(parse_ip(ip).unwrap())
}

/// 203.0.113.0/24 is in California, 198.51.100.0/24 in Germany.
fn geo_db() -> Arc<dyn GeoLookup> {
    Arc::new(TableGeo(vec![
        (prefix("203.0.113.0"), "US-CA"),
        (prefix("198.51.100.0"), "DE"),
    ]))
}

#[tokio::test]
async fn cookie_11_eu_without_consent_and_us_opted_out_are_dropped_and_counted() {
    let e = env();
    // A US device that rejected analytics cookies.
    choose(&e.steward, cookie("c-us-out"), "cookie:analytics", false).await;
    // An EU device that consented.
    choose(&e.steward, cookie("c-eu-yes"), "cookie:analytics", true).await;
    let report = e
        .ingest
        .ingest_events(
            &svc(),
            slots(vec![
                ev("analytics_uid", "c-eu", "FR"),
                ev("analytics_uid", "c-us", "US-TX"),
                ev("analytics_uid", "c-us-out", "US-TX"),
                ev("analytics_uid", "c-eu-yes", "DE"),
            ]),
        )
        .await
        .unwrap();
    assert_eq!(
        (report.accepted, report.dropped, report.rejected),
        (2, 2, 0)
    );
    let reasons: Vec<(usize, &str)> = report
        .results
        .iter()
        .map(|r| (r.index, r.reason.as_str()))
        .collect();
    assert_eq!(reasons, vec![(0, "CONSENT_REQUIRED"), (2, "OPTED_OUT")]);
    let store = e.steward.store();
    let dropped_device = e
        .steward
        .identity_ref(IdentityKind::Cookie, "c-eu")
        .unwrap();
    assert!(
        store
            .usage_events_of(&UsageScope::Device(dropped_device), 10)
            .await
            .unwrap()
            .is_empty(),
        "COOKIE-11: zero rows stored for the dropped device"
    );
    let kept = e
        .steward
        .identity_ref(IdentityKind::Cookie, "c-us")
        .unwrap();
    let rows = store
        .usage_events_of(&UsageScope::Device(kept), 10)
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(
        rows[0].page.as_ref().unwrap().as_str(),
        "//www.stamps.com/shipping/rates"
    );
    assert_eq!(rows[0].browser.as_ref().unwrap().as_str(), "firefox");
    // Counted, not silently lost.
    let day = utc_day(e.clock.now_ts());
    let counts = store.ingest_counts(day, day).await.unwrap();
    let get = |o: IngestOutcome, r: &str| {
        counts
            .iter()
            .find(|c| c.outcome == o && c.reason.as_str() == r)
            .map_or(0, |c| c.count)
    };
    assert_eq!(get(IngestOutcome::Accepted, "OK"), 2);
    assert_eq!(get(IngestOutcome::Dropped, "CONSENT_REQUIRED"), 1);
    assert_eq!(get(IngestOutcome::Dropped, "OPTED_OUT"), 1);
    // Audited as EVENT_DROPPED{reason}: counts, no values.
    e.steward.audit().flush().await;
    let entries = store.query_audit(&AuditQuery::all(1000)).await.unwrap();
    let dropped: Vec<_> = entries
        .iter()
        .filter(|a| a.event.action.as_str() == "events.ingest.dropped")
        .collect();
    assert_eq!(dropped.len(), 2);
    assert!(dropped.iter().any(|a| {
        a.event
            .outcome
            .as_ref()
            .is_some_and(|o| o.reason.as_str() == "CONSENT_REQUIRED")
    }));
}

#[tokio::test]
async fn cookie_08_withdrawing_consent_stops_collection_from_that_device_at_once() {
    let e = env();
    choose(&e.steward, cookie("c-1"), "cookie:analytics", true).await;
    let r = e
        .ingest
        .ingest_events(&svc(), slots(vec![ev("analytics_uid", "c-1", "FR")]))
        .await
        .unwrap();
    assert_eq!(r.accepted, 1);
    choose(&e.steward, cookie("c-1"), "cookie:analytics", false).await;
    let r = e
        .ingest
        .ingest_events(&svc(), slots(vec![ev("analytics_uid", "c-1", "FR")]))
        .await
        .unwrap();
    assert_eq!((r.accepted, r.dropped), (0, 1));
    assert_eq!(r.results[0].reason, "CONSENT_WITHDRAWN");
}

#[tokio::test]
async fn fields_the_tracker_purpose_may_not_use_are_stripped() {
    let e = env();
    // The session cookie is strictly necessary (allowed without consent), but its purpose
    // (service provision) may not use pages viewed or links clicked.
    let mut session = ev("session_cookie", "c-eu", "FR");
    session.link = Some("/offer".into());
    let r = e
        .ingest
        .ingest_events(&svc(), slots(vec![session]))
        .await
        .unwrap();
    assert_eq!((r.accepted, r.stripped), (0, 1));
    assert_eq!(r.results[0].outcome, EventOutcome::Stripped);
    assert_eq!(r.results[0].stripped, vec!["page", "link"]);
    let d = e
        .steward
        .identity_ref(IdentityKind::Cookie, "c-eu")
        .unwrap();
    let rows = e
        .steward
        .store()
        .usage_events_of(&UsageScope::Device(d), 10)
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    assert!(rows[0].page.is_none() && rows[0].link.is_none());
    assert!(
        rows[0].browser.is_some(),
        "browser type serves service provision"
    );
    assert!(
        rows[0].ip.is_some(),
        "the pseudonym serves traffic monitoring"
    );
}

#[tokio::test]
async fn malformed_events_are_rejected_one_by_one_and_the_rest_is_kept() {
    let e = env();
    let mut bad_ip = ev("analytics_uid", "c-1", "US-TX");
    bad_ip.ip = Some("203.0.113.999".into());
    let mut bad_page = ev("analytics_uid", "c-2", "US-TX");
    bad_page.page = Some("/user/jane@example.com".into());
    let mut future = ev("analytics_uid", "c-3", "US-TX");
    future.at = Some("2030-01-01T00:00:00Z".into());
    let unknown_tracker = ev("unknown_px", "c-4", "US-TX");
    let batch = vec![
        EventSlot::Event(ev("analytics_uid", "c-ok", "US-TX")),
        EventSlot::Event(bad_ip),
        EventSlot::Malformed("missing field `tracker`".into()),
        EventSlot::Malformed("invalid type: integer `42`, expected struct UsageEvent".into()),
        EventSlot::Event(bad_page),
        EventSlot::Event(future),
        EventSlot::Event(unknown_tracker),
    ];
    let r = e.ingest.ingest_events(&svc(), batch).await.unwrap();
    assert_eq!((r.accepted, r.rejected, r.dropped), (1, 5, 1));
    let reasons: Vec<(usize, &str)> = r
        .results
        .iter()
        .map(|x| (x.index, x.reason.as_str()))
        .collect();
    assert_eq!(
        reasons,
        vec![
            (1, "BAD_IP"),
            (2, "MALFORMED_EVENT"),
            (3, "MALFORMED_EVENT"),
            (4, "BAD_PAGE"),
            (5, "BAD_TIME"),
            (6, "NO_RULE"),
        ]
    );
    // A malformed element is rejected with what its decoder said.
    assert!(r.results[1].message.as_deref().unwrap().contains("tracker"));
    // A batch over the limit is refused whole.
    let big = Ingestor::new(
        e.steward.clone(),
        e.ring.ip_pseudonymizer(),
        IngestConfig {
            max_batch: 2,
            ..IngestConfig::default()
        },
    )
    .unwrap();
    let err = big
        .ingest_events(
            &svc(),
            slots(vec![
                ev("analytics_uid", "a", "US"),
                ev("analytics_uid", "b", "US"),
                ev("analytics_uid", "c", "US"),
            ]),
        )
        .await
        .unwrap_err();
    assert!(matches!(
        err,
        CoreError::Invalid {
            code: ErrorCode::BatchTooLarge,
            ..
        }
    ));
}

#[tokio::test]
async fn ipps_02_a_missing_pseudonymization_key_stops_ingestion() {
    let e = env();
    let err = Ingestor::new(
        e.steward.clone(),
        Err(KeyRingError::Missing(SecretKind::IpPseudonym)),
        IngestConfig::default(),
    )
    .unwrap_err();
    match err {
        CoreError::Unavailable(m) => assert!(m.contains("pseudonymization key")),
        other => panic!("expected Unavailable, got {other:?}"),
    }
}

#[tokio::test]
async fn ipps_01_02_03_only_the_pseudonym_and_region_are_stored_never_the_address() {
    let e = env_with(Some(geo_db()));
    let s = subject(&e.steward, "US-CA").await;
    let mut v6 = ev("analytics_uid", "c-6", "US-TX");
    v6.ip = Some("2001:db8:abcd:12::7".into());
    let mut mapped = ev("analytics_uid", "c-2", "US-TX");
    mapped.ip = Some("::ffff:203.0.113.7".into());
    let r = e
        .ingest
        .ingest_events(
            &svc(),
            slots(vec![ev("analytics_uid", "c-1", "US-TX"), mapped, v6]),
        )
        .await
        .unwrap();
    assert_eq!(r.accepted, 3);
    e.ingest
        .record_login(
            &svc(),
            LoginInput {
                subject: s,
                ip: Sensitive::new("203.0.113.7".into()),
                device_id: None,
            },
        )
        .await
        .unwrap();
    let store = e.steward.store();
    let one = |c: &str| {
        let d = e.steward.identity_ref(IdentityKind::Cookie, c).unwrap();
        let store = store.clone();
        async move {
            store
                .usage_events_of(&UsageScope::Device(d), 1)
                .await
                .unwrap()
                .remove(0)
        }
    };
    let a = one("c-1").await;
    let b = one("c-2").await;
    assert_eq!(a.geo.as_ref().unwrap().as_str(), "US-CA", "IPPS-03");
    assert_eq!(
        a.ip, b.ip,
        "IPPS-07: an IPv4-mapped address has the IPv4 pseudonym"
    );
    let epoch = e.ingest.epoch_at(e.clock.now_ts()).unwrap();
    assert_eq!(a.ip.unwrap().epoch, epoch.get());
    // Next epoch, another pseudonym for the same address (IPPS-02).
    e.clock.advance(jiff::SignedDuration::from_hours(24 * 31));
    let r = e
        .ingest
        .ingest_events(&svc(), slots(vec![ev("analytics_uid", "c-9", "US-TX")]))
        .await
        .unwrap();
    assert_eq!(r.accepted, 1);
    let c = one("c-9").await;
    assert_ne!(c.ip.unwrap().token, a.ip.unwrap().token);
    // IPPS-01: nothing on disk holds the address in the clear.
    e.steward.audit().flush().await;
    let raw = raw_db(&e.dir);
    assert!(contains(&raw, b"US-CA"), "the scan sees the stored rows");
    for needle in [
        "203.0.113.7",
        "203.0.113",
        "2001:db8:abcd:12::7",
        "2001:db8:abcd",
        "jane%40example.com",
        "jane@example.com",
        "c-1",
    ] {
        assert!(
            !contains(&raw, needle.as_bytes()),
            "`{needle}` found in the database"
        );
    }
}

#[tokio::test]
async fn ipps_04_regions_under_the_minimum_group_size_are_suppressed() {
    let e = env();
    let mut batch = Vec::new();
    for i in 0..12 {
        batch.push(ev("analytics_uid", &format!("ca-{i}"), "US-CA"));
    }
    for i in 0..3 {
        // Regions come from the database only; hints decide, they are not stored as geo.
        let mut x = ev("analytics_uid", &format!("de-{i}"), "US-TX");
        x.ip = Some(format!("198.51.100.{i}"));
        batch.push(x);
    }
    let e2 = env_with(Some(geo_db()));
    let r = e2.ingest.ingest_events(&svc(), slots(batch)).await.unwrap();
    assert_eq!(r.accepted, 15);
    let now = e2.clock.now_ts();
    let agg = e2
        .ingest
        .usage_aggregate(
            &svc(),
            UsageGroup::Geo,
            now.checked_sub(jiff::SignedDuration::from_hours(1))
                .unwrap(),
            now.checked_add(jiff::SignedDuration::from_hours(1))
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(agg.groups.len(), 1);
    assert_eq!(agg.groups[0].key.as_deref(), Some("US-CA"));
    assert_eq!(agg.groups[0].units, 12);
    assert_eq!((agg.suppressed_groups, agg.suppressed_events), (1, 3));
    drop(e);
}

#[tokio::test]
async fn gpc_03_10_a_signal_on_events_is_persisted_once_and_blocks_sharing_trackers() {
    let e = env();
    let mut a = ev("ads_pixel_3p", "c-ca", "US-CA");
    a.gpc = true;
    let r = e
        .ingest
        .ingest_events(&svc(), slots(vec![a.clone(), a.clone()]))
        .await
        .unwrap();
    assert_eq!(
        r.dropped, 2,
        "COOKIE-05: GPC in California blocks the ads pixel"
    );
    assert!(r.results.iter().all(|x| x.reason == "OPTED_OUT"));
    // First-party analytics are not a sale or share: still collected (GPC-05).
    let mut first = ev("analytics_uid", "c-ca", "US-CA");
    first.gpc = true;
    let r = e
        .ingest
        .ingest_events(&svc(), slots(vec![first, a]))
        .await
        .unwrap();
    assert_eq!((r.accepted, r.dropped), (1, 1));
    let d = e
        .steward
        .identity_ref(IdentityKind::Cookie, "c-ca")
        .unwrap();
    let ledger = e
        .steward
        .store()
        .list_choices(&[steward_store::model::choice::Party::Identity(d)])
        .await
        .unwrap();
    assert_eq!(
        ledger.iter().filter(|c| c.key.as_str() == "gpc").count(),
        1,
        "GPC-10: one ledger entry for the device however many events carry the signal"
    );
    // The persisted signal still applies without the header (GPC-03).
    let r = e
        .ingest
        .ingest_events(&svc(), slots(vec![ev("ads_pixel_3p", "c-ca", "US-CA")]))
        .await
        .unwrap();
    assert_eq!(r.dropped, 1);
}

#[tokio::test]
async fn gpc_04_events_of_a_device_linked_to_a_subject_follow_the_subject_choices() {
    let e = env();
    let s = subject(&e.steward, "US-CA").await;
    e.steward
        .link_identity(&svc(), s, IdentityKind::Cookie, "c-linked", "login")
        .await
        .unwrap();
    choose(
        &e.steward,
        steward_core::choices::ChoiceParty::Subject(s),
        "share_opt_out",
        true,
    )
    .await;
    let r = e
        .ingest
        .ingest_events(
            &svc(),
            slots(vec![
                ev("ads_pixel_3p", "c-linked", "US-TX"),
                ev("analytics_uid", "c-linked", "US-TX"),
            ]),
        )
        .await
        .unwrap();
    assert_eq!((r.accepted, r.dropped), (1, 1));
    let stored = e
        .steward
        .store()
        .usage_events_of(&UsageScope::Subject(s), 10)
        .await
        .unwrap();
    assert_eq!(
        stored.len(),
        1,
        "the event is linked to the subject for access reports"
    );
}

#[tokio::test]
async fn ipps_05_login_addresses_are_sealed_for_the_security_role_and_purged_after_90_days() {
    let e = env();
    let s = subject(&e.steward, "US-TX").await;
    e.ingest
        .record_login(
            &svc(),
            LoginInput {
                subject: s,
                ip: Sensitive::new("198.51.100.23".into()),
                device_id: Some(Sensitive::new("dev-1".into())),
            },
        )
        .await
        .unwrap();
    match e
        .ingest
        .login_ips(&svc(), s, "analyst", "login_security")
        .await
    {
        Err(CoreError::Denied { reason, .. }) => assert_eq!(reason, "NOT_AUTHORIZED"),
        other => panic!("an analyst must not read log-in addresses: {other:?}"),
    }
    match e
        .ingest
        .login_ips(&svc(), s, "security", "ad_customization")
        .await
    {
        Err(CoreError::Denied { reason, .. }) => assert_eq!(reason, "PURPOSE_NOT_ALLOWED"),
        other => panic!("log-in addresses serve security only: {other:?}"),
    }
    let seen = e
        .ingest
        .login_ips(&svc(), s, "security", "login_security")
        .await
        .unwrap();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].ip.expose().to_string(), "198.51.100.23");
    assert!(!contains(&raw_db(&e.dir), b"198.51.100.23"));
    // Day 89: kept. Day 91: purged by the sweep; a second sweep finds nothing.
    e.clock.advance(jiff::SignedDuration::from_hours(24 * 89));
    let r = e
        .steward
        .run_retention(&svc(), Default::default())
        .await
        .unwrap();
    assert_eq!(r.logins.done, 0);
    e.clock.advance(jiff::SignedDuration::from_hours(24 * 2));
    let r = e
        .steward
        .run_retention(&svc(), Default::default())
        .await
        .unwrap();
    assert_eq!(r.logins.done, 1);
    assert!(e.steward.store().logins_of(s, 10).await.unwrap().is_empty());
    let r = e
        .steward
        .run_retention(&svc(), Default::default())
        .await
        .unwrap();
    assert_eq!(r.total_done(), 0, "RET-02: idempotent");
}

/// `ManualClock::now` through the `Clock` trait.
trait NowTs {
    fn now_ts(&self) -> jiff::Timestamp;
}

impl NowTs for steward_core::ManualClock {
    fn now_ts(&self) -> jiff::Timestamp {
        steward_core::Clock::now(self)
    }
}
