//! Checks of the routing section, each said once: references to pods and rules, condition
//! syntax and fit (compiled into the [`Router`] here, once), ownership methods that cannot find
//! anybody, and the brief's own `routing.tests` run on the compiled routing.

use std::collections::{BTreeMap, BTreeSet};

use super::pods::check_pod_ref;
use super::{SHARE_TOLERANCE, push, quoted_list, round6};
use crate::brief::{Assign, Attribute, AttributeType, Brief, Method, Mix, Reps};
use crate::calc::routing::engine::{assign_field, method_name, pointer_segment, rep_names};
use crate::calc::routing::{Predicate, Router, TestOutcome, closed_values, coverage, run_tests};
use crate::diag::{Problem, escape_pointer};
use crate::schema::nearest;

/// The demand mix: attributes that are declared, values of their closed lists, shares that sum
/// to 1 (per value of `by` when the shares depend on another attribute), and `by` naming a
/// declared closed list other than the attribute, without a cycle, each of whose values has
/// its shares.
pub(super) fn check_mix(brief: &Brief, out: &mut Vec<Problem>) {
    let attrs = &brief.routing.attributes;
    let names: Vec<&str> = attrs.keys().map(String::as_str).collect();
    let undeclared = |name: &str| {
        let hint = match nearest(name, &names) {
            Some(best) => format!("; did you mean `{best}`?"),
            None => String::new(),
        };
        format!("attribute `{name}` is not declared in `routing.attributes`{hint}")
    };
    for (attribute, mix) in &brief.demand.mix {
        let at = format!("/demand/mix/{}", escape_pointer(attribute));
        let closed: Vec<String> = attrs.get(attribute).map(closed_values).unwrap_or_default();
        if !attrs.contains_key(attribute) {
            push(out, at.clone(), undeclared(attribute));
        }
        if let Mix::Conditional(c) = mix {
            check_by(brief, attribute, &c.by, &at, out);
        }
        let parent: Vec<String> = mix.by().and_then(|by| attrs.get(by)).map(closed_values).unwrap_or_default();
        for (given, shares) in mix.branches() {
            let (at, what) = match given {
                Some(g) => {
                    let here = format!("{at}/{}", escape_pointer(g));
                    let by = mix.by().unwrap_or_default();
                    if !parent.is_empty() && !parent.iter().any(|p| p.eq_ignore_ascii_case(g)) {
                        let refs: Vec<&str> = parent.iter().map(String::as_str).collect();
                        push(out, here.clone(), format!("`{g}` is not a value of `{by}`; {}", hint(g, &refs)));
                    }
                    (here, format!("`{attribute}` where `{by}` is `{g}`"))
                }
                None => (at.clone(), format!("`{attribute}`")),
            };
            if !closed.is_empty() {
                for value in shares.keys().filter(|v| !closed.iter().any(|c| c.eq_ignore_ascii_case(v))) {
                    let refs: Vec<&str> = closed.iter().map(String::as_str).collect();
                    push(
                        out,
                        format!("{at}/{}", escape_pointer(value)),
                        format!("`{value}` is not a value of `{attribute}`; {}", hint(value, &refs)),
                    );
                }
            }
            let sum: f64 = shares.values().sum();
            if (sum - 1.0).abs() > SHARE_TOLERANCE {
                push(out, at, format!("the shares of {what} sum to {}, not 1", round6(sum)));
            }
        }
        if let Mix::Conditional(c) = mix {
            for value in parent.iter().filter(|p| !c.given.keys().any(|g| g.eq_ignore_ascii_case(p))) {
                push(
                    out,
                    at.clone(),
                    format!("no shares of `{attribute}` where `{}` is `{value}`; give `{value}: {{ … }}` too", c.by),
                );
            }
        }
    }
}

fn hint(value: &str, refs: &[&str]) -> String {
    match nearest(value, refs) {
        Some(best) => format!("did you mean `{best}`?"),
        None => format!("the values are {}", quoted_list(refs)),
    }
}

