//! Loading a stored subject's facts for a decision: kind, jurisdiction, EU
//! flag, age, the fold of its choices ledger together with the ledgers of
//! the devices and cookies linked to it (GPC-04, DM-03), the agreements accepted and the
//! carriers selected for the accounts it belongs to (CUST-01, USPSPA-01, CARRIER-01,
//! CARRIER-02), the categories it has provided (items it has, USPS-07), and whether a
//! change-of-control notice owed to it is still undelivered (BIZ-03).
//!
//! Resolved facts are cached per subject and dropped on every choice written
//! by this process. Entries also expire after a short TTL so that several
//! replicas sharing one database see each other's choices within it.
//!
//! With a read replica (`Store::read_view`, a PostgreSQL standby) facts are read from it,
//! except for a subject this process wrote within the replica's lag bound: those are read
//! from the primary, so a process always decides on its own writes. Another replica sees a
//! choice within `FACTS_TTL` plus the read view's `max_lag` (docs/operations.md).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use jiff::Timestamp;
use steward_policy::choices::{self, ChoiceChannel, ChoiceKey, ChoiceSource, Effective, Entry};
use steward_policy::ids::{AgreementSet, CategorySet, RecipientSet};
use steward_policy::{Engine, Jurisdiction, Subject, SubjectKind};
use steward_store::ids::SubjectId;
use steward_store::model::account::AgreementAcceptance;
use steward_store::model::choice::ChoiceEntry;
use steward_store::model::subject::{AgeBand, StoredFacts, SubjectRecord};

use crate::Steward;
use crate::error::CoreError;

/// How long resolved facts are reused (bounds staleness across replicas).
pub const FACTS_TTL: Duration = Duration::from_secs(1);
const CACHE_CAP: usize = 100_000;
/// Subjects whose facts are read in one store call by [`Steward::resolve_all`].
pub const FACTS_CHUNK: usize = 256;

/// A subject resolved for the engine.
#[derive(Debug, Clone)]
pub struct Resolved {
    /// The stored record.
    pub record: SubjectRecord,
    /// The engine's view.
    pub subject: Subject,
    /// The ledger entries (subject and linked devices), in ledger order.
    pub ledger: Vec<ChoiceEntry>,
    /// The agreements accepted for the accounts the subject is a current member of, in a
    /// version the policy honours (the records decide, not a caller's assertion).
    pub agreements: AgreementSet,
    /// The carriers selected (and not withdrawn) for those accounts (CARRIER-01).
    pub carriers: RecipientSet,
    /// The categories the subject has live items of (USPS-07: what it provided).
    pub provided: CategorySet,
    /// A change-of-control notice is owed and neither delivered nor answered: promotions are
    /// held (BIZ-03; the record decides, an inline `context` assertion can only add a hold).
    pub change_of_control_prompt_pending: bool,
}

#[derive(Debug, Default)]
pub(crate) struct FactsCache {
    map: Mutex<HashMap<SubjectId, (std::sync::Arc<Resolved>, Instant)>>,
    /// With a read view that may lag by up to `pin`: when this process last wrote each
    /// subject's facts (and, `all`, when it dropped every entry), so those subjects are read
    /// from the primary until the replica is known to hold the write.
    pin: Duration,
    written: Mutex<HashMap<SubjectId, Instant>>,
    all: Mutex<Option<Instant>>,
}

impl FactsCache {
    /// A cache for a process whose facts are read from a replica lagging by up to `max_lag`.
    pub(crate) fn pinning_writes_for(max_lag: Duration) -> FactsCache {
        FactsCache {
            pin: max_lag,
            ..FactsCache::default()
        }
    }

    /// Whether `id` must be read from the primary: this process wrote it (or dropped every
    /// entry) within the last `pin`, so a replica within its bound may not hold it yet.
    ///
    /// INVARIANT: the replica read view serves only reads that miss at most the writes of the
    /// last `max_lag` (`steward-store-postgres`'s `standby`), and `pin` is that `max_lag`: a
    /// subject read from the replica after its pin ended includes this process's write.
    pub(crate) fn pinned(&self, id: SubjectId) -> bool {
        if self.pin.is_zero() {
            return false;
        }
        if self
            .all
            .lock()
            .ok()
            .and_then(|a| *a)
            .is_some_and(|at| at.elapsed() <= self.pin)
        {
            return true;
        }
        self.written
            .lock()
            .ok()
            .and_then(|w| w.get(&id).copied())
            .is_some_and(|at| at.elapsed() <= self.pin)
    }

