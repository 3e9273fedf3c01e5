//! The streaming SLA replay of real arrivals: each lead through every replication of the engine
//! as it comes, the calendar read ahead in chunks and dropped behind, the offered waits pooled in
//! a fixed-size histogram for the p90.

use jiff::Timestamp;

use super::config::Clock;
use super::engine::{Counts, Run, Service};
use super::schedule::{Schedule, plus_hours};
use super::stats::Estimate;
use super::{SimError, check_common};
use crate::calc::calendar::{BusinessCalendar, minutes};

/// What a replay of real arrivals measured.
#[derive(Debug, Clone, PartialEq)]
pub struct ReplayResult {
    /// Leads replayed.
    pub leads: u64,
    /// Share touched within the SLA on the chosen clock, over replications of the random work
    /// times (cold leads count as missed).
    pub attainment: Estimate,
    /// Share of leads that went cold.
    pub cold_share: Estimate,
    /// Share of leads that arrived while the pod was closed.
    pub after_hours_share: f64,
    /// 90th percentile of the offered wait, minutes on the SLA clock, over the leads of every
    /// replication together (from a histogram: exact to the second below 2,048 seconds, within
    /// 0.1% above; infinite when more than a tenth of the leads are never reached).
    pub p90_wait_minutes: f64,
}

/// How a pod is replayed: its service and how many seeded replications of the work times.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ReplaySetup {
    /// Mean first-touch work in minutes (exponential).
    pub touch_minutes: f64,
    /// Productive reps.
    pub reps: u32,
    /// The SLA in minutes on `clock`.
    pub sla_minutes: f64,
    /// Which clock the SLA runs on.
    pub clock: Clock,
    /// Mean patience in real minutes (exponential); `None` for leads that never go cold.
    pub patience_minutes: Option<f64>,
    /// Seed of the first replication (replication r uses `seed + r`).
    pub seed: u64,
    /// Replications (at least 1; 2 or more for an interval).
    pub replications: u32,
}

/// How far past an arrival a rep may reach it and still count: 8 weeks. A lead not reached by
/// then counts as missed (and cold when its patience is shorter), and takes no rep.
const REACH_HOURS: i64 = 8 * 7 * 24;

/// [`REACH_HOURS`] in minutes.
const REACH_MINUTES: f64 = 8.0 * 7.0 * 24.0 * 60.0;

/// The calendar is read this far past the reach at a time.
const READ_AHEAD_HOURS: i64 = 4 * 7 * 24;

/// Largest offered wait the histogram resolves, in seconds (a year); longer ones count as a year.
const MAX_WAIT_SECONDS: u64 = 366 * 24 * 3600;

/// Offered waits shorter than this many seconds (a day) are counted in a plain array, one
/// counter a second, and added to the histogram only when the quantile is read: a histogram
/// holds only how many values fell in each of its buckets, so recording `n` waits of one value
/// at the end leaves it as recording them one by one would, and a counter is cheaper to bump
/// than a bucket to find. (675 KiB a pod, of which only the seconds that occur are touched.)
const SHORT_WAIT_SECONDS: usize = 24 * 3600;

/// A streaming replay of one pod's actual arrival instants through the simulation engine: push
/// the arrivals in time order, then [`finish`](Self::finish). Work times and patience are drawn
/// (seeded) since exports do not carry them; every replication serves each lead as it comes.
///
/// Memory does not grow with the number of leads: each replication keeps its reps' free times,
/// the schedule keeps the open intervals of the weeks around the current lead, and the waits go
/// into one fixed-size histogram.
#[derive(Debug, Clone)]
pub struct Replay {
    calendar: BusinessCalendar,
    service: Service,
    runs: Vec<Run>,
    schedule: Option<Schedule>,
    origin: Option<Timestamp>,
    last: Option<Timestamp>,
    leads: u64,
    /// Offered waits in whole seconds of [`SHORT_WAIT_SECONDS`] or more, pooled over
    /// replications.
    waits: hdrhistogram::Histogram<u64>,
    /// Offered waits shorter than [`SHORT_WAIT_SECONDS`]: how many of each whole second.
    short_waits: Box<[u64]>,
    /// Offered waits that never end (nobody reaches the lead).
    unreached: u64,
}

