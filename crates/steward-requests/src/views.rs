//! Typed shapes of what the workflow shows and stores: a request's extension, verification,
//! repeat check, failure and denial, its messages and webhook deliveries, the detail of each
//! step of its trail ([`StepDetail`]) and of each system a run touched ([`SystemDetail`]).
//!
//! INVARIANT: none holds personal data (ids, codes, dates, counts, category and recipient
//! names, staff's stated reasons). Fields are declared in alphabetical order, so the JSON has
//! the keys, values and key order of the `serde_json::Value` maps these types replaced (only
//! records nested whole — a receipt in a `completed` step, a verification level — keep their
//! own field order).

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use steward_store::ids::{DeliveryId, ItemId, MessageId, RequestId};
use steward_store::model::event::NotificationId;
use steward_store::model::request::{DeliveryRecord, MessageRecord};

use crate::connectors::TableOutcome;
use crate::receipts::Receipt;
use crate::verification::VerificationLevel;

/// A webhook delivery as shown (no body: it is sealed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryView {
    /// Attempts made.
    pub attempts: u32,
    /// When the recipient confirmed it acted.
    pub confirmed_at: Option<Timestamp>,
    /// When the endpoint accepted it.
    pub delivered_at: Option<Timestamp>,
    /// `erasure`, `rectification`, `restriction`, `opt_out`.
    pub event: String,
    /// The delivery id.
    pub id: DeliveryId,
    /// The last failure, as a code (`HTTP_503`, `CONNECT` …).
    pub last_error: Option<String>,
    /// The last HTTP status received.
    pub last_status: Option<u16>,
    /// When the next attempt is due.
    pub next_attempt_at: Timestamp,
    /// The partner notification it carries, if any.
    pub notification: Option<NotificationId>,
    /// The recipient.
    pub recipient: String,
    /// The request it belongs to, if any.
    pub request: Option<RequestId>,
    /// `pending`, `delivered`, `confirmed`, `dead_letter`.
    pub state: String,
}

impl From<&DeliveryRecord> for DeliveryView {
    fn from(d: &DeliveryRecord) -> Self {
        DeliveryView {
            attempts: d.attempts,
            confirmed_at: d.confirmed_at,
            delivered_at: d.delivered_at,
            event: d.event.as_str().to_string(),
            id: d.id,
            last_error: d.last_error.as_ref().map(|e| e.as_str().to_string()),
            last_status: d.last_status,
            next_attempt_at: d.next_attempt_at,
            notification: d.notification,
            recipient: d.recipient.as_str().to_string(),
            request: d.request,
            state: d.state.as_str().to_string(),
        }
    }
}

/// A message to the subject as shown: its kind and state, never its content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageView {
    /// Attempts made.
    pub attempts: u32,
    /// When it was queued.
    pub created_at: Timestamp,
    /// The id.
    pub id: MessageId,
    /// `verification_code`, `acknowledgement`, `extension_notice`, `completion`, `denial` …
    pub kind: String,
    /// The last failure, as a code.
    pub last_error: Option<String>,
    /// When the transport took it.
    pub sent_at: Option<Timestamp>,
}

impl From<&MessageRecord> for MessageView {
    fn from(m: &MessageRecord) -> Self {
        MessageView {
            attempts: m.attempts,
            created_at: m.created_at,
            id: m.id,
            kind: m.kind.as_str().to_string(),
            last_error: m.last_error.as_ref().map(|e| e.as_str().to_string()),
            sent_at: m.sent_at,
        }
    }
}

/// The extension of a request's deadline (DL-05).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExtensionView {
    /// The deadline now.
    pub new_due: Timestamp,
    /// When the subject was told.
    pub notified_at: Timestamp,
    /// The deadline before.
    pub previous_due: Timestamp,
    /// Why (told to the subject).
    pub reason: String,
}

/// Verification required and done (DEC-09).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerificationView {
    /// A signed declaration was received (CCPA-24).
    pub declaration: bool,
    /// `none`, `session`, `email_code`, `staff:<method>`.
    pub method: String,
    /// What the law asks for.
    pub required: VerificationLevel,
    /// Data points staff matched at approval.
    pub staff_points: u8,
    /// When it was completed.
    pub verified_at: Option<Timestamp>,
}

/// An authorized agent's permission on record (CCPA-23): its SHA-256 and when it was
/// recorded. The agent's name and address and the permission itself stay sealed
/// (`Requests::agent_details` reads them for staff).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentView {
    /// When the permission was recorded (`None`: still awaited).
    pub permission_recorded_at: Option<Timestamp>,
    /// SHA-256 (hex) of the consumer's signed permission.
    pub permission_sha256: Option<String>,
}

