//! The replay of a lead export through a brief's routing: what `handoff route --leads` reports.
//!
//! The replay streams the CSV (`leads`: one reused record; memory does not grow with the
//! file), assigns every well-formed row with the [`Router`], and tallies (`tally`) totals per
//! rule, pod and rep, fallbacks, unrouted leads with reasons, and leads missing fields the rules
//! read. A malformed row (ragged, invalid UTF-8, an oversized field, an unreadable `created_at`)
//! is counted with its line number and skipped; the run goes on. A column the rules read that
//! the header lacks stops the run before any work.
//!
//! A lead counts open against `max_open` until its SLA is due, from its `created_at` (`open`),
//! unless the router was given how long a rep keeps one (`--open-for`, see
//! `crate::calc::routing::engine`); without `created_at` it stays open for the whole replay.
//!
//! A value of a numeric field that is not a number is counted per field and routed as absent;
//! a blank value counts as missing only in a field the rules require (`fields`).
//!
//! With `created_at`, each pod's leads also stream through its SLA replay (`sla_stream`) as
//! they are routed, behind a reorder buffer of [`REORDER_WINDOW`] leads; a pod whose times are
//! further out of order is replayed from a second pass over the file that keeps only its times,
//! sorted.
//!
//! It lives in the library, not in the command, so tests and benches drive it directly; the
//! words and formats of its report are in [`crate::render`].

mod assignments;
mod bounded;
mod cells;
mod fields;
pub(crate) mod leads;
mod open;
mod records;
mod sla_stream;
mod streams;
mod tally;
pub(crate) mod times;

use std::io::{self, Read};

use anyhow::Context as _;

use crate::calc::routing::{NamedFailure, Router};
use crate::checked;

use leads::{Row, for_each_row, leads_reader, read_header};
use sla_stream::PodStream;
use streams::Streams;
pub use streams::second_core;
use tally::Tally;

pub use assignments::RowSink;
pub(crate) use cells::neutralise;
pub(crate) use leads::write_synthetic;
pub use open::OpenLeads;
pub use sla_stream::REORDER_WINDOW;
pub use tally::{MAX_LISTED_INVALID, MAX_LISTED_MALFORMED};

/// How to replay.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReplayOptions {
    /// Replay the SLA per pod from `created_at` (keeps one timestamp per routed lead).
    pub sla: bool,
    /// Seed for the simulated work times of the SLA replay.
    pub seed: u64,
    /// Replications of the SLA replay (for its confidence interval).
    pub replications: u32,
    /// Run the SLA replay on a thread of its own beside the routing loop (the figures are the
    /// same either way; worth it when there is a second core: [`second_core`]).
    pub parallel: bool,
}

impl Default for ReplayOptions {
    fn default() -> Self {
        Self { sla: true, seed: 1, replications: SLA_REPLICATIONS, parallel: false }
    }
}

/// Replications of the SLA replay by default.
pub const SLA_REPLICATIONS: u32 = 5;

/// SLA attainment of one pod, replayed from real arrival times.
#[derive(Debug, Clone, PartialEq)]
pub struct PodSlaReplay {
    /// Pod id.
    pub pod: String,
    /// Leads with an arrival time placed on the pod.
    pub leads: u64,
    /// The file's `created_at` times were out of order for this pod beyond
    /// [`REORDER_WINDOW`], so its times were collected in a second pass over the file and sorted.
    pub second_pass: bool,
    /// The replay's result, or why it could not run.
    pub result: Result<PodSlaFigures, String>,
}

/// The figures of a pod's SLA replay.
#[derive(Debug, Clone, PartialEq)]
pub struct PodSlaFigures {
    /// Productive reps (available reps after shrinkage).
    pub productive_reps: u32,
    /// SLA in minutes on the brief's clock.
    pub sla_minutes: f64,
    /// Share touched within the SLA (mean over replications).
    pub attainment: f64,
    /// Half-width of its 95% interval.
    pub attainment_half_width: f64,
    /// Share that went cold before a touch.
    pub cold_share: f64,
    /// Share arriving while the pod was closed.
    pub after_hours_share: f64,
    /// 90th percentile of the wait, minutes on the SLA clock.
    pub p90_wait_minutes: f64,
    /// The brief's attainment target.
    pub target: f64,
}

