//! A pod simulated from its rates: Poisson arrivals through the engine for replications of
//! warm-up plus measured weeks, summarised as estimates with confidence intervals.

use jiff::Timestamp;

use super::arrivals::{PoissonArrivals, arrival_segments};
use super::config::{Clock, SimConfig};
use super::engine::{Counts, Run, Service};
use super::rng::Rng;
use super::schedule::{Schedule, plus_hours};
use super::stats::{Estimate, quantile};
use super::{SimError, check_common, parallel};
use crate::calc::calendar::BusinessCalendar;

/// One pod to simulate.
#[derive(Debug, Clone)]
pub struct PodModel<'a> {
    /// The pod's business calendar.
    pub calendar: &'a BusinessCalendar,
    /// When the simulation starts (the pod starts empty).
    pub start: Timestamp,
    /// Arrivals per minute while open.
    pub open_rate_per_minute: f64,
    /// Arrivals per minute while closed (0 when leads arrive only in business hours).
    pub closed_rate_per_minute: f64,
    /// Mean first-touch work in minutes (exponential).
    pub touch_minutes: f64,
    /// Productive reps.
    pub reps: u32,
    /// Mean patience in real minutes (exponential); `None` for leads that never go cold.
    pub patience_minutes: Option<f64>,
    /// The SLA in minutes on `clock`.
    pub sla_minutes: f64,
    /// Which clock the SLA runs on.
    pub clock: Clock,
    /// The share for which [`SimResult::promisable_sla_minutes`] is reported (the target).
    pub promise_share: f64,
}

/// What a simulation measured.
#[derive(Debug, Clone, PartialEq)]
pub struct SimResult {
    /// Leads measured over all replications.
    pub leads: u64,
    /// Share of leads touched within the SLA on the chosen clock (cold leads count as missed).
    pub attainment: Estimate,
    /// Share of leads that went cold before a first touch.
    pub cold_share: Estimate,
    /// Share of leads that arrived while the pod was closed.
    pub after_hours_share: Estimate,
    /// Mean leads waiting at an opening after a closed period (`None` when the pod never closes
    /// in the measured weeks).
    pub backlog_at_opening: Option<Estimate>,
    /// Median offered wait (minutes on the SLA clock until a rep would reach the lead).
    pub p50_wait_minutes: Estimate,
    /// 90th percentile of the offered wait.
    pub p90_wait_minutes: Estimate,
    /// 95th percentile of the offered wait.
    pub p95_wait_minutes: Estimate,
    /// The shortest SLA this pod meets for `promise_share` of its leads: that quantile of the
    /// time to first touch, cold leads never touched (infinite when too many go cold).
    pub promisable_sla_minutes: Estimate,
}

/// What every replication of one model and configuration shares: the calendar read once, the
/// arrival rates as segments, and the measured window.
struct Setup {
    schedule: Schedule,
    segments: Vec<(f64, f64, f64)>,
    service: Service,
    measure_from: f64,
    horizon: f64,
    last_end: f64,
}

impl Setup {
    fn new(model: &PodModel<'_>, config: &SimConfig) -> Result<Self, SimError> {
        check_common(model.touch_minutes, model.sla_minutes, model.patience_minutes)?;
        let rate_ok = |r: f64| r.is_finite() && r >= 0.0;
        if !rate_ok(model.open_rate_per_minute) || !rate_ok(model.closed_rate_per_minute) {
            return Err(SimError::InvalidInput("arrival rates must be non-negative and finite"));
        }
        if config.weeks == 0 || config.replications == 0 {
            return Err(SimError::InvalidInput("weeks and replications must be at least 1"));
        }
        let measure_from = f64::from(config.warmup_weeks) * WEEK;
        let horizon = measure_from + f64::from(config.weeks) * WEEK;
        // Intervals beyond the horizon so that leads queued at its end can still be served.
        let tail_weeks = i64::from(config.warmup_weeks) + i64::from(config.weeks) + 8;
        let until = plus_hours(model.start, tail_weeks * 7 * 24);
        let schedule = Schedule::new(model.calendar, model.start, until)?;
        let segments = arrival_segments(&schedule, horizon, model.open_rate_per_minute, model.closed_rate_per_minute);
        let service = Service {
            touch_minutes: model.touch_minutes,
            patience_minutes: model.patience_minutes,
            sla_minutes: model.sla_minutes,
            clock: model.clock,
        };
        let last_end = schedule.last_end();
        Ok(Self { schedule, segments, service, measure_from, horizon, last_end })
    }
}

