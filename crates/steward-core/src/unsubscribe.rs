//! One-click e-mail unsubscribe links (MKT-03, MKT-04, CANSPAM-01, CANSPAM-02, RFC 8058).
//!
//! The company's mailers ask for a link per subject and marketing list (a ledger key
//! `marketing:<type>:email` the policy knows); the link carries an opaque token and nothing
//! else. The token is sealed (AES-256-GCM: the subject id and the key are not readable from
//! it) and then signed (HMAC-SHA-256, verified in constant time by `ring`), with keys derived
//! from the key ring ([`Steward::derived_secret`]), so every replica verifies every link and
//! no token store is needed. A token is valid for [`TOKEN_VALIDITY_DAYS`] days after it was
//! minted: far longer than the 30 days after sending that CAN-SPAM requires the opt-out
//! mechanism to keep working.
//!
//! Presenting a valid token records at once (MKT-04) a ledger entry `<key> = false` for the
//! subject it was minted for, source `user`, channel `email_link`, audited like every choice;
//! presenting it again changes nothing (idempotent). A tampered, truncated, expired or foreign
//! token is refused with one error that says nothing about why, and can only ever act for the
//! subject it was minted for.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use ring::aead::{AES_256_GCM, Aad, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use ring::hmac;
use ring::rand::{SecureRandom, SystemRandom};
use steward_policy::choices::ChoiceKey as PolicyKey;
use steward_policy::facts::Channel;
use steward_store::ids::{ChoiceId, SubjectId};
use steward_store::model::choice::Party;

use crate::choices::{ChoiceInput, ChoiceParty};
use crate::error::{CoreError, ErrorCode};
use crate::{Caller, Steward};

/// How long a minted link works, in days (CAN-SPAM: at least 30 days after sending).
pub const TOKEN_VALIDITY_DAYS: i64 = 400;
/// The list key used when the mailer names none.
pub const DEFAULT_LIST_KEY: &str = "marketing:first_party:email";
/// The `List-Unsubscribe-Post` header value (RFC 8058), and the body a one-click POST sends.
pub const ONE_CLICK: &str = "List-Unsubscribe=One-Click";
/// The longest token accepted (a minted one is far shorter).
pub const MAX_TOKEN_LEN: usize = 400;

const VERSION: u8 = 1;
const MAC_LEN: usize = 32;
const MAX_KEY_LEN: usize = 120;
const MAC_LABEL: &str = "steward-unsubscribe/mac/v1";
const SEAL_LABEL: &str = "steward-unsubscribe/seal/v1";

/// A minted link token.
#[derive(Debug, Clone)]
pub struct UnsubscribeToken {
    /// The opaque token (URL-safe base64, no padding).
    pub token: String,
    /// The ledger key it opts out of.
    pub key: String,
    /// Until when it works.
    pub expires_at: jiff::Timestamp,
}

/// What presenting a token did.
#[derive(Debug, Clone)]
pub struct Unsubscribed {
    /// The ledger key opted out of.
    pub key: String,
    /// The ledger entry written, `None` when the subject had already opted out.
    pub choice: Option<ChoiceId>,
}

/// The one refusal of a token (bad, expired, foreign: the caller learns nothing more).
fn refused() -> CoreError {
    CoreError::invalid(
        ErrorCode::BadUnsubscribeLink,
        "this unsubscribe link is not valid",
    )
}

struct Keys {
    mac: hmac::Key,
    seal: LessSafeKey,
}

impl Steward {
    fn unsubscribe_keys(&self) -> Result<Keys, CoreError> {
        let mac = self.derived_secret(MAC_LABEL)?;
        let seal = self.derived_secret(SEAL_LABEL)?;
        let seal = UnboundKey::new(&AES_256_GCM, seal.expose())
            .map(LessSafeKey::new)
            .map_err(|_| CoreError::Unavailable("the unsubscribe link key cannot be built"))?;
        Ok(Keys {
            mac: hmac::Key::new(hmac::HMAC_SHA256, mac.expose()),
            seal,
        })
    }

    /// Checks that `key` is an e-mail marketing key of the policy in force.
    fn unsubscribe_key(&self, key: &str) -> Result<(), CoreError> {
        let engine = self.engine();
        match PolicyKey::parse(&engine, key) {
            Ok(PolicyKey::Marketing(_, Channel::Email)) if key.len() <= MAX_KEY_LEN => Ok(()),
            _ => Err(CoreError::invalid(
                ErrorCode::NotAnEmailList,
                format!(
                    "`{key}` is not an e-mail marketing choice of the policy in force (marketing:<type>:email)"
                ),
            )),
        }
    }

