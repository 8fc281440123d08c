//! One CSV table of an export: encoding, header detection, and record iteration.
//!
//! Real files carry preambles, BOMs, Excel re-saves and fields with newlines (FORMATS.md); the
//! header is found by its column names, columns are mapped by name, and every record keeps the
//! line it starts on so that errors and skipped rows can be pointed at.

use std::borrow::Cow;
use std::cell::Cell;
use std::rc::Rc;

use super::scan::Record;
use super::ReadError;

/// How a table's header is recognised.
pub struct HeaderSpec {
    /// Columns that must be present (compared case-insensitively, trimmed).
    pub required: &'static [&'static str],
    /// Columns that may be present.
    pub optional: &'static [&'static str],
}

impl HeaderSpec {
    fn known(&self, name: &str) -> bool {
        self.required
            .iter()
            .chain(self.optional)
            .any(|c| c.eq_ignore_ascii_case(name))
    }
}

/// The text encoding a file was found in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Encoding {
    /// UTF-8 (with or without a BOM).
    Utf8,
    /// UTF-16 little-endian with a BOM, decoded on reading.
    Utf16le,
}

/// A file's bytes made ready for the CSV parser: BOM gone, UTF-16 decoded.
pub struct Prepared<'a> {
    /// The UTF-8 bytes to parse.
    pub bytes: Cow<'a, [u8]>,
    /// The encoding found.
    pub encoding: Encoding,
}

/// Checks what the bytes are before parsing them: empty, a workbook, UTF-16.
pub fn prepare<'a>(file: &str, bytes: &'a [u8]) -> Result<Prepared<'a>, ReadError> {
    if bytes.starts_with(b"PK\x03\x04") {
        return Err(ReadError::NotCsv {
            file: file.to_string(),
            why: "it starts like a ZIP archive — probably an Excel workbook (.xlsx) renamed to \
                  .csv; open it in a spreadsheet program and save it as CSV (UTF-8)"
                .into(),
        });
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        let text = String::from_utf16_lossy(&units);
        return Ok(Prepared {
            bytes: Cow::Owned(text.into_bytes()),
            encoding: Encoding::Utf16le,
        });
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ReadError::Empty {
            file: file.to_string(),
        });
    }
    Ok(Prepared {
        bytes: Cow::Borrowed(bytes),
        encoding: Encoding::Utf8,
    })
}

/// A table's header: where it is and which column is which.
#[derive(Debug)]
pub struct Header {
    /// Column names as written (trimmed).
    pub names: Vec<String>,
    /// The 1-based line the header is on.
    pub line: u64,
    /// Whether the header's first field is quoted (2026 writes every field quoted).
    pub quoted: bool,
    /// Byte offset where the data records start.
    pub data_start: usize,
    /// The 1-based line `data_start` is on.
    pub data_line: u64,
}

/// The parser reports a record as starting where the previous one ended, before the line
/// ends and blank lines it skipped: move past them to the record's first byte.
pub(super) fn skip_line_ends(bytes: &[u8], at: u64) -> usize {
    let mut i = at as usize;
    while i < bytes.len() && (bytes[i] == b'\n' || bytes[i] == b'\r') {
        i += 1;
    }
    i
}

/// Number of `\n` bytes in a slice. (memchr counts 32 bytes at a step; the compiler turned
/// a filter-and-count loop into four bytes a step, a tenth of the reading time.)
pub(super) fn newlines(bytes: &[u8]) -> u64 {
    memchr::memchr_iter(b'\n', bytes).count() as u64
}

impl Header {
    /// The index of a column, by name, case-insensitively.
    pub fn index(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| n.eq_ignore_ascii_case(name))
    }
    /// Whether the column exists.
    pub fn has(&self, name: &str) -> bool {
        self.index(name).is_some()
    }
    /// Number of lines before the header (a preamble).
    pub fn preamble_lines(&self) -> u64 {
        self.line - 1
    }
}

fn csv_builder() -> csv::ReaderBuilder {
    let mut b = csv::ReaderBuilder::new();
    b.has_headers(false).flexible(true);
    b
}

/// The largest row orchard reads, in bytes, and so the largest field: 4 MiB. A LinkedIn
/// message body is a few KiB; a larger row is a damaged or hostile file. The parser holds a
/// whole row (its bytes, and a word per field), so this bounds what one row can cost. The
/// environment variable `ORCHARD_MAX_FIELD_MB` lowers or raises it.
pub fn max_row_bytes() -> usize {
    std::env::var("ORCHARD_MAX_FIELD_MB")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        .map_or(4 << 20, |mb| mb.saturating_mul(1 << 20))
}

