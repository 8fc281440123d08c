//! Reading an export: locate files, find headers, map columns by name, parse dates, and
//! sort every row into the buckets of METRICS.md §3.
//!
//! The output is columnar and owner-agnostic: identity comes later. Message content is never
//! kept: it is hashed for duplicate detection and dropped.

mod dates;
mod files;
mod scan;
mod source;
mod stream;
mod table;

pub use dates::{
    civil_from_days, day_of, days_from_civil, format_day, format_instant, parse_date,
    parse_instant, parse_iso_day, Instant, DAY,
};
pub use files::{
    Accounting, ConnectionBucket, ConnectionRow, Connections, InvitationBucket, InvitationRow,
    Invitations, MessageBucket, MessageRow, Messages, SymInfo,
};
pub use source::FileKind;
pub use table::Encoding;

use std::path::Path;

use serde::Serialize;

/// Why an export could not be read. Every variant names the file; most name the line.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The file system refused.
    #[error("{file}: {source}")]
    Io {
        /// The file.
        file: String,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The path is not a folder or zip holding an export.
    #[error("{path}: not a LinkedIn export: {why}")]
    NotAnExport {
        /// The path given.
        path: String,
        /// What was wrong.
        why: String,
    },
    /// Not a CSV file at all.
    #[error("{file}: not a CSV file: {why}")]
    NotCsv {
        /// The file.
        file: String,
        /// What it looks like instead.
        why: String,
    },
    /// Zero bytes, or only whitespace.
    #[error("{file}: the file is empty; expected a CSV header line and rows")]
    Empty {
        /// The file.
        file: String,
    },
    /// No line looks like the header.
    #[error("{file}: no header line found; expected a line with the columns {expected}")]
    NoHeader {
        /// The file.
        file: String,
        /// The required columns.
        expected: String,
    },
    /// The header lacks a column orchard needs.
    #[error("{file}, line {line}: the header lacks the column(s) {missing}; found {found}")]
    MissingColumns {
        /// The file.
        file: String,
        /// The header's line.
        line: u64,
        /// The missing columns.
        missing: String,
        /// The header as found.
        found: String,
    },
    /// The CSV parser failed.
    #[error("{file}{}: {why}", line.map(|l| format!(", line {l}")).unwrap_or_default())]
    Csv {
        /// The file.
        file: String,
        /// The line, when known.
        line: Option<u64>,
        /// The parser's message.
        why: String,
    },
    /// No value of a date column is in a known format: the file is not in a format orchard knows.
    #[error("{file}, line {line}: cannot read the date {value:?} in column {column}; expected {expected}")]
    UnknownDateFormat {
        /// The file.
        file: String,
        /// The first offending line.
        line: u64,
        /// The column.
        column: &'static str,
        /// The value.
        value: String,
        /// Examples of what is understood.
        expected: &'static str,
    },
    /// A file larger than orchard reads (a zip bomb, or not an export).
    #[error("{file}: larger than the {limit_mb} MiB orchard reads (set ORCHARD_MAX_FILE_MB to change the limit)")]
    TooLarge {
        /// The file.
        file: String,
        /// The limit.
        limit_mb: u64,
    },
    /// A row (and so a field) larger than orchard reads: a damaged or hostile file.
    #[error("{file}, line {line}: a row longer than the {limit_mb} MiB orchard reads in one row; expected LinkedIn's rows of a few KiB (set ORCHARD_MAX_FIELD_MB to change the limit)")]
    RowTooLong {
        /// The file.
        file: String,
        /// The line the row starts on.
        line: u64,
        /// The limit.
        limit_mb: u64,
    },
    /// With `--strict`, a row that would be skipped.
    #[error("{file}, line {line}: {why} (--strict turns skipped rows into errors)")]
    StrictSkip {
        /// The file.
        file: String,
        /// The row's line.
        line: u64,
        /// Which bucket the row fell in and why.
        why: String,
    },
}

/// One file that was read.
#[derive(Clone, Debug, Serialize)]
pub struct FileInfo {
    /// Which file.
    pub kind: FileKind,
    /// Where it is.
    pub path: String,
    /// The format era recognised from its header (FORMATS.md).
    pub era: &'static str,
    /// Its encoding.
    pub encoding: Encoding,
    /// Lines before the header.
    pub preamble_lines: u64,
    /// The columns of its header.
    pub columns: Vec<String>,
    /// Other files of the same kind that were not read.
    pub ignored: Vec<String>,
}

/// Options that affect reading.
#[derive(Clone, Debug, Default)]
pub struct ReadOptions {
    /// Turn every skipped row into an error.
    pub strict: bool,
}

