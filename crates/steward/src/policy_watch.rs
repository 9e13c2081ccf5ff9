//! Following the policy file while serving: a rewritten file (a new version published, a
//! ConfigMap updated on every replica) is compiled and put in force without a restart.
//!
//! The file is read every `every` (default 2 s, `--policy-poll`); when its text differs from
//! the text in force it is compiled off the async threads. A policy that compiles replaces the
//! engine (decisions, the facts cache and `/v1/policy/tests` follow at once); one that does
//! not is refused with its diagnostics (file:line:column) in the log, and the policy in force
//! stays — a bad edit never takes the service down or leaves it without a policy. Every
//! replica reading the same file converges within one poll interval.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use steward_server::{AppState, PolicySource};
use tokio::sync::watch;

/// Follows `path` until `stop` turns true. `in_force` is the text the service started with.
pub async fn follow(
    state: AppState,
    path: PathBuf,
    in_force: String,
    every: Duration,
    mut stop: watch::Receiver<bool>,
) {
    let name = path.display().to_string();
    // The last text seen, compiled or refused: a refused edit is reported once, not every poll.
    let mut seen = in_force;
    loop {
        tokio::select! {
            () = tokio::time::sleep(every) => {}
            _ = stop.changed() => return,
        }
        if *stop.borrow() {
            return;
        }
        let text = match tokio::fs::read_to_string(&path).await {
            Ok(t) => t,
            Err(e) => {
                // Mid-rewrite or briefly absent (an atomic rename, a ConfigMap swap): the next
                // poll reads it again; the policy in force stays.
                tracing::debug!(file = %name, error = %e, "policy file unreadable; keeping the policy in force");
                continue;
            }
        };
        if text == seen {
            continue;
        }
        seen = text.clone();
        let (file, src) = (name.clone(), text.clone());
        let compiled = tokio::task::spawn_blocking(move || {
            steward_policy::load(&file, &src).map(|l| l.engine)
        })
        .await;
        match compiled {
            Ok(Ok(engine)) => {
                let before = state.steward().engine().meta.version.clone();
                let after = engine.meta.version.clone();
                state.install_policy(
                    PolicySource {
                        name: name.clone(),
                        text,
                    },
                    Arc::new(engine),
                );
                tracing::info!(file = %name, from = %before, to = %after, "policy reloaded");
            }
            Ok(Err(report)) => {
                tracing::error!(
                    file = %name,
                    errors = report.errors(),
                    diagnostics = %report,
                    "policy file rewritten but does not compile; the policy in force stays"
                );
            }
            Err(e) => tracing::error!(error = %e, "policy compilation did not finish"),
        }
    }
}
