//! Following the policy file while serving: a rewritten file (a new version published, a
//! ConfigMap updated on every replica) is compiled and put in force without a restart.
//!
//! The file is read every `every` (default 2 s, `--policy-poll`); when its text differs from
//! the text in force it is compiled off the async threads. A policy that compiles replaces the
//! engine (decisions, the facts cache and `/v1/policy/tests` follow at once); one that does
//! not is refused with its diagnostics (file:line:column) in the log, and the policy in force
//! stays — a bad edit never takes the service down or leaves it without a policy. Every
//! replica reading the same file converges within one poll interval.
//!
//! CHG-01: every text that compiles is recorded in the policy history (idempotently, by its
//! SHA-256), at start and on every reload. A text whose effective date is still ahead is
//! recorded as scheduled and not enforced before that date: the version in force stays, and
//! each poll checks whether the date has come (every replica runs the same check, so all of
//! them switch on the same day).
//!
//! CHG-03, CHG-04: when a version takes effect (at start or on its date), the change notices
//! of its material changes are queued to the people they concern, once per person.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use steward_core::Steward;
use steward_core::policy_versions::is_due;
use steward_policy::Engine;
use steward_server::{AppState, PolicySource};
use tokio::sync::watch;

use crate::error::CliError;

/// A compiled text waiting for its effective date.
#[derive(Debug)]
pub struct Pending {
    /// The text and its file name.
    pub source: PolicySource,
    /// Compiled.
    pub engine: Arc<Engine>,
}

async fn record(steward: &Steward, text: &str, engine: &Engine) {
    if let Err(e) = steward.record_policy_version(text, engine).await {
        tracing::error!(error = %e, version = %engine.meta.version, "policy version not recorded in the history");
    }
}

/// At start: records the text the service was given (its engine is the one in force) and,
/// when its effective date is still ahead, puts the newest recorded text that is due in force
/// instead and returns the given one as pending.
///
/// # Errors
/// A future-dated policy with no earlier recorded version to enforce until its date (nothing
/// may be enforced before its date, and the service will not run without a policy).
pub async fn at_start(
    steward: &Steward,
    source: PolicySource,
) -> Result<(PolicySource, Option<Pending>), CliError> {
    let engine = steward.engine();
    record(steward, &source.text, &engine).await;
    let now = steward.clock().now();
    if is_due(engine.meta.effective, now) {
        queue_notices(steward, &engine.meta.version).await;
        return Ok((source, None));
    }
    let earlier = steward
        .latest_due_policy(now)
        .await
        .map_err(|e| CliError::core("cannot read the policy history", e))?;
    let Some((v, in_force)) = earlier else {
        return Err(CliError::Usage(format!(
            "policy {} (version {}) takes effect on {} and no earlier version is recorded to \
             enforce until then; start once with the policy in force today, or wait for the date",
            source.name, engine.meta.version, engine.meta.effective
        )));
    };
    tracing::info!(
        scheduled = %engine.meta.version,
        effective = %engine.meta.effective,
        in_force = %v.version,
        "policy file is future-dated: scheduled; the recorded version due today stays in force"
    );
    steward.set_engine(Arc::new(in_force));
    let pending = Pending {
        source: PolicySource {
            name: source.name.clone(),
            text: source.text,
        },
        engine,
    };
    Ok((
        PolicySource {
            name: source.name,
            text: v.text,
        },
        Some(pending),
    ))
}

/// CHG-03, CHG-04: when a version takes effect, its change notices are queued to the people
/// it concerns (nothing for a version without material changes to uses of held data). Every
/// replica does it; the store keeps one notice per person and version.
pub async fn queue_notices(steward: &Steward, version: &str) {
    match steward
        .queue_policy_notices(&steward_core::Caller::System, version)
        .await
    {
        Ok(0) => {}
        Ok(n) => tracing::info!(version = %version, queued = n, "policy change notices queued"),
        Err(e) => {
            tracing::error!(error = %e, version = %version, "policy change notices not queued");
        }
    }
}

async fn install(state: &AppState, p: Pending) {
    let before = state.steward().engine().meta.version.clone();
    let after = p.engine.meta.version.clone();
    let file = p.source.name.clone();
    state.install_policy(p.source, p.engine);
    tracing::info!(file = %file, from = %before, to = %after, "policy reloaded");
    queue_notices(state.steward(), &after).await;
}

