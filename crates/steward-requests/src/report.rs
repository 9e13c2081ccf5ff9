//! Access and portability reports (DEC-10, DEC-11, GDPR-14, GDPR-19, CCPA-05, CCPA-06, CCPA-38),
//! built from what is actually stored — the items (decrypted by the caller),
//! the disclosure register and the choices ledger — never from policy text.
//! The policy only supplies names, legal bases and recipient metadata.

use std::collections::{BTreeMap, BTreeSet};

use jiff::Timestamp;
use serde::Serialize;
pub use steward_core::items::ItemValue;
use steward_deadlines::Regime;
use steward_policy::Engine;
use steward_policy::render::escape;
use steward_store::model::choice::ChoiceEntry;
use steward_store::model::disclosure::DisclosureRecord;

use crate::connectors::FoundDataset;

/// The period a report covers (CCPA-06 look-back).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Period {
    /// From (inclusive).
    pub from: Option<Timestamp>,
    /// Until (inclusive).
    pub to: Timestamp,
}

impl Period {
    fn contains(&self, t: Timestamp) -> bool {
        self.from.is_none_or(|f| t >= f) && t <= self.to
    }
}

/// One piece of data in a report.
#[derive(Debug, Clone, Serialize)]
pub struct Piece {
    /// Item id.
    pub id: String,
    /// The value, or a statement that it is held but not disclosed (CCPA-38, SEC-04).
    pub value: String,
    /// Where it came from (COLL-05).
    pub source: String,
    /// Purpose of collection.
    pub purpose: String,
    /// Collected at.
    pub collected_at: Timestamp,
    /// Kept until.
    pub retain_until: Option<Timestamp>,
    /// The policy version in force when it was collected (CHG-02, SCOPE-06).
    pub policy_version: Option<String>,
}

/// A category section.
#[derive(Debug, Clone, Serialize)]
pub struct CategorySection {
    /// Category id.
    pub category: String,
    /// Human name.
    pub name: String,
    /// CCPA letters.
    pub ccpa: Vec<String>,
    /// Sensitive PI.
    pub sensitive: bool,
    /// Source names.
    pub sources: Vec<String>,
    /// Purposes recorded at collection.
    pub purposes: Vec<String>,
    /// Retention rule as written.
    pub retention: String,
    /// The pieces.
    pub items: Vec<Piece>,
}

/// A recipient section (GDPR-14(c), CARRIER-03, USPS-11, USPSPA-03).
#[derive(Debug, Clone, Serialize)]
pub struct RecipientSection {
    /// Recipient id.
    pub recipient: String,
    /// Name.
    pub name: String,
    /// Class (`service_provider`, `carrier` …).
    pub class: String,
    /// Role toward you (`processor`, `independent_controller`).
    pub role: Option<String>,
    /// Country.
    pub country: String,
    /// Transfer safeguard for EU data outside the EEA.
    pub transfer_safeguard: Option<String>,
    /// Their privacy policy.
    pub policy_url: Option<String>,
    /// Their own disclosure practice.
    pub their_disclosure_policy: Option<String>,
    /// Categories disclosed.
    pub categories: Vec<String>,
    /// Purposes.
    pub purposes: Vec<String>,
    /// Number of disclosures in the period.
    pub count: usize,
    /// First and last disclosure.
    pub first: Timestamp,
    /// Last disclosure.
    pub last: Timestamp,
    /// Sale or sharing under the CCPA.
    pub sold_or_shared: bool,
}

