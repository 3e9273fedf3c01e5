//! Semantic checks: what the schema cannot say about a brief.
//!
//! The schema checks each value on its own; these checks look across the brief (a rule naming
//! a pod that does not exist, duplicate ids, shares that do not add up) and parse what the
//! schema only shapes (real dates, IANA zones, durations, hours that close after they open).
//! Each problem carries the JSON pointer of the offending value, so the loader can place it
//! at a line and column.

use std::collections::BTreeMap;

use crate::brief::{Assign, Attribute, Brief, BusinessHours, Demand, Method, Pod, Reps};
use crate::calc::duration::Duration;
use crate::diag::escape_pointer;
use crate::schema::nearest;

/// One semantic problem: the JSON pointer of the offending value and a plain message.
pub type Problem = (String, String);

/// Each failing `routing.tests` entry, at the test, saying what it reached instead.
fn routing_test_failures(brief: &Brief) -> Vec<Problem> {
    crate::calc::routing::run_tests(brief)
        .into_iter()
        .filter(|t| !t.passed)
        .map(|t| {
            let want = match &t.expected.rep {
                Some(rep) => format!("rule `{}`, pod `{}`, rep `{}`", t.expected.rule, t.expected.pod, rep),
                None => format!("rule `{}`, pod `{}`", t.expected.rule, t.expected.pod),
            };
            let got = match (&t.reached.pod, &t.reached.rep) {
                (Some(pod), Some(rep)) => format!("rule `{}`, pod `{pod}`, rep `{rep}`", t.reached.rule),
                (Some(pod), None) => format!("rule `{}`, pod `{pod}`", t.reached.rule),
                (None, _) => format!("nothing: unrouted ({})", t.reached.reason),
            };
            let name = t.name.as_deref().map(|n| format!(" `{n}`")).unwrap_or_default();
            (format!("/routing/tests/{}", t.index), format!("routing test{name} expected {want} but reached {got}"))
        })
        .collect()
}

/// Tolerance on shares that must sum to 1.
const SHARE_TOLERANCE: f64 = 1e-6;

/// Every semantic problem in `brief`, in the order of the brief.
#[must_use]
pub fn check(brief: &Brief) -> Vec<Problem> {
    let mut out = Vec::new();
    check_calendar(brief, &mut out);
    check_demand(brief, &mut out);
    let pods = check_pods(brief, &mut out);
    check_routing(brief, &pods, &mut out);
    check_escalation(brief, &mut out);
    check_dependencies(brief, &mut out);
    check_enablement(brief, &pods, &mut out);
    if brief.approvers.is_empty() {
        out.push(("/approvers".to_owned(), "no approver: name at least one role that signs the packet".to_owned()));
    }

    // Routing: condition syntax and methods (calc::routing::check), then the brief's own
    // routing tests, which only run on routing that compiles.
    let routing_problems = crate::calc::routing::check(brief);
    let routing_compiles = routing_problems.is_empty();
    // Both this module and calc::routing check pod and rule references; say each thing once.
    let reported: std::collections::BTreeSet<String> = out.iter().map(|(p, _)| p.clone()).collect();
    out.extend(routing_problems.into_iter().filter(|(p, _)| !reported.contains(p)));
    if routing_compiles && out.is_empty() {
        out.extend(routing_test_failures(brief));
    }

    out
}

fn push(out: &mut Vec<Problem>, pointer: impl Into<String>, message: impl Into<String>) {
    out.push((pointer.into(), message.into()));
}

fn check_calendar(brief: &Brief, out: &mut Vec<Problem>) {
    check_duration(&brief.response_sla, "/response_sla", out);
    check_timezone(&brief.timezone, "/timezone", out);
    check_hours(&brief.business_hours, "/business_hours", out);
    check_dates(&brief.holidays, "/holidays", out);
    check_date(&brief.launch, "/launch", out);
}

fn check_duration(text: &str, pointer: &str, out: &mut Vec<Problem>) {
    if let Err(e) = Duration::parse(text) {
        let message = if text.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'd' | b'h' | b'm')) && !text.is_empty()
        {
            // The shape is right but the value is zero or out of range.
            format!("`{text}` is not a usable duration: it must be more than zero and at most ten years")
        } else {
            e.to_string()
        };
        push(out, pointer, message);
    }
}

