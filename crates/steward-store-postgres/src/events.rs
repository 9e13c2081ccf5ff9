//! `EventStore` for PostgreSQL: usage events, the log-in security log, USPS scans, ingest
//! counters, k-anonymous aggregates, retention purges, derived datasets, ticket items and
//! partner notifications.
//!
//! A batch of usage events is one multi-row `unnest` insert (`ON CONFLICT DO NOTHING
//! RETURNING`), and its counters one upsert, in one transaction. Purges delete bounded chunks
//! (`… IN (SELECT … LIMIT n)`) so no statement holds locks for long.

use std::collections::BTreeSet;

use async_trait::async_trait;
use deadpool_postgres::GenericClient;
use jiff::Timestamp;
use jiff::civil::Date;
use steward_store::model::event::{
    Aggregate, AggregateGroup, DatasetId, DatasetRecord, EventErasure, IngestCount, IngestOutcome,
    IngestStream, IpPseudonym, LoginId, LoginRecord, NotificationId, NotificationKind,
    NotificationUpdate, PagePath, PartnerNotification, PurgeCount, ScanAggregateQuery, ScanGroup,
    ScanId, TicketRef, TrackingScan, UsageAggregateQuery, UsageEvent, UsageEventId, UsageGroup,
    UsageScope, Zip3,
};
use steward_store::values::{RecipientKey, store_precision};
use steward_store::{
    AccountId, BlindToken, CategoryKey, ChoiceId, Ciphertext, ConflictReason, Entity, IdentityKind,
    IdentityRef, ItemId, StoreError, SubjectId, ValueError,
};
use tokio_postgres::Row;

use crate::sql::{PgTime, RowExt, exec, i16_of, i64_of, pg, query_opt, query_vec};
use crate::store::PgStore;

macro_rules! tx {
    ($self:ident, |$tx:ident| $body:expr) => {{
        let mut client = $self.client().await?;
        let $tx = client.transaction().await.map_err(pg)?;
        match $body.await {
            Ok(v) => {
                $tx.commit().await.map_err(pg)?;
                Ok(v)
            }
            Err(e) => {
                let _ = $tx.rollback().await;
                Err(e)
            }
        }
    }};
}

fn day_code(d: Date) -> i32 {
    i32::from(d.year()) * 10_000 + i32::from(d.month()) * 100 + i32::from(d.day())
}

fn day_of(code: i32) -> Result<Date, StoreError> {
    let y = i16::try_from(code / 10_000).map_err(|_| StoreError::corrupt("day"))?;
    let m = i8::try_from((code / 100) % 100).map_err(|_| StoreError::corrupt("day"))?;
    let d = i8::try_from(code % 100).map_err(|_| StoreError::corrupt("day"))?;
    Date::new(y, m, d).map_err(|_| StoreError::corrupt("day"))
}

fn u64_of(v: i64, what: &'static str) -> Result<u64, StoreError> {
    u64::try_from(v).map_err(|_| StoreError::corrupt(what))
}

fn device_of(r: &Row, kind: usize, token: usize) -> Result<Option<IdentityRef>, StoreError> {
    match (
        r.opt_code(kind, "device kind")?,
        r.col::<Option<&[u8]>>(token, "device")?,
    ) {
        (Some(k), Some(t)) => Ok(Some(IdentityRef {
            kind: IdentityKind::from_code(k)?,
            token: BlindToken::new(t.to_vec()).map_err(|_| StoreError::corrupt("device"))?,
        })),
        (None, None) => Ok(None),
        _ => Err(StoreError::corrupt("device")),
    }
}

fn device_cols(d: Option<&IdentityRef>) -> (Option<i16>, Option<&[u8]>) {
    match d {
        Some(d) => (Some(i16_of(d.kind.code())), Some(d.token.as_bytes())),
        None => (None, None),
    }
}

fn keep_ids(keep: &[SubjectId]) -> Vec<uuid::Uuid> {
    keep.iter().map(|s| s.as_uuid()).collect()
}

async fn count<C: GenericClient>(
    c: &C,
    sql: &str,
    params: &crate::sql::Params<'_>,
) -> Result<u64, StoreError> {
    let n = query_opt(c, sql, params, |r| r.col::<i64>(0, "count"))
        .await?
        .unwrap_or(0);
    u64_of(n, "count")
}

