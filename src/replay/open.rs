//! How long a replayed lead counts as open against its rep's `max_open` (issue 12 item 12).
//!
//! A CRM counts a lead as open (new, untouched) until a rep first touches it. An export does not
//! say when that was, so by default the replay takes the latest first touch the design promises:
//! a lead is open from its `created_at` until its SLA is due, on the SLA's clock and its pod's
//! calendar (a lead arriving Friday evening under a 2-hour business SLA stays open until 2 open
//! hours into Monday). `--open-for D` replaces that with a fixed time after arrival (the
//! router's own release, [`crate::calc::routing::Router::with_open_for`]). A lead without an
//! arrival time, or every lead of a file without `created_at`, stays open for the whole replay.
//!
//! The replay releases each lead through [`Router::release`] when a later row's `created_at`
//! reaches its due time, in due-time order (ties in routing order): both passes over a file
//! release alike, so the second pass routes as the first.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

use jiff::Timestamp;

use crate::calc::calendar::BusinessCalendar;
use crate::calc::routing::Router;
use crate::calc::routing::engine::Assignment;
use crate::calc::simulate::Clock;
use crate::checked;

/// How replayed leads were counted open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpenLeads {
    /// Until the SLA was due (the default with `created_at`): the SLA as the brief writes it,
    /// and whether it runs on the business clock.
    UntilSlaDue {
        /// The brief's SLA (`2h`).
        sla: String,
        /// The SLA runs on the business clock (open hours of each pod's calendar).
        business: bool,
    },
    /// For a fixed time after arrival (`--open-for`), in seconds.
    For(i64),
    /// For the whole replay: the file has no `created_at` column.
    WholeReplay,
}

/// An open lead: (due second, routing order, pod, rep).
type OpenLead = (i64, u64, usize, Option<usize>);

/// Open-lead release by SLA due time, driven by the replay (see the module documentation).
pub(super) struct OpenClock {
    /// Per pod, when a lead arriving at a time is due; empty when the clock is off.
    pods: Vec<Due>,
    /// Leads open: (due second, routing order, pod, rep).
    open: BinaryHeap<Reverse<OpenLead>>,
    placed: u64,
}

impl OpenClock {
    /// The clock for `brief`'s pods, and what the report says about it: off when `open_for`
    /// (the router releases leads itself) or the file has no `created_at`.
    pub(super) fn new(brief: &checked::Brief, open_for: Option<i64>, has_created_at: bool) -> (Self, OpenLeads) {
        let off = || Self { pods: Vec::new(), open: BinaryHeap::new(), placed: 0 };
        match (open_for, has_created_at) {
            (Some(span), _) => (off(), OpenLeads::For(span)),
            (None, false) => (off(), OpenLeads::WholeReplay),
            (None, true) => {
                let business = brief.clock() == Clock::Business;
                let pods = brief.pods().iter().map(|p| Due::new(p.calendar(), p.sla_minutes(), business)).collect();
                let says = OpenLeads::UntilSlaDue { sla: brief.sla().to_string(), business };
                (Self { pods, open: BinaryHeap::new(), placed: 0 }, says)
            }
        }
    }

    /// Before routing a lead that arrived at `at`: release every lead due by then.
    pub(super) fn before(&mut self, router: &mut Router, at: Option<i64>) {
        let Some(now) = at else { return };
        while let Some(Reverse((due, _, pod, rep))) = self.open.peek().copied() {
            if due > now {
                break;
            }
            self.open.pop();
            router.release(pod, rep);
        }
    }

    /// After routing: a lead placed on a pod at `at` is open until it is due.
    pub(super) fn after(&mut self, a: &Assignment, at: Option<i64>) {
        let (Some(pod), Some(t)) = (a.pod, at) else { return };
        let Some(due) = self.pods.get_mut(pod) else { return };
        let until = due.due(t);
        self.open.push(Reverse((until, self.placed, pod, a.rep)));
        self.placed += 1;
    }
}

/// Milliseconds in a second.
const MS: i64 = 1000;
/// The open intervals loaded at a time, in milliseconds (28 days).
const CHUNK_MS: i64 = 28 * 86_400 * MS;
/// Chunks searched for open time before the exact calendar walk takes over.
const MAX_CHUNKS: u32 = 60;

/// When a lead arriving at a second is due on one pod: its SLA after arrival on the calendar
/// clock, or that many open minutes of the pod's calendar on the business clock.
///
/// On the business clock the pod's open intervals are kept for a window ahead of the latest
/// arrival, so an export in time order costs a few comparisons a lead; an arrival before the
/// window (out of order) is due by [`BusinessCalendar::add_business_minutes`], which the window
/// agrees with to the millisecond.
struct Due {
    calendar: BusinessCalendar,
    /// The SLA in milliseconds on its clock.
    sla_ms: i64,
    business: bool,
    /// Open intervals `[start, end)` in milliseconds, covering `[lo, hi)`, in order.
    intervals: VecDeque<(i64, i64)>,
    lo: i64,
    hi: i64,
}

