//! Throttles, one implementation for all of them: a bounded table of per-caller state read at
//! the time of the injected clock (`Steward::clock`, so tests move time by hand).
//!
//! - [`TokenBuckets`]: a token bucket per caller, refilled continuously. The API keys' rate
//!   limit (a key's own `rate_per_sec` wins over the server default; capacity one second of
//!   traffic) and the public request routes' limit per client address (a burst of
//!   [`PUBLIC_BURST`], then [`PUBLIC_PER_MINUTE`] a minute) are two instances.
//!
//! The privacy center's wrong sign-in codes ([`FREE_ATTEMPTS`] free, then a doubling wait)
//! are counted in the store instead (`web::center::Throttle`), so they hold on every replica.
//!
//! State is per process and bounded: past [`TABLE_CAP`] callers, those whose state has
//! lapsed are forgotten (and all of them if that is not enough).

use std::collections::HashMap;
use std::hash::Hash;
use std::net::IpAddr;
use std::sync::Mutex;

use jiff::Timestamp;
use steward_store::ids::ApiKeyId;

/// Callers remembered before lapsed ones are forgotten.
pub const TABLE_CAP: usize = 100_000;
/// Public calls (intake, codes, confirmations) a client address may make in a burst.
pub const PUBLIC_BURST: f64 = 10.0;
/// Public calls a client address may make per minute, sustained.
pub const PUBLIC_PER_MINUTE: f64 = 10.0;
/// Wrong sign-in codes allowed before attempts are slowed down.
pub const FREE_ATTEMPTS: u32 = 3;

/// A bounded table of per-caller state; the one home of the locking and forgetting.
#[derive(Debug)]
struct Table<K, S> {
    map: Mutex<HashMap<K, S>>,
}

impl<K, S> Default for Table<K, S> {
    fn default() -> Self {
        Table {
            map: Mutex::new(HashMap::new()),
        }
    }
}

impl<K: Hash + Eq, S> Table<K, S> {
    /// Runs `f` on `key`'s state (`fresh` when it has none). Before a new caller is added to a
    /// full table, the states for which `lapsed` holds are forgotten. `None` when the lock is
    /// poisoned (the caller decides what that means).
    fn with<R>(
        &self,
        key: K,
        fresh: impl FnOnce() -> S,
        lapsed: impl Fn(&S) -> bool,
        f: impl FnOnce(&mut S) -> R,
    ) -> Option<R> {
        let mut map = self.map.lock().ok()?;
        if map.len() >= TABLE_CAP && !map.contains_key(&key) {
            map.retain(|_, s| !lapsed(s));
            if map.len() >= TABLE_CAP {
                map.clear();
            }
        }
        Some(f(map.entry(key).or_insert_with(fresh)))
    }
}

/// Seconds from `from` to `to`, never negative (a clock set back refills nothing).
fn secs_between(from: Timestamp, to: Timestamp) -> f64 {
    to.duration_since(from).as_secs_f64().max(0.0)
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    last: Timestamp,
}

/// A token bucket per caller.
#[derive(Debug)]
pub struct TokenBuckets<K> {
    table: Table<K, Bucket>,
}

impl<K> Default for TokenBuckets<K> {
    fn default() -> Self {
        TokenBuckets {
            table: Table::default(),
        }
    }
}

impl<K: Hash + Eq> TokenBuckets<K> {
    /// Takes one token for `key` from a bucket of `burst` tokens refilled at `per_sec` a
    /// second; `Err(seconds to wait)` when it is empty. A poisoned lock lets the call through
    /// (a throttle never takes the service down).
    pub fn take(&self, key: K, per_sec: f64, burst: f64, now: Timestamp) -> Result<(), u64> {
        let per_sec = per_sec.max(f64::MIN_POSITIVE);
        let full_after = burst / per_sec;
        self.table
            .with(
                key,
                || Bucket {
                    tokens: burst,
                    last: now,
                },
                |b| secs_between(b.last, now) >= full_after,
                |b| {
                    b.tokens = (b.tokens + secs_between(b.last, now) * per_sec).min(burst);
                    b.last = now;
                    if b.tokens >= 1.0 {
                        b.tokens -= 1.0;
                        Ok(())
                    } else {
                        Err(((1.0 - b.tokens) / per_sec).ceil().max(1.0) as u64)
                    }
                },
            )
            .unwrap_or(Ok(()))
    }
}

/// The API keys' rate limit: a bucket per key holding one second of traffic.
pub type RateLimiter = TokenBuckets<ApiKeyId>;

impl RateLimiter {
    /// Takes one token for `key` at `rate` per second; `Err(seconds to wait)` when empty.
    pub fn check(&self, key: ApiKeyId, rate: u32, now: Timestamp) -> Result<(), u64> {
        let rate = f64::from(rate.max(1));
        self.take(key, rate, rate, now)
    }
}

/// The public request routes' limit: a bucket per client address (no key to limit by).
pub type ClientLimiter = TokenBuckets<IpAddr>;

impl ClientLimiter {
    /// Takes one token for `client`; `Err(seconds to wait)` when its bucket is empty.
    pub fn check(&self, client: IpAddr, now: Timestamp) -> Result<(), u64> {
        self.take(client, PUBLIC_PER_MINUTE / 60.0, PUBLIC_BURST, now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::SignedDuration;

    fn t0() -> Timestamp {
        "2024-03-04T17:00:00Z".parse().unwrap()
    }

    fn later(ms: i64) -> Timestamp {
        t0().checked_add(SignedDuration::from_millis(ms)).unwrap()
    }

    #[test]
    fn a_key_bucket_empties_and_refills() {
        let l = RateLimiter::default();
        let k = ApiKeyId::generate();
        for _ in 0..3 {
            assert!(l.check(k, 3, t0()).is_ok());
        }
        assert_eq!(l.check(k, 3, t0()), Err(1));
        assert!(l.check(k, 3, later(400)).is_ok());
        // another key has its own bucket
        assert!(l.check(ApiKeyId::generate(), 3, t0()).is_ok());
    }

    #[test]
    fn a_public_bucket_allows_a_burst_then_refills() {
        let l = ClientLimiter::default();
        let a: IpAddr = "192.0.2.1".parse().unwrap();
        for _ in 0..10 {
            assert!(l.check(a, t0()).is_ok());
        }
        assert_eq!(l.check(a, t0()), Err(6));
        // Another client has its own bucket.
        assert!(l.check("192.0.2.2".parse().unwrap(), t0()).is_ok());
        assert!(l.check(a, later(6_000)).is_ok());
        assert!(l.check(a, later(6_000)).is_err());
    }

    #[test]
    fn a_clock_set_back_refills_nothing() {
        let l = ClientLimiter::default();
        let a: IpAddr = "192.0.2.1".parse().unwrap();
        for _ in 0..10 {
            assert!(l.check(a, t0()).is_ok());
        }
        assert!(l.check(a, later(-60_000)).is_err());
    }
}
