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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::brief::yaml::parse_unchecked;

    fn brief(demand_mix: &str) -> Brief {
        parse_unchecked(&format!(
            r#"
id: t
title: T
segment: smb
goal: pipeline
response_sla: 1h
timezone: UTC
business_hours: {{ days: [mon, tue, wed, thu, fri], open: "09:00", close: "17:00" }}
launch: 2027-02-01
funnel: {{ stages: [ {{ id: mql, name: MQL, entry: score }} ] }}
demand:
  leads_per_week: 100
  mix: {{ {demand_mix} }}
capacity: {{ pods: [ {{ id: a, role: SDR, touch_minutes: 5, reps: 1 }} ] }}
routing:
  attributes:
    region: [EMEA, NA, APAC]
    segment: [smb, ent]
    tier: [gold, silver]
  rules: []
  fallback: {{ method: pod, pod: a }}
"#
        ))
        .unwrap()
    }

    fn close(got: &BTreeMap<String, f64>, want: &[(&str, f64)]) -> bool {
        got.len() == want.len() && want.iter().all(|(k, v)| got.get(*k).is_some_and(|g| (g - v).abs() < 1e-12))
    }

    #[test]
    fn without_a_mix_a_closed_list_shares_evenly_and_a_mix_is_normalised() {
        let b = brief("segment: { smb: 3, ent: 1 }");
        let third = 1.0 / 3.0;
        let region = value_shares(&b, "region");
        assert!(close(&region, &[("emea", third), ("na", third), ("apac", third)]), "{region:?}");
        let segment = value_shares(&b, "segment");
        assert!(close(&segment, &[("smb", 0.75), ("ent", 0.25)]), "{segment:?}");
        assert!(value_shares(&b, "nobody").is_empty());
    }

    #[test]
    fn conditional_mixes_are_followed_down_their_chain() {
        // tier by segment, segment by region, region 0.5 / 0.3 / 0.2. By hand:
        // smb = 0.5·0.8 + 0.3·0.4 + 0.2·0.5 = 0.62, ent = 0.38;
        // gold = 0.62·0.1 + 0.38·0.6 = 0.29, silver = 0.71.
        let b = brief(
            "region: { EMEA: 0.5, NA: 0.3, APAC: 0.2 }, \
             segment: { by: region, EMEA: { smb: 0.8, ent: 0.2 }, NA: { smb: 4, ent: 6 }, APAC: { smb: 0.5, ent: 0.5 } }, \
             tier: { by: segment, smb: { gold: 0.1, silver: 0.9 }, ent: { gold: 0.6, silver: 0.4 } }",
        );
        let segment = value_shares(&b, "segment");
        assert!(close(&segment, &[("smb", 0.62), ("ent", 0.38)]), "{segment:?}");
        let tier = value_shares(&b, "tier");
        assert!(close(&tier, &[("gold", 0.29), ("silver", 0.71)]), "{tier:?}");
    }

    #[test]
    fn a_cycle_of_conditional_mixes_ends_in_even_shares() {
        // Validation refuses it; unvalidated, the chain is cut at MAX_DEPTH links, where the
        // shares are taken as even, and the result is still a set of shares summing to 1.
        let b = brief(
            "segment: { by: tier, gold: { smb: 0.9, ent: 0.1 }, silver: { smb: 0.2, ent: 0.8 } }, \
             tier: { by: segment, smb: { gold: 0.5, silver: 0.5 }, ent: { gold: 0.25, silver: 0.75 } }",
        );
        let tier = value_shares(&b, "tier");
        let sum: f64 = tier.values().sum();
        assert!((sum - 1.0).abs() < 1e-12 && tier.len() == 2, "{tier:?}");
    }
}
