//! Every sentence and phrase the documents and diagnostics say about a fact of the Model.
//!
//! Calculators and the Model return enums and numbers; this module is the one place that turns
//! them into words, so a risk, an advice, a ladder step or a routing outcome reads the same in
//! the design doc, the approval packet, `validate --risks`, `check` and JSON. Change a phrase
//! here and it changes everywhere at once.

use serde::Serialize;

use super::short_number;
use crate::brief::StepAction;
use crate::calc::routing::coverage::DeadReason;
use crate::calc::routing::{Explanation, NamedFailure, RoutePath, TestOutcome};
use crate::calc::sla::Basis;
use crate::model::{Advice, Area, ClosedHours, Destination, ImpliedFlow, NamedRep, Need, Risk, RiskKind, Severity};

/// A risk with its sentence, as the documents list it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RiskLine {
    /// `high`, `medium` or `low`.
    pub severity: Severity,
    /// `sla`, `routing` …
    pub area: Area,
    /// What is at risk, in words.
    pub message: String,
    /// JSON pointer into the brief.
    #[serde(skip)]
    pub pointer: String,
}

/// The risks with their sentences, most severe first, then by area and by what they say.
#[must_use]
pub fn risk_lines(risks: &[Risk]) -> Vec<RiskLine> {
    let mut lines: Vec<RiskLine> = risks
        .iter()
        .map(|r| RiskLine {
            severity: r.severity,
            area: r.area(),
            message: risk_message(&r.kind),
            pointer: r.pointer.clone(),
        })
        .collect();
    lines.sort_by(|a, b| {
        (a.severity, a.area, &a.message, &a.pointer).cmp(&(b.severity, b.area, &b.message, &b.pointer))
    });
    lines
}

/// A risk as a diagnostic says it: `high sla risk: Pod east-sdr touches …`.
#[must_use]
pub fn risk_warning(line: &RiskLine) -> String {
    format!("{} {} risk: {}", line.severity.as_str(), line.area.as_str(), line.message)
}

