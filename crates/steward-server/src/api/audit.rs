//! The audit log: query by subject, kind and time (the query is itself audited, AUD-06), and
//! verify the hash chain and checkpoint signatures (AUD-02).

use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use steward_store::ids::{AuditSeq, SubjectId};
use steward_store::model::account::AdminPermission;
use steward_store::model::audit::{Actor, AuditEntry, AuditKind, AuditQuery};
use utoipa::{IntoParams, ToSchema};

use super::{hex, ts};
use crate::auth::Auth;
use crate::extract::{ApiQuery, parse_id};
use crate::problem::{ApiError, ApiResult};
use crate::state::AppState;

/// A kind of audit event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
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

/// Filters.
#[derive(Debug, Clone, Deserialize, IntoParams)]
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
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ActorOut {
    /// `subject`, `service` or `system`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The subject id or service name.
    pub id: Option<String>,
}

/// A decision outcome.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OutcomeOut {
    /// Allowed?
    pub allow: bool,
    /// Reason code.
    pub reason: String,
}

/// A named value.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Named {
    /// Name.
    pub name: String,
    /// Value (an id, a hex digest or a code).
    pub value: String,
}

/// An audit entry (no personal data: ids, codes and digests only).
#[derive(Debug, Clone, Serialize, ToSchema)]
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
                    value: hex(&d.digest.0),
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
            hash: hex(&en.hash.0),
            prev_hash: hex(&en.prev_hash.0),
        }
    }
}

/// A page of the audit log.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AuditPage {
    /// Entries in sequence order.
    pub entries: Vec<AuditEntryOut>,
    /// Pass as `after` for the next page (absent on the last page).
    pub next_after: Option<u64>,
}

/// Where the chain is broken.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BreakOut {
    /// Sequence number of the entry or checkpoint at fault.
    pub seq: u64,
    /// What is wrong, as a stable code: `altered`, `removed`, `reordered`, `malformed`,
    /// `checkpoint_mismatch`, `bad_signature`, `unknown_key`, `checkpoint_order`,
    /// `malformed_checkpoint`, `checkpoint_removed`, `unsigned`.
    pub kind: String,
    /// What is wrong.
    pub message: String,
}

/// The result of a verification.
#[derive(Debug, Clone, Serialize, ToSchema)]
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

fn time(raw: &Option<String>, name: &str) -> Result<Option<jiff::Timestamp>, ApiError> {
    raw.as_deref()
        .map(|t| {
            t.parse::<jiff::Timestamp>().map_err(|_| {
                ApiError::bad_request("BAD_QUERY", format!("`{name}` must be an RFC 3339 time"))
            })
        })
        .transpose()
}

/// Query the audit log (the query itself is audited).
#[utoipa::path(get, path = "/v1/audit", tag = "audit",
    params(AuditParams),
    responses((status = 200, description = "A page of entries", body = AuditPage)))]
pub async fn query(
    State(st): State<AppState>,
    auth: Auth,
    ApiQuery(p): ApiQuery<AuditParams>,
) -> ApiResult<Json<AuditPage>> {
    auth.require("admin")?;
    let subject: Option<SubjectId> = p
        .subject_id
        .as_deref()
        .map(|s| parse_id(s, "subject"))
        .transpose()?;
    let caller = match (auth.key.account, subject) {
        (None, _) => auth.caller(),
        (Some(_), Some(s)) => auth.access(&st, s, AdminPermission::ViewPi).await?,
        (Some(_), None) => {
            return Err(ApiError::invalid(
                "SUBJECT_REQUIRED",
                "a key limited to an account queries the audit log by `subject_id`",
            ));
        }
    };
    let kind = p.kind.map(AuditKind::from);
    let limit = match p.limit {
        None => 100,
        Some(l) if (1..=AuditQuery::MAX_LIMIT).contains(&l) => l,
        Some(_) => {
            return Err(ApiError::bad_request(
                "BAD_QUERY",
                "`limit` is between 1 and 10000",
            ));
        }
    };
    let after = match p.after {
        None | Some(0) => None,
        Some(a) => Some(
            i64::try_from(a)
                .ok()
                .and_then(|_| AuditSeq::new(a).ok())
                .ok_or_else(|| {
                    ApiError::bad_request(
                        "BAD_QUERY",
                        "`after` is a sequence number (at most 9223372036854775807)",
                    )
                })?,
        ),
    };
    let q = AuditQuery {
        subject,
        kind,
        from: time(&p.from, "from")?,
        until: time(&p.until, "until")?,
        after,
        limit,
    };
    let entries = st.steward().query_audit(&caller, q).await?;
    let next_after = (entries.len() == limit as usize)
        .then(|| entries.last().map(|e| e.seq.get()))
        .flatten();
    Ok(Json(AuditPage {
        entries: entries.iter().map(AuditEntryOut::from).collect(),
        next_after,
    }))
}

/// Verify the whole chain, every checkpoint signature and the signed head kept outside the
/// database; names the first entry altered, removed or reordered, or the first checkpoint
/// malformed or missing (tampering is a 200 with `ok: false`, not an error).
#[utoipa::path(post, path = "/v1/audit/verify", tag = "audit",
    responses((status = 200, description = "The verification result", body = VerifyOut)))]
pub async fn verify(State(st): State<AppState>, auth: Auth) -> ApiResult<Json<VerifyOut>> {
    auth.require("admin")?;
    auth.service_wide()?;
    st.steward().audit().flush().await;
    Ok(Json(match st.steward().verify_audit().await? {
        Ok(r) => VerifyOut {
            ok: true,
            entries: r.entries,
            checkpoints: r.checkpoints,
            head_seq: r.head.map(|h| h.seq.get()),
            head_hash: r.head.map(|h| hex(&h.hash.0)),
            signed_head_seq: r.signed_head.map(AuditSeq::get),
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
                steward_store::verify::VerifyError::Broken(b) => BreakOut {
                    seq: b.seq.get(),
                    kind: break_kind(b.kind).to_string(),
                    message: e.to_string(),
                },
                steward_store::verify::VerifyError::Store(_) => BreakOut {
                    seq: 0,
                    kind: "unreadable".to_string(),
                    message: e.to_string(),
                },
            }),
        },
    }))
}
