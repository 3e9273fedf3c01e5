//! Time in the monitor's report: the attainment series per window, the rip-cord over the breach
//! instants, and the aging backlog (the oldest leads still untouched past the SLA).
//!
//! Windows are periods of the brief's zone: days (`24h`), weeks from Monday (`7d`) or calendar
//! months (`30d`), keyed by the local date a lead was created on. The rip-cord is the brief's
//! `escalation.rip_cord`: when `breaches` SLA breaches fall within `window` (wall time), it
//! fires at the breach that completes the count, notifying `notify`; the count then starts
//! again from the next breach, so one run of breaches pulls it once per `breaches` breaches.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

use jiff::Timestamp;
use jiff::civil::Date;

/// How long one window of the attainment series is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Window {
    /// A local day (`24h`).
    #[serde(rename = "24h")]
    Day,
    /// A week from Monday (`7d`).
    #[serde(rename = "7d")]
    Week,
    /// A calendar month (`30d`).
    #[serde(rename = "30d")]
    Month,
}

impl Window {
    /// The first day of the window holding `date`.
    #[must_use]
    pub fn start(self, date: Date) -> Date {
        match self {
            Self::Day => date,
            Self::Week => {
                let back = i64::from(date.weekday().to_monday_zero_offset());
                date.checked_sub(jiff::Span::new().days(back)).unwrap_or(date)
            }
            Self::Month => date.first_of_month(),
        }
    }

    /// The first day after the window starting at `start`.
    #[must_use]
    pub fn end(self, start: Date) -> Date {
        let span = match self {
            Self::Day => jiff::Span::new().days(1),
            Self::Week => jiff::Span::new().days(7),
            Self::Month => jiff::Span::new().months(1),
        };
        start.checked_add(span).unwrap_or(start)
    }
}

/// One rip-cord event.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RipCordEvent {
    /// When it fired: the breach that completed the count (RFC 3339).
    pub fired_at: String,
    /// The first breach counted (RFC 3339).
    pub first_breach_at: String,
    /// Breaches counted.
    pub breaches: u32,
    /// Pods whose leads breached, in the brief's order.
    pub pods: Vec<String>,
    /// Who is notified.
    pub notify: Vec<String>,
}

/// The rip-cord's count over breaches taken in time order: the breaches held within the window,
/// the events listed, and how many fired.
#[derive(Debug)]
struct Scan {
    threshold: usize,
    window_seconds: i64,
    limit: usize,
    held: VecDeque<(i64, usize)>,
    events: Vec<(i64, i64, usize, Vec<usize>)>,
    total: usize,
}

impl Scan {
    fn new(threshold: u32, window_seconds: i64, limit: usize) -> Self {
        let threshold = usize::try_from(threshold.max(1)).unwrap_or(usize::MAX);
        Self { threshold, window_seconds, limit, held: VecDeque::new(), events: Vec::new(), total: 0 }
    }

    /// The next breach in time order.
    fn feed(&mut self, at: i64, pod: usize) {
        self.held.push_back((at, pod));
        while self.held.front().is_some_and(|&(first, _)| at - first > self.window_seconds) {
            self.held.pop_front();
        }
        if self.held.len() < self.threshold {
            return;
        }
        self.total += 1;
        if self.events.len() < self.limit {
            let mut seen: Vec<usize> = self.held.iter().map(|&(_, p)| p).collect();
            seen.sort_unstable();
            seen.dedup();
            let first = self.held.front().map_or(at, |&(t, _)| t);
            self.events.push((at, first, self.held.len(), seen));
        }
        self.held.clear();
    }

    fn finish(self, pods: &[String], notify: &[String]) -> (Vec<RipCordEvent>, usize) {
        let text = |s: i64| Timestamp::from_second(s).map(|t| t.to_string()).unwrap_or_default();
        let events = self
            .events
            .into_iter()
            .map(|(at, first, n, seen)| RipCordEvent {
                fired_at: text(at),
                first_breach_at: text(first),
                breaches: u32::try_from(n).unwrap_or(u32::MAX),
                pods: seen.into_iter().filter_map(|p| pods.get(p).cloned()).collect(),
                notify: notify.to_vec(),
            })
            .collect();
        (events, self.total)
    }
}

