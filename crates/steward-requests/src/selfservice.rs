//! Self-service for the privacy center and figures for the console: what a signed-in subject
//! sees of their own data (the access report and the portable export built from what is
//! stored, without opening a formal request), the erasure plan shown *before* a deletion is
//! confirmed, sign-in by a one-time e-mail code, and the request and decision figures the
//! console charts. (The effective choices of a browser that has not signed in are the core's:
//! `steward_core::selfservice`.)
//!
//! Sign-in reuses the request workflow's pieces: six-digit codes from the system CSPRNG, a
//! keyed hash under the blind-index key (never the code itself), and the mailer (SMTP or the
//! file outbox). The challenge is not stored: the caller keeps it (the server seals it in a
//! cookie), so any replica sharing the key ring can check the code. INVARIANT: starting a
//! sign-in answers the same whether or not the address belongs to a subject (no account
//! enumeration); a code is only sent to an address that does.

use std::collections::BTreeMap;
use steward_errors::ErrorCode;

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};
use steward_core::Caller;
use steward_core::CoreError;
use steward_deadlines::Regime;
use steward_store::ids::{MessageId, SubjectId};
use steward_store::model::audit::{AuditKind, AuditQuery};
use steward_store::model::disclosure::{DisclosureQuery, DisclosureScope};
use steward_store::model::request::RequestQuery;
use steward_store::model::subject::IdentityKind;
use steward_vault::Sensitive;

use crate::effects::Email;
use crate::plan::{ErasurePlan, PlanFacts, plan_erasure};
use crate::report::{AccessReport, ItemValue, Period, ReportInput, access_report, portable};
use crate::reports::{access_output, portable_output};
use crate::{ReportFormat, ReportOutput, Requests, regimes_for};

/// A sign-in in progress. The caller keeps it (sealed) until the code comes back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignInChallenge {
    /// The subject, when the address belongs to one (never shown to the requester).
    pub subject: Option<SubjectId>,
    /// Keyed hash of the code, bound to `binding` (hex).
    pub code_hash: String,
    /// When the code stops working.
    pub expires_at: Timestamp,
}

/// One week of request and choice figures for the console charts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WeekFigures {
    /// The Monday the week starts (UTC).
    pub start: jiff::civil::Date,
    /// Requests received, by kind.
    pub received: BTreeMap<String, u64>,
    /// Requests closed in the week.
    pub closed: u64,
    /// Median days from receipt to closing of the requests closed in the week.
    pub median_days_to_close: Option<f64>,
    /// Choices about sale or sharing recorded in the week (`sale_opt_out`, `share_opt_out`,
    /// `gpc`).
    pub sale_share_choices: u64,
    /// Of those, opt-outs (an opt-out recorded, or a GPC signal).
    pub opt_outs: u64,
}

/// Figures for the console.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConsoleFigures {
    /// Oldest week first.
    pub weeks: Vec<WeekFigures>,
    /// Decisions in the window by `(reason, allow)`, most frequent first.
    pub decisions_by_reason: Vec<(String, bool, u64)>,
    /// Audit entries the decision figures were read from (bounded; see `truncated`).
    pub decision_entries: usize,
    /// The window held more entries than were read.
    pub truncated: bool,
}

fn hex(b: &[u8]) -> String {
    use std::fmt::Write as _;
    let mut s = String::with_capacity(b.len() * 2);
    for x in b {
        let _ = write!(s, "{x:02x}");
    }
    s
}

impl Requests {
    async fn decrypted_items(&self, s: SubjectId) -> Result<Vec<ItemValue>, CoreError> {
        let mut items = self.steward.decrypt_items(s).await?;
        items.retain(|i| i.record.erased_at.is_none());
        Ok(items)
    }

    async fn subject_regimes(&self, s: SubjectId) -> Result<Vec<Regime>, CoreError> {
        let r = self.steward.resolve(s, self.now()).await?;
        Ok(regimes_for(&self.steward.engine(), &r.subject))
    }

