//! Dimensions: each lead field the rules read cut into cells (closed-list values, numeric
//! intervals, or the literals of free text with `absent` and "any other value"), each with its
//! share of demand from `demand.mix`.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::interval::{Interval, integer_cells, parse_mix_range, predicate_interval, real_cells, to_integer};
use crate::brief::{Attribute, AttributeType, Brief, Method, Mix, Reps};
use crate::calc::routing::condition::{Predicate, format_number};
use crate::calc::routing::engine::Router;

/// One cell of a dimension.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Cell {
    /// The field is missing or empty.
    Absent,
    /// A specific text value.
    Value {
        /// The value.
        value: String,
    },
    /// A numeric interval.
    Range {
        /// The interval.
        interval: Interval,
        /// Its label (`1000..4999`).
        label: String,
    },
    /// Any present text value the rules do not name.
    Other,
}

/// Stand-in text for [`Cell::Other`]: matches `present` and no literal or substring a brief writes.
const OTHER_TEXT: &str = "\u{1}other\u{1}";

impl Cell {
    /// How the cell reads in a report: the value, the interval, `absent`, `other`.
    #[must_use]
    pub fn label(&self) -> String {
        match self {
            Self::Absent => "absent".to_owned(),
            Self::Value { value } => value.clone(),
            Self::Range { label, .. } => label.clone(),
            Self::Other => "other".to_owned(),
        }
    }

    /// The text a lead in this cell would carry (`None` when absent).
    #[must_use]
    pub fn representative(&self) -> Option<String> {
        match self {
            Self::Absent => None,
            Self::Value { value } => Some(value.clone()),
            Self::Range { interval, .. } => Some(format_number(interval.representative())),
            Self::Other => Some(OTHER_TEXT.to_owned()),
        }
    }
}

/// Kind of a dimension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DimensionKind {
    /// A closed list of values.
    List,
    /// Numbers, cut into intervals.
    Number,
    /// Free text.
    Text,
}

/// A lead field the rules read, cut into cells, with each cell's share of demand.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dimension {
    /// Field name.
    pub field: String,
    /// Kind.
    pub kind: DimensionKind,
    /// True for numbers taken to be whole.
    pub integer: bool,
    /// The cells.
    pub cells: Vec<Cell>,
    /// Share of demand in each cell (same order; sums to 1). When the mix gives the shares per
    /// value of another attribute, these are the overall shares (summed over its values).
    pub shares: Vec<f64>,
    /// When the shares depend on another dimension's cell (`demand.mix.<field>.by`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub given: Option<Given>,
}

/// Shares of a dimension that depend on the cell of another.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Given {
    /// The attribute they depend on.
    pub by: String,
    /// Its index among the dimensions.
    #[serde(skip)]
    pub dimension: usize,
    /// Per cell of that dimension, this dimension's shares (same order as `cells`).
    pub shares: Vec<Vec<f64>>,
}

impl Dimension {
    /// The share of cell `cell`, given the cell index of every dimension (`digits`).
    #[must_use]
    pub fn share(&self, cell: usize, digits: &[usize]) -> f64 {
        match &self.given {
            Some(g) => {
                digits.get(g.dimension).and_then(|&p| g.shares.get(p)).and_then(|s| s.get(cell)).copied().unwrap_or(0.0)
            }
            None => self.shares.get(cell).copied().unwrap_or(0.0),
        }
    }

    /// This dimension's shares given the cell index of every dimension.
    #[must_use]
    pub fn shares_given(&self, digits: &[usize]) -> &[f64] {
        match &self.given {
            Some(g) => digits.get(g.dimension).and_then(|&p| g.shares.get(p)).map_or(&self.shares, Vec::as_slice),
            None => &self.shares,
        }
    }
}

fn lookup<'a>(mix: &'a BTreeMap<String, f64>, key: &str) -> Option<&'a f64> {
    mix.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)).map(|(_, v)| v)
}

/// A conditional dimension's `by` and, per value of it, the dimension cut with that value's
/// shares.
type Branches = (String, Vec<(String, Dimension)>);