const WEEK: f64 = 7.0 * 24.0 * 60.0;

/// Mixed into a replication's seed for its arrivals (the engine draws touches and patience
/// from the seed itself).
const ARRIVAL_SEED: u64 = 0xA5A5_5A5A_DEAD_BEEF;

/// Share of a run's measured leads attained (1 when none was measured).
fn attainment(counts: &Counts) -> f64 {
    #[allow(clippy::cast_precision_loss)]
    if counts.leads == 0 { 1.0 } else { counts.attained as f64 / counts.leads as f64 }
}

/// What one replication measured.
struct Replication {
    leads: u64,
    attainment: f64,
    cold: f64,
    after_hours: f64,
    /// Mean leads waiting at the measured openings (`None`: no opening measured).
    backlog: Option<f64>,
    /// p50, p90 and p95 of the offered wait and the promisable SLA (`None`: no lead measured).
    quantiles: Option<[f64; 4]>,
}

/// Replication `r` of `model` (seed `config.seed + r`): a pure function of its inputs.
fn replicate(setup: &Setup, model: &PodModel<'_>, config: &SimConfig, r: u32) -> Replication {
    let Setup { schedule, segments, service, measure_from, horizon, last_end } = setup;
    let seed = config.seed.wrapping_add(u64::from(r));
    let mut run = Run::new(seed, model.reps, Some(schedule.len()));
    let mut arrival_rng = Rng::new(seed ^ ARRIVAL_SEED);
    let (mut offered, mut effective) = (Vec::new(), Vec::new());
    for t in PoissonArrivals::new(segments, &mut arrival_rng) {
        if let Some(o) = run.serve(schedule, service, t, *last_end, t >= *measure_from) {
            offered.push(o.offered);
            effective.push(o.effective);
        }
    }
    let counts = run.counts;
    #[allow(clippy::cast_precision_loss)]
    let n = counts.leads.max(1) as f64;
    let waiting = run.backlog.unwrap_or_default();
    let openings: Vec<u32> = (0..schedule.len())
        .filter(|&j| schedule.opening(j) && schedule.start(j) >= *measure_from && schedule.start(j) < *horizon)
        .map(|j| waiting.get(j).copied().unwrap_or(0))
        .collect();
    #[allow(clippy::cast_precision_loss)]
    let backlog =
        (!openings.is_empty()).then(|| openings.iter().map(|&c| f64::from(c)).sum::<f64>() / openings.len() as f64);
    let quantiles = (!offered.is_empty()).then(|| {
        [
            quantile(&mut offered, 0.5),
            quantile(&mut offered, 0.9),
            quantile(&mut offered, 0.95),
            quantile(&mut effective, model.promise_share),
        ]
    });
    #[allow(clippy::cast_precision_loss)]
    Replication {
        leads: counts.leads,
        attainment: attainment(&counts),
        cold: counts.cold as f64 / n,
        after_hours: counts.after_hours as f64 / n,
        backlog,
        quantiles,
    }
}

/// Simulate `model` for `config.replications` independent runs of warm-up plus measured weeks,
/// on up to `config.threads` threads (the result is the same for any number).
///
/// # Errors
/// [`SimError::InvalidInput`] for negative or non-finite rates, non-positive touch time or
/// patience, zero weeks or replications; [`SimError::NoOpenTime`] for a calendar never open.
pub fn simulate(model: &PodModel<'_>, config: &SimConfig) -> Result<SimResult, SimError> {
    let setup = Setup::new(model, config)?;
    let threads = parallel::threads(config.threads, config.replications as usize);
    let runs = parallel::map_ordered(0..config.replications, threads, &|r| {
        Ok::<_, SimError>(replicate(&setup, model, config, r))
    })?;
    Ok(summarise(&runs))
}

/// Whether [`simulate`]'s mean attainment would reach `target`, running only as many
/// replications (in order, a batch per round of threads) as the answer needs. Each
/// replication's attainment lies in [0, 1], so after `k` of `n` with sum `S` the full mean lies
/// in `[S/n, (S + n − k)/n]`; once that range is on one side of `target` (with a 1e-9 margin
/// for rounding) the remaining replications cannot change the answer. The answer is therefore
/// exactly `simulate(model, config)?.attainment.mean >= target`, for any thread count.
///
/// # Errors
/// As [`simulate`].
pub fn reaches_target(model: &PodModel<'_>, config: &SimConfig, target: f64) -> Result<bool, SimError> {
    decide(&Setup::new(model, config)?, None, model, config, target)
}

