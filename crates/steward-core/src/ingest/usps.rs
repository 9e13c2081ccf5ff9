//! USPS data (policy §2(c), USPS-*):
//!
//! - tracking scans received from the USPS are ingested as `usps_tracking_data` and are
//!   usable for package status, fraud detection and aggregates only (USPS-04), each use
//!   decided by the engine and audited;
//! - aggregates are k-anonymous (USPS-05): groups under the policy's minimum size are
//!   suppressed and no account or subject id leaves the store;
//! - information collected on behalf of the USPS (`usps_regulatory_data`) is locked to the
//!   regulatory oversight purpose, and anything *derived* from it inherits the lock
//!   (USPS-03, DM-06): a derived dataset is registered with its lineage, and every use of it
//!   is decided with `context.derived_from = lineage`, so the engine's hard locks apply to
//!   the derivative as to the source.
//!
//! Package ids are kept as blind-index tokens (domain `usps-pic:`), never in the clear.

use std::collections::BTreeMap;
use steward_errors::ErrorCode;

use jiff::Timestamp;
use steward_policy::wire::{Op, Request};
use steward_store::ids::{AccountId, SubjectId};
use steward_store::model::event::{
    Aggregate, DatasetId, DatasetName, DatasetRecord, IngestCount, IngestOutcome, IngestStream,
    ScanAggregateQuery, ScanEvent, ScanGroup, ScanId, TrackingScan, Zip3, utc_day,
};
use steward_store::model::subject::IdentityKind;
use steward_store::values::{BlindToken, CategoryKey, ReasonCode};

use super::events::{BatchReport, EventOutcome, EventResult};
use crate::decisions::Decided;
use crate::error::CoreError;
use crate::{Caller, Steward};

/// A tracking scan as the USPS feed delivers it.
#[derive(Debug, Clone, Default)]
pub struct ScanInput {
    /// The package identification code (tracking number).
    pub pic: String,
    /// The scan event code (`accepted`, `in_transit`, `delivered`, or a USPS code like `DL`).
    pub event: String,
    /// When the scan happened (RFC 3339); default: when received.
    pub at: Option<String>,
    /// The scanning facility's ZIP code (only its first three digits are kept).
    pub zip: Option<String>,
    /// The subject whose package it is, if known.
    pub subject_id: Option<String>,
    /// The account that bought the postage, if known.
    pub account_id: Option<String>,
}

/// One scan as a status page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanView {
    /// When.
    pub at: Timestamp,
    /// The event code.
    pub event: String,
    /// The facility's ZIP3.
    pub zip3: Option<String>,
}

/// A derived dataset to register.
#[derive(Debug, Clone, Default)]
pub struct DatasetInput {
    /// Its name (`[a-z0-9_:.-]{1,64}`).
    pub name: String,
    /// The categories it reads directly.
    pub categories: Vec<String>,
    /// The registered datasets it is derived from.
    pub parents: Vec<DatasetId>,
}

/// The keyed token of a package id (domain-separated from device ids by its prefix).
fn pic_token(st: &Steward, pic: &str) -> Result<BlindToken, CoreError> {
    let p = pic.trim().to_ascii_uppercase();
    if !(8..=40).contains(&p.len()) || !p.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(CoreError::invalid(
            ErrorCode::BadPic,
            "a package id is 8 to 40 letters and digits",
        ));
    }
    Ok(st
        .identity_ref(IdentityKind::Device, &format!("usps-pic:{p}"))?
        .token)
}

fn use_request(category: &str, purpose: &str, subject: Option<SubjectId>) -> Request {
    let mut req = Request {
        op: Some(Op::CanUse),
        category: Some(category.into()),
        purpose: Some(purpose.into()),
        ..Request::default()
    };
    match subject {
        Some(s) => req.subject.id = Some(s.to_string()),
        None => req.subject.jurisdiction = Some("US".into()),
    }
    req
}

