//! The audit trail of a case file against the real SQLite store: the administrative entries
//! naming one incident or legal request — and only that one — in the order written, with who
//! acted; reading it is itself audited (AUD-06).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed step fails the test"
)]

use std::collections::BTreeMap;
use std::sync::Arc;

use steward_core::Caller;
use steward_core::incidents::{AssessmentInput, IncidentInput, NoticeSent};
use steward_core::legal::{Basis, Instrument, LegalRequestInput, ReviewDecision};
use steward_core::{AuditSettings, ManualClock, Parts, Steward};
use steward_deadlines::BreachRisk;
use steward_store::model::audit::{AuditKind, AuditQuery};
use steward_vault::KeyRing;

fn steward(dir: &tempfile::TempDir) -> Arc<Steward> {
    let store =
        steward_store_sqlite::SqliteStore::open(dir.path().join("steward.db"), Default::default())
            .unwrap();
    let ring = KeyRing::ephemeral().unwrap();
    Steward::start(Parts {
        store: Arc::new(store),
        engine: Arc::new(steward_policy::default_engine().unwrap()),
        vault: ring.vault().unwrap(),
        blind: ring.blind_index().unwrap(),
        signer: Some(Arc::new(ring.checkpoint_signer().unwrap())),
        verifier: ring.checkpoint_verifier().unwrap(),
        clock: Arc::new(ManualClock::at("2024-03-04T17:00:00Z".parse().unwrap())),
        controller: "stamps".into(),
        audit: AuditSettings::default(),
    })
    .unwrap()
}

fn incident(summary: &str) -> IncidentInput {
    IncidentInput {
        summary: summary.into(),
        discovered_at: "2024-03-01T17:00:00Z".parse().unwrap(),
        aware_at: None,
        systems: vec!["backups".into()],
        categories: vec!["email".into()],
        affected: BTreeMap::from([("DE".to_string(), 3)]),
        records_affected: None,
        encrypted: false,
        key_compromised: false,
        processor: false,
        recipients: vec![],
        compute_affected: None,
    }
}

#[tokio::test]
async fn a_case_trail_holds_its_own_entries_in_order_and_its_reading_is_audited() {
    let dir = tempfile::tempdir().unwrap();
    let s = steward(&dir);
    let team = Caller::Service("privacy:cases".into());
    let other = Caller::Service("privacy:other".into());
    let a = s.record_incident(&team, incident("A")).await.unwrap();
    let b = s.record_incident(&other, incident("B")).await.unwrap();
    let a = s
        .assess_incident(
            &team,
            a.case.id,
            AssessmentInput {
                breach: true,
                risk: Some(BreachRisk::Risk),
                note: None,
            },
        )
        .await
        .unwrap();
    s.mark_notice_sent(
        &team,
        a.case.id,
        a.notices[0].id,
        NoticeSent {
            sent_at: None,
            what: "online form".into(),
            delay_reason: None,
        },
    )
    .await
    .unwrap();
    s.assess_incident(
        &other,
        b.case.id,
        AssessmentInput {
            breach: false,
            risk: None,
            note: None,
        },
    )
    .await
    .unwrap();

    let trail = s.case_trail(&team, &a.case).await.unwrap();
    assert!(!trail.truncated);
    let actions: Vec<&str> = trail
        .entries
        .iter()
        .map(|e| e.event.action.as_str())
        .collect();
    assert_eq!(
        actions,
        ["incident.record", "incident.assess", "incident.notice_sent"]
    );
    assert!(trail.entries.windows(2).all(|w| w[0].seq < w[1].seq));
    let b_trail = s.case_trail(&other, &b.case).await.unwrap();
    assert_eq!(b_trail.entries.len(), 2, "only B's own entries");

    // A legal request's trail: registered by one key, reviewed by another.
    let l = s
        .register_legal_request(
            &other,
            LegalRequestInput {
                authority: "Court".into(),
                instrument: Instrument::Subpoena,
                basis: Basis::RequiredByLaw,
                scope: vec!["email".into()],
                subjects: vec![],
                received_at: Some("2020-01-01T00:00:00Z".parse().unwrap()),
                gag_order: false,
                reference: None,
                notice_prohibited: None,
            },
        )
        .await
        .unwrap();
    s.review_legal_request(&team, l.case.id, ReviewDecision::Reject, "no basis")
        .await
        .unwrap();
    let t = s.case_trail(&team, &l.case).await.unwrap();
    let who: Vec<String> = t
        .entries
        .iter()
        .map(|e| format!("{} {:?}", e.event.action.as_str(), e.event.actor))
        .collect();
    assert_eq!(who.len(), 2, "{who:?}");
    assert!(who[0].starts_with("legal_request.register") && who[0].contains("privacy:other"));
    assert!(who[1].starts_with("legal_request.review") && who[1].contains("privacy:cases"));

    // Each read was appended to the log as a read, naming the case (AUD-06).
    s.audit().flush().await;
    let reads = s
        .reads()
        .query_audit(&AuditQuery {
            kind: Some(AuditKind::Read),
            ..AuditQuery::all(1000)
        })
        .await
        .unwrap();
    let trail_reads: Vec<_> = reads
        .iter()
        .filter(|e| e.event.action.as_str() == "audit.query")
        .collect();
    assert_eq!(trail_reads.len(), 3);
    assert!(
        trail_reads[0]
            .event
            .refs
            .iter()
            .any(|r| r.name.as_str() == "incident" && r.id == a.case.id.as_uuid())
    );
    assert!(
        trail_reads[2]
            .event
            .refs
            .iter()
            .any(|r| r.name.as_str() == "legal_request" && r.id == l.case.id.as_uuid())
    );
}
