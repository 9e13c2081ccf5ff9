//! Console pages over the records: subject lookup by e-mail (blind index) with the
//! subject's effective choices (each with its provenance) and disclosures; the audit log with
//! filters and chain verification; the data map and record of processing; the policy in force
//! with its test results.
//!
//! SECURITY: the e-mail address looked up travels in a POST body (never in a URL, a log or
//! the page's address), and the core audits the lookup, the choices read and the audit query
//! in the name of the signed-in key (AUD-06).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use jiff::Timestamp;
use serde::Deserialize;
use steward_store::ids::{AuditSeq, SubjectId};
use steward_store::model::audit::{Actor, AuditKind, AuditQuery};
use steward_store::model::subject::IdentityKind;

use super::ropa;
use super::session::{Role, Staff};
use super::{chrome, day, see_other, when, words};
use crate::state::AppState;
use crate::web::layout::{Chrome, WebError, page, page_with_status};
use crate::web::security::CsrfForm;

// ---------------------------------------------------------------- subjects

#[derive(Template)]
#[template(path = "console/subjects.html")]
struct SubjectsPage {
    chrome: Chrome,
    email_error: String,
    result: Option<String>,
    matches: Vec<String>,
}

pub(super) async fn subjects_page(staff: Staff) -> Result<Response, WebError> {
    staff.require(Role::ReadPii)?;
    Ok(page(&SubjectsPage {
        chrome: chrome(&staff, "Find a subject", "/console/subjects")?,
        email_error: String::new(),
        result: None,
        matches: Vec::new(),
    }))
}

#[derive(Debug, Deserialize)]
pub(super) struct LookupForm {
    #[serde(default)]
    email: String,
}

fn plausible_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && s.len() <= 254
        && !s.chars().any(char::is_whitespace)
}

pub(super) async fn lookup(
    State(st): State<AppState>,
    staff: Staff,
    CsrfForm(f): CsrfForm<LookupForm>,
) -> Result<Response, WebError> {
    staff.require(Role::ReadPii)?;
    let email = f.email.trim();
    if !plausible_email(email) {
        return Ok(page_with_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &SubjectsPage {
                chrome: chrome(&staff, "Find a subject", "/console/subjects")?,
                email_error: "Enter an e-mail address, like name@example.com.".into(),
                result: None,
                matches: Vec::new(),
            },
        ));
    }
    // Audited by the core as a read by this key (AUD-06).
    let ids = st
        .steward()
        .find_subjects(&staff.caller(), IdentityKind::Email, email)
        .await?;
    if let [one] = ids.as_slice() {
        return Ok(see_other(&format!("/console/subjects/{one}")));
    }
    Ok(page(&SubjectsPage {
        chrome: chrome(&staff, "Find a subject", "/console/subjects")?,
        email_error: String::new(),
        result: Some(if ids.is_empty() {
            "No subject holds this e-mail address.".to_string()
        } else {
            format!("{} subjects hold this e-mail address.", ids.len())
        }),
        matches: ids.iter().map(ToString::to_string).collect(),
    }))
}

struct ChoiceRow {
    set: bool,
    key: String,
    value: String,
    source: String,
    at: String,
    channel: String,
}

struct DisclosureRow {
    at: String,
    recipient: String,
    purpose: String,
    categories: String,
    items: usize,
}

