//! The floor no analysis can beat: a bare polars read of the columns orchard needs from an
//! export folder's three files, all as text, multi-threaded. `benches/run.sh` times it beside
//! `orchard report --no-charts` on the same files.
//!
//!     cargo run --release --example polars_floor -- EXPORT_FOLDER

use std::path::Path;
use std::sync::Arc;

use polars::prelude::*;

/// Reads the named columns of one CSV file; `skip` lines of preamble.
fn read(path: &Path, columns: &[&str], skip: usize) -> PolarsResult<DataFrame> {
    let columns: Arc<[PlSmallStr]> = columns.iter().map(|c| PlSmallStr::from(*c)).collect();
    CsvReadOptions::default()
        .with_has_header(true)
        .with_skip_rows(skip)
        .with_columns(Some(columns))
        .with_infer_schema_length(Some(0)) // everything as text: no inference pass
        .map_parse_options(|p| p.with_truncate_ragged_lines(true))
        .try_into_reader_with_file_path(Some(path.to_path_buf()))?
        .finish()
}

fn main() -> PolarsResult<()> {
    let dir = std::env::args()
        .nth(1)
        .expect("usage: polars_floor EXPORT_FOLDER");
    let dir = Path::new(&dir);
    let clock = std::time::Instant::now();
    let mut rows = 0;
    let messages = dir.join("messages.csv");
    if messages.is_file() {
        let cols = [
            "CONVERSATION ID",
            "CONVERSATION TITLE",
            "FROM",
            "SENDER PROFILE URL",
            "TO",
            "RECIPIENT PROFILE URLS",
            "DATE",
            "FOLDER",
            "IS MESSAGE DRAFT",
        ];
        rows += read(&messages, &cols, 0)?.height();
    }
    let connections = dir.join("Connections.csv");
    if connections.is_file() {
        let cols = [
            "First Name",
            "Last Name",
            "URL",
            "Company",
            "Position",
            "Connected On",
        ];
        rows += read(&connections, &cols, 3)?.height();
    }
    let invitations = dir.join("Invitations.csv");
    if invitations.is_file() {
        let cols = [
            "From",
            "To",
            "Sent At",
            "Message",
            "Direction",
            "inviterProfileUrl",
            "inviteeProfileUrl",
        ];
        rows += read(&invitations, &cols, 0)?.height();
    }
    println!("{rows} rows in {:.3} s", clock.elapsed().as_secs_f64());
    Ok(())
}
