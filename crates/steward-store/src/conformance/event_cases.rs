//! Conformance cases for [`crate::event_store::EventStore`] (usage events, log-ins, USPS scans,
//! counters, aggregates, purges, datasets, ticket items, partner notifications).

use jiff::civil::Date;

use super::fixtures::*;
use super::*;
use crate::error::{ConflictReason, Entity};
use crate::ids::*;
use crate::model::event::*;
use crate::model::subject::*;
use crate::values::*;

fn usage(
    secs: i64,
    device: Option<&str>,
    subject: Option<SubjectId>,
    geo: Option<&str>,
) -> UsageEvent {
    UsageEvent {
        id: UsageEventId::generate(),
        received_at: t(secs),
        at: t(secs - 1),
        tracker: TrackerKey::new("analytics_uid").unwrap(),
        kind: EventKind::new("page_view").unwrap(),
        device: device.map(|d| token(IdentityKind::Cookie, d)),
        subject,
        page: Some(PagePath::new("/shipping/rates").unwrap()),
        link: None,
        browser: Some(BrowserFamily::new("firefox").unwrap()),
        ip: Some(IpPseudonym {
            epoch: 7,
            token: [secs as u8; 16],
        }),
        geo: geo.map(|g| Jurisdiction::new(g).unwrap()),
        registered: subject.is_some(),
    }
}

fn day() -> Date {
    utc_day(t0())
}

fn counted(outcome: IngestOutcome, reason: &str, n: u64) -> IngestCount {
    IngestCount {
        day: day(),
        stream: IngestStream::Usage,
        outcome,
        reason: ReasonCode::new(reason).unwrap(),
        count: n,
    }
}

fn scan(
    secs: i64,
    pic: &str,
    zip3: &str,
    account: Option<AccountId>,
    subject: Option<SubjectId>,
) -> TrackingScan {
    TrackingScan {
        id: ScanId::generate(),
        received_at: t(secs),
        at: t(secs - 10),
        pic: Some(token(IdentityKind::Device, pic).token),
        event: ScanEvent::new("in_transit").unwrap(),
        zip3: Some(Zip3::new(zip3).unwrap()),
        subject,
        account,
        anonymized_at: None,
    }
}

/// A batch stores its events and its counters together; a retried batch stores nothing
/// twice; another event under a stored key is refused; events are listed by subject and
/// by device.
pub async fn events_usage_ingest_list_and_count<F: StoreFactory>(factory: &F) {
    let fx = factory.fresh().await;
    let store = fx.store();
    let s = subject(&*store).await;
    let events = vec![
        usage(1, Some("c-1"), None, Some("US-CA")),
        usage(2, Some("c-2"), Some(s), None),
        usage(3, None, Some(s), Some("DE")),
    ];
    let counts = vec![
        counted(IngestOutcome::Accepted, "OK", 3),
        counted(IngestOutcome::Dropped, "CONSENT_REQUIRED", 2),
    ];
    store.ingest_usage(&events, &counts).await.unwrap();
    store.ingest_usage(&events, &[]).await.unwrap();
    let mut changed = events[0].clone();
    changed.page = Some(PagePath::new("/other").unwrap());
    match store.ingest_usage(&[changed], &[]).await {
        Err(StoreError::Conflict {
            reason: ConflictReason::DifferentContent,
            ..
        }) => {}
        other => panic!("expected a DifferentContent conflict, got {other:?}"),
    }
    let of_subject = store
        .usage_events_of(&UsageScope::Subject(s), 10)
        .await
        .unwrap();
    assert_eq!(of_subject, vec![events[1].clone(), events[2].clone()]);
    let of_device = store
        .usage_events_of(&UsageScope::Device(token(IdentityKind::Cookie, "c-1")), 10)
        .await
        .unwrap();
    assert_eq!(of_device, vec![events[0].clone()]);
    assert_eq!(
        store
            .usage_events_of(&UsageScope::Subject(s), 1)
            .await
            .unwrap()
            .len(),
        1
    );
    // A batch whose events were all dropped still counts them.
    store
        .ingest_usage(
            &[],
            &[counted(IngestOutcome::Dropped, "CONSENT_REQUIRED", 5)],
        )
        .await
        .unwrap();
    store
        .add_ingest_counts(&[counted(IngestOutcome::Rejected, "BAD_IP", 1)])
        .await
        .unwrap();
    let got = store.ingest_counts(day(), day()).await.unwrap();
    assert_eq!(
        got,
        vec![
            counted(IngestOutcome::Accepted, "OK", 3),
            counted(IngestOutcome::Dropped, "CONSENT_REQUIRED", 7),
            counted(IngestOutcome::Rejected, "BAD_IP", 1),
        ]
    );
    // Large batches (several multi-row statements) are idempotent and atomic too.
    let bulk: Vec<UsageEvent> = (0..70)
        .map(|i| usage(100 + i, Some("bulk"), None, Some("US-TX")))
        .collect();
    store.ingest_usage(&bulk, &[]).await.unwrap();
    store.ingest_usage(&bulk, &[]).await.unwrap();
    let mut tampered = bulk.clone();
    tampered[65].registered = true;
    let fresh: Vec<UsageEvent> = (0..40)
        .map(|i| usage(300 + i, Some("bulk"), None, None))
        .collect();
    tampered.extend(fresh);
    assert!(matches!(
        store.ingest_usage(&tampered, &[]).await,
        Err(StoreError::Conflict { .. })
    ));
    let bulk_device = UsageScope::Device(token(IdentityKind::Cookie, "bulk"));
    let stored = store.usage_events_of(&bulk_device, 1000).await.unwrap();
    assert_eq!(stored, bulk, "a refused batch writes nothing");
    let next_day = day().tomorrow().unwrap();
    assert!(
        store
            .ingest_counts(next_day, next_day)
            .await
            .unwrap()
            .is_empty()
    );
}