async fn add_counts<C: GenericClient>(c: &C, counts: &[IngestCount]) -> Result<(), StoreError> {
    let counts: Vec<&IngestCount> = counts.iter().filter(|c| c.count > 0).collect();
    if counts.is_empty() {
        return Ok(());
    }
    let day: Vec<i32> = counts.iter().map(|c| day_code(c.day)).collect();
    let stream: Vec<i16> = counts.iter().map(|c| i16_of(c.stream.code())).collect();
    let outcome: Vec<i16> = counts.iter().map(|c| i16_of(c.outcome.code())).collect();
    let reason: Vec<&str> = counts.iter().map(|c| c.reason.as_str()).collect();
    let n: Vec<i64> = counts.iter().map(|c| i64_of(c.count)).collect();
    // Duplicate keys inside one batch are summed first (ON CONFLICT cannot touch a row twice).
    exec(
        c,
        "INSERT INTO ingest_counters (day, stream, outcome, reason, count) \
         SELECT day, stream, outcome, reason, SUM(n)::bigint \
         FROM unnest($1::int4[], $2::int2[], $3::int2[], $4::text[], $5::int8[]) \
              AS t(day, stream, outcome, reason, n) \
         GROUP BY day, stream, outcome, reason \
         ON CONFLICT (day, stream, outcome, reason) \
         DO UPDATE SET count = ingest_counters.count + EXCLUDED.count",
        &[&day, &stream, &outcome, &reason, &n],
    )
    .await?;
    Ok(())
}

fn split_groups(rows: Vec<(Option<String>, u64, u64)>, min_group: u32) -> Aggregate {
    let k = u64::from(min_group.max(1));
    let mut out = Aggregate::default();
    for (key, units, events) in rows {
        if units >= k {
            out.groups.push(AggregateGroup { key, units, events });
        } else {
            out.suppressed_groups += 1;
            out.suppressed_events += events;
        }
    }
    out
}

fn agg_row(r: &Row) -> Result<(Option<String>, u64, u64), StoreError> {
    Ok((
        r.col::<Option<String>>(0, "group")?,
        u64_of(r.col::<i64>(1, "count")?, "count")?,
        u64_of(r.col::<i64>(2, "count")?, "count")?,
    ))
}

// ---------------------------------------------------------------- usage events

const USAGE_COLS: &str = "received_at, id, at, tracker, kind, device_kind, device, subject, page, \
                          link, browser, ip_epoch, ip_token, geo, registered";

fn decode_usage(r: &Row) -> Result<UsageEvent, StoreError> {
    let ip = match (
        r.col::<Option<i64>>(11, "ip epoch")?,
        r.col::<Option<&[u8]>>(12, "ip token")?,
    ) {
        (Some(e), Some(t)) => Some(IpPseudonym {
            epoch: u32::try_from(e).map_err(|_| StoreError::corrupt("ip epoch"))?,
            token: t.try_into().map_err(|_| StoreError::corrupt("ip token"))?,
        }),
        (None, None) => None,
        _ => return Err(StoreError::corrupt("ip token")),
    };
    let path = |i: usize, what: &'static str| -> Result<Option<PagePath>, StoreError> {
        r.col::<Option<&str>>(i, what)?
            .map(|s| PagePath::new(s).map_err(|_| StoreError::corrupt(what)))
            .transpose()
    };
    Ok(UsageEvent {
        received_at: r.time(0)?,
        id: UsageEventId::from_uuid(r.uuid(1, "usage event id")?),
        at: r.time(2)?,
        tracker: r.key(3, "tracker")?,
        kind: r.key(4, "event kind")?,
        device: device_of(r, 5, 6)?,
        subject: r.opt_uuid(7, "subject id")?.map(SubjectId::from_uuid),
        page: path(8, "page")?,
        link: path(9, "link")?,
        browser: r.opt_key(10, "browser")?,
        ip,
        geo: r.opt_key(13, "geo")?,
        registered: r.col(14, "registered")?,
    })
}

