//! Recording choices: consents, withdrawals, opt-outs, GPC signals, cookie
//! choices — append-only ledger entries (DM-01) with who/what device, value,
//! source, policy version and the hash of the notice shown (GDPR-07, CHG-02).
//! Effective choices are derived by the engine's fold, with provenance.

use steward_errors::ErrorCode;
use steward_policy::choices::ChoiceKey as PolicyKey;
use steward_store::AuditedWrite;
use steward_store::ids::{ChoiceId, SubjectId};
use steward_store::model::audit::{AuditKind, EventRef};
use steward_store::model::choice::{ChoiceEntry, ChoiceSource, Party};
use steward_store::model::subject::IdentityKind;
use steward_store::values::{ChoiceKey, Digest, FieldName, PolicyVersion};

use crate::error::CoreError;
use crate::{Caller, Steward};

/// Whose choice it is.
#[derive(Debug, Clone)]
pub enum ChoiceParty {
    /// A stored subject.
    Subject(SubjectId),
    /// A browser or device not (yet) linked to a subject, by cookie or device id.
    Device {
        /// `cookie` or `device`.
        kind: IdentityKind,
        /// The id (blind-indexed before storage).
        id: steward_vault::Sensitive<String>,
    },
}

/// A choice to record.
#[derive(Debug, Clone)]
pub struct ChoiceInput {
    /// Whose.
    pub party: ChoiceParty,
    /// The ledger key (`sale_opt_out`, `marketing:first_party:email`, `cookie:analytics` …).
    pub key: String,
    /// The value.
    pub value: bool,
    /// Who recorded it: `user`, `gpc`, `admin`, `default`, `agent`, `import`.
    pub source: String,
    /// SHA-256 (hex) of the notice text shown when the choice was made (GDPR-07).
    pub notice_sha256: Option<String>,
    /// Through which channel it arrived (`web_form`, `email_link`, `gpc` …), for provenance.
    pub channel: Option<String>,
}

