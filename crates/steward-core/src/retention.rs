//! The retention sweep (RET-01, RET-02, RET-03, DEC-14, IPPS-05, CHAT-04): deletes or anonymizes what
//! has passed its retention under the policy, respecting legal holds, with a dry run and a
//! report of counts per category.
//!
//! What it does at `now`:
//! - **items** (the vault) whose `retain_until` is at or before `now`: erased (ciphertext
//!   deleted, tombstone kept for restores, RET-04), unless a legal hold of their subject
//!   covers them (RET-03: kept and counted as `held`);
//! - **usage events** received before `now −` the retention of `pages_viewed` (13 months in
//!   the shipped policy): deleted, except those of held subjects;
//! - **log-in security records** whose `retain_until` (collection + 90 days) has passed:
//!   deleted, except those of held subjects (IPPS-05);
//! - **USPS scans** received before `now −` the retention of `usps_tracking_data` (2 years):
//!   anonymized — package token, subject and account cleared, ZIP3, event and date kept for
//!   aggregates — except those of held subjects.
//!
//! Items whose clock starts at a lifecycle event (account closed, last activity, contract
//! end) get their `retain_until` when the event is recorded (`crate::lifecycle`); from then
//! on they are swept like any other. **Derived items** (RET-06) go with their source: when an
//! item is erased, every live item recorded as derived from it (`ItemInput::derived_from`),
//! and what is derived from those, is erased in the same run, unless a hold covers it (a
//! held derived item is kept, and so is what derives from it).
//!
//! A **dry run** also lists each item that would go or is held (`RetentionReport::due`, at
//! most [`MAX_LISTED`]): its category, the retention rule, the event that started the clock
//! and its date, the deadline, and for a held item the hold and its reason.
//!
//! Holds whose review date has passed are reported (`HOLD_REVIEW_OVERDUE`). The sweep is
//! idempotent: what it erased is no longer due, so a second run reports zeros. A dry run
//! counts exactly what a real run would do and changes nothing. A real run is audited with
//! one `retention.sweep` entry carrying the counts.

use std::collections::{BTreeMap, HashMap, HashSet};

use jiff::Timestamp;
use steward_store::ids::{ItemId, SubjectId};
use steward_store::model::audit::{Attribute, AuditKind};
use steward_store::model::request::LegalHoldRecord;
use steward_store::values::{AttrValue, CategoryKey, FieldName};

use crate::error::CoreError;
use crate::{Caller, Steward};

/// The most items a dry run lists (the counts are always complete).
pub const MAX_LISTED: usize = 10_000;

/// An item a sweep would erase, or keeps for a hold (listed by a dry run).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueItem {
    /// The item.
    pub item: ItemId,
    /// Its subject.
    pub subject: SubjectId,
    /// Its category.
    pub category: String,
    /// The category's retention (`P3Y`), or `with_source` for a derived item (RET-06).
    pub rule: String,
    /// What started the clock: `collected`, `account_closed`, `last_activity`,
    /// `contract_end`, `ticket_closed`, or `source_erased` for a derived item.
    pub clock: String,
    /// When the clock started, when known (the collection time, the recorded lifecycle event;
    /// for a derived item the sweep time).
    pub clock_at: Option<Timestamp>,
    /// The deadline it passed (`None` for a derived item going with its source).
    pub retain_until: Option<Timestamp>,
    /// The item it was derived from, when it goes with it.
    pub derived_from: Option<ItemId>,
    /// The hold that keeps it, with the hold's reason; `None`: it goes.
    pub held_by: Option<(String, String)>,
}

/// How to run the sweep.
#[derive(Debug, Clone, Copy)]
pub struct RetentionOptions {
    /// Count only; change nothing.
    pub dry_run: bool,
    /// Rows per store call (keeps each write short). Default 1000.
    pub batch: u32,
}

impl Default for RetentionOptions {
    fn default() -> Self {
        RetentionOptions {
            dry_run: false,
            batch: 1000,
        }
    }
}

/// Counts for one category or stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SweepCount {
    /// Erased, deleted or anonymized (in a dry run: would be).
    pub done: u64,
    /// Kept because of a legal hold.
    pub held: u64,
}

/// A hold past its review date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverdueHold {
    /// The hold.
    pub hold: String,
    /// Its subject.
    pub subject: SubjectId,
    /// When it should have been reviewed.
    pub review_at: Timestamp,
    /// Always `HOLD_REVIEW_OVERDUE`.
    pub alert: &'static str,
}

