//! Usage events at the door (`POST /v1/events`, `steward events import`), the log-in
//! security log, and aggregates over usage.
//!
//! For each event of a batch, in order:
//! 1. it is checked (tracker name, time, ids, page and link paths, address); a malformed
//!    event is rejected with a reason and the rest of the batch goes on;
//! 2. the device's facts are resolved: its own ledger, or the ledger of the subject it is
//!    linked to (GPC-04), and its jurisdiction (DM-04: the subject's residency, else the
//!    caller's hint, else the region of the address, else unknown = the strict rules);
//! 3. the engine decides `can_set_tracker` for the tracker the event came through
//!    (COOKIE-11): a denied event is dropped and counted under the reason, never stored;
//! 4. fields the tracker's purpose may not use are stripped (a page viewed through the
//!    session cookie, say);
//! 5. the address: its /24 or /48 is looked up for the region first (IPPS-03), then it is
//!    replaced by its keyed pseudonym under the epoch key (IPPS-01, IPPS-02). The raw address is
//!    dropped here and never reaches the store.
//!
//! Then the batch is written with its counters in **one** store call, and audited with one
//! summary entry plus one `events.dropped` entry per drop reason (counts, never values).

use std::collections::{BTreeMap, HashMap};
use std::net::IpAddr;
use std::sync::Arc;
use steward_errors::ErrorCode;

use jiff::Timestamp;
use steward_policy::ids::TrackerId;
use steward_policy::{Context, Engine, Jurisdiction, Subject, SubjectKind};
use steward_store::ids::SubjectId;
use steward_store::model::audit::{Attribute, AuditEvent, AuditKind};
use steward_store::model::choice::Party;
use steward_store::model::event::{
    Aggregate, BrowserFamily, EventKind, IngestCount, IngestOutcome, IngestStream, IpPseudonym,
    LoginId, LoginRecord, PagePath, TrackerKey, UsageAggregateQuery, UsageEvent, UsageEventId,
    UsageGroup, utc_day,
};
use steward_store::model::subject::{IdentityKind, IdentityRef};
use steward_store::values::{AttrValue, Ciphertext, FieldName, ReasonCode};
use steward_vault::{IpPrefix, Sensitive, canonical_ip, parse_ip, truncate_prefix};

use super::{DeviceFacts, Ingestor};
use crate::error::CoreError;
use crate::{Caller, Steward};

/// One usage event as a caller sends it (the HTTP API's `UsageEvent`, decoded).
#[derive(Debug, Clone, Default)]
pub struct UsageEventInput {
    /// What happened: `page_view`, `click`, ... (`[a-z0-9_:.-]{1,64}`).
    pub kind: String,
    /// The tracker the event was collected through (COOKIE-01), e.g. `analytics_uid`.
    pub tracker: String,
    /// When it happened (RFC 3339); default: when received.
    pub at: Option<String>,
    /// The cookie id of the browser.
    pub cookie_id: Option<String>,
    /// The device id of an app.
    pub device_id: Option<String>,
    /// The client address. Used for the coarse region and pseudonymized; never stored.
    pub ip: Option<String>,
    /// The page viewed: a URL or a path; the query string and fragment are dropped.
    pub page: Option<String>,
    /// The link clicked: a URL or a path; the query string and fragment are dropped.
    pub link: Option<String>,
    /// The browser family (`firefox`, `chrome` ...), not the full user agent.
    pub browser: Option<String>,
    /// The visitor was signed in.
    pub registered: bool,
    /// The request that produced the event carried `Sec-GPC: 1` (GPC-01).
    pub gpc: bool,
    /// The jurisdiction as the edge resolved it (`US-CA`, `FR`), used when the device is not
    /// linked to a subject with a known residency (DM-04 step 3).
    pub jurisdiction: Option<String>,
}

/// One element of a batch: an event that decoded, or why it did not (it is rejected with
/// that message, and the rest of the batch is kept).
#[derive(Debug, Clone)]
// The common case is the large variant: boxing it would cost an allocation per event.
#[expect(
    clippy::large_enum_variant,
    reason = "The common case is the large variant: boxing it would cost an allocation per event."
)]
pub enum EventSlot {
    /// A well-formed event.
    Event(UsageEventInput),
    /// An element that does not decode, with what is wrong (no personal data).
    Malformed(String),
}

