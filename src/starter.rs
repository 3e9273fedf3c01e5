//! The starter brief `handoff init` writes: a brief that validates and builds as it is, with
//! a comment on every section, ready to edit.
//!
//! The text is here rather than in the command so the command only turns its arguments into the
//! values below.

/// The values a starter brief is written with.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Starter<'a> {
    /// Path of the brief schema as seen from the brief (the yaml-language-server modeline).
    pub(crate) schema: &'a str,
    /// The brief's id.
    pub(crate) id: &'a str,
    /// Segment slug (`mid-market`).
    pub(crate) segment: &'a str,
    /// Goal slug (`pipeline`).
    pub(crate) goal: &'a str,
    /// First-response SLA as written (`2h`).
    pub(crate) sla: &'a str,
    /// Inbound leads per week.
    pub(crate) leads_per_week: u32,
    /// Reps on the one pod.
    pub(crate) reps: u32,
    /// Minutes per first touch.
    pub(crate) touch_minutes: u32,
    /// The pod's role (`SDR`).
    pub(crate) role: &'a str,
}

impl Starter<'_> {
    /// The brief's text.
    pub(crate) fn text(&self) -> String {
        let Self { schema, id, segment: seg, goal, sla, leads_per_week: leads, reps, touch_minutes: touch, role } =
            *self;
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
}

/// The modeline's path: `target` as seen from the folder `brief_dir`, both relative to `cwd`
/// unless absolute (`init ../other/x.yaml` from `sub/` points at `../sub/schemas/…`). Paths are
/// resolved lexically (`.` and `..`), as an editor resolves the modeline from the brief's own
/// folder; forward slashes on every platform. A target on another drive stays absolute.
pub(crate) fn path_from(brief_dir: &std::path::Path, target: &std::path::Path, cwd: &std::path::Path) -> String {
    use std::path::{Component, PathBuf};
    fn absolute<'a>(p: &'a std::path::Path, cwd: &'a std::path::Path) -> Vec<Component<'a>> {
        let mut out: Vec<Component<'a>> = Vec::new();
        let joined: Vec<Component<'a>> =
            if p.is_absolute() { p.components().collect() } else { cwd.components().chain(p.components()).collect() };
        for c in joined {
            match c {
                Component::CurDir => {}
                Component::ParentDir => {
                    if matches!(out.last(), Some(Component::Normal(_))) {
                        out.pop();
                    }
                }
                c => out.push(c),
            }
        }
        out
    }
    let (from, to) = (absolute(brief_dir, cwd), absolute(target, cwd));
    if from.first() != to.first() {
        return to.iter().collect::<PathBuf>().to_string_lossy().replace('\\', "/");
    }
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".to_owned(); from.len() - common];
    parts.extend(to[common..].iter().map(|c| c.as_os_str().to_string_lossy().into_owned()));
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::path_from;
    use std::path::Path;

    #[test]
    fn the_modeline_resolves_from_the_briefs_own_folder() {
        let schema = Path::new("schemas/brief.schema.json");
        let cwd = Path::new("/p/sub");
        assert_eq!(path_from(Path::new(""), schema, cwd), "schemas/brief.schema.json");
        assert_eq!(path_from(Path::new("briefs"), schema, cwd), "../schemas/brief.schema.json");
        assert_eq!(path_from(Path::new("../other"), schema, cwd), "../sub/schemas/brief.schema.json");
        assert_eq!(path_from(Path::new("./a/../b/c"), schema, cwd), "../../schemas/brief.schema.json");
        assert_eq!(path_from(Path::new("/tmp/x"), schema, cwd), "../../p/sub/schemas/brief.schema.json");
        assert_eq!(path_from(Path::new("/p/sub/briefs"), schema, cwd), "../schemas/brief.schema.json");
        assert_eq!(path_from(Path::new("/"), schema, Path::new("/")), "schemas/brief.schema.json");
    }
}
