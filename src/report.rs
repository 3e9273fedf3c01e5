//! Diagnostics: one model of a problem found in a file, many renderings.
//!
//! Loading, schema validation, semantic checks and `check` all produce [`Diagnostic`]s; the
//! formats (text with an excerpt, JSON, GitHub workflow commands, SARIF) are renderings of the
//! same list.

use std::path::PathBuf;

use serde::Serialize;

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The input is invalid; the command fails.
    Error,
    /// A risk worth a look; fails only with `--deny-warnings`.
    Warning,
}

/// A problem at a place in a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// The file, as given on the command line or found by walking.
    pub file: PathBuf,
    /// 1-based line (0 when the file has no position, e.g. it could not be read).
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// Dotted field path (`routing.rules[1].assign.pod`); empty for the whole file.
    pub path: String,
    /// Plain message saying what was expected.
    pub message: String,
    /// Error or warning.
    pub severity: Severity,
}

impl Diagnostic {
    /// An error at a position.
    #[must_use]
    pub fn error(
        file: impl Into<PathBuf>,
        line: usize,
        column: usize,
        path: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self { file: file.into(), line, column, path: path.into(), message: message.into(), severity: Severity::Error }
    }

    /// The one-line form: `FILE:LINE:COL: error: PATH: MESSAGE`.
    #[must_use]
    pub fn one_line(&self) -> String {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let path = if self.path.is_empty() { String::new() } else { format!("{}: ", self.path) };
        format!("{}:{}:{}: {sev}: {path}{}", self.file.display(), self.line, self.column, self.message)
    }
}