async fn ingest_usage<C: GenericClient>(
    tx: &C,
    events: &[UsageEvent],
    counts: &[IngestCount],
) -> Result<(), StoreError> {
    if !events.is_empty() {
        let received: Vec<PgTime> = events.iter().map(|e| PgTime::of(e.received_at)).collect();
        let ids: Vec<uuid::Uuid> = events.iter().map(|e| e.id.as_uuid()).collect();
        let at: Vec<PgTime> = events.iter().map(|e| PgTime::of(e.at)).collect();
        let tracker: Vec<&str> = events.iter().map(|e| e.tracker.as_str()).collect();
        let kind: Vec<&str> = events.iter().map(|e| e.kind.as_str()).collect();
        let (dk, dt): (Vec<Option<i16>>, Vec<Option<&[u8]>>) = events
            .iter()
            .map(|e| device_cols(e.device.as_ref()))
            .unzip();
        let subject: Vec<Option<uuid::Uuid>> = events
            .iter()
            .map(|e| e.subject.map(|s| s.as_uuid()))
            .collect();
        let page: Vec<Option<&str>> = events
            .iter()
            .map(|e| e.page.as_ref().map(PagePath::as_str))
            .collect();
        let link: Vec<Option<&str>> = events
            .iter()
            .map(|e| e.link.as_ref().map(PagePath::as_str))
            .collect();
        let browser: Vec<Option<&str>> = events
            .iter()
            .map(|e| e.browser.as_ref().map(|b| b.as_str()))
            .collect();
        let epoch: Vec<Option<i64>> = events
            .iter()
            .map(|e| e.ip.map(|i| i64::from(i.epoch)))
            .collect();
        let token: Vec<Option<&[u8]>> = events
            .iter()
            .map(|e| e.ip.as_ref().map(|i| i.token.as_slice()))
            .collect();
        let geo: Vec<Option<&str>> = events
            .iter()
            .map(|e| e.geo.as_ref().map(|g| g.as_str()))
            .collect();
        let registered: Vec<bool> = events.iter().map(|e| e.registered).collect();
        let inserted: BTreeSet<(i64, uuid::Uuid)> = query_vec(
            tx,
            &format!(
                "INSERT INTO usage_events ({USAGE_COLS}) \
                 SELECT * FROM unnest($1::timestamptz[], $2::uuid[], $3::timestamptz[], $4::text[], \
                      $5::text[], $6::int2[], $7::bytea[], $8::uuid[], $9::text[], $10::text[], \
                      $11::text[], $12::int8[], $13::bytea[], $14::text[], $15::bool[]) \
                 ON CONFLICT (received_at, id) DO NOTHING RETURNING received_at, id"
            ),
            &[
                &received, &ids, &at, &tracker, &kind, &dk, &dt, &subject, &page, &link,
                &browser, &epoch, &token, &geo, &registered,
            ],
            |r| Ok((r.col::<PgTime>(0, "timestamp")?.0, r.uuid(1, "usage event id")?)),
        )
        .await?
        .into_iter()
        .collect();
        if inserted.len() != events.len() {
            for e in events {
                let key = (PgTime::of(e.received_at).0, e.id.as_uuid());
                let twins = events
                    .iter()
                    .filter(|x| x.id == e.id && x.received_at == e.received_at)
                    .count();
                if inserted.contains(&key) && twins == 1 {
                    continue;
                }
                let stored = query_opt(
                    tx,
                    &format!(
                        "SELECT {USAGE_COLS} FROM usage_events WHERE received_at = $1 AND id = $2"
                    ),
                    &[&PgTime::of(e.received_at), &e.id.as_uuid()],
                    decode_usage,
                )
                .await?;
                let mut expected = e.clone();
                expected.received_at = store_precision(e.received_at);
                expected.at = store_precision(e.at);
                if stored.as_ref() != Some(&expected) {
                    return Err(StoreError::conflict(
                        Entity::Event,
                        ConflictReason::DifferentContent,
                    ));
                }
            }
        }
    }
    add_counts(tx, counts).await
}

// ---------------------------------------------------------------- log-ins

const LOGIN_COLS: &str = "id, subject, at, ip, device_kind, device, retain_until";

fn decode_login(r: &Row) -> Result<LoginRecord, StoreError> {
    Ok(LoginRecord {
        id: LoginId::from_uuid(r.uuid(0, "login id")?),
        subject: SubjectId::from_uuid(r.uuid(1, "subject id")?),
        at: r.time(2)?,
        ip: Ciphertext::new(r.col::<&[u8]>(3, "ciphertext")?.to_vec())
            .map_err(|_| StoreError::corrupt("ciphertext"))?,
        device: device_of(r, 4, 5)?,
        retain_until: r.time(6)?,
    })
}

// ---------------------------------------------------------------- scans

const SCAN_COLS: &str = "received_at, id, at, pic, event, zip3, subject, account, anonymized_at";

fn decode_scan(r: &Row) -> Result<TrackingScan, StoreError> {
    Ok(TrackingScan {
        received_at: r.time(0)?,
        id: ScanId::from_uuid(r.uuid(1, "scan id")?),
        at: r.time(2)?,
        pic: r
            .col::<Option<&[u8]>>(3, "pic")?
            .map(|b| BlindToken::new(b.to_vec()).map_err(|_| StoreError::corrupt("pic")))
            .transpose()?,
        event: r.key(4, "scan event")?,
        zip3: r
            .col::<Option<&str>>(5, "zip3")?
            .map(|z| Zip3::new(z).map_err(|_| StoreError::corrupt("zip3")))
            .transpose()?,
        subject: r.opt_uuid(6, "subject id")?.map(SubjectId::from_uuid),
        account: r.opt_uuid(7, "account id")?.map(AccountId::from_uuid),
        anonymized_at: r.opt_time(8)?,
    })
}

// ---------------------------------------------------------------- datasets, notifications