/// The access report.
#[derive(Debug, Clone, Serialize)]
pub struct AccessReport {
    /// Report format id.
    pub format: &'static str,
    /// The subject (pseudonymous id).
    pub subject_id: String,
    /// Kind.
    pub subject_kind: String,
    /// Regimes applied.
    pub regimes: Vec<String>,
    /// Generated at.
    pub generated_at: Timestamp,
    /// Period covered.
    pub period: Period,
    /// Whether personal data is processed at all (GDPR Art. 15(1)).
    pub confirmation: bool,
    /// Data per category.
    pub categories: Vec<CategorySection>,
    /// Purposes with their legal basis.
    pub purposes: Vec<PurposeLine>,
    /// Recipients from the disclosure register.
    pub recipients: Vec<RecipientSection>,
    /// Transfers outside the EEA.
    pub third_country_transfers: Vec<TransferLine>,
    /// Sources (COLL-05, GDPR-14(g)).
    pub sources: Vec<String>,
    /// Choices as recorded (latest per key).
    pub choices: Vec<ChoiceLine>,
    /// Rights and how to complain.
    pub rights: Vec<&'static str>,
    /// Supervisory authority / complaint route.
    pub complaint_authority: &'static str,
    /// Automated decision-making.
    pub automated_decisions: &'static str,
    /// CCPA sections (CCPA-05).
    pub ccpa: CcpaSection,
    /// Copy number and fee (GDPR-14(3), CCPA-08).
    pub copy: CopyInfo,
    /// The company's other systems that hold the subject's data (connected datasets), each
    /// table with the fields the dataset annotation marks as personal data.
    pub connected_systems: Vec<ConnectedSystem>,
    /// Every system searched, with how much was found in each (a subject found nowhere sees
    /// where was looked).
    pub systems_searched: Vec<SearchedSystem>,
}

/// A connected system's data about the subject.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConnectedSystem {
    /// `dataset:<connector>`.
    pub system: String,
    /// Its tables with data about the subject.
    pub tables: Vec<ConnectedTable>,
}

/// A field of a connected system's table: the column and the category it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConnectedField {
    /// The column.
    pub field: String,
    /// Its category (as the notice names categories).
    pub category: String,
    /// The category's name.
    pub category_name: String,
}

/// A table of a connected system: its personal-data fields and the subject's rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConnectedTable {
    /// The table.
    pub table: String,
    /// The fields, in the order of each row's values.
    pub fields: Vec<ConnectedField>,
    /// The subject's rows (empty in a know-categories report); a withheld category shows a
    /// statement instead of its value (CCPA-38).
    pub rows: Vec<Vec<Option<String>>>,
}

/// A system searched for the subject's data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SearchedSystem {
    /// `vault` (Steward's own records) or `dataset:<connector>`.
    pub system: String,
    /// Pieces (vault items) or rows (datasets) found.
    pub found: usize,
}

/// What an access report is built from.
#[derive(Debug, Clone, Copy)]
pub struct ReportInput<'a> {
    /// The subject (pseudonymous id; empty when the request matched none).
    pub subject_id: &'a str,
    /// Its kind.
    pub subject_kind: &'a str,
    /// The regimes that apply.
    pub regimes: &'a [Regime],
    /// The vault's items, decrypted.
    pub items: &'a [ItemValue],
    /// The disclosure register.
    pub disclosures: &'a [DisclosureRecord],
    /// The choices ledger.
    pub ledger: &'a [ChoiceEntry],
    /// What connected datasets returned (read when the request ran).
    pub connected: &'a [FoundDataset],
    /// The period covered.
    pub period: Period,
    /// Now.
    pub now: Timestamp,
    /// Which copy this is (GDPR-14(3)).
    pub copy_number: u32,
}

/// A purpose with its legal basis (GDPR-14(c)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PurposeLine {
    /// The GDPR legal basis, if the policy gives one.
    pub legal_basis: Option<String>,
    /// Its name.
    pub name: Option<String>,
    /// The purpose id.
    pub purpose: String,
}

/// A transfer outside the EEA (GDPR-14(f)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TransferLine {
    /// The recipient's country.
    pub country: String,
    /// The recipient.
    pub recipient: String,
    /// The transfer safeguard.
    pub safeguard: Option<String>,
}

/// A choice as recorded (the latest per key).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChoiceLine {
    /// When.
    pub at: Timestamp,
    /// The ledger key.
    pub key: String,
    /// The policy version in force.
    pub policy_version: String,
    /// Who recorded it (`user`, `gpc`, `admin` …).
    pub source: String,
    /// Its value.
    pub value: bool,
}

/// The CCPA sections of a report (CCPA-05).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CcpaSection {
    /// CCPA category letters collected.
    pub categories_collected: BTreeSet<String>,
    /// Category → recipient classes it was disclosed to for a business purpose.
    pub disclosed_business_purpose: BTreeMap<String, BTreeSet<String>>,
    /// Whether a generic reference replaces the specific pieces (never).
    pub generic_reference: bool,
    /// Purposes of collection.
    pub purposes: BTreeSet<String>,
    /// Category → recipient classes it was sold or shared to.
    pub sold_shared_by_category: BTreeMap<String, BTreeSet<String>>,
    /// Categories of sources.
    pub source_categories: BTreeSet<String>,
    /// Where the specific pieces are.
    pub specific_pieces: String,
    /// Categories of third parties.
    pub third_party_categories: BTreeSet<String>,
}

