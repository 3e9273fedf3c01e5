//! Per-pod SLA tables: the queueing model and simulation of each pod, with the head-count
//! curve its chart draws and the risks they raise.

use serde::Serialize;

use super::{Risk, RiskKind, Severity};
use crate::calc::sla::Basis;

/// The SLA table of one pod.
#[derive(Debug, Clone, Serialize)]
pub struct PodSlaView {
    /// Pod id.
    pub pod: String,
    /// Leads reaching the pod per week (from the routing load).
    pub leads_per_week: f64,
    /// Leads per open hour.
    pub arrivals_per_open_hour: f64,
    /// Head count.
    pub reps: u32,
    /// The queue at the open-hours arrival rate (Erlang C, or Erlang A with patience):
    /// productive reps, traffic, stability, occupancy, wait probability, share within the SLA,
    /// mean and percentile waits, share going cold. Flattened, so templates read
    /// `p.occupancy` and so on directly.
    #[serde(flatten)]
    pub queue: crate::calc::sla::QueueMetrics,
    /// Simulated attainment (mean).
    pub simulated_attainment: f64,
    /// Half-width of its 95% interval.
    pub simulated_attainment_ci: f64,
    /// Simulated p90 wait, minutes on the SLA clock.
    pub simulated_p90_wait_minutes: f64,
    /// Simulated share going cold.
    pub simulated_cold_share: f64,
    /// Leads simulated.
    pub simulated_leads: u64,
    /// Weeks simulated before the measured ones (1 for a pod that settles within a week; up to
    /// 52 near capacity).
    pub warmup_weeks: u32,
    /// False when the queue does not settle within the longest warm-up (or the simulation
    /// budget): the simulated figures are then what the measured weeks show on the way to a
    /// steady state that is worse still.
    pub settled: bool,
    /// Share of leads arriving while the pod is closed.
    pub after_hours_share: f64,
    /// Mean leads waiting at an opening (none when the pod never closes).
    pub backlog_at_opening: Option<f64>,
    /// Attainment on the brief's clock, from `basis`.
    pub attainment: f64,
    /// Where `attainment` comes from: `erlang_c`, `erlang_a` or `simulation`.
    pub basis: Basis,
    /// Target share.
    pub target: f64,
    /// Head count needed for the target (none: unreachable).
    pub required_reps: Option<u32>,
    /// Productive reps needed.
    pub required_productive_reps: Option<u32>,
    /// SLA the current team can promise at the target, minutes (none: no SLA reaches it).
    pub promisable_sla_minutes: Option<f64>,
    /// The SLA, minutes on its clock.
    pub sla_minutes: f64,
    /// Whether the pod meets its target.
    pub meets_target: bool,
    /// Attainment against productive reps from the queueing formula, for the packet's chart.
    pub curve: SlaCurve,
}

/// SLA attainment against productive reps for one pod, from the queueing formula (the
/// simulation is too slow to sweep), with the current team and the target to mark.
#[derive(Debug, Clone, Serialize)]
pub struct SlaCurve {
    /// The formula the points come from: `erlang_c`, or `erlang_a` when leads go cold.
    pub formula: Basis,
    /// One point per productive head count, increasing.
    pub points: Vec<CurvePoint>,
    /// Productive reps today.
    pub current_productive_reps: u32,
    /// Target share touched within the SLA.
    pub target: f64,
}

/// One point of an [`SlaCurve`].
#[derive(Debug, Clone, Serialize)]
pub struct CurvePoint {
    /// Productive reps.
    pub productive_reps: u32,
    /// Head count giving that many productive reps under the pod's shrinkage.
    pub reps: u32,
    /// Share touched within the SLA by the formula (0 when the queue grows without bound).
    pub attainment: f64,
    /// False when more work arrives than these reps can do (and leads never go cold).
    pub stable: bool,
}

/// Highest occupancy a pod is planned for when the brief sets none: beyond about 85%, reps
/// have no slack for follow-ups and breaks, the usual planning ceiling in workforce management.
pub const DEFAULT_MAX_OCCUPANCY: f64 = 0.85;