/// Follows `path` until `stop` turns true. `in_force` is the text the file had at start;
/// `pending` a future-dated text waiting for its date (from [`at_start`]).
pub async fn follow(
    state: AppState,
    path: PathBuf,
    in_force: String,
    mut pending: Option<Pending>,
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
        let now = state.steward().clock().now();
        if pending
            .as_ref()
            .is_some_and(|p| is_due(p.engine.meta.effective, now))
            && let Some(p) = pending.take()
        {
            install(&state, p).await;
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
                record(state.steward(), &text, &engine).await;
                let p = Pending {
                    source: PolicySource {
                        name: name.clone(),
                        text,
                    },
                    engine: Arc::new(engine),
                };
                if is_due(p.engine.meta.effective, state.steward().clock().now()) {
                    // A due text replaces whatever was scheduled before it.
                    pending = None;
                    install(&state, p).await;
                } else {
                    tracing::info!(
                        file = %name,
                        version = %p.engine.meta.version,
                        effective = %p.engine.meta.effective,
                        "policy file rewritten with a future effective date: scheduled; the policy in force stays until then"
                    );
                    pending = Some(p);
                }
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

#[cfg(test)]
mod tests {
    use super::*;
    use steward_core::{AuditSettings, ManualClock, Parts};

    fn newsletter(date: &str) -> String {
        let text = include_str!("../../../policies/examples/newsletter.toml");
        text.replacen(
            r#"version = "2024-05-01""#,
            &format!(r#"version = "{date}""#),
            1,
        )
        .replacen(
            r#"effective = "2024-05-01""#,
            &format!(r#"effective = "{date}""#),
            1,
        )
    }

    async fn wait_for(what: &str, mut done: impl AsyncFnMut() -> bool) {
        // Up to 10 s, in 20 ms steps.
        for _ in 0..500 {
            if done().await {
                return;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        panic!("{what} never happened");
    }

    /// A future-dated text waits for its day on the service's clock (injected here), then is
    /// installed by the next poll, as every replica's watcher does.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_scheduled_text_is_installed_when_its_date_arrives() {
        let dir = tempfile::tempdir().unwrap();
        let store =
            steward_store_sqlite::SqliteStore::open(dir.path().join("s.db"), Default::default())
                .unwrap();
        let ring = steward_vault::KeyRing::ephemeral().unwrap();
        let clock = Arc::new(ManualClock::at("2024-04-30T23:59:00Z".parse().unwrap()));
        let old = newsletter("2024-01-01");
        let path = dir.path().join("policy.toml");
        std::fs::write(&path, &old).unwrap();
        let engine = steward_policy::load("policy.toml", &old).unwrap().engine;
        let steward = Steward::start(Parts {
            store: Arc::new(store),
            engine: Arc::new(engine),
            vault: ring.vault().unwrap(),
            blind: ring.blind_index().unwrap(),
            signer: None,
            verifier: ring.checkpoint_verifier().unwrap(),
            clock: clock.clone(),
            controller: "test".into(),
            audit: AuditSettings::default(),
        })
        .unwrap();
        let source = PolicySource {
            name: "policy.toml".into(),
            text: old.clone(),
        };
        let (source, pending) = at_start(&steward, source).await.unwrap();
        assert!(pending.is_none());
        let state = AppState::new(
            steward.clone(),
            steward_server::ServerConfig::default(),
            source,
        );
        let (stop, stopped) = watch::channel(false);
        let task = tokio::spawn(follow(
            state.clone(),
            path.clone(),
            old,
            None,
            Duration::from_millis(20),
            stopped,
        ));

        // Effective 2024-05-01, one minute before midnight: recorded, not enforced.
        std::fs::write(&path, newsletter("2024-05-01")).unwrap();
        let st = steward.clone();
        wait_for("recording the scheduled text", async || {
            st.policy_versions().await.unwrap().len() == 2
        })
        .await;
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert_eq!(steward.engine().meta.version, "2024-01-01");

        // Its day arrives.
        clock.advance(jiff::SignedDuration::from_secs(120));
        let st = steward.clone();
        wait_for("installing the due text", async || {
            st.engine().meta.version == "2024-05-01"
        })
        .await;
        assert!(state.steward().policy_versions().await.unwrap().len() == 2);

        stop.send(true).unwrap();
        task.await.unwrap();
    }
}
