//! Building a [`Diff`] from two Models: each area compared by the ids both versions share.

use std::collections::{BTreeMap, BTreeSet};

use super::{
    Added, Change, DeadRuleRef, DependencyChange, Diff, Direction, EnablementChange, EscalationDiff, GapChange, GapRef,
    GapsDiff, ItemsDiff, Moved, Movement, PodDiff, Presence, RiskDiff, RoutingDiff, RungChange, Side,
};
use crate::model::{DependencyView, EnablementView1, Model, PodSlaView, Risk};

/// Compare two versions of a brief; either may be absent (a brief added or removed).
/// `paths` are the paths to show for each side.
#[must_use]
pub(crate) fn compare(before: Option<Side<'_>>, after: Option<Side<'_>>, paths: [Option<String>; 2]) -> Diff {
    let (b, a) = (before.map(|s| s.model), after.map(|s| s.model));
    let id = a.or(b).map(|m| m.brief.id.clone()).unwrap_or_default();
    let changed_sections = changed_sections(before, after);
    let status = Change::new(b.map(|m| m.status.state.clone()), a.map(|m| m.status.state.clone()));
    let pods = pods(b, a);
    let routing = routing(b, a);
    let escalation = escalation(b, a);
    let risks = risks(b, a);
    let enablement = enablement(b, a);
    let dependencies = dependencies(b, a);
    let change = match (b, a) {
        (None, _) => Presence::Added,
        (_, None) => Presence::Removed,
        _ => {
            let same = changed_sections.is_empty()
                && !status.changed()
                && pods.values().all(|p| p.change == Presence::Unchanged)
                && routing_unchanged(&routing)
                && escalation.rungs.is_empty()
                && !escalation.rip_cord_breaches.changed()
                && !escalation.rip_cord_window_minutes.changed()
                && !escalation.rip_cord_notify.changed()
                && risks.added.is_empty()
                && risks.removed.is_empty()
                && risks.changed.is_empty()
                && enablement.items.is_empty()
                && dependencies.items.is_empty();
            if same { Presence::Unchanged } else { Presence::Modified }
        }
    };
    let mut diff = Diff {
        id,
        change,
        before_path: paths[0].clone(),
        after_path: paths[1].clone(),
        changed_sections,
        status,
        headline: Vec::new(),
        pods,
        routing,
        escalation,
        risks,
        enablement,
        dependencies,
    };
    diff.headline = headline(&diff);
    diff
}

fn changed_sections(before: Option<Side<'_>>, after: Option<Side<'_>>) -> Vec<String> {
    let hashes = |s: Option<Side<'_>>| s.map(|s| crate::plan::section_hashes(s.value)).unwrap_or_default();
    let (b, a) = (hashes(before), hashes(after));
    let keys: BTreeSet<&String> = b.keys().chain(a.keys()).collect();
    keys.into_iter().filter(|k| b.get(*k) != a.get(*k)).cloned().collect()
}

fn routing_unchanged(r: &RoutingDiff) -> bool {
    r.rules_added.is_empty()
        && r.rules_removed.is_empty()
        && r.rules_changed.is_empty()
        && !r.reordered
        && r.dead_rules.is_empty()
        && r.gaps.is_empty()
        && !r.gap_share.changed()
        && !r.fallback_share.changed()
        && !r.unrouted_share.changed()
        && !r.fallback_pod.changed()
}

/// Pod ids in the changed version's order, then those only in the base.
fn pod_ids(b: Option<&Model>, a: Option<&Model>) -> Vec<String> {
    let mut ids: Vec<String> = a.map(|m| m.sla.iter().map(|p| p.pod.clone()).collect()).unwrap_or_default();
    for pod in b.map(|m| m.sla.as_slice()).unwrap_or_default() {
        if !ids.contains(&pod.pod) {
            ids.push(pod.pod.clone());
        }
    }
    ids
}

