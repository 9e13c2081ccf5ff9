//! Data collected automatically, as it flows in (the usage-data work): the policy's promises applied at
//! the door.
//!
//! - [`events`]: usage events (`POST /v1/events`, `steward events import`): tracker consent
//!   gating per device and jurisdiction (COOKIE-11), fields the tracker's purpose may not
//!   use stripped, IP addresses pseudonymized under the epoch key (IPPS-01, IPPS-02) after the
//!   coarse region was looked up from the truncated address (IPPS-03), every event counted;
//!   the log-in security log (IPPS-05); k-anonymous aggregates (IPPS-04).
//! - [`geo`]: regions of truncated addresses, behind [`GeoLookup`] (a MaxMind-format database
//!   in production).
//! - [`location`]: GPS and motion samples, only while location services are on (GEO-*).
//! - [`usps`]: USPS tracking scans, package status, aggregates (USPS-04, USPS-05) and derived
//!   datasets that inherit the locks of their inputs (USPS-03, DM-06).
//! - [`chat`]: chat transcripts, redacted (card numbers, government ids) then encrypted,
//!   retained until the ticket closes plus the policy's period (CHAT-*).
//! - [`survey`]: optional, purpose-bound survey answers (SURVEY-*).
//!
//! [`Ingestor`] holds what the usage path needs beyond [`Steward`]: the IP pseudonymization
//! key (a separate secret, kept apart from the data: IPPS-02), its current epoch key, the geo
//! database and a short-lived cache of device facts. It cannot be built without the key: a
//! missing key stops ingestion rather than letting a raw address through.

pub mod chat;
pub mod events;
pub mod geo;
pub mod location;
pub mod survey;
pub mod usps;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};
use steward_errors::ErrorCode;

use jiff::Timestamp;
use steward_policy::choices::Entry;
use steward_policy::{Choices, Jurisdiction};
use steward_store::ids::SubjectId;
use steward_store::model::subject::IdentityRef;
use steward_vault::{EpochKey, IpEpoch, IpPseudonymizer, KeyRingError};

use crate::Steward;
use crate::error::CoreError;

pub use events::{BatchReport, EventOutcome, EventResult, EventSlot, LoginInput, UsageEventInput};
pub use geo::GeoLookup;

/// How the usage path behaves.
#[derive(Debug, Clone)]
pub struct IngestConfig {
    /// Length of an IP pseudonymization epoch: keys rotate at each boundary (IPPS-02).
    /// Default 30 days.
    pub epoch_seconds: u32,
    /// Where coarse regions come from (none: every region is unknown).
    pub geo: Option<Arc<dyn GeoLookup>>,
    /// How long device facts (choices, links) are reused across batches. Default 1 s, like
    /// the subject facts cache; `Duration::ZERO` disables the cache.
    pub device_ttl: Duration,
    /// The most events one batch may hold. Default 10 000.
    pub max_batch: usize,
    /// How far in the future an event's time may be (clock skew). Default 1 day.
    pub max_future: jiff::SignedDuration,
}

impl Default for IngestConfig {
    fn default() -> Self {
        IngestConfig {
            epoch_seconds: 30 * 86_400,
            geo: None,
            device_ttl: Duration::from_secs(1),
            max_batch: 10_000,
            max_future: jiff::SignedDuration::from_hours(24),
        }
    }
}

/// What is known of a device between batches.
#[derive(Debug)]
pub(crate) struct DeviceFacts {
    /// Its own ledger entries, already converted for the engine.
    pub(crate) entries: Vec<Entry>,
    /// The subject it is linked to (the oldest link), if any.
    pub(crate) subject: Option<SubjectId>,
    /// Folds of `entries` already computed, per jurisdiction (a device rarely changes place).
    pub(crate) folds: Mutex<Vec<(Option<Jurisdiction>, Choices)>>,
}

impl DeviceFacts {
    /// The device's effective choices at a jurisdiction, folded once per cache lifetime.
    pub(crate) fn choices(
        &self,
        engine: &steward_policy::Engine,
        place: Option<Jurisdiction>,
        now: Timestamp,
    ) -> Choices {
        if let Ok(f) = self.folds.lock()
            && let Some((_, c)) = f.iter().find(|(j, _)| *j == place)
        {
            return *c;
        }
        let c = steward_policy::choices::fold(engine, place.as_ref(), &self.entries, now).choices;
        if let Ok(mut f) = self.folds.lock()
            && f.len() < 8
        {
            f.push((place, c));
        }
        c
    }
}

type DeviceKey = (u8, [u8; 32]);

fn device_key(r: &IdentityRef) -> Option<DeviceKey> {
    let t: [u8; 32] = r.token.as_bytes().try_into().ok()?;
    Some((r.kind.code(), t))
}

