//! The brief's own facts, ready to print: funnel and score bands, demand, pods.

use serde::Serialize;

use super::{HoursView, hours_view, slug};
use crate::brief::{Brief, Reps};

/// Funnel view.
#[derive(Debug, Clone, Serialize)]
pub struct FunnelView {
    /// Stages as written.
    pub stages: Vec<crate::brief::Stage>,
    /// Qualification criteria.
    pub qualification: Vec<String>,
    /// Score bands, highest first, with their upper bound.
    pub bands: Vec<BandView>,
}

/// A score band with its range.
#[derive(Debug, Clone, Serialize)]
pub struct BandView {
    /// Lowest score (inclusive).
    pub min: f64,
    /// Next band's minimum (exclusive), or none for the top band.
    pub below: Option<f64>,
    /// Action slug.
    pub action: String,
    /// Optional label.
    pub label: Option<String>,
}

/// Demand view.
#[derive(Debug, Clone, Serialize)]
pub struct DemandView {
    /// Leads per calendar week.
    pub leads_per_week: f64,
    /// Leads per calendar day.
    pub leads_per_day: f64,
    /// Mix rows: attribute, value, share.
    pub mix: Vec<MixRow>,
}

/// One share of the demand mix.
#[derive(Debug, Clone, Serialize)]
pub struct MixRow {
    /// Attribute.
    pub attribute: String,
    /// Value or range.
    pub value: String,
    /// Share 0–1 (of the leads with `by` = `given`, when given).
    pub share: f64,
    /// The attribute the share depends on, when the mix is conditional.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    /// The value of `by` the share applies to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub given: Option<String>,
}

/// A pod, ready to print.
#[derive(Debug, Clone, Serialize)]
pub struct PodView {
    /// Id.
    pub id: String,
    /// Display name (the id when none).
    pub name: String,
    /// Role (`SDR`).
    pub role: String,
    /// Head count.
    pub reps: u32,
    /// Named reps, in the brief's order (empty for a head count).
    pub named_reps: Vec<NamedRep>,
    /// Shrinkage 0–1.
    pub shrinkage: f64,
    /// Availability 0–1 as the brief gives it (shrinkage is then `1 − availability`); none when
    /// the brief gives shrinkage.
    pub availability: Option<f64>,
    /// Minutes per first touch.
    pub touch_minutes: f64,
    /// The pod's zone.
    pub timezone: String,
    /// The pod's hours.
    pub hours: HoursView,
    /// Mean patience, as written.
    pub patience: Option<String>,
}

/// A named rep of a pod.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NamedRep {
    /// Name, as the brief writes it.
    pub name: String,
    /// False when the rep takes no new leads (leave, ramp-down).
    pub available: bool,
}

pub(super) fn funnel_view(brief: &Brief) -> FunnelView {
    let mut bands = brief.funnel.score_bands.clone();
    bands.sort_by(|a, b| b.min.total_cmp(&a.min));
    let bands = bands
        .iter()
        .enumerate()
        .map(|(i, band)| {
            let below = i.checked_sub(1).and_then(|j| bands.get(j)).map(|b| b.min);
            BandView { min: band.min, below, action: slug(&band.action), label: band.label.clone() }
        })
        .collect();
    FunnelView { stages: brief.funnel.stages.clone(), qualification: brief.funnel.qualification.clone(), bands }
}

pub(super) fn demand_view(checked: &crate::checked::Brief) -> DemandView {
    let brief = checked.raw();
    let per_week = checked.leads_per_week();
    // Number ranges in numeric order (`<1000`, `1000-4999`, `5000-9999`, `10000+`; issue 12),
    // other values as the brief's map orders them.
    let mix = brief
        .demand
        .mix
        .iter()
        .flat_map(|(attribute, mix)| {
            mix.branches().into_iter().flat_map(move |(given, shares)| {
                let mut values: Vec<(&String, &f64)> = shares.iter().collect();
                crate::calc::routing::coverage::sort_mix_labels(&mut values, |(label, _)| label.as_str());
                values.into_iter().map(move |(value, share)| MixRow {
                    attribute: attribute.clone(),
                    value: value.clone(),
                    share: *share,
                    by: mix.by().map(str::to_owned),
                    given: given.map(str::to_owned),
                })
            })
        })
        .collect();
    DemandView { leads_per_week: per_week, leads_per_day: per_week / 7.0, mix }
}

pub(super) fn pods_view(checked: &crate::checked::Brief) -> Vec<PodView> {
    let brief = checked.raw();
    brief
        .capacity
        .pods
        .iter()
        .zip(checked.pods())
        .map(|(pod, own)| {
            let zone = pod.timezone.as_deref().unwrap_or(&brief.timezone);
            let hours = pod.business_hours.as_ref().unwrap_or(&brief.business_hours);
            PodView {
                id: pod.id.clone(),
                name: pod.name.clone().unwrap_or_else(|| pod.id.clone()),
                role: slug(&pod.role),
                reps: own.head_count(),
                named_reps: match &pod.reps {
                    Reps::Count(_) => Vec::new(),
                    Reps::Named(list) => {
                        list.iter().map(|r| NamedRep { name: r.name.clone(), available: r.available }).collect()
                    }
                },
                shrinkage: own.shrinkage().get(),
                availability: pod.availability,
                touch_minutes: pod.touch_minutes,
                timezone: zone.to_owned(),
                hours: hours_view(hours, own.calendar()),
                patience: pod.patience.clone(),
            }
        })
        .collect()
}