impl Replay {
    /// A replay of a pod on `calendar`.
    ///
    /// # Errors
    /// [`SimError::InvalidInput`] for a non-positive touch time or patience, a negative SLA, or
    /// zero replications.
    pub fn new(calendar: BusinessCalendar, setup: &ReplaySetup) -> Result<Self, SimError> {
        check_common(setup.touch_minutes, setup.sla_minutes, setup.patience_minutes)?;
        if setup.replications == 0 {
            return Err(SimError::InvalidInput("replications must be at least 1"));
        }
        let waits = hdrhistogram::Histogram::new_with_bounds(1, MAX_WAIT_SECONDS, 3)
            .map_err(|_| SimError::InvalidInput("wait histogram bounds"))?;
        Ok(Self {
            calendar,
            service: Service {
                touch_minutes: setup.touch_minutes,
                patience_minutes: setup.patience_minutes,
                sla_minutes: setup.sla_minutes,
                clock: setup.clock,
            },
            runs: (0..setup.replications)
                .map(|r| Run::new(setup.seed.wrapping_add(u64::from(r)), setup.reps, None))
                .collect(),
            schedule: None,
            origin: None,
            last: None,
            leads: 0,
            waits,
            short_waits: vec![0; SHORT_WAIT_SECONDS].into_boxed_slice(),
            unreached: 0,
        })
    }

    /// Serve the next arrival (no earlier than the previous one).
    ///
    /// # Errors
    /// [`SimError::UnorderedArrivals`] (with this arrival's 0-based index) when it is earlier
    /// than the previous one; the replay is unchanged and can go on.
    pub fn push(&mut self, at: Timestamp) -> Result<(), SimError> {
        if self.last.is_some_and(|last| at < last) {
            return Err(SimError::UnorderedArrivals { index: self.leads as usize });
        }
        let origin = *self.origin.get_or_insert(at);
        let schedule = self.schedule.get_or_insert_with(|| Schedule::empty(origin));
        let t = minutes(origin, at);
        let reach_until = t + REACH_MINUTES;
        if schedule.built_minutes < reach_until {
            schedule.extend(&self.calendar, origin, plus_hours(at, REACH_HOURS + READ_AHEAD_HOURS));
        }
        for run in &mut self.runs {
            if let Some(o) = run.serve(schedule, &self.service, t, reach_until, true) {
                if o.offered.is_finite() {
                    record_wait(&mut self.waits, &mut self.short_waits, whole_seconds(o.offered));
                } else {
                    self.unreached += 1;
                }
            }
        }
        let keep_from = self.runs.iter().map(|r| r.p_arr.min(r.p_start)).min().unwrap_or(0);
        schedule.prune(keep_from);
        self.leads += 1;
        self.last = Some(at);
        Ok(())
    }

    /// What the replay measured.
    ///
    /// # Errors
    /// [`SimError::NoOpenTime`] when the calendar never opens in the weeks around the arrivals.
    pub fn finish(&self) -> Result<ReplayResult, SimError> {
        if self.leads == 0 {
            return Ok(ReplayResult {
                leads: 0,
                attainment: Estimate { mean: 1.0, half_width: 0.0 },
                cold_share: Estimate { mean: 0.0, half_width: 0.0 },
                after_hours_share: 0.0,
                p90_wait_minutes: 0.0,
            });
        }
        if self.schedule.as_ref().is_none_or(|s| s.len() == 0) {
            return Err(SimError::NoOpenTime);
        }
        #[allow(clippy::cast_precision_loss)]
        let n = self.leads as f64;
        #[allow(clippy::cast_precision_loss)]
        let share = |f: fn(&Counts) -> u64| -> Vec<f64> { self.runs.iter().map(|r| f(&r.counts) as f64 / n).collect() };
        let after = share(|c| c.after_hours);
        Ok(ReplayResult {
            leads: self.leads,
            attainment: Estimate::from_samples(&share(|c| c.attained)),
            cold_share: Estimate::from_samples(&share(|c| c.cold)),
            after_hours_share: after.first().copied().unwrap_or(0.0),
            p90_wait_minutes: self.wait_quantile(0.9),
        })
    }

