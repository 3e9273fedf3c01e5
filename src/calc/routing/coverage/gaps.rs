//! Gaps grouped into condition sets (issue 12: the gap list dumped combination after
//! combination, many at 0.0%): the combinations no rule catches, merged into as few products
//! of cell sets as the merge finds — `employees <1000, any region` — largest share first.
//!
//! The merge: two sets that take the same cells in every dimension but one become one set
//! taking both sets' cells there (every combination of the result is still a gap, and the sets
//! stay disjoint); on a number dimension only adjacent ranges join, so each set reads as one
//! range per number (`<10` and `50..60` are two sets). It runs to a fixed point once per starting dimension, and the result with the
//! fewest sets is kept (on a tie, the one whose largest sets are largest, then the first). Beyond [`MAX_GROUPED`] gaps the largest are listed
//! one combination each.

use std::collections::BTreeMap;

use serde::Serialize;

use super::dimension::{Cell, Dimension, DimensionKind};
use super::interval::Interval;

/// Most gap combinations merged into sets; beyond, each is listed on its own.
const MAX_GROUPED: usize = 20_000;

/// Combinations no rule catches, as one condition set.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GapSet {
    /// The fields the set constrains, each with the cells it takes (`<1000`, `us-east or
    /// canada`, `1000..4999`), in dimension order.
    pub cells: Vec<(String, String)>,
    /// The fields whose every value is in the set.
    pub any: Vec<String>,
    /// How many combinations the set holds.
    pub combinations: usize,
    /// Their share of demand.
    pub share: f64,
}

type Product = Vec<Vec<usize>>;

/// Group the gaps, given as (share, ordinal) with the cells of each ordinal from `digits_of`.
pub(super) fn group(
    dims: &[Dimension],
    gaps: &[(f64, usize)],
    digits_of: impl Fn(usize) -> Vec<usize>,
    listed: usize,
) -> Vec<GapSet> {
    if gaps.len() > MAX_GROUPED {
        let mut largest: Vec<(f64, usize)> = gaps.to_vec();
        largest.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        return largest
            .into_iter()
            .take(listed)
            .map(|(share, o)| describe(dims, &digits_of(o).into_iter().map(|c| vec![c]).collect::<Vec<_>>(), 1, share))
            .collect();
    }
    let shares: BTreeMap<Vec<usize>, f64> = gaps.iter().map(|&(s, o)| (digits_of(o), s)).collect();
    let singles: Vec<Product> =
        gaps.iter().map(|&(_, o)| digits_of(o).into_iter().map(|c| vec![c]).collect()).collect();
    let mut best: Option<Vec<Product>> = None;
    for start in 0..dims.len().max(1) {
        let merged = merge(singles.clone(), dims, start);
        // Fewest sets; among as few, the one whose largest sets are largest (`<1000` in every
        // region and one more beats two sets of two).
        let sizes = |ps: &[Product]| {
            let mut s: Vec<usize> = ps.iter().map(|p| p.iter().map(Vec::len).product()).collect();
            s.sort_unstable_by(|a, b| b.cmp(a));
            s
        };
        let better = best
            .as_ref()
            .is_none_or(|b| merged.len() < b.len() || (merged.len() == b.len() && sizes(&merged) > sizes(b)));
        if better {
            best = Some(merged);
        }
    }
    let mut sets: Vec<(GapSet, Vec<usize>)> = best
        .unwrap_or_default()
        .into_iter()
        .map(|p| {
            let combos = expand(&p);
            let share: f64 = combos.iter().map(|c| shares.get(c).copied().unwrap_or(0.0)).sum();
            let first = combos.iter().min().cloned().unwrap_or_default();
            (describe(dims, &p, combos.len(), share), first)
        })
        .collect();
    sets.sort_by(|(a, fa), (b, fb)| {
        b.share.total_cmp(&a.share).then(b.combinations.cmp(&a.combinations)).then(fa.cmp(fb))
    });
    sets.into_iter().take(listed).map(|(s, _)| s).collect()
}

/// Merge to a fixed point, dimension by dimension from `start`. On a number dimension a set
/// takes one range: cells that are not next to each other stay in separate sets (`<10` and
/// `50..60` are two gaps, not one set spanning what lies between).
fn merge(mut products: Vec<Product>, dims: &[Dimension], start: usize) -> Vec<Product> {
    let n_dims = dims.len();
    if n_dims == 0 {
        return products;
    }
    loop {
        let before = products.len();
        for k in 0..n_dims {
            let d = (start + k) % n_dims;
            let mut groups: BTreeMap<Vec<Vec<usize>>, Vec<usize>> = BTreeMap::new();
            for mut p in products {
                let mine = std::mem::take(&mut p[d]);
                groups.entry(p).or_default().extend(mine);
            }
            products = groups
                .into_iter()
                .flat_map(|(p, mut cells)| {
                    cells.sort_unstable();
                    cells.dedup();
                    runs(&dims[d], cells).into_iter().map(move |run| {
                        let mut p = p.clone();
                        p[d] = run;
                        p
                    })
                })
                .collect();
        }
        if products.len() == before {
            return products;
        }
    }
}

