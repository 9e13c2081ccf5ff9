//! The history of the policy (CHG-01, SCOPE-06): every text the service is given is recorded
//! once, by its SHA-256, with its version, effective date and what changed against the text
//! recorded before it (the `steward policy diff` comparison, CHG-03 materiality). A text whose
//! effective date is still ahead is recorded too but not enforced before that date; the
//! staleness check (CHG-05) names a policy in force whose effective date is over 12 months old.
//!
//! Data is bound to the version in force when it was collected (CHG-02, SCOPE-06): for a
//! decision on such data, [`Steward::policy_change_since`] turns the recorded change summaries
//! of the versions that took effect after it, and the change notices the subject was sent,
//! into the engine's `PolicyChange` facts (CHG-03, CHG-04). The engine decides with them.

use std::sync::{Arc, Mutex};
use std::time::Instant;

use jiff::Timestamp;
use jiff::civil::Date;
use steward_policy::Engine;
use steward_policy::facts::PolicyChange;
use steward_store::ids::SubjectId;
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

/// The recorded versions, newest first, as a decision on data bound to a version reads them
/// (CHG-03): kept for [`crate::facts::FACTS_TTL`], the bound within which every replica sees
/// another's writes, and dropped at once when this process records a version. Without it,
/// every such decision read every recorded text from the store.
#[derive(Debug, Default)]
pub(crate) struct VersionsCache(Mutex<Option<(Arc<Vec<PolicyVersionRecord>>, Instant)>>);

impl VersionsCache {
    fn get(&self) -> Option<Arc<Vec<PolicyVersionRecord>>> {
        let g = self.0.lock().ok()?;
        let (v, at) = g.as_ref()?;
        (at.elapsed() < crate::facts::FACTS_TTL).then(|| v.clone())
    }

    #[expect(
        clippy::disallowed_methods,
        reason = "a cache entry's age is monotonic time, not the service's clock"
    )]
    fn put(&self, v: Arc<Vec<PolicyVersionRecord>>) {
        if let Ok(mut g) = self.0.lock() {
            *g = Some((v, Instant::now()));
        }
    }

    fn clear(&self) {
        if let Ok(mut g) = self.0.lock() {
            *g = None;
        }
    }
}

