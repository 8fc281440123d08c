//! A whole zipped export: read from memory, then identity, tie metrics, the graph and the
//! network metrics, as `orchard report` runs them. Errors are fine; panics are not.
#![no_main]

use libfuzzer_sys::fuzz_target;
use orchard::analysis::{build_graph, network_metrics, Options};
use orchard::export::{read_zip_bytes, ReadOptions};
use orchard::identity::identify;
use orchard::metrics::{measure_ties, Params};

fuzz_target!(|data: &[u8]| {
    let Ok(mut export) = read_zip_bytes("fuzz.zip", data, &ReadOptions::default()) else {
        return;
    };
    orchard_fuzz_check::check(&export);
    let opts = Options::default();
    let params = Params {
        as_of: export.latest_day().unwrap_or(20_000),
        active_days: opts.active_days,
        half_life: opts.half_life,
        burst_min: opts.burst_min,
    };
    export.apply_cutoff(params.cutoff());
    let Ok(id) = identify(&export, None, params.cutoff()) else {
        return;
    };
    let ties = measure_ties(&id, &params);
    let network = build_graph(&id, &ties);
    let _ = network_metrics(&export, &id, &ties, &network, &params, &opts);
});

mod orchard_fuzz_check {
    include!("../check.rs");
}
