//! A live Steward for the client's tests: the real server on 127.0.0.1:0 with a fresh SQLite
//! store, an ephemeral key ring, the system clock and the request workflow (the file outbox
//! for mail; in-memory fakes for webhooks and datasets, which these tests do not reach).
#![allow(dead_code, reason = "each test binary uses part of the harness")]

use std::net::SocketAddr;
use std::sync::Arc;

use steward_core::{AuditSettings, Parts, Steward, SystemClock};
use steward_requests::{Requests, RequestsConfig};
use steward_server::{AppState, PolicySource, ServerConfig};
use steward_vault::KeyRing;

pub struct Live {
    pub addr: SocketAddr,
    pub admin: String,
    pub dir: tempfile::TempDir,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Live {
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Drop for Live {
    fn drop(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
    }
}

pub async fn start() -> Live {
    let dir = tempfile::tempdir().unwrap();
    let store =
        steward_store_sqlite::SqliteStore::open(dir.path().join("steward.db"), Default::default())
            .unwrap();
    let ring = KeyRing::ephemeral().unwrap();
    let steward = Steward::start(Parts {
        store: Arc::new(store),
        engine: Arc::new(steward_policy::default_engine().unwrap()),
        vault: ring.vault().unwrap(),
        blind: ring.blind_index().unwrap(),
        signer: Some(Arc::new(ring.checkpoint_signer().unwrap())),
        verifier: ring.checkpoint_verifier().unwrap(),
        clock: Arc::new(SystemClock),
        controller: "stamps".into(),
        audit: AuditSettings::default(),
    })
    .unwrap();
    let state = AppState::new(
        steward.clone(),
        ServerConfig::default(),
        PolicySource::shipped(),
    );
    let mut effects = steward_requests::fakes::Fakes::new().effects();
    effects.mailer = Arc::new(
        steward_adapters::FileOutbox::new(
            dir.path().join("outbox"),
            "privacy@localhost.localdomain",
        )
        .unwrap(),
    );
    assert!(state.set_requests(Requests::new(
        steward.clone(),
        RequestsConfig::default(),
        effects
    )));
    let admin = state.keys().bootstrap().await.unwrap().unwrap();
    let admin = admin.secret.expose().to_string();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(steward_server::serve(listener, state, async move {
        let _ = rx.await;
    }));
    Live {
        addr,
        admin,
        dir,
        stop: Some(tx),
    }
}
