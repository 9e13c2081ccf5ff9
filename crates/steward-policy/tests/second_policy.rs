//! The engine knows no company (the seams refactor): a second policy, for a different kind of
//! business (`policies/examples/newsletter.toml`), compiles, passes its own cases, and every
//! decision it gives cites only what its own file says; the engine's source names no
//! company; and the validation of built-in citations, locks and recipient classes reports
//! each mistake at its position.
#![expect(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test code: a failed step fails the test"
)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use steward_policy::engine::{BUILTINS, CiteRule, Engine};
use steward_policy::ids::CategorySet;
use steward_policy::{
    Actor, AdminAction, Consent, Context, Jurisdiction, MessageKind, Report, Subject, SubjectKind,
};

const NAME: &str = "policies/examples/newsletter.toml";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn text() -> String {
    std::fs::read_to_string(root().join(NAME)).unwrap()
}

fn engine() -> Engine {
    let l = steward_policy::load(NAME, &text()).unwrap();
    assert_eq!(l.report.items.len(), 0, "{}", l.report);
    l.engine
}

fn errors(src: &str) -> Report {
    match steward_policy::load("p.toml", src) {
        Ok(l) => panic!("expected errors, got an engine; warnings: {}", l.report),
        Err(r) => r,
    }
}

/// The 1-based line of the first line of `src` containing `needle`.
fn line_of(src: &str, needle: &str) -> usize {
    src.lines().position(|l| l.contains(needle)).unwrap() + 1
}

fn has(r: &Report, code: &str, line: usize) -> bool {
    r.items.iter().any(|d| d.code == code && d.line == line)
}

#[test]
fn the_newsletter_policy_compiles_without_warnings_and_passes_its_cases() {
    let e = engine();
    assert_eq!(e.meta.name, "Northwind Letters Privacy Notice");
    let dir = root().join("policies/examples/newsletter-tests");
    let fixtures = steward_policy::cases::parse_fixtures(
        "fixtures.toml",
        &std::fs::read_to_string(dir.join("fixtures.toml")).unwrap(),
    )
    .unwrap();
    let cases = vec![(
        "cases.toml".to_string(),
        std::fs::read_to_string(dir.join("cases.toml")).unwrap(),
    )];
    let report = steward_policy::cases::run(NAME, &text(), &fixtures, &cases).unwrap();
    let failed: Vec<String> = report
        .failed()
        .map(|r| format!("{}: {} ({})", r.id, r.failures.join("; "), r.response))
        .collect();
    assert!(failed.is_empty(), "{}", failed.join("\n"));
    assert!(report.results.len() >= 25, "{}", report.results.len());
}

/// The subjects and contexts of the sweep: every region, no choices and every consent, and
/// contexts with and without the facts that open the special paths.
fn subjects(e: &Engine) -> Vec<Subject> {
    let mut out = Vec::new();
    for j in [Some("US-NY"), Some("US-CA"), Some("DE"), Some("JP"), None] {
        let jurisdiction = j.map(|j| j.parse::<Jurisdiction>().unwrap());
        let none = Subject::new(SubjectKind::CustomerAccountHolder, jurisdiction);
        let mut all = none;
        let c = &mut all.choices;
        c.location_services = true;
        c.eu_third_party_sharing = Consent::Given;
        c.marketing = [[Consent::Given; 4]; 2];
        c.cookies = [Consent::Given; 5];
        for r in e.recipient_ids() {
            c.recipient_consent.insert(r);
        }
        for p in e.purpose_ids() {
            c.purpose_consent.insert(p);
        }
        let mut out_opted = none;
        out_opted.choices.sale_opt_out = true;
        out_opted.choices.third_party_sharing_opt_out = true;
        out_opted.choices.marketing = [[Consent::Refused; 4]; 2];
        out_opted.choices.cookies = [Consent::Refused; 5];
        out_opted.choices.objection_direct_marketing = true;
        out.extend([none, all, out_opted]);
    }
    out
}

