//! Property tests (issue 7, point 2) on exports from the synth generator, run in-process
//! through the library: random seeds, eras and sizes, each case a fresh export.
//!
//! Case counts are kept small for the normal `cargo test`; set `PROPTEST_CASES` for a heavier
//! run (`PROPTEST_CASES=200 cargo test --test properties`).

use std::collections::BTreeSet;
use std::path::Path;

use orchard::analysis::{analyse, Analysis, Options};
use orchard::report::anonymize::anonymize;
use orchard::report::{ties_frame, Exporter, IndexHtml, Report, ReportMd, SummaryJson, TiesCsv};
use orchard::synth::{synth, Era, SynthOptions, SynthOutput};
use proptest::prelude::*;
use proptest::test_runner::Config;

/// `PROPTEST_CASES`, else `default`.
fn config(default: u32) -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default);
    Config {
        cases,
        // Shrinking re-runs whole exports; a few steps find a smaller seed or size.
        max_shrink_iters: 16,
        ..Config::default()
    }
}

/// A generated export: era, seed, connections, messages.
fn exports() -> impl Strategy<Value = (Era, u64, u64, u64)> {
    (
        prop::sample::select(Era::ALL.to_vec()),
        any::<u64>(),
        5u64..60,
        0u64..400,
    )
}

fn generate(
    dir: &Path,
    (era, seed, connections, messages): (Era, u64, u64, u64),
    zip: bool,
) -> SynthOutput {
    synth(&SynthOptions {
        connections,
        messages,
        seed,
        era,
        zip,
        out: dir.to_path_buf(),
    })
    .unwrap()
}

fn run(export: &Path, opts: &Options) -> Analysis {
    analyse(export, opts).unwrap_or_else(|e| panic!("{}: {e}", export.display()))
}

/// An output rendered in-process, as text.
fn render(a: &Analysis, e: &dyn Exporter) -> String {
    String::from_utf8(e.render(&Report::new(a, &[])).unwrap()).unwrap()
}

/// The tie table as polars' `CsvWriter` writes it: what `ties.csv` was written by before it
/// was written row by row, and must still equal byte for byte.
fn ties_by_polars(a: &Analysis) -> String {
    use polars::prelude::{CsvWriter, SerWriter};
    let mut out = Vec::new();
    CsvWriter::new(&mut out)
        .include_header(true)
        .with_datetime_format(Some("%Y-%m-%dT%H:%M:%SZ".into()))
        .with_date_format(Some("%Y-%m-%d".into()))
        .finish(&mut ties_frame(a).unwrap())
        .unwrap();
    String::from_utf8(out).unwrap()
}

/// `summary.json` without the file paths and the export's name, which differ by design
/// between a folder and its zip; and `ties.csv`'s lines sorted (person ids follow first
/// appearance in the files).
fn comparable(a: &Analysis) -> (serde_json::Value, Vec<String>) {
    let mut summary: serde_json::Value = serde_json::from_str(&render(a, &SummaryJson)).unwrap();
    summary["files"] = serde_json::Value::Null;
    summary["export"] = serde_json::Value::Null;
    let mut ties: Vec<String> = render(a, &TiesCsv).lines().map(str::to_string).collect();
    ties.sort();
    (summary, ties)
}

/// Data records of a CSV file after its header, counted by a plain parser (an independent
/// count of the rows read).
fn records_after_header(path: &Path, header_starts: &str) -> u64 {
    let bytes = std::fs::read(path).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    let at = text
        .find(header_starts)
        .unwrap_or_else(|| panic!("{}: no header", path.display()));
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(true)
        .from_reader(&text.as_bytes()[at..]);
    rdr.byte_records()
        .map(Result::unwrap)
        .filter(|r| !(r.len() == 1 && r[0].iter().all(u8::is_ascii_whitespace)))
        .count() as u64
}