/// What a replay found.
#[derive(Debug, Clone)]
pub struct ReplayReport {
    /// Well-formed rows routed (routed + fallback + unrouted).
    pub total: u64,
    /// Placed by their rule's own method.
    pub routed: u64,
    /// Placed by a rule's fallback or the routing fallback.
    pub fallback: u64,
    /// Placed nowhere.
    pub unrouted: u64,
    /// Unrouted leads by why the routing fallback failed, in the order of [`Failure`] (the
    /// report's words are the renderer's).
    ///
    /// [`Failure`]: crate::calc::routing::Failure
    pub unrouted_reasons: Vec<(NamedFailure, u64)>,
    /// Per rule id (and `fallback` for no rule matched): primary, rule fallback, routing
    /// fallback, unrouted.
    pub by_rule: Vec<(String, [u64; 4])>,
    /// Per pod: leads, of which in the pod's queue.
    pub by_pod: Vec<(String, u64, u64)>,
    /// Per pod, per rep: leads.
    pub by_rep: Vec<(String, Vec<(String, u64)>)>,
    /// Per field the rules require (not an optional one, see `fields`): leads where it is empty.
    pub missing_fields: Vec<(String, u64)>,
    /// Leads missing at least one field the rules require.
    pub leads_missing_fields: u64,
    /// Per numeric field: values that are not numbers (routed as absent).
    pub invalid_values: Vec<(String, u64)>,
    /// The first [`MAX_LISTED_INVALID`] invalid values: (line, field, value).
    pub invalid_rows: Vec<(u64, String, String)>,
    /// Malformed rows (not routed).
    pub malformed: u64,
    /// The first [`MAX_LISTED_MALFORMED`] malformed rows: (line, message).
    pub malformed_rows: Vec<(u64, String)>,
    /// Whether the file has a `created_at` column.
    pub has_created_at: bool,
    /// Rows whose `created_at` is earlier than a row above them. Routing takes rows in file
    /// order, so with `--open-for` such rows see time run backwards and leads are not released.
    pub created_at_out_of_order: u64,
    /// The `--open-for` the leads were routed with, in seconds.
    pub open_for: Option<i64>,
    /// How long leads counted open against `max_open`.
    pub open_leads: OpenLeads,
    /// SLA replay per pod (in the brief's pod order), when `created_at` is present and the
    /// replay was asked for.
    pub sla: Option<Vec<PodSlaReplay>>,
}

/// Replay a CSV of leads through the router, optionally telling `assignments` where each row
/// went.
///
/// `open` opens the file. It is called once, and a second time only when the SLA replay is on
/// and some pod's `created_at` times are out of order beyond [`REORDER_WINDOW`]: that pass
/// routes the file again from the same starting state and keeps only those pods' arrival
/// times, to sort them.
///
/// # Errors
/// The file cannot be opened, its header cannot be read or lacks a column the rules read
/// (before any row is routed), or reading or writing fails.
pub fn replay<R: Read, S: RowSink>(
    brief: &checked::Brief,
    mut router: Router,
    mut open: impl FnMut() -> io::Result<R>,
    mut assignments: Option<&mut S>,
    options: &ReplayOptions,
) -> anyhow::Result<ReplayReport> {
    let tz = brief.time_zone();
    let mut rdr = leads_reader(open().context("cannot open the leads file")?);
    let columns = read_header(&mut rdr, &router, fields::FieldKinds::new(&brief.raw().routing, &router))?;
    let (mut clock, open_leads) = open::OpenClock::new(brief, router.open_for(), columns.created_at.is_some());
    // The SLA replay streams each pod's arrivals in time order (see `PodStream`); a copy of the
    // router's starting state allows a second pass for a file out of order.
    let keep_arrivals = options.sla && columns.created_at.is_some();
    let pristine = keep_arrivals.then(|| router.clone());
    let streams: Vec<PodStream> = if keep_arrivals {
        let ids = brief.raw().capacity.pods.iter().map(|pod| pod.id.as_str());
        ids.zip(brief.pods()).map(|(id, pod)| PodStream::new(brief, id, pod, options)).collect()
    } else {
        Vec::new()
    };
    let mut streams = Streams::new(streams, options.parallel);
    let mut tally = Tally::new(&router, &columns);
    for_each_row(&mut rdr, &columns, tz, |row, line, item| {
        let (slots, invalid, at) = match item {
            Row::Malformed(msg) => {
                tally.malformed(line, &msg);
                return assignments.as_mut().map_or(Ok(()), |w| w.malformed(row, line, &msg));
            }
            Row::Lead { slots, invalid, at } => (slots, invalid, at),
        };
        tally.lead(slots, invalid, at, line);
        clock.before(&mut router, at);
        let a = router.route(slots, at);
        clock.after(&a, at);
        tally.placed(&a);
        if let (Some(p), Some(t)) = (a.pod, at) {
            streams.push(p, t);
        }
        assignments.as_mut().map_or(Ok(()), |w| w.lead(&router, row, line, &a))
    })?;
    if let Some(w) = assignments {
        w.finish()?;
    }
    let mut streams = streams.finish()?;
    let mut report = tally.finish(&router, &columns.kinds.numeric);
    report.open_leads = open_leads;
    if let Some(router) = pristine {
        if streams.iter().any(PodStream::out_of_order) {
            match open() {
                Ok(input) => sla_stream::second_pass(brief, &mut streams, router, input)?,
                Err(e) => sla_stream::cannot_reread(&mut streams, &e.to_string()),
            }
        }
        report.sla = Some(streams.into_iter().map(PodStream::finish).collect());
    }
    Ok(report)
}
