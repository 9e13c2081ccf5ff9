//! Prometheus metrics in the text exposition format, written by hand (no metrics crate):
//! request counts and latency histograms per route, decisions by reason, audit queue depth,
//! authentication failures, rate limiting, in-flight requests and resident memory; usage
//! events by outcome; and the data subject request gauges (open, at risk, overdue per kind,
//! dead letters, unconfirmed processor deletions, unsent messages), refreshed by the
//! background worker of `steward serve` ([`refresh_requests`]).
//!
//! Labels are route templates (`/v1/subjects/{id}`), never concrete paths, so cardinality
//! stays bounded and no identifier reaches the metrics.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::sync::Mutex;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering::Relaxed};
use std::time::Duration;

use steward_core::audit::AuditStats;

/// Upper bounds of the latency buckets, in seconds.
pub const BUCKETS: [f64; 16] = [
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
    5.0, 10.0,
];

#[derive(Debug, Default)]
struct RouteStats {
    by_status: Vec<(&'static str, u16, u64)>,
    buckets: [u64; BUCKETS.len()],
    count: u64,
    sum_micros: u64,
}

type RouteRow = (
    String,
    Vec<(&'static str, u16, u64)>,
    [u64; BUCKETS.len()],
    u64,
    u64,
);

/// The server's counters.
#[derive(Debug, Default)]
pub struct Metrics {
    routes: Mutex<HashMap<String, RouteStats>>,
    decisions: Mutex<HashMap<(&'static str, bool), u64>>,
    other_reasons: Mutex<HashMap<(String, bool), u64>>,
    /// Requests being served.
    pub in_flight: AtomicI64,
    /// Requests refused for a missing or bad key.
    pub auth_failures: AtomicU64,
    /// Requests refused by a rate limit.
    pub rate_limited: AtomicU64,
    /// Decisions answered through the batch endpoint.
    pub batch_decisions: AtomicU64,
    /// Usage events by outcome: accepted, stripped, dropped, rejected (`POST /v1/events`).
    pub events: [AtomicU64; 4],
    /// The request gauges as of the last refresh.
    requests: Mutex<Option<RequestGauges>>,
}

/// Data subject request gauges (a snapshot).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestGauges {
    /// Per request kind: (open, at risk, overdue).
    pub by_kind: BTreeMap<String, (u64, u64, u64)>,
    /// Webhook deliveries on the dead-letter list.
    pub dead_letters: u64,
    /// Processor deletions unconfirmed past the follow-up period (RET-07).
    pub unconfirmed_overdue: u64,
    /// Outbox messages not sent yet.
    pub pending_messages: u64,
    /// Partner opt-out notifications not acknowledged yet (ADTECH-03, CCPA-13).
    pub partner_open: u64,
    /// Of those, past their 15-business-day deadline.
    pub partner_overdue: u64,
    /// Of those, for a recipient with no webhook registered (they cannot be delivered).
    pub partner_without_webhook: u64,
}

/// The outcomes of usage events, in the order of [`Metrics::events`].
pub const EVENT_OUTCOMES: [&str; 4] = ["accepted", "stripped", "dropped", "rejected"];

/// Recompute the request gauges from the workflow (the open queue, paged) and keep them for
/// `/metrics`.
///
/// # Errors
/// Core (store) failures; the previous snapshot stays.
pub async fn refresh_requests(
    state: &crate::AppState,
    requests: &steward_requests::Requests,
) -> Result<(), steward_core::CoreError> {
    let mut g = RequestGauges::default();
    let mut q = steward_requests::ListQuery {
        limit: Some(10_000),
        ..Default::default()
    };
    loop {
        let page = requests.list(&q).await?;
        for r in &page {
            let e = g.by_kind.entry(r.kind.clone()).or_default();
            e.0 += 1;
            match r.status.as_str() {
                "AT_RISK" => e.1 += 1,
                "OVERDUE" => e.2 += 1,
                _ => {}
            }
        }
        match page.last() {
            Some(l) if page.len() == 10_000 => q.after = Some((l.due, l.id)),
            _ => break,
        }
    }
    let m = requests.metrics().await?;
    g.dead_letters = m.dead_letters;
    g.unconfirmed_overdue = m.unconfirmed_overdue;
    g.pending_messages = m.pending_messages;
    g.partner_open = m.partner_notifications_open;
    g.partner_overdue = m.partner_notifications_overdue;
    g.partner_without_webhook = m.partner_notifications_without_webhook;
    state.metrics().set_requests(g);
    Ok(())
}

fn method_str(m: &axum::http::Method) -> &'static str {
    match *m {
        axum::http::Method::GET => "GET",
        axum::http::Method::POST => "POST",
        axum::http::Method::PUT => "PUT",
        axum::http::Method::PATCH => "PATCH",
        axum::http::Method::DELETE => "DELETE",
        axum::http::Method::HEAD => "HEAD",
        axum::http::Method::OPTIONS => "OPTIONS",
        _ => "OTHER",
    }
}

impl Metrics {
    /// Replace the request gauges.
    pub fn set_requests(&self, g: RequestGauges) {
        if let Ok(mut r) = self.requests.lock() {
            *r = Some(g);
        }
    }

