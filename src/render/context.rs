//! The template context: the Model with the words and the positions templates present.
//!
//! Templates present and never compute. The Model holds facts (enums and numbers); this step
//! adds, in Rust, what a template would otherwise work out itself: each fact's words (from
//! [`words`]), counts with their nouns, rule numbers, the role of each pod beside its SLA row,
//! which optional facts apply, the escalation tree's node ids, and the risks worth listing at the
//! top of the packet. Keys the context adds replace the Model's key of the same name, so
//! `risks`, `pods`, `funnel`, `routing`, `sla`, `escalation` and `checklist` read as before with
//! the words added.

use serde::Serialize;
use tera::Context;

use super::words::{self, RiskLine};
use crate::brief::Stage;
use crate::calc::escalation::EscalationTree;
use crate::calc::routing::coverage::{Analysis, MatrixRow, Overlap};
use crate::model::{
    BandView, DependencyView, FieldItem, Model, Need, PodLoadView, PodSlaView, PodView, RungView, Severity,
};

/// The template context for `model`.
///
/// # Errors
/// The Model does not serialise (a bug, not an input problem).
pub(crate) fn context(model: &Model) -> Result<Context, tera::Error> {
    let mut context = Context::from_serialize(model)?;
    let risks = words::risk_lines(&model.risks);
    let open: Vec<&RiskLine> = risks.iter().filter(|r| r.severity != Severity::Low).collect();
    context.insert("open_risks", &open);
    context.insert("risks", &risks);
    context.insert("counts", &counts(model));
    context.insert("pods", &pods(model));
    context.insert("funnel", &funnel(model));
    context.insert("routing", &routing(model));
    context.insert("sla", &sla(model));
    context.insert("escalation", &escalation(model));
    context.insert("checklist", &checklist(model));
    context.insert("sla_restated", &sla_restated(model));
    Ok(context)
}

/// The SLA in minutes as the documents write durations (`1h 30m`), when that says more than the
/// brief's own spelling: `90m` is restated, `15m` and `1h30m` are not (no "15m (15m)").
fn sla_restated(model: &Model) -> Option<String> {
    let written = &model.brief.response_sla;
    let formatted = super::format_minutes(model.brief.sla_minutes);
    (formatted.replace(' ', "") != written.replace(' ', "")).then_some(formatted)
}

/// A row of the routing matrix with its number: rules count from 1, the fallback has none.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct MatrixLine<'a> {
    /// The row.
    #[serde(flatten)]
    pub(crate) row: &'a MatrixRow,
    /// 1-based rule number; none for the routing fallback.
    pub(crate) number: Option<usize>,
    /// True for the routing fallback's row (the last).
    pub(crate) is_fallback: bool,
}

/// The routing matrix, numbered: the rules in order, then the fallback.
pub(crate) fn matrix(model: &Model) -> Vec<MatrixLine<'_>> {
    model
        .routing
        .analysis
        .matrix
        .iter()
        .enumerate()
        .map(|(index, row)| {
            let is_fallback = index >= model.rule_count;
            MatrixLine { row, number: (!is_fallback).then_some(index + 1), is_fallback }
        })
        .collect()
}

/// How many pods and rules, bare and with their noun (`1 pod`, `3 routing rules`).
#[derive(Serialize)]
struct Counts {
    pods: usize,
    pods_text: String,
    rules_text: String,
}

fn counts(model: &Model) -> Counts {
    Counts {
        pods: model.pods.len(),
        pods_text: words::count(model.pods.len(), "pod", "pods"),
        rules_text: words::count(model.rule_count, "routing rule", "routing rules"),
    }
}

#[derive(Serialize)]
struct Pod<'a> {
    #[serde(flatten)]
    pod: &'a PodView,
    /// The named reps, those on leave marked.
    rep_names: Vec<String>,
    /// Its shrinkage or availability, whichever the brief gave (`35% shrinkage`, `50% available`).
    time_for_leads: String,
}

fn pods(model: &Model) -> Vec<Pod<'_>> {
    model
        .pods
        .iter()
        .map(|pod| Pod {
            pod,
            rep_names: pod.named_reps.iter().map(words::rep_name).collect(),
            time_for_leads: words::time_for_leads(pod.shrinkage, pod.availability),
        })
        .collect()
}

