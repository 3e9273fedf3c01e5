//! Time in the monitor's report: the attainment series per window, the rip-cord over the breach
//! instants, and the aging backlog (the oldest leads still untouched past the SLA).
//!
//! Windows are periods of the brief's zone: days (`24h`), weeks from Monday (`7d`) or calendar
//! months (`30d`), keyed by the local date a lead was created on. The rip-cord is the brief's
//! `escalation.rip_cord`: when `breaches` SLA breaches fall within `window` (wall time), it
//! fires at the breach that completes the count, notifying `notify`; the count then starts
//! again from the next breach, so one run of breaches pulls it once per `breaches` breaches.

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
    let threshold = usize::try_from(threshold.max(1)).unwrap_or(usize::MAX);
    let text = |s: i64| Timestamp::from_second(s).map(|t| t.to_string()).unwrap_or_default();
    let mut held: VecDeque<(i64, usize)> = VecDeque::new();
    let mut events = Vec::new();
    let mut total = 0;
    for &(at, pod) in breaches.iter() {
        held.push_back((at, pod));
        while held.front().is_some_and(|&(first, _)| at - first > window_seconds) {
            held.pop_front();
        }
        if held.len() >= threshold && events.len() >= limit {
            total += 1;
            held.clear();
        } else if held.len() >= threshold {
            total += 1;
            let mut seen: Vec<usize> = held.iter().map(|&(_, p)| p).collect();
            seen.sort_unstable();
            seen.dedup();
            events.push(RipCordEvent {
                fired_at: text(at),
                first_breach_at: text(held.front().map_or(at, |&(t, _)| t)),
                breaches: u32::try_from(held.len()).unwrap_or(u32::MAX),
                pods: seen.into_iter().filter_map(|p| pods.get(p).cloned()).collect(),
                notify: notify.to_vec(),
            });
            held.clear();
        }
    }
    (events, total)
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
