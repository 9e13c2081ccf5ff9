//! The erasure plan (DEC-12, GDPR-16, CCPA-09, CCPA-10, RIGHTS-06): for each stored
//! item, delete it or keep it under a named exception; and the recipients to
//! notify (GDPR-18, GDPR-19, CCPA-09). Pure: the caller passes what is stored.

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use steward_deadlines::Regime;
use steward_policy::Engine;
use steward_store::ids::ItemId;
use steward_store::model::disclosure::DisclosureRecord;
use steward_store::model::item::ItemRecord;

/// Why an item is kept despite an erasure request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Exception {
    /// Kept to comply with a legal obligation (tax records).
    LegalObligation,
    /// Kept for USPS transactional reporting (39 CFR Part 501).
    UspsTransactionalReporting,
    /// Kept for security and fraud prevention, until its short retention ends.
    FraudPrevention,
    /// Under a legal hold (litigation, a legal request, a regulator).
    LegalHold,
    /// Needed by another request still open (e.g. an access request being answered).
    PendingRequest,
}

impl Exception {
    /// The legal citation under a regime.
    #[must_use]
    pub fn citation(self, regime: Regime) -> &'static str {
        match (self, regime) {
            (
                Exception::LegalObligation | Exception::UspsTransactionalReporting,
                Regime::Gdpr | Regime::UkGdpr,
            ) => "GDPR Art. 17(3)(b)",
            (Exception::LegalObligation | Exception::UspsTransactionalReporting, Regime::Ccpa) => {
                "Cal. Civ. Code §1798.105(d)(8)"
            }
            (Exception::FraudPrevention, Regime::Gdpr | Regime::UkGdpr) => {
                "GDPR Art. 17(1)(c), 21(1): compelling legitimate grounds (security)"
            }
            (Exception::FraudPrevention, Regime::Ccpa) => "Cal. Civ. Code §1798.105(d)(2)",
            (Exception::LegalHold, Regime::Gdpr | Regime::UkGdpr) => "GDPR Art. 17(3)(e)",
            (Exception::LegalHold, Regime::Ccpa) => "Cal. Civ. Code §1798.105(d)(8)",
            (Exception::PendingRequest, Regime::Gdpr | Regime::UkGdpr) => {
                "GDPR Art. 12(3): request in progress"
            }
            (Exception::PendingRequest, Regime::Ccpa) => "11 CCR §7022: request in progress",
            (Exception::LegalObligation, _) => "legal obligation",
            (Exception::UspsTransactionalReporting, _) => {
                "USPS Privacy Act Statement: transactional reporting (39 U.S.C. 401, 403, 404)"
            }
            (Exception::FraudPrevention, _) => "security and fraud prevention",
            (Exception::LegalHold, _) => "legal hold",
            (Exception::PendingRequest, _) => "request in progress",
        }
    }
}

/// One kept item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Retained {
    /// The item.
    pub item: ItemId,
    /// Its category.
    pub category: String,
    /// Why.
    pub exception: Exception,
    /// The citation under each applicable regime.
    pub citations: Vec<String>,
    /// Until when (its retention deadline), if known.
    pub until: Option<Timestamp>,
}

/// A recipient to notify.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notify {
    /// Recipient id.
    pub recipient: String,
    /// Its class.
    pub class: String,
    /// What it is asked to do: `delete` (processors: CCPA-09) or `delete_and_forward`
    /// (third parties that bought or received for sharing), or `inform` (independent
    /// controllers, GDPR-19).
    pub action: String,
    /// The categories it received.
    pub categories: Vec<String>,
    /// When it last received data.
    pub last_disclosed: Timestamp,
}

/// An external dataset the erasure reaches (filled in by the request workflow from the
/// registered connectors).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DatasetPlan {
    /// The connector's name.
    pub connector: String,
    /// Its tables in erasure order, with the action on each (`delete`, `mask`, `nullify`).
    pub tables: Vec<(String, String)>,
}

/// The plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ErasurePlan {
    /// Items to delete.
    pub delete: Vec<ItemId>,
    /// Items kept, each under a named exception.
    pub retain: Vec<Retained>,
    /// Recipients to notify.
    pub notify: Vec<Notify>,
    /// Choices kept in minimal form so an opt-out survives the erasure (RET-05).
    pub suppression_kept: bool,
    /// External datasets reached through connectors, in the order they run.
    #[serde(default)]
    pub datasets: Vec<DatasetPlan>,
}