#[derive(Debug, Default)]
pub(crate) struct DeviceCache {
    map: Mutex<HashMap<DeviceKey, (Arc<DeviceFacts>, Instant)>>,
}

const DEVICE_CACHE_CAP: usize = 200_000;

impl DeviceCache {
    pub(crate) fn get(&self, key: &IdentityRef, ttl: Duration) -> Option<Arc<DeviceFacts>> {
        if ttl.is_zero() {
            return None;
        }
        let k = device_key(key)?;
        let map = self.map.lock().ok()?;
        let (f, at) = map.get(&k)?;
        (at.elapsed() < ttl).then(|| f.clone())
    }

    pub(crate) fn put(&self, key: &IdentityRef, facts: Arc<DeviceFacts>, ttl: Duration) {
        let Some(k) = device_key(key).filter(|_| !ttl.is_zero()) else {
            return;
        };
        if let Ok(mut map) = self.map.lock() {
            if map.len() >= DEVICE_CACHE_CAP {
                map.clear();
            }
            #[expect(
                clippy::disallowed_methods,
                reason = "a cache entry's age is monotonic time, not the service's clock"
            )]
            map.insert(k, (facts, Instant::now()));
        }
    }

    pub(crate) fn forget(&self, key: &IdentityRef) {
        if let Some(k) = device_key(key)
            && let Ok(mut map) = self.map.lock()
        {
            map.remove(&k);
        }
    }
}

/// The usage-data path: needs the IP pseudonymization key on top of [`Steward`].
pub struct Ingestor {
    steward: Arc<Steward>,
    pseudonymizer: IpPseudonymizer,
    current: RwLock<Option<EpochKey>>,
    config: IngestConfig,
    devices: DeviceCache,
}

impl std::fmt::Debug for Ingestor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // SECURITY: the pseudonymizer and epoch keys print redacted by their own Debug.
        f.debug_struct("Ingestor")
            .field("pseudonymizer", &self.pseudonymizer)
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl Ingestor {
    /// Builds the usage path. Pass the key ring's answer as it is: without the IP
    /// pseudonymization key there is no ingestion at all (IPPS-02: never a raw address).
    ///
    /// # Errors
    /// `Unavailable` naming the missing key; `Invalid(BAD_CONFIG)` for a zero epoch length.
    pub fn new(
        steward: Arc<Steward>,
        pseudonymizer: Result<IpPseudonymizer, KeyRingError>,
        config: IngestConfig,
    ) -> Result<Ingestor, CoreError> {
        let pseudonymizer = pseudonymizer.map_err(|e| {
            tracing::error!(error = %e, "usage ingestion refused: no IP pseudonymization key");
            CoreError::Unavailable(
                "the IP pseudonymization key is missing: usage events are not ingested \
                 (configure the key ring's `ip_pseudonym` key or STEWARD_IP_PSEUDONYM_KEY)",
            )
        })?;
        if config.epoch_seconds == 0 || config.max_batch == 0 {
            return Err(CoreError::invalid(
                ErrorCode::BadConfig,
                "the epoch length and the batch size must be positive",
            ));
        }
        Ok(Ingestor {
            steward,
            pseudonymizer,
            current: RwLock::new(None),
            config,
            devices: DeviceCache::default(),
        })
    }

    /// The service.
    #[must_use]
    pub fn steward(&self) -> &Arc<Steward> {
        &self.steward
    }

    /// The configuration.
    #[must_use]
    pub fn config(&self) -> &IngestConfig {
        &self.config
    }

    /// The epoch containing `at`.
    ///
    /// # Errors
    /// `Invalid` for a time before 1970 or beyond the last epoch.
    pub fn epoch_at(&self, at: Timestamp) -> Result<IpEpoch, CoreError> {
        IpEpoch::containing(at.as_second(), self.config.epoch_seconds).ok_or_else(|| {
            CoreError::invalid(
                ErrorCode::BadTime,
                "no pseudonymization epoch for this time",
            )
        })
    }

    /// The epoch key for `at`, derived once per epoch and kept (the HMAC key state is reused
    /// for every address of the epoch).
    pub(crate) fn epoch_key(&self, at: Timestamp) -> Result<EpochKey, CoreError> {
        let epoch = self.epoch_at(at)?;
        if let Ok(g) = self.current.read()
            && let Some(k) = g.as_ref()
            && k.epoch() == epoch
        {
            return Ok(k.clone());
        }
        let k = self.pseudonymizer.for_epoch(epoch);
        if let Ok(mut g) = self.current.write() {
            *g = Some(k.clone());
        }
        Ok(k)
    }

    /// Drops what is cached about a device (call after recording its choices when the
    /// next batch must see them at once).
    pub fn forget_device(&self, device: &IdentityRef) {
        self.devices.forget(device);
    }
}