fn contexts(e: &Engine) -> Vec<Context> {
    let now: jiff::Timestamp = "2024-06-03T10:00:00Z".parse().unwrap();
    let plain = Context::at(now);
    let mut special = Context::at(now);
    special.justification = true;
    special.carrier_selected = true;
    special.business_transfer = true;
    special.customer_undertaking = true;
    special.legal_request = Some(steward_policy::facts::LegalRequest {
        basis: steward_policy::facts::LegalBasisKind::RequiredByLaw,
        reviewed: true,
        scope: CategorySet::all_below(e.categories.len()),
        gag_order: false,
    });
    let mut restricted = Context::at(now);
    restricted.restricted = CategorySet::all_below(e.categories.len());
    restricted.gpc_signal = true;
    let mut expired = Context::at(now);
    expired.retain_until = Some("2024-01-01T00:00:00Z".parse().unwrap());
    vec![plain, special, restricted, expired]
}

#[test]
fn every_decision_of_the_newsletter_policy_cites_only_its_own_file() {
    let e = engine();
    let src = text();
    // What the file cites: every `clause = "…"` and every requirement id written in it.
    let file_clauses: BTreeSet<String> = src
        .lines()
        .filter_map(|l| l.trim().strip_prefix("clause = "))
        .map(|v| v.trim_matches('"').to_string())
        .collect();
    let law_defaults: BTreeSet<&str> = BUILTINS
        .iter()
        .filter_map(|(_, _, _, c)| match c {
            CiteRule::Law(clause) => Some(*clause),
            CiteRule::Always | CiteRule::When(_) => None,
        })
        .collect();
    let mut seen_clauses = BTreeSet::new();
    let mut decisions = 0usize;
    let mut check = |d: steward_policy::Decision, what: &str| {
        decisions += 1;
        let rule = e.rule(d.rule);
        assert!(
            !rule.clause.is_empty(),
            "{what}: cites no clause ({rule:?})"
        );
        assert!(
            file_clauses.contains(&rule.clause) || law_defaults.contains(rule.clause.as_str()),
            "{what}: cites `{}`, which is neither in {NAME} nor a citation of the law",
            rule.clause
        );
        for r in &rule.requirements {
            assert!(
                src.contains(&format!("\"{r}\"")),
                "{what}: cites requirement {r}, which {NAME} does not name"
            );
        }
        for word in ["Stamps", "USPS", "usps", "carrier"] {
            assert!(!rule.clause.contains(word), "{what}: `{}`", rule.clause);
        }
        seen_clauses.insert(rule.clause.clone());
    };
    for s in subjects(&e) {
        for ctx in contexts(&e) {
            let cats: Vec<_> = e.category_ids().map(Some).chain([None]).collect();
            let purposes: Vec<_> = e.purpose_ids().map(Some).chain([None]).collect();
            for &c in &cats {
                for &p in &purposes {
                    check(e.can_use(&s, c, p, &ctx), "can_use");
                }
                for src_id in e.sources.iter().map(|x| e.source(&x.key)).chain([None]) {
                    check(e.can_collect(&s, c, src_id, None, &ctx), "can_collect");
                    let mut declared = ctx;
                    for p in e.purpose_ids() {
                        declared.declared_purposes = [p].into_iter().collect();
                        check(
                            e.can_collect(&s, c, src_id, None, &declared),
                            "can_collect with a declared purpose",
                        );
                    }
                }
                let actor = Actor {
                    is_owner: false,
                    is_agent: false,
                    grant: None,
                    role: None,
                };
                for action in [AdminAction::View, AdminAction::ChangeChoices] {
                    check(
                        e.admin_authorize(&actor, action, c, ctx.now),
                        "admin_authorize",
                    );
                }
            }
            for r in e.recipient_ids().map(Some).chain([None]) {
                for &p in &purposes {
                    for c in e.category_ids() {
                        let one: CategorySet = [c].into_iter().collect();
                        check(e.can_disclose(&s, &one, false, r, p, &ctx), "can_disclose");
                    }
                    check(
                        e.can_disclose(&s, &CategorySet::empty(), true, r, p, &ctx),
                        "can_disclose of an unknown category",
                    );
                }
            }
            for t in e.tracker_ids().map(Some).chain([None]) {
                check(e.can_set_tracker(&s, t, &ctx), "can_set_tracker");
            }
            for kind in [
                MessageKind::Transactional,
                MessageKind::PolicyChange,
                MessageKind::SupportFollowup,
                MessageKind::MarketingFirstParty,
                MessageKind::MarketingThirdPartyOffer,
            ] {
                for ch in steward_policy::Channel::ALL {
                    check(e.can_send(&s, kind, ch, &ctx), "can_send");
                    let mut t = ctx;
                    t.ticket = true;
                    t.template = Some(steward_policy::facts::Template {
                        has_unsubscribe: false,
                        has_postal_address: false,
                        has_promo: true,
                    });
                    check(e.can_send(&s, kind, ch, &t), "can_send with a template");
                }
            }
        }
    }
    assert!(decisions > 50_000, "{decisions}");
    // The sweep reached the policy's own sections and the law's defaults alike.
    assert!(seen_clauses.len() >= 8, "{seen_clauses:?}");
    assert!(seen_clauses.iter().any(|c| c.starts_with("law:")));
}

