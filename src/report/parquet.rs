//! `ties.parquet`: the tie table with its types (dates as dates, instants as UTC datetimes,
//! counts as integers), for tools that read Parquet.

use polars::prelude::*;

use std::path::Path;

use super::{render_buffered, ties_frame, write_streamed, Exporter, OutputError, Report};

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

/// Writes the tie table as Parquet to `out`, compressed with Snappy: every Parquet reader
/// reads it (it is pyarrow's default), and polars compresses on the one thread that writes,
/// after the columns are encoded on all: with Zstd that was a second of L's write, alone on
/// one core, for a file a third smaller.
fn parquet(report: &Report, out: impl std::io::Write) -> PolarsResult<()> {
    ParquetWriter::new(out)
        .with_compression(ParquetCompression::Snappy)
        .finish(&mut ties_frame(report.analysis)?)
        .map(drop)
}