fn decode_dataset(r: &Row) -> Result<DatasetRecord, StoreError> {
    let lineage = r
        .col::<Vec<String>>(2, "lineage")?
        .into_iter()
        .map(|s| CategoryKey::new(s).map_err(|_| StoreError::corrupt("lineage")))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(DatasetRecord {
        id: DatasetId::from_uuid(r.uuid(0, "dataset id")?),
        name: r.key(1, "dataset name")?,
        lineage,
        parents: r
            .col::<Vec<uuid::Uuid>>(3, "parents")?
            .into_iter()
            .map(DatasetId::from_uuid)
            .collect(),
        created_at: r.time(4)?,
        retain_until: r.opt_time(5)?,
    })
}

const NOTE_COLS: &str =
    "id, subject, recipient, kind, trigger_id, created_at, due_at, sent_at, acked_at, attempts";

fn decode_note(r: &Row) -> Result<PartnerNotification, StoreError> {
    Ok(PartnerNotification {
        id: NotificationId::from_uuid(r.uuid(0, "notification id")?),
        subject: SubjectId::from_uuid(r.uuid(1, "subject id")?),
        recipient: r.key(2, "recipient")?,
        kind: NotificationKind::from_code(r.code(3, "notification kind")?)?,
        trigger: ChoiceId::from_uuid(r.uuid(4, "trigger id")?),
        created_at: r.time(5)?,
        due_at: r.time(6)?,
        sent_at: r.opt_time(7)?,
        acked_at: r.opt_time(8)?,
        attempts: u32::try_from(r.col::<i32>(9, "attempts")?)
            .map_err(|_| StoreError::corrupt("attempts"))?,
    })
}

fn limit_of(limit: u32) -> i64 {
    i64::from(limit.max(1))
}

#[async_trait]
impl steward_store::EventStore for PgStore {
    async fn ingest_usage(
        &self,
        events: &[UsageEvent],
        counts: &[IngestCount],
    ) -> Result<(), StoreError> {
        if events.is_empty() && counts.is_empty() {
            return Ok(());
        }
        tx!(self, |tx| ingest_usage(&tx, events, counts))
    }

    async fn usage_events_of(
        &self,
        scope: &UsageScope,
        limit: u32,
    ) -> Result<Vec<UsageEvent>, StoreError> {
        let c = self.client().await?;
        match scope {
            UsageScope::Subject(s) => {
                query_vec(
                    &c,
                    &format!(
                        "SELECT {USAGE_COLS} FROM usage_events WHERE subject = $1 \
                         ORDER BY received_at, id LIMIT $2"
                    ),
                    &[&s.as_uuid(), &limit_of(limit)],
                    decode_usage,
                )
                .await
            }
            UsageScope::Device(d) => query_vec(
                &c,
                &format!(
                    "SELECT {USAGE_COLS} FROM usage_events WHERE device_kind = $1 AND device = $2 \
                         ORDER BY received_at, id LIMIT $3"
                ),
                &[
                    &i16_of(d.kind.code()),
                    &d.token.as_bytes(),
                    &limit_of(limit),
                ],
                decode_usage,
            )
            .await,
        }
    }

    async fn aggregate_usage(&self, q: &UsageAggregateQuery) -> Result<Aggregate, StoreError> {
        let col = match q.group_by {
            UsageGroup::Geo => "geo",
            UsageGroup::Page => "page",
            UsageGroup::Tracker => "tracker",
        };
        let c = self.client().await?;
        let rows = query_vec(
            &c,
            &format!(
                "SELECT {col}::text, COUNT(DISTINCT COALESCE(device, ip_token)), COUNT(*) \
                 FROM usage_events WHERE received_at >= $1 AND received_at < $2 \
                 GROUP BY {col} ORDER BY {col} NULLS FIRST"
            ),
            &[&PgTime::of(q.from), &PgTime::of(q.until)],
            agg_row,
        )
        .await?;
        Ok(split_groups(rows, q.min_group))
    }

    async fn purge_usage(
        &self,
        before: Timestamp,
        keep: &[SubjectId],
        limit: u32,
        dry_run: bool,
    ) -> Result<PurgeCount, StoreError> {
        let c = self.client().await?;
        let (cut, keep) = (PgTime::of(before), keep_ids(keep));
        let held = count(
            &c,
            "SELECT COUNT(*) FROM usage_events WHERE received_at < $1 AND subject = ANY($2)",
            &[&cut, &keep],
        )
        .await?;
        let affected = if dry_run {
            count(
                &c,
                "SELECT COUNT(*) FROM usage_events WHERE received_at < $1 \
                 AND (subject IS NULL OR NOT (subject = ANY($2)))",
                &[&cut, &keep],
            )
            .await?
        } else {
            exec(
                &c,
                "DELETE FROM usage_events WHERE (received_at, id) IN ( \
                   SELECT received_at, id FROM usage_events WHERE received_at < $1 \
                   AND (subject IS NULL OR NOT (subject = ANY($2))) \
                   ORDER BY received_at, id LIMIT $3)",
                &[&cut, &keep, &limit_of(limit)],
            )
            .await?
        };
        Ok(PurgeCount { affected, held })
    }