impl Steward {
    /// Ingest USPS tracking scans (USPS-04): one audited `can_collect` decision for the
    /// batch, then every scan checked on its own (a malformed scan is rejected with a reason,
    /// the rest kept), stored with its counters in one store call.
    ///
    /// # Errors
    /// `Denied` when the policy does not allow the collection; store and audit failures.
    pub async fn ingest_scans(
        &self,
        caller: &Caller,
        scans: Vec<ScanInput>,
    ) -> Result<BatchReport, CoreError> {
        let req = Request {
            op: Some(Op::CanCollect),
            category: Some("usps_tracking_data".into()),
            source: Some("usps".into()),
            ..Request::default()
        };
        let d = self.decide(caller, req, false).await?;
        if !d.allow {
            return Err(d.into_denied());
        }
        let now = self.clock.now();
        let mut report = BatchReport::default();
        let mut counts: BTreeMap<(IngestOutcome, &'static str), u64> = BTreeMap::new();
        let mut rows = Vec::with_capacity(scans.len());
        for (index, s) in scans.iter().enumerate() {
            match self.check_scan(s, now) {
                Ok(scan) => {
                    rows.push(scan);
                    report.accepted += 1;
                    *counts.entry((IngestOutcome::Accepted, "OK")).or_default() += 1;
                }
                Err((reason, message)) => {
                    report.rejected += 1;
                    *counts
                        .entry((IngestOutcome::Rejected, reason.as_str()))
                        .or_default() += 1;
                    report.results.push(EventResult {
                        index,
                        outcome: EventOutcome::Rejected,
                        reason: reason.into(),
                        message: Some(message),
                        stripped: Vec::new(),
                    });
                }
            }
        }
        let day = utc_day(now);
        let counters = counts
            .iter()
            .filter_map(|((o, r), n)| {
                Some(IngestCount {
                    day,
                    stream: IngestStream::UspsScan,
                    outcome: *o,
                    reason: ReasonCode::new(*r).ok()?,
                    count: *n,
                })
            })
            .collect::<Vec<_>>();
        self.store.ingest_scans(&rows, &counters).await?;
        self.audit
            .append(super::events::batch_audit(
                self,
                caller,
                "usps.scans",
                &counts,
            ))
            .await?;
        Ok(report)
    }

    fn check_scan(
        &self,
        s: &ScanInput,
        now: Timestamp,
    ) -> Result<TrackingScan, (ErrorCode, String)> {
        let pic = pic_token(self, &s.pic).map_err(|e| (ErrorCode::BadPic, e.to_string()))?;
        let event = ScanEvent::new(s.event.trim()).map_err(|_| {
            (
                ErrorCode::BadEvent,
                "`event` must match [A-Za-z0-9_:.-]{1,32}".to_string(),
            )
        })?;
        let at = match &s.at {
            None => now,
            Some(t) => t.parse::<Timestamp>().map_err(|_| {
                (
                    ErrorCode::BadTime,
                    "`at` is not an RFC 3339 time".to_string(),
                )
            })?,
        };
        let zip3 =
            match &s.zip {
                None => None,
                Some(z) => {
                    let digits: String = z.chars().take_while(char::is_ascii_digit).collect();
                    if digits.len() != 5 && digits.len() != 9 && digits.len() != 3 {
                        return Err((ErrorCode::BadZip, "`zip` is a 5-digit ZIP code".to_string()));
                    }
                    Some(Zip3::new(digits.get(..3).unwrap_or("")).map_err(|_| {
                        (ErrorCode::BadZip, "`zip` is a 5-digit ZIP code".to_string())
                    })?)
                }
            };
        let subject = match &s.subject_id {
            None => None,
            Some(x) => Some(x.parse::<SubjectId>().map_err(|_| {
                (
                    ErrorCode::BadSubject,
                    "`subject_id` is not a subject id".to_string(),
                )
            })?),
        };
        let account = match &s.account_id {
            None => None,
            Some(x) => Some(x.parse::<AccountId>().map_err(|_| {
                (
                    ErrorCode::BadAccount,
                    "`account_id` is not an account id".to_string(),
                )
            })?),
        };
        Ok(TrackingScan {
            id: ScanId::generate(),
            received_at: now,
            at,
            pic: Some(pic),
            event,
            zip3,
            subject,
            account,
            anonymized_at: None,
        })
    }

    /// The status of a package for its owner (USPS-04 `usps_tracking_status`): the use is
    /// decided for the subject of the scans (or, for scans of no known subject, for a US
    /// consumer) and audited.
    ///
    /// # Errors
    /// `Invalid(BAD_PIC)`, `Denied`, `NotFound` when nothing is known of the package.
    pub async fn package_status(
        &self,
        caller: &Caller,
        pic: &str,
    ) -> Result<Vec<ScanView>, CoreError> {
        let token = pic_token(self, pic)?;
        let scans = self.store.scans_by_package(&token).await?;
        if scans.is_empty() {
            return Err(CoreError::NotFound("package"));
        }
        let subject = scans.iter().find_map(|s| s.subject);
        let d = self
            .decide(
                caller,
                use_request("usps_tracking_data", "usps_tracking_status", subject),
                false,
            )
            .await?;
        if !d.allow {
            return Err(d.into_denied());
        }
        Ok(scans
            .into_iter()
            .map(|s| ScanView {
                at: s.at,
                event: s.event.as_str().to_string(),
                zip3: s.zip3.map(|z| z.as_str().to_string()),
            })
            .collect())
    }

    /// A subject's scans for a purpose (e.g. `security_fraud`): decided, audited; any purpose
    /// outside USPS-04's list is denied by the engine (`PURPOSE_NOT_ALLOWED`).
    ///
    /// # Errors
    /// `Denied`, `NotFound`.
    pub async fn scans_for(
        &self,
        caller: &Caller,
        subject: SubjectId,
        purpose: &str,
    ) -> Result<Vec<ScanView>, CoreError> {
        let d = self
            .decide(
                caller,
                use_request("usps_tracking_data", purpose, Some(subject)),
                false,
            )
            .await?;
        if !d.allow {
            return Err(d.into_denied());
        }
        Ok(self
            .store
            .scans_of(subject, 10_000)
            .await?
            .into_iter()
            .map(|s| ScanView {
                at: s.at,
                event: s.event.as_str().to_string(),
                zip3: s.zip3.map(|z| z.as_str().to_string()),
            })
            .collect())
    }

    /// A k-anonymous aggregate of scans (USPS-05) for `usps_aggregate_improvement`: groups
    /// with fewer distinct accounts than the policy's minimum group size are suppressed.
    ///
    /// # Errors
    /// `Denied`, store failures.
    pub async fn usps_aggregate(
        &self,
        caller: &Caller,
        group_by: ScanGroup,
        from: Timestamp,
        until: Timestamp,
    ) -> Result<Aggregate, CoreError> {
        let d = self
            .decide(
                caller,
                use_request("usps_tracking_data", "usps_aggregate_improvement", None),
                false,
            )
            .await?;
        if !d.allow {
            return Err(d.into_denied());
        }
        let k = self.engine().settings.aggregate_k.max(1);
        Ok(self
            .store
            .aggregate_scans(&ScanAggregateQuery {
                from,
                until,
                group_by,
                min_group: k,
            })
            .await?)
    }

    /// Register a derived dataset (DM-06): its lineage is the union of the categories it
    /// reads and the lineage of its parent datasets, so a derivative of a derivative of
    /// USPS data is still USPS data to the engine. Its retention is the strictest of its
    /// inputs' collection-time retentions.
    ///
    /// # Errors
    /// `Invalid` (bad name, no input), `Denied(UNREGISTERED_CATEGORY)` for an unknown
    /// category, `NotFound` for an unknown parent.
    pub async fn register_dataset(
        &self,
        caller: &Caller,
        input: DatasetInput,
    ) -> Result<DatasetRecord, CoreError> {
        let engine = self.engine();
        let now = self.clock.now();
        let name = DatasetName::new(input.name.clone())
            .map_err(|e| CoreError::invalid(ErrorCode::BadName, e.to_string()))?;
        let mut lineage: Vec<String> = Vec::new();
        let mut retain_until: Option<Timestamp> = None;
        for c in &input.categories {
            let Some(id) = engine.category(c) else {
                return Err(CoreError::invalid(
                    ErrorCode::UnregisteredCategory,
                    format!("`{c}` is not a category of the policy"),
                ));
            };
            if let Some(t) = crate::items::retention_deadline(&engine, id, now) {
                retain_until = Some(retain_until.map_or(t, |r| r.min(t)));
            }
            lineage.push(c.clone());
        }
        for p in &input.parents {
            let parent = self.store.get_dataset(*p).await?;
            lineage.extend(parent.lineage.iter().map(|c| c.as_str().to_string()));
            if let Some(t) = parent.retain_until {
                retain_until = Some(retain_until.map_or(t, |r| r.min(t)));
            }
        }
        lineage.sort();
        lineage.dedup();
        if lineage.is_empty() {
            return Err(CoreError::invalid(
                ErrorCode::NoLineage,
                "a derived dataset names the categories or datasets it comes from",
            ));
        }
        let record = DatasetRecord {
            id: DatasetId::generate(),
            name,
            lineage: lineage
                .iter()
                .map(|c| CategoryKey::new(c.clone()))
                .collect::<Result<_, _>>()
                .map_err(|e| CoreError::invalid(ErrorCode::BadCategory, e.to_string()))?,
            parents: input.parents.clone(),
            created_at: now,
            retain_until,
        };
        self.store.put_dataset(&record).await?;
        let mut e = self.event(
            steward_store::model::audit::AuditKind::Write,
            "dataset.register",
            caller,
        );
        e.categories = record.lineage.clone();
        self.audit.append_one(e).await?;
        self.store.get_dataset(record.id).await.map_err(Into::into)
    }

    /// May a derived dataset be used for `purpose`? Decided (and audited) once per category
    /// of its lineage with `context.derived_from = lineage`, so every lock of every input
    /// applies (USPS-03: `USPS_PURPOSE_LOCK` for anything outside regulatory oversight). The
    /// first denial is returned as `Denied`; the answer is the last allow. The agreements of
    /// the policy (`[[agreement]]`) count as accepted: they gate each account's own data when
    /// it is collected and used, not a dataset pooled from many accounts.
    ///
    /// # Errors
    /// `Denied`, `NotFound`.
    pub async fn use_dataset(
        &self,
        caller: &Caller,
        id: DatasetId,
        purpose: &str,
    ) -> Result<Decided, CoreError> {
        let d = self.store.get_dataset(id).await?;
        let lineage: Vec<String> = d.lineage.iter().map(|c| c.as_str().to_string()).collect();
        // Locked categories first, so a lock is the reason given when one applies.
        let mut order = lineage.clone();
        order.sort_by_key(|c| !c.starts_with("usps_regulatory"));
        let mut last = None;
        for c in order {
            let mut req = use_request(&c, purpose, None);
            req.context.derived_from = lineage.clone();
            req.context.retain_until = d.retain_until.map(|t| t.to_string());
            // A dataset pools many accounts' data: the agreements each account accepted
            // (CUST-01, USPSPA-01) gated the collection of its rows, not this use.
            req.context.agreements = self
                .engine()
                .agreements
                .iter()
                .map(|a| a.key.clone())
                .collect();
            // The dataset holds its categories: what a use needs provided is in it (USPS-07).
            req.context.provided_categories = lineage.clone();
            let decided = self.decide(caller, req, false).await?;
            if !decided.allow {
                return Err(decided.into_denied());
            }
            last = Some(decided);
        }
        last.ok_or(CoreError::NotFound("dataset"))
    }
}
