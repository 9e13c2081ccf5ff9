//! The two engines side by side: Steward's compiled policy and the same
//! `can_use` / `can_disclose` rule subset in Cedar, with the benchmark
//! requests prepared for both (warm: engines, entities and requests are built
//! once, as a server would hold them).
//!
//! The Cedar entities are generated from the compiled steward-policy engine
//! (recipient purposes and categories, exclusions, the USPS lock, contract and
//! transfer facts), and the Cedar policies are validated against the schema in
//! strict mode, so the two sides encode the same rules. [`World::check`]
//! asserts that they agree on every benchmark request before anything is
//! timed.

use cedar_policy::{
    Authorizer, Context, Entities, EntityUid, PolicySet, Request, Response, Schema, ValidationMode,
    Validator,
};
use jiff::Timestamp;
use serde_json::{Value, json};
use steward_policy::engine::{CLAUSES, ClassKind, ContractInfo, Mechanism, RecipientInfo};
use steward_policy::ids::{CategoryId, CategorySet, PurposeId, RecipientId};
use steward_policy::{Consent, Decision, Engine, Jurisdiction, Subject, SubjectKind};

/// The Cedar schema (Cedar schema syntax).
pub const CEDAR_SCHEMA: &str = include_str!("../policies/steward.cedarschema");
/// The Cedar policies.
pub const CEDAR_POLICIES: &str = include_str!("../policies/steward.cedar");
/// The decision time of every benchmark request.
pub const NOW: &str = "2024-03-04T17:00:00Z";

/// Why the comparison could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    /// The shipped Steward policy did not compile.
    #[error("steward policy: {0}")]
    Steward(Box<steward_policy::Report>),
    /// A name the benchmark uses is not in the shipped policy.
    #[error("the shipped policy has no {kind} `{name}`")]
    UnknownName {
        /// category, purpose or recipient.
        kind: &'static str,
        /// The missing name.
        name: &'static str,
    },
    /// A jurisdiction literal did not parse.
    #[error("bad jurisdiction `{0}`")]
    Jurisdiction(&'static str),
    /// A date in the policy settings did not parse.
    #[error("bad date in policy settings: {0}")]
    Date(#[from] jiff::Error),
    /// The Cedar schema did not parse.
    #[error("cedar schema: {0}")]
    Schema(Box<cedar_policy::CedarSchemaError>),
    /// The Cedar policies did not parse.
    #[error("cedar policies: {0}")]
    Policies(Box<cedar_policy::ParseErrors>),
    /// The Cedar policies do not validate against the schema.
    #[error("cedar policies do not validate: {0}")]
    Validation(Box<cedar_policy::ValidationResult>),
    /// The generated entities do not conform to the schema.
    #[error("cedar entities: {0}")]
    Entities(Box<cedar_policy::entities_errors::EntitiesError>),
    /// An entity uid did not parse.
    #[error("cedar entity uid: {0}")]
    Uid(Box<cedar_policy::ParseErrors>),
    /// A request context does not conform to the schema.
    #[error("cedar context: {0}")]
    Context(Box<cedar_policy::ContextJsonError>),
    /// A request does not conform to the schema.
    #[error("cedar request: {0}")]
    Request(Box<cedar_policy::RequestValidationError>),
}

/// A Steward call with its arguments resolved, as the decide bench makes it.
#[derive(Debug, Clone)]
pub enum Call {
    /// `Engine::can_use`.
    Use {
        /// The subject.
        subject: Subject,
        /// The category.
        category: CategoryId,
        /// The purpose.
        purpose: PurposeId,
    },
    /// `Engine::can_disclose`.
    Disclose {
        /// The subject.
        subject: Subject,
        /// The categories.
        categories: CategorySet,
        /// The recipient.
        recipient: RecipientId,
        /// The purpose.
        purpose: PurposeId,
    },
}

/// One benchmark request, ready for both engines.
#[derive(Debug, Clone)]
pub struct Case {
    /// Benchmark id (criterion function name, `[a-z_]`).
    pub id: &'static str,
    /// What the request is.
    pub name: &'static str,
    /// Steward's reason code for this request (checked by [`World::check`]).
    pub expect_reason: &'static str,
    /// The Steward call.
    pub call: Call,
    /// The same question as a Cedar request.
    pub cedar: Request,
}

/// Both engines, warm, and the benchmark requests.
#[derive(Debug)]
pub struct World {
    /// Steward's compiled shipped policy.
    pub engine: Engine,
    /// Steward's decision context (`now` only).
    pub ctx: steward_policy::Context,
    /// Cedar's policy set (validated).
    pub policies: PolicySet,
    /// Cedar's entity store (generated from `engine`).
    pub entities: Entities,
    /// Cedar's authorizer.
    pub authorizer: Authorizer,
    /// The benchmark requests.
    pub cases: Vec<Case>,
}

/// What both engines said about one case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// Case name.
    pub name: &'static str,
    /// Steward allows.
    pub steward_allow: bool,
    /// Steward's reason code (a purpose lock reports the code its policy declares).
    pub steward_reason: String,
    /// Cedar allows.
    pub cedar_allow: bool,
    /// `@id` annotations of the Cedar policies that decided (the permit on allow,
    /// the forbids that fired on deny; empty when no permit applied).
    pub cedar_reasons: Vec<String>,
}

