//! Change of control (BIZ-02, BIZ-03, BIZ-04, CCPA-40): the notice owed to each person after
//! the business, or the part holding their data, changes hands, and their answer to "stop
//! promotions?".
//!
//! A notice is a stored record (which change of control, effective when, delivered when),
//! written with its audit entry. The answer is a choice of the ledger (`stop_promotions`,
//! channel `change_of_control_prompt`), so it folds like every other choice: "stop" sets the
//! marketing and sharing opt-outs (BIZ-02), and existing opt-outs carry over untouched
//! (BIZ-04, CCPA-40: the ledger is the subject's, not the controlling entity's). The facts
//! loader reads the notices of a stored subject: promotions are held while one is owed and
//! neither delivered nor answered (BIZ-03), whatever a caller asserts.

use std::str::FromStr;

use jiff::Timestamp;
use steward_store::AuditedWrite;
use steward_store::ids::{NoticeId, SubjectId};
use steward_store::model::audit::{Attribute, AuditKind, EventRef};
use steward_store::model::choice::ChoiceEntry;
use steward_store::model::control::ChangeOfControlNotice;
use steward_store::values::{AttrValue, CaseKey, FieldName, store_precision};

use crate::choices::{ChoiceInput, ChoiceParty};
use crate::error::CoreError;
use crate::{Caller, Steward};

/// The ledger key of the answer (BIZ-02).
pub const ANSWER_KEY: &str = "stop_promotions";
/// The ledger channel of the answer.
pub const ANSWER_CHANNEL: &str = "change_of_control_prompt";

/// A notice to record.
#[derive(Debug, Clone)]
pub struct NoticeInput {
    /// The person it is owed to.
    pub subject: SubjectId,
    /// The change of control, as the privacy team names it (`acme-2024`).
    pub transfer: String,
    /// When the change took effect for this person (default: now).
    pub effective_at: Option<Timestamp>,
    /// When it was already delivered, if it was.
    pub delivered_at: Option<Timestamp>,
}

/// A notice with where it stands.
#[derive(Debug, Clone)]
pub struct NoticeStatus {
    /// The record.
    pub notice: ChangeOfControlNotice,
    /// The person's answer given since the notice took effect: `true` is "stop promotions",
    /// with its time.
    pub answer: Option<(bool, Timestamp)>,
    /// Promotions are held: in effect, neither delivered nor answered (BIZ-03).
    pub pending: bool,
}

/// The answer in `ledger` given at or after `since` (the newest).
fn answer_since(ledger: &[ChoiceEntry], since: Timestamp) -> Option<(bool, Timestamp)> {
    ledger
        .iter()
        .filter(|e| e.key.as_str() == ANSWER_KEY && e.at >= since)
        .max_by_key(|e| e.at)
        .map(|e| (e.value, e.at))
}

/// Where each notice stands at `now`, given the subject's ledger.
#[must_use]
pub fn statuses(
    notices: Vec<ChangeOfControlNotice>,
    ledger: &[ChoiceEntry],
    now: Timestamp,
) -> Vec<NoticeStatus> {
    notices
        .into_iter()
        .map(|n| {
            let answer = answer_since(ledger, n.effective_at);
            let pending = n.effective_at <= now && n.delivered_at.is_none() && answer.is_none();
            NoticeStatus {
                notice: n,
                answer,
                pending,
            }
        })
        .collect()
}

fn transfer_key(t: &str) -> Result<CaseKey, CoreError> {
    CaseKey::new(t.trim()).map_err(|e| {
        CoreError::invalid(
            steward_errors::ErrorCode::BadField,
            format!("`transfer`: {e}"),
        )
    })
}

impl Steward {
    fn notice_event(
        &self,
        action: &str,
        caller: &Caller,
        n: &ChangeOfControlNotice,
    ) -> steward_store::AuditEvent {
        let mut e = self.event(AuditKind::Admin, action, caller);
        e.subject = Some(n.subject);
        if let Ok(name) = FieldName::new("change_of_control_notice") {
            e.refs = vec![EventRef {
                name,
                id: n.id.as_uuid(),
            }];
        }
        e.attributes = [("transfer", n.transfer.as_str())]
            .into_iter()
            .filter_map(|(k, v)| {
                Some(Attribute {
                    name: FieldName::new(k).ok()?,
                    value: AttrValue::new(v).ok()?,
                })
            })
            .collect();
        e
    }

    async fn put_notice(
        &self,
        action: &str,
        caller: &Caller,
        n: &ChangeOfControlNotice,
    ) -> Result<(), CoreError> {
        let e = self.notice_event(action, caller, n);
        self.store
            .write_audited(&AuditedWrite::PutChangeOfControlNotice(n.clone()), &[e])
            .await?;
        self.audit.note_appended(1);
        self.facts.invalidate(n.subject);
        Ok(())
    }

