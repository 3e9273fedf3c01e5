//! The formats of `handoff monitor`'s report: text for a terminal, JSON, Markdown for a pull
//! request or a chat message, and a self-contained HTML page in the packet's style with an SVG
//! chart of attainment per window against the target and the prediction.
//!
//! Every sentence of the monitor is written here (the findings are facts in
//! [`crate::monitor::Finding`]); everything from the brief or the export is escaped for the
//! format it lands in.

use std::fmt::Write as _;

use super::svg::xml_escape;
use super::{escape_markdown, format_minutes, group_thousands, words};
use crate::calc::simulate::Clock;
use crate::monitor::{Finding, MonitorReport};

mod json;

pub use json::json;

/// Rip-cord events the text lists (JSON and HTML list more).
const TEXT_RIP_CORD: usize = 10;

/// A share as a percentage with one decimal (`86.4%`), or `n/a`.
fn pct(v: Option<f64>) -> String {
    v.map_or_else(|| "n/a".to_owned(), |v| format!("{:.1}%", v * 100.0))
}

/// A gap in percentage points (`−4.8 pts`, `+1.0 pts`), or empty.
fn gap(actual: Option<f64>, predicted: Option<f64>) -> String {
    match (actual, predicted) {
        (Some(a), Some(p)) => {
            let d = (a - p) * 100.0;
            if d < 0.0 { format!("−{:.1} pts", -d) } else { format!("+{d:.1} pts") }
        }
        _ => String::new(),
    }
}

/// A count with commas between thousands (`1,678`), as [`words::count`] writes it.
fn n(v: u64) -> String {
    group_thousands(&v.to_string())
}

/// A count for [`words::count`] (counts of rows fit in `usize` on every supported target).
fn as_usize(v: u64) -> usize {
    usize::try_from(v).unwrap_or(usize::MAX)
}

fn minutes(v: Option<f64>) -> String {
    v.map_or_else(|| "n/a".to_owned(), format_minutes)
}

fn clock_name(clock: Clock) -> &'static str {
    match clock {
        Clock::Business => "business",
        Clock::Calendar => "calendar",
    }
}

/// One sentence per finding: what the data shows and which brief value to update.
#[must_use]
pub fn finding_sentence(f: &Finding) -> String {
    finding_sentence_with(f, str::to_owned)
}

/// [`finding_sentence`] with the pod and rep names passed through `esc` (Markdown escaping):
/// the sentence's own code spans stay code.
fn finding_sentence_with(f: &Finding, esc: fn(&str) -> String) -> String {
    match f {
        Finding::DemandAboveDesign { pod, observed, designed } => format!(
            "{p}: {observed:.0} leads a week arrived against {designed:.0} in the design — a capacity problem; \
             update `demand.leads_per_week` (and the mix) or add head count to {p}.",
            p = esc(pod)
        ),
        Finding::AfterHoursAboveDesign { pod, observed, designed } => format!(
            "{}: {:.1}% of leads arrived while the pod was closed against {:.1}% designed; \
             update `demand.after_hours_share` or extend the pod's `business_hours`.",
            esc(pod),
            observed * 100.0,
            designed * 100.0
        ),
        Finding::RepOverShare { pod, rep, share, expected } => format!(
            "{}: {} carried {:.1}% of the pod's leads against {:.1}% expected; check the routing weights \
             and who picks leads up — a behaviour problem, not head count.",
            esc(pod),
            esc(rep),
            share * 100.0,
            expected * 100.0
        ),
        Finding::DemandBelowDesign { pod, observed, designed, actual, predicted } => format!(
            "{p}: {observed:.0} leads a week arrived against {designed:.0} in the design, and {} were touched \
             within the SLA against {} predicted — the design staffs {p} for leads that do not come; update \
             `demand.leads_per_week` (or the mix that sends leads to {p}) before adding head count.",
            pct(Some(*actual)),
            pct(Some(*predicted)),
            p = esc(pod)
        ),
        Finding::FasterThanDesign { pod, observed, designed, more_than_designed, actual, predicted } => {
            let load = if *more_than_designed {
                format!("{observed:.0} leads a week arrived against {designed:.0} in the design, yet")
            } else {
                "load as designed, and".to_owned()
            };
            format!(
                "{}: {load} {} within the SLA against {} predicted — first touches are faster than the model; \
                 the pod's `touch_minutes` or shrinkage in the brief is pessimistic (measure them, then update \
                 the brief).",
                esc(pod),
                pct(Some(*actual)),
                pct(Some(*predicted))
            )
        }
        Finding::SlowerThanDesign { pod, actual, predicted } => format!(
            "{}: load and hours as designed, yet {} within the SLA against {} predicted — first touches are \
             slower than the model; a behaviour problem (coaching, alerts, the ladder), not head count.",
            esc(pod),
            pct(Some(*actual)),
            pct(Some(*predicted))
        ),
    }
}

