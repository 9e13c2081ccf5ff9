//! Diagnostics: errors and warnings that point at `file:line:column`.
//!
//! A malformed or inconsistent policy never yields an engine; every problem
//! found is reported at once, each with a stable code and what to do.

use std::fmt;
use std::ops::Range;

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The policy is still usable.
    Warning,
    /// The policy cannot be compiled.
    Error,
}

/// One problem in a policy file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Stable code, e.g. `UNKNOWN_CATEGORY`.
    pub code: &'static str,
    /// What is wrong (lowercase, user input in backticks).
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
    /// Byte range in the source, when known.
    pub span: Option<Range<usize>>,
    /// 1-based line, when known.
    pub line: usize,
    /// 1-based column (in characters), when known.
    pub column: usize,
}

/// All diagnostics for one file.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// File name as given by the caller.
    pub file: String,
    /// Diagnostics in file order.
    pub items: Vec<Diagnostic>,
}

impl Report {
    /// An empty report for `file`.
    #[must_use]
    pub fn new(file: &str) -> Report {
        Report {
            file: file.to_string(),
            items: Vec::new(),
        }
    }

    /// Number of errors.
    #[must_use]
    pub fn errors(&self) -> usize {
        self.items
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    /// Number of warnings.
    #[must_use]
    pub fn warnings(&self) -> usize {
        self.items
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .count()
    }

    /// Sort by position, errors first on the same line.
    pub fn sort(&mut self) {
        self.items
            .sort_by(|a, b| (a.line, a.column, b.severity).cmp(&(b.line, b.column, a.severity)));
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.items {
            let sev = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            if d.line > 0 {
                writeln!(
                    f,
                    "{}:{}:{}: {sev}[{}]: {}",
                    self.file, d.line, d.column, d.code, d.message
                )?;
            } else {
                writeln!(f, "{}: {sev}[{}]: {}", self.file, d.code, d.message)?;
            }
            if let Some(h) = &d.help {
                writeln!(f, "  help: {h}")?;
            }
        }
        Ok(())
    }
}

/// Collects diagnostics while validating one source text.
#[derive(Debug)]
pub(crate) struct Sink<'a> {
    src: &'a str,
    pub(crate) report: Report,
}

impl<'a> Sink<'a> {
    pub(crate) fn new(file: &str, src: &'a str) -> Sink<'a> {
        Sink {
            src,
            report: Report::new(file),
        }
    }

    fn position(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.src.len());
        let before = &self.src[..floor_char_boundary(self.src, offset)];
        let line = before.matches('\n').count() + 1;
        let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        (line, col)
    }

    pub(crate) fn push(
        &mut self,
        severity: Severity,
        code: &'static str,
        span: Option<Range<usize>>,
        message: String,
        help: Option<String>,
    ) {
        // Spans of defaulted values are empty at offset 0: report them without a position.
        let span = span.filter(|s| !(s.start == 0 && s.end == 0));
        let (line, column) = span.as_ref().map_or((0, 0), |s| self.position(s.start));
        self.report.items.push(Diagnostic {
            severity,
            code,
            message,
            help,
            span,
            line,
            column,
        });
    }

    pub(crate) fn error(
        &mut self,
        code: &'static str,
        span: Option<Range<usize>>,
        message: String,
        help: &str,
    ) {
        let help = (!help.is_empty()).then(|| help.to_string());
        self.push(Severity::Error, code, span, message, help);
    }

    pub(crate) fn warn(
        &mut self,
        code: &'static str,
        span: Option<Range<usize>>,
        message: String,
        help: &str,
    ) {
        let help = (!help.is_empty()).then(|| help.to_string());
        self.push(Severity::Warning, code, span, message, help);
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based() {
        let mut s = Sink::new("p.toml", "a = 1\nbé = 2\n");
        s.error("X", Some(9..10), "bad".into(), "fix it");
        let d = &s.report.items[0];
        assert_eq!((d.line, d.column), (2, 3));
        assert_eq!(
            s.report.to_string(),
            "p.toml:2:3: error[X]: bad\n  help: fix it\n"
        );
    }
}
