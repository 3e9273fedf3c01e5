//! Measuring one lead on its pod's calendar, and the running tallies per pod and per rep.
//!
//! On the business clock only open minutes count (the pod's zone, hours, holidays and DST, the
//! calendar the design uses: [`BusinessCalendar::business_minutes_between`]); on the calendar
//! clock, wall time. A lead is within the SLA when its time to first touch is ≤ the SLA. Its
//! deadline — when a breach happens — is the SLA added on the same clock
//! ([`BusinessCalendar::add_business_minutes`]).

use jiff::Timestamp;

use crate::calc::calendar::{BusinessCalendar, minutes};
use crate::calc::simulate::Clock;

/// A hasher for whole-second keys (one multiply: the keys are plain integers, not attacker-chosen
/// strings; `std`'s SipHash costs more than the rest of a lead's tally).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct SecondsHasher(u64);

impl std::hash::Hasher for SecondsHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }

    fn write_u64(&mut self, v: u64) {
        // Fibonacci hashing, folded so the low bits (hashbrown's bucket index) mix the high ones.
        let h = (self.0 ^ v).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        self.0 = h ^ (h >> 29);
    }
}

/// Values [`Quantiles`] keeps one by one before it counts them per second (a window of a few
/// hundred leads sorts its values once at its end instead of filling an array).
const LISTED: usize = 1024;
/// Seconds [`Quantiles`] counts in a dense array (about 9 hours); longer times go to a map.
const DENSE_SECONDS: usize = 1 << 15;

/// Exact nearest-rank quantiles of times to first touch, in whole seconds. The first
/// [`LISTED`] values are kept as they come; from then on a count per distinct second: in an
/// array indexed by the second below [`DENSE_SECONDS`] (grown by doubling to the largest value
/// seen), in a hash map above it or when a second's count is full. Memory is bounded by the
/// range of the values, not by the number of leads.
#[derive(Debug, Clone, Default)]
pub(crate) struct Quantiles {
    /// The values while there are at most [`LISTED`] (empty once counting).
    listed: Vec<u64>,
    /// Counting per second instead of listing.
    counting: bool,
    /// Count of each second below `dense.len()`.
    dense: Vec<u32>,
    /// Counts of the other seconds, and of dense seconds beyond a full `u32` count.
    sparse: std::collections::HashMap<u64, u64, std::hash::BuildHasherDefault<SecondsHasher>>,
    n: u64,
}

impl Quantiles {
    /// Record a time in whole seconds.
    #[inline]
    pub(crate) fn record(&mut self, seconds: u64) {
        self.n += 1;
        if self.counting {
            if let Some(c) = usize::try_from(seconds).ok().and_then(|s| self.dense.get_mut(s))
                && *c < u32::MAX
            {
                *c += 1;
                return;
            }
        } else if self.listed.len() < LISTED {
            self.listed.push(seconds);
            return;
        } else {
            self.start_counting();
        }
        self.count(seconds, 1);
    }

    /// Switch from listing the values to counting them.
    fn start_counting(&mut self) {
        self.counting = true;
        for v in std::mem::take(&mut self.listed) {
            self.count(v, 1);
        }
    }

    /// Add `c` to the count of `seconds` (while counting), growing the array to hold it.
    fn count(&mut self, seconds: u64, c: u64) {
        let at = usize::try_from(seconds).ok().filter(|&s| s < DENSE_SECONDS);
        if let Some(s) = at
            && s >= self.dense.len()
        {
            self.dense.resize((s + 1).next_power_of_two(), 0);
        }
        let slot = at.and_then(|s| self.dense.get_mut(s));
        if let Some(slot) = slot
            && let Some(sum) = u32::try_from(c).ok().and_then(|c| slot.checked_add(c))
        {
            *slot = sum;
        } else {
            *self.sparse.entry(seconds).or_insert(0) += c;
        }
    }

    /// Add every value `other` recorded.
    pub(crate) fn merge(&mut self, other: &Self) {
        if !other.counting {
            for &v in &other.listed {
                self.record(v);
            }
            return;
        }
        if !self.counting {
            self.start_counting();
        }
        for (s, &c) in other.dense.iter().enumerate() {
            if c > 0 {
                self.count(s as u64, u64::from(c));
            }
        }
        for (&v, &c) in &other.sparse {
            self.count(v, c);
        }
        self.n += other.n;
    }