/// CCPA-07: prior know requests within 12 months.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RepeatView {
    /// The request may be declined.
    pub may_decline: bool,
    /// Prior know requests in the window.
    pub prior_in_window: usize,
    /// Why it may be declined.
    pub reason: Option<String>,
}

/// The last failure of a run: which system, why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FailureView {
    /// When.
    pub at: Timestamp,
    /// Why (no personal data).
    pub reason: String,
    /// The system (`dataset:<name>`, `vault` …).
    pub system: String,
}

/// A denial and its basis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DenialView {
    /// When.
    pub at: Timestamp,
    /// Staff's justification, when the basis needs one.
    pub justification: Option<String>,
    /// The basis (`cannot_identify`, `excessive` …).
    pub reason: String,
}

/// No detail.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoDetail {}

/// The detail of an `intake` step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IntakeStep {
    /// The request kind.
    pub kind: String,
    /// The regimes that apply.
    pub regimes: Vec<String>,
    /// `subject`, `agent`, `admin`.
    pub requester: String,
    /// How it is verified.
    pub verification: String,
}

/// The detail of a `verified` step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VerifiedStep {
    /// How (`email_code`).
    pub method: String,
}

/// The detail of a `verification.more_information` step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MoreInformationStep {
    /// The fields asked for.
    pub fields: Vec<String>,
}

/// The detail of an `extended` step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExtendedStep {
    /// The deadline now.
    pub new_due: Timestamp,
    /// The deadline before.
    pub previous_due: Timestamp,
}

/// The detail of a `denied` step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeniedStep {
    /// The basis.
    pub reason: String,
}

/// The detail of a `forwarded` step (CUST-04).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ForwardedStep {
    /// The Customer's deadline to assist.
    pub assist_due: Timestamp,
    /// The Customer.
    pub customer: String,
}

/// The detail of a `run.started` step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunStartedStep {
    /// The run number.
    pub run: u32,
}

/// The detail of a `run.failed` step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunFailedStep {
    /// Why.
    pub reason: String,
    /// Which system.
    pub system: String,
}

/// The detail of a step of a request's trail, by action.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum StepDetail {
    /// `intake`.
    Intake(IntakeStep),
    /// `verified`.
    Verified(VerifiedStep),
    /// `verification.more_information`.
    MoreInformation(MoreInformationStep),
    /// `extended`.
    Extended(ExtendedStep),
    /// `denied`.
    Denied(DeniedStep),
    /// `forwarded`.
    Forwarded(ForwardedStep),
    /// `run.started`.
    RunStarted(RunStartedStep),
    /// `run.failed`.
    RunFailed(RunFailedStep),
    /// `completed`: the receipt issued.
    Completed(Box<Receipt>),
    /// `approved`, `agent.permission`: nothing more.
    None(NoDetail),
}

impl StepDetail {
    /// No detail (`{}`).
    #[must_use]
    pub fn none() -> StepDetail {
        StepDetail::None(NoDetail {})
    }
}

/// Rows a dataset erasure changed, verified.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatasetErased {
    /// Rows still holding the subject's data after commit (0 when verified).
    pub remaining: u64,
    /// Per table, in erasure order.
    pub tables: Vec<TableOutcome>,
    /// `remaining == 0`.
    pub verified: bool,
}

/// The tables a dataset erasure was to reach (when it failed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatasetTables {
    /// `(table, action)` in erasure order.
    pub tables: Vec<(String, String)>,
}

/// Rows read from one table of a dataset for an access report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableCount {
    /// Rows found.
    pub rows: usize,
    /// The table.
    pub table: String,
}

/// What an access run read from a dataset (counts: the rows themselves are sealed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatasetRead {
    /// Rows found, over every table.
    pub rows: usize,
    /// Per table read.
    pub tables: Vec<TableCount>,
}

/// What the vault erasure did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VaultErased {
    /// Identities unlinked.
    pub identities_unlinked: u64,
    /// Items erased.
    pub items_erased: u64,
    /// Items kept under an exception.
    pub items_retained: usize,
    /// The subject's key was destroyed (nothing kept).
    pub key_destroyed: bool,
}

/// A recipient told of a request (webhook queued or a manual notice).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecipientNotice {
    /// What it is asked to do (`delete`, `delete_and_forward`, `inform`, `rectify` …).
    pub action: String,
    /// The categories concerned.
    pub categories: Vec<String>,
    /// The event (`erasure`, `rectification`, `restriction`, `opt_out`).
    pub event: String,
}

/// A choice recorded by a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChoiceSet {
    /// The ledger key.
    pub key: String,
    /// Its value.
    pub value: bool,
}

