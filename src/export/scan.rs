//! CSV records read in place: a field is a slice of the bytes read, and is copied only when a
//! doubled quote, or text after a closing quote, makes its value differ from its bytes.
//!
//! The grammar is the `csv` crate's with the settings orchard reads with: `,` between fields,
//! `"` quoting with doubled quotes inside, `\r`, `\n` or `\r\n` ending a record, blank lines
//! skipped, any number of fields. A quote opens a quoted field only as the field's first byte;
//! after the closing quote, the bytes up to the next comma or line end are kept as they are
//! (`"ab"c` is `abc`); a quote left open runs to the end of the bytes. The `csv` crate reads
//! headers ([`super::table::find_header`]); the data rows of a large file are read here, where
//! copying every byte through the crate's buffer and record was a third of the reading time.
//! A unit test holds the two to the same records on random input.

use memchr::{memchr2, memchr3};

/// Where one field's value is: in the bytes read, or in the record's own buffer.
#[derive(Clone, Copy, Debug)]
enum Span {
    Input(usize, usize),
    Own(usize, usize),
}

/// One record's fields, reused from record to record.
#[derive(Debug, Default)]
pub struct Record {
    spans: Vec<Span>,
    /// The values that are not a slice of the bytes read, unescaped.
    own: Vec<u8>,
    /// The bytes of all values together.
    value_bytes: usize,
    /// Whether the record ended inside an open quote (at the end of the bytes).
    open_quote: bool,
    /// The `\n` bytes read: in quoted fields and the one that ends the record.
    newlines: u64,
    /// Whether the record ended at a line end (not at the end of the bytes).
    terminated: bool,
    /// Where the record's bytes are its values' canonical encoding ([`Record::canonical`]).
    canonical: Option<(usize, usize)>,
}

impl Record {
    /// Reads the record whose first byte is `data[start]` (not a line end: blank lines are
    /// skipped by the caller), and returns the offset just past its line end, or `data.len()`
    /// when it runs to the end of `data`.
    pub fn read(&mut self, data: &[u8], start: usize) -> usize {
        self.spans.clear();
        self.own.clear();
        self.value_bytes = 0;
        self.open_quote = false;
        self.terminated = true;
        self.newlines = 0;
        let mut i = start;
        // Whether every field so far is quoted in canonical form ([`Record::canonical`]).
        let mut canonical = true;
        let end = loop {
            i = if data.get(i) == Some(&b'"') {
                let (end, simple) = self.quoted(data, i + 1);
                canonical &= simple;
                end
            } else {
                canonical = false;
                let end = memchr3(b',', b'\r', b'\n', &data[i..]).map_or(data.len(), |k| i + k);
                self.push(Span::Input(i, end));
                end
            };
            self.canonical = canonical.then_some((start, i));
            match data.get(i) {
                None => {
                    self.terminated = false;
                    break data.len();
                }
                Some(b',') => i += 1,
                Some(b'\r') if data.get(i + 1) == Some(&b'\n') => {
                    self.newlines += 1;
                    break i + 2;
                }
                Some(b'\n') => {
                    self.newlines += 1;
                    break i + 1;
                }
                Some(_) => break i + 1,
            }
        };
        end
    }

