//! The plan: the machine-readable record of a handoff design, in the plan format agent
//! orchestrators read, with an append-only audit trail of revisions.
//!
//! A plan is a pure function of the Model and the previous plan's revisions. Building from an
//! unchanged brief (same SHA-256 as the last revision) keeps the revisions and therefore yields
//! the same bytes; a changed brief appends exactly one revision naming the top-level sections
//! whose content changed (compared by per-section SHA-256 recorded in the plan).
//!
//! The revisions are a hash chain: each carries a `digest` over its own fields and the digest
//! of the revision before it ([`chain::revision_digest`]), so an edited, deleted, reordered or copied
//! revision breaks the chain at the first revision it touches ([`verify_chain`]). Anyone can
//! recompute a chain, so `check --base` also compares the history with the one at a git
//! revision ([`first_rewritten`]); the chain is in `plan/chain.rs`.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{Context as _, Result, bail};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::model::Model;

mod chain;

use self::chain::seal;
pub(crate) use self::chain::{ChainBreak, first_rewritten, verify_chain};

/// The plan file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    /// `handoff-<id>`.
    pub plan_id: String,
    /// What the plan achieves.
    pub objective: String,
    /// `simple`, `medium`, `complex` or `very-complex`.
    pub complexity: String,
    /// `pipeline` or `diamond`.
    pub strategy: String,
    /// For `diamond`: the task where the parallel branches meet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merge_gate: Option<String>,
    /// Stages in order.
    pub stages: Vec<Stage>,
    /// How outputs reach later tasks.
    pub context_passing: Vec<ContextPassing>,
    /// Retries, fallbacks and escalation.
    pub error_handling: ErrorHandling,
    /// What must be true for the plan to be done.
    pub success_criteria: Vec<String>,
    /// Targets as numbers.
    pub success_metrics: SuccessMetrics,
    /// Output files, relative to the output directory.
    pub deliverables: Vec<String>,
    /// The brief the plan was built from.
    pub brief: BriefRef,
    /// Append-only audit trail.
    pub revisions: Vec<Revision>,
}

/// A stage of tasks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stage {
    /// Unique id.
    pub stage_id: String,
    /// Name.
    pub name: String,
    /// `sequential` or `parallel`.
    pub execution: String,
    /// Tasks.
    pub tasks: Vec<Task>,
}

/// A task.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Task {
    /// Unique id.
    pub task_id: String,
    /// Owner role.
    pub agent: String,
    /// What the task does.
    pub purpose: String,
    /// What it reads.
    pub input: Vec<String>,
    /// Name of its output in the plan context.
    pub output_var: String,
    /// Task ids it waits for.
    pub dependencies: Vec<String>,
}

/// How one output reaches later tasks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContextPassing {
    /// Output variable.
    pub output_var: String,
    /// Task producing it.
    pub from: String,
    /// Tasks reading it.
    pub to: Vec<String>,
    /// What it carries.
    pub carries: String,
}

/// Retries, fallbacks and escalation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorHandling {
    /// How failed automation is retried.
    pub retry_strategy: String,
    /// The brief's retry limit (default 2).
    pub max_retries: u32,
    /// Who and where work goes when the first choice fails.
    pub fallback_plan: FallbackPlan,
    /// The ladder and the rip-cord.
    pub escalation: EscalationPlan,
}

/// Fallbacks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FallbackPlan {
    /// Pod that takes leads no rule matches.
    pub routing_fallback_pod: Option<String>,
    /// Stand-ins for absent owners: role → stand-in.
    pub fallback_owners: BTreeMap<String, String>,
}

/// Escalation as data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EscalationPlan {
    /// Rungs in order.
    pub ladder: Vec<LadderRung>,
    /// The rip-cord.
    pub rip_cord: RipCord,
}

/// A rung.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LadderRung {
    /// SLA multiple.
    pub at_sla_multiple: f64,
    /// Minutes after arrival on the SLA clock.
    pub after_minutes: f64,
    /// Action slug.
    pub action: String,
    /// Target.
    pub to: String,
}

/// The rip-cord.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RipCord {
    /// Human condition.
    pub condition: String,
    /// Breaches.
    pub breaches: u32,
    /// Window in minutes.
    pub window_minutes: f64,
    /// Who is told.
    pub notify: Vec<String>,
}

