//! Shared set-up for the request workflow tests: the real SQLite store and vault, a manual
//! clock, a file outbox in a temporary directory, and a tiny HTTP endpoint on 127.0.0.1:0
//! that records what it receives and answers with a status the test chooses.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::{Arc, Mutex};

use jiff::Timestamp;
use steward_core::items::ItemInput;
use steward_core::subjects::{IdentityInput, SubjectInput};
use steward_core::{AuditSettings, Caller, ManualClock, Parts, Steward};
use steward_requests::{Requests, RequestsConfig};
use steward_store::ids::SubjectId;
use steward_store::model::subject::IdentityKind;
use steward_vault::{KeyRing, Sensitive};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

pub struct Env {
    pub steward: Arc<Steward>,
    pub requests: Arc<Requests>,
    pub clock: Arc<ManualClock>,
    pub dir: tempfile::TempDir,
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
    let mut config = RequestsConfig::defaults(dir.path());
    config.from = "privacy@stamps.example".into();
    f(&mut config);
    let requests = Requests::new(steward.clone(), config).unwrap();
    Env {
        steward,
        requests,
        clock,
        dir,
    }
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

    /// The messages of the file outbox, oldest first.
    pub fn outbox(&self) -> Vec<String> {
        steward_requests::outbox::read_file_outbox(&self.dir.path().join("outbox"))
            .unwrap()
            .into_iter()
            .map(|(_, t)| t)
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
        let after = msg.split("is:\r\n\r\n    ").nth(1).unwrap();
        after[..6].to_string()
    }

    /// The civil date of `t` in the controller zone.
    pub fn date(&self, t: Timestamp) -> String {
        self.requests.config().calendar.civil_date(t).to_string()
    }
}

/// A recorded HTTP request.
#[derive(Debug, Clone)]
pub struct Received {
    pub head: String,
    pub body: Vec<u8>,
}

impl Received {
    pub fn header(&self, name: &str) -> Option<String> {
        self.head.split("\r\n").find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.trim()
                .eq_ignore_ascii_case(name)
                .then(|| v.trim().to_string())
        })
    }
}

/// A webhook endpoint on 127.0.0.1:0 answering `status` (changeable) with `body`.
pub struct Endpoint {
    pub url: String,
    pub status: Arc<AtomicU16>,
    pub received: Arc<Mutex<Vec<Received>>>,
    pub reply: Arc<Mutex<String>>,
}

impl Endpoint {
    pub async fn start(status: u16) -> Endpoint {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let status = Arc::new(AtomicU16::new(status));
        let received = Arc::new(Mutex::new(Vec::new()));
        let reply = Arc::new(Mutex::new(String::from("{}")));
        let (s, r, b) = (status.clone(), received.clone(), reply.clone());
        tokio::spawn(async move {
            loop {
                let Ok((mut sock, _)) = listener.accept().await else {
                    return;
                };
                let (s, r, b) = (s.clone(), r.clone(), b.clone());
                tokio::spawn(async move {
                    let mut buf = Vec::new();
                    let mut chunk = [0u8; 4096];
                    let (head, body) = loop {
                        let n = sock.read(&mut chunk).await.unwrap_or(0);
                        if n == 0 {
                            return;
                        }
                        buf.extend_from_slice(&chunk[..n]);
                        if let Some(p) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                            let head = String::from_utf8_lossy(&buf[..p]).to_string();
                            let len: usize = head
                                .split("\r\n")
                                .find_map(|l| {
                                    let (k, v) = l.split_once(':')?;
                                    k.eq_ignore_ascii_case("content-length")
                                        .then(|| v.trim().parse().ok())?
                                })
                                .unwrap_or(0);
                            while buf.len() < p + 4 + len {
                                let n = sock.read(&mut chunk).await.unwrap_or(0);
                                if n == 0 {
                                    break;
                                }
                                buf.extend_from_slice(&chunk[..n]);
                            }
                            break (head, buf[p + 4..].to_vec());
                        }
                    };
                    r.lock().unwrap().push(Received { head, body });
                    let status = s.load(Ordering::SeqCst);
                    let text = b.lock().unwrap().clone();
                    let resp = format!(
                        "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{text}",
                        text.len()
                    );
                    let _ = sock.write_all(resp.as_bytes()).await;
                    let _ = sock.shutdown().await;
                });
            }
        });
        Endpoint {
            url: format!("http://{addr}/hooks/steward"),
            status,
            received,
            reply,
        }
    }

    pub fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }
}

/// A URL nothing listens on (a port bound then released).
pub async fn dead_url() -> String {
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = l.local_addr().unwrap();
    drop(l);
    format!("http://{addr}/hooks")
}
