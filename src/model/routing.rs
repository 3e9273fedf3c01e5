//! The routing view: coverage analysis, expected load per pod and rep, and the brief's routing
//! tests with their outcome.

use serde::Serialize;

use super::{Risk, RiskKind, Severity};

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
    /// The test's name, when given.
    pub name: Option<String>,
    /// The lead's fields and values, by field (values as text).
    pub lead: Vec<(String, String)>,
    /// Expected rule and pod.
    pub expected: Destination,
    /// Reached rule and pod.
    pub reached: Destination,
    /// Whether it passed.
    pub passed: bool,
}

/// Where a routing test's lead is expected to go, or went.
#[derive(Debug, Clone, Serialize)]
pub struct Destination {
    /// Rule id, or `fallback`.
    pub rule: String,
    /// Pod id (none: unrouted).
    pub pod: Option<String>,
    /// Rep, when one is named or reached.
    pub rep: Option<String>,
}

pub(super) fn routing_view(checked: &crate::checked::Brief, risks: &mut Vec<Risk>) -> RoutingView {
    let brief = checked.raw();
    let analysis = crate::calc::routing::coverage::analyze(brief, checked.router());
    let max_fallback = checked.max_fallback_share().get();
    let mut risk = |severity: Severity, kind: RiskKind, pointer: &str| risks.push(Risk::new(severity, kind, pointer));
    let load = &analysis.load;
    if load.unrouted_share > 0.0 {
        risk(Severity::High, RiskKind::Unrouted { share: load.unrouted_share }, "/routing/fallback");
    }
    if load.fallback_share > max_fallback {
        risk(
            Severity::Medium,
            RiskKind::FallbackOverGuardrail {
                share: load.fallback_share,
                max: max_fallback,
                gaps: analysis.coverage.gap_count,
            },
            "/routing/fallback",
        );
    }
    for dead in &analysis.coverage.dead {
        let index = brief.routing.rules.iter().position(|r| r.id == dead.rule).unwrap_or(0);
        risk(
            Severity::Medium,
            RiskKind::DeadRule { rule: dead.rule.clone(), reason: dead.reason.clone() },
            &format!("/routing/rules/{index}"),
        );
    }
    for field in &analysis.enrichment.used_not_listed {
        risk(Severity::Low, RiskKind::EnrichmentNotListed { field: field.clone() }, "/routing/enrichment");
    }
    if analysis.coverage.capped {
        risk(
            Severity::Low,
            RiskKind::CoveragePartial {
                enumerated: analysis.coverage.enumerated,
                combinations: analysis.coverage.combinations,
            },
            "/routing/attributes",
        );
    }
    let tests = crate::calc::routing::run_tests(brief, checked.router())
        .into_iter()
        .map(|t| {
            let lead = &brief.routing.tests[t.index].lead;
            RoutingTestView {
                number: t.index + 1,
                name: t.name.clone(),
                lead: lead.iter().map(|(k, v)| (k.clone(), json_scalar(v))).collect(),
                expected: Destination {
                    rule: t.expected.rule.clone(),
                    pod: Some(t.expected.pod.clone()),
                    rep: t.expected.rep.clone(),
                },
                reached: Destination {
                    rule: t.reached.rule.clone(),
                    pod: t.reached.pod.clone(),
                    rep: t.reached.rep.clone(),
                },
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
