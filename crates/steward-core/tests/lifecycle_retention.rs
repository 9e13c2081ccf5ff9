//! Retention of account data (RET-01, RET-02, RET-03, RET-06): lifecycle events (account
//! closed and reopened, last activity) set `retain_until` on the subject's items, also at
//! write time; the sweep erases them with what was derived from them; legal holds win; a dry
//! run lists what would go and why.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed step fails the test"
)]

mod support;

use jiff::{SignedDuration, Timestamp};
use steward_core::CoreError;
use steward_core::items::ItemInput;
use steward_core::retention::RetentionOptions;
use steward_errors::ErrorCode;
use steward_store::ids::{HoldId, ItemId, SubjectId};
use steward_store::model::audit::AuditQuery;
use steward_store::model::lifecycle::LifecycleKind;
use steward_store::model::request::{NewLegalHold, RequestCode};
use steward_vault::Sensitive;
use support::*;

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

async fn write(
    e: &Env,
    subject: SubjectId,
    category: &str,
    value: &str,
    source: &str,
    purpose: &str,
    derived_from: Vec<ItemId>,
) -> ItemId {
    e.steward
        .write_item(
            &svc(),
            ItemInput {
                subject,
                category: category.into(),
                value: Sensitive::new(value.as_bytes().to_vec()),
                source: source.into(),
                purpose: purpose.into(),
                processor_for_customer: false,
                account: None,
                derived_from,
            },
        )
        .await
        .unwrap()
        .0
        .id
}

async fn until(e: &Env, id: ItemId) -> Option<Timestamp> {
    e.steward.store().get_item(id).await.unwrap().retain_until
}

async fn live(e: &Env, id: ItemId) -> bool {
    e.steward
        .store()
        .get_item(id)
        .await
        .unwrap()
        .value
        .is_some()
}

