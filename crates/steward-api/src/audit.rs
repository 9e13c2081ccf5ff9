//! The audit log: entries (ids, codes and digests only) and the verification of the hash
//! chain and checkpoint signatures (AUD-02).

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::common::Named;

/// A kind of audit event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AuditKindDto {
    /// A decision.
    Decision,
    /// A read of personal data or of the audit log.
    Read,
    /// A write of personal data.
    Write,
    /// A choice.
    Choice,
    /// A step of a data subject request.
    RequestStep,
    /// An administrator action.
    Admin,
    /// A key operation.
    Key,
    /// A system event.
    System,
}

/// Filters.
#[derive(Debug, Clone, Serialize, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AuditParams {
    /// Only events about this subject.
    #[param(format = Uuid)]
    pub subject_id: Option<String>,
    /// Only this kind.
    pub kind: Option<AuditKindDto>,
    /// At or after this time (RFC 3339).
    #[param(format = DateTime)]
    pub from: Option<String>,
    /// Strictly before this time (RFC 3339).
    #[param(format = DateTime)]
    pub until: Option<String>,
    /// Continue after this sequence number (`next_after` of the previous page).
    #[param(minimum = 0, maximum = 9_223_372_036_854_775_807_i64)]
    pub after: Option<u64>,
    /// Page size, 1 to 10 000 (default 100).
    #[param(minimum = 1, maximum = 10000)]
    pub limit: Option<u32>,
}

/// Who acted.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ActorOut {
    /// `subject`, `service` or `system`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The subject id or service name.
    pub id: Option<String>,
}

/// A decision outcome.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct OutcomeOut {
    /// Allowed?
    pub allow: bool,
    /// Reason code.
    pub reason: String,
}

/// An audit entry (no personal data: ids, codes and digests only).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AuditEntryOut {
    /// Sequence number.
    pub seq: u64,
    /// Event id (a decision's id is its event id).
    pub id: String,
    /// When.
    pub at: String,
    /// Kind.
    pub kind: String,
    /// What was done.
    pub action: String,
    /// Who.
    pub actor: ActorOut,
    /// Subject concerned.
    pub subject_id: Option<String>,
    /// Account concerned.
    pub account_id: Option<String>,
    /// Categories.
    pub categories: Vec<String>,
    /// Purpose.
    pub purpose: Option<String>,
    /// Recipient.
    pub recipient: Option<String>,
    /// Decision outcome.
    pub outcome: Option<OutcomeOut>,
    /// Requirement ids.
    pub rules: Vec<String>,
    /// Policy version.
    pub policy_version: Option<String>,
    /// Engine version.
    pub engine_version: Option<String>,
    /// Jurisdiction.
    pub jurisdiction: Option<String>,
    /// References to other records.
    pub refs: Vec<Named>,
    /// SHA-256 digests of values.
    pub digests: Vec<Named>,
    /// Attributes.
    pub attributes: Vec<Named>,
    /// Chain hash (hex).
    pub hash: String,
    /// Previous chain hash (hex).
    pub prev_hash: String,
}

/// A page of the audit log.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AuditPage {
    /// Entries in sequence order.
    pub entries: Vec<AuditEntryOut>,
    /// Pass as `after` for the next page (absent on the last page).
    pub next_after: Option<u64>,
}

/// Where the chain is broken.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct BreakOut {
    /// Sequence number of the entry or checkpoint at fault.
    pub seq: u64,
    /// What is wrong, as a stable code: `altered`, `removed`, `reordered`, `malformed`,
    /// `checkpoint_mismatch`, `bad_signature`, `unknown_key`, `checkpoint_order`,
    /// `malformed_checkpoint`, `checkpoint_removed`, `unsigned`, `unreadable`.
    pub kind: String,
    /// What is wrong.
    pub message: String,
}

/// The result of a verification.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct VerifyOut {
    /// The chain and every checkpoint signature verify.
    pub ok: bool,
    /// Entries verified.
    pub entries: u64,
    /// Checkpoints verified.
    pub checkpoints: u64,
    /// Sequence number of the last entry.
    pub head_seq: Option<u64>,
    /// Hash of the last entry (hex).
    pub head_hash: Option<String>,
    /// The signed head kept outside the database that the log was checked against.
    pub signed_head_seq: Option<u64>,
    /// Entries after the last signed checkpoint: what a truncation could remove unseen.
    pub unsigned: u64,
    /// Audit entries of committed writes not chained yet (they are chained by the writer).
    pub pending_intents: u64,
    /// The first break, when `ok` is false.
    #[serde(rename = "break")]
    pub broken: Option<BreakOut>,
}

#[cfg(feature = "core")]
mod convert {
    use steward_store::model::audit::{Actor, AuditEntry, AuditKind};
    use steward_store::verify::{VerifyError, VerifyReport};

    use super::{ActorOut, AuditEntryOut, AuditKindDto, BreakOut, OutcomeOut, VerifyOut};
    use crate::common::{Named, ts};

