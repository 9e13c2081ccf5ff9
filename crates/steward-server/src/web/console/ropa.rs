//! The data map and the record of processing activities (GDPR Art. 30(1), GDPR-27), generated
//! from the policy in force (categories, purposes, recipients, sources, retention, transfer
//! mechanisms) and the disclosure register (what was actually disclosed, to whom, when), so
//! adding a recipient to the policy updates the record without manual edits.
//!
//! Pure: [`build`] takes the compiled engine and the register's per-recipient totals; the
//! handler asks the core for the register (`Steward::disclosure_register`). Fields the policy leaves empty are listed in
//! [`DataMap::missing`] (the console shows them as "incomplete", the `ROPA_INCOMPLETE` of
//! GDPR-27) rather than invented.

use std::collections::BTreeSet;

pub use steward_core::disclosures::{Register, RegisterTotals};
use steward_policy::engine::{ClassKind, ConsentModel, SourceKind};
use steward_policy::{Engine, Jurisdiction, Subject, SubjectKind};

/// The controller block of the record (Art. 30(1)(a)).
#[derive(Debug, Clone)]
pub struct Controller {
    /// Legal name.
    pub name: String,
    /// Privacy contact.
    pub privacy_contact: String,
    /// Support contact.
    pub support_contact: String,
    /// Dispute resolution.
    pub dispute_resolution: String,
}

/// A recipient as named in one purpose's entry.
#[derive(Debug, Clone)]
pub struct RecipientRef {
    /// Policy id.
    pub key: String,
    /// Name.
    pub name: String,
    /// Class (`service_provider` ...).
    pub class: String,
    /// Country (ISO).
    pub country: String,
    /// Outside the EEA and EU-like countries.
    pub third_country: bool,
}

/// One transfer to a third country (Art. 30(1)(e)).
#[derive(Debug, Clone)]
pub struct TransferRow {
    /// Recipient id.
    pub recipient: String,
    /// Recipient name.
    pub name: String,
    /// Country.
    pub country: String,
    /// Mechanisms, readable (`EU-U.S. DPF until 2027-06-30`, `SCCs 2021/914 (TIA done)`).
    pub mechanisms: Vec<String>,
    /// An Art. 49 derogation is relied on: safeguards must be documented.
    pub derogation: bool,
    /// No mechanism at all: EU data cannot go there (GDPR-32).
    pub none: bool,
}

/// One entry of the record: one purpose (GDPR-27 test: one entry per purpose).
#[derive(Debug, Clone)]
pub struct PurposeEntry {
    /// Policy id.
    pub key: String,
    /// Name.
    pub name: String,
    /// GDPR Art. 6 basis.
    pub gdpr_basis: String,
    /// CCPA business purpose.
    pub ccpa_purpose: String,
    /// Consent model EU / US / elsewhere.
    pub consent: String,
    /// Categories of data subjects.
    pub subjects: Vec<String>,
    /// Categories of personal data (names).
    pub categories: Vec<String>,
    /// Recipients.
    pub recipients: Vec<RecipientRef>,
    /// Third-country transfers among the recipients.
    pub transfers: Vec<TransferRow>,
    /// Retention per category: `name: text`.
    pub retention: Vec<String>,
    /// Flags: sale, sharing, marketing, profiling.
    pub flags: Vec<&'static str>,
}

/// A category row of the data map.
#[derive(Debug, Clone)]
pub struct CategoryRow {
    /// Policy id.
    pub key: String,
    /// Name.
    pub name: String,
    /// Family.
    pub family: String,
    /// CCPA letters.
    pub ccpa: String,
    /// Sensitive PI.
    pub spi: bool,
    /// Purposes using it.
    pub purposes: Vec<String>,
    /// Recipients that may receive it.
    pub recipients: Vec<String>,
    /// Recipients that actually received it (disclosure register).
    pub disclosed_to: Vec<String>,
    /// Retention: period and trigger.
    pub retention: String,
    /// Retention basis and citation.
    pub retention_basis: String,
}

