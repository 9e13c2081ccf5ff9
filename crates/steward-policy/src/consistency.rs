//! The notice and the engine agree: every category the notice says a purpose uses, a
//! recipient receives for a purpose, or a source provides, the engine allows for some
//! subject; and every use, disclosure and collection the engine can allow, the notice says.
//! A contradiction is an error at the purpose, recipient or source it concerns.
//!
//! "Some subject" is searched for among subjects in the EU, California, another US state
//! and the rest of the world, each having given every consent and made no opt-out, in a
//! context that has every fact that opens a path (a reviewed request the law compels, a
//! justification, a carrier selection, a business transfer, the customer undertaking), at
//! noon UTC on the policy's effective date. Run by `steward policy check`; pure, like the
//! rest of the crate.

use crate::diag::{Report, Sink};
use crate::engine::{Engine, Precondition};
use crate::facts::{Consent, Context, LegalBasisKind, LegalRequest, Subject, SubjectKind};
use crate::ids::{CategoryId, CategorySet, RecipientId, SourceId};
use crate::render;
use std::ops::Range;

/// The subjects the search tries: one per region, every consent given.
fn subjects(e: &Engine) -> Vec<Subject> {
    ["DE", "US-CA", "US-NY", "JP"]
        .iter()
        .filter_map(|j| j.parse().ok())
        .map(|j| {
            let mut s = Subject::new(SubjectKind::CustomerAccountHolder, Some(j));
            let c = &mut s.choices;
            c.location_services = true;
            c.eu_third_party_sharing = Consent::Given;
            c.marketing = [[Consent::Given; 4]; 2];
            c.cookies = [Consent::Given; 5];
            c.recipient_consent = e.recipient_ids().collect();
            c.purpose_consent = e.purpose_ids().collect();
            s
        })
        .collect()
}

/// The context the search uses: every fact that opens a path.
fn context(e: &Engine) -> Option<Context> {
    let now = e
        .meta
        .effective
        .at(12, 0, 0, 0)
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .ok()?
        .timestamp();
    let mut ctx = Context::at(now);
    ctx.justification = true;
    ctx.carrier_selected = true;
    ctx.business_transfer = true;
    ctx.customer_undertaking = true;
    ctx.agreements = crate::ids::AgreementSet::all_below(e.agreements.len());
    ctx.provided = CategorySet::all_below(e.categories.len());
    ctx.legal_request = Some(LegalRequest {
        basis: LegalBasisKind::RequiredByLaw,
        reviewed: true,
        scope: CategorySet::all_below(e.categories.len()),
        gag_order: false,
    });
    Some(ctx)
}

/// `None` when it is allowed for some subject; otherwise the decision one of them got.
fn refused_to_all(
    subjects: &[Subject],
    decide: impl Fn(&Subject) -> crate::Decision,
) -> Option<crate::Decision> {
    let mut last = None;
    for s in subjects {
        let d = decide(s);
        if d.allow {
            return None;
        }
        last = Some(d);
    }
    last
}

/// One entry's disagreements, reported together.
struct Finding<'e> {
    e: &'e Engine,
    said_denied: Vec<(CategoryId, String)>,
    allowed_unsaid: Vec<CategoryId>,
}

impl<'e> Finding<'e> {
    fn new(e: &'e Engine) -> Self {
        Finding {
            e,
            said_denied: Vec::new(),
            allowed_unsaid: Vec::new(),
        }
    }

    fn compare(&mut self, c: CategoryId, said: bool, refused: Option<crate::Decision>) {
        match (said, refused) {
            (true, Some(d)) => self
                .said_denied
                .push((c, self.e.reason_code(&d).to_string())),
            (false, None) => self.allowed_unsaid.push(c),
            _ => {}
        }
    }

