//! `orchard report`: run every stage and write the report folder.

use std::path::PathBuf;

use anyhow::Result;

use crate::analysis::analyse;
use crate::cli::ReportArgs;
use crate::export::format_day;
use crate::report::{terminal_summary, write_folder, Exporter, SummaryJson, TiesCsv};

/// Runs `orchard report`.
pub fn run(args: &ReportArgs) -> Result<()> {
    let opts = args.options();
    let analysis = analyse(&args.export.export, &opts)?;
    let dir = args.output.clone().unwrap_or_else(|| {
        PathBuf::from("reports").join(format!(
            "{}-{}",
            analysis.export.name,
            format_day(analysis.params.as_of)
        ))
    });
    let exporters: [&dyn Exporter; 2] = [&SummaryJson, &TiesCsv];
    let clock = std::time::Instant::now();
    let written = write_folder(&analysis, &dir, &exporters, args.force)?;
    if args.timings {
        let mut t = analysis.timings.clone();
        t.push(("write", clock.elapsed()));
        for (stage, d) in &t {
            eprintln!("{stage:>16}  {:>9.1} ms", d.as_secs_f64() * 1000.0);
        }
    }
    if !args.quiet {
        print!("{}", terminal_summary(&analysis));
        println!("Report: {}", dir.display());
        for w in written {
            println!("  {}", w.display());
        }
    }
    Ok(())
}
