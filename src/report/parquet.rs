//! `ties.parquet`: the tie table with its types (dates as dates, instants as UTC datetimes,
//! counts as integers), for tools that read Parquet.

use polars::prelude::*;

use super::{Exporter, OutputError, Report};

/// The `ties.parquet` exporter.
pub struct TiesParquet;

impl Exporter for TiesParquet {
    fn file_name(&self) -> &'static str {
        "ties.parquet"
    }

    fn render(&self, report: &Report) -> Result<Vec<u8>, OutputError> {
        let why = |e: &PolarsError| OutputError::Render {
            file: "ties.parquet",
            why: e.to_string(),
        };
        // A shallow copy: the writer wants the frame mutable, its columns are shared.
        let mut df = report.ties().map_err(why)?.clone();
        let mut out = Vec::new();
        ParquetWriter::new(&mut out)
            .finish(&mut df)
            .map_err(|e| why(&e))?;
        Ok(out)
    }
}
