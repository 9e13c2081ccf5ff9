//! Complaints (CONTACT-01, CONTACT-03, CONTACT-04, DPF-05): filed from the privacy address,
//! the privacy center or the console, with `received_at` and the first response due (45 days
//! for an EU or Data Privacy Framework complaint: DPF-05), the response, the resolution, and —
//! when the complaint stays unresolved — the escalation to the independent dispute-resolution
//! provider the policy names, offered free of charge (CONTACT-03).
//!
//! Filed by staff, the complaint's own words stay where they arrived (the mailbox, the
//! ticket): the record holds a reference, a topic code, the complainant's subject id and the
//! times. Lodged by the person themselves (the privacy center's complaint page, `kind:
//! complaint` on the public request intake: `steward-requests`' `complaints` module), their
//! words and address come with it, but only as [`SealedComplaint`]: vault ciphertext under a
//! data key of the complaint's own, wrapped by the vault's key-encryption key; nothing a person
//! wrote is stored here in plaintext. Case files of the store (`CaseKind::Complaint`), each
//! write committed with its audit entry.

use std::str::FromStr;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use steward_deadlines::clocks::complaint_response_due;
use steward_policy::{Jurisdiction, Subject, SubjectKind};
use steward_store::AuditedWrite;
use steward_store::ids::{CaseId, CaseTaskId, SubjectId};
use steward_store::model::audit::{AuditKind, EventRef};
use steward_store::model::case::{CaseKind, CaseRecord, CaseTask};
use steward_store::values::store_precision;

use crate::error::CoreError;
use crate::incidents::{actor_name, attr, body_json, field, key, text};
use crate::{Caller, Steward};

/// Where a complaint arrived (CONTACT-01).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ComplaintChannel {
    /// The privacy e-mail address.
    EmailPrivacy,
    /// The privacy center.
    PrivacyCenter,
    /// Taken by staff in the console (a call, a letter).
    Console,
}

impl ComplaintChannel {
    /// The wire name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            ComplaintChannel::EmailPrivacy => "email_privacy",
            ComplaintChannel::PrivacyCenter => "privacy_center",
            ComplaintChannel::Console => "console",
        }
    }
}

/// How a complaint ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Resolution {
    /// The complainant's concern was resolved.
    Resolved,
    /// It was not: the independent recourse is offered (CONTACT-03).
    Unresolved,
}

/// A complaint to file.
#[derive(Debug, Clone)]
pub struct ComplaintInput {
    /// Where it arrived.
    pub channel: ComplaintChannel,
    /// When it arrived (default now; the clock starts here, CONTACT-02).
    pub received_at: Option<Timestamp>,
    /// The complainant, when known as a stored subject.
    pub subject: Option<SubjectId>,
    /// The complainant's jurisdiction, when not a stored subject (an EU one makes it a
    /// 45-day complaint).
    pub jurisdiction: Option<String>,
    /// Raised under the EU-U.S. Data Privacy Framework (DPF-05: 45 days wherever they live).
    pub dpf: bool,
    /// What it is about: a short code (`access_request`, `marketing`, `other` …).
    pub topic: String,
    /// Where the complaint's own words are (a mailbox message id, a ticket number).
    pub reference: Option<String>,
    /// The id to file it under (default: a new one). The workflow chooses it when it seals
    /// the complainant's words under a key bound to the complaint's id.
    pub id: Option<CaseId>,
    /// The complainant's words and contact details, sealed (lodged by the person).
    pub sealed: Option<SealedComplaint>,
}

/// What a person lodged with their complaint (their address, name, words), as vault ciphertext
/// under a data key of the complaint's own (its wrapped form travels with it): the case body
/// holds nothing readable. Destroying `wrapped` makes `contact` unreadable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SealedComplaint {
    /// The key-encryption key that wraps the data key.
    pub kek: String,
    /// The wrapped data key (base64).
    pub wrapped: String,
    /// The sealed contact details and words (base64).
    pub contact: String,
}