/// IPPS-04: groups with fewer distinct visitors than the threshold are suppressed and only
/// counted; visitors are counted once however many events they sent.
pub async fn events_usage_aggregate_suppresses_small_groups<F: StoreFactory>(factory: &F) {
    let fx = factory.fresh().await;
    let store = fx.store();
    let mut events = Vec::new();
    for i in 0..10 {
        // ten visitors in California, each twice
        events.push(usage(10 + i, Some(&format!("ca-{i}")), None, Some("US-CA")));
        events.push(usage(10 + i, Some(&format!("ca-{i}")), None, Some("US-CA")));
    }
    for i in 0..3 {
        events.push(usage(40 + i, Some(&format!("de-{i}")), None, Some("DE")));
    }
    // an unknown region, visitors by IP pseudonym only
    for i in 0..4 {
        events.push(usage(60 + i, None, None, None));
    }
    store.ingest_usage(&events, &[]).await.unwrap();
    let q = UsageAggregateQuery {
        from: t(0),
        until: t(100),
        group_by: UsageGroup::Geo,
        min_group: 10,
    };
    let a = store.aggregate_usage(&q).await.unwrap();
    assert_eq!(
        a.groups,
        vec![AggregateGroup {
            key: Some("US-CA".into()),
            units: 10,
            events: 20,
        }]
    );
    assert_eq!((a.suppressed_groups, a.suppressed_events), (2, 7));
    let a = store
        .aggregate_usage(&UsageAggregateQuery {
            min_group: 3,
            ..q.clone()
        })
        .await
        .unwrap();
    let keys: Vec<_> = a.groups.iter().map(|g| g.key.clone()).collect();
    assert_eq!(keys, vec![None, Some("DE".into()), Some("US-CA".into())]);
    assert_eq!(
        a.groups[0].units, 4,
        "visitors without a device count by IP pseudonym"
    );
    // the time range applies
    let a = store
        .aggregate_usage(&UsageAggregateQuery {
            from: t(40),
            until: t(60),
            min_group: 1,
            ..q.clone()
        })
        .await
        .unwrap();
    assert_eq!(a.groups.len(), 1);
    assert_eq!(a.groups[0].events, 3);
    let by_page = store
        .aggregate_usage(&UsageAggregateQuery {
            group_by: UsageGroup::Page,
            min_group: 1,
            ..q
        })
        .await
        .unwrap();
    assert_eq!(by_page.groups[0].key.as_deref(), Some("/shipping/rates"));
    assert_eq!(by_page.groups[0].events, 27);
}

