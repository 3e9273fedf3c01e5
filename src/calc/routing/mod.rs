//! Routing: which pod and rep each lead reaches, and what the rules cover, proven from the brief.
//!
//! - [`condition`]: the brief's condition syntax parsed once into typed predicates.
//! - [`engine`]: the rules compiled into a [`Router`] that assigns leads as a live router would
//!   (first match wins; ownership by account owner, round robin, weights, pod queue or territory;
//!   fallbacks; unrouted with a reason).
//! - [`coverage`]: analysis without data — the routing matrix, enrichment needs, gaps, overlaps,
//!   shadowed rules and expected load per pod and rep from the demand mix.
//! - [`synth`]: synthetic leads that cover every path through the rules.
//!
//! This module adds the two entry points `validate` uses: [`check`] (semantic problems, each at a
//! JSON pointer) and [`run_tests`] (the brief's `routing.tests`).

pub mod condition;
pub mod coverage;
pub mod engine;
pub mod synth;
#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, BTreeSet};

pub use condition::{ConditionError, Predicate};
pub use engine::{Assignment, Failure, Issue, RoutePath, Router};

use crate::brief::{Attribute, AttributeType, Brief, Expectation, Method};
use engine::{assign_field, method_name, pointer_segment, rep_names};

/// Semantic problems with the routing section, each as (JSON pointer, plain message).
///
/// Covers what the schema cannot: condition syntax, conditions on undeclared attributes (when
/// attributes are declared), conditions that do not fit the attribute (a number comparison on a
/// list of values, a value the list does not declare), unknown pods, methods missing their pod or
/// field, `account_owner` on a pod without named reps, `territory` where nothing declares
/// territories, duplicate rule ids, demand-mix labels that do not fit their attribute, and tests
/// that expect a rule, pod or rep that does not exist.
#[must_use]
pub fn check(brief: &Brief) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = match Router::new(brief) {
        Ok(_) => Vec::new(),
        Err(issues) => issues.into_iter().map(|i| (i.pointer, i.message)).collect(),
    };
    let routing = &brief.routing;
    let attrs = &routing.attributes;
    let pods: BTreeMap<&str, &crate::brief::Pod> = brief.capacity.pods.iter().map(|p| (p.id.as_str(), p)).collect();

    let mut seen = BTreeSet::new();
    for (i, rule) in routing.rules.iter().enumerate() {
        let at = format!("/routing/rules/{i}");
        if rule.id == "fallback" {
            out.push((
                format!("{at}/id"),
                "`fallback` is reserved for the routing fallback; pick another id".to_owned(),
            ));
        } else if !seen.insert(rule.id.as_str()) {
            out.push((
                format!("{at}/id"),
                format!("rule id `{}` is used by an earlier rule; ids must be unique", rule.id),
            ));
        }
        for (field, cond) in &rule.when {
            let ptr = format!("{at}/when/{}", pointer_segment(field));
            let Ok(pred) = Predicate::parse(cond) else { continue };
            check_condition(attrs, field, &pred, &ptr, &mut out);
        }
        let assigns = std::iter::once((&rule.assign, format!("{at}/assign")))
            .chain(rule.fallback.as_ref().map(|f| (f, format!("{at}/fallback"))));
        for (assign, ptr) in assigns {
            check_assign(brief, &pods, assign, &ptr, &mut out);
        }
    }
    check_assign(brief, &pods, &routing.fallback, "/routing/fallback", &mut out);

    for (pi, pod) in brief.capacity.pods.iter().enumerate() {
        if let crate::brief::Reps::Named(reps) = &pod.reps {
            for (ri, rep) in reps.iter().enumerate() {
                if let Some(w) = rep.weight
                    && (!w.is_finite() || w <= 0.0)
                {
                    out.push((
                        format!("/capacity/pods/{pi}/reps/{ri}/weight"),
                        format!(
                            "weight {w} must be a positive number (a rep who takes no leads is `available: false`)"
                        ),
                    ));
                }
            }
        }
    }

    for (attr, shares) in &brief.demand.mix {
        let declared = attrs.get(attr);
        for label in shares.keys() {
            let ptr = format!("/demand/mix/{}/{}", pointer_segment(attr), pointer_segment(label));
            match declared {
                Some(Attribute::Typed(t)) if t.kind == AttributeType::Number => {
                    let bad = coverage::parse_mix_range(label).is_none();
                    let msg = format!("`{label}` is not a number range; expected e.g. `1000-4999`, `5000+` or `<1000`");
                    out.extend(bad.then_some((ptr, msg)));
                }
                Some(a) => {
                    let values = closed_values(a);
                    let presence = matches!(label.as_str(), "present" | "absent");
                    if !values.is_empty() && !presence && !values.iter().any(|v| v.eq_ignore_ascii_case(label)) {
                        out.push((
                            ptr,
                            format!("`{label}` is not a declared value of `{attr}` ({})", values.join(", ")),
                        ));
                    }
                }
                None => {}
            }
        }
    }

    let rule_ids: BTreeSet<&str> = routing.rules.iter().map(|r| r.id.as_str()).collect();
    for (i, test) in routing.tests.iter().enumerate() {
        let at = format!("/routing/tests/{i}/expect");
        if test.expect.rule != "fallback" && !rule_ids.contains(test.expect.rule.as_str()) {
            out.push((
                format!("{at}/rule"),
                format!("no rule `{}` (rules: {}, or `fallback`)", test.expect.rule, join(&rule_ids)),
            ));
        }
        match pods.get(test.expect.pod.as_str()) {
            None => out.push((format!("{at}/pod"), format!("no pod `{}` in capacity.pods", test.expect.pod))),
            Some(pod) => {
                if let Some(rep) = &test.expect.rep
                    && !rep_names(pod).iter().any(|n| n.eq_ignore_ascii_case(rep))
                {
                    out.push((format!("{at}/rep"), format!("no rep `{rep}` on pod `{}`", pod.id)));
                }
            }
        }
    }
    out
}

