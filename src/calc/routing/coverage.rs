//! Analysis without data: what the rules cover, proven by enumerating the attribute space.
//!
//! Each lead field the rules read becomes a *dimension* with finitely many *cells*: the values of
//! a closed list; numeric intervals cut at every threshold a condition or the demand mix uses (so
//! every condition is constant over each cell); for free text, `absent`, each literal the rules
//! test and "any other value". Every combination of cells is evaluated against the rules, which
//! proves (up to [`MAX_COMBINATIONS`]; `capped` says when the proof is partial):
//!
//! - **gaps**: combinations no rule catches (they fall to the routing fallback);
//! - **overlaps**: pairs of rules that both match some combination (the earlier wins);
//! - **dead rules**: rules that match nothing, or whose every combination an earlier rule takes.
//!
//! **Numbers.** When every threshold on a number attribute is a whole number the attribute is
//! taken to hold whole numbers (employees, scores), so `1000..4999` and `>=5000` leave no gap
//! between 4999 and 5000; otherwise cells are the exact points and open intervals between them.
//!
//! **Load.** Each combination's share of demand is the product of its cells' shares, assuming
//! attributes are independent: a closed list uses `demand.mix.<attr>` (or an even split); a number
//! uses the mix ranges (a bounded range is shared among its cells by length, an unbounded one
//! evenly; no mix: an even split over the cells); free text is `absent` or present with the shares
//! `demand.mix.<attr>: {present: x, absent: y}` (default 0.5 each), the present share going to
//! mix values named there and the rest evenly over the other present cells. Ownership is resolved
//! statically: round robin splits evenly over available reps, weighted by weight, `pod` goes to
//! the pod's queue, `account_owner` spreads evenly over the available named reps of its pod(s) and
//! fails when the owner field is absent, `territory` splits evenly over the reps (or the queue of
//! the pod) covering the value. `max_open` is ignored here (it depends on how fast reps work).

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::condition::{CmpOp, Predicate, format_number, parse_number};
use super::engine::{Router, assign_field, method_name, rep_names};
use crate::brief::{Assign, Attribute, AttributeType, Brief, Method, Reps};

/// Most combinations enumerated before the analysis stops and reports `capped`.
pub const MAX_COMBINATIONS: usize = 200_000;

/// Most example combinations kept per finding.
pub const MAX_EXAMPLES: usize = 50;

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

    fn contains(&self, other: &Self) -> bool {
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

    fn length(&self) -> Option<f64> {
        match (self.lo, self.hi) {
            (Some((l, _)), Some((h, _))) => Some(h - l),
            _ => None,
        }
    }
}

/// Parse a demand-mix range label: `1000-4999`, `1000..4999` (inclusive), `5000+`, `>=5000`,
/// `>5000`, `<1000`, `<=999`, or a single number.
#[must_use]
pub fn parse_mix_range(label: &str) -> Option<Interval> {
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

fn predicate_interval(p: &Predicate) -> Vec<Interval> {
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
    /// Share of demand in each cell (same order; sums to 1).
    pub shares: Vec<f64>,
}

/// A combination of cells, one per dimension, as `(field, cell label)` pairs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Combination {
    /// Field → cell label, in dimension order.
    pub cells: Vec<(String, String)>,
    /// Its share of demand.
    pub share: f64,
}

/// Two rules that both match some combination.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Overlap {
    /// The earlier rule (it wins).
    pub first: String,
    /// The later rule.
    pub second: String,
    /// How many combinations both match.
    pub combinations: usize,
    /// Share of demand both match.
    pub share: f64,
    /// One such combination.
    pub example: Combination,
}

/// Why a rule can never fire.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DeadReason {
    /// No combination of declared values satisfies its conditions.
    MatchesNothing,
    /// Every combination it matches is caught by these earlier rules.
    Shadowed {
        /// The earlier rules.
        by: Vec<String>,
    },
}

/// A rule that can never fire.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeadRule {
    /// Rule id.
    pub rule: String,
    /// Why.
    pub reason: DeadReason,
}