/// What the planner needs beyond items and disclosures.
#[derive(Debug, Clone, Default)]
pub struct PlanFacts {
    /// Items under a legal hold.
    pub held: Vec<ItemId>,
    /// Items another open request still needs.
    pub pending: Vec<ItemId>,
}

fn exception_for(
    engine: &Engine,
    item: &ItemRecord,
    facts: &PlanFacts,
    now: Timestamp,
) -> Option<Exception> {
    if facts.held.contains(&item.id) {
        return Some(Exception::LegalHold);
    }
    if facts.pending.contains(&item.id) {
        return Some(Exception::PendingRequest);
    }
    let key = item.category.as_str();
    let info = engine.category(key).map(|c| engine.category_info(c));
    let basis = info.map_or("", |i| i.retention_basis.as_str());
    if info.is_some_and(|i| i.family == "usps") && basis == "legal_obligation" {
        return Some(Exception::UspsTransactionalReporting);
    }
    if basis == "legal_obligation" {
        return Some(Exception::LegalObligation);
    }
    if basis == "security" && item.retain_until.is_none_or(|t| t > now) {
        return Some(Exception::FraudPrevention);
    }
    None
}

/// Plan the erasure of a subject's data.
#[must_use]
pub fn plan_erasure(
    engine: &Engine,
    regimes: &[Regime],
    items: &[ItemRecord],
    disclosures: &[DisclosureRecord],
    facts: &PlanFacts,
    now: Timestamp,
) -> ErasurePlan {
    let mut plan = ErasurePlan {
        suppression_kept: true,
        ..ErasurePlan::default()
    };
    for item in items
        .iter()
        .filter(|i| i.erased_at.is_none() && i.value.is_some())
    {
        match exception_for(engine, item, facts, now) {
            Some(exception) => plan.retain.push(Retained {
                item: item.id,
                category: item.category.as_str().to_string(),
                exception,
                citations: regimes
                    .iter()
                    .map(|r| exception.citation(*r).to_string())
                    .collect(),
                until: item.retain_until,
            }),
            None => plan.delete.push(item.id),
        }
    }
    let mut by_recipient: BTreeMap<String, (Vec<String>, Timestamp)> = BTreeMap::new();
    for d in disclosures {
        let entry = by_recipient
            .entry(d.recipient.as_str().to_string())
            .or_insert_with(|| (Vec::new(), d.disclosed_at));
        for c in &d.categories {
            if !entry.0.iter().any(|x| x == c.as_str()) {
                entry.0.push(c.as_str().to_string());
            }
        }
        entry.1 = entry.1.max(d.disclosed_at);
    }
    for (recipient, (categories, last)) in by_recipient {
        let info = engine
            .recipient(&recipient)
            .map(|r| engine.recipient_info(r));
        // Authorities, and recipients the policy says keep their own statutory records, are
        // not notified of erasures.
        if info.is_some_and(|r| r.class.keeps_own_records()) {
            continue;
        }
        let class = info.map_or("consented_third_party", |r| r.class.as_str());
        let action = match info {
            Some(r) if r.class.is_processor() && !r.sale && !r.share => "delete",
            Some(r) if r.sale || r.share || r.own_use => "delete_and_forward",
            _ => "inform",
        };
        plan.notify.push(Notify {
            recipient,
            class: class.to_string(),
            action: action.to_string(),
            categories,
            last_disclosed: last,
        });
    }
    plan
}

#[cfg(test)]
mod tests {
    use super::*;
    use steward_store::ids::{DecisionId, DisclosureId, SubjectId};
    use steward_store::model::item::ControllerRole;
    use steward_store::values::{
        CategoryKey, Ciphertext, EntityKey, PurposeKey, RecipientKey, SourceKey,
    };