/// The copy number and fee (GDPR-14(3), CCPA-08).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CopyInfo {
    /// The fee charged (none).
    pub fee: u32,
    /// Which copy this is.
    pub number: u32,
}

/// The portable export (GDPR-19).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PortableExport {
    /// Format id.
    pub format: &'static str,
    /// Generated at.
    pub generated_at: Timestamp,
    /// The pieces.
    pub items: Vec<PortableItem>,
    /// The subject (pseudonymous id).
    pub subject_id: String,
}

/// One piece of the portable export (personal data).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PortableItem {
    /// Its category.
    pub category: String,
    /// When it was collected (`None` for rows of a connected system, which do not say).
    pub collected_at: Option<Timestamp>,
    /// Where it came from (the source recorded with a vault item; the connector for a row of a
    /// connected system).
    pub source: String,
    /// The value (`None` when it cannot be read, or is `NULL` in a connected system).
    pub value: Option<String>,
    /// The connected system (`dataset:<connector>`) a value comes from; absent for the vault.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub system: Option<String>,
    /// Its table there.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub table: Option<String>,
    /// Its field (column) there.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

fn withheld(engine: &Engine, category: &str) -> Option<&'static str> {
    let c = engine.category(category)?;
    let info = engine.category_info(c);
    if !info.withhold_in_reports {
        return None;
    }
    Some(match category {
        "account_credentials" => "password set (hash not disclosed)",
        "payment_card" => "card on file (number not disclosed)",
        _ => "held (not disclosed for security reasons)",
    })
}

