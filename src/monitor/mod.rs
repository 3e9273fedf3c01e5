//! Plan against actual: what `handoff monitor` measures in a CRM export of real first touches.
//!
//! The export streams through one reused record (`actuals`, on the lead reader `route` uses;
//! timestamps read by `replay::times`). Memory does not grow with the file: p50/p90 are exact from a
//! count per distinct whole second (bounded by the range of the times), a window's counts are
//! reduced to its figures once the file has passed its end, and the rip-cord counts breaches
//! through a reorder buffer over their deadlines (`windows::RipCordStream`). An export further
//! out of creation order than [`REORDER_SLACK_SECONDS`] is read a second time, keeping every
//! breach and window, so the numbers are the same either way.
//! Each lead is placed on a pod — its `pod` column, else its owner's pod (named reps), else
//! where the brief's routing sends it — and measured on that pod's own calendar (`measure`):
//! open minutes only on the business clock, wall time on the calendar clock, within the SLA
//! when ≤ the SLA. The tallies give per pod and per rep leads, touched, within the SLA,
//! attainment and p50/p90; `windows` gives the attainment series, the rip-cord events and the
//! aging backlog as of `--now`; `compare` sets each pod's attainment beside the design's
//! prediction and says what the data shows where they differ.
//!
//! A malformed row (ragged, invalid UTF-8, an unreadable time, a first touch before creation,
//! an unknown pod) is counted with its line, column and field and skipped; the run goes on. A
//! missing column stops it before any row is read.
//!
//! It lives in the library beside `replay`, not in the command, so tests and benches drive it
//! directly; its words and formats are in [`crate::render`].

mod actuals;
mod compare;
mod measure;
mod windows;

use std::collections::BTreeMap;
use std::io::Read;

use anyhow::{Context as _, anyhow, bail};
use jiff::Timestamp;

use crate::calc::simulate::Clock;
use crate::checked;
use crate::replay::leads::{for_each_checked, read_header_row};

use measure::{Counts, PodClock};
use windows::{Aging, Backlog};

pub use actuals::{Malformed, Preset, parse_mappings};
pub use compare::{Design, Finding, PodDesign};
pub use measure::{deadline, elapsed};
pub use windows::{RipCordEvent, RipCordStream, Window, rip_cord};

/// How far back in creation time a row may come after a later one and still be read in one
/// pass: the windows and breaches this far behind the latest creation stay open.
pub const REORDER_SLACK_SECONDS: i64 = 86_400;

/// Malformed rows listed in a report (all are counted).
pub const MAX_LISTED_MALFORMED: usize = 20;
/// Leads of the aging backlog listed (the oldest; all are counted).
pub const MAX_LISTED_AGING: usize = 50;
/// Rip-cord events listed (the first; all are counted).
pub const MAX_LISTED_RIP_CORD: usize = 100;
/// Distinct owners tallied per report; leads of further owners count in their pod only.
pub const MAX_REPS: usize = 2_000;

/// How to monitor.
#[derive(Debug, Clone)]
pub struct MonitorOptions {
    /// Field → the export's header (`--column NAME=HEADER`); overrides the preset.
    pub columns: BTreeMap<String, String>,
    /// A CRM's export headers (`--preset`).
    pub preset: Option<Preset>,
    /// The instant the backlog is aged to.
    pub now: Timestamp,
    /// Only leads created at or after this instant.
    pub since: Option<Timestamp>,
    /// Only leads created before this instant.
    pub until: Option<Timestamp>,
    /// Length of a window of the attainment series.
    pub window: Window,
    /// The export's name in messages (`file:line:column`).
    pub source: String,
}

/// The figures of one pod, one rep or one window.
#[derive(Debug, Clone, PartialEq)]
pub struct Figures {
    /// Leads.
    pub leads: u64,
    /// Touched.
    pub touched: u64,
    /// Touched within the SLA.
    pub within_sla: u64,
    /// Untouched and past the SLA as of `--now`.
    pub untouched_past_sla: u64,
    /// Untouched and still within the SLA (not counted in attainment).
    pub pending: u64,
    /// Within the SLA over decided leads (touched + untouched past the SLA).
    pub attainment: Option<f64>,
    /// Median time to first touch, minutes on the SLA clock.
    pub p50_minutes: Option<f64>,
    /// 90th percentile.
    pub p90_minutes: Option<f64>,
    /// Accepted (with an `accepted_at` column).
    pub accepted: u64,
    /// Converted (with a `converted` column).
    pub converted: u64,
}

