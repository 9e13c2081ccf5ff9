//! The decisions of requirements §0.4 and §C3, in the normative order of
//! DEC-00: registry → hard locks → legal compulsion → jurisdiction →
//! rule/contract → transfer → subject choices → category exclusions → allow.
//!
//! Every function is pure and total: default deny, first match decides,
//! obligations accumulate. Unknown names arrive as `None` and fail closed.
//! The tracer parameter is [`NoTrace`] on the hot path and compiles away.

use crate::decision::{Decision, Detail, NoTrace, Obligations, Reason, Step, Tracer, flags};
use crate::engine::{
    Builtin, CCPA_SP, CCPA_SP_MASK, CCPA_TP, CCPA_TP_MASK, ChoiceKind, ClassKind, ConsentModel,
    DPF_ONWARD, DPF_ONWARD_MASK, Engine, GDPR_28, GDPR_28_MASK, Mechanism, Precondition,
    PurposeInfo, RecipientInfo, SP_BASE, SP_BASE_MASK, SourceKind, clause_bits,
};
use crate::facts::{
    Channel, Consent, Context, Jurisdiction, LegalBasisKind, MarketingType, MinorAuthorization,
    Subject, TrackerCategory,
};
use crate::ids::{
    AgreementId, CategoryId, CategorySet, LockId, PurposeId, PurposeSet, RecipientId, RoleId,
    RuleId, SourceId, TrackerId,
};
use jiff::Timestamp;

/// The kind of message `can_send` is asked about (DEC-04).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MessageKind {
    /// Mandatory service or transactional message (MKT-05).
    Transactional,
    /// A policy-change notice (CHG-04): transactional.
    PolicyChange,
    /// Follow-up on a support ticket (PUR-06): transactional with a ticket, marketing without.
    SupportFollowup,
    /// The controller's own marketing.
    MarketingFirstParty,
    /// Offers for third-party products.
    MarketingThirdPartyOffer,
}

/// What an administrator or staff member wants to do (DEC-07).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AdminAction {
    /// See personal information.
    View,
    /// Change it.
    Change,
    /// Delete it.
    Delete,
    /// Change the owner's privacy choices (ADMIN-07).
    ChangeChoices,
    /// Submit a privacy request for the owner (ADMIN-07).
    SubmitRequest,
}

/// Who is acting, for `admin_authorize`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    /// The actor is the account owner or the subject themself.
    pub is_owner: bool,
    /// The actor is an authorized agent with the subject's signed permission (CCPA-23).
    pub is_agent: bool,
    /// The actor's administrator grant on the account, if any (ADMIN-01).
    pub grant: Option<Grant>,
    /// The actor's staff role, if staff.
    pub role: Option<RoleId>,
}

/// An administrator grant as a decision sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Grant {
    /// May view.
    pub view: bool,
    /// May change.
    pub change: bool,
    /// May delete.
    pub delete: bool,
    /// Revocation time (ADMIN-05).
    pub revoked_at: Option<Timestamp>,
}

fn deny(reason: Reason, rule: RuleId) -> Decision {
    Decision {
        allow: false,
        reason,
        detail: Detail::None,
        rule,
        obligations: Obligations::audit(),
        allowed: CategorySet::empty(),
        excluded: CategorySet::empty(),
    }
}

fn deny_cat(reason: Reason, rule: RuleId, cat: Option<CategoryId>) -> Decision {
    let mut d = deny(reason, rule);
    if let Some(c) = cat {
        d.detail = Detail::Category(c);
    }
    d
}

fn allow(reason: Reason, rule: RuleId, obligations: Obligations) -> Decision {
    Decision {
        allow: true,
        reason,
        detail: Detail::None,
        rule,
        obligations,
        allowed: CategorySet::empty(),
        excluded: CategorySet::empty(),
    }
}

/// Where the subject sits, computed once per decision.
#[derive(Debug, Clone, Copy)]
struct Place {
    eu: bool,
    california: bool,
    country: [u8; 2],
    region_idx: usize,
}

impl Engine {
    fn place(&self, s: &Subject) -> Place {
        let (country, us, california) = match &s.jurisdiction {
            Some(j) => {
                let c = j.country().as_bytes();
                let cc = if c.len() == 2 { [c[0], c[1]] } else { *b"??" };
                (cc, j.is_us(), j.is_california())
            }
            None => (*b"??", false, false),
        };
        // DM-04: an unknown location is ambiguous between the EU and the US, so the
        // stricter rule set (EU opt-in) applies until the jurisdiction is resolved.
        let eu =
            s.eu_protected || s.jurisdiction.is_none() || self.settings.eu_like.contains(country);
        Place {
            eu,
            california,
            country,
            region_idx: if eu {
                0
            } else if us {
                1
            } else {
                2
            },
        }
    }

    /// Is the subject an EU data subject for this engine (EU-01, EU-04)?
    #[must_use]
    pub fn is_eu(&self, s: &Subject) -> bool {
        self.place(s).eu
    }

    /// Does this subject's GPC signal count as an opt-out of sale and sharing (GPC-06)?
    #[must_use]
    pub fn gpc_honored(&self, j: Option<&Jurisdiction>) -> bool {
        match j {
            // Unknown location: apply the stricter rule (DM-04).
            None => true,
            Some(j) if j.is_us() => {
                self.settings.gpc_all_us
                    || j.is_california()
                    || j.region().is_some_and(|r| {
                        self.settings
                            .gpc_states
                            .iter()
                            .any(|s| s == r || j.matches(s))
                    })
            }
            Some(_) => false,
        }
    }

    fn child_consent_age(&self, country: [u8; 2]) -> u8 {
        self.settings
            .child_age
            .iter()
            .find(|(c, _)| *c == country)
            .map_or(self.settings.child_age_default, |(_, a)| *a)
    }

