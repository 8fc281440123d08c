//! Reading a large file a window at a time, each window's records in chunks on every thread.
//!
//! `messages.csv` is nearly all of an export (3.6 GB for a million connections): holding it
//! whole set the peak memory, and one parser on one thread was half of a report's time. Here
//! the file is read in windows of [`WINDOW`] bytes; each window is cut at line ends into
//! chunks that are parsed at once. A cut can fall inside a quoted field that holds a line
//! break, so every chunk's parse reports where the record after it really starts
//! ([`read_range`]); a chunk whose start was not that is thrown away and parsed again from
//! the right place. The records, their lines and their order are exactly those of one pass.

use std::io::Read;

use rayon::prelude::*;

use super::scan::Record;
use super::table::{
    find_header_in, prepare, skip_line_ends, Encoding, Header, HeaderSpec, Range, RangeEnd,
};
use super::ReadError;

/// The bytes read at a time: enough chunks for every thread, and small, because memory
/// touched for the first time is dear (the kernel zeroes each fresh page: a buffer grown to
/// 64 MiB by doubling was half of the S tier's reading time).
const WINDOW: usize = 16 << 20;

/// The size of the chunks a window is cut into.
const CHUNK: usize = 1 << 20;

/// The part of an [`Input`] that reads more of the file.
struct Source<'a, 'r> {
    file: &'a str,
    reader: &'a mut Box<dyn Read + Send + 'r>,
    /// Bytes read from the file so far.
    total: &'a mut u64,
    /// The most a file may hold.
    limit: u64,
}

impl Source<'_, '_> {
    /// Appends up to `more` further bytes to `buf`; returns whether the file ended.
    fn read_more(&mut self, buf: &mut Vec<u8>, more: usize) -> Result<bool, ReadError> {
        let want = (more as u64).min(self.limit.saturating_add(1) - *self.total);
        let got = (&mut *self.reader)
            .take(want)
            .read_to_end(buf)
            .map_err(|e| ReadError::Io {
                file: self.file.to_string(),
                source: e,
            })? as u64;
        *self.total += got;
        if *self.total > self.limit {
            return Err(ReadError::TooLarge {
                file: self.file.to_string(),
                limit_mb: self.limit >> 20,
            });
        }
        Ok(got < want || want == 0)
    }
}

/// A CSV file being read a window at a time.
pub struct Input<'r> {
    file: String,
    reader: Box<dyn Read + Send + 'r>,
    /// The window: the bytes not yet parsed, then the bytes read after them.
    buf: Vec<u8>,
    /// Whether `buf` holds the file to its end.
    eof: bool,
    /// Bytes read from the file so far.
    total: u64,
    /// The most a file may hold.
    limit: u64,
    /// The encoding found at the file's start.
    pub encoding: Encoding,
    /// The bytes read at a time, and the size of the chunks a window is cut into.
    sizes: (usize, usize),
    /// The file's size when known (0 when not).
    hint: u64,
}

