//! What it takes for each pod to meet its SLA target, and the cause that binds when nothing
//! the pod controls does: a queue that grows without bound (head count, touch time), or leads
//! arriving while the pod is closed (closed hours, patience, the calendar clock).
//!
//! The SLA tables (`model::sla`) hold the queueing and simulation numbers; this module derives
//! from them and the pod's calendar the two figures advice needs that nothing else computes:
//! the head count at which the queue stops growing, and the highest attainment any head count
//! reaches when closed hours bind. The sentences are in `render::words::advice`.

use jiff::{SignedDuration, Timestamp};
use serde::Serialize;

use super::{PodSlaView, Risk, RiskKind};
use crate::calc::calendar::{BusinessCalendar, minutes};
use crate::calc::simulate::{Clock, SimConfig};
use crate::calc::sla::{keeps_up_productive, reps_for_productive};

/// The advice for one pod.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PodAdvice {
    /// Pod id.
    pub pod: String,
    /// What it takes.
    pub advice: Advice,
}

/// What it takes for a pod to meet its target.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Advice {
    /// Today's team meets the target.
    Keeps {
        /// Reps taking leads today.
        reps: u32,
        /// Fewer reps that would be enough, when there are.
        enough_reps: Option<u32>,
    },
    /// More reps reach the target; the queue keeps up today.
    MoreReps {
        /// Reps taking leads today.
        reps: u32,
        /// Head count reaching the target.
        required_reps: u32,
        /// The SLA today's team meets at the target, minutes on the SLA clock (none: no SLA).
        promisable_sla_minutes: Option<f64>,
        /// Open minutes of the pod's business day when the SLA runs on the business clock (the
        /// promise then reads in business days).
        business_day_minutes: Option<f64>,
    },
    /// More first-touch work arrives in open hours than the productive reps can do.
    Overloaded {
        /// Reps taking leads today.
        reps: u32,
        /// Their productive reps.
        productive_reps: u32,
        /// Offered work in open hours, erlangs (leads per minute × touch minutes).
        traffic_erlangs: f64,
        /// Leads per open hour.
        leads_per_open_hour: f64,
        /// Mean touch minutes.
        touch_minutes: f64,
        /// True when leads go cold (patience): the queue is bounded by the leads it loses; false
        /// when it grows without bound.
        goes_cold: bool,
        /// Fewest productive reps doing the work (more than the traffic).
        keeps_up_productive_reps: u32,
        /// Head count giving them under the pod's shrinkage.
        keeps_up_reps: u32,
        /// Head count reaching the target, when any does.
        required_reps: Option<u32>,
        /// Why no head count reaches the target, when none does.
        closed: Option<ClosedHours>,
    },
    /// No head count reaches the target: leads arriving while the pod is closed miss it.
    ClosedHours(ClosedHours),
}

/// Leads arriving while a pod is closed, as a bound on what any head count reaches.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClosedHours {
    /// Highest share touched within the SLA with a rep free for every lead at every opening.
    pub ceiling: f64,
    /// The target.
    pub target: f64,
    /// Today's attainment, for how far more reps go toward the ceiling.
    pub attainment: f64,
    /// Share of leads arriving while the pod is closed.
    pub after_hours_share: f64,
    /// Mean patience, as written (`4h`), when leads go cold.
    pub patience: Option<String>,
    /// True on the calendar clock: the SLA runs through closed hours.
    pub calendar_clock: bool,
    /// The SLA as written (`2h`).
    pub sla: String,
}