    /// Slots of memory held: values listed, seconds of the array, entries of the map (what
    /// the memory grows with).
    #[cfg(test)]
    pub(crate) fn held(&self) -> usize {
        self.listed.len() + self.dense.len() + self.sparse.len()
    }

    /// The smallest recorded value with at least share `q` of the values at or below it, in
    /// minutes (`None` when nothing was recorded).
    #[cfg(test)]
    pub(crate) fn quantile(&self, q: f64) -> Option<f64> {
        self.quantiles([q])[0]
    }

    /// [`Self::quantile`] of each share in `qs` (ascending), in one walk over the values.
    pub(crate) fn quantiles<const N: usize>(&self, qs: [f64; N]) -> [Option<f64>; N] {
        let mut out = [None; N];
        if self.n == 0 {
            return out;
        }
        // Nearest rank: ceil(q·n), at least 1.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss, clippy::cast_precision_loss)]
        let ranks = qs.map(|q| ((q * self.n as f64).ceil() as u64).clamp(1, self.n));
        // Seconds below 2^53 are exact in f64.
        #[allow(clippy::cast_precision_loss)]
        let minutes = |v: u64| Some(v as f64 / 60.0);
        if !self.counting {
            let mut values = self.listed.clone();
            values.sort_unstable();
            for (o, r) in out.iter_mut().zip(ranks) {
                *o = usize::try_from(r - 1).ok().and_then(|i| values.get(i)).and_then(|&v| minutes(v));
            }
            return out;
        }
        let mut tail: Vec<(u64, u64)> = self.sparse.iter().map(|(&v, &c)| (v, c)).collect();
        tail.sort_unstable();
        let mut tail = tail.into_iter().peekable();
        let dense = self.dense.iter().enumerate().filter(|(_, c)| **c > 0).map(|(s, &c)| (s as u64, u64::from(c)));
        // Both in ascending order of value (a second may come twice: from the array and the map).
        let mut seen = 0;
        let mut next = 0;
        let mut take = |(v, c): (u64, u64), out: &mut [Option<f64>; N]| {
            seen += c;
            while next < N && seen >= ranks[next] {
                out[next] = minutes(v);
                next += 1;
            }
            next == N
        };
        for d in dense {
            while let Some(t) = tail.next_if(|t| t.0 < d.0) {
                if take(t, &mut out) {
                    return out;
                }
            }
            if take(d, &mut out) {
                return out;
            }
        }
        for t in tail {
            if take(t, &mut out) {
                return out;
            }
        }
        out
    }
}

/// Counts of one pod, one rep or one window.
#[derive(Debug, Clone, Default)]
pub(crate) struct Counts {
    /// Leads.
    pub(crate) leads: u64,
    /// Leads touched.
    pub(crate) touched: u64,
    /// Touched within the SLA.
    pub(crate) within_sla: u64,
    /// Not touched, and past the SLA as of `--now`.
    pub(crate) untouched_past_sla: u64,
    /// Accepted.
    pub(crate) accepted: u64,
    /// Converted.
    pub(crate) converted: u64,
    /// Time to first touch, minutes on the SLA clock.
    pub(crate) times: Quantiles,
}

impl Counts {
    /// Leads whose outcome is known: touched, or untouched past the SLA.
    pub(crate) fn decided(&self) -> u64 {
        self.touched + self.untouched_past_sla
    }

    /// Share of decided leads touched within the SLA (`None` when none is decided).
    pub(crate) fn attainment(&self) -> Option<f64> {
        share(self.within_sla, self.decided())
    }

    /// Add the counts of `other` (leads measured elsewhere).
    pub(crate) fn merge(&mut self, other: &Self) {
        self.leads += other.leads;
        self.touched += other.touched;
        self.within_sla += other.within_sla;
        self.untouched_past_sla += other.untouched_past_sla;
        self.accepted += other.accepted;
        self.converted += other.converted;
        self.times.merge(&other.times);
    }

    /// Add one measured lead.
    pub(crate) fn add(&mut self, m: &Measured, accepted: bool, converted: bool) {
        self.leads += 1;
        self.accepted += u64::from(accepted);
        self.converted += u64::from(converted);
        match m.outcome {
            Outcome::Touched { seconds, within, .. } => {
                self.touched += 1;
                self.within_sla += u64::from(within);
                self.times.record(seconds);
            }
            Outcome::Late => self.untouched_past_sla += 1,
            Outcome::Pending => {}
        }
    }
}

