//! Test harness: the real server on 127.0.0.1:0 with a fresh temporary SQLite store, an
//! ephemeral key ring and a manual clock; a minimal HTTP/1.1 client (one connection per
//! call, `Connection: close`), so the tests exercise the same stack as production.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    dead_code,
    clippy::panic,
    reason = "test code: a failed step fails the test"
)]

use std::net::SocketAddr;
use std::sync::Arc;

use steward_core::{AuditSettings, ManualClock, Parts, Steward};
use steward_server::{AppState, PolicySource, ServerConfig};
use steward_vault::KeyRing;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

pub struct Server {
    pub addr: SocketAddr,
    pub admin: String,
    pub clock: Arc<ManualClock>,
    pub state: AppState,
    pub steward: Arc<Steward>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    pub task: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
    pub dir: tempfile::TempDir,
}

pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    /// Assert a problem document with this status and code.
    pub fn problem(&self, status: u16, code: &str) -> serde_json::Value {
        assert_eq!(self.status, status, "{}", self.text());
        assert_eq!(
            self.header("content-type"),
            Some("application/problem+json"),
            "{}",
            self.text()
        );
        let p = self.json();
        assert_eq!(p["code"], code, "{p}");
        assert_eq!(p["status"], status);
        assert!(
            p["type"]
                .as_str()
                .unwrap()
                .starts_with("urn:steward:problem:")
        );
        assert!(p["title"].is_string() && p["detail"].is_string());
        p
    }
}

pub async fn spawn() -> Server {
    spawn_with(ServerConfig::default()).await
}