    /// Quantile `p` of the offered wait in minutes, by the rank [`quantile`](super::stats::quantile) uses: the
    /// `ceil(p·n)`-th smallest, the never-reached leads counting as the largest.
    fn wait_quantile(&self, p: f64) -> f64 {
        // Every wait in one histogram, as if each had been recorded there.
        let mut waits = self.waits.clone();
        for (seconds, &count) in (0u64..).zip(self.short_waits.iter()).filter(|(_, c)| **c > 0) {
            waits.saturating_record_n(seconds, count);
        }
        let n = waits.len() + self.unreached;
        if n == 0 {
            return f64::NAN;
        }
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss, clippy::cast_precision_loss)]
        let k = ((p * n as f64).ceil() as u64).clamp(1, n);
        let mut seen = 0;
        for v in waits.iter_recorded() {
            seen += v.count_at_value();
            if seen >= k {
                #[allow(clippy::cast_precision_loss)]
                return waits.median_equivalent(v.value_iterated_to()) as f64 / 60.0;
            }
        }
        f64::INFINITY
    }
}

/// `minutes` in whole seconds, rounded half away from zero (`f64::round`), negative ones as 0,
/// saturating at `u64::MAX`: `(minutes * 60.0).round().max(0.0) as u64`, without the call to
/// `round` (not an instruction on the baseline x86-64 this is built for).
fn whole_seconds(minutes: f64) -> u64 {
    let x = (minutes * 60.0).max(0.0);
    // The cast truncates (exactly: a float below 2^64 has an integer part a u64 holds) and
    // saturates; `x - whole` is then exact, being the fraction of a float of at most 53 bits.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss, clippy::cast_precision_loss)]
    let whole = x as u64;
    #[allow(clippy::cast_precision_loss)]
    let fraction = x - whole as f64;
    if fraction >= 0.5 { whole.saturating_add(1) } else { whole }
}

/// Count an offered wait of `seconds`: in `short` when it is shorter than
/// [`SHORT_WAIT_SECONDS`], else in `waits`.
fn record_wait(waits: &mut hdrhistogram::Histogram<u64>, short: &mut [u64], seconds: u64) {
    match usize::try_from(seconds).ok().and_then(|s| short.get_mut(s)) {
        Some(count) => *count += 1,
        None => waits.saturating_record(seconds),
    }
}

/// Replay one pod's actual arrival instants (in time order) through [`Replay`], for arrivals
/// already in memory.
///
/// # Errors
/// [`SimError::UnorderedArrivals`] when an arrival is earlier than its predecessor, and the
/// errors of [`Replay::new`] and [`Replay::finish`].
#[cfg(test)] // only the unit tests call it
pub(super) fn replay(
    calendar: &BusinessCalendar,
    arrivals: &[Timestamp],
    setup: &ReplaySetup,
) -> Result<ReplayResult, SimError> {
    let mut r = Replay::new(calendar.clone(), setup)?;
    for &at in arrivals {
        r.push(at)?;
    }
    r.finish()
}
#[cfg(test)]
mod tests {
    use super::*;
    use crate::calc::erlang::ErlangC;
    use crate::calc::simulate::Rng;
    use jiff::SignedDuration;
    use jiff::civil::{Weekday, date, time};

    /// One rep, a 15-minute SLA, seed 1.
    fn setup(touch_minutes: f64, clock: Clock, patience_minutes: Option<f64>, replications: u32) -> ReplaySetup {
        ReplaySetup { touch_minutes, reps: 1, sla_minutes: 15.0, clock, patience_minutes, seed: 1, replications }
    }

    fn start() -> Timestamp {
        "2026-03-02T00:00:00Z".parse().unwrap()
    }

    #[test]
    fn replay_on_a_real_calendar_applies_the_sla_clock() {
        // Weekdays 9–17 in Berlin. Friday 13 March 2026 18:00 → the rep reaches the lead at
        // Monday 16 March 09:00: 0 business minutes (within a 15-minute business SLA) but
        // 63 hours on the calendar clock (a breach). A lead at Monday 10:00 is reached at once.
        let days = [Weekday::Monday, Weekday::Tuesday, Weekday::Wednesday, Weekday::Thursday, Weekday::Friday];
        let cal = BusinessCalendar::new("Europe/Berlin", &days, time(9, 0, 0, 0), time(17, 0, 0, 0), []).unwrap();
        let at = |d, h| cal.time_zone().to_timestamp(jiff::civil::Date::at(d, h, 0, 0, 0)).unwrap();
        let arrivals = [at(date(2026, 3, 13), 18), at(date(2026, 3, 16), 10)];
        // Touches of about 0.6 seconds: the one rep is free again long before the next lead.
        let business = replay(&cal, &arrivals, &setup(0.01, Clock::Business, None, 5)).unwrap();
        assert_eq!(business.attainment.mean, 1.0);
        assert_eq!(business.after_hours_share, 0.5);
        let calendar = replay(&cal, &arrivals, &setup(0.01, Clock::Calendar, None, 5)).unwrap();
        assert_eq!(calendar.attainment.mean, 0.5);
        // With 4 hours of patience the Friday lead goes cold over the weekend (mean 240 min
        // against 63 h: e^(−3780/240) ≈ 1.5e-7 chance to stay warm), whatever the clock.
        let warm = replay(&cal, &arrivals, &setup(0.01, Clock::Business, Some(240.0), 5)).unwrap();
        assert_eq!(warm.cold_share.mean, 0.5);
        assert_eq!(warm.attainment.mean, 0.5);
    }

