//! Breach notices to the people (GDPR-31, CCPA-35, NV-08): one e-mail per affected person,
//! queued through the outbox, once.
//!
//! The people are the incident's computed set ([`Steward::compute_incident_affected`](
//! steward_core::Steward::compute_incident_affected)); which notice a person is owed follows
//! from their residency and the incident's notice tasks. Each message is written from the
//! privacy team's words (what happened, the likely consequences, the measures taken) and the
//! company's own (the contact point, the data protection officer, a telephone number: the
//! configuration's `[requests.breach_notices]`, else the policy file's privacy contact), in
//! the form the law asks:
//!
//! - GDPR Art. 34(2) for the people in the EU, EEA, UK or Switzerland: the nature of the
//!   breach, the DPO or other contact point, the likely consequences, the measures taken or
//!   proposed, in clear and plain language;
//! - California Civ. Code §1798.82(d) for US residents (the form Nevada's NRS 603A.220, which
//!   prescribes none, is given as well): titled "Notice of Data Breach", under the headings
//!   "What Happened", "What Information Was Involved", "What We Are Doing", "What You Can
//!   Do" and "For More Information", in plain language, with the date of the notice and the
//!   breach, whether law enforcement delayed it, and the credit reporting agencies when
//!   sensitive identifiers were exposed. The e-mail is plain text; a printed copy is set in
//!   at least 10-point type (the statute's minimum), which the text leaves to the printer.
//!
//! Idempotent: the store marks each person when their notice is queued, in the same
//! transaction as the message, so running the action again never notifies anyone twice.
//! People owed a notice but without a deliverable e-mail address are counted and named by id
//! in the report (never dropped silently); people whose residency has no notice owed are
//! counted too. The messages are sealed under a data key of the incident's own, and nothing
//! here is logged: the report holds counts and subject ids.

use std::collections::BTreeMap;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use steward_core::incident_people::PeopleNoticeOutcome;
use steward_core::incidents::{AffectedSource, Incident, SealedMessageKey};
use steward_core::{Caller, CoreError, Steward};
use steward_deadlines::NoticeTo;
use steward_errors::ErrorCode;
use steward_store::AffectedNotice;
use steward_store::ids::{CaseId, MessageId, SubjectId};
use steward_store::model::request::{MessageOwner, NewMessage, SealedKey};
use steward_store::values::{KekId, WrappedKeyBytes, store_precision};
use steward_vault::Sensitive;

use crate::doc::MESSAGE_LABEL;
use crate::effects::Email;
use crate::seal::Sealer;
use crate::service::{Requests, code};

/// The longest text of a notice field, in characters.
pub const MAX_NOTICE_TEXT: usize = 4000;
/// The outbox kind of a breach notice.
pub const BREACH_NOTICE_KIND: &str = "breach_notice";
/// People handled per store round trip.
const PAGE: u32 = 200;

/// The privacy team's words for the notices.
#[derive(Debug, Clone, Default)]
pub struct PeopleNoticeText {
    /// What happened: the nature of the breach (GDPR Art. 34(2), Cal. "What Happened").
    pub what_happened: String,
    /// Its likely consequences for the people (GDPR Art. 33(3)(c)).
    pub consequences: String,
    /// What was done and will be done (GDPR Art. 33(3)(d), Cal. "What We Are Doing").
    pub measures: String,
    /// What the person can do (default: a short general advice).
    pub what_you_can_do: Option<String>,
    /// When it happened, in words ("between May 1 and May 3, 2024"), when known.
    pub occurred: Option<String>,
    /// The notice was delayed by a law-enforcement investigation (Cal. §1798.82(c)).
    pub law_enforcement_delay: bool,
    /// Tell the affected people no notice is owed to as well (no rule for their residency).
    pub include_not_owed: bool,
}

/// What a run of "notify the people" did.
#[derive(Debug, Clone)]
pub struct PeopleNoticeReport {
    /// Notices queued now, per notice (`data_subjects`, `state_residents:CA` …).
    pub queued: BTreeMap<String, u64>,
    /// People told by an earlier run (not told again).
    pub already_notified: u64,
    /// People owed a notice without a deliverable e-mail address (ids only): notify them
    /// another way.
    pub without_address: Vec<SubjectId>,
    /// Affected people owed no notice (no rule for their residency), not told.
    pub not_owed: u64,
    /// The incident afterwards.
    pub incident: Incident,
}