/// What the rules cover.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Coverage {
    /// The dimensions enumerated.
    pub dimensions: Vec<Dimension>,
    /// Combinations in the space (saturating).
    pub combinations: u64,
    /// Combinations enumerated.
    pub enumerated: usize,
    /// True when the space exceeded [`MAX_COMBINATIONS`] and the findings are partial.
    pub capped: bool,
    /// Number of combinations no rule catches.
    pub gap_count: usize,
    /// Their share of demand.
    pub gap_share: f64,
    /// Up to [`MAX_EXAMPLES`] of them.
    pub gaps: Vec<Combination>,
    /// Pairs of overlapping rules, in rule order.
    pub overlaps: Vec<Overlap>,
    /// Rules that can never fire.
    pub dead: Vec<DeadRule>,
}

/// An assignment as the matrix shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AssignSummary {
    /// `round_robin`, `weighted`, …
    pub method: String,
    /// Target pod, if named.
    pub pod: Option<String>,
    /// Field read (`territory`, `account_owner`).
    pub field: Option<String>,
}

/// One row of the routing matrix.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MatrixRow {
    /// Rule id (`fallback` for the routing fallback row).
    pub rule: String,
    /// What the rule is for.
    pub description: Option<String>,
    /// Conditions as (field, condition in brief syntax).
    pub conditions: Vec<(String, String)>,
    /// Ownership logic.
    pub assign: AssignSummary,
    /// The rule's fallback (for the last row, none).
    pub fallback: Option<AssignSummary>,
    /// Lead fields this rule needs filled.
    pub enrichment: Vec<String>,
}

/// The enrichment fields routing needs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Enrichment {
    /// Fields the rules read (conditions, territory and account-owner fields), sorted.
    pub used: Vec<String>,
    /// `routing.enrichment` as listed, sorted.
    pub listed: Vec<String>,
    /// Union of both, sorted.
    pub fields: Vec<String>,
    /// Used but not listed: enrichment must fill these too.
    pub used_not_listed: Vec<String>,
    /// Listed but not used by routing.
    pub listed_not_used: Vec<String>,
}

/// Expected load of one rep.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RepLoad {
    /// Rep name.
    pub rep: String,
    /// Share of all leads.
    pub share: f64,
    /// Leads per week.
    pub leads_per_week: f64,
}

/// Expected load of one pod.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PodLoad {
    /// Pod id.
    pub pod: String,
    /// Share of all leads.
    pub share: f64,
    /// Leads per week.
    pub leads_per_week: f64,
    /// Share of all leads placed in the pod's queue rather than with a rep.
    pub queue_share: f64,
    /// Per rep, in the brief's order.
    pub reps: Vec<RepLoad>,
}

/// Expected share of one rule.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleLoad {
    /// Rule id.
    pub rule: String,
    /// Share of leads the rule catches.
    pub share: f64,
    /// Of those, share placed by the rule's fallback or the routing fallback (as a share of all leads).
    pub fallback_share: f64,
}

/// Expected load from the demand mix.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Load {
    /// Leads per week from `demand`.
    pub leads_per_week: f64,
    /// Per rule.
    pub by_rule: Vec<RuleLoad>,
    /// Share no rule catches (placed by the routing fallback or unrouted).
    pub no_rule_share: f64,
    /// Share placed by the routing fallback (no rule, or the rule's chain found nobody).
    pub fallback_share: f64,
    /// Share nobody can take.
    pub unrouted_share: f64,
    /// Per pod, in the brief's order.
    pub by_pod: Vec<PodLoad>,
}

/// The whole analysis.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Analysis {
    /// The routing matrix, one row per rule then the fallback.
    pub matrix: Vec<MatrixRow>,
    /// Enrichment needs.
    pub enrichment: Enrichment,
    /// Coverage findings.
    pub coverage: Coverage,
    /// Expected load.
    pub load: Load,
}

/// Analyse the brief's routing, compiled into `router`, with the default cap.
#[must_use]
pub fn analyze(brief: &Brief, router: &Router) -> Analysis {
    analyze_with_cap(brief, router, MAX_COMBINATIONS)
}

