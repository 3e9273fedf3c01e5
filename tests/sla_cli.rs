//! `handoff sla` end to end: the JSON contract, exit 1 on nonsense values, exit 2 on a wrong
//! command line.

#![allow(clippy::unwrap_used)] // tests: a panic is a failure with its message

use serde_json::Value;

mod common;
use common::handoff;

fn json(args: &[&str]) -> Value {
    let out = handoff().arg("sla").args(args).args(["--format", "json"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn close(v: &Value, key: &str, expected: f64, tol: f64) {
    let got = v[key].as_f64().unwrap_or_else(|| panic!("{key} is not a number: {v}"));
    assert!((got - expected).abs() <= tol, "{key}: {got} vs {expected}");
}

#[test]
fn json_has_exactly_the_contract_keys_for_the_pyworkforce_example() {
    // pyworkforce README example (100 transactions per 30 min = 200 per hour, AHT 3 min,
    // 20 s answer target, 80% target, 85% max occupancy, 30% shrinkage), at 20 reps of which
    // 14 are productive. Reference values (tests/fixtures/sla/reference.json, computed with
    // pyworkforce 0.5.1 and mpmath): wait 0.174132, service level 0.888350, ASA 0.130599 min,
    // occupancy 0.714286; pyworkforce's required raw positions 14.
    let v = json(&[
        "--leads-per-hour",
        "200",
        "--touch-minutes",
        "3",
        "--reps",
        "20",
        "--sla",
        "1m",
        "--target",
        "0.8",
        "--max-occupancy",
        "0.85",
        "--shrinkage",
        "0.3",
    ]);
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "traffic_erlangs",
            "reps",
            "productive_reps",
            "stable",
            "occupancy",
            "wait_probability",
            "service_level",
            "average_wait_minutes",
            "p50_wait_minutes",
            "p90_wait_minutes",
            "p95_wait_minutes",
            "required_productive_reps",
            "required_reps",
        ]
    );
    close(&v, "traffic_erlangs", 10.0, 1e-12);
    assert_eq!(v["reps"], 20);
    assert_eq!(v["productive_reps"], 14);
    assert_eq!(v["stable"], true);
    close(&v, "occupancy", 10.0 / 14.0, 1e-12);
    close(&v, "wait_probability", 0.174_131_933_595_049_83, 1e-12);
    close(&v, "average_wait_minutes", 0.130_598_950_196_287_4, 1e-12);
    // SLA 1 minute: 1 − C·e^{−(14 − 10)·1/3} by hand from the reference C.
    close(&v, "service_level", 1.0 - 0.174_131_933_595_049_83 * (-4.0_f64 / 3.0).exp(), 1e-12);
    // p90: 3/4 · ln(C / 0.1).
    close(&v, "p90_wait_minutes", 0.75 * (0.174_131_933_595_049_83_f64 / 0.1).ln(), 1e-12);
    assert_eq!(v["p50_wait_minutes"], 0.0);
    // p95: 3/4 · ln(C / 0.05).
    close(&v, "p95_wait_minutes", 0.75 * (0.174_131_933_595_049_83_f64 / 0.05).ln(), 1e-12);
    // Required head count at this 1-minute SLA (not the README's 20 s, where 14 suffice),
    // worked out with an independent Erlang C (Erlang B recurrence, then C = N·B/(N − A(1 − B))):
    // 85% occupancy needs N ≥ 10/0.85 = 11.8, so N ≥ 12; at N = 12, C = 0.4494 and SL = 1 − C·e^{−2/3}
    // = 0.769 < 0.8; at N = 13, C = 0.2853 and SL = 1 − C·e^{−1} = 0.895 ≥ 0.8. So 13 productive;
    // at 30% shrinkage 18 reps give floor(12.6) = 12 and 19 give floor(13.3) = 13.
    assert_eq!(v["required_productive_reps"], 13);
    assert_eq!(v["required_reps"], 19);
}

#[test]
fn required_reps_use_exact_shrinkage() {
    // 720 leads an hour × 5 minutes = 60 erlangs; 90 reps at 30% shrinkage are 63 productive
    // (90 × 0.7 is 62.99999999999999 in f64, which a naive floor turns into 62).
    let v =
        json(&["--leads-per-hour", "720", "--touch-minutes", "5", "--reps", "90", "--sla", "1m", "--shrinkage", "0.3"]);
    assert_eq!(v["productive_reps"], 63);
    // Independent Erlang C at A = 60, 5-minute touches, 1-minute SLA, default target 0.8:
    // SL(63) = 0.667, SL(64) = 0.772, SL(65) = 0.845, so 65 productive reps.
    assert_eq!(v["required_productive_reps"], 65);
    // The smallest head count h with floor(h × 7/10) ≥ 65, in integers: 92 × 7/10 = 64.4,
    // 93 × 7/10 = 65.1, so 93.
    assert_eq!(v["required_reps"], 93);
}

#[test]
fn unstable_pod_reports_nulls_and_what_it_needs() {
    let v = json(&["--leads-per-hour", "130", "--touch-minutes", "5", "--reps", "10", "--sla", "15m"]);
    assert_eq!(v["stable"], false);
    for k in [
        "wait_probability",
        "service_level",
        "average_wait_minutes",
        "p50_wait_minutes",
        "p90_wait_minutes",
        "p95_wait_minutes",
    ] {
        assert!(v[k].is_null(), "{k} should be null: {v}");
    }
    close(&v, "occupancy", 130.0 / 60.0 * 5.0 / 10.0, 1e-12);
    // A = 130 × 5 / 60 = 10.83 erlangs, so 11 reps is the first stable count; independent
    // Erlang C with a 15-minute SLA and the default 0.8 target: SL(11) = 0.428, SL(12) = 0.980.
    // No shrinkage, so the head count equals the productive count.
    assert_eq!(v["required_productive_reps"], 12);
    assert_eq!(v["required_reps"], 12);
}

#[test]
fn patience_adds_the_abandon_probability() {
    let v =
        json(&["--leads-per-hour", "120", "--touch-minutes", "3", "--reps", "5", "--sla", "1m", "--patience", "4m"]);
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys[11], "abandon_probability");
    // Reference: tests/fixtures/sla/reference.json, case overloaded_small (λ = 2/min, 3-minute
    // touches, 5 reps, 4-minute patience), computed from first principles with mpmath.
    close(&v, "abandon_probability", 0.241_768_414_985_710_03, 1e-9);
    close(&v, "wait_probability", 0.752_056_428_994_545_7, 1e-9);
}