/// [`reaches_target`] on a prepared setup, with each replication's attainment bounded above by
/// `ceilings[r]` (1 without them).
fn decide(
    setup: &Setup,
    ceilings: Option<&[f64]>,
    model: &PodModel<'_>,
    config: &SimConfig,
    target: f64,
) -> Result<bool, SimError> {
    const MARGIN: f64 = 1e-9;
    let n = config.replications;
    let threads = parallel::threads(config.threads, n as usize);
    let nf = f64::from(n);
    // The most the replications from `done` on can add to the sum.
    let most = |done: u32| ceilings.map_or(f64::from(n - done), |c| c[done as usize..].iter().sum());
    if most(0) / nf < target - MARGIN {
        return Ok(false);
    }
    // Replications are handed on in order; after each, stop once the rest cannot change the
    // answer (the bounds above hold after any number of them, so where the check falls does not
    // change what it says).
    let mut verdict = None;
    let attainments = parallel::map_ordered_while(
        0..n,
        threads,
        &|r| Ok::<_, SimError>(replicate(setup, model, config, r).attainment),
        |done: &[f64]| {
            let k = u32::try_from(done.len()).unwrap_or(u32::MAX);
            let sum: f64 = done.iter().sum();
            if k < n && sum / nf >= target + MARGIN {
                verdict = Some(true);
            } else if k < n && (sum + most(k)) / nf < target - MARGIN {
                verdict = Some(false);
            }
            verdict.is_none()
        },
    )?;
    Ok(verdict.unwrap_or_else(|| Estimate::from_samples(&attainments).mean >= target))
}

/// The attainment replication `r` of `model` would have with a rep free for every lead
/// ([`Run::unlimited`]): the same arrivals, touches and patience as [`replicate`] draws, so no
/// head count attains more in that replication.
fn ceiling(setup: &Setup, config: &SimConfig, r: u32) -> f64 {
    let Setup { schedule, segments, service, measure_from, last_end, .. } = setup;
    let seed = config.seed.wrapping_add(u64::from(r));
    let mut run = Run::unlimited(seed);
    let mut arrival_rng = Rng::new(seed ^ ARRIVAL_SEED);
    for t in PoissonArrivals::new(segments, &mut arrival_rng) {
        run.serve(schedule, service, t, *last_end, t >= *measure_from);
    }
    attainment(&run.counts)
}

/// One pod asked [`reaches_target`] at several head counts, as a search for the fewest reps
/// does: what does not depend on the head count is worked out once per start and configuration
/// and reused — the calendar read into a schedule, the arrival segments and, once a head count
/// has missed there, each replication's ceiling ([`Run::unlimited`]). With the ceilings a
/// probe stops as soon as even the remaining replications' ceilings cannot lift the mean to the
/// target, and a pod whose closed hours or patience alone keep it under the target (the mean
/// ceiling is under it) answers every head count at once. The answers are exactly those of
/// [`reaches_target`].
#[derive(Default)]
pub struct Probes {
    prepared: Vec<Prepared>,
}

/// The head-count-free part of one pod, start and configuration.
struct Prepared {
    key: (Timestamp, SimConfig),
    setup: Setup,
    /// Per replication; computed after the first miss (before it, a probe may well pass, and
    /// they would cost a probe's worth of work for nothing).
    ceilings: Option<Vec<f64>>,
}

impl Probes {
    /// [`reaches_target`] for `model`. Every model asked of one `Probes` must be the same pod
    /// (calendar, rates, touch, patience, SLA and clock) but for its head count and start.
    ///
    /// # Errors
    /// As [`simulate`].
    pub fn reaches(&mut self, model: &PodModel<'_>, config: &SimConfig, target: f64) -> Result<bool, SimError> {
        let key = (model.start, *config);
        let i = match self.prepared.iter().position(|p| p.key == key) {
            Some(i) => i,
            None => {
                self.prepared.push(Prepared { key, setup: Setup::new(model, config)?, ceilings: None });
                self.prepared.len() - 1
            }
        };
        let p = &mut self.prepared[i];
        let reached = decide(&p.setup, p.ceilings.as_deref(), model, config, target)?;
        // Waits for a rep alone never make a lead miss with a rep free for every lead; only a
        // closed pod on the calendar clock, patience, or the horizon can, so only then can
        // the ceilings be under 1.
        let bounded = model.clock == Clock::Calendar || model.patience_minutes.is_some();
        if !reached && bounded && p.ceilings.is_none() {
            let threads = parallel::threads(config.threads, config.replications as usize);
            let setup = &p.setup;
            p.ceilings = Some(parallel::map_ordered(0..config.replications, threads, &|r| {
                Ok::<_, SimError>(ceiling(setup, config, r))
            })?);
        }
        Ok(reached)
    }
}

