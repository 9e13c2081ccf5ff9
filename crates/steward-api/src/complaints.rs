//! Complaints (CONTACT-01, CONTACT-03, CONTACT-04, DPF-05): file, respond, resolve, and
//! escalate an unresolved one to the independent dispute-resolution provider, free of charge.

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Where a complaint arrived (CONTACT-01).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ComplaintChannelDto {
    /// The privacy e-mail address.
    EmailPrivacy,
    /// The privacy center.
    PrivacyCenter,
    /// Taken by staff in the console.
    Console,
}

/// How a complaint ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ResolutionDto {
    /// Resolved.
    Resolved,
    /// Not resolved: the independent recourse is offered, free of charge (CONTACT-03).
    Unresolved,
}

/// A complaint to file. The complaint's own words stay where they arrived: give a
/// `reference` to them, never the text.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FileComplaint {
    /// Where it arrived.
    pub channel: ComplaintChannelDto,
    /// When it arrived (RFC 3339; default now). The clock starts here (CONTACT-02).
    #[serde(default)]
    pub received_at: Option<String>,
    /// The complainant, a stored subject.
    #[serde(default)]
    pub subject_id: Option<uuid::Uuid>,
    /// The complainant's jurisdiction when not a stored subject (`DE`, `US-CA` …).
    #[serde(default)]
    pub jurisdiction: Option<String>,
    /// Raised under the EU-U.S. Data Privacy Framework (DPF-05).
    #[serde(default)]
    pub dpf: bool,
    /// What it is about: a short code (`access_request`, `marketing`, `other` …).
    #[schema(pattern = "^[A-Za-z0-9_:.-]{1,64}$")]
    pub topic: String,
    /// Where its words are (a mailbox message id, a ticket number).
    #[serde(default)]
    #[schema(max_length = 4000)]
    pub reference: Option<String>,
}

/// The first response.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RespondComplaint {
    /// What was answered (a reference to the reply).
    #[schema(min_length = 1, max_length = 4000)]
    pub response: String,
    /// When (RFC 3339; default now).
    #[serde(default)]
    pub responded_at: Option<String>,
}

/// The resolution.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResolveComplaint {
    /// Resolved or not.
    pub resolution: ResolutionDto,
}

/// The independent recourse offered (CONTACT-03).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RecourseOut {
    /// The provider.
    pub provider: String,
    /// Its link.
    pub url: String,
    /// It costs the complainant nothing (DPF-05).
    pub free_of_charge: bool,
}

/// A complaint.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ComplaintOut {
    /// Id.
    pub id: String,
    /// `open`, `responded`, `resolved`, `unresolved`, `escalated`.
    pub state: String,
    /// Channel.
    pub channel: ComplaintChannelDto,
    /// Received.
    pub received_at: String,
    /// The complainant.
    pub subject_id: Option<String>,
    /// Their jurisdiction.
    pub jurisdiction: Option<String>,
    /// An EU or DPF complaint (45 days are the law's).
    pub eu_or_dpf: bool,
    /// Topic code.
    pub topic: String,
    /// Where its words are.
    pub reference: Option<String>,
    /// First response due (45 days after receipt: DPF-05, CONTACT-04).
    pub first_response_due: String,
    /// First response given.
    pub first_response_at: Option<String>,
    /// `open`, `overdue`, `answered` or `answered_late`.
    pub response_status: String,
    /// What was answered.
    pub response: Option<String>,
    /// How it ended.
    pub resolution: Option<ResolutionDto>,
    /// When.
    pub resolved_at: Option<String>,
    /// The independent recourse offered with an unresolved outcome.
    pub recourse: Option<RecourseOut>,
    /// Escalated to the provider.
    pub escalated_at: Option<String>,
    /// Who acted last.
    pub by: String,
    /// What the person lodged with it (their address, name and words, sealed): `lodged`
    /// (read it at `GET /v1/complaints/{id}/text`), `none` (filed by staff: see `reference`),
    /// `erased` (the complainant was erased; the record remains).
    pub words: String,
    /// When the person's words were erased with the rest of their data.
    pub words_erased_at: Option<String>,
}