    #[expect(
        clippy::disallowed_methods,
        reason = "a pin's age is monotonic time, not the service's clock"
    )]
    fn wrote(&self, id: Option<SubjectId>) {
        if self.pin.is_zero() {
            return;
        }
        let now = Instant::now();
        match id {
            Some(id) => {
                if let Ok(mut w) = self.written.lock() {
                    if w.len() >= CACHE_CAP {
                        let pin = self.pin;
                        w.retain(|_, at| at.elapsed() <= pin);
                    }
                    w.insert(id, now);
                }
            }
            None => {
                if let Ok(mut a) = self.all.lock() {
                    *a = Some(now);
                }
            }
        }
    }

    pub(crate) fn get(&self, id: SubjectId) -> Option<std::sync::Arc<Resolved>> {
        let map = self.map.lock().ok()?;
        let (r, at) = map.get(&id)?;
        (at.elapsed() < FACTS_TTL).then(|| r.clone())
    }
    pub(crate) fn put(&self, id: SubjectId, r: std::sync::Arc<Resolved>) {
        if let Ok(mut map) = self.map.lock() {
            if map.len() >= CACHE_CAP {
                map.clear();
            }
            #[expect(
                clippy::disallowed_methods,
                reason = "a cache entry's age is monotonic time, not the service's clock"
            )]
            map.insert(id, (r, Instant::now()));
        }
    }
    pub(crate) fn invalidate(&self, id: SubjectId) {
        self.wrote(Some(id));
        if let Ok(mut map) = self.map.lock() {
            map.remove(&id);
        }
    }
    pub(crate) fn clear(&self) {
        self.wrote(None);
        if let Ok(mut map) = self.map.lock() {
            map.clear();
        }
    }
}

/// Map a store subject kind to the engine's.
#[must_use]
pub fn policy_kind(k: steward_store::model::subject::SubjectKind) -> SubjectKind {
    k.as_str()
        .parse()
        .unwrap_or(SubjectKind::CustomerAccountHolder)
}

/// A representative age for an age band (the engine reasons in years).
#[must_use]
pub fn band_age(b: AgeBand) -> u8 {
    match b {
        AgeBand::Under13 => 12,
        AgeBand::From13To15 => 13,
        AgeBand::From16To17 => 16,
        AgeBand::Adult => 18,
    }
}

/// The agreements these acceptance records accept under `engine` (a version the policy no
/// longer honours does not count).
#[must_use]
pub fn accepted(engine: &Engine, records: &[AgreementAcceptance]) -> AgreementSet {
    engine.accepted_agreements(
        records
            .iter()
            .map(|a| (a.agreement.as_str(), a.version.as_str())),
    )
}

/// Convert store ledger entries to the engine's, skipping keys the policy does not know.
pub fn to_policy_entries(engine: &Engine, ledger: &[ChoiceEntry]) -> Vec<Entry> {
    ledger
        .iter()
        .filter_map(|e| {
            let key = ChoiceKey::parse(engine, e.key.as_str()).ok()?;
            let source: ChoiceSource = e.source.as_str().parse().unwrap_or(ChoiceSource::User);
            let channel = e
                .channel
                .as_ref()
                .and_then(|c| c.as_str().parse::<ChoiceChannel>().ok());
            Some(Entry {
                key,
                value: e.value,
                source,
                at: e.at,
                channel,
            })
        })
        .collect()
}

impl Steward {
    /// Resolve a stored subject for the engine, at `now`.
    ///
    /// # Errors
    /// `NotFound` for an unknown or erased subject.
    pub async fn resolve(
        &self,
        id: SubjectId,
        now: Timestamp,
    ) -> Result<std::sync::Arc<Resolved>, CoreError> {
        if let Some(r) = self.facts.get(id) {
            return Ok(r);
        }
        // One store call: one query on PostgreSQL, one read transaction on SQLite. With a
        // read replica, from it — unless this process wrote the subject within the replica's
        // lag bound (read-your-own-writes: `FactsCache::pinned`).
        let facts = if self.facts.pinned(id) {
            self.store.subject_facts(id).await?
        } else {
            match self.reads().subject_facts(id).await {
                // A subject another replica has just created may not be on the read replica yet.
                Err(steward_store::StoreError::NotFound(_))
                    if !Arc::ptr_eq(self.reads(), &self.store) =>
                {
                    self.store.subject_facts(id).await?
                }
                other => other?,
            }
        };
        let r = self
            .resolved_from(facts, now)
            .ok_or(CoreError::NotFound("subject"))?;
        self.facts.put(id, r.clone());
        Ok(r)
    }

    /// Resolves many stored subjects: cached ones from the cache, the others read together
    /// (one store call per [`FACTS_CHUNK`] subjects). Unknown and erased subjects are left out.
    ///
    /// # Errors
    /// Store failures.
    pub async fn resolve_all(
        &self,
        ids: &[SubjectId],
        now: Timestamp,
    ) -> Result<HashMap<SubjectId, std::sync::Arc<Resolved>>, CoreError> {
        let mut out = HashMap::with_capacity(ids.len());
        let mut missing = Vec::new();
        for &id in ids {
            if out.contains_key(&id) {
                continue;
            }
            match self.facts.get(id) {
                Some(r) => {
                    out.insert(id, r);
                }
                None => missing.push(id),
            }
        }
        missing.sort_unstable();
        missing.dedup();
        // Subjects written here within the replica's lag bound are read from the primary; the
        // others from the read replica, and those it does not have yet from the primary.
        let (primary, replica): (Vec<SubjectId>, Vec<SubjectId>) =
            if Arc::ptr_eq(self.reads(), &self.store) {
                (missing, Vec::new())
            } else {
                missing.into_iter().partition(|&id| self.facts.pinned(id))
            };
        let mut again = Vec::new();
        for chunk in replica.chunks(FACTS_CHUNK) {
            let found = self.reads().subject_facts_many(chunk).await?;
            let seen: std::collections::HashSet<SubjectId> =
                found.iter().map(|f| f.record.id).collect();
            again.extend(chunk.iter().filter(|id| !seen.contains(id)));
            self.take_resolved(found, now, &mut out);
        }
        for ids in [primary, again] {
            for chunk in ids.chunks(FACTS_CHUNK) {
                let found = self.store.subject_facts_many(chunk).await?;
                self.take_resolved(found, now, &mut out);
            }
        }
        Ok(out)
    }

