//! The timeline's shortcut (months taken from the report's own identity where it provably holds)
//! equals the timeline by its definition, every month identified and measured on its own as of
//! its end (METRICS.md §6), on every month of: generated exports of every era, the hand-worked
//! fixtures, and the real exports when present.

use std::path::{Path, PathBuf};

use orchard::analysis::{analyse, month_spans, timeline_month_by_month, Analysis, Options};
use orchard::identity::unchanged_as_of;
use orchard::metrics::timeline::FromReport;
use orchard::synth::{synth, Era, SynthOptions};

/// How many months took the shortcut, how many were identified on their own, and how many of
/// those the shortcut would have got wrong.
#[derive(Default, Debug)]
struct Paths {
    shortcut: usize,
    own: usize,
    needed: usize,
}

/// Asserts the report's timeline equals the month-by-month one, and counts the paths taken.
fn check(export: &Path, opts: &Options, paths: &mut Paths) {
    let a: Analysis = match analyse(export, opts) {
        Ok(a) => a,
        // Exports that cannot be reported (no owner) have no timeline to compare.
        Err(e) => {
            println!("skipped {}: {e}", export.display());
            return;
        }
    };
    let slow = timeline_month_by_month(&a.export, &a.id, &a.ties, &a.params, opts).unwrap();
    assert_eq!(
        a.insights.timeline.len(),
        slow.len(),
        "{}",
        export.display()
    );
    for (fast, slow) in a.insights.timeline.iter().zip(&slow) {
        assert_eq!(fast, slow, "{}: month {}", export.display(), slow.month);
    }
    let spans = month_spans(&a.id, &a.params);
    let ends: Vec<_> = spans.iter().map(|s| s.end).collect();
    let unchanged = unchanged_as_of(&a.export, opts.owner.as_ref(), &a.id, &ends);
    let from_report = FromReport::new(&spans, &a.id, &a.ties);
    for (i, span) in spans.iter().enumerate() {
        if unchanged[i] {
            paths.shortcut += 1;
        } else {
            paths.own += 1;
            paths.needed += (from_report.month(i, span) != slow[i]) as usize;
        }
    }
}

fn generated(era: Era, seed: u64, connections: u64, messages: u64, dir: &Path) -> PathBuf {
    synth(&SynthOptions {
        connections,
        messages,
        seed,
        era,
        zip: false,
        out: dir.join(format!("{era}-{seed}")),
    })
    .unwrap()
    .export
}

#[test]
fn shortcut_equals_month_by_month_on_generated_exports() {
    let tmp = tempfile::tempdir().unwrap();
    let mut paths = Paths::default();
    for era in Era::ALL {
        for (seed, connections, messages) in [(1, 300, 3000), (2, 60, 2000), (3, 800, 1500)] {
            let export = generated(era, seed, connections, messages, tmp.path());
            check(&export, &Options::default(), &mut paths);
        }
    }
    println!("{paths:?}");
    // Both ways were taken, and some months identified on their own would have come out
    // wrong from the report's identity: the check guards something.
    assert!(paths.shortcut > 0 && paths.needed > 0, "{paths:?}");
}

#[test]
fn shortcut_equals_month_by_month_on_fixtures() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut paths = Paths::default();
    for entry in std::fs::read_dir(fixtures).unwrap() {
        let dir = entry.unwrap().path();
        if dir.is_dir() {
            check(&dir, &Options::default(), &mut paths);
        }
    }
    println!("{paths:?}");
    assert!(paths.shortcut > 0 && paths.needed > 0, "{paths:?}");
}

#[test]
fn shortcut_equals_month_by_month_on_real_exports() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/real-exports");
    let Ok(entries) = std::fs::read_dir(&root) else {
        println!("skipped: {} is absent", root.display());
        return;
    };
    let mut paths = Paths::default();
    for entry in entries {
        let dir = entry.unwrap().path();
        if dir.is_dir() {
            check(&dir, &Options::default(), &mut paths);
        }
    }
    println!("{paths:?}");
}