/// The sentence for one risk.
#[must_use]
pub fn risk_message(kind: &RiskKind) -> String {
    match kind {
        RiskKind::AttainmentUnderTarget { pod, attainment, target, sla, required_reps } => format!(
            "Pod {pod} touches {:.1}% of leads within {sla}, under the {:.0}% target{}.",
            attainment * 100.0,
            target * 100.0,
            match required_reps {
                Some(n) => format!("; it needs {n} reps"),
                None => "; no head count the simulation tried reaches it".to_owned(),
            }
        ),
        RiskKind::AttainmentCapped { pod, attainment, target, sla, closed } => format!(
            "Pod {pod} touches {:.1}% of leads within {sla}, under the {:.0}% target, and no head count reaches it: {}, so at most {:.1}% can be touched in time.",
            attainment * 100.0,
            target * 100.0,
            closed_hours_cause(closed),
            closed.ceiling * 100.0
        ),
        RiskKind::OccupancyAboveMax { pod, occupancy, max } => format!(
            "Pod {pod} is {:.0}% occupied in open hours, over the {:.0}% ceiling: no slack for follow-ups.",
            occupancy * 100.0,
            max * 100.0
        ),
        RiskKind::SingleRep { pod } => format!("Pod {pod} has one rep: nobody covers absence or leave."),
        RiskKind::SlaNotEvaluated { pod, error } => {
            format!("Pod {pod}: the SLA model could not be evaluated: {error}.")
        }
        RiskKind::UnstableQueue {
            pod,
            traffic_erlangs,
            productive_reps,
            required_productive_reps,
            keeps_up_productive_reps,
            cold_share,
        } => unstable_queue(
            pod,
            *traffic_erlangs,
            *productive_reps,
            *required_productive_reps,
            *keeps_up_productive_reps,
            *cold_share,
        ),
        RiskKind::QueueNotSettled { pod, occupancy, warmup_weeks, relaxation_weeks } => format!(
            "Pod {pod}'s queue does not settle at this load{}: {}, and it falls the longer the pod runs.",
            occupancy.map_or_else(String::new, |o| format!(" ({:.1}% occupied, every lead counted)", o * 100.0)),
            match relaxation_weeks {
                Some(w) => format!(
                    "it takes about {w:.0} weeks to forget a quiet start, so even after a {warmup_weeks}-week warm-up the simulated attainment is what those weeks show"
                ),
                None => "more work arrives in a week than its reps can do in open hours, so the simulated attainment is what its first weeks show".to_owned(),
            }
        ),
        RiskKind::NoLeads { pod } => format!("Pod {pod} receives no leads from the routing and demand mix."),
        RiskKind::MixUnstated { fields } => format!(
            "The demand mix gives no shares for {}: the load per pod assumes values split evenly (present/absent half and half).",
            fields.join(", ")
        ),
        RiskKind::Unrouted { share } => {
            format!("{:.1}% of leads can reach nobody: not even the fallback can take them.", share * 100.0)
        }
        RiskKind::FallbackOverGuardrail { share, max, gaps } => format!(
            "{:.1}% of leads fall to a fallback, over the {:.1}% guardrail: {gaps} combinations of attribute values match no rule.",
            share * 100.0,
            max * 100.0
        ),
        RiskKind::DeadRule { rule, reason } => format!("Rule {rule} can never fire: {}.", dead_reason(reason)),
        RiskKind::EnrichmentNotListed { field } => {
            format!("Field {field} is read by routing but not listed under routing.enrichment.")
        }
        RiskKind::CoveragePartial { enumerated, combinations } => {
            format!(
                "Coverage was checked on {enumerated} of {combinations} attribute combinations; findings are partial."
            )
        }
        RiskKind::DependencyPastDue { name, due, status } => {
            format!("Dependency “{name}” was due {due} and is {status}.")
        }
        RiskKind::DependencyNoOwner { name } => format!("Dependency “{name}” has no owner."),
        RiskKind::DependencyBlocked { name } => format!("Dependency “{name}” is blocked."),
        RiskKind::DependencyAfterLaunch { name, due, launch } => {
            format!("Dependency “{name}” is due {due}, after launch on {launch}.")
        }
        RiskKind::AssetPastDue { asset, due, lead_days } => {
            format!("Enablement asset “{asset}” was due {due} ({lead_days} business days before launch).")
        }
        RiskKind::AssetNoOwner { asset } => format!("Enablement asset “{asset}” has no owner."),
        RiskKind::KitGap { pod, missing } => {
            format!("Pod {pod} has no {} in its enablement kit.", missing.join(", "))
        }
    }
}

/// More work offered than a pod can do, as a RevOps lead reads it: the work as a multiple of the
/// pod's capacity (not "250% occupied"), then what follows. Without patience the queue grows
/// without bound, and a head count stops that; with patience a queue never does (Erlang A):
/// leads go cold instead, and the sentence gives the share that do.
fn unstable_queue(
    pod: &str,
    traffic: f64,
    productive: u32,
    required: Option<u32>,
    keeps_up: u32,
    cold_share: Option<f64>,
) -> String {
    let load = if productive == 0 {
        format!("{traffic:.1} erlangs of first-touch work arrive in open hours and no rep is productive")
    } else {
        let times = traffic / f64::from(productive);
        // Two decimals near capacity, so 1.02× does not read as 1.0×.
        let times = if times < 1.095 { format!("{times:.2}") } else { format!("{times:.1}") };
        format!(
            "the first-touch work offered in open hours is {times}× the pod's capacity ({traffic:.1} erlangs for {productive} productive {})",
            if productive == 1 { "rep" } else { "reps" }
        )
    };
    let (consequence, remedy) = match cold_share {
        None => ("so the queue grows without bound".to_owned(), "stop it growing"),
        Some(cold) => (
            format!(
                "so the queue stays bounded only by losing leads: {:.1}% go cold before a first touch (simulated)",
                cold * 100.0
            ),
            "do the work",
        ),
    };
    let target = match required {
        Some(n) if n == keeps_up => " and reach the target".to_owned(),
        Some(n) => format!("; {n} reach the target"),
        None => String::new(),
    };
    format!("Pod {pod} cannot keep up: {load}, {consequence}; {keeps_up} productive reps {remedy}{target}.")
}