/// Slack for the parser's read-ahead buffer (8 KiB) beyond a row's end.
pub(super) const READ_AHEAD: usize = 64 << 10;

/// The bytes handed to the CSV parser, cut off where the current row would pass the row
/// limit: the parser grows a record without bound, so the limit is enforced on its input.
/// The reader moves `until` before each record.
struct Capped<'a> {
    data: &'a [u8],
    at: usize,
    until: Rc<Cell<usize>>,
}

/// The error a [`Capped`] reader gives when a row passes the limit.
#[derive(Debug)]
struct RowTooLong;

impl std::fmt::Display for RowTooLong {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("row too long")
    }
}

impl std::error::Error for RowTooLong {}

impl std::io::Read for Capped<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let end = self.data.len().min(self.until.get());
        if self.at >= end && self.at < self.data.len() {
            return Err(std::io::Error::other(RowTooLong));
        }
        let n = buf.len().min(end.saturating_sub(self.at));
        buf[..n].copy_from_slice(&self.data[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

/// A CSV reader over `data` whose rows cannot pass [`max_row_bytes`], and the handle that
/// moves the limit: call [`CappedReader::read`] for each record.
struct CappedReader<'a> {
    rdr: csv::Reader<Capped<'a>>,
    until: Rc<Cell<usize>>,
    limit: usize,
    data: &'a [u8],
}

impl<'a> CappedReader<'a> {
    fn new(data: &'a [u8]) -> Self {
        let until = Rc::new(Cell::new(0));
        let limit = max_row_bytes();
        let rdr = csv_builder().from_reader(Capped {
            data,
            at: 0,
            until: until.clone(),
        });
        CappedReader {
            rdr,
            until,
            limit,
            data,
        }
    }

    /// Reads the next record; `Err(Some(offset))` when the record starting at `offset` is
    /// longer than the limit, `Err(None)` with the parser's error otherwise. The limit counts
    /// from the record's first byte: blank lines before it are not part of it (the parser
    /// skips them without holding them), so a row is measured alike wherever the bytes given
    /// to the parser start — at the file's start or at a window's.
    fn read(&mut self, record: &mut csv::ByteRecord) -> Result<bool, ReadFailure> {
        let start = skip_line_ends(self.data, self.rdr.position().byte());
        self.until
            .set(start.saturating_add(self.limit).saturating_add(READ_AHEAD));
        match self.rdr.read_byte_record(record) {
            Ok(more) => {
                let len = record.as_slice().len() + record.len();
                if len > self.limit {
                    // Short of the read-ahead slack, but over the limit all the same.
                    return Err(ReadFailure::TooLong(start));
                }
                Ok(more)
            }
            Err(e) => match e.kind() {
                csv::ErrorKind::Io(io)
                    if io.get_ref().is_some_and(|inner| inner.is::<RowTooLong>()) =>
                {
                    Err(ReadFailure::TooLong(start))
                }
                _ => Err(ReadFailure::Csv(e)),
            },
        }
    }

    fn position(&self) -> &csv::Position {
        self.rdr.position()
    }
}

enum ReadFailure {
    /// The record starting at this byte offset passes the row limit.
    TooLong(usize),
    /// The parser failed.
    Csv(csv::Error),
}

impl ReadFailure {
    /// The error for users; `line_of` gives the line of a record that starts at a byte
    /// offset of the data read.
    fn into_error(self, file: &str, line_of: impl Fn(usize) -> u64) -> ReadError {
        let (line, why) = match self {
            ReadFailure::TooLong(start) => {
                return ReadError::RowTooLong {
                    file: file.to_string(),
                    line: line_of(start),
                    limit_mb: (max_row_bytes() >> 20) as u64,
                }
            }
            ReadFailure::Csv(e) => (
                e.position().map(|p| line_of(p.byte() as usize)),
                e.to_string(),
            ),
        };
        ReadError::Csv {
            file: file.to_string(),
            line,
            why,
        }
    }
}

/// How many records to look through for the header before giving up.
const HEADER_SEARCH: usize = 30;

/// The most columns a header may have.
const MAX_HEADER_COLUMNS: usize = 1000;

/// Finds the header: the first record that names at least two known columns. It must hold
/// every required one.
pub fn find_header(file: &str, bytes: &[u8], spec: &HeaderSpec) -> Result<Header, ReadError> {
    find_header_in(file, bytes, true, spec).map(|h| h.expect("whole files are searched to the end"))
}

/// [`find_header`] in the first bytes of a file; `whole` when they are the whole file.
/// `None` when the search reached the end of the bytes and needs more of the file.
pub fn find_header_in(
    file: &str,
    bytes: &[u8],
    whole: bool,
    spec: &HeaderSpec,
) -> Result<Option<Header>, ReadError> {
    let mut rdr = CappedReader::new(bytes);
    let mut record = csv::ByteRecord::new();
    let line_of = |at: usize| 1 + newlines(&bytes[..skip_line_ends(bytes, at as u64)]);
    for _ in 0..HEADER_SEARCH {
        let pos = rdr.position().clone();
        let read = rdr.read(&mut record);
        if !whole && read.is_ok() && rdr.position().byte() as usize == bytes.len() {
            // The record may go on in bytes not read yet. (A row past the limit is an error
            // wherever the bytes end: the limit is enforced inside them.)
            return Ok(None);
        }
        if !read.map_err(|e| e.into_error(file, line_of))? {
            break;
        }
        // A header names a few dozen columns at most; a record of thousands of fields is
        // data (or damage), and is not worth a string per field.
        if record.len() > MAX_HEADER_COLUMNS {
            continue;
        }
        let names: Vec<String> = record
            .iter()
            .map(|f| {
                String::from_utf8_lossy(f)
                    .trim_start_matches('\u{feff}')
                    .trim()
                    .to_string()
            })
            .collect();
        if names.iter().filter(|n| spec.known(n)).count() < 2 {
            continue;
        }
        let start = skip_line_ends(bytes, record.position().map_or(pos.byte(), |p| p.byte()));
        let line = 1 + newlines(&bytes[..start]);
        let missing: Vec<&str> = spec
            .required
            .iter()
            .filter(|c| !names.iter().any(|n| n.eq_ignore_ascii_case(c)))
            .copied()
            .collect();
        if !missing.is_empty() {
            return Err(ReadError::MissingColumns {
                file: file.to_string(),
                line,
                missing: missing.join(", "),
                found: names.join(","),
            });
        }
        let quoted = bytes[start..]
            .iter()
            .find(|b| !b.is_ascii_whitespace())
            .is_some_and(|&b| b == b'"');
        let data_start = rdr.position().byte() as usize;
        return Ok(Some(Header {
            names,
            line,
            quoted,
            data_start,
            data_line: 1 + newlines(&bytes[..data_start]),
        }));
    }
    if !whole && rdr.position().byte() as usize == bytes.len() {
        return Ok(None);
    }
    Err(ReadError::NoHeader {
        file: file.to_string(),
        expected: spec.required.join(","),
    })
}

/// One data record handed to a visitor.
pub struct Row<'r> {
    /// The bytes the record was read from.
    data: &'r [u8],
    /// The record's fields.
    record: &'r Record,
    /// The 1-based line the record starts on.
    pub line: u64,
    /// Whether its field count differs from the header's (METRICS.md §3 `malformed`).
    pub malformed: bool,
}