impl World {
    /// Steward's decision for a case.
    #[must_use]
    pub fn steward(&self, case: &Case) -> Decision {
        match &case.call {
            Call::Use {
                subject,
                category,
                purpose,
            } => self
                .engine
                .can_use(subject, Some(*category), Some(*purpose), &self.ctx),
            Call::Disclose {
                subject,
                categories,
                recipient,
                purpose,
            } => self.engine.can_disclose(
                subject,
                categories,
                false,
                Some(*recipient),
                Some(*purpose),
                &self.ctx,
            ),
        }
    }

    /// Cedar's response for a case.
    #[must_use]
    pub fn cedar(&self, case: &Case) -> Response {
        self.authorizer
            .is_authorized(&case.cedar, &self.policies, &self.entities)
    }

    /// Both verdicts for every case.
    #[must_use]
    pub fn verdicts(&self) -> Vec<Verdict> {
        self.cases
            .iter()
            .map(|c| {
                let d = self.steward(c);
                let r = self.cedar(c);
                let mut cedar_reasons: Vec<String> = r
                    .diagnostics()
                    .reason()
                    .map(
                        |id| match self.policies.policy(id).and_then(|p| p.annotation("id")) {
                            Some(name) => name.to_string(),
                            None => id.to_string(),
                        },
                    )
                    .collect();
                cedar_reasons.sort();
                Verdict {
                    name: c.name,
                    steward_allow: d.allow,
                    steward_reason: self.engine.reason_code(&d).to_string(),
                    cedar_allow: r.decision() == cedar_policy::Decision::Allow,
                    cedar_reasons,
                }
            })
            .collect()
    }

    /// Check that the engines agree on every case, that Steward gives the
    /// expected reason code, and that Cedar evaluated without errors.
    ///
    /// # Errors
    /// One line per disagreement.
    pub fn check(&self) -> Result<Vec<Verdict>, Vec<String>> {
        let mut problems = Vec::new();
        let verdicts = self.verdicts();
        for (case, v) in self.cases.iter().zip(&verdicts) {
            if v.steward_allow != v.cedar_allow {
                problems.push(format!(
                    "{}: steward {} ({}), cedar {} ({:?})",
                    v.name,
                    allow_word(v.steward_allow),
                    v.steward_reason,
                    allow_word(v.cedar_allow),
                    v.cedar_reasons
                ));
            }
            if v.steward_reason != case.expect_reason {
                problems.push(format!(
                    "{}: steward said {}, the case expects {}",
                    v.name, v.steward_reason, case.expect_reason
                ));
            }
            let errors: Vec<String> = self
                .cedar(case)
                .diagnostics()
                .errors()
                .map(ToString::to_string)
                .collect();
            if !errors.is_empty() {
                problems.push(format!("{}: cedar evaluation errors: {errors:?}", v.name));
            }
        }
        if problems.is_empty() {
            Ok(verdicts)
        } else {
            Err(problems)
        }
    }
}

macro_rules! boxed_from {
    ($($ty:ty => $variant:ident),* $(,)?) => {
        $(impl From<$ty> for SetupError {
            fn from(e: $ty) -> Self {
                SetupError::$variant(Box::new(e))
            }
        })*
    };
}

boxed_from!(
    cedar_policy::CedarSchemaError => Schema,
    cedar_policy::ParseErrors => Policies,
    cedar_policy::entities_errors::EntitiesError => Entities,
    cedar_policy::ContextJsonError => Context,
    cedar_policy::RequestValidationError => Request,
);

fn allow_word(a: bool) -> &'static str {
    if a { "ALLOW" } else { "DENY" }
}

