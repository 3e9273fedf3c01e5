//! `handoff route`: replay a lead export through the brief's routing, or write synthetic leads.
//!
//! Replay streams the CSV (one reused record; memory does not grow with the file), assigns every
//! well-formed row with the [`Router`], and reports totals per rule, pod and rep, fallbacks,
//! unrouted leads with reasons, and leads missing fields the rules read. A malformed row (ragged,
//! invalid UTF-8, an oversized field, an unreadable `created_at`) is counted with its line number
//! and skipped; the run goes on. A column the rules read that the header lacks stops the run
//! before any work.
//!
//! Leads stay open for the whole replay unless `--open-for` says how long a rep keeps one (see
//! [`crate::calc::routing::engine`]).
//!
//! With `created_at`, each pod's leads also stream through its SLA replay
//! ([`crate::calc::simulate::Replay`]) as they are routed, behind a reorder buffer of
//! [`REORDER_WINDOW`] leads; a pod whose times are further out of order is replayed from a
//! second pass over the file that keeps only its times, sorted.

use std::collections::{BTreeMap, VecDeque};
use std::fs::File;
use std::io::{self, Read, Write};

use anyhow::{Context, bail};
use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use serde_json::{Value, json};

use crate::brief::{Brief, SlaClock};
use crate::calc::calendar::BusinessCalendar;
use crate::calc::duration::Duration;
use crate::calc::routing::engine::Failure;
use crate::calc::routing::synth::Synthesizer;
use crate::calc::routing::{RoutePath, Router};
use crate::calc::simulate::{self, Clock};
use crate::calc::sla::productive_reps;
use crate::cli::{RouteArgs, RouteFormat};

/// Largest field accepted, in bytes; a longer one makes its row malformed.
pub const MAX_FIELD_BYTES: usize = 64 * 1024;

/// Most malformed rows listed individually (all are counted).
pub const MAX_LISTED_MALFORMED: usize = 100;

/// Run `handoff route`.
///
/// # Errors
/// The brief cannot be read or parsed, the leads file cannot be read, a column the rules read is
/// missing, or an output file cannot be written.
pub fn run(args: &RouteArgs) -> anyhow::Result<bool> {
    let brief = match crate::pipeline::load(&args.brief, crate::brief::yaml::DEFAULT_MAX_BYTES) {
        Ok(loaded) => loaded.brief,
        Err(diagnostics) => {
            for d in diagnostics {
                eprintln!("{}", d.one_line());
            }
            return Ok(false);
        }
    };
    let router = match Router::new(&brief) {
        Ok(r) => r,
        Err(issues) => {
            for i in issues {
                eprintln!("{}: error: {}: {}", args.brief.display(), i.pointer, i.message);
            }
            return Ok(false);
        }
    };
    if let Some(n) = args.synthesize {
        let out = args.out.as_deref().context("--synthesize needs --out FILE.csv")?;
        let synth = Synthesizer::new(&brief, n, args.seed).map_err(|issues| {
            anyhow::anyhow!(
                issues.into_iter().map(|i| format!("{}: {}", i.pointer, i.message)).collect::<Vec<_>>().join("; ")
            )
        })?;
        let covering = synth.covering();
        crate::output::write_streaming(out, |w| write_synthetic(synth, w))?;
        eprintln!(
            "wrote {n} leads to {} ({covering} covering every routing path, the rest drawn from the demand mix)",
            out.display()
        );
        return Ok(true);
    }
    let Some(leads) = args.leads.as_deref() else { bail!("give --leads FILE.csv or --synthesize N --out FILE.csv") };
    let open_for = match args.open_for.as_deref() {
        Some(text) => Some(duration_seconds(&Duration::parse(text)?)),
        None => None,
    };
    let router = router.with_open_for(open_for);
    let options = ReplayOptions { sla: !args.no_sla, seed: args.seed, replications: SLA_REPLICATIONS };
    let open = || File::open(leads).map(io::BufReader::new);
    let report = match args.assignments.as_deref() {
        Some(path) => {
            let mut result = None;
            crate::output::write_streaming(path, |w| {
                result = Some(replay(&brief, router, open, Some(w), &options)?);
                Ok(())
            })
            .with_context(|| format!("replaying {}", leads.display()))?;
            result.context("replay produced no report")?
        }
        None => replay(&brief, router, open, None::<&mut io::Sink>, &options)
            .with_context(|| format!("replaying {}", leads.display()))?,
    };
    let stdout = io::stdout();
    let mut out = stdout.lock();
    match args.format {
        RouteFormat::Json => writeln!(out, "{}", serde_json::to_string_pretty(&report.to_json())?)?,
        RouteFormat::Text => out.write_all(report.to_text(&leads.display().to_string()).as_bytes())?,
        RouteFormat::Csv => out.write_all(report.to_csv()?.as_bytes())?,
    }
    Ok(true)
}

