//! Choices: record, withdraw, effective choices with provenance, the raw ledger. A
//! `Sec-GPC: 1` header on these calls is recorded as an opt-out (GPC-01, GPC-03).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::common::DeviceRef;

/// Most choices in one call.
pub const MAX_CHOICES: usize = 1000;

/// One choice.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChoiceIn {
    /// Ledger key: `sale_opt_out`, `share_opt_out`, `marketing:first_party:email`,
    /// `consent:recipient:MP1`, `cookie:analytics` … (docs/decisions.md).
    #[schema(pattern = "^[A-Za-z0-9_:.-]{1,64}$")]
    pub key: String,
    /// The value.
    pub value: bool,
    /// `user` (default), `gpc`, `admin`, `default`, `import`, `agent`, `parent`, `support`.
    #[serde(default)]
    #[schema(pattern = "^[a-z0-9_:.-]{1,64}$")]
    pub source: Option<String>,
    /// SHA-256 (hex) of the notice text shown when the choice was made (GDPR-07).
    #[serde(default)]
    #[schema(pattern = "^[0-9a-fA-F]{64}$")]
    pub notice_sha256: Option<String>,
    /// Channel: `web_form`, `email_link`, `privacy_center`, `api` …
    #[serde(default)]
    #[schema(pattern = "^[a-z0-9_:.-]{1,64}$")]
    pub channel: Option<String>,
}

/// Choices to record for a subject or a device (exactly one of the two).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordChoices {
    /// A stored subject.
    #[serde(default)]
    pub subject_id: Option<uuid::Uuid>,
    /// A browser or device (its choices join the subject's once linked: GPC-04).
    #[serde(default)]
    pub device: Option<DeviceRef>,
    /// The choices, recorded atomically (1 to 1000).
    #[schema(min_items = 1, max_items = 1000)]
    pub choices: Vec<ChoiceIn>,
}

/// Consents or opt-outs to withdraw (each key is recorded as `false`).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WithdrawChoices {
    /// A stored subject.
    #[serde(default)]
    pub subject_id: Option<uuid::Uuid>,
    /// A browser or device.
    #[serde(default)]
    pub device: Option<DeviceRef>,
    /// The keys to set to `false` (1 to 1000).
    #[schema(min_items = 1, max_items = 1000)]
    pub keys: Vec<String>,
    /// Who withdrew: `user` (default), `agent`, `parent`, `support`.
    #[serde(default)]
    #[schema(pattern = "^[a-z0-9_:.-]{1,64}$")]
    pub source: Option<String>,
    /// Channel.
    #[serde(default)]
    #[schema(pattern = "^[a-z0-9_:.-]{1,64}$")]
    pub channel: Option<String>,
}

/// Recorded choices.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Recorded {
    /// Ledger entry ids, in request order.
    pub choice_ids: Vec<String>,
    /// Whether a `Sec-GPC: 1` header was recorded as an opt-out by this call (first time only).
    pub gpc_recorded: bool,
    /// Notifications queued for sale/share partners that received the subject's data
    /// (an opt-out recorded by this call, including a first `Sec-GPC: 1`: CCPA-13,
    /// ADTECH-03, GPC-11). The webhook worker delivers them.
    pub partners_notified: usize,
}

/// A ledger entry.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LedgerEntryOut {
    /// Entry id.
    pub id: String,
    /// `subject`, `cookie` or `device` (a linked device's entries count for the subject).
    pub party: String,
    /// Key.
    pub key: String,
    /// Value.
    pub value: bool,
    /// Source.
    pub source: String,
    /// Channel.
    pub channel: Option<String>,
    /// Policy version in force.
    pub policy_version: String,
    /// SHA-256 of the notice shown.
    pub notice_sha256: Option<String>,
    /// When.
    pub at: String,
}

/// The ledger of a subject and its linked devices.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Ledger {
    /// Entries in ledger order.
    pub entries: Vec<LedgerEntryOut>,
}

/// The value of an effective choice: `true`/`false`, or a state (`given`, `refused`,
/// `withdrawn`, `not_given`, …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum ChoiceValue {
    /// A flag.
    Flag(bool),
    /// A state.
    State(String),
}

/// One effective choice with its provenance.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ChoiceWithProvenance {
    /// The value.
    pub value: ChoiceValue,
    /// Who set it (`user`, `gpc`, `admin`, `default` …).
    pub source: String,
    /// When the deciding ledger entry was recorded (`null` for a default).
    pub at: Option<String>,
    /// Index of the deciding ledger entry (`null` for a default).
    pub entry: Option<usize>,
    /// The channel it arrived through, if recorded.
    pub channel: Option<String>,
}

/// A ledger entry the fold ignored.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct IgnoredEntry {
    /// Index of the entry.
    pub entry: usize,
    /// Why (`IMPORT_CANNOT_RESUBSCRIBE` …).
    pub code: String,
}