#[derive(Serialize)]
struct Funnel<'a> {
    stages: &'a [Stage],
    qualification: &'a [String],
    bands: Vec<Band<'a>>,
}

#[derive(Serialize)]
struct Band<'a> {
    #[serde(flatten)]
    band: &'a BandView,
    range: String,
}

fn funnel(model: &Model) -> Funnel<'_> {
    let f = &model.funnel;
    Funnel {
        stages: &f.stages,
        qualification: &f.qualification,
        bands: f.bands.iter().map(|band| Band { band, range: words::band_range(band.min, band.below) }).collect(),
    }
}

#[derive(Serialize)]
struct Routing<'a> {
    analysis: &'a Analysis,
    matrix: Vec<MatrixLine<'a>>,
    dead_rules: Vec<DeadLine<'a>>,
    tests: Vec<TestLine>,
    max_fallback_share: f64,
    pod_loads: Vec<PodLoadLine<'a>>,
    /// `12 combinations` checked for coverage.
    checked_combinations: String,
    /// `3 combinations` that match no rule; none when every combination matches one.
    gap_combinations: Option<String>,
    overlaps: Vec<OverlapLine<'a>>,
    /// How many overlapping pairs there are when `overlaps` lists only the largest; none when
    /// it lists them all.
    overlaps_summary: Option<String>,
    /// Share of leads nobody can take, when any.
    unrouted_share: Option<f64>,
}

#[derive(Serialize)]
struct PodLoadLine<'a> {
    #[serde(flatten)]
    load: &'a PodLoadView,
    /// True when neither its queue nor any rep receives leads.
    idle: bool,
}

#[derive(Serialize)]
struct OverlapLine<'a> {
    #[serde(flatten)]
    overlap: &'a Overlap,
    /// `4 combinations` both rules match.
    combinations_text: String,
}

#[derive(Serialize)]
struct DeadLine<'a> {
    rule: &'a str,
    /// Why, in Markdown.
    reason: String,
}

#[derive(Serialize)]
struct TestLine {
    number: usize,
    name: String,
    expected: String,
    reached: String,
    passed: bool,
}

fn routing(model: &Model) -> Routing<'_> {
    let r = &model.routing;
    let coverage = &r.analysis.coverage;
    Routing {
        analysis: &r.analysis,
        matrix: matrix(model),
        dead_rules: r
            .analysis
            .coverage
            .dead
            .iter()
            .map(|d| DeadLine { rule: &d.rule, reason: words::dead_reason_markdown(&d.reason) })
            .collect(),
        tests: r
            .tests
            .iter()
            .map(|t| TestLine {
                number: t.number,
                name: words::routing_test_name(t.name.as_deref(), &t.lead),
                expected: words::destination(&t.expected),
                reached: words::destination(&t.reached),
                passed: t.passed,
            })
            .collect(),
        max_fallback_share: r.max_fallback_share,
        pod_loads: r
            .pod_loads
            .iter()
            .map(|load| PodLoadLine { load, idle: load.queue_leads_per_week.is_none() && load.reps.is_empty() })
            .collect(),
        checked_combinations: combinations(coverage.enumerated),
        gap_combinations: (coverage.gap_count > 0).then(|| combinations(coverage.gap_count)),
        overlaps: coverage
            .overlaps
            .iter()
            .map(|overlap| OverlapLine { overlap, combinations_text: combinations(overlap.combinations) })
            .collect(),
        overlaps_summary: words::overlaps_summary(coverage.overlap_count, coverage.overlaps.len()),
        unrouted_share: (r.analysis.load.unrouted_share > 0.0).then_some(r.analysis.load.unrouted_share),
    }
}

fn combinations(n: usize) -> String {
    words::count(n, "combination", "combinations")
}