/// Targets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SuccessMetrics {
    /// Share touched within the SLA.
    pub sla_attainment: f64,
    /// Share accepted by sales.
    pub acceptance_rate: f64,
    /// Conversion lift.
    pub conversion_lift: f64,
}

/// The brief a plan was built from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BriefRef {
    /// Path as given.
    pub path: String,
    /// SHA-256 of the file.
    pub sha256: String,
    /// SHA-256 of each top-level section's content (canonical JSON), to name what changed.
    pub sections: BTreeMap<String, String>,
}

/// One revision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Revision {
    /// 1-based number.
    pub revision: u32,
    /// Build time, RFC 3339.
    pub at: String,
    /// SHA-256 of the brief.
    pub brief_sha256: String,
    /// Top-level sections that changed (all, for the first revision).
    pub changed: Vec<String>,
    /// SHA-256 over this revision and the previous revision's digest ([`chain::revision_digest`]).
    /// Absent only in plans written before handoff chained its revisions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digest: Option<String>,
}

/// SHA-256 in lowercase hex.
#[must_use]
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// Per-section hashes of a brief's JSON value (keys sorted, so formatting and key order in the
/// YAML do not count as changes).
#[must_use]
pub(crate) fn section_hashes(value: &serde_json::Value) -> BTreeMap<String, String> {
    let Some(map) = value.as_object() else { return BTreeMap::new() };
    map.iter().map(|(k, v)| (k.clone(), sha256_hex(canonical(v).as_bytes()))).collect()
}

fn canonical(value: &serde_json::Value) -> String {
    fn sorted(v: &serde_json::Value) -> serde_json::Value {
        match v {
            serde_json::Value::Object(m) => {
                let ordered: BTreeMap<&String, serde_json::Value> = m.iter().map(|(k, v)| (k, sorted(v))).collect();
                serde_json::Value::Object(ordered.into_iter().map(|(k, v)| (k.clone(), v)).collect())
            }
            serde_json::Value::Array(a) => serde_json::Value::Array(a.iter().map(sorted).collect()),
            other => other.clone(),
        }
    }
    sorted(value).to_string()
}

/// The files `build` writes for a brief, relative to the output directory.
#[must_use]
pub(crate) fn deliverables(id: &str) -> Vec<String> {
    ["design.md", "checklist.md", "enablement.md", "approval-packet.html"].iter().map(|f| format!("{id}/{f}")).collect()
}

/// Build the plan for `model`, continuing the revisions of `previous` (the plan file's text, if
/// any). `value` is the brief's JSON value (for section hashes).
///
/// # Errors
/// The previous plan is not a plan (cannot be parsed), or its revisions are broken.
pub(crate) fn build(model: &Model, value: &serde_json::Value, previous: Option<&str>) -> Result<Plan> {
    let sections = section_hashes(value);
    let mut revisions = match previous {
        Some(text) => {
            let old: Plan = serde_json::from_str(text).context("the existing plan is not a valid plan file")?;
            match verify_chain(&old.revisions) {
                // An older handoff's plan: its history is taken as it stands and chained now.
                Ok(()) | Err(ChainBreak::Unchained) => check_revisions(&old.revisions)?,
                Err(broken) => bail!(
                    "the existing plan's history is broken: {}; restore the plan from version control before building",
                    broken.describe()
                ),
            }
            let last = old.revisions.last().map(|r| r.brief_sha256.clone());
            if last.as_deref() == Some(model.meta.brief_sha256.as_str()) {
                old.revisions
            } else {
                let changed: Vec<String> = sections
                    .keys()
                    .chain(old.brief.sections.keys())
                    .collect::<BTreeSet<_>>()
                    .into_iter()
                    .filter(|k| sections.get(*k) != old.brief.sections.get(*k))
                    .cloned()
                    .collect();
                let mut revisions = old.revisions;
                revisions.push(Revision {
                    revision: u32::try_from(revisions.len() + 1).unwrap_or(u32::MAX),
                    at: model.meta.generated_at.clone(),
                    brief_sha256: model.meta.brief_sha256.clone(),
                    changed,
                    digest: None,
                });
                revisions
            }
        }
        None => vec![Revision {
            revision: 1,
            at: model.meta.generated_at.clone(),
            brief_sha256: model.meta.brief_sha256.clone(),
            changed: sections.keys().cloned().collect(),
            digest: None,
        }],
    };
    seal(&mut revisions);
    revisions.shrink_to_fit();
    let plan = content(model, sections, revisions);
    check_graph(&plan)?;
    Ok(plan)
}

