//! The decision JSON shared by the CLI and the HTTP API: requests (the
//! subject's facts, the operation and its arguments) and responses.
//!
//! Decoding resolves names against the engine. Unknown names in the main
//! arguments (category, purpose, recipient, source, tracker) are *not*
//! decode errors: they reach the engine as unknown and fail closed with
//! `NO_RULE` / `UNREGISTERED_CATEGORY`. Anything else malformed is a
//! [`WireError`]. Documented in `docs/decisions.md`; the JSON Schemas are
//! generated from these types (`steward policy schema`).

use crate::choices::{self, ChoiceChannel, ChoiceKey, ChoiceSource, Entry, Provenance};
use crate::decide::{Actor, AdminAction, Grant, MessageKind};
use crate::decision::{Decision, Detail, Trace, flags};
use crate::engine::Engine;
use crate::facts::{
    Channel, Choices, Consent, Context, Jurisdiction, LegalBasisKind, LegalRequest, MarketingType,
    MinorAuthorization, PolicyChange, Subject, SubjectKind, Template, TrackerCategory,
};
use crate::ids::{CategorySet, PurposeSet, RecipientSet};
use jiff::Timestamp;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use steward_errors::ErrorCode;

/// A request that cannot be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct WireError {
    /// Stable code: `BAD_JSON`, `BAD_FIELD`, `MISSING_FIELD`, `UNKNOWN_NAME`.
    pub code: ErrorCode,
    /// What is wrong.
    pub message: String,
}

fn bad(code: ErrorCode, message: String) -> WireError {
    WireError { code, message }
}

/// The operations of §0.4 the engine answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    /// DEC-01.
    CanCollect,
    /// DEC-02.
    CanUse,
    /// DEC-03.
    CanDisclose,
    /// DEC-04.
    CanSend,
    /// DEC-05.
    CanSetTracker,
    /// DEC-06.
    EffectiveChoices,
    /// DEC-07.
    AdminAuthorize,
}

impl Op {
    /// Wire name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Op::CanCollect => "can_collect",
            Op::CanUse => "can_use",
            Op::CanDisclose => "can_disclose",
            Op::CanSend => "can_send",
            Op::CanSetTracker => "can_set_tracker",
            Op::EffectiveChoices => "effective_choices",
            Op::AdminAuthorize => "admin_authorize",
        }
    }
}

/// One decision request.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Request {
    /// Caller's correlation id, echoed in the response.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The operation.
    pub op: Option<Op>,
    /// The subject (or device) the question is about.
    #[serde(default)]
    pub subject: SubjectFacts,
    /// When, and what else is known.
    #[serde(default)]
    pub context: ContextFacts,
    /// `can_collect`, `can_use`, `admin_authorize`: the category.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// `can_disclose`: the categories to disclose.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<String>,
    /// `can_use`, `can_disclose`: the purpose.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purpose: Option<String>,
    /// `can_disclose`: the recipient.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipient: Option<String>,
    /// `can_collect`: the source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// `can_collect`: the integration or enrichment partner.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partner: Option<String>,
    /// `can_set_tracker`: the tracker.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tracker: Option<String>,
    /// `can_send`: `transactional`, `policy_change`, `support_followup`, `marketing_first_party`, `marketing_third_party_offer`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_kind: Option<String>,
    /// `can_send`: `email`, `sms`, `phone`, `postal`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    /// `admin_authorize`: who acts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<ActorFacts>,
    /// `admin_authorize`: `view`, `change`, `delete`, `change_choices`, `submit_request`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
}

/// The subject's facts.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SubjectFacts {
    /// A subject stored in Steward (HTTP API): its kind, jurisdiction, age and
    /// choices ledger are loaded from the store and the other fields here are
    /// not allowed. The pure engine (CLI) ignores it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Subject kind (§0.2); defaults to `customer_account_holder`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Resolved jurisdiction (`US-CA`, `DE`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jurisdiction: Option<String>,
    /// EU protection flag (EU-01), sticky.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eu_protected: Option<bool>,
    /// Known age.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age: Option<u8>,
    /// Effective choices as values (applied after the ledger fold).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub choices: Option<ChoiceFacts>,
    /// Choice ledger entries, folded at `context.now`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ledger: Vec<LedgerEntry>,
}

/// A choices-ledger entry.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LedgerEntry {
    /// Choice key, e.g. `sale_opt_out`, `marketing:first_party:email`, `consent:recipient:TP_Y`.
    pub key: String,
    /// Value.
    pub value: bool,
    /// `user`, `gpc`, `admin`, `default`, `import`, `agent`, `parent`, `support`.
    #[serde(default = "user_source")]
    pub source: String,
    /// RFC 3339 time.
    pub at: String,
    /// How it arrived: `registration_checkbox`, `email_link`, `web_form`, `support_contact`,
    /// `privacy_email`, `gpc`, `sms_stop`, `change_of_control_prompt`, `privacy_center`, `api`.
    /// Recorded in provenance; every channel has the same effect (MP-04).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
}

fn user_source() -> String {
    "user".into()
}