// ---- Advice: what it takes for a pod to meet its target (issue 12, item 8) ----

/// What it takes for a pod to meet its target, as the design doc says it after "What it takes:".
/// Names the cause that binds: head count, touch time, closed hours, patience, the clock; never
/// a promise an unbounded queue cannot keep.
#[must_use]
pub fn advice(advice: &Advice) -> String {
    match advice {
        Advice::Keeps { enough_reps: Some(0), .. } => "nothing more: no leads reach the pod.".to_owned(),
        Advice::Keeps { reps: 1, enough_reps: _ } => "the current rep keeps the promise.".to_owned(),
        Advice::Keeps { reps, enough_reps } => format!(
            "the current {reps} reps keep the promise{}.",
            enough_reps.map(|n| format!("; {n} would be enough")).unwrap_or_default()
        ),
        Advice::MoreReps { reps, required_reps, promisable_sla_minutes, business_day_minutes } => format!(
            "{required_reps} reps (today {reps}){}.",
            promisable_sla_minutes
                .map(|m| {
                    let promise = match business_day_minutes {
                        Some(day) => format!("{} of business time", super::format_business_minutes(m, *day)),
                        None => super::format_minutes(m),
                    };
                    format!(", or promise {promise} with today's team")
                })
                .unwrap_or_default()
        ),
        Advice::Overloaded {
            reps,
            productive_reps,
            traffic_erlangs,
            leads_per_open_hour,
            touch_minutes,
            goes_cold,
            keeps_up_productive_reps,
            keeps_up_reps,
            required_reps,
            closed,
        } => {
            let target = match (required_reps, closed) {
                (Some(n), _) => format!(", and {n} to reach the target"),
                (None, Some(c)) => format!(". {}", closed_hours_bound(c)),
                (None, None) => ". No head count the simulation tried reaches the target".to_owned(),
            };
            let consequence = if *goes_cold {
                "so the pod keeps up only by letting leads go cold"
            } else {
                "so the queue grows without bound and today's team can promise no SLA"
            };
            format!(
                "{keeps_up_reps} reps ({keeps_up_productive_reps} productive) just to keep up{target}. Today {leads_per_open_hour:.2} leads an open hour at {} of touch time each are {traffic_erlangs:.2} erlangs of first-touch work for {}, {consequence}; a shorter first touch shrinks that work too.",
                super::format_minutes(*touch_minutes),
                if *reps == 1 && *productive_reps == 1 {
                    "1 rep".to_owned()
                } else {
                    format!("{reps} reps ({productive_reps} productive)")
                }
            )
        }
        Advice::ClosedHours(c) => format!("{}. {}.", closed_hours_remedy(c), closed_hours_bound(c)),
    }
}

/// What changes the bound closed hours put on a pod, first the one that helps most.
fn closed_hours_remedy(c: &ClosedHours) -> &'static str {
    match (&c.patience, c.calendar_clock) {
        (Some(_), false) | (None, false) => {
            "hours that cover the leads arriving while the pod is closed, or another pod open then"
        }
        (Some(_), true) => {
            "hours that cover the leads arriving while the pod is closed, or another pod open then; a business clock or a longer SLA helps only the leads that stay warm"
        }
        (None, true) => {
            "a business clock, a longer SLA, or hours that cover the leads arriving while the pod is closed"
        }
    }
}

/// Why no head count reaches the target, with the bound: `No head count reaches the 85% target:
/// …; even with a rep free for every lead at every opening, at most 71.4% are touched within
/// 15m`, and how far more reps go toward it.
fn closed_hours_bound(c: &ClosedHours) -> String {
    if c.ceiling >= c.target {
        return format!(
            "No head count the simulation tried reaches the {:.0}% target, although closed hours alone would allow {:.1}%",
            c.target * 100.0,
            c.ceiling * 100.0
        );
    }
    let mut text = format!(
        "No head count reaches the {:.0}% target: {}; even with a rep free for every lead at every opening, at most {:.1}% are touched within {}",
        c.target * 100.0,
        closed_hours_cause(c),
        c.ceiling * 100.0,
        c.sla
    );
    // Below the bound by more than the rounding: head count binds too, up to it.
    if c.ceiling - c.attainment >= 0.001 {
        text.push_str(&format!(". More reps lift today's {:.1}% toward that bound, not past it", c.attainment * 100.0));
    }
    if c.patience.is_some() && !c.calendar_clock {
        text.push_str(". A longer SLA does not help: the business clock already stops while the pod is closed");
    }
    text
}