    /// Reads a quoted field whose text starts at `from` (just past its opening quote); returns
    /// where the field ends (at a comma, a line end, or the end of `data`), and whether its
    /// bytes are its value's canonical encoding: closed, with nothing after the closing quote
    /// (quotes inside are doubled in both).
    fn quoted(&mut self, data: &[u8], from: usize) -> (usize, bool) {
        // Mostly the first quote found closes the field, right before a comma or line end:
        // the value is the text between the quotes.
        // (A line break met first is counted on the longer way below.)
        if let Some(k) = memchr2(b'"', b'\n', &data[from..]) {
            let q = from + k;
            if data[q] == b'"' {
                if let None | Some(b',' | b'\r' | b'\n') = data.get(q + 1) {
                    self.push(Span::Input(from, q));
                    return (q + 1, true);
                }
            }
        }
        // The value is made of pieces: text between quotes (a doubled quote keeps one), then
        // whatever follows the closing quote. One piece is a slice; more are copied.
        let mut first: Option<(usize, usize)> = None;
        let mut copied = None;
        let mut piece = |s: usize, e: usize, own: &mut Vec<u8>| {
            if s == e {
                return;
            }
            match (first, copied) {
                (None, _) => first = Some((s, e)),
                (Some((fs, fe)), None) => {
                    copied = Some(own.len());
                    own.extend_from_slice(&data[fs..fe]);
                    own.extend_from_slice(&data[s..e]);
                }
                (Some(_), Some(_)) => own.extend_from_slice(&data[s..e]),
            }
        };
        // `j`: where the current piece starts; `look`: where the search for a quote goes on
        // (line breaks inside the quotes are counted on the way).
        let (mut j, mut look) = (from, from);
        // Whether the bytes are the value's canonical encoding: quotes inside doubled (as
        // they are), nothing after the closing quote.
        let mut canonical = false;
        let end = loop {
            let Some(k) = memchr2(b'"', b'\n', &data[look..]) else {
                piece(j, data.len(), &mut self.own);
                self.open_quote = true;
                break data.len();
            };
            let q = look + k;
            if data[q] == b'\n' {
                self.newlines += 1;
                look = q + 1;
                continue;
            }
            if data.get(q + 1) == Some(&b'"') {
                piece(j, q + 1, &mut self.own);
                j = q + 2;
                look = j;
                continue;
            }
            piece(j, q, &mut self.own);
            let tail = q + 1;
            // Mostly the closing quote ends the field; else the text after it up to the next
            // comma or line end is kept.
            let end = match data.get(tail) {
                None | Some(b',' | b'\r' | b'\n') => tail,
                Some(_) => {
                    memchr3(b',', b'\r', b'\n', &data[tail..]).map_or(data.len(), |k| tail + k)
                }
            };
            piece(tail, end, &mut self.own);
            canonical = end == tail;
            break end;
        };
        self.push(match (first, copied) {
            (_, Some(at)) => Span::Own(at, self.own.len()),
            (Some((s, e)), None) => Span::Input(s, e),
            (None, _) => Span::Input(from, from),
        });
        (end, canonical)
    }

    fn push(&mut self, span: Span) {
        let (Span::Input(s, e) | Span::Own(s, e)) = span;
        self.value_bytes += e - s;
        self.spans.push(span);
    }

    /// The record's bytes, up to the end of its last field, when they are its values'
    /// canonical encoding: every value quoted, quotes doubled, commas between. They are when
    /// every field is quoted, closed, and has nothing after its closing quote, as in
    /// LinkedIn's fully quoted files (message text with quotes or line breaks included).
    pub fn canonical<'a>(&self, data: &'a [u8]) -> Option<&'a [u8]> {
        self.canonical.map(|(s, e)| &data[s..e])
    }

    /// The number of fields.
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    /// What the record costs to hold: its values' bytes and a word per field (the measure
    /// the row limit is kept in).
    pub fn size(&self) -> usize {
        self.value_bytes + self.spans.len()
    }

    /// The number of `\n` bytes from the record's first byte to where it ended.
    pub fn newlines(&self) -> u64 {
        self.newlines
    }

    /// Whether the record ended at a line end, rather than running to the end of the bytes.
    pub fn terminated(&self) -> bool {
        self.terminated
    }

    /// Whether the record ended inside a quote left open at the end of the bytes.
    pub fn open_quote(&self) -> bool {
        self.open_quote
    }

    /// Field `i`'s value; `data` is the bytes the record was read from.
    pub fn get<'a>(&'a self, data: &'a [u8], i: usize) -> Option<&'a [u8]> {
        self.spans.get(i).map(|&span| match span {
            Span::Input(s, e) => &data[s..e],
            Span::Own(s, e) => &self.own[s..e],
        })
    }

    /// Every field's value, in order.
    pub fn fields<'a>(&'a self, data: &'a [u8]) -> impl Iterator<Item = &'a [u8]> + 'a {
        (0..self.spans.len()).map(move |i| self.get(data, i).expect("i < len"))
    }
}

/// Random inputs for tests, over the bytes that matter to the grammar, from a fixed-seed
/// xorshift generator.
#[cfg(test)]
pub(super) struct RandomCsv(u64);

#[cfg(test)]
impl RandomCsv {
    pub(super) fn new(seed: u64) -> Self {
        RandomCsv(seed)
    }

