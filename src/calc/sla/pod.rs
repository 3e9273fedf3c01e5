//! One pod of a brief on its business calendar: [`pod_sla`] (the upper level of
//! [`super`]), with the occupancy floor, the formulas' promisable SLA and the simulated
//! head-count search it draws on.

use jiff::Timestamp;

use super::{
    QueueInput, QueueMetrics, SlaError, check_share, check_shrinkage, productive_reps, queue_metrics,
    reps_for_productive, required_productive_reps, smallest,
};
use crate::calc::calendar::BusinessCalendar;
use crate::calc::duration::Duration;
use crate::calc::erlang::{ErlangA, ErlangC};
use crate::calc::simulate::{Clock, Estimate, PodModel, Probes, SimConfig, SimResult, Warmup, settle, simulate};

/// One pod of a brief, on its calendar.
#[derive(Debug, Clone)]
pub struct PodSlaInput {
    /// Leads reaching the pod per week.
    pub leads_per_week: f64,
    /// Mean minutes per first touch.
    pub touch_minutes: f64,
    /// Head count.
    pub reps: u32,
    /// Share of paid time not available for first touches, in [0, 1).
    pub shrinkage: f64,
    /// The first-touch SLA (`1d` on the business clock is one business day).
    pub sla: Duration,
    /// The clock the SLA runs on.
    pub clock: Clock,
    /// The pod's calendar.
    pub calendar: BusinessCalendar,
    /// Mean time a lead stays warm, on the calendar clock (a lead cools in real time).
    pub patience: Option<Duration>,
    /// Target share touched within the SLA, in (0, 1].
    pub target: f64,
    /// Highest acceptable occupancy, in (0, 1].
    pub max_occupancy: f64,
    /// Share of the week's leads that arrive while the pod is closed; `None` spreads every lead
    /// over business hours.
    pub after_hours_share: Option<f64>,
    /// Where simulated weeks start (e.g. launch day, 00:00 in the pod's zone).
    pub start: Timestamp,
    /// Simulation seed, warm-up, length and replications. The warm-up is the least: a pod
    /// near capacity is warmed up longer (up to a year), from further back, so that the same
    /// weeks are measured once its queue has settled.
    pub simulation: SimConfig,
    /// Most leads one simulation may draw (all replications and weeks together); a longer
    /// warm-up costs replications first (down to 4). `f64::INFINITY` for no limit.
    pub simulation_budget: f64,
}

/// Where a pod's attainment figure comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// Erlang C holds: a pod that never closes, or the business clock with arrivals only in
    /// open hours (then business time is a plain M/M/N queue).
    ErlangC,
    /// Erlang A holds: a pod that never closes, with patience.
    ErlangA,
    /// The formulas' assumptions fail (closing hours with after-hours arrivals, the calendar
    /// clock, patience across closed hours, an unstable queue): the simulation answers.
    Simulation,
}

/// A risk to the SLA promise, with the numbers behind it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Risk {
    /// Expected attainment is below the target.
    AttainmentUnderTarget {
        /// Expected share touched within the SLA.
        attainment: f64,
        /// The target share.
        target: f64,
    },
    /// Occupancy in open hours is above the acceptable maximum.
    OccupancyAboveMax {
        /// Occupancy at the open-hours arrival rate.
        occupancy: f64,
        /// The maximum.
        max: f64,
    },
    /// The pod has one rep: nobody covers absence.
    SingleRep,
    /// The queue does not settle within the longest warm-up (or the simulation budget): near
    /// capacity it forgets its empty start only slowly, so the simulated attainment is what the
    /// measured weeks show on the way to a steady state that is lower still.
    NotSettled {
        /// Weeks simulated before measuring.
        warmup_weeks: u32,
        /// Relaxation time of the queue, weeks (infinite: it grows without bound).
        relaxation_weeks: f64,
    },
    /// More work arrives in open hours than the productive reps can do.
    UnstableQueue {
        /// Offered traffic in open hours, erlangs.
        traffic_erlangs: f64,
        /// Productive reps.
        productive_reps: u32,
        /// Productive reps needed for the target (`None`: unreachable).
        required_productive_reps: Option<u32>,
    },
}

