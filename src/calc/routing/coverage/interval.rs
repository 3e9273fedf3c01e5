//! Numeric intervals: the cells a number attribute is cut into at every threshold, the spans a
//! condition or a demand-mix range label covers, and their labels in reports.

use serde::Serialize;

use crate::calc::routing::condition::{CmpOp, Predicate, format_number, parse_number};

/// A numeric interval with optional inclusive/exclusive ends (`None` = unbounded).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Interval {
    /// Low end and whether it is included.
    pub lo: Option<(f64, bool)>,
    /// High end and whether it is included.
    pub hi: Option<(f64, bool)>,
}

impl Interval {
    /// A point inside the interval, used to evaluate conditions on it.
    #[must_use]
    pub fn representative(&self) -> f64 {
        match (self.lo, self.hi) {
            (Some((l, true)), _) => l,
            (_, Some((h, true))) => h,
            (Some((l, false)), Some((h, false))) => (l + h) / 2.0,
            (Some((l, false)), None) => l + 1.0,
            (None, Some((h, false))) => h - 1.0,
            (None, None) => 0.0,
        }
    }

    /// The interval as text: `<1000`, `1000..4999`, `>=5000`, `=7`, `(1.5, 2)`.
    #[must_use]
    pub fn label(&self, integer: bool) -> String {
        match (self.lo, self.hi) {
            (None, None) => "any".to_owned(),
            (None, Some((h, inc))) => format!("{}{}", if inc { "<=" } else { "<" }, format_number(h)),
            (Some((l, inc)), None) => format!("{}{}", if inc { ">=" } else { ">" }, format_number(l)),
            (Some((l, true)), Some((h, true))) if l == h => format!("={}", format_number(l)),
            (Some((l, true)), Some((h, false))) if integer => {
                if h - l == 1.0 {
                    format!("={}", format_number(l))
                } else {
                    format!("{}..{}", format_number(l), format_number(h - 1.0))
                }
            }
            (Some((l, li)), Some((h, hi))) => {
                format!(
                    "{}{}, {}{}",
                    if li { '[' } else { '(' },
                    format_number(l),
                    format_number(h),
                    if hi { ']' } else { ')' }
                )
            }
        }
    }

    pub(super) fn contains(&self, other: &Self) -> bool {
        let lo_ok = match (self.lo, other.lo) {
            (None, _) => true,
            (Some(_), None) => false,
            (Some((a, ai)), Some((b, bi))) => a < b || (a == b && (ai || !bi)),
        };
        let hi_ok = match (self.hi, other.hi) {
            (None, _) => true,
            (Some(_), None) => false,
            (Some((a, ai)), Some((b, bi))) => a > b || (a == b && (ai || !bi)),
        };
        lo_ok && hi_ok
    }

    /// True for a single real number `[x, x]` (never for whole-number cells, which are
    /// half-open).
    pub(super) fn is_point(&self, integer: bool) -> bool {
        !integer && matches!((self.lo, self.hi), (Some((l, true)), Some((h, true))) if l == h)
    }

    pub(super) fn length(&self) -> Option<f64> {
        match (self.lo, self.hi) {
            (Some((l, _)), Some((h, _))) => Some(h - l),
            _ => None,
        }
    }
}

/// Parse a demand-mix range label: `1000-4999`, `1000..4999` (inclusive), `5000+`, `>=5000`,
/// `>5000`, `<1000`, `<=999`, or a single number.
#[must_use]
pub(crate) fn parse_mix_range(label: &str) -> Option<Interval> {
    let t = label.trim();
    let iv = |lo: Option<(f64, bool)>, hi: Option<(f64, bool)>| Some(Interval { lo, hi });
    if let Some(rest) = t.strip_suffix('+') {
        return iv(Some((parse_number(rest)?, true)), None);
    }
    for (prefix, op) in [(">=", CmpOp::Ge), ("<=", CmpOp::Le), (">", CmpOp::Gt), ("<", CmpOp::Lt)] {
        if let Some(rest) = t.strip_prefix(prefix) {
            let n = parse_number(rest)?;
            return match op {
                CmpOp::Ge => iv(Some((n, true)), None),
                CmpOp::Gt => iv(Some((n, false)), None),
                CmpOp::Le => iv(None, Some((n, true))),
                CmpOp::Lt => iv(None, Some((n, false))),
            };
        }
    }
    let split = t.split_once("..").or_else(|| {
        // `1000-4999`: the dash after the first character, so `-5` stays a number.
        t.char_indices().skip(1).find(|&(_, c)| c == '-').map(|(i, _)| (&t[..i], &t[i + 1..]))
    });
    if let Some((a, b)) = split {
        let (a, b) = (parse_number(a)?, parse_number(b)?);
        return if a <= b { iv(Some((a, true)), Some((b, true))) } else { None };
    }
    let n = parse_number(t)?;
    iv(Some((n, true)), Some((n, true)))
}