/// The estimates over replications, reduced in replication order.
fn summarise(runs: &[Replication]) -> SimResult {
    let column = |f: &dyn Fn(&Replication) -> f64| runs.iter().map(f).collect::<Vec<f64>>();
    let backlog: Vec<f64> = runs.iter().filter_map(|r| r.backlog).collect();
    let quantiles: Vec<[f64; 4]> = runs.iter().filter_map(|r| r.quantiles).collect();
    let est = |i: usize| {
        let v: Vec<f64> = quantiles.iter().map(|q| q[i]).collect();
        if v.is_empty() { Estimate { mean: 0.0, half_width: 0.0 } } else { Estimate::from_samples(&v) }
    };
    SimResult {
        leads: runs.iter().map(|r| r.leads).sum(),
        attainment: Estimate::from_samples(&column(&|r| r.attainment)),
        cold_share: Estimate::from_samples(&column(&|r| r.cold)),
        after_hours_share: Estimate::from_samples(&column(&|r| r.after_hours)),
        backlog_at_opening: (!backlog.is_empty()).then(|| Estimate::from_samples(&backlog)),
        p50_wait_minutes: est(0),
        p90_wait_minutes: est(1),
        p95_wait_minutes: est(2),
        promisable_sla_minutes: est(3),
    }
}
#[cfg(test)]
mod tests {
    use super::*;
    use crate::calc::erlang::{ErlangA, ErlangC};
    use jiff::civil::{Weekday, date, time};

    fn start() -> Timestamp {
        "2026-03-02T00:00:00Z".parse().unwrap()
    }

    #[test]
    fn a_pod_without_reps_touches_nobody() {
        let cal = BusinessCalendar::always_open();
        let model = PodModel {
            calendar: &cal,
            start: start(),
            open_rate_per_minute: 0.1,
            closed_rate_per_minute: 0.0,
            touch_minutes: 3.0,
            reps: 0,
            patience_minutes: Some(60.0),
            sla_minutes: 30.0,
            clock: Clock::Business,
            promise_share: 0.8,
        };
        let cfg = SimConfig { seed: 1, warmup_weeks: 0, weeks: 1, replications: 3, threads: 0 };
        let sim = simulate(&model, &cfg).unwrap();
        assert!(sim.leads > 2000);
        assert_eq!(sim.attainment.mean, 0.0);
        // Every lead's patience ends long before the 9 simulated weeks do.
        assert_eq!(sim.cold_share.mean, 1.0);
        assert_eq!(sim.promisable_sla_minutes.mean, f64::INFINITY);
    }

    #[test]
    fn a_target_of_every_lead_is_reached_by_a_pod_that_touches_every_lead() {
        // A lead every 100 minutes around the clock, 1-minute touches, 20 reps and a 10-hour SLA:
        // nobody waits, so every replication attains exactly 1, and a target of 100% is reached
        // (the early "cannot reach" answer must not fire at the target itself).
        let cal = BusinessCalendar::always_open();
        let model = PodModel {
            calendar: &cal,
            start: start(),
            open_rate_per_minute: 0.01,
            closed_rate_per_minute: 0.0,
            touch_minutes: 1.0,
            reps: 20,
            patience_minutes: None,
            sla_minutes: 600.0,
            clock: Clock::Business,
            promise_share: 0.8,
        };
        let cfg = SimConfig { seed: 3, warmup_weeks: 0, weeks: 1, replications: 4, threads: 1 };
        assert_eq!(simulate(&model, &cfg).unwrap().attainment, Estimate { mean: 1.0, half_width: 0.0 });
        assert!(reaches_target(&model, &cfg, 1.0).unwrap());
        let mut probes = Probes::default();
        assert!(probes.reaches(&model, &cfg, 1.0).unwrap());
        // Without reps nobody is touched: the target is missed.
        assert!(!reaches_target(&PodModel { reps: 0, ..model.clone() }, &cfg, 1.0).unwrap());
    }

