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
//!
//! The bytes that end a field are found 64 at a time ([`Marks`]): one pass over a block marks
//! its quotes and line feeds (for quoted fields) or its commas and line ends (for unquoted
//! ones), and the fields that end in it are read off the marks. Most fields are a few bytes,
//! so a search started at each field (`memchr2`, `memchr3`) was mostly its own set-up: a
//! quarter of the reading time.

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
    /// Where the record's bytes are, up to the end of its last field.
    extent: (usize, usize),
}

impl Record {
    /// Reads the record whose first byte is `data[start]` (not a line end: blank lines are
    /// skipped by the caller), and returns the offset just past its line end, or `data.len()`
    /// when it runs to the end of `data`.
    pub fn read(&mut self, data: &[u8], start: usize) -> usize {
        debug_assert!(start <= data.len());
        self.spans.clear();
        self.own.clear();
        self.value_bytes = 0;
        self.open_quote = false;
        self.terminated = true;
        self.newlines = 0;
        let mut i = start;
        let (mut quotes, mut separators) =
            (Marks::new(data, QUOTE_OR_LF), Marks::new(data, SEPARATORS));
        // Whether every field so far is quoted in canonical form ([`Record::canonical`]).
        let mut canonical = true;
        let end = loop {
            i = if data.get(i) == Some(&b'"') {
                // Mostly the first quote found closes the field, right before a comma or line
                // end: the value is the text between the quotes. (A line break met first is
                // counted on the longer way.)
                let from = i + 1;
                match quotes.find(from) {
                    Some(q)
                        if data[q] == b'"'
                            && matches!(data.get(q + 1), None | Some(b',' | b'\r' | b'\n')) =>
                    {
                        self.push(Span::Input(from, q));
                        q + 1
                    }
                    _ => {
                        let (end, simple) = self.quoted(data, from, &mut quotes, &mut separators);
                        canonical &= simple;
                        end
                    }
                }
            } else {
                canonical = false;
                let end = separators.find(i).unwrap_or(data.len());
                self.push(Span::Input(i, end));
                end
            };
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
        // `i` is where the last field ends.
        self.canonical = canonical.then_some((start, i));
        self.extent = (start, i);
        end
    }

    /// Reads a quoted field whose text starts at `from` (just past its opening quote) and is
    /// not simply the text up to the next quote (see [`Record::read`]); returns where the field
    /// ends (at a comma, a line end, or the end of `data`), and whether its bytes are its
    /// value's canonical encoding: closed, with nothing after the closing quote (quotes inside
    /// are doubled in both).
    #[inline(never)]
    fn quoted(
        &mut self,
        data: &[u8],
        from: usize,
        quotes: &mut Marks<'_, 2>,
        separators: &mut Marks<'_, 3>,
    ) -> (usize, bool) {
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
            let Some(q) = quotes.find(look) else {
                piece(j, data.len(), &mut self.own);
                self.open_quote = true;
                break data.len();
            };
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
                Some(_) => separators.find(tail).unwrap_or(data.len()),
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

    /// The record's bytes, up to the end of its last field (its line end left out).
    pub fn raw<'a>(&self, data: &'a [u8]) -> &'a [u8] {
        &data[self.extent.0..self.extent.1]
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

/// The bytes a quoted field's text is searched for: its closing quote, and line feeds to count.
const QUOTE_OR_LF: [u8; 2] = [b'"', b'\n'];
/// The bytes that end an unquoted field.
const SEPARATORS: [u8; 3] = [b',', b'\r', b'\n'];

/// Where some bytes (`bytes`) lie in `data`, found a 64-byte block at a time and kept while
/// the search stays in the block: the fields of a record mostly end in the same block or the
/// next, so most are found by a bit search in marks already made.
struct Marks<'a, const N: usize> {
    data: &'a [u8],
    bytes: [u8; N],
    /// The block marked: `data[at..at + 64]` (`usize::MAX` before the first).
    at: usize,
    /// Bit `i` is set where `data[at + i]` is one of `bytes`.
    bits: u64,
}

impl<'a, const N: usize> Marks<'a, N> {
    fn new(data: &'a [u8], bytes: [u8; N]) -> Self {
        Marks {
            data,
            bytes,
            at: usize::MAX,
            bits: 0,
        }
    }

    /// The first of the bytes at or after `from`.
    #[inline]
    fn find(&mut self, from: usize) -> Option<usize> {
        let at = from & !63;
        if at != self.at {
            if at >= self.data.len() {
                return None;
            }
            self.mark(at);
        }
        let mut bits = self.bits & (!0u64 << (from & 63));
        while bits == 0 {
            let next = self.at + 64;
            if next >= self.data.len() {
                return None;
            }
            self.mark(next);
            bits = self.bits;
        }
        Some(self.at + bits.trailing_zeros() as usize)
    }

