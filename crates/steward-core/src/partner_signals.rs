//! The signals partners read, from each subject's or device's effective choices (Part D):
//! the IAB GPP string (state approach: `usca` for California, `usnat` for other US states,
//! nothing US-specific elsewhere), the applicable section ids, the legacy US Privacy string,
//! and whether Global Privacy Control applies — computed by `steward-signals` from the
//! engine's fold of the choices ledger, so an opt-out changes them at once.
//!
//! When an opt-out of sale or sharing is recorded (a Do Not Sell request, a GPC signal) for
//! a subject whose data was disclosed to a recipient flagged as sale, share or
//! cross-context advertising in the policy (the disclosure register, AUD-03), a
//! notification is queued for each such recipient, due within 15 business days
//! (ADTECH-03, CCPA-13). Queuing is idempotent per recorded choice and recipient. A GPC
//! signal recorded for the first time ([`Steward::record_gpc_notifying`]) queues them like a
//! Do Not Sell form. Delivery — signed webhooks to each partner's registered endpoint,
//! retries, dead letters, the partner's acknowledgement — is done by the request workflow
//! (`steward_requests::Requests::deliver_due`, module `webhooks`); the subject is named to a
//! partner by [`Steward::partner_reference`], a pseudonym of its own.

use std::collections::BTreeSet;
use steward_errors::ErrorCode;

use steward_policy::facts::MinorAuthorization;
use steward_policy::{Engine, Subject, SubjectKind};
use steward_signals::{
    Gpc, GppConfig, GppEngineState, GppRegion, KnownAge, UspState, gpp_sid, gpp_string, usp_string,
};
use steward_store::ids::{ChoiceId, SubjectId};
use steward_store::model::audit::{AuditKind, EventRef};
use steward_store::model::choice::Party;
use steward_store::model::event::{NotificationId, NotificationKind, PartnerNotification};
use steward_store::model::subject::IdentityKind;
use steward_store::values::{FieldName, RecipientKey};

use crate::choices::{ChoiceInput, ChoiceParty};
use crate::error::CoreError;
use crate::{Caller, Steward};

/// How the controller signals to partners (GPP-07 defaults; USP-03).
#[derive(Debug, Clone, Copy, Default)]
pub struct SignalConfig {
    /// The GPP section fields and approach.
    pub gpp: GppConfig,
    /// The controller signed the IAB LSPA (4th US Privacy character).
    pub lspa_signatory: bool,
}

/// The signals for one subject or device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartnerSignals {
    /// The GPP string (e.g. `DBABBg~BUUAAACA.YA`).
    pub gpp: String,
    /// The applicable GPP sections (`[8]` for California under the state approach).
    pub gpp_sid: Vec<u16>,
    /// The US Privacy string (e.g. `1YYN`; `1---` where CCPA does not apply). Deprecated:
    /// send it only to partners flagged `legacy_usp` (USP-05).
    pub us_privacy: String,
    /// GPC applies (a signal now or one seen before, GPC-03).
    pub gpc: bool,
    /// Effective opt-out of sale.
    pub sale_opt_out: bool,
    /// Effective opt-out of sharing.
    pub share_opt_out: bool,
    /// `california`, `other_us_state` or `outside_us`.
    pub region: GppRegion,
}

fn known_age(age: Option<u8>) -> KnownAge {
    match age {
        None => KnownAge::Unknown,
        Some(a) if a < 13 => KnownAge::Under13,
        Some(a) if a < 16 => KnownAge::From13To15,
        Some(_) => KnownAge::From16,
    }
}

/// The signals of a subject as the engine sees it (pure). `gpc_now`: this request carries
/// `Sec-GPC: 1`.
///
/// # Errors
/// `Invalid(BAD_SIGNAL_CONFIG)` when the GPP configuration cannot encode (a configuration bug).
pub fn signals_for(
    engine: &Engine,
    subject: &Subject,
    gpc_now: bool,
    cfg: &SignalConfig,
) -> Result<PartnerSignals, CoreError> {
    let c = &subject.choices;
    let j = subject.jurisdiction;
    let gpc = gpc_now || c.gpc;
    let honored = gpc && engine.gpc_honored(j.as_ref());
    let sale = c.sale_opt_out || honored;
    let share = c.share_opt_out || honored;
    let region = match j {
        Some(j) if j.is_california() => GppRegion::California,
        Some(j) if j.is_us() => GppRegion::OtherUsState,
        _ => GppRegion::OutsideUs,
    };
    let age = known_age(subject.age);
    let minor_authorized = match c.minor_authorization {
        MinorAuthorization::Parent => true,
        MinorAuthorization::SelfTwoStep => age == KnownAge::From13To15,
        MinorAuthorization::None | MinorAuthorization::Declined => false,
    };
    let state = GppEngineState {
        sale_opt_out: sale,
        share_opt_out: share,
        gpc: if gpc { Gpc::On } else { Gpc::Absent },
        known_age: age,
        minor_authorized,
    };
    let gpp = gpp_string(&state, region, &cfg.gpp)
        .map_err(|e| CoreError::invalid(ErrorCode::BadSignalConfig, e.to_string()))?;
    let minor_forced = matches!(age, KnownAge::Under13 | KnownAge::From13To15) && !minor_authorized;
    let usp = usp_string(&UspState {
        ccpa_applies: region == GppRegion::California,
        notice_given: Some(true),
        sale_or_share_opted_out: sale || share || minor_forced,
        lspa_signatory: Some(cfg.lspa_signatory),
    });
    Ok(PartnerSignals {
        gpp,
        gpp_sid: gpp_sid(region, cfg.gpp.approach)
            .iter()
            .map(|s| s.get())
            .collect(),
        us_privacy: usp,
        gpc,
        sale_opt_out: sale || minor_forced,
        share_opt_out: share || minor_forced,
        region,
    })
}