/// `part / whole`, or `None` for an empty whole.
#[allow(clippy::cast_precision_loss)]
pub(crate) fn share(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// What happened to one lead.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Outcome {
    /// Touched after `minutes` on the SLA clock; `within` when that is ≤ the SLA.
    Touched {
        /// Minutes to first touch on the SLA clock.
        minutes: f64,
        /// The same, in whole seconds (times are whole seconds, so this is exact).
        seconds: u64,
        /// Within the SLA.
        within: bool,
    },
    /// Not touched, and the SLA ran out before `--now`.
    Late,
    /// Not touched, and still within the SLA at `--now`.
    Pending,
}

/// One lead measured on its pod's clock.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Measured {
    /// What happened.
    pub(crate) outcome: Outcome,
    /// When the SLA ran out (the breach instant when the lead breached), seconds.
    pub(crate) deadline: i64,
    /// Minutes waited on the SLA clock until `--now` (untouched leads).
    pub(crate) waited: f64,
    /// The pod was open when the lead was created ([`PodClock::is_open`]).
    pub(crate) open: bool,
}

impl Measured {
    /// True when the lead breached the SLA (touched late or untouched past it).
    pub(crate) fn breached(&self) -> bool {
        matches!(self.outcome, Outcome::Late | Outcome::Touched { within: false, .. })
    }
}

/// Minutes from `from` to `to` on `clock` (open minutes of `calendar` on the business clock).
#[must_use]
pub fn elapsed(calendar: &BusinessCalendar, clock: Clock, from: Timestamp, to: Timestamp) -> f64 {
    match clock {
        Clock::Business => calendar.business_minutes_between(from, to),
        Clock::Calendar => minutes(from, to).max(0.0),
    }
}

/// The instant the SLA of `sla_minutes` on `clock` runs out for a lead created at `from`.
#[must_use]
pub fn deadline(calendar: &BusinessCalendar, clock: Clock, from: Timestamp, sla_minutes: f64) -> Timestamp {
    match clock {
        Clock::Business => calendar.add_business_minutes(from, sla_minutes),
        Clock::Calendar => {
            // Whole milliseconds; SLAs are bounded by the duration parser.
            #[allow(clippy::cast_possible_truncation)]
            let ms = (sla_minutes * 60_000.0).round() as i64;
            from.checked_add(jiff::SignedDuration::from_millis(ms)).unwrap_or(Timestamp::MAX)
        }
    }
}

/// Days of open intervals [`PodClock`] reads ahead or behind at a time.
const CHUNK_DAYS: i64 = 64;
/// Most days [`PodClock`] keeps (about a century); times beyond fall back to the calendar.
const MAX_DAYS: usize = 36_600;

/// One pod's SLA clock with its open intervals cached as whole seconds, so measuring a million
/// leads converts each business day between zone and instant once instead of per lead. Its
/// answers equal [`elapsed`], [`deadline`] and [`BusinessCalendar::is_open`] (same intervals,
/// same arithmetic in the same order); times beyond [`MAX_DAYS`] of cache go to those.
#[derive(Debug)]
pub(crate) struct PodClock<'a> {
    calendar: &'a BusinessCalendar,
    clock: Clock,
    sla_minutes: f64,
    /// First and last cached local date.
    days: Option<(jiff::civil::Date, jiff::civil::Date)>,
    /// Open intervals `[start, end)` of the cached dates, in order, seconds.
    intervals: Vec<(i64, i64)>,
    /// Open seconds before each cached interval (`open[i]` = the lengths of `intervals[..i]`),
    /// so an untouched lead's wait until `--now` is two lookups, not a walk over the days.
    open: Vec<u64>,
    /// Open seconds from the cache's end to `--now`, for the end and `--now` they were for.
    tail: Option<(i64, i64, u64)>,
    /// Instants `[lo, hi)` whose intervals are all cached (midnight after the first date, midnight
    /// after the last): the check that spares a zone conversion per lead.
    safe: (i64, i64),
    /// The last [`Self::first_after`] answer: the next lead, created soon after, is usually
    /// in the same interval or the next, so it is checked before a binary search.
    hint: usize,
}

impl<'a> PodClock<'a> {
    /// The clock of a pod with this calendar and SLA.
    pub(crate) fn new(calendar: &'a BusinessCalendar, clock: Clock, sla_minutes: f64) -> Self {
        Self {
            calendar,
            clock,
            sla_minutes,
            days: None,
            intervals: Vec::new(),
            open: Vec::new(),
            tail: None,
            safe: (0, 0),
            hint: 0,
        }
    }

