//! Usage data as it flows in: usage events (pages viewed, links clicked, browser, cookie and
//! device identifiers), the log-in security log, USPS tracking scans, ingest counters,
//! aggregates with k-anonymity suppression, derived datasets with their lineage, the items of
//! a support ticket, and the notifications owed to sale/share partners.
//!
//! What is *not* here is as important as what is:
//! - no raw IP address in a usage event (IPPS-01, IPPS-03): only the keyed pseudonym
//!   ([`IpPseudonym`]) and the coarse region looked up *before* pseudonymization;
//! - the raw address of a log-in ([`LoginRecord::ip`]) is vault ciphertext under the subject's
//!   data key, kept for log-in security only and purged after its short retention (IPPS-05);
//! - cookie, device and package ids are blind-index tokens, never the ids themselves;
//! - pages and links are paths without query strings or fragments, and refuse `@` and spaces,
//!   so an e-mail address cannot ride along in a URL (AUD-04).

use std::fmt;

use jiff::Timestamp;
use jiff::civil::Date;

use super::coded_enum;
use super::subject::IdentityRef;
use crate::error::ValueError;
use crate::ids::{AccountId, ChoiceId, SubjectId, uuid_id};
use crate::values::{BlindToken, CategoryKey, Ciphertext, Jurisdiction, ReasonCode, RecipientKey};

uuid_id!(
    /// A usage event.
    UsageEventId, "usage event id"
);
uuid_id!(
    /// An entry of the log-in security log.
    LoginId, "login id"
);
uuid_id!(
    /// A USPS tracking scan.
    ScanId, "scan id"
);
uuid_id!(
    /// A derived dataset.
    DatasetId, "dataset id"
);
uuid_id!(
    /// A notification owed to a partner.
    NotificationId, "notification id"
);

fn key_ok(s: &str, max: usize, mixed: bool) -> bool {
    !s.is_empty()
        && s.len() <= max
        && s.bytes().all(|b| {
            matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'_' | b':' | b'.' | b'-')
                || (mixed && b.is_ascii_uppercase())
        })
}

macro_rules! small_key {
    ($(#[$meta:meta])* $name:ident, $what:literal, $max:expr, $mixed:expr, $reason:literal) => {
        $(#[$meta])*
        #[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(Box<str>);

        impl $name {
            /// Validates and wraps.
            pub fn new(key: impl Into<String>) -> Result<Self, ValueError> {
                let key: String = key.into();
                if key_ok(&key, $max, $mixed) {
                    Ok(Self(key.into_boxed_str()))
                } else {
                    Err(ValueError::new($what, $reason))
                }
            }

            /// As text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!(stringify!($name), "({})"), self.0)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl TryFrom<String> for $name {
            type Error = ValueError;
            fn try_from(s: String) -> Result<Self, Self::Error> {
                Self::new(s)
            }
        }

        impl TryFrom<&str> for $name {
            type Error = ValueError;
            fn try_from(s: &str) -> Result<Self, Self::Error> {
                Self::new(s)
            }
        }

        impl From<$name> for String {
            fn from(k: $name) -> String {
                k.0.into()
            }
        }
    };
}

small_key!(
    /// A tracker of the policy's registry (COOKIE-01), e.g. `analytics_uid`.
    TrackerKey, "tracker key", 64, false, "must match [a-z0-9_:.-]{1,64}"
);
small_key!(
    /// What a usage event is, e.g. `page_view`, `click`, `impression`.
    EventKind, "event kind", 64, false, "must match [a-z0-9_:.-]{1,64}"
);
small_key!(
    /// A browser family, e.g. `firefox`, `chrome`, `safari` (never the full user agent).
    BrowserFamily, "browser family", 32, false, "must match [a-z0-9_:.-]{1,32}"
);
small_key!(
    /// A USPS scan event code, e.g. `accepted`, `in_transit`, `delivered`, `DL`.
    ScanEvent, "scan event", 32, true, "must match [A-Za-z0-9_:.-]{1,32}"
);
small_key!(
    /// A support ticket reference of the ticketing system, e.g. `ZD-10423`.
    TicketRef, "ticket reference", 64, true, "must match [A-Za-z0-9_:.-]{1,64}"
);
small_key!(
    /// The name of a derived dataset, e.g. `usps_zip3_weekly`.
    DatasetName, "dataset name", 64, false, "must match [a-z0-9_:.-]{1,64}"
);

/// Longest page or link path, in bytes.
pub const MAX_PATH_LEN: usize = 512;

/// A page viewed or a link clicked: an absolute path (`/shipping/rates`) or a scheme-relative
/// URL without query or fragment (`//example.com/offer`).
///
/// Allowed: ASCII letters, digits and `/ - . _ ~ % : ! $ & ' ( ) * + , ; =`. Refused: `?`,
/// `#` (the caller strips query and fragment), `@` (an e-mail address, or credentials in a
/// URL), spaces and control characters (AUD-04: no free text).
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PagePath(Box<str>);

impl PagePath {
    /// Validates and wraps.
    pub fn new(path: impl Into<String>) -> Result<Self, ValueError> {
        let path: String = path.into();
        let ok = path.starts_with('/')
            && path.len() <= MAX_PATH_LEN
            && path.bytes().all(|b| {
                b.is_ascii_alphanumeric()
                    || matches!(
                        b,
                        b'/' | b'-'
                            | b'.'
                            | b'_'
                            | b'~'
                            | b'%'
                            | b':'
                            | b'!'
                            | b'$'
                            | b'&'
                            | b'\''
                            | b'('
                            | b')'
                            | b'*'
                            | b'+'
                            | b','
                            | b';'
                            | b'='
                    )
            });
        if ok {
            Ok(Self(path.into_boxed_str()))
        } else {
            Err(ValueError::new(
                "page path",
                "must be a path (or //host/path) of at most 512 URL characters, without `?`, `#`, `@` or spaces",
            ))
        }
    }

    /// As text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for PagePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PagePath({})", self.0)
    }
}

impl TryFrom<String> for PagePath {
    type Error = ValueError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::new(s)
    }
}