impl<'r> Input<'r> {
    /// Starts reading `reader`, the file named `file` in messages; refuses what is not a CSV
    /// file and strips a byte-order mark as [`prepare`] does. A UTF-16 file is read whole
    /// and decoded (such files are small spreadsheet re-saves).
    pub fn open(
        file: &str,
        reader: Box<dyn Read + Send + 'r>,
        hint: u64,
        limit: u64,
    ) -> Result<Input<'r>, ReadError> {
        Input::open_sized(file, reader, hint, limit, (WINDOW, CHUNK))
    }

    /// [`Input::open`] with other window and chunk sizes.
    fn open_sized(
        file: &str,
        reader: Box<dyn Read + Send + 'r>,
        hint: u64,
        limit: u64,
        sizes: (usize, usize),
    ) -> Result<Input<'r>, ReadError> {
        let mut input = Input {
            file: file.to_string(),
            reader,
            // Room for a window after a record carried over from the last one: the buffer is
            // allocated once (it grows only for a record longer than a window).
            buf: Vec::with_capacity(2 * sizes.0),
            eof: false,
            total: 0,
            limit,
            encoding: Encoding::Utf8,
            sizes,
            hint,
        };
        input.fill(sizes.0)?;
        if input.buf.starts_with(b"\xFF\xFE") {
            input.fill(usize::MAX)?;
        }
        // A file of only whitespace (after a byte-order mark) is empty, however long: read
        // on while it may be one.
        let mut checked = if input.buf.starts_with(b"\xEF\xBB\xBF") {
            3
        } else {
            0
        };
        while !input.eof && input.buf[checked..].iter().all(u8::is_ascii_whitespace) {
            checked = input.buf.len();
            input.fill(input.buf.len().max(sizes.0))?;
        }
        let mark = match prepare(file, &input.buf) {
            Ok(p) if p.encoding == Encoding::Utf16le => {
                input.buf = p.bytes.into_owned();
                input.encoding = Encoding::Utf16le;
                0
            }
            // A byte-order mark is all `prepare` takes off UTF-8.
            Ok(p) => input.buf.len() - p.bytes.len(),
            Err(e) => return Err(input.fail(e)),
        };
        input.buf.drain(..mark);
        Ok(input)
    }

    /// The error to report for `e`, found before the end of the file: reading the whole file
    /// first, as orchard once did, would have met a read error or the size limit further on
    /// before anything in the file, so the rest is read (and dropped) to see.
    fn fail(&mut self, e: ReadError) -> ReadError {
        if e.is_about_reading() {
            return e;
        }
        while !self.eof {
            self.buf.clear();
            if let Err(late) = self.fill(self.sizes.0) {
                return late;
            }
        }
        e
    }

    /// The file's name, for messages.
    pub fn file(&self) -> &str {
        &self.file
    }

    /// Reads up to `more` further bytes into the window.
    fn fill(&mut self, more: usize) -> Result<(), ReadError> {
        let (mut source, buf) = self.parts();
        self.eof = source.read_more(buf, more)?;
        Ok(())
    }

    /// The file, to read more of, and the window.
    fn parts(&mut self) -> (Source<'_, 'r>, &mut Vec<u8>) {
        let source = Source {
            file: &self.file,
            reader: &mut self.reader,
            total: &mut self.total,
            limit: self.limit,
        };
        (source, &mut self.buf)
    }

    /// Finds the header (reading further while the search reaches the window's end).
    pub fn header(&mut self, spec: &HeaderSpec) -> Result<Header, ReadError> {
        loop {
            match find_header_in(&self.file, &self.buf, self.eof, spec) {
                Ok(Some(h)) => return Ok(h),
                Ok(None) => self.fill(self.buf.len().max(self.sizes.0))?,
                Err(e) => return Err(self.fail(e)),
            }
        }
    }

    /// Reads every record after the header. Each window is cut into chunks that `parse`
    /// reads on all threads (with [`read_range`](super::table::read_range), over the range it
    /// is given, lines counted from 0 at the range's start); `merge` takes each window's
    /// chunks in file order, each with the line its range starts on, and the number of
    /// bytes they cover. An error ends the
    /// reading once the chunks up to the one it was found in are merged (their rows come
    /// before it: `--strict` reports an earlier skipped row first).
    pub fn read_chunked<T: Send>(
        mut self,
        header: &Header,
        parse: impl Fn(&[u8], &Range) -> (T, Result<RangeEnd, ReadError>) + Sync,
        mut merge: impl FnMut(Vec<(T, u64)>, usize) + Send,
    ) -> Result<(), ReadError> {
        let width = header.names.len();
        let (mut at, mut line) = (header.data_start, header.data_line);
        // The previous window's chunks: merged (in order, on one thread) while this window
        // is parsed on the others.
        let mut pending = None;
        // The next window, read beside the parse too, after room for the record this window
        // leaves unfinished (a longer one has the next window copied after it instead).
        let carry = self.sizes.0 / 16;
        let mut spare: Vec<u8> = Vec::with_capacity(carry + self.sizes.0);
        loop {
            let whole = self.eof;
            let range = |from, stop| Range {
                from,
                stop,
                whole,
                width,
                first_line: 0,
            };
            let cuts = cut(&self.buf, at, self.sizes.1, width);
            spare.clear();
            spare.resize(carry, 0);
            let window = self.sizes.0;
            let (mut source, buf) = self.parts();
            let buf = &*buf;
            let (parsed, ahead) = rayon::join(
                || {
                    cuts.par_windows(2)
                        .map(|w| parse(buf, &range(w[0], w[1])))
                        .collect::<Vec<_>>()
                },
                || {
                    if let Some((chunks, bytes)) = pending.take() {
                        merge(chunks, bytes);
                    }
                    (!whole).then(|| source.read_more(&mut spare, window))
                },
            );
            let mut chunks = Vec::with_capacity(parsed.len());
            let start = at;
            let mut failed = None;
            for (w, first) in cuts.windows(2).zip(parsed) {
                // The guess was right when the record before it ended where it was cut.
                let (chunk, end) = if w[0] == at {
                    first
                } else {
                    parse(&self.buf, &range(at, w[1]))
                };
                chunks.push((chunk, line));
                match end {
                    Ok(end) => (at, line) = (end.end, line + end.newlines),
                    Err(e) => {
                        failed = Some(e.lines_from(line));
                        break;
                    }
                }
            }
            if whole || failed.is_some() {
                merge(chunks, at - start);
                // A file that cannot be read, or is too large, is that before anything in it.
                if let Some(Err(late)) = ahead {
                    return Err(late);
                }
                if let Some(Ok(eof)) = ahead {
                    self.eof = eof;
                }
                return failed.map_or(Ok(()), |e| Err(self.fail(e)));
            }
            pending = Some((chunks, at - start));
            self.eof = ahead.expect("read ahead when not whole")?;
            // What is left is a record that may go on in the bytes after: it is read again
            // with them. It goes in the room left before them, or, longer than that, the
            // bytes after go after it: the window grows until it holds the record, or the
            // record passes the row limit (an error).
            let rest = self.buf.len() - at;
            if rest <= carry {
                spare[carry - rest..carry].copy_from_slice(&self.buf[at..]);
                std::mem::swap(&mut self.buf, &mut spare);
                at = carry - rest;
            } else {
                self.buf.drain(..at);
                self.buf.extend_from_slice(&spare[carry..]);
                at = 0;
            }
        }
    }

    /// The file's size as given when opened, or the bytes read so far when more.
    pub fn size_hint(&self) -> u64 {
        self.hint.max(self.total)
    }
}

