//! Routing: which pod and rep each lead reaches, and what the rules cover, proven from the brief.
//!
//! - `condition`: the brief's condition syntax parsed once into typed predicates.
//! - `engine`: the rules compiled into a `Router` that assigns leads as a live router would
//!   (first match wins; ownership by account owner, round robin, weights, pod queue or territory;
//!   fallbacks; unrouted with a reason).
//! - `outcome`: what the engine says about a lead, as data — the step that placed it, why a
//!   step failed, and the same with rules, fields and pods named for reports.
//! - `coverage`: analysis without data — the routing matrix, enrichment needs, gaps, overlaps,
//!   shadowed rules and expected load per pod and rep from the demand mix.
//! - [`synth`]: synthetic leads that cover every path through the rules.
//!
//! This module adds [`run_tests`] (the brief's `routing.tests` on the compiled routing). What the
//! routing section gets wrong is `validate`'s to say, once; [`Router::new`] refuses only what it
//! cannot compile.

pub(crate) mod condition;
pub(crate) mod coverage;
pub(crate) mod engine;
pub(crate) mod outcome;
pub mod synth;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

pub(crate) use condition::trim;
pub use condition::{ConditionError, Predicate};
pub use engine::Router;
pub use outcome::{Assignment, Explanation, Failure, NamedFailure, RoutePath};

use crate::brief::{Attribute, Brief, Expectation};

/// The closed list of values an attribute declares (empty for open attributes).
#[must_use]
pub fn closed_values(a: &Attribute) -> Vec<String> {
    match a {
        Attribute::Values(v) => v.clone(),
        Attribute::Typed(t) => t.values.clone(),
    }
}

/// What a routing test reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reached {
    /// Rule id, or `fallback` when no rule matched.
    pub rule: String,
    /// Pod id; `None` when unrouted.
    pub pod: Option<String>,
    /// Rep name, when a rep was chosen.
    pub rep: Option<String>,
    /// Which step placed it.
    pub path: RoutePath,
    /// Why it went there, by name (the words are the renderer's).
    pub reason: Explanation,
}

/// The outcome of one `routing.tests` entry.
#[derive(Debug, Clone, PartialEq)]
pub struct TestOutcome {
    /// Index in `routing.tests` (its pointer is `/routing/tests/{index}`).
    pub index: usize,
    /// The test's name, when given.
    pub name: Option<String>,
    /// True when rule, pod and (if expected) rep all match.
    pub passed: bool,
    /// What the test expects.
    pub expected: Expectation,
    /// What the routing reached.
    pub reached: Reached,
}

/// Run the brief's `routing.tests` on its compiled routing, each on a fresh copy of `router`
/// (no earlier lead affects a test, so the first rep in turn is deterministic).
///
/// Returns one outcome per test, in order. Lead values are read as text: numbers as written,
/// booleans as `true`/`false`, `null` as absent.
#[must_use]
pub fn run_tests(brief: &Brief, router: &Router) -> Vec<TestOutcome> {
    brief
        .routing
        .tests
        .iter()
        .enumerate()
        .map(|(index, test)| {
            let mut r = router.clone();
            let lead: BTreeMap<String, String> =
                test.lead.iter().filter_map(|(k, v)| json_text(v).map(|t| (k.clone(), t))).collect();
            let a = r.route_map(&lead);
            let pod = a.pod.map(|p| r.pods()[p].id.clone());
            let rep = a.pod.zip(a.rep).map(|(p, i)| r.pods()[p].reps[i].name.clone());
            let reached = Reached { rule: r.rule_id(a.rule).to_owned(), pod, rep, path: a.path, reason: r.explain(&a) };
            let e = &test.expect;
            let passed = reached.rule == e.rule
                && reached.pod.as_deref() == Some(e.pod.as_str())
                && e.rep
                    .as_ref()
                    .is_none_or(|want| reached.rep.as_ref().is_some_and(|got| got.eq_ignore_ascii_case(want)));
            TestOutcome { index, name: test.name.clone(), passed, expected: e.clone(), reached }
        })
        .collect()
}

fn json_text(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::Null => None,
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Bool(b) => Some(b.to_string()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        other => Some(other.to_string()),
    }
}