#[derive(Template)]
#[template(path = "console/subject.html")]
struct SubjectPage {
    chrome: Chrome,
    id: String,
    facts: Vec<(&'static str, String)>,
    erased: bool,
    choices: Vec<ChoiceRow>,
    ignored: usize,
    decision_id: String,
    disclosures: Vec<DisclosureRow>,
    more_disclosures: bool,
    requests: Vec<super::QueueRow>,
    can_dsr: bool,
    can_audit: bool,
}

/// Effective choices (`(key, value, provenance)`, as the core describes them) as rows, by key.
fn choice_rows(
    described: Vec<(String, String, steward_policy::choices::Provenance)>,
) -> Vec<ChoiceRow> {
    let by_key: std::collections::BTreeMap<String, (String, steward_policy::choices::Provenance)> =
        described.into_iter().map(|(k, v, p)| (k, (v, p))).collect();
    by_key
        .into_iter()
        .map(|(key, (value, p))| {
            let source = p.source.as_str();
            ChoiceRow {
                set: source != "default",
                key: words(&key),
                value: match value.as_str() {
                    "true" => "yes".into(),
                    "false" => "no".into(),
                    other => words(other),
                },
                source: words(source),
                at: p.at.map(when).unwrap_or_else(|| "policy default".into()),
                channel: words(p.channel.map(|c| c.as_str()).unwrap_or("")),
            }
        })
        .collect()
}

const DISCLOSURES_SHOWN: u32 = 200;

pub(super) async fn subject(
    State(st): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    staff.require(Role::ReadPii)?;
    let id: SubjectId = id.parse().map_err(|_| WebError::NotFound)?;
    let steward = st.steward();
    let rec = steward.get_subject(id).await?;
    let mut facts = vec![
        ("Kind", words(rec.facts.kind.as_str())),
        (
            "Residency",
            rec.facts
                .residency
                .as_ref()
                .map_or_else(|| "unknown".to_string(), |j| j.as_str().to_string()),
        ),
        (
            "EU protection",
            rec.facts
                .eu_protected_since
                .map_or_else(|| "no".to_string(), |t| format!("since {}", day(t))),
        ),
        ("Created", when(rec.created_at)),
    ];
    if let Some(t) = rec.erased_at {
        facts.push(("Erased", when(t)));
    }
    let mut choices = Vec::new();
    let mut ignored = 0;
    let mut decision_id = String::new();
    if rec.erased_at.is_none() {
        // The effective-choices decision is audited as this key's read (AUD-06).
        let mut req = steward_policy::Request {
            op: Some(steward_policy::wire::Op::EffectiveChoices),
            ..steward_policy::Request::default()
        };
        req.subject.id = Some(id.to_string());
        let d = steward.decide(&staff.caller(), req, false).await?;
        choices = choice_rows(d.choices().unwrap_or_default());
        // What the person (or a signal) chose comes first; the policy's defaults after.
        choices.sort_by_key(|c| !c.set);
        ignored = match &d.answer {
            steward_core::decisions::Answer::Choices { effective, .. } => effective.ignored.len(),
            steward_core::decisions::Answer::Decision(_) => 0,
        };
        decision_id = d.event_id.to_string();
    }
    let list = steward.disclosures_of(id, DISCLOSURES_SHOWN + 1).await?;
    let more_disclosures = list.len() > DISCLOSURES_SHOWN as usize;
    let disclosures = list
        .iter()
        .rev()
        .take(DISCLOSURES_SHOWN as usize)
        .map(|d| DisclosureRow {
            at: when(d.disclosed_at),
            recipient: d.recipient.as_str().to_string(),
            purpose: words(d.purpose.as_str()),
            categories: d
                .categories
                .iter()
                .map(|c| words(c.as_str()))
                .collect::<Vec<_>>()
                .join(", "),
            items: d.items.len(),
        })
        .collect();
    let requests = match (staff.can(Role::Dsr), st.requests()) {
        (true, Some(r)) => r
            .list(&steward_requests::ListQuery {
                include_closed: true,
                subject: Some(id),
                limit: Some(100),
                ..steward_requests::ListQuery::default()
            })
            .await?
            .iter()
            .map(|x| super::queue_row(x, r.config().calendar.time_zone()))
            .collect(),
        _ => Vec::new(),
    };
    Ok(page(&SubjectPage {
        chrome: chrome(&staff, "Subject", "/console/subjects")?,
        id: id.to_string(),
        erased: rec.erased_at.is_some(),
        facts,
        choices,
        ignored,
        decision_id,
        disclosures,
        more_disclosures,
        requests,
        can_dsr: staff.can(Role::Dsr),
        can_audit: staff.can(Role::Admin),
    }))
}

// ---------------------------------------------------------------- audit log

#[derive(Debug, Default, Deserialize)]
pub(super) struct AuditFilter {
    #[serde(default)]
    subject: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    until: String,
    #[serde(default)]
    after: String,
}

struct AuditRow {
    seq: u64,
    at: String,
    kind: String,
    action: String,
    actor: String,
    subject: String,
    subject_short: String,
    outcome: String,
    deny: bool,
    what: String,
    rules: String,
}

struct VerifyView {
    ok: bool,
    text: String,
}

#[derive(Template)]
#[template(path = "console/audit.html")]
struct AuditPage {
    chrome: Chrome,
    f_subject: String,
    f_from: String,
    f_until: String,
    kinds: Vec<(&'static str, bool)>,
    subject_error: String,
    from_error: String,
    until_error: String,
    rows: Vec<AuditRow>,
    next: String,
    earlier: String,
    newest: bool,
    verify: Option<VerifyView>,
}

const AUDIT_PAGE: u32 = 100;

/// A time filter: a date (`2024-03-04`, midnight UTC; `until` takes the next midnight, so the
/// day is included) or an RFC 3339 time.
pub(super) fn time_filter(raw: &str, end_of_day: bool) -> Result<Option<Timestamp>, String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    if let Ok(t) = raw.parse::<Timestamp>() {
        return Ok(Some(t));
    }
    let d: jiff::civil::Date = raw.parse().map_err(|_| {
        "Use a date like 2024-03-04 or a time like 2024-03-04T17:00:00Z.".to_string()
    })?;
    let d = if end_of_day {
        d.tomorrow()
            .map_err(|_| "That date is out of range.".to_string())?
    } else {
        d
    };
    d.to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .map(|z| Some(z.timestamp()))
        .map_err(|_| "That date is out of range.".to_string())
}

fn query_string(f: &AuditFilter, after: u64) -> String {
    let mut parts = Vec::new();
    let mut push = |k: &str, v: &str| {
        if !v.trim().is_empty() {
            let enc: String = v
                .trim()
                .bytes()
                .map(|b| match b {
                    b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                        (b as char).to_string()
                    }
                    _ => format!("%{b:02X}"),
                })
                .collect();
            parts.push(format!("{k}={enc}"));
        }
    };
    push("subject", &f.subject);
    push("kind", &f.kind);
    push("from", &f.from);
    push("until", &f.until);
    push("after", &after.to_string());
    format!("/console/audit?{}", parts.join("&"))
}