/// Where to cut `bytes[from..]` into chunks: `from`, then a line start after each further
/// `chunk` bytes, then the end. Each cut is a guess at a record's start, checked by the
/// chunks' parse: a line end may lie inside a quoted field (message text holds line breaks),
/// and a wrong guess costs its chunk a second parse, on one thread. So a line start is taken
/// only where the two records read from it have `width` fields each; when none nearby does,
/// the first line start after the chunk.
fn cut(bytes: &[u8], from: usize, chunk: usize, width: usize) -> Vec<usize> {
    let mut cuts = vec![from];
    let mut at = from;
    let mut record = Record::default();
    while bytes.len() - at > chunk {
        let Some(first) = line_start_after(bytes, at + chunk) else {
            break;
        };
        // The bytes the checks may read for this cut: a damaged file (a quote left open) makes
        // every check read far, and the search is done on one thread.
        let (mut guess, mut budget) = (first, SEARCH);
        let guess = loop {
            if guess >= bytes.len() {
                break first;
            }
            match plausible_start(bytes, guess, width, budget, &mut record) {
                Ok(()) => break guess,
                Err(read) => budget = budget.saturating_sub(read.max(1)),
            }
            match line_start_after(bytes, guess) {
                Some(next) if budget > 0 => guess = next,
                _ => break first,
            }
        };
        at = guess;
        if at >= bytes.len() {
            break;
        }
        cuts.push(at);
    }
    cuts.push(bytes.len());
    cuts
}

