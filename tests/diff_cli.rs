//! `handoff diff` on pairs whose effect is known, made from the example briefs by one edit each
//! (a head count cut, a touch time raised, a rule added that shadows another, a launch moved),
//! and `--base` in a temporary git repository (issue 15).
//!
//! Each pair's before and after figures are checked against the Model that `build` computes
//! for each version (`pipeline::load` + `pipeline::compute`, the library path `build` runs), and
//! the direction and the ids against what the edit must do.

#![allow(clippy::unwrap_used)]

mod common;

use std::fs;
use std::path::Path;
use std::process::Command;

use common::{example, handoff, handoff_in};
use handoff::model::Model;
use serde_json::Value;

/// Judged as of this time in every test: the diff's date-dependent figures stay fixed.
const NOW: &str = "2027-01-21T18:00:00Z";

/// The Model `build` computes for a brief file, as of [`NOW`].
fn model(path: &Path) -> Model {
    let loaded = handoff::pipeline::load(path, 1 << 20).unwrap();
    let renderer = handoff::render::Renderer::new(None).unwrap();
    let now: jiff::Timestamp = NOW.parse().unwrap();
    handoff::pipeline::compute(&loaded, &renderer, now, None).unwrap().model
}

/// Write the example `name` and its edited copy into a temporary folder; run `diff --format
/// json` on them; return the diff and both Models.
fn diff_pair(name: &str, edit: impl Fn(&str) -> String) -> (Value, Model, Model) {
    let tmp = tempfile::tempdir().unwrap();
    let (base, head) = (tmp.path().join("base.yaml"), tmp.path().join("head.yaml"));
    let text = example(name);
    let edited = edit(&text);
    assert_ne!(text, edited, "the edit must change the brief");
    fs::write(&base, &text).unwrap();
    fs::write(&head, &edited).unwrap();
    let out = handoff().args(["diff", "--format", "json", "--now", NOW]).arg(&base).arg(&head).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let diff: Value = serde_json::from_slice(&out.stdout).unwrap();
    (diff, model(&base), model(&head))
}

fn pod<'m>(m: &'m Model, id: &str) -> &'m handoff::model::PodSlaView {
    m.sla.iter().find(|p| p.pod == id).unwrap()
}

fn worse(diff: &Value) -> Vec<&str> {
    moves(diff, "worse")
}

fn moves<'d>(diff: &'d Value, direction: &str) -> Vec<&'d str> {
    diff["headline"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["direction"] == direction)
        .map(|m| m["kind"].as_str().unwrap())
        .collect()
}

#[test]
fn a_head_count_cut_lowers_attainment_and_raises_occupancy() {
    // smb-activation: activation-na from 9 reps to 4.
    let (diff, before, after) =
        diff_pair("smb-activation.yaml", |t| t.replacen("      reps: 9\n", "      reps: 4\n", 1));
    assert_eq!(diff["changed_sections"], serde_json::json!(["capacity"]));
    let na = &diff["pods"]["activation-na"];
    assert_eq!(na["change"], "modified");
    assert_eq!(na["reps"], serde_json::json!({ "before": 9, "after": 4 }));
    let (b, a) = (pod(&before, "activation-na"), pod(&after, "activation-na"));
    assert_eq!(na["attainment"]["before"].as_f64(), Some(b.attainment));
    assert_eq!(na["attainment"]["after"].as_f64(), Some(a.attainment));
    assert_eq!(na["occupancy"]["before"].as_f64(), b.queue.occupancy);
    assert_eq!(na["occupancy"]["after"].as_f64(), a.queue.occupancy);
    assert!(a.attainment < b.attainment, "{} -> {}", b.attainment, a.attainment);
    // Fewer reps, the same work: occupancy rises (Erlang A's carried load per rep, so not
    // exactly 9/4 times, but more than double).
    let (ob, oa) = (b.queue.occupancy.unwrap(), a.queue.occupancy.unwrap());
    assert!(oa > 2.0 * ob, "{ob} -> {oa}");
    // The other pods do not move: routing did not change.
    assert_eq!(diff["pods"]["activation-emea"]["change"], "unchanged");
    assert_eq!(diff["pods"]["smb-ae"]["change"], "unchanged");
    assert_eq!(worse(&diff), ["attainment"]);
    assert_eq!(diff["headline"][0]["pod"], "activation-na");
}