impl Steward {
    /// Record choices atomically. Keys are checked against the policy's vocabulary; an
    /// account administrator cannot change another person's choices (ADMIN-07).
    ///
    /// # Errors
    /// `Invalid` key or source, `NotFound` subject, `Denied`-like `Invalid(NOT_SUBJECT_OR_AGENT)`.
    pub async fn record_choices(
        &self,
        caller: &Caller,
        inputs: Vec<ChoiceInput>,
    ) -> Result<Vec<ChoiceId>, CoreError> {
        if matches!(caller, Caller::Admin(_)) {
            return Err(CoreError::invalid(
                ErrorCode::NotSubjectOrAgent,
                "an account administrator cannot change another person's privacy choices (ADMIN-07)",
            ));
        }
        let engine = self.engine();
        let now = self.clock.now();
        let version = PolicyVersion::new(engine.meta.version.to_ascii_lowercase())
            .map_err(|e| CoreError::invalid(ErrorCode::BadPolicyVersion, e.to_string()))?;
        let mut entries = Vec::with_capacity(inputs.len());
        let mut touched: Vec<SubjectId> = Vec::new();
        for i in &inputs {
            PolicyKey::parse(&engine, &i.key)
                .map_err(|e| CoreError::invalid(ErrorCode::UnknownChoiceKey, e.to_string()))?;
            let source: ChoiceSource = i.source.parse().map_err(|_| {
                CoreError::invalid(
                    ErrorCode::BadSource,
                    format!("unknown choice source `{}`", i.source),
                )
            })?;
            let party = match &i.party {
                ChoiceParty::Subject(s) => {
                    touched.push(*s);
                    Party::Subject(*s)
                }
                ChoiceParty::Device { kind, id } => {
                    if !matches!(kind, IdentityKind::Cookie | IdentityKind::Device) {
                        return Err(CoreError::invalid(
                            ErrorCode::BadParty,
                            "a device party is a cookie or device id",
                        ));
                    }
                    let r = self.identity_ref(*kind, id.expose())?;
                    for link in self.store.find_by_identity(&r).await? {
                        touched.push(link.subject);
                    }
                    Party::Identity(r)
                }
            };
            let notice_hash = match &i.notice_sha256 {
                Some(h) => Some(parse_digest(h)?),
                None => None,
            };
            let channel = match &i.channel {
                Some(c) => Some(
                    steward_store::values::ChoiceChannelKey::new(c.clone())
                        .map_err(|e| CoreError::invalid(ErrorCode::BadChannel, e.to_string()))?,
                ),
                None => None,
            };
            entries.push(ChoiceEntry {
                channel,
                id: ChoiceId::generate(),
                party,
                key: ChoiceKey::new(i.key.clone())
                    .map_err(|e| CoreError::invalid(ErrorCode::UnknownChoiceKey, e.to_string()))?,
                value: i.value,
                source,
                actor: caller.actor(),
                policy_version: version.clone(),
                notice_hash,
                at: now,
            });
        }
        let mut events = Vec::with_capacity(entries.len());
        for (entry, input) in entries.iter().zip(&inputs) {
            let mut e = self.event(AuditKind::Choice, "choice.record", caller);
            if let ChoiceParty::Subject(s) = &input.party {
                e.subject = Some(*s);
            }
            if let Ok(f) = FieldName::new("choice") {
                e.refs.push(EventRef {
                    name: f,
                    id: entry.id.as_uuid(),
                });
            }
            e.attributes = [
                ("key", entry.key.as_str()),
                ("value", if entry.value { "true" } else { "false" }),
                ("source", entry.source.as_str()),
            ]
            .iter()
            .filter_map(|(n, v)| {
                Some(steward_store::model::audit::Attribute {
                    name: FieldName::new(*n).ok()?,
                    value: steward_store::values::AttrValue::new(*v).ok()?,
                })
            })
            .collect();
            events.push(e);
        }
        // AUD-01: the entries and their audit events commit together or not at all.
        let written = events.len();
        self.store
            .write_audited(&AuditedWrite::AppendChoices(entries.clone()), &events)
            .await?;
        self.audit.note_appended(written);
        for s in &touched {
            self.invalidate_facts(*s);
        }
        Ok(entries.into_iter().map(|e| e.id).collect())
    }

    /// A `Sec-GPC: 1` signal seen on a subject-facing call: recorded as an opt-out of sale
    /// and sharing for the subject or device, the first time only (GPC-03, GPC-10), with
    /// the partner notifications it owes queued (GPC-11, CCPA-13; see
    /// [`record_gpc_notifying`](Self::record_gpc_notifying), which also returns them).
    /// Returns whether a ledger entry was written.
    ///
    /// # Errors
    /// As [`record_choices`](Self::record_choices).
    pub async fn record_gpc(&self, caller: &Caller, party: ChoiceParty) -> Result<bool, CoreError> {
        // The partners that received the subject's data are told, as for a Do Not Sell
        // request (GPC-11, CCPA-13): see `record_gpc_notifying`.
        Ok(self.record_gpc_notifying(caller, party).await?.0.is_some())
    }

    /// The raw ledger of a subject and its linked devices, in ledger order.
    ///
    /// # Errors
    /// `NotFound`.
    pub async fn ledger(&self, subject: SubjectId) -> Result<Vec<ChoiceEntry>, CoreError> {
        let mut parties = vec![Party::Subject(subject)];
        for l in self.store.identities_of(subject).await? {
            parties.push(Party::Identity(l.identity));
        }
        Ok(self.store.list_choices(&parties).await?)
    }
}

fn parse_digest(hex: &str) -> Result<Digest, CoreError> {
    let bad = || {
        CoreError::invalid(
            ErrorCode::BadNoticeHash,
            "`notice_sha256` must be 64 hex characters",
        )
    };
    if hex.len() != 64 {
        return Err(bad());
    }
    let mut out = [0u8; 32];
    for (i, b) in out.iter_mut().enumerate() {
        *b = u8::from_str_radix(hex.get(2 * i..2 * i + 2).ok_or_else(bad)?, 16)
            .map_err(|_| bad())?;
    }
    Ok(Digest(out))
}
