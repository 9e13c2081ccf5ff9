//! The history of the policy (CHG-01, SCOPE-06): every text the service is given is recorded
//! once, by its SHA-256, with its version, effective date and what changed against the text
//! recorded before it (the `steward policy diff` comparison, CHG-03 materiality). A text whose
//! effective date is still ahead is recorded too but not enforced before that date; the
//! staleness check (CHG-05) names a policy in force whose effective date is over 12 months old.

use jiff::Timestamp;
use jiff::civil::Date;
use steward_policy::Engine;
use steward_store::{Digest, NewPolicyVersion, PolicyVersionRecord};

use crate::Steward;
use crate::error::CoreError;

/// The calendar day (UTC) of `now`.
#[must_use]
pub fn today(now: Timestamp) -> Date {
    now.to_zoned_datetime(jiff::tz::TimeZone::UTC).date()
}

/// Whether a policy effective on `effective` may be enforced at `now` (its day has come,
/// UTC): a future-dated text is scheduled, not enforced.
#[must_use]
pub fn is_due(effective: Date, now: Timestamp) -> bool {
    effective <= today(now)
}

/// CHG-05: the policy effective on `effective` is stale at `now` when its effective date plus
/// 12 months is before today (CCPA §1798.130(a)(5): disclosures updated at least yearly).
#[must_use]
pub fn is_stale(effective: Date, now: Timestamp) -> bool {
    effective
        .checked_add(jiff::Span::new().months(12))
        .is_ok_and(|limit| limit < today(now))
}

impl Steward {
    /// Records a policy text (compiled as `engine`) in the history. Idempotent by the text's
    /// SHA-256: a text recorded before (a restart, another replica) keeps its first record.
    /// The change summary compares it with the newest recorded text.
    ///
    /// # Errors
    /// Store failures.
    pub async fn record_policy_version(
        &self,
        text: &str,
        engine: &Engine,
    ) -> Result<PolicyVersionRecord, CoreError> {
        let sha256 = Digest::sha256(text.as_bytes());
        let store = self.store();
        let previous = store.list_policy_versions().await?.into_iter().next();
        if let Some(p) = &previous
            && p.sha256 == sha256
        {
            return Ok(p.clone());
        }
        let changes = match &previous {
            // The previous text compiled when it was recorded; if this engine no longer
            // compiles it, the summary says so instead of guessing.
            Some(p) => match steward_policy::load("previous", &p.text) {
                Ok(old) => steward_policy::diff::diff(&old.engine, engine),
                Err(_) => vec![],
            },
            None => vec![],
        };
        let material = changes.iter().any(|c| c.material);
        let changes = serde_json::to_string(&changes).unwrap_or_else(|_| "[]".to_owned());
        Ok(store
            .record_policy_version(&NewPolicyVersion {
                version: engine.meta.version.clone(),
                effective: engine.meta.effective.to_string(),
                sha256,
                text: text.to_owned(),
                recorded_at: self.clock().now(),
                changes,
                material,
            })
            .await?)
    }

    /// Every recorded version, newest first.
    ///
    /// # Errors
    /// Store failures.
    pub async fn policy_versions(&self) -> Result<Vec<PolicyVersionRecord>, CoreError> {
        Ok(self.store().list_policy_versions().await?)
    }

    /// The newest recorded version with this version string.
    ///
    /// # Errors
    /// `NotFound("policy version")` when none is recorded; store failures.
    pub async fn policy_version(&self, version: &str) -> Result<PolicyVersionRecord, CoreError> {
        self.store()
            .get_policy_version(version)
            .await?
            .ok_or(CoreError::NotFound("policy version"))
    }

    /// The newest recorded text that is due at `now` (its effective date has come), compiled:
    /// what to enforce while a future-dated text waits. `None` when no such text is recorded.
    ///
    /// # Errors
    /// Store failures.
    pub async fn latest_due_policy(
        &self,
        now: Timestamp,
    ) -> Result<Option<(PolicyVersionRecord, Engine)>, CoreError> {
        for v in self.store().list_policy_versions().await? {
            let Ok(effective) = v.effective.parse::<Date>() else {
                continue;
            };
            if !is_due(effective, now) {
                continue;
            }
            if let Ok(loaded) = steward_policy::load(&format!("policy {}", v.version), &v.text) {
                return Ok(Some((v, loaded.engine)));
            }
        }
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn chg05_stale_after_twelve_months() {
        let eff: Date = "2020-01-17".parse().unwrap();
        assert!(!is_stale(eff, ts("2020-06-01T00:00:00Z")));
        assert!(!is_stale(eff, ts("2021-01-17T12:00:00Z")));
        assert!(is_stale(eff, ts("2021-01-18T00:00:00Z")));
    }

    #[test]
    fn future_dated_text_is_due_on_its_day() {
        let eff: Date = "2030-03-01".parse().unwrap();
        assert!(!is_due(eff, ts("2030-02-28T23:59:59Z")));
        assert!(is_due(eff, ts("2030-03-01T00:00:00Z")));
    }
}
