//! Intake (DEC-08, RIGHTS-04): a request from any channel becomes one request with its
//! statutory clock, without revealing whether the identity matched a subject; one-time codes
//! (sent, resent, checked: CCPA-24, GDPR-06); an authorized agent's permission (CCPA-23).

use jiff::Timestamp;
use serde::Serialize;
use steward_core::Caller;
use steward_core::CoreError;
use steward_deadlines::{Lookback, Regime, RequestKind};
use steward_errors::ErrorCode;
use steward_store::ids::{ItemId, RequestId, SubjectId};
use steward_store::model::request::{
    ChallengeAttempt, NewChallenge, NewRequest, RequestCode, RequestQuery, RequestRecord,
    RequestState, Requester,
};
use steward_store::model::subject::{IdentityKind, SubjectKind};
use steward_vault::Sensitive;

use crate::doc::{
    AgentDoc, CONTACT_LABEL, Contact, CorrectionDoc, DOC_VERSION, Doc, RepeatDoc, VerificationDoc,
};
use crate::effects::Email;
use crate::queue::RequestView;
use crate::seal::Sealer;
use crate::service::{Requests, code, kind_of, public_state, staff};
use crate::verification::{self, VerificationLevel};
use crate::views::{IntakeStep, StepDetail, VerifiedStep};

/// A request as submitted, from any channel (RIGHTS-04).
#[derive(Debug, Clone)]
pub struct SubmitRequest {
    /// What is asked.
    pub kind: RequestKind,
    /// Who submits it.
    pub requester: Requester,
    /// Through which channel (`privacy_center`, `support`, `api`, `cli`, `email`, `in_service`).
    pub channel: String,
    /// The subject, when staff submit on someone's behalf (`requester = admin` only).
    pub subject_id: Option<SubjectId>,
    /// The subject's e-mail address: how the subject is found and where codes and answers go.
    pub email: Option<Sensitive<String>>,
    /// Declared residency (`US-CA`, `DE` ...), when the requester gives it.
    pub jurisdiction: Option<String>,
    /// An authorized agent's details (CCPA-23).
    pub agent: Option<AgentInput>,
    /// CCPA-06 look-back for know requests (default: the 12 months before receipt).
    pub lookback: Option<Lookback>,
    /// The purpose objected to, or whose consent is withdrawn.
    pub purpose: Option<String>,
    /// A correction.
    pub correction: Option<CorrectionInput>,
    /// Staff verified the subject already (support call with knowledge questions ...): the
    /// method, as a code (`requester = admin` only).
    pub preverified: Option<String>,
    /// When it was received, if earlier than now (a letter opened today): staff only.
    pub received_at: Option<Timestamp>,
}

impl SubmitRequest {
    /// A request of `kind` by the subject through `channel`, found by `email`.
    #[must_use]
    pub fn by_email(kind: RequestKind, channel: &str, email: &str) -> SubmitRequest {
        SubmitRequest {
            kind,
            requester: Requester::Subject,
            channel: channel.to_string(),
            subject_id: None,
            email: Some(Sensitive::new(email.to_string())),
            jurisdiction: None,
            agent: None,
            lookback: None,
            purpose: None,
            correction: None,
            preverified: None,
            received_at: None,
        }
    }
}

/// An authorized agent (CCPA-23).
#[derive(Debug, Clone, Default)]
pub struct AgentInput {
    /// The agent's e-mail address.
    pub email: Option<Sensitive<String>>,
    /// The agent's name (a person or a business), when given.
    pub name: Option<Sensitive<String>>,
    /// SHA-256 (hex) of the consumer's signed permission, if provided with the request.
    pub permission_sha256: Option<String>,
    /// The consumer's signed permission itself, when filed with the request (the privacy
    /// center's agent form): kept sealed under the request's key like the contact details,
    /// never logged; its SHA-256 is recorded as `permission_sha256` when that is not given.
    pub permission: Option<Sensitive<String>>,
}

impl AgentInput {
    /// The SHA-256 (hex) of the permission: the one given, else that of the permission
    /// filed with the request.
    fn permission_hash(&self) -> Option<String> {
        self.permission_sha256.clone().or_else(|| {
            self.permission.as_ref().map(|p| {
                let d = ring::digest::digest(&ring::digest::SHA256, p.expose().as_bytes());
                d.as_ref().iter().map(|x| format!("{x:02x}")).collect()
            })
        })
    }
}