    /// What a signed-in subject sees of their own data in the privacy center: the access
    /// report built from what is stored (items decrypted, the disclosure register, the
    /// choices ledger), everything since the start. Not a formal request (no clock, no
    /// copy count); the read is audited (AUD-06) as `privacy_center.view`.
    ///
    /// # Errors
    /// `NotFound` (unknown or erased subject), `Invalid(NOT_SUBJECT)` for another caller.
    pub async fn self_report(
        &self,
        caller: &Caller,
        subject: SubjectId,
    ) -> Result<AccessReport, CoreError> {
        if caller != &Caller::Subject(subject) {
            return Err(CoreError::invalid(
                ErrorCode::NotSubject,
                "only the subject reads their own data here",
            ));
        }
        let store = self.steward.store();
        let record = store.get_subject(subject).await?;
        if record.erased_at.is_some() {
            return Err(CoreError::NotFound("subject"));
        }
        let items = self.decrypted_items(subject).await?;
        let disclosures = store
            .list_disclosures(&DisclosureQuery::scope(
                DisclosureScope::Subject(subject),
                10_000,
            ))
            .await?;
        let ledger = self.steward.ledger(subject).await?;
        let regimes = self.subject_regimes(subject).await?;
        let now = self.now();
        let mut e = self
            .steward
            .event(AuditKind::Read, "privacy_center.view", caller);
        e.subject = Some(subject);
        self.steward.audit().append_one(e).await?;
        Ok(access_report(
            &self.steward.engine(),
            &ReportInput {
                subject_id: &subject.to_string(),
                subject_kind: record.facts.kind.as_str(),
                regimes: &regimes,
                items: &items,
                disclosures: &disclosures,
                ledger: &ledger,
                connected: &[],
                period: Period {
                    from: None,
                    to: now,
                },
                now,
                copy_number: 1,
            },
        ))
    }

    /// A download of the subject's own data: the access report (`json`, `csv`, `html`) or the
    /// portable export (GDPR-19: `portable-json`, `portable-csv`). Audited like
    /// [`self_report`](Self::self_report).
    ///
    /// # Errors
    /// As [`self_report`](Self::self_report).
    pub async fn self_export(
        &self,
        caller: &Caller,
        subject: SubjectId,
        format: ReportFormat,
    ) -> Result<ReportOutput, CoreError> {
        let report = self.self_report(caller, subject).await?;
        let short: String = subject.to_string().chars().take(8).collect();
        Ok(match format {
            ReportFormat::Json | ReportFormat::Csv | ReportFormat::Html => {
                access_output(&report, format, &format!("my-data-{short}"))
            }
            ReportFormat::PortableJson | ReportFormat::PortableCsv => {
                let items = self.decrypted_items(subject).await?;
                let p = portable(
                    &self.steward.engine(),
                    &subject.to_string(),
                    &items,
                    &[],
                    self.now(),
                );
                portable_output(&p, format, &format!("portable-{short}"), true)
            }
        })
    }

    /// The erasure plan a deletion request of this subject would follow now: items deleted,
    /// items kept under a named exception with their citations, recipients to notify,
    /// datasets reached (shown before the subject confirms; computed again at approval and
    /// at run).
    ///
    /// # Errors
    /// `NotFound` (unknown or erased subject).
    pub async fn erasure_preview(&self, subject: SubjectId) -> Result<ErasurePlan, CoreError> {
        let store = self.steward.store();
        let regimes = self.subject_regimes(subject).await?;
        let items = store.list_items(subject).await?;
        let disclosures = store
            .list_disclosures(&DisclosureQuery::scope(
                DisclosureScope::Subject(subject),
                10_000,
            ))
            .await?;
        let holds = store.legal_holds_of(subject).await?;
        let held = items
            .iter()
            .filter(|i| holds.iter().any(|h| h.covers(i.id)))
            .map(|i| i.id)
            .collect();
        let mut plan = plan_erasure(
            &self.steward.engine(),
            &regimes,
            &items,
            &disclosures,
            &PlanFacts {
                held,
                pending: Vec::new(),
            },
            self.now(),
        );
        let connectors = store.list_connectors().await?;
        plan.datasets = crate::run::datasets(&connectors)
            .iter()
            .map(|d| crate::plan::DatasetPlan {
                connector: d.connector.name.to_string(),
                tables: d.dataset.plan(),
            })
            .collect();
        Ok(plan)
    }

