//! The notice says what the policy says, and never contradicts enforcement (the policy-over-time work):
//! every statement of the policy text (requirements.md Part F1, listed in
//! `policies/tests/NOTICE_STATEMENTS`) has a `[[statement]]` in the shipped policy and a
//! rendered counterpart in the markdown and HTML notice; the notice lists nothing a lock
//! forbids; and `consistency::check` finds no contradiction in either example policy, while
//! it does find the ones a notice that ignored the locks would make.
#![expect(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test code: a failed step fails the test"
)]

use std::path::{Path, PathBuf};

use steward_policy::engine::Engine;
use steward_policy::render::{self, escape};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn shipped() -> Engine {
    steward_policy::default_engine().unwrap()
}

/// (statement id, requirement ids) of `NOTICE_STATEMENTS`.
fn listed() -> Vec<(String, Vec<String>)> {
    let text = std::fs::read_to_string(root().join("policies/tests/NOTICE_STATEMENTS")).unwrap();
    text.lines()
        .map(|l| l.split('#').next().unwrap_or(""))
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let mut w = l.split_whitespace().map(str::to_string);
            let id = w.next().unwrap();
            (id, w.collect())
        })
        .collect()
}

#[test]
fn every_statement_of_the_policy_is_in_the_notice() {
    let e = shipped();
    let listed = listed();
    assert_eq!(
        listed.len(),
        106,
        "NOTICE_STATEMENTS should list the 106 statements of F1"
    );
    let md = render::markdown(&e);
    let html = render::html(&e);
    let mut missing = Vec::new();
    for (id, reqs) in &listed {
        let Some(st) = e.file.statements.iter().find(|s| s.id.get_ref() == id) else {
            missing.push(format!("{id}: no [[statement]] in the policy"));
            continue;
        };
        for r in reqs {
            if !st.requirements.contains(r) {
                missing.push(format!("{id}: does not cite {r}"));
            }
        }
        let text = st.text.trim();
        let in_md = md
            .lines()
            .any(|l| l.starts_with(text) && l.contains(&format!("<!-- {id}: ")));
        if !in_md {
            missing.push(format!("{id}: not in the markdown notice"));
        }
        let in_html = html.contains(&format!(
            "<p id=\"stmt-{id}\" data-requirements=\"{}\">{}",
            st.requirements.join(" "),
            escape(text)
        ));
        if !in_html {
            missing.push(format!("{id}: not in the HTML notice"));
        }
    }
    assert!(
        missing.is_empty(),
        "statements without a rendered counterpart:\n{}",
        missing.join("\n")
    );
}

#[test]
fn the_notice_carries_the_statements_the_issue_found_missing() {
    let md = render::markdown(&shipped());
    for needle in [
        "be careful to whom you grant administrator access",
        "Internet Chat transmissions are encrypted",
        "should not supply more Personal Information than is required",
        "Answering any survey is optional.",
        "only as necessary to provide these services to us",
        "maintain the confidentiality of the Personal Information",
        "Collection is authorized by 39 U.S.C. 401, 403, and 404.",
        "Providing the information is voluntary, but if not provided, your transaction may not be processed.",
        "at your own risk",
        "as a direct customer of the specific carrier",
        "This does not include selling, renting, sharing",
        "If you are a California resident",
        "If you are a Nevada resident",
        "[Limit the Use of My Sensitive Personal Information](/privacy/preferences#limit_spi)",
        "stop receiving promotional information following any change of control",
        "within 45 days",
        "Every marketing email from Stamps.com contains an opt-out link",
        "[Do Not Sell or Share My Personal Information](/privacy/do-not-sell)",
    ] {
        assert!(md.contains(needle), "the notice lacks `{needle}`");
    }
    let html = render::html(&shipped());
    assert!(html.contains(
        "<a href=\"/privacy/do-not-sell\">Do Not Sell or Share My Personal Information</a>"
    ));
    assert!(!html.contains("privacyshield.gov"));
}

/// The rows of a markdown table whose first cell starts with `first`.
fn row<'a>(md: &'a str, first: &str) -> &'a str {
    md.lines()
        .find(|l| l.starts_with(&format!("| {first}")))
        .unwrap_or_else(|| panic!("no row `{first}`"))
}