/// A pod's row after its name, as every format shows it: leads, touched, within the SLA,
/// actual, predicted, gap, p50, p90.
fn pod_cells(p: &crate::monitor::PodActual) -> [String; 8] {
    let f = &p.figures;
    [
        n(f.leads),
        n(f.touched),
        n(f.within_sla),
        pct(f.attainment),
        pct(p.predicted_attainment),
        gap(f.attainment, p.predicted_attainment),
        minutes(f.p50_minutes),
        minutes(f.p90_minutes),
    ]
}

/// The message of a failed `--fail-under` gate.
#[must_use]
pub fn gate_failed(pod: Option<&str>, attainment: Option<f64>, share: f64) -> String {
    let what = pod.map_or_else(|| "overall attainment".to_owned(), |p| format!("attainment of pod {p}"));
    match attainment {
        Some(a) => format!("monitor: {what} {} is under --fail-under {}", pct(Some(a)), pct(Some(share))),
        None => format!("monitor: {what} is unknown (no lead touched or past the SLA) — --fail-under fails"),
    }
}

fn headline(r: &MonitorReport) -> String {
    let t = &r.totals;
    let mut s = format!(
        "{}, {} touched, {} within the SLA — attainment {}",
        words::count(as_usize(t.leads), "lead", "leads"),
        n(t.touched),
        n(t.within_sla),
        pct(t.attainment)
    );
    if let Some(p) = r.predicted_attainment {
        let _ = write!(s, " (design predicts {}, gap {})", pct(Some(p)), gap(t.attainment, Some(p)));
    }
    let _ = write!(s, "; target {}", pct(Some(r.target)));
    s
}

fn rip_cord_line(r: &MonitorReport) -> String {
    match r.rip_cord_total {
        0 => "Rip-cord: never pulled.".to_owned(),
        1 => "Rip-cord: pulled once.".to_owned(),
        times => format!("Rip-cord: pulled {} times.", n(times as u64)),
    }
}

fn demand_line(r: &MonitorReport) -> String {
    let hours: Vec<String> = r.busiest_hours.iter().map(|(h, c)| format!("{h:02}:00 ({})", n(*c))).collect();
    format!(
        "Demand: {:.0} leads a week observed against {:.0} in the brief; {} created after hours against {} \
         designed; busiest hours {}.",
        r.observed_per_week,
        r.designed_per_week,
        pct(r.after_hours_share),
        pct(Some(r.designed_after_hours_share.unwrap_or(0.0))),
        if hours.is_empty() { "n/a".to_owned() } else { hours.join(", ") }
    )
}

fn outcomes_line(r: &MonitorReport) -> Vec<String> {
    let mut out = Vec::new();
    if let Some((rate, target)) = r.acceptance {
        out.push(format!("Acceptance: {} of leads accepted (target {}).", pct(Some(rate)), pct(Some(target))));
    }
    if let Some((rate, lift)) = r.conversion {
        out.push(format!(
            "Conversion: {} of leads converted (the brief's target is a {} lift, which needs a baseline to compare).",
            pct(Some(rate)),
            pct(Some(lift))
        ));
    }
    out
}

