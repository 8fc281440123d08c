//! Networks over time (DESIGN.md, "Over time"): a network measured at one as-of date is a
//! [`Snapshot`] — its tie table and its `summary.json`; the [`store`] keeps snapshots on disk,
//! [`compare`] sets two side by side, and [`history`] follows a store's snapshots in date order.
//!
//! A snapshot comes from one of three places — a stored snapshot, a report folder, or an
//! export analysed on the spot — and always through the same typed tie table
//! ([`crate::report::ties_frame`]), so that every comparison reads the same columns.

pub mod compare;
pub mod history;
pub mod store;

use std::fs::File;
use std::path::Path;

use polars::prelude::*;
use serde_json::Value;

use crate::analysis::Analysis;
use crate::export::parse_iso_day;
use crate::metrics::{State, StateCounts};
use crate::report::{summary_json, ties_frame, SUMMARY_SCHEMA};

/// Why a snapshot could not be read or made.
#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    /// A file could not be read or written.
    #[error("{path}: {cause}")]
    Io {
        /// The path.
        path: String,
        /// The underlying error (not a `source`: the message already says it).
        cause: std::io::Error,
    },
    /// A file was read but does not hold what a snapshot holds.
    #[error("{path}: {why}")]
    Invalid {
        /// The path.
        path: String,
        /// What was expected.
        why: String,
    },
}

/// One alter as a snapshot keeps it: what compare needs from the tie table.
#[derive(Clone, Debug, PartialEq)]
pub struct TieRecord {
    /// The person key (METRICS.md §1): the same person has the same key in every export.
    pub key: String,
    /// The name as the export spells it.
    pub name: String,
    /// Company, empty when unknown.
    pub company: String,
    /// Position, empty when unknown.
    pub position: String,
    /// A connection (not only a message partner).
    pub is_connection: bool,
    /// Sent plus received; `None` without a messages file.
    pub messages: Option<u32>,
    /// The state; `None` without a messages file.
    pub state: Option<State>,
    /// The latest message, Unix seconds.
    pub last_message_at: Option<i64>,
}

/// A network measured at one as-of date.
#[derive(Clone, Debug)]
pub struct Snapshot {
    /// How users name it: a snapshot id, or the export or report folder with its as-of date.
    pub label: String,
    /// The as-of day (days since 1970-01-01).
    pub as_of: i64,
    /// One record per alter, in the tie table's order.
    pub ties: Vec<TieRecord>,
    /// The `summary.json` it was measured with.
    pub summary: Value,
}

/// The columns of the tie table a snapshot reads.
const COLUMNS: [&str; 8] = [
    "key",
    "name",
    "company",
    "position",
    "is_connection",
    "messages",
    "state",
    "last_message_at",
];

impl Snapshot {
    /// The snapshot of an analysis just run.
    pub fn from_analysis(a: &Analysis, label: String) -> Result<Snapshot, SnapshotError> {
        let invalid = |e: PolarsError| SnapshotError::Invalid {
            path: label.clone(),
            why: format!("the tie table could not be built: {e}"),
        };
        let frame = ties_frame(a).map_err(invalid)?;
        Snapshot::from_parts(label.clone(), &frame, summary_json(a), &label)
    }

    /// The snapshot held by a folder with `ties.parquet` and `summary.json` (a stored snapshot
    /// or a report folder).
    pub fn from_folder(dir: &Path, label: String) -> Result<Snapshot, SnapshotError> {
        let summary_path = dir.join("summary.json");
        let summary: Value =
            serde_json::from_slice(&read(&summary_path)?).map_err(|e| SnapshotError::Invalid {
                path: summary_path.display().to_string(),
                why: format!("not valid JSON ({e})"),
            })?;
        // Figures of another schema may mean something else: refuse them, never misread.
        let schema = summary.get("schema").and_then(Value::as_str).unwrap_or("");
        if schema != SUMMARY_SCHEMA {
            return Err(SnapshotError::Invalid {
                path: summary_path.display().to_string(),
                why: format!(
                    "schema {schema:?}, and this orchard ({}) reads only {SUMMARY_SCHEMA}; \
                     measure the export again",
                    env!("CARGO_PKG_VERSION")
                ),
            });
        }
        let ties_path = dir.join("ties.parquet");
        let file = File::open(&ties_path).map_err(|cause| SnapshotError::Io {
            path: ties_path.display().to_string(),
            cause,
        })?;
        let columns = COLUMNS.iter().map(|c| c.to_string()).collect();
        let frame = ParquetReader::new(file)
            .with_columns(Some(columns))
            .finish()
            .map_err(|e| SnapshotError::Invalid {
                path: ties_path.display().to_string(),
                why: format!("not an orchard tie table ({e})"),
            })?;
        Snapshot::from_parts(label, &frame, summary, &ties_path.display().to_string())
    }