/// Effective choices given as values.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ChoiceFacts {
    /// Opt-out of sale.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sale_opt_out: Option<bool>,
    /// Opt-out of sharing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share_opt_out: Option<bool>,
    /// Opt-out of third-party sharing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub third_party_sharing_opt_out: Option<bool>,
    /// Nevada no-sale.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nv_no_sale: Option<bool>,
    /// Limit SPI.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit_spi: Option<bool>,
    /// GPC seen before (persisted).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gpc: Option<bool>,
    /// Objection to direct marketing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub objection_direct_marketing: Option<bool>,
    /// Location services enabled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location_services: Option<bool>,
    /// Marketing: type (`first_party`, `third_party_offers`) → channel → `given`/`refused`/`withdrawn`/`unset`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub marketing: BTreeMap<String, BTreeMap<String, String>>,
    /// EU opt-in to third-party sharing: `given`/`refused`/`withdrawn`/`unset`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eu_third_party_sharing: Option<String>,
    /// Cookie consent per tracker category.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub cookies: BTreeMap<String, String>,
    /// Purposes with a pending Art. 21(1) objection.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub objections_pending: Vec<String>,
    /// Purposes with an upheld objection.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub objections_upheld: Vec<String>,
    /// Recipients consented to (or linked).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recipient_consent: Vec<String>,
    /// Recipients whose consent or link was withdrawn.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recipient_withdrawn: Vec<String>,
    /// `none`, `self`, `parent`, `declined`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minor_authorization: Option<String>,
    /// Purposes consented to individually.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub purpose_consent: Vec<String>,
    /// Purposes whose individual consent was withdrawn (or opted out of).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub purpose_withdrawn: Vec<String>,
}

/// A legal request as facts.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LegalRequestFacts {
    /// `required_by_law` or `permitted_by_law`.
    pub basis: String,
    /// Reviewed in good faith by counsel (LEGALREQ-02).
    #[serde(default)]
    pub reviewed: bool,
    /// Categories in scope.
    #[serde(default)]
    pub scope: Vec<String>,
    /// Non-disclosure order.
    #[serde(default)]
    pub gag_order: bool,
}

/// A message template as facts.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TemplateFacts {
    /// Has an unsubscribe link.
    #[serde(default)]
    pub has_unsubscribe: bool,
    /// Has the postal address.
    #[serde(default)]
    pub has_postal_address: bool,
    /// Has promotional content.
    #[serde(default)]
    pub has_promo: bool,
}

/// What policy versions later than the one the data was collected under changed for it
/// (CHG-03), for stateless callers. For a stored subject with `collected_under`, the service
/// computes it from its recorded versions and notices instead.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PolicyChangeFacts {
    /// Purposes added or materially widened since collection.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub purposes: Vec<String>,
    /// Of them, those whose change needs fresh consent from EU subjects.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub consent: Vec<String>,
    /// Recipients added or materially widened since collection.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recipients: Vec<String>,
    /// The subject has been notified of every version that made those changes (CHG-04).
    #[serde(default, skip_serializing_if = "is_false")]
    pub notified: bool,
}

/// The request context.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ContextFacts {
    /// Decision time, RFC 3339. Required.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub now: Option<String>,
    /// `Sec-GPC: 1` on this request.
    #[serde(default, skip_serializing_if = "is_false")]
    pub gpc: bool,
    /// Legal request record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_request: Option<LegalRequestFacts>,
    /// The id of a legal request of the service's register, whose stored facts decide instead
    /// of `legal_request` (LEGALREQ-01). Read by the service, not by the engine.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_request_id: Option<String>,
    /// Justification / protection case recorded.
    #[serde(default, skip_serializing_if = "is_false")]
    pub justification: bool,
    /// The account holder selected this carrier (the request's recipient) for the shipment
    /// (CARRIER-01), for stateless callers. For a stored subject or a named `account` the
    /// store's carrier selections decide instead.
    #[serde(default, skip_serializing_if = "is_false")]
    pub carrier_selected: bool,
    /// Business-transfer event covers the subject.
    #[serde(default, skip_serializing_if = "is_false")]
    pub business_transfer: bool,
    /// Change-of-control prompt not yet delivered.
    #[serde(default, skip_serializing_if = "is_false")]
    pub change_of_control_prompt_pending: bool,
    /// Message tied to a support ticket.
    #[serde(default, skip_serializing_if = "is_false")]
    pub ticket: bool,
    /// Customer undertaking recorded.
    #[serde(default, skip_serializing_if = "is_false")]
    pub customer_undertaking: bool,
    /// Agreements of the policy the account accepted (`[[agreement]]` ids, or `id@version`:
    /// a version the policy no longer honours does not count), for stateless callers. For a stored subject the store's
    /// acceptance records decide instead (CUST-01, USPSPA-01, CARRIER-02).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub agreements: Vec<String>,
    /// The account the request acts for (its id), so that its recorded agreements apply to a
    /// stored subject it is not a member of (a Customer's ship-to recipients). Read by the
    /// service, not by the engine.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    /// The categories the subject has provided (USPS-07: a `[[required_data]]` entry refuses
    /// its purposes without them), for stateless callers. For a stored subject the categories
    /// it has items of decide instead.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub provided_categories: Vec<String>,
    /// Restricted categories (GDPR-17).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub restricted: Vec<String>,
    /// Categories retained under an exception (CCPA-10).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub retained: Vec<String>,
    /// Purposes retained data may serve.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub retained_purposes: Vec<String>,
    /// Item retention deadline, RFC 3339.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retain_until: Option<String>,
    /// Categories the data was derived from (lock inheritance).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub derived_from: Vec<String>,
    /// Sources the data was collected from (their locks apply).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
    /// Purposes declared at collection.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub declared_purposes: Vec<String>,
    /// Tracker of an automatic collection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tracker: Option<String>,
    /// Template of a message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template: Option<TemplateFacts>,
    /// Allow the permitted subset of a disclosure and redact the rest.
    #[serde(default, skip_serializing_if = "is_false")]
    pub project: bool,
    /// The policy version in force when the data was collected (CHG-02, SCOPE-06). For a
    /// stored subject the service turns it into `policy_change` from its recorded versions
    /// and the notices the subject was sent. Read by the service, not by the engine.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collected_under: Option<String>,
    /// What later policy versions changed for the data (CHG-03).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy_change: Option<PolicyChangeFacts>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// An actor for `admin_authorize`.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ActorFacts {
    /// The actor owns the account (or is the subject).
    #[serde(default)]
    pub is_owner: bool,
    /// An authorized agent with permission.
    #[serde(default)]
    pub is_agent: bool,
    /// Grant permissions: any of `view_pi`, `change_pi`, `delete_pi`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grant: Option<Vec<String>>,
    /// Grant revocation time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked_at: Option<String>,
    /// Staff role.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
}