    fn interval(&self, date: jiff::civil::Date) -> Option<(i64, i64)> {
        self.calendar.open_interval(date).map(|(s, e)| (s.as_second(), e.as_second()))
    }

    /// Cache the dates around `from..=to` (seconds); false when that would exceed [`MAX_DAYS`].
    fn ensure(&mut self, from: i64, to: i64) -> bool {
        if self.safe.0 <= from && to < self.safe.1 {
            return true;
        }
        let before = (self.intervals.first().copied(), self.intervals.len());
        let done = self.extend(from, to);
        if (self.intervals.first().copied(), self.intervals.len()) != before {
            self.open.clear();
            let mut sum = 0;
            for &(s, e) in &self.intervals {
                self.open.push(sum);
                sum += (e - s).unsigned_abs();
            }
        }
        if let (true, Some((lo, hi))) = (done, self.days) {
            let tz = self.calendar.time_zone();
            let midnight_after = |d: jiff::civil::Date| {
                d.tomorrow()
                    .ok()
                    .and_then(|t| tz.to_timestamp(t.to_datetime(jiff::civil::Time::midnight())).ok())
                    .map(Timestamp::as_second)
            };
            self.safe = match (midnight_after(lo), midnight_after(hi)) {
                (Some(a), Some(b)) => (a, b),
                _ => (0, 0),
            };
        }
        done
    }

    /// Extend the cache to the dates around `from..=to`; false when it would exceed [`MAX_DAYS`].
    fn extend(&mut self, from: i64, to: i64) -> bool {
        let tz = self.calendar.time_zone();
        let date = |s: i64| tz.to_datetime(Timestamp::from_second(s).unwrap_or(Timestamp::MIN)).date();
        let span = jiff::Span::new().days(CHUNK_DAYS);
        // An interval holding an instant starts on its local date or the day before.
        let (want_lo, want_hi) = (date(from).yesterday().unwrap_or(date(from)), date(to));
        let Some((mut lo, mut hi)) = self.days else {
            let mut out = Vec::new();
            let mut d = want_lo;
            while d <= want_hi && out.len() <= MAX_DAYS {
                out.extend(self.interval(d));
                match d.tomorrow() {
                    Ok(t) => d = t,
                    Err(_) => return false,
                }
            }
            if d <= want_hi {
                return false;
            }
            self.intervals = out;
            self.days = Some((want_lo, want_hi));
            return true;
        };
        let days = |a: jiff::civil::Date, b: jiff::civil::Date| (b - a).get_days().unsigned_abs() as usize;
        if days(want_lo.min(lo), want_hi.max(hi)) > MAX_DAYS {
            return false;
        }
        if want_lo < lo {
            let start = lo.checked_sub(span).unwrap_or(want_lo).min(want_lo);
            let mut front = Vec::new();
            let mut d = start;
            while d < lo {
                front.extend(self.interval(d));
                let Ok(t) = d.tomorrow() else { return false };
                d = t;
            }
            front.append(&mut self.intervals);
            self.intervals = front;
            lo = start;
        }
        if want_hi > hi {
            let end = hi.checked_add(span).unwrap_or(want_hi).max(want_hi);
            let mut d = hi;
            while d < end {
                let Ok(t) = d.tomorrow() else { return false };
                d = t;
                let next = self.interval(d);
                self.intervals.extend(next);
            }
            hi = end;
        }
        self.days = Some((lo, hi));
        true
    }

    /// Index of the first cached interval ending after `t`.
    fn first_after(&self, t: i64) -> usize {
        self.intervals.partition_point(|&(_, e)| e <= t)
    }

    /// [`Self::first_after`], trying the last answer and the one after it first (the ends of
    /// the intervals increase, so an index whose interval ends after `t` and whose predecessor
    /// does not is the answer).
    fn first_after_near(&mut self, t: i64) -> usize {
        let iv = &self.intervals;
        let fits = |i: usize| i <= iv.len() && (i == 0 || iv[i - 1].1 <= t) && iv.get(i).is_none_or(|&(_, e)| e > t);
        let i = if fits(self.hint) {
            self.hint
        } else if fits(self.hint + 1) {
            self.hint + 1
        } else {
            self.first_after(t)
        };
        self.hint = i;
        i
    }

    /// True when the pod is open at `t` (seconds).
    pub(crate) fn is_open(&mut self, t: i64) -> bool {
        if !self.ensure(t, t) {
            return self.calendar.is_open(Timestamp::from_second(t).unwrap_or(Timestamp::MIN));
        }
        self.intervals.get(self.first_after(t)).is_some_and(|&(s, _)| s <= t)
    }

