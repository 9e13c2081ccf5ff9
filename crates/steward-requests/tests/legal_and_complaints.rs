//! The workflow's part of legal requests and complaints, over the real store and vault with
//! the recording mailer: the notice of a disclosure under a legal request to its subject —
//! sent once, or suppressed by a gag order or a prohibition of notice and audited as
//! `NOTICE_SUPPRESSED` (LEGALREQ-05) — and what a person lodged with a complaint, read by the
//! privacy team and erased with the rest of their data while the complaint stays in the
//! register (CONTACT-04, DPF-05).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failed step fails the test"
)]

mod support;

use steward_core::complaints::{ComplaintChannel, Resolution};
use steward_core::legal::{
    Basis, Instrument, LegalRequestInput, ReviewDecision, SubjectNotice, SuppressionReason,
};
use steward_core::{Caller, CoreError};
use steward_deadlines::RequestKind;
use steward_errors::ErrorCode;
use steward_requests::complaints::LodgeComplaint;
use steward_requests::{ApproveInput, SubmitRequest};
use steward_store::ids::{CaseId, SubjectId};
use steward_store::model::audit::{AuditEntry, AuditQuery};
use steward_vault::Sensitive;
use support::*;

const EMAIL: &str = "jane.roe@example.com";

/// A subject with an e-mail address on file.
async fn customer(e: &Env) -> SubjectId {
    let s = e.subject(EMAIL, "US-CA").await;
    e.item(
        s,
        "email",
        EMAIL,
        "direct:registration",
        "account_registration",
    )
    .await;
    s
}

/// A subpoena about `s`, reviewed and approved by counsel.
async fn approved(
    e: &Env,
    s: SubjectId,
    gag_order: bool,
    notice_prohibited: Option<&str>,
) -> CaseId {
    let l = e
        .steward
        .register_legal_request(
            &Caller::Service("legal-intake".into()),
            LegalRequestInput {
                authority: "Superior Court, County of Demo".into(),
                instrument: Instrument::Subpoena,
                basis: Basis::RequiredByLaw,
                scope: vec!["email".into(), "name".into()],
                subjects: vec![s],
                received_at: None,
                gag_order,
                reference: Some("DMS 2024-0042".into()),
                notice_prohibited: notice_prohibited.map(Into::into),
            },
        )
        .await
        .unwrap();
    e.steward
        .review_legal_request(
            &Caller::Service("counsel".into()),
            l.case.id,
            ReviewDecision::Approve,
            "valid subpoena, narrow scope",
        )
        .await
        .unwrap();
    l.case.id
}

async fn disclose(e: &Env, id: CaseId, s: SubjectId) -> steward_core::legal::LegalRequest {
    e.requests
        .disclose_under_legal_request(
            &Caller::Service("counsel".into()),
            id,
            s,
            "LE1",
            "legal_compliance",
            vec!["email".into()],
        )
        .await
        .unwrap()
        .0
}

async fn audit(e: &Env, action: &str) -> Vec<AuditEntry> {
    e.steward
        .store()
        .query_audit(&AuditQuery::all(10_000))
        .await
        .unwrap()
        .into_iter()
        .filter(|a| a.event.action.as_str() == action)
        .collect()
}

fn attribute(a: &AuditEntry, name: &str) -> Option<String> {
    a.event
        .attributes
        .iter()
        .find(|x| x.name.as_str() == name)
        .map(|x| x.value.as_str().to_string())
}

#[tokio::test]
async fn legalreq_05_the_subject_is_told_of_a_disclosure_once() {
    let e = env();
    let s = customer(&e).await;
    let id = approved(&e, s, false, None).await;
    let l = disclose(&e, id, s).await;
    let d = &l.body.disclosures[0];
    assert!(d.subject_notified);
    assert!(
        matches!(d.notice, Some(SubjectNotice::Queued { .. })),
        "{:?}",
        d.notice
    );
    let out = e.outbox();
    assert_eq!(out.len(), 1, "{out:?}");
    let m = &out[0];
    assert!(m.starts_with(&format!("To: {EMAIL}\n")), "{m}");
    for want in [
        "Superior Court, County of Demo",
        "a subpoena",
        "email",
        "March 4, 2024",
        "privacy@stamps.com",
        &id.to_string(),
    ] {
        assert!(m.contains(want), "`{want}` missing from {m}");
    }
    // The company's words come from the configuration (the policy's controller by default).
    assert!(m.contains("Subject: Stamps.com"), "{m}");

    // Idempotent per disclosure: nothing is owed any more, nothing is sent again.
    e.requests.send_legal_notices(&svc(), id).await.unwrap();
    assert_eq!(e.outbox().len(), 1);
    let told = audit(&e, "legal_request.disclose").await;
    assert_eq!(
        attribute(&told[0], "notice").as_deref(),
        Some("notify_subject")
    );
    assert_eq!(audit(&e, "legal_request.notice").await.len(), 1);

    // A second disclosure is a second notice; its outbox message is the decision's id.
    disclose(&e, id, s).await;
    assert_eq!(e.outbox().len(), 2);
    let msgs = e.steward.store().complaint_messages(id).await.unwrap();
    let l = e.steward.legal_request(id).await.unwrap();
    let mut want: Vec<String> = l
        .body
        .disclosures
        .iter()
        .map(|d| d.decision_id.clone())
        .collect();
    let mut got: Vec<String> = msgs.iter().map(|m| m.id.to_string()).collect();
    want.sort();
    got.sort();
    assert_eq!(got, want);
}

