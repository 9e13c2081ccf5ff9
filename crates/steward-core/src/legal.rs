//! The register of legal requests (LEGALREQ-01, LEGALREQ-02, LEGALREQ-03, LEGALREQ-04, LEGALREQ-05, LEGALREQ-06): a subpoena, court order, search warrant
//! or other law-enforcement request, with the authority, the instrument, the legal basis, the
//! scope (categories), the subjects it concerns (`eu_subject` when one is an EU data subject:
//! LEGALREQ-06), a non-disclosure order, and the good-faith review by someone other than who
//! registered it (LEGALREQ-02). A disclosure under it is decided against the stored record —
//! never a caller's assertion — recorded in the disclosure register, and counted per
//! instrument in the report (LEGALREQ-04). Case files of the store (`CaseKind::LegalRequest`),
//! each write committed with its audit entry.
//!
//! The subject of a disclosure is told of it (LEGALREQ-05) unless a non-disclosure order
//! (`gag_order`) or a legal prohibition of notice (`notice_prohibited`, with its stated
//! reason) forbids it: each disclosure carries its [`SubjectNotice`] — owed, sent, or
//! suppressed with its reason, audited as `NOTICE_SUPPRESSED` in the disclosure's own audit
//! entry. The notice itself (an e-mail through the outbox) is the request workflow's
//! (`steward-requests`' `legal` module); it is sealed under a data key of the legal request
//! ([`SealedNoticeKey`], created with the first notice owed) and recorded here once queued.

use std::collections::BTreeMap;
use std::str::FromStr;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use steward_policy::wire::{LegalRequestFacts, Request};
use steward_store::AuditedWrite;
use steward_store::ids::{CaseId, CaseTaskId, SubjectId};
use steward_store::model::audit::{AuditKind, EventRef};
use steward_store::model::case::{CaseKind, CaseRecord, CaseTask};
use steward_store::values::store_precision;

use crate::decisions::Decided;
use crate::disclosures::DisclosureInput;
use crate::error::CoreError;
use crate::incidents::{actor_name, attr, body_json, field, key, text};
use crate::{Caller, Steward};

/// The instrument (LEGALREQ-01).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Instrument {
    /// A court order.
    CourtOrder,
    /// A subpoena.
    Subpoena,
    /// A search warrant.
    SearchWarrant,
    /// A national-security request.
    NationalSecurity,
    /// Another law-enforcement request.
    OtherLawEnforcementRequest,
    /// Disclosure on the company's own initiative to protect itself or others.
    SelfInitiatedProtection,
}

impl Instrument {
    /// The wire name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Instrument::CourtOrder => "court_order",
            Instrument::Subpoena => "subpoena",
            Instrument::SearchWarrant => "search_warrant",
            Instrument::NationalSecurity => "national_security",
            Instrument::OtherLawEnforcementRequest => "other_law_enforcement_request",
            Instrument::SelfInitiatedProtection => "self_initiated_protection",
        }
    }
}

/// The legal basis (LEGALREQ-01).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// Disclosure is compelled.
    RequiredByLaw,
    /// Disclosure is permitted, not compelled.
    PermittedByLaw,
}

impl Basis {
    /// The wire name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Basis::RequiredByLaw => "required_by_law",
            Basis::PermittedByLaw => "permitted_by_law",
        }
    }
}

/// A legal request to register.
#[derive(Debug, Clone)]
pub struct LegalRequestInput {
    /// The authority (a court, an agency).
    pub authority: String,
    /// The instrument.
    pub instrument: Instrument,
    /// The legal basis.
    pub basis: Basis,
    /// The categories within its scope (LEGALREQ-03).
    pub scope: Vec<String>,
    /// The subjects it concerns.
    pub subjects: Vec<SubjectId>,
    /// Received (default now).
    pub received_at: Option<Timestamp>,
    /// A non-disclosure order forbids telling the subjects (LEGALREQ-05).
    pub gag_order: bool,
    /// Where the instrument itself is kept (a document reference).
    pub reference: Option<String>,
    /// Notice to the subjects is legally prohibited, for this stated reason (LEGALREQ-05: a
    /// statute or an order other than a non-disclosure order). `None`: not prohibited.
    pub notice_prohibited: Option<String>,
}

