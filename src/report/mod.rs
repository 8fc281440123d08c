//! Outputs: every file of a report folder is one [`Exporter`]; the folder is written to a
//! temporary sibling and renamed into place, so a failed run never leaves half a report.

pub mod anonymize;
pub mod charts;
mod findings;
mod json;
pub mod over_time;
mod page;
mod parquet;
mod terminal;
mod ties;

pub use findings::{findings, Findings};
pub use json::{summary as summary_json, SummaryJson, SCHEMA as SUMMARY_SCHEMA};
pub use page::{inline_svg, IndexHtml, ReportMd};
pub use parquet::TiesParquet;
pub use terminal::{headline, percent, terminal_summary, thousands};
pub use ties::{ties_frame, TiesCsv};

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use polars::prelude::{PolarsError, PolarsResult};
use rayon::prelude::*;

use crate::analysis::Analysis;

/// Why an output could not be written.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// The file system refused.
    #[error("{path}: {source}")]
    Io {
        /// The path.
        path: String,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The target exists and `--force` was not given.
    #[error("{path} already exists; pass --force to replace it, or choose another folder with -o")]
    Exists {
        /// The path.
        path: String,
    },
    /// Rendering a file failed.
    #[error("{file}: {why}")]
    Render {
        /// The file.
        file: &'static str,
        /// What went wrong.
        why: String,
    },
}

/// One output file of a report folder.
/// `Sync`: the files of a folder are rendered on the thread pool.
pub trait Exporter: Sync {
    /// The file's name inside the folder.
    fn file_name(&self) -> &'static str;
    /// The file's bytes.
    fn render(&self, report: &Report) -> Result<Vec<u8>, OutputError>;

    /// Writes the file at `path`: by default [`Exporter::render`]'s bytes. A file that grows
    /// with the network (the tie table) streams instead of being held whole.
    fn write(&self, report: &Report, path: &Path) -> Result<(), OutputError> {
        write_file(path, &self.render(report)?)
    }
}

/// A writer that keeps the first I/O error it met: a library reports it in its own error
/// type, and the user is told what the file system said, about which file.
struct KeepError<W> {
    inner: W,
    error: Option<std::io::Error>,
}

impl<W: Write> KeepError<W> {
    fn keep<T>(&mut self, r: std::io::Result<T>) -> std::io::Result<T> {
        r.map_err(|e| {
            let again = std::io::Error::new(e.kind(), e.to_string());
            // An interrupted write is retried by the caller; what failed is what came after.
            if e.kind() != std::io::ErrorKind::Interrupted {
                self.error.get_or_insert(e);
            }
            again
        })
    }
}

impl<W: Write> Write for KeepError<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let r = self.inner.write(buf);
        self.keep(r)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        let r = self.inner.flush();
        self.keep(r)
    }
}

/// `file`'s bytes, written by `fill` (a polars writer) into memory: [`Exporter::render`] for
/// a file that [`write_streamed`] writes.
fn render_buffered(
    file: &'static str,
    fill: impl FnOnce(&mut (dyn Write + Send)) -> PolarsResult<()>,
) -> Result<Vec<u8>, OutputError> {
    let mut out = Vec::new();
    fill(&mut out).map_err(|e| OutputError::Render {
        file,
        why: e.to_string(),
    })?;
    Ok(out)
}

/// Writes `file` at `path` through `fill` (a polars writer), buffered, rather than holding
/// its bytes: `ties.csv` of a million ties is 220 MB.
fn write_streamed(
    path: &Path,
    file: &'static str,
    fill: impl FnOnce(&mut (dyn Write + Send)) -> PolarsResult<()>,
) -> Result<(), OutputError> {
    let created = fs::File::create(path).map_err(io(path))?;
    stream_into(
        std::io::BufWriter::with_capacity(1 << 20, created),
        path,
        file,
        fill,
    )
}