/// The independent recourse offered on an unresolved complaint (CONTACT-03).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recourse {
    /// The provider.
    pub provider: String,
    /// Its link.
    pub url: String,
    /// Always true: the recourse costs the complainant nothing (DPF-05).
    pub free_of_charge: bool,
}

/// What a complaint's body holds (the store's `body`, JSON).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComplaintBody {
    /// Channel.
    pub channel: ComplaintChannel,
    /// Received.
    pub received_at: Timestamp,
    /// The complainant's jurisdiction (from the subject's record, or given).
    pub jurisdiction: Option<String>,
    /// A 45-day complaint (EU or DPF).
    pub eu_or_dpf: bool,
    /// Topic code.
    pub topic: String,
    /// Where its words are.
    pub reference: Option<String>,
    /// First response due.
    pub first_response_due: Timestamp,
    /// First response given.
    pub first_response_at: Option<Timestamp>,
    /// What the response was (a reference).
    pub response_ref: Option<String>,
    /// How it ended.
    pub resolution: Option<Resolution>,
    /// When.
    pub resolved_at: Option<Timestamp>,
    /// The recourse offered with an unresolved outcome.
    pub recourse_offered: Option<Recourse>,
    /// Escalated to the provider (CONTACT-03).
    pub escalated_at: Option<Timestamp>,
    /// Who acted last.
    pub by: String,
    /// What the person lodged with it, sealed (none when staff filed it, or once erased).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sealed: Option<SealedComplaint>,
    /// When the person's words and address were erased with the rest of their data (the
    /// wrapped key destroyed: crypto-shredding); the record itself stays in the register.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub words_erased_at: Option<Timestamp>,
}

/// A complaint.
#[derive(Debug, Clone)]
pub struct Complaint {
    /// The case file.
    pub case: CaseRecord,
    /// Its record.
    pub body: ComplaintBody,
}

fn body_of(c: &CaseRecord) -> Result<ComplaintBody, CoreError> {
    serde_json::from_str(&c.body)
        .map_err(|_| CoreError::Unavailable("a complaint record does not read"))
}

fn conflict(code: steward_errors::ErrorCode, message: &str) -> CoreError {
    CoreError::Conflict {
        code,
        message: message.into(),
    }
}

impl Steward {
    fn complaint_event(
        &self,
        caller: &Caller,
        action: &str,
        c: &CaseRecord,
        attrs: &[(&str, &str)],
    ) -> steward_store::model::audit::AuditEvent {
        let mut e = self.event(AuditKind::Admin, action, caller);
        e.subject = c.subject;
        e.refs = field("complaint")
            .map(|name| EventRef {
                name,
                id: c.id.as_uuid(),
            })
            .into_iter()
            .collect();
        e.attributes = attrs.iter().filter_map(|(n, v)| attr(n, v)).collect();
        e
    }

    async fn put_complaint(
        &self,
        caller: &Caller,
        action: &str,
        case: CaseRecord,
        task: Option<CaseTask>,
        attrs: &[(&str, &str)],
    ) -> Result<Complaint, CoreError> {
        let e = self.complaint_event(caller, action, &case, attrs);
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
        self.complaint(case.id).await
    }