/// A recipient row of the data map.
#[derive(Debug, Clone)]
pub struct RecipientRow {
    /// Policy id.
    pub key: String,
    /// Name.
    pub name: String,
    /// Class.
    pub class: String,
    /// CCPA role / GDPR role.
    pub role: String,
    /// Country.
    pub country: String,
    /// Transfer mechanisms (readable), empty inside the EEA.
    pub mechanisms: Vec<String>,
    /// Contract reference.
    pub contract: String,
    /// A sale / sharing under the CCPA.
    pub sale_share: String,
    /// Purposes it may receive data for.
    pub purposes: Vec<String>,
    /// Number of categories it may receive.
    pub categories: usize,
    /// Disclosures recorded.
    pub disclosures: u64,
    /// Distinct subjects.
    pub subjects: u64,
    /// Last disclosure (RFC 3339 date), or empty.
    pub last: String,
}

/// Everything the data map page shows.
#[derive(Debug, Clone)]
pub struct DataMap {
    /// Policy name and version.
    pub policy: String,
    /// Controller.
    pub controller: Controller,
    /// Record entries, one per purpose.
    pub purposes: Vec<PurposeEntry>,
    /// Categories.
    pub categories: Vec<CategoryRow>,
    /// Recipients.
    pub recipients: Vec<RecipientRow>,
    /// Fields the record needs and the policy does not give (GDPR-27 `ROPA_INCOMPLETE`).
    pub missing: Vec<String>,
    /// Register records read.
    pub register_records: u64,
    /// The register held more than was read.
    pub register_truncated: bool,
}

fn consent(m: ConsentModel) -> &'static str {
    match m {
        ConsentModel::None => "no choice needed",
        ConsentModel::OptOut => "opt-out",
        ConsentModel::OptIn => "opt-in",
    }
}

fn subject_label(k: SourceKind) -> &'static str {
    match k {
        SourceKind::Direct
        | SourceKind::Integration
        | SourceKind::Enrichment
        | SourceKind::Commercial
        | SourceKind::Partner
        | SourceKind::Device => "customers and account users",
        SourceKind::Automatic => "website and app visitors",
        SourceKind::Customer => "customers' recipients (ship-to parties, address books)",
        SourceKind::Staff => "staff and supplier contacts",
    }
}

/// An ISO 8601 retention period in words (`P13M` → `13 months`); other text as written.
#[must_use]
pub fn period_words(text: &str) -> String {
    let Ok(span) = text.trim().parse::<jiff::Span>() else {
        return text.to_string();
    };
    let parts: Vec<String> = [
        (i64::from(span.get_years()), "year"),
        (i64::from(span.get_months()), "month"),
        (i64::from(span.get_weeks()), "week"),
        (i64::from(span.get_days()), "day"),
        (i64::from(span.get_hours()), "hour"),
    ]
    .iter()
    .filter(|(n, _)| *n != 0)
    .map(|(n, unit)| format!("{n} {unit}{}", if *n == 1 { "" } else { "s" }))
    .collect();
    if parts.is_empty() {
        text.to_string()
    } else {
        parts.join(" ")
    }
}

/// A category's retention: period and what starts it.
fn retention_words(c: &steward_policy::engine::CategoryInfo) -> String {
    let period = period_words(&c.retention_text);
    if c.retention_trigger.is_empty() {
        period
    } else {
        format!("{period} from {}", c.retention_trigger.replace('_', " "))
    }
}

fn is_third_country(engine: &Engine, country: &str) -> bool {
    let Ok(j) = country.parse::<Jurisdiction>() else {
        // An unreadable country is treated as a third country (the stricter reading).
        return true;
    };
    !engine.is_eu(&Subject::new(SubjectKind::CustomerAccountHolder, Some(j)))
}

fn adequate(engine: &Engine, country: &str) -> bool {
    engine
        .file
        .settings
        .adequate_countries
        .iter()
        .any(|c| c.eq_ignore_ascii_case(country))
}

