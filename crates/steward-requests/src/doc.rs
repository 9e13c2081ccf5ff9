//! The workflow document a request carries (JSON in the store's opaque `doc` column) and the
//! sealed part (contact details and other personal data, under the request's key).
//!
//! INVARIANT: nothing in [`Doc`] is personal data — ids, codes, dates, counts, category and
//! recipient names, the staff's stated reasons. Personal data goes in [`Contact`], which is
//! sealed (AUD-04).

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use steward_core::CoreError;
use steward_deadlines::{Lookback, Regime, Ticket};
use steward_errors::ErrorCode;
use steward_store::ids::ItemId;
use steward_vault::Sensitive;

use crate::connectors::FoundDataset;
use crate::plan::ErasurePlan;
use crate::verification::VerificationLevel;
use crate::views::SystemDetail;

/// Format version of [`Doc`].
pub(crate) const DOC_VERSION: u8 = 1;

/// What the workflow keeps about a request.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Doc {
    pub(crate) v: u8,
    /// The statutory clock (DL-*).
    pub(crate) ticket: Ticket,
    /// The regimes that applied at intake.
    pub(crate) regimes: Vec<Regime>,
    /// The residency the requester declared, if any.
    pub(crate) declared_jurisdiction: Option<String>,
    /// Verification required and how it was done.
    pub(crate) verification: VerificationDoc,
    /// Authorized agent (CCPA-23).
    pub(crate) agent: Option<AgentDoc>,
    /// CCPA-06 look-back asked for.
    pub(crate) lookback: Option<Lookback>,
    /// The purpose of an objection or consent withdrawal.
    pub(crate) purpose: Option<String>,
    /// A correction's target (the new value is sealed).
    pub(crate) correction: Option<CorrectionDoc>,
    /// CCPA-07: prior know requests within 12 months.
    pub(crate) repeat: Option<RepeatDoc>,
    /// Copy number of an access report (GDPR-14(3)).
    pub(crate) copy_number: u32,
    /// The erasure plan of the last run (or preview at approval).
    pub(crate) plan: Option<ErasurePlan>,
    /// What each system did, in order (the receipt's lines).
    pub(crate) progress: Vec<SystemResult>,
    /// The last failure, if the request is in `failed`.
    pub(crate) failure: Option<Failure>,
    /// How many runs were started.
    pub(crate) runs: u32,
    /// The denial, if denied.
    pub(crate) denial: Option<Denial>,
    /// Forwarded to the Customer (CUST-04).
    pub(crate) forwarded_to: Option<String>,
    /// A new sealed part to store with the next transition (rows read from connected
    /// datasets during a run). Never serialized: it is personal data, sealed.
    #[serde(skip)]
    pub(crate) reseal: Option<steward_store::values::Ciphertext>,
}

/// Verification details.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct VerificationDoc {
    /// What the law asks for this kind of request (DEC-09).
    pub(crate) required: VerificationLevel,
    /// How it is (to be) done: `none`, `session`, `email_code`, `staff:<method>`.
    pub(crate) method: String,
    /// When it was completed.
    pub(crate) verified_at: Option<Timestamp>,
    /// Data points matched by staff at approval, with a signed declaration (CCPA-24).
    pub(crate) staff_points: u8,
    /// A signed declaration under penalty of perjury was received.
    pub(crate) declaration: bool,
}

/// Agent details (no personal data: the permission is referenced by its hash).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct AgentDoc {
    /// SHA-256 (hex) of the signed permission document.
    pub(crate) permission_sha256: Option<String>,
    /// When staff recorded the permission.
    pub(crate) permission_recorded_at: Option<Timestamp>,
}

/// The target of a correction.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct CorrectionDoc {
    pub(crate) category: String,
    pub(crate) item: Option<ItemId>,
}

/// CCPA-07 result at intake.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct RepeatDoc {
    pub(crate) may_decline: bool,
    pub(crate) reason: Option<String>,
    pub(crate) prior_in_window: usize,
}

/// What one system did during a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SystemResult {
    /// The system: `vault`, `dataset:<name>`, `webhook:<recipient>`, `notice:<recipient>`,
    /// `choices`, `report`, `item:<category>`.
    pub system: String,
    /// `done`, `failed`, `queued` (webhook handed to the delivery queue), `manual` (no
    /// endpoint: staff must notify), `skipped`.
    pub status: String,
    /// Counts and details (no personal data).
    pub detail: SystemDetail,
    /// Why it failed (no personal data).
    pub error: Option<String>,
    /// When.
    pub at: Timestamp,
}

/// The last failure of a run.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Failure {
    pub(crate) system: String,
    pub(crate) reason: String,
    pub(crate) at: Timestamp,
}

/// A denial.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Denial {
    pub(crate) reason: String,
    pub(crate) justification: Option<String>,
    pub(crate) at: Timestamp,
}

impl Doc {
    pub(crate) fn to_bytes(&self) -> Result<Vec<u8>, CoreError> {
        serde_json::to_vec(self).map_err(|e| CoreError::invalid(ErrorCode::BadDoc, e.to_string()))
    }

    pub(crate) fn from_bytes(b: &[u8]) -> Result<Doc, CoreError> {
        serde_json::from_slice(b).map_err(|_| CoreError::Unavailable("request document is corrupt"))
    }

    /// The result recorded for `system`, if any.
    pub(crate) fn result(&self, system: &str) -> Option<&SystemResult> {
        self.progress.iter().rev().find(|r| r.system == system)
    }

    /// Records a result, replacing an earlier one for the same system.
    pub(crate) fn record(&mut self, r: SystemResult) {
        self.progress.retain(|x| x.system != r.system);
        self.progress.push(r);
    }
}

/// The sealed part of a request: personal data, under the request's key.
#[derive(Clone, Default, Serialize, Deserialize)]
pub(crate) struct Contact {
    /// The subject's e-mail address (codes and answers go there).
    pub(crate) email: Option<Sensitive<String>>,
    /// The agent's e-mail address.
    pub(crate) agent_email: Option<Sensitive<String>>,
    /// The agent's name (CCPA-23).
    #[serde(default)]
    pub(crate) agent_name: Option<Sensitive<String>>,
    /// The consumer's signed permission for the agent, as filed (CCPA-23).
    #[serde(default)]
    pub(crate) agent_permission: Option<Sensitive<String>>,
    /// A correction's new value.
    pub(crate) correction_value: Option<Sensitive<String>>,
    /// What connected datasets returned for an access, know or portability request, by
    /// connector (read when it ran; its report shows them).
    #[serde(default)]
    pub(crate) found: Vec<FoundDataset>,
}

impl std::fmt::Debug for Contact {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Contact([redacted])")
    }
}

/// The label contact details are sealed under.
pub(crate) const CONTACT_LABEL: &str = "request.contact";
/// The label outbox messages are sealed under.
pub(crate) const MESSAGE_LABEL: &str = "request.message";
/// The label webhook bodies are sealed under.
pub(crate) const WEBHOOK_LABEL: &str = "request.webhook";
