//! Hand-built fixture exports checked against hand-worked values (METRICS.md §1–§4, §6 counts).
//!
//! Each folder under `tests/fixtures/` is a small invented export in the exact byte layout of its
//! era (FORMATS.md); `tests/fixtures/README.md` says what each one is built to show. Every expected
//! value below was worked out by hand from the fixture and METRICS.md, and the working sits in the
//! comment beside it. Ages are in days before the cut-off `C`; `decay(age, H)` is `2^(−age/H)`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

/// One row of `ties.csv`, by column name.
type Row = HashMap<String, String>;
/// `ties.csv` by key.
type Ties = HashMap<String, Row>;

const TIES_HEADER: [&str; 23] = [
    "key",
    "name",
    "company",
    "position",
    "connected_on",
    "is_connection",
    "sent",
    "received",
    "messages",
    "conversations",
    "exchanges",
    "first_message_at",
    "last_message_at",
    "first_exchange_at",
    "reciprocity",
    "initiative",
    "reply_hours_owner",
    "reply_hours_alter",
    "days_to_first_message",
    "days_to_pollination",
    "engagement",
    "state",
    "layer",
];

const MESSAGE_BUCKETS: [&str; 9] = [
    "malformed",
    "duplicate",
    "draft",
    "sponsored",
    "spam",
    "anonymous",
    "bad_date",
    "after_cutoff",
    "counted",
];
const CONNECTION_BUCKETS: [&str; 5] = ["blank", "duplicate", "bad_date", "after_cutoff", "counted"];
const INVITATION_BUCKETS: [&str; 4] = ["malformed", "bad_date", "after_cutoff", "counted"];

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("fixtures")
        .join(name)
}

/// `orchard report <fixture> -o <out> <extra_args…>`.
fn report_command(fixture_name: &str, out: &Path, extra_args: &[&str]) -> Command {
    let mut cmd = Command::cargo_bin("orchard").expect("the orchard binary is built");
    cmd.arg("report")
        .arg(fixture(fixture_name))
        .arg("-o")
        .arg(out)
        .args(extra_args);
    cmd
}

/// Runs the report on a fixture and returns `ties.csv` by key and `summary.json`.
fn run_report(fixture_name: &str, extra_args: &[&str]) -> (Ties, Value) {
    let tmp = tempfile::tempdir().expect("temporary directory");
    let out = tmp.path().join("report");
    report_command(fixture_name, &out, extra_args)
        .assert()
        .success();

    let mut reader = csv::Reader::from_path(out.join("ties.csv")).expect("ties.csv is readable");
    let headers = reader.headers().expect("ties.csv has a header").clone();
    assert_eq!(
        headers.iter().collect::<Vec<_>>(),
        TIES_HEADER,
        "ties.csv header"
    );
    let mut ties = Ties::new();
    for record in reader.records() {
        let record = record.expect("ties.csv record");
        let row: Row = headers
            .iter()
            .zip(record.iter())
            .map(|(h, v)| (h.to_string(), v.to_string()))
            .collect();
        let key = row["key"].clone();
        assert!(
            ties.insert(key.clone(), row).is_none(),
            "key {key} appears twice in ties.csv"
        );
    }

    let text = std::fs::read_to_string(out.join("summary.json")).expect("summary.json exists");
    let summary: Value = serde_json::from_str(&text).expect("summary.json is JSON");
    assert_eq!(summary["schema"], "orchard.summary/2");
    (ties, summary)
}

/// `2^(−age/H)`: the weight of a message `age_days` before the cut-off (METRICS.md §4).
fn decay(age_days: f64, half_life: f64) -> f64 {
    (-age_days / half_life).exp2()
}

fn assert_close(actual: f64, expected: f64, what: &str) {
    let tolerance = 1e-9 * expected.abs().max(1.0);
    assert!(
        (actual - expected).abs() <= tolerance,
        "{what}: got {actual}, expected {expected}"
    );
}

fn tie<'a>(ties: &'a Ties, key: &str) -> &'a Row {
    ties.get(key)
        .unwrap_or_else(|| panic!("no row for {key} in ties.csv"))
}

fn assert_keys(ties: &Ties, expected: &[&str]) {
    let mut actual: Vec<&str> = ties.keys().map(String::as_str).collect();
    actual.sort_unstable();
    let mut expected = expected.to_vec();
    expected.sort_unstable();
    assert_eq!(actual, expected, "the alters in ties.csv");
}

/// Exact text of fields (integers, instants, dates, states, layers; "" is null).
fn assert_fields(row: &Row, expected: &[(&str, &str)]) {
    for (field, value) in expected {
        assert_eq!(row[*field], *value, "{field} of {}", row["key"]);
    }
}

/// Float fields, compared numerically.
fn assert_floats(row: &Row, expected: &[(&str, f64)]) {
    for (field, value) in expected {
        let text = &row[*field];
        let actual: f64 = text
            .parse()
            .unwrap_or_else(|e| panic!("{field} of {} is {text:?}: {e}", row["key"]));
        assert_close(actual, *value, &format!("{field} of {}", row["key"]));
    }
}

fn json_f64(summary: &Value, pointer: &str) -> f64 {
    summary
        .pointer(pointer)
        .and_then(Value::as_f64)
        .unwrap_or_else(|| panic!("{pointer} is not a number in {summary}"))
}

fn assert_counts(object: &Value, expected: &[(&str, u64)]) {
    for (name, n) in expected {
        assert_eq!(object[*name].as_u64(), Some(*n), "{name} in {object}");
    }
}

fn assert_shares(object: &Value, expected: &[(&str, f64)]) {
    for (name, share) in expected {
        let actual = object[*name]
            .as_f64()
            .unwrap_or_else(|| panic!("{name} is not a number in {object}"));
        assert_close(actual, *share, name);
    }
}

/// A file's accounting (METRICS.md §3): `rows`, the listed buckets, zero in every other bucket.
fn assert_accounting(accounting: &Value, buckets: &[&str], rows: u64, nonzero: &[(&str, u64)]) {
    assert_eq!(
        accounting["rows"].as_u64(),
        Some(rows),
        "rows in {accounting}"
    );
    let mut total = 0;
    for bucket in buckets {
        let expected = nonzero
            .iter()
            .find(|(name, _)| name == bucket)
            .map_or(0, |(_, n)| *n);
        assert_eq!(
            accounting[*bucket].as_u64(),
            Some(expected),
            "{bucket} in {accounting}"
        );
        total += expected;
    }
    for (name, _) in nonzero {
        assert!(buckets.contains(name), "unknown bucket {name}");
    }
    assert_eq!(total, rows, "the expected buckets add up to the rows");
}

fn assert_parameters(summary: &Value, as_of: &str, cutoff: &str, active_days: f64, half_life: f64) {
    assert_eq!(summary["parameters"]["as_of"], as_of);
    // C is an instant (RFC 3339, METRICS.md §7): the day after D at 00:00:00Z.
    assert_eq!(
        summary["parameters"]["cutoff"],
        format!("{cutoff}T00:00:00Z")
    );
    assert_close(
        json_f64(summary, "/parameters/active_days"),
        active_days,
        "active_days",
    );
    assert_close(
        json_f64(summary, "/parameters/half_life"),
        half_life,
        "half_life",
    );
    assert_close(
        json_f64(summary, "/parameters/burst_min"),
        10.0,
        "burst_min",
    );
}