    /// Record that a change-of-control notice is owed to a person (BIZ-02): from its
    /// effective time their promotions are held until it is delivered or answered (BIZ-03).
    /// Audited with the record.
    ///
    /// # Errors
    /// `Invalid(BAD_FIELD)` transfer name, `NotFound` subject, `Erased`.
    pub async fn record_change_of_control_notice(
        &self,
        caller: &Caller,
        input: NoticeInput,
    ) -> Result<NoticeStatus, CoreError> {
        let subject = self.store.get_subject(input.subject).await?;
        if subject.erased_at.is_some() {
            return Err(CoreError::NotFound("subject"));
        }
        let now = store_precision(self.clock.now());
        let n = ChangeOfControlNotice {
            id: NoticeId::generate(),
            subject: input.subject,
            transfer: transfer_key(&input.transfer)?,
            effective_at: store_precision(input.effective_at.unwrap_or(now)),
            delivered_at: input.delivered_at.map(store_precision),
            recorded_at: now,
        };
        self.put_notice("change_of_control.notice", caller, &n)
            .await?;
        self.notice_status(n.subject, n.id).await
    }

    /// The change-of-control notices of a person, each with the answer and whether
    /// promotions are held.
    ///
    /// # Errors
    /// `NotFound` subject.
    pub async fn change_of_control_notices(
        &self,
        subject: SubjectId,
    ) -> Result<Vec<NoticeStatus>, CoreError> {
        let own = [steward_store::model::choice::Party::Subject(subject)];
        let (record, notices, ledger) = tokio::try_join!(
            self.store.get_subject(subject),
            self.store.change_of_control_notices(subject),
            self.store.list_choices(&own),
        )?;
        if record.erased_at.is_some() {
            return Err(CoreError::NotFound("subject"));
        }
        Ok(statuses(notices, &ledger, self.clock.now()))
    }

    async fn notice_status(
        &self,
        subject: SubjectId,
        id: NoticeId,
    ) -> Result<NoticeStatus, CoreError> {
        self.change_of_control_notices(subject)
            .await?
            .into_iter()
            .find(|s| s.notice.id == id)
            .ok_or(CoreError::NotFound("change-of-control notice"))
    }

    /// Record that a notice reached the person (BIZ-03: promotions resume unless they answer
    /// "stop"). The first delivery time stays.
    ///
    /// # Errors
    /// `NotFound` subject or notice (a notice of another person is not found).
    pub async fn deliver_change_of_control_notice(
        &self,
        caller: &Caller,
        subject: SubjectId,
        id: NoticeId,
    ) -> Result<NoticeStatus, CoreError> {
        let current = self.notice_status(subject, id).await?;
        if current.notice.delivered_at.is_none() {
            let mut n = current.notice;
            n.delivered_at = Some(store_precision(self.clock.now()));
            self.put_notice("change_of_control.delivered", caller, &n)
                .await?;
        }
        self.notice_status(subject, id).await
    }

    /// Record the person's answer to a notice: `stop` is "stop sending me promotional
    /// information" (BIZ-02). The answer is a choice of the ledger (audited there); answering
    /// shows the notice was delivered, which is recorded too.
    ///
    /// # Errors
    /// `NotFound` subject or notice; as [`record_choices`](Self::record_choices) (an account
    /// administrator cannot answer for the person: ADMIN-07).
    pub async fn answer_change_of_control_notice(
        &self,
        caller: &Caller,
        subject: SubjectId,
        id: NoticeId,
        stop: bool,
        notice_sha256: Option<String>,
    ) -> Result<NoticeStatus, CoreError> {
        let current = self.notice_status(subject, id).await?;
        self.record_choices(
            caller,
            vec![ChoiceInput {
                party: ChoiceParty::Subject(subject),
                key: ANSWER_KEY.into(),
                value: stop,
                source: "user".into(),
                notice_sha256,
                channel: Some(ANSWER_CHANNEL.into()),
            }],
        )
        .await?;
        if current.notice.delivered_at.is_none() {
            let mut n = current.notice;
            n.delivered_at = Some(store_precision(self.clock.now()));
            self.put_notice("change_of_control.delivered", caller, &n)
                .await?;
        }
        self.facts.invalidate(subject);
        self.notice_status(subject, id).await
    }
}

/// Parses a notice id from a path or a command line.
///
/// # Errors
/// `NotFound` (an id that cannot be one names no notice).
pub fn parse_notice_id(s: &str) -> Result<NoticeId, CoreError> {
    NoticeId::from_str(s).map_err(|_| CoreError::NotFound("change-of-control notice"))
}