fn check_timezone(name: &str, pointer: &str, out: &mut Vec<Problem>) {
    let known = jiff::tz::db().get(name).is_ok() && !name.eq_ignore_ascii_case("Etc/Unknown");
    if known {
        return;
    }
    let names: Vec<String> = jiff::tz::db().available().map(|n| n.as_str().to_owned()).collect();
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let hint = match nearest(name, &refs) {
        Some(best) => format!("; did you mean `{best}`?"),
        None => ", such as `America/New_York` or `Europe/London`".to_owned(),
    };
    push(out, pointer, format!("`{name}` is not an IANA time zone{hint}"));
}

/// Minutes after midnight of `HH:MM`, when it is a real time of day.
fn parse_time(text: &str) -> Option<u32> {
    let (h, m) = text.split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    let h: u32 = h.parse().ok()?;
    let m: u32 = m.parse().ok()?;
    (h < 24 && m < 60).then_some(h * 60 + m)
}

fn check_hours(hours: &BusinessHours, pointer: &str, out: &mut Vec<Problem>) {
    if hours.days.is_empty() {
        push(out, format!("{pointer}/days"), "no open day: list at least one, such as `[mon, tue, wed, thu, fri]`");
    }
    let open = parse_time(&hours.open);
    let close = parse_time(&hours.close);
    for (field, text, parsed) in [("open", &hours.open, open), ("close", &hours.close, close)] {
        if parsed.is_none() {
            push(
                out,
                format!("{pointer}/{field}"),
                format!("`{text}` is not a time: write `HH:MM` on the 24-hour clock, such as `08:30` or `17:30`"),
            );
        }
    }
    if let (Some(o), Some(c)) = (open, close)
        && c <= o
    {
        push(
            out,
            format!("{pointer}/close"),
            format!("closes at {} but opens at {}: the close must come after the open", hours.close, hours.open),
        );
    }
}

/// Parse `YYYY-MM-DD` as a real calendar date.
fn parse_date(text: &str) -> Option<jiff::civil::Date> {
    let b = text.as_bytes();
    let shape = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape {
        return None;
    }
    text.parse::<jiff::civil::Date>().ok()
}

fn check_date(text: &str, pointer: &str, out: &mut Vec<Problem>) {
    if parse_date(text).is_none() {
        let b = text.as_bytes();
        let message = if b.len() == 10 && b[4] == b'-' && b[7] == b'-' {
            format!("`{text}` is not a real date (no such day in the calendar)")
        } else {
            format!("`{text}` is not a date: write `YYYY-MM-DD`, such as `2027-02-01`")
        };
        push(out, pointer, message);
    }
}

fn check_dates(dates: &[String], pointer: &str, out: &mut Vec<Problem>) {
    for (i, d) in dates.iter().enumerate() {
        check_date(d, &format!("{pointer}/{i}"), out);
    }
}

