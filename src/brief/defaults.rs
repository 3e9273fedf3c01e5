//! What a brief says when it says nothing: the values serde fills in for omitted fields (the
//! schema's defaults, which `schema`'s tests compare against these).

use super::{Approver, LadderStep, Status, StepAction};

pub(super) fn yes() -> bool {
    true
}

pub(super) fn is_true(b: &bool) -> bool {
    *b
}

pub(super) fn two() -> u32 {
    2
}

pub(super) fn not_started() -> Status {
    Status::NotStarted
}

pub(super) fn default_window() -> String {
    "48h".to_owned()
}

pub(super) fn default_notify() -> Vec<String> {
    vec!["Sales leadership".to_owned(), "Marketing leadership".to_owned()]
}

pub(super) fn default_max_fallback() -> f64 {
    0.05
}

pub(super) fn default_attainment() -> f64 {
    0.9
}

pub(super) fn default_acceptance() -> f64 {
    0.8
}

pub(super) fn default_lift() -> f64 {
    0.1
}

/// The default ladder of DESIGN.md: remind at 1×, reassign at 1.5×, escalate at 2× up the
/// RevOps Director → Sales Manager → CRO chain.
#[must_use]
pub fn default_ladder() -> Vec<LadderStep> {
    let step = |at: f64, action: StepAction, to: &str| LadderStep { at, action, to: to.to_owned() };
    vec![
        step(1.0, StepAction::Remind, "owner"),
        step(1.5, StepAction::Reassign, "pod"),
        step(2.0, StepAction::Escalate, "RevOps Director"),
        step(3.0, StepAction::Escalate, "Sales Manager"),
        step(4.0, StepAction::Escalate, "CRO"),
    ]
}

/// The default approvers of DESIGN.md: the RevOps Director and sales leadership.
#[must_use]
pub fn default_approvers() -> Vec<Approver> {
    vec![
        Approver { role: "RevOps Director".to_owned(), name: None },
        Approver { role: "VP Sales".to_owned(), name: None },
    ]
}
