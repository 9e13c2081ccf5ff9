//! Property tests of the decision engine against the shipped policy
//! (the design's testing rule: property tests for encoders and the decision order).
//!
//! Arbitrary subjects, choices and contexts are built from a byte tape, so
//! proptest can shrink a failure to a small input. The properties:
//!
//! (a) a request naming an unknown category, purpose, recipient, tracker or
//!     source is never allowed (§0.4 fail-closed rule, CAT-00, SHARE-01);
//! (b) hard locks are never overridden by any consent or choice: USPS
//!     regulatory data serves `usps_regulatory_oversight` only (USPS-02, USPS-03),
//!     and customers' customers' data goes only to a transaction recipient for
//!     `transaction_completion`, or to a legal authority under a reviewed
//!     required-by-law request (CUST-02, DEC-00 step 3);
//! (c) adding an opt-out never turns a deny into an allow (`can_use`,
//!     `can_disclose`);
//! (d) decisions never panic, whatever the request;
//! (e) `explain` walks the DEC-00 steps in order, only the last step may fail,
//!     and the last step's verdict is the decision (an allow ends in `allow`).
#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed step fails the test"
)]

use proptest::prelude::*;
use std::sync::OnceLock;
use steward_policy::decide::{Actor, AdminAction, Grant, MessageKind};
use steward_policy::engine::{ClassKind, RecipientClass};
use steward_policy::facts::{LegalBasisKind, LegalRequest, MinorAuthorization, Template};
use steward_policy::ids::{
    CategoryId, CategorySet, PurposeId, PurposeSet, RecipientId, RecipientSet, SourceId, TrackerId,
};
use steward_policy::{
    Channel, Choices, Consent, Context, Decision, Engine, Jurisdiction, Request, Step, Subject,
    SubjectKind, Trace,
};

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| steward_policy::default_engine().expect("the shipped policy compiles"))
}

/// Reads decisions' inputs off a byte tape; past the end it reads zeros.
struct Tape<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Tape<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Tape { bytes, at: 0 }
    }
    fn u8(&mut self) -> u8 {
        let b = self.bytes.get(self.at).copied().unwrap_or(0);
        self.at += 1;
        b
    }
    fn u16(&mut self) -> u16 {
        u16::from(self.u8()) << 8 | u16::from(self.u8())
    }
    fn bool(&mut self) -> bool {
        self.u8() & 1 == 1
    }
    /// True about one time in `n`.
    fn one_in(&mut self, n: u8) -> bool {
        self.u8().is_multiple_of(n)
    }
    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[usize::from(self.u8()) % items.len()]
    }
    fn consent(&mut self) -> Consent {
        self.pick(&[
            Consent::Unset,
            Consent::Given,
            Consent::Refused,
            Consent::Withdrawn,
        ])
    }
}

struct Ids {
    cats: Vec<CategoryId>,
    purs: Vec<PurposeId>,
    recs: Vec<RecipientId>,
    trackers: Vec<TrackerId>,
    sources: Vec<SourceId>,
}

fn ids() -> &'static Ids {
    static IDS: OnceLock<Ids> = OnceLock::new();
    IDS.get_or_init(|| {
        let e = engine();
        Ids {
            cats: e.category_ids().collect(),
            purs: e.purpose_ids().collect(),
            recs: e.recipient_ids().collect(),
            trackers: e.tracker_ids().collect(),
            sources: e
                .sources
                .iter()
                .map(|s| e.source(&s.key).unwrap())
                .collect(),
        }
    })
}

const JURISDICTIONS: [Option<&str>; 12] = [
    None,
    Some("US-TX"),
    Some("US-CA"),
    Some("US-NV"),
    Some("US-CO"),
    Some("US"),
    Some("DE"),
    Some("FR"),
    Some("UK"),
    Some("CH"),
    Some("XX"),
    Some("JP"),
];

fn cat_set(t: &mut Tape<'_>, max: u8) -> CategorySet {
    let n = t.u8() % (max + 1);
    (0..n).map(|_| t.pick(&ids().cats)).collect()
}

fn pur_set(t: &mut Tape<'_>, max: u8) -> PurposeSet {
    let n = t.u8() % (max + 1);
    (0..n).map(|_| t.pick(&ids().purs)).collect()
}

fn rec_set(t: &mut Tape<'_>, max: u8) -> RecipientSet {
    let n = t.u8() % (max + 1);
    (0..n).map(|_| t.pick(&ids().recs)).collect()
}

