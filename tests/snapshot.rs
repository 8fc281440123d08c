//! Networks over time, through the real binary: the snapshot store (`snapshot add | list |
//! show | remove`), `compare` and `history`, on the `overtime` fixtures (tests/fixtures/README.md
//! tabulates every tie's messages and state at each date).
//!
//! Hand-worked states of `overtime` (active_days 365; C = the day after the as-of date):
//!
//! | tie | connected  | messages (o = owner)                     | 2023-12-31 | 2024-12-31 | 2025-12-31 |
//! |-----|------------|------------------------------------------|------------|------------|------------|
//! | Ada | 2023-01-10 | none                                     | dormant    | dormant    | dormant    |
//! | Ben | 2023-01-10 | o 2023-03-01, Ben 2023-03-02             | active     | faded      | faded      |
//! | Cai | 2023-01-10 | o 2023-02-01, Cai 2024-05-01 (one conv.) | one_way    | active     | faded      |
//! | Dag | 2023-01-10 | 2023-06-01/02 and 2025-03-01/02          | active     | faded      | active     |
//! | Eva | 2024-02-01 | Eva 2025-04-01, o 2025-04-02             | —          | dormant    | active     |
//! | Fay | 2025-02-01 | none                                     | —          | —          | dormant    |
//! | Gus | 2023-01-10 | o 2023-04-01                             | one_way    | one_way    | one_way    |
//! | Hal | 2025-12-31 | none                                     | —          | —          | dormant    |
//!
//! The active threshold is C − 365 days: 2023-01-01, 2024-01-02 (2024 is a leap year) and
//! 2025-01-01. The export's latest date is Hal's, so its default as-of is 2025-12-31.
//!
//! `overtime_later` is the same network exported on 2026-06-30: Gus removed (still a message
//! partner), Ivo added that day, Ada moved from Old Co to New Co, and Ben's reply lost — so Ben
//! holds 1 message instead of 2 and is one-way; Dag (last 2025-03-02) and Eva (2025-04-02) fall
//! before the threshold 2025-07-01 and are faded.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// `orchard <args>` with the store at `store` (through ORCHARD_STORE, as a user would set it).
fn orchard(store: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::cargo_bin("orchard").unwrap();
    cmd.env("ORCHARD_STORE", store).args(args);
    cmd
}

fn stdout(cmd: &mut Command) -> String {
    let out = cmd.assert().success().get_output().stdout.clone();
    String::from_utf8(out).unwrap()
}

/// The error message of a command that must fail with exit code 1 and must not panic.
fn failure(cmd: &mut Command) -> String {
    let out = cmd.assert().code(1).get_output().clone();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(!err.contains("panicked"), "{err}");
    assert!(err.starts_with("error: "), "{err}");
    err
}

/// `orchard snapshot add` of a fixture into `store`, which must succeed.
fn add(store: &Path, fixture_name: &str) {
    orchard(store, &["snapshot", "add"])
        .arg(fixture(fixture_name))
        .assert()
        .success();
}

fn json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// `orchard compare -q <flags> -o <out> <sides…>` must succeed; its `compare.json`.
fn compared(
    store: &Path,
    out: &Path,
    flags: &[&str],
    sides: &[&dyn AsRef<std::ffi::OsStr>],
) -> Value {
    let mut cmd = orchard(store, &["compare", "-q"]);
    cmd.args(flags).arg("-o").arg(out);
    for side in sides {
        cmd.arg(side);
    }
    cmd.assert().success();
    json(&out.join("compare.json"))
}

fn keys(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap().to_string())
        .collect()
}

/// Snapshot ids in the store, in `list` order.
fn ids(store: &Path) -> Vec<String> {
    let mut ids: Vec<String> = std::fs::read_dir(store)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .collect();
    ids.sort();
    ids
}

/// Every file under `dir` with its bytes.
fn tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(tree(&p));
        } else {
            out.push((p.clone(), std::fs::read(&p).unwrap()));
        }
    }
    out.sort();
    out
}

