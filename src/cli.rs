//! Command-line definitions (clap) and their conversion, once, into typed options.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::analysis::Options;
use crate::export::{parse_iso_day, ReadOptions};
use crate::identity::OwnerHint;

/// orchard — how much of your LinkedIn network was ever pollinated?
///
/// Reads the data export LinkedIn sends (the folder or the .zip), measures every connection —
/// did it ever turn into a real two-way conversation, and is it alive now — and writes a
/// report. Everything runs locally; message text is never kept or written.
#[derive(Debug, Parser)]
#[command(name = "orchard", version, propagate_version = true)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Measure every tie and write a report folder: index.html, report.md, summary.json,
    /// ties.csv, ties.parquet and charts/.
    #[command(after_help = "Examples:\n  \
        orchard report ~/Downloads/Basic_LinkedInDataExport_10-15-2026.zip\n  \
        orchard report data/sample-export -o /tmp/my-report --force\n  \
        orchard report export/ --as-of 2025-12-31 --active-days 180\n  \
        orchard report export.zip --anonymize --salt \"my secret\" -o shareable")]
    Report(ReportArgs),
    /// Show what an export holds — files, format eras, owner, date range, row accounting —
    /// without computing metrics.
    #[command(
        after_help = "Example:\n  orchard inspect ~/Downloads/Basic_LinkedInDataExport_10-15-2026.zip"
    )]
    Inspect(InspectArgs),
    /// Write a synthetic export of any size, with its ground truth (truth.json), for tests and
    /// benchmarks. Deterministic for a seed; no real person's data.
    #[command(after_help = "Examples:\n  \
        orchard synth --connections 30000 --messages 300000 -o /tmp/s-tier\n  \
        orchard synth --connections 400 --messages 4000 --era 2021 --zip --seed 7 -o /tmp/small\n\n\
        Writes DIR/export/ (or DIR/export.zip with --zip) and DIR/truth.json.")]
    Synth(SynthArgs),
    /// Keep a network's snapshots in a store (tie table, summary and manifest each), to
    /// compare them and follow them over time.
    #[command(after_help = "Examples:\n  \
        orchard snapshot add ~/Downloads/Basic_LinkedInDataExport_10-15-2026.zip\n  \
        orchard snapshot add export/ --as-of 2025-12-31\n  \
        orchard snapshot list\n  \
        orchard snapshot show 2026-10-15\n  \
        orchard snapshot remove 2026-10-15-3f9a2c41d0\n\n\
        An id may be shortened to any prefix that names one snapshot. The store is --store,\n\
        else $ORCHARD_STORE, else the platform data folder (on Linux ~/.local/share/orchard).")]
    Snapshot(SnapshotArgs),
    /// Compare two snapshots of a network: connections added and removed, how states
    /// changed, who was newly pollinated, faded or reactivated, who changed jobs. Writes
    /// compare.html, compare.md, compare.json and charts/.
    #[command(
        after_help = "Each side is an export (folder or .zip), a report folder, or a stored snapshot id.\n\n\
        Examples:\n  \
        orchard compare old-export.zip new-export.zip\n  \
        orchard compare export/ export/ --old-as-of 2025-10-15      (a year of change in one export)\n  \
        orchard compare 2025-10-15 2026-10-15 -o /tmp/year-on-year   (stored snapshot ids)"
    )]
    Compare(CompareArgs),
    /// The trend across every stored snapshot: connections, states and the never-pollinated
    /// share by date, as a table here and a folder with history.html, history.md,
    /// history.json and a chart.
    #[command(after_help = "Example:\n  orchard history --store ~/orchard-store -o /tmp/history")]
    History(HistoryArgs),
}

/// Where snapshots are kept.
#[derive(Debug, Args)]
pub struct StoreArgs {
    /// The snapshot store folder. Default: $ORCHARD_STORE, else the platform data folder
    /// (on Linux $XDG_DATA_HOME/orchard, usually ~/.local/share/orchard).
    #[arg(
        long,
        value_name = "DIR",
        env = "ORCHARD_STORE",
        global = true,
        hide_env_values = true,
        help_heading = "Snapshot store"
    )]
    pub store: Option<PathBuf>,
}

/// `orchard snapshot`.
#[derive(Debug, Args)]
pub struct SnapshotArgs {
    /// What to do with the store.
    #[command(subcommand)]
    pub action: SnapshotAction,

