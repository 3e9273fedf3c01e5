//! Discrete-event simulation of one pod over its real business-hour calendar.
//!
//! Erlang C and Erlang A assume a queue that never closes. A pod that closes at night, takes
//! leads around the clock, and meets the morning with a backlog breaks that assumption; this
//! module answers those cases by simulation and cross-checks the formulas where they do hold.
//!
//! The engine works in two time axes, both in minutes from an origin instant: *real* time and
//! *business* time (open minutes elapsed). Reps work only in open hours, so work is measured in
//! business time and a touch in progress at closing resumes at the next opening. Leads are served
//! first come, first served by identical reps; with the free times of the reps in a min-heap the
//! start of each lead is `max(arrival, earliest free rep)` (the Kiefer–Wolfowitz recursion), so a
//! lead costs one heap operation. A lead whose (exponential, real-time) patience runs out before
//! its start goes cold, takes no rep, and counts as not touched within the SLA. Randomness comes
//! from xoshiro256++ seeded through SplitMix64, so every run is reproducible from its seed.
//!
//! Replications, each from an empty pod at the start instant, give a point estimate and a 95%
//! Student-t confidence interval; the first `warmup_weeks` of each replication are simulated
//! but not measured.
//!
//! The same engine (one `Run` per replication, fed one lead at a time) replays real arrival
//! instants: [`Replay`] streams them, reading the calendar a few weeks ahead and dropping it
//! behind, with the waits in a fixed-size histogram, so its memory does not grow with the leads.

use std::fmt;

use jiff::{SignedDuration, Timestamp};

use super::calendar::{BusinessCalendar, minutes};

/// Which clock an SLA runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    /// Only open minutes count: a lead arriving while closed waits for opening without breaching.
    Business,
    /// Every minute counts.
    Calendar,
}

impl Clock {
    /// Length of `d` in minutes on this clock: a day is one business day of `calendar` on the
    /// business clock and 24 hours on the calendar clock ("within one business day").
    #[must_use]
    pub fn minutes(self, d: super::duration::Duration, calendar: &BusinessCalendar) -> f64 {
        match self {
            Self::Business => calendar.business_minutes(d),
            Self::Calendar => d.calendar_minutes(),
        }
    }
}

/// Why a simulation could not run.
#[derive(Debug, Clone, PartialEq)]
pub enum SimError {
    /// A rate, time or count was negative, non-finite, or zero where it must be positive.
    InvalidInput(&'static str),
    /// Replay arrivals were not in time order.
    UnorderedArrivals {
        /// Index of the first arrival earlier than the one before it.
        index: usize,
    },
    /// The calendar has no open interval in the simulated horizon.
    NoOpenTime,
}

impl fmt::Display for SimError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidInput(what) => write!(f, "invalid simulation input: {what}"),
            Self::UnorderedArrivals { index } => {
                write!(f, "arrival {index} is earlier than the one before it (arrivals must be in time order)")
            }
            Self::NoOpenTime => write!(f, "the calendar is never open in the simulated horizon"),
        }
    }
}

impl std::error::Error for SimError {}

/// A point estimate with the half-width of its 95% confidence interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    /// Mean over replications.
    pub mean: f64,
    /// Half-width of the 95% Student-t interval (`mean ± half_width`); 0 with one replication.
    pub half_width: f64,
}

impl Estimate {
    fn from_samples(samples: &[f64]) -> Self {
        let finite: Vec<f64> = samples.iter().copied().filter(|v| v.is_finite()).collect();
        if finite.len() < samples.len() {
            // Some replication never reached this quantile: the estimate is unbounded.
            return Self { mean: f64::INFINITY, half_width: f64::INFINITY };
        }
        let n = finite.len();
        if n == 0 {
            return Self { mean: f64::NAN, half_width: f64::NAN };
        }
        #[allow(clippy::cast_precision_loss)]
        let nf = n as f64;
        let mean = finite.iter().sum::<f64>() / nf;
        if n < 2 {
            return Self { mean, half_width: 0.0 };
        }
        let var = finite.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / (nf - 1.0);
        Self { mean, half_width: student_t_975(n - 1) * (var / nf).sqrt() }
    }