#[tokio::test]
async fn legalreq_05_a_gag_order_suppresses_the_notice_and_the_audit_says_why() {
    let e = env();
    let s = customer(&e).await;
    let id = approved(&e, s, true, None).await;
    let l = disclose(&e, id, s).await;
    let d = &l.body.disclosures[0];
    assert!(!d.subject_notified);
    assert_eq!(
        d.notice,
        Some(SubjectNotice::Suppressed {
            reason: SuppressionReason::GagOrder
        })
    );
    assert!(e.outbox().is_empty(), "{:?}", e.outbox());
    assert!(l.body.notice_key.is_none(), "no key for notices never owed");
    let a = audit(&e, "legal_request.disclose").await;
    assert_eq!(
        attribute(&a[0], "notice").as_deref(),
        Some("NOTICE_SUPPRESSED")
    );
    assert_eq!(
        attribute(&a[0], "notice_reason").as_deref(),
        Some("gag_order")
    );
    e.requests.send_legal_notices(&svc(), id).await.unwrap();
    assert!(e.outbox().is_empty());
}

#[tokio::test]
async fn legalreq_05_notice_prohibited_records_its_reason() {
    let e = env();
    let s = customer(&e).await;
    let why = "18 U.S.C. 2705(b) order of 2024-03-01";
    let id = approved(&e, s, false, Some(why)).await;
    let l = disclose(&e, id, s).await;
    assert_eq!(l.body.notice_prohibited.as_deref(), Some(why));
    assert_eq!(
        l.body.disclosures[0].notice,
        Some(SubjectNotice::Suppressed {
            reason: SuppressionReason::NoticeProhibited
        })
    );
    assert!(e.outbox().is_empty());
    let a = audit(&e, "legal_request.disclose").await;
    assert_eq!(
        attribute(&a[0], "notice_reason").as_deref(),
        Some("notice_prohibited")
    );
    // The stated reason is required.
    let err = e
        .steward
        .register_legal_request(
            &svc(),
            LegalRequestInput {
                authority: "x".into(),
                instrument: Instrument::CourtOrder,
                basis: Basis::RequiredByLaw,
                scope: vec!["email".into()],
                subjects: vec![s],
                received_at: None,
                gag_order: false,
                reference: None,
                notice_prohibited: Some("  ".into()),
            },
        )
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            CoreError::Invalid {
                code: ErrorCode::MissingField,
                ..
            }
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn legalreq_05_a_subject_without_an_address_is_recorded_as_such() {
    let e = env();
    let s = e.subject(EMAIL, "US-CA").await;
    let id = approved(&e, s, false, None).await;
    let l = disclose(&e, id, s).await;
    assert!(matches!(
        l.body.disclosures[0].notice,
        Some(SubjectNotice::NoAddress { .. })
    ));
    assert!(e.outbox().is_empty());
}

#[tokio::test]
async fn a_complaints_words_are_read_by_staff_and_erased_with_the_subject() {
    let e = env();
    let s = customer(&e).await;
    let words = "You kept e-mailing me after I opted out: xyzzy-complaint";
    let r = e
        .requests
        .lodge_complaint(
            &Caller::Subject(s),
            LodgeComplaint {
                channel: ComplaintChannel::PrivacyCenter,
                subject: Some(s),
                email: Sensitive::new(EMAIL.into()),
                name: Some(Sensitive::new("Jane Roe".into())),
                jurisdiction: None,
                dpf: false,
                text: Sensitive::new(words.into()),
            },
        )
        .await
        .unwrap();
    let id = r.complaint_id;
    let w = e.requests.complaint_words(&svc(), id).await.unwrap();
    assert_eq!(w.text.expose(), words);
    assert_eq!(w.email.expose(), EMAIL);
    assert_eq!(audit(&e, "complaint.read_words").await.len(), 1);
    e.steward
        .respond_to_complaint(&svc(), id, None, "reply 1")
        .await
        .unwrap();

    // The subject is erased (a verified deletion request, run).
    let a = e
        .requests
        .submit(
            &Caller::System,
            SubmitRequest::by_email(RequestKind::Deletion, "privacy_center", EMAIL),
        )
        .await
        .unwrap();
    e.requests
        .verify_code(a.request_id, &e.last_code())
        .await
        .unwrap();
    e.requests
        .approve(&svc(), a.request_id, ApproveInput::default())
        .await
        .unwrap();
    let out = e.requests.run(&svc(), a.request_id, &|_| {}).await.unwrap();
    assert_eq!(out.state.as_str(), "completed", "{out:?}");

    let err = e.requests.complaint_words(&svc(), id).await.unwrap_err();
    assert!(
        matches!(
            err,
            CoreError::Invalid {
                code: ErrorCode::ComplaintWordsErased,
                ..
            }
        ),
        "{err:?}"
    );
    // The record stays in the register, without anything the person wrote.
    let c = e.steward.complaint(id).await.unwrap();
    assert!(c.body.sealed.is_none());
    assert!(c.body.words_erased_at.is_some());
    assert_eq!(c.body.topic, "lodged_by_complainant");
    assert_eq!(c.body.response_ref.as_deref(), Some("reply 1"));
    assert!(!c.case.body.contains(words));
    assert_eq!(audit(&e, "complaint.erase_words").await.len(), 1);
    // It can still be closed; erasing again erases nothing.
    e.steward
        .resolve_complaint(&svc(), id, Resolution::Resolved)
        .await
        .unwrap();
    assert_eq!(
        e.steward.erase_complaint_words_of(&svc(), s).await.unwrap(),
        0
    );
}
