//! GPS and motion data (GEO-*): accepted only while the subject's location services are on.
//!
//! A batch of samples is decided once per category with `can_collect` from
//! `device:location`: the engine answers `NOT_ENABLED` when the subject's ledger says
//! location services are off (GEO-01), and the samples are then refused and counted, never
//! stored. Accepted samples are items (`gps_location`, `motion_data`), encrypted under the
//! subject's data key, written in one store call with their collection-time retention.
//!
//! Reading for a purpose that does not need precise location returns coordinates coarsened
//! to the decision's `coarsen_ft` obligation (GEO-03: at least 1,850 ft): latitude and
//! longitude are snapped to a grid whose cells are larger than that radius.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use steward_errors::ErrorCode;
use steward_policy::wire::{Op, Request};
use steward_store::ids::{ItemId, SubjectId};
use steward_store::model::audit::{AuditKind, EventRef};
use steward_store::model::event::{IngestCount, IngestOutcome, IngestStream, utc_day};
use steward_store::model::item::{ControllerRole, NewItem};
use steward_store::values::{
    CategoryKey, Ciphertext, FieldName, PurposeKey, ReasonCode, SourceKey,
};

use crate::error::CoreError;
use crate::{Caller, Steward};

/// One GPS fix (its JSON is the form sealed in the vault, not an API shape).
#[derive(Debug, Clone, Copy, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct GpsSample {
    /// Latitude, degrees.
    pub lat: f64,
    /// Longitude, degrees.
    pub lon: f64,
    /// Accuracy radius, metres.
    #[serde(default)]
    pub accuracy_m: Option<f64>,
    /// When (RFC 3339 in JSON).
    pub at: Timestamp,
}

/// One motion reading (accelerometer; its JSON is the form sealed in the vault).
#[derive(Debug, Clone, Copy, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MotionSample {
    /// Acceleration, m/s², per axis.
    pub x: f64,
    /// Y axis.
    pub y: f64,
    /// Z axis.
    pub z: f64,
    /// When.
    pub at: Timestamp,
}

/// Samples of one subject.
#[derive(Debug, Clone, Default)]
pub struct LocationBatch {
    /// GPS fixes.
    pub gps: Vec<GpsSample>,
    /// Motion readings.
    pub motion: Vec<MotionSample>,
}

/// What happened to a batch.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LocationReport {
    /// Items stored.
    pub stored: usize,
    /// Samples refused, with the reason (e.g. `NOT_ENABLED`).
    pub refused: usize,
    /// The reason samples were refused.
    pub reason: Option<String>,
}

fn valid(s: &GpsSample) -> bool {
    s.lat.is_finite()
        && s.lon.is_finite()
        && (-90.0..=90.0).contains(&s.lat)
        && (-180.0..=180.0).contains(&s.lon)
}

/// Snap a coordinate pair to a grid whose cells are at least `radius_ft` across (GEO-03).
#[must_use]
pub fn coarsen(lat: f64, lon: f64, radius_ft: u32) -> (f64, f64) {
    // One degree of latitude is ~364,000 ft; a cell of `2 * radius` keeps every point of the
    // cell within the radius of its centre or further, never closer.
    let cell_deg = (f64::from(radius_ft.max(1)) * 2.0 / 364_000.0).max(1e-6);
    let snap = |v: f64| (v / cell_deg).floor() * cell_deg + cell_deg / 2.0;
    let snapped_lat = snap(lat);
    // INVARIANT: the longitude grid depends only on the latitude *cell* (its centre), so every
    // point of a cell snaps to one point and the exact latitude does not leak through it.
    let lon_scale = snapped_lat.to_radians().cos().abs().max(0.01);
    let lon_cell = cell_deg / lon_scale;
    let snap_lon = |v: f64| (v / lon_cell).floor() * lon_cell + lon_cell / 2.0;
    (snapped_lat, snap_lon(lon))
}

