//! Parse → validate → compile.
//!
//! [`load`] takes the text of a policy file and returns the compiled
//! [`Engine`] plus warnings, or every error found at once. Nothing here
//! panics on any input.

use crate::diag::{Report, Sink};
use crate::engine::*;
use crate::facts::{Channel, EEA_EXTRA, EU27, TrackerCategory};
use crate::ids::{
    CategoryId, CategorySet, MAX_SET, PurposeId, PurposeSet, RecipientId, RecipientSet, RoleId,
    RuleId, SourceId, SourceSet, TrackerId,
};
use crate::model::{Citation, Name, PolicyFile};
use jiff::Timestamp;
use jiff::civil::Date;
use std::collections::HashMap;

/// The outcome of loading a policy that compiled.
#[derive(Debug)]
pub struct Loaded {
    /// The engine.
    pub engine: Engine,
    /// Warnings (no errors).
    pub report: Report,
}

/// Parse, validate and compile a policy file. `file` names it in diagnostics.
///
/// # Errors
/// Every error found, with positions, when the policy cannot be compiled.
pub fn load(file: &str, src: &str) -> Result<Loaded, Report> {
    let mut sink = Sink::new(file, src);
    let parsed: PolicyFile = match toml::from_str(src) {
        Ok(p) => p,
        Err(e) => {
            sink.error(
                "SYNTAX",
                e.span(),
                e.message().trim().to_string(),
                "fix the TOML syntax or the field name; see docs/policy-format.md",
            );
            return Err(sink.report);
        }
    };
    let engine = Compiler::new(&mut sink).compile(parsed, src);
    let mut report = sink.report;
    report.sort();
    match engine {
        Some(engine) if report.errors() == 0 => Ok(Loaded { engine, report }),
        _ => Err(report),
    }
}

fn sha256_hex(data: &[u8]) -> String {
    let d = ring::digest::digest(&ring::digest::SHA256, data);
    d.as_ref().iter().map(|b| format!("{b:02x}")).collect()
}

fn valid_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b':' | b'.' | b'-'))
}

fn valid_req_id(s: &str) -> bool {
    let Some((area, num)) = s.rsplit_once('-') else {
        return false;
    };
    !area.is_empty()
        && area
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        && !num.is_empty()
        && num.bytes().all(|b| b.is_ascii_digit())
}

/// The reason code of an agreement that names no code of its own.
const AGREEMENT_REQUIRED: &str = "AGREEMENT_REQUIRED";
/// The reason code of required data that names no code of its own.
const INFORMATION_NOT_PROVIDED: &str = "INFORMATION_NOT_PROVIDED";

/// The reason code of a purpose lock that names no code of its own.
const PURPOSE_LOCK: &str = "PURPOSE_LOCK";

/// A deny reason code a lock may report: upper snake case, and not an allow code.
fn valid_reason_code(s: &str) -> bool {
    s.bytes().next().is_some_and(|b| b.is_ascii_uppercase())
        && s.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
        && s.len() <= 64
        && !matches!(s, "OK" | "STRICTLY_NECESSARY")
}

/// What the compiled registries contain, to tell which built-in decisions a policy can reach.
struct Reach<'a> {
    categories: &'a [CategoryInfo],
    purposes: &'a [PurposeInfo],
    recipients: &'a [RecipientInfo],
    trackers: &'a [TrackerInfo],
    sources: &'a [SourceInfo],
    well_known: WellKnown,
}

impl Reach<'_> {
    fn purpose(&self, f: impl Fn(&PurposeInfo) -> bool) -> bool {
        self.purposes.iter().any(f)
    }
    fn recipient(&self, f: impl Fn(&RecipientInfo) -> bool) -> bool {
        self.recipients.iter().any(f)
    }
    fn requires(&self, p: Precondition) -> bool {
        self.recipient(|r| r.requires == Some(p))
    }
    fn source(&self, k: SourceKind) -> bool {
        self.sources.iter().any(|s| s.kind == k)
    }
    fn choice(&self, f: impl Fn(ChoiceKind) -> bool) -> bool {
        self.purpose(|p| p.choice.is_some_and(&f))
    }
    fn marketing_send(&self) -> bool {
        self.well_known.marketing_first_party.is_some()
            || self.well_known.marketing_third_party_offers.is_some()
    }

    /// Can a decision of this policy cite this built-in? (Only asked of `CiteRule::When`.)
    fn needs(&self, b: Builtin) -> bool {
        let marketing_choice = |c: ChoiceKind| {
            matches!(
                c,
                ChoiceKind::MarketingFirstParty | ChoiceKind::MarketingThirdPartyOffers
            )
        };
        match b {
            Builtin::LegalRecord | Builtin::LegalReview | Builtin::LegalScope => {
                self.recipient(|r| r.class.kind() == ClassKind::LegalAuthority)
                    || self.requires(Precondition::LegalRequest)
            }
            Builtin::Justification => {
                self.purpose(|p| p.requires_justification)
                    || self.requires(Precondition::ProtectionCase)
            }
            Builtin::CommercialUse => self.purpose(|p| p.protection),
            Builtin::Contract => self.recipient(|r| {
                r.class.is_processor()
                    || r.sale
                    || r.share
                    || r.own_use
                    || r.class.kind() == ClassKind::MarketingPartner
            }),
            Builtin::Vetting => self.recipient(|r| r.class.kind() == ClassKind::MarketingPartner),
            Builtin::EuOptIn => {
                self.choice(|c| {
                    marketing_choice(c)
                        || matches!(c, ChoiceKind::ThirdPartySharing | ChoiceKind::Sync)
                }) || self.requires(Precondition::IntegrationLink)
                    || self.marketing_send()
            }
            Builtin::DoNotSell => {
                self.purpose(|p| p.sale || p.share)
                    || self.recipient(|r| r.sale || r.share || r.own_use)
            }
            Builtin::ThirdPartySharingOptOut => {
                self.recipient(|r| r.own_use || r.class.kind() == ClassKind::MarketingPartner)
                    || self.choice(|c| c == ChoiceKind::ThirdPartySharing)
            }
            Builtin::Marketing => self.choice(marketing_choice) || self.marketing_send(),
            Builtin::ChangeOfControl => self.purpose(|p| p.marketing) || self.marketing_send(),
            Builtin::CarrierSelection => self.requires(Precondition::CarrierSelection),
            Builtin::BusinessTransfer => self.requires(Precondition::BusinessTransfer),
            Builtin::ConsentedThirdParty => self.requires(Precondition::Consent),
            Builtin::Integration => {
                self.requires(Precondition::IntegrationLink)
                    || self.source(SourceKind::Integration)
                    || self.choice(|c| c == ChoiceKind::Sync)
            }
            Builtin::StrictlyNecessary => self
                .trackers
                .iter()
                .any(|t| t.category == TrackerCategory::StrictlyNecessary),
            Builtin::CookieOptOut => {
                self.trackers
                    .iter()
                    .any(|t| t.category != TrackerCategory::StrictlyNecessary)
                    || self.choice(|c| matches!(c, ChoiceKind::Cookie(_)))
            }
            Builtin::Location => {
                self.source(SourceKind::Device) || self.choice(|c| c == ChoiceKind::Location)
            }
            Builtin::Undertaking => self.source(SourceKind::Customer),
            Builtin::NotDisclosed => self.categories.iter().any(|c| !c.disclosed),
            Builtin::SupportFollowup => self.well_known.support_followup.is_none(),
            // The others are cited always, or default to the law.
            Builtin::UnregisteredCategory
            | Builtin::NoPurpose
            | Builtin::NoRecipientRule
            | Builtin::UnknownTracker
            | Builtin::UnknownSource
            | Builtin::Restricted
            | Builtin::Retained
            | Builtin::RetentionExpired
            | Builtin::Minor
            | Builtin::ChildGdpr
            | Builtin::ContractCcpa
            | Builtin::ContractGdpr
            | Builtin::ContractThirdParty
            | Builtin::Transfer
            | Builtin::Objection
            | Builtin::DirectMarketingObjection
            | Builtin::NevadaNoSale
            | Builtin::LegalBasis
            | Builtin::LimitSpi
            | Builtin::Transactional
            | Builtin::Unsubscribe
            | Builtin::CanSpam
            | Builtin::MixedContent
            | Builtin::Tcpa
            | Builtin::CookieConsent
            | Builtin::CollectPurpose
            | Builtin::Admin
            | Builtin::AdminChoices
            | Builtin::StaffRole
            | Builtin::Compatibility
            | Builtin::PurposeConsent
            | Builtin::PolicyChange => true,
        }
    }
}

