//! Complaints lodged by the people themselves (CONTACT-01, CONTACT-03, CONTACT-04, DPF-05):
//! from the privacy center's complaint page or as `kind: complaint` on the public request
//! intake (the privacy address's path). The complaint is filed through the core use case
//! ([`Steward::file_complaint`](steward_core::Steward::file_complaint): its 45-day first
//! response, the EU/DPF decision), with the person's address, name and words sealed under a
//! data key of the complaint's own (the case body carries only ciphertext and the wrapped
//! key); the acknowledgement, naming the reference and the date the first response is due,
//! goes through the outbox like a request's. Closed unresolved, the independent
//! dispute-resolution provider of the policy is offered free of charge through the outbox too
//! (CONTACT-03), when the complaint has an address. The privacy team reads what the person
//! lodged through [`Requests::complaint_words`] (audited as a read of personal data); when the
//! complainant is erased, the complaint's key goes with the rest of their data
//! ([`Steward::erase_complaint_words_of`](steward_core::Steward::erase_complaint_words_of)).
//!
//! SECURITY (no account enumeration): lodging never looks the address up. The complaint is
//! linked to a subject only through a signed-in session, so the answer, the message and the
//! time taken are the same whether or not the address belongs to a customer.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use steward_core::complaints::{
    Complaint, ComplaintChannel, ComplaintInput, Resolution, SealedComplaint,
};
use steward_core::{Caller, CoreError};
use steward_errors::ErrorCode;
use steward_store::ids::{CaseId, SubjectId};
use steward_store::model::request::{MessageOwner, SealedKey};
use steward_store::values::{Ciphertext, KekId, WrappedKeyBytes};
use steward_vault::Sensitive;

use crate::seal::Sealer;
use crate::service::Requests;

/// The label a complaint's contact details and words are sealed under.
const COMPLAINT_LABEL: &str = "complaint.contact";
/// The longest complaint text, in characters.
pub const MAX_COMPLAINT_TEXT: usize = 10_000;
/// The longest name, in characters.
pub const MAX_COMPLAINT_NAME: usize = 200;
/// The topic code of a complaint the person lodged.
const TOPIC: &str = "lodged_by_complainant";

/// A complaint as the person lodges it.
#[derive(Clone)]
pub struct LodgeComplaint {
    /// Where it arrived (`privacy_center`, `email_privacy`).
    pub channel: ComplaintChannel,
    /// The complainant, when signed in to the privacy center (never looked up by address).
    pub subject: Option<SubjectId>,
    /// Where to answer.
    pub email: Sensitive<String>,
    /// Their name, when given.
    pub name: Option<Sensitive<String>>,
    /// Where they live (`DE`, `US-CA` …), when given and not signed in: decides whether the
    /// complaint is an EU one (DPF-05).
    pub jurisdiction: Option<String>,
    /// Raised under the EU-U.S. Data Privacy Framework.
    pub dpf: bool,
    /// The complaint, in their words.
    pub text: Sensitive<String>,
}

impl std::fmt::Debug for LodgeComplaint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LodgeComplaint([redacted])")
    }
}

/// What lodging a complaint answers: the same for every address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ComplaintReceipt {
    /// The reference.
    pub complaint_id: CaseId,
    /// When it was received.
    pub received_at: Timestamp,
    /// The first response is due by then (45 days: DPF-05, CONTACT-04).
    pub first_response_due: Timestamp,
    /// What happens next, for the complainant.
    pub message: String,
}

/// What the person gave, sealed under the complaint's key.
#[derive(Serialize, Deserialize)]
struct ComplaintContact {
    email: Sensitive<String>,
    name: Option<Sensitive<String>>,
    text: Sensitive<String>,
}

/// What a person lodged with a complaint, opened for staff (the read is audited).
#[derive(Clone)]
pub struct ComplaintWords {
    /// Where to answer.
    pub email: Sensitive<String>,
    /// Their name.
    pub name: Option<Sensitive<String>>,
    /// The complaint, in their words.
    pub text: Sensitive<String>,
}

impl std::fmt::Debug for ComplaintWords {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ComplaintWords([redacted])")
    }
}

