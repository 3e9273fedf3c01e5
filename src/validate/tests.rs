//! Unit tests of validation: the checked brief it derives, and the routing problems it says once.

use std::collections::BTreeMap;

use super::{Refusal, check};
use crate::brief::Brief;
use crate::brief::yaml::parse_unchecked;

const HEAD: &str = r#"
id: t
title: T
segment: smb
goal: pipeline
response_sla: 1d
timezone: America/New_York
business_hours: { days: [mon, tue, wed, thu, fri], open: "09:00", close: "17:00" }
launch: 2027-02-01
funnel: { stages: [ { id: mql, name: MQL, entry: score } ] }
"#;

const PODS: &str = r#"
demand: { leads_per_week: 1000 }
capacity:
  pods:
    - id: a
      role: SDR
      touch_minutes: 10
      reps:
        - { name: Ann, max_open: 2 }
        - { name: Bob, available: false }
        - { name: Cid }
    - id: b
      role: AE
      touch_minutes: 10
      availability: 0.8
      reps:
        - { name: Wei, weight: 3 }
        - { name: Xu, weight: 1 }
    - id: c
      role: SDR
      touch_minutes: 10
      reps: 2
      patience: 4h
      timezone: Europe/London
      business_hours: { days: [mon, tue, wed, thu, fri, sat, sun], open: "00:00", close: "00:00" }
"#;

/// The problems `check` refuses `b` with (panics when it passes or only its tests fail).
fn refusal_problems(b: &Brief) -> Vec<crate::diag::Problem> {
    match check(b) {
        Err(Refusal::Problems(problems)) => problems,
        other => panic!("expected problems, got {other:?}"),
    }
}

fn brief(body: &str) -> Brief {
    parse_unchecked(&format!("{HEAD}{body}")).unwrap()
}

const ROUTING: &str = r#"routing:
  rules:
    - { id: all, assign: { method: round_robin, pod: a } }
  fallback: { method: pod, pod: c }
"#;

#[test]
fn the_checked_brief_holds_each_value_parsed_once() {
    let checked = check(&brief(&format!("{PODS}{ROUTING}"))).unwrap();
    // 1d on the business clock is one business day of 8 hours.
    assert_eq!(checked.sla().to_string(), "1d");
    assert_eq!(checked.sla_minutes(), 480.0);
    assert_eq!(checked.launch(), jiff::civil::date(2027, 2, 1));
    assert_eq!(checked.leads_per_week(), 1000.0);
    let pods = checked.pods();
    assert_eq!((pods[0].head_count(), pods[0].available_reps()), (3, 2));
    assert!((pods[1].shrinkage().get() - 0.2).abs() < 1e-12);
    assert_eq!(pods[0].sla_minutes(), 480.0);
    // Pod c keeps its own round-the-clock calendar: one business day is 24 hours there.
    assert_eq!(pods[2].calendar().zone_name(), "Europe/London");
    assert_eq!(pods[2].sla_minutes(), 1440.0);
    assert_eq!(pods[2].patience().map(|p| p.calendar_minutes()), Some(240.0));
    assert_eq!(pods[2].start().to_string(), "2027-02-01T00:00:00Z");
    assert_eq!(pods[2].index(), 2);
    assert_eq!(checked.router().rule_count(), 1);
}

