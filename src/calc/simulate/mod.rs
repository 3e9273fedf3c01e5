//! Discrete-event simulation of one pod over its real business-hour calendar.
//!
//! Erlang C and Erlang A assume a queue that never closes. A pod that closes at night, takes
//! leads around the clock, and meets the morning with a backlog breaks that assumption; this
//! module answers those cases by simulation and cross-checks the formulas where they do hold.
//!
//! The engine works in two time axes, both in minutes from an origin instant: *real* time and
//! *business* time (open minutes elapsed). Reps work only in open hours, so work is measured in
//! business time and a touch in progress at closing resumes at the next opening. Leads are served
//! first come, first served by identical reps; with the free times of the reps in a min-heap the
//! start of each lead is `max(arrival, earliest free rep)` (the Kiefer–Wolfowitz recursion), so a
//! lead costs one heap operation. A lead whose (exponential, real-time) patience runs out before
//! its start goes cold, takes no rep, and counts as not touched within the SLA. Randomness comes
//! from xoshiro256++ seeded through SplitMix64, so every run is reproducible from its seed.
//!
//! Replications, each from an empty pod at the start instant, give a point estimate and a 95%
//! Student-t confidence interval; the first `warmup_weeks` of each replication are simulated
//! but not measured. Near capacity a week is not enough for the queue to forget its empty
//! start: [`settle`] moves the start back by as many weeks as the queue's relaxation time asks
//! (up to a year), so the same weeks are measured in the steady state, and says when even that
//! is not enough.
//!
//! The same engine (one `Run` per replication, fed one lead at a time) replays real arrival
//! instants: [`Replay`] streams them, reading the calendar a few weeks ahead and dropping it
//! behind, with the waits in a fixed-size histogram, so its memory does not grow with the leads.
//!
//! - `config`: which clock an SLA runs on, and how long and how often to simulate.
//! - `rng`: the seeded generator every draw comes from.
//! - `stats`: estimates over replications with their confidence intervals, and quantiles.
//! - `schedule`: the calendar's open intervals on the real and business time axes.
//! - `engine`: one replication (`Run`), fed one lead at a time.
//! - `arrivals`: Poisson arrivals over the open and closed periods of a schedule.
//! - `pod`: a pod simulated from its rates ([`simulate`]), or only as far as a yes/no question
//!   about its attainment needs ([`reaches_target`]; [`Probes`] for the same question at many
//!   head counts, bounded by what a rep free for every lead would attain).
//! - `parallel`: replications on every core, returned in order (identical for any thread count).
//! - `replay`: real arrivals replayed as they stream in ([`Replay`]).
//! - `steady`: how long to warm a pod up before measuring it, and whether its queue settles
//!   ([`settle`]).

mod arrivals;
mod config;
mod engine;
mod parallel;
mod pod;
mod replay;
mod rng;
mod schedule;
mod stats;
mod steady;

use std::fmt;

pub use config::{Clock, SimConfig};
pub use pod::{PodModel, Probes, SimResult, reaches_target, simulate};
pub use replay::{Replay, ReplayResult, ReplaySetup};
pub use rng::Rng;
pub use stats::Estimate;
pub use steady::{MAX_WARMUP_WEEKS, Warmup, fit_budget, relaxation_weeks, settle, warmup};

/// Why a simulation could not run.
#[derive(Debug, Clone, PartialEq)]
pub enum SimError {
    /// A rate, time or count was negative, non-finite, or zero where it must be positive.
    InvalidInput(&'static str),
    /// Replay arrivals were not in time order.
    UnorderedArrivals {
        /// Index of the first arrival earlier than the one before it.
        index: usize,
    },
    /// The calendar has no open interval in the simulated horizon.
    NoOpenTime,
}

impl fmt::Display for SimError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidInput(what) => write!(f, "invalid simulation input: {what}"),
            Self::UnorderedArrivals { index } => {
                write!(f, "arrival {index} is earlier than the one before it (arrivals must be in time order)")
            }
            Self::NoOpenTime => write!(f, "the calendar is never open in the simulated horizon"),
        }
    }
}

impl std::error::Error for SimError {}

pub(super) fn check_common(touch: f64, sla: f64, patience: Option<f64>) -> Result<(), SimError> {
    if !(touch.is_finite() && touch > 0.0) {
        return Err(SimError::InvalidInput("touch minutes must be positive and finite"));
    }
    if !(sla.is_finite() && sla >= 0.0) {
        return Err(SimError::InvalidInput("SLA minutes must be non-negative and finite"));
    }
    if let Some(p) = patience
        && !(p.is_finite() && p > 0.0)
    {
        return Err(SimError::InvalidInput("patience must be positive and finite"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_are_refused_at_their_bounds() {
        let bad = |touch, sla, patience| check_common(touch, sla, patience).is_err();
        // Touch time: positive and finite.
        assert!(!bad(1.0, 10.0, None) && !bad(f64::MIN_POSITIVE, 10.0, None));
        for t in [0.0, -1.0, f64::INFINITY, f64::NAN] {
            assert!(bad(t, 10.0, None), "touch {t}");
        }
        // SLA: zero or more, finite.
        assert!(!bad(1.0, 0.0, None));
        for s in [-1e-9, f64::INFINITY, f64::NAN] {
            assert!(bad(1.0, s, None), "sla {s}");
        }
        // Patience, when given: positive and finite.
        assert!(!bad(1.0, 10.0, Some(1e-9)));
        for p in [0.0, -1.0, f64::INFINITY, f64::NAN] {
            assert!(bad(1.0, 10.0, Some(p)), "patience {p}");
        }
        assert_eq!(
            check_common(1.0, 10.0, Some(0.0)),
            Err(SimError::InvalidInput("patience must be positive and finite"))
        );
    }

    #[test]
    fn a_day_is_a_business_day_on_the_business_clock_and_24_hours_on_the_calendar() {
        use crate::calc::calendar::BusinessCalendar;
        use crate::calc::duration::Duration;
        use jiff::civil::{Weekday, time};
        let days = [Weekday::Monday, Weekday::Tuesday, Weekday::Wednesday, Weekday::Thursday, Weekday::Friday];
        let cal = BusinessCalendar::new("UTC", &days, time(9, 0, 0, 0), time(17, 0, 0, 0), []).unwrap();
        let day = Duration::parse("1d").unwrap();
        assert_eq!(Clock::Business.minutes(day, &cal), 480.0);
        assert_eq!(Clock::Calendar.minutes(day, &cal), 1440.0);
        let two_hours = Duration::parse("2h").unwrap();
        assert_eq!(
            (Clock::Business.minutes(two_hours, &cal), Clock::Calendar.minutes(two_hours, &cal)),
            (120.0, 120.0)
        );
    }
}