/// The advice for every pod the SLA tables evaluated, in their order.
pub(super) fn advice(checked: &crate::checked::Brief, sla: &[PodSlaView]) -> Vec<PodAdvice> {
    let brief = checked.raw();
    let clock = checked.clock();
    sla.iter()
        .filter_map(|view| {
            let (index, raw) = brief.capacity.pods.iter().enumerate().find(|(_, p)| p.id == view.pod)?;
            let own = checked.pods().get(index)?;
            let patience = own.patience().map(|p| p.calendar_minutes());
            let closed = || {
                let ceiling = attainment_ceiling(
                    own.calendar(),
                    own.start(),
                    view.after_hours_share,
                    (clock == Clock::Calendar).then_some(view.sla_minutes),
                    patience,
                );
                ClosedHours {
                    ceiling,
                    target: view.target,
                    attainment: view.attainment,
                    after_hours_share: view.after_hours_share,
                    patience: raw.patience.clone(),
                    calendar_clock: clock == Clock::Calendar,
                    sla: brief.response_sla.clone(),
                }
            };
            let advice = if view.meets_target {
                Advice::Keeps { reps: view.reps, enough_reps: view.required_reps.filter(|&n| n < view.reps) }
            } else if !view.queue.stable {
                let keeps_up = keeps_up_productive(view.queue.traffic_erlangs);
                Advice::Overloaded {
                    reps: view.reps,
                    productive_reps: view.queue.productive_reps,
                    traffic_erlangs: view.queue.traffic_erlangs,
                    leads_per_open_hour: view.arrivals_per_open_hour,
                    touch_minutes: own.touch_minutes(),
                    goes_cold: patience.is_some(),
                    keeps_up_productive_reps: keeps_up,
                    keeps_up_reps: reps_for_productive(keeps_up, own.shrinkage().get()),
                    required_reps: view.required_reps,
                    closed: view.required_reps.is_none().then(closed),
                }
            } else if let Some(required_reps) = view.required_reps {
                Advice::MoreReps {
                    reps: view.reps,
                    required_reps,
                    promisable_sla_minutes: view.promisable_sla_minutes,
                    business_day_minutes: (clock == Clock::Business).then(|| own.calendar().open_minutes_per_day()),
                }
            } else {
                Advice::ClosedHours(closed())
            };
            Some(PodAdvice { pod: view.pod.clone(), advice })
        })
        .collect()
}

/// The highest share of leads any head count touches within the SLA, over the weeks the
/// simulation measures (after its warm-up, from `start`).
///
/// With a rep free for every lead, a lead arriving while the pod is open is touched at once,
/// and one arriving while it is closed is touched at the next opening, after a real wait `w`.
/// It misses when it went cold first, with probability `1 − e^(−w/p)` for mean patience `p`
/// (patience is exponential, as the simulation draws it), or, on the calendar clock, when `w`
/// exceeds the SLA `s`. Closed-hours leads arrive at a constant rate over closed time (as
/// the SLA model spreads `after_hours_share`), so the missed share of them is the integral of
/// the miss probability over closed time divided by its length, and the ceiling is
/// `1 − after_hours_share × that`.
pub(crate) fn attainment_ceiling(
    calendar: &BusinessCalendar,
    start: Timestamp,
    after_hours_share: f64,
    calendar_sla_minutes: Option<f64>,
    patience_minutes: Option<f64>,
) -> f64 {
    let config = SimConfig::default();
    let week = |n: u32| start.checked_add(SignedDuration::from_hours(i64::from(n) * 7 * 24)).unwrap_or(start);
    let (from, to) = (week(config.warmup_weeks), week(config.warmup_weeks + config.weeks));
    // ∫₀ʷ miss(x) dx, the missed arrival time of a closed stretch whose waits run from 0 to w.
    let missed_up_to = |w: f64| -> f64 {
        let cold = |w: f64| patience_minutes.map_or(0.0, |p| w - p * (1.0 - (-w / p).exp()));
        match calendar_sla_minutes {
            Some(s) if w > s => cold(s) + (w - s),
            _ => cold(w),
        }
    };
    let (mut closed, mut missed) = (0.0, 0.0);
    let mut stretch = |begin: Timestamp, end: Timestamp| {
        if end <= begin {
            return;
        }
        // Arrivals in [begin, end) all wait for the opening at or after `end`.
        let opening = calendar.next_open(end);
        let (longest, shortest) = (minutes(begin, opening), minutes(end, opening));
        closed += minutes(begin, end);
        missed += missed_up_to(longest) - missed_up_to(shortest);
    };
    let mut at = from;
    for (open, close) in calendar.open_intervals(from, to) {
        stretch(at, open);
        at = close;
    }
    stretch(at, to);
    if closed > 0.0 { 1.0 - after_hours_share * missed / closed } else { 1.0 }
}

