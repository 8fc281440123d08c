//! Every date parser on arbitrary text: a date or `None`, never a panic; whatever parses
//! formats back without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;
use orchard::export::{
    day_of, format_day, format_instant, parse_date, parse_instant, parse_iso_day,
};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Some(t) = parse_date(&text) {
        let _ = format_day(day_of(t));
    }
    if let Some(t) = parse_instant(&text) {
        let _ = format_instant(t);
        let _ = format_day(day_of(t));
    }
    if let Some(d) = parse_iso_day(&text) {
        let _ = format_day(d);
    }
});
