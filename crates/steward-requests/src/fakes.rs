//! In-memory fakes of the workflow's effects, for tests of the workflow and of the crates
//! built on it (feature `testing`): a mailer that records what it is given, a webhook
//! transport that answers what the test scripts, a dataset connector over in-memory tables
//! that matches and erases rows as the annotation says, and secrets from a map.
//!
//! They hold no real I/O and are never used by the binary; the real adapters keep their own
//! tests against a local SMTP listener, a local HTTPS endpoint, SQLite files and PostgreSQL.

use std::collections::{BTreeMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use async_trait::async_trait;
use jiff::Timestamp;
use steward_store::ids::MessageId;
use steward_store::model::request::ConnectorKind;
use steward_vault::{SecretString, Sensitive};

use crate::connectors::{
    Dataset, DatasetOutcome, DatasetRows, EraseAction, Identities, MatchMode, TableAnnotation,
    TableOutcome, TableRows,
};
use crate::effects::{
    ConnectorError, ConnectorErrorCode, DatasetConnector, Effects, Email, MailError, Mailer,
    Secrets, TransportError, WebhookResponse, WebhookTransport, WebhookUrl,
};

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    match m.lock() {
        Ok(g) => g,
        Err(poisoned) => poisoned.into_inner(),
    }
}

/// A message the [`RecordingMailer`] took.
#[derive(Debug, Clone)]
pub struct SentMail {
    /// The message id.
    pub id: MessageId,
    /// When it was handed over.
    pub at: Timestamp,
    /// The message.
    pub email: Email,
}

/// A mailer that records every message it takes, or refuses them while told to.
#[derive(Debug, Default)]
pub struct RecordingMailer {
    sent: Mutex<Vec<SentMail>>,
    refuse: Mutex<Option<MailError>>,
}

impl RecordingMailer {
    /// Every message taken, oldest first.
    #[must_use]
    pub fn sent(&self) -> Vec<SentMail> {
        lock(&self.sent).clone()
    }

    /// The texts of every message taken, oldest first.
    #[must_use]
    pub fn bodies(&self) -> Vec<String> {
        lock(&self.sent)
            .iter()
            .map(|m| m.email.body.expose().clone())
            .collect()
    }

    /// Refuse every message with `error` from now on (`None`: take them again).
    pub fn refuse(&self, error: Option<MailError>) {
        *lock(&self.refuse) = error;
    }
}

#[async_trait]
impl Mailer for RecordingMailer {
    async fn send(&self, id: MessageId, at: Timestamp, email: &Email) -> Result<(), MailError> {
        if let Some(e) = *lock(&self.refuse) {
            return Err(e);
        }
        lock(&self.sent).push(SentMail {
            id,
            at,
            email: email.clone(),
        });
        Ok(())
    }
}

/// A POST the [`ScriptedWebhooks`] received.
#[derive(Debug, Clone)]
pub struct Posted {
    /// The URL as registered.
    pub url: String,
    /// The headers Steward set.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl Posted {
    /// A header's value (names compare case-insensitively).
    #[must_use]
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body as JSON.
    #[must_use]
    pub fn json(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.body).ok()
    }
}

/// A webhook transport that records every POST and answers as scripted: first the queued
/// outcomes, one per POST, then the standing answer (status 200 with `{}` unless changed),
/// or the standing failure while one is set. URLs may be restricted per endpoint with
/// [`ScriptedWebhooks::answer_for`].
#[derive(Debug)]
pub struct ScriptedWebhooks {
    posted: Mutex<Vec<Posted>>,
    queue: Mutex<VecDeque<Result<WebhookResponse, TransportError>>>,
    standing: Mutex<Result<WebhookResponse, TransportError>>,
    per_url: Mutex<BTreeMap<String, Result<WebhookResponse, TransportError>>>,
}

impl Default for ScriptedWebhooks {
    fn default() -> Self {
        ScriptedWebhooks {
            posted: Mutex::new(Vec::new()),
            queue: Mutex::new(VecDeque::new()),
            standing: Mutex::new(Ok(WebhookResponse {
                status: 200,
                body: b"{}".to_vec(),
            })),
            per_url: Mutex::new(BTreeMap::new()),
        }
    }
}

impl ScriptedWebhooks {
    /// Every POST received, oldest first.
    #[must_use]
    pub fn posted(&self) -> Vec<Posted> {
        lock(&self.posted).clone()
    }

    /// The POSTs received for `url`.
    #[must_use]
    pub fn posted_to(&self, url: &str) -> Vec<Posted> {
        lock(&self.posted)
            .iter()
            .filter(|p| p.url == url)
            .cloned()
            .collect()
    }

