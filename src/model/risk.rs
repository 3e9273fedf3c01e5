//! Risks found while building the Model: their severity, what kind of risk each is with the
//! facts behind it, and where in the brief it points.
//!
//! A risk is data. The sentence a person reads is written once, on the render side
//! (`render::words::risk_message`), so the design, the packet and the diagnostics say the same
//! thing about the same fact.

use serde::Serialize;

use super::advice::ClosedHours;
use crate::calc::routing::coverage::DeadReason;
use crate::diag::Rule;

/// A risk.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Risk {
    /// `high`, `medium` or `low`.
    pub severity: Severity,
    /// What is at risk, with its numbers.
    pub kind: RiskKind,
    /// JSON pointer into the brief of the value the risk is about (for diagnostics).
    #[serde(skip)]
    pub pointer: String,
}

impl Risk {
    /// A risk of `kind` at `pointer`.
    pub(crate) fn new(severity: Severity, kind: RiskKind, pointer: impl Into<String>) -> Self {
        Self { severity, kind, pointer: pointer.into() }
    }

    /// The area the risk belongs to.
    #[must_use]
    pub fn area(&self) -> Area {
        self.kind.area()
    }
}

/// Risk severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Blocks launch or breaks the SLA.
    High,
    /// Needs an owner's attention before launch.
    Medium,
    /// Worth knowing.
    Low,
}

impl Severity {
    /// `high`, `medium` or `low`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::High => "high",
            Self::Medium => "medium",
            Self::Low => "low",
        }
    }
}

/// The part of the design a risk is about. Declared in the order of their names, so sorting by
/// area reads alphabetically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Area {
    /// Demand assumptions.
    Demand,
    /// Systems and content the launch depends on.
    Dependencies,
    /// The enablement kit.
    Enablement,
    /// Routing coverage and load.
    Routing,
    /// The first-response SLA and the capacity behind it.
    Sla,
}

impl Area {
    /// `demand`, `dependencies`, `enablement`, `routing`, `sla`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Demand => "demand",
            Self::Dependencies => "dependencies",
            Self::Enablement => "enablement",
            Self::Routing => "routing",
            Self::Sla => "sla",
        }
    }

    /// The diagnostic rule a risk of this area is reported under (`risk-sla` …).
    #[must_use]
    pub fn rule(self) -> Rule {
        match self {
            Self::Demand => Rule::RiskDemand,
            Self::Dependencies => Rule::RiskDependencies,
            Self::Enablement => Rule::RiskEnablement,
            Self::Routing => Rule::RiskRouting,
            Self::Sla => Rule::RiskSla,
        }
    }
}

/// What is at risk, with the facts a sentence about it needs.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum RiskKind {
    /// A pod touches fewer leads within the SLA than the target.
    AttainmentUnderTarget {
        /// Pod id.
        pod: String,
        /// Share touched within the SLA.
        attainment: f64,
        /// Target share.
        target: f64,
        /// The SLA as written (`2h`).
        sla: String,
        /// Head count that reaches the target (none: no head count does).
        required_reps: Option<u32>,
    },
    /// A pod touches fewer leads within the SLA than the target, and no head count reaches it:
    /// leads arriving while the pod is closed miss, whoever waits at the opening.
    AttainmentCapped {
        /// Pod id.
        pod: String,
        /// Share touched within the SLA.
        attainment: f64,
        /// Target share.
        target: f64,
        /// The SLA as written (`2h`).
        sla: String,
        /// What closed hours allow at most, and why.
        closed: ClosedHours,
    },
    /// A pod is busier in open hours than the occupancy ceiling.
    OccupancyAboveMax {
        /// Pod id.
        pod: String,
        /// Occupancy in open hours.
        occupancy: f64,
        /// The ceiling.
        max: f64,
    },
    /// A pod of one: nobody covers absence.
    SingleRep {
        /// Pod id.
        pod: String,
    },
    /// The queueing model could not evaluate the pod (a model's own limit, such as Erlang A's
    /// series on an extreme queue, or a calendar with no open minute in the simulated weeks).
    SlaNotEvaluated {
        /// Pod id.
        pod: String,
        /// What the calculator reported.
        error: String,
    },
    /// The pod's queue does not settle within the longest warm-up the simulation runs: near
    /// capacity it forgets its empty start only slowly, so its simulated attainment is what the
    /// measured weeks show on the way to a steady state that is worse still.
    QueueNotSettled {
        /// Pod id.
        pod: String,
        /// Occupancy of the open hours, every lead counted.
        occupancy: Option<f64>,
        /// Weeks simulated before measuring.
        warmup_weeks: u32,
        /// Relaxation time of the queue in weeks (none: it grows without bound).
        relaxation_weeks: Option<f64>,
    },
    /// More first-touch work arrives than the pod can do.
    UnstableQueue {
        /// Pod id.
        pod: String,
        /// Offered traffic, erlangs.
        traffic_erlangs: f64,
        /// Productive reps today.
        productive_reps: u32,
        /// Productive reps that reach the target, when any do.
        required_productive_reps: Option<u32>,
        /// Fewest productive reps that do the work (the first whole number above the traffic):
        /// the head count that stops the queue growing.
        keeps_up_productive_reps: u32,
        /// With patience, the share of leads that go cold before a first touch in the
        /// simulation (the queue is bounded by the leads it loses); `None` without patience,
        /// where the queue grows without bound.
        cold_share: Option<f64>,
    },
    /// The routing and demand mix send a pod nothing.
    NoLeads {
        /// Pod id.
        pod: String,
    },
    /// Attributes the rules read have no shares in the demand mix.
    MixUnstated {
        /// The attributes.
        fields: Vec<String>,
    },
    /// Leads that nobody, not even the fallback, can take.
    Unrouted {
        /// Their share of demand.
        share: f64,
    },
    /// More leads fall to a fallback than the guardrail allows.
    FallbackOverGuardrail {
        /// Share placed by a fallback.
        share: f64,
        /// The guardrail.
        max: f64,
        /// Combinations of attribute values no rule matches.
        gaps: usize,
    },
    /// A rule that can never fire.
    DeadRule {
        /// Rule id.
        rule: String,
        /// Why.
        reason: DeadReason,
    },
    /// A field routing reads that `routing.enrichment` does not list.
    EnrichmentNotListed {
        /// The field.
        field: String,
    },
    /// Coverage was checked on part of the attribute space only.
    CoveragePartial {
        /// Combinations checked.
        enumerated: usize,
        /// Combinations in all.
        combinations: u64,
    },
    /// A dependency past its due date and not ready.
    DependencyPastDue {
        /// Its name.
        name: String,
        /// Due date, `YYYY-MM-DD`.
        due: String,
        /// Its status slug.
        status: String,
    },
    /// A dependency without an owner.
    DependencyNoOwner {
        /// Its name.
        name: String,
    },
    /// A blocked dependency.
    DependencyBlocked {
        /// Its name.
        name: String,
    },
    /// A dependency due after launch.
    DependencyAfterLaunch {
        /// Its name.
        name: String,
        /// Due date.
        due: String,
        /// Launch date.
        launch: String,
    },
    /// An enablement asset past its due date.
    AssetPastDue {
        /// Asset name.
        asset: String,
        /// Due date.
        due: String,
        /// Business days before launch it is due.
        lead_days: u32,
    },
    /// An enablement asset without an owner.
    AssetNoOwner {
        /// Asset name.
        asset: String,
    },
    /// Kit parts a pod lacks.
    KitGap {
        /// Pod id.
        pod: String,
        /// Missing part slugs.
        missing: Vec<String>,
    },
}