fn mechanism_text(t: &steward_policy::model::Transfer) -> String {
    let base = match t.mechanism.as_str() {
        "dpf" => "EU-U.S. Data Privacy Framework (Art. 45)".to_string(),
        "dpf_uk" => "UK Extension to the DPF".to_string(),
        "dpf_swiss" => "Swiss-U.S. DPF".to_string(),
        "scc" => format!(
            "standard contractual clauses{} (Art. 46(2)(c))",
            t.decision
                .as_deref()
                .map(|d| format!(" {d}"))
                .unwrap_or_default()
        ),
        "privacy_shield" => "Privacy Shield (invalid since 2020-07-16)".to_string(),
        "derogation_49" => "Art. 49 derogation (safeguards documented separately)".to_string(),
        other => other.to_string(),
    };
    let mut s = base;
    if let Some(u) = &t.until {
        s.push_str(&format!(" until {}", u.get_ref()));
    }
    if t.tia_done {
        s.push_str(", transfer impact assessment done");
    }
    s
}

fn country_of(r: &steward_policy::engine::RecipientInfo) -> String {
    String::from_utf8_lossy(&r.country).into_owned()
}

fn transfer_row(engine: &Engine, key: &str) -> Option<TransferRow> {
    let file = engine
        .file
        .recipients
        .iter()
        .find(|r| r.id.get_ref() == key)?;
    if !is_third_country(engine, &file.country) {
        return None;
    }
    let mut mechanisms: Vec<String> = file.transfer.iter().map(mechanism_text).collect();
    if adequate(engine, &file.country) {
        mechanisms.insert(
            0,
            format!("adequacy decision for {} (Art. 45)", file.country),
        );
    }
    Some(TransferRow {
        recipient: key.to_string(),
        name: file.name.clone(),
        country: file.country.clone(),
        derogation: file.transfer.iter().any(|t| t.mechanism == "derogation_49"),
        none: mechanisms.is_empty(),
        mechanisms,
    })
}

