//! Regimes, request kinds, and the table of which statutory clock governs which request.
//!
//! | kind | GDPR / UK GDPR | CCPA | Nevada | CAN-SPAM | Policy (fallback) |
//! |---|---|---|---|---|---|
//! | access, know (categories, specific pieces), portability, deletion, correction | 1 month, +2 months | ack 10 business days; 45 days, +45 | — | — | 45 days, +45 (configurable) |
//! | opt-out of sale/sharing, Nevada no-sale | 1 month, +2 months | 15 business days, propagate by then, no extension | 60 days, +30 | — | 15 business days, propagate by then |
//! | limit SPI, withdraw consent | 1 month, +2 months | 15 business days, propagate by then | — | — | 15 business days, propagate by then |
//! | objection to direct marketing | 1 month, +2 months | — | — | 10 business days, propagate by then | 10 business days, propagate by then |
//! | objection (Art. 21(1)), restriction | 1 month, +2 months | — | — | — | 45 days, +45 (configurable) |
//!
//! GDPR Art. 12(3) covers every request under Arts. 15–22; an opt-out or consent withdrawal
//! by an EU subject is treated as one. The policy clock (RIGHTS-05) applies only when no
//! statutory regime in the list covers the kind; for opt-out kinds it mirrors the CCPA and
//! CAN-SPAM periods so that a US subject outside California gets the same promise (DNS-03).

use std::fmt;
use std::str::FromStr;
use steward_errors::ErrorCode;

use serde::{Deserialize, Serialize};

use crate::calendar::Calendar;
use crate::time::Period;

/// A legal regime (or the policy itself) that sets a clock on a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Regime {
    /// GDPR (EU/EEA) Art. 12(3).
    #[serde(rename = "GDPR")]
    Gdpr,
    /// UK GDPR Art. 12(3): the same periods as the GDPR.
    #[serde(rename = "UK_GDPR")]
    UkGdpr,
    /// CCPA/CPRA (California): §1798.130, 11 CCR §§7021, 7026, 7027.
    #[serde(rename = "CCPA")]
    Ccpa,
    /// Nevada NRS 603A.345.
    #[serde(rename = "NRS603A")]
    Nevada,
    /// CAN-SPAM 15 U.S.C. §7704(a)(4) (commercial e-mail opt-outs).
    #[serde(rename = "CAN_SPAM")]
    CanSpam,
    /// The policy's own "reasonable timeframe" (RIGHTS-05), for subjects with no statute.
    #[serde(rename = "POLICY")]
    Policy,
}

impl Regime {
    /// Every regime, in the canonical order used in tickets.
    pub const ALL: [Regime; 6] = [
        Regime::Gdpr,
        Regime::UkGdpr,
        Regime::Ccpa,
        Regime::Nevada,
        Regime::CanSpam,
        Regime::Policy,
    ];

