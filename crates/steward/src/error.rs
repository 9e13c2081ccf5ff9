//! Errors at the command-line edge: what went wrong, what to do, and the exit code.
//!
//! Two kinds matter for the exit code: a *usage* error (a bad flag, argument, input file or
//! configuration value: the user can fix the command line) exits 2; a *runtime* failure (the
//! store, I/O, the network, the workflow) exits 1 and keeps its cause, which `main` prints as
//! `error: …` followed by one `  caused by: …` line per source.

use std::error::Error as StdError;
use std::path::PathBuf;

use steward_core::CoreError;

/// A boxed cause kept for the `caused by:` lines.
pub type Cause = Box<dyn StdError + Send + Sync + 'static>;

/// A command failed.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// A file could not be read or written.
    #[error("cannot {action} `{path}`")]
    Io {
        /// `read` or `write`.
        action: &'static str,
        /// The file.
        path: PathBuf,
        /// Cause.
        source: std::io::Error,
    },
    /// Standard input or output failed.
    #[error("i/o error")]
    Stdio(#[from] std::io::Error),
    /// A policy does not compile; the report says why.
    #[error("the policy has {errors} error(s)")]
    Policy {
        /// Number of errors.
        errors: usize,
    },
    /// Test cases failed.
    #[error("{failed} of {total} policy test case(s) failed")]
    TestsFailed {
        /// Failed.
        failed: usize,
        /// Total.
        total: usize,
    },
    /// A flag, argument, input file or configuration value is not acceptable (exit 2).
    #[error("{0}")]
    Usage(String),
    /// Something failed while the command ran: the store, I/O, the network, the workflow
    /// (exit 1). `context` says what was being done; the source chain says why.
    #[error("{context}")]
    Runtime {
        /// What was being done (`retention sweep failed`, `cannot open the SQLite store …`).
        context: String,
        /// Why.
        #[source]
        source: Cause,
    },
    /// `steward audit verify` could not read what it verifies (exit 2: exit 1 means
    /// tampering there).
    #[error("the audit log could not be verified")]
    AuditUnreadable(#[source] Cause),
}

impl CliError {
    /// A usage error (exit 2).
    pub fn usage(message: impl Into<String>) -> CliError {
        CliError::Usage(message.into())
    }

    /// A runtime failure (exit 1) with its cause.
    pub fn runtime(context: impl Into<String>, source: impl Into<Cause>) -> CliError {
        CliError::Runtime {
            context: context.into(),
            source: source.into(),
        }
    }

    /// A use-case error: refused input (invalid, not found, denied) is the user's to fix
    /// (usage, exit 2); anything else failed while running (exit 1, cause kept).
    pub fn core(context: &str, e: CoreError) -> CliError {
        match e {
            CoreError::Invalid { .. } | CoreError::NotFound(_) | CoreError::Denied { .. } => {
                if context.is_empty() {
                    CliError::Usage(e.to_string())
                } else {
                    CliError::Usage(format!("{context}: {e}"))
                }
            }
            other => CliError::runtime(
                if context.is_empty() {
                    "the operation failed"
                } else {
                    context
                },
                other,
            ),
        }
    }

    /// What the user can do about it.
    pub fn help(&self) -> Option<&'static str> {
        match self {
            CliError::Policy { .. } => {
                Some("fix the errors listed above; `docs/policy-format.md` describes the format")
            }
            CliError::TestsFailed { .. } => {
                Some("each failing case is listed above with the response the engine gave")
            }
            _ => None,
        }
    }

    /// Process exit code: 2 for usage errors, 1 for everything that failed while running.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Usage(_) | CliError::AuditUnreadable(_) => 2,
            _ => 1,
        }
    }

    /// The message, then one `caused by:` line per source, as `main` prints them.
    pub fn report(&self) -> String {
        let mut out = format!("error: {self}");
        let mut source = self.source();
        while let Some(s) = source {
            out.push_str(&format!("\n  caused by: {s}"));
            source = s.source();
        }
        if let Some(h) = self.help() {
            out.push_str(&format!("\n  help: {h}"));
        }
        out
    }
}

/// Read a file with a helpful error.
pub fn read(path: &std::path::Path) -> Result<String, CliError> {
    std::fs::read_to_string(path).map_err(|source| CliError::Io {
        action: "read",
        path: path.to_path_buf(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_runtime_failure_keeps_its_cause_chain_and_exits_1() {
        let io = std::io::Error::other("disk on fire");
        let e = CliError::runtime("export failed", io);
        assert_eq!(e.exit_code(), 1);
        assert_eq!(
            e.report(),
            "error: export failed\n  caused by: disk on fire"
        );
    }

    #[test]
    fn a_usage_error_exits_2() {
        let e = CliError::usage("`--now x` is not an RFC 3339 time");
        assert_eq!(e.exit_code(), 2);
        assert_eq!(e.report(), "error: `--now x` is not an RFC 3339 time");
    }
}