#[test]
fn an_export_compared_with_itself_has_no_change() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("cmp");
    let export = fixture("overtime");
    let text = stdout(
        orchard(&tmp.path().join("store"), &["compare", "-o"])
            .arg(&out)
            .arg(&export)
            .arg(&export),
    );
    assert!(text.contains("stayed at 50.0%"), "{text}");
    let c = json(&out.join("compare.json"));
    assert_eq!(c["schema"], "orchard.compare/1");
    for list in [
        "added",
        "removed",
        "newly_pollinated",
        "newly_faded",
        "reactivated",
        "job_changes",
        "lost_history",
        "notes",
    ] {
        assert_eq!(c[list], serde_json::json!([]), "{list}");
    }
    let m = &c["transitions"];
    for i in 0..5 {
        for j in 0..5 {
            if i != j {
                assert_eq!(m[i][j], 0, "cell {i},{j}");
            }
        }
    }
    // dormant 3, one-way 1, active 2, faded 2 on the diagonal.
    assert_eq!(
        (0..5)
            .map(|i| m[i][i].as_u64().unwrap())
            .collect::<Vec<_>>(),
        [0, 3, 1, 2, 2]
    );
    assert_eq!(c["never_pollinated_share_change"], 0.0);
    assert_eq!(c["old"], c["new"]);
    for name in [
        "compare.html",
        "compare.md",
        "charts/transitions.svg",
        "charts/shares.png",
    ] {
        assert!(out.join(name).is_file(), "{name}");
    }
}

#[test]
fn a_report_as_of_an_earlier_date_against_the_full_export_gives_the_hand_worked_transitions() {
    let tmp = tempfile::tempdir().unwrap();
    let export = fixture("overtime");
    let report = tmp.path().join("report-2023");
    Command::cargo_bin("orchard")
        .unwrap()
        .args(["report", "-q", "--no-charts", "--as-of", "2023-12-31", "-o"])
        .arg(&report)
        .arg(&export)
        .assert()
        .success();
    let store = tmp.path().join("store");
    let c = compared(&store, &tmp.path().join("cmp"), &[], &[&report, &export]);
    assert_eq!(c["old"]["as_of"], "2023-12-31");
    assert_eq!(c["new"]["as_of"], "2025-12-31");
    // Rows: before (none, dormant, one_way, active, faded); columns: now, likewise.
    let want = serde_json::json!([
        [0, 2, 0, 1, 0], // added: Fay, Hal dormant; Eva active
        [0, 1, 0, 0, 0], // Ada stays dormant
        [0, 0, 1, 0, 1], // Gus stays one-way; Cai one-way → faded
        [0, 0, 0, 1, 1], // Dag active → active (faded between); Ben active → faded
        [0, 0, 0, 0, 0],
    ]);
    assert_eq!(c["transitions"], want);
    assert_eq!(keys(&c["added"]), ["Eva Ek", "Fay Fox", "Hal Holm"]);
    assert_eq!(keys(&c["removed"]), Vec::<String>::new());
    assert_eq!(keys(&c["newly_pollinated"]), ["Cai Cruz"]);
    assert_eq!(keys(&c["newly_faded"]), ["Ben Berg"]);
    assert_eq!(keys(&c["reactivated"]), Vec::<String>::new());
    // Never pollinated: 3 of 5 before, 4 of 8 now.
    assert_eq!(c["old"]["never_pollinated_share"], 0.6);
    assert_eq!(c["new"]["never_pollinated_share"], 0.5);
    let change = c["never_pollinated_share_change"].as_f64().unwrap();
    assert!((change + 0.1).abs() < 1e-12, "{change}");
    // The same comparison with the export measured on the spot: the same figures.
    let again = tmp.path().join("cmp2");
    let d = compared(
        &store,
        &again,
        &["--old-as-of", "2023-12-31"],
        &[&export, &export],
    );
    assert_eq!(d["transitions"], c["transitions"]);
    assert_eq!(d["old"]["states"], c["old"]["states"]);
}

