//! The JSON Schemas of the brief and the plan, embedded in the binary, and validation against
//! them with messages a person understands.
//!
//! All `jsonschema`-specific code lives here: the crate ships breaking minor releases often, so
//! the rest of `handoff` sees only `Problem`s (a JSON pointer and a plain message). Each
//! schema is compiled once per process. Every error is collected (`iter_errors`), and each is
//! rewritten: an unknown key suggests the nearest valid one, an enum lists its values, a
//! duration shows examples, a type error says what was expected and what was found.

use std::sync::OnceLock;

use jsonschema::error::ValidationErrorKind;
use jsonschema::{ValidationError, Validator};
use serde_json::Value;

use crate::diag::{Problem, escape_pointer};

/// The brief schema as committed in `schemas/brief.schema.json`.
pub const BRIEF_SCHEMA: &str = include_str!("../schemas/brief.schema.json");

/// The plan schema as committed in `schemas/plan.schema.json`.
pub const PLAN_SCHEMA: &str = include_str!("../schemas/plan.schema.json");

struct Compiled {
    schema: Value,
    validator: Validator,
}

fn compile(text: &str) -> Result<Compiled, String> {
    let schema: Value = serde_json::from_str(text).map_err(|e| format!("the embedded schema is not JSON: {e}"))?;
    let validator =
        jsonschema::draft202012::new(&schema).map_err(|e| format!("the embedded schema does not compile: {e}"))?;
    Ok(Compiled { schema, validator })
}

fn brief_compiled() -> &'static Result<Compiled, String> {
    static CELL: OnceLock<Result<Compiled, String>> = OnceLock::new();
    CELL.get_or_init(|| compile(BRIEF_SCHEMA))
}

fn plan_compiled() -> &'static Result<Compiled, String> {
    static CELL: OnceLock<Result<Compiled, String>> = OnceLock::new();
    CELL.get_or_init(|| compile(PLAN_SCHEMA))
}

/// Validate a brief (already converted from YAML) against the brief schema; every error.
#[must_use]
pub fn validate_brief_value(value: &Value) -> Vec<Problem> {
    validate_with(brief_compiled(), value)
}

/// Validate a plan against the plan schema; every error.
#[must_use]
pub fn validate_plan_value(value: &Value) -> Vec<Problem> {
    validate_with(plan_compiled(), value)
}

fn validate_with(compiled: &Result<Compiled, String>, value: &Value) -> Vec<Problem> {
    let compiled = match compiled {
        Ok(c) => c,
        Err(e) => return vec![Problem::at("", e.clone())],
    };
    // Most documents are valid: the yes-or-no check collects no error values.
    if compiled.validator.is_valid(value) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for error in compiled.validator.iter_errors(value) {
        explain(&compiled.schema, &error, &mut out);
    }
    // A misspelt key already says which key it should be: no separate "missing" message.
    let suggested: Vec<(String, String)> = out
        .iter()
        .filter(|e| e.at_key)
        .filter_map(|e| {
            let parent = e.pointer.rfind('/').map_or("", |i| &e.pointer[..i]);
            let name = e.message.split("did you mean `").nth(1)?.split('`').next()?;
            Some((parent.to_owned(), format!("missing required key `{name}`")))
        })
        .collect();
    out.retain(|e| !suggested.iter().any(|(p, m)| *p == e.pointer && *m == e.message));
    // One message per place and text: anyOf branches can report the same problem twice.
    let mut seen = std::collections::BTreeSet::new();
    out.retain(|e| seen.insert((e.pointer.clone(), e.message.clone())));
    out
}

/// The schema node holding the keyword that failed (the error's schema path minus the keyword).
fn schema_node<'s>(schema: &'s Value, error: &ValidationError<'_>) -> Option<&'s Value> {
    let path = error.schema_path().as_str();
    let parent = match path.rfind('/') {
        Some(i) => &path[..i],
        None => "",
    };
    resolve_refs(schema, schema.pointer(parent)?)
}

