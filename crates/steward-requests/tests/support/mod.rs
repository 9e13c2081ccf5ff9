//! Shared set-up for the request workflow tests: the real SQLite store and vault, a manual
//! clock, and the in-memory fakes of the workflow's effects (`steward_requests::fakes`):
//! messages are read from the recording mailer, webhook endpoints are scripted, company
//! databases are in-memory tables. The real adapters have their own tests in
//! `steward-adapters`.
#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failed step fails the test"
)]

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use jiff::Timestamp;
use steward_core::items::ItemInput;
use steward_core::subjects::{IdentityInput, SubjectInput};
use steward_core::{AuditSettings, Caller, ManualClock, Parts, Steward};
use steward_requests::effects::TransportError;
use steward_requests::fakes::{Fakes, Posted, ScriptedWebhooks};
use steward_requests::{Requests, RequestsConfig};
use steward_store::ids::SubjectId;
use steward_store::model::subject::IdentityKind;
use steward_vault::{KeyRing, Sensitive};

pub struct Env {
    pub steward: Arc<Steward>,
    pub requests: Arc<Requests>,
    pub clock: Arc<ManualClock>,
    pub dir: tempfile::TempDir,
    pub fakes: Fakes,
}

pub fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

pub fn env() -> Env {
    env_with(|_| {})
}

pub fn env_with(f: impl FnOnce(&mut RequestsConfig)) -> Env {
    let dir = tempfile::tempdir().unwrap();
    let store =
        steward_store_sqlite::SqliteStore::open(dir.path().join("steward.db"), Default::default())
            .unwrap();
    let ring = KeyRing::ephemeral().unwrap();
    let clock = Arc::new(ManualClock::at(ts("2024-03-04T17:00:00Z")));
    let steward = Steward::start(Parts {
        store: Arc::new(store),
        engine: Arc::new(steward_policy::default_engine().unwrap()),
        vault: ring.vault().unwrap(),
        blind: ring.blind_index().unwrap(),
        signer: Some(Arc::new(ring.checkpoint_signer().unwrap())),
        verifier: ring.checkpoint_verifier().unwrap(),
        clock: clock.clone(),
        controller: "stamps".into(),
        audit: AuditSettings::default(),
    })
    .unwrap();
    let mut config = RequestsConfig::default();
    f(&mut config);
    let fakes = Fakes::new();
    let requests = Requests::new(steward.clone(), config, fakes.effects());
    Env {
        steward,
        requests,
        clock,
        dir,
        fakes,
    }
}

/// A value as the JSON clients see.
pub fn json<T: serde::Serialize>(t: &T) -> serde_json::Value {
    serde_json::to_value(t).unwrap()
}

pub fn svc() -> Caller {
    Caller::Service("privacy_team".into())
}

impl Env {
    /// A subject with an e-mail identity and residency.
    pub async fn subject(&self, email: &str, jurisdiction: &str) -> SubjectId {
        self.steward
            .create_subject(
                &svc(),
                SubjectInput {
                    jurisdiction: Some(jurisdiction.into()),
                    identities: vec![IdentityInput {
                        kind: IdentityKind::Email,
                        value: Sensitive::new(email.into()),
                    }],
                    ..SubjectInput::default()
                },
            )
            .await
            .unwrap()
            .id
    }

    /// Writes an item through `can_collect`.
    pub async fn item(
        &self,
        subject: SubjectId,
        category: &str,
        value: &str,
        source: &str,
        purpose: &str,
    ) -> steward_store::ids::ItemId {
        self.steward
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
                    derived_from: Vec::new(),
                },
            )
            .await
            .unwrap_or_else(|e| panic!("write {category}: {e:?}"))
            .0
            .id
    }

    /// Records a disclosure directly in the register (as if a share had been allowed).
    pub async fn disclosed(
        &self,
        subject: SubjectId,
        recipient: &str,
        categories: &[&str],
        purpose: &str,
    ) {
        use steward_store::ids::{DecisionId, DisclosureId};
        use steward_store::model::disclosure::DisclosureRecord;
        use steward_store::values::{CategoryKey, PurposeKey, RecipientKey};
        self.steward
            .store()
            .record_disclosure(&DisclosureRecord {
                id: DisclosureId::generate(),
                subject,
                recipient: RecipientKey::new(recipient).unwrap(),
                categories: categories
                    .iter()
                    .map(|c| CategoryKey::new(*c).unwrap())
                    .collect(),
                items: vec![],
                purpose: PurposeKey::new(purpose).unwrap(),
                decision: DecisionId::generate(),
                payload_hash: None,
                disclosed_at: self.steward.clock().now(),
            })
            .await
            .unwrap();
    }

    /// The messages handed to the mailer, oldest first, as `To:`, `Subject:` and the text.
    pub fn outbox(&self) -> Vec<String> {
        self.fakes
            .mailer
            .sent()
            .into_iter()
            .map(|m| {
                format!(
                    "To: {}\nSubject: {}\n\n{}",
                    m.email.to.expose(),
                    m.email.subject,
                    m.email.body.expose()
                )
            })
            .collect()
    }

    /// The last verification code sent.
    pub fn last_code(&self) -> String {
        let all = self.outbox();
        let msg = all
            .iter()
            .rev()
            .find(|m| m.contains("confirmation code"))
            .expect("a code message");
        let after = msg.split("is:\n\n    ").nth(1).unwrap();
        after[..6].to_string()
    }

    /// A scripted webhook endpoint answering `status` with `{}`.
    pub fn endpoint(&self, status: u16) -> Endpoint {
        static N: AtomicU32 = AtomicU32::new(0);
        let url = format!(
            "https://hooks-{}.example/steward",
            N.fetch_add(1, Ordering::Relaxed)
        );
        self.fakes.webhooks.answer_for(&url, Ok((status, "{}")));
        Endpoint {
            url,
            hooks: self.fakes.webhooks.clone(),
        }
    }

    /// A webhook URL whose endpoint cannot be reached (`CONNECT`).
    pub fn dead_url(&self) -> String {
        let url = "https://unreachable.example/hooks".to_string();
        self.fakes
            .webhooks
            .answer_for(&url, Err(TransportError::Connect));
        url
    }

    /// The civil date of `t` in the controller zone.
    pub fn date(&self, t: Timestamp) -> String {
        self.requests.config().calendar.civil_date(t).to_string()
    }
}

/// A scripted webhook endpoint.
pub struct Endpoint {
    pub url: String,
    hooks: Arc<ScriptedWebhooks>,
}

impl Endpoint {
    /// What it received, oldest first.
    pub fn received(&self) -> Vec<Posted> {
        self.hooks.posted_to(&self.url)
    }

    /// Answer `status` with `body` from now on.
    pub fn answer(&self, status: u16, body: &str) {
        self.hooks.answer_for(&self.url, Ok((status, body)));
    }
}