    /// Minutes from `from` to `to` (seconds) on the SLA clock: [`elapsed`].
    pub(crate) fn elapsed(&mut self, from: i64, to: i64) -> f64 {
        let at = |s: i64| Timestamp::from_second(s).unwrap_or(Timestamp::MIN);
        if self.clock == Clock::Calendar || to <= from || !self.ensure(from, to) {
            return elapsed(self.calendar, self.clock, at(from), at(to));
        }
        self.open_between(self.first_after(from), from, to).0
    }

    /// Open time from `from` to `to` (seconds, cached) over the intervals from `i` (the
    /// [`Self::first_after`] of `from`): minutes summed interval by interval as
    /// `calendar::minutes` computes them (so the sums agree to the bit), and whole seconds.
    fn open_between(&self, i: usize, from: i64, to: i64) -> (f64, u64) {
        let (mut minutes, mut seconds) = (0.0, 0_u64);
        for &(s, e) in &self.intervals[i..] {
            if s >= to {
                break;
            }
            let (s, e) = (s.max(from), e.min(to));
            if s < e {
                #[allow(clippy::cast_precision_loss)]
                let m = (e - s) as f64 / 60.0;
                minutes += m;
                seconds += (e - s).unsigned_abs();
            }
        }
        (minutes, seconds)
    }

    /// Whole seconds from `from` to `to` (seconds) on the SLA clock: [`elapsed`] × 60, summed in
    /// integers (the open intervals and the times are whole seconds).
    pub(crate) fn elapsed_seconds(&mut self, from: i64, to: i64) -> u64 {
        let at = |s: i64| Timestamp::from_second(s).unwrap_or(Timestamp::MIN);
        if to <= from {
            return 0;
        }
        if self.clock == Clock::Calendar {
            return (to - from).unsigned_abs();
        }
        if !self.ensure(from, to) {
            let m = elapsed(self.calendar, self.clock, at(from), at(to));
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            return (m * 60.0).round().max(0.0) as u64;
        }
        self.open_between(self.first_after(from), from, to).1
    }

    /// Open seconds of the cached intervals before instant `t` (the cache must hold `t`).
    fn open_before(&self, t: i64) -> u64 {
        let i = self.first_after(t);
        match self.intervals.get(i) {
            Some(&(s, _)) => self.open[i] + (t - s).max(0).unsigned_abs(),
            None => self.open.last().zip(self.intervals.last()).map_or(0, |(o, &(s, e))| o + (e - s).unsigned_abs()),
        }
    }

    /// Minutes from `from` to `to` (seconds) on the SLA clock, as whole seconds ÷ 60: the same
    /// value as [`Self::elapsed`] (to the last bits of a long sum), in two lookups.
    ///
    /// A `to` beyond the cache (a `--now` a century after the lead) costs one walk of the
    /// calendar from the cache's end, kept for the next lead: every untouched lead waits until
    /// the same `--now`.
    fn waited(&mut self, from: i64, to: i64) -> f64 {
        if self.clock == Clock::Calendar || to <= from {
            return self.elapsed(from, to);
        }
        let seconds = if self.ensure(from, to) {
            self.open_before(to) - self.open_before(from)
        } else if self.ensure(from, from) && self.safe.1 < to {
            let end = self.safe.1;
            let tail = match self.tail {
                Some((e, t, secs)) if (e, t) == (end, to) => secs,
                // The cache grew forward past the old end: take off what it now holds.
                Some((e, t, secs)) if t == to && self.safe.0 <= e && e < end => {
                    let secs = secs - (self.open_before(end) - self.open_before(e));
                    self.tail = Some((end, to, secs));
                    secs
                }
                _ => {
                    let at = |s: i64| Timestamp::from_second(s).unwrap_or(Timestamp::MAX);
                    let m = elapsed(self.calendar, self.clock, at(end), at(to));
                    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                    let secs = (m * 60.0).round().max(0.0) as u64;
                    self.tail = Some((end, to, secs));
                    secs
                }
            };
            self.open_before(end) - self.open_before(from) + tail
        } else {
            return self.elapsed(from, to);
        };
        #[allow(clippy::cast_precision_loss)]
        let minutes = seconds as f64 / 60.0;
        minutes
    }

