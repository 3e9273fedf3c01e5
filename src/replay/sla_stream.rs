//! One pod's SLA replay as the routed leads stream past, in arrival order.
//!
//! With `created_at`, each pod's leads go through its SLA replay ([`simulate::Replay`]) as they
//! are routed, behind a reorder buffer of [`REORDER_WINDOW`] leads; a pod whose times are further
//! out of order is replayed from a second pass over the file that keeps only its times, sorted.
//! [`pod_setup`] is the one place that turns a pod of the brief into what its replay runs with.

use std::collections::VecDeque;
use std::io::Read;

use crate::calc::calendar::BusinessCalendar;
use crate::calc::routing::Router;
use crate::calc::simulate;
use crate::calc::sla::productive_reps;
use crate::checked;

use super::leads::{Row, for_each_row, leads_reader, read_header};
use super::{PodSlaFigures, PodSlaReplay, ReplayOptions};

/// Leads a pod's SLA replay holds back to put slightly out-of-order `created_at` times in
/// order (8 bytes each). Times further out of order than this send the pod to a second pass.
pub const REORDER_WINDOW: usize = 16_384;

/// One pod's SLA replay as the rows stream past: a bounded reorder buffer in front of the
/// streaming [`simulate::Replay`].
pub(super) struct PodStream {
    pod: String,
    /// Leads with an arrival time placed on the pod.
    leads: u64,
    /// The pod's calendar and service (`None` when it cannot be replayed: `state` says why).
    setup: Option<PodSetup>,
    state: Stage,
    /// Arrivals not yet replayed, in time order (in-order arrivals append at the back in O(1)).
    pending: VecDeque<i64>,
    /// The latest arrival replayed.
    released: Option<i64>,
    /// The pod was replayed from sorted times in a second pass.
    second_pass: bool,
}

/// Where a pod's SLA replay stands.
enum Stage {
    /// Replaying the arrivals as they come.
    Streaming(Box<simulate::Replay>),
    /// An arrival came earlier than one already replayed: the pod needs the second pass.
    OutOfOrder,
    /// The pod cannot be replayed, and why.
    Failed(String),
}

/// What a pod's replay runs with.
struct PodSetup {
    calendar: BusinessCalendar,
    replay: simulate::ReplaySetup,
    target: f64,
}

impl PodSetup {
    /// A fresh replay of the pod.
    fn start(&self) -> Stage {
        match simulate::Replay::new(self.calendar.clone(), &self.replay) {
            Ok(r) => Stage::Streaming(Box::new(r)),
            Err(e) => Stage::Failed(e.to_string()),
        }
    }
}

impl PodStream {
    /// The pod's stream, ready for its first arrival (or failed, saying why it cannot run).
    pub(super) fn new(brief: &checked::Brief, id: &str, pod: &checked::Pod, options: &ReplayOptions) -> Self {
        let (setup, state) = match pod_setup(brief, pod, options) {
            Ok(setup) => {
                let state = setup.start();
                (Some(setup), state)
            }
            Err(e) => (None, Stage::Failed(e)),
        };
        Self {
            pod: id.to_owned(),
            leads: 0,
            setup,
            state,
            pending: VecDeque::new(),
            released: None,
            second_pass: false,
        }
    }

    /// An arrival came too late to put in order: the pod needs [`second_pass`].
    pub(super) fn out_of_order(&self) -> bool {
        matches!(self.state, Stage::OutOfOrder)
    }

    /// A lead placed on the pod arrived at `t` (seconds since the epoch), in file order.
    pub(super) fn push(&mut self, t: i64) {
        self.leads += 1;
        if !matches!(self.state, Stage::Streaming(_)) {
            return;
        }
        if self.released.is_some_and(|r| t < r) {
            // Too late to put in order: the second pass will sort this pod's times.
            self.state = Stage::OutOfOrder;
            self.pending = VecDeque::new();
            return;
        }
        if self.pending.back().is_none_or(|&last| last <= t) {
            self.pending.push_back(t);
        } else {
            // After the equal times already held, so equal arrivals keep their file order.
            let at = self.pending.partition_point(|&p| p <= t);
            self.pending.insert(at, t);
        }
        if self.pending.len() > REORDER_WINDOW
            && let Some(first) = self.pending.pop_front()
        {
            self.release(first);
        }
    }

    /// Replay the arrival `t`, the earliest not yet replayed.
    fn release(&mut self, t: i64) {
        self.released = Some(t);
        if let Stage::Streaming(replay) = &mut self.state {
            // Times come from parsed timestamps, so they are in range.
            let pushed = jiff::Timestamp::from_second(t)
                .map_err(|e| e.to_string())
                .and_then(|at| replay.push(at).map_err(|e| e.to_string()));
            if let Err(e) = pushed {
                self.state = Stage::Failed(e);
            }
        }
    }

    /// Replay the pod again from the start with all its times, sorted.
    fn replay_sorted(&mut self, sorted: &[i64]) {
        let Some(setup) = &self.setup else { return };
        self.state = setup.start();
        self.second_pass = true;
        self.released = None;
        self.pending = VecDeque::new();
        for &t in sorted {
            self.release(t);
        }
    }