/// Build the access report.
#[must_use]
pub fn access_report(engine: &Engine, input: &ReportInput<'_>) -> AccessReport {
    let ReportInput {
        subject_id,
        subject_kind,
        regimes,
        items,
        disclosures,
        ledger,
        connected,
        period,
        now,
        copy_number,
    } = *input;
    let eu = regimes
        .iter()
        .any(|r| matches!(r, Regime::Gdpr | Regime::UkGdpr));
    let (cats, sources, purposes_used) = category_sections(engine, items, period);
    let recipients = recipient_sections(engine, disclosures, period);
    let eea = [
        "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT",
        "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO",
    ];
    let transfers: Vec<TransferLine> = if eu {
        recipients
            .iter()
            .filter(|r| !eea.contains(&r.country.as_str()))
            .map(|r| TransferLine {
                country: r.country.clone(),
                recipient: r.recipient.clone(),
                safeguard: r.transfer_safeguard.clone(),
            })
            .collect()
    } else {
        Vec::new()
    };
    let purposes: Vec<PurposeLine> = purposes_used
        .iter()
        .chain(recipients.iter().flat_map(|r| r.purposes.iter()))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .map(|p| {
            let info = engine.purpose(p).map(|id| engine.purpose_info(id));
            PurposeLine {
                legal_basis: info.and_then(|i| i.gdpr).map(|b| b.as_str().to_string()),
                name: info.map(|i| i.name.clone()),
                purpose: p.clone(),
            }
        })
        .collect();
    let mut latest: BTreeMap<String, &ChoiceEntry> = BTreeMap::new();
    for e in ledger {
        latest
            .entry(e.key.as_str().to_string())
            .and_modify(|x| {
                if (e.at, e.id) > (x.at, x.id) {
                    *x = e;
                }
            })
            .or_insert(e);
    }
    let choices = latest
        .values()
        .map(|e| ChoiceLine {
            at: e.at,
            key: e.key.as_str().to_string(),
            policy_version: e.policy_version.as_str().to_string(),
            source: e.source.as_str().to_string(),
            value: e.value,
        })
        .collect();

    let connected_systems = connected_sections(engine, connected);
    let mut systems_searched = vec![SearchedSystem {
        system: "vault".to_string(),
        found: cats.values().map(|c| c.items.len()).sum(),
    }];
    systems_searched.extend(connected.iter().map(|f| SearchedSystem {
        system: format!("dataset:{}", f.connector),
        found: f.rows.rows(),
    }));
    let found_elsewhere = connected.iter().any(|f| f.rows.rows() > 0);

    // CCPA-05: categories, sources, purposes, third parties, sold/shared per category.
    let letters: BTreeSet<String> = cats
        .values()
        .flat_map(|c| c.ccpa.iter().cloned())
        .chain(connected_systems.iter().flat_map(|s| {
            s.tables
                .iter()
                .filter(|t| !t.rows.is_empty())
                .flat_map(|t| t.fields.iter())
                .filter_map(|f| engine.category(&f.category))
                .flat_map(|c| engine.category_info(c).ccpa.iter().cloned())
        }))
        .collect();
    let mut sold: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut business: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for r in &recipients {
        let target = if r.sold_or_shared {
            &mut sold
        } else {
            &mut business
        };
        for c in &r.categories {
            target.entry(c.clone()).or_default().insert(r.class.clone());
        }
    }
    let ccpa = CcpaSection {
        categories_collected: letters,
        disclosed_business_purpose: business,
        generic_reference: false,
        purposes: purposes_used,
        sold_shared_by_category: sold,
        source_categories: sources.clone(),
        specific_pieces: "see categories[].items".to_string(),
        third_party_categories: recipients.iter().map(|r| r.class.clone()).collect(),
    };
    AccessReport {
        format: "steward-access-report-v1",
        subject_id: subject_id.to_string(),
        subject_kind: subject_kind.to_string(),
        regimes: regimes.iter().map(|r| r.as_str().to_string()).collect(),
        generated_at: now,
        period,
        confirmation: !cats.is_empty() || !recipients.is_empty() || found_elsewhere,
        categories: cats.into_values().collect(),
        purposes,
        recipients,
        third_country_transfers: transfers,
        sources: sources.into_iter().collect(),
        choices,
        rights: vec![
            "access and a copy of your data",
            "rectification of inaccurate data",
            "erasure",
            "restriction of processing",
            "objection to processing based on legitimate interests, and to direct marketing at any time",
            "data portability",
            "withdrawal of consent at any time, without affecting processing before it",
            "opt-out of sale and sharing (Do Not Sell or Share), and to limit the use of sensitive data",
            "non-discrimination for exercising your rights",
        ],
        complaint_authority: "You may lodge a complaint with a supervisory authority, in particular in the EU member state of your residence, and seek a judicial remedy; California residents may contact the California Privacy Protection Agency.",
        automated_decisions: "No decisions with legal or similarly significant effects are made solely by automated means; fraud signals are reviewed by a person before any account action.",
        ccpa,
        copy: CopyInfo {
            fee: 0,
            number: copy_number,
        },
        connected_systems,
        systems_searched,
    }
}

/// The category sections of the vault's items collected in the period, with the sources and
/// purposes they name.
fn category_sections(
    engine: &Engine,
    items: &[ItemValue],
    period: Period,
) -> (
    BTreeMap<String, CategorySection>,
    BTreeSet<String>,
    BTreeSet<String>,
) {
    let mut cats: BTreeMap<String, CategorySection> = BTreeMap::new();
    let mut sources = BTreeSet::new();
    let mut purposes_used = BTreeSet::new();
    for it in items
        .iter()
        .filter(|i| i.record.value.is_some() && period.contains(i.record.collected_at))
    {
        let key = it.record.category.as_str().to_string();
        let info = engine.category(&key).map(|c| engine.category_info(c));
        let source_name = engine.source(it.record.source.as_str()).map_or_else(
            || it.record.source.as_str().to_string(),
            |s| engine.source_info(s).name.clone(),
        );
        sources.insert(source_name.clone());
        purposes_used.insert(it.record.purpose.as_str().to_string());
        let section = cats.entry(key.clone()).or_insert_with(|| CategorySection {
            category: key.clone(),
            name: info.map_or_else(|| key.clone(), |i| i.name.clone()),
            ccpa: info.map(|i| i.ccpa.clone()).unwrap_or_default(),
            sensitive: info.is_some_and(|i| i.spi),
            sources: Vec::new(),
            purposes: Vec::new(),
            retention: info.map_or_else(String::new, |i| {
                format!(
                    "{} from {} ({})",
                    i.retention_text,
                    i.retention_trigger.replace('_', " "),
                    i.retention_citation
                )
            }),
            items: Vec::new(),
        });
        if !section.sources.contains(&source_name) {
            section.sources.push(source_name.clone());
        }
        if !section
            .purposes
            .iter()
            .any(|p| p == it.record.purpose.as_str())
        {
            section
                .purposes
                .push(it.record.purpose.as_str().to_string());
        }
        let value = match withheld(engine, &key) {
            Some(text) => text.to_string(),
            None => it
                .value
                .as_ref()
                .map_or_else(|| "(unreadable)".to_string(), |v| v.expose().clone()),
        };
        section.items.push(Piece {
            id: it.record.id.to_string(),
            value,
            source: source_name,
            purpose: it.record.purpose.as_str().to_string(),
            collected_at: it.record.collected_at,
            retain_until: it.record.retain_until,
            policy_version: it
                .record
                .policy_version
                .as_ref()
                .map(|v| v.as_str().to_owned()),
        });
    }

    (cats, sources, purposes_used)
}

