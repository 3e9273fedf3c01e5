//! `handoff monitor --format json`: the report as serde structs, in the key order the README
//! documents; the shared figures of a pod, rep and window block are [`FiguresJson`], flattened.

use serde::Serialize;
use serde_json::Value;

use super::{clock_name, finding_sentence};
use crate::monitor::{Figures, Finding, MonitorReport, RipCordEvent, Window};

/// The figures every pod, rep and window block and the report's top level share, in their JSON
/// order. `untouched_past_sla` is a count, but at the top level the aging backlog (its count and
/// the oldest leads, [`BacklogJson`]) in the same place.
#[derive(Serialize)]
struct FiguresJson<U = u64> {
    leads: u64,
    touched: u64,
    within_sla: u64,
    attainment: Option<f64>,
    p50_minutes: Option<f64>,
    p90_minutes: Option<f64>,
    untouched_past_sla: U,
    pending: u64,
}

impl From<&Figures> for FiguresJson {
    fn from(f: &Figures) -> Self {
        Self {
            leads: f.leads,
            touched: f.touched,
            within_sla: f.within_sla,
            attainment: f.attainment,
            p50_minutes: f.p50_minutes,
            p90_minutes: f.p90_minutes,
            untouched_past_sla: f.untouched_past_sla,
            pending: f.pending,
        }
    }
}

impl FiguresJson {
    /// The same figures with `untouched_past_sla` told as `untouched`.
    fn with_untouched<U>(self, untouched: U) -> FiguresJson<U> {
        let Self { leads, touched, within_sla, attainment, p50_minutes, p90_minutes, untouched_past_sla: _, pending } =
            self;
        FiguresJson {
            leads,
            touched,
            within_sla,
            attainment,
            p50_minutes,
            p90_minutes,
            untouched_past_sla: untouched,
            pending,
        }
    }
}

/// The report's top level: the totals' figures, with the aging backlog for their
/// `untouched_past_sla`, then the rest.
#[derive(Serialize)]
struct ReportJson<'a> {
    #[serde(flatten)]
    figures: FiguresJson<BacklogJson<'a>>,
    predicted_attainment: Option<f64>,
    target: f64,
    now: &'a str,
    sla_clock: &'static str,
    sla_minutes: f64,
    window: Window,
    by_pod: Vec<PodJson<'a>>,
    by_rep: Vec<RepJson<'a>>,
    windows: Vec<WindowJson<'a>>,
    breaches: u64,
    rip_cord: &'a [RipCordEvent],
    rip_cord_total: usize,
    malformed: MalformedJson<'a>,
    outside_range: u64,
    demand: DemandJson<'a>,
    acceptance: Option<RateJson>,
    conversion: Option<LiftJson>,
    findings: Vec<FindingJson<'a>>,
}

#[derive(Serialize)]
struct BacklogJson<'a> {
    count: u64,
    oldest: Vec<AgingJson<'a>>,
}

#[derive(Serialize)]
struct AgingJson<'a> {
    line: u64,
    lead_id: Option<&'a str>,
    pod: &'a str,
    owner: Option<&'a str>,
    created_at: &'a str,
    waited_minutes: f64,
}

#[derive(Serialize)]
struct PodJson<'a> {
    pod: &'a str,
    #[serde(flatten)]
    figures: FiguresJson,
    predicted_attainment: Option<f64>,
    sla_minutes: f64,
    observed_leads_per_week: f64,
    designed_leads_per_week: f64,
    after_hours_share: Option<f64>,
    designed_after_hours_share: f64,
}

#[derive(Serialize)]
struct RepJson<'a> {
    pod: &'a str,
    rep: &'a str,
    #[serde(flatten)]
    figures: FiguresJson,
    share: f64,
    expected_share: Option<f64>,
}

#[derive(Serialize)]
struct WindowJson<'a> {
    start: &'a str,
    end: &'a str,
    #[serde(flatten)]
    figures: FiguresJson,
}

#[derive(Serialize)]
struct MalformedJson<'a> {
    count: u64,
    rows: Vec<MalformedRowJson<'a>>,
}

