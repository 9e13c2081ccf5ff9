//! What changed between two policy versions, and which changes are material
//! (CHG-03): a new purpose or recipient for existing data, a new category, a
//! new sale or share, a new non-essential tracker or a longer retention needs
//! a fresh notice, and where the purpose rests on consent for EU subjects,
//! fresh consent. Narrowing changes (removals, shorter retention) are not
//! material.

use crate::engine::{ConsentModel, Engine, GdprBasis};
use crate::facts::TrackerCategory;
use serde::Serialize;

/// What a material change requires.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Needs {
    /// Nothing: the change narrows processing or is editorial.
    Nothing,
    /// A notice to subjects before the change applies to their data.
    Notice,
    /// Fresh consent from EU subjects (and a notice to everyone).
    FreshConsent,
}

/// One change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// `category`, `purpose`, `recipient`, `tracker`, `lock`, `setting`, `policy`.
    pub kind: &'static str,
    /// The id of the thing that changed.
    pub id: String,
    /// What changed, in words.
    pub what: String,
    /// Material under CHG-03.
    pub material: bool,
    /// What it requires.
    pub needs: Needs,
}

fn ch(kind: &'static str, id: &str, what: String, needs: Needs) -> Change {
    Change {
        kind,
        id: id.to_string(),
        what,
        material: needs != Needs::Nothing,
        needs,
    }
}

fn names(e: &Engine, set: &crate::ids::CategorySet) -> Vec<String> {
    set.iter().map(|c| e.category_info(c).key.clone()).collect()
}

/// Compare two policies.
#[must_use]
pub fn diff(old: &Engine, new: &Engine) -> Vec<Change> {
    let mut out = Vec::new();
    if old.meta.version != new.meta.version || old.meta.effective != new.meta.effective {
        out.push(ch(
            "policy",
            &new.meta.version,
            format!(
                "version {} (effective {}) → {} (effective {})",
                old.meta.version, old.meta.effective, new.meta.version, new.meta.effective
            ),
            Needs::Nothing,
        ));
    }
    // Category sets are compared by name, since ids are per-engine.
    let cat_names =
        |e: &Engine, s: &crate::ids::CategorySet| -> std::collections::BTreeSet<String> {
            names(e, s).into_iter().collect()
        };

    for c in &new.categories {
        match old.category(&c.key).map(|i| old.category_info(i)) {
            None => out.push(ch(
                "category",
                &c.key,
                format!("new category `{}` is collected", c.key),
                Needs::Notice,
            )),
            Some(o) => {
                let longer = match (o.retention, c.retention) {
                    (Some(_), None) => true,
                    (Some(a), Some(b)) => span_days(b) > span_days(a),
                    _ => false,
                };
                if longer {
                    out.push(ch(
                        "category",
                        &c.key,
                        format!(
                            "retention of `{}` lengthened from {} to {}",
                            c.key, o.retention_text, c.retention_text
                        ),
                        Needs::Notice,
                    ));
                } else if o.retention_text != c.retention_text {
                    out.push(ch(
                        "category",
                        &c.key,
                        format!(
                            "retention of `{}` shortened from {} to {}",
                            c.key, o.retention_text, c.retention_text
                        ),
                        Needs::Nothing,
                    ));
                }
                if !o.spi && c.spi {
                    out.push(ch(
                        "category",
                        &c.key,
                        format!("`{}` is now sensitive personal information", c.key),
                        Needs::Notice,
                    ));
                }
            }
        }
    }
    for c in &old.categories {
        if new.category(&c.key).is_none() {
            out.push(ch(
                "category",
                &c.key,
                format!("category `{}` is no longer collected", c.key),
                Needs::Nothing,
            ));
        }
    }

    for p in &new.purposes {
        let consent_needed =
            p.gdpr == Some(GdprBasis::Consent) || p.consent[0] == ConsentModel::OptIn;
        let needs = if consent_needed {
            Needs::FreshConsent
        } else {
            Needs::Notice
        };
        match old.purpose(&p.key).map(|i| old.purpose_info(i)) {
            None => out.push(ch(
                "purpose",
                &p.key,
                format!("new purpose `{}` ({})", p.key, p.name),
                needs,
            )),
            Some(o) => {
                let added: Vec<String> = cat_names(new, &p.categories)
                    .difference(&cat_names(old, &o.categories))
                    .cloned()
                    .collect();
                if !added.is_empty() {
                    out.push(ch(
                        "purpose",
                        &p.key,
                        format!("purpose `{}` now uses {}", p.key, added.join(", ")),
                        needs,
                    ));
                }
                let removed: Vec<String> = cat_names(old, &o.categories)
                    .difference(&cat_names(new, &p.categories))
                    .cloned()
                    .collect();
                if !removed.is_empty() {
                    out.push(ch(
                        "purpose",
                        &p.key,
                        format!("purpose `{}` no longer uses {}", p.key, removed.join(", ")),
                        Needs::Nothing,
                    ));
                }
                if o.gdpr != p.gdpr {
                    out.push(ch(
                        "purpose",
                        &p.key,
                        format!(
                            "legal basis of `{}` changed from {} to {}",
                            p.key,
                            o.gdpr.map_or("none", GdprBasis::as_str),
                            p.gdpr.map_or("none", GdprBasis::as_str)
                        ),
                        needs,
                    ));
                }
                if (!o.sale && p.sale) || (!o.share && p.share) {
                    out.push(ch(
                        "purpose",
                        &p.key,
                        format!("purpose `{}` is now a sale or sharing", p.key),
                        Needs::Notice,
                    ));
                }
            }
        }
    }
    for p in &old.purposes {
        if new.purpose(&p.key).is_none() {
            out.push(ch(
                "purpose",
                &p.key,
                format!("purpose `{}` removed", p.key),
                Needs::Nothing,
            ));
        }
    }

    for r in &new.recipients {
        match old.recipient(&r.key).map(|i| old.recipient_info(i)) {
            None => out.push(ch(
                "recipient",
                &r.key,
                format!("new recipient `{}` ({})", r.key, r.class.as_str()),
                Needs::Notice,
            )),
            Some(o) => {
                let added: Vec<String> = cat_names(new, &r.categories.minus(&r.excluded))
                    .difference(&cat_names(old, &o.categories.minus(&o.excluded)))
                    .cloned()
                    .collect();
                if !added.is_empty() {
                    out.push(ch(
                        "recipient",
                        &r.key,
                        format!("`{}` now receives {}", r.key, added.join(", ")),
                        Needs::Notice,
                    ));
                }
                let new_p: Vec<String> = r
                    .purposes
                    .iter()
                    .map(|p| new.purpose_info(p).key.clone())
                    .filter(|k| old.purpose(k).is_none_or(|op| !o.purposes.contains(op)))
                    .collect();
                if !new_p.is_empty() {
                    out.push(ch(
                        "recipient",
                        &r.key,
                        format!("`{}` now receives data for {}", r.key, new_p.join(", ")),
                        Needs::Notice,
                    ));
                }
                if (!o.sale && r.sale) || (!o.share && r.share) {
                    out.push(ch(
                        "recipient",
                        &r.key,
                        format!("disclosures to `{}` are now a sale or sharing", r.key),
                        Needs::Notice,
                    ));
                }
                if o.class != r.class {
                    out.push(ch(
                        "recipient",
                        &r.key,
                        format!(
                            "`{}` changed class from {} to {}",
                            r.key,
                            o.class.as_str(),
                            r.class.as_str()
                        ),
                        Needs::Notice,
                    ));
                }
                if o.contract_id != r.contract_id || o.contract != r.contract {
                    out.push(ch(
                        "recipient",
                        &r.key,
                        format!("contract of `{}` changed", r.key),
                        Needs::Nothing,
                    ));
                }
                if o.transfers != r.transfers {
                    out.push(ch(
                        "recipient",
                        &r.key,
                        format!("transfer mechanisms of `{}` changed", r.key),
                        Needs::Nothing,
                    ));
                }
            }
        }
    }
    for r in &old.recipients {
        if new.recipient(&r.key).is_none() {
            out.push(ch(
                "recipient",
                &r.key,
                format!("recipient `{}` removed", r.key),
                Needs::Nothing,
            ));
        }
    }

    for t in &new.trackers {
        if old.tracker(&t.key).is_none() {
            let needs = if t.category == TrackerCategory::StrictlyNecessary {
                Needs::Notice
            } else {
                Needs::FreshConsent
            };
            out.push(ch(
                "tracker",
                &t.key,
                format!("new tracker `{}` ({})", t.key, t.category.as_str()),
                needs,
            ));
        }
    }
    for t in &old.trackers {
        if new.tracker(&t.key).is_none() {
            out.push(ch(
                "tracker",
                &t.key,
                format!("tracker `{}` removed", t.key),
                Needs::Nothing,
            ));
        }
    }
    for l in &old.locks {
        if !new.locks.iter().any(|n| n.key == l.key) {
            out.push(ch(
                "lock",
                &l.key,
                format!("hard lock `{}` removed", l.key),
                Needs::Notice,
            ));
        }
    }
    out
}

