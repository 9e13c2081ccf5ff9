//! USPS data and derived datasets (USPS-03, USPS-04, USPS-05, DM-06), chat transcripts (CHAT-01, CHAT-02, CHAT-03, CHAT-04, CHAT-05),
//! surveys (SURVEY-01, SURVEY-02, SURVEY-03), location (GEO-01, GEO-02, GEO-03), the retention sweep (RET-02, RET-03,
//! CHAT-04) and the signals partners read (GPC-11, USP-03, GPP-07, GPP-10, ADTECH-03).
#![expect(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test code: a failed step fails the test"
)]

mod support;

use std::collections::BTreeMap;
use steward_errors::ErrorCode;

use steward_core::CoreError;
use steward_core::choices::{ChoiceInput, ChoiceParty};
use steward_core::disclosures::DisclosureInput;
use steward_core::ingest::chat::{ChatMessage, TranscriptInput, Transport};
use steward_core::ingest::location::{GpsSample, LocationBatch};
use steward_core::ingest::survey::{SurveyAnswers, SurveyDefinition};
use steward_core::ingest::usps::{DatasetInput, ScanInput};
use steward_core::partner_signals::SignalConfig;
use steward_core::retention::RetentionOptions;
use steward_store::model::audit::AuditQuery;
use steward_store::model::event::ScanGroup;
use steward_store::model::request::NewLegalHold;
use steward_store::model::request::RequestCode;
use steward_store::model::subject::IdentityKind;
use support::*;

fn denied(r: Result<impl std::fmt::Debug, CoreError>) -> String {
    match r {
        Err(CoreError::Denied { reason, .. }) => reason,
        other => panic!("expected a denial, got {other:?}"),
    }
}

fn ts(s: &str) -> jiff::Timestamp {
    s.parse().unwrap()
}

#[tokio::test]
async fn usps_04_05_scans_serve_status_fraud_and_aggregates_only() {
    let e = env();
    let s = subject(&e.steward, "US-TX").await;
    let mut scans = vec![
        ScanInput {
            pic: "9400111899223197428490".into(),
            event: "accepted".into(),
            zip: Some("94107".into()),
            subject_id: Some(s.to_string()),
            at: Some("2024-03-04T10:00:00Z".into()),
            ..ScanInput::default()
        },
        ScanInput {
            pic: "9400 1118 9922 3197 4284 90".replace(' ', ""),
            event: "delivered".into(),
            zip: Some("10001".into()),
            subject_id: Some(s.to_string()),
            at: Some("2024-03-04T16:00:00Z".into()),
            ..ScanInput::default()
        },
        ScanInput {
            pic: "bad!".into(),
            event: "accepted".into(),
            ..ScanInput::default()
        },
    ];
    for i in 0..10 {
        scans.push(ScanInput {
            pic: format!("94001118992231974285{i:02}"),
            event: "in_transit".into(),
            zip: Some("60601".into()),
            account_id: Some(steward_store::ids::AccountId::generate().to_string()),
            ..ScanInput::default()
        });
    }
    let r = e.steward.ingest_scans(&svc(), scans).await.unwrap();
    assert_eq!((r.accepted, r.rejected), (12, 1));
    assert_eq!(r.results[0].reason, "BAD_PIC");
    let status = e
        .steward
        .package_status(&svc(), "9400111899223197428490")
        .await
        .unwrap();
    let events: Vec<&str> = status.iter().map(|v| v.event.as_str()).collect();
    assert_eq!(events, vec!["accepted", "delivered"]);
    assert_eq!(status[0].zip3.as_deref(), Some("941"));
    assert_eq!(
        e.steward
            .scans_for(&svc(), s, "security_fraud")
            .await
            .unwrap()
            .len(),
        2
    );
    assert_eq!(
        denied(e.steward.scans_for(&svc(), s, "ad_customization").await),
        "PURPOSE_NOT_ALLOWED"
    );
    let agg = e
        .steward
        .usps_aggregate(
            &svc(),
            ScanGroup::Zip3,
            ts("2024-03-01T00:00:00Z"),
            ts("2024-03-05T00:00:00Z"),
        )
        .await
        .unwrap();
    assert_eq!(
        agg.groups.len(),
        1,
        "USPS-05: groups under k=10 are suppressed"
    );
    assert_eq!(agg.groups[0].key.as_deref(), Some("606"));
    assert_eq!(agg.suppressed_groups, 2);
    // The package id itself is not on disk.
    assert!(!contains(&raw_db(&e.dir), b"9400111899223197428490"));
}

