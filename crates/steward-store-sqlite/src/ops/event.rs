//! Usage events, the log-in security log, USPS scans, ingest counters, aggregates, retention
//! purges, derived datasets, ticket items and partner notifications (`EventStore`).
//!
//! The usage-event insert is the hot path of `POST /v1/events`: one prepared statement per
//! row inside the writer's group transaction, keyed by `(received_at, id)` so rows append to
//! the end of the B-tree. There is no IP column to write.

use jiff::Timestamp;
use jiff::civil::Date;
use rusqlite::{Connection, Row, params};
use steward_store::model::event::{
    Aggregate, AggregateGroup, DatasetId, DatasetRecord, EventErasure, IngestCount, IngestOutcome,
    IngestStream, IpPseudonym, LoginId, LoginRecord, NotificationId, NotificationKind,
    NotificationUpdate, PartnerNotification, PurgeCount, ScanAggregateQuery, ScanGroup, ScanId,
    TicketRef, TrackingScan, UsageAggregateQuery, UsageEvent, UsageEventId, UsageGroup, UsageScope,
    Zip3,
};
use steward_store::values::{RecipientKey, store_precision};
use steward_store::{
    AccountId, BlindToken, ChoiceId, Ciphertext, ConflictReason, Entity, IdentityKind, IdentityRef,
    ItemId, StoreError, SubjectId, ValueError,
};

use super::subject;
use crate::sql::{
    RowExt, db, exec, exec_raw, is_pk_violation, micros, opt_micros, query_opt, query_vec,
};

// ---------------------------------------------------------------- shared

fn day_code(d: Date) -> i64 {
    i64::from(d.year()) * 10_000 + i64::from(d.month()) * 100 + i64::from(d.day())
}

fn day_of(code: i64) -> Result<Date, StoreError> {
    let y = i16::try_from(code / 10_000).map_err(|_| StoreError::corrupt("day"))?;
    let m = i8::try_from((code / 100) % 100).map_err(|_| StoreError::corrupt("day"))?;
    let d = i8::try_from(code % 100).map_err(|_| StoreError::corrupt("day"))?;
    Date::new(y, m, d).map_err(|_| StoreError::corrupt("day"))
}

fn device_of(
    r: &Row<'_>,
    kind_at: usize,
    token_at: usize,
) -> Result<Option<IdentityRef>, StoreError> {
    match (
        r.opt_code_at(kind_at, "device kind")?,
        r.opt_blob_at(token_at, "device")?,
    ) {
        (Some(k), Some(t)) => Ok(Some(IdentityRef {
            kind: IdentityKind::from_code(k)?,
            token: BlindToken::new(t.to_vec()).map_err(|_| StoreError::corrupt("device"))?,
        })),
        (None, None) => Ok(None),
        _ => Err(StoreError::corrupt("device")),
    }
}

/// Fills the connection-local table of subjects to keep (legal holds) for one statement.
fn load_keep(conn: &Connection, keep: &[SubjectId]) -> Result<(), StoreError> {
    conn.execute_batch(
        "CREATE TEMP TABLE IF NOT EXISTS keep_subjects (id BLOB NOT NULL PRIMARY KEY) WITHOUT ROWID;
         DELETE FROM temp.keep_subjects;",
    )
    .map_err(db)?;
    for s in keep {
        exec(
            conn,
            "INSERT OR IGNORE INTO temp.keep_subjects (id) VALUES (?1)",
            [s.to_bytes()],
        )?;
    }
    Ok(())
}

fn count(conn: &Connection, sql: &str, p: impl rusqlite::Params) -> Result<u64, StoreError> {
    let n: i64 = conn
        .prepare_cached(sql)
        .map_err(db)?
        .query_row(p, |r| r.get(0))
        .map_err(db)?;
    u64::try_from(n).map_err(|_| StoreError::corrupt("count"))
}

fn n_u64(v: usize) -> u64 {
    u64::try_from(v).unwrap_or(u64::MAX)
}

fn subjects(conn: &Connection, sql: &str, at: Timestamp) -> Result<Vec<SubjectId>, StoreError> {
    query_vec(conn, sql, [micros(at)], |r| {
        Ok(SubjectId::from_bytes(r.id16_at(0, "subject id")?))
    })
}

pub(crate) fn add_counts(conn: &Connection, counts: &[IngestCount]) -> Result<(), StoreError> {
    for c in counts {
        if c.count == 0 {
            continue;
        }
        let n = i64::try_from(c.count).map_err(|_| ValueError::new("count", "too large"))?;
        exec(
            conn,
            "INSERT INTO ingest_counters (day, stream, outcome, reason, count) VALUES (?1, ?2, ?3, ?4, ?5) \
             ON CONFLICT (day, stream, outcome, reason) DO UPDATE SET count = count + excluded.count",
            params![
                day_code(c.day),
                c.stream.code(),
                c.outcome.code(),
                c.reason.as_str(),
                n
            ],
        )?;
    }
    Ok(())
}