    fn from_parts(
        label: String,
        frame: &DataFrame,
        summary: Value,
        path: &str,
    ) -> Result<Snapshot, SnapshotError> {
        let as_of = summary
            .pointer("/parameters/as_of")
            .and_then(Value::as_str)
            .and_then(parse_iso_day)
            .ok_or_else(|| SnapshotError::Invalid {
                path: path.into(),
                why: "summary.json has no parameters.as_of date".into(),
            })?;
        let ties = records(frame).map_err(|why| SnapshotError::Invalid {
            path: path.into(),
            why,
        })?;
        Ok(Snapshot {
            label,
            as_of,
            ties,
            summary,
        })
    }

    /// Whether the export behind it had a messages file (without one, no state is known).
    pub fn has_messages(&self) -> bool {
        self.summary.get("states").is_some_and(|s| !s.is_null())
    }

    /// The connections (message partners left out).
    pub fn connections(&self) -> impl Iterator<Item = &TieRecord> {
        self.ties.iter().filter(|t| t.is_connection)
    }

    /// Connections per state; `None` without messages.
    pub fn state_counts(&self) -> Option<StateCounts> {
        if !self.has_messages() {
            return None;
        }
        let mut counts = StateCounts::default();
        for s in self.connections().filter_map(|t| t.state) {
            counts.add(s);
        }
        Some(counts)
    }

    /// A summary parameter (`active_days`, `half_life`, `burst_min`) as written.
    pub fn parameter(&self, name: &str) -> Option<&Value> {
        self.summary.get("parameters").and_then(|p| p.get(name))
    }
}

fn read(path: &Path) -> Result<Vec<u8>, SnapshotError> {
    std::fs::read(path).map_err(|cause| SnapshotError::Io {
        path: path.display().to_string(),
        cause,
    })
}

/// The tie records of a tie table; what is wrong with it otherwise.
fn records(frame: &DataFrame) -> Result<Vec<TieRecord>, String> {
    columns(frame)
        .map_err(|e| format!("the tie table lacks a column or has the wrong type ({e})"))?
}

/// The tie records of a tie table's columns, or why a value cannot be read.
fn columns(frame: &DataFrame) -> PolarsResult<Result<Vec<TieRecord>, String>> {
    let text = |name: &str| -> PolarsResult<Vec<String>> {
        Ok(frame
            .column(name)?
            .str()?
            .iter()
            .map(|v| v.unwrap_or_default().to_string())
            .collect())
    };
    let key = text("key")?;
    let name = text("name")?;
    let company = text("company")?;
    let position = text("position")?;
    let is_connection: Vec<bool> = frame
        .column("is_connection")?
        .bool()?
        .iter()
        .map(|v| v.unwrap_or(false))
        .collect();
    let messages: Vec<Option<u32>> = frame.column("messages")?.u32()?.iter().collect();
    let mut state: Vec<Option<State>> = Vec::with_capacity(frame.height());
    for v in frame.column("state")?.str()?.iter() {
        match v.map(|name| (name, State::named(name))) {
            None => state.push(None),
            Some((_, Some(s))) => state.push(Some(s)),
            Some((name, None)) => {
                return Ok(Err(format!("unknown state {name:?} in the tie table")))
            }
        }
    }
    // Milliseconds since the epoch, as the tie table stores instants.
    let last: Vec<Option<i64>> = frame
        .column("last_message_at")?
        .cast(&DataType::Int64)?
        .i64()?
        .iter()
        .map(|v| v.map(|ms| ms.div_euclid(1000)))
        .collect();
    let n = frame.height();
    let mut out = Vec::with_capacity(n);
    let mut columns = (
        key.into_iter(),
        name.into_iter(),
        company.into_iter(),
        position.into_iter(),
    );
    for i in 0..n {
        out.push(TieRecord {
            key: columns.0.next().unwrap_or_default(),
            name: columns.1.next().unwrap_or_default(),
            company: columns.2.next().unwrap_or_default(),
            position: columns.3.next().unwrap_or_default(),
            is_connection: is_connection[i],
            messages: messages[i],
            state: state[i],
            last_message_at: last[i],
        });
    }
    Ok(Ok(out))
}
