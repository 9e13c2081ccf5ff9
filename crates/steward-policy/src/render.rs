//! The human-readable privacy notice, generated from the policy file itself,
//! so that the notice and the enforcement cannot drift apart (RET-08,
//! COOKIE-09, CCPA-30, CONTACT-06, DPF-03).
//!
//! [`notice`] builds a structured document; [`markdown`] and [`html`] print
//! it. Every `[[statement]]` of the policy is printed under its section, with
//! its id and requirement ids (an HTML comment in markdown, attributes in
//! HTML). The tables say what the policy allows, computed by [`claims`]: a
//! category appears under a purpose or a recipient only where no lock of the
//! policy forbids it, and `crate::consistency` checks these claims against the
//! engine's decisions. HTML output escapes every string that comes from the
//! policy file; links go only to the privacy center's own pages
//! ([`LINK_TARGETS`]).

use crate::engine::{
    ChoiceKind, ClassKind, ConsentModel, Engine, GdprBasis, Mechanism, RecipientInfo, SourceKind,
};
use crate::facts::TrackerCategory;
use crate::ids::{CategorySet, PurposeId, RecipientId};
use std::fmt::Write as _;

/// Where a statement's link may go: the privacy center's pages, by name. No address comes
/// from the policy file.
pub const LINK_TARGETS: [(&str, &str); 7] = [
    ("do_not_sell", "/privacy/do-not-sell"),
    ("request", "/privacy/request"),
    ("limit_spi", "/privacy/preferences#limit_spi"),
    ("preferences", "/privacy/preferences"),
    ("cookies", "/privacy/cookies"),
    ("my_data", "/privacy/my-data"),
    ("notice", "/privacy/notice"),
];

/// The address of a link target.
#[must_use]
pub fn link_href(target: &str) -> Option<&'static str> {
    LINK_TARGETS
        .iter()
        .find(|(t, _)| *t == target)
        .map(|(_, h)| *h)
}

/// A statement of the policy as the notice prints it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementBlock {
    /// Statement id (`S011`).
    pub id: String,
    /// The text.
    pub text: String,
    /// The link after the text: label and address.
    pub link: Option<(String, &'static str)>,
    /// Requirement ids.
    pub requirements: Vec<String>,
}

/// A block of the notice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// A heading (level 2 or 3).
    Heading(u8, String),
    /// A paragraph of plain text.
    Para(String),
    /// A statement of the policy.
    Statement(StatementBlock),
    /// A bulleted list.
    List(Vec<String>),
    /// A table: header row and body rows.
    Table(Vec<String>, Vec<Vec<String>>),
}

/// The notice: a title and blocks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// Title.
    pub title: String,
    /// Body.
    pub blocks: Vec<Block>,
}

/// What the notice's tables say the policy does: the categories each purpose uses, each
/// recipient receives for each purpose, and each source provides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claims {
    /// Per purpose (by index): the categories the notice says it uses.
    pub uses: Vec<CategorySet>,
    /// Per recipient, per purpose (by index): the categories the notice says go to it.
    pub disclosures: Vec<Vec<CategorySet>>,
    /// Per source (by index): the categories the notice says are collected from it.
    pub collected: Vec<CategorySet>,
}

/// The categories a lock keeps out of a use for `p`.
fn locked_for_use(e: &Engine, p: PurposeId) -> CategorySet {
    e.locks
        .iter()
        .filter(|l| l.on_use && !l.purposes.contains(p))
        .fold(CategorySet::empty(), |a, l| a.union(&l.categories))
}

/// The categories a lock keeps out of a disclosure to `r` for `p` (a reviewed request the
/// law compels passes the locks that say so).
fn locked_for_disclosure(
    e: &Engine,
    rid: RecipientId,
    r: &RecipientInfo,
    p: PurposeId,
) -> CategorySet {
    let compelled = r.class.kind() == ClassKind::LegalAuthority;
    e.locks
        .iter()
        .filter(|l| {
            l.on_disclose
                && !(l.purposes.contains(p)
                    && (l.classes.contains(&r.class) || l.recipients.contains(rid)))
                && !(l.legal_compulsion_passes && compelled)
        })
        .fold(CategorySet::empty(), |a, l| a.union(&l.categories))
}