fn pods(b: Option<&Model>, a: Option<&Model>) -> BTreeMap<String, PodDiff> {
    let find = |m: Option<&Model>, id: &str| m.and_then(|m| m.sla.iter().find(|p| p.pod == id).cloned());
    let share = |m: Option<&Model>, id: &str| {
        m.map(|m| m.routing.pod_loads.iter().find(|p| p.pod == id).map_or(0.0, |p| p.share))
    };
    pod_ids(b, a)
        .into_iter()
        .map(|id| {
            let (pb, pa) = (find(b, &id), find(a, &id));
            let field =
                |f: &dyn Fn(&PodSlaView) -> Option<f64>| Change::new(pb.as_ref().and_then(f), pa.as_ref().and_then(f));
            let mut pod = PodDiff {
                change: Presence::Unchanged,
                attainment: field(&|p| Some(p.attainment)),
                basis: Change::new(pb.as_ref().map(|p| p.basis), pa.as_ref().map(|p| p.basis)),
                formula_attainment: field(&|p| p.queue.service_level),
                simulated_attainment: field(&|p| Some(p.simulated_attainment)),
                target: field(&|p| Some(p.target)),
                meets_target: Change::new(pb.as_ref().map(|p| p.meets_target), pa.as_ref().map(|p| p.meets_target)),
                reps: Change::new(pb.as_ref().map(|p| p.reps), pa.as_ref().map(|p| p.reps)),
                reps_needed: Change::new(
                    pb.as_ref().and_then(|p| p.required_reps),
                    pa.as_ref().and_then(|p| p.required_reps),
                ),
                load_share: Change::new(share(b, &id).filter(|_| pb.is_some()), share(a, &id).filter(|_| pa.is_some())),
                leads_per_week: field(&|p| Some(p.leads_per_week)),
                occupancy: field(&|p| p.queue.occupancy),
                p90_wait_minutes: field(&|p| p.queue.p90_wait_minutes),
                simulated_p90_wait_minutes: field(&|p| Some(p.simulated_p90_wait_minutes)),
            };
            pod.change = match (&pb, &pa) {
                (None, _) => Presence::Added,
                (_, None) => Presence::Removed,
                _ if pod_changed(&pod) => Presence::Modified,
                _ => Presence::Unchanged,
            };
            (id, pod)
        })
        .collect()
}

fn pod_changed(p: &PodDiff) -> bool {
    p.attainment.changed()
        || p.basis.changed()
        || p.formula_attainment.changed()
        || p.simulated_attainment.changed()
        || p.target.changed()
        || p.meets_target.changed()
        || p.reps.changed()
        || p.reps_needed.changed()
        || p.load_share.changed()
        || p.leads_per_week.changed()
        || p.occupancy.changed()
        || p.p90_wait_minutes.changed()
        || p.simulated_p90_wait_minutes.changed()
}

/// Items only in `after` and only in `before`, each in its own order.
fn added<T: PartialEq + Clone>(before: &[T], after: &[T]) -> super::Added<T> {
    Added {
        added: after.iter().filter(|x| !before.contains(x)).cloned().collect(),
        removed: before.iter().filter(|x| !after.contains(x)).cloned().collect(),
    }
}

/// Gaps matched by their conditions; a matched gap whose share reads differently at 0.1% (as
/// every report prints it) moved. Comparing conditions alone read a gap whose share doubled
/// as unchanged.
fn gaps_diff(before: &[GapRef], after: &[GapRef]) -> GapsDiff {
    let same = |x: &GapRef, y: &GapRef| x.cells == y.cells && x.any == y.any;
    let tenths = |share: f64| (share * 1000.0).round();
    GapsDiff {
        added: after.iter().filter(|g| !before.iter().any(|b| same(b, g))).cloned().collect(),
        removed: before.iter().filter(|g| !after.iter().any(|a| same(g, a))).cloned().collect(),
        changed: after
            .iter()
            .filter_map(|g| {
                let old = before.iter().find(|b| same(b, g))?;
                (tenths(old.share) != tenths(g.share)).then(|| GapChange {
                    cells: g.cells.clone(),
                    any: g.any.clone(),
                    share: Change::new(Some(old.share), Some(g.share)),
                })
            })
            .collect(),
    }
}