fn words(field: &str, v: &str, required: bool) -> Result<String, CoreError> {
    let t = v.trim();
    if required && t.is_empty() {
        return Err(CoreError::invalid(
            ErrorCode::NoticeTextRequired,
            format!("`{field}` is required for a notice to the people"),
        ));
    }
    if t.chars().count() > MAX_NOTICE_TEXT {
        return Err(CoreError::invalid(
            ErrorCode::BadField,
            format!("`{field}` is longer than {MAX_NOTICE_TEXT} characters"),
        ));
    }
    Ok(t.to_string())
}

fn corrupt() -> CoreError {
    CoreError::Unavailable("an incident's message key does not read")
}

/// Which form a person's notice takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    /// GDPR Art. 34.
    Gdpr,
    /// Cal. Civ. Code §1798.82(d) (US residents).
    UsState,
}

impl Requests {
    /// Notify the people a breach affects (GDPR-31, CCPA-35, NV-08): one e-mail per person of
    /// the incident's computed set who is owed a notice (or, with `include_not_owed`, every
    /// affected person), queued through the outbox once — a second run queues only for people
    /// not told yet. The notices to the people the run queued for are marked sent with the
    /// count and the time. Audited (`incident.notify_people`: counts only).
    ///
    /// # Errors
    /// `NotFound`; `Invalid(NOTICE_TEXT_REQUIRED | BAD_FIELD)`;
    /// `Conflict(INCIDENT_CLOSED | NOT_ASSESSED | NO_PEOPLE_NOTICE | AFFECTED_NOT_COMPUTED)`.
    pub async fn notify_affected_people(
        &self,
        caller: &Caller,
        id: CaseId,
        text: &PeopleNoticeText,
    ) -> Result<PeopleNoticeReport, CoreError> {
        let what_happened = words("what_happened", &text.what_happened, true)?;
        let consequences = words("consequences", &text.consequences, true)?;
        let measures = words("measures", &text.measures, true)?;
        let can_do = match &text.what_you_can_do {
            Some(t) => Some(words("what_you_can_do", t, false)?).filter(|t| !t.is_empty()),
            None => None,
        };
        let occurred = match &text.occurred {
            Some(t) => Some(words("occurred", t, false)?).filter(|t| !t.is_empty()),
            None => None,
        };
        let steward = self.steward();
        let inc = steward.incident(id).await?;
        if inc.case.closed_at.is_some() {
            return Err(CoreError::Conflict {
                code: ErrorCode::IncidentClosed,
                message: "the incident is closed".into(),
            });
        }
        let Some(a) = &inc.body.assessment else {
            return Err(CoreError::Conflict {
                code: ErrorCode::NotAssessed,
                message: "assess the incident before notifying the people".into(),
            });
        };
        if !a.breach || (!Steward::owes_people_notice(&inc) && !text.include_not_owed) {
            return Err(CoreError::Conflict {
                code: ErrorCode::NoPeopleNotice,
                message: "the incident owes the people no notice; set `include_not_owed` to tell them anyway".into(),
            });
        }
        if inc.body.affected_source != AffectedSource::Computed {
            return Err(CoreError::Conflict {
                code: ErrorCode::AffectedNotComputed,
                message: "compute the affected people first: the typed counts name no one".into(),
            });
        }
        let sealer = self.incident_sealer_or_create(caller, &inc).await?;
        let inc = steward.incident(id).await?;
        let content = Content {
            what_happened,
            consequences,
            measures,
            can_do,
            occurred,
            law_enforcement_delay: text.law_enforcement_delay,
        };
        let now = store_precision(self.now());
        let store = steward.store();
        let mut queued: BTreeMap<String, u64> = BTreeMap::new();
        let mut missing: BTreeMap<String, u64> = BTreeMap::new();
        let mut without_address = Vec::new();
        let mut not_owed = 0u64;
        let mut pending_seen = 0u64;
        let mut after = None;
        loop {
            let page = store.affected_subjects(id, true, after, PAGE).await?;
            let Some(last) = page.last() else { break };
            after = Some(last.subject);
            pending_seen += page.len() as u64;
            let mut batch = Vec::new();
            let mut batch_keys = Vec::new();
            for p in &page {
                let residency = p.residency.as_ref().map(|j| j.as_str().to_string());
                let owed = steward.people_notice_for(&inc, residency.as_deref());
                let (label, form) = match &owed {
                    Some(NoticeTo::DataSubjects) => ("data_subjects".to_string(), Form::Gdpr),
                    Some(to) => (to.key(), Form::UsState),
                    None if text.include_not_owed => {
                        let eu = residency.as_deref().is_some_and(|r| self.is_eu(r));
                        (
                            "not_owed".to_string(),
                            if eu { Form::Gdpr } else { Form::UsState },
                        )
                    }
                    None => {
                        not_owed += 1;
                        continue;
                    }
                };
                let Some((_, to)) = steward
                    .item_values(p.subject, &["email"])
                    .await?
                    .into_iter()
                    .find(|(_, v)| plausible(v.expose()))
                else {
                    *missing.entry(label).or_insert(0) += 1;
                    without_address.push(p.subject);
                    continue;
                };
                let email = self.breach_notice(&inc, form, &content, to);
                batch.push(AffectedNotice {
                    subject: p.subject,
                    message: NewMessage {
                        id: MessageId::generate(),
                        owner: MessageOwner::Incident(id),
                        kind: code(BREACH_NOTICE_KIND)?,
                        created_at: now,
                        sealed: sealer.seal_json(MESSAGE_LABEL, &email)?,
                        lease_until: None,
                    },
                });
                batch_keys.push((p.subject, label));
            }
            if !batch.is_empty() {
                let marked = store.enqueue_affected_notices(id, &batch, now).await?;
                for (subject, label) in batch_keys {
                    if marked.contains(&subject) {
                        *queued.entry(label).or_insert(0) += 1;
                    }
                }
            }
            if (page.len() as u32) < PAGE {
                break;
            }
        }
        let total = inc.body.affected.values().sum::<u64>() + inc.body.affected_unknown;
        let outcome = PeopleNoticeOutcome {
            queued: queued.clone(),
            without_address: missing,
            not_owed,
            what: format!("`{BREACH_NOTICE_KIND}` e-mails through the outbox"),
        };
        let incident = steward.record_people_notified(caller, id, &outcome).await?;
        Ok(PeopleNoticeReport {
            queued,
            already_notified: total.saturating_sub(pending_seen),
            without_address,
            not_owed,
            incident,
        })
    }

