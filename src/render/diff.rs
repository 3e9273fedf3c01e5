//! `handoff diff`'s formats: the words of a [`Diff`] as text for a terminal, Markdown for a
//! pull-request comment or `$GITHUB_STEP_SUMMARY`, and JSON (the diff with each risk's
//! sentence).

use serde_json::Value;

use super::words;
use crate::diff::{Change, Diff, Direction, Moved, Movement, PodDiff, Presence};
use crate::model::Risk;

/// The diff as JSON: the [`Diff`] as it serialises, with a `message` on every risk (the same
/// sentence the design and the diagnostics say).
#[must_use]
pub(crate) fn json(diff: &Diff) -> Value {
    let mut value = serde_json::to_value(diff).unwrap_or(Value::Null);
    let risks = &diff.risks;
    let sentence = |r: &Risk| Value::String(words::risk_message(&r.kind));
    if let Some(obj) = value.get_mut("risks") {
        for (list, source) in [("added", &risks.added), ("removed", &risks.removed)] {
            if let Some(items) = obj.get_mut(list).and_then(Value::as_array_mut) {
                for (item, risk) in items.iter_mut().zip(source.iter()) {
                    item["message"] = sentence(risk);
                }
            }
        }
        if let Some(items) = obj.get_mut("changed").and_then(Value::as_array_mut) {
            for (item, change) in items.iter_mut().zip(risks.changed.iter()) {
                for (side, risk) in [("before", &change.before), ("after", &change.after)] {
                    if let Some(risk) = risk {
                        item[side]["message"] = sentence(risk);
                    }
                }
            }
        }
    }
    value
}

/// A percentage with one decimal (`85.3%`).
fn pct(v: f64) -> String {
    format!("{:.1}%", v * 100.0)
}

/// `—` for a value that does not exist on a side.
const NONE: &str = "—";

/// A change as `before → after`, or the one value when both sides print the same.
fn arrow<T>(c: &Change<T>, show: impl Fn(&T) -> String) -> String {
    let side = |v: &Option<T>| v.as_ref().map_or_else(|| NONE.to_owned(), &show);
    let (b, a) = (side(&c.before), side(&c.after));
    if b == a { a } else { format!("{b} → {a}") }
}

/// True when a change prints differently on its two sides.
fn shows<T>(c: &Change<T>, show: impl Fn(&T) -> String) -> bool {
    let side = |v: &Option<T>| v.as_ref().map(&show);
    side(&c.before) != side(&c.after)
}

fn reps_needed(c: &Change<u32>, pod: &PodDiff) -> String {
    // `null` with the pod present means no head count reaches the target.
    let side = |n: Option<u32>, present: bool| match (n, present) {
        (Some(n), _) => n.to_string(),
        (None, true) => "unreachable".to_owned(),
        (None, false) => NONE.to_owned(),
    };
    let (b, a) = (side(c.before, pod.reps.before.is_some()), side(c.after, pod.reps.after.is_some()));
    if b == a { a } else { format!("{b} → {a}") }
}

fn minutes(v: &f64) -> String {
    super::format_minutes(*v)
}

/// One headline move, in words (Markdown-safe: ids in code spans).
fn movement(m: &Movement, code: &dyn Fn(&str) -> String) -> String {
    match &m.what {
        Moved::Status { before, after } => format!("status {before} → {after}"),
        Moved::Attainment { pod, before, after } => {
            format!("{} touched within SLA {} → {}", code(pod), pct(*before), pct(*after))
        }
        Moved::RepsNeeded { pod, before, after } => {
            let n = |v: &Option<u32>| v.map_or_else(|| "unreachable".to_owned(), |n| n.to_string());
            format!("{} needs {} → {} reps", code(pod), n(before), n(after))
        }
        Moved::Risks { count } => match m.direction {
            Direction::Worse => format!("{} added", words::count(*count, "risk", "risks")),
            Direction::Better => format!("{} gone", words::count(*count, "risk", "risks")),
        },
        Moved::DeadRules { rules } => {
            let ids: Vec<String> = rules.iter().map(|r| code(r)).collect();
            match m.direction {
                Direction::Worse => format!("rule {} can never fire", ids.join(", ")),
                Direction::Better => format!("rule {} fires again", ids.join(", ")),
            }
        }
        Moved::PastDue { before, after } => format!("items past due {before} → {after}"),
        Moved::Pod { pod, added } => format!("pod {} {}", code(pod), if *added { "added" } else { "removed" }),
    }
}

