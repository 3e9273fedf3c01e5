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
        -self.uniform().ln() * mean
    }
}

/// Open intervals as minutes from an origin, with the business minutes before each.
#[derive(Debug, Clone)]
struct Schedule {
    starts: Vec<f64>,
    ends: Vec<f64>,
    /// Business minutes elapsed before interval i opens.
    cum: Vec<f64>,
    /// Interval i opens after a closed gap (a real opening, where a backlog can wait).
    opening: Vec<bool>,
}

impl Schedule {
    fn new(calendar: &BusinessCalendar, origin: Timestamp, until: Timestamp) -> Result<Self, SimError> {
        let intervals = calendar.open_intervals(origin, until);
        if intervals.is_empty() {
            return Err(SimError::NoOpenTime);
        }
        let mut s = Self { starts: vec![], ends: vec![], cum: vec![], opening: vec![] };
        let mut acc = 0.0;
        let mut prev_end = f64::NEG_INFINITY;
        for (a, b) in intervals {
            let (a, b) = (minutes(origin, a), minutes(origin, b));
            s.starts.push(a);
            s.ends.push(b);
            s.cum.push(acc);
            s.opening.push(a > prev_end);
            acc += b - a;
            prev_end = b;
        }
        // The very first interval opens after the origin only if the origin was closed.
        if let Some(first) = s.opening.first_mut() {
            *first = s.starts[0] > 0.0;
        }
        Ok(s)
    }

    fn len(&self) -> usize {
        self.starts.len()
    }

    /// Business time at real time `t`; `ptr` is a cursor that only moves forward (callers ask
    /// in nondecreasing `t`). `None` beyond the last interval.
    fn to_business(&self, t: f64, ptr: &mut usize) -> Option<f64> {
        while *ptr < self.len() && self.ends[*ptr] <= t {
            *ptr += 1;
        }
        let i = *ptr;
        if i == self.len() {
            return None;
        }
        Some(if t < self.starts[i] { self.cum[i] } else { self.cum[i] + (t - self.starts[i]) })
    }