pub(crate) fn counts(
    conn: &Connection,
    from: Date,
    until: Date,
) -> Result<Vec<IngestCount>, StoreError> {
    query_vec(
        conn,
        "SELECT day, stream, outcome, reason, count FROM ingest_counters \
         WHERE day >= ?1 AND day <= ?2 ORDER BY day, stream, outcome, reason",
        [day_code(from), day_code(until)],
        |r| {
            Ok(IngestCount {
                day: day_of(r.i64_at(0, "day")?)?,
                stream: IngestStream::from_code(r.code_at(1, "stream")?)?,
                outcome: IngestOutcome::from_code(r.code_at(2, "outcome")?)?,
                reason: r.key_at(3, "reason")?,
                count: u64::try_from(r.i64_at(4, "count")?)
                    .map_err(|_| StoreError::corrupt("count"))?,
            })
        },
    )
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

// ---------------------------------------------------------------- usage events

const USAGE_COLS: &str = "received_at, id, at, tracker, kind, device_kind, device, subject, page, \
                          link, browser, ip_epoch, ip_token, geo, registered";

fn decode_usage(r: &Row<'_>) -> Result<UsageEvent, StoreError> {
    let ip = match (
        r.opt_i64_at(11, "ip epoch")?,
        r.opt_blob_at(12, "ip token")?,
    ) {
        (Some(e), Some(t)) => Some(IpPseudonym {
            epoch: u32::try_from(e).map_err(|_| StoreError::corrupt("ip epoch"))?,
            token: t.try_into().map_err(|_| StoreError::corrupt("ip token"))?,
        }),
        (None, None) => None,
        _ => return Err(StoreError::corrupt("ip token")),
    };
    Ok(UsageEvent {
        received_at: r.time_at(0)?,
        id: UsageEventId::from_bytes(r.id16_at(1, "usage event id")?),
        at: r.time_at(2)?,
        tracker: r.key_at(3, "tracker")?,
        kind: r.key_at(4, "event kind")?,
        device: device_of(r, 5, 6)?,
        subject: r.opt_id16_at(7, "subject id")?.map(SubjectId::from_bytes),
        page: r
            .opt_blob_or_text(8)?
            .map(|s| {
                steward_store::model::event::PagePath::new(s)
                    .map_err(|_| StoreError::corrupt("page"))
            })
            .transpose()?,
        link: r
            .opt_blob_or_text(9)?
            .map(|s| {
                steward_store::model::event::PagePath::new(s)
                    .map_err(|_| StoreError::corrupt("link"))
            })
            .transpose()?,
        browser: r.opt_key_at(10, "browser")?,
        ip,
        geo: r.opt_key_at(13, "geo")?,
        registered: r.i64_at(14, "registered")? != 0,
    })
}

trait OptText {
    fn opt_blob_or_text(&self, i: usize) -> Result<Option<String>, StoreError>;
}

impl OptText for Row<'_> {
    fn opt_blob_or_text(&self, i: usize) -> Result<Option<String>, StoreError> {
        self.value(i)?
            .as_str_or_null()
            .map(|o| o.map(str::to_owned))
            .map_err(|_| StoreError::corrupt("text"))
    }
}

fn same_usage(stored: &UsageEvent, e: &UsageEvent) -> bool {
    let mut expected = e.clone();
    expected.received_at = store_precision(e.received_at);
    expected.at = store_precision(e.at);
    *stored == expected
}

/// Rows per multi-row `INSERT` (15 parameters each): one statement step per chunk instead
/// of one per row roughly halves the writer's time per event.
const USAGE_CHUNK: usize = 32;

/// The column values of a usage event, borrowed where they can be.
struct UsageRow<'a> {
    received_at: i64,
    id: [u8; 16],
    at: i64,
    tracker: &'a str,
    kind: &'a str,
    device_kind: Option<u8>,
    device: Option<&'a [u8]>,
    subject: Option<[u8; 16]>,
    page: Option<&'a str>,
    link: Option<&'a str>,
    browser: Option<&'a str>,
    ip_epoch: Option<u32>,
    ip_token: Option<[u8; 16]>,
    geo: Option<&'a str>,
    registered: bool,
}