/// Sort demand-mix labels in numeric order when every one is a number range (by low end, an
/// unbounded low end first, an excluded end after an included one, then by high end); otherwise
/// leave them in their order.
pub(crate) fn sort_mix_labels<T>(items: &mut [T], label: impl Fn(&T) -> &str) {
    if !items.iter().all(|t| parse_mix_range(label(t)).is_some()) {
        return;
    }
    let key = |t: &T| {
        let iv = parse_mix_range(label(t)).unwrap_or(Interval { lo: None, hi: None });
        let lo = iv.lo.map_or((f64::NEG_INFINITY, false), |(l, inc)| (l, !inc));
        let hi = iv.hi.map_or((f64::INFINITY, false), |(h, inc)| (h, !inc));
        (lo, hi)
    };
    items.sort_by(|a, b| {
        let ((la, ha), (lb, hb)) = (key(a), key(b));
        la.0.total_cmp(&lb.0).then(la.1.cmp(&lb.1)).then(ha.0.total_cmp(&hb.0)).then(hb.1.cmp(&ha.1))
    });
}

pub(super) fn predicate_interval(p: &Predicate) -> Vec<Interval> {
    match p {
        Predicate::Compare(CmpOp::Ge, c) => vec![Interval { lo: Some((*c, true)), hi: None }],
        Predicate::Compare(CmpOp::Gt, c) => vec![Interval { lo: Some((*c, false)), hi: None }],
        Predicate::Compare(CmpOp::Le, c) => vec![Interval { lo: None, hi: Some((*c, true)) }],
        Predicate::Compare(CmpOp::Lt, c) => vec![Interval { lo: None, hi: Some((*c, false)) }],
        Predicate::Range(a, b) => vec![Interval { lo: Some((*a, true)), hi: Some((*b, true)) }],
        Predicate::OneOf(ls) => {
            ls.iter().filter_map(|l| l.number).map(|n| Interval { lo: Some((n, true)), hi: Some((n, true)) }).collect()
        }
        _ => Vec::new(),
    }
}

/// An interval over whole numbers as half-open `[a, b)`.
pub(super) fn to_integer(iv: &Interval) -> Interval {
    Interval {
        lo: iv.lo.map(|(l, inc)| (if inc { l } else { l + 1.0 }, true)),
        hi: iv.hi.map(|(h, inc)| (if inc { h + 1.0 } else { h }, false)),
    }
}

/// Cells for whole numbers: half-open `[a, b)` between consecutive cut points.
pub(super) fn integer_cells(spans: &[Interval]) -> Vec<Interval> {
    let mut cuts: Vec<f64> =
        spans.iter().map(to_integer).flat_map(|s| [s.lo.map(|e| e.0), s.hi.map(|e| e.0)]).flatten().collect();
    cuts.sort_by(f64::total_cmp);
    cuts.dedup();
    let mut out = Vec::with_capacity(cuts.len() + 1);
    let mut lo: Option<(f64, bool)> = None;
    for c in cuts {
        out.push(Interval { lo, hi: Some((c, false)) });
        lo = Some((c, true));
    }
    out.push(Interval { lo, hi: None });
    out
}

