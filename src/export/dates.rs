//! Parsing of the date formats LinkedIn has used (FORMATS.md), into UTC instants.
//!
//! Hand-written rather than `strptime`: the formats are few and fixed, and this sits on the
//! hottest path of reading (one call per message row).

/// Seconds since 1970-01-01T00:00:00Z.
pub type Instant = i64;

/// Seconds in one day.
pub const DAY: i64 = 86_400;

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The (year, month, day) of a day number since 1970-01-01.
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

fn instant(y: i64, m: u32, d: u32, hh: u32, mm: u32, ss: u32) -> Option<Instant> {
    if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) || hh > 23 || mm > 59 || ss > 60
    {
        return None;
    }
    Some(days_from_civil(y, m, d) * DAY + (hh * 3600 + mm * 60 + ss) as i64)
}

/// The UTC day number of an instant.
pub fn day_of(t: Instant) -> i64 {
    t.div_euclid(DAY)
}

/// `YYYY-MM-DD` of a day number.
pub fn format_day(day: i64) -> String {
    let (y, m, d) = civil_from_days(day);
    format!("{y:04}-{m:02}-{d:02}")
}

/// RFC 3339 UTC, second precision: `2024-01-02T03:04:05Z`.
pub fn format_instant(t: Instant) -> String {
    let (y, m, d) = civil_from_days(day_of(t));
    let s = t.rem_euclid(DAY);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        s / 3600,
        s % 3600 / 60,
        s % 60
    )
}

/// Parses `YYYY-MM-DD` (as given to `--as-of`) into a day number.
pub fn parse_iso_day(s: &str) -> Option<i64> {
    let mut c = Cursor::new(s.trim());
    let y = c.number(4, 4)?;
    c.eat(b'-')?;
    let m = c.number(1, 2)?;
    c.eat(b'-')?;
    let d = c.number(1, 2)?;
    c.end()?;
    instant(y as i64, m, d, 0, 0, 0).map(day_of)
}

/// A tiny byte cursor for the fixed date grammars below.
struct Cursor<'a> {
    b: &'a [u8],
    i: usize,
}

impl<'a> Cursor<'a> {
    fn new(s: &'a str) -> Self {
        Cursor {
            b: s.as_bytes(),
            i: 0,
        }
    }
    fn number(&mut self, min: usize, max: usize) -> Option<u32> {
        let start = self.i;
        let mut v: u32 = 0;
        while self.i < self.b.len() && self.i - start < max && self.b[self.i].is_ascii_digit() {
            v = v * 10 + (self.b[self.i] - b'0') as u32;
            self.i += 1;
        }
        (self.i - start >= min).then_some(v)
    }
    fn eat(&mut self, c: u8) -> Option<()> {
        (self.b.get(self.i) == Some(&c)).then(|| self.i += 1)
    }
    fn spaces(&mut self) -> usize {
        let start = self.i;
        while self.b.get(self.i) == Some(&b' ') {
            self.i += 1;
        }
        self.i - start
    }
    fn month_name(&mut self) -> Option<u32> {
        const MONTHS: [&[u8; 3]; 12] = [
            b"jan", b"feb", b"mar", b"apr", b"may", b"jun", b"jul", b"aug", b"sep", b"oct", b"nov",
            b"dec",
        ];
        let w = self.b.get(self.i..self.i + 3)?;
        let w = [
            w[0].to_ascii_lowercase(),
            w[1].to_ascii_lowercase(),
            w[2].to_ascii_lowercase(),
        ];
        let m = MONTHS.iter().position(|n| **n == w)? as u32 + 1;
        self.i += 3;
        // Tolerate full month names ("September"): skip the remaining letters.
        while self.b.get(self.i).is_some_and(|c| c.is_ascii_alphabetic()) {
            self.i += 1;
        }
        Some(m)
    }
    fn rest_is(&self, s: &[u8]) -> bool {
        self.b[self.i..].eq_ignore_ascii_case(s)
    }
    fn end(&self) -> Option<()> {
        (self.i == self.b.len()).then_some(())
    }
}

fn two_digit_year(y: u32, digits: usize) -> i64 {
    if digits <= 2 {
        2000 + y as i64
    } else {
        y as i64
    }
}

