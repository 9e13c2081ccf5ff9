//! Access, know and portability reports of completed requests (DEC-10, DEC-11, GDPR-14,
//! GDPR-19, CCPA-05, CCPA-06, CCPA-38), in JSON, CSV, HTML or the portable formats, built
//! when they are read from what is stored and what connected datasets returned when the
//! request ran ([`crate::report`] builds them); every read is audited (AUD-06).

use steward_core::Caller;
use steward_core::CoreError;
use steward_deadlines::{Lookback, Regime, RequestKind};
use steward_errors::ErrorCode;
use steward_store::ids::{RequestId, SubjectId};
use steward_store::model::audit::{AuditKind, EventRef};
use steward_store::model::choice::ChoiceEntry;
use steward_store::model::disclosure::DisclosureRecord;
use steward_store::model::request::{RequestRecord, RequestState};
use steward_store::values::FieldName;
use steward_vault::Sensitive;

use crate::doc::Doc;
use crate::report::{self, AccessReport, ItemValue, Period, PortableExport};
use crate::service::{Requests, kind_of};

/// Report formats (DEC-10, DEC-11).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    /// The access report as JSON (machine-readable).
    Json,
    /// One row per piece of data.
    Csv,
    /// A readable page.
    Html,
    /// The portable export (GDPR-19) as JSON.
    PortableJson,
    /// The portable export as CSV.
    PortableCsv,
}

impl std::str::FromStr for ReportFormat {
    type Err = CoreError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s {
            "json" => ReportFormat::Json,
            "csv" => ReportFormat::Csv,
            "html" => ReportFormat::Html,
            "portable" | "portable-json" | "portable_json" => ReportFormat::PortableJson,
            "portable-csv" | "portable_csv" => ReportFormat::PortableCsv,
            _ => {
                return Err(CoreError::invalid(
                    ErrorCode::UnknownFormat,
                    format!(
                        "unknown report format `{s}` (json, csv, html, portable-json, portable-csv)"
                    ),
                ));
            }
        })
    }
}

/// A report, ready to send.
#[derive(Debug, Clone)]
pub struct ReportOutput {
    /// `application/json`, `text/csv; charset=utf-8`, `text/html; charset=utf-8`.
    pub content_type: &'static str,
    /// A file name to suggest.
    pub file_name: String,
    /// The bytes (personal data).
    pub body: Sensitive<Vec<u8>>,
}

impl Requests {
    /// The report of an access, know or portability request (DEC-10, DEC-11), built from what is
    /// stored: items (decrypted), the disclosure register and the choices ledger. Reading it
    /// is audited (AUD-06). Available once the request completed.
    ///
    /// # Errors
    /// `Conflict(NOT_COMPLETED)`, `Invalid(NOT_A_REPORT_REQUEST)`, `NotFound`.
    pub async fn report(
        &self,
        caller: &Caller,
        id: RequestId,
        format: ReportFormat,
    ) -> Result<ReportOutput, CoreError> {
        let (rec, doc) = self.load(id).await?;
        let kind = report_kind(caller, &rec)?;
        let engine = self.steward.engine();
        let now = self.now();
        let period = self.period(&rec, &doc)?;
        let subject_id = rec.subject.map(|s| s.to_string()).unwrap_or_default();
        let held = self.held(rec.subject).await?;
        // What connected datasets returned when the request ran (sealed with it).
        let found = self.contact(&rec)?.found;
        self.audit_report_read(caller, &rec).await?;
        let short = &rec.id.to_string()[..8];
        Ok(match format {
            ReportFormat::PortableJson | ReportFormat::PortableCsv => {
                let p = report::portable(&engine, &subject_id, &held.items, &found, now);
                portable_output(&p, format, &format!("portable-{short}"), false)
            }
            ReportFormat::Json | ReportFormat::Csv | ReportFormat::Html => {
                let mut r = report::access_report(
                    &engine,
                    &report::ReportInput {
                        subject_id: &subject_id,
                        subject_kind: &held.subject_kind,
                        regimes: &doc.regimes,
                        items: &held.items,
                        disclosures: &held.disclosures,
                        ledger: &held.ledger,
                        connected: &found,
                        period,
                        now,
                        copy_number: doc.copy_number,
                    },
                );
                if kind == RequestKind::KnowCategories {
                    // Categories only (CCPA §1798.110(a)(1)-(4)): no specific pieces.
                    for c in &mut r.categories {
                        c.items.clear();
                    }
                    for t in r.connected_systems.iter_mut().flat_map(|s| &mut s.tables) {
                        t.rows.clear();
                    }
                }
                access_output(&r, format, &format!("access-{short}"))
            }
        })
    }

    /// What the vault, the disclosure register and the ledger hold about a subject (nothing
    /// when the request matched none).
    async fn held(&self, subject: Option<SubjectId>) -> Result<Held, CoreError> {
        let Some(s) = subject else {
            return Ok(Held {
                items: Vec::new(),
                disclosures: Vec::new(),
                ledger: Vec::new(),
                subject_kind: "unknown".to_string(),
            });
        };
        let record = self.steward.store().get_subject(s).await?;
        Ok(Held {
            items: self.steward.decrypt_items(s).await?,
            disclosures: self.disclosures(s).await?,
            ledger: self.steward.ledger(s).await?,
            subject_kind: record.facts.kind.as_str().to_string(),
        })
    }