/// The cells a set may take together in one dimension: all of them, except on a number
/// dimension, where each run of adjacent ranges is its own (and `absent` stands alone).
fn runs(d: &Dimension, cells: Vec<usize>) -> Vec<Vec<usize>> {
    if d.kind != DimensionKind::Number {
        return vec![cells];
    }
    let range = |i: usize| matches!(d.cells.get(i), Some(Cell::Range { .. }));
    let mut out: Vec<Vec<usize>> = Vec::new();
    for i in cells {
        match out.last_mut() {
            Some(run) if run.last().is_some_and(|&l| l + 1 == i && range(l) && range(i)) => run.push(i),
            _ => out.push(vec![i]),
        }
    }
    out
}

/// Every combination of a product.
fn expand(p: &Product) -> Vec<Vec<usize>> {
    let mut out = vec![Vec::with_capacity(p.len())];
    for cells in p {
        out =
            out.into_iter().flat_map(|prefix| cells.iter().map(move |&c| [prefix.clone(), vec![c]].concat())).collect();
    }
    out
}

fn describe(dims: &[Dimension], p: &[Vec<usize>], combinations: usize, share: f64) -> GapSet {
    let mut cells = Vec::new();
    let mut any = Vec::new();
    for (d, taken) in dims.iter().zip(p) {
        if taken.len() == d.cells.len() {
            any.push(d.field.clone());
        } else {
            cells.push((d.field.clone(), label(d, taken)));
        }
    }
    GapSet { cells, any, combinations, share }
}