fn subject(t: &mut Tape<'_>) -> Subject {
    let kind = t.pick(&SubjectKind::ALL);
    let j = t
        .pick(&JURISDICTIONS)
        .map(|j| j.parse::<Jurisdiction>().unwrap());
    let mut s = Subject::new(kind, j);
    s.eu_protected = t.one_in(4);
    s.age = if t.one_in(4) {
        Some(5 + t.u8() % 20)
    } else {
        None
    };
    // Half the subjects have few choices recorded, so that many requests
    // reach the later steps; the others have many.
    let n = if t.bool() { 3 } else { 12 };
    let mut c = Choices {
        sale_opt_out: t.one_in(n),
        share_opt_out: t.one_in(n),
        third_party_sharing_opt_out: t.one_in(n),
        nv_no_sale: t.one_in(n),
        limit_spi: t.one_in(n),
        gpc: t.one_in(n),
        objection_direct_marketing: t.one_in(n),
        location_services: t.bool(),
        stop_promotions: t.one_in(n),
        ..Choices::default()
    };
    for ty in 0..2 {
        for ch in 0..4 {
            c.marketing[ty][ch] = t.consent();
        }
    }
    c.eu_third_party_sharing = t.consent();
    for k in 0..5 {
        c.cookies[k] = t.consent();
    }
    if n == 3 {
        c.objections_pending = pur_set(t, 2);
        c.objections_upheld = pur_set(t, 1);
    }
    c.recipient_consent = rec_set(t, 4);
    c.recipient_withdrawn = rec_set(t, 2).minus(&c.recipient_consent);
    c.minor_authorization = t.pick(&[
        MinorAuthorization::None,
        MinorAuthorization::SelfTwoStep,
        MinorAuthorization::Parent,
        MinorAuthorization::Declined,
    ]);
    c.purpose_consent = pur_set(t, 3);
    c.purpose_withdrawn = pur_set(t, 2).minus(&c.purpose_consent);
    s.choices = c;
    s
}

fn context(t: &mut Tape<'_>) -> Context {
    // Mostly after the DPF took effect (2023-07-10); sometimes back to 2019.
    let (base, days) = if t.one_in(4) {
        ("2019-01-01T00:00:00Z", 3000)
    } else {
        ("2023-08-01T00:00:00Z", 1000)
    };
    let base: jiff::Timestamp = base.parse().unwrap();
    let now = base
        .checked_add(jiff::SignedDuration::from_secs(
            i64::from(t.u16() % days) * 86_400 + i64::from(t.u16()),
        ))
        .unwrap();
    let mut c = Context::at(now);
    // Half the contexts carry only the basics, so that many requests reach the later steps.
    let rich = t.bool();
    if t.bool() {
        c.legal_request = Some(LegalRequest {
            basis: t.pick(&[
                LegalBasisKind::RequiredByLaw,
                LegalBasisKind::PermittedByLaw,
            ]),
            reviewed: !t.one_in(4),
            scope: if t.one_in(3) {
                CategorySet::all_below(ids().cats.len())
            } else {
                cat_set(t, 4)
            },
            gag_order: t.bool(),
        });
    }
    c.justification = t.bool();
    c.carrier_selected = t.bool();
    c.business_transfer = t.bool();
    c.change_of_control_prompt_pending = t.one_in(4);
    c.ticket = t.bool();
    c.customer_undertaking = t.bool();
    c.project = t.bool();
    c.gpc_signal = t.one_in(3);
    if rich && t.one_in(3) {
        c.restricted = cat_set(t, 2);
    }
    if rich && t.one_in(3) {
        c.retained = cat_set(t, 2);
        c.retained_purposes = pur_set(t, 2);
    }
    if rich && t.one_in(3) {
        c.derived_from = cat_set(t, 2);
    }
    if rich && t.one_in(2) {
        c.declared_purposes = pur_set(t, 2);
    }
    if rich && t.one_in(3) {
        let delta = i64::from(t.u8()) * 3600 - 128 * 3600;
        c.retain_until = now.checked_add(jiff::SignedDuration::from_secs(delta)).ok();
    }
    if t.one_in(3) {
        c.tracker = Some(t.pick(&ids().trackers));
    }
    if t.one_in(3) {
        c.template = Some(Template {
            has_unsubscribe: t.bool(),
            has_postal_address: t.bool(),
            has_promo: t.bool(),
        });
    }
    c
}

