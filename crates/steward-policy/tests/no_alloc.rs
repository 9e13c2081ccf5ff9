//! The policy-engine work: "no heap allocation on the allow path". With a warm engine and
//! decoded facts, `can_use` and `can_disclose` (allow and deny) must not touch
//! the heap. dhat's counting allocator is installed for this test binary only.

use steward_policy::ids::CategorySet;
use steward_policy::{Consent, Context, Jurisdiction, Subject, SubjectKind};

#[global_allocator]
static ALLOC: dhat::Alloc = dhat::Alloc;

#[test]
fn decisions_do_not_allocate() {
    let e = steward_policy::default_engine().unwrap();
    let now: jiff::Timestamp = "2024-03-04T17:00:00Z".parse().unwrap();
    let mut ctx = Context::at(now);
    let us = Subject::new(
        SubjectKind::CustomerAccountHolder,
        Some("US-CA".parse::<Jurisdiction>().unwrap()),
    );
    let mut eu = Subject::new(
        SubjectKind::CustomerAccountHolder,
        Some("DE".parse::<Jurisdiction>().unwrap()),
    );
    eu.choices.eu_third_party_sharing = Consent::Given;
    let mut cats = CategorySet::empty();
    cats.insert(e.category("name").unwrap());
    cats.insert(e.category("postal_address").unwrap());
    let mut with_email = cats;
    with_email.insert(e.category("email").unwrap());
    let (email, support, mp1, promo) = (
        e.category("email"),
        e.purpose("support"),
        e.recipient("MP1"),
        e.purpose("third_party_promotional_mail"),
    );
    let (sp_email, comms) = (
        e.recipient("SP_EMAIL"),
        e.purpose("important_communications"),
    );
    let mut only_email = CategorySet::empty();
    only_email.insert(e.category("email").unwrap());

    let _profiler = dhat::Profiler::builder().testing().build();
    let before = dhat::HeapStats::get();
    let mut allowed = 0;
    for i in 0..1000 {
        ctx.gpc_signal = i % 2 == 0;
        allowed += usize::from(e.can_use(&us, email, support, &ctx).allow);
        allowed += usize::from(e.can_disclose(&eu, &cats, false, mp1, promo, &ctx).allow);
        allowed += usize::from(
            e.can_disclose(&us, &only_email, false, sp_email, comms, &ctx)
                .allow,
        );
        allowed += usize::from(
            e.can_disclose(&us, &with_email, false, mp1, promo, &ctx)
                .allow,
        );
    }
    let after = dhat::HeapStats::get();
    dhat::assert_eq!(after.total_blocks, before.total_blocks);
    // Three allows per round (the fourth request asks for e-mail, which MP1 never gets).
    assert_eq!(allowed, 3000);
}
