//! Privacy signals partners read: Global Privacy Control, the IAB US Privacy string and the
//! IAB Global Privacy Platform (GPP) string (header, US National `usnat`, California `usca`).
//!
//! This crate is **pure**: no I/O, no clock, no async, no global state. Every decoder takes
//! untrusted input and returns an error instead of panicking (fuzzed: see `fuzz/` at the
//! workspace root). Requirements: spec Part D (GPC-*, USP-*, GPP-*).
//!
//! - [`gpc`]: `Sec-GPC` header parsing (GPC-01) and the `/.well-known/gpc.json` body (GPC-09).
//! - [`usp`]: the 4-character US Privacy string (USP-01, USP-02, USP-03, USP-04, USP-05).
//! - [`gpp`]: GPP header and sections, encode and decode byte-for-byte like the IAB reference
//!   library `@iabgpp/cmpapi` (GPP-01, GPP-02, GPP-03, GPP-04, GPP-05, GPP-06, GPP-07, GPP-08, GPP-09, GPP-10, GPP-11, GPP-12), and the engine-state mapping (GPP-07, GPP-10).
//!
//! ```
//! use steward_signals::{
//!     Gpc, GppConfig, GppEngineState, GppRegion, GppString, KnownAge, UspState, gpp_sid,
//!     gpp_string, parse_sec_gpc, usp_string,
//! };
//!
//! // A California consumer's request carries `Sec-GPC: 1`; the engine records the opt-out.
//! let gpc = parse_sec_gpc(["1"]);
//! let state = GppEngineState {
//!     sale_opt_out: true,
//!     share_opt_out: true,
//!     gpc,
//!     known_age: KnownAge::Unknown,
//!     minor_authorized: false,
//! };
//! let config = GppConfig::default(); // GPP-07 defaults, state approach
//! let gpp = gpp_string(&state, GppRegion::California, &config)?;
//! assert_eq!(gpp, "DBABBg~BUUAAACA.YA");
//! assert_eq!(gpp_sid(GppRegion::California, config.approach)[0].get(), 8);
//!
//! // Reading a partner's string (forward the original text, never a re-encoding: GPP-09).
//! let received = GppString::decode("DBABBg~BVqqqqpY.YA")?;
//! assert_eq!(received.usca().and_then(|ca| ca.gpc), Some(true));
//!
//! let usp = usp_string(&UspState {
//!     ccpa_applies: true,
//!     notice_given: Some(true),
//!     sale_or_share_opted_out: true,
//!     lspa_signatory: Some(false),
//! });
//! assert_eq!(usp, "1YYN");
//! # Ok::<(), steward_signals::GppError>(())
//! ```

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