    /// Answer `status` with `body` from now on.
    pub fn answer(&self, status: u16, body: &str) {
        *lock(&self.standing) = Ok(WebhookResponse {
            status,
            body: body.as_bytes().to_vec(),
        });
    }

    /// Fail every exchange with `error` from now on.
    pub fn fail(&self, error: TransportError) {
        *lock(&self.standing) = Err(error);
    }

    /// Answer exchanges with `url` this way, whatever the standing answer.
    pub fn answer_for(&self, url: &str, outcome: Result<(u16, &str), TransportError>) {
        lock(&self.per_url).insert(
            url.to_string(),
            outcome.map(|(status, body)| WebhookResponse {
                status,
                body: body.as_bytes().to_vec(),
            }),
        );
    }

    /// Queue one outcome for the next POST (before the standing answer).
    pub fn then(&self, outcome: Result<(u16, &str), TransportError>) {
        lock(&self.queue).push_back(outcome.map(|(status, body)| WebhookResponse {
            status,
            body: body.as_bytes().to_vec(),
        }));
    }
}

#[async_trait]
impl WebhookTransport for ScriptedWebhooks {
    async fn post_json(
        &self,
        url: &WebhookUrl,
        headers: &[(&'static str, String)],
        body: &[u8],
    ) -> Result<WebhookResponse, TransportError> {
        lock(&self.posted).push(Posted {
            url: url.expose().to_string(),
            headers: headers
                .iter()
                .map(|(k, v)| ((*k).to_string(), v.clone()))
                .collect(),
            body: body.to_vec(),
        });
        if let Some(o) = lock(&self.per_url).get(url.expose()) {
            return o.clone();
        }
        if let Some(o) = lock(&self.queue).pop_front() {
            return o;
        }
        lock(&self.standing).clone()
    }
}

/// One row of an in-memory table: column → value (`None` is SQL `NULL`).
pub type Row = BTreeMap<String, Option<String>>;

/// An in-memory database: table → rows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MemoryDb {
    /// The tables.
    pub tables: BTreeMap<String, Vec<Row>>,
}

impl MemoryDb {
    /// Adds a row to `table` from `(column, value)` pairs (`None`: `NULL`).
    pub fn insert(&mut self, table: &str, row: &[(&str, Option<&str>)]) {
        self.tables.entry(table.to_string()).or_default().push(
            row.iter()
                .map(|(k, v)| ((*k).to_string(), v.map(str::to_string)))
                .collect(),
        );
    }

    fn matches(&self, ds: &Dataset, t: &TableAnnotation, row: &Row, ids: &Identities) -> bool {
        if let Some(id) = &t.identity {
            let mode = id.effective_mode();
            let wanted = ids.values(&id.kind, mode);
            return row.get(&id.column).cloned().flatten().is_some_and(|v| {
                let v = match mode {
                    MatchMode::CaseInsensitive => v.to_lowercase(),
                    MatchMode::Exact => v,
                };
                wanted.contains(&v)
            });
        }
        // Any path will do.
        t.via.iter().any(|v| {
            let Some(parent) = ds.table(&v.table) else {
                return false;
            };
            let Some(Some(mine)) = row.get(&v.column) else {
                return false;
            };
            self.tables
                .get(&parent.name)
                .into_iter()
                .flatten()
                .filter(|p| self.matches(ds, parent, p, ids))
                .any(|p| p.get(&v.references).cloned().flatten().as_ref() == Some(mine))
        })
    }

    /// Rows of `t` matching the subject that still hold data the action removes.
    fn still(&self, ds: &Dataset, t: &TableAnnotation, ids: &Identities) -> u64 {
        let holds = |row: &Row| match t.action {
            EraseAction::Delete => true,
            EraseAction::Nullify => t
                .columns
                .keys()
                .any(|c| row.get(c).is_some_and(Option::is_some)),
            EraseAction::Mask => t.columns.keys().any(|c| {
                row.get(c)
                    .cloned()
                    .flatten()
                    .is_some_and(|v| !v.starts_with("erased:"))
            }),
        };
        self.tables
            .get(&t.name)
            .into_iter()
            .flatten()
            .filter(|r| self.matches(ds, t, r, ids) && holds(r))
            .count() as u64
    }
}

#[derive(Debug, Default)]
struct MemoryState {
    dbs: BTreeMap<String, MemoryDb>,
    down: BTreeMap<String, String>,
    frozen: BTreeMap<(String, String), String>,
    commits: BTreeMap<String, u64>,
    reads: BTreeMap<String, u64>,
}

/// A dataset connector over in-memory databases, one per connection string: rows are
/// matched through identity columns and `via` chains exactly as the annotation says
/// (case-insensitive e-mail by default), erased in the annotation's order with its actions
/// (`mask` writes `erased:<16 hex>`), all or nothing per dataset, and verified.
#[derive(Debug)]
pub struct MemoryDatasets {
    kind: ConnectorKind,
    state: Mutex<MemoryState>,
    masks: AtomicU64,
}

impl MemoryDatasets {
    /// A connector serving datasets of `kind`.
    #[must_use]
    pub fn new(kind: ConnectorKind) -> MemoryDatasets {
        MemoryDatasets {
            kind,
            state: Mutex::new(MemoryState::default()),
            masks: AtomicU64::new(0),
        }
    }

