//! The routing view: coverage analysis, expected load per pod and rep, and the brief's routing
//! tests with their outcome.

use serde::Serialize;

use super::{Risk, Severity};

/// Routing view: the analysis and the brief's routing tests.
#[derive(Debug, Clone, Serialize)]
pub struct RoutingView {
    /// Matrix, enrichment, coverage and load, from `calc::routing`.
    pub analysis: crate::calc::routing::coverage::Analysis,
    /// The brief's routing tests and what each reached.
    pub tests: Vec<RoutingTestView>,
    /// Largest fallback share the guardrails allow.
    pub max_fallback_share: f64,
    /// Expected load per pod, with only the reps (or the pod queue) that receive leads.
    pub pod_loads: Vec<PodLoadView>,
}

/// Expected load on one pod.
#[derive(Debug, Clone, Serialize)]
pub struct PodLoadView {
    /// Pod id.
    pub pod: String,
    /// Share of all leads.
    pub share: f64,
    /// Leads per week.
    pub leads_per_week: f64,
    /// Leads per week placed in the pod's queue (any rep), when any.
    pub queue_leads_per_week: Option<f64>,
    /// Reps that receive leads directly: name and leads per week.
    pub reps: Vec<RepLoadView>,
}

/// Expected load on one rep.
#[derive(Debug, Clone, Serialize)]
pub struct RepLoadView {
    /// Rep name.
    pub rep: String,
    /// Leads per week.
    pub leads_per_week: f64,
}

/// A routing test and its outcome.
#[derive(Debug, Clone, Serialize)]
pub struct RoutingTestView {
    /// 1-based number.
    pub number: usize,
    /// Name, or the lead's fields in words.
    pub name: String,
    /// Expected rule and pod.
    pub expected: String,
    /// Reached rule and pod.
    pub reached: String,
    /// Whether it passed.
    pub passed: bool,
}

pub(super) fn routing_view(checked: &crate::checked::Brief, risks: &mut Vec<Risk>) -> RoutingView {
    let brief = checked.raw();
    let analysis = crate::calc::routing::coverage::analyze(brief, checked.router());
    let max_fallback = checked.max_fallback_share().get();
    let mut risk = |severity: Severity, message: String, pointer: &str| {
        risks.push(Risk { severity, area: "routing".to_owned(), message, pointer: pointer.to_owned() });
    };
    let load = &analysis.load;
    if load.unrouted_share > 0.0 {
        risk(
            Severity::High,
            format!(
                "{:.1}% of leads can reach nobody: not even the fallback can take them.",
                load.unrouted_share * 100.0
            ),
            "/routing/fallback",
        );
    }
    if load.fallback_share > max_fallback {
        risk(
            Severity::Medium,
            format!(
                "{:.1}% of leads fall to a fallback, over the {:.1}% guardrail: {} combinations of attribute values match no rule.",
                load.fallback_share * 100.0,
                max_fallback * 100.0,
                analysis.coverage.gap_count
            ),
            "/routing/fallback",
        );
    }
    for dead in &analysis.coverage.dead {
        let index = brief.routing.rules.iter().position(|r| r.id == dead.rule).unwrap_or(0);
        let why = match &dead.reason {
            crate::calc::routing::coverage::DeadReason::MatchesNothing => {
                "no combination of the declared values satisfies its conditions".to_owned()
            }
            crate::calc::routing::coverage::DeadReason::Shadowed { by } => {
                format!("earlier rules ({}) catch every lead it matches", by.join(", "))
            }
        };
        risk(
            Severity::Medium,
            format!("Rule {} can never fire: {why}.", dead.rule),
            &format!("/routing/rules/{index}"),
        );
    }
    for field in &analysis.enrichment.used_not_listed {
        risk(
            Severity::Low,
            format!("Field {field} is read by routing but not listed under routing.enrichment."),
            "/routing/enrichment",
        );
    }
    if analysis.coverage.capped {
        risk(
            Severity::Low,
            format!(
                "Coverage was checked on {} of {} attribute combinations; findings are partial.",
                analysis.coverage.enumerated, analysis.coverage.combinations
            ),
            "/routing/attributes",
        );
    }
    let describe = |rule: &str, pod: Option<&str>, rep: Option<&str>| -> String {
        let mut text = format!("{rule} → {}", pod.unwrap_or("unrouted"));
        if let Some(rep) = rep {
            text.push_str(&format!(" ({rep})"));
        }
        text
    };
    let tests = crate::calc::routing::run_tests(brief, checked.router())
        .into_iter()
        .map(|t| {
            let lead = &brief.routing.tests[t.index].lead;
            let fields: Vec<String> = lead.iter().map(|(k, v)| format!("{k}={}", json_scalar(v))).collect();
            RoutingTestView {
                number: t.index + 1,
                name: t.name.clone().unwrap_or_else(|| fields.join(", ")),
                expected: describe(&t.expected.rule, Some(&t.expected.pod), t.expected.rep.as_deref()),
                reached: describe(&t.reached.rule, t.reached.pod.as_deref(), t.reached.rep.as_deref()),
                passed: t.passed,
            }
        })
        .collect();
    let pod_loads = analysis
        .load
        .by_pod
        .iter()
        .map(|p| PodLoadView {
            pod: p.pod.clone(),
            share: p.share,
            leads_per_week: p.leads_per_week,
            queue_leads_per_week: (p.queue_share > 0.0).then_some(p.queue_share * analysis.load.leads_per_week),
            reps: p
                .reps
                .iter()
                .filter(|r| r.leads_per_week > 0.0)
                .map(|r| RepLoadView { rep: r.rep.clone(), leads_per_week: r.leads_per_week })
                .collect(),
        })
        .collect();
    RoutingView { analysis, tests, max_fallback_share: max_fallback, pod_loads }
}

fn json_scalar(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