/// What a sweep did (or, in a dry run, would do).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetentionReport {
    /// The sweep time.
    pub at: Timestamp,
    /// Whether nothing was changed.
    pub dry_run: bool,
    /// Vault items erased, per category.
    pub items: BTreeMap<String, SweepCount>,
    /// Usage events deleted (received before `usage_cutoff`).
    pub usage_events: SweepCount,
    /// The usage-event cut-off.
    pub usage_cutoff: Option<Timestamp>,
    /// Log-in security records deleted.
    pub logins: SweepCount,
    /// USPS scans anonymized (received before `scan_cutoff`).
    pub usps_scans: SweepCount,
    /// The USPS-scan cut-off.
    pub scan_cutoff: Option<Timestamp>,
    /// Holds past their review date met during the sweep.
    pub overdue_holds: Vec<OverdueHold>,
    /// In a dry run: the items that would go or are held, and why (at most [`MAX_LISTED`]).
    pub due: Vec<DueItem>,
    /// Whether `due` was cut at [`MAX_LISTED`].
    pub due_truncated: bool,
}

impl RetentionReport {
    /// Everything done (erased, deleted, anonymized) by the sweep.
    #[must_use]
    pub fn total_done(&self) -> u64 {
        self.items.values().map(|c| c.done).sum::<u64>()
            + self.usage_events.done
            + self.logins.done
            + self.usps_scans.done
    }

    /// Everything kept for a hold.
    #[must_use]
    pub fn total_held(&self) -> u64 {
        self.items.values().map(|c| c.held).sum::<u64>()
            + self.usage_events.held
            + self.logins.held
            + self.usps_scans.held
    }
}

/// `now − retention(category)`, when the category has a collection-time retention.
fn cutoff(engine: &steward_policy::Engine, category: &str, now: Timestamp) -> Option<Timestamp> {
    let info = engine.category_info(engine.category(category)?);
    if info.retention_trigger != "collected" {
        return None;
    }
    now.to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .checked_sub(info.retention?)
        .ok()
        .map(|z| z.timestamp())
}

struct Holds<'a> {
    st: &'a Steward,
    now: Timestamp,
    by_subject: HashMap<SubjectId, Vec<LegalHoldRecord>>,
    overdue: Vec<OverdueHold>,
    seen: HashSet<String>,
}

impl Holds<'_> {
    async fn of(&mut self, s: SubjectId) -> Result<&[LegalHoldRecord], CoreError> {
        if !self.by_subject.contains_key(&s) {
            let holds: Vec<LegalHoldRecord> = self
                .st
                .store
                .legal_holds_of(s)
                .await?
                .into_iter()
                .filter(LegalHoldRecord::is_active)
                .collect();
            for h in &holds {
                if h.review_at < self.now && self.seen.insert(h.id.to_string()) {
                    self.overdue.push(OverdueHold {
                        hold: h.id.to_string(),
                        subject: h.subject,
                        review_at: h.review_at,
                        alert: "HOLD_REVIEW_OVERDUE",
                    });
                }
            }
            self.by_subject.insert(s, holds);
        }
        Ok(self.by_subject.get(&s).map_or(&[], Vec::as_slice))
    }

    /// The hold covering `item`, as (hold id, reason).
    async fn covering(
        &mut self,
        s: SubjectId,
        item: ItemId,
    ) -> Result<Option<(String, String)>, CoreError> {
        Ok(self
            .of(s)
            .await?
            .iter()
            .find(|h| h.covers(item))
            .map(|h| (h.id.to_string(), h.reason.as_str().to_string())))
    }

    /// Of `subjects`, those with an active hold covering all their data (a hold that lists
    /// items holds those items only, and events are not items).
    async fn whole(&mut self, subjects: Vec<SubjectId>) -> Result<Vec<SubjectId>, CoreError> {
        let mut out = Vec::new();
        for s in subjects {
            if self.of(s).await?.iter().any(|h| h.items.is_empty()) {
                out.push(s);
            }
        }
        Ok(out)
    }
}

