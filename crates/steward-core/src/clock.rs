//! The clock, injected everywhere (DM-07): production reads the system time,
//! tests set and advance a manual clock, so deadlines and decisions are exact.

use jiff::Timestamp;
use std::sync::atomic::{AtomicI64, Ordering};

/// A source of the current time.
pub trait Clock: Send + Sync + std::fmt::Debug {
    /// Now.
    fn now(&self) -> Timestamp;
}

/// The system clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    #[expect(
        clippy::disallowed_methods,
        reason = "the one real clock: everything else reads the time through `Clock`"
    )]
    fn now(&self) -> Timestamp {
        Timestamp::now()
    }
}

/// A clock the caller sets; for tests and replays.
#[derive(Debug)]
pub struct ManualClock {
    micros: AtomicI64,
}

impl ManualClock {
    /// A clock stopped at `t`.
    #[must_use]
    pub fn at(t: Timestamp) -> ManualClock {
        ManualClock {
            micros: AtomicI64::new(t.as_microsecond()),
        }
    }

    /// Set the time.
    pub fn set(&self, t: Timestamp) {
        self.micros.store(t.as_microsecond(), Ordering::SeqCst);
    }

    /// Move the time forward.
    pub fn advance(&self, by: jiff::SignedDuration) {
        let d = i64::try_from(by.as_micros()).unwrap_or(i64::MAX);
        self.micros.fetch_add(d, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Timestamp {
        Timestamp::from_microsecond(self.micros.load(Ordering::SeqCst))
            .unwrap_or(Timestamp::UNIX_EPOCH)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manual_clock_moves_only_when_told() {
        let t: Timestamp = "2024-03-04T17:00:00Z".parse().unwrap();
        let c = ManualClock::at(t);
        assert_eq!(c.now(), t);
        c.advance(jiff::SignedDuration::from_secs(60));
        assert_eq!(c.now().to_string(), "2024-03-04T17:01:00Z");
    }
}