/// The recipients of the disclosure register in the period.
fn recipient_sections(
    engine: &Engine,
    disclosures: &[DisclosureRecord],
    period: Period,
) -> Vec<RecipientSection> {
    let mut recips: BTreeMap<String, RecipientSection> = BTreeMap::new();
    for d in disclosures
        .iter()
        .filter(|d| period.contains(d.disclosed_at))
    {
        let key = d.recipient.as_str().to_string();
        let info = engine.recipient(&key).map(|r| engine.recipient_info(r));
        let s = recips
            .entry(key.clone())
            .or_insert_with(|| RecipientSection {
                recipient: key.clone(),
                name: info.map_or_else(|| key.clone(), |r| r.name.clone()),
                class: info.map_or_else(|| "unknown".to_string(), |r| r.class.as_str().to_string()),
                role: info.and_then(|r| r.role.clone()),
                country: info.map_or_else(
                    || "??".to_string(),
                    |r| String::from_utf8_lossy(&r.country).to_string(),
                ),
                transfer_safeguard: info
                    .and_then(|r| r.transfers.first())
                    .map(|t| format!("{:?}", t.mechanism)),
                policy_url: info.and_then(|r| r.policy_url.clone()),
                their_disclosure_policy: info.and_then(|r| r.disclosure_practice.clone()),
                categories: Vec::new(),
                purposes: Vec::new(),
                count: 0,
                first: d.disclosed_at,
                last: d.disclosed_at,
                sold_or_shared: info.is_some_and(|r| r.sale || r.share),
            });
        s.count += 1;
        s.first = s.first.min(d.disclosed_at);
        s.last = s.last.max(d.disclosed_at);
        for c in &d.categories {
            if !s.categories.iter().any(|x| x == c.as_str()) {
                s.categories.push(c.as_str().to_string());
            }
        }
        if !s.purposes.iter().any(|p| p == d.purpose.as_str()) {
            s.purposes.push(d.purpose.as_str().to_string());
        }
    }
    recips.into_values().collect()
}

/// The connected systems where rows were found, each table with its personal-data fields.
/// Values of categories withheld from reports are replaced by a statement (CCPA-38, SEC-04).
fn connected_sections(engine: &Engine, connected: &[FoundDataset]) -> Vec<ConnectedSystem> {
    connected
        .iter()
        .filter(|f| f.rows.rows() > 0)
        .map(|f| ConnectedSystem {
            system: format!("dataset:{}", f.connector),
            tables: f
                .rows
                .tables
                .iter()
                .filter(|t| !t.rows.is_empty())
                .map(|t| {
                    let fields: Vec<ConnectedField> = t
                        .columns
                        .iter()
                        .map(|c| ConnectedField {
                            field: c.column.clone(),
                            category: c.category.clone(),
                            category_name: engine.category(&c.category).map_or_else(
                                || c.category.clone(),
                                |id| engine.category_info(id).name.clone(),
                            ),
                        })
                        .collect();
                    let rows = t
                        .rows
                        .iter()
                        .map(|row| {
                            row.iter()
                                .zip(&t.columns)
                                .map(|(v, c)| match withheld(engine, &c.category) {
                                    Some(text) => v.as_ref().map(|_| text.to_string()),
                                    None => v.clone(),
                                })
                                .collect()
                        })
                        .collect();
                    ConnectedTable {
                        table: t.table.clone(),
                        fields,
                        rows,
                    }
                })
                .collect(),
        })
        .collect()
}