#[test]
fn history_over_three_snapshots_gives_the_hand_worked_series() {
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("store");
    let export = fixture("overtime");
    // Added out of date order: history sorts by as-of date.
    for as_of in [None, Some("2023-12-31"), Some("2024-12-31")] {
        let mut cmd = orchard(&store, &["snapshot", "add"]);
        cmd.arg(&export);
        if let Some(d) = as_of {
            cmd.args(["--as-of", d]);
        }
        assert!(stdout(&mut cmd).starts_with("Added snapshot "));
    }
    let out = tmp.path().join("history");
    let text = stdout(orchard(&store, &["history", "-o"]).arg(&out));
    assert!(
        text.contains(
            "fell from 60.0% to 50.0% between 2023-12-31 and 2025-12-31, over 3 snapshots"
        ),
        "{text}"
    );
    let h = json(&out.join("history.json"));
    let series: Vec<(String, u64, Vec<u64>, f64)> = h["snapshots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let st = &s["states"];
            (
                s["as_of"].as_str().unwrap().to_string(),
                s["connections"].as_u64().unwrap(),
                ["dormant", "one_way", "active", "faded"]
                    .iter()
                    .map(|k| st[k].as_u64().unwrap())
                    .collect(),
                s["never_pollinated_share"].as_f64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        series,
        [
            ("2023-12-31".to_string(), 5, vec![1, 2, 2, 0], 0.6),
            ("2024-12-31".to_string(), 6, vec![2, 1, 1, 2], 0.5),
            ("2025-12-31".to_string(), 8, vec![3, 1, 2, 2], 0.5),
        ]
    );
    assert_eq!(h["skipped"], serde_json::json!([]));
    assert!(out.join("charts/history.svg").is_file());
    let html = std::fs::read_to_string(out.join("history.html")).unwrap();
    assert!(html.contains("Content-Security-Policy"));
    assert!(!html.contains("<script") && !html.contains("http://") && !html.contains("https://"));

    // Year on year, by snapshot id prefix: every list of compare has one entry.
    let c = compared(
        &store,
        &tmp.path().join("cmp"),
        &[],
        &[&"2024-12", &"2025-12"],
    );
    assert_eq!(keys(&c["newly_pollinated"]), ["Eva Ek"]);
    assert_eq!(keys(&c["newly_faded"]), ["Cai Cruz"]);
    assert_eq!(keys(&c["reactivated"]), ["Dag Dahl"]);
    assert_eq!(keys(&c["added"]), ["Fay Fox", "Hal Holm"]);
}

#[test]
fn a_later_export_shows_job_changes_removals_and_lost_history() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("cmp");
    let text = stdout(
        orchard(&tmp.path().join("store"), &["compare", "--no-charts", "-o"])
            .arg(&out)
            .arg(fixture("overtime"))
            .arg(fixture("overtime_later")),
    );
    assert!(text.contains("rose from 50.0% to 62.5%"), "{text}");
    assert!(
        text.contains("Note: The newer side holds fewer messages"),
        "{text}"
    );
    let c = json(&out.join("compare.json"));
    assert_eq!(
        c["transitions"],
        serde_json::json!([
            [0, 1, 0, 0, 0], // Ivo added
            [0, 3, 0, 0, 0], // Ada, Fay, Hal
            [1, 0, 0, 0, 0], // Gus removed
            [0, 0, 0, 0, 2], // Dag, Eva faded
            [0, 0, 1, 0, 1], // Ben faded → one-way (lost his reply); Cai stays faded
        ])
    );
    assert_eq!(keys(&c["added"]), ["Ivo Ilves"]);
    assert_eq!(keys(&c["removed"]), ["Gus Gro"]);
    assert_eq!(keys(&c["newly_faded"]), ["Dag Dahl", "Eva Ek"]);
    let jobs = c["job_changes"].as_array().unwrap();
    assert_eq!(jobs.len(), 1);
    assert_eq!(
        (
            &jobs[0]["name"],
            &jobs[0]["old_company"],
            &jobs[0]["new_company"]
        ),
        (&"Ada Ahl".into(), &"Old Co".into(), &"New Co".into())
    );
    let lost = c["lost_history"].as_array().unwrap();
    assert_eq!(lost.len(), 1);
    assert_eq!(
        (
            &lost[0]["name"],
            &lost[0]["old_messages"],
            &lost[0]["new_messages"]
        ),
        (&"Ben Berg".into(), &2.into(), &1.into())
    );
    let md = std::fs::read_to_string(out.join("compare.md")).unwrap();
    assert!(
        md.contains("| Ada Ahl | Analyst at Old Co | Analyst at New Co |"),
        "{md}"
    );
}

