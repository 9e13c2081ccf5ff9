//! The register of legal requests (LEGALREQ-01, LEGALREQ-02, LEGALREQ-03, LEGALREQ-04, LEGALREQ-05, LEGALREQ-06): register, review, disclose under one
//! (decided against the stored record), and the report per instrument.

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// The instrument.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum InstrumentDto {
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
    /// On the company's own initiative, to protect itself or others.
    SelfInitiatedProtection,
}

/// The legal basis.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum BasisDto {
    /// Compelled.
    RequiredByLaw,
    /// Permitted, not compelled.
    PermittedByLaw,
}

/// A review decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReviewDecisionDto {
    /// Disclose within scope.
    Approve,
    /// Do not disclose (closes the request).
    Reject,
}

/// A legal request to register.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterLegalRequest {
    /// The authority (a court, an agency).
    #[schema(min_length = 1, max_length = 4000)]
    pub authority: String,
    /// The instrument.
    pub instrument: InstrumentDto,
    /// The legal basis.
    pub basis: BasisDto,
    /// The categories within its scope (LEGALREQ-03).
    #[schema(max_items = 64)]
    pub scope: Vec<String>,
    /// The stored subjects it concerns.
    #[serde(default)]
    #[schema(max_items = 64)]
    pub subject_ids: Vec<uuid::Uuid>,
    /// Received (RFC 3339; default now).
    #[serde(default)]
    pub received_at: Option<String>,
    /// A non-disclosure order forbids telling the subjects (LEGALREQ-05).
    #[serde(default)]
    pub gag_order: bool,
    /// Notice to the subjects is legally prohibited (LEGALREQ-05; needs
    /// `notice_prohibited_reason`).
    #[serde(default)]
    pub notice_prohibited: bool,
    /// Why notice is prohibited (the statute or order), with `notice_prohibited`.
    #[serde(default)]
    #[schema(max_length = 4000)]
    pub notice_prohibited_reason: Option<String>,
    /// Where the instrument is kept (a document reference).
    #[serde(default)]
    #[schema(max_length = 4000)]
    pub reference: Option<String>,
}

/// The good-faith review.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewLegalRequest {
    /// Approve or reject.
    pub decision: ReviewDecisionDto,
    /// Why (LEGALREQ-02).
    #[schema(min_length = 1, max_length = 4000)]
    pub rationale: String,
}

/// A disclosure under a legal request.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DiscloseUnderLegalRequest {
    /// The subject (named by the request).
    pub subject_id: uuid::Uuid,
    /// The authority's recipient id in the policy (`LE1` …).
    pub recipient: String,
    /// The purpose (`legal_compliance` …).
    pub purpose: String,
    /// The categories to send (within the scope).
    #[schema(min_items = 1, max_items = 64)]
    pub categories: Vec<String>,
}

/// A disclosure made under a legal request.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LegalDisclosureOut {
    /// The subject.
    pub subject_id: String,
    /// The recipient.
    pub recipient: String,
    /// The categories sent.
    pub categories: Vec<String>,
    /// The decision that allowed it.
    pub decision_id: String,
    /// When.
    pub at: String,
    /// The subject is to be told (neither a gag order nor a prohibition of notice).
    pub subject_notified: bool,
    /// The notice to the subject (LEGALREQ-05): `pending`, `queued` (sent through the
    /// outbox), `suppressed` (see `notice_suppressed_reason`), `no_address`; absent on
    /// disclosures recorded before notices were sent.
    pub notice: Option<String>,
    /// Why the notice was suppressed: `gag_order` or `notice_prohibited`.
    pub notice_suppressed_reason: Option<String>,
}

/// A legal request.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LegalRequestOut {
    /// Id (use it as `context.legal_request_id` in a decision).
    pub id: String,
    /// `awaiting_review`, `approved`, `rejected`, `disclosed`.
    pub state: String,
    /// The authority.
    pub authority: String,
    /// The instrument.
    pub instrument: InstrumentDto,
    /// The basis.
    pub basis: BasisDto,
    /// The scope.
    pub scope: Vec<String>,
    /// The subjects.
    pub subject_ids: Vec<String>,
    /// One is an EU data subject (LEGALREQ-06).
    pub eu_subject: bool,
    /// Received.
    pub received_at: String,
    /// Non-disclosure order.
    pub gag_order: bool,
    /// Notice to the subjects legally prohibited.
    pub notice_prohibited: bool,
    /// Why notice is prohibited (the stated reason).
    pub notice_prohibited_reason: Option<String>,
    /// Where the instrument is kept.
    pub reference: Option<String>,
    /// Who registered it.
    pub requested_by: String,
    /// Who reviewed it.
    pub reviewer: Option<String>,
    /// Why.
    pub rationale: Option<String>,
    /// The review.
    pub decision: Option<ReviewDecisionDto>,
    /// When reviewed.
    pub reviewed_at: Option<String>,
    /// The disclosures made under it.
    pub disclosures: Vec<LegalDisclosureOut>,
}

/// Legal requests.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LegalRequestList {
    /// Oldest first.
    pub legal_requests: Vec<LegalRequestOut>,
}

/// Counts for one instrument.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LegalReportRow {
    /// The instrument.
    pub instrument: String,
    /// Requests received in the period.
    pub requests: u64,
    /// Disclosures made in the period.
    pub disclosures: u64,
    /// Of those, under requests that concern an EU data subject (LEGALREQ-06).
    pub eu_disclosures: u64,
}

/// The legal disclosure report (LEGALREQ-04).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LegalReportOut {
    /// From (inclusive).
    pub from: Option<String>,
    /// Until (exclusive).
    pub until: Option<String>,
    /// Per instrument.
    pub instruments: Vec<LegalReportRow>,
}