fn corrupt() -> CoreError {
    CoreError::Unavailable("a complaint's sealed details do not read")
}

/// Whether `email` looks like an address (the transport has the last word).
fn plausible_email(email: &str) -> bool {
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

fn check(input: &LodgeComplaint) -> Result<(), CoreError> {
    if !plausible_email(input.email.expose()) {
        return Err(CoreError::invalid(
            ErrorCode::ComplaintContactRequired,
            "give the e-mail address where we can answer the complaint",
        ));
    }
    let text = input.text.expose().trim();
    if text.is_empty() || text.chars().count() > MAX_COMPLAINT_TEXT {
        return Err(CoreError::invalid(
            ErrorCode::ComplaintTextRequired,
            "say what the complaint is about (at most 10 000 characters)",
        ));
    }
    if input
        .name
        .as_ref()
        .is_some_and(|n| n.expose().chars().count() > MAX_COMPLAINT_NAME)
    {
        return Err(CoreError::invalid(
            ErrorCode::ComplaintTextRequired,
            "the name is too long (200 characters at most)",
        ));
    }
    Ok(())
}

impl Requests {
    /// Lodges a complaint from the person (CONTACT-01, CONTACT-04, DPF-05): filed with its
    /// 45-day first response, their words and address sealed, the acknowledgement queued in
    /// the outbox. Audited (`complaint.file`). The answer depends only on the input.
    ///
    /// # Errors
    /// `Invalid(COMPLAINT_CONTACT_REQUIRED | COMPLAINT_TEXT_REQUIRED | BAD_JURISDICTION)`.
    pub async fn lodge_complaint(
        &self,
        caller: &Caller,
        input: LodgeComplaint,
    ) -> Result<ComplaintReceipt, CoreError> {
        check(&input)?;
        let id = CaseId::generate();
        let (sealer, key) = Sealer::create(self.steward.vault(), id.as_uuid())?;
        let contact = ComplaintContact {
            email: Sensitive::new(input.email.expose().trim().to_string()),
            name: input
                .name
                .as_ref()
                .map(|n| Sensitive::new(n.expose().trim().to_string()))
                .filter(|n| !n.expose().is_empty()),
            text: Sensitive::new(input.text.expose().trim().to_string()),
        };
        let sealed = SealedComplaint {
            kek: key.kek.as_str().to_string(),
            wrapped: B64.encode(key.wrapped.as_bytes()),
            contact: B64.encode(sealer.seal_json(COMPLAINT_LABEL, &contact)?.as_bytes()),
        };
        let c = self
            .steward
            .file_complaint(
                caller,
                ComplaintInput {
                    channel: input.channel,
                    received_at: None,
                    subject: input.subject,
                    // A signed-in person's jurisdiction comes from their record.
                    jurisdiction: input
                        .jurisdiction
                        .filter(|j| input.subject.is_none() && !j.trim().is_empty()),
                    dpf: input.dpf,
                    topic: TOPIC.into(),
                    reference: None,
                    id: Some(id),
                    sealed: Some(sealed),
                },
            )
            .await?;
        let received_at = c.body.received_at;
        let due = c.body.first_response_due;
        let ack =
            crate::texts::complaint_acknowledgement(self, id, received_at, due, contact.email);
        self.send_sealed(
            MessageOwner::Complaint(id),
            &sealer,
            vec![("complaint_acknowledgement", ack)],
        )
        .await?;
        Ok(ComplaintReceipt {
            complaint_id: id,
            received_at,
            first_response_due: due,
            message: "We received your complaint. Our privacy team will respond by the date given; the acknowledgement we e-mailed you carries the reference.".into(),
        })
    }

    /// Closes a complaint with its resolution ([`Steward::resolve_complaint`](
    /// steward_core::Steward::resolve_complaint)); closed unresolved, the independent
    /// dispute-resolution provider is offered to the complainant, free of charge, through
    /// the outbox when the complaint has an address (CONTACT-03, DPF-05).
    ///
    /// # Errors
    /// Those of the core's `resolve_complaint`.
    pub async fn resolve_complaint(
        &self,
        caller: &Caller,
        id: CaseId,
        resolution: Resolution,
    ) -> Result<Complaint, CoreError> {
        let c = self
            .steward
            .resolve_complaint(caller, id, resolution)
            .await?;
        if resolution == Resolution::Unresolved
            && let (Some(recourse), Some(sealed)) = (&c.body.recourse_offered, &c.body.sealed)
        {
            let sealer = open_key(self, id, sealed)?;
            let contact: ComplaintContact =
                sealer.open_json(COMPLAINT_LABEL, &ciphertext(sealed)?)?;
            let email = crate::texts::complaint_recourse(self, id, recourse, contact.email);
            self.send_sealed(
                MessageOwner::Complaint(id),
                &sealer,
                vec![("complaint_recourse", email)],
            )
            .await?;
        }
        Ok(c)
    }

    /// What the person lodged with complaint `id` (address, name, words), for the privacy
    /// team. Audited as a read of personal data (`complaint.read_words`).
    ///
    /// # Errors
    /// `NotFound`; `Invalid(COMPLAINT_NO_WORDS)` when staff filed it with a reference
    /// instead; `Invalid(COMPLAINT_WORDS_ERASED)` once the complainant was erased.
    pub async fn complaint_words(
        &self,
        caller: &Caller,
        id: CaseId,
    ) -> Result<ComplaintWords, CoreError> {
        let c = self.steward.complaint(id).await?;
        let Some(sealed) = &c.body.sealed else {
            return Err(match c.body.words_erased_at {
                Some(_) => CoreError::invalid(
                    ErrorCode::ComplaintWordsErased,
                    "the complainant was erased: what they lodged with the complaint can no longer be read; its record remains",
                ),
                None => CoreError::invalid(
                    ErrorCode::ComplaintNoWords,
                    "the complaint was filed by staff: its words are where its `reference` points",
                ),
            });
        };
        let sealer = open_key(self, id, sealed)?;
        let contact: ComplaintContact = sealer.open_json(COMPLAINT_LABEL, &ciphertext(sealed)?)?;
        self.steward
            .complaint_read_audited(caller, &c, "complaint.read_words")
            .await?;
        Ok(ComplaintWords {
            email: contact.email,
            name: contact.name,
            text: contact.text,
        })
    }

    /// The key the outbox messages of case `id` are sealed under: a complaint's own key, or
    /// the notice key of a legal request (LEGALREQ-05). `None`: the case has none (a complaint
    /// filed by staff, or erased).
    pub(crate) async fn case_sealer(&self, id: CaseId) -> Result<Option<Sealer>, CoreError> {
        match self.steward.complaint(id).await {
            Ok(c) => c
                .body
                .sealed
                .as_ref()
                .map(|s| open_key(self, id, s))
                .transpose(),
            Err(CoreError::NotFound(_)) => self.legal_notice_sealer(id).await,
            Err(e) => Err(e),
        }
    }
}

fn open_key(r: &Requests, id: CaseId, s: &SealedComplaint) -> Result<Sealer, CoreError> {
    open_wrapped(r, id, &s.kek, &s.wrapped)
}

/// A case's data key from its key-encryption key id and wrapped bytes (base64).
pub(crate) fn open_wrapped(
    r: &Requests,
    id: CaseId,
    kek: &str,
    wrapped: &str,
) -> Result<Sealer, CoreError> {
    let key = SealedKey {
        kek: KekId::new(kek).map_err(|_| corrupt())?,
        wrapped: WrappedKeyBytes::new(B64.decode(wrapped).map_err(|_| corrupt())?)
            .map_err(|_| corrupt())?,
    };
    Sealer::open_key(r.steward().vault(), id.as_uuid(), &key)
}

fn ciphertext(s: &SealedComplaint) -> Result<Ciphertext, CoreError> {
    Ciphertext::new(B64.decode(&s.contact).map_err(|_| corrupt())?).map_err(|_| corrupt())
}

#[cfg(test)]
mod tests {
    use super::plausible_email;

    #[test]
    fn addresses_are_checked_loosely() {
        assert!(plausible_email("jane@example.com"));
        assert!(!plausible_email("jane"));
        assert!(!plausible_email("jane@localhost"));
        assert!(!plausible_email("ja ne@example.com"));
    }
}
