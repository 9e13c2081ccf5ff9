//! Decisions: single (`POST /v1/decisions`), batch (`POST /v1/decisions/batch`) and explain
//! (`GET /v1/decisions/{id}`), in the decision JSON of `docs/decisions.md`.
//!
//! The request is the engine's own wire type ([`steward_policy::wire::Request`]) and a
//! decision is its [`DecisionJson`] with the audited `decision_id`: their JSON Schemas are the
//! ones schemars generates from those types ([`crate::schema::external`]), so the document and
//! the engine cannot disagree.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use steward_policy::wire::{DecisionJson, Op, Request};
use utoipa::openapi::schema::{AllOfBuilder, AnyOfBuilder, ObjectBuilder, Type};
use utoipa::openapi::{Ref, RefOr, Schema};
use utoipa::{PartialSchema, ToSchema};

use crate::choices::EffectiveChoices;
use crate::common::Named;

/// The component name of a decision answer.
pub const DECISION_SCHEMA: &str = "Decision";

/// A decision request (`docs/decisions.md`): the engine's wire type, decoded strictly.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DecisionRequest(pub Request);

impl PartialSchema for DecisionRequest {
    fn schema() -> RefOr<Schema> {
        crate::schema::placeholder("DecisionRequest")
    }
}

impl ToSchema for DecisionRequest {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("DecisionRequest")
    }
}

/// A decision with its ids: the engine's decision JSON, the operation, your correlation id and
/// the audited decision id.
#[derive(Debug, Clone, Serialize)]
pub struct DecisionAnswer<'a> {
    /// The operation.
    pub op: Op,
    /// Your correlation id, echoed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<&'a str>,
    /// The audited decision id.
    pub decision_id: String,
    /// The decision.
    #[serde(flatten)]
    pub decision: DecisionJson<'a>,
}

/// The answer to one decision request: a decision, or for `effective_choices` the effective
/// choices with provenance.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum DecisionOut<'a> {
    /// A decision.
    Decision(DecisionAnswer<'a>),
    /// Effective choices.
    Choices(EffectiveChoices),
}

/// The schema of a decision with its ids ([`DECISION_ANSWER_SCHEMA`]).
fn decision_answer_schema() -> RefOr<Schema> {
    let string = || ObjectBuilder::new().schema_type(Type::String);
    let ids = ObjectBuilder::new()
        .schema_type(Type::Object)
        .property("op", string().description(Some("The operation.")))
        .property(
            "id",
            string().description(Some("Your correlation id, echoed.")),
        )
        .property(
            "decision_id",
            string().description(Some(
                "The audited decision id (`<batch_id>:<index>` in a batch audited as one entry).",
            )),
        )
        .property(
            "index",
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .minimum(Some(0))
                .description(Some("Position in the batch.")),
        )
        .property(
            "subject_id",
            string().description(Some("The stored subject a `template` batch asked about.")),
        )
        .required("op")
        .required("decision_id");
    AllOfBuilder::new()
        .description(Some("A decision (see docs/decisions.md) with its ids."))
        .item(Ref::from_schema_name(crate::schema::DECISION_JSON))
        .item(ids)
        .into()
}

/// The component name of a decision with its ids (one branch of [`DECISION_SCHEMA`]): a
/// named schema rather than an inline `allOf` inside the `anyOf`, which code generators
/// (openapi-python-client) cannot read.
pub const DECISION_ANSWER_SCHEMA: &str = "DecisionAnswer";

impl PartialSchema for DecisionOut<'_> {
    fn schema() -> RefOr<Schema> {
        AnyOfBuilder::new()
            .description(Some(
                "A decision (see docs/decisions.md) or, for `effective_choices`, the effective choices with provenance; with `decision_id`.",
            ))
            .item(Ref::from_schema_name(DECISION_ANSWER_SCHEMA))
            .item(Ref::from_schema_name(EffectiveChoices::name()))
            .into()
    }
}

impl ToSchema for DecisionOut<'_> {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed(DECISION_SCHEMA)
    }

    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        schemas.push((DECISION_ANSWER_SCHEMA.into(), decision_answer_schema()));
        schemas.push((EffectiveChoices::name().into(), EffectiveChoices::schema()));
        EffectiveChoices::schemas(schemas);
    }
}

