//! A tie's metrics do not depend on the order of rows in the files, nor on the number of
//! threads (METRICS.md defines every figure on sets of rows; rayon must not leak into them).

use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sample-export")
}

/// `summary.json` without the file paths, and `ties.csv`'s rows sorted (person ids, and so
/// row order, follow first appearance in the files).
fn outputs(export: &Path, extra: &[&str]) -> (serde_json::Value, Vec<String>) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("r");
    Command::cargo_bin("orchard")
        .unwrap()
        .arg("report")
        .arg(export)
        .arg("-o")
        .arg(&out)
        .args(["-q", "--no-charts"])
        .args(extra)
        .assert()
        .success();
    let mut summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    summary["files"] = serde_json::Value::Null;
    let ties = std::fs::read_to_string(out.join("ties.csv")).unwrap();
    let mut rows: Vec<String> = ties.lines().map(str::to_string).collect();
    rows.sort();
    (summary, rows)
}

/// Rewrites a CSV file with its data rows in a scrambled (but deterministic) order, keeping
/// any preamble and the header first. Every field is quoted, as in 2026 files.
fn scramble(from: &Path, to: &Path, preamble_lines: usize) {
    let text = std::fs::read_to_string(from).unwrap();
    let mut cut = 0;
    for _ in 0..preamble_lines {
        cut += text[cut..].find('\n').unwrap() + 1;
    }
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(&text.as_bytes()[cut..]);
    let header = rdr.byte_headers().unwrap().clone();
    let mut rows: Vec<csv::ByteRecord> = rdr.byte_records().map(Result::unwrap).collect();
    // A fixed permutation: stride through the rows by a step coprime with their count.
    let n = rows.len();
    let step = (1..n)
        .rev()
        .find(|s| gcd(*s, n) == 1 && *s < n / 2)
        .unwrap_or(1);
    let order: Vec<usize> = (0..n).map(|i| (i * step + 7) % n).collect();
    let mut scrambled: Vec<csv::ByteRecord> = order.iter().map(|&i| rows[i].clone()).collect();
    rows.clear();
    let mut out = Vec::from(&text.as_bytes()[..cut]);
    {
        let mut w = csv::WriterBuilder::new()
            .quote_style(csv::QuoteStyle::Always)
            .from_writer(&mut out);
        w.write_byte_record(&header).unwrap();
        for r in scrambled.drain(..) {
            w.write_byte_record(&r).unwrap();
        }
    }
    std::fs::write(to, out).unwrap();
}

fn gcd(a: usize, b: usize) -> usize {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

#[test]
fn row_order_does_not_change_any_figure() {
    let tmp = tempfile::tempdir().unwrap();
    let shuffled = tmp.path().join("export");
    std::fs::create_dir(&shuffled).unwrap();
    scramble(
        &sample().join("messages.csv"),
        &shuffled.join("messages.csv"),
        0,
    );
    scramble(
        &sample().join("Connections.csv"),
        &shuffled.join("Connections.csv"),
        3,
    );
    scramble(
        &sample().join("Invitations.csv"),
        &shuffled.join("Invitations.csv"),
        0,
    );
    std::fs::copy(sample().join("Profile.csv"), shuffled.join("Profile.csv")).unwrap();
    assert_ne!(
        std::fs::read(sample().join("messages.csv")).unwrap(),
        std::fs::read(shuffled.join("messages.csv")).unwrap()
    );
    let (a, ties_a) = outputs(&sample(), &[]);
    let (b, ties_b) = outputs(&shuffled, &[]);
    assert_eq!(a, b, "summary.json differs after reordering rows");
    for (x, y) in ties_a.iter().zip(&ties_b) {
        assert_eq!(x, y, "ties.csv differs after reordering rows");
    }
    assert_eq!(ties_a, ties_b, "ties.csv differs after reordering rows");
}

#[test]
fn the_number_of_threads_does_not_change_any_figure() {
    let (a, ties_a) = outputs(&sample(), &["--threads", "1"]);
    let (b, ties_b) = outputs(&sample(), &["--threads", "4"]);
    assert_eq!(a, b);
    assert_eq!(ties_a, ties_b);
}