fn assert_layers(summary: &Value, counts: [u64; 5]) {
    let names = ["5", "15", "50", "150", "outer"];
    let expected: Vec<(&str, u64)> = names.into_iter().zip(counts).collect();
    assert_counts(&summary["layers"], &expected);
}

// ---------------------------------------------------------------------------------------------
// states: 2023+ format. Owner Orla Quince (Profile.csv). Run with --as-of 2024-06-30 → cut-off
// C = 2024-07-01T00:00Z, and --half-life 10. Messages by label (O = owner, A = the alter):
//   ada-0  a1 03-01 12:00 A, a2 03-02 12:00 A
//   ada-1  a3 06-01 09:00 O, a4 11:00 A, a5 12:00 A, a6 15:00 O, a7 06-02 03:00 A
//   ada-2  a8 06-10 08:00 O, a9 06-10 08:00 A (same instant), a10 06-10 20:00 O
//   group  g1 06-01 00:00 O → Ada, Gus, Hana; g2 06-11 00:00 Gus → Orla, Ada, Hana
//   mo-1   m1 04-01 10:00 A, m2 11:00 O, m3 13:00 A, m4 16:00 O, m5 18:00 O,
//          m6 04-02 00:00 A, m7 04:00 O
//   owen-1 o1 02-02 00:00 O, o2 02-12 00:00 O;  ines-1 i1 06-11 00:00 A
//   fay-1  f1 2022-03-01 12:00 A, f2 2022-03-08 18:00 O, f3 2022-06-01 00:00 A
// (all 2024 unless a year is given)
// ---------------------------------------------------------------------------------------------

const ADA: &str = "linkedin.com/in/ada-alvarez-44dd";
const DANA: &str = "linkedin.com/in/dana-dormer-11aa";
const FAY: &str = "linkedin.com/in/fay-fenwick-55ee";
const GUS: &str = "linkedin.com/in/gus-garnett-66ff";
const HANA: &str = "linkedin.com/in/hana-hollis-88bb";
const INES: &str = "linkedin.com/in/ines-inward-33cc";
const MO: &str = "linkedin.com/in/mo-marchetti-77aa";
const OWEN: &str = "linkedin.com/in/owen-outram-22bb";