#[test]
fn the_newsletter_notice_renders_from_its_own_file() {
    let e = engine();
    let md = steward_policy::render::markdown(&e);
    let html = steward_policy::render::html(&e);
    for out in [&md, &html] {
        assert!(out.contains("Northwind Letters Privacy Notice"));
        assert!(out.contains("Companies that work for us under contract"));
        assert!(out.contains("nw_count"));
        for word in ["Stamps", "USPS", "Postal Service", "carrier"] {
            assert!(!out.contains(word), "the notice mentions `{word}`");
        }
    }
    assert!(html.starts_with("<!doctype html>"));
}

/// The engine's source names no company: no postal operator, no carrier, no company name
/// (requirement ids of the catalogue, such as USPS-02, are citations, not logic; the
/// shipped policy's file name is where the binary finds its default).
#[test]
fn the_engine_source_names_no_company() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let words = ["usps", "stamps", "fedex", "ups", "dhl", "postage"];
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let src = std::fs::read_to_string(&path).unwrap();
        for (n, line) in src.lines().enumerate() {
            // Requirement ids (`USPS-02`, `USPSPA-03`) and the shipped file's name are allowed.
            let line = line.replace("policies/stamps-2020-01-17.toml", "");
            let tokens: Vec<String> = line
                .split(|c: char| !c.is_ascii_alphanumeric() && c != '-')
                .filter(|w| !w.is_empty() && !is_requirement_id(w))
                .flat_map(|w| w.split('-'))
                .map(str::to_lowercase)
                .collect();
            for word in words {
                assert!(
                    !tokens.iter().any(|t| t == word),
                    "{}:{}: names `{word}`: {line}",
                    path.display(),
                    n + 1
                );
            }
            assert!(
                !tokens.join(" ").contains("postal service"),
                "{}:{}: {line}",
                path.display(),
                n + 1
            );
        }
    }
}

fn is_requirement_id(w: &str) -> bool {
    let w = w.trim_matches('.');
    w.rsplit_once('-').is_some_and(|(area, num)| {
        !area.is_empty()
            && area
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
            && !num.is_empty()
            && num.bytes().all(|b| b.is_ascii_digit())
    })
}

#[test]
fn a_builtin_the_policy_reaches_must_be_cited_and_cite_the_policy_or_the_law() {
    let good = text();
    // Missing: the newsletter has marketing, so `eu_opt_in` must be cited.
    let src = good.replace(
        "[[builtin]]\nid = \"eu_opt_in\"\nclause = \"5 Your choices\"\nrequirements = [\"EU-02\", \"GDPR-07\"]\n",
        "",
    );
    assert_ne!(src, good);
    let r = errors(&src);
    assert!(
        has(&r, "CITATION_REQUIRED", line_of(&src, "name = \"Northwind")),
        "{r}"
    );
    let d = r
        .items
        .iter()
        .find(|d| d.code == "CITATION_REQUIRED")
        .unwrap();
    assert!(d.message.contains("`eu_opt_in`"), "{}", d.message);
    assert!(d.help.as_deref().unwrap().contains("[[builtin]]"));

    // Unknown id, and a clause that names no section of this policy (`2(c)` is not `2`).
    let src = good.replace("id = \"admin\"\n", "id = \"admn\"\n").replace(
        "id = \"unknown_source\"\nclause = \"2 What we collect\"",
        "id = \"unknown_source\"\nclause = \"2(a) Types of Information We Collect\"",
    );
    let r = errors(&src);
    assert!(
        has(&r, "UNKNOWN_BUILTIN", line_of(&src, "id = \"admn\"")),
        "{r}"
    );
    assert!(
        has(
            &r,
            "UNKNOWN_CITATION",
            line_of(&src, "id = \"unknown_source\"")
        ),
        "{r}"
    );
    // `admin` is now missing too: every policy can reach it.
    assert!(
        r.items
            .iter()
            .any(|d| d.code == "CITATION_REQUIRED" && d.message.contains("`admin`")),
        "{r}"
    );

    // A builtin that rests on the law may be left out: its default names the law only.
    let src = good.replace(
        "[[builtin]]\nid = \"transfer\"\nclause = \"7 How long we keep it, and where\"\nrequirements = [\"GDPR-32\"]\n",
        "",
    );
    assert_ne!(src, good);
    let e = steward_policy::load("p.toml", &src).unwrap().engine;
    let transfer = e
        .rules
        .iter()
        .find(|r| r.origin == "builtin Transfer")
        .unwrap();
    assert!(transfer.clause.starts_with("law: GDPR"));
    assert!(transfer.requirements.is_empty());
}