    /// Count usage events by outcome.
    pub fn events(&self, accepted: u64, stripped: u64, dropped: u64, rejected: u64) {
        for (c, n) in self
            .events
            .iter()
            .zip([accepted, stripped, dropped, rejected])
        {
            c.fetch_add(n, Relaxed);
        }
    }

    /// Count a finished request.
    pub fn record(&self, route: &str, method: &axum::http::Method, status: u16, took: Duration) {
        let secs = took.as_secs_f64();
        let m = method_str(method);
        let Ok(mut routes) = self.routes.lock() else {
            return;
        };
        let stats = match routes.get_mut(route) {
            Some(s) => s,
            None => routes.entry(route.to_string()).or_default(),
        };
        match stats
            .by_status
            .iter_mut()
            .find(|(mm, s, _)| *mm == m && *s == status)
        {
            Some(e) => e.2 += 1,
            None => stats.by_status.push((m, status, 1)),
        }
        for (i, le) in BUCKETS.iter().enumerate() {
            if secs <= *le {
                stats.buckets[i] += 1;
            }
        }
        stats.count += 1;
        stats.sum_micros += u64::try_from(took.as_micros()).unwrap_or(u64::MAX);
    }

    /// Count decisions by reason.
    pub fn decision(&self, reason: &'static str, allow: bool, n: u64) {
        if let Ok(mut d) = self.decisions.lock() {
            *d.entry((reason, allow)).or_default() += n;
        }
    }

    /// Count decisions by a reason known only as text (codes from the engine).
    pub fn decision_text(&self, reason: &str, allow: bool, n: u64) {
        if let Ok(mut d) = self.other_reasons.lock() {
            if d.len() > 256 && !d.contains_key(&(reason.to_string(), allow)) {
                return;
            }
            *d.entry((reason.to_string(), allow)).or_default() += n;
        }
    }

