//! Diagrams and charts for the approval packet, drawn as inline SVG from the Model.
//!
//! The packet must work with no network and no scripts, so Mermaid (a JavaScript renderer) is
//! out: these functions lay the routing flow, the escalation tree and the SLA curves out in
//! plain SVG. This is presentation only: every number comes from the Model, every text the
//! brief supplies is XML-escaped, and the layout is a fixed grid with text wrapped by an
//! estimate of glyph width (no font metrics are available, so boxes are sized generously).

use std::fmt::Write as _;

use crate::brief::StepAction;
use crate::calc::sla::Basis;
use crate::model::{Model, PodSlaView};

use super::{format_business_minutes, format_minutes, group_thousands, words};

/// Font stack of every diagram: the reader's system font, as in the packet.
const FONT: &str = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";
const INK: &str = "#1d232b";
const MUTED: &str = "#5b6672";
const LINE: &str = "#9aa5b1";
const ACCENT: &str = "#1f5fa8";
const BAD: &str = "#a8201a";

/// Escape text for XML content and attribute values.
#[must_use]
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // XML 1.0 forbids most control characters even escaped.
            '\t' | '\n' | '\r' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Wrap `text` into lines of at most `width` characters, breaking at spaces (and inside words
/// longer than a line).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(4);
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let mut word: Vec<char> = word.chars().collect();
        while word.len() > width {
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            lines.push(word.drain(..width).collect());
        }
        let word: String = word.into_iter().collect();
        let needed =
            if line.is_empty() { word.chars().count() } else { line.chars().count() + 1 + word.chars().count() };
        if needed > width && !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&word);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// Characters of a `size`-pixel font that fit in `px` pixels (a generous average glyph width).
fn chars_in(px: f64, size: f64) -> usize {
    // Positive and small: the cast cannot truncate meaningfully.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let n = (px / (size * 0.58)).floor().max(1.0) as usize;
    n
}

/// A line of text in a box: its content, size and weight.
struct Line {
    text: String,
    size: f64,
    bold: bool,
    color: &'static str,
}

impl Line {
    fn new(text: impl Into<String>, size: f64, bold: bool, color: &'static str) -> Self {
        Self { text: text.into(), size, bold, color }
    }
}

/// Wrap a list of lines to a box's inner width.
fn wrap_lines(lines: Vec<Line>, inner: f64) -> Vec<Line> {
    lines
        .into_iter()
        .flat_map(|l| {
            let (size, bold, color) = (l.size, l.bold, l.color);
            wrap(&l.text, chars_in(inner, size)).into_iter().map(move |t| Line::new(t, size, bold, color))
        })
        .collect()
}

fn lines_height(lines: &[Line]) -> f64 {
    lines.iter().map(|l| l.size * 1.3).sum()
}

/// Draw a box with text at (x, y), width w; returns its height.
struct BoxStyle {
    fill: &'static str,
    stroke: &'static str,
    dashed: bool,
    radius: f64,
}

const PAD: f64 = 8.0;