    pub(super) fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// Up to `max_len` bytes of letters, commas, quotes, line ends and spaces.
    pub(super) fn input(&mut self, max_len: u64) -> Vec<u8> {
        const ALPHABET: &[u8] = b"ab,\"\n\r ";
        let len = self.next() % max_len;
        (0..len)
            .map(|_| ALPHABET[(self.next() % ALPHABET.len() as u64) as usize])
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every record of `data` with the `csv` crate's reader.
    fn csv_records(data: &[u8]) -> Vec<Vec<Vec<u8>>> {
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(data);
        rdr.byte_records()
            .map(|r| r.unwrap().iter().map(<[u8]>::to_vec).collect())
            .collect()
    }

    /// Every record of `data` read here, and where each starts and ends.
    fn records(data: &[u8]) -> Vec<Vec<Vec<u8>>> {
        let (mut rec, mut at, mut out) = (Record::default(), 0, Vec::new());
        loop {
            while at < data.len() && (data[at] == b'\n' || data[at] == b'\r') {
                at += 1;
            }
            if at == data.len() {
                return out;
            }
            let start = at;
            at = rec.read(data, at);
            let counted = data[start..at].iter().filter(|&&b| b == b'\n').count() as u64;
            assert_eq!(
                rec.newlines(),
                counted,
                "{:?}",
                String::from_utf8_lossy(data)
            );
            out.push(rec.fields(data).map(<[u8]>::to_vec).collect());
        }
    }

    #[test]
    fn fields_are_unquoted_and_unescaped() {
        let data = b"a,\"b,c\",\"d\"\"e\"\r\n\"x\"y,,\"\"\n\n\"open\nquote";
        let want: Vec<Vec<&[u8]>> = vec![
            vec![b"a", b"b,c", b"d\"e"],
            vec![b"xy", b"", b""],
            vec![b"open\nquote"],
        ];
        assert_eq!(records(data), want);
        assert_eq!(records(data), csv_records(data));
        let mut rec = Record::default();
        assert_eq!(rec.read(data, 0), 16, "past the \\r\\n");
        assert!(rec.terminated() && !rec.open_quote());
        assert_eq!(rec.size(), 1 + 3 + 3 + 3);
        rec.read(data, 26);
        assert!(rec.open_quote() && !rec.terminated());
        rec.read(b"a,b", 0);
        assert!(!rec.terminated() && !rec.open_quote());
        rec.read(b"a,b\r", 0);
        assert!(
            rec.terminated(),
            "a line end as the last byte ends the record"
        );
    }

    #[test]
    fn fully_quoted_bytes_are_canonical_however_their_quotes_and_lines_go() {
        let canonical = |line: &[u8]| {
            let mut r = Record::default();
            r.read(line, 0);
            r.canonical(line).map(<[u8]>::to_vec)
        };
        for line in [
            &b"\"a\",\"\""[..],
            b"\"say \"\"hi\"\"\",\"x\"",
            b"\"\"\"\"\"\",\"line\nbreak\"",
            b"\"two\r\nlines\",\"\"",
        ] {
            assert_eq!(canonical(line).as_deref(), Some(line), "{line:?}");
        }
        // Up to the end of the last field, not the line end.
        assert_eq!(
            canonical(b"\"a\",\"b\"\r\n").as_deref(),
            Some(&b"\"a\",\"b\""[..])
        );
        // An unquoted field, text after a closing quote, a quote left open: not canonical.
        for line in [
            &b"a,\"b\""[..],
            b"\"a\"b,\"c\"",
            b"\"a\"\"b\"c",
            b"\"a\",\"open",
        ] {
            assert_eq!(canonical(line), None, "{line:?}");
        }
    }

    #[test]
    fn a_quote_inside_a_field_is_text() {
        let data = b"a\"b,c \"d\" e,\"f\"\"\n";
        assert_eq!(records(data), csv_records(data));
        assert_eq!(records(data)[0][0], b"a\"b");
        assert_eq!(records(data)[0][1], b"c \"d\" e");
    }

    #[test]
    fn agrees_with_the_csv_crate_on_random_input() {
        let mut random = RandomCsv::new(0x9e37_79b9_7f4a_7c15);
        for _ in 0..20_000 {
            let data = random.input(40);
            assert_eq!(
                records(&data),
                csv_records(&data),
                "input {:?}",
                String::from_utf8_lossy(&data)
            );
        }
    }
}
