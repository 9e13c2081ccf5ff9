//! Identity verification proportionate to the request (DEC-09; CCPA-24, GDPR-06, NV-06,
//! CCPA-11): what the law asks for each kind of request, the one-time codes sent through the
//! outbox, and the checks that keep verification from asking too much.
//!
//! A code is six digits from the system CSPRNG. Only a keyed hash of it is stored (the
//! blind-index key binds it to the request id), it expires after the configured time and
//! allows a limited number of attempts; the store decides each attempt atomically.

use serde::{Deserialize, Serialize};
use steward_deadlines::RequestKind;
use steward_errors::ErrorCode;
use steward_store::ids::RequestId;
use steward_store::values::Digest;
use steward_vault::{BlindIndex, Sensitive};

use steward_core::CoreError;

/// What verification a request needs (DEC-09).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "level", rename_all = "snake_case")]
pub enum VerificationLevel {
    /// No verification: opt-outs of sale/sharing, limits, unsubscribes, consent withdrawals
    /// (CCPA-13, CCPA-24: "not verifiable requests"; GDPR-09: as easy as giving).
    None,
    /// The existing password-protected account session (CCPA-24, NV-06); with `reauth`, the
    /// subject re-authenticates before data is deleted, corrected or disclosed.
    Session {
        /// Re-authentication required.
        reauth: bool,
    },
    /// A non-account holder matches data points (CCPA-24 / 11 CCR §7062): 2 for a
    /// reasonable degree of certainty, 3 plus a signed declaration under penalty of perjury
    /// for a reasonably high one. The e-mail code counts as one point.
    DataPoints {
        /// Data points to match.
        points: u8,
        /// A signed declaration is required.
        declaration: bool,
    },
}

impl VerificationLevel {
    /// Whether anything is required.
    #[must_use]
    pub fn is_required(self) -> bool {
        !matches!(self, VerificationLevel::None)
    }
}

/// DEC-09 `verification_level(subject, kind, account?)`.
#[must_use]
pub fn verification_level(kind: RequestKind, account_holder: bool) -> VerificationLevel {
    use RequestKind as K;
    match kind {
        K::OptOutSaleShare | K::LimitSpi | K::ObjectDirectMarketing | K::WithdrawConsent => {
            VerificationLevel::None
        }
        K::NevadaNoSale
        | K::KnowCategories
        | K::Objection
        | K::Restriction
        | K::Access
        | K::KnowSpecificPieces
        | K::Portability
        | K::Deletion
        | K::Correction => {
            if account_holder {
                VerificationLevel::Session {
                    reauth: matches!(
                        kind,
                        K::Access
                            | K::KnowSpecificPieces
                            | K::Portability
                            | K::Deletion
                            | K::Correction
                    ),
                }
            } else {
                match kind {
                    K::Access | K::KnowSpecificPieces | K::Portability => {
                        VerificationLevel::DataPoints {
                            points: 3,
                            declaration: true,
                        }
                    }
                    _ => VerificationLevel::DataPoints {
                        points: 2,
                        declaration: false,
                    },
                }
            }
        }
    }
}

/// Fields that are never proportionate to ask for when verifying a privacy request: the
/// law does not require them and they are more sensitive than what is protected (GDPR-06,
/// CCPA-24 "reasonable", CCPA-08: no unpaid notarization).
const DISPROPORTIONATE: &[&str] = &[
    "passport_scan",
    "government_id",
    "drivers_license",
    "ssn",
    "notarized_affidavit",
    "birth_certificate",
];

/// GDPR-06: may the controller ask for these extra fields? Never when the subject is signed
/// in to their account (the session already identifies them), never for identity documents.
///
/// # Errors
/// `Invalid(DISPROPORTIONATE_VERIFICATION)`.
pub fn check_extra_verification(signed_in: bool, fields: &[String]) -> Result<(), CoreError> {
    if fields.is_empty() {
        return Ok(());
    }
    if signed_in {
        return Err(CoreError::invalid(
            ErrorCode::DisproportionateVerification,
            "the subject is signed in to their account: no further identification may be demanded (GDPR Art. 12(6))",
        ));
    }
    if let Some(f) = fields
        .iter()
        .find(|f| DISPROPORTIONATE.contains(&f.as_str()))
    {
        return Err(CoreError::invalid(
            ErrorCode::DisproportionateVerification,
            format!(
                "`{f}` is more than necessary to confirm identity (GDPR Art. 12(6), CCPA §7060)"
            ),
        ));
    }
    Ok(())
}