/// What the notice says, computed from the policy: a purpose uses its categories but those
/// a lock reserves for other purposes; a recipient receives, for each of its purposes, the
/// categories both allow, but those it never gets and those a lock keeps from it.
#[must_use]
pub fn claims(e: &Engine) -> Claims {
    let uses = e
        .purpose_ids()
        .map(|p| e.purpose_info(p).categories.minus(&locked_for_use(e, p)))
        .collect();
    let disclosures = e
        .recipient_ids()
        .map(|rid| {
            let r = e.recipient_info(rid);
            let commercial =
                r.sale || r.share || r.own_use || r.class.kind() == ClassKind::MarketingPartner;
            e.purpose_ids()
                .map(|p| {
                    let pi = e.purpose_info(p);
                    if !r.purposes.contains(p) || (pi.protection && commercial) {
                        return CategorySet::empty();
                    }
                    r.categories
                        .intersect(&pi.categories)
                        .minus(&r.excluded)
                        .minus(&locked_for_disclosure(e, rid, r, p))
                })
                .collect()
        })
        .collect();
    let disclosed: CategorySet = e
        .category_ids()
        .filter(|c| e.category_info(*c).disclosed)
        .collect();
    let collected = e
        .sources
        .iter()
        .map(|s| s.categories.intersect(&disclosed))
        .collect();
    Claims {
        uses,
        disclosures,
        collected,
    }
}

fn join_names(e: &Engine, set: &CategorySet) -> String {
    let names: Vec<&str> = set
        .iter()
        .map(|c| e.category_info(c).name.as_str())
        .collect();
    if names.is_empty() {
        "—".to_string()
    } else {
        names.join(", ")
    }
}

fn basis(b: Option<GdprBasis>) -> &'static str {
    match b {
        Some(GdprBasis::Contract) => "performance of our contract with you",
        Some(GdprBasis::LegalObligation) => "a legal obligation",
        Some(GdprBasis::LegitimateInterests) => "our legitimate interests (you may object)",
        Some(GdprBasis::Consent) => "your consent (you may withdraw it at any time)",
        Some(GdprBasis::VitalInterests) => "vital interests",
        Some(GdprBasis::PublicTask) => "a task in the public interest",
        None => "no basis recorded: not used for EU data subjects",
    }
}

fn choice_text(m: ConsentModel) -> &'static str {
    match m {
        ConsentModel::None => "no choice needed",
        ConsentModel::OptOut => "you may opt out",
        ConsentModel::OptIn => "only with your opt-in",
    }
}

/// The choices the policy gives, each only where the policy has what it governs.
fn choices(e: &Engine) -> Vec<String> {
    let purpose = |f: &dyn Fn(&crate::engine::PurposeInfo) -> bool| e.purposes.iter().any(f);
    let mut out = Vec::new();
    if purpose(&|p| p.sale || p.share) || e.recipients.iter().any(|r| r.sale || r.share) {
        out.push("Do Not Sell or Share My Personal Information: opt out at any time, without an account. We honour the Global Privacy Control signal as this opt-out.".to_string());
    }
    if purpose(&|p| {
        matches!(
            p.choice,
            Some(ChoiceKind::MarketingFirstParty | ChoiceKind::MarketingThirdPartyOffers)
        )
    }) {
        out.push("Marketing: choose per channel (e-mail, text, phone, post). EU data subjects receive marketing only if they opt in. We continue to send mandatory service and transactional messages.".to_string());
    }
    if purpose(&|p| p.choice == Some(ChoiceKind::ThirdPartySharing)) {
        out.push("Sharing with third parties for their own marketing: opt out at any time. EU data subjects are not included unless they opt in.".to_string());
    }
    if e.trackers
        .iter()
        .any(|t| t.category != TrackerCategory::StrictlyNecessary)
    {
        out.push("Cookies and other tracking technologies: accept or reject each category; rejecting is as easy as accepting.".to_string());
    }
    if e.sources.iter().any(|s| s.kind == SourceKind::Device) {
        out.push(
            "Location services: location data is collected only while you enable them.".to_string(),
        );
    }
    out.push("Access, update, correct or request deletion of your information through the Service or customer support.".to_string());
    out
}

