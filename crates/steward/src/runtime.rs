//! Configuration and start-up shared by every command that touches stored
//! data (`serve`, `audit`, `keys`, `import`, `export`, `dsr`).
//!
//! Layers, later wins: built-in defaults → a TOML file (`--config`, or
//! `steward.toml` in the data directory if present) → `STEWARD_*`
//! environment variables → command-line flags. The result is validated once
//! and passed explicitly; secrets are redacted in `Debug`.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use clap::Args;
use serde::Deserialize;
use steward_core::{AuditSettings, Parts, Steward, SystemClock};
use steward_store::Store;
use steward_vault::{KeyRing, KeySources, SecretString};

use crate::error::{CliError, read};

/// Flags shared by the stateful commands.
#[derive(Debug, Args, Clone, Default)]
pub struct StoreArgs {
    /// Configuration file (TOML). Default: `<data-dir>/steward.toml` if it exists.
    #[arg(long, env = "STEWARD_CONFIG", global = true)]
    pub config: Option<PathBuf>,
    /// Data directory (SQLite database, key ring). Default `./steward-data`.
    #[arg(long, env = "STEWARD_DATA_DIR", global = true)]
    pub data_dir: Option<PathBuf>,
    /// Store URL: `sqlite://PATH` (default: `<data-dir>/steward.db`) or `postgres://…`.
    #[arg(long, env = "STEWARD_STORE", global = true)]
    pub store: Option<String>,
    /// A read connection to a streaming standby of the PostgreSQL store (`postgres://…`):
    /// facts for decisions, reports and console reads are served from it while its replay
    /// lag is under a second; writes and reads that must see them stay on the primary.
    #[arg(long, env = "STEWARD_STORE_READ", global = true)]
    pub store_read: Option<String>,
    /// Policy file (default: the embedded shipped policy).
    #[arg(long, env = "STEWARD_POLICY", global = true)]
    pub policy: Option<PathBuf>,
}

/// The configuration file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    /// Data directory.
    pub data_dir: Option<PathBuf>,
    /// Store URL.
    pub store: Option<String>,
    /// Read connection (a standby of a PostgreSQL store).
    pub store_read: Option<String>,
    /// Policy file.
    pub policy: Option<PathBuf>,
    /// Key ring file (default `<data-dir>/keyring.json`).
    pub keyring: Option<PathBuf>,
    /// Controller entity recorded on rows.
    pub controller: Option<String>,
    /// Everything under `[server]` (read by `steward serve`).
    #[serde(default)]
    pub server: toml::Table,
    /// Everything under `[requests]` (read by the request workflow).
    #[serde(default)]
    pub requests: toml::Table,
    /// `[audit]`: checkpoints and the witness file.
    #[serde(default)]
    pub audit: AuditFileConfig,
}

/// The `[audit]` table of the configuration file.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditFileConfig {
    /// Sign a checkpoint at least this often while the log grows, in seconds (default 60; 0:
    /// only by count and at stop). Env `STEWARD_AUDIT_CHECKPOINT_SECS`.
    pub checkpoint_secs: Option<u64>,
    /// Sign a checkpoint after this many entries (default 10 000).
    pub checkpoint_every: Option<u64>,
    /// A witness file: every signed head is appended to it (JSON lines), for shipping off
    /// the machine. Env `STEWARD_AUDIT_WITNESS`.
    pub witness: Option<PathBuf>,
    /// `audit verify` refuses a log with more entries than this and no signed checkpoint at
    /// all (default 10 000).
    pub max_unsigned: Option<u64>,
    /// Where the latest signed head is kept outside the database (default: `audit-head.json`
    /// beside the key ring; set it when the key ring's directory is read-only). Env
    /// `STEWARD_AUDIT_SIGNED_HEAD`.
    pub signed_head: Option<PathBuf>,
}

/// The resolved configuration.
#[derive(Clone)]
pub struct Config {
    /// Data directory.
    pub data_dir: PathBuf,
    /// Store URL.
    pub store: String,
    /// Read connection URL (a streaming standby of the PostgreSQL store), if any.
    pub store_read: Option<String>,
    /// Policy file (None: embedded).
    pub policy: Option<PathBuf>,
    /// Key sources.
    pub keys: KeySources,
    /// Controller entity key.
    pub controller: String,
    /// `[server]` table of the file (read by `steward serve`).
    pub server: toml::Table,
    /// `[requests]` table of the file (read by the request workflow).
    pub requests: toml::Table,
    /// Audit log settings (checkpoints, the signed head kept outside the database, witness).
    pub audit: AuditSettings,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // SECURITY: the store URL may carry a password; key sources are redacted by their own Debug.
        f.debug_struct("Config")
            .field("data_dir", &self.data_dir)
            .field("store", &redact_url(&self.store))
            .field("store_read", &self.store_read.as_deref().map(redact_url))
            .field("policy", &self.policy)
            .field("keys", &self.keys)
            .field("controller", &self.controller)
            .finish_non_exhaustive()
    }
}