/// Choice keys that opt out of sale or sharing.
const OPT_OUT_KEYS: [&str; 3] = ["sale_opt_out", "share_opt_out", "gpc"];

impl Steward {
    /// The current signals of a stored subject (its ledger and its devices' ledgers).
    ///
    /// # Errors
    /// `NotFound`, `Invalid(BAD_SIGNAL_CONFIG)`.
    pub async fn signals_for_subject(
        &self,
        subject: SubjectId,
        gpc_now: bool,
        cfg: &SignalConfig,
    ) -> Result<PartnerSignals, CoreError> {
        let (r, _) = self.effective_choices(subject).await?;
        signals_for(&self.engine(), &r.subject, gpc_now, cfg)
    }

    /// The current signals of a browser or device: the ledger of the subject it is linked to
    /// (if any) or its own, at the given jurisdiction (DM-04: the caller's geolocation).
    ///
    /// # Errors
    /// `Invalid` (bad id or jurisdiction), store failures.
    pub async fn signals_for_device(
        &self,
        kind: IdentityKind,
        id: &str,
        jurisdiction: Option<&str>,
        gpc_now: bool,
        cfg: &SignalConfig,
    ) -> Result<PartnerSignals, CoreError> {
        let r = self.identity_ref(kind, id)?;
        if let Some(link) = self.store.find_by_identity(&r).await?.first()
            && let Ok(s) = self.signals_for_subject(link.subject, gpc_now, cfg).await
        {
            return Ok(s);
        }
        let engine = self.engine();
        let j = match jurisdiction {
            Some(j) => Some(
                j.parse::<steward_policy::Jurisdiction>()
                    .map_err(|e| CoreError::invalid(ErrorCode::BadJurisdiction, e.to_string()))?,
            ),
            None => None,
        };
        let ledger = self.store.list_choices(&[Party::Identity(r)]).await?;
        let mut subject = Subject::new(SubjectKind::Visitor, j);
        subject.choices = steward_policy::choices::fold(
            &engine,
            j.as_ref(),
            &crate::facts::to_policy_entries(&engine, &ledger),
            self.clock.now(),
        )
        .choices;
        signals_for(&engine, &subject, gpc_now, cfg)
    }