#[derive(Serialize)]
struct MalformedRowJson<'a> {
    line: u64,
    column: usize,
    field: &'a str,
    message: &'a str,
}

#[derive(Serialize)]
struct DemandJson<'a> {
    observed_leads_per_week: f64,
    designed_leads_per_week: f64,
    after_hours_share: Option<f64>,
    designed_after_hours_share: Option<f64>,
    busiest_hours: Vec<HourJson>,
    first_created_at: Option<&'a str>,
    last_created_at: Option<&'a str>,
}

#[derive(Serialize)]
struct HourJson {
    hour: u8,
    leads: u64,
}

#[derive(Serialize)]
struct RateJson {
    rate: f64,
    target: f64,
}

#[derive(Serialize)]
struct LiftJson {
    rate: f64,
    target_lift: f64,
}

/// A finding's facts (`kind` first) and its sentence.
#[derive(Serialize)]
struct FindingJson<'a> {
    #[serde(flatten)]
    finding: &'a Finding,
    message: String,
}

/// The report as one JSON object.
#[must_use]
pub fn json(r: &MonitorReport) -> Value {
    let t = &r.totals;
    let report = ReportJson {
        figures: FiguresJson::from(t).with_untouched(BacklogJson {
            count: t.untouched_past_sla,
            oldest: r
                .aging
                .iter()
                .map(|a| AgingJson {
                    line: a.line,
                    lead_id: a.lead_id.as_deref(),
                    pod: &a.pod,
                    owner: a.owner.as_deref(),
                    created_at: &a.created_at,
                    waited_minutes: a.waited_minutes,
                })
                .collect(),
        }),
        predicted_attainment: r.predicted_attainment,
        target: r.target,
        now: &r.now,
        sla_clock: clock_name(r.clock),
        sla_minutes: r.sla_minutes,
        window: r.window,
        by_pod: r
            .by_pod
            .iter()
            .map(|p| PodJson {
                pod: &p.pod,
                figures: (&p.figures).into(),
                predicted_attainment: p.predicted_attainment,
                sla_minutes: p.sla_minutes,
                observed_leads_per_week: p.observed_per_week,
                designed_leads_per_week: p.designed_per_week,
                after_hours_share: p.after_hours_share,
                designed_after_hours_share: p.designed_after_hours_share,
            })
            .collect(),
        by_rep: r
            .by_rep
            .iter()
            .map(|p| RepJson {
                pod: &p.pod,
                rep: &p.rep,
                figures: (&p.figures).into(),
                share: p.share,
                expected_share: p.expected_share,
            })
            .collect(),
        windows: r
            .windows
            .iter()
            .map(|w| WindowJson { start: &w.start, end: &w.end, figures: (&w.figures).into() })
            .collect(),
        breaches: r.breaches,
        rip_cord: &r.rip_cord,
        rip_cord_total: r.rip_cord_total,
        malformed: MalformedJson {
            count: r.malformed,
            rows: r
                .malformed_rows
                .iter()
                .map(|(line, m)| MalformedRowJson {
                    line: *line,
                    column: m.column,
                    field: &m.field,
                    message: &m.message,
                })
                .collect(),
        },
        outside_range: r.outside_range,
        demand: DemandJson {
            observed_leads_per_week: r.observed_per_week,
            designed_leads_per_week: r.designed_per_week,
            after_hours_share: r.after_hours_share,
            designed_after_hours_share: r.designed_after_hours_share,
            busiest_hours: r.busiest_hours.iter().map(|&(hour, leads)| HourJson { hour, leads }).collect(),
            first_created_at: r.span.as_ref().map(|s| s.0.as_str()),
            last_created_at: r.span.as_ref().map(|s| s.1.as_str()),
        },
        acceptance: r.acceptance.map(|(rate, target)| RateJson { rate, target }),
        conversion: r.conversion.map(|(rate, target_lift)| LiftJson { rate, target_lift }),
        findings: r.findings.iter().map(|f| FindingJson { finding: f, message: finding_sentence(f) }).collect(),
    };
    // Only maps with string keys and plain numbers: serialising cannot fail.
    serde_json::to_value(report).unwrap_or(Value::Null)
}
