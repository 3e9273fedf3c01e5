//! Properties of the SLA calculators that must hold for every input, checked with proptest:
//! service level rises with reps and with the SLA, probabilities stay in [0, 1], the required
//! head count is the smallest that reaches the target, and head counts are exact.

#![allow(clippy::unwrap_used)] // tests: a panic is a failure with its message

use handoff::calc::erlang::{ErlangA, ErlangC, erlang_b, erlang_c};
use handoff::calc::sla::{QueueInput, productive_reps, queue_metrics, reps_for_productive, required_productive_reps};
use proptest::prelude::*;
use proptest::test_runner::RngSeed;

fn input(per_hour: f64, touch: f64, reps: u32, sla: f64) -> QueueInput {
    QueueInput {
        arrivals_per_hour: per_hour,
        touch_minutes: touch,
        productive_reps: reps,
        sla_minutes: sla,
        patience_minutes: None,
    }
}

proptest! {
    // A fixed seed: the same cases every run, so the suite cannot flake.
    #![proptest_config(ProptestConfig {
        cases: 300,
        rng_seed: RngSeed::Fixed(20_261_125),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn wait_probability_is_a_probability(n in 0u32..12_000, a in 0.0f64..15_000.0) {
        let b = erlang_b(n, a);
        prop_assert!((0.0..=1.0).contains(&b));
        match erlang_c(n, a) {
            Some(c) => {
                prop_assert!(f64::from(n) > a);
                prop_assert!((0.0..=1.0).contains(&c));
                // Erlang C is never below Erlang B.
                prop_assert!(c + 1e-15 >= b);
            }
            None => prop_assert!(f64::from(n) <= a),
        }
    }

    #[test]
    fn service_level_rises_with_reps_and_with_the_sla(
        a in 0.1f64..500.0, extra in 0u32..40, touch in 0.5f64..60.0, t in 0.0f64..120.0, dt in 0.0f64..60.0,
    ) {
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let n = a.floor() as u32 + 1 + extra;
        let q = ErlangC::new(n, a, touch).unwrap();
        let q1 = ErlangC::new(n + 1, a, touch).unwrap();
        prop_assert!(q1.service_level(t) + 1e-12 >= q.service_level(t));
        prop_assert!(q1.wait_probability <= q.wait_probability + 1e-12);
        prop_assert!(q.service_level(t + dt) + 1e-12 >= q.service_level(t));
        prop_assert!((0.0..=1.0).contains(&q.service_level(t)));
        // Percentiles are ordered.
        prop_assert!(q.wait_quantile(0.5) <= q.wait_quantile(0.9));
        prop_assert!(q.wait_quantile(0.9) <= q.wait_quantile(0.95));
    }

    #[test]
    fn erlang_a_is_a_probability_and_rises_with_reps(
        lam in 0.01f64..20.0, work in 0.5f64..30.0, n in 0u32..60, patience in 0.5f64..600.0, t in 0.0f64..120.0,
    ) {
        let q = ErlangA::new(lam, work, n, patience).unwrap();
        let q1 = ErlangA::new(lam, work, n + 1, patience).unwrap();
        for p in [q.wait_probability(), q.abandon_probability(), q.touched_within(t).unwrap()] {
            prop_assert!((0.0..=1.0).contains(&p), "{p}");
        }
        prop_assert!(q1.touched_within(t).unwrap() + 1e-9 >= q.touched_within(t).unwrap());
        prop_assert!(q1.abandon_probability() <= q.abandon_probability() + 1e-9);
        // Touched within t never exceeds the share not going cold.
        prop_assert!(q.touched_within(t).unwrap() <= 1.0 - q.abandon_probability() + 1e-9);
    }

    #[test]
    fn required_reps_is_the_smallest_that_reaches_the_target(
        per_hour in 0.5f64..3_000.0, touch in 0.5f64..30.0, sla in 0.0f64..240.0,
        target in 0.05f64..0.999, max_occ in 0.3f64..1.0,
    ) {
        let base = input(per_hour, touch, 0, sla);
        let need = required_productive_reps(&base, target, max_occ).unwrap().unwrap();
        let meets = |n: u32| {
            let m = queue_metrics(&QueueInput { productive_reps: n, ..base }).unwrap();
            m.stable && m.service_level.unwrap() >= target && m.occupancy.unwrap() <= max_occ
        };
        prop_assert!(meets(need));
        prop_assert!(need == 0 || !meets(need - 1));
    }

    #[test]
    fn required_reps_with_patience_is_the_smallest_too(
        per_hour in 0.5f64..600.0, touch in 0.5f64..30.0, sla in 0.0f64..240.0, patience in 1.0f64..600.0,
        target in 0.05f64..0.9,
    ) {
        let base = QueueInput { patience_minutes: Some(patience), ..input(per_hour, touch, 0, sla) };
        let need = required_productive_reps(&base, target, 1.0).unwrap().unwrap();
        let sl = |n: u32| queue_metrics(&QueueInput { productive_reps: n, ..base }).unwrap().service_level.unwrap();
        prop_assert!(sl(need) >= target);
        prop_assert!(need <= 1 || sl(need - 1) < target);
    }

    #[test]
    fn head_counts_are_exact(reps in 0u32..1_000_000, pct in 0u32..100) {
        // Shrinkage written as a decimal with two places, as people write it.
        let s: f64 = format!("0.{pct:02}").parse().unwrap();
        let exact = u64::from(reps) * u64::from(100 - pct) / 100;
        prop_assert_eq!(u64::from(productive_reps(reps, s)), exact);
        // The inverse is the smallest head count with that many productive reps.
        let p = productive_reps(reps, s);
        let h = reps_for_productive(p, s);
        prop_assert!(productive_reps(h, s) >= p);
        prop_assert!(h == 0 || productive_reps(h - 1, s) < p);
    }
}
