//! `handoff init`: write a starter brief that validates, ready to edit.
//!
//! The first line is the yaml-language-server modeline pointing at the brief schema, so editors
//! complete and check the brief as it is typed. When the schema is not in the project yet, it is
//! written too (`schemas/brief.schema.json`), so the modeline never points at nothing.

use std::io::Write as _;
use std::path::{Component, Path, PathBuf};

use anyhow::{Result, bail};

use crate::calc::duration::Duration;
use crate::cli::{GoalArg, InitArgs, SegmentArg};
use crate::{output, schema};

/// Run `handoff init`.
///
/// # Errors
/// A bad `--response-sla`, an existing file without `--force`, or an I/O error.
pub fn run(args: &InitArgs) -> Result<bool> {
    let sla = Duration::parse(&args.response_sla).map_err(|e| anyhow::anyhow!("--response-sla: {e}"))?;
    let schema_path = PathBuf::from("schemas/brief.schema.json");
    let modeline = relative_to(&schema_path, args.path.parent().unwrap_or(Path::new("")));
    let text = starter(args.segment, args.goal, &sla.to_string(), &id_from(&args.path), &modeline);
    if args.force {
        output::write_atomic(&args.path, text.as_bytes())?;
    } else if args.path.exists() {
        bail!("{} already exists; pass --force to overwrite it", args.path.display());
    } else {
        output::create_new(&args.path, text.as_bytes())?;
    }
    writeln!(std::io::stdout(), "wrote {}", args.path.display())?;
    if !schema_path.exists() {
        output::write_atomic(&schema_path, schema::BRIEF_SCHEMA.as_bytes())?;
        writeln!(std::io::stdout(), "wrote {} (the schema the brief's first line points at)", schema_path.display())?;
    }
    writeln!(
        std::io::stdout(),
        "next: edit it, then `handoff validate {}` and `handoff build {}`",
        args.path.display(),
        args.path.display()
    )?;
    Ok(true)
}

/// `schemas/x.json` as seen from `dir` (`briefs` → `../schemas/x.json`).
fn relative_to(target: &Path, dir: &Path) -> String {
    let ups = dir.components().filter(|c| matches!(c, Component::Normal(_))).count();
    let mut rel = "../".repeat(ups);
    rel.push_str(&target.to_string_lossy().replace('\\', "/"));
    rel
}

/// A valid id from the file name (`briefs/EMEA Inbound.yaml` → `emea-inbound`).
fn id_from(path: &Path) -> String {
    let stem = path.file_stem().map(|s| s.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    let mut id: String = stem.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
    while id.contains("--") {
        id = id.replace("--", "-");
    }
    let id = id.trim_matches('-');
    let mut id: String = id.chars().take(63).collect();
    if id.is_empty() {
        id = "new-handoff".to_owned();
    }
    id
}

fn segment_slug(s: SegmentArg) -> &'static str {
    match s {
        SegmentArg::Enterprise => "enterprise",
        SegmentArg::MidMarket => "mid-market",
        SegmentArg::Smb => "smb",
        SegmentArg::Partner => "partner",
    }
}

fn goal_slug(g: GoalArg) -> &'static str {
    match g {
        GoalArg::Pipeline => "pipeline",
        GoalArg::Expansion => "expansion",
        GoalArg::ProductActivation => "product-activation",
        GoalArg::Abm => "abm",
    }
}