/// The attainment risk of a pod no head count rescues, with the bound closed hours put on it.
pub(super) fn refine_risks(risks: &mut [Risk], advice: &[PodAdvice]) {
    for risk in risks.iter_mut() {
        if let RiskKind::AttainmentUnderTarget { pod, attainment, target, sla, required_reps: None } = &risk.kind {
            let closed = advice.iter().find(|a| &a.pod == pod).and_then(|a| match &a.advice {
                Advice::ClosedHours(c) => Some(c),
                Advice::Overloaded { closed, .. } => closed.as_ref(),
                _ => None,
            });
            if let Some(c) = closed.filter(|c| c.ceiling < c.target) {
                risk.kind = RiskKind::AttainmentCapped {
                    pod: pod.clone(),
                    attainment: *attainment,
                    target: *target,
                    sla: sla.clone(),
                    closed: c.clone(),
                };
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::{Weekday, date, time};

    fn weekdays() -> Vec<Weekday> {
        use Weekday::*;
        vec![Monday, Tuesday, Wednesday, Thursday, Friday]
    }

    /// Monday 2027-03-01 00:00 UTC, the start of the smb-activation example's simulation.
    fn monday() -> Timestamp {
        "2027-03-01T00:00:00Z".parse().unwrap()
    }

    #[test]
    fn ceiling_of_patience_through_nights_and_weekends_is_worked_out_by_hand() {
        // Open 07:00–19:00 on weekdays, 30% of leads after hours, mean patience 60 minutes
        // (the smb-activation example's activation-na pod). A week closes four 12-hour nights
        // and one 60-hour weekend: 108 closed hours. A stretch of length L loses, per unit of
        // time, 1 − (p/L)(1 − e^(−L/p)) of its leads: 0.916667 for the nights (L = 720),
        // 0.983333 for the weekend (L = 3600). Weighted: (4·720·0.916667 + 3600·0.983333)/6480
        // = 6180/6480 = 0.953704 of after-hours leads go cold, so at most 1 − 0.3·0.953704 =
        // 0.713889 are touched in time — the simulation's 71.3% ± 0.2% at 9 reps.
        let cal = BusinessCalendar::new("UTC", &weekdays(), time(7, 0, 0, 0), time(19, 0, 0, 0), []).unwrap();
        let ceiling = attainment_ceiling(&cal, monday(), 0.3, None, Some(60.0));
        assert!((ceiling - 0.713_889).abs() < 1e-5, "{ceiling}");
        // Without patience a business-clock lead waits for the opening without breaching.
        assert_eq!(attainment_ceiling(&cal, monday(), 0.3, None, None), 1.0);
    }

    #[test]
    fn ceiling_on_the_calendar_clock_counts_closed_waits_beyond_the_sla() {
        // Open 09:00–17:00 on weekdays, 1 day (1440 min) calendar SLA, no patience: a night is
        // 16 h (960 min, all within the SLA), the weekend 64 h (3840 min, the last 1440 of it
        // within). Missed: 3840 − 1440 = 2400 of 4·960 + 3840 = 7680 closed minutes, 31.25%;
        // with 20% after hours the ceiling is 1 − 0.2·0.3125 = 0.9375.
        let cal = BusinessCalendar::new("UTC", &weekdays(), time(9, 0, 0, 0), time(17, 0, 0, 0), []).unwrap();
        let ceiling = attainment_ceiling(&cal, monday(), 0.2, Some(1440.0), None);
        assert!((ceiling - 0.9375).abs() < 1e-9, "{ceiling}");
    }

    #[test]
    fn a_holiday_lengthens_the_closed_stretch_it_falls_in() {
        // As the first test, with Friday 2027-03-12 (in the measured weeks) a holiday: that week
        // loses a 12 h night and a 60 h weekend for one 84 h stretch (5040 min), losing
        // 1 − 60/5040 of it. Closed minutes over the 4 weeks: 4·6480 + 720 (the lost open day);
        // missed: 4·6180 − (720·0.916667 + 3600·0.983333) + 5040·(1 − 60/5040).
        let cal = BusinessCalendar::new("UTC", &weekdays(), time(7, 0, 0, 0), time(19, 0, 0, 0), [date(2027, 3, 12)])
            .unwrap();
        let closed = 4.0 * 6480.0 + 720.0;
        let missed = 4.0 * 6180.0 - (720.0 * (1.0 - 60.0 / 720.0) + 3600.0 * (1.0 - 60.0 / 3600.0)) + (5040.0 - 60.0);
        let want = 1.0 - 0.3 * missed / closed;
        let ceiling = attainment_ceiling(&cal, monday(), 0.3, None, Some(60.0));
        assert!((ceiling - want).abs() < 1e-5, "{ceiling} vs {want}");
    }

    #[test]
    fn the_queue_keeps_up_with_the_first_whole_rep_above_its_traffic() {
        assert_eq!(keeps_up_productive(10.0), 11);
        assert_eq!(keeps_up_productive(4.5), 5);
        assert_eq!(keeps_up_productive(0.0), 1);
    }
}
