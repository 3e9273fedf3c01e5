//! What a simulation is asked: the clock an SLA runs on, and how long and how often to simulate.

use crate::calc::calendar::BusinessCalendar;

/// Which clock an SLA runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    /// Only open minutes count: a lead arriving while closed waits for opening without breaching.
    Business,
    /// Every minute counts.
    Calendar,
}

impl Clock {
    /// Length of `d` in minutes on this clock: a day is one business day of `calendar` on the
    /// business clock and 24 hours on the calendar clock ("within one business day").
    #[must_use]
    pub fn minutes(self, d: crate::calc::duration::Duration, calendar: &BusinessCalendar) -> f64 {
        match self {
            Self::Business => calendar.business_minutes(d),
            Self::Calendar => d.calendar_minutes(),
        }
    }
}

/// How long and how often to simulate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SimConfig {
    /// Seed of the first replication (replication r uses `seed + r`).
    pub seed: u64,
    /// Weeks simulated before measuring, per replication.
    pub warmup_weeks: u32,
    /// Weeks measured per replication.
    pub weeks: u32,
    /// Independent replications (at least 2 for an interval).
    pub replications: u32,
    /// Threads to run replications on (0: every core). Results do not depend on it.
    pub threads: u32,
}

impl Default for SimConfig {
    fn default() -> Self {
        Self { seed: 1, warmup_weeks: 1, weeks: 4, replications: 30, threads: 0 }
    }
}