/// Revisions must be numbered 1, 2, 3 … in order.
fn check_revisions(revisions: &[Revision]) -> Result<()> {
    for (i, r) in revisions.iter().enumerate() {
        if usize::try_from(r.revision).ok() != Some(i + 1) {
            bail!("the existing plan's revisions are out of order: entry {} is numbered {}", i + 1, r.revision);
        }
    }
    Ok(())
}

/// Serialise a plan the one way `build` and `check` agree on.
///
/// # Errors
/// Serialisation failure (not expected for these types).
pub(crate) fn to_json(plan: &Plan) -> Result<String> {
    let mut text = serde_json::to_string_pretty(plan).context("cannot serialise the plan")?;
    text.push('\n');
    Ok(text)
}

fn complexity(model: &Model) -> &'static str {
    let pods = model.pods.len();
    let zones: BTreeSet<&str> = model.pods.iter().map(|p| p.timezone.as_str()).collect();
    let rules = model.rule_count;
    match (pods, rules, zones.len()) {
        (p, r, z) if p >= 6 || r >= 12 || z >= 3 => "very-complex",
        (p, r, z) if p >= 3 || r >= 5 || z >= 2 => "complex",
        (p, r, _) if p >= 2 || r >= 2 => "medium",
        _ => "simple",
    }
}

fn task(id: &str, agent: &str, purpose: String, input: &[&str], output: &str, deps: &[&str]) -> Task {
    Task {
        task_id: id.to_owned(),
        agent: agent.to_owned(),
        purpose,
        input: input.iter().map(|s| (*s).to_owned()).collect(),
        output_var: output.to_owned(),
        dependencies: deps.iter().map(|s| (*s).to_owned()).collect(),
    }
}