fn disclose_set(t: &mut Tape<'_>) -> CategorySet {
    let mut s = cat_set(t, 3);
    s.insert(t.pick(&ids().cats));
    s
}

/// Categories to disclose to `r` for `p`: half the time only ones the rule
/// permits, so that requests get past step 8 and the earlier steps decide.
fn disclose_set_for(t: &mut Tape<'_>, r: RecipientId, p: PurposeId) -> CategorySet {
    let e = engine();
    let permitted: Vec<CategoryId> = e
        .recipient_info(r)
        .categories
        .intersect(&e.purpose_info(p).categories)
        .iter()
        .collect();
    if permitted.is_empty() || t.bool() {
        return disclose_set(t);
    }
    let n = 1 + t.u8() % 3;
    (0..n).map(|_| t.pick(&permitted)).collect()
}

/// A category for a use of `p`: half the time one the purpose may use.
fn use_category(t: &mut Tape<'_>, p: PurposeId) -> CategoryId {
    let own: Vec<CategoryId> = engine().purpose_info(p).categories.iter().collect();
    if own.is_empty() || t.bool() {
        t.pick(&ids().cats)
    } else {
        t.pick(&own)
    }
}

/// Recipients whose rules the hard locks and the legal path turn on.
const INTERESTING: [&str; 10] = [
    "LE1",
    "MP1",
    "AFF1",
    "USPS",
    "USPS_AUDITOR",
    "CAR_UPS",
    "SP_ADDR",
    "SP_EMAIL",
    "SP_ADS",
    "INT1",
];

/// A recipient (often one of [`INTERESTING`]) and a purpose (often one it is
/// registered for), so that requests reach the later steps of DEC-00.
fn recipient_and_purpose(t: &mut Tape<'_>) -> (RecipientId, PurposeId) {
    let e = engine();
    let r = if t.bool() {
        e.recipient(t.pick(&INTERESTING)).unwrap()
    } else {
        t.pick(&ids().recs)
    };
    let own: Vec<PurposeId> = e.recipient_info(r).purposes.iter().collect();
    let p = if !own.is_empty() && t.bool() {
        t.pick(&own)
    } else {
        t.pick(&ids().purs)
    };
    (r, p)
}

/// Often make the legal request (if any) cover the requested categories.
fn cover(t: &mut Tape<'_>, ctx: &mut Context, cats: &CategorySet) {
    if let Some(l) = &mut ctx.legal_request
        && t.bool()
    {
        l.scope = l.scope.union(cats);
    }
}

fn class_of(r: RecipientId) -> &'static RecipientClass {
    &engine().recipient_info(r).class
}

fn tape() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(any::<u8>(), 48..160)
}

// ---------------------------------------------------------------- (a) unknown names fail closed