/// How a batch is audited.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum BatchAudit {
    /// One audit entry for the batch, with the SHA-256 of the request body and of the
    /// decisions; decision ids are `<batch_id>:<index>` (docs/api.md explains the trade-off).
    #[default]
    Batch,
    /// One audit entry per decision, each with its own replayable id (slower).
    Each,
}

/// A batch of decision requests. Each element of `requests` is kept as raw JSON and decoded
/// as a `DecisionRequest` on its own, so one malformed request is answered with an error
/// object in its place and the rest is still decided.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BatchIn<'a> {
    /// The requests (the decision JSON of `docs/decisions.md`), answered in order; a request
    /// that does not decode is answered with an error object in its place. Give either
    /// `requests`, or `template` and `subjects`.
    #[serde(borrow, default)]
    #[schema(value_type = Option<Vec<DecisionRequest>>)]
    pub requests: Option<Vec<&'a RawValue>>,
    /// One question (a decision request without `subject`) asked for every subject of
    /// `subjects`; results carry `subject_id`.
    #[serde(default)]
    pub template: Option<DecisionRequest>,
    /// Stored subject ids for `template`, answered in order.
    #[serde(borrow, default)]
    #[schema(value_type = Option<Vec<String>>)]
    pub subjects: Option<Vec<Cow<'a, str>>>,
    /// How to audit: `batch` (default) or `each`.
    #[serde(default)]
    pub audit: Option<BatchAudit>,
}

/// An error of a batch element.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ErrorBody {
    /// Stable code (`BAD_JSON`, `NOT_FOUND`, `BAD_SUBJECT_ID`, `MISSING_FIELD` …).
    pub code: String,
    /// What is wrong.
    pub message: String,
}

/// A request of a batch that could not be decided.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct BatchError {
    /// Position in the batch.
    #[schema(minimum = 0)]
    pub index: u64,
    /// Your correlation id, when the request had one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// What went wrong.
    pub error: ErrorBody,
}

/// A decided element of a batch: its position and the answer.
#[derive(Debug, Clone, Serialize)]
pub struct IndexedDecision<'a> {
    /// Position in the batch.
    pub index: u64,
    /// The answer.
    #[serde(flatten)]
    pub answer: DecisionOut<'a>,
}

/// One result of a batch: a decision with `index` and `decision_id`, or an error object.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum BatchItem<'a> {
    /// Decided.
    Decided(IndexedDecision<'a>),
    /// Not decided.
    Error(BatchError),
}

impl PartialSchema for BatchItem<'_> {
    fn schema() -> RefOr<Schema> {
        AnyOfBuilder::new()
            .description(Some(
                "One result of a batch: a decision with `index` and `decision_id`, or an error object.",
            ))
            .item(Ref::from_schema_name(DECISION_SCHEMA))
            .item(Ref::from_schema_name(BatchError::name()))
            .into()
    }
}

impl ToSchema for BatchItem<'_> {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("BatchItem")
    }

    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        schemas.push((DECISION_SCHEMA.into(), DecisionOut::schema()));
        DecisionOut::schemas(schemas);
        schemas.push((BatchError::name().into(), BatchError::schema()));
        BatchError::schemas(schemas);
    }
}

/// What is known of a batch once it is decided and audited (everything but the decisions).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct BatchSummary {
    /// The batch id (`audit: batch`); decision `i` is `<batch_id>:<i>`.
    pub batch_id: Option<String>,
    /// `batch` or `each`.
    pub audit: BatchAudit,
    /// Audit sequence number of the batch entry (`audit: batch`).
    pub audit_seq: Option<u64>,
    /// Requests answered.
    pub count: u64,
    /// Allows.
    pub allowed: u64,
    /// Denies.
    pub denied: u64,
    /// Requests answered with an error object.
    pub errors: u64,
    /// SHA-256 (hex) of the `decisions` array exactly as sent (`audit: batch`), as recorded
    /// in the audit log.
    pub decisions_sha256: Option<String>,
}

/// The answers to a batch.
#[derive(Debug, Serialize, ToSchema)]
pub struct BatchOut<'a> {
    /// One result per request, in order: a decision with `index` and `decision_id`, or
    /// `{index, error: {code, message}}`.
    pub decisions: Vec<BatchItem<'a>>,
    /// The counts and ids.
    #[serde(flatten)]
    pub summary: BatchSummary,
}

