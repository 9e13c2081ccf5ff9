//! A request's life after intake, by staff: asking for more information (GDPR-06),
//! approval with the CCPA-24 data points, one extension (DL-05), a denial with its basis
//! (GDPR-02, GDPR-04, GDPR-05, CCPA-07, CCPA-13, CCPA-39), forwarding to a Customer (CUST-04).

use steward_core::Caller;
use steward_core::CoreError;
use steward_deadlines::{ExtensionLength, Regime, RequestKind};
use steward_errors::ErrorCode;
use steward_store::ids::RequestId;
use steward_store::model::request::RequestState;

use crate::doc::Denial;
use crate::queue::RequestView;
use crate::service::{Requests, code, kind_of, staff};
use crate::verification::{self, VerificationLevel};
use crate::views::{DeniedStep, ExtendedStep, ForwardedStep, MoreInformationStep, StepDetail};

/// Approval input: what staff checked (CCPA-24 data points, signed declaration).
#[derive(Debug, Clone, Copy, Default)]
pub struct ApproveInput {
    /// Data points staff matched beyond the e-mail code.
    pub data_points: u8,
    /// A signed declaration under penalty of perjury was received.
    pub signed_declaration: bool,
}

/// Why a request is denied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DenyReason {
    /// The controller cannot identify the subject (GDPR Art. 11(2), 12(2)).
    CannotIdentify,
    /// Still unverified at its deadline (CCPA-04).
    Unverified,
    /// Manifestly unfounded (GDPR Art. 12(5)): needs a justification.
    ManifestlyUnfounded,
    /// Excessive, in particular repetitive (GDPR Art. 12(5)): needs a justification.
    Excessive,
    /// A third know request within 12 months (CCPA §1798.130(b)).
    RepeatKnowRequest,
    /// A documented good-faith belief of fraud (opt-outs, CCPA-13): needs a justification.
    Fraudulent,
    /// Another reason (not allowed for GDPR subjects: GDPR-02).
    Other,
}

impl DenyReason {
    /// Stable code.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            DenyReason::CannotIdentify => "cannot_identify",
            DenyReason::Unverified => "unverified",
            DenyReason::ManifestlyUnfounded => "manifestly_unfounded",
            DenyReason::Excessive => "excessive",
            DenyReason::RepeatKnowRequest => "repeat_know_request",
            DenyReason::Fraudulent => "fraudulent",
            DenyReason::Other => "other",
        }
    }
}

impl std::str::FromStr for DenyReason {
    type Err = CoreError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s {
            "cannot_identify" => DenyReason::CannotIdentify,
            "unverified" => DenyReason::Unverified,
            "manifestly_unfounded" => DenyReason::ManifestlyUnfounded,
            "excessive" => DenyReason::Excessive,
            "repeat_know_request" => DenyReason::RepeatKnowRequest,
            "fraudulent" => DenyReason::Fraudulent,
            "other" => DenyReason::Other,
            _ => {
                return Err(CoreError::invalid(
                    ErrorCode::UnknownDenialReason,
                    format!("unknown denial reason `{s}`"),
                ));
            }
        })
    }
}

impl Requests {
    /// GDPR-06: asks the subject for more identifying information. Refused when it is more
    /// than necessary (a signed-in subject, identity documents).
    ///
    /// # Errors
    /// `Invalid(DISPROPORTIONATE_VERIFICATION)`, `NotFound`.
    pub async fn request_more_information(
        &self,
        caller: &Caller,
        id: RequestId,
        fields: &[String],
    ) -> Result<RequestView, CoreError> {
        let (rec, doc) = self.load(id).await?;
        verification::check_extra_verification(doc.verification.method == "session", fields)?;
        for f in fields {
            code(f)?;
        }
        self.steward
            .store()
            .append_request_step(
                id,
                &self.step(
                    caller,
                    "verification.more_information",
                    rec.state,
                    StepDetail::MoreInformation(MoreInformationStep {
                        fields: fields.to_vec(),
                    }),
                )?,
            )
            .await?;
        if let Some(to) = self.address(&rec).await? {
            let email = crate::texts::more_information(self, &rec, to, fields);
            self.send(&rec, vec![("more_information", email)]).await?;
        }
        self.show(id).await
    }