#[test]
fn adding_the_same_export_twice_stores_it_once_even_zipped() {
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("store");
    let export = fixture("overtime");
    let first = stdout(orchard(&store, &["snapshot", "add"]).arg(&export));
    let id = ids(&store).pop().unwrap();
    assert!(first.contains(&format!(
        "Added snapshot {id} (as of 2025-12-31, 8 connections"
    )));
    assert!(
        id.starts_with("2025-12-31-") && id.len() == "2025-12-31-".len() + 10,
        "{id}"
    );
    let before = tree(&store);

    let second = stdout(orchard(&store, &["snapshot", "add"]).arg(&export));
    assert!(
        second.starts_with(&format!("Already stored as snapshot {id}")),
        "{second}"
    );
    // The same files in a zip hash the same.
    let zip_path = tmp.path().join("export.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&zip_path).unwrap());
    for name in ["Connections.csv", "messages.csv", "Profile.csv"] {
        zip.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        std::io::Write::write_all(&mut zip, &std::fs::read(export.join(name)).unwrap()).unwrap();
    }
    zip.finish().unwrap();
    let third = stdout(orchard(&store, &["snapshot", "add"]).arg(&zip_path));
    assert!(
        third.starts_with(&format!("Already stored as snapshot {id}")),
        "{third}"
    );
    assert_eq!(tree(&store), before, "nothing rewritten");

    // Other parameters are another snapshot.
    let other = stdout(orchard(&store, &["snapshot", "add", "--active-days", "90"]).arg(&export));
    assert!(other.starts_with("Added snapshot 2025-12-31-"), "{other}");
    assert_eq!(ids(&store).len(), 2);

    let manifest = json(&store.join(&id).join("manifest.json"));
    assert_eq!(manifest["schema"], "orchard.snapshot/1");
    assert_eq!(manifest["summary_schema"], "orchard.summary/2");
    assert_eq!(manifest["as_of"], "2025-12-31");
    assert_eq!(manifest["source"]["files"].as_array().unwrap().len(), 3);
    assert!(manifest["content_hash"]
        .as_str()
        .unwrap()
        .starts_with(&id[11..]));

    let shown = stdout(&mut orchard(&store, &["snapshot", "show", &id[..13]]));
    assert!(shown.contains(&format!("Snapshot {id}")), "{shown}");
    assert!(
        shown.contains("8 connections, 50.0% never pollinated"),
        "{shown}"
    );

    let removed = stdout(&mut orchard(&store, &["snapshot", "remove", &id]));
    assert!(removed.starts_with(&format!("Removed snapshot {id} (as of 2025-12-31)")));
    assert_eq!(ids(&store).len(), 1);
    let err = failure(&mut orchard(&store, &["snapshot", "show", &id]));
    assert!(
        err.contains("no snapshot") && err.contains("snapshot list"),
        "{err}"
    );
    // A prefix that names no snapshot.
    let err = failure(&mut orchard(&store, &["snapshot", "show", "2099"]));
    assert!(err.contains("no snapshot 2099"), "{err}");
}

#[test]
fn a_crashed_add_leaves_nothing_that_list_shows_and_the_next_add_cleans_it() {
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("store");
    // What a crash mid-add leaves: a temporary folder named for a process that is gone.
    let leftover = store.join(".2025-12-31-0123456789.tmp-4294967");
    std::fs::create_dir_all(&leftover).unwrap();
    std::fs::write(leftover.join("ties.parquet"), b"half a file").unwrap();
    let listed = stdout(&mut orchard(&store, &["snapshot", "list"]));
    assert!(listed.starts_with("No snapshots in "), "{listed}");
    let err = failure(&mut orchard(&store, &["history"]));
    assert!(err.contains("holds no readable snapshot"), "{err}");

    let added = stdout(orchard(&store, &["snapshot", "add"]).arg(fixture("overtime")));
    assert!(
        added.starts_with(
            "Removed 1 temporary folder(s) left by an interrupted add: .2025-12-31-0123456789.tmp-4294967"
        ),
        "{added}"
    );
    assert!(!leftover.exists());
    assert_eq!(ids(&store).len(), 1);
}

#[test]
fn a_snapshot_of_an_unknown_schema_is_refused_clearly_and_never_misread() {
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("store");
    orchard(&store, &["snapshot", "add", "--as-of", "2024-12-31"])
        .arg(fixture("overtime"))
        .assert()
        .success();
    add(&store, "overtime");
    let future = store.join("2030-01-01-ffffffffff");
    std::fs::create_dir_all(&future).unwrap();
    std::fs::write(
        future.join("manifest.json"),
        r#"{"schema": "orchard.snapshot/7", "orchard_version": "7.0.0", "id": "2030-01-01-ffffffffff"}"#,
    )
    .unwrap();
    std::fs::write(future.join("ties.parquet"), b"a format of the future").unwrap();
    let before = tree(&store);

    let listed = stdout(&mut orchard(&store, &["snapshot", "list"]));
    assert!(listed.contains("2024-12-31-"), "{listed}");
    assert!(
        listed.lines().any(|l| l.trim_start().starts_with("2030-01-01-ffffffffff")
            && l.contains("cannot be read: it was written with schema \"orchard.snapshot/7\" by orchard 7.0.0")),
        "{listed}"
    );
    let err = failure(&mut orchard(&store, &["snapshot", "show", "2030"]));
    assert!(
        err.contains("orchard.snapshot/7") && err.contains("orchard.snapshot/1"),
        "{err}"
    );
    let err =
        failure(orchard(&store, &["compare", "2024", "2030", "-o"]).arg(tmp.path().join("c")));
    assert!(
        err.contains("snapshot 2030-01-01-ffffffffff cannot be read"),
        "{err}"
    );
    assert!(!tmp.path().join("c").exists());

    // History leaves it out, says so, and charts the rest.
    let out = tmp.path().join("h");
    let run = orchard(&store, &["history", "-q", "-o"])
        .arg(&out)
        .assert()
        .success();
    let warn = String::from_utf8(run.get_output().stderr.clone()).unwrap();
    assert!(
        warn.contains("warning: snapshot 2030-01-01-ffffffffff left out"),
        "{warn}"
    );
    let h = json(&out.join("history.json"));
    assert_eq!(h["snapshots"].as_array().unwrap().len(), 2);
    assert_eq!(h["skipped"][0]["id"], "2030-01-01-ffffffffff");
    assert_eq!(tree(&store), before, "reading never changes the store");

    // Removing it is the way out.
    let err = failure(&mut orchard(&store, &["snapshot", "remove", "2030"]));
    assert!(
        err.contains("whole id") && err.contains("2030-01-01-ffffffffff"),
        "{err}"
    );
    stdout(&mut orchard(
        &store,
        &["snapshot", "remove", "2030-01-01-ffffffffff"],
    ));
    assert!(!future.exists());
}

#[test]
fn a_store_that_is_not_a_folder_is_a_clear_error() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("store");
    std::fs::write(&file, b"not a folder").unwrap();
    for args in [
        &["snapshot", "list"][..],
        &["history"],
        &["snapshot", "show", "x"],
    ] {
        let err = failure(&mut orchard(&file, args));
        assert!(
            err.contains("is not a folder") && err.contains("--store"),
            "{args:?}: {err}"
        );
    }
    let err = failure(orchard(&file, &["snapshot", "add"]).arg(fixture("overtime")));
    assert!(err.contains("is not a folder"), "{err}");
    assert_eq!(std::fs::read(&file).unwrap(), b"not a folder");
    // --store wins over ORCHARD_STORE.
    let listed =
        stdout(orchard(&file, &["snapshot", "list", "--store"]).arg(tmp.path().join("elsewhere")));
    assert!(listed.starts_with("No snapshots in "), "{listed}");
}