impl Steward {
    /// Run the retention sweep at the service clock's `now` (see the module docs).
    ///
    /// # Errors
    /// Store and audit failures (what was done before the failure stays done; a new run
    /// continues where this one stopped).
    pub async fn run_retention(
        &self,
        caller: &Caller,
        opts: RetentionOptions,
    ) -> Result<RetentionReport, CoreError> {
        let now = self.clock.now();
        let engine = self.engine();
        let batch = opts.batch.max(1);
        let mut holds = Holds {
            st: self,
            now,
            by_subject: HashMap::new(),
            overdue: Vec::new(),
            seen: HashSet::new(),
        };
        let mut report = RetentionReport {
            at: now,
            dry_run: opts.dry_run,
            items: BTreeMap::new(),
            usage_events: SweepCount::default(),
            usage_cutoff: None,
            logins: SweepCount::default(),
            usps_scans: SweepCount::default(),
            scan_cutoff: None,
            overdue_holds: Vec::new(),
            due: Vec::new(),
            due_truncated: false,
        };
        let mut lister = Lister {
            on: opts.dry_run,
            events: HashMap::new(),
        };

        // Items. Held items (and, in a dry run, every item) stay due, so each page asks for
        // what was already seen plus one batch and handles only the new ones.
        let mut seen: HashSet<ItemId> = HashSet::new();
        loop {
            let want = u32::try_from(seen.len())
                .unwrap_or(u32::MAX)
                .saturating_add(batch);
            let due = self.store.items_past_retention(now, want).await?;
            let fresh: Vec<_> = due.into_iter().filter(|i| !seen.contains(&i.id)).collect();
            if fresh.is_empty() {
                break;
            }
            for item in fresh {
                if !seen.insert(item.id) {
                    // Already erased (or listed) with its source this run.
                    continue;
                }
                let held = holds.covering(item.subject, item.id).await?;
                let count = report
                    .items
                    .entry(item.category.as_str().to_string())
                    .or_default();
                let gone = held.is_none();
                if gone {
                    // A dry run counts; a real run counts what it erased (another sweep may
                    // have raced it to the same item).
                    if opts.dry_run || self.store.erase_item(item.id, now).await? {
                        count.done += 1;
                    }
                    if !opts.dry_run {
                        // The facts name the categories the subject still has (USPS-07).
                        self.facts.invalidate(item.subject);
                    }
                } else {
                    count.held += 1;
                }
                if lister.on {
                    let listed = lister.due(self, &engine, &item, held).await?;
                    push_listed(&mut report, listed);
                }
                if gone {
                    self.erase_derived(
                        item.id,
                        now,
                        opts.dry_run,
                        &mut seen,
                        &mut holds,
                        &mut report,
                    )
                    .await?;
                }
            }
        }

        // Usage events.
        if let Some(cut) = cutoff(&engine, "pages_viewed", now) {
            report.usage_cutoff = Some(cut);
            let keep = holds
                .whole(self.store.usage_subjects_before(cut).await?)
                .await?;
            report.usage_events = drain(opts.dry_run, || {
                self.store.purge_usage(cut, &keep, batch, opts.dry_run)
            })
            .await?;
        }

        // Log-in security records (their own deadline is stored with each record).
        let keep = holds
            .whole(self.store.login_subjects_due(now).await?)
            .await?;
        report.logins = drain(opts.dry_run, || {
            self.store.purge_logins(now, &keep, batch, opts.dry_run)
        })
        .await?;

        // USPS scans: anonymized.
        if let Some(cut) = cutoff(&engine, "usps_tracking_data", now) {
            report.scan_cutoff = Some(cut);
            let keep = holds
                .whole(self.store.scan_subjects_before(cut).await?)
                .await?;
            report.usps_scans = drain(opts.dry_run, || {
                self.store
                    .anonymize_scans(cut, now, &keep, batch, opts.dry_run)
            })
            .await?;
        }

        report.overdue_holds = holds.overdue;
        if !opts.dry_run {
            self.audit
                .append_one(self.sweep_event(caller, &report))
                .await?;
        }
        Ok(report)
    }

    /// RET-06: erases (or in a dry run counts) the live items derived from `source`, and what
    /// derives from them, unless held. Each is counted under its own category.
    async fn erase_derived(
        &self,
        source: ItemId,
        now: Timestamp,
        dry_run: bool,
        seen: &mut HashSet<ItemId>,
        holds: &mut Holds<'_>,
        report: &mut RetentionReport,
    ) -> Result<(), CoreError> {
        let mut frontier = vec![source];
        while !frontier.is_empty() {
            let mut next = Vec::new();
            for parent in &frontier {
                for id in self.store.items_derived_from(&[*parent]).await? {
                    let child = self.store.get_item(id).await?;
                    if child.erased_at.is_some() || !seen.insert(id) {
                        continue;
                    }
                    let held = holds.covering(child.subject, id).await?;
                    let count = report
                        .items
                        .entry(child.category.as_str().to_string())
                        .or_default();
                    if held.is_none() {
                        if dry_run || self.store.erase_item(id, now).await? {
                            count.done += 1;
                        }
                        if !dry_run {
                            self.facts.invalidate(child.subject);
                        }
                        next.push(id);
                    } else {
                        count.held += 1;
                    }
                    if dry_run {
                        push_listed(
                            report,
                            DueItem {
                                item: id,
                                subject: child.subject,
                                category: child.category.as_str().to_string(),
                                rule: "with_source".into(),
                                clock: "source_erased".into(),
                                clock_at: Some(now),
                                retain_until: child.retain_until,
                                derived_from: Some(*parent),
                                held_by: held,
                            },
                        );
                    }
                }
            }
            frontier = next;
        }
        Ok(())
    }