/// What happened to one event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventOutcome {
    /// Stored (the address only as its pseudonym).
    Accepted,
    /// Stored without the fields its purpose may not use.
    Stripped,
    /// Not stored: the policy does not allow it.
    Dropped,
    /// Not stored: malformed.
    Rejected,
}

/// The result of one event that was not stored exactly as sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventResult {
    /// Its position in the batch.
    pub index: usize,
    /// What happened.
    pub outcome: EventOutcome,
    /// Why (`CONSENT_REQUIRED`, `OPTED_OUT`, `NO_RULE`, `BAD_IP`, `PURPOSE_NOT_ALLOWED` ...).
    pub reason: String,
    /// For a rejected event: what is wrong (no personal data).
    pub message: Option<String>,
    /// For a stripped event: the fields removed.
    pub stripped: Vec<&'static str>,
}

/// The answer to a batch.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BatchReport {
    /// Events stored as sent (less the raw address).
    pub accepted: u64,
    /// Events stored without some fields.
    pub stripped: u64,
    /// Events not stored by policy.
    pub dropped: u64,
    /// Events rejected as malformed.
    pub rejected: u64,
    /// Every event not stored exactly as sent, in batch order.
    pub results: Vec<EventResult>,
}

/// A log-in to record in the security log (IPPS-05).
#[derive(Debug, Clone)]
pub struct LoginInput {
    /// Who logged in.
    pub subject: SubjectId,
    /// From which address (kept sealed, for log-in security only).
    pub ip: Sensitive<String>,
    /// The device id, if any.
    pub device_id: Option<Sensitive<String>>,
}

/// A log-in record read back by the security team.
#[derive(Debug, Clone)]
pub struct LoginView {
    /// The record id.
    pub id: LoginId,
    /// When.
    pub at: Timestamp,
    /// The address.
    pub ip: Sensitive<IpAddr>,
    /// When it will be purged.
    pub retain_until: Timestamp,
}

// Field bits (the categories an event may carry).
const F_COOKIE: u8 = 1;
const F_DEVICE: u8 = 2;
const F_PAGE: u8 = 4;
const F_LINK: u8 = 8;
const F_BROWSER: u8 = 16;
const F_IP: u8 = 32;

const FIELDS: [(u8, &str, &str); 6] = [
    (F_COOKIE, "cookie_id", "cookie_id"),
    (F_DEVICE, "device_id", "device_id"),
    (F_PAGE, "page", "pages_viewed"),
    (F_LINK, "link", "clicked_links"),
    (F_BROWSER, "browser", "browser_type"),
    (F_IP, "ip", "ip_geo_token"),
];

/// What the policy lets each tracker's events carry, computed once per batch.
struct Plan {
    /// Per tracker id: the fields its purpose may use.
    allowed: Vec<u8>,
}

impl Plan {
    fn new(engine: &Engine) -> Plan {
        // The address is collected for location and traffic monitoring (IPPS-01), whatever
        // the tracker: it is kept when that purpose may use pseudonymized addresses.
        let ip_ok = engine
            .purpose("location_traffic_monitoring")
            .zip(engine.category("ip_geo_token"))
            .is_some_and(|(p, c)| engine.purpose_info(p).categories.contains(c));
        let allowed = engine
            .tracker_ids()
            .map(|t| {
                let p = engine.purpose_info(engine.tracker_info(t).purpose);
                let mut mask = 0u8;
                for (bit, _, cat) in FIELDS {
                    if bit == F_IP {
                        if ip_ok {
                            mask |= bit;
                        }
                    } else if engine
                        .category(cat)
                        .is_some_and(|c| p.categories.contains(c))
                    {
                        mask |= bit;
                    }
                }
                mask
            })
            .collect();
        Plan { allowed }
    }
}

