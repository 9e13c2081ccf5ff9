//! Reads from a streaming standby, with a measured bound on how stale they may be.
//!
//! [`PgStore::with_standby`](crate::PgStore::with_standby) attaches a pool to a hot standby
//! (PostgreSQL streaming replication). Only the store's *read view*
//! ([`Store::read_view`](steward_store::Store::read_view)) reads there, and only these reads:
//! a subject's record, identities, memberships and agreements, choice ledgers, its facts read
//! together (`subject_facts`, `subject_facts_many`), disclosures,
//! audit queries — what a decision's facts, reports and console pages read. Every write, and
//! every read through the store itself, goes to the primary.
//!
//! **The bound.** A monitor task samples the primary's WAL position (`pg_current_wal_lsn()`)
//! and then the standby's replay position (`pg_last_wal_replay_lsn()`) every
//! [`SAMPLE_EVERY`]. When the standby has replayed a sample taken at instant `t`, it holds
//! every transaction committed before `t`. A read view uses the standby only while
//! `now - t <= max_lag` for the newest such `t`; otherwise (the standby lags, the monitor
//! cannot reach either server, the standby stopped) reads go to the primary. So a read served
//! by the standby misses only writes committed within the last `max_lag`, whatever happens to
//! replication. A caller that must read its own write (the facts cache after a choice) reads
//! the primary for `max_lag` after it (see `steward-core`'s facts cache).

use std::collections::VecDeque;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod, Runtime};
use steward_store::{StoreError, ValueError};
use tokio_postgres::NoTls;

use crate::PgOptions;
use crate::schema::{self, SCHEMA_VERSION};
use crate::sql::{pg, pool as pool_error};

/// How often the monitor compares the primary's and the standby's WAL positions.
pub const SAMPLE_EVERY: Duration = Duration::from_millis(100);

/// What the monitor knows: the instant (ms after `base`) before which every committed
/// transaction is on the standby; `u64::MAX` when nothing is known yet.
#[derive(Debug)]
struct Lag {
    base: Instant,
    caught_up_to_ms: AtomicU64,
    max_lag: Duration,
}

impl Lag {
    fn caught_up(&self) -> bool {
        let at = self.caught_up_to_ms.load(Ordering::Acquire);
        if at == u64::MAX {
            return false;
        }
        let now = u64::try_from(self.base.elapsed().as_millis()).unwrap_or(u64::MAX);
        now.saturating_sub(at) <= u64::try_from(self.max_lag.as_millis()).unwrap_or(u64::MAX)
    }

    fn record(&self, t: Instant) {
        let ms = u64::try_from(t.saturating_duration_since(self.base).as_millis())
            .unwrap_or(u64::MAX - 1);
        // Monotonic: a late answer never moves the known point backwards.
        self.caught_up_to_ms
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |old| {
                (old == u64::MAX || ms > old).then_some(ms)
            })
            .ok();
    }
}

/// The standby's pool and its lag monitor.
#[derive(Debug, Clone)]
pub(crate) struct Standby {
    pool: Pool,
    target: String,
    lag: Arc<Lag>,
    _monitor: Arc<Monitor>,
}

/// Stops the monitor task when the last handle goes.
#[derive(Debug)]
struct Monitor(tokio::task::JoinHandle<()>);

impl Drop for Monitor {
    fn drop(&mut self) {
        self.0.abort();
    }
}

