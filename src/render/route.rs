//! The three formats of `handoff route`'s report: text for a person, JSON (keys sorted) and
//! `section,key,detail,value` CSV rows for tools; and the `--assignments` file, one CSV row per
//! lead as the replay streams.
//!
//! The replay ([`crate::replay`]) returns counts and figures; every word and number format of
//! its report is written here, the reasons from [`words`].

use std::collections::BTreeMap;
use std::io::Write;

use serde_json::{Value, json};

use super::words;
use crate::calc::routing::Router;
use crate::calc::routing::engine::Assignment;
use crate::replay::{OpenLeads, ReplayReport, RowSink, neutralise};

/// The `--assignments` file: one CSV row per row of the lead export, saying where it went and
/// why. Every cell is neutralised against spreadsheet formulas ([`neutralise`]).
pub(crate) struct AssignmentRows<W: Write>(csv::Writer<W>);

/// Write one CSV record, every cell neutralised against spreadsheet formulas.
fn record<W: Write, const N: usize>(w: &mut csv::Writer<W>, cells: [&str; N]) -> csv::Result<()> {
    w.write_record(cells.map(neutralise).iter().map(|c| c.as_bytes()))
}

impl<W: Write> AssignmentRows<W> {
    /// Start the file with its header row.
    ///
    /// # Errors
    /// The sink cannot be written.
    pub(crate) fn new(sink: W) -> anyhow::Result<Self> {
        let mut w = csv::Writer::from_writer(sink);
        w.write_record(["row", "line", "rule", "path", "pod", "rep", "reason"])?;
        Ok(Self(w))
    }
}

impl<W: Write> RowSink for AssignmentRows<W> {
    fn lead(&mut self, router: &Router, row: u64, line: u64, a: &Assignment) -> anyhow::Result<()> {
        let pod = a.pod.map_or("", |p| router.pods()[p].id.as_str());
        let rep = a.pod.zip(a.rep).map_or("", |(p, r)| router.pods()[p].reps[r].name.as_str());
        record(
            &mut self.0,
            [
                row.to_string().as_str(),
                line.to_string().as_str(),
                router.rule_id(a.rule),
                a.path.as_str(),
                pod,
                rep,
                words::route_reason(&router.explain(a)).as_str(),
            ],
        )?;
        Ok(())
    }

    fn malformed(&mut self, row: u64, line: u64, msg: &str) -> anyhow::Result<()> {
        record(&mut self.0, [row.to_string().as_str(), line.to_string().as_str(), "", "malformed", "", "", msg])?;
        Ok(())
    }

    fn finish(&mut self) -> anyhow::Result<()> {
        self.0.flush()?;
        Ok(())
    }
}

/// Unrouted leads by reason, in words, sorted by them (a later reason of the same words
/// replaces an earlier one, as when the words were the tally's keys).
fn unrouted_reasons(report: &ReplayReport) -> BTreeMap<String, u64> {
    report.unrouted_reasons.iter().map(|(f, n)| (words::failure(f), *n)).collect()
}