    /// Installs (or replaces) the database reached by `connection`.
    pub fn put(&self, connection: &str, db: MemoryDb) {
        lock(&self.state).dbs.insert(connection.to_string(), db);
    }

    /// The database reached by `connection`, as it is now.
    #[must_use]
    pub fn get(&self, connection: &str) -> Option<MemoryDb> {
        lock(&self.state).dbs.get(connection).cloned()
    }

    /// Makes `connection` unreachable with `reason` (`None`: reachable again).
    pub fn set_down(&self, connection: &str, reason: Option<&str>) {
        let mut s = lock(&self.state);
        match reason {
            Some(r) => s.down.insert(connection.to_string(), r.to_string()),
            None => s.down.remove(connection),
        };
    }

    /// Makes changes to `table` of the database reached by `connection` fail with `reason`
    /// (like a trigger refusing them), rolling that dataset back; `None` lifts it.
    pub fn freeze_table(&self, connection: &str, table: &str, reason: Option<&str>) {
        let mut s = lock(&self.state);
        let key = (connection.to_string(), table.to_string());
        match reason {
            Some(r) => s.frozen.insert(key, r.to_string()),
            None => s.frozen.remove(&key),
        };
    }

    /// How many reads the database reached by `connection` served.
    #[must_use]
    pub fn reads(&self, connection: &str) -> u64 {
        lock(&self.state)
            .reads
            .get(connection)
            .copied()
            .unwrap_or(0)
    }

    /// How many erasures committed on the database reached by `connection`.
    #[must_use]
    pub fn commits(&self, connection: &str) -> u64 {
        lock(&self.state)
            .commits
            .get(connection)
            .copied()
            .unwrap_or(0)
    }
}

#[async_trait]
impl DatasetConnector for MemoryDatasets {
    fn kind(&self) -> ConnectorKind {
        self.kind
    }

    async fn erase(
        &self,
        connection: &Sensitive<String>,
        dataset: &Dataset,
        ids: &Identities,
    ) -> Result<DatasetOutcome, ConnectorError> {
        let mut state = lock(&self.state);
        let key = connection.expose().as_str();
        if let Some(reason) = state.down.get(key) {
            return Err(ConnectorError::new(
                ConnectorErrorCode::Connect,
                reason.clone(),
            ));
        }
        let Some(original) = state.dbs.get(key) else {
            return Err(ConnectorError::new(
                ConnectorErrorCode::Connect,
                "no such database",
            ));
        };
        // One transaction: work on a copy, keep it only if every table succeeds.
        let mut db = original.clone();
        let mut tables = Vec::with_capacity(dataset.order.len());
        for &i in &dataset.order {
            let t = &dataset.annotation.tables[i];
            let matched: Vec<usize> = db
                .tables
                .get(&t.name)
                .into_iter()
                .flatten()
                .enumerate()
                .filter(|(_, r)| db.matches(dataset, t, r, ids))
                .map(|(n, _)| n)
                .collect();
            if !matched.is_empty()
                && let Some(reason) = state.frozen.get(&(key.to_string(), t.name.clone()))
            {
                return Err(ConnectorError::new(ConnectorErrorCode::Sql, reason.clone()));
            }
            let rows = db.tables.entry(t.name.clone()).or_default();
            match t.action {
                EraseAction::Delete => {
                    let mut n = 0usize;
                    rows.retain(|_| {
                        let keep = !matched.contains(&n);
                        n += 1;
                        keep
                    });
                }
                EraseAction::Mask | EraseAction::Nullify => {
                    for &n in &matched {
                        for c in t.columns.keys() {
                            let v = (t.action == EraseAction::Mask).then(|| {
                                format!(
                                    "erased:{:016x}",
                                    self.masks.fetch_add(1, Ordering::Relaxed)
                                )
                            });
                            rows[n].insert(c.clone(), v);
                        }
                    }
                }
            }
            let left = db.still(dataset, t, ids);
            if left > 0 {
                return Err(ConnectorError::new(
                    ConnectorErrorCode::Verify,
                    format!(
                        "{left} row(s) of `{}` still match after the erasure",
                        t.name
                    ),
                ));
            }
            tables.push(TableOutcome {
                table: t.name.clone(),
                action: t.action.as_str().to_string(),
                rows: matched.len() as u64,
            });
        }
        let remaining = dataset
            .order
            .iter()
            .map(|&i| db.still(dataset, &dataset.annotation.tables[i], ids))
            .sum();
        state.dbs.insert(key.to_string(), db);
        *state.commits.entry(key.to_string()).or_default() += 1;
        Ok(DatasetOutcome { tables, remaining })
    }