/// One step of the evaluation path (DEC-00).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PathStep {
    /// The step (`registry`, `hard_locks` …).
    pub step: String,
    /// Whether the request passed it.
    pub ok: bool,
    /// What the step found.
    pub note: String,
}

/// A past decision explained (AUD-07): recorded inputs and outcome, requirement ids, and for
/// stored subjects the DEC-00 `path` replayed from the ledger.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Explanation {
    /// The decision id.
    pub decision_id: String,
    /// The operation.
    pub op: String,
    /// When it was decided.
    pub at: String,
    /// Its audit sequence number.
    pub audit_seq: u64,
    /// Allowed?
    pub allow: Option<bool>,
    /// Reason code.
    pub reason: Option<String>,
    /// Requirement ids.
    pub requirements: Vec<String>,
    /// Categories asked about.
    pub categories: Vec<String>,
    /// Purpose.
    pub purpose: Option<String>,
    /// Recipient.
    pub recipient: Option<String>,
    /// Jurisdiction.
    pub jurisdiction: Option<String>,
    /// The stored subject, if any.
    pub subject_id: Option<String>,
    /// Policy version.
    pub policy_version: Option<String>,
    /// Engine version.
    pub engine_version: Option<String>,
    /// Recorded attributes (flags of the context, the subject's kind).
    pub attributes: Vec<Named>,
    /// For a stored subject: the DEC-00 path replayed from the ledger as it was at the
    /// decision's time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<Vec<PathStep>>,
    /// For a replayed decision: the clause it rests on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clause: Option<String>,
    /// For a replayed decision: the replay reached the recorded outcome.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replay_matches: Option<bool>,
    /// For a replayed decision: the policy changed since, so the replay used the policy in
    /// force now.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replayed_with_current_policy: Option<bool>,
}

/// The batch audit entry a batch decision belongs to.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct BatchRecord {
    /// Requests answered.
    pub count: u64,
    /// Allows.
    pub allowed: Option<u64>,
    /// Denies.
    pub denied: Option<u64>,
    /// Errors.
    pub errors: Option<u64>,
    /// Decisions per `allow:<reason>` / `deny:<reason>`.
    pub by_reason: BTreeMap<String, u64>,
    /// SHA-256 (hex) of the request body as received.
    pub requests_sha256: Option<String>,
    /// SHA-256 (hex) of the `decisions` array as returned.
    pub decisions_sha256: Option<String>,
}

/// A decision of a batch audited as one entry: the batch's audit entry.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct BatchExplanation {
    /// `<batch_id>:<index>`.
    pub decision_id: String,
    /// The batch.
    pub batch_id: String,
    /// Position in the batch.
    pub index: u64,
    /// `decide_batch`.
    pub op: String,
    /// When the batch was decided.
    pub at: String,
    /// The batch entry's audit sequence number.
    pub audit_seq: u64,
    /// Policy version.
    pub policy_version: Option<String>,
    /// Engine version.
    pub engine_version: Option<String>,
    /// The batch's counts and digests.
    pub batch: BatchRecord,
    /// What a batch entry proves and what it does not.
    pub note: String,
}

/// The explanation of a decision id: a single decision, or a batch decision's batch.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum ExplainOut {
    /// A single decision (or one of a batch audited per decision).
    Decision(Explanation),
    /// A decision of a batch audited as one entry.
    Batch(BatchExplanation),
}

/// What the explanation of a batch decision says about itself.
pub const BATCH_NOTE: &str = "decided in a batch audited as one entry: the log proves the answers (SHA-256 of the response's `decisions` array) but keeps no per-decision inputs; ask with `audit: each` or the single endpoint for a replayable path";

/// A decision as an API client reads it: the owned form of [`DecisionAnswer`] (the server
/// writes the borrowed one on its hot path). A test holds the two to the same JSON, field for
/// field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    /// The operation.
    pub op: Op,
    /// Your correlation id, echoed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The audited decision id.
    pub decision_id: String,
    /// Allowed?
    pub allow: bool,
    /// The reason code (`ALLOW`, `CATEGORY_EXCLUDED`, `SUBJECT_OPTED_OUT` …).
    pub reason: String,
    /// Detail: the excluded category or the missing clause.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// The clause of the policy the decision rests on.
    pub clause: String,
    /// Requirement ids.
    pub requirements: Vec<String>,
    /// The rule's origin.
    pub rule: String,
    /// What comes with an allow.
    pub obligations: Obligations,
    /// For disclosures: the requested categories that may go.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allowed: Vec<String>,
    /// For disclosures: the requested categories that may not.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub excluded: Vec<String>,
    /// The policy version decided under.
    pub policy_version: String,
}

