//! Diagnostics: one model of a problem found in a file, many renderings.
//!
//! Loading, schema validation, semantic checks, risks and `check` all produce [`Diagnostic`]s
//! (defined in `diag`); the formats (text with an excerpt, JSON, GitHub workflow commands, SARIF)
//! are renderings of the same list, and [`emit`] is the one place that decides what goes to
//! stdout, stderr and the GitHub step summary for each format. Writing the step summary is the
//! command's job (through `output`): [`emit`] returns its text.

use std::collections::BTreeMap;
use std::io::{IsTerminal as _, Write};
use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Rule, Severity};

/// The output formats of diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    /// `FILE:LINE:COL: severity: path: message` with an excerpt and a caret.
    Text,
    /// One JSON array of objects.
    Json,
    /// GitHub Actions workflow commands.
    Github,
    /// SARIF 2.1.0.
    Sarif,
}

impl Format {
    /// The format to use: the one asked for, else `github` when running under GitHub Actions
    /// (`github_actions`, i.e. `GITHUB_ACTIONS=true`), else `text`.
    #[must_use]
    pub(crate) fn resolve(requested: Option<Self>, github_actions: bool) -> Self {
        requested.unwrap_or(if github_actions { Self::Github } else { Self::Text })
    }

    /// [`Format::resolve`] reading `GITHUB_ACTIONS` from the environment.
    #[must_use]
    pub(crate) fn from_env(requested: Option<Self>) -> Self {
        Self::resolve(requested, std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true"))
    }
}

/// The text of the files diagnostics point into, for excerpts.
#[derive(Debug, Clone, Default)]
pub(crate) struct Sources {
    files: BTreeMap<PathBuf, String>,
}

impl Sources {
    /// No sources: text output then has no excerpts.
    #[must_use]
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// Read every file that has a located diagnostic (files over `max_bytes` or unreadable are
    /// skipped: their diagnostics print without an excerpt).
    #[must_use]
    pub(crate) fn read(diagnostics: &[Diagnostic], max_bytes: u64) -> Self {
        let mut sources = Self::new();
        for d in diagnostics {
            if d.line > 0
                && !sources.files.contains_key(&d.file)
                && let Ok(text) = crate::brief::yaml::read_source(&d.file, max_bytes)
            {
                sources.files.insert(d.file.clone(), text);
            }
        }
        sources
    }

    /// The text of a file, if at hand.
    #[must_use]
    pub(crate) fn get(&self, file: &Path) -> Option<&str> {
        self.files.get(file).map(String::as_str)
    }
}

/// Where [`emit`] writes.
pub(crate) struct Sinks<'w> {
    /// The report proper (text, JSON, workflow commands, SARIF).
    pub stdout: &'w mut dyn Write,
    /// The summary line for machine formats, and the full text report under `github`.
    pub stderr: &'w mut dyn Write,
    /// ANSI colours in the text report.
    pub color: bool,
}

/// Print `diagnostics` in `format`, followed by `summary` (a line such as `checked 3 files: all
/// valid`):
///
/// - `text`: the text report and the summary on stdout;
/// - `json`, `sarif`: the document on stdout, the summary on stderr;
/// - `github`: one workflow command per diagnostic on stdout; since GitHub shows only the first
///   ten annotations of each kind per step, also the full text report and the summary on stderr.
///
/// Returns the Markdown table for the GitHub step summary (`GITHUB_STEP_SUMMARY`) under
/// `github`, for the caller to append; `None` for the other formats.
///
/// # Errors
/// A write that fails.
pub(crate) fn emit(
    diagnostics: &[Diagnostic],
    summary: &str,
    format: Format,
    sources: &Sources,
    sinks: &mut Sinks<'_>,
) -> std::io::Result<Option<String>> {
    let source_of = |p: &Path| sources.get(p);
    let mut step_summary = None;
    match format {
        Format::Text => {
            write!(sinks.stdout, "{}", render_text(diagnostics, source_of, sinks.color))?;
            writeln!(sinks.stdout, "{summary}")?;
        }
        Format::Json => {
            writeln!(sinks.stdout, "{}", render_json(diagnostics))?;
            writeln!(sinks.stderr, "{summary}")?;
        }
        Format::Sarif => {
            writeln!(sinks.stdout, "{}", render_sarif(diagnostics))?;
            writeln!(sinks.stderr, "{summary}")?;
        }
        Format::Github => {
            write!(sinks.stdout, "{}", render_github(diagnostics))?;
            write!(sinks.stderr, "{}", render_text(diagnostics, source_of, sinks.color))?;
            writeln!(sinks.stderr, "{summary}")?;
            step_summary = Some(render_markdown_summary(diagnostics, summary));
        }
    }
    sinks.stdout.flush()?;
    sinks.stderr.flush()?;
    Ok(step_summary)
}