impl<'a> UsageRow<'a> {
    fn of(e: &'a UsageEvent) -> Self {
        UsageRow {
            received_at: micros(e.received_at),
            id: e.id.to_bytes(),
            at: micros(e.at),
            tracker: e.tracker.as_str(),
            kind: e.kind.as_str(),
            device_kind: e.device.as_ref().map(|d| d.kind.code()),
            device: e.device.as_ref().map(|d| d.token.as_bytes()),
            subject: e.subject.map(|s| s.to_bytes()),
            page: e.page.as_ref().map(|p| p.as_str()),
            link: e.link.as_ref().map(|p| p.as_str()),
            browser: e.browser.as_ref().map(|b| b.as_str()),
            ip_epoch: e.ip.map(|i| i.epoch),
            ip_token: e.ip.map(|i| i.token),
            geo: e.geo.as_ref().map(|g| g.as_str()),
            registered: e.registered,
        }
    }

    fn push<'r>(&'r self, out: &mut Vec<&'r dyn rusqlite::ToSql>) {
        out.extend_from_slice(&[
            &self.received_at,
            &self.id,
            &self.at,
            &self.tracker,
            &self.kind,
            &self.device_kind,
            &self.device,
            &self.subject,
            &self.page,
            &self.link,
            &self.browser,
            &self.ip_epoch,
            &self.ip_token,
            &self.geo,
            &self.registered,
        ]);
    }
}

fn insert_one(conn: &Connection, e: &UsageEvent) -> Result<(), StoreError> {
    let row = UsageRow::of(e);
    let mut p: Vec<&dyn rusqlite::ToSql> = Vec::with_capacity(15);
    row.push(&mut p);
    let inserted = exec_raw(
        conn,
        &format!(
            "INSERT INTO usage_events ({USAGE_COLS}) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)"
        ),
        rusqlite::params_from_iter(p),
    );
    match inserted {
        Ok(_) => Ok(()),
        Err(err) if is_pk_violation(&err) => {
            let stored = query_opt(
                conn,
                &format!(
                    "SELECT {USAGE_COLS} FROM usage_events WHERE received_at = ?1 AND id = ?2"
                ),
                params![micros(e.received_at), e.id.to_bytes()],
                decode_usage,
            )?;
            if stored.is_some_and(|s| same_usage(&s, e)) {
                Ok(())
            } else {
                Err(StoreError::conflict(
                    Entity::Event,
                    ConflictReason::DifferentContent,
                ))
            }
        }
        Err(err) => Err(db(err)),
    }
}

pub(crate) fn ingest_usage(
    conn: &Connection,
    events: &[UsageEvent],
    counts: &[IngestCount],
) -> Result<(), StoreError> {
    let mut sql = format!("INSERT INTO usage_events ({USAGE_COLS}) VALUES ");
    for i in 0..USAGE_CHUNK {
        let b = i * 15;
        if i > 0 {
            sql.push(',');
        }
        sql.push('(');
        for k in 1..=15 {
            if k > 1 {
                sql.push(',');
            }
            sql.push('?');
            sql.push_str(&(b + k).to_string());
        }
        sql.push(')');
    }
    for chunk in events.chunks(USAGE_CHUNK) {
        if chunk.len() < USAGE_CHUNK {
            for e in chunk {
                insert_one(conn, e)?;
            }
            continue;
        }
        let rows: Vec<UsageRow<'_>> = chunk.iter().map(UsageRow::of).collect();
        let mut p: Vec<&dyn rusqlite::ToSql> = Vec::with_capacity(15 * USAGE_CHUNK);
        for r in &rows {
            r.push(&mut p);
        }
        let inserted = exec_raw(conn, &sql, rusqlite::params_from_iter(p));
        match inserted {
            Ok(_) => {}
            // A retried or duplicated row: the statement did nothing; go row by row.
            Err(err) if is_pk_violation(&err) => {
                for e in chunk {
                    insert_one(conn, e)?;
                }
            }
            Err(err) => return Err(db(err)),
        }
    }
    add_counts(conn, counts)
}

pub(crate) fn usage_of(
    conn: &Connection,
    scope: &UsageScope,
    limit: u32,
) -> Result<Vec<UsageEvent>, StoreError> {
    let limit = i64::from(limit.max(1));
    match scope {
        UsageScope::Subject(s) => query_vec(
            conn,
            &format!(
                "SELECT {USAGE_COLS} FROM usage_events WHERE subject = ?1 \
                 ORDER BY received_at, id LIMIT ?2"
            ),
            params![s.to_bytes(), limit],
            decode_usage,
        ),
        UsageScope::Device(d) => query_vec(
            conn,
            &format!(
                "SELECT {USAGE_COLS} FROM usage_events WHERE device_kind = ?1 AND device = ?2 \
                 ORDER BY received_at, id LIMIT ?3"
            ),
            params![d.kind.code(), d.token.as_bytes(), limit],
            decode_usage,
        ),
    }
}

