//! Writing CSV rows fast: one growing buffer per file, flushed in large chunks, with the last
//! row kept until the next one starts so that an exact duplicate can be planted by copying it.
//! Also the calendar and the date formats LinkedIn writes (FORMATS.md).

use std::io::{self, Write};

/// Seconds in one day.
pub(crate) const DAY: i64 = 86_400;

/// Bytes buffered before they go to the writer.
const FLUSH_AT: usize = 1 << 18;

/// One CSV file being written.
pub(crate) struct CsvOut<'w> {
    w: &'w mut dyn Write,
    buf: Vec<u8>,
    /// Where the last row starts in `buf`.
    last_row: usize,
    /// Fields written in the current row.
    fields: usize,
    /// Whether a line has been started and not yet ended.
    open_line: bool,
    /// Quote every field (2026 `messages.csv`), not only those that need it.
    quote_all: bool,
    rows: u64,
}

impl<'w> CsvOut<'w> {
    /// A file written to `w`.
    pub fn new(w: &'w mut dyn Write, quote_all: bool) -> Self {
        CsvOut {
            w,
            buf: Vec::with_capacity(FLUSH_AT + (1 << 16)),
            last_row: 0,
            fields: 0,
            open_line: false,
            quote_all,
            rows: 0,
        }
    }

    /// A line written verbatim (a preamble line), ended by a newline.
    pub fn line(&mut self, text: &str) {
        self.end_line();
        self.buf.extend_from_slice(text.as_bytes());
        self.buf.push(b'\n');
    }

    /// The header row (not counted as a data row).
    pub fn header(&mut self, names: &[&str]) -> io::Result<()> {
        self.begin()?;
        for n in names {
            self.field(n);
        }
        Ok(())
    }

    fn end_line(&mut self) {
        if self.open_line {
            self.buf.push(b'\n');
            self.open_line = false;
        }
    }

    /// Starts a row. Lines are separated rather than terminated, so that a file can end
    /// without a newline after its last row, as `Connections.csv` does.
    pub fn begin(&mut self) -> io::Result<()> {
        if self.buf.len() >= FLUSH_AT {
            self.w.write_all(&self.buf)?;
            self.buf.clear();
        }
        self.end_line();
        self.last_row = self.buf.len();
        self.open_line = true;
        self.fields = 0;
        Ok(())
    }

    fn separator(&mut self) {
        if self.fields > 0 {
            self.buf.push(b',');
        }
        self.fields += 1;
    }

    /// A field, quoted when it holds a comma, a quote or a line break (or always, with
    /// `quote_all`); quotes inside are doubled.
    pub fn field(&mut self, s: &str) {
        self.separator();
        let needs = self.quote_all || s.bytes().any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r'));
        if !needs {
            self.buf.extend_from_slice(s.as_bytes());
            return;
        }
        self.buf.push(b'"');
        for part in s.split('"').enumerate() {
            if part.0 > 0 {
                self.buf.extend_from_slice(b"\"\"");
            }
            self.buf.extend_from_slice(part.1.as_bytes());
        }
        self.buf.push(b'"');
    }

    /// A field written as is, never quoted: how a broken export row looks (an unquoted comma
    /// inside a field adds a field).
    pub fn raw(&mut self, s: &str) {
        self.separator();
        self.buf.extend_from_slice(s.as_bytes());
    }

    /// Ends a data row.
    pub fn end(&mut self) {
        self.rows += 1;
    }

    /// Writes the last data row once more: an exact duplicate.
    pub fn repeat_last(&mut self) {
        let (start, end) = (self.last_row, self.buf.len());
        self.buf.push(b'\n');
        self.buf.extend_from_within(start..end);
        self.last_row = end + 1;
        self.rows += 1;
    }

