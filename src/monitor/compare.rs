//! Actual against design: what the design (the same Model `build` renders) predicts per pod,
//! and what the data shows where actual attainment falls short of it.
//!
//! A shortfall is explained by facts, not sentences (the words are in `render`): more leads a
//! week than the design expects (a capacity problem: update `demand.leads_per_week`, or the
//! pod's head count), more leads arriving while the pod is closed (update
//! `demand.after_hours_share`), reps carrying more than their share (weights, or a behaviour
//! problem), or none of these — load as designed, touches slower than the model: behaviour.
//! A pod far above its prediction is explained too, since the brief then staffs for what does
//! not happen: fewer leads a week than designed (update `demand.leads_per_week` or the mix), or
//! load as designed and touches faster than the model (`touch_minutes` or shrinkage is
//! pessimistic).

use std::collections::BTreeMap;

use serde::Serialize;

use super::MonitorReport;
use crate::brief::Reps;
use crate::checked;
use crate::model::Model;

/// Attainment this far below the prediction (or the target) counts as a shortfall to explain.
pub(crate) const TOLERANCE: f64 = 0.02;
/// Attainment this far above the prediction counts as a design to correct.
pub(crate) const ABOVE_MARGIN: f64 = 0.10;
/// Observed leads per week above the design by this factor is more demand than designed (and
/// below it by the same factor, less).
pub(crate) const DEMAND_FACTOR: f64 = 1.1;
/// Observed after-hours share above the design by this much is more than designed.
pub(crate) const AFTER_HOURS_MARGIN: f64 = 0.05;
/// A rep's share of the pod's leads above the expected share by this factor is over share.
pub(crate) const SHARE_FACTOR: f64 = 1.25;
/// Fewest leads a rep needs before their share is judged.
pub(crate) const MIN_REP_LEADS: u64 = 10;

/// What the design expects of one pod.
#[derive(Debug, Clone, PartialEq)]
pub struct PodDesign {
    /// Predicted share within the SLA (the design's attainment on the brief's clock).
    pub predicted_attainment: Option<f64>,
    /// Leads per week the routing load sends the pod.
    pub leads_per_week: f64,
    /// Share of the pod's leads arriving while it is closed.
    pub after_hours_share: f64,
    /// Expected share of the pod's direct leads per named rep (lower-case name → share).
    pub rep_shares: BTreeMap<String, f64>,
}

impl PodDesign {
    /// The expected share of `rep` (matched without case), when the design names them.
    #[must_use]
    pub fn expected_share(&self, rep: &str) -> Option<f64> {
        self.rep_shares.get(&rep.to_lowercase()).copied()
    }
}

/// The design's expectations, per pod in the brief's order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Design {
    /// Per pod.
    pub pods: Vec<PodDesign>,
}

impl Design {
    /// The expectations of a built Model.
    #[must_use]
    pub fn from_model(model: &Model) -> Self {
        let pods = model
            .pods
            .iter()
            .map(|pod| {
                let sla = model.sla.iter().find(|s| s.pod == pod.id);
                let load = model.routing.pod_loads.iter().find(|l| l.pod == pod.id);
                let direct: f64 = load.map_or(0.0, |l| l.reps.iter().map(|r| r.leads_per_week).sum());
                let rep_shares = load
                    .filter(|_| direct > 0.0)
                    .map(|l| l.reps.iter().map(|r| (r.rep.to_lowercase(), r.leads_per_week / direct)).collect())
                    .unwrap_or_default();
                PodDesign {
                    predicted_attainment: sla.map(|s| s.attainment),
                    leads_per_week: sla.map_or(0.0, |s| s.leads_per_week),
                    after_hours_share: sla.map_or(0.0, |s| s.after_hours_share),
                    rep_shares,
                }
            })
            .collect();
        Self { pods }
    }

    /// The prediction over all pods, weighted by designed leads per week.
    #[must_use]
    pub fn overall(&self) -> Option<f64> {
        let weight: f64 = self.pods.iter().filter(|p| p.predicted_attainment.is_some()).map(|p| p.leads_per_week).sum();
        (weight > 0.0).then(|| {
            self.pods.iter().filter_map(|p| p.predicted_attainment.map(|a| a * p.leads_per_week)).sum::<f64>() / weight
        })
    }
}

/// Named reps → their pod's index (lower-case names; the first pod naming a rep wins).
pub(crate) fn owner_pods(brief: &checked::Brief) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for (i, pod) in brief.raw().capacity.pods.iter().enumerate() {
        if let Reps::Named(reps) = &pod.reps {
            for rep in reps {
                out.entry(rep.name.trim().to_lowercase()).or_insert(i);
            }
        }
    }
    out
}

