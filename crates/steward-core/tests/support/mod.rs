//! Shared set-up of the issue-7 tests: a service on a fresh SQLite store with the shipped
//! policy, an ephemeral key ring and a manual clock.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    dead_code,
    reason = "test code: a failed step fails the test"
)]

use std::sync::Arc;
use std::time::Duration;

use steward_core::choices::{ChoiceInput, ChoiceParty};
use steward_core::ingest::{EventSlot, IngestConfig, Ingestor, UsageEventInput};
use steward_core::subjects::SubjectInput;
use steward_core::{AuditSettings, Caller, ManualClock, Parts, Steward};
use steward_store::ids::SubjectId;
use steward_store::model::subject::IdentityKind;
use steward_vault::{KeyRing, Sensitive};

pub struct Env {
    pub steward: Arc<Steward>,
    pub ingest: Ingestor,
    pub clock: Arc<ManualClock>,
    pub dir: tempfile::TempDir,
    pub ring: KeyRing,
}

pub const T0: &str = "2024-03-04T17:00:00Z";

/// Regions of network prefixes from a table (the MaxMind adapter has its own tests).
#[derive(Debug)]
pub struct TableGeo(pub Vec<(steward_vault::IpPrefix, &'static str)>);

impl steward_core::ingest::GeoLookup for TableGeo {
    fn region(&self, prefix: steward_vault::IpPrefix) -> Option<steward_store::Jurisdiction> {
        self.0
            .iter()
            .find(|(p, _)| *p == prefix)
            .and_then(|(_, r)| steward_store::Jurisdiction::new(*r).ok())
    }
}

pub fn env_with(geo: Option<Arc<dyn steward_core::ingest::GeoLookup>>) -> Env {
    let dir = tempfile::tempdir().unwrap();
    let store =
        steward_store_sqlite::SqliteStore::open(dir.path().join("steward.db"), Default::default())
            .unwrap();
    let ring = KeyRing::ephemeral().unwrap();
    let clock = Arc::new(ManualClock::at(T0.parse().unwrap()));
    let steward = Steward::start(Parts {
        store: Arc::new(store),
        engine: Arc::new(steward_policy::default_engine().unwrap()),
        vault: ring.vault().unwrap(),
        blind: ring.blind_index().unwrap(),
        signer: None,
        verifier: ring.checkpoint_verifier().unwrap(),
        clock: clock.clone(),
        controller: "stamps".into(),
        audit: AuditSettings::default(),
    })
    .unwrap();
    let config = IngestConfig {
        geo,
        device_ttl: Duration::ZERO,
        ..IngestConfig::default()
    };
    let ingest = Ingestor::new(steward.clone(), ring.ip_pseudonymizer(), config).unwrap();
    Env {
        steward,
        ingest,
        clock,
        dir,
        ring,
    }
}

pub fn env() -> Env {
    env_with(None)
}

pub fn svc() -> Caller {
    Caller::Service("test".into())
}

pub async fn subject(s: &Steward, jurisdiction: &str) -> SubjectId {
    s.create_subject(
        &svc(),
        SubjectInput {
            jurisdiction: Some(jurisdiction.into()),
            ..SubjectInput::default()
        },
    )
    .await
    .unwrap()
    .id
}

pub async fn choose(s: &Steward, party: ChoiceParty, key: &str, value: bool) {
    s.record_choices(
        &svc(),
        vec![ChoiceInput {
            party,
            key: key.into(),
            value,
            source: "user".into(),
            notice_sha256: None,
            channel: None,
        }],
    )
    .await
    .unwrap();
}

pub fn cookie(id: &str) -> ChoiceParty {
    ChoiceParty::Device {
        kind: IdentityKind::Cookie,
        id: Sensitive::new(id.into()),
    }
}

pub fn ev(tracker: &str, cookie: &str, jurisdiction: &str) -> UsageEventInput {
    UsageEventInput {
        kind: "page_view".into(),
        tracker: tracker.into(),
        cookie_id: Some(cookie.into()),
        page: Some("https://www.stamps.com/shipping/rates?email=jane%40example.com#top".into()),
        browser: Some("Firefox".into()),
        ip: Some("203.0.113.7".into()),
        jurisdiction: Some(jurisdiction.into()),
        ..UsageEventInput::default()
    }
}

pub fn slots(events: Vec<UsageEventInput>) -> Vec<EventSlot> {
    events.into_iter().map(EventSlot::Event).collect()
}

/// Every byte SQLite keeps for the store (database and WAL).
pub fn raw_db(dir: &tempfile::TempDir) -> Vec<u8> {
    let mut raw = Vec::new();
    for name in ["steward.db", "steward.db-wal"] {
        if let Ok(b) = std::fs::read(dir.path().join(name)) {
            raw.extend(b);
        }
    }
    raw
}

pub fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}