pub(crate) fn aggregate_usage(
    conn: &Connection,
    q: &UsageAggregateQuery,
) -> Result<Aggregate, StoreError> {
    let col = match q.group_by {
        UsageGroup::Geo => "geo",
        UsageGroup::Page => "page",
        UsageGroup::Tracker => "tracker",
    };
    let rows = query_vec(
        conn,
        &format!(
            "SELECT {col}, COUNT(DISTINCT COALESCE(device, ip_token)), COUNT(*) FROM usage_events \
             WHERE received_at >= ?1 AND received_at < ?2 GROUP BY {col} ORDER BY {col}"
        ),
        params![micros(q.from), micros(q.until)],
        |r| {
            Ok((
                r.opt_blob_or_text(0)?,
                u64::try_from(r.i64_at(1, "count")?).map_err(|_| StoreError::corrupt("count"))?,
                u64::try_from(r.i64_at(2, "count")?).map_err(|_| StoreError::corrupt("count"))?,
            ))
        },
    )?;
    Ok(split_groups(rows, q.min_group))
}

pub(crate) fn purge_usage(
    conn: &Connection,
    before: Timestamp,
    keep: &[SubjectId],
    limit: u32,
    dry_run: bool,
) -> Result<PurgeCount, StoreError> {
    load_keep(conn, keep)?;
    let cut = micros(before);
    let held = count(
        conn,
        "SELECT COUNT(*) FROM usage_events WHERE received_at < ?1 \
         AND subject IN (SELECT id FROM temp.keep_subjects)",
        [cut],
    )?;
    let affected = if dry_run {
        count(
            conn,
            "SELECT COUNT(*) FROM usage_events WHERE received_at < ?1 \
             AND (subject IS NULL OR subject NOT IN (SELECT id FROM temp.keep_subjects))",
            [cut],
        )?
    } else {
        n_u64(exec(
            conn,
            "DELETE FROM usage_events WHERE (received_at, id) IN ( \
               SELECT received_at, id FROM usage_events WHERE received_at < ?1 \
               AND (subject IS NULL OR subject NOT IN (SELECT id FROM temp.keep_subjects)) \
               ORDER BY received_at, id LIMIT ?2)",
            params![cut, i64::from(limit.max(1))],
        )?)
    };
    Ok(PurgeCount { affected, held })
}

pub(crate) fn usage_subjects_before(
    conn: &Connection,
    before: Timestamp,
) -> Result<Vec<SubjectId>, StoreError> {
    subjects(
        conn,
        "SELECT DISTINCT subject FROM usage_events WHERE received_at < ?1 AND subject IS NOT NULL ORDER BY subject",
        before,
    )
}

// ---------------------------------------------------------------- log-in security log

const LOGIN_COLS: &str = "id, subject, at, ip, device_kind, device, retain_until";

fn decode_login(r: &Row<'_>) -> Result<LoginRecord, StoreError> {
    Ok(LoginRecord {
        id: LoginId::from_bytes(r.id16_at(0, "login id")?),
        subject: SubjectId::from_bytes(r.id16_at(1, "subject id")?),
        at: r.time_at(2)?,
        ip: Ciphertext::new(r.blob_at(3, "ciphertext")?.to_vec())
            .map_err(|_| StoreError::corrupt("ciphertext"))?,
        device: device_of(r, 4, 5)?,
        retain_until: r.time_at(6)?,
    })
}