#[test]
fn a_touch_time_raised_slows_first_touches() {
    // smb-activation: activation-emea from 6 to 12 minutes a first touch.
    let (diff, before, after) = diff_pair("smb-activation.yaml", |t| {
        let at = t.find("    - id: activation-emea").unwrap();
        let (head, tail) = t.split_at(at);
        format!("{head}{}", tail.replacen("touch_minutes: 6", "touch_minutes: 12", 1))
    });
    let emea = &diff["pods"]["activation-emea"];
    let (b, a) = (pod(&before, "activation-emea"), pod(&after, "activation-emea"));
    for (key, bv, av) in [
        ("attainment", b.attainment, a.attainment),
        ("simulated_p90_wait_minutes", b.simulated_p90_wait_minutes, a.simulated_p90_wait_minutes),
    ] {
        assert_eq!(emea[key]["before"].as_f64(), Some(bv), "{key}");
        assert_eq!(emea[key]["after"].as_f64(), Some(av), "{key}");
    }
    assert!(a.attainment < b.attainment);
    assert!(a.queue.occupancy.unwrap() > b.queue.occupancy.unwrap());
    // Traffic is arrivals × work time: twice the minutes, twice the erlangs.
    assert!((a.queue.traffic_erlangs - 2.0 * b.queue.traffic_erlangs).abs() < 1e-9);
    // The load is the routing's, unchanged.
    assert_eq!(emea["load_share"]["before"], emea["load_share"]["after"]);
    assert_eq!(diff["pods"]["activation-na"]["change"], "unchanged");
    assert!(worse(&diff).contains(&"attainment"));
}

#[test]
fn a_rule_added_before_another_shadows_it() {
    // smb-activation: every EMEA lead to activation-emea, ahead of `pql-emea` (EMEA and score
    // >= 50), which can then never fire.
    let rule = "    - id: emea-all\n      when: { region: emea }\n      assign: { method: round_robin, pod: activation-emea }\n";
    // (The brief's routing test of an EMEA PQL now expects the new rule, or validation fails.)
    let (diff, before, after) = diff_pair("smb-activation.yaml", |t| {
        t.replacen("    - id: pql-emea\n", &format!("{rule}    - id: pql-emea\n"), 1).replacen(
            "expect: { rule: pql-emea,",
            "expect: { rule: emea-all,",
            1,
        )
    });
    let routing = &diff["routing"];
    assert_eq!(routing["rules_added"], serde_json::json!(["emea-all"]));
    assert_eq!(routing["rules_removed"], serde_json::json!([]));
    assert_eq!(routing["reordered"], false);
    assert_eq!(
        routing["dead_rules"]["added"],
        // Its teams of 50+ seats were already `larger-teams`'; the rest are now `emea-all`'s.
        serde_json::json!([{ "rule": "pql-emea", "reason": { "kind": "shadowed", "by": ["larger-teams", "emea-all"] } }])
    );
    assert!(routing["dead_rules"]["removed"].as_array().unwrap().is_empty());
    // EMEA leads below the score threshold now reach activation-emea instead of the fallback.
    let share = |m: &Model, id: &str| m.routing.pod_loads.iter().find(|p| p.pod == id).unwrap().share;
    let emea = &diff["pods"]["activation-emea"]["load_share"];
    assert_eq!(emea["before"].as_f64(), Some(share(&before, "activation-emea")));
    assert_eq!(emea["after"].as_f64(), Some(share(&after, "activation-emea")));
    assert!(share(&after, "activation-emea") > share(&before, "activation-emea"));
    assert!(share(&after, "activation-na") < share(&before, "activation-na"));
    let added: Vec<&str> =
        diff["risks"]["added"].as_array().unwrap().iter().map(|r| r["kind"]["kind"].as_str().unwrap()).collect();
    assert!(added.contains(&"dead-rule"), "{added:?}");
    assert!(worse(&diff).contains(&"dead-rules"));
    assert_eq!(diff["changed_sections"], serde_json::json!(["routing"]));
    // activation-na loses load to activation-emea: it touches more of its leads in time.
    let better: Vec<(&str, &str)> = diff["headline"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["direction"] == "better")
        .map(|m| (m["kind"].as_str().unwrap(), m["pod"].as_str().unwrap_or("")))
        .collect();
    assert_eq!(better, [("attainment", "activation-na")]);
    let na = (pod(&before, "activation-na").attainment, pod(&after, "activation-na").attainment);
    assert!(na.1 > na.0, "{na:?}");
}