#[test]
fn states_every_state_and_tie_metric() {
    let (ties, summary) = run_report("states", &["--as-of", "2024-06-30", "--half-life", "10"]);
    let h = 10.0;

    // 6 connections + Mo (sender) + Hana (recipient of g1); the owner is never an alter.
    assert_keys(&ties, &[ADA, DANA, FAY, GUS, HANA, INES, MO, OWEN]);

    let ada = tie(&ties, ADA);
    assert_fields(
        ada,
        &[
            ("name", "Ada Alvarez"),
            ("company", "Brightfield Analytics"),
            ("position", "Co-Founder, Chief Data Officer"), // quoted comma in Connections.csv
            ("connected_on", "2024-01-15"),
            ("is_connection", "true"),
            ("sent", "5"),                                // a3 a6 a8 a10 + g1
            ("received", "6"),                            // a1 a2 a4 a5 a7 a9 (g2 is Gus's)
            ("messages", "11"),                           // 5 + 6
            ("conversations", "4"),                       // ada-0, ada-1, ada-2, group
            ("exchanges", "2"),                           // ada-1, ada-2 (both sides in each)
            ("first_message_at", "2024-03-01T12:00:00Z"), // a1
            ("last_message_at", "2024-06-10T20:00:00Z"),  // a10
            // min over ada-1 of max(a3, a4) = a4 and over ada-2 of max(a8, a9) = 06-10 08:00
            ("first_exchange_at", "2024-06-01T11:00:00Z"),
            ("days_to_first_message", "46"), // 01-15 → 03-01 12:00 = 46.5 d → 46
            ("days_to_pollination", "138"),  // 01-15 → 06-01 11:00 = 138.46 d → 138
            ("state", "active"),             // exchanges, a10 ≥ C − 365 d
            ("layer", "5"),                  // rank 1 of 4 pollinated ties
        ],
    );
    assert_floats(
        ada,
        &[
            ("reciprocity", 5.0 / 6.0), // min(5,6)/max(5,6)
            // ada-0 starts with A; ada-1 (a3), ada-2 (a8 ties a9 in time → owner), group (g1) → 3/4
            ("initiative", 0.75),
            // owner replies: a6 3 h after a5, a10 12 h after a9 → even count → (3 + 12)/2
            ("reply_hours_owner", 7.5),
            // alter replies: a4 2 h after a3, a7 12 h after a6, a9 0 h after a8 (owner first at
            // equal times); a2 and a5 follow the alter's own message → median of [0, 2, 12]
            ("reply_hours_alter", 2.0),
            // Σ 2^(−age/10) × (0.25 + 0.75 × 5/6 = 0.875)
            (
                "engagement",
                0.875
                    * [
                        121.5,              // a1
                        120.5,              // a2
                        30.0 - 9.0 / 24.0,  // a3
                        30.0 - 11.0 / 24.0, // a4
                        29.5,               // a5
                        30.0 - 15.0 / 24.0, // a6
                        29.0 - 3.0 / 24.0,  // a7
                        21.0 - 8.0 / 24.0,  // a8
                        21.0 - 8.0 / 24.0,  // a9
                        21.0 - 20.0 / 24.0, // a10
                        30.0,               // g1
                    ]
                    .iter()
                    .map(|&age| decay(age, h))
                    .sum::<f64>(),
            ),
        ],
    );

    let mo = tie(&ties, MO);
    assert_fields(
        mo,
        &[
            ("name", "Mo Marchetti"),
            ("company", ""),
            ("position", ""),
            ("connected_on", ""), // a message partner, not a connection
            ("is_connection", "false"),
            ("sent", "4"),     // m2 m4 m5 m7
            ("received", "3"), // m1 m3 m6
            ("messages", "7"),
            ("conversations", "1"),
            ("exchanges", "1"),
            ("first_message_at", "2024-04-01T10:00:00Z"), // m1
            ("last_message_at", "2024-04-02T04:00:00Z"),  // m7
            ("first_exchange_at", "2024-04-01T11:00:00Z"), // max(first sent m2, first received m1)
            ("days_to_first_message", ""),                // not a connection
            ("days_to_pollination", ""),
            ("state", "active"),
            ("layer", "5"), // rank 3 (Ada 1.31, Gus 0.375, Mo 0.0109, Fay ~1e-23)
        ],
    );
    assert_floats(
        mo,
        &[
            ("reciprocity", 0.75), // 3/4
            ("initiative", 0.0),   // m1 is Mo's
            // owner replies: m2 1 h after m1, m4 3 h after m3, m7 4 h after m6 (m5 follows m4)
            // → median of [1, 3, 4] = 3 (the mean would be 2.67)
            ("reply_hours_owner", 3.0),
            // alter replies: m3 2 h after m2, m6 6 h after m5 → (2 + 6)/2
            ("reply_hours_alter", 4.0),
            // Apr 1 00:00 is 91 d before C; factor 0.25 + 0.75 × 0.75 = 0.8125
            (
                "engagement",
                0.8125
                    * [
                        91.0 - 10.0 / 24.0, // m1
                        91.0 - 11.0 / 24.0, // m2
                        91.0 - 13.0 / 24.0, // m3
                        91.0 - 16.0 / 24.0, // m4
                        91.0 - 18.0 / 24.0, // m5
                        90.0,               // m6
                        90.0 - 4.0 / 24.0,  // m7
                    ]
                    .iter()
                    .map(|&age| decay(age, h))
                    .sum::<f64>(),
            ),
        ],
    );

    let fay = tie(&ties, FAY);
    assert_fields(
        fay,
        &[
            ("connected_on", "2022-03-10"),
            ("sent", "1"),     // f2
            ("received", "2"), // f1 f3
            ("exchanges", "1"),
            ("first_message_at", "2022-03-01T12:00:00Z"),
            ("last_message_at", "2022-06-01T00:00:00Z"),
            ("first_exchange_at", "2022-03-08T18:00:00Z"), // max(f2, f1)
            ("days_to_first_message", "-9"), // 03-10 → 03-01 12:00 = −8.5 d → floor −9
            ("days_to_pollination", "-2"),   // 03-10 → 03-08 18:00 = −1.25 d → floor −2
            ("state", "faded"),              // f3 < C − 365 d = 2023-07-02
            ("layer", "5"),                  // rank 4: still one of the first 5
        ],
    );
    assert_floats(
        fay,
        &[
            ("reciprocity", 0.5),
            ("initiative", 0.0),
            ("reply_hours_owner", 174.0),  // f2 − f1 = 7 d 6 h
            ("reply_hours_alter", 2022.0), // f3 − f2 = 84 d 6 h
            // 2022-03-01 is 853 d before C; factor 0.25 + 0.75 × 0.5 = 0.625 (about 1e-23)
            (
                "engagement",
                0.625 * (decay(852.5, h) + decay(845.25, h) + decay(761.0, h)),
            ),
        ],
    );

    let gus = tie(&ties, GUS);
    assert_fields(
        gus,
        &[
            ("connected_on", "2024-05-01"),
            ("sent", "1"),     // g1 (a message to 3 people counts once for each)
            ("received", "1"), // g2
            ("conversations", "1"),
            ("exchanges", "1"),
            ("first_message_at", "2024-06-01T00:00:00Z"),
            ("last_message_at", "2024-06-11T00:00:00Z"),
            ("first_exchange_at", "2024-06-11T00:00:00Z"),
            ("days_to_first_message", "31"), // 05-01 → 06-01
            ("days_to_pollination", "41"),   // 05-01 → 06-11
            ("reply_hours_owner", ""),       // the owner never answered Gus
            ("state", "active"),
            ("layer", "5"),
        ],
    );
    assert_floats(
        gus,
        &[
            ("reciprocity", 1.0),
            ("initiative", 1.0),
            ("reply_hours_alter", 240.0), // g2 − g1 = 10 d
            // ages 30 = 3H and 20 = 2H: (1/8 + 1/4) × 1
            ("engagement", 0.375),
        ],
    );

    let hana = tie(&ties, HANA);
    assert_fields(
        hana,
        &[
            ("is_connection", "false"),
            ("connected_on", ""),
            ("sent", "1"), // g1, via RECIPIENT PROFILE URLS
            ("received", "0"),
            ("exchanges", "0"),
            ("first_exchange_at", ""),
            ("reply_hours_owner", ""),
            ("reply_hours_alter", ""),
            ("state", "one_way"),
            ("layer", ""),
        ],
    );
    // g1 at age 30 = 3H, reciprocity 0 → 1/8 × 0.25
    assert_floats(
        hana,
        &[
            ("reciprocity", 0.0),
            ("initiative", 1.0),
            ("engagement", 0.03125),
        ],
    );

    let owen = tie(&ties, OWEN);
    assert_fields(
        owen,
        &[
            ("connected_on", "2023-06-01"),
            ("sent", "2"), // o1 o2, never answered
            ("received", "0"),
            ("messages", "2"),
            ("conversations", "1"),
            ("exchanges", "0"),
            ("first_message_at", "2024-02-02T00:00:00Z"),
            ("last_message_at", "2024-02-12T00:00:00Z"),
            ("first_exchange_at", ""),
            ("reply_hours_owner", ""), // o2 follows the owner's own o1
            ("reply_hours_alter", ""),
            ("days_to_first_message", "246"), // 2023-06-01 → 2024-02-02
            ("days_to_pollination", ""),
            ("state", "one_way"),
            ("layer", ""),
        ],
    );
    // ages 150 = 15H and 140 = 14H, reciprocity 0: (2^−15 + 2^−14) × 0.25 = 3/131072
    assert_floats(
        owen,
        &[
            ("reciprocity", 0.0),
            ("initiative", 1.0),
            ("engagement", 3.0 / 131_072.0),
        ],
    );

    let ines = tie(&ties, INES);
    assert_fields(
        ines,
        &[
            ("connected_on", "2024-05-01"),
            ("sent", "0"),
            ("received", "1"), // i1
            ("conversations", "1"),
            ("exchanges", "0"),
            ("first_message_at", "2024-06-11T00:00:00Z"),
            ("last_message_at", "2024-06-11T00:00:00Z"),
            ("reply_hours_owner", ""),
            ("reply_hours_alter", ""), // a first message is no reply
            ("days_to_first_message", "41"),
            ("days_to_pollination", ""),
            ("state", "one_way"),
            ("layer", ""),
        ],
    );
    // age 20 = 2H: 1/4 × 0.25
    assert_floats(
        ines,
        &[
            ("reciprocity", 0.0),
            ("initiative", 0.0),
            ("engagement", 0.0625),
        ],
    );

    let dana = tie(&ties, DANA);
    assert_fields(
        dana,
        &[
            ("name", "Dana Dormer"),
            ("company", "Quiet Mill Ltd"),
            ("position", "Miller"),
            ("connected_on", "2023-01-10"),
            ("is_connection", "true"),
            ("sent", "0"),
            ("received", "0"),
            ("messages", "0"),
            ("conversations", "0"),
            ("exchanges", "0"),
            ("first_message_at", ""),
            ("last_message_at", ""),
            ("first_exchange_at", ""),
            ("initiative", ""), // 0 conversations
            ("reply_hours_owner", ""),
            ("reply_hours_alter", ""),
            ("days_to_first_message", ""),
            ("days_to_pollination", ""),
            ("state", "dormant"),
            ("layer", ""),
        ],
    );
    // reciprocity is 0 when messages = 0
    assert_floats(dana, &[("reciprocity", 0.0), ("engagement", 0.0)]);

    assert_parameters(&summary, "2024-06-30", "2024-07-01", 365.0, 10.0);
    assert_eq!(summary["owner"]["name"], "Orla Quince"); // Profile.csv
                                                         // her usable URL as the sender of counted messages
    assert_eq!(
        summary["owner"]["key"],
        "linkedin.com/in/orla-quince-0a1b2c"
    );
    assert_counts(
        &summary,
        &[
            ("connections", 6),
            ("hidden_connections", 0),
            ("ambiguous_names", 0),
        ],
    );
    // Dana | Owen, Ines | Ada, Gus | Fay
    assert_counts(
        &summary["states"],
        &[("dormant", 1), ("one_way", 2), ("active", 2), ("faded", 1)],
    );
    assert_shares(
        &summary["shares"],
        &[
            ("dormant", 1.0 / 6.0),
            ("one_way", 2.0 / 6.0),
            ("active", 2.0 / 6.0),
            ("faded", 1.0 / 6.0),
        ],
    );
    // (dormant 1 + one_way 2)/6
    assert_close(
        json_f64(&summary, "/never_pollinated_share"),
        0.5,
        "never_pollinated_share",
    );
    // Hana one_way, Mo active
    assert_counts(
        &summary["message_partners"],
        &[("dormant", 0), ("one_way", 1), ("active", 1), ("faded", 0)],
    );
    assert_accounting(
        &summary["accounting"]["messages"],
        &MESSAGE_BUCKETS,
        25,
        &[("counted", 25)],
    );
    assert_accounting(
        &summary["accounting"]["connections"],
        &CONNECTION_BUCKETS,
        6,
        &[("counted", 6)],
    );
    // Ada, Gus, Mo, Fay: four pollinated ties, all ranked within the first 5
    assert_layers(&summary, [4, 0, 0, 0, 0]);
}

