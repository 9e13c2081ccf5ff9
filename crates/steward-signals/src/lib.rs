//! Privacy signals partners read: Global Privacy Control, the IAB US Privacy string and the
//! IAB Global Privacy Platform (GPP) string (header, US National `usnat`, California `usca`).
//!
//! This crate is **pure**: no I/O, no clock, no async, no global state. Every decoder takes
//! untrusted input and returns an error instead of panicking (fuzzed: see `fuzz/` at the
//! workspace root). Requirements: spec Part D (GPC-*, USP-*, GPP-*).
//!
//! - [`gpc`]: `Sec-GPC` header parsing (GPC-01) and the `/.well-known/gpc.json` body (GPC-09).
//! - [`usp`]: the 4-character US Privacy string (USP-01..05).
//! - [`gpp`]: GPP header and sections, encode and decode byte-for-byte like the IAB reference
//!   library `@iabgpp/cmpapi` (GPP-01..12), and the engine-state mapping (GPP-07, GPP-10).

pub mod gpc;
pub mod gpp;
pub mod usp;

pub use gpc::{Gpc, GpcError, GpcWellKnown, parse_sec_gpc};
pub use gpp::{
    Consent, GppApproach, GppConfig, GppEngineState, GppError, GppRegion, GppString, KnownAge,
    MspaMode, Notice, OpaqueSection, OptOut, Section, SectionId, UsCa, UsNat, UsNatVersion,
    decode_header, encode_header, gpp_sid, gpp_string, section_id,
};
pub use usp::{UsPrivacy, UspError, UspFlag, UspState, usp_for_partner, usp_string};