fn join(set: &BTreeSet<&str>) -> String {
    set.iter().copied().collect::<Vec<_>>().join(", ")
}

/// The closed list of values an attribute declares (empty for open attributes).
#[must_use]
pub fn closed_values(a: &Attribute) -> Vec<String> {
    match a {
        Attribute::Values(v) => v.clone(),
        Attribute::Typed(t) => t.values.clone(),
    }
}

fn check_condition(
    attrs: &BTreeMap<String, Attribute>,
    field: &str,
    pred: &Predicate,
    ptr: &str,
    out: &mut Vec<(String, String)>,
) {
    if attrs.is_empty() {
        return;
    }
    let Some(attr) = attrs.get(field) else {
        out.push((
            ptr.to_owned(),
            format!("`{field}` is not a declared attribute; declare it under routing.attributes (declared: {})", {
                attrs.keys().map(String::as_str).collect::<Vec<_>>().join(", ")
            }),
        ));
        return;
    };
    let is_number = matches!(attr, Attribute::Typed(t) if t.kind == AttributeType::Number);
    let values = closed_values(attr);
    if pred.is_numeric() && !is_number {
        out.push((
            ptr.to_owned(),
            format!("`{}` compares numbers but `{field}` is not declared `type: number`", pred.display()),
        ));
    }
    match pred {
        Predicate::OneOf(literals) => {
            for l in literals {
                if is_number && l.number.is_none() {
                    out.push((ptr.to_owned(), format!("`{}` is not a number but `{field}` is `type: number`", l.text)));
                } else if !values.is_empty() && !values.iter().any(|v| v.to_lowercase() == l.folded) {
                    out.push((
                        ptr.to_owned(),
                        format!("`{}` is not a declared value of `{field}` ({})", l.text, values.join(", ")),
                    ));
                }
            }
        }
        Predicate::Contains(_) if is_number => {
            out.push((ptr.to_owned(), format!("`{}` matches text but `{field}` is `type: number`", pred.display())));
        }
        _ => {}
    }
}

fn check_assign(
    brief: &Brief,
    pods: &BTreeMap<&str, &crate::brief::Pod>,
    assign: &crate::brief::Assign,
    ptr: &str,
    out: &mut Vec<(String, String)>,
) {
    let attrs = &brief.routing.attributes;
    match assign.method {
        Method::AccountOwner => {
            let field = assign_field(assign).unwrap_or("account_owner");
            if !attrs.is_empty() && !attrs.contains_key(field) {
                out.push((
                    ptr.to_owned(),
                    format!("`account_owner` reads the lead field `{field}`, which is not a declared attribute"),
                ));
            }
            let targets: Vec<&crate::brief::Pod> = match assign.pod.as_deref() {
                Some(id) => pods.get(id).copied().into_iter().collect(),
                None => brief.capacity.pods.iter().collect(),
            };
            let named = targets.iter().any(|p| matches!(p.reps, crate::brief::Reps::Named(_)));
            if !targets.is_empty() && !named {
                out.push((
                    ptr.to_owned(),
                    "`account_owner` matches the lead's owner against rep names, but the pod lists only a head count; name its reps".to_owned(),
                ));
            }
        }
        Method::Territory => {
            if let Some(field) = assign.field.as_deref()
                && !attrs.is_empty()
                && !attrs.contains_key(field)
            {
                out.push((
                    format!("{ptr}/field"),
                    format!("`territory` reads the lead field `{field}`, which is not a declared attribute"),
                ));
            }
            let targets: Vec<&crate::brief::Pod> = match assign.pod.as_deref() {
                Some(id) => pods.get(id).copied().into_iter().collect(),
                None => brief.capacity.pods.iter().collect(),
            };
            let declares = targets.iter().any(|p| {
                !p.territories.is_empty()
                    || matches!(&p.reps, crate::brief::Reps::Named(r) if r.iter().any(|r| !r.territories.is_empty()))
            });
            if !targets.is_empty() && !declares {
                out.push((
                    ptr.to_owned(),
                    "`territory` needs `territories` on the pod or its reps; none are declared, so no lead can match"
                        .to_owned(),
                ));
            }
        }
        m => {
            if assign.field.is_some() {
                out.push((
                    format!("{ptr}/field"),
                    format!("`field` is used only by `territory` and `account_owner`, not by `{}`", method_name(m)),
                ));
            }
        }
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
    /// Why, in words.
    pub reason: String,
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

/// Run the brief's `routing.tests`, each on a fresh router (no earlier lead affects a test, so
/// the first rep in turn is deterministic).
///
/// Returns one outcome per test, in order. Returns nothing when the routing does not compile:
/// [`check`] reports why. Lead values are read as text: numbers as written, booleans as
/// `true`/`false`, `null` as absent.
#[must_use]
pub fn run_tests(brief: &Brief) -> Vec<TestOutcome> {
    let Ok(router) = Router::new(brief) else { return Vec::new() };
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
            let reached = Reached { rule: r.rule_id(a.rule).to_owned(), pod, rep, path: a.path, reason: r.reason(&a) };
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