#[test]
fn an_unreadable_store_folder_is_a_clear_error() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("store");
    add(&store, "overtime");
    // A store behind a link loop cannot be looked at, whoever runs the test.
    let looped = tmp.path().join("loop");
    std::os::unix::fs::symlink(&looped, &looped).unwrap();
    for args in [&["snapshot", "list"][..], &["history"]] {
        let err = failure(&mut orchard(&looped, args));
        assert!(
            err.contains("cannot be used") && err.contains("symbolic links"),
            "{err}"
        );
    }
    let err = failure(orchard(&looped, &["snapshot", "add"]).arg(fixture("overtime")));
    assert!(err.contains("cannot be used"), "{err}");

    // A folder that denies reading (root reads it anyway).
    std::fs::set_permissions(&store, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read_dir(&store).is_ok() {
        // Root reads any folder: nothing to test here.
        std::fs::set_permissions(&store, std::fs::Permissions::from_mode(0o755)).unwrap();
        println!("skipped: running as root, which can read a folder with mode 000");
        return;
    }
    let err = failure(&mut orchard(&store, &["snapshot", "list"]));
    std::fs::set_permissions(&store, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert!(
        err.contains("cannot be used") && err.contains("ermission denied"),
        "{err}"
    );
    assert_eq!(ids(&store).len(), 1, "nothing lost");
}

#[test]
fn as_of_applies_to_export_sides_only_and_unknown_sides_are_named() {
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("store");
    add(&store, "overtime");
    let err = failure(
        orchard(&store, &["compare", "2025", "--old-as-of", "2024-01-01"]).arg(fixture("overtime")),
    );
    assert!(
        err.contains("--old-as-of") && err.contains("pass the export instead"),
        "{err}"
    );
    let err = failure(orchard(&store, &["compare", "nonesuch"]).arg(fixture("overtime")));
    assert!(
        err.contains("OLD (nonesuch) is neither an export, a report folder, nor a snapshot id"),
        "{err}"
    );
}

#[test]
fn real_exports_compared_with_their_own_snapshot_have_no_change() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/real-exports");
    if !root.is_dir() {
        println!("skipped: {} is absent", root.display());
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("store");
    let mut checked = 0;
    let mut exports: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    exports.sort();
    for export in exports {
        let added = orchard(&store, &["snapshot", "add"])
            .arg(&export)
            .output()
            .unwrap();
        if !added.status.success() {
            // Exports orchard cannot read are covered by tests/real_exports.rs.
            continue;
        }
        let text = String::from_utf8(added.stdout).unwrap();
        let id = text
            .split_whitespace()
            .nth(2)
            .unwrap_or_default()
            .to_string();
        let out = tmp.path().join(format!("cmp-{checked}"));
        let c = compared(&store, &out, &["--no-charts"], &[&id, &export]);
        let name = export.display();
        for list in ["added", "removed"] {
            assert_eq!(c[list], serde_json::json!([]), "{name}: {list}");
        }
        for list in ["newly_pollinated", "newly_faded", "reactivated"] {
            if c["transitions"].is_null() {
                // No messages.csv: unavailable, with the reason beside it (METRICS.md §7).
                assert!(
                    c[format!("{list}_unavailable")].is_string(),
                    "{name}: {list}"
                );
            } else {
                assert_eq!(c[list], serde_json::json!([]), "{name}: {list}");
            }
        }
        assert_eq!(c["job_changes"], serde_json::json!([]), "{name}");
        assert_eq!(c["lost_history"], serde_json::json!([]), "{name}");
        assert_eq!(c["old"]["states"], c["new"]["states"], "{name}");
        checked += 1;
    }
    assert!(checked > 0, "no real export could be added");
    println!("{checked} real exports compared with their own snapshots");
}

#[test]
fn the_default_store_is_in_the_platform_data_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let mut cmd = Command::cargo_bin("orchard").unwrap();
    cmd.env_remove("ORCHARD_STORE")
        .env("XDG_DATA_HOME", &data)
        .args(["snapshot", "add"])
        .arg(fixture("overtime"));
    let added = stdout(&mut cmd);
    let store = data.join("orchard");
    assert!(
        added.ends_with(&format!("to {}\n", store.display())),
        "{added}"
    );
    assert_eq!(ids(&store).len(), 1);
}

