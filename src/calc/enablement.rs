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
    use crate::brief::DependencyKind;

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

    use jiff::civil::{Weekday, date, time};

    /// Weekdays 09:00–17:00 UTC, no holidays.
    fn weekdays() -> BusinessCalendar {
        let days = [Weekday::Monday, Weekday::Tuesday, Weekday::Wednesday, Weekday::Thursday, Weekday::Friday];
        BusinessCalendar::new("UTC", &days, time(9, 0, 0, 0), time(17, 0, 0, 0), []).unwrap()
    }

    fn kit_item(owner: Option<&str>) -> EnablementItem {
        EnablementItem {
            asset: "talk track".into(),
            kind: AssetKind::TalkTrack,
            pods: vec!["a".into()],
            owner: owner.map(Into::into),
            lead_time: "5d".into(),
            notes: None,
            objections: vec![],
            link: None,
        }
    }

    fn dependency(owner: Option<&str>, status: Status) -> Dependency {
        Dependency {
            name: "crm".into(),
            kind: DependencyKind::Integration,
            owner: owner.map(Into::into),
            status,
            due: None,
        }
    }

    #[test]
    fn an_item_due_today_is_not_past_due_and_is_the_day_after() {
        // Guards the past-due boundary: launch Monday 16 March 2026, lead time 5d = 5 business
        // days back (Fri 13, Thu 12, Wed 11, Tue 10, Mon 9): due Monday 9 March. Built on the
        // due date or the day before it, the item is on time; the day after, it is past due.
        let cal = weekdays();
        let launch = date(2026, 3, 16);
        let items = [kit_item(Some("Ana"))];
        let lead = [Duration::parse("5d").unwrap()];
        let flags_on = |today| {
            let s = schedule_items(&items, &lead, &cal, launch, today);
            assert_eq!((s.len(), s[0].index, s[0].lead_days, s[0].due), (1, 0, 5, date(2026, 3, 9)));
            s[0].flags.clone()
        };
        assert_eq!(flags_on(date(2026, 3, 8)), vec![]);
        assert_eq!(flags_on(date(2026, 3, 9)), vec![]);
        assert_eq!(flags_on(date(2026, 3, 10)), vec![Flag::PastDue]);
    }

    #[test]
    fn items_without_an_owner_are_flagged_after_past_due() {
        // Launch Monday 16 March 2026, built Wednesday 11 March. 10d: Fri 13, Thu 12, Wed 11,
        // Tue 10, Mon 9, Fri 6, Thu 5, Wed 4, Tue 3, Mon 2 March (past due); 1d: Friday 13 March;
        // 2d: Thursday 12 March (both on time).
        let cal = weekdays();
        let items = [kit_item(None), kit_item(Some("  ")), kit_item(Some("Ana"))];
        let lead: Vec<Duration> = ["10d", "1d", "2d"].iter().map(|d| Duration::parse(d).unwrap()).collect();
        let s = schedule_items(&items, &lead, &cal, date(2026, 3, 16), date(2026, 3, 11));
        let got: Vec<_> = s.iter().map(|i| (i.index, i.lead_days, i.due, i.flags.clone())).collect();
        assert_eq!(
            got,
            vec![
                (0, 10, date(2026, 3, 2), vec![Flag::PastDue, Flag::NoOwner]),
                (1, 1, date(2026, 3, 13), vec![Flag::NoOwner]),
                (2, 2, date(2026, 3, 12), vec![]),
            ]
        );
    }

    #[test]
    fn a_dependency_due_today_is_not_past_due_and_is_the_day_after() {
        // Guards the same boundary for dependencies: due Monday 9 March 2026, launch 16 March.
        let deps = [dependency(Some("Ana"), Status::InProgress)];
        let due = [Some(date(2026, 3, 9))];
        let flags_on = |today| {
            let s = schedule_dependencies(&deps, &due, date(2026, 3, 16), today);
            assert_eq!((s.len(), s[0].index, s[0].due), (1, 0, date(2026, 3, 9)));
            s[0].flags.clone()
        };
        assert_eq!(flags_on(date(2026, 3, 8)), vec![]);
        assert_eq!(flags_on(date(2026, 3, 9)), vec![]);
        assert_eq!(flags_on(date(2026, 3, 10)), vec![Flag::PastDue]);
        // A ready dependency is never past due.
        let ready = [dependency(Some("Ana"), Status::Ready)];
        assert_eq!(schedule_dependencies(&ready, &due, date(2026, 3, 16), date(2026, 3, 10))[0].flags, vec![]);
    }

    #[test]
    fn dependencies_are_flagged_after_launch_without_owner_and_blocked() {
        // Launch Monday 16 March 2026, built Wednesday 18 March (after launch).
        let launch = date(2026, 3, 16);
        let deps = [
            dependency(Some("Ana"), Status::NotStarted), // no due date: due at launch, past due
            dependency(Some("Ana"), Status::InProgress), // due at launch exactly: not after it
            dependency(None, Status::Blocked),           // due the day after launch
            dependency(Some(" "), Status::Ready),        // due after launch, ready
            dependency(Some("Ana"), Status::NotStarted), // due today (18 March), after launch
        ];
        let dues = [None, Some(launch), Some(date(2026, 3, 17)), Some(date(2026, 3, 20)), Some(date(2026, 3, 18))];
        let s = schedule_dependencies(&deps, &dues, launch, date(2026, 3, 18));
        let got: Vec<_> = s.iter().map(|d| (d.index, d.due, d.flags.clone())).collect();
        assert_eq!(
            got,
            vec![
                (0, launch, vec![Flag::PastDue]),
                (1, launch, vec![Flag::PastDue]),
                (2, date(2026, 3, 17), vec![Flag::PastDue, Flag::NoOwner, Flag::Blocked, Flag::AfterLaunch]),
                (3, date(2026, 3, 20), vec![Flag::NoOwner, Flag::AfterLaunch]),
                (4, date(2026, 3, 18), vec![Flag::AfterLaunch]),
            ]
        );
        // Built before launch, the dependency due at launch carries no flag.
        assert_eq!(schedule_dependencies(&deps[1..2], &dues[1..2], launch, date(2026, 3, 11))[0].flags, vec![]);
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
