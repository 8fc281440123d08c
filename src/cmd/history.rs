//! `orchard history`: every stored snapshot in date order.

use std::path::PathBuf;

use anyhow::{bail, Result};

use super::snapshot::open_store;
use crate::cli::HistoryArgs;
use crate::progress::Progress;
use crate::report::over_time::{history_headline, history_row, write_history, HISTORY_COLUMNS};
use crate::snapshot::history::history;

/// Runs `orchard history`.
pub fn run(args: &HistoryArgs) -> Result<()> {
    let store = open_store(&args.store)?;
    let step = Progress::start("Reading the snapshots", args.quiet);
    let h = history(&store)?;
    drop(step);
    for s in &h.skipped {
        eprintln!("warning: snapshot {} left out: {}", s.id, s.why);
    }
    let Some(last) = h.snapshots.last() else {
        bail!(
            "the store {} holds no readable snapshot; add one with `orchard snapshot add EXPORT`",
            store.root().display()
        );
    };
    let dir = args
        .output
        .clone()
        .unwrap_or_else(|| PathBuf::from("reports").join(format!("history-{}", last.as_of)));
    let written = write_history(&h, &dir, args.force, !args.no_charts)?;
    if !args.quiet {
        println!("{}", history_headline(&h));
        print!(
            "{}",
            table(&h.snapshots.iter().map(history_row).collect::<Vec<_>>())
        );
        println!("Report: {}", dir.display());
        for w in written {
            println!("  {}", w.display());
        }
    }
    Ok(())
}

/// The rows under [`HISTORY_COLUMNS`], each column as wide as its widest cell; the first
/// column left-aligned, numbers right-aligned, the snapshot id last and left-aligned.
fn table(rows: &[Vec<String>]) -> String {
    let widths: Vec<usize> = (0..HISTORY_COLUMNS.len())
        .map(|i| {
            rows.iter()
                .map(|r| r[i].chars().count())
                .chain([HISTORY_COLUMNS[i].chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let last = HISTORY_COLUMNS.len() - 1;
    let line = |cells: Vec<&str>| {
        let parts: Vec<String> = cells
            .iter()
            .enumerate()
            .map(|(i, c)| {
                if i == 0 || i == last {
                    format!("{c:<w$}", w = widths[i])
                } else {
                    format!("{c:>w$}", w = widths[i])
                }
            })
            .collect();
        format!("  {}\n", parts.join("  ").trim_end())
    };
    let mut out = line(HISTORY_COLUMNS.to_vec());
    for r in rows {
        out.push_str(&line(r.iter().map(String::as_str).collect()));
    }
    out
}