fn span_days(s: jiff::Span) -> i64 {
    // Approximate: months as 30.44 days, years as 365.25; enough to order retention periods.
    let d = i64::from(s.get_years()) * 36525 / 100
        + i64::from(s.get_months()) * 3044 / 100
        + i64::from(s.get_weeks()) * 7
        + i64::from(s.get_days());
    d * 24 + i64::from(s.get_hours())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_policies_have_no_changes() {
        let e = crate::default_engine().unwrap();
        assert!(diff(&e, &e).is_empty());
    }

    #[test]
    fn new_consent_purpose_needs_fresh_consent_and_removal_is_not_material() {
        let e = crate::default_engine().unwrap();
        let patched = crate::patch::apply(
            crate::DEFAULT_POLICY,
            r#"
[policy]
version = "2021-01-01"
[[purpose]]
id = "ai_training"
name = "Train models"
categories = ["chat_transcript"]
legal_basis = { gdpr = "consent" }
consent = { eu = "opt_in", us = "opt_out" }
clause = "2(b) How We Use Your Information"
[[tracker]]
id = "promo_tracker"
remove = true
"#,
        )
        .unwrap();
        let n = crate::load("v2.toml", &patched).unwrap().engine;
        let d = diff(&e, &n);
        let ai = d.iter().find(|c| c.id == "ai_training").unwrap();
        assert_eq!(ai.needs, Needs::FreshConsent);
        assert!(ai.material);
        let t = d.iter().find(|c| c.id == "promo_tracker").unwrap();
        assert!(!t.material);
    }
}
