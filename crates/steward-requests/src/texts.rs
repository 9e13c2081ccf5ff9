//! The texts sent to data subjects: plain, short, electronic by default (GDPR-01), with the
//! statements the law asks for — how verification works and when to expect an answer
//! (CCPA-04), the extension and its reason (GDPR-03), what was done and what was kept
//! (CCPA-09, CCPA-39), the complaint and judicial-remedy wording of a refusal (GDPR-04); a
//! complaint's acknowledgement with its reference and the first response due (CONTACT-04,
//! DPF-05) and, closed unresolved, the independent recourse, free of charge (CONTACT-03); the
//! notice of a disclosure under a legal request to its subject (LEGALREQ-05).

use jiff::Timestamp;
use steward_deadlines::{Extension, RequestKind};
use steward_store::model::request::RequestRecord;
use steward_vault::Sensitive;

use crate::doc::Doc;
use crate::effects::Email;
use crate::lifecycle::DenyReason;
use crate::service::Requests;

fn date(r: &Requests, t: Timestamp) -> String {
    r.config
        .calendar
        .civil_date(t)
        .strftime("%B %-d, %Y")
        .to_string()
}

/// What the person asked for, as the rest of "your request to …": a verb phrase for every
/// kind ("your request to delete your personal information"), never a noun.
fn kind_words(kind: &str) -> &'static str {
    RequestKind::ALL
        .into_iter()
        .find(|k| k.as_str() == kind)
        .map_or("exercise a privacy right", kind_phrase)
}

/// The verb phrase of a kind (exhaustive: a new kind needs its own words).
fn kind_phrase(kind: RequestKind) -> &'static str {
    match kind {
        RequestKind::Access => "access your personal information",
        RequestKind::KnowCategories => {
            "know the categories of personal information we hold about you"
        }
        RequestKind::KnowSpecificPieces => {
            "know the specific pieces of personal information we hold about you"
        }
        RequestKind::Portability => "receive a portable copy of your personal information",
        RequestKind::Deletion => "delete your personal information",
        RequestKind::Correction => "correct your personal information",
        RequestKind::OptOutSaleShare => {
            "opt out of the sale and sharing of your personal information"
        }
        RequestKind::LimitSpi => "limit the use of your sensitive personal information",
        RequestKind::ObjectDirectMarketing => "object to direct marketing",
        RequestKind::Objection => "object to the processing of your personal information",
        RequestKind::Restriction => "restrict the processing of your personal information",
        RequestKind::WithdrawConsent => "withdraw your consent",
        RequestKind::NevadaNoSale => "opt out of the sale of your covered information (Nevada)",
    }
}

pub(crate) fn intake_message(method: &str, agent_pending: bool) -> &'static str {
    if agent_pending {
        return "We received the request. Before we act on it we need the consumer's signed permission for you to act on their behalf; the consumer will then confirm the request directly.";
    }
    match method {
        "email_code" => {
            "We received your request. If we hold information about you, we will act on it once you confirm it with the code we sent to the e-mail address you gave."
        }
        "none" => "We received your request and applied it.",
        _ => "We received your request and will answer it within the time the law allows.",
    }
}

pub(crate) fn code_message(
    r: &Requests,
    rec: &RequestRecord,
    to: Sensitive<String>,
    code: &Sensitive<String>,
    expires_at: Timestamp,
) -> Email {
    let mins = expires_at.duration_since(r.now()).as_mins().max(1);
    Email {
        to,
        subject: format!("{}: confirm your privacy request", r.company()),
        body: Sensitive::new(format!(
            "{}Your confirmation code for your request to {} (reference {}) is:\n\n    {}\n\nIt works for {mins} minutes. Enter it where you made the request, or on the \"Confirm your request\" page of our privacy center with the reference above. If you did not make this request, ignore this message: nothing will happen.\n",
            if rec.requester == steward_store::model::request::Requester::Agent {
                "An authorized agent asked us to act on your behalf. We act only if you confirm it yourself (CCPA-23): if you did not give the agent your permission, ignore this message.\n\n"
            } else {
                ""
            },
            kind_words(rec.kind.as_str()),
            rec.id,
            code.expose()
        )),
    }
}

pub(crate) fn acknowledgement(
    r: &Requests,
    rec: &RequestRecord,
    doc: &Doc,
    to: Sensitive<String>,
    method: &str,
) -> Email {
    let verification = match method {
        "email_code" => {
            "To protect your information we first confirm that the request comes from you: use the code we sent in a separate message. We never ask for a fee, and we only ask for what is needed to confirm your identity."
        }
        "session" => {
            "You made this request while signed in to your account, which confirms your identity."
        }
        _ => "Our privacy team confirmed your identity.",
    };
    Email {
        to,
        subject: format!("{}: we received your privacy request", r.company()),
        body: Sensitive::new(format!(
            "We received your request to {} on {} (reference {}).\n\n{verification}\n\nWe will answer by {} at the latest. If we need more time we will tell you why before then.\n",
            kind_words(rec.kind.as_str()),
            date(r, rec.received_at),
            rec.id,
            date(r, doc.ticket.current_due().at()),
        )),
    }
}