/// The report as text for a terminal.
#[must_use]
pub fn text(r: &MonitorReport, title: &str, source: &str) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "Plan against actual — {title}");
    let _ = writeln!(
        s,
        "{source}, as of {}: SLA {} on the {} clock\n",
        r.now,
        format_minutes(r.sla_minutes),
        clock_name(r.clock)
    );
    let _ = writeln!(s, "{}", headline(r));
    let t = &r.totals;
    let _ = writeln!(
        s,
        "p50 {}, p90 {}; {}; {} untouched past the SLA, {} still within it\n",
        minutes(t.p50_minutes),
        minutes(t.p90_minutes),
        words::count(as_usize(r.breaches), "breach", "breaches"),
        n(t.untouched_past_sla),
        n(t.pending)
    );
    let _ = writeln!(
        s,
        "{:<18} {:>7} {:>8} {:>7} {:>10} {:>10} {:>10} {:>8} {:>8}",
        "pod", "leads", "touched", "within", "attainment", "predicted", "gap", "p50", "p90"
    );
    for p in &r.by_pod {
        let [leads, touched, within, actual, predicted, gap, p50, p90] = pod_cells(p);
        let _ = writeln!(
            s,
            "{:<18} {leads:>7} {touched:>8} {within:>7} {actual:>10} {predicted:>10} {gap:>10} {p50:>8} {p90:>8}",
            p.pod
        );
    }
    if !r.by_rep.is_empty() {
        let _ = writeln!(
            s,
            "\n{:<18} {:<24} {:>7} {:>10} {:>8} {:>8} {:>8}",
            "pod", "rep", "leads", "attainment", "p50", "p90", "share"
        );
        for p in &r.by_rep {
            let f = &p.figures;
            let _ = writeln!(
                s,
                "{:<18} {:<24} {:>7} {:>10} {:>8} {:>8} {:>8}",
                p.pod,
                p.rep,
                n(f.leads),
                pct(f.attainment),
                minutes(f.p50_minutes),
                minutes(f.p90_minutes),
                pct(Some(p.share))
            );
        }
    }
    if !r.windows.is_empty() {
        let _ = writeln!(s, "\n{:<12} {:>7} {:>7} {:>10}", "window", "leads", "within", "attainment");
        for w in &r.windows {
            let _ = writeln!(
                s,
                "{:<12} {:>7} {:>7} {:>10}",
                w.start,
                n(w.figures.leads),
                n(w.figures.within_sla),
                pct(w.figures.attainment)
            );
        }
    }
    let _ = writeln!(s, "\n{}", rip_cord_line(r));
    for e in r.rip_cord.iter().take(TEXT_RIP_CORD) {
        let _ = writeln!(
            s,
            "  {} — {} since {} ({}) → notify {}",
            e.fired_at,
            words::count(e.breaches as usize, "breach", "breaches"),
            e.first_breach_at,
            e.pods.join(", "),
            e.notify.join(", ")
        );
    }
    let shown = r.rip_cord.len().min(TEXT_RIP_CORD);
    if r.rip_cord_total > shown {
        let _ = writeln!(s, "  … and {} more", n((r.rip_cord_total - shown) as u64));
    }
    if !r.aging.is_empty() {
        let _ = writeln!(s, "\nAging backlog (untouched past the SLA, oldest first):");
        for a in &r.aging {
            let _ = writeln!(
                s,
                "  line {}: {} {} — {}, created {}, waiting {}",
                a.line,
                a.lead_id.as_deref().unwrap_or("-"),
                a.pod,
                a.owner.as_deref().unwrap_or("no owner"),
                a.created_at,
                format_minutes(a.waited_minutes)
            );
        }
    }
    if !r.findings.is_empty() {
        let _ = writeln!(s, "\nWhat the data shows:");
        for f in &r.findings {
            let _ = writeln!(s, "  - {}", finding_sentence(f));
        }
    }
    let _ = writeln!(s, "\n{}", demand_line(r));
    for line in outcomes_line(r) {
        let _ = writeln!(s, "{line}");
    }
    if r.outside_range > 0 {
        let _ = writeln!(s, "Outside --since/--until: {}.", words::count(as_usize(r.outside_range), "row", "rows"));
    }
    if r.malformed > 0 {
        let _ = writeln!(s, "\nMalformed rows skipped: {}", n(r.malformed));
        for (line, m) in &r.malformed_rows {
            if m.column == 0 {
                let _ = writeln!(s, "  {source}:{line}: {}", m.message);
            } else {
                let _ = writeln!(s, "  {source}:{line}:{}: `{}`: {}", m.column, m.field, m.message);
            }
        }
        if r.malformed as usize > r.malformed_rows.len() {
            let _ = writeln!(s, "  … and {} more", n(r.malformed - r.malformed_rows.len() as u64));
        }
    }
    s
}