fn routing(b: Option<&Model>, a: Option<&Model>) -> RoutingDiff {
    fn rows(m: Option<&Model>) -> Option<&[crate::calc::routing::coverage::MatrixRow]> {
        m.map(|m| &m.routing.analysis.matrix[..m.rule_count.min(m.routing.analysis.matrix.len())])
    }
    let ids = |m: Option<&Model>| rows(m).map(|r| r.iter().map(|r| r.rule.clone()).collect::<Vec<_>>());
    let (ib, ia) = (ids(b).unwrap_or_default(), ids(a).unwrap_or_default());
    let rules = added(&ib, &ia);
    let rules_changed = ia
        .iter()
        .filter(|id| {
            let x = rows(b).and_then(|r| r.iter().find(|r| &r.rule == *id));
            let y = rows(a).and_then(|r| r.iter().find(|r| &r.rule == *id));
            matches!((x, y), (Some(x), Some(y)) if x != y)
        })
        .cloned()
        .collect();
    let common_b: Vec<&String> = ib.iter().filter(|id| ia.contains(id)).collect();
    let common_a: Vec<&String> = ia.iter().filter(|id| ib.contains(id)).collect();
    let dead = |m: Option<&Model>| -> Vec<DeadRuleRef> {
        m.map(|m| {
            m.routing
                .analysis
                .coverage
                .dead
                .iter()
                .map(|d| DeadRuleRef { rule: d.rule.clone(), reason: d.reason.clone() })
                .collect()
        })
        .unwrap_or_default()
    };
    let gaps = |m: Option<&Model>| -> Vec<GapRef> {
        m.map(|m| {
            m.routing
                .analysis
                .coverage
                .gaps
                .iter()
                .map(|g| GapRef { cells: g.cells.clone(), any: g.any.clone(), share: g.share })
                .collect()
        })
        .unwrap_or_default()
    };
    let load = |m: Option<&Model>, f: fn(&Model) -> f64| m.map(f);
    RoutingDiff {
        rules_added: rules.added,
        rules_removed: rules.removed,
        rules_changed,
        reordered: common_b != common_a,
        order: Change::new(b.map(|_| ib.clone()), a.map(|_| ia.clone())),
        dead_rules: added(&dead(b), &dead(a)),
        gaps: gaps_diff(&gaps(b), &gaps(a)),
        gap_share: Change::new(
            load(b, |m| m.routing.analysis.coverage.gap_share),
            load(a, |m| m.routing.analysis.coverage.gap_share),
        ),
        fallback_share: Change::new(
            load(b, |m| m.routing.analysis.load.fallback_share),
            load(a, |m| m.routing.analysis.load.fallback_share),
        ),
        unrouted_share: Change::new(
            load(b, |m| m.routing.analysis.load.unrouted_share),
            load(a, |m| m.routing.analysis.load.unrouted_share),
        ),
        fallback_pod: Change::new(
            b.and_then(|m| m.routing_fallback_pod.clone()),
            a.and_then(|m| m.routing_fallback_pod.clone()),
        ),
    }
}

fn escalation(b: Option<&Model>, a: Option<&Model>) -> EscalationDiff {
    let rungs = |m: Option<&Model>| m.map(|m| m.escalation.tree.rungs.clone()).unwrap_or_default();
    let (rb, ra) = (rungs(b), rungs(a));
    let levels = rb.len().max(ra.len());
    let changed = (0..levels)
        .filter_map(|i| {
            let (x, y) = (rb.get(i), ra.get(i));
            let rung = RungChange {
                level: i + 1,
                fires_after_minutes: Change::new(x.map(|r| r.fires_after_minutes), y.map(|r| r.fires_after_minutes)),
                action: Change::new(x.map(|r| r.action), y.map(|r| r.action)),
                to: Change::new(x.map(|r| r.to.clone()), y.map(|r| r.to.clone())),
            };
            (rung.fires_after_minutes.changed() || rung.action.changed() || rung.to.changed()).then_some(rung)
        })
        .collect();
    let cord = |m: Option<&Model>| m.map(|m| m.escalation.tree.rip_cord.clone());
    let (cb, ca) = (cord(b), cord(a));
    EscalationDiff {
        rungs: changed,
        rip_cord_breaches: Change::new(cb.as_ref().map(|c| c.breaches), ca.as_ref().map(|c| c.breaches)),
        rip_cord_window_minutes: Change::new(
            cb.as_ref().map(|c| c.window_minutes),
            ca.as_ref().map(|c| c.window_minutes),
        ),
        rip_cord_notify: Change::new(cb.map(|c| c.notify), ca.map(|c| c.notify)),
    }
}