    #[test]
    fn the_opening_at_the_end_of_the_measured_weeks_is_not_measured() {
        // Weekdays open all day in UTC from Monday 2 March 2026 00:00, the start: the pod opens
        // once a week, on Monday at 00:00, after a 48-hour weekend of a lead an hour. The first
        // interval is not an opening (the pod is open at the start), so one measured week holds
        // no opening: the one on Monday 9 March is where the next week begins. Two measured
        // weeks hold that one, with the weekend's 48 leads waiting (Poisson: 48 ± 7 a
        // replication, 30 replications).
        let days = [Weekday::Monday, Weekday::Tuesday, Weekday::Wednesday, Weekday::Thursday, Weekday::Friday];
        let cal = BusinessCalendar::new("UTC", &days, time(0, 0, 0, 0), time(0, 0, 0, 0), []).unwrap();
        let model = PodModel {
            calendar: &cal,
            start: start(),
            open_rate_per_minute: 0.01,
            closed_rate_per_minute: 1.0 / 60.0,
            touch_minutes: 10.0,
            reps: 3,
            patience_minutes: None,
            sla_minutes: 60.0,
            clock: Clock::Business,
            promise_share: 0.8,
        };
        let one = SimConfig { seed: 5, warmup_weeks: 0, weeks: 1, replications: 30, threads: 0 };
        assert_eq!(simulate(&model, &one).unwrap().backlog_at_opening, None);
        let b = simulate(&model, &SimConfig { weeks: 2, ..one }).unwrap().backlog_at_opening.unwrap();
        assert!(b.mean > 44.0 && b.mean < 52.0, "{b:?}");
    }

    #[test]
    fn simulation_agrees_with_erlang_c_on_an_always_open_pod() {
        // 10/3 leads a minute, 3-minute touches, 14 reps, SLA 20 s: Erlang C SL 0.88835
        // (pyworkforce README example; reference.json).
        let cal = BusinessCalendar::always_open();
        let model = PodModel {
            calendar: &cal,
            start: start(),
            open_rate_per_minute: 10.0 / 3.0,
            closed_rate_per_minute: 0.0,
            touch_minutes: 3.0,
            reps: 14,
            patience_minutes: None,
            sla_minutes: 1.0 / 3.0,
            clock: Clock::Business,
            promise_share: 0.8,
        };
        let cfg = SimConfig { seed: 11, warmup_weeks: 1, weeks: 2, replications: 20, threads: 0 };
        let sim = simulate(&model, &cfg).unwrap();
        let c = ErlangC::new(14, 10.0, 3.0).unwrap();
        assert!(
            sim.attainment.contains(c.service_level(1.0 / 3.0)),
            "{:?} vs {}",
            sim.attainment,
            c.service_level(1.0 / 3.0)
        );
        assert!(
            sim.p90_wait_minutes.contains(c.wait_quantile(0.9)),
            "{:?} vs {}",
            sim.p90_wait_minutes,
            c.wait_quantile(0.9)
        );
        assert!(sim.attainment.half_width < 0.005);
        // With no cold leads the promisable SLA is the 0.8 quantile of the wait.
        assert!(sim.promisable_sla_minutes.contains(c.wait_quantile(0.8)), "{:?}", sim.promisable_sla_minutes);
        assert_eq!(sim.backlog_at_opening, None);
        assert_eq!(sim.after_hours_share.mean, 0.0);
    }

    #[test]
    fn simulation_agrees_with_erlang_a_on_an_always_open_pod() {
        // Overloaded small pod with patience: λ = 2/min, work 3, 5 reps, patience 4.
        let cal = BusinessCalendar::always_open();
        let model = PodModel {
            calendar: &cal,
            start: start(),
            open_rate_per_minute: 2.0,
            closed_rate_per_minute: 0.0,
            touch_minutes: 3.0,
            reps: 5,
            patience_minutes: Some(4.0),
            sla_minutes: 1.0,
            clock: Clock::Calendar,
            promise_share: 0.8,
        };
        let cfg = SimConfig { seed: 5, warmup_weeks: 1, weeks: 2, replications: 20, threads: 0 };
        let sim = simulate(&model, &cfg).unwrap();
        let a = ErlangA::new(2.0, 3.0, 5, 4.0).unwrap();
        assert!(
            sim.cold_share.contains(a.abandon_probability()),
            "{:?} vs {}",
            sim.cold_share,
            a.abandon_probability()
        );
        let sl = a.touched_within(1.0).unwrap();
        assert!(sim.attainment.contains(sl), "{:?} vs {sl}", sim.attainment);
    }