/// Build the data map and the record of processing from the policy and the register.
#[must_use]
pub fn build(engine: &Engine, register: &Register) -> DataMap {
    let meta = &engine.file.policy;
    let mut missing = Vec::new();
    let or_missing = |v: &Option<String>, what: &str, missing: &mut Vec<String>| -> String {
        match v.as_deref().map(str::trim) {
            Some(s) if !s.is_empty() => s.to_string(),
            _ => {
                missing.push(format!("controller: {what}"));
                String::new()
            }
        }
    };
    let controller = Controller {
        name: meta.controller.clone(),
        privacy_contact: or_missing(&meta.privacy_contact, "privacy contact", &mut missing),
        support_contact: or_missing(&meta.support_contact, "support contact", &mut missing),
        dispute_resolution: meta.dispute_resolution_url.clone().unwrap_or_default(),
    };
    // Whose data a purpose processes, through the policy's sources: a source that names its
    // purposes counts for those; one that does not counts for the purposes using its
    // categories, except sources about other people than customers (staff, suppliers,
    // customers' recipients), which count only where they name the purpose.
    let customer_like = |k: SourceKind| !matches!(k, SourceKind::Staff | SourceKind::Customer);
    let mut purposes = Vec::with_capacity(engine.purposes.len());
    for pid in engine.purpose_ids() {
        let p = engine.purpose_info(pid);
        let cats: Vec<usize> = p.categories.iter().map(|c| c.index()).collect();
        let mut subjects: BTreeSet<&str> = BTreeSet::new();
        for s in &engine.sources {
            let named = s.purposes.contains(pid);
            let by_category = s.purposes.is_empty()
                && customer_like(s.kind)
                && s.categories.iter().any(|c| p.categories.contains(c));
            if named || by_category {
                subjects.insert(subject_label(s.kind));
            }
        }
        let recipients: Vec<RecipientRef> = engine
            .recipient_ids()
            .map(|r| engine.recipient_info(r))
            .filter(|r| r.purposes.contains(pid))
            .map(|r| {
                let country = country_of(r);
                RecipientRef {
                    key: r.key.clone(),
                    name: r.name.clone(),
                    class: r.class.as_str().to_string(),
                    third_country: is_third_country(engine, &country),
                    country,
                }
            })
            .collect();
        let transfers: Vec<TransferRow> = recipients
            .iter()
            .filter(|r| r.third_country)
            .filter_map(|r| transfer_row(engine, &r.key))
            .collect();
        let gdpr_basis = p
            .gdpr
            .map(|b| b.as_str().replace('_', " "))
            .unwrap_or_default();
        if gdpr_basis.is_empty() {
            missing.push(format!("purpose `{}`: GDPR lawful basis", p.key));
        }
        if cats.is_empty() {
            missing.push(format!("purpose `{}`: categories of personal data", p.key));
        }
        if subjects.is_empty() && !cats.is_empty() {
            missing.push(format!(
                "purpose `{}`: categories of data subjects (no source collects its categories)",
                p.key
            ));
        }
        let mut retention = Vec::new();
        for c in p.categories.iter() {
            let info = engine.category_info(c);
            if info.retention_text.trim().is_empty() {
                missing.push(format!("category `{}`: retention period", info.key));
            }
            retention.push(format!("{}: {}", info.name, retention_words(info)));
        }
        let mut flags = Vec::new();
        if p.sale {
            flags.push("sale");
        }
        if p.share {
            flags.push("sharing");
        }
        if p.marketing {
            flags.push("marketing");
        }
        if p.profiling {
            flags.push("profiling");
        }
        purposes.push(PurposeEntry {
            key: p.key.clone(),
            name: p.name.clone(),
            gdpr_basis,
            ccpa_purpose: p.ccpa.clone().unwrap_or_default(),
            consent: format!(
                "EU {} · US {} · elsewhere {}",
                consent(p.consent[0]),
                consent(p.consent[1]),
                consent(p.consent[2])
            ),
            subjects: subjects.into_iter().map(str::to_string).collect(),
            categories: p
                .categories
                .iter()
                .map(|c| engine.category_info(c).name.clone())
                .collect(),
            recipients,
            transfers,
            retention,
            flags,
        });
    }
    let categories = engine
        .category_ids()
        .map(|cid| {
            let c = engine.category_info(cid);
            let disclosed_to = register
                .by_recipient
                .iter()
                .filter(|(_, t)| t.categories.contains(&c.key))
                .map(|(k, _)| k.clone())
                .collect();
            CategoryRow {
                key: c.key.clone(),
                name: c.name.clone(),
                family: c.family.clone(),
                ccpa: c.ccpa.join(", "),
                spi: c.spi,
                purposes: engine
                    .purpose_ids()
                    .map(|p| engine.purpose_info(p))
                    .filter(|p| p.categories.contains(cid))
                    .map(|p| p.key.clone())
                    .collect(),
                recipients: engine
                    .recipient_ids()
                    .map(|r| engine.recipient_info(r))
                    .filter(|r| r.categories.contains(cid) && !r.excluded.contains(cid))
                    .map(|r| r.key.clone())
                    .collect(),
                disclosed_to,
                retention: retention_words(c),
                retention_basis: [c.retention_basis.as_str(), c.retention_citation.as_str()]
                    .iter()
                    .filter(|s| !s.is_empty())
                    .copied()
                    .collect::<Vec<_>>()
                    .join(" — "),
            }
        })
        .collect();
    let recipients = engine
        .recipient_ids()
        .map(|rid| {
            let r = engine.recipient_info(rid);
            let country = country_of(r);
            let totals = register
                .by_recipient
                .get(&r.key)
                .cloned()
                .unwrap_or_default();
            let mechanisms = transfer_row(engine, &r.key)
                .map(|t| {
                    if t.none {
                        vec!["none: EU data may not be disclosed (GDPR-32)".to_string()]
                    } else {
                        t.mechanisms
                    }
                })
                .unwrap_or_default();
            let role = [r.ccpa_role.as_deref(), r.role.as_deref()]
                .into_iter()
                .flatten()
                .map(|s| s.replace('_', " "))
                .collect::<Vec<_>>()
                .join(" / ");
            let sale_share = match (r.sale, r.share) {
                (true, true) => "sale and sharing",
                (true, false) => "sale",
                (false, true) => "sharing",
                (false, false) => "",
            };
            if matches!(
                r.class.kind(),
                ClassKind::ServiceProvider | ClassKind::Contractor
            ) && r.contract_id.is_none()
            {
                missing.push(format!("recipient `{}`: processor contract", r.key));
            }
            RecipientRow {
                key: r.key.clone(),
                name: r.name.clone(),
                class: r.class.as_str().replace('_', " "),
                role,
                country,
                mechanisms,
                contract: r.contract_id.clone().unwrap_or_default(),
                sale_share: sale_share.to_string(),
                purposes: r
                    .purposes
                    .iter()
                    .map(|p| engine.purpose_info(p).key.clone())
                    .collect(),
                categories: r.categories.minus(&r.excluded).len(),
                disclosures: totals.count,
                subjects: totals.subjects,
                last: totals
                    .last
                    .map(|t| t.strftime("%Y-%m-%d").to_string())
                    .unwrap_or_default(),
            }
        })
        .collect();
    DataMap {
        policy: format!(
            "{} (version {})",
            meta.name.get_ref(),
            meta.version.get_ref()
        ),
        controller,
        purposes,
        categories,
        recipients,
        missing,
        register_records: register.records,
        register_truncated: register.truncated,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn engine() -> Engine {
        steward_policy::default_engine().unwrap()
    }

    #[test]
    fn gdpr_27_one_entry_per_purpose_with_every_field() {
        let e = engine();
        let m = build(&e, &Register::default());
        assert_eq!(m.purposes.len(), e.purposes.len());
        assert!(!m.controller.name.is_empty());
        assert!(!m.controller.privacy_contact.is_empty());
        for p in &m.purposes {
            assert!(!p.name.is_empty(), "{}", p.key);
            assert!(
                !p.retention.is_empty() || p.categories.is_empty(),
                "{}",
                p.key
            );
        }
        // The shipped policy is complete: nothing to flag.
        assert!(m.missing.is_empty(), "{:?}", m.missing);
    }

    #[test]
    fn retention_periods_in_words() {
        assert_eq!(period_words("P13M"), "13 months");
        assert_eq!(period_words("P1Y6M"), "1 year 6 months");
        assert_eq!(period_words("P30D"), "30 days");
        assert_eq!(
            period_words("until the account closes"),
            "until the account closes"
        );
    }

    #[test]
    fn gdpr_27_data_subjects_come_from_the_sources() {
        let e = engine();
        let m = build(&e, &Register::default());
        let reg = m
            .purposes
            .iter()
            .find(|p| p.key == "account_registration")
            .unwrap();
        assert_eq!(
            reg.subjects,
            vec!["customers and account users".to_string()]
        );
    }

    #[test]
    fn gdpr_27_recipients_come_from_the_registry_and_the_register() {
        let e = engine();
        let mut reg = Register::default();
        reg.by_recipient.insert(
            "SP_EMAIL".into(),
            RegisterTotals {
                count: 3,
                subjects: 2,
                last: Some("2024-03-04T17:00:00Z".parse().unwrap()),
                categories: ["email".to_string()].into_iter().collect(),
            },
        );
        let m = build(&e, &reg);
        let r = m.recipients.iter().find(|r| r.key == "SP_EMAIL").unwrap();
        assert_eq!((r.disclosures, r.subjects), (3, 2));
        assert_eq!(r.last, "2024-03-04");
        // A US processor: a third country with its mechanisms named.
        assert!(
            r.mechanisms
                .iter()
                .any(|m| m.contains("Data Privacy Framework"))
        );
        assert!(r.mechanisms.iter().any(|m| m.contains("2021/914")));
        let email = m.categories.iter().find(|c| c.key == "email").unwrap();
        assert_eq!(email.disclosed_to, vec!["SP_EMAIL".to_string()]);
        // Every purpose SP_EMAIL serves lists it as a recipient with its transfer.
        let with: Vec<_> = m
            .purposes
            .iter()
            .filter(|p| p.recipients.iter().any(|r| r.key == "SP_EMAIL"))
            .collect();
        assert!(!with.is_empty());
        assert!(
            with.iter()
                .all(|p| p.transfers.iter().any(|t| t.recipient == "SP_EMAIL"))
        );
    }
}
