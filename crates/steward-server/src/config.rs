//! Server settings: the `[server]` table of the configuration file, `STEWARD_*` environment
//! variables and flags are merged (later wins) into [`ServerSettings`], then validated once
//! into a [`ServerConfig`].

use std::net::SocketAddr;
use std::time::Duration;

use serde::Deserialize;

use crate::proxy::TrustedProxies;

/// Settings as given (every field optional).
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ServerSettings {
    /// Address to listen on (`127.0.0.1:8080`). Env `STEWARD_LISTEN`.
    pub listen: Option<String>,
    /// Largest request body in bytes, except batches (1 MiB). Env `STEWARD_BODY_LIMIT`.
    pub body_limit: Option<usize>,
    /// Largest batch request body in bytes (64 MiB). Env `STEWARD_BATCH_BODY_LIMIT`.
    pub batch_body_limit: Option<usize>,
    /// Most requests in one batch (100 000). Env `STEWARD_BATCH_MAX`.
    pub batch_max: Option<usize>,
    /// Longest time to answer a request, in seconds (30). Env `STEWARD_REQUEST_TIMEOUT`.
    pub request_timeout_secs: Option<u64>,
    /// Requests per second for keys without their own limit (none). Env `STEWARD_DEFAULT_RATE`.
    pub default_rate_per_sec: Option<u32>,
    /// How long an authenticated key is cached, in seconds (5). Env `STEWARD_KEY_CACHE_SECS`.
    pub key_cache_secs: Option<u64>,
    /// Log format: `json` (default) or `text`. Env `STEWARD_LOG_FORMAT`.
    pub log_format: Option<String>,
    /// Reverse proxies whose `X-Forwarded-For` names the client (addresses or CIDR ranges,
    /// `["10.0.0.0/8"]`; none by default, so the header is ignored). Env
    /// `STEWARD_TRUSTED_PROXIES` (comma-separated).
    pub trusted_proxies: Option<Vec<String>>,
}

/// A setting is not acceptable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("server setting `{name}`: {message}")]
pub struct ConfigError {
    /// The setting.
    pub name: &'static str,
    /// What is wrong.
    pub message: String,
}

fn err(name: &'static str, message: impl Into<String>) -> ConfigError {
    ConfigError {
        name,
        message: message.into(),
    }
}

impl ServerSettings {
    /// Read the `STEWARD_*` variables through `get` (the environment, in production).
    ///
    /// # Errors
    /// A variable that is not a number where one is expected.
    pub fn from_env(get: impl Fn(&str) -> Option<String>) -> Result<ServerSettings, ConfigError> {
        fn num<T: std::str::FromStr>(
            get: &impl Fn(&str) -> Option<String>,
            var: &'static str,
        ) -> Result<Option<T>, ConfigError> {
            match get(var) {
                None => Ok(None),
                Some(v) => v
                    .trim()
                    .parse::<T>()
                    .map(Some)
                    .map_err(|_| err(var, format!("`{v}` is not a number"))),
            }
        }
        Ok(ServerSettings {
            listen: get("STEWARD_LISTEN"),
            body_limit: num(&get, "STEWARD_BODY_LIMIT")?,
            batch_body_limit: num(&get, "STEWARD_BATCH_BODY_LIMIT")?,
            batch_max: num(&get, "STEWARD_BATCH_MAX")?,
            request_timeout_secs: num(&get, "STEWARD_REQUEST_TIMEOUT")?,
            default_rate_per_sec: num(&get, "STEWARD_DEFAULT_RATE")?,
            key_cache_secs: num(&get, "STEWARD_KEY_CACHE_SECS")?,
            log_format: get("STEWARD_LOG_FORMAT"),
            trusted_proxies: match get("STEWARD_TRUSTED_PROXIES") {
                None => None,
                Some(v) => {
                    let list: Vec<String> = v
                        .split(',')
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(str::to_string)
                        .collect();
                    TrustedProxies::parse(&list)
                        .map_err(|e| err("STEWARD_TRUSTED_PROXIES", e.to_string()))?;
                    Some(list)
                }
            },
        })
    }