/// The report as CSV: one row per piece of data.
#[must_use]
pub fn to_csv(report: &AccessReport) -> String {
    let mut out = String::from(
        "category,category_name,value,source,purpose,collected_at,retain_until,system,table,field\n",
    );
    let esc = |s: &str| {
        if s.contains([',', '"', '\n', '\r']) {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s.to_string()
        }
    };
    for c in &report.categories {
        for p in &c.items {
            out.push_str(&format!(
                "{},{},{},{},{},{},{},vault,,\n",
                esc(&c.category),
                esc(&c.name),
                esc(&p.value),
                esc(&p.source),
                esc(&p.purpose),
                p.collected_at,
                p.retain_until.map(|t| t.to_string()).unwrap_or_default()
            ));
        }
    }
    for s in &report.connected_systems {
        for t in &s.tables {
            for row in &t.rows {
                for (value, f) in row.iter().zip(&t.fields) {
                    let Some(value) = value else { continue };
                    out.push_str(&format!(
                        "{},{},{},,,,,{},{},{}\n",
                        esc(&f.category),
                        esc(&f.category_name),
                        esc(value),
                        esc(&s.system),
                        esc(&t.table),
                        esc(&f.field)
                    ));
                }
            }
        }
    }
    out
}

/// The report as a readable, self-contained HTML page (every value escaped).
#[must_use]
pub fn to_html(report: &AccessReport) -> String {
    let mut b = String::new();
    b.push_str("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Your data</title>");
    b.push_str("<style>body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}table{border-collapse:collapse;width:100%}th,td{border:1px solid #999;padding:.3rem;text-align:left;vertical-align:top}</style></head><body><main>");
    b.push_str(&format!(
        "<h1>Your data</h1><p>Generated {} for the period {} – {}.</p>",
        escape(&report.generated_at.to_string()),
        escape(
            &report
                .period
                .from
                .map(|f| f.to_string())
                .unwrap_or_else(|| "the beginning".into())
        ),
        escape(&report.period.to.to_string())
    ));
    for c in &report.categories {
        b.push_str(&format!("<h2>{}</h2><p>Sources: {}. Purposes: {}. Kept: {}.</p><table><thead><tr><th scope=\"col\">Value</th><th scope=\"col\">Collected</th><th scope=\"col\">Source</th><th scope=\"col\">Under policy</th></tr></thead><tbody>", escape(&c.name), escape(&c.sources.join(", ")), escape(&c.purposes.join(", ")), escape(&c.retention)));
        for p in &c.items {
            b.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&p.value),
                escape(&p.collected_at.to_string()),
                escape(&p.source),
                escape(p.policy_version.as_deref().unwrap_or("–"))
            ));
        }
        b.push_str("</tbody></table>");
    }
    for s in &report.connected_systems {
        let name = s.system.strip_prefix("dataset:").unwrap_or(&s.system);
        b.push_str(&format!("<h2>In our system “{}”</h2>", escape(name)));
        for t in &s.tables {
            b.push_str(&format!("<h3>{}</h3><table><thead><tr>", escape(&t.table)));
            for f in &t.fields {
                b.push_str(&format!(
                    "<th scope=\"col\">{} ({})</th>",
                    escape(&f.field),
                    escape(&f.category_name)
                ));
            }
            b.push_str("</tr></thead><tbody>");
            for row in &t.rows {
                b.push_str("<tr>");
                for v in row {
                    b.push_str(&format!("<td>{}</td>", escape(v.as_deref().unwrap_or(""))));
                }
                b.push_str("</tr>");
            }
            b.push_str("</tbody></table>");
        }
    }
    b.push_str("<h2>Where we looked</h2><ul>");
    for s in &report.systems_searched {
        let name = match s.system.strip_prefix("dataset:") {
            Some(n) => format!("our system “{n}”"),
            None => "our privacy records".to_string(),
        };
        let found = if s.found == 0 {
            "nothing about you".to_string()
        } else {
            format!("{} record(s) about you", s.found)
        };
        b.push_str(&format!("<li>{}: {}</li>", escape(&name), escape(&found)));
    }
    b.push_str("</ul>");
    b.push_str("<h2>Who received your data</h2><ul>");
    for r in &report.recipients {
        b.push_str(&format!(
            "<li>{} ({}): {} — {} time(s), last {}{}</li>",
            escape(&r.name),
            escape(&r.class),
            escape(&r.categories.join(", ")),
            r.count,
            escape(&r.last.to_string()),
            r.policy_url
                .as_ref()
                .map(|u| format!(". Privacy policy: {}", escape(u)))
                .unwrap_or_default()
        ));
    }
    b.push_str("</ul><h2>Your rights</h2><ul>");
    for r in &report.rights {
        b.push_str(&format!("<li>{}</li>", escape(r)));
    }
    b.push_str(&format!(
        "</ul><p>{}</p></main></body></html>\n",
        escape(report.complaint_authority)
    ));
    b
}