/// A checked event, before the decision.
struct Checked {
    index: usize,
    kind: EventKind,
    tracker: Option<TrackerId>,
    tracker_key: TrackerKey,
    at: Timestamp,
    device: Option<(IdentityRef, usize)>,
    cookie_raw: Option<usize>,
    page: Option<PagePath>,
    link: Option<PagePath>,
    browser: Option<BrowserFamily>,
    ip: Option<IpAddr>,
    prefix: Option<IpPrefix>,
    hint: Option<Jurisdiction>,
    registered: bool,
    gpc: bool,
}

struct Reject {
    reason: ErrorCode,
    message: String,
}

fn reject(reason: ErrorCode, message: impl Into<String>) -> Reject {
    Reject {
        reason,
        message: message.into(),
    }
}

/// A URL or path reduced to what may be stored: the path (or `//host/path` for another
/// site), without query string or fragment.
pub fn clean_path(raw: &str) -> Result<PagePath, String> {
    let t = raw.trim();
    let cut = t.find(['?', '#']).map_or(t, |i| &t[..i]);
    let lower = cut
        .get(..8)
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let rest = if lower.starts_with("https://") {
        cut.get(8..)
    } else if lower.starts_with("http://") {
        cut.get(7..)
    } else {
        cut.strip_prefix("//")
    };
    let path = match rest {
        Some(r) => {
            let (host, path) = r.split_once('/').unwrap_or((r, ""));
            if host.is_empty() || host.contains('@') {
                return Err("the URL has no host, or carries credentials".into());
            }
            format!("//{}/{path}", host.to_ascii_lowercase())
        }
        None if cut.is_empty() => "/".to_string(),
        None => cut.to_string(),
    };
    PagePath::new(path).map_err(|e| e.to_string())
}

struct Device<'a> {
    raw: &'a str,
    kind: IdentityKind,
}