/// Issue 12 (found after it): a gap whose conditions stay but whose share moves is a change. In
/// enterprise-pipeline the leads without an owner and under 1,000 employees match no rule; the
/// mix gives `<1000` no share, so the gap holds 0.0%. Giving `<1000` 20% of leads (and the
/// 1000-4999 band 40%) makes that gap 0.5 (no owner: the mix is silent, half and half) × 0.2 =
/// 10.0% of demand, with the same conditions. Compared by conditions alone it read as
/// unchanged.
#[test]
fn a_gap_whose_share_moves_is_a_change() {
    let (diff, before, after) = diff_pair("enterprise-pipeline.yaml", |t| {
        t.replacen(
            r#"employees: { "1000-4999": 0.6, "5000+": 0.4 }"#,
            r#"employees: { "<1000": 0.2, "1000-4999": 0.4, "5000+": 0.4 }"#,
            1,
        )
    });
    let gaps = &diff["routing"]["gaps"];
    assert_eq!(gaps["added"], serde_json::json!([]), "{gaps}");
    assert_eq!(gaps["removed"], serde_json::json!([]), "{gaps}");
    let changed = gaps["changed"].as_array().unwrap();
    assert_eq!(changed.len(), 1, "{gaps}");
    assert_eq!(changed[0]["cells"], serde_json::json!([["account_owner", "absent"], ["employees", "<1000"]]));
    assert_eq!(changed[0]["any"], serde_json::json!(["region"]));
    let share = |m: &Model| m.routing.analysis.coverage.gaps[0].share;
    assert_eq!(changed[0]["share"]["before"].as_f64(), Some(share(&before)));
    assert_eq!(changed[0]["share"]["after"].as_f64(), Some(share(&after)));
    assert!(share(&before).abs() < 1e-12 && (share(&after) - 0.1).abs() < 1e-12, "{gaps}");
    // The text says it as the design lists the gap, with the share moving.
    let tmp = tempfile::tempdir().unwrap();
    let (base, head) = (tmp.path().join("base.yaml"), tmp.path().join("head.yaml"));
    let text = example("enterprise-pipeline.yaml");
    fs::write(&base, &text).unwrap();
    fs::write(
        &head,
        text.replacen(
            r#"employees: { "1000-4999": 0.6, "5000+": 0.4 }"#,
            r#"employees: { "<1000": 0.2, "1000-4999": 0.4, "5000+": 0.4 }"#,
            1,
        ),
    )
    .unwrap();
    let out = handoff().args(["diff", "--now", NOW]).arg(&base).arg(&head).output().unwrap();
    let out = String::from_utf8(out.stdout).unwrap();
    assert!(out.contains("account_owner absent, employees <1000, any region 0.0% → 10.0%"), "{out}");
}

#[test]
fn a_launch_moved_earlier_puts_enablement_past_due() {
    // smb-activation: launch from Monday 2027-03-01 to Monday 2027-02-01. The context brief
    // (10 business days' lead time, Mon–Fri, no holiday between) was due 2027-02-15 and is now
    // due 2027-01-18, counted by hand; as of 2027-01-21 it and the two 8-day items (due
    // 2027-01-20) are past due.
    let (diff, before, after) =
        diff_pair("smb-activation.yaml", |t| t.replacen("launch: 2027-03-01", "launch: 2027-02-01", 1));
    let item = diff["enablement"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["asset"].as_str().unwrap().starts_with("PQL context brief"))
        .unwrap();
    assert_eq!(item["due"], serde_json::json!({ "before": "2027-02-15", "after": "2027-01-18" }));
    assert_eq!(diff["enablement"]["past_due"], serde_json::json!({ "before": 0, "after": 3 }));
    let past_due = |m: &Model| m.enablement.items.iter().filter(|i| i.flags.iter().any(|f| f == "past-due")).count();
    assert_eq!((past_due(&before), past_due(&after)), (0, 3));
    // Three dependencies are due after the new launch date.
    let after_launch = diff["risks"]["added"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["kind"]["kind"] == "dependency-after-launch")
        .count();
    assert_eq!(after_launch, 3);
    assert!(worse(&diff).contains(&"past-due"));
    // The SLA figures do not depend on the launch date's enablement.
    assert_eq!(diff["changed_sections"], serde_json::json!(["launch"]));
}