    async fn usage_subjects_before(&self, before: Timestamp) -> Result<Vec<SubjectId>, StoreError> {
        let c = self.client().await?;
        query_vec(
            &c,
            "SELECT DISTINCT subject FROM usage_events WHERE received_at < $1 \
             AND subject IS NOT NULL ORDER BY subject",
            &[&PgTime::of(before)],
            |r| Ok(SubjectId::from_uuid(r.uuid(0, "subject id")?)),
        )
        .await
    }

    async fn record_logins(&self, logins: &[LoginRecord]) -> Result<(), StoreError> {
        if logins.is_empty() {
            return Ok(());
        }
        tx!(self, |tx| async {
            for l in logins {
                let exists = query_opt(
                    &tx,
                    "SELECT 1 FROM subjects WHERE id = $1",
                    &[&l.subject.as_uuid()],
                    |_| Ok(()),
                )
                .await?;
                if exists.is_none() {
                    return Err(StoreError::NotFound(Entity::Subject));
                }
                let (dk, dt) = device_cols(l.device.as_ref());
                let n = exec(
                    &tx,
                    &format!(
                        "INSERT INTO login_ips ({LOGIN_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7) \
                         ON CONFLICT (id) DO NOTHING"
                    ),
                    &[
                        &l.id.as_uuid(),
                        &l.subject.as_uuid(),
                        &PgTime::of(l.at),
                        &l.ip.as_bytes(),
                        &dk,
                        &dt,
                        &PgTime::of(l.retain_until),
                    ],
                )
                .await?;
                if n == 0 {
                    let stored = query_opt(
                        &tx,
                        &format!("SELECT {LOGIN_COLS} FROM login_ips WHERE id = $1"),
                        &[&l.id.as_uuid()],
                        decode_login,
                    )
                    .await?;
                    let mut expected = l.clone();
                    expected.at = store_precision(l.at);
                    expected.retain_until = store_precision(l.retain_until);
                    if stored.as_ref() != Some(&expected) {
                        return Err(StoreError::conflict(
                            Entity::Event,
                            ConflictReason::DifferentContent,
                        ));
                    }
                }
            }
            Ok(())
        })
    }

    async fn logins_of(
        &self,
        subject: SubjectId,
        limit: u32,
    ) -> Result<Vec<LoginRecord>, StoreError> {
        let c = self.client().await?;
        query_vec(
            &c,
            &format!(
                "SELECT {LOGIN_COLS} FROM login_ips WHERE subject = $1 \
                 ORDER BY at DESC, id DESC LIMIT $2"
            ),
            &[&subject.as_uuid(), &limit_of(limit)],
            decode_login,
        )
        .await
    }

    async fn purge_logins(
        &self,
        now: Timestamp,
        keep: &[SubjectId],
        limit: u32,
        dry_run: bool,
    ) -> Result<PurgeCount, StoreError> {
        let c = self.client().await?;
        let (t, keep) = (PgTime::of(now), keep_ids(keep));
        let held = count(
            &c,
            "SELECT COUNT(*) FROM login_ips WHERE retain_until <= $1 AND subject = ANY($2)",
            &[&t, &keep],
        )
        .await?;
        let affected = if dry_run {
            count(
                &c,
                "SELECT COUNT(*) FROM login_ips WHERE retain_until <= $1 AND NOT (subject = ANY($2))",
                &[&t, &keep],
            )
            .await?
        } else {
            exec(
                &c,
                "DELETE FROM login_ips WHERE id IN ( \
                   SELECT id FROM login_ips WHERE retain_until <= $1 AND NOT (subject = ANY($2)) \
                   ORDER BY retain_until, id LIMIT $3)",
                &[&t, &keep, &limit_of(limit)],
            )
            .await?
        };
        Ok(PurgeCount { affected, held })
    }

    async fn login_subjects_due(&self, now: Timestamp) -> Result<Vec<SubjectId>, StoreError> {
        let c = self.client().await?;
        query_vec(
            &c,
            "SELECT DISTINCT subject FROM login_ips WHERE retain_until <= $1 ORDER BY subject",
            &[&PgTime::of(now)],
            |r| Ok(SubjectId::from_uuid(r.uuid(0, "subject id")?)),
        )
        .await
    }

