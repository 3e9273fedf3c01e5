//! The calendar as the engine reads it: open intervals in minutes from an origin (real time),
//! with the business minutes before each (business time), read ahead and dropped behind.

use jiff::{SignedDuration, Timestamp};

use super::SimError;
use crate::calc::calendar::{BusinessCalendar, minutes};

/// Open intervals as minutes from an origin, with the business minutes before each.
///
/// A simulation reads its whole horizon at once; a replay extends the schedule as its arrivals
/// advance and drops the intervals every cursor has passed, so a long export costs memory for
/// the weeks around its current lead, not for every day it spans. Indices are absolute: interval
/// `i` keeps its index when earlier ones are dropped.
#[derive(Debug, Clone)]
pub(super) struct Schedule {
    /// Absolute index of the first interval kept.
    pub(super) base: usize,
    pub(super) starts: Vec<f64>,
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
    pub(super) built_minutes: f64,
}

impl Schedule {
    /// An empty schedule at `origin`, to [`extend`](Self::extend).
    pub(super) fn empty(origin: Timestamp) -> Self {
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

    pub(super) fn new(calendar: &BusinessCalendar, origin: Timestamp, until: Timestamp) -> Result<Self, SimError> {
        let mut s = Self::empty(origin);
        s.extend(calendar, origin, until);
        if s.starts.is_empty() {
            return Err(SimError::NoOpenTime);
        }
        Ok(s)
    }

    /// Read the calendar's open intervals up to `until` (an interval cut at the previous end
    /// continues without a new opening).
    pub(super) fn extend(&mut self, calendar: &BusinessCalendar, origin: Timestamp, until: Timestamp) {
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
    pub(super) fn prune(&mut self, keep_from: usize) {
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
    pub(super) fn len(&self) -> usize {
        self.base + self.starts.len()
    }

    pub(super) fn start(&self, i: usize) -> f64 {
        self.starts[i - self.base]
    }

    pub(super) fn end(&self, i: usize) -> f64 {
        self.ends[i - self.base]
    }

    fn cum(&self, i: usize) -> f64 {
        self.cum[i - self.base]
    }

    pub(super) fn opening(&self, i: usize) -> bool {
        self.opening[i - self.base]
    }

    /// End of the last interval read (negative infinity before any).
    pub(super) fn last_end(&self) -> f64 {
        self.ends.last().copied().unwrap_or(f64::NEG_INFINITY)
    }

    /// Business time at real time `t`; `ptr` is a cursor that only moves forward (callers ask
    /// in nondecreasing `t`). `None` beyond the last interval.
    pub(super) fn to_business(&self, t: f64, ptr: &mut usize) -> Option<f64> {
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
    pub(super) fn to_real(&self, b: f64, ptr: &mut usize) -> Option<f64> {
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

/// `ts` plus `hours` (not negative), saturating at the end of jiff's range.
pub(super) fn plus_hours(ts: Timestamp, hours: i64) -> Timestamp {
    // `SignedDuration::from_hours` panics past an i64 of seconds: multiply checked instead.
    hours
        .checked_mul(3600)
        .and_then(|secs| ts.checked_add(SignedDuration::from_secs(secs)).ok())
        .unwrap_or(Timestamp::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::{Weekday, time};

    /// Weekdays 09:00–17:00 in New York. From Monday 2 March 2026 00:00 UTC (19:00 EST the
    /// evening before) day d opens at 14:00 UTC, minute 840 + 1440·d, and closes at 1320 + 1440·d
    /// (daylight saving starts on 8 March).
    fn weekdays() -> BusinessCalendar {
        let days = [Weekday::Monday, Weekday::Tuesday, Weekday::Wednesday, Weekday::Thursday, Weekday::Friday];
        BusinessCalendar::new("America/New_York", &days, time(9, 0, 0, 0), time(17, 0, 0, 0), []).unwrap()
    }

    fn origin() -> Timestamp {
        "2026-03-02T00:00:00Z".parse().unwrap()
    }

    fn week() -> Schedule {
        Schedule::new(&weekdays(), origin(), "2026-03-07T00:00:00Z".parse().unwrap()).unwrap()
    }

    #[test]
    fn a_schedule_lists_the_open_minutes_and_the_business_minutes_before_them() {
        let s = week();
        assert_eq!(s.len(), 5);
        for (i, d) in (0..5).zip(0..5_u32) {
            let day = f64::from(d);
            assert_eq!((s.start(i), s.end(i)), (840.0 + 1440.0 * day, 1320.0 + 1440.0 * day), "day {d}");
            assert_eq!(s.cum(i), 480.0 * day);
            assert!(s.opening(i), "day {d} opens after a closed night");
        }
        assert_eq!(s.last_end(), 1320.0 + 1440.0 * 4.0);
        assert_eq!(s.built_minutes, 5.0 * 1440.0);
        assert_eq!(Schedule::empty(origin()).last_end(), f64::NEG_INFINITY);
        // A weekend alone is never open.
        let weekend = Schedule::new(
            &weekdays(),
            "2026-03-07T00:00:00Z".parse().unwrap(),
            "2026-03-09T00:00:00Z".parse().unwrap(),
        );
        assert!(matches!(weekend, Err(SimError::NoOpenTime)));
    }

    #[test]
    fn business_time_stops_while_closed_and_real_time_waits_for_the_opening() {
        let s = week();
        let mut ptr = 0;
        let business: Vec<Option<f64>> = [0.0, 840.0, 900.0, 1319.0, 1320.0, 2000.0, 2310.0, 7079.0, 7080.0, 9000.0]
            .iter()
            .map(|&t| s.to_business(t, &mut ptr))
            .collect();
        let expected = [0.0, 0.0, 60.0, 479.0, 480.0, 480.0, 510.0, 2399.0].map(Some);
        assert_eq!(business[..8], expected);
        // At and past the last close there is no business time left.
        assert_eq!(business[8..], [None, None]);
        let mut ptr = 0;
        let real: Vec<Option<f64>> =
            [0.0, 60.0, 479.0, 480.0, 510.0, 2399.0, 2400.0].iter().map(|&b| s.to_real(b, &mut ptr)).collect();
        // A business minute that ends one day is the next day's opening.
        assert_eq!(real, [Some(840.0), Some(900.0), Some(1319.0), Some(2280.0), Some(2310.0), Some(7079.0), None]);
    }

    #[test]
    fn reading_on_from_inside_an_interval_continues_it_without_an_opening() {
        let cal = weekdays();
        let until: Timestamp = "2026-03-07T00:00:00Z".parse().unwrap();
        let mut s = Schedule::empty(origin());
        s.extend(&cal, origin(), "2026-03-02T18:00:00Z".parse().unwrap()); // minute 1080, mid-day
        s.extend(&cal, origin(), "2026-03-02T12:00:00Z".parse().unwrap()); // earlier: nothing read
        assert_eq!((s.len(), s.built_minutes), (1, 1080.0));
        s.extend(&cal, origin(), until);
        assert_eq!(s.len(), 6);
        assert_eq!((s.start(0), s.end(0), s.start(1), s.end(1)), (840.0, 1080.0, 1080.0, 1320.0));
        assert_eq!((0..6).map(|i| s.opening(i)).collect::<Vec<_>>(), [true, false, true, true, true, true]);
        assert_eq!((0..6).map(|i| s.cum(i)).collect::<Vec<_>>(), [0.0, 240.0, 480.0, 960.0, 1440.0, 1920.0]);
        let whole = week();
        let (mut p, mut q) = (0, 0);
        for t in (0..8000).step_by(7).map(f64::from) {
            assert_eq!(s.to_business(t, &mut p), whole.to_business(t, &mut q), "minute {t}");
        }
    }

    #[test]
    fn pruning_drops_only_a_large_dead_majority_and_keeps_the_indices() {
        // 520 weeks of weekdays: 2,600 intervals.
        let cal = weekdays();
        let until = plus_hours(origin(), 520 * 7 * 24);
        let full = Schedule::new(&cal, origin(), until).unwrap();
        assert_eq!(full.len(), 2600);
        let mut s = full.clone();
        s.prune(1299); // 1,299 dead of 2,600: under half, kept
        assert_eq!((s.base, s.starts.len()), (0, 2600));
        s.prune(1300); // half: dropped
        assert_eq!((s.base, s.starts.len(), s.len()), (1300, 1300, 2600));
        for i in [1300, 1301, 2000, 2599] {
            assert_eq!(
                (s.start(i), s.end(i), s.cum(i), s.opening(i)),
                (full.start(i), full.end(i), full.cum(i), full.opening(i))
            );
        }
        // A cursor from before the base starts at the base.
        let (mut p, mut q) = (0, 1300);
        let t = full.start(1500) + 1.0;
        assert_eq!(s.to_business(t, &mut p), full.to_business(t, &mut q));
        assert_eq!(p, 1500);
        s.prune(0); // behind the base: nothing
        assert_eq!(s.base, 1300);
        // Fewer than 1,024 dead are kept even when they are most of what is left.
        let mut small = Schedule::new(&cal, origin(), plus_hours(origin(), 408 * 7 * 24)).unwrap();
        assert_eq!(small.len(), 2040);
        small.prune(1023);
        assert_eq!(small.base, 0);
        small.prune(1024);
        assert_eq!((small.base, small.len()), (1024, 2040));
    }

    #[test]
    fn adding_hours_saturates_at_the_end_of_time() {
        assert_eq!(plus_hours(origin(), 24), "2026-03-03T00:00:00Z".parse::<Timestamp>().unwrap());
        // Past jiff's range, and past an i64 of seconds.
        assert_eq!(plus_hours(origin(), 100_000 * 365 * 24), Timestamp::MAX);
        assert_eq!(plus_hours(origin(), i64::MAX / 4), Timestamp::MAX);
    }
}
