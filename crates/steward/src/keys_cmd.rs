//! `steward keys …`: show the key ring, rotate the key-encryption key and
//! re-wrap every data key under it (no data is re-encrypted), retire old KEKs,
//! rotate the audit signing key.

use std::process::ExitCode;

use clap::Subcommand;

use crate::error::CliError;
use crate::runtime::{StoreArgs, start};

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
                    .map_err(|e| CliError::Input(format!("cannot rotate: {e}")))?;
                println!("new current KEK: {}", new.as_str());
            }
            let started = std::time::Instant::now();
            let report = rt
                .steward
                .rewrap_keys(|n| {
                    if n % 10_000 == 0 {
                        eprintln!("re-wrapped {n} data keys…");
                    }
                })
                .await
                .map_err(|e| CliError::Input(e.to_string()))?;
            println!(
                "re-wrapped {} data keys in {:.2} s",
                report.rewrapped,
                started.elapsed().as_secs_f64()
            );
            if retire {
                let current = rt.keys.status().current_kek;
                for k in before.iter().filter(|k| Some(*k) != current.as_ref()) {
                    match rt.keys.retire_kek(k) {
                        Ok(()) => println!("retired KEK {}", k.as_str()),
                        Err(e) => eprintln!("could not retire KEK {}: {e}", k.as_str()),
                    }
                }
            }
            rt.steward.shutdown().await;
            Ok(ExitCode::SUCCESS)
        }
        KeysCommand::RotateSigning { store } => {
            let rt = start(&store).await?;
            let id = rt
                .keys
                .rotate_signing_key()
                .map_err(|e| CliError::Input(format!("cannot rotate: {e}")))?;
            println!("new audit signing key: {}", id.as_str());
            Ok(ExitCode::SUCCESS)
        }
    }
}
