//! The client's smoke test against a live `steward serve` (scripts/clients-smoke runs it, with
//! the TypeScript and Python clients, against one server):
//!
//! ```sh
//! cargo run -p steward-client --example smoke -- http://127.0.0.1:8080 stw_…
//! ```
//!
//! It creates a subject, asks whether its name and address may go to a mailing partner
//! (allowed), records a choice with `Sec-GPC: 1` passed through and asks again (now refused,
//! with the reason), submits an access request on the customer's behalf and follows it to
//! its approval. Exits 1 on the first answer that is not what it should be.

use std::process::ExitCode;

use steward_client::api::choices::{ChoiceIn, RecordChoices};
use steward_client::api::common::IdentityKindDto;
use steward_client::api::requests::{ApproveIn, RequesterDto, SubmitIn};
use steward_client::api::subjects::{CreateSubject, IdentityIn};
use steward_client::wire::{Op, Request, SubjectFacts};
use steward_client::{Client, Gpc};

fn check(ok: bool, what: &str) -> Result<(), String> {
    if ok { Ok(()) } else { Err(what.to_string()) }
}

async fn smoke(steward: &Client) -> Result<(), Box<dyn std::error::Error>> {
    let nonce = std::process::id();
    let email = format!("smoke-rust-{nonce}@example.test");
    let subject = steward
        .create_subject(&CreateSubject {
            jurisdiction: Some("US-CA".into()),
            identities: vec![IdentityIn {
                kind: IdentityKindDto::Email,
                value: email.clone(),
            }],
            ..CreateSubject::default()
        })
        .await?;
    let id: uuid::Uuid = subject.id.parse()?;

    let ask = Request {
        op: Some(Op::CanDisclose),
        categories: vec!["name".into(), "postal_address".into()],
        recipient: Some("MP1".into()),
        purpose: Some("third_party_promotional_mail".into()),
        subject: SubjectFacts {
            id: Some(subject.id.clone()),
            ..SubjectFacts::default()
        },
        ..Request::default()
    };
    let before = steward.decide(&ask).await?;
    println!(
        "decide: allow={} reason={} clause={:?} record_disclosure={}",
        before.allow, before.reason, before.clause, before.obligations.record_disclosure
    );
    check(before.allow, "the disclosure is allowed before any choice")?;

    let recorded = steward
        .record_choices(
            &RecordChoices {
                subject_id: Some(id),
                device: None,
                choices: vec![ChoiceIn {
                    key: "marketing:first_party:email".into(),
                    value: true,
                    source: None,
                    notice_sha256: None,
                    channel: Some("web_form".into()),
                }],
            },
            Gpc::from_header(Some("1")),
        )
        .await?;
    println!("choices: {} recorded", recorded.choice_ids.len());
    let after = steward.decide(&ask).await?;
    println!("decide: allow={} reason={}", after.allow, after.reason);
    check(!after.allow, "Sec-GPC: 1 opted the subject out of the sale")?;

    let submitted = steward
        .submit_request(&SubmitIn {
            requester: Some(RequesterDto::Admin),
            channel: Some("support".into()),
            subject_id: Some(id),
            preverified: Some("support_call_kba".into()),
            ..SubmitIn::by_email("access", &email)
        })
        .await?;
    println!("request {}: {}", submitted.request_id, submitted.state);
    let rid: uuid::Uuid = submitted.request_id.parse()?;
    let followed = steward.request(rid).await?;
    check(
        followed.summary.state == "verified",
        "the request is verified",
    )?;
    check(
        followed.summary.status == "ON_TRACK",
        "the request is on track",
    )?;
    let approved = steward.approve_request(rid, &ApproveIn::default()).await?;
    println!(
        "request {}: {} (due {})",
        approved.summary.id, approved.summary.state, approved.summary.due
    );
    check(
        approved.summary.state == "approved",
        "the request is approved",
    )?;
    Ok(())
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (Some(url), Some(key)) = (args.next(), args.next()) else {
        eprintln!("usage: smoke URL API_KEY");
        return ExitCode::from(2);
    };
    let steward = match Client::new(&url, key) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    match smoke(&steward).await {
        Ok(()) => {
            println!("rust client: ok");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("rust client: FAILED: {e}");
            ExitCode::FAILURE
        }
    }
}
