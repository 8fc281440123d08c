//! `ties.parquet`: the tie table with its types (dates as dates, instants as UTC datetimes,
//! counts as integers), for tools that read Parquet.

use polars::prelude::*;

use super::charts::Chart;
use super::ties::ties_frame;
use super::{Exporter, OutputError};
use crate::analysis::Analysis;

/// The `ties.parquet` exporter.
pub struct TiesParquet;

impl Exporter for TiesParquet {
    fn file_name(&self) -> &'static str {
        "ties.parquet"
    }

    fn render(&self, a: &Analysis, _: &[Chart]) -> Result<Vec<u8>, OutputError> {
        let why = |e: PolarsError| OutputError::Render {
            file: "ties.parquet",
            why: e.to_string(),
        };
        let mut df = ties_frame(a).map_err(why)?;
        let mut out = Vec::new();
        ParquetWriter::new(&mut out).finish(&mut df).map_err(why)?;
        Ok(out)
    }
}
