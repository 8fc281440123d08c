//! The tie table: one row per alter with every field of METRICS.md §4. `ties.csv` is written
//! here, row by row on every thread; `ties.parquet` and snapshots take it as a polars frame.
//! Both come from one list of columns, [`COLUMNS`].

use polars::prelude::*;
use rayon::prelude::*;

use std::io::Write;
use std::path::Path;

use super::{render_buffered, write_streamed, Exporter, OutputError, Report};
use crate::analysis::Analysis;
use crate::export::{civil_from_days, day_of, Instant, DAY};
use crate::identity::Person;
use crate::metrics::{Pollination, Tie};

/// The `ties.csv` exporter.
pub struct TiesCsv;

/// How one column's value is read from a tie: from its person, or from its message-derived
/// measures (null without a messages file).
#[derive(Clone, Copy)]
enum Field {
    /// Text of the person.
    Text(fn(&Person) -> &str),
    /// The day the person was connected: a date.
    Day(fn(&Person) -> Option<Instant>),
    /// A flag of the person.
    Flag(fn(&Person) -> bool),
    /// A count.
    Count(fn(&Pollination) -> u32),
    /// An instant: a UTC datetime (ms).
    At(fn(&Pollination) -> Option<Instant>),
    /// A float.
    Float(fn(&Pollination) -> Option<f64>),
    /// An integer.
    Int(fn(&Pollination) -> Option<i64>),
    /// A name (a state, a layer).
    Name(fn(&Pollination) -> Option<&'static str>),
}

/// The columns of the tie table, in order.
const COLUMNS: [(&str, Field); 23] = [
    ("key", Field::Text(|p| &p.key)),
    ("name", Field::Text(|p| &p.name)),
    ("company", Field::Text(|p| &p.company)),
    ("position", Field::Text(|p| &p.position)),
    ("connected_on", Field::Day(|p| p.connected_on)),
    ("is_connection", Field::Flag(|p| p.is_connection)),
    ("sent", Field::Count(|p| p.sent)),
    ("received", Field::Count(|p| p.received)),
    ("messages", Field::Count(Pollination::messages)),
    ("conversations", Field::Count(|p| p.conversations)),
    ("exchanges", Field::Count(|p| p.exchanges)),
    ("first_message_at", Field::At(|p| p.first_message_at)),
    ("last_message_at", Field::At(|p| p.last_message_at)),
    ("first_exchange_at", Field::At(|p| p.first_exchange_at)),
    ("reciprocity", Field::Float(|p| Some(p.reciprocity))),
    ("initiative", Field::Float(|p| p.initiative)),
    ("reply_hours_owner", Field::Float(|p| p.reply_hours_owner)),
    ("reply_hours_alter", Field::Float(|p| p.reply_hours_alter)),
    (
        "days_to_first_message",
        Field::Int(|p| p.days_to_first_message),
    ),
    ("days_to_pollination", Field::Int(|p| p.days_to_pollination)),
    ("engagement", Field::Float(|p| Some(p.engagement))),
    ("state", Field::Name(|p| Some(p.state.name()))),
    ("layer", Field::Name(|p| p.layer.map(|l| l.name()))),
];

/// The day number a `connected_on` date column holds.
fn date_days(t: Instant) -> i32 {
    (t / DAY) as i32
}

/// The tie table as a typed polars frame: dates as dates, instants as UTC datetimes (ms),
/// counts as integers; message-derived columns are null without a messages file.
pub fn ties_frame(a: &Analysis) -> PolarsResult<DataFrame> {
    frame_in_parts(a, PART)
}

/// [`ties_frame`], built from [`parts`] of `part` ties.
fn frame_in_parts(a: &Analysis, part: usize) -> PolarsResult<DataFrame> {
    joined(a, parts(a, part)?)
}

/// Ties a part holds: about 1.4 MB of them, within a core's cache.
pub(super) const PART: usize = 8192;

/// The tie table's columns in parts of `part` ties, built on the thread pool, each part's
/// columns one after another: a part's ties stay in the core's cache while its columns are
/// taken, where each column of all the ties in turn went through memory (a tie is 170
/// bytes). L's frame took 0.41-0.54 s on two cores so, and takes 0.28-0.35 s.
pub(super) fn parts(a: &Analysis, part: usize) -> PolarsResult<Vec<Vec<Column>>> {
    a.ties
        .par_chunks(part)
        .map(|ties| columns_of(a, ties))
        .collect()
}

/// The frame of `parts`, some of [`parts`] in order: each column's parts end to end, in one
/// chunk. Column by column on the thread pool, so that a column's parts and its whole are
/// held together for as many columns as there are threads, not for the whole frame.
pub(super) fn joined(a: &Analysis, parts: Vec<Vec<Column>>) -> PolarsResult<DataFrame> {
    if parts.is_empty() {
        return DataFrame::new(0, columns_of(a, &[])?);
    }
    let mut by_column: Vec<Vec<Column>> = COLUMNS.iter().map(|_| Vec::new()).collect();
    for columns in parts {
        for (parts, column) in by_column.iter_mut().zip(columns) {
            parts.push(column);
        }
    }
    let columns = by_column
        .into_par_iter()
        .map(|parts| {
            let mut parts = parts.into_iter();
            let mut whole = parts.next().expect("one part at least");
            for part in parts {
                whole.append_owned(part)?;
            }
            Ok(whole.rechunk())
        })
        .collect::<PolarsResult<Vec<_>>>()?;
    DataFrame::new(columns[0].len(), columns)
}

/// The columns of the tie table of `ties`, some of `a`'s.
fn columns_of(a: &Analysis, ties: &[Tie]) -> PolarsResult<Vec<Column>> {
    let people = &a.id.people;
    let person = |t: &Tie| &people[t.alter as usize];
    // One typed, nullable column from a message-derived field: its values, and where any is
    // null a validity bitmap, handed to polars whole. Built value by value, through polars'
    // builder, a column of a million ties took 30-40 ms.
    fn measured<T: PolarsNumericType>(
        ties: &[Tie],
        name: &str,
        f: impl Fn(&Pollination) -> Option<T::Native>,
    ) -> Column {
        let mut values = Vec::with_capacity(ties.len());
        let mut valid = polars_arrow::bitmap::MutableBitmap::with_capacity(ties.len());
        for t in ties {
            let value = t.pollination.as_ref().and_then(&f);
            values.push(value.unwrap_or_default());
            valid.push(value.is_some());
        }
        let validity = (valid.unset_bits() > 0).then(|| valid.into());
        ChunkedArray::<T>::from_vec_validity(name.into(), values, validity).into_column()
    }
    COLUMNS
        .iter()
        .map(|&(name, field)| match field {
            // Borrowed from the people, not cloned: a million ties would be four million
            // strings.
            Field::Text(f) => {
                let values: Vec<&str> = ties.iter().map(|t| f(person(t))).collect();
                Ok(Column::new(name.into(), values))
            }
            Field::Day(f) => {
                let days: Vec<Option<i32>> =
                    ties.iter().map(|t| f(person(t)).map(date_days)).collect();
                Column::new(name.into(), days).cast(&DataType::Date)
            }
            Field::Flag(f) => {
                let values: Vec<bool> = ties.iter().map(|t| f(person(t))).collect();
                Ok(Column::new(name.into(), values))
            }
            Field::Count(f) => Ok(measured::<UInt32Type>(ties, name, |p| Some(f(p)))),
            Field::At(f) => measured::<Int64Type>(ties, name, |p| f(p).map(|s| s * 1000))
                .cast(&DataType::Datetime(TimeUnit::Milliseconds, None)),
            Field::Float(f) => Ok(measured::<Float64Type>(ties, name, f)),
            Field::Int(f) => Ok(measured::<Int64Type>(ties, name, f)),
            Field::Name(f) => {
                let values: Vec<Option<&str>> = ties
                    .iter()
                    .map(|t| t.pollination.as_ref().and_then(f))
                    .collect();
                Ok(Column::new(name.into(), values))
            }
        })
        .collect()
}

impl Exporter for TiesCsv {
    fn file_name(&self) -> &'static str {
        "ties.csv"
    }

