//! End-to-end: every real export in `../shared/real-exports` is reported without error, and its
//! owner, counted connections, counted messages and row accounting equal the values of an
//! independent re-implementation of METRICS.md §1–§3 (`tests/independent/expected_real_exports.py`,
//! standard-library Python, whose output is `tests/independent/real_exports_expected.json`).
//!
//! The real exports are other people's data and are never copied into this repo; when the folder
//! is absent (a fresh clone on its own) each test prints that it skipped.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

fn real_exports() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/real-exports")
}

fn expected(export: &str) -> Value {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/independent/real_exports_expected.json");
    let all: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    all.as_array()
        .unwrap()
        .iter()
        .find(|e| e["export"] == export)
        .unwrap_or_else(|| panic!("no expected values for {export}"))
        .clone()
}

/// Runs `orchard report` on one real export and checks it against the independent values.
fn check(export: &str) {
    let dir = real_exports().join(export);
    if !dir.is_dir() {
        println!("skipped: {} is absent", dir.display());
        return;
    }
    let want = expected(export);
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("report");
    Command::cargo_bin("orchard")
        .unwrap()
        .args(["report", "-q", "-o"])
        .arg(&out)
        .arg(&dir)
        .assert()
        .success();
    let summary: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();

    assert_eq!(
        summary["parameters"]["as_of"], want["as_of"],
        "{export}: as-of date"
    );
    assert_eq!(
        summary["owner"]["name"], want["owner_name"],
        "{export}: owner"
    );
    assert_eq!(
        summary["owner"]["key"], want["owner_key"],
        "{export}: owner key"
    );
    let connections = want["accounting"]["connections"]["counted"]
        .as_u64()
        .unwrap_or(0);
    assert_eq!(
        summary["connections"], connections,
        "{export}: counted connections"
    );

    for file in ["connections", "messages", "invitations"] {
        let got = &summary["accounting"][file];
        let expected = &want["accounting"][file];
        if expected.is_null() {
            assert!(got.is_null(), "{export}: {file} should be absent");
            assert!(summary["accounting"][format!("{file}_unavailable")].is_string());
            continue;
        }
        let buckets = got.as_object().unwrap();
        for (bucket, n) in expected.as_object().unwrap() {
            assert_eq!(&buckets[bucket], n, "{export}: {file} bucket {bucket}");
        }
        // The accounting balances: the buckets add up to the rows read.
        let sum: u64 = buckets
            .iter()
            .filter(|(k, _)| *k != "rows")
            .map(|(_, v)| v.as_u64().unwrap())
            .sum();
        assert_eq!(
            sum,
            buckets["rows"].as_u64().unwrap(),
            "{export}: {file} balance"
        );
    }

    // Every connection is in exactly one state; ties.csv holds one row per alter.
    let ties = std::fs::read_to_string(out.join("ties.csv")).unwrap();
    let mut rdr = csv::Reader::from_reader(ties.as_bytes());
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    let is_conn = rows.iter().filter(|r| &r[5] == "true").count() as u64;
    assert_eq!(
        is_conn, connections,
        "{export}: connection rows in ties.csv"
    );
    if want["accounting"]["messages"].is_null() {
        assert!(summary["states"].is_null() && summary["states_unavailable"].is_string());
    } else {
        let states = summary["states"].as_object().unwrap();
        let total: u64 = states.values().map(|v| v.as_u64().unwrap()).sum();
        assert_eq!(total, connections, "{export}: states add up to connections");
        let partners = summary["message_partner_count"].as_u64().unwrap();
        assert_eq!(
            rows.len() as u64,
            connections + partners,
            "{export}: one row per alter"
        );
    }
}

macro_rules! real_export_tests {
    ($($name:ident => $export:literal,)*) => {
        $(#[test] fn $name() { check($export); })*
    };
}

real_export_tests! {
    annadaneshwari_2023 => "4annadaneshwari__LinkedIn-Data-Analysis",
    abhishek_2018 => "abhishekwebcode__Abhishek-Mathur-Complete_LinkedInDataExport_11-04-2018",
    ahaan_2026_excerpt => "ahaan0712__Claude",
    ahmedalbabily_2023_bom => "ahmedalbabily__Plotly_Dash_Dashboard_Linkedin_Analytics",
    banana_2025_drafts => "banana0000__Linkedin-analysis---plotly-dash",
    femi_2021 => "Femi10__Linkedin-Data-Visualization",
    harshitkd_2021 => "harshitkd__linkedin-analysis",
    ieglam_2026_excel => "ieglam__network-growth-engine",
    mauricio_2026_no_messages => "Mauricio1806__Conections-map",
    mohamedeways_2023_profile => "mohamedeways__LinkedIn-Profile",
    naeemahaz_2021_no_messages => "naeemahaz__linkedin",
    nikhil_2022 => "Nikhil-Jagtap619__linkedin-analysis",
    sajiah_root_excel_copy => "Sajiah__mylinkedindata",
    sajiah_2022 => "Sajiah__mylinkedindata/Complete_LinkedInDataExport_09-12-2022 (1)",
    stellamary_2024 => "SStellaMary__LinkedIn-Analysis",
    supriya_2024 => "Supriya-Nag__Social-Media",
}

/// Every folder in real-exports that holds a Connections or messages file is covered above.
#[test]
fn every_real_export_is_covered() {
    let root = real_exports();
    let Ok(entries) = std::fs::read_dir(&root) else {
        println!("skipped: {} is absent", root.display());
        return;
    };
    let covered = include_str!("real_exports.rs");
    for e in entries.flatten().filter(|e| e.path().is_dir()) {
        let name = e.file_name().to_string_lossy().into_owned();
        assert!(
            covered.contains(&format!("\"{name}\"")),
            "{name} has no test in tests/real_exports.rs"
        );
    }
}
