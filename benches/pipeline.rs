//! Criterion benchmarks of each stage on a generated S-tier export (30,000 connections,
//! 300,000 messages — the size of the largest real LinkedIn account). The export is generated
//! once into `target/bench-data/` and reused. Tie and network metrics are also timed on one
//! thread and on every thread, for the speed-up. Run with `cargo bench`; figures are printed,
//! never asserted.

use std::path::{Path, PathBuf};

use criterion::{criterion_group, criterion_main, Criterion};

/// The allocator the `orchard` binary runs with, set up as it sets it up: the figures are
/// those of what users run.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use orchard::analysis::{build_graph, network_metrics, read, Options};
use orchard::identity::identify;
use orchard::metrics::measure_ties;
use orchard::synth::{synth, Era, SynthOptions};

/// The S-tier export, generated on first use.
fn s_tier() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-data/s-2026-seed1");
    if !dir.join("truth.json").is_file() {
        synth(&SynthOptions {
            connections: 30_000,
            messages: 300_000,
            seed: 1,
            era: Era::Y2026,
            zip: false,
            out: dir.clone(),
        })
        .expect("generate the S tier");
    }
    dir.join("export")
}

fn stages(c: &mut Criterion) {
    // First, before any thread pool exists.
    orchard::memory::tune();
    let path = s_tier();
    let opts = Options::default();
    c.bench_function("read (S)", |b| b.iter(|| read(&path, &opts).unwrap()));
    let (export, params) = read(&path, &opts).unwrap();
    c.bench_function("identity (S)", |b| {
        b.iter(|| identify(&export, None, params.cutoff()).unwrap())
    });
    let id = identify(&export, None, params.cutoff()).unwrap();
    c.bench_function("tie metrics (S)", |b| b.iter(|| measure_ties(&id, &params)));
    let ties = measure_ties(&id, &params);
    let network = build_graph(&id, &ties);
    c.bench_function("network metrics (S)", |b| {
        b.iter(|| network_metrics(&export, &id, &ties, &network, &params, &opts).unwrap())
    });
    for threads in [1, rayon::current_num_threads()] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("a thread pool");
        c.bench_function(&format!("tie metrics (S, {threads} threads)"), |b| {
            pool.install(|| b.iter(|| measure_ties(&id, &params)))
        });
        c.bench_function(&format!("network metrics (S, {threads} threads)"), |b| {
            pool.install(|| {
                b.iter(|| network_metrics(&export, &id, &ties, &network, &params, &opts).unwrap())
            })
        });
    }
}

criterion_group! {
    name = benches;
    // No plots: criterion's plotting needs fonts found on the system (STYLE.md stack notes).
    config = Criterion::default().without_plots().sample_size(10);
    targets = stages
}
criterion_main!(benches);