#[test]
fn the_notice_never_lists_what_a_lock_forbids() {
    let e = shipped();
    let md = render::markdown(&e);
    let usps = "Information collected on behalf of the USPS";
    // The purposes the USPS lock refuses do not list USPS data (USPS-02); oversight does.
    assert!(!row(&md, "Everyday business purposes among Stamps.com entities").contains(usps));
    assert!(row(&md, "USPS regulatory oversight").contains(usps));
    for line in md.lines().filter(|l| {
        l.starts_with("- Stamps.com affiliate")
            || l.starts_with("- Acquirer in a change of control")
    }) {
        assert!(!line.contains(usps), "{line}");
        assert!(
            !line.contains("Information of our Customers' customers"),
            "{line}"
        );
    }
    // Structurally: no purpose or recipient claims a category a lock keeps from it.
    let claims = render::claims(&e);
    for lock in &e.locks {
        for p in e.purpose_ids() {
            if lock.on_use && !lock.purposes.contains(p) {
                assert!(
                    claims.uses[p.index()]
                        .intersect(&lock.categories)
                        .is_empty(),
                    "purpose {} lists a category of lock {}",
                    e.purpose_info(p).key,
                    lock.key
                );
            }
        }
    }
}

#[test]
fn both_example_policies_agree_with_their_engines() {
    let shipped_report = steward_policy::consistency::check(
        steward_policy::DEFAULT_POLICY_NAME,
        steward_policy::DEFAULT_POLICY,
        &shipped(),
    );
    assert_eq!(shipped_report.errors(), 0, "{shipped_report}");
    let name = "policies/examples/newsletter.toml";
    let src = std::fs::read_to_string(root().join(name)).unwrap();
    let e = steward_policy::load(name, &src).unwrap().engine;
    let r = steward_policy::consistency::check(name, &src, &e);
    assert_eq!(r.errors(), 0, "{r}");
}

#[test]
fn the_check_finds_a_notice_that_ignores_the_locks_and_one_that_hides_an_allow() {
    let e = shipped();
    let src = steward_policy::DEFAULT_POLICY;
    // The notice as it was rendered before: every purpose listed all its categories.
    let mut claims = render::claims(&e);
    for p in e.purpose_ids() {
        claims.uses[p.index()] = e.purpose_info(p).categories;
    }
    let r = steward_policy::consistency::check_claims("p.toml", src, &e, &claims);
    let line = src
        .lines()
        .position(|l| l == "id = \"affiliate_everyday_business\"")
        .unwrap()
        + 1;
    let d = r
        .items
        .iter()
        .find(|d| d.code == "NOTICE_CONTRADICTS_ENGINE" && d.line == line)
        .unwrap_or_else(|| panic!("no contradiction at line {line}:\n{r}"));
    assert!(
        d.message
            .contains("`usps_regulatory_data` (USPS_PURPOSE_LOCK)"),
        "{}",
        d.message
    );

    // A notice that leaves out an allow the engine gives.
    let mut claims = render::claims(&e);
    let email = e.category("email").unwrap();
    let support = e.purpose("support").unwrap();
    claims.uses[support.index()].remove(email);
    let r = steward_policy::consistency::check_claims("p.toml", src, &e, &claims);
    let line = src.lines().position(|l| l == "id = \"support\"").unwrap() + 1;
    assert!(
        r.items.iter().any(|d| d.code == "UNDISCLOSED_ALLOW"
            && d.line == line
            && d.message.contains("`email`")),
        "{r}"
    );
}

#[test]
fn statements_are_validated_where_they_are_written() {
    let src = format!(
        "{}\n[[statement]]\nid = \"X1\"\nsection = \"9(z)\"\ntext = \"Hello.\"\nlink = {{ label = \"Go\", target = \"https://evil.example\" }}\n",
        steward_policy::DEFAULT_POLICY
    );
    let r = steward_policy::load("p.toml", &src).unwrap_err();
    let line = src.lines().position(|l| l == "section = \"9(z)\"").unwrap() + 1;
    assert!(
        r.items
            .iter()
            .any(|d| d.code == "UNKNOWN_SECTION" && d.line == line),
        "{r}"
    );
    assert!(
        r.items
            .iter()
            .any(|d| d.code == "BAD_VALUE" && d.line == line + 2),
        "{r}"
    );
}

#[test]
fn statement_text_is_escaped_and_links_go_only_to_the_privacy_center() {
    let src = steward_policy::DEFAULT_POLICY.replace(
        "text = \"Answering any survey is optional.\"",
        "text = \"Answering <script>alert(1)</script> is optional.\"",
    );
    let e = steward_policy::load("p.toml", &src).unwrap().engine;
    let html = render::html(&e);
    assert!(!html.contains("<script"));
    assert!(html.contains("Answering &lt;script&gt;alert(1)&lt;/script&gt; is optional."));
    for href in html.split("href=\"").skip(1) {
        let href = href.split('"').next().unwrap();
        assert!(
            render::LINK_TARGETS.iter().any(|(_, h)| *h == href),
            "link to `{href}`"
        );
    }
}