    /// Wire name (matches `steward-policy`'s regime names where both exist).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Regime::Gdpr => "GDPR",
            Regime::UkGdpr => "UK_GDPR",
            Regime::Ccpa => "CCPA",
            Regime::Nevada => "NRS603A",
            Regime::CanSpam => "CAN_SPAM",
            Regime::Policy => "POLICY",
        }
    }

    /// Whether this is a statute (everything but [`Regime::Policy`]).
    #[must_use]
    pub fn is_statutory(self) -> bool {
        !matches!(self, Regime::Policy)
    }

    /// The clock this regime puts on a request of `kind`, or `None` if it does not cover it.
    #[must_use]
    pub fn rule(self, kind: RequestKind, cal: &Calendar) -> Option<Rule> {
        use RequestKind as K;
        match self {
            Regime::Gdpr | Regime::UkGdpr => Some(Rule {
                ack: None,
                response: Period::Months(1),
                extension: Some(Period::Months(2)),
                propagate: None,
            }),
            Regime::Ccpa => match kind {
                K::Access
                | K::KnowCategories
                | K::KnowSpecificPieces
                | K::Portability
                | K::Deletion
                | K::Correction => Some(Rule {
                    ack: Some(Period::BusinessDays(10)),
                    response: Period::CalendarDays(45),
                    extension: Some(Period::CalendarDays(45)),
                    propagate: None,
                }),
                K::OptOutSaleShare | K::LimitSpi | K::WithdrawConsent | K::NevadaNoSale => {
                    Some(Rule::fixed_with_propagation(Period::BusinessDays(15)))
                }
                K::ObjectDirectMarketing | K::Objection | K::Restriction => None,
            },
            Regime::Nevada => match kind {
                K::NevadaNoSale | K::OptOutSaleShare => Some(Rule {
                    ack: None,
                    response: Period::CalendarDays(60),
                    extension: Some(Period::CalendarDays(30)),
                    propagate: None,
                }),
                K::Access
                | K::KnowCategories
                | K::KnowSpecificPieces
                | K::Portability
                | K::Deletion
                | K::Correction
                | K::LimitSpi
                | K::ObjectDirectMarketing
                | K::Objection
                | K::Restriction
                | K::WithdrawConsent => None,
            },
            Regime::CanSpam => match kind {
                K::ObjectDirectMarketing => {
                    Some(Rule::fixed_with_propagation(Period::BusinessDays(10)))
                }
                K::Access
                | K::KnowCategories
                | K::KnowSpecificPieces
                | K::Portability
                | K::Deletion
                | K::Correction
                | K::OptOutSaleShare
                | K::LimitSpi
                | K::Objection
                | K::Restriction
                | K::WithdrawConsent
                | K::NevadaNoSale => None,
            },
            Regime::Policy => Some(match kind {
                K::OptOutSaleShare | K::LimitSpi | K::WithdrawConsent | K::NevadaNoSale => {
                    Rule::fixed_with_propagation(Period::BusinessDays(15))
                }
                K::ObjectDirectMarketing => Rule::fixed_with_propagation(Period::BusinessDays(10)),
                K::Access
                | K::KnowCategories
                | K::KnowSpecificPieces
                | K::Portability
                | K::Deletion
                | K::Correction
                | K::Objection
                | K::Restriction => Rule {
                    ack: None,
                    response: Period::CalendarDays(cal.policy_response_days()),
                    extension: match cal.policy_extension_days() {
                        0 => None,
                        n => Some(Period::CalendarDays(n)),
                    },
                    propagate: None,
                },
            }),
        }
    }

    /// The legal source of this regime's clock for `kind`, for notices and the console.
    #[must_use]
    pub fn citation(self, kind: RequestKind) -> &'static str {
        match self {
            Regime::Gdpr => "GDPR Art. 12(3)",
            Regime::UkGdpr => "UK GDPR Art. 12(3)",
            Regime::Ccpa => {
                if kind.is_opt_out() {
                    "11 CCR §7026(f) / §7027(g)"
                } else {
                    "Cal. Civ. Code §1798.130(a)(2); 11 CCR §7021"
                }
            }
            Regime::Nevada => "NRS 603A.345(4)",
            Regime::CanSpam => "15 U.S.C. §7704(a)(4)",
            Regime::Policy => "Privacy policy: \"within a reasonable timeframe\" (RIGHTS-05)",
        }
    }
}

impl fmt::Display for Regime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An unknown regime or request-kind name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} `{name}`")]
pub struct UnknownName {
    /// "regime" or "request kind".
    pub what: &'static str,
    /// The name given.
    pub name: String,
}

impl UnknownName {
    /// Stable machine-readable code.
    #[must_use]
    pub fn code(&self) -> ErrorCode {
        ErrorCode::UnknownName
    }
}

impl FromStr for Regime {
    type Err = UnknownName;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Regime::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| UnknownName {
                what: "regime",
                name: s.to_owned(),
            })
    }
}