/// Why a subject is not told of a disclosure (LEGALREQ-05).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SuppressionReason {
    /// A non-disclosure order.
    GagOrder,
    /// Notice is legally prohibited (the request records the stated reason).
    NoticeProhibited,
}

impl SuppressionReason {
    /// The wire name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            SuppressionReason::GagOrder => "gag_order",
            SuppressionReason::NoticeProhibited => "notice_prohibited",
        }
    }
}

/// The notice of a disclosure to its subject (LEGALREQ-05).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum SubjectNotice {
    /// Owed and not sent yet.
    Pending,
    /// Queued in the outbox (the message id is the disclosure's decision id).
    Queued {
        /// When.
        at: Timestamp,
    },
    /// Not sent: suppressed (audited as `NOTICE_SUPPRESSED`).
    Suppressed {
        /// Why.
        reason: SuppressionReason,
    },
    /// Owed, but the subject has no e-mail address on file (or it was erased).
    NoAddress {
        /// When this was found.
        at: Timestamp,
    },
}

impl SubjectNotice {
    /// The state's wire name.
    #[must_use]
    pub fn as_str(&self) -> &'static str {
        match self {
            SubjectNotice::Pending => "pending",
            SubjectNotice::Queued { .. } => "queued",
            SubjectNotice::Suppressed { .. } => "suppressed",
            SubjectNotice::NoAddress { .. } => "no_address",
        }
    }
}

/// The data key the notices of a legal request are sealed under in the outbox (wrapped by
/// the vault's key-encryption key, bound to the request's id).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SealedNoticeKey {
    /// The key-encryption key that wraps it.
    pub kek: String,
    /// The wrapped data key (base64).
    pub wrapped: String,
}

/// A review's outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewDecision {
    /// Disclose within scope.
    Approve,
    /// Do not disclose.
    Reject,
}

/// A disclosure made under a legal request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LegalDisclosure {
    /// The subject.
    pub subject: SubjectId,
    /// The recipient (the policy's id of the authority).
    pub recipient: String,
    /// The categories sent.
    pub categories: Vec<String>,
    /// The decision that allowed it.
    pub decision_id: String,
    /// When.
    pub at: Timestamp,
    /// The subject is to be told (neither a gag order nor a prohibition of notice).
    pub subject_notified: bool,
    /// The notice's state (LEGALREQ-05); `None` on disclosures recorded before notices were
    /// sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice: Option<SubjectNotice>,
}

/// What a legal request's body holds (the store's `body`, JSON).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LegalRequestBody {
    /// The authority.
    pub authority: String,
    /// The instrument.
    pub instrument: Instrument,
    /// The basis.
    pub basis: Basis,
    /// The scope.
    pub scope: Vec<String>,
    /// The subjects.
    pub subjects: Vec<SubjectId>,
    /// One of them is an EU data subject (LEGALREQ-06).
    pub eu_subject: bool,
    /// Received.
    pub received_at: Timestamp,
    /// Non-disclosure order.
    pub gag_order: bool,
    /// Notice legally prohibited, with the stated reason (LEGALREQ-05).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice_prohibited: Option<String>,
    /// The key the notices to the subjects are sealed under (created with the first one owed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice_key: Option<SealedNoticeKey>,
    /// Where the instrument is kept.
    pub reference: Option<String>,
    /// Who registered it.
    pub requested_by: String,
    /// Who reviewed it (LEGALREQ-02).
    pub reviewer: Option<String>,
    /// The review's rationale.
    pub rationale: Option<String>,
    /// The review's decision.
    pub decision: Option<ReviewDecision>,
    /// When it was reviewed.
    pub reviewed_at: Option<Timestamp>,
    /// The disclosures made under it.
    pub disclosures: Vec<LegalDisclosure>,
}

/// A legal request.
#[derive(Debug, Clone)]
pub struct LegalRequest {
    /// The case file.
    pub case: CaseRecord,
    /// Its record.
    pub body: LegalRequestBody,
}

