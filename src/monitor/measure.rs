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

/// Exact values kept before a [`Quantiles`] switches to a histogram (8 bytes each).
pub const EXACT_VALUES: usize = 4_096;

/// Nearest-rank quantiles of minutes: exact while few, then an HDR histogram of seconds (three
/// significant digits), so memory stays bounded whatever the file's size.
#[derive(Debug, Clone, Default)]
pub(crate) struct Quantiles {
    exact: Vec<f64>,
    histogram: Option<hdrhistogram::Histogram<u64>>,
}

impl Quantiles {
    /// Record a value in minutes.
    pub(crate) fn record(&mut self, minutes: f64) {
        if self.histogram.is_none() && self.exact.len() < EXACT_VALUES {
            self.exact.push(minutes);
            return;
        }
        if self.histogram.is_none() {
            // 1 second to about 30 years, 3 significant digits: cannot fail with these bounds.
            let Ok(h) = hdrhistogram::Histogram::<u64>::new_with_bounds(1, 1_000_000_000, 3) else { return };
            let mut h = h;
            for v in std::mem::take(&mut self.exact) {
                h.saturating_record(seconds(v));
            }
            self.histogram = Some(h);
        }
        if let Some(h) = self.histogram.as_mut() {
            h.saturating_record(seconds(minutes));
        }
    }

    /// The smallest recorded value with at least share `q` of the values at or below it, in
    /// minutes (`None` when nothing was recorded).
    pub(crate) fn quantile(&self, q: f64) -> Option<f64> {
        if let Some(h) = &self.histogram {
            // Seconds below 2^53 are exact in f64.
            #[allow(clippy::cast_precision_loss)]
            return (!h.is_empty()).then(|| h.value_at_quantile(q) as f64 / 60.0);
        }
        if self.exact.is_empty() {
            return None;
        }
        let mut v = self.exact.clone();
        v.sort_by(f64::total_cmp);
        // Nearest rank: ceil(q·n), at least 1.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss, clippy::cast_precision_loss)]
        let rank = ((q * v.len() as f64).ceil() as usize).clamp(1, v.len());
        Some(v[rank - 1])
    }
}

#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
fn seconds(minutes: f64) -> u64 {
    (minutes * 60.0).round().max(1.0) as u64
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

    /// Add one measured lead.
    pub(crate) fn add(&mut self, m: &Measured, accepted: bool, converted: bool) {
        self.leads += 1;
        self.accepted += u64::from(accepted);
        self.converted += u64::from(converted);
        match m.outcome {
            Outcome::Touched { minutes, within } => {
                self.touched += 1;
                self.within_sla += u64::from(within);
                self.times.record(minutes);
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

/// Measure one lead created at `created` (seconds), first touched at `touch`, as of `now`.
pub(crate) fn measure(
    calendar: &BusinessCalendar,
    clock: Clock,
    sla_minutes: f64,
    created: i64,
    touch: Option<i64>,
    now: Timestamp,
) -> Measured {
    let at = |s: i64| Timestamp::from_second(s).unwrap_or(Timestamp::MIN);
    let from = at(created);
    let deadline = deadline(calendar, clock, from, sla_minutes).as_second();
    match touch {
        Some(t) => {
            let minutes = elapsed(calendar, clock, from, at(t));
            Measured { outcome: Outcome::Touched { minutes, within: minutes <= sla_minutes }, deadline, waited: 0.0 }
        }
        None => {
            let waited = elapsed(calendar, clock, from, now);
            let outcome = if waited > sla_minutes { Outcome::Late } else { Outcome::Pending };
            Measured { outcome, deadline, waited }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_quantiles_are_nearest_rank() {
        let mut q = Quantiles::default();
        for v in [5.0, 1.0, 4.0, 2.0, 3.0, 10.0, 6.0, 8.0, 7.0, 9.0] {
            q.record(v);
        }
        // Ten values: p50 is the 5th smallest, p90 the 9th.
        assert_eq!(q.quantile(0.5), Some(5.0));
        assert_eq!(q.quantile(0.9), Some(9.0));
        assert_eq!(Quantiles::default().quantile(0.5), None);
    }

    #[test]
    fn many_values_switch_to_the_histogram_within_its_precision() {
        let mut q = Quantiles::default();
        // 1..=10_000 minutes: p50 = 5000, p90 = 9000 (nearest rank), within 0.1%.
        for v in 1..=10_000 {
            q.record(f64::from(v));
        }
        let p50 = q.quantile(0.5).unwrap();
        let p90 = q.quantile(0.9).unwrap();
        assert!((p50 - 5000.0).abs() / 5000.0 < 1e-3, "{p50}");
        assert!((p90 - 9000.0).abs() / 9000.0 < 1e-3, "{p90}");
    }
}
