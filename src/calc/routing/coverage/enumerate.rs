//! The enumeration: every combination of cells, evaluated against the compiled rules, in one
//! pass that collects the coverage findings and tallies the expected load.

use std::collections::{BTreeMap, BTreeSet};

use super::MAX_EXAMPLES;
use super::dimension::{Cell, Dimension};
use super::findings::{Combination, Coverage, DeadReason, DeadRule, Overlap};
use super::load::{Load, PodLoad, RepLoad, RuleLoad, Tally, accumulate, static_take};
use crate::brief::Brief;
use crate::calc::routing::engine::{Router, rep_names};

pub(super) fn enumerate(brief: &Brief, router: &Router, dims: Vec<Dimension>, cap: usize) -> (Coverage, Load) {
    let n_rules = router.rule_count();
    let radices: Vec<usize> = dims.iter().map(|d| d.cells.len().max(1)).collect();
    let total: u64 = radices.iter().fold(1u64, |acc, &r| acc.saturating_mul(r as u64));
    let limit = usize::try_from(total).unwrap_or(usize::MAX).min(cap);
    let pods = &brief.capacity.pods;
    let mut tally = Tally {
        rule_share: vec![0.0; n_rules],
        rule_fallback_share: vec![0.0; n_rules],
        no_rule: 0.0,
        fallback: 0.0,
        unrouted: 0.0,
        pod: vec![0.0; pods.len()],
        queue: vec![0.0; pods.len()],
        rep: pods.iter().map(|p| vec![0.0; rep_names(p).len()]).collect(),
    };
    let mut gaps = Vec::new();
    let (mut gap_count, mut gap_share) = (0usize, 0.0);
    let mut first_hits = vec![0usize; n_rules];
    let mut any_hits = vec![0usize; n_rules];
    let mut shadowers: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); n_rules];
    let mut overlaps: BTreeMap<(usize, usize), (usize, f64, Combination)> = BTreeMap::new();
    let slots: Vec<usize> = dims.iter().map(|d| router.slot(&d.field).unwrap_or(usize::MAX)).collect();
    let mut digits = vec![0usize; dims.len()];
    let mut values: Vec<Option<String>> = vec![None; router.fields().len()];
    for _ in 0..limit {
        let mut share = 1.0;
        for (d, (&digit, &slot)) in dims.iter().zip(digits.iter().zip(&slots)) {
            share *= d.shares.get(digit).copied().unwrap_or(0.0);
            if let Some(v) = values.get_mut(slot) {
                *v = d.cells.get(digit).and_then(Cell::representative);
            }
        }
        let lead: Vec<Option<&str>> = values.iter().map(Option::as_deref).collect();
        let matched: Vec<usize> = (0..n_rules).filter(|&r| router.rule_matches(r, &lead)).collect();
        let combo = || Combination {
            cells: dims.iter().zip(&digits).map(|(d, &i)| (d.field.clone(), d.cells[i].label())).collect(),
            share,
        };
        for (k, &r) in matched.iter().enumerate() {
            any_hits[r] += 1;
            if k == 0 {
                first_hits[r] += 1;
            } else {
                shadowers[r].extend(matched[..k].iter().copied());
            }
            for &earlier in &matched[..k] {
                let e = overlaps.entry((earlier, r)).or_insert_with(|| (0, 0.0, combo()));
                e.0 += 1;
                e.1 += share;
            }
        }
        if matched.is_empty() {
            gap_count += 1;
            gap_share += share;
            if gaps.len() < MAX_EXAMPLES {
                gaps.push(combo());
            }
        }
        // Static ownership chain for the load.
        let value_of = |field: &str| -> Option<Cell> {
            dims.iter().zip(&digits).find(|(d, _)| d.field == field).map(|(d, &i)| d.cells[i].clone())
        };
        let routing = &brief.routing;
        let mut placed = false;
        if let Some(&r) = matched.first() {
            tally.rule_share[r] += share;
            let rule = &routing.rules[r];
            if let Some(t) = static_take(brief, &rule.assign, &value_of) {
                accumulate(&mut tally, &t, share);
                placed = true;
            } else if let Some(t) = rule.fallback.as_ref().and_then(|f| static_take(brief, f, &value_of)) {
                accumulate(&mut tally, &t, share);
                tally.rule_fallback_share[r] += share;
                placed = true;
            } else {
                tally.rule_fallback_share[r] += share;
            }
        } else {
            tally.no_rule += share;
        }
        if !placed {
            if let Some(t) = static_take(brief, &routing.fallback, &value_of) {
                accumulate(&mut tally, &t, share);
                tally.fallback += share;
            } else {
                tally.unrouted += share;
            }
        }
        // Next combination (mixed radix, last dimension fastest).
        for i in (0..digits.len()).rev() {
            digits[i] += 1;
            if digits[i] < radices[i] {
                break;
            }
            digits[i] = 0;
        }
    }
    let ids: Vec<&str> = router.rule_ids().collect();
    let dead = (0..n_rules)
        .filter(|&r| first_hits[r] == 0)
        .map(|r| DeadRule {
            rule: ids[r].to_owned(),
            reason: if any_hits[r] == 0 {
                DeadReason::MatchesNothing
            } else {
                DeadReason::Shadowed { by: shadowers[r].iter().map(|&i| ids[i].to_owned()).collect() }
            },
        })
        .collect();
    let overlaps = overlaps
        .into_iter()
        .map(|((a, b), (combinations, share, example))| Overlap {
            first: ids[a].to_owned(),
            second: ids[b].to_owned(),
            combinations,
            share,
            example,
        })
        .collect();
    let per_week = brief.demand.leads_per_week.or(brief.demand.leads_per_day.map(|d| d * 7.0)).unwrap_or(0.0);
    let load = Load {
        leads_per_week: per_week,
        by_rule: (0..n_rules)
            .map(|r| RuleLoad {
                rule: ids[r].to_owned(),
                share: tally.rule_share[r],
                fallback_share: tally.rule_fallback_share[r],
            })
            .collect(),
        no_rule_share: tally.no_rule,
        fallback_share: tally.fallback,
        unrouted_share: tally.unrouted,
        by_pod: pods
            .iter()
            .enumerate()
            .map(|(pi, p)| PodLoad {
                pod: p.id.clone(),
                share: tally.pod[pi],
                leads_per_week: tally.pod[pi] * per_week,
                queue_share: tally.queue[pi],
                reps: rep_names(p)
                    .into_iter()
                    .zip(&tally.rep[pi])
                    .map(|(rep, &s)| RepLoad { rep, share: s, leads_per_week: s * per_week })
                    .collect(),
            })
            .collect(),
    };
    let coverage = Coverage {
        dimensions: dims,
        combinations: total,
        enumerated: limit,
        capped: (limit as u64) < total,
        gap_count,
        gap_share,
        gaps,
        overlaps,
        dead,
    };
    (coverage, load)
}
