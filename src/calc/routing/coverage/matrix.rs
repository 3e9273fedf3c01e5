//! The routing matrix as the documents show it: one row per rule (conditions in brief syntax,
//! ownership, fallback, fields needed), then the routing fallback.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::brief::{Assign, Brief};
use crate::calc::routing::condition::Predicate;
use crate::calc::routing::engine::{assign_field, method_name};

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

fn summary(a: &Assign) -> AssignSummary {
    AssignSummary {
        method: method_name(a.method).to_owned(),
        pod: a.pod.clone(),
        field: assign_field(a).map(str::to_owned),
    }
}

pub(super) fn matrix(brief: &Brief) -> Vec<MatrixRow> {
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