    /// True when `value` lies inside the interval.
    #[must_use]
    pub fn contains(&self, value: f64) -> bool {
        (value - self.mean).abs() <= self.half_width
    }
}

/// The 0.975 quantile of Student's t with `df` degrees of freedom (table to 30, then the
/// Cornish–Fisher expansion around the normal quantile, accurate to 1e-4 there).
fn student_t_975(df: usize) -> f64 {
    const TABLE: [f64; 30] = [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
        2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
    ];
    if df == 0 {
        return f64::INFINITY;
    }
    if df <= 30 {
        return TABLE[df - 1];
    }
    let z = 1.959_963_985_f64;
    #[allow(clippy::cast_precision_loss)]
    let v = df as f64;
    z + (z.powi(3) + z) / (4.0 * v) + (5.0 * z.powi(5) + 16.0 * z.powi(3) + 3.0 * z) / (96.0 * v * v)
}

/// SplitMix64 then xoshiro256++: a small, fast generator with identical output on every
/// platform (Blackman & Vigna).
#[derive(Debug, Clone)]
pub struct Rng {
    s: [u64; 4],
}

impl Rng {
    /// A generator seeded from `seed` through SplitMix64.
    #[must_use]
    pub fn new(seed: u64) -> Self {
        let mut z = seed;
        let mut next = || {
            z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut x = z;
            x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            x ^ (x >> 31)
        };
        Self { s: [next(), next(), next(), next()] }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let s = &mut self.s;
        let result = s[0].wrapping_add(s[3]).rotate_left(23).wrapping_add(s[0]);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }

    /// Uniform in (0, 1].
    pub fn uniform(&mut self) -> f64 {
        #[allow(clippy::cast_precision_loss)]
        let top = ((self.next_u64() >> 11) + 1) as f64;
        top * (1.0 / 9_007_199_254_740_992.0)
    }

    /// Exponential with the given mean.
    pub fn exponential(&mut self, mean: f64) -> f64 {
        // libm's log, not the platform's: the same draws, and the same plans, on every OS.
        -libm::log(self.uniform()) * mean
    }
}

/// Open intervals as minutes from an origin, with the business minutes before each.
///
/// A simulation reads its whole horizon at once; a replay extends the schedule as its arrivals
/// advance and drops the intervals every cursor has passed, so a long export costs memory for
/// the weeks around its current lead, not for every day it spans. Indices are absolute: interval
/// `i` keeps its index when earlier ones are dropped.
#[derive(Debug, Clone)]
struct Schedule {
    /// Absolute index of the first interval kept.
    base: usize,
    starts: Vec<f64>,
    ends: Vec<f64>,
    /// Business minutes elapsed before interval i opens.
    cum: Vec<f64>,
    /// Interval i opens after a closed gap (a real opening, where a backlog can wait).
    opening: Vec<bool>,
    /// Business minutes of every interval read so far (dropped ones too).
    total: f64,
    /// End of the last interval read (the origin before any).
    prev_end: f64,
    /// The calendar has been read up to this instant, and this many minutes from the origin.
    built_until: Timestamp,
    built_minutes: f64,
}

impl Schedule {
    /// An empty schedule at `origin`, to [`extend`](Self::extend).
    fn empty(origin: Timestamp) -> Self {
        Self {
            base: 0,
            starts: vec![],
            ends: vec![],
            cum: vec![],
            opening: vec![],
            total: 0.0,
            // The first interval is an opening only if the origin was closed.
            prev_end: 0.0,
            built_until: origin,
            built_minutes: 0.0,
        }
    }

    fn new(calendar: &BusinessCalendar, origin: Timestamp, until: Timestamp) -> Result<Self, SimError> {
        let mut s = Self::empty(origin);
        s.extend(calendar, origin, until);
        if s.starts.is_empty() {
            return Err(SimError::NoOpenTime);
        }
        Ok(s)
    }