    fn render(&self, report: &Report) -> Result<Vec<u8>, OutputError> {
        render_buffered("ties.csv", |out| Ok(csv(report.analysis, out)?))
    }

    fn write(&self, report: &Report, path: &Path) -> Result<(), OutputError> {
        write_streamed(path, "ties.csv", |out| Ok(csv(report.analysis, out)?))
    }
}

/// Rows formatted as one piece of work.
const BLOCK: usize = 4096;
/// Blocks formatted while the ones before them are written: about 30 MB of text at once.
const BATCH: usize = 32;

/// Writes the tie table as CSV to `out`, byte for byte as polars' `CsvWriter` writes
/// [`ties_frame`] (a test holds the two together): a header, then one line per tie. Text is
/// quoted only when it holds a comma, quote or line end, and is empty only as `""`; a null
/// is nothing; dates are `YYYY-MM-DD`, instants `YYYY-MM-DDTHH:MM:SSZ`, floats polars'
/// shortest round-trip form. Blocks of rows are formatted on every thread while the blocks
/// before them are written: polars formatted the instants through chrono, and was 2 s of
/// a million ties' write.
fn csv(a: &Analysis, out: &mut (dyn Write + Send)) -> std::io::Result<()> {
    csv_in_blocks(a, out, BLOCK, BATCH)
}