proptest! {
    #![proptest_config(config(12))]

    /// Every row read lands in one bucket: the buckets add up to the rows, the rows to what
    /// a plain CSV parser counts, and both to the generator's truth.
    #[test]
    fn accounting_always_balances(spec in exports()) {
        let tmp = tempfile::tempdir().unwrap();
        let out = generate(tmp.path(), spec, false);
        let a = run(&out.export, &Options::default());
        let acc = a.export.accounting();
        let truth: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&out.truth).unwrap()).unwrap();
        let json = serde_json::to_value(&acc).unwrap();
        for (file, buckets, name, header) in [
            ("connections", &acc.connections, "Connections.csv", "First Name"),
            ("messages", &acc.messages, if spec.0 == Era::Y2018 { "Messages.csv" } else { "messages.csv" }, ""),
            ("invitations", &acc.invitations, "Invitations.csv", "From"),
        ] {
            let Some(b) = buckets else { continue };
            let sum: u64 = b.0.iter().map(|(_, n)| n).sum();
            prop_assert_eq!(sum, b.rows());
            let path = out.export.join(name);
            if path.exists() && !header.is_empty() {
                prop_assert_eq!(b.rows(), records_after_header(&path, header), "{}", file);
            }
            prop_assert_eq!(&json[file], &truth["accounting"][file], "{}", file);
        }
    }

    /// The four state shares add up to 1, and the state counts to the connections.
    #[test]
    fn state_shares_sum_to_one(spec in exports()) {
        let tmp = tempfile::tempdir().unwrap();
        let out = generate(tmp.path(), spec, false);
        let a = run(&out.export, &Options::default());
        if let (Some(states), Some(shares)) = (a.summary.states, a.summary.shares) {
            prop_assert_eq!(states.total(), a.summary.connections);
            let sum = shares.dormant + shares.one_way + shares.active + shares.faded;
            prop_assert!((sum - 1.0).abs() < 1e-9, "shares sum to {}", sum);
        }
    }

    /// Moving `--as-of` later never lowers the connection count or the pollinated count.
    #[test]
    fn a_later_as_of_never_decreases_connections_or_pollinated(
        spec in exports(),
        cuts in (0.0f64..1.0, 0.0f64..1.0),
    ) {
        let tmp = tempfile::tempdir().unwrap();
        let out = generate(tmp.path(), spec, false);
        let full = run(&out.export, &Options::default());
        let (Some(first), Some(last)) = (full.export.earliest_day(), full.export.latest_day()) else {
            return Ok(());
        };
        let day = |f: f64| first + ((last - first) as f64 * f) as i64;
        let (early, late) = (day(cuts.0.min(cuts.1)), day(cuts.0.max(cuts.1)));
        let at = |d: i64| {
            run(&out.export, &Options { as_of: Some(d), ..Options::default() }).summary
        };
        let (e, l) = (at(early), at(late));
        prop_assert!(e.connections <= l.connections, "connections {} > {}", e.connections, l.connections);
        let pollinated = |s: &orchard::metrics::NetworkSummary| s.states.map_or(0, |s| s.pollinated());
        prop_assert!(pollinated(&e) <= pollinated(&l), "pollinated {} > {}", pollinated(&e), pollinated(&l));
    }

    /// A tie's metrics depend neither on the order of the rows in the files nor on the number
    /// of threads.
    #[test]
    fn tie_metrics_ignore_row_order_and_threads(spec in exports(), shuffle_seed in any::<u64>()) {
        let tmp = tempfile::tempdir().unwrap();
        let out = generate(tmp.path(), spec, false);
        let in_pool = |threads: usize, export: &Path| {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            pool.install(|| comparable(&run(export, &Options::default())))
        };
        let one = in_pool(1, &out.export);
        prop_assert_eq!(&one, &in_pool(4, &out.export));
        // The same export with every file's data rows shuffled.
        let shuffled = tmp.path().join("shuffled");
        std::fs::create_dir(&shuffled).unwrap();
        for entry in std::fs::read_dir(&out.export).unwrap().flatten() {
            let to = shuffled.join(entry.file_name());
            shuffle_rows(&entry.path(), &to, shuffle_seed);
        }
        let two = in_pool(2, &shuffled);
        prop_assert_eq!(&one, &two);
    }

    /// `--anonymize` output carries no name, and no profile URL, of the input.
    #[test]
    fn anonymized_output_never_contains_an_input_name(spec in exports(), salt in "[a-z0-9]{1,12}") {
        let tmp = tempfile::tempdir().unwrap();
        let out = generate(tmp.path(), spec, false);
        let mut a = run(&out.export, &Options::default());
        let mut names = BTreeSet::new();
        if let Some(c) = &a.export.connections {
            for r in &c.rows {
                names.insert(r.name.clone());
                // The reader keeps a URL only as its key, `linkedin.com/in/<slug>`.
                names.extend(r.url_key.clone());
            }
        }
        if let Some(m) = &a.export.messages {
            for r in &m.rows {
                names.insert(m.strings.get(r.from).to_string());
                names.insert(m.strings.get(r.from_url).to_string());
            }
        }
        if let Some(p) = &a.export.profile_name {
            names.insert(p.clone());
        }
        // A name is a first and a last name; single words ("Ann") may occur in other text.
        names.retain(|n| n.trim().contains(' ') || n.contains("linkedin.com"));
        anonymize(&mut a, &salt);
        for e in [&SummaryJson as &dyn Exporter, &TiesCsv, &IndexHtml, &ReportMd] {
            let text = render(&a, e);
            for n in &names {
                prop_assert!(!text.contains(n.as_str()), "{} in {}", n, e.file_name());
            }
        }
    }

    /// No message text reaches any output: `CONTENT` is hashed for the duplicate test and
    /// dropped while reading.
    #[test]
    fn no_message_text_in_any_output(spec in exports()) {
        let tmp = tempfile::tempdir().unwrap();
        let out = generate(tmp.path(), spec, false);
        let name = if spec.0 == Era::Y2018 { "Messages.csv" } else { "messages.csv" };
        let Ok(bytes) = std::fs::read(out.export.join(name)) else { return Ok(()) };
        let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(&bytes[..]);
        let content = rdr
            .headers()
            .unwrap()
            .iter()
            .position(|h| h.eq_ignore_ascii_case("content"))
            .expect("a content column");
        // Texts long enough not to occur by chance in other words.
        let texts: BTreeSet<String> = rdr
            .records()
            .filter_map(Result::ok)
            .filter_map(|r| r.get(content).map(|t| t.trim().to_string()))
            .filter(|t| t.chars().count() >= 16)
            .collect();
        let a = run(&out.export, &Options::default());
        for e in [&SummaryJson as &dyn Exporter, &TiesCsv, &IndexHtml, &ReportMd] {
            let text = render(&a, e);
            for t in &texts {
                prop_assert!(!text.contains(t.as_str()), "{:?} in {}", t, e.file_name());
            }
        }
    }

    /// `ties.csv` is what polars writes of the tie frame, with and without messages, and
    /// anonymized (every name through the quoting of commas and quotes).
    #[test]
    fn ties_csv_is_the_tie_frame_as_polars_writes_it(spec in exports()) {
        let tmp = tempfile::tempdir().unwrap();
        let out = generate(tmp.path(), spec, false);
        let mut a = run(&out.export, &Options::default());
        prop_assert_eq!(render(&a, &TiesCsv), ties_by_polars(&a));
        anonymize(&mut a, "salt");
        prop_assert_eq!(render(&a, &TiesCsv), ties_by_polars(&a));
    }

    /// A report of an export and of the same export zipped are identical.
    #[test]
    fn an_export_and_its_zip_report_the_same(spec in exports()) {
        let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let folder = generate(a.path(), spec, false);
        let zipped = generate(b.path(), spec, true);
        prop_assert_eq!(zipped.export.extension().and_then(|e| e.to_str()), Some("zip"));
        prop_assert_eq!(
            comparable(&run(&folder.export, &Options::default())),
            comparable(&run(&zipped.export, &Options::default()))
        );
    }
}