/// Everything read from one export, before identity.
#[derive(Debug, Default)]
pub struct Export {
    /// The export's name (folder or zip stem), for default report names.
    pub name: String,
    /// The files read.
    pub files: Vec<FileInfo>,
    /// `Connections.csv`, when present.
    pub connections: Option<Connections>,
    /// `messages.csv`, when present.
    pub messages: Option<Messages>,
    /// `Invitations.csv`, when present.
    pub invitations: Option<Invitations>,
    /// The owner's name from `Profile.csv`, when present and non-empty.
    pub profile_name: Option<String>,
    /// How long finding the files took (for `--timings`).
    pub locate_time: std::time::Duration,
}

impl Export {
    /// The least and the greatest of every parseable date of the three files, whatever bucket
    /// its row is in; found on every thread (ten million messages took 0.1 s on one).
    fn date_range(&self) -> Option<(Instant, Instant)> {
        use rayon::prelude::*;
        fn range(
            dates: impl ParallelIterator<Item = Option<Instant>>,
        ) -> Option<(Instant, Instant)> {
            dates
                .flatten()
                .map(|d| (d, d))
                .reduce_with(|a, b| (a.0.min(b.0), a.1.max(b.1)))
        }
        let c = self
            .connections
            .as_ref()
            .and_then(|c| range(c.rows.par_iter().map(|r| r.connected_on)));
        let m = self
            .messages
            .as_ref()
            .and_then(|m| range(m.rows.par_iter().map(MessageRow::at)));
        let i = self
            .invitations
            .as_ref()
            .and_then(|i| range(i.rows.par_iter().map(|r| r.sent_at)));
        [c, m, i]
            .into_iter()
            .flatten()
            .reduce(|a, b| (a.0.min(b.0), a.1.max(b.1)))
    }

    /// The latest UTC calendar day among all parseable dates of the three files (METRICS.md §2).
    pub fn latest_day(&self) -> Option<i64> {
        self.date_range().map(|(_, last)| day_of(last))
    }

    /// The earliest parseable date, for `inspect`'s date range.
    pub fn earliest_day(&self) -> Option<i64> {
        self.date_range().map(|(first, _)| day_of(first))
    }

    /// Sorts rows dated at or after the cut-off into `after_cutoff` (METRICS.md §2–3).
    pub fn apply_cutoff(&mut self, cutoff: Instant) {
        if let Some(c) = &mut self.connections {
            c.apply_cutoff(cutoff);
        }
        if let Some(m) = &mut self.messages {
            m.apply_cutoff(cutoff);
        }
        if let Some(i) = &mut self.invitations {
            i.apply_cutoff(cutoff);
        }
    }

    /// Blank connection rows (members who hide their profile) dated before the cut-off: the
    /// `blank` bucket is tested before `after_cutoff`, but an export read `--as-of` an older
    /// date must report what the older export would (METRICS.md §2).
    pub fn hidden_connections(&self, cutoff: Instant) -> u64 {
        self.connections.as_ref().map_or(0, |c| {
            c.rows
                .iter()
                .filter(|r| r.bucket == ConnectionBucket::Blank)
                .filter(|r| r.connected_on.is_none_or(|d| d < cutoff))
                .count() as u64
        })
    }

    /// The row accounting of every file read.
    pub fn accounting(&self) -> Accounting {
        Accounting {
            connections: self.connections.as_ref().map(Connections::buckets),
            messages: self.messages.as_ref().map(Messages::buckets),
            invitations: self.invitations.as_ref().map(Invitations::buckets),
        }
    }
}

/// Reads an export folder or zip. Dates are parsed; buckets up to `bad_date` are assigned;
/// `after_cutoff` needs the as-of date and comes with [`Export::apply_cutoff`].
pub fn read(path: &Path, opts: &ReadOptions) -> Result<Export, ReadError> {
    let clock = std::time::Instant::now();
    let source = source::Source::open(path)?;
    read_source(path, source, clock, opts)
}

/// Reads a zipped export held in memory, as [`read`] reads a `.zip` file (for fuzzing);
/// `name` is the path shown in messages.
pub fn read_zip_bytes(name: &str, bytes: &[u8], opts: &ReadOptions) -> Result<Export, ReadError> {
    let clock = std::time::Instant::now();
    let path = Path::new(name);
    let source = source::Source::zip_bytes(path, bytes)?;
    read_source(path, source, clock, opts)
}

/// Reads one file of an export from its bytes, exactly as [`read`] reads it from a folder or
/// zip (for fuzzing and tests): the rows land in the returned export's field for `kind`.
pub fn read_file_bytes(
    kind: FileKind,
    name: &str,
    bytes: &[u8],
    opts: &ReadOptions,
) -> Result<Export, ReadError> {
    let mut export = Export::default();
    let (_, part) = read_part(kind, name, bytes, opts)?;
    export.put(part);
    Ok(export)
}