async fn audit_page(
    st: &AppState,
    staff: &Staff,
    f: &AuditFilter,
    verify: Option<VerifyView>,
) -> Result<Response, WebError> {
    let mut t = AuditPage {
        chrome: chrome(staff, "Audit log", "/console/audit")?,
        f_subject: f.subject.trim().to_string(),
        f_from: f.from.trim().to_string(),
        f_until: f.until.trim().to_string(),
        kinds: AuditKind::ALL
            .iter()
            .map(|k| (k.as_str(), k.as_str() == f.kind.trim()))
            .collect(),
        subject_error: String::new(),
        from_error: String::new(),
        until_error: String::new(),
        rows: Vec::new(),
        next: String::new(),
        earlier: String::new(),
        newest: false,
        verify,
    };
    let subject = match f.subject.trim() {
        "" => None,
        s => match s.parse::<SubjectId>() {
            Ok(id) => Some(id),
            Err(_) => {
                t.subject_error =
                    "A subject id looks like 0190f4c2-…; find it under Subjects.".into();
                None
            }
        },
    };
    let kind = match f.kind.trim() {
        "" => None,
        k => Some(
            k.parse::<AuditKind>()
                .map_err(|_| WebError::BadRequest(format!("`{k}` is not a kind of audit event")))?,
        ),
    };
    let from = time_filter(&f.from, false).unwrap_or_else(|e| {
        t.from_error = e;
        None
    });
    let until = time_filter(&f.until, true).unwrap_or_else(|e| {
        t.until_error = e;
        None
    });
    if !(t.subject_error.is_empty() && t.from_error.is_empty() && t.until_error.is_empty()) {
        return Ok(page_with_status(StatusCode::UNPROCESSABLE_ENTITY, &t));
    }
    let unfiltered = subject.is_none() && kind.is_none() && from.is_none() && until.is_none();
    let mut after_n: u64 = match f.after.trim() {
        "" => 0,
        a => a.parse::<u64>().unwrap_or(0),
    };
    // Without filters or a page asked for, show the newest entries (the log's end).
    if unfiltered && f.after.trim().is_empty() {
        let head = st.steward().audit_head().await?;
        if let Some(h) = head {
            after_n = h.seq.get().saturating_sub(u64::from(AUDIT_PAGE));
            t.newest = true;
        }
    }
    let after = (after_n > 0)
        .then(|| AuditSeq::new(after_n.min(i64::MAX as u64)).ok())
        .flatten();
    // The query is itself audited in this key's name (AUD-06).
    let entries = st
        .steward()
        .query_audit(
            &staff.caller(),
            AuditQuery {
                subject,
                kind,
                from,
                until,
                after,
                limit: AUDIT_PAGE,
            },
        )
        .await?;
    if entries.len() == AUDIT_PAGE as usize
        && let Some(last) = entries.last()
    {
        t.next = query_string(f, last.seq.get());
    }
    if unfiltered && after_n > 0 {
        t.earlier = query_string(f, after_n.saturating_sub(u64::from(AUDIT_PAGE)));
    }
    t.rows = entries
        .iter()
        .map(|en| {
            let e = &en.event;
            let mut what = Vec::new();
            if !e.categories.is_empty() {
                what.push(
                    e.categories
                        .iter()
                        .map(|c| c.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                );
            }
            if let Some(p) = &e.purpose {
                what.push(format!("for {}", p.as_str()));
            }
            if let Some(r) = &e.recipient {
                what.push(format!("to {}", r.as_str()));
            }
            AuditRow {
                seq: en.seq.get(),
                at: when(e.at),
                kind: words(e.kind.as_str()),
                action: e.action.as_str().to_string(),
                actor: match &e.actor {
                    Actor::Subject(s) => format!("subject {s}"),
                    Actor::Service(s) => format!("key {}", s.as_str()),
                    Actor::System => "system".into(),
                },
                subject: e.subject.map(|s| s.to_string()).unwrap_or_default(),
                subject_short: e
                    .subject
                    .map(|s| {
                        let s = s.to_string();
                        format!("…{}", &s[s.len().saturating_sub(12)..])
                    })
                    .unwrap_or_default(),
                outcome: e
                    .outcome
                    .as_ref()
                    .map(|o| {
                        format!(
                            "{} {}",
                            if o.allow { "allow" } else { "deny" },
                            o.reason.as_str()
                        )
                    })
                    .unwrap_or_default(),
                deny: e.outcome.as_ref().is_some_and(|o| !o.allow),
                what: what.join(" "),
                rules: e
                    .rules
                    .iter()
                    .map(|r| r.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            }
        })
        .collect();
    Ok(page(&t))
}

pub(super) async fn audit(
    State(st): State<AppState>,
    staff: Staff,
    Query(f): Query<AuditFilter>,
) -> Result<Response, WebError> {
    staff.require(Role::Admin)?;
    audit_page(&st, &staff, &f, None).await
}

pub(super) async fn verify(
    State(st): State<AppState>,
    staff: Staff,
    CsrfForm(f): CsrfForm<AuditFilter>,
) -> Result<Response, WebError> {
    staff.require(Role::Admin)?;
    st.steward().audit().flush().await;
    let v = match st.steward().verify_audit().await? {
        Ok(r) => VerifyView {
            ok: true,
            text: format!(
                "The chain verifies: {} entries and {} signed checkpoints{}; {} entries after the last signed checkpoint.",
                r.entries,
                r.checkpoints,
                r.head
                    .map(|h| format!(", up to entry {}", h.seq.get()))
                    .unwrap_or_default(),
                r.unsigned
            ),
        },
        Err(e) => VerifyView {
            ok: false,
            text: format!("The chain does NOT verify: {e}."),
        },
    };
    tracing::info!(
        key = staff.key.name.as_str(),
        ok = v.ok,
        "audit chain verified from the console"
    );
    audit_page(&st, &staff, &f, Some(v)).await
}

// ---------------------------------------------------------------- data map

#[derive(Template)]
#[template(path = "console/data_map.html")]
struct DataMapPage {
    chrome: Chrome,
    m: ropa::DataMap,
}

/// At most this many register records are read for the data map's totals.
const REGISTER_READ: u64 = 50_000;

pub(super) async fn data_map(
    State(st): State<AppState>,
    staff: Staff,
) -> Result<Response, WebError> {
    staff.require(Role::Staff)?;
    let reg = st.steward().disclosure_register(REGISTER_READ).await?;
    let engine = st.steward().engine();
    Ok(page(&DataMapPage {
        chrome: chrome(
            &staff,
            "Data map and record of processing",
            "/console/data-map",
        )?,
        m: ropa::build(&engine, &reg),
    }))
}

// ---------------------------------------------------------------- policy

struct FailureRow {
    id: String,
    file: String,
    requirements: String,
    failures: Vec<String>,
}

struct RuleRow {
    origin: String,
    clause: String,
    requirements: String,
}

#[derive(Template)]
#[template(path = "console/policy.html")]
struct PolicyPage {
    chrome: Chrome,
    facts: Vec<(&'static str, String)>,
    tests_ok: bool,
    tests_error: String,
    total: u64,
    passed: u64,
    failed: u64,
    covered: u64,
    failures: Vec<FailureRow>,
    rules: Vec<RuleRow>,
    versions: Vec<VersionRow>,
    stale: String,
    expiries: Vec<ExpiryRow>,
}

/// A transfer mechanism or contract of the policy in force expired or expiring within 30
/// days (DPF-02, SP-04), warned about on the policy page.
struct ExpiryRow {
    expired: bool,
    what: &'static str,
    id: String,
    recipient: String,
    until: String,
}

/// A recorded policy version (CHG-01) on the policy page.
struct VersionRow {
    version: String,
    effective: String,
    status: &'static str,
    recorded_at: String,
    sha256: String,
    material: bool,
}

pub(super) async fn policy(State(st): State<AppState>, staff: Staff) -> Result<Response, WebError> {
    staff.require(Role::Staff)?;
    let e = st.steward().engine();
    let facts = vec![
        ("Name", e.meta.name.clone()),
        ("Version", e.meta.version.clone()),
        ("Effective", e.meta.effective.to_string()),
        ("Controller", e.meta.controller.clone()),
        ("Policy file", st.policy().source.name.clone()),
        ("SHA-256 of the file", e.source_sha256.clone()),
        ("Engine", steward_core::ENGINE_VERSION.to_string()),
        (
            "Registry",
            format!(
                "{} categories, {} purposes, {} recipients, {} trackers, {} sources",
                e.categories.len(),
                e.purposes.len(),
                e.recipients.len(),
                e.trackers.len(),
                e.sources.len()
            ),
        ),
    ];
    let rules = e
        .rules
        .iter()
        .map(|r| RuleRow {
            origin: r.origin.clone(),
            clause: r.clause.clone(),
            requirements: r.requirements.join(", "),
        })
        .collect();
    let mut t = PolicyPage {
        chrome: chrome(&staff, "Policy", "/console/policy")?,
        facts,
        tests_ok: false,
        tests_error: String::new(),
        total: 0,
        passed: 0,
        failed: 0,
        covered: 0,
        failures: Vec::new(),
        rules,
        versions: Vec::new(),
        stale: crate::api::policy::stale_alert(&st)
            .and_then(|a| a.policy_version)
            .unwrap_or_default(),
        expiries: steward_policy::expiry::expiries_within_warning(&e, st.steward().clock().now())
            .into_iter()
            .map(|x| ExpiryRow {
                expired: x.expired,
                what: match x.kind {
                    steward_policy::expiry::ExpiryKind::Transfer => "transfer mechanism",
                    steward_policy::expiry::ExpiryKind::Contract => "contract",
                },
                id: x.id,
                recipient: x.recipient,
                until: x.last_day.to_string(),
            })
            .collect(),
    };
    let (hash, now) = (
        crate::api::policy::in_force_hash(&st),
        st.steward().clock().now(),
    );
    t.versions = st
        .steward()
        .policy_versions()
        .await?
        .iter()
        .map(|v| {
            let out = crate::api::policy::version_out(v, &hash, now);
            VersionRow {
                status: match out.status {
                    steward_api::policy::PolicyVersionStatus::InForce => "in force",
                    steward_api::policy::PolicyVersionStatus::Scheduled => "scheduled",
                    steward_api::policy::PolicyVersionStatus::Superseded => "superseded",
                },
                version: out.version,
                effective: out.effective,
                recorded_at: out.recorded_at,
                sha256: out.sha256,
                material: out.material,
            }
        })
        .collect();
    match crate::api::policy::shipped_tests(&st).await {
        Ok(v) => {
            t.total = v.total as u64;
            t.passed = v.passed as u64;
            t.failed = v.failed as u64;
            t.covered = v.covered_requirements as u64;
            t.tests_ok = t.failed == 0 && t.total > 0;
            t.failures = v
                .failures
                .iter()
                .map(|f| FailureRow {
                    id: f.id.clone(),
                    file: f.file.clone(),
                    requirements: f.requirements.join(", "),
                    failures: f.failures.clone(),
                })
                .collect();
        }
        Err(e) => t.tests_error = e.detail,
    }
    Ok(page(&t))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_filters_accept_dates_and_times() {
        assert_eq!(time_filter("", false), Ok(None));
        assert_eq!(
            time_filter("2024-03-04", false)
                .unwrap()
                .unwrap()
                .to_string(),
            "2024-03-04T00:00:00Z"
        );
        assert_eq!(
            time_filter("2024-03-04", true)
                .unwrap()
                .unwrap()
                .to_string(),
            "2024-03-05T00:00:00Z"
        );
        assert!(
            time_filter("2024-03-04T17:00:00Z", false)
                .unwrap()
                .is_some()
        );
        assert!(time_filter("yesterday", false).is_err());
    }

    #[test]
    fn emails_are_checked_before_a_lookup() {
        assert!(plausible_email("ann@example.com"));
        assert!(!plausible_email("ann"));
        assert!(!plausible_email("ann@example"));
        assert!(!plausible_email("a nn@example.com"));
        assert!(!plausible_email("@example.com"));
    }

    #[test]
    fn next_page_links_are_encoded() {
        let f = AuditFilter {
            subject: String::new(),
            kind: "decision".into(),
            from: "2024-03-04T17:00:00+01:00".into(),
            until: String::new(),
            after: String::new(),
        };
        assert_eq!(
            query_string(&f, 42),
            "/console/audit?kind=decision&from=2024-03-04T17%3A00%3A00%2B01%3A00&after=42"
        );
    }

    #[test]
    fn choices_become_rows_with_provenance() {
        use steward_policy::choices::{ChoiceChannel, ChoiceSource, Provenance};
        let out = choice_rows(vec![
            (
                "sale_opt_out".into(),
                "true".into(),
                Provenance {
                    entry: Some(0),
                    source: ChoiceSource::Gpc,
                    at: Some("2024-03-04T17:00:00Z".parse().unwrap()),
                    channel: Some(ChoiceChannel::Gpc),
                },
            ),
            (
                "marketing.email".into(),
                "false".into(),
                Provenance {
                    entry: None,
                    source: ChoiceSource::Default,
                    at: None,
                    channel: None,
                },
            ),
        ]);
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].key, "marketing.email", "rows come by key");
        let m = &out[0];
        assert_eq!((m.value.as_str(), m.at.as_str()), ("no", "policy default"));
        assert!(!m.set, "a default is not a choice made");
        let s = out.iter().find(|r| r.key == "sale opt out").unwrap();
        assert_eq!((s.value.as_str(), s.source.as_str()), ("yes", "gpc"));
        assert!(s.set);
    }
}