impl Figures {
    fn of(c: &Counts) -> Self {
        let [p50, p90] = c.times.quantiles([0.5, 0.9]);
        Self::with_times(c, p50, p90)
    }

    fn with_times(c: &Counts, p50: Option<f64>, p90: Option<f64>) -> Self {
        Self {
            leads: c.leads,
            touched: c.touched,
            within_sla: c.within_sla,
            untouched_past_sla: c.untouched_past_sla,
            pending: c.leads - c.decided(),
            attainment: c.attainment(),
            p50_minutes: p50,
            p90_minutes: p90,
            accepted: c.accepted,
            converted: c.converted,
        }
    }
}

/// One pod's actuals beside its design.
#[derive(Debug, Clone, PartialEq)]
pub struct PodActual {
    /// Pod id.
    pub pod: String,
    /// The SLA in minutes on the pod's clock.
    pub sla_minutes: f64,
    /// What happened.
    pub figures: Figures,
    /// The design's predicted attainment.
    pub predicted_attainment: Option<f64>,
    /// Leads per week observed.
    pub observed_per_week: f64,
    /// Leads per week the design expects.
    pub designed_per_week: f64,
    /// Share created while the pod was closed.
    pub after_hours_share: Option<f64>,
    /// Share the design expects.
    pub designed_after_hours_share: f64,
}

/// One rep's actuals.
#[derive(Debug, Clone, PartialEq)]
pub struct RepActual {
    /// Pod id.
    pub pod: String,
    /// Owner as exported.
    pub rep: String,
    /// What happened.
    pub figures: Figures,
    /// Share of the pod's leads.
    pub share: f64,
    /// Share the design expects (weights of available reps), when the rep is named.
    pub expected_share: Option<f64>,
}

/// One window of the attainment series.
#[derive(Debug, Clone, PartialEq)]
pub struct WindowActual {
    /// First local day.
    pub start: String,
    /// First local day after it.
    pub end: String,
    /// What happened to leads created in it.
    pub figures: Figures,
}

/// One lead of the aging backlog.
#[derive(Debug, Clone, PartialEq)]
pub struct AgingLead {
    /// Line in the file.
    pub line: u64,
    /// Lead id, when exported.
    pub lead_id: Option<String>,
    /// Pod id.
    pub pod: String,
    /// Owner, when exported.
    pub owner: Option<String>,
    /// Created (RFC 3339).
    pub created_at: String,
    /// Minutes waited on the SLA clock as of `--now`.
    pub waited_minutes: f64,
}

/// What the monitor found.
#[derive(Debug, Clone)]
pub struct MonitorReport {
    /// `--now`.
    pub now: String,
    /// The window of the series.
    pub window: Window,
    /// The SLA clock.
    pub clock: Clock,
    /// The brief's SLA in minutes on its clock.
    pub sla_minutes: f64,
    /// The target share within the SLA.
    pub target: f64,
    /// All leads.
    pub totals: Figures,
    /// The design's prediction over all pods (weighted by designed leads per week).
    pub predicted_attainment: Option<f64>,
    /// Per pod, in the brief's order.
    pub by_pod: Vec<PodActual>,
    /// Per rep, by pod then name.
    pub by_rep: Vec<RepActual>,
    /// The attainment series.
    pub windows: Vec<WindowActual>,
    /// Leads that breached (touched late or untouched past the SLA).
    pub breaches: u64,
    /// Rip-cord events (the first [`MAX_LISTED_RIP_CORD`]).
    pub rip_cord: Vec<RipCordEvent>,
    /// Rip-cord events in all.
    pub rip_cord_total: usize,
    /// The aging backlog, oldest first (the first [`MAX_LISTED_AGING`]).
    pub aging: Vec<AgingLead>,
    /// Malformed rows.
    pub malformed: u64,
    /// The export was read twice (further out of creation order than one pass allows).
    pub second_pass: bool,
    /// The first [`MAX_LISTED_MALFORMED`]: line and why.
    pub malformed_rows: Vec<(u64, Malformed)>,
    /// Well-formed rows outside `--since`/`--until`.
    pub outside_range: u64,
    /// First and last creation seen (RFC 3339).
    pub span: Option<(String, String)>,
    /// Leads per week observed over the span.
    pub observed_per_week: f64,
    /// The brief's leads per week.
    pub designed_per_week: f64,
    /// Share of leads created while their pod was closed.
    pub after_hours_share: Option<f64>,
    /// The brief's after-hours share.
    pub designed_after_hours_share: Option<f64>,
    /// Leads by local hour of creation (the brief's zone), busiest first (three).
    pub busiest_hours: Vec<(u8, u64)>,
    /// The export has `accepted_at`: the acceptance rate and its target.
    pub acceptance: Option<(f64, f64)>,
    /// The export has `converted`: the conversion rate and the brief's target lift.
    pub conversion: Option<(f64, f64)>,
    /// What the data shows where actual and design differ.
    pub findings: Vec<Finding>,
}