    /// Read the calendar's open intervals up to `until` (an interval cut at the previous end
    /// continues without a new opening).
    fn extend(&mut self, calendar: &BusinessCalendar, origin: Timestamp, until: Timestamp) {
        if until <= self.built_until {
            return;
        }
        for (a, b) in calendar.open_intervals(self.built_until, until) {
            let (a, b) = (minutes(origin, a), minutes(origin, b));
            self.starts.push(a);
            self.ends.push(b);
            self.cum.push(self.total);
            self.opening.push(a > self.prev_end);
            self.total += b - a;
            self.prev_end = b;
        }
        self.built_until = until;
        self.built_minutes = minutes(origin, until);
    }

    /// Drop the intervals before absolute index `keep_from` once enough of them have piled up
    /// (amortised: each interval is moved at most a few times).
    fn prune(&mut self, keep_from: usize) {
        let dead = keep_from.saturating_sub(self.base).min(self.starts.len());
        if dead < 1024 || dead * 2 < self.starts.len() {
            return;
        }
        self.starts.drain(..dead);
        self.ends.drain(..dead);
        self.cum.drain(..dead);
        self.opening.drain(..dead);
        self.base += dead;
    }

    /// One past the absolute index of the last interval.
    fn len(&self) -> usize {
        self.base + self.starts.len()
    }

    fn start(&self, i: usize) -> f64 {
        self.starts[i - self.base]
    }

    fn end(&self, i: usize) -> f64 {
        self.ends[i - self.base]
    }

    fn cum(&self, i: usize) -> f64 {
        self.cum[i - self.base]
    }

    fn opening(&self, i: usize) -> bool {
        self.opening[i - self.base]
    }

    /// End of the last interval read (negative infinity before any).
    fn last_end(&self) -> f64 {
        self.ends.last().copied().unwrap_or(f64::NEG_INFINITY)
    }

    /// Business time at real time `t`; `ptr` is a cursor that only moves forward (callers ask
    /// in nondecreasing `t`). `None` beyond the last interval.
    fn to_business(&self, t: f64, ptr: &mut usize) -> Option<f64> {
        *ptr = (*ptr).max(self.base);
        while *ptr < self.len() && self.end(*ptr) <= t {
            *ptr += 1;
        }
        let i = *ptr;
        if i == self.len() {
            return None;
        }
        Some(if t < self.start(i) { self.cum(i) } else { self.cum(i) + (t - self.start(i)) })
    }

    /// Earliest real time at which business time reaches `b` (nondecreasing `b` per cursor).
    fn to_real(&self, b: f64, ptr: &mut usize) -> Option<f64> {
        *ptr = (*ptr).max(self.base);
        while *ptr < self.len() && self.cum(*ptr) + (self.end(*ptr) - self.start(*ptr)) <= b {
            *ptr += 1;
        }
        let i = *ptr;
        if i == self.len() {
            return None;
        }
        Some(self.start(i) + (b - self.cum(i)).max(0.0))
    }
}

/// Min-heap of rep free times (business minutes).
#[derive(Debug, Clone)]
struct FreeTimes {
    heap: Vec<f64>,
}

impl FreeTimes {
    fn new(reps: u32, at: f64) -> Self {
        Self { heap: vec![at; reps as usize] }
    }

    fn earliest(&self) -> Option<f64> {
        self.heap.first().copied()
    }

    /// Replace the earliest free time with `v` and restore heap order.
    fn replace_earliest(&mut self, v: f64) {
        let h = &mut self.heap;
        let n = h.len();
        if n == 0 {
            return;
        }
        let mut i = 0;
        loop {
            let l = 2 * i + 1;
            if l >= n {
                break;
            }
            let r = l + 1;
            let c = if r < n && h[r] < h[l] { r } else { l };
            if h[c] < v {
                h[i] = h[c];
                i = c;
            } else {
                break;
            }
        }
        h[i] = v;
    }
}

