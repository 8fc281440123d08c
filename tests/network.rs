//! The `network` fixture worked by hand against METRICS.md §5 (invitations) and §6 (network
//! level): every figure of `summary.json` (schema `orchard.summary/2`), and the schema-1 figures
//! they build on.
//!
//! `tests/fixtures/network/` is an invented 2023+ export (URL column, `RECIPIENT PROFILE URLS`,
//! Dec 2023+ Invitations.csv) of Oriel Fairweather; `tests/fixtures/README.md` says what it
//! plants. The main run is `--as-of 2024-06-30 --burst-min 3`: cut-off C = 2024-07-01T00:00Z, and
//! a pollinated tie is active when its last message is ≥ C − 365 d = 2023-07-02T00:00Z.
//!
//! The hand part of every expected value (counts, days, risk sets, sorted message counts) comes
//! from the tables below and sits in the comment beside its assertion. Closed forms (Wilson,
//! Newcombe, Kaplan–Meier products, shares) are evaluated in code from those hand counts; the
//! Wilson and Newcombe formulas are pinned on their own against published values.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use assert_cmd::Command;
use serde_json::Value;

// ---------------------------------------------------------------------------------------------
// The fixture, oldest connection first (Connections.csv itself is newest first). s/r = messages
// sent/received; d2p = days_to_pollination, the Kaplan–Meier time of a pollinated connection (an
// event); "c" marks the time of one never pollinated (censored): whole days from Connected On to
// C. With doy = days since 1 Jan of its year: 912 − doy in 2022, 547 − doy in 2023, 182 − doy in
// 2024 (a leap year). Notes: [a] two conversations, both exchanges; [b] + g1, sent only; [c] + g1,
// both sides; [d] + g2, sent only; [e] burst day 2023-03-14; [f] burst day 2024-02-05.
//
//  #  person          connected   company as written  s/r  first exchange    d2p   state
//  1  Abel Marsh      2022-09-05  "Acme"              3/3  2022-09-07 12:00     2  faded   [a]
//  2  Bryn Okoro      2022-09-20  "Northwind Freight" 6/1  2022-10-30 09:00    40  faded
//  3  Cora Lindqvist  2022-10-11  "Kestrel & Co"      1/1  2022-10-11 18:00     0  faded
//  4  Dmitri Pell     2022-11-02  "Zephyr Labs"       2/1  2023-02-10 11:00   100  faded
//  5  Esme Radu       2022-12-01  "Fieldnote Press"   2/1  2024-01-05 17:00   400  active  [b]
//  6  Gideon Thorne   2022-12-15  "Granite Row"       1/0  —                 564c  one_way
//  7  Hedda Lund      2022-12-15  "Østby Works"       0/0  —                 564c  dormant
//     (blank row)     2022-12-15  no name, no URL: hidden, in no figure (that day stays at 2)
//  8  Ines Varga      2023-01-10  "Ivory Loom"        1/2  2023-01-17 15:00     7  faded
//  9  Jonas Weir      2023-02-01  "Juniper Health"    2/1  2023-02-21 16:00    20  faded
// 10  Kasimir Holt    2023-03-14  " Acme"             2/1  2023-08-11 07:00   150  active  [e]
// 11  Lena Brook      2023-03-14  "Acme "             0/0  —                 475c  dormant [e]
// 12  Milo Fenn       2023-03-14  "acme"              0/0  —                 475c  dormant [e]
// 13  Sam Reed #1     2023-04-18  "NA", no URL        0/0  —                 440c  dormant
// 14  Sam Reed #2     2023-08-09  "", no URL          0/0  —                 327c  dormant
// 15  Nadia Osei      2023-08-30  "Meridian Trust"    2/2  2023-09-02 11:00     3  active  [c]
// 16  Otto Lange      2023-10-16  "Blue  Harbor"      1/0  —                 259c  one_way
// 17  Petra Holm      2023-11-06  "Harbor Cycles"     2/1  2023-12-21 10:00    45  active  [d]
// 18  Quinn Avery     2023-12-01  "Quarry Lane"       0/1  —                 213c  one_way
// 19  Rafa Solis      2024-02-05  "Zephyr Labs"       1/1  2024-02-17 13:00    12  active  [f]
// 20  Sienna Park     2024-02-05  "Saffron Digital"   1/0  —                 147c  one_way [d][f]
// 21  Tomas Rey       2024-02-05  "Kestrel & Co"      0/0  —                 147c  dormant [f]
// 22  Uma Devi        2024-02-05  "Umber & Oak"       0/0  —                 147c  dormant [f]
// 23  Vera Nakamura   2024-03-04  "Blue Harbor"       1/2  2024-02-27 12:00  −6→0  active
// 24  Wes Ibarra      2024-03-20  "Westgate Clinic"   1/1  2024-05-19 10:00    60  active
// 25  Xavi Moreau     2024-04-03  "Xylem Water"       0/0  —                  89c  dormant
// 26  Yusuf Adeyemi   2024-04-25  "Yellowfin Media"   0/1  —                  67c  one_way
// 27  Zara Quist      2024-05-06  "Zinc Collective"   1/2  2024-05-06 21:00     0  active
// 28  Anya Petrov     2024-06-03  "   "               0/0  —                  28c  dormant
// 29  Bruno Costa     2024-06-18  "Copperleaf"        1/0  —                  13c  one_way
//
// Dmitri's URL slug is pell-dmitri-d4 (his key sorts after Jonas's). Cora's exchange is 0.75 d
// after connecting; Vera's 5.5 d before (−5.5 → floor −6, clamped to 0 in §6). Bruno's reply of
// 2024-07-03 is after C.
// Message partners: Gemma Frost (g1: the owner's message to her, her reply → active), Rune Kallas
// (one message to the owner → one_way).
// Group conversations: g1 "Grant committee" = owner, Esme, Nadia, Gemma (4 participants):
//   2024-05-10 10:00 owner → Esme, Nadia, Gemma; 12:00 Nadia → all; 2024-05-11 09:00 Gemma → all.
// g2 "Introductions" = owner, Petra, Sienna (3 participants): 2024-06-12 10:00 owner → both.
// Every other conversation is the owner and one alter.
// messages.csv: 54 rows, 53 counted (Bruno's 2024-07-03 reply is after C).
// ---------------------------------------------------------------------------------------------

const MAIN_ARGS: [&str; 4] = ["--as-of", "2024-06-30", "--burst-min", "3"];
const OWNER_KEY: &str = "linkedin.com/in/oriel-fairweather-of";
/// METRICS.md §5: the z of a 95% Wilson interval.
const Z: f64 = 1.959964;

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

