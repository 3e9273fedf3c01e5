//! What enumerating the attribute space proves: the combinations no rule catches (gaps), the
//! pairs of rules that both match (overlaps) and the rules that can never fire (dead, shadowed).

use serde::Serialize;

use super::dimension::Dimension;
use super::gaps::GapSet;

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
        /// The earlier rules, in rule order, at most [`MAX_LISTED`](super::MAX_LISTED).
        by: Vec<String>,
        /// How many more earlier rules also catch them (not listed).
        #[serde(skip_serializing_if = "is_zero")]
        more: usize,
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
    /// True when the space exceeded [`MAX_COMBINATIONS`](super::MAX_COMBINATIONS) and the findings are partial.
    pub capped: bool,
    /// Number of combinations no rule catches.
    pub gap_count: usize,
    /// Their share of demand.
    pub gap_share: f64,
    /// Them grouped into condition sets, the [`MAX_LISTED`](super::MAX_LISTED) largest by share
    /// of demand, largest first.
    pub gaps: Vec<GapSet>,
    /// Number of pairs of rules that both match some combination (exact over what was
    /// enumerated).
    pub overlap_count: usize,
    /// The [`MAX_LISTED`](super::MAX_LISTED) largest overlapping pairs by share of demand,
    /// largest first (then by combinations, then in rule order).
    pub overlaps: Vec<Overlap>,
    /// Rules that can never fire.
    pub dead: Vec<DeadRule>,
}

/// For serde: leave a zero count out.
#[allow(clippy::trivially_copy_pass_by_ref)] // serde's `skip_serializing_if` passes a reference
fn is_zero(n: &usize) -> bool {
    *n == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shadowed_rule_says_how_many_more_only_when_there_are_more() {
        let json = |more| serde_json::to_value(DeadReason::Shadowed { by: vec!["a".to_owned()], more }).unwrap();
        assert_eq!(json(0), serde_json::json!({ "kind": "shadowed", "by": ["a"] }));
        assert_eq!(json(2), serde_json::json!({ "kind": "shadowed", "by": ["a"], "more": 2 }));
    }
}
