//! IAB US Privacy string (CCPA, legacy; deprecated 31 Jan 2024): four characters
//! `version notice opt-out-sale lspa`, e.g. `1YNN` (USP-01, USP-02, USP-03, USP-04, USP-05).
//!
//! `-` means "not applicable / unknown"; `1---` means CCPA does not apply. The opt-out-sale
//! position may never be unknown when CCPA applies (USP-02): [`UsPrivacy::encode`] refuses such
//! a value. Decoding is syntactic only, so a partner's malformed-but-parseable string such as
//! `1Y-N` can still be read and reported ([`UsPrivacy::validate`] tells it apart).
//! GPP is the primary signal; emit this one only for partners flagged `legacy_usp` (USP-05).

use serde::{Deserialize, Serialize};

/// One Y / N / `-` position of the string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UspFlag {
    /// `Y`.
    Yes,
    /// `N`.
    No,
    /// `-`: not applicable, or unknown.
    NotApplicable,
}

impl UspFlag {
    /// The character for this flag (`Y`, `N` or `-`).
    #[must_use]
    pub fn as_char(self) -> char {
        match self {
            UspFlag::Yes => 'Y',
            UspFlag::No => 'N',
            UspFlag::NotApplicable => '-',
        }
    }

    /// Parses `Y`, `N` or `-` (upper case only, as the specification writes them).
    #[must_use]
    pub fn from_char(c: char) -> Option<Self> {
        match c {
            'Y' => Some(UspFlag::Yes),
            'N' => Some(UspFlag::No),
            '-' => Some(UspFlag::NotApplicable),
            _ => None,
        }
    }

    /// `Some(true)` → `Y`, `Some(false)` → `N`, `None` (unknown) → `-`.
    #[must_use]
    pub fn from_known(v: Option<bool>) -> Self {
        match v {
            Some(true) => UspFlag::Yes,
            Some(false) => UspFlag::No,
            None => UspFlag::NotApplicable,
        }
    }
}

/// Error decoding or encoding a US Privacy string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum UspError {
    /// The version is not `1`.
    #[error("unsupported us privacy string version (only `1` exists)")]
    InvalidVersion,
    /// Fewer than four characters.
    #[error("us privacy string ends early: it has 4 characters")]
    UnexpectedEnd,
    /// A position holds something other than `Y`, `N` or `-`.
    #[error("invalid character `{0}` in us privacy string")]
    InvalidChar(char),
    /// More than four characters.
    #[error("trailing data after the 4-character us privacy string")]
    TrailingData,
    /// CCPA applies (notice or LSPA is known) but opt-out-sale is `-` (USP-02).
    #[error("opt-out of sale may not be unknown when ccpa applies")]
    OptOutUnknownForbidden,
}

/// A decoded US Privacy string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct UsPrivacy {
    /// Specification version; only `1` exists.
    pub version: u8,
    /// Explicit notice / opportunity to opt out was given.
    pub notice: UspFlag,
    /// The consumer opted out of the sale of personal information.
    pub opt_out_sale: UspFlag,
    /// The publisher is an LSPA signatory and this is a covered transaction.
    pub lspa: UspFlag,
}

impl UsPrivacy {
    /// The only specification version.
    pub const VERSION: u8 = 1;

    /// `1---`: CCPA does not apply (USP-02).
    pub const NOT_APPLICABLE: UsPrivacy = UsPrivacy {
        version: 1,
        notice: UspFlag::NotApplicable,
        opt_out_sale: UspFlag::NotApplicable,
        lspa: UspFlag::NotApplicable,
    };

    /// Decodes a 4-character string (USP-01). Never panics.
    pub fn decode(s: &str) -> Result<Self, UspError> {
        let mut chars = s.chars();
        match chars.next() {
            None => return Err(UspError::UnexpectedEnd),
            Some('1') => {}
            Some(c) if c.is_ascii_digit() => return Err(UspError::InvalidVersion),
            Some(c) => return Err(UspError::InvalidChar(c)),
        }
        let mut flag = || -> Result<UspFlag, UspError> {
            let c = chars.next().ok_or(UspError::UnexpectedEnd)?;
            UspFlag::from_char(c).ok_or(UspError::InvalidChar(c))
        };
        let notice = flag()?;
        let opt_out_sale = flag()?;
        let lspa = flag()?;
        if chars.next().is_some() {
            return Err(UspError::TrailingData);
        }
        Ok(Self {
            version: Self::VERSION,
            notice,
            opt_out_sale,
            lspa,
        })
    }