#[tokio::test]
async fn usps_03_dm_06_derived_data_inherits_the_usps_lock() {
    let e = env();
    let mixed = e
        .steward
        .register_dataset(
            &svc(),
            DatasetInput {
                name: "usps_mix".into(),
                categories: vec!["usps_regulatory_data".into(), "pages_viewed".into()],
                parents: vec![],
            },
        )
        .await
        .unwrap();
    assert_eq!(
        denied(
            e.steward
                .use_dataset(&svc(), mixed.id, "service_improvement")
                .await
        ),
        "USPS_PURPOSE_LOCK"
    );
    // A derivative of the derivative names only a harmless category itself: still locked.
    let child = e
        .steward
        .register_dataset(
            &svc(),
            DatasetInput {
                name: "usps_mix_weekly".into(),
                categories: vec!["log_files".into()],
                parents: vec![mixed.id],
            },
        )
        .await
        .unwrap();
    let lineage: Vec<&str> = child.lineage.iter().map(|c| c.as_str()).collect();
    assert_eq!(
        lineage,
        vec!["log_files", "pages_viewed", "usps_regulatory_data"]
    );
    assert_eq!(
        denied(
            e.steward
                .use_dataset(&svc(), child.id, "security_fraud")
                .await
        ),
        "USPS_PURPOSE_LOCK"
    );
    // Pure regulatory data for regulatory oversight is allowed.
    let reg = e
        .steward
        .register_dataset(
            &svc(),
            DatasetInput {
                name: "usps_reporting".into(),
                categories: vec!["usps_regulatory_data".into(), "postage_activity".into()],
                parents: vec![],
            },
        )
        .await
        .unwrap();
    let ok = e
        .steward
        .use_dataset(&svc(), reg.id, "usps_regulatory_oversight")
        .await
        .unwrap();
    assert!(ok.allow);
    // Tracking-scan aggregates: their own purposes only.
    let agg = e
        .steward
        .register_dataset(
            &svc(),
            DatasetInput {
                name: "scan_zip3".into(),
                categories: vec!["usps_tracking_data".into()],
                parents: vec![],
            },
        )
        .await
        .unwrap();
    assert!(
        e.steward
            .use_dataset(&svc(), agg.id, "usps_aggregate_improvement")
            .await
            .unwrap()
            .allow
    );
    assert_eq!(
        denied(
            e.steward
                .use_dataset(&svc(), agg.id, "ad_customization")
                .await
        ),
        "PURPOSE_NOT_ALLOWED"
    );
    assert!(matches!(
        e.steward
            .register_dataset(
                &svc(),
                DatasetInput {
                    name: "x".into(),
                    categories: vec!["no_such_category".into()],
                    parents: vec![],
                },
            )
            .await,
        Err(CoreError::Invalid {
            code: ErrorCode::UnregisteredCategory,
            ..
        })
    ));
}

fn transcript(s: steward_store::ids::SubjectId, transport: Transport) -> TranscriptInput {
    TranscriptInput {
        subject: s,
        ticket: "ZD-1".into(),
        transport,
        minimization_notice_shown: true,
        messages: vec![
            ChatMessage {
                from: "customer".into(),
                at: None,
                text: "my card is 4111 1111 1111 1111 and my SSN is 123-45-6789".into(),
            },
            ChatMessage {
                from: "agent".into(),
                at: None,
                text: "Thanks, please never send those here.".into(),
            },
        ],
    }
}

