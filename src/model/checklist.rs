//! The data and tooling checklist: lead fields routing reads, integrations and automation
//! flows, with owners, status and due dates.

use std::collections::{BTreeMap, BTreeSet};

use jiff::civil::Date;
use serde::Serialize;

use super::{Risk, RiskKind, Severity, slug};
use crate::brief::{Brief, Dependency, DependencyKind, Method, Status};
use crate::calc::enablement::{self, Flag};

/// Data and tooling checklist.
#[derive(Debug, Clone, Serialize)]
pub struct Checklist {
    /// Lead fields routing and scoring need.
    pub fields: Vec<FieldItem>,
    /// Integrations, enrichment and scoring systems.
    pub integrations: Vec<DependencyView>,
    /// The brief's automation flows.
    pub automations: Vec<DependencyView>,
    /// The flows the design implies whether or not the brief lists them, to build by launch.
    pub implied: Vec<ImpliedFlow>,
    /// When the implied flows are due: launch.
    pub implied_due: String,
    /// Other dependencies (content, dashboards).
    pub other: Vec<DependencyView>,
}

/// A lead field that must exist and be filled.
#[derive(Debug, Clone, Serialize)]
pub struct FieldItem {
    /// Field name.
    pub field: String,
    /// What needs it.
    pub needed_for: Vec<Need>,
    /// Rules that read it.
    pub rules: Vec<String>,
    /// Who fills it: the owner of the brief's enrichment (or, for the lead score, scoring)
    /// dependency; `None` when no such dependency names one (the default owner's).
    pub owner: Option<String>,
    /// Status slug.
    pub status: String,
    /// True for the lead score when score bands exist but `funnel.score_field` names no field
    /// (`field` is then empty: the checklist names no field the brief does not).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub unnamed: bool,
}

/// What a lead field is needed for. Declared in the order of their names, so a field's needs
/// list alphabetically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Need {
    /// `account_owner` routing reads the owner from it.
    AccountOwner,
    /// `routing.enrichment` lists it.
    Enrichment,
    /// A routing rule's condition reads it.
    RoutingCondition,
    /// Score bands read the lead score.
    Scoring,
    /// `territory` routing reads it.
    Territory,
}

/// An automation flow the design implies: without it the routing, the SLA timers and the
/// rip-cord exist only on paper. Each is due at launch, owned by the default owner, and still to
/// build.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ImpliedFlow {
    /// The CRM's assignment rule for one routing rule.
    AssignmentRule {
        /// The routing rule's id.
        rule: String,
    },
    /// The fallback assignment and the alert on an unrouted lead.
    FallbackAndUnroutedAlert,
    /// The SLA timer of every escalation rung.
    SlaTimers,
    /// The rip-cord alert to leadership.
    RipCordAlert,
}

/// A dependency, ready to print.
#[derive(Debug, Clone, Serialize)]
pub struct DependencyView {
    /// Name.
    pub name: String,
    /// Kind slug.
    pub kind: String,
    /// Owner (empty when missing: flagged).
    pub owner: String,
    /// Status slug.
    pub status: String,
    /// True when its status is `ready` (its checkbox is ticked).
    pub ready: bool,
    /// Due date.
    pub due: String,
    /// Flags (`past-due`, `no-owner` …).
    pub flags: Vec<String>,
    /// True when implied by the design rather than listed in the brief.
    pub implied: bool,
}

fn dep_view(dep: &Dependency, due: Date, flags: &[Flag]) -> DependencyView {
    DependencyView {
        name: dep.name.clone(),
        kind: slug(&dep.kind),
        owner: dep.owner.clone().unwrap_or_default(),
        status: slug(&dep.status),
        ready: dep.status == Status::Ready,
        due: due.to_string(),
        flags: flags.iter().map(slug).collect(),
        implied: false,
    }
}