/// `1/8/18, 6:14 PM` (2018 connections and messages, invitations of every era). Seconds optional.
fn parse_us_datetime(s: &str) -> Option<Instant> {
    let mut c = Cursor::new(s);
    let m = c.number(1, 2)?;
    c.eat(b'/')?;
    let d = c.number(1, 2)?;
    c.eat(b'/')?;
    let start = c.i;
    let y = c.number(2, 4)?;
    let y = two_digit_year(y, c.i - start);
    if c.end().is_some() {
        return instant(y, m, d, 0, 0, 0);
    }
    c.eat(b',')?;
    c.spaces();
    let mut h = c.number(1, 2)?;
    c.eat(b':')?;
    let min = c.number(2, 2)?;
    let sec = if c.eat(b':').is_some() {
        c.number(2, 2)?
    } else {
        0
    };
    c.spaces();
    if c.rest_is(b"PM") {
        if !(1..=12).contains(&h) {
            return None;
        }
        h = h % 12 + 12;
    } else if c.rest_is(b"AM") {
        if !(1..=12).contains(&h) {
            return None;
        }
        h %= 12;
    } else {
        c.end()?;
    }
    instant(y, m, d, h, min, sec)
}

/// `2022-09-08 18:08:14 UTC`, `2019-11-06T02:08:20`, `2024/12/07 14:51:07 UTC`, or a bare date.
fn parse_iso_datetime(s: &str) -> Option<Instant> {
    let mut c = Cursor::new(s);
    let y = c.number(4, 4)? as i64;
    let sep = *c.b.get(c.i)?;
    if sep != b'-' && sep != b'/' {
        return None;
    }
    c.i += 1;
    let m = c.number(1, 2)?;
    c.eat(sep)?;
    let d = c.number(1, 2)?;
    if c.end().is_some() {
        return instant(y, m, d, 0, 0, 0);
    }
    if c.eat(b'T').is_none() && c.spaces() == 0 {
        return None;
    }
    let h = c.number(1, 2)?;
    c.eat(b':')?;
    let min = c.number(2, 2)?;
    let sec = if c.eat(b':').is_some() {
        c.number(2, 2)?
    } else {
        0
    };
    // Fractional seconds are dropped.
    if c.eat(b'.').is_some() {
        c.number(1, 9)?;
    }
    c.spaces();
    if !(c.end().is_some() || c.rest_is(b"UTC") || c.rest_is(b"Z") || c.rest_is(b"+00:00")) {
        return None;
    }
    instant(y, m, d, h, min, sec)
}

/// `09 Sep 2022` (2021–2026) or `9-Sep-22` (Excel re-save).
fn parse_day_month_name(s: &str) -> Option<Instant> {
    let mut c = Cursor::new(s);
    let d = c.number(1, 2)?;
    if c.eat(b'-').is_none() && c.spaces() == 0 {
        return None;
    }
    let m = c.month_name()?;
    if c.eat(b'-').is_none() && c.spaces() == 0 {
        return None;
    }
    let start = c.i;
    let y = c.number(2, 4)?;
    let y = two_digit_year(y, c.i - start);
    c.end()?;
    instant(y, m, d, 0, 0, 0)
}

/// Any date or timestamp found in an export, as a UTC instant; `None` when unparseable or empty.
pub fn parse_instant(s: &str) -> Option<Instant> {
    if let Some(t) = parse_utc_timestamp(s.as_bytes()) {
        return t;
    }
    let s = s.trim();
    let first = *s.as_bytes().first()?;
    if !first.is_ascii_digit() {
        return None;
    }
    let year_first = s.len() >= 8 && s.as_bytes()[..4].iter().all(u8::is_ascii_digit);
    if s.contains('/') && !year_first {
        parse_us_datetime(s)
    } else if year_first {
        parse_iso_datetime(s)
    } else {
        parse_day_month_name(s)
    }
}

/// `2022-09-08 18:08:14 UTC` exactly, the form of every message since 2021, read at fixed
/// places: what [`parse_iso_datetime`] makes of it, at a tenth of the cost (a call a message
/// row). `None` when `b` is not of that form (left to the general parser).
fn parse_utc_timestamp(b: &[u8]) -> Option<Option<Instant>> {
    let shape = b.len() == 23
        && b[4] == b'-'
        && b[7] == b'-'
        && b[10] == b' '
        && b[13] == b':'
        && b[16] == b':'
        && &b[19..] == b" UTC";
    if !shape {
        return None;
    }
    let two = |i: usize| {
        let (a, z) = (b[i].wrapping_sub(b'0'), b[i + 1].wrapping_sub(b'0'));
        (a < 10 && z < 10).then_some(u32::from(a) * 10 + u32::from(z))
    };
    let y = two(0)? * 100 + two(2)?;
    let (m, d, hh, mm, ss) = (two(5)?, two(8)?, two(11)?, two(14)?, two(17)?);
    Some(instant(y.into(), m, d, hh, mm, ss))
}