proptest! {
    #[test]
    fn unknown_names_are_never_allowed(bytes in tape()) {
        let e = engine();
        let mut t = Tape::new(&bytes);
        let s = subject(&mut t);
        let ctx = context(&mut t);
        let cat = Some(t.pick(&ids().cats));
        let pur = Some(t.pick(&ids().purs));
        let rec = Some(t.pick(&ids().recs));
        let src = Some(t.pick(&ids().sources));
        let cats = disclose_set(&mut t);

        prop_assert!(!e.can_use(&s, None, pur, &ctx).allow);
        prop_assert!(!e.can_use(&s, cat, None, &ctx).allow);
        prop_assert!(!e.can_disclose(&s, &cats, true, rec, pur, &ctx).allow);
        prop_assert!(!e.can_disclose(&s, &cats, false, None, pur, &ctx).allow);
        prop_assert!(!e.can_disclose(&s, &cats, false, rec, None, &ctx).allow);
        prop_assert!(!e.can_set_tracker(&s, None, &ctx).allow);
        prop_assert!(!e.can_collect(&s, None, src, rec, &ctx).allow);
        prop_assert!(!e.can_collect(&s, cat, None, rec, &ctx).allow);
    }

    #[test]
    fn unknown_names_on_the_wire_are_never_allowed(bytes in tape(), name in "zz_[a-z_]{1,12}", which in 0u8..8) {
        let e = engine();
        let mut t = Tape::new(&bytes);
        let known_cat = e.category_info(t.pick(&ids().cats)).key.clone();
        let known_pur = e.purpose_info(t.pick(&ids().purs)).key.clone();
        let known_rec = e.recipient_info(t.pick(&ids().recs)).key.clone();
        let known_tr = e.tracker_info(t.pick(&ids().trackers)).key.clone();
        let known_src = e.source_info(t.pick(&ids().sources)).key.clone();
        let jur = t.pick(&JURISDICTIONS).map(str::to_string);
        let mut req: Request = serde_json::from_value(serde_json::json!({
            "subject": { "jurisdiction": jur },
            "context": { "now": "2024-03-04T17:00:00Z", "gpc": t.bool(), "carrier_selected": true, "justification": true,
                         "business_transfer": true, "customer_undertaking": true },
        })).unwrap();
        let u = Some(name.clone());
        match which {
            0 => { req.op = serde_json::from_str("\"can_use\"").ok(); req.category = u; req.purpose = Some(known_pur); }
            1 => { req.op = serde_json::from_str("\"can_use\"").ok(); req.category = Some(known_cat); req.purpose = u; }
            2 => { req.op = serde_json::from_str("\"can_disclose\"").ok(); req.categories = vec![known_cat, name.clone()]; req.recipient = Some(known_rec); req.purpose = Some(known_pur); }
            3 => { req.op = serde_json::from_str("\"can_disclose\"").ok(); req.categories = vec![known_cat]; req.recipient = u; req.purpose = Some(known_pur); }
            4 => { req.op = serde_json::from_str("\"can_disclose\"").ok(); req.categories = vec![known_cat]; req.recipient = Some(known_rec); req.purpose = u; }
            5 => { req.op = serde_json::from_str("\"can_set_tracker\"").ok(); req.tracker = u; }
            6 => { req.op = serde_json::from_str("\"can_collect\"").ok(); req.category = Some(known_cat); req.source = u; }
            _ => { req.op = serde_json::from_str("\"can_collect\"").ok(); req.category = u; req.source = Some(known_src); let _ = known_tr; }
        }
        let v = e.evaluate(&req);
        prop_assert!(v.get("error").is_none(), "an unknown main argument is not a decode error: {v}");
        prop_assert_eq!(v["allow"].as_bool(), Some(false), "{}", v);
        let reason = v["reason"].as_str().unwrap_or("");
        prop_assert!(reason == "NO_RULE" || reason == "UNREGISTERED_CATEGORY", "reason {reason}");
    }
}

// ---------------------------------------------------------------- (b) hard locks

proptest! {
    // The interesting paths (a reviewed, required-by-law request to a legal
    // authority covering the locked category) are rare: run more cases.
    #![proptest_config(ProptestConfig::with_cases(4096))]

    #[test]
    fn usps_regulatory_data_serves_oversight_only(bytes in tape()) {
        let e = engine();
        let usps = e.category("usps_regulatory_data").unwrap();
        let oversight = e.purpose("usps_regulatory_oversight").unwrap();
        let mut t = Tape::new(&bytes);
        let s = subject(&mut t);
        let mut ctx = context(&mut t);
        let (r, p) = recipient_and_purpose(&mut t);
        prop_assume!(p != oversight);
        let other = t.pick(&ids().cats);

        prop_assert!(!e.can_use(&s, Some(usps), Some(p), &ctx).allow);
        let mut cats = disclose_set_for(&mut t, r, p);
        cats.insert(usps);
        cover(&mut t, &mut ctx, &cats);
        prop_assert!(!e.can_disclose(&s, &cats, false, Some(r), Some(p), &ctx).allow);
        // Derived data inherits the lock (USPS-03).
        let mut derived = ctx;
        derived.derived_from.insert(usps);
        prop_assert!(!e.can_use(&s, Some(other), Some(p), &derived).allow);
        let mut one = CategorySet::empty();
        one.insert(other);
        prop_assert!(!e.can_disclose(&s, &one, false, Some(r), Some(p), &derived).allow);
    }

    #[test]
    fn customers_customers_data_goes_only_where_the_transaction_or_the_law_requires(bytes in tape(), address_list in any::<bool>()) {
        let e = engine();
        let locked = e.category(if address_list { "address_list" } else { "recipient_data" }).unwrap();
        let tc = e.purpose("transaction_completion").unwrap();
        let mut t = Tape::new(&bytes);
        let s = subject(&mut t);
        let mut ctx = context(&mut t);
        let (r, p) = recipient_and_purpose(&mut t);
        let mut cats = disclose_set_for(&mut t, r, p);
        cats.insert(locked);
        cover(&mut t, &mut ctx, &cats);
        let d = e.can_disclose(&s, &cats, false, Some(r), Some(p), &ctx);
        if d.allow {
            let class = class_of(r);
            let transaction = p == tc
                && matches!(class.as_str(), "usps" | "carrier" | "service_provider" | "usps_contractor");
            let compelled = class.kind() == ClassKind::LegalAuthority
                && ctx.legal_request.is_some_and(|l| l.basis == LegalBasisKind::RequiredByLaw && l.reviewed);
            prop_assert!(transaction || compelled, "{:?} to {} for {} allowed", class, e.recipient_info(r).key, e.purpose_info(p).key);
        }
    }
}