/// The pod's service, as the engine needs it.
#[derive(Debug, Clone, Copy)]
struct Service {
    touch_minutes: f64,
    patience_minutes: Option<f64>,
    sla_minutes: f64,
    clock: Clock,
}

/// Counts of the measured leads of one run.
#[derive(Debug, Default, Clone, Copy)]
struct Counts {
    leads: u64,
    attained: u64,
    cold: u64,
    after_hours: u64,
}

/// The waits of one measured lead, minutes on the SLA clock.
#[derive(Debug, Clone, Copy)]
struct Outcome {
    /// Time until a rep would reach the lead (infinite when none would within reach).
    offered: f64,
    /// Time to first touch: the offered wait, or infinite for a lead that went cold.
    effective: f64,
}

/// One replication of the shared engine: reps' free times, cursors into the schedule, counts.
/// Leads are pushed one at a time in nondecreasing arrival order, so a simulation can draw them
/// and a replay can stream them.
#[derive(Debug, Clone)]
struct Run {
    rng: Rng,
    free: FreeTimes,
    p_arr: usize,
    p_start: usize,
    counts: Counts,
    /// Leads still waiting at each opening (absolute schedule index), when tracked.
    backlog: Option<Vec<u32>>,
}

impl Run {
    fn new(seed: u64, reps: u32, backlog_len: Option<usize>) -> Self {
        Self {
            rng: Rng::new(seed),
            // Business minute 0 is the opening of the first interval.
            free: FreeTimes::new(reps, 0.0),
            p_arr: 0,
            p_start: 0,
            counts: Counts::default(),
            backlog: backlog_len.map(|n| vec![0; n]),
        }
    }

    /// Serve a lead arriving at real minute `t`; a rep reaching it at or after `reach_until`
    /// does not count (the lead is not touched within the horizon, and takes no rep). Returns its
    /// waits when it is `measured`.
    fn serve(
        &mut self,
        schedule: &Schedule,
        service: &Service,
        t: f64,
        reach_until: f64,
        measured: bool,
    ) -> Option<Outcome> {
        let work = self.rng.exponential(service.touch_minutes);
        let patience = service.patience_minutes.map_or(f64::INFINITY, |p| self.rng.exponential(p));
        // No open time left before the horizon: nobody reaches the lead.
        let b_arr = schedule.to_business(t, &mut self.p_arr);
        let arrived_closed = b_arr.is_none() || t < schedule.start(self.p_arr);
        // Start of the touch in business time, and in real time (None: beyond reach).
        let start_b = b_arr.and_then(|b| self.free.earliest().map(|f| f.max(b)));
        let start_real = start_b.and_then(|s| schedule.to_real(s, &mut self.p_start)).filter(|&sr| sr < reach_until);
        // Beyond reach (no reps, or an overload that outlasts it) the lead is certainly cold if
        // its patience ran out by then, otherwise its fate is unknown and it only counts as not
        // touched within the SLA.
        let cold = match start_real {
            Some(sr) => sr - t > patience,
            None => t + patience < reach_until,
        };
        if !cold && let (Some(s), Some(_)) = (start_b, start_real) {
            self.free.replace_earliest(s + work);
        }
        // Backlog: openings after the arrival at which the lead is still waiting (every lead,
        // measured or not, since a lead from the warm-up can wait at a measured opening).
        if let (Some(backlog), Some(sr)) = (self.backlog.as_mut(), start_real) {
            let mut j = if arrived_closed { self.p_arr } else { self.p_arr + 1 };
            while j < schedule.len() && schedule.start(j) <= sr && t + patience > schedule.start(j) {
                if schedule.opening(j) {
                    backlog[j] += 1;
                }
                j += 1;
            }
        }
        if !measured {
            return None;
        }
        let c = &mut self.counts;
        c.leads += 1;
        if arrived_closed {
            c.after_hours += 1;
        }
        let offered = match (service.clock, start_b.zip(b_arr), start_real) {
            (Clock::Business, Some((s, b)), _) => s - b,
            (Clock::Calendar, _, Some(sr)) => sr - t,
            _ => f64::INFINITY,
        };
        if cold {
            c.cold += 1;
        } else if start_real.is_some() && offered <= service.sla_minutes {
            c.attained += 1;
        }
        let effective = if cold || start_real.is_none() { f64::INFINITY } else { offered };
        Some(Outcome { offered, effective })
    }
}