impl From<PagePath> for String {
    fn from(p: PagePath) -> String {
        p.0.into()
    }
}

/// The first three digits of a ZIP code: the coarse geography of a USPS scan (USPS-05).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Zip3([u8; 3]);

impl Zip3 {
    /// Three ASCII digits.
    pub fn new(s: &str) -> Result<Self, ValueError> {
        match s.as_bytes() {
            [a, b, c] if [a, b, c].iter().all(|d| d.is_ascii_digit()) => Ok(Self([*a, *b, *c])),
            _ => Err(ValueError::new("zip3", "must be three digits")),
        }
    }

    /// As text.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or("000")
    }
}

impl fmt::Debug for Zip3 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Zip3({})", self.as_str())
    }
}

impl fmt::Display for Zip3 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The keyed pseudonym of an IP address (IPPS-02): 128 bits of HMAC under the key of `epoch`.
/// Tokens of different epochs are unrelated.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IpPseudonym {
    /// The key epoch.
    pub epoch: u32,
    /// The token.
    pub token: [u8; 16],
}

impl fmt::Debug for IpPseudonym {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "IpPseudonym(epoch {}, {:02x}{:02x}…)",
            self.epoch, self.token[0], self.token[1]
        )
    }
}

/// A usage event as stored (C1 `UsageEvent`): no IP address, only its pseudonym and the
/// coarse region (IPPS-03).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UsageEvent {
    /// Caller-chosen id.
    pub id: UsageEventId,
    /// When Steward received it (collection time: retention counts from here). Events are
    /// ordered by `(received_at, id)`.
    pub received_at: Timestamp,
    /// When it happened, as the sender says.
    pub at: Timestamp,
    /// The tracker it was collected through (COOKIE-11).
    pub tracker: TrackerKey,
    /// What it is.
    pub kind: EventKind,
    /// The cookie or device, by blind-index token.
    pub device: Option<IdentityRef>,
    /// The subject, when the device is linked to one.
    pub subject: Option<SubjectId>,
    /// The page viewed.
    pub page: Option<PagePath>,
    /// The link clicked.
    pub link: Option<PagePath>,
    /// The browser family.
    pub browser: Option<BrowserFamily>,
    /// The pseudonym of the address (location and traffic monitoring).
    pub ip: Option<IpPseudonym>,
    /// Coarse region (`US-CA`, `DE`) from the truncated address; `None` = unknown.
    pub geo: Option<Jurisdiction>,
    /// Whether the visitor was signed in (registered vs unregistered, COOKIE-03).
    pub registered: bool,
}