/// `by` names a declared closed list other than `attribute`, and following `by` from it never
/// comes back to `attribute`.
fn check_by(brief: &Brief, attribute: &str, by: &str, at: &str, out: &mut Vec<Problem>) {
    let at = format!("{at}/by");
    let attrs = &brief.routing.attributes;
    if by == attribute {
        push(out, at, format!("`by: {by}` names `{attribute}` itself; name the attribute its shares depend on"));
        return;
    }
    let Some(declared) = attrs.get(by) else {
        let names: Vec<&str> = attrs.keys().map(String::as_str).collect();
        let h = match nearest(by, &names) {
            Some(best) => format!("; did you mean `{best}`?"),
            None => String::new(),
        };
        push(out, at, format!("`by: {by}` names no attribute declared in `routing.attributes`{h}"));
        return;
    };
    if closed_values(declared).is_empty() {
        push(out, at, format!("`by: {by}` must name an attribute with a closed list of values; `{by}` has none"));
        return;
    }
    // Follow the chain of `by` from `by`; coming back to `attribute` is a cycle.
    let mut chain = vec![attribute.to_owned(), by.to_owned()];
    let mut next = by;
    while let Some(further) = brief.demand.mix.get(next).and_then(Mix::by) {
        if further == attribute {
            chain.push(further.to_owned());
            push(out, at, format!("the shares depend on each other in a cycle: {}", chain.join(" → ")));
            return;
        }
        if chain.iter().any(|c| c == further) || chain.len() > brief.demand.mix.len() + 1 {
            return; // a cycle further on, reported at its own attribute
        }
        chain.push(further.to_owned());
        next = further;
    }
}

/// References: unique rule ids, pods that exist, tests that name a rule and pod that exist.
pub(super) fn check_references(brief: &Brief, pods: &[&str], out: &mut Vec<Problem>) {
    let routing = &brief.routing;
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, rule) in routing.rules.iter().enumerate() {
        let at = format!("/routing/rules/{i}");
        if let Some(first) = seen.get(rule.id.as_str()) {
            push(out, format!("{at}/id"), format!("rule id `{}` is already used by routing.rules[{first}]", rule.id));
        } else {
            seen.insert(&rule.id, i);
        }
        check_assign_pod(&rule.assign, pods, &format!("{at}/assign"), out);
        if let Some(fallback) = &rule.fallback {
            check_assign_pod(fallback, pods, &format!("{at}/fallback"), out);
        }
    }
    check_assign_pod(&routing.fallback, pods, "/routing/fallback", out);
    let rule_ids: Vec<&str> = routing.rules.iter().map(|r| r.id.as_str()).collect();
    for (i, test) in routing.tests.iter().enumerate() {
        let at = format!("/routing/tests/{i}/expect");
        let rule = test.expect.rule.as_str();
        if rule != "fallback" && !rule_ids.contains(&rule) {
            let hint = match nearest(rule, &rule_ids) {
                Some(best) => format!("did you mean `{best}`?"),
                None => format!("the rules are {} (or `fallback`)", quoted_list(&rule_ids)),
            };
            push(out, format!("{at}/rule"), format!("no rule `{rule}` in `routing.rules`; {hint}"));
        }
        check_pod_ref(&test.expect.pod, pods, format!("{at}/pod"), out);
    }
}

fn check_assign_pod(assign: &Assign, pods: &[&str], at: &str, out: &mut Vec<Problem>) {
    match &assign.pod {
        Some(pod) => check_pod_ref(pod, pods, format!("{at}/pod"), out),
        // `territory` finds the pod covering the value, `account_owner` the pod of the named
        // owner (issue 12: an owner in another region's pod is reachable).
        None if !matches!(assign.method, Method::Territory | Method::AccountOwner) => {
            push(
                out,
                at,
                format!(
                    "`{}` needs a `pod`; only `territory` and `account_owner` may leave it out",
                    method_name(assign.method)
                ),
            );
        }
        None => {}
    }
}