fn content(model: &Model, sections: BTreeMap<String, String>, revisions: Vec<Revision>) -> Plan {
    let b = &model.brief;
    let diamond = !model.enablement.items.is_empty();
    let intake = task(
        "brief-intake",
        "revops-director",
        format!(
            "Confirm the funnel ({} stages), qualification criteria and score bands for {}",
            model.funnel.stages.len(),
            b.title
        ),
        &["brief.funnel", "brief.demand", "brief.success_metrics"],
        "scoring_config",
        &[],
    );
    let routing = task(
        "routing-blueprint",
        "routing-logic",
        format!(
            "Build the routing rules, fallback and enrichment fields in the CRM for {} pod{}",
            model.pods.len(),
            if model.pods.len() == 1 { "" } else { "s" }
        ),
        &["scoring_config", "brief.routing", "brief.capacity"],
        "routing_blueprint",
        &["brief-intake"],
    );
    let sla = task(
        "sla-model",
        "sla-modeller",
        format!("Staff every pod for a {} first-touch SLA and set the escalation timers", b.response_sla),
        &["routing_blueprint", "brief.capacity", "brief.escalation"],
        "sla_model",
        &["routing-blueprint"],
    );
    let enablement = task(
        "enablement-requirements",
        "enablement-kit",
        format!("Deliver {} enablement assets to the pods before launch on {}", model.enablement.items.len(), b.launch),
        &["scoring_config", "brief.enablement", "brief.dependencies"],
        "enablement_kit",
        if diamond { &["brief-intake"] } else { &["sla-model"] },
    );
    let approval = task(
        "approval-packet",
        "revops-director",
        format!("Collect sign-off from {} approvers on the approval packet", model.approvers.len()),
        &["routing_blueprint", "sla_model", "enablement_kit"],
        "approval_packet",
        &["sla-model", "enablement-requirements"],
    );
    let stage = |id: &str, name: &str, execution: &str, tasks: Vec<Task>| Stage {
        stage_id: id.to_owned(),
        name: name.to_owned(),
        execution: execution.to_owned(),
        tasks,
    };
    let stages = if diamond {
        vec![
            stage("intake", "Brief intake", "sequential", vec![intake]),
            stage("design", "Routing and enablement preparation", "parallel", vec![routing, enablement]),
            stage("capacity", "SLA modelling and escalation", "sequential", vec![sla]),
            stage("sign-off", "Approval", "sequential", vec![approval]),
        ]
    } else {
        vec![
            stage("intake", "Brief intake", "sequential", vec![intake]),
            stage("routing", "Routing blueprint", "sequential", vec![routing]),
            stage("capacity", "SLA modelling and escalation", "sequential", vec![sla]),
            stage("enablement", "Enablement requirements", "sequential", vec![enablement]),
            stage("sign-off", "Approval", "sequential", vec![approval]),
        ]
    };
    let pass = |var: &str, from: &str, to: &[&str], carries: &str| ContextPassing {
        output_var: var.to_owned(),
        from: from.to_owned(),
        to: to.iter().map(|s| (*s).to_owned()).collect(),
        carries: carries.to_owned(),
    };
    let context_passing = vec![
        pass(
            "scoring_config",
            "brief-intake",
            &["routing-blueprint", "enablement-requirements"],
            "stage definitions, score bands and their actions",
        ),
        pass(
            "routing_blueprint",
            "routing-blueprint",
            &["sla-model", "approval-packet"],
            "routing matrix, load per pod, enrichment fields",
        ),
        pass("sla_model", "sla-model", &["approval-packet"], "SLA tables, reps needed, escalation timers"),
        pass(
            "enablement_kit",
            "enablement-requirements",
            &["approval-packet"],
            "kit items per pod with owners and due dates",
        ),
    ];
    let tree = &model.escalation.tree;
    Plan {
        plan_id: format!("handoff-{}", b.id),
        objective: format!(
            "Launch “{}” ({} {}) on {}: every lead routed to an owner and touched within {} on the {} clock",
            b.title, b.segment, b.goal, b.launch, b.response_sla, b.sla_clock
        ),
        complexity: complexity(model).to_owned(),
        strategy: if diamond { "diamond" } else { "pipeline" }.to_owned(),
        merge_gate: diamond.then(|| "approval-packet".to_owned()),
        stages,
        context_passing,
        error_handling: ErrorHandling {
            retry_strategy: "retry failed automation and builds, then escalate to the task's owner".to_owned(),
            max_retries: model.retry_limit,
            fallback_plan: FallbackPlan {
                routing_fallback_pod: model.routing_fallback_pod.clone(),
                fallback_owners: model.escalation_fallbacks.clone(),
            },
            escalation: EscalationPlan {
                ladder: tree
                    .rungs
                    .iter()
                    .map(|r| LadderRung {
                        at_sla_multiple: r.at,
                        after_minutes: r.fires_after_minutes,
                        action: crate::model::slug(&r.action),
                        to: r.to.clone(),
                    })
                    .collect(),
                rip_cord: RipCord {
                    condition: format!(
                        "{} SLA breaches or routing failures over the guardrail within {}",
                        tree.rip_cord.breaches, model.escalation.rip_cord_window
                    ),
                    breaches: tree.rip_cord.breaches,
                    window_minutes: tree.rip_cord.window_minutes,
                    notify: tree.rip_cord.notify.clone(),
                },
            },
        },
        success_criteria: vec![
            format!("Every routing test in the brief reaches its expected rule and pod"),
            format!(
                "At least {:.0}% of leads touched within {} ({} clock)",
                model.success_metrics.sla_attainment * 100.0,
                b.response_sla,
                b.sla_clock
            ),
            format!("Every enablement asset delivered by its due date before launch on {}", b.launch),
            "Every approver has signed the approval packet".to_owned(),
        ],
        success_metrics: SuccessMetrics {
            sla_attainment: model.success_metrics.sla_attainment,
            acceptance_rate: model.success_metrics.acceptance_rate,
            conversion_lift: model.success_metrics.conversion_lift,
        },
        deliverables: deliverables(&b.id),
        brief: BriefRef { path: model.meta.brief_path.clone(), sha256: model.meta.brief_sha256.clone(), sections },
        revisions,
    }
}