/// [`emit`] to the process's stdout and stderr: colours only when the stream the text report
/// goes to is a terminal and `NO_COLOR` is unset or empty. A closed pipe (`| head`) is not an
/// error (and then there is no step summary either).
///
/// # Errors
/// A write that fails for another reason.
pub(crate) fn emit_to_stdio(
    diagnostics: &[Diagnostic],
    summary: &str,
    format: Format,
    sources: &Sources,
) -> std::io::Result<Option<String>> {
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    let text_on_terminal = if format == Format::Github { stderr.is_terminal() } else { stdout.is_terminal() };
    let color = text_on_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let (mut out, mut err) = (stdout.lock(), stderr.lock());
    let mut sinks = Sinks { stdout: &mut out, stderr: &mut err, color };
    match emit(diagnostics, summary, format, sources, &mut sinks) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(None),
        other => other,
    }
}

/// Render diagnostics as text: each as its one-line form followed by an excerpt of the line
/// with a caret under the value (when the source is at hand and the diagnostic has a line).
///
/// `source_of` gives the text of a file; `color` turns on ANSI styles (the caller decides:
/// a terminal and no `NO_COLOR`).
#[must_use]
pub(crate) fn render_text<'s>(
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
pub(crate) fn render_json(diagnostics: &[Diagnostic]) -> String {
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
                "rule": d.rule,
            })
        })
        .collect();
    serde_json::to_string_pretty(&items).unwrap_or_else(|_| "[]".to_owned())
}

/// Render diagnostics as GitHub Actions workflow commands, one a line:
/// `::error file=F,line=L,col=C,title=T::MESSAGE` (or `::warning`). A diagnostic without a
/// position names only the file. Messages escape `%`, CR and LF; properties also `:` and `,`.
#[must_use]
pub(crate) fn render_github(diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let mut props = vec![format!("file={}", escape_property(&d.file.to_string_lossy().replace('\\', "/")))];
        if d.line > 0 {
            props.push(format!("line={}", d.line));
            if d.column > 0 {
                props.push(format!("col={}", d.column));
            }
        }
        let title = if d.path.is_empty() { format!("handoff {}", d.rule) } else { format!("handoff: {}", d.path) };
        props.push(format!("title={}", escape_property(&title)));
        let message = if d.path.is_empty() { d.message.clone() } else { format!("{}: {}", d.path, d.message) };
        out.push_str(&format!("::{} {}::{}\n", d.severity.as_str(), props.join(","), escape_data(&message)));
    }
    out
}

/// Escape the message of a workflow command (GitHub's `escapeData`).
#[must_use]
pub(crate) fn escape_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escape a property of a workflow command (GitHub's `escapeProperty`).
#[must_use]
pub(crate) fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// Most rows of the Markdown step summary; the full list is in the log.
const SUMMARY_ROWS: usize = 200;

/// A Markdown summary for `GITHUB_STEP_SUMMARY`: the summary line and a table of every
/// diagnostic (the first `SUMMARY_ROWS`, 200).
#[must_use]
pub(crate) fn render_markdown_summary(diagnostics: &[Diagnostic], summary: &str) -> String {
    let cell = |s: &str| s.replace('|', "\\|").replace(['\r', '\n'], " ");
    let mut out = format!("### handoff\n\n{}\n\n", cell(summary));
    if diagnostics.is_empty() {
        return out;
    }
    out.push_str("| where | severity | field | message |\n| --- | --- | --- | --- |\n");
    for d in diagnostics.iter().take(SUMMARY_ROWS) {
        out.push_str(&format!(
            "| `{}:{}:{}` | {} | {} | {} |\n",
            cell(&d.file.to_string_lossy()).replace('`', "'"),
            d.line,
            d.column,
            d.severity.as_str(),
            if d.path.is_empty() { String::new() } else { format!("`{}`", cell(&d.path).replace('`', "'")) },
            cell(&d.message)
        ));
    }
    if diagnostics.len() > SUMMARY_ROWS {
        out.push_str(&format!("\n… and {} more in the log.\n", diagnostics.len() - SUMMARY_ROWS));
    }
    out.push('\n');
    out
}

/// Render diagnostics as a SARIF 2.1.0 log with one run: the tool (name, version, the rules
/// that occur) and one result per diagnostic with its rule, level, message and location. A
/// diagnostic without a line has a location without a region.
#[must_use]
pub(crate) fn render_sarif(diagnostics: &[Diagnostic]) -> String {
    use serde_json::{Value, json};

    // The rules that occur, in the order of their ids (as SARIF viewers list them).
    let mut used: Vec<Rule> = diagnostics.iter().map(|d| d.rule).collect();
    used.sort_by_key(|r| r.id());
    used.dedup();
    let rules: Vec<Value> = used.iter().map(|r| sarif_rule(*r)).collect();
    let results: Vec<Value> = diagnostics
        .iter()
        .map(|d| {
            let (uri, base) = sarif_uri(&d.file);
            let mut artifact = json!({ "uri": uri });
            if let Some(base) = base {
                artifact["uriBaseId"] = json!(base);
            }
            let mut physical = json!({ "artifactLocation": artifact });
            if d.line > 0 {
                let mut region = json!({ "startLine": d.line });
                if d.column > 0 {
                    region["startColumn"] = json!(d.column);
                }
                physical["region"] = region;
            }
            let text = if d.path.is_empty() { d.message.clone() } else { format!("{}: {}", d.path, d.message) };
            let mut result = json!({
                "ruleId": d.rule,
                "ruleIndex": used.iter().position(|r| *r == d.rule).unwrap_or(0),
                "level": d.severity.as_str(),
                "message": { "text": text },
                "locations": [ { "physicalLocation": physical } ],
            });
            if !d.path.is_empty() {
                result["locations"][0]["logicalLocations"] =
                    json!([{ "fullyQualifiedName": d.path, "kind": "member" }]);
            }
            result
        })
        .collect();
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "handoff",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "informationUri": crate::diag::README_URL,
                "rules": rules,
            } },
            "columnKind": "unicodeCodePoints",
            "originalUriBaseIds": { "%SRCROOT%": { "description": { "text": "The directory handoff ran in." } } },
            "results": results,
        }],
    });
    serde_json::to_string_pretty(&log).unwrap_or_else(|_| "{}".to_owned())
}