/// Compile the routing once, and check what only the compiled form and the declarations can
/// say: condition syntax and fit, methods that can find nobody, rep weights, number ranges in
/// the demand mix and test reps. Problems at a place `reported` already covers are left out
/// (the router checks pod references too, for callers that compile without validating).
pub(super) fn compile(brief: &Brief, reported: &BTreeSet<String>, out: &mut Vec<Problem>) -> Option<Router> {
    let (router, mut found) = match Router::new(brief) {
        Ok(router) => (Some(router), Vec::new()),
        Err(problems) => (None, problems),
    };
    fit(brief, &mut found);
    let compiles = found.is_empty();
    out.extend(found.into_iter().filter(|p| !reported.contains(&p.pointer)));
    router.filter(|_| compiles)
}

fn fit(brief: &Brief, out: &mut Vec<Problem>) {
    let routing = &brief.routing;
    let attrs = &routing.attributes;
    let pods: BTreeMap<&str, &crate::brief::Pod> = brief.capacity.pods.iter().map(|p| (p.id.as_str(), p)).collect();
    for (i, rule) in routing.rules.iter().enumerate() {
        let at = format!("/routing/rules/{i}");
        if rule.id == "fallback" {
            push(out, format!("{at}/id"), "`fallback` is reserved for the routing fallback; pick another id");
        }
        for (field, cond) in &rule.when {
            let ptr = format!("{at}/when/{}", pointer_segment(field));
            let Ok(pred) = Predicate::parse(cond) else { continue };
            check_condition(attrs, field, cond, &pred, &ptr, out);
        }
        let assigns = std::iter::once((&rule.assign, format!("{at}/assign")))
            .chain(rule.fallback.as_ref().map(|f| (f, format!("{at}/fallback"))));
        for (assign, ptr) in assigns {
            check_method(brief, &pods, assign, &ptr, out);
        }
    }
    check_method(brief, &pods, &routing.fallback, "/routing/fallback", out);

    for (pi, pod) in brief.capacity.pods.iter().enumerate() {
        if let Reps::Named(reps) = &pod.reps {
            for (ri, rep) in reps.iter().enumerate() {
                if let Some(w) = rep.weight
                    && (!w.is_finite() || w <= 0.0)
                {
                    push(
                        out,
                        format!("/capacity/pods/{pi}/reps/{ri}/weight"),
                        format!(
                            "weight {w} must be a positive number (a rep who takes no leads is `available: false`)"
                        ),
                    );
                }
            }
        }
    }

    // Labels of closed lists are checked with the demand; number ranges only here.
    for (attr, mix) in &brief.demand.mix {
        if let Some(Attribute::Typed(t)) = attrs.get(attr)
            && t.kind.is_numeric()
        {
            for (given, shares) in mix.branches() {
                let at = match given {
                    Some(g) => format!("/demand/mix/{}/{}", pointer_segment(attr), pointer_segment(g)),
                    None => format!("/demand/mix/{}", pointer_segment(attr)),
                };
                for label in shares.keys().filter(|l| coverage::parse_mix_range(l).is_none()) {
                    push(
                        out,
                        format!("{at}/{}", pointer_segment(label)),
                        format!("`{label}` is not a number range; expected e.g. `1000-4999`, `5000+` or `<1000`"),
                    );
                }
            }
        }
    }

    for (i, test) in routing.tests.iter().enumerate() {
        if let (Some(pod), Some(rep)) = (pods.get(test.expect.pod.as_str()), &test.expect.rep)
            && !rep_names(pod).iter().any(|n| n.eq_ignore_ascii_case(rep))
        {
            push(out, format!("/routing/tests/{i}/expect/rep"), format!("no rep `{rep}` on pod `{}`", pod.id));
        }
    }
}