    /// Earliest real time at which business time reaches `b` (nondecreasing `b` per cursor).
    fn to_real(&self, b: f64, ptr: &mut usize) -> Option<f64> {
        while *ptr < self.len() && self.cum[*ptr] + (self.ends[*ptr] - self.starts[*ptr]) <= b {
            *ptr += 1;
        }
        let i = *ptr;
        if i == self.len() {
            return None;
        }
        Some(self.starts[i] + (b - self.cum[i]).max(0.0))
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

/// Per-run tallies of the measured leads.
#[derive(Debug, Default)]
struct Tally {
    leads: u64,
    attained: u64,
    cold: u64,
    after_hours: u64,
    /// Offered wait on the SLA clock (time until a rep would reach the lead).
    offered: Vec<f64>,
    /// Time to first touch on the SLA clock, infinite for leads that went cold.
    effective: Vec<f64>,
    /// Backlog count at each interval opening (indexed like the schedule).
    backlog: Vec<u32>,
}

/// The shared engine: serve `arrivals` (real minutes from the schedule origin, nondecreasing)
/// with `reps` reps, recording the leads with `measure(t)` true.
#[allow(clippy::too_many_arguments)]
fn run_engine(
    schedule: &Schedule,
    arrivals: impl Iterator<Item = f64>,
    rng: &mut Rng,
    touch_minutes: f64,
    reps: u32,
    patience_minutes: Option<f64>,
    sla_minutes: f64,
    clock: Clock,
    measure: impl Fn(f64) -> bool,
) -> Tally {
    let mut tally = Tally { backlog: vec![0; schedule.len()], ..Tally::default() };
    let first_open = schedule.cum[0];
    let last_end = schedule.ends.last().copied().unwrap_or(f64::NEG_INFINITY);
    let mut free = FreeTimes::new(reps, first_open);
    let (mut p_arr, mut p_start) = (0_usize, 0_usize);
    for t in arrivals {
        let work = rng.exponential(touch_minutes);
        let patience = patience_minutes.map_or(f64::INFINITY, |p| rng.exponential(p));
        let measured = measure(t);
        let Some(b_arr) = schedule.to_business(t, &mut p_arr) else { continue };
        let arrived_closed = t < schedule.starts[p_arr];
        // Start of the touch in business time, and in real time (None: beyond the horizon).
        let start_b = free.earliest().map(|f| f.max(b_arr));
        let start_real = start_b.and_then(|s| schedule.to_real(s, &mut p_start));
        // Beyond the schedule (no reps, or an overload that outlasts it) the lead is not reached
        // before the last interval ends: it is certainly cold if its patience ran out by then,
        // otherwise its fate is unknown and it only counts as not touched within the SLA.
        let cold = match start_real {
            Some(sr) => sr - t > patience,
            None => t + patience < last_end,
        };
        if !cold && let (Some(s), Some(_)) = (start_b, start_real) {
            free.replace_earliest(s + work);
        }
        // Backlog: openings after the arrival at which the lead is still waiting (every lead,
        // measured or not, since a lead from the warm-up can wait at a measured opening).
        if let Some(sr) = start_real {
            let mut j = if arrived_closed { p_arr } else { p_arr + 1 };
            while j < schedule.len() && schedule.starts[j] <= sr && t + patience > schedule.starts[j] {
                if schedule.opening[j] {
                    tally.backlog[j] += 1;
                }
                j += 1;
            }
        }
        if !measured {
            continue;
        }
        tally.leads += 1;
        if arrived_closed {
            tally.after_hours += 1;
        }
        let offered = match (clock, start_b, start_real) {
            (Clock::Business, Some(s), _) => s - b_arr,
            (Clock::Calendar, _, Some(sr)) => sr - t,
            _ => f64::INFINITY,
        };
        tally.offered.push(offered);
        tally.effective.push(if cold || start_real.is_none() { f64::INFINITY } else { offered });
        if cold {
            tally.cold += 1;
        } else if start_real.is_some() && offered <= sla_minutes {
            tally.attained += 1;
        }
    }
    tally
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

    let reps = config.replications as usize;
    let mut att = Vec::with_capacity(reps);
    let mut cold = Vec::with_capacity(reps);
    let mut after = Vec::with_capacity(reps);
    let mut backlog = Vec::with_capacity(reps);
    let (mut p50, mut p90, mut p95, mut promise) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut leads = 0_u64;
    for r in 0..config.replications {
        let mut rng = Rng::new(config.seed.wrapping_add(u64::from(r)));
        let mut arrival_rng = Rng::new(config.seed.wrapping_add(u64::from(r)) ^ 0xA5A5_5A5A_DEAD_BEEF);
        let arrivals = PoissonArrivals::new(&segments, &mut arrival_rng);
        let mut tally = run_engine(
            &schedule,
            arrivals,
            &mut rng,
            model.touch_minutes,
            model.reps,
            model.patience_minutes,
            model.sla_minutes,
            model.clock,
            |t| t >= measure_from,
        );
        leads += tally.leads;
        #[allow(clippy::cast_precision_loss)]
        let n = tally.leads.max(1) as f64;
        #[allow(clippy::cast_precision_loss)]
        {
            att.push(if tally.leads == 0 { 1.0 } else { tally.attained as f64 / n });
            cold.push(tally.cold as f64 / n);
            after.push(tally.after_hours as f64 / n);
        }
        let openings: Vec<u32> = (0..schedule.len())
            .filter(|&j| schedule.opening[j] && schedule.starts[j] >= measure_from && schedule.starts[j] < horizon)
            .map(|j| tally.backlog[j])
            .collect();
        if !openings.is_empty() {
            #[allow(clippy::cast_precision_loss)]
            backlog.push(openings.iter().map(|&c| f64::from(c)).sum::<f64>() / openings.len() as f64);
        }
        let w = &mut tally.offered;
        if !w.is_empty() {
            p50.push(quantile(w, 0.5));
            p90.push(quantile(w, 0.9));
            p95.push(quantile(w, 0.95));
            promise.push(quantile(&mut tally.effective, model.promise_share));
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
        let (s, e) = (schedule.starts[i], schedule.ends[i]);
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
    /// 90th percentile of the offered wait, minutes on the SLA clock.
    pub p90_wait_minutes: Estimate,
}

/// Replay one pod's actual arrival instants (in time order) through the same engine: work
/// times and patience are drawn (seeded) since exports do not carry them; `replications` runs
/// with seeds `seed, seed+1, …` give a confidence interval. Returns the share touched within
/// `sla_minutes` on `clock`.
///
/// # Errors
/// [`SimError::UnorderedArrivals`] when an arrival is earlier than its predecessor,
/// [`SimError::InvalidInput`] for a non-positive touch time or patience or zero replications,
/// [`SimError::NoOpenTime`] when the calendar never opens around the arrivals.
#[allow(clippy::too_many_arguments)]
pub fn replay(
    calendar: &BusinessCalendar,
    arrivals: &[Timestamp],
    touch_minutes: f64,
    reps: u32,
    sla_minutes: f64,
    clock: Clock,
    patience_minutes: Option<f64>,
    seed: u64,
    replications: u32,
) -> Result<ReplayResult, SimError> {
    check_common(touch_minutes, sla_minutes, patience_minutes)?;
    if replications == 0 {
        return Err(SimError::InvalidInput("replications must be at least 1"));
    }
    if let Some(i) = arrivals.windows(2).position(|w| w[1] < w[0]) {
        return Err(SimError::UnorderedArrivals { index: i + 1 });
    }
    let (Some(&first), Some(&last)) = (arrivals.first(), arrivals.last()) else {
        let zero = Estimate { mean: 1.0, half_width: 0.0 };
        return Ok(ReplayResult {
            leads: 0,
            attainment: zero,
            cold_share: Estimate { mean: 0.0, half_width: 0.0 },
            after_hours_share: 0.0,
            p90_wait_minutes: Estimate { mean: 0.0, half_width: 0.0 },
        });
    };
    let until = plus_hours(last, 8 * 7 * 24);
    let schedule = Schedule::new(calendar, first, until)?;
    let times: Vec<f64> = arrivals.iter().map(|&a| minutes(first, a)).collect();
    let (mut att, mut cold, mut p90) = (Vec::new(), Vec::new(), Vec::new());
    let mut after = 0.0;
    for r in 0..replications {
        let mut rng = Rng::new(seed.wrapping_add(u64::from(r)));
        let mut tally = run_engine(
            &schedule,
            times.iter().copied(),
            &mut rng,
            touch_minutes,
            reps,
            patience_minutes,
            sla_minutes,
            clock,
            |_| true,
        );
        #[allow(clippy::cast_precision_loss)]
        let n = tally.leads.max(1) as f64;
        #[allow(clippy::cast_precision_loss)]
        {
            att.push(tally.attained as f64 / n);
            cold.push(tally.cold as f64 / n);
            after = tally.after_hours as f64 / n;
        }
        p90.push(quantile(&mut tally.offered, 0.9));
    }
    Ok(ReplayResult {
        leads: arrivals.len() as u64,
        attainment: Estimate::from_samples(&att),
        cold_share: Estimate::from_samples(&cold),
        after_hours_share: after,
        p90_wait_minutes: Estimate::from_samples(&p90),
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
        let business = replay(&cal, &arrivals, 0.01, 1, 15.0, Clock::Business, None, 1, 5).unwrap();
        assert_eq!(business.attainment.mean, 1.0);
        assert_eq!(business.after_hours_share, 0.5);
        let calendar = replay(&cal, &arrivals, 0.01, 1, 15.0, Clock::Calendar, None, 1, 5).unwrap();
        assert_eq!(calendar.attainment.mean, 0.5);
        // With 4 hours of patience the Friday lead goes cold over the weekend (mean 240 min
        // against 63 h: e^(−3780/240) ≈ 1.5e-7 chance to stay warm), whatever the clock.
        let warm = replay(&cal, &arrivals, 0.01, 1, 15.0, Clock::Business, Some(240.0), 1, 5).unwrap();
        assert_eq!(warm.cold_share.mean, 0.5);
        assert_eq!(warm.attainment.mean, 0.5);
    }

    #[test]
    fn replay_rejects_unordered_arrivals_and_counts_after_hours() {
        let cal = BusinessCalendar::always_open();
        let t0 = start();
        let arr = [t0, t0.checked_add(SignedDuration::from_mins(5)).unwrap(), t0];
        assert_eq!(
            replay(&cal, &arr, 5.0, 1, 10.0, Clock::Business, None, 1, 3),
            Err(SimError::UnorderedArrivals { index: 2 })
        );
        // One lead every 10 minutes, one rep with 1-minute touches: almost all within 15 min.
        let arr: Vec<Timestamp> =
            (0..1000).map(|i| t0.checked_add(SignedDuration::from_mins(10 * i)).unwrap()).collect();
        let r = replay(&cal, &arr, 1.0, 1, 15.0, Clock::Business, None, 1, 10).unwrap();
        assert_eq!(r.leads, 1000);
        assert!(r.attainment.mean > 0.99);
        // Same seed, same answer.
        assert_eq!(r, replay(&cal, &arr, 1.0, 1, 15.0, Clock::Business, None, 1, 10).unwrap());
    }
}