#[test]
fn states_active_days_boundary() {
    // C − 20 d = 2024-06-11T00:00Z exactly: Gus's last message (g2) is at that instant → active
    // (≥); Ada's last (a10, 06-10 20:00) is 4 h earlier → faded; Mo (04-02) → faded.
    let (ties, summary) = run_report(
        "states",
        &[
            "--as-of",
            "2024-06-30",
            "--half-life",
            "10",
            "--active-days",
            "20",
        ],
    );
    assert_fields(tie(&ties, GUS), &[("state", "active"), ("layer", "5")]);
    assert_fields(tie(&ties, ADA), &[("state", "faded"), ("layer", "5")]);
    assert_fields(tie(&ties, MO), &[("state", "faded"), ("layer", "5")]);
    assert_fields(tie(&ties, FAY), &[("state", "faded")]);
    assert_fields(tie(&ties, INES), &[("state", "one_way")]); // i1 is as recent as g2
    assert_fields(tie(&ties, DANA), &[("state", "dormant")]);

    assert_parameters(&summary, "2024-06-30", "2024-07-01", 20.0, 10.0);
    // Dana | Owen, Ines | Gus | Ada, Fay
    assert_counts(
        &summary["states"],
        &[("dormant", 1), ("one_way", 2), ("active", 1), ("faded", 2)],
    );
    assert_counts(
        &summary["message_partners"],
        &[("dormant", 0), ("one_way", 1), ("active", 0), ("faded", 1)],
    );
    // unchanged: active_days does not decide pollination
    assert_close(
        json_f64(&summary, "/never_pollinated_share"),
        0.5,
        "never_pollinated_share",
    );
    assert_layers(&summary, [4, 0, 0, 0, 0]);
}

#[test]
fn states_default_as_of_is_latest_date() {
    // No --as-of: D = the latest date in the files = 2024-06-11 (g2 and i1), so C = 2024-06-12.
    let (ties, summary) = run_report("states", &[]);
    assert_parameters(&summary, "2024-06-11", "2024-06-12", 365.0, 180.0);
    assert_keys(&ties, &[ADA, DANA, FAY, GUS, HANA, INES, MO, OWEN]);
    // i1 is 1 day before C, H = 180: 2^(−1/180) × 0.25
    assert_floats(
        tie(&ties, INES),
        &[("engagement", 0.25 * decay(1.0, 180.0))],
    );
    // C − 365 d = 2023-06-13: Fay (2022) is still faded, every 2024 exchange active
    assert_counts(
        &summary["states"],
        &[("dormant", 1), ("one_way", 2), ("active", 2), ("faded", 1)],
    );
    assert_counts(
        &summary["message_partners"],
        &[("dormant", 0), ("one_way", 1), ("active", 1), ("faded", 0)],
    );
}

#[test]
fn strict_rejects_skipped_rows_and_accepts_a_clean_export() {
    let tmp = tempfile::tempdir().expect("temporary directory");
    // quirks holds malformed rows (and every other skip bucket): --strict makes them an error
    let rejected = tmp.path().join("rejected");
    report_command("quirks", &rejected, &["--as-of", "2024-09-30", "--strict"])
        .assert()
        .failure()
        .code(1);
    assert!(
        !rejected.exists(),
        "a failed report leaves no report folder behind"
    );
    // every row of states is counted: --strict changes nothing
    let accepted = tmp.path().join("accepted");
    report_command("states", &accepted, &["--as-of", "2024-06-30", "--strict"])
        .assert()
        .success();
    assert!(accepted.join("summary.json").is_file());
    assert!(accepted.join("ties.csv").is_file());
}

// ---------------------------------------------------------------------------------------------
// era2021: May 2021 – Feb 2023 format (no URL column in Connections.csv, no RECIPIENT PROFILE
// URLS). No Profile.csv: the owner is the name in the most conversations. Default parameters:
// D = 2022-04-11 (latest message), C = 2022-04-12, H = 180.
// ---------------------------------------------------------------------------------------------