impl Steward {
    /// Ingest GPS and motion samples of a subject (see the module docs).
    ///
    /// # Errors
    /// `Invalid(BAD_SAMPLE)`, `Erased`, store and audit failures. A refusal by policy is
    /// not an error: it is in the report (and counted).
    pub async fn ingest_location(
        &self,
        caller: &Caller,
        subject: SubjectId,
        batch: LocationBatch,
    ) -> Result<LocationReport, CoreError> {
        if batch.gps.iter().any(|s| !valid(s))
            || batch
                .motion
                .iter()
                .any(|m| !(m.x.is_finite() && m.y.is_finite() && m.z.is_finite()))
        {
            return Err(CoreError::invalid(
                ErrorCode::BadSample,
                "coordinates are degrees within range and readings are finite numbers",
            ));
        }
        let now = self.clock.now();
        let engine = self.engine();
        let mut report = LocationReport::default();
        let mut items = Vec::new();
        let mut counts = Vec::new();
        let day = utc_day(now);
        let parts: [(&str, Vec<Vec<u8>>); 2] = [
            (
                "gps_location",
                batch
                    .gps
                    .iter()
                    .map(|s| serde_json::to_vec(s).unwrap_or_default())
                    .collect(),
            ),
            (
                "motion_data",
                batch
                    .motion
                    .iter()
                    .map(|s| serde_json::to_vec(s).unwrap_or_default())
                    .collect(),
            ),
        ];
        let mut decisions = Vec::new();
        for (category, values) in parts {
            if values.is_empty() {
                continue;
            }
            let mut req = Request {
                op: Some(Op::CanCollect),
                category: Some(category.into()),
                source: Some("device:location".into()),
                ..Request::default()
            };
            req.subject.id = Some(subject.to_string());
            let d = self.decide(caller, req, false).await?;
            let n = values.len() as u64;
            if !d.allow {
                report.refused += values.len();
                report.reason = Some(d.reason().to_string());
                counts.push(IngestCount {
                    day,
                    stream: IngestStream::Location,
                    outcome: IngestOutcome::Dropped,
                    reason: ReasonCode::new(d.reason())
                        .map_err(|e| CoreError::invalid(ErrorCode::BadReason, e.to_string()))?,
                    count: n,
                });
                continue;
            }
            decisions.push(d.event_id);
            let cat = engine
                .category(category)
                .ok_or(CoreError::NotFound("category"))?;
            let retain_until = crate::items::retention_deadline(&engine, cat, now);
            let key = self.data_key(subject, true).await?;
            for v in values {
                let id = ItemId::generate();
                let mut aad = Vec::with_capacity(48);
                aad.extend_from_slice(&subject.to_bytes());
                aad.extend_from_slice(&id.to_bytes());
                aad.extend_from_slice(category.as_bytes());
                let sealed = key.seal(&aad, &v)?;
                items.push(NewItem {
                    id,
                    subject,
                    category: CategoryKey::new(category)
                        .map_err(|e| CoreError::invalid(ErrorCode::BadCategory, e.to_string()))?,
                    value: Ciphertext::new(sealed)
                        .map_err(|e| CoreError::invalid(ErrorCode::BadValue, e.to_string()))?,
                    source: SourceKey::new("device:location")
                        .map_err(|e| CoreError::invalid(ErrorCode::BadSource, e.to_string()))?,
                    collected_at: now,
                    purpose: PurposeKey::new("service_provision")
                        .map_err(|e| CoreError::invalid(ErrorCode::BadPurpose, e.to_string()))?,
                    controller: self.controller.clone(),
                    controller_role: ControllerRole::Controller,
                    retain_until,
                    policy_version: steward_store::values::PolicyVersion::new(
                        engine.meta.version.to_ascii_lowercase(),
                    )
                    .ok(),
                });
            }
            counts.push(IngestCount {
                day,
                stream: IngestStream::Location,
                outcome: IngestOutcome::Accepted,
                reason: ReasonCode::new("OK")
                    .map_err(|e| CoreError::invalid(ErrorCode::BadReason, e.to_string()))?,
                count: n,
            });
        }
        report.stored = items.len();
        let mut events = Vec::new();
        if !items.is_empty() {
            let mut e = self.event(AuditKind::Write, "location.write", caller);
            e.subject = Some(subject);
            let mut cats: Vec<CategoryKey> = items.iter().map(|i| i.category.clone()).collect();
            cats.dedup();
            e.categories = cats;
            e.refs = decisions
                .iter()
                .filter_map(|id| {
                    Some(EventRef {
                        name: FieldName::new("decision").ok()?,
                        id: id.as_uuid(),
                    })
                })
                .collect();
            e.attributes = FieldName::new("count")
                .ok()
                .zip(steward_store::values::AttrValue::new(items.len().to_string()).ok())
                .map(|(name, value)| steward_store::model::audit::Attribute { name, value })
                .into_iter()
                .collect();
            events.push(e);
        }
        // AUD-01: the fixes and their audit entry commit together or not at all.
        let written = events.len();
        // The subjects' facts name the categories they have provided (USPS-07).
        for i in &items {
            self.facts.invalidate(i.subject);
        }
        self.store
            .write_audited(
                &steward_store::AuditedWrite::PutItems(std::mem::take(&mut items)),
                &events,
            )
            .await?;
        self.audit.note_appended(written);
        self.store.add_ingest_counts(&counts).await?;
        Ok(report)
    }