/// The SLA report for one pod.
#[derive(Debug, Clone, PartialEq)]
pub struct PodSla {
    /// The SLA in minutes on its clock.
    pub sla_minutes: f64,
    /// Leads per open hour (the rate the team faces while open).
    pub open_hours_arrivals_per_hour: f64,
    /// Productive reps.
    pub productive_reps: u32,
    /// Erlang metrics at the open-hours arrival rate, except `occupancy`, which counts every
    /// lead the pod must work: with after-hours leads, the week's work (less the leads that go
    /// cold) over the open hours' capacity.
    pub queue: QueueMetrics,
    /// Share of leads arriving outside business hours (from the demand; 0 when not given).
    pub after_hours_share: f64,
    /// Mean leads waiting at an opening after a closed period (simulated; `None` when the pod
    /// never closes).
    pub backlog_at_opening: Option<Estimate>,
    /// Expected share touched within the SLA on the chosen clock, from `basis`.
    pub attainment: f64,
    /// Which model `attainment` comes from.
    pub basis: Basis,
    /// The simulation of the pod, always run (a cross-check where the formulas hold).
    pub simulated: SimResult,
    /// How long the simulation warmed the pod up, and whether its queue settled.
    pub warmup: Warmup,
    /// Fewest productive reps reaching the target (by `basis`; `None`: unreachable, e.g. leads
    /// waiting through closed hours breach a calendar-clock SLA whatever the head count).
    pub required_productive_reps: Option<u32>,
    /// Fewest head count reaching it under shrinkage.
    pub required_reps: Option<u32>,
    /// The SLA (minutes on its clock) this team can promise at the target share (`None`: no
    /// SLA reaches it, e.g. too many leads go cold).
    pub promisable_sla_minutes: Option<f64>,
    /// Risks, in a fixed order.
    pub risks: Vec<Risk>,
}

/// The SLA report of one pod over its calendar.
///
/// # Errors
/// [`SlaError::Invalid`] for out-of-domain inputs (negative demand, touch minutes ≤ 0,
/// shrinkage outside [0, 1), target or max occupancy outside (0, 1], after-hours share outside
/// [0, 1)); [`SlaError::ErlangA`] and [`SlaError::Simulation`] from the models.
pub fn pod_sla(input: &PodSlaInput) -> Result<PodSla, SlaError> {
    let bad = |field, expected, value| Err(SlaError::Invalid { field, expected, value });
    if !(input.leads_per_week.is_finite() && input.leads_per_week >= 0.0) {
        return bad("leads per week", "a non-negative number", input.leads_per_week);
    }
    check_shrinkage(input.shrinkage)?;
    check_share("target", input.target)?;
    check_share("max occupancy", input.max_occupancy)?;
    let after = input.after_hours_share.unwrap_or(0.0);
    if !(after.is_finite() && (0.0..1.0).contains(&after)) {
        return bad("after-hours share", "a share from 0 up to (not including) 1", after);
    }
    let cal = &input.calendar;
    let open_week = cal.open_minutes_in_week();
    let closed_week = 7.0 * 24.0 * 60.0 - open_week;
    let (open_rate, closed_rate) = if closed_week > 0.0 {
        (input.leads_per_week * (1.0 - after) / open_week, input.leads_per_week * after / closed_week)
    } else {
        (input.leads_per_week / open_week, 0.0)
    };
    let after = if closed_week > 0.0 { after } else { 0.0 };
    let sla_minutes = input.clock.minutes(input.sla, cal);
    let patience = input.patience.map(|p| p.calendar_minutes());
    let productive = productive_reps(input.reps, input.shrinkage);
    let queue_input = QueueInput {
        arrivals_per_hour: open_rate * 60.0,
        touch_minutes: input.touch_minutes,
        productive_reps: productive,
        sla_minutes,
        patience_minutes: patience,
    };
    let mut queue = queue_metrics(&queue_input)?;

    let basis = if !queue.stable && patience.is_none() {
        Basis::Simulation
    } else if cal.is_always_open() {
        if patience.is_some() { Basis::ErlangA } else { Basis::ErlangC }
    } else if input.clock == Clock::Business && after == 0.0 && patience.is_none() {
        Basis::ErlangC
    } else {
        Basis::Simulation
    };

    let plain = |reps: u32| PodModel {
        calendar: cal,
        start: input.start,
        open_rate_per_minute: open_rate,
        closed_rate_per_minute: closed_rate,
        touch_minutes: input.touch_minutes,
        reps,
        patience_minutes: patience,
        sla_minutes,
        clock: input.clock,
        promise_share: input.target,
    };
    // Each head count with its own warm-up: more reps settle sooner.
    let model = |reps: u32| settle(plain(reps), &input.simulation, input.simulation_budget);
    let (today, today_config, warmup) = model(productive);
    let simulated = simulate(&today, &today_config)?;
    // Leads arriving after hours are worked in open hours too: the occupancy of the open hours
    // counts them (less those that go cold), not only the open-hours arrival rate.
    let week_work = (after > 0.0).then(|| {
        let cold = if patience.is_some() { simulated.cold_share.mean } else { 0.0 };
        input.leads_per_week * (1.0 - cold) * input.touch_minutes
    });
    if let Some(work) = week_work
        && productive > 0
    {
        queue.occupancy = Some(work / (f64::from(productive) * open_week));
    }

    let (attainment, required_productive, promisable) = match basis {
        Basis::ErlangC | Basis::ErlangA => {
            let attainment = queue.service_level.unwrap_or(0.0);
            let required = required_productive_reps(&queue_input, input.target, input.max_occupancy)?;
            (attainment, required, erlang_promisable(&queue_input, input.target)?)
        }
        Basis::Simulation => {
            let erlang_req = required_productive_reps(&queue_input, input.target, input.max_occupancy)?;
            let known = (productive, simulated.attainment.mean >= input.target);
            let reaching = simulated_requirement(&model, erlang_req, input.target, known)?;
            // DESIGN.md: the smallest N reaching the target share *and the max occupancy*. The
            // simulation answers the first; the occupancy this report shows answers the second.
            let required = match reaching {
                Some(r) => occupancy_floor(&queue_input, week_work, open_week, input.max_occupancy)?.map(|f| r.max(f)),
                None => None,
            };
            let p = simulated.promisable_sla_minutes.mean;
            (simulated.attainment.mean, required, p.is_finite().then_some(p))
        }
    };
    let required_reps = required_productive.map(|p| reps_for_productive(p, input.shrinkage));

    let mut risks = Vec::new();
    if attainment < input.target {
        risks.push(Risk::AttainmentUnderTarget { attainment, target: input.target });
    }
    if let Some(occ) = queue.occupancy
        && occ > input.max_occupancy
    {
        risks.push(Risk::OccupancyAboveMax { occupancy: occ, max: input.max_occupancy });
    }
    if input.reps == 1 {
        risks.push(Risk::SingleRep);
    }
    if !warmup.settled && queue.stable && basis == Basis::Simulation {
        risks.push(Risk::NotSettled { warmup_weeks: warmup.weeks, relaxation_weeks: warmup.relaxation_weeks });
    }
    if !queue.stable {
        risks.push(Risk::UnstableQueue {
            traffic_erlangs: queue.traffic_erlangs,
            productive_reps: productive,
            required_productive_reps: required_productive,
        });
    }
    Ok(PodSla {
        sla_minutes,
        open_hours_arrivals_per_hour: open_rate * 60.0,
        productive_reps: productive,
        queue,
        after_hours_share: after,
        backlog_at_opening: simulated.backlog_at_opening,
        attainment,
        basis,
        simulated,
        warmup,
        required_productive_reps: required_productive,
        required_reps,
        promisable_sla_minutes: promisable,
        risks,
    })
}

