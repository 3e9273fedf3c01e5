//! The simulation's steady state (issue 18): a pod near capacity is warmed up until its queue
//! has settled, its occupancy counts every lead it must work, and a queue that cannot settle
//! is said to, not given a precise-looking attainment.
//!
//! Reference: `scripts/steady_state_reference.py`, an independent simulation written from
//! scratch in Python (zoneinfo calendar, `random.Random`, `heapq`; no code shared with the
//! Rust), of two pods of `briefs/enterprise-pipeline.yaml` on the brief's calendar
//! (America/New_York, weekdays 08:30–17:30, the 2027 holidays), 15% of leads after hours, SLA
//! 2 h on the business clock. Attainment: 400 replications, each started empty 104 weeks
//! before the design's measured weeks (8 February to 8 March 2027) and measuring the leads
//! arriving in them. Occupancy: the share of the reps' open time spent on touches, 8 runs of 260
//! weeks after a 40-week warm-up. It printed (seeds fixed, so it prints the same every run):
//!
//! ```text
//! named-ae: window attainment 0.1543 se 0.0094 (400 replications, 104-week warm-up);
//!   long-run attainment 0.2282 se 0.0089; occupancy 0.9723 se 0.0012 (8 runs of 260 weeks);
//!   work offered / open capacity 0.9722
//! east-sdr: window attainment 0.7381 se 0.0013 (400 replications, 104-week warm-up);
//!   long-run attainment 0.7441 se 0.0006; occupancy 0.6876 se 0.0014 (8 runs of 260 weeks);
//!   work offered / open capacity 0.9100
//! ```

#![allow(clippy::unwrap_used)] // tests: a panic is a failure with its message

mod common;
use common::model_of;

use handoff::calc::calendar::BusinessCalendar;
use handoff::calc::duration::Duration;
use handoff::calc::simulate::{PodModel, SimConfig, simulate};
use handoff::calc::sla::{Basis, Clock, PodSlaInput, Risk, pod_sla};
use handoff::model::{Model, PodSlaView, RiskKind};
use jiff::civil::{Weekday, date, time};

fn pod<'a>(m: &'a Model, id: &str) -> &'a PodSlaView {
    m.sla.iter().find(|p| p.pod == id).unwrap()
}

/// Agreement of a Rust estimate (mean ± 95% half-width over 30 replications, Student t with 29
/// degrees of freedom: 2.045) with a reference mean and its standard error: within 1.96
/// combined standard errors.
fn tolerance(half_width: f64, reference_se: f64) -> f64 {
    1.96 * ((half_width / 2.045).powi(2) + reference_se.powi(2)).sqrt()
}

#[test]
fn named_ae_near_capacity_agrees_with_the_independent_steady_state() {
    let m = model_of("briefs/enterprise-pipeline.yaml");
    let p = pod(&m, "named-ae");
    assert!((p.leads_per_week - 210.0).abs() < 1e-9 && p.queue.productive_reps == 2);
    // ρ = 210·25 / (2·2700) = 0.9722 with every lead counted: relaxation time
    // 1/(0.08·(1 − √ρ)²) = 23.7 weeks, so the warm-up is ⌈2τ⌉ = 48 weeks (not 1).
    assert_eq!(p.warmup_weeks, 48);
    assert!(p.settled);
    // Attainment: the reference's 0.1543 (se 0.0094). One warm-up week gave 29.9% (the design
    // before this change), 0.145 away, outside the tolerance; 48 weeks agree.
    let tol = tolerance(p.simulated_attainment_ci, 0.0094);
    assert!(tol < 0.08, "{tol}");
    assert!(
        (p.simulated_attainment - 0.1543).abs() <= tol,
        "{} ± {}",
        p.simulated_attainment,
        p.simulated_attainment_ci
    );
    assert!((0.299_f64 - 0.1543).abs() > tol);
    assert_eq!(p.attainment, p.simulated_attainment);
    // Occupancy: the reps are busy 0.9723 (se 0.0012) of their open time in the reference; the
    // design says 97.2% (work offered over open capacity), not the 82.6% the open-hours arrivals
    // alone make.
    let occ = p.queue.occupancy.unwrap();
    assert!((occ - 210.0 * 25.0 / 5400.0).abs() < 1e-12, "{occ}");
    assert!((occ - 0.9723).abs() <= 3.0 * 0.0012, "{occ}");
    // And the ceiling is crossed: 97% > 85%.
    assert!(m.risks.iter().any(|r| matches!(&r.kind,
        RiskKind::OccupancyAboveMax { pod, occupancy, .. } if pod == "named-ae" && (occupancy - occ).abs() < 1e-12)));
    assert!(!m.risks.iter().any(|r| matches!(r.kind, RiskKind::QueueNotSettled { .. })));
}