    /// A subject's GPS fixes for a purpose: decided and audited per read; coarsened when the
    /// decision carries a `coarsen_ft` obligation (GEO-03).
    ///
    /// # Errors
    /// `Denied` (e.g. `PURPOSE_NOT_ALLOWED` for ad customization, GEO-02), `Erased`.
    pub async fn read_locations(
        &self,
        caller: &Caller,
        subject: SubjectId,
        purpose: &str,
    ) -> Result<Vec<GpsSample>, CoreError> {
        // An unknown purpose is refused even when there is nothing to read (fail closed, and
        // the same answer whether or not the subject has fixes).
        if self.engine().purpose(purpose).is_none() {
            return Err(CoreError::invalid(
                ErrorCode::UnknownName,
                format!("unknown purpose `{purpose}`"),
            ));
        }
        let mut out = Vec::new();
        for item in self.store.list_items(subject).await? {
            if item.category.as_str() != "gps_location" || item.value.is_none() {
                continue;
            }
            let read = self.read_item(caller, item.id, purpose).await?;
            let mut s: GpsSample = serde_json::from_slice(read.value.expose())
                .map_err(|_| CoreError::Unavailable("a stored GPS fix does not decode"))?;
            let coarsen_ft = read
                .decision
                .decision()
                .map(|d| d.obligations.coarsen_ft)
                .filter(|ft| *ft > 0);
            if let Some(ft) = coarsen_ft {
                (s.lat, s.lon) = coarsen(s.lat, s.lon, ft);
                s.accuracy_m = Some(f64::from(ft) * 0.3048);
            }
            out.push(s);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn geo_03_coarsened_points_move_to_a_cell_at_least_the_radius_wide() {
        let (lat, lon) = (37.774_929, -122.419_416);
        let (clat, clon) = coarsen(lat, lon, 1850);
        // Neighbours within the same cell coarsen to the same point.
        let (nlat, nlon) = coarsen(lat + 0.000_5, lon + 0.000_5, 1850);
        assert_eq!((clat, clon), (nlat, nlon));
        // The cell is at least 2 * 1850 ft tall (in degrees of latitude).
        let cell = 2.0 * 1850.0 / 364_000.0;
        assert!((clat - lat).abs() <= cell / 2.0 + 1e-9);
        assert!((clat - lat).abs() > 0.0 || (clon - lon).abs() > 0.0);
    }
}