#[tokio::test]
async fn ret_01_02_03_06_account_data_is_swept_from_its_lifecycle_events() {
    let e = env();
    let s = subject(&e.steward, "US-TX").await;
    let email = write(
        &e,
        s,
        "email",
        "ann@example.com",
        "direct:registration",
        "account_registration",
        vec![],
    )
    .await;
    let address = write(
        &e,
        s,
        "postal_address",
        "1 Main St, Austin TX",
        "direct:registration",
        "account_registration",
        vec![],
    )
    .await;
    let orders = write(
        &e,
        s,
        "transaction_history",
        "order 1: 3 labels",
        "direct:purchase",
        "service_provision",
        vec![],
    )
    .await;
    // A per-account cache computed from the address (RET-06).
    let top = write(
        &e,
        s,
        "transaction_history",
        "top destinations: Austin",
        "direct:service_use",
        "service_provision",
        vec![address],
    )
    .await;
    let cookie = write(
        &e,
        s,
        "cookie_id",
        "ck-1",
        "automatic",
        "service_provision",
        vec![],
    )
    .await;
    for id in [email, address, orders, top, cookie] {
        assert_eq!(until(&e, id).await, None, "no clock has started yet");
    }

    // Account closed at T0: `account_closed` clocks start, kept through the last day.
    let t0 = ts(T0);
    let out = e
        .steward
        .record_lifecycle(&svc(), s, LifecycleKind::AccountClosed, t0)
        .await
        .unwrap();
    assert_eq!(out.items.len(), 4, "email, address, orders and the cache");
    assert_eq!(until(&e, email).await, Some(ts("2027-03-05T00:00:00Z")));
    assert_eq!(until(&e, address).await, Some(ts("2027-03-05T00:00:00Z")));
    assert_eq!(until(&e, orders).await, Some(ts("2031-03-05T00:00:00Z")));
    assert_eq!(until(&e, cookie).await, None, "not an account_closed clock");
    // The same event again changes nothing.
    let again = e
        .steward
        .record_lifecycle(&svc(), s, LifecycleKind::AccountClosed, t0)
        .await
        .unwrap();
    assert!(again.items.is_empty());

    // Last activity moves forward only.
    e.steward
        .record_lifecycle(&svc(), s, LifecycleKind::LastActivity, t0)
        .await
        .unwrap();
    assert_eq!(until(&e, cookie).await, Some(ts("2025-04-05T00:00:00Z")));
    let earlier = e
        .steward
        .record_lifecycle(
            &svc(),
            s,
            LifecycleKind::LastActivity,
            t0 - SignedDuration::from_hours(24 * 10),
        )
        .await
        .unwrap();
    assert!(
        earlier.items.is_empty(),
        "an older activity moves nothing back"
    );
    assert_eq!(until(&e, cookie).await, Some(ts("2025-04-05T00:00:00Z")));

    // Reopening clears what closure set; closing again sets it from the new date.
    e.clock.advance(SignedDuration::from_hours(24));
    let reopened = e
        .steward
        .record_lifecycle(
            &svc(),
            s,
            LifecycleKind::AccountReopened,
            steward_core::Clock::now(&*e.clock),
        )
        .await
        .unwrap();
    assert_eq!(reopened.items.len(), 4);
    assert_eq!(until(&e, email).await, None);
    e.clock.advance(SignedDuration::from_hours(24));
    let closed_at = steward_core::Clock::now(&*e.clock);
    e.steward
        .record_lifecycle(&svc(), s, LifecycleKind::AccountClosed, closed_at)
        .await
        .unwrap();
    assert_eq!(until(&e, email).await, Some(ts("2027-03-07T00:00:00Z")));

    // An item written after the closure gets its deadline at write time.
    let phone_like = write(
        &e,
        s,
        "email",
        "ann.work@example.com",
        "direct:registration",
        "account_registration",
        vec![],
    )
    .await;
    assert_eq!(
        until(&e, phone_like).await,
        Some(ts("2027-03-07T00:00:00Z"))
    );

    // A future event is refused.
    let future = e
        .steward
        .record_lifecycle(
            &svc(),
            s,
            LifecycleKind::ContractEnd,
            closed_at + SignedDuration::from_hours(1),
        )
        .await;
    assert!(
        matches!(
            future,
            Err(CoreError::Invalid {
                code: ErrorCode::TimeInFuture,
                ..
            })
        ),
        "{future:?}"
    );

    // Another closed account under a legal hold.
    let h = subject(&e.steward, "US-TX").await;
    let held = write(
        &e,
        h,
        "email",
        "bob@example.com",
        "direct:registration",
        "account_registration",
        vec![],
    )
    .await;
    e.steward
        .record_lifecycle(&svc(), h, LifecycleKind::AccountClosed, closed_at)
        .await
        .unwrap();
    let hold = HoldId::generate();
    e.steward
        .store()
        .put_legal_hold(&NewLegalHold {
            id: hold,
            subject: h,
            items: vec![],
            reason: RequestCode::new("litigation").unwrap(),
            owner: RequestCode::new("legal").unwrap(),
            review_at: ts("2030-01-01T00:00:00Z"),
            created_at: closed_at,
        })
        .await
        .unwrap();

    // Three years and a few days later: the dry run lists, with reasons, and changes nothing.
    e.clock
        .advance(SignedDuration::from_hours(24 * (3 * 365 + 5)));
    let dry = e
        .steward
        .run_retention(
            &svc(),
            RetentionOptions {
                dry_run: true,
                batch: 2,
            },
        )
        .await
        .unwrap();
    let find = |id: ItemId| dry.due.iter().find(|d| d.item == id).cloned();
    let d = find(email).expect("the e-mail is listed");
    assert_eq!(
        (
            d.rule.as_str(),
            d.clock.as_str(),
            d.clock_at,
            d.held_by.clone()
        ),
        ("P3Y", "account_closed", Some(closed_at), None)
    );
    assert_eq!(d.retain_until, Some(ts("2027-03-07T00:00:00Z")));
    let c = find(cookie).expect("the cookie id is listed");
    assert_eq!(
        (c.rule.as_str(), c.clock.as_str(), c.clock_at),
        ("P13M", "last_activity", Some(t0))
    );
    let derived = find(top).expect("the cache goes with the address");
    assert_eq!(
        (
            derived.rule.as_str(),
            derived.clock.as_str(),
            derived.derived_from
        ),
        ("with_source", "source_erased", Some(address))
    );
    let kept = find(held).expect("the held item is listed");
    assert_eq!(
        kept.held_by,
        Some((hold.to_string(), "litigation".to_string()))
    );
    assert!(find(orders).is_none(), "seven years have not passed");
    assert_eq!(dry.items["email"].done, 2);
    assert_eq!(dry.items["email"].held, 1);
    assert_eq!(dry.items["transaction_history"].done, 1, "the cache only");
    for id in [email, address, top, cookie, held, phone_like] {
        assert!(live(&e, id).await, "a dry run changes nothing");
    }

    // The real run erases what the dry run listed, and keeps the held item.
    let r = e
        .steward
        .run_retention(&svc(), RetentionOptions::default())
        .await
        .unwrap();
    assert!(r.due.is_empty(), "only a dry run lists");
    assert_eq!(r.items["email"].done, 2);
    assert_eq!(r.items["email"].held, 1);
    assert_eq!(r.items["postal_address"].done, 1);
    assert_eq!(r.items["transaction_history"].done, 1);
    assert_eq!(r.items["cookie_id"].done, 1);
    for id in [email, address, top, cookie, phone_like] {
        assert!(!live(&e, id).await, "erased");
    }
    assert!(live(&e, orders).await, "kept for seven years");
    assert!(live(&e, held).await, "the legal hold wins");
    let second = e
        .steward
        .run_retention(&svc(), RetentionOptions::default())
        .await
        .unwrap();
    assert_eq!((second.total_done(), second.total_held()), (0, 1));

    // Audited, with ids and codes only.
    let mut q = AuditQuery::all(1000);
    q.subject = Some(s);
    let entries = e.steward.store().query_audit(&q).await.unwrap();
    let recorded: Vec<_> = entries
        .iter()
        .filter(|a| a.event.action.as_str() == "lifecycle.record")
        .collect();
    assert_eq!(recorded.len(), 6, "every recording, repeats included");
    let text = format!("{recorded:?}");
    assert!(!text.contains("ann@example.com") && !text.contains("Main St"));
    assert!(text.contains("account_closed"));
}

