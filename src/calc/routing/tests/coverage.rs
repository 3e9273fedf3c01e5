//! Unit tests of coverage (gaps, overlaps, dead rules, loads, the work budget) and synthetic
//! leads, on small briefs whose outcomes are worked out by hand in the comments.

use super::*;

/// A demand mix of per-attribute shares, `(attribute, [(value, share)])`.
fn mix(attributes: &[(&str, &[(&str, f64)])]) -> BTreeMap<String, crate::brief::Mix> {
    attributes
        .iter()
        .map(|(name, shares)| {
            let shares: BTreeMap<String, f64> = shares.iter().map(|(v, s)| ((*v).to_owned(), *s)).collect();
            ((*name).to_owned(), shares.into())
        })
        .collect()
}

/// Region × employees, worked by hand:
///
/// employees is cut at 500 and 1000 (conditions) and the mix ranges add nothing new, so its cells
/// are `<500`, `500..999`, `>=1000`; with 3 regions that is 9 combinations.
/// - east,<500 → r2 and r3 (r2 first); east,500..999 → r2; east,>=1000 → r1 and r2 (r1 first)
/// - west,* → nothing (3 gaps); canada,* → r2
///
/// So: gaps = the 3 west cells (share 0.3); overlaps (r1, r2) on east,>=1000 and (r2, r3) on
/// east,<500; r3 is shadowed by r2; r4 (region apac, not declared) matches nothing.
/// Load: r1 = 0.5 × 0.5 = 0.25 → pod a (round robin, Ann and Cid available: 0.125 each);
/// r2 = east × (0.2 + 0.3) + canada = 0.25 + 0.2 = 0.45 → pod b weighted 3:1 (0.3375, 0.1125);
/// no rule = 0.3 → fallback, pod c's queue.
#[test]
fn coverage_finds_gaps_overlaps_and_dead_rules() {
    let mut b = brief(&format!(
        "{PODS}{}",
        r#"routing:
  attributes:
    region: [east, west, canada]
    employees: { type: integer }
  rules:
    - { id: r1, when: { region: east, employees: ">=1000" }, assign: { method: round_robin, pod: a } }
    - { id: r2, when: { region: [east, canada] }, assign: { method: weighted, pod: b } }
    - { id: r3, when: { region: east, employees: "<500" }, assign: { method: pod, pod: c } }
    - { id: r4, when: { region: apac }, assign: { method: pod, pod: c } }
  fallback: { method: pod, pod: c }
"#
    ));
    b.demand.mix = mix(&[
        ("region", &[("east", 0.5), ("west", 0.3), ("canada", 0.2)]),
        ("employees", &[("<500", 0.2), ("500-999", 0.3), ("1000+", 0.5)]),
    ]);
    let an = analyze(&b, &Router::new(&b).unwrap());
    let cov = &an.coverage;
    assert_eq!(cov.combinations, 9);
    assert!(!cov.capped);
    let labels: Vec<Vec<String>> = cov.dimensions.iter().map(|d| d.cells.iter().map(|c| c.label()).collect()).collect();
    assert_eq!(labels, [vec!["<500", "500..999", ">=1000"], vec!["east", "west", "canada"]]);
    assert_eq!(cov.gap_count, 3);
    assert!((cov.gap_share - 0.3).abs() < 1e-12);
    // Grouped (issue 12): one set, west with any employees.
    assert_eq!(cov.gaps.len(), 1);
    assert_eq!(
        (cov.gaps[0].cells.clone(), cov.gaps[0].any.clone()),
        (vec![("region".into(), "west".into())], vec!["employees".into()])
    );
    let pairs: Vec<(&str, &str, usize)> =
        cov.overlaps.iter().map(|o| (o.first.as_str(), o.second.as_str(), o.combinations)).collect();
    assert_eq!(pairs, [("r1", "r2", 1), ("r2", "r3", 1)]);
    assert_eq!(
        cov.overlaps[0].example.cells,
        [("employees".into(), ">=1000".into()), ("region".into(), "east".into())]
    );
    assert_eq!(cov.dead.len(), 2);
    assert_eq!(cov.dead[0].rule, "r3");
    assert_eq!(cov.dead[0].reason, DeadReason::Shadowed { by: vec!["r2".into()], more: 0 });
    assert_eq!(cov.dead[1].rule, "r4");
    assert_eq!(cov.dead[1].reason, DeadReason::MatchesNothing);

    let load = &an.load;
    let close = |a: f64, b: f64| (a - b).abs() < 1e-9;
    assert!(close(load.by_rule[0].share, 0.25));
    assert!(close(load.by_rule[1].share, 0.45));
    assert!(close(load.by_rule[2].share, 0.0));
    assert!(close(load.no_rule_share, 0.3));
    assert!(close(load.fallback_share, 0.3));
    assert!(close(load.unrouted_share, 0.0));
    let pod = |id: &str| load.by_pod.iter().find(|p| p.pod == id).unwrap();
    assert!(close(pod("a").share, 0.25) && close(pod("a").leads_per_week, 250.0));
    let a_reps: Vec<f64> = pod("a").reps.iter().map(|r| r.share).collect();
    assert!(close(a_reps[0], 0.125) && close(a_reps[1], 0.0) && close(a_reps[2], 0.125), "{a_reps:?}");
    assert!(close(pod("b").reps[0].share, 0.3375) && close(pod("b").reps[1].share, 0.1125));
    assert!(close(pod("c").share, 0.3) && close(pod("c").queue_share, 0.3));

    // The matrix: one row per rule plus the fallback; enrichment needs.
    assert_eq!(an.matrix.len(), 5);
    assert_eq!(an.matrix[0].conditions, [("employees".into(), ">=1000".into()), ("region".into(), "east".into())]);
    assert_eq!(an.matrix[4].rule, "fallback");
    assert_eq!(an.enrichment.used, ["employees", "region"]);
    assert_eq!(an.enrichment.used_not_listed, ["employees", "region"]);

    // A cap of 4 stops early and says so.
    let capped = analyze_with_cap(&b, &Router::new(&b).unwrap(), 4);
    assert!(capped.coverage.capped);
    assert_eq!(capped.coverage.enumerated, 4);
}