impl Decision {
    /// The reason code of a disclosure refused only because some of the requested categories
    /// may not go (docs/decisions.md).
    pub const CATEGORY_EXCLUDED: &'static str = "CATEGORY_EXCLUDED";

    /// For a disclosure refused only because some categories may not go: the categories that
    /// may (`allowed`). Ask again with just those to get the allow and its obligations.
    #[must_use]
    pub fn projection(&self) -> Option<&[String]> {
        (!self.allow && self.reason == Self::CATEGORY_EXCLUDED && !self.allowed.is_empty())
            .then_some(self.allowed.as_slice())
    }

    /// The categories to drop before the data is used or shared: those the decision
    /// excluded and those its obligations redact.
    #[must_use]
    pub fn dropped_categories(&self) -> Vec<&str> {
        let mut out: Vec<&str> = self
            .excluded
            .iter()
            .chain(&self.obligations.redact)
            .map(String::as_str)
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// The obligations of a decision (owned form of `ObligationsJson`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Obligations {
    /// The decision is audited.
    pub audit: bool,
    /// Record the disclosure when it happens (`POST /v1/disclosures`).
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
    /// GDPR Art. 14 notice due within a month.
    #[serde(default, skip_serializing_if = "is_false")]
    pub art14_notice: bool,
    /// Include an unsubscribe link.
    #[serde(default, skip_serializing_if = "is_false")]
    pub unsubscribe_link: bool,
    /// Identify the message as advertising, with the postal address.
    #[serde(default, skip_serializing_if = "is_false")]
    pub canspam_identify: bool,
    /// Bring the right to object to the subject's attention.
    #[serde(default, skip_serializing_if = "is_false")]
    pub right_to_object_notice: bool,
    /// Pseudonymize before storage.
    #[serde(default, skip_serializing_if = "is_false")]
    pub pseudonymize: bool,
    /// Categories to drop.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub redact: Vec<String>,
    /// Aggregate with at least this group size.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aggregate_k: Option<u32>,
    /// Coarsen location to at least this radius (feet).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coarsen_ft: Option<u32>,
}

#[cfg(test)]
mod owned_tests {
    use steward_policy::wire::{DecisionJson, ObligationsJson, Op};

    use super::{Decision, DecisionAnswer};

    /// The owned decision reads every field the server writes and writes it back the same.
    #[test]
    fn the_owned_decision_holds_every_field_of_the_served_one() {
        let requirements = vec!["MP-01".to_string(), "MP-02".to_string()];
        let served = DecisionAnswer {
            op: Op::CanDisclose,
            id: Some("corr-1"),
            decision_id: "0190a1b2-0000-7000-8000-000000000001".into(),
            decision: DecisionJson {
                allow: true,
                reason: "ALLOW",
                detail: Some("email".into()),
                clause: "2(c) Sharing",
                requirements: &requirements,
                rule: "recipient `MP1`",
                obligations: ObligationsJson {
                    audit: true,
                    record_disclosure: true,
                    record_collection: true,
                    notify_subject: true,
                    notice_suppressed: true,
                    art14_notice: true,
                    unsubscribe_link: true,
                    canspam_identify: true,
                    right_to_object_notice: true,
                    pseudonymize: true,
                    redact: vec!["phone"],
                    aggregate_k: Some(5),
                    coarsen_ft: Some(1000),
                },
                allowed: vec!["name", "postal_address"],
                excluded: vec!["email"],
                policy_version: "2020-01-17",
            },
        };
        let json = serde_json::to_value(&served).unwrap();
        let owned: Decision = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(serde_json::to_value(&owned).unwrap(), json);
        assert_eq!(owned.dropped_categories(), ["email", "phone"]);
        // An allow has no projection to ask again with; a category exclusion does.
        assert_eq!(owned.projection(), None);
        let refused = Decision {
            allow: false,
            reason: "CATEGORY_EXCLUDED".into(),
            ..owned.clone()
        };
        assert_eq!(
            refused.projection(),
            Some(&["name".to_string(), "postal_address".to_string()][..])
        );
        let opted_out = Decision {
            allow: false,
            reason: "OPTED_OUT".into(),
            ..owned
        };
        assert_eq!(opted_out.projection(), None);
    }
}

#[cfg(feature = "core")]
mod convert {
    use steward_core::batch::BatchExplanation as CoreBatch;
    use steward_core::decisions::{Answer, Decided, Explained};