#[test]
fn markdown_leads_with_the_headline_and_the_risks_added() {
    let tmp = tempfile::tempdir().unwrap();
    let text = example("smb-activation.yaml");
    fs::write(tmp.path().join("base.yaml"), &text).unwrap();
    fs::write(tmp.path().join("head.yaml"), text.replacen("launch: 2027-03-01", "launch: 2027-02-01", 1)).unwrap();
    let out = handoff_in(tmp.path())
        .args(["diff", "base.yaml", "head.yaml", "--format", "markdown", "--now", NOW])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let md = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = md.lines().collect();
    assert_eq!(lines[0], "### `smb-activation` — head.yaml");
    assert!(lines[2].starts_with("**Worse:** items past due 0 → 3"), "{md}");
    let first_table = md.find("#### ").unwrap();
    assert_eq!(&md[first_table..first_table + 16], "#### Risks added");
    assert!(
        md.contains(
            "| `PQL context brief — what activated users did and why it matters` due | 2027-02-15 → 2027-01-18 |"
        ),
        "{md}"
    );
}

#[test]
fn an_invalid_version_is_located_and_exits_1() {
    let tmp = tempfile::tempdir().unwrap();
    let text = example("smb-activation.yaml");
    fs::write(tmp.path().join("base.yaml"), &text).unwrap();
    fs::write(tmp.path().join("head.yaml"), text.replacen("response_sla: 15m", "response_sla: soon", 1)).unwrap();
    let out = handoff_in(tmp.path()).args(["diff", "base.yaml", "head.yaml"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.starts_with("head.yaml:8:15: error: response_sla:"), "{err}");
    // One path only is a usage error.
    let out = handoff_in(tmp.path()).args(["diff", "base.yaml"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .current_dir(dir)
        .args(["-c", "user.name=test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false"])
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .status()
        .unwrap();
    assert!(status.success(), "git {args:?}");
}

#[test]
fn base_reads_the_committed_version_from_git() {
    let tmp = common::project_with(&["smb-activation.yaml", "enterprise-pipeline.yaml"]);
    let dir = tmp.path();
    git(dir, &["init", "-q"]);
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", "briefs"]);
    // Edit one brief, delete another, add a third (not yet tracked).
    let smb = dir.join("briefs/smb-activation.yaml");
    fs::write(&smb, fs::read_to_string(&smb).unwrap().replacen("      reps: 9\n", "      reps: 4\n", 1)).unwrap();
    fs::remove_file(dir.join("briefs/enterprise-pipeline.yaml")).unwrap();
    fs::write(dir.join("briefs/partner-referrals.yaml"), example("partner-referrals.yaml")).unwrap();

    let run = |args: &[&str]| handoff_in(dir).env("HOME", dir).args(args).output().unwrap();
    let out = run(&["diff", "--base", "HEAD", "--format", "json", "--now", NOW]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let diffs: Value = serde_json::from_slice(&out.stdout).unwrap();
    let summary: Vec<(&str, &str)> =
        diffs.as_array().unwrap().iter().map(|d| (d["id"].as_str().unwrap(), d["change"].as_str().unwrap())).collect();
    assert_eq!(
        summary,
        [("enterprise-pipeline-na", "removed"), ("partner-referrals", "added"), ("smb-activation", "modified")]
    );
    let smb = &diffs[2];
    assert_eq!(smb["before_path"], "HEAD:briefs/smb-activation.yaml");
    assert_eq!(smb["pods"]["activation-na"]["reps"], serde_json::json!({ "before": 9, "after": 4 }));
    // The removed brief's pods exist only before.
    let removed = diffs[0]["pods"].as_object().unwrap();
    assert!(removed.values().all(|p| p["attainment"]["after"].is_null() && p["attainment"]["before"].is_f64()));

    // A brief named on the command line; an unchanged one says so.
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", "edit"]);
    let out = run(&["diff", "--base", "HEAD", "briefs/smb-activation.yaml", "--now", NOW]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "smb-activation (briefs/smb-activation.yaml)\n  No change.\n");
    let out = run(&["diff", "--base", "HEAD", "--format", "markdown"]);
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "No brief changed against HEAD.\n");

    // A revision that does not exist is named.
    let out = run(&["diff", "--base", "no-such-branch"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("`no-such-branch`"), "{err}");
}