pub(crate) fn more_information(
    r: &Requests,
    rec: &RequestRecord,
    to: Sensitive<String>,
    fields: &[String],
) -> Email {
    Email {
        to,
        subject: format!("{}: we need a little more information", r.company()),
        body: Sensitive::new(format!(
            "To confirm your identity for request {} we need: {}. Reply to this message with that information only.\n",
            rec.id,
            fields.join(", ").replace('_', " ")
        )),
    }
}

pub(crate) fn extension_notice(
    r: &Requests,
    rec: &RequestRecord,
    to: Sensitive<String>,
    ext: &Extension,
) -> Email {
    Email {
        to,
        subject: format!("{}: more time needed for your privacy request", r.company()),
        body: Sensitive::new(format!(
            "We need more time to answer your request {} because: {}.\n\nWe will answer by {} instead of {}.\n",
            rec.id,
            ext.reason(),
            date(r, ext.new_due().at()),
            date(r, ext.previous_due().at()),
        )),
    }
}

pub(crate) fn completion(
    r: &Requests,
    rec: &RequestRecord,
    doc: &Doc,
    kind: RequestKind,
    to: Sensitive<String>,
) -> Email {
    let center = r
        .config
        .privacy_center_url
        .as_deref()
        .map(|u| format!(" at {u}"))
        .unwrap_or_default();
    let body = match kind {
        RequestKind::Access
        | RequestKind::KnowCategories
        | RequestKind::KnowSpecificPieces
        | RequestKind::Portability => format!(
            "Your report for request {} is ready. Download it from our privacy center{center}. It is free of charge.\n",
            rec.id
        ),
        RequestKind::Deletion => {
            let kept = doc
                .plan
                .as_ref()
                .map(|p| {
                    let mut cats: Vec<String> = p
                        .retain
                        .iter()
                        .map(|x| {
                            format!(
                                "{} ({})",
                                x.category.replace('_', " "),
                                x.citations.join("; ")
                            )
                        })
                        .collect();
                    cats.sort();
                    cats.dedup();
                    cats
                })
                .unwrap_or_default();
            let kept = if kept.is_empty() {
                "We did not need to keep any of it.".to_string()
            } else {
                format!(
                    "The law requires or allows us to keep some of it, used only for that reason: {}.",
                    kept.join(", ")
                )
            };
            format!(
                "We completed your deletion request {}. We deleted your personal information from our systems and told the service providers and third parties who received it to delete it too. {kept}\n\nA record of this request is kept, as the law requires, without your personal information.\n",
                rec.id
            )
        }
        RequestKind::Correction
            if doc.correction.as_ref().is_some_and(|c| {
                doc.result(&format!("item:{}", c.category))
                    .is_some_and(|r| r.status == "skipped")
            }) =>
        {
            format!(
                "We looked for the information you asked us to correct (request {}) and we hold none of it about you, so there was nothing to correct.\n",
                rec.id
            )
        }
        RequestKind::Correction => format!(
            "We corrected your information (request {}) and told those who received it.\n",
            rec.id
        ),
        _ => format!(
            "We processed your request {} to {}. It applies from now on, and we told the third parties concerned.\n",
            rec.id,
            kind_words(rec.kind.as_str())
        ),
    };
    Email {
        to,
        subject: format!("{}: your privacy request is done", r.company()),
        body: Sensitive::new(body),
    }
}

pub(crate) fn denial(
    r: &Requests,
    rec: &RequestRecord,
    doc: &Doc,
    to: Sensitive<String>,
    reason: DenyReason,
    justification: Option<&str>,
) -> Email {
    let basis = match reason {
        DenyReason::CannotIdentify => "we could not identify you as the person the information is about".to_string(),
        DenyReason::Unverified => "we could not verify that the request came from you before the deadline".to_string(),
        DenyReason::ManifestlyUnfounded => "the request is manifestly unfounded".to_string(),
        DenyReason::Excessive => "the request is excessive, in particular because it repeats earlier requests".to_string(),
        DenyReason::RepeatKnowRequest => "we already answered two requests to know from you in the last 12 months (Cal. Civ. Code §1798.130(b))".to_string(),
        DenyReason::Fraudulent => "we have a documented good-faith belief that the request is fraudulent".to_string(),
        DenyReason::Other => "of the reason given below".to_string(),
    };
    let why = justification.map(|j| format!(" ({j})")).unwrap_or_default();
    let gdpr = doc.regimes.iter().any(|x| {
        matches!(
            x,
            steward_deadlines::Regime::Gdpr | steward_deadlines::Regime::UkGdpr
        )
    });
    let remedies = if gdpr {
        "You may lodge a complaint with a supervisory authority, in particular in the member state where you live or work, and you may seek a judicial remedy."
    } else {
        "You may contact us to discuss this decision, and you may complain to the California Privacy Protection Agency or your state's attorney general."
    };
    Email {
        to,
        subject: format!("{}: about your privacy request", r.company()),
        body: Sensitive::new(format!(
            "We are not able to act on your request {} because {basis}{why}.\n\n{remedies}\n",
            rec.id
        )),
    }
}