/// One report: `summary.json`, and `ties.csv` (by key, then column name) when it was written.
struct Run {
    summary: Value,
    ties: HashMap<String, HashMap<String, String>>,
}

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("fixtures")
        .join("network")
}

/// `orchard report <export> -o <tmp>/r <args…>`.
fn report(export: &Path, args: &[&str]) -> Run {
    let tmp = tempfile::tempdir().expect("temporary directory");
    let out = tmp.path().join("r");
    Command::cargo_bin("orchard")
        .expect("the orchard binary is built")
        .arg("report")
        .arg(export)
        .arg("-o")
        .arg(&out)
        .args(args)
        .assert()
        .success();
    let text = std::fs::read_to_string(out.join("summary.json")).expect("summary.json exists");
    let summary: Value = serde_json::from_str(&text).expect("summary.json is JSON");
    assert_eq!(summary["schema"], "orchard.summary/2", "schema");

    let mut ties = HashMap::new();
    let ties_path = out.join("ties.csv");
    if ties_path.exists() {
        let mut reader = csv::Reader::from_path(ties_path).expect("ties.csv is readable");
        let headers = reader.headers().expect("ties.csv has a header").clone();
        for record in reader.records() {
            let record = record.expect("ties.csv record");
            let row: HashMap<String, String> = headers
                .iter()
                .zip(record.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect();
            ties.insert(row["key"].clone(), row);
        }
    }
    Run { summary, ties }
}

/// The main run, shared by the tests that read it.
fn main_run() -> &'static Run {
    static MAIN: OnceLock<Run> = OnceLock::new();
    MAIN.get_or_init(|| report(&fixture(), &MAIN_ARGS))
}

fn assert_close(actual: f64, expected: f64, what: &str) {
    let tolerance = 1e-9 * expected.abs().max(1.0);
    assert!(
        (actual - expected).abs() <= tolerance,
        "{what}: got {actual}, expected {expected}"
    );
}

fn num(v: &Value, pointer: &str) -> f64 {
    v.pointer(pointer)
        .and_then(Value::as_f64)
        .unwrap_or_else(|| panic!("{pointer} is not a number in {v}"))
}

fn assert_num(v: &Value, pointer: &str, expected: f64) {
    assert_close(num(v, pointer), expected, pointer);
}

fn assert_int(v: &Value, pointer: &str, expected: u64) {
    assert_eq!(
        v.pointer(pointer).and_then(Value::as_u64),
        Some(expected),
        "{pointer} in {v}"
    );
}

fn assert_str(v: &Value, pointer: &str, expected: &str) {
    assert_eq!(
        v.pointer(pointer).and_then(Value::as_str),
        Some(expected),
        "{pointer} in {v}"
    );
}

/// METRICS.md §7: a figure that cannot be computed is `null` with `<name>_unavailable` saying why.
fn assert_unavailable(object: &Value, name: &str) {
    assert!(
        object.get(name).is_some_and(Value::is_null),
        "{name} should be null in {object}"
    );
    let reason = format!("{name}_unavailable");
    assert!(
        object
            .get(&reason)
            .and_then(Value::as_str)
            .is_some_and(|s| !s.trim().is_empty()),
        "{reason} should be a reason in {object}"
    );
}

/// A file's accounting (METRICS.md §3): `rows`, the listed buckets, zero in every other bucket.
fn assert_accounting(accounting: &Value, buckets: &[&str], rows: u64, nonzero: &[(&str, u64)]) {
    assert_eq!(
        accounting["rows"].as_u64(),
        Some(rows),
        "rows in {accounting}"
    );
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
    }
    assert_eq!(
        nonzero.iter().map(|(_, n)| n).sum::<u64>(),
        rows,
        "the expected buckets add up to the rows"
    );
}

// ---------------------------------------------------------------------------------------------
// Closed forms, fed with hand counts.
// ---------------------------------------------------------------------------------------------

/// Wilson score interval for `x` successes in `n` trials, z = 1.959964 (METRICS.md §5).
fn wilson(x: u32, n: u32) -> (f64, f64) {
    let (x, n) = (f64::from(x), f64::from(n));
    let p = x / n;
    let z2 = Z * Z;
    let denominator = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denominator;
    let half = Z / denominator * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    (centre - half, centre + half)
}

/// `p1 − p2` with Newcombe's hybrid score interval (method 10):
/// `L = d − sqrt((p1 − l1)² + (u2 − p2)²)`, `U = d + sqrt((u1 − p1)² + (p2 − l2)²)`.
fn newcombe(x1: u32, n1: u32, x2: u32, n2: u32) -> (f64, f64, f64) {
    let p1 = f64::from(x1) / f64::from(n1);
    let p2 = f64::from(x2) / f64::from(n2);
    let (l1, u1) = wilson(x1, n1);
    let (l2, u2) = wilson(x2, n2);
    let d = p1 - p2;
    (
        d,
        d - ((p1 - l1).powi(2) + (u2 - p2).powi(2)).sqrt(),
        d + ((u1 - p1).powi(2) + (p2 - l2).powi(2)).sqrt(),
    )
}

/// Kaplan–Meier: `S(t) = Π (1 − d_t/n_t)` after each `(t, n_t, d_t)`, in the order given.
fn kaplan_meier(steps: &[(i64, u32, u32)]) -> Vec<(i64, f64)> {
    let mut s = 1.0;
    steps
        .iter()
        .map(|&(t, n, d)| {
            s *= 1.0 - f64::from(d) / f64::from(n);
            (t, s)
        })
        .collect()
}