struct Compiler<'s, 'a> {
    sink: &'s mut Sink<'a>,
    rules: Vec<Rule>,
    sections: Vec<String>,
    cat_index: HashMap<String, CategoryId>,
    groups: HashMap<String, CategorySet>,
    pur_index: HashMap<String, PurposeId>,
    rec_index: HashMap<String, RecipientId>,
    classes: Vec<ClassInfo>,
    class_index: HashMap<String, u8>,
}

impl<'s, 'a> Compiler<'s, 'a> {
    fn new(sink: &'s mut Sink<'a>) -> Self {
        // Built-in decisions first, in discriminant order: the policy's `[[builtin]]`
        // entries fill in their citations; citations of the law are the defaults.
        let rules = BUILTINS
            .iter()
            .map(|(b, _, _, cite)| Rule {
                origin: format!("builtin {b:?}"),
                clause: match cite {
                    CiteRule::Law(clause) => (*clause).to_string(),
                    CiteRule::Always | CiteRule::When(_) => String::new(),
                },
                requirements: Vec::new(),
            })
            .collect();
        let classes: Vec<ClassInfo> = ClassKind::BUILT_IN
            .iter()
            .enumerate()
            .map(|(i, (kind, id, name))| ClassInfo {
                class: RecipientClass {
                    // INVARIANT: BUILT_IN has fewer than MAX_CLASSES entries.
                    index: i as u8,
                    kind: *kind,
                    processor: kind.is_processor(),
                    keeps_own_records: kind.keeps_own_records(),
                    key: (*id).to_string(),
                },
                name: (*name).to_string(),
                rule: None,
            })
            .collect();
        let class_index = classes
            .iter()
            .map(|c| (c.class.key.clone(), c.class.index))
            .collect();
        Compiler {
            sink,
            rules,
            sections: Vec::new(),
            cat_index: HashMap::new(),
            groups: HashMap::new(),
            pur_index: HashMap::new(),
            rec_index: HashMap::new(),
            classes,
            class_index,
        }
    }

    fn err(&mut self, code: &'static str, name: &Name, msg: String, help: &str) {
        self.sink.error(code, Some(name.span()), msg, help);
    }

    fn date(&mut self, name: &Name, what: &str) -> Option<Date> {
        match name.get_ref().parse::<Date>() {
            Ok(d) => Some(d),
            Err(_) => {
                self.err(
                    "BAD_DATE",
                    name,
                    format!("{what} `{}` is not a date", name.get_ref()),
                    "write dates as YYYY-MM-DD",
                );
                None
            }
        }
    }

    /// Start of the day after `d`, UTC: a date-only end is inclusive of that day.
    fn end_of(d: Date) -> Option<Timestamp> {
        d.tomorrow()
            .ok()?
            .to_zoned_datetime(jiff::tz::TimeZone::UTC)
            .ok()
            .map(|z| z.timestamp())
    }

    fn start_of(d: Date) -> Option<Timestamp> {
        d.to_zoned_datetime(jiff::tz::TimeZone::UTC)
            .ok()
            .map(|z| z.timestamp())
    }

    fn rule(&mut self, origin: String, cite: &Citation, span: &Name) -> RuleId {
        let clause = match &cite.clause {
            Some(c) => {
                let text = c.trim().to_string();
                let known = text.starts_with("law:") || self.names_a_section(&text);
                if !known {
                    self.sink.warn(
                        "UNKNOWN_CLAUSE",
                        Some(span.span()),
                        format!("{origin}: clause `{text}` does not start with a section id of this policy or `law:`"),
                        "start the clause with a [[section]] id such as `2(c)`, or with `law:` for legal requirements",
                    );
                }
                text
            }
            None => {
                self.sink.warn(
                    "NO_CLAUSE",
                    Some(span.span()),
                    format!("{origin} cites no clause"),
                    "add `clause = \"…\"` naming the policy section (or `law: …`) this rule comes from",
                );
                String::new()
            }
        };
        for r in &cite.requirements {
            if !valid_req_id(r) {
                self.sink.error(
                    "BAD_REQUIREMENT_ID",
                    Some(span.span()),
                    format!("{origin}: requirement id `{r}` is not of the form AREA-NN"),
                    "use the ids of spec/requirements.md, e.g. `MP-02`",
                );
            }
        }
        let id = RuleId(self.rules.len() as u16);
        self.rules.push(Rule {
            origin,
            clause,
            requirements: cite.requirements.clone(),
        });
        id
    }

    /// `[[statement]]`: each names a section of this policy, well-formed requirement ids and
    /// a link target the notice knows.
    fn statements(&mut self, f: &PolicyFile) {
        self.check_unique("statement", f.statements.iter().map(|s| &s.id));
        for st in &f.statements {
            let what = format!("statement `{}`", st.id.get_ref());
            if !self.sections.iter().any(|s| s == st.section.get_ref()) {
                self.err(
                    "UNKNOWN_SECTION",
                    &st.section,
                    format!(
                        "{what} belongs to unknown section `{}`",
                        st.section.get_ref()
                    ),
                    "name the id of a [[section]] of this policy, such as `2(c)`",
                );
            }
            if st.text.trim().is_empty() {
                self.err(
                    "EMPTY",
                    &st.id,
                    format!("{what} has no text"),
                    "write the statement as the notice should print it",
                );
            }
            if let Some(l) = &st.link {
                if crate::render::link_href(l.target.get_ref()).is_none() {
                    let targets: Vec<&str> = crate::render::LINK_TARGETS
                        .iter()
                        .map(|(t, _)| *t)
                        .collect();
                    self.err(
                        "BAD_VALUE",
                        &l.target,
                        format!("{what} links to unknown target `{}`", l.target.get_ref()),
                        &format!("use one of: {}", targets.join(", ")),
                    );
                }
                if l.label.trim().is_empty() {
                    self.err(
                        "EMPTY",
                        &l.target,
                        format!("{what}: the link has no label"),
                        "write the words of the link",
                    );
                }
            }
            for r in &st.requirements {
                if !valid_req_id(r) {
                    self.err(
                        "BAD_REQUIREMENT_ID",
                        &st.id,
                        format!("{what}: requirement id `{r}` is not of the form AREA-NN"),
                        "use the ids of the requirements catalogue, e.g. `MP-02`",
                    );
                }
            }
        }
    }

    /// Does a clause start with a section id of this policy, followed by its end, a space or
    /// a separator (`2(c) Sharing` names section `2(c)`, not section `2`)?
    fn names_a_section(&self, clause: &str) -> bool {
        self.sections.iter().any(|s| {
            clause.strip_prefix(s.as_str()).is_some_and(|rest| {
                rest.chars().next().is_none_or(|c| {
                    c.is_whitespace() || matches!(c, ':' | ';' | ',' | '.' | '—' | '–')
                })
            })
        })
    }

    /// A recipient class by id: one of the engine's or one the policy declared.
    fn class_by_name(&self, name: &str) -> Option<RecipientClass> {
        self.class_index
            .get(name)
            .and_then(|i| self.classes.get(usize::from(*i)))
            .map(|c| c.class.clone())
    }