/// The report as Markdown: the prediction beside the actual in one table.
#[must_use]
pub fn markdown(r: &MonitorReport, title: &str, source: &str) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "### Plan against actual — {}\n", escape_markdown(title));
    let _ = writeln!(s, "{} ({}, as of {}).\n", headline(r), escape_markdown(source), r.now);
    let _ = writeln!(s, "| pod | leads | touched | within SLA | actual | predicted | gap | p50 | p90 |");
    let _ = writeln!(s, "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for p in &r.by_pod {
        let _ = writeln!(s, "| `{}` | {} |", escape_markdown(&p.pod), pod_cells(p).join(" | "));
    }
    let _ = writeln!(
        s,
        "\n{}; {} untouched past the SLA. {}",
        words::count(as_usize(r.breaches), "breach", "breaches"),
        n(r.totals.untouched_past_sla),
        rip_cord_line(r)
    );
    if !r.findings.is_empty() {
        let _ = writeln!(s);
        for f in &r.findings {
            let _ = writeln!(s, "- {}", finding_sentence_with(f, escape_markdown));
        }
    }
    let _ = writeln!(s, "\n{}", demand_line(r));
    for line in outcomes_line(r) {
        let _ = writeln!(s, "\n{line}");
    }
    if r.malformed > 0 {
        let _ = writeln!(s, "\n{} skipped.", words::count(as_usize(r.malformed), "malformed row", "malformed rows"));
    }
    s
}