pub(crate) fn record_logins(conn: &Connection, logins: &[LoginRecord]) -> Result<(), StoreError> {
    for l in logins {
        if !subject::exists(conn, l.subject)? {
            return Err(StoreError::NotFound(Entity::Subject));
        }
        let (dk, dt) = match &l.device {
            Some(d) => (Some(d.kind.code()), Some(d.token.as_bytes())),
            None => (None, None),
        };
        let inserted = exec_raw(
            conn,
            &format!("INSERT INTO login_ips ({LOGIN_COLS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"),
            params![
                l.id.to_bytes(),
                l.subject.to_bytes(),
                micros(l.at),
                l.ip.as_bytes(),
                dk,
                dt,
                micros(l.retain_until),
            ],
        );
        match inserted {
            Ok(_) => {}
            Err(e) if is_pk_violation(&e) => {
                let stored = query_opt(
                    conn,
                    &format!("SELECT {LOGIN_COLS} FROM login_ips WHERE id = ?1"),
                    [l.id.to_bytes()],
                    decode_login,
                )?;
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
            Err(e) => return Err(db(e)),
        }
    }
    Ok(())
}

pub(crate) fn logins_of(
    conn: &Connection,
    s: SubjectId,
    limit: u32,
) -> Result<Vec<LoginRecord>, StoreError> {
    query_vec(
        conn,
        &format!(
            "SELECT {LOGIN_COLS} FROM login_ips WHERE subject = ?1 ORDER BY at DESC, id DESC LIMIT ?2"
        ),
        params![s.to_bytes(), i64::from(limit.max(1))],
        decode_login,
    )
}

pub(crate) fn purge_logins(
    conn: &Connection,
    now: Timestamp,
    keep: &[SubjectId],
    limit: u32,
    dry_run: bool,
) -> Result<PurgeCount, StoreError> {
    load_keep(conn, keep)?;
    let t = micros(now);
    let held = count(
        conn,
        "SELECT COUNT(*) FROM login_ips WHERE retain_until <= ?1 \
         AND subject IN (SELECT id FROM temp.keep_subjects)",
        [t],
    )?;
    let affected = if dry_run {
        count(
            conn,
            "SELECT COUNT(*) FROM login_ips WHERE retain_until <= ?1 \
             AND subject NOT IN (SELECT id FROM temp.keep_subjects)",
            [t],
        )?
    } else {
        n_u64(exec(
            conn,
            "DELETE FROM login_ips WHERE id IN ( \
               SELECT id FROM login_ips WHERE retain_until <= ?1 \
               AND subject NOT IN (SELECT id FROM temp.keep_subjects) \
               ORDER BY retain_until, id LIMIT ?2)",
            params![t, i64::from(limit.max(1))],
        )?)
    };
    Ok(PurgeCount { affected, held })
}

pub(crate) fn login_subjects_due(
    conn: &Connection,
    now: Timestamp,
) -> Result<Vec<SubjectId>, StoreError> {
    subjects(
        conn,
        "SELECT DISTINCT subject FROM login_ips WHERE retain_until <= ?1 ORDER BY subject",
        now,
    )
}

// ---------------------------------------------------------------- USPS scans

const SCAN_COLS: &str = "received_at, id, at, pic, event, zip3, subject, account, anonymized_at";

fn decode_scan(r: &Row<'_>) -> Result<TrackingScan, StoreError> {
    Ok(TrackingScan {
        received_at: r.time_at(0)?,
        id: ScanId::from_bytes(r.id16_at(1, "scan id")?),
        at: r.time_at(2)?,
        pic: r
            .opt_blob_at(3, "pic")?
            .map(|b| BlindToken::new(b.to_vec()).map_err(|_| StoreError::corrupt("pic")))
            .transpose()?,
        event: r.key_at(4, "scan event")?,
        zip3: r
            .opt_blob_or_text(5)?
            .map(|z| Zip3::new(&z).map_err(|_| StoreError::corrupt("zip3")))
            .transpose()?,
        subject: r.opt_id16_at(6, "subject id")?.map(SubjectId::from_bytes),
        account: r.opt_id16_at(7, "account id")?.map(AccountId::from_bytes),
        anonymized_at: r.opt_time_at(8)?,
    })
}

pub(crate) fn ingest_scans(
    conn: &Connection,
    scans: &[TrackingScan],
    counts: &[IngestCount],
) -> Result<(), StoreError> {
    {
        let mut insert = conn
            .prepare_cached(&format!(
                "INSERT INTO usps_scans ({SCAN_COLS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
            ))
            .map_err(db)?;
        for s in scans {
            let inserted = insert.execute(params![
                micros(s.received_at),
                s.id.to_bytes(),
                micros(s.at),
                s.pic.as_ref().map(|p| p.as_bytes()),
                s.event.as_str(),
                s.zip3.as_ref().map(|z| z.as_str()),
                s.subject.map(|x| x.to_bytes()),
                s.account.map(|x| x.to_bytes()),
                opt_micros(s.anonymized_at),
            ]);
            match inserted {
                Ok(_) => {}
                Err(e) if is_pk_violation(&e) => {
                    let stored = query_opt(
                        conn,
                        &format!(
                            "SELECT {SCAN_COLS} FROM usps_scans WHERE received_at = ?1 AND id = ?2"
                        ),
                        params![micros(s.received_at), s.id.to_bytes()],
                        decode_scan,
                    )?;
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
                Err(e) => return Err(db(e)),
            }
        }
    }
    add_counts(conn, counts)
}

pub(crate) fn scans_by_package(
    conn: &Connection,
    pic: &BlindToken,
) -> Result<Vec<TrackingScan>, StoreError> {
    query_vec(
        conn,
        &format!("SELECT {SCAN_COLS} FROM usps_scans WHERE pic = ?1 ORDER BY at, id"),
        [pic.as_bytes()],
        decode_scan,
    )
}

pub(crate) fn scans_of(
    conn: &Connection,
    s: SubjectId,
    limit: u32,
) -> Result<Vec<TrackingScan>, StoreError> {
    query_vec(
        conn,
        &format!("SELECT {SCAN_COLS} FROM usps_scans WHERE subject = ?1 ORDER BY at, id LIMIT ?2"),
        params![s.to_bytes(), i64::from(limit.max(1))],
        decode_scan,
    )
}

pub(crate) fn aggregate_scans(
    conn: &Connection,
    q: &ScanAggregateQuery,
) -> Result<Aggregate, StoreError> {
    let col = match q.group_by {
        ScanGroup::Zip3 => "zip3",
        ScanGroup::Event => "event",
    };
    let rows = query_vec(
        conn,
        &format!(
            "SELECT {col}, COUNT(DISTINCT COALESCE(account, subject, id)), COUNT(*) FROM usps_scans \
             WHERE received_at >= ?1 AND received_at < ?2 GROUP BY {col} ORDER BY {col}"
        ),
        params![micros(q.from), micros(q.until)],
        |r| {
            Ok((
                r.opt_blob_or_text(0)?,
                u64::try_from(r.i64_at(1, "count")?).map_err(|_| StoreError::corrupt("count"))?,
                u64::try_from(r.i64_at(2, "count")?).map_err(|_| StoreError::corrupt("count"))?,
            ))
        },
    )?;
    Ok(split_groups(rows, q.min_group))
}

pub(crate) fn anonymize_scans(
    conn: &Connection,
    before: Timestamp,
    at: Timestamp,
    keep: &[SubjectId],
    limit: u32,
    dry_run: bool,
) -> Result<PurgeCount, StoreError> {
    load_keep(conn, keep)?;
    let cut = micros(before);
    let held = count(
        conn,
        "SELECT COUNT(*) FROM usps_scans WHERE received_at < ?1 AND anonymized_at IS NULL \
         AND subject IN (SELECT id FROM temp.keep_subjects)",
        [cut],
    )?;
    let affected = if dry_run {
        count(
            conn,
            "SELECT COUNT(*) FROM usps_scans WHERE received_at < ?1 AND anonymized_at IS NULL \
             AND (subject IS NULL OR subject NOT IN (SELECT id FROM temp.keep_subjects))",
            [cut],
        )?
    } else {
        n_u64(exec(
            conn,
            "UPDATE usps_scans SET pic = NULL, subject = NULL, account = NULL, anonymized_at = ?3 \
             WHERE (received_at, id) IN ( \
               SELECT received_at, id FROM usps_scans WHERE received_at < ?1 AND anonymized_at IS NULL \
               AND (subject IS NULL OR subject NOT IN (SELECT id FROM temp.keep_subjects)) \
               ORDER BY received_at, id LIMIT ?2)",
            params![cut, i64::from(limit.max(1)), micros(at)],
        )?)
    };
    Ok(PurgeCount { affected, held })
}

pub(crate) fn scan_subjects_before(
    conn: &Connection,
    before: Timestamp,
) -> Result<Vec<SubjectId>, StoreError> {
    subjects(
        conn,
        "SELECT DISTINCT subject FROM usps_scans WHERE received_at < ?1 AND anonymized_at IS NULL \
         AND subject IS NOT NULL ORDER BY subject",
        before,
    )
}

pub(crate) fn erase_events_of(
    conn: &Connection,
    s: SubjectId,
    at: Timestamp,
) -> Result<EventErasure, StoreError> {
    let usage_events = n_u64(exec(
        conn,
        "DELETE FROM usage_events WHERE subject = ?1",
        [s.to_bytes()],
    )?);
    let logins = n_u64(exec(
        conn,
        "DELETE FROM login_ips WHERE subject = ?1",
        [s.to_bytes()],
    )?);
    let scans = n_u64(exec(
        conn,
        "UPDATE usps_scans SET pic = NULL, subject = NULL, account = NULL, anonymized_at = ?2 \
         WHERE subject = ?1",
        params![s.to_bytes(), micros(at)],
    )?);
    Ok(EventErasure {
        usage_events,
        logins,
        scans,
    })
}

// ---------------------------------------------------------------- datasets

fn decode_dataset(r: &Row<'_>) -> Result<DatasetRecord, StoreError> {
    let lineage = r
        .text_at(2, "lineage")?
        .split(' ')
        .filter(|s| !s.is_empty())
        .map(|s| steward_store::CategoryKey::new(s).map_err(|_| StoreError::corrupt("lineage")))
        .collect::<Result<Vec<_>, _>>()?;
    let parents_blob = r.blob_at(3, "parents")?;
    if parents_blob.len() % 16 != 0 {
        return Err(StoreError::corrupt("parents"));
    }
    let parents = parents_blob
        .chunks_exact(16)
        .map(|c| {
            c.try_into()
                .map(DatasetId::from_bytes)
                .map_err(|_| StoreError::corrupt("parents"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(DatasetRecord {
        id: DatasetId::from_bytes(r.id16_at(0, "dataset id")?),
        name: r.key_at(1, "dataset name")?,
        lineage,
        parents,
        created_at: r.time_at(4)?,
        retain_until: r.opt_time_at(5)?,
    })
}

fn get_dataset_opt(conn: &Connection, id: DatasetId) -> Result<Option<DatasetRecord>, StoreError> {
    query_opt(
        conn,
        "SELECT id, name, lineage, parents, created_at, retain_until FROM datasets WHERE id = ?1",
        [id.to_bytes()],
        decode_dataset,
    )
}

pub(crate) fn get_dataset(conn: &Connection, id: DatasetId) -> Result<DatasetRecord, StoreError> {
    get_dataset_opt(conn, id)?.ok_or(StoreError::NotFound(Entity::Dataset))
}

pub(crate) fn put_dataset(conn: &Connection, d: &DatasetRecord) -> Result<(), StoreError> {
    if d.lineage.is_empty() {
        return Err(ValueError::new("dataset lineage", "must name at least one category").into());
    }
    let mut lineage: Vec<&str> = d.lineage.iter().map(|c| c.as_str()).collect();
    lineage.sort_unstable();
    lineage.dedup();
    let parents: Vec<u8> = d.parents.iter().flat_map(|p| p.to_bytes()).collect();
    let inserted = exec_raw(
        conn,
        "INSERT INTO datasets (id, name, lineage, parents, created_at, retain_until) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            d.id.to_bytes(),
            d.name.as_str(),
            lineage.join(" "),
            parents,
            micros(d.created_at),
            opt_micros(d.retain_until),
        ],
    );
    match inserted {
        Ok(_) => Ok(()),
        Err(e) if is_pk_violation(&e) => {
            let stored = get_dataset(conn, d.id)?;
            let mut expected = d.clone();
            expected.lineage.sort();
            expected.lineage.dedup();
            expected.created_at = store_precision(d.created_at);
            expected.retain_until = d.retain_until.map(store_precision);
            if stored == expected {
                Ok(())
            } else {
                Err(StoreError::conflict(
                    Entity::Dataset,
                    ConflictReason::DifferentContent,
                ))
            }
        }
        Err(e) => Err(db(e)),
    }
}

// ---------------------------------------------------------------- ticket items

pub(crate) fn link_ticket_items(
    conn: &Connection,
    ticket: &TicketRef,
    items: &[ItemId],
    at: Timestamp,
) -> Result<(), StoreError> {
    for i in items {
        let exists = query_opt(
            conn,
            "SELECT 1 FROM items WHERE id = ?1",
            [i.to_bytes()],
            |_| Ok(()),
        )?;
        if exists.is_none() {
            return Err(StoreError::NotFound(Entity::Item));
        }
        exec(
            conn,
            "INSERT OR IGNORE INTO ticket_items (ticket, item, linked_at) VALUES (?1, ?2, ?3)",
            params![ticket.as_str(), i.to_bytes(), micros(at)],
        )?;
    }
    Ok(())
}

pub(crate) fn ticket_items(
    conn: &Connection,
    ticket: &TicketRef,
) -> Result<Vec<ItemId>, StoreError> {
    query_vec(
        conn,
        "SELECT item FROM ticket_items WHERE ticket = ?1 ORDER BY linked_at, item",
        [ticket.as_str()],
        |r| Ok(ItemId::from_bytes(r.id16_at(0, "item id")?)),
    )
}

// ---------------------------------------------------------------- partner notifications

const NOTE_COLS: &str =
    "id, subject, recipient, kind, trigger_id, created_at, due_at, sent_at, acked_at, attempts";

fn decode_note(r: &Row<'_>) -> Result<PartnerNotification, StoreError> {
    Ok(PartnerNotification {
        id: NotificationId::from_bytes(r.id16_at(0, "notification id")?),
        subject: SubjectId::from_bytes(r.id16_at(1, "subject id")?),
        recipient: r.key_at(2, "recipient")?,
        kind: NotificationKind::from_code(r.code_at(3, "notification kind")?)?,
        trigger: ChoiceId::from_bytes(r.id16_at(4, "trigger id")?),
        created_at: r.time_at(5)?,
        due_at: r.time_at(6)?,
        sent_at: r.opt_time_at(7)?,
        acked_at: r.opt_time_at(8)?,
        attempts: u32::try_from(r.i64_at(9, "attempts")?)
            .map_err(|_| StoreError::corrupt("attempts"))?,
    })
}

pub(crate) fn enqueue_notifications(
    conn: &Connection,
    tasks: &[PartnerNotification],
) -> Result<u64, StoreError> {
    let mut new = 0;
    for t in tasks {
        new += n_u64(exec(
            conn,
            &format!(
                "INSERT INTO partner_notifications ({NOTE_COLS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) \
                 ON CONFLICT DO NOTHING"
            ),
            params![
                t.id.to_bytes(),
                t.subject.to_bytes(),
                t.recipient.as_str(),
                t.kind.code(),
                t.trigger.to_bytes(),
                micros(t.created_at),
                micros(t.due_at),
                opt_micros(t.sent_at),
                opt_micros(t.acked_at),
                i64::from(t.attempts),
            ],
        )?);
    }
    Ok(new)
}

pub(crate) fn open_notifications(
    conn: &Connection,
    limit: u32,
) -> Result<Vec<PartnerNotification>, StoreError> {
    query_vec(
        conn,
        &format!(
            "SELECT {NOTE_COLS} FROM partner_notifications WHERE acked_at IS NULL \
             ORDER BY due_at, id LIMIT ?1"
        ),
        [i64::from(limit.max(1))],
        decode_note,
    )
}

pub(crate) fn unsent_notifications(
    conn: &Connection,
    recipients: &[RecipientKey],
    limit: u32,
) -> Result<Vec<PartnerNotification>, StoreError> {
    if recipients.is_empty() {
        return Ok(Vec::new());
    }
    let marks = vec!["?"; recipients.len()].join(", ");
    let mut args: Vec<rusqlite::types::Value> = recipients
        .iter()
        .map(|r| rusqlite::types::Value::Text(r.as_str().to_string()))
        .collect();
    args.push(rusqlite::types::Value::Integer(i64::from(
        limit.clamp(1, 10_000),
    )));
    query_vec(
        conn,
        &format!(
            "SELECT {NOTE_COLS} FROM partner_notifications \
             WHERE acked_at IS NULL AND attempts = 0 AND recipient IN ({marks}) \
             ORDER BY due_at, id LIMIT ?"
        ),
        rusqlite::params_from_iter(args),
        decode_note,
    )
}

pub(crate) fn get_notification(
    conn: &Connection,
    id: NotificationId,
) -> Result<PartnerNotification, StoreError> {
    query_opt(
        conn,
        &format!("SELECT {NOTE_COLS} FROM partner_notifications WHERE id = ?1"),
        [id.to_bytes()],
        decode_note,
    )?
    .ok_or(StoreError::NotFound(Entity::Notification))
}

pub(crate) fn notifications_of(
    conn: &Connection,
    s: SubjectId,
) -> Result<Vec<PartnerNotification>, StoreError> {
    query_vec(
        conn,
        &format!(
            "SELECT {NOTE_COLS} FROM partner_notifications WHERE subject = ?1 ORDER BY created_at, id"
        ),
        [s.to_bytes()],
        decode_note,
    )
}

pub(crate) fn update_notification(
    conn: &Connection,
    id: NotificationId,
    update: NotificationUpdate,
    at: Timestamp,
) -> Result<PartnerNotification, StoreError> {
    let changed = match update {
        NotificationUpdate::Attempted { delivered: true } => exec(
            conn,
            "UPDATE partner_notifications SET attempts = attempts + 1, sent_at = ?2 WHERE id = ?1",
            params![id.to_bytes(), micros(at)],
        )?,
        NotificationUpdate::Attempted { delivered: false } => exec(
            conn,
            "UPDATE partner_notifications SET attempts = attempts + 1 WHERE id = ?1",
            [id.to_bytes()],
        )?,
        NotificationUpdate::Acknowledged => exec(
            conn,
            "UPDATE partner_notifications SET acked_at = COALESCE(acked_at, ?2) WHERE id = ?1",
            params![id.to_bytes(), micros(at)],
        )?,
    };
    if changed == 0 {
        return Err(StoreError::NotFound(Entity::Notification));
    }
    query_opt(
        conn,
        &format!("SELECT {NOTE_COLS} FROM partner_notifications WHERE id = ?1"),
        [id.to_bytes()],
        decode_note,
    )?
    .ok_or(StoreError::NotFound(Entity::Notification))
}