    /// `[[recipient_class]]`: classes of the policy's own, and the notice names of the
    /// engine's classes (SHARE-03).
    fn recipient_classes(&mut self, f: &PolicyFile) {
        self.check_unique("recipient_class", f.recipient_classes.iter().map(|c| &c.id));
        for d in &f.recipient_classes {
            let key = d.id.get_ref().clone();
            let what = format!("recipient_class `{key}`");
            if d.name.trim().is_empty() {
                self.err(
                    "EMPTY",
                    &d.id,
                    format!("{what} has an empty name"),
                    "name the recipients of this class as the notice should list them",
                );
            }
            let rule = self.rule(what.clone(), &d.cite, &d.id);
            if let Some(i) = self.class_index.get(&key).copied() {
                let i = usize::from(i);
                if i < ClassKind::BUILT_IN.len() {
                    let fixed = &self.classes[i].class;
                    if d.processor.is_some_and(|p| p != fixed.processor)
                        || d.keeps_own_records
                            .is_some_and(|k| k != fixed.keeps_own_records)
                    {
                        self.err(
                            "BAD_VALUE",
                            &d.id,
                            format!("{what} is one of the engine's classes, whose `processor` and `keeps_own_records` are fixed"),
                            "remove them, or declare a class of your own under another id",
                        );
                    }
                    self.classes[i].name = d.name.clone();
                    self.classes[i].rule = Some(rule);
                }
                // A second declaration of a policy class is a DUPLICATE_ID already.
                continue;
            }
            if self.classes.len() >= MAX_CLASSES {
                self.err(
                    "TOO_MANY",
                    &d.id,
                    format!("{what}: at most {MAX_CLASSES} recipient classes are supported"),
                    "",
                );
                continue;
            }
            // INVARIANT: fewer than MAX_CLASSES (64) classes, so the index fits in a u8.
            let index = self.classes.len() as u8;
            self.classes.push(ClassInfo {
                class: RecipientClass {
                    index,
                    kind: ClassKind::Declared,
                    processor: d.processor.unwrap_or(false),
                    keeps_own_records: d.keeps_own_records.unwrap_or(false),
                    key: key.clone(),
                },
                name: d.name.clone(),
                rule: Some(rule),
            });
            self.class_index.insert(key, index);
        }
    }

    /// `[[builtin]]`: the citation of each built-in decision. A citation must name a section
    /// of this policy or the law; a built-in decision the policy can reach and that has no
    /// default citation of the law must be cited.
    fn builtins(&mut self, f: &PolicyFile, reach: &Reach<'_>) {
        self.check_unique("builtin", f.builtins.iter().map(|b| &b.id));
        let mut cited = [false; BUILTINS.len()];
        for b in &f.builtins {
            let id = b.id.get_ref();
            let Some(i) = BUILTINS.iter().position(|(_, bid, ..)| *bid == id.as_str()) else {
                let ids: Vec<&str> = BUILTINS.iter().map(|(_, bid, ..)| *bid).collect();
                self.err(
                    "UNKNOWN_BUILTIN",
                    &b.id,
                    format!("`{id}` is not a built-in decision of the engine"),
                    &format!("use one of: {}", ids.join(", ")),
                );
                continue;
            };
            let text = b.clause.trim();
            let known = text.starts_with("law:") || self.names_a_section(text);
            if !known {
                self.err(
                    "UNKNOWN_CITATION",
                    &b.id,
                    format!("builtin `{id}` cites `{text}`, which is neither a section of this policy nor the law"),
                    "start the clause with a [[section]] id of this policy, such as `2(c)`, or with `law:`",
                );
            }
            for r in &b.requirements {
                if !valid_req_id(r) {
                    self.err(
                        "BAD_REQUIREMENT_ID",
                        &b.id,
                        format!("builtin `{id}`: requirement id `{r}` is not of the form AREA-NN"),
                        "use the ids of the requirements catalogue, e.g. `MP-02`",
                    );
                }
            }
            let rule = &mut self.rules[BUILTINS[i].0 as usize];
            rule.clause = text.to_string();
            rule.requirements = b.requirements.clone();
            cited[i] = true;
        }
        for (i, (b, id, what, cite)) in BUILTINS.iter().enumerate() {
            let why = match cite {
                _ if cited[i] => continue,
                CiteRule::Law(_) => continue,
                CiteRule::When(_) if !reach.needs(*b) => continue,
                CiteRule::Always => "every policy can reach it".to_string(),
                CiteRule::When(feature) => format!("this policy has {feature}"),
            };
            self.err(
                "CITATION_REQUIRED",
                &f.policy.name,
                format!("built-in decision `{id}` ({what}) cites nothing: {why}"),
                &format!("add [[builtin]] with id = \"{id}\", the clause of this policy it rests on and its requirement ids (docs/policy-format.md, \"Built-in decisions\")"),
            );
        }
    }

    fn cats(&mut self, names: &[Name], what: &str) -> CategorySet {
        let mut set = CategorySet::empty();
        for n in names {
            let s = n.get_ref();
            if s == "*" {
                return CategorySet::all_below(self.cat_index.len());
            }
            if let Some(c) = self.cat_index.get(s) {
                set.insert(*c);
            } else if let Some(g) = self.groups.get(s) {
                set = set.union(g);
            } else {
                self.err(
                    "UNKNOWN_CATEGORY",
                    n,
                    format!("{what} names unknown category `{s}`"),
                    "declare it with [[category]] or [[group]], or fix the spelling",
                );
            }
        }
        set
    }

    fn purs(&mut self, names: &[Name], what: &str) -> PurposeSet {
        let mut set = PurposeSet::empty();
        for n in names {
            if let Some(p) = self.pur_index.get(n.get_ref()) {
                set.insert(*p);
            } else {
                self.err(
                    "UNKNOWN_PURPOSE",
                    n,
                    format!("{what} names unknown purpose `{}`", n.get_ref()),
                    "declare it with [[purpose]], or fix the spelling",
                );
            }
        }
        set
    }

