//! The enablement kit: items with business-day due dates, per-pod kits and their gaps,
//! objection tables.

use jiff::civil::Date;
use serde::Serialize;

use super::{Risk, RiskKind, Severity, slug};
use crate::brief::{AssetKind, EnablementItem, Objection};
use crate::calc::calendar::BusinessCalendar;
use crate::calc::enablement::{self, Flag, KitPart};

/// Enablement view.
#[derive(Debug, Clone, Serialize)]
pub struct EnablementView {
    /// Every item, in due-date order.
    pub items: Vec<EnablementView1>,
    /// Per pod: the items it needs.
    pub by_pod: Vec<PodKit>,
    /// Kit parts pods lack.
    pub gaps: Vec<GapView>,
    /// Objection tables.
    pub objection_tables: Vec<ObjectionTable>,
}

/// An enablement item with its due date.
#[derive(Debug, Clone, Serialize)]
pub struct EnablementView1 {
    /// Asset name.
    pub asset: String,
    /// Kind slug.
    pub kind: String,
    /// Kit part it fills (`talk-tracks` …), if any.
    pub part: Option<String>,
    /// Pods.
    pub pods: Vec<String>,
    /// Owner, empty when missing.
    pub owner: String,
    /// Lead time as written.
    pub lead_time: String,
    /// Business days before launch.
    pub lead_days: u32,
    /// Due date.
    pub due: String,
    /// Flags.
    pub flags: Vec<String>,
    /// Notes (Markdown).
    pub notes: Option<String>,
    /// Link, only when http, https or mailto.
    pub link: Option<String>,
}

/// A pod's kit.
#[derive(Debug, Clone, Serialize)]
pub struct PodKit {
    /// Pod id.
    pub pod: String,
    /// Items, in due-date order.
    pub items: Vec<EnablementView1>,
}

/// Missing kit parts for a pod.
#[derive(Debug, Clone, Serialize)]
pub struct GapView {
    /// Pod id.
    pub pod: String,
    /// Missing part slugs.
    pub missing: Vec<String>,
}

/// An objection table.
#[derive(Debug, Clone, Serialize)]
pub struct ObjectionTable {
    /// Asset name.
    pub asset: String,
    /// Rows.
    pub rows: Vec<Objection>,
}

fn safe_link(link: &str) -> Option<String> {
    let lower = link.trim().to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://") || lower.starts_with("mailto:"))
        .then(|| link.trim().to_owned())
}

pub(super) fn enablement_view(
    checked: &crate::checked::Brief,
    calendar: &BusinessCalendar,
    launch: Date,
    today: Date,
) -> (EnablementView, Vec<Risk>) {
    let brief = checked.raw();
    let scheduled = enablement::schedule_items(&brief.enablement, checked.lead_times(), calendar, launch, today);
    let mut risks = Vec::new();
    let mut items: Vec<(Date, usize, EnablementView1)> = Vec::new();
    for s in &scheduled {
        let item: &EnablementItem = &brief.enablement[s.index];
        for flag in &s.flags {
            let asset = item.asset.clone();
            let (severity, kind) = match flag {
                Flag::PastDue => {
                    (Severity::High, RiskKind::AssetPastDue { asset, due: s.due.to_string(), lead_days: s.lead_days })
                }
                Flag::NoOwner => (Severity::Medium, RiskKind::AssetNoOwner { asset }),
                Flag::Blocked | Flag::AfterLaunch => continue,
            };
            risks.push(Risk::new(severity, kind, format!("/enablement/{}", s.index)));
        }
        items.push((
            s.due,
            s.index,
            EnablementView1 {
                asset: item.asset.clone(),
                kind: slug(&item.kind),
                part: KitPart::of(item.kind).map(|p| slug(&p)),
                pods: item.pods.clone(),
                owner: item.owner.clone().unwrap_or_default(),
                lead_time: item.lead_time.clone(),
                lead_days: s.lead_days,
                due: s.due.to_string(),
                flags: s.flags.iter().map(slug).collect(),
                notes: item.notes.clone(),
                link: item.link.as_deref().and_then(safe_link),
            },
        ));
    }
    items.sort_by_key(|item| (item.0, item.1));
    let items: Vec<EnablementView1> = items.into_iter().map(|(_, _, v)| v).collect();
    let pod_ids: Vec<String> = brief.capacity.pods.iter().map(|p| p.id.clone()).collect();
    let by_pod = pod_ids
        .iter()
        .map(|pod| PodKit { pod: pod.clone(), items: items.iter().filter(|i| i.pods.contains(pod)).cloned().collect() })
        .collect();
    let gaps: Vec<GapView> = enablement::kit_gaps(&brief.enablement, &pod_ids)
        .into_iter()
        .map(|g| GapView { pod: g.pod, missing: g.missing.iter().map(slug).collect() })
        .collect();
    for gap in &gaps {
        let index = pod_ids.iter().position(|p| *p == gap.pod).unwrap_or(0);
        risks.push(Risk::new(
            Severity::Medium,
            RiskKind::KitGap { pod: gap.pod.clone(), missing: gap.missing.clone() },
            format!("/capacity/pods/{index}"),
        ));
    }
    let objection_tables = brief
        .enablement
        .iter()
        .filter(|e| e.kind == AssetKind::ObjectionTable && !e.objections.is_empty())
        .map(|e| ObjectionTable { asset: e.asset.clone(), rows: e.objections.clone() })
        .collect();
    (EnablementView { items, by_pod, gaps, objection_tables }, risks)
}