/// What a risk is about, whatever its numbers: its kind and the pod, rule, item or field it
/// names (pointers shift when items are inserted; names do not).
fn risk_key(risk: &Risk) -> String {
    let value = serde_json::to_value(&risk.kind).unwrap_or_default();
    let mut key = value.get("kind").and_then(|k| k.as_str()).unwrap_or_default().to_owned();
    for field in ["pod", "rule", "name", "asset", "field"] {
        if let Some(v) = value.get(field).and_then(|v| v.as_str()) {
            key.push('\u{0}');
            key.push_str(v);
        }
    }
    key
}

fn risks(b: Option<&Model>, a: Option<&Model>) -> RiskDiff {
    let (rb, ra) =
        (b.map(|m| m.risks.as_slice()).unwrap_or_default(), a.map(|m| m.risks.as_slice()).unwrap_or_default());
    let keyed = |rs: &[Risk]| -> BTreeMap<String, Risk> { rs.iter().map(|r| (risk_key(r), r.clone())).collect() };
    let (kb, ka) = (keyed(rb), keyed(ra));
    let mut diff = RiskDiff { added: Vec::new(), removed: Vec::new(), changed: Vec::new() };
    // In the model's order (most severe first), so the worst news leads.
    for risk in ra {
        match kb.get(&risk_key(risk)) {
            None => diff.added.push(risk.clone()),
            Some(old) if old.severity != risk.severity || old.kind != risk.kind => {
                diff.changed.push(Change::new(Some(old.clone()), Some(risk.clone())));
            }
            Some(_) => {}
        }
    }
    diff.removed = rb.iter().filter(|r| !ka.contains_key(&risk_key(r))).cloned().collect();
    diff
}

fn past_due(flags: &[String]) -> bool {
    flags.iter().any(|f| f == "past-due")
}

/// Pair items by name: the changed version's order, then the ones only in the base.
fn pair<'a, T>(before: &'a [T], after: &'a [T], name: fn(&T) -> &str) -> Vec<(String, Option<&'a T>, Option<&'a T>)> {
    let mut out: Vec<(String, Option<&T>, Option<&T>)> =
        after.iter().map(|x| (name(x).to_owned(), before.iter().find(|y| name(y) == name(x)), Some(x))).collect();
    for y in before {
        if !after.iter().any(|x| name(x) == name(y)) {
            out.push((name(y).to_owned(), Some(y), None));
        }
    }
    out
}

fn enablement(b: Option<&Model>, a: Option<&Model>) -> ItemsDiff<EnablementChange> {
    let items = |m: Option<&Model>| m.map(|m| m.enablement.items.clone()).unwrap_or_default();
    let (ib, ia) = (items(b), items(a));
    let count =
        |m: Option<&Model>, list: &[EnablementView1]| m.map(|_| list.iter().filter(|i| past_due(&i.flags)).count());
    let changes = pair(&ib, &ia, |i| i.asset.as_str())
        .into_iter()
        .map(|(asset, x, y)| {
            let f = |g: fn(&EnablementView1) -> String| Change::new(x.map(g), y.map(g));
            EnablementChange {
                asset,
                due: f(|i| i.due.clone()),
                owner: f(|i| i.owner.clone()),
                pods: Change::new(x.map(|i| i.pods.clone()), y.map(|i| i.pods.clone())),
                flags: Change::new(x.map(|i| i.flags.clone()), y.map(|i| i.flags.clone())),
            }
        })
        .filter(|c| c.due.changed() || c.owner.changed() || c.pods.changed() || c.flags.changed())
        .collect();
    ItemsDiff { past_due: Change::new(count(b, &ib), count(a, &ia)), items: changes }
}

fn dependency_list(m: &Model) -> Vec<DependencyView> {
    let c = &m.checklist;
    c.integrations.iter().chain(&c.automations).chain(&c.other).cloned().collect()
}