/// Cut each field the rules read into cells with shares.
#[must_use]
pub(crate) fn dimensions(brief: &Brief, router: &Router) -> Vec<Dimension> {
    let mut preds: BTreeMap<&str, Vec<Predicate>> = BTreeMap::new();
    for rule in &brief.routing.rules {
        for (f, c) in &rule.when {
            if let Ok(p) = Predicate::parse(c) {
                preds.entry(f.as_str()).or_default().push(p);
            }
        }
    }
    let territory_fields: BTreeSet<&str> = brief
        .routing
        .rules
        .iter()
        .flat_map(|r| std::iter::once(&r.assign).chain(r.fallback.as_ref()))
        .chain(std::iter::once(&brief.routing.fallback))
        .filter(|a| a.method == Method::Territory)
        .filter_map(|a| a.field.as_deref())
        .collect();
    let mut territory_values: Vec<String> = Vec::new();
    for pod in &brief.capacity.pods {
        territory_values.extend(pod.territories.iter().cloned());
        if let Reps::Named(reps) = &pod.reps {
            for r in reps {
                territory_values.extend(r.territories.iter().cloned());
            }
        }
    }
    // Per conditional dimension: its branches, by the value of `by` they apply to.
    let mut branches: Vec<Option<Branches>> = Vec::new();
    let mut dims: Vec<Dimension> = router
        .fields()
        .iter()
        .map(|field| {
            let empty = Vec::new();
            let ps = preds.get(field.as_str()).unwrap_or(&empty);
            let attr = brief.routing.attributes.get(field);
            let extra = if territory_fields.contains(field.as_str()) { territory_values.as_slice() } else { &[] };
            match brief.demand.mix.get(field) {
                None => {
                    branches.push(None);
                    dimension(field, attr, ps, None, extra, &[])
                }
                Some(Mix::Shares(m)) => {
                    branches.push(None);
                    dimension(field, attr, ps, Some(m), extra, &[])
                }
                Some(Mix::Conditional(c)) => {
                    // Every branch is cut at every branch's ranges and values, so their cells
                    // agree; shares are aligned by label below all the same.
                    let keys: Vec<String> = c.given.values().flat_map(|m| m.keys().cloned()).collect();
                    let per: Vec<(String, Dimension)> = c
                        .given
                        .iter()
                        .map(|(v, m)| (v.clone(), dimension(field, attr, ps, Some(m), extra, &keys)))
                        .collect();
                    let widest = per.iter().map(|(_, d)| d).max_by_key(|d| d.cells.len()).cloned();
                    let d = widest.unwrap_or_else(|| dimension(field, attr, ps, None, extra, &keys));
                    branches.push(Some((c.by.clone(), per)));
                    d
                }
            }
        })
        .collect();
    for (i, b) in branches.into_iter().enumerate() {
        let Some((by, per)) = b else { continue };
        let cells = dims[i].cells.clone();
        let aligned: Vec<(String, Vec<f64>)> = per
            .into_iter()
            .map(|(v, d)| {
                let shares =
                    cells.iter().map(|c| d.cells.iter().position(|x| x == c).map_or(0.0, |k| d.shares[k])).collect();
                (v.to_lowercase(), shares)
            })
            .collect();
        // Overall shares: each branch weighted by its value's overall share.
        let weights = super::mix::value_shares(brief, &by);
        let mut overall = vec![0.0; cells.len()];
        for (v, shares) in &aligned {
            let w = weights.get(v).copied().unwrap_or(0.0);
            overall.iter_mut().zip(shares).for_each(|(o, s)| *o += w * s);
        }
        dims[i].shares = overall.clone();
        if let Some(parent) = dims.iter().position(|d| d.field == by)
            && parent != i
        {
            let shares = dims[parent]
                .cells
                .iter()
                .map(|c| match c {
                    Cell::Value { value } => aligned
                        .iter()
                        .find(|(v, _)| *v == value.to_lowercase())
                        .map_or(overall.clone(), |(_, s)| s.clone()),
                    _ => overall.clone(),
                })
                .collect();
            dims[i].given = Some(Given { by, dimension: parent, shares });
        }
    }
    dims
}

