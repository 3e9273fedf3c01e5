//! Issue 12 routing items end to end: `account_owner` without a `pod` through `validate` and
//! `handoff route`, and the demand mix's conditional shares through `check`.

use serde_json::Value;

mod common;
use common::handoff;

const OWNERS: &str = "tests/fixtures/route/owner-any-pod.yaml";
const OWNER_LEADS: &str = "tests/fixtures/route/owner-any-pod.csv";

/// Worked by hand from owner-any-pod.yaml and owner-any-pod.csv:
/// - line 2 (emea, Lee) → `emea-owned` looks only on pod emea; Lee is on na → the rule's
///   fallback, round robin on emea: Ann
/// - line 3 (na, Lee) → `owned`, no pod: Lee on na
/// - line 4 (na, ben) → `owned`: Ben is on emea, so the lead goes to emea (ignoring case)
/// - line 5 (emea, Ben) → `emea-owned`: Ben on emea
/// - line 6 (na, Nobody) → `owned`: no rep of that name anywhere → routing fallback, Sam
/// - line 7 (na, no owner) → no rule → routing fallback, Sam
///
/// So routed 3 (lines 3, 4, 5), fallback 3; emea 3 (Ann 1, Ben 2), na 1 (Lee), smb 2.
#[test]
fn account_owner_without_a_pod_finds_the_owner_on_any_pod() {
    // On main the brief was refused: "`account_owner` needs a `pod`".
    handoff().args(["validate", OWNERS]).assert().success();
    let out = handoff()
        .args(["route", OWNERS, "--leads", OWNER_LEADS, "--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!((v["routed"].as_u64(), v["fallback"].as_u64(), v["unrouted"].as_u64()), (Some(3), Some(3), Some(0)));
    assert_eq!(v["by_rep"]["emea"]["Ann"], 1);
    assert_eq!(v["by_rep"]["emea"]["Ben"], 2);
    assert_eq!(v["by_rep"]["na"]["Lee"], 1);
    assert_eq!(v["by_rep"]["smb"]["Sam"], 2);
    assert_eq!(v["by_rule"]["emea-owned"]["rule_fallback"], 1);
    assert_eq!(v["by_rule"]["owned"]["primary"], 2);
    assert_eq!(v["by_rule"]["owned"]["fallback"], 1);
}