/// Whose usage events.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UsageScope {
    /// Of a subject.
    Subject(SubjectId),
    /// Of a cookie or device.
    Device(IdentityRef),
}

/// An entry of the log-in security log (IPPS-05).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoginRecord {
    /// Caller-chosen id.
    pub id: LoginId,
    /// Who logged in.
    pub subject: SubjectId,
    /// When.
    pub at: Timestamp,
    /// The address, sealed under the subject's data key (purpose `login_security`).
    pub ip: Ciphertext,
    /// The device, by blind-index token.
    pub device: Option<IdentityRef>,
    /// When it is purged (collection + 90 days by default).
    pub retain_until: Timestamp,
}

/// A USPS tracking scan of a mail piece or package (C1 `TrackingEvent`, USPS-04).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrackingScan {
    /// Caller-chosen id.
    pub id: ScanId,
    /// When Steward received it. Scans are ordered by `(received_at, id)`.
    pub received_at: Timestamp,
    /// When the scan happened.
    pub at: Timestamp,
    /// The package identification code, by blind-index token; `None` once anonymized.
    pub pic: Option<BlindToken>,
    /// The scan event.
    pub event: ScanEvent,
    /// The scanning facility's ZIP3.
    pub zip3: Option<Zip3>,
    /// The subject whose package it is, if known; `None` once anonymized.
    pub subject: Option<SubjectId>,
    /// The account that bought the postage, if known; `None` once anonymized.
    pub account: Option<AccountId>,
    /// When it was anonymized by the retention sweep.
    pub anonymized_at: Option<Timestamp>,
}

coded_enum! {
    /// Which kind of data an ingest count is about.
    pub enum IngestStream: "ingest stream" {
        /// Usage events (`POST /v1/events`).
        Usage = 1, "usage",
        /// USPS tracking scans.
        UspsScan = 2, "usps_scan",
        /// Log-in security log entries.
        Login = 3, "login",
        /// GPS and motion samples.
        Location = 4, "location",
    }
}

coded_enum! {
    /// What happened to an event at the door.
    pub enum IngestOutcome: "ingest outcome" {
        /// Stored as sent (less the raw IP, which is never stored).
        Accepted = 1, "accepted",
        /// Stored without the fields the policy does not allow for its purpose.
        Stripped = 2, "stripped",
        /// Not stored: the policy does not allow it (consent, opt-out, unknown tracker).
        Dropped = 3, "dropped",
        /// Not stored: malformed.
        Rejected = 4, "rejected",
    }
}

/// A counter increment: `count` events of `stream` had `outcome` for `reason` on `day` (UTC).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct IngestCount {
    /// The UTC day.
    pub day: Date,
    /// Which stream.
    pub stream: IngestStream,
    /// What happened.
    pub outcome: IngestOutcome,
    /// Why (`OK`, `CONSENT_REQUIRED`, `OPTED_OUT`, `BAD_IP` ...).
    pub reason: ReasonCode,
    /// How many.
    pub count: u64,
}

/// How to group usage events.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UsageGroup {
    /// By coarse region (`geo`; unknown regions form one group).
    Geo,
    /// By page.
    Page,
    /// By tracker.
    Tracker,
}

/// An aggregate over usage events (IPPS-04, COOKIE-03).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UsageAggregateQuery {
    /// Received at or after.
    pub from: Timestamp,
    /// Received strictly before.
    pub until: Timestamp,
    /// Grouping.
    pub group_by: UsageGroup,
    /// Groups with fewer distinct visitors than this are suppressed (k-anonymity; at least 1).
    pub min_group: u32,
}

/// How to group USPS scans.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScanGroup {
    /// By facility ZIP3 (USPS-05).
    Zip3,
    /// By scan event.
    Event,
}

/// An aggregate over USPS scans (USPS-05).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScanAggregateQuery {
    /// Received at or after.
    pub from: Timestamp,
    /// Received strictly before.
    pub until: Timestamp,
    /// Grouping.
    pub group_by: ScanGroup,
    /// Groups with fewer distinct accounts than this are suppressed (at least 1).
    pub min_group: u32,
}

/// One group of an aggregate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AggregateGroup {
    /// The group key (`None`: the value is unknown).
    pub key: Option<String>,
    /// Distinct units (visitors, accounts) in the group: at least the threshold.
    pub units: u64,
    /// Events in the group.
    pub events: u64,
}

