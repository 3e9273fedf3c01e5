//! Benchmarks of the SLA calculators: Erlang C for 10,000 reps (aim: under 100 µs), Erlang A
//! for a large pod, and the simulation's leads per second on one core (aim: 2 million).
//!
//! Run: `cargo bench --bench sla` (or `-- --quick` for a short run). Figures: `BENCHMARKS.md`.

#![allow(missing_docs, clippy::unwrap_used)]

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use handoff::calc::calendar::BusinessCalendar;
use handoff::calc::erlang::{ErlangA, ErlangC};
use handoff::calc::simulate::{Clock, PodModel, SimConfig, simulate};
use handoff::calc::sla::{QueueInput, required_productive_reps};
use jiff::Timestamp;
use jiff::civil::{Weekday, time};

fn erlang(c: &mut Criterion) {
    c.bench_function("erlang_c_10000_reps", |b| {
        b.iter(|| {
            let q = ErlangC::new(black_box(10_000), black_box(9_900.0), 5.0).unwrap();
            black_box(q.service_level(0.5))
        });
    });
    // Erlang C at 100, 1,000 and 10,000 reps, each at 99% occupancy (ρ → 1: the hardest case
    // for the recursion started near N, which skips ~√A·13 reps below the traffic).
    for reps in [100_u32, 1_000, 10_000] {
        let traffic = 0.99 * f64::from(reps);
        c.bench_function(&format!("erlang_c_rho099/{reps}"), |b| {
            b.iter(|| {
                let q = ErlangC::new(black_box(reps), black_box(traffic), 5.0).unwrap();
                black_box(q.service_level(0.5))
            });
        });
    }
    // Many more reps than traffic: Erlang B underflows long before N.
    c.bench_function("erlang_c_10000_reps_1000_erlangs", |b| {
        b.iter(|| {
            let q = ErlangC::new(black_box(10_000), black_box(1_000.0), 5.0).unwrap();
            black_box(q.service_level(0.5))
        });
    });
    c.bench_function("required_reps_10000_erlangs", |b| {
        let input = QueueInput {
            arrivals_per_hour: 120_000.0,
            touch_minutes: 5.0,
            productive_reps: 0,
            sla_minutes: 0.5,
            patience_minutes: None,
        };
        b.iter(|| black_box(required_productive_reps(black_box(&input), 0.8, 1.0).unwrap()));
    });
    c.bench_function("erlang_a_1000_reps", |b| {
        b.iter(|| {
            let q = ErlangA::new(black_box(195.0), 5.0, black_box(1000), 30.0).unwrap();
            black_box(q.touched_within(1.0).unwrap())
        });
    });
}

fn simulation(c: &mut Criterion) {
    let start: Timestamp = "2026-03-02T00:00:00Z".parse().unwrap();
    let always = BusinessCalendar::always_open();
    let weekdays = [Weekday::Monday, Weekday::Tuesday, Weekday::Wednesday, Weekday::Thursday, Weekday::Friday];
    let office = BusinessCalendar::new("America/New_York", &weekdays, time(9, 0, 0, 0), time(17, 0, 0, 0), []).unwrap();
    let config = SimConfig { seed: 1, warmup_weeks: 0, weeks: 1, replications: 1, threads: 0 };
    let mut group = c.benchmark_group("simulation");
    group.sample_size(10);
    // Always open, 100 leads a minute, 3-minute touches, 320 reps: about 1.0 million leads a week.
    let model = PodModel {
        calendar: &always,
        start,
        open_rate_per_minute: 100.0,
        closed_rate_per_minute: 0.0,
        touch_minutes: 3.0,
        reps: 320,
        patience_minutes: None,
        sla_minutes: 1.0,
        clock: Clock::Business,
        promise_share: 0.8,
    };
    let leads = simulate(&model, &config).unwrap().leads;
    group.throughput(Throughput::Elements(leads));
    group.bench_function("always_open_320_reps", |b| {
        b.iter(|| black_box(simulate(black_box(&model), &config).unwrap()))
    });
    // Office hours with after-hours arrivals, patience and the calendar clock.
    let model = PodModel {
        calendar: &office,
        open_rate_per_minute: 100.0,
        closed_rate_per_minute: 20.0,
        patience_minutes: Some(240.0),
        clock: Clock::Calendar,
        reps: 400,
        ..model
    };
    let leads = simulate(&model, &config).unwrap().leads;
    group.throughput(Throughput::Elements(leads));
    group.bench_function("office_hours_400_reps_patience", |b| {
        b.iter(|| black_box(simulate(black_box(&model), &config).unwrap()));
    });
    group.finish();
}

criterion_group!(benches, erlang, simulation);
criterion_main!(benches);