/// A decoded request, ready for the engine.
#[derive(Debug, Clone)]
pub struct Decoded {
    /// Correlation id.
    pub id: Option<String>,
    /// Operation.
    pub op: Op,
    /// Subject facts.
    pub subject: Subject,
    /// Context.
    pub context: Context,
    /// The fold result, when a ledger was given.
    pub effective: Option<choices::Effective>,
    args: Args,
}

impl Decoded {
    /// The recipient a disclosure names (known to the policy), if any.
    #[must_use]
    pub fn recipient(&self) -> Option<crate::ids::RecipientId> {
        match &self.args {
            Args::Disclose { recipient, .. } => *recipient,
            _ => None,
        }
    }

    /// The purpose a use or disclosure names (known to the policy), if any.
    #[must_use]
    pub fn purpose(&self) -> Option<crate::ids::PurposeId> {
        match &self.args {
            Args::Use { purpose, .. } | Args::Disclose { purpose, .. } => *purpose,
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
enum Args {
    Collect {
        cat: Option<crate::ids::CategoryId>,
        source: Option<crate::ids::SourceId>,
        partner: Option<crate::ids::RecipientId>,
    },
    Use {
        cat: Option<crate::ids::CategoryId>,
        purpose: Option<crate::ids::PurposeId>,
    },
    Disclose {
        cats: CategorySet,
        unknown: bool,
        recipient: Option<crate::ids::RecipientId>,
        purpose: Option<crate::ids::PurposeId>,
    },
    Send {
        kind: MessageKind,
        channel: Channel,
    },
    Tracker {
        tracker: Option<crate::ids::TrackerId>,
    },
    Choices,
    Admin {
        actor: Actor,
        action: AdminAction,
        cat: Option<crate::ids::CategoryId>,
    },
}

fn ts(s: &str, field: &str) -> Result<Timestamp, WireError> {
    s.parse::<Timestamp>().map_err(|_| {
        bad(
            ErrorCode::BadField,
            format!("`{field}`: `{s}` is not an RFC 3339 time"),
        )
    })
}

fn consent(s: &str, field: &str) -> Result<Consent, WireError> {
    Ok(match s {
        "given" => Consent::Given,
        "refused" => Consent::Refused,
        "withdrawn" => Consent::Withdrawn,
        "unset" => Consent::Unset,
        other => {
            return Err(bad(
                ErrorCode::BadField,
                format!("`{field}`: `{other}` is not one of given, refused, withdrawn, unset"),
            ));
        }
    })
}

impl Engine {
    fn cat_set(&self, names: &[String], field: &str) -> Result<CategorySet, WireError> {
        let mut s = CategorySet::empty();
        for n in names {
            let c = self.category_or_group(n).ok_or_else(|| {
                bad(
                    ErrorCode::UnknownName,
                    format!("`{field}`: unknown category `{n}`"),
                )
            })?;
            s = s.union(&c);
        }
        Ok(s)
    }

    fn pur_set(&self, names: &[String], field: &str) -> Result<PurposeSet, WireError> {
        let mut s = PurposeSet::empty();
        for n in names {
            s.insert(self.purpose(n).ok_or_else(|| {
                bad(
                    ErrorCode::UnknownName,
                    format!("`{field}`: unknown purpose `{n}`"),
                )
            })?);
        }
        Ok(s)
    }

    fn rec_set(&self, names: &[String], field: &str) -> Result<RecipientSet, WireError> {
        let mut s = RecipientSet::empty();
        for n in names {
            s.insert(self.recipient(n).ok_or_else(|| {
                bad(
                    ErrorCode::UnknownName,
                    format!("`{field}`: unknown recipient `{n}`"),
                )
            })?);
        }
        Ok(s)
    }

    fn apply_choice_facts(&self, c: &mut Choices, f: &ChoiceFacts) -> Result<(), WireError> {
        let set = |dst: &mut bool, v: Option<bool>| {
            if let Some(v) = v {
                *dst = v;
            }
        };
        set(&mut c.sale_opt_out, f.sale_opt_out);
        set(&mut c.share_opt_out, f.share_opt_out);
        set(
            &mut c.third_party_sharing_opt_out,
            f.third_party_sharing_opt_out,
        );
        set(&mut c.nv_no_sale, f.nv_no_sale);
        set(&mut c.limit_spi, f.limit_spi);
        set(&mut c.gpc, f.gpc);
        set(
            &mut c.objection_direct_marketing,
            f.objection_direct_marketing,
        );
        set(&mut c.location_services, f.location_services);
        for (t, chans) in &f.marketing {
            let mt = match t.as_str() {
                "first_party" => MarketingType::FirstParty,
                "third_party_offers" => MarketingType::ThirdPartyOffers,
                other => {
                    return Err(bad(
                        ErrorCode::BadField,
                        format!("`choices.marketing`: unknown type `{other}`"),
                    ));
                }
            };
            for (ch, v) in chans {
                let ch: Channel = ch.parse().map_err(|()| {
                    bad(
                        ErrorCode::BadField,
                        format!("`choices.marketing.{t}`: unknown channel `{ch}`"),
                    )
                })?;
                c.marketing[mt as usize][ch as usize] = consent(v, "choices.marketing")?;
            }
        }
        if let Some(v) = &f.eu_third_party_sharing {
            c.eu_third_party_sharing = consent(v, "choices.eu_third_party_sharing")?;
        }
        for (k, v) in &f.cookies {
            let tc: TrackerCategory = k.parse().map_err(|()| {
                bad(
                    ErrorCode::BadField,
                    format!("`choices.cookies`: unknown tracker category `{k}`"),
                )
            })?;
            c.cookies[tc as usize] = consent(v, "choices.cookies")?;
        }
        c.objections_pending = c
            .objections_pending
            .union(&self.pur_set(&f.objections_pending, "choices.objections_pending")?);
        c.objections_upheld = c
            .objections_upheld
            .union(&self.pur_set(&f.objections_upheld, "choices.objections_upheld")?);
        c.recipient_consent = c
            .recipient_consent
            .union(&self.rec_set(&f.recipient_consent, "choices.recipient_consent")?);
        c.recipient_withdrawn = c
            .recipient_withdrawn
            .union(&self.rec_set(&f.recipient_withdrawn, "choices.recipient_withdrawn")?);
        c.purpose_consent = c
            .purpose_consent
            .union(&self.pur_set(&f.purpose_consent, "choices.purpose_consent")?);
        c.purpose_withdrawn = c
            .purpose_withdrawn
            .union(&self.pur_set(&f.purpose_withdrawn, "choices.purpose_withdrawn")?);
        if let Some(m) = &f.minor_authorization {
            c.minor_authorization = match m.as_str() {
                "none" => MinorAuthorization::None,
                "self" => MinorAuthorization::SelfTwoStep,
                "parent" => MinorAuthorization::Parent,
                "declined" => MinorAuthorization::Declined,
                other => {
                    return Err(bad(
                        ErrorCode::BadField,
                        format!(
                            "`choices.minor_authorization`: `{other}` is not none, self, parent or declined"
                        ),
                    ));
                }
            };
        }
        Ok(())
    }

    /// Decode a request into engine facts and arguments.
    ///
    /// # Errors
    /// A [`WireError`] naming the field at fault.
    pub fn decode(&self, r: &Request) -> Result<Decoded, WireError> {
        self.decode_with(r, None)
    }

    /// Decode a request whose subject the caller already resolved (e.g. the
    /// core loaded it from the store and folded its ledger). `known` replaces
    /// `r.subject` entirely; the ledger fold result is passed for provenance.
    ///
    /// # Errors
    /// A [`WireError`] naming the field at fault.
    pub fn decode_with(
        &self,
        r: &Request,
        known: Option<(Subject, Option<choices::Effective>)>,
    ) -> Result<Decoded, WireError> {
        // `op` is checked first, as it always was (a request missing both names `op`).
        r.op.ok_or_else(|| bad(ErrorCode::MissingField, "`op` is required".into()))?;
        let now = ts(
            r.context.now.as_deref().ok_or_else(|| {
                bad(
                    ErrorCode::MissingField,
                    "`context.now` is required (the engine has no clock)".into(),
                )
            })?,
            "context.now",
        )?;
        self.decode_at(r, known, now)
    }

    /// [`decode_with`](Self::decode_with) at a time the caller supplies (a service with a
    /// clock), which takes the place of `context.now`: the same result as setting
    /// `context.now` to `now`, without formatting and parsing the time for every request of
    /// a batch.
    ///
    /// # Errors
    /// A [`WireError`] naming the field at fault.
    pub fn decode_at(
        &self,
        r: &Request,
        known: Option<(Subject, Option<choices::Effective>)>,
        now: Timestamp,
    ) -> Result<Decoded, WireError> {
        let op =
            r.op.ok_or_else(|| bad(ErrorCode::MissingField, "`op` is required".into()))?;
        let (subject, effective) = match known {
            Some(k) => k,
            None => self.decode_subject(r, now)?,
        };
        self.decode_rest(r, op, now, subject, effective)
    }

    fn decode_subject(
        &self,
        r: &Request,
        now: Timestamp,
    ) -> Result<(Subject, Option<choices::Effective>), WireError> {
        let kind = match &r.subject.kind {
            Some(k) => k.parse::<SubjectKind>().map_err(|()| {
                bad(
                    ErrorCode::BadField,
                    format!("`subject.kind`: unknown kind `{k}`"),
                )
            })?,
            None => SubjectKind::CustomerAccountHolder,
        };
        let jurisdiction =
            match &r.subject.jurisdiction {
                Some(j) => Some(j.parse::<Jurisdiction>().map_err(|e| {
                    bad(ErrorCode::BadField, format!("`subject.jurisdiction`: {e}"))
                })?),
                None => None,
            };
        let mut subject = Subject::new(kind, jurisdiction);
        subject.age = r.subject.age;
        subject.eu_protected = r.subject.eu_protected.unwrap_or(false);
        let mut effective = None;
        if !r.subject.ledger.is_empty() {
            let mut entries = Vec::with_capacity(r.subject.ledger.len());
            for (i, e) in r.subject.ledger.iter().enumerate() {
                let key = ChoiceKey::parse(self, &e.key).map_err(|err| {
                    bad(
                        ErrorCode::BadField,
                        format!("`subject.ledger[{i}].key`: {err}"),
                    )
                })?;
                let source = e.source.parse::<ChoiceSource>().map_err(|()| {
                    bad(
                        ErrorCode::BadField,
                        format!(
                            "`subject.ledger[{i}].source`: unknown source `{}`",
                            e.source
                        ),
                    )
                })?;
                let channel = match &e.channel {
                    Some(c) => Some(c.parse::<ChoiceChannel>().map_err(|()| {
                        bad(
                            ErrorCode::BadField,
                            format!("`subject.ledger[{i}].channel`: unknown channel `{c}`"),
                        )
                    })?),
                    None => None,
                };
                entries.push(Entry {
                    key,
                    value: e.value,
                    source,
                    at: ts(&e.at, &format!("subject.ledger[{i}].at"))?,
                    channel,
                });
            }
            let eff = choices::fold(self, jurisdiction.as_ref(), &entries, now);
            subject.choices = eff.choices;
            effective = Some(eff);
        }
        if let Some(f) = &r.subject.choices {
            self.apply_choice_facts(&mut subject.choices, f)?;
        }
        Ok((subject, effective))
    }

    fn decode_rest(
        &self,
        r: &Request,
        op: Op,
        now: Timestamp,
        subject: Subject,
        effective: Option<choices::Effective>,
    ) -> Result<Decoded, WireError> {
        let c = &r.context;
        let mut context = Context::at(now);
        context.gpc_signal = c.gpc;
        context.justification = c.justification;
        context.carrier_selected = c.carrier_selected;
        context.business_transfer = c.business_transfer;
        context.change_of_control_prompt_pending = c.change_of_control_prompt_pending;
        context.ticket = c.ticket;
        context.customer_undertaking = c.customer_undertaking;
        for n in &c.agreements {
            // `id` or `id@version`: an acceptance of a version the policy no longer honours
            // does not count (CUST-01: the acceptance is versioned).
            let (name, version) = match n.split_once('@') {
                Some((name, v)) => (name, Some(v)),
                None => (n.as_str(), None),
            };
            let id = self.agreement(name).ok_or_else(|| {
                bad(
                    steward_errors::ErrorCode::UnknownName,
                    format!("`context.agreements`: unknown agreement `{name}`"),
                )
            })?;
            if version.is_none_or(|v| self.agreement_info(id).accepts(v)) {
                context.agreements.insert(id);
            }
        }
        context.project = c.project;
        context.provided = self.cat_set(&c.provided_categories, "context.provided_categories")?;
        context.restricted = self.cat_set(&c.restricted, "context.restricted")?;
        context.retained = self.cat_set(&c.retained, "context.retained")?;
        context.retained_purposes =
            self.pur_set(&c.retained_purposes, "context.retained_purposes")?;
        context.derived_from = self.cat_set(&c.derived_from, "context.derived_from")?;
        for n in &c.sources {
            context.sources.insert(self.source(n).ok_or_else(|| {
                bad(
                    ErrorCode::UnknownName,
                    format!("`context.sources`: unknown source `{n}`"),
                )
            })?);
        }
        context.declared_purposes =
            self.pur_set(&c.declared_purposes, "context.declared_purposes")?;
        if let Some(pc) = &c.policy_change {
            context.policy_change = PolicyChange {
                purposes: self.pur_set(&pc.purposes, "context.policy_change.purposes")?,
                consent: self.pur_set(&pc.consent, "context.policy_change.consent")?,
                recipients: self.rec_set(&pc.recipients, "context.policy_change.recipients")?,
                notified: pc.notified,
            };
        }
        context.retain_until = match &c.retain_until {
            Some(t) => Some(ts(t, "context.retain_until")?),
            None => None,
        };
        context.tracker = match &c.tracker {
            Some(t) => Some(self.tracker(t).ok_or_else(|| {
                bad(
                    ErrorCode::UnknownName,
                    format!("`context.tracker`: unknown tracker `{t}`"),
                )
            })?),
            None => None,
        };
        context.template = c.template.map(|t| Template {
            has_unsubscribe: t.has_unsubscribe,
            has_postal_address: t.has_postal_address,
            has_promo: t.has_promo,
        });
        context.legal_request = match &c.legal_request {
            Some(l) => Some(LegalRequest {
                basis: match l.basis.as_str() {
                    "required_by_law" => LegalBasisKind::RequiredByLaw,
                    "permitted_by_law" => LegalBasisKind::PermittedByLaw,
                    other => {
                        return Err(bad(
                            ErrorCode::BadField,
                            format!(
                                "`context.legal_request.basis`: `{other}` is not required_by_law or permitted_by_law"
                            ),
                        ));
                    }
                },
                reviewed: l.reviewed,
                scope: self.cat_set(&l.scope, "context.legal_request.scope")?,
                gag_order: l.gag_order,
            }),
            None => None,
        };
        let need = |v: &Option<String>, f: &str| -> Result<String, WireError> {
            v.clone().ok_or_else(|| {
                bad(
                    ErrorCode::MissingField,
                    format!("`{f}` is required for `{}`", op.as_str()),
                )
            })
        };
        let args = match op {
            Op::CanCollect => Args::Collect {
                cat: self.category(&need(&r.category, "category")?),
                source: self.source(&need(&r.source, "source")?),
                partner: r.partner.as_deref().and_then(|p| self.recipient(p)),
            },
            Op::CanUse => Args::Use {
                cat: self.category(&need(&r.category, "category")?),
                purpose: r.purpose.as_deref().and_then(|p| self.purpose(p)),
            },
            Op::CanDisclose => {
                let mut cats = CategorySet::empty();
                let mut unknown = false;
                for n in &r.categories {
                    match self.category_or_group(n) {
                        Some(s) => cats = cats.union(&s),
                        None => unknown = true,
                    }
                }
                Args::Disclose {
                    cats,
                    unknown,
                    recipient: self.recipient(&need(&r.recipient, "recipient")?),
                    purpose: r.purpose.as_deref().and_then(|p| self.purpose(p)),
                }
            }
            Op::CanSend => {
                let k = need(&r.message_kind, "message_kind")?;
                let kind = match k.as_str() {
                    "transactional" => MessageKind::Transactional,
                    "policy_change" => MessageKind::PolicyChange,
                    "support_followup" => MessageKind::SupportFollowup,
                    "marketing_first_party" => MessageKind::MarketingFirstParty,
                    "marketing_third_party_offer" | "marketing_third_party_offers" => {
                        MessageKind::MarketingThirdPartyOffer
                    }
                    other => {
                        return Err(bad(
                            ErrorCode::BadField,
                            format!("`message_kind`: unknown kind `{other}`"),
                        ));
                    }
                };
                let ch = need(&r.channel, "channel")?;
                let channel = ch.parse::<Channel>().map_err(|()| {
                    bad(
                        ErrorCode::BadField,
                        format!("`channel`: unknown channel `{ch}`"),
                    )
                })?;
                Args::Send { kind, channel }
            }
            Op::CanSetTracker => Args::Tracker {
                tracker: self.tracker(&need(&r.tracker, "tracker")?),
            },
            Op::EffectiveChoices => Args::Choices,
            Op::AdminAuthorize => {
                let a = r.actor.clone().ok_or_else(|| {
                    bad(
                        ErrorCode::MissingField,
                        "`actor` is required for `admin_authorize`".into(),
                    )
                })?;
                let action = match need(&r.action, "action")?.as_str() {
                    "view" => AdminAction::View,
                    "change" => AdminAction::Change,
                    "delete" => AdminAction::Delete,
                    "change_choices" => AdminAction::ChangeChoices,
                    "submit_request" => AdminAction::SubmitRequest,
                    other => {
                        return Err(bad(
                            ErrorCode::BadField,
                            format!("`action`: unknown action `{other}`"),
                        ));
                    }
                };
                let grant = match &a.grant {
                    Some(perms) => {
                        for p in perms {
                            if !matches!(p.as_str(), "view_pi" | "change_pi" | "delete_pi") {
                                return Err(bad(
                                    ErrorCode::BadField,
                                    format!("`actor.grant`: unknown permission `{p}`"),
                                ));
                            }
                        }
                        Some(Grant {
                            view: perms.iter().any(|p| p == "view_pi"),
                            change: perms.iter().any(|p| p == "change_pi"),
                            delete: perms.iter().any(|p| p == "delete_pi"),
                            revoked_at: match &a.revoked_at {
                                Some(t) => Some(ts(t, "actor.revoked_at")?),
                                None => None,
                            },
                        })
                    }
                    None => None,
                };
                let role = match &a.role {
                    Some(r) => Some(self.role(r).ok_or_else(|| {
                        bad(
                            ErrorCode::UnknownName,
                            format!("`actor.role`: unknown role `{r}`"),
                        )
                    })?),
                    None => None,
                };
                Args::Admin {
                    actor: Actor {
                        is_owner: a.is_owner,
                        is_agent: a.is_agent,
                        grant,
                        role,
                    },
                    action,
                    cat: self.category(&need(&r.category, "category")?),
                }
            }
        };
        Ok(Decoded {
            id: r.id.clone(),
            op,
            subject,
            context,
            effective,
            args,
        })
    }

    /// Decide a decoded request.
    #[must_use]
    pub fn decide(&self, d: &Decoded) -> Outcome {
        self.decide_with(d, &mut crate::decision::NoTrace)
    }

    /// Decide and record the evaluation path (AUD-07).
    #[must_use]
    pub fn explain(&self, d: &Decoded) -> (Outcome, Trace) {
        let mut t = Trace::default();
        let o = self.decide_with(d, &mut t);
        (o, t)
    }

    fn decide_with<T: crate::decision::Tracer>(&self, d: &Decoded, t: &mut T) -> Outcome {
        let s = &d.subject;
        let ctx = &d.context;
        match &d.args {
            Args::Collect {
                cat,
                source,
                partner,
            } => Outcome::Decision(self.can_collect_traced(s, *cat, *source, *partner, ctx, t)),
            Args::Use { cat, purpose } => {
                Outcome::Decision(self.can_use_traced(s, *cat, *purpose, ctx, t))
            }
            Args::Disclose {
                cats,
                unknown,
                recipient,
                purpose,
            } => Outcome::Decision(
                self.can_disclose_traced(s, cats, *unknown, *recipient, *purpose, ctx, t),
            ),
            Args::Send { kind, channel } => {
                Outcome::Decision(self.can_send_traced(s, *kind, *channel, ctx, t))
            }
            Args::Tracker { tracker } => {
                Outcome::Decision(self.can_set_tracker_traced(s, *tracker, ctx, t))
            }
            Args::Admin { actor, action, cat } => {
                Outcome::Decision(self.admin_authorize_traced(actor, *action, *cat, ctx.now, t))
            }
            Args::Choices => {
                let eff = d.effective.clone().unwrap_or_else(|| choices::Effective {
                    choices: s.choices,
                    provenance: Vec::new(),
                    ignored: Vec::new(),
                });
                let mut eff = choices::Effective {
                    choices: s.choices,
                    ..eff
                };
                if ctx.gpc_signal {
                    choices::apply_request_gpc(self, s.jurisdiction.as_ref(), &mut eff, ctx.now);
                }
                Outcome::Choices(Box::new(eff))
            }
        }
    }

    /// Decode, decide and render one request as a response value.
    #[must_use]
    pub fn evaluate(&self, r: &Request) -> serde_json::Value {
        match self.decode(r) {
            Ok(d) => {
                let o = self.decide(&d);
                self.response(&d, &o, None)
            }
            Err(e) => error_json(r.id.as_deref(), None, &e),
        }
    }

    /// Write the response for a decoded request as one JSON object, without building a
    /// `serde_json::Value` tree for decisions (the `eval` hot path).
    ///
    /// # Errors
    /// Only if writing to `out` fails.
    pub fn write_response<W: std::io::Write>(
        &self,
        d: &Decoded,
        o: &Outcome,
        out: &mut W,
    ) -> serde_json::Result<()> {
        match o {
            Outcome::Decision(dec) => {
                #[derive(Serialize)]
                struct Line<'a> {
                    #[serde(skip_serializing_if = "Option::is_none")]
                    id: Option<&'a str>,
                    op: &'static str,
                    #[serde(flatten)]
                    decision: DecisionJson<'a>,
                }
                serde_json::to_writer(
                    out,
                    &Line {
                        id: d.id.as_deref(),
                        op: d.op.as_str(),
                        decision: self.decision_json(dec),
                    },
                )
            }
            Outcome::Choices(_) => serde_json::to_writer(out, &self.response(d, o, None)),
        }
    }

    /// Render a response for a decoded request.
    #[must_use]
    pub fn response(&self, d: &Decoded, o: &Outcome, trace: Option<&Trace>) -> serde_json::Value {
        let mut v = match o {
            Outcome::Decision(dec) => {
                serde_json::to_value(self.decision_json(dec)).unwrap_or(serde_json::Value::Null)
            }
            Outcome::Choices(eff) => {
                let eu = self.is_eu(&d.subject);
                let mut map = serde_json::Map::new();
                for (k, v, p) in choices::describe(self, eff, eu) {
                    map.insert(k, provenance_json(&v, &p));
                }
                let ignored: Vec<serde_json::Value> = eff
                    .ignored
                    .iter()
                    .map(|i| serde_json::json!({"entry": i.entry, "code": i.code}))
                    .collect();
                serde_json::json!({ "choices": map, "ignored": ignored, "policy_version": self.meta.version })
            }
        };
        if let serde_json::Value::Object(m) = &mut v {
            m.insert("op".into(), d.op.as_str().into());
            if let Some(id) = &d.id {
                m.insert("id".into(), id.clone().into());
            }
            if let Some(t) = trace {
                let path: Vec<serde_json::Value> = t
                    .steps
                    .iter()
                    .map(|(s, ok, note)| serde_json::json!({"step": s.as_str(), "ok": ok, "note": note}))
                    .collect();
                m.insert("path".into(), path.into());
            }
        }
        v
    }

    /// The JSON shape of a decision.
    #[must_use]
    pub fn decision_json<'e>(&'e self, d: &Decision) -> DecisionJson<'e> {
        let rule = self.rule(d.rule);
        let detail = match d.detail {
            Detail::None => None,
            Detail::Category(c) => Some(self.category_info(c).key.clone()),
            Detail::Clause(c) => Some(c.to_string()),
            Detail::Lock(l) => Some(self.lock_info(l).key.clone()),
        };
        let o = &d.obligations;
        DecisionJson {
            allow: d.allow,
            reason: self.reason_code(d),
            detail,
            clause: &rule.clause,
            requirements: &rule.requirements,
            rule: &rule.origin,
            obligations: ObligationsJson {
                audit: o.has(flags::AUDIT),
                record_disclosure: o.has(flags::RECORD_DISCLOSURE),
                record_collection: o.has(flags::RECORD_COLLECTION),
                notify_subject: o.has(flags::NOTIFY_SUBJECT),
                notice_suppressed: o.has(flags::NOTICE_SUPPRESSED),
                art14_notice: o.has(flags::ART14_NOTICE),
                unsubscribe_link: o.has(flags::UNSUBSCRIBE_LINK),
                canspam_identify: o.has(flags::CANSPAM_IDENTIFY),
                right_to_object_notice: o.has(flags::RIGHT_TO_OBJECT_NOTICE),
                pseudonymize: o.has(flags::PSEUDONYMIZE),
                redact: self.category_names(&o.redact),
                aggregate_k: (o.aggregate_k > 0).then_some(o.aggregate_k),
                coarsen_ft: (o.coarsen_ft > 0).then_some(o.coarsen_ft),
            },
            allowed: self.category_names(&d.allowed),
            excluded: self.category_names(&d.excluded),
            policy_version: &self.meta.version,
        }
    }
}

