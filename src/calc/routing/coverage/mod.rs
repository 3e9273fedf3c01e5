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
//! **Numbers.** The router reads real numbers, so a `type: number` attribute is cut into the
//! exact points and the open intervals between them: `40..69` and `70..100` leave the gap
//! (69, 70). An attribute declared `type: integer` holds whole numbers only (employees, seats),
//! so `1000..4999` and `>=5000` leave no gap between 4999 and 5000. A single real point takes no
//! share of demand.
//!
//! **Load.** Each combination's share of demand is the product of its cells' shares, assuming
//! attributes are independent: a closed list uses `demand.mix.<attr>` (or an even split; a mix
//! giving the list's values and not `present`/`absent` leaves `absent` no share); a number
//! uses the mix ranges (a bounded range is shared among its cells by length, an unbounded one
//! evenly; no mix: an even split over the cells); free text is `absent` or present (default 0.5
//! each). Every share a mix gives is a share of all leads: a named value or range has its own,
//! `absent` the blank field's and `present` that of the present values the mix does not name,
//! spread evenly over their cells (`{Lee: 0.2, absent: 0.8}` leaves another owner nothing). Ownership is resolved
//! statically: round robin splits evenly over available reps, weighted by weight, `pod` goes to
//! the pod's queue, `account_owner` spreads evenly over the available named reps of its pod(s) and
//! fails when the owner field is absent, `territory` splits by weight over the reps (or goes to
//! the queue of the pod) covering the value, as the engine's per-territory turns do. `max_open`
//! is ignored here (it depends on how fast reps work).
//!
//! - `interval`: numeric intervals, the cells of a number attribute, and demand-mix range labels.
//! - `dimension`: each field the rules read cut into cells, with each cell's share of demand.
//! - `enumerate`: the one pass over every combination, which yields both of the next two.
//! - `findings`: what the pass proves (gaps, overlaps, dead and shadowed rules).
//! - `gaps`: the gaps grouped into the fewest condition sets the merge finds.
//! - `mix`: a closed list's overall share of each value, through conditional mixes.
//! - `load`: ownership resolved statically, and the expected load per rule, pod and rep.
//! - `matrix`: the routing matrix, one row per rule.
//! - `enrichment`: the lead fields routing reads against those `routing.enrichment` lists.

mod dimension;
mod enrichment;
mod enumerate;
mod findings;
mod gaps;
mod interval;
mod load;
mod matrix;
mod mix;

use serde::Serialize;

pub(crate) use dimension::{Cell, Dimension, DimensionKind, dimensions};
pub(crate) use enrichment::{Enrichment, used_fields};
pub(crate) use findings::{Coverage, DeadReason, Overlap};
pub(crate) use interval::{parse_mix_range, sort_mix_labels};
pub(crate) use load::Load;
pub(crate) use matrix::MatrixRow;

use super::engine::Router;
use crate::brief::Brief;
use enrichment::enrichment;
use enumerate::enumerate;
use matrix::matrix;

/// Most combinations enumerated before the analysis stops and reports `capped`.
pub(crate) const MAX_COMBINATIONS: usize = 200_000;

/// Most gaps, overlaps and shadowing rules listed per finding (the largest); the rest are
/// counted.
pub(crate) const MAX_LISTED: usize = 20;

/// Most rule evaluations and rule-pair updates one analysis spends before it stops and reports
/// `capped`: about a second of work, whatever the brief (issue 13).
pub(crate) const WORK_BUDGET: u64 = 20_000_000;

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
pub(crate) fn analyze(brief: &Brief, router: &Router) -> Analysis {
    analyze_with_cap(brief, router, MAX_COMBINATIONS)
}

/// Analyse the brief's routing, compiled into `router`, enumerating at most `cap` combinations.
#[must_use]
pub(crate) fn analyze_with_cap(brief: &Brief, router: &Router, cap: usize) -> Analysis {
    let dims = dimensions(brief, router);
    let matrix = matrix(brief);
    let enrichment = enrichment(brief);
    let (coverage, load) = enumerate(brief, router, dims, cap);
    Analysis { matrix, enrichment, coverage, load }
}