/// `postgres://user:secret@host/db` → `postgres://user:***@host/db`.
#[must_use]
pub fn redact_url(url: &str) -> String {
    if let Some((scheme, rest)) = url.split_once("://")
        && let Some((creds, host)) = rest.split_once('@')
        && let Some((user, _)) = creds.split_once(':')
    {
        return format!("{scheme}://{user}:***@{host}");
    }
    url.to_string()
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

impl Config {
    /// Resolve the layers.
    ///
    /// # Errors
    /// A config file that does not parse, or inconsistent settings.
    pub fn load(args: &StoreArgs) -> Result<Config, CliError> {
        let default_dir = PathBuf::from("steward-data");
        let pre_dir = args.data_dir.clone().unwrap_or_else(|| default_dir.clone());
        let file_path = args.config.clone().or_else(|| {
            let p = pre_dir.join("steward.toml");
            p.exists().then_some(p)
        });
        let file: FileConfig = match &file_path {
            Some(p) => {
                let text = read(p)?;
                toml::from_str(&text).map_err(|e| {
                    let pos = e.span().map(|s| {
                        let before = &text[..s.start.min(text.len())];
                        (
                            before.matches('\n').count() + 1,
                            before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1,
                        )
                    });
                    match pos {
                        Some((l, c)) => {
                            CliError::Usage(format!("{}:{l}:{c}: {}", p.display(), e.message()))
                        }
                        None => CliError::Usage(format!("{}: {}", p.display(), e.message())),
                    }
                })?
            }
            None => FileConfig::default(),
        };
        let data_dir = args
            .data_dir
            .clone()
            .or(file.data_dir)
            .unwrap_or(default_dir);
        let store = args
            .store
            .clone()
            .or(file.store)
            .unwrap_or_else(|| format!("sqlite://{}", data_dir.join("steward.db").display()));
        let policy = args.policy.clone().or(file.policy);
        let keyring = env("STEWARD_KEYRING")
            .map(PathBuf::from)
            .or(file.keyring)
            .unwrap_or_else(|| data_dir.join("keyring.json"));
        let master_key = env("STEWARD_MASTER_KEY").map(SecretString::from);
        let master_key_file = env("STEWARD_MASTER_KEY_FILE").map(PathBuf::from);
        let secret = |n: &str| env(n).map(SecretString::from);
        let keys = KeySources {
            file: Some(keyring),
            // A SQLite data directory is one machine: create keys on first run. With PostgreSQL
            // several replicas share the data, so a missing key ring is a misconfiguration.
            create_if_missing: !store.starts_with("postgres"),
            master_key,
            master_key_file,
            previous_master_keys: env("STEWARD_PREVIOUS_MASTER_KEYS")
                .map(|v| {
                    v.split(',')
                        .map(|s| SecretString::from(s.trim().to_string()))
                        .collect()
                })
                .unwrap_or_default(),
            blind_index_key: secret("STEWARD_BLIND_INDEX_KEY"),
            ip_pseudonym_key: secret("STEWARD_IP_PSEUDONYM_KEY"),
            audit_signing_key: secret("STEWARD_AUDIT_SIGNING_KEY"),
        };
        let controller = file.controller.unwrap_or_else(|| "stamps".to_string());
        let audit = audit_settings(&file.audit, keys.file.as_deref())?;
        if !(store.starts_with("sqlite://")
            || store.starts_with("postgres://")
            || store.starts_with("postgresql://"))
        {
            return Err(CliError::Usage(format!(
                "store `{}` is not supported: use `sqlite://PATH` or `postgres://USER@HOST/DB`",
                redact_url(&store)
            )));
        }
        let store_read = args.store_read.clone().or(file.store_read);
        if let Some(read) = &store_read {
            if !(store.starts_with("postgres://") || store.starts_with("postgresql://")) {
                return Err(CliError::Usage(
                    "a read connection (`--store-read`, `STEWARD_STORE_READ`, `store_read`) needs a PostgreSQL store: SQLite is one process".into(),
                ));
            }
            if !(read.starts_with("postgres://") || read.starts_with("postgresql://")) {
                return Err(CliError::Usage(format!(
                    "read connection `{}` is not supported: give a streaming standby as `postgres://USER@HOST/DB`",
                    redact_url(read)
                )));
            }
        }
        Ok(Config {
            data_dir,
            store,
            store_read,
            policy,
            keys,
            controller,
            server: file.server,
            requests: file.requests,
            audit,
        })
    }
}

/// The audit settings: defaults → `[audit]` → `STEWARD_AUDIT_*`. The latest signed head is
/// kept beside the key ring (`audit-head.json`): outside the database, where someone who can
/// only alter the database cannot reach it.
fn audit_settings(
    file: &AuditFileConfig,
    keyring: Option<&Path>,
) -> Result<AuditSettings, CliError> {
    let mut s = AuditSettings::default();
    let secs = match env("STEWARD_AUDIT_CHECKPOINT_SECS") {
        Some(v) => Some(v.parse::<u64>().map_err(|_| {
            CliError::Usage(format!(
                "STEWARD_AUDIT_CHECKPOINT_SECS `{v}` is not a number of seconds"
            ))
        })?),
        None => file.checkpoint_secs,
    };
    if let Some(secs) = secs {
        s.checkpoint_interval = (secs > 0).then(|| std::time::Duration::from_secs(secs));
    }
    if let Some(n) = file.checkpoint_every {
        s.checkpoint_every = n;
    }
    if let Some(n) = file.max_unsigned {
        s.max_unsigned = Some(n);
    }
    s.witness = env("STEWARD_AUDIT_WITNESS")
        .map(PathBuf::from)
        .or_else(|| file.witness.clone());
    s.signed_head = env("STEWARD_AUDIT_SIGNED_HEAD")
        .map(PathBuf::from)
        .or_else(|| file.signed_head.clone())
        .or_else(|| {
            keyring
                .and_then(Path::parent)
                .map(|dir| dir.join("audit-head.json"))
        });
    Ok(s)
}

/// Open the store named by the URL.
///
/// # Errors
/// When the database cannot be opened or is newer than this binary.
pub async fn open_store(url: &str) -> Result<Arc<dyn Store>, CliError> {
    if let Some(path) = url.strip_prefix("sqlite://") {
        let store = steward_store_sqlite::SqliteStore::open(
            Path::new(path),
            steward_store_sqlite::SqliteOptions::default(),
        )
        .map_err(|e| CliError::runtime(format!("cannot open the SQLite store at `{path}`"), e))?;
        return Ok(Arc::new(store));
    }
    open_postgres(url).await
}

async fn open_postgres(url: &str) -> Result<Arc<dyn Store>, CliError> {
    crate::pg::open(url).await
}

/// Everything a stateful command needs.
#[derive(Debug)]
pub struct Runtime {
    /// The resolved configuration.
    pub config: Config,
    /// The key ring.
    pub keys: KeyRing,
    /// The service.
    pub steward: Arc<Steward>,
}

/// Load the policy named by the config (or the embedded one).
///
/// # Errors
/// A policy that does not compile (its diagnostics are printed).
pub fn load_engine(config: &Config) -> Result<steward_policy::Engine, CliError> {
    crate::policy_cmd::load_policy(config.policy.as_deref())
}

/// Start the core on the current tokio runtime.
///
/// # Errors
/// Configuration, key ring, store or policy failures, each with what to do.
pub async fn start(args: &StoreArgs) -> Result<Runtime, CliError> {
    let config = Config::load(args)?;
    if config.store.starts_with("sqlite://") {
        std::fs::create_dir_all(&config.data_dir).map_err(|source| CliError::Io {
            action: "create",
            path: config.data_dir.clone(),
            source,
        })?;
    }
    let keys = KeyRing::load(&config.keys)
        .map_err(|e| CliError::runtime("cannot load the key ring", e))?;
    let engine = load_engine(&config)?;
    let store = match &config.store_read {
        Some(read) => crate::pg::open_with_standby(&config.store, read).await?,
        None => open_store(&config.store).await?,
    };
    let steward = Steward::start(Parts {
        store,
        engine: Arc::new(engine),
        vault: keys
            .vault()
            .map_err(|e| CliError::runtime("cannot load the key ring", e))?,
        blind: keys
            .blind_index()
            .map_err(|e| CliError::runtime("cannot load the key ring", e))?,
        signer: keys.checkpoint_signer().ok().map(Arc::new),
        verifier: keys
            .checkpoint_verifier()
            .map_err(|e| CliError::runtime("cannot load the key ring", e))?,
        clock: Arc::new(SystemClock),
        controller: config.controller.clone(),
        audit: config.audit.clone(),
    })
    .map_err(|e| CliError::core("cannot start", e))?;
    Ok(Runtime {
        config,
        keys,
        steward,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_redacted() {
        assert_eq!(
            redact_url("postgres://u:pw@h:5432/db"),
            "postgres://u:***@h:5432/db"
        );
        assert_eq!(redact_url("sqlite://./x.db"), "sqlite://./x.db");
    }
}
