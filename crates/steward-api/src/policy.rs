//! The policy in force: its version, the rendered notice and the shipped policy tests run
//! against it (SEC-07).

use serde::{Deserialize, Serialize};
use steward_policy::Engine;
use steward_policy::cases::SuiteReport;
use utoipa::{IntoParams, ToSchema};

/// The policy in force.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PolicyOut {
    /// Name.
    pub name: String,
    /// Version (recorded with every decision and choice).
    pub version: String,
    /// Effective date.
    pub effective: String,
    /// Controller.
    pub controller: String,
    /// The engine version.
    pub engine_version: String,
    /// Registered data categories.
    pub categories: usize,
    /// Registered purposes.
    pub purposes: usize,
    /// Registered recipients.
    pub recipients: usize,
}

impl PolicyOut {
    /// The facts of a compiled policy, with the version of the engine that runs it.
    #[must_use]
    pub fn new(e: &Engine, engine_version: &str) -> PolicyOut {
        PolicyOut {
            name: e.meta.name.clone(),
            version: e.meta.version.clone(),
            effective: e.meta.effective.to_string(),
            controller: e.meta.controller.clone(),
            engine_version: engine_version.to_string(),
            categories: e.categories.len(),
            purposes: e.purposes.len(),
            recipients: e.recipients.len(),
        }
    }
}

/// Notice format.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum NoticeFormat {
    /// A complete HTML page (default).
    #[default]
    Html,
    /// Markdown.
    Markdown,
}

/// Notice parameters.
#[derive(Debug, Clone, Serialize, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct NoticeQuery {
    /// `html` (default) or `markdown`.
    pub format: Option<NoticeFormat>,
}

/// A failed policy test case.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CaseFailure {
    /// Case file.
    pub file: String,
    /// Case id.
    pub id: String,
    /// Requirement ids it covers.
    pub requirements: Vec<String>,
    /// Why it failed.
    pub failures: Vec<String>,
}

/// The shipped policy tests run against the policy in force.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PolicyTests {
    /// Policy file tested.
    pub policy: String,
    /// Cases run.
    pub total: usize,
    /// Cases passed.
    pub passed: usize,
    /// Cases failed.
    pub failed: usize,
    /// Requirement ids covered by a passing case.
    pub covered_requirements: usize,
    /// The failures.
    pub failures: Vec<CaseFailure>,
}

impl PolicyTests {
    /// The summary of a suite run against the policy file `policy`.
    #[must_use]
    pub fn new(policy: &str, report: &SuiteReport) -> PolicyTests {
        let failures: Vec<CaseFailure> = report
            .failed()
            .map(|r| CaseFailure {
                file: r.file.clone(),
                id: r.id.clone(),
                requirements: r.requirements.clone(),
                failures: r.failures.clone(),
            })
            .collect();
        PolicyTests {
            policy: policy.to_string(),
            total: report.results.len(),
            passed: report.results.len() - failures.len(),
            failed: failures.len(),
            covered_requirements: report.covered().len(),
            failures,
        }
    }
}

/// How a recorded policy version stands (CHG-01).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PolicyVersionStatus {
    /// The text enforced now.
    InForce,
    /// Its effective date is still ahead: recorded, not enforced before that date.
    Scheduled,
    /// Enforced before (or never, when replaced before its date); not in force now.
    Superseded,
}

/// One change against the version recorded before (the `steward policy diff` comparison).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PolicyChangeOut {
    /// `category`, `purpose`, `recipient`, `tracker`, `lock`, `setting`, `policy`.
    pub kind: String,
    /// The id of the thing that changed.
    pub id: String,
    /// What changed, in words.
    pub what: String,
    /// Material under CHG-03.
    pub material: bool,
    /// What it requires: `nothing`, `notice` or `fresh_consent`.
    pub needs: String,
}

/// A recorded version of the policy text (CHG-01).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PolicyVersionOut {
    /// The policy's version string.
    pub version: String,
    /// Its effective date (`YYYY-MM-DD`).
    pub effective: String,
    /// SHA-256 of the text (hex).
    pub sha256: String,
    /// When this text was first recorded (RFC 3339).
    pub recorded_at: String,
    /// Whether any change against the version recorded before it is material (CHG-03).
    pub material: bool,
    /// In force, scheduled or superseded.
    pub status: PolicyVersionStatus,
    /// CHG-05: in force and its effective date is more than 12 months ago.
    pub stale: bool,
}

/// The recorded policy versions, newest first.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PolicyVersionList {
    /// Newest first.
    pub versions: Vec<PolicyVersionOut>,
}

/// One recorded policy version with its change summary and text.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PolicyVersionDetail {
    /// The version, as listed.
    pub summary: PolicyVersionOut,
    /// What changed against the version recorded before it (empty for the first).
    pub changes: Vec<PolicyChangeOut>,
    /// The policy file's text.
    pub text: String,
}

/// The change notices of a version queued (CHG-03, CHG-04).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PolicyNoticesQueued {
    /// The version announced.
    pub version: String,
    /// How many people were queued now (each person once per version).
    pub queued: u64,
}

/// The change notice of one policy version to one subject (CHG-04).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PolicyNoticeOut {
    /// The version announced.
    pub version: String,
    /// SHA-256 of the notice text (the version's policy text), hex.
    pub notice_sha256: String,
    /// When it was queued (RFC 3339).
    pub queued_at: String,
    /// When the person was notified (RFC 3339): the message sent, or the notice shown in the
    /// privacy center. Absent while pending.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sent_at: Option<String>,
}

/// A subject's change notices, oldest first.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PolicyNoticeList {
    /// Oldest first.
    pub notices: Vec<PolicyNoticeOut>,
}