#[tokio::test]
async fn chat_01_to_05_and_ret_02_03_transcripts_are_redacted_encrypted_and_swept() {
    let e = env();
    e.clock.set(ts("2023-12-20T12:00:00Z"));
    let s = subject(&e.steward, "US-TX").await;
    assert!(matches!(
        e.steward
            .store_transcript(&svc(), transcript(s, Transport::Http))
            .await,
        Err(CoreError::Invalid {
            code: ErrorCode::EncryptionRequired,
            ..
        })
    ));
    let mut no_notice = transcript(s, Transport::Tls13);
    no_notice.minimization_notice_shown = false;
    assert!(matches!(
        e.steward.store_transcript(&svc(), no_notice).await,
        Err(CoreError::Invalid {
            code: ErrorCode::NoticeRequired,
            ..
        })
    ));
    let stored = e
        .steward
        .store_transcript(&svc(), transcript(s, Transport::Tls12))
        .await
        .unwrap();
    assert_eq!((stored.redactions.pan, stored.redactions.ssn), (1, 1));
    assert_eq!(
        stored.item.retain_until, None,
        "retention starts when the ticket closes"
    );
    let read = e
        .steward
        .read_item(&svc(), stored.item.id, "support")
        .await
        .unwrap();
    let text = String::from_utf8(read.value.expose().clone()).unwrap();
    assert!(text.contains("my card is **** **** **** 1111"));
    assert!(text.contains("my SSN is ***-**-****"));
    assert_eq!(
        denied(
            e.steward
                .read_item(&svc(), stored.item.id, "new_service_development")
                .await
        ),
        "PURPOSE_NOT_ALLOWED",
        "CHAT-05"
    );
    let raw = raw_db(&e.dir);
    for needle in ["4111", "123-45-6789", "please never send"] {
        assert!(!contains(&raw, needle.as_bytes()), "`{needle}` on disk");
    }
    e.steward.audit().flush().await;
    let audit = e
        .steward
        .store()
        .query_audit(&AuditQuery::all(1000))
        .await
        .unwrap();
    let red = audit
        .iter()
        .find(|a| a.event.action.as_str() == "pii_redacted")
        .unwrap();
    let attrs: Vec<(&str, &str)> = red
        .event
        .attributes
        .iter()
        .map(|a| (a.name.as_str(), a.value.as_str()))
        .collect();
    assert_eq!(
        attrs,
        vec![("pan", "1"), ("ssn", "1")],
        "PII_REDACTED per type, counts only"
    );

    // CHAT-04: ticket closed 2024-01-01 → kept on 2024-12-31, erased on 2025-01-02.
    let set = e
        .steward
        .close_ticket(&svc(), "ZD-1", ts("2024-01-01T00:00:00Z"))
        .await
        .unwrap();
    assert_eq!(set, vec![stored.item.id]);
    e.clock.set(ts("2024-12-31T18:00:00Z"));
    let r = e
        .steward
        .run_retention(&svc(), RetentionOptions::default())
        .await
        .unwrap();
    assert!(r.items.get("chat_transcript").is_none_or(|c| c.done == 0));
    e.clock.set(ts("2025-01-02T00:00:00Z"));
    let dry = e
        .steward
        .run_retention(
            &svc(),
            RetentionOptions {
                dry_run: true,
                ..RetentionOptions::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(dry.items["chat_transcript"].done, 1);
    assert!(
        e.steward
            .store()
            .get_item(stored.item.id)
            .await
            .unwrap()
            .value
            .is_some(),
        "a dry run changes nothing"
    );
    let run = e
        .steward
        .run_retention(&svc(), RetentionOptions::default())
        .await
        .unwrap();
    assert_eq!(run.items["chat_transcript"].done, 1);
    assert!(
        e.steward
            .store()
            .get_item(stored.item.id)
            .await
            .unwrap()
            .value
            .is_none()
    );
    let again = e
        .steward
        .run_retention(&svc(), RetentionOptions::default())
        .await
        .unwrap();
    assert_eq!(again.total_done(), 0, "RET-02: a second run reports 0");
}

#[tokio::test]
async fn ret_03_legal_holds_keep_expired_items_and_overdue_reviews_are_flagged() {
    let e = env();
    let s = subject(&e.steward, "US-TX").await;
    let other = subject(&e.steward, "US-TX").await;
    let a = e
        .steward
        .store_transcript(&svc(), transcript(s, Transport::Tls13))
        .await
        .unwrap();
    let mut t = transcript(other, Transport::Tls13);
    t.ticket = "ZD-2".into();
    let b = e.steward.store_transcript(&svc(), t).await.unwrap();
    let now = steward_core::Clock::now(&*e.clock);
    e.steward.close_ticket(&svc(), "ZD-1", now).await.unwrap();
    e.steward.close_ticket(&svc(), "ZD-2", now).await.unwrap();
    e.steward
        .store()
        .put_legal_hold(&NewLegalHold {
            id: steward_store::ids::HoldId::generate(),
            subject: s,
            items: vec![],
            reason: RequestCode::new("litigation").unwrap(),
            owner: RequestCode::new("legal").unwrap(),
            review_at: now
                .checked_add(jiff::SignedDuration::from_hours(24 * 30))
                .unwrap(),
            created_at: now,
        })
        .await
        .unwrap();
    e.clock.advance(jiff::SignedDuration::from_hours(24 * 400));
    let r = e
        .steward
        .run_retention(&svc(), RetentionOptions::default())
        .await
        .unwrap();
    let c = r.items["chat_transcript"];
    assert_eq!((c.done, c.held), (1, 1));
    assert_eq!(r.overdue_holds.len(), 1);
    assert_eq!(r.overdue_holds[0].alert, "HOLD_REVIEW_OVERDUE");
    let store = e.steward.store();
    assert!(store.get_item(a.item.id).await.unwrap().value.is_some());
    assert!(store.get_item(b.item.id).await.unwrap().value.is_none());
    let again = e
        .steward
        .run_retention(&svc(), RetentionOptions::default())
        .await
        .unwrap();
    assert_eq!((again.total_done(), again.total_held()), (0, 1));
}

#[tokio::test]
async fn ret_01_usage_events_older_than_13_months_are_purged() {
    let e = env();
    let r = e
        .ingest
        .ingest_events(&svc(), slots(vec![ev("analytics_uid", "c-1", "US-TX")]))
        .await
        .unwrap();
    assert_eq!(r.accepted, 1);
    e.clock.advance(jiff::SignedDuration::from_hours(24 * 380));
    let r = e
        .steward
        .run_retention(&svc(), RetentionOptions::default())
        .await
        .unwrap();
    assert_eq!(r.usage_events.done, 0, "12.5 months: kept");
    e.clock.advance(jiff::SignedDuration::from_hours(24 * 30));
    let r = e
        .steward
        .run_retention(&svc(), RetentionOptions::default())
        .await
        .unwrap();
    assert_eq!(r.usage_events.done, 1, "past 13 months: purged");
}

#[tokio::test]
async fn survey_01_to_03_answers_are_optional_redacted_and_purpose_bound() {
    let e = env();
    let s = subject(&e.steward, "US-TX").await;
    let survey = SurveyDefinition {
        id: "nps-2024".into(),
        notice: Some(
            "We combine your answers with other customers' to improve our services.".into(),
        ),
        ..SurveyDefinition::default()
    };
    let declined = e
        .steward
        .store_survey_answers(
            &svc(),
            SurveyAnswers {
                subject: s,
                survey: survey.clone(),
                answers: BTreeMap::new(),
            },
        )
        .await
        .unwrap();
    assert!(declined.is_none(), "declining stores nothing");
    assert!(e.steward.list_items(s).await.unwrap().is_empty());
    let (item, red) = e
        .steward
        .store_survey_answers(
            &svc(),
            SurveyAnswers {
                subject: s,
                survey: survey.clone(),
                answers: BTreeMap::from([
                    ("q1".to_string(), "9".to_string()),
                    ("q2".to_string(), "call me, SSN 123-45-6789".to_string()),
                ]),
            },
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(red.ssn, 1);
    assert!(item.retain_until.is_some(), "24 months from collection");
    assert_eq!(
        denied(
            e.steward
                .read_item(&svc(), item.id, "marketing_first_party")
                .await
        ),
        "PURPOSE_NOT_ALLOWED"
    );
    let read = e
        .steward
        .read_item(&svc(), item.id, "feedback_analysis")
        .await
        .unwrap();
    assert!(
        String::from_utf8(read.value.expose().clone())
            .unwrap()
            .contains("***-**-****")
    );
    let required = SurveyDefinition {
        required: true,
        ..survey
    };
    assert!(matches!(
        e.steward
            .store_survey_answers(
                &svc(),
                SurveyAnswers {
                    subject: s,
                    survey: required,
                    answers: BTreeMap::from([("q1".to_string(), "1".to_string())]),
                },
            )
            .await,
        Err(CoreError::Invalid {
            code: ErrorCode::SurveyCannotBeRequired,
            ..
        })
    ));
}

#[tokio::test]
async fn geo_01_to_03_location_only_while_enabled_and_coarsened_for_improvement() {
    let e = env();
    let s = subject(&e.steward, "US-CA").await;
    let now = steward_core::Clock::now(&*e.clock);
    let batch = LocationBatch {
        gps: vec![GpsSample {
            lat: 37.774_929,
            lon: -122.419_416,
            accuracy_m: Some(5.0),
            at: now,
        }],
        motion: vec![],
    };
    let r = e
        .steward
        .ingest_location(&svc(), s, batch.clone())
        .await
        .unwrap();
    assert_eq!((r.stored, r.refused), (0, 1));
    assert_eq!(r.reason.as_deref(), Some("NOT_ENABLED"));
    choose(
        &e.steward,
        ChoiceParty::Subject(s),
        "location_services",
        true,
    )
    .await;
    let r = e
        .steward
        .ingest_location(&svc(), s, batch.clone())
        .await
        .unwrap();
    assert_eq!(r.stored, 1);
    assert_eq!(
        denied(
            e.steward
                .read_locations(&svc(), s, "ad_customization")
                .await
        ),
        "PURPOSE_NOT_ALLOWED",
        "GEO-02"
    );
    let precise = e
        .steward
        .read_locations(&svc(), s, "service_provision")
        .await
        .unwrap();
    assert_eq!(precise[0].lat, 37.774_929);
    let coarse = e
        .steward
        .read_locations(&svc(), s, "service_improvement")
        .await
        .unwrap();
    assert_ne!(coarse[0].lat, 37.774_929, "GEO-03: coarsened");
    assert!(coarse[0].accuracy_m.unwrap() >= 1850.0 * 0.3048 - 1e-6);
    // Turned off again: collection stops (GEO-01).
    choose(
        &e.steward,
        ChoiceParty::Subject(s),
        "location_services",
        false,
    )
    .await;
    e.clock.advance(jiff::SignedDuration::from_secs(1));
    let r = e.steward.ingest_location(&svc(), s, batch).await.unwrap();
    assert_eq!(r.reason.as_deref(), Some("NOT_ENABLED"));
}

#[tokio::test]
async fn gpc_11_usp_03_gpp_07_10_signals_follow_the_effective_choices() {
    let e = env();
    let cfg = SignalConfig::default();
    let ca = subject(&e.steward, "US-CA").await;
    let sig = e
        .steward
        .signals_for_subject(ca, false, &cfg)
        .await
        .unwrap();
    assert_eq!(sig.gpp, "DBABBg~BUoAAACA.QA");
    assert_eq!(sig.us_privacy, "1YNN");
    assert_eq!(sig.gpp_sid, vec![8]);
    // A GPC signal on this request: opted out at once.
    let sig = e.steward.signals_for_subject(ca, true, &cfg).await.unwrap();
    assert_eq!(sig.gpp, "DBABBg~BUUAAACA.YA");
    assert_eq!(sig.us_privacy, "1YYN");
    // A Do Not Sell form, no GPC.
    choose(&e.steward, ChoiceParty::Subject(ca), "sale_opt_out", true).await;
    choose(&e.steward, ChoiceParty::Subject(ca), "share_opt_out", true).await;
    let sig = e
        .steward
        .signals_for_subject(ca, false, &cfg)
        .await
        .unwrap();
    assert_eq!(sig.gpp, "DBABBg~BUUAAACA.QA");
    assert_eq!(sig.us_privacy, "1YYN");
    // Texas: national section, CCPA does not apply to the USP string.
    let tx = subject(&e.steward, "US-TX").await;
    let sig = e
        .steward
        .signals_for_subject(tx, false, &cfg)
        .await
        .unwrap();
    assert_eq!(sig.us_privacy, "1---");
    assert_eq!(sig.gpp_sid, vec![7]);
    // An EU visitor: nothing US-specific.
    let sig = e
        .steward
        .signals_for_device(IdentityKind::Cookie, "c-eu", Some("FR"), false, &cfg)
        .await
        .unwrap();
    assert_eq!(sig.gpp, "DBAA");
    assert!(sig.gpp_sid.is_empty());
    // A California device whose GPC was recorded (GPC-03: persisted).
    choose(&e.steward, cookie("c-ca"), "gpc", true).await;
    let sig = e
        .steward
        .signals_for_device(IdentityKind::Cookie, "c-ca", Some("US-CA"), false, &cfg)
        .await
        .unwrap();
    assert_eq!(sig.gpp, "DBABBg~BUUAAACA.YA");
    // A known 15-year-old in California, no authorization.
    let minor = e
        .steward
        .create_subject(
            &svc(),
            steward_core::subjects::SubjectInput {
                jurisdiction: Some("US-CA".into()),
                age: Some(15),
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .id;
    let sig = e
        .steward
        .signals_for_subject(minor, false, &cfg)
        .await
        .unwrap();
    assert_eq!(sig.gpp, "DBABBg~BUUAABSA.QA");
    assert_eq!(sig.us_privacy, "1YYN");
}

async fn disclose(
    e: &Env,
    s: steward_store::ids::SubjectId,
    recipient: &str,
    category: &str,
    purpose: &str,
) {
    let req: steward_policy::Request = serde_json::from_value(serde_json::json!({
        "op": "can_disclose",
        "subject": {"id": s.to_string()},
        "categories": [category],
        "recipient": recipient,
        "purpose": purpose,
    }))
    .unwrap();
    let d = e.steward.decide(&svc(), req, false).await.unwrap();
    assert!(d.allow, "{recipient}: {d:?}");
    e.steward
        .record_disclosure(
            &svc(),
            DisclosureInput {
                decision_id: d.event_id,
                subject: s,
                recipient: recipient.into(),
                categories: vec![category.into()],
                purpose: purpose.into(),
                items: vec![],
                payload_sha256: None,
            },
        )
        .await
        .unwrap();
}

#[tokio::test]
async fn adtech_03_an_opt_out_queues_notifications_for_sale_and_share_partners() {
    let e = env();
    let s = subject(&e.steward, "US-CA").await;
    disclose(&e, s, "SP_ADS", "cookie_id", "ad_customization").await;
    disclose(&e, s, "MP1", "name", "third_party_promotional_mail").await;
    disclose(&e, s, "SP_EMAIL", "email", "important_communications").await;
    let (ids, queued) = e
        .steward
        .record_choices_notifying(
            &svc(),
            vec![ChoiceInput {
                party: ChoiceParty::Subject(s),
                key: "sale_opt_out".into(),
                value: true,
                source: "user".into(),
                notice_sha256: None,
                channel: Some("web_form".into()),
            }],
        )
        .await
        .unwrap();
    let mut to: Vec<&str> = queued.iter().map(|n| n.recipient.as_str()).collect();
    to.sort();
    assert_eq!(to, vec!["MP1", "SP_ADS"], "not the e-mail processor");
    let received = steward_core::Clock::now(&*e.clock);
    for n in &queued {
        assert!(n.due_at > received);
        // 15 business days from Mon 2024-03-04 is 2024-03-25 (end of day, Los Angeles).
        assert!(n.due_at <= ts("2024-03-26T07:00:00Z"), "{:?}", n.due_at);
    }
    // Queuing again for the same recorded opt-out adds nothing.
    assert!(
        e.steward
            .notify_opt_out(&svc(), s, ids[0])
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        e.steward
            .store()
            .open_notifications(10)
            .await
            .unwrap()
            .len(),
        2
    );
    // An opt-in is not an opt-out.
    let (_, none) = e
        .steward
        .record_choices_notifying(
            &svc(),
            vec![ChoiceInput {
                party: ChoiceParty::Subject(s),
                key: "marketing:first_party:email".into(),
                value: true,
                source: "user".into(),
                notice_sha256: None,
                channel: None,
            }],
        )
        .await
        .unwrap();
    assert!(none.is_empty());
}