pub(super) fn checklist(checked: &crate::checked::Brief, launch: Date, today: Date) -> (Checklist, Vec<Risk>) {
    let brief = checked.raw();
    let scheduled = enablement::schedule_dependencies(&brief.dependencies, checked.dependency_dues(), launch, today);
    let mut risks = Vec::new();
    let (mut integrations, mut automations, mut other) = (Vec::new(), Vec::new(), Vec::new());
    for s in &scheduled {
        let dep = &brief.dependencies[s.index];
        let view = dep_view(dep, s.due, &s.flags);
        for flag in &s.flags {
            let name = dep.name.clone();
            let (severity, kind) = match flag {
                Flag::PastDue => (
                    Severity::High,
                    RiskKind::DependencyPastDue { name, due: s.due.to_string(), status: view.status.clone() },
                ),
                Flag::NoOwner => (Severity::Medium, RiskKind::DependencyNoOwner { name }),
                Flag::Blocked => (Severity::High, RiskKind::DependencyBlocked { name }),
                Flag::AfterLaunch => (
                    Severity::High,
                    RiskKind::DependencyAfterLaunch { name, due: s.due.to_string(), launch: launch.to_string() },
                ),
            };
            risks.push(Risk::new(severity, kind, format!("/dependencies/{}", s.index)));
        }
        match dep.kind {
            DependencyKind::Integration | DependencyKind::Enrichment | DependencyKind::Scoring => {
                integrations.push(view);
            }
            DependencyKind::Automation | DependencyKind::Sequence => automations.push(view),
            _ => other.push(view),
        }
    }
    let implied = brief
        .routing
        .rules
        .iter()
        .map(|rule| ImpliedFlow::AssignmentRule { rule: rule.id.clone() })
        .chain([ImpliedFlow::FallbackAndUnroutedAlert, ImpliedFlow::SlaTimers, ImpliedFlow::RipCordAlert])
        .collect();

    let fields = field_items(brief);
    (Checklist { fields, integrations, automations, implied, implied_due: launch.to_string(), other }, risks)
}

fn field_items(brief: &Brief) -> Vec<FieldItem> {
    let mut fields: BTreeMap<String, (BTreeSet<Need>, BTreeSet<String>)> = BTreeMap::new();
    let mut need = |field: &str, why: Need, rule: Option<&str>| {
        let entry = fields.entry(field.to_owned()).or_default();
        entry.0.insert(why);
        if let Some(rule) = rule {
            entry.1.insert(rule.to_owned());
        }
    };
    for rule in &brief.routing.rules {
        for field in rule.when.keys() {
            need(field, Need::RoutingCondition, Some(&rule.id));
        }
        for assign in std::iter::once(&rule.assign).chain(rule.fallback.as_ref()) {
            match assign.method {
                Method::Territory => need(assign.field.as_deref().unwrap_or("region"), Need::Territory, Some(&rule.id)),
                Method::AccountOwner => {
                    need(assign.field.as_deref().unwrap_or("account_owner"), Need::AccountOwner, Some(&rule.id));
                }
                _ => {}
            }
        }
    }
    for field in &brief.routing.enrichment {
        need(field, Need::Enrichment, None);
    }
    // The score field as the funnel names it; unnamed, an empty name (sorted first) marked
    // `unnamed` below, rather than a guessed `lead_score` (issue 12).
    if !brief.funnel.score_bands.is_empty() {
        need(brief.funnel.score_field.as_deref().map_or("", str::trim), Need::Scoring, None);
    }
    let enrichment_owner = brief
        .dependencies
        .iter()
        .find(|d| d.kind == DependencyKind::Enrichment)
        .and_then(|d| d.owner.clone().map(|o| (o, d.status)));
    let scoring_owner = brief
        .dependencies
        .iter()
        .find(|d| d.kind == DependencyKind::Scoring)
        .and_then(|d| d.owner.clone().map(|o| (o, d.status)));
    fields
        .into_iter()
        .map(|(field, (why, rules))| {
            let source = if why.contains(&Need::Scoring) { scoring_owner.clone() } else { enrichment_owner.clone() };
            let (owner, status) = match source {
                Some((owner, status)) => (Some(owner), slug(&status)),
                None => (None, slug(&Status::NotStarted)),
            };
            FieldItem {
                unnamed: field.is_empty(),
                field,
                needed_for: why.into_iter().collect(),
                rules: rules.into_iter().collect(),
                owner,
                status,
            }
        })
        .collect()
}
