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

/// `ts` plus `hours`, saturating at the end of jiff's range.
pub(super) fn plus_hours(ts: Timestamp, hours: i64) -> Timestamp {
    ts.checked_add(SignedDuration::from_hours(hours)).unwrap_or(Timestamp::MAX)
}