    /// Marks the block at `at` (the last one padded with zeros, which no search is for).
    fn mark(&mut self, at: usize) {
        self.at = at;
        self.bits = match self.data.get(at..at + 64) {
            Some(block) => mark(block.try_into().expect("64 bytes"), self.bytes),
            None => {
                let mut block = [0u8; 64];
                block[..self.data.len() - at].copy_from_slice(&self.data[at..]);
                mark(&block, self.bytes)
            }
        };
    }
}

/// Bit `i` set where `block[i]` is one of `bytes`: sixteen bytes compared at a step (SSE2 is
/// part of every x86-64 processor).
#[cfg(target_arch = "x86_64")]
#[inline]
fn mark<const N: usize>(block: &[u8; 64], bytes: [u8; N]) -> u64 {
    use std::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8,
        _mm_setzero_si128,
    };
    let mut bits = 0;
    for i in 0..4 {
        // SAFETY: SSE2 is in every x86-64 processor (and so in the build's target features);
        // the 16 bytes loaded, unaligned, are `block[16 * i..16 * i + 16]`.
        unsafe {
            let v = _mm_loadu_si128(block.as_ptr().add(16 * i).cast::<__m128i>());
            let mut hit = _mm_setzero_si128();
            for b in bytes {
                hit = _mm_or_si128(hit, _mm_cmpeq_epi8(v, _mm_set1_epi8(b as i8)));
            }
            bits |= u64::from(_mm_movemask_epi8(hit) as u16) << (16 * i);
        }
    }
    bits
}

/// Bit `i` set where `block[i]` is one of `bytes`, a byte at a time.
#[cfg(any(not(target_arch = "x86_64"), test))]
fn mark_bytewise<const N: usize>(block: &[u8; 64], bytes: [u8; N]) -> u64 {
    (0..64).fold(0, |bits, i| {
        bits | (u64::from(bytes.contains(&block[i])) << i)
    })
}

#[cfg(not(target_arch = "x86_64"))]
use mark_bytewise as mark;

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
        // Its bytes up to the end of its last field, whatever ends it.
        for (line, raw) in [
            (&b"a,b\rc"[..], &b"a,b"[..]),
            (b"x,\"y\"\"\"\r\n", b"x,\"y\"\"\""),
            (b"\"o\npen", b"\"o\npen"),
        ] {
            rec.read(line, 0);
            assert_eq!(rec.raw(line), raw, "{line:?}");
        }
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
    fn blocks_are_marked_as_bytes_compared_one_by_one() {
        let mut random = RandomCsv::new(7);
        for _ in 0..2_000 {
            let mut block = [0u8; 64];
            block.fill_with(|| b"ab,\"\n\r \0\xff\x80"[(random.next() % 10) as usize]);
            assert_eq!(
                mark(&block, QUOTE_OR_LF),
                mark_bytewise(&block, QUOTE_OR_LF)
            );
            assert_eq!(mark(&block, SEPARATORS), mark_bytewise(&block, SEPARATORS));
        }
        let mut block = [b'x'; 64];
        block[0] = b'"';
        block[63] = b'\n';
        assert_eq!(mark(&block, QUOTE_OR_LF), 1 | 1 << 63);
    }

    #[test]
    fn marks_find_each_byte_across_blocks_and_at_the_end() {
        let mut random = RandomCsv::new(11);
        for round in 0..600 {
            let mut data = random.input(300);
            if round % 2 == 1 {
                // Mostly letters: the bytes searched for lie blocks apart.
                data.iter_mut()
                    .filter(|_| random.next() % 16 != 0)
                    .for_each(|b| *b = b'a');
            }
            let (mut separators, mut quotes) = (
                Marks::new(&data, SEPARATORS),
                Marks::new(&data, QUOTE_OR_LF),
            );
            // Searches go forward and back, as fields and records do.
            for from in (0..=data.len()).chain((0..=data.len()).rev()) {
                let first = |bytes: &[u8]| {
                    data[from..]
                        .iter()
                        .position(|b| bytes.contains(b))
                        .map(|k| from + k)
                };
                assert_eq!(separators.find(from), first(&SEPARATORS), "{from} {data:?}");
                assert_eq!(quotes.find(from), first(&QUOTE_OR_LF), "{from} {data:?}");
            }
        }
    }

    #[test]
    fn agrees_with_the_csv_crate_on_random_input() {
        let mut random = RandomCsv::new(0x9e37_79b9_7f4a_7c15);
        // Short inputs try every case; long ones, fields that end blocks away.
        for max_len in [40; 20_000].into_iter().chain([400; 2_000]) {
            let mut data = random.input(max_len);
            if max_len > 40 {
                data.iter_mut()
                    .filter(|_| random.next() % 8 != 0)
                    .for_each(|b| *b = b'a');
            }
            assert_eq!(
                records(&data),
                csv_records(&data),
                "input {:?}",
                String::from_utf8_lossy(&data)
            );
        }
    }
}