pub async fn spawn_with(config: ServerConfig) -> Server {
    let dir = tempfile::tempdir().unwrap();
    let store =
        steward_store_sqlite::SqliteStore::open(dir.path().join("steward.db"), Default::default())
            .unwrap();
    let ring = KeyRing::ephemeral().unwrap();
    let clock = Arc::new(ManualClock::at("2024-03-04T17:00:00Z".parse().unwrap()));
    let steward = Steward::start(Parts {
        store: Arc::new(store),
        engine: Arc::new(steward_policy::default_engine().unwrap()),
        vault: ring.vault().unwrap(),
        blind: ring.blind_index().unwrap(),
        signer: Some(Arc::new(ring.checkpoint_signer().unwrap())),
        verifier: ring.checkpoint_verifier().unwrap(),
        clock: clock.clone(),
        controller: "stamps".into(),
        audit: AuditSettings {
            checkpoint_every: 50,
            ..AuditSettings::default()
        },
    })
    .unwrap();
    let state = AppState::new(steward.clone(), config, PolicySource::shipped());
    let admin = state
        .keys()
        .bootstrap()
        .await
        .unwrap()
        .expect("a fresh store mints a bootstrap key");
    let admin = admin.secret.expose().to_string();
    assert!(
        state.keys().bootstrap().await.unwrap().is_none(),
        "only once"
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(steward_server::serve(listener, state.clone(), async move {
        let _ = rx.await;
    }));
    Server {
        addr,
        admin,
        clock,
        state,
        steward,
        stop: Some(tx),
        task: Some(task),
        dir,
    }
}

/// Another replica of `s`: a second server with its own `AppState` (so its own process
/// memory: web keys, caches) on the same core and store, as a second process on the same
/// database would be.
pub async fn replica_of(s: &Server) -> Server {
    let state = AppState::new(
        s.steward.clone(),
        ServerConfig::default(),
        PolicySource::shipped(),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(steward_server::serve(listener, state.clone(), async move {
        let _ = rx.await;
    }));
    Server {
        addr,
        admin: s.admin.clone(),
        clock: s.clock.clone(),
        state,
        steward: s.steward.clone(),
        stop: Some(tx),
        task: Some(task),
        dir: tempfile::tempdir().unwrap(),
    }
}

impl Server {
    /// A raw request.
    pub async fn raw(&self, request: &[u8]) -> Reply {
        let mut s = TcpStream::connect(self.addr).await.unwrap();
        s.write_all(request).await.unwrap();
        let mut buf = Vec::new();
        s.read_to_end(&mut buf).await.unwrap();
        parse(&buf)
    }

    pub async fn call(
        &self,
        method: &str,
        path: &str,
        key: Option<&str>,
        headers: &[(&str, &str)],
        body: Option<&[u8]>,
        content_type: Option<&str>,
    ) -> Reply {
        let mut req = format!("{method} {path} HTTP/1.1\r\nHost: test\r\nConnection: close\r\n");
        if let Some(k) = key {
            req.push_str(&format!("Authorization: Bearer {k}\r\n"));
        }
        for (k, v) in headers {
            req.push_str(&format!("{k}: {v}\r\n"));
        }
        let body = body.unwrap_or(b"");
        if !body.is_empty() || method != "GET" {
            if let Some(ct) = content_type {
                req.push_str(&format!("Content-Type: {ct}\r\n"));
            }
            req.push_str(&format!("Content-Length: {}\r\n", body.len()));
        }
        req.push_str("\r\n");
        let mut bytes = req.into_bytes();
        bytes.extend_from_slice(body);
        self.raw(&bytes).await
    }

    pub async fn get(&self, path: &str, key: &str) -> Reply {
        self.call("GET", path, Some(key), &[], None, None).await
    }

    pub async fn post(&self, path: &str, key: &str, body: serde_json::Value) -> Reply {
        let b = serde_json::to_vec(&body).unwrap();
        self.call(
            "POST",
            path,
            Some(key),
            &[],
            Some(&b),
            Some("application/json"),
        )
        .await
    }

    pub async fn post_h(
        &self,
        path: &str,
        key: &str,
        headers: &[(&str, &str)],
        body: serde_json::Value,
    ) -> Reply {
        let b = serde_json::to_vec(&body).unwrap();
        self.call(
            "POST",
            path,
            Some(key),
            headers,
            Some(&b),
            Some("application/json"),
        )
        .await
    }

    pub async fn patch(&self, path: &str, key: &str, body: serde_json::Value) -> Reply {
        let b = serde_json::to_vec(&body).unwrap();
        self.call(
            "PATCH",
            path,
            Some(key),
            &[],
            Some(&b),
            Some("application/json"),
        )
        .await
    }

    /// Mint a key through the API.
    pub async fn key(&self, name: &str, scopes: &[&str], extra: serde_json::Value) -> String {
        let mut body = serde_json::json!({"name": name, "scopes": scopes});
        if let (Some(m), serde_json::Value::Object(e)) = (body.as_object_mut(), extra) {
            m.extend(e);
        }
        let r = self.post("/v1/keys", &self.admin.clone(), body).await;
        assert_eq!(r.status, 201, "{}", r.text());
        r.json()["secret"].as_str().unwrap().to_string()
    }

    pub async fn subject(&self, jurisdiction: &str, email: &str) -> String {
        let r = self
            .post(
                "/v1/subjects",
                &self.admin.clone(),
                serde_json::json!({
                    "jurisdiction": jurisdiction,
                    "identities": [{"kind": "email", "value": email}]
                }),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.text());
        r.json()["id"].as_str().unwrap().to_string()
    }

    pub fn tick(&self) {
        self.clock.advance(jiff::SignedDuration::from_secs(1));
    }

    /// Stop gracefully and wait for the server to finish (audit flushed).
    pub async fn stop(&mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.task.take() {
            t.await.unwrap().unwrap();
        }
    }
}

fn parse(buf: &[u8]) -> Reply {
    let split = buf
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no header end in {:?}", String::from_utf8_lossy(buf)));
    let head = String::from_utf8_lossy(&buf[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status: u16 = lines
        .next()
        .unwrap()
        .split_whitespace()
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let mut body = buf[split + 4..].to_vec();
    let chunked = headers.iter().any(|(k, v)| {
        k.eq_ignore_ascii_case("transfer-encoding") && v.eq_ignore_ascii_case("chunked")
    });
    if chunked {
        let mut out = Vec::new();
        let mut rest = &body[..];
        loop {
            let nl = rest.windows(2).position(|w| w == b"\r\n").unwrap();
            let n = usize::from_str_radix(std::str::from_utf8(&rest[..nl]).unwrap().trim(), 16)
                .unwrap();
            if n == 0 {
                break;
            }
            out.extend_from_slice(&rest[nl + 2..nl + 2 + n]);
            rest = &rest[nl + 2 + n + 2..];
        }
        body = out;
    }
    Reply {
        status,
        headers,
        body,
    }
}

// ---------------------------------------------------------------- web pages

/// The `Set-Cookie` headers of a reply.
pub fn set_cookies(r: &Reply) -> Vec<String> {
    r.headers
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case("set-cookie"))
        .map(|(_, v)| v.clone())
        .collect()
}

/// The CSRF token of the first form of a page.
pub fn csrf(html: &str) -> String {
    let at = html
        .find("name=\"csrf\" value=\"")
        .unwrap_or_else(|| panic!("no CSRF field in {html}"));
    let rest = &html[at + 19..];
    rest[..rest.find('"').unwrap()].to_string()
}

/// An `application/x-www-form-urlencoded` body.
pub fn form(fields: &[(&str, &str)]) -> Vec<u8> {
    fields
        .iter()
        .map(|(k, v)| {
            let enc: String = v
                .bytes()
                .map(|b| match b {
                    b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                        (b as char).to_string()
                    }
                    _ => format!("%{b:02X}"),
                })
                .collect();
            format!("{k}={enc}")
        })
        .collect::<Vec<_>>()
        .join("&")
        .into_bytes()
}

/// `s` with the request workflow configured on in-memory fakes (for the routes under
/// `/v1/requests`, the alerts list among them).
pub fn with_fake_requests(s: Server) -> Server {
    let r = steward_requests::Requests::new(
        s.steward.clone(),
        steward_requests::RequestsConfig::default(),
        steward_requests::fakes::Fakes::new().effects(),
    );
    assert!(s.state.set_requests(r));
    s
}