    async fn ingest_scans(
        &self,
        scans: &[TrackingScan],
        counts: &[IngestCount],
    ) -> Result<(), StoreError> {
        if scans.is_empty() && counts.is_empty() {
            return Ok(());
        }
        tx!(self, |tx| async {
            for s in scans {
                let n = exec(
                    &tx,
                    &format!(
                        "INSERT INTO usps_scans ({SCAN_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
                         ON CONFLICT (received_at, id) DO NOTHING"
                    ),
                    &[
                        &PgTime::of(s.received_at),
                        &s.id.as_uuid(),
                        &PgTime::of(s.at),
                        &s.pic.as_ref().map(BlindToken::as_bytes),
                        &s.event.as_str(),
                        &s.zip3.as_ref().map(|z| z.as_str()),
                        &s.subject.map(|x| x.as_uuid()),
                        &s.account.map(|x| x.as_uuid()),
                        &PgTime::opt(s.anonymized_at),
                    ],
                )
                .await?;
                if n == 0 {
                    let stored = query_opt(
                        &tx,
                        &format!(
                            "SELECT {SCAN_COLS} FROM usps_scans WHERE received_at = $1 AND id = $2"
                        ),
                        &[&PgTime::of(s.received_at), &s.id.as_uuid()],
                        decode_scan,
                    )
                    .await?;
                    let mut expected = s.clone();
                    expected.received_at = store_precision(s.received_at);
                    expected.at = store_precision(s.at);
                    expected.anonymized_at = s.anonymized_at.map(store_precision);
                    if stored.as_ref() != Some(&expected) {
                        return Err(StoreError::conflict(
                            Entity::Event,
                            ConflictReason::DifferentContent,
                        ));
                    }
                }
            }
            add_counts(&tx, counts).await
        })
    }

    async fn scans_by_package(&self, pic: &BlindToken) -> Result<Vec<TrackingScan>, StoreError> {
        let c = self.client().await?;
        query_vec(
            &c,
            &format!("SELECT {SCAN_COLS} FROM usps_scans WHERE pic = $1 ORDER BY at, id"),
            &[&pic.as_bytes()],
            decode_scan,
        )
        .await
    }

    async fn scans_of(
        &self,
        subject: SubjectId,
        limit: u32,
    ) -> Result<Vec<TrackingScan>, StoreError> {
        let c = self.client().await?;
        query_vec(
            &c,
            &format!(
                "SELECT {SCAN_COLS} FROM usps_scans WHERE subject = $1 ORDER BY at, id LIMIT $2"
            ),
            &[&subject.as_uuid(), &limit_of(limit)],
            decode_scan,
        )
        .await
    }

    async fn aggregate_scans(&self, q: &ScanAggregateQuery) -> Result<Aggregate, StoreError> {
        let col = match q.group_by {
            ScanGroup::Zip3 => "zip3",
            ScanGroup::Event => "event",
        };
        let c = self.client().await?;
        let rows = query_vec(
            &c,
            &format!(
                "SELECT {col}::text, COUNT(DISTINCT COALESCE(account, subject, id)), COUNT(*) \
                 FROM usps_scans WHERE received_at >= $1 AND received_at < $2 \
                 GROUP BY {col} ORDER BY {col} NULLS FIRST"
            ),
            &[&PgTime::of(q.from), &PgTime::of(q.until)],
            agg_row,
        )
        .await?;
        Ok(split_groups(rows, q.min_group))
    }

    async fn anonymize_scans(
        &self,
        before: Timestamp,
        at: Timestamp,
        keep: &[SubjectId],
        limit: u32,
        dry_run: bool,
    ) -> Result<PurgeCount, StoreError> {
        let c = self.client().await?;
        let (cut, keep) = (PgTime::of(before), keep_ids(keep));
        let held = count(
            &c,
            "SELECT COUNT(*) FROM usps_scans WHERE received_at < $1 AND anonymized_at IS NULL \
             AND subject = ANY($2)",
            &[&cut, &keep],
        )
        .await?;
        let affected = if dry_run {
            count(
                &c,
                "SELECT COUNT(*) FROM usps_scans WHERE received_at < $1 AND anonymized_at IS NULL \
                 AND (subject IS NULL OR NOT (subject = ANY($2)))",
                &[&cut, &keep],
            )
            .await?
        } else {
            exec(
                &c,
                "UPDATE usps_scans SET pic = NULL, subject = NULL, account = NULL, anonymized_at = $4 \
                 WHERE (received_at, id) IN ( \
                   SELECT received_at, id FROM usps_scans WHERE received_at < $1 \
                   AND anonymized_at IS NULL AND (subject IS NULL OR NOT (subject = ANY($2))) \
                   ORDER BY received_at, id LIMIT $3)",
                &[&cut, &keep, &limit_of(limit), &PgTime::of(at)],
            )
            .await?
        };
        Ok(PurgeCount { affected, held })
    }

