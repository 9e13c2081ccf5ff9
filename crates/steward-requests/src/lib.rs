//! Data subject requests, end to end: which regimes apply, intake with the statutory clock,
//! verification, the erasure plan (what is deleted, what is kept under which named
//! exception, who is notified), execution across systems (the vault, the company's own
//! databases through connectors, processors through signed webhooks), receipts, and the
//! access and portability reports built from what is actually stored.
//!
//! This crate sits on top of `steward-core` (the vault, the ledger, the audit log, the
//! policy engine) and is wired by the binary; the HTTP API and the CLI call [`Requests`].
//!
//! - [`service::Requests`]: the workflow (what the API and the CLI call), split by concern:
//!   [`intake`], [`lifecycle`], [`queue`], [`admin`], [`run`], [`reports`], [`webhooks`],
//!   [`selfservice`] (the privacy center's views of a subject's own data), [`complaints`]
//!   (complaints lodged by the people themselves, with their acknowledgement).
//! - [`plan`], [`report`]: the pure parts.
//! - [`verification`]: DEC-09 levels, one-time codes, proportionality checks.
//! - [`config`]: the `[requests]` settings, validated once.
//! - [`effects`]: the traits behind which every outside effect sits (mail, webhooks, the
//!   company's databases, secrets kept outside Steward); the adapters are in
//!   `steward-adapters`, in-memory fakes in `fakes` (feature `testing`).
//! - [`connectors`]: dataset annotations, their validation and erasure order.
//! - [`webhooks`]: signatures, retries with back-off, dead letters, confirmations.
//! - [`receipts`]: what a request did, system by system.

pub mod admin;
pub mod breach_notices;
pub mod complaints;
pub mod config;
pub mod connectors;
mod doc;
pub mod effects;
#[cfg(any(test, feature = "testing"))]
pub mod fakes;
pub mod intake;
pub mod legal;
pub mod lifecycle;
pub mod plan;
pub mod queue;
pub mod receipts;
pub mod report;
pub mod reports;
pub mod run;
mod seal;
pub mod selfservice;
pub mod service;
mod texts;
pub mod transport;
pub mod verification;
pub mod views;
pub mod webhooks;

pub use admin::{ConnectionSource, ConnectorView, DatasetRegistration, WebhookRegistration};
pub use breach_notices::{PeopleNoticeReport, PeopleNoticeText};
pub use complaints::{ComplaintReceipt, ComplaintWords, LodgeComplaint};
pub use config::{RequestsConfig, RequestsSettings, WebhookSettings};
pub use doc::SystemResult;
pub use effects::{
    DatasetConnector, Effects, Email, MailError, Mailer, Secrets, TransportError, WebhookTransport,
    WebhookUrl,
};
pub use intake::{
    AgentDetails, AgentInput, CorrectionInput, IntakeAnswer, SubmitRequest, VerifyAnswer,
};
pub use lifecycle::{ApproveInput, DenyReason};
pub use queue::{Alert, ListQuery, RequestListItem, RequestMetrics, RequestView};
pub use reports::{ReportFormat, ReportOutput};
pub use run::{RunOutcome, RunProgress};
pub use service::Requests;
pub use steward_store::model::request::{ConnectorKind, RequestState, Requester};
pub use views::DeliveryView;
pub use webhooks::DeliveryReport;

use steward_deadlines::Regime;
use steward_policy::{Engine, Subject};

/// The regimes whose request rules apply to a subject (SCOPE-07, DL-03).
#[must_use]
pub fn regimes_for(engine: &Engine, subject: &Subject) -> Vec<Regime> {
    let mut out = Vec::new();
    if engine.is_eu(subject) {
        let uk = subject.jurisdiction.is_some_and(|j| j.country() == "GB");
        out.push(if uk { Regime::UkGdpr } else { Regime::Gdpr });
    }
    if let Some(j) = &subject.jurisdiction {
        if j.is_california() {
            out.push(Regime::Ccpa);
        }
        if j.is_nevada() {
            out.push(Regime::Nevada);
        }
    }
    if out.is_empty() {
        out.push(Regime::Policy);
    }
    out
}