/// Cells for real numbers: every cut point, and the open intervals between them.
pub(super) fn real_cells(ends: &[f64]) -> Vec<Interval> {
    let mut points: Vec<f64> = ends.to_vec();
    points.sort_by(f64::total_cmp);
    points.dedup();
    let mut out = Vec::with_capacity(points.len() * 2 + 1);
    let mut lo: Option<(f64, bool)> = None;
    for p in points {
        out.push(Interval { lo, hi: Some((p, false)) });
        out.push(Interval { lo: Some((p, true)), hi: Some((p, true)) });
        lo = Some((p, false));
    }
    out.push(Interval { lo, hi: None });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iv(lo: Option<(f64, bool)>, hi: Option<(f64, bool)>) -> Interval {
        Interval { lo, hi }
    }

    #[test]
    fn labels_say_which_ends_are_included() {
        // Real numbers: both ends as written, a closed point as `=`.
        assert_eq!(iv(Some((1.5, true)), Some((2.0, true))).label(false), "[1.5, 2]");
        assert_eq!(iv(Some((1.0, true)), Some((3.0, false))).label(false), "[1, 3)");
        assert_eq!(iv(Some((7.0, true)), Some((7.0, true))).label(false), "=7");
        assert_eq!(iv(Some((0.0, false)), Some((20.0, false))).label(false), "(0, 20)");
        // Whole numbers: [l, h) is l..h−1, and one number when h = l + 1.
        assert_eq!(iv(Some((7.0, true)), Some((8.0, false))).label(true), "=7");
        assert_eq!(iv(Some((0.0, true)), Some((1.0, false))).label(true), "=0");
        assert_eq!(iv(Some((1000.0, true)), Some((5000.0, false))).label(true), "1000..4999");
        assert_eq!(iv(None, Some((1000.0, false))).label(true), "<1000");
        assert_eq!(iv(Some((5000.0, true)), None).label(true), ">=5000");
        assert_eq!(iv(None, None).label(true), "any");
    }

    #[test]
    fn containment_at_a_shared_end_follows_which_ends_are_included() {
        let point = iv(Some((5.0, true)), Some((5.0, true)));
        let above = iv(Some((5.0, false)), None);
        let from = iv(Some((5.0, true)), None);
        let below = iv(None, Some((5.0, false)));
        let to = iv(None, Some((5.0, true)));
        // `>5` and `<5` do not hold the point 5; `>=5` and `<=5` do.
        assert!(!above.contains(&point) && !below.contains(&point));
        assert!(from.contains(&point) && to.contains(&point));
        // An open end holds an open end at the same place, a closed one only a closed one's
        // inside: (5, ∞) holds (5, 6) but not [5, 6).
        assert!(above.contains(&iv(Some((5.0, false)), Some((6.0, false)))));
        assert!(!above.contains(&iv(Some((5.0, true)), Some((6.0, false)))));
        assert!(from.contains(&iv(Some((5.0, false)), Some((6.0, false)))));
        assert!(!below.contains(&iv(Some((4.0, false)), Some((5.0, true)))));
        assert!(to.contains(&iv(Some((4.0, false)), Some((5.0, true)))));
        // Bounded inside unbounded, never the other way.
        assert!(iv(None, None).contains(&above) && !above.contains(&iv(None, None)));
    }

    #[test]
    fn each_predicate_covers_its_span() {
        use crate::calc::routing::condition::Literal;
        let one = |p: Predicate| predicate_interval(&p);
        assert_eq!(one(Predicate::Compare(CmpOp::Ge, 5.0)), [iv(Some((5.0, true)), None)]);
        assert_eq!(one(Predicate::Compare(CmpOp::Gt, 5.0)), [iv(Some((5.0, false)), None)]);
        assert_eq!(one(Predicate::Compare(CmpOp::Le, 5.0)), [iv(None, Some((5.0, true)))]);
        assert_eq!(one(Predicate::Compare(CmpOp::Lt, 5.0)), [iv(None, Some((5.0, false)))]);
        assert_eq!(one(Predicate::Range(1.0, 9.0)), [iv(Some((1.0, true)), Some((9.0, true)))]);
        // A list's numbers are points; its words cover no number.
        let list = Predicate::OneOf(vec![Literal::from_number(7.0), Literal::new("seven"), Literal::from_number(2.5)]);
        assert_eq!(one(list), [iv(Some((7.0, true)), Some((7.0, true))), iv(Some((2.5, true)), Some((2.5, true)))]);
        assert_eq!(one(Predicate::Present), []);
    }

    #[test]
    fn whole_number_spans_are_half_open() {
        // >5 is [6, ∞), <=9 is (−∞, 10), 3..7 inclusive is [3, 8), <4 stays (−∞, 4).
        assert_eq!(to_integer(&iv(Some((5.0, false)), None)), iv(Some((6.0, true)), None));
        assert_eq!(to_integer(&iv(None, Some((9.0, true)))), iv(None, Some((10.0, false))));
        assert_eq!(to_integer(&iv(Some((3.0, true)), Some((7.0, true)))), iv(Some((3.0, true)), Some((8.0, false))));
        assert_eq!(to_integer(&iv(None, Some((4.0, false)))), iv(None, Some((4.0, false))));
    }

    #[test]
    fn mix_labels_with_the_same_ends_sort_the_excluded_end_first() {
        // `<1000` is inside `<=1000`, `>1000` inside `>=1000`: the shorter first at a shared end.
        let mut labels = vec!["<=1000", ">1000", "<1000", ">=1000"];
        sort_mix_labels(&mut labels, |l| l);
        assert_eq!(labels, ["<1000", "<=1000", ">=1000", ">1000"]);
    }
}
