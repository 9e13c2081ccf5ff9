//! Sign-in sessions of the web pages, kept server-side so that signing out (or an expiry, or a
//! revocation) ends them everywhere at once: a copy of the cookie taken before stops working.
//!
//! The browser holds a random secret token; the store keeps only its SHA-256
//! ([`NewSession::id`]), what the session is for, who it belongs to, the browser it is bound
//! to (SHA-256 of the browser cookie's id), and its times. Nothing here is personal data in
//! clear.
//!
//! The table is keyed by `(id)` and typed by [`SessionKind`]. The other per-browser state
//! every replica must see has tables of its own (schema version 8): spent one-time tokens
//! (a form's CSRF token; the first spend wins) and failure counters ([`FailureCount`]: the
//! privacy center's sign-in throttle), both keyed by a SHA-256. Per-key rate-limit buckets stay
//! in each replica's memory (docs/api.md).

use jiff::Timestamp;

use super::coded_enum;
use crate::ids::{ApiKeyId, SubjectId};
use crate::values::Digest;

coded_enum! {
    /// What a session is for. INVARIANT: codes are stored; never renumber.
    pub enum SessionKind: "session kind" {
        /// A data subject signed in to the privacy center (by an e-mailed code).
        PrivacyCenter = 1, "privacy_center",
        /// A member of the privacy team signed in to the console (with an API key).
        Console = 2, "console",
    }
}

/// A session to record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewSession {
    /// SHA-256 of the session's secret token. SECURITY: never the token itself.
    pub id: Digest,
    /// What it is for.
    pub kind: SessionKind,
    /// The signed-in subject (privacy center).
    pub subject: Option<SubjectId>,
    /// The API key it was opened with (console).
    pub api_key: Option<ApiKeyId>,
    /// SHA-256 of the browser cookie's id: the session opens only in that browser.
    pub binding: Digest,
    /// When it started.
    pub created_at: Timestamp,
    /// When it ends whatever happens.
    pub expires_at: Timestamp,
    /// It also ends after this many seconds without use (`None`: no idle limit).
    pub idle_secs: Option<u32>,
}

/// A stored session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionRecord {
    /// SHA-256 of the token.
    pub id: Digest,
    /// What it is for.
    pub kind: SessionKind,
    /// The signed-in subject.
    pub subject: Option<SubjectId>,
    /// The API key.
    pub api_key: Option<ApiKeyId>,
    /// SHA-256 of the browser id.
    pub binding: Digest,
    /// When it started.
    pub created_at: Timestamp,
    /// When it was last used (as recorded: see [`SessionStore::touch_session`]).
    ///
    /// [`SessionStore::touch_session`]: crate::traits::SessionStore::touch_session
    pub last_seen_at: Timestamp,
    /// When it ends whatever happens.
    pub expires_at: Timestamp,
    /// Idle limit, in seconds.
    pub idle_secs: Option<u32>,
    /// When it was ended (sign-out, revocation); the first time stays.
    pub revoked_at: Option<Timestamp>,
}

/// Failures counted for one key (the sign-in throttle: wrong codes per browser), shared by
/// every replica through the store. The key is a SHA-256 (never an address or an id in clear).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FailureCount {
    /// Failures in the current window (each within the window of the one before).
    pub count: u32,
    /// When the last one was counted.
    pub last_at: Timestamp,
}

impl SessionRecord {
    /// Whether the session may be used at `now`: not revoked, not past its absolute
    /// expiry, not idle for longer than its idle limit.
    pub fn is_live(&self, now: Timestamp) -> bool {
        if self.revoked_at.is_some() || now >= self.expires_at {
            return false;
        }
        match self.idle_secs {
            None => true,
            Some(idle) => {
                now.duration_since(self.last_seen_at)
                    <= jiff::SignedDuration::from_secs(i64::from(idle))
            }
        }
    }
}