impl Row<'_> {
    /// A field as text, or "" when absent. Invalid UTF-8 is decoded as Windows-1252, the
    /// encoding Excel on Windows writes.
    pub fn get(&self, index: Option<usize>) -> Cow<'_, str> {
        decode(self.bytes(index))
    }

    /// A field's bytes as read (unescaped, not decoded), or none when absent. Only the fields
    /// asked for are decoded, and a text that repeats one known can be found by its bytes
    /// ([`crate::strings::Interner::intern_likely`]): checking every record's bytes (message
    /// text included) was 5% of the reading time.
    pub fn bytes(&self, index: Option<usize>) -> &[u8] {
        index
            .and_then(|i| self.record.get(self.data, i))
            .unwrap_or_default()
    }

    /// Every field's bytes, in order.
    pub fn fields(&self) -> impl Iterator<Item = &[u8]> {
        self.record.fields(self.data)
    }

    /// A 128-bit fingerprint of every field, for exact-duplicate detection without keeping
    /// the fields (message content is hashed, never stored).
    /// `na_is_empty`: a field holding exactly `NA` counts as empty (Connections.csv, §1).
    pub fn fingerprint(&self, na_is_empty: bool) -> u128 {
        // XXH3 of the values' canonical encoding: each value quoted, quotes doubled, commas
        // between; one hash call a row. A record that is that encoding already (every field
        // of a fully quoted file) is hashed where it lies; any other is encoded in a buffer
        // the thread keeps. Copying every row's values into the buffer was a tenth of the
        // reading; a hash of each field, then of the hashes, as much again.
        let na = |field: &[u8]| na_is_empty && field == b"NA";
        if let Some(bytes) = self.record.canonical(self.data) {
            if !na_is_empty || !self.fields().any(na) {
                return xxhash_rust::xxh3::xxh3_128(bytes);
            }
        }
        thread_local! {
            static BYTES: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
        }
        BYTES.with_borrow_mut(|bytes| {
            bytes.clear();
            // Without a quote anywhere in the record (as in most rows of a file quoted only
            // where needed), each value is its bytes as they are, quoted.
            let raw = self.record.raw(self.data);
            if memchr::memchr(b'"', raw).is_none() {
                bytes.reserve(raw.len() + 2 * self.record.len() + 1);
                bytes.push(b'"');
                for (i, field) in self.fields().enumerate() {
                    if i > 0 {
                        bytes.extend_from_slice(b"\",\"");
                    }
                    if !na(field) {
                        bytes.extend_from_slice(field);
                    }
                }
                bytes.push(b'"');
            } else {
                for (i, field) in self.fields().enumerate() {
                    if i > 0 {
                        bytes.push(b',');
                    }
                    bytes.push(b'"');
                    if na(field) {
                    } else if memchr::memchr(b'"', field).is_none() {
                        bytes.extend_from_slice(field);
                    } else {
                        for (j, piece) in field.split(|&b| b == b'"').enumerate() {
                            if j > 0 {
                                bytes.extend_from_slice(b"\"\"");
                            }
                            bytes.extend_from_slice(piece);
                        }
                    }
                    bytes.push(b'"');
                }
            }
            let fp = xxhash_rust::xxh3::xxh3_128(bytes);
            // A very long row's buffer is not kept.
            if bytes.capacity() > 1 << 20 {
                *bytes = Vec::new();
            }
            fp
        })
    }
}