#[test]
fn wilson_and_newcombe_match_published_values() {
    // Newcombe (1998), Statistics in Medicine 17: "Two-sided confidence intervals for the single
    // proportion" (pp. 857–872, method 3, the Wilson score interval) and "Interval estimation for
    // the difference between independent proportions" (pp. 873–890, method 10), to the 4
    // decimals printed there.
    let tolerance = 5e-5;
    for (x, n, low, high) in [
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ] {
        let (l, h) = wilson(x, n);
        assert!((l - low).abs() < tolerance, "Wilson low {x}/{n}: {l}");
        assert!((h - high).abs() < tolerance, "Wilson high {x}/{n}: {h}");
    }
    for ((x1, n1, x2, n2), (low, high)) in [
        ((56, 70, 48, 80), (0.0524, 0.3339)),
        ((9, 10, 3, 10), (0.1705, 0.8090)),
        ((6, 7, 2, 7), (0.0582, 0.8062)),
        ((5, 56, 0, 29), (-0.0381, 0.1926)),
        ((0, 10, 0, 20), (-0.1611, 0.2775)),
        ((0, 10, 0, 10), (-0.2775, 0.2775)),
        ((10, 10, 0, 20), (0.6791, 1.0)),
        ((10, 10, 0, 10), (0.6075, 1.0)),
    ] {
        let (d, l, h) = newcombe(x1, n1, x2, n2);
        let what = format!("{x1}/{n1} − {x2}/{n2}");
        assert_close(
            d,
            f64::from(x1) / f64::from(n1) - f64::from(x2) / f64::from(n2),
            &what,
        );
        assert!((l - low).abs() < tolerance, "Newcombe low {what}: {l}");
        assert!((h - high).abs() < tolerance, "Newcombe high {what}: {h}");
    }
}

#[test]
fn kaplan_meier_multiplies_conditional_survival() {
    // 4 subjects, times 1 (event), 2 (censored), 3 (event), 3 (event): S(1) = 3/4, S(3) = 3/4 × 0
    let curve = kaplan_meier(&[(1, 4, 1), (3, 2, 2)]);
    assert_eq!(curve.len(), 2);
    assert_close(curve[0].1, 0.75, "S(1)");
    assert_close(curve[1].1, 0.0, "S(3)");
}

// ---------------------------------------------------------------------------------------------
// Schema-1 figures (§1–§4, §6 counts) of the main run.
// ---------------------------------------------------------------------------------------------

