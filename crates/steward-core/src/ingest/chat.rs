//! Chat transcripts (CHAT-*) and the redaction of card numbers and government ids in free
//! text (CHAT-03, SURVEY-05).
//!
//! A transcript is accepted only from an encrypted transport (CHAT-01) after the
//! minimization notice was shown (CHAT-03). Before anything is stored, every message is
//! redacted: payment card numbers (Luhn-checked, all but the last four digits masked, SEC-03)
//! and the government ids below. The redacted transcript is then written through the item
//! path: `can_collect` decided and audited, encrypted under the subject's data key (CHAT-02),
//! category `chat_transcript`. The redactions are audited as counts per type
//! (`PII_REDACTED{type}`), never values.
//!
//! Retention (CHAT-04, RET-01): the transcript is linked to its ticket; its `retain_until`
//! is set when the ticket closes (closing time + the policy's period for `chat_transcript`,
//! 365 days in the shipped policy), and the retention sweep erases it after that.
//!
//! Government ids redacted (a small, documented set; detection is a pattern, so callers
//! mask, they do not classify):
//! - `ssn`: a US Social Security number written `ddd-dd-dddd` or `ddd dd dddd` that is
//!   valid by SSA rules (area not 000, 666 or 900–999; group not 00; serial not 0000);
//! - `itin`: a US Individual Taxpayer Identification Number, same shape, area 900–999 and
//!   group 50–65, 70–88, 90–92 or 94–99.
//!
//! Every digit of a government id is masked and the separators stay (`***-**-****`): unlike a
//! card number, the last four digits of an SSN are themselves sensitive.

use std::collections::BTreeMap;
use steward_errors::ErrorCode;

use serde::{Deserialize, Serialize};
use steward_store::ids::{ItemId, SubjectId};
use steward_store::model::audit::{Attribute, AuditKind};
use steward_store::model::event::TicketRef;
use steward_store::model::item::ItemRecord;
use steward_store::values::{AttrValue, FieldName};
use steward_vault::Sensitive;

use crate::decisions::Decided;
use crate::error::CoreError;
use crate::items::ItemInput;
use crate::{Caller, Steward};

/// How many values of each type were masked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Redactions {
    /// Payment card numbers.
    pub pan: usize,
    /// US Social Security numbers.
    pub ssn: usize,
    /// US Individual Taxpayer Identification Numbers.
    pub itin: usize,
}

impl Redactions {
    /// Adds another count.
    pub fn add(&mut self, o: Redactions) {
        self.pan += o.pan;
        self.ssn += o.ssn;
        self.itin += o.itin;
    }

    /// Nothing was masked.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.pan + self.ssn + self.itin == 0
    }

    fn pairs(&self) -> [(&'static str, usize); 3] {
        [("pan", self.pan), ("ssn", self.ssn), ("itin", self.itin)]
    }
}

fn digit(b: u8) -> Option<u32> {
    b.is_ascii_digit().then(|| u32::from(b - b'0'))
}

/// Masks card numbers and government ids in free text (see the module docs).
#[must_use]
pub fn redact_pii(text: &str) -> (String, Redactions) {
    let pans = steward_vault::redact_pans(text);
    let mut out = pans.text.into_bytes();
    let mut counts = Redactions {
        pan: pans.count,
        ..Redactions::default()
    };
    // ddd-dd-dddd / ddd dd dddd, not inside a longer run of digits.
    let mut i = 0;
    while i + 11 <= out.len() {
        let w = &out[i..i + 11];
        let sep = w[3];
        let shape = (sep == b'-' || sep == b' ')
            && w[6] == sep
            && [0, 1, 2, 4, 5, 7, 8, 9, 10]
                .iter()
                .all(|&k| w[k].is_ascii_digit());
        let before_ok = i == 0 || !out[i - 1].is_ascii_digit();
        let after_ok = i + 11 == out.len() || !out[i + 11].is_ascii_digit();
        if shape && before_ok && after_ok {
            let n =
                |r: std::ops::Range<usize>| r.fold(0u32, |a, k| a * 10 + digit(w[k]).unwrap_or(0));
            let (area, group, serial) = (n(0..3), n(4..6), n(7..11));
            let kind = if area >= 900 {
                let g = group;
                ((50..=65).contains(&g)
                    || (70..=88).contains(&g)
                    || (90..=92).contains(&g)
                    || (94..=99).contains(&g))
                .then_some("itin")
            } else {
                (area != 0 && area != 666 && group != 0 && serial != 0).then_some("ssn")
            };
            if let Some(kind) = kind {
                for k in [0, 1, 2, 4, 5, 7, 8, 9, 10] {
                    out[i + k] = b'*';
                }
                match kind {
                    "itin" => counts.itin += 1,
                    _ => counts.ssn += 1,
                }
                i += 11;
                continue;
            }
        }
        i += 1;
    }
    // Only ASCII digits were replaced by ASCII `*`: still UTF-8.
    (String::from_utf8_lossy(&out).into_owned(), counts)
}

