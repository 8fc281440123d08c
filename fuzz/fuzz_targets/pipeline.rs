//! A whole export without the zip layer (whose checksums stop most mutations at the door):
//! the input is split at `\0` into Connections.csv, messages.csv, Invitations.csv and
//! Profile.csv, each read as orchard reads it, then identity, tie metrics, the graph and the
//! network metrics (the timeline included) run on them.
#![no_main]

use libfuzzer_sys::fuzz_target;
use orchard::analysis::{build_graph, network_metrics, Options};
use orchard::export::{read_file_bytes, Export, FileKind, ReadOptions};
use orchard::identity::identify;
use orchard::metrics::{measure_ties, Params};

fuzz_target!(|data: &[u8]| {
    let mut export = Export::default();
    let opts = ReadOptions::default();
    for (kind, bytes) in FileKind::ALL.into_iter().zip(data.split(|&b| b == 0)) {
        let Ok(read) = read_file_bytes(kind, "fuzz.csv", bytes, &opts) else {
            continue;
        };
        match kind {
            FileKind::Connections => export.connections = read.connections,
            FileKind::Messages => export.messages = read.messages,
            FileKind::Invitations => export.invitations = read.invitations,
            FileKind::Profile => export.profile_name = read.profile_name,
        }
    }
    if export.connections.is_none() && export.messages.is_none() {
        return;
    }
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