/// The share of demand of each present cell and of `absent`, as shares of all leads.
///
/// Without a mix, leads carry the field half the time where presence matters (free text, or a
/// rule tests `present`/`absent`) and always otherwise, spread evenly over the cells without a
/// weight. With a mix every share in it is a share of all leads, as the README says (they sum
/// to 1): a named value or range has its share, `absent` the blank field's and `present` the
/// present values the mix does not name, spread evenly over their cells; a presence key left
/// out has what the rest leaves. So `{Lee: 0.2, absent: 0.8}` gives `Lee` 0.2 and any other
/// owner nothing (it gave `Lee` 0.2 of the 0.2 present, 0.04: issue 12). Shares that do not sum
/// to 1 (a brief not validated) are scaled to.
fn cell_shares(
    weights: &[Option<f64>],
    mix: Option<&BTreeMap<String, f64>>,
    presence_matters: bool,
) -> (Vec<f64>, f64) {
    let named: f64 = weights.iter().flatten().sum();
    let ungiven = weights.iter().filter(|w| w.is_none()).count();
    let key = |k| mix.and_then(|m| lookup(m, k)).map(|v| v.max(0.0));
    let (rest, absent) = match mix {
        None if presence_matters => (0.5, 0.5),
        None => (1.0, 0.0),
        Some(_) => match (key("present"), key("absent")) {
            (Some(p), Some(a)) => (p, a),
            (Some(p), None) => (p, (1.0 - p - named).max(0.0)),
            (None, Some(a)) => ((1.0 - a - named).max(0.0), a),
            (None, None) => ((1.0 - named).max(0.0), 0.0),
        },
    };
    let absent = if presence_matters { absent } else { 0.0 };
    let mut shares: Vec<f64> = if ungiven > 0 {
        weights.iter().map(|w| w.unwrap_or(rest / ungiven as f64)).collect()
    } else if named > 0.0 {
        weights.iter().map(|w| w.unwrap_or(0.0)).collect()
    } else {
        // Nothing named and no cell left to take the rest: the present share evenly.
        vec![rest / weights.len().max(1) as f64; weights.len()]
    };
    let total = shares.iter().sum::<f64>() + absent;
    if total > 0.0 {
        shares.iter_mut().for_each(|s| *s /= total);
        (shares, absent / total)
    } else {
        let n = weights.len().max(1) as f64;
        (vec![1.0 / n; weights.len()], 0.0)
    }
}