/// Fewest productive reps whose occupancy, as [`PodSla::queue`] reports it, is at most `max`:
/// the week's work over their open minutes when leads also arrive after hours (`week_work`),
/// else the queue model's (A / N, or Erlang A's with patience). More reps never raise it.
fn occupancy_floor(q: &QueueInput, week_work: Option<f64>, open_week: f64, max: f64) -> Result<Option<u32>, SlaError> {
    if q.traffic_erlangs() == 0.0 && week_work.is_none_or(|w| w == 0.0) {
        return Ok(Some(0));
    }
    // Only the occupancy, as `queue_metrics` computes it (not its waits and quantiles).
    let a = q.traffic_erlangs();
    smallest(1, |n| {
        let occupancy = match (week_work, q.patience_minutes) {
            (Some(work), _) => work / (f64::from(n) * open_week),
            (None, Some(p)) => ErlangA::new(q.arrivals_per_hour / 60.0, q.touch_minutes, n, p)?.occupancy(),
            (None, None) => a / f64::from(n),
        };
        Ok::<_, SlaError>(occupancy <= max)
    })
}

/// The SLA reaching `target` under Erlang C / A with the current reps.
fn erlang_promisable(q: &QueueInput, target: f64) -> Result<Option<f64>, SlaError> {
    let a = q.traffic_erlangs();
    if a == 0.0 {
        return Ok(Some(0.0));
    }
    match q.patience_minutes {
        None => Ok(ErlangC::new(q.productive_reps, a, q.touch_minutes).map(|c| c.wait_quantile(target))),
        Some(p) => {
            let ea = ErlangA::new(q.arrivals_per_hour / 60.0, q.touch_minutes, q.productive_reps, p)?;
            // touched_within(t) rises to 1 − P(cold); beyond that no SLA reaches the target.
            if ea.touched_within(f64::MAX.sqrt())? < target {
                return Ok(None);
            }
            if ea.touched_within(0.0)? >= target {
                return Ok(Some(0.0));
            }
            let mut hi = q.touch_minutes;
            while ea.touched_within(hi)? < target {
                hi *= 2.0;
            }
            let mut lo = 0.0;
            for _ in 0..100 {
                let mid = 0.5 * (lo + hi);
                if ea.touched_within(mid)? < target {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            Ok(Some(hi))
        }
    }
}

/// Fewest productive reps whose simulated attainment reaches `target`, or `None` when eight
/// times the Erlang requirement (at least 64 more reps) still misses: closed hours alone breach
/// the SLA. More reps never lengthen a FCFS wait with the same random numbers, so "reaches" is
/// monotone in the head count and any search finds the same smallest one. The search starts at
/// the formula's answer (where it usually ends: one probe there, one just below), gallops down
/// or up from it, then bisects; `known` is a head count already simulated with its answer, each
/// probe is asked once, and a probe runs only the replications its answer needs
/// ([`Probes`], which also stops at once where no head count can reach the target). Each head count runs with its own warm-up (`model`), so the random
/// numbers are shared only between head counts whose warm-ups agree.
fn simulated_requirement<'a>(
    model: &impl Fn(u32) -> (PodModel<'a>, SimConfig, Warmup),
    erlang_req: Option<u32>,
    target: f64,
    known: (u32, bool),
) -> Result<Option<u32>, SlaError> {
    let base = erlang_req.unwrap_or(1).max(1);
    let cap = base.saturating_mul(8).max(base.saturating_add(64));
    let mut asked = std::collections::BTreeMap::from([known]);
    let mut probes = Probes::default();
    let mut reaches = |n: u32| -> Result<bool, SlaError> {
        if let Some(&r) = asked.get(&n) {
            return Ok(r);
        }
        let (m, config, _) = model(n);
        let r = probes.reaches(&m, &config, target)?;
        asked.insert(n, r);
        Ok(r)
    };
    let seed = base.min(cap);
    // (bad, good): the largest head count known to miss (0: none) and the smallest known to
    // reach.
    let (mut bad, mut good) = if reaches(seed)? {
        let mut good = seed;
        let mut step = 1_u32;
        loop {
            if good == 1 {
                return Ok(Some(1));
            }
            let probe = good.saturating_sub(step).max(1);
            if reaches(probe)? {
                good = probe;
                step = step.saturating_mul(2);
            } else {
                break (probe, good);
            }
        }
    } else {
        let mut bad = seed;
        let mut step = 1_u32;
        loop {
            let probe = bad.saturating_add(step).min(cap);
            if reaches(probe)? {
                break (bad, probe);
            }
            if probe == cap {
                return Ok(None);
            }
            bad = probe;
            step = step.saturating_mul(2);
        }
    };
    while good - bad > 1 {
        let mid = bad + (good - bad) / 2;
        if reaches(mid)? {
            good = mid;
        } else {
            bad = mid;
        }
    }
    Ok(Some(good))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_promisable_sla_is_the_erlang_c_wait_quantile_by_hand() {
        // 120 leads an hour of 5-minute touches: 10 erlangs, λ = 2 a minute, μ = 1/5. In M/M/N,
        // P(wait > t) = C·e^(−(Nμ − λ)t), so the SLA a share p reaches is ln(C/(1 − p))/(Nμ − λ)
        // when C > 1 − p, else 0 (nobody waits often enough to matter). C by the textbook sum in
        // exact fractions (python3 `fractions`): 0.449388… with 12 reps, 0.682118… with 11,
        // 0.102042… with 15; the SLAs below are those formulas evaluated in python3.
        let q = |reps| QueueInput {
            arrivals_per_hour: 120.0,
            touch_minutes: 5.0,
            productive_reps: reps,
            sla_minutes: 15.0,
            patience_minutes: None,
        };
        for (reps, target, minutes) in [
            (12, 0.8, 2.023_924_474_240_668_6),
            (12, 0.9, 3.756_792_425_640_532),
            (12, 0.5, 0.0),
            (11, 0.5, 1.552_974_325_309_125_5),
            (11, 0.9, 9.600_163_887_479_622),
            (15, 0.9, 0.020_217_903_880_333_826),
            (15, 0.8, 0.0),
        ] {
            let got = erlang_promisable(&q(reps), target).unwrap().unwrap();
            assert!((got - minutes).abs() <= 1e-9 * minutes.max(1.0), "{reps} reps, {target}: {got} vs {minutes}");
        }
        // 10 reps for 10 erlangs never settle: no SLA is promisable. No leads: any SLA is.
        assert_eq!(erlang_promisable(&q(10), 0.8).unwrap(), None);
        assert_eq!(erlang_promisable(&QueueInput { arrivals_per_hour: 0.0, ..q(1) }, 0.99).unwrap(), Some(0.0));
    }

    #[test]
    fn the_promisable_sla_under_patience_is_the_smallest_reaching_the_target() {
        // Erlang A (30-minute patience) keeps 10 reps for 10 erlangs stable by abandonment. The
        // search must land on the smallest SLA whose touched-within share reaches the target
        // (to 1e-9 of it), give 0 when the leads reached at once already do, and none above the
        // share that is ever touched (1 − P(cold)).
        let q = QueueInput {
            arrivals_per_hour: 120.0,
            touch_minutes: 5.0,
            productive_reps: 10,
            sla_minutes: 15.0,
            patience_minutes: Some(30.0),
        };
        let ea = ErlangA::new(2.0, 5.0, 10, 30.0).unwrap();
        let within = |t: f64| ea.touched_within(t).unwrap();
        let (at_once, ever) = (within(0.0), within(f64::MAX.sqrt()));
        assert!(0.1 < at_once && at_once < ever && ever < 0.99, "{at_once} {ever}");
        for target in [at_once + 1e-6, 0.5 * (at_once + ever), ever - 1e-3, ever - 1e-9] {
            let t = erlang_promisable(&q, target).unwrap().unwrap();
            assert!(t > 0.0 && within(t) >= target, "{target}: {t} reaches {}", within(t));
            assert!(within(t * (1.0 - 1e-9)) < target, "{target}: {t} is not the smallest");
        }
        assert_eq!(erlang_promisable(&q, at_once).unwrap(), Some(0.0));
        assert_eq!(erlang_promisable(&q, 0.5 * at_once).unwrap(), Some(0.0));
        // The share ever touched is itself reached (in floats, once the rest is below their
        // precision), no sooner than a hair below it; a hair above it never is.
        let (far, near) = (erlang_promisable(&q, ever).unwrap(), erlang_promisable(&q, ever - 1e-9).unwrap());
        assert!(far.zip(near).is_some_and(|(f, n)| f >= n && within(f) >= ever), "{far:?} {near:?}");
        assert_eq!(erlang_promisable(&q, ever + 1e-6).unwrap(), None);
        assert_eq!(erlang_promisable(&q, 0.999).unwrap(), None);
    }

    #[test]
    fn a_pod_exactly_at_the_maximum_occupancy_carries_no_occupancy_risk() {
        // Guards the risk's `occupancy > max` (the allowed side of the same boundary as the
        // requirement). An always-open pod: 20,160 leads a week over 10,080 open minutes is
        // 2 a minute = 120 an hour; × 5 minutes = 10 erlangs on 20 reps: occupancy 0.5 exactly.
        // At max 0.5 nothing is at risk and 20 productive reps are required; at max 0.49 the
        // risk names occupancy 0.5 against 0.49 and 21 reps are required (10 / 0.49 = 20.4).
        let input = PodSlaInput {
            leads_per_week: 20_160.0,
            touch_minutes: 5.0,
            reps: 20,
            shrinkage: 0.0,
            sla: Duration::parse("1h").unwrap(),
            clock: Clock::Business,
            calendar: BusinessCalendar::always_open(),
            patience: None,
            target: 0.8,
            max_occupancy: 0.5,
            after_hours_share: None,
            start: "2026-03-02T00:00:00Z".parse().unwrap(),
            simulation: SimConfig { seed: 1, warmup_weeks: 0, weeks: 1, replications: 2, threads: 0 },
            simulation_budget: f64::INFINITY,
        };
        let at = pod_sla(&input).unwrap();
        assert_eq!((at.open_hours_arrivals_per_hour, at.queue.occupancy), (120.0, Some(0.5)));
        assert_eq!((at.basis, at.required_productive_reps, at.required_reps), (Basis::ErlangC, Some(20), Some(20)));
        assert_eq!(at.risks, vec![]);
        let over = pod_sla(&PodSlaInput { max_occupancy: 0.49, ..input }).unwrap();
        assert_eq!(over.required_productive_reps, Some(21));
        assert_eq!(over.risks, vec![Risk::OccupancyAboveMax { occupancy: 0.5, max: 0.49 }]);
    }
}