/// The headline: what got worse, then what got better.
fn headline(diff: &Diff, code: &dyn Fn(&str) -> String, strong: &dyn Fn(&str) -> String) -> String {
    match diff.change {
        Presence::Added => {
            return format!("New brief, status {}.", diff.status.after.as_deref().unwrap_or(NONE));
        }
        Presence::Removed => {
            return format!("Brief removed (it was {}).", diff.status.before.as_deref().unwrap_or(NONE));
        }
        Presence::Unchanged => return "No change.".to_owned(),
        Presence::Modified => {}
    }
    let part = |dir: Direction| -> Vec<String> {
        diff.headline.iter().filter(|m| m.direction == dir).map(|m| movement(m, code)).collect()
    };
    let (worse, better) = (part(Direction::Worse), part(Direction::Better));
    let mut out = Vec::new();
    if !worse.is_empty() {
        out.push(format!("{} {}.", strong("Worse:"), worse.join("; ")));
    }
    if !better.is_empty() {
        out.push(format!("{} {}.", strong("Better:"), better.join("; ")));
    }
    if out.is_empty() { "The brief changed; the design's figures did not.".to_owned() } else { out.join(" ") }
}

/// The rows of a diff: each area's heading and its `(what, before → after)` lines.
struct Table {
    title: &'static str,
    head: [&'static str; 2],
    rows: Vec<[String; 2]>,
}

fn risk_rows(diff: &Diff) -> Vec<Table> {
    let line = |r: &Risk| format!("{} {}: {}", r.severity.as_str(), r.area().as_str(), words::risk_message(&r.kind));
    let mut tables = Vec::new();
    let r = &diff.risks;
    let single = |risks: &[Risk]| risks.iter().map(|x| [line(x), String::new()]).collect::<Vec<_>>();
    if !r.added.is_empty() {
        tables.push(Table { title: "Risks added", head: ["risk", ""], rows: single(&r.added) });
    }
    if !r.changed.is_empty() {
        let mut rows = Vec::new();
        for c in &r.changed {
            if let (Some(b), Some(a)) = (&c.before, &c.after) {
                rows.push([format!("was: {}", line(b)), String::new()]);
                rows.push([format!("now: {}", line(a)), String::new()]);
            }
        }
        tables.push(Table { title: "Risks changed", head: ["risk", ""], rows });
    }
    if !r.removed.is_empty() {
        tables.push(Table { title: "Risks removed", head: ["risk", ""], rows: single(&r.removed) });
    }
    tables
}

fn pod_rows(diff: &Diff, code: &dyn Fn(&str) -> String) -> Vec<[String; 2]> {
    let mut rows = Vec::new();
    for (id, p) in &diff.pods {
        if p.change == Presence::Unchanged {
            continue;
        }
        let basis = |b: &crate::calc::sla::Basis| words::formula_name(*b).to_owned();
        let mut add = |what: &str, value: String| rows.push([format!("{} {what}", code(id)), value]);
        match p.change {
            Presence::Added => add("", "added".to_owned()),
            Presence::Removed => add("", "removed".to_owned()),
            _ => {}
        }
        let measures: [(&str, bool, String); 10] = [
            ("attainment", shows(&p.attainment, |v| pct(*v)), arrow(&p.attainment, |v| pct(*v))),
            ("basis", shows(&p.basis, basis), arrow(&p.basis, basis)),
            (
                "formula attainment",
                shows(&p.formula_attainment, |v| pct(*v)),
                arrow(&p.formula_attainment, |v| pct(*v)),
            ),
            (
                "simulated attainment",
                shows(&p.simulated_attainment, |v| pct(*v)),
                arrow(&p.simulated_attainment, |v| pct(*v)),
            ),
            ("reps", shows(&p.reps, u32::to_string), arrow(&p.reps, u32::to_string)),
            ("reps needed", reps_needed(&p.reps_needed, p).contains('→'), reps_needed(&p.reps_needed, p)),
            ("load share", shows(&p.load_share, |v| pct(*v)), arrow(&p.load_share, |v| pct(*v))),
            (
                "leads a week",
                shows(&p.leads_per_week, |v| format!("{v:.1}")),
                arrow(&p.leads_per_week, |v| format!("{v:.1}")),
            ),
            ("occupancy", shows(&p.occupancy, |v| pct(*v)), arrow(&p.occupancy, |v| pct(*v))),
            (
                "p90 to first touch (simulated)",
                shows(&p.simulated_p90_wait_minutes, minutes),
                arrow(&p.simulated_p90_wait_minutes, minutes),
            ),
        ];
        for (what, changed, value) in measures {
            if changed {
                add(what, value);
            }
        }
        if shows(&p.p90_wait_minutes, minutes) {
            add("p90 to first touch (formula)", arrow(&p.p90_wait_minutes, minutes));
        }
    }
    rows
}

fn list(items: &[String], code: &dyn Fn(&str) -> String) -> String {
    items.iter().map(|i| code(i)).collect::<Vec<_>>().join(", ")
}

fn routing_rows(diff: &Diff, code: &dyn Fn(&str) -> String) -> Vec<[String; 2]> {
    let r = &diff.routing;
    let mut rows = Vec::new();
    if !r.rules_added.is_empty() {
        rows.push(["rules added".to_owned(), list(&r.rules_added, code)]);
    }
    if !r.rules_removed.is_empty() {
        rows.push(["rules removed".to_owned(), list(&r.rules_removed, code)]);
    }
    if !r.rules_changed.is_empty() {
        rows.push(["rules changed".to_owned(), list(&r.rules_changed, code)]);
    }
    if r.reordered {
        rows.push(["rule order".to_owned(), arrow(&r.order, |o| list(o, code))]);
    }
    for (dead, now) in [(&r.dead_rules.added, "can never fire now"), (&r.dead_rules.removed, "fires again")] {
        for d in dead {
            rows.push([format!("rule {}", code(&d.rule)), format!("{now} ({})", words::dead_reason(&d.reason))]);
        }
    }
    // A gap as the design lists it: its conditions, the fields it takes whole, its share.
    let combo = |cells: &[(String, String)], any: &[String]| {
        let mut parts: Vec<String> = cells.iter().map(|(k, v)| format!("{k} {v}")).collect();
        parts.extend(any.iter().map(|f| format!("any {f}")));
        parts.join(", ")
    };
    for (gaps, what) in [(&r.gaps.added, "new coverage gap"), (&r.gaps.removed, "gap now covered")] {
        for g in gaps {
            rows.push([what.to_owned(), format!("{} ({})", code(&combo(&g.cells, &g.any)), pct(g.share))]);
        }
    }
    for g in &r.gaps.changed {
        rows.push([
            "coverage gap".to_owned(),
            format!("{} {}", code(&combo(&g.cells, &g.any)), arrow(&g.share, |v| pct(*v))),
        ]);
    }
    for (what, c) in
        [("gap share", &r.gap_share), ("fallback share", &r.fallback_share), ("unrouted share", &r.unrouted_share)]
    {
        if shows(c, |v| pct(*v)) {
            rows.push([what.to_owned(), arrow(c, |v| pct(*v))]);
        }
    }
    if r.fallback_pod.changed() {
        rows.push(["fallback pod".to_owned(), arrow(&r.fallback_pod, |p| code(p))]);
    }
    rows
}

fn escalation_rows(diff: &Diff, code: &dyn Fn(&str) -> String) -> Vec<[String; 2]> {
    let e = &diff.escalation;
    let mut rows: Vec<[String; 2]> = e
        .rungs
        .iter()
        .map(|r| {
            let step = |x: &Option<crate::brief::StepAction>, to: &Option<String>, at: &Option<f64>| match (x, to, at) {
                (Some(a), Some(t), Some(m)) => format!("{} after {}", words::rung_action(*a, t), minutes(m)),
                _ => NONE.to_owned(),
            };
            let (b, a) = (
                step(&r.action.before, &r.to.before, &r.fires_after_minutes.before),
                step(&r.action.after, &r.to.after, &r.fires_after_minutes.after),
            );
            [format!("step {}", r.level), format!("{b} → {a}")]
        })
        .collect();
    if e.rip_cord_breaches.changed() {
        rows.push(["rip-cord breaches".to_owned(), arrow(&e.rip_cord_breaches, u32::to_string)]);
    }
    if shows(&e.rip_cord_window_minutes, minutes) {
        rows.push(["rip-cord window".to_owned(), arrow(&e.rip_cord_window_minutes, minutes)]);
    }
    if e.rip_cord_notify.changed() {
        rows.push(["rip-cord tells".to_owned(), arrow(&e.rip_cord_notify, |n| list(n, code))]);
    }
    rows
}

fn item_rows(diff: &Diff, code: &dyn Fn(&str) -> String) -> (Vec<[String; 2]>, Vec<[String; 2]>) {
    let flags = |f: &Vec<String>| if f.is_empty() { "ok".to_owned() } else { f.join(", ") };
    let owner = |o: &String| if o.is_empty() { "no owner".to_owned() } else { o.clone() };
    let mut enablement = Vec::new();
    for i in &diff.enablement.items {
        let name = code(&i.asset);
        for (what, show) in [
            ("due", arrow(&i.due, String::clone)),
            ("owner", arrow(&i.owner, owner)),
            ("pods", arrow(&i.pods, |p| p.join(", "))),
            ("flags", arrow(&i.flags, flags)),
        ] {
            if show.contains('→') {
                enablement.push([format!("{name} {what}"), show]);
            }
        }
    }
    let mut dependencies = Vec::new();
    for d in &diff.dependencies.items {
        let name = code(&d.name);
        for (what, show) in [
            ("status", arrow(&d.status, String::clone)),
            ("due", arrow(&d.due, String::clone)),
            ("owner", arrow(&d.owner, owner)),
            ("flags", arrow(&d.flags, flags)),
        ] {
            if show.contains('→') {
                dependencies.push([format!("{name} {what}"), show]);
            }
        }
    }
    for (rows, c) in [(&mut enablement, &diff.enablement.past_due), (&mut dependencies, &diff.dependencies.past_due)] {
        if c.changed() && c.before.is_some() && c.after.is_some() {
            rows.push(["past due".to_owned(), arrow(c, usize::to_string)]);
        }
    }
    (enablement, dependencies)
}

/// Every area's table, risks first.
fn tables(diff: &Diff, code: &dyn Fn(&str) -> String) -> Vec<Table> {
    let mut out = risk_rows(diff);
    let (enablement, dependencies) = item_rows(diff, code);
    let status = if diff.status.changed() {
        vec![["status".to_owned(), arrow(&diff.status, String::clone)]]
    } else {
        Vec::new()
    };
    for (title, rows) in [
        ("Status", status),
        ("Pods", pod_rows(diff, code)),
        ("Routing", routing_rows(diff, code)),
        ("Escalation", escalation_rows(diff, code)),
        ("Enablement", enablement),
        ("Dependencies", dependencies),
    ] {
        if !rows.is_empty() {
            out.push(Table { title, head: ["", "before → after"], rows });
        }
    }
    out
}

fn name(diff: &Diff) -> String {
    diff.after_path.clone().or_else(|| diff.before_path.clone()).unwrap_or_else(|| diff.id.clone())
}

/// The diff as Markdown: a headline, then a table per changed area (risks added first).
#[must_use]
pub(crate) fn markdown(diff: &Diff) -> String {
    let code = |s: &str| format!("`{}`", s.replace('`', "'").replace('|', "\\|").replace(['\r', '\n'], " "));
    let cell = |s: &str| s.replace('|', "\\|").replace(['\r', '\n'], " ");
    let strong = |s: &str| format!("**{s}**");
    let mut out = format!("### {} — {}\n\n", code(&diff.id), cell(&name(diff)).replace('`', "'"));
    out.push_str(&cell(&headline(diff, &code, &strong)));
    out.push_str("\n\n");
    if !diff.changed_sections.is_empty() && diff.change == Presence::Modified {
        out.push_str(&format!("Sections changed: {}.\n\n", list(&diff.changed_sections, &code)));
    }
    if diff.change != Presence::Modified {
        return out;
    }
    for t in tables(diff, &code) {
        out.push_str(&format!("#### {}\n\n", t.title));
        if t.head[1].is_empty() {
            for row in &t.rows {
                out.push_str(&format!("- {}\n", super::escape_markdown(&row[0])));
            }
        } else {
            out.push_str(&format!("| {} | {} |\n| --- | --- |\n", t.head[0], t.head[1]));
            for row in &t.rows {
                out.push_str(&format!("| {} | {} |\n", cell(&row[0]), cell(&row[1])));
            }
        }
        out.push('\n');
    }
    out
}

/// The diff as text for a terminal.
#[must_use]
pub(crate) fn text(diff: &Diff) -> String {
    let plain = |s: &str| s.to_owned();
    let mut out = format!("{} ({})\n  {}\n", diff.id, name(diff), headline(diff, &plain, &plain));
    if diff.change != Presence::Modified {
        return out;
    }
    if !diff.changed_sections.is_empty() {
        out.push_str(&format!("  sections changed: {}\n", diff.changed_sections.join(", ")));
    }
    for t in tables(diff, &plain) {
        out.push_str(&format!("  {}:\n", t.title.to_lowercase()));
        let width = t.rows.iter().map(|r| r[0].chars().count()).max().unwrap_or(0);
        for row in &t.rows {
            if row[1].is_empty() {
                out.push_str(&format!("    {}\n", row[0]));
            } else {
                out.push_str(&format!("    {:width$}  {}\n", row[0], row[1]));
            }
        }
    }
    out
}

/// What to say when `--base` finds no brief that changed.
#[must_use]
pub(crate) fn nothing_changed(git_ref: &str) -> String {
    format!("No brief changed against {git_ref}.")
}

/// A brief named to `diff --base` that exists neither at the revision nor on disk.
#[must_use]
pub(crate) fn absent_on_both_sides() -> String {
    "no such brief, at the base revision or in the working tree".to_owned()
}

/// The last line when a version is invalid.
#[must_use]
pub(crate) fn invalid_summary(errors: usize) -> String {
    format!("diff needs two valid versions: {}\n", words::count(errors, "error", "errors"))
}