/// The choices a request recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChoicesRecorded {
    /// The keys and values.
    pub keys: Vec<ChoiceSet>,
    /// When partners must have been told (CCPA-13).
    pub propagate_by: Option<Timestamp>,
}

/// The item a correction replaced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemCorrected {
    /// Its category.
    pub category: String,
    /// The item.
    pub item: ItemId,
}

/// What an access request found in the vault.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportCounts {
    /// Personal data is processed at all (GDPR Art. 15(1)).
    pub confirmation: bool,
    /// Items held.
    pub items: usize,
    /// Recipients in the disclosure register.
    pub recipients: usize,
}

/// A note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Note {
    /// The note.
    pub note: String,
}

/// Why a system was skipped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Skipped {
    /// Why.
    pub reason: String,
}

/// The detail of what one system did in a run (counts and names, no personal data).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum SystemDetail {
    /// `dataset:<name>`, done.
    DatasetErased(DatasetErased),
    /// `dataset:<name>`, failed.
    DatasetTables(DatasetTables),
    /// `dataset:<name>`, read for an access report.
    DatasetRead(DatasetRead),
    /// `vault`.
    Vault(VaultErased),
    /// `webhook:<recipient>`, `notice:<recipient>`.
    Recipient(RecipientNotice),
    /// `choices`.
    Choices(ChoicesRecorded),
    /// `item:<category>`.
    Item(ItemCorrected),
    /// `report`.
    Report(ReportCounts),
    /// `restriction`.
    Note(Note),
    /// A system skipped.
    Skipped(Skipped),
}

impl SystemDetail {
    /// The action asked of a recipient, for recipient lines.
    #[must_use]
    pub fn action(&self) -> Option<&str> {
        match self {
            SystemDetail::Recipient(r) => Some(&r.action),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each shape exactly as the workflow wrote it before these types existed (a
    /// `serde_json::json!` map, keys sorted): it still reads, into the right variant, and is
    /// written back byte for byte.
    #[test]
    fn stored_shapes_read_and_write_back_unchanged() {
        let systems = [
            (
                r#"{"remaining":0,"tables":[{"action":"nullify","rows":2,"table":"orders"}],"verified":true}"#,
                "DatasetErased",
            ),
            (
                r#"{"tables":[["orders","nullify"],["customers","mask"]]}"#,
                "DatasetTables",
            ),
            (
                r#"{"rows":3,"tables":[{"rows":1,"table":"customers"},{"rows":2,"table":"addresses"}]}"#,
                "DatasetRead",
            ),
            (
                r#"{"identities_unlinked":1,"items_erased":2,"items_retained":0,"key_destroyed":true}"#,
                "Vault",
            ),
            (
                r#"{"action":"delete","categories":["email"],"event":"erasure"}"#,
                "Recipient",
            ),
            (
                r#"{"keys":[{"key":"sale_opt_out","value":true}],"propagate_by":null}"#,
                "Choices",
            ),
            (
                r#"{"category":"postal_address","item":"0190a1b2-0000-7000-8000-000000000001"}"#,
                "Item",
            ),
            (
                r#"{"confirmation":true,"items":3,"recipients":1}"#,
                "Report",
            ),
            (r#"{"note":"processing restricted"}"#, "Note"),
            (
                r#"{"reason":"no data is held about the requester"}"#,
                "Skipped",
            ),
        ];
        for (text, variant) in systems {
            let d: SystemDetail = serde_json::from_str(text).unwrap();
            assert!(format!("{d:?}").starts_with(variant), "{text}: {d:?}");
            assert_eq!(serde_json::to_string(&d).unwrap(), text);
        }
        let steps = [
            (
                r#"{"kind":"deletion","regimes":["CCPA"],"requester":"subject","verification":"email_code"}"#,
                "Intake",
            ),
            (r#"{"method":"email_code"}"#, "Verified"),
            (r#"{"fields":["postal_address"]}"#, "MoreInformation"),
            (
                r#"{"new_due":"2024-06-15T06:59:59Z","previous_due":"2024-04-19T06:59:59Z"}"#,
                "Extended",
            ),
            (r#"{"reason":"cannot_identify"}"#, "Denied"),
            (
                r#"{"assist_due":"2024-04-19T06:59:59Z","customer":"acme"}"#,
                "Forwarded",
            ),
            (r#"{"run":2}"#, "RunStarted"),
            (
                r#"{"reason":"SQL: frozen","system":"dataset:shop"}"#,
                "RunFailed",
            ),
            (r#"{}"#, "None"),
        ];
        for (text, variant) in steps {
            let d: StepDetail = serde_json::from_str(text).unwrap();
            assert!(format!("{d:?}").starts_with(variant), "{text}: {d:?}");
            assert_eq!(serde_json::to_string(&d).unwrap(), text);
        }
    }
}