/// Running state of one monitor run.
struct Tally {
    /// Per pod (every measured lead has one: the totals are their sum, see [`Tally::totals`]).
    pods: Vec<Counts>,
    after_hours: Vec<u64>,
    /// Per pod: owner → counts.
    reps: Vec<BTreeMap<String, Counts>>,
    /// Distinct owners tallied.
    rep_count: usize,
    /// The last creation date and its window's start (consecutive rows share a day).
    last_window: Option<(jiff::civil::Date, jiff::civil::Date)>,
    windows: BTreeMap<jiff::civil::Date, WindowTally>,
    /// Windows whose times are still kept: start → the instant the window ends.
    live: BTreeMap<jiff::civil::Date, i64>,
    breaches: u64,
    rip: RipCordStream,
    /// Latest creation seen.
    latest: Option<i64>,
    /// A row came too far out of creation order for one pass.
    late: bool,
    backlog: Backlog,
    malformed: u64,
    malformed_rows: Vec<(u64, Malformed)>,
    outside_range: u64,
    first: Option<i64>,
    last: Option<i64>,
    hours: [u64; 24],
}

/// One window of the series: its counts, and once the file has passed its end, its p50/p90
/// (the times are then dropped).
#[derive(Debug, Default)]
struct WindowTally {
    counts: Counts,
    done: Option<(Option<f64>, Option<f64>)>,
}

impl Tally {
    /// Leads measured, over every pod (without merging their times, as [`Tally::totals`] does).
    fn leads(&self) -> u64 {
        self.pods.iter().map(|p| p.leads).sum()
    }

    /// Counts over every pod.
    fn totals(&self) -> Counts {
        let mut all = Counts::default();
        for pod in &self.pods {
            all.merge(pod);
        }
        all
    }

    /// Reduce the windows that end by `mark` to their figures.
    fn close_windows(&mut self, mark: i64) {
        while let Some((&start, &end)) = self.live.first_key_value() {
            if end > mark {
                break;
            }
            self.live.remove(&start);
            if let Some(w) = self.windows.get_mut(&start) {
                let times = std::mem::take(&mut w.counts.times);
                let [p50, p90] = times.quantiles([0.5, 0.9]);
                w.done = Some((p50, p90));
            }
        }
    }

    fn malformed(&mut self, line: u64, m: Malformed) {
        self.malformed += 1;
        if self.malformed_rows.len() < MAX_LISTED_MALFORMED {
            self.malformed_rows.push((line, m));
        }
    }
}

/// Measure an export of actual first touches against the brief and its design. `open` opens
/// the export; it is called a second time only for an export further out of creation order
/// than [`REORDER_SLACK_SECONDS`].
///
/// # Errors
/// The export cannot be opened, the header cannot be read, a mapping names a header the file
/// lacks, a required column is missing, reading fails, or a second pass reads another file.
/// Malformed rows are not errors: they are counted and listed.
pub fn monitor<R: Read>(
    brief: &checked::Brief,
    design: &Design,
    open: &mut dyn FnMut() -> std::io::Result<R>,
    options: &MonitorOptions,
) -> anyhow::Result<MonitorReport> {
    let source = &options.source;
    let mut opened = || open().with_context(|| format!("{source}: cannot open the actuals file"));
    let (first, columns, pod_ids) = pass(brief, opened()?, options, Some(REORDER_SLACK_SECONDS))?;
    if !first.late {
        return Ok(finish(brief, design, options, &columns, &pod_ids, first, false));
    }
    let (second, columns, pod_ids) = pass(brief, opened()?, options, None)?;
    if (second.leads(), second.malformed, second.outside_range) != (first.leads(), first.malformed, first.outside_range)
    {
        bail!("{source}: the file changed while it was read twice (it is out of creation order, so it is read again)");
    }
    Ok(finish(brief, design, options, &columns, &pod_ids, second, true))
}

