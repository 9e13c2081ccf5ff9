//! Per-key rate limits: a token bucket per API key (capacity one second of traffic), refilled
//! continuously. A key's own `rate_per_sec` wins over the server default; keys with neither
//! are not limited.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

use steward_store::ids::ApiKeyId;

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    last: Instant,
}

/// The buckets.
#[derive(Debug, Default)]
pub struct RateLimiter {
    buckets: Mutex<HashMap<ApiKeyId, Bucket>>,
}

impl RateLimiter {
    /// Take one token for `key` at `rate` per second; `Err(seconds to wait)` when empty.
    pub fn check(&self, key: ApiKeyId, rate: u32, now: Instant) -> Result<(), u64> {
        let rate = f64::from(rate.max(1));
        let Ok(mut map) = self.buckets.lock() else {
            return Ok(());
        };
        let b = map.entry(key).or_insert(Bucket {
            tokens: rate,
            last: now,
        });
        let elapsed = now.saturating_duration_since(b.last).as_secs_f64();
        b.tokens = (b.tokens + elapsed * rate).min(rate);
        b.last = now;
        if b.tokens >= 1.0 {
            b.tokens -= 1.0;
            Ok(())
        } else {
            Err(((1.0 - b.tokens) / rate).ceil().max(1.0) as u64)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn bucket_empties_and_refills() {
        let l = RateLimiter::default();
        let k = ApiKeyId::generate();
        let t = Instant::now();
        for _ in 0..3 {
            assert!(l.check(k, 3, t).is_ok());
        }
        assert_eq!(l.check(k, 3, t), Err(1));
        assert!(l.check(k, 3, t + Duration::from_millis(400)).is_ok());
        // another key has its own bucket
        assert!(l.check(ApiKeyId::generate(), 3, t).is_ok());
    }
}