/// A rule's SARIF metadata: its id and name, short and full descriptions, help as text and
/// Markdown, a link into the README, and its default level.
fn sarif_rule(rule: Rule) -> serde_json::Value {
    use crate::diag::RuleDoc;
    let doc = rule.doc();
    // `InvalidInput` for `invalid-input`: SARIF wants a readable name beside the opaque id.
    let name: String = rule
        .id()
        .split('-')
        .map(|part| {
            let mut chars = part.chars();
            chars.next().map(|c| c.to_ascii_uppercase().to_string() + chars.as_str()).unwrap_or_default()
        })
        .collect();
    serde_json::json!({
        "id": rule.id(),
        "name": name,
        "shortDescription": { "text": RuleDoc::plain(doc.short), "markdown": doc.short },
        "fullDescription": { "text": RuleDoc::plain(doc.full), "markdown": doc.full },
        "help": {
            "text": format!("{} {} See {}", RuleDoc::plain(doc.full), RuleDoc::plain(doc.help), rule.help_uri()),
            "markdown": format!("{}\n\n**How to fix it.** {}\n\n[More in the README]({})", doc.full, doc.help, rule.help_uri()),
        },
        "helpUri": rule.help_uri(),
        "defaultConfiguration": { "level": rule.severity().as_str() },
    })
}