/// Issue 11: `close: "00:00"` means midnight at the end of the day (as the calendar defines it),
/// so a brief open all day validates and its calendar has 1,440 open minutes a day.
#[test]
fn a_brief_open_around_the_clock_validates() {
    let text = HEAD.replace(r#"open: "09:00", close: "17:00""#, r#"open: "00:00", close: "00:00""#);
    let b = parse_unchecked(&format!("{text}{PODS}{ROUTING}")).unwrap();
    let checked = check(&b).unwrap();
    assert_eq!(checked.calendar().open_minutes_per_day(), 1440.0);
    assert_eq!(checked.sla_minutes(), 1440.0);
    // Through the calendar: open at 23:59 on a Monday, closed at no minute of the week day.
    let cal = checked.calendar();
    let monday = jiff::civil::date(2027, 2, 1);
    let at = |h, m| cal.time_zone().to_timestamp(monday.at(h, m, 0, 0)).unwrap();
    assert!(cal.is_open(at(0, 0)) && cal.is_open(at(23, 59)));
    assert_eq!(cal.business_minutes_between(at(0, 0), at(23, 59)), 1439.0);
}

#[test]
fn values_the_models_cannot_take_are_refused() {
    let zero = brief(&format!("{PODS}{ROUTING}success_metrics: {{ sla_attainment: 0 }}\n"));
    let problems = refusal_problems(&zero);
    assert_eq!(problems[0].pointer, "/success_metrics/sla_attainment");
    let all_after_hours = brief(&format!(
        "{}{ROUTING}",
        PODS.replace("leads_per_week: 1000", "leads_per_week: 1000, after_hours_share: 1")
    ));
    assert_eq!(refusal_problems(&all_after_hours)[0].pointer, "/demand/after_hours_share");
    // A bound the schema states is the schema's to report: refused without a problem of its own.
    let over = brief(&format!("{}{ROUTING}", PODS.replace("availability: 0.8", "shrinkage: 1.5")));
    assert_eq!(refusal_problems(&over), Vec::new());
}

#[test]
fn routing_problems_are_reported_once_each_at_their_pointer() {
    let b = brief(&format!(
        "{PODS}{}",
        r#"routing:
  attributes:
    region: [us-east, us-west]
    employees: { type: number }
    account_owner: { type: text }
  rules:
    - { id: r0, when: { employees: ">=abc" }, assign: { method: round_robin, pod: a } }
    - { id: r1, when: { industry: software }, assign: { method: round_robin, pod: nope } }
    - { id: r1, when: { region: emea }, assign: { method: territory } }
    - { id: r3, when: { region: ">=5" }, assign: { method: account_owner, pod: c } }
    - { id: r4, assign: { method: weighted, field: region } }
  fallback: { method: pod, pod: a }
  tests:
    - { lead: { region: us-east }, expect: { rule: nope, pod: zz } }
    - { lead: { region: us-east }, expect: { rule: fallback, pod: a, rep: Zed } }
"#
    ));
    let got: BTreeMap<String, Vec<String>> = refusal_problems(&b).into_iter().fold(BTreeMap::new(), |mut m, p| {
        m.entry(p.pointer).or_default().push(p.message);
        m
    });
    let has = |ptr: &str, needle: &str| {
        assert!(
            got.get(ptr).is_some_and(|msgs| msgs.iter().any(|m| m.contains(needle))),
            "no `{needle}` at {ptr}: {got:#?}"
        );
    };
    has("/routing/rules/0/when/employees", "`>=abc` is not a number comparison; expected e.g. `>=1000`");
    has("/routing/rules/1/when/industry", "`industry` is not a declared attribute");
    has("/routing/rules/1/assign/pod", "no pod `nope` in `capacity.pods`");
    has("/routing/rules/2/id", "rule id `r1` is already used by routing.rules[1]");
    has("/routing/rules/2/when/region", "`emea` is not a declared value of `region` (us-east, us-west)");
    has("/routing/rules/2/assign", "`territory` needs a `field`");
    has("/routing/rules/3/when/region", "compares numbers but `region`");
    has("/routing/rules/3/assign", "pod lists only a head count");
    has("/routing/rules/4/assign", "`weighted` needs a `pod`; only `territory` and `account_owner` may leave it out");
    has("/routing/rules/4/assign/field", "`field` is used only by");
    has("/routing/tests/0/expect/rule", "no rule `nope` in `routing.rules`");
    has("/routing/tests/0/expect/pod", "no pod `zz` in `capacity.pods`");
    has("/routing/tests/1/expect/rep", "no rep `Zed` on pod `a`");
    assert_eq!(got.len(), 13, "{got:#?}");
    // Said once: one message per pointer, except where two different things are wrong.
    assert_eq!(got["/routing/rules/2/id"].len(), 1);
    assert_eq!(got["/routing/rules/1/assign/pod"].len(), 1);
}

/// Issue 12, item 6: `account_owner` without a `pod` validates (it was "needs a `pod`"), its
/// routing tests reach an owner on another pod, and the load spreads over the named reps of
/// every pod. By hand, with region {us-east 0.5, us-west 0.5} and account_owner present 0.4:
/// - us-east with an owner (0.2) → `east-owned`, pod a only: Ann and Cid (Bob unavailable),
///   0.1 each;
/// - us-west with an owner (0.2) → `owned`, any pod: the available named reps Ann, Cid, Wei, Xu,
///   0.05 each;
/// - no owner (0.6) → the routing fallback, pod c's queue.
#[test]
fn account_owner_without_a_pod_looks_on_every_pod() {
    let b = brief(&format!(
        "{}{}",
        PODS.replace(
            "leads_per_week: 1000 }",
            "leads_per_week: 1000, mix: { region: { us-east: 0.5, us-west: 0.5 }, account_owner: { present: 0.4, absent: 0.6 } } }"
        ),
        r#"routing:
  attributes:
    region: [us-east, us-west]
    account_owner: { type: text }
  rules:
    - { id: east-owned, when: { region: us-east, account_owner: present }, assign: { method: account_owner, pod: a } }
    - { id: owned, when: { account_owner: present }, assign: { method: account_owner } }
  fallback: { method: pod, pod: c }
  tests:
    - { lead: { region: us-west, account_owner: xu }, expect: { rule: owned, pod: b, rep: Xu } }
    - { lead: { region: us-east, account_owner: Cid }, expect: { rule: east-owned, pod: a, rep: Cid } }
"#
    ));
    let checked = check(&b).unwrap();
    let an = crate::calc::routing::coverage::analyze(checked.raw(), checked.router());
    let rep = |pod: usize, name: &str| {
        an.load.by_pod[pod].reps.iter().find(|r| r.rep == name).map(|r| r.share).unwrap_or(f64::NAN)
    };
    for (pod, name, want) in [(0, "Ann", 0.15), (0, "Bob", 0.0), (0, "Cid", 0.15), (1, "Wei", 0.05), (1, "Xu", 0.05)] {
        assert!((rep(pod, name) - want).abs() < 1e-12, "{name}: {} vs {want}", rep(pod, name));
    }
    assert!((an.load.by_pod[2].queue_share - 0.6).abs() < 1e-12);
}

/// Issue 12, item 7: a conditional mix's problems, each at its place: a set not summing to 1, a
/// value of `by` that does not exist, a value of `by` without shares, a value of the attribute
/// that does not exist, and `by` in a cycle.
#[test]
fn conditional_mix_problems_are_located() {
    let b = brief(&format!(
        "{}{}",
        PODS.replace(
            "demand: { leads_per_week: 1000 }",
            r#"demand:
  leads_per_week: 1000
  mix:
    region: { by: tier, gold: { us-east: 1 }, silver: { us-east: 0.5, us-west: 0.5 } }
    tier: { by: region, us-east: { gold: 1 }, us-west: { gold: 1 } }
    employees: { by: region, us-east: { "<1000": 0.6, "1000+": 0.3 }, apac: { "<1000": 1 } }
    plan: { by: region, us-east: { free: 0.5, pro: 0.5 }, us-west: { free: 1 } }"#
        ),
        r#"routing:
  attributes:
    region: [us-east, us-west]
    tier: [gold, silver]
    plan: [free, paid]
    employees: { type: integer }
  rules:
    - { id: all, when: { employees: ">=1000" }, assign: { method: round_robin, pod: a } }
  fallback: { method: pod, pod: c }
"#
    ));
    let got: Vec<(String, String)> = refusal_problems(&b).into_iter().map(|p| (p.pointer, p.message)).collect();
    let has = |ptr: &str, needle: &str| {
        assert!(got.iter().any(|(p, m)| p == ptr && m.contains(needle)), "no `{needle}` at {ptr}: {got:#?}");
    };
    has("/demand/mix/employees/us-east", "the shares of `employees` where `region` is `us-east` sum to 0.9, not 1");
    has("/demand/mix/employees/apac", "`apac` is not a value of `region`");
    has("/demand/mix/employees", "no shares of `employees` where `region` is `us-west`");
    has("/demand/mix/plan/us-east/pro", "`pro` is not a value of `plan`");
    has("/demand/mix/region/by", "cycle: region → tier → region");
    has("/demand/mix/tier/by", "cycle: tier → region → tier");
}