    /// Mints an unsubscribe token for `subject` and the e-mail marketing key `key`
    /// (default [`DEFAULT_LIST_KEY`]), valid [`TOKEN_VALIDITY_DAYS`] days (MKT-03).
    ///
    /// # Errors
    /// `NotFound` subject, `Invalid(NOT_AN_EMAIL_LIST)` for a key that is not
    /// `marketing:<type>:email` in the policy, `Invalid(KEY_UNAVAILABLE)`.
    pub async fn mint_unsubscribe(
        &self,
        subject: SubjectId,
        key: Option<&str>,
    ) -> Result<UnsubscribeToken, CoreError> {
        let key = key.unwrap_or(DEFAULT_LIST_KEY);
        self.unsubscribe_key(key)?;
        self.get_subject(subject).await?;
        let expires_at = self
            .clock
            .now()
            .checked_add(jiff::SignedDuration::from_hours(TOKEN_VALIDITY_DAYS * 24))
            .map_err(|_| CoreError::Unavailable("the unsubscribe link expiry is out of range"))?;
        let keys = self.unsubscribe_keys()?;
        // The sealed payload: subject (16) | expiry seconds (8) | key.
        let mut payload = Vec::with_capacity(24 + key.len() + 16);
        payload.extend_from_slice(subject.as_uuid().as_bytes());
        payload.extend_from_slice(&expires_at.as_second().to_be_bytes());
        payload.extend_from_slice(key.as_bytes());
        let mut nonce = [0u8; NONCE_LEN];
        SystemRandom::new()
            .fill(&mut nonce)
            .map_err(|_| CoreError::Unavailable("no randomness for an unsubscribe link"))?;
        keys.seal
            .seal_in_place_append_tag(
                Nonce::assume_unique_for_key(nonce),
                Aad::from([VERSION]),
                &mut payload,
            )
            .map_err(|_| CoreError::Unavailable("an unsubscribe link cannot be sealed"))?;
        let mut raw = Vec::with_capacity(1 + NONCE_LEN + payload.len() + MAC_LEN);
        raw.push(VERSION);
        raw.extend_from_slice(&nonce);
        raw.extend_from_slice(&payload);
        let tag = hmac::sign(&keys.mac, &raw);
        raw.extend_from_slice(tag.as_ref());
        Ok(UnsubscribeToken {
            token: B64.encode(raw),
            key: key.to_string(),
            expires_at,
        })
    }

    /// Opens a token: the subject and key it was minted for, if it is authentic and unexpired.
    fn open_unsubscribe(&self, token: &str) -> Result<(SubjectId, String), CoreError> {
        if token.is_empty() || token.len() > MAX_TOKEN_LEN {
            return Err(refused());
        }
        let raw = B64.decode(token.as_bytes()).map_err(|_| refused())?;
        if raw.len() < 1 + NONCE_LEN + 24 + 16 + MAC_LEN || raw[0] != VERSION {
            return Err(refused());
        }
        let keys = self.unsubscribe_keys()?;
        let (signed, tag) = raw.split_at(raw.len() - MAC_LEN);
        // Constant-time comparison.
        hmac::verify(&keys.mac, signed, tag).map_err(|_| refused())?;
        let mut nonce = [0u8; NONCE_LEN];
        nonce.copy_from_slice(&signed[1..=NONCE_LEN]);
        let mut sealed = signed[1 + NONCE_LEN..].to_vec();
        let plain = keys
            .seal
            .open_in_place(
                Nonce::assume_unique_for_key(nonce),
                Aad::from([VERSION]),
                &mut sealed,
            )
            .map_err(|_| refused())?;
        if plain.len() < 24 {
            return Err(refused());
        }
        let mut id = [0u8; 16];
        id.copy_from_slice(&plain[..16]);
        let mut secs = [0u8; 8];
        secs.copy_from_slice(&plain[16..24]);
        let key = std::str::from_utf8(&plain[24..])
            .map_err(|_| refused())?
            .to_string();
        if self.clock.now().as_second() > i64::from_be_bytes(secs) {
            return Err(refused());
        }
        Ok((SubjectId::from_uuid(uuid::Uuid::from_bytes(id)), key))
    }

    /// Checks a token without acting on it (the page shown before the button): the key it
    /// opts out of.
    ///
    /// # Errors
    /// `Invalid(BAD_UNSUBSCRIBE_LINK)` for any token that is not authentic, unexpired and of
    /// a subject still on record.
    pub async fn check_unsubscribe(&self, token: &str) -> Result<String, CoreError> {
        let (subject, key) = self.open_unsubscribe(token)?;
        self.get_subject(subject).await.map_err(|_| refused())?;
        Ok(key)
    }

    /// Acts on a token (the one-click POST or the page's button): records the opt-out for
    /// the subject it was minted for, at once (MKT-04), source `user`, channel
    /// `email_link`, audited; a second time writes nothing.
    ///
    /// # Errors
    /// `Invalid(BAD_UNSUBSCRIBE_LINK)` for any token that is not authentic, unexpired and of
    /// a subject still on record; store failures.
    pub async fn unsubscribe(&self, token: &str) -> Result<Unsubscribed, CoreError> {
        let (subject, key) = self.open_unsubscribe(token)?;
        // The policy may have changed since the link was minted: a key it no longer knows
        // cannot be recorded; the refusal stays the same.
        self.unsubscribe_key(&key).map_err(|_| refused())?;
        let ledger = match self.ledger(subject).await {
            Ok(l) => l,
            Err(CoreError::NotFound(_)) => return Err(refused()),
            Err(e) => return Err(e),
        };
        let latest = ledger
            .iter()
            .rev()
            .find(|e| e.party == Party::Subject(subject) && e.key.as_str() == key);
        if latest.is_some_and(|e| !e.value) {
            return Ok(Unsubscribed { key, choice: None });
        }
        let ids = match self
            .record_choices(
                &Caller::Subject(subject),
                vec![ChoiceInput {
                    party: ChoiceParty::Subject(subject),
                    key: key.clone(),
                    value: false,
                    source: "user".into(),
                    notice_sha256: None,
                    channel: Some("email_link".into()),
                }],
            )
            .await
        {
            Ok(ids) => ids,
            Err(CoreError::NotFound(_)) => return Err(refused()),
            Err(e) => return Err(e),
        };
        Ok(Unsubscribed {
            key,
            choice: ids.first().copied(),
        })
    }
}