    /// File a complaint (CONTACT-01, CONTACT-04): its first response is due 45 days after
    /// receipt (DPF-05; for a complaint that is neither EU nor DPF the same 45 days are the
    /// policy's target). Audited.
    ///
    /// # Errors
    /// `Invalid(MISSING_FIELD | BAD_FIELD | BAD_JURISDICTION | TIME_IN_FUTURE |
    /// JURISDICTION_WITH_SUBJECT)`, `NotFound` subject.
    pub async fn file_complaint(
        &self,
        caller: &Caller,
        input: ComplaintInput,
    ) -> Result<Complaint, CoreError> {
        let now = store_precision(self.clock.now());
        let received_at = store_precision(input.received_at.unwrap_or(now));
        if received_at > now {
            return Err(CoreError::invalid(
                steward_errors::ErrorCode::TimeInFuture,
                "`received_at` cannot be in the future",
            ));
        }
        let topic = key(&text("topic", &input.topic, true)?)?
            .as_str()
            .to_string();
        let reference = match &input.reference {
            Some(r) => Some(text("reference", r, false)?).filter(|r| !r.is_empty()),
            None => None,
        };
        let engine = self.engine();
        let jurisdiction = match (input.subject, &input.jurisdiction) {
            (Some(_), Some(_)) => {
                return Err(CoreError::invalid(
                    steward_errors::ErrorCode::JurisdictionWithSubject,
                    "a stored subject's jurisdiction comes from its record: leave out `jurisdiction`",
                ));
            }
            (Some(s), None) => {
                let r = self.resolve(s, now).await?;
                r.subject.jurisdiction
            }
            (None, Some(j)) => Some(Jurisdiction::from_str(j).map_err(|_| {
                CoreError::invalid(
                    steward_errors::ErrorCode::BadJurisdiction,
                    format!(
                        "`{}` is not a jurisdiction (`US-CA`, `DE` …)",
                        j.chars().take(16).collect::<String>()
                    ),
                )
            })?),
            (None, None) => None,
        };
        let eu = match input.subject {
            Some(s) => {
                let r = self.resolve(s, now).await?;
                engine.is_eu(&r.subject)
            }
            None => jurisdiction.is_some_and(|j| {
                engine.is_eu(&Subject::new(SubjectKind::CustomerAccountHolder, Some(j)))
            }),
        };
        let due = complaint_response_due(received_at, &self.calendar())
            .map_err(|e| CoreError::invalid(steward_errors::ErrorCode::BadTime, e.to_string()))?
            .at();
        let body = ComplaintBody {
            channel: input.channel,
            received_at,
            jurisdiction: jurisdiction.map(|j| j.to_string()),
            eu_or_dpf: eu || input.dpf,
            topic,
            reference,
            first_response_due: store_precision(due),
            first_response_at: None,
            response_ref: None,
            resolution: None,
            resolved_at: None,
            recourse_offered: None,
            escalated_at: None,
            by: actor_name(caller),
            sealed: input.sealed,
            words_erased_at: None,
        };
        let case = CaseRecord {
            id: input.id.unwrap_or_else(CaseId::generate),
            kind: CaseKind::Complaint,
            state: key("open")?,
            opened_at: received_at,
            next_due_at: Some(body.first_response_due),
            closed_at: None,
            subject: input.subject,
            body: body_json(&body)?,
            revision: 1,
            updated_at: now,
        };
        let task = CaseTask {
            id: CaseTaskId::generate(),
            case: case.id,
            kind: key("first_response")?,
            due_at: Some(body.first_response_due),
            done_at: None,
            body: "{}".into(),
            created_at: now,
        };
        self.put_complaint(
            caller,
            "complaint.file",
            case,
            Some(task),
            &[
                ("channel", input.channel.as_str()),
                ("eu_or_dpf", if body.eu_or_dpf { "true" } else { "false" }),
            ],
        )
        .await
    }

    /// Audits a read of what the person lodged with complaint `c` (their sealed words,
    /// opened by the workflow for staff).
    ///
    /// # Errors
    /// Store failures.
    pub async fn complaint_read_audited(
        &self,
        caller: &Caller,
        c: &Complaint,
        action: &str,
    ) -> Result<(), CoreError> {
        let mut e = self.complaint_event(caller, action, &c.case, &[]);
        e.kind = AuditKind::Read;
        self.audit.append_one(e).await?;
        Ok(())
    }

    /// A complaint.
    ///
    /// # Errors
    /// `NotFound`.
    pub async fn complaint(&self, id: CaseId) -> Result<Complaint, CoreError> {
        let case = self.store.get_case(id).await?;
        if case.kind != CaseKind::Complaint {
            return Err(CoreError::NotFound("complaint"));
        }
        Ok(Complaint {
            body: body_of(&case)?,
            case,
        })
    }