    /// The subject's pseudonymous reference for one partner: 64 hex characters of
    /// HMAC-SHA256 under a key derived from the vault, over the recipient id and the subject
    /// id. Stable for a subject and partner, different for each partner, so partners cannot
    /// join their references, and it reveals no identity.
    ///
    /// # Errors
    /// `Invalid` if the key cannot be derived.
    pub fn partner_reference(
        &self,
        subject: SubjectId,
        recipient: &str,
    ) -> Result<String, CoreError> {
        let secret = self.derived_secret("partner-subject-reference")?;
        let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, secret.expose());
        let mut ctx = ring::hmac::Context::with_key(&key);
        ctx.update(recipient.as_bytes());
        ctx.update(&[0]);
        ctx.update(subject.as_uuid().as_bytes());
        Ok(ctx
            .sign()
            .as_ref()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect())
    }

    /// Records a `Sec-GPC: 1` signal as [`record_gpc`](Self::record_gpc) does (an opt-out of
    /// sale and sharing, the first time only, GPC-03, GPC-10) and, when it was recorded now, queues
    /// the partner notifications it owes like a Do Not Sell request (GPC-11, CCPA-13): for the
    /// subject, or for every subject a device is linked to. Returns the ledger entry written
    /// (`None` when the signal was already on record) and the notifications queued.
    ///
    /// # Errors
    /// As `record_choices`; store and audit failures while queuing.
    pub async fn record_gpc_notifying(
        &self,
        caller: &Caller,
        party: ChoiceParty,
    ) -> Result<(Option<ChoiceId>, Vec<PartnerNotification>), CoreError> {
        if let ChoiceParty::Subject(s) = &party {
            let r = self.resolve(*s, self.clock.now()).await?;
            if r.subject.choices.gpc {
                return Ok((None, Vec::new()));
            }
        }
        if let ChoiceParty::Device { kind, id } = &party {
            let r = self.identity_ref(*kind, id.expose())?;
            let ledger = self.store.list_choices(&[Party::Identity(r)]).await?;
            if ledger.iter().any(|e| e.key.as_str() == "gpc" && e.value) {
                return Ok((None, Vec::new()));
            }
        }
        let (ids, queued) = self
            .record_choices_notifying(
                caller,
                vec![ChoiceInput {
                    party,
                    key: "gpc".into(),
                    value: true,
                    source: "gpc".into(),
                    notice_sha256: None,
                    channel: Some("gpc".into()),
                }],
            )
            .await?;
        Ok((ids.first().copied(), queued))
    }

    /// Record choices (as [`record_choices`](Self::record_choices)) and queue the partner
    /// notifications an opt-out of sale or sharing owes (see the module docs). This is the
    /// entry point the choice routes use.
    ///
    /// # Errors
    /// As `record_choices`; store and audit failures while queuing.
    pub async fn record_choices_notifying(
        &self,
        caller: &Caller,
        inputs: Vec<ChoiceInput>,
    ) -> Result<(Vec<ChoiceId>, Vec<PartnerNotification>), CoreError> {
        let ids = self.record_choices(caller, inputs.clone()).await?;
        let mut queued = Vec::new();
        for (input, id) in inputs.iter().zip(&ids) {
            if !input.value || !OPT_OUT_KEYS.contains(&input.key.as_str()) {
                continue;
            }
            let subjects: Vec<SubjectId> = match &input.party {
                ChoiceParty::Subject(s) => vec![*s],
                ChoiceParty::Device { kind, id } => {
                    let r = self.identity_ref(*kind, id.expose())?;
                    self.store
                        .find_by_identity(&r)
                        .await?
                        .into_iter()
                        .map(|l| l.subject)
                        .collect()
                }
            };
            for s in subjects {
                queued.extend(self.notify_opt_out(caller, s, *id).await?);
            }
        }
        Ok((ids, queued))
    }

    /// Queue an opt-out notification for every sale/share/advertising recipient that received
    /// the subject's data (ADTECH-03, CCPA-13), due within 15 business days of now, unless
    /// the recipient is still owed an unacknowledged one for this subject. `trigger` is the
    /// ledger entry of the opt-out; queuing again for it adds nothing. Returns the
    /// notifications queued now.
    ///
    /// # Errors
    /// Store and audit failures.
    pub async fn notify_opt_out(
        &self,
        caller: &Caller,
        subject: SubjectId,
        trigger: ChoiceId,
    ) -> Result<Vec<PartnerNotification>, CoreError> {
        let engine = self.engine();
        let now = self.clock.now();
        let mut recipients: BTreeSet<String> = BTreeSet::new();
        for d in self.disclosures_of(subject, 10_000).await? {
            let r = d.recipient.as_str();
            let info = engine.recipient(r).map(|id| engine.recipient_info(id));
            if info.is_some_and(|i| i.sale || i.share || i.ccba) {
                recipients.insert(r.to_string());
            }
        }
        if recipients.is_empty() {
            return Ok(Vec::new());
        }
        // A partner still owed an unacknowledged notification for this subject is not sent a
        // second one (a GPC signal and a Do Not Sell form in one call are one opt-out to
        // forward; the body carries the subject's signals as they are when it is sent).
        let existing = self.store.notifications_of(subject).await?;
        recipients.retain(|r| {
            !existing
                .iter()
                .any(|n| n.acked_at.is_none() && n.recipient.as_str() == r)
        });
        if recipients.is_empty() {
            return Ok(Vec::new());
        }
        let due = steward_deadlines::clocks::ccpa_opt_out_propagate_by(now, &self.calendar())
            .map_err(|e| CoreError::invalid(ErrorCode::BadDeadline, e.to_string()))?
            .at();
        let tasks: Vec<PartnerNotification> = recipients
            .iter()
            .filter_map(|r| {
                Some(PartnerNotification {
                    id: NotificationId::generate(),
                    subject,
                    recipient: RecipientKey::new(r.clone()).ok()?,
                    kind: NotificationKind::OptOutForward,
                    trigger,
                    created_at: now,
                    due_at: due,
                    sent_at: None,
                    acked_at: None,
                    attempts: 0,
                })
            })
            .collect();
        let before: BTreeSet<_> = existing.into_iter().map(|n| n.id).collect();
        let new = self.store.enqueue_notifications(&tasks).await?;
        if new == 0 {
            return Ok(Vec::new());
        }
        let queued: Vec<PartnerNotification> = self
            .store
            .notifications_of(subject)
            .await?
            .into_iter()
            .filter(|n| !before.contains(&n.id) && n.trigger == trigger)
            .collect();
        let mut events = Vec::new();
        for n in &queued {
            let mut e = self.event(AuditKind::Write, "partner.notify_queued", caller);
            e.subject = Some(subject);
            e.recipient = Some(n.recipient.clone());
            if let Ok(name) = FieldName::new("choice") {
                e.refs.push(EventRef {
                    name,
                    id: trigger.as_uuid(),
                });
            }
            events.push(e);
        }
        self.audit.append(events).await?;
        Ok(queued)
    }
}