fn check_demand(brief: &Brief, out: &mut Vec<Problem>) {
    let Demand { leads_per_day, leads_per_week, mix, .. } = &brief.demand;
    match (leads_per_day, leads_per_week) {
        (None, None) => push(out, "/demand", "give one of `leads_per_day` or `leads_per_week`"),
        (Some(_), Some(_)) => push(out, "/demand", "give only one of `leads_per_day` or `leads_per_week`"),
        _ => {}
    }
    for (attribute, shares) in mix {
        let at = format!("/demand/mix/{}", escape_pointer(attribute));
        let declared = brief.routing.attributes.get(attribute);
        match declared {
            None => {
                let names: Vec<&str> = brief.routing.attributes.keys().map(String::as_str).collect();
                let hint = match nearest(attribute, &names) {
                    Some(best) => format!("; did you mean `{best}`?"),
                    None => String::new(),
                };
                push(out, at.clone(), format!("attribute `{attribute}` is not declared in `routing.attributes`{hint}"));
            }
            Some(attr) => {
                let closed: &[String] = match attr {
                    Attribute::Values(values) => values,
                    Attribute::Typed(t) => &t.values,
                };
                if !closed.is_empty() {
                    for value in shares.keys() {
                        if !closed.iter().any(|c| c.eq_ignore_ascii_case(value)) {
                            let refs: Vec<&str> = closed.iter().map(String::as_str).collect();
                            let hint = match nearest(value, &refs) {
                                Some(best) => format!("did you mean `{best}`?"),
                                None => format!("the values are {}", quoted_list(&refs)),
                            };
                            push(
                                out,
                                format!("{at}/{}", escape_pointer(value)),
                                format!("`{value}` is not a value of `{attribute}`; {hint}"),
                            );
                        }
                    }
                }
            }
        }
        let sum: f64 = shares.values().sum();
        if (sum - 1.0).abs() > SHARE_TOLERANCE {
            push(out, at, format!("the shares of `{attribute}` sum to {}, not 1", round6(sum)));
        }
    }
}

fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

fn quoted_list(items: &[&str]) -> String {
    items.iter().map(|i| format!("`{i}`")).collect::<Vec<_>>().join(", ")
}

/// Checks pods; returns pod ids in order (first occurrence).
fn check_pods<'b>(brief: &'b Brief, out: &mut Vec<Problem>) -> Vec<&'b str> {
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    let mut ids = Vec::new();
    for (i, pod) in brief.capacity.pods.iter().enumerate() {
        let at = format!("/capacity/pods/{i}");
        if let Some(first) = seen.get(pod.id.as_str()) {
            push(out, format!("{at}/id"), format!("pod id `{}` is already used by capacity.pods[{first}]", pod.id));
        } else {
            seen.insert(&pod.id, i);
            ids.push(pod.id.as_str());
        }
        check_pod(pod, &at, out);
    }
    ids
}

fn check_pod(pod: &Pod, at: &str, out: &mut Vec<Problem>) {
    let no_reps = match &pod.reps {
        Reps::Count(n) => *n == 0,
        Reps::Named(reps) => reps.is_empty(),
    };
    if no_reps {
        push(out, format!("{at}/reps"), format!("pod `{}` has no reps: give a head count or list the reps", pod.id));
    }
    if pod.shrinkage.is_some() && pod.availability.is_some() {
        push(
            out,
            format!("{at}/availability"),
            "give `shrinkage` or `availability`, not both (availability = 1 − shrinkage)",
        );
    }
    if let Some(patience) = &pod.patience {
        check_duration(patience, &format!("{at}/patience"), out);
    }
    if let Some(tz) = &pod.timezone {
        check_timezone(tz, &format!("{at}/timezone"), out);
    }
    if let Some(hours) = &pod.business_hours {
        check_hours(hours, &format!("{at}/business_hours"), out);
    }
    if let Some(holidays) = &pod.holidays {
        check_dates(holidays, &format!("{at}/holidays"), out);
    }
}

fn check_pod_ref(pod: &str, pods: &[&str], pointer: String, out: &mut Vec<Problem>) {
    if pods.contains(&pod) {
        return;
    }
    let hint = match nearest(pod, pods) {
        Some(best) => format!("did you mean `{best}`?"),
        None => format!("the pods are {}", quoted_list(pods)),
    };
    push(out, pointer, format!("no pod `{pod}` in `capacity.pods`; {hint}"));
}

fn check_assign(assign: &Assign, pods: &[&str], at: &str, out: &mut Vec<Problem>) {
    match &assign.pod {
        Some(pod) => check_pod_ref(pod, pods, format!("{at}/pod"), out),
        None if assign.method != Method::Territory => {
            push(out, at, format!("`{}` needs a `pod`; only `territory` may leave it out", method_name(assign.method)))
        }
        None => {}
    }
}

fn method_name(method: Method) -> &'static str {
    match method {
        Method::AccountOwner => "account_owner",
        Method::RoundRobin => "round_robin",
        Method::Weighted => "weighted",
        Method::Pod => "pod",
        Method::Territory => "territory",
    }
}

