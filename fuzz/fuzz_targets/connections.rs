//! One `Connections` file's bytes through the reader: an error or an export, never a panic; every
//! row read lands in exactly one bucket.
#![no_main]

use libfuzzer_sys::fuzz_target;
use orchard::export::{read_file_bytes, FileKind, ReadOptions};

fuzz_target!(|data: &[u8]| {
    for strict in [false, true] {
        let opts = ReadOptions { strict };
        if let Ok(export) = read_file_bytes(FileKind::Connections, "fuzz.csv", data, &opts) {
            orchard_fuzz_check::check(&export);
        }
    }
});

mod orchard_fuzz_check {
    include!("../check.rs");
}