/// Rip-cord events over breach instants `(seconds, pod index)`: fire when `threshold` breaches
/// fall within `window_seconds` (the first and the last at most that far apart), then count
/// afresh. Breaches are sorted here, so they may come in any order. Returns the first `limit`
/// events and how many fired in all.
#[must_use]
pub fn rip_cord(
    breaches: &mut [(i64, usize)],
    threshold: u32,
    window_seconds: i64,
    pods: &[String],
    notify: &[String],
    limit: usize,
) -> (Vec<RipCordEvent>, usize) {
    breaches.sort_unstable();
    let mut scan = Scan::new(threshold, window_seconds, limit);
    for &(at, pod) in breaches.iter() {
        scan.feed(at, pod);
    }
    scan.finish(pods, notify)
}

/// The rip-cord as breaches stream past in file order: a reorder buffer over their deadlines
/// in front of the count. A breach is counted once no later breach can come before it: every
/// lead's deadline is at or after its creation, so once the file has passed creation time `w`
/// (see [`RipCordStream::release_before`]) the breaches due before `w` are final. The buffer
/// holds only the breaches due after that mark — a few days' worth for an export in creation
/// order, whatever its length. A breach due before one already counted is `late`: the file is
/// further out of creation order than the mark allowed, and the caller counts again from a
/// second pass that keeps every breach ([`rip_cord`]).
#[derive(Debug)]
pub struct RipCordStream {
    scan: Scan,
    pending: BinaryHeap<Reverse<(i64, usize)>>,
    last: Option<(i64, usize)>,
    late: bool,
    /// Most breaches held at once (what the memory grows with).
    peak: usize,
}

impl RipCordStream {
    /// An empty stream for the brief's rip-cord.
    #[must_use]
    pub fn new(threshold: u32, window_seconds: i64, limit: usize) -> Self {
        let scan = Scan::new(threshold, window_seconds, limit);
        Self { scan, pending: BinaryHeap::new(), last: None, late: false, peak: 0 }
    }

    /// A breach due at `at` (seconds) on pod `pod`, in any order.
    pub fn push(&mut self, at: i64, pod: usize) {
        if self.last.is_some_and(|last| (at, pod) < last) {
            self.late = true;
            return;
        }
        self.pending.push(Reverse((at, pod)));
        self.peak = self.peak.max(self.pending.len());
    }

    /// Count every breach due before `w`: no breach still to come is due before it.
    pub fn release_before(&mut self, w: i64) {
        while let Some(&Reverse((at, pod))) = self.pending.peek() {
            if at >= w {
                break;
            }
            self.pending.pop();
            self.last = Some((at, pod));
            self.scan.feed(at, pod);
        }
    }

    /// A breach came due before one already counted: the count needs a second pass.
    #[must_use]
    pub fn late(&self) -> bool {
        self.late
    }

    /// Most breaches held at once.
    #[must_use]
    pub fn peak(&self) -> usize {
        self.peak
    }

    /// Count what the buffer holds and give the events listed and how many fired.
    #[must_use]
    pub fn finish(mut self, pods: &[String], notify: &[String]) -> (Vec<RipCordEvent>, usize) {
        self.release_before(i64::MAX);
        // `i64::MAX` itself is no instant a parsed time reaches.
        self.scan.finish(pods, notify)
    }
}

/// One lead of the aging backlog.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Aging {
    /// Created, seconds (the heap keeps the smallest: the oldest).
    pub(crate) created: i64,
    /// Line in the file.
    pub(crate) line: u64,
    /// Pod index.
    pub(crate) pod: usize,
    /// Owner, as exported.
    pub(crate) owner: Option<String>,
    /// Lead id, as exported.
    pub(crate) lead_id: Option<String>,
    /// Minutes waited on the SLA clock, ×1000 as an integer (so the entry is `Ord`).
    pub(crate) waited_millis: u64,
}

/// The `limit` oldest leads of the aging backlog, kept in a bounded max-heap.
#[derive(Debug)]
pub(crate) struct Backlog {
    heap: BinaryHeap<Aging>,
    limit: usize,
}

impl Backlog {
    /// An empty backlog keeping the `limit` oldest leads.
    pub(crate) fn new(limit: usize) -> Self {
        Self { heap: BinaryHeap::new(), limit }
    }

    /// Offer a lead; it is kept when among the oldest `limit`.
    pub(crate) fn offer(&mut self, lead: Aging) {
        if self.heap.len() < self.limit {
            self.heap.push(lead);
        } else if self.heap.peek().is_some_and(|newest| lead < *newest) {
            self.heap.pop();
            self.heap.push(lead);
        }
    }