    #[test]
    fn a_lead_reached_exactly_at_the_sla_is_within_it() {
        // Guards `offered <= sla` (issue 18). Weekdays 9–17 in Berlin; one lead on Monday
        // 16 March 2026 at 08:45, while closed. The one rep is free, so it reaches the lead at
        // the 09:00 opening whatever the drawn work time: offered wait 15 minutes on the
        // calendar clock (08:45 → 09:00), 0 on the business clock (no open minute passes).
        // Within a 15-minute calendar SLA, the lead counts (attainment 1); a 14-minute SLA is
        // missed (0); a 16-minute SLA is met (1). On the business clock a 0-minute SLA is met.
        let days = [Weekday::Monday, Weekday::Tuesday, Weekday::Wednesday, Weekday::Thursday, Weekday::Friday];
        let cal = BusinessCalendar::new("Europe/Berlin", &days, time(9, 0, 0, 0), time(17, 0, 0, 0), []).unwrap();
        let lead = cal.time_zone().to_timestamp(date(2026, 3, 16).at(8, 45, 0, 0)).unwrap();
        let run = |clock, sla_minutes| {
            replay(&cal, &[lead], &ReplaySetup { sla_minutes, ..setup(5.0, clock, None, 3) }).unwrap()
        };
        let at = run(Clock::Calendar, 15.0);
        assert_eq!((at.leads, at.after_hours_share, at.p90_wait_minutes), (1, 1.0, 15.0));
        assert_eq!(at.attainment, Estimate { mean: 1.0, half_width: 0.0 });
        assert_eq!(run(Clock::Calendar, 14.0).attainment, Estimate { mean: 0.0, half_width: 0.0 });
        assert_eq!(run(Clock::Calendar, 16.0).attainment, Estimate { mean: 1.0, half_width: 0.0 });
        let business = run(Clock::Business, 0.0);
        assert_eq!((business.attainment.mean, business.p90_wait_minutes), (1.0, 0.0));
    }

    #[test]
    fn a_lead_first_reachable_exactly_at_the_reach_is_not_reached() {
        // Guards the reach's `start < reach_until`. Open Mondays 09:00-17:00 in UTC, with the
        // eight Mondays from 2 March 2026 holidays; one lead on the first, at 09:00, while closed.
        // The first opening is Monday 27 April at 09:00: exactly 8 weeks (REACH_MINUTES) after
        // the lead, so nobody reaches it: not touched on either clock, and its offered wait is
        // infinite (on the business clock too, where no open minute passes before the opening).
        // A lead an hour later, at 10:00, is reached within the reach, 8 weeks less an hour on:
        // 80,580 minutes (the histogram holds it within 0.1%).
        let holidays = (0..8).map(|w| date(2026, 3, 2) + jiff::Span::new().weeks(w));
        let cal =
            BusinessCalendar::new("UTC", &[Weekday::Monday], time(9, 0, 0, 0), time(17, 0, 0, 0), holidays).unwrap();
        let at = |h| cal.time_zone().to_timestamp(date(2026, 3, 2).at(h, 0, 0, 0)).unwrap();
        let run = |lead, clock| replay(&cal, &[lead], &setup(5.0, clock, None, 2)).unwrap();
        for clock in [Clock::Calendar, Clock::Business] {
            let edge = run(at(9), clock);
            assert_eq!((edge.attainment.mean, edge.p90_wait_minutes), (0.0, f64::INFINITY), "{clock:?}");
            // Without patience it is not cold either: its fate beyond the reach is unknown.
            assert_eq!(edge.cold_share.mean, 0.0, "{clock:?}");
        }
        let inside = run(at(10), Clock::Calendar);
        assert_eq!(inside.attainment.mean, 0.0);
        assert!((inside.p90_wait_minutes - 80_580.0).abs() <= 80.58, "{}", inside.p90_wait_minutes);
        assert_eq!(run(at(10), Clock::Business).attainment.mean, 1.0);
    }