    /// AUD-06: every read of a report is audited (ids only).
    async fn audit_report_read(
        &self,
        caller: &Caller,
        rec: &RequestRecord,
    ) -> Result<(), CoreError> {
        let mut e = self.steward.event(AuditKind::Read, "dsr.report", caller);
        e.subject = rec.subject;
        if let Ok(n) = FieldName::new("request") {
            e.refs.push(EventRef {
                name: n,
                id: rec.id.as_uuid(),
            });
        }
        self.steward.audit().append_one(e).await?;
        Ok(())
    }

    /// The period a report covers: everything under the GDPR (or no statute); the CCPA-06
    /// look-back when the CCPA is the only regime.
    fn period(&self, rec: &RequestRecord, doc: &Doc) -> Result<Period, CoreError> {
        let ccpa_only = doc.regimes.contains(&Regime::Ccpa)
            && !doc
                .regimes
                .iter()
                .any(|r| matches!(r, Regime::Gdpr | Regime::UkGdpr));
        if !ccpa_only {
            return Ok(Period {
                from: None,
                to: self.now(),
            });
        }
        let range = steward_deadlines::clocks::ccpa_lookback(
            rec.received_at,
            doc.lookback.unwrap_or(Lookback::Default),
            &self.config.calendar,
        )
        .map_err(|e| CoreError::invalid(e.code(), e.to_string()))?;
        Ok(Period {
            from: Some(range.start),
            to: range.end,
        })
    }
}

/// What is held about the subject of a report.
struct Held {
    items: Vec<ItemValue>,
    disclosures: Vec<DisclosureRecord>,
    ledger: Vec<ChoiceEntry>,
    subject_kind: String,
}

/// The kind of a request whose report `caller` may read: an access, know or portability
/// request, completed, and (for a subject) their own.
fn report_kind(caller: &Caller, rec: &RequestRecord) -> Result<RequestKind, CoreError> {
    let kind = kind_of(rec)?;
    if !matches!(
        kind,
        RequestKind::Access
            | RequestKind::KnowCategories
            | RequestKind::KnowSpecificPieces
            | RequestKind::Portability
    ) {
        return Err(CoreError::invalid(
            ErrorCode::NotAReportRequest,
            "only access, know and portability requests have a report",
        ));
    }
    if rec.state != RequestState::Completed {
        return Err(CoreError::Conflict {
            code: ErrorCode::NotCompleted,
            message: "the report is available once the request is completed".into(),
        });
    }
    if let Caller::Subject(s) = caller
        && rec.subject != Some(*s)
    {
        return Err(CoreError::NotFound("request"));
    }
    Ok(kind)
}

/// An access report in `format` (`json`, `csv` or `html`), named `<name>.<ext>`.
pub(crate) fn access_output(r: &AccessReport, format: ReportFormat, name: &str) -> ReportOutput {
    match format {
        ReportFormat::Csv => ReportOutput {
            content_type: "text/csv; charset=utf-8",
            file_name: format!("{name}.csv"),
            body: Sensitive::new(report::to_csv(r).into_bytes()),
        },
        ReportFormat::Html => ReportOutput {
            content_type: "text/html; charset=utf-8",
            file_name: format!("{name}.html"),
            body: Sensitive::new(report::to_html(r).into_bytes()),
        },
        ReportFormat::Json | ReportFormat::PortableJson | ReportFormat::PortableCsv => {
            ReportOutput {
                content_type: "application/json",
                file_name: format!("{name}.json"),
                body: Sensitive::new(serde_json::to_vec_pretty(r).unwrap_or_default()),
            }
        }
    }
}

/// A portable export as JSON (`portable-json`) or CSV (`portable-csv`), named
/// `<name>.<ext>`. `defuse_formulas`: quote values a spreadsheet would run as formulas.
pub(crate) fn portable_output(
    p: &PortableExport,
    format: ReportFormat,
    name: &str,
    defuse_formulas: bool,
) -> ReportOutput {
    if format == ReportFormat::PortableCsv {
        ReportOutput {
            content_type: "text/csv; charset=utf-8",
            file_name: format!("{name}.csv"),
            body: Sensitive::new(portable_csv(p, defuse_formulas).into_bytes()),
        }
    } else {
        ReportOutput {
            content_type: "application/json",
            file_name: format!("{name}.json"),
            body: Sensitive::new(serde_json::to_vec_pretty(p).unwrap_or_default()),
        }
    }
}

/// The portable export as CSV: one row per piece.
pub(crate) fn portable_csv(p: &PortableExport, defuse_formulas: bool) -> String {
    let esc = |s: &str| {
        // A leading =, +, - or @ would be a formula in a spreadsheet: quote it with a '.
        let s = if defuse_formulas && s.starts_with(['=', '+', '-', '@']) {
            format!("'{s}")
        } else {
            s.to_string()
        };
        if s.contains([',', '"', '\n', '\r']) {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s
        }
    };
    let mut out = String::from("category,value,collected_at,source,system,table,field\n");
    for row in &p.items {
        let value = row.value.as_deref().unwrap_or("null");
        out.push_str(&format!(
            "{},{},{},{},{},{},{}\n",
            esc(&row.category),
            esc(value),
            esc(&row.collected_at.map(|t| t.to_string()).unwrap_or_default()),
            esc(&row.source),
            esc(row.system.as_deref().unwrap_or("vault")),
            esc(row.table.as_deref().unwrap_or_default()),
            esc(row.field.as_deref().unwrap_or_default()),
        ));
    }
    out
}