/// Follow a local `$ref` (`#/$defs/x`) when the node is only a reference.
fn resolve_refs<'s>(schema: &'s Value, mut node: &'s Value) -> Option<&'s Value> {
    for _ in 0..8 {
        match node.get("$ref").and_then(Value::as_str) {
            Some(r) if node.get("type").is_none() && node.get("properties").is_none() => {
                node = schema.pointer(r.strip_prefix('#')?)?;
            }
            _ => return Some(node),
        }
    }
    Some(node)
}

fn explain(schema: &Value, error: &ValidationError<'_>, out: &mut Vec<Problem>) {
    let pointer = error.instance_path().as_str().to_owned();
    let instance: &Value = error.instance();
    let node = schema_node(schema, error);
    let push = |out: &mut Vec<Problem>, message: String| {
        out.push(Problem::at(pointer.clone(), message));
    };
    match error.kind() {
        ValidationErrorKind::AdditionalProperties { unexpected }
        | ValidationErrorKind::UnevaluatedProperties { unexpected } => {
            let known: Vec<&str> = node
                .and_then(|n| n.get("properties"))
                .and_then(Value::as_object)
                .map(|p| p.keys().map(String::as_str).collect())
                .unwrap_or_default();
            for key in unexpected {
                out.push(Problem::at_key(
                    format!("{pointer}/{}", escape_pointer(key)),
                    unknown_key_message(key, &known),
                ));
            }
        }
        ValidationErrorKind::Required { property } => {
            let name = property.as_str().map_or_else(|| property.to_string(), str::to_owned);
            push(out, format!("missing required key `{name}`"));
        }
        ValidationErrorKind::Enum { options } => {
            let allowed: Vec<String> =
                options.as_array().map(|a| a.iter().map(show_plain).collect()).unwrap_or_default();
            let found = show_plain(instance);
            let mut message = match instance {
                Value::String(_) | Value::Number(_) | Value::Bool(_) => {
                    format!("`{found}` is not one of the allowed values: {}", list(&allowed))
                }
                _ => format!("expected one of {}, found {}", list(&allowed), found_value(instance)),
            };
            if instance.is_string() {
                let refs: Vec<&str> = allowed.iter().map(String::as_str).collect();
                if let Some(best) = nearest(&found, &refs) {
                    message = format!("{message}; did you mean `{best}`?");
                }
            }
            push(out, message);
        }
        ValidationErrorKind::Constant { expected_value } => {
            push(out, format!("expected `{}`, found {}", show_plain(expected_value), found_value(instance)));
        }
        ValidationErrorKind::Pattern { pattern } => push(out, pattern_message(pattern, instance)),
        ValidationErrorKind::Type { .. } => {
            let expected = node.map(expected_types).unwrap_or_default();
            push(out, type_message(&expected, instance));
        }
        ValidationErrorKind::Minimum { limit } => {
            push(out, format!("must be at least {limit}, found {}", show_plain(instance)));
        }
        ValidationErrorKind::Maximum { limit } => {
            push(out, format!("must be at most {limit}, found {}", show_plain(instance)));
        }
        ValidationErrorKind::ExclusiveMinimum { limit } => {
            push(out, format!("must be more than {limit}, found {}", show_plain(instance)));
        }
        ValidationErrorKind::ExclusiveMaximum { limit } => {
            push(out, format!("must be less than {limit}, found {}", show_plain(instance)));
        }
        ValidationErrorKind::MinItems { limit } => {
            let noun = if *limit == 1 { "item" } else { "items" };
            push(out, format!("needs at least {limit} {noun}, found {}", instance.as_array().map_or(0, Vec::len)));
        }
        ValidationErrorKind::MaxItems { limit } => push(out, format!("takes at most {limit} items")),
        ValidationErrorKind::MinLength { limit } => {
            if *limit == 1 {
                push(out, "must not be empty".to_owned());
            } else {
                push(out, format!("must be at least {limit} characters long"));
            }
        }
        ValidationErrorKind::MaxLength { limit } => push(out, format!("must be at most {limit} characters long")),
        ValidationErrorKind::UniqueItems => push(out, "lists the same value more than once".to_owned()),
        ValidationErrorKind::OneOfNotValid { context } | ValidationErrorKind::AnyOf { context } => {
            if let Some(keys) = node.and_then(|n| required_alternatives(n, error.kind())) {
                push(out, format!("give one of {}", list_or(&keys)));
                return;
            }
            // Keep the branches whose type matched: their errors are the real ones.
            let matching: Vec<&Vec<ValidationError<'static>>> = context
                .iter()
                .filter(|branch| {
                    !branch.iter().any(|e| {
                        matches!(e.kind(), ValidationErrorKind::Type { .. }) && e.instance_path().as_str() == pointer
                    })
                })
                .collect();
            if let [branch] = matching.as_slice() {
                for inner in *branch {
                    explain(schema, inner, out);
                }
            } else {
                let expected = node.map(alternative_types).unwrap_or_default();
                push(out, type_message(&expected, instance));
            }
        }
        ValidationErrorKind::OneOfMultipleValid { .. } => {
            if let Some(keys) = node.and_then(|n| required_alternatives(n, error.kind())) {
                push(out, format!("give only one of {}", list_or(&keys)));
            } else {
                push(out, "matches more than one of the allowed shapes".to_owned());
            }
        }
        _ => push(out, error.to_string()),
    }
}