fn text_box(svg: &mut String, x: f64, y: f64, w: f64, lines: &[Line], style: &BoxStyle) -> f64 {
    let h = lines_height(lines) + 2.0 * PAD;
    let dash = if style.dashed { r#" stroke-dasharray="5 3""# } else { "" };
    let _ = writeln!(
        svg,
        r#"<rect x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{h:.1}" rx="{r:.1}" fill="{f}" stroke="{s}" stroke-width="1.2"{dash}/>"#,
        r = style.radius,
        f = style.fill,
        s = style.stroke,
    );
    let mut baseline = y + PAD;
    for line in lines {
        baseline += line.size * 1.3;
        let weight = if line.bold { r#" font-weight="600""# } else { "" };
        let _ = writeln!(
            svg,
            r#"<text x="{tx:.1}" y="{ty:.1}" font-size="{size}" fill="{c}"{weight}>{t}</text>"#,
            tx = x + PAD,
            ty = baseline - line.size * 0.3,
            size = line.size,
            c = line.color,
            t = xml_escape(&line.text),
        );
    }
    h
}

fn arrow(svg: &mut String, marker: &str, (x1, y1): (f64, f64), (x2, y2): (f64, f64), dashed: bool) {
    let dash = if dashed { r#" stroke-dasharray="4 3""# } else { "" };
    let _ = writeln!(
        svg,
        r#"<line x1="{x1:.1}" y1="{y1:.1}" x2="{x2:.1}" y2="{y2:.1}" stroke="{LINE}" stroke-width="1.4" marker-end="url(#{marker})"{dash}/>"#,
    );
}

fn label(svg: &mut String, x: f64, y: f64, text: &str, anchor: &str) {
    let _ = writeln!(
        svg,
        r#"<text x="{x:.1}" y="{y:.1}" font-size="11" fill="{MUTED}" text-anchor="{anchor}">{}</text>"#,
        xml_escape(text)
    );
}

/// Open an SVG document of the given size; `id` makes marker ids unique within the packet.
fn open(svg: &mut String, id: &str, width: f64, height: f64, title: &str) {
    let _ = writeln!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="diagram" id="{id}" viewBox="0 0 {width:.0} {height:.0}" width="{width:.0}" height="{height:.0}" role="img" aria-labelledby="{id}-title" font-family="{FONT}">"#
    );
    let _ = writeln!(svg, r#"<title id="{id}-title">{}</title>"#, xml_escape(title));
    let _ = writeln!(
        svg,
        r#"<defs><marker id="{id}-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" fill="{LINE}"/></marker></defs>"#
    );
}

fn close(mut svg: String) -> String {
    svg.push_str("</svg>\n");
    svg
}

/// The routing flow: rules in evaluation order, each with its conditions and the pod it assigns
/// to, "no match" falling through to the next, and the routing fallback at the end.
#[must_use]
pub fn routing_flow(model: &Model) -> String {
    const W: f64 = 720.0;
    const RULE_X: f64 = 16.0;
    const RULE_W: f64 = 350.0;
    const POD_X: f64 = 480.0;
    const POD_W: f64 = 224.0;
    const GAP: f64 = 34.0;
    let id = "routing-flow";
    let marker = format!("{id}-arrow");
    let analysis = &model.routing.analysis;
    let mut body = String::new();
    let mut y = 12.0;

    // Start: the lead, enriched.
    let fields = analysis.enrichment.fields.join(", ");
    let start = wrap_lines(
        vec![
            Line::new("New lead", 13.0, true, INK),
            Line::new(
                if fields.is_empty() { "no enrichment needed".to_owned() } else { format!("enriched: {fields}") },
                11.0,
                false,
                MUTED,
            ),
        ],
        RULE_W - 2.0 * PAD,
    );
    let h = text_box(
        &mut body,
        RULE_X,
        y,
        RULE_W,
        &start,
        &BoxStyle { fill: "#eef3f9", stroke: ACCENT, dashed: false, radius: 18.0 },
    );
    y += h;

    for (index, line) in super::context::matrix(model).iter().enumerate() {
        let (row, is_fallback) = (line.row, line.is_fallback);
        arrow(&mut body, &marker, (RULE_X + RULE_W / 2.0, y), (RULE_X + RULE_W / 2.0, y + GAP), false);
        if index > 0 {
            label(&mut body, RULE_X + RULE_W / 2.0 + 6.0, y + GAP / 2.0 + 4.0, "no match", "start");
        }
        y += GAP;
        let share = analysis.load.by_rule.iter().find(|r| r.rule == row.rule && !is_fallback).map(|r| r.share);
        let mut lines = Vec::new();
        if let Some(number) = line.number {
            lines.push(Line::new(format!("{number}. {}", row.rule), 13.0, true, INK));
            if let Some(d) = &row.description {
                lines.push(Line::new(d.clone(), 11.0, false, MUTED));
            }
            if row.conditions.is_empty() {
                lines.push(Line::new("when: every lead", 11.5, false, INK));
            }
            for (field, condition) in &row.conditions {
                lines.push(Line::new(format!("when {field} {condition}"), 11.5, false, INK));
            }
            if let Some(fb) = &row.fallback {
                let to = fb.pod.as_deref().map(|p| format!(" → {p}")).unwrap_or_default();
                lines.push(Line::new(format!("nobody free: {}{to}", fb.method), 11.0, false, MUTED));
            }
            if let Some(share) = share {
                lines.push(Line::new(format!("catches {} of leads", pct(share)), 11.0, false, MUTED));
            }
        } else {
            lines.push(Line::new("Fallback: no rule matched", 13.0, true, INK));
            lines.push(Line::new(
                format!("{} of leads expected here", pct(analysis.load.fallback_share)),
                11.0,
                false,
                MUTED,
            ));
        }
        let lines = wrap_lines(lines, RULE_W - 2.0 * PAD);
        let style = if is_fallback {
            BoxStyle { fill: "#fff8ec", stroke: "#a15c00", dashed: true, radius: 4.0 }
        } else {
            BoxStyle { fill: "#ffffff", stroke: INK, dashed: false, radius: 4.0 }
        };
        let h = text_box(&mut body, RULE_X, y, RULE_W, &lines, &style);

        // The pod it assigns to.
        let (pod_lines, pod_style) = match &row.assign.pod {
            Some(pod) => {
                let view = model.pods.iter().find(|p| &p.id == pod);
                let mut l = vec![Line::new(pod.clone(), 12.5, true, INK)];
                if let Some(v) = view {
                    if v.name != v.id {
                        l.push(Line::new(v.name.clone(), 11.0, false, MUTED));
                    }
                    l.push(Line::new(format!("{} · {} reps", v.role, v.reps), 11.0, false, MUTED));
                }
                (l, BoxStyle { fill: "#eef6f0", stroke: "#1e7a3c", dashed: false, radius: 10.0 })
            }
            None if row.assign.method == "territory" => (
                vec![Line::new("pod by territory", 12.5, true, INK)],
                BoxStyle { fill: "#eef6f0", stroke: "#1e7a3c", dashed: false, radius: 10.0 },
            ),
            None => (
                vec![Line::new("unrouted", 12.5, true, BAD), Line::new("reported, nobody owns it", 11.0, false, MUTED)],
                BoxStyle { fill: "#fdeeee", stroke: BAD, dashed: false, radius: 10.0 },
            ),
        };
        let pod_lines = wrap_lines(pod_lines, POD_W - 2.0 * PAD);
        let pod_h = lines_height(&pod_lines) + 2.0 * PAD;
        let pod_y = y + (h - pod_h).max(0.0) / 2.0;
        text_box(&mut body, POD_X, pod_y, POD_W, &pod_lines, &pod_style);
        let mid = y + h.min(pod_h.max(h)) / 2.0;
        arrow(&mut body, &marker, (RULE_X + RULE_W, mid), (POD_X, mid), false);
        let method = row.assign.method.replace('_', " ");
        let method = match &row.assign.field {
            Some(field) if *field != row.assign.method => format!("{method} by {field}"),
            _ => method,
        };
        let method_lines = wrap(&method, chars_in(POD_X - RULE_X - RULE_W - 8.0, 10.5));
        for (i, text) in method_lines.iter().enumerate() {
            let _ = writeln!(
                body,
                r#"<text x="{x:.1}" y="{ty:.1}" font-size="10.5" fill="{MUTED}" text-anchor="middle">{t}</text>"#,
                x = (RULE_X + RULE_W + POD_X) / 2.0,
                ty = mid - 6.0 - 12.0 * (method_lines.len() - 1 - i) as f64,
                t = xml_escape(text),
            );
        }
        y += h.max(pod_h);
    }
    let height = y + 12.0;
    let mut svg = String::new();
    open(&mut svg, id, W, height, &format!("Routing flow of {}: rules in order, each to its pod", model.brief.title));
    svg.push_str(&body);
    close(svg)
}

fn pct(v: f64) -> String {
    if v.is_finite() { format!("{:.1}%", v * 100.0) } else { "n/a".to_owned() }
}

/// The escalation tree: the ladder's rungs in firing order with their stand-ins, then the
/// rip-cord and who it notifies.
#[must_use]
pub fn escalation_tree(model: &Model) -> String {
    const W: f64 = 720.0;
    const X: f64 = 16.0;
    const BW: f64 = 400.0;
    const SX: f64 = 500.0;
    const SW: f64 = 204.0;
    const GAP: f64 = 30.0;
    let id = "escalation-tree";
    let marker = format!("{id}-arrow");
    let esc = &model.escalation;
    let mut body = String::new();
    let mut y = 12.0;
    // On the business clock a rung fires after business time: days of the business day's open
    // minutes, as the design doc's table and Mermaid read (2× of 1d is `2d`, not `17h`).
    let fires_after = |m: f64| match esc.business_day_minutes {
        Some(day) => format_business_minutes(m, day),
        None => format_minutes(m),
    };
    let mut start = vec![Line::new("New lead assigned to its owner", 13.0, true, INK)];
    if let Some(day) = esc.business_day_minutes {
        start.push(Line::new(words::business_time_note(&format_minutes(day)), 10.5, false, MUTED));
    }
    y += text_box(
        &mut body,
        X,
        y,
        BW,
        &wrap_lines(start, BW - 2.0 * PAD),
        &BoxStyle { fill: "#eef3f9", stroke: ACCENT, dashed: false, radius: 18.0 },
    );
    for rung in esc.rungs.iter().map(|r| &r.rung) {
        arrow(&mut body, &marker, (X + BW / 2.0, y), (X + BW / 2.0, y + GAP), false);
        label(&mut body, X + BW / 2.0 + 6.0, y + GAP / 2.0 + 4.0, "not touched", "start");
        y += GAP;
        let (fill, stroke) = rung_colors(rung);
        let lines = wrap_lines(
            vec![
                Line::new(
                    format!(
                        "{}. after {} ({}× SLA)",
                        rung.level,
                        fires_after(rung.fires_after_minutes),
                        short(rung.at)
                    ),
                    11.5,
                    false,
                    MUTED,
                ),
                Line::new(words::rung_action(rung.action, &rung.to), 13.0, true, INK),
            ],
            BW - 2.0 * PAD,
        );
        let h = text_box(&mut body, X, y, BW, &lines, &BoxStyle { fill, stroke, dashed: false, radius: 4.0 });
        // Stand-ins, chained to the right of the rung.
        let mut sy = y;
        let mut from = (X + BW, y + h / 2.0);
        for (i, stand_in) in rung.stand_ins.iter().enumerate() {
            let sl = wrap_lines(
                vec![
                    Line::new(if i == 0 { "if absent" } else { "if also absent" }, 10.5, false, MUTED),
                    Line::new(stand_in.clone(), 12.0, true, INK),
                ],
                SW - 2.0 * PAD,
            );
            let sh = lines_height(&sl) + 2.0 * PAD;
            let to = (SX, sy + sh / 2.0);
            arrow(&mut body, &marker, from, to, true);
            text_box(
                &mut body,
                SX,
                sy,
                SW,
                &sl,
                &BoxStyle { fill: "#ffffff", stroke: LINE, dashed: true, radius: 4.0 },
            );
            from = (SX + SW / 2.0, sy + sh);
            sy += sh + 14.0;
            // Later stand-ins hang below the first; the connector runs down.
            if i + 1 < rung.stand_ins.len() {
                arrow(&mut body, &marker, from, (SX + SW / 2.0, sy), true);
                from = (SX + SW / 2.0, sy);
            }
        }
        y += h.max(sy - y - 14.0);
    }
    let rip = &esc.tree.rip_cord;
    arrow(&mut body, &marker, (X + BW / 2.0, y), (X + BW / 2.0, y + GAP), false);
    y += GAP;
    let cord = wrap_lines(
        vec![
            Line::new(
                format!("Rip-cord: {} SLA breaches or routing failures within {}", rip.breaches, esc.rip_cord_window),
                12.5,
                true,
                BAD,
            ),
            Line::new(format!("notify {}", words::and_list(&rip.notify)), 12.0, false, INK),
        ],
        BW - 2.0 * PAD,
    );
    y += text_box(&mut body, X, y, BW, &cord, &BoxStyle { fill: "#fdeeee", stroke: BAD, dashed: false, radius: 4.0 });
    let height = y + 12.0;
    let mut svg = String::new();
    open(&mut svg, id, W, height, &format!("Escalation tree of {}", model.brief.title));
    svg.push_str(&body);
    close(svg)
}

fn rung_colors(rung: &crate::calc::escalation::Rung) -> (&'static str, &'static str) {
    match rung.action {
        StepAction::Remind => ("#eef3f9", ACCENT),
        StepAction::Reassign => ("#eef7f7", "#1b6b6b"),
        StepAction::Escalate => ("#fff4e5", "#a15c00"),
        StepAction::Notify => ("#f4effa", "#5b3a8c"),
    }
}

fn short(v: f64) -> String {
    super::short_number(v)
}

/// SLA attainment against productive reps for one pod: the formula's curve, the target as a
/// dashed line, today's team marked, and, when the reported figure comes from the simulation,
/// that figure beside the curve's.
#[must_use]
pub fn sla_chart(pod: &PodSlaView, sla_text: &str) -> String {
    const W: f64 = 360.0;
    const H: f64 = 250.0;
    const L: f64 = 46.0;
    const R: f64 = 44.0;
    const T: f64 = 50.0;
    const B: f64 = 52.0;
    let id = format!("sla-chart-{}", svg_id(&pod.pod));
    let curve = &pod.curve;
    let (pw, ph) = (W - L - R, H - T - B);
    let first = curve.points.first().map_or(0, |p| p.productive_reps);
    let last = curve.points.last().map_or(1, |p| p.productive_reps).max(first + 1);
    let span = f64::from(last - first);
    let x_of = |n: u32| L + pw * (f64::from(n.saturating_sub(first)).min(span)) / span;
    let y_of = |share: f64| T + ph * (1.0 - share.clamp(0.0, 1.0));
    let formula = words::formula_name(curve.formula);
    let mut svg = String::new();
    open(
        &mut svg,
        &id,
        W,
        H,
        &format!("Pod {}: share touched within {sla_text} against productive reps ({formula})", pod.pod),
    );
    let _ = writeln!(
        svg,
        r#"<text x="{L}" y="16" font-size="12.5" font-weight="600" fill="{INK}">{}</text>"#,
        xml_escape(&format!("{} · touched within {sla_text}", pod.pod))
    );
    let _ = writeln!(
        svg,
        r#"<text x="{L}" y="28" font-size="10.5" fill="{MUTED}">{}</text>"#,
        xml_escape(&format!("{formula} curve at {:.2} leads per open hour", pod.arrivals_per_open_hour))
    );
    // Grid and y axis.
    for step in 0..=4 {
        let share = f64::from(step) / 4.0;
        let y = y_of(share);
        let _ = writeln!(
            svg,
            r##"<line x1="{L}" y1="{y:.1}" x2="{x2:.1}" y2="{y:.1}" stroke="#e3e8ed" stroke-width="1"/>"##,
            x2 = L + pw
        );
        let _ = writeln!(
            svg,
            r#"<text x="{x:.1}" y="{ty:.1}" font-size="10" fill="{MUTED}" text-anchor="end">{}%</text>"#,
            step * 25,
            x = L - 5.0,
            ty = y + 3.5
        );
    }
    // X ticks: at most 8, on whole reps; productive above, head count below.
    let tick_step = (last - first).div_ceil(7).max(1);
    let mut n = first;
    while n <= last {
        let x = x_of(n);
        let reps = curve.points.iter().find(|p| p.productive_reps == n).map(|p| p.reps);
        let _ = writeln!(
            svg,
            r#"<line x1="{x:.1}" y1="{y1:.1}" x2="{x:.1}" y2="{y2:.1}" stroke="{LINE}" stroke-width="1"/>"#,
            y1 = T + ph,
            y2 = T + ph + 4.0
        );
        let _ = writeln!(
            svg,
            r#"<text x="{x:.1}" y="{ty:.1}" font-size="10" fill="{INK}" text-anchor="middle">{n}</text>"#,
            n = group_thousands(&n.to_string()),
            ty = T + ph + 15.0
        );
        if let Some(reps) = reps {
            let _ = writeln!(
                svg,
                r#"<text x="{x:.1}" y="{ty:.1}" font-size="9" fill="{MUTED}" text-anchor="middle">({reps})</text>"#,
                reps = group_thousands(&reps.to_string()),
                ty = T + ph + 26.0
            );
        }
        n = n.saturating_add(tick_step);
        if n == u32::MAX {
            break;
        }
    }
    let _ = writeln!(
        svg,
        r#"<text x="{x:.1}" y="{ty:.1}" font-size="10" fill="{MUTED}" text-anchor="middle">productive reps (head count)</text>"#,
        x = L + pw / 2.0,
        ty = H - 8.0
    );
    let _ = writeln!(
        svg,
        r#"<line x1="{L}" y1="{T}" x2="{L}" y2="{y:.1}" stroke="{LINE}" stroke-width="1"/><line x1="{L}" y1="{y:.1}" x2="{x2:.1}" y2="{y:.1}" stroke="{LINE}" stroke-width="1"/>"#,
        y = T + ph,
        x2 = L + pw
    );
    // Target: a dashed line, named in the right margin.
    let ty = y_of(curve.target);
    let _ = writeln!(
        svg,
        r#"<line class="target" x1="{L}" y1="{ty:.1}" x2="{x2:.1}" y2="{ty:.1}" stroke="{BAD}" stroke-width="1.2" stroke-dasharray="6 4"/>"#,
        x2 = L + pw
    );
    let _ = writeln!(
        svg,
        r#"<text x="{x:.1}" y="{y:.1}" font-size="10" fill="{BAD}">target</text>"#,
        x = L + pw + 4.0,
        y = ty + 3.5
    );
    // Curve.
    let path: Vec<String> =
        curve.points.iter().map(|p| format!("{:.1},{:.1}", x_of(p.productive_reps), y_of(p.attainment))).collect();
    let _ = writeln!(
        svg,
        r#"<polyline class="curve" points="{}" fill="none" stroke="{ACCENT}" stroke-width="2" stroke-linejoin="round"/>"#,
        path.join(" ")
    );
    if curve.points.len() <= 40 {
        for p in &curve.points {
            let fill = if p.stable { ACCENT } else { "#ffffff" };
            let _ = writeln!(
                svg,
                r#"<circle cx="{:.1}" cy="{:.1}" r="2.4" fill="{fill}" stroke="{ACCENT}" stroke-width="1"/>"#,
                x_of(p.productive_reps),
                y_of(p.attainment)
            );
        }
    }
    // Today's team: a ring on the curve, and the simulated figure when that is what the design
    // reports; both named in a legend line under the title, where no point can hide them.
    let current = curve.current_productive_reps;
    let mut legend_x = L;
    if let Some(p) = curve.points.iter().find(|p| p.productive_reps == current) {
        let (cx, cy) = (x_of(current), y_of(p.attainment));
        let _ = writeln!(
            svg,
            r##"<line x1="{cx:.1}" y1="{T}" x2="{cx:.1}" y2="{y2:.1}" stroke="#1d232b" stroke-width="1" stroke-dasharray="2 3"/>"##,
            y2 = T + ph
        );
        let _ = writeln!(
            svg,
            r##"<circle class="current" cx="{cx:.1}" cy="{cy:.1}" r="5" fill="none" stroke="{INK}" stroke-width="2"/>"##
        );
        let text = format!(
            "today {} ({}): {}",
            group_thousands(&current.to_string()),
            group_thousands(&pod.reps.to_string()),
            pct(p.attainment)
        );
        let _ = writeln!(
            svg,
            r##"<circle cx="{x:.1}" cy="39" r="4" fill="none" stroke="{INK}" stroke-width="2"/><text x="{tx:.1}" y="42.5" font-size="10.5" fill="{INK}">{}</text>"##,
            xml_escape(&text),
            x = legend_x + 4.0,
            tx = legend_x + 12.0
        );
        legend_x += 12.0 + 5.6 * text.chars().count() as f64 + 10.0;
        if pod.basis == Basis::Simulation {
            let sy = y_of(pod.attainment);
            let _ =
                writeln!(svg, r#"<path class="simulated" d="M{cx:.1} {:.1}l5 5l-5 5l-5 -5z" fill="{BAD}"/>"#, sy - 5.0);
            let _ = writeln!(
                svg,
                r#"<path d="M{x:.1} 34l5 5l-5 5l-5 -5z" fill="{BAD}"/><text x="{tx:.1}" y="42.5" font-size="10.5" fill="{BAD}">simulated: {}</text>"#,
                pct(pod.attainment),
                x = legend_x + 4.0,
                tx = legend_x + 12.0
            );
        }
    }
    close(svg)
}

/// A pod id made safe for an XML id (ids are slugs already; this guards overridden inputs).
fn svg_id(text: &str) -> String {
    text.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_every_markup_character() {
        assert_eq!(xml_escape("<a href=\"x\">'&'</a>"), "&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;");
        assert_eq!(xml_escape("a\u{0}b\nc"), "ab c");
    }

    #[test]
    fn wraps_at_spaces_and_splits_long_words() {
        assert_eq!(wrap("one two three", 7), vec!["one two", "three"]);
        assert_eq!(wrap("abcdefghij", 4), vec!["abcd", "efgh", "ij"]);
        assert_eq!(wrap("", 10), vec![""]);
    }
}