#[test]
fn east_sdr_settles_within_a_week_and_agrees_too() {
    // The control: one productive rep, 4 h patience. Leads going cold bound the queue (its
    // relaxation time is at most the 240-minute patience), so one warm-up week is enough.
    let m = model_of("briefs/enterprise-pipeline.yaml");
    let p = pod(&m, "east-sdr");
    assert!((p.leads_per_week - 136.5).abs() < 1e-9);
    assert_eq!((p.queue.productive_reps, p.warmup_weeks, p.settled), (1, 1, true));
    let tol = tolerance(p.simulated_attainment_ci, 0.0013);
    assert!(
        (p.simulated_attainment - 0.7381).abs() <= tol,
        "{} ± {}",
        p.simulated_attainment,
        p.simulated_attainment_ci
    );
    // Occupancy counts every lead it works: 136.5 leads of 18 minutes, less the share that goes
    // cold, over 2700 open minutes. The reference's reps are busy 0.6876 (se 0.0014) of their
    // open time over five holiday-free years; the design's cold share comes from its four
    // measured weeks (with a holiday), so allow its interval too (0.91 × its half-width).
    let occ = p.queue.occupancy.unwrap();
    let by_hand = 136.5 * 18.0 * (1.0 - p.simulated_cold_share) / 2700.0;
    assert!((occ - by_hand).abs() < 1e-12, "{occ} vs {by_hand}");
    // The cold share's interval is not in the view; the attainment's stands in for it, since
    // nearly every miss here is a lead gone cold (73.7% touched in time, 25.4% cold).
    let cold_hw = p.simulated_attainment_ci;
    assert!((occ - 0.6876).abs() <= 3.0 * 0.0014 + 0.91 * cold_hw, "{occ}");
}

const WEEKDAYS: [Weekday; 5] =
    [Weekday::Monday, Weekday::Tuesday, Weekday::Wednesday, Weekday::Thursday, Weekday::Friday];

/// A two-rep pod on the enterprise calendar with 15% of leads after hours and 25-minute
/// touches: capacity 2·2700/25 = 216 leads a week.
fn near_capacity(leads_per_week: f64) -> PodSlaInput {
    let calendar = BusinessCalendar::new(
        "America/New_York",
        &WEEKDAYS,
        time(8, 30, 0, 0),
        time(17, 30, 0, 0),
        [date(2027, 2, 15)],
    )
    .unwrap();
    let start = calendar.time_zone().to_timestamp(date(2027, 2, 1).at(0, 0, 0, 0)).unwrap();
    PodSlaInput {
        leads_per_week,
        touch_minutes: 25.0,
        reps: 2,
        shrinkage: 0.0,
        sla: Duration::parse("2h").unwrap(),
        clock: Clock::Business,
        calendar,
        patience: None,
        target: 0.9,
        max_occupancy: 0.85,
        after_hours_share: Some(0.15),
        start,
        simulation: SimConfig { seed: 0x5eed, warmup_weeks: 1, weeks: 4, replications: 30, threads: 0 },
        simulation_budget: 400_000.0,
    }
}

#[test]
fn a_queue_at_99_percent_does_not_settle_within_a_year_and_says_so() {
    // ρ = 213.84·25/5400 = 0.99: τ = 1/(0.08·(1 − √0.99)²)/2700 = 184 weeks; 2τ is beyond the
    // 52-week cap.
    let r = pod_sla(&near_capacity(213.84)).unwrap();
    assert_eq!(r.basis, Basis::Simulation);
    assert!(r.queue.stable);
    assert!((r.queue.occupancy.unwrap() - 0.99).abs() < 1e-12);
    assert_eq!(r.warmup.weeks, 52);
    assert!(!r.warmup.settled && (r.warmup.relaxation_weeks - 184.2).abs() < 0.5, "{:?}", r.warmup);
    assert!(r.risks.iter().any(|k| matches!(k, Risk::NotSettled { warmup_weeks: 52, .. })), "{:?}", r.risks);
    // 30 replications of 52 + 4 weeks of 213.84 leads draw 359,251, within the 400,000 budget,
    // so all 30 run: about 30 × 4 × 213.84 = 25,661 measured leads (the holiday moves a few to
    // the closed rate).
    assert!(r.simulated.leads > 24_000 && r.simulated.leads < 26_500, "{}", r.simulated.leads);
}