    async fn scan_subjects_before(&self, before: Timestamp) -> Result<Vec<SubjectId>, StoreError> {
        let c = self.client().await?;
        query_vec(
            &c,
            "SELECT DISTINCT subject FROM usps_scans WHERE received_at < $1 \
             AND anonymized_at IS NULL AND subject IS NOT NULL ORDER BY subject",
            &[&PgTime::of(before)],
            |r| Ok(SubjectId::from_uuid(r.uuid(0, "subject id")?)),
        )
        .await
    }

    async fn add_ingest_counts(&self, counts: &[IngestCount]) -> Result<(), StoreError> {
        let c = self.client().await?;
        add_counts(&c, counts).await
    }

    async fn ingest_counts(&self, from: Date, until: Date) -> Result<Vec<IngestCount>, StoreError> {
        let c = self.client().await?;
        query_vec(
            &c,
            "SELECT day, stream, outcome, reason, count FROM ingest_counters \
             WHERE day >= $1 AND day <= $2 ORDER BY day, stream, outcome, reason",
            &[&day_code(from), &day_code(until)],
            |r| {
                Ok(IngestCount {
                    day: day_of(r.col::<i32>(0, "day")?)?,
                    stream: IngestStream::from_code(r.code(1, "stream")?)?,
                    outcome: IngestOutcome::from_code(r.code(2, "outcome")?)?,
                    reason: r.key(3, "reason")?,
                    count: u64_of(r.col::<i64>(4, "count")?, "count")?,
                })
            },
        )
        .await
    }

    async fn erase_events_of(
        &self,
        subject: SubjectId,
        at: Timestamp,
    ) -> Result<EventErasure, StoreError> {
        tx!(self, |tx| async {
            let s = subject.as_uuid();
            let usage_events =
                exec(&tx, "DELETE FROM usage_events WHERE subject = $1", &[&s]).await?;
            let logins = exec(&tx, "DELETE FROM login_ips WHERE subject = $1", &[&s]).await?;
            let scans = exec(
                &tx,
                "UPDATE usps_scans SET pic = NULL, subject = NULL, account = NULL, anonymized_at = $2 \
                 WHERE subject = $1",
                &[&s, &PgTime::of(at)],
            )
            .await?;
            Ok(EventErasure {
                usage_events,
                logins,
                scans,
            })
        })
    }

    async fn put_dataset(&self, d: &DatasetRecord) -> Result<(), StoreError> {
        if d.lineage.is_empty() {
            return Err(
                ValueError::new("dataset lineage", "must name at least one category").into(),
            );
        }
        let mut expected = d.clone();
        expected.lineage.sort();
        expected.lineage.dedup();
        expected.created_at = store_precision(d.created_at);
        expected.retain_until = d.retain_until.map(store_precision);
        let lineage: Vec<&str> = expected.lineage.iter().map(CategoryKey::as_str).collect();
        let parents: Vec<uuid::Uuid> = d.parents.iter().map(|p| p.as_uuid()).collect();
        let c = self.client().await?;
        let n = exec(
            &c,
            "INSERT INTO datasets (id, name, lineage, parents, created_at, retain_until) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING",
            &[
                &d.id.as_uuid(),
                &d.name.as_str(),
                &lineage,
                &parents,
                &PgTime::of(d.created_at),
                &PgTime::opt(d.retain_until),
            ],
        )
        .await?;
        if n == 0 && self.get_dataset(d.id).await? != expected {
            return Err(StoreError::conflict(
                Entity::Dataset,
                ConflictReason::DifferentContent,
            ));
        }
        Ok(())
    }

    async fn get_dataset(&self, id: DatasetId) -> Result<DatasetRecord, StoreError> {
        let c = self.client().await?;
        query_opt(
            &c,
            "SELECT id, name, lineage, parents, created_at, retain_until FROM datasets WHERE id = $1",
            &[&id.as_uuid()],
            decode_dataset,
        )
        .await?
        .ok_or(StoreError::NotFound(Entity::Dataset))
    }

    async fn link_ticket_items(
        &self,
        ticket: &TicketRef,
        items: &[ItemId],
        at: Timestamp,
    ) -> Result<(), StoreError> {
        tx!(self, |tx| async {
            for i in items {
                let exists = query_opt(
                    &tx,
                    "SELECT 1 FROM items WHERE id = $1",
                    &[&i.as_uuid()],
                    |_| Ok(()),
                )
                .await?;
                if exists.is_none() {
                    return Err(StoreError::NotFound(Entity::Item));
                }
                exec(
                    &tx,
                    "INSERT INTO ticket_items (ticket, item, linked_at) VALUES ($1, $2, $3) \
                     ON CONFLICT DO NOTHING",
                    &[&ticket.as_str(), &i.as_uuid(), &PgTime::of(at)],
                )
                .await?;
            }
            Ok(())
        })
    }