impl LegalRequest {
    /// The facts a decision uses (LEGALREQ-01, LEGALREQ-02, LEGALREQ-03, LEGALREQ-05): reviewed only when approved.
    #[must_use]
    pub fn facts(&self) -> LegalRequestFacts {
        LegalRequestFacts {
            basis: self.body.basis.as_str().into(),
            reviewed: self.body.decision == Some(ReviewDecision::Approve),
            scope: self.body.scope.clone(),
            // Either forbids telling the subject: the decision's obligations say which applies.
            gag_order: self.body.gag_order || self.body.notice_prohibited.is_some(),
        }
    }

    /// Why the subjects are not told, if they are not (LEGALREQ-05).
    #[must_use]
    pub fn suppression(&self) -> Option<SuppressionReason> {
        if self.body.gag_order {
            Some(SuppressionReason::GagOrder)
        } else if self.body.notice_prohibited.is_some() {
            Some(SuppressionReason::NoticeProhibited)
        } else {
            None
        }
    }
}

/// Legal disclosures per instrument in a period (LEGALREQ-04).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LegalReport {
    /// From (inclusive).
    pub from: Option<Timestamp>,
    /// Until (exclusive).
    pub until: Option<Timestamp>,
    /// Per instrument: requests received, disclosures made, of which about EU subjects.
    pub by_instrument: BTreeMap<&'static str, (u64, u64, u64)>,
}

/// The audit code of a notice not sent (LEGALREQ-05).
pub const NOTICE_SUPPRESSED: &str = "NOTICE_SUPPRESSED";

fn body_of(c: &CaseRecord) -> Result<LegalRequestBody, CoreError> {
    serde_json::from_str(&c.body)
        .map_err(|_| CoreError::Unavailable("a legal request record does not read"))
}

fn conflict(code: steward_errors::ErrorCode, message: &str) -> CoreError {
    CoreError::Conflict {
        code,
        message: message.into(),
    }
}

impl Steward {
    async fn put_legal(
        &self,
        caller: &Caller,
        action: &str,
        case: CaseRecord,
        task: Option<CaseTask>,
        attrs: &[(&str, &str)],
    ) -> Result<LegalRequest, CoreError> {
        let mut e = self.event(AuditKind::Admin, action, caller);
        e.refs = field("legal_request")
            .map(|name| EventRef {
                name,
                id: case.id.as_uuid(),
            })
            .into_iter()
            .collect();
        e.attributes = attrs.iter().filter_map(|(n, v)| attr(n, v)).collect();
        self.store
            .write_audited(
                &AuditedWrite::PutCase {
                    case: case.clone(),
                    tasks: task.into_iter().collect(),
                },
                &[e],
            )
            .await?;
        self.audit.note_appended(1);
        self.legal_request(case.id).await
    }