#[test]
fn over_capacity_with_every_lead_counted_is_not_settled_though_open_hours_look_stable() {
    // 222 leads a week: the open-hours arrivals alone are 0.87 of the reps (Erlang C calls it
    // stable), but with the after-hours leads the work is 222·25/5400 = 1.028 of capacity, so
    // the queue grows for ever: no relaxation time at all.
    let r = pod_sla(&near_capacity(222.0)).unwrap();
    assert!(r.queue.stable);
    assert!((r.queue.occupancy.unwrap() - 222.0 * 25.0 / 5400.0).abs() < 1e-12);
    // No warm-up would settle it, so none is spent beyond the usual week.
    assert!(r.warmup.relaxation_weeks.is_infinite() && !r.warmup.settled && r.warmup.weeks == 1);
    assert!(r.risks.iter().any(|k| matches!(k, Risk::NotSettled { .. })));
    // Not settled means still moving: with the same seeds and the same measured weeks, the
    // backlog at opening after a year's warm-up is far above that after a quarter's (the
    // excess 0.028 × 216 = 6 leads a week piles up: about 230 more over the 39 weeks).
    let cal = near_capacity(222.0).calendar;
    let open = cal.open_minutes_in_week();
    let at = |warmup: u32| {
        let start = near_capacity(0.0).start - jiff::SignedDuration::from_hours(i64::from(warmup - 1) * 168);
        let model = PodModel {
            calendar: &cal,
            start,
            open_rate_per_minute: 222.0 * 0.85 / open,
            closed_rate_per_minute: 222.0 * 0.15 / (10_080.0 - open),
            touch_minutes: 25.0,
            reps: 2,
            patience_minutes: None,
            sla_minutes: 120.0,
            clock: Clock::Business,
            promise_share: 0.9,
        };
        simulate(&model, &SimConfig { seed: 3, warmup_weeks: warmup, weeks: 4, replications: 20, threads: 0 }).unwrap()
    };
    let (quarter, year) = (at(13), at(52));
    let (b13, b52) = (quarter.backlog_at_opening.unwrap(), year.backlog_at_opening.unwrap());
    assert!(b52.mean - b13.mean > 150.0 && b13.mean + b13.half_width < b52.mean - b52.half_width, "{b13:?} vs {b52:?}");
    assert!(year.attainment.mean < quarter.attainment.mean, "{:?} vs {:?}", year.attainment, quarter.attainment);
    // And the model says so in words and in the view.
    let text = handoff::render::words::risk_message(&RiskKind::QueueNotSettled {
        pod: "p".into(),
        occupancy: r.queue.occupancy,
        warmup_weeks: 1,
        relaxation_weeks: None,
    });
    assert_eq!(
        text,
        "Pod p's queue does not settle at this load (102.8% occupied, every lead counted): more work arrives in a week than its reps can do in open hours, so the simulated attainment is what its first weeks show, and it falls the longer the pod runs."
    );
}

#[test]
fn a_pod_the_budget_cannot_warm_up_is_not_settled_and_stays_within_the_budget() {
    // 20,300 leads a week on 190 reps (capacity 190·2700/25 = 20,520): ρ = 0.98928,
    // τ = 1/(20520·(1 − √ρ)²) = 1.687 weeks, so 2τ asks for 4 warm-up weeks. 400,000 leads
    // afford no more than the one the pod already has: 4 replications of 1 + 3 weeks
    // (4 × 4 × 20,300 = 324,800; 4 measured weeks would be 406,000). So: one warm-up week,
    // not settled.
    let input = PodSlaInput { reps: 190, ..near_capacity(20_300.0) };
    let r = pod_sla(&input).unwrap();
    assert!((r.warmup.relaxation_weeks - 1.687).abs() < 0.001, "{:?}", r.warmup);
    assert_eq!((r.warmup.weeks, r.warmup.settled), (1, false));
    assert!(r.risks.iter().any(|k| matches!(k, Risk::NotSettled { warmup_weeks: 1, .. })), "{:?}", r.risks);
    // Measured: 4 replications × 3 weeks × 20,300 = 243,600, a few fewer for the holiday.
    // The holiday's 540 minutes at the closed rate cost 540 × (6.39 − 0.41) ≈ 3,230 leads a
    // replication: about 230,700.
    assert!(r.simulated.leads > 228_000 && r.simulated.leads < 234_000, "{}", r.simulated.leads);
}

#[test]
fn pods_that_settle_within_a_week_keep_their_one_week_warm_up() {
    // Every pod of the example briefs but named-ae settles within a week (so their figures are
    // unchanged by this change).
    for brief in ["briefs/enterprise-pipeline.yaml", "briefs/smb-activation.yaml", "briefs/partner-referrals.yaml"] {
        let m = model_of(brief);
        for p in &m.sla {
            let expected = if p.pod == "named-ae" { 48 } else { 1 };
            assert_eq!((p.pod.as_str(), p.warmup_weeks, p.settled), (p.pod.as_str(), expected, true), "{brief}");
        }
    }
}