/// Quantile `p` of `v` by selection (reorders `v`); NaN for an empty slice.
fn quantile(v: &mut [f64], p: f64) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss, clippy::cast_precision_loss)]
    let k = ((p * v.len() as f64).ceil() as usize).clamp(1, v.len()) - 1;
    let (_, x, _) = v.select_nth_unstable_by(k, f64::total_cmp);
    *x
}

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

/// How long and how often to simulate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SimConfig {
    /// Seed of the first replication (replication r uses `seed + r`).
    pub seed: u64,
    /// Weeks simulated before measuring, per replication.
    pub warmup_weeks: u32,
    /// Weeks measured per replication.
    pub weeks: u32,
    /// Independent replications (at least 2 for an interval).
    pub replications: u32,
}

impl Default for SimConfig {
    fn default() -> Self {
        Self { seed: 1, warmup_weeks: 1, weeks: 4, replications: 30 }
    }
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

fn check_common(touch: f64, sla: f64, patience: Option<f64>) -> Result<(), SimError> {
    if !(touch.is_finite() && touch > 0.0) {
        return Err(SimError::InvalidInput("touch minutes must be positive and finite"));
    }
    if !(sla.is_finite() && sla >= 0.0) {
        return Err(SimError::InvalidInput("SLA minutes must be non-negative and finite"));
    }
    if let Some(p) = patience
        && !(p.is_finite() && p > 0.0)
    {
        return Err(SimError::InvalidInput("patience must be positive and finite"));
    }
    Ok(())
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

/// `ts` plus `hours`, saturating at the end of jiff's range.
fn plus_hours(ts: Timestamp, hours: i64) -> Timestamp {
    ts.checked_add(SignedDuration::from_hours(hours)).unwrap_or(Timestamp::MAX)
}

/// Constant-rate pieces of the arrival process: (from, to, rate per minute).
fn arrival_segments(schedule: &Schedule, horizon: f64, open_rate: f64, closed_rate: f64) -> Vec<(f64, f64, f64)> {
    let mut segs = Vec::new();
    let mut t = 0.0;
    for i in 0..schedule.len() {
        let (s, e) = (schedule.start(i), schedule.end(i));
        if s >= horizon {
            break;
        }
        if s > t {
            segs.push((t, s, closed_rate));
        }
        segs.push((s.max(t), e.min(horizon), open_rate));
        t = e;
    }
    if t < horizon {
        segs.push((t, horizon, closed_rate));
    }
    segs.retain(|&(a, b, r)| b > a && r > 0.0);
    segs
}

/// Poisson arrivals over piecewise-constant rates (memorylessness lets each piece restart).
struct PoissonArrivals<'a> {
    segments: &'a [(f64, f64, f64)],
    idx: usize,
    t: f64,
    rng: &'a mut Rng,
}

impl<'a> PoissonArrivals<'a> {
    fn new(segments: &'a [(f64, f64, f64)], rng: &'a mut Rng) -> Self {
        let t = segments.first().map_or(0.0, |s| s.0);
        Self { segments, idx: 0, t, rng }
    }
}

impl Iterator for PoissonArrivals<'_> {
    type Item = f64;