/// Whole numbers: `<1000`, `1000..4999`, `>=5000` tile the line with no gap between 4999 and
/// 5000. With a fractional threshold the exact point between `<1000.5` and `>1000.5` is a gap.
#[test]
fn coverage_numeric_intervals() {
    let whole = brief(&format!(
        "{PODS}{}",
        r#"routing:
  attributes: { employees: { type: integer } }
  rules:
    - { id: s, when: { employees: "<1000" }, assign: { method: pod, pod: a } }
    - { id: m, when: { employees: "1000..4999" }, assign: { method: pod, pod: a } }
    - { id: l, when: { employees: ">=5000" }, assign: { method: pod, pod: a } }
  fallback: { method: pod, pod: c }
"#
    ));
    let cov = analyze(&whole, &Router::new(&whole).unwrap()).coverage;
    assert_eq!(cov.combinations, 3);
    assert_eq!(cov.gap_count, 0);
    assert!(cov.overlaps.is_empty() && cov.dead.is_empty());
    let real = brief(&format!(
        "{PODS}{}",
        r#"routing:
  rules:
    - { id: lo, when: { score: "<1000.5" }, assign: { method: pod, pod: a } }
    - { id: hi, when: { score: ">1000.5" }, assign: { method: pod, pod: a } }
  fallback: { method: pod, pod: c }
"#
    ));
    let cov = analyze(&real, &Router::new(&real).unwrap()).coverage;
    assert_eq!(cov.combinations, 3);
    assert_eq!(cov.gap_count, 1);
    assert_eq!(cov.gaps[0].cells, [("score".into(), "=1000.5".into())]);
}

/// Presence of a free-text field is two cases: `absent` (default share 0.5, or the mix's) is a
/// gap when the only rule needs it present; the account-owner method fails when absent.
#[test]
fn coverage_presence_of_text() {
    let mut b = brief(&format!(
        "{PODS}{}",
        r#"routing:
  attributes: { account_owner: { type: text } }
  rules:
    - { id: named, when: { account_owner: present }, assign: { method: account_owner, pod: a } }
  fallback: { method: round_robin, pod: c }
"#
    ));
    let cov = analyze(&b, &Router::new(&b).unwrap()).coverage;
    assert_eq!(cov.gap_count, 1);
    assert_eq!(cov.gaps[0].cells, [("account_owner".into(), "absent".into())]);
    assert!((cov.gap_share - 0.5).abs() < 1e-12);
    b.demand
        .mix
        .insert("account_owner".into(), BTreeMap::from([("present".into(), 0.3), ("absent".into(), 0.7)]).into());
    let an = analyze(&b, &Router::new(&b).unwrap());
    assert!((an.coverage.gap_share - 0.7).abs() < 1e-12);
    // Present (0.3) spreads over pod a's available named reps (Ann, Cid).
    let a = &an.load.by_pod[0];
    assert!((a.share - 0.3).abs() < 1e-12 && (a.reps[0].share - 0.15).abs() < 1e-12);
    assert!((an.load.by_pod[2].share - 0.7).abs() < 1e-12);
}