impl Ingestor {
    /// Ingest a batch of usage events (see the module docs). Returns the per-event results
    /// of every event not stored exactly as sent, and the counts.
    ///
    /// # Errors
    /// `Invalid(BATCH_TOO_LARGE)`; store or audit failures (the whole batch is then not
    /// stored; nothing is half-written).
    pub async fn ingest_events(
        &self,
        caller: &Caller,
        batch: Vec<EventSlot>,
    ) -> Result<BatchReport, CoreError> {
        if batch.len() > self.config.max_batch {
            return Err(CoreError::invalid(
                ErrorCode::BatchTooLarge,
                format!(
                    "a batch holds at most {} events, this one has {}",
                    self.config.max_batch,
                    batch.len()
                ),
            ));
        }
        let st = &self.steward;
        let engine = st.engine();
        let now = st.clock().now();
        let key = self.epoch_key(now)?;
        let plan = Plan::new(&engine);
        let mut report = BatchReport::default();
        let mut counts: BTreeMap<(IngestOutcome, &'static str), u64> = BTreeMap::new();

        // 1. Check every event; compute each distinct device's blind token once.
        let mut raw_devices: Vec<Device<'_>> = Vec::new();
        let mut device_index: HashMap<(&str, u8), usize> = HashMap::new();
        let mut refs: Vec<Option<IdentityRef>> = Vec::new();
        let mut checked: Vec<Checked> = Vec::with_capacity(batch.len());
        for (index, slot) in batch.iter().enumerate() {
            let result = match slot {
                EventSlot::Event(e) => self.check(
                    index,
                    e,
                    now,
                    &engine,
                    &mut raw_devices,
                    &mut device_index,
                    &mut refs,
                ),
                EventSlot::Malformed(message) => {
                    Err(reject(ErrorCode::MalformedEvent, message.clone()))
                }
            };
            match result {
                Ok(c) => checked.push(c),
                Err(r) => {
                    report.rejected += 1;
                    *counts
                        .entry((IngestOutcome::Rejected, r.reason.as_str()))
                        .or_default() += 1;
                    report.results.push(EventResult {
                        index,
                        outcome: EventOutcome::Rejected,
                        reason: r.reason.to_string(),
                        message: Some(r.message),
                        stripped: Vec::new(),
                    });
                }
            }
        }

        // 2. Facts of each distinct device (cached across batches for a short while).
        let mut facts: Vec<Option<Arc<DeviceFacts>>> = Vec::with_capacity(refs.len());
        for r in &refs {
            facts.push(match r {
                Some(r) => Some(self.device_facts(r).await?),
                None => None,
            });
        }
        // GPC seen on a device for the first time: persist it (GPC-03, GPC-10).
        let mut gpc_done: Vec<bool> = vec![false; refs.len()];
        for c in &checked {
            if let (true, Some((r, i))) = (c.gpc, &c.device)
                && !gpc_done[*i]
            {
                gpc_done[*i] = true;
                let seen = facts[*i].as_ref().is_some_and(|f| {
                    f.entries.iter().any(|e| {
                        matches!(e.key, steward_policy::choices::ChoiceKey::Gpc) && e.value
                    })
                });
                if !seen && let Some(d) = raw_devices.get(*i) {
                    st.record_gpc(
                        caller,
                        crate::choices::ChoiceParty::Device {
                            kind: d.kind,
                            id: Sensitive::new(d.raw.to_string()),
                        },
                    )
                    .await?;
                    self.devices.forget(r);
                }
            }
        }

        // 3–5. Decide, strip, pseudonymize.
        let mut folds: HashMap<(usize, Option<Jurisdiction>), Subject> = HashMap::new();
        let mut regions: HashMap<IpPrefix, Option<steward_store::Jurisdiction>> = HashMap::new();
        let mut records: Vec<UsageEvent> = Vec::with_capacity(checked.len());
        for c in checked {
            let region = match (c.prefix, &self.config.geo) {
                (Some(p), Some(db)) => regions.entry(p).or_insert_with(|| db.region(p)).clone(),
                _ => None,
            };
            let (subject, linked) = self
                .subject_for(&engine, &c, &facts, region.as_ref(), now, &mut folds)
                .await?;
            let Some(tracker) = c.tracker else {
                drop_event(&mut report, &mut counts, c.index, "NO_RULE");
                continue;
            };
            let mut ctx = Context::at(now);
            ctx.gpc_signal = c.gpc;
            let d = engine.can_set_tracker(&subject, Some(tracker), &ctx);
            if !d.allow {
                drop_event(&mut report, &mut counts, c.index, d.reason.code());
                continue;
            }
            let allowed = plan.allowed.get(tracker.index()).copied().unwrap_or(0);
            let mut present = 0u8;
            let device = c.device.map(|(r, _)| {
                present |= if r.kind == IdentityKind::Cookie {
                    F_COOKIE
                } else {
                    F_DEVICE
                };
                r
            });
            for (bit, on) in [
                (F_PAGE, c.page.is_some()),
                (F_LINK, c.link.is_some()),
                (F_BROWSER, c.browser.is_some()),
                (F_IP, c.ip.is_some()),
            ] {
                if on {
                    present |= bit;
                }
            }
            let removed = present & !allowed;
            let keep = |bit: u8| allowed & bit != 0;
            let device = device.filter(|r| {
                keep(if r.kind == IdentityKind::Cookie {
                    F_COOKIE
                } else {
                    F_DEVICE
                })
            });
            let ip = match c.ip {
                Some(addr) if keep(F_IP) => {
                    // SECURITY: the only thing that leaves this function about the address
                    // is its keyed pseudonym (and the region looked up from its prefix).
                    let t = key.token(addr);
                    Some(IpPseudonym {
                        epoch: t.epoch().get(),
                        token: *t.as_bytes(),
                    })
                }
                _ => None,
            };
            records.push(UsageEvent {
                id: UsageEventId::generate(),
                received_at: now,
                at: c.at,
                tracker: c.tracker_key,
                kind: c.kind,
                subject: linked.filter(|_| device.is_some()),
                device,
                page: c.page.filter(|_| keep(F_PAGE)),
                link: c.link.filter(|_| keep(F_LINK)),
                browser: c.browser.filter(|_| keep(F_BROWSER)),
                geo: if ip.is_some() { region } else { None },
                ip,
                registered: c.registered,
            });
            if removed == 0 {
                report.accepted += 1;
                *counts.entry((IngestOutcome::Accepted, "OK")).or_default() += 1;
            } else {
                report.stripped += 1;
                *counts
                    .entry((IngestOutcome::Stripped, "PURPOSE_NOT_ALLOWED"))
                    .or_default() += 1;
                report.results.push(EventResult {
                    index: c.index,
                    outcome: EventOutcome::Stripped,
                    reason: "PURPOSE_NOT_ALLOWED".into(),
                    message: None,
                    stripped: FIELDS
                        .iter()
                        .filter(|(bit, _, _)| removed & bit != 0)
                        .map(|(_, name, _)| *name)
                        .collect(),
                });
            }
        }
        report.results.sort_by_key(|r| r.index);

        // One store call for the batch and its counters, then the audit entries.
        let day = utc_day(now);
        let mut rows = Vec::with_capacity(counts.len());
        for ((outcome, reason), count) in &counts {
            rows.push(IngestCount {
                day,
                stream: IngestStream::Usage,
                outcome: *outcome,
                reason: ReasonCode::new(*reason)
                    .map_err(|e| CoreError::invalid(ErrorCode::BadReason, e.to_string()))?,
                count: *count,
            });
        }
        st.store().ingest_usage(&records, &rows).await?;
        st.audit()
            .append(batch_audit(st, caller, "events.ingest", &counts))
            .await?;
        Ok(report)
    }

    #[expect(
        clippy::too_many_arguments,
        reason = "the arguments are the independent inputs of one step; a parameter struct would only rename them"
    )]
    fn check<'b>(
        &self,
        index: usize,
        e: &'b UsageEventInput,
        now: Timestamp,
        engine: &Engine,
        raw_devices: &mut Vec<Device<'b>>,
        device_index: &mut HashMap<(&'b str, u8), usize>,
        refs: &mut Vec<Option<IdentityRef>>,
    ) -> Result<Checked, Reject> {
        let kind = EventKind::new(e.kind.as_str())
            .map_err(|_| reject(ErrorCode::BadType, "`type` must match [a-z0-9_:.-]{1,64}"))?;
        let tracker_key = TrackerKey::new(e.tracker.as_str()).map_err(|_| {
            reject(
                ErrorCode::BadTracker,
                "`tracker` must match [a-z0-9_:.-]{1,64}",
            )
        })?;
        let at = match &e.at {
            None => now,
            Some(t) => t
                .parse::<Timestamp>()
                .map_err(|_| reject(ErrorCode::BadTime, "`at` is not an RFC 3339 time"))?,
        };
        if at.duration_since(now) > self.config.max_future {
            return Err(reject(ErrorCode::BadTime, "`at` is too far in the future"));
        }
        let (raw, dkind) = match (&e.cookie_id, &e.device_id) {
            (Some(c), _) => (Some(c.as_str()), IdentityKind::Cookie),
            (None, Some(d)) => (Some(d.as_str()), IdentityKind::Device),
            (None, None) => (None, IdentityKind::Cookie),
        };
        let device = match raw {
            None => None,
            Some(raw) => {
                let k = (raw, dkind.code());
                let i = match device_index.get(&k) {
                    Some(i) => *i,
                    None => {
                        let r = self.steward.identity_ref(dkind, raw).map_err(|_| {
                            reject(
                                ErrorCode::BadDeviceId,
                                "the cookie or device id is empty, too long or has control characters",
                            )
                        })?;
                        raw_devices.push(Device { raw, kind: dkind });
                        refs.push(Some(r));
                        device_index.insert(k, refs.len() - 1);
                        refs.len() - 1
                    }
                };
                refs.get(i).and_then(Option::clone).map(|r| (r, i))
            }
        };
        let page = match &e.page {
            None => None,
            Some(p) => Some(clean_path(p).map_err(|m| reject(ErrorCode::BadPage, m))?),
        };
        let link = match &e.link {
            None => None,
            Some(p) => Some(clean_path(p).map_err(|m| reject(ErrorCode::BadLink, m))?),
        };
        let browser = match &e.browser {
            None => None,
            Some(b) => Some(BrowserFamily::new(b.to_ascii_lowercase()).map_err(|_| {
                reject(
                    ErrorCode::BadBrowser,
                    "`browser` is a family name like `firefox`",
                )
            })?),
        };
        let ip = match &e.ip {
            None => None,
            Some(s) => {
                Some(canonical_ip(parse_ip(s).map_err(|_| {
                    reject(ErrorCode::BadIp, "`ip` is not an IP address")
                })?))
            }
        };
        let hint = match &e.jurisdiction {
            None => None,
            Some(j) => Some(j.parse::<Jurisdiction>().map_err(|_| {
                reject(
                    ErrorCode::BadJurisdiction,
                    "`jurisdiction` is not an ISO 3166 code",
                )
            })?),
        };
        Ok(Checked {
            index,
            kind,
            tracker: engine.tracker(&e.tracker),
            tracker_key,
            at,
            cookie_raw: device.as_ref().map(|(_, i)| *i),
            device,
            page,
            link,
            browser,
            prefix: ip.map(truncate_prefix),
            ip,
            hint,
            registered: e.registered,
            gpc: e.gpc,
        })
    }

    async fn device_facts(&self, r: &IdentityRef) -> Result<Arc<DeviceFacts>, CoreError> {
        if let Some(f) = self.devices.get(r, self.config.device_ttl) {
            return Ok(f);
        }
        let st = &self.steward;
        let ledger = st
            .store()
            .list_choices(&[Party::Identity(r.clone())])
            .await?;
        let links = st.store().find_by_identity(r).await?;
        let engine = st.engine();
        let facts = Arc::new(DeviceFacts {
            entries: crate::facts::to_policy_entries(&engine, &ledger),
            subject: links.first().map(|l| l.subject),
            folds: std::sync::Mutex::new(Vec::new()),
        });
        self.devices.put(r, facts.clone(), self.config.device_ttl);
        Ok(facts)
    }

    /// The engine's view of the device behind an event, and the subject it is linked to.
    async fn subject_for(
        &self,
        engine: &Engine,
        c: &Checked,
        facts: &[Option<Arc<DeviceFacts>>],
        region: Option<&steward_store::Jurisdiction>,
        now: Timestamp,
        folds: &mut HashMap<(usize, Option<Jurisdiction>), Subject>,
    ) -> Result<(Subject, Option<SubjectId>), CoreError> {
        let from_geo = region.and_then(|r| r.as_str().parse::<Jurisdiction>().ok());
        let place = c.hint.or(from_geo);
        let f = c
            .device
            .as_ref()
            .and_then(|(_, i)| facts.get(*i))
            .and_then(Option::as_ref);
        if let Some(f) = f
            && let Some(s) = f.subject
        {
            // A linked subject: its facts, with its device ledgers folded in (GPC-04).
            match self.steward.resolve(s, now).await {
                Ok(r) => {
                    let mut subject = r.subject;
                    if subject.jurisdiction.is_none() {
                        subject.jurisdiction = place;
                    }
                    return Ok((subject, Some(s)));
                }
                Err(CoreError::NotFound(_)) => {}
                Err(e) => return Err(e),
            }
        }
        let key = (c.cookie_raw.unwrap_or(usize::MAX), place);
        if let Some(s) = folds.get(&key) {
            return Ok((*s, None));
        }
        let mut subject = Subject::new(SubjectKind::Visitor, place);
        if let Some(f) = f {
            subject.choices = f.choices(engine, place, now);
        }
        folds.insert(key, subject);
        Ok((subject, None))
    }

    /// Record a log-in in the security log (IPPS-05): the address sealed under the subject's
    /// data key, kept for log-in security only, purged after the `ip_login` retention.
    ///
    /// # Errors
    /// `Invalid(BAD_IP)`, `Denied` when the policy does not allow the collection, `NotFound`.
    pub async fn record_login(
        &self,
        caller: &Caller,
        input: LoginInput,
    ) -> Result<LoginId, CoreError> {
        let st = &self.steward;
        let ip = canonical_ip(
            parse_ip(input.ip.expose())
                .map_err(|_| CoreError::invalid(ErrorCode::BadIp, "`ip` is not an IP address"))?,
        );
        let mut req = steward_policy::wire::Request {
            op: Some(steward_policy::wire::Op::CanCollect),
            category: Some("ip_login".into()),
            source: Some("direct:sign_in".into()),
            ..Default::default()
        };
        req.subject.id = Some(input.subject.to_string());
        req.context.declared_purposes = vec!["login_security".into()];
        let d = st.decide(caller, req, false).await?;
        if !d.allow {
            return Err(d.into_denied());
        }
        let engine = st.engine();
        let now = st.clock().now();
        let cat = engine
            .category("ip_login")
            .ok_or(CoreError::NotFound("category"))?;
        let retain_until =
            crate::items::retention_deadline(&engine, cat, now).ok_or_else(|| {
                CoreError::invalid(ErrorCode::BadPolicy, "`ip_login` needs a retention period")
            })?;
        let id = LoginId::generate();
        let dk = st.data_key(input.subject, true).await?;
        let text = ip.to_string();
        let sealed = dk.seal(&login_aad(input.subject, id), text.as_bytes())?;
        let device = match &input.device_id {
            Some(d) => Some(st.identity_ref(IdentityKind::Device, d.expose())?),
            None => None,
        };
        st.store()
            .record_logins(&[LoginRecord {
                id,
                subject: input.subject,
                at: now,
                ip: Ciphertext::new(sealed)
                    .map_err(|e| CoreError::invalid(ErrorCode::BadValue, e.to_string()))?,
                device,
                retain_until,
            }])
            .await?;
        let mut e = st.event(AuditKind::Write, "login.record", caller);
        e.subject = Some(input.subject);
        e.categories = steward_store::CategoryKey::new("ip_login")
            .into_iter()
            .collect();
        st.audit().append_one(e).await?;
        Ok(id)
    }

    /// The log-in records of a subject, for a staff `role` and a `purpose` (IPPS-05, SEC-05):
    /// the role must be allowed to view `ip_login` and the purpose must be allowed to use
    /// it (`login_security` or `security_fraud`). Both decisions are audited, and so is the read.
    ///
    /// # Errors
    /// `Denied` (e.g. `NOT_AUTHORIZED` for an analyst), `NotFound`, `Erased`.
    pub async fn login_ips(
        &self,
        caller: &Caller,
        subject: SubjectId,
        role: &str,
        purpose: &str,
    ) -> Result<Vec<LoginView>, CoreError> {
        let st = &self.steward;
        let mut auth = steward_policy::wire::Request {
            op: Some(steward_policy::wire::Op::AdminAuthorize),
            category: Some("ip_login".into()),
            action: Some("view".into()),
            ..Default::default()
        };
        auth.actor = Some(steward_policy::wire::ActorFacts {
            role: Some(role.to_string()),
            ..Default::default()
        });
        auth.subject.id = Some(subject.to_string());
        let d = st.decide(caller, auth, false).await?;
        if !d.allow {
            return Err(d.into_denied());
        }
        let mut req = steward_policy::wire::Request {
            op: Some(steward_policy::wire::Op::CanUse),
            category: Some("ip_login".into()),
            purpose: Some(purpose.to_string()),
            ..Default::default()
        };
        req.subject.id = Some(subject.to_string());
        let d = st.decide(caller, req, false).await?;
        if !d.allow {
            return Err(d.into_denied());
        }
        let rows = st.store().logins_of(subject, 1000).await?;
        let dk = st.data_key(subject, false).await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let plain = dk.open(&login_aad(subject, r.id), r.ip.as_bytes())?;
            let ip = std::str::from_utf8(&plain)
                .ok()
                .and_then(|s| s.parse::<IpAddr>().ok())
                .ok_or(CoreError::Unavailable(
                    "a stored log-in address does not decode",
                ))?;
            out.push(LoginView {
                id: r.id,
                at: r.at,
                ip: Sensitive::new(ip),
                retain_until: r.retain_until,
            });
        }
        let mut e = st.event(AuditKind::Read, "login.read", caller);
        e.subject = Some(subject);
        e.categories = steward_store::CategoryKey::new("ip_login")
            .into_iter()
            .collect();
        e.purpose = steward_store::PurposeKey::new(purpose).ok();
        st.audit().append_one(e).await?;
        Ok(out)
    }
}