// ---------------------------------------------------------------- (c) opt-outs are monotone

/// The number of kinds of opt-out [`add_opt_out`] knows.
const OPT_OUT_KINDS: u8 = 16;

/// Add one opt-out (or withdrawal) to the subject or the request, chosen by `k`.
fn add_opt_out(s: &mut Subject, ctx: &mut Context, k: u8, t: &mut Tape<'_>) {
    let c = &mut s.choices;
    let refuse = |x: Consent| {
        if x.given() {
            Consent::Withdrawn
        } else if x == Consent::Withdrawn {
            x
        } else {
            Consent::Refused
        }
    };
    match k % OPT_OUT_KINDS {
        0 => c.sale_opt_out = true,
        1 => c.share_opt_out = true,
        2 => c.third_party_sharing_opt_out = true,
        3 => c.nv_no_sale = true,
        4 => c.limit_spi = true,
        5 => c.objection_direct_marketing = true,
        6 => {
            let ty = usize::from(t.u8() % 2);
            let ch = usize::from(t.u8() % 4);
            c.marketing[ty][ch] = refuse(c.marketing[ty][ch]);
        }
        7 => {
            let k = usize::from(t.u8() % 5);
            c.cookies[k] = refuse(c.cookies[k]);
        }
        8 => c.eu_third_party_sharing = refuse(c.eu_third_party_sharing),
        9 => c.objections_pending.insert(t.pick(&ids().purs)),
        10 => c.objections_upheld.insert(t.pick(&ids().purs)),
        11 => {
            let r = t.pick(&ids().recs);
            if c.recipient_consent.contains(r) {
                c.recipient_consent.remove(r);
                c.recipient_withdrawn.insert(r);
            }
        }
        12 => {
            let p = t.pick(&ids().purs);
            c.purpose_consent.remove(p);
            c.purpose_withdrawn.insert(p);
        }
        13 => c.location_services = false,
        14 => ctx.gpc_signal = true,
        _ => {
            // Every marketing channel of both types at once.
            for ty in 0..2 {
                for ch in 0..4 {
                    c.marketing[ty][ch] = refuse(c.marketing[ty][ch]);
                }
            }
        }
    }
}

proptest! {
    // Every kind of opt-out, and every pair of kinds, is tried on every
    // generated request: a chain base → +k1 → +k1+k2 must never go from
    // deny to allow.
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn an_opt_out_never_turns_a_deny_into_an_allow(bytes in tape()) {
        let e = engine();
        let mut t = Tape::new(&bytes);
        let s = subject(&mut t);
        let mut ctx = context(&mut t);
        let (r, p) = recipient_and_purpose(&mut t);
        let cat = use_category(&mut t, p);
        let cats = disclose_set_for(&mut t, r, p);
        cover(&mut t, &mut ctx, &cats);
        let decide = |s: &Subject, ctx: &Context| {
            (e.can_use(s, Some(cat), Some(p), ctx).allow, e.can_disclose(s, &cats, false, Some(r), Some(p), ctx).allow)
        };
        let monotone = |before: (bool, bool), after: (bool, bool), what: &str| -> Result<(), TestCaseError> {
            prop_assert!(before.0 || !after.0, "{what}: can_use({}, {}) flipped to allow", e.category_info(cat).key, e.purpose_info(p).key);
            prop_assert!(before.1 || !after.1, "{what}: can_disclose to {} for {} flipped to allow", e.recipient_info(r).key, e.purpose_info(p).key);
            Ok(())
        };
        let base = decide(&s, &ctx);
        for k1 in 0..OPT_OUT_KINDS {
            let (mut s1, mut ctx1) = (s, ctx);
            add_opt_out(&mut s1, &mut ctx1, k1, &mut t);
            let one = decide(&s1, &ctx1);
            monotone(base, one, &format!("opt-out {k1}"))?;
            for k2 in 0..OPT_OUT_KINDS {
                let (mut s2, mut ctx2) = (s1, ctx1);
                add_opt_out(&mut s2, &mut ctx2, k2, &mut t);
                monotone(one, decide(&s2, &ctx2), &format!("opt-outs {k1} then {k2}"))?;
            }
        }
    }
}

