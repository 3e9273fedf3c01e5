//! The template context: the Model with the words and the positions templates present.
//!
//! Templates present and never compute. The Model holds facts (enums and numbers); this step
//! adds, in Rust, what a template would otherwise work out itself: each fact's words (from
//! [`words`]), rule numbers, the role of each pod beside its SLA row, and the risks worth listing
//! at the top of the packet. Keys the context adds replace the Model's key of the same name, so
//! `risks`, `funnel`, `routing`, `sla`, `escalation` and `checklist` read as before with the words added.

use serde::Serialize;
use tera::Context;

use super::words::{self, RiskLine};
use crate::brief::Stage;
use crate::calc::escalation::EscalationTree;
use crate::calc::routing::coverage::{Analysis, MatrixRow};
use crate::model::{BandView, DependencyView, FieldItem, Model, PodLoadView, PodSlaView, RungView, Severity};

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
    context.insert("funnel", &funnel(model));
    context.insert("routing", &routing(model));
    context.insert("sla", &sla(model));
    context.insert("escalation", &escalation(model));
    context.insert("checklist", &checklist(model));
    Ok(context)
}

/// A row of the routing matrix with its number: rules count from 1, the fallback has none.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct MatrixLine<'a> {
    /// The row.
    #[serde(flatten)]
    pub(crate) row: &'a MatrixRow,
    /// 1-based rule number; none for the routing fallback.
    pub(crate) number: Option<usize>,
}

impl MatrixLine<'_> {
    /// True for the routing fallback's row.
    pub(crate) fn is_fallback(&self) -> bool {
        self.number.is_none()
    }
}

/// The routing matrix, numbered: the rules in order, then the fallback.
pub(crate) fn matrix(model: &Model) -> Vec<MatrixLine<'_>> {
    model
        .routing
        .analysis
        .matrix
        .iter()
        .enumerate()
        .map(|(index, row)| MatrixLine { row, number: (index < model.rule_count).then_some(index + 1) })
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
    tests: Vec<TestLine<'a>>,
    max_fallback_share: f64,
    pod_loads: &'a [PodLoadView],
}

#[derive(Serialize)]
struct DeadLine<'a> {
    rule: &'a str,
    /// Why, in Markdown.
    reason: String,
}

#[derive(Serialize)]
struct TestLine<'a> {
    number: usize,
    name: &'a str,
    expected: String,
    reached: String,
    passed: bool,
}

fn routing(model: &Model) -> Routing<'_> {
    let r = &model.routing;
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
                name: &t.name,
                expected: words::destination(&t.expected),
                reached: words::destination(&t.reached),
                passed: t.passed,
            })
            .collect(),
        max_fallback_share: r.max_fallback_share,
        pod_loads: &r.pod_loads,
    }
}

#[derive(Serialize)]
struct SlaLine<'a> {
    #[serde(flatten)]
    pod: &'a PodSlaView,
    /// The pod's role (`SDR`), from its capacity entry.
    role: &'a str,
}

fn sla(model: &Model) -> Vec<SlaLine<'_>> {
    model
        .sla
        .iter()
        .map(|pod| SlaLine { pod, role: model.pods.iter().find(|v| v.id == pod.pod).map_or("", |v| v.role.as_str()) })
        .collect()
}

#[derive(Serialize)]
struct Escalation<'a> {
    tree: &'a EscalationTree,
    rungs: Vec<Rung<'a>>,
    rip_cord_window: &'a str,
    last_node: &'a str,
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
            .map(|rung| Rung { rung, action_text: words::rung_action(rung.action, &rung.to) })
            .collect(),
        rip_cord_window: &e.rip_cord_window,
        last_node: &e.last_node,
    }
}

#[derive(Serialize)]
struct Checklist<'a> {
    fields: Vec<Field<'a>>,
    integrations: &'a [DependencyView],
    automations: &'a [DependencyView],
    other: &'a [DependencyView],
}

#[derive(Serialize)]
struct Field<'a> {
    #[serde(flatten)]
    item: &'a FieldItem,
    /// What needs the field, in words.
    needs: Vec<&'static str>,
}

fn checklist(model: &Model) -> Checklist<'_> {
    let c = &model.checklist;
    Checklist {
        fields: c
            .fields
            .iter()
            .map(|item| Field { item, needs: item.needed_for.iter().map(|n| words::need(*n)).collect() })
            .collect(),
        integrations: &c.integrations,
        automations: &c.automations,
        other: &c.other,
    }
}