    #[test]
    fn business_clock_with_daytime_arrivals_is_erlang_c_in_business_time() {
        // Arrivals only while open on a 9–17 weekday calendar: in business time the pod is a
        // plain M/M/N queue, so Erlang C holds even though the pod closes at night.
        let days = [Weekday::Monday, Weekday::Tuesday, Weekday::Wednesday, Weekday::Thursday, Weekday::Friday];
        let cal = BusinessCalendar::new("Europe/Paris", &days, time(9, 0, 0, 0), time(17, 0, 0, 0), []).unwrap();
        let model = PodModel {
            calendar: &cal,
            start: start(),
            open_rate_per_minute: 0.5,
            closed_rate_per_minute: 0.0,
            touch_minutes: 6.0,
            reps: 4,
            patience_minutes: None,
            sla_minutes: 5.0,
            clock: Clock::Business,
            promise_share: 0.8,
        };
        let cfg = SimConfig { seed: 3, warmup_weeks: 1, weeks: 8, replications: 20, threads: 0 };
        let sim = simulate(&model, &cfg).unwrap();
        let c = ErlangC::new(4, 3.0, 6.0).unwrap();
        assert!(sim.attainment.contains(c.service_level(5.0)), "{:?} vs {}", sim.attainment, c.service_level(5.0));
        // On the calendar clock the same pod misses more: waits over night count.
        let cal_clock = simulate(&PodModel { clock: Clock::Calendar, ..model.clone() }, &cfg).unwrap();
        assert!(cal_clock.attainment.mean < sim.attainment.mean);
    }