/// The cause closed hours put on attainment, in a clause.
fn closed_hours_cause(c: &ClosedHours) -> String {
    let after = c.after_hours_share * 100.0;
    match (&c.patience, c.calendar_clock) {
        (Some(p), false) => format!(
            "{after:.1}% of leads arrive while the pod is closed and go cold after {p} on average, overnight and over weekends, before anyone can touch them"
        ),
        (Some(p), true) => format!(
            "{after:.1}% of leads arrive while the pod is closed, wait through closed hours on the calendar clock and go cold after {p} on average"
        ),
        (None, _) => format!(
            "{after:.1}% of leads arrive while the pod is closed and the calendar clock counts the closed hours they wait"
        ),
    }
}

/// A list as a sentence says it: `CRO`, `CRO and CMO`, `CRO, CMO and RevOps Director`.
#[must_use]
pub fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// What a pod's available time is given as, as its table cell says it: `35% shrinkage` or
/// `50% available`, whichever the brief gave.
#[must_use]
pub fn time_for_leads(shrinkage: f64, availability: Option<f64>) -> String {
    match availability {
        Some(a) => format!("{}% available", super::short_number(a * 100.0)),
        None => format!("{}% shrinkage", super::short_number(shrinkage * 100.0)),
    }
}

/// What a pod's productive reps are what is left after: `after shrinkage`, or `at 50%
/// availability` when the brief gave availability.
#[must_use]
pub fn productive_after(availability: Option<f64>) -> String {
    match availability {
        Some(a) => format!("at {}% availability", super::short_number(a * 100.0)),
        None => "after shrinkage".to_owned(),
    }
}

/// The escalation tree's note that its times are business time: `times are business time: a
/// day is 8h 30m open`.
#[must_use]
pub fn business_time_note(day: &str) -> String {
    format!("times are business time: a day is {day} open")
}

/// Why a rule never fires, as a risk says it.
#[must_use]
pub fn dead_reason(reason: &DeadReason) -> String {
    match reason {
        DeadReason::MatchesNothing => "no combination of the declared values satisfies its conditions".to_owned(),
        DeadReason::Shadowed { by, more } => {
            format!("earlier rules ({}{}) catch every lead it matches", by.join(", "), and_more(*more))
        }
    }
}

/// Why a rule never fires, as the design doc's coverage findings say it (Markdown, rule ids as
/// code).
#[must_use]
pub fn dead_reason_markdown(reason: &DeadReason) -> String {
    match reason {
        DeadReason::MatchesNothing => "no combination of declared values satisfies its conditions".to_owned(),
        DeadReason::Shadowed { by, more } => {
            let rules: Vec<String> = by.iter().map(|b| format!("`{b}`")).collect();
            format!("every lead it matches is caught earlier by {}{}", rules.join(", "), and_more(*more))
        }
    }
}

/// `, and 979 more` after a list cut short; nothing when it is whole.
fn and_more(more: usize) -> String {
    if more == 0 { String::new() } else { format!(", and {} more", thousands(more)) }
}

/// The line above a list of overlaps cut short: `499,500 pairs of rules overlap; the 20
/// largest by share of demand follow, and 499,480 more are not listed`. `None` when every pair
/// is listed.
#[must_use]
pub fn overlaps_summary(total: usize, listed: usize) -> Option<String> {
    (total > listed).then(|| {
        format!(
            "{} pairs of rules both match some combination; the {listed} largest by share of demand follow, and {} more are not listed",
            thousands(total),
            thousands(total - listed)
        )
    })
}