    impl From<AuditKindDto> for AuditKind {
        fn from(k: AuditKindDto) -> Self {
            match k {
                AuditKindDto::Decision => AuditKind::Decision,
                AuditKindDto::Read => AuditKind::Read,
                AuditKindDto::Write => AuditKind::Write,
                AuditKindDto::Choice => AuditKind::Choice,
                AuditKindDto::RequestStep => AuditKind::RequestStep,
                AuditKindDto::Admin => AuditKind::Admin,
                AuditKindDto::Key => AuditKind::Key,
                AuditKindDto::System => AuditKind::System,
            }
        }
    }

    impl From<&AuditEntry> for AuditEntryOut {
        fn from(en: &AuditEntry) -> Self {
            let e = &en.event;
            AuditEntryOut {
                seq: en.seq.get(),
                id: e.id.to_string(),
                at: ts(e.at),
                kind: e.kind.as_str().to_string(),
                action: e.action.as_str().to_string(),
                actor: match &e.actor {
                    Actor::Subject(s) => ActorOut {
                        kind: "subject".into(),
                        id: Some(s.to_string()),
                    },
                    Actor::Service(s) => ActorOut {
                        kind: "service".into(),
                        id: Some(s.as_str().to_string()),
                    },
                    Actor::System => ActorOut {
                        kind: "system".into(),
                        id: None,
                    },
                },
                subject_id: e.subject.map(|s| s.to_string()),
                account_id: e.account.map(|a| a.to_string()),
                categories: e
                    .categories
                    .iter()
                    .map(|c| c.as_str().to_string())
                    .collect(),
                purpose: e.purpose.as_ref().map(|p| p.as_str().to_string()),
                recipient: e.recipient.as_ref().map(|r| r.as_str().to_string()),
                outcome: e.outcome.as_ref().map(|o| OutcomeOut {
                    allow: o.allow,
                    reason: o.reason.as_str().to_string(),
                }),
                rules: e.rules.iter().map(|r| r.as_str().to_string()).collect(),
                policy_version: e.policy_version.as_ref().map(|p| p.as_str().to_string()),
                engine_version: e.engine_version.as_ref().map(|p| p.as_str().to_string()),
                jurisdiction: e.jurisdiction.as_ref().map(|j| j.as_str().to_string()),
                refs: e
                    .refs
                    .iter()
                    .map(|r| Named {
                        name: r.name.as_str().to_string(),
                        value: r.id.to_string(),
                    })
                    .collect(),
                digests: e
                    .digests
                    .iter()
                    .map(|d| Named {
                        name: d.name.as_str().to_string(),
                        value: d.digest.to_hex(),
                    })
                    .collect(),
                attributes: e
                    .attributes
                    .iter()
                    .map(|a| Named {
                        name: a.name.as_str().to_string(),
                        value: a.value.as_str().to_string(),
                    })
                    .collect(),
                hash: en.hash.to_hex(),
                prev_hash: en.prev_hash.to_hex(),
            }
        }
    }

    /// The stable code of a break kind.
    fn break_kind(kind: steward_store::verify::BreakKind) -> &'static str {
        use steward_store::verify::BreakKind as K;
        match kind {
            K::Altered => "altered",
            K::Removed => "removed",
            K::Reordered => "reordered",
            K::Malformed => "malformed",
            K::CheckpointMismatch { .. } => "checkpoint_mismatch",
            K::BadSignature => "bad_signature",
            K::UnknownKey => "unknown_key",
            K::CheckpointOrder => "checkpoint_order",
            K::MalformedCheckpoint { .. } => "malformed_checkpoint",
            K::CheckpointRemoved => "checkpoint_removed",
            K::Unsigned { .. } => "unsigned",
        }
    }

    impl From<Result<VerifyReport, VerifyError>> for VerifyOut {
        fn from(r: Result<VerifyReport, VerifyError>) -> Self {
            match r {
                Ok(r) => VerifyOut {
                    ok: true,
                    entries: r.entries,
                    checkpoints: r.checkpoints,
                    head_seq: r.head.map(|h| h.seq.get()),
                    head_hash: r.head.map(|h| h.hash.to_hex()),
                    signed_head_seq: r.signed_head.map(|s| s.get()),
                    unsigned: r.unsigned,
                    pending_intents: r.pending_intents,
                    broken: None,
                },
                Err(e) => VerifyOut {
                    ok: false,
                    entries: 0,
                    checkpoints: 0,
                    head_seq: None,
                    head_hash: None,
                    signed_head_seq: None,
                    unsigned: 0,
                    pending_intents: 0,
                    broken: Some(match &e {
                        VerifyError::Broken(b) => BreakOut {
                            seq: b.seq.get(),
                            kind: break_kind(b.kind).to_string(),
                            message: e.to_string(),
                        },
                        VerifyError::Store(_) => BreakOut {
                            seq: 0,
                            kind: "unreadable".to_string(),
                            message: e.to_string(),
                        },
                    }),
                },
            }
        }
    }
}