/// The starter brief. Volumes and team sizes follow the segment so the first build shows
/// realistic numbers rather than zeros.
fn starter(segment: SegmentArg, goal: GoalArg, sla: &str, id: &str, schema: &str) -> String {
    let (leads, reps, touch, role) = match segment {
        SegmentArg::Enterprise => (150, 4, 25, "SDR"),
        SegmentArg::MidMarket => (300, 5, 15, "SDR"),
        SegmentArg::Smb => (1200, 8, 8, "SDR"),
        SegmentArg::Partner => (80, 2, 30, "PM"),
    };
    let seg = segment_slug(segment);
    let goal = goal_slug(goal);
    format!(
        r#"# yaml-language-server: $schema={schema}
# A handoff brief: edit the values, then run `handoff validate` and `handoff build`.

# Who this design is for and what it promises.
id: {id}
title: New {seg} handoff
segment: {seg}            # enterprise | mid-market | smb | partner
goal: {goal}                # pipeline | expansion | product-activation | abm
response_sla: {sla}            # first touch within this: 15m, 2h, 1d, 1h30m
sla_clock: business         # business (only open hours count) | calendar

# When the team is open; enablement due dates count back from launch in these business days.
timezone: America/New_York
business_hours: {{ days: [mon, tue, wed, thu, fri], open: "09:00", close: "17:00" }}
holidays: []
launch: 2027-03-01

# Funnel stages, qualification and what each score band does.
funnel:
  stages:
    - {{ id: mql, name: Marketing qualified, entry: "score of 60 or more and a business email" }}
    - {{ id: sal, name: Sales accepted, entry: "accepted by the owner within the SLA" }}
    - {{ id: sql, name: Sales qualified, entry: "discovery call held" }}
  qualification: [budget, authority, need, timeline]
  score_bands:
    - {{ min: 80, action: route-to-ae }}
    - {{ min: 60, action: sdr-follow-up }}
    - {{ min: 40, action: nurture }}
    - {{ min: 0, action: recycle }}

# Inbound volume that reaches the handoff, and its mix by the attributes routing uses.
demand:
  leads_per_week: {leads}
  mix:
    region: {{ east: 0.5, west: 0.5 }}

# The pods that take leads: reps, shrinkage and minutes per first touch.
capacity:
  pods:
    - {{ id: inbound, role: {role}, reps: {reps}, shrinkage: 0.3, touch_minutes: {touch} }}

# Ordered rules: the first match assigns; the fallback catches the rest.
routing:
  attributes:
    region: [east, west]
  enrichment: [region]
  rules:
    - id: all-regions
      when: {{ region: [east, west] }}
      assign: {{ method: round_robin, pod: inbound }}
  fallback: {{ method: round_robin, pod: inbound }}
  tests:
    - lead: {{ region: east }}
      expect: {{ rule: all-regions, pod: inbound }}

# Who hears about a lead that is not touched in time (multiples of the SLA).
escalation:
  ladder:
    - {{ at: 1.0, action: remind, to: owner }}
    - {{ at: 1.5, action: reassign, to: pod }}
    - {{ at: 2.0, action: escalate, to: RevOps Director }}
  rip_cord: {{ breaches: 2, window: 48h, notify: [Sales leadership, Marketing leadership] }}

# Systems and content that must be ready before launch.
dependencies:
  - {{ name: Lead scoring model, kind: scoring, owner: Marketing Ops, status: in-progress }}

# What each pod needs, with owner and lead time in business days before launch.
enablement:
  - {{ asset: Context brief, kind: context-brief, pods: [inbound], owner: Product Marketing, lead_time: 10d }}
  - {{ asset: Talk track, kind: talk-track, pods: [inbound], owner: Sales Enablement, lead_time: 8d }}
  - {{ asset: Case studies, kind: collateral, pods: [inbound], owner: Product Marketing, lead_time: 8d }}
  - {{ asset: CRM and sequence instructions, kind: system-instructions, pods: [inbound], owner: RevOps, lead_time: 5d }}
  - {{ asset: Lead feedback channel, kind: feedback-channel, pods: [inbound], owner: RevOps, lead_time: 3d }}

# Retries for automation failures, targets, and who signs.
guardrails: {{ retry_limit: 2 }}
success_metrics: {{ sla_attainment: 0.9, acceptance_rate: 0.8, conversion_lift: 0.1 }}
approvers:
  - {{ role: RevOps Director }}
  - {{ role: VP Sales }}
"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_slugs_from_the_file_name() {
        assert_eq!(id_from(Path::new("briefs/EMEA Inbound.yaml")), "emea-inbound");
        assert_eq!(id_from(Path::new("--.yaml")), "new-handoff");
    }

    #[test]
    fn modeline_is_relative_to_the_brief() {
        assert_eq!(
            relative_to(Path::new("schemas/brief.schema.json"), Path::new("briefs")),
            "../schemas/brief.schema.json"
        );
        assert_eq!(relative_to(Path::new("schemas/brief.schema.json"), Path::new("")), "schemas/brief.schema.json");
    }
}