    /// The store.
    #[command(flatten)]
    pub store: StoreArgs,
}

/// The `snapshot` actions.
#[derive(Debug, Subcommand)]
pub enum SnapshotAction {
    /// Measure an export and store its snapshot (once: the same export with the same
    /// parameters is stored only once).
    Add(SnapshotAddArgs),
    /// List the stored snapshots, oldest first.
    List,
    /// Show one snapshot: where it came from, its parameters and its headline figures.
    Show {
        /// The snapshot id (or a prefix naming one snapshot).
        #[arg(value_name = "ID")]
        id: String,
    },
    /// Remove one snapshot from the store.
    Remove {
        /// The snapshot id (or a prefix naming one snapshot).
        #[arg(value_name = "ID")]
        id: String,
    },
}

/// `orchard snapshot add`.
#[derive(Debug, Args)]
pub struct SnapshotAddArgs {
    /// What to read.
    #[command(flatten)]
    pub export: ExportArgs,

    /// How ties are measured.
    #[command(flatten)]
    pub metrics: MetricArgs,

    /// Print nothing but errors.
    #[arg(short, long)]
    pub quiet: bool,
}

/// `orchard compare`.
#[derive(Debug, Args)]
pub struct CompareArgs {
    /// The older side: an export (folder or .zip), a report folder, or a snapshot id.
    #[arg(value_name = "OLD")]
    pub old: String,

    /// The newer side, likewise.
    #[arg(value_name = "NEW")]
    pub new: String,

    /// Measure the older side as of this day (YYYY-MM-DD); for an export side only.
    #[arg(long, value_name = "DATE", value_parser = parse_day)]
    pub old_as_of: Option<i64>,

    /// Measure the newer side as of this day (YYYY-MM-DD); for an export side only.
    #[arg(long, value_name = "DATE", value_parser = parse_day)]
    pub new_as_of: Option<i64>,

    /// Whose exports these are, when it cannot be told from Profile.csv (a name or a
    /// profile URL); for export sides.
    #[arg(long, value_name = "NAME|URL")]
    pub owner: Option<String>,

    /// How export sides are measured.
    #[command(flatten)]
    pub metrics: MetricArgs,

    /// The store that snapshot ids are looked up in.
    #[command(flatten)]
    pub store: StoreArgs,

    /// The folder to write. Default: reports/compare-<old>-vs-<new>/.
    #[arg(short, long, value_name = "DIR")]
    pub output: Option<PathBuf>,

    /// Replace the folder if it exists.
    #[arg(long)]
    pub force: bool,

    /// Skip the charts.
    #[arg(long)]
    pub no_charts: bool,

    /// Print nothing but errors.
    #[arg(short, long)]
    pub quiet: bool,
}

/// `orchard history`.
#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// The store.
    #[command(flatten)]
    pub store: StoreArgs,

    /// The folder to write. Default: reports/history-<latest as-of date>/.
    #[arg(short, long, value_name = "DIR")]
    pub output: Option<PathBuf>,

    /// Replace the folder if it exists.
    #[arg(long)]
    pub force: bool,

    /// Skip the chart.
    #[arg(long)]
    pub no_charts: bool,

    /// Print nothing but errors.
    #[arg(short, long)]
    pub quiet: bool,
}

/// `orchard synth`.
#[derive(Debug, Args)]
pub struct SynthArgs {
    /// Connections to write.
    #[arg(long, value_name = "N")]
    pub connections: u64,

    /// Message rows to write (about; the generator plants whole conversations).
    #[arg(long, value_name = "N")]
    pub messages: u64,

    /// Seed of the random choices: the same seed writes the same bytes.
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,

    /// The format era to write: 2018, 2021, 2023 or 2026 (FORMATS.md).
    #[arg(long, value_name = "YEAR", default_value_t = 2026, value_parser = parse_era)]
    pub era: u16,

    /// Write the export as the .zip LinkedIn sends instead of a folder.
    #[arg(long)]
    pub zip: bool,

    /// The folder to write into.
    #[arg(short, long, value_name = "DIR")]
    pub output: PathBuf,
}

