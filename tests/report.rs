//! The report folder people read: every file present and valid, HTML escaped and free of
//! external references, `--anonymize` leaving no trace of the input, and the committed example
//! report in step with a fresh run.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use polars::prelude::*;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn report(export: &Path, out: &Path, extra: &[&str]) {
    Command::cargo_bin("orchard")
        .unwrap()
        .arg("report")
        .arg(export)
        .arg("-o")
        .arg(out)
        .arg("-q")
        .args(extra)
        .assert()
        .success();
}

const CHARTS: [&str; 8] = [
    "states",
    "cohorts",
    "survival",
    "timeline",
    "invites",
    "lorenz",
    "companies",
    "messages",
];

#[test]
fn the_sample_report_has_every_file_and_each_is_valid() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("r");
    report(&root().join("data/sample-export"), &out, &[]);
    for f in [
        "index.html",
        "report.md",
        "summary.json",
        "ties.csv",
        "ties.parquet",
    ] {
        assert!(out.join(f).is_file(), "{f} missing");
    }
    for name in CHARTS {
        let svg = std::fs::read_to_string(out.join(format!("charts/{name}.svg"))).unwrap();
        let doc = roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("{name}.svg: {e}"));
        assert_eq!(doc.root_element().tag_name().name(), "svg");
        let png = std::fs::File::open(out.join(format!("charts/{name}.png"))).unwrap();
        let reader = png::Decoder::new(std::io::BufReader::new(png))
            .read_info()
            .unwrap();
        let info = reader.info();
        assert_eq!((info.width, info.height), (960, 540), "{name}.png size");
    }

    // Parquet reads back with the rows of ties.csv and proper types.
    let csv_rows = std::fs::read_to_string(out.join("ties.csv"))
        .unwrap()
        .lines()
        .count()
        - 1;
    let df = ParquetReader::new(std::fs::File::open(out.join("ties.parquet")).unwrap())
        .finish()
        .unwrap();
    assert_eq!(df.height(), csv_rows);
    let dtype = |c: &str| df.column(c).unwrap().dtype().clone();
    assert_eq!(dtype("connected_on"), DataType::Date);
    assert!(matches!(dtype("last_message_at"), DataType::Datetime(_, _)));
    assert_eq!(dtype("messages"), DataType::UInt32);
    assert_eq!(dtype("days_to_pollination"), DataType::Int64);
    assert_eq!(dtype("engagement"), DataType::Float64);
    assert_eq!(dtype("is_connection"), DataType::Boolean);
    assert_eq!(dtype("key"), DataType::String);
    // Every column chunk Snappy-compressed (the codec every Parquet reader reads).
    let mut reader = ParquetReader::new(std::fs::File::open(out.join("ties.parquet")).unwrap());
    let meta = reader.get_metadata().unwrap();
    let codecs: Vec<String> = meta
        .row_groups
        .iter()
        .flat_map(|g| g.parquet_columns())
        .map(|c| format!("{:?}", c.compression()))
        .collect();
    assert!(!codecs.is_empty());
    assert!(codecs.iter().all(|c| c == "Snappy"), "{codecs:?}");

    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(md.starts_with("# 89.2% of your 343 connections were never pollinated"));
    for name in CHARTS {
        assert!(
            md.contains(&format!("](charts/{name}.svg)")),
            "report.md links {name}"
        );
    }
}

/// Every `<…>` tag's text and the stylesheet: where a URL could make a request.
fn markup_outside_text(html: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        let end = rest[start..]
            .find('>')
            .map_or(rest.len(), |e| start + e + 1);
        parts.push(rest[start..end].to_string());
        rest = &rest[end..];
    }
    if let (Some(a), Some(b)) = (html.find("<style>"), html.find("</style>")) {
        parts.push(html[a..b].to_string());
    }
    parts
}

#[test]
fn index_html_is_self_contained_and_escapes_names() {
    let tmp = tempfile::tempdir().unwrap();
    let export = tmp.path().join("export");
    std::fs::create_dir(&export).unwrap();
    std::fs::write(
        export.join("Profile.csv"),
        "First Name,Last Name\nGrace,Hopper\n",
    )
    .unwrap();
    std::fs::write(
        export.join("Connections.csv"),
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n\
         <script>alert(1)</script>,Smith,https://www.linkedin.com/in/x1,,\"O'Brien & \"\"Sons\"\"\",CEO,09 Sep 2022\n\
         Ada,\"<b>Bold</b>\",https://www.linkedin.com/in/x2,,<script>x</script> Ltd,\"a & b\",01 Dec 2022\n",
    )
    .unwrap();
    std::fs::write(
        export.join("messages.csv"),
        "CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,RECIPIENT PROFILE URLS,DATE,SUBJECT,CONTENT,FOLDER\n\
         c1,,Grace Hopper,https://www.linkedin.com/in/grace,<script>alert(1)</script> Smith,https://www.linkedin.com/in/x1,2022-09-12 10:00:00 UTC,,hi,INBOX\n\
         c1,,<script>alert(1)</script> Smith,https://www.linkedin.com/in/x1,Grace Hopper,https://www.linkedin.com/in/grace,2022-09-13 10:00:00 UTC,,yo,INBOX\n",
    )
    .unwrap();
    let out = tmp.path().join("r");
    // As of 2022-12-01, the September exchange is faded: its name shows in the reconnect table.
    report(&export, &out, &["--active-days", "30"]);
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();

    assert!(
        html.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';")
    );
    assert!(
        !html.contains("<script"),
        "no script element, and names escaped"
    );
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt; Smith"),
        "name escaped"
    );
    assert!(
        html.contains("O&#x27;Brien &amp; &quot;Sons&quot;"),
        "company escaped"
    );
    for part in markup_outside_text(&html) {
        for bad in ["http://", "https://", "//", "url(", "@import"] {
            assert!(!part.contains(bad), "{bad:?} in markup: {part}");
        }
    }
}