    /// Register a legal request (LEGALREQ-01, LEGALREQ-06). Audited.
    ///
    /// # Errors
    /// `Invalid(MISSING_FIELD | UNKNOWN_CATEGORY | TIME_IN_FUTURE | TOO_MANY)`, `NotFound`
    /// subject.
    pub async fn register_legal_request(
        &self,
        caller: &Caller,
        input: LegalRequestInput,
    ) -> Result<LegalRequest, CoreError> {
        let now = store_precision(self.clock.now());
        let received_at = store_precision(input.received_at.unwrap_or(now));
        if received_at > now {
            return Err(CoreError::invalid(
                steward_errors::ErrorCode::TimeInFuture,
                "`received_at` cannot be in the future",
            ));
        }
        let authority = text("authority", &input.authority, true)?;
        let reference = match &input.reference {
            Some(r) => Some(text("reference", r, false)?).filter(|r| !r.is_empty()),
            None => None,
        };
        // LEGALREQ-05: a prohibition of notice records why.
        let notice_prohibited = match &input.notice_prohibited {
            Some(r) => Some(text("notice_prohibited", r, true)?),
            None => None,
        };
        if input.scope.len() > crate::incidents::MAX_NAMES
            || input.subjects.len() > crate::incidents::MAX_NAMES
        {
            return Err(CoreError::invalid(
                steward_errors::ErrorCode::TooMany,
                "at most 64 categories and subjects",
            ));
        }
        let engine = self.engine();
        for c in &input.scope {
            if engine.category(c).is_none() {
                return Err(CoreError::invalid(
                    steward_errors::ErrorCode::UnknownCategory,
                    format!(
                        "the policy has no category `{}`",
                        c.chars().take(64).collect::<String>()
                    ),
                ));
            }
        }
        let mut eu_subject = false;
        for s in &input.subjects {
            let r = self.resolve(*s, now).await?;
            eu_subject |= engine.is_eu(&r.subject);
        }
        let body = LegalRequestBody {
            authority,
            instrument: input.instrument,
            basis: input.basis,
            scope: input.scope,
            subjects: input.subjects,
            eu_subject,
            received_at,
            gag_order: input.gag_order,
            notice_prohibited,
            notice_key: None,
            reference,
            requested_by: actor_name(caller),
            reviewer: None,
            rationale: None,
            decision: None,
            reviewed_at: None,
            disclosures: vec![],
        };
        let body_notice_prohibited = body.notice_prohibited.is_some();
        let case = CaseRecord {
            id: CaseId::generate(),
            kind: CaseKind::LegalRequest,
            state: key("awaiting_review")?,
            opened_at: received_at,
            next_due_at: None,
            closed_at: None,
            subject: None,
            body: body_json(&body)?,
            revision: 1,
            updated_at: now,
        };
        self.put_legal(
            caller,
            "legal_request.register",
            case,
            None,
            &[
                ("instrument", input.instrument.as_str()),
                ("basis", input.basis.as_str()),
                ("eu_subject", if eu_subject { "true" } else { "false" }),
                ("gag_order", if input.gag_order { "true" } else { "false" }),
                (
                    "notice_prohibited",
                    if body_notice_prohibited {
                        "true"
                    } else {
                        "false"
                    },
                ),
            ],
        )
        .await
    }

    /// A legal request.
    ///
    /// # Errors
    /// `NotFound`.
    pub async fn legal_request(&self, id: CaseId) -> Result<LegalRequest, CoreError> {
        let case = self.store.get_case(id).await?;
        if case.kind != CaseKind::LegalRequest {
            return Err(CoreError::NotFound("legal request"));
        }
        Ok(LegalRequest {
            body: body_of(&case)?,
            case,
        })
    }

    /// Legal requests, oldest first.
    ///
    /// # Errors
    /// Store failures.
    pub async fn legal_requests(
        &self,
        include_closed: bool,
        limit: u32,
    ) -> Result<Vec<LegalRequest>, CoreError> {
        self.store
            .list_cases(CaseKind::LegalRequest, include_closed, limit)
            .await?
            .into_iter()
            .map(|case| {
                Ok(LegalRequest {
                    body: body_of(&case)?,
                    case,
                })
            })
            .collect()
    }

    /// The good-faith review (LEGALREQ-02): by someone other than who registered it, with a
    /// rationale. A rejection closes the request.
    ///
    /// # Errors
    /// `NotFound`; `Invalid(MISSING_FIELD | REVIEWER_IS_REQUESTER)`; `Conflict(ALREADY_REVIEWED)`.
    pub async fn review_legal_request(
        &self,
        caller: &Caller,
        id: CaseId,
        decision: ReviewDecision,
        rationale: &str,
    ) -> Result<LegalRequest, CoreError> {
        let l = self.legal_request(id).await?;
        if l.body.decision.is_some() {
            return Err(conflict(
                steward_errors::ErrorCode::AlreadyReviewed,
                "the legal request was reviewed already",
            ));
        }
        let reviewer = actor_name(caller);
        if reviewer == l.body.requested_by {
            return Err(CoreError::invalid(
                steward_errors::ErrorCode::ReviewerIsRequester,
                "the review is made by someone other than who registered the request (LEGALREQ-02)",
            ));
        }
        let rationale = text("rationale", rationale, true)?;
        let now = store_precision(self.clock.now());
        let mut body = l.body.clone();
        body.reviewer = Some(reviewer);
        body.rationale = Some(rationale);
        body.decision = Some(decision);
        body.reviewed_at = Some(now);
        let mut case = l.case.clone();
        case.state = key(match decision {
            ReviewDecision::Approve => "approved",
            ReviewDecision::Reject => "rejected",
        })?;
        if decision == ReviewDecision::Reject {
            case.closed_at = Some(now);
        }
        case.body = body_json(&body)?;
        case.revision += 1;
        case.updated_at = now;
        let d = match decision {
            ReviewDecision::Approve => "approve",
            ReviewDecision::Reject => "reject",
        };
        self.put_legal(
            caller,
            "legal_request.review",
            case,
            None,
            &[("decision", d)],
        )
        .await
    }