/// Decodes a field: UTF-8, else Windows-1252.
pub fn decode(bytes: &[u8]) -> Cow<'_, str> {
    // Most fields are ASCII, which a word at a time tells apart faster than `from_utf8`'s
    // check of a short text.
    if bytes.is_ascii() {
        // SAFETY: ASCII is valid UTF-8.
        return Cow::Borrowed(unsafe { std::str::from_utf8_unchecked(bytes) });
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => Cow::Owned(bytes.iter().map(|&b| cp1252(b)).collect()),
    }
}

fn cp1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž',
        '\u{8f}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}',
        'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9f => HIGH[(b - 0x80) as usize],
        _ => b as char,
    }
}

/// Visits every data record after the header. Blank lines are not records. Returns the
/// number of records visited.
pub fn for_each_row(
    file: &str,
    bytes: &[u8],
    header: &Header,
    mut visit: impl FnMut(Row<'_>) -> Result<(), ReadError>,
) -> Result<u64, ReadError> {
    let mut rows = 0;
    let range = Range {
        from: header.data_start,
        stop: bytes.len(),
        whole: true,
        width: header.names.len(),
        first_line: header.data_line,
    };
    read_range(file, bytes, &range, |row| {
        rows += 1;
        visit(row)
    })?;
    Ok(rows)
}

/// Which records of a file's bytes [`read_range`] reads.
#[derive(Clone, Copy, Debug)]
pub struct Range {
    /// Where the first record starts (or the blank lines before it).
    pub from: usize,
    /// Records starting at or after this offset are left to the next range.
    pub stop: usize,
    /// Whether the bytes end where the file does. When they do not, a record that reaches
    /// their end is left unread: it may go on in bytes not read yet.
    pub whole: bool,
    /// The header's field count; a record of another count is malformed.
    pub width: usize,
    /// The line `from` is on (0 when not known yet: lines are then relative to it).
    pub first_line: u64,
}

/// Where [`read_range`] stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RangeEnd {
    /// Where the first record left unread starts: the first at or after `stop`, one that
    /// reached the end of bytes that are not the whole file, or the end.
    pub end: usize,
    /// The number of `\n` in the bytes from `from` to `end`.
    pub newlines: u64,
}