#[test]
fn synthetic_leads_reach_every_rule_fallback_and_cell() {
    let sketch = parse_unchecked(include_str!("../../../../tests/fixtures/route/enterprise.yaml")).unwrap();
    let synth = Synthesizer::new(&sketch, 200, 7).unwrap();
    let columns = synth.columns().to_vec();
    assert_eq!(columns, ["created_at", "account_owner", "employees", "region"]);
    let covering = synth.covering();
    let rows: Vec<Vec<String>> = synth.collect();
    assert_eq!(rows.len(), 200);
    let mut r = Router::new(&sketch).unwrap();
    let mut reached = std::collections::BTreeSet::new();
    for row in &rows[..covering] {
        let l: BTreeMap<String, String> = columns.iter().cloned().zip(row.iter().cloned()).collect();
        let a = r.route_map(&l);
        reached.insert((r.rule_id(a.rule).to_owned(), a.path));
    }
    assert!(reached.contains(&("named-accounts".to_owned(), RoutePath::RuleFallback)));
    assert!(reached.contains(&("east-and-canada".to_owned(), RoutePath::Primary)));
    assert!(reached.contains(&("west".to_owned(), RoutePath::Primary)));
    assert!(reached.contains(&("fallback".to_owned(), RoutePath::RoutingFallback)));
    assert!(rows[..covering].iter().any(|r| r[1] == UNKNOWN_OWNER));
    for region in ["us-east", "us-west", "canada"] {
        assert!(rows[..covering].iter().any(|r| r[3] == region));
    }
    assert!(rows[..covering].iter().any(|r| r[2].parse::<f64>().unwrap() < 1000.0));
    // Same seed, same leads; times are in order, inside business hours.
    let again: Vec<Vec<String>> = Synthesizer::new(&sketch, 200, 7).unwrap().collect();
    assert_eq!(rows, again);
    let times: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]));
    assert!(times.iter().all(|t| &t[11..] >= "08:30:00" && &t[11..] < "17:30:00"));
    // The random part follows the mix: region us-east ≈ 45 %.
    let big: Vec<Vec<String>> = Synthesizer::new(&sketch, 20_000, 3).unwrap().collect();
    // Leads arrive on business days only: weekdays, not the brief's holidays (2027-02-15, the
    // third Monday of February, falls among these 20,000 leads' days).
    let days: std::collections::BTreeSet<jiff::civil::Date> =
        big.iter().map(|r| r[0][..10].parse::<jiff::civil::Date>().unwrap()).collect();
    let holiday = jiff::civil::date(2027, 2, 15);
    assert!(days.first().unwrap() < &holiday && days.last().unwrap() > &holiday, "{days:?}");
    assert!(!days.contains(&holiday));
    assert!(days.iter().all(|d| !matches!(d.weekday(), jiff::civil::Weekday::Saturday | jiff::civil::Weekday::Sunday)));
    // Every region's share, not only the first: 4 standard errors at 0.45 over 20,000 draws are
    // 4 × √(0.45 × 0.55 / 20000) ≈ 0.014.
    for (region, want) in [("us-east", 0.45), ("us-west", 0.35), ("canada", 0.20)] {
        let got = big.iter().filter(|r| r[3] == region).count() as f64 / big.len() as f64;
        assert!((got - want).abs() < 0.014, "{region}: {got} vs {want}");
    }
    let east = big.iter().filter(|r| r[3] == "us-east").count() as f64 / big.len() as f64;
    assert!((east - 0.45).abs() < 0.02, "{east}");
}

/// Issue 13: overlaps are counted exactly and only the largest are listed. Worked by hand, with
/// `region` split evenly (1/3 each): 30 rules `r0`..`r29` all take `east`, `w1` and `w2` take
/// `west`, `any` takes `east` or `west`. Pairs: C(30, 2) = 435 among the r-rules, 30 of each
/// r-rule with `any` (all on east), (w1, w2) and (w1, any), (w2, any) on west: 435 + 30 + 3 =
/// 468, each on one combination of share 1/3. Every share ties, so the 20 listed are the first
/// in rule order. `w2` is shadowed by `w1` (and `any` comes later), `any` by all 32 earlier.
#[test]
fn overlaps_are_counted_exactly_and_the_largest_listed() {
    let mut rules = String::new();
    for i in 0..30 {
        rules.push_str(&format!("    - {{ id: r{i}, when: {{ region: east }}, assign: {{ method: pod, pod: c }} }}\n"));
    }
    rules.push_str("    - { id: w1, when: { region: west }, assign: { method: pod, pod: c } }\n");
    rules.push_str("    - { id: w2, when: { region: west }, assign: { method: pod, pod: c } }\n");
    rules.push_str("    - { id: any, when: { region: [east, west] }, assign: { method: pod, pod: c } }\n");
    let b = brief(&format!(
        "{PODS}routing:\n  attributes:\n    region: [east, west, canada]\n  rules:\n{rules}  fallback: {{ method: pod, pod: c }}\n"
    ));
    let cov = analyze(&b, &Router::new(&b).unwrap()).coverage;
    assert_eq!(cov.overlap_count, 468);
    assert_eq!(cov.overlaps.len(), crate::calc::routing::coverage::MAX_LISTED);
    let first: Vec<(&str, &str)> = cov.overlaps.iter().take(3).map(|o| (o.first.as_str(), o.second.as_str())).collect();
    assert_eq!(first, [("r0", "r1"), ("r0", "r2"), ("r0", "r3")]);
    assert!(cov.overlaps.iter().all(|o| o.combinations == 1 && (o.share - 1.0 / 3.0).abs() < 1e-12));
    assert_eq!(cov.gap_count, 1);
    let any = cov.dead.iter().find(|d| d.rule == "any").unwrap();
    let DeadReason::Shadowed { by, more } = &any.reason else { panic!("{any:?}") };
    assert_eq!((by.len(), *more), (20, 12));
    assert_eq!(by[0], "r0");
}