/// Most leads one simulation of a pod may draw (all replications and weeks together). The
/// default 30 replications of 1 + 4 weeks stay within it up to 2,666 leads a week; above that,
/// replications (down to 4) and then measured weeks (down to 1) shrink, so a build takes
/// bounded time whatever the demand (the schema caps it at 200,000 leads a week). The interval
/// half-widths in the design widen accordingly and are reported as they are. A pod near
/// capacity, warmed up for weeks more, spends its budget on them the same way (replications
/// first), and one that cannot afford the warm-up it needs is reported as not settled.
pub const SIMULATION_BUDGET: f64 = 400_000.0;

fn simulation_config(seed: u64, leads_per_week: f64) -> crate::calc::simulate::SimConfig {
    let default = crate::calc::simulate::SimConfig { seed, ..Default::default() };
    crate::calc::simulate::fit_budget(default, leads_per_week, SIMULATION_BUDGET)
}

pub(super) fn sla_view(
    checked: &crate::checked::Brief,
    load: &crate::calc::routing::coverage::Load,
    risks: &mut Vec<Risk>,
) -> Vec<PodSlaView> {
    use crate::calc::sla::{self, Risk as SlaRisk};
    let brief = checked.raw();
    let target = checked.sla_attainment().get();
    let max_occupancy = checked.max_occupancy().map_or(DEFAULT_MAX_OCCUPANCY, |o| o.get());
    let mut out = Vec::new();
    for (pod, own) in brief.capacity.pods.iter().zip(checked.pods()) {
        let index = own.index();
        let leads_per_week = load.by_pod.iter().find(|p| p.pod == pod.id).map_or(0.0, |p| p.leads_per_week);
        let input = sla::PodSlaInput {
            leads_per_week,
            touch_minutes: own.touch_minutes(),
            reps: own.available_reps(),
            shrinkage: own.shrinkage().get(),
            sla: checked.sla(),
            clock: checked.clock(),
            calendar: own.calendar().clone(),
            patience: own.patience(),
            target,
            max_occupancy,
            after_hours_share: checked.after_hours_share().map(|s| s.get()),
            start: own.start(),
            // One seed per pod position: reproducible, and pods do not share random streams.
            simulation: simulation_config(0x5eed_0000 + index as u64, leads_per_week),
            simulation_budget: SIMULATION_BUDGET,
        };
        let pointer = format!("/capacity/pods/{index}");
        let mut risk = |severity: Severity, kind: RiskKind| risks.push(Risk::new(severity, kind, pointer.clone()));
        let id = || pod.id.clone();
        // The inputs are checked; what remains is a model's own limit (a queue too large for
        // Erlang A's series, a calendar with no open minute in the simulated weeks).
        let r = match sla::pod_sla(&input) {
            Ok(r) => r,
            Err(e) => {
                risk(Severity::High, RiskKind::SlaNotEvaluated { pod: id(), error: e.to_string() });
                continue;
            }
        };
        for flag in &r.risks {
            match *flag {
                SlaRisk::AttainmentUnderTarget { attainment, target } => risk(
                    Severity::High,
                    RiskKind::AttainmentUnderTarget {
                        pod: id(),
                        attainment,
                        target,
                        sla: brief.response_sla.clone(),
                        required_reps: r.required_reps,
                    },
                ),
                // An unstable queue without patience is "occupied" past 100% (offered work over
                // capacity): the unstable-queue risk says so as a multiple of capacity instead.
                SlaRisk::OccupancyAboveMax { .. } if !r.queue.stable && input.patience.is_none() => {}
                SlaRisk::OccupancyAboveMax { occupancy, max } => {
                    risk(Severity::Medium, RiskKind::OccupancyAboveMax { pod: id(), occupancy, max });
                }
                SlaRisk::SingleRep => risk(Severity::Medium, RiskKind::SingleRep { pod: id() }),
                SlaRisk::NotSettled { warmup_weeks, relaxation_weeks } => risk(
                    Severity::Medium,
                    RiskKind::QueueNotSettled {
                        pod: id(),
                        occupancy: r.queue.occupancy,
                        warmup_weeks,
                        relaxation_weeks: relaxation_weeks.is_finite().then_some(relaxation_weeks),
                    },
                ),
                SlaRisk::UnstableQueue { traffic_erlangs, productive_reps, required_productive_reps } => risk(
                    Severity::High,
                    RiskKind::UnstableQueue {
                        pod: id(),
                        traffic_erlangs,
                        productive_reps,
                        required_productive_reps,
                        keeps_up_productive_reps: sla::keeps_up_productive(traffic_erlangs),
                        cold_share: input.patience.is_some().then_some(r.simulated.cold_share.mean),
                    },
                ),
            }
        }
        if leads_per_week == 0.0 {
            risk(Severity::Low, RiskKind::NoLeads { pod: id() });
        }
        out.push(PodSlaView {
            pod: pod.id.clone(),
            leads_per_week,
            arrivals_per_open_hour: r.open_hours_arrivals_per_hour,
            reps: input.reps,
            queue: r.queue,
            simulated_attainment: r.simulated.attainment.mean,
            simulated_attainment_ci: r.simulated.attainment.half_width,
            simulated_p90_wait_minutes: r.simulated.p90_wait_minutes.mean,
            simulated_cold_share: r.simulated.cold_share.mean,
            simulated_leads: r.simulated.leads,
            warmup_weeks: r.warmup.weeks,
            settled: r.warmup.settled,
            after_hours_share: r.after_hours_share,
            backlog_at_opening: r.backlog_at_opening.map(|b| b.mean),
            attainment: r.attainment,
            basis: r.basis,
            target,
            required_reps: r.required_reps,
            required_productive_reps: r.required_productive_reps,
            promisable_sla_minutes: r.promisable_sla_minutes.filter(|m| m.is_finite()),
            sla_minutes: r.sla_minutes,
            meets_target: r.attainment >= target,
            curve: sla_curve(&input, &r, target),
        });
    }
    // Attributes the rules read that the demand mix does not split: the load there is a guess.
    let unstated: Vec<String> = crate::calc::routing::coverage::used_fields(brief)
        .into_iter()
        .filter(|f| !brief.demand.mix.contains_key(f))
        .collect();
    if !unstated.is_empty() {
        risks.push(Risk::new(Severity::Low, RiskKind::MixUnstated { fields: unstated }, "/demand"));
    }
    out
}