    /// Replay what the buffer still holds and give the pod's figures, or why it has none.
    pub(super) fn finish(mut self) -> PodSlaReplay {
        while let Some(t) = self.pending.pop_front() {
            self.release(t);
        }
        let result = match (&self.state, &self.setup) {
            (Stage::Streaming(replay), Some(setup)) => {
                replay.finish().map_err(|e| e.to_string()).map(|r| PodSlaFigures {
                    productive_reps: setup.replay.reps,
                    sla_minutes: setup.replay.sla_minutes,
                    attainment: r.attainment.mean,
                    attainment_half_width: r.attainment.half_width,
                    cold_share: r.cold_share.mean,
                    after_hours_share: r.after_hours_share,
                    p90_wait_minutes: r.p90_wait_minutes,
                    target: setup.target,
                })
            }
            (Stage::Failed(e), _) => Err(e.clone()),
            // Not reached: a pod out of order is replayed in the second pass, and a streaming
            // pod always has its setup.
            (Stage::OutOfOrder | Stage::Streaming(_), _) => Err("arrival times out of order; not replayed".to_owned()),
        };
        PodSlaReplay { pod: self.pod, leads: self.leads, second_pass: self.second_pass, result }
    }
}

/// A pod's calendar and service for the SLA replay, or why it has none.
///
/// Everything the replay takes from the pod (calendar, available reps, shrinkage, the SLA on its
/// clock, patience) comes from the checked brief, the same values the design's SLA tables use.
fn pod_setup(brief: &checked::Brief, pod: &checked::Pod, options: &ReplayOptions) -> Result<PodSetup, String> {
    // Only the reps who can take leads, as the router and the design's SLA tables count them.
    let productive = productive_reps(pod.available_reps(), pod.shrinkage().get());
    if productive == 0 {
        return Err("no productive reps (none available after shrinkage)".to_owned());
    }
    Ok(PodSetup {
        calendar: pod.calendar().clone(),
        replay: simulate::ReplaySetup {
            touch_minutes: pod.touch_minutes(),
            reps: productive,
            sla_minutes: pod.sla_minutes(),
            clock: brief.clock(),
            patience_minutes: pod.patience().map(|p| p.calendar_minutes()),
            seed: options.seed,
            replications: options.replications.max(1),
        },
        target: brief.sla_attainment().get(),
    })
}

/// The file cannot be read a second time (`why`): each pod waiting for the second pass reports
/// that instead of figures.
pub(super) fn cannot_reread(streams: &mut [PodStream], why: &str) {
    for stream in streams.iter_mut().filter(|s| s.out_of_order()) {
        stream.state = Stage::Failed(format!(
            "`created_at` is out of time order beyond the reorder buffer, and a second pass over the file failed \
             ({why}); sort it by `created_at` (oldest first) to replay in one pass"
        ));
    }
}

/// Route the file again from the router's starting state, collect the arrival times of the
/// pods whose times came out of order, sort them, and replay those pods from the start.
///
/// # Errors
/// The file cannot be read again.
pub(super) fn second_pass<R: Read>(
    brief: &checked::Brief,
    streams: &mut [PodStream],
    mut router: Router,
    input: R,
) -> anyhow::Result<()> {
    let tz = brief.time_zone();
    let mut rdr = leads_reader(input);
    let kinds = super::fields::FieldKinds::new(&brief.raw().routing, &router);
    let columns = match read_header(&mut rdr, &router, kinds) {
        Ok(columns) => columns,
        // Read once already (a pipe, say) or changed since: those pods say so, the run goes on.
        Err(e) => {
            cannot_reread(streams, &format!("{e:#}"));
            return Ok(());
        }
    };
    // Checked and released as in the first pass, so the router's state evolves alike.
    let (mut clock, _) = super::open::OpenClock::new(brief, router.open_for(), columns.created_at.is_some());
    let mut times: Vec<Option<Vec<i64>>> = streams.iter().map(|s| s.out_of_order().then(Vec::new)).collect();
    for_each_row(&mut rdr, &columns, tz, |_, _, item| {
        if let Row::Lead { slots, at, .. } = item {
            // Every lead is routed, as in the first pass, so the router's state evolves alike.
            clock.before(&mut router, at);
            let a = router.route(slots, at);
            clock.after(&a, at);
            if let (Some(p), Some(t)) = (a.pod, at)
                && let Some(Some(kept)) = times.get_mut(p)
            {
                kept.push(t);
            }
        }
        Ok(())
    })?;
    for (stream, kept) in streams.iter_mut().zip(times) {
        let Some(mut kept) = kept else { continue };
        if kept.len() as u64 != stream.leads {
            // Another file than the first pass read (rewritten meanwhile, or a pipe that cannot
            // be read twice): its figures would not be this file's.
            stream.state = Stage::Failed(format!(
                "the second pass over the file found {} leads with times for this pod, the first {}: the file \
                 changed or cannot be read twice; sort it by `created_at` (oldest first) to replay in one pass",
                kept.len(),
                stream.leads
            ));
            continue;
        }
        kept.sort_unstable();
        stream.replay_sorted(&kept);
    }
    Ok(())
}