/// A larger share wins a place in the list over rule order: with `east` at 0.9, the pair on
/// east comes before the pair on west although its rules come later.
#[test]
fn overlaps_are_listed_largest_first() {
    let mut b = brief(&format!(
        "{PODS}{}",
        r#"routing:
  attributes:
    region: [east, west]
  rules:
    - { id: w1, when: { region: west }, assign: { method: pod, pod: c } }
    - { id: w2, when: { region: west }, assign: { method: pod, pod: c } }
    - { id: e1, when: { region: east }, assign: { method: pod, pod: c } }
    - { id: e2, when: { region: east }, assign: { method: pod, pod: c } }
  fallback: { method: pod, pod: c }
"#
    ));
    b.demand.mix =
        BTreeMap::from([("region".to_owned(), BTreeMap::from([("east".into(), 0.9), ("west".into(), 0.1)]).into())]);
    let cov = analyze(&b, &Router::new(&b).unwrap()).coverage;
    let pairs: Vec<(&str, &str)> = cov.overlaps.iter().map(|o| (o.first.as_str(), o.second.as_str())).collect();
    assert_eq!(pairs, [("e1", "e2"), ("w1", "w2")]);
    assert_eq!(cov.overlaps[0].example.cells, [("region".to_owned(), "east".to_owned())]);
}

/// Issue 13: the pass spends a bounded budget. 1,000 rules over 8 attributes of 10 values
/// (10⁸ combinations) stop at `WORK_BUDGET / 1,000` = 20,000 combinations, reported as capped:
/// every rule wants `v9` in `a1`..`a7`, which the first 20,000 combinations (the last
/// dimensions vary fastest) never reach, so there is no pair work.
#[test]
fn the_enumeration_stops_at_its_work_budget() {
    let mut attributes = String::new();
    for a in 0..8 {
        let values: Vec<String> = (0..10).map(|v| format!("v{v}")).collect();
        attributes.push_str(&format!("    a{a}: [{}]\n", values.join(", ")));
    }
    let rules: String = (0..1000)
        .map(|i| {
            let when: Vec<String> = (0..8).map(|a| format!("a{a}: v{}", if a == 0 { i % 10 } else { 9 })).collect();
            format!("    - {{ id: r{i}, when: {{ {} }}, assign: {{ method: pod, pod: c }} }}\n", when.join(", "))
        })
        .collect();
    let b = brief(&format!(
        "{PODS}routing:\n  attributes:\n{attributes}  rules:\n{rules}  fallback: {{ method: pod, pod: c }}\n"
    ));
    let cov = analyze(&b, &Router::new(&b).unwrap()).coverage;
    assert_eq!(cov.combinations, 100_000_000);
    assert!(cov.capped);
    assert_eq!(cov.enumerated as u64, crate::calc::routing::coverage::WORK_BUDGET / 1000);
}

/// Issue 12 item 2: `when: {country: present}` on the closed list `[GB, DE]` with the mix
/// `{GB: 0.5, DE: 0.5}`. Every lead carries GB or DE, so there is no `country=absent` gap (it was
/// reported at 50%) and nothing is placed by the fallback (it said 50%). A mix that does speak of
/// absence keeps its share; without a mix the default even split stands.
#[test]
fn present_on_a_closed_list_covered_by_the_mix_leaves_no_gap() {
    let with_mix = |mix: &str| {
        brief(&format!(
            r#"
demand: {{ leads_per_week: 100{mix} }}
capacity:
  pods:
    - {{ id: a, role: SDR, touch_minutes: 5, reps: 2 }}
    - {{ id: c, role: SDR, touch_minutes: 5, reps: 1 }}
routing:
  attributes: {{ country: [GB, DE] }}
  rules:
    - {{ id: geo, when: {{ country: present }}, assign: {{ method: round_robin, pod: a }} }}
  fallback: {{ method: pod, pod: c }}
"#
        ))
    };
    let b = with_mix(", mix: { country: { GB: 0.5, DE: 0.5 } }");
    let an = analyze(&b, &Router::new(&b).unwrap());
    assert_eq!(an.coverage.gap_count, 0, "{:?}", an.coverage.gaps);
    assert!(an.coverage.gap_share.abs() < 1e-12);
    assert!(an.load.fallback_share.abs() < 1e-12);
    assert!((an.load.by_rule[0].share - 1.0).abs() < 1e-12);

    let b = with_mix(", mix: { country: { GB: 0.45, DE: 0.45, absent: 0.1 } }");
    let an = analyze(&b, &Router::new(&b).unwrap());
    assert_eq!(an.coverage.gaps[0].cells, [("country".into(), "absent".into())]);
    assert!((an.coverage.gap_share - 0.1).abs() < 1e-12, "{}", an.coverage.gap_share);

    let b = with_mix("");
    let an = analyze(&b, &Router::new(&b).unwrap());
    assert!((an.coverage.gap_share - 0.5).abs() < 1e-12);

    // A mix naming the values with nothing says nothing of them: `absent` stays a cell (of no
    // share) and the present leads split evenly.
    let b = with_mix(", mix: { country: { GB: 0, DE: 0 } }");
    let dim = &analyze(&b, &Router::new(&b).unwrap()).coverage.dimensions[0];
    let labels: Vec<String> = dim.cells.iter().map(super::super::coverage::Cell::label).collect();
    assert_eq!(labels, ["absent", "GB", "DE"]);
    assert_eq!(dim.shares, [0.0, 0.5, 0.5]);
}