/// For `oneOf`/`anyOf` whose branches only require a key each (`demand`), the keys.
fn required_alternatives(node: &Value, kind: &ValidationErrorKind) -> Option<Vec<String>> {
    let keyword = match kind {
        ValidationErrorKind::AnyOf { .. } => "anyOf",
        _ => "oneOf",
    };
    let branches = node.get(keyword)?.as_array()?;
    let mut keys = Vec::new();
    for branch in branches {
        let obj = branch.as_object()?;
        if obj.len() != 1 {
            return None;
        }
        let [key] = obj.get("required")?.as_array()?.as_slice() else { return None };
        keys.push(key.as_str()?.to_owned());
    }
    Some(keys)
}

fn expected_types(node: &Value) -> Vec<String> {
    match node.get("type") {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).map(str::to_owned).collect(),
        _ => Vec::new(),
    }
}

fn alternative_types(node: &Value) -> Vec<String> {
    let mut types = Vec::new();
    for keyword in ["anyOf", "oneOf"] {
        for branch in node.get(keyword).and_then(Value::as_array).into_iter().flatten() {
            for t in expected_types(branch) {
                if !types.contains(&t) {
                    types.push(t);
                }
            }
        }
    }
    types
}

fn type_name(t: &str) -> &'static str {
    match t {
        "string" => "text",
        "number" => "a number",
        "integer" => "a whole number",
        "boolean" => "true or false",
        "array" => "a list",
        "object" => "a mapping (`key: value` lines)",
        "null" => "nothing",
        _ => "a value of another kind",
    }
}

fn type_message(expected: &[String], instance: &Value) -> String {
    let names: Vec<&str> = expected.iter().map(|t| type_name(t)).collect();
    let expected = match names.as_slice() {
        [] => "a value of another kind".to_owned(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    };
    format!("expected {expected}, found {}", found_value(instance))
}

/// How a found value is described: ``text `abc` ``, ``number `1.5` ``, `a list` …
fn found_value(instance: &Value) -> String {
    match instance {
        Value::Null => "nothing".to_owned(),
        Value::Bool(b) => format!("`{b}`"),
        Value::Number(n) => format!("number `{n}`"),
        Value::String(s) => format!("text `{}`", shorten(s)),
        Value::Array(_) => "a list".to_owned(),
        Value::Object(_) => "a mapping".to_owned(),
    }
}

/// A value as it would be written in YAML, without quotes.
fn show_plain(v: &Value) -> String {
    match v {
        Value::String(s) => shorten(s),
        Value::Null => "null".to_owned(),
        other => shorten(&other.to_string()),
    }
}

/// A value short enough for a one-line message, with control characters (NUL, escapes, line
/// breaks) shown escaped so a message can never move the cursor or hide text in a terminal.
fn shorten(s: &str) -> String {
    const MAX: usize = 60;
    let visible = |c: char| -> String { if c.is_control() { c.escape_default().to_string() } else { c.to_string() } };
    let mut out: String = s.chars().take(MAX).map(visible).collect();
    if s.chars().count() > MAX {
        out.push('…');
    }
    out
}

fn list(items: &[String]) -> String {
    items.iter().map(|i| format!("`{i}`")).collect::<Vec<_>>().join(", ")
}

fn list_or(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => format!("`{one}`"),
        [init @ .., last] => format!("{} or `{last}`", list(init)),
    }
}