#[test]
fn era2021_names_without_urls() {
    let (ties, summary) = run_report("era2021", &[]);
    let priya = "linkedin.com/in/priya-raman-1a2b";
    let nadia = "linkedin.com/in/nadia-fermi-3c4d";
    let bram = "name:bram koenig (pmp, csm,safe)";
    let sam_url = "linkedin.com/in/sam-lee-5e6f";
    let alex_a = "linkedin.com/in/alex-kim-7a7a";
    let alex_b = "linkedin.com/in/alex-kim-8b8b";
    assert_keys(
        &ties,
        &[
            priya,
            nadia,
            bram,
            "name:lena ortiz",
            "name:sam lee#1",
            "name:sam lee#2",
            "name:chris wu#1",
            "name:chris wu#2",
            sam_url,
            alex_a,
            alex_b,
            "name:alex kim",
        ],
    );

    // Priya's URL-less connection resolves to the one URL her messages carry (§1 rule 1).
    let p = tie(&ties, priya);
    assert_fields(
        p,
        &[
            ("name", "Priya Raman"),
            ("company", "Lumen Labs"),
            ("connected_on", "2022-02-14"),
            ("is_connection", "true"),
            // 03-01 10:00 to her, 03-05 09:00 as the group's TO piece "Priya Raman"
            ("sent", "2"),
            ("received", "1"), // 03-01 12:30
            ("conversations", "2"),
            ("exchanges", "1"),
            ("first_message_at", "2022-03-01T10:00:00Z"),
            ("last_message_at", "2022-03-05T09:00:00Z"),
            ("first_exchange_at", "2022-03-01T12:30:00Z"),
            ("reply_hours_owner", ""),
            ("days_to_first_message", "15"), // 02-14 → 03-01 10:00
            ("days_to_pollination", "15"),   // 02-14 → 03-01 12:30
            ("state", "active"),
            ("layer", "5"),
        ],
    );
    assert_floats(
        p,
        &[
            ("reciprocity", 0.5),       // 1/2
            ("initiative", 1.0),        // both conversations opened by the owner
            ("reply_hours_alter", 2.5), // 10:00 → 12:30
        ],
    );

    // "Nadia Fermi, PhD (Oxon), MBA." is one name: its ", " commas are not separators.
    let n = tie(&ties, nadia);
    assert_fields(
        n,
        &[
            ("name", "Nadia Fermi, PhD (Oxon), MBA."),
            ("company", "Oxbridge Biotech"),
            ("connected_on", "2022-01-20"),
            ("is_connection", "true"),
            ("sent", "1"),     // group 03-05 09:00
            ("received", "1"), // group 03-05 10:00
            ("exchanges", "1"),
            ("first_exchange_at", "2022-03-05T10:00:00Z"),
            ("days_to_first_message", "44"), // 01-20 → 03-05 09:00
            ("days_to_pollination", "44"),
            ("state", "active"),
            ("layer", "5"),
        ],
    );
    // ages: 03-05 is 38 d before C; H = 180; reciprocity 1
    assert_floats(
        n,
        &[
            ("reply_hours_alter", 1.0),
            (
                "engagement",
                decay(38.0 - 9.0 / 24.0, 180.0) + decay(38.0 - 10.0 / 24.0, 180.0),
            ),
        ],
    );

    // "Bram Koenig (PMP, CSM,SAFe)" holds a bare comma: the TO pieces "Bram Koenig (PMP, CSM" and
    // "SAFe)" join into the known connection name (longest run).
    assert_fields(
        tie(&ties, bram),
        &[
            ("name", "Bram Koenig (PMP, CSM,SAFe)"),
            ("connected_on", "2022-01-05"),
            ("is_connection", "true"),
            ("sent", "1"), // group 03-05 09:00
            ("received", "0"),
            ("days_to_first_message", "59"), // 01-05 → 03-05 09:00
            ("state", "one_way"),
            ("layer", ""),
        ],
    );
    assert_fields(
        tie(&ties, "name:lena ortiz"),
        &[
            ("name", "Lena Ortiz"),
            ("connected_on", "2021-12-10"),
            ("sent", "1"), // 02-01 08:00, TO "Lena Ortiz" → her name key
            ("received", "0"),
            ("days_to_first_message", "53"), // 2021-12-10 → 2022-02-01 08:00
            ("state", "one_way"),
        ],
    );

    // Two URL-less "Sam Lee" rows are two people, numbered by Connected On ascending, and no
    // message is attributed to them: "Sam Lee" resolves to the one URL he sends from (a partner).
    for (key, connected, company) in [
        ("name:sam lee#1", "2021-08-03", "Juniper School"),
        ("name:sam lee#2", "2022-03-12", "Copperline Media"),
        // same date: reverse file order, so the later row (Keystone) is #1
        ("name:chris wu#1", "2021-10-01", "Keystone Ferries"),
        ("name:chris wu#2", "2021-10-01", "Northwind Tiles"),
    ] {
        assert_fields(
            tie(&ties, key),
            &[
                ("connected_on", connected),
                ("company", company),
                ("is_connection", "true"),
                ("messages", "0"),
                ("state", "dormant"),
                ("layer", ""),
            ],
        );
    }
    let s = tie(&ties, sam_url);
    assert_fields(
        s,
        &[
            ("name", "Sam Lee"),
            ("is_connection", "false"),
            ("connected_on", ""),
            ("sent", "1"),     // 04-02 09:30 TO "Sam Lee" → his sender URL
            ("received", "1"), // 04-02 09:00
            ("first_exchange_at", "2022-04-02T09:30:00Z"),
            ("days_to_first_message", ""),
            ("state", "active"),
            ("layer", "5"),
        ],
    );
    assert_floats(s, &[("initiative", 0.0), ("reply_hours_owner", 0.5)]);

    // "Alex Kim" sends from two URLs: the owner's "TO Alex Kim" is ambiguous → name key.
    for key in [alex_a, alex_b] {
        assert_fields(
            tie(&ties, key),
            &[
                ("name", "Alex Kim"),
                ("sent", "0"),
                ("received", "1"),
                ("state", "one_way"),
            ],
        );
    }
    assert_fields(
        tie(&ties, "name:alex kim"),
        &[
            ("name", "Alex Kim"),
            ("is_connection", "false"),
            ("sent", "1"), // 04-11 11:00
            ("received", "0"),
            ("state", "one_way"),
        ],
    );

    assert_parameters(&summary, "2022-04-11", "2022-04-12", 365.0, 180.0);
    // Teodor is in all 6 conversations (sender or TO piece); his key is his sender URL.
    assert_eq!(summary["owner"]["name"], "Teodor Vance");
    assert_eq!(summary["owner"]["key"], "linkedin.com/in/teodor-vance-9z8y");
    assert_counts(
        &summary,
        &[
            ("connections", 8),
            ("hidden_connections", 0),
            ("ambiguous_names", 3), // sam lee, chris wu (shared by URL-less rows), alex kim
        ],
    );
    // Sam #1 #2, Chris #1 #2 | Bram, Lena | Priya, Nadia
    assert_counts(
        &summary["states"],
        &[("dormant", 4), ("one_way", 2), ("active", 2), ("faded", 0)],
    );
    // (4 + 2)/8
    assert_close(
        json_f64(&summary, "/never_pollinated_share"),
        0.75,
        "never_pollinated_share",
    );
    // Sam (URL) active; both Alex Kim URLs and name:alex kim one_way
    assert_counts(
        &summary["message_partners"],
        &[("dormant", 0), ("one_way", 3), ("active", 1), ("faded", 0)],
    );
    assert_accounting(
        &summary["accounting"]["messages"],
        &MESSAGE_BUCKETS,
        10,
        &[("counted", 10)],
    );
    assert_accounting(
        &summary["accounting"]["connections"],
        &CONNECTION_BUCKETS,
        8,
        &[("counted", 8)],
    );
    assert_layers(&summary, [3, 0, 0, 0, 0]); // Priya, Nadia, Sam (URL)
}

// ---------------------------------------------------------------------------------------------
// era2018: Messages.csv `From,To,Date,…,Direction,Folder` with "M/D/YY, h:mm AM" dates, no URLs
// anywhere, Connections.csv without preamble. Owner Wren Halloway from Profile.csv. Defaults:
// D = 2018-10-16 (latest message), C = 2018-10-17, H = 180. Conversations are participant sets:
//   {Kofi, Wren}: k1 03-05 10:00 O, k2 03-05 12:15 PM A, k3 10-16 8:36 AM O
//   {Kofi, Lucia, Wren}: g1 06-01 12:30 AM O;  {Lucia, Wren}: l1 2017-08-21 1:00 AM A
//   {Tomasz, Wren}: t1 09-03 4:45 PM A
// ---------------------------------------------------------------------------------------------