    /// Whether CCPA applies, i.e. any position after the version is known.
    #[must_use]
    pub fn ccpa_applies(&self) -> bool {
        self != &Self::NOT_APPLICABLE
    }

    /// Checks the version and the USP-02 rule (opt-out never unknown when CCPA applies).
    pub fn validate(&self) -> Result<(), UspError> {
        if self.version != Self::VERSION {
            return Err(UspError::InvalidVersion);
        }
        if self.opt_out_sale == UspFlag::NotApplicable
            && (self.notice != UspFlag::NotApplicable || self.lspa != UspFlag::NotApplicable)
        {
            return Err(UspError::OptOutUnknownForbidden);
        }
        Ok(())
    }

    /// Encodes to the 4-character string after [`validate`](Self::validate).
    pub fn encode(&self) -> Result<String, UspError> {
        self.validate()?;
        Ok(self.to_string_unchecked())
    }

    fn to_string_unchecked(self) -> String {
        let mut s = String::with_capacity(4);
        s.push('1');
        s.push(self.notice.as_char());
        s.push(self.opt_out_sale.as_char());
        s.push(self.lspa.as_char());
        s
    }

    /// The string Stamps.com (as publisher) emits for an engine state (USP-03).
    #[must_use]
    pub fn from_state(state: &UspState) -> Self {
        if !state.ccpa_applies {
            return Self::NOT_APPLICABLE;
        }
        Self {
            version: Self::VERSION,
            notice: UspFlag::from_known(state.notice_given),
            opt_out_sale: UspFlag::from_known(Some(state.sale_or_share_opted_out)),
            lspa: UspFlag::from_known(state.lspa_signatory),
        }
    }
}

impl std::str::FromStr for UsPrivacy {
    type Err = UspError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::decode(s)
    }
}

/// What the engine knows when it builds a US Privacy string (USP-03).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct UspState {
    /// CCPA applies to this consumer (e.g. a California resident). `false` gives `1---`.
    pub ccpa_applies: bool,
    /// The notice / opportunity to opt out was shown; `None` when unknown (a vendor building
    /// the string on the publisher's behalf).
    pub notice_given: Option<bool>,
    /// The consumer opted out of sale or sharing (Do Not Sell form, GPC, ...).
    pub sale_or_share_opted_out: bool,
    /// The publisher is an LSPA signatory (config); `None` when unknown.
    pub lspa_signatory: Option<bool>,
}

/// The US Privacy string for an engine state (USP-03): e.g. `1YNN`, `1YYN`, `1---`.
///
/// Infallible: the state's opt-out is a `bool`, so it is never unknown.
#[must_use]
pub fn usp_string(state: &UspState) -> String {
    UsPrivacy::from_state(state).to_string_unchecked()
}