impl Standby {
    /// Connects to the standby at `url`, checks it is one (in recovery) with this binary's
    /// schema, and starts the lag monitor against `primary`.
    pub(crate) async fn connect(
        url: &str,
        options: &PgOptions,
        primary: Pool,
        max_lag: Duration,
    ) -> Result<Standby, StoreError> {
        let mut cfg: tokio_postgres::Config = url.parse().map_err(|_| {
            ValueError::new(
                "postgres read url",
                "must be postgres://user[:password]@host[:port]/dbname or key=value pairs",
            )
        })?;
        if cfg.get_application_name().is_none() {
            cfg.application_name(format!("{}-read", options.application_name));
        }
        if cfg.get_connect_timeout().is_none() {
            cfg.connect_timeout(options.connect_timeout);
        }
        let target = crate::store::describe(&cfg);
        let manager = Manager::from_config(
            cfg,
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(options.pool_size.max(1))
            .runtime(Runtime::Tokio1)
            .wait_timeout(Some(options.wait_timeout))
            .create_timeout(Some(options.connect_timeout))
            .build()
            .map_err(StoreError::backend)?;
        {
            let c = pool.get().await.map_err(pool_error)?;
            let row = c
                .query_one("SELECT pg_is_in_recovery()", &[])
                .await
                .map_err(pg)?;
            let in_recovery: bool = row.get(0);
            if !in_recovery {
                return Err(ValueError::new(
                    "postgres read url",
                    "is not a standby (pg_is_in_recovery() is false): give the primary as the store and a streaming standby as the read connection",
                )
                .into());
            }
            // A standby replays the primary's migrations a moment after they commit (a replica
            // starting right after another migrated the primary): wait for it, up to the
            // connect timeout; a version above this binary's, or one that never arrives, is
            // refused.
            let mut version = schema::current_version(&c).await?;
            let step = Duration::from_millis(50);
            let mut waited = Duration::ZERO;
            while version < SCHEMA_VERSION && waited < options.connect_timeout.max(step) {
                tokio::time::sleep(step).await;
                waited += step;
                version = schema::current_version(&c).await?;
            }
            if version != SCHEMA_VERSION {
                return Err(ValueError::new(
                    "postgres read url",
                    "the standby's schema version is not this binary's: is it a standby of this store?",
                )
                .into());
            }
        }
        #[expect(
            clippy::disallowed_methods,
            reason = "replication lag is monotonic time between two servers, not the service's clock"
        )]
        let base = Instant::now();
        let lag = Arc::new(Lag {
            base,
            caught_up_to_ms: AtomicU64::new(u64::MAX),
            max_lag,
        });
        let task = tokio::spawn(monitor(primary, pool.clone(), Arc::clone(&lag)));
        let s = Standby {
            pool,
            target,
            lag,
            _monitor: Arc::new(Monitor(task)),
        };
        Ok(s)
    }

    /// How stale a read it serves may be.
    pub(crate) fn max_lag(&self) -> Duration {
        self.lag.max_lag
    }

    pub(crate) fn target(&self) -> &str {
        &self.target
    }

    /// Whether the standby is known to hold every write committed more than `max_lag` ago.
    pub(crate) fn caught_up(&self) -> bool {
        self.lag.caught_up()
    }

    pub(crate) async fn client(&self) -> Result<deadpool_postgres::Client, StoreError> {
        self.pool.get().await.map_err(pool_error)
    }
}

/// The WAL position of `sql` (one `pg_lsn`), in bytes.
async fn lsn(pool: &Pool, sql: &str) -> Option<i64> {
    let c = pool.get().await.ok()?;
    let row = c.query_one(sql, &[]).await.ok()?;
    row.try_get::<_, Option<i64>>(0).ok().flatten()
}

async fn monitor(primary: Pool, standby: Pool, lag: Arc<Lag>) {
    // Samples of the primary's position not yet known to be replayed, oldest first.
    let mut samples: VecDeque<(Instant, i64)> = VecDeque::new();
    loop {
        #[expect(
            clippy::disallowed_methods,
            reason = "replication lag is monotonic time between two servers, not the service's clock"
        )]
        let t = Instant::now();
        if let Some(p) = lsn(
            &primary,
            "SELECT (pg_current_wal_lsn() - '0/0'::pg_lsn)::bigint",
        )
        .await
        {
            samples.push_back((t, p));
        }
        if let Some(replayed) = lsn(
            &standby,
            "SELECT (pg_last_wal_replay_lsn() - '0/0'::pg_lsn)::bigint",
        )
        .await
        {
            let mut newest = None;
            while let Some(&(at, p)) = samples.front() {
                if p > replayed {
                    break;
                }
                newest = Some(at);
                samples.pop_front();
            }
            if let Some(at) = newest {
                lag.record(at);
            }
        }
        // Bounded: a standby that never catches up keeps at most a minute of samples (its
        // reads have long gone to the primary by then).
        while samples.len() > 600 {
            samples.pop_front();
        }
        tokio::time::sleep(SAMPLE_EVERY.saturating_sub(t.elapsed())).await;
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::disallowed_methods, reason = "tests of monotonic time")]
    use super::*;

    #[test]
    fn lag_is_unknown_until_recorded_then_expires_after_max_lag() {
        let lag = Lag {
            base: Instant::now(),
            caught_up_to_ms: AtomicU64::new(u64::MAX),
            max_lag: Duration::from_millis(50),
        };
        assert!(!lag.caught_up(), "nothing measured yet: the primary");
        lag.record(Instant::now());
        assert!(lag.caught_up());
        std::thread::sleep(Duration::from_millis(80));
        assert!(!lag.caught_up(), "no newer measurement within max_lag");
        let old = lag.base;
        lag.record(Instant::now());
        lag.record(old);
        assert!(
            lag.caught_up(),
            "an older sample never moves the point back"
        );
    }
}
