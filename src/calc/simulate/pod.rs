//! A pod simulated from its rates: Poisson arrivals through the engine for replications of
//! warm-up plus measured weeks, summarised as estimates with confidence intervals.

use jiff::Timestamp;

use super::arrivals::{PoissonArrivals, arrival_segments};
use super::config::{Clock, SimConfig};
use super::engine::{Run, Service};
use super::rng::Rng;
use super::schedule::{Schedule, plus_hours};
use super::stats::{Estimate, quantile};
use super::{SimError, check_common};
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

/// Simulate `model` for `config.replications` independent runs of warm-up plus measured weeks.
///
/// # Errors
/// [`SimError::InvalidInput`] for negative or non-finite rates, non-positive touch time or
/// patience, zero weeks or replications; [`SimError::NoOpenTime`] for a calendar never open.
pub fn simulate(model: &PodModel<'_>, config: &SimConfig) -> Result<SimResult, SimError> {
    check_common(model.touch_minutes, model.sla_minutes, model.patience_minutes)?;
    let rate_ok = |r: f64| r.is_finite() && r >= 0.0;
    if !rate_ok(model.open_rate_per_minute) || !rate_ok(model.closed_rate_per_minute) {
        return Err(SimError::InvalidInput("arrival rates must be non-negative and finite"));
    }
    if config.weeks == 0 || config.replications == 0 {
        return Err(SimError::InvalidInput("weeks and replications must be at least 1"));
    }
    const WEEK: f64 = 7.0 * 24.0 * 60.0;
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

    let reps = config.replications as usize;
    let mut att = Vec::with_capacity(reps);
    let mut cold = Vec::with_capacity(reps);
    let mut after = Vec::with_capacity(reps);
    let mut backlog = Vec::with_capacity(reps);
    let (mut p50, mut p90, mut p95, mut promise) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut leads = 0_u64;
    for r in 0..config.replications {
        let seed = config.seed.wrapping_add(u64::from(r));
        let mut run = Run::new(seed, model.reps, Some(schedule.len()));
        let mut arrival_rng = Rng::new(seed ^ 0xA5A5_5A5A_DEAD_BEEF);
        let (mut offered, mut effective) = (Vec::new(), Vec::new());
        for t in PoissonArrivals::new(&segments, &mut arrival_rng) {
            if let Some(o) = run.serve(&schedule, &service, t, last_end, t >= measure_from) {
                offered.push(o.offered);
                effective.push(o.effective);
            }
        }
        let counts = run.counts;
        leads += counts.leads;
        #[allow(clippy::cast_precision_loss)]
        let n = counts.leads.max(1) as f64;
        #[allow(clippy::cast_precision_loss)]
        {
            att.push(if counts.leads == 0 { 1.0 } else { counts.attained as f64 / n });
            cold.push(counts.cold as f64 / n);
            after.push(counts.after_hours as f64 / n);
        }
        let waiting = run.backlog.unwrap_or_default();
        let openings: Vec<u32> = (0..schedule.len())
            .filter(|&j| schedule.opening(j) && schedule.start(j) >= measure_from && schedule.start(j) < horizon)
            .map(|j| waiting.get(j).copied().unwrap_or(0))
            .collect();
        if !openings.is_empty() {
            #[allow(clippy::cast_precision_loss)]
            backlog.push(openings.iter().map(|&c| f64::from(c)).sum::<f64>() / openings.len() as f64);
        }
        if !offered.is_empty() {
            p50.push(quantile(&mut offered, 0.5));
            p90.push(quantile(&mut offered, 0.9));
            p95.push(quantile(&mut offered, 0.95));
            promise.push(quantile(&mut effective, model.promise_share));
        }
    }
    let est =
        |v: &[f64]| if v.is_empty() { Estimate { mean: 0.0, half_width: 0.0 } } else { Estimate::from_samples(v) };
    Ok(SimResult {
        leads,
        attainment: Estimate::from_samples(&att),
        cold_share: Estimate::from_samples(&cold),
        after_hours_share: Estimate::from_samples(&after),
        backlog_at_opening: (!backlog.is_empty()).then(|| Estimate::from_samples(&backlog)),
        p50_wait_minutes: est(&p50),
        p90_wait_minutes: est(&p90),
        p95_wait_minutes: est(&p95),
        promisable_sla_minutes: est(&promise),
    })
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
        let cfg = SimConfig { seed: 1, warmup_weeks: 0, weeks: 1, replications: 3 };
        let sim = simulate(&model, &cfg).unwrap();
        assert!(sim.leads > 2000);
        assert_eq!(sim.attainment.mean, 0.0);
        // Every lead's patience ends long before the 9 simulated weeks do.
        assert_eq!(sim.cold_share.mean, 1.0);
        assert_eq!(sim.promisable_sla_minutes.mean, f64::INFINITY);
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
        let cfg = SimConfig { seed: 11, warmup_weeks: 1, weeks: 2, replications: 20 };
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
        let cfg = SimConfig { seed: 5, warmup_weeks: 1, weeks: 2, replications: 20 };
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
        let cfg = SimConfig { seed: 3, warmup_weeks: 1, weeks: 8, replications: 20 };
        let sim = simulate(&model, &cfg).unwrap();
        let c = ErlangC::new(4, 3.0, 6.0).unwrap();
        assert!(sim.attainment.contains(c.service_level(5.0)), "{:?} vs {}", sim.attainment, c.service_level(5.0));
        // On the calendar clock the same pod misses more: waits over night count.
        let cal_clock = simulate(&PodModel { clock: Clock::Calendar, ..model.clone() }, &cfg).unwrap();
        assert!(cal_clock.attainment.mean < sim.attainment.mean);
    }

    #[test]
    fn after_hours_arrivals_make_a_morning_backlog() {
        // Weekdays 9–17 in New York; 1 lead per hour while closed, 6 per hour while open.
        let days = [Weekday::Monday, Weekday::Tuesday, Weekday::Wednesday, Weekday::Thursday, Weekday::Friday];
        let cal =
            BusinessCalendar::new("America/New_York", &days, time(9, 0, 0, 0), time(17, 0, 0, 0), [date(2026, 3, 17)])
                .unwrap();
        let model = PodModel {
            calendar: &cal,
            start: start(),
            open_rate_per_minute: 0.1,
            closed_rate_per_minute: 1.0 / 60.0,
            touch_minutes: 10.0,
            reps: 3,
            patience_minutes: None,
            sla_minutes: 30.0,
            clock: Clock::Business,
            promise_share: 0.8,
        };
        let cfg = SimConfig { seed: 9, warmup_weeks: 1, weeks: 4, replications: 30 };
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
}