/// Issue 12 item 3: rules `usage_score: 40..69` and `70..100`. The router reads real numbers, so
/// 69.5 matches neither and falls back; coverage must say so: on `type: number` the open interval
/// (69, 70) is a gap (as are <40 and >100). Declared `type: integer`, only whole numbers occur and
/// 40..69 / 70..100 leave no gap between them. Synthetic leads on `number` draw a value inside
/// (69, 70), which the router sends to the routing fallback.
#[test]
fn number_gaps_are_real_unless_the_attribute_is_integer() {
    let with_type = |kind: &str| {
        brief(&format!(
            r#"
demand: {{ leads_per_week: 100 }}
capacity:
  pods:
    - {{ id: a, role: SDR, touch_minutes: 5, reps: 2 }}
    - {{ id: c, role: SDR, touch_minutes: 5, reps: 1 }}
routing:
  attributes: {{ usage_score: {{ type: {kind} }} }}
  rules:
    - {{ id: mid, when: {{ usage_score: "40..69" }}, assign: {{ method: pod, pod: a }} }}
    - {{ id: high, when: {{ usage_score: "70..100" }}, assign: {{ method: pod, pod: a }} }}
  fallback: {{ method: pod, pod: c }}
"#
        ))
    };
    let real = with_type("number");
    let mut r = Router::new(&real).unwrap();
    assert_eq!(r.route_map(&lead(&[("usage_score", "69.5")])).path, RoutePath::RoutingFallback);
    let gaps: Vec<String> = analyze(&real, &r).coverage.gaps.iter().map(|g| g.cells[0].1.clone()).collect::<Vec<_>>();
    // Three disjoint ranges, three condition sets (each number condition is one range).
    assert_eq!(gaps, ["<40", "(69, 70)", ">100"]);

    let whole = with_type("integer");
    let gaps: Vec<String> =
        analyze(&whole, &Router::new(&whole).unwrap()).coverage.gaps.iter().map(|g| g.cells[0].1.clone()).collect();
    assert_eq!(gaps, ["<40", ">=101"]);

    let synth = Synthesizer::new(&real, 50, 1).unwrap();
    let covering = synth.covering();
    let rows: Vec<Vec<String>> = synth.collect();
    let slot = 1; // created_at, usage_score
    let inside: Vec<&Vec<String>> =
        rows[..covering].iter().filter(|row| row[slot].parse::<f64>().is_ok_and(|x| x > 69.0 && x < 70.0)).collect();
    assert!(!inside.is_empty(), "{rows:?}");
    for row in inside {
        assert_eq!(r.route_map(&lead(&[("usage_score", &row[slot])])).path, RoutePath::RoutingFallback);
    }
}

/// Issue 12, item 7: employees conditional on region. By hand, with region {emea 0.4, na 0.6}
/// and employees `<1000` 0.7 / `1000+` 0.3 in emea, 0.5 / 0.5 in na:
/// - `big` (employees >= 1000) = 0.4 × 0.3 + 0.6 × 0.5 = 0.42 → pod a;
/// - `emea` (emea, < 1000) = 0.4 × 0.7 = 0.28 → pod b;
/// - no rule (na, < 1000) = 0.6 × 0.5 = 0.30 → pod c's queue: one gap set.
///
/// Independent attributes (the marginal `<1000` = 0.58) would give 0.232 and 0.348 instead.
/// The random synthetic leads follow the same joint shares.
#[test]
fn conditional_mix_shares_drive_load_gaps_and_synthetic_leads() {
    let b = brief(&format!(
        "{}{}",
        PODS.replace(
            "demand: { leads_per_week: 1000 }",
            r#"demand:
  leads_per_week: 1000
  mix:
    region: { emea: 0.4, na: 0.6 }
    employees: { by: region, emea: { "<1000": 0.7, "1000+": 0.3 }, na: { "<1000": 0.5, "1000+": 0.5 } }"#
        ),
        r#"routing:
  attributes:
    region: [emea, na]
    employees: { type: integer }
  rules:
    - { id: big, when: { employees: ">=1000" }, assign: { method: round_robin, pod: a } }
    - { id: emea, when: { region: emea }, assign: { method: weighted, pod: b } }
  fallback: { method: pod, pod: c }
"#
    ));
    let an = analyze(&b, &Router::new(&b).unwrap());
    let close = |a: f64, b: f64| (a - b).abs() < 1e-12;
    assert!(close(an.load.by_rule[0].share, 0.42), "{:?}", an.load.by_rule);
    assert!(close(an.load.by_rule[1].share, 0.28), "{:?}", an.load.by_rule);
    assert!(close(an.load.no_rule_share, 0.30));
    assert!(close(an.load.by_pod[2].queue_share, 0.30));
    let cov = &an.coverage;
    assert!(close(cov.gap_share, 0.30));
    assert_eq!(cov.gaps.len(), 1);
    assert_eq!(cov.gaps[0].cells, [("employees".into(), "<1000".into()), ("region".into(), "na".into())]);
    // The overall shares of employees: 0.4 × 0.7 + 0.6 × 0.5 = 0.58 below 1000.
    assert!(close(cov.dimensions[0].shares[0], 0.58), "{:?}", cov.dimensions[0]);
    let synth = Synthesizer::new(&b, 20_000, 11).unwrap();
    let columns = synth.columns().to_vec();
    assert_eq!(columns, ["created_at", "employees", "region"]);
    let skip = synth.covering();
    let rows: Vec<Vec<String>> = synth.skip(skip).collect();
    let n = rows.len() as f64;
    let share = |region: &str, small: bool| {
        rows.iter().filter(|r| r[2] == region && (r[1].parse::<f64>().unwrap() < 1000.0) == small).count() as f64 / n
    };
    // 4 standard errors of a share near 0.3 over 20,000 draws: 4 × √(0.3 × 0.7 / 20000) ≈ 0.013.
    for (region, small, want) in [("na", true, 0.30), ("na", false, 0.30), ("emea", true, 0.28), ("emea", false, 0.12)]
    {
        let got = share(region, small);
        assert!((got - want).abs() < 0.013, "{region} small={small}: {got} vs {want}");
    }
    // Within a cell the integers are uniform over it: `<1000` over 0..=999 (a count has no
    // negative values), `1000+` over 1000..=1999 (an open cell spans max(2·1000, 1000 + 1000)).
    // A uniform integer on 1,000 values has mean lo + 499.5 and sd 288.7; 4 standard errors of
    // the mean over the ≈ 10,000 leads of each cell are about 12.
    for (lo, hi) in [(0, 999), (1000, 1999)] {
        let cell: Vec<i64> =
            rows.iter().map(|r| r[1].parse::<i64>().unwrap()).filter(|&v| (v < 1000) == (lo == 0)).collect();
        let (min, max) = (cell.iter().min().copied(), cell.iter().max().copied());
        assert_eq!((min, max), (Some(lo), Some(hi)), "cell {lo}..={hi}");
        let mean = cell.iter().sum::<i64>() as f64 / cell.len() as f64;
        assert!((mean - (lo as f64 + 499.5)).abs() < 12.0, "cell {lo}..={hi}: mean {mean}");
        let distinct: std::collections::BTreeSet<i64> = cell.iter().copied().collect();
        assert!(distinct.len() > 900, "cell {lo}..={hi}: {} distinct values", distinct.len());
    }
}

