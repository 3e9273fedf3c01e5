//! Snapshot tests of the rendered documents and the plan for the enterprise example brief.
//! Review changes with `cargo insta review`; never accept them blindly: a changed number in an
//! SLA table is a changed promise.

#![allow(clippy::unwrap_used)] // a test that cannot set up should fail loudly

use std::fs;

mod common;

fn build_enterprise() -> tempfile::TempDir {
    let tmp = common::project_with(&["enterprise-pipeline.yaml"]);
    common::handoff_in(tmp.path()).args(["build", "--now", "2026-11-25T12:00:00Z"]).assert().success();
    tmp
}

#[test]
fn enterprise_documents_and_plan() {
    let tmp = build_enterprise();
    let out = tmp.path().join("out/enterprise-pipeline-na");
    for doc in ["design.md", "checklist.md", "enablement.md"] {
        let text = fs::read_to_string(out.join(doc)).unwrap();
        insta::assert_snapshot!(doc, text);
    }
    let plan = fs::read_to_string(tmp.path().join(".claude/plans/plan-enterprise-pipeline-na.json")).unwrap();
    insta::assert_snapshot!("plan.json", plan);
}