/// A `Connected On` value: its calendar date at 00:00:00Z (a time of day is dropped, METRICS.md §2).
pub fn parse_date(s: &str) -> Option<Instant> {
    parse_instant(s).map(|t| day_of(t) * DAY)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(y: i64, m: u32, d: u32, hh: u32, mm: u32, ss: u32) -> Instant {
        instant(y, m, d, hh, mm, ss).unwrap()
    }

    #[test]
    fn civil_round_trip() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        for z in [-800_000, -1, 0, 1, 11_016, 19_000, 2_000_000] {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), z);
        }
    }

    #[test]
    fn a_utc_timestamp_reads_as_the_general_parser_reads_it() {
        let mut x = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = move |n: u64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x % n
        };
        for _ in 0..50_000 {
            // Digits mostly, with now and then a letter, a space or a sign in any place.
            let mut s: Vec<u8> = format!(
                "{:04}-{:02}-{:02} {:02}:{:02}:{:02} UTC",
                next(10_000),
                next(14),
                next(33),
                next(26),
                next(61),
                next(62)
            )
            .into_bytes();
            if next(4) == 0 {
                let i = next(s.len() as u64) as usize;
                s[i] = b" 0a-:/T+"[next(8) as usize];
            }
            let s = String::from_utf8(s).unwrap();
            let general = {
                let t = s.trim();
                t.as_bytes()[0]
                    .is_ascii_digit()
                    .then(|| parse_iso_datetime(t))
                    .flatten()
            };
            if let Some(fast) = parse_utc_timestamp(s.as_bytes()) {
                assert_eq!(fast, general, "{s:?}");
            }
            assert_eq!(parse_instant(&s), parse_instant(&format!(" {s}")), "{s:?}");
        }
        assert_eq!(
            parse_utc_timestamp(b"2022-09-08 18:08:14 UTC"),
            Some(Some(at(2022, 9, 8, 18, 8, 14)))
        );
        assert_eq!(parse_utc_timestamp(b"2022-02-30 18:08:14 UTC"), Some(None));
        assert_eq!(parse_utc_timestamp(b"2022-09-08 18:08:14 utc"), None);
    }

    #[test]
    fn every_linkedin_format() {
        assert_eq!(
            parse_instant("2022-09-08 18:08:14 UTC"),
            Some(at(2022, 9, 8, 18, 8, 14))
        );
        assert_eq!(
            parse_instant("2019-11-06T02:08:20"),
            Some(at(2019, 11, 6, 2, 8, 20))
        );
        assert_eq!(
            parse_instant("2024/12/07 14:51:07 UTC"),
            Some(at(2024, 12, 7, 14, 51, 7))
        );
        assert_eq!(
            parse_instant("10/16/18, 8:36 AM"),
            Some(at(2018, 10, 16, 8, 36, 0))
        );
        assert_eq!(
            parse_instant("12/15/24, 12:47 AM"),
            Some(at(2024, 12, 15, 0, 47, 0))
        );
        assert_eq!(
            parse_instant("12/15/24, 12:47 PM"),
            Some(at(2024, 12, 15, 12, 47, 0))
        );
        assert_eq!(
            parse_instant("12/24/23, 05:28 AM"),
            Some(at(2023, 12, 24, 5, 28, 0))
        );
        assert_eq!(parse_instant("09 Sep 2022"), Some(at(2022, 9, 9, 0, 0, 0)));
        assert_eq!(parse_instant("9-Sep-22"), Some(at(2022, 9, 9, 0, 0, 0)));
        assert_eq!(parse_instant("6-Feb-26"), Some(at(2026, 2, 6, 0, 0, 0)));
        assert_eq!(parse_instant(" 1 jan 2020 "), Some(at(2020, 1, 1, 0, 0, 0)));
    }

    #[test]
    fn connected_on_drops_the_time_of_day() {
        assert_eq!(parse_date("1/8/18, 6:14 PM"), Some(at(2018, 1, 8, 0, 0, 0)));
    }

    #[test]
    fn rejects_what_is_not_a_date() {
        for s in [
            "",
            "NA",
            "yesterday",
            "31 Feb 2022",
            "2022-13-01 00:00:00 UTC",
            "13/1/18, 1:00 PM",
            "1/1/18, 13:00 PM",
            "09 Sept",
            "2022-09-08 18:08:14 CET",
        ] {
            assert_eq!(parse_instant(s), None, "{s:?}");
        }
    }

    #[test]
    fn formats() {
        assert_eq!(
            format_instant(at(2024, 1, 2, 3, 4, 5)),
            "2024-01-02T03:04:05Z"
        );
        assert_eq!(format_day(days_from_civil(2026, 2, 28)), "2026-02-28");
        assert_eq!(
            parse_iso_day("2026-02-28"),
            Some(days_from_civil(2026, 2, 28))
        );
        assert_eq!(parse_iso_day("2026-02-30"), None);
        assert_eq!(format_instant(-1), "1969-12-31T23:59:59Z");
    }
}