/// A correction (GDPR-15, CCPA-11).
#[derive(Debug, Clone)]
pub struct CorrectionInput {
    /// The category corrected (`postal_address` ...).
    pub category: String,
    /// The item, when known (default: the newest live item of the category).
    pub item: Option<ItemId>,
    /// The correct value.
    pub value: Sensitive<String>,
}

/// What intake answers. INVARIANT: it depends only on the input and the caller, never on
/// whether the identity matched a subject (no account enumeration).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IntakeAnswer {
    /// The request id (to verify and follow it).
    pub request_id: RequestId,
    /// `awaiting_verification`, `awaiting_agent_permission`, `verified`, `approved`,
    /// `completed`.
    pub state: String,
    /// `email_code`, `session`, `staff`, `none`.
    pub verification: String,
    /// What happens next, for the requester.
    pub message: String,
}

/// What an authorized agent filed with a request (CCPA-23), as the privacy team reviews it:
/// personal data, decrypted for staff only (the read is audited).
#[derive(Clone)]
pub struct AgentDetails {
    /// The agent's name.
    pub name: Option<Sensitive<String>>,
    /// The agent's e-mail address.
    pub email: Option<Sensitive<String>>,
    /// The consumer's signed permission, as filed with the request.
    pub permission: Option<Sensitive<String>>,
    /// SHA-256 (hex) of the permission on record.
    pub permission_sha256: Option<String>,
    /// When the permission was recorded.
    pub permission_recorded_at: Option<Timestamp>,
}

impl std::fmt::Debug for AgentDetails {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AgentDetails([redacted])")
    }
}

/// What verifying a code answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerifyAnswer {
    /// The request.
    pub request_id: RequestId,
    /// Its state now.
    pub state: String,
}

/// Only staff submit on someone's behalf and use the staff fields; an agent gives their
/// details.
fn check_submitter(caller: &Caller, input: &SubmitRequest) -> Result<(), CoreError> {
    let is_staff_request = input.requester == Requester::Admin;
    if is_staff_request && !staff(caller) {
        return Err(CoreError::invalid(
            ErrorCode::NotStaff,
            "only staff can submit a request on someone's behalf",
        ));
    }
    if !is_staff_request
        && (input.subject_id.is_some()
            || input.preverified.is_some()
            || input.received_at.is_some())
    {
        return Err(CoreError::invalid(
            ErrorCode::StaffOnlyField,
            "`subject_id`, `preverified` and `received_at` are for requests staff submit on someone's behalf",
        ));
    }
    if input.requester == Requester::Agent && input.agent.is_none() {
        return Err(CoreError::invalid(
            ErrorCode::AgentRequired,
            "an agent request needs the agent's details",
        ));
    }
    Ok(())
}

/// How the request is verified (DEC-09): not at all when nothing is required, by the
/// session of a signed-in subject, as staff say they verified it, else by an e-mail code
/// (which needs an address).
fn verification_method(
    required: VerificationLevel,
    signed_in: bool,
    input: &SubmitRequest,
) -> Result<String, CoreError> {
    let method = if !required.is_required() {
        "none".to_string()
    } else if signed_in {
        "session".to_string()
    } else if let Some(m) = &input.preverified {
        code(m)?;
        format!("staff:{m}")
    } else {
        "email_code".to_string()
    };
    if method == "email_code" && input.email.is_none() {
        return Err(CoreError::invalid(
            ErrorCode::EmailRequired,
            "an e-mail address is needed to send the verification code",
        ));
    }
    Ok(method)
}