/// `499500` as `499,500`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A score band's range: `80+` for the top band, `60–79` between whole scores, else
/// `60.5 to under 80`.
#[must_use]
pub fn band_range(min: f64, below: Option<f64>) -> String {
    let whole = |v: f64| v.fract() == 0.0;
    match below {
        None => format!("{}+", short_number(min)),
        Some(b) if whole(min) && whole(b) => format!("{}–{}", short_number(min), short_number(b - 1.0)),
        Some(b) => format!("{} to under {}", short_number(min), short_number(b)),
    }
}

/// What a ladder rung does: `Remind owner`, `Reassign within the pod`, `Escalate to CRO`.
#[must_use]
pub fn rung_action(action: StepAction, to: &str) -> String {
    match action {
        StepAction::Remind => format!("Remind {to}"),
        StepAction::Reassign => format!("Reassign within the {to}"),
        StepAction::Escalate => format!("Escalate to {to}"),
        StepAction::Notify => format!("Notify {to}"),
    }
}

/// Where a routing test's lead goes: `rule → pod (rep)`, `fallback → unrouted`.
#[must_use]
pub fn destination(d: &Destination) -> String {
    let mut text = format!("{} → {}", d.rule, d.pod.as_deref().unwrap_or("unrouted"));
    if let Some(rep) = &d.rep {
        text.push_str(&format!(" ({rep})"));
    }
    text
}

/// Why one step of the routing chain could not place a lead, as the route report and the
/// `--assignments` file say it (short, so unrouted leads aggregate by it).
#[must_use]
pub fn failure(f: &NamedFailure) -> String {
    match f {
        NamedFailure::NoRuleMatched => "no rule matched".to_owned(),
        NamedFailure::FieldMissing { field } => format!("lead has no `{}`", field.as_deref().unwrap_or("?")),
        NamedFailure::OwnerNotFound => "the account owner is not a rep of the pod".to_owned(),
        NamedFailure::OwnerUnavailable => "the account owner is unavailable".to_owned(),
        NamedFailure::OwnerFull => "the account owner is at max_open".to_owned(),
        NamedFailure::NoTerritory => "no pod or rep covers the lead's territory".to_owned(),
        NamedFailure::NobodyFree { pod } => {
            format!("every rep of `{}` is unavailable or at max_open", pod.as_deref().unwrap_or("?"))
        }
    }
}

/// Why a lead went where it did: `matched rule `east`; rule method: the account owner is
/// unavailable; placed by the rule's fallback`.
#[must_use]
pub fn route_reason(e: &Explanation) -> String {
    let mut parts = Vec::new();
    match &e.rule {
        Some(rule) => parts.push(format!("matched rule `{rule}`")),
        None => parts.push("no rule matched".to_owned()),
    }
    for (step, f) in
        [("rule method", &e.primary), ("rule fallback", &e.rule_fallback), ("routing fallback", &e.fallback)]
    {
        if let Some(f) = f {
            parts.push(format!("{step}: {}", failure(f)));
        }
    }
    match e.path {
        RoutePath::Primary => {}
        RoutePath::RuleFallback => parts.push("placed by the rule's fallback".to_owned()),
        RoutePath::RoutingFallback => parts.push("placed by the routing fallback".to_owned()),
        RoutePath::Unrouted => parts.push("unrouted".to_owned()),
    }
    parts.join("; ")
}

/// A failing routing test, as its diagnostic says it: what it expected and what it reached
/// instead.
#[must_use]
pub fn routing_test_failure(t: &TestOutcome) -> String {
    let want = match &t.expected.rep {
        Some(rep) => format!("rule `{}`, pod `{}`, rep `{}`", t.expected.rule, t.expected.pod, rep),
        None => format!("rule `{}`, pod `{}`", t.expected.rule, t.expected.pod),
    };
    let got = match (&t.reached.pod, &t.reached.rep) {
        (Some(pod), Some(rep)) => format!("rule `{}`, pod `{pod}`, rep `{rep}`", t.reached.rule),
        (Some(pod), None) => format!("rule `{}`, pod `{pod}`", t.reached.rule),
        (None, _) => format!("nothing: unrouted ({})", route_reason(&t.reached.reason)),
    };
    let name = t.name.as_deref().map(|n| format!(" `{n}`")).unwrap_or_default();
    format!("routing test{name} expected {want} but reached {got}")
}