fn pattern_message(pattern: &str, instance: &Value) -> String {
    let found = instance.as_str().map_or_else(|| instance.to_string(), shorten);
    if pattern.contains("[0-9]+d") {
        // The same words as the duration parser, whichever check catches it first.
        crate::calc::duration::DurationError::bad_shape(found).to_string()
    } else if pattern.starts_with("^[a-z0-9][a-z0-9-]") {
        format!(
            "`{found}` is not a valid id: use lowercase letters, digits and hyphens, starting with a letter or digit, at most 63 characters (such as `east-sdr`)"
        )
    } else if pattern.contains("{4}-") {
        format!("`{found}` is not a date: write `YYYY-MM-DD`, such as `2027-02-01`")
    } else if pattern.contains("[01][0-9]") {
        format!("`{found}` is not a time: write `HH:MM` on the 24-hour clock, such as `08:30` or `17:30`")
    } else if pattern.contains("mailto") {
        format!("`{found}` is not an allowed link: use an `http://`, `https://` or `mailto:` address")
    } else {
        format!("`{found}` does not match the pattern `{pattern}`")
    }
}

/// "unknown key `respnse_sla`; did you mean `response_sla`?", or the list of valid keys.
#[must_use]
pub fn unknown_key_message(key: &str, known: &[&str]) -> String {
    let key_shown = shorten(key);
    match nearest(key, known) {
        Some(best) => format!("unknown key `{key_shown}`; did you mean `{best}`?"),
        None if known.is_empty() => format!("unknown key `{key_shown}`"),
        None => {
            let mut sorted: Vec<String> = known.iter().map(|k| (*k).to_owned()).collect();
            sorted.sort();
            format!("unknown key `{key_shown}`; expected one of {}", list(&sorted))
        }
    }
}