/// RET-02, RET-03: the purge deletes what is older than the cut-off except the held
/// subjects' events, in bounded chunks; a dry run changes nothing.
pub async fn events_usage_purge_keeps_held_subjects<F: StoreFactory>(factory: &F) {
    let fx = factory.fresh().await;
    let store = fx.store();
    let held = subject(&*store).await;
    let other = subject(&*store).await;
    let old = vec![
        usage(1, Some("a"), None, None),
        usage(2, Some("b"), Some(other), None),
        usage(3, Some("c"), None, None),
        usage(4, Some("d"), Some(held), None),
        usage(5, Some("e"), Some(held), None),
    ];
    let new = vec![usage(50, Some("f"), Some(held), None)];
    store.ingest_usage(&old, &[]).await.unwrap();
    store.ingest_usage(&new, &[]).await.unwrap();
    let mut owners = store.usage_subjects_before(t(10)).await.unwrap();
    owners.sort();
    let mut expected = vec![held, other];
    expected.sort();
    assert_eq!(owners, expected);
    let dry = store.purge_usage(t(10), &[held], 1000, true).await.unwrap();
    assert_eq!(
        dry,
        PurgeCount {
            affected: 3,
            held: 2
        }
    );
    assert_eq!(
        store
            .purge_usage(t(10), &[held], 2, false)
            .await
            .unwrap()
            .affected,
        2
    );
    assert_eq!(
        store
            .purge_usage(t(10), &[held], 2, false)
            .await
            .unwrap()
            .affected,
        1
    );
    assert_eq!(
        store.purge_usage(t(10), &[held], 2, false).await.unwrap(),
        PurgeCount {
            affected: 0,
            held: 2
        }
    );
    let left = store
        .usage_events_of(&UsageScope::Subject(held), 10)
        .await
        .unwrap();
    assert_eq!(left.len(), 3, "held events and newer ones stay");
    assert!(
        store
            .usage_events_of(&UsageScope::Subject(other), 10)
            .await
            .unwrap()
            .is_empty()
    );
    // Without the hold they go too.
    assert_eq!(
        store
            .purge_usage(t(10), &[], 100, false)
            .await
            .unwrap()
            .affected,
        2
    );
}

/// IPPS-05: log-in records (sealed addresses) are listed newest first and purged when their
/// short retention ends, except under a hold.
pub async fn events_logins_record_list_purge<F: StoreFactory>(factory: &F) {
    let fx = factory.fresh().await;
    let store = fx.store();
    let s = subject(&*store).await;
    let held = subject(&*store).await;
    let login = |subject: SubjectId, secs: i64, until: i64| LoginRecord {
        id: LoginId::generate(),
        subject,
        at: t(secs),
        ip: ciphertext("203.0.113.7"),
        device: Some(token(IdentityKind::Device, "d-1")),
        retain_until: t(until),
    };
    let a = login(s, 1, 100);
    let b = login(s, 2, 200);
    let c = login(held, 3, 100);
    store
        .record_logins(&[a.clone(), b.clone(), c.clone()])
        .await
        .unwrap();
    store.record_logins(std::slice::from_ref(&a)).await.unwrap();
    let mut changed = a.clone();
    changed.retain_until = t(999);
    assert!(matches!(
        store.record_logins(&[changed]).await,
        Err(StoreError::Conflict { .. })
    ));
    let mut stranger = login(s, 4, 100);
    stranger.subject = SubjectId::generate();
    assert!(matches!(
        store.record_logins(&[stranger]).await,
        Err(StoreError::NotFound(Entity::Subject))
    ));
    assert_eq!(
        store.logins_of(s, 10).await.unwrap(),
        vec![b.clone(), a.clone()]
    );
    let mut due = store.login_subjects_due(t(150)).await.unwrap();
    due.sort();
    let mut expected = vec![s, held];
    expected.sort();
    assert_eq!(due, expected);
    assert_eq!(
        store.purge_logins(t(150), &[held], 10, true).await.unwrap(),
        PurgeCount {
            affected: 1,
            held: 1
        }
    );
    assert_eq!(store.logins_of(s, 10).await.unwrap().len(), 2, "dry run");
    assert_eq!(
        store
            .purge_logins(t(150), &[held], 10, false)
            .await
            .unwrap()
            .affected,
        1
    );
    assert_eq!(store.logins_of(s, 10).await.unwrap(), vec![b]);
    assert_eq!(store.logins_of(held, 10).await.unwrap(), vec![c]);
    assert_eq!(
        store
            .purge_logins(t(150), &[held], 10, false)
            .await
            .unwrap()
            .affected,
        0
    );
}

