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

/// Render diagnostics as text: each as its one-line form followed by an excerpt of the line
/// with a caret under the value (when the source is at hand and the diagnostic has a line).
///
/// `source_of` gives the text of a file; `color` turns on ANSI styles (the caller decides:
/// a terminal and no `NO_COLOR`).
#[must_use]
pub fn render_text<'s>(
    diagnostics: &[Diagnostic],
    source_of: impl Fn(&std::path::Path) -> Option<&'s str>,
    color: bool,
) -> String {
    let mut out = String::new();
    // Lines of each file, split once: a file with thousands of problems stays linear.
    let mut split: Vec<(&std::path::Path, Vec<&'s str>)> = Vec::new();
    for d in diagnostics {
        out.push_str(&d.one_line());
        out.push('\n');
        if d.line == 0 {
            continue;
        }
        let lines = match split.iter().position(|(p, _)| *p == d.file.as_path()) {
            Some(i) => Some(&split[i].1),
            None => source_of(&d.file).map(|s| {
                split.push((d.file.as_path(), s.lines().collect()));
                &split[split.len() - 1].1
            }),
        };
        if let Some(text) = lines.and_then(|l| l.get(d.line - 1)) {
            out.push_str(&excerpt_line(d, text, color));
            out.push('\n');
        }
    }
    out
}

/// The excerpt of one diagnostic: its line with a caret under the value, rustc-style.
/// `None` when the diagnostic has no line or the line is not in `source`.
#[must_use]
pub fn excerpt(diagnostic: &Diagnostic, source: &str, color: bool) -> Option<String> {
    if diagnostic.line == 0 {
        return None;
    }
    let text = source.lines().nth(diagnostic.line - 1)?;
    Some(excerpt_line(diagnostic, text, color))
}

/// The excerpt of one diagnostic given the text of its line.
fn excerpt_line(diagnostic: &Diagnostic, text: &str, color: bool) -> String {
    use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

    let (start, end) = value_span(text, diagnostic.column);
    let level = match diagnostic.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let report = &[Group::with_level(level).element(
        Snippet::source(text).line_start(diagnostic.line).annotation(AnnotationKind::Primary.span(start..end)),
    )];
    let renderer = if color { Renderer::styled() } else { Renderer::plain() };
    renderer.render(report)
}

/// Byte range of the value starting at 1-based character `column` of `line`: a quoted string,
/// or text up to a flow delimiter, a comment or `: `; at least one character.
fn value_span(line: &str, column: usize) -> (usize, usize) {
    let start = line.char_indices().nth(column.saturating_sub(1)).map_or(line.len(), |(i, _)| i);
    let rest = &line[start..];
    let mut end = start;
    let mut chars = rest.char_indices().peekable();
    match rest.chars().next() {
        Some(open @ ('{' | '[')) => {
            // A flow collection: up to its matching bracket on this line.
            let close = if open == '{' { '}' } else { ']' };
            let mut depth = 0usize;
            end = line.len();
            for (i, c) in chars {
                if c == open {
                    depth += 1;
                } else if c == close {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        end = start + i + c.len_utf8();
                        break;
                    }
                }
            }
        }
        Some(q @ ('"' | '\'')) => {
            chars.next();
            end = line.len();
            for (i, c) in chars {
                if c == q {
                    end = start + i + c.len_utf8();
                    break;
                }
            }
        }
        _ => {
            while let Some((i, c)) = chars.next() {
                let next = chars.peek().map(|&(_, n)| n);
                if matches!(c, ',' | ']' | '}' | '#') || (c == ':' && matches!(next, None | Some(' '))) {
                    break;
                }
                end = start + i + c.len_utf8();
            }
            end = start + line[start..end].trim_end().len();
        }
    }
    if end <= start {
        // An empty value or the end of the line: mark one character (or the line's end).
        end = line[start..].chars().next().map_or(start, |c| start + c.len_utf8());
    }
    (start, end)
}

/// Render diagnostics as one JSON array of objects: file, line, column, path, message,
/// severity.
#[must_use]
pub fn render_json(diagnostics: &[Diagnostic]) -> String {
    let items: Vec<serde_json::Value> = diagnostics
        .iter()
        .map(|d| {
            serde_json::json!({
                "file": d.file.display().to_string(),
                "line": d.line,
                "column": d.column,
                "path": d.path,
                "message": d.message,
                "severity": d.severity,
            })
        })
        .collect();
    serde_json::to_string_pretty(&items).unwrap_or_else(|_| "[]".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_cover_the_value() {
        let line = "      assign: { method: weighted, pod: east-sd }";
        let col = line.find("east-sd").unwrap() + 1;
        let (s, e) = value_span(line, col);
        assert_eq!(&line[s..e], "east-sd");
        let (s, e) = value_span("response_sla: \"2 hours\" # x", 15);
        assert_eq!(&"response_sla: \"2 hours\" # x"[s..e], "\"2 hours\"");
        let (s, e) = value_span("respnse_sla: 2h", 1);
        assert_eq!(&"respnse_sla: 2h"[s..e], "respnse_sla");
        assert_eq!(value_span("a:", 3), (2, 2));
        let line = "  region: { a: [1, 2], b: 3 } # c";
        let (s, e) = value_span(line, 11);
        assert_eq!(&line[s..e], "{ a: [1, 2], b: 3 }");
    }

    #[test]
    fn excerpt_puts_a_caret_under_the_value() {
        let source = "id: x\nresponse_sla: 1.5h\n";
        let d = Diagnostic::error("b.yaml", 2, 15, "response_sla", "bad");
        let text = excerpt(&d, source, false).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        let code = lines.iter().find(|l| l.contains("response_sla: 1.5h")).unwrap();
        let caret = lines.iter().find(|l| l.contains('^')).unwrap();
        assert_eq!(caret.find('^'), code.find("1.5h"));
        assert_eq!(caret.matches('^').count(), 4);
    }
}
