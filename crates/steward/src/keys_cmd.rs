//! `steward keys …`: show the key ring, rotate the key-encryption key and
//! re-wrap every data key under it (no data is re-encrypted), retire old KEKs,
//! rotate the audit signing key; mint, list and revoke API keys.

use std::process::ExitCode;

use clap::Subcommand;

use crate::error::CliError;
use crate::runtime::{StoreArgs, start};
use steward_core::verify::KeyChange;

/// Key subcommands.
#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// Show which keys are configured (ids only, never key material).
    Status {
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Make a new KEK current and re-wrap every data key under it.
    ///
    /// With `--retire`, old KEKs are retired once no data key uses them, so a backup
    /// taken before an erasure can no longer be read (DM-02).
    Rotate {
        #[command(flatten)]
        store: StoreArgs,
        /// Retire the previous KEKs after re-wrapping.
        #[arg(long)]
        retire: bool,
        /// Only re-wrap data keys still under old KEKs (resume an interrupted rotation).
        #[arg(long)]
        rewrap_only: bool,
    },
    /// Start signing audit checkpoints with a new Ed25519 key (old ones still verify).
    RotateSigning {
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Mint an API key; its secret is printed once and never stored.
    Create {
        #[command(flatten)]
        store: StoreArgs,
        /// Name, `[a-z0-9_:.-]{1,64}` (e.g. `svc:checkout`); shown in the audit log.
        #[arg(long)]
        name: String,
        /// Scopes (repeat or comma-separate): decide, write, read_pii, choices, dsr, events
        /// (usage data in), aggregates (k-anonymous aggregates out), security (the log-in
        /// security log), admin.
        #[arg(
            long = "scope",
            required = true,
            value_delimiter = ',',
            value_parser = clap::builder::PossibleValuesParser::new(steward_core::apikeys::SCOPES)
        )]
        scopes: Vec<String>,
        /// Limit the key to one account's data (account administrators).
        #[arg(long)]
        account: Option<String>,
        /// Requests per second allowed to this key.
        #[arg(long)]
        rate: Option<u32>,
    },
    /// List API keys (never secrets).
    List {
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Revoke an API key (effective at once here, within seconds on running replicas).
    Revoke {
        #[command(flatten)]
        store: StoreArgs,
        /// The key id (from `steward keys list`).
        id: String,
    },
}