/// Issue 12, item 11: gaps grouped into the fewest condition sets, largest first. Rules take
/// employees >= 5000 anywhere, and 1000..4999 in east and canada. By hand the gaps are
/// `<1000` in every region (3 combinations, 0.2) and 1000..4999 in west (0.5 × 0.3 = 0.15):
/// two sets, not four combinations.
#[test]
fn gaps_are_grouped_into_condition_sets() {
    let mut b = brief(&format!(
        "{PODS}{}",
        r#"routing:
  attributes:
    region: [east, west, canada]
    employees: { type: integer }
  rules:
    - { id: big, when: { employees: ">=5000" }, assign: { method: pod, pod: a } }
    - { id: mid, when: { employees: "1000..4999", region: [east, canada] }, assign: { method: pod, pod: b } }
  fallback: { method: pod, pod: c }
"#
    ));
    b.demand.mix = mix(&[
        ("region", &[("east", 0.5), ("west", 0.3), ("canada", 0.2)]),
        ("employees", &[("<1000", 0.2), ("1000-4999", 0.5), ("5000+", 0.3)]),
    ]);
    let cov = analyze(&b, &Router::new(&b).unwrap()).coverage;
    assert_eq!(cov.gap_count, 4);
    assert!((cov.gap_share - 0.35).abs() < 1e-12);
    type Set = (Vec<(String, String)>, Vec<String>, usize);
    let sets: Vec<Set> = cov.gaps.iter().map(|g| (g.cells.clone(), g.any.clone(), g.combinations)).collect();
    assert_eq!(
        sets,
        [
            (vec![("employees".into(), "<1000".into())], vec!["region".into()], 3),
            (vec![("employees".into(), "1000..4999".into()), ("region".into(), "west".into())], vec![], 1),
        ]
    );
    assert!((cov.gaps[0].share - 0.2).abs() < 1e-12 && (cov.gaps[1].share - 0.15).abs() < 1e-12);
}

/// Issue 12, item 11: the mix table reads ranges in numeric order, not as text.
#[test]
fn mix_labels_sort_as_numbers() {
    let mut labels = vec!["1000-4999", "10000+", "5000-9999", "<1000"];
    super::super::coverage::sort_mix_labels(&mut labels, |l| l);
    assert_eq!(labels, ["<1000", "1000-4999", "5000-9999", "10000+"]);
    let mut text = vec!["us-east", "canada"];
    super::super::coverage::sort_mix_labels(&mut text, |l| l);
    assert_eq!(text, ["us-east", "canada"]);
}

