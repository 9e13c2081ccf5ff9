//! Change of control (BIZ-02, BIZ-03, BIZ-04, CCPA-40): the notice owed to a person after the
//! business changes hands, its delivery, and the person's answer to "stop promotions?" (a
//! choice of the ledger: `stop_promotions`, channel `change_of_control_prompt`).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A change-of-control notice owed to a person.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordChangeOfControlNotice {
    /// The change of control, as the privacy team names it (`acme-2024`).
    #[schema(pattern = "^[A-Za-z0-9_:.-]{1,64}$")]
    pub transfer: String,
    /// When the change took effect for the person (RFC 3339; default: now). Promotions to
    /// them are held from then until the notice is delivered or answered (BIZ-03).
    #[serde(default)]
    pub effective_at: Option<String>,
    /// When it was already delivered, if it was (RFC 3339).
    #[serde(default)]
    pub delivered_at: Option<String>,
}

/// The person's answer to a notice.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerChangeOfControlNotice {
    /// `true`: stop sending promotional information (sets the marketing and sharing
    /// opt-outs, BIZ-02); `false`: carry on as chosen before.
    pub stop_promotions: bool,
    /// SHA-256 (hex) of the notice text the person was shown (GDPR-07).
    #[serde(default)]
    #[schema(pattern = "^[0-9a-fA-F]{64}$")]
    pub notice_sha256: Option<String>,
}

/// A notice and where it stands.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ChangeOfControlNoticeOut {
    /// Id.
    pub id: String,
    /// The person.
    pub subject_id: String,
    /// The change of control.
    pub transfer: String,
    /// When it took effect for the person.
    pub effective_at: String,
    /// When it was delivered (or answered).
    pub delivered_at: Option<String>,
    /// When it was recorded.
    pub recorded_at: String,
    /// The answer given since it took effect: `true` is "stop promotions".
    pub stop_promotions: Option<bool>,
    /// When the answer was given.
    pub answered_at: Option<String>,
    /// Promotions are held: in effect, neither delivered nor answered (BIZ-03).
    pub pending: bool,
}

/// The change-of-control notices of a person, oldest first.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ChangeOfControlNoticeList {
    /// The notices.
    pub notices: Vec<ChangeOfControlNoticeOut>,
}

#[cfg(feature = "core")]
mod convert {
    use steward_core::control::NoticeStatus;

    use super::ChangeOfControlNoticeOut;
    use crate::common::{ots, ts};

    impl From<&NoticeStatus> for ChangeOfControlNoticeOut {
        fn from(s: &NoticeStatus) -> Self {
            let n = &s.notice;
            ChangeOfControlNoticeOut {
                id: n.id.to_string(),
                subject_id: n.subject.to_string(),
                transfer: n.transfer.as_str().to_string(),
                effective_at: ts(n.effective_at),
                delivered_at: ots(n.delivered_at),
                recorded_at: ts(n.recorded_at),
                stop_promotions: s.answer.map(|(stop, _)| stop),
                answered_at: ots(s.answer.map(|(_, at)| at)),
                pending: s.pending,
            }
        }
    }
}