#[derive(Serialize)]
struct SlaLine<'a> {
    #[serde(flatten)]
    pod: &'a PodSlaView,
    /// The pod's role (`SDR`), from its capacity entry.
    role: &'a str,
    /// Reps that would be enough for the target, when fewer than today's.
    enough_reps: Option<u32>,
    /// What it takes to meet the target, in words (after "What it takes: ").
    advice: String,
    /// What the productive reps are left after: `after shrinkage`, or `at 50% availability`.
    productive_after: String,
    /// Minutes in a day as the pod's waits read: its open minutes a business day on the business
    /// clock (`1d` is one business day), 24 hours on the calendar clock.
    day_minutes: f64,
}

fn sla(model: &Model) -> Vec<SlaLine<'_>> {
    model
        .sla
        .iter()
        .map(|pod| SlaLine {
            pod,
            role: model.pods.iter().find(|v| v.id == pod.pod).map_or("", |v| v.role.as_str()),
            enough_reps: pod.required_reps.filter(|&n| n < pod.reps),
            day_minutes: match model.pods.iter().find(|v| v.id == pod.pod) {
                Some(v) if model.brief.sla_clock == "business" => v.hours.minutes_per_day,
                _ => 24.0 * 60.0,
            },
            advice: model
                .advice
                .iter()
                .find(|a| a.pod == pod.pod)
                .map(|a| words::advice(&a.advice))
                .unwrap_or_default(),
            productive_after: words::productive_after(
                model.pods.iter().find(|v| v.id == pod.pod).and_then(|v| v.availability),
            ),
        })
        .collect()
}

#[derive(Serialize)]
struct Escalation<'a> {
    tree: &'a EscalationTree,
    rungs: Vec<Rung<'a>>,
    rip_cord_window: &'a str,
    last_node: &'a str,
    /// Open minutes of a business day when times read in business days.
    business_day_minutes: Option<f64>,
    /// Who the rip-cord notifies, as a sentence lists them (`CRO, CMO and RevOps Director`).
    notify_text: String,
}

#[derive(Serialize)]
struct Rung<'a> {
    #[serde(flatten)]
    rung: &'a RungView,
    action_text: String,
}

fn escalation(model: &Model) -> Escalation<'_> {
    let e = &model.escalation;
    Escalation {
        tree: &e.tree,
        rungs: e
            .rungs
            .iter()
            .map(|rung| Rung { rung, action_text: words::rung_action(rung.rung.action, &rung.rung.to) })
            .collect(),
        rip_cord_window: &e.rip_cord_window,
        last_node: &e.last_node,
        business_day_minutes: e.business_day_minutes,
        notify_text: words::and_list(&e.tree.rip_cord.notify),
    }
}

#[derive(Serialize)]
struct Checklist<'a> {
    fields: Vec<Field<'a>>,
    integrations: &'a [DependencyView],
    /// The brief's flows, then the ones the design implies.
    automations: Vec<DependencyView>,
    other: &'a [DependencyView],
}

#[derive(Serialize)]
struct Field<'a> {
    field: &'a str,
    needed_for: &'a [Need],
    rules: &'a [String],
    /// Who fills it, the default owner when the brief names none.
    owner: &'a str,
    status: &'a str,
    /// What needs the field, in words.
    needs: Vec<&'static str>,
    /// In place of the name, when the brief names no score field.
    unnamed: Option<&'static str>,
}

fn checklist(model: &Model) -> Checklist<'_> {
    let c = &model.checklist;
    let implied = c.implied.iter().map(|flow| DependencyView {
        name: words::implied_flow(flow),
        kind: "automation".to_owned(),
        owner: words::IMPLIED_FLOW_OWNER.to_owned(),
        status: "to-build".to_owned(),
        ready: false,
        due: c.implied_due.clone(),
        flags: Vec::new(),
        implied: true,
    });
    Checklist {
        fields: c.fields.iter().map(field).collect(),
        integrations: &c.integrations,
        automations: c.automations.iter().cloned().chain(implied).collect(),
        other: &c.other,
    }
}

fn field(item: &FieldItem) -> Field<'_> {
    Field {
        field: &item.field,
        needed_for: &item.needed_for,
        rules: &item.rules,
        owner: item.owner.as_deref().unwrap_or(words::DEFAULT_FIELD_OWNER),
        status: &item.status,
        needs: item.needed_for.iter().map(|n| words::need(*n)).collect(),
        unnamed: item.unnamed.then_some(words::SCORE_FIELD_UNNAMED),
    }
}