/// The cells of one dimension a set takes: runs of adjacent number cells joined into one range,
/// the rest by name, joined with `or`.
fn label(d: &Dimension, taken: &[usize]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut run: Option<Interval> = None;
    let mut last: Option<usize> = None;
    let flush = |run: &mut Option<Interval>, parts: &mut Vec<String>| {
        if let Some(iv) = run.take() {
            parts.push(iv.label(d.integer));
        }
    };
    for &i in taken {
        match d.cells.get(i) {
            Some(Cell::Range { interval, .. }) if d.kind == DimensionKind::Number => {
                let adjacent = last.is_some_and(|l| l + 1 == i);
                match (&mut run, adjacent) {
                    (Some(r), true) => r.hi = interval.hi,
                    _ => {
                        flush(&mut run, &mut parts);
                        run = Some(*interval);
                    }
                }
            }
            Some(c) => {
                flush(&mut run, &mut parts);
                parts.push(c.label());
            }
            None => {}
        }
        last = Some(i);
    }
    flush(&mut run, &mut parts);
    parts.join(" or ")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A set as compared: its cells (field, values taken) and the fields it leaves open.
    type Shown<'a> = (&'a [(String, String)], &'a [String]);

    fn text(field: &str, values: &[&str]) -> Dimension {
        Dimension {
            field: field.to_owned(),
            kind: DimensionKind::Text,
            integer: false,
            cells: values.iter().map(|v| Cell::Value { value: (*v).to_owned() }).collect(),
            shares: vec![0.0; values.len()],
            given: None,
        }
    }

    /// Whole-number cells `0..9`, `10..19`, `>=20`.
    fn seats() -> Dimension {
        let cuts = [(Some(0.0), Some(10.0)), (Some(10.0), Some(20.0)), (Some(20.0), None)];
        let cells = cuts
            .iter()
            .map(|&(lo, hi)| {
                let interval = Interval { lo: lo.map(|l| (l, true)), hi: hi.map(|h| (h, false)) };
                Cell::Range { label: interval.label(true), interval }
            })
            .collect();
        Dimension {
            field: "seats".to_owned(),
            kind: DimensionKind::Number,
            integer: true,
            cells,
            shares: vec![0.0; 3],
            given: None,
        }
    }

    /// Gaps (a1, 0..9), (a1, 10..19), (a2, 10..19), (a2, >=20), ordinal = owner · 3 + seats.
    /// Merging owners first joins nothing across seats (each seat cell has a different set of
    /// owners) and leaves three sets; merging seats first joins each owner's two adjacent
    /// ranges: two sets, `a1` on `0..19` (0.3) and `a2` on `>=10` (0.1). The fewer sets win.
    #[test]
    fn the_start_giving_the_fewest_sets_wins() {
        let dims = [text("owner", &["a1", "a2"]), seats()];
        let gaps = [(0.1, 0), (0.2, 1), (0.05, 4), (0.05, 5)];
        let sets = group(&dims, &gaps, |o| vec![o / 3, o % 3], 10);
        let cells: Vec<&[(String, String)]> = sets.iter().map(|s| s.cells.as_slice()).collect();
        let pair = |a: &str, b: &str| vec![("owner".to_owned(), a.to_owned()), ("seats".to_owned(), b.to_owned())];
        assert_eq!(cells, [pair("a1", "0..19").as_slice(), pair("a2", ">=10").as_slice()]);
        assert_eq!(sets.iter().map(|s| s.combinations).collect::<Vec<_>>(), [2, 2]);
        assert!((sets[0].share - 0.3).abs() < 1e-12 && (sets[1].share - 0.1).abs() < 1e-12, "{sets:?}");
    }

    /// Fewest sets first; as few, the one whose largest sets are largest; then the first start.
    #[test]
    fn on_a_tie_the_larger_sets_then_the_first_start_win() {
        let region = |taken: &str| ("region".to_owned(), taken.to_owned());
        let owner = |taken: &str| ("owner".to_owned(), taken.to_owned());
        // Owners {a1, a2} × regions {b1, b2, b3}, gaps a1 and a2 on b1 and b2, and a1 on b3.
        // Owners first: {a1, a2} × {b1, b2} and a1 × b3 (sizes 4, 1); regions first: a1 ×
        // {b1, b2, b3} and a2 × {b1, b2} (3, 2). Two sets each; the first has the larger set.
        let dims = [text("owner", &["a1", "a2"]), text("region", &["b1", "b2", "b3"])];
        let gaps = [(0.1, 0), (0.1, 3), (0.1, 1), (0.1, 4), (0.1, 2)];
        let sets = group(&dims, &gaps, |o| vec![o / 3, o % 3], 10);
        let got: Vec<Shown<'_>> = sets.iter().map(|s| (s.cells.as_slice(), s.any.as_slice())).collect();
        let any_owner = ["owner".to_owned()];
        let (first, second) = (vec![region("b1 or b2")], vec![owner("a1"), region("b3")]);
        assert_eq!(got, [(first.as_slice(), any_owner.as_slice()), (second.as_slice(), &[][..])]);
        // Owners {a1, a2} × regions {b1, b2}, gaps (a1, b1), (a1, b2), (a2, b1): either start
        // gives sets of 2 and 1; the first start's (owners merged first) is kept.
        let dims = [text("owner", &["a1", "a2"]), text("region", &["b1", "b2"])];
        let sets = group(&dims, &[(0.1, 0), (0.1, 1), (0.1, 2)], |o| vec![o / 2, o % 2], 10);
        let got: Vec<Shown<'_>> = sets.iter().map(|s| (s.cells.as_slice(), s.any.as_slice())).collect();
        let (first, second) = (vec![region("b1")], vec![owner("a1"), region("b2")]);
        assert_eq!(got, [(first.as_slice(), any_owner.as_slice()), (second.as_slice(), &[][..])]);
    }

    /// Up to `MAX_GROUPED` gaps are merged (here into one set: every value but the last); one
    /// more and the largest are listed one combination each.
    #[test]
    fn beyond_the_grouping_limit_the_largest_gaps_are_listed_alone() {
        let names: Vec<String> = (0..=MAX_GROUPED).map(|i| format!("v{i}")).collect();
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let dims = [text("owner", &refs)];
        #[allow(clippy::cast_precision_loss)]
        let gaps: Vec<(f64, usize)> = (0..=MAX_GROUPED).map(|i| (1.0 + i as f64, i)).collect();
        let at = group(&dims, &gaps[..MAX_GROUPED], |o| vec![o], 3);
        assert_eq!(at.len(), 1);
        assert_eq!(at[0].combinations, MAX_GROUPED);
        let over = group(&dims, &gaps, |o| vec![o], 3);
        let listed: Vec<(&[(String, String)], usize)> =
            over.iter().map(|s| (s.cells.as_slice(), s.combinations)).collect();
        let one = |v: usize| vec![("owner".to_owned(), format!("v{v}"))];
        let (a, b, c) = (one(MAX_GROUPED), one(MAX_GROUPED - 1), one(MAX_GROUPED - 2));
        assert_eq!(listed, [(a.as_slice(), 1), (b.as_slice(), 1), (c.as_slice(), 1)]);
    }
}