/// [`csv`] in blocks of `block` rows, `batch` blocks formatted at once.
fn csv_in_blocks(
    a: &Analysis,
    out: &mut (dyn Write + Send),
    block: usize,
    batch: usize,
) -> std::io::Result<()> {
    let names: Vec<&str> = COLUMNS.iter().map(|(name, _)| *name).collect();
    out.write_all(names.join(",").as_bytes())?;
    out.write_all(b"\n")?;
    let people = &a.id.people;
    let format = |block: &[Tie]| {
        let mut text = Vec::with_capacity(block.len() * 256);
        for t in block {
            row(&mut text, t, &people[t.alter as usize]);
        }
        text
    };
    let mut formatted: Vec<Vec<u8>> = Vec::new();
    for rows in a.ties.chunks(block * batch) {
        let (written, next) = rayon::join(
            || formatted.iter().try_for_each(|text| out.write_all(text)),
            || rows.par_chunks(block).map(format).collect(),
        );
        written?;
        formatted = next;
    }
    formatted.iter().try_for_each(|text| out.write_all(text))
}

/// One tie's line of `ties.csv`.
fn row(out: &mut Vec<u8>, t: &Tie, person: &Person) {
    for (i, (_, field)) in COLUMNS.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        let measured = t.pollination.as_ref();
        match *field {
            Field::Text(f) => text(out, f(person)),
            Field::Day(f) => {
                if let Some(t) = f(person) {
                    date(out, date_days(t));
                }
            }
            Field::Flag(f) => out.extend_from_slice(if f(person) { b"true" } else { b"false" }),
            Field::Count(f) => integer(out, measured.map(f)),
            Field::At(f) => {
                if let Some(t) = measured.and_then(f) {
                    instant(out, t);
                }
            }
            Field::Float(f) => {
                if let Some(x) = measured.and_then(f) {
                    out.extend_from_slice(zmij::Buffer::new().format(x).as_bytes());
                }
            }
            Field::Int(f) => integer(out, measured.and_then(f)),
            Field::Name(f) => {
                if let Some(name) = measured.and_then(f) {
                    text(out, name);
                }
            }
        }
    }
    out.push(b'\n');
}

/// An integer as polars writes it (itoa); a null as nothing.
fn integer(out: &mut Vec<u8>, n: Option<impl itoa::Integer>) {
    if let Some(n) = n {
        out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
    }
}

/// Text as polars writes it: quoted when it holds a comma, a quote or a line end, with
/// quotes doubled; the empty text as `""` (nothing is a null).
fn text(out: &mut Vec<u8>, s: &str) {
    let s = s.as_bytes();
    if s.is_empty() {
        out.extend_from_slice(b"\"\"");
    } else if memchr::memchr3(b',', b'\n', b'\r', s).is_none() && memchr::memchr(b'"', s).is_none()
    {
        out.extend_from_slice(s);
    } else {
        out.push(b'"');
        for (i, piece) in s.split(|&b| b == b'"').enumerate() {
            if i > 0 {
                out.extend_from_slice(b"\"\"");
            }
            out.extend_from_slice(piece);
        }
        out.push(b'"');
    }
}

/// `n` in `width` digits, zero-padded.
fn digits(out: &mut Vec<u8>, n: u32, width: usize) {
    let mut buf = [b'0'; 4];
    let mut n = n;
    for b in buf[..width].iter_mut().rev() {
        *b = b'0' + (n % 10) as u8;
        n /= 10;
    }
    out.extend_from_slice(&buf[..width]);
}