    fn is_eu(&self, residency: &str) -> bool {
        residency
            .parse::<steward_policy::Jurisdiction>()
            .ok()
            .is_some_and(|j| {
                self.steward().engine().is_eu(&steward_policy::Subject::new(
                    steward_policy::SubjectKind::CustomerAccountHolder,
                    Some(j),
                ))
            })
    }

    /// The key an incident's messages are sealed under, created (and kept with the
    /// incident) on first use.
    async fn incident_sealer_or_create(
        &self,
        caller: &Caller,
        inc: &Incident,
    ) -> Result<Sealer, CoreError> {
        if let Some(k) = &inc.body.message_key {
            return open_key(self, inc.case.id, k);
        }
        let (_, key) = Sealer::create(self.steward().vault(), inc.case.id.as_uuid())?;
        let stored = self
            .steward()
            .set_incident_message_key(
                caller,
                inc.case.id,
                SealedMessageKey {
                    kek: key.kek.as_str().to_string(),
                    wrapped: B64.encode(key.wrapped.as_bytes()),
                },
            )
            .await?;
        // Another run may have set its key first: use the one kept.
        let k = stored.body.message_key.as_ref().ok_or_else(corrupt)?;
        open_key(self, inc.case.id, k)
    }

    /// The key an incident's outbox messages are sealed under (`None`: none was made).
    pub(crate) async fn incident_sealer(&self, id: CaseId) -> Result<Option<Sealer>, CoreError> {
        let inc = self.steward().incident(id).await?;
        inc.body
            .message_key
            .as_ref()
            .map(|k| open_key(self, id, k))
            .transpose()
    }