    /// Resolves `found`, caching and collecting the subjects that are not erased.
    fn take_resolved(
        &self,
        found: Vec<StoredFacts>,
        now: Timestamp,
        out: &mut HashMap<SubjectId, std::sync::Arc<Resolved>>,
    ) {
        for facts in found {
            let id = facts.record.id;
            if let Some(r) = self.resolved_from(facts, now) {
                self.facts.put(id, r.clone());
                out.insert(id, r);
            }
        }
    }

    /// The engine's view of a subject's stored facts; `None` for an erased subject.
    fn resolved_from(
        &self,
        facts: StoredFacts,
        now: Timestamp,
    ) -> Option<std::sync::Arc<Resolved>> {
        let StoredFacts {
            record,
            ledger,
            agreements: acceptances,
            carriers: selections,
            categories,
            change_of_control,
            ..
        } = facts;
        if record.erased_at.is_some() {
            return None;
        }
        // The store already merged the ledgers of the linked cookies and devices (DM-03,
        // GPC-04) and kept the acceptances and active selections of current accounts only
        // (CUST-01, CARRIER-01).
        let engine = self.engine();
        let agreements = if acceptances.is_empty() || engine.agreements.is_empty() {
            AgreementSet::empty()
        } else {
            accepted(&engine, &acceptances)
        };
        let carriers = if selections.is_empty() {
            RecipientSet::empty()
        } else {
            crate::carriers::selected(&engine, &selections)
        };
        let mut provided = CategorySet::empty();
        for c in &categories {
            if let Some(id) = engine.category(c.as_str()) {
                provided.insert(id);
            }
        }
        let jurisdiction = record
            .facts
            .residency
            .as_ref()
            .and_then(|j| j.as_str().parse::<Jurisdiction>().ok());
        let mut subject = Subject::new(policy_kind(record.facts.kind), jurisdiction);
        subject.eu_protected = record.facts.eu_protected_since.is_some();
        subject.age = record
            .facts
            .age
            .as_ref()
            .map(|a| a.years.unwrap_or_else(|| band_age(a.band)));
        let eff = choices::fold(
            &engine,
            jurisdiction.as_ref(),
            &to_policy_entries(&engine, &ledger),
            now,
        );
        subject.choices = eff.choices;
        let change_of_control_prompt_pending =
            crate::control::statuses(change_of_control, &ledger, now)
                .iter()
                .any(|n| n.pending);
        Some(std::sync::Arc::new(Resolved {
            record,
            subject,
            ledger,
            agreements,
            carriers,
            provided,
            change_of_control_prompt_pending,
        }))
    }

    /// The fold of a stored subject's ledger with provenance (DEC-06).
    ///
    /// # Errors
    /// `NotFound` for an unknown subject.
    pub async fn effective_choices(
        &self,
        id: SubjectId,
    ) -> Result<(Resolved, Effective), CoreError> {
        let now = self.clock.now();
        self.facts.invalidate(id);
        let r = self.resolve(id, now).await?;
        let engine = self.engine();
        let eff = choices::fold(
            &engine,
            r.subject.jurisdiction.as_ref(),
            &to_policy_entries(&engine, &r.ledger),
            now,
        );
        Ok(((*r).clone(), eff))
    }

    /// Forgets the cached facts of a subject (after a change the cache cannot see, such as an
    /// erasure done by the request workflow).
    pub fn invalidate_facts(&self, id: SubjectId) {
        self.facts.invalidate(id);
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

    #[test]
    fn a_subject_written_here_is_read_from_the_primary_for_the_replica_lag_bound() {
        let (a, b) = (
            SubjectId::from_bytes([1; 16]),
            SubjectId::from_bytes([2; 16]),
        );
        let none = FactsCache::default();
        none.invalidate(a);
        assert!(!none.pinned(a), "without a read replica nothing is pinned");

        let cache = FactsCache::pinning_writes_for(Duration::from_millis(80));
        assert!(!cache.pinned(a));
        cache.invalidate(a);
        assert!(cache.pinned(a), "written here: the primary");
        assert!(!cache.pinned(b), "another subject: the replica");
        std::thread::sleep(Duration::from_millis(120));
        assert!(
            !cache.pinned(a),
            "after the bound the replica holds the write"
        );
        cache.clear();
        assert!(
            cache.pinned(b),
            "everything dropped: every subject from the primary"
        );
        std::thread::sleep(Duration::from_millis(120));
        assert!(!cache.pinned(b));
    }
}