fn check_routing(brief: &Brief, pods: &[&str], out: &mut Vec<Problem>) {
    let routing = &brief.routing;
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, rule) in routing.rules.iter().enumerate() {
        let at = format!("/routing/rules/{i}");
        if let Some(first) = seen.get(rule.id.as_str()) {
            push(out, format!("{at}/id"), format!("rule id `{}` is already used by routing.rules[{first}]", rule.id));
        } else {
            seen.insert(&rule.id, i);
        }
        check_assign(&rule.assign, pods, &format!("{at}/assign"), out);
        if let Some(fallback) = &rule.fallback {
            check_assign(fallback, pods, &format!("{at}/fallback"), out);
        }
    }
    check_assign(&routing.fallback, pods, "/routing/fallback", out);
    let rule_ids: Vec<&str> = routing.rules.iter().map(|r| r.id.as_str()).collect();
    for (i, test) in routing.tests.iter().enumerate() {
        let at = format!("/routing/tests/{i}/expect");
        let rule = test.expect.rule.as_str();
        if rule != "fallback" && !rule_ids.contains(&rule) {
            let hint = match nearest(rule, &rule_ids) {
                Some(best) => format!("did you mean `{best}`?"),
                None => format!("the rules are {} (or `fallback`)", quoted_list(&rule_ids)),
            };
            push(out, format!("{at}/rule"), format!("no rule `{rule}` in `routing.rules`; {hint}"));
        }
        check_pod_ref(&test.expect.pod, pods, format!("{at}/pod"), out);
    }
}

fn check_escalation(brief: &Brief, out: &mut Vec<Problem>) {
    let ladder = &brief.escalation.ladder;
    if ladder.is_empty() {
        push(
            out,
            "/escalation/ladder",
            "the ladder has no step: give at least one, such as `{ at: 1.0, action: remind, to: owner }`",
        );
    }
    for (i, pair) in ladder.windows(2).enumerate() {
        if pair[1].at <= pair[0].at {
            push(
                out,
                format!("/escalation/ladder/{}/at", i + 1),
                format!(
                    "steps must fire in increasing order of `at`: {}× comes after a step at {}×",
                    pair[1].at, pair[0].at
                ),
            );
        }
    }
    check_duration(&brief.escalation.rip_cord.window, "/escalation/rip_cord/window", out);
}

fn check_dependencies(brief: &Brief, out: &mut Vec<Problem>) {
    for (i, dep) in brief.dependencies.iter().enumerate() {
        if let Some(due) = &dep.due {
            check_date(due, &format!("/dependencies/{i}/due"), out);
        }
    }
}

fn check_enablement(brief: &Brief, pods: &[&str], out: &mut Vec<Problem>) {
    for (i, item) in brief.enablement.iter().enumerate() {
        let at = format!("/enablement/{i}");
        for (j, pod) in item.pods.iter().enumerate() {
            check_pod_ref(pod, pods, format!("{at}/pods/{j}"), out);
        }
        check_duration(&item.lead_time, &format!("{at}/lead_time"), out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_and_dates() {
        assert_eq!(parse_time("08:30"), Some(510));
        assert_eq!(parse_time("24:00"), None);
        assert_eq!(parse_time("8:30"), None);
        assert!(parse_date("2028-02-29").is_some());
        assert!(parse_date("2027-02-29").is_none());
        assert!(parse_date("2027-02-30").is_none());
        assert!(parse_date("20270201").is_none());
    }

    #[test]
    fn time_zones() {
        let mut out = Vec::new();
        check_timezone("America/New_York", "/tz", &mut out);
        check_timezone("UTC", "/tz", &mut out);
        assert!(out.is_empty());
        check_timezone("America/New_Yrok", "/tz", &mut out);
        assert_eq!(out[0].1, "`America/New_Yrok` is not an IANA time zone; did you mean `America/New_York`?");
        check_timezone("Mars/Olympus_Mons", "/tz", &mut out);
        assert!(out[1].1.starts_with("`Mars/Olympus_Mons` is not an IANA time zone"));
    }
}