impl Requests {
    /// Regimes of a subject and of a declared jurisdiction (DL-03).
    async fn regimes(
        &self,
        subject: Option<SubjectId>,
        declared: Option<&str>,
        now: Timestamp,
    ) -> Result<(Vec<Regime>, Option<SubjectKind>), CoreError> {
        let engine = self.steward.engine();
        let mut out: Vec<Regime> = Vec::new();
        let mut kind = None;
        if let Some(j) = declared {
            let parsed: steward_policy::Jurisdiction =
                j.parse()
                    .map_err(|e: steward_policy::facts::BadJurisdiction| {
                        CoreError::invalid(ErrorCode::BadJurisdiction, e.to_string())
                    })?;
            let s = steward_policy::Subject::new(
                steward_policy::SubjectKind::CustomerAccountHolder,
                Some(parsed),
            );
            out.extend(crate::regimes_for(&engine, &s));
        }
        if let Some(id) = subject {
            match self.steward.resolve(id, now).await {
                Ok(r) => {
                    kind = Some(r.record.facts.kind);
                    out.extend(crate::regimes_for(&engine, &r.subject));
                }
                Err(CoreError::NotFound(_)) => {}
                Err(e) => return Err(e),
            }
        }
        out.sort();
        out.dedup();
        if out.len() > 1 {
            out.retain(|r| *r != Regime::Policy);
        }
        if out.is_empty() {
            out.push(Regime::Policy);
        }
        Ok((out, kind))
    }

    /// Intake (DEC-08): a request from any channel becomes one `PrivacyRequest` with its
    /// statutory clock. The answer is the same whether or not the identity matched a subject.
    ///
    /// # Errors
    /// `Invalid` for a request that cannot be accepted as given (no identity, a staff-only
    /// field from a subject, a correction verified through the data corrected ...).
    pub async fn submit(
        &self,
        caller: &Caller,
        input: SubmitRequest,
    ) -> Result<IntakeAnswer, CoreError> {
        let now = self.now();
        check_submitter(caller, &input)?;
        let received_at = input.received_at.map_or(now, |t| t.min(now));
        let channel = code(&input.channel)?;
        let (subject, signed_in) = self.who_it_is_about(caller, &input).await?;
        let (regimes, subject_kind) = self
            .regimes(subject, input.jurisdiction.as_deref(), now)
            .await?;
        let ticket =
            steward_deadlines::intake(input.kind, &regimes, received_at, &self.config.calendar)
                .map_err(|e| CoreError::invalid(e.code(), e.to_string()))?;
        let account = matches!(
            subject_kind,
            Some(SubjectKind::CustomerAccountHolder | SubjectKind::AuthorizedUser)
        );
        let required = verification::verification_level(input.kind, account);
        let method = verification_method(required, signed_in, &input)?;
        self.check_what_is_asked(&input, &method)?;
        let (repeat, copy_number) = self
            .repeat_check(subject, &input, received_at, &regimes)
            .await?;
        let agent_pending = input.requester == Requester::Agent
            && input
                .agent
                .as_ref()
                .is_some_and(|a| a.permission_hash().is_none());
        let state = if agent_pending {
            RequestState::AwaitingAgentPermission
        } else {
            match method.as_str() {
                "email_code" => RequestState::AwaitingVerification,
                "none" => RequestState::Received,
                _ => self.after_verification(input.kind),
            }
        };
        let doc = Doc {
            v: DOC_VERSION,
            ticket,
            regimes,
            declared_jurisdiction: input.jurisdiction.clone(),
            verification: VerificationDoc {
                required,
                method: method.clone(),
                verified_at: matches!(state, RequestState::Verified | RequestState::Approved)
                    .then_some(now),
                staff_points: 0,
                declaration: false,
            },
            agent: input.agent.as_ref().map(|a| {
                let permission_sha256 = a.permission_hash();
                AgentDoc {
                    permission_recorded_at: permission_sha256.as_ref().map(|_| now),
                    permission_sha256,
                }
            }),
            lookback: input.lookback,
            purpose: input.purpose.clone(),
            correction: input.correction.as_ref().map(|c| CorrectionDoc {
                category: c.category.clone(),
                item: c.item,
            }),
            repeat,
            copy_number,
            plan: None,
            progress: Vec::new(),
            failure: None,
            runs: 0,
            denial: None,
            forwarded_to: None,
            reseal: None,
        };
        let rec = self
            .create(caller, &input, subject, channel, received_at, state, &doc)
            .await?;
        self.intake_messages(&rec, &doc, &input, agent_pending)
            .await?;
        let state_now = match state {
            // Opt-outs need no verification: applied at once (CCPA-13).
            RequestState::Received => self.execute(caller, rec.id, &|_| {}).await?.state,
            // Verified at intake and needing no approval: carried out now, no further call.
            RequestState::Approved => self.run_approved(rec.id, state).await,
            _ => state,
        };
        Ok(IntakeAnswer {
            request_id: rec.id,
            state: public_state(state_now).to_string(),
            verification: match method.as_str() {
                m if m.starts_with("staff:") => "staff",
                m => m,
            }
            .to_string(),
            message: crate::texts::intake_message(&method, agent_pending).to_string(),
        })
    }