/// One fact that explains a gap between actual and design.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Finding {
    /// The pod got more leads a week than designed: capacity.
    DemandAboveDesign {
        /// Pod id.
        pod: String,
        /// Observed leads per week.
        observed: f64,
        /// Designed leads per week.
        designed: f64,
    },
    /// More of the pod's leads arrived while it was closed than designed.
    AfterHoursAboveDesign {
        /// Pod id.
        pod: String,
        /// Observed share.
        observed: f64,
        /// Designed share.
        designed: f64,
    },
    /// A rep carried more than their share of the pod's leads.
    RepOverShare {
        /// Pod id.
        pod: String,
        /// Rep.
        rep: String,
        /// Observed share.
        share: f64,
        /// Expected share.
        expected: f64,
    },
    /// The pod got fewer leads a week than designed and beat its prediction: the design staffs
    /// for demand that does not come.
    DemandBelowDesign {
        /// Pod id.
        pod: String,
        /// Observed leads per week.
        observed: f64,
        /// Designed leads per week.
        designed: f64,
        /// Actual attainment.
        actual: f64,
        /// Predicted attainment.
        predicted: f64,
    },
    /// The load was as designed (or more) and the pod beat its prediction by far: touches
    /// faster than the model (its touch time or shrinkage is pessimistic).
    FasterThanDesign {
        /// Pod id.
        pod: String,
        /// Observed leads per week.
        observed: f64,
        /// Designed leads per week.
        designed: f64,
        /// More leads a week than designed (by [`DEMAND_FACTOR`]), and still above prediction.
        more_than_designed: bool,
        /// Actual attainment.
        actual: f64,
        /// Predicted attainment.
        predicted: f64,
    },
    /// The load was as designed and still the pod fell short: touches slower than the model.
    SlowerThanDesign {
        /// Pod id.
        pod: String,
        /// Actual attainment.
        actual: f64,
        /// Predicted attainment.
        predicted: f64,
    },
}

/// The findings for every pod whose attainment falls short of its prediction or the target,
/// or beats its prediction by more than [`ABOVE_MARGIN`].
#[must_use]
pub(crate) fn findings(report: &MonitorReport) -> Vec<Finding> {
    let mut out = Vec::new();
    for pod in &report.by_pod {
        let Some(actual) = pod.figures.attainment else { continue };
        if let Some(predicted) = pod.predicted_attainment
            && actual > predicted + ABOVE_MARGIN
        {
            let (observed, designed) = (pod.observed_per_week, pod.designed_per_week);
            out.push(if designed > 0.0 && observed * DEMAND_FACTOR < designed {
                Finding::DemandBelowDesign { pod: pod.pod.clone(), observed, designed, actual, predicted }
            } else {
                Finding::FasterThanDesign {
                    pod: pod.pod.clone(),
                    observed,
                    designed,
                    more_than_designed: designed > 0.0 && observed > designed * DEMAND_FACTOR,
                    actual,
                    predicted,
                }
            });
            continue;
        }
        let predicted = pod.predicted_attainment.unwrap_or(report.target);
        if actual + TOLERANCE >= predicted.min(report.target) {
            continue;
        }
        let before = out.len();
        if pod.designed_per_week > 0.0 && pod.observed_per_week > pod.designed_per_week * DEMAND_FACTOR {
            out.push(Finding::DemandAboveDesign {
                pod: pod.pod.clone(),
                observed: pod.observed_per_week,
                designed: pod.designed_per_week,
            });
        }
        if let Some(observed) = pod.after_hours_share
            && observed > pod.designed_after_hours_share + AFTER_HOURS_MARGIN
        {
            out.push(Finding::AfterHoursAboveDesign {
                pod: pod.pod.clone(),
                observed,
                designed: pod.designed_after_hours_share,
            });
        }
        for rep in report.by_rep.iter().filter(|r| r.pod == pod.pod && r.figures.leads >= MIN_REP_LEADS) {
            if let Some(expected) = rep.expected_share
                && rep.share > expected * SHARE_FACTOR
            {
                out.push(Finding::RepOverShare {
                    pod: pod.pod.clone(),
                    rep: rep.rep.clone(),
                    share: rep.share,
                    expected,
                });
            }
        }
        if out.len() == before {
            out.push(Finding::SlowerThanDesign { pod: pod.pod.clone(), actual, predicted });
        }
    }
    out
}