    fn item(cat: &str, until: Option<&str>) -> ItemRecord {
        let at: Timestamp = "2024-01-01T00:00:00Z".parse().unwrap();
        ItemRecord {
            id: ItemId::generate(),
            subject: SubjectId::from_bytes([1; 16]),
            category: CategoryKey::new(cat).unwrap(),
            value: Some(Ciphertext::new(vec![1u8; 40]).unwrap()),
            source: SourceKey::new("direct:registration").unwrap(),
            collected_at: at,
            purpose: PurposeKey::new("service_provision").unwrap(),
            controller: EntityKey::new("stamps").unwrap(),
            controller_role: ControllerRole::Controller,
            retain_until: until.map(|u| u.parse().unwrap()),
            updated_at: at,
            erased_at: None,
            policy_version: None,
        }
    }

    fn disclosed(to: &str, cats: &[&str]) -> DisclosureRecord {
        DisclosureRecord {
            id: DisclosureId::generate(),
            subject: SubjectId::from_bytes([1; 16]),
            recipient: RecipientKey::new(to).unwrap(),
            categories: cats.iter().map(|c| CategoryKey::new(*c).unwrap()).collect(),
            items: vec![],
            purpose: PurposeKey::new("important_communications").unwrap(),
            decision: DecisionId::generate(),
            payload_hash: None,
            disclosed_at: "2024-02-01T00:00:00Z".parse().unwrap(),
        }
    }

    #[test]
    fn rights_06_plan_keeps_tax_records_deletes_the_rest_and_notifies_processors() {
        let e = steward_policy::default_engine().unwrap();
        let now: Timestamp = "2024-03-04T17:00:00Z".parse().unwrap();
        let items = vec![
            item("transaction_history", None),
            item("chat_transcript", None),
            item("survey_answer", None),
            item("pages_viewed", None),
            item("usps_regulatory_data", None),
            item("ip_login", Some("2024-04-01T00:00:00Z")),
        ];
        let plan = plan_erasure(
            &e,
            &[Regime::Ccpa],
            &items,
            &[
                disclosed("SP_EMAIL", &["email"]),
                disclosed("MP1", &["name"]),
            ],
            &PlanFacts::default(),
            now,
        );
        let kept: Vec<(&str, Exception)> = plan
            .retain
            .iter()
            .map(|r| (r.category.as_str(), r.exception))
            .collect();
        assert!(kept.contains(&("transaction_history", Exception::LegalObligation)));
        assert!(kept.contains(&(
            "usps_regulatory_data",
            Exception::UspsTransactionalReporting
        )));
        assert!(kept.contains(&("ip_login", Exception::FraudPrevention)));
        assert_eq!(
            plan.delete.len(),
            3,
            "chat, survey and pages viewed are deleted"
        );
        assert!(plan.retain.iter().all(|r| !r.citations.is_empty()));
        let sp = plan
            .notify
            .iter()
            .find(|n| n.recipient == "SP_EMAIL")
            .unwrap();
        assert_eq!(sp.action, "delete");
        let mp = plan.notify.iter().find(|n| n.recipient == "MP1").unwrap();
        assert_eq!(
            mp.action, "delete_and_forward",
            "CCPA-09: third parties the PI was sold to"
        );
        assert!(plan.suppression_kept);
    }

    #[test]
    fn gdpr_16_holds_and_pending_requests_keep_items_with_a_code() {
        let e = steward_policy::default_engine().unwrap();
        let now: Timestamp = "2024-03-04T17:00:00Z".parse().unwrap();
        let a = item("chat_transcript", None);
        let b = item("email", None);
        let expired_ip = item("ip_login", Some("2024-01-01T00:00:00Z"));
        let facts = PlanFacts {
            held: vec![a.id],
            pending: vec![b.id],
        };
        let plan = plan_erasure(
            &e,
            &[Regime::Gdpr],
            &[a.clone(), b.clone(), expired_ip.clone()],
            &[],
            &facts,
            now,
        );
        assert_eq!(
            plan.retain
                .iter()
                .find(|r| r.item == a.id)
                .unwrap()
                .citations,
            vec!["GDPR Art. 17(3)(e)"]
        );
        assert_eq!(
            plan.retain
                .iter()
                .find(|r| r.item == b.id)
                .unwrap()
                .exception,
            Exception::PendingRequest
        );
        assert_eq!(
            plan.delete,
            vec![expired_ip.id],
            "security retention ended: no reason to keep it"
        );
    }
}