#[test]
fn network_counts_states_and_accounting() {
    let run = main_run();
    let s = &run.summary;

    assert_str(s, "/parameters/as_of", "2024-06-30");
    assert_str(s, "/parameters/cutoff", "2024-07-01T00:00:00Z"); // C, an instant
    assert_num(s, "/parameters/active_days", 365.0);
    assert_num(s, "/parameters/half_life", 180.0);
    assert_num(s, "/parameters/burst_min", 3.0);

    assert_str(s, "/owner/name", "Oriel Fairweather"); // Profile.csv
    assert_str(s, "/owner/key", OWNER_KEY); // her URL as the sender of counted messages

    assert_int(s, "/connections", 29); // 30 rows less the blank one
    assert_int(s, "/hidden_connections", 1); // the blank 15 Dec 2022 row

    // "Sam Reed", shared by two URL-less connections (and met again resolving his invitation)
    assert_int(s, "/ambiguous_names", 1);

    // dormant: Hedda, Lena, Milo, Sam #1, Sam #2, Tomas, Uma, Xavi, Anya
    assert_int(s, "/states/dormant", 9);
    // one_way: Gideon, Otto, Sienna (owner only); Quinn, Yusuf (alter only); Bruno (owner only)
    assert_int(s, "/states/one_way", 6);
    // active: Esme, Kasimir, Nadia, Petra, Rafa, Vera, Wes, Zara (last message ≥ 2023-07-02)
    assert_int(s, "/states/active", 8);
    // faded: Abel 2023-03-02, Bryn 2023-05-20, Cora 2022-10-11, Dmitri 2023-06-01,
    // Ines 2023-06-20, Jonas 2023-06-01 (all before 2023-07-02)
    assert_int(s, "/states/faded", 6);
    assert_num(s, "/shares/dormant", 9.0 / 29.0);
    assert_num(s, "/shares/one_way", 6.0 / 29.0);
    assert_num(s, "/shares/active", 8.0 / 29.0);
    assert_num(s, "/shares/faded", 6.0 / 29.0);
    assert_num(s, "/never_pollinated_share", 15.0 / 29.0); // (9 + 6)/29

    // Gemma active (g1), Rune one_way
    assert_int(s, "/message_partners/dormant", 0);
    assert_int(s, "/message_partners/one_way", 1);
    assert_int(s, "/message_partners/active", 1);
    assert_int(s, "/message_partners/faded", 0);

    // 15 pollinated ties (14 connections + Gemma): ranks 1–5 and 6–15, whatever the order
    assert_int(s, "/layers/5", 5);
    assert_int(s, "/layers/15", 10);
    assert_int(s, "/layers/50", 0);
    assert_int(s, "/layers/150", 0);
    assert_int(s, "/layers/outer", 0);

    assert_accounting(
        &s["accounting"]["connections"],
        &CONNECTION_BUCKETS,
        30,
        &[("blank", 1), ("counted", 29)],
    );
    // Bruno's reply of 2024-07-03 10:00 is after C
    assert_accounting(
        &s["accounting"]["messages"],
        &MESSAGE_BUCKETS,
        54,
        &[("after_cutoff", 1), ("counted", 53)],
    );
    // Fenna Visser's "7/2/24, 9:00 AM" is after C
    assert_accounting(
        &s["accounting"]["invitations"],
        &INVITATION_BUCKETS,
        16,
        &[("after_cutoff", 1), ("counted", 15)],
    );

    // ties.csv, the per-connection inputs of the figures below (the d2p column of the table)
    let expected: [(&str, &str, &str); 29] = [
        ("linkedin.com/in/abel-marsh-a1", "faded", "2"),
        ("linkedin.com/in/bryn-okoro-b2", "faded", "40"),
        ("linkedin.com/in/cora-lindqvist-c3", "faded", "0"),
        ("linkedin.com/in/pell-dmitri-d4", "faded", "100"),
        ("linkedin.com/in/esme-radu-e5", "active", "400"),
        ("linkedin.com/in/gideon-thorne-g6", "one_way", ""),
        ("linkedin.com/in/hedda-lund-h7", "dormant", ""),
        ("linkedin.com/in/ines-varga-i8", "faded", "7"),
        ("linkedin.com/in/jonas-weir-j9", "faded", "20"),
        ("linkedin.com/in/kasimir-holt-k10", "active", "150"),
        ("linkedin.com/in/lena-brook-l11", "dormant", ""),
        ("linkedin.com/in/milo-fenn-m12", "dormant", ""),
        ("name:sam reed#1", "dormant", ""), // 2023-04-18, the earlier of the two
        ("name:sam reed#2", "dormant", ""),
        ("linkedin.com/in/nadia-osei-n15", "active", "3"),
        ("linkedin.com/in/otto-lange-o16", "one_way", ""),
        ("linkedin.com/in/petra-holm-p17", "active", "45"),
        ("linkedin.com/in/quinn-avery-q18", "one_way", ""),
        ("linkedin.com/in/rafa-solis-r19", "active", "12"),
        ("linkedin.com/in/sienna-park-s20", "one_way", ""),
        ("linkedin.com/in/tomas-rey-t21", "dormant", ""),
        ("linkedin.com/in/uma-devi-u22", "dormant", ""),
        // 2024-03-04 00:00 → 2024-02-27 12:00 = −5.5 d → floor −6 (clamped to 0 only in §6)
        ("linkedin.com/in/vera-nakamura-v23", "active", "-6"),
        ("linkedin.com/in/wes-ibarra-w24", "active", "60"),
        ("linkedin.com/in/xavi-moreau-x25", "dormant", ""),
        ("linkedin.com/in/yusuf-adeyemi-y26", "one_way", ""),
        ("linkedin.com/in/zara-quist-z27", "active", "0"),
        ("linkedin.com/in/anya-petrov-a28", "dormant", ""),
        ("linkedin.com/in/bruno-costa-b29", "one_way", ""),
    ];
    for (key, state, days) in expected {
        let row = run
            .ties
            .get(key)
            .unwrap_or_else(|| panic!("no row for {key} in ties.csv"));
        assert_eq!(row["state"], state, "state of {key}");
        assert_eq!(
            row["days_to_pollination"], days,
            "days_to_pollination of {key}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// §5 Invitations. Invitations.csv, 16 rows. Counterpart: To/invitee on OUTGOING, From/inviter
// on INCOMING. P = personalised, G = generic (after trimming, lowercasing, ’ → ' and dropping a
// final ".", the text is empty or LinkedIn's default, with or without " on linkedin").
//   OUTGOING
//     Dario Conti   6/14/24  4:05 PM "Dario, your talk on cold-chain …"   P pending
//     Celia Ortiz   5/27/24  9:30 AM "I'd like to add you to my professional network on
//                                     LinkedIn."                         G pending
//     Sienna Park   8/15/23 11:20 AM "Hi Sienna, we met at the Saffron …" P older row: loses
//     Sienna Park   2/2/24   8:45 PM ""                                   G latest: wins →
//                                                                           accepted, one_way
//     Rafa Solis    2/1/24  10:00 AM "I’d like to add you to my professional network"
//                                                                         G accepted, active
//     Petra Holm    11/3/23  7:10 AM "Petra, loved the bike-share pilot …" P accepted, active
//     Otto Lange    10/12/23 1:00 PM "I'd like to add you to my professional network, we met
//                                     at the expo" (not the default)     P accepted, one_way
//     Nadia Osei    8/28/23 12:00 PM "Nadia, following up on the grant …" P accepted, active
//   INCOMING
//     Fenna Visser  7/2/24   9:00 AM after C: not counted
//     Emil Sandberg 6/28/24  3:30 PM ""                                   G pending
//     Yusuf Adeyemi 4/24/24  8:00 AM "I’d like to add you to my professional network."
//                                                                         G accepted, one_way
//     Xavi Moreau   4/2/24   5:45 PM "Xavi here, …"                       P accepted, dormant
//                   URL "https://www.linkedin.com/in" is unusable → by name: no sender has it,
//                   exactly one connection with a usable URL does → …/xavi-moreau-x25
//     Sam Reed      3/18/24 11:11 AM "", no URL; the name is held by two URL-less connections
//                                     → ambiguous: counted, neither accepted nor pending
//     Wes Ibarra    3/15/24  6:00 PM ""                                   G accepted, active
//     Vera Nakamura 2/29/24  6:15 PM "Great chatting at the grant …"     P accepted, active
//     Tomas Rey     2/3/24   9:05 AM ""                                   G accepted, dormant
// ---------------------------------------------------------------------------------------------

/// An effect cell: `n` accepted counterparts, `x` of them pollinated, rate and Wilson interval.
fn assert_proportion(cell: &Value, what: &str, n: u32, x: u32) {
    assert_eq!(
        cell["n"].as_u64(),
        Some(u64::from(n)),
        "n of {what}: {cell}"
    );
    assert_eq!(
        cell["x"].as_u64(),
        Some(u64::from(x)),
        "x of {what}: {cell}"
    );
    let (low, high) = wilson(x, n);
    assert_num(cell, "/rate", f64::from(x) / f64::from(n));
    assert_close(num(cell, "/low"), low, &format!("low of {what}"));
    assert_close(num(cell, "/high"), high, &format!("high of {what}"));
}

/// An empty effect cell (`n` = 0).
fn assert_empty_proportion(cell: &Value, what: &str) {
    assert_eq!(cell["n"].as_u64(), Some(0), "n of {what}: {cell}");
    assert_eq!(cell["x"].as_u64(), Some(0), "x of {what}: {cell}");
    for name in ["rate", "low", "high"] {
        assert_unavailable(cell, name);
    }
}

/// One direction of the invite effect: personalised `x1/n1`, generic `x2/n2`, their difference.
fn assert_effect(effect: &Value, direction: &str, personalised: (u32, u32), generic: (u32, u32)) {
    let e = &effect[direction];
    let (x1, n1) = personalised;
    let (x2, n2) = generic;
    assert_proportion(
        &e["personalised"],
        &format!("{direction} personalised"),
        n1,
        x1,
    );
    assert_proportion(&e["generic"], &format!("{direction} generic"), n2, x2);
    let (d, low, high) = newcombe(x1, n1, x2, n2);
    let diff = &e["difference"];
    assert_close(num(diff, "/value"), d, &format!("{direction} difference"));
    assert_close(
        num(diff, "/low"),
        low,
        &format!("{direction} difference low"),
    );
    assert_close(
        num(diff, "/high"),
        high,
        &format!("{direction} difference high"),
    );
}

#[test]
fn network_invitations() {
    let inv = &main_run().summary["invitations"];
    // 8 outgoing rows for 7 people (Sienna twice), 7 counted incoming rows for 7 people
    assert_int(inv, "/counterparts", 14);
    // outgoing Nadia, Otto, Petra, Rafa, Sienna; incoming Tomas, Vera, Wes, Xavi, Yusuf
    assert_int(inv, "/accepted", 10);
    // over counted rows: Sienna's superseded 8/15/23 row is the earliest; Emil's 6/28/24 the
    // latest (Fenna's 7/2/24 is after C)
    assert_str(inv, "/window/first", "2023-08-15");
    assert_str(inv, "/window/last", "2024-06-28");
    assert_int(inv, "/pending/outgoing", 2); // Dario, Celia
    assert_int(inv, "/pending/incoming", 1); // Emil
    assert_int(inv, "/ambiguous", 1); // Sam Reed

    // 7 outgoing counterparts; personalised: Dario, Petra, Otto, Nadia (Sienna's latest row is
    // empty) → 4 of 7
    assert_num(inv, "/outgoing_note_share", 4.0 / 7.0);

    let effect = &inv["effect"];
    // outgoing: personalised Nadia (active), Petra (active), Otto (one_way) → 2 of 3;
    // generic Rafa (active), Sienna (one_way) → 1 of 2
    assert_effect(effect, "outgoing", (2, 3), (1, 2));
    // incoming: personalised Vera (active), Xavi (dormant) → 1 of 2;
    // generic Tomas (dormant), Wes (active), Yusuf (one_way) → 1 of 3
    assert_effect(effect, "incoming", (1, 2), (1, 3));
    // all: personalised 2 + 1 of 3 + 2; generic 1 + 1 of 2 + 3
    assert_effect(effect, "all", (3, 5), (2, 5));
}

#[test]
fn invitation_effect_is_empty_where_n_is_zero() {
    // As of 2023-12-31 (C = 2024-01-01) only four outgoing rows count: Sienna 8/15/23 (her only
    // row so far, personalised), Nadia 8/28/23, Otto 10/12/23, Petra 11/3/23.
    let s = report(&fixture(), &["--as-of", "2023-12-31", "--burst-min", "3"]).summary;
    let inv = &s["invitations"];
    assert_int(inv, "/counterparts", 4);
    assert_int(inv, "/accepted", 3); // Nadia, Otto, Petra; Sienna connects on 2024-02-05
    assert_str(inv, "/window/first", "2023-08-15");
    assert_str(inv, "/window/last", "2023-11-03");
    assert_int(inv, "/pending/outgoing", 1); // Sienna
    assert_int(inv, "/pending/incoming", 0);
    assert_int(inv, "/ambiguous", 0);
    assert_num(inv, "/outgoing_note_share", 1.0); // 4 of 4 personalised

    let effect = &inv["effect"];
    // Nadia (exchange 2023-09-02) and Petra (2023-12-21) pollinated, Otto one_way → 2 of 3
    assert_proportion(
        &effect["outgoing"]["personalised"],
        "outgoing personalised",
        3,
        2,
    );
    assert_proportion(&effect["all"]["personalised"], "all personalised", 3, 2);
    for (direction, kinds) in [
        ("outgoing", &["generic"][..]),
        ("incoming", &["personalised", "generic"][..]),
        ("all", &["generic"][..]),
    ] {
        for kind in kinds {
            assert_empty_proportion(&effect[direction][*kind], &format!("{direction} {kind}"));
        }
        for name in ["value", "low", "high"] {
            assert_unavailable(&effect[direction]["difference"], name);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// §6 Cohorts and time to pollination.
// ---------------------------------------------------------------------------------------------

#[test]
fn network_cohorts() {
    let cohorts = main_run().summary["cohorts"]
        .as_array()
        .expect("cohorts is an array");
    // (year, n, dormant, one_way, active, faded), from the table
    let expected = [
        // #1–7: Hedda | Gideon | Esme | Abel, Bryn, Cora, Dmitri → 5 of 7 pollinated
        (2022, 7, 1, 1, 1, 4),
        // #8–18: Lena, Milo, Sam #1, Sam #2 | Otto, Quinn | Kasimir, Nadia, Petra | Ines, Jonas
        (2023, 11, 4, 2, 3, 2),
        // #19–29: Tomas, Uma, Xavi, Anya | Sienna, Yusuf, Bruno | Rafa, Vera, Wes, Zara
        (2024, 11, 4, 3, 4, 0),
    ];
    assert_eq!(cohorts.len(), expected.len(), "{cohorts:?}");
    for (cohort, (year, n, dormant, one_way, active, faded)) in cohorts.iter().zip(expected) {
        assert_int(cohort, "/year", year);
        assert_int(cohort, "/n", n);
        assert_int(cohort, "/dormant", dormant);
        assert_int(cohort, "/one_way", one_way);
        assert_int(cohort, "/active", active);
        assert_int(cohort, "/faded", faded);
        let share = (active + faded) as f64 / n as f64;
        assert_num(cohort, "/pollinated_share", share);
    }
}

/// One Kaplan–Meier group. `steps`: the hand-counted `(t, n_t, d_t)` at each event time;
/// `at`: for s7, s30, s90, s365 the event time whose S it equals, or `None` when the day lies
/// beyond the group's largest observed time; `median`: the median, if reached.
fn assert_survival(
    group: &Value,
    what: &str,
    steps: &[(i64, u32, u32)],
    at: [Option<i64>; 4],
    median: Option<i64>,
) {
    let curve = kaplan_meier(steps);
    let s_at = |t: i64| {
        curve
            .iter()
            .find(|(day, _)| *day == t)
            .map(|(_, s)| *s)
            .unwrap_or_else(|| panic!("{t} is not an event time of {what}"))
    };
    for (name, event) in ["s7", "s30", "s90", "s365"].into_iter().zip(at) {
        match event {
            Some(t) => assert_close(
                num(group, &format!("/{name}")),
                s_at(t),
                &format!("{what} {name}"),
            ),
            None => assert_unavailable(group, name),
        }
    }
    match median {
        Some(t) => assert_eq!(group["median_days"].as_i64(), Some(t), "{what} median_days"),
        None => assert_unavailable(group, "median_days"),
    }
    // The overall curve is required; a cohort's curve is checked when the report gives one.
    if let Some(points) = group.get("curve") {
        let points = points.as_array().expect("curve is an array");
        assert_eq!(points.len(), curve.len(), "{what} curve {points:?}");
        for (point, (day, s)) in points.iter().zip(&curve) {
            assert_eq!(point["day"].as_i64(), Some(*day), "{what} curve day");
            assert_close(num(point, "/s"), *s, &format!("{what} S({day})"));
        }
    }
}

#[test]
fn network_survival() {
    let survival = &main_run().summary["survival"];
    assert!(survival["curve"].is_array(), "survival.curve: {survival}");
    // All 29 times (event e / censored c), from the table; Vera's −6 is clamped to 0:
    //   0e 0e 0e (Cora, Vera, Zara) 2e 3e 7e 12e 13c 20e 28c 40e 45e 60e 67c 89c 100e
    //   147c 147c 147c 150e 213c 259c 327c 400e 440c 475c 475c 564c 564c
    // n_t = times ≥ t; d_t = events at t.
    assert_survival(
        survival,
        "all",
        &[
            (0, 29, 3),
            (2, 26, 1),
            (3, 25, 1),
            (7, 24, 1),  // S(7) = 23/29: the events at 7 count
            (12, 23, 1), // S = 22/29
            (20, 21, 1), // 13c left: 22/29 × 20/21
            (40, 19, 1), // 28c left
            (45, 18, 1),
            (60, 17, 1),  // S = 22/29 × 20/21 × 16/19 = 0.608
            (100, 14, 1), // 67c, 89c left
            (150, 10, 1), // 147c ×3 left: S = 0.5085 > 1/2
            (400, 6, 1),  // 213c, 259c, 327c left: S = 0.4237 ≤ 1/2
        ],
        // s7 = S(7); s30 = S(20); s90 = S(60); s365 = S(150) (largest time 564 ≥ 365)
        [Some(7), Some(20), Some(60), Some(150)],
        Some(400),
    );

    let by_cohort = &survival["by_cohort"];
    // 2022: 0e (Cora) 2e (Abel) 40e (Bryn) 100e (Dmitri) 400e (Esme) 564c 564c
    assert_survival(
        &by_cohort["2022"],
        "2022",
        &[(0, 7, 1), (2, 6, 1), (40, 5, 1), (100, 4, 1), (400, 3, 1)],
        // s7 = S(2) = 5/7, s30 = 5/7, s90 = S(40) = 4/7, s365 = S(100) = 3/7
        [Some(2), Some(2), Some(40), Some(100)],
        Some(100), // S(40) = 4/7 > 1/2, S(100) = 3/7 ≤ 1/2
    );
    // 2023: 3e (Nadia) 7e (Ines) 20e (Jonas) 45e (Petra) 150e (Kasimir)
    //       213c 259c 327c 440c 475c 475c
    assert_survival(
        &by_cohort["2023"],
        "2023",
        &[(3, 11, 1), (7, 10, 1), (20, 9, 1), (45, 8, 1), (150, 7, 1)],
        // 9/11, 8/11, 7/11, 6/11 (largest time 475 ≥ 365)
        [Some(7), Some(20), Some(45), Some(150)],
        None, // never down to 1/2: 6/11
    );
    // 2024: 0e 0e (Vera clamped, Zara) 12e (Rafa) 13c 28c 60e (Wes) 67c 89c 147c 147c 147c
    assert_survival(
        &by_cohort["2024"],
        "2024",
        &[(0, 11, 2), (12, 9, 1), (60, 6, 1)],
        // 9/11, 8/11, 8/11 × 5/6 = 20/33; day 365 is beyond the largest time, 147
        [Some(0), Some(12), Some(60), None],
        None, // 20/33 > 1/2
    );
    assert_eq!(
        by_cohort.as_object().map(|m| m.len()),
        Some(3),
        "by_cohort: {by_cohort}"
    );
}

// ---------------------------------------------------------------------------------------------
// §6 Concentration, bursts, companies.
// ---------------------------------------------------------------------------------------------

#[test]
fn network_concentration() {
    let c = &main_run().summary["concentration"];
    // messages over the 29 connections, ascending:
    //   0 ×9 (the dormant), 1 ×6 (Gideon, Otto, Quinn, Sienna, Yusuf, Bruno), 2 ×3 (Cora, Rafa,
    //   Wes), 3 ×8 (Dmitri, Esme, Ines, Jonas, Kasimir, Petra, Vera, Zara), 4 (Nadia),
    //   6 (Abel), 7 (Bryn); Σ = 6 + 6 + 24 + 4 + 6 + 7 = 53
    // Σ i·x_(i) = (10+…+15)·1 + (16+17+18)·2 + (19+…+26)·3 + 27·4 + 28·6 + 29·7
    //           = 75 + 102 + 540 + 108 + 168 + 203 = 1196
    assert_num(c, "/gini", 2.0 * 1196.0 / (29.0 * 53.0) - 30.0 / 29.0); // = 802/1537
    assert_num(c, "/top1_share", 7.0 / 53.0); // ceil(0.29) = 1 connection: Bryn
    assert_num(c, "/top10_share", 17.0 / 53.0); // ceil(2.9) = 3: Bryn, Abel, Nadia

    // lorenz: x = i/29, y = (the sum of the i smallest)/53, i = 0..29; the sums:
    let cumulative: [u32; 30] = [
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, // i = 0 and the nine zeros
        1, 2, 3, 4, 5, 6, // the six ones
        8, 10, 12, // the three twos
        15, 18, 21, 24, 27, 30, 33, 36, // the eight threes
        40, 46, 53, // 4, 6, 7
    ];
    let lorenz = c["lorenz"].as_array().expect("lorenz is an array");
    assert_eq!(lorenz.len(), 30, "one point per i = 0..n");
    for (i, (point, sum)) in lorenz.iter().zip(cumulative).enumerate() {
        let i = u32::try_from(i).expect("small index");
        assert_close(
            num(point, "/0"),
            f64::from(i) / 29.0,
            &format!("lorenz x{i}"),
        );
        assert_close(
            num(point, "/1"),
            f64::from(sum) / 53.0,
            &format!("lorenz y{i}"),
        );
    }
}

#[test]
fn network_bursts() {
    let b = &main_run().summary["bursts"];
    // --burst-min 3: 2023-03-14 (Kasimir, Lena, Milo: exactly 3) and 2024-02-05 (Rafa, Sienna,
    // Tomas, Uma); 2022-12-15 has Gideon and Hedda only (the blank row is no connection)
    assert_int(b, "/days", 2);
    assert_int(b, "/connections", 7);
    assert_num(b, "/pollinated_share", 2.0 / 7.0); // Kasimir, Rafa
    assert_num(b, "/other_pollinated_share", 12.0 / 22.0); // 14 − 2 of 29 − 7
}

#[test]
fn network_companies() {
    let companies = main_run().summary["companies"]
        .as_array()
        .expect("companies is an array");
    // Trimmed and whitespace-collapsed, case kept; "NA" (Sam #1), "" (Sam #2) and "   " (Anya)
    // left out: 26 connections in 21 companies. n desc, then text ascending by code point; the
    // 21st, "Østby Works" (U+00D8 sorts after every ASCII letter), falls off the top 20.
    // (company, n, pollinated)
    let expected: [(&str, u32, u32); 20] = [
        ("Acme", 3, 2), // "Acme" Abel (faded), " Acme" Kasimir (active), "Acme " Lena (dormant)
        ("Blue Harbor", 2, 1), // "Blue  Harbor" Otto (one_way), Vera (active)
        ("Kestrel & Co", 2, 1), // Cora (faded), Tomas (dormant)
        ("Zephyr Labs", 2, 2), // Dmitri (faded), Rafa (active)
        ("Copperleaf", 1, 0), // Bruno
        ("Fieldnote Press", 1, 1), // Esme
        ("Granite Row", 1, 0), // Gideon
        ("Harbor Cycles", 1, 1), // Petra
        ("Ivory Loom", 1, 1), // Ines
        ("Juniper Health", 1, 1), // Jonas
        ("Meridian Trust", 1, 1), // Nadia
        ("Northwind Freight", 1, 1), // Bryn
        ("Quarry Lane", 1, 0), // Quinn
        ("Saffron Digital", 1, 0), // Sienna
        ("Umber & Oak", 1, 0), // Uma
        ("Westgate Clinic", 1, 1), // Wes
        ("Xylem Water", 1, 0), // Xavi
        ("Yellowfin Media", 1, 0), // Yusuf
        ("Zinc Collective", 1, 1), // Zara
        ("acme", 1, 0), // Milo: not "Acme"; lowercase sorts after every capital
    ];
    assert_eq!(companies.len(), 20, "{companies:?}");
    for (entry, (company, n, pollinated)) in companies.iter().zip(expected) {
        assert_str(entry, "/company", company);
        assert_int(entry, "/n", u64::from(n));
        assert_close(
            num(entry, "/pollinated_share"),
            f64::from(pollinated) / f64::from(n),
            company,
        );
    }
}

// ---------------------------------------------------------------------------------------------
// §6 Reconnect suggestions.
// ---------------------------------------------------------------------------------------------

#[test]
fn network_reconnect() {
    let reconnect = main_run().summary["reconnect"]
        .as_array()
        .expect("reconnect is an array");
    // strength = messages × (0.25 + 0.75 × min(sent, received)/max(sent, received)):
    //   Abel 6 × 1 = 6; Bryn 7 × (0.25 + 0.75/6) = 2.625 (most messages, ranks second);
    //   Cora 2 × 1 = 2; Ines (1/2), Jonas (2/1), Dmitri (2/1): 3 × 0.625 = 1.875 each →
    //   last_message_at desc: Ines 2023-06-20 08:00 first; Jonas and Dmitri both 2023-06-01
    //   12:00 → key asc: …/jonas-weir-j9 < …/pell-dmitri-d4 (although "Dmitri" < "Jonas" and
    //   Dmitri connected first).
    // (key, name, company, last_message_at, messages, exchanges)
    let expected = [
        (
            "linkedin.com/in/abel-marsh-a1",
            "Abel Marsh",
            "Acme",
            "2023-03-02T10:00:00Z",
            6,
            2, // two conversations, each with both sides
        ),
        (
            "linkedin.com/in/bryn-okoro-b2",
            "Bryn Okoro",
            "Northwind Freight",
            "2023-05-20T10:00:00Z",
            7,
            1,
        ),
        (
            "linkedin.com/in/cora-lindqvist-c3",
            "Cora Lindqvist",
            "Kestrel & Co",
            "2022-10-11T18:00:00Z",
            2,
            1,
        ),
        (
            "linkedin.com/in/ines-varga-i8",
            "Ines Varga",
            "Ivory Loom",
            "2023-06-20T08:00:00Z",
            3,
            1,
        ),
        (
            "linkedin.com/in/jonas-weir-j9",
            "Jonas Weir",
            "Juniper Health",
            "2023-06-01T12:00:00Z",
            3,
            1,
        ),
        (
            "linkedin.com/in/pell-dmitri-d4",
            "Dmitri Pell",
            "Zephyr Labs",
            "2023-06-01T12:00:00Z",
            3,
            1,
        ),
    ];
    assert_eq!(
        reconnect.len(),
        6,
        "the six faded connections: {reconnect:?}"
    );
    for (entry, (key, name, company, last, messages, exchanges)) in reconnect.iter().zip(expected) {
        assert_str(entry, "/key", key);
        assert_str(entry, "/name", name);
        assert_str(entry, "/company", company);
        assert_str(entry, "/last_message_at", last);
        assert_int(entry, "/messages", messages);
        assert_int(entry, "/exchanges", exchanges);
    }
}

// ---------------------------------------------------------------------------------------------
// §6 Timeline and group graph.
// ---------------------------------------------------------------------------------------------

/// (month, connections, pollinated, sent, received) at each month end E, from the table.
const TIMELINE: [(&str, u64, u64, u64, u64); 22] = [
    // Abel, Bryn | Abel 09-07 | sent Abel 09-07, 09-20 | received Abel 09-07
    ("2022-09", 2, 1, 2, 1),
    // + Cora | + Cora 10-11, Bryn 10-30 | sent Cora, Bryn | received Abel 10-02, Cora, Bryn
    ("2022-10", 3, 3, 2, 3),
    // + Dmitri | sent Bryn 11-15
    ("2022-11", 4, 3, 1, 0),
    // + Esme, Gideon, Hedda (not the blank row) | sent Bryn 12-01
    ("2022-12", 7, 3, 1, 0),
    // + Ines | + Ines 01-17 | sent Gideon 01-05, Bryn 01-10, Ines 01-17 | received Ines 01-17
    ("2023-01", 8, 4, 3, 1),
    // + Jonas | + Dmitri 02-10, Jonas 02-21 | sent Dmitri, Bryn 02-14, Jonas |
    // received Dmitri, Jonas
    ("2023-02", 9, 6, 3, 2),
    // + Kasimir, Lena, Milo | sent Abel 03-01 | received Abel 03-02
    ("2023-03", 12, 6, 1, 1),
    // + Sam Reed #1
    ("2023-04", 13, 6, 0, 0),
    // sent Bryn 05-20
    ("2023-05", 13, 6, 1, 0),
    // sent Dmitri and Jonas 06-01 | received Ines 06-20
    ("2023-06", 13, 6, 2, 1),
    ("2023-07", 13, 6, 0, 0),
    // + Sam Reed #2, Nadia | + Kasimir 08-11 | sent Kasimir 08-10 | received Kasimir 08-11
    ("2023-08", 15, 7, 1, 1),
    // + Nadia 09-02 | sent and received Nadia
    ("2023-09", 15, 8, 1, 1),
    // + Otto | sent Otto 10-20
    ("2023-10", 16, 8, 1, 0),
    // + Petra
    ("2023-11", 17, 8, 0, 0),
    // + Quinn | + Petra 12-21 | sent Petra | received Quinn 12-04, Petra
    ("2023-12", 18, 9, 1, 2),
    // + Esme 01-05 (connected 2022) | sent and received Esme
    ("2024-01", 18, 10, 1, 1),
    // + Rafa, Sienna, Tomas, Uma | + Rafa 02-17; Vera exchanged 02-27 but is no connection yet |
    // sent Rafa, Vera | received Rafa, Vera
    ("2024-02", 22, 11, 2, 2),
    // + Vera, Wes | + Vera | sent Kasimir 03-02
    ("2024-03", 24, 12, 1, 0),
    // + Xavi, Yusuf | received Vera 04-15
    ("2024-04", 26, 12, 0, 1),
    // + Zara | + Zara 05-06, Wes 05-19 | sent Zara, g1 × 3 (Esme, Nadia, Gemma), Wes |
    // received Yusuf, Zara, Nadia (g1), Gemma (g1), Wes
    ("2024-05", 27, 14, 5, 5),
    // + Anya, Bruno; E = C | sent g2 × 2 (Petra, Sienna), Bruno | received Rune, Zara
    // (Bruno's 07-03 reply is after C)
    ("2024-06", 29, 14, 3, 2),
];

fn assert_timeline_entry(entry: &Value, expected: (&str, u64, u64, u64, u64)) {
    let (month, connections, pollinated, sent, received) = expected;
    assert_str(entry, "/month", month);
    assert_int(entry, "/connections", connections);
    assert_int(entry, "/pollinated", pollinated);
    let share = (connections - pollinated) as f64 / connections as f64;
    assert_close(
        num(entry, "/never_pollinated_share"),
        share,
        &format!("never_pollinated_share of {month}"),
    );
    assert_int(entry, "/sent", sent);
    assert_int(entry, "/received", received);
}

#[test]
fn network_timeline() {
    let timeline = main_run().summary["timeline"]
        .as_array()
        .expect("timeline is an array");
    // from the first connection's month, 2022-09, to D's month, 2024-06
    assert_eq!(timeline.len(), TIMELINE.len(), "{timeline:?}");
    for (entry, expected) in timeline.iter().zip(TIMELINE) {
        assert_timeline_entry(entry, expected);
    }
    // Σ sent = 32 and Σ received = 24: every tie message before C (56, Gemma's 2 and Rune's 1
    // included) falls in some month
    let sent: u64 = TIMELINE.iter().map(|t| t.3).sum();
    let received: u64 = TIMELINE.iter().map(|t| t.4).sum();
    assert_eq!((sent, received), (32, 24));
}

#[test]
fn network_group_graph() {
    let g = &main_run().summary["group_graph"];
    // g1 (4 participants): Esme–Nadia, Esme–Gemma, Nadia–Gemma; g2 (3): Petra–Sienna.
    // The owner is left out; two-person conversations make no edge.
    assert_int(g, "/alters_with_edges", 5);
    assert_int(g, "/components", 2);
    assert_int(g, "/largest_component", 3);
}

#[test]
fn timeline_equals_reports_as_of_each_month_end() {
    let main = &main_run().summary;
    let timeline = main["timeline"].as_array().expect("timeline is an array");
    // (as-of = the month's last day, index of the month in TIMELINE)
    //   2022-12: the blank row shares 15 Dec 2022 with Gideon and Hedda; Gideon's first message
    //            (2023-01-05) is after that report's cut-off, so he is dormant there.
    //   2024-02: a leap day; Vera's 02-27 exchange precedes her connection (03-04), so she is a
    //            message partner in that report and in neither figure.
    //   2024-06: the last month, E = C.
    for (as_of, index) in [("2022-12-31", 3), ("2024-02-29", 17), ("2024-06-30", 21)] {
        let entry = &timeline[index];
        assert_timeline_entry(entry, TIMELINE[index]);
        let at = report(&fixture(), &["--as-of", as_of, "--burst-min", "3"]).summary;
        assert_eq!(
            entry["connections"].as_u64(),
            at["connections"].as_u64(),
            "connections as of {as_of}"
        );
        let pollinated = at["states"]["active"].as_u64().expect("states.active")
            + at["states"]["faded"].as_u64().expect("states.faded");
        assert_eq!(
            entry["pollinated"].as_u64(),
            Some(pollinated),
            "active + faded as of {as_of}"
        );
        assert_close(
            num(entry, "/never_pollinated_share"),
            num(&at, "/never_pollinated_share"),
            &format!("never_pollinated_share as of {as_of}"),
        );
        // and that report's own timeline is this one up to the month
        assert_eq!(
            at["timeline"].as_array().map(Vec::as_slice),
            Some(&timeline[..=index]),
            "timeline as of {as_of}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Missing files: no evidence is not a zero.
// ---------------------------------------------------------------------------------------------

/// A copy of the fixture in a temporary folder, without the file `skip`.
fn copy_without(skip: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("temporary directory");
    for entry in std::fs::read_dir(fixture()).expect("the fixture folder") {
        let entry = entry.expect("a fixture file");
        if entry.file_name() != skip {
            std::fs::copy(entry.path(), tmp.path().join(entry.file_name()))
                .expect("copy a fixture file");
        }
    }
    tmp
}

#[test]
fn missing_invitations_and_messages_degrade_honestly() {
    let no_invitations = copy_without("Invitations.csv");
    let s = report(no_invitations.path(), &MAIN_ARGS).summary;
    assert_unavailable(&s, "invitations");
    assert_unavailable(&s["accounting"], "invitations");
    // the rest is untouched
    assert_int(&s, "/connections", 29);
    assert_num(&s, "/never_pollinated_share", 15.0 / 29.0);
    assert_num(&s, "/survival/s7", 23.0 / 29.0);
    assert_int(&s, "/group_graph/components", 2);

    let no_messages = copy_without("messages.csv");
    let s = report(no_messages.path(), &MAIN_ARGS).summary;
    assert_int(&s, "/connections", 29); // connections are still counted
    for name in [
        "states",
        "never_pollinated_share",
        "survival",
        "concentration",
        "reconnect",
    ] {
        assert_unavailable(&s, name);
    }
    assert_unavailable(&s["accounting"], "messages");
}