/// The result of an aggregate: only groups that reached the threshold, plus how much was
/// suppressed (no subject-level rows, no identifiers).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Aggregate {
    /// Groups at or above the threshold, by key.
    pub groups: Vec<AggregateGroup>,
    /// How many groups were suppressed.
    pub suppressed_groups: u64,
    /// How many events the suppressed groups held.
    pub suppressed_events: u64,
}

/// A derived dataset and what it was derived from (USPS-03, DM-06): reads of it are decided
/// with `derived_from = lineage`, so it inherits every lock of its inputs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DatasetRecord {
    /// Caller-chosen id.
    pub id: DatasetId,
    /// Its name.
    pub name: DatasetName,
    /// The categories it was derived from, transitively (sorted, no duplicates, not empty).
    pub lineage: Vec<CategoryKey>,
    /// The datasets it was derived from.
    pub parents: Vec<DatasetId>,
    /// When it was registered.
    pub created_at: Timestamp,
    /// The strictest retention deadline of its inputs, if any.
    pub retain_until: Option<Timestamp>,
}

coded_enum! {
    /// What a partner is told.
    pub enum NotificationKind: "notification kind" {
        /// Forward an opt-out of sale / sharing (ADTECH-03, CCPA-13).
        OptOutForward = 1, "opt_out_forward",
    }
}

/// A notification owed to a partner that received a subject's data for sale or sharing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartnerNotification {
    /// Caller-chosen id.
    pub id: NotificationId,
    /// Whose opt-out.
    pub subject: SubjectId,
    /// To whom.
    pub recipient: RecipientKey,
    /// What.
    pub kind: NotificationKind,
    /// The ledger entry that triggered it (one notification per trigger, recipient and kind).
    pub trigger: ChoiceId,
    /// When it was queued.
    pub created_at: Timestamp,
    /// When it is due (CCPA: 15 business days).
    pub due_at: Timestamp,
    /// When it was last sent.
    pub sent_at: Option<Timestamp>,
    /// When the partner acknowledged it.
    pub acked_at: Option<Timestamp>,
    /// Delivery attempts.
    pub attempts: u32,
}

/// A change to a notification.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotificationUpdate {
    /// A delivery attempt was made (counts it; `sent_at = at` when `delivered`).
    Attempted {
        /// The partner accepted it.
        delivered: bool,
    },
    /// The partner acknowledged it (idempotent: the first time stays).
    Acknowledged,
}

/// What a retention purge did (or, in a dry run, would do).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct PurgeCount {
    /// Rows deleted or anonymized.
    pub affected: u64,
    /// Rows kept because their subject is under a legal hold.
    pub held: u64,
}

/// What erasing a subject's events did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct EventErasure {
    /// Usage events deleted.
    pub usage_events: u64,
    /// Log-in records deleted.
    pub logins: u64,
    /// USPS scans anonymized.
    pub scans: u64,
}

/// The UTC day of an instant.
pub fn utc_day(at: Timestamp) -> Date {
    at.to_zoned_datetime(jiff::tz::TimeZone::UTC).date()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_refuse_queries_emails_and_spaces() {
        for ok in [
            "/",
            "/shipping/rates",
            "//example.com/offer",
            "/a%20b",
            "/x;y=1",
        ] {
            assert!(PagePath::new(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "shipping",
            "/rates?email=alice",
            "/a#frag",
            "/u/alice@example.com",
            "/a b",
            "/\u{e9}",
            &format!("/{}", "a".repeat(600)),
        ] {
            assert!(PagePath::new(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn keys_and_zip3() {
        assert!(TrackerKey::new("analytics_uid").is_ok());
        assert!(TrackerKey::new("Analytics").is_err());
        assert!(ScanEvent::new("DL").is_ok());
        assert!(TicketRef::new("ZD-10423").is_ok());
        assert!(TicketRef::new("a b").is_err());
        assert_eq!(Zip3::new("941").unwrap().as_str(), "941");
        assert!(Zip3::new("94").is_err());
        assert!(Zip3::new("9a1").is_err());
        let d = utc_day("2024-03-04T23:59:59Z".parse().unwrap());
        assert_eq!(d.to_string(), "2024-03-04");
    }
}
