//! Routing a generated 1,000,000-lead CSV end to end (read, parse, route, tally), beside the
//! floor of merely counting the file's lines. BENCHMARKS.md records the figures.

use std::fs::File;
use std::hint::black_box;
use std::io::{BufReader, Read};
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use handoff::calc::routing::synth::Synthesizer;
use handoff::pipeline::load;
use handoff::replay::{ReplayOptions, replay};

const LEADS: u64 = 1_000_000;

fn bench(c: &mut Criterion) {
    // The replay takes a checked brief, so the bench routes through the example enterprise brief.
    let loaded = load(Path::new("briefs/enterprise-pipeline.yaml"), 1 << 20).expect("a valid brief");
    let brief = &loaded.checked;
    let dir = std::env::temp_dir().join(format!("handoff-bench-route-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("leads.csv");
    {
        let synth = Synthesizer::new(&loaded.brief, LEADS, 1).expect("synth");
        let mut w = csv::Writer::from_path(&path).expect("csv");
        w.write_record(synth.columns()).expect("header");
        for row in synth {
            w.write_record(&row).expect("row");
        }
        w.flush().expect("flush");
    }
    // Leads stay open for an hour, as in the end-to-end figures: without it the named reps'
    // `max_open` caps fill and most leads go unrouted, which is not the load being measured.
    let router = brief.router().clone().with_open_for(Some(3_600));
    let mut group = c.benchmark_group("route");
    group.sample_size(10);
    let options = ReplayOptions { sla: false, ..ReplayOptions::default() };
    group.bench_function("replay 1M leads", |b| {
        b.iter(|| {
            let open = || File::open(&path).map(BufReader::new);
            let report = replay(brief, router.clone(), open, None::<&mut std::io::Sink>, &options).expect("replay");
            assert_eq!(report.total, LEADS);
            black_box(report)
        });
    });
    // As `handoff route` runs it: the SLA replay on its own thread when there is a second core.
    let with_sla = ReplayOptions { parallel: handoff::replay::second_core(), ..ReplayOptions::default() };
    group.bench_function("replay 1M leads + SLA replay", |b| {
        b.iter(|| {
            let open = || File::open(&path).map(BufReader::new);
            let report = replay(brief, router.clone(), open, None::<&mut std::io::Sink>, &with_sla).expect("replay");
            assert!(report.sla.is_some());
            black_box(report)
        });
    });
    group.bench_function("count lines (floor)", |b| {
        b.iter(|| {
            let mut file = File::open(&path).expect("open");
            let mut buf = vec![0u8; 1 << 16];
            let mut lines = 0usize;
            loop {
                let n = file.read(&mut buf).expect("read");
                if n == 0 {
                    break;
                }
                lines += buf[..n].iter().filter(|&&b| b == b'\n').count();
            }
            black_box(lines)
        });
    });
    group.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group!(benches, bench);
criterion_main!(benches);