    /// The subject a request is about, and whether the caller is that subject signed in: the
    /// session's subject, the one staff named, or the one the e-mail address belongs to (none
    /// when it belongs to nobody: the answer does not say so).
    async fn who_it_is_about(
        &self,
        caller: &Caller,
        input: &SubmitRequest,
    ) -> Result<(Option<SubjectId>, bool), CoreError> {
        if let Caller::Subject(id) = caller
            && input.requester == Requester::Subject
        {
            return Ok((Some(*id), true));
        }
        match (input.subject_id, &input.email) {
            (Some(id), _) => {
                self.steward.store().get_subject(id).await?;
                Ok((Some(id), false))
            }
            (None, Some(email)) => {
                let r = self
                    .steward
                    .identity_ref(IdentityKind::Email, email.expose())?;
                let links = self.steward.store().find_by_identity(&r).await?;
                Ok((links.first().map(|l| l.subject), false))
            }
            (None, None) => Err(CoreError::invalid(
                ErrorCode::IdentityRequired,
                "give the e-mail address of the person the request is about",
            )),
        }
    }

    /// What a correction, an objection or a consent withdrawal names must exist in the
    /// policy, and a correction cannot be verified through the data it corrects (CCPA-11).
    fn check_what_is_asked(&self, input: &SubmitRequest, method: &str) -> Result<(), CoreError> {
        let engine = self.steward.engine();
        if let Some(c) = &input.correction {
            verification::check_correction_verification(&c.category, method)?;
            if engine.category(&c.category).is_none() {
                return Err(CoreError::invalid(
                    ErrorCode::UnknownCategory,
                    format!("`{}` is not a category of the policy", c.category),
                ));
            }
        } else if input.kind == RequestKind::Correction {
            return Err(CoreError::invalid(
                ErrorCode::CorrectionRequired,
                "a correction request says what to correct",
            ));
        }
        if matches!(
            input.kind,
            RequestKind::Objection | RequestKind::WithdrawConsent
        ) {
            let p = input.purpose.as_deref().ok_or_else(|| {
                CoreError::invalid(
                    ErrorCode::PurposeRequired,
                    "say which purpose the request is about",
                )
            })?;
            if engine.purpose(p).is_none() {
                return Err(CoreError::invalid(
                    ErrorCode::UnknownPurpose,
                    format!("`{p}` is not a purpose of the policy"),
                ));
            }
        }
        Ok(())
    }

    /// CCPA-07 (a third know request within 12 months may be declined) and the copy number
    /// of an access report (GDPR-14(3)), from the subject's earlier know requests.
    async fn repeat_check(
        &self,
        subject: Option<SubjectId>,
        input: &SubmitRequest,
        received_at: Timestamp,
        regimes: &[Regime],
    ) -> Result<(Option<RepeatDoc>, u32), CoreError> {
        let Some(s) = subject.filter(|_| input.kind.is_know()) else {
            return Ok((None, 1));
        };
        let prior = self
            .steward
            .store()
            .list_requests(&RequestQuery::of_subject(s, 10_000))
            .await?;
        let know: Vec<Timestamp> = prior
            .iter()
            .filter(|r| {
                r.kind
                    .as_str()
                    .parse::<RequestKind>()
                    .is_ok_and(RequestKind::is_know)
                    && r.state != RequestState::Denied
            })
            .map(|r| r.received_at)
            .collect();
        let check = steward_deadlines::clocks::ccpa_repeat_know_request(
            input.kind,
            received_at,
            &know,
            &self.config.calendar,
        )
        .map_err(|e| CoreError::invalid(e.code(), e.to_string()))?;
        let applies = regimes.contains(&Regime::Ccpa);
        Ok((
            Some(RepeatDoc {
                may_decline: applies && check.may_decline,
                reason: check.reason.filter(|_| applies).map(str::to_string),
                prior_in_window: check.prior_in_window,
            }),
            u32::try_from(know.len())
                .unwrap_or(u32::MAX)
                .saturating_add(1),
        ))
    }

