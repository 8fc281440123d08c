//! `ties.parquet`: the tie table with its types (dates as dates, instants as UTC datetimes,
//! counts as integers), for tools that read Parquet.

use polars::prelude::*;

use std::path::Path;

use super::{write_streamed, Exporter, OutputError, Report};

/// The `ties.parquet` exporter.
pub struct TiesParquet;

impl Exporter for TiesParquet {
    fn file_name(&self) -> &'static str {
        "ties.parquet"
    }

    fn render(&self, report: &Report) -> Result<Vec<u8>, OutputError> {
        let mut out = Vec::new();
        parquet(report, &mut out).map_err(|e| OutputError::Render {
            file: "ties.parquet",
            why: e.to_string(),
        })?;
        Ok(out)
    }

    fn write(&self, report: &Report, path: &Path) -> Result<(), OutputError> {
        write_streamed(path, "ties.parquet", |out| parquet(report, out))
    }
}

/// Writes the tie table as Parquet to `out`.
fn parquet(report: &Report, out: impl std::io::Write) -> PolarsResult<()> {
    // A shallow copy: the writer wants the frame mutable, its columns are shared.
    let mut df = report
        .ties()
        .map_err(|e| e.wrap_msg(|m| m.to_string()))?
        .clone();
    ParquetWriter::new(out).finish(&mut df).map(drop)
}