/// Points a chart needs at most: enough to reach 99% from an unstable queue in every example,
/// few enough to draw quickly.
const CURVE_MAX_POINTS: usize = 120;

/// Attainment against productive reps at the pod's open-hours arrival rate, by the queueing
/// formula the SLA table reports (Erlang C, or Erlang A with patience). Starts at the largest
/// head count that cannot keep up (or at the current team when that is smaller) and runs past
/// both the current team and 99% attainment.
fn sla_curve(input: &crate::calc::sla::PodSlaInput, r: &crate::calc::sla::PodSla, target: f64) -> SlaCurve {
    use crate::calc::sla::{QueueInput, queue_metrics, reps_for_productive};
    let current = r.productive_reps;
    let patience = input.patience.map(|p| p.calendar_minutes());
    // Traffic is finite and non-negative (validated); the floor fits a u32 for any real pod.
    let traffic = r.queue.traffic_erlangs;
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let unstable_up_to = if traffic.is_finite() && traffic >= 0.0 { traffic.floor().min(1e6) as u32 } else { 0 };
    let first = unstable_up_to.min(current).max(1);
    let mut points = Vec::new();
    let mut n = first;
    loop {
        let metrics = queue_metrics(&QueueInput {
            arrivals_per_hour: r.open_hours_arrivals_per_hour,
            touch_minutes: input.touch_minutes,
            productive_reps: n,
            sla_minutes: r.sla_minutes,
            patience_minutes: patience,
        });
        let (attainment, stable) = match metrics {
            Ok(m) => (m.service_level.unwrap_or(0.0), m.stable),
            Err(_) => (0.0, false),
        };
        points.push(CurvePoint {
            productive_reps: n,
            reps: reps_for_productive(n, input.shrinkage),
            attainment,
            stable,
        });
        let past_current = n >= current.saturating_add(2);
        let reached = attainment >= 0.99 && attainment >= target;
        if (past_current && reached) || points.len() >= CURVE_MAX_POINTS || n == u32::MAX {
            break;
        }
        n += 1;
    }
    let formula = if patience.is_some() { Basis::ErlangA } else { Basis::ErlangC };
    SlaCurve { formula, points, current_productive_reps: current, target }
}