// ---------------------------------------------------------------- (d) no panics, on any request

/// Pick a valid value, or (one time in 64) an invalid one, so that most
/// requests decode and reach the decisions while malformed ones still occur.
fn choose<'s>(t: &mut Tape<'_>, valid: &[&'s str], invalid: &[&'s str]) -> &'s str {
    if t.one_in(64) {
        t.pick(invalid)
    } else {
        t.pick(valid)
    }
}

const CATS: [&str; 10] = [
    "email",
    "name",
    "postal_address",
    "recipient_data",
    "usps_regulatory_data",
    "usage_data",
    "gps_location",
    "chat_transcript",
    "cookie_id",
    "transaction_history",
];
const PURS: [&str; 10] = [
    "marketing_first_party",
    "third_party_promotional_mail",
    "usps_regulatory_oversight",
    "support",
    "legal_compliance",
    "transaction_completion",
    "ad_customization",
    "service_improvement",
    "integration_sync",
    "security_fraud",
];
const RECS: [&str; 10] = [
    "MP1",
    "MP2",
    "LE1",
    "SP_EMAIL",
    "SP_NOCONTRACT",
    "AFF1",
    "USPS",
    "CAR_UPS",
    "INT1",
    "SP_ADS",
];
const TRACKERS: [&str; 4] = [
    "ads_pixel_3p",
    "session_cookie",
    "analytics_uid",
    "recognition_cookie",
];
const SOURCES: [&str; 5] = [
    "direct:payment",
    "automatic",
    "integration",
    "customer",
    "device:location",
];
const GARBAGE: [&str; 4] = ["", "voice_recording", "TP_X", "\u{1F4E6}\0-"];
const KEYS: [&str; 14] = [
    "sale_opt_out",
    "gpc",
    "marketing:first_party:email",
    "marketing:third_party_offers:sms",
    "consent:third_party_sharing",
    "consent:recipient:INT1",
    "cookie:analytics",
    "cookie:advertising",
    "objection:service_improvement",
    "objection_outcome:personalization",
    "consent:purpose:marketing_first_party",
    "stop_promotions",
    "minor_authorization",
    "location_services",
];
const BAD_KEYS: [&str; 3] = ["marketing:x:email", "consent:recipient:NOPE", "cookie:nope"];
const TIMES: [&str; 3] = [
    "2024-03-04T17:00:00Z",
    "2019-01-01T00:00:00Z",
    "2030-12-31T23:59:59Z",
];
const BAD_TIMES: [&str; 3] = ["yesterday", "", "2024-02-30T00:00:00Z"];
const OPS: [&str; 7] = [
    "can_collect",
    "can_use",
    "can_disclose",
    "can_send",
    "can_set_tracker",
    "effective_choices",
    "admin_authorize",
];

fn pool(t: &mut Tape<'_>, valid: &[&'static str]) -> Option<String> {
    if t.one_in(8) {
        None
    } else {
        Some(choose(t, valid, &GARBAGE).to_string())
    }
}

