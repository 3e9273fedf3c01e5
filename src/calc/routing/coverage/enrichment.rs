//! The enrichment fields routing needs: the fields the rules read, against those
//! `routing.enrichment` lists.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::brief::Brief;
use crate::calc::routing::engine::assign_field;

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

/// The fields routing reads: every condition field and every territory / account-owner field.
#[must_use]
pub(crate) fn used_fields(brief: &Brief) -> BTreeSet<String> {
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

pub(super) fn enrichment(brief: &Brief) -> Enrichment {
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
