//! Sign-in sessions of the web pages (privacy center, console), kept in the store so that they
//! end on the server: signing out, an expiry, or the end of every session of a subject takes
//! effect for every copy of the cookie, on every replica sharing the store.
//!
//! The browser gets a random 256-bit token (hex); the store keeps its SHA-256, the owner, the
//! SHA-256 of the browser cookie the session is bound to, and its times. A session opens only
//! in its browser, only while live ([`SessionRecord::is_live`]): not ended, not past its
//! lifetime, not idle past its idle limit. Uses are recorded at most once a minute (so the idle
//! limit is exact to a minute and a page view is not a write).
//!
//! The other per-browser state the pages need on every replica lives in the store too:
//! one-time tokens ([`Steward::spend_once`]: a form's CSRF token is accepted once, whichever
//! replica sees it) and failure counters ([`Steward::count_failure`]: the privacy center's
//! sign-in throttle holds across replicas). Both are keyed by a SHA-256 under a label of
//! their own, never by the token or the browser id itself.

use jiff::{SignedDuration, Timestamp};
use ring::rand::{SecureRandom, SystemRandom};
use steward_errors::ErrorCode;
use steward_store::ids::{ApiKeyId, SubjectId};
use steward_store::model::audit::AuditKind;
use steward_store::model::session::{FailureCount, NewSession, SessionKind, SessionRecord};
use steward_store::values::Digest;
use steward_vault::Sensitive;

use crate::error::CoreError;
use crate::{Caller, Steward};

/// Uses of a session closer together than this are not recorded again.
pub const TOUCH_EVERY: SignedDuration = SignedDuration::from_secs(60);

/// Ended sessions are deleted this long after they ended.
pub const KEEP_ENDED: SignedDuration = SignedDuration::from_hours(24);

/// Whose session it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionOwner {
    /// A data subject (privacy center).
    Subject(SubjectId),
    /// A staff member's API key (console).
    ApiKey(ApiKeyId),
}

/// How long a session lasts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionLimits {
    /// It ends this long after it started.
    pub lifetime: SignedDuration,
    /// It also ends after this long without use.
    pub idle: Option<SignedDuration>,
}

fn sha(s: &str) -> Digest {
    Digest::sha256(s.as_bytes())
}

/// SHA-256 of `key` under a label (so a counter key never equals a session's binding).
fn labelled(label: &str, key: &[u8]) -> Digest {
    let mut b = Vec::with_capacity(label.len() + 1 + key.len());
    b.extend_from_slice(label.as_bytes());
    b.push(0);
    b.extend_from_slice(key);
    Digest::sha256(&b)
}

impl Steward {
    /// Opens a session for `owner` in `browser` (the browser cookie's id) and returns its
    /// token, for a `Secure; HttpOnly` cookie. Sessions that ended more than a day ago are
    /// deleted on the way.
    ///
    /// # Errors
    /// `Unavailable` when the system RNG fails; store failures (`NotFound` for an unknown
    /// subject or key).
    pub async fn start_session(
        &self,
        kind: SessionKind,
        owner: SessionOwner,
        browser: &str,
        limits: SessionLimits,
    ) -> Result<Sensitive<String>, CoreError> {
        let mut raw = [0u8; 32];
        SystemRandom::new()
            .fill(&mut raw)
            .map_err(|_| CoreError::Unavailable("system random number generator"))?;
        let token: String = raw.iter().map(|b| format!("{b:02x}")).collect();
        let now = self.clock.now();
        let (subject, api_key) = match owner {
            SessionOwner::Subject(s) => (Some(s), None),
            SessionOwner::ApiKey(k) => (None, Some(k)),
        };
        let expires_at = now
            .checked_add(limits.lifetime)
            .map_err(|e| CoreError::invalid(ErrorCode::BadSessionLifetime, e.to_string()))?;
        self.store
            .create_session(&NewSession {
                id: sha(&token),
                kind,
                subject,
                api_key,
                binding: sha(browser),
                created_at: now,
                expires_at,
                idle_secs: limits
                    .idle
                    .map(|d| u32::try_from(d.as_secs().max(1)).unwrap_or(u32::MAX)),
            })
            .await?;
        if let Ok(before) = now.checked_sub(KEEP_ENDED)
            && let Err(e) = self.store.purge_sessions(before).await
        {
            tracing::warn!(error = %e, "ended sessions not purged");
        }
        Ok(Sensitive::new(token))
    }

