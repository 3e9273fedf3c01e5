//! How long a pod must be simulated before it is measured: the warm-up that lets its queue
//! settle from the empty start, and whether it can settle at all within the longest warm-up and
//! the simulation budget.
//!
//! A queue started empty forgets its start at the rate of its relaxation time τ: the distance
//! to the steady state falls like `e^(−t/τ)`. Measuring after `2τ` leaves about e⁻² ≈ 14% of
//! the start's bias in the slowest mode and far less in the mean (which, from empty, reaches
//! its steady level after about 0.2τ in heavy traffic). Near capacity τ is long: at 97% busy a
//! two-rep pod needs months, not the week a settled pod needs.
//!
//! - Without patience, the pod in business time (reps work only while open, and after-hours
//!   leads are worked at the next opening, so every lead of the week counts) is an M/M/c queue
//!   at load ρ = λ·work/c. Its relaxation time is taken as that of one server of rate cμ, the
//!   M/M/1 relaxation time `τ = 1/(cμ(1 − √ρ)²)` (P. M. Morse, "Stochastic properties of
//!   waiting lines", Operations Research 3 (1955), 255–261); pooling the c reps into one is
//!   the heavy-traffic limit (Halfin & Whitt 1981), where the warm-up matters. At ρ ≥ 1 it is
//!   infinite: the queue grows without bound.
//! - With patience θ = 1/mean patience, every state's total departure rate grows by at least
//!   `min(μ, θ)` per extra lead (a rep's μ below c leads, a waiting lead's θ above), so two
//!   copies of the queue driven by the same arrivals meet at that rate: τ ≤ 1/min(μ, θ) (the
//!   Wasserstein contraction of birth–death chains, A. Joulin, "Poisson-type deviation
//!   inequalities for curved continuous-time Markov chains", Bernoulli 13 (2007), 782–798).
//!   Leads going cold bound the queue, whatever the load.
//!
//! τ is in business minutes; a week holds the calendar's open minutes of a week of them.

use jiff::{SignedDuration, Timestamp};

use super::config::SimConfig;
use super::pod::PodModel;

/// Longest warm-up simulated (a year): beyond it the design says the queue does not settle.
pub const MAX_WARMUP_WEEKS: u32 = 52;

/// How long to simulate a pod, and whether that lets it settle.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Warmup {
    /// Weeks to simulate before measuring.
    pub weeks: u32,
    /// Relaxation time of the pod's queue in weeks (infinite when it grows without bound).
    pub relaxation_weeks: f64,
    /// True when `weeks` covers twice the relaxation time.
    pub settled: bool,
}

/// Relaxation time of `model`'s queue in weeks of its calendar (see the module notes).
#[must_use]
pub fn relaxation_weeks(model: &PodModel<'_>) -> f64 {
    let open_week = model.calendar.open_minutes_in_week();
    let week = 7.0 * 24.0 * 60.0;
    // Every lead of the week, open or closed, is worked in open minutes.
    let per_week = model.open_rate_per_minute * open_week + model.closed_rate_per_minute * (week - open_week);
    if model.reps == 0 || per_week <= 0.0 || open_week <= 0.0 {
        // Nothing to settle: no rep ever touches a lead, or none arrives.
        return 0.0;
    }
    let mu = 1.0 / model.touch_minutes;
    let c = f64::from(model.reps);
    let rho = per_week / open_week * model.touch_minutes / c;
    let morse = if rho < 1.0 { 1.0 / (c * mu * (1.0 - rho.sqrt()).powi(2)) } else { f64::INFINITY };
    let contraction = model.patience_minutes.map_or(f64::INFINITY, |p| 1.0 / mu.min(1.0 / p));
    morse.min(contraction) / open_week
}

/// The warm-up for `model`: at least `min_weeks`, else `2τ` rounded up, at most
/// [`MAX_WARMUP_WEEKS`] and at most `affordable_weeks` (what the simulation budget allows). A
/// queue that grows without bound (infinite τ) keeps `min_weeks`: no warm-up would settle it.
#[must_use]
pub fn warmup(model: &PodModel<'_>, min_weeks: u32, affordable_weeks: u32) -> Warmup {
    let tau = relaxation_weeks(model);
    let needed = 2.0 * tau;
    let cap = MAX_WARMUP_WEEKS.min(affordable_weeks).max(min_weeks);
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let weeks = if needed <= f64::from(min_weeks) || needed.is_infinite() {
        min_weeks
    } else if needed < f64::from(cap) {
        // Below the cap, so the cast is exact.
        needed.ceil() as u32
    } else {
        cap
    };
    Warmup { weeks, relaxation_weeks: tau, settled: needed <= f64::from(weeks) }
}

/// `config` shrunk to draw at most `budget` leads at `leads_per_week`: replications first (down
/// to 4, or fewer when there were fewer), then measured weeks (down to 1); the warm-up is kept.
#[must_use]
pub fn fit_budget(config: SimConfig, leads_per_week: f64, budget: f64) -> SimConfig {
    let per_replication = |c: &SimConfig| leads_per_week * f64::from(c.warmup_weeks + c.weeks);
    let mut c = config;
    if per_replication(&c) * f64::from(c.replications) <= budget {
        return c;
    }
    // Bounded by the division and the clamp, so the cast is exact.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let affordable = (budget / per_replication(&c)).floor().min(f64::from(u32::MAX)) as u32;
    c.replications = affordable.clamp(4.min(c.replications), c.replications);
    while c.weeks > 1 && per_replication(&c) * f64::from(c.replications) > budget {
        c.weeks -= 1;
    }
    c
}