/// Issue 12 (found after it): a free-text mix naming a value, `account_owner: { Lee: 0.2,
/// absent: 0.8 }`. Every share of a mix is a share of all leads (the README: they sum to 1), so
/// 20% of leads carry `Lee`, 80% are blank and no lead carries another owner. Coverage gave
/// `Lee` 0.2 of the 0.2 present (0.04) and another owner 0.16. Rule `lee` then takes 0.2 (pod
/// a), the blank 0.8 falls to pod c; any other owner is a gap of no share; 20,000 synthetic
/// leads carry `Lee` about 20% of the time (4 standard errors: 4 × √(0.2 × 0.8 / 20000) ≈
/// 0.011) and another owner never. With `present` named too, `present` is the owners the mix
/// does not name.
#[test]
fn a_text_mix_gives_named_values_their_share_of_all_leads() {
    let with_mix = |mix: &str| {
        brief(&format!(
            "{}{}",
            PODS.replace(
                "demand: { leads_per_week: 1000 }",
                &format!("demand: {{ leads_per_week: 1000, mix: {{ account_owner: {mix} }} }}")
            ),
            r#"routing:
  attributes: { account_owner: { type: text } }
  rules:
    - { id: lee, when: { account_owner: Lee }, assign: { method: pod, pod: a } }
  fallback: { method: pod, pod: c }
"#
        ))
    };
    let close = |a: f64, b: f64| (a - b).abs() < 1e-12;
    let b = with_mix("{ Lee: 0.2, absent: 0.8 }");
    let an = analyze(&b, &Router::new(&b).unwrap());
    let dim = &an.coverage.dimensions[0];
    let shares: Vec<(String, f64)> =
        dim.cells.iter().map(super::super::coverage::Cell::label).zip(dim.shares.iter().copied()).collect();
    assert_eq!(shares, [("absent".to_owned(), 0.8), ("Lee".to_owned(), 0.2), ("other".to_owned(), 0.0)]);
    assert!(close(an.load.by_rule[0].share, 0.2), "{:?}", an.load.by_rule);
    assert!(close(an.load.fallback_share, 0.8));
    assert!(close(an.coverage.gap_share, 0.8));
    // Another owner is a gap too, of no share: one set with the blanks.
    assert_eq!(an.coverage.gaps[0].cells, [("account_owner".into(), "absent or other".into())]);
    assert!(close(an.coverage.gaps[0].share, 0.8));
    let synth = Synthesizer::new(&b, 20_000, 5).unwrap();
    let col = synth.columns().iter().position(|c| c == "account_owner").unwrap();
    let skip = synth.covering();
    let rows: Vec<Vec<String>> = synth.skip(skip).collect();
    let lee = rows.iter().filter(|r| r[col] == "Lee").count() as f64 / rows.len() as f64;
    assert!((lee - 0.2).abs() < 0.011, "{lee}");
    assert!(rows.iter().all(|r| r[col] == "Lee" || r[col].is_empty()), "another owner drawn");

    let b = with_mix("{ Lee: 0.2, present: 0.3, absent: 0.5 }");
    let an = analyze(&b, &Router::new(&b).unwrap());
    assert_eq!(an.coverage.dimensions[0].shares, [0.5, 0.2, 0.3]);
    assert!(close(an.load.by_rule[0].share, 0.2));
}

/// Issue 12 (found after it): gaps over one number attribute. Rules take `seats` `10..49` and
/// `>60` (whole numbers), so `<10` and `50..60` match no rule: two disjoint ranges, each its own
/// condition set with its own share (they were one set, `<10 or 50..60`). By hand with the mix
/// `{<10: 0.5, 10-49: 0.3, 50-60: 0.1, 61+: 0.1}`: `<10` holds 0.5 and `50..60` 0.1.
#[test]
fn disjoint_number_gaps_are_separate_sets() {
    let mut b = brief(&format!(
        "{PODS}{}",
        r#"routing:
  attributes: { seats: { type: integer } }
  rules:
    - { id: mid, when: { seats: "10..49" }, assign: { method: pod, pod: a } }
    - { id: big, when: { seats: ">60" }, assign: { method: pod, pod: a } }
  fallback: { method: pod, pod: c }
"#
    ));
    b.demand.mix = mix(&[("seats", &[("<10", 0.5), ("10-49", 0.3), ("50-60", 0.1), ("61+", 0.1)])]);
    let cov = analyze(&b, &Router::new(&b).unwrap()).coverage;
    assert!((cov.gap_share - 0.6).abs() < 1e-12, "{}", cov.gap_share);
    let sets: Vec<(Vec<(String, String)>, f64)> = cov.gaps.iter().map(|g| (g.cells.clone(), g.share)).collect();
    assert_eq!(sets.len(), 2, "{sets:?}");
    assert_eq!(sets[0].0, [("seats".to_owned(), "<10".to_owned())]);
    assert_eq!(sets[1].0, [("seats".to_owned(), "50..60".to_owned())]);
    assert!((sets[0].1 - 0.5).abs() < 1e-12 && (sets[1].1 - 0.1).abs() < 1e-12, "{sets:?}");
}