fn login_aad(subject: SubjectId, id: LoginId) -> Vec<u8> {
    let mut a = Vec::with_capacity(40);
    a.extend_from_slice(&subject.to_bytes());
    a.extend_from_slice(&id.to_bytes());
    a.extend_from_slice(b"ip_login");
    a
}

fn drop_event(
    report: &mut BatchReport,
    counts: &mut BTreeMap<(IngestOutcome, &'static str), u64>,
    index: usize,
    reason: &'static str,
) {
    report.dropped += 1;
    *counts.entry((IngestOutcome::Dropped, reason)).or_default() += 1;
    report.results.push(EventResult {
        index,
        outcome: EventOutcome::Dropped,
        reason: reason.to_string(),
        message: None,
        stripped: Vec::new(),
    });
}

fn attr(name: &str, value: &str) -> Option<Attribute> {
    Some(Attribute {
        name: FieldName::new(name).ok()?,
        value: AttrValue::new(value).ok()?,
    })
}

/// The audit entries of a batch: one summary (`accepted`, `stripped`, `dropped`, `rejected`
/// counts) and one `<action>.dropped` entry per drop reason (COOKIE-11 `EVENT_DROPPED{reason}`).
/// Counts only, never values (AUD-04).
pub(crate) fn batch_audit(
    st: &Steward,
    caller: &Caller,
    action: &str,
    counts: &BTreeMap<(IngestOutcome, &'static str), u64>,
) -> Vec<AuditEvent> {
    let mut totals: BTreeMap<&'static str, u64> = BTreeMap::new();
    for ((o, _), n) in counts {
        *totals.entry(o.as_str()).or_default() += n;
    }
    let mut summary = st.event(AuditKind::Write, action, caller);
    summary.attributes = totals
        .iter()
        .filter_map(|(o, n)| attr(o, &n.to_string()))
        .collect();
    let mut out = vec![summary];
    for ((o, reason), n) in counts {
        if *o == IngestOutcome::Dropped {
            let mut e = st.event(AuditKind::Write, &format!("{action}.dropped"), caller);
            e.outcome = Some(steward_store::model::audit::Outcome {
                allow: false,
                reason: match ReasonCode::new(*reason) {
                    Ok(r) => r,
                    Err(_) => continue,
                },
            });
            e.attributes = [attr("reason", reason), attr("count", &n.to_string())]
                .into_iter()
                .flatten()
                .collect();
            out.push(e);
        }
    }
    out
}

impl Ingestor {
    /// A k-anonymous aggregate of usage events received in `[from, until)` (IPPS-04,
    /// COOKIE-03): by region for `location_traffic_monitoring`, by page or tracker for
    /// `audience_measurement`. Groups with fewer visitors than the policy's minimum group
    /// size are suppressed. The use is decided and audited.
    ///
    /// # Errors
    /// `Denied` when the purpose may not use the data, store failures.
    pub async fn usage_aggregate(
        &self,
        caller: &Caller,
        group_by: UsageGroup,
        from: Timestamp,
        until: Timestamp,
    ) -> Result<Aggregate, CoreError> {
        let st = &self.steward;
        let (category, purpose) = match group_by {
            UsageGroup::Geo => ("ip_geo_token", "location_traffic_monitoring"),
            UsageGroup::Page | UsageGroup::Tracker => ("pages_viewed", "audience_measurement"),
        };
        let req = steward_policy::wire::Request {
            op: Some(steward_policy::wire::Op::CanUse),
            category: Some(category.into()),
            purpose: Some(purpose.into()),
            subject: steward_policy::wire::SubjectFacts {
                kind: Some("visitor".into()),
                jurisdiction: Some("US".into()),
                ..Default::default()
            },
            ..Default::default()
        };
        let d = st.decide(caller, req, false).await?;
        if !d.allow {
            return Err(d.into_denied());
        }
        let k = st.engine().settings.aggregate_k.max(1);
        Ok(st
            .store()
            .aggregate_usage(&UsageAggregateQuery {
                from,
                until,
                group_by,
                min_group: k,
            })
            .await?)
    }
}