    fn check_unique<'n>(&mut self, kind: &str, names: impl Iterator<Item = &'n Name>) {
        let mut seen: HashMap<&str, ()> = HashMap::new();
        for n in names {
            if kind != "section" && !valid_id(n.get_ref()) {
                self.err(
                    "BAD_ID",
                    n,
                    format!("{kind} id `{}` is not a valid identifier", n.get_ref()),
                    "use 1–64 characters from letters, digits, `_`, `:`, `.` and `-`",
                );
            }
            if seen.insert(n.get_ref().as_str(), ()).is_some() {
                self.err(
                    "DUPLICATE_ID",
                    n,
                    format!("{kind} `{}` is declared twice", n.get_ref()),
                    "each id may be declared once; merge the two entries",
                );
            }
        }
    }

    fn compile(mut self, f: PolicyFile, src: &str) -> Option<Engine> {
        let effective = self.date(&f.policy.effective, "effective date");
        for n in [&f.policy.name, &f.policy.version] {
            if n.get_ref().trim().is_empty() {
                self.err(
                    "EMPTY",
                    n,
                    "policy name and version must not be empty".into(),
                    "",
                );
            }
        }
        self.sections = f.sections.iter().map(|s| s.id.get_ref().clone()).collect();
        self.check_unique("section", f.sections.iter().map(|s| &s.id));
        self.statements(&f);
        let settings = self.settings(&f);

        // Registries, in dependency order: categories, groups, purposes, functions, recipients, trackers.
        self.check_unique("category", f.categories.iter().map(|c| &c.id));
        if f.categories.len() > MAX_SET {
            self.sink.error(
                "TOO_MANY",
                None,
                format!(
                    "{} categories; at most {MAX_SET} are supported",
                    f.categories.len()
                ),
                "",
            );
            return None;
        }
        for (i, c) in f.categories.iter().enumerate() {
            self.cat_index
                .insert(c.id.get_ref().clone(), CategoryId(i as u16));
        }
        self.check_unique("group", f.groups.iter().map(|g| &g.id));
        for g in &f.groups {
            if self.cat_index.contains_key(g.id.get_ref()) {
                self.err(
                    "DUPLICATE_ID",
                    &g.id,
                    format!("group `{}` has the name of a category", g.id.get_ref()),
                    "rename the group",
                );
            }
            let members = self.cats(&g.members, &format!("group `{}`", g.id.get_ref()));
            self.groups.insert(g.id.get_ref().clone(), members);
        }
        let mut categories = Vec::new();
        for c in &f.categories {
            categories.push(self.category(c));
        }

        self.check_unique("purpose", f.purposes.iter().map(|p| &p.id));
        if f.purposes.len() > MAX_SET
            || f.recipients.len() > MAX_SET
            || f.trackers.len() > MAX_SET
            || f.sources.len() > MAX_SET
            || f.locks.len() > MAX_SET
        {
            self.sink.error(
                "TOO_MANY",
                None,
                format!(
                    "at most {MAX_SET} purposes, recipients, trackers, sources and locks are supported"
                ),
                "",
            );
            return None;
        }
        for (i, p) in f.purposes.iter().enumerate() {
            self.pur_index
                .insert(p.id.get_ref().clone(), PurposeId(i as u16));
        }
        let mut purposes = Vec::new();
        for p in &f.purposes {
            purposes.push(self.purpose(p));
        }
        // PUR-13: compatibility is symmetric and reflexive.
        for (i, p) in f.purposes.iter().enumerate() {
            let set = self.purs(
                &p.compatible_with,
                &format!("purpose `{}` compatible_with", p.id.get_ref()),
            );
            for q in set.iter() {
                purposes[q.index()].compatible.insert(PurposeId(i as u16));
                purposes[i].compatible.insert(q);
            }
        }

        self.check_unique("function", f.functions.iter().map(|x| &x.id));
        let mut functions: HashMap<String, (PurposeSet, CategorySet)> = HashMap::new();
        for func in &f.functions {
            let what = format!("function `{}`", func.id.get_ref());
            let ps = self.purs(&func.purposes, &what);
            let cs = self.cats(&func.categories, &what);
            self.rule(what, &func.cite, &func.id);
            functions.insert(func.id.get_ref().clone(), (ps, cs));
        }

        self.recipient_classes(&f);

        self.check_unique("recipient", f.recipients.iter().map(|r| &r.id));
        for (i, r) in f.recipients.iter().enumerate() {
            self.rec_index
                .insert(r.id.get_ref().clone(), RecipientId(i as u16));
        }
        let mut recipients = Vec::new();
        for r in &f.recipients {
            recipients.push(self.recipient(r, &functions, &purposes));
        }

        self.check_unique("tracker", f.trackers.iter().map(|t| &t.id));
        let mut trackers = Vec::new();
        for t in &f.trackers {
            if let Some(info) = self.tracker(t) {
                trackers.push(info);
            }
        }

        self.check_unique("source", f.sources.iter().map(|s| &s.id));
        let mut sources = Vec::new();
        for s in &f.sources {
            let what = format!("source `{}`", s.id.get_ref());
            let kind = SourceKind::parse(&s.kind);
            if kind.is_none() {
                self.err("BAD_VALUE", &s.id, format!("{what} has unknown kind `{}`", s.kind), "use one of direct, automatic, integration, enrichment, commercial, partner, device, customer, staff");
            }
            let categories = self.cats(&s.categories, &what);
            let ps = self.purs(&s.purposes, &what);
            let rule = self.rule(what, &s.cite, &s.id);
            sources.push(SourceInfo {
                key: s.id.get_ref().clone(),
                kind: kind.unwrap_or(SourceKind::Direct),
                name: s.name.clone(),
                categories,
                purposes: ps,
                rule,
            });
        }

        self.check_unique("lock", f.locks.iter().map(|l| &l.id));
        let source_index: HashMap<&str, SourceId> = sources
            .iter()
            .enumerate()
            .map(|(i, s)| (s.key.as_str(), SourceId(i as u16)))
            .collect();
        let mut locks = Vec::new();
        for l in &f.locks {
            let what = format!("lock `{}`", l.id.get_ref());
            let categories = self.cats(&l.categories, &what);
            let mut locked_sources = SourceSet::empty();
            for n in &l.sources {
                match source_index.get(n.get_ref().as_str()) {
                    Some(id) => locked_sources.insert(*id),
                    None => self.err(
                        "UNKNOWN_SOURCE",
                        n,
                        format!("{what} names unknown source `{}`", n.get_ref()),
                        "declare it with [[source]], or fix the spelling",
                    ),
                }
            }
            if l.categories.is_empty() && l.sources.is_empty() {
                self.err(
                    "EMPTY_LOCK",
                    &l.id,
                    format!("{what} locks no category and no source"),
                    "list the locked `categories` or `sources`",
                );
            }
            let ps = self.purs(&l.purposes, &what);
            let mut classes = ClassSet::default();
            for c in &l.recipient_classes {
                match self.class_by_name(c) {
                    Some(rc) => classes.insert(&rc),
                    None => self.err(
                        "BAD_VALUE",
                        &l.id,
                        format!("{what} names unknown recipient class `{c}`"),
                        "use one of the engine's recipient classes or one declared with [[recipient_class]]",
                    ),
                }
            }
            let mut allowed_recipients = RecipientSet::empty();
            for n in &l.recipients {
                match self.rec_index.get(n.get_ref()) {
                    Some(id) => allowed_recipients.insert(*id),
                    None => self.err(
                        "UNKNOWN_RECIPIENT",
                        n,
                        format!("{what} names unknown recipient `{}`", n.get_ref()),
                        "declare it with [[recipient]], or fix the spelling",
                    ),
                }
            }
            let (code, own_code) = match &l.reason {
                None => (PURPOSE_LOCK.to_string(), false),
                Some(n) => {
                    let code = n.get_ref().trim();
                    if !valid_reason_code(code) {
                        self.err(
                            "BAD_VALUE",
                            n,
                            format!("{what}: reason `{code}` is not a deny reason code"),
                            "leave it out for `PURPOSE_LOCK`, or write a code of your own in upper snake case, e.g. `BILLING_ONLY`",
                        );
                    }
                    (code.to_string(), code != PURPOSE_LOCK)
                }
            };
            for a in &l.applies_to {
                if a != "use" && a != "disclose" {
                    self.err(
                        "BAD_VALUE",
                        &l.id,
                        format!("{what}: applies_to `{a}` must be `use` or `disclose`"),
                        "",
                    );
                }
            }
            let rule = self.rule(what, &l.cite, &l.id);
            locks.push(LockInfo {
                key: l.id.get_ref().clone(),
                categories,
                sources: locked_sources,
                purposes: ps,
                classes,
                recipients: allowed_recipients,
                on_use: l.applies_to.iter().any(|a| a == "use"),
                on_disclose: l.applies_to.iter().any(|a| a == "disclose"),
                code,
                own_code,
                legal_compulsion_passes: l.legal_compulsion_passes,
                rule,
            });
        }

        self.check_unique("agreement", f.agreements.iter().map(|a| &a.id));
        if f.agreements.len() > MAX_SET {
            self.err(
                "TOO_MANY",
                &f.agreements[MAX_SET].id,
                format!("at most {MAX_SET} agreements are supported"),
                "",
            );
        }
        let mut agreements = Vec::new();
        for a in f.agreements.iter().take(MAX_SET) {
            let what = format!("agreement `{}`", a.id.get_ref());
            let mut gated_sources = SourceSet::empty();
            for n in &a.sources {
                match source_index.get(n.get_ref().as_str()) {
                    Some(id) => gated_sources.insert(*id),
                    None => self.err(
                        "UNKNOWN_SOURCE",
                        n,
                        format!("{what} names unknown source `{}`", n.get_ref()),
                        "declare it with [[source]], or fix the spelling",
                    ),
                }
            }
            let ps = self.purs(&a.purposes, &what);
            let mut gated_recipients = RecipientSet::empty();
            for n in &a.recipients {
                match self.rec_index.get(n.get_ref()) {
                    Some(id) => gated_recipients.insert(*id),
                    None => self.err(
                        "UNKNOWN_RECIPIENT",
                        n,
                        format!("{what} names unknown recipient `{}`", n.get_ref()),
                        "declare it with [[recipient]], or fix the spelling",
                    ),
                }
            }
            let mut classes = ClassSet::default();
            for c in &a.recipient_classes {
                match self.class_by_name(c) {
                    Some(rc) => classes.insert(&rc),
                    None => self.err(
                        "BAD_VALUE",
                        &a.id,
                        format!("{what} names unknown recipient class `{c}`"),
                        "use one of the engine's recipient classes or one declared with [[recipient_class]]",
                    ),
                }
            }
            if a.sources.is_empty()
                && a.purposes.is_empty()
                && a.recipients.is_empty()
                && a.recipient_classes.is_empty()
            {
                self.err(
                    "EMPTY_AGREEMENT",
                    &a.id,
                    format!("{what} gates nothing"),
                    "list the `sources`, `purposes`, `recipients` or `recipient_classes` that need it",
                );
            }
            let code = match &a.reason {
                None => AGREEMENT_REQUIRED.to_string(),
                Some(n) => {
                    let code = n.get_ref().trim();
                    if !valid_reason_code(code) {
                        self.err(
                            "BAD_VALUE",
                            n,
                            format!("{what}: reason `{code}` is not a deny reason code"),
                            "leave it out for `AGREEMENT_REQUIRED`, or write a code of your own in upper snake case, e.g. `TERMS_REQUIRED`",
                        );
                    }
                    code.to_string()
                }
            };
            let version = a.version.get_ref().trim().to_string();
            let mut accepted_versions = vec![version.clone()];
            for v in &a.accepted_versions {
                let v = v.trim();
                if v.is_empty() || v.len() > 64 {
                    self.err(
                        "BAD_VALUE",
                        &a.id,
                        format!("{what}: accepted version `{v}` is empty or too long"),
                        "",
                    );
                } else if !accepted_versions.iter().any(|x| x == v) {
                    accepted_versions.push(v.to_string());
                }
            }
            let rule = self.rule(what, &a.cite, &a.id);
            agreements.push(AgreementInfo {
                key: a.id.get_ref().clone(),
                name: a.name.clone(),
                version,
                accepted_versions,
                text_sha256: a.text.as_deref().map(|t| sha256_hex(t.as_bytes())),
                text: a.text.clone(),
                sources: gated_sources,
                purposes: ps,
                recipients: gated_recipients,
                classes,
                code,
                rule,
            });
        }

        self.check_unique("required_data", f.required_data.iter().map(|d| &d.id));
        let mut required_data = Vec::new();
        for d in &f.required_data {
            let what = format!("required data `{}`", d.id.get_ref());
            let categories = self.cats(&d.categories, &what);
            let purposes = self.purs(&d.purposes, &what);
            if d.categories.is_empty() || d.purposes.is_empty() {
                self.err(
                    "EMPTY_REQUIRED_DATA",
                    &d.id,
                    format!("{what} names no categories or no purposes"),
                    "list the `categories` that must have been provided and the `purposes` that need them",
                );
            }
            let code = match &d.reason {
                None => INFORMATION_NOT_PROVIDED.to_string(),
                Some(n) => {
                    let code = n.get_ref().trim();
                    if !valid_reason_code(code) {
                        self.err(
                            "BAD_VALUE",
                            n,
                            format!("{what}: reason `{code}` is not a deny reason code"),
                            "leave it out for `INFORMATION_NOT_PROVIDED`, or write a code of your own in upper snake case, e.g. `ADDRESS_REQUIRED`",
                        );
                    }
                    code.to_string()
                }
            };
            let rule = self.rule(what, &d.cite, &d.id);
            required_data.push(RequiredDataInfo {
                key: d.id.get_ref().clone(),
                name: d.name.clone(),
                categories,
                purposes,
                code,
                rule,
            });
        }

        let mut jurisdiction_rules = Vec::new();
        self.check_unique(
            "jurisdiction_rule",
            f.jurisdiction_rules.iter().map(|j| &j.id),
        );
        for j in &f.jurisdiction_rules {
            let what = format!("jurisdiction_rule `{}`", j.id.get_ref());
            let class = self.class_by_name(&j.recipient_class);
            if class.is_none() {
                self.err(
                    "BAD_VALUE",
                    &j.id,
                    format!(
                        "{what} names unknown recipient class `{}`",
                        j.recipient_class
                    ),
                    "use one of the engine's recipient classes or one declared with [[recipient_class]]",
                );
            }
            if j.effect != "prohibited" {
                self.err(
                    "BAD_VALUE",
                    &j.id,
                    format!("{what}: effect `{}` must be `prohibited`", j.effect),
                    "",
                );
            }
            let categories = self.cats(&j.categories, &what);
            let rule = self.rule(what, &j.cite, &j.id);
            jurisdiction_rules.push(JurisdictionRuleInfo {
                jurisdiction: j.jurisdiction.to_ascii_uppercase(),
                class: class.unwrap_or_else(|| self.classes[0].class.clone()),
                categories,
                rule,
            });
        }

        self.check_unique("role", f.roles.iter().map(|r| &r.id));
        let mut roles = Vec::new();
        let mut role_index = HashMap::new();
        for (i, r) in f.roles.iter().enumerate() {
            let what = format!("role `{}`", r.id.get_ref());
            let categories = self.cats(&r.categories, &what);
            let ps = self.purs(&r.purposes, &what);
            let rule = self.rule(what, &r.cite, &r.id);
            role_index.insert(r.id.get_ref().clone(), RoleId(i as u16));
            roles.push(RoleInfo {
                key: r.id.get_ref().clone(),
                name: r.name.clone(),
                categories,
                purposes: ps,
                rule,
            });
        }

        self.cross_checks(&f, &categories, &purposes, &recipients, &sources, &locks);

        let well_known = WellKnown {
            marketing_first_party: self.pur_index.get("marketing_first_party").copied(),
            marketing_third_party_offers: self
                .pur_index
                .get("marketing_third_party_offers")
                .copied(),
            support_followup: self.pur_index.get("support_followup").copied(),
        };
        let reach = Reach {
            categories: &categories,
            purposes: &purposes,
            recipients: &recipients,
            trackers: &trackers,
            sources: &sources,
            well_known,
        };
        self.builtins(&f, &reach);

        let settings = settings?;
        let effective = effective?;
        let use_locked = locks
            .iter()
            .filter(|l| l.on_use)
            .fold(CategorySet::empty(), |a, l| a.union(&l.categories));
        let disclose_locked = locks
            .iter()
            .filter(|l| l.on_disclose)
            .fold(CategorySet::empty(), |a, l| a.union(&l.categories));
        // GEO-01, GEO-02: what only location services provide is used only while they are on.
        let by_kind = |device: bool| {
            sources
                .iter()
                .filter(|s| (s.kind == SourceKind::Device) == device)
                .fold(CategorySet::empty(), |a, s| a.union(&s.categories))
        };
        let location_gated = by_kind(true).minus(&by_kind(false));
        let use_locked_sources = locks
            .iter()
            .filter(|l| l.on_use)
            .fold(SourceSet::empty(), |a, l| a.union(&l.sources));
        let disclose_locked_sources = locks
            .iter()
            .filter(|l| l.on_disclose)
            .fold(SourceSet::empty(), |a, l| a.union(&l.sources));
        let tracker_index = trackers
            .iter()
            .enumerate()
            .map(|(i, t)| (t.key.clone(), TrackerId(i as u16)))
            .collect();
        let source_index = sources
            .iter()
            .enumerate()
            .map(|(i, s)| (s.key.clone(), SourceId(i as u16)))
            .collect();
        Some(Engine {
            meta: MetaInfo {
                name: f.policy.name.get_ref().clone(),
                version: f.policy.version.get_ref().clone(),
                effective,
                controller: f.policy.controller.clone(),
                privacy_contact: f.policy.privacy_contact.clone(),
            },
            settings,
            categories,
            purposes,
            recipients,
            trackers,
            sources,
            locks,
            agreements,
            required_data,
            classes: self.classes,
            jurisdiction_rules,
            roles,
            rules: self.rules,
            groups: self.groups,
            category_index: self.cat_index,
            purpose_index: self.pur_index,
            recipient_index: self.rec_index,
            tracker_index,
            source_index,
            role_index,
            well_known,
            use_locked,
            disclose_locked,
            location_gated,
            use_locked_sources,
            disclose_locked_sources,
            class_index: self.class_index,
            file: f,
            source_sha256: sha256_hex(src.as_bytes()),
        })
    }

    fn settings(&mut self, f: &PolicyFile) -> Option<SettingsInfo> {
        let s = &f.settings;
        let mut eu_like = CountryTable::default();
        let mut eea = CountryTable::default();
        for c in EU27.iter().chain(EEA_EXTRA.iter()) {
            let b = c.as_bytes();
            eea.insert([b[0], b[1]]);
        }
        for region in &s.eu_equivalent {
            let list: &[&str] = match region.as_str() {
                "EU" => &EU27,
                "EEA" => &EEA_EXTRA,
                "UK" => &["GB"],
                "CH" => &["CH"],
                other => {
                    self.sink.error(
                        "BAD_SETTING",
                        None,
                        format!("settings.eu_equivalent: unknown region `{other}`"),
                        "use EU, EEA, UK or CH",
                    );
                    &[]
                }
            };
            for c in list {
                let b = c.as_bytes();
                eu_like.insert([b[0], b[1]]);
            }
        }
        // The EU itself is always protected, whatever the setting says.
        for c in EU27 {
            let b = c.as_bytes();
            eu_like.insert([b[0], b[1]]);
        }
        let mut adequate = eea;
        for c in &s.adequate_countries {
            let b = c.as_bytes();
            if b.len() == 2 {
                adequate.insert([b[0].to_ascii_uppercase(), b[1].to_ascii_uppercase()]);
            } else {
                self.sink.error(
                    "BAD_SETTING",
                    None,
                    format!("settings.adequate_countries: `{c}` is not a two-letter country code"),
                    "",
                );
            }
        }
        let gpc_all_us = s.gpc_states.iter().any(|x| x == "ALL_US");
        let mut child_age = Vec::new();
        let mut child_age_default = 16;
        for (k, v) in &s.child_consent_age {
            if k == "default" {
                child_age_default = *v;
            } else if k.len() == 2 {
                let b = k.as_bytes();
                child_age.push(([b[0].to_ascii_uppercase(), b[1].to_ascii_uppercase()], *v));
            } else {
                self.sink.error(
                    "BAD_SETTING",
                    None,
                    format!("settings.child_consent_age: `{k}` is not a country code"),
                    "",
                );
            }
            if !(13..=16).contains(v) {
                self.sink.error(
                    "BAD_SETTING",
                    None,
                    format!(
                        "settings.child_consent_age: {v} for `{k}` is outside GDPR Art. 8's 13–16"
                    ),
                    "",
                );
            }
        }
        let ps = self
            .date(
                &s.privacy_shield_invalid_after,
                "settings.privacy_shield_invalid_after",
            )
            .and_then(Self::end_of);
        let dpf = self
            .date(&s.dpf_valid_from, "settings.dpf_valid_from")
            .and_then(Self::start_of);
        let inv = match &s.dpf_invalidated_at {
            Some(n) => Some(
                self.date(n, "settings.dpf_invalidated_at")
                    .and_then(Self::start_of)?,
            ),
            None => None,
        };
        Some(SettingsInfo {
            eu_like,
            adequate,
            gpc_all_us,
            gpc_states: s
                .gpc_states
                .iter()
                .filter(|x| *x != "ALL_US")
                .map(|x| x.to_ascii_uppercase())
                .collect(),
            gpc_as_art21_5: s.gpc_as_art21_5,
            child_age,
            child_age_default,
            sms_requires_consent: s.sms_marketing_requires_consent,
            aggregate_k: s.aggregate_min_group,
            ps_invalid_after: ps?,
            dpf_from: dpf?,
            dpf_invalidated_at: inv,
        })
    }

    fn category(&mut self, c: &crate::model::Category) -> CategoryInfo {
        let what = format!("category `{}`", c.id.get_ref());
        for l in &c.ccpa {
            if l.len() != 1 || !('A'..='L').contains(&l.chars().next().unwrap_or('?')) {
                self.err(
                    "BAD_VALUE",
                    &c.id,
                    format!("{what}: CCPA category `{l}` is not a letter A–L"),
                    "see Cal. Civ. Code §1798.140(v)(1)",
                );
            }
        }
        if c.ccpa.is_empty() {
            self.err(
                "CCPA_REQUIRED",
                &c.id,
                format!("{what} has no CCPA category"),
                "map it to at least one of A–L (CAT-37)",
            );
        }
        if !c.fides.contains('.') {
            self.err(
                "BAD_VALUE",
                &c.id,
                format!(
                    "{what}: fides key `{}` is not a fideslang data category",
                    c.fides
                ),
                "use a dotted fideslang key such as `user.contact.email`",
            );
        }
        let d = c.retention.duration.get_ref();
        let retention = if d == "indefinite" {
            None
        } else {
            match d.parse::<jiff::Span>() {
                Ok(s) if s.is_positive() => Some(s),
                _ => {
                    self.err(
                        "BAD_DURATION",
                        &c.retention.duration,
                        format!("{what}: retention `{d}` is not an ISO-8601 duration"),
                        "write e.g. `P90D`, `P13M`, `P7Y` or `indefinite`",
                    );
                    None
                }
            }
        };
        const TRIGGERS: [&str; 6] = [
            "collected",
            "account_closed",
            "ticket_closed",
            "last_activity",
            "contract_end",
            "request_closed",
        ];
        if !TRIGGERS.contains(&c.retention.trigger.as_str()) {
            self.err("BAD_VALUE", &c.retention.duration, format!("{what}: retention trigger `{}` is unknown", c.retention.trigger), "use collected, account_closed, ticket_closed, last_activity, contract_end or request_closed");
        }
        let mut channels = 0u8;
        for ch in &c.channels {
            match ch.parse::<Channel>() {
                Ok(x) => channels |= 1 << (x as u8),
                Err(()) => self.err(
                    "BAD_VALUE",
                    &c.id,
                    format!("{what}: channel `{ch}` is unknown"),
                    "use email, sms, phone or postal",
                ),
            }
        }
        let rule = self.rule(what, &c.cite, &c.id);
        CategoryInfo {
            key: c.id.get_ref().clone(),
            name: c.name.clone(),
            family: c.family.clone(),
            ccpa: c.ccpa.clone(),
            spi: c.spi,
            nv_covered: c.nv_covered,
            portable: c.portable,
            fides: c.fides.clone(),
            disclosed: c.disclosed,
            forbid_raw: c.forbid_raw.clone(),
            withhold_in_reports: c.withhold_in_reports,
            channels,
            pseudonymize: c.pseudonymize,
            retention,
            retention_text: d.clone(),
            retention_trigger: c.retention.trigger.clone(),
            retention_basis: c.retention.basis.clone(),
            retention_citation: c.retention.citation.clone(),
            rule,
        }
    }

    fn consent_model(&mut self, s: &str, at: &Name) -> ConsentModel {
        match s {
            "none" => ConsentModel::None,
            "opt_out" => ConsentModel::OptOut,
            "opt_in" => ConsentModel::OptIn,
            other => {
                self.err(
                    "BAD_VALUE",
                    at,
                    format!("consent mode `{other}` is unknown"),
                    "use none, opt_out or opt_in",
                );
                ConsentModel::None
            }
        }
    }

    fn purpose(&mut self, p: &crate::model::Purpose) -> PurposeInfo {
        let what = format!("purpose `{}`", p.id.get_ref());
        let categories = self.cats(&p.categories, &what);
        let gdpr = match &p.legal_basis.gdpr {
            Some(b) => {
                let v = GdprBasis::parse(b.get_ref());
                if v.is_none() {
                    self.err("BAD_VALUE", b, format!("{what}: GDPR basis `{}` is unknown", b.get_ref()), "use contract, legal_obligation, legitimate_interests, consent, vital_interests or public_task");
                }
                v
            }
            None => {
                self.sink.warn(
                    "NO_LEGAL_BASIS",
                    Some(p.id.span()),
                    format!("{what} has no GDPR legal basis; EU uses will be denied (GDPR-34)"),
                    "add `legal_basis = { gdpr = \"…\" }`",
                );
                None
            }
        };
        let consent = [
            self.consent_model(&p.consent.eu, &p.id),
            self.consent_model(&p.consent.us, &p.id),
            self.consent_model(&p.consent.other, &p.id),
        ];
        if gdpr == Some(GdprBasis::Consent) && consent[0] != ConsentModel::OptIn {
            self.err(
                "CONSENT_MODE",
                &p.id,
                format!("{what} rests on consent under GDPR but its EU consent mode is not opt_in"),
                "set `consent.eu = \"opt_in\"`",
            );
        }
        let choice = match p.choice.as_deref() {
            None => None,
            Some("marketing_first_party") => Some(ChoiceKind::MarketingFirstParty),
            Some("marketing_third_party_offers") => Some(ChoiceKind::MarketingThirdPartyOffers),
            Some("third_party_sharing") => Some(ChoiceKind::ThirdPartySharing),
            Some("sync") => Some(ChoiceKind::Sync),
            Some("location") => Some(ChoiceKind::Location),
            Some(s) => match s
                .strip_prefix("cookie:")
                .and_then(|c| c.parse::<TrackerCategory>().ok())
            {
                Some(tc) => Some(ChoiceKind::Cookie(tc)),
                None => {
                    self.err("BAD_VALUE", &p.id, format!("{what}: choice `{s}` is unknown"), "use marketing_first_party, marketing_third_party_offers, third_party_sharing, sync, location or cookie:<tracker category>");
                    None
                }
            },
        };
        let rule = self.rule(what, &p.cite, &p.id);
        let mut compatible = PurposeSet::empty();
        if let Some(me) = self.pur_index.get(p.id.get_ref()) {
            compatible.insert(*me);
        }
        PurposeInfo {
            key: p.id.get_ref().clone(),
            name: p.name.clone(),
            categories,
            gdpr,
            ccpa: p.legal_basis.ccpa.clone(),
            consent,
            choice,
            marketing: p.marketing,
            sale: p.sale,
            share: p.share,
            profiling: p.profiling,
            objectable: p.objectable,
            requires_justification: p.requires_justification,
            protection: p.protection,
            restriction_exempt: p.restriction_exempt,
            legal: p.legal,
            aggregate: p.aggregate,
            coarsen_ft: p.coarsen_location_ft.unwrap_or(0),
            compatible,
            sub_purposes: p.sub_purposes.clone(),
            authority: p.authority.clone(),
            necessity: p.necessity.clone(),
            rule,
        }
    }

    fn recipient(
        &mut self,
        r: &crate::model::Recipient,
        functions: &HashMap<String, (PurposeSet, CategorySet)>,
        purposes: &[PurposeInfo],
    ) -> RecipientInfo {
        let what = format!("recipient `{}`", r.id.get_ref());
        let class = match self.class_by_name(&r.class) {
            Some(c) => c,
            None => {
                // SHARE-03: only the disclosed classes exist.
                self.err(
                    "RECIPIENT_CLASS_NOT_DISCLOSED",
                    &r.id,
                    format!(
                        "{what} has class `{}`, which the policy does not disclose",
                        r.class
                    ),
                    "use one of the engine's recipient classes (docs/policy-format.md) or declare the class with [[recipient_class]] (SHARE-03)",
                );
                self.class_by_name("consented_third_party")
                    .unwrap_or_else(|| self.classes[0].class.clone())
            }
        };
        let kind = class.kind();
        let mut ps = self.purs(&r.purposes, &what);
        let mut cs = self.cats(&r.categories, &what);
        for func in &r.functions {
            match functions.get(func.get_ref()) {
                Some((fp, fc)) => {
                    ps = ps.union(fp);
                    cs = cs.union(fc);
                }
                None => self.err(
                    "FUNCTION_NOT_DISCLOSED",
                    func,
                    format!(
                        "{what} performs function `{}`, which the policy does not disclose",
                        func.get_ref()
                    ),
                    "declare it with [[function]] (SP-01) or remove it",
                ),
            }
        }
        if kind == ClassKind::ServiceProvider && r.functions.is_empty() {
            self.err(
                "FUNCTION_REQUIRED",
                &r.id,
                format!("{what} is a service provider with no function"),
                "name its functions (SP-01)",
            );
        }
        let excluded = self.cats(&r.excluded, &what);
        if ps.is_empty() {
            self.sink.warn(
                "NO_PURPOSES",
                Some(r.id.span()),
                format!("{what} may receive data for no purpose"),
                "add `purposes = [...]` or functions",
            );
        }
        // SP-05 / CCPA-29: a CCBA vendor is never a service provider.
        if r.ccba && r.ccpa_role.as_deref() == Some("service_provider") {
            self.err("CCBA_VENDOR_CANNOT_BE_SERVICE_PROVIDER", &r.id, format!("{what} does cross-context behavioural advertising but is classed as a CCPA service provider"), "set `ccpa_role = \"third_party\"` and `share = true` (SP-05)");
        }
        if r.ccba && !r.share {
            self.err(
                "CCBA_MUST_BE_SHARE",
                &r.id,
                format!(
                    "{what} does cross-context behavioural advertising but is not flagged `share`"
                ),
                "set `share = true` so opt-outs and GPC govern it (SP-05)",
            );
        }
        // DEF-03: affiliates need a registered control relationship.
        if kind == ClassKind::Affiliate && r.control.is_none() {
            self.err(
                "CONTROL_RELATIONSHIP_REQUIRED",
                &r.id,
                format!("{what} is an affiliate with no control relationship"),
                "set `control = \"common_ownership\"` or `\"common_control\"` (DEF-03)",
            );
        }
        // MP-01: marketing partners mail by post only.
        let mut channels = 0u8;
        for ch in &r.channels {
            match ch.parse::<Channel>() {
                Ok(c) => channels |= 1 << (c as u8),
                Err(()) => self.err(
                    "BAD_VALUE",
                    &r.id,
                    format!("{what}: channel `{ch}` is unknown"),
                    "use email, sms, phone or postal",
                ),
            }
        }
        if kind == ClassKind::MarketingPartner && channels & !(1 << (Channel::Postal as u8)) != 0 {
            self.err(
                "CHANNEL_NOT_ALLOWED",
                &r.id,
                format!("{what} is a marketing partner with a channel other than postal mail"),
                "partners may only mail promotional material (MP-01)",
            );
        }
        let contract = match &r.contract {
            Some(c) => {
                for cl in &c.clauses {
                    if !CLAUSES.contains(&cl.as_str()) {
                        self.err(
                            "UNKNOWN_CLAUSE_NAME",
                            &c.effective,
                            format!("{what}: contract clause `{cl}` is unknown"),
                            "see docs/policy-format.md for the clause vocabulary",
                        );
                    }
                }
                let eff = self
                    .date(&c.effective, "contract effective date")
                    .and_then(Self::start_of);
                let exp = c
                    .expires
                    .as_ref()
                    .and_then(|e| self.date(e, "contract expiry").and_then(Self::end_of));
                let names: Vec<&str> = c.clauses.iter().map(String::as_str).collect();
                eff.map(|effective| ContractInfo {
                    clauses: clause_bits(&names),
                    effective,
                    expires: exp,
                })
            }
            None => None,
        };
        let needs_contract = class.is_processor()
            || r.sale
            || r.share
            || r.own_use
            || kind == ClassKind::MarketingPartner;
        if needs_contract && r.contract.is_none() {
            self.sink.warn(
                "NO_CONTRACT",
                Some(r.id.span()),
                format!(
                    "{what} has no contract; every disclosure to it will be denied (SP-03, CCPA-28)"
                ),
                "record the executed contract under `contract = {…}`",
            );
        }
        // SHARE-02: sale flows must be disclosed (a sale flag on a class whose purposes are never sales).
        let sale_purpose = ps
            .iter()
            .any(|p| purposes.get(p.index()).is_some_and(|x| x.sale));
        if r.sale && !sale_purpose && kind != ClassKind::MarketingPartner {
            self.err("UNDISCLOSED_SALE", &r.id, format!("{what} is flagged as a sale but serves no purpose the policy discloses as a sale"), "disclose the sale purpose in the policy first (SHARE-02)");
        }
        if kind == ClassKind::MarketingPartner && r.vetting.is_none() {
            self.sink.warn("NOT_VETTED", Some(r.id.span()), format!("{what} is a marketing partner with no vetting record; disclosures will be denied (MP-03)"), "record `vetting = { date, approver }`");
        }
        let vetted = match &r.vetting {
            Some(v) => self.date(&v.date, "vetting date").is_some(),
            None => false,
        };
        let mut transfers = Vec::new();
        for t in &r.transfer {
            let mechanism = match t.mechanism.as_str() {
                "dpf" => Mechanism::Dpf,
                "dpf_uk" => Mechanism::DpfUk,
                "dpf_swiss" => Mechanism::DpfSwiss,
                "scc" => Mechanism::Scc,
                "privacy_shield" => Mechanism::PrivacyShield,
                "derogation_49" => Mechanism::Derogation49,
                other => {
                    self.err(
                        "BAD_VALUE",
                        &r.id,
                        format!("{what}: transfer mechanism `{other}` is unknown"),
                        "use dpf, dpf_uk, dpf_swiss, scc, privacy_shield or derogation_49",
                    );
                    continue;
                }
            };
            let until = t
                .until
                .as_ref()
                .and_then(|u| self.date(u, "transfer `until`").and_then(Self::end_of));
            if mechanism == Mechanism::Scc && !t.tia_done {
                self.sink.warn("TIA_MISSING", Some(r.id.span()), format!("{what}: SCCs without a transfer impact assessment are not accepted (DPF-09)"), "set `tia_done = true` once the assessment is recorded");
            }
            transfers.push(TransferInfo {
                mechanism,
                until,
                tia_done: t.tia_done,
            });
        }
        if r.country.len() != 2 || !r.country.bytes().all(|b| b.is_ascii_uppercase()) {
            self.err(
                "BAD_VALUE",
                &r.id,
                format!(
                    "{what}: country `{}` is not an ISO 3166 alpha-2 code",
                    r.country
                ),
                "",
            );
        }
        let cb = r.country.as_bytes();
        let country = if cb.len() == 2 {
            [cb[0], cb[1]]
        } else {
            *b"??"
        };
        let requires = match r.requires.as_deref() {
            None => None,
            Some("carrier_selection") => Some(Precondition::CarrierSelection),
            Some("integration_link") => Some(Precondition::IntegrationLink),
            Some("business_transfer") => Some(Precondition::BusinessTransfer),
            Some("legal_request") => Some(Precondition::LegalRequest),
            Some("protection_case") => Some(Precondition::ProtectionCase),
            Some("consent") => Some(Precondition::Consent),
            Some(other) => {
                self.err("BAD_VALUE", &r.id, format!("{what}: precondition `{other}` is unknown"), "use carrier_selection, integration_link, business_transfer, legal_request, protection_case or consent");
                None
            }
        };
        let parent = match &r.parent {
            Some(p) => {
                let id = self.rec_index.get(p.get_ref()).copied();
                if id.is_none() {
                    self.err(
                        "UNKNOWN_RECIPIENT",
                        p,
                        format!("{what}: parent `{}` is not a recipient", p.get_ref()),
                        "",
                    );
                }
                id
            }
            None => None,
        };
        let rule = self.rule(what, &r.cite, &r.id);
        RecipientInfo {
            key: r.id.get_ref().clone(),
            name: r.name.clone(),
            class,
            functions: r.functions.iter().map(|f| f.get_ref().clone()).collect(),
            ccpa_role: r.ccpa_role.clone(),
            role: r.role.clone(),
            purposes: ps,
            categories: cs,
            excluded,
            sale: r.sale,
            share: r.share,
            ccba: r.ccba,
            own_use: r.own_use,
            nv_monetary: r.nv_monetary,
            channels,
            country,
            transfers,
            contract,
            contract_id: r.contract.as_ref().map(|c| c.id.clone()),
            vetted,
            control: r.control.clone(),
            requires,
            policy_url: r.policy_url.clone(),
            disclosure_practice: r.disclosure_practice.clone(),
            legacy_usp: r.legacy_usp,
            parent,
            rule,
        }
    }

    fn tracker(&mut self, t: &crate::model::Tracker) -> Option<TrackerInfo> {
        let what = format!("tracker `{}`", t.id.get_ref());
        let category = match t.category.parse::<TrackerCategory>() {
            Ok(c) => c,
            Err(()) => {
                self.err("BAD_VALUE", &t.id, format!("{what}: category `{}` is unknown", t.category), "use strictly_necessary, preferences_recognition, analytics, promotions or advertising");
                return None;
            }
        };
        let purpose = match self.pur_index.get(t.purpose.get_ref()) {
            Some(p) => *p,
            None => {
                self.err(
                    "UNKNOWN_PURPOSE",
                    &t.purpose,
                    format!("{what} serves unknown purpose `{}`", t.purpose.get_ref()),
                    "",
                );
                return None;
            }
        };
        let third_party = match t.party.as_str() {
            "first" => false,
            "third" => true,
            other => {
                self.err(
                    "BAD_VALUE",
                    &t.id,
                    format!("{what}: party `{other}` must be `first` or `third`"),
                    "",
                );
                false
            }
        };
        let vendor = match &t.vendor {
            Some(v) => {
                let id = self.rec_index.get(v.get_ref()).copied();
                if id.is_none() {
                    self.err(
                        "UNKNOWN_RECIPIENT",
                        v,
                        format!("{what}: vendor `{}` is not a recipient", v.get_ref()),
                        "",
                    );
                }
                id
            }
            None => None,
        };
        if third_party && category == TrackerCategory::Advertising && !t.ccba_share {
            self.sink.warn(
                "CCBA_NOT_FLAGGED",
                Some(t.id.span()),
                format!("{what} is a third-party advertising tracker not flagged `ccba_share`"),
                "third-party advertising trackers are usually a CCPA share (COOKIE-05)",
            );
        }
        if t.duration.is_empty() {
            self.err(
                "BAD_VALUE",
                &t.id,
                format!("{what} has no duration"),
                "COOKIE-09 requires the duration in the cookie notice",
            );
        }
        let rule = self.rule(what, &t.cite, &t.id);
        Some(TrackerInfo {
            key: t.id.get_ref().clone(),
            name: t.name.clone(),
            category,
            purpose,
            third_party,
            vendor,
            duration: t.duration.clone(),
            third_party_access: t.third_party_access,
            ccba_share: t.ccba_share,
            description: t.description.clone(),
            rule,
        })
    }

    fn cross_checks(
        &mut self,
        f: &PolicyFile,
        categories: &[CategoryInfo],
        purposes: &[PurposeInfo],
        recipients: &[RecipientInfo],
        sources: &[SourceInfo],
        locks: &[LockInfo],
    ) {
        // CAT-37: every category has a purpose and a source.
        for (i, c) in f.categories.iter().enumerate() {
            let id = CategoryId(i as u16);
            if !purposes.iter().any(|p| p.categories.contains(id)) {
                self.err(
                    "PURPOSE_REQUIRED",
                    &c.id,
                    format!("category `{}` may be used for no purpose", c.id.get_ref()),
                    "list it in some purpose's `categories` (CAT-37)",
                );
            }
            if !sources.iter().any(|s| s.categories.contains(id)) {
                self.sink.warn(
                    "NEVER_COLLECTED",
                    Some(c.id.span()),
                    format!("category `{}` is collected from no source", c.id.get_ref()),
                    "list it in some [[source]] `categories` (CAT-37)",
                );
            }
            let _ = &categories[i];
        }
        // A purpose nobody's data can serve is suspicious.
        for (i, p) in f.purposes.iter().enumerate() {
            if purposes[i].categories.is_empty() {
                self.sink.warn(
                    "EMPTY_PURPOSE",
                    Some(p.id.span()),
                    format!("purpose `{}` may use no category", p.id.get_ref()),
                    "",
                );
            }
        }
        // A recipient class allowed by a lock must exist for the lock to be usable — informational only.
        let _ = (recipients, locks);
    }
}