/// The portable export (GDPR-19): data provided by the subject or observed, in a
/// structured, machine-readable format; excludes legal-obligation data and other people's data.
#[must_use]
pub fn portable(
    engine: &Engine,
    subject_id: &str,
    items: &[ItemValue],
    connected: &[FoundDataset],
    now: Timestamp,
) -> PortableExport {
    let is_portable = |category: &str| {
        engine.category(category).is_some_and(|c| {
            let info = engine.category_info(c);
            // Art. 20(4): other people's data (address books, recipients) stays out.
            info.portable && !info.withhold_in_reports && info.family != "customer_of_customer"
        })
    };
    let mut rows: Vec<PortableItem> = items
        .iter()
        .filter(|i| i.record.value.is_some())
        .filter(|i| is_portable(i.record.category.as_str()))
        .map(|i| PortableItem {
            category: i.record.category.as_str().to_string(),
            collected_at: Some(i.record.collected_at),
            source: i.record.source.as_str().to_string(),
            value: i.value.as_ref().map(|v| v.expose().clone()),
            system: None,
            table: None,
            field: None,
        })
        .collect();
    for f in connected {
        for t in &f.rows.tables {
            for row in &t.rows {
                for (value, c) in row.iter().zip(&t.columns) {
                    if value.is_none() || !is_portable(&c.category) {
                        continue;
                    }
                    rows.push(PortableItem {
                        category: c.category.clone(),
                        collected_at: None,
                        source: f.connector.clone(),
                        value: value.clone(),
                        system: Some(format!("dataset:{}", f.connector)),
                        table: Some(t.table.clone()),
                        field: Some(c.column.clone()),
                    });
                }
            }
        }
    }
    PortableExport {
        format: "steward-portable-v1",
        generated_at: now,
        items: rows,
        subject_id: subject_id.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use steward_store::ids::{DecisionId, DisclosureId, ItemId, SubjectId};
    use steward_store::model::item::{ControllerRole, ItemRecord};
    use steward_store::values::{
        CategoryKey, Ciphertext, EntityKey, PurposeKey, RecipientKey, SourceKey,
    };
    use steward_vault::Sensitive;

    fn iv(cat: &str, value: &str, source: &str, at: &str) -> ItemValue {
        let at: Timestamp = at.parse().unwrap();
        ItemValue {
            record: ItemRecord {
                id: ItemId::generate(),
                subject: SubjectId::from_bytes([1; 16]),
                category: CategoryKey::new(cat).unwrap(),
                value: Some(Ciphertext::new(vec![1u8; 40]).unwrap()),
                source: SourceKey::new(source).unwrap(),
                collected_at: at,
                purpose: PurposeKey::new("service_provision").unwrap(),
                controller: EntityKey::new("stamps").unwrap(),
                controller_role: ControllerRole::Controller,
                retain_until: None,
                updated_at: at,
                erased_at: None,
                policy_version: None,
            },
            value: Some(Sensitive::new(value.to_string())),
        }
    }

    #[test]
    fn gdpr_14_report_has_sources_recipients_transfers_and_withholds_secrets() {
        let e = steward_policy::default_engine().unwrap();
        let now: Timestamp = "2024-03-04T17:00:00Z".parse().unwrap();
        let items = vec![
            iv(
                "email",
                "jane@example.com",
                "direct:registration",
                "2024-01-02T00:00:00Z",
            ),
            iv(
                "address_change_info",
                "1 New St",
                "commercial",
                "2024-01-03T00:00:00Z",
            ),
            iv(
                "payment_card",
                "tok_123",
                "direct:payment",
                "2024-01-04T00:00:00Z",
            ),
            iv(
                "usps_regulatory_data",
                "x",
                "direct:purchase",
                "2024-01-05T00:00:00Z",
            ),
            iv(
                "address_list",
                "Bob, 2 Elm St",
                "customer",
                "2024-01-05T00:00:00Z",
            ),
        ];
        let d = DisclosureRecord {
            id: DisclosureId::generate(),
            subject: SubjectId::from_bytes([1; 16]),
            recipient: RecipientKey::new("CAR_UPS").unwrap(),
            categories: vec![CategoryKey::new("postal_address").unwrap()],
            items: vec![],
            purpose: PurposeKey::new("transaction_completion").unwrap(),
            decision: DecisionId::generate(),
            payload_hash: None,
            disclosed_at: "2024-02-01T00:00:00Z".parse().unwrap(),
        };
        let r = access_report(
            &e,
            &ReportInput {
                subject_id: "s1",
                subject_kind: "customer_account_holder",
                regimes: &[Regime::Gdpr],
                items: &items,
                disclosures: &[d],
                ledger: &[],
                connected: &[],
                period: Period {
                    from: None,
                    to: now,
                },
                now,
                copy_number: 1,
            },
        );
        let json = serde_json::to_value(&r).unwrap();
        for k in [
            "purposes",
            "categories",
            "recipients",
            "third_country_transfers",
            "retention_note_absent_ok",
            "rights",
            "complaint_authority",
            "sources",
            "automated_decisions",
            "copy",
        ] {
            if k != "retention_note_absent_ok" {
                assert!(json.get(k).is_some(), "missing {k}");
            }
        }
        assert!(
            r.sources
                .iter()
                .any(|s| s.contains("Commercially available")),
            "COLL-05: {:?}",
            r.sources
        );
        let ups = r
            .recipients
            .iter()
            .find(|x| x.recipient == "CAR_UPS")
            .unwrap();
        assert_eq!(ups.role.as_deref(), Some("independent_controller"));
        assert!(ups.policy_url.is_some());
        assert_eq!(r.third_country_transfers.len(), 1, "UPS is in the US");
        let card = r
            .categories
            .iter()
            .find(|c| c.category == "payment_card")
            .unwrap();
        assert_eq!(card.items[0].value, "card on file (number not disclosed)");
        assert_eq!(json["copy"]["fee"], 0);
        // A shorter period leaves older items out (CCPA-06).
        let later = access_report(
            &e,
            &ReportInput {
                subject_id: "s1",
                subject_kind: "x",
                regimes: &[Regime::Ccpa],
                items: &items,
                disclosures: &[],
                ledger: &[],
                connected: &[],
                period: Period {
                    from: Some("2024-01-04T00:00:00Z".parse().unwrap()),
                    to: now,
                },
                now,
                copy_number: 1,
            },
        );
        assert!(later.categories.iter().all(|c| c.category != "email"));
        assert!(to_csv(&r).starts_with("category,category_name,value"));
        assert!(to_html(&r).contains("jane@example.com"));
        // GDPR-19: portable data only; no legal-obligation data, no other people's data.
        let p = portable(&e, "s1", &items, &[], now);
        let cats: Vec<&str> = p.items.iter().map(|i| i.category.as_str()).collect();
        assert!(cats.contains(&"email"));
        assert!(
            !cats.contains(&"usps_regulatory_data")
                && !cats.contains(&"address_list")
                && !cats.contains(&"payment_card")
        );
    }

    #[test]
    fn csv_escapes_commas_and_quotes() {
        let e = steward_policy::default_engine().unwrap();
        let now: Timestamp = "2024-03-04T17:00:00Z".parse().unwrap();
        let items = vec![iv(
            "postal_address",
            "1 Main St, \"Apt\" 2",
            "direct:registration",
            "2024-01-02T00:00:00Z",
        )];
        let r = access_report(
            &e,
            &ReportInput {
                subject_id: "s",
                subject_kind: "k",
                regimes: &[],
                items: &items,
                disclosures: &[],
                ledger: &[],
                connected: &[],
                period: Period {
                    from: None,
                    to: now,
                },
                now,
                copy_number: 1,
            },
        );
        assert!(to_csv(&r).contains("\"1 Main St, \"\"Apt\"\" 2\""));
        assert!(to_html(&r).contains("&quot;Apt&quot;"));
    }
}