/// The transport a chat ran over (CHAT-01).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transport {
    /// Plain HTTP: refused.
    Http,
    /// TLS 1.2.
    Tls12,
    /// TLS 1.3.
    Tls13,
}

/// One chat message (its JSON is the form sealed in the vault, inside the transcript).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ChatMessage {
    /// `customer` or `agent`.
    pub from: String,
    /// When (RFC 3339).
    #[serde(default)]
    pub at: Option<String>,
    /// The text.
    pub text: String,
}

/// A transcript to store.
#[derive(Debug, Clone)]
pub struct TranscriptInput {
    /// Whose chat.
    pub subject: SubjectId,
    /// The support ticket it belongs to (its retention starts when the ticket closes).
    pub ticket: String,
    /// The transport the chat ran over.
    pub transport: Transport,
    /// The minimization notice was shown at chat start (CHAT-03).
    pub minimization_notice_shown: bool,
    /// The messages.
    pub messages: Vec<ChatMessage>,
}

/// A stored transcript.
#[derive(Debug, Clone)]
pub struct TranscriptStored {
    /// The item (value encrypted).
    pub item: ItemRecord,
    /// What was masked.
    pub redactions: Redactions,
    /// The collection decision.
    pub decision: Decided,
}

impl Steward {
    /// Store a chat transcript (see the module docs).
    ///
    /// # Errors
    /// `Invalid(ENCRYPTION_REQUIRED)` for a plain-HTTP chat, `Invalid(NOTICE_REQUIRED)`,
    /// `Invalid(BAD_TICKET)`, `Denied`, `Erased`.
    pub async fn store_transcript(
        &self,
        caller: &Caller,
        input: TranscriptInput,
    ) -> Result<TranscriptStored, CoreError> {
        if input.transport == Transport::Http {
            return Err(CoreError::invalid(
                ErrorCode::EncryptionRequired,
                "chat transmissions are encrypted: a chat over plain HTTP is refused (CHAT-01)",
            ));
        }
        if !input.minimization_notice_shown {
            return Err(CoreError::invalid(
                ErrorCode::NoticeRequired,
                "the minimization notice must be shown at chat start (CHAT-03)",
            ));
        }
        let ticket = TicketRef::new(input.ticket.clone())
            .map_err(|e| CoreError::invalid(ErrorCode::BadTicket, e.to_string()))?;
        let mut total = Redactions::default();
        let mut messages = Vec::with_capacity(input.messages.len());
        for m in &input.messages {
            if m.from != "customer" && m.from != "agent" {
                return Err(CoreError::invalid(
                    ErrorCode::BadMessage,
                    "`from` is `customer` or `agent`",
                ));
            }
            let (text, r) = redact_pii(&m.text);
            total.add(r);
            messages.push(ChatMessage {
                from: m.from.clone(),
                at: m.at.clone(),
                text,
            });
        }
        let body = serde_json::to_vec(&serde_json::json!({
            "ticket": ticket.as_str(),
            "messages": messages,
        }))
        .map_err(|e| CoreError::invalid(ErrorCode::BadMessage, e.to_string()))?;
        let (item, decision) = self
            .write_item(
                caller,
                ItemInput {
                    subject: input.subject,
                    category: "chat_transcript".into(),
                    value: Sensitive::new(body),
                    source: "direct:support_call".into(),
                    purpose: "support".into(),
                    processor_for_customer: false,
                    account: None,
                    derived_from: Vec::new(),
                },
            )
            .await?;
        self.store
            .link_ticket_items(&ticket, &[item.id], self.clock.now())
            .await?;
        self.audit_redactions(caller, input.subject, "chat_transcript", total)
            .await?;
        Ok(TranscriptStored {
            item,
            redactions: total,
            decision,
        })
    }