/// One file of an export, read.
enum Part {
    Connections(Connections),
    Messages(Box<Messages>),
    Invitations(Invitations),
    Profile(Option<String>),
}

impl Export {
    fn put(&mut self, part: Part) {
        match part {
            Part::Connections(c) => self.connections = Some(c),
            Part::Messages(m) => self.messages = Some(*m),
            Part::Invitations(i) => self.invitations = Some(i),
            Part::Profile(name) => self.profile_name = name,
        }
    }
}

/// Reads `messages.csv` from a reader, a window at a time.
fn read_messages(
    name: &str,
    reader: Box<dyn std::io::Read + Send + '_>,
    size: u64,
    opts: &ReadOptions,
) -> Result<(FileInfo, Part), ReadError> {
    let input = stream::Input::open(name, reader, size, source::max_file_bytes())?;
    let (info, m) = files::read_messages(input, opts)?;
    Ok((info, Part::Messages(Box::new(m))))
}

fn read_part(
    kind: FileKind,
    name: &str,
    bytes: &[u8],
    opts: &ReadOptions,
) -> Result<(FileInfo, Part), ReadError> {
    let prepared = || table::prepare(name, bytes);
    Ok(match kind {
        FileKind::Messages => {
            return read_messages(name, Box::new(bytes), bytes.len() as u64, opts)
        }
        FileKind::Connections => {
            let (info, c) = files::read_connections(name, &prepared()?, opts)?;
            (info, Part::Connections(c))
        }
        FileKind::Invitations => {
            let (info, i) = files::read_invitations(name, &prepared()?, opts)?;
            (info, Part::Invitations(i))
        }
        FileKind::Profile => {
            let (info, name) = files::read_profile(name, &prepared()?)?;
            (info, Part::Profile(name))
        }
    })
}

fn read_source(
    path: &Path,
    mut source: source::Source,
    clock: std::time::Instant,
    opts: &ReadOptions,
) -> Result<Export, ReadError> {
    let located = source.locate()?;
    let locate_time = clock.elapsed();
    let has = |k| located.iter().any(|l| l.kind == k);
    if !has(FileKind::Connections) && !has(FileKind::Messages) {
        let what = if located.is_empty() {
            "no Connections.csv, messages.csv, Invitations.csv or Profile.csv in it".to_string()
        } else {
            "it has neither Connections.csv nor messages.csv".to_string()
        };
        return Err(ReadError::NotAnExport {
            path: path.display().to_string(),
            why: format!(
                "{what}; expected the folder or .zip LinkedIn sends (Settings → Data privacy → \
                 Get a copy of your data)"
            ),
        });
    }
    let name = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "export".into());
    let mut export = Export {
        name,
        locate_time,
        ..Export::default()
    };
    // messages.csv is streamed (nearly all of an export's bytes); the other files are small,
    // read whole first and parsed while it streams. Errors are reported in reading order.
    let (messages, others): (Vec<_>, Vec<_>) =
        located.iter().partition(|f| f.kind == FileKind::Messages);
    let others: Vec<_> = others.into_iter().map(|f| (f, source.read(f))).collect();
    let (messages, mut others) = rayon::join(
        || {
            messages.first().map(|&f| {
                // A zip entry's declared size can lie: it sizes nothing.
                let trusted = matches!(source, source::Source::Folder(_));
                let (reader, size) = source.open_file(f)?;
                read_messages(&f.display, reader, if trusted { size } else { 0 }, opts)
            })
        },
        || {
            others
                .into_iter()
                .map(|(f, bytes)| read_part(f.kind, &f.display, &bytes?, opts))
                .collect::<Vec<_>>()
                .into_iter()
        },
    );
    let mut messages = messages;
    for file in &located {
        let read = if file.kind == FileKind::Messages {
            messages.take()
        } else {
            others.next()
        };
        let (info, part) = read.expect("one result per file")?;
        export.put(part);
        export.files.push(FileInfo {
            ignored: file.ignored.clone(),
            ..info
        });
    }
    Ok(export)
}

/// Calls `visit` with each file [`read`] would read from the export — its kind, the name to
/// show users, and its bytes — one file at a time, in the order `read` reads them. For a
/// fingerprint of an export's content (the snapshot store's content hash).
pub fn visit_files(
    path: &Path,
    mut visit: impl FnMut(FileKind, &str, &[u8]),
) -> Result<(), ReadError> {
    let mut source = source::Source::open(path)?;
    for file in source.locate()? {
        let bytes = source.read(&file)?;
        visit(file.kind, &file.display, &bytes);
    }
    Ok(())
}