/// The closest candidate by edit distance, when it is close enough to be a likely typo.
#[must_use]
pub fn nearest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let lower = word.to_lowercase();
    let mut best: Option<(usize, &str)> = None;
    for &candidate in candidates {
        let distance = strsim::damerau_levenshtein(&lower, &candidate.to_lowercase());
        if best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    let (distance, candidate) = best?;
    // A third of the length (at least 1, at most 3) reads as a typo; more is a different word.
    let allowed = (candidate.chars().count() / 3).clamp(1, 3);
    (distance <= allowed).then_some(candidate)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Every pattern- or enum-constrained field of the brief schema, with its message keys.
    fn constrained(node: &Value, out: &mut Vec<(String, Value)>) {
        match node {
            Value::Object(map) => {
                if map.contains_key("pattern") || map.contains_key("enum") {
                    out.push((node.to_string(), node.clone()));
                }
                map.values().for_each(|v| constrained(v, out));
            }
            Value::Array(items) => items.iter().for_each(|v| constrained(v, out)),
            _ => {}
        }
    }

    #[test]
    fn the_editor_says_what_the_cli_says() {
        // yaml-language-server and VS Code show `patternErrorMessage` / `errorMessage` instead of
        // "String does not match the pattern of …": the same explanation the CLI gives after
        // naming the value (`soon` is not a duration: …).
        let schema: Value = serde_json::from_str(BRIEF_SCHEMA).unwrap();
        let mut fields = Vec::new();
        constrained(&schema, &mut fields);
        assert!(fields.len() >= 17, "{} constrained fields", fields.len());
        for (shown, field) in fields {
            if let Some(pattern) = field["pattern"].as_str() {
                let cli = pattern_message(pattern, &json!("soon"));
                let (_, why) = cli.split_once(" is not ").unwrap_or_else(|| panic!("CLI message {cli:?}"));
                let editor =
                    field["patternErrorMessage"].as_str().unwrap_or_else(|| panic!("no patternErrorMessage: {shown}"));
                assert_eq!(editor, format!("Not {why}"), "{shown}");
            }
            if let Some(values) = field["enum"].as_array() {
                let allowed: Vec<String> = values.iter().map(show_plain).collect();
                let editor = field["errorMessage"].as_str().unwrap_or_else(|| panic!("no errorMessage: {shown}"));
                assert_eq!(editor, format!("Not one of the allowed values: {}", list(&allowed)), "{shown}");
            }
            if let Some(text) = field["description"].as_str().filter(|d| d.contains('`')) {
                assert_eq!(field["markdownDescription"].as_str(), Some(text), "{shown}");
            }
        }
    }

    #[test]
    fn both_embedded_schemas_compile() {
        assert!(brief_compiled().is_ok(), "{:?}", brief_compiled().as_ref().err());
        assert!(plan_compiled().is_ok());
    }

    /// The schema's `default`s are the serde defaults of the `src/brief/` types, so editors show
    /// what `handoff` will actually use.
    #[test]
    fn schema_defaults_match_the_brief_types() {
        use crate::brief::{Escalation, Guardrails, RipCord, SuccessMetrics, default_approvers, default_ladder};
        let schema: Value = serde_json::from_str(BRIEF_SCHEMA).unwrap();
        let props = &schema["properties"];
        fn json<T: serde::Serialize>(v: T) -> Value {
            serde_json::to_value(v).unwrap()
        }
        assert_eq!(props["escalation"]["properties"]["ladder"]["default"], json(default_ladder()));
        assert_eq!(props["escalation"]["properties"]["rip_cord"]["default"], json(RipCord::default()));
        let rip = &props["escalation"]["properties"]["rip_cord"]["properties"];
        assert_eq!(rip["breaches"]["default"], json(RipCord::default().breaches));
        assert_eq!(rip["window"]["default"], json(RipCord::default().window));
        assert_eq!(rip["notify"]["default"], json(RipCord::default().notify));
        assert_eq!(props["guardrails"]["default"], json(Guardrails::default()));
        let g = &props["guardrails"]["properties"];
        assert_eq!(g["retry_limit"]["default"], json(Guardrails::default().retry_limit));
        assert_eq!(g["max_fallback_share"]["default"], json(Guardrails::default().max_fallback_share));
        assert_eq!(props["success_metrics"]["default"], json(SuccessMetrics::default()));
        for (k, v) in json(SuccessMetrics::default()).as_object().unwrap() {
            assert_eq!(&props["success_metrics"]["properties"][k]["default"], v, "{k}");
        }
        assert_eq!(props["approvers"]["default"], json(default_approvers()));
        assert_eq!(props["sla_clock"]["default"], json(crate::brief::SlaClock::default()));
        // An escalation given as `{}` gets the same defaults the schema announces.
        let e: Escalation = serde_json::from_value(serde_json::json!({})).unwrap();
        assert_eq!(e, Escalation::default());
    }

    /// Every enum in the schema lists exactly the serde names of the matching Rust enum.
    #[test]
    fn schema_enums_match_the_brief_types() {
        use crate::brief::*;
        fn names<T: serde::Serialize>(values: &[T]) -> Value {
            Value::Array(values.iter().map(|v| serde_json::to_value(v).unwrap()).collect())
        }
        let schema: Value = serde_json::from_str(BRIEF_SCHEMA).unwrap();
        let p = &schema["properties"];
        let d = &schema["$defs"];
        use Segment as S;
        assert_eq!(p["segment"]["enum"], names(&[S::Enterprise, S::MidMarket, S::Smb, S::Partner]));
        use Goal as G;
        assert_eq!(p["goal"]["enum"], names(&[G::Pipeline, G::Expansion, G::ProductActivation, G::Abm]));
        assert_eq!(p["sla_clock"]["enum"], names(&[SlaClock::Business, SlaClock::Calendar]));
        use Day::*;
        assert_eq!(
            d["business_hours"]["properties"]["days"]["items"]["enum"],
            names(&[Mon, Tue, Wed, Thu, Fri, Sat, Sun])
        );
        use BandAction as B;
        assert_eq!(
            p["funnel"]["properties"]["score_bands"]["items"]["properties"]["action"]["enum"],
            names(&[B::RouteToAe, B::SdrFollowUp, B::Nurture, B::Recycle, B::Disqualify])
        );
        use Role as R;
        assert_eq!(
            d["pod"]["properties"]["role"]["enum"],
            names(&[R::Sdr, R::Bdr, R::Ae, R::Am, R::PartnerManager, R::Csm])
        );
        use Method as M;
        assert_eq!(
            d["assign"]["properties"]["method"]["enum"],
            names(&[M::AccountOwner, M::RoundRobin, M::Weighted, M::Pod, M::Territory])
        );
        use StepAction as A;
        assert_eq!(
            p["escalation"]["properties"]["ladder"]["items"]["properties"]["action"]["enum"],
            names(&[A::Remind, A::Reassign, A::Escalate, A::Notify])
        );
        use DependencyKind as K;
        assert_eq!(
            p["dependencies"]["items"]["properties"]["kind"]["enum"],
            names(&[
                K::Scoring,
                K::Integration,
                K::Sequence,
                K::TalkTrack,
                K::Enrichment,
                K::Dashboard,
                K::Automation,
                K::Other
            ])
        );
        use Status as St;
        assert_eq!(
            p["dependencies"]["items"]["properties"]["status"]["enum"],
            names(&[St::NotStarted, St::InProgress, St::Blocked, St::Ready])
        );
        use AssetKind as AK;
        assert_eq!(
            p["enablement"]["items"]["properties"]["kind"]["enum"],
            names(&[
                AK::ContextBrief,
                AK::TalkTrack,
                AK::Script,
                AK::ObjectionTable,
                AK::Collateral,
                AK::Sequence,
                AK::SystemInstructions,
                AK::Dashboard,
                AK::Playbook,
                AK::FeedbackChannel,
                AK::Training
            ])
        );
    }

    #[test]
    fn durations_follow_the_parser() {
        for (text, ok) in [
            ("15m", true),
            ("2h", true),
            ("1d", true),
            ("1h30m", true),
            ("1.5h", false),
            ("2 hours", false),
            ("", false),
        ] {
            let errors = validate_brief_value(&json!({ "response_sla": text }));
            let bad = errors.iter().any(|e| e.pointer == "/response_sla");
            assert_eq!(!bad, ok, "{text:?}: {errors:?}");
        }
    }

    #[test]
    fn nearest_finds_typos_only() {
        let keys = ["response_sla", "sla_clock", "segment"];
        assert_eq!(nearest("respnse_sla", &keys), Some("response_sla"));
        assert_eq!(nearest("segmnet", &keys), Some("segment"));
        assert_eq!(nearest("banana", &keys), None);
    }

    #[test]
    fn unknown_top_level_key_suggests() {
        let errors = validate_brief_value(&json!({"respnse_sla": "2h"}));
        let unknown = errors.iter().find(|e| e.at_key).unwrap();
        assert_eq!(unknown.pointer, "/respnse_sla");
        assert_eq!(unknown.message, "unknown key `respnse_sla`; did you mean `response_sla`?");
        assert!(errors.iter().any(|e| e.pointer.is_empty() && e.message == "missing required key `id`"));
        // The misspelt key is not also reported missing.
        assert!(!errors.iter().any(|e| e.message == "missing required key `response_sla`"));
    }
}
