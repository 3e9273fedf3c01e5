//! The engine shared by simulation and replay: one replication (`Run`) serves leads pushed one
//! at a time in arrival order, first come first served by identical reps whose free times sit in
//! a min-heap, and counts what it measures.

use super::config::Clock;
use super::rng::Rng;
use super::schedule::Schedule;

/// Min-heap of rep free times (business minutes).
#[derive(Debug, Clone)]
struct FreeTimes {
    heap: Vec<f64>,
}

impl FreeTimes {
    fn new(reps: u32, at: f64) -> Self {
        Self { heap: vec![at; reps as usize] }
    }

    fn earliest(&self) -> Option<f64> {
        self.heap.first().copied()
    }

    /// Replace the earliest free time with `v` and restore heap order.
    fn replace_earliest(&mut self, v: f64) {
        let h = &mut self.heap;
        let n = h.len();
        if n == 0 {
            return;
        }
        let mut i = 0;
        loop {
            let l = 2 * i + 1;
            if l >= n {
                break;
            }
            let r = l + 1;
            let c = if r < n && h[r] < h[l] { r } else { l };
            if h[c] < v {
                h[i] = h[c];
                i = c;
            } else {
                break;
            }
        }
        h[i] = v;
    }
}

/// The pod's service, as the engine needs it.
#[derive(Debug, Clone, Copy)]
pub(super) struct Service {
    pub(super) touch_minutes: f64,
    pub(super) patience_minutes: Option<f64>,
    pub(super) sla_minutes: f64,
    pub(super) clock: Clock,
}

/// Counts of the measured leads of one run.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct Counts {
    pub(super) leads: u64,
    pub(super) attained: u64,
    pub(super) cold: u64,
    pub(super) after_hours: u64,
}

/// The waits of one measured lead, minutes on the SLA clock.
#[derive(Debug, Clone, Copy)]
pub(super) struct Outcome {
    /// Time until a rep would reach the lead (infinite when none would within reach).
    pub(super) offered: f64,
    /// Time to first touch: the offered wait, or infinite for a lead that went cold.
    pub(super) effective: f64,
}

/// One replication of the shared engine: reps' free times, cursors into the schedule, counts.
/// Leads are pushed one at a time in nondecreasing arrival order, so a simulation can draw them
/// and a replay can stream them.
#[derive(Debug, Clone)]
pub(super) struct Run {
    rng: Rng,
    free: FreeTimes,
    pub(super) p_arr: usize,
    pub(super) p_start: usize,
    pub(super) counts: Counts,
    /// Leads still waiting at each opening (absolute schedule index), when tracked.
    pub(super) backlog: Option<Vec<u32>>,
    /// A rep is always free: every lead is reached as soon as the pod is open (the bound no
    /// head count exceeds, see [`Run::unlimited`]).
    unlimited: bool,
}

impl Run {
    pub(super) fn new(seed: u64, reps: u32, backlog_len: Option<usize>) -> Self {
        Self {
            rng: Rng::new(seed),
            // Business minute 0 is the opening of the first interval.
            free: FreeTimes::new(reps, 0.0),
            p_arr: 0,
            p_start: 0,
            counts: Counts::default(),
            backlog: backlog_len.map(|n| vec![0; n]),
            unlimited: false,
        }
    }

    /// A run with as many reps as leads: no lead waits for a rep, only for the pod to open.
    /// It draws the same touch and patience for each lead as [`Run::new`] with the same seed
    /// does (both are drawn for every lead, in arrival order, whatever the head count), and a
    /// lead's start is the earliest any head count could reach it; being reached within the
    /// SLA and before going cold only gets likelier the earlier the start. So with the same seed
    /// and arrivals, every lead attained with any number of reps is attained here too.
    pub(super) fn unlimited(seed: u64) -> Self {
        // One rep that never becomes busy: its free time stays at business minute 0, the first
        // opening, so every start is the lead's own arrival in business time.
        Self { unlimited: true, ..Self::new(seed, 1, None) }
    }

    /// Serve a lead arriving at real minute `t`; a rep reaching it at or after `reach_until`
    /// does not count (the lead is not touched within the horizon, and takes no rep). Returns its
    /// waits when it is `measured`.
    pub(super) fn serve(
        &mut self,
        schedule: &Schedule,
        service: &Service,
        t: f64,
        reach_until: f64,
        measured: bool,
    ) -> Option<Outcome> {
        let work = self.rng.exponential(service.touch_minutes);
        let patience = service.patience_minutes.map_or(f64::INFINITY, |p| self.rng.exponential(p));
        // No open time left before the horizon: nobody reaches the lead.
        let b_arr = schedule.to_business(t, &mut self.p_arr);
        let arrived_closed = b_arr.is_none() || t < schedule.start(self.p_arr);
        // Start of the touch in business time, and in real time (None: beyond reach).
        let start_b = b_arr.and_then(|b| self.free.earliest().map(|f| f.max(b)));
        let start_real = start_b.and_then(|s| schedule.to_real(s, &mut self.p_start)).filter(|&sr| sr < reach_until);
        // Beyond reach (no reps, or an overload that outlasts it) the lead is certainly cold if
        // its patience ran out by then, otherwise its fate is unknown and it only counts as not
        // touched within the SLA.
        let cold = match start_real {
            Some(sr) => sr - t > patience,
            None => t + patience < reach_until,
        };
        if !cold
            && !self.unlimited
            && let (Some(s), Some(_)) = (start_b, start_real)
        {
            self.free.replace_earliest(s + work);
        }
        // Backlog: openings after the arrival at which the lead is still waiting (every lead,
        // measured or not, since a lead from the warm-up can wait at a measured opening).
        if let (Some(backlog), Some(sr)) = (self.backlog.as_mut(), start_real) {
            let mut j = if arrived_closed { self.p_arr } else { self.p_arr + 1 };
            while j < schedule.len() && schedule.start(j) <= sr && t + patience > schedule.start(j) {
                if schedule.opening(j) {
                    backlog[j] += 1;
                }
                j += 1;
            }
        }
        if !measured {
            return None;
        }
        let c = &mut self.counts;
        c.leads += 1;
        if arrived_closed {
            c.after_hours += 1;
        }
        let offered = match (service.clock, start_b.zip(b_arr), start_real) {
            (Clock::Business, Some((s, b)), Some(_)) => s - b,
            (Clock::Calendar, _, Some(sr)) => sr - t,
            _ => f64::INFINITY,
        };
        if cold {
            c.cold += 1;
        } else if start_real.is_some() && offered <= service.sla_minutes {
            c.attained += 1;
        }
        let effective = if cold || start_real.is_none() { f64::INFINITY } else { offered };
        Some(Outcome { offered, effective })
    }
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heap_replaces_the_earliest_like_a_sorted_list() {
        // Against a plain sorted Vec: replace its first element, re-sort.
        let mut h = FreeTimes::new(7, 0.0);
        let mut reference = vec![0.0; 7];
        let mut rng = Rng::new(3);
        for _ in 0..10_000 {
            let v = reference[0] + rng.exponential(5.0);
            h.replace_earliest(v);
            reference[0] = v;
            reference.sort_by(f64::total_cmp);
            assert_eq!(h.earliest(), Some(reference[0]));
        }
        let mut all = h.heap.clone();
        all.sort_by(f64::total_cmp);
        assert_eq!(all, reference);
        assert_eq!(FreeTimes::new(0, 0.0).earliest(), None);
    }
}