/// Analyse the brief's routing, compiled into `router`, enumerating at most `cap` combinations.
#[must_use]
pub fn analyze_with_cap(brief: &Brief, router: &Router, cap: usize) -> Analysis {
    let dims = dimensions(brief, router);
    let matrix = matrix(brief);
    let enrichment = enrichment(brief);
    let (coverage, load) = enumerate(brief, router, dims, cap);
    Analysis { matrix, enrichment, coverage, load }
}

fn summary(a: &Assign) -> AssignSummary {
    AssignSummary {
        method: method_name(a.method).to_owned(),
        pod: a.pod.clone(),
        field: assign_field(a).map(str::to_owned),
    }
}

fn matrix(brief: &Brief) -> Vec<MatrixRow> {
    let mut rows: Vec<MatrixRow> = brief
        .routing
        .rules
        .iter()
        .map(|rule| {
            let conditions = rule
                .when
                .iter()
                .map(|(f, c)| (f.clone(), Predicate::parse(c).map(|p| p.display()).unwrap_or_default()))
                .collect();
            let mut needed: BTreeSet<String> = rule.when.keys().cloned().collect();
            needed.extend(assign_field(&rule.assign).map(str::to_owned));
            if let Some(f) = &rule.fallback {
                needed.extend(assign_field(f).map(str::to_owned));
            }
            MatrixRow {
                rule: rule.id.clone(),
                description: rule.description.clone(),
                conditions,
                assign: summary(&rule.assign),
                fallback: rule.fallback.as_ref().map(summary),
                enrichment: needed.into_iter().collect(),
            }
        })
        .collect();
    rows.push(MatrixRow {
        rule: "fallback".to_owned(),
        description: None,
        conditions: Vec::new(),
        assign: summary(&brief.routing.fallback),
        fallback: None,
        enrichment: assign_field(&brief.routing.fallback).map(str::to_owned).into_iter().collect(),
    });
    rows
}

/// The fields routing reads: every condition field and every territory / account-owner field.
#[must_use]
pub fn used_fields(brief: &Brief) -> BTreeSet<String> {
    let mut used = BTreeSet::new();
    for rule in &brief.routing.rules {
        used.extend(rule.when.keys().cloned());
        used.extend(assign_field(&rule.assign).map(str::to_owned));
        if let Some(f) = &rule.fallback {
            used.extend(assign_field(f).map(str::to_owned));
        }
    }
    used.extend(assign_field(&brief.routing.fallback).map(str::to_owned));
    used
}

fn enrichment(brief: &Brief) -> Enrichment {
    let used = used_fields(brief);
    let listed: BTreeSet<String> = brief.routing.enrichment.iter().cloned().collect();
    Enrichment {
        fields: used.union(&listed).cloned().collect(),
        used_not_listed: used.difference(&listed).cloned().collect(),
        listed_not_used: listed.difference(&used).cloned().collect(),
        used: used.into_iter().collect(),
        listed: listed.into_iter().collect(),
    }
}

fn lookup<'a>(mix: &'a BTreeMap<String, f64>, key: &str) -> Option<&'a f64> {
    mix.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)).map(|(_, v)| v)
}

/// Cut each field the rules read into cells with shares.
#[must_use]
pub fn dimensions(brief: &Brief, router: &Router) -> Vec<Dimension> {
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
    router
        .fields()
        .iter()
        .map(|field| {
            let empty = Vec::new();
            let ps = preds.get(field.as_str()).unwrap_or(&empty);
            let mix = brief.demand.mix.get(field);
            let attr = brief.routing.attributes.get(field);
            let extra = if territory_fields.contains(field.as_str()) { territory_values.as_slice() } else { &[] };
            dimension(field, attr, ps, mix, extra)
        })
        .collect()
}

fn presence_shares(mix: Option<&BTreeMap<String, f64>>) -> (f64, f64) {
    let m = |k| mix.and_then(|m| lookup(m, k)).copied();
    match (m("present"), m("absent")) {
        (Some(p), Some(a)) if p + a > 0.0 => (p / (p + a), a / (p + a)),
        (Some(p), None) => (p.clamp(0.0, 1.0), 1.0 - p.clamp(0.0, 1.0)),
        (None, Some(a)) => (1.0 - a.clamp(0.0, 1.0), a.clamp(0.0, 1.0)),
        _ => (0.5, 0.5),
    }
}