    /// When the SLA of a lead created at `from` (seconds) runs out, in seconds: [`deadline`].
    pub(crate) fn deadline(&mut self, from: i64) -> i64 {
        let at = |s: i64| Timestamp::from_second(s).unwrap_or(Timestamp::MIN);
        let slow = |this: &Self| deadline(this.calendar, this.clock, at(from), this.sla_minutes).as_second();
        if self.clock == Clock::Calendar || !self.ensure(from, from) {
            return slow(self);
        }
        let i = self.first_after(from);
        self.deadline_from(from, i)
    }

    /// [`Self::deadline`] for a cached `from` whose [`Self::first_after`] is `i`.
    fn deadline_from(&mut self, from: i64, mut i: usize) -> i64 {
        let at = |s: i64| Timestamp::from_second(s).unwrap_or(Timestamp::MIN);
        let slow = |this: &Self| deadline(this.calendar, this.clock, at(from), this.sla_minutes).as_second();
        let mut start = None;
        let mut left = self.sla_minutes;
        loop {
            if i >= self.intervals.len() {
                let reach = self.intervals.last().map_or(from, |&(_, e)| e) + CHUNK_DAYS * 86_400;
                if !self.ensure(from, reach) || i >= self.intervals.len() {
                    return slow(self);
                }
            }
            let (s, e) = self.intervals[i];
            let first = *start.get_or_insert(s.max(from));
            if left.is_nan() || left <= 0.0 {
                return first;
            }
            let s = s.max(first);
            if s < e {
                #[allow(clippy::cast_precision_loss)]
                let span = (e - s) as f64 / 60.0;
                if span >= left {
                    #[allow(clippy::cast_possible_truncation)]
                    let ms = (left * 60_000.0).round() as i64;
                    return (s * 1000 + ms).div_euclid(1000);
                }
                left -= span;
            }
            i += 1;
        }
    }