    /// `self` overridden by every field `over` sets.
    #[must_use]
    pub fn merge(self, over: ServerSettings) -> ServerSettings {
        ServerSettings {
            listen: over.listen.or(self.listen),
            body_limit: over.body_limit.or(self.body_limit),
            batch_body_limit: over.batch_body_limit.or(self.batch_body_limit),
            batch_max: over.batch_max.or(self.batch_max),
            request_timeout_secs: over.request_timeout_secs.or(self.request_timeout_secs),
            default_rate_per_sec: over.default_rate_per_sec.or(self.default_rate_per_sec),
            key_cache_secs: over.key_cache_secs.or(self.key_cache_secs),
            log_format: over.log_format.or(self.log_format),
            trusted_proxies: over.trusted_proxies.or(self.trusted_proxies),
        }
    }
}

/// How logs are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// One JSON object per line.
    Json,
    /// Human-readable text.
    Text,
}

/// Validated server configuration.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// Listen address.
    pub listen: SocketAddr,
    /// Largest body (bytes) except batches.
    pub body_limit: usize,
    /// Largest batch body (bytes).
    pub batch_body_limit: usize,
    /// Most requests per batch.
    pub batch_max: usize,
    /// Request timeout.
    pub request_timeout: Duration,
    /// Default per-key rate limit.
    pub default_rate_per_sec: Option<u32>,
    /// Key cache lifetime.
    pub key_cache: Duration,
    /// Log format.
    pub log_format: LogFormat,
    /// Proxies whose `X-Forwarded-For` is believed ([`crate::proxy`]).
    pub trusted_proxies: TrustedProxies,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            body_limit: 1 << 20,
            batch_body_limit: 64 << 20,
            batch_max: 100_000,
            request_timeout: Duration::from_secs(30),
            default_rate_per_sec: None,
            key_cache: steward_core::apikeys::KEY_CACHE_TTL,
            log_format: LogFormat::Json,
            trusted_proxies: TrustedProxies::default(),
        }
    }
}