/// The acknowledgement of a complaint lodged by the person (CONTACT-01, CONTACT-04, DPF-05):
/// its reference and the date its first response is due.
pub(crate) fn complaint_acknowledgement(
    r: &Requests,
    id: steward_store::ids::CaseId,
    received_at: Timestamp,
    due: Timestamp,
    to: Sensitive<String>,
) -> Email {
    Email {
        to,
        subject: format!("{}: we received your privacy complaint", r.company()),
        body: Sensitive::new(format!(
            "We received your complaint about our privacy practices on {} (reference {id}).\n\nOur privacy team reviews it and will respond by {} at the latest. Please quote the reference if you write to us about it.\n",
            date(r, received_at),
            date(r, due),
        )),
    }
}

/// A complaint closed unresolved (CONTACT-03, DPF-05): the independent dispute-resolution
/// provider, free of charge, with its link.
pub(crate) fn complaint_recourse(
    r: &Requests,
    id: steward_store::ids::CaseId,
    recourse: &steward_core::complaints::Recourse,
    to: Sensitive<String>,
) -> Email {
    Email {
        to,
        subject: format!("{}: your privacy complaint", r.company()),
        body: Sensitive::new(format!(
            "We have not been able to resolve your complaint (reference {id}) to your satisfaction.\n\nIf your concern remains unresolved, you may contact our independent dispute-resolution provider, {}, free of charge, at {}\n",
            recourse.provider, recourse.url,
        )),
    }
}

/// How an instrument reads after "under" (LEGALREQ-01's instrument types).
fn instrument_words(i: steward_core::legal::Instrument) -> &'static str {
    use steward_core::legal::Instrument;
    match i {
        Instrument::CourtOrder => "a court order",
        Instrument::Subpoena => "a subpoena",
        Instrument::SearchWarrant => "a search warrant",
        Instrument::NationalSecurity => "a national-security request",
        Instrument::OtherLawEnforcementRequest => "a law-enforcement request",
        Instrument::SelfInitiatedProtection => {
            "our own initiative, to protect our company, our users or others"
        }
    }
}

/// The notice of a disclosure under a legal request to its subject (LEGALREQ-05): what was
/// disclosed, to which authority, under which instrument, when, and whom to contact. The
/// company's name is the configured one; the contact is the policy file's privacy contact.
pub(crate) fn legal_notice(
    r: &Requests,
    l: &steward_core::legal::LegalRequest,
    d: &steward_core::legal::LegalDisclosure,
    to: Sensitive<String>,
) -> Email {
    let company = r.company();
    let what = d
        .categories
        .iter()
        .map(|c| c.replace('_', " "))
        .collect::<Vec<_>>()
        .join(", ");
    let contact = r
        .steward()
        .engine()
        .file
        .policy
        .privacy_contact
        .clone()
        .map(|c| {
            format!("If you have questions about this disclosure, contact our privacy team at {c}")
        })
        .unwrap_or_else(|| {
            "If you have questions about this disclosure, contact our privacy team".into()
        });
    Email {
        to,
        subject: format!("{company}: we disclosed some of your information to an authority"),
        body: Sensitive::new(format!(
            "On {}, {company} disclosed the following information about you to {}: {what}.\n\nWe did so under {} ({}), which we reviewed before disclosing, and we disclosed only what it covers.\n\n{contact}, quoting the reference {}.\n",
            date(r, d.at),
            l.body.authority,
            instrument_words(l.body.instrument),
            match l.body.basis {
                steward_core::legal::Basis::RequiredByLaw => "the law required the disclosure",
                steward_core::legal::Basis::PermittedByLaw => "the law permitted the disclosure",
            },
            l.case.id,
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every kind reads naturally after "your request to": a verb first, never a noun
    /// ("your request to deletion of …", "your request to access to …").
    #[test]
    fn every_kind_reads_as_a_request_to_do_something() {
        let verbs = [
            "access", "know", "receive", "delete", "correct", "opt", "limit", "object", "restrict",
            "withdraw",
        ];
        for kind in RequestKind::ALL {
            let phrase = kind_words(kind.as_str());
            let sentence = format!("We received your request to {phrase} on May 1, 2024.");
            let mut words = phrase.split_whitespace();
            let first = words.next().unwrap_or_default();
            assert!(verbs.contains(&first), "{kind:?}: {sentence}");
            // "object to …" is a verb phrase; "access to …" would be a noun.
            if first != "object" {
                assert_ne!(words.next(), Some("to"), "{kind:?}: {sentence}");
            }
            for noun in [
                "deletion",
                "correction",
                "portability",
                "restriction",
                "objection",
            ] {
                assert!(
                    !sentence.contains(&format!("to {noun}")),
                    "{kind:?}: {sentence}"
                );
            }
            assert_ne!(phrase, "exercise a privacy right", "{kind:?} has no words");
        }
        assert_eq!(kind_words("deletion"), "delete your personal information");
        assert_eq!(kind_words("no_such_kind"), "exercise a privacy right");
    }
}