/// The string to send to one partner: `Some` only when the partner is flagged
/// `legacy_usp` (USP-05), since the format is deprecated in favour of GPP.
#[must_use]
pub fn usp_for_partner(partner_legacy_usp: bool, state: &UspState) -> Option<String> {
    partner_legacy_usp.then(|| usp_string(state))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usp_01_decode_valid() {
        assert_eq!(
            UsPrivacy::decode("1YNN"),
            Ok(UsPrivacy {
                version: 1,
                notice: UspFlag::Yes,
                opt_out_sale: UspFlag::No,
                lspa: UspFlag::No,
            })
        );
        assert_eq!(UsPrivacy::decode("1---"), Ok(UsPrivacy::NOT_APPLICABLE));
        assert_eq!(
            "1-Y-".parse::<UsPrivacy>().map(|u| u.opt_out_sale),
            Ok(UspFlag::Yes)
        );
    }

    #[test]
    fn usp_01_decode_errors() {
        assert_eq!(UsPrivacy::decode("2YNN"), Err(UspError::InvalidVersion));
        assert_eq!(UsPrivacy::decode("0YNN"), Err(UspError::InvalidVersion));
        assert_eq!(UsPrivacy::decode("1YN"), Err(UspError::UnexpectedEnd));
        assert_eq!(UsPrivacy::decode(""), Err(UspError::UnexpectedEnd));
        assert_eq!(UsPrivacy::decode("1"), Err(UspError::UnexpectedEnd));
        assert_eq!(UsPrivacy::decode("1ZNN"), Err(UspError::InvalidChar('Z')));
        assert_eq!(UsPrivacy::decode("1yNN"), Err(UspError::InvalidChar('y')));
        assert_eq!(UsPrivacy::decode("xYNN"), Err(UspError::InvalidChar('x')));
        assert_eq!(UsPrivacy::decode("1YN€"), Err(UspError::InvalidChar('€')));
        assert_eq!(UsPrivacy::decode("1YNNN"), Err(UspError::TrailingData));
        assert_eq!(UsPrivacy::decode("1YNN "), Err(UspError::TrailingData));
    }

    #[test]
    fn usp_02_not_applicable_and_unknown_opt_out_forbidden() {
        let tx = UspState {
            ccpa_applies: false,
            notice_given: Some(true),
            sale_or_share_opted_out: true,
            lspa_signatory: Some(true),
        };
        assert_eq!(usp_string(&tx), "1---");
        assert!(!UsPrivacy::NOT_APPLICABLE.ccpa_applies());
        let bad = UsPrivacy {
            version: 1,
            notice: UspFlag::Yes,
            opt_out_sale: UspFlag::NotApplicable,
            lspa: UspFlag::No,
        };
        assert_eq!(bad.encode(), Err(UspError::OptOutUnknownForbidden));
        let bad_lspa_only = UsPrivacy {
            notice: UspFlag::NotApplicable,
            lspa: UspFlag::Yes,
            ..bad
        };
        assert_eq!(
            bad_lspa_only.encode(),
            Err(UspError::OptOutUnknownForbidden)
        );
        assert_eq!(UsPrivacy::NOT_APPLICABLE.encode().as_deref(), Ok("1---"));
        let v2 = UsPrivacy {
            version: 2,
            ..UsPrivacy::NOT_APPLICABLE
        };
        assert_eq!(v2.encode(), Err(UspError::InvalidVersion));
    }

    #[test]
    fn usp_02_decoder_reads_but_flags_unknown_opt_out() {
        let u = UsPrivacy::decode("1Y-N").unwrap();
        assert_eq!(u.validate(), Err(UspError::OptOutUnknownForbidden));
    }

    #[test]
    fn usp_03_engine_state_mapping() {
        let ca = UspState {
            ccpa_applies: true,
            notice_given: Some(true),
            sale_or_share_opted_out: false,
            lspa_signatory: Some(false),
        };
        assert_eq!(usp_string(&ca), "1YNN");
        let opted_out = UspState {
            sale_or_share_opted_out: true,
            ..ca
        };
        assert_eq!(usp_string(&opted_out), "1YYN");
        let lspa = UspState {
            lspa_signatory: Some(true),
            ..ca
        };
        assert_eq!(usp_string(&lspa), "1YNY");
        let vendor = UspState {
            ccpa_applies: true,
            notice_given: None,
            sale_or_share_opted_out: true,
            lspa_signatory: None,
        };
        assert_eq!(usp_string(&vendor), "1-Y-");
        let vendor_no = UspState {
            sale_or_share_opted_out: false,
            ..vendor
        };
        assert_eq!(usp_string(&vendor_no), "1-N-");
        // Every mapped value passes the encoder's own check.
        for s in [ca, opted_out, lspa, vendor, vendor_no] {
            assert_eq!(UsPrivacy::from_state(&s).encode(), Ok(usp_string(&s)));
        }
    }

    #[test]
    fn usp_05_only_for_legacy_partners() {
        let ca = UspState {
            ccpa_applies: true,
            notice_given: Some(true),
            sale_or_share_opted_out: true,
            lspa_signatory: Some(false),
        };
        assert_eq!(usp_for_partner(false, &ca), None);
        assert_eq!(usp_for_partner(true, &ca).as_deref(), Some("1YYN"));
    }
}