    use super::{
        BATCH_NOTE, BatchExplanation, BatchRecord, DecisionAnswer, DecisionOut, Explanation,
        PathStep,
    };
    use crate::choices::effective_choices;
    use crate::common::{Named, ts};

    impl<'a> From<&'a Decided> for DecisionOut<'a> {
        fn from(d: &'a Decided) -> Self {
            match &d.answer {
                Answer::Decision(dec) => DecisionOut::Decision(DecisionAnswer {
                    op: d.op,
                    id: d.id.as_deref(),
                    decision_id: d.event_id.to_string(),
                    decision: d.engine().decision_json(dec),
                }),
                Answer::Choices { effective, eu } => {
                    DecisionOut::Choices(effective_choices(d, effective, *eu))
                }
            }
        }
    }

    impl From<&Explained> for Explanation {
        fn from(x: &Explained) -> Self {
            let e = &x.entry.event;
            Explanation {
                decision_id: e.id.to_string(),
                op: e.action.as_str().to_string(),
                at: ts(e.at),
                audit_seq: x.entry.seq.get(),
                allow: e.outcome.as_ref().map(|o| o.allow),
                reason: e.outcome.as_ref().map(|o| o.reason.as_str().to_string()),
                requirements: e.rules.iter().map(|r| r.as_str().to_string()).collect(),
                categories: e
                    .categories
                    .iter()
                    .map(|c| c.as_str().to_string())
                    .collect(),
                purpose: e.purpose.as_ref().map(|p| p.as_str().to_string()),
                recipient: e.recipient.as_ref().map(|r| r.as_str().to_string()),
                jurisdiction: e.jurisdiction.as_ref().map(|j| j.as_str().to_string()),
                subject_id: e.subject.map(|s| s.to_string()),
                policy_version: e.policy_version.as_ref().map(|p| p.as_str().to_string()),
                engine_version: e.engine_version.as_ref().map(|p| p.as_str().to_string()),
                attributes: e
                    .attributes
                    .iter()
                    .map(|a| Named {
                        name: a.name.as_str().to_string(),
                        value: a.value.as_str().to_string(),
                    })
                    .collect(),
                path: x.replay.as_ref().map(|r| {
                    r.path
                        .steps
                        .iter()
                        .map(|(s, ok, note)| PathStep {
                            step: s.as_str().to_string(),
                            ok: *ok,
                            note: (*note).to_string(),
                        })
                        .collect()
                }),
                clause: x.replay.as_ref().and_then(|r| r.clause.clone()),
                replay_matches: x.replay.as_ref().map(|r| r.matches),
                replayed_with_current_policy: x.replay.as_ref().map(|r| r.with_current_policy),
            }
        }
    }

    impl From<&CoreBatch> for BatchExplanation {
        fn from(b: &CoreBatch) -> Self {
            BatchExplanation {
                decision_id: format!("{}:{}", b.batch, b.index),
                batch_id: b.batch.to_string(),
                index: b.index,
                op: "decide_batch".to_string(),
                at: ts(b.at),
                audit_seq: b.audit_seq.get(),
                policy_version: b.policy_version.clone(),
                engine_version: b.engine_version.clone(),
                batch: BatchRecord {
                    count: b.count,
                    allowed: b.allowed,
                    denied: b.denied,
                    errors: b.errors,
                    by_reason: b.by_reason.iter().cloned().collect(),
                    requests_sha256: b.requests_sha256.as_ref().map(|d| d.to_hex()),
                    decisions_sha256: b.decisions_sha256.as_ref().map(|d| d.to_hex()),
                },
                note: BATCH_NOTE.to_string(),
            }
        }
    }
}