    fn breach_notice(
        &self,
        inc: &Incident,
        form: Form,
        c: &Content,
        to: Sensitive<String>,
    ) -> Email {
        let company = self.company();
        let engine = self.steward().engine();
        let mut names = Vec::new();
        let mut sensitive = false;
        for cat in &inc.body.categories {
            match engine.category(cat) {
                Some(id) => {
                    let info = engine.category_info(id);
                    names.push(info.name.clone());
                    sensitive |= info.spi;
                }
                None => names.push(cat.replace('_', " ")),
            }
        }
        let involved = if names.is_empty() {
            "personal information about you".to_string()
        } else {
            names.join(", ")
        };
        let cfg = &self.config().breach_notices;
        let contact = cfg
            .contact
            .clone()
            .or_else(|| engine.meta.privacy_contact.clone());
        let phone = cfg.phone.as_deref();
        let date = |t| {
            self.config()
                .calendar
                .civil_date(t)
                .strftime("%B %-d, %Y")
                .to_string()
        };
        let today = date(self.now());
        let discovered = date(inc.body.discovered_at);
        let when = c
            .occurred
            .as_ref()
            .map(|o| format!(" It happened {o}."))
            .unwrap_or_default();
        let can_do = c.can_do.clone().unwrap_or_else(|| {
            "Be careful with e-mails, calls or letters that ask for your personal information or refer to this incident: we will never ask you for a password. Review your accounts and statements, and tell the provider at once if you see anything you do not recognize.".to_string()
        });
        let mut ask = Vec::new();
        if let Some(ct) = &contact {
            ask.push(format!("write to {ct}"));
        }
        if let Some(p) = phone {
            ask.push(format!("call {p}"));
        }
        let ask = if ask.is_empty() {
            "contact us through our privacy center".to_string()
        } else {
            ask.join(" or ")
        };
        let body = match form {
            Form::UsState => {
                let delay = if c.law_enforcement_delay {
                    " This notice was delayed because a law enforcement investigation required it."
                } else {
                    ""
                };
                let agencies = if sensitive {
                    "\n\nYou can place a fraud alert or a security freeze with the major credit reporting agencies, free of charge:\n- Equifax: 1-800-685-1111, P.O. Box 740241, Atlanta, GA 30374\n- Experian: 1-888-397-3742, P.O. Box 2002, Allen, TX 75013\n- TransUnion: 1-888-909-8872, P.O. Box 2000, Chester, PA 19016"
                } else {
                    ""
                };
                format!(
                    "NOTICE OF DATA BREACH\n\nDate of this notice: {today}\n\n\
                     What Happened\n\n{}{when} We discovered it on {discovered}.{delay} {}\n\n\
                     What Information Was Involved\n\n{involved}.\n\n\
                     What We Are Doing\n\n{}\n\n\
                     What You Can Do\n\n{can_do}{agencies}\n\n\
                     For More Information\n\nIf you have questions about this notice, {ask}. Please mention reference {}.\n\n{company}\n",
                    c.what_happened, c.consequences, c.measures, inc.case.id,
                )
            }
            Form::Gdpr => {
                let dpo = match (&cfg.dpo, &contact) {
                    (Some(d), _) => {
                        format!("Our data protection officer, {d}, can answer your questions.")
                    }
                    (None, Some(ct)) => {
                        format!("Our privacy team can answer your questions: write to {ct}.")
                    }
                    (None, None) => {
                        "Our privacy team can answer your questions through our privacy center."
                            .to_string()
                    }
                };
                let phone = phone
                    .map(|p| format!(" You can also call {p}."))
                    .unwrap_or_default();
                format!(
                    "We are writing to tell you about a personal data breach that concerns you.\n\n\
                     What happened\n\n{}{when} We discovered it on {discovered}. The information involved: {involved}.\n\n\
                     What this may mean for you\n\n{}\n\n\
                     What we have done and are doing\n\n{}\n\n\
                     What you can do\n\n{can_do}\n\n\
                     Who to contact\n\n{dpo}{phone} Please mention reference {}. You also have the right to lodge a complaint with a data protection supervisory authority.\n\n{company}\n",
                    c.what_happened, c.consequences, c.measures, inc.case.id,
                )
            }
        };
        Email {
            to,
            subject: match form {
                Form::UsState => format!("{company}: Notice of Data Breach"),
                Form::Gdpr => format!("{company}: a personal data breach that concerns you"),
            },
            body: Sensitive::new(body),
        }
    }
}

/// The privacy team's words, checked.
struct Content {
    what_happened: String,
    consequences: String,
    measures: String,
    can_do: Option<String>,
    occurred: Option<String>,
    law_enforcement_delay: bool,
}

/// Whether `email` looks like an address (the transport has the last word).
fn plausible(email: &str) -> bool {
    let e = email.trim();
    let Some((local, domain)) = e.rsplit_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && e.len() <= 254
        && !e.chars().any(|c| c.is_whitespace() || c.is_control())
}

fn open_key(r: &Requests, id: CaseId, k: &SealedMessageKey) -> Result<Sealer, CoreError> {
    let key = SealedKey {
        kek: KekId::new(&k.kek).map_err(|_| corrupt())?,
        wrapped: WrappedKeyBytes::new(B64.decode(&k.wrapped).map_err(|_| corrupt())?)
            .map_err(|_| corrupt())?,
    };
    Sealer::open_key(r.steward().vault(), id.as_uuid(), &key)
}

#[cfg(test)]
mod tests {
    use super::plausible;

    #[test]
    fn addresses_are_checked_loosely() {
        assert!(plausible("jane@example.com"));
        assert!(!plausible("jane"));
        assert!(!plausible("jane@localhost"));
    }
}
