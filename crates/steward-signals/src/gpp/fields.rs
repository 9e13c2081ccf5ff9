//! The 2-bit field types shared by the US sections (GPP-04) and the GPC sub-section (GPP-05).
//!
//! Codes: notices `0` not applicable, `1` provided, `2` not provided; opt-outs `0` not
//! applicable, `1` opted out, `2` did not opt out; consents `0` not applicable, `1` no
//! consent, `2` consent; MSPA modes `0` not applicable, `1` yes, `2` no. The value `3` is not
//! defined for any of them and is rejected by the decoder.

use serde::{Deserialize, Serialize};

use super::bits::{BitReader, BitWriter};
use super::{GppError, SectionId};

macro_rules! tri_state {
    ($(#[$doc:meta])* $name:ident { $(#[$d0:meta])* $v0:ident = 0, $(#[$d1:meta])* $v1:ident = 1, $(#[$d2:meta])* $v2:ident = 2 $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
        pub enum $name {
            $(#[$d0])*
            #[default]
            $v0 = 0,
            $(#[$d1])*
            $v1 = 1,
            $(#[$d2])*
            $v2 = 2,
        }

        impl $name {
            /// All values, in code order.
            pub const ALL: [Self; 3] = [Self::$v0, Self::$v1, Self::$v2];

            /// The 2-bit code.
            #[must_use]
            pub fn code(self) -> u8 {
                self as u8
            }

            /// The value for a 2-bit code, `None` for 3 and above.
            #[must_use]
            pub fn from_code(code: u8) -> Option<Self> {
                match code {
                    0 => Some(Self::$v0),
                    1 => Some(Self::$v1),
                    2 => Some(Self::$v2),
                    _ => None,
                }
            }

            pub(crate) fn read(
                r: &mut BitReader<'_>,
                section: SectionId,
                field: &'static str,
            ) -> Result<Self, GppError> {
                let value = r.read2()?;
                Self::from_code(value).ok_or(GppError::InvalidFieldValue { section, field, value })
            }

            pub(crate) fn write(self, w: &mut BitWriter<'_>) {
                w.write(u32::from(self.code()), 2);
            }
        }
    };
}

tri_state!(
    /// Whether a notice was given.
    Notice {
        /// `0`: not applicable (the business does not do this).
        NotApplicable = 0,
        /// `1`: notice was provided.
        Provided = 1,
        /// `2`: notice was not provided.
        NotProvided = 2,
    }
);

tri_state!(
    /// An opt-out choice.
    OptOut {
        /// `0`: not applicable (no notice, or notice not applicable).
        NotApplicable = 0,
        /// `1`: the consumer opted out.
        OptedOut = 1,
        /// `2`: the consumer did not opt out.
        DidNotOptOut = 2,
    }
);

tri_state!(
    /// A consent.
    Consent {
        /// `0`: not applicable.
        NotApplicable = 0,
        /// `1`: no consent.
        NoConsent = 1,
        /// `2`: consent.
        Consent = 2,
    }
);

tri_state!(
    /// An MSPA mode flag.
    MspaMode {
        /// `0`: not applicable.
        NotApplicable = 0,
        /// `1`: yes.
        Yes = 1,
        /// `2`: no.
        No = 2,
    }
);

/// `MspaCoveredTransaction`: `1` yes, `2` no; `0` and `3` are invalid (the reference encoder
/// rejects `0` too).
pub(crate) fn read_mspa_covered(
    r: &mut BitReader<'_>,
    section: SectionId,
) -> Result<bool, GppError> {
    match r.read2()? {
        1 => Ok(true),
        2 => Ok(false),
        value => Err(GppError::InvalidFieldValue {
            section,
            field: "MspaCoveredTransaction",
            value,
        }),
    }
}

pub(crate) fn write_mspa_covered(w: &mut BitWriter<'_>, covered: bool) {
    w.write(if covered { 1 } else { 2 }, 2);
}

/// GPC sub-section type (GPP-05).
const GPC_SEGMENT_TYPE: u32 = 1;

/// Appends `.` and the GPC sub-section (`SubsectionType` Int(2) = 1, `Gpc` Boolean):
/// `.YA` for true, `.QA` for false, as the reference encoder writes them.
pub(crate) fn write_gpc_segment(out: &mut String, gpc: bool) {
    out.push('.');
    let mut w = BitWriter::new(out);
    w.write(GPC_SEGMENT_TYPE, 2);
    w.write_bool(gpc);
    w.finish();
}

/// Reads the optional sub-sections after the core (GPP-05, GPP-12): returns the GPC value,
/// `None` when there is no sub-section. Unknown sub-section types and a repeated GPC
/// sub-section are errors.
pub(crate) fn read_optional_segments<'a>(
    segments: impl Iterator<Item = &'a str>,
    section: SectionId,
) -> Result<Option<bool>, GppError> {
    let mut gpc = None;
    for seg in segments {
        let mut r = BitReader::new(seg)?;
        let ty = r.read(2)?;
        if ty != GPC_SEGMENT_TYPE {
            return Err(GppError::UnknownSegmentType {
                section,
                segment_type: ty as u8,
            });
        }
        if gpc.is_some() {
            return Err(GppError::DuplicateSegment {
                section,
                segment_type: ty as u8,
            });
        }
        gpc = Some(r.read_bool()?);
    }
    Ok(gpc)
}