/// Which legal requests.
#[derive(Debug, Clone, Default, Serialize, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct LegalQuery {
    /// Include closed (rejected) requests.
    #[serde(default)]
    pub closed: Option<bool>,
}

/// The report's period.
#[derive(Debug, Clone, Default, Serialize, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct LegalReportQuery {
    /// From (RFC 3339, inclusive).
    #[serde(default)]
    pub from: Option<String>,
    /// Until (RFC 3339, exclusive).
    #[serde(default)]
    pub until: Option<String>,
}

#[cfg(feature = "core")]
mod convert {
    use steward_core::legal::{
        Basis, Instrument, LegalReport, LegalRequest, ReviewDecision, SubjectNotice,
    };

    use super::{
        BasisDto, InstrumentDto, LegalDisclosureOut, LegalReportOut, LegalReportRow,
        LegalRequestOut, ReviewDecisionDto,
    };
    use crate::common::{ots, ts};

    impl From<InstrumentDto> for Instrument {
        fn from(i: InstrumentDto) -> Self {
            match i {
                InstrumentDto::CourtOrder => Instrument::CourtOrder,
                InstrumentDto::Subpoena => Instrument::Subpoena,
                InstrumentDto::SearchWarrant => Instrument::SearchWarrant,
                InstrumentDto::NationalSecurity => Instrument::NationalSecurity,
                InstrumentDto::OtherLawEnforcementRequest => Instrument::OtherLawEnforcementRequest,
                InstrumentDto::SelfInitiatedProtection => Instrument::SelfInitiatedProtection,
            }
        }
    }

    impl From<Instrument> for InstrumentDto {
        fn from(i: Instrument) -> Self {
            match i {
                Instrument::CourtOrder => InstrumentDto::CourtOrder,
                Instrument::Subpoena => InstrumentDto::Subpoena,
                Instrument::SearchWarrant => InstrumentDto::SearchWarrant,
                Instrument::NationalSecurity => InstrumentDto::NationalSecurity,
                Instrument::OtherLawEnforcementRequest => InstrumentDto::OtherLawEnforcementRequest,
                Instrument::SelfInitiatedProtection => InstrumentDto::SelfInitiatedProtection,
            }
        }
    }

    impl From<BasisDto> for Basis {
        fn from(b: BasisDto) -> Self {
            match b {
                BasisDto::RequiredByLaw => Basis::RequiredByLaw,
                BasisDto::PermittedByLaw => Basis::PermittedByLaw,
            }
        }
    }

    impl From<Basis> for BasisDto {
        fn from(b: Basis) -> Self {
            match b {
                Basis::RequiredByLaw => BasisDto::RequiredByLaw,
                Basis::PermittedByLaw => BasisDto::PermittedByLaw,
            }
        }
    }

    impl From<ReviewDecisionDto> for ReviewDecision {
        fn from(d: ReviewDecisionDto) -> Self {
            match d {
                ReviewDecisionDto::Approve => ReviewDecision::Approve,
                ReviewDecisionDto::Reject => ReviewDecision::Reject,
            }
        }
    }

    impl From<ReviewDecision> for ReviewDecisionDto {
        fn from(d: ReviewDecision) -> Self {
            match d {
                ReviewDecision::Approve => ReviewDecisionDto::Approve,
                ReviewDecision::Reject => ReviewDecisionDto::Reject,
            }
        }
    }

    impl From<&LegalRequest> for LegalRequestOut {
        fn from(l: &LegalRequest) -> Self {
            let b = &l.body;
            LegalRequestOut {
                id: l.case.id.to_string(),
                state: l.case.state.as_str().to_string(),
                authority: b.authority.clone(),
                instrument: b.instrument.into(),
                basis: b.basis.into(),
                scope: b.scope.clone(),
                subject_ids: b.subjects.iter().map(ToString::to_string).collect(),
                eu_subject: b.eu_subject,
                received_at: ts(b.received_at),
                gag_order: b.gag_order,
                notice_prohibited: b.notice_prohibited.is_some(),
                notice_prohibited_reason: b.notice_prohibited.clone(),
                reference: b.reference.clone(),
                requested_by: b.requested_by.clone(),
                reviewer: b.reviewer.clone(),
                rationale: b.rationale.clone(),
                decision: b.decision.map(Into::into),
                reviewed_at: ots(b.reviewed_at),
                disclosures: b
                    .disclosures
                    .iter()
                    .map(|d| LegalDisclosureOut {
                        subject_id: d.subject.to_string(),
                        recipient: d.recipient.clone(),
                        categories: d.categories.clone(),
                        decision_id: d.decision_id.clone(),
                        at: ts(d.at),
                        subject_notified: d.subject_notified,
                        notice: d.notice.as_ref().map(|n| n.as_str().to_string()),
                        notice_suppressed_reason: match &d.notice {
                            Some(SubjectNotice::Suppressed { reason }) => {
                                Some(reason.as_str().to_string())
                            }
                            _ => None,
                        },
                    })
                    .collect(),
            }
        }
    }

    impl From<&LegalReport> for LegalReportOut {
        fn from(r: &LegalReport) -> Self {
            LegalReportOut {
                from: ots(r.from),
                until: ots(r.until),
                instruments: r
                    .by_instrument
                    .iter()
                    .map(|(i, (req, d, eu))| LegalReportRow {
                        instrument: (*i).to_string(),
                        requests: *req,
                        disclosures: *d,
                        eu_disclosures: *eu,
                    })
                    .collect(),
            }
        }
    }
}
