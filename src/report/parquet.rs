//! `ties.parquet`: the tie table with its types (dates as dates, instants as UTC datetimes,
//! counts as integers), for tools that read Parquet.

use polars::frame::chunk_df_for_writing;
use polars::io::parquet::write::{get_encodings, StatisticsOptions};
use polars::prelude::*;
use polars_arrow::array::ArrayRef;
use polars_parquet::write::{
    array_to_columns, compress, CompressedPage, Encoding, ParquetType, Version, WriteOptions,
};
use rayon::prelude::*;

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

/// How `ties.parquet` is compressed: Snappy, which every Parquet reader reads (it is
/// pyarrow's default). With Zstd the file is a third smaller, and was a second of L's write.
const COMPRESSION: ParquetCompression = ParquetCompression::Snappy;

/// Rows a row group holds at most: polars' own default.
const ROW_GROUP: usize = 512 * 512;

/// Writes the tie table as Parquet to `out`: the file polars' `ParquetWriter` writes, byte for
/// byte, but with every column chunk encoded and compressed on the thread pool. polars does
/// both on the one thread that writes, after the frame is built; at L that was the last 0.7 s
/// of the write, on one core.
fn parquet(report: &Report, out: impl std::io::Write) -> PolarsResult<()> {
    parquet_in_groups(&mut ties_frame(report.analysis)?, out, ROW_GROUP)
}

/// [`parquet`] of `frame`, in row groups of `rows` at most (as polars cuts them).
fn parquet_in_groups(
    frame: &mut DataFrame,
    out: impl std::io::Write,
    rows: usize,
) -> PolarsResult<()> {
    let frame = chunk_df_for_writing(frame, rows)?;
    let mut writer = ParquetWriter::new(out)
        .with_compression(COMPRESSION)
        .batched(frame.schema())?;
    // The options and encodings `ParquetWriter` gives its own pages.
    let options = WriteOptions {
        statistics: StatisticsOptions::default(),
        compression: COMPRESSION.into(),
        version: Version::V1,
        data_page_size: None,
    };
    let encodings = get_encodings(&frame.schema().to_arrow(CompatLevel::newest()));
    let types = writer.parquet_schema().fields().to_vec();
    for group in frame.iter_chunks(CompatLevel::newest(), false) {
        if group.is_empty() {
            continue;
        }
        let leaves = group
            .columns()
            .par_iter()
            .zip(&types)
            .zip(encodings.as_ref())
            .map(|((array, parquet_type), encoding)| {
                compressed_pages(array, parquet_type, encoding, options)
            })
            .collect::<PolarsResult<Vec<_>>>()?;
        let leaves: Vec<Vec<CompressedPage>> = leaves.into_iter().flatten().collect();
        writer.write_row_group(group.len() as u64, &leaves)?;
    }
    writer.finish().map(drop)
}

/// One column of a row group as the compressed pages of each of its leaves (one, for the
/// flat columns of the tie table).
fn compressed_pages(
    array: &ArrayRef,
    parquet_type: &ParquetType,
    encoding: &[Encoding],
    options: WriteOptions,
) -> PolarsResult<Vec<Vec<CompressedPage>>> {
    array_to_columns(array, parquet_type.clone(), options, encoding)?
        .into_iter()
        .map(|pages| {
            pages
                .map(|page| Ok(compress(page?, Vec::new(), options.compression)?))
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_made_on_the_pool_are_the_file_polars_writes() {
        for (_, a) in super::super::ties::tests::analyses() {
            let frame = ties_frame(&a).unwrap();
            let empty = frame.head(Some(0));
            for (mut frame, rows) in [
                (frame.clone(), 3),
                (frame.clone(), 7),
                (frame.clone(), ROW_GROUP),
                (empty, ROW_GROUP),
            ] {
                let mut ours = Vec::new();
                parquet_in_groups(&mut frame.clone(), &mut ours, rows).unwrap();
                let mut theirs = Vec::new();
                ParquetWriter::new(&mut theirs)
                    .with_compression(COMPRESSION)
                    .with_row_group_size(Some(rows))
                    .finish(&mut frame)
                    .unwrap();
                assert!(
                    ours == theirs,
                    "{} rows in groups of {rows}",
                    frame.height()
                );
                // And it reads back as the frame, in as many row groups as polars cuts.
                let back = ParquetReader::new(std::io::Cursor::new(ours.clone()))
                    .finish()
                    .unwrap();
                assert!(back.equals_missing(&frame));
                let groups = ParquetReader::new(std::io::Cursor::new(ours))
                    .get_metadata()
                    .unwrap()
                    .row_groups
                    .len();
                // polars cuts a frame of one chunk into `height / rows` near-equal groups.
                let n = frame.height();
                let expected = if n == 0 { 0 } else { (n / rows).max(1) };
                assert_eq!(
                    groups, expected,
                    "row groups of {n} rows in groups of {rows}"
                );
            }
        }
    }
}
