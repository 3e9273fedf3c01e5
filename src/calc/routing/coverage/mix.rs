//! The demand mix read as shares of values: a closed list's overall share of each value, through
//! as many conditional mixes (`by`) as it depends on.

use std::collections::BTreeMap;

use crate::brief::{Attribute, Brief, Mix};
use crate::calc::routing::closed_values;

/// How many `by` links are followed before the shares are taken as even (validation refuses
/// cycles; this only bounds a brief that reached here without it).
const MAX_DEPTH: usize = 16;

/// The overall share of each value of `attribute` (keys lower-cased): from its mix, summed over
/// the values of `by` when the mix is conditional, or evenly over its closed list without one.
/// Shares of one set are normalised to sum to 1.
#[must_use]
pub(crate) fn value_shares(brief: &Brief, attribute: &str) -> BTreeMap<String, f64> {
    shares_at(brief, attribute, 0)
}

fn shares_at(brief: &Brief, attribute: &str, depth: usize) -> BTreeMap<String, f64> {
    let list: Vec<String> = brief
        .routing
        .attributes
        .get(attribute)
        .map(|a: &Attribute| closed_values(a))
        .unwrap_or_default()
        .iter()
        .map(|v| v.to_lowercase())
        .collect();
    let even = || -> BTreeMap<String, f64> {
        let n = list.len().max(1) as f64;
        list.iter().map(|v| (v.clone(), 1.0 / n)).collect()
    };
    match brief.demand.mix.get(attribute) {
        None => even(),
        Some(_) if depth >= MAX_DEPTH => even(),
        Some(Mix::Shares(m)) => normalised(m),
        Some(Mix::Conditional(c)) => {
            let parent = shares_at(brief, &c.by, depth + 1);
            let mut out: BTreeMap<String, f64> = BTreeMap::new();
            for (given, shares) in &c.given {
                let w = parent.get(&given.to_lowercase()).copied().unwrap_or(0.0);
                for (v, s) in normalised(shares) {
                    *out.entry(v).or_default() += w * s;
                }
            }
            out
        }
    }
}

fn normalised(m: &BTreeMap<String, f64>) -> BTreeMap<String, f64> {
    let values: Vec<(String, f64)> = m
        .iter()
        .filter(|(k, _)| !matches!(k.as_str(), "present" | "absent"))
        .map(|(k, v)| (k.to_lowercase(), if v.is_finite() && *v > 0.0 { *v } else { 0.0 }))
        .collect();
    let total: f64 = values.iter().map(|(_, v)| v).sum();
    if total > 0.0 { values.into_iter().map(|(k, v)| (k, v / total)).collect() } else { values.into_iter().collect() }
}
