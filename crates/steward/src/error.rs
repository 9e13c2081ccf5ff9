//! Errors at the command-line edge: what went wrong, what to do, and the exit code.

use std::path::PathBuf;

/// A command failed.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// A file could not be read or written.
    #[error("cannot {action} `{path}`: {source}")]
    Io {
        /// `read` or `write`.
        action: &'static str,
        /// The file.
        path: PathBuf,
        /// Cause.
        source: std::io::Error,
    },
    /// Standard input or output failed.
    #[error("i/o error: {0}")]
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
    /// A case file, request or argument is malformed.
    #[error("{0}")]
    Input(String),
    /// The command ran and failed (not found, a conflict, the store).
    #[error("{0}")]
    Failed(String),
}

impl CliError {
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

    /// Process exit code.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Input(_) => 2,
            _ => 1,
        }
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