    #[test]
    fn whole_seconds_rounds_as_f64_round_does() {
        // Against the expression it replaces, on the values where rounding turns: halves, the
        // floats just either side of them, the largest float below a half, huge and negative
        // minutes, and random waits of every size.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let reference = |m: f64| (m * 60.0).round().max(0.0) as u64;
        let mut cases = vec![0.0, -0.0, -1.0, -0.004, 1e300, f64::MAX, 0.499_999_999_999_999_94 / 60.0];
        for k in [0.5, 1.5, 2.5, 59.5, 1e6 + 0.5, 4_503_599_627_370_495.5, 9_007_199_254_740_993.0] {
            for x in [k, f64::from_bits(f64::to_bits(k) - 1), f64::from_bits(f64::to_bits(k) + 1)] {
                cases.push(x / 60.0);
                cases.push(x);
            }
        }
        let mut rng = Rng::new(5);
        cases.extend((0..100_000).map(|i| rng.exponential(10f64.powi(i % 12 - 3))));
        for m in cases {
            assert_eq!(whole_seconds(m), reference(m), "{m:e} minutes");
        }
        // The overflowing cast saturates in both.
        assert_eq!(whole_seconds(1e300), u64::MAX);
    }

    #[test]
    fn short_waits_counted_apart_give_the_quantiles_of_one_histogram() {
        // The quantile as it was read before short waits had their own counters: every wait
        // recorded in the one histogram.
        fn reference(all: &hdrhistogram::Histogram<u64>, unreached: u64, p: f64) -> f64 {
            let n = all.len() + unreached;
            let k = ((p * n as f64).ceil() as u64).clamp(1, n);
            let mut seen = 0;
            for v in all.iter_recorded() {
                seen += v.count_at_value();
                if seen >= k {
                    return all.median_equivalent(v.value_iterated_to()) as f64 / 60.0;
                }
            }
            f64::INFINITY
        }
        let mut replay = Replay::new(BusinessCalendar::always_open(), &setup(5.0, Clock::Business, None, 2)).unwrap();
        let mut all = replay.waits.clone();
        let mut rng = Rng::new(11);
        // Waits from 0 to well past the short range (and past a year, which saturates), with the
        // boundary seconds themselves.
        let short = SHORT_WAIT_SECONDS as u64;
        let waits = (0..20_000).map(|_| rng.exponential(40_000.0) as u64).chain([
            0,
            2047,
            2048,
            short - 1,
            short,
            short + 1,
            MAX_WAIT_SECONDS,
            MAX_WAIT_SECONDS + 5,
        ]);
        for seconds in waits {
            record_wait(&mut replay.waits, &mut replay.short_waits, seconds);
            all.saturating_record(seconds);
        }
        assert!(replay.waits.len() > 1000 && replay.short_waits.iter().sum::<u64>() > 10_000);
        replay.unreached = 40;
        for p in [0.0, 0.01, 0.1, 0.5, 0.8, 0.9, 0.95, 0.99, 0.998, 1.0] {
            assert_eq!(replay.wait_quantile(p), reference(&all, 40, p), "p = {p}");
        }
    }

    #[test]
    fn replay_rejects_unordered_arrivals_and_counts_after_hours() {
        let cal = BusinessCalendar::always_open();
        let t0 = start();
        let arr = [t0, t0.checked_add(SignedDuration::from_mins(5)).unwrap(), t0];
        assert_eq!(
            replay(&cal, &arr, &ReplaySetup { sla_minutes: 10.0, ..setup(5.0, Clock::Business, None, 3) }),
            Err(SimError::UnorderedArrivals { index: 2 })
        );
        // Leads at the same instant are in order (exports carry whole seconds).
        let same = [t0, t0, t0.checked_add(SignedDuration::from_mins(5)).unwrap()];
        assert_eq!(replay(&cal, &same, &setup(5.0, Clock::Business, None, 3)).map(|r| r.leads), Ok(3));
        // One lead every 10 minutes, one rep with 1-minute touches: almost all within 15 min.
        let arr: Vec<Timestamp> =
            (0..1000).map(|i| t0.checked_add(SignedDuration::from_mins(10 * i)).unwrap()).collect();
        let r = replay(&cal, &arr, &setup(1.0, Clock::Business, None, 10)).unwrap();
        assert_eq!(r.leads, 1000);
        assert!(r.attainment.mean > 0.99);
        // Same seed, same answer.
        assert_eq!(r, replay(&cal, &arr, &setup(1.0, Clock::Business, None, 10)).unwrap());
    }