fn provenance_json(v: &str, p: &Provenance) -> serde_json::Value {
    let value: serde_json::Value = match v {
        "true" => true.into(),
        "false" => false.into(),
        other => other.into(),
    };
    serde_json::json!({
        "value": value,
        "source": p.source.as_str(),
        "at": p.at.map(|t| t.to_string()),
        "entry": p.entry,
        "channel": p.channel.map(ChoiceChannel::as_str),
    })
}

/// An error line for a request that could not be decoded.
#[must_use]
pub fn error_json(id: Option<&str>, line: Option<usize>, e: &WireError) -> serde_json::Value {
    let mut v = serde_json::json!({ "error": { "code": e.code.as_str(), "message": e.message } });
    if let serde_json::Value::Object(m) = &mut v {
        if let Some(id) = id {
            m.insert("id".into(), id.into());
        }
        if let Some(l) = line {
            m.insert("line".into(), l.into());
        }
    }
    v
}

/// What `decide` produced.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// A decision.
    Decision(Decision),
    /// Effective choices with provenance.
    Choices(Box<choices::Effective>),
}

/// Decision JSON (see `docs/decisions.md`).
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct DecisionJson<'e> {
    /// Allowed?
    pub allow: bool,
    /// Reason code (§0.4), or the code a purpose lock of the policy declares.
    pub reason: &'e str,
    /// Detail: the excluded category, the missing clause, or the purpose lock.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// The clause the decision rests on.
    pub clause: &'e str,
    /// Requirement ids.
    pub requirements: &'e [String],
    /// The rule's origin (`recipient `MP1``, `builtin Transfer`).
    pub rule: &'e str,
    /// Obligations.
    pub obligations: ObligationsJson<'e>,
    /// For disclosures: requested categories that may go.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allowed: Vec<&'e str>,
    /// For disclosures: requested categories that may not.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub excluded: Vec<&'e str>,
    /// Policy version.
    pub policy_version: &'e str,
}