/// A file as a SARIF URI: a relative reference (against `%SRCROOT%`) with forward slashes, or a
/// `file://` URI for an absolute path; characters outside the URI's unreserved set and `/` are
/// percent-encoded.
fn sarif_uri(file: &Path) -> (String, Option<&'static str>) {
    let text = file.to_string_lossy().replace('\\', "/");
    let text = text.strip_prefix("./").unwrap_or(&text);
    let mut encoded = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            encoded.push(char::from(b));
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    if file.is_absolute() {
        let lead = if encoded.starts_with('/') { "" } else { "/" };
        (format!("file://{lead}{encoded}"), None)
    } else {
        (encoded, Some("%SRCROOT%"))
    }
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
        let text = excerpt_line(&d, source.lines().nth(1).unwrap(), false);
        let lines: Vec<&str> = text.lines().collect();
        let code = lines.iter().find(|l| l.contains("response_sla: 1.5h")).unwrap();
        let caret = lines.iter().find(|l| l.contains('^')).unwrap();
        assert_eq!(caret.find('^'), code.find("1.5h"));
        assert_eq!(caret.matches('^').count(), 4);
    }

    fn samples() -> Vec<Diagnostic> {
        vec![
            Diagnostic::error("briefs/a b.yaml", 3, 10, "segment", "`x` is not one of: `smb`, 100%\nnext"),
            Diagnostic::error("briefs/gone.yaml", 0, 0, "", "cannot read the file: no such file"),
            Diagnostic::warning("briefs/c.yaml", 7, 3, "capacity.pods[0]", "high sla risk: short", Rule::RiskSla),
        ]
    }

    #[test]
    fn github_escapes_data_and_properties() {
        // GitHub's toolkit (`@actions/core` command.ts): escapeData encodes % CR LF; escapeProperty
        // also : and ,.
        assert_eq!(escape_data("100% done\r\nnext: a,b"), "100%25 done%0D%0Anext: a,b");
        assert_eq!(escape_property("100% done\r\nnext: a,b"), "100%25 done%0D%0Anext%3A a%2Cb");
        let text = render_github(&samples());
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines,
            [
                "::error file=briefs/a b.yaml,line=3,col=10,title=handoff%3A segment::segment: `x` is not one of: `smb`, 100%25%0Anext",
                "::error file=briefs/gone.yaml,title=handoff invalid-input::cannot read the file: no such file",
                "::warning file=briefs/c.yaml,line=7,col=3,title=handoff%3A capacity.pods[0]::capacity.pods[0]: high sla risk: short",
            ]
        );
    }

    #[test]
    fn sarif_locates_results_and_leaves_out_missing_positions() {
        let log: serde_json::Value = serde_json::from_str(&render_sarif(&samples())).unwrap();
        assert_eq!(log["version"], "2.1.0");
        let run = &log["runs"][0];
        let rules: Vec<&str> =
            run["tool"]["driver"]["rules"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).collect();
        assert_eq!(rules, ["invalid-input", "risk-sla"]);
        let results = run["results"].as_array().unwrap();
        assert_eq!(results.len(), 3);
        let loc = &results[0]["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], "briefs/a%20b.yaml");
        assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        assert_eq!((loc["region"]["startLine"].as_u64(), loc["region"]["startColumn"].as_u64()), (Some(3), Some(10)));
        // No position: a location without a region (a region needs startLine >= 1).
        assert!(results[1]["locations"][0]["physicalLocation"].get("region").is_none());
        assert_eq!(results[2]["level"], "warning");
        assert_eq!(results[2]["ruleId"], "risk-sla");
        assert_eq!(results[2]["ruleIndex"], 1);
        assert_eq!(sarif_uri(Path::new("/tmp/x y.yaml")).0, "file:///tmp/x%20y.yaml");
    }

    #[test]
    fn every_format_renders_a_diagnostic_without_a_position() {
        let d = vec![Diagnostic::error("gone.yaml", 0, 0, "", "no such file or directory")];
        let sources = Sources::new();
        for format in [Format::Text, Format::Json, Format::Github, Format::Sarif] {
            let (mut out, mut err) = (Vec::new(), Vec::new());
            let mut sinks = Sinks { stdout: &mut out, stderr: &mut err, color: false };
            let step_summary = emit(&d, "checked 1 file", format, &sources, &mut sinks).unwrap();
            assert_eq!(step_summary.is_some(), format == Format::Github);
            let out = String::from_utf8(out).unwrap();
            assert!(out.contains("no such file or directory"), "{format:?}: {out}");
            if matches!(format, Format::Json | Format::Sarif) {
                serde_json::from_str::<serde_json::Value>(&out).unwrap();
                assert_eq!(String::from_utf8(err).unwrap(), "checked 1 file\n");
            }
        }
    }

    #[test]
    fn github_returns_a_markdown_summary_and_prints_the_text_report_to_stderr() {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let mut sources = Sources::new();
        sources.files.insert("briefs/a b.yaml".into(), "id: x\nx: 1\nsegment: small | big\n".into());
        let mut sinks = Sinks { stdout: &mut out, stderr: &mut err, color: false };
        let md = emit(&samples(), "checked 3 files: 2 invalid", Format::Github, &sources, &mut sinks).unwrap();
        let err = String::from_utf8(err).unwrap();
        assert!(err.starts_with("briefs/a b.yaml:3:10: error: segment:"), "{err}");
        assert!(err.contains("segment: small | big"), "the excerpt: {err}");
        let md = md.unwrap();
        assert!(md.starts_with("### handoff\n\nchecked 3 files: 2 invalid\n"), "{md}");
        assert!(md.contains("| `briefs/c.yaml:7:3` | warning | `capacity.pods[0]` | high sla risk: short |"), "{md}");
        assert_eq!(md.matches("\n| `").count(), 3);
    }

    #[test]
    fn github_is_the_default_under_github_actions() {
        assert_eq!(Format::resolve(None, false), Format::Text);
        assert_eq!(Format::resolve(None, true), Format::Github);
        assert_eq!(Format::resolve(Some(Format::Json), true), Format::Json);
    }
}