    fn report(self, sink: &mut Sink<'_>, span: Range<usize>, what: &str, verb: &str) {
        let name = |c: CategoryId| format!("`{}`", self.e.category_info(c).key);
        if !self.said_denied.is_empty() {
            let list: Vec<String> = self
                .said_denied
                .iter()
                .map(|(c, r)| format!("{} ({r})", name(*c)))
                .collect();
            sink.error(
                "NOTICE_CONTRADICTS_ENGINE",
                Some(span.clone()),
                format!(
                    "the notice says {what} {verb} {}, but the engine allows it for no subject",
                    list.join(", ")
                ),
                "make the policy allow it (a contract, a transfer mechanism, a lock's purposes …) or stop listing it",
            );
        }
        if !self.allowed_unsaid.is_empty() {
            let list: Vec<String> = self.allowed_unsaid.iter().map(|c| name(*c)).collect();
            sink.error(
                "UNDISCLOSED_ALLOW",
                Some(span),
                format!(
                    "the engine lets {what} {verb} {}, which the notice does not say",
                    list.join(", ")
                ),
                "the notice lists what the policy declares: declare it, or forbid it (a lock, an exclusion)",
            );
        }
    }
}

/// Compare what the notice says with what the engine allows. `file` and `src` name and hold
/// the policy text, for positions.
#[must_use]
pub fn check(file: &str, src: &str, e: &Engine) -> Report {
    check_claims(file, src, e, &render::claims(e))
}

/// [`check`] against claims other than the ones [`render`] prints (a notice rendered by
/// another tool, or a test of the check itself).
#[must_use]
pub fn check_claims(file: &str, src: &str, e: &Engine, claims: &render::Claims) -> Report {
    let mut sink = Sink::new(file, src);
    let Some(ctx) = context(e) else {
        return sink.report;
    };
    let subjects = subjects(e);
    let f = &e.file;

    for (i, p) in e.purpose_ids().enumerate() {
        let mut found = Finding::new(e);
        for c in e.category_ids() {
            let outcome = refused_to_all(&subjects, |s| e.can_use(s, Some(c), Some(p), &ctx));
            found.compare(
                c,
                claims.uses.get(i).is_some_and(|u| u.contains(c)),
                outcome,
            );
        }
        let what = format!("purpose `{}`", e.purpose_info(p).key);
        found.report(&mut sink, f.purposes[i].id.span(), &what, "uses");
    }

    for (i, r) in e.recipient_ids().enumerate() {
        for (j, p) in e.purpose_ids().enumerate() {
            let mut found = Finding::new(e);
            for c in e.category_ids() {
                let one: CategorySet = [c].into_iter().collect();
                let outcome = refused_to_all(&subjects, |s| {
                    e.can_disclose(s, &one, false, Some(r), Some(p), &ctx)
                });
                let said = claims
                    .disclosures
                    .get(i)
                    .and_then(|per| per.get(j))
                    .is_some_and(|d| d.contains(c));
                found.compare(c, said, outcome);
            }
            let what = format!(
                "recipient `{}` for purpose `{}`",
                e.recipient_info(r).key,
                e.purpose_info(p).key
            );
            found.report(&mut sink, f.recipients[i].id.span(), &what, "receives");
        }
    }

    // An integration source needs a linked partner: the search uses one, if the policy has it.
    let partner: Option<RecipientId> = e
        .recipient_ids()
        .find(|r| e.recipient_info(*r).requires == Some(Precondition::IntegrationLink));
    for (i, source) in e.sources.iter().enumerate() {
        let Some(sid): Option<SourceId> = e.source(&source.key) else {
            continue;
        };
        let mut found = Finding::new(e);
        for c in e.category_ids() {
            let outcome = refused_to_all(&subjects, |s| {
                e.can_collect(s, Some(c), Some(sid), partner, &ctx)
            });
            found.compare(
                c,
                claims.collected.get(i).is_some_and(|x| x.contains(c)),
                outcome,
            );
        }
        let what = format!("source `{}`", source.key);
        found.report(&mut sink, f.sources[i].id.span(), &what, "provides");
    }
    let mut report = sink.report;
    report.sort();
    report
}