    /// Disclose a subject's categories to the authority under a legal request: decided
    /// against the stored record (LEGALREQ-01, LEGALREQ-02, LEGALREQ-03), recorded in the disclosure register and in
    /// the request (LEGALREQ-04); the subject is told unless a gag order says otherwise
    /// (LEGALREQ-05: the decision's obligations say which).
    ///
    /// # Errors
    /// `NotFound`; `Denied` with the decision; `Invalid(SUBJECT_NOT_NAMED)`;
    /// `Conflict(LEGAL_REQUEST_CLOSED)`.
    pub async fn disclose_under_legal_request(
        &self,
        caller: &Caller,
        id: CaseId,
        subject: SubjectId,
        recipient: &str,
        purpose: &str,
        categories: Vec<String>,
    ) -> Result<(LegalRequest, Decided), CoreError> {
        let l = self.legal_request(id).await?;
        if l.case.closed_at.is_some() {
            return Err(conflict(
                steward_errors::ErrorCode::LegalRequestClosed,
                "the legal request is closed",
            ));
        }
        if !l.body.subjects.contains(&subject) {
            return Err(CoreError::invalid(
                steward_errors::ErrorCode::SubjectNotNamed,
                "the legal request does not name this subject",
            ));
        }
        let mut req = Request {
            op: Some(steward_policy::wire::Op::CanDisclose),
            categories: categories.clone(),
            recipient: Some(recipient.to_string()),
            purpose: Some(purpose.to_string()),
            ..Request::default()
        };
        req.subject.id = Some(subject.to_string());
        req.context.legal_request = Some(l.facts());
        let decided = self.decide(caller, req, false).await?;
        if !decided.allow {
            return Err(decided.into_denied());
        }
        let notified = decided
            .decision_json()
            .is_some_and(|d| d.obligations.notify_subject);
        // LEGALREQ-05: suppressed by the record (a gag order, a prohibition of notice), or owed.
        let suppression = l.suppression();
        let notice = match (notified, suppression) {
            (_, Some(reason)) => SubjectNotice::Suppressed { reason },
            // The facts the policy decided on carry the same suppression: without one it
            // always asks for the notice; should it not, the subject is told all the same.
            (true | false, None) => SubjectNotice::Pending,
        };
        self.record_disclosure(
            caller,
            DisclosureInput {
                decision_id: decided.event_id,
                subject,
                recipient: recipient.to_string(),
                categories: categories.clone(),
                purpose: purpose.to_string(),
                items: vec![],
                payload_sha256: None,
            },
        )
        .await?;
        let now = store_precision(self.clock.now());
        let mut body = l.body.clone();
        if notice == SubjectNotice::Pending && body.notice_key.is_none() {
            body.notice_key = Some(self.new_notice_key(id)?);
        }
        body.disclosures.push(LegalDisclosure {
            subject,
            recipient: recipient.to_string(),
            categories,
            decision_id: decided.event_id.to_string(),
            at: now,
            subject_notified: notice == SubjectNotice::Pending,
            notice: Some(notice.clone()),
        });
        let mut case = l.case.clone();
        case.state = key("disclosed")?;
        case.body = body_json(&body)?;
        case.revision += 1;
        case.updated_at = now;
        let task = CaseTask {
            id: CaseTaskId::generate(),
            case: id,
            kind: key("disclosure")?,
            due_at: None,
            done_at: Some(now),
            body: "{}".into(),
            created_at: now,
        };
        let instrument = l.body.instrument.as_str();
        let mut attrs = vec![("instrument", instrument)];
        match &notice {
            SubjectNotice::Suppressed { reason } => {
                attrs.push(("notice", NOTICE_SUPPRESSED));
                attrs.push(("notice_reason", reason.as_str()));
            }
            _ => attrs.push(("notice", "notify_subject")),
        }
        let l = self
            .put_legal(caller, "legal_request.disclose", case, Some(task), &attrs)
            .await?;
        Ok((l, decided))
    }