/// Run a keys subcommand.
pub async fn run(cmd: KeysCommand) -> Result<ExitCode, CliError> {
    match cmd {
        KeysCommand::Status { store } => {
            let rt = start(&store).await?;
            let s = rt.keys.status();
            println!("data directory: {}", rt.config.data_dir.display());
            println!(
                "key ring: {}",
                s.file
                    .as_ref()
                    .map_or_else(|| "—".to_string(), |p| p.display().to_string())
            );
            println!("KEK source: {:?}", s.kek_source);
            println!(
                "current KEK: {}",
                s.current_kek.as_ref().map_or("—", |k| k.as_str())
            );
            println!(
                "KEKs held: {}",
                s.kek_ids
                    .iter()
                    .map(|k| k.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            println!(
                "blind-index key: {}",
                if s.blind_index {
                    "configured"
                } else {
                    "missing"
                }
            );
            println!(
                "IP pseudonym key: {}",
                if s.ip_pseudonym {
                    "configured"
                } else {
                    "missing"
                }
            );
            println!(
                "audit signing key: {}",
                s.current_signing_key.as_ref().map_or("—", |k| k.as_str())
            );
            Ok(ExitCode::SUCCESS)
        }
        KeysCommand::Rotate {
            store,
            retire,
            rewrap_only,
        } => {
            let rt = start(&store).await?;
            let before: Vec<_> = rt.keys.status().kek_ids;
            if !rewrap_only {
                let new = rt
                    .keys
                    .rotate_kek()
                    .map_err(|e| CliError::runtime("cannot rotate", e))?;
                println!("new current KEK: {}", new.as_str());
                rt.steward
                    .record_key_change(&steward_core::Caller::System, KeyChange::KekRotated)
                    .await
                    .map_err(|e| CliError::core("cannot audit the key change", e))?;
            }
            #[expect(
                clippy::disallowed_methods,
                reason = "the duration printed for the operator is monotonic time"
            )]
            let started = std::time::Instant::now();
            let report = rt
                .steward
                .rewrap_keys(|n| {
                    if n % 10_000 == 0 {
                        eprintln!("re-wrapped {n} data keys…");
                    }
                })
                .await
                .map_err(|e| CliError::core("", e))?;
            println!(
                "re-wrapped {} data keys in {:.2} s",
                report.rewrapped,
                started.elapsed().as_secs_f64()
            );
            if retire {
                let current = rt.keys.status().current_kek;
                for k in before.iter().filter(|k| Some(*k) != current.as_ref()) {
                    match rt.keys.retire_kek(k) {
                        Ok(()) => {
                            println!("retired KEK {}", k.as_str());
                            rt.steward
                                .record_key_change(
                                    &steward_core::Caller::System,
                                    KeyChange::KekRetired,
                                )
                                .await
                                .map_err(|e| CliError::core("cannot audit the key change", e))?;
                        }
                        Err(e) => eprintln!("could not retire KEK {}: {e}", k.as_str()),
                    }
                }
            }
            rt.steward.shutdown().await;
            Ok(ExitCode::SUCCESS)
        }
        KeysCommand::Create {
            store,
            name,
            scopes,
            account,
            rate,
        } => {
            let rt = start(&store).await?;
            let account = account
                .map(|a| {
                    a.parse::<steward_store::ids::AccountId>()
                        .map_err(|_| CliError::Usage(format!("`{a}` is not an account id")))
                })
                .transpose()?;
            let keys = steward_core::apikeys::ApiKeys::new(rt.steward.clone());
            let minted = keys
                .create(
                    &steward_core::Caller::System,
                    steward_core::apikeys::KeyInput {
                        name,
                        scopes,
                        account,
                        rate_per_sec: rate,
                    },
                )
                .await
                .map_err(|e| CliError::core("", e))?;
            rt.steward.shutdown().await;
            println!("id: {}", minted.record.id);
            println!(
                "scopes: {}",
                minted
                    .record
                    .scopes
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(",")
            );
            // SECURITY: the secret is shown once, here, and never stored or logged.
            println!("secret (shown once): {}", minted.secret.expose());
            Ok(ExitCode::SUCCESS)
        }
        KeysCommand::List { store } => {
            let rt = start(&store).await?;
            let keys = steward_core::apikeys::ApiKeys::new(rt.steward.clone());
            let list = keys.list().await.map_err(|e| CliError::core("", e))?;
            println!(
                "{:<36}  {:<24}  {:<28}  {:<8}  created",
                "id", "name", "scopes", "state"
            );
            for k in list {
                println!(
                    "{:<36}  {:<24}  {:<28}  {:<8}  {}{}",
                    k.id.to_string(),
                    k.name.as_str(),
                    k.scopes
                        .iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join(","),
                    if k.is_active() { "active" } else { "revoked" },
                    k.created_at,
                    k.account
                        .map(|a| format!("  account {a}"))
                        .unwrap_or_default()
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        KeysCommand::Revoke { store, id } => {
            let rt = start(&store).await?;
            let id: steward_store::ids::ApiKeyId = id
                .parse()
                .map_err(|_| CliError::Usage(format!("`{id}` is not a key id")))?;
            let keys = steward_core::apikeys::ApiKeys::new(rt.steward.clone());
            let r = keys
                .revoke(&steward_core::Caller::System, id)
                .await
                .map_err(|e| CliError::core("", e))?;
            rt.steward.shutdown().await;
            println!(
                "revoked {} ({}) at {}",
                r.id,
                r.name.as_str(),
                r.revoked_at.map(|t| t.to_string()).unwrap_or_default()
            );
            Ok(ExitCode::SUCCESS)
        }
        KeysCommand::RotateSigning { store } => {
            let rt = start(&store).await?;
            let id = rt
                .keys
                .rotate_signing_key()
                .map_err(|e| CliError::runtime("cannot rotate", e))?;
            println!("new audit signing key: {}", id.as_str());
            rt.steward
                .record_key_change(&steward_core::Caller::System, KeyChange::SigningKeyRotated)
                .await
                .map_err(|e| CliError::core("cannot audit the key change", e))?;
            rt.steward.shutdown().await;
            Ok(ExitCode::SUCCESS)
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::{CommandFactory, Parser};

    use super::KeysCommand;

    #[derive(Debug, Parser)]
    struct Cli {
        #[command(subcommand)]
        keys: KeysCommand,
    }

    #[test]
    fn create_help_lists_every_scope() {
        let mut cmd = Cli::command();
        let create = cmd.find_subcommand_mut("create").unwrap();
        let help = create.render_long_help().to_string();
        for scope in steward_core::apikeys::SCOPES {
            assert!(help.contains(scope), "`{scope}` missing from:\n{help}");
        }
        let short = create.render_help().to_string();
        for scope in ["events", "aggregates", "security"] {
            assert!(short.contains(scope), "`{scope}` missing from:\n{short}");
        }
    }

    #[test]
    fn create_refuses_an_unknown_scope_and_accepts_new_ones() {
        let ok = Cli::try_parse_from([
            "t",
            "create",
            "--name",
            "svc:ingest",
            "--scope",
            "events,aggregates",
            "--scope",
            "security",
        ]);
        match ok.unwrap().keys {
            KeysCommand::Create { scopes, .. } => {
                assert_eq!(scopes, ["events", "aggregates", "security"]);
            }
            other => panic!("parsed as {other:?}"),
        }
        assert!(
            Cli::try_parse_from(["t", "create", "--name", "x", "--scope", "everything"]).is_err()
        );
    }
}