    /// Stores the new request (its contact details sealed under a key of its own) with its
    /// `intake` step, and audits it.
    #[expect(
        clippy::too_many_arguments,
        reason = "the arguments are the independent inputs of one step; a parameter struct would only rename them"
    )]
    async fn create(
        &self,
        caller: &Caller,
        input: &SubmitRequest,
        subject: Option<SubjectId>,
        channel: RequestCode,
        received_at: Timestamp,
        state: RequestState,
        doc: &Doc,
    ) -> Result<RequestRecord, CoreError> {
        let id = RequestId::generate();
        let (sealer, key) = Sealer::create(self.steward.vault(), id.as_uuid())?;
        let contact = Contact {
            email: input.email.clone(),
            agent_email: input.agent.as_ref().and_then(|a| a.email.clone()),
            agent_name: input.agent.as_ref().and_then(|a| a.name.clone()),
            agent_permission: input.agent.as_ref().and_then(|a| a.permission.clone()),
            correction_value: input.correction.as_ref().map(|c| c.value.clone()),
            found: Vec::new(),
        };
        let new = NewRequest {
            id,
            kind: code(input.kind.as_str())?,
            subject,
            requester: input.requester,
            channel,
            state,
            received_at,
            ack_due: doc.ticket.ack_due().map(|d| d.at()),
            due: doc.ticket.current_due().at(),
            max_due: doc.ticket.max_due().at(),
            key: Some(key),
            sealed: Some(sealer.seal_json(CONTACT_LABEL, &contact)?),
            doc: doc.to_bytes()?,
            step: self.step(
                caller,
                "intake",
                state,
                StepDetail::Intake(IntakeStep {
                    kind: input.kind.as_str().to_string(),
                    regimes: doc.regimes.iter().map(|r| r.as_str().to_string()).collect(),
                    requester: input.requester.as_str().to_string(),
                    verification: doc.verification.method.clone(),
                }),
            )?,
        };
        // AUD-01: the request and its audit entry commit together (one durable commit).
        let event = self.audit_event_of(caller, "intake", new.id, new.subject, &new.kind, state);
        let rec = self
            .steward
            .store()
            .create_request_audited(&new, &[event])
            .await?;
        self.steward.audit().note_appended(1);
        Ok(rec)
    }

    /// The messages of intake: the code (unless an agent's permission is awaited) and the
    /// acknowledgement with the verification process and the due date (CCPA-04), not for
    /// opt-outs.
    async fn intake_messages(
        &self,
        rec: &RequestRecord,
        doc: &Doc,
        input: &SubmitRequest,
        agent_pending: bool,
    ) -> Result<(), CoreError> {
        let method = doc.verification.method.as_str();
        let mut messages = Vec::new();
        if method == "email_code" && !agent_pending {
            messages.push(("verification_code", self.new_challenge(rec).await?));
        }
        if let Some(to) = input.email.clone()
            && !input.kind.is_opt_out()
        {
            messages.push((
                "acknowledgement",
                crate::texts::acknowledgement(self, rec, doc, to, method),
            ));
        }
        self.send(rec, messages).await
    }

    /// Runs a request that was approved without the team (verified, and its kind needs no
    /// approval: `[requests] require_approval = false` or listed in `auto_approve`), as the
    /// system. A failure to start leaves it approved, in the queue for the team or the next
    /// run; a system that fails leaves it `failed` with the reason, as a staff run would.
    async fn run_approved(&self, id: RequestId, approved: RequestState) -> RequestState {
        match self.execute(&Caller::System, id, &|_| {}).await {
            Ok(outcome) => outcome.state,
            Err(e) => {
                tracing::warn!(request = %id, error = %e, "an auto-approved request could not run; left approved");
                approved
            }
        }
    }

    fn after_verification(&self, kind: RequestKind) -> RequestState {
        if !self.config.require_approval || self.config.auto_approve.contains(&kind) {
            RequestState::Approved
        } else {
            RequestState::Verified
        }
    }

    /// A new one-time code for a request, as the message that carries it.
    async fn new_challenge(&self, rec: &RequestRecord) -> Result<Email, CoreError> {
        let now = self.now();
        let code_value = verification::new_code()?;
        let hash =
            verification::code_hash(self.steward.blind_index(), rec.id, code_value.expose())?;
        let expires_at = now
            .checked_add(self.config.code_ttl)
            .map_err(|_| CoreError::Unavailable("clock out of range"))?;
        self.steward
            .store()
            .create_challenge(&NewChallenge {
                id: steward_store::ids::ChallengeId::generate(),
                request: rec.id,
                code_hash: hash,
                created_at: now,
                expires_at,
                max_attempts: self.config.code_attempts,
            })
            .await?;
        let to = self.contact(rec)?.email.ok_or_else(|| {
            CoreError::invalid(
                ErrorCode::EmailRequired,
                "no e-mail address to send the code to",
            )
        })?;
        Ok(crate::texts::code_message(
            self,
            rec,
            to,
            &code_value,
            expires_at,
        ))
    }

    /// Sends a fresh code (the previous one stops working). At most `max_codes` per request.
    ///
    /// # Errors
    /// `NotFound`, `Conflict(NOT_AWAITING_VERIFICATION)`, `Conflict(TOO_MANY_CODES)`.
    pub async fn resend_code(&self, id: RequestId) -> Result<IntakeAnswer, CoreError> {
        let (rec, doc) = self.load(id).await?;
        if rec.state != RequestState::AwaitingVerification
            || doc.verification.method != "email_code"
        {
            return Err(CoreError::Conflict {
                code: ErrorCode::NotAwaitingVerification,
                message: "the request is not waiting for a code".into(),
            });
        }
        let sent = self
            .steward
            .store()
            .request_messages(id)
            .await?
            .iter()
            .filter(|m| m.kind.as_str() == "verification_code")
            .count();
        if sent >= self.config.max_codes as usize {
            return Err(CoreError::Conflict {
                code: ErrorCode::TooManyCodes,
                message: "no more codes can be sent for this request; submit it again".into(),
            });
        }
        let email = self.new_challenge(&rec).await?;
        self.send(&rec, vec![("verification_code", email)]).await?;
        Ok(IntakeAnswer {
            request_id: id,
            state: public_state(rec.state).to_string(),
            verification: "email_code".into(),
            message: crate::texts::intake_message("email_code", false).to_string(),
        })
    }

    /// Checks a one-time code (CCPA-24, GDPR-06). The store counts the attempt atomically.
    ///
    /// # Errors
    /// `NotFound`; `Invalid` with `CODE_INVALID` (and the attempts left), `CODE_EXPIRED`,
    /// `CODE_EXHAUSTED`.
    pub async fn verify_code(
        &self,
        id: RequestId,
        code_text: &str,
    ) -> Result<VerifyAnswer, CoreError> {
        let (rec, mut doc) = self.load(id).await?;
        if rec.state != RequestState::AwaitingVerification {
            return Ok(VerifyAnswer {
                request_id: id,
                state: public_state(rec.state).to_string(),
            });
        }
        let Some(ch) = self.steward.store().latest_challenge(id).await? else {
            return Err(CoreError::invalid(
                ErrorCode::CodeInvalid,
                "the code is not valid",
            ));
        };
        let hash = verification::code_hash(self.steward.blind_index(), id, code_text)?;
        // SECURITY: constant-time comparison of the keyed hashes.
        let matched = ch
            .code_hash
            .0
            .iter()
            .zip(hash.0.iter())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0;
        let now = self.now();
        match self
            .steward
            .store()
            .attempt_challenge(ch.id, matched, now)
            .await?
        {
            ChallengeAttempt::Accepted => {}
            ChallengeAttempt::AlreadyUsed => {
                return Ok(VerifyAnswer {
                    request_id: id,
                    state: public_state(rec.state).to_string(),
                });
            }
            ChallengeAttempt::Rejected { remaining } => {
                return Err(CoreError::invalid(
                    ErrorCode::CodeInvalid,
                    format!("the code is not valid; {remaining} attempt(s) left"),
                ));
            }
            ChallengeAttempt::Exhausted => {
                return Err(CoreError::invalid(
                    ErrorCode::CodeExhausted,
                    "too many wrong codes: ask for a new code",
                ));
            }
            ChallengeAttempt::Expired => {
                return Err(CoreError::invalid(
                    ErrorCode::CodeExpired,
                    "the code has expired: ask for a new code",
                ));
            }
        }
        let kind = kind_of(&rec)?;
        // GDPR-06: the clock pauses while waiting for the code only when configured.
        doc.ticket
            .record_verification_wait(ch.created_at, now, &self.config.calendar)
            .map_err(|e| CoreError::invalid(e.code(), e.to_string()))?;
        doc.verification.verified_at = Some(now);
        let state = self.after_verification(kind);
        let updated = self
            .transition(
                &Caller::System,
                &rec,
                &doc,
                state,
                "verified",
                StepDetail::Verified(VerifiedStep {
                    method: "email_code".into(),
                }),
                |_| {},
            )
            .await?;
        // Verified by its code and needing no approval: carried out now, no further call.
        let state_now = if updated.state == RequestState::Approved {
            self.run_approved(id, updated.state).await
        } else {
            updated.state
        };
        Ok(VerifyAnswer {
            request_id: id,
            state: public_state(state_now).to_string(),
        })
    }

    /// CCPA-23: what the authorized agent filed with request `id` (name, address, the
    /// consumer's signed permission and its hash), for the privacy team; `None` when the
    /// request was not filed by an agent. Staff only; audited as `dsr.agent_details`.
    ///
    /// # Errors
    /// `Invalid(NOT_STAFF)`, `NotFound`.
    pub async fn agent_details(
        &self,
        caller: &Caller,
        id: RequestId,
    ) -> Result<Option<AgentDetails>, CoreError> {
        if !staff(caller) {
            return Err(CoreError::invalid(
                ErrorCode::NotStaff,
                "only staff read an agent's details",
            ));
        }
        let (rec, doc) = self.load(id).await?;
        if rec.requester != Requester::Agent {
            return Ok(None);
        }
        let contact = self.contact(&rec)?;
        let mut e = self.audit_event(caller, "agent_details", &rec, rec.state);
        e.kind = steward_store::model::audit::AuditKind::Read;
        self.steward.audit().append_one(e).await?;
        Ok(Some(AgentDetails {
            name: contact.agent_name,
            email: contact.agent_email,
            permission: contact.agent_permission,
            permission_sha256: doc.agent.as_ref().and_then(|a| a.permission_sha256.clone()),
            permission_recorded_at: doc.agent.as_ref().and_then(|a| a.permission_recorded_at),
        }))
    }

    /// CCPA-23: staff record the consumer's signed permission for an agent (by its hash); the
    /// consumer then confirms directly with a code sent to their own address.
    ///
    /// # Errors
    /// `Conflict(NOT_AWAITING_AGENT_PERMISSION)`, `Invalid(BAD_HASH)`.
    pub async fn record_agent_permission(
        &self,
        caller: &Caller,
        id: RequestId,
        permission_sha256: &str,
    ) -> Result<RequestView, CoreError> {
        let (rec, mut doc) = self.load(id).await?;
        if rec.state != RequestState::AwaitingAgentPermission {
            return Err(CoreError::Conflict {
                code: ErrorCode::NotAwaitingAgentPermission,
                message: "the request is not waiting for an agent's permission".into(),
            });
        }
        if permission_sha256.len() != 64
            || !permission_sha256.chars().all(|c| c.is_ascii_hexdigit())
        {
            return Err(CoreError::invalid(
                ErrorCode::BadHash,
                "give the SHA-256 (64 hex characters) of the signed permission",
            ));
        }
        doc.agent = Some(AgentDoc {
            permission_sha256: Some(permission_sha256.to_ascii_lowercase()),
            permission_recorded_at: Some(self.now()),
        });
        let kind = kind_of(&rec)?;
        let state = match doc.verification.method.as_str() {
            "email_code" => RequestState::AwaitingVerification,
            _ => self.after_verification(kind),
        };
        let updated = self
            .transition(
                caller,
                &rec,
                &doc,
                state,
                "agent.permission",
                StepDetail::none(),
                |_| {},
            )
            .await?;
        if state == RequestState::AwaitingVerification {
            let email = self.new_challenge(&updated).await?;
            self.send(&updated, vec![("verification_code", email)])
                .await?;
        }
        self.show(id).await
    }
}