    fn new_notice_key(&self, id: CaseId) -> Result<SealedNoticeKey, CoreError> {
        use base64::Engine as _;
        let (_, wrapped) = self
            .vault()
            .new_data_key(steward_vault::OwnerId::from(id.as_uuid()))?;
        let (kek, bytes) = wrapped.into_parts();
        Ok(SealedNoticeKey {
            kek: kek.as_str().to_string(),
            wrapped: base64::engine::general_purpose::STANDARD.encode(bytes),
        })
    }

    /// Records what became of the notice of the disclosure `decision_id` under legal request
    /// `id` (LEGALREQ-05): queued in the outbox, or no address to send it to. Only a pending
    /// notice changes (a second call is a no-op: `Ok(None)`). Audited
    /// (`legal_request.notice`).
    ///
    /// # Errors
    /// `NotFound`; store failures.
    pub async fn record_legal_notice(
        &self,
        caller: &Caller,
        id: CaseId,
        decision_id: &str,
        outcome: SubjectNotice,
    ) -> Result<Option<LegalRequest>, CoreError> {
        let l = self.legal_request(id).await?;
        let mut body = l.body.clone();
        let Some(d) = body
            .disclosures
            .iter_mut()
            .find(|d| d.decision_id == decision_id && d.notice == Some(SubjectNotice::Pending))
        else {
            return Ok(None);
        };
        d.notice = Some(outcome.clone());
        let now = store_precision(self.clock.now());
        let mut case = l.case.clone();
        case.body = body_json(&body)?;
        case.revision += 1;
        case.updated_at = now;
        let l = self
            .put_legal(
                caller,
                "legal_request.notice",
                case,
                None,
                &[("notice", outcome.as_str()), ("decision", decision_id)],
            )
            .await?;
        Ok(Some(l))
    }

    /// With `context.legal_request_id`, the stored record's facts take the place of an inline
    /// `context.legal_request` (LEGALREQ-01: disclosures are decided against the record).
    ///
    /// # Errors
    /// `Invalid(BAD_FIELD | LEGAL_REQUEST_FACTS_WITH_ID)`, `NotFound`.
    pub(crate) async fn fill_legal_request(&self, req: &mut Request) -> Result<(), CoreError> {
        let Some(raw) = req.context.legal_request_id.as_deref() else {
            return Ok(());
        };
        if req.context.legal_request.is_some() {
            return Err(CoreError::invalid(
                steward_errors::ErrorCode::LegalRequestFactsWithId,
                "give either `context.legal_request_id` or `context.legal_request`, not both",
            ));
        }
        let id = CaseId::from_str(raw).map_err(|_| {
            CoreError::invalid(
                steward_errors::ErrorCode::BadField,
                "`context.legal_request_id` is not a legal request id",
            )
        })?;
        let l = self.legal_request(id).await?;
        if l.case.closed_at.is_some() {
            return Err(conflict(
                steward_errors::ErrorCode::LegalRequestClosed,
                "the legal request is closed",
            ));
        }
        req.context.legal_request = Some(l.facts());
        Ok(())
    }

    /// Legal requests and disclosures per instrument in a period (LEGALREQ-04): requests by
    /// their receipt, disclosures by their time.
    ///
    /// # Errors
    /// Store failures.
    pub async fn legal_report(
        &self,
        from: Option<Timestamp>,
        until: Option<Timestamp>,
    ) -> Result<LegalReport, CoreError> {
        let inside = |t: Timestamp| from.is_none_or(|f| t >= f) && until.is_none_or(|u| t < u);
        let mut r = LegalReport {
            from,
            until,
            ..LegalReport::default()
        };
        for l in self.legal_requests(true, 100_000).await? {
            let e = r
                .by_instrument
                .entry(l.body.instrument.as_str())
                .or_default();
            if inside(l.body.received_at) {
                e.0 += 1;
            }
            for d in &l.body.disclosures {
                if inside(d.at) {
                    e.1 += 1;
                    if l.body.eu_subject {
                        e.2 += 1;
                    }
                }
            }
        }
        r.by_instrument.retain(|_, c| *c != (0, 0, 0));
        Ok(r)
    }
}