    /// Approves a verified request (the privacy team's review). For a non-account holder
    /// asking for specific pieces, staff confirm the data points matched and the signed
    /// declaration (CCPA-24).
    ///
    /// # Errors
    /// `Conflict(NOT_VERIFIED)`, `Invalid(VERIFICATION_INSUFFICIENT)`, `Invalid(NOT_STAFF)`.
    pub async fn approve(
        &self,
        caller: &Caller,
        id: RequestId,
        input: ApproveInput,
    ) -> Result<RequestView, CoreError> {
        if !staff(caller) {
            return Err(CoreError::invalid(
                ErrorCode::NotStaff,
                "only staff approve requests",
            ));
        }
        let (rec, mut doc) = self.load(id).await?;
        if rec.state != RequestState::Verified {
            return Err(CoreError::Conflict {
                code: ErrorCode::NotVerified,
                message: format!("the request is `{}`, not `verified`", rec.state),
            });
        }
        if let VerificationLevel::DataPoints {
            points,
            declaration,
        } = doc.verification.required
        {
            let base = u8::from(doc.verification.method == "email_code");
            let have = base.saturating_add(input.data_points);
            let staff_verified = doc.verification.method.starts_with("staff:");
            if !staff_verified && (have < points || (declaration && !input.signed_declaration)) {
                return Err(CoreError::invalid(
                    ErrorCode::VerificationInsufficient,
                    format!(
                        "this request needs {points} matching data points{} (11 CCR §7062); {have} confirmed",
                        if declaration {
                            " and a signed declaration"
                        } else {
                            ""
                        }
                    ),
                ));
            }
        }
        doc.verification.staff_points = input.data_points;
        doc.verification.declaration = input.signed_declaration;
        if kind_of(&rec)? == RequestKind::Deletion {
            doc.plan = Some(self.plan_for(&rec, &doc).await?);
        }
        self.transition(
            caller,
            &rec,
            &doc,
            RequestState::Approved,
            "approved",
            StepDetail::none(),
            |_| {},
        )
        .await?;
        self.show(id).await
    }

    /// Extends the deadline once (DL-05, GDPR-03, CCPA-04, NV-03) and queues the notice to the
    /// subject with the reason.
    ///
    /// # Errors
    /// `Invalid` with the extension rule's code (`ALREADY_EXTENDED`, `REASON_REQUIRED`,
    /// `EXTENSION_NOTICE_LATE`, `NV_EXTENSION_TOO_LONG` ...).
    pub async fn extend(
        &self,
        caller: &Caller,
        id: RequestId,
        reason: Option<&str>,
        length: ExtensionLength,
    ) -> Result<RequestView, CoreError> {
        let (rec, mut doc) = self.load(id).await?;
        if !rec.state.is_open() {
            return Err(CoreError::Conflict {
                code: ErrorCode::Closed,
                message: "the request is closed".into(),
            });
        }
        let now = self.now();
        let ext = doc
            .ticket
            .extend(now, reason, length, &self.config.calendar)
            .map_err(|e| CoreError::invalid(e.code(), e.to_string()))?
            .clone();
        let updated = self
            .transition(
                caller,
                &rec,
                &doc,
                rec.state,
                "extended",
                StepDetail::Extended(ExtendedStep {
                    new_due: ext.new_due().at(),
                    previous_due: ext.previous_due().at(),
                }),
                |_| {},
            )
            .await?;
        if let Some(to) = self.address(&updated).await? {
            let email = crate::texts::extension_notice(self, &updated, to, &ext);
            self.send(&updated, vec![("extension_notice", email)])
                .await?;
        }
        self.show(id).await
    }