impl Steward {
    /// The recorded versions, newest first, from the cache when fresh (see [`VersionsCache`]).
    async fn recorded_versions(&self) -> Result<Arc<Vec<PolicyVersionRecord>>, CoreError> {
        if let Some(v) = self.versions.get() {
            return Ok(v);
        }
        let v = Arc::new(self.store().list_policy_versions().await?);
        self.versions.put(v.clone());
        Ok(v)
    }

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
        let recorded = store
            .record_policy_version(&NewPolicyVersion {
                version: engine.meta.version.clone(),
                effective: engine.meta.effective.to_string(),
                sha256,
                text: text.to_owned(),
                recorded_at: self.clock().now(),
                changes,
                material,
            })
            .await?;
        self.versions.clear();
        Ok(recorded)
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

/// One change of a recorded summary, as [`steward_policy::diff::Change`] serializes it.
#[derive(Debug, serde::Deserialize)]
struct RecordedChange {
    kind: String,
    id: String,
    #[serde(default)]
    material: bool,
    #[serde(default)]
    needs: String,
}

/// The purposes and recipients a recorded version's summary adds or materially widens, by
/// their names in `engine` (a name the policy in force no longer has is left out: nothing
/// can be decided for it), and whether any needs fresh consent.
fn widened(engine: &Engine, v: &PolicyVersionRecord) -> PolicyChange {
    let mut out = PolicyChange::default();
    if !v.material {
        return out;
    }
    let changes: Vec<RecordedChange> = serde_json::from_str(&v.changes).unwrap_or_default();
    for c in changes.iter().filter(|c| c.material) {
        match c.kind.as_str() {
            "purpose" => {
                if let Some(p) = engine.purpose(&c.id) {
                    out.purposes.insert(p);
                    if c.needs == "fresh_consent" {
                        out.consent.insert(p);
                    }
                }
            }
            "recipient" => {
                if let Some(r) = engine.recipient(&c.id) {
                    out.recipients.insert(r);
                }
            }
            // New categories, trackers, longer retention and removed locks concern
            // collection and the notice, not the use of data already held.
            _ => {}
        }
    }
    out
}

impl Steward {
    /// CHG-03: what the versions recorded after `collected_under` that are in force at `now`
    /// changed for data collected under it, and whether `subject` was notified of every one
    /// of them that did by `now` (CHG-04; a replay passes the decision's time). A version
    /// string never recorded (data from a caller's own
    /// store, written before versions were recorded) yields no changes.
    ///
    /// # Errors
    /// Store failures.
    pub async fn policy_change_since(
        &self,
        engine: &Engine,
        subject: SubjectId,
        collected_under: &str,
        now: Timestamp,
    ) -> Result<PolicyChange, CoreError> {
        let versions = self.recorded_versions().await?;
        let Some(at) = versions
            .iter()
            .position(|v| v.version.eq_ignore_ascii_case(collected_under))
        else {
            return Ok(PolicyChange::default());
        };
        let mut out = PolicyChange::default();
        let mut announcing: Vec<&str> = Vec::new();
        for v in &versions[..at] {
            if !v.effective.parse::<Date>().is_ok_and(|d| is_due(d, now)) {
                continue;
            }
            let w = widened(engine, v);
            if w.is_empty() {
                continue;
            }
            out.purposes = out.purposes.union(&w.purposes);
            out.consent = out.consent.union(&w.consent);
            out.recipients = out.recipients.union(&w.recipients);
            announcing.push(&v.version);
        }
        if announcing.is_empty() {
            return Ok(out);
        }
        let notices = self.store().policy_notices_of(subject).await?;
        out.notified = announcing.iter().all(|v| {
            notices
                .iter()
                .any(|n| n.version.eq_ignore_ascii_case(v) && n.sent_at.is_some_and(|t| t <= now))
        });
        Ok(out)
    }
}

fn attr(name: &str, value: &str) -> Option<steward_store::model::audit::Attribute> {
    Some(steward_store::model::audit::Attribute {
        name: steward_store::values::FieldName::new(name).ok()?,
        value: steward_store::values::AttrValue::new(value).ok()?,
    })
}

/// The ledger keys whose holders a changed purpose or recipient concerns (their choices on it).
fn choice_keys(engine: &Engine, change: &PolicyChange) -> Vec<steward_store::values::ChoiceKey> {
    let mut keys = Vec::new();
    for p in change.purposes.iter() {
        let k = &engine.purpose_info(p).key;
        keys.push(format!("consent:purpose:{k}"));
        keys.push(format!("objection:{k}"));
    }
    for r in change.recipients.iter() {
        keys.push(format!(
            "consent:recipient:{}",
            engine.recipient_info(r).key
        ));
    }
    keys.into_iter()
        .filter_map(|k| steward_store::values::ChoiceKey::new(k).ok())
        .collect()
}

impl Steward {
    /// CHG-03, CHG-04: queues the change notice of the recorded `version` to everyone it
    /// concerns, computed from its change summary: holders of live data in a category a
    /// changed purpose now uses or a changed recipient now receives, and anyone with a choice
    /// on a changed purpose or recipient. Once per person and version (queuing again adds
    /// only people who became affected since). A version without material changes to uses
    /// of held data queues nothing. Audited with the count.
    ///
    /// # Errors
    /// `NotFound("policy version")`; store failures.
    pub async fn queue_policy_notices(
        &self,
        caller: &crate::Caller,
        version: &str,
    ) -> Result<u64, CoreError> {
        let v = self.policy_version(version).await?;
        let engine = self.engine();
        let change = widened(&engine, &v);
        if change.is_empty() {
            return Ok(0);
        }
        let mut cats = steward_policy::ids::CategorySet::empty();
        for p in change.purposes.iter() {
            cats = cats.union(&engine.purpose_info(p).categories);
        }
        for r in change.recipients.iter() {
            let ri = engine.recipient_info(r);
            cats = cats.union(&ri.categories.minus(&ri.excluded));
        }
        let categories = cats
            .iter()
            .filter_map(|c| {
                steward_store::values::CategoryKey::new(engine.category_info(c).key.clone()).ok()
            })
            .collect();
        let now = self.clock().now();
        let queued = self
            .store()
            .queue_policy_notices(&steward_store::NoticeAudience {
                version: v.version.clone(),
                notice_hash: v.sha256,
                categories,
                choice_keys: choice_keys(&engine, &change),
                at: now,
            })
            .await?;
        let mut e = self.event(
            steward_store::model::audit::AuditKind::System,
            "policy.notices_queued",
            caller,
        );
        e.attributes = [
            attr("version", &v.version),
            attr("count", &queued.to_string()),
        ]
        .into_iter()
        .flatten()
        .collect();
        self.audit.append_one(e).await?;
        Ok(queued)
    }

    /// CHG-04: records that `subject` was notified of the recorded `version` (the message was
    /// sent, or the privacy center showed the notice), with the notice's hash. Audited once.
    /// Returns `false` when it was recorded before.
    ///
    /// # Errors
    /// `NotFound("policy version")`; store failures.
    pub async fn policy_notice_sent(
        &self,
        caller: &crate::Caller,
        subject: SubjectId,
        version: &str,
    ) -> Result<bool, CoreError> {
        let v = self.policy_version(version).await?;
        let now = self.clock().now();
        let marked = self
            .store()
            .mark_policy_notice_sent(subject, &v.version, &v.sha256, now)
            .await?;
        if marked {
            let mut e = self.event(
                steward_store::model::audit::AuditKind::Write,
                "policy.notice_sent",
                caller,
            );
            e.subject = Some(subject);
            e.attributes = attr("version", &v.version).into_iter().collect();
            self.audit.append_one(e).await?;
        }
        Ok(marked)
    }

    /// CHG-04: how many change notices were queued and sent, per version (all of them, or
    /// only `version`, which must be recorded), by version string. Counts only, no subject.
    ///
    /// # Errors
    /// `NotFound("policy version")` for a `version` never recorded; store failures.
    pub async fn policy_notice_counts(
        &self,
        version: Option<&str>,
    ) -> Result<Vec<steward_store::PolicyNoticeCount>, CoreError> {
        if let Some(v) = version {
            self.policy_version(v).await?;
        }
        Ok(self.store().policy_notice_counts(version).await?)
    }

    /// The change notices of a subject, oldest first (CHG-04).
    ///
    /// # Errors
    /// Store failures.
    pub async fn policy_notices_of(
        &self,
        subject: SubjectId,
    ) -> Result<Vec<steward_store::PolicyNoticeRecord>, CoreError> {
        Ok(self.store().policy_notices_of(subject).await?)
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