    pub(crate) async fn audit_redactions(
        &self,
        caller: &Caller,
        subject: SubjectId,
        category: &str,
        r: Redactions,
    ) -> Result<(), CoreError> {
        if r.is_empty() {
            return Ok(());
        }
        let mut e = self.event(AuditKind::Write, "pii_redacted", caller);
        e.subject = Some(subject);
        e.categories = steward_store::CategoryKey::new(category)
            .into_iter()
            .collect();
        e.attributes = r
            .pairs()
            .iter()
            .filter(|(_, n)| *n > 0)
            .filter_map(|(t, n)| {
                Some(Attribute {
                    name: FieldName::new(*t).ok()?,
                    value: AttrValue::new(n.to_string()).ok()?,
                })
            })
            .collect();
        self.audit.append_one(e).await?;
        Ok(())
    }

    /// A ticket closed (CHAT-04): every item linked to it is kept through the day
    /// `closed_at +` its category's retention (when that retention starts at ticket closure),
    /// i.e. `retain_until` is the start of the following UTC day. Returns the
    /// items whose deadline was set. Idempotent (closing again moves nothing earlier than
    /// the time given).
    ///
    /// # Errors
    /// `Invalid(BAD_TICKET)`, store failures.
    pub async fn close_ticket(
        &self,
        caller: &Caller,
        ticket: &str,
        closed_at: jiff::Timestamp,
    ) -> Result<Vec<ItemId>, CoreError> {
        let ticket = TicketRef::new(ticket)
            .map_err(|e| CoreError::invalid(ErrorCode::BadTicket, e.to_string()))?;
        let engine = self.engine();
        let mut set = Vec::new();
        let mut by_category: BTreeMap<String, usize> = BTreeMap::new();
        for id in self.store.ticket_items(&ticket).await? {
            let item = self.store.get_item(id).await?;
            if item.erased_at.is_some() {
                continue;
            }
            let Some(cat) = engine.category(item.category.as_str()) else {
                continue;
            };
            let info = engine.category_info(cat);
            if info.retention_trigger != "ticket_closed" {
                continue;
            }
            let Some(span) = info.retention else {
                continue;
            };
            // Kept through the whole last day (UTC): closed 2024-01-01 with 365 days is kept
            // on 2024-12-31 and erased by the first sweep after it (CHAT-04).
            let last = closed_at
                .to_zoned_datetime(jiff::tz::TimeZone::UTC)
                .checked_add(span)
                .map_err(|e| CoreError::invalid(ErrorCode::BadTime, e.to_string()))?
                .date();
            let until = last
                .tomorrow()
                .map_err(|e| CoreError::invalid(ErrorCode::BadTime, e.to_string()))?
                .to_zoned_datetime(jiff::tz::TimeZone::UTC)
                .map_err(|e| CoreError::invalid(ErrorCode::BadTime, e.to_string()))?
                .timestamp();
            self.store.set_item_retention(id, Some(until)).await?;
            *by_category
                .entry(item.category.as_str().to_string())
                .or_default() += 1;
            set.push(id);
        }
        let mut e = self.event(AuditKind::Write, "ticket.close", caller);
        e.categories = by_category
            .keys()
            .filter_map(|c| steward_store::CategoryKey::new(c.clone()).ok())
            .collect();
        self.audit.append_one(e).await?;
        Ok(set)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chat_03_card_numbers_and_government_ids_are_masked() {
        let (t, r) = redact_pii("my card is 4111 1111 1111 1111");
        assert_eq!(t, "my card is **** **** **** 1111");
        assert_eq!(r.pan, 1);
        let (t, r) = redact_pii("ssn 123-45-6789, itin 912-70-1234, ref 000-12-3456, 666-12-3456");
        assert_eq!(
            t,
            "ssn ***-**-****, itin ***-**-****, ref 000-12-3456, 666-12-3456"
        );
        assert_eq!((r.ssn, r.itin, r.pan), (1, 1, 0));
        let (t, r) = redact_pii("call 415-555-0100 or order 1123-45-67890 or 123 45 6789!");
        assert_eq!(
            t,
            "call 415-555-0100 or order 1123-45-67890 or *** ** ****!"
        );
        assert_eq!(r.ssn, 1);
        let (t, r) = redact_pii("é 123-45-6789 ü");
        assert_eq!(t, "é ***-**-**** ü");
        assert_eq!(r.ssn, 1);
        assert!(redact_pii("nothing here").1.is_empty());
    }
}