#[test]
fn a_builtin_only_some_features_reach_is_required_only_with_them() {
    // The newsletter has no carrier: `carrier_selection` needs no citation. Add a carrier
    // that requires a selection, and it does.
    let src = format!(
        "{}\n[[recipient]]\nid = \"COURIER\"\nname = \"Courier\"\nclass = \"carrier\"\nrequires = \"carrier_selection\"\npurposes = [\"billing\"]\ncategories = [\"billing_address\"]\ncountry = \"IE\"\nclause = \"4 Who we share it with\"\n",
        text()
    );
    let r = errors(&src);
    let missing: Vec<&str> = r
        .items
        .iter()
        .filter(|d| d.code == "CITATION_REQUIRED")
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(missing.len(), 1, "{r}");
    assert!(missing[0].contains("`carrier_selection`"), "{}", missing[0]);
}

#[test]
fn locks_are_checked_where_they_are_written() {
    let good = text();
    let src = good
        .replace(
            "sources = [\"payment_processor\"]",
            "sources = [\"payment_procesor\"]",
        )
        .replace(
            "recipients = [\"PAYMENTS\"]",
            "recipients = [\"PAYMENTS\"]\nreason = \"ok\"",
        );
    let r = errors(&src);
    assert!(
        has(
            &r,
            "UNKNOWN_SOURCE",
            line_of(&src, "sources = [\"payment_procesor\"]")
        ),
        "{r}"
    );
    assert!(
        has(&r, "BAD_VALUE", line_of(&src, "reason = \"ok\"")),
        "{r}"
    );

    let src = good.replace(
        "categories = [\"payment_token\"]\nsources = [\"payment_processor\"]\n",
        "",
    );
    assert_ne!(src, good);
    let r = errors(&src);
    assert!(
        has(&r, "EMPTY_LOCK", line_of(&src, "id = \"billing_only\"")),
        "{r}"
    );
}

#[test]
fn a_lock_with_a_code_of_its_own_reports_it_and_names_the_category() {
    let src = text().replace(
        "recipients = [\"PAYMENTS\"]",
        "recipients = [\"PAYMENTS\"]\nreason = \"BILLING_ONLY\"",
    );
    let e = steward_policy::load("p.toml", &src).unwrap().engine;
    let s = Subject::new(
        SubjectKind::CustomerAccountHolder,
        Some("US-NY".parse().unwrap()),
    );
    let ctx = Context::at("2024-06-03T10:00:00Z".parse().unwrap());
    let d = e.can_use(&s, e.category("payment_token"), e.purpose("security"), &ctx);
    assert!(!d.allow);
    let j = e.decision_json(&d);
    assert_eq!(j.reason, "BILLING_ONLY");
    assert_eq!(j.detail.as_deref(), Some("payment_token"));
    assert_eq!(e.reason_code(&d), "BILLING_ONLY");
    assert_eq!(d.reason.code(), "PURPOSE_LOCK");
    // The shipped engine's own lock code is untouched by this policy.
    let shipped = steward_policy::default_engine().unwrap();
    let d = shipped.can_use(
        &s,
        shipped.category("usps_regulatory_data"),
        shipped.purpose("security_fraud"),
        &ctx,
    );
    assert_eq!(shipped.decision_json(&d).reason, "USPS_PURPOSE_LOCK");
}