    /// The exposition text.
    pub fn render(&self, audit: &AuditStats) -> String {
        let mut out = String::with_capacity(8192);
        let _ = writeln!(
            out,
            "# HELP steward_http_requests_total HTTP requests by route template, method and status.\n# TYPE steward_http_requests_total counter"
        );
        let routes = self.routes.lock().map(|r| {
            let mut v: Vec<RouteRow> = r
                .iter()
                .map(|(k, s)| {
                    (
                        k.clone(),
                        s.by_status.clone(),
                        s.buckets,
                        s.count,
                        s.sum_micros,
                    )
                })
                .collect();
            v.sort_by(|a, b| a.0.cmp(&b.0));
            v
        });
        let routes = routes.unwrap_or_default();
        for (route, by_status, _, _, _) in &routes {
            for (m, s, n) in by_status {
                let _ = writeln!(
                    out,
                    "steward_http_requests_total{{route=\"{}\",method=\"{m}\",status=\"{s}\"}} {n}",
                    escape(route)
                );
            }
        }
        let _ = writeln!(
            out,
            "# HELP steward_http_request_duration_seconds Time to answer, by route template.\n# TYPE steward_http_request_duration_seconds histogram"
        );
        for (route, _, buckets, count, sum) in &routes {
            let r = escape(route);
            for (le, n) in BUCKETS.iter().zip(buckets) {
                let _ = writeln!(
                    out,
                    "steward_http_request_duration_seconds_bucket{{route=\"{r}\",le=\"{le}\"}} {n}"
                );
            }
            let _ = writeln!(
                out,
                "steward_http_request_duration_seconds_bucket{{route=\"{r}\",le=\"+Inf\"}} {count}"
            );
            let _ = writeln!(
                out,
                "steward_http_request_duration_seconds_sum{{route=\"{r}\"}} {}",
                *sum as f64 / 1e6
            );
            let _ = writeln!(
                out,
                "steward_http_request_duration_seconds_count{{route=\"{r}\"}} {count}"
            );
        }
        let _ = writeln!(
            out,
            "# HELP steward_decisions_total Decisions answered, by outcome and reason code.\n# TYPE steward_decisions_total counter"
        );
        let mut rows: Vec<(String, bool, u64)> = Vec::new();
        if let Ok(d) = self.decisions.lock() {
            rows.extend(d.iter().map(|((r, a), n)| ((*r).to_string(), *a, *n)));
        }
        if let Ok(d) = self.other_reasons.lock() {
            for ((r, a), n) in d.iter() {
                match rows.iter_mut().find(|(rr, aa, _)| rr == r && aa == a) {
                    Some(row) => row.2 += n,
                    None => rows.push((r.clone(), *a, *n)),
                }
            }
        }
        rows.sort();
        for (r, a, n) in rows {
            let _ = writeln!(
                out,
                "steward_decisions_total{{allow=\"{a}\",reason=\"{}\"}} {n}",
                escape(&r)
            );
        }
        let gauges: [(&str, &str, &str, f64); 9] = [
            (
                "steward_http_requests_in_flight",
                "gauge",
                "Requests being served.",
                self.in_flight.load(Relaxed) as f64,
            ),
            (
                "steward_audit_queue_depth",
                "gauge",
                "Audit events waiting for the writer.",
                audit.queued.load(Relaxed) as f64,
            ),
            (
                "steward_audit_events_appended_total",
                "counter",
                "Audit events written.",
                audit.appended.load(Relaxed) as f64,
            ),
            (
                "steward_audit_batches_total",
                "counter",
                "Audit store writes (group commits).",
                audit.batches.load(Relaxed) as f64,
            ),
            (
                "steward_audit_checkpoints_total",
                "counter",
                "Signed audit checkpoints.",
                audit.checkpoints.load(Relaxed) as f64,
            ),
            (
                "steward_auth_failures_total",
                "counter",
                "Requests refused for a missing, unknown or revoked key.",
                self.auth_failures.load(Relaxed) as f64,
            ),
            (
                "steward_rate_limited_total",
                "counter",
                "Requests refused by a per-key rate limit.",
                self.rate_limited.load(Relaxed) as f64,
            ),
            (
                "steward_batch_decisions_total",
                "counter",
                "Decisions answered through the batch endpoint.",
                self.batch_decisions.load(Relaxed) as f64,
            ),
            (
                "process_resident_memory_bytes",
                "gauge",
                "Resident memory of the process.",
                resident_bytes() as f64,
            ),
        ];
        for (name, kind, help, v) in gauges {
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} {kind}\n{name} {v}"
            );
        }
        let _ = writeln!(
            out,
            "# HELP steward_events_ingested_total Usage events received, by outcome.\n# TYPE steward_events_ingested_total counter"
        );
        for (o, c) in EVENT_OUTCOMES.iter().zip(&self.events) {
            let _ = writeln!(
                out,
                "steward_events_ingested_total{{outcome=\"{o}\"}} {}",
                c.load(Relaxed)
            );
        }
        if let Some(g) = self.requests.lock().ok().and_then(|r| r.clone()) {
            render_requests(&mut out, &g);
        }
        out
    }
}

/// A per-kind gauge: name, help, and which count of (open, at risk, overdue) it shows.
type KindGauge = (&'static str, &'static str, fn(&(u64, u64, u64)) -> u64);

fn render_requests(out: &mut String, g: &RequestGauges) {
    let per_kind: [KindGauge; 3] = [
        (
            "steward_requests_open",
            "Open data subject requests, by kind.",
            |c| c.0,
        ),
        (
            "steward_requests_at_risk",
            "Open requests due within the at-risk window (DL-04), by kind.",
            |c| c.1,
        ),
        (
            "steward_requests_overdue",
            "Open requests past their deadline, by kind.",
            |c| c.2,
        ),
    ];
    for (name, help, pick) in per_kind {
        // Per kind only (no unlabeled total in the same family: `sum()` gives it).
        let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} gauge");
        for (kind, c) in &g.by_kind {
            let _ = writeln!(out, "{name}{{kind=\"{}\"}} {}", escape(kind), pick(c));
        }
    }
    for (name, help, v) in [
        (
            "steward_webhook_dead_letters",
            "Webhook deliveries on the dead-letter list.",
            g.dead_letters,
        ),
        (
            "steward_processor_confirmations_overdue",
            "Processor deletions unconfirmed past the follow-up period (RET-07).",
            g.unconfirmed_overdue,
        ),
        (
            "steward_outbox_pending",
            "Messages to subjects not sent yet.",
            g.pending_messages,
        ),
        (
            "steward_partner_notifications_open",
            "Partner opt-out notifications not acknowledged yet (ADTECH-03, CCPA-13).",
            g.partner_open,
        ),
        (
            "steward_partner_notifications_overdue",
            "Partner opt-out notifications past their 15-business-day deadline.",
            g.partner_overdue,
        ),
        (
            "steward_partner_notifications_without_webhook",
            "Open partner notifications whose recipient has no webhook registered.",
            g.partner_without_webhook,
        ),
    ] {
        let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {v}");
    }
}

