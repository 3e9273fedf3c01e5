//! Enablement and dependency schedule: due dates counted back from launch in business days.
//!
//! A kit item with a lead time of `10d` is due ten business days (of the brief's calendar,
//! holidays skipped) before launch. Items are flagged when already past due on the build date,
//! when nobody owns them, and pods are flagged when their kit misses a part of the standard
//! enablement kit (context brief, talk track or script, collateral, system instructions,
//! feedback channel).

use std::collections::BTreeSet;

use jiff::civil::Date;
use serde::Serialize;

use crate::brief::{AssetKind, Dependency, EnablementItem, Status};
use crate::calc::calendar::BusinessCalendar;
use crate::calc::duration::Duration;

/// Why an item needs attention.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Flag {
    /// The due date is before the build date and the item is not ready.
    PastDue,
    /// No owner is named.
    NoOwner,
    /// The dependency is blocked.
    Blocked,
    /// Due after launch: it cannot be ready for go-live.
    AfterLaunch,
}

/// An enablement item with its due date.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ScheduledItem {
    /// Index in the brief's `enablement` list.
    pub index: usize,
    /// Business days before launch.
    pub lead_days: u32,
    /// Due date.
    pub due: Date,
    /// Flags, sorted.
    pub flags: Vec<Flag>,
}

/// A dependency with its due date.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ScheduledDependency {
    /// Index in the brief's `dependencies` list.
    pub index: usize,
    /// Due date (the brief's, or launch).
    pub due: Date,
    /// Flags, sorted.
    pub flags: Vec<Flag>,
}

/// Parts of the standard kit a pod lacks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct KitGap {
    /// Pod id.
    pub pod: String,
    /// Missing parts.
    pub missing: Vec<KitPart>,
}

/// A part of the standard enablement kit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum KitPart {
    /// Who the leads are and why they came.
    ContextBrief,
    /// Talk tracks, scripts or an objection table.
    TalkTracks,
    /// One-pagers, case studies.
    Collateral,
    /// CRM workflow, sequence enrolment, logging.
    SystemInstructions,
    /// Where reps send feedback on lead quality.
    FeedbackChannel,
}

impl KitPart {
    /// All parts, in kit order.
    pub(crate) const ALL: [KitPart; 5] =
        [Self::ContextBrief, Self::TalkTracks, Self::Collateral, Self::SystemInstructions, Self::FeedbackChannel];

    /// Which part an asset kind fills.
    #[must_use]
    pub(crate) fn of(kind: AssetKind) -> Option<Self> {
        match kind {
            AssetKind::ContextBrief => Some(Self::ContextBrief),
            AssetKind::TalkTrack | AssetKind::Script | AssetKind::ObjectionTable | AssetKind::Playbook => {
                Some(Self::TalkTracks)
            }
            AssetKind::Collateral => Some(Self::Collateral),
            AssetKind::SystemInstructions | AssetKind::Sequence => Some(Self::SystemInstructions),
            AssetKind::FeedbackChannel => Some(Self::FeedbackChannel),
            AssetKind::Dashboard | AssetKind::Training => None,
        }
    }
}

/// Schedule the enablement items. `lead_times` holds each item's parsed lead time, in order.
#[must_use]
pub(crate) fn schedule_items(
    items: &[EnablementItem],
    lead_times: &[Duration],
    calendar: &BusinessCalendar,
    launch: Date,
    today: Date,
) -> Vec<ScheduledItem> {
    items
        .iter()
        .zip(lead_times)
        .enumerate()
        .map(|(index, (item, lead_time))| {
            let lead_days = calendar.business_days(*lead_time);
            let due = calendar.business_days_before(launch, lead_days);
            let mut flags = Vec::new();
            if due < today {
                flags.push(Flag::PastDue);
            }
            if item.owner.as_deref().is_none_or(|o| o.trim().is_empty()) {
                flags.push(Flag::NoOwner);
            }
            ScheduledItem { index, lead_days, due, flags }
        })
        .collect()
}

/// Schedule the dependencies. `dues` holds each dependency's parsed due date, if given.
#[must_use]
pub(crate) fn schedule_dependencies(
    deps: &[Dependency],
    dues: &[Option<Date>],
    launch: Date,
    today: Date,
) -> Vec<ScheduledDependency> {
    deps.iter()
        .zip(dues)
        .enumerate()
        .map(|(index, (dep, due))| {
            let due = due.unwrap_or(launch);
            let mut flags = Vec::new();
            if dep.status != Status::Ready && due < today {
                flags.push(Flag::PastDue);
            }
            if dep.owner.as_deref().is_none_or(|o| o.trim().is_empty()) {
                flags.push(Flag::NoOwner);
            }
            if dep.status == Status::Blocked {
                flags.push(Flag::Blocked);
            }
            if due > launch {
                flags.push(Flag::AfterLaunch);
            }
            ScheduledDependency { index, due, flags }
        })
        .collect()
}

/// Parts of the standard kit each pod lacks, pods in the order given.
#[must_use]
pub(crate) fn kit_gaps(items: &[EnablementItem], pods: &[String]) -> Vec<KitGap> {
    pods.iter()
        .filter_map(|pod| {
            let have: BTreeSet<KitPart> = items
                .iter()
                .filter(|item| item.pods.iter().any(|p| p == pod))
                .filter_map(|item| KitPart::of(item.kind))
                .collect();
            let missing: Vec<KitPart> = KitPart::ALL.into_iter().filter(|part| !have.contains(part)).collect();
            (!missing.is_empty()).then(|| KitGap { pod: pod.clone(), missing })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_of_lead_time_round_up_to_a_business_day() {
        let d = |s: &str| Duration::parse(s).unwrap();
        // Open 08:00–17:00: 540 minutes a business day.
        let cal = BusinessCalendar::new(
            "UTC",
            &[jiff::civil::Weekday::Monday],
            jiff::civil::time(8, 0, 0, 0),
            jiff::civil::time(17, 0, 0, 0),
            [],
        )
        .unwrap();
        assert_eq!(cal.business_days(d("10d")), 10);
        assert_eq!(cal.business_days(d("1d1h")), 2);
        assert_eq!(cal.business_days(d("9h")), 1);
        assert_eq!(cal.business_days(d("10h")), 2);
    }

    #[test]
    fn kit_gaps_name_missing_parts_per_pod() {
        let item = |kind: AssetKind, pods: &[&str]| EnablementItem {
            asset: "x".into(),
            kind,
            pods: pods.iter().map(|p| (*p).to_owned()).collect(),
            owner: Some("o".into()),
            lead_time: "1d".into(),
            notes: None,
            objections: vec![],
            link: None,
        };
        let items = vec![
            item(AssetKind::ContextBrief, &["a", "b"]),
            item(AssetKind::ObjectionTable, &["a"]),
            item(AssetKind::Collateral, &["a"]),
            item(AssetKind::SystemInstructions, &["a"]),
            item(AssetKind::FeedbackChannel, &["a", "b"]),
        ];
        let gaps = kit_gaps(&items, &["a".to_owned(), "b".to_owned()]);
        assert_eq!(
            gaps,
            vec![KitGap {
                pod: "b".into(),
                missing: vec![KitPart::TalkTracks, KitPart::Collateral, KitPart::SystemInstructions]
            }]
        );
    }
}