fn duration_seconds(d: &Duration) -> i64 {
    i64::from(d.days) * 86_400 + i64::from(d.hours) * 3_600 + i64::from(d.minutes) * 60
}

/// Line breaks inside a record's fields (quoted newlines).
fn newlines(rec: &csv::ByteRecord) -> u64 {
    rec.as_slice().iter().filter(|b| **b == b'\n').count() as u64
}

fn write_synthetic<W: Write>(synth: Synthesizer, w: &mut W) -> anyhow::Result<()> {
    let mut csv = csv::Writer::from_writer(w);
    csv.write_record(synth.columns())?;
    for row in synth {
        csv.write_record(&row)?;
    }
    csv.flush()?;
    Ok(())
}

/// Parse `created_at`: RFC 3339 (with offset), or `YYYY-MM-DD HH:MM[:SS]` in `tz`.
#[must_use]
pub fn parse_created_at(text: &str, tz: &TimeZone) -> Option<i64> {
    let t = text.trim();
    if let Ok(ts) = t.parse::<jiff::Timestamp>() {
        return Some(ts.as_second());
    }
    // A civil time needs at least `YYYY-MM-DD HH:MM`; a bare date is not an arrival time.
    if t.len() < 16 {
        return None;
    }
    let dt: DateTime = t.parse().ok()?;
    tz.to_ambiguous_timestamp(dt).compatible().ok().map(jiff::Timestamp::as_second)
}

/// Counts for one rule (or for "no rule matched").
#[derive(Debug, Clone, Copy, Default)]
struct PathCounts {
    primary: u64,
    rule_fallback: u64,
    fallback: u64,
    unrouted: u64,
}

/// How to replay.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReplayOptions {
    /// Replay the SLA per pod from `created_at` (keeps one timestamp per routed lead).
    pub sla: bool,
    /// Seed for the simulated work times of the SLA replay.
    pub seed: u64,
    /// Replications of the SLA replay (for its confidence interval).
    pub replications: u32,
}