/// One pass over the export. With `slack`, windows and breaches more than `slack` seconds
/// behind the latest creation are closed as the rows stream past (`late` when a row then comes
/// back to one); without, everything is kept to the end.
fn pass<R: Read>(
    brief: &checked::Brief,
    input: R,
    options: &MonitorOptions,
    slack: Option<i64>,
) -> anyhow::Result<(Tally, actuals::Columns, Vec<String>)> {
    let tz = brief.time_zone();
    let clock = brief.clock();
    let mut router = brief.router().clone().with_open_for(Some(0));
    let mut rdr = actuals::reader(input);
    let source = &options.source;
    let header = read_header_row(&mut rdr).map_err(|e| anyhow!("{source}:1:1: {e:#}"))?;
    let columns = actuals::with_preset(&header, &options.columns, options.preset)
        .and_then(|mappings| actuals::columns(&header, &mappings, &router))
        .map_err(|e| anyhow!("{source}:1:1: header: {e:#}"))?;
    let raw_pods = &brief.raw().capacity.pods;
    let pod_ids: Vec<String> = raw_pods.iter().map(|p| p.id.clone()).collect();
    let owners = compare::owner_pods(brief);
    let pods = brief.pods();
    let mut t = Tally {
        pods: vec![Counts::default(); pods.len()],
        after_hours: vec![0; pods.len()],
        reps: vec![BTreeMap::new(); pods.len()],
        rep_count: 0,
        last_window: None,
        windows: BTreeMap::new(),
        live: BTreeMap::new(),
        breaches: 0,
        rip: RipCordStream::new(brief.raw().escalation.rip_cord.breaches, rip_cord_seconds(brief), MAX_LISTED_RIP_CORD),
        latest: None,
        late: false,
        backlog: Backlog::new(MAX_LISTED_AGING),
        malformed: 0,
        malformed_rows: Vec::new(),
        outside_range: 0,
        first: None,
        last: None,
        hours: [0; 24],
    };
    let mut clocks: Vec<PodClock<'_>> =
        pods.iter().map(|p| PodClock::new(p.calendar(), clock, p.sla_minutes())).collect();
    let now = options.now.as_second();
    let mut times = crate::replay::times::Times::new(tz);
    let (since, until) = (options.since.map(Timestamp::as_second), options.until.map(Timestamp::as_second));
    // An owner's name in lower case, for the owners' pods (reused: no allocation per row).
    let mut lower = String::new();
    for_each_checked(&mut rdr, &header, |_, line, rec| {
        let (rec, whole) = match rec {
            Ok(rec) => rec,
            Err(msg) => {
                t.malformed(line, Malformed::row(msg));
                return Ok(());
            }
        };
        // Slots borrow this row's record: on the stack for the usual handful of fields.
        let mut stack_slots: [Option<&str>; 32] = [None; 32];
        let mut heap_slots: Vec<Option<&str>> = Vec::new();
        let row_slots: &mut [Option<&str>] = if columns.routing.len() <= stack_slots.len() {
            &mut stack_slots[..columns.routing.len()]
        } else {
            heap_slots.resize(columns.routing.len(), None);
            &mut heap_slots[..]
        };
        let lead = match actuals::parse(rec, whole, &columns, &mut times, row_slots) {
            Ok(lead) => lead,
            Err(m) => {
                t.malformed(line, m);
                return Ok(());
            }
        };
        if since.is_some_and(|s| lead.created < s) || until.is_some_and(|u| lead.created >= u) {
            t.outside_range += 1;
            return Ok(());
        }
        let pod = match (lead.pod, columns.pod) {
            (Some(p), _) => match pod_ids.iter().position(|id| id == p || id.eq_ignore_ascii_case(p)) {
                Some(i) => Some(i),
                None => {
                    let col = columns.pod.unwrap_or(0);
                    let msg = format!("pod `{p}` is not a pod of the brief (expected one of {})", pod_ids.join(", "));
                    t.malformed(line, Malformed { column: col + 1, field: columns.names[col].clone(), message: msg });
                    return Ok(());
                }
            },
            (None, _) => lead
                .owner
                .and_then(|o| owners.get(lowercase_into(o, &mut lower)).copied())
                .or_else(|| router.route(row_slots, Some(lead.created)).pod),
        };
        let Some(pod) = pod else {
            let msg = "no pod: the `pod` column is blank and the brief's routing places the lead nowhere".to_owned();
            t.malformed(line, Malformed::row(msg));
            return Ok(());
        };
        let m = clocks[pod].measure(lead.created, lead.first_touch, now);
        t.pods[pod].add(&m, lead.accepted, lead.converted);
        if !m.open {
            t.after_hours[pod] += 1;
        }
        if let Some(owner) = lead.owner {
            if let Some(c) = t.reps[pod].get_mut(owner) {
                c.add(&m, lead.accepted, lead.converted);
            } else if t.rep_count < MAX_REPS {
                t.rep_count += 1;
                t.reps[pod].entry(owner.to_owned()).or_default().add(&m, lead.accepted, lead.converted);
            }
        }
        let (date, hour) = times.local(lead.created);
        let start = match t.last_window {
            Some((d, start)) if d == date => start,
            _ => options.window.start(date),
        };
        t.last_window = Some((date, start));
        let window = t.windows.entry(start).or_insert_with(|| {
            let end = options.window.end(start).to_datetime(jiff::civil::Time::midnight());
            t.live.insert(start, tz.to_timestamp(end).map_or(i64::MAX, Timestamp::as_second));
            WindowTally::default()
        });
        if window.done.is_some() {
            // Its times were dropped: the second pass keeps them.
            t.late = true;
        }
        window.counts.add(&m, lead.accepted, lead.converted);
        if let Ok(hour) = usize::try_from(hour)
            && let Some(h) = t.hours.get_mut(hour)
        {
            *h += 1;
        }
        t.first = Some(t.first.map_or(lead.created, |f| f.min(lead.created)));
        t.last = Some(t.last.map_or(lead.created, |l| l.max(lead.created)));
        if m.breached() {
            t.breaches += 1;
            t.rip.push(m.deadline, pod);
        }
        t.latest = Some(t.latest.map_or(lead.created, |l| l.max(lead.created)));
        if let (Some(slack), Some(latest)) = (slack, t.latest) {
            // Every row still to come is created at or after `mark` (else it is late), and due
            // no earlier than it was created.
            let mark = latest.saturating_sub(slack);
            t.rip.release_before(mark);
            t.close_windows(mark);
            t.late |= t.rip.late();
        }
        if m.outcome == measure::Outcome::Late {
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let waited_millis = (m.waited * 1000.0).round().max(0.0) as u64;
            t.backlog.offer(Aging {
                created: lead.created,
                line,
                pod,
                owner: lead.owner.map(str::to_owned),
                lead_id: lead.lead_id.map(str::to_owned),
                waited_millis,
            });
        }
        Ok(())
    })
    .with_context(|| format!("{source}: cannot read the actuals file"))?;
    t.late |= t.rip.late();
    Ok((t, columns, pod_ids))
}