/// Drop a risk another one already says: a dependency past due and blocked is one risk, "was
/// due … and is blocked", not that and "is blocked" again.
pub(super) fn drop_repeated(risks: &mut Vec<Risk>) {
    let past_due_blocked: Vec<String> = risks
        .iter()
        .filter_map(|r| match &r.kind {
            RiskKind::DependencyPastDue { status, .. } if status == "blocked" => Some(r.pointer.clone()),
            _ => None,
        })
        .collect();
    risks.retain(|r| !(matches!(r.kind, RiskKind::DependencyBlocked { .. }) && past_due_blocked.contains(&r.pointer)));
}

impl RiskKind {
    /// The area this kind of risk belongs to.
    #[must_use]
    pub fn area(&self) -> Area {
        match self {
            Self::AttainmentUnderTarget { .. }
            | Self::AttainmentCapped { .. }
            | Self::OccupancyAboveMax { .. }
            | Self::SingleRep { .. }
            | Self::SlaNotEvaluated { .. }
            | Self::UnstableQueue { .. }
            | Self::QueueNotSettled { .. }
            | Self::NoLeads { .. } => Area::Sla,
            Self::MixUnstated { .. } => Area::Demand,
            Self::Unrouted { .. }
            | Self::FallbackOverGuardrail { .. }
            | Self::DeadRule { .. }
            | Self::EnrichmentNotListed { .. }
            | Self::CoveragePartial { .. } => Area::Routing,
            Self::DependencyPastDue { .. }
            | Self::DependencyNoOwner { .. }
            | Self::DependencyBlocked { .. }
            | Self::DependencyAfterLaunch { .. } => Area::Dependencies,
            Self::AssetPastDue { .. } | Self::AssetNoOwner { .. } | Self::KitGap { .. } => Area::Enablement,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_blocked_dependency_past_due_is_one_risk() {
        let at = |i: usize| format!("/dependencies/{i}");
        let past_due = |status: &str| RiskKind::DependencyPastDue {
            name: "CRM sync".into(),
            due: "2027-01-04".into(),
            status: status.into(),
        };
        let blocked = RiskKind::DependencyBlocked { name: "CRM sync".into() };
        let mut risks = vec![
            Risk::new(Severity::High, past_due("blocked"), at(0)),
            Risk::new(Severity::High, blocked.clone(), at(0)),
            // Another dependency of the same name, blocked but not past due: kept.
            Risk::new(Severity::High, blocked.clone(), at(1)),
            // Past due while in progress says nothing about being blocked.
            Risk::new(Severity::High, past_due("in-progress"), at(2)),
        ];
        drop_repeated(&mut risks);
        let left: Vec<(&RiskKind, &str)> = risks.iter().map(|r| (&r.kind, r.pointer.as_str())).collect();
        assert_eq!(
            left,
            [
                (&past_due("blocked"), "/dependencies/0"),
                (&blocked, "/dependencies/1"),
                (&past_due("in-progress"), "/dependencies/2")
            ]
        );
    }
}