/// A replay's report as one JSON object (keys sorted).
#[must_use]
pub(crate) fn json(report: &ReplayReport) -> Value {
    let mut by_rule = BTreeMap::new();
    for (id, c) in &report.by_rule {
        by_rule.insert(
            id.clone(),
            json!({"leads": c.iter().sum::<u64>(), "primary": c[0], "rule_fallback": c[1], "fallback": c[2], "unrouted": c[3]}),
        );
    }
    let by_pod: BTreeMap<&str, Value> =
        report.by_pod.iter().map(|(p, n, q)| (p.as_str(), json!({"leads": n, "queue": q}))).collect();
    let by_rep: BTreeMap<&str, BTreeMap<&str, u64>> = report
        .by_rep
        .iter()
        .map(|(p, reps)| (p.as_str(), reps.iter().map(|(r, n)| (r.as_str(), *n)).collect()))
        .collect();
    let missing: BTreeMap<&str, u64> = report.missing_fields.iter().map(|(f, n)| (f.as_str(), *n)).collect();
    let invalid: BTreeMap<&str, u64> = report.invalid_values.iter().map(|(f, n)| (f.as_str(), *n)).collect();
    let invalid_rows: Vec<Value> = report
        .invalid_rows
        .iter()
        .map(|(line, field, value)| json!({"line": line, "field": field, "value": value}))
        .collect();
    let malformed_rows: Vec<Value> =
        report.malformed_rows.iter().map(|(line, msg)| json!({"line": line, "message": msg})).collect();
    let mut obj = serde_json::Map::new();
    obj.insert("by_pod".into(), json!(by_pod));
    obj.insert("by_rep".into(), json!(by_rep));
    obj.insert("by_rule".into(), json!(by_rule));
    obj.insert("created_at_out_of_order".into(), json!(report.created_at_out_of_order));
    obj.insert("fallback".into(), json!(report.fallback));
    obj.insert("invalid_rows".into(), json!(invalid_rows));
    obj.insert("invalid_values".into(), json!(invalid));
    obj.insert("leads_missing_fields".into(), json!(report.leads_missing_fields));
    obj.insert("malformed".into(), json!({"count": report.malformed, "rows": malformed_rows}));
    obj.insert("missing_fields".into(), json!(missing));
    obj.insert("open_leads".into(), open_leads_json(&report.open_leads));
    obj.insert("routed".into(), json!(report.routed));
    obj.insert(
        "sla".into(),
        match &report.sla {
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
    obj.insert("total".into(), json!(report.total));
    obj.insert("unrouted".into(), json!(report.unrouted));
    obj.insert("unrouted_reasons".into(), json!(unrouted_reasons(report)));
    sorted(Value::Object(obj))
}

/// How leads counted open, for JSON: `{"until": "sla_due", "sla": "2h", "clock": "business"}`,
/// `{"until": "open_for", "seconds": 3600}` or `{"until": "end_of_replay"}`.
fn open_leads_json(o: &OpenLeads) -> Value {
    match o {
        OpenLeads::UntilSlaDue { sla, business } => {
            json!({"until": "sla_due", "sla": sla, "clock": if *business { "business" } else { "calendar" }})
        }
        OpenLeads::For(seconds) => json!({"until": "open_for", "seconds": seconds}),
        OpenLeads::WholeReplay => json!({"until": "end_of_replay"}),
    }
}

/// A replay's report as readable text; `source` names the leads file.
#[must_use]
pub(crate) fn text(report: &ReplayReport, source: &str) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    // Every count with its thousands separator (`1,820 leads`), as the design documents write
    // them (issue 12 item 11); line numbers stay as an editor shows them.
    let n = |v: u64| super::group_thousands(&v.to_string());
    let pct = |n: u64| if report.total == 0 { 0.0 } else { 100.0 * n as f64 / report.total as f64 };
    let _ = writeln!(s, "{} leads replayed from {source}", n(report.total));
    let _ = writeln!(s, "  routed by their rule   {:>9}  {:5.1}%", n(report.routed), pct(report.routed));
    let _ = writeln!(s, "  placed by a fallback   {:>9}  {:5.1}%", n(report.fallback), pct(report.fallback));
    let _ = writeln!(s, "  unrouted               {:>9}  {:5.1}%", n(report.unrouted), pct(report.unrouted));
    for (reason, count) in &unrouted_reasons(report) {
        let _ = writeln!(s, "    {:>9}  {reason}", n(*count));
    }
    let _ = writeln!(s, "{}", words::open_leads(&report.open_leads));
    let _ = writeln!(s, "\nBy rule (primary / rule fallback / routing fallback / unrouted):");
    for (id, c) in &report.by_rule {
        let _ = writeln!(s, "  {id:<24} {:>9} {:>9} {:>9} {:>9}", n(c[0]), n(c[1]), n(c[2]), n(c[3]));
    }
    let _ = writeln!(s, "\nBy pod and rep:");
    for ((pod, count, q), (_, reps)) in report.by_pod.iter().zip(&report.by_rep) {
        let _ = writeln!(
            s,
            "  {pod:<24} {:>9}{}",
            n(*count),
            if *q > 0 { format!("  ({} in the pod queue)", n(*q)) } else { String::new() }
        );
        for (rep, count) in reps {
            let _ = writeln!(s, "    {rep:<22} {:>9}", n(*count));
        }
    }
    if report.created_at_out_of_order > 0 {
        let _ = writeln!(
            s,
            "\n{} rows have a `created_at` earlier than a row above them: routing takes rows in file order{}",
            n(report.created_at_out_of_order),
            if !matches!(report.open_leads, OpenLeads::WholeReplay) {
                ", so the open-lead clock saw time run backwards and kept their leads open; sort the export oldest first"
            } else {
                ""
            }
        );
    }
    let _ = writeln!(s, "\nLeads missing fields the rules require: {}", n(report.leads_missing_fields));
    for (f, count) in &report.missing_fields {
        let _ = writeln!(s, "  {f:<24} {:>9}", n(*count));
    }
    let invalid: u64 = report.invalid_values.iter().map(|(_, n)| n).sum();
    if invalid > 0 {
        let _ = writeln!(s, "\n{}", words::invalid_values_heading(invalid));
        for (f, count) in report.invalid_values.iter().filter(|(_, c)| *c > 0) {
            let _ = writeln!(s, "  {f:<24} {:>9}", n(*count));
        }
        for (line, field, value) in &report.invalid_rows {
            let _ = writeln!(s, "  {}", words::invalid_value(*line, field, value));
        }
        let listed = report.invalid_rows.len() as u64;
        if invalid > listed {
            let _ = writeln!(s, "  … and {} more", n(invalid - listed));
        }
    }
    if report.malformed > 0 {
        let _ = writeln!(s, "\nMalformed rows skipped: {}", n(report.malformed));
        for (line, msg) in &report.malformed_rows {
            let _ = writeln!(s, "  line {line}: {msg}");
        }
        if report.malformed as usize > report.malformed_rows.len() {
            let _ = writeln!(s, "  … and {} more", n(report.malformed - report.malformed_rows.len() as u64));
        }
    }
    match &report.sla {
        Some(pods) => {
            let _ = writeln!(s, "\nSLA replayed from `created_at` (share touched within the SLA, per pod):");
            for p in pods {
                match &p.result {
                    Ok(f) => {
                        let _ = writeln!(
                            s,
                            "  {:<24} {:>9} leads  {:5.1}% ± {:.1}  target {:.0}%{}  p90 wait {:.0} min  after hours {:.0}%",
                            p.pod,
                            n(p.leads),
                            100.0 * f.attainment,
                            100.0 * f.attainment_half_width,
                            100.0 * f.target,
                            if f.attainment >= f.target { "" } else { " (missed)" },
                            f.p90_wait_minutes,
                            100.0 * f.after_hours_share,
                        );
                    }
                    Err(e) => {
                        let _ = writeln!(s, "  {:<24} {:>9} leads  not replayed: {e}", p.pod, n(p.leads));
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
        None if !report.has_created_at => {
            let _ = writeln!(s, "\nNo `created_at` column: SLA replay skipped.");
        }
        None => {}
    }
    s
}

/// A replay's report as CSV rows: `section,key,detail,value`, every cell neutralised against
/// spreadsheet formulas.
///
/// # Errors
/// Never in practice (writing to memory).
pub(crate) fn csv(report: &ReplayReport) -> anyhow::Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    record(&mut w, ["section", "key", "detail", "value"])?;
    for (k, v) in [
        ("total", report.total),
        ("routed", report.routed),
        ("fallback", report.fallback),
        ("unrouted", report.unrouted),
        ("created_at_out_of_order", report.created_at_out_of_order),
    ] {
        record(&mut w, ["summary", k, "", &v.to_string()])?;
    }
    for (id, c) in &report.by_rule {
        for (name, v) in ["primary", "rule_fallback", "fallback", "unrouted"].iter().zip(c) {
            record(&mut w, ["rule", id, name, &v.to_string()])?;
        }
    }
    for (pod, n, q) in &report.by_pod {
        record(&mut w, ["pod", pod, "leads", &n.to_string()])?;
        record(&mut w, ["pod", pod, "queue", &q.to_string()])?;
    }
    for (pod, reps) in &report.by_rep {
        for (rep, n) in reps {
            record(&mut w, ["rep", pod, rep, &n.to_string()])?;
        }
    }
    for (reason, n) in &unrouted_reasons(report) {
        record(&mut w, ["unrouted", reason, "", &n.to_string()])?;
    }
    for (f, n) in &report.missing_fields {
        record(&mut w, ["missing_field", f, "", &n.to_string()])?;
    }
    for (f, n) in &report.invalid_values {
        record(&mut w, ["invalid_value", f, "", &n.to_string()])?;
    }
    match &report.open_leads {
        OpenLeads::UntilSlaDue { sla, business } => {
            record(&mut w, ["open_leads", "sla_due", if *business { "business" } else { "calendar" }, sla])?;
        }
        OpenLeads::For(seconds) => record(&mut w, ["open_leads", "open_for", "seconds", &seconds.to_string()])?,
        OpenLeads::WholeReplay => record(&mut w, ["open_leads", "end_of_replay", "", ""])?,
    }
    for (line, msg) in &report.malformed_rows {
        record(&mut w, ["malformed", &line.to_string(), msg, "1"])?;
    }
    for p in report.sla.iter().flatten() {
        match &p.result {
            Ok(f) => {
                record(&mut w, ["sla", &p.pod, "leads", &p.leads.to_string()])?;
                record(&mut w, ["sla", &p.pod, "attainment", &f.attainment.to_string()])?;
                record(&mut w, ["sla", &p.pod, "p90_wait_minutes", &f.p90_wait_minutes.to_string()])?;
            }
            Err(e) => record(&mut w, ["sla", &p.pod, "error", e])?,
        }
    }
    Ok(String::from_utf8(w.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?)?)
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