proptest! {
    #[test]
    fn decisions_never_panic(bytes in tape()) {
        let e = engine();
        let mut t = Tape::new(&bytes);
        let ledger: Vec<serde_json::Value> = (0..t.u8() % 4)
            .map(|_| serde_json::json!({
                "key": choose(&mut t, &KEYS, &BAD_KEYS), "value": t.bool(),
                "source": choose(&mut t, &["user", "gpc", "admin", "import", "default", "agent", "parent", "support"], &["robot"]),
                "at": choose(&mut t, &TIMES, &BAD_TIMES),
                "channel": if t.bool() { Some(choose(&mut t, &["web_form", "gpc", "email_link"], &["carrier_pigeon"])) } else { None },
            }))
            .collect();
        let v = serde_json::json!({
            "op": choose(&mut t, &OPS, &["nope"]),
            "subject": {
                "kind": choose(&mut t, &["customer_account_holder", "visitor", "recipient", "staff"], &["alien"]),
                "jurisdiction": choose(&mut t, &["US-CA", "US-TX", "US-NV", "DE", "FR", "XX", "UK"], &["US-", "1X"]),
                "age": if t.one_in(3) { Some(t.u8()) } else { None },
                "ledger": ledger,
                "choices": { "sale_opt_out": t.bool(), "eu_third_party_sharing": choose(&mut t, &["given", "refused", "withdrawn", "unset"], &["maybe"]),
                             "marketing": { "first_party": { "email": choose(&mut t, &["given", "refused"], &["perhaps"]) } },
                             "recipient_consent": [choose(&mut t, &RECS, &GARBAGE)] },
            },
            "context": {
                "now": choose(&mut t, &TIMES, &BAD_TIMES), "gpc": t.bool(), "project": t.bool(), "ticket": t.bool(),
                "carrier_selected": t.bool(), "justification": t.bool(), "business_transfer": t.bool(), "customer_undertaking": t.bool(),
                "legal_request": if t.bool() { serde_json::json!({"basis": choose(&mut t, &["required_by_law", "permitted_by_law"], &["whim"]), "reviewed": t.bool(), "scope": [choose(&mut t, &CATS, &GARBAGE)]}) } else { serde_json::Value::Null },
                "derived_from": if t.one_in(3) { vec![choose(&mut t, &CATS, &GARBAGE)] } else { vec![] },
                "declared_purposes": if t.one_in(3) { vec![choose(&mut t, &PURS, &GARBAGE)] } else { vec![] },
                "retain_until": if t.one_in(4) { Some(choose(&mut t, &TIMES, &BAD_TIMES)) } else { None },
                "tracker": if t.one_in(4) { Some(choose(&mut t, &TRACKERS, &GARBAGE)) } else { None },
            },
            "category": pool(&mut t, &CATS),
            "categories": (0..t.u8() % 4).map(|_| choose(&mut t, &CATS, &GARBAGE)).collect::<Vec<_>>(),
            "purpose": pool(&mut t, &PURS),
            "recipient": pool(&mut t, &RECS),
            "source": pool(&mut t, &SOURCES),
            "partner": pool(&mut t, &RECS),
            "tracker": pool(&mut t, &TRACKERS),
            "message_kind": choose(&mut t, &["transactional", "policy_change", "support_followup", "marketing_first_party", "marketing_third_party_offer"], &["spam"]),
            "channel": choose(&mut t, &["email", "sms", "phone", "postal"], &["pigeon"]),
            "actor": { "is_owner": t.bool(), "is_agent": t.bool(), "grant": [choose(&mut t, &["view_pi", "change_pi", "delete_pi"], &["root"])],
                       "revoked_at": choose(&mut t, &TIMES, &BAD_TIMES), "role": choose(&mut t, &["support_agent", "analyst", "security"], &["janitor"]) },
            "action": choose(&mut t, &["view", "change", "delete", "change_choices", "submit_request"], &["launch"]),
        });
        // Null fields are absent fields.
        let v = strip_nulls(v);
        let Ok(req) = serde_json::from_value::<Request>(v) else { return Ok(()); };
        let out = e.evaluate(&req);
        prop_assert!(out.get("error").is_some() || out.get("allow").is_some() || out.get("choices").is_some(), "{out}");
        if let Ok(d) = e.decode(&req) {
            let (o, trace) = e.explain(&d);
            let explained = e.response(&d, &o, Some(&trace));
            // The explained response is the plain one plus the path.
            prop_assert_eq!(explained.get("allow"), out.get("allow"));
            prop_assert_eq!(explained.get("reason"), out.get("reason"));
        }
    }
}

fn strip_nulls(v: serde_json::Value) -> serde_json::Value {
    match v {
        serde_json::Value::Object(m) => serde_json::Value::Object(
            m.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, strip_nulls(v)))
                .collect(),
        ),
        serde_json::Value::Array(a) => {
            serde_json::Value::Array(a.into_iter().map(strip_nulls).collect())
        }
        other => other,
    }
}

// ---------------------------------------------------------------- (e) explain follows DEC-00

fn order(s: Step) -> u8 {
    match s {
        Step::Registry => 1,
        Step::Locks => 2,
        Step::Legal => 3,
        Step::Jurisdiction => 4,
        Step::Rule => 5,
        Step::Contract => 6,
        Step::Transfer => 7,
        Step::Choices => 8,
        Step::Categories => 9,
        Step::Allow => 10,
    }
}

