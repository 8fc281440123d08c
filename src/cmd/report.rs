//! `orchard report`: run every stage and write the report folder.

use std::path::PathBuf;

use anyhow::Result;

use crate::analysis::analyse;
use crate::cli::ReportArgs;
use crate::export::format_day;
use crate::progress::Progress;
use crate::report::anonymize::anonymize;
use crate::report::charts::charts;
use crate::report::{
    terminal_summary, write_folder, Exporter, IndexHtml, ReportMd, SummaryJson, TiesCsv,
    TiesParquet,
};

/// Runs `orchard report`.
pub fn run(args: &ReportArgs) -> Result<()> {
    let opts = args.options();
    let step = Progress::start(
        format!("Measuring {}", args.export.export.display()),
        args.quiet,
    );
    let mut analysis = analyse(&args.export.export, &opts)?;
    drop(step);
    if args.anonymize {
        let salt = args.salt.clone().unwrap_or_else(random_salt);
        anonymize(&mut analysis, &salt);
    }
    let dir = args.output.clone().unwrap_or_else(|| {
        PathBuf::from("reports").join(format!(
            "{}-{}",
            analysis.export.name,
            format_day(analysis.params.as_of)
        ))
    });
    let exporters: [&dyn Exporter; 5] =
        [&SummaryJson, &TiesCsv, &TiesParquet, &IndexHtml, &ReportMd];
    let clock = std::time::Instant::now();
    let charts = if args.no_charts {
        Vec::new()
    } else {
        let _step = Progress::start("Drawing charts", args.quiet);
        charts(&analysis)?
    };
    let charts_time = clock.elapsed();
    let clock = std::time::Instant::now();
    let step = Progress::start(format!("Writing {}", dir.display()), args.quiet);
    let written = write_folder(&analysis, &dir, &exporters, &charts, args.force)?;
    drop(step);
    if args.timings {
        let mut t = analysis.timings.clone();
        t.push(("charts", charts_time));
        t.push(("write", clock.elapsed()));
        eprint!("{}", timings_table(&t));
    }
    if !args.quiet {
        print!("{}", terminal_summary(&analysis));
        println!("Report: {}", dir.display());
        for w in written {
            println!("  {}", w.display());
        }
    }
    // Freeing millions of small allocations takes a noticeable part of a large run (about 4 s
    // of 70 on the L tier). The report is written: free them on a thread of their own, which
    // the process does not wait for when it ends, and which still frees them when `run` is
    // called by a longer-lived program.
    std::thread::spawn(move || drop(analysis));
    Ok(())
}

/// A fresh random salt, so that pseudonyms cannot be linked across runs unless asked for.
fn random_salt() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    format!("{:016x}", h.finish())
}

/// The `--timings` table: wall time per stage, the total, and peak memory.
fn timings_table(stages: &[(&'static str, std::time::Duration)]) -> String {
    use std::fmt::Write;
    let mut out = String::from("stage              wall time\n");
    let mut total = 0.0;
    for (stage, d) in stages {
        let ms = d.as_secs_f64() * 1000.0;
        total += ms;
        let _ = writeln!(out, "{stage:<16} {ms:>9.1} ms");
    }
    let _ = writeln!(out, "{:<16} {total:>9.1} ms", "total");
    match peak_rss_bytes() {
        Some(b) => {
            let _ = writeln!(
                out,
                "{:<16} {:>9.1} MiB",
                "peak memory",
                b as f64 / (1 << 20) as f64
            );
        }
        None => out.push_str("peak memory      unknown on this platform\n"),
    }
    out
}

/// Peak resident memory of this process (Linux: `VmHWM` in /proc/self/status).
fn peak_rss_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}