/// CCPA-11 (§7060(h)): a correction is verified with information other than the information
/// being corrected. An e-mail code proves control of the e-mail on file, so it cannot verify
/// a correction of that e-mail address.
///
/// # Errors
/// `Invalid(VERIFY_WITH_OTHER_DATA)`.
pub fn check_correction_verification(category: &str, method: &str) -> Result<(), CoreError> {
    if method == "email_code" && category == "email" {
        return Err(CoreError::invalid(
            ErrorCode::VerifyWithOtherData,
            "a correction of the e-mail address cannot be verified through that e-mail address (CCPA §7060(h)): verify the subject another way",
        ));
    }
    Ok(())
}

/// A fresh six-digit one-time code.
///
/// # Errors
/// When the system random generator fails.
pub(crate) fn new_code() -> Result<Sensitive<String>, CoreError> {
    use ring::rand::SecureRandom;
    let rng = ring::rand::SystemRandom::new();
    let mut b = [0u8; 4];
    rng.fill(&mut b)
        .map_err(|_| CoreError::Unavailable("random generator failed"))?;
    // 2^32 mod 10^6 bias is below 2^-12 per digit value: negligible for a 6-digit code.
    let n = u32::from_be_bytes(b) % 1_000_000;
    Ok(Sensitive::new(format!("{n:06}")))
}

/// The keyed hash of a code, bound to its request (SECURITY: a database copy does not reveal
/// the code, and a hash cannot be replayed on another request).
///
/// # Errors
/// When the code does not normalize (never for digits).
pub(crate) fn code_hash(
    blind: &BlindIndex,
    request: RequestId,
    code: &str,
) -> Result<Digest, CoreError> {
    let digits: String = code.chars().filter(char::is_ascii_digit).collect();
    let token = blind
        .token(
            steward_vault::IdentityKind::AccountRef,
            &format!("dsr-code:{request}:{digits}"),
        )
        .map_err(|_| CoreError::invalid(ErrorCode::CodeInvalid, "the code is not valid"))?;
    Digest::from_slice(token.as_bytes()).map_err(|_| CoreError::Unavailable("bad code hash"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ccpa_24_levels() {
        assert_eq!(
            verification_level(RequestKind::KnowSpecificPieces, false),
            VerificationLevel::DataPoints {
                points: 3,
                declaration: true
            }
        );
        assert_eq!(
            verification_level(RequestKind::KnowCategories, false),
            VerificationLevel::DataPoints {
                points: 2,
                declaration: false
            }
        );
        assert_eq!(
            verification_level(RequestKind::Deletion, true),
            VerificationLevel::Session { reauth: true }
        );
        assert_eq!(
            verification_level(RequestKind::OptOutSaleShare, false),
            VerificationLevel::None
        );
        assert_eq!(
            verification_level(RequestKind::LimitSpi, true),
            VerificationLevel::None
        );
        // NV-06: a logged-in account counts for a Nevada no-sale request.
        assert_eq!(
            verification_level(RequestKind::NevadaNoSale, true),
            VerificationLevel::Session { reauth: false }
        );
    }

    #[test]
    fn gdpr_06_no_passport_from_a_signed_in_subject() {
        let passport = vec!["passport_scan".to_string()];
        match check_extra_verification(true, &passport) {
            Err(CoreError::Invalid { code, .. }) => {
                assert_eq!(code, "DISPROPORTIONATE_VERIFICATION")
            }
            other => panic!("{other:?}"),
        }
        assert!(check_extra_verification(false, &passport).is_err());
        assert!(check_extra_verification(false, &["postal_address".to_string()]).is_ok());
        assert!(check_extra_verification(true, &[]).is_ok());
    }

    #[test]
    fn ccpa_11_correction_verified_with_other_data() {
        assert!(check_correction_verification("email", "email_code").is_err());
        assert!(check_correction_verification("postal_address", "email_code").is_ok());
        assert!(check_correction_verification("email", "session").is_ok());
    }

    #[test]
    fn codes_are_six_digits() {
        for _ in 0..50 {
            let c = new_code().unwrap();
            assert_eq!(c.expose().len(), 6);
            assert!(c.expose().chars().all(|c| c.is_ascii_digit()));
        }
    }
}
