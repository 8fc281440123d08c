//! Outputs: every file of a report folder is one [`Exporter`]; the folder is written to a
//! temporary sibling and renamed into place, so a failed run never leaves half a report.

pub mod anonymize;
pub mod charts;
mod findings;
mod json;
mod page;
mod parquet;
mod terminal;
mod ties;

pub use findings::{findings, Findings};
pub use json::SummaryJson;
pub use page::{inline_svg, IndexHtml, ReportMd};
pub use parquet::TiesParquet;
pub use terminal::{headline, percent, terminal_summary, thousands};
pub use ties::{ties_frame, TiesCsv};

use std::fs;
use std::path::{Path, PathBuf};

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
pub trait Exporter {
    /// The file's name inside the folder.
    fn file_name(&self) -> &'static str;
    /// The file's bytes; `charts` are the charts rendered for this report (none with
    /// `--no-charts`).
    fn render(&self, analysis: &Analysis, charts: &[charts::Chart])
        -> Result<Vec<u8>, OutputError>;
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> OutputError + '_ {
    move |source| OutputError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// Writes a report folder at `dir`: every exporter's file, written into a temporary folder
/// beside `dir` and renamed into place. An existing `dir` is replaced only with `force`.
pub fn write_folder(
    analysis: &Analysis,
    dir: &Path,
    exporters: &[&dyn Exporter],
    charts: &[charts::Chart],
    force: bool,
) -> Result<Vec<PathBuf>, OutputError> {
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
    let tmp = parent.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| {
        if tmp.exists() {
            fs::remove_dir_all(&tmp).map_err(io(&tmp))?;
        }
        fs::create_dir(&tmp).map_err(io(&tmp))?;
        let mut written = Vec::new();
        for e in exporters {
            let bytes = e.render(analysis, charts)?;
            let path = tmp.join(e.file_name());
            fs::write(&path, bytes).map_err(io(&path))?;
            written.push(dir.join(e.file_name()));
        }
        if !charts.is_empty() {
            let folder = tmp.join("charts");
            fs::create_dir(&folder).map_err(io(&folder))?;
            for c in charts {
                for (ext, bytes) in [("svg", c.svg.as_bytes()), ("png", c.png.as_slice())] {
                    let path = folder.join(format!("{}.{ext}", c.name));
                    fs::write(&path, bytes).map_err(io(&path))?;
                }
            }
            written.push(dir.join("charts"));
        }
        if dir.exists() {
            let old = parent.join(format!(".{name}.old-{}", std::process::id()));
            fs::rename(dir, &old).map_err(io(dir))?;
            if let Err(e) = fs::rename(&tmp, dir) {
                // Put the previous report back: a failed run leaves it as it was.
                let _ = fs::rename(&old, dir);
                return Err(io(dir)(e));
            }
            fs::remove_dir_all(&old).map_err(io(&old))?;
        } else {
            fs::rename(&tmp, dir).map_err(io(dir))?;
        }
        Ok(written)
    })();
    if result.is_err() && tmp.exists() {
        let _ = fs::remove_dir_all(&tmp);
    }
    result
}