    /// Denies a request with its basis (GDPR-02, GDPR-04, GDPR-05, CCPA-07, CCPA-13,
    /// CCPA-39) and tells the subject, with the complaint and judicial-remedy wording.
    ///
    /// # Errors
    /// `Invalid(DENIAL_NOT_PERMITTED)`, `Invalid(JUSTIFICATION_REQUIRED)`, `Conflict(CLOSED)`.
    pub async fn deny(
        &self,
        caller: &Caller,
        id: RequestId,
        reason: DenyReason,
        justification: Option<&str>,
    ) -> Result<RequestView, CoreError> {
        if !staff(caller) {
            return Err(CoreError::invalid(
                ErrorCode::NotStaff,
                "only staff deny requests",
            ));
        }
        let (rec, mut doc) = self.load(id).await?;
        if !rec.state.is_open() {
            return Err(CoreError::Conflict {
                code: ErrorCode::Closed,
                message: "the request is closed".into(),
            });
        }
        let justification = justification.map(str::trim).filter(|j| !j.is_empty());
        let gdpr = doc
            .regimes
            .iter()
            .any(|r| matches!(r, Regime::Gdpr | Regime::UkGdpr));
        let permitted = match reason {
            DenyReason::CannotIdentify => true,
            DenyReason::ManifestlyUnfounded | DenyReason::Excessive | DenyReason::Fraudulent => {
                if justification.is_none() {
                    return Err(CoreError::invalid(
                        ErrorCode::JustificationRequired,
                        "the controller bears the burden of demonstrating it: give the justification (GDPR Art. 12(5))",
                    ));
                }
                true
            }
            DenyReason::Unverified => {
                !gdpr
                    && rec.state == RequestState::AwaitingVerification
                    && doc.ticket.current_due().has_passed(self.now())
            }
            DenyReason::RepeatKnowRequest => doc.repeat.as_ref().is_some_and(|r| r.may_decline),
            DenyReason::Other => !gdpr,
        };
        if !permitted {
            return Err(CoreError::invalid(
                ErrorCode::DenialNotPermitted,
                format!(
                    "a `{}` denial is not permitted for this request",
                    reason.code()
                ),
            ));
        }
        doc.denial = Some(Denial {
            reason: reason.code().to_string(),
            justification: justification.map(str::to_string),
            at: self.now(),
        });
        let updated = self
            .transition(
                caller,
                &rec,
                &doc,
                RequestState::Denied,
                "denied",
                StepDetail::Denied(DeniedStep {
                    reason: reason.code().to_string(),
                }),
                |_| {},
            )
            .await?;
        if let Some(to) = self.address(&updated).await? {
            let email = crate::texts::denial(self, &updated, &doc, to, reason, justification);
            self.send(&updated, vec![("denial", email)]).await?;
        }
        self.show(id).await
    }

    /// CUST-04: a request about data held for a Customer is forwarded to that Customer, with
    /// the request's deadline as the assist deadline.
    ///
    /// # Errors
    /// `Conflict(CLOSED)`, `Invalid`.
    pub async fn forward(
        &self,
        caller: &Caller,
        id: RequestId,
        customer: &str,
    ) -> Result<RequestView, CoreError> {
        let (rec, mut doc) = self.load(id).await?;
        if !rec.state.is_open() {
            return Err(CoreError::Conflict {
                code: ErrorCode::Closed,
                message: "the request is closed".into(),
            });
        }
        code(customer)?;
        doc.forwarded_to = Some(customer.to_string());
        self.transition(
            caller,
            &rec,
            &doc,
            RequestState::Forwarded,
            "forwarded",
            StepDetail::Forwarded(ForwardedStep {
                assist_due: doc.ticket.current_due().at(),
                customer: customer.to_string(),
            }),
            |_| {},
        )
        .await?;
        self.show(id).await
    }
}