/// USPS-04, USPS-05: scans by package and by subject; aggregates by ZIP3 count distinct
/// accounts and suppress small groups; anonymization is idempotent and respects holds.
pub async fn events_scans_package_aggregate_anonymize<F: StoreFactory>(factory: &F) {
    let fx = factory.fresh().await;
    let store = fx.store();
    let s = subject(&*store).await;
    let held = subject(&*store).await;
    let mut scans = vec![
        scan(2, "PIC1", "941", None, Some(s)),
        scan(1, "PIC1", "941", None, Some(s)),
        scan(3, "PIC2", "100", None, Some(held)),
    ];
    for i in 0..10 {
        scans.push(scan(
            10 + i,
            &format!("PICX{i}"),
            "606",
            Some(AccountId::generate()),
            None,
        ));
    }
    store
        .ingest_scans(
            &scans,
            &[IngestCount {
                day: day(),
                stream: IngestStream::UspsScan,
                outcome: IngestOutcome::Accepted,
                reason: ReasonCode::new("OK").unwrap(),
                count: 13,
            }],
        )
        .await
        .unwrap();
    store.ingest_scans(&scans[..1], &[]).await.unwrap();
    let pic1 = token(IdentityKind::Device, "PIC1").token;
    let by_pic = store.scans_by_package(&pic1).await.unwrap();
    assert_eq!(by_pic.len(), 2);
    assert!(by_pic[0].at < by_pic[1].at, "in scan order");
    assert_eq!(store.scans_of(s, 10).await.unwrap().len(), 2);
    let q = ScanAggregateQuery {
        from: t(0),
        until: t(100),
        group_by: ScanGroup::Zip3,
        min_group: 10,
    };
    let a = store.aggregate_scans(&q).await.unwrap();
    assert_eq!(
        a.groups,
        vec![AggregateGroup {
            key: Some("606".into()),
            units: 10,
            events: 10,
        }]
    );
    assert_eq!((a.suppressed_groups, a.suppressed_events), (2, 3));
    assert_eq!(store.scan_subjects_before(t(5)).await.unwrap().len(), 2);
    let dry = store
        .anonymize_scans(t(5), t(500), &[held], 100, true)
        .await
        .unwrap();
    assert_eq!(
        dry,
        PurgeCount {
            affected: 2,
            held: 1
        }
    );
    assert_eq!(store.scans_by_package(&pic1).await.unwrap().len(), 2);
    let done = store
        .anonymize_scans(t(5), t(500), &[held], 100, false)
        .await
        .unwrap();
    assert_eq!(done.affected, 2);
    assert!(store.scans_by_package(&pic1).await.unwrap().is_empty());
    assert!(store.scans_of(s, 10).await.unwrap().is_empty());
    assert_eq!(
        store
            .anonymize_scans(t(5), t(500), &[held], 100, false)
            .await
            .unwrap()
            .affected,
        0,
        "a second run finds nothing"
    );
    assert_eq!(store.scans_of(held, 10).await.unwrap().len(), 1);
    // Anonymized scans still count in aggregates, each as its own unit.
    let a = store
        .aggregate_scans(&ScanAggregateQuery { min_group: 1, ..q })
        .await
        .unwrap();
    let sf = a
        .groups
        .iter()
        .find(|g| g.key.as_deref() == Some("941"))
        .unwrap();
    assert_eq!((sf.units, sf.events), (2, 2));
}

/// Erasing a subject's events deletes its usage events and log-ins and anonymizes its scans;
/// a second call reports zeros.
pub async fn events_erase_of_subject<F: StoreFactory>(factory: &F) {
    let fx = factory.fresh().await;
    let store = fx.store();
    let s = subject(&*store).await;
    let keep = subject(&*store).await;
    store
        .ingest_usage(
            &[
                usage(1, Some("a"), Some(s), None),
                usage(2, Some("b"), Some(keep), None),
            ],
            &[],
        )
        .await
        .unwrap();
    store
        .record_logins(&[LoginRecord {
            id: LoginId::generate(),
            subject: s,
            at: t(1),
            ip: ciphertext("198.51.100.1"),
            device: None,
            retain_until: t(100),
        }])
        .await
        .unwrap();
    store
        .ingest_scans(&[scan(3, "PIC9", "941", None, Some(s))], &[])
        .await
        .unwrap();
    let e = store.erase_events_of(s, t(10)).await.unwrap();
    assert_eq!(
        e,
        EventErasure {
            usage_events: 1,
            logins: 1,
            scans: 1
        }
    );
    assert_eq!(
        store.erase_events_of(s, t(11)).await.unwrap(),
        EventErasure::default()
    );
    assert_eq!(
        store
            .usage_events_of(&UsageScope::Subject(keep), 10)
            .await
            .unwrap()
            .len(),
        1
    );
}