fn dimension(
    field: &str,
    attr: Option<&Attribute>,
    preds: &[Predicate],
    mix: Option<&BTreeMap<String, f64>>,
    territory_values: &[String],
    cut_keys: &[String],
) -> Dimension {
    let presence_tested = preds.iter().any(|p| matches!(p, Predicate::Present | Predicate::Absent));
    let declared_number = matches!(attr, Some(Attribute::Typed(t)) if t.kind.is_numeric());
    let declared_integer = matches!(attr, Some(Attribute::Typed(t)) if t.kind == AttributeType::Integer);
    let list = attr.map(crate::calc::routing::closed_values).unwrap_or_default();
    let kind = if declared_number || (attr.is_none() && preds.iter().any(Predicate::is_numeric)) {
        DimensionKind::Number
    } else if !list.is_empty() {
        DimensionKind::List
    } else {
        DimensionKind::Text
    };
    let mut cells = Vec::new();
    let mut weights: Vec<Option<f64>> = Vec::new();
    let mut integer = false;
    match kind {
        DimensionKind::List => {
            for v in &list {
                cells.push(Cell::Value { value: v.clone() });
                weights.push(mix.map(|m| lookup(m, v).copied().unwrap_or(0.0)));
            }
        }
        DimensionKind::Number => {
            let mut spans: Vec<Interval> = preds.iter().flat_map(predicate_interval).collect();
            let mix_ranges: Vec<(Interval, f64)> = mix
                .map(|m| {
                    m.iter()
                        .filter(|(k, _)| !matches!(k.as_str(), "present" | "absent"))
                        .filter_map(|(k, s)| parse_mix_range(k).map(|iv| (iv, *s)))
                        .collect()
                })
                .unwrap_or_default();
            spans.extend(mix_ranges.iter().map(|(iv, _)| *iv));
            spans.extend(cut_keys.iter().filter_map(|k| parse_mix_range(k)));
            let ends: Vec<f64> = spans.iter().flat_map(|s| [s.lo.map(|e| e.0), s.hi.map(|e| e.0)]).flatten().collect();
            // The router reads real numbers: only a declared `integer` attribute (with whole
            // thresholds) is cut at whole numbers, so `40..69` and `70..100` on a `number` leave
            // the gap 69 < x < 70 that a lead scored 69.5 falls through (issue 12).
            integer = declared_integer && ends.iter().all(|e| e.fract() == 0.0);
            let intervals = if integer { integer_cells(&spans) } else { real_cells(&ends) };
            let mut shares = vec![0.0; intervals.len()];
            for (range, s) in &mix_ranges {
                let range = if integer { &to_integer(range) } else { range };
                let inside: Vec<usize> = (0..intervals.len()).filter(|&i| range.contains(&intervals[i])).collect();
                let lengths: Option<Vec<f64>> = inside.iter().map(|&i| intervals[i].length()).collect();
                let total: f64 = lengths.as_ref().map_or(0.0, |l| l.iter().sum());
                // Unbounded: evenly over the cells of positive width (a real point holds no
                // share), or over all when every cell is a point.
                let wide = inside.iter().filter(|&&i| !intervals[i].is_point(integer)).count();
                for (k, &i) in inside.iter().enumerate() {
                    shares[i] += match &lengths {
                        Some(l) if total > 0.0 => s * l[k] / total,
                        _ if wide > 0 && intervals[i].is_point(integer) => 0.0,
                        _ if wide > 0 => s / wide as f64,
                        _ => s / inside.len() as f64,
                    };
                }
            }
            // No mix: evenly over the cells of positive width; a real point holds no share.
            let no_mix_points = mix_ranges.is_empty() && intervals.iter().any(|iv| !iv.is_point(integer));
            for (iv, s) in intervals.into_iter().zip(shares) {
                let weight = if !mix_ranges.is_empty() {
                    Some(s)
                } else if no_mix_points && iv.is_point(integer) {
                    Some(0.0)
                } else {
                    None
                };
                cells.push(Cell::Range { label: iv.label(integer), interval: iv });
                weights.push(weight);
            }
        }
        DimensionKind::Text => {
            let mut seen = BTreeSet::new();
            let mut push = |v: &str, cells: &mut Vec<Cell>, weights: &mut Vec<Option<f64>>| {
                if seen.insert(v.to_lowercase()) {
                    cells.push(Cell::Value { value: v.to_owned() });
                    weights.push(mix.and_then(|m| lookup(m, v)).copied());
                }
            };
            for p in preds {
                match p {
                    Predicate::OneOf(ls) => ls.iter().for_each(|l| push(&l.text, &mut cells, &mut weights)),
                    Predicate::Contains(n) => push(n, &mut cells, &mut weights),
                    _ => {}
                }
            }
            for v in territory_values {
                push(v, &mut cells, &mut weights);
            }
            let mix_keys = mix.into_iter().flat_map(BTreeMap::keys).chain(cut_keys);
            for k in mix_keys.filter(|k| !matches!(k.as_str(), "present" | "absent")) {
                push(k, &mut cells, &mut weights);
            }
            cells.push(Cell::Other);
            weights.push(None);
        }
    }
    // A closed list whose mix gives its values' shares and says nothing of presence: every lead
    // carries one of the values, so `absent` has no share (and is a cell only where a rule tests
    // it), rather than an invented 50% gap (issue 12).
    let mix_covers_list = kind == DimensionKind::List
        && mix.is_some_and(|m| {
            lookup(m, "present").is_none()
                && lookup(m, "absent").is_none()
                && list.iter().filter_map(|v| lookup(m, v)).sum::<f64>() > 0.0
        });
    let absent_cell = kind == DimensionKind::Text
        || (presence_tested && !mix_covers_list)
        || (mix_covers_list && preds.iter().any(|p| matches!(p, Predicate::Absent)));
    let presence_matters = kind == DimensionKind::Text || presence_tested;
    let (mut shares, absent) = cell_shares(&weights, mix, presence_matters && !mix_covers_list);
    // Without an `absent` cell presence did not matter to `cell_shares` (it does only where there
    // is one), so `absent` is 0 and the present cells already carry all of demand.
    debug_assert!(absent_cell || absent == 0.0, "{field}: an absent share without an absent cell");
    if absent_cell {
        cells.insert(0, Cell::Absent);
        shares.insert(0, absent);
    }
    Dimension { field: field.to_owned(), kind, integer, cells, shares, given: None }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mix(pairs: &[(&str, f64)]) -> BTreeMap<String, f64> {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect()
    }

    fn close(got: &(Vec<f64>, f64), shares: &[f64], absent: f64) -> bool {
        got.0.len() == shares.len()
            && got.0.iter().zip(shares).all(|(g, e)| (g - e).abs() < 1e-12)
            && (got.1 - absent).abs() < 1e-12
    }

    /// Each case worked out from the rule in `cell_shares`'s comment: a named cell has its
    /// share of all leads, `absent` the blank field's, the cells without a weight split what is
    /// left of the present leads, and the whole is scaled to 1.
    #[test]
    fn cell_shares_split_what_the_mix_leaves_over_the_unnamed_cells() {
        let named_and_open = [Some(0.2), None, None];
        // absent given: the rest is 1 − 0.3 − 0.2 = 0.5, 0.25 to each unnamed cell.
        let got = cell_shares(&named_and_open, Some(&mix(&[("a", 0.2), ("absent", 0.3)])), true);
        assert!(close(&got, &[0.2, 0.25, 0.25], 0.3), "{got:?}");
        // present given: it is the unnamed cells' share, absent what is left: 1 − 0.6 − 0.2.
        let got = cell_shares(&named_and_open, Some(&mix(&[("a", 0.2), ("present", 0.6)])), true);
        assert!(close(&got, &[0.2, 0.3, 0.3], 0.2), "{got:?}");
        // Neither: the unnamed cells take 1 − 0.2, absent nothing.
        let got = cell_shares(&named_and_open, Some(&mix(&[("a", 0.2)])), true);
        assert!(close(&got, &[0.2, 0.4, 0.4], 0.0), "{got:?}");
        // Both, summing to 0.8 with the named 0.2 = 1.0; a negative share counts as 0.
        let got = cell_shares(&named_and_open, Some(&mix(&[("a", 0.2), ("present", 0.4), ("absent", 0.4)])), true);
        assert!(close(&got, &[0.2, 0.2, 0.2], 0.4), "{got:?}");
        let got = cell_shares(&[None, None], Some(&mix(&[("present", 0.4), ("absent", -1.0)])), true);
        assert!(close(&got, &[0.5, 0.5], 0.0), "{got:?}");
        // Shares summing to 0.8 (an unvalidated brief) are scaled to 1.
        let got = cell_shares(&[None, None], Some(&mix(&[("present", 0.4), ("absent", 0.4)])), true);
        assert!(close(&got, &[0.25, 0.25], 0.5), "{got:?}");
        // Where presence does not matter, absent has no share whatever the mix says.
        let got = cell_shares(&[None, None], Some(&mix(&[("absent", 0.5)])), false);
        assert!(close(&got, &[0.5, 0.5], 0.0), "{got:?}");
    }

    #[test]
    fn cell_shares_without_a_mix_or_without_unnamed_cells() {
        // No mix: half the leads carry the field where presence matters, all of them otherwise.
        assert!(close(&cell_shares(&[None, None], None, true), &[0.25, 0.25], 0.5));
        assert!(close(&cell_shares(&[None, None, None], None, false), &[1.0 / 3.0; 3], 0.0));
        // A real point without a mix holds nothing; the cells of width share the present leads.
        assert!(close(&cell_shares(&[None, Some(0.0), None], None, false), &[0.5, 0.0, 0.5], 0.0));
        // Every cell named: their shares as they are.
        let m = mix(&[("a", 0.3), ("b", 0.1), ("absent", 0.6)]);
        assert!(close(&cell_shares(&[Some(0.3), Some(0.1)], Some(&m), true), &[0.3, 0.1], 0.6));
        // Every cell named with nothing: the present share evenly over them.
        let m = mix(&[("present", 0.8), ("absent", 0.2)]);
        assert!(close(&cell_shares(&[Some(0.0), Some(0.0)], Some(&m), true), &[0.4, 0.4], 0.2));
        // Nothing at all anywhere: evenly over the cells, so that the shares still sum to 1.
        let m = mix(&[("present", 0.0), ("absent", 0.0)]);
        assert!(close(&cell_shares(&[Some(0.0), Some(0.0)], Some(&m), true), &[0.5, 0.5], 0.0));
    }
}
