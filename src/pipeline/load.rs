//! The `load` step: a brief file in, a brief that passed every check out, or every problem
//! found, each at its line and column.
//!
//! The steps run in order: read under the size limit and parse the YAML with positions
//! (`brief::yaml`), check the schema (`schema`), deserialise the typed brief (serde), run the
//! semantic checks (`validate`). Loading itself knows none of the checks; this is the one place
//! that runs them all and places their problems in the file. A failing routing test comes back
//! from validation as data and is worded here, from [`render::words`].

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde::Deserialize as _;
use serde_json::Value;

use crate::brief::Brief;
use crate::brief::yaml::{self, Positions};
use crate::diag::{Diagnostic, Problem, escape_pointer};
use crate::render::words;
use crate::validate::Refusal;
use crate::{schema, validate};

/// A brief that loaded, passed the schema and the semantic checks.
#[derive(Debug, Clone)]
pub struct LoadedBrief {
    /// The file, as given.
    pub path: PathBuf,
    /// The text of the file (without a byte-order mark).
    pub source: String,
    /// The brief as JSON, as written (no defaults filled in).
    pub value: Value,
    /// The typed brief, as written.
    pub brief: Brief,
    /// The brief as validation checked it: typed values, calendars, compiled routing.
    pub checked: crate::checked::Brief,
    /// Source positions by JSON pointer.
    pub positions: Positions,
}

impl LoadedBrief {
    /// Line and column of the value at `pointer` (nearest existing ancestor when the pointer
    /// has no node, e.g. a defaulted field).
    #[must_use]
    pub fn locate(&self, pointer: &str) -> (usize, usize) {
        self.positions.locate(pointer)
    }
}

/// Read, parse, schema-check, deserialise and semantically check a brief, reporting every
/// problem found.
///
/// # Errors
/// Every problem, each with file, line, column and field path: the file could not be read or
/// is over `max_bytes`; it is not UTF-8 or not valid YAML; it breaks the schema; or it fails a
/// semantic check.
pub fn load(path: &Path, max_bytes: u64) -> Result<LoadedBrief, Vec<Diagnostic>> {
    let source = yaml::read_source(path, max_bytes)?;
    load_text(path, source)
}

/// As [`load`], for text already read (for example from stdin); `path` names it in
/// diagnostics.
///
/// # Errors
/// Every problem found, as for [`load`].
pub fn load_text(path: &Path, source: String) -> Result<LoadedBrief, Vec<Diagnostic>> {
    let (value, positions) = yaml::load_yaml_value(path, &source)?;
    let schema_problems = schema::validate_brief_value(&value);
    let mut problems: Vec<Problem> = Vec::new();
    let mut checked = None;
    // From a borrow of the value: no copy of the tree (it is kept as written for the plan).
    let brief = match Brief::deserialize(&value) {
        Ok(brief) => {
            let semantic = match validate::check(&brief) {
                Ok(c) => {
                    checked = Some(c);
                    Vec::new()
                }
                Err(Refusal::Problems(problems)) => problems,
                // Routing tests run on values the schema may have refused (a `max_open` of 0
                // sends every lead elsewhere): say the cause, not its consequence.
                Err(Refusal::FailedTests(_)) if !schema_problems.is_empty() => Vec::new(),
                Err(Refusal::FailedTests(failed)) => failed
                    .iter()
                    .map(|t| Problem::at(format!("/routing/tests/{}", t.index), words::routing_test_failure(t)))
                    .collect(),
            };
            // A hand-written semantic message is more specific than the schema's at the same place.
            let semantic_places: BTreeSet<&str> = semantic.iter().map(|p| p.pointer.as_str()).collect();
            problems.extend(schema_problems.into_iter().filter(|p| !semantic_places.contains(p.pointer.as_str())));
            problems.extend(semantic);
            Some(brief)
        }
        Err(err) => {
            problems.extend(schema_problems);
            if problems.is_empty() {
                problems = type_problems(&value, &err);
            }
            None
        }
    };
    match (brief, checked) {
        (Some(brief), Some(checked)) if problems.is_empty() => {
            Ok(LoadedBrief { path: path.to_path_buf(), source, value, brief, checked, positions })
        }
        (Some(_), None) if problems.is_empty() => {
            // Validation refused a value only the schema bounds, and the schema let it through:
            // a bug, but still the user's answer.
            problems.push(Problem::at("", "the brief breaks a bound of its schema"));
            Err(positions.diagnostics(path, problems))
        }
        _ => Err(positions.diagnostics(path, problems)),
    }
}

/// Why a brief that satisfies the schema still does not deserialise.
fn type_problems(value: &Value, err: &serde_json::Error) -> Vec<Problem> {
    // JSON Schema counts `3.0` as an integer; serde does not take it for a count.
    let floats = whole_floats_that_matter(value);
    if floats.is_empty() {
        // The schema and the types disagree: a bug, but still the user's answer.
        return vec![Problem::at("", format!("the brief does not fit its type: {err}"))];
    }
    floats
        .into_iter()
        .map(|(pointer, shown)| {
            Problem::at(
                pointer,
                format!("expected a whole number, found `{shown}`; write it without the decimal point"),
            )
        })
        .collect()
}