    fn next(&mut self) -> Option<f64> {
        loop {
            let &(a, b, rate) = self.segments.get(self.idx)?;
            if self.t < a {
                self.t = a;
            }
            let next = self.t + self.rng.exponential(1.0 / rate);
            if next < b {
                self.t = next;
                return Some(next);
            }
            self.idx += 1;
        }
    }
}

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
    /// Offered waits in whole seconds, pooled over replications.
    waits: hdrhistogram::Histogram<u64>,
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
                    // Non-negative and bounded by the saturation: the cast is exact enough.
                    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                    let seconds = (o.offered * 60.0).round().max(0.0) as u64;
                    self.waits.saturating_record(seconds);
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

    /// Quantile `p` of the offered wait in minutes, by the rank [`quantile`] uses: the
    /// `ceil(p·n)`-th smallest, the never-reached leads counting as the largest.
    fn wait_quantile(&self, p: f64) -> f64 {
        let n = self.waits.len() + self.unreached;
        if n == 0 {
            return f64::NAN;
        }
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss, clippy::cast_precision_loss)]
        let k = ((p * n as f64).ceil() as u64).clamp(1, n);
        let mut seen = 0;
        for v in self.waits.iter_recorded() {
            seen += v.count_at_value();
            if seen >= k {
                #[allow(clippy::cast_precision_loss)]
                return self.waits.median_equivalent(v.value_iterated_to()) as f64 / 60.0;
            }
        }
        f64::INFINITY
    }
}

/// Replay one pod's actual arrival instants (in time order) through [`Replay`], for arrivals
/// already in memory.
///
/// # Errors
/// [`SimError::UnorderedArrivals`] when an arrival is earlier than its predecessor, and the
/// errors of [`Replay::new`] and [`Replay::finish`].
pub fn replay(
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
    use crate::calc::erlang::{ErlangA, ErlangC};
    use jiff::civil::{Weekday, date, time};

    /// One rep, a 15-minute SLA, seed 1.
    fn setup(touch_minutes: f64, clock: Clock, patience_minutes: Option<f64>, replications: u32) -> ReplaySetup {
        ReplaySetup { touch_minutes, reps: 1, sla_minutes: 15.0, clock, patience_minutes, seed: 1, replications }
    }

    fn start() -> Timestamp {
        "2026-03-02T00:00:00Z".parse().unwrap()
    }

    #[test]
    fn rng_is_reproducible_and_uniform() {
        let mut a = Rng::new(42);
        let mut b = Rng::new(42);
        let xs: Vec<u64> = (0..5).map(|_| a.next_u64()).collect();
        let ys: Vec<u64> = (0..5).map(|_| b.next_u64()).collect();
        assert_eq!(xs, ys);
        // Mean of 1e6 exponentials with mean 3: standard error 3/1000, allow 5 of them.
        let mut r = Rng::new(7);
        let m: f64 = (0..1_000_000).map(|_| r.exponential(3.0)).sum::<f64>() / 1e6;
        assert!((m - 3.0).abs() < 0.015, "{m}");
    }

    #[test]
    fn heap_replaces_the_earliest_like_a_sorted_list() {
        // Against a plain sorted Vec: replace its first element, re-sort.
        let mut h = FreeTimes::new(7, 0.0);
        let mut reference = vec![0.0; 7];
        let mut rng = Rng::new(3);
        for _ in 0..10_000 {
            let v = reference[0] + rng.exponential(5.0);
            h.replace_earliest(v);
            reference[0] = v;
            reference.sort_by(f64::total_cmp);
            assert_eq!(h.earliest(), Some(reference[0]));
        }
        let mut all = h.heap.clone();
        all.sort_by(f64::total_cmp);
        assert_eq!(all, reference);
        assert_eq!(FreeTimes::new(0, 0.0).earliest(), None);
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
    fn replay_rejects_unordered_arrivals_and_counts_after_hours() {
        let cal = BusinessCalendar::always_open();
        let t0 = start();
        let arr = [t0, t0.checked_add(SignedDuration::from_mins(5)).unwrap(), t0];
        assert_eq!(
            replay(&cal, &arr, &ReplaySetup { sla_minutes: 10.0, ..setup(5.0, Clock::Business, None, 3) }),
            Err(SimError::UnorderedArrivals { index: 2 })
        );
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