fn check_condition(
    attrs: &BTreeMap<String, Attribute>,
    field: &str,
    written: &crate::brief::Condition,
    pred: &Predicate,
    ptr: &str,
    out: &mut Vec<Problem>,
) {
    // A single value is quoted as the brief writes it (`=abc`, not `abc`).
    let as_written = |l: &crate::calc::routing::condition::Literal| match written {
        crate::brief::Condition::Text(t) => t.trim().to_owned(),
        _ => l.text.clone(),
    };
    if attrs.is_empty() {
        return;
    }
    let Some(attr) = attrs.get(field) else {
        push(
            out,
            ptr,
            format!("`{field}` is not a declared attribute; declare it under routing.attributes (declared: {})", {
                attrs.keys().map(String::as_str).collect::<Vec<_>>().join(", ")
            }),
        );
        return;
    };
    let is_number = matches!(attr, Attribute::Typed(t) if t.kind.is_numeric());
    let is_integer = matches!(attr, Attribute::Typed(t) if t.kind == AttributeType::Integer);
    let values = closed_values(attr);
    if pred.is_numeric() && !is_number {
        push(out, ptr, format!("`{}` compares numbers but `{field}` is not declared `type: number`", pred.display()));
    }
    if is_integer && pred.thresholds().iter().any(|n| n.fract() != 0.0) {
        push(out, ptr, format!("`{}` is not a whole number but `{field}` is `type: integer`", pred.display()));
    }
    match pred {
        Predicate::OneOf(literals) => {
            for l in literals {
                if is_number && l.number.is_none() {
                    push(out, ptr, format!("`{}` is not a number but `{field}` is `type: number`", as_written(l)));
                } else if !values.is_empty() && !values.iter().any(|v| v.to_lowercase() == l.folded) {
                    push(
                        out,
                        ptr,
                        format!("`{}` is not a declared value of `{field}` ({})", l.text, values.join(", ")),
                    );
                }
            }
        }
        Predicate::Contains(_) if is_number => {
            push(out, ptr, format!("`{}` matches text but `{field}` is `type: number`", pred.display()));
        }
        _ => {}
    }
}

fn check_method(
    brief: &Brief,
    pods: &BTreeMap<&str, &crate::brief::Pod>,
    assign: &Assign,
    ptr: &str,
    out: &mut Vec<Problem>,
) {
    let attrs = &brief.routing.attributes;
    let targets = || -> Vec<&crate::brief::Pod> {
        match assign.pod.as_deref() {
            Some(id) => pods.get(id).copied().into_iter().collect(),
            None => brief.capacity.pods.iter().collect(),
        }
    };
    match assign.method {
        Method::AccountOwner => {
            let field = assign_field(assign).unwrap_or("account_owner");
            if !attrs.is_empty() && !attrs.contains_key(field) {
                push(
                    out,
                    ptr,
                    format!("`account_owner` reads the lead field `{field}`, which is not a declared attribute"),
                );
            }
            let targets = targets();
            let named = targets.iter().any(|p| matches!(p.reps, Reps::Named(_)));
            if !targets.is_empty() && !named {
                push(
                    out,
                    ptr,
                    "`account_owner` matches the lead's owner against rep names, but the pod lists only a head count; name its reps",
                );
            }
        }
        Method::Territory => {
            if let Some(field) = assign.field.as_deref()
                && !attrs.is_empty()
                && !attrs.contains_key(field)
            {
                push(
                    out,
                    format!("{ptr}/field"),
                    format!("`territory` reads the lead field `{field}`, which is not a declared attribute"),
                );
            }
            let targets = targets();
            let declares = targets.iter().any(|p| {
                !p.territories.is_empty()
                    || matches!(&p.reps, Reps::Named(r) if r.iter().any(|r| !r.territories.is_empty()))
            });
            if !targets.is_empty() && !declares {
                push(
                    out,
                    ptr,
                    "`territory` needs `territories` on the pod or its reps; none are declared, so no lead can match",
                );
            }
        }
        m => {
            if assign.field.is_some() {
                push(
                    out,
                    format!("{ptr}/field"),
                    format!("`field` is used only by `territory` and `account_owner`, not by `{}`", method_name(m)),
                );
            }
        }
    }
}

/// The failing `routing.tests` entries, as data: what each expected and reached (the words
/// are the reporter's).
pub(super) fn test_failures(brief: &Brief, router: &Router) -> Vec<TestOutcome> {
    run_tests(brief, router).into_iter().filter(|t| !t.passed).collect()
}