/// Pointers of the floats with no fractional part (`3.0`) that stop the brief deserialising,
/// with the number as shown; empty when turning them into integers would not help.
fn whole_floats_that_matter(value: &Value) -> Vec<(String, String)> {
    fn collect(v: &Value, at: &mut String, out: &mut Vec<String>) {
        match v {
            Value::Number(n)
                if !n.is_i64() && !n.is_u64() && n.as_f64().is_some_and(|f| f.fract() == 0.0 && f.abs() < 9.0e15) =>
            {
                out.push(at.clone());
            }
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    let len = at.len();
                    at.push_str(&format!("/{i}"));
                    collect(item, at, out);
                    at.truncate(len);
                }
            }
            Value::Object(map) => {
                for (k, item) in map {
                    let len = at.len();
                    at.push('/');
                    at.push_str(&escape_pointer(k));
                    collect(item, at, out);
                    at.truncate(len);
                }
            }
            _ => {}
        }
    }
    fn with_integers(value: &Value, pointers: &[&String]) -> Value {
        let mut v = value.clone();
        for p in pointers {
            if let Some(slot) = v.pointer_mut(p)
                && let Some(f) = slot.as_f64()
            {
                // Whole and below 2^53 by construction, so the cast is exact.
                #[allow(clippy::cast_possible_truncation)]
                let whole = f as i64;
                *slot = Value::from(whole);
            }
        }
        v
    }
    let mut candidates = Vec::new();
    collect(value, &mut String::new(), &mut candidates);
    if candidates.is_empty() || candidates.len() > 200 {
        return Vec::new();
    }
    let all: Vec<&String> = candidates.iter().collect();
    if serde_json::from_value::<Brief>(with_integers(value, &all)).is_err() {
        return Vec::new();
    }
    candidates
        .iter()
        .filter(|c| {
            let others: Vec<&String> = candidates.iter().filter(|o| o != c).collect();
            serde_json::from_value::<Brief>(with_integers(value, &others)).is_err()
        })
        .map(|c| (c.clone(), value.pointer(c).map_or_else(String::new, ToString::to_string)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]
        /// Mangled briefs never panic, and every diagnostic has a position inside the file.
        #[test]
        fn mangled_briefs_give_located_errors_not_panics(
            cut in 0usize..6000,
            len in 0usize..40,
            insert in "[ \t\n:{}\\[\\],&*!|>'\"#a-z0-9.-]{0,12}",
        ) {
            let original = include_str!("../../briefs/enterprise-pipeline.yaml");
            let mut text = original.to_owned();
            let start = text.char_indices().map(|(i, _)| i).find(|&i| i >= cut.min(text.len())).unwrap_or(text.len());
            let end = text.char_indices().map(|(i, _)| i).find(|&i| i >= start + len).unwrap_or(text.len());
            text.replace_range(start..end, &insert);
            let lines = text.lines().count().max(1);
            if let Err(diags) = load_text(Path::new("m.yaml"), text.clone()) {
                proptest::prop_assert!(!diags.is_empty());
                for d in &diags {
                    proptest::prop_assert!(d.line >= 1 && d.line <= lines + 1, "{d:?} in {lines} lines");
                    proptest::prop_assert!(d.column >= 1);
                }
            }
        }
    }

    #[test]
    fn a_failing_routing_test_is_worded_at_the_test() {
        let text = include_str!("../../tests/fixtures/route/small.yaml")
            .replace("{ name: Sam, max_open: 2 }", "{ name: Sam, max_open: 2, available: false }")
            .replace("rep: Kim Cho }", "rep: Kim Cho }\n    - { name: nobody home, lead: { region: us-west }, expect: { rule: west, pod: west } }");
        let Err(diags) = load_text(Path::new("t.yaml"), text) else { panic!("a failing routing test loaded") };
        let messages: Vec<(&str, &str)> = diags.iter().map(|d| (d.path.as_str(), d.message.as_str())).collect();
        assert_eq!(
            messages,
            [(
                "routing.tests[2]",
                "routing test `nobody home` expected rule `west`, pod `west` but reached nothing: unrouted (no rule \
                 matched; routing fallback: every rep of `smb` is unavailable or at max_open; unrouted)"
            )]
        );
    }

    #[test]
    fn a_whole_float_count_gets_a_hint() {
        let text = include_str!("../../briefs/enterprise-pipeline.yaml").replacen("reps: 3\n", "reps: 3.0\n", 1);
        let Err(diags) = load_text(Path::new("f.yaml"), text) else { panic!("a float count loaded") };
        assert!(diags.iter().any(|d| d.message.contains("without the decimal point")), "{diags:?}");
    }
}