/// Every name, profile URL, e-mail and company in an export's files.
fn identifying_strings(export: &Path) -> HashSet<String> {
    let mut found = HashSet::new();
    let mut add = |s: &str| {
        let s = s.trim();
        if s.len() >= 4 && s != "NA" {
            found.insert(s.to_lowercase());
        }
    };
    let read = |name: &str| {
        let text = std::fs::read_to_string(export.join(name)).unwrap();
        let start = text
            .find("First Name")
            .or_else(|| text.find("\"CONVERSATION ID\""))
            .unwrap_or(0);
        let mut rdr = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(&text.as_bytes()[start..]);
        let headers = rdr.headers().unwrap().clone();
        let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
        (headers, rows)
    };
    let (h, rows) = read("Connections.csv");
    for r in &rows {
        let get = |c: &str| {
            h.iter()
                .position(|x| x == c)
                .and_then(|i| r.get(i))
                .unwrap_or("")
        };
        add(&format!(
            "{} {}",
            get("First Name").trim(),
            get("Last Name").trim()
        ));
        add(get("Email Address"));
        add(get("Company"));
        if let Some(slug) = get("URL").split("/in/").nth(1) {
            add(slug.trim_end_matches('/'));
        }
    }
    let (h, rows) = read("messages.csv");
    for r in &rows {
        let get = |c: &str| {
            h.iter()
                .position(|x| x == c)
                .and_then(|i| r.get(i))
                .unwrap_or("")
        };
        if get("FROM") != "LinkedIn Member" {
            add(get("FROM"));
        }
        for url in get("SENDER PROFILE URL")
            .split(',')
            .chain(get("RECIPIENT PROFILE URLS").split(','))
        {
            if let Some(slug) = url.split("/in/").nth(1) {
                add(slug.trim_end_matches('/'));
            }
        }
    }
    found
}

#[test]
fn anonymize_leaves_no_name_url_email_or_company_in_any_output() {
    let export = root().join("data/sample-export");
    let secrets = identifying_strings(&export);
    assert!(
        secrets.len() > 300,
        "the check sees the input: {}",
        secrets.len()
    );
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("r");
    report(&export, &out, &["--anonymize", "--salt", "test"]);
    let mut files = vec![];
    for entry in walk(&out) {
        if entry.extension().is_some_and(|e| e == "png") {
            continue; // pixels; the same chart's SVG holds its text
        }
        let text = if entry.extension().is_some_and(|e| e == "parquet") {
            let df = ParquetReader::new(std::fs::File::open(&entry).unwrap())
                .finish()
                .unwrap();
            format!("{df:?}")
                + &df
                    .get_column_names()
                    .iter()
                    .map(|c| {
                        df.column(c)
                            .unwrap()
                            .as_materialized_series()
                            .iter()
                            .map(|v| v.to_string())
                            .collect::<Vec<_>>()
                            .join("\n")
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
        } else {
            String::from_utf8_lossy(&std::fs::read(&entry).unwrap()).into_owned()
        };
        files.push((entry, text.to_lowercase()));
    }
    assert!(files.len() >= 12, "outputs checked: {}", files.len());
    for (path, text) in &files {
        for s in &secrets {
            assert!(
                !text.contains(s.as_str()),
                "{s:?} found in {}",
                path.display()
            );
        }
        assert!(
            !text.contains("linkedin.com/in/"),
            "a profile URL in {}",
            path.display()
        );
        assert!(
            !text.contains('@') || path.extension().is_some_and(|e| e == "svg" || e == "html"),
            "an e-mail in {}",
            path.display()
        );
    }
    // Stable: the same salt gives the same pseudonyms.
    let again = tmp.path().join("r2");
    report(&export, &again, &["--anonymize", "--salt", "test"]);
    assert_eq!(
        std::fs::read(out.join("ties.csv")).unwrap(),
        std::fs::read(again.join("ties.csv")).unwrap()
    );
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = vec![];
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn no_charts_writes_no_charts_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("r");
    report(&root().join("data/sample-export"), &out, &["--no-charts"]);
    assert!(!out.join("charts").exists());
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(!html.contains("<svg") && html.contains("never pollinated"));
}

/// `reports/sample/` is the committed example; regenerate it with the command in
/// `reports/README.md` when this fails.
#[test]
fn the_committed_example_report_matches_a_fresh_run() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("r");
    report(&root().join("data/sample-export"), &out, &[]);
    let read = |p: PathBuf| -> serde_json::Value {
        serde_json::from_str(
            &std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display())),
        )
        .unwrap()
    };
    let committed = read(root().join("reports/sample/summary.json"));
    let mut fresh = read(out.join("summary.json"));
    // The example was made from `data/sample-export`; paths are the only difference allowed.
    fresh["files"] = committed["files"].clone();
    assert!(
        committed == fresh,
        "reports/sample/summary.json is stale: regenerate it (see reports/README.md)"
    );
}