impl Default for ReplayOptions {
    fn default() -> Self {
        Self { sla: true, seed: 1, replications: SLA_REPLICATIONS }
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
    /// Unrouted leads by reason.
    pub unrouted_reasons: BTreeMap<String, u64>,
    /// Per rule id (and `fallback` for no rule matched): primary, rule fallback, routing
    /// fallback, unrouted.
    pub by_rule: Vec<(String, [u64; 4])>,
    /// Per pod: leads, of which in the pod's queue.
    pub by_pod: Vec<(String, u64, u64)>,
    /// Per pod, per rep: leads.
    pub by_rep: Vec<(String, Vec<(String, u64)>)>,
    /// Per field the rules read: leads where it is empty.
    pub missing_fields: Vec<(String, u64)>,
    /// Leads missing at least one field the rules read.
    pub leads_missing_fields: u64,
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
    /// SLA replay per pod (in the brief's pod order), when `created_at` is present and the
    /// replay was asked for.
    pub sla: Option<Vec<PodSlaReplay>>,
}

/// Replay a CSV of leads through the router, optionally writing one assignment row per row.
///
/// `open` opens the file. It is called once, and a second time only when the SLA replay is on
/// and some pod's `created_at` times are out of order beyond [`REORDER_WINDOW`]: that pass
/// routes the file again from the same starting state and keeps only those pods' arrival
/// times, to sort them.
///
/// # Errors
/// The file cannot be opened, its header cannot be read or lacks a column the rules read
/// (before any row is routed), or reading or writing fails.
pub fn replay<R: Read, W: Write>(
    brief: &Brief,
    mut router: Router,
    mut open: impl FnMut() -> io::Result<R>,
    assignments: Option<&mut W>,
    options: &ReplayOptions,
) -> anyhow::Result<ReplayReport> {
    let tz = TimeZone::get(&brief.timezone).with_context(|| format!("time zone `{}`", brief.timezone))?;
    let mut rdr = leads_reader(open().context("cannot open the leads file")?);
    let columns = read_header(&mut rdr, &router)?;
    // The SLA replay streams each pod's arrivals in time order (see `PodStream`); a copy of the
    // router's starting state allows a second pass for a file out of order.
    let keep_arrivals = options.sla && columns.created_at.is_some();
    let pristine = keep_arrivals.then(|| router.clone());
    let mut streams: Vec<PodStream> = if keep_arrivals {
        brief.capacity.pods.iter().map(|pod| PodStream::new(brief, pod, options)).collect()
    } else {
        Vec::new()
    };
    let n_rules = router.rule_count();
    let mut by_rule = vec![PathCounts::default(); n_rules + 1];
    let mut by_pod = vec![(0u64, 0u64); router.pods().len()];
    let mut by_rep: Vec<Vec<u64>> = router.pods().iter().map(|p| vec![0; p.reps.len()]).collect();
    let mut missing_counts = vec![0u64; columns.fields.len()];
    let mut unrouted: BTreeMap<Failure, u64> = BTreeMap::new();
    let mut report = ReplayReport {
        total: 0,
        routed: 0,
        fallback: 0,
        unrouted: 0,
        unrouted_reasons: BTreeMap::new(),
        by_rule: Vec::new(),
        by_pod: Vec::new(),
        by_rep: Vec::new(),
        missing_fields: Vec::new(),
        leads_missing_fields: 0,
        malformed: 0,
        malformed_rows: Vec::new(),
        has_created_at: columns.created_at.is_some(),
        created_at_out_of_order: 0,
        open_for: router.open_for(),
        sla: None,
    };
    let mut latest: Option<i64> = None;
    let mut out = assignments.map(csv::Writer::from_writer);
    if let Some(w) = out.as_mut() {
        w.write_record(["row", "line", "rule", "path", "pod", "rep", "reason"])?;
    }
    for_each_row(&mut rdr, &columns, &tz, |row, line, item| {
        let (slots, at) = match item {
            Row::Malformed(msg) => return note_malformed(&mut report, out.as_mut(), row, line, &msg),
            Row::Lead { slots, at } => (slots, at),
        };
        let mut any_missing = false;
        for (count, slot) in missing_counts.iter_mut().zip(slots) {
            if slot.is_none() {
                *count += 1;
                any_missing = true;
            }
        }
        report.leads_missing_fields += u64::from(any_missing);
        if let Some(t) = at {
            if latest.is_some_and(|l| t < l) {
                report.created_at_out_of_order += 1;
            } else {
                latest = Some(t);
            }
        }
        let a = router.route(slots, at);
        report.total += 1;
        let counts = &mut by_rule[a.rule.unwrap_or(n_rules)];
        match a.path {
            RoutePath::Primary => {
                report.routed += 1;
                counts.primary += 1;
            }
            RoutePath::RuleFallback => {
                report.fallback += 1;
                counts.rule_fallback += 1;
            }
            RoutePath::RoutingFallback => {
                report.fallback += 1;
                counts.fallback += 1;
            }
            RoutePath::Unrouted => {
                report.unrouted += 1;
                counts.unrouted += 1;
                if let Some(f) = a.fallback_failure {
                    *unrouted.entry(f).or_default() += 1;
                }
            }
        }
        if let Some(p) = a.pod {
            by_pod[p].0 += 1;
            if let (Some(stream), Some(t)) = (streams.get_mut(p), at) {
                stream.push(t);
            }
            match a.rep {
                Some(r) => by_rep[p][r] += 1,
                None => by_pod[p].1 += 1,
            }
        }
        if let Some(w) = out.as_mut() {
            let pod = a.pod.map_or("", |p| router.pods()[p].id.as_str());
            let rep = a.pod.zip(a.rep).map_or("", |(p, r)| router.pods()[p].reps[r].name.as_str());
            w.write_record([
                row.to_string().as_str(),
                line.to_string().as_str(),
                router.rule_id(a.rule),
                a.path.as_str(),
                pod,
                rep,
                router.reason(&a).as_str(),
            ])?;
        }
        Ok(())
    })?;
    if let Some(mut w) = out {
        w.flush()?;
    }
    let ids: Vec<String> = router.rule_ids().map(str::to_owned).chain(std::iter::once("fallback".to_owned())).collect();
    report.by_rule = ids
        .into_iter()
        .zip(by_rule)
        .map(|(id, c)| (id, [c.primary, c.rule_fallback, c.fallback, c.unrouted]))
        .collect();
    report.by_pod = router.pods().iter().zip(&by_pod).map(|(p, &(n, q))| (p.id.clone(), n, q)).collect();
    report.by_rep = router
        .pods()
        .iter()
        .zip(by_rep)
        .map(|(p, counts)| (p.id.clone(), p.reps.iter().map(|r| r.name.clone()).zip(counts).collect()))
        .collect();
    report.missing_fields = router.fields().iter().cloned().zip(missing_counts).collect();
    report.unrouted_reasons = unrouted.into_iter().map(|(f, n)| (router.failure_text(f), n)).collect();
    if let Some(router) = pristine {
        if streams.iter().any(PodStream::out_of_order) {
            second_pass(&mut streams, router, leads_reader(open().context("cannot reopen the leads file")?), &tz)?;
        }
        report.sla = Some(streams.into_iter().map(PodStream::finish).collect());
    }
    Ok(report)
}

/// Route the file again from the router's starting state, collect the arrival times of the
/// pods whose times came out of order, sort them, and replay those pods from the start.
fn second_pass<R: Read>(
    streams: &mut [PodStream],
    mut router: Router,
    mut rdr: csv::Reader<R>,
    tz: &TimeZone,
) -> anyhow::Result<()> {
    let columns = read_header(&mut rdr, &router)?;
    let mut times: Vec<Option<Vec<i64>>> = streams.iter().map(|s| s.out_of_order().then(Vec::new)).collect();
    for_each_row(&mut rdr, &columns, tz, |_, _, item| {
        if let Row::Lead { slots, at } = item {
            // Every lead is routed, as in the first pass, so the router's state evolves alike.
            let a = router.route(slots, at);
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

/// Where the columns of a leads file are.
struct Columns {
    /// The header's names, trimmed (a byte-order mark dropped).
    header: Vec<String>,
    /// Column of each field the rules read, in the router's field order.
    fields: Vec<usize>,
    /// Column of `created_at`, when present.
    created_at: Option<usize>,
    /// Line breaks inside the header's quoted fields.
    header_breaks: u64,
}

fn leads_reader<R: Read>(input: R) -> csv::Reader<R> {
    csv::ReaderBuilder::new().flexible(true).has_headers(false).from_reader(input)
}

/// Read the header row and find the columns the rules read; a missing one is an error before
/// any row is routed.
fn read_header<R: Read>(rdr: &mut csv::Reader<R>, router: &Router) -> anyhow::Result<Columns> {
    let mut rec = csv::ByteRecord::new();
    if !rdr.read_byte_record(&mut rec).context("cannot read the header row")? {
        bail!("the file is empty: expected a header row naming the lead fields");
    }
    let header: Vec<String> = rec
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let f = if i == 0 { f.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(f) } else { f };
            String::from_utf8_lossy(f).trim().to_owned()
        })
        .collect();
    let find = |name: &str| {
        header.iter().position(|h| h == name).or_else(|| header.iter().position(|h| h.eq_ignore_ascii_case(name)))
    };
    let columns: Vec<Option<usize>> = router.fields().iter().map(|f| find(f)).collect();
    let missing: Vec<&str> =
        router.fields().iter().zip(&columns).filter(|(_, c)| c.is_none()).map(|(f, _)| f.as_str()).collect();
    if !missing.is_empty() {
        bail!(
            "missing column{} {} that the routing rules read; the header has: {}",
            if missing.len() == 1 { "" } else { "s" },
            missing.iter().map(|m| format!("`{m}`")).collect::<Vec<_>>().join(", "),
            header.join(", ")
        );
    }
    let created_at = find("created_at");
    Ok(Columns { fields: columns.into_iter().flatten().collect(), created_at, header_breaks: newlines(&rec), header })
}

/// One data row as [`for_each_row`] hands it over.
enum Row<'a> {
    /// A well-formed lead: the fields the rules read (trimmed; `None` when empty) and its
    /// arrival (seconds since the epoch) when it has one.
    Lead { slots: &'a [Option<&'a str>], at: Option<i64> },
    /// A row that cannot be routed, and why.
    Malformed(String),
}

/// Read every data row after the header, handing `each` its 1-based row number, the line an
/// editor shows for it, and the row. One record is reused: memory does not grow with the file.
fn for_each_row<R: Read>(
    rdr: &mut csv::Reader<R>,
    columns: &Columns,
    tz: &TimeZone,
    mut each: impl FnMut(u64, u64, Row<'_>) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let header = &columns.header;
    let mut rec = csv::ByteRecord::new();
    let mut row: u64 = 0;
    // The csv crate counts records' line breaks, not those inside quoted fields; adding the
    // latter gives the line an editor shows.
    let mut embedded_breaks = columns.header_breaks;
    loop {
        match rdr.read_byte_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => return Ok(()),
            Err(e) => match e.kind() {
                csv::ErrorKind::Io(_) => return Err(e).context("cannot read the leads file"),
                _ => {
                    row += 1;
                    let line = e.position().map_or(0, csv::Position::line) + embedded_breaks;
                    each(row, line, Row::Malformed(e.to_string()))?;
                    continue;
                }
            },
        }
        row += 1;
        let line = rec.position().map_or(0, csv::Position::line) + embedded_breaks;
        embedded_breaks += newlines(&rec);
        if rec.len() != header.len() {
            each(row, line, Row::Malformed(format!("row has {} fields, the header has {}", rec.len(), header.len())))?;
            continue;
        }
        if std::str::from_utf8(rec.as_slice()).is_err() {
            each(row, line, Row::Malformed("row is not valid UTF-8".to_owned()))?;
            continue;
        }
        if let Some((i, f)) = rec.iter().enumerate().find(|(_, f)| f.len() > MAX_FIELD_BYTES) {
            let msg = format!("field `{}` is {} bytes (limit {MAX_FIELD_BYTES})", header[i], f.len());
            each(row, line, Row::Malformed(msg))?;
            continue;
        }
        let text = |i: usize| rec.get(i).and_then(|b| std::str::from_utf8(b).ok());
        let at = match columns.created_at.and_then(text).map(str::trim).filter(|t| !t.is_empty()) {
            None => None,
            Some(t) => match parse_created_at(t, tz) {
                Some(s) => Some(s),
                None => {
                    let msg = format!("`created_at` `{t}` is not RFC 3339 or `YYYY-MM-DD HH:MM[:SS]`");
                    each(row, line, Row::Malformed(msg))?;
                    continue;
                }
            },
        };
        // Slots borrow this row's record: on the stack for the usual handful of fields.
        let mut stack_slots: [Option<&str>; 32] = [None; 32];
        let mut heap_slots: Vec<Option<&str>> = Vec::new();
        let slots: &mut [Option<&str>] = if columns.fields.len() <= stack_slots.len() {
            &mut stack_slots[..columns.fields.len()]
        } else {
            heap_slots.resize(columns.fields.len(), None);
            &mut heap_slots[..]
        };
        for (slot, &col) in slots.iter_mut().zip(&columns.fields) {
            *slot = text(col).map(str::trim).filter(|v| !v.is_empty());
        }
        each(row, line, Row::Lead { slots, at })?;
    }
}

/// Leads a pod's SLA replay holds back to put slightly out-of-order `created_at` times in
/// order (8 bytes each). Times further out of order than this send the pod to a second pass.
pub const REORDER_WINDOW: usize = 16_384;

/// One pod's SLA replay as the rows stream past: a bounded reorder buffer in front of the
/// streaming [`simulate::Replay`].
struct PodStream {
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
    fn start(&self) -> Stage {
        match simulate::Replay::new(self.calendar.clone(), &self.replay) {
            Ok(r) => Stage::Streaming(Box::new(r)),
            Err(e) => Stage::Failed(e.to_string()),
        }
    }
}

impl PodStream {
    fn new(brief: &Brief, pod: &crate::brief::Pod, options: &ReplayOptions) -> Self {
        let (setup, state) = match pod_setup(brief, pod, options) {
            Ok(setup) => {
                let state = setup.start();
                (Some(setup), state)
            }
            Err(e) => (None, Stage::Failed(e)),
        };
        Self {
            pod: pod.id.clone(),
            leads: 0,
            setup,
            state,
            pending: VecDeque::new(),
            released: None,
            second_pass: false,
        }
    }