/// The SVG chart: attainment per window (line and dots) against the target (dashed) and the
/// design's prediction (solid).
#[must_use]
pub fn chart(r: &MonitorReport) -> String {
    let (w, h, left, right, top, bottom) = (640.0, 240.0, 48.0, 16.0, 16.0, 36.0);
    let plot_w = w - left - right;
    let plot_h = h - top - bottom;
    let y = |v: f64| top + (1.0 - v.clamp(0.0, 1.0)) * plot_h;
    let n = r.windows.len().max(1);
    #[allow(clippy::cast_precision_loss)]
    let x = |i: usize| left + if n == 1 { plot_w / 2.0 } else { plot_w * i as f64 / (n - 1) as f64 };
    let mut s = format!(
        "<svg class=\"diagram\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" \
         role=\"img\" aria-label=\"Attainment per window against the target and the prediction\">"
    );
    for v in [0.0, 0.5, 1.0] {
        let _ = write!(
            s,
            "<line x1=\"{left}\" x2=\"{}\" y1=\"{yy:.1}\" y2=\"{yy:.1}\" stroke=\"#d5dbe1\"/><text x=\"{}\" y=\"{:.1}\" \
             font-size=\"11\" text-anchor=\"end\" fill=\"#5b6672\">{:.0}%</text>",
            w - right,
            left - 6.0,
            y(v) + 4.0,
            v * 100.0,
            yy = y(v)
        );
    }
    let _ = write!(
        s,
        "<line class=\"target\" x1=\"{left}\" x2=\"{}\" y1=\"{t:.1}\" y2=\"{t:.1}\" stroke=\"#1e7a3c\" stroke-dasharray=\"6 4\"/>",
        w - right,
        t = y(r.target)
    );
    if let Some(p) = r.predicted_attainment {
        let _ = write!(
            s,
            "<line class=\"prediction\" x1=\"{left}\" x2=\"{}\" y1=\"{p:.1}\" y2=\"{p:.1}\" stroke=\"#a15c00\"/>",
            w - right,
            p = y(p)
        );
    }
    let points: Vec<(f64, f64)> =
        r.windows.iter().enumerate().filter_map(|(i, win)| win.figures.attainment.map(|a| (x(i), y(a)))).collect();
    if points.len() > 1 {
        let path: Vec<String> = points.iter().map(|(px, py)| format!("{px:.1},{py:.1}")).collect();
        let _ = write!(
            s,
            "<polyline class=\"actual\" fill=\"none\" stroke=\"#1f5fa8\" stroke-width=\"2\" points=\"{}\"/>",
            path.join(" ")
        );
    }
    for (px, py) in &points {
        let _ = write!(s, "<circle cx=\"{px:.1}\" cy=\"{py:.1}\" r=\"3\" fill=\"#1f5fa8\"/>");
    }
    if let (Some(first), Some(last)) = (r.windows.first(), r.windows.last()) {
        let _ = write!(
            s,
            "<text x=\"{left}\" y=\"{:.1}\" font-size=\"11\" fill=\"#5b6672\">{}</text><text x=\"{}\" y=\"{:.1}\" \
             font-size=\"11\" text-anchor=\"end\" fill=\"#5b6672\">{}</text>",
            h - 12.0,
            xml_escape(&first.start),
            w - right,
            h - 12.0,
            xml_escape(&last.start)
        );
    }
    s.push_str("</svg>");
    s
}

const STYLE: &str = "body{font:15px/1.5 system-ui,-apple-system,\"Segoe UI\",Roboto,Arial,sans-serif;color:#1d232b;\
margin:0 auto;max-width:62rem;padding:2rem 1.5rem 4rem}h1{font-size:2rem;margin:.2rem 0 .6rem}\
h2{font-size:1.4rem;border-bottom:2px solid #d5dbe1;padding-bottom:.25rem;margin:2.4rem 0 .8rem}\
table{border-collapse:collapse;width:100%;margin:.8rem 0 1.2rem;font-size:.88rem}\
th,td{border:1px solid #d5dbe1;padding:.35rem .5rem;text-align:left;vertical-align:top}th{background:#f2f5f8}\
td.n{text-align:right}.cover{border-bottom:4px solid #1f5fa8;padding-bottom:1.2rem;margin-bottom:1.2rem}\
.kicker{text-transform:uppercase;letter-spacing:.08em;color:#5b6672;font-size:.8rem}\
figcaption{color:#5b6672;font-size:.85rem}svg.diagram{display:block;max-width:100%;height:auto}\
@media print{body{padding:0}}";