fn dependencies(b: Option<&Model>, a: Option<&Model>) -> ItemsDiff<DependencyChange> {
    let (db, da) = (b.map(dependency_list).unwrap_or_default(), a.map(dependency_list).unwrap_or_default());
    let count =
        |m: Option<&Model>, list: &[DependencyView]| m.map(|_| list.iter().filter(|d| past_due(&d.flags)).count());
    let changes = pair(&db, &da, |d| d.name.as_str())
        .into_iter()
        .map(|(name, x, y)| {
            let f = |g: fn(&DependencyView) -> String| Change::new(x.map(g), y.map(g));
            DependencyChange {
                name,
                status: f(|d| d.status.clone()),
                due: f(|d| d.due.clone()),
                owner: f(|d| d.owner.clone()),
                flags: Change::new(x.map(|d| d.flags.clone()), y.map(|d| d.flags.clone())),
            }
        })
        .filter(|c| c.status.changed() || c.due.changed() || c.owner.changed() || c.flags.changed())
        .collect();
    ItemsDiff { past_due: Change::new(count(b, &db), count(a, &da)), items: changes }
}

/// Readiness from best to worst.
fn status_rank(state: &str) -> u8 {
    match state {
        "ready" => 0,
        "at-risk" => 1,
        _ => 2,
    }
}

/// The smallest attainment move a headline reports: a tenth of a percentage point, the
/// precision the documents print.
const ATTAINMENT_STEP: f64 = 0.0005;

/// The moves a reviewer reads first, worse before better.
fn headline(diff: &Diff) -> Vec<Movement> {
    let mut moves = Vec::new();
    let mut push = |direction: Direction, what: Moved| moves.push(Movement { direction, what });
    if let (Some(before), Some(after)) = (&diff.status.before, &diff.status.after)
        && before != after
    {
        let worse = status_rank(after) > status_rank(before);
        push(
            if worse { Direction::Worse } else { Direction::Better },
            Moved::Status { before: before.clone(), after: after.clone() },
        );
    }
    if diff.change == Presence::Modified {
        for (id, pod) in &diff.pods {
            match pod.change {
                Presence::Added => push(Direction::Better, Moved::Pod { pod: id.clone(), added: true }),
                Presence::Removed => push(Direction::Worse, Moved::Pod { pod: id.clone(), added: false }),
                _ => {}
            }
            if let (Some(before), Some(after)) = (pod.attainment.before, pod.attainment.after)
                && (after - before).abs() >= ATTAINMENT_STEP
            {
                let dir = if after > before { Direction::Better } else { Direction::Worse };
                push(dir, Moved::Attainment { pod: id.clone(), before, after });
            }
            if pod.change == Presence::Modified && pod.reps_needed.changed() {
                // More reps needed, or none enough (`None`), is worse.
                let need = |n: Option<u32>| n.map_or(u64::MAX, u64::from);
                let dir = if need(pod.reps_needed.after) > need(pod.reps_needed.before) {
                    Direction::Worse
                } else {
                    Direction::Better
                };
                push(
                    dir,
                    Moved::RepsNeeded { pod: id.clone(), before: pod.reps_needed.before, after: pod.reps_needed.after },
                );
            }
        }
        let dead = &diff.routing.dead_rules;
        if !dead.added.is_empty() {
            push(Direction::Worse, Moved::DeadRules { rules: dead.added.iter().map(|d| d.rule.clone()).collect() });
        }
        if !dead.removed.is_empty() {
            push(Direction::Better, Moved::DeadRules { rules: dead.removed.iter().map(|d| d.rule.clone()).collect() });
        }
        let sum = |c: &Change<usize>, pick: fn(&Change<usize>) -> Option<usize>| pick(c).unwrap_or(0);
        let (e, d) = (&diff.enablement.past_due, &diff.dependencies.past_due);
        let before = sum(e, |c| c.before) + sum(d, |c| c.before);
        let after = sum(e, |c| c.after) + sum(d, |c| c.after);
        if before != after {
            push(if after > before { Direction::Worse } else { Direction::Better }, Moved::PastDue { before, after });
        }
        if !diff.risks.added.is_empty() {
            push(Direction::Worse, Moved::Risks { count: diff.risks.added.len() });
        }
        if !diff.risks.removed.is_empty() {
            push(Direction::Better, Moved::Risks { count: diff.risks.removed.len() });
        }
    }
    // Worse first: that is what a reviewer must not miss. Stable, so each keeps its order.
    moves.sort_by_key(|m| m.direction != Direction::Worse);
    moves
}