/// The most bytes the checks of one cut's line starts read before the first is taken.
const SEARCH: usize = 64 << 10;

/// The start of the line after the first line end at or after `from`.
fn line_start_after(bytes: &[u8], from: usize) -> Option<usize> {
    let nl = memchr::memchr(b'\n', &bytes[from..])?;
    Some(skip_line_ends(bytes, (from + nl) as u64))
}

/// Whether the two records read from `at`, within `budget` bytes, are whole, with `width`
/// fields each; when not, how many bytes the check read.
fn plausible_start(
    bytes: &[u8],
    at: usize,
    width: usize,
    budget: usize,
    record: &mut Record,
) -> Result<(), usize> {
    let data = &bytes[..bytes.len().min(at.saturating_add(budget))];
    let mut next = at;
    for _ in 0..2 {
        if next >= data.len() {
            return Err(next - at);
        }
        next = record.read(data, next);
        if !record.terminated() || record.open_quote() || record.len() != width {
            return Err(next - at);
        }
        next = skip_line_ends(data, next as u64);
    }
    Ok(())
}

impl ReadError {
    /// Whether the error is about reading the file rather than its content: such errors come
    /// before any other (see [`Input::fail`]).
    pub fn is_about_reading(&self) -> bool {
        matches!(self, ReadError::Io { .. } | ReadError::TooLarge { .. })
    }