#[test]
fn text_output_is_a_table() {
    let out = handoff()
        .args(["sla", "--leads-per-hour", "200", "--touch-minutes", "3", "--reps", "14", "--sla", "1m"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("touched within SLA"));
    assert!(text.contains("required reps"));
    // Values start in the same column on every line.
    let cols: Vec<usize> = text
        .lines()
        .map(|l| l.find("  ").unwrap() + l[l.find("  ").unwrap()..].find(|c: char| c != ' ').unwrap())
        .collect();
    assert!(cols.windows(2).all(|w| w[0] == w[1]), "{text}");
}

#[test]
fn nonsense_values_exit_1_with_the_flag_named() {
    let base = ["--touch-minutes", "3", "--reps", "5", "--sla", "15m"];
    let cases: &[(&[&str], &str)] = &[
        (&["--leads-per-hour=-5"], "--leads-per-hour"),
        (&["--leads-per-hour", "NaN"], "--leads-per-hour"),
        (&["--leads-per-hour", "inf"], "--leads-per-hour"),
        (&["--leads-per-hour", "10", "--shrinkage", "1"], "--shrinkage"),
        (&["--leads-per-hour", "10", "--shrinkage=-0.1"], "--shrinkage"),
        (&["--leads-per-hour", "10", "--target", "1.5"], "--target"),
        (&["--leads-per-hour", "10", "--target", "0"], "--target"),
        (&["--leads-per-hour", "10", "--max-occupancy", "0"], "--max-occupancy"),
        (&["--leads-per-hour", "10", "--max-occupancy", "1.2"], "--max-occupancy"),
        (&["--leads-per-hour", "10", "--patience", "soon"], "--patience"),
    ];
    for (extra, flag) in cases {
        let out = handoff().arg("sla").args(base).args(*extra).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{extra:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(flag), "{extra:?}: {err}");
        assert!(out.stdout.is_empty());
    }
    let out = handoff()
        .args(["sla", "--leads-per-hour", "10", "--touch-minutes", "0", "--reps", "5", "--sla", "15m"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--touch-minutes"));
    let out = handoff()
        .args(["sla", "--leads-per-hour", "10", "--touch-minutes", "3", "--reps", "5", "--sla", "1.5h"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--sla"));
}

#[test]
fn a_missing_flag_exits_2() {
    handoff().args(["sla", "--leads-per-hour", "10", "--touch-minutes", "3", "--sla", "15m"]).assert().code(2);
    handoff()
        .args(["sla", "--leads-per-hour", "ten", "--touch-minutes", "3", "--reps", "1", "--sla", "15m"])
        .assert()
        .code(2);
}

#[test]
fn occupancy_exactly_at_the_maximum_needs_no_extra_rep() {
    // Issue 18's boundary: 120 leads an hour × 5 minutes = 10 erlangs; at most 50% busy needs
    // N ≥ 10 / 0.5 = 20 reps exactly (20 reps are exactly 50% busy, which is allowed), and the
    // 1-hour SLA is met by far (service level 1.0), so 20 productive reps and, with no
    // shrinkage, 20 reps. At most 49% busy: 10 / 0.49 = 20.4 → 21.
    let base = ["--leads-per-hour", "120", "--touch-minutes", "5", "--reps", "20", "--sla", "1h"];
    let v = json(&[&base[..], &["--max-occupancy", "0.5"]].concat());
    assert_eq!(v["occupancy"], 0.5);
    assert_eq!(v["service_level"], 1.0);
    assert_eq!(v["required_productive_reps"], 20);
    assert_eq!(v["required_reps"], 20);
    let v = json(&[&base[..], &["--max-occupancy", "0.49"]].concat());
    assert_eq!(v["required_productive_reps"], 21);
    assert_eq!(v["required_reps"], 21);
}