/// The named subjects of the benchmark and their Steward facts.
fn subjects() -> Result<Vec<(&'static str, Subject)>, SetupError> {
    let j = |s: &'static str| {
        s.parse::<Jurisdiction>()
            .map_err(|_| SetupError::Jurisdiction(s))
    };
    let us_tx = Subject::new(SubjectKind::CustomerAccountHolder, Some(j("US-TX")?));
    let us_ca = Subject::new(SubjectKind::CustomerAccountHolder, Some(j("US-CA")?));
    let mut us_ca_sale_opt_out = us_ca;
    us_ca_sale_opt_out.choices.sale_opt_out = true;
    let eu_de = Subject::new(SubjectKind::CustomerAccountHolder, Some(j("DE")?));
    let mut eu_de_consent = eu_de;
    eu_de_consent.choices.eu_third_party_sharing = Consent::Given;
    Ok(vec![
        ("us_tx", us_tx),
        ("us_ca", us_ca),
        ("us_ca_sale_opt_out", us_ca_sale_opt_out),
        ("eu_de", eu_de),
        ("eu_de_consent", eu_de_consent),
    ])
}

/// Build both engines and the benchmark requests.
///
/// # Errors
/// When the shipped policy, the Cedar schema, policies, entities or requests
/// are broken.
pub fn setup() -> Result<World, SetupError> {
    let engine = steward_policy::default_engine().map_err(|r| SetupError::Steward(Box::new(r)))?;
    let now: Timestamp = NOW.parse()?;
    let ctx = steward_policy::Context::at(now);

    let (schema, _warnings) = Schema::from_cedarschema_str(CEDAR_SCHEMA)?;
    let policies: PolicySet = CEDAR_POLICIES.parse()?;
    let validation = Validator::new(schema.clone()).validate(&policies, ValidationMode::Strict);
    if !validation.validation_passed() || validation.validation_warnings().next().is_some() {
        return Err(SetupError::Validation(Box::new(validation)));
    }

    let subjects = subjects()?;
    let entities =
        Entities::from_json_value(entities_json(&engine, now, &subjects)?, Some(&schema))?;

    let cat = |n: &'static str| {
        engine.category(n).ok_or(SetupError::UnknownName {
            kind: "category",
            name: n,
        })
    };
    let pur = |n: &'static str| {
        engine.purpose(n).ok_or(SetupError::UnknownName {
            kind: "purpose",
            name: n,
        })
    };
    let rec = |n: &'static str| {
        engine.recipient(n).ok_or(SetupError::UnknownName {
            kind: "recipient",
            name: n,
        })
    };
    let subject = |n: &str| subjects.iter().find(|(k, _)| *k == n).map(|(_, s)| *s);

    // (expected steward reason, subject, recipient (None: a use), categories, purpose)
    type Spec = (
        &'static str,
        &'static str,
        Option<&'static str>,
        &'static [&'static str],
        &'static str,
    );
    let specs: [(&'static str, &'static str, Spec); 10] = [
        (
            "use_allow_support",
            "can_use allow: email for support (US-TX)",
            ("OK", "us_tx", None, &["email"], "support"),
        ),
        (
            "use_allow_usps_oversight",
            "can_use allow: USPS data for USPS oversight (US-TX)",
            (
                "OK",
                "us_tx",
                None,
                &["usps_regulatory_data"],
                "usps_regulatory_oversight",
            ),
        ),
        (
            "use_deny_usps_lock",
            "can_use deny: USPS lock (USPS data for fraud)",
            (
                "USPS_PURPOSE_LOCK",
                "us_tx",
                None,
                &["usps_regulatory_data"],
                "security_fraud",
            ),
        ),
        (
            "disclose_allow_mp1_eu_consent",
            "can_disclose allow: MP1, EU subject with consent (DPF)",
            (
                "OK",
                "eu_de_consent",
                Some("MP1"),
                &["name", "postal_address"],
                "third_party_promotional_mail",
            ),
        ),
        (
            "disclose_deny_mp1_email_excluded",
            "can_disclose deny: MP1, email excluded (US-TX)",
            (
                "CATEGORY_EXCLUDED",
                "us_tx",
                Some("MP1"),
                &["name", "postal_address", "email"],
                "third_party_promotional_mail",
            ),
        ),
        (
            "disclose_deny_mp1_eu_no_opt_in",
            "can_disclose deny: MP1, EU subject without opt-in",
            (
                "EU_OPT_IN_REQUIRED",
                "eu_de",
                Some("MP1"),
                &["name", "postal_address"],
                "third_party_promotional_mail",
            ),
        ),
        (
            "disclose_deny_mp1_ca_sale_opt_out",
            "can_disclose deny: MP1, California sale opt-out",
            (
                "OPTED_OUT",
                "us_ca_sale_opt_out",
                Some("MP1"),
                &["name", "postal_address"],
                "third_party_promotional_mail",
            ),
        ),
        (
            "disclose_deny_usps_lock",
            "can_disclose deny: USPS lock (USPS data to MP1)",
            (
                "USPS_PURPOSE_LOCK",
                "us_tx",
                Some("MP1"),
                &["usps_regulatory_data"],
                "third_party_promotional_mail",
            ),
        ),
        (
            "disclose_allow_sp_email_eu",
            "can_disclose allow: service provider SP_EMAIL (EU, Art. 28 DPA, DPF)",
            (
                "OK",
                "eu_de",
                Some("SP_EMAIL"),
                &["name", "email"],
                "important_communications",
            ),
        ),
        (
            "disclose_allow_usps_auditor",
            "can_disclose allow: USPS auditor, USPS data (US-CA)",
            (
                "OK",
                "us_ca",
                Some("USPS_AUDITOR"),
                &["usps_regulatory_data", "transaction_history"],
                "usps_regulatory_oversight",
            ),
        ),
    ];

    let mut cases = Vec::with_capacity(specs.len());
    for (id, name, (expect_reason, subj_name, recipient, cats, purpose)) in specs {
        let Some(subj) = subject(subj_name) else {
            return Err(SetupError::UnknownName {
                kind: "benchmark subject",
                name: subj_name,
            });
        };
        let p = pur(purpose)?;
        let (call, principal, action) = match recipient {
            None => {
                let c = cat(cats[0])?;
                (
                    Call::Use {
                        subject: subj,
                        category: c,
                        purpose: p,
                    },
                    uid("Controller", "stamps")?,
                    uid("Action", "use")?,
                )
            }
            Some(r) => {
                let mut set = CategorySet::empty();
                for c in cats {
                    set.insert(cat(c)?);
                }
                (
                    Call::Disclose {
                        subject: subj,
                        categories: set,
                        recipient: rec(r)?,
                        purpose: p,
                    },
                    uid("Recipient", r)?,
                    uid("Action", "disclose")?,
                )
            }
        };
        let context_json = json!({
            "purpose": entity_ref("Purpose", purpose),
            "categories": cats.iter().map(|c| entity_ref("Category", c)).collect::<Vec<_>>(),
        });
        let context = Context::from_json_value(context_json, Some((&schema, &action)))?;
        let cedar = Request::new(
            principal,
            action,
            uid("Subject", subj_name)?,
            context,
            Some(&schema),
        )?;
        cases.push(Case {
            id,
            name,
            expect_reason,
            call,
            cedar,
        });
    }

    Ok(World {
        engine,
        ctx,
        policies,
        entities,
        authorizer: Authorizer::new(),
        cases,
    })
}