#[test]
fn era2018_old_formats() {
    let (ties, summary) = run_report("era2018", &[]);
    let kofi = "name:kofi mensah";
    let lucia = "name:lucia brandt";
    assert_keys(&ties, &[kofi, lucia, "name:ravi dutta", "name:tomasz wilk"]);

    let k = tie(&ties, kofi);
    assert_fields(
        k,
        &[
            ("name", "Kofi Mensah"),
            ("company", "Tallow & Wick"),
            ("connected_on", "2018-03-02"), // "3/2/18, 9:15 AM": the time of day is dropped
            ("is_connection", "true"),
            ("sent", "3"),          // k1 k3 g1
            ("received", "1"),      // k2
            ("conversations", "2"), // {Kofi, Wren} and {Kofi, Lucia, Wren}
            ("exchanges", "1"),     // only {Kofi, Wren}
            ("first_message_at", "2018-03-05T10:00:00Z"),
            ("last_message_at", "2018-10-16T08:36:00Z"),
            ("first_exchange_at", "2018-03-05T12:15:00Z"), // 12:15 PM
            ("days_to_first_message", "3"),
            ("days_to_pollination", "3"),
            ("state", "active"),
            ("layer", "5"),
        ],
    );
    assert_floats(
        k,
        &[
            ("reciprocity", 1.0 / 3.0),
            ("initiative", 1.0),
            ("reply_hours_alter", 2.25), // k2 − k1
            // k3 − k2 = 2018-03-05 12:15 → 10-16 08:36 = 225 d − 3 h 39 min
            ("reply_hours_owner", 225.0 * 24.0 - 3.0 - 39.0 / 60.0),
            // factor 0.25 + 0.75/3 = 0.5; 03-05 is 226 d and 06-01 is 138 d before C
            (
                "engagement",
                0.5 * (decay(226.0 - 10.0 / 24.0, 180.0)
                    + decay(226.0 - 12.25 / 24.0, 180.0)
                    + decay(138.0 - 0.5 / 24.0, 180.0)
                    + decay(1.0 - 8.6 / 24.0, 180.0)),
            ),
        ],
    );

    // Lucia sent one and got one, but in different conversations: no exchange → one_way.
    let l = tie(&ties, lucia);
    assert_fields(
        l,
        &[
            ("position", "Owner, Lead Surveyor"),
            ("connected_on", "2017-08-20"), // "8/20/17, 11:05 PM"
            ("sent", "1"),                  // g1
            ("received", "1"),              // l1
            ("conversations", "2"),
            ("exchanges", "0"),
            ("first_message_at", "2017-08-21T01:00:00Z"),
            ("last_message_at", "2018-06-01T00:30:00Z"), // 12:30 AM is 00:30
            ("first_exchange_at", ""),
            ("reply_hours_owner", ""), // each conversation holds one tie message
            ("reply_hours_alter", ""),
            // 2017-08-20 00:00 → 08-21 01:00: 1 (it would be 0 had 11:05 PM been kept)
            ("days_to_first_message", "1"),
            ("days_to_pollination", ""),
            ("state", "one_way"),
            ("layer", ""),
        ],
    );
    assert_floats(l, &[("reciprocity", 1.0), ("initiative", 0.5)]);

    assert_fields(
        tie(&ties, "name:ravi dutta"),
        &[
            ("connected_on", "2018-01-08"),
            ("messages", "0"),
            ("state", "dormant"),
        ],
    );
    assert_fields(
        tie(&ties, "name:tomasz wilk"),
        &[
            ("name", "Tomasz Wilk"),
            ("is_connection", "false"),
            ("received", "1"),
            ("first_message_at", "2018-09-03T16:45:00Z"), // 4:45 PM
            ("state", "one_way"),
        ],
    );

    assert_parameters(&summary, "2018-10-16", "2018-10-17", 365.0, 180.0);
    assert_eq!(summary["owner"]["name"], "Wren Halloway");
    assert_eq!(summary["owner"]["key"], "name:wren halloway"); // no URL anywhere
    assert_counts(
        &summary,
        &[
            ("connections", 3),
            ("hidden_connections", 0),
            ("ambiguous_names", 0),
        ],
    );
    assert_counts(
        &summary["states"],
        &[("dormant", 1), ("one_way", 1), ("active", 1), ("faded", 0)],
    );
    assert_close(
        json_f64(&summary, "/never_pollinated_share"),
        2.0 / 3.0,
        "never_pollinated_share",
    );
    assert_counts(
        &summary["message_partners"],
        &[("dormant", 0), ("one_way", 1), ("active", 0), ("faded", 0)],
    );
    assert_accounting(
        &summary["accounting"]["messages"],
        &MESSAGE_BUCKETS,
        6,
        &[("counted", 6)],
    );
    assert_accounting(
        &summary["accounting"]["connections"],
        &CONNECTION_BUCKETS,
        3,
        &[("counted", 3)],
    );
    assert_accounting(
        &summary["accounting"]["invitations"],
        &INVITATION_BUCKETS,
        2,
        &[("counted", 2)],
    );
    assert_layers(&summary, [1, 0, 0, 0, 0]);
}

// ---------------------------------------------------------------------------------------------
// asof: --as-of cuts off everything at or after C = D + 1 day.
//   Una: u3 03-09 12:00 A, u1 03-10 23:59:59 O, u2 03-11 00:00:00 A (= C)
//   Tom (connected 10 Mar 2024): 03-12 09:00 A;  Pia (connected 11 Mar 2024): 03-15 09:00 A
//   Vik (partner): 02-01 10:00 A;  a SPAM row dated 03-20 08:00
//   Invitations: 3/11/24 12:00 AM (= C), 3/10/24 11:59 PM, 3/16/24 8:00 AM, 3/8/24 7:05 AM
// ---------------------------------------------------------------------------------------------

const UNA: &str = "linkedin.com/in/una-berg-u3";
const TOM: &str = "linkedin.com/in/tom-ekdahl-t2";
const PIA: &str = "linkedin.com/in/pia-quist-p1";
const VIK: &str = "linkedin.com/in/vik-lund-v4";

#[test]
fn asof_cuts_off_at_the_day_after() {
    let (ties, summary) = run_report("asof", &["--as-of", "2024-03-10"]);
    // C = 2024-03-11T00:00Z: Pia's connection (11 Mar) and every message of hers are ignored.
    assert_keys(&ties, &[UNA, TOM, VIK]);

    let una = tie(&ties, UNA);
    assert_fields(
        una,
        &[
            ("connected_on", "2024-02-01"),
            ("sent", "1"),     // u1 at 23:59:59, one second before C
            ("received", "1"), // u3; u2 at exactly C is after the cut-off
            ("exchanges", "1"),
            ("first_message_at", "2024-03-09T12:00:00Z"),
            ("last_message_at", "2024-03-10T23:59:59Z"),
            ("first_exchange_at", "2024-03-10T23:59:59Z"), // max(u1, u3)
            ("reply_hours_alter", ""),                     // u2 would have been the reply
            ("days_to_first_message", "37"),               // 02-01 → 03-09 12:00 (leap year)
            ("days_to_pollination", "38"),                 // 02-01 → 03-10 23:59:59
            ("state", "active"),
            ("layer", "5"),
        ],
    );
    assert_floats(
        una,
        &[
            ("reciprocity", 1.0),
            ("initiative", 0.0),
            ("reply_hours_owner", (36.0 * 3600.0 - 1.0) / 3600.0), // u1 − u3 = 36 h − 1 s
            // ages: u1 one second, u3 1.5 d; H = 180; factor 1
            (
                "engagement",
                decay(1.0 / 86_400.0, 180.0) + decay(1.5, 180.0),
            ),
        ],
    );
    // Tom connected on D itself (00:00 < C) but his only message is after C.
    assert_fields(
        tie(&ties, TOM),
        &[
            ("connected_on", "2024-03-10"),
            ("messages", "0"),
            ("state", "dormant"),
        ],
    );
    assert_fields(
        tie(&ties, VIK),
        &[
            ("is_connection", "false"),
            ("received", "1"),
            ("state", "one_way"),
        ],
    );

    assert_parameters(&summary, "2024-03-10", "2024-03-11", 365.0, 180.0);
    assert_counts(&summary, &[("connections", 2)]);
    assert_counts(
        &summary["states"],
        &[("dormant", 1), ("one_way", 0), ("active", 1), ("faded", 0)],
    );
    assert_close(
        json_f64(&summary, "/never_pollinated_share"),
        0.5,
        "never_pollinated_share",
    );
    assert_counts(
        &summary["message_partners"],
        &[("dormant", 0), ("one_way", 1), ("active", 0), ("faded", 0)],
    );
    // spam: the 03-20 row (spam is tested before the date); after_cutoff: u2, Tom's, Pia's
    assert_accounting(
        &summary["accounting"]["messages"],
        &MESSAGE_BUCKETS,
        7,
        &[("spam", 1), ("after_cutoff", 3), ("counted", 3)],
    );
    assert_accounting(
        &summary["accounting"]["connections"],
        &CONNECTION_BUCKETS,
        3,
        &[("after_cutoff", 1), ("counted", 2)], // Pia
    );
    // 3/11/24 12:00 AM is exactly C; 3/16/24 after; 3/10/24 11:59 PM and 3/8/24 counted
    assert_accounting(
        &summary["accounting"]["invitations"],
        &INVITATION_BUCKETS,
        4,
        &[("after_cutoff", 2), ("counted", 2)],
    );
    assert_layers(&summary, [1, 0, 0, 0, 0]);
}