/// The incident notice gauges (SEC-06): notices of open incidents not sent yet, those due
/// within a day, those past due. Computed when `/metrics` is read (one indexed query).
pub fn render_incident_notices(out: &mut String, c: &steward_core::incidents::NoticeCounts) {
    for (name, help, v) in [
        (
            "steward_incident_notices_open",
            "Breach notices of open incidents not sent yet (GDPR-30, GDPR-31, CCPA-35, NV-08).",
            c.open,
        ),
        (
            "steward_incident_notices_near_due",
            "Of those, due within 24 hours.",
            c.near_due,
        ),
        (
            "steward_incident_notices_overdue",
            "Of those, past their due time.",
            c.overdue,
        ),
    ] {
        let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {v}");
    }
}

/// The CHG-05 gauge: 1 while the policy in force (`version`) took effect more than 12 months
/// ago.
pub fn render_policy_stale(out: &mut String, version: &str, stale: bool) {
    let name = "steward_policy_stale";
    let _ = writeln!(
        out,
        "# HELP {name} 1 when the policy in force took effect more than 12 months ago (CHG-05).\n# TYPE {name} gauge\n{name}{{version=\"{}\"}} {}",
        escape(version),
        u8::from(stale)
    );
}

/// The expiry gauges of the policy in force (DPF-02, SP-04), by `kind` (`transfer`,
/// `contract`; both always present): how many have expired, and how many expire within the
/// warning window ([`steward_policy::expiry::WARNING_DAYS`]).
pub fn render_policy_expiry(out: &mut String, expiries: &[steward_policy::expiry::Expiry]) {
    use steward_policy::expiry::ExpiryKind;
    for (name, help, expired) in [
        (
            "steward_policy_expired",
            "Transfer mechanisms or certifications (`until`) and contracts (`expires`) of the policy in force past their date (DPF-02, SP-04).",
            true,
        ),
        (
            "steward_policy_expiring",
            "Transfer mechanisms or certifications and contracts of the policy in force expiring within 30 days.",
            false,
        ),
    ] {
        let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} gauge");
        for kind in [ExpiryKind::Transfer, ExpiryKind::Contract] {
            let n = expiries
                .iter()
                .filter(|x| x.kind == kind && x.expired == expired)
                .count();
            let _ = writeln!(out, "{name}{{kind=\"{}\"}} {n}", kind.as_str());
        }
    }
}

fn escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// Resident memory of this process in bytes (Linux `/proc/self/statm`; 0 elsewhere).
#[must_use]
pub fn resident_bytes() -> u64 {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| {
            s.split_whitespace()
                .nth(1)
                .and_then(|p| p.parse::<u64>().ok())
        })
        .map_or(0, |pages| pages * 4096)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exposition_has_counts_and_cumulative_buckets() {
        let m = Metrics::default();
        m.record(
            "/v1/decisions",
            &axum::http::Method::POST,
            200,
            Duration::from_micros(300),
        );
        m.record(
            "/v1/decisions",
            &axum::http::Method::POST,
            200,
            Duration::from_millis(30),
        );
        m.decision("OK", true, 2);
        let text = m.render(&AuditStats::default());
        assert!(text.contains(
            "steward_http_requests_total{route=\"/v1/decisions\",method=\"POST\",status=\"200\"} 2"
        ));
        assert!(text.contains("le=\"0.0005\"} 1"));
        assert!(text.contains("le=\"0.05\"} 2"));
        assert!(text.contains("le=\"+Inf\"} 2"));
        assert!(text.contains("steward_decisions_total{allow=\"true\",reason=\"OK\"} 2"));
        assert!(text.contains("steward_events_ingested_total{outcome=\"accepted\"} 0"));
        assert!(
            !text.contains("steward_requests_open"),
            "no gauges before a refresh"
        );
    }

    #[test]
    fn request_gauges_per_kind_and_in_total() {
        let m = Metrics::default();
        m.events(3, 1, 2, 1);
        let mut g = RequestGauges::default();
        g.by_kind.insert("access".into(), (2, 1, 0));
        g.by_kind.insert("deletion".into(), (3, 0, 2));
        g.dead_letters = 4;
        g.partner_overdue = 1;
        m.set_requests(g);
        let text = m.render(&AuditStats::default());
        assert!(!text.contains("steward_requests_open 5"), "{text}");
        assert!(text.contains("steward_requests_open{kind=\"deletion\"} 3"));
        assert!(text.contains("steward_requests_at_risk{kind=\"access\"} 1"));
        assert!(text.contains("steward_requests_overdue{kind=\"deletion\"} 2"));
        assert!(text.contains("steward_webhook_dead_letters 4"));
        assert!(text.contains("steward_partner_notifications_overdue 1"));
        assert!(text.contains("steward_partner_notifications_open 0"));
        assert!(text.contains("steward_events_ingested_total{outcome=\"dropped\"} 2"));
    }
}