    async fn read(
        &self,
        connection: &Sensitive<String>,
        dataset: &Dataset,
        ids: &Identities,
    ) -> Result<DatasetRows, ConnectorError> {
        let mut state = lock(&self.state);
        let key = connection.expose().as_str();
        if let Some(reason) = state.down.get(key) {
            return Err(ConnectorError::new(
                ConnectorErrorCode::Connect,
                reason.clone(),
            ));
        }
        let Some(db) = state.dbs.get(key) else {
            return Err(ConnectorError::new(
                ConnectorErrorCode::Connect,
                "no such database",
            ));
        };
        let tables = dataset
            .readable()
            .into_iter()
            .map(|(t, columns)| {
                let mut rows: Vec<Vec<Option<String>>> = db
                    .tables
                    .get(&t.name)
                    .into_iter()
                    .flatten()
                    .filter(|r| db.matches(dataset, t, r, ids))
                    .map(|r| {
                        columns
                            .iter()
                            .map(|c| r.get(&c.column).cloned().flatten())
                            .collect()
                    })
                    .collect();
                rows.sort();
                TableRows {
                    table: t.name.clone(),
                    columns,
                    rows,
                }
            })
            .collect();
        *state.reads.entry(key.to_string()).or_default() += 1;
        Ok(DatasetRows { tables })
    }
}

/// Secrets from a map.
#[derive(Debug, Default)]
pub struct MapSecrets(Mutex<BTreeMap<String, String>>);

impl MapSecrets {
    /// Sets `name` to `value`.
    pub fn set(&self, name: &str, value: &str) {
        lock(&self.0).insert(name.to_string(), value.to_string());
    }

    /// Unsets `name`.
    pub fn unset(&self, name: &str) {
        lock(&self.0).remove(name);
    }
}

impl Secrets for MapSecrets {
    fn get(&self, name: &str) -> Option<SecretString> {
        lock(&self.0)
            .get(name)
            .map(|v| SecretString::from(v.as_str()))
    }
}

/// Every fake, with handles to script and inspect them.
#[derive(Debug, Clone)]
pub struct Fakes {
    /// The mailer.
    pub mailer: Arc<RecordingMailer>,
    /// The webhook transport.
    pub webhooks: Arc<ScriptedWebhooks>,
    /// SQLite-kind datasets.
    pub sqlite: Arc<MemoryDatasets>,
    /// PostgreSQL-kind datasets.
    pub postgres: Arc<MemoryDatasets>,
    /// Secrets.
    pub secrets: Arc<MapSecrets>,
}

impl Default for Fakes {
    fn default() -> Self {
        Fakes::new()
    }
}

impl Fakes {
    /// Fresh fakes: mail accepted, webhooks answered 200 `{}`, no databases, no secrets.
    #[must_use]
    pub fn new() -> Fakes {
        Fakes {
            mailer: Arc::new(RecordingMailer::default()),
            webhooks: Arc::new(ScriptedWebhooks::default()),
            sqlite: Arc::new(MemoryDatasets::new(ConnectorKind::SqliteDataset)),
            postgres: Arc::new(MemoryDatasets::new(ConnectorKind::PostgresDataset)),
            secrets: Arc::new(MapSecrets::default()),
        }
    }

    /// The effects backed by these fakes.
    #[must_use]
    pub fn effects(&self) -> Effects {
        Effects {
            mailer: self.mailer.clone(),
            webhooks: self.webhooks.clone(),
            datasets: vec![self.sqlite.clone(), self.postgres.clone()],
            secrets: self.secrets.clone(),
        }
    }
}
