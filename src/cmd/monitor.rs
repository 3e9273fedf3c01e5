//! `handoff monitor`: measure an export of actual first touches against the brief's design.
//!
//! The measuring is [`crate::monitor`]; the prediction is the Model `build` renders
//! ([`crate::pipeline`]); the formats are [`crate::render::monitor`]. This command parses the
//! arguments, opens the export, prints or writes (through [`crate::output`]) the chosen format,
//! and applies the `--fail-under` gate.

use std::fs::File;
use std::io::{self, Write};

use anyhow::{Context as _, bail};
use jiff::Timestamp;
use jiff::tz::TimeZone;

use crate::cli::{MonitorArgs, MonitorFormat, PresetArg, WindowArg};
use crate::monitor::{Design, MonitorOptions, Preset, Window, monitor, parse_mappings};
use crate::pipeline::{self, display_path};
use crate::render::monitor as view;

/// Run `handoff monitor`.
///
/// # Errors
/// The brief or the export cannot be read, a flag does not parse, a column is missing, or the
/// output file cannot be written.
pub(super) fn run(args: &MonitorArgs) -> anyhow::Result<bool> {
    let loaded = match pipeline::load(&args.brief, crate::brief::yaml::DEFAULT_MAX_BYTES) {
        Ok(loaded) => loaded,
        Err(diagnostics) => {
            for d in diagnostics {
                eprintln!("{}", d.one_line());
            }
            return Ok(false);
        }
    };
    let checked = &loaded.checked;
    let tz = checked.time_zone();
    let now = pipeline::build_time(args.now.as_deref())?;
    let since = args.since.as_deref().map(|t| bound("--since", t, tz, false)).transpose()?;
    let until = args.until.as_deref().map(|t| bound("--until", t, tz, true)).transpose()?;
    if let Some(share) = args.fail_under
        && !(0.0..=1.0).contains(&share)
    {
        bail!("--fail-under {share}: expected a share from 0 to 1, such as 0.85");
    }
    let pods: Vec<&str> = loaded.brief.capacity.pods.iter().map(|p| p.id.as_str()).collect();
    if let Some(pod) = args.pod.as_deref()
        && !pods.contains(&pod)
    {
        bail!("--pod `{pod}` is not a pod of {} (expected one of {})", args.brief.display(), pods.join(", "));
    }
    let source = display_path(&args.actuals);
    let options = MonitorOptions {
        columns: parse_mappings(&args.columns)?,
        preset: args.preset.map(|p| match p {
            PresetArg::Salesforce => Preset::Salesforce,
            PresetArg::Hubspot => Preset::Hubspot,
        }),
        now,
        since,
        until,
        window: match args.window {
            WindowArg::Day => Window::Day,
            WindowArg::Week => Window::Week,
            WindowArg::Month => Window::Month,
        },
        source: source.clone(),
    };
    let design = Design::from_model(&pipeline::model(&loaded, now));
    let mut open = || File::open(&args.actuals).map(io::BufReader::new);
    let report = monitor(checked, &design, &mut open, &options)?;
    let title = &loaded.brief.title;
    let body = match args.format {
        MonitorFormat::Text => view::text(&report, title, &source),
        MonitorFormat::Json => format!("{}\n", serde_json::to_string_pretty(&view::json(&report))?),
        MonitorFormat::Markdown => view::markdown(&report, title, &source),
        MonitorFormat::Html => view::html(&report, title, &source),
    };
    match args.out.as_deref() {
        Some(path) => crate::output::write_atomic(path, body.as_bytes())?,
        None => io::stdout().lock().write_all(body.as_bytes())?,
    }
    let Some(share) = args.fail_under else { return Ok(true) };
    let attainment = match args.pod.as_deref() {
        Some(pod) => report.by_pod.iter().find(|p| p.pod == pod).and_then(|p| p.figures.attainment),
        None => report.totals.attainment,
    };
    let passed = attainment.is_some_and(|a| a >= share);
    if !passed {
        eprintln!("{}", view::gate_failed(args.pod.as_deref(), attainment, share));
    }
    Ok(passed)
}

/// A `--since`/`--until` bound: an RFC 3339 time as given, or a date in the brief's zone (its
/// start for `--since`; the start of the next day for `--until`, so the date is included).
fn bound(flag: &str, text: &str, tz: &TimeZone, inclusive_end: bool) -> anyhow::Result<Timestamp> {
    if let Ok(ts) = text.parse::<Timestamp>() {
        return Ok(ts);
    }
    let parsed: Result<jiff::civil::Date, _> = text.parse();
    let Ok(date) = parsed else {
        bail!("{flag} `{text}`: expected a date (YYYY-MM-DD) or an RFC 3339 time such as 2027-03-01T09:00:00Z")
    };
    let day =
        if inclusive_end { date.tomorrow().with_context(|| format!("{flag} `{text}`: out of range"))? } else { date };
    tz.to_timestamp(day.to_datetime(jiff::civil::Time::midnight()))
        .with_context(|| format!("{flag} `{text}`: out of range"))
}