/// Build the notice from the engine.
#[must_use]
pub fn notice(e: &Engine) -> Notice {
    let f = &e.file;
    let claims = claims(e);
    let mut b = Vec::new();
    b.push(Block::Para(format!(
        "Effective: {}. Version {}. This notice is generated from the policy that Steward enforces.",
        e.meta.effective, e.meta.version
    )));
    if let Some(s) = &f.policy.summary {
        b.push(Block::Para(s.trim().to_string()));
    }
    b.push(Block::Para(format!("Controller: {}.", e.meta.controller)));
    for s in &f.sections {
        let statements: Vec<&crate::model::Statement> = f
            .statements
            .iter()
            .filter(|st| st.section.get_ref() == s.id.get_ref())
            .collect();
        if s.text.is_none() && statements.is_empty() {
            continue;
        }
        let heading = if s.id.get_ref() == &s.title {
            s.title.clone()
        } else {
            format!("{} {}", s.id.get_ref(), s.title)
        };
        b.push(Block::Heading(2, heading));
        if let Some(t) = &s.text {
            b.push(Block::Para(t.trim().to_string()));
        }
        for st in statements {
            b.push(Block::Statement(StatementBlock {
                id: st.id.get_ref().clone(),
                text: st.text.trim().to_string(),
                link: st.link.as_ref().and_then(|l| {
                    link_href(l.target.get_ref()).map(|h| (l.label.trim().to_string(), h))
                }),
                requirements: st.requirements.clone(),
            }));
        }
    }

    // What we collect, from where (CAT-*, SRC-*, CCPA-30): the categories this version
    // discloses (COLL-03).
    b.push(Block::Heading(2, "Information we collect".into()));
    let mut rows = Vec::new();
    for id in e.category_ids() {
        let c = e.category_info(id);
        if !c.disclosed {
            continue;
        }
        let sources: Vec<&str> = e
            .sources
            .iter()
            .zip(&claims.collected)
            .filter(|(_, cats)| cats.contains(id))
            .map(|(s, _)| s.name.as_str())
            .collect();
        rows.push(vec![
            c.name.clone(),
            c.ccpa.join(", "),
            if c.spi { "yes".into() } else { "no".into() },
            sources.join("; "),
        ]);
    }
    b.push(Block::Table(
        vec![
            "Category".into(),
            "CCPA category".into(),
            "Sensitive".into(),
            "Sources".into(),
        ],
        rows,
    ));

    // How we use it (PUR-*, GDPR-12, GDPR-34): a purpose lists what it may use, without the
    // categories a lock reserves for other purposes (USPS-02, CUST-02).
    b.push(Block::Heading(2, "How we use your information".into()));
    let mut rows = Vec::new();
    for (p, uses) in e.purpose_ids().zip(&claims.uses) {
        let p = e.purpose_info(p);
        rows.push(vec![
            p.name.clone(),
            join_names(e, uses),
            basis(p.gdpr).to_string(),
            format!(
                "EU: {}; US: {}",
                choice_text(p.consent[0]),
                choice_text(p.consent[1])
            ),
        ]);
    }
    b.push(Block::Table(
        vec![
            "Purpose".into(),
            "Information used".into(),
            "Legal basis (EU)".into(),
            "Your choice".into(),
        ],
        rows,
    ));

    // Who we share with (SHARE-*), grouped by the name the policy gives each class, in
    // file order; for each recipient, what goes to it for each purpose.
    b.push(Block::Heading(
        2,
        "Who we share your information with".into(),
    ));
    b.push(Block::Para(
        "We only share personal information in ways described here.".into(),
    ));
    let mut seen: Vec<&str> = Vec::new();
    for r in &e.recipients {
        let h = e.class_name(&r.class);
        if seen.contains(&h) {
            continue;
        }
        seen.push(h);
        let mut items = Vec::new();
        for (rid, r2) in e
            .recipient_ids()
            .map(|i| (i, e.recipient_info(i)))
            .filter(|(_, x)| e.class_name(&x.class) == h)
        {
            let per: Vec<String> = e
                .purpose_ids()
                .zip(&claims.disclosures[rid.index()])
                .filter(|(_, cats)| !cats.is_empty())
                .map(|(p, cats)| format!("{}: {}", e.purpose_info(p).name, join_names(e, cats)))
                .collect();
            if per.is_empty() {
                continue;
            }
            let mut line = format!("{} — {}", r2.name, per.join("; "));
            if !r2.excluded.is_empty() {
                let _ = write!(line, ". Never: {}", join_names(e, &r2.excluded));
            }
            if r2.sale || r2.share {
                line.push_str(
                    ". This may be a sale or sharing under California law; you may opt out.",
                );
            }
            if let Some(u) = &r2.policy_url {
                let _ = write!(line, ". Their privacy policy: {u}");
            }
            if let Some(pr) = &r2.disclosure_practice {
                let _ = write!(line, ". {pr}");
            }
            items.push(line);
        }
        if !items.is_empty() {
            b.push(Block::Heading(3, h.to_string()));
            b.push(Block::List(items));
        }
    }

    // CCPA-30: the two lists.
    b.push(Block::Heading(
        2,
        "California: categories sold or shared, and disclosed for a business purpose".into(),
    ));
    let mut sold = CategorySet::empty();
    let mut business = CategorySet::empty();
    for (r, per) in e.recipients.iter().zip(&claims.disclosures) {
        let cats = per.iter().fold(CategorySet::empty(), |a, c| a.union(c));
        if r.sale || r.share {
            sold = sold.union(&cats);
        } else {
            business = business.union(&cats);
        }
    }
    let letters = |s: &CategorySet| {
        let mut l: Vec<String> = s
            .iter()
            .flat_map(|c| e.category_info(c).ccpa.clone())
            .collect();
        l.sort();
        l.dedup();
        l.join(", ")
    };
    b.push(Block::List(vec![
        format!(
            "Sold or shared (CCPA categories {}): {}",
            letters(&sold),
            join_names(e, &sold)
        ),
        format!(
            "Disclosed for a business purpose (CCPA categories {}): {}",
            letters(&business),
            join_names(e, &business)
        ),
    ]));

    // Choices (RIGHTS-03, MKT-*, DNS-*, GPC-*).
    b.push(Block::Heading(2, "Your choices".into()));
    b.push(Block::List(choices(e)));

    // Cookies (COOKIE-09).
    b.push(Block::Heading(
        2,
        "Cookies and other tracking technologies".into(),
    ));
    let rows = e
        .trackers
        .iter()
        .map(|t| {
            vec![
                t.name.clone(),
                t.category.as_str().replace('_', " "),
                t.description.clone(),
                t.duration.clone(),
                if t.third_party_access {
                    "yes".into()
                } else {
                    "no".into()
                },
            ]
        })
        .collect();
    b.push(Block::Table(
        vec![
            "Name".into(),
            "Category".into(),
            "What it does".into(),
            "Duration".into(),
            "Third-party access".into(),
        ],
        rows,
    ));

    // Retention (RET-08).
    b.push(Block::Heading(
        2,
        "How long we keep your information".into(),
    ));
    let rows = e
        .categories
        .iter()
        .map(|c| {
            let when = match c.retention_trigger.as_str() {
                "collected" => "after collection",
                "account_closed" => "after your account closes",
                "ticket_closed" => "after the support ticket closes",
                "last_activity" => "after your last activity",
                "contract_end" => "after the contract ends",
                _ => "after the request closes",
            };
            vec![
                c.name.clone(),
                format!("{} {when}", c.retention_text),
                c.retention_citation.clone(),
            ]
        })
        .collect();
    b.push(Block::Table(
        vec!["Category".into(), "Kept for".into(), "Why".into()],
        rows,
    ));

    // Transfers (CONTACT-05, CONTACT-06, DPF-03).
    b.push(Block::Heading(2, "International transfers".into()));
    let dpf = e
        .recipients
        .iter()
        .any(|r| r.transfers.iter().any(|t| t.mechanism == Mechanism::Dpf));
    let mut t = String::from(
        "When we transfer personal data of EU, UK or Swiss data subjects to the United States we rely on a current transfer mechanism for each recipient.",
    );
    if dpf {
        t.push_str(" We comply with the EU-U.S. Data Privacy Framework Principles; learn more at https://www.dataprivacyframework.gov.");
    }
    t.push_str(" Otherwise we use the European Commission's Standard Contractual Clauses (Decision (EU) 2021/914) with a transfer impact assessment.");
    b.push(Block::Para(t));

    // Contacts (CONTACT-*).
    b.push(Block::Heading(2, "How to contact us".into()));
    let mut items = Vec::new();
    if let Some(c) = &f.policy.privacy_contact {
        items.push(format!("Privacy questions, complaints and requests: {c}"));
    }
    if let Some(c) = &f.policy.support_contact {
        items.push(format!("General inquiries: {c}"));
    }
    if let Some(u) = &f.policy.dispute_resolution_url {
        items.push(format!(
            "Unresolved concerns: our independent dispute resolution provider, free of charge: {u}"
        ));
    }
    b.push(Block::List(items));
    b.push(Block::Para(format!(
        "Policy text SHA-256: {}",
        e.source_sha256
    )));
    Notice {
        title: e.meta.name.clone(),
        blocks: b,
    }
}