    /// Step 2 for uses and disclosures: locks, retained, restricted, retention.
    // A `Decision` is `Copy` and stays on the stack: boxing the error would
    // allocate on every deny (the hot path is allocation-free).
    #[expect(
        clippy::result_large_err,
        reason = "A `Decision` is `Copy` and stays on the stack: boxing the error would allocate on every deny (the hot path is allocation-free)."
    )]
    fn locks_step<T: Tracer>(
        &self,
        cats: &CategorySet,
        p: PurposeId,
        recipient: Option<(RecipientId, &RecipientInfo)>,
        compelled_authority: bool,
        ctx: &Context,
        t: &mut T,
    ) -> Result<(), Decision> {
        let disclose = recipient.is_some();
        // INVARIANT: hard locks are step 2 of DEC-00 and decide before the
        // category exclusions of step 8, even for categories the recipient
        // also excludes (USPS-09: a locked category to a partner that excludes it
        // reports the lock).
        let scope = cats.union(&ctx.derived_from);
        let (locked, locked_sources) = if disclose {
            (&self.disclose_locked, &self.disclose_locked_sources)
        } else {
            (&self.use_locked, &self.use_locked_sources)
        };
        // Fast path: most data carries no lock, and most requests name no source.
        let by_source = !ctx.sources.is_empty() && ctx.sources.intersects(locked_sources);
        if by_source || scope.intersects(locked) {
            for (i, lock) in self.locks.iter().enumerate() {
                let applies = if disclose {
                    lock.on_disclose
                } else {
                    lock.on_use
                };
                if !applies
                    || !(scope.intersects(&lock.categories)
                        || (by_source && ctx.sources.intersects(&lock.sources)))
                {
                    continue;
                }
                let purpose_ok = lock.purposes.contains(p);
                let recipient_ok = recipient.is_none_or(|(rid, r)| {
                    lock.classes.contains(&r.class) || lock.recipients.contains(rid)
                });
                if purpose_ok && recipient_ok {
                    continue;
                }
                if lock.legal_compulsion_passes && compelled_authority {
                    continue;
                }
                t.step(
                    Step::Locks,
                    false,
                    "a hard lock forbids this purpose or recipient",
                );
                let mut d = deny(Reason::PurposeLock, lock.rule);
                // INVARIANT: fewer than MAX_SET locks are compiled, so the index fits.
                let id = LockId(i as u16);
                // A lock with a code of the policy's own names the locked category (derived
                // data inherits the lock, DM-06: cite the lock either way); `PURPOSE_LOCK`
                // names the lock.
                let hit = scope.intersect(&lock.categories);
                d.detail = match hit.intersect(cats).first().or(hit.first()) {
                    Some(c) if lock.own_code => Detail::Category(c),
                    _ => Detail::Lock(id),
                };
                return Err(d);
            }
        }
        if !cats.intersect(&ctx.retained).is_empty() && !ctx.retained_purposes.contains(p) {
            t.step(
                Step::Locks,
                false,
                "retained only under a deletion exception",
            );
            return Err(deny_cat(
                Reason::RetainedUnderException,
                Builtin::Retained.rule(),
                cats.intersect(&ctx.retained).first(),
            ));
        }
        if !cats.intersect(&ctx.restricted).is_empty()
            && !self.purposes[p.index()].restriction_exempt
        {
            t.step(Step::Locks, false, "restricted under GDPR Art. 18");
            return Err(deny_cat(
                Reason::Restricted,
                Builtin::Restricted.rule(),
                cats.intersect(&ctx.restricted).first(),
            ));
        }
        if let Some(until) = ctx.retain_until
            && ctx.now >= until
        {
            t.step(Step::Locks, false, "past its retention deadline");
            return Err(deny(
                Reason::RetentionExpired,
                Builtin::RetentionExpired.rule(),
            ));
        }
        t.step(Step::Locks, true, "no lock, restriction or expiry applies");
        Ok(())
    }

    /// The agreements a request needs (CUST-01, SRC-09, USPSPA-01, CARRIER-02): each
    /// agreement of the policy gating the request's source, one of its purposes, its
    /// recipient or the recipient's class must have been accepted for the account
    /// (`ctx.agreements`, from the store's records). A stateless caller's
    /// `customer_undertaking` counts for agreements gating a `customer` source.
    #[expect(
        clippy::result_large_err,
        reason = "a `Decision` is `Copy` and stays on the stack (see `locks_step`)"
    )]
    fn agreements_step<T: Tracer>(
        &self,
        source: Option<SourceId>,
        purposes: &PurposeSet,
        recipient: Option<(RecipientId, &RecipientInfo)>,
        ctx: &Context,
        step: Step,
        t: &mut T,
    ) -> Result<(), Decision> {
        for (i, a) in self.agreements.iter().enumerate() {
            let gated = source.is_some_and(|src| a.sources.contains(src))
                || purposes.intersects(&a.purposes)
                || recipient.is_some_and(|(rid, r)| {
                    a.recipients.contains(rid) || a.classes.contains(&r.class)
                });
            if !gated {
                continue;
            }
            // INVARIANT: at most MAX_SET agreements are compiled, so the index fits.
            if ctx.agreements.contains(AgreementId(i as u16)) {
                continue;
            }
            let undertaking = ctx.customer_undertaking
                && a.sources
                    .iter()
                    .any(|src| self.sources[src.index()].kind == SourceKind::Customer);
            if undertaking {
                continue;
            }
            t.step(step, false, "an agreement it needs was not accepted");
            return Err(deny(Reason::AgreementRequired, a.rule));
        }
        Ok(())
    }

    /// Information a purpose needs (USPS-07): each `[[required_data]]` entry gating `purpose`
    /// needs every one of its categories among those the subject provided
    /// (`ctx.provided`, from the store's items for a stored subject). Other purposes are
    /// unaffected.
    #[expect(
        clippy::result_large_err,
        reason = "a `Decision` is `Copy` and stays on the stack (see `locks_step`)"
    )]
    fn required_data_step<T: Tracer>(
        &self,
        purpose: PurposeId,
        ctx: &Context,
        step: Step,
        t: &mut T,
    ) -> Result<(), Decision> {
        for d in &self.required_data {
            if d.purposes.contains(purpose) && !d.categories.is_subset(&ctx.provided) {
                t.step(step, false, "information it needs was not provided");
                let missing = d.categories.minus(&ctx.provided).first();
                return Err(deny_cat(Reason::InformationNotProvided, d.rule, missing));
            }
        }
        Ok(())
    }

    /// Step 4 minors: CCPA-18 for sale/share; GDPR-11 for consent-based processing.
    // A `Decision` is `Copy` and stays on the stack: boxing the error would
    // allocate on every deny (the hot path is allocation-free).
    #[expect(
        clippy::result_large_err,
        reason = "A `Decision` is `Copy` and stays on the stack: boxing the error would allocate on every deny (the hot path is allocation-free)."
    )]
    fn minors_step<T: Tracer>(
        &self,
        s: &Subject,
        place: &Place,
        sale_or_share: bool,
        consent_based_eu: bool,
        t: &mut T,
    ) -> Result<(), Decision> {
        let Some(age) = s.age else {
            t.step(Step::Jurisdiction, true, "no known minor");
            return Ok(());
        };
        if sale_or_share && place.california && age < 16 {
            let ok = match s.choices.minor_authorization {
                MinorAuthorization::Parent => true,
                MinorAuthorization::SelfTwoStep => age >= 13,
                MinorAuthorization::None | MinorAuthorization::Declined => false,
            };
            if !ok {
                t.step(
                    Step::Jurisdiction,
                    false,
                    "known minor under 16 without authorization",
                );
                let reason = if age < 13
                    && s.choices.minor_authorization == MinorAuthorization::SelfTwoStep
                {
                    Reason::ParentalConsentRequired
                } else {
                    Reason::MinorOptInRequired
                };
                return Err(deny(reason, Builtin::Minor.rule()));
            }
        }
        if consent_based_eu
            && place.eu
            && age < self.child_consent_age(place.country)
            && s.choices.minor_authorization != MinorAuthorization::Parent
        {
            t.step(
                Step::Jurisdiction,
                false,
                "child below the digital age of consent",
            );
            return Err(deny(
                Reason::ParentalConsentRequired,
                Builtin::ChildGdpr.rule(),
            ));
        }
        t.step(Step::Jurisdiction, true, "no jurisdictional prohibition");
        Ok(())
    }

    /// Step 7: subject choices that govern a purpose (and, for disclosures, a recipient).
    #[expect(
        clippy::too_many_arguments,
        reason = "the arguments are the independent inputs of one step; a parameter struct would only rename them"
    )]
    // A `Decision` is `Copy` and stays on the stack: boxing the error would
    // allocate on every deny (the hot path is allocation-free).
    #[expect(
        clippy::result_large_err,
        reason = "A `Decision` is `Copy` and stays on the stack: boxing the error would allocate on every deny (the hot path is allocation-free)."
    )]
    fn choices_step<T: Tracer>(
        &self,
        s: &Subject,
        place: &Place,
        pi: &PurposeInfo,
        p: PurposeId,
        rec: Option<(RecipientId, &RecipientInfo)>,
        cats: &CategorySet,
        ctx: &Context,
        t: &mut T,
    ) -> Result<(), Decision> {
        let c = &s.choices;
        // CHG-03: a purpose or recipient a later policy version added applies to data
        // collected under an earlier version only after the subject was notified of that
        // version (CHG-04), and, for EU subjects where the change needs it, fresh consent.
        let change = &ctx.policy_change;
        let changed_purpose = change.purposes.contains(p);
        if changed_purpose || rec.is_some_and(|(r, _)| change.recipients.contains(r)) {
            if !change.notified {
                t.step(
                    Step::Choices,
                    false,
                    "a later policy version added this use for data collected before it; the subject has not been notified",
                );
                return Err(deny(Reason::NoticeRequired, Builtin::PolicyChange.rule()));
            }
            if changed_purpose
                && place.eu
                && change.consent.contains(p)
                && !c.purpose_consent.contains(p)
            {
                t.step(
                    Step::Choices,
                    false,
                    "a later policy version added this purpose for data collected before it; it needs fresh consent",
                );
                let reason = if c.purpose_withdrawn.contains(p) {
                    Reason::ConsentWithdrawn
                } else {
                    Reason::ConsentRequired
                };
                return Err(deny(reason, Builtin::PolicyChange.rule()));
            }
        }
        // GEO-01, GEO-02: location data is used only while location services are on, not
        // only collected; requests, legal claims and records (restriction-exempt purposes)
        // still reach it. (For disclosures, step 8 takes it out of what may go.)
        if rec.is_none() && cats.intersects(&self.location_gated) && self.location_off(s, pi) {
            t.step(Step::Choices, false, "location services are off");
            return Err(deny(Reason::NotEnabled, Builtin::Location.rule()));
        }
        // Objection (GDPR-20, GDPR-21).
        if (pi.marketing || pi.profiling) && c.objection_direct_marketing {
            t.step(
                Step::Choices,
                false,
                "objection to direct marketing (absolute)",
            );
            return Err(deny(
                Reason::Objected,
                Builtin::DirectMarketingObjection.rule(),
            ));
        }
        if c.objections_upheld.contains(p) {
            t.step(Step::Choices, false, "objection upheld");
            return Err(deny(Reason::Objected, Builtin::Objection.rule()));
        }
        if c.objections_pending.contains(p) {
            t.step(Step::Choices, false, "objection under review");
            return Err(deny(Reason::ObjectionPending, Builtin::Objection.rule()));
        }
        // Per-recipient consent (CONS-01) and integration links (SYNC-*).
        if let Some((rid, r)) = rec
            && matches!(
                r.requires,
                Some(Precondition::Consent | Precondition::IntegrationLink)
            )
            && !c.recipient_consent.contains(rid)
        {
            let reason = if c.recipient_withdrawn.contains(rid) {
                Reason::ConsentWithdrawn
            } else if place.eu && r.requires == Some(Precondition::IntegrationLink) {
                Reason::EuOptInRequired
            } else {
                Reason::ConsentRequired
            };
            let rule = if r.requires == Some(Precondition::Consent) {
                Builtin::ConsentedThirdParty.rule()
            } else if reason == Reason::EuOptInRequired {
                Builtin::EuOptIn.rule()
            } else {
                Builtin::Integration.rule()
            };
            t.step(Step::Choices, false, "no consent to this recipient");
            return Err(deny(reason, rule));
        }
        // Consent withdrawn → EU opt-in required, by the purpose's governing choice.
        // A US marketing opt-out is a channel preference: DEC-00 step 7 weighs it
        // after DNS/GPC, Nevada and the third-party sharing opt-out.
        let mut marketing_pref: Option<(Reason, RuleId, &'static str)> = None;
        let model = pi.consent[place.region_idx];
        match pi.choice {
            Some(ChoiceKind::ThirdPartySharing) if place.eu => match c.eu_third_party_sharing {
                Consent::Given => {}
                Consent::Withdrawn => {
                    t.step(
                        Step::Choices,
                        false,
                        "EU third-party sharing consent withdrawn",
                    );
                    return Err(deny(Reason::ConsentWithdrawn, Builtin::EuOptIn.rule()));
                }
                Consent::Unset | Consent::Refused => {
                    t.step(
                        Step::Choices,
                        false,
                        "EU subject has not opted in to third-party sharing",
                    );
                    return Err(deny(Reason::EuOptInRequired, Builtin::EuOptIn.rule()));
                }
            },
            Some(ChoiceKind::MarketingFirstParty | ChoiceKind::MarketingThirdPartyOffers) => {
                let mt = if pi.choice == Some(ChoiceKind::MarketingFirstParty) {
                    MarketingType::FirstParty
                } else {
                    MarketingType::ThirdPartyOffers
                };
                let prefs = c.marketing[mt as usize];
                // The channels the requested categories reach; none means any channel.
                let mask = cats
                    .iter()
                    .fold(0u8, |m, k| m | self.categories[k.index()].channels);
                let relevant = |i: usize| mask == 0 || mask & (1 << i) != 0;
                if place.eu {
                    if !prefs
                        .iter()
                        .enumerate()
                        .any(|(i, x)| relevant(i) && x.given())
                    {
                        let withdrawn = prefs
                            .iter()
                            .enumerate()
                            .any(|(i, x)| relevant(i) && *x == Consent::Withdrawn);
                        t.step(
                            Step::Choices,
                            false,
                            "EU subject has not opted in to marketing",
                        );
                        return Err(deny(
                            if withdrawn {
                                Reason::ConsentWithdrawn
                            } else {
                                Reason::EuOptInRequired
                            },
                            Builtin::EuOptIn.rule(),
                        ));
                    }
                } else if mask != 0 {
                    // A channel is usable when not opted out of; texts and calls need
                    // prior express written consent (TCPA-01), as in `can_send`.
                    let needs_consent = |i: usize| {
                        self.settings.sms_requires_consent
                            && (i == Channel::Sms as usize || i == Channel::Phone as usize)
                    };
                    let usable = prefs.iter().enumerate().any(|(i, x)| {
                        relevant(i)
                            && if needs_consent(i) {
                                x.given()
                            } else {
                                !x.refused()
                            }
                    });
                    if !usable {
                        marketing_pref = Some(
                            if prefs
                                .iter()
                                .enumerate()
                                .any(|(i, x)| relevant(i) && x.refused())
                            {
                                (
                                    Reason::OptedOut,
                                    Builtin::Marketing.rule(),
                                    "opted out of marketing on every channel this data reaches",
                                )
                            } else {
                                (
                                    Reason::ConsentRequired,
                                    Builtin::Tcpa.rule(),
                                    "no prior express written consent for marketing texts or calls",
                                )
                            },
                        );
                    }
                }
            }
            Some(ChoiceKind::Cookie(tc)) if model == ConsentModel::OptIn => match c.cookie(tc) {
                Consent::Given => {}
                Consent::Withdrawn => {
                    t.step(Step::Choices, false, "cookie consent withdrawn");
                    return Err(deny(
                        Reason::ConsentWithdrawn,
                        Builtin::CookieConsent.rule(),
                    ));
                }
                Consent::Unset | Consent::Refused => {
                    t.step(Step::Choices, false, "cookie consent required");
                    return Err(deny(Reason::ConsentRequired, Builtin::CookieConsent.rule()));
                }
            },
            Some(ChoiceKind::Cookie(tc)) if c.cookie(tc).refused() => {
                t.step(Step::Choices, false, "opted out of this cookie category");
                return Err(deny(Reason::OptedOut, Builtin::CookieOptOut.rule()));
            }
            // A use for syncing, with no partner named, needs an active link to some
            // integration partner (SYNC-01; prior consent for EU subjects, SYNC-03, EU-02).
            Some(ChoiceKind::Sync) if rec.is_none() => {
                let linked = |set: &crate::ids::RecipientSet| {
                    set.iter().any(|r| {
                        self.recipients[r.index()].requires == Some(Precondition::IntegrationLink)
                    })
                };
                if !linked(&c.recipient_consent) {
                    let reason = if linked(&c.recipient_withdrawn) {
                        Reason::ConsentWithdrawn
                    } else if place.eu {
                        Reason::EuOptInRequired
                    } else {
                        Reason::ConsentRequired
                    };
                    t.step(Step::Choices, false, "no active integration link");
                    return Err(deny(
                        reason,
                        if place.eu {
                            Builtin::EuOptIn.rule()
                        } else {
                            Builtin::Integration.rule()
                        },
                    ));
                }
            }
            Some(ChoiceKind::Location) if !c.location_services => {
                t.step(Step::Choices, false, "location services are off");
                return Err(deny(Reason::NotEnabled, Builtin::Location.rule()));
            }
            None if model == ConsentModel::OptIn && !c.purpose_consent.contains(p) => {
                t.step(
                    Step::Choices,
                    false,
                    "this purpose needs the subject's consent",
                );
                let reason = if c.purpose_withdrawn.contains(p) {
                    Reason::ConsentWithdrawn
                } else {
                    Reason::ConsentRequired
                };
                return Err(deny(reason, Builtin::PurposeConsent.rule()));
            }
            None if model == ConsentModel::OptOut && c.purpose_withdrawn.contains(p) => {
                t.step(Step::Choices, false, "opted out of this purpose");
                return Err(deny(Reason::OptedOut, Builtin::PurposeConsent.rule()));
            }
            _ => {}
        }
        // DNS / GPC / share (DNS-*, CCPA-12): honoured wherever it was given.
        let (r_sale, r_share, r_own) =
            rec.map_or((false, false, false), |(_, r)| (r.sale, r.share, r.own_use));
        let is_sale = pi.sale || r_sale;
        let is_share = pi.share || r_share;
        let gpc = ctx.gpc_signal && self.gpc_honored(s.jurisdiction.as_ref());
        if (is_sale && (c.sale_opt_out || gpc))
            || (is_share && (c.share_opt_out || gpc))
            || (r_own && (c.sale_opt_out || c.share_opt_out || gpc))
        {
            t.step(Step::Choices, false, "opted out of sale or sharing");
            return Err(deny(Reason::OptedOut, Builtin::DoNotSell.rule()));
        }
        // Nevada no-sale (NV-02): only monetary exchanges are Nevada sales (NV-05).
        if let Some((_, r)) = rec
            && r.nv_monetary
            && c.nv_no_sale
        {
            t.step(Step::Choices, false, "Nevada no-sale request");
            return Err(deny(Reason::OptedOut, Builtin::NevadaNoSale.rule()));
        }
        // Third-party sharing opt-out (SHARE-04): own-use recipients and marketing
        // partners, and preparing data for them (MP-07); never recipients the data must go
        // to for the service itself (USPS-10).
        let for_third_parties = match rec {
            Some((_, r)) => r.own_use || r.class.kind() == ClassKind::MarketingPartner,
            None => pi.choice == Some(ChoiceKind::ThirdPartySharing),
        };
        if for_third_parties && c.third_party_sharing_opt_out {
            t.step(Step::Choices, false, "opted out of third-party sharing");
            return Err(deny(
                Reason::OptedOut,
                Builtin::ThirdPartySharingOptOut.rule(),
            ));
        }
        // Marketing channel preferences (MKT-*).
        if let Some((reason, rule, note)) = marketing_pref {
            t.step(Step::Choices, false, note);
            return Err(deny(reason, rule));
        }
        // Promotions are held until the change-of-control prompt is delivered (BIZ-03).
        if pi.marketing && ctx.change_of_control_prompt_pending {
            t.step(
                Step::Choices,
                false,
                "change-of-control prompt not yet delivered",
            );
            return Err(deny(
                Reason::ChangeOfControlPromptPending,
                Builtin::ChangeOfControl.rule(),
            ));
        }
        // Limit the use of sensitive PI (CCPA-20).
        if c.limit_spi
            && (pi.marketing || pi.sale || pi.share || pi.profiling)
            && cats.iter().any(|k| self.categories[k.index()].spi)
        {
            t.step(
                Step::Choices,
                false,
                "sensitive data limited by the subject",
            );
            return Err(deny(Reason::LimitedSpi, Builtin::LimitSpi.rule()));
        }
        t.step(Step::Choices, true, "the subject's choices allow it");
        Ok(())
    }

    /// Location data may not serve this purpose now: the subject's location services are off
    /// and the purpose is not one that restricted data still serves (GEO-01, GEO-02).
    fn location_off(&self, s: &Subject, pi: &PurposeInfo) -> bool {
        !s.choices.location_services && !pi.restriction_exempt
    }

    fn allow_obligations(&self, pi: &PurposeInfo, cats: &CategorySet) -> Obligations {
        let mut o = Obligations::audit();
        if pi.aggregate {
            o.aggregate_k = self.settings.aggregate_k;
        }
        if pi.coarsen_ft > 0
            && cats.iter().any(|k| {
                let c = &self.categories[k.index()];
                c.spi && c.family == "location"
            })
        {
            o.coarsen_ft = pi.coarsen_ft;
        }
        o
    }

    /// DEC-02 `can_use`: may this category be used for this purpose?
    #[must_use]
    pub fn can_use(
        &self,
        s: &Subject,
        cat: Option<CategoryId>,
        purpose: Option<PurposeId>,
        ctx: &Context,
    ) -> Decision {
        self.can_use_traced(s, cat, purpose, ctx, &mut NoTrace)
    }

    /// `can_use` with a tracer (for `explain`).
    pub fn can_use_traced<T: Tracer>(
        &self,
        s: &Subject,
        cat: Option<CategoryId>,
        purpose: Option<PurposeId>,
        ctx: &Context,
        t: &mut T,
    ) -> Decision {
        let Some(cat) = cat else {
            t.step(Step::Registry, false, "unknown category");
            return deny(
                Reason::UnregisteredCategory,
                Builtin::UnregisteredCategory.rule(),
            );
        };
        let Some(p) = purpose else {
            t.step(Step::Registry, false, "no or unknown purpose");
            return deny(Reason::NoRule, Builtin::NoPurpose.rule());
        };
        t.step(Step::Registry, true, "category and purpose are registered");
        let pi = &self.purposes[p.index()];
        let mut cats = CategorySet::empty();
        cats.insert(cat);
        if let Err(d) = self.locks_step(&cats, p, None, false, ctx, t) {
            return d;
        }
        t.step(Step::Legal, true, "no legal-compulsion path for uses");
        let place = self.place(s);
        let consent_based = pi.consent[0] == ConsentModel::OptIn;
        if let Err(d) = self.minors_step(s, &place, pi.sale || pi.share, consent_based, t) {
            return d;
        }
        if pi.requires_justification && !ctx.justification {
            t.step(Step::Rule, false, "no justification record");
            return deny(Reason::JustificationRequired, Builtin::Justification.rule());
        }
        if !pi.categories.contains(cat) {
            t.step(Step::Rule, false, "the purpose may not use this category");
            return deny_cat(Reason::PurposeNotAllowed, pi.rule, Some(cat));
        }
        if !ctx.declared_purposes.is_empty()
            && !ctx
                .declared_purposes
                .iter()
                .any(|d| self.purposes[d.index()].compatible.contains(p))
        {
            t.step(
                Step::Rule,
                false,
                "not compatible with the purposes declared at collection",
            );
            return deny_cat(
                Reason::PurposeNotAllowed,
                Builtin::Compatibility.rule(),
                Some(cat),
            );
        }
        if place.eu && pi.gdpr.is_none() {
            t.step(Step::Rule, false, "no GDPR legal basis");
            return deny(Reason::LegalBasisMissing, Builtin::LegalBasis.rule());
        }
        let mut ps = PurposeSet::empty();
        ps.insert(p);
        if let Err(d) = self.agreements_step(None, &ps, None, ctx, Step::Rule, t) {
            return d;
        }
        if let Err(d) = self.required_data_step(p, ctx, Step::Rule, t) {
            return d;
        }
        t.step(Step::Rule, true, "the purpose may use this category");
        t.step(Step::Contract, true, "no recipient");
        t.step(Step::Transfer, true, "no transfer");
        if let Err(d) = self.choices_step(s, &place, pi, p, None, &cats, ctx, t) {
            return d;
        }
        t.step(Step::Categories, true, "no exclusions for uses");
        t.step(Step::Allow, true, "allowed");
        allow(Reason::Ok, pi.rule, self.allow_obligations(pi, &cats))
    }

    /// DEC-03 `can_disclose`: may these categories go to this recipient for this purpose?
    /// `unknown_category` is true when the request named a category the policy does not know.
    #[must_use]
    pub fn can_disclose(
        &self,
        s: &Subject,
        cats: &CategorySet,
        unknown_category: bool,
        recipient: Option<RecipientId>,
        purpose: Option<PurposeId>,
        ctx: &Context,
    ) -> Decision {
        self.can_disclose_traced(
            s,
            cats,
            unknown_category,
            recipient,
            purpose,
            ctx,
            &mut NoTrace,
        )
    }

    /// `can_disclose` with a tracer.
    #[expect(
        clippy::too_many_arguments,
        reason = "the arguments are the independent inputs of one step; a parameter struct would only rename them"
    )]
    pub fn can_disclose_traced<T: Tracer>(
        &self,
        s: &Subject,
        cats: &CategorySet,
        unknown_category: bool,
        recipient: Option<RecipientId>,
        purpose: Option<PurposeId>,
        ctx: &Context,
        t: &mut T,
    ) -> Decision {
        // 1. Registry.
        if unknown_category {
            t.step(Step::Registry, false, "unknown category");
            return deny(
                Reason::UnregisteredCategory,
                Builtin::UnregisteredCategory.rule(),
            );
        }
        let Some(rid) = recipient else {
            t.step(Step::Registry, false, "unknown recipient: no rule");
            return deny(Reason::NoRule, Builtin::NoRecipientRule.rule());
        };
        let Some(p) = purpose else {
            t.step(Step::Registry, false, "no or unknown purpose");
            return deny(Reason::NoRule, Builtin::NoPurpose.rule());
        };
        if cats.is_empty() {
            t.step(Step::Registry, false, "no categories requested");
            return deny(Reason::NoRule, Builtin::NoRecipientRule.rule());
        }
        t.step(
            Step::Registry,
            true,
            "categories, recipient and purpose are registered",
        );
        let r = &self.recipients[rid.index()];
        let pi = &self.purposes[p.index()];
        let place = self.place(s);
        let compelled = r.class.kind() == ClassKind::LegalAuthority
            && ctx
                .legal_request
                .is_some_and(|l| l.basis == LegalBasisKind::RequiredByLaw && l.reviewed);

        // 2. Hard locks.
        if let Err(d) = self.locks_step(cats, p, Some((rid, r)), compelled, ctx, t) {
            return d;
        }

        // 3. Legal-compulsion path (LEGALREQ-*).
        let mut obligations = Obligations::audit();
        obligations.flags |= flags::RECORD_DISCLOSURE;
        let mut cats = *cats;
        let mut excluded = CategorySet::empty();
        if r.class.kind() == ClassKind::LegalAuthority
            || r.requires == Some(Precondition::LegalRequest)
        {
            let Some(lr) = ctx.legal_request else {
                t.step(Step::Legal, false, "no legal request record");
                return deny(
                    Reason::LegalRequestRecordRequired,
                    Builtin::LegalRecord.rule(),
                );
            };
            if !lr.reviewed {
                t.step(Step::Legal, false, "no good-faith review");
                return deny(Reason::ReviewRequired, Builtin::LegalReview.rule());
            }
            let out = cats.minus(&lr.scope);
            if !out.is_empty() {
                if ctx.project && !cats.intersect(&lr.scope).is_empty() {
                    excluded = excluded.union(&out);
                    cats = cats.intersect(&lr.scope);
                } else {
                    t.step(Step::Legal, false, "outside the instrument's scope");
                    let mut d =
                        deny_cat(Reason::OutOfScope, Builtin::LegalScope.rule(), out.first());
                    d.allowed = cats.intersect(&lr.scope);
                    d.excluded = out;
                    return d;
                }
            }
            obligations.flags |= if lr.gag_order {
                flags::NOTICE_SUPPRESSED
            } else {
                flags::NOTIFY_SUBJECT
            };
            t.step(
                Step::Legal,
                true,
                if compelled {
                    "required by law: choices do not apply"
                } else {
                    "permitted by law"
                },
            );
        } else {
            t.step(Step::Legal, true, "not a legal request");
        }

        // 4. Jurisdictional prohibitions (AFF-03) and minors.
        if let Some(j) = &s.jurisdiction {
            for jr in &self.jurisdiction_rules {
                if jr.class.index() == r.class.index()
                    && j.matches(&jr.jurisdiction)
                    && !jr.categories.intersect(&cats).is_empty()
                {
                    t.step(
                        Step::Jurisdiction,
                        false,
                        "prohibited by law in the subject's jurisdiction",
                    );
                    return deny(Reason::ProhibitedByLaw, jr.rule);
                }
            }
        }
        // DEC-00 step 3 passes choices (7) and the transaction lock only; the
        // minors rule and the transfer mechanism apply to compelled disclosures too.
        let consent_based = pi.consent[0] == ConsentModel::OptIn;
        if let Err(d) = self.minors_step(
            s,
            &place,
            pi.sale || pi.share || r.sale || r.share,
            consent_based,
            t,
        ) {
            return d;
        }

        // 5a. The rule for this recipient and purpose.
        if pi.protection
            && (r.sale || r.share || r.own_use || r.class.kind() == ClassKind::MarketingPartner)
        {
            t.step(
                Step::Rule,
                false,
                "protection purposes never serve commercial use",
            );
            return deny(
                Reason::CommercialUseForbidden,
                Builtin::CommercialUse.rule(),
            );
        }
        let justified = ctx.justification || ctx.legal_request.is_some();
        if pi.requires_justification && !justified {
            t.step(Step::Rule, false, "no justification record");
            return deny(Reason::JustificationRequired, Builtin::Justification.rule());
        }
        if !r.purposes.contains(p) {
            t.step(
                Step::Rule,
                false,
                "the recipient may not receive data for this purpose",
            );
            return deny(Reason::PurposeNotAllowed, r.rule);
        }
        match r.requires {
            Some(Precondition::ProtectionCase) if !justified => {
                t.step(Step::Rule, false, "no protection case");
                return deny(Reason::JustificationRequired, Builtin::Justification.rule());
            }
            // CARRIER-01: this very carrier was selected (a record), or a stateless caller
            // asserts it for the request.
            Some(Precondition::CarrierSelection)
                if !ctx.carrier_selected && !ctx.carriers.contains(rid) =>
            {
                t.step(Step::Rule, false, "no carrier selection");
                return deny(Reason::NoCarrierSelection, Builtin::CarrierSelection.rule());
            }
            Some(Precondition::BusinessTransfer) if !ctx.business_transfer => {
                t.step(Step::Rule, false, "no business-transfer event");
                return deny(Reason::NoRule, Builtin::BusinessTransfer.rule());
            }
            _ => {}
        }
        if place.eu && pi.gdpr.is_none() {
            t.step(Step::Rule, false, "no GDPR legal basis");
            return deny(Reason::LegalBasisMissing, Builtin::LegalBasis.rule());
        }
        let mut ps = PurposeSet::empty();
        ps.insert(p);
        if let Err(d) = self.agreements_step(None, &ps, Some((rid, r)), ctx, Step::Rule, t) {
            return d;
        }
        if let Err(d) = self.required_data_step(p, ctx, Step::Rule, t) {
            return d;
        }
        t.step(Step::Rule, true, "a rule allows this recipient and purpose");

        // 5b. Contract and vetting.
        if let Err(d) = self.contract_step(r, &place, ctx.now, t) {
            return d;
        }

        // 6. Transfer mechanism.
        // GDPR-32: every transfer outside the EEA needs a mechanism, a compelled one
        // included (for authorities, a documented Art. 49 derogation).
        if place.eu
            && !self.settings.adequate.contains(r.country)
            && !self.transfer_ok(r, &place, ctx.now)
        {
            t.step(Step::Transfer, false, "no valid transfer mechanism");
            return deny(Reason::TransferMechanismMissing, Builtin::Transfer.rule());
        }
        t.step(Step::Transfer, true, "no transfer, or a valid mechanism");

        // 7. Subject choices.
        if compelled {
            t.step(Step::Choices, true, "required by law: choices do not apply");
        } else if let Err(d) = self.choices_step(s, &place, pi, p, Some((rid, r)), &cats, ctx, t) {
            return d;
        }

        // 8. Category exclusions; location data while location services are off goes
        // nowhere but where restricted data still goes (GEO-01, GEO-02).
        let mut permitted = r.categories.intersect(&pi.categories).minus(&r.excluded);
        let geo_out =
            if cats.intersects(&self.location_gated) && !compelled && self.location_off(s, pi) {
                let out = cats.intersect(&permitted).intersect(&self.location_gated);
                permitted = permitted.minus(&out);
                out
            } else {
                CategorySet::empty()
            };
        let out = cats.minus(&permitted);
        if !out.is_empty() {
            if ctx.project && !cats.intersect(&permitted).is_empty() {
                excluded = excluded.union(&out);
                cats = cats.intersect(&permitted);
            } else {
                let geo_only = !geo_out.is_empty() && out.is_subset(&geo_out);
                let (reason, rule, note) = if geo_only {
                    (
                        Reason::NotEnabled,
                        Builtin::Location.rule(),
                        "location services are off",
                    )
                } else {
                    (
                        Reason::CategoryExcluded,
                        r.rule,
                        "a requested category is excluded",
                    )
                };
                t.step(Step::Categories, false, note);
                // Prefer naming an explicitly excluded category (MP-02), then one excluded
                // for another reason than location services.
                let first = out.intersect(&r.excluded).first().or_else(|| {
                    if geo_out.is_empty() {
                        out.first()
                    } else {
                        out.minus(&geo_out).first().or(out.first())
                    }
                });
                let mut d = deny_cat(reason, rule, first);
                d.allowed = cats.intersect(&permitted);
                d.excluded = out;
                return d;
            }
        }
        t.step(
            Step::Categories,
            true,
            if excluded.is_empty() {
                "every category may go"
            } else {
                "excluded categories redacted"
            },
        );

        // 9. Allow with obligations.
        t.step(Step::Allow, true, "allowed");
        let base = self.allow_obligations(pi, &cats);
        obligations.aggregate_k = base.aggregate_k;
        obligations.coarsen_ft = base.coarsen_ft;
        obligations.redact = excluded;
        let mut d = allow(Reason::Ok, r.rule, obligations);
        d.allowed = cats;
        d.excluded = excluded;
        d
    }

    // A `Decision` is `Copy` and stays on the stack: boxing the error would
    // allocate on every deny (the hot path is allocation-free).
    #[expect(
        clippy::result_large_err,
        reason = "A `Decision` is `Copy` and stays on the stack: boxing the error would allocate on every deny (the hot path is allocation-free)."
    )]
    fn contract_step<T: Tracer>(
        &self,
        r: &RecipientInfo,
        place: &Place,
        now: Timestamp,
        t: &mut T,
    ) -> Result<(), Decision> {
        let processor = r.class.is_processor();
        let third_party =
            r.sale || r.share || r.own_use || r.class.kind() == ClassKind::MarketingPartner;
        if !processor && !third_party {
            t.step(Step::Contract, true, "no contract needed for this class");
            return Ok(());
        }
        let Some(c) = r.contract else {
            t.step(Step::Contract, false, "no executed contract");
            return Err(deny(Reason::NoContract, Builtin::Contract.rule()));
        };
        if now < c.effective || c.expires.is_some_and(|e| now >= e) {
            t.step(Step::Contract, false, "contract not in force");
            return Err(deny(Reason::NoContract, Builtin::Contract.rule()));
        }
        // Fast path: one mask test per clause set; names are looked up only to report a deny.
        let missing = |need: &[&'static str], mask: u32| -> Option<&'static str> {
            if mask & !c.clauses == 0 {
                return None;
            }
            need.iter()
                .copied()
                .find(|n| clause_bits(&[n]) & c.clauses == 0)
        };
        let checks: [(bool, &[&'static str], u32, Builtin); 4] = [
            (processor, &SP_BASE, SP_BASE_MASK, Builtin::Contract),
            (
                processor && place.california,
                &CCPA_SP,
                CCPA_SP_MASK,
                Builtin::ContractCcpa,
            ),
            (
                processor && place.eu,
                &GDPR_28,
                GDPR_28_MASK,
                Builtin::ContractGdpr,
            ),
            (
                third_party && place.california,
                &CCPA_TP,
                CCPA_TP_MASK,
                Builtin::ContractThirdParty,
            ),
        ];
        for (applies, need, mask, rule) in checks {
            if applies && let Some(m) = missing(need, mask) {
                t.step(
                    Step::Contract,
                    false,
                    "a required contract clause is missing",
                );
                let mut d = deny(Reason::ContractClauseMissing, rule.rule());
                d.detail = Detail::Clause(m);
                return Err(d);
            }
        }
        if third_party
            && place.eu
            && let Some(m) = missing(&DPF_ONWARD, DPF_ONWARD_MASK)
        {
            t.step(
                Step::Contract,
                false,
                "onward-transfer protection clause missing",
            );
            let mut d = deny(
                Reason::ContractClauseMissing,
                Builtin::ContractThirdParty.rule(),
            );
            d.detail = Detail::Clause(m);
            return Err(d);
        }
        if r.class.kind() == ClassKind::MarketingPartner && !r.vetted {
            t.step(Step::Contract, false, "partner not vetted");
            return Err(deny(Reason::RecipientNotVetted, Builtin::Vetting.rule()));
        }
        t.step(
            Step::Contract,
            true,
            "contract in force with the required clauses",
        );
        Ok(())
    }

    fn transfer_ok(&self, r: &RecipientInfo, place: &Place, now: Timestamp) -> bool {
        let s = &self.settings;
        let dpf_live = now >= s.dpf_from && s.dpf_invalidated_at.is_none_or(|t| now < t);
        let needed = match &place.country {
            b"GB" => Mechanism::DpfUk,
            b"CH" => Mechanism::DpfSwiss,
            _ => Mechanism::Dpf,
        };
        r.transfers.iter().any(|t| {
            let current = t.until.is_none_or(|u| now < u);
            current
                && match t.mechanism {
                    Mechanism::Dpf | Mechanism::DpfUk | Mechanism::DpfSwiss => {
                        dpf_live && t.mechanism == needed
                    }
                    Mechanism::Scc => t.tia_done,
                    Mechanism::PrivacyShield => now < s.ps_invalid_after,
                    Mechanism::Derogation49 => true,
                }
        })
    }

    /// DEC-04 `can_send`: may this message go to the subject on this channel?
    #[must_use]
    pub fn can_send(
        &self,
        s: &Subject,
        kind: MessageKind,
        channel: Channel,
        ctx: &Context,
    ) -> Decision {
        self.can_send_traced(s, kind, channel, ctx, &mut NoTrace)
    }

    /// `can_send` with a tracer.
    pub fn can_send_traced<T: Tracer>(
        &self,
        s: &Subject,
        kind: MessageKind,
        channel: Channel,
        ctx: &Context,
        t: &mut T,
    ) -> Decision {
        let wk = self.well_known;
        let kind = match kind {
            MessageKind::SupportFollowup if ctx.ticket => {
                t.step(
                    Step::Registry,
                    true,
                    "follow-up tied to a ticket: a service message",
                );
                t.step(Step::Allow, true, "service messages are not marketing");
                let rule = wk
                    .support_followup
                    .map_or(Builtin::SupportFollowup.rule(), |p| {
                        self.purposes[p.index()].rule
                    });
                return allow(Reason::Ok, rule, Obligations::audit());
            }
            MessageKind::SupportFollowup => MessageKind::MarketingFirstParty,
            k => k,
        };
        let transactional = matches!(kind, MessageKind::Transactional | MessageKind::PolicyChange);
        if let Some(tpl) = ctx.template {
            if transactional && tpl.has_promo {
                t.step(
                    Step::Registry,
                    false,
                    "transactional template with promotional content",
                );
                return deny(Reason::MixedContent, Builtin::MixedContent.rule());
            }
            if !transactional && channel == Channel::Email && !tpl.has_unsubscribe {
                t.step(
                    Step::Registry,
                    false,
                    "marketing e-mail without an unsubscribe link",
                );
                return deny(Reason::UnsubscribeRequired, Builtin::Unsubscribe.rule());
            }
            if !transactional && channel == Channel::Email && !tpl.has_postal_address {
                t.step(
                    Step::Registry,
                    false,
                    "commercial e-mail without a postal address",
                );
                return deny(Reason::CanspamAddressMissing, Builtin::CanSpam.rule());
            }
        }
        if transactional {
            t.step(Step::Registry, true, "transactional template");
            t.step(
                Step::Allow,
                true,
                "transactional messages continue despite marketing opt-outs",
            );
            return allow(
                Reason::Ok,
                Builtin::Transactional.rule(),
                Obligations::audit(),
            );
        }
        let (mt, purpose) = if kind == MessageKind::MarketingThirdPartyOffer {
            (
                MarketingType::ThirdPartyOffers,
                wk.marketing_third_party_offers,
            )
        } else {
            (MarketingType::FirstParty, wk.marketing_first_party)
        };
        let Some(p) = purpose else {
            t.step(Step::Registry, false, "the policy has no marketing purpose");
            return deny(Reason::NoRule, Builtin::NoPurpose.rule());
        };
        t.step(Step::Registry, true, "marketing purpose registered");
        let pi = &self.purposes[p.index()];
        let place = self.place(s);
        t.step(Step::Locks, true, "no locks on messages");
        t.step(Step::Legal, true, "not a legal request");
        t.step(Step::Jurisdiction, true, "no prohibition");
        t.step(Step::Rule, true, "marketing is a disclosed purpose");
        t.step(Step::Contract, true, "no recipient");
        t.step(Step::Transfer, true, "no transfer");
        let c = &s.choices;
        if c.objection_direct_marketing || c.objections_upheld.contains(p) {
            t.step(Step::Choices, false, "objection to direct marketing");
            return deny(Reason::Objected, Builtin::DirectMarketingObjection.rule());
        }
        let pref = c.marketing(mt, channel);
        if place.eu {
            match pref {
                Consent::Given => {}
                Consent::Withdrawn => {
                    t.step(Step::Choices, false, "consent withdrawn");
                    return deny(Reason::ConsentWithdrawn, Builtin::EuOptIn.rule());
                }
                Consent::Unset | Consent::Refused => {
                    t.step(Step::Choices, false, "EU subject has not opted in");
                    return deny(Reason::EuOptInRequired, Builtin::EuOptIn.rule());
                }
            }
        } else if matches!(channel, Channel::Sms | Channel::Phone)
            && self.settings.sms_requires_consent
        {
            match pref {
                Consent::Given => {}
                Consent::Refused | Consent::Withdrawn => {
                    t.step(Step::Choices, false, "opted out of this channel");
                    return deny(Reason::OptedOut, Builtin::Tcpa.rule());
                }
                Consent::Unset => {
                    t.step(Step::Choices, false, "no prior express written consent");
                    return deny(Reason::ConsentRequired, Builtin::Tcpa.rule());
                }
            }
        } else if pref.refused() {
            t.step(Step::Choices, false, "opted out of this channel");
            return deny(Reason::OptedOut, Builtin::Marketing.rule());
        }
        if ctx.change_of_control_prompt_pending {
            t.step(
                Step::Choices,
                false,
                "change-of-control prompt not yet delivered",
            );
            return deny(
                Reason::ChangeOfControlPromptPending,
                Builtin::ChangeOfControl.rule(),
            );
        }
        t.step(Step::Choices, true, "the subject's choices allow it");
        t.step(Step::Categories, true, "no exclusions");
        t.step(Step::Allow, true, "allowed");
        let mut o = Obligations::audit();
        if channel == Channel::Email {
            o.flags |= flags::UNSUBSCRIBE_LINK | flags::CANSPAM_IDENTIFY;
        }
        if place.eu {
            o.flags |= flags::RIGHT_TO_OBJECT_NOTICE;
        }
        allow(Reason::Ok, pi.rule, o)
    }

    /// DEC-05 `can_set_tracker`: may this tracker be set or read on this device?
    #[must_use]
    pub fn can_set_tracker(
        &self,
        s: &Subject,
        tracker: Option<TrackerId>,
        ctx: &Context,
    ) -> Decision {
        self.can_set_tracker_traced(s, tracker, ctx, &mut NoTrace)
    }

    /// `can_set_tracker` with a tracer.
    pub fn can_set_tracker_traced<T: Tracer>(
        &self,
        s: &Subject,
        tracker: Option<TrackerId>,
        ctx: &Context,
        t: &mut T,
    ) -> Decision {
        let Some(tid) = tracker else {
            t.step(Step::Registry, false, "unregistered tracker");
            return deny(Reason::NoRule, Builtin::UnknownTracker.rule());
        };
        t.step(Step::Registry, true, "tracker registered");
        let tr = &self.trackers[tid.index()];
        if tr.category == TrackerCategory::StrictlyNecessary {
            t.step(Step::Allow, true, "strictly necessary: exempt from consent");
            return allow(
                Reason::StrictlyNecessary,
                Builtin::StrictlyNecessary.rule(),
                Obligations::audit(),
            );
        }
        let place = self.place(s);
        let c = &s.choices;
        t.step(Step::Locks, true, "no locks on trackers");
        t.step(Step::Legal, true, "not a legal request");
        if tr.ccba_share
            && let Err(d) = self.minors_step(s, &place, true, false, t)
        {
            return d;
        }
        let pi = &self.purposes[tr.purpose.index()];
        t.step(Step::Rule, true, "tracker serves a disclosed purpose");
        t.step(Step::Contract, true, "no contract check for trackers");
        t.step(Step::Transfer, true, "no transfer check for trackers");
        if (pi.marketing || pi.profiling) && c.objection_direct_marketing {
            t.step(Step::Choices, false, "objection to direct marketing");
            return deny(Reason::Objected, Builtin::DirectMarketingObjection.rule());
        }
        match (place.eu, c.cookie(tr.category)) {
            (true, Consent::Given) => {}
            (true, Consent::Withdrawn) => {
                t.step(Step::Choices, false, "cookie consent withdrawn");
                return deny(Reason::ConsentWithdrawn, Builtin::CookieConsent.rule());
            }
            (true, Consent::Unset | Consent::Refused) => {
                t.step(
                    Step::Choices,
                    false,
                    "EU device without consent for this category",
                );
                return deny(Reason::ConsentRequired, Builtin::CookieConsent.rule());
            }
            (false, Consent::Refused | Consent::Withdrawn) => {
                t.step(Step::Choices, false, "opted out of this cookie category");
                return deny(Reason::OptedOut, Builtin::CookieOptOut.rule());
            }
            (false, _) => {}
        }
        let gpc = ctx.gpc_signal && self.gpc_honored(s.jurisdiction.as_ref());
        if tr.ccba_share && (c.sale_opt_out || c.share_opt_out || gpc) {
            t.step(Step::Choices, false, "opted out of sharing (DNS or GPC)");
            return deny(Reason::OptedOut, Builtin::CookieOptOut.rule());
        }
        t.step(Step::Choices, true, "the device's choices allow it");
        t.step(Step::Categories, true, "no exclusions");
        t.step(Step::Allow, true, "allowed");
        allow(Reason::Ok, tr.rule, Obligations::audit())
    }

    /// DEC-01 `can_collect`: may this category be collected from this source?
    /// `partner` names the integration or enrichment partner, if any.
    #[must_use]
    pub fn can_collect(
        &self,
        s: &Subject,
        cat: Option<CategoryId>,
        source: Option<SourceId>,
        partner: Option<RecipientId>,
        ctx: &Context,
    ) -> Decision {
        self.can_collect_traced(s, cat, source, partner, ctx, &mut NoTrace)
    }

    /// `can_collect` with a tracer.
    pub fn can_collect_traced<T: Tracer>(
        &self,
        s: &Subject,
        cat: Option<CategoryId>,
        source: Option<SourceId>,
        partner: Option<RecipientId>,
        ctx: &Context,
        t: &mut T,
    ) -> Decision {
        let Some(cat) = cat else {
            t.step(Step::Registry, false, "unregistered category");
            return deny(
                Reason::UnregisteredCategory,
                Builtin::UnregisteredCategory.rule(),
            );
        };
        let Some(src) = source else {
            t.step(Step::Registry, false, "unknown source");
            return deny(Reason::NoRule, Builtin::UnknownSource.rule());
        };
        let ci = &self.categories[cat.index()];
        if !ci.disclosed {
            t.step(
                Step::Registry,
                false,
                "category not disclosed by this policy version",
            );
            return deny(Reason::NotDisclosed, Builtin::NotDisclosed.rule());
        }
        let si = &self.sources[src.index()];
        if !si.categories.contains(cat) {
            t.step(
                Step::Registry,
                false,
                "this source may not provide this category",
            );
            return deny_cat(Reason::NoRule, Builtin::UnknownSource.rule(), Some(cat));
        }
        t.step(Step::Registry, true, "category and source registered");
        // Data from a locked source carries the lock: a collection from it may declare only
        // the purposes the lock allows.
        let mut source_locked = false;
        for (i, lock) in self.locks.iter().enumerate() {
            if !lock.on_use || !lock.sources.contains(src) {
                continue;
            }
            source_locked = true;
            if ctx
                .declared_purposes
                .iter()
                .any(|d| !lock.purposes.contains(d))
            {
                t.step(
                    Step::Locks,
                    false,
                    "a declared purpose breaks a lock on this source",
                );
                let mut d = deny(Reason::PurposeLock, lock.rule);
                // INVARIANT: fewer than MAX_SET locks are compiled, so the index fits.
                d.detail = if lock.own_code {
                    Detail::Category(cat)
                } else {
                    Detail::Lock(LockId(i as u16))
                };
                return d;
            }
        }
        t.step(
            Step::Locks,
            true,
            if source_locked {
                "the declared purposes keep the locks of this source"
            } else {
                "no locks on collection"
            },
        );
        t.step(Step::Legal, true, "not a legal request");
        let place = self.place(s);
        // COLL-07: a known minor's data is not collected for sale or sharing
        // without the affirmative authorization (CCPA-18); GDPR-11 for consent.
        let (sale_or_share, consent_based) =
            ctx.declared_purposes
                .iter()
                .fold((false, false), |(ss, cb), d| {
                    let pi = &self.purposes[d.index()];
                    (
                        ss || pi.sale || pi.share,
                        cb || pi.consent[0] == ConsentModel::OptIn,
                    )
                });
        if let Err(d) = self.minors_step(s, &place, sale_or_share, consent_based, t) {
            return d;
        }
        for d in ctx.declared_purposes.iter() {
            let allowed_by_source = si.purposes.is_empty() || si.purposes.contains(d);
            if !self.purposes[d.index()].categories.contains(cat) || !allowed_by_source {
                t.step(
                    Step::Rule,
                    false,
                    "a declared purpose is not allowed for this category or source",
                );
                return deny_cat(
                    Reason::PurposeNotAllowed,
                    Builtin::CollectPurpose.rule(),
                    Some(cat),
                );
            }
        }
        t.step(Step::Rule, true, "declared purposes are allowed");
        t.step(Step::Contract, true, "no contract check at collection");
        t.step(Step::Transfer, true, "no transfer at collection");
        if let Err(d) = self.agreements_step(
            Some(src),
            &ctx.declared_purposes,
            None,
            ctx,
            Step::Choices,
            t,
        ) {
            return d;
        }
        let mut o = Obligations::audit();
        o.flags |= flags::RECORD_COLLECTION;
        match si.kind {
            SourceKind::Integration => {
                let linked = partner.is_some_and(|p| s.choices.recipient_consent.contains(p));
                if !linked {
                    let withdrawn =
                        partner.is_some_and(|p| s.choices.recipient_withdrawn.contains(p));
                    t.step(
                        Step::Choices,
                        false,
                        "no active integration link with consent",
                    );
                    return deny(
                        if withdrawn {
                            Reason::ConsentWithdrawn
                        } else {
                            Reason::ConsentRequired
                        },
                        Builtin::Integration.rule(),
                    );
                }
                if place.eu {
                    o.flags |= flags::ART14_NOTICE;
                }
            }
            SourceKind::Device => {
                if !s.choices.location_services {
                    t.step(Step::Choices, false, "location services are off");
                    return deny(Reason::NotEnabled, Builtin::Location.rule());
                }
            }
            SourceKind::Automatic => {
                // SRC-06, COOKIE-11: collection through a tracker is gated by that
                // tracker's decision. Its own path is not spliced into this one, so
                // the explained path keeps the DEC-00 order.
                if let Some(tr) = ctx.tracker {
                    let d = self.can_set_tracker(s, Some(tr), ctx);
                    if !d.allow {
                        t.step(Step::Choices, false, "the tracker this collection comes through is not allowed on this device");
                        return d;
                    }
                }
            }
            SourceKind::Customer => {
                // An agreement of the policy gating this source was accepted (the step above
                // refuses otherwise), or a stateless caller asserts the undertaking.
                let by_agreement = self.agreements.iter().any(|a| a.sources.contains(src));
                if !ctx.customer_undertaking && !by_agreement {
                    t.step(Step::Choices, false, "no customer undertaking");
                    return deny(
                        Reason::CustomerUndertakingRequired,
                        Builtin::Undertaking.rule(),
                    );
                }
            }
            SourceKind::Commercial | SourceKind::Enrichment | SourceKind::Partner => {
                if place.eu {
                    o.flags |= flags::ART14_NOTICE;
                }
            }
            SourceKind::Direct | SourceKind::Staff => {}
        }
        if ci.pseudonymize {
            o.flags |= flags::PSEUDONYMIZE;
        }
        t.step(
            Step::Choices,
            true,
            "the subject's settings allow collection",
        );
        t.step(Step::Categories, true, "no exclusions");
        t.step(Step::Allow, true, "allowed");
        allow(Reason::Ok, si.rule, o)
    }

    /// DEC-07 `admin_authorize`: may this actor act on this account's data?
    #[must_use]
    pub fn admin_authorize(
        &self,
        actor: &Actor,
        action: AdminAction,
        cat: Option<CategoryId>,
        now: Timestamp,
    ) -> Decision {
        self.admin_authorize_traced(actor, action, cat, now, &mut NoTrace)
    }

    /// `admin_authorize` with a tracer.
    pub fn admin_authorize_traced<T: Tracer>(
        &self,
        actor: &Actor,
        action: AdminAction,
        cat: Option<CategoryId>,
        now: Timestamp,
        t: &mut T,
    ) -> Decision {
        let rule = Builtin::Admin.rule();
        let Some(cat) = cat else {
            t.step(Step::Registry, false, "unregistered category");
            return deny(
                Reason::UnregisteredCategory,
                Builtin::UnregisteredCategory.rule(),
            );
        };
        t.step(Step::Registry, true, "category registered");
        if matches!(
            action,
            AdminAction::ChangeChoices | AdminAction::SubmitRequest
        ) {
            return if actor.is_owner || actor.is_agent {
                t.step(
                    Step::Allow,
                    true,
                    "the subject or an authorized agent acts on the subject's choices",
                );
                allow(
                    Reason::Ok,
                    Builtin::AdminChoices.rule(),
                    Obligations::audit(),
                )
            } else {
                t.step(
                    Step::Rule,
                    false,
                    "only the subject or an authorized agent may change choices or submit requests",
                );
                deny(Reason::NotSubjectOrAgent, Builtin::AdminChoices.rule())
            };
        }
        if actor.is_owner {
            t.step(Step::Allow, true, "the account owner");
            return allow(Reason::Ok, rule, Obligations::audit());
        }
        if let Some(role) = actor.role {
            let ri = &self.roles[role.index()];
            return if action == AdminAction::View && ri.categories.contains(cat) {
                t.step(Step::Allow, true, "the staff role may read this category");
                allow(Reason::Ok, ri.rule, Obligations::audit())
            } else {
                t.step(
                    Step::Rule,
                    false,
                    "the staff role may not do this with this category",
                );
                deny_cat(Reason::NotAuthorized, Builtin::StaffRole.rule(), Some(cat))
            };
        }
        let Some(g) = actor.grant else {
            t.step(Step::Rule, false, "no administrator grant");
            return deny(Reason::NotAuthorized, rule);
        };
        if g.revoked_at.is_some_and(|r| now >= r) {
            t.step(Step::Rule, false, "the administrator grant was revoked");
            return deny(Reason::NotAuthorized, rule);
        }
        let ok = match action {
            AdminAction::View => g.view,
            AdminAction::Change => g.change,
            AdminAction::Delete => g.delete,
            AdminAction::ChangeChoices | AdminAction::SubmitRequest => false,
        };
        if ok {
            t.step(Step::Allow, true, "the grant covers this action");
            allow(Reason::Ok, rule, Obligations::audit())
        } else {
            t.step(Step::Rule, false, "the grant does not cover this action");
            deny(Reason::NotAuthorized, rule)
        }
    }
}
