//! `ties.parquet`: the tie table with its types (dates as dates, instants as UTC datetimes,
//! counts as integers), for tools that read Parquet.

use polars::prelude::*;

use std::path::Path;

use super::{render_buffered, write_streamed, Exporter, OutputError, Report};

/// The `ties.parquet` exporter.
pub struct TiesParquet;

impl Exporter for TiesParquet {
    fn file_name(&self) -> &'static str {
        "ties.parquet"
    }

    fn render(&self, report: &Report) -> Result<Vec<u8>, OutputError> {
        render_buffered("ties.parquet", |out| parquet(report, out))
    }

    fn write(&self, report: &Report, path: &Path) -> Result<(), OutputError> {
        write_streamed(path, "ties.parquet", |out| parquet(report, out))
    }
}

/// Writes the tie table as Parquet to `out`.
fn parquet(report: &Report, out: impl std::io::Write) -> PolarsResult<()> {
    ParquetWriter::new(out)
        .finish(&mut report.ties_to_write()?)
        .map(drop)
}