/// Task ids are unique and dependencies name existing tasks and form no cycle.
///
/// # Errors
/// The first problem found, naming the task.
pub(crate) fn check_graph(plan: &Plan) -> Result<()> {
    let tasks: Vec<&Task> = plan.stages.iter().flat_map(|s| &s.tasks).collect();
    let mut ids = BTreeSet::new();
    for t in &tasks {
        if !ids.insert(t.task_id.as_str()) {
            bail!("task id `{}` is used twice", t.task_id);
        }
    }
    for t in &tasks {
        for d in &t.dependencies {
            if !ids.contains(d.as_str()) {
                bail!("task `{}` depends on `{d}`, which is not a task", t.task_id);
            }
        }
    }
    // Kahn's algorithm: if some task never reaches in-degree zero, there is a cycle.
    let mut indegree: BTreeMap<&str, usize> =
        tasks.iter().map(|t| (t.task_id.as_str(), t.dependencies.len())).collect();
    let mut ready: Vec<&str> = indegree.iter().filter(|(_, d)| **d == 0).map(|(k, _)| *k).collect();
    let mut seen = 0;
    while let Some(id) = ready.pop() {
        seen += 1;
        for t in &tasks {
            if t.dependencies.iter().any(|d| d == id)
                && let Some(n) = indegree.get_mut(t.task_id.as_str())
            {
                *n -= 1;
                if *n == 0 {
                    ready.push(t.task_id.as_str());
                }
            }
        }
    }
    if seen != tasks.len() {
        let stuck: Vec<&str> = indegree.iter().filter(|(_, d)| **d > 0).map(|(k, _)| *k).collect();
        bail!("task dependencies form a cycle through {}", stuck.join(", "));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan_with(tasks: Vec<(&str, Vec<&str>)>) -> Plan {
        Plan {
            plan_id: "p".into(),
            objective: "o".into(),
            complexity: "simple".into(),
            strategy: "pipeline".into(),
            merge_gate: None,
            stages: vec![Stage {
                stage_id: "s".into(),
                name: "s".into(),
                execution: "sequential".into(),
                tasks: tasks.into_iter().map(|(id, deps)| task(id, "a", "p".into(), &[], "v", &deps)).collect(),
            }],
            context_passing: vec![],
            error_handling: ErrorHandling {
                retry_strategy: "r".into(),
                max_retries: 2,
                fallback_plan: FallbackPlan { routing_fallback_pod: None, fallback_owners: BTreeMap::new() },
                escalation: EscalationPlan {
                    ladder: vec![],
                    rip_cord: RipCord { condition: "c".into(), breaches: 2, window_minutes: 1.0, notify: vec![] },
                },
            },
            success_criteria: vec![],
            success_metrics: SuccessMetrics { sla_attainment: 0.9, acceptance_rate: 0.8, conversion_lift: 0.1 },
            deliverables: vec![],
            brief: BriefRef { path: "b".into(), sha256: "s".into(), sections: BTreeMap::new() },
            revisions: vec![],
        }
    }

    #[test]
    fn graph_check_finds_duplicates_unknowns_and_cycles() {
        assert!(check_graph(&plan_with(vec![("a", vec![]), ("b", vec!["a"])])).is_ok());
        let dup = check_graph(&plan_with(vec![("a", vec![]), ("a", vec![])])).unwrap_err();
        assert!(dup.to_string().contains("used twice"), "{dup}");
        let unknown = check_graph(&plan_with(vec![("a", vec!["z"])])).unwrap_err();
        assert!(unknown.to_string().contains("`z`"), "{unknown}");
        let cycle = check_graph(&plan_with(vec![("a", vec!["c"]), ("b", vec!["a"]), ("c", vec!["b"])])).unwrap_err();
        assert!(cycle.to_string().contains("cycle"), "{cycle}");
    }

    #[test]
    fn section_hashes_ignore_key_order() {
        let a: serde_json::Value = serde_json::json!({"x": {"a": 1, "b": 2}, "y": [1, 2]});
        let b: serde_json::Value = serde_json::json!({"y": [1, 2], "x": {"b": 2, "a": 1}});
        assert_eq!(section_hashes(&a), section_hashes(&b));
        let c: serde_json::Value = serde_json::json!({"x": {"a": 1, "b": 3}, "y": [1, 2]});
        let (ha, hc) = (section_hashes(&a), section_hashes(&c));
        assert_ne!(ha["x"], hc["x"]);
        assert_eq!(ha["y"], hc["y"]);
    }

    /// The SMB example brief and its Model, as `build` makes them on 25 Nov 2026 (the brief's
    /// digest is a placeholder of 64 zeros).
    fn smb() -> (Model, serde_json::Value) {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("briefs/smb-activation.yaml");
        let loaded = crate::pipeline::load(&path, 1 << 20).expect("the example brief loads");
        let model = crate::model::build(&crate::model::Inputs {
            brief: &loaded.checked,
            path: "briefs/smb-activation.yaml".to_owned(),
            sha256: "0".repeat(64),
            now: "2026-11-25T12:00:00Z".parse().expect("a time"),
        });
        (model, loaded.value)
    }

    #[test]
    fn deliverables_are_the_four_documents_of_the_brief() {
        // DESIGN.md, "The outputs": out/X/design.md, checklist.md, enablement.md, approval-packet.html.
        assert_eq!(
            deliverables("acme"),
            ["acme/design.md", "acme/checklist.md", "acme/enablement.md", "acme/approval-packet.html"]
        );
    }

    #[test]
    fn complexity_steps_up_at_each_threshold() {
        // The thresholds as `complexity` states them: very complex from 6 pods, 12 rules or 3
        // zones; complex from 3 pods, 5 rules or 2 zones; medium from 2 pods or 2 rules.
        let (mut model, _) = smb();
        let pod = model.pods[0].clone();
        let zones = ["America/Chicago", "Europe/Berlin", "Asia/Tokyo"];
        let mut of = |pods: usize, rules: usize, zone_count: usize| {
            model.pods = (0..pods)
                .map(|i| {
                    let mut p = pod.clone();
                    p.timezone = zones[i % zone_count].to_owned();
                    p
                })
                .collect();
            model.rule_count = rules;
            complexity(&model)
        };
        for (pods, rules, zone_count, expected) in [
            (1, 1, 1, "simple"),
            (1, 0, 1, "simple"),
            (2, 1, 1, "medium"),
            (1, 2, 1, "medium"),
            (2, 4, 1, "medium"),
            (3, 1, 1, "complex"),
            (1, 5, 1, "complex"),
            (2, 1, 2, "complex"),
            (5, 11, 2, "complex"),
            (6, 1, 1, "very-complex"),
            (1, 12, 1, "very-complex"),
            (3, 1, 3, "very-complex"),
        ] {
            assert_eq!(of(pods, rules, zone_count), expected, "{pods} pods, {rules} rules, {zone_count} zones");
        }
    }

    #[test]
    fn enablement_items_make_the_plan_a_diamond() {
        // DESIGN.md, "The plan": `diamond` when routing and enablement preparation run in
        // parallel, with the merge gate named; otherwise a `pipeline` of the five tasks.
        let (mut model, _) = smb();
        assert!(!model.enablement.items.is_empty(), "the SMB brief asks for enablement assets");
        let stage_ids = |p: &Plan| p.stages.iter().map(|s| s.stage_id.clone()).collect::<Vec<_>>();
        let enablement_deps = |p: &Plan| {
            let tasks = p.stages.iter().flat_map(|s| &s.tasks);
            tasks.filter(|t| t.task_id == "enablement-requirements").map(|t| t.dependencies.clone()).collect::<Vec<_>>()
        };
        let diamond = content(&model, BTreeMap::new(), vec![]);
        assert_eq!(diamond.strategy, "diamond");
        assert_eq!(diamond.merge_gate.as_deref(), Some("approval-packet"));
        assert_eq!(stage_ids(&diamond), ["intake", "design", "capacity", "sign-off"]);
        assert_eq!(enablement_deps(&diamond), [["brief-intake"]]);
        model.enablement.items.clear();
        let pipeline = content(&model, BTreeMap::new(), vec![]);
        assert_eq!(pipeline.strategy, "pipeline");
        assert_eq!(pipeline.merge_gate, None);
        assert_eq!(stage_ids(&pipeline), ["intake", "routing", "capacity", "enablement", "sign-off"]);
        assert_eq!(enablement_deps(&pipeline), [["sla-model"]]);
    }

    #[test]
    fn a_cycle_names_only_the_tasks_caught_in_it() {
        // `a` has no dependency; `b` and `c` wait for each other, so Kahn's algorithm frees `a`
        // and leaves `b` and `c` each with one unmet dependency.
        let cycle = check_graph(&plan_with(vec![("a", vec![]), ("b", vec!["c"]), ("c", vec!["b", "a"])])).unwrap_err();
        assert_eq!(cycle.to_string(), "task dependencies form a cycle through b, c");
    }

    #[test]
    fn revisions_are_kept_for_the_same_brief_and_one_is_appended_for_a_changed_one() {
        let (model, value) = smb();
        let first = build(&model, &value, None).unwrap();
        assert_eq!(first.revisions.len(), 1);
        assert_eq!(first.revisions[0].revision, 1);
        // The first revision names every top-level section of the brief (as written in
        // briefs/smb-activation.yaml, in sorted order).
        let mut sections: Vec<&str> = "id title segment goal response_sla sla_clock timezone business_hours \
            holidays launch funnel demand capacity routing escalation dependencies enablement guardrails \
            success_metrics approvers"
            .split_whitespace()
            .collect();
        sections.sort_unstable();
        assert_eq!(first.revisions[0].changed, sections);
        assert_eq!(verify_chain(&first.revisions), Ok(()));
        // The same brief again: the same plan.
        let text = to_json(&first).unwrap();
        assert_eq!(build(&model, &value, Some(&text)).unwrap(), first);
        // A new title (a new digest): one more revision, numbered 2, naming only `title`.
        let (mut changed_model, mut changed_value) = (model.clone(), value.clone());
        changed_model.meta.brief_sha256 = "1".repeat(64);
        changed_value["title"] = "SMB activation, retitled".into();
        let second = build(&changed_model, &changed_value, Some(&text)).unwrap();
        assert_eq!(second.revisions.len(), 2);
        assert_eq!(second.revisions[0], first.revisions[0]);
        assert_eq!((second.revisions[1].revision, second.revisions[1].changed.clone()), (2, vec!["title".to_owned()]));
        assert_eq!(second.revisions[1].brief_sha256, "1".repeat(64));
        assert_eq!(verify_chain(&second.revisions), Ok(()));
        // And a third, numbered 3.
        changed_model.meta.brief_sha256 = "2".repeat(64);
        changed_value["launch"] = "2027-03-08".into();
        let third = build(&changed_model, &changed_value, Some(&to_json(&second).unwrap())).unwrap();
        assert_eq!((third.revisions[2].revision, third.revisions[2].changed.clone()), (3, vec!["launch".to_owned()]));
    }

    #[test]
    fn an_unchained_history_is_kept_when_numbered_in_order_and_refused_otherwise() {
        let (model, value) = smb();
        let mut changed_model = model.clone();
        changed_model.meta.brief_sha256 = "1".repeat(64);
        let mut old =
            build(&changed_model, &value, Some(&to_json(&build(&model, &value, None).unwrap()).unwrap())).unwrap();
        for r in &mut old.revisions {
            r.digest = None;
        }
        // Numbered 1, 2 and for the same brief: kept as it stands, and chained.
        let rebuilt = build(&changed_model, &value, Some(&to_json(&old).unwrap())).unwrap();
        assert_eq!(rebuilt.revisions.len(), 2);
        assert_eq!(verify_chain(&rebuilt.revisions), Ok(()));
        // Numbered 1, 3: refused, naming the entry.
        old.revisions[1].revision = 3;
        let err = build(&changed_model, &value, Some(&to_json(&old).unwrap())).unwrap_err();
        assert_eq!(err.to_string(), "the existing plan's revisions are out of order: entry 2 is numbered 3");
    }

    #[test]
    fn a_broken_history_is_refused_with_its_first_break() {
        let (model, value) = smb();
        let mut plan = build(&model, &value, None).unwrap();
        plan.revisions[0].at = "2026-11-25T18:00:00Z".into();
        let err = build(&model, &value, Some(&to_json(&plan).unwrap())).unwrap_err();
        assert!(
            err.to_string().starts_with("the existing plan's history is broken: revision 1: `digest` does not match"),
            "{err}"
        );
    }

    #[test]
    fn the_plan_text_is_pretty_json_ending_in_a_line_feed() {
        let (model, value) = smb();
        let plan = build(&model, &value, None).unwrap();
        let text = to_json(&plan).unwrap();
        assert!(text.starts_with("{\n  \"plan_id\": \"handoff-smb-activation\",\n"), "{text}");
        assert!(text.ends_with("\n}\n"));
        assert_eq!(serde_json::from_str::<Plan>(&text).unwrap(), plan);
    }

    #[test]
    fn sha256_matches_the_published_test_vector() {
        // FIPS 180-2, appendix B.1: SHA-256("abc").
        assert_eq!(sha256_hex(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