/// `text.to_lowercase()`, written into `buf` (in place for ASCII text, where it is the ASCII
/// lower case).
fn lowercase_into<'b>(text: &str, buf: &'b mut String) -> &'b str {
    if text.is_ascii() {
        buf.clear();
        buf.push_str(text);
        buf.make_ascii_lowercase();
    } else {
        *buf = text.to_lowercase();
    }
    buf
}

/// The rip-cord's window in whole seconds of wall time.
fn rip_cord_seconds(brief: &checked::Brief) -> i64 {
    #[allow(clippy::cast_possible_truncation)]
    let seconds = (brief.rip_cord_window().calendar_minutes() * 60.0).round() as i64;
    seconds
}

fn finish(
    brief: &checked::Brief,
    design: &Design,
    options: &MonitorOptions,
    columns: &actuals::Columns,
    pod_ids: &[String],
    t: Tally,
    second_pass: bool,
) -> MonitorReport {
    let all = t.totals();
    let text = |s: i64| Timestamp::from_second(s).map(|t| t.to_string()).unwrap_or_default();
    let span_seconds = match (options.since, options.until, t.first, t.last) {
        (Some(s), Some(u), _, _) => u.as_second() - s.as_second(),
        (_, _, Some(f), Some(l)) => l - f,
        _ => 0,
    };
    // At least one day, so a file of one burst does not claim a weekly rate of thousands.
    #[allow(clippy::cast_precision_loss)]
    let weeks = span_seconds.max(86_400) as f64 / 604_800.0;
    #[allow(clippy::cast_precision_loss)]
    let per_week = |n: u64| n as f64 / weeks;
    let by_pod: Vec<PodActual> = pod_ids
        .iter()
        .enumerate()
        .map(|(i, id)| {
            let c = &t.pods[i];
            let d = design.pods.get(i);
            PodActual {
                pod: id.clone(),
                sla_minutes: brief.pods()[i].sla_minutes(),
                figures: Figures::of(c),
                predicted_attainment: d.and_then(|d| d.predicted_attainment),
                observed_per_week: per_week(c.leads),
                designed_per_week: d.map_or(0.0, |d| d.leads_per_week),
                after_hours_share: measure::share(t.after_hours[i], c.leads),
                designed_after_hours_share: d.map_or(0.0, |d| d.after_hours_share),
            }
        })
        .collect();
    let by_rep: Vec<RepActual> = t
        .reps
        .iter()
        .enumerate()
        .flat_map(|(pod, reps)| reps.iter().map(move |(rep, c)| (pod, rep, c)))
        .map(|(pod, rep, c)| {
            let pod = &pod;
            #[allow(clippy::cast_precision_loss)]
            let share = c.leads as f64 / t.pods[*pod].leads.max(1) as f64;
            RepActual {
                pod: pod_ids[*pod].clone(),
                rep: rep.clone(),
                figures: Figures::of(c),
                share,
                expected_share: design.pods.get(*pod).and_then(|d| d.expected_share(rep)),
            }
        })
        .collect();
    let windows = t
        .windows
        .iter()
        .map(|(start, w)| WindowActual {
            start: start.to_string(),
            end: options.window.end(*start).to_string(),
            figures: match w.done {
                Some((p50, p90)) => Figures::with_times(&w.counts, p50, p90),
                None => Figures::of(&w.counts),
            },
        })
        .collect();
    let notify = &brief.raw().escalation.rip_cord.notify;
    let (events, rip_cord_total) = t.rip.finish(pod_ids, notify);
    let aging = t
        .backlog
        .into_sorted()
        .into_iter()
        .map(|a| AgingLead {
            line: a.line,
            lead_id: a.lead_id,
            pod: pod_ids[a.pod].clone(),
            owner: a.owner,
            created_at: text(a.created),
            #[allow(clippy::cast_precision_loss)]
            waited_minutes: a.waited_millis as f64 / 1000.0,
        })
        .collect();
    let mut hours: Vec<(u8, u64)> =
        t.hours.iter().enumerate().filter(|(_, n)| **n > 0).map(|(h, n)| (u8::try_from(h).unwrap_or(0), *n)).collect();
    hours.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    hours.truncate(3);
    let metrics = &brief.raw().success_metrics;
    let totals = Figures::of(&all);
    let acceptance = columns
        .accepted_at
        .map(|_| (measure::share(totals.accepted, totals.leads).unwrap_or(0.0), metrics.acceptance_rate));
    let conversion = columns
        .converted
        .map(|_| (measure::share(totals.converted, totals.leads).unwrap_or(0.0), metrics.conversion_lift));
    let after_hours = measure::share(t.after_hours.iter().sum(), totals.leads);
    let mut report = MonitorReport {
        now: options.now.to_string(),
        window: options.window,
        clock: brief.clock(),
        sla_minutes: brief.sla_minutes(),
        target: brief.sla_attainment().get(),
        predicted_attainment: design.overall(),
        totals,
        by_pod,
        by_rep,
        windows,
        breaches: t.breaches,
        rip_cord_total,
        rip_cord: events,
        aging,
        malformed: t.malformed,
        second_pass,
        malformed_rows: t.malformed_rows,
        outside_range: t.outside_range,
        span: t.first.zip(t.last).map(|(f, l)| (text(f), text(l))),
        observed_per_week: per_week(all.leads),
        designed_per_week: brief.leads_per_week(),
        after_hours_share: after_hours,
        designed_after_hours_share: brief.after_hours_share().map(checked::Share::get),
        busiest_hours: hours,
        acceptance,
        conversion,
        findings: Vec::new(),
    };
    report.findings = compare::findings(&report);
    report
}