/// How a number mix range's share is spread over the cells inside it, by hand. Rules cut
/// `employees` at 20 and 200; the mix adds 0, 100 and the point 20:
/// `{0..100: 0.5, 20: 0.1, >100: 0.4}`. Real cells: <0, =0, (0, 20), =20, (20, 100), =100,
/// (100, 200), =200, >200.
/// - `0..100` is bounded: its 0.5 goes by length, 20 : 80, so (0, 20) 0.1 and (20, 100) 0.4;
///   its points (=0, =20, =100) hold nothing;
/// - `20` is one point (length 0): it takes its 0.1 whole;
/// - `>100` is unbounded: its 0.4 goes evenly over its cells of positive width, (100, 200) and
///   >200 (0.2 each), and not to the point =200 inside it.
#[test]
fn number_mix_ranges_share_by_length_or_evenly_over_wide_cells() {
    let b = brief(&format!(
        "{}{}",
        PODS.replace(
            "demand: { leads_per_week: 1000 }",
            r#"demand: { leads_per_week: 1000, mix: { employees: { "0..100": 0.5, "20": 0.1, ">100": 0.4 } } }"#
        ),
        r#"routing:
  rules:
    - { id: small, when: { employees: "<20" }, assign: { method: pod, pod: a } }
    - { id: big, when: { employees: ">=200" }, assign: { method: pod, pod: b } }
  fallback: { method: pod, pod: c }
"#
    ));
    let an = analyze(&b, &Router::new(&b).unwrap());
    let dim = &an.coverage.dimensions[0];
    let labels: Vec<String> = dim.cells.iter().map(super::super::coverage::Cell::label).collect();
    assert_eq!(labels, ["<0", "=0", "(0, 20)", "=20", "(20, 100)", "=100", "(100, 200)", "=200", ">200"]);
    let expected = [0.0, 0.0, 0.1, 0.1, 0.4, 0.0, 0.2, 0.0, 0.2];
    assert!(dim.shares.iter().zip(expected).all(|(s, e)| (s - e).abs() < 1e-12), "{:?}", dim.shares);
    // small: <0, =0, (0, 20) = 0.1; big: =200, >200 = 0.2; the rest (0.7) falls back.
    assert!((an.load.by_rule[0].share - 0.1).abs() < 1e-12, "{:?}", an.load.by_rule);
    assert!((an.load.by_rule[1].share - 0.2).abs() < 1e-12);
    assert!((an.load.fallback_share - 0.7).abs() < 1e-12);

    // All of demand on the point 20: that cell holds 1, the rest nothing.
    let b = brief(&format!(
        "{}{}",
        PODS.replace(
            "demand: { leads_per_week: 1000 }",
            r#"demand: { leads_per_week: 1000, mix: { employees: { "20": 1.0 } } }"#
        ),
        r#"routing:
  rules:
    - { id: small, when: { employees: "<20" }, assign: { method: pod, pod: a } }
  fallback: { method: pod, pod: c }
"#
    ));
    let an = analyze(&b, &Router::new(&b).unwrap());
    assert_eq!(an.coverage.dimensions[0].shares, [0.0, 1.0, 0.0]);
    assert!((an.load.fallback_share - 1.0).abs() < 1e-12);

    // No mix: evenly over the three cells of positive width; the points 20 and 200 hold
    // nothing, so `small` and `big` take a third each and the fallback the (20, 200) third.
    let b = brief(&format!(
        "{PODS}{}",
        r#"routing:
  rules:
    - { id: small, when: { employees: "<20" }, assign: { method: pod, pod: a } }
    - { id: big, when: { employees: ">200" }, assign: { method: pod, pod: b } }
    - { id: mid, when: { employees: "=200" }, assign: { method: pod, pod: c } }
  fallback: { method: pod, pod: c }
"#
    ));
    let an = analyze(&b, &Router::new(&b).unwrap());
    let dim = &an.coverage.dimensions[0];
    let labels: Vec<String> = dim.cells.iter().map(super::super::coverage::Cell::label).collect();
    assert_eq!(labels, ["<20", "=20", "(20, 200)", "=200", ">200"]);
    let third = 1.0 / 3.0;
    assert_eq!(dim.shares, [third, 0.0, third, 0.0, third]);
    assert!((an.load.fallback_share - third).abs() < 1e-12, "{:?}", an.load);
}

/// A field no attribute declares is text unless a rule compares it as a number; a territory
/// assignment adds its pods' territories as values of its field even where no rule names them.
/// The rules' literals (`east`, the list's `north`, the substring `sou`) are cells, then the
/// territories (`west` is one only), then `other`. By hand, without a mix: presence matters for
/// text, so `absent` holds 0.5 and the present 0.5 is spread evenly over the five others.
#[test]
fn undeclared_text_fields_and_territory_values_are_cells() {
    let b = brief(
        r#"
demand: { leads_per_week: 100 }
capacity:
  pods:
    - { id: a, role: SDR, touch_minutes: 5, reps: 1, territories: [east] }
    - { id: w, role: SDR, touch_minutes: 5, reps: 1, territories: [west] }
    - { id: c, role: SDR, touch_minutes: 5, reps: 1 }
routing:
  rules:
    - { id: east, when: { region: east }, assign: { method: territory, field: region } }
    - { id: north, when: { region: [north] }, assign: { method: pod, pod: c } }
    - { id: south, when: { region: "~sou" }, assign: { method: pod, pod: c } }
  fallback: { method: pod, pod: c }
"#,
    );
    let an = analyze(&b, &Router::new(&b).unwrap());
    let dim = &an.coverage.dimensions[0];
    let labels: Vec<String> = dim.cells.iter().map(super::super::coverage::Cell::label).collect();
    assert_eq!(labels, ["absent", "east", "north", "sou", "west", "other"]);
    let fifth = 0.5 / 5.0;
    let expected = [0.5, fifth, fifth, fifth, fifth, fifth];
    assert!(dim.shares.iter().zip(expected).all(|(s, e)| (s - e).abs() < 1e-12), "{:?}", dim.shares);
}
