//! Every deadline rule of requirements Part E (DL-01, DL-02, DL-03, DL-04, DL-05) and GDPR-03, CCPA-04, CCPA-13, NV-03,
//! RIGHTS-05 through the request workflow: intake at a fixed receipt time, the dates the
//! request carries, extensions, reminders and overdue metrics. Empty holiday calendar.
#![expect(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test code: a failed step fails the test"
)]

mod support;

use steward_core::{Caller, CoreError};
use steward_deadlines::{ExtensionLength, RequestKind};
use steward_requests::{DenyReason, ListQuery, SubmitRequest};
use steward_store::model::request::Requester;
use support::*;

/// Submits `kind` for a signed-in subject of `jurisdiction` at `received` (UTC instant).
async fn intake(
    e: &Env,
    jurisdiction: &str,
    kind: RequestKind,
    received: &str,
) -> steward_requests::RequestView {
    e.clock.set(ts(received));
    let email = format!(
        "{}-{}@example.com",
        jurisdiction.to_lowercase(),
        received.replace(':', "").to_lowercase()
    );
    let s = e.subject(&email, jurisdiction).await;
    e.item(
        s,
        "email",
        &email,
        "direct:registration",
        "account_registration",
    )
    .await;
    let mut req = SubmitRequest::by_email(kind, "in_service", &email);
    req.email = None;
    let answer = e.requests.submit(&Caller::Subject(s), req).await.unwrap();
    e.requests.show(answer.request_id).await.unwrap()
}

fn regime<'a>(
    v: &'a steward_requests::RequestView,
    name: &str,
) -> &'a steward_requests::queue::ClockView {
    v.regimes.iter().find(|c| c.regime == name).unwrap()
}

#[tokio::test]
async fn dl_01_gdpr_one_month_with_end_of_month_clamp_and_two_more() {
    let e = env();
    for (received, due, max) in [
        ("2024-03-15T17:00:00Z", "2024-04-15", "2024-06-15"),
        ("2024-01-31T20:00:00Z", "2024-02-29", "2024-04-30"),
        ("2024-11-30T20:00:00Z", "2024-12-30", "2025-02-28"),
        ("2023-01-31T20:00:00Z", "2023-02-28", "2023-04-30"),
    ] {
        let v = intake(&e, "DE", RequestKind::Access, received).await;
        assert_eq!(
            v.summary.state, "verified",
            "a signed-in subject is not asked again"
        );
        assert_eq!(e.date(v.summary.due), due, "GDPR-03 due for {received}");
        assert_eq!(e.date(v.summary.max_due), max, "GDPR-03 max for {received}");
        assert_eq!(v.summary.ack_due, None);
        assert_eq!(regime(&v, "GDPR").citation, "GDPR Art. 12(3)");
    }
}

#[tokio::test]
async fn ccpa_04_ack_ten_business_days_due_45_max_90() {
    let e = env();
    let v = intake(&e, "US-CA", RequestKind::Deletion, "2024-03-04T17:00:00Z").await;
    assert_eq!(e.date(v.summary.ack_due.unwrap()), "2024-03-18");
    assert_eq!(e.date(v.summary.due), "2024-04-18");
    assert_eq!(e.date(v.summary.max_due), "2024-06-02");
    // DL-02: the date-only deadline is the end of that day in Los Angeles, stored in UTC.
    assert_eq!(v.summary.due.to_string(), "2024-04-19T06:59:59Z");
    let fri = intake(&e, "US-CA", RequestKind::Access, "2024-03-08T17:00:00Z").await;
    assert_eq!(e.date(fri.summary.ack_due.unwrap()), "2024-03-22");
}

#[tokio::test]
async fn ccpa_13_opt_out_propagates_within_15_business_days() {
    let e = env();
    for (received, by) in [
        ("2024-03-04T17:00:00Z", "2024-03-25"),
        ("2024-03-08T17:00:00Z", "2024-03-29"),
    ] {
        let v = intake(&e, "US-CA", RequestKind::OptOutSaleShare, received).await;
        assert_eq!(e.date(v.propagate_by.unwrap()), by);
        assert_eq!(e.date(v.summary.due), by, "no extension for opt-outs");
        assert_eq!(
            v.summary.state, "completed",
            "opt-outs need no verification and apply at once"
        );
    }
}

#[tokio::test]
async fn nv_03_sixty_days_plus_thirty_and_no_more() {
    let e = env();
    let v = intake(
        &e,
        "US-NV",
        RequestKind::NevadaNoSale,
        "2024-03-04T17:00:00Z",
    )
    .await;
    assert_eq!(e.date(v.summary.due), "2024-05-03");
    assert_eq!(e.date(v.summary.max_due), "2024-06-02");
    assert_eq!(
        v.summary.state, "verified",
        "NV-06: a logged-in account counts"
    );
    e.clock.set(ts("2024-03-10T17:00:00Z"));
    match e
        .requests
        .extend(
            &svc(),
            v.summary.id,
            Some("volume"),
            ExtensionLength::Days(31),
        )
        .await
    {
        Err(CoreError::Invalid { code, .. }) => assert_eq!(code, "NV_EXTENSION_TOO_LONG"),
        other => panic!("{other:?}"),
    }
    let ok = e
        .requests
        .extend(
            &svc(),
            v.summary.id,
            Some("volume"),
            ExtensionLength::Days(30),
        )
        .await
        .unwrap();
    assert_eq!(e.date(ok.summary.due), "2024-06-02");
}