/// USPS-03, DM-06: a derived dataset keeps its lineage; registration is idempotent.
/// CHAT-04: the items of a ticket.
pub async fn events_datasets_and_ticket_items<F: StoreFactory>(factory: &F) {
    let fx = factory.fresh().await;
    let store = fx.store();
    let d = DatasetRecord {
        id: DatasetId::generate(),
        name: DatasetName::new("usps_mix").unwrap(),
        lineage: vec![
            CategoryKey::new("usps_regulatory_data").unwrap(),
            CategoryKey::new("pages_viewed").unwrap(),
        ],
        parents: vec![DatasetId::generate()],
        created_at: t(1),
        retain_until: Some(t(1000)),
    };
    store.put_dataset(&d).await.unwrap();
    store.put_dataset(&d).await.unwrap();
    let got = store.get_dataset(d.id).await.unwrap();
    assert_eq!(got.lineage, {
        let mut l = d.lineage.clone();
        l.sort();
        l
    });
    assert_eq!(got.parents, d.parents);
    let mut other = d.clone();
    other.name = DatasetName::new("renamed").unwrap();
    assert!(matches!(
        store.put_dataset(&other).await,
        Err(StoreError::Conflict {
            entity: Entity::Dataset,
            ..
        })
    ));
    let mut empty = d.clone();
    empty.id = DatasetId::generate();
    empty.lineage.clear();
    assert!(matches!(
        store.put_dataset(&empty).await,
        Err(StoreError::Invalid(_))
    ));
    assert!(matches!(
        store.get_dataset(DatasetId::generate()).await,
        Err(StoreError::NotFound(Entity::Dataset))
    ));

    let s = subject(&*store).await;
    let a = item(s, "chat_transcript", "hello", 1);
    let b = item(s, "chat_transcript", "again", 2);
    store.put_items(&[a.clone(), b.clone()]).await.unwrap();
    let ticket = TicketRef::new("ZD-1").unwrap();
    store
        .link_ticket_items(&ticket, &[a.id], t(1))
        .await
        .unwrap();
    store
        .link_ticket_items(&ticket, &[a.id, b.id], t(2))
        .await
        .unwrap();
    assert_eq!(store.ticket_items(&ticket).await.unwrap(), vec![a.id, b.id]);
    assert!(
        store
            .ticket_items(&TicketRef::new("ZD-2").unwrap())
            .await
            .unwrap()
            .is_empty()
    );
    assert!(matches!(
        store
            .link_ticket_items(&ticket, &[ItemId::generate()], t(3))
            .await,
        Err(StoreError::NotFound(Entity::Item))
    ));
}

/// ADTECH-03: one notification per trigger, recipient and kind; attempts and the
/// acknowledgement are recorded; acknowledged ones leave the open list.
pub async fn events_partner_notifications<F: StoreFactory>(factory: &F) {
    let fx = factory.fresh().await;
    let store = fx.store();
    let s = subject(&*store).await;
    let trigger = ChoiceId::generate();
    let task = |recipient: &str, due: i64| PartnerNotification {
        id: NotificationId::generate(),
        subject: s,
        recipient: RecipientKey::new(recipient).unwrap(),
        kind: NotificationKind::OptOutForward,
        trigger,
        created_at: t(1),
        due_at: t(due),
        sent_at: None,
        acked_at: None,
        attempts: 0,
    };
    let ads = task("SP_ADS", 20);
    let mp = task("MP1", 10);
    assert_eq!(
        store
            .enqueue_notifications(&[ads.clone(), mp.clone()])
            .await
            .unwrap(),
        2
    );
    // The same opt-out again queues nothing new, even under new ids.
    assert_eq!(
        store
            .enqueue_notifications(&[task("SP_ADS", 30)])
            .await
            .unwrap(),
        0
    );
    let open = store.open_notifications(10).await.unwrap();
    assert_eq!(open, vec![mp.clone(), ads.clone()], "earliest due first");
    let sent = store
        .update_notification(
            mp.id,
            NotificationUpdate::Attempted { delivered: false },
            t(2),
        )
        .await
        .unwrap();
    assert_eq!((sent.attempts, sent.sent_at), (1, None));
    let sent = store
        .update_notification(
            mp.id,
            NotificationUpdate::Attempted { delivered: true },
            t(3),
        )
        .await
        .unwrap();
    assert_eq!((sent.attempts, sent.sent_at), (2, Some(t(3))));
    let acked = store
        .update_notification(mp.id, NotificationUpdate::Acknowledged, t(4))
        .await
        .unwrap();
    assert_eq!(acked.acked_at, Some(t(4)));
    let again = store
        .update_notification(mp.id, NotificationUpdate::Acknowledged, t(5))
        .await
        .unwrap();
    assert_eq!(
        again.acked_at,
        Some(t(4)),
        "the first acknowledgement stays"
    );
    assert_eq!(store.open_notifications(10).await.unwrap(), vec![ads]);
    assert_eq!(store.notifications_of(s).await.unwrap().len(), 2);
    assert!(matches!(
        store
            .update_notification(
                NotificationId::generate(),
                NotificationUpdate::Acknowledged,
                t(6)
            )
            .await,
        Err(StoreError::NotFound(Entity::Notification))
    ));
}