#[test]
fn recipient_classes_beyond_the_engines_must_be_declared() {
    let good = text();
    let printer = "\n[[recipient]]\nid = \"PRINTER\"\nname = \"Print shop\"\nclass = \"print_shop\"\npurposes = [\"deliver_newsletter\"]\ncategories = [\"name\"]\ncountry = \"IE\"\nclause = \"4 Who we share it with\"\n";
    let src = format!("{good}{printer}");
    let r = errors(&src);
    assert!(
        has(
            &r,
            "RECIPIENT_CLASS_NOT_DISCLOSED",
            line_of(&src, "id = \"PRINTER\"")
        ),
        "{r}"
    );
    // Declared as a processor, it is a class of the policy: it needs a contract (a
    // warning), and the notice lists it under the name the policy gives.
    let decl = "\n[[recipient_class]]\nid = \"print_shop\"\nname = \"Our print shop\"\nprocessor = true\nclause = \"4 Who we share it with\"\n";
    let src = format!("{good}{printer}{decl}");
    let l = steward_policy::load("p.toml", &src).unwrap();
    assert!(
        l.report
            .items
            .iter()
            .any(|d| d.code == "NO_CONTRACT" && d.line == line_of(&src, "id = \"PRINTER\"")),
        "{}",
        l.report
    );
    let e = l.engine;
    let printer = e.recipient_info(e.recipient("PRINTER").unwrap());
    assert_eq!(printer.class.as_str(), "print_shop");
    assert!(printer.class.is_processor());
    assert!(steward_policy::render::markdown(&e).contains("### Our print shop"));
    let s = Subject::new(
        SubjectKind::CustomerAccountHolder,
        Some("US-NY".parse().unwrap()),
    );
    let ctx = Context::at("2024-06-03T10:00:00Z".parse().unwrap());
    let name: CategorySet = [e.category("name").unwrap()].into_iter().collect();
    let d = e.can_disclose(
        &s,
        &name,
        false,
        e.recipient("PRINTER"),
        e.purpose("deliver_newsletter"),
        &ctx,
    );
    assert_eq!(e.decision_json(&d).reason, "NO_CONTRACT");

    // The engine's own classes keep their meaning: only their name may change.
    let src = good.replace(
        "name = \"Companies that work for us under contract\"",
        "name = \"Companies that work for us under contract\"\nprocessor = false",
    );
    let r = errors(&src);
    assert!(
        has(&r, "BAD_VALUE", line_of(&src, "id = \"service_provider\"")),
        "{r}"
    );
}

/// GEO-01, GEO-02 as a general rule: what a policy says only the device's location services
/// provide (a `kind = "device"` source) is not used while the subject's location services are
/// off. Which categories that is comes from the policy file, not from the engine.
#[test]
fn geo_01_a_category_only_location_services_provide_is_not_used_while_they_are_off() {
    let ctx = Context::at("2024-06-03T10:00:00Z".parse().unwrap());
    let off = Subject::new(
        SubjectKind::CustomerAccountHolder,
        Some("US-NY".parse().unwrap()),
    );
    let mut on = off;
    on.choices.location_services = true;

    // As shipped, the newsletter's device data comes from the browser: no switch governs it.
    let e = engine();
    let d = e.can_use(&off, e.category("device_data"), e.purpose("security"), &ctx);
    assert!(d.allow, "{:?}", e.decision_json(&d));

    // The same policy, saying device data comes only from the device's location services.
    let src = text().replace(
        "categories = [\"reading_activity\", \"device_data\", \"ip_address\", \"cookie_id\"]\nclause = \"2 What we collect\"",
        "categories = [\"reading_activity\", \"ip_address\", \"cookie_id\"]\nclause = \"2 What we collect\"\n\n[[source]]\nid = \"device:sensors\"\nkind = \"device\"\nname = \"Your device, when you turn its location services on\"\ncategories = [\"device_data\"]\nclause = \"2 What we collect\"",
    );
    // A policy with a device source says which clause the built-in decision rests on.
    let src = format!(
        "{src}\n[[builtin]]\nid = \"location\"\nclause = \"2 What we collect\"\nrequirements = [\"GEO-01\"]\n"
    );
    assert!(
        src.contains("id = \"device:sensors\""),
        "the automatic source was rewritten"
    );
    let e = steward_policy::load("p.toml", &src).unwrap().engine;
    let d = e.can_use(&off, e.category("device_data"), e.purpose("security"), &ctx);
    assert!(!d.allow);
    assert_eq!(e.decision_json(&d).reason, "NOT_ENABLED");
    let d = e.can_use(&on, e.category("device_data"), e.purpose("security"), &ctx);
    assert!(d.allow, "{:?}", e.decision_json(&d));
    // Other categories are not governed by the switch.
    let d = e.can_use(&off, e.category("ip_address"), e.purpose("security"), &ctx);
    assert!(d.allow, "{:?}", e.decision_json(&d));
}