#[tokio::test]
async fn dl_03_two_regimes_take_the_strictest_of_each_deadline() {
    let e = env();
    e.clock.set(ts("2024-03-04T17:00:00Z"));
    // A California resident who is also an EU data subject (EU-01).
    let s = e
        .steward
        .create_subject(
            &svc(),
            steward_core::subjects::SubjectInput {
                jurisdiction: Some("US-CA".into()),
                eu_protected: true,
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .id;
    let mut req = SubmitRequest::by_email(RequestKind::Access, "in_service", "x@example.com");
    req.email = None;
    let a = e.requests.submit(&Caller::Subject(s), req).await.unwrap();
    let v = e.requests.show(a.request_id).await.unwrap();
    assert_eq!(
        e.date(v.summary.due),
        "2024-04-04",
        "GDPR's month is shorter than 45 days"
    );
    assert_eq!(
        e.date(v.summary.ack_due.unwrap()),
        "2024-03-18",
        "the CCPA's acknowledgement"
    );
    let names: Vec<&str> = v.regimes.iter().map(|c| c.regime.as_str()).collect();
    assert_eq!(names, ["GDPR", "CCPA"]);
}

#[tokio::test]
async fn rights_05_no_statute_means_45_days() {
    let e = env();
    let tx = intake(&e, "US-TX", RequestKind::Deletion, "2024-03-04T17:00:00Z").await;
    assert_eq!(e.date(tx.summary.due), "2024-04-18");
    assert_eq!(tx.regimes[0].regime, "POLICY");
    let eu = intake(&e, "DE", RequestKind::Deletion, "2024-03-04T17:00:00Z").await;
    assert_eq!(e.date(eu.summary.due), "2024-04-04");
}

#[tokio::test]
async fn gdpr_03_extension_notice_window_reason_and_one_extension_only() {
    let e = env();
    let v = intake(&e, "DE", RequestKind::Access, "2024-03-15T17:00:00Z").await;
    let id = v.summary.id;
    e.clock.set(ts("2024-04-16T17:00:00Z"));
    match e
        .requests
        .extend(&svc(), id, Some("complexity"), ExtensionLength::Maximum)
        .await
    {
        Err(CoreError::Invalid { code, .. }) => assert_eq!(code, "EXTENSION_NOTICE_LATE"),
        other => panic!("{other:?}"),
    }
    e.clock.set(ts("2024-04-10T17:00:00Z"));
    match e
        .requests
        .extend(&svc(), id, None, ExtensionLength::Maximum)
        .await
    {
        Err(CoreError::Invalid { code, .. }) => assert_eq!(code, "REASON_REQUIRED"),
        other => panic!("{other:?}"),
    }
    let before = e.outbox().len();
    let v = e
        .requests
        .extend(&svc(), id, Some("complexity"), ExtensionLength::Maximum)
        .await
        .unwrap();
    assert_eq!(e.date(v.summary.due), "2024-06-15");
    assert!(v.extension.is_some());
    // The subject is told, with the reason.
    let notices = e.outbox();
    assert_eq!(notices.len(), before + 1);
    assert!(notices.last().unwrap().contains("complexity"));
    match e
        .requests
        .extend(&svc(), id, Some("again"), ExtensionLength::Days(1))
        .await
    {
        Err(CoreError::Invalid { code, .. }) => assert_eq!(code, "ALREADY_EXTENDED"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn ccpa_04_extension_notice_within_the_first_45_days() {
    let e = env();
    let v = intake(&e, "US-CA", RequestKind::Access, "2024-03-04T17:00:00Z").await;
    e.clock.set(ts("2024-04-19T17:00:00Z"));
    match e
        .requests
        .extend(
            &svc(),
            v.summary.id,
            Some("volume"),
            ExtensionLength::Maximum,
        )
        .await
    {
        Err(CoreError::Invalid { code, .. }) => assert_eq!(code, "EXTENSION_NOTICE_LATE"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn dl_04_reminders_at_t_minus_7_and_2_then_overdue_in_alerts_and_metrics() {
    let e = env();
    let v = intake(&e, "US-CA", RequestKind::Access, "2024-03-04T17:00:00Z").await;
    let id = v.summary.id;
    let kinds_at = |t: &str| {
        let e = &e;
        let t = t.to_string();
        async move {
            e.clock.set(ts(&t));
            e.requests
                .alerts()
                .await
                .unwrap()
                .into_iter()
                .filter(|a| a.request == Some(id))
                .map(|a| a.kind)
                .collect::<Vec<_>>()
        }
    };
    assert!(kinds_at("2024-04-10T17:00:00Z").await.is_empty());
    assert_eq!(kinds_at("2024-04-11T17:00:00Z").await, ["DUE_IN_7_DAYS"]);
    assert_eq!(kinds_at("2024-04-16T17:00:00Z").await, ["DUE_IN_2_DAYS"]);
    assert_eq!(e.requests.metrics().await.unwrap().at_risk, 1);
    assert_eq!(
        e.requests.list(&ListQuery::default()).await.unwrap()[0].status,
        "AT_RISK"
    );
    assert_eq!(kinds_at("2024-04-19T07:00:00Z").await, ["OVERDUE"]);
    let m = e.requests.metrics().await.unwrap();
    assert_eq!((m.open, m.overdue, m.at_risk), (1, 1, 0));
    let row = &e.requests.list(&ListQuery::default()).await.unwrap()[0];
    assert_eq!((row.status.as_str(), row.days_left), ("OVERDUE", -1));
}

#[tokio::test]
async fn ccpa_04_unverified_at_the_deadline_may_be_denied_not_extended() {
    let e = env();
    e.clock.set(ts("2024-03-04T17:00:00Z"));
    e.subject("unverified@example.com", "US-CA").await;
    let a = e
        .requests
        .submit(
            &Caller::System,
            SubmitRequest::by_email(
                RequestKind::Access,
                "privacy_center",
                "unverified@example.com",
            ),
        )
        .await
        .unwrap();
    assert_eq!(a.state, "awaiting_verification");
    match e
        .requests
        .deny(&svc(), a.request_id, DenyReason::Unverified, None)
        .await
    {
        Err(CoreError::Invalid { code, .. }) => {
            assert_eq!(code, "DENIAL_NOT_PERMITTED", "not before the deadline")
        }
        other => panic!("{other:?}"),
    }
    e.clock.set(ts("2024-04-19T07:00:00Z"));
    let row = &e.requests.list(&ListQuery::default()).await.unwrap()[0];
    assert!(row.may_deny_unverified);
    assert_eq!(row.state, "awaiting_verification");
    let v = e
        .requests
        .deny(&svc(), a.request_id, DenyReason::Unverified, None)
        .await
        .unwrap();
    assert_eq!(v.summary.state, "denied");
    assert_eq!(e.requests.metrics().await.unwrap().open, 0);
}

#[tokio::test]
async fn staff_can_backdate_a_letter_but_not_into_the_future() {
    let e = env();
    e.clock.set(ts("2024-03-10T17:00:00Z"));
    let s = e.subject("letter@example.com", "US-CA").await;
    let mut req = SubmitRequest::by_email(RequestKind::Deletion, "mail", "letter@example.com");
    req.requester = Requester::Admin;
    req.subject_id = Some(s);
    req.preverified = Some("signed_letter".into());
    req.received_at = Some(ts("2024-03-04T17:00:00Z"));
    let a = e.requests.submit(&svc(), req.clone()).await.unwrap();
    let v = e.requests.show(a.request_id).await.unwrap();
    assert_eq!(
        e.date(v.summary.due),
        "2024-04-18",
        "the clock starts at receipt"
    );
    assert_eq!(a.verification, "staff");
    // A subject cannot set staff-only fields.
    req.requester = Requester::Subject;
    match e.requests.submit(&Caller::Subject(s), req).await {
        Err(CoreError::Invalid { code, .. }) => assert_eq!(code, "STAFF_ONLY_FIELD"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn canspam_direct_marketing_objection_propagates_within_10_business_days() {
    let e = env();
    let v = intake(
        &e,
        "US-TX",
        RequestKind::ObjectDirectMarketing,
        "2024-03-04T17:00:00Z",
    )
    .await;
    assert_eq!(e.date(v.propagate_by.unwrap()), "2024-03-18");
    assert_eq!(v.summary.state, "completed");
}

#[tokio::test]
async fn ccpa_26_request_records_are_kept_24_months_then_purged() {
    let e = env();
    let v = intake(
        &e,
        "US-CA",
        RequestKind::OptOutSaleShare,
        "2024-03-04T17:00:00Z",
    )
    .await;
    assert_eq!(v.summary.state, "completed", "closed on 2024-03-04");
    assert_eq!(
        invalid_code(e.requests.purge_old_records(23).await),
        "RETENTION_TOO_SHORT"
    );
    // AUD-05: 23 months after closing the record stays; so it does on the last day.
    for t in ["2026-02-04T17:00:00Z", "2026-03-04T17:00:00Z"] {
        e.clock.set(ts(t));
        assert_eq!(e.requests.purge_old_records(24).await.unwrap(), 0, "{t}");
        e.requests.show(v.summary.id).await.unwrap();
    }
    e.clock.set(ts("2026-04-04T17:00:00Z"));
    assert_eq!(e.requests.purge_old_records(24).await.unwrap(), 1);
    assert!(matches!(
        e.requests.show(v.summary.id).await,
        Err(CoreError::NotFound(_))
    ));
}

fn invalid_code<T: std::fmt::Debug>(r: Result<T, CoreError>) -> &'static str {
    match r {
        Err(CoreError::Invalid { code, .. }) => code.as_str(),
        other => panic!("expected Invalid, got {other:?}"),
    }
}