/// What a person lodged with their complaint, for the privacy team (the read is audited).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ComplaintTextOut {
    /// The complaint.
    pub complaint_id: String,
    /// Where to answer.
    pub email: String,
    /// Their name, when given.
    pub name: Option<String>,
    /// The complaint, in their words.
    pub text: String,
}

/// Complaints.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ComplaintList {
    /// Soonest first response due first.
    pub complaints: Vec<ComplaintOut>,
}

/// Which complaints.
#[derive(Debug, Clone, Default, Serialize, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ComplaintQuery {
    /// Include closed complaints.
    #[serde(default)]
    pub closed: Option<bool>,
    /// At most this many (default 100, at most 1000).
    #[serde(default)]
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<u32>,
}

#[cfg(feature = "core")]
mod convert {
    use jiff::Timestamp;
    use steward_core::complaints::{Complaint, ComplaintChannel, Recourse, Resolution};

    use super::{ComplaintChannelDto, ComplaintOut, RecourseOut, ResolutionDto};
    use crate::common::{ots, ts};

    impl From<ComplaintChannelDto> for ComplaintChannel {
        fn from(c: ComplaintChannelDto) -> Self {
            match c {
                ComplaintChannelDto::EmailPrivacy => ComplaintChannel::EmailPrivacy,
                ComplaintChannelDto::PrivacyCenter => ComplaintChannel::PrivacyCenter,
                ComplaintChannelDto::Console => ComplaintChannel::Console,
            }
        }
    }

    impl From<ComplaintChannel> for ComplaintChannelDto {
        fn from(c: ComplaintChannel) -> Self {
            match c {
                ComplaintChannel::EmailPrivacy => ComplaintChannelDto::EmailPrivacy,
                ComplaintChannel::PrivacyCenter => ComplaintChannelDto::PrivacyCenter,
                ComplaintChannel::Console => ComplaintChannelDto::Console,
            }
        }
    }

    impl From<ResolutionDto> for Resolution {
        fn from(r: ResolutionDto) -> Self {
            match r {
                ResolutionDto::Resolved => Resolution::Resolved,
                ResolutionDto::Unresolved => Resolution::Unresolved,
            }
        }
    }

    impl From<Resolution> for ResolutionDto {
        fn from(r: Resolution) -> Self {
            match r {
                Resolution::Resolved => ResolutionDto::Resolved,
                Resolution::Unresolved => ResolutionDto::Unresolved,
            }
        }
    }

    impl From<&Recourse> for RecourseOut {
        fn from(r: &Recourse) -> Self {
            RecourseOut {
                provider: r.provider.clone(),
                url: r.url.clone(),
                free_of_charge: r.free_of_charge,
            }
        }
    }

    /// A complaint as the API shows it at `now`.
    #[must_use]
    pub fn complaint_out(c: &Complaint, now: Timestamp) -> ComplaintOut {
        let b = &c.body;
        let response_status = match b.first_response_at {
            Some(at) if at > b.first_response_due => "answered_late",
            Some(_) => "answered",
            None if now > b.first_response_due => "overdue",
            None => "open",
        };
        ComplaintOut {
            id: c.case.id.to_string(),
            state: c.case.state.as_str().to_string(),
            channel: b.channel.into(),
            received_at: ts(b.received_at),
            subject_id: c.case.subject.map(|s| s.to_string()),
            jurisdiction: b.jurisdiction.clone(),
            eu_or_dpf: b.eu_or_dpf,
            topic: b.topic.clone(),
            reference: b.reference.clone(),
            first_response_due: ts(b.first_response_due),
            first_response_at: ots(b.first_response_at),
            response_status: response_status.into(),
            response: b.response_ref.clone(),
            resolution: b.resolution.map(Into::into),
            resolved_at: ots(b.resolved_at),
            recourse: b.recourse_offered.as_ref().map(RecourseOut::from),
            escalated_at: ots(b.escalated_at),
            by: b.by.clone(),
            words: match (&b.sealed, b.words_erased_at) {
                (Some(_), _) => "lodged",
                (None, Some(_)) => "erased",
                (None, None) => "none",
            }
            .into(),
            words_erased_at: ots(b.words_erased_at),
        }
    }
}

#[cfg(feature = "core")]
pub use convert::complaint_out;
