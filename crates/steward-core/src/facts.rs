//! Loading a stored subject's facts for a decision: kind, jurisdiction, EU
//! flag, age, the fold of its choices ledger together with the ledgers of
//! the devices and cookies linked to it (GPC-04, DM-03), and the agreements
//! accepted for the accounts it belongs to (CUST-01, USPSPA-01, CARRIER-02), and whether a
//! change-of-control notice owed to it is still undelivered (BIZ-03).
//!
//! Resolved facts are cached per subject and dropped on every choice written
//! by this process. Entries also expire after a short TTL so that several
//! replicas sharing one database see each other's choices within it.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use jiff::Timestamp;
use steward_policy::choices::{self, ChoiceChannel, ChoiceKey, ChoiceSource, Effective, Entry};
use steward_policy::ids::AgreementSet;
use steward_policy::{Engine, Jurisdiction, Subject, SubjectKind};
use steward_store::ids::{AccountId, SubjectId};
use steward_store::model::account::AgreementAcceptance;
use steward_store::model::choice::{ChoiceEntry, Party};
use steward_store::model::subject::{AgeBand, IdentityKind, SubjectRecord};

use crate::Steward;
use crate::error::CoreError;

/// How long resolved facts are reused (bounds staleness across replicas).
pub const FACTS_TTL: Duration = Duration::from_secs(1);
const CACHE_CAP: usize = 100_000;

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
    /// A change-of-control notice is owed and neither delivered nor answered: promotions are
    /// held (BIZ-03; the record decides, an inline `context` assertion can only add a hold).
    pub change_of_control_prompt_pending: bool,
}

#[derive(Debug, Default)]
pub(crate) struct FactsCache {
    map: Mutex<HashMap<SubjectId, (std::sync::Arc<Resolved>, Instant)>>,
}

impl FactsCache {
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
        if let Ok(mut map) = self.map.lock() {
            map.remove(&id);
        }
    }
    pub(crate) fn clear(&self) {
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
        // One round of three concurrent reads (on PostgreSQL: three connections, one round
        // trip instead of three); the ledger is read again with the linked devices only when
        // the subject has some (cookie/device choices count for the subject: DM-03, GPC-04).
        let own = [Party::Subject(id)];
        let (record, links, own_ledger, memberships, notices) = tokio::try_join!(
            self.store.get_subject(id),
            self.store.identities_of(id),
            self.store.list_choices(&own),
            self.store.memberships_of(id),
            self.store.change_of_control_notices(id),
        )?;
        if record.erased_at.is_some() {
            return Err(CoreError::NotFound("subject"));
        }
        let mut parties = vec![Party::Subject(id)];
        for link in links {
            if matches!(
                link.identity.kind,
                IdentityKind::Cookie | IdentityKind::Device
            ) {
                parties.push(Party::Identity(link.identity));
            }
        }
        let ledger = if parties.len() == 1 {
            own_ledger
        } else {
            self.store.list_choices(&parties).await?
        };
        let engine = self.engine();
        let accounts: Vec<AccountId> = memberships
            .iter()
            .filter(|m| m.removed_at.is_none())
            .map(|m| m.account)
            .collect();
        let agreements = if accounts.is_empty() || engine.agreements.is_empty() {
            AgreementSet::empty()
        } else {
            accepted(&engine, &self.store.list_agreements(&accounts).await?)
        };
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
        let change_of_control_prompt_pending = crate::control::statuses(notices, &ledger, now)
            .iter()
            .any(|n| n.pending);
        let r = std::sync::Arc::new(Resolved {
            record,
            subject,
            ledger,
            agreements,
            change_of_control_prompt_pending,
        });
        self.facts.put(id, r.clone());
        Ok(r)
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
