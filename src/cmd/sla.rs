//! `handoff sla`: the SLA calculator on its own.
//!
//! Checks the flags (every nonsense value is an error naming the flag and what it expects),
//! runs the queue calculator once for the team as given and once to find the head count the
//! target needs, and prints either a readable table or one JSON object.
//!
//! The queue here is stationary (no calendar), so a day in `--sla` or `--patience` is 24 hours.
//! JSON keys, in order: `traffic_erlangs`, `reps`, `productive_reps`, `stable`, `occupancy`,
//! `wait_probability`, `service_level`, `average_wait_minutes`, `p50_wait_minutes`,
//! `p90_wait_minutes`, `p95_wait_minutes`, then `abandon_probability` with `--patience`, then
//! `required_productive_reps` and `required_reps`. Shares are fractions, times minutes. For an
//! unstable pod without `--patience` (`stable: false`) the wait-based fields are `null`;
//! `occupancy` is then the offered load per rep (above 1), and `null` with no productive reps.
//! The required fields are `null` when no head count up to ten million reaches the target.

use anyhow::{Context, bail};
use serde_json::{Map, Value};
use std::io::Write as _;

use crate::calc::duration::Duration;
use crate::calc::sla::reps_for_productive;
use crate::calc::sla::{QueueInput, QueueMetrics, productive_reps, queue_metrics, required_productive_reps};
use crate::cli::{SlaArgs, TextOrJson};

/// Run `handoff sla`.
///
/// # Errors
/// A flag with a value outside its domain (negative or non-finite rates, touch minutes ≤ 0,
/// shrinkage outside [0, 1), target or max occupancy outside (0, 1], a bad duration).
pub(super) fn run(args: &SlaArgs) -> anyhow::Result<bool> {
    let checked = check(args)?;
    let metrics = queue_metrics(&checked.input).context("computing the queue")?;
    let required =
        required_productive_reps(&checked.input, args.target, args.max_occupancy).context("finding the reps needed")?;
    let required_reps = required.map(|p| reps_for_productive(p, args.shrinkage));
    let report = Report { args, metrics: &metrics, required, required_reps, patience: checked.input.patience_minutes };
    match args.format {
        TextOrJson::Json => {
            let text = serde_json::to_string_pretty(&report.json()).context("writing JSON")?;
            writeln!(std::io::stdout(), "{text}")?;
        }
        TextOrJson::Text => write!(std::io::stdout(), "{}", report.text())?,
    }
    Ok(true)
}

struct Checked {
    input: QueueInput,
}

fn check(args: &SlaArgs) -> anyhow::Result<Checked> {
    if !(args.leads_per_hour.is_finite() && args.leads_per_hour >= 0.0) {
        bail!("--leads-per-hour must be a non-negative number of leads per hour, got {}", args.leads_per_hour);
    }
    if !(args.touch_minutes.is_finite() && args.touch_minutes > 0.0) {
        bail!("--touch-minutes must be a positive number of minutes, got {}", args.touch_minutes);
    }
    if !(args.shrinkage.is_finite() && (0.0..1.0).contains(&args.shrinkage)) {
        bail!("--shrinkage must be a share from 0 up to (not including) 1, such as 0.3, got {}", args.shrinkage);
    }
    if !(args.target.is_finite() && args.target > 0.0 && args.target <= 1.0) {
        bail!("--target must be a share above 0 and at most 1, such as 0.8, got {}", args.target);
    }
    if !(args.max_occupancy.is_finite() && args.max_occupancy > 0.0 && args.max_occupancy <= 1.0) {
        bail!("--max-occupancy must be a share above 0 and at most 1, such as 0.85, got {}", args.max_occupancy);
    }
    let sla = Duration::parse(&args.sla).context("--sla")?;
    let patience = match &args.patience {
        Some(p) => Some(Duration::parse(p).context("--patience")?.calendar_minutes()),
        None => None,
    };
    Ok(Checked {
        input: QueueInput {
            arrivals_per_hour: args.leads_per_hour,
            touch_minutes: args.touch_minutes,
            productive_reps: productive_reps(args.reps, args.shrinkage),
            sla_minutes: sla.calendar_minutes(),
            patience_minutes: patience,
        },
    })
}

struct Report<'a> {
    args: &'a SlaArgs,
    metrics: &'a QueueMetrics,
    required: Option<u32>,
    required_reps: Option<u32>,
    patience: Option<f64>,
}

fn num(v: Option<f64>) -> Value {
    v.filter(|x| x.is_finite()).map_or(Value::Null, Value::from)
}

impl Report<'_> {
    fn json(&self) -> Value {
        let m = self.metrics;
        let mut o = Map::new();
        o.insert("traffic_erlangs".into(), num(Some(m.traffic_erlangs)));
        o.insert("reps".into(), Value::from(self.args.reps));
        o.insert("productive_reps".into(), Value::from(m.productive_reps));
        o.insert("stable".into(), Value::from(m.stable));
        o.insert("occupancy".into(), num(m.occupancy));
        o.insert("wait_probability".into(), num(m.wait_probability));
        o.insert("service_level".into(), num(m.service_level));
        o.insert("average_wait_minutes".into(), num(m.average_wait_minutes));
        o.insert("p50_wait_minutes".into(), num(m.p50_wait_minutes));
        o.insert("p90_wait_minutes".into(), num(m.p90_wait_minutes));
        o.insert("p95_wait_minutes".into(), num(m.p95_wait_minutes));
        if self.patience.is_some() {
            o.insert("abandon_probability".into(), num(m.abandon_probability));
        }
        o.insert("required_productive_reps".into(), self.required.map_or(Value::Null, Value::from));
        o.insert("required_reps".into(), self.required_reps.map_or(Value::Null, Value::from));
        Value::Object(o)
    }

    fn text(&self) -> String {
        let m = self.metrics;
        let pct =
            |v: Option<f64>| v.filter(|x| x.is_finite()).map_or("n/a".to_owned(), |x| format!("{:.1}%", 100.0 * x));
        let mins = |v: Option<f64>| v.filter(|x| x.is_finite()).map_or("n/a".to_owned(), |x| format!("{x:.2} min"));
        let count = |v: Option<u32>| v.map_or("unreachable".to_owned(), |x| x.to_string());
        let model = if self.patience.is_some() { "Erlang A (leads go cold)" } else { "Erlang C" };
        let mut rows: Vec<(&str, String)> = vec![
            ("model", model.to_owned()),
            ("traffic", format!("{:.2} erlangs", m.traffic_erlangs)),
            ("reps", self.args.reps.to_string()),
            ("productive reps", m.productive_reps.to_string()),
            ("stable", if m.stable { "yes".into() } else { "no: more work arrives than the reps can do".into() }),
            ("occupancy", pct(m.occupancy)),
            ("wait probability", pct(m.wait_probability)),
            (
                "touched within SLA",
                format!("{} (SLA {}, target {:.1}%)", pct(m.service_level), self.args.sla, 100.0 * self.args.target),
            ),
            ("average wait", mins(m.average_wait_minutes)),
            ("p50 wait", mins(m.p50_wait_minutes)),
            ("p90 wait", mins(m.p90_wait_minutes)),
            ("p95 wait", mins(m.p95_wait_minutes)),
        ];
        if self.patience.is_some() {
            rows.push(("gone cold", pct(m.abandon_probability)));
        }
        rows.push(("required productive reps", count(self.required)));
        rows.push(("required reps", count(self.required_reps)));
        let width = rows.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
        let mut out = String::new();
        for (k, v) in rows {
            out.push_str(&format!("{k:<width$}  {v}\n"));
        }
        out
    }
}