#[test]
fn records_decide_which_carrier_was_selected_and_what_was_provided() {
    // CARRIER-01 and USPS-07 in another business's words: a courier needs *its own*
    // selection, and billing needs a billing address provided, with the code this file names.
    let base = text();
    let src = format!(
        "{base}\n[[recipient]]\nid = \"COURIER\"\nname = \"Courier\"\nclass = \"carrier\"\nrequires = \"carrier_selection\"\npurposes = [\"billing\"]\ncategories = [\"billing_address\"]\ncountry = \"US\"\nclause = \"4 Who we share it with\"\n\
         \n[[recipient]]\nid = \"OTHER_COURIER\"\nname = \"Other courier\"\nclass = \"carrier\"\nrequires = \"carrier_selection\"\npurposes = [\"billing\"]\ncategories = [\"billing_address\"]\ncountry = \"US\"\nclause = \"4 Who we share it with\"\n\
         \n[[builtin]]\nid = \"carrier_selection\"\nclause = \"4 Who we share it with\"\n\
         \n[[required_data]]\nid = \"address\"\nname = \"Your billing address\"\ncategories = [\"billing_address\"]\npurposes = [\"billing\"]\nreason = \"ADDRESS_REQUIRED\"\nclause = \"4 Who we share it with\"\n"
    );
    let l = steward_policy::load("p.toml", &src).unwrap();
    let e = l.engine;
    let now: jiff::Timestamp = "2024-06-03T10:00:00Z".parse().unwrap();
    let s = Subject::new(
        SubjectKind::CustomerAccountHolder,
        Some("US-NY".parse::<Jurisdiction>().unwrap()),
    );
    let courier = e.recipient("COURIER").unwrap();
    let other = e.recipient("OTHER_COURIER").unwrap();
    let billing = e.purpose("billing").unwrap();
    let addr = e.category("billing_address").unwrap();
    let mut cats = CategorySet::empty();
    cats.insert(addr);
    let mut ctx = Context::at(now);
    ctx.provided.insert(addr);
    let disclose = |ctx: &Context| {
        let d = e.can_disclose(&s, &cats, false, Some(courier), Some(billing), ctx);
        (d.allow, e.reason_code(&d).to_string())
    };
    assert_eq!(disclose(&ctx), (false, "NO_CARRIER_SELECTION".into()));
    ctx.carriers.insert(other);
    assert_eq!(
        disclose(&ctx),
        (false, "NO_CARRIER_SELECTION".into()),
        "another carrier's selection does not count"
    );
    ctx.carriers.insert(courier);
    assert_eq!(disclose(&ctx), (true, "OK".into()));

    // Nothing provided: billing is refused with the file's code, naming what is missing;
    // support is not affected.
    let bare = Context::at(now);
    let d = e.can_use(&s, e.category("email"), Some(billing), &bare);
    assert!(!d.allow);
    assert_eq!(e.reason_code(&d), "ADDRESS_REQUIRED");
    assert_eq!(d.detail, steward_policy::decision::Detail::Category(addr));
    let d = e.can_use(&s, e.category("email"), Some(billing), &ctx);
    assert!(d.allow, "{:?}", e.reason_code(&d));
    let d = e.can_use(&s, e.category("email"), e.purpose("support"), &bare);
    assert!(d.allow, "{:?}", e.reason_code(&d));

    // A malformed entry is reported where it is written.
    let bad = src.replace(
        "reason = \"ADDRESS_REQUIRED\"",
        "reason = \"address missing\"",
    );
    let r = errors(&bad);
    assert!(
        has(
            &r,
            "BAD_VALUE",
            line_of(&bad, "reason = \"address missing\"")
        ),
        "{r}"
    );
    let unknown = src.replace(
        "purposes = [\"billing\"]\nreason",
        "purposes = [\"biling\"]\nreason",
    );
    let r = errors(&unknown);
    assert!(r.items.iter().any(|d| d.code == "UNKNOWN_PURPOSE"), "{r}");
}
