//! The enumeration: every combination of cells, evaluated against the compiled rules, in one
//! pass that collects the coverage findings and tallies the expected load.
//!
//! The work is bounded (issue 13: 1,000 identical rules took 69 s, 2.4 GB and wrote 499,500
//! overlap lines): the pass spends at most [`WORK_BUDGET`] rule evaluations and rule-pair
//! updates, then stops and reports `capped`; overlaps and gaps are counted exactly over what was
//! enumerated, and only the [`MAX_LISTED`] largest of each are kept, with one example each
//! rebuilt from its ordinal at the end, so memory stays linear in the pairs found.

use std::collections::BTreeMap;

use super::dimension::{Cell, Dimension};
use super::findings::{Combination, Coverage, DeadReason, DeadRule, Overlap};
use super::load::{Load, PodLoad, RepLoad, RuleLoad, Tally, accumulate, static_take};
use super::{MAX_LISTED, WORK_BUDGET};
use crate::brief::Brief;
use crate::calc::routing::engine::{Router, rep_names};

/// What the pass tallies for a pair of rules (earlier, later): combinations both match, their
/// share of demand, and the ordinal and share of the first such combination (its example).
type PairTally = (usize, f64, usize, f64);

pub(super) fn enumerate(brief: &Brief, router: &Router, dims: Vec<Dimension>, cap: usize) -> (Coverage, Load) {
    let n_rules = router.rule_count();
    let radices: Vec<usize> = dims.iter().map(|d| d.cells.len().max(1)).collect();
    let total: u64 = radices.iter().fold(1u64, |acc, &r| acc.saturating_mul(r as u64));
    let per_combination = u64::try_from(n_rules.max(1)).unwrap_or(u64::MAX);
    let affordable = usize::try_from(WORK_BUDGET / per_combination).unwrap_or(usize::MAX).max(1);
    let limit = usize::try_from(total).unwrap_or(usize::MAX).min(cap).min(affordable);
    let mut work: u64 = 0;
    let mut enumerated = 0usize;
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
    // (share, ordinal) of every gap; the largest are kept at the end.
    let mut gaps: Vec<(f64, usize)> = Vec::new();
    let (mut gap_count, mut gap_share) = (0usize, 0.0);
    let mut first_hits = vec![0usize; n_rules];
    let mut any_hits = vec![0usize; n_rules];
    // Which earlier rules take each rule's combinations: a bit per (rule, earlier rule).
    let words = n_rules.div_ceil(64);
    let mut shadowers: Vec<u64> = vec![0; n_rules * words];
    let mut overlaps: BTreeMap<(usize, usize), PairTally> = BTreeMap::new();
    let slots: Vec<usize> = dims.iter().map(|d| router.slot(&d.field).unwrap_or(usize::MAX)).collect();
    let mut digits = vec![0usize; dims.len()];
    let mut values: Vec<Option<String>> = vec![None; router.fields().len()];
    for ordinal in 0..limit {
        if work > WORK_BUDGET {
            break;
        }
        enumerated += 1;
        let mut share = 1.0;
        for (d, (&digit, &slot)) in dims.iter().zip(digits.iter().zip(&slots)) {
            share *= d.share(digit, &digits);
            if let Some(v) = values.get_mut(slot) {
                *v = d.cells.get(digit).and_then(Cell::representative);
            }
        }
        let lead: Vec<Option<&str>> = values.iter().map(Option::as_deref).collect();
        let matched: Vec<usize> = (0..n_rules).filter(|&r| router.rule_matches(r, &lead)).collect();
        let k = u64::try_from(matched.len()).unwrap_or(u64::MAX);
        work = work.saturating_add(per_combination).saturating_add(k.saturating_mul(k.saturating_sub(1)) / 2);
        for (k, &r) in matched.iter().enumerate() {
            any_hits[r] += 1;
            if k == 0 {
                first_hits[r] += 1;
            }
            for &earlier in &matched[..k] {
                shadowers[r * words + earlier / 64] |= 1 << (earlier % 64);
                let e = overlaps.entry((earlier, r)).or_insert((0, 0.0, ordinal, share));
                e.0 += 1;
                e.1 += share;
            }
        }
        if matched.is_empty() {
            gap_count += 1;
            gap_share += share;
            gaps.push((share, ordinal));
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
                let by: Vec<usize> = (0..r).filter(|&e| shadowers[r * words + e / 64] & (1 << (e % 64)) != 0).collect();
                DeadReason::Shadowed {
                    by: by.iter().take(MAX_LISTED).map(|&i| ids[i].to_owned()).collect(),
                    more: by.len().saturating_sub(MAX_LISTED),
                }
            },
        })
        .collect();
    let example = |ordinal: usize, share: f64| Combination {
        cells: dims
            .iter()
            .zip(digits_of(ordinal, &radices))
            .map(|(d, i)| (d.field.clone(), d.cells.get(i).map(Cell::label).unwrap_or_default()))
            .collect(),
        share,
    };
    let overlap_count = overlaps.len();
    let mut overlaps: Vec<((usize, usize), PairTally)> = overlaps.into_iter().collect();
    // Largest first: by share of demand, then by combinations, then in rule order.
    overlaps.sort_by(|(pa, a), (pb, b)| b.1.total_cmp(&a.1).then(b.0.cmp(&a.0)).then(pa.cmp(pb)));
    let overlaps = overlaps
        .into_iter()
        .take(MAX_LISTED)
        .map(|((a, b), (combinations, share, ordinal, example_share))| Overlap {
            first: ids[a].to_owned(),
            second: ids[b].to_owned(),
            combinations,
            share,
            example: example(ordinal, example_share),
        })
        .collect();
    let gaps = super::gaps::group(&dims, &gaps, |o| digits_of(o, &radices), MAX_LISTED);
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
        enumerated,
        capped: (enumerated as u64) < total,
        gap_count,
        gap_share,
        gaps,
        overlap_count,
        overlaps,
        dead,
    };
    (coverage, load)
}

/// The cell index in each dimension of the combination at `ordinal` (mixed radix, last
/// dimension fastest, as the pass counts).
fn digits_of(mut ordinal: usize, radices: &[usize]) -> Vec<usize> {
    let mut digits = vec![0; radices.len()];
    for (digit, &radix) in digits.iter_mut().zip(radices).rev() {
        *digit = ordinal % radix.max(1);
        ordinal /= radix.max(1);
    }
    digits
}
