//! The privacy policy as code.
//!
//! A policy file (TOML, one file per version) is parsed, validated and
//! compiled ([`load`]) into an [`Engine`]: interned registries and decision
//! tables. The engine answers the decisions of requirements §0.4 and §C3 —
//! `can_collect`, `can_use`, `can_disclose`, `can_send`, `can_set_tracker`,
//! `effective_choices`, `admin_authorize` — in the normative order of DEC-00,
//! each with a reason code, the clause and requirement ids it rests on, and
//! obligations. It renders the human-readable notice from the same file
//! ([`render`]) so notice and enforcement cannot drift apart, and diffs two
//! versions ([`diff`]).
//!
//! This crate is pure: no I/O, no clock (the caller passes `now`), no async.
//! Unknown categories, purposes, recipients, sources and trackers fail closed.

pub mod cases;
pub mod choices;
pub mod compile;
pub mod consistency;
pub mod decide;
pub mod decision;
pub mod diag;
pub mod diff;
pub mod engine;
pub mod expiry;
pub mod facts;
pub mod ids;
pub mod model;
pub mod patch;
pub mod render;
pub mod wire;

pub use compile::{Loaded, load};
pub use decide::{Actor, AdminAction, Grant, MessageKind};
pub use decision::{Decision, Detail, Obligations, Reason, Step, Trace};
pub use diag::{Diagnostic, Report, Severity};
pub use engine::Engine;
pub use facts::{Channel, Choices, Consent, Context, Jurisdiction, Subject, SubjectKind};
pub use wire::{Decoded, Outcome, Request, WireError};

/// The shipped policy: the privacy policy Steward was built for (an online shipping
/// service's), effective 2020-01-17.
pub const DEFAULT_POLICY: &str = include_str!("../../../policies/stamps-2020-01-17.toml");
/// The file name of the shipped policy, for diagnostics.
pub const DEFAULT_POLICY_NAME: &str = "policies/stamps-2020-01-17.toml";

/// Compile the shipped policy.
///
/// # Errors
/// Only if the shipped file is broken, which the test suite guards against.
pub fn default_engine() -> Result<Engine, Report> {
    load(DEFAULT_POLICY_NAME, DEFAULT_POLICY).map(|l| l.engine)
}

/// The shipped policy test cases, embedded at build time.
pub mod shipped {
    include!(concat!(env!("OUT_DIR"), "/shipped_cases.rs"));

    /// Run the shipped cases against a policy text.
    ///
    /// # Errors
    /// When a shipped case file does not parse.
    pub fn run(
        policy_name: &str,
        policy: &str,
    ) -> Result<crate::cases::SuiteReport, crate::cases::SuiteError> {
        let (fx_name, fx) = SHIPPED_CASES
            .iter()
            .find(|(n, _)| n.ends_with("fixtures.toml"))
            .copied()
            .unwrap_or(("fixtures.toml", ""));
        let fixtures = crate::cases::parse_fixtures(fx_name, fx)?;
        let files: Vec<(String, String)> = SHIPPED_CASES
            .iter()
            .filter(|(n, _)| !n.ends_with("fixtures.toml"))
            .map(|(n, t)| ((*n).to_string(), (*t).to_string()))
            .collect();
        crate::cases::run(policy_name, policy, &fixtures, &files)
    }

    /// The decision requirements the shipped cases are measured against.
    pub const DECISION_REQUIREMENTS: &str =
        include_str!("../../../policies/tests/DECISION_REQUIREMENTS");
}