#[test]
fn concurrent_adds_of_one_export_store_it_once() {
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("store");
    let runs: Vec<_> = (0..3)
        .map(|_| {
            std::process::Command::new(env!("CARGO_BIN_EXE_orchard"))
                .env("ORCHARD_STORE", &store)
                .args(["snapshot", "add"])
                .arg(fixture("overtime"))
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let outputs: Vec<String> = runs
        .into_iter()
        .map(|r| {
            let out = r.wait_with_output().unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            String::from_utf8(out.stdout).unwrap()
        })
        .collect();
    let added = outputs
        .iter()
        .filter(|o| o.starts_with("Added snapshot"))
        .count();
    let already = outputs
        .iter()
        .filter(|o| o.starts_with("Already stored"))
        .count();
    assert_eq!((added, already), (1, 2), "{outputs:?}");
    assert_eq!(ids(&store).len(), 1);
    assert!(
        std::fs::read_dir(&store).unwrap().count() == 1,
        "no temporary folder left behind"
    );
}

#[test]
fn only_snapshot_folders_are_touched_and_live_or_odd_leftovers_are_spared() {
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("store");
    // Not orchard's: a folder of the user's, a file named like a leftover, and the temporary
    // folder of a process that is running (this test).
    let documents = store.join("Documents");
    std::fs::create_dir_all(&documents).unwrap();
    std::fs::write(documents.join("cv.txt"), b"mine").unwrap();
    let odd = store.join(".notes.tmp-4294967");
    std::fs::write(&odd, b"a file, not a folder").unwrap();
    let live = store.join(format!(".2025-12-31-0000000000.tmp-{}", std::process::id()));
    std::fs::create_dir_all(&live).unwrap();

    let listed = stdout(&mut orchard(&store, &["snapshot", "list"]));
    assert!(listed.starts_with("No snapshots in "), "{listed}");
    let added = stdout(orchard(&store, &["snapshot", "add"]).arg(fixture("overtime")));
    assert!(added.starts_with("Added snapshot"), "{added}");
    for (path, what) in [
        (&documents, "user folder"),
        (&odd, "odd file"),
        (&live, "live add"),
    ] {
        assert!(path.exists(), "{what} was removed");
    }
    let err = failure(&mut orchard(&store, &["snapshot", "remove", "Documents"]));
    assert!(err.contains("no snapshot Documents"), "{err}");
    assert_eq!(std::fs::read(documents.join("cv.txt")).unwrap(), b"mine");
}

#[test]
fn a_report_folder_of_another_schema_is_refused_not_misread() {
    let tmp = tempfile::tempdir().unwrap();
    let report = tmp.path().join("report");
    Command::cargo_bin("orchard")
        .unwrap()
        .args(["report", "-q", "--no-charts", "-o"])
        .arg(&report)
        .arg(fixture("overtime"))
        .assert()
        .success();
    let path = report.join("summary.json");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replace("orchard.summary/2", "orchard.summary/9"),
    )
    .unwrap();
    let err = failure(
        orchard(&tmp.path().join("store"), &["compare"])
            .arg(&report)
            .arg(fixture("overtime")),
    );
    assert!(
        err.contains("summary.json") && err.contains("\"orchard.summary/9\""),
        "{err}"
    );
}

#[test]
fn an_export_without_profile_urls_is_matched_by_name() {
    let tmp = tempfile::tempdir().unwrap();
    // `overtime` as a 2021–2023 export: Connections.csv without its URL column.
    let old = tmp.path().join("old");
    std::fs::create_dir_all(&old).unwrap();
    for name in ["messages.csv", "Profile.csv"] {
        std::fs::copy(fixture("overtime").join(name), old.join(name)).unwrap();
    }
    let connections = std::fs::read_to_string(fixture("overtime").join("Connections.csv")).unwrap();
    let without_urls: Vec<String> = connections
        .lines()
        .map(|l| match l.split(',').collect::<Vec<_>>().as_slice() {
            [first, last, _url, rest @ ..] if rest.len() == 4 => {
                format!("{first},{last},{}", rest.join(","))
            }
            _ => l.to_string(),
        })
        .collect();
    std::fs::write(old.join("Connections.csv"), without_urls.join("\n")).unwrap();
    let out = tmp.path().join("cmp");
    let text = stdout(
        orchard(&tmp.path().join("store"), &["compare", "--no-charts", "-o"])
            .arg(&out)
            .arg(&old)
            .arg(fixture("overtime_later")),
    );
    assert!(text.contains("matched by name"), "{text}");
    let c = json(&out.join("compare.json"));
    // The same people as with URLs on both sides: Ivo added, Gus removed, Ada's new job.
    assert_eq!(keys(&c["added"]), ["Ivo Ilves"]);
    assert_eq!(keys(&c["removed"]), ["Gus Gro"]);
    assert_eq!(c["job_changes"][0]["name"], "Ada Ahl");
}

/// A synthetic network compared with itself a year earlier (one export holds its history):
/// however the generator drew it, the transition matrix must add up to both sides' state
/// counts, and the lists must be the matrix's cells.
#[test]
fn a_synthetic_network_a_year_apart_adds_up() {
    let tmp = tempfile::tempdir().unwrap();
    let synth = tmp.path().join("synth");
    Command::cargo_bin("orchard")
        .unwrap()
        .args([
            "synth",
            "--connections",
            "600",
            "--messages",
            "6000",
            "--seed",
            "11",
            "-o",
        ])
        .arg(&synth)
        .assert()
        .success();
    let export = synth.join("export");
    let c = compared(
        &tmp.path().join("store"),
        &tmp.path().join("cmp"),
        &["--no-charts", "--old-as-of", "2025-10-15"],
        &[&export, &export],
    );
    let m: Vec<Vec<u64>> = serde_json::from_value(c["transitions"].clone()).unwrap();
    let states = ["dormant", "one_way", "active", "faded"];
    for (i, s) in states.iter().enumerate() {
        let row: u64 = m[i + 1].iter().sum();
        let column: u64 = m.iter().map(|r| r[i + 1]).sum();
        assert_eq!(row, c["old"]["states"][s].as_u64().unwrap(), "old {s}");
        assert_eq!(column, c["new"]["states"][s].as_u64().unwrap(), "new {s}");
    }
    let len = |name: &str| c[name].as_array().unwrap().len() as u64;
    assert_eq!(m[0].iter().sum::<u64>(), len("added"));
    assert!(
        len("added") > 0,
        "a year of a synthetic network adds connections"
    );
    assert_eq!(
        len("removed"),
        0,
        "an export read earlier holds no one it lost since"
    );
    assert_eq!(
        len("newly_pollinated"),
        m[1][3] + m[1][4] + m[2][3] + m[2][4]
    );
    assert_eq!(len("newly_faded"), m[3][4]);
    assert_eq!(len("reactivated"), m[4][3]);
    assert_eq!(len("job_changes") + len("lost_history"), 0);
    let old_n = c["old"]["connections"].as_u64().unwrap();
    let new_n = c["new"]["connections"].as_u64().unwrap();
    assert_eq!(new_n, old_n + len("added"));
}

/// `reports/sample-compare/` is the committed example; regenerate it with the command in
/// reports/README.md.
#[test]
fn the_committed_example_comparison_matches_a_fresh_run() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().unwrap();
    let sample = root.join("data/sample-export");
    let fresh = compared(
        &tmp.path().join("store"),
        &tmp.path().join("cmp"),
        &["--no-charts", "--old-as-of", "2025-10-15"],
        &[&sample, &sample],
    );
    assert!(
        json(&root.join("reports/sample-compare/compare.json")) == fresh,
        "reports/sample-compare/compare.json is stale: regenerate it (see reports/README.md)"
    );
}