    /// Measure one lead created at `created` (seconds), first touched at `touch`, as of `now`.
    ///
    /// A touched lead on the business clock whose times are cached (nearly every one) is
    /// measured from one lookup of its creation: open or not, the deadline, and the minutes and
    /// seconds to the touch in one walk — the same answers as [`Self::deadline`],
    /// [`Self::elapsed`], [`Self::elapsed_seconds`] and [`Self::is_open`] one by one, which the
    /// other leads take.
    pub(crate) fn measure(&mut self, created: i64, touch: Option<i64>, now: i64) -> Measured {
        if self.clock == Clock::Business
            && let Some(t) = touch
            && t > created
            && self.ensure(created, t)
        {
            let i = self.first_after_near(created);
            let open = self.intervals.get(i).is_some_and(|&(s, _)| s <= created);
            // May cache more days ahead, never before: `i` still points at the same interval.
            let deadline = self.deadline_from(created, i);
            let (minutes, seconds) = self.open_between(i, created, t);
            let within = minutes <= self.sla_minutes;
            return Measured { outcome: Outcome::Touched { minutes, seconds, within }, deadline, waited: 0.0, open };
        }
        let deadline = self.deadline(created);
        let sla = self.sla_minutes;
        match touch {
            Some(t) => {
                let minutes = self.elapsed(created, t);
                let seconds = self.elapsed_seconds(created, t);
                Measured {
                    outcome: Outcome::Touched { minutes, seconds, within: minutes <= sla },
                    deadline,
                    waited: 0.0,
                    open: self.is_open(created),
                }
            }
            None => {
                let waited = self.waited(created, now);
                let outcome = if waited > sla { Outcome::Late } else { Outcome::Pending };
                Measured { outcome, deadline, waited, open: self.is_open(created) }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_quantiles_are_nearest_rank() {
        let mut q = Quantiles::default();
        for v in [5, 1, 4, 2, 3, 10, 6, 8, 7, 9] {
            q.record(v * 60);
        }
        // Ten values: p50 is the 5th smallest, p90 the 9th.
        assert_eq!(q.quantile(0.5), Some(5.0));
        assert_eq!(q.quantile(0.9), Some(9.0));
        assert_eq!(Quantiles::default().quantile(0.5), None);
    }

    #[test]
    fn many_values_stay_exact_in_memory_bounded_by_their_range() {
        // A million times cycling over 0..14_400 s (four hours): p50 and p90 equal a sort of all
        // of them (the reference), and the counts held cover the range (16,384 seconds: the
        // array doubled to hold 14,399), not the million.
        let mut q = Quantiles::default();
        let mut all = Vec::new();
        let mut rng = fastrand::Rng::with_seed(3);
        for _ in 0..1_000_000 {
            let v = rng.u64(0..14_400);
            q.record(v);
            all.push(v);
        }
        all.sort_unstable();
        let nearest = |p: f64| all[((p * all.len() as f64).ceil() as usize).clamp(1, all.len()) - 1] as f64 / 60.0;
        assert_eq!(q.quantile(0.5), Some(nearest(0.5)));
        assert_eq!(q.quantile(0.9), Some(nearest(0.9)));
        assert!(q.held() <= 16_384, "{}", q.held());
    }

    /// Nearest-rank quantile of a sorted list (the textbook definition): the ⌈q·n⌉-th smallest.
    fn sorted_nearest(sorted: &[u64], q: f64) -> Option<f64> {
        if sorted.is_empty() {
            return None;
        }
        let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
        Some(sorted[rank - 1] as f64 / 60.0)
    }

    #[test]
    fn listed_dense_and_sparse_quantiles_equal_a_sorted_list() {
        // Sizes on both sides of the listing limit, values mostly in the array's range with a
        // tail beyond it (days, up to years) and some exactly at its edges; each built directly
        // and as the merge of two halves (listed into counting, counting into listed).
        let mut rng = fastrand::Rng::with_seed(14);
        let qs = [0.0, 0.01, 0.25, 0.5, 0.9, 0.99, 1.0];
        for n in [1, 2, 3, 10, 1_000, 1_023, 1_024, 1_025, 1_500, 5_000, 40_000] {
            for tail_share in [0.0, 0.1, 0.6, 1.0] {
                let value = |rng: &mut fastrand::Rng| match rng.u8(0..20) {
                    0 => DENSE_SECONDS as u64 - 1,
                    1 => DENSE_SECONDS as u64,
                    _ if rng.f64() < tail_share => rng.u64(DENSE_SECONDS as u64..40_000_000),
                    _ => rng.u64(0..14_400),
                };
                let values: Vec<u64> = (0..n).map(|_| value(&mut rng)).collect();
                let mut sorted = values.clone();
                sorted.sort_unstable();
                let mut whole = Quantiles::default();
                values.iter().for_each(|&v| whole.record(v));
                let cut = rng.usize(0..=n);
                let (mut a, mut b) = (Quantiles::default(), Quantiles::default());
                values[..cut].iter().for_each(|&v| a.record(v));
                values[cut..].iter().for_each(|&v| b.record(v));
                let mut ab = a.clone();
                ab.merge(&b);
                let mut ba = b.clone();
                ba.merge(&a);
                for q in qs {
                    let want = sorted_nearest(&sorted, q);
                    for (name, got) in [("whole", &whole), ("a+b", &ab), ("b+a", &ba)] {
                        assert_eq!(got.quantile(q), want, "n {n}, tail {tail_share}, {name}, q {q}");
                    }
                }
                assert_eq!(whole.quantiles([0.5, 0.9]), [sorted_nearest(&sorted, 0.5), sorted_nearest(&sorted, 0.9)]);
            }
        }
    }

    #[test]
    fn a_full_count_of_one_second_goes_on_in_the_map() {
        // u32::MAX leads at one second would take an hour to record; the array's slot is set
        // full as if they had been, and the next ones go to the map: still counted, in order.
        let mut q = Quantiles::default();
        for v in 0..2_000 {
            q.record(v);
        }
        q.dense[100] = u32::MAX;
        q.n += u64::from(u32::MAX) - 1;
        q.record(100);
        q.record(100);
        assert_eq!(q.sparse.get(&100), Some(&2));
        // Ranks: 100 values below 100, then 2^32 + 1 at 100, then 1,899 above. The median and
        // p90 fall on 100; the largest is 1,999 s.
        assert_eq!(q.quantiles([0.5, 0.9, 1.0]), [Some(100.0 / 60.0), Some(100.0 / 60.0), Some(1_999.0 / 60.0)]);
        let mut r = Quantiles::default();
        r.merge(&q);
        assert_eq!(r.quantile(1.0), Some(1_999.0 / 60.0));
        assert_eq!(r.n, q.n);
    }

    #[test]
    fn the_cached_clock_agrees_with_the_calendar() {
        use jiff::civil::{Time, Weekday, date};
        let days = [Weekday::Monday, Weekday::Tuesday, Weekday::Wednesday, Weekday::Thursday, Weekday::Friday];
        let cal = BusinessCalendar::new(
            "America/New_York",
            &days,
            Time::new(8, 30, 0, 0).unwrap(),
            Time::new(17, 30, 0, 0).unwrap(),
            [date(2027, 3, 17), date(2027, 11, 1)],
        )
        .unwrap();
        let mut rng = fastrand::Rng::with_seed(7);
        let base = "2027-01-01T00:00:00Z".parse::<Timestamp>().unwrap().as_second();
        let mut clock = PodClock::new(&cal, Clock::Business, 150.0);
        let mut measured = PodClock::new(&cal, Clock::Business, 150.0);
        // Random instants over a year (both DST changes, weekends, holidays), in random order so
        // the cache grows both ways; every answer equals the calendar's.
        for _ in 0..3_000 {
            let from = base + rng.i64(0..365 * 86_400);
            let to = from + rng.i64(0..10 * 86_400);
            let (a, b) = (Timestamp::from_second(from).unwrap(), Timestamp::from_second(to).unwrap());
            assert_eq!(clock.elapsed(from, to), elapsed(&cal, Clock::Business, a, b), "{a} → {b}");
            // Whole seconds: the open seconds counted one by one would take too long; the
            // calendar's minutes × 60, rounded, is the same count.
            let secs = (elapsed(&cal, Clock::Business, a, b) * 60.0).round() as u64;
            assert_eq!(clock.elapsed_seconds(from, to), secs, "{a} → {b}");
            assert_eq!(clock.deadline(from), deadline(&cal, Clock::Business, a, 150.0).as_second(), "{a}");
            assert_eq!(clock.is_open(from), cal.is_open(a), "{a}");
            // The whole measure of a touched lead (one lookup, one walk, on a clock of its own
            // so its cache grows by these calls alone) equals the calendar's answers.
            let m = measured.measure(from, Some(to), 0);
            let minutes = elapsed(&cal, Clock::Business, a, b);
            let touched = Outcome::Touched { minutes, seconds: secs, within: minutes <= 150.0 };
            let want = Measured {
                outcome: if to > from { touched } else { m.outcome },
                deadline: deadline(&cal, Clock::Business, a, 150.0).as_second(),
                waited: 0.0,
                open: cal.is_open(a),
            };
            assert_eq!(m, want, "{a} → {b}");
            // An untouched lead's wait, over up to two years: the calendar's minutes to a
            // millisecond (the backlog's unit), and the same side of the SLA.
            let now = from + rng.i64(0..730 * 86_400);
            let want = elapsed(&cal, Clock::Business, a, Timestamp::from_second(now).unwrap());
            let got = clock.waited(from, now);
            assert!((got - want).abs() < 1e-6, "{a} → {now}: {got} against {want}");
            assert_eq!((got * 1000.0).round(), (want * 1000.0).round(), "{a} → {now}");
        }
        // As an export reads, creation after creation (the remembered index is the answer or
        // the next, or is found again): the same answers as the calendar's.
        let mut forward = PodClock::new(&cal, Clock::Business, 150.0);
        let mut from = base;
        for _ in 0..5_000 {
            from += rng.i64(0..7_200);
            let to = from + 1 + rng.i64(0..6 * 3_600);
            let (a, b) = (Timestamp::from_second(from).unwrap(), Timestamp::from_second(to).unwrap());
            let minutes = elapsed(&cal, Clock::Business, a, b);
            let seconds = (minutes * 60.0).round() as u64;
            let want = Measured {
                outcome: Outcome::Touched { minutes, seconds, within: minutes <= 150.0 },
                deadline: deadline(&cal, Clock::Business, a, 150.0).as_second(),
                waited: 0.0,
                open: cal.is_open(a),
            };
            assert_eq!(forward.measure(from, Some(to), 0), want, "{a} → {b}");
        }
        // `--now` past the century the cache holds: the walk from the cache's end is done once
        // and reused, and the waits still equal the calendar's.
        let far = "2150-01-01T00:00:00Z".parse::<Timestamp>().unwrap();
        for k in 0..40 {
            // Forward in time, so the cache's end moves and the tail is carried along.
            let from = base + k * 86_400 * 37 + rng.i64(0..86_400);
            let want = elapsed(&cal, Clock::Business, Timestamp::from_second(from).unwrap(), far);
            let got = clock.waited(from, far.as_second());
            assert_eq!((got * 1000.0).round(), (want * 1000.0).round(), "{from} → {far}");
        }
        assert!(clock.tail.is_some(), "the far wait went through the cached tail");
    }
}