/// A count with its noun: `1 pod`, `3 pods`, `1,024 combinations`.
#[must_use]
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{} {}", super::group_thousands(&n.to_string()), if n == 1 { one } else { many })
}

/// A named rep as the pod table lists it: `Sofia Marino (unavailable)` when on leave.
#[must_use]
pub fn rep_name(rep: &NamedRep) -> String {
    if rep.available { rep.name.clone() } else { format!("{} (unavailable)", rep.name) }
}

/// A routing test as the design doc lists it: its name, or its lead (`region=us-west, employees=2500`).
#[must_use]
pub fn routing_test_name(name: Option<&str>, lead: &[(String, String)]) -> String {
    match name {
        Some(name) => name.to_owned(),
        None => lead.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(", "),
    }
}

/// Who owns what the design implies and nobody was named for: the automation flows it implies.
pub const IMPLIED_FLOW_OWNER: &str = "RevOps";

/// Who fills a lead field when no enrichment or scoring dependency names an owner.
pub const DEFAULT_FIELD_OWNER: &str = "Marketing Ops";

/// The checklist's lead-score row when score bands exist but `funnel.score_field` is not set.
pub const SCORE_FIELD_UNNAMED: &str = "score field unnamed (set `funnel.score_field`)";

/// An automation flow the design implies, as the checklist names it.
#[must_use]
pub fn implied_flow(flow: &ImpliedFlow) -> String {
    match flow {
        ImpliedFlow::AssignmentRule { rule } => format!("Assignment rule {rule} in the CRM"),
        ImpliedFlow::FallbackAndUnroutedAlert => "Fallback assignment and unrouted-lead alert".to_owned(),
        ImpliedFlow::SlaTimers => "SLA timers for each escalation rung".to_owned(),
        ImpliedFlow::RipCordAlert => "Rip-cord alert to leadership".to_owned(),
    }
}

/// What a lead field is needed for, as the checklist says it.
#[must_use]
pub fn need(need: Need) -> &'static str {
    match need {
        Need::AccountOwner => "account owner",
        Need::Enrichment => "enrichment",
        Need::RoutingCondition => "routing condition",
        Need::Scoring => "scoring",
        Need::Territory => "territory",
    }
}

/// The name of a queueing formula as a chart says it: `Erlang A`, `Erlang C`.
#[must_use]
pub fn formula_name(basis: Basis) -> &'static str {
    match basis {
        Basis::ErlangA => "Erlang A",
        Basis::ErlangC => "Erlang C",
        Basis::Simulation => "simulation",
    }
}

// --- `handoff route`: open leads and invalid values ---

/// `3600` seconds as `1h`, `90000` as `1d1h` (as `--open-for` is written).
fn span(seconds: i64) -> String {
    let m = seconds.max(0) / 60;
    let (d, h, m) = (m / 1440, m / 60 % 24, m % 60);
    let mut s = String::new();
    for (n, unit) in [(d, "d"), (h, "h"), (m, "m")] {
        if n > 0 {
            s.push_str(&format!("{n}{unit}"));
        }
    }
    if s.is_empty() { "0m".to_owned() } else { s }
}

/// How a replay counted leads open against `max_open`, as the route report says it.
#[must_use]
pub fn open_leads(o: &crate::replay::OpenLeads) -> String {
    use crate::replay::OpenLeads;
    match o {
        OpenLeads::UntilSlaDue { sla, business } => format!(
            "Leads count as open against max_open from `created_at` until their SLA is due ({sla} on the {}), \
             as a CRM counts a lead open until its first touch; `--open-for D` sets a fixed time instead.",
            if *business { "business clock of each pod's calendar" } else { "calendar clock" }
        ),
        OpenLeads::For(seconds) => {
            format!("Leads count as open against max_open for {} after `created_at` (`--open-for`).", span(*seconds))
        }
        OpenLeads::WholeReplay => "Leads count as open against max_open for the whole replay: the file has no \
                                   `created_at` to release them by (nobody works a replayed lead)."
            .to_owned(),
    }
}