    /// The live session of `kind` whose token is `token`, opened in `browser`; `None` when
    /// there is none (unknown, ended, expired, idle too long, another kind). A token presented
    /// by another browser than the one it was issued to ends the session.
    ///
    /// # Errors
    /// Store failures.
    pub async fn session(
        &self,
        kind: SessionKind,
        token: &str,
        browser: &str,
    ) -> Result<Option<SessionRecord>, CoreError> {
        // SECURITY: looked up by the SHA-256 of a 256-bit random token: timing can reveal at
        // most a prefix of a hash, never of a token.
        let id = sha(token);
        let Some(s) = self.store.get_session(&id).await? else {
            return Ok(None);
        };
        let now = self.clock.now();
        if s.kind != kind || !s.is_live(now) {
            return Ok(None);
        }
        // SECURITY: constant-time comparison of the browser binding. A token presented by
        // another browser was copied: the session ends (the owner signs in again).
        if !steward_vault::ct_eq(&s.binding.0, &sha(browser).0) {
            self.store.revoke_session(&id, now).await?;
            return Ok(None);
        }
        if s.idle_secs.is_some() && now.duration_since(s.last_seen_at) >= TOUCH_EVERY {
            return Ok(self.store.touch_session(&id, now).await?);
        }
        Ok(Some(s))
    }

    /// Ends the session of `token` (sign-out): every copy of the cookie stops working at once.
    /// A live session's end is audited (`privacy_center.sign_out`, `console.sign_out`).
    /// Returns whether it was live.
    ///
    /// # Errors
    /// Store and audit failures.
    pub async fn end_session(&self, caller: &Caller, token: &str) -> Result<bool, CoreError> {
        let id = sha(token);
        let Some(s) = self.store.get_session(&id).await? else {
            return Ok(false);
        };
        let live = self.store.revoke_session(&id, self.clock.now()).await?;
        if live {
            let action = match s.kind {
                SessionKind::PrivacyCenter => "privacy_center.sign_out",
                SessionKind::Console => "console.sign_out",
            };
            let mut e = self.event(AuditKind::System, action, caller);
            e.subject = s.subject;
            self.audit.append_one(e).await?;
        }
        Ok(live)
    }

    /// Ends every session of a subject (sign out everywhere); returns how many were live.
    ///
    /// # Errors
    /// Store failures.
    pub async fn end_sessions_of(&self, subject: SubjectId) -> Result<u64, CoreError> {
        Ok(self
            .store
            .revoke_sessions_of(subject, self.clock.now())
            .await?)
    }

    /// Spends a one-time token (`token`: its bytes, e.g. a form's CSRF token tag) valid until
    /// `expires_at`: `true` the first time on any replica sharing the store, `false` for a
    /// replay. Records of tokens expired by now are deleted on the way.
    ///
    /// # Errors
    /// Store failures.
    pub async fn spend_once(&self, token: &[u8], expires_at: Timestamp) -> Result<bool, CoreError> {
        Ok(self
            .store
            .spend_token(
                &labelled("steward/one-time-token", token),
                expires_at,
                self.clock.now(),
            )
            .await?)
    }

    /// Counts a failure for `key` (e.g. a wrong sign-in code from a browser), shared by every
    /// replica; the count restarts when the previous failure is older than `window`. Returns
    /// the count and when the last failure was counted.
    ///
    /// # Errors
    /// Store failures.
    pub async fn count_failure(
        &self,
        key: &str,
        window: SignedDuration,
    ) -> Result<FailureCount, CoreError> {
        let now = self.clock.now();
        let start = now
            .checked_sub(window)
            .map_err(|_| CoreError::Unavailable("clock out of range"))?;
        Ok(self
            .store
            .count_failure(&labelled("steward/failures", key.as_bytes()), now, start)
            .await?)
    }

    /// The failures counted for `key` within `window` of now (`None`: none).
    ///
    /// # Errors
    /// Store failures.
    pub async fn failures(
        &self,
        key: &str,
        window: SignedDuration,
    ) -> Result<Option<FailureCount>, CoreError> {
        let start = self
            .clock
            .now()
            .checked_sub(window)
            .map_err(|_| CoreError::Unavailable("clock out of range"))?;
        Ok(self
            .store
            .failures(&labelled("steward/failures", key.as_bytes()), start)
            .await?)
    }

    /// Forgets the failures of `key` (a success).
    ///
    /// # Errors
    /// Store failures.
    pub async fn clear_failures(&self, key: &str) -> Result<(), CoreError> {
        Ok(self
            .store
            .clear_failures(&labelled("steward/failures", key.as_bytes()))
            .await?)
    }
}
