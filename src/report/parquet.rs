//! `ties.parquet`: the tie table with its types (dates as dates, instants as UTC datetimes,
//! counts as integers), for tools that read Parquet.

use polars::io::parquet::write::{get_encodings, StatisticsOptions};
use polars::prelude::*;
use polars_arrow::array::ArrayRef;
use polars_parquet::write::{
    array_to_columns, compress, CompressedPage, Encoding, ParquetType, Version, WriteOptions,
};
use rayon::prelude::*;

use std::path::Path;

use super::{render_buffered, ties, write_streamed, Exporter, OutputError, Report};
use crate::analysis::Analysis;

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

/// Parts of [`ties::PART`] ties a row group holds: 262,144 ties, polars' own row group size.
const GROUP: usize = 32;

/// Writes the tie table as Parquet to `out`, a row group at a time: each group's frame is
/// joined from [`ties::parts`], and its column chunks are encoded and compressed on the thread
/// pool, then handed to polars' writer. The file is the one polars' `ParquetWriter` writes of
/// the parts (a test holds the two together), but polars would encode and compress every page
/// on the one thread that writes (the last 0.7 s of L's write, on one core), and hold the
/// whole frame in one chunk beside the parts.
fn parquet(report: &Report, out: impl std::io::Write) -> PolarsResult<()> {
    parquet_in_groups(report.analysis, out, ties::PART, GROUP)
}

/// [`parquet`] in parts of `part` ties, `group` parts a row group.
fn parquet_in_groups(
    a: &Analysis,
    out: impl std::io::Write,
    part: usize,
    group: usize,
) -> PolarsResult<()> {
    let schema = ties::joined(a, Vec::new())?.schema().clone();
    let mut writer = ParquetWriter::new(out)
        .with_compression(COMPRESSION)
        .batched(&schema)?;
    // The options and encodings `ParquetWriter` gives its own pages.
    let options = WriteOptions {
        statistics: StatisticsOptions::default(),
        compression: COMPRESSION.into(),
        version: Version::V1,
        data_page_size: None,
    };
    let encodings = get_encodings(&schema.to_arrow(CompatLevel::newest()));
    let types = writer.parquet_schema().fields().to_vec();
    let mut parts = ties::parts(a, part)?.into_iter();
    loop {
        let frame = ties::joined(a, parts.by_ref().take(group).collect())?;
        if frame.height() == 0 {
            break;
        }
        for batch in frame.iter_chunks(CompatLevel::newest(), false) {
            let leaves = batch
                .columns()
                .par_iter()
                .zip(&types)
                .zip(encodings.as_ref())
                .map(|((array, parquet_type), encoding)| {
                    compressed_pages(array, parquet_type, encoding, options)
                })
                .collect::<PolarsResult<Vec<_>>>()?;
            let leaves: Vec<Vec<CompressedPage>> = leaves.into_iter().flatten().collect();
            writer.write_row_group(batch.len() as u64, &leaves)?;
        }
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
    fn the_file_is_the_one_polars_writes_of_the_parts() {
        // Row groups of 262,144 ties, as the README says (polars' own size).
        assert_eq!(ties::PART * GROUP, 262_144);
        for (name, mut a) in super::super::ties::tests::analyses() {
            let whole = ties::ties_frame(&a).unwrap();
            for (part, group) in [(1, 2), (2, 3), (5, 2), (ties::PART, GROUP)] {
                let mut ours = Vec::new();
                parquet_in_groups(&a, &mut ours, part, group).unwrap();
                // polars' writer, given the parts end to end, gathers them into row groups of
                // `part * group` ties.
                let mut parts = ties::parts(&a, part)
                    .unwrap()
                    .into_iter()
                    .map(|columns| DataFrame::new(columns[0].len(), columns).unwrap());
                let mut frame = parts.next().unwrap();
                for p in parts {
                    frame.vstack_mut_owned(p).unwrap();
                }
                let mut theirs = Vec::new();
                ParquetWriter::new(&mut theirs)
                    .with_compression(COMPRESSION)
                    .with_row_group_size(Some(part * group))
                    .finish(&mut frame)
                    .unwrap();
                assert!(ours == theirs, "{name}: parts of {part}, {group} a group");
                // It reads back as the tie table, in row groups of `part * group` ties.
                let mut reader = ParquetReader::new(std::io::Cursor::new(ours));
                let groups = reader.get_metadata().unwrap().row_groups.len();
                assert_eq!(groups, whole.height().div_ceil(part * group), "{name}");
                assert!(reader.finish().unwrap().equals_missing(&whole), "{name}");
            }
            // No ties: a file of no row groups, with the columns.
            a.ties.clear();
            let mut ours = Vec::new();
            parquet_in_groups(&a, &mut ours, 2, 3).unwrap();
            let mut theirs = Vec::new();
            ParquetWriter::new(&mut theirs)
                .with_compression(COMPRESSION)
                .finish(&mut ties::ties_frame(&a).unwrap())
                .unwrap();
            assert!(ours == theirs, "{name}: no ties");
        }
    }
}