impl Due {
    fn new(calendar: &BusinessCalendar, sla_minutes: f64, business: bool) -> Self {
        // An SLA is whole minutes of at most a few weeks: exact in milliseconds.
        #[allow(clippy::cast_possible_truncation)]
        let sla_ms = (sla_minutes.max(0.0) * 60_000.0).round() as i64;
        Self { calendar: calendar.clone(), sla_ms, business, intervals: VecDeque::new(), lo: 0, hi: 0 }
    }

    /// The second (rounded up) by which a lead arriving at second `t` is due.
    fn due(&mut self, t: i64) -> i64 {
        let t_ms = t.saturating_mul(MS);
        let due_ms = if self.business { self.business_due(t_ms) } else { t_ms.saturating_add(self.sla_ms) };
        due_ms.div_euclid(MS) + i64::from(due_ms.rem_euclid(MS) != 0)
    }

    fn business_due(&mut self, t: i64) -> i64 {
        if t >= self.hi {
            // Past the window (or the first arrival): start a new one here.
            self.intervals.clear();
            (self.lo, self.hi) = (t, t);
        }
        if t < self.lo {
            return self.exact(t);
        }
        while self.intervals.front().is_some_and(|&(_, e)| e <= t) {
            self.intervals.pop_front();
        }
        self.lo = t;
        let mut left = self.sla_ms;
        let (mut i, mut chunks) = (0, 0);
        loop {
            if i == self.intervals.len() {
                if chunks == MAX_CHUNKS || !self.load() {
                    return self.exact(t);
                }
                chunks += 1;
                continue;
            }
            let (s, e) = self.intervals[i];
            let s = s.max(t);
            if s < e {
                if e - s >= left {
                    return s + left;
                }
                left -= e - s;
            }
            i += 1;
        }
    }

    /// Load the next chunk of open intervals; false at the edge of jiff's range.
    fn load(&mut self) -> bool {
        let to = self.hi.saturating_add(CHUNK_MS);
        let (Ok(from), Ok(until)) = (Timestamp::from_millisecond(self.hi), Timestamp::from_millisecond(to)) else {
            return false;
        };
        for (s, e) in self.calendar.open_intervals(from, until) {
            self.intervals.push_back((s.as_millisecond(), e.as_millisecond()));
        }
        self.hi = to;
        true
    }

    /// The calendar's own walk (for an arrival before the window, or no open time ahead).
    fn exact(&self, t: i64) -> i64 {
        let Ok(from) = Timestamp::from_millisecond(t) else { return i64::MAX };
        #[allow(clippy::cast_precision_loss)]
        let minutes = self.sla_ms as f64 / 60_000.0;
        self.calendar.add_business_minutes(from, minutes).as_millisecond()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn calendar() -> BusinessCalendar {
        // New York, Monday to Friday 08:30–17:30, 2027-02-15 a holiday (as the enterprise brief).
        use jiff::civil::{Weekday, date, time};
        let days = [Weekday::Monday, Weekday::Tuesday, Weekday::Wednesday, Weekday::Thursday, Weekday::Friday];
        BusinessCalendar::new("America/New_York", &days, time(8, 30, 0, 0), time(17, 30, 0, 0), [date(2027, 2, 15)])
            .unwrap()
    }

    #[test]
    fn the_window_agrees_with_the_calendar_walk() {
        // Arrivals every 7 minutes 13 seconds over ten weeks (across a holiday and the March DST
        // change), each due as `add_business_minutes` says, for SLAs of 0, 2h and 1d 4h.
        let cal = calendar();
        let start = "2027-02-01T00:00:00Z".parse::<Timestamp>().unwrap().as_second();
        for sla in [0.0, 120.0, 9.0 * 60.0 + 240.0] {
            let mut due = Due::new(&cal, sla, true);
            for k in 0..14_000 {
                let t = start + k * 433;
                let exact = cal.add_business_minutes(Timestamp::from_second(t).unwrap(), sla).as_second();
                assert_eq!(due.due(t), exact, "sla {sla}, t {t}");
            }
            // Out of order: before the window, the exact walk.
            let exact = cal.add_business_minutes(Timestamp::from_second(start).unwrap(), sla).as_second();
            assert_eq!(due.due(start), exact);
        }
        // Friday 17:00 New York + 2h business = Monday 10:00 (30 minutes Friday, 90 Monday).
        let friday = "2027-02-05T17:00:00-05:00".parse::<Timestamp>().unwrap().as_second();
        let monday = "2027-02-08T10:00:00-05:00".parse::<Timestamp>().unwrap().as_second();
        assert_eq!(Due::new(&cal, 120.0, true).due(friday), monday);
        assert_eq!(Due::new(&cal, 120.0, false).due(friday), friday + 7200);
    }
}