/// `model` and `config` set up to measure the same weeks as `config` does (its first
/// `warmup_weeks` after `model.start` are still the warm-up), but from a start far enough back
/// for the queue to settle: the warm-up of [`warmup`], within the longest the budget allows
/// (4 replications at least).
#[must_use]
pub fn settle<'a>(model: PodModel<'a>, config: &SimConfig, budget: f64) -> (PodModel<'a>, SimConfig, Warmup) {
    let week = 7.0 * 24.0 * 60.0;
    let open_week = model.calendar.open_minutes_in_week();
    let per_week = model.open_rate_per_minute * open_week + model.closed_rate_per_minute * (week - open_week);
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let affordable = if per_week > 0.0 {
        let min_reps = f64::from(config.replications.min(4));
        ((budget / (per_week * min_reps)).floor() - f64::from(config.weeks)).clamp(0.0, f64::from(u32::MAX)) as u32
    } else {
        MAX_WARMUP_WEEKS
    };
    let w = warmup(&model, config.warmup_weeks, affordable);
    let extra = i64::from(w.weeks - config.warmup_weeks);
    let start = model.start.checked_sub(SignedDuration::from_hours(extra * 7 * 24)).unwrap_or(Timestamp::MIN);
    let config = fit_budget(SimConfig { warmup_weeks: w.weeks, ..*config }, per_week, budget);
    (PodModel { start, ..model }, config, w)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calc::calendar::BusinessCalendar;
    use crate::calc::simulate::Clock;
    use jiff::civil::{Weekday, time};

    fn pod(cal: &BusinessCalendar, per_week: f64, reps: u32, patience: Option<f64>) -> PodModel<'_> {
        let open = cal.open_minutes_in_week();
        PodModel {
            calendar: cal,
            start: "2027-02-01T05:00:00Z".parse().unwrap(),
            open_rate_per_minute: per_week * 0.85 / open,
            closed_rate_per_minute: per_week * 0.15 / (10_080.0 - open),
            touch_minutes: 25.0,
            reps,
            patience_minutes: patience,
            sla_minutes: 120.0,
            clock: Clock::Business,
            promise_share: 0.9,
        }
    }

    #[test]
    fn relaxation_time_by_hand() {
        // Weekdays 08:30–17:30: 2,700 open minutes a week. 210 leads of 25 minutes on 2 reps:
        // ρ = 210·25/(2·2700) = 0.97222; cμ = 0.08 a minute; √ρ = 0.986013, so
        // τ = 1/(0.08·0.013987²) = 63,897 business minutes = 23.665 weeks; 2τ → 48 weeks.
        let days = [Weekday::Monday, Weekday::Tuesday, Weekday::Wednesday, Weekday::Thursday, Weekday::Friday];
        let cal = BusinessCalendar::new("America/New_York", &days, time(8, 30, 0, 0), time(17, 30, 0, 0), []).unwrap();
        let named = pod(&cal, 210.0, 2, None);
        let tau = relaxation_weeks(&named);
        let rho: f64 = 210.0 * 25.0 / 5400.0;
        let by_hand = 1.0 / (0.08 * (1.0 - rho.sqrt()).powi(2)) / 2700.0;
        assert!((tau - by_hand).abs() < 1e-9 && (tau - 23.665).abs() < 0.001, "{tau}");
        assert_eq!(warmup(&named, 1, 52), Warmup { weeks: 48, relaxation_weeks: tau, settled: true });
        // The budget allows 20 weeks only: measured after 20, not settled.
        assert!(!warmup(&named, 1, 20).settled);
        // Half the load settles within a week: ρ = 0.486, τ = 1/(0.08·0.3030²)/2700 = 0.05 weeks.
        assert_eq!(warmup(&pod(&cal, 105.0, 2, None), 1, 52).weeks, 1);
        // ρ = 0.99: τ = 1/(0.08·0.0050126²)/2700 = 184 weeks, beyond a year.
        let tight = warmup(&pod(&cal, 213.84, 2, None), 1, 52);
        assert!((tight.relaxation_weeks - 184.2).abs() < 0.5 && tight.weeks == 52 && !tight.settled, "{tight:?}");
        // Over capacity: never, and no warm-up is spent on it.
        let over = warmup(&pod(&cal, 230.0, 2, None), 1, 52);
        assert!(over.relaxation_weeks.is_infinite() && !over.settled && over.weeks == 1);
        // Patience of 4 h bounds it at 1/min(1/25, 1/240) = 240 business minutes, over capacity
        // or not.
        let cold = warmup(&pod(&cal, 230.0, 2, Some(240.0)), 1, 52);
        assert!((cold.relaxation_weeks - 240.0 / 2700.0).abs() < 1e-12 && cold.weeks == 1 && cold.settled);
        // No reps, or no leads: nothing to wait for.
        assert_eq!(relaxation_weeks(&pod(&cal, 210.0, 0, None)), 0.0);
        assert_eq!(relaxation_weeks(&pod(&cal, 0.0, 2, None)), 0.0);
    }
}