/// [`write_streamed`] into any writer: an I/O error is reported as one, about `path`.
fn stream_into(
    inner: impl Write + Send,
    path: &Path,
    file: &'static str,
    fill: impl FnOnce(&mut (dyn Write + Send)) -> PolarsResult<()>,
) -> Result<(), OutputError> {
    let mut out = KeepError { inner, error: None };
    let filled = fill(&mut out).and_then(|()| out.flush().map_err(PolarsError::from));
    match (filled, out.error) {
        (Ok(()), _) => Ok(()),
        (Err(_), Some(source)) => Err(io(path)(source)),
        (Err(e), None) => Err(OutputError::Render {
            file,
            why: e.to_string(),
        }),
    }
}

/// What the exporters render from: the analysis and the charts drawn for it (none with
/// `--no-charts`), and what two files are rendered from, built once on first use: the
/// findings (`index.html`, `report.md`).
pub struct Report<'a> {
    /// The analysis.
    pub analysis: &'a Analysis,
    /// The charts.
    pub charts: &'a [charts::Chart],
    findings: OnceLock<Findings>,
}

impl<'a> Report<'a> {
    /// A report of `analysis` with `charts`; nothing is built yet.
    pub fn new(analysis: &'a Analysis, charts: &'a [charts::Chart]) -> Self {
        Report {
            analysis,
            charts,
            findings: OnceLock::new(),
        }
    }

    /// The findings, naming the charts that were drawn.
    pub fn findings(&self) -> &Findings {
        self.findings.get_or_init(|| {
            let names: Vec<&'static str> = self.charts.iter().map(|c| c.name).collect();
            findings(self.analysis, &names)
        })
    }
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> OutputError + '_ {
    move |source| OutputError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// Writes a report folder at `dir`: every exporter's file and the charts, through
/// [`write_files`]. An existing `dir` is replaced only with `force`.
pub fn write_folder(
    analysis: &Analysis,
    dir: &Path,
    exporters: &[&dyn Exporter],
    charts: &[charts::Chart],
    force: bool,
) -> Result<Vec<PathBuf>, OutputError> {
    let report = Report::new(analysis, charts);
    // The shared part first. Built lazily by the files below, it could deadlock: a pool
    // thread building it waits by running other jobs, and may run a file that waits for the
    // very part it is building.
    report.findings();
    // Then the files on the thread pool, each written as soon as it is rendered: no more files
    // in memory at once than there are threads.
    let report = &report;
    let files = exporters.par_iter().map(|e| {
        move |tmp: &Path| {
            e.write(report, &tmp.join(e.file_name()))?;
            Ok(e.file_name().to_string())
        }
    });
    write_files(dir, force, files, charts)
}

/// Writes a folder at `dir` through [`write_atomically`]: each file by its writer (on the
/// thread pool), which is given the temporary folder and returns the file's name; then the
/// charts. Returns the paths written, in the order of `files`.
pub fn write_files<F>(
    dir: &Path,
    force: bool,
    files: impl ParallelIterator<Item = F>,
    charts: &[charts::Chart],
) -> Result<Vec<PathBuf>, OutputError>
where
    F: FnOnce(&Path) -> Result<String, OutputError> + Send,
{
    let mut written = Vec::new();
    write_atomically(dir, force, |tmp| {
        written = files
            .map(|write| Ok(dir.join(write(tmp)?)))
            .collect::<Result<_, OutputError>>()?;
        if write_charts(tmp, charts)? {
            written.push(dir.join("charts"));
        }
        Ok(())
    })?;
    Ok(written)
}

/// Writes one file.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    fs::write(path, bytes).map_err(io(path))
}

/// Writes `charts/<name>.svg` and `.png` for every chart into `folder`; false when there are
/// none (and no `charts/` folder).
pub fn write_charts(folder: &Path, charts: &[charts::Chart]) -> Result<bool, OutputError> {
    if charts.is_empty() {
        return Ok(false);
    }
    let folder = folder.join("charts");
    fs::create_dir(&folder).map_err(io(&folder))?;
    for c in charts {
        for (ext, bytes) in [("svg", c.svg.as_bytes()), ("png", c.png.as_slice())] {
            write_file(&folder.join(format!("{}.{ext}", c.name)), bytes)?;
        }
    }
    Ok(true)
}

/// The prefix of the temporary folder that [`write_atomically`] fills for `name`; a folder
/// named so, followed by a process id, is a leftover when that process is gone.
pub fn temporary_prefix(name: &str) -> String {
    format!(".{name}.tmp-")
}

