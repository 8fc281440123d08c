//! `orchard compare OLD NEW`: two snapshots of a network side by side.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

use super::snapshot::open_store;
use crate::analysis::analyse;
use crate::cli::CompareArgs;
use crate::export::format_day;
use crate::identity::OwnerHint;
use crate::progress::Progress;
use crate::report::over_time::{compare_headline, compare_verdict, write_compare};
use crate::snapshot::compare::compare;
use crate::snapshot::store::StoreError;
use crate::snapshot::Snapshot;

/// Runs `orchard compare`.
pub fn run(args: &CompareArgs) -> Result<()> {
    let old = side(&args.old, "OLD", args.old_as_of, args)?;
    let new = side(&args.new, "NEW", args.new_as_of, args)?;
    let c = compare(&old, &new);
    let dir = args.output.clone().unwrap_or_else(|| {
        PathBuf::from("reports").join(format!("compare-{}-vs-{}", slug(&old), slug(&new)))
    });
    let step = Progress::start(format!("Writing {}", dir.display()), args.quiet);
    let written = write_compare(&c, &dir, args.force, !args.no_charts)?;
    drop(step);
    if !args.quiet {
        println!("{}", compare_headline(&c));
        println!("{}", compare_verdict(&c));
        if let Some(why) = &c.unavailable {
            println!("No state changes: {why}.");
        }
        for n in &c.notes {
            println!("Note: {n}");
        }
        println!("Report: {}", dir.display());
        for w in written {
            println!("  {}", w.display());
        }
    }
    Ok(())
}

/// A side: a stored snapshot folder or report folder (it has `summary.json` and
/// `ties.parquet`), an export (any other file or folder), or else a snapshot id in the store
/// (which is only opened then: comparing two exports needs no store).
fn side(spec: &str, which: &str, as_of: Option<i64>, args: &CompareArgs) -> Result<Snapshot> {
    let path = Path::new(spec);
    let measured = path.join("summary.json").is_file() && path.join("ties.parquet").is_file();
    let flag = which.to_lowercase();
    if path.exists() && !measured {
        let mut opts = args.metrics.apply(Default::default());
        opts.as_of = as_of;
        opts.owner = args.owner.as_deref().map(OwnerHint::parse);
        let step = Progress::start(format!("Measuring {which} ({spec})"), args.quiet);
        let a = analyse(path, &opts).with_context(|| format!("{which} ({spec})"))?;
        drop(step);
        return Ok(Snapshot::from_analysis(&a, a.export.name.clone())?);
    }
    if as_of.is_some() {
        bail!(
            "--{flag}-as-of measures an export as of a day, but {which} ({spec}) is already \
             measured (a snapshot or report folder); pass the export instead"
        );
    }
    if measured {
        let label = path
            .file_name()
            .map_or(spec.to_string(), |n| n.to_string_lossy().into_owned());
        return Ok(Snapshot::from_folder(path, label)?);
    }
    let store = open_store(&args.store)?;
    match store.load(spec) {
        Ok((_, snapshot)) => Ok(snapshot),
        Err(StoreError::NotFound { .. }) => bail!(
            "{which} ({spec}) is neither an export, a report folder, nor a snapshot id in the \
             store {}; `orchard snapshot list` shows the ids",
            store.root().display()
        ),
        Err(e) => Err(e.into()),
    }
}

/// A side's name in a folder name — its label, and its as-of date unless the label starts
/// with it (a snapshot id) — in letters, digits, `-`, `_` and `.`, nothing else.
fn slug(s: &Snapshot) -> String {
    let as_of = format_day(s.as_of);
    let name = if s.label.starts_with(&as_of) {
        s.label.clone()
    } else {
        format!("{}-{as_of}", s.label)
    };
    name.chars()
        .map(|c| {
            if c.is_alphanumeric() || "-_.".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect()
}