fn dimension(
    field: &str,
    attr: Option<&Attribute>,
    preds: &[Predicate],
    mix: Option<&BTreeMap<String, f64>>,
    territory_values: &[String],
) -> Dimension {
    let presence_tested = preds.iter().any(|p| matches!(p, Predicate::Present | Predicate::Absent));
    let declared_number = matches!(attr, Some(Attribute::Typed(t)) if t.kind == AttributeType::Number);
    let list = attr.map(super::closed_values).unwrap_or_default();
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
            let ends: Vec<f64> = spans.iter().flat_map(|s| [s.lo.map(|e| e.0), s.hi.map(|e| e.0)]).flatten().collect();
            integer = ends.iter().all(|e| e.fract() == 0.0);
            let intervals = if integer { integer_cells(&spans) } else { real_cells(&ends) };
            let mut shares = vec![0.0; intervals.len()];
            for (range, s) in &mix_ranges {
                let range = if integer { &to_integer(range) } else { range };
                let inside: Vec<usize> = (0..intervals.len()).filter(|&i| range.contains(&intervals[i])).collect();
                let lengths: Option<Vec<f64>> = inside.iter().map(|&i| intervals[i].length()).collect();
                let total: f64 = lengths.as_ref().map_or(0.0, |l| l.iter().sum());
                for (k, &i) in inside.iter().enumerate() {
                    shares[i] += match &lengths {
                        Some(l) if total > 0.0 => s * l[k] / total,
                        _ => s / inside.len() as f64,
                    };
                }
            }
            for (iv, s) in intervals.into_iter().zip(shares) {
                cells.push(Cell::Range { label: iv.label(integer), interval: iv });
                weights.push(if mix_ranges.is_empty() { None } else { Some(s) });
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
            if let Some(m) = mix {
                for k in m.keys().filter(|k| !matches!(k.as_str(), "present" | "absent")) {
                    push(k, &mut cells, &mut weights);
                }
            }
            cells.push(Cell::Other);
            weights.push(None);
        }
    }
    // Present cells share the present mass: given weights as written, the rest evenly.
    let (present, absent) =
        if kind == DimensionKind::Text || presence_tested { presence_shares(mix) } else { (1.0, 0.0) };
    let given: f64 = weights.iter().flatten().sum();
    let ungiven = weights.iter().filter(|w| w.is_none()).count();
    let mut shares: Vec<f64> = if given <= 0.0 && ungiven == 0 {
        vec![1.0 / weights.len().max(1) as f64; weights.len()]
    } else {
        let rest = if ungiven > 0 { (1.0 - given).max(0.0) / ungiven as f64 } else { 0.0 };
        let raw: Vec<f64> = weights.iter().map(|w| w.unwrap_or(rest)).collect();
        let sum: f64 = raw.iter().sum();
        if sum > 0.0 { raw.iter().map(|r| r / sum).collect() } else { vec![1.0 / raw.len().max(1) as f64; raw.len()] }
    };
    shares.iter_mut().for_each(|s| *s *= present);
    if kind == DimensionKind::Text || presence_tested {
        cells.insert(0, Cell::Absent);
        shares.insert(0, absent);
    }
    Dimension { field: field.to_owned(), kind, integer, cells, shares }
}

/// An interval over whole numbers as half-open `[a, b)`.
fn to_integer(iv: &Interval) -> Interval {
    Interval {
        lo: iv.lo.map(|(l, inc)| (if inc { l } else { l + 1.0 }, true)),
        hi: iv.hi.map(|(h, inc)| (if inc { h + 1.0 } else { h }, false)),
    }
}

