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