/// Copies a CSV file with its data rows in a random order (any preamble and the header stay
/// first). Every field is written quoted, which the readers accept in every era.
fn shuffle_rows(from: &Path, to: &Path, seed: u64) {
    let bytes = std::fs::read(from).unwrap();
    let text = String::from_utf8(bytes.clone()).unwrap();
    // The header is the first line naming a known column; a preamble comes before it.
    let header_at = ["First Name", "CONVERSATION ID", "From,", "FROM,"]
        .iter()
        .filter_map(|h| text.find(h))
        .min();
    // …from the start of its line (a quoted header's first quote comes before the name).
    let header_at = header_at.map(|at| text[..at].rfind('\n').map_or(0, |nl| nl + 1));
    let Some(cut) = header_at.filter(|_| from.extension().is_some_and(|e| e == "csv")) else {
        std::fs::write(to, bytes).unwrap();
        return;
    };
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(&text.as_bytes()[cut..]);
    let header = rdr.byte_headers().unwrap().clone();
    let mut rows: Vec<csv::ByteRecord> = rdr.byte_records().map(Result::unwrap).collect();
    // Fisher–Yates with a small xorshift.
    let mut s = seed | 1;
    for i in (1..rows.len()).rev() {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        rows.swap(i, (s % (i as u64 + 1)) as usize);
    }
    let mut out = text.as_bytes()[..cut].to_vec();
    {
        let mut w = csv::WriterBuilder::new()
            .flexible(true)
            .quote_style(csv::QuoteStyle::Always)
            .from_writer(&mut out);
        w.write_byte_record(&header).unwrap();
        for r in &rows {
            w.write_byte_record(r).unwrap();
        }
        w.flush().unwrap();
    }
    std::fs::write(to, out).unwrap();
}

/// `ties.csv` of the sample export and of every real export is the tie frame as polars
/// writes it (real names: accents, commas, quotes, emoji).
#[test]
fn ties_csv_of_real_exports_is_the_tie_frame_as_polars_writes_it() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut exports = vec![root.join("data/sample-export")];
    let real = root.join("../shared/real-exports");
    match std::fs::read_dir(&real) {
        Ok(dir) => exports.extend(
            dir.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.is_dir()),
        ),
        Err(_) => eprintln!(
            "{} is absent: checking the sample export only",
            real.display()
        ),
    }
    let mut checked = 0;
    for export in exports {
        let Ok(a) = analyse(&export, &Options::default()) else {
            continue; // an export orchard refuses is tested elsewhere
        };
        assert_eq!(
            render(&a, &TiesCsv),
            ties_by_polars(&a),
            "{}",
            export.display()
        );
        checked += 1;
    }
    assert!(checked > 0);
}