    /// 1 lead an hour while closed, 6 an hour while open, 10-minute touches on 3 reps, a
    /// 30-minute SLA on the business clock: the pod of the morning-backlog tests.
    fn morning_backlog(cal: &BusinessCalendar, patience_minutes: Option<f64>) -> PodModel<'_> {
        PodModel {
            calendar: cal,
            start: start(),
            open_rate_per_minute: 0.1,
            closed_rate_per_minute: 1.0 / 60.0,
            touch_minutes: 10.0,
            reps: 3,
            patience_minutes,
            sla_minutes: 30.0,
            clock: Clock::Business,
            promise_share: 0.8,
        }
    }

    #[test]
    fn after_hours_arrivals_make_a_morning_backlog() {
        // Weekdays 9–17 in New York; 1 lead per hour while closed, 6 per hour while open.
        let days = [Weekday::Monday, Weekday::Tuesday, Weekday::Wednesday, Weekday::Thursday, Weekday::Friday];
        let cal =
            BusinessCalendar::new("America/New_York", &days, time(9, 0, 0, 0), time(17, 0, 0, 0), [date(2026, 3, 17)])
                .unwrap();
        let model = morning_backlog(&cal, None);
        let cfg = SimConfig { seed: 9, warmup_weeks: 1, weeks: 4, replications: 30, threads: 0 };
        let sim = simulate(&model, &cfg).unwrap();
        // Measured: Mon 9 March to Mon 6 April 2026 (DST began 8 March, before it), with the
        // holiday Tue 17 March. Closed minutes: 4·(10080 − 5·480) + 480 = 31200, expected
        // 31200/60 = 520 leads; open minutes 4·2400 − 480 = 9120, expected 912 leads.
        // Share after hours = 520 / 1432 = 0.3631.
        assert!((sim.after_hours_share.mean - 0.3631).abs() < 0.01, "{:?}", sim.after_hours_share);
        // Backlog at the 19 openings: weekday nights 16 h and weekends 64 h of 1 lead/h, i.e.
        // 4·(64 + 4·16) = 512 leads, and the holiday turns two 16 h nights into one 40 h gap
        // (+8): 520 / 19 = 27.4, plus the few leads still queued at closing (occupancy 1/3).
        let b = sim.backlog_at_opening.unwrap();
        assert!(b.mean > 27.0 && b.mean < 28.5, "{b:?}");
    }

    #[test]
    fn only_leads_still_patient_wait_at_the_opening() {
        // The morning-backlog pod above with a mean patience of an hour. A lead that arrived s
        // minutes before an opening is still waiting there with probability e^(−s/60), so each
        // opening after a closed spell of g minutes (16 h or more here) expects
        // (1/60)·∫₀^g e^(−s/60) ds = 1 − e^(−g/60) ≈ 1 lead: about 1, not the 27 of the night.
        let cal = weekday_calendar();
        let model = morning_backlog(&cal, Some(60.0));
        let cfg = SimConfig { seed: 9, warmup_weeks: 1, weeks: 4, replications: 30, threads: 0 };
        // 30 replications of 20 openings: a Poisson mean of 1 is known to about ±0.04.
        let b = simulate(&model, &cfg).unwrap().backlog_at_opening.unwrap();
        assert!(b.mean > 0.85 && b.mean < 1.15, "{b:?}");
    }

    #[test]
    fn a_promise_more_leads_go_cold_than_it_allows_is_never_kept() {
        // Leads around the clock on a weekday 9–17 pod with a 30-minute patience: about three
        // quarters arrive closed (7,680 of 10,080 minutes) and most of those go cold before the
        // opening, where a rep does reach them. Cold leads are never touched, so no SLA is kept
        // for 80% of leads: the promisable SLA is infinite, though every cold lead was reached.
        let cal = weekday_calendar();
        let model = night_heavy(&cal, 10, Some(30.0));
        let cfg = SimConfig { seed: 2, warmup_weeks: 1, weeks: 2, replications: 4, threads: 0 };
        let sim = simulate(&model, &cfg).unwrap();
        assert!(sim.cold_share.mean > 0.5, "{:?}", sim.cold_share);
        assert_eq!(sim.promisable_sla_minutes.mean, f64::INFINITY);
        // With patience long enough to outlast the weekend, the same pod promises a finite SLA.
        let patient = simulate(&night_heavy(&cal, 10, Some(1e9)), &cfg).unwrap();
        assert!(patient.promisable_sla_minutes.mean.is_finite(), "{:?}", patient.promisable_sla_minutes);
    }

    /// Weekdays 09:00–17:00 in New York, leads around the clock, 60-minute SLA on the calendar
    /// clock: with a rep free for every lead, a lead arriving open is reached at once, and one
    /// arriving closed only if it arrives within the hour before an opening.
    fn weekday_calendar() -> BusinessCalendar {
        let days = [Weekday::Monday, Weekday::Tuesday, Weekday::Wednesday, Weekday::Thursday, Weekday::Friday];
        BusinessCalendar::new("America/New_York", &days, time(9, 0, 0, 0), time(17, 0, 0, 0), []).unwrap()
    }

    fn night_heavy(cal: &BusinessCalendar, reps: u32, patience: Option<f64>) -> PodModel<'_> {
        PodModel {
            calendar: cal,
            start: start(),
            open_rate_per_minute: 0.05,
            closed_rate_per_minute: 0.05,
            touch_minutes: 20.0,
            reps,
            patience_minutes: patience,
            sla_minutes: 60.0,
            clock: Clock::Calendar,
            promise_share: 0.8,
        }
    }

    #[test]
    fn the_ceiling_is_what_closed_hours_alone_allow_and_no_head_count_beats_it() {
        let cal = weekday_calendar();
        let model = night_heavy(&cal, 3, None);
        let cfg = SimConfig { seed: 21, warmup_weeks: 1, weeks: 4, replications: 12, threads: 1 };
        let setup = Setup::new(&model, &cfg).unwrap();
        let ceilings: Vec<f64> = (0..cfg.replications).map(|r| ceiling(&setup, &cfg, r)).collect();
        // By hand: a week has 5·480 = 2,400 open minutes and 10,080 − 2,400 = 7,680 closed ones,
        // of which 5·60 = 300 lie in the hour before an opening. At one rate around the clock
        // the ceiling is (2,400 + 300) / 10,080 = 0.267857 (the measured weeks, 8 Mar–5 Apr
        // 2026, hold no holiday; DST began on 8 March, before the first of them).
        let mean = Estimate::from_samples(&ceilings);
        assert!(mean.contains(2700.0 / 10_080.0), "{mean:?} vs 0.267857");
        assert!(mean.half_width < 0.01, "{mean:?}");
        // Per replication, no head count attains more than its ceiling, and a rep for every
        // lead of the longest closed spell (64 weekend hours of 3 an hour: about 190) attains
        // exactly it: nobody waits for a rep. (40 reps do not: first come, first served, the
        // weekend's last hour waits behind the rest of the weekend.)
        for reps in [1, 2, 3, 5, 40, 400] {
            let m = PodModel { reps, ..model.clone() };
            for (r, &c) in (0..cfg.replications).zip(&ceilings) {
                let a = replicate(&setup, &m, &cfg, r).attainment;
                assert!(a <= c, "{reps} reps, replication {r}: {a} > {c}");
                if reps == 400 {
                    assert_eq!(a, c, "replication {r}");
                } else if reps == 40 {
                    assert!(a < c, "replication {r}");
                }
            }
        }
    }

    #[test]
    fn probes_answer_as_the_full_simulation_does() {
        // With patience and on the calendar clock, where the ceilings can be under 1: a target
        // under the ceiling (0.2) and over it (0.5, where every head count misses), at head
        // counts from overloaded to plentiful, asked in a search's order (misses first, so the
        // ceilings are in use for the later probes).
        let cal = weekday_calendar();
        let cfg = SimConfig { seed: 8, warmup_weeks: 1, weeks: 2, replications: 9, threads: 2 };
        for patience in [None, Some(600.0)] {
            for target in [0.2, 0.5] {
                let mut probes = Probes::default();
                for reps in [1, 2, 3, 4, 6, 10, 20, 3, 1] {
                    let m = night_heavy(&cal, reps, patience);
                    let full = simulate(&m, &cfg).unwrap().attainment.mean >= target;
                    assert_eq!(probes.reaches(&m, &cfg, target).unwrap(), full, "{reps} reps, {patience:?}, {target}");
                }
                assert!(probes.prepared.len() == 1 && probes.prepared[0].ceilings.is_some());
            }
        }
        // The same pod from another start is prepared apart.
        let mut probes = Probes::default();
        let m = night_heavy(&cal, 2, None);
        let later = PodModel { start: plus_hours(start(), 7 * 24), ..m.clone() };
        assert!(!probes.reaches(&m, &cfg, 0.5).unwrap());
        assert!(!probes.reaches(&later, &cfg, 0.5).unwrap());
        assert_eq!(probes.prepared.len(), 2);
    }

    #[test]
    fn any_thread_count_gives_the_same_result_and_the_early_answer_is_the_full_one() {
        // A weekday pod near capacity with after-hours leads and patience: every part of the
        // result is exercised. The serial run (1 thread) is the reference.
        let days = [Weekday::Monday, Weekday::Tuesday, Weekday::Wednesday, Weekday::Thursday, Weekday::Friday];
        let cal = BusinessCalendar::new("America/New_York", &days, time(9, 0, 0, 0), time(17, 0, 0, 0), []).unwrap();
        let model = PodModel {
            calendar: &cal,
            start: start(),
            open_rate_per_minute: 0.3,
            closed_rate_per_minute: 0.02,
            touch_minutes: 12.0,
            reps: 4,
            patience_minutes: Some(300.0),
            sla_minutes: 30.0,
            clock: Clock::Business,
            promise_share: 0.8,
        };
        let serial = SimConfig { seed: 4, warmup_weeks: 1, weeks: 2, replications: 13, threads: 1 };
        let reference = simulate(&model, &serial).unwrap();
        for threads in [2, 3, 5, 16] {
            assert_eq!(simulate(&model, &SimConfig { threads, ..serial }).unwrap(), reference, "{threads} threads");
        }
        // reaches_target stops early only when the remaining replications cannot change the
        // answer, so it agrees with the full mean at the mean itself and one float either side,
        // and far from it, for any thread count.
        let m = reference.attainment.mean;
        assert!(m > 0.1 && m < 0.95, "{m}");
        for target in [m, m.next_up(), m.next_down(), 0.05, 0.5, 0.99, 1.0] {
            for threads in [1, 2, 3] {
                let cfg = SimConfig { threads, ..serial };
                assert_eq!(
                    reaches_target(&model, &cfg, target).unwrap(),
                    m >= target,
                    "target {target}, {threads} threads"
                );
            }
        }
    }
}