    fn sweep_event(
        &self,
        caller: &Caller,
        r: &RetentionReport,
    ) -> steward_store::model::audit::AuditEvent {
        let mut e = self.event(AuditKind::System, "retention.sweep", caller);
        e.categories = r
            .items
            .iter()
            .filter(|(_, c)| c.done > 0)
            .filter_map(|(k, _)| CategoryKey::new(k.clone()).ok())
            .collect();
        let mut attrs: Vec<(String, u64)> = r
            .items
            .iter()
            .flat_map(|(k, c)| {
                [
                    (format!("erased:{k}"), c.done),
                    (format!("held:{k}"), c.held),
                ]
            })
            .collect();
        attrs.extend([
            ("deleted:usage_events".to_string(), r.usage_events.done),
            ("held:usage_events".to_string(), r.usage_events.held),
            ("deleted:logins".to_string(), r.logins.done),
            ("held:logins".to_string(), r.logins.held),
            ("anonymized:usps_scans".to_string(), r.usps_scans.done),
            ("held:usps_scans".to_string(), r.usps_scans.held),
            ("overdue_holds".to_string(), r.overdue_holds.len() as u64),
        ]);
        e.attributes = attrs
            .into_iter()
            .filter(|(_, n)| *n > 0)
            .filter_map(|(k, n)| {
                Some(Attribute {
                    name: FieldName::new(k).ok()?,
                    value: AttrValue::new(n.to_string()).ok()?,
                })
            })
            .collect();
        e
    }
}

fn push_listed(report: &mut RetentionReport, d: DueItem) {
    if report.due.len() < MAX_LISTED {
        report.due.push(d);
    } else {
        report.due_truncated = true;
    }
}

/// Explains the items a dry run lists: the rule and the event that started its clock.
struct Lister {
    on: bool,
    events: HashMap<SubjectId, Vec<steward_store::model::lifecycle::LifecycleEvent>>,
}

impl Lister {
    async fn due(
        &mut self,
        st: &Steward,
        engine: &steward_policy::Engine,
        item: &steward_store::model::item::ItemRecord,
        held_by: Option<(String, String)>,
    ) -> Result<DueItem, CoreError> {
        let info = engine
            .category(item.category.as_str())
            .map(|c| engine.category_info(c));
        let (rule, clock) = info.map_or_else(
            || ("unknown".to_string(), "unknown".to_string()),
            |i| (i.retention_text.clone(), i.retention_trigger.clone()),
        );
        let clock_at = match clock.as_str() {
            "collected" => Some(item.collected_at),
            "account_closed" | "last_activity" | "contract_end" => {
                let ev = match self.events.entry(item.subject) {
                    std::collections::hash_map::Entry::Occupied(o) => o.into_mut(),
                    std::collections::hash_map::Entry::Vacant(v) => {
                        v.insert(st.store.lifecycle_events(item.subject).await?)
                    }
                };
                crate::lifecycle::clock_start(ev, &clock)
            }
            _ => None,
        };
        Ok(DueItem {
            item: item.id,
            subject: item.subject,
            category: item.category.as_str().to_string(),
            rule,
            clock,
            clock_at,
            retain_until: item.retain_until,
            derived_from: None,
            held_by,
        })
    }
}

/// Runs a bounded purge until it finds nothing (or once, for a dry run); sums the counts.
async fn drain<F, Fut>(dry_run: bool, mut step: F) -> Result<SweepCount, CoreError>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<
            Output = Result<steward_store::model::event::PurgeCount, steward_store::StoreError>,
        >,
{
    let mut total = SweepCount::default();
    loop {
        let c = step().await?;
        total.done += c.affected;
        total.held = c.held;
        if dry_run || c.affected == 0 {
            break;
        }
    }
    Ok(total)
}