    /// The kept leads, oldest first.
    pub(crate) fn into_sorted(self) -> Vec<Aging> {
        self.heap.into_sorted_vec()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    const H: i64 = 3600;

    fn pods() -> Vec<String> {
        vec!["east".into(), "west".into()]
    }

    #[test]
    fn windows_start_on_days_mondays_and_firsts() {
        // 2027-03-17 is a Wednesday; its week starts Monday 15 March.
        assert_eq!(Window::Week.start(date(2027, 3, 17)), date(2027, 3, 15));
        assert_eq!(Window::Week.start(date(2027, 3, 15)), date(2027, 3, 15));
        assert_eq!(Window::Week.start(date(2027, 3, 21)), date(2027, 3, 15)); // Sunday
        assert_eq!(Window::Month.start(date(2027, 3, 17)), date(2027, 3, 1));
        assert_eq!(Window::Day.start(date(2027, 3, 17)), date(2027, 3, 17));
        assert_eq!(Window::Month.end(date(2027, 2, 1)), date(2027, 3, 1));
        assert_eq!(Window::Week.end(date(2027, 3, 15)), date(2027, 3, 22));
    }

    #[test]
    fn two_breaches_in_48h_fire_once_per_pair() {
        // Breaches at 0h, 10h (pair → fires at 10h), 30h (alone: 10h was used), 100h, 120h
        // (20h apart → fires at 120h), 200h.
        let mut b = vec![(120 * H, 1), (0, 0), (10 * H, 1), (30 * H, 0), (100 * H, 0), (200 * H, 1)];
        let (ev, total) = rip_cord(&mut b, 2, 48 * H, &pods(), &["CRO".into()], 100);
        assert_eq!(total, 2);
        // With a limit of one, the first is listed and both are counted.
        assert_eq!(rip_cord(&mut b, 2, 48 * H, &pods(), &[], 1).0.len(), 1);
        assert_eq!(rip_cord(&mut b, 2, 48 * H, &pods(), &[], 1).1, 2);
        assert_eq!(ev.len(), 2);
        assert_eq!(ev[0].fired_at, "1970-01-01T10:00:00Z");
        assert_eq!(ev[0].first_breach_at, "1970-01-01T00:00:00Z");
        assert_eq!(ev[0].pods, vec!["east".to_owned(), "west".to_owned()]);
        assert_eq!(ev[1].fired_at, "1970-01-06T00:00:00Z"); // 120h = 5 days after 1 January
        assert_eq!(ev[1].first_breach_at, "1970-01-05T04:00:00Z"); // 100h = 4 days 4 hours
        assert_eq!(ev[1].notify, vec!["CRO".to_owned()]);
    }

    #[test]
    fn breaches_further_apart_than_the_window_never_fire() {
        // 49h apart each, window 48h: no two within it.
        let mut b: Vec<(i64, usize)> = (0..5).map(|i| (i * 49 * H, 0)).collect();
        assert!(rip_cord(&mut b, 2, 48 * H, &pods(), &[], 100).0.is_empty());
        // Exactly 48h apart is within the window.
        let mut b = vec![(0, 0), (48 * H, 0)];
        assert_eq!(rip_cord(&mut b, 2, 48 * H, &pods(), &[], 100).1, 1);
    }

    #[test]
    fn three_breaches_slide_the_window() {
        // Threshold 3 in 24h: 0h, 20h, 30h → 0h drops out at 30h (30h apart); 40h → 20h, 30h, 40h
        // fire at 40h. A threshold of 1 fires at every breach.
        let mut b = vec![(0, 0), (20 * H, 0), (30 * H, 0), (40 * H, 0)];
        let (ev, _) = rip_cord(&mut b, 3, 24 * H, &pods(), &[], 100);
        assert_eq!(ev.len(), 1);
        assert_eq!(ev[0].fired_at, "1970-01-02T16:00:00Z");
        assert_eq!(ev[0].first_breach_at, "1970-01-01T20:00:00Z");
        assert_eq!(rip_cord(&mut b, 1, 24 * H, &pods(), &[], 100).1, 4);
    }

    /// The rip-cord worked out the plain way, independently of `Scan`: sort every breach, and
    /// for each one look back over all breaches since the last event for those within the
    /// window.
    fn reference(breaches: &[(i64, usize)], threshold: usize, window: i64) -> Vec<(i64, i64, usize, Vec<usize>)> {
        let mut sorted = breaches.to_vec();
        sorted.sort_unstable();
        let mut out = Vec::new();
        let mut from = 0;
        for i in 0..sorted.len() {
            let at = sorted[i].0;
            let within: Vec<(i64, usize)> = sorted[from..=i].iter().copied().filter(|b| at - b.0 <= window).collect();
            if within.len() >= threshold {
                let mut pods: Vec<usize> = within.iter().map(|b| b.1).collect();
                pods.sort_unstable();
                pods.dedup();
                out.push((at, within[0].0, within.len(), pods));
                from = i + 1;
            }
        }
        out
    }

    fn events_of(ev: &[RipCordEvent], names: &[String]) -> Vec<(i64, i64, usize, Vec<usize>)> {
        let secs = |t: &str| t.parse::<Timestamp>().unwrap().as_second();
        ev.iter()
            .map(|e| {
                let pods = e.pods.iter().map(|p| names.iter().position(|n| n == p).unwrap()).collect();
                (secs(&e.fired_at), secs(&e.first_breach_at), e.breaches as usize, pods)
            })
            .collect()
    }

    #[test]
    fn the_stream_counts_as_the_plain_reference_on_out_of_order_deadlines() {
        let names = pods();
        // Hand-made: leads in creation order whose deadlines are not — a Friday-evening lead
        // due Monday 09:30 (east) breaches before the west leads due Friday night are pushed.
        // (created, deadline, pod): creation is in order, deadlines are not.
        let leads = [
            (0, 70 * H, 0),
            (H, 2 * H, 1),
            (2 * H, 3 * H, 1),
            (3 * H, 71 * H, 0),
            (4 * H, 5 * H, 1),
            (69 * H, 70 * H, 1),
            (70 * H, 72 * H, 0),
            (71 * H, 150 * H, 0),
        ];
        for threshold in 1..=4 {
            let mut stream = RipCordStream::new(threshold, 48 * H, 100);
            for &(created, due, pod) in &leads {
                stream.push(due, pod);
                stream.release_before(created);
            }
            assert!(!stream.late());
            let (ev, total) = stream.finish(&names, &[]);
            let b: Vec<(i64, usize)> = leads.iter().map(|&(_, d, p)| (d, p)).collect();
            let want = reference(&b, threshold as usize, 48 * H);
            assert_eq!(events_of(&ev, &names), want, "threshold {threshold}");
            assert_eq!(total, want.len());
            // And the in-memory `rip_cord` the second pass uses.
            let mut b = b;
            assert_eq!(rip_cord(&mut b, threshold, 48 * H, &names, &[], 100), (ev, total));
        }
    }

    #[test]
    fn random_streams_in_creation_order_match_the_reference_with_a_small_buffer() {
        let names = pods();
        let mut rng = fastrand::Rng::with_seed(11);
        for round in 0..200 {
            // Leads created in order, a few hours apart; deadlines 0–80 h after creation.
            let mut created = 0;
            let mut leads = Vec::new();
            for _ in 0..rng.usize(1..80) {
                created += rng.i64(0..6 * H);
                leads.push((created, created + rng.i64(0..80 * H), rng.usize(0..2)));
            }
            let threshold = rng.u32(1..5);
            let window = rng.i64(1..72) * H;
            let mut stream = RipCordStream::new(threshold, window, 100);
            for &(c, d, p) in &leads {
                stream.push(d, p);
                stream.release_before(c);
            }
            assert!(!stream.late());
            // Held at most the breaches not yet due at the latest creation.
            let (ev, total) = stream.finish(&names, &[]);
            let b: Vec<(i64, usize)> = leads.iter().map(|&(_, d, p)| (d, p)).collect();
            let want = reference(&b, threshold as usize, window);
            assert_eq!(events_of(&ev, &names), want, "round {round}");
            assert_eq!(total, want.len());
        }
    }

    #[test]
    fn a_breach_due_before_one_counted_is_late() {
        // The file went back in time beyond the mark: a breach due at 1h after 10h was counted.
        let mut stream = RipCordStream::new(2, 48 * H, 100);
        stream.push(10 * H, 0);
        stream.release_before(11 * H);
        stream.push(H, 1);
        assert!(stream.late());
        // Due at the same instant as the last counted, on a later pod, is not late.
        let mut stream = RipCordStream::new(2, 48 * H, 100);
        stream.push(10 * H, 0);
        stream.release_before(11 * H);
        stream.push(10 * H, 1);
        assert!(!stream.late());
    }

    #[test]
    fn backlog_keeps_the_oldest() {
        let mut b = Backlog::new(2);
        for (c, line) in [(30, 2), (10, 3), (20, 4), (5, 5)] {
            b.offer(Aging { created: c, line, pod: 0, owner: None, lead_id: None, waited_millis: 0 });
        }
        let kept: Vec<i64> = b.into_sorted().iter().map(|a| a.created).collect();
        assert_eq!(kept, vec![5, 10]);
    }
}