/// Cells for whole numbers: half-open `[a, b)` between consecutive cut points.
fn integer_cells(spans: &[Interval]) -> Vec<Interval> {
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
fn real_cells(ends: &[f64]) -> Vec<Interval> {
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

/// Where a statically resolved assignment sends leads: a pod's queue, or reps as
/// (pod, rep, fraction of the lead).
enum StaticTarget {
    Queue(usize),
    Reps(Vec<(usize, usize, f64)>),
}

fn static_take(brief: &Brief, assign: &Assign, value_of: &dyn Fn(&str) -> Option<Cell>) -> Option<StaticTarget> {
    let pods = &brief.capacity.pods;
    let index = |id: &str| pods.iter().position(|p| p.id == id);
    // Available reps of a pod with their weights.
    let available = |pi: usize| -> Vec<(usize, usize, f64)> {
        match &pods[pi].reps {
            Reps::Count(n) => (0..*n as usize).map(|i| (pi, i, 1.0)).collect(),
            Reps::Named(reps) => reps
                .iter()
                .enumerate()
                .filter(|(_, r)| r.available)
                .map(|(i, r)| (pi, i, r.weight.filter(|w| w.is_finite() && *w > 0.0).unwrap_or(1.0)))
                .collect(),
        }
    };
    let spread = |v: Vec<(usize, usize, f64)>, by_weight: bool| -> Option<StaticTarget> {
        if v.is_empty() {
            return None;
        }
        let total: f64 = if by_weight { v.iter().map(|x| x.2).sum() } else { v.len() as f64 };
        Some(StaticTarget::Reps(
            v.into_iter().map(|(p, r, w)| (p, r, if by_weight { w / total } else { 1.0 / total })).collect(),
        ))
    };
    match assign.method {
        Method::RoundRobin | Method::Weighted | Method::Pod => {
            let pod = index(assign.pod.as_deref()?)?;
            let reps = available(pod);
            match assign.method {
                Method::Pod if reps.is_empty() => None,
                Method::Pod => Some(StaticTarget::Queue(pod)),
                m => spread(reps, m == Method::Weighted),
            }
        }
        Method::AccountOwner => {
            let field = assign_field(assign)?;
            if matches!(value_of(field), None | Some(Cell::Absent)) {
                return None;
            }
            let candidates: Vec<usize> = match assign.pod.as_deref() {
                Some(id) => vec![index(id)?],
                None => (0..pods.len()).collect(),
            };
            let named = candidates
                .into_iter()
                .filter(|&pi| matches!(pods[pi].reps, Reps::Named(_)))
                .flat_map(available)
                .collect();
            spread(named, false)
        }
        Method::Territory => {
            let field = assign.field.as_deref()?;
            let value = match value_of(field)? {
                Cell::Value { value } => value.to_lowercase(),
                Cell::Range { interval, .. } => format_number(interval.representative()),
                Cell::Absent | Cell::Other => return None,
            };
            let candidates: Vec<usize> = match assign.pod.as_deref() {
                Some(id) => vec![index(id)?],
                None => (0..pods.len()).collect(),
            };
            for pi in candidates {
                let pod = &pods[pi];
                let covering: Vec<(usize, usize, f64)> = match &pod.reps {
                    Reps::Named(reps) => reps
                        .iter()
                        .enumerate()
                        .filter(|(_, r)| r.available && r.territories.iter().any(|t| t.to_lowercase() == value))
                        .map(|(i, _)| (pi, i, 1.0))
                        .collect(),
                    Reps::Count(_) => Vec::new(),
                };
                if !covering.is_empty() {
                    return spread(covering, false);
                }
                if pod.territories.iter().any(|t| t.to_lowercase() == value) && !available(pi).is_empty() {
                    return Some(StaticTarget::Queue(pi));
                }
            }
            None
        }
    }
}

struct Tally {
    rule_share: Vec<f64>,
    rule_fallback_share: Vec<f64>,
    no_rule: f64,
    fallback: f64,
    unrouted: f64,
    pod: Vec<f64>,
    queue: Vec<f64>,
    rep: Vec<Vec<f64>>,
}

fn accumulate(t: &mut Tally, target: &StaticTarget, share: f64) {
    match target {
        StaticTarget::Queue(pod) => {
            t.pod[*pod] += share;
            t.queue[*pod] += share;
        }
        StaticTarget::Reps(reps) => {
            for &(pi, ri, frac) in reps {
                if let Some(slot) = t.rep.get_mut(pi).and_then(|r| r.get_mut(ri)) {
                    *slot += share * frac;
                    t.pod[pi] += share * frac;
                }
            }
        }
    }
}

fn enumerate(brief: &Brief, router: &Router, dims: Vec<Dimension>, cap: usize) -> (Coverage, Load) {
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