#[test]
fn asof_default_is_latest_date_in_any_bucket() {
    // No --as-of: the latest parseable date is the SPAM row's 2024-03-20 (later than the
    // 3/16/24 invitation and every counted row), whatever bucket it lands in.
    let (ties, summary) = run_report("asof", &[]);
    assert_parameters(&summary, "2024-03-20", "2024-03-21", 365.0, 180.0);
    assert_keys(&ties, &[UNA, TOM, PIA, VIK]);

    let una = tie(&ties, UNA);
    assert_fields(
        una,
        &[
            ("sent", "1"),
            ("received", "2"), // u3 and now u2
            ("last_message_at", "2024-03-11T00:00:00Z"),
            ("first_exchange_at", "2024-03-10T23:59:59Z"),
            ("state", "active"),
        ],
    );
    assert_floats(
        una,
        &[
            ("reciprocity", 0.5),
            ("reply_hours_alter", 1.0 / 3600.0), // u2 one second after u1
        ],
    );
    assert_fields(
        tie(&ties, TOM),
        &[
            ("received", "1"),
            ("days_to_first_message", "2"), // 03-10 → 03-12 09:00
            ("state", "one_way"),
        ],
    );
    assert_fields(
        tie(&ties, PIA),
        &[
            ("connected_on", "2024-03-11"),
            ("received", "1"),
            ("days_to_first_message", "4"), // 03-11 → 03-15 09:00
            ("state", "one_way"),
        ],
    );

    assert_counts(&summary, &[("connections", 3)]);
    assert_counts(
        &summary["states"],
        &[("dormant", 0), ("one_way", 2), ("active", 1), ("faded", 0)],
    );
    assert_accounting(
        &summary["accounting"]["messages"],
        &MESSAGE_BUCKETS,
        7,
        &[("spam", 1), ("counted", 6)],
    );
    assert_accounting(
        &summary["accounting"]["connections"],
        &CONNECTION_BUCKETS,
        3,
        &[("counted", 3)],
    );
    assert_accounting(
        &summary["accounting"]["invitations"],
        &INVITATION_BUCKETS,
        4,
        &[("counted", 4)],
    );
}

// ---------------------------------------------------------------------------------------------
// layers: --as-of 2024-12-31 (C = 2025-01-01T00:00Z), --half-life 1. "pair(a, b)": the owner
// writes at age a, the alter answers at age b, in a conversation of their own; reciprocity 1, so
// engagement = 2^−a + 2^−b.
// ---------------------------------------------------------------------------------------------

#[test]
fn layers_rank_and_tie_breaks() {
    let (ties, summary) = run_report("layers", &["--as-of", "2024-12-31", "--half-life", "1"]);
    let expected = [
        // (key, engagement, layer), in rank order
        ("linkedin.com/in/bea-lindqvist-t1", 1.5, "5"), // 2 × pair(2,1) = 2 × 0.75
        ("linkedin.com/in/cato-ferreira-t2", 1.125, "5"), // pair(2,1) + pair(3,2)
        ("linkedin.com/in/dina-sauer-t3", 0.9375, "5"), // pair(2,1) + pair(4,3)
        ("linkedin.com/in/emil-varga-t4", 0.84375, "5"), // pair(2,1) + pair(5,4)
        // Zoe and Anna: identical message times → equal engagement and equal last_message_at;
        // key asc decides: adler-zoe (rank 5) < zeller-anna (rank 6), although "Anna" < "Zoe".
        ("linkedin.com/in/adler-zoe-k1", 0.75, "5"), // pair(2,1)
        ("linkedin.com/in/zeller-anna-k2", 0.75, "15"), // pair(2,1)
        // Rosa has the most recent message of all (2024-12-31 18:00) but ranks 7 on engagement:
        // the owner wrote at ages 10, 9, 8, she answered at 0.25; reciprocity 1/3 → factor 0.5.
        (
            "linkedin.com/in/rosa-quintero-r7",
            0.5 * (decay(10.0, 1.0) + decay(9.0, 1.0) + decay(8.0, 1.0) + decay(0.25, 1.0)),
            "15",
        ),
        ("linkedin.com/in/farah-osei-p8", 3.0 / 8.0, "15"), // pair(3,2) = 2^−3 + 2^−2
        ("linkedin.com/in/gio-marino-p9", 3.0 / 16.0, "15"), // pair(4,3)
        ("linkedin.com/in/hugo-brandl-p10", 3.0 / 32.0, "15"), // pair(5,4)
        ("linkedin.com/in/iris-tamm-p11", 3.0 / 64.0, "15"), // pair(6,5)
        ("linkedin.com/in/jon-ekberg-p12", 3.0 / 128.0, "15"), // pair(7,6)
        ("linkedin.com/in/kira-vogt-p13", 3.0 / 256.0, "15"), // pair(8,7)
        ("linkedin.com/in/lars-moen-p14", 3.0 / 512.0, "15"), // pair(9,8)
        // Zimmer, Zorn, Zeta: exchanges in 2021, over 1300 half-lives ago → engagement exactly 0
        // in f64; last_message_at desc decides: Zimmer 2021-06-01 (rank 15) before Zorn
        // 2021-05-01 (rank 16), although abel-zorn < yusuf-zimmer by key.
        ("linkedin.com/in/yusuf-zimmer-z1", 0.0, "15"),
        ("linkedin.com/in/abel-zorn-z2", 0.0, "50"),
        ("linkedin.com/in/carl-zeta-z3", 0.0, "50"), // 2021-01-15, rank 17
    ];
    for (key, engagement, layer) in expected {
        let row = tie(&ties, key);
        assert_fields(row, &[("layer", layer)]);
        assert_floats(row, &[("engagement", engagement)]);
    }
    assert_fields(
        tie(&ties, "linkedin.com/in/zeller-anna-k2"),
        &[("last_message_at", "2024-12-31T00:00:00Z")],
    );
    assert_fields(
        tie(&ties, "linkedin.com/in/adler-zoe-k1"),
        &[("last_message_at", "2024-12-31T00:00:00Z")],
    );
    assert_fields(
        tie(&ties, "linkedin.com/in/rosa-quintero-r7"),
        &[("last_message_at", "2024-12-31T18:00:00Z")],
    );
    // Not pollinated → no layer, whatever the engagement (Wim: one message at age 0.5, 0.177,
    // more than 10 pollinated ties have; he takes no rank from them).
    assert_fields(
        tie(&ties, "linkedin.com/in/wim-olsen-w1"),
        &[("state", "one_way"), ("layer", "")],
    );
    assert_floats(
        tie(&ties, "linkedin.com/in/wim-olsen-w1"),
        &[("engagement", 0.25 * decay(0.5, 1.0))],
    );
    assert_fields(
        tie(&ties, "linkedin.com/in/dora-nilsen-d1"),
        &[("state", "dormant"), ("layer", "")],
    );
    assert_eq!(ties.len(), 19);

    assert_parameters(&summary, "2024-12-31", "2025-01-01", 365.0, 1.0);
    // 14 recent exchanges active, 3 from 2021 faded, Wim one_way, Dora dormant
    assert_counts(
        &summary["states"],
        &[("dormant", 1), ("one_way", 1), ("active", 14), ("faded", 3)],
    );
    // ranks 1–5, 6–15, 16–17
    assert_layers(&summary, [5, 10, 2, 0, 0]);
}