/// Render as Markdown.
#[must_use]
pub fn markdown(e: &Engine) -> String {
    let n = notice(e);
    let cell = |s: &str| s.replace('|', "\\|").replace('\n', " ");
    let mut out = format!("# {}\n\n", n.title);
    for b in &n.blocks {
        match b {
            Block::Heading(l, t) => {
                let _ = writeln!(out, "{} {t}\n", "#".repeat(usize::from(*l)));
            }
            Block::Para(t) => {
                let _ = writeln!(out, "{t}\n");
            }
            Block::Statement(st) => {
                out.push_str(&st.text);
                if let Some((label, href)) = &st.link {
                    let _ = write!(out, " [{}]({href})", label.replace(']', "\\]"));
                }
                let _ = writeln!(out, " <!-- {}: {} -->\n", st.id, st.requirements.join(", "));
            }
            Block::List(items) => {
                for i in items {
                    let _ = writeln!(out, "- {i}");
                }
                out.push('\n');
            }
            Block::Table(h, rows) => {
                let _ = writeln!(
                    out,
                    "| {} |",
                    h.iter().map(|x| cell(x)).collect::<Vec<_>>().join(" | ")
                );
                let _ = writeln!(out, "|{}", "---|".repeat(h.len()));
                for r in rows {
                    let _ = writeln!(
                        out,
                        "| {} |",
                        r.iter().map(|x| cell(x)).collect::<Vec<_>>().join(" | ")
                    );
                }
                out.push('\n');
            }
        }
    }
    out
}