/// The report as a self-contained HTML page.
#[must_use]
pub fn html(r: &MonitorReport, title: &str, source: &str) -> String {
    let e = xml_escape;
    let mut s = String::new();
    let _ = write!(
        s,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Plan against actual — {}</title>\n\
         <style>{STYLE}</style>\n</head>\n<body>\n<header class=\"cover\"><div class=\"kicker\">Plan against actual</div>\
         <h1>{}</h1><p>{}</p><p>{} · as of {}</p></header>\n",
        e(title),
        e(title),
        e(&headline(r)),
        e(source),
        e(&r.now)
    );
    let _ = write!(
        s,
        "<h2>Attainment per window</h2>\n<figure>{}<figcaption>Blue: actual share within the SLA per window; \
         dashed green: the target {}; orange: the design's prediction {}.</figcaption></figure>\n",
        chart(r),
        pct(Some(r.target)),
        pct(r.predicted_attainment)
    );
    s.push_str("<h2>Pods</h2>\n<table><tr><th>pod</th><th>leads</th><th>touched</th><th>within SLA</th><th>actual</th><th>predicted</th><th>gap</th><th>p50</th><th>p90</th></tr>\n");
    for p in &r.by_pod {
        let cells: Vec<String> = pod_cells(p).iter().map(|c| format!("<td class=\"n\">{}</td>", e(c))).collect();
        let _ = writeln!(s, "<tr><td><code>{}</code></td>{}</tr>", e(&p.pod), cells.concat());
    }
    s.push_str("</table>\n");
    if !r.findings.is_empty() {
        s.push_str("<h2>What the data shows</h2>\n<ul>\n");
        for f in &r.findings {
            let _ = writeln!(s, "<li>{}</li>", e(&finding_sentence(f)));
        }
        s.push_str("</ul>\n");
    }
    let _ = writeln!(s, "<p>{}</p>", e(&demand_line(r)));
    for line in outcomes_line(r) {
        let _ = writeln!(s, "<p>{}</p>", e(&line));
    }
    if !r.by_rep.is_empty() {
        s.push_str("<h2>Reps</h2>\n<table><tr><th>pod</th><th>rep</th><th>leads</th><th>actual</th><th>p50</th><th>p90</th><th>share</th></tr>\n");
        for p in &r.by_rep {
            let f = &p.figures;
            let _ = writeln!(
                s,
                "<tr><td><code>{}</code></td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>\
                 <td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
                e(&p.pod),
                e(&p.rep),
                n(f.leads),
                pct(f.attainment),
                e(&minutes(f.p50_minutes)),
                e(&minutes(f.p90_minutes)),
                pct(Some(p.share))
            );
        }
        s.push_str("</table>\n");
    }
    let _ = writeln!(
        s,
        "<h2>Breaches and the rip-cord</h2>\n<p>{}. {}</p>",
        words::count(as_usize(r.breaches), "breach", "breaches"),
        e(&rip_cord_line(r))
    );
    if !r.rip_cord.is_empty() {
        s.push_str(
            "<table><tr><th>fired</th><th>first breach</th><th>breaches</th><th>pods</th><th>notify</th></tr>\n",
        );
        for ev in &r.rip_cord {
            let _ = writeln!(
                s,
                "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td>{}</td><td>{}</td></tr>",
                e(&ev.fired_at),
                e(&ev.first_breach_at),
                n(u64::from(ev.breaches)),
                e(&ev.pods.join(", ")),
                e(&ev.notify.join(", "))
            );
        }
        s.push_str("</table>\n");
    }
    if !r.aging.is_empty() {
        s.push_str("<h2>Aging backlog</h2>\n<table><tr><th>line</th><th>lead</th><th>pod</th><th>owner</th><th>created</th><th>waiting</th></tr>\n");
        for a in &r.aging {
            let _ = writeln!(
                s,
                "<tr><td class=\"n\">{}</td><td>{}</td><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td></tr>",
                a.line,
                e(a.lead_id.as_deref().unwrap_or("")),
                e(&a.pod),
                e(a.owner.as_deref().unwrap_or("")),
                e(&a.created_at),
                e(&format_minutes(a.waited_minutes))
            );
        }
        s.push_str("</table>\n");
    }
    if r.malformed > 0 {
        let _ = writeln!(
            s,
            "<h2>Malformed rows</h2>\n<p>{} skipped.</p>\n<ul>",
            words::count(as_usize(r.malformed), "row", "rows")
        );
        for (line, m) in &r.malformed_rows {
            let _ = writeln!(s, "<li>{}:{line}:{} {}: {}</li>", e(source), m.column, e(&m.field), e(&m.message));
        }
        s.push_str("</ul>\n");
    }
    s.push_str("</body>\n</html>\n");
    s
}