#[tokio::test]
async fn ret_06_a_derived_item_names_live_items_of_its_own_subject() {
    let e = env();
    let s = subject(&e.steward, "US-TX").await;
    let other = subject(&e.steward, "US-TX").await;
    let theirs = write(
        &e,
        other,
        "postal_address",
        "2 Elm St",
        "direct:registration",
        "account_registration",
        vec![],
    )
    .await;
    let r = e
        .steward
        .write_item(
            &svc(),
            ItemInput {
                subject: s,
                category: "transaction_history".into(),
                value: Sensitive::new(b"cache".to_vec()),
                source: "direct:service_use".into(),
                purpose: "service_provision".into(),
                processor_for_customer: false,
                account: None,
                derived_from: vec![theirs],
            },
        )
        .await;
    assert!(
        matches!(r, Err(CoreError::NotFound(_))),
        "another subject's item is as unknown as a missing one: {r:?}"
    );
    assert!(
        e.steward.store().list_items(s).await.unwrap().is_empty(),
        "nothing written"
    );
    let unknown = e
        .steward
        .record_lifecycle(
            &svc(),
            SubjectId::generate(),
            LifecycleKind::AccountClosed,
            ts(T0),
        )
        .await;
    assert!(
        matches!(unknown, Err(CoreError::NotFound(_))),
        "{unknown:?}"
    );
}
