//! Erlang C and Erlang A against independently computed numbers.
//!
//! Source: `tests/fixtures/sla/reference.json`, written once by
//! `tests/fixtures/sla/reference.py` (read its header): Erlang C from pyworkforce 0.5.1 and from
//! the textbook factorial formula in 60-digit mpmath (the script asserts the two agree);
//! Erlang A from first principles in mpmath — the birth–death chain summed state by state, and
//! the tagged-lead hypoexponential view (the script asserts the two give the same abandonment).
//! The Erlang C cases are the pyworkforce README example, the classic worked example of the
//! Erlang-C formula (360 calls per half hour, 4-minute calls, 55 agents, 15 s), a two-rep pod,
//! traffic within 1% of the reps (99.5 erlangs on 100) and 10,000 reps (9,900 and 9,999 erlangs).

#![allow(clippy::unwrap_used)] // tests: a panic is a failure with its message

use handoff::calc::erlang::{ErlangA, ErlangC, erlang_c};
use handoff::calc::sla::{QueueInput, queue_metrics, required_productive_reps};
use serde_json::Value;

fn fixture() -> Value {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/sla/reference.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn f(v: &Value, k: &str) -> f64 {
    v[k].as_f64().unwrap_or_else(|| panic!("{k} missing in {v}"))
}

fn rel_close(name: &str, what: &str, got: f64, expected: f64, tol: f64) {
    let err = (got - expected).abs() / expected.abs().max(1e-300);
    assert!(err <= tol, "{name} {what}: {got} vs {expected} (relative error {err:e})");
}

#[test]
fn erlang_c_matches_pyworkforce_and_mpmath() {
    let fx = fixture();
    let cases = fx["erlang_c"].as_array().unwrap();
    assert_eq!(cases.len(), 6);
    for c in cases {
        let name = c["name"].as_str().unwrap();
        let reps = u32::try_from(c["reps"].as_u64().unwrap()).unwrap();
        let input = QueueInput {
            arrivals_per_hour: f(c, "leads_per_hour"),
            touch_minutes: f(c, "touch_minutes"),
            productive_reps: reps,
            sla_minutes: f(c, "sla_minutes"),
            patience_minutes: None,
        };
        let m = queue_metrics(&input).unwrap();
        assert!(m.stable, "{name}");
        rel_close(name, "traffic", m.traffic_erlangs, f(c, "traffic_erlangs"), 1e-12);
        rel_close(name, "wait probability", m.wait_probability.unwrap(), f(c, "wait_probability"), 1e-10);
        rel_close(name, "service level", m.service_level.unwrap(), f(c, "service_level"), 1e-10);
        rel_close(name, "average wait", m.average_wait_minutes.unwrap(), f(c, "average_wait_minutes"), 1e-9);
        rel_close(name, "occupancy", m.occupancy.unwrap(), f(c, "occupancy"), 1e-12);
        // pyworkforce's required_positions: smallest N with SL ≥ target, then raised to
        // ceil(A / max occupancy) when occupancy is too high — the same rule as ours.
        let need = required_productive_reps(&input, f(c, "target"), f(c, "max_occupancy")).unwrap();
        assert_eq!(need, Some(u32::try_from(c["pyworkforce_required_positions"].as_u64().unwrap()).unwrap()), "{name}");
    }
}

#[test]
fn ten_thousand_reps_and_near_critical_traffic_are_finite_and_exact() {
    // 9,900 erlangs on 10,000 reps: the factorial form overflows f64 (10000! ≈ 10^35659); the
    // recursion gives the mpmath value to 1e-10 (fixture case ten_thousand_reps).
    let c = erlang_c(10_000, 9_900.0).unwrap();
    rel_close("ten_thousand_reps", "C", c, 0.222_776_928_864_148_24, 1e-10);
    // 99.5 erlangs on 100 reps (traffic within 1%): C = 0.94017233, ASA = C·5/0.5.
    let q = ErlangC::new(100, 99.5, 5.0).unwrap();
    rel_close("traffic_within_one_percent", "C", q.wait_probability, 0.940_172_334_816_893_7, 1e-10);
    rel_close("traffic_within_one_percent", "ASA", q.average_wait(), 0.940_172_334_816_893_7 * 10.0, 1e-10);
    // 10,000 reps with traffic within 0.01% (fixture case ten_thousand_reps_critical).
    let c = erlang_c(10_000, 9_999.0).unwrap();
    rel_close("ten_thousand_reps_critical", "C", c, 0.987_556_252_434_485_9, 1e-10);
    // And exactly at the reps: refused, not divided.
    assert_eq!(erlang_c(10_000, 10_000.0), None);
}

#[test]
fn erlang_a_matches_the_first_principles_reference() {
    let fx = fixture();
    let cases = fx["erlang_a"].as_array().unwrap();
    assert_eq!(cases.len(), 5);
    for c in cases {
        let name = c["name"].as_str().unwrap();
        let reps = u32::try_from(c["reps"].as_u64().unwrap()).unwrap();
        let q =
            ErlangA::new(f(c, "arrivals_per_minute"), f(c, "work_minutes"), reps, f(c, "patience_minutes")).unwrap();
        rel_close(name, "P(wait)", q.wait_probability(), f(c, "wait_probability"), 1e-10);
        rel_close(name, "P(ab)", q.abandon_probability(), f(c, "abandon_probability"), 1e-10);
        rel_close(name, "E[queue]", q.mean_queue(), f(c, "mean_queue"), 1e-10);
        rel_close(
            name,
            "touched within t",
            q.touched_within(f(c, "t_minutes")).unwrap(),
            f(c, "touched_within_t"),
            1e-10,
        );
    }
}

#[test]
fn the_command_line_model_uses_erlang_a_with_patience() {
    // Same overloaded_small case through the queue calculator (λ = 120/h).
    let m = queue_metrics(&QueueInput {
        arrivals_per_hour: 120.0,
        touch_minutes: 3.0,
        productive_reps: 5,
        sla_minutes: 1.0,
        patience_minutes: Some(4.0),
    })
    .unwrap();
    assert!(!m.stable, "6 erlangs on 5 reps is unstable without abandonment");
    rel_close("overloaded_small", "SL", m.service_level.unwrap(), 0.472_637_145_162_669_75, 1e-10);
    rel_close("overloaded_small", "P(ab)", m.abandon_probability.unwrap(), 0.241_768_414_985_710_08, 1e-10);
    // Average wait = E[queue]/λ (Little): 1.93414731988568 / 2.
    rel_close("overloaded_small", "wait", m.average_wait_minutes.unwrap(), 1.934_147_319_885_680_7 / 2.0, 1e-10);
}
