//! The process environment as the source of `env:` connector secrets
//! ([`steward_requests::Secrets`]): a connector registered with `--env-ref NAME` reads
//! `$NAME` each time it is used; the value is never stored.

use steward_requests::Secrets;
use steward_vault::SecretString;

/// Reads secrets from the process environment (an empty variable counts as unset).
#[derive(Debug, Clone, Copy, Default)]
pub struct ProcessEnv;

impl Secrets for ProcessEnv {
    fn get(&self, name: &str) -> Option<SecretString> {
        std::env::var(name)
            .ok()
            .filter(|v| !v.is_empty())
            .map(SecretString::from)
    }
}