fn parse_era(s: &str) -> Result<u16, String> {
    match s.parse::<u16>() {
        Ok(y @ (2018 | 2021 | 2023 | 2026)) => Ok(y),
        _ => Err(format!("expected one of 2018, 2021, 2023, 2026; got {s:?}")),
    }
}

/// Options shared by every command that reads an export.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The export: the folder or the .zip LinkedIn sends.
    #[arg(value_name = "EXPORT")]
    pub export: PathBuf,

    /// Whose export this is, when it cannot be told from Profile.csv: a name ("Ada Lovelace")
    /// or a profile URL (https://www.linkedin.com/in/ada).
    #[arg(long, value_name = "NAME|URL")]
    pub owner: Option<String>,

    /// Measure as of this day (YYYY-MM-DD): everything after it is ignored, so a newer export
    /// read as of an older date agrees with the older export. Default: the latest date found.
    #[arg(long, value_name = "DATE", value_parser = parse_day)]
    pub as_of: Option<i64>,

    /// Turn every skipped row (malformed, unreadable date) into an error.
    #[arg(long)]
    pub strict: bool,
}

/// `orchard report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// What to read.
    #[command(flatten)]
    pub export: ExportArgs,

    /// The report folder to write. Default: reports/<export name>-<as-of date>/.
    #[arg(short, long, value_name = "DIR")]
    pub output: Option<PathBuf>,

    /// Replace the report folder if it exists.
    #[arg(long)]
    pub force: bool,

    /// How ties are measured.
    #[command(flatten)]
    pub metrics: MetricArgs,

    /// Worker threads for the parallel stages (default: all cores).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub threads: Option<u32>,

    /// Print wall time per stage to stderr.
    #[arg(long)]
    pub timings: bool,

    /// Replace every name with a stable pseudonym and drop profile URLs, e-mails and company
    /// names from every output, charts included, so that the report can be shared.
    #[arg(long)]
    pub anonymize: bool,

    /// With --anonymize: the secret that makes pseudonyms stable across runs (the same person
    /// gets the same pseudonym with the same salt). Default: a new random salt each run.
    #[arg(long, value_name = "TEXT", requires = "anonymize")]
    pub salt: Option<String>,

    /// Skip the charts (faster): no charts/ folder, and pages without pictures.
    #[arg(long)]
    pub no_charts: bool,

    /// Print nothing but errors.
    #[arg(short, long)]
    pub quiet: bool,
}

/// The measuring parameters of METRICS.md, shared by every command that measures an export.
#[derive(Debug, Args)]
pub struct MetricArgs {
    /// A pollinated tie is active when its last message is within this many days of the
    /// as-of date; faded otherwise.
    #[arg(long, value_name = "N", default_value_t = 365, value_parser = clap::value_parser!(u32).range(1..))]
    pub active_days: u32,

    /// Half-life in days of a message's weight in a tie's engagement score.
    #[arg(long, value_name = "N", default_value_t = 180.0, value_parser = parse_half_life)]
    pub half_life: f64,

    /// A day with at least this many new connections is a burst (an accept-all day).
    #[arg(long, value_name = "N", default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..))]
    pub burst_min: u32,
}

/// `orchard inspect`.
#[derive(Debug, Args)]
pub struct InspectArgs {
    /// What to read.
    #[command(flatten)]
    pub export: ExportArgs,
}

fn parse_day(s: &str) -> Result<i64, String> {
    parse_iso_day(s).ok_or_else(|| format!("expected a date as YYYY-MM-DD, got {s:?}"))
}

fn parse_half_life(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v.is_finite() && v > 0.0 => Ok(v),
        _ => Err(format!("expected a positive number of days, got {s:?}")),
    }
}

impl ExportArgs {
    /// The analysis options these arguments describe.
    pub fn options(&self) -> Options {
        Options {
            read: ReadOptions {
                strict: self.strict,
            },
            owner: self.owner.as_deref().map(OwnerHint::parse),
            as_of: self.as_of,
            ..Options::default()
        }
    }
}

impl MetricArgs {
    /// `base` with these parameters.
    pub fn apply(&self, base: Options) -> Options {
        Options {
            active_days: self.active_days,
            half_life: self.half_life,
            burst_min: self.burst_min,
            ..base
        }
    }
}

impl ReportArgs {
    /// The analysis options these arguments describe.
    pub fn options(&self) -> Options {
        self.metrics.apply(self.export.options())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }
}