/// Escape text for HTML.
#[must_use]
pub fn escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '&' => o.push_str("&amp;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

/// The notice body as an HTML fragment (for embedding in a page).
#[must_use]
pub fn html_fragment(e: &Engine) -> String {
    let n = notice(e);
    let mut out = String::new();
    for b in &n.blocks {
        match b {
            Block::Heading(l, t) => {
                let _ = writeln!(out, "<h{l}>{}</h{l}>", escape(t));
            }
            Block::Para(t) => {
                let _ = writeln!(out, "<p>{}</p>", escape(t));
            }
            Block::Statement(st) => {
                // SECURITY: the id and the requirement ids are validated identifiers
                // (letters, digits, `_:.-`) and escaped all the same; the address is one of
                // LINK_TARGETS, never text of the policy file.
                let _ = write!(
                    out,
                    "<p id=\"stmt-{}\" data-requirements=\"{}\">{}",
                    escape(&st.id),
                    escape(&st.requirements.join(" ")),
                    escape(&st.text)
                );
                if let Some((label, href)) = &st.link {
                    let _ = write!(out, " <a href=\"{href}\">{}</a>", escape(label));
                }
                out.push_str("</p>\n");
            }
            Block::List(items) => {
                out.push_str("<ul>\n");
                for i in items {
                    let _ = writeln!(out, "<li>{}</li>", escape(i));
                }
                out.push_str("</ul>\n");
            }
            Block::Table(h, rows) => {
                out.push_str("<table>\n<thead><tr>");
                for x in h {
                    let _ = write!(out, "<th scope=\"col\">{}</th>", escape(x));
                }
                out.push_str("</tr></thead>\n<tbody>\n");
                for r in rows {
                    out.push_str("<tr>");
                    for x in r {
                        let _ = write!(out, "<td>{}</td>", escape(x));
                    }
                    out.push_str("</tr>\n");
                }
                out.push_str("</tbody>\n</table>\n");
            }
        }
    }
    out
}

/// A complete, self-contained HTML page.
#[must_use]
pub fn html(e: &Engine) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{t}</title>\n<style>body{{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}}table{{border-collapse:collapse;width:100%;margin:1rem 0}}th,td{{border:1px solid #999;padding:.4rem;text-align:left;vertical-align:top}}th{{background:#eee}}</style>\n</head>\n<body>\n<main>\n<h1>{t}</h1>\n{body}</main>\n</body>\n</html>\n",
        t = escape(&n_title(e)),
        body = html_fragment(e)
    )
}

fn n_title(e: &Engine) -> String {
    e.meta.name.clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notice_lists_every_tracker_retention_and_dpf_link() {
        let e = crate::default_engine().unwrap();
        let md = markdown(&e);
        for t in &e.trackers {
            assert!(md.contains(&t.name), "tracker {} missing", t.name);
        }
        assert!(md.contains("dataprivacyframework.gov"));
        assert!(!md.contains("privacyshield.gov"));
        assert!(md.contains("P365D after the support ticket closes"));
        let h = html(&e);
        assert!(h.starts_with("<!doctype html>"));
        assert!(!h.contains("<script"));
    }

    #[test]
    fn html_escapes_policy_strings() {
        assert_eq!(
            escape("<a href=\"x\">&"),
            "&lt;a href=&quot;x&quot;&gt;&amp;"
        );
    }
}