impl ServerConfig {
    /// Validate settings (defaults for what is not set).
    ///
    /// # Errors
    /// The first setting that is out of range.
    pub fn from_settings(s: &ServerSettings) -> Result<ServerConfig, ConfigError> {
        let d = ServerConfig::default();
        let listen = match &s.listen {
            None => d.listen,
            Some(l) => l.parse::<SocketAddr>().map_err(|_| {
                err(
                    "listen",
                    format!("`{l}` is not an address such as 127.0.0.1:8080"),
                )
            })?,
        };
        let body_limit = s.body_limit.unwrap_or(d.body_limit);
        if !(1024..=(1 << 30)).contains(&body_limit) {
            return Err(err(
                "body_limit",
                "must be between 1024 and 1073741824 bytes",
            ));
        }
        let batch_body_limit = s.batch_body_limit.unwrap_or(d.batch_body_limit);
        if !(1024..=(1 << 32)).contains(&batch_body_limit) {
            return Err(err(
                "batch_body_limit",
                "must be between 1024 and 4294967296 bytes",
            ));
        }
        let batch_max = s.batch_max.unwrap_or(d.batch_max);
        if !(1..=10_000_000).contains(&batch_max) {
            return Err(err("batch_max", "must be between 1 and 10000000"));
        }
        let timeout = s.request_timeout_secs.unwrap_or(30);
        if !(1..=3600).contains(&timeout) {
            return Err(err("request_timeout_secs", "must be between 1 and 3600"));
        }
        if s.default_rate_per_sec == Some(0) {
            return Err(err("default_rate_per_sec", "must be at least 1"));
        }
        let key_cache = s.key_cache_secs.map_or(d.key_cache, Duration::from_secs);
        if key_cache > Duration::from_secs(300) {
            return Err(err("key_cache_secs", "must be at most 300"));
        }
        let log_format = match s.log_format.as_deref() {
            None | Some("json") => LogFormat::Json,
            Some("text") => LogFormat::Text,
            Some(other) => return Err(err("log_format", format!("`{other}` is not json or text"))),
        };
        let trusted_proxies = TrustedProxies::parse(s.trusted_proxies.as_deref().unwrap_or(&[]))
            .map_err(|e| err("trusted_proxies", e.to_string()))?;
        Ok(ServerConfig {
            listen,
            body_limit,
            batch_body_limit,
            batch_max,
            request_timeout: Duration::from_secs(timeout),
            default_rate_per_sec: s.default_rate_per_sec,
            key_cache,
            log_format,
            trusted_proxies,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn later_layers_win_and_values_are_checked() {
        let file = ServerSettings {
            listen: Some("127.0.0.1:9000".into()),
            batch_max: Some(10),
            ..ServerSettings::default()
        };
        let env =
            ServerSettings::from_env(|k| (k == "STEWARD_LISTEN").then(|| "0.0.0.0:7000".into()))
                .unwrap();
        let c = ServerConfig::from_settings(&file.merge(env)).unwrap();
        assert_eq!(c.listen.to_string(), "0.0.0.0:7000");
        assert_eq!(c.batch_max, 10);
        assert!(
            ServerSettings::from_env(|k| (k == "STEWARD_BATCH_MAX").then(|| "x".into())).is_err()
        );
        let bad = ServerSettings {
            listen: Some("nowhere".into()),
            ..ServerSettings::default()
        };
        assert_eq!(
            ServerConfig::from_settings(&bad).unwrap_err().name,
            "listen"
        );
    }

    #[test]
    fn trusted_proxies_come_from_the_file_or_the_environment_and_bad_ones_are_named() {
        let file: ServerSettings =
            toml::from_str("trusted_proxies = [\"10.0.0.0/8\", \"fd00::/8\"]").unwrap();
        let c = ServerConfig::from_settings(&file).unwrap();
        assert_eq!(c.trusted_proxies.ranges().len(), 2);
        assert!(c.trusted_proxies.is_trusted("10.2.3.4".parse().unwrap()));
        assert!(
            ServerConfig::from_settings(&ServerSettings::default())
                .unwrap()
                .trusted_proxies
                .ranges()
                .is_empty(),
            "none trusted by default"
        );
        let env = ServerSettings::from_env(|k| {
            (k == "STEWARD_TRUSTED_PROXIES").then(|| "192.168.0.0/16, 127.0.0.1".into())
        })
        .unwrap();
        let c = ServerConfig::from_settings(&file.clone().merge(env)).unwrap();
        assert!(c.trusted_proxies.is_trusted("127.0.0.1".parse().unwrap()));
        assert!(!c.trusted_proxies.is_trusted("10.2.3.4".parse().unwrap()));
        let e = ServerSettings::from_env(|k| {
            (k == "STEWARD_TRUSTED_PROXIES").then(|| "10.0.0.0/8,10.0.0.0/99".into())
        })
        .unwrap_err();
        assert_eq!(e.name, "STEWARD_TRUSTED_PROXIES");
        assert!(e.to_string().contains("10.0.0.0/99"), "{e}");
        let bad: ServerSettings = toml::from_str("trusted_proxies = [\"everyone\"]").unwrap();
        let e = ServerConfig::from_settings(&bad).unwrap_err();
        assert_eq!(e.name, "trusted_proxies");
        assert!(e.to_string().contains("`trusted_proxies`"), "{e}");
        // Not a list: refused by the file's schema, naming the key.
        let e = toml::from_str::<ServerSettings>("trusted_proxies = \"10.0.0.0/8\"").unwrap_err();
        assert!(e.to_string().contains("trusted_proxies"), "{e}");
    }
}