    /// Complaints, the soonest first response due first.
    ///
    /// # Errors
    /// Store failures.
    pub async fn complaints(
        &self,
        include_closed: bool,
        limit: u32,
    ) -> Result<Vec<Complaint>, CoreError> {
        self.store
            .list_cases(CaseKind::Complaint, include_closed, limit)
            .await?
            .into_iter()
            .map(|case| {
                Ok(Complaint {
                    body: body_of(&case)?,
                    case,
                })
            })
            .collect()
    }

    /// Record the first response (CONTACT-04).
    ///
    /// # Errors
    /// `NotFound`; `Invalid(MISSING_FIELD | TIME_IN_FUTURE | BEFORE_RECEIPT)`;
    /// `Conflict(ALREADY_RESPONDED | COMPLAINT_CLOSED)`.
    pub async fn respond_to_complaint(
        &self,
        caller: &Caller,
        id: CaseId,
        responded_at: Option<Timestamp>,
        response_ref: &str,
    ) -> Result<Complaint, CoreError> {
        let c = self.complaint(id).await?;
        if c.case.closed_at.is_some() {
            return Err(conflict(
                steward_errors::ErrorCode::ComplaintClosed,
                "the complaint is closed",
            ));
        }
        if c.body.first_response_at.is_some() {
            return Err(conflict(
                steward_errors::ErrorCode::AlreadyResponded,
                "the first response was recorded already",
            ));
        }
        let now = store_precision(self.clock.now());
        let at = store_precision(responded_at.unwrap_or(now));
        if at > now {
            return Err(CoreError::invalid(
                steward_errors::ErrorCode::TimeInFuture,
                "`responded_at` cannot be in the future",
            ));
        }
        if at < c.body.received_at {
            return Err(CoreError::invalid(
                steward_errors::ErrorCode::BeforeReceipt,
                "`responded_at` cannot be before the complaint was received",
            ));
        }
        let reference = text("response", response_ref, true)?;
        let mut body = c.body.clone();
        body.first_response_at = Some(at);
        body.response_ref = Some(reference);
        body.by = actor_name(caller);
        let late = at > body.first_response_due;
        let mut task = self
            .store
            .case_tasks(id)
            .await?
            .into_iter()
            .find(|t| t.kind.as_str() == "first_response")
            .ok_or(CoreError::Unavailable("a complaint task is missing"))?;
        task.done_at = Some(at);
        let mut case = c.case.clone();
        case.state = key("responded")?;
        case.next_due_at = None;
        case.body = body_json(&body)?;
        case.revision += 1;
        case.updated_at = now;
        self.put_complaint(
            caller,
            "complaint.respond",
            case,
            Some(task),
            &[("late", if late { "true" } else { "false" })],
        )
        .await
    }

    /// Close a complaint with its resolution. Unresolved, the answer offers the independent
    /// dispute-resolution provider of the policy, free of charge (CONTACT-03, DPF-05).
    ///
    /// # Errors
    /// `NotFound`; `Conflict(NOT_RESPONDED | COMPLAINT_CLOSED | NO_RECOURSE_CONFIGURED)`.
    pub async fn resolve_complaint(
        &self,
        caller: &Caller,
        id: CaseId,
        resolution: Resolution,
    ) -> Result<Complaint, CoreError> {
        let c = self.complaint(id).await?;
        if c.case.closed_at.is_some() {
            return Err(conflict(
                steward_errors::ErrorCode::ComplaintClosed,
                "the complaint is closed",
            ));
        }
        if c.body.first_response_at.is_none() {
            return Err(conflict(
                steward_errors::ErrorCode::NotResponded,
                "record the first response before the resolution",
            ));
        }
        let now = store_precision(self.clock.now());
        let mut body = c.body.clone();
        body.resolution = Some(resolution);
        body.resolved_at = Some(now);
        body.by = actor_name(caller);
        if resolution == Resolution::Unresolved {
            body.recourse_offered = Some(self.recourse()?);
        }
        let mut case = c.case.clone();
        case.state = key(match resolution {
            Resolution::Resolved => "resolved",
            Resolution::Unresolved => "unresolved",
        })?;
        case.closed_at = Some(now);
        case.body = body_json(&body)?;
        case.revision += 1;
        case.updated_at = now;
        let outcome = match resolution {
            Resolution::Resolved => "resolved",
            Resolution::Unresolved => "unresolved",
        };
        self.put_complaint(
            caller,
            "complaint.resolve",
            case,
            None,
            &[("resolution", outcome)],
        )
        .await
    }