    /// The error with its line counted from `line` rather than from 0: for errors of a range
    /// read with lines counted from its start.
    fn lines_from(self, first: u64) -> ReadError {
        match self {
            ReadError::RowTooLong {
                file,
                line,
                limit_mb,
            } => ReadError::RowTooLong {
                file,
                line: line + first,
                limit_mb,
            },
            ReadError::Csv { file, line, why } => ReadError::Csv {
                file,
                line: line.map(|l| l + first),
                why,
            },
            other => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::table::{for_each_row, read_range, Row};

    const SPEC: HeaderSpec = HeaderSpec {
        required: &["FROM", "TO", "DATE"],
        optional: &["CONTENT"],
    };

    /// Every record as (line, malformed, fields), read in one pass.
    fn one_pass(text: &[u8]) -> Vec<(u64, bool, Vec<Vec<u8>>)> {
        let header = super::super::table::find_header("m.csv", text, &SPEC).unwrap();
        let mut seen = Vec::new();
        for_each_row("m.csv", text, &header, |row| {
            seen.push(record(&row));
            Ok(())
        })
        .unwrap();
        seen
    }

    fn record(row: &Row<'_>) -> (u64, bool, Vec<Vec<u8>>) {
        (
            row.line,
            row.malformed,
            row.fields().map(<[u8]>::to_vec).collect(),
        )
    }

    /// Every record read through windows and chunks of the given sizes.
    fn chunked(text: &[u8], sizes: (usize, usize)) -> Vec<(u64, bool, Vec<Vec<u8>>)> {
        let mut input = Input::open_sized("m.csv", Box::new(text), 0, u64::MAX, sizes).unwrap();
        let header = input.header(&SPEC).unwrap();
        let mut seen = Vec::new();
        input
            .read_chunked(
                &header,
                |bytes, range| {
                    let mut rows = Vec::new();
                    let end = read_range("m.csv", bytes, range, |row| {
                        rows.push(record(&row));
                        Ok(())
                    });
                    (rows, end)
                },
                |chunks, _| {
                    for (rows, line) in chunks {
                        seen.extend(rows.into_iter().map(|(l, m, f)| (l + line, m, f)));
                    }
                },
            )
            .unwrap();
        seen
    }

    #[test]
    fn chunks_cut_inside_quoted_line_breaks_read_as_one_pass() {
        // Message bodies of many lines, so that most cuts land inside a quoted field; blank
        // lines, CRLF endings, a malformed row and an unterminated quote at the end.
        let mut text = String::from("\u{feff}FROM,TO,DATE,CONTENT\r\n");
        for i in 0..40_000 {
            let body = "line\n".repeat(i % 7) + &"x".repeat(i % 300);
            text.push_str(&format!("A{i},B,2024-01-01 10:00:00 UTC,\"{body}\"\r\n"));
            if i % 1000 == 0 {
                text.push_str("\r\n\n");
            }
            if i == 20_000 {
                let long = "a long message\n".repeat(1000);
                text.push_str(&format!("C,D,2024-01-01 10:00:00 UTC,\"{long}\"\n"));
            }
            if i % 4999 == 0 {
                text.push_str("A,B,2024-01-01 10:00:00 UTC,too,many\n");
            }
        }
        text.push_str("A,B,2024-01-02 10:00:00 UTC,\"open\nto the end");
        let bytes = text.as_bytes();
        let expected = one_pass(bytes);
        assert_eq!(expected.len(), 40_000 + 1 + 9 + 1);
        assert!(
            expected.last().unwrap().1,
            "the unterminated row is malformed"
        );
        // One window in chunks; many windows, a row longer than a window among them.
        for sizes in [(bytes.len(), 64 << 10), (1 << 20, 100 << 10), (3000, 700)] {
            assert_eq!(chunked(bytes, sizes), expected, "{sizes:?}");
        }
    }

    #[test]
    fn blank_runs_across_window_ends_read_as_one_pass() {
        let mut text = String::from("FROM,TO,DATE,CONTENT\n");
        for i in 0..300 {
            text.push_str(&"\n".repeat(i * 37 % 5000));
            text.push_str(&format!("A{i},B,2024-01-01 10:00:00 UTC,\"x\ny\"\r\n"));
        }
        text.push_str(&"\r\n".repeat(4000));
        let expected = one_pass(text.as_bytes());
        assert_eq!(expected.len(), 300);
        for sizes in [(3000, 700), (4096, 4096), (10_000, 1000)] {
            assert_eq!(chunked(text.as_bytes(), sizes), expected, "{sizes:?}");
        }
    }

    /// Opens `text` with small windows and finds the header.
    fn open_small(reader: Box<dyn Read + Send + '_>) -> Result<Header, ReadError> {
        let mut input = Input::open_sized("m.csv", reader, 0, u64::MAX, (1000, 300))?;
        input.header(&SPEC)
    }

    #[test]
    fn whitespace_longer_than_a_window_is_empty_and_a_header_after_it_is_found() {
        for text in [
            "\n".repeat(5000),
            " \r\n".repeat(3000),
            "\u{feff}\n".to_string() + &"\t".repeat(9000),
        ] {
            let err = open_small(Box::new(text.as_bytes())).unwrap_err();
            assert!(matches!(err, ReadError::Empty { .. }), "{err}");
        }
        let text = "\u{feff}".to_string()
            + &"\n".repeat(5000)
            + "FROM,TO,DATE\nA,B,2024-01-01 10:00:00 UTC\n";
        let header = open_small(Box::new(text.as_bytes())).unwrap();
        assert_eq!(header.line, 5001);
    }

    /// Gives its bytes, then fails.
    struct Failing<'a>(&'a [u8]);

    impl Read for Failing<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            if self.0.is_empty() {
                return Err(std::io::Error::other("invalid checksum"));
            }
            let n = buf.len().min(self.0.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    /// Reads every record of `reader` through windows of 1000 bytes and chunks of 300, with
    /// the file limit `limit`; returns how many rows were merged, and how the reading ended.
    fn read_small(reader: Box<dyn Read + Send + '_>, limit: u64) -> (usize, Result<(), ReadError>) {
        let mut input = Input::open_sized("m.csv", reader, 0, limit, (1000, 300)).unwrap();
        let header = input.header(&SPEC).unwrap();
        let mut merged = 0;
        let end = input.read_chunked(
            &header,
            |bytes, range| {
                let mut rows = 0;
                let end = read_range("m.csv", bytes, range, |_| {
                    rows += 1;
                    Ok(())
                });
                (rows, end)
            },
            |chunks, _| merged += chunks.iter().map(|(rows, _)| rows).sum::<usize>(),
        );
        (merged, end)
    }

    #[test]
    fn a_read_error_or_the_size_limit_met_reading_ahead_ends_the_reading() {
        // 500 rows of 28 bytes: fourteen windows, each read beside the parse of the one before.
        let text = "FROM,TO,DATE\n".to_string() + &"A,B,2024-01-01 10:00:00 UTC\n".repeat(500);
        let (rows, end) = read_small(Box::new(text.as_bytes()), u64::MAX);
        assert_eq!(rows, 500);
        assert!(end.is_ok());
        let (rows, end) = read_small(Box::new(Failing(text.as_bytes())), u64::MAX);
        assert!(matches!(end, Err(ReadError::Io { .. })), "{end:?}");
        assert!(rows < 500);
        let (rows, end) = read_small(Box::new(text.as_bytes()), 5000);
        assert!(matches!(end, Err(ReadError::TooLarge { .. })), "{end:?}");
        assert!(rows < 500);
    }

    #[test]
    fn a_read_error_further_on_comes_before_what_the_first_window_holds() {
        // The first window holds a header lacking a column; the file fails further on. Read
        // whole (as orchard once read every file), the read error came first.
        let text = "FROM,DATE\n".to_string() + &"A,2024-01-01 10:00:00 UTC\n".repeat(500);
        let err = open_small(Box::new(Failing(text.as_bytes()))).unwrap_err();
        assert!(matches!(err, ReadError::Io { .. }), "{err}");
        let err = open_small(Box::new(text.as_bytes())).unwrap_err();
        assert!(matches!(err, ReadError::MissingColumns { .. }), "{err}");
    }

    #[test]
    fn cuts_fall_on_record_starts_past_line_ends_in_quotes() {
        // Every text holds line breaks, so the first line end after most chunk boundaries is
        // inside quotes; a cut there would cost its chunk a second parse.
        let mut text = String::from("FROM,TO,DATE,CONTENT\n");
        for i in 0..2000 {
            text += &format!("A{i},B,2024-01-01 10:00:00 UTC,\"one\ntwo, {i}\nthree\"\n");
        }
        let bytes = text.as_bytes();
        let header = super::super::table::find_header("m.csv", bytes, &SPEC).unwrap();
        let cuts = cut(bytes, header.data_start, 1000, 4);
        assert!(cuts.len() > 10);
        // The first line start after a chunk was not a record's start somewhere.
        assert!(cuts
            .windows(2)
            .any(|w| line_start_after(bytes, w[0] + 1000) != Some(w[1])));
        for w in cuts.windows(2) {
            let range = Range {
                from: w[0],
                stop: w[1],
                whole: true,
                width: 4,
                first_line: 0,
            };
            let end = read_range("m.csv", bytes, &range, |_| Ok(())).unwrap();
            assert_eq!(
                end.end, w[1],
                "the record after a chunk starts at the next cut"
            );
        }
    }

    #[test]
    fn cuts_start_lines_and_end_at_the_end() {
        let text = "a\n".repeat(5000);
        let cuts = cut(text.as_bytes(), 0, 1000, 1);
        // No line start has records of four fields: each cut is the first line start.
        assert_eq!(cut(text.as_bytes(), 0, 1000, 4), cuts);
        assert_eq!(cuts.first(), Some(&0));
        assert_eq!(cuts.last(), Some(&text.len()));
        assert!(cuts.len() > 2);
        assert!(cuts[1..cuts.len() - 1]
            .iter()
            .all(|&c| text.as_bytes()[c - 1] == b'\n'));
    }
}