/// `YYYY-MM-DD` of a day number: as chrono's `%Y-%m-%d`, which pads the year to four digits
/// and signs a year outside 0–9999 (left to chrono itself).
fn date(out: &mut Vec<u8>, days: i32) -> bool {
    let (y, m, d) = civil_from_days(days.into());
    if !(0..=9999).contains(&y) {
        let from_ce = chrono::NaiveDate::from_num_days_from_ce_opt(days.saturating_add(719_163));
        if let Some(day) = from_ce {
            let _ = write!(out, "{}", day.format("%Y-%m-%d"));
        }
        return false;
    }
    digits(out, y as u32, 4);
    out.push(b'-');
    digits(out, m, 2);
    out.push(b'-');
    digits(out, d, 2);
    true
}

/// `YYYY-MM-DDTHH:MM:SSZ` of an instant, as chrono formats it.
fn instant(out: &mut Vec<u8>, t: Instant) {
    let Ok(days) = i32::try_from(day_of(t)) else {
        return;
    };
    let start = out.len();
    if !date(out, days) {
        out.truncate(start);
        if let Some(at) = chrono::DateTime::from_timestamp(t, 0) {
            let _ = write!(out, "{}", at.naive_utc().format("%Y-%m-%dT%H:%M:%SZ"));
        }
        return;
    }
    let s = t.rem_euclid(DAY) as u32;
    out.push(b'T');
    digits(out, s / 3600, 2);
    out.push(b':');
    digits(out, s % 3600 / 60, 2);
    out.push(b':');
    digits(out, s % 60, 2);
    out.push(b'Z');
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// Analyses of exports of each shape: the sample export, the same without its messages
    /// (every message-derived column null), and the widest fixture.
    pub(in crate::report) fn analyses() -> Vec<(&'static str, Analysis)> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let sample = root.join("data/sample-export");
        let bare = tempfile::tempdir().unwrap();
        for file in ["Connections.csv", "Invitations.csv", "Profile.csv"] {
            std::fs::copy(sample.join(file), bare.path().join(file)).unwrap();
        }
        let analyse = |dir: &Path| crate::analysis::analyse(dir, &Default::default()).unwrap();
        let found = vec![
            ("sample export", analyse(&sample)),
            ("sample export without messages", analyse(bare.path())),
            (
                "layers_wide",
                analyse(&root.join("tests/fixtures/layers_wide")),
            ),
        ];
        assert!(found[1].1.ties.iter().all(|t| t.pollination.is_none()));
        found
    }

    /// What polars' `CsvWriter` writes for one column of `values`, as ties.csv is written.
    fn polars_csv(column: Column) -> String {
        let mut frame = DataFrame::new(column.len(), vec![column]).unwrap();
        let mut out = Vec::new();
        CsvWriter::new(&mut out)
            .include_header(false)
            .with_datetime_format(Some("%Y-%m-%dT%H:%M:%SZ".into()))
            .with_date_format(Some("%Y-%m-%d".into()))
            .finish(&mut frame)
            .unwrap();
        String::from_utf8(out).unwrap()
    }

    /// The same values through `write` here, one per line.
    fn ours<T: Copy>(values: &[T], write: impl Fn(&mut Vec<u8>, T)) -> String {
        let mut out = Vec::new();
        for &v in values {
            write(&mut out, v);
            out.push(b'\n');
        }
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn a_frame_built_in_parts_is_the_frame_built_whole() {
        // Every shape of export in parts of one, two and five ties, as a million ties are in
        // parts of 8,192.
        for (name, a) in analyses() {
            assert!(a.ties.len() > 10, "{name}: several parts");
            let whole = frame_in_parts(&a, usize::MAX).unwrap();
            assert_eq!(whole.height(), a.ties.len());
            for part in [1, 2, 5] {
                let parts = frame_in_parts(&a, part).unwrap();
                assert_eq!(parts.schema(), whole.schema(), "{name}, parts of {part}");
                assert!(parts.equals_missing(&whole), "{name}, parts of {part}");
                assert!(
                    parts.columns().iter().all(|c| c.n_chunks() == 1),
                    "{name}: one chunk a column, as ties.parquet's row groups expect"
                );
            }
        }
        // No ties: the columns, typed, without rows.
        let mut a = analyses().swap_remove(0).1;
        let schema = ties_frame(&a).unwrap().schema().clone();
        a.ties.clear();
        let empty = ties_frame(&a).unwrap();
        assert_eq!((empty.height(), empty.schema()), (0, &schema));
    }

    #[test]
    fn rows_in_many_batches_are_written_in_order() {
        // Every shape of export in blocks of three rows, two blocks a batch: a batch written
        // while the next is formatted, as a million ties are in blocks of 4,096. The file is
        // also what polars' own CSV writer makes of the tie frame: the frame, built in parts,
        // is held to this writer, which shares none of its code.
        for (name, a) in analyses() {
            assert!(a.ties.len() > 3 * 2 * 3, "{name}: several batches");
            let (mut small, mut whole) = (Vec::new(), Vec::new());
            csv_in_blocks(&a, &mut small, 3, 2).unwrap();
            csv(&a, &mut whole).unwrap();
            assert_eq!(small, whole, "{name}");
            let mut by_polars = Vec::new();
            CsvWriter::new(&mut by_polars)
                .include_header(true)
                .with_datetime_format(Some("%Y-%m-%dT%H:%M:%SZ".into()))
                .with_date_format(Some("%Y-%m-%d".into()))
                .finish(&mut frame_in_parts(&a, 2).unwrap())
                .unwrap();
            assert_eq!(
                String::from_utf8(small).unwrap(),
                String::from_utf8(by_polars).unwrap(),
                "{name}"
            );
        }
    }

    #[test]
    fn text_is_quoted_as_polars_quotes_it() {
        let values = [
            "plain",
            "",
            " spaced ",
            "a,b",
            "say \"hi\"",
            "\"",
            "two\nlines",
            "cr\r",
            "Zoë, Ph.D.",
            "x\"\"y,",
        ];
        assert_eq!(
            ours(&values, text),
            polars_csv(Column::new("t".into(), values))
        );
        assert_eq!(ours(&["a,\"b\""], text), "\"a,\"\"b\"\"\"\n");
    }

    #[test]
    fn floats_are_polars_shortest_form() {
        let mut values = vec![
            0.0,
            -0.0,
            1.0,
            0.5,
            1.0 / 3.0,
            2.0 / 3.0,
            100.0,
            1e15,
            1e16,
            1e17,
            1.5e300,
            1e-5,
            1e-7,
            123_456.789,
            0.1 + 0.2,
            5e-324,
            f64::MAX,
            24.0 / 7.0,
        ];
        // And a spread of bit patterns, every magnitude.
        let mut x = 0x9e37_79b9_7f4a_7c15_u64;
        for _ in 0..2000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let v = f64::from_bits(x);
            if v.is_finite() {
                values.push(v);
            }
        }
        let float = |out: &mut Vec<u8>, v: f64| {
            out.extend_from_slice(zmij::Buffer::new().format(v).as_bytes())
        };
        assert_eq!(
            ours(&values, float),
            polars_csv(Column::new("f".into(), values))
        );
    }

    #[test]
    fn dates_and_instants_are_formatted_as_chrono_formats_them() {
        // Days and instants across eras, month ends, leap days and the epoch's both sides.
        let days: Vec<i32> = vec![
            0, -1, 1, 59, 789, 11_016, 12_477, 19_000, 20_000, 47_482, -719_162, 2_932_896,
            2_932_897, -719_163, -800_000, 3_000_000,
        ];
        let date_text = |out: &mut Vec<u8>, d: i32| {
            date(out, d);
        };
        assert_eq!(
            ours(&days, date_text),
            polars_csv(
                Column::new("d".into(), days.clone())
                    .cast(&DataType::Date)
                    .unwrap()
            )
        );
        let mut instants: Vec<i64> = days.iter().map(|&d| d as i64 * DAY + 3_723).collect();
        instants.extend([0, -1, 86_399, 1_700_000_000, 1_709_164_799, 4_102_444_800]);
        let ms: Vec<i64> = instants.iter().map(|s| s * 1000).collect();
        let datetime = Column::new("i".into(), ms)
            .cast(&DataType::Datetime(TimeUnit::Milliseconds, None))
            .unwrap();
        assert_eq!(ours(&instants, instant), polars_csv(datetime));
    }
}