#[test]
fn layers_wide_fills_every_band() {
    // 152 connections; tie i: the owner writes at age i + 1, the alter answers at age i (H = 1)
    // → engagement 3·2^−(i+1), strictly decreasing, so tie i has rank i.
    let (ties, summary) = run_report(
        "layers_wide",
        &["--as-of", "2024-12-31", "--half-life", "1"],
    );
    assert_eq!(ties.len(), 152);
    for i in 1..=152_i32 {
        let layer = match i {
            1..=5 => "5",
            6..=15 => "15",
            16..=50 => "50",
            51..=150 => "150",
            _ => "outer",
        };
        let row = tie(&ties, &format!("linkedin.com/in/wide-{i:03}"));
        assert_fields(row, &[("state", "active"), ("layer", layer)]);
    }
    assert_floats(
        tie(&ties, "linkedin.com/in/wide-001"),
        &[("engagement", 0.75)],
    ); // 2^−2 + 2^−1
    assert_layers(&summary, [5, 10, 35, 100, 2]);
}

// ---------------------------------------------------------------------------------------------
// quirks: every accounting bucket. Owner Elif Sandoval (Profile.csv); --as-of 2024-09-30 →
// C = 2024-10-01T00:00Z. messages.csv has the 2024+ ATTACHMENTS and IS MESSAGE DRAFT columns.
// ---------------------------------------------------------------------------------------------

#[test]
fn quirks_accounting_buckets() {
    let (ties, summary) = run_report("quirks", &["--as-of", "2024-09-30"]);
    // Sol's Connections.csv URL is percent-encoded (s%C3%B3l-…), his message URL raw (sól-…).
    let sol = "linkedin.com/in/sól-reyes-7q";
    // Connections.csv: https://uk.linkedin.com/in/Tarek-Nasser-88/?originalSubdomain=uk
    let tarek = "linkedin.com/in/tarek-nasser-88";
    let nils = "linkedin.com/in/nils-berg-n3";
    let mira = "linkedin.com/in/mira-okafor-m4";
    // Not alters: Rhea (connected on C), Pavel (bad date), the spam and anonymous senders.
    assert_keys(&ties, &[sol, tarek, nils, mira]);

    let s = tie(&ties, sol);
    assert_fields(
        s,
        &[
            ("name", "Sol Reyes"),
            ("company", "Verde Labs"),
            ("position", "Analyst"), // the first row; the raw-Unicode row is its duplicate
            ("connected_on", "2024-01-12"),
            // 09-01 18:00 (its exact copy is a duplicate, the 10-05 one a draft)
            ("sent", "1"),
            ("received", "1"), // 09-02 09:00
            ("exchanges", "1"),
            ("first_message_at", "2024-09-01T18:00:00Z"),
            ("last_message_at", "2024-09-02T09:00:00Z"),
            ("first_exchange_at", "2024-09-02T09:00:00Z"),
            ("days_to_first_message", "233"), // 01-12 → 09-01 18:00
            ("days_to_pollination", "234"),   // 01-12 → 09-02 09:00
            ("state", "active"),
            ("layer", "5"),
        ],
    );
    assert_floats(
        s,
        &[
            ("reciprocity", 1.0),
            ("reply_hours_alter", 15.0),
            // ages 29.25 and 29 − 9/24 days, H = 180
            (
                "engagement",
                decay(29.25, 180.0) + decay(29.0 - 9.0 / 24.0, 180.0),
            ),
        ],
    );
    assert_fields(
        tie(&ties, tarek),
        &[
            ("name", "Tarek Nasser"),
            ("connected_on", "2024-02-20"),
            ("received", "1"), // 08-15 12:00; his three malformed rows do not count
            ("days_to_first_message", "177"),
            ("state", "one_way"),
        ],
    );
    assert_fields(
        tie(&ties, nils),
        &[
            ("company", ""), // NA is empty
            ("position", ""),
            ("connected_on", "2024-05-05"),
            ("messages", "0"), // his message has a bad date
            ("state", "dormant"),
        ],
    );
    assert_fields(
        tie(&ties, mira),
        &[
            ("connected_on", "2024-06-01"),
            ("messages", "0"), // one message without a date, one at exactly C
            ("state", "dormant"),
        ],
    );

    assert_eq!(summary["owner"]["name"], "Elif Sandoval");
    assert_eq!(summary["owner"]["key"], "linkedin.com/in/elif-sandoval-e5");
    assert_counts(
        &summary,
        &[
            ("connections", 4),
            ("hidden_connections", 2), // the two blank rows
            ("ambiguous_names", 0),
        ],
    );
    assert_counts(
        &summary["states"],
        &[("dormant", 2), ("one_way", 1), ("active", 1), ("faded", 0)],
    );
    // (2 + 1)/4
    assert_close(
        json_f64(&summary, "/never_pollinated_share"),
        0.75,
        "never_pollinated_share",
    );
    assert_counts(
        &summary["message_partners"],
        &[("dormant", 0), ("one_way", 0), ("active", 0), ("faded", 0)],
    );
    // 16 rows (the blank line is not a row), each in the first bucket it fits:
    //   malformed 3: 11 fields, 13 fields (unquoted comma), unterminated quote (last line)
    //   duplicate 1: the exact copy of 09-01 18:00
    //   draft 2: IS MESSAGE DRAFT = Yes (dated after C); empty CONVERSATION ID and TO
    //   sponsored 1: "Sponsored Conversation" from LinkedIn Member
    //   spam 1: folder SPAM (its date is unparseable too)
    //   anonymous 2: LinkedIn Member (dated after C); empty FROM without URL
    //   bad_date 2: "2024-13-45 25:61:00 UTC", empty DATE
    //   after_cutoff 1: 2024-10-01 00:00:00 UTC = C
    //   counted 3: Sol's two, Tarek's one
    assert_accounting(
        &summary["accounting"]["messages"],
        &MESSAGE_BUCKETS,
        16,
        &[
            ("malformed", 3),
            ("duplicate", 1),
            ("draft", 2),
            ("sponsored", 1),
            ("spam", 1),
            ("anonymous", 2),
            ("bad_date", 2),
            ("after_cutoff", 1),
            ("counted", 3),
        ],
    );
    // blank 2: only a date; no name and the unusable "https://www.linkedin.com/in"
    // duplicate 2: Mira's row repeated exactly; Sol's raw-Unicode URL = the encoded one's key
    // bad_date 1: Pavel "31 Foo 2024"; after_cutoff 1: Rhea 01 Oct 2024 = C
    assert_accounting(
        &summary["accounting"]["connections"],
        &CONNECTION_BUCKETS,
        10,
        &[
            ("blank", 2),
            ("duplicate", 2),
            ("bad_date", 1),
            ("after_cutoff", 1),
            ("counted", 4),
        ],
    );
    // malformed: Pavel's row lacks the two URL columns; bad_date: "13/45/24, 9:99 AM";
    // after_cutoff: "10/1/24, 12:00 AM" = C; counted: Mira's and Tarek's
    assert_accounting(
        &summary["accounting"]["invitations"],
        &INVITATION_BUCKETS,
        5,
        &[
            ("malformed", 1),
            ("bad_date", 1),
            ("after_cutoff", 1),
            ("counted", 2),
        ],
    );
    assert_layers(&summary, [1, 0, 0, 0, 0]);
}