    /// Starts a sign-in by e-mail code. `binding` ties the code to the caller's session (the
    /// server passes its visitor id), so a code cannot be used from another browser. The
    /// answer has the same shape whether or not the address belongs to a subject; a code is
    /// e-mailed only when it does (SECURITY: the code is never logged or stored in clear).
    ///
    /// # Errors
    /// `Invalid(BAD_IDENTITY)` for a string that is not an e-mail address; a store failure.
    pub async fn start_sign_in(
        &self,
        email: &Sensitive<String>,
        binding: &str,
    ) -> Result<SignInChallenge, CoreError> {
        let r = self
            .steward
            .identity_ref(IdentityKind::Email, email.expose())?;
        let mut subject = None;
        for l in self.steward.store().find_by_identity(&r).await? {
            if let Ok(rec) = self.steward.store().get_subject(l.subject).await
                && rec.erased_at.is_none()
            {
                subject = Some(l.subject);
                break;
            }
        }
        let code = crate::verification::new_code()?;
        let now = self.now();
        let expires_at = now
            .checked_add(self.config.code_ttl.min(SignedDuration::from_mins(15)))
            .map_err(|_| CoreError::Unavailable("clock out of range"))?;
        let challenge = SignInChallenge {
            subject,
            code_hash: self.sign_in_hash(binding, code.expose())?,
            expires_at,
        };
        if let Some(s) = subject {
            let minutes = (expires_at.duration_since(now).as_secs() / 60).max(1);
            let body = format!(
                "Your {company} privacy center sign-in code is {code}.\n\nIt works once, in the browser where you asked for it, for {minutes} minutes.\nIf you did not ask to sign in, ignore this message: nothing changes without the code.\n",
                company = self.company(),
                code = code.expose(),
            );
            let email = Email {
                to: email.clone(),
                subject: format!("Your {} privacy center sign-in code", self.company()),
                body: Sensitive::new(body),
            };
            if let Err(e) = self
                .effects
                .mailer
                .send(MessageId::generate(), now, &email)
                .await
            {
                tracing::warn!(error = %e, "sign-in code not delivered");
            }
            let mut ev = self.steward.event(
                AuditKind::System,
                "privacy_center.code_sent",
                &Caller::System,
            );
            ev.subject = Some(s);
            self.steward.audit().append_one(ev).await?;
        }
        Ok(challenge)
    }

    fn sign_in_hash(&self, binding: &str, code: &str) -> Result<String, CoreError> {
        let digits: String = code.chars().filter(char::is_ascii_digit).collect();
        let t = self
            .steward
            .blind_index()
            .token(
                steward_vault::IdentityKind::AccountRef,
                &format!("signin-code:{binding}:{digits}"),
            )
            .map_err(|_| CoreError::invalid(ErrorCode::CodeInvalid, "the code is not valid"))?;
        Ok(hex(t.as_bytes()))
    }

    /// Checks a sign-in code against its challenge: the subject when it matches, is not
    /// expired and the address belongs to a subject; `None` otherwise (one answer for every
    /// failure). The caller counts attempts and slows down repeated failures. A success is
    /// audited as `privacy_center.sign_in`.
    ///
    /// # Errors
    /// Audit failures.
    pub async fn finish_sign_in(
        &self,
        challenge: &SignInChallenge,
        binding: &str,
        code: &str,
    ) -> Result<Option<SubjectId>, CoreError> {
        if self.now() > challenge.expires_at || code.trim().len() > 16 {
            return Ok(None);
        }
        let Ok(hash) = self.sign_in_hash(binding, code) else {
            return Ok(None);
        };
        // SECURITY: constant-time comparison of the keyed hashes.
        let same = steward_vault::ct_eq(hash.as_bytes(), challenge.code_hash.as_bytes());
        match (same, challenge.subject) {
            (true, Some(s)) => {
                let mut ev = self.steward.event(
                    AuditKind::System,
                    "privacy_center.sign_in",
                    &Caller::Subject(s),
                );
                ev.subject = Some(s);
                self.steward.audit().append_one(ev).await?;
                Ok(Some(s))
            }
            _ => Ok(None),
        }
    }