    /// Record that an unresolved complaint went to the independent dispute-resolution
    /// provider (CONTACT-03: the escalation is logged).
    ///
    /// # Errors
    /// `NotFound`; `Conflict(NOT_UNRESOLVED | ALREADY_ESCALATED)`.
    pub async fn escalate_complaint(
        &self,
        caller: &Caller,
        id: CaseId,
    ) -> Result<Complaint, CoreError> {
        let c = self.complaint(id).await?;
        if c.body.resolution != Some(Resolution::Unresolved) {
            return Err(conflict(
                steward_errors::ErrorCode::NotUnresolved,
                "only a complaint closed as unresolved goes to the dispute-resolution provider",
            ));
        }
        if c.body.escalated_at.is_some() {
            return Err(conflict(
                steward_errors::ErrorCode::AlreadyEscalated,
                "the complaint was escalated already",
            ));
        }
        let now = store_precision(self.clock.now());
        let mut body = c.body.clone();
        body.escalated_at = Some(now);
        if body.recourse_offered.is_none() {
            body.recourse_offered = Some(self.recourse()?);
        }
        body.by = actor_name(caller);
        let mut case = c.case.clone();
        case.state = key("escalated")?;
        case.body = body_json(&body)?;
        case.revision += 1;
        case.updated_at = now;
        self.put_complaint(caller, "complaint.escalate", case, None, &[])
            .await
    }

    /// Erases what subject `subject` lodged with their complaints — their sealed words and
    /// address, by destroying the wrapped data key and the ciphertext with it (crypto-shredding,
    /// as the vault does for the subject's items) — when the subject is erased. The
    /// complaints' records stay in the register without them: channel, times, topic, the
    /// response and the outcome (CONTACT-04). Outbox messages sealed under those keys become
    /// unreadable too. Each complaint audited (`complaint.erase_words`). Returns how many were
    /// erased; a second call erases nothing.
    ///
    /// # Errors
    /// Store failures.
    pub async fn erase_complaint_words_of(
        &self,
        caller: &Caller,
        subject: SubjectId,
    ) -> Result<usize, CoreError> {
        let mut n = 0;
        for case in self
            .store
            .cases_of_subject(subject, CaseKind::Complaint)
            .await?
        {
            let c = Complaint {
                body: body_of(&case)?,
                case,
            };
            if c.body.sealed.is_none() {
                continue;
            }
            let now = store_precision(self.clock.now());
            let mut body = c.body.clone();
            body.sealed = None;
            body.words_erased_at = Some(now);
            let mut case = c.case.clone();
            case.body = body_json(&body)?;
            case.revision += 1;
            case.updated_at = now;
            self.put_complaint(caller, "complaint.erase_words", case, None, &[])
                .await?;
            n += 1;
        }
        Ok(n)
    }

    /// The independent recourse the policy names (CONTACT-03).
    ///
    /// # Errors
    /// `Conflict(NO_RECOURSE_CONFIGURED)` when the policy names no dispute-resolution link.
    pub fn recourse(&self) -> Result<Recourse, CoreError> {
        let engine = self.engine();
        let meta = &engine.file.policy;
        let url = meta.dispute_resolution_url.clone().ok_or_else(|| {
            conflict(
                steward_errors::ErrorCode::NoRecourseConfigured,
                "the policy names no `dispute_resolution_url` to offer (CONTACT-03)",
            )
        })?;
        Ok(Recourse {
            provider: meta
                .dispute_resolution_provider
                .clone()
                .unwrap_or_else(|| "independent dispute-resolution provider".into()),
            url,
            free_of_charge: true,
        })
    }
}
