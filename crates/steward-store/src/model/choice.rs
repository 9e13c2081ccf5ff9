//! The choices ledger: append-only entries for consents, withdrawals, opt-outs (sale, share,
//! third-party promotional mail, marketing per channel), GPC signals, cookie choices and
//! location services (DM-01, MKT-*, DNS-*, COOKIE-*, GPC-*).
//!
//! Each entry says who (a subject) or which device (a blind-indexed cookie or device id, or a
//! hashed e-mail kept as a suppression record after erasure: RET-05) chose what, through which
//! source, under which policy version, having seen which notice text (its hash), and when.
//! There is no update or delete: the current state is a fold over the entries. The policy's
//! precedence rules (a GPC signal beats a default, an opt-out is sticky ...) live in the core;
//! [`fold_latest`] is only the "last entry wins, with provenance" fold.

use std::collections::BTreeMap;

use jiff::Timestamp;

use super::audit::Actor;
use super::coded_enum;
use super::subject::IdentityRef;
use crate::ids::{ChoiceId, SubjectId};
use crate::values::{ChoiceChannelKey, ChoiceKey, Digest, PolicyVersion};

/// Whose choice it is: a subject, or a device / identity not (yet) linked to one.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Party {
    /// A known subject.
    Subject(SubjectId),
    /// A cookie or device id, or a hashed e-mail/phone suppression record, by its blind token.
    Identity(IdentityRef),
}

coded_enum! {
    /// Where a choice came from.
    pub enum ChoiceSource: "choice source" {
        /// The subject, through a form, link, checkbox, e-mail link, SMS STOP ...
        User = 1, "user",
        /// A Global Privacy Control signal (GPC-*).
        Gpc = 2, "gpc",
        /// Staff acting on the subject's instruction (support ticket, privacy e-mail).
        Admin = 3, "admin",
        /// The policy default at the time (recorded so the fold has provenance).
        Default = 4, "default",
        /// An authorized agent (CCPA-23) or a parent.
        Agent = 5, "agent",
        /// An import or a partner sync.
        Import = 6, "import",
        /// A parent or guardian (CCPA-18, GDPR-11).
        Parent = 7, "parent",
        /// Customer support acting on the subject's request.
        Support = 8, "support",
    }
}

/// An entry of the choices ledger.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChoiceEntry {
    /// Caller-chosen id: appending the same entry again is a no-op; reusing the id for other
    /// content is refused with `AppendOnly`.
    pub id: ChoiceId,
    /// Who or which device.
    pub party: Party,
    /// What was chosen, e.g. `sale_opt_out`, `marketing:email`, `cookie:analytics`, `location_services`.
    pub key: ChoiceKey,
    /// The value: `true` = the choice is on (opted out / consented / signal present, as the key says).
    pub value: bool,
    /// Where it came from.
    pub source: ChoiceSource,
    /// Through which channel it arrived, when known (provenance only: MP-04, DNS-05).
    pub channel: Option<ChoiceChannelKey>,
    /// Who recorded it (the subject, a staff member, a service).
    pub actor: Actor,
    /// The policy version in force.
    pub policy_version: PolicyVersion,
    /// SHA-256 of the notice text shown, when one was shown.
    pub notice_hash: Option<Digest>,
    /// When the choice was made. Entries are ordered by `(at, id)`.
    pub at: Timestamp,
}

/// The current value of one choice, with the entry it comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EffectiveChoice {
    /// The value.
    pub value: bool,
    /// The entry that set it.
    pub entry: ChoiceId,
    /// Its party.
    pub party: Party,
    /// Its source.
    pub source: ChoiceSource,
    /// Its policy version.
    pub policy_version: PolicyVersion,
    /// Its time.
    pub at: Timestamp,
}

/// The ledger order: by time, then by id.
pub fn ledger_order(a: &ChoiceEntry, b: &ChoiceEntry) -> std::cmp::Ordering {
    (a.at, a.id).cmp(&(b.at, b.id))
}

/// Folds entries into the latest value per key ("last entry wins" in ledger order), each with
/// its provenance. Entries need not be sorted.
pub fn fold_latest<'a>(
    entries: impl IntoIterator<Item = &'a ChoiceEntry>,
) -> BTreeMap<ChoiceKey, EffectiveChoice> {
    let mut sorted: Vec<&ChoiceEntry> = entries.into_iter().collect();
    sorted.sort_by(|a, b| ledger_order(a, b));
    let mut out = BTreeMap::new();
    for e in sorted {
        out.insert(
            e.key.clone(),
            EffectiveChoice {
                value: e.value,
                entry: e.id,
                party: e.party.clone(),
                source: e.source,
                policy_version: e.policy_version.clone(),
                at: e.at,
            },
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(key: &str, value: bool, secs: i64) -> ChoiceEntry {
        ChoiceEntry {
            id: ChoiceId::generate(),
            party: Party::Subject(SubjectId::from_bytes([1; 16])),
            key: ChoiceKey::new(key).unwrap(),
            value,
            source: ChoiceSource::User,
            channel: None,
            actor: Actor::System,
            policy_version: PolicyVersion::new("2020-01-17").unwrap(),
            notice_hash: None,
            at: Timestamp::from_second(secs).unwrap(),
        }
    }

    #[test]
    fn dm_01_fold_is_last_entry_wins_by_time_not_by_arrival() {
        let late_arrival_early_time = entry("marketing:email", true, 10);
        let later = entry("marketing:email", false, 20);
        let other = entry("sale_opt_out", true, 5);
        let folded = fold_latest([&later, &late_arrival_early_time, &other]);
        assert_eq!(folded.len(), 2);
        let m = &folded[&ChoiceKey::new("marketing:email").unwrap()];
        assert!(!m.value);
        assert_eq!(m.entry, later.id);
        assert!(folded[&ChoiceKey::new("sale_opt_out").unwrap()].value);
    }
}