/// The heading of the invalid values in the route report.
#[must_use]
pub fn invalid_values_heading(total: u64) -> String {
    format!(
        "Values that are not numbers in a numeric field, routed as if blank: {}",
        super::group_thousands(&total.to_string())
    )
}

/// What `route --synthesize` wrote: ``wrote 2,000 leads to leads.csv (14 covering every routing
/// path, the rest drawn from the demand mix)``.
#[must_use]
pub fn synthesized(leads: u64, path: &str, covering: usize) -> String {
    format!(
        "wrote {} leads to {path} ({} covering every routing path, the rest drawn from the demand mix)",
        super::group_thousands(&leads.to_string()),
        super::group_thousands(&covering.to_string())
    )
}

/// One listed invalid value: ``line 7: `employees` is `5000+`, not a number``.
#[must_use]
pub fn invalid_value(line: u64, field: &str, value: &str) -> String {
    format!("line {line}: `{field}` is `{value}`, not a number")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn route_reasons_name_each_failed_step_then_the_placing_one() {
        let nobody = |pod: &str| NamedFailure::NobodyFree { pod: Some(pod.into()) };
        let e = Explanation {
            rule: Some("w".into()),
            primary: Some(NamedFailure::FieldMissing { field: Some("owner".into()) }),
            rule_fallback: Some(nobody("q")),
            fallback: Some(nobody("z")),
            path: RoutePath::Unrouted,
        };
        assert_eq!(
            route_reason(&e),
            "matched rule `w`; rule method: lead has no `owner`; rule fallback: every rep of `q` is \
             unavailable or at max_open; routing fallback: every rep of `z` is unavailable or at max_open; unrouted"
        );
        let e = Explanation {
            rule: None,
            primary: None,
            rule_fallback: None,
            fallback: None,
            path: RoutePath::RoutingFallback,
        };
        assert_eq!(route_reason(&e), "no rule matched; placed by the routing fallback");
        assert_eq!(failure(&NamedFailure::FieldMissing { field: None }), "lead has no `?`");
    }

    #[test]
    fn band_ranges_read_as_people_write_them() {
        assert_eq!(band_range(80.0, None), "80+");
        assert_eq!(band_range(60.0, Some(80.0)), "60–79");
        assert_eq!(band_range(60.5, Some(80.0)), "60.5 to under 80");
    }

    #[test]
    fn destinations_name_rule_pod_and_rep() {
        let d = Destination { rule: "r1".into(), pod: Some("east".into()), rep: Some("Ana".into()) };
        assert_eq!(destination(&d), "r1 → east (Ana)");
        let d = Destination { rule: "fallback".into(), pod: None, rep: None };
        assert_eq!(destination(&d), "fallback → unrouted");
    }

    #[test]
    fn risks_sort_by_severity_area_then_words() {
        let risk = |severity, kind| Risk { severity, kind, pointer: String::new() };
        let lines = risk_lines(&[
            risk(Severity::Low, RiskKind::NoLeads { pod: "a".into() }),
            risk(Severity::Medium, RiskKind::SingleRep { pod: "b".into() }),
            risk(Severity::Medium, RiskKind::SingleRep { pod: "a".into() }),
            risk(Severity::Medium, RiskKind::AssetNoOwner { asset: "x".into() }),
        ]);
        let order: Vec<&str> = lines.iter().map(|l| l.message.as_str()).collect();
        assert_eq!(
            order,
            [
                "Enablement asset “x” has no owner.",
                "Pod a has one rep: nobody covers absence or leave.",
                "Pod b has one rep: nobody covers absence or leave.",
                "Pod a receives no leads from the routing and demand mix.",
            ]
        );
        assert_eq!(risk_warning(&lines[1]), "medium sla risk: Pod a has one rep: nobody covers absence or leave.");
    }
}