    fn out_of_order(&self) -> bool {
        matches!(self.state, Stage::OutOfOrder)
    }

    fn push(&mut self, t: i64) {
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

    fn finish(mut self) -> PodSlaReplay {
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
fn pod_setup(brief: &Brief, pod: &crate::brief::Pod, options: &ReplayOptions) -> Result<PodSetup, String> {
    let hours = pod.business_hours.as_ref().unwrap_or(&brief.business_hours);
    let zone = pod.timezone.as_deref().unwrap_or(&brief.timezone);
    let holidays = pod.holidays.as_ref().unwrap_or(&brief.holidays);
    // The same calendar and shrinkage the design's SLA tables use.
    let calendar = crate::model::calendar_of(zone, hours, holidays, "").map_err(|e| format!("{e:#}"))?;
    // Only the reps who can take leads, as the router and the design's SLA tables count them.
    let available = crate::model::available_reps(&pod.reps);
    let shrinkage = crate::model::shrinkage(pod);
    if !(0.0..1.0).contains(&shrinkage) {
        return Err(format!("shrinkage {shrinkage} is not a share from 0 up to 1"));
    }
    let productive = productive_reps(available, shrinkage);
    if productive == 0 {
        return Err("no productive reps (none available after shrinkage)".to_owned());
    }
    let sla = Duration::parse(&brief.response_sla).map_err(|e| e.to_string())?;
    let (clock, sla_minutes) = match brief.sla_clock {
        SlaClock::Business => (Clock::Business, sla.in_minutes(calendar.open_minutes_per_day())),
        SlaClock::Calendar => (Clock::Calendar, sla.calendar_minutes()),
    };
    let patience = match pod.patience.as_deref() {
        Some(p) => Some(Duration::parse(p).map_err(|e| e.to_string())?.calendar_minutes()),
        None => None,
    };
    Ok(PodSetup {
        calendar,
        replay: simulate::ReplaySetup {
            touch_minutes: pod.touch_minutes,
            reps: productive,
            sla_minutes,
            clock,
            patience_minutes: patience,
            seed: options.seed,
            replications: options.replications.max(1),
        },
        target: brief.success_metrics.sla_attainment,
    })
}

/// Sort every object's keys (serde_json keeps insertion order under `preserve_order`).
fn sorted(v: Value) -> Value {
    match v {
        Value::Object(map) => {
            let mut entries: Vec<(String, Value)> = map.into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            Value::Object(entries.into_iter().map(|(k, v)| (k, sorted(v))).collect())
        }
        Value::Array(items) => Value::Array(items.into_iter().map(sorted).collect()),
        other => other,
    }
}

fn note_malformed<W: Write>(
    report: &mut ReplayReport,
    out: Option<&mut csv::Writer<W>>,
    row: u64,
    line: u64,
    msg: &str,
) -> anyhow::Result<()> {
    report.malformed += 1;
    if report.malformed_rows.len() < MAX_LISTED_MALFORMED {
        report.malformed_rows.push((line, msg.to_owned()));
    }
    if let Some(w) = out {
        w.write_record([row.to_string().as_str(), line.to_string().as_str(), "", "malformed", "", "", msg])?;
    }
    Ok(())
}

impl ReplayReport {
    /// The report as one JSON object (keys sorted).
    #[must_use]
    pub fn to_json(&self) -> Value {
        let mut by_rule = BTreeMap::new();
        for (id, c) in &self.by_rule {
            by_rule.insert(
                id.clone(),
                json!({"leads": c.iter().sum::<u64>(), "primary": c[0], "rule_fallback": c[1], "fallback": c[2], "unrouted": c[3]}),
            );
        }
        let by_pod: BTreeMap<&str, Value> =
            self.by_pod.iter().map(|(p, n, q)| (p.as_str(), json!({"leads": n, "queue": q}))).collect();
        let by_rep: BTreeMap<&str, BTreeMap<&str, u64>> = self
            .by_rep
            .iter()
            .map(|(p, reps)| (p.as_str(), reps.iter().map(|(r, n)| (r.as_str(), *n)).collect()))
            .collect();
        let missing: BTreeMap<&str, u64> = self.missing_fields.iter().map(|(f, n)| (f.as_str(), *n)).collect();
        let malformed_rows: Vec<Value> =
            self.malformed_rows.iter().map(|(line, msg)| json!({"line": line, "message": msg})).collect();
        let mut obj = serde_json::Map::new();
        obj.insert("by_pod".into(), json!(by_pod));
        obj.insert("by_rep".into(), json!(by_rep));
        obj.insert("by_rule".into(), json!(by_rule));
        obj.insert("created_at_out_of_order".into(), json!(self.created_at_out_of_order));
        obj.insert("fallback".into(), json!(self.fallback));
        obj.insert("leads_missing_fields".into(), json!(self.leads_missing_fields));
        obj.insert("malformed".into(), json!({"count": self.malformed, "rows": malformed_rows}));
        obj.insert("missing_fields".into(), json!(missing));
        obj.insert("routed".into(), json!(self.routed));
        obj.insert(
            "sla".into(),
            match &self.sla {
                None => Value::Null,
                Some(pods) => Value::Object(
                    pods.iter()
                        .map(|p| {
                            let v = match &p.result {
                                Ok(f) => json!({
                                    "leads": p.leads,
                                    "productive_reps": f.productive_reps,
                                    "sla_minutes": f.sla_minutes,
                                    "attainment": f.attainment,
                                    "attainment_half_width": f.attainment_half_width,
                                    "cold_share": f.cold_share,
                                    "after_hours_share": f.after_hours_share,
                                    "p90_wait_minutes": f.p90_wait_minutes,
                                    "target": f.target,
                                    "meets_target": f.attainment >= f.target,
                                    "second_pass": p.second_pass,
                                }),
                                Err(e) => json!({"leads": p.leads, "error": e, "second_pass": p.second_pass}),
                            };
                            (p.pod.clone(), v)
                        })
                        .collect(),
                ),
            },
        );
        obj.insert("total".into(), json!(self.total));
        obj.insert("unrouted".into(), json!(self.unrouted));
        obj.insert("unrouted_reasons".into(), json!(self.unrouted_reasons));
        sorted(Value::Object(obj))
    }

    /// The report as readable text.
    #[must_use]
    pub fn to_text(&self, source: &str) -> String {
        use std::fmt::Write as _;
        let mut s = String::new();
        let pct = |n: u64| if self.total == 0 { 0.0 } else { 100.0 * n as f64 / self.total as f64 };
        let _ = writeln!(s, "{} leads replayed from {source}", self.total);
        let _ = writeln!(s, "  routed by their rule   {:>9}  {:5.1}%", self.routed, pct(self.routed));
        let _ = writeln!(s, "  placed by a fallback   {:>9}  {:5.1}%", self.fallback, pct(self.fallback));
        let _ = writeln!(s, "  unrouted               {:>9}  {:5.1}%", self.unrouted, pct(self.unrouted));
        for (reason, n) in &self.unrouted_reasons {
            let _ = writeln!(s, "    {n:>9}  {reason}");
        }
        let _ = writeln!(s, "\nBy rule (primary / rule fallback / routing fallback / unrouted):");
        for (id, c) in &self.by_rule {
            let _ = writeln!(s, "  {id:<24} {:>9} {:>9} {:>9} {:>9}", c[0], c[1], c[2], c[3]);
        }
        let _ = writeln!(s, "\nBy pod and rep:");
        for ((pod, n, q), (_, reps)) in self.by_pod.iter().zip(&self.by_rep) {
            let _ = writeln!(
                s,
                "  {pod:<24} {n:>9}{}",
                if *q > 0 { format!("  ({q} in the pod queue)") } else { String::new() }
            );
            for (rep, n) in reps {
                let _ = writeln!(s, "    {rep:<22} {n:>9}");
            }
        }
        if self.created_at_out_of_order > 0 {
            let _ = writeln!(
                s,
                "\n{} rows have a `created_at` earlier than a row above them: routing takes rows in file order{}",
                self.created_at_out_of_order,
                if self.open_for.is_some() {
                    ", so `--open-for` saw time run backwards and kept their leads open; sort the export oldest first"
                } else {
                    ""
                }
            );
        }
        let _ = writeln!(s, "\nLeads missing fields the rules read: {}", self.leads_missing_fields);
        for (f, n) in &self.missing_fields {
            let _ = writeln!(s, "  {f:<24} {n:>9}");
        }
        if self.malformed > 0 {
            let _ = writeln!(s, "\nMalformed rows skipped: {}", self.malformed);
            for (line, msg) in &self.malformed_rows {
                let _ = writeln!(s, "  line {line}: {msg}");
            }
            if self.malformed as usize > self.malformed_rows.len() {
                let _ = writeln!(s, "  … and {} more", self.malformed as usize - self.malformed_rows.len());
            }
        }
        match &self.sla {
            Some(pods) => {
                let _ = writeln!(s, "\nSLA replayed from `created_at` (share touched within the SLA, per pod):");
                for p in pods {
                    match &p.result {
                        Ok(f) => {
                            let _ = writeln!(
                                s,
                                "  {:<24} {:>9} leads  {:5.1}% ± {:.1}  target {:.0}%{}  p90 wait {:.0} min  after hours {:.0}%",
                                p.pod,
                                p.leads,
                                100.0 * f.attainment,
                                100.0 * f.attainment_half_width,
                                100.0 * f.target,
                                if f.attainment >= f.target { "" } else { " (missed)" },
                                f.p90_wait_minutes,
                                100.0 * f.after_hours_share,
                            );
                        }
                        Err(e) => {
                            let _ = writeln!(s, "  {:<24} {:>9} leads  not replayed: {e}", p.pod, p.leads);
                        }
                    }
                }
                let resorted: Vec<&str> = pods.iter().filter(|p| p.second_pass).map(|p| p.pod.as_str()).collect();
                if !resorted.is_empty() {
                    let _ = writeln!(
                        s,
                        "  (`created_at` out of time order for {}: read the file twice to sort their times; \
                         an export sorted oldest first is replayed in one pass)",
                        resorted.join(", ")
                    );
                }
            }
            None if !self.has_created_at => {
                let _ = writeln!(s, "\nNo `created_at` column: SLA replay skipped.");
            }
            None => {}
        }
        s
    }

    /// The report as CSV rows: `section,key,detail,value`.
    ///
    /// # Errors
    /// Never in practice (writing to memory).
    pub fn to_csv(&self) -> anyhow::Result<String> {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(["section", "key", "detail", "value"])?;
        for (k, v) in [
            ("total", self.total),
            ("routed", self.routed),
            ("fallback", self.fallback),
            ("unrouted", self.unrouted),
            ("created_at_out_of_order", self.created_at_out_of_order),
        ] {
            w.write_record(["summary", k, "", &v.to_string()])?;
        }
        for (id, c) in &self.by_rule {
            for (name, v) in ["primary", "rule_fallback", "fallback", "unrouted"].iter().zip(c) {
                w.write_record(["rule", id, name, &v.to_string()])?;
            }
        }
        for (pod, n, q) in &self.by_pod {
            w.write_record(["pod", pod, "leads", &n.to_string()])?;
            w.write_record(["pod", pod, "queue", &q.to_string()])?;
        }
        for (pod, reps) in &self.by_rep {
            for (rep, n) in reps {
                w.write_record(["rep", pod, rep, &n.to_string()])?;
            }
        }
        for (reason, n) in &self.unrouted_reasons {
            w.write_record(["unrouted", reason, "", &n.to_string()])?;
        }
        for (f, n) in &self.missing_fields {
            w.write_record(["missing_field", f, "", &n.to_string()])?;
        }
        for (line, msg) in &self.malformed_rows {
            w.write_record(["malformed", &line.to_string(), msg, "1"])?;
        }
        for p in self.sla.iter().flatten() {
            match &p.result {
                Ok(f) => {
                    w.write_record(["sla", &p.pod, "leads", &p.leads.to_string()])?;
                    w.write_record(["sla", &p.pod, "attainment", &f.attainment.to_string()])?;
                    w.write_record(["sla", &p.pod, "p90_wait_minutes", &f.p90_wait_minutes.to_string()])?;
                }
                Err(e) => w.write_record(["sla", &p.pod, "error", e])?,
            }
        }
        Ok(String::from_utf8(w.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?)?)
    }
}