    async fn ticket_items(&self, ticket: &TicketRef) -> Result<Vec<ItemId>, StoreError> {
        let c = self.client().await?;
        query_vec(
            &c,
            "SELECT item FROM ticket_items WHERE ticket = $1 ORDER BY linked_at, item",
            &[&ticket.as_str()],
            |r| Ok(ItemId::from_uuid(r.uuid(0, "item id")?)),
        )
        .await
    }

    async fn enqueue_notifications(
        &self,
        tasks: &[PartnerNotification],
    ) -> Result<u64, StoreError> {
        if tasks.is_empty() {
            return Ok(0);
        }
        tx!(self, |tx| async {
            let mut new = 0;
            for t in tasks {
                new += exec(
                    &tx,
                    &format!(
                        "INSERT INTO partner_notifications ({NOTE_COLS}) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING"
                    ),
                    &[
                        &t.id.as_uuid(),
                        &t.subject.as_uuid(),
                        &t.recipient.as_str(),
                        &i16_of(t.kind.code()),
                        &t.trigger.as_uuid(),
                        &PgTime::of(t.created_at),
                        &PgTime::of(t.due_at),
                        &PgTime::opt(t.sent_at),
                        &PgTime::opt(t.acked_at),
                        &i32::try_from(t.attempts).unwrap_or(i32::MAX),
                    ],
                )
                .await?;
            }
            Ok(new)
        })
    }

    async fn open_notifications(&self, limit: u32) -> Result<Vec<PartnerNotification>, StoreError> {
        let c = self.client().await?;
        query_vec(
            &c,
            &format!(
                "SELECT {NOTE_COLS} FROM partner_notifications WHERE acked_at IS NULL \
                 ORDER BY due_at, id LIMIT $1"
            ),
            &[&limit_of(limit)],
            decode_note,
        )
        .await
    }

    async fn unsent_notifications(
        &self,
        recipients: &[RecipientKey],
        limit: u32,
    ) -> Result<Vec<PartnerNotification>, StoreError> {
        if recipients.is_empty() {
            return Ok(Vec::new());
        }
        let names: Vec<&str> = recipients.iter().map(RecipientKey::as_str).collect();
        let c = self.client().await?;
        query_vec(
            &c,
            &format!(
                "SELECT {NOTE_COLS} FROM partner_notifications \
                 WHERE acked_at IS NULL AND attempts = 0 AND recipient = ANY($1) \
                 ORDER BY due_at, id LIMIT $2"
            ),
            &[&names, &limit_of(limit)],
            decode_note,
        )
        .await
    }

    async fn get_notification(
        &self,
        id: NotificationId,
    ) -> Result<PartnerNotification, StoreError> {
        let c = self.client().await?;
        query_opt(
            &c,
            &format!("SELECT {NOTE_COLS} FROM partner_notifications WHERE id = $1"),
            &[&id.as_uuid()],
            decode_note,
        )
        .await?
        .ok_or(StoreError::NotFound(Entity::Notification))
    }

    async fn notifications_of(
        &self,
        subject: SubjectId,
    ) -> Result<Vec<PartnerNotification>, StoreError> {
        let c = self.client().await?;
        query_vec(
            &c,
            &format!(
                "SELECT {NOTE_COLS} FROM partner_notifications WHERE subject = $1 \
                 ORDER BY created_at, id"
            ),
            &[&subject.as_uuid()],
            decode_note,
        )
        .await
    }

    async fn update_notification(
        &self,
        id: NotificationId,
        update: NotificationUpdate,
        at: Timestamp,
    ) -> Result<PartnerNotification, StoreError> {
        let c = self.client().await?;
        let (sql, with_time) = match update {
            NotificationUpdate::Attempted { delivered: true } => (
                "UPDATE partner_notifications SET attempts = attempts + 1, sent_at = $2 WHERE id = $1",
                true,
            ),
            NotificationUpdate::Attempted { delivered: false } => (
                "UPDATE partner_notifications SET attempts = attempts + 1 WHERE id = $1",
                false,
            ),
            NotificationUpdate::Acknowledged => (
                "UPDATE partner_notifications SET acked_at = COALESCE(acked_at, $2) WHERE id = $1",
                true,
            ),
        };
        let changed = if with_time {
            exec(&c, sql, &[&id.as_uuid(), &PgTime::of(at)]).await?
        } else {
            exec(&c, sql, &[&id.as_uuid()]).await?
        };
        if changed == 0 {
            return Err(StoreError::NotFound(Entity::Notification));
        }
        query_opt(
            &c,
            &format!("SELECT {NOTE_COLS} FROM partner_notifications WHERE id = $1"),
            &[&id.as_uuid()],
            decode_note,
        )
        .await?
        .ok_or(StoreError::NotFound(Entity::Notification))
    }
}
