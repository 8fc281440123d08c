//! `ties.csv`: one row per alter with every field of METRICS.md §4, written by polars.

use polars::prelude::*;
use rayon::prelude::*;

use std::path::Path;

use super::{render_buffered, write_streamed, Exporter, OutputError, Report};
use crate::analysis::Analysis;
use crate::export::DAY;
use crate::identity::Person;
use crate::metrics::{Pollination, Tie};

/// The `ties.csv` exporter.
pub struct TiesCsv;

/// The tie table as a typed polars frame: dates as dates, instants as UTC datetimes (ms),
/// counts as integers; message-derived columns are null without a messages file.
pub fn ties_frame(a: &Analysis) -> PolarsResult<DataFrame> {
    let ties: &[Tie] = &a.ties;
    let people = &a.id.people;
    let person = move |t: &Tie| &people[t.alter as usize];
    // Each column is one pass over the ties, built on the thread pool beside the others.
    type Build<'a> = Box<dyn Fn() -> PolarsResult<Column> + Send + Sync + 'a>;
    // Borrowed from the people, not cloned: a million ties would be four million strings.
    let text = |name: &'static str, f: fn(&Person) -> &str| -> Build {
        Box::new(move || {
            let values: Vec<&str> = ties.iter().map(|t| f(person(t))).collect();
            Ok(Column::new(name.into(), values))
        })
    };
    // One typed, nullable column from a message-derived field (null without messages).
    fn field<T>(ties: &[Tie], name: &str, f: impl Fn(&Pollination) -> Option<T>) -> Column
    where
        Series: NamedFrom<Vec<Option<T>>, [Option<T>]>,
    {
        let values: Vec<Option<T>> = ties
            .iter()
            .map(|t| t.pollination.as_ref().and_then(&f))
            .collect();
        Column::new(name.into(), values)
    }
    let count = |name: &'static str, f: fn(&Pollination) -> u32| -> Build {
        Box::new(move || Ok(field(ties, name, |p| Some(f(p)))))
    };
    let float = |name: &'static str, f: fn(&Pollination) -> Option<f64>| -> Build {
        Box::new(move || Ok(field(ties, name, f)))
    };
    let int = |name: &'static str, f: fn(&Pollination) -> Option<i64>| -> Build {
        Box::new(move || Ok(field(ties, name, f)))
    };
    let instant = |name: &'static str, f: fn(&Pollination) -> Option<i64>| -> Build {
        Box::new(move || {
            field(ties, name, |p| f(p).map(|s| s * 1000))
                .cast(&DataType::Datetime(TimeUnit::Milliseconds, None))
        })
    };
    let columns: [Build; 23] = [
        text("key", |p| &p.key),
        text("name", |p| &p.name),
        text("company", |p| &p.company),
        text("position", |p| &p.position),
        Box::new(|| {
            let days: Vec<Option<i32>> = ties
                .iter()
                .map(|t| person(t).connected_on.map(|s| (s / DAY) as i32))
                .collect();
            Column::new("connected_on".into(), days).cast(&DataType::Date)
        }),
        Box::new(|| {
            let values: Vec<bool> = ties.iter().map(|t| person(t).is_connection).collect();
            Ok(Column::new("is_connection".into(), values))
        }),
        count("sent", |p| p.sent),
        count("received", |p| p.received),
        count("messages", |p| p.messages()),
        count("conversations", |p| p.conversations),
        count("exchanges", |p| p.exchanges),
        instant("first_message_at", |p| p.first_message_at),
        instant("last_message_at", |p| p.last_message_at),
        instant("first_exchange_at", |p| p.first_exchange_at),
        float("reciprocity", |p| Some(p.reciprocity)),
        float("initiative", |p| p.initiative),
        float("reply_hours_owner", |p| p.reply_hours_owner),
        float("reply_hours_alter", |p| p.reply_hours_alter),
        int("days_to_first_message", |p| p.days_to_first_message),
        int("days_to_pollination", |p| p.days_to_pollination),
        float("engagement", |p| Some(p.engagement)),
        Box::new(|| {
            let values: Vec<Option<&str>> = ties
                .iter()
                .map(|t| t.pollination.as_ref().map(|p| p.state.name()))
                .collect();
            Ok(Column::new("state".into(), values))
        }),
        Box::new(|| {
            let values: Vec<Option<&str>> = ties
                .iter()
                .map(|t| {
                    t.pollination
                        .as_ref()
                        .and_then(|p| p.layer)
                        .map(|l| l.name())
                })
                .collect();
            Ok(Column::new("layer".into(), values))
        }),
    ];
    let columns = columns
        .par_iter()
        .map(|build| build())
        .collect::<PolarsResult<Vec<_>>>()?;
    DataFrame::new(ties.len(), columns)
}

impl Exporter for TiesCsv {
    fn file_name(&self) -> &'static str {
        "ties.csv"
    }

    fn render(&self, report: &Report) -> Result<Vec<u8>, OutputError> {
        render_buffered("ties.csv", |out| csv(report, out))
    }

    fn write(&self, report: &Report, path: &Path) -> Result<(), OutputError> {
        write_streamed(path, "ties.csv", |out| csv(report, out))
    }
}

/// Writes the tie table as CSV to `out`.
fn csv(report: &Report, out: impl std::io::Write) -> PolarsResult<()> {
    CsvWriter::new(out)
        .include_header(true)
        .with_datetime_format(Some("%Y-%m-%dT%H:%M:%SZ".into()))
        .with_date_format(Some("%Y-%m-%d".into()))
        .finish(&mut report.ties_to_write()?)
}
