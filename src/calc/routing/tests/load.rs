//! The expected load of a rule set (`coverage::load`): how statically resolved assignments
//! spread each rule's share over pods, reps and queues, and what falls back or nobody takes.

use super::*;

/// How statically resolved assignments spread a rule's share (`static_take`). By hand, with
/// region latam 0.1, apac 0.2, emea 0.3, na 0.2, mena 0.2:
/// - `w` (latam) weighted over pod a: weights 0 and −1 count as 1, so Ann 1 : Bob 3 : Cy 1 →
///   0.02, 0.06, 0.02;
/// - `p` (apac) to pod q, whose only rep is away: nobody, so the fallback (pod a's queue) 0.2;
/// - `ter` (emea, na, mena) by territory, pods in order: emea is covered in pod t by Eve
///   (weight 2, `EMEA` in any case) and Fay (weight 0 → 1), not by Gus (away): 0.2 and 0.1; na
///   by Fay alone, 0.2; mena by no rep, but pod u (counted reps) lists it: u's queue, 0.2.
#[test]
fn static_assignments_spread_by_weight_territory_and_availability() {
    let b = brief(
        r#"
demand:
  leads_per_week: 1000
  mix: { region: { latam: 0.1, apac: 0.2, emea: 0.3, na: 0.2, mena: 0.2 } }
capacity:
  pods:
    - id: a
      role: SDR
      touch_minutes: 5
      reps: [ { name: Ann, weight: 0 }, { name: Bob, weight: 3 }, { name: Cy, weight: -1 } ]
    - { id: q, role: SDR, touch_minutes: 5, territories: [apac], reps: [ { name: Dee, available: false } ] }
    - id: t
      role: SDR
      touch_minutes: 5
      reps:
        - { name: Eve, weight: 2, territories: [EMEA] }
        - { name: Fay, weight: 0, territories: [emea, na] }
        - { name: Gus, available: false, territories: [emea] }
    - { id: u, role: SDR, touch_minutes: 5, reps: 2, territories: [mena] }
routing:
  attributes:
    region: [latam, apac, emea, na, mena]
  rules:
    - { id: w, when: { region: latam }, assign: { method: weighted, pod: a } }
    - { id: p, when: { region: apac }, assign: { method: pod, pod: q } }
    - { id: ter, when: { region: [emea, na, mena] }, assign: { method: territory, field: region } }
  fallback: { method: pod, pod: a }
"#,
    );
    let an = analyze(&b, &Router::new(&b).unwrap());
    let near = |a: f64, b: f64| (a - b).abs() < 1e-12;
    let pods: Vec<(&str, f64, f64, Vec<f64>)> = an
        .load
        .by_pod
        .iter()
        .map(|p| (p.pod.as_str(), p.share, p.queue_share, p.reps.iter().map(|r| r.share).collect()))
        .collect();
    let want: [(&str, f64, f64, Vec<f64>); 4] = [
        ("a", 0.3, 0.2, vec![0.02, 0.06, 0.02]),
        ("q", 0.0, 0.0, vec![0.0]),
        ("t", 0.5, 0.0, vec![0.2, 0.3, 0.0]),
        ("u", 0.2, 0.2, vec![0.0, 0.0]),
    ];
    assert_eq!(pods.len(), 4, "{pods:?}");
    for (got, want) in pods.iter().zip(&want) {
        assert!(
            got.0 == want.0
                && near(got.1, want.1)
                && near(got.2, want.2)
                && got.3.len() == want.3.len()
                && got.3.iter().zip(&want.3).all(|(g, w)| near(*g, *w)),
            "{got:?} vs {want:?}"
        );
    }
    assert!(near(an.load.unrouted_share, 0.0) && near(an.load.fallback_share, 0.2), "{:?}", an.load);
}

/// A rule whose pod nobody can take hands its leads to its own fallback; one without a
/// fallback to the routing fallback, which here nobody can take either. By hand, region x 0.5,
/// y 0.3, z 0.2: `rx` (x) lands in pod a's queue through its fallback, 0.5; `ry` (y) and the
/// rule-less z reach the routing fallback, pod q, where nobody is available: unrouted 0.5.
#[test]
fn rule_fallbacks_and_unroutable_leads_are_tallied() {
    let b = brief(
        r#"
demand:
  leads_per_week: 1000
  mix: { region: { x: 0.5, y: 0.3, z: 0.2 } }
capacity:
  pods:
    - { id: a, role: SDR, touch_minutes: 5, reps: 1 }
    - { id: q, role: SDR, touch_minutes: 5, reps: [ { name: Dee, available: false } ] }
routing:
  attributes:
    region: [x, y, z]
  rules:
    - { id: rx, when: { region: x }, assign: { method: pod, pod: q }, fallback: { method: pod, pod: a } }
    - { id: ry, when: { region: y }, assign: { method: pod, pod: q } }
  fallback: { method: pod, pod: q }
"#,
    );
    let load = analyze(&b, &Router::new(&b).unwrap()).load;
    let near = |a: f64, b: f64| (a - b).abs() < 1e-12;
    let rules: Vec<(&str, f64, f64)> =
        load.by_rule.iter().map(|r| (r.rule.as_str(), r.share, r.fallback_share)).collect();
    assert!(rules.len() == 2 && near(rules[0].1, 0.5) && near(rules[0].2, 0.5), "{rules:?}");
    assert!(near(rules[1].1, 0.3) && near(rules[1].2, 0.3), "{rules:?}");
    assert!(near(load.no_rule_share, 0.2) && near(load.fallback_share, 0.0), "{load:?}");
    assert!(near(load.unrouted_share, 0.5), "{load:?}");
    assert!(near(load.by_pod[0].queue_share, 0.5) && near(load.by_pod[1].share, 0.0), "{load:?}");
}

/// Leads per week from a daily demand (seven days a week), per pod and per rep: 100 a day is
/// 700 a week; round robin over Ann and Bob gives each half, 350.
#[test]
fn weekly_leads_come_from_a_daily_demand_and_split_per_rep() {
    let b = brief(
        r#"
demand: { leads_per_day: 100 }
capacity:
  pods:
    - { id: a, role: SDR, touch_minutes: 5, reps: [ { name: Ann }, { name: Bob } ] }
routing:
  rules: []
  fallback: { method: round_robin, pod: a }
"#,
    );
    let load = analyze(&b, &Router::new(&b).unwrap()).load;
    assert_eq!(load.leads_per_week, 700.0);
    let pod = &load.by_pod[0];
    assert_eq!((pod.share, pod.leads_per_week), (1.0, 700.0));
    let reps: Vec<(&str, f64)> = pod.reps.iter().map(|r| (r.rep.as_str(), r.leads_per_week)).collect();
    assert_eq!(reps, [("Ann", 350.0), ("Bob", 350.0)]);
}