    /// Figures for the console charts over the last `weeks` weeks (at most 104): requests
    /// received per week by kind, median days to close, opt-out rate of sale/sharing choices,
    /// and decisions by reason. Read from the request queue (up to 10 000 requests) and the
    /// audit log (up to 10 000 entries of each kind in the window; `truncated` says when the
    /// window held more). Not audited: no personal data is read.
    ///
    /// # Errors
    /// Store failures.
    pub async fn console_figures(&self, weeks: u32) -> Result<ConsoleFigures, CoreError> {
        let weeks = weeks.clamp(1, 104);
        let now = self.now();
        let today = now.to_zoned_datetime(jiff::tz::TimeZone::UTC).date();
        let monday = today
            .checked_sub(jiff::Span::new().days(i64::from(today.weekday().to_monday_zero_offset())))
            .map_err(|_| CoreError::Unavailable("date out of range"))?;
        let first = monday
            .checked_sub(jiff::Span::new().weeks(i64::from(weeks - 1)))
            .map_err(|_| CoreError::Unavailable("date out of range"))?;
        let from = first
            .to_zoned_datetime(jiff::tz::TimeZone::UTC)
            .map_err(|_| CoreError::Unavailable("date out of range"))?
            .timestamp();
        let week_of = |t: Timestamp| -> Option<usize> {
            if t < from {
                return None;
            }
            let days = t.duration_since(from).as_secs() / 86_400;
            usize::try_from(days / 7)
                .ok()
                .filter(|w| *w < weeks as usize)
        };
        let mut out: Vec<WeekFigures> = (0..weeks)
            .map(|i| WeekFigures {
                start: first
                    .checked_add(jiff::Span::new().weeks(i64::from(i)))
                    .unwrap_or(first),
                received: BTreeMap::new(),
                closed: 0,
                median_days_to_close: None,
                sale_share_choices: 0,
                opt_outs: 0,
            })
            .collect();
        // Console figures: the audit pages may come from the read view (`Steward::reads`).
        let store = self.steward.store();
        let reads = self.steward.reads();
        let reqs = store
            .list_requests(&RequestQuery {
                open_only: false,
                subject: None,
                state: None,
                after: None,
                limit: 10_000,
            })
            .await?;
        let mut close_days: Vec<Vec<f64>> = vec![Vec::new(); weeks as usize];
        for r in &reqs {
            if let Some(w) = week_of(r.received_at) {
                *out[w]
                    .received
                    .entry(r.kind.as_str().to_string())
                    .or_default() += 1;
            }
            if let Some(c) = r.closed_at
                && let Some(w) = week_of(c)
            {
                out[w].closed += 1;
                close_days[w].push(c.duration_since(r.received_at).as_secs_f64() / 86_400.0);
            }
        }
        for (w, mut d) in close_days.into_iter().enumerate() {
            if d.is_empty() {
                continue;
            }
            d.sort_by(f64::total_cmp);
            let n = d.len();
            out[w].median_days_to_close = Some(if n % 2 == 1 {
                d[n / 2]
            } else {
                f64::midpoint(d[n / 2 - 1], d[n / 2])
            });
        }
        let page = |kind| AuditQuery {
            subject: None,
            kind: Some(kind),
            from: Some(from),
            until: None,
            after: None,
            limit: AuditQuery::MAX_LIMIT,
        };
        let choices = reads.query_audit(&page(AuditKind::Choice)).await?;
        let mut truncated = choices.len() >= AuditQuery::MAX_LIMIT as usize;
        for c in &choices {
            let attr = |n: &str| {
                c.event
                    .attributes
                    .iter()
                    .find(|a| a.name.as_str() == n)
                    .map(|a| a.value.as_str().to_string())
            };
            let (Some(key), Some(value)) = (attr("key"), attr("value")) else {
                continue;
            };
            if !matches!(key.as_str(), "sale_opt_out" | "share_opt_out" | "gpc") {
                continue;
            }
            if let Some(w) = week_of(c.event.at) {
                out[w].sale_share_choices += 1;
                if value == "true" {
                    out[w].opt_outs += 1;
                }
            }
        }
        let decisions = reads.query_audit(&page(AuditKind::Decision)).await?;
        truncated |= decisions.len() >= AuditQuery::MAX_LIMIT as usize;
        let mut by: BTreeMap<(String, bool), u64> = BTreeMap::new();
        for d in &decisions {
            if let Some(o) = &d.event.outcome {
                *by.entry((o.reason.as_str().to_ascii_lowercase(), o.allow))
                    .or_default() += 1;
                continue;
            }
            // A batch is one entry: its reasons are attributes `allow:<reason>` / `deny:<reason>`.
            for a in &d.event.attributes {
                let name = a.name.as_str();
                let (allow, reason) = if let Some(r) = name.strip_prefix("allow:") {
                    (true, r)
                } else if let Some(r) = name.strip_prefix("deny:") {
                    (false, r)
                } else {
                    continue;
                };
                if let Ok(n) = a.value.as_str().parse::<u64>() {
                    *by.entry((reason.to_string(), allow)).or_default() += n;
                }
            }
        }
        let mut decisions_by_reason: Vec<(String, bool, u64)> =
            by.into_iter().map(|((r, a), n)| (r, a, n)).collect();
        decisions_by_reason.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
        Ok(ConsoleFigures {
            weeks: out,
            decisions_by_reason,
            decision_entries: decisions.len(),
            truncated,
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::report::PortableExport;

    #[test]
    fn portable_csv_quotes_and_defuses_formulas() {
        let item = |category: &str, value: &str| crate::report::PortableItem {
            category: category.into(),
            collected_at: Some("2024-01-01T00:00:00Z".parse().unwrap()),
            source: "direct".into(),
            value: Some(value.into()),
            system: None,
            table: None,
            field: None,
        };
        let p = PortableExport {
            format: "steward-portable-v1",
            generated_at: "2024-01-02T00:00:00Z".parse().unwrap(),
            items: vec![
                item("name", "=HYPERLINK(\"x\")"),
                item("postal_address", "1 Main St, Springfield"),
            ],
            subject_id: "s".into(),
        };
        let csv = crate::reports::portable_csv(&p, true);
        assert!(csv.contains("name,\"'=HYPERLINK(\"\"x\"\")\""), "{csv}");
        assert!(csv.contains("\"1 Main St, Springfield\""), "{csv}");
    }
}