/// Makes a folder at `dir` whole or not at all: `fill` writes into a temporary folder beside
/// `dir` (named by [`temporary_prefix`] and this process's id), which is then renamed into
/// place. An existing `dir` is replaced only with `force`; on any failure the temporary
/// folder is removed and an existing `dir` is left as it was.
pub fn write_atomically(
    dir: &Path,
    force: bool,
    fill: impl FnOnce(&Path) -> Result<(), OutputError>,
) -> Result<(), OutputError> {
    if dir.exists() && !force {
        return Err(OutputError::Exists {
            path: dir.display().to_string(),
        });
    }
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if let Some(file) = parent
        .ancestors()
        .find(|a| a.exists())
        .filter(|a| !a.is_dir())
    {
        return Err(OutputError::Io {
            path: file.display().to_string(),
            source: std::io::Error::other("a file, not a folder; choose another folder with -o"),
        });
    }
    fs::create_dir_all(&parent).map_err(io(&parent))?;
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "report".into());
    let tmp = parent.join(format!("{}{}", temporary_prefix(&name), std::process::id()));
    let result = (|| {
        if tmp.exists() {
            fs::remove_dir_all(&tmp).map_err(io(&tmp))?;
        }
        fs::create_dir(&tmp).map_err(io(&tmp))?;
        fill(&tmp)?;
        if force && dir.exists() {
            let old = parent.join(format!(".{name}.old-{}", std::process::id()));
            fs::rename(dir, &old).map_err(io(dir))?;
            if let Err(e) = fs::rename(&tmp, dir) {
                // Put the previous report back: a failed run leaves it as it was.
                let _ = fs::rename(&old, dir);
                return Err(io(dir)(e));
            }
            fs::remove_dir_all(&old).map_err(io(&old))?;
        } else if let Err(e) = fs::rename(&tmp, dir) {
            // Another run put a folder there since the check above: never replace it unasked.
            return Err(if dir.exists() {
                OutputError::Exists {
                    path: dir.display().to_string(),
                }
            } else {
                io(dir)(e)
            });
        }
        Ok(())
    })();
    if result.is_err() && tmp.exists() {
        let _ = fs::remove_dir_all(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use polars::prelude::*;

    /// A disk that is full after `room` bytes; its first write is interrupted by a signal
    /// when `interrupt` is set.
    struct Full {
        room: usize,
        interrupt: bool,
    }

    impl Write for Full {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            if std::mem::take(&mut self.interrupt) {
                return Err(std::io::ErrorKind::Interrupted.into());
            }
            if self.room == 0 {
                return Err(std::io::Error::from_raw_os_error(28));
            }
            let n = buf.len().min(self.room);
            self.room -= n;
            Ok(n)
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_streamed_file_reports_the_disk_error_with_its_path() {
        let mut df = df!("a" => (0..10_000).collect::<Vec<i64>>()).unwrap();
        let path = Path::new("/out/.r.tmp-1/ties.csv");
        let full = Full {
            room: 100,
            interrupt: true,
        };
        let err = stream_into(full, path, "ties.csv", |w| {
            CsvWriter::new(w).finish(&mut df)
        })
        .unwrap_err();
        let OutputError::Io { path: p, source } = &err else {
            panic!("{err:?}")
        };
        assert_eq!(p, "/out/.r.tmp-1/ties.csv");
        assert_eq!(
            source.raw_os_error(),
            Some(28),
            "the file system's own error"
        );
        assert_eq!(err.to_string().matches("No space left").count(), 1, "{err}");
        // A failure that is not the disk's is the file's.
        let err = stream_into(
            Full {
                room: 1 << 30,
                interrupt: false,
            },
            path,
            "ties.csv",
            |_| Err(polars_err!(ComputeError: "no frame")),
        )
        .unwrap_err();
        assert!(
            matches!(
                err,
                OutputError::Render {
                    file: "ties.csv",
                    ..
                }
            ),
            "{err:?}"
        );
        assert!(stream_into(
            Full {
                room: 1 << 30,
                interrupt: false
            },
            path,
            "ties.csv",
            |w| { CsvWriter::new(w).finish(&mut df) }
        )
        .is_ok());
    }
}