/// Obligations JSON.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ObligationsJson<'e> {
    /// Audit the decision.
    pub audit: bool,
    /// Record the disclosure when it happens.
    #[serde(default, skip_serializing_if = "is_false")]
    pub record_disclosure: bool,
    /// Record the collection.
    #[serde(default, skip_serializing_if = "is_false")]
    pub record_collection: bool,
    /// Notify the subject.
    #[serde(default, skip_serializing_if = "is_false")]
    pub notify_subject: bool,
    /// Notice suppressed by a gag order.
    #[serde(default, skip_serializing_if = "is_false")]
    pub notice_suppressed: bool,
    /// Art. 14 notice due within a month.
    #[serde(default, skip_serializing_if = "is_false")]
    pub art14_notice: bool,
    /// Include an unsubscribe link.
    #[serde(default, skip_serializing_if = "is_false")]
    pub unsubscribe_link: bool,
    /// Identify as advertising with the postal address.
    #[serde(default, skip_serializing_if = "is_false")]
    pub canspam_identify: bool,
    /// Bring the right to object to attention.
    #[serde(default, skip_serializing_if = "is_false")]
    pub right_to_object_notice: bool,
    /// Pseudonymize before storage.
    #[serde(default, skip_serializing_if = "is_false")]
    pub pseudonymize: bool,
    /// Categories to drop.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub redact: Vec<&'e str>,
    /// Aggregate with at least this group size.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aggregate_k: Option<u32>,
    /// Coarsen location to at least this radius (feet).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coarsen_ft: Option<u32>,
}