fn uid(ty: &str, id: &str) -> Result<EntityUid, SetupError> {
    format!("Steward::{ty}::{}", Value::String(id.to_string()))
        .parse::<EntityUid>()
        .map_err(|e| SetupError::Uid(Box::new(e)))
}

fn entity_ref(ty: &str, id: &str) -> Value {
    json!({ "__entity": { "type": format!("Steward::{ty}"), "id": id } })
}

fn entity(ty: &str, id: &str, attrs: Value) -> Value {
    json!({ "uid": { "type": format!("Steward::{ty}"), "id": id }, "attrs": attrs, "parents": [] })
}

fn date_start(d: &str) -> Result<Timestamp, jiff::Error> {
    format!("{d}T00:00:00Z").parse()
}

/// Is the contract in force at `now`? (The same test as Steward's contract step.)
fn in_force(c: &ContractInfo, now: Timestamp) -> bool {
    now >= c.effective && c.expires.is_none_or(|e| now < e)
}

/// The Cedar entity store, generated from the compiled Steward engine.
fn entities_json(
    engine: &Engine,
    now: Timestamp,
    subjects: &[(&'static str, Subject)],
) -> Result<Value, SetupError> {
    let settings = &engine.file.settings;
    let dpf_from = date_start(settings.dpf_valid_from.get_ref())?;
    let dpf_invalid = match &settings.dpf_invalidated_at {
        Some(d) => Some(date_start(d.get_ref())?),
        None => None,
    };
    // Privacy Shield is valid through the end of the day it names.
    let ps_invalid = date_start(settings.privacy_shield_invalid_after.get_ref())?
        .checked_add(jiff::Span::new().hours(24))?;
    let dpf_live = now >= dpf_from && dpf_invalid.is_none_or(|t| now < t);

    let cat_refs = |set: &CategorySet| -> Vec<Value> {
        set.iter()
            .map(|c| entity_ref("Category", &engine.category_info(c).key))
            .collect()
    };
    let mut out = Vec::new();
    for c in engine.category_ids() {
        out.push(entity("Category", &engine.category_info(c).key, json!({})));
    }
    for p in engine.purpose_ids() {
        let pi = engine.purpose_info(p);
        out.push(entity(
            "Purpose",
            &pi.key,
            json!({
                "categories": cat_refs(&pi.categories),
                "gdprBasis": pi.gdpr.is_some(),
                "sale": pi.sale,
                "share": pi.share,
                "directMarketing": pi.marketing || pi.profiling,
                "euThirdPartySharingOptIn": pi.choice == Some(steward_policy::engine::ChoiceKind::ThirdPartySharing),
            }),
        ));
    }
    out.push(entity("Controller", "stamps", json!({})));
    for r in engine.recipient_ids() {
        let ri: &RecipientInfo = engine.recipient_info(r);
        let country = String::from_utf8_lossy(&ri.country).into_owned();
        let adequate = country.parse::<Jurisdiction>().is_ok_and(|j| {
            engine.is_eu(&Subject::new(SubjectKind::CustomerAccountHolder, Some(j)))
        }) || settings
            .adequate_countries
            .iter()
            .any(|c| c.eq_ignore_ascii_case(&country));
        // The mechanism an EU (non-UK, non-Swiss) subject's data needs (DPF-01, GDPR-46).
        let transfer = ri.transfers.iter().any(|t| {
            t.until.is_none_or(|u| now < u)
                && match t.mechanism {
                    Mechanism::Dpf => dpf_live,
                    Mechanism::DpfUk | Mechanism::DpfSwiss => false,
                    Mechanism::Scc => t.tia_done,
                    Mechanism::PrivacyShield => now < ps_invalid,
                    Mechanism::Derogation49 => true,
                }
        });
        let clauses: Vec<&str> = ri
            .contract
            .map(|c| {
                CLAUSES
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| c.clauses & (1 << i) != 0)
                    .map(|(_, n)| *n)
                    .collect()
            })
            .unwrap_or_default();
        let purposes: Vec<Value> = ri
            .purposes
            .iter()
            .map(|p| entity_ref("Purpose", &engine.purpose_info(p).key))
            .collect();
        out.push(entity(
            "Recipient",
            &ri.key,
            json!({
                "class": ri.class.as_str(),
                "purposes": purposes,
                "categories": cat_refs(&ri.categories),
                "excluded": cat_refs(&ri.excluded),
                "sale": ri.sale,
                "share": ri.share,
                "ownUse": ri.own_use,
                "processor": ri.class.is_processor(),
                "thirdParty": ri.sale || ri.share || ri.own_use || ri.class.kind() == ClassKind::MarketingPartner,
                "contractInForce": ri.contract.is_some_and(|c| in_force(&c, now)),
                "contractClauses": clauses,
                "vetted": ri.vetted,
                "adequateCountry": adequate,
                "transferMechanism": transfer,
            }),
        ));
    }
    for lock in &engine.locks {
        let classes: Vec<&str> = engine
            .classes
            .iter()
            .filter(|c| lock.classes.contains(&c.class))
            .map(|c| c.class.as_str())
            .collect();
        let purposes: Vec<Value> = lock
            .purposes
            .iter()
            .map(|p| entity_ref("Purpose", &engine.purpose_info(p).key))
            .collect();
        out.push(entity(
            "Lock",
            &lock.key,
            json!({ "categories": cat_refs(&lock.categories), "purposes": purposes, "classes": classes }),
        ));
    }
    for (name, s) in subjects {
        out.push(entity(
            "Subject",
            name,
            json!({
                "eu": engine.is_eu(s),
                "california": s.jurisdiction.as_ref().is_some_and(Jurisdiction::is_california),
                "euThirdPartySharingConsent": s.choices.eu_third_party_sharing == Consent::Given,
                "saleOptOut": s.choices.sale_opt_out,
                "shareOptOut": s.choices.share_opt_out,
                "thirdPartySharingOptOut": s.choices.third_party_sharing_opt_out,
                "objectionDirectMarketing": s.choices.objection_direct_marketing,
            }),
        ));
    }
    Ok(Value::Array(out))
}