/// The kind of a data-subject request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestKind {
    /// Access (GDPR Art. 15) or a CCPA know request for both categories and specific pieces.
    Access,
    /// CCPA right to know: categories only (§1798.110).
    KnowCategories,
    /// CCPA right to know: specific pieces (§1798.110(a)(5)).
    KnowSpecificPieces,
    /// Data portability (GDPR Art. 20; CCPA portable copy).
    Portability,
    /// Erasure / deletion (GDPR Art. 17; CCPA §1798.105).
    Deletion,
    /// Rectification / correction (GDPR Art. 16; CCPA §1798.106).
    Correction,
    /// Opt-out of sale or sharing (CCPA §1798.120; DNS).
    OptOutSaleShare,
    /// Limit the use of sensitive personal information (CCPA §1798.121).
    LimitSpi,
    /// Objection to direct marketing (GDPR Art. 21(2)) or an e-mail unsubscribe (CAN-SPAM).
    ObjectDirectMarketing,
    /// Objection to legitimate-interest processing (GDPR Art. 21(1)).
    Objection,
    /// Restriction of processing (GDPR Art. 18).
    Restriction,
    /// Withdrawal of consent (GDPR Art. 7(3); CCPA opt-in withdrawal).
    WithdrawConsent,
    /// Nevada request not to sell covered information (NRS 603A.345).
    NevadaNoSale,
}

impl RequestKind {
    /// Every kind.
    pub const ALL: [RequestKind; 13] = [
        RequestKind::Access,
        RequestKind::KnowCategories,
        RequestKind::KnowSpecificPieces,
        RequestKind::Portability,
        RequestKind::Deletion,
        RequestKind::Correction,
        RequestKind::OptOutSaleShare,
        RequestKind::LimitSpi,
        RequestKind::ObjectDirectMarketing,
        RequestKind::Objection,
        RequestKind::Restriction,
        RequestKind::WithdrawConsent,
        RequestKind::NevadaNoSale,
    ];

    /// Wire name (snake case, as in JSON).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            RequestKind::Access => "access",
            RequestKind::KnowCategories => "know_categories",
            RequestKind::KnowSpecificPieces => "know_specific_pieces",
            RequestKind::Portability => "portability",
            RequestKind::Deletion => "deletion",
            RequestKind::Correction => "correction",
            RequestKind::OptOutSaleShare => "opt_out_sale_share",
            RequestKind::LimitSpi => "limit_spi",
            RequestKind::ObjectDirectMarketing => "object_direct_marketing",
            RequestKind::Objection => "objection",
            RequestKind::Restriction => "restriction",
            RequestKind::WithdrawConsent => "withdraw_consent",
            RequestKind::NevadaNoSale => "nevada_no_sale",
        }
    }

    /// A CCPA "know" request (§1798.110/.115), the kind CCPA-07 limits to twice a year.
    #[must_use]
    pub fn is_know(self) -> bool {
        matches!(
            self,
            RequestKind::Access
                | RequestKind::KnowCategories
                | RequestKind::KnowSpecificPieces
                | RequestKind::Portability
        )
    }

    /// An opt-out-style request that has to be propagated downstream.
    #[must_use]
    pub fn is_opt_out(self) -> bool {
        matches!(
            self,
            RequestKind::OptOutSaleShare
                | RequestKind::LimitSpi
                | RequestKind::WithdrawConsent
                | RequestKind::NevadaNoSale
                | RequestKind::ObjectDirectMarketing
        )
    }
}

impl fmt::Display for RequestKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for RequestKind {
    type Err = UnknownName;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        RequestKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| UnknownName {
                what: "request kind",
                name: s.to_owned(),
            })
    }
}

/// The clock one regime puts on one request kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Rule {
    /// Acknowledge receipt within (CCPA know/delete/correct: 10 business days).
    pub ack: Option<Period>,
    /// Respond within, counted from receipt.
    pub response: Period,
    /// Maximum extension beyond `response`, or `None` if the deadline is fixed.
    pub extension: Option<Period>,
    /// Propagate downstream (stop selling/sharing, suppress) within, counted from receipt.
    pub propagate: Option<Period>,
}

impl Rule {
    fn fixed_with_propagation(p: Period) -> Rule {
        Rule {
            ack: None,
            response: p,
            extension: None,
            propagate: Some(p),
        }
    }
}