fn check_path(what: &str, d: &Decision, trace: &Trace) -> Result<(), TestCaseError> {
    let steps = &trace.steps;
    prop_assert!(!steps.is_empty(), "{what}: empty path");
    for w in steps.windows(2) {
        prop_assert!(
            order(w[0].0) <= order(w[1].0),
            "{what}: {:?} after {:?} breaks the DEC-00 order: {steps:?}",
            w[1].0,
            w[0].0
        );
    }
    for (s, ok, note) in &steps[..steps.len() - 1] {
        prop_assert!(
            *ok,
            "{what}: step {s:?} failed ({note}) but evaluation went on: {steps:?}"
        );
    }
    let (last, ok, _) = steps[steps.len() - 1];
    prop_assert_eq!(
        ok,
        d.allow,
        "{}: the last step's verdict is not the decision: {:?}",
        what,
        steps
    );
    if d.allow {
        prop_assert_eq!(
            last,
            Step::Allow,
            "{}: an allow must end in the allow step: {:?}",
            what,
            steps
        );
    }
    Ok(())
}

proptest! {
    #[test]
    fn explain_ends_with_the_decisive_step(bytes in tape()) {
        let e = engine();
        let mut t = Tape::new(&bytes);
        let s = subject(&mut t);
        let mut ctx = context(&mut t);
        let (r, p) = recipient_and_purpose(&mut t);
        let cat = use_category(&mut t, p);
        let tr = t.pick(&ids().trackers);
        let src = t.pick(&ids().sources);
        let cats = disclose_set_for(&mut t, r, p);
        cover(&mut t, &mut ctx, &cats);

        let mut tc = Trace::default();
        let d = e.can_use_traced(&s, Some(cat), Some(p), &ctx, &mut tc);
        check_path("can_use", &d, &tc)?;
        prop_assert_eq!(d, e.can_use(&s, Some(cat), Some(p), &ctx));

        let mut tc = Trace::default();
        let d = e.can_disclose_traced(&s, &cats, false, Some(r), Some(p), &ctx, &mut tc);
        check_path("can_disclose", &d, &tc)?;
        prop_assert_eq!(d, e.can_disclose(&s, &cats, false, Some(r), Some(p), &ctx));

        let kind = t.pick(&[MessageKind::Transactional, MessageKind::PolicyChange, MessageKind::SupportFollowup, MessageKind::MarketingFirstParty, MessageKind::MarketingThirdPartyOffer]);
        let channel = t.pick(&Channel::ALL);
        let mut tc = Trace::default();
        let d = e.can_send_traced(&s, kind, channel, &ctx, &mut tc);
        check_path("can_send", &d, &tc)?;

        let mut tc = Trace::default();
        let d = e.can_set_tracker_traced(&s, Some(tr), &ctx, &mut tc);
        check_path("can_set_tracker", &d, &tc)?;

        let partner = if t.bool() { Some(r) } else { None };
        let mut tc = Trace::default();
        let d = e.can_collect_traced(&s, Some(cat), Some(src), partner, &ctx, &mut tc);
        check_path("can_collect", &d, &tc)?;

        let roles = ["support_agent", "security", "analyst", "privacy_officer"];
        let actor = Actor {
            is_owner: t.one_in(4),
            is_agent: t.one_in(4),
            grant: if t.bool() { Some(Grant { view: t.bool(), change: t.bool(), delete: t.bool(), revoked_at: if t.bool() { Some(ctx.now) } else { None } }) } else { None },
            role: if t.one_in(3) { e.role(t.pick(&roles)) } else { None },
        };
        let action = t.pick(&[AdminAction::View, AdminAction::Change, AdminAction::Delete, AdminAction::ChangeChoices, AdminAction::SubmitRequest]);
        let mut tc = Trace::default();
        let d = e.admin_authorize_traced(&actor, action, Some(cat), ctx.now, &mut tc);
        check_path("admin_authorize", &d, &tc)?;

        // Unknown names: the path is the single failing registry step.
        for (what, d, tc) in [
            ("can_use(unknown)", { let mut tc = Trace::default(); let d = e.can_use_traced(&s, None, Some(p), &ctx, &mut tc); (d, tc) }),
            ("can_disclose(unknown)", { let mut tc = Trace::default(); let d = e.can_disclose_traced(&s, &cats, false, None, Some(p), &ctx, &mut tc); (d, tc) }),
            ("can_set_tracker(unknown)", { let mut tc = Trace::default(); let d = e.can_set_tracker_traced(&s, None, &ctx, &mut tc); (d, tc) }),
        ].map(|(w, (d, tc))| (w, d, tc)) {
            check_path(what, &d, &tc)?;
            prop_assert_eq!(tc.steps.len(), 1);
            prop_assert_eq!(tc.steps[0].0, Step::Registry);
        }
    }
}
