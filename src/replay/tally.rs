//! The tally of a replay: leads per rule (by the step that placed them), per pod and per rep,
//! fallbacks, unrouted leads by reason, leads missing fields the rules read, malformed rows,
//! and rows whose `created_at` runs backwards.
//!
//! Counts are kept by index as rows stream past (no string per lead) and named once, from the
//! router, when the tally becomes a [`ReplayReport`].

use std::collections::BTreeMap;

use crate::calc::routing::engine::{Assignment, Failure};
use crate::calc::routing::{RoutePath, Router};

use super::ReplayReport;
use super::leads::Columns;

/// Most malformed rows listed individually (all are counted).
pub const MAX_LISTED_MALFORMED: usize = 100;

/// Most invalid values listed individually (all are counted).
pub const MAX_LISTED_INVALID: usize = 20;

/// Characters of an invalid value shown, at most.
const SHOWN_VALUE_CHARS: usize = 40;

/// Counts for one rule (or for "no rule matched").
#[derive(Debug, Clone, Copy, Default)]
struct PathCounts {
    primary: u64,
    rule_fallback: u64,
    fallback: u64,
    unrouted: u64,
}

/// The counts of a replay under way.
pub(super) struct Tally {
    /// The report's own totals, filled as rows come; the per-rule, pod and rep lists are named
    /// at the end by [`Tally::finish`].
    report: ReplayReport,
    /// Rules in the router; index `n_rules` of `by_rule` is "no rule matched".
    n_rules: usize,
    by_rule: Vec<PathCounts>,
    /// Per pod: leads, of which in the pod's queue.
    by_pod: Vec<(u64, u64)>,
    by_rep: Vec<Vec<u64>>,
    /// Per field the rules read, in the router's order: leads where it is empty.
    missing_counts: Vec<u64>,
    /// Per field the rules read: a blank value is expected (not counted as missing): an
    /// optional field whose column the header has.
    optional: Vec<bool>,
    /// Per field the rules read: values that are not numbers in a numeric field.
    invalid_counts: Vec<u64>,
    /// The first invalid values: line, slot, the value (cut to [`SHOWN_VALUE_CHARS`]).
    invalid_listed: Vec<(u64, usize, String)>,
    unrouted: BTreeMap<Failure, u64>,
    /// The latest `created_at` seen so far, in file order.
    latest: Option<i64>,
}

impl Tally {
    /// An empty tally for `router`'s rules, pods and fields.
    pub(super) fn new(router: &Router, columns: &Columns) -> Self {
        let has_created_at = columns.created_at.is_some();
        // A blank value is not missing in an optional field, unless the header lacks its column.
        let optional = |i: usize| {
            columns.kinds.optional.get(i).copied().unwrap_or(false)
                && columns.fields.get(i).is_some_and(Option::is_some)
        };
        Self {
            report: ReplayReport {
                total: 0,
                routed: 0,
                fallback: 0,
                unrouted: 0,
                unrouted_reasons: Vec::new(),
                by_rule: Vec::new(),
                by_pod: Vec::new(),
                by_rep: Vec::new(),
                missing_fields: Vec::new(),
                leads_missing_fields: 0,
                invalid_values: Vec::new(),
                invalid_rows: Vec::new(),
                malformed: 0,
                malformed_rows: Vec::new(),
                has_created_at,
                created_at_out_of_order: 0,
                open_for: router.open_for(),
                open_leads: super::OpenLeads::WholeReplay,
                sla: None,
            },
            n_rules: router.rule_count(),
            by_rule: vec![PathCounts::default(); router.rule_count() + 1],
            by_pod: vec![(0, 0); router.pods().len()],
            by_rep: router.pods().iter().map(|p| vec![0; p.reps.len()]).collect(),
            missing_counts: vec![0; router.fields().len()],
            optional: (0..router.fields().len()).map(optional).collect(),
            invalid_counts: vec![0; router.fields().len()],
            invalid_listed: Vec::new(),
            unrouted: BTreeMap::new(),
            latest: None,
        }
    }

    /// Count a malformed row (listing the first [`MAX_LISTED_MALFORMED`] with their line).
    pub(super) fn malformed(&mut self, line: u64, msg: &str) {
        let report = &mut self.report;
        report.malformed += 1;
        if report.malformed_rows.len() < MAX_LISTED_MALFORMED {
            report.malformed_rows.push((line, msg.to_owned()));
        }
    }