    /// Flushes the rest; `newline_at_end` ends the last line. Returns the data rows written.
    pub fn finish(mut self, newline_at_end: bool) -> io::Result<u64> {
        if newline_at_end {
            self.end_line();
        }
        self.w.write_all(&self.buf)?;
        self.w.flush()?;
        Ok(self.rows)
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm). Our own
/// copy: the truth must not lean on the reader it checks.
pub(crate) fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The (year, month, day) of a day number since 1970-01-01.
pub(crate) fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn push2(out: &mut String, n: u32) {
    out.push(char::from(b'0' + (n / 10 % 10) as u8));
    out.push(char::from(b'0' + (n % 10) as u8));
}

fn push_num(out: &mut String, n: i64) {
    use std::fmt::Write as _;
    let _ = write!(out, "{n}");
}

/// `YYYY-MM-DD` of a day number.
pub(crate) fn ymd(day: i64, out: &mut String) {
    let (y, m, d) = civil_from_days(day);
    push_num(out, y);
    out.push('-');
    push2(out, m);
    out.push('-');
    push2(out, d);
}

/// `2022-09-08 18:08:14 UTC` (messages, 2021–2026).
pub(crate) fn iso_utc(t: i64, out: &mut String) {
    ymd(t.div_euclid(DAY), out);
    let s = t.rem_euclid(DAY) as u32;
    out.push(' ');
    push2(out, s / 3600);
    out.push(':');
    push2(out, s / 60 % 60);
    out.push(':');
    push2(out, s % 60);
    out.push_str(" UTC");
}

/// `10/16/18, 8:36 AM` (2018 files; `Sent At` of every era). Seconds are dropped.
pub(crate) fn us_datetime(t: i64, out: &mut String) {
    let (y, m, d) = civil_from_days(t.div_euclid(DAY));
    let s = t.rem_euclid(DAY) as u32;
    let (h, min) = (s / 3600, s / 60 % 60);
    push_num(out, i64::from(m));
    out.push('/');
    push_num(out, i64::from(d));
    out.push('/');
    push2(out, y.rem_euclid(100) as u32);
    out.push_str(", ");
    push_num(out, i64::from(if h % 12 == 0 { 12 } else { h % 12 }));
    out.push(':');
    push2(out, min);
    out.push_str(if h < 12 { " AM" } else { " PM" });
}

/// `09 Sep 2022` (`Connected On`, 2021–2026).
pub(crate) fn day_month_year(day: i64, out: &mut String) {
    let (y, m, d) = civil_from_days(day);
    push2(out, d);
    out.push(' ');
    out.push_str(MONTHS[m as usize - 1]);
    out.push(' ');
    push_num(out, y);
}

/// The calendar year of a day number.
pub(crate) fn year_of(day: i64) -> i64 {
    civil_from_days(day).0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(f: fn(i64, &mut String), t: i64) -> String {
        let mut s = String::new();
        f(t, &mut s);
        s
    }

    #[test]
    fn formats_read_back_by_orchard() {
        use crate::export::parse_instant;
        let t = days_from_civil(2018, 1, 8) * DAY + 18 * 3600 + 14 * 60;
        assert_eq!(fmt(us_datetime, t), "1/8/18, 6:14 PM");
        assert_eq!(parse_instant(&fmt(us_datetime, t)), Some(t));
        let midnight = days_from_civil(2024, 12, 15) * DAY + 47 * 60;
        assert_eq!(fmt(us_datetime, midnight), "12/15/24, 12:47 AM");
        let t = days_from_civil(2022, 9, 8) * DAY + 18 * 3600 + 8 * 60 + 14;
        assert_eq!(fmt(iso_utc, t), "2022-09-08 18:08:14 UTC");
        assert_eq!(parse_instant(&fmt(iso_utc, t)), Some(t));
        let d = days_from_civil(2022, 9, 9);
        assert_eq!(fmt(day_month_year, d), "09 Sep 2022");
        assert_eq!(parse_instant(&fmt(day_month_year, d)), Some(d * DAY));
        assert_eq!(fmt(ymd, d), "2022-09-09");
        for z in [-1, 0, 11_016, 19_000, 20_000] {
            let (y, m, dd) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, dd), z);
            assert_eq!(crate::export::civil_from_days(z), (y, m, dd));
        }
    }

    #[test]
    fn rows_are_quoted_only_when_needed_and_repeat_exactly() {
        let mut out = Vec::new();
        let mut csv = CsvOut::new(&mut out, false);
        csv.header(&["A", "B"]).unwrap();
        csv.begin().unwrap();
        csv.field("x, y");
        csv.field("say \"hi\"");
        csv.end();
        csv.repeat_last();
        csv.begin().unwrap();
        csv.field("plain");
        csv.raw("a,b");
        csv.end();
        assert_eq!(csv.finish(false).unwrap(), 3);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "A,B\n\"x, y\",\"say \"\"hi\"\"\"\n\"x, y\",\"say \"\"hi\"\"\"\nplain,a,b"
        );
        let mut out = Vec::new();
        let mut csv = CsvOut::new(&mut out, true);
        csv.header(&["A"]).unwrap();
        csv.begin().unwrap();
        csv.field("line\nbreak");
        csv.end();
        csv.finish(true).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "\"A\"\n\"line\nbreak\"\n");
    }
}