/// Visits the data records that start in `range.from..range.stop`, as [`for_each_row`]
/// visits a whole file's. A range may start at any record's start (or at blank lines before
/// one): the parser keeps no state from one record to the next, so ranges read apart, each
/// starting where the previous one ended, visit exactly what one pass over the file visits.
/// Bytes cut at an arbitrary line end may also be handed in: the returned end says where the
/// record that follows the range really starts, so a caller can check its guess.
pub fn read_range(
    file: &str,
    bytes: &[u8],
    range: &Range,
    mut visit: impl FnMut(Row<'_>) -> Result<(), ReadError>,
) -> Result<RangeEnd, ReadError> {
    let data = &bytes[range.from..];
    let limit = max_row_bytes();
    let mut record = Record::default();
    // Lines are counted from line breaks in the bytes, so that quoted newlines and skipped
    // blank lines count the way users count lines. `line` is the line `next` is on.
    let (mut line, mut next) = (range.first_line, 0usize);
    loop {
        let start = skip_line_ends(data, next as u64);
        let line_at_start = line + newlines(&data[next..start]);
        let end_here = || RangeEnd {
            end: range.from + start,
            newlines: line_at_start - range.first_line,
        };
        if start == data.len() {
            return Ok(end_here());
        }
        // A row is read only within the limit (and some slack): a quote left open in a
        // damaged file must not send the scan through the rest of it.
        let cap = data
            .len()
            .min(start.saturating_add(limit).saturating_add(READ_AHEAD));
        next = record.read(&data[..cap], start);
        // Cut off at the cap with more bytes beyond it: the row goes on past the limit. (A
        // row whose line end is the cap's last byte is whole.)
        let cut_off = !record.terminated() && cap < data.len();
        let reached_end = next == data.len();
        if cut_off || record.size() > limit {
            return Err(ReadError::RowTooLong {
                file: file.to_string(),
                line: line_at_start,
                limit_mb: (limit >> 20) as u64,
            });
        }
        if range.from + start >= range.stop || (reached_end && !range.whole) {
            return Ok(end_here());
        }
        line = line_at_start + record.newlines();
        let blank = record.len() == 1
            && record
                .get(data, 0)
                .is_some_and(|f| f.iter().all(u8::is_ascii_whitespace));
        if blank {
            continue;
        }
        visit(Row {
            data,
            record: &record,
            line: line_at_start,
            // A quote left open at the end of the file swallowed everything after it
            // (METRICS.md §3 `malformed`).
            malformed: record.len() != range.width || record.open_quote(),
        })?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: HeaderSpec = HeaderSpec {
        required: &["First Name", "Last Name", "Connected On"],
        optional: &["URL", "Company"],
    };

    #[test]
    fn finds_the_header_after_a_preamble_and_bom() {
        let text = "\u{feff}Notes:\n\"When exporting, some e-mails, are missing.\"\n\nFirst Name,Last Name,URL,Company,Connected On\nAda,Lovelace,,\"Engines, Ltd\",09 Sep 2022\n\n\nAlan,Turing,,,10 Sep 2022";
        let prepared = prepare("c.csv", text.as_bytes()).unwrap();
        let header = find_header("c.csv", &prepared.bytes, &SPEC).unwrap();
        assert_eq!(header.line, 4);
        assert_eq!(header.index("company"), Some(3));
        let mut seen = Vec::new();
        let rows = for_each_row("c.csv", &prepared.bytes, &header, |row| {
            seen.push((
                row.line,
                row.get(Some(0)).into_owned(),
                row.get(Some(3)).into_owned(),
            ));
            Ok(())
        })
        .unwrap();
        assert_eq!(rows, 2);
        assert_eq!(
            seen,
            vec![
                (5, "Ada".to_string(), "Engines, Ltd".to_string()),
                (8, "Alan".to_string(), String::new())
            ]
        );
    }

    #[test]
    fn multi_line_fields_keep_line_numbers_right() {
        let text = "\"First Name\",\"Last Name\",\"Connected On\"\r\n\"A\",\"B\nC\",\"1 Jan 2020\"\r\n\"D\",\"E\",\"2 Jan 2020\",\"extra\"\r\n";
        let header = find_header("c.csv", text.as_bytes(), &SPEC).unwrap();
        assert!(header.quoted);
        let mut seen = Vec::new();
        for_each_row("c.csv", text.as_bytes(), &header, |row| {
            seen.push((row.line, row.malformed));
            Ok(())
        })
        .unwrap();
        assert_eq!(seen, vec![(2, false), (4, true)]);
    }

    #[test]
    fn missing_required_column_is_named() {
        let text = "First Name,Last Name,Company\nA,B,C\n";
        let err = find_header("c.csv", text.as_bytes(), &SPEC).unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.contains("Connected On") && msg.contains("line 1"),
            "{msg}"
        );
    }

    #[test]
    fn an_open_quote_at_the_end_is_malformed() {
        let open = |data: &[u8]| {
            let mut record = Record::default();
            record.read(data, 0);
            record.open_quote()
        };
        assert!(open(b"a,\"b"));
        assert!(open(b"a,\"b\"\"c\nd,e"));
        assert!(!open(b"a,\"b\"\"c\""));
        assert!(!open(b"a,b\"c"));
        let text = "FROM,TO,DATE,FOLDER\nA,B,2024-01-01 10:00:00 UTC,INBOX\nA,B,2024-01-02 10:00:00 UTC,\"INBOX\nA,B,2024-01-03 10:00:00 UTC,INBOX\n";
        let spec = HeaderSpec {
            required: &["FROM", "TO", "DATE"],
            optional: &["FOLDER"],
        };
        let header = find_header("m.csv", text.as_bytes(), &spec).unwrap();
        let mut seen = Vec::new();
        for_each_row("m.csv", text.as_bytes(), &header, |row| {
            seen.push((row.line, row.malformed));
            Ok(())
        })
        .unwrap();
        assert_eq!(seen, vec![(2, false), (3, true)]);
    }

    #[test]
    fn a_row_past_the_limit_is_an_error_naming_its_line() {
        let limit = max_row_bytes();
        let spec = HeaderSpec {
            required: &["FROM", "TO", "DATE"],
            optional: &["CONTENT"],
        };
        let rows = |middle: &str| {
            format!(
                "FROM,TO,DATE,CONTENT\nA,B,2024-01-01 10:00:00 UTC,hi\n{middle}\nA,B,2024-01-02 10:00:00 UTC,hi\n"
            )
        };
        let visit = |text: &str| {
            let header = find_header("m.csv", text.as_bytes(), &spec)?;
            for_each_row("m.csv", text.as_bytes(), &header, |_| Ok(()))
        };
        // A long quoted field, a long unquoted one, and a row of nothing but commas.
        for middle in [
            format!(
                "A,B,2024-01-01 11:00:00 UTC,\"{}\"",
                "x\n".repeat(limit / 2 + 1)
            ),
            format!("A,B,2024-01-01 11:00:00 UTC,{}", "y".repeat(limit + 1)),
            ",".repeat(limit),
        ] {
            let err = visit(&rows(&middle)).unwrap_err();
            assert!(
                matches!(err, ReadError::RowTooLong { line: 3, .. }),
                "{err}"
            );
        }
        // Just under the limit is read.
        let fits = format!("A,B,2024-01-01 11:00:00 UTC,{}", "z".repeat(limit - 64));
        assert_eq!(visit(&rows(&fits)).unwrap(), 3);
        // So is a row under the limit whose bytes (doubled quotes) run exactly to the end of
        // what is scanned for it, the limit and its slack: its line end is the last byte.
        let prefix = "A,B,2024-01-01 11:00:00 UTC,\"";
        let quotes = (limit + READ_AHEAD - prefix.len() - 3) / 2;
        let exact = format!("{prefix}{}\"x", "\"\"".repeat(quotes));
        assert_eq!(
            exact.len() + 1,
            limit + READ_AHEAD - (limit + READ_AHEAD - prefix.len() - 3) % 2
        );
        for end in ["\n", "\r\n"] {
            let text = rows(&exact).replacen(&format!("{exact}\n"), &format!("{exact}{end}"), 1);
            assert_eq!(visit(&text).unwrap(), 3, "line end {end:?}");
        }
        // In the header search too: the first line is the long one.
        let text = format!("{}\nFROM,TO,DATE\n", "w".repeat(limit + 1));
        assert!(matches!(
            find_header("m.csv", text.as_bytes(), &spec),
            Err(ReadError::RowTooLong { line: 1, .. })
        ));
    }

    #[test]
    fn blank_lines_before_a_row_are_not_part_of_it() {
        // More blank lines than the row limit, before the header and before a row: the parser
        // skips them without holding them, and a row is measured from its first byte.
        let blank = "\n".repeat(max_row_bytes() + 1);
        let text = format!("{blank}FROM,TO,DATE\n{blank}A,B,2024-01-01 10:00:00 UTC\n");
        let spec = HeaderSpec {
            required: &["FROM", "TO", "DATE"],
            optional: &[],
        };
        let header = find_header("m.csv", text.as_bytes(), &spec).unwrap();
        let mut lines = Vec::new();
        for_each_row("m.csv", text.as_bytes(), &header, |row| {
            lines.push(row.line);
            Ok(())
        })
        .unwrap();
        let n = max_row_bytes() as u64 + 1;
        assert_eq!((header.line, lines), (n + 1, vec![2 * n + 2]));
    }

    #[test]
    fn a_record_of_thousands_of_fields_is_not_taken_for_the_header() {
        let text = format!(
            "{}\nFirst Name,Last Name,Connected On\nA,B,1 Jan 2020\n",
            "URL,Company,".repeat(1000)
        );
        let header = find_header("c.csv", text.as_bytes(), &SPEC).unwrap();
        assert_eq!(header.line, 2);
    }

    #[test]
    fn workbooks_and_empty_files_are_refused() {
        assert!(matches!(
            prepare("x.csv", b"PK\x03\x04rest"),
            Err(ReadError::NotCsv { .. })
        ));
        assert!(matches!(
            prepare("x.csv", b"\xEF\xBB\xBF \r\n"),
            Err(ReadError::Empty { .. })
        ));
    }

    #[test]
    fn utf16_and_windows_1252_are_decoded() {
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("Ä,b".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let p = prepare("x.csv", &utf16).unwrap();
        assert_eq!(p.encoding, Encoding::Utf16le);
        assert_eq!(&*p.bytes, "Ä,b".as_bytes());
        assert_eq!(decode(b"caf\xe9 \x93q\x94"), "café “q”");
    }

    #[test]
    fn fingerprints_see_every_field() {
        let fp = |line: &str, na_is_empty: bool| {
            let mut record = Record::default();
            record.read(line.as_bytes(), 0);
            Row {
                data: line.as_bytes(),
                record: &record,
                line: 1,
                malformed: false,
            }
            .fingerprint(na_is_empty)
        };
        assert_eq!(fp("a,b", false), fp("\"a\",b", false), "values, not bytes");
        // Hashed where it lies (fully quoted) or encoded first: the same values, the same
        // fingerprint.
        assert_eq!(fp("\"a\",\"b\"", false), fp("a,b", false));
        assert_eq!(fp("\"a\",\"b\"\r\n", false), fp("a,b\n", false));
        assert_eq!(fp("\"a\"\"b\",\"c\"", false), fp("a\"b,c", false));
        assert_eq!(fp("\"\",\"\"", false), fp(",", false));
        assert_ne!(fp("\"a,b\"", false), fp("a,b", false));
        assert_eq!(fp("\"NA\",\"b\"", true), fp(",b", true));
        assert_ne!(fp("\"NA\",\"b\"", false), fp(",b", false));
        assert_ne!(fp("a,b", false), fp("ab,", false));
        assert_ne!(fp("a,b", false), fp("a,c", false));
        assert_ne!(fp("a,b", false), fp("a,b,", false));
        assert_ne!(fp("NA,b", false), fp(",b", false));
        assert_eq!(fp("NA,b", true), fp(",b", true));
        assert_eq!(fp("\"a\"\"b\",c", false), fp("\"a\"\"b\",c", false));
        assert_ne!(fp("\"a\"\"b\",c", false), fp("\"ab\",c", false));
        // Many fields: the last counts.
        let many = |last: &str| format!("{}{last}", "x,".repeat(40));
        assert_eq!(fp(&many("y"), false), fp(&many("y"), false));
        assert_ne!(fp(&many("y"), false), fp(&many("z"), false));
        // A row longer than the buffer the thread keeps (1 MiB): its last byte counts, and
        // the rows after it hash as before.
        let short = fp("a,b", false);
        let long = |last: &str| format!("{},{last}", "x".repeat(2 << 20));
        assert_ne!(fp(&long("y"), false), fp(&long("z"), false));
        assert_eq!(fp(&long("y"), false), fp(&long("y"), false));
        assert_eq!(fp("a,b", false), short);
    }

    #[test]
    fn a_fingerprint_is_of_the_values_however_they_are_quoted() {
        // Random records, and each record's values written again fully quoted: hashed where
        // they lie the second time, encoded first the first time (mostly).
        let fp = |data: &[u8], record: &Record| {
            Row {
                data,
                record,
                line: 1,
                malformed: false,
            }
            .fingerprint(false)
        };
        let mut random = super::super::scan::RandomCsv::new(0x1234_5678_9abc_def1);
        let (mut record, mut again) = (Record::default(), Record::default());
        let mut in_place = 0;
        for _ in 0..5_000 {
            let data = random.input(30);
            let start = skip_line_ends(&data, 0);
            if start == data.len() {
                continue;
            }
            record.read(&data, start);
            let values: Vec<Vec<u8>> = record.fields(&data).map(<[u8]>::to_vec).collect();
            let quoted: Vec<u8> = values
                .iter()
                .map(|v| {
                    let v = String::from_utf8_lossy(v).replace('"', "\"\"");
                    format!("\"{v}\"").into_bytes()
                })
                .collect::<Vec<_>>()
                .join(&b',');
            again.read(&quoted, 0);
            assert_eq!(again.fields(&quoted).count(), values.len());
            // The values written fully quoted are their canonical encoding, quotes and line
            // breaks inside or not.
            assert_eq!(again.canonical(&quoted), Some(&quoted[..]));
            in_place += usize::from(record.canonical(&data).is_some());
            assert_eq!(
                fp(&data, &record),
                fp(&quoted, &again),
                "{:?} and {:?}",
                String::from_utf8_lossy(&data),
                String::from_utf8_lossy(&quoted)
            );
        }
        assert!(in_place > 100, "{in_place} random records hashed in place");
    }

    /// What `read_range` visited: (line, malformed, fields) per row, and where it ended.
    type Visited = (Vec<(u64, bool, Vec<Vec<u8>>)>, RangeEnd);

    fn visit_range(data: &[u8], range: &Range) -> Visited {
        let mut rows = Vec::new();
        let end = read_range("t.csv", data, range, |row| {
            rows.push((
                row.line,
                row.malformed,
                row.fields().map(<[u8]>::to_vec).collect(),
            ));
            Ok(())
        })
        .unwrap();
        (rows, end)
    }

    /// The rows of a whole file by the `csv` crate's reader: records that are not one blank
    /// field, the line each starts on, malformed when of another width than `width` or when
    /// the last one ends inside an open quote.
    fn csv_rows(data: &[u8], width: usize) -> Vec<(u64, bool, Vec<Vec<u8>>)> {
        let mut rdr = csv_builder().from_reader(data);
        let mut record = csv::ByteRecord::new();
        let mut rows = Vec::new();
        while rdr.read_byte_record(&mut record).unwrap() {
            let start = skip_line_ends(data, record.position().unwrap().byte());
            if record.len() == 1 && record[0].iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            // Quotes open and close through the rest of the bytes (RFC 4180 quoting).
            let (mut open, mut field_start, mut i) = (false, true, start);
            while i < data.len() {
                let b = data[i];
                if open {
                    if b == b'"' && data.get(i + 1) == Some(&b'"') {
                        i += 1;
                    } else if b == b'"' {
                        open = false;
                    }
                } else if field_start && b == b'"' {
                    (open, field_start) = (true, false);
                } else {
                    field_start = b == b',' || b == b'\n' || b == b'\r';
                }
                i += 1;
            }
            let last = rdr.position().byte() as usize == data.len();
            rows.push((
                1 + newlines(&data[..start]),
                record.len() != width || (last && open),
                record.iter().map(<[u8]>::to_vec).collect(),
            ));
        }
        rows
    }

    #[test]
    fn rows_agree_with_the_csv_crate_and_ranges_with_one_pass() {
        let mut random = super::super::scan::RandomCsv::new(0x2545_f491_4f6c_dd1d);
        for _ in 0..5_000 {
            let data = random.input(60);
            let whole = Range {
                from: 0,
                stop: data.len(),
                whole: true,
                width: 2,
                first_line: 1,
            };
            let (rows, end) = visit_range(&data, &whole);
            let text = String::from_utf8_lossy(&data);
            assert_eq!(rows, csv_rows(&data, 2), "input {text:?}");
            assert_eq!(end.end, data.len());
            assert_eq!(end.newlines, newlines(&data));
            // Ranges read one after another, each from where the last ended, visit the same.
            let (mut chained, mut from, mut line) = (Vec::new(), 0, 1);
            while from < data.len() {
                let stop = from + 1 + (random.next() % 8) as usize;
                let range = Range {
                    from,
                    stop,
                    whole: true,
                    width: 2,
                    first_line: line,
                };
                let (rows, end) = visit_range(&data, &range);
                chained.extend(rows);
                assert!(end.end > from || end.end == data.len(), "input {text:?}");
                line += end.newlines;
                from = end.end;
            }
            assert_eq!(chained, csv_rows(&data, 2), "input {text:?}");
        }
    }
}