    /// Count what a well-formed lead on `line` brings before it is routed: the required fields
    /// it lacks, its invalid values (whose slots are empty: they are not missing), and whether
    /// its arrival is earlier than a row above it.
    pub(super) fn lead(&mut self, slots: &[Option<&str>], invalid: &[(usize, &str)], at: Option<i64>, line: u64) {
        let mut any_missing = false;
        for (i, slot) in slots.iter().enumerate() {
            if slot.is_none() && !self.optional[i] && !invalid.iter().any(|(s, _)| *s == i) {
                self.missing_counts[i] += 1;
                any_missing = true;
            }
        }
        self.report.leads_missing_fields += u64::from(any_missing);
        for &(slot, value) in invalid {
            self.invalid_counts[slot] += 1;
            if self.invalid_listed.len() < MAX_LISTED_INVALID {
                let shown = match value.char_indices().nth(SHOWN_VALUE_CHARS) {
                    Some((at, _)) => format!("{}…", &value[..at]),
                    None => value.to_owned(),
                };
                self.invalid_listed.push((line, slot, shown));
            }
        }
        if let Some(t) = at {
            if self.latest.is_some_and(|l| t < l) {
                self.report.created_at_out_of_order += 1;
            } else {
                self.latest = Some(t);
            }
        }
    }

    /// Count where the router placed a lead.
    pub(super) fn placed(&mut self, a: &Assignment) {
        let report = &mut self.report;
        report.total += 1;
        let counts = &mut self.by_rule[a.rule.unwrap_or(self.n_rules)];
        match a.path {
            RoutePath::Primary => {
                report.routed += 1;
                counts.primary += 1;
            }
            RoutePath::RuleFallback => {
                report.fallback += 1;
                counts.rule_fallback += 1;
            }
            RoutePath::RoutingFallback => {
                report.fallback += 1;
                counts.fallback += 1;
            }
            RoutePath::Unrouted => {
                report.unrouted += 1;
                counts.unrouted += 1;
                if let Some(f) = a.fallback_failure {
                    *self.unrouted.entry(f).or_default() += 1;
                }
            }
        }
        if let Some(p) = a.pod {
            self.by_pod[p].0 += 1;
            match a.rep {
                Some(r) => self.by_rep[p][r] += 1,
                None => self.by_pod[p].1 += 1,
            }
        }
    }

    /// The report, with rules, pods, reps, fields and reasons named from `router` (`sla` is
    /// left for the SLA replay to fill).
    pub(super) fn finish(self, router: &Router, numeric: &[bool]) -> ReplayReport {
        let mut report = self.report;
        let ids: Vec<String> =
            router.rule_ids().map(str::to_owned).chain(std::iter::once("fallback".to_owned())).collect();
        report.by_rule = ids
            .into_iter()
            .zip(self.by_rule)
            .map(|(id, c)| (id, [c.primary, c.rule_fallback, c.fallback, c.unrouted]))
            .collect();
        report.by_pod = router.pods().iter().zip(&self.by_pod).map(|(p, &(n, q))| (p.id.clone(), n, q)).collect();
        report.by_rep = router
            .pods()
            .iter()
            .zip(self.by_rep)
            .map(|(p, counts)| (p.id.clone(), p.reps.iter().map(|r| r.name.clone()).zip(counts).collect()))
            .collect();
        let fields = router.fields();
        report.missing_fields = fields
            .iter()
            .zip(self.missing_counts)
            .zip(&self.optional)
            .filter(|(_, optional)| !**optional)
            .map(|((f, n), _)| (f.clone(), n))
            .collect();
        report.invalid_values = fields
            .iter()
            .zip(self.invalid_counts)
            .zip(numeric)
            .filter(|(_, numeric)| **numeric)
            .map(|((f, n), _)| (f.clone(), n))
            .collect();
        report.invalid_rows = self
            .invalid_listed
            .into_iter()
            .map(|(line, slot, value)| (line, fields.get(slot).cloned().unwrap_or_default(), value))
            .collect();
        report.unrouted_reasons = self.unrouted.into_iter().map(|(f, n)| (router.name_failure(f), n)).collect();
        report
    }
}
