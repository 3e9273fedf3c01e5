//! `handoff monitor` on a generated 1,000,000-row export of actual first touches, beside
//! `route` replaying the same file (the aim: no slower than `route`). BENCHMARKS.md
//! records the figures.
//!
//! The export is the route bench's synthetic leads for `briefs/enterprise-pipeline.yaml` with a
//! `first_touch_at` column added: a touch a seeded random 0–239 minutes after creation, one lead
//! in fifty untouched.

use std::fs::File;
use std::hint::black_box;
use std::io::BufReader;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use handoff::calc::routing::synth::Synthesizer;
use handoff::monitor::{Design, MonitorOptions, Window, monitor};
use handoff::pipeline::load;
use handoff::replay::{ReplayOptions, replay};
use jiff::civil::DateTime;

const LEADS: u64 = 1_000_000;

fn bench(c: &mut Criterion) {
    let loaded = load(Path::new("briefs/enterprise-pipeline.yaml"), 1 << 20).expect("a valid brief");
    let brief = &loaded.checked;
    let tz = brief.time_zone().clone();
    let dir = std::env::temp_dir().join(format!("handoff-bench-monitor-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("actuals.csv");
    {
        let synth = Synthesizer::new(&loaded.brief, LEADS, 1).expect("synth");
        let mut columns = synth.columns().to_vec();
        let created = columns.iter().position(|c| c == "created_at").expect("created_at");
        columns.push("first_touch_at".to_owned());
        let mut w = csv::Writer::from_path(&path).expect("csv");
        w.write_record(&columns).expect("header");
        let mut rng = fastrand::Rng::with_seed(14);
        for mut row in synth {
            let dt: DateTime = row[created].parse().expect("synthetic created_at");
            let at = tz.to_ambiguous_timestamp(dt).compatible().expect("in range");
            let touch = if rng.u32(0..50) == 0 {
                String::new()
            } else {
                let later = at.checked_add(jiff::SignedDuration::from_mins(rng.i64(0..240))).expect("in range");
                later.to_string()
            };
            row.push(touch);
            w.write_record(&row).expect("row");
        }
        w.flush().expect("flush");
    }
    let now = "2027-06-01T00:00:00Z".parse().expect("now");
    // The design's prediction is computed once, as the command does, outside the timed loop.
    let renderer = handoff::render::Renderer::new(None).expect("templates");
    let artifacts = handoff::pipeline::compute(&loaded, &renderer, now, None).expect("build");
    let design = Design::from_model(&artifacts.model);
    let options = MonitorOptions {
        columns: Default::default(),
        preset: None,
        now,
        since: None,
        until: None,
        window: Window::Week,
        source: "actuals.csv".into(),
    };
    let mut group = c.benchmark_group("monitor");
    group.sample_size(10);
    group.bench_function("monitor 1M rows", |b| {
        b.iter(|| {
            let mut open = || File::open(&path).map(BufReader::new);
            let report = monitor(brief, &design, &mut open, &options).expect("monitor");
            assert_eq!(report.totals.leads + report.malformed, LEADS);
            black_box(report)
        });
    });
    // `route` on the same file, as its own bench routes (leads open for an hour, no SLA replay).
    let router = brief.router().clone().with_open_for(Some(3_600));
    let route_options = ReplayOptions { sla: false, ..ReplayOptions::default() };
    group.bench_function("route 1M rows (same file)", |b| {
        b.iter(|| {
            let open = || File::open(&path).map(BufReader::new);
            let report =
                replay(brief, router.clone(), open, None::<&mut std::io::Sink>, &route_options).expect("replay");
            assert_eq!(report.total, LEADS);
            black_box(report)
        });
    });
    group.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group!(benches, bench);
criterion_main!(benches);