/// Effective choices with provenance (DEC-06): every field with `{value, source, at, entry,
/// channel}`; audited as a decision.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct EffectiveChoices {
    /// `effective_choices`.
    pub op: String,
    /// Your correlation id, echoed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The audited decision id of this answer.
    pub decision_id: String,
    /// Each choice with its provenance, by key.
    pub choices: BTreeMap<String, ChoiceWithProvenance>,
    /// Ledger entries the fold ignored, with why.
    pub ignored: Vec<IgnoredEntry>,
    /// Policy version.
    pub policy_version: String,
}

#[cfg(feature = "core")]
mod convert {
    use steward_core::decisions::{Answer, Decided};
    use steward_policy::choices::Effective;
    use steward_store::model::choice::{ChoiceEntry, Party};

    use super::{
        ChoiceValue, ChoiceWithProvenance, EffectiveChoices, IgnoredEntry, LedgerEntryOut,
    };
    use crate::common::ts;

    impl From<&ChoiceEntry> for LedgerEntryOut {
        fn from(e: &ChoiceEntry) -> Self {
            LedgerEntryOut {
                id: e.id.to_string(),
                party: match &e.party {
                    Party::Subject(_) => "subject".to_string(),
                    Party::Identity(r) => r.kind.as_str().to_string(),
                },
                key: e.key.as_str().to_string(),
                value: e.value,
                source: e.source.as_str().to_string(),
                channel: e.channel.as_ref().map(|c| c.as_str().to_string()),
                policy_version: e.policy_version.as_str().to_string(),
                notice_sha256: e.notice_hash.as_ref().map(|d| d.to_hex()),
                at: ts(e.at),
            }
        }
    }

    impl EffectiveChoices {
        /// The answer of an `effective_choices` decision; `None` for any other operation.
        #[must_use]
        pub fn from_decided(d: &Decided) -> Option<EffectiveChoices> {
            match &d.answer {
                Answer::Choices { effective, eu } => Some(effective_choices(d, effective, *eu)),
                Answer::Decision(_) => None,
            }
        }
    }

    /// The effective choices `effective` of decision `d`, with provenance.
    pub(crate) fn effective_choices(
        d: &Decided,
        effective: &Effective,
        eu: bool,
    ) -> EffectiveChoices {
        let engine = d.engine();
        let choices = steward_policy::choices::describe(engine, effective, eu)
            .into_iter()
            .map(|(k, v, p)| {
                let value = match v.as_str() {
                    "true" => ChoiceValue::Flag(true),
                    "false" => ChoiceValue::Flag(false),
                    _ => ChoiceValue::State(v),
                };
                (
                    k,
                    ChoiceWithProvenance {
                        value,
                        source: p.source.as_str().to_string(),
                        at: p.at.map(ts),
                        entry: p.entry,
                        channel: p.channel.map(|c| c.as_str().to_string()),
                    },
                )
            })
            .collect();
        EffectiveChoices {
            op: d.op.as_str().to_string(),
            id: d.id.clone(),
            decision_id: d.event_id.to_string(),
            choices,
            ignored: effective
                .ignored
                .iter()
                .map(|i| IgnoredEntry {
                    entry: i.entry,
                    code: i.code.to_string(),
                })
                .collect(),
            policy_version: engine.meta.version.clone(),
        }
    }
}

#[cfg(feature = "core")]
pub(crate) use convert::effective_choices;

/// Ask for a one-click unsubscribe link for a subject's marketing e-mail (MKT-03, RFC 8058).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UnsubscribeLinkRequest {
    /// The e-mail marketing ledger key the link opts out of (`marketing:<type>:email`);
    /// `marketing:first_party:email` when absent.
    #[serde(default)]
    #[schema(pattern = "^[A-Za-z0-9_:.-]{1,120}$")]
    pub key: Option<String>,
    /// Where the privacy center is reached from the recipients' mail, e.g.
    /// `https://privacy.example.com`: `https://`, or `http://` on loopback only; no query or
    /// fragment. The link is `<base_url>/unsubscribe/<token>`.
    #[schema(max_length = 200)]
    pub base_url: String,
}

/// An unsubscribe link and the headers a marketing e-mail carries (RFC 2369, RFC 8058).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct UnsubscribeLink {
    /// The opaque token (it names no subject or address in clear).
    pub token: String,
    /// The link for people: a page with one button, no sign-in.
    pub url: String,
    /// The value of the `List-Unsubscribe` header: `<url>`.
    pub list_unsubscribe: String,
    /// The value of the `List-Unsubscribe-Post` header: `List-Unsubscribe=One-Click`.
    pub list_unsubscribe_post: String,
    /// The ledger key the link opts out of.
    pub key: String,
    /// Until when the link works (RFC 3339; well over CAN-SPAM's 30 days after sending).
    pub expires_at: String,
}