    #[test]
    fn replay_of_poisson_arrivals_agrees_with_erlang_c() {
        // Poisson arrivals at 1 a minute, 3-minute touches, 4 reps, always open: an M/M/4 queue
        // with 3 erlangs, whose wait distribution Erlang C gives in closed form (the formula is
        // checked against pyworkforce in calc::erlang). The replay pools the waits of 5
        // replications in a histogram; its p90 must match the formula's 0.9 quantile.
        let cal = BusinessCalendar::always_open();
        let mut rng = Rng::new(99);
        let mut t = start();
        let arrivals: Vec<Timestamp> = (0..200_000)
            .map(|_| {
                let gap = SignedDuration::from_secs_f64(rng.exponential(60.0));
                t = t.checked_add(gap).unwrap();
                t
            })
            .collect();
        let setup = ReplaySetup {
            touch_minutes: 3.0,
            reps: 4,
            sla_minutes: 1.0,
            clock: Clock::Business,
            patience_minutes: None,
            seed: 5,
            replications: 5,
        };
        let r = replay(&cal, &arrivals, &setup).unwrap();
        let c = ErlangC::new(4, 3.0, 3.0).unwrap();
        let (sl, p90) = (c.service_level(1.0), c.wait_quantile(0.9));
        assert!((r.attainment.mean - sl).abs() < 0.01, "{:?} vs {sl}", r.attainment);
        assert!((r.p90_wait_minutes - p90).abs() < 0.04 * p90, "{} vs {p90}", r.p90_wait_minutes);
        assert_eq!(r.leads, 200_000);
    }

    #[test]
    fn streaming_replay_drops_past_weeks_and_matches_a_whole_schedule() {
        // Six years of leads every 30 minutes around the clock on a weekday calendar: about
        // 1,560 open intervals, so the streaming replay reads the calendar in chunks and drops
        // the intervals behind it. Serving the same arrivals on a schedule read whole, with the
        // same seeds and reach, must give the very same counts.
        let days = [Weekday::Monday, Weekday::Tuesday, Weekday::Wednesday, Weekday::Thursday, Weekday::Friday];
        let cal = BusinessCalendar::new("Europe/Berlin", &days, time(9, 0, 0, 0), time(17, 0, 0, 0), []).unwrap();
        let first = start();
        let arrivals: Vec<Timestamp> =
            (0..6 * 365 * 48).map(|i| first.checked_add(SignedDuration::from_mins(30 * i)).unwrap()).collect();
        let setup = ReplaySetup {
            touch_minutes: 20.0,
            reps: 2,
            sla_minutes: 60.0,
            clock: Clock::Calendar,
            patience_minutes: Some(600.0),
            seed: 3,
            replications: 3,
        };
        let mut streaming = Replay::new(cal.clone(), &setup).unwrap();
        for &at in &arrivals {
            streaming.push(at).unwrap();
        }
        let kept = streaming.schedule.as_ref().unwrap();
        assert!(kept.base > 1000 && kept.starts.len() < 1200, "base {} kept {}", kept.base, kept.starts.len());

        let last = *arrivals.last().unwrap();
        let whole = Schedule::new(&cal, first, plus_hours(last, REACH_HOURS + 24)).unwrap();
        let service =
            Service { touch_minutes: 20.0, patience_minutes: Some(600.0), sla_minutes: 60.0, clock: Clock::Calendar };
        for (r, run) in streaming.runs.iter().enumerate() {
            let mut reference = Run::new(3 + r as u64, 2, None);
            for &at in &arrivals {
                let t = minutes(first, at);
                reference.serve(&whole, &service, t, t + REACH_MINUTES, true);
            }
            let (a, b) = (run.counts, reference.counts);
            assert_eq!((a.leads, a.attained, a.cold, a.after_hours), (b.leads, b.attained, b.cold, b.after_hours));
            assert!(b.attained > 0 && b.cold > 0 && b.after_hours > 0, "{b:?}");
        }
        // Pushing an earlier arrival is refused and changes nothing.
        let before = streaming.finish().unwrap();
        assert_eq!(streaming.push(first), Err(SimError::UnorderedArrivals { index: arrivals.len() }));
        assert_eq!(streaming.finish().unwrap(), before);
    }
}
